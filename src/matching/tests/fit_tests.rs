//! One test per rule of the fit score.

use super::*;
use crate::matching::{
    fit, Evidence::*, Fit, FitContext, Gap, IdNames, Importance::*, MatchConfig, Names, Outcome,
    Profile, Reason, Requirement, SkillGraph,
};

fn manager_fit(profile: &Profile, reqs: &[Requirement], graph: &SkillGraph) -> Fit {
    fit(
        profile,
        reqs,
        graph,
        &MatchConfig::default(),
        &FitContext::people_for_opening(TODAY),
    )
}

#[test]
fn a_skill_held_at_the_level_asked_with_manager_validation_is_met_for_full_points() {
    let p = Profile::new(vec![held(0, 3, ManagerValidated)]);
    let f = manager_fit(&p, &[req(0, 3, Essential)], &SkillGraph::empty());
    assert_eq!(f.score, 100);
    let r = only_skill(&f);
    assert_eq!(
        (r.outcome, r.level_held, r.evidence, r.points),
        (Outcome::Met, Some(3), Some(ManagerValidated), 100)
    );
    assert!(!r.stale);
}

#[test]
fn a_level_above_the_one_asked_is_simply_met() {
    let p = Profile::new(vec![held(0, 5, Assessed)]);
    let f = manager_fit(&p, &[req(0, 2, Important)], &SkillGraph::empty());
    assert_eq!((f.score, only_skill(&f).outcome), (100, Outcome::Met));
}

#[test]
fn a_level_below_the_one_asked_is_partly_met_with_squared_credit() {
    for (have, score) in [(3, 56), (2, 25), (1, 6)] {
        let p = Profile::new(vec![held(0, have, Assessed)]);
        let f = manager_fit(&p, &[req(0, 4, Important)], &SkillGraph::empty());
        assert_eq!(f.score, score, "held {have} of 4");
        assert_eq!(only_skill(&f).outcome, Outcome::PartlyMet);
        assert_adds_up(&f);
    }
}

#[test]
fn stronger_evidence_earns_more() {
    let scores: Vec<u8> = EVIDENCE
        .iter()
        .map(|&e| {
            manager_fit(
                &Profile::new(vec![held(0, 3, e)]),
                &[req(0, 3, Important)],
                &SkillGraph::empty(),
            )
            .score
        })
        .collect();
    assert_eq!(
        scores,
        vec![80, 90, 100, 100],
        "self-assessed, course, manager, assessed"
    );
}

#[test]
fn a_self_assessment_older_than_24_months_is_stale_and_counts_less() {
    let graph = SkillGraph::empty();
    let reqs = [req(0, 3, Important)];
    let fresh = manager_fit(
        &Profile::new(vec![held_on(0, 3, SelfAssessed, TODAY - 730)]),
        &reqs,
        &graph,
    );
    let stale = manager_fit(
        &Profile::new(vec![held_on(0, 3, SelfAssessed, TODAY - 731)]),
        &reqs,
        &graph,
    );
    let validated = manager_fit(
        &Profile::new(vec![held_on(0, 3, ManagerValidated, TODAY - 2000)]),
        &reqs,
        &graph,
    );
    assert_eq!((fresh.score, only_skill(&fresh).stale), (80, false));
    assert_eq!(
        (stale.score, only_skill(&stale).stale),
        (56, true),
        "0.8 x 0.7"
    );
    assert_eq!(
        only_skill(&stale).outcome,
        Outcome::Met,
        "still met, just counted less"
    );
    assert_eq!(
        (validated.score, only_skill(&validated).stale),
        (100, false),
        "only self-assessments go stale"
    );
    let config = MatchConfig {
        stale_self_assessment_months: 36,
        ..Default::default()
    };
    let longer = fit(
        &Profile::new(vec![held_on(0, 3, SelfAssessed, TODAY - 731)]),
        &reqs,
        &graph,
        &config,
        &FitContext::people_for_opening(TODAY),
    );
    assert_eq!(longer.score, 80, "the policy's limit is respected");
}

#[test]
fn a_related_skill_earns_partial_credit_capped_below_met() {
    let p = Profile::new(vec![held(0, 4, ManagerValidated)]);
    let reqs = [req(1, 3, Important)];
    let f = manager_fit(&p, &reqs, &SkillGraph::new([(SkillId(0), SkillId(1), 0.8)]));
    assert_eq!(f.score, 48, "0.8 strength x 0.6 factor");
    let r = only_skill(&f);
    assert_eq!(
        (r.outcome, r.level_held),
        (Outcome::MetThroughRelated, None)
    );
    let via = r.via_related.expect("via");
    assert_eq!(
        (via.skill, via.strength, via.level, via.evidence),
        (SkillId(0), 0.8, 4, ManagerValidated)
    );
    let strong = manager_fit(&p, &reqs, &SkillGraph::new([(SkillId(1), SkillId(0), 1.0)]));
    assert_eq!(
        strong.score, 50,
        "never more than the related cap, whichever direction was given"
    );
}

#[test]
fn a_related_skill_beats_a_weak_direct_holding_and_the_reason_shows_both() {
    let p = Profile::new(vec![held(0, 4, ManagerValidated), held(1, 1, SelfAssessed)]);
    let f = manager_fit(
        &p,
        &[req(1, 3, Important)],
        &SkillGraph::new([(SkillId(0), SkillId(1), 0.8)]),
    );
    let r = only_skill(&f);
    assert_eq!(
        (r.outcome, r.level_held, f.score),
        (Outcome::MetThroughRelated, Some(1), 48)
    );
}

#[test]
fn a_skill_neither_held_nor_related_is_missing() {
    let p = Profile::new(vec![held(5, 4, ManagerValidated)]);
    let f = manager_fit(
        &p,
        &[req(1, 3, Important)],
        &SkillGraph::new([(SkillId(0), SkillId(1), 0.8)]),
    );
    let r = only_skill(&f);
    assert_eq!(
        (f.score, r.outcome, r.level_held, r.points),
        (0, Outcome::Missing, None, 0)
    );
}

#[test]
fn a_missing_essential_caps_the_score_and_says_which() {
    let p = Profile::new(vec![
        held(0, 3, ManagerValidated),
        held(2, 3, ManagerValidated),
    ]);
    let reqs = [
        req(0, 3, Essential),
        req(1, 3, Essential),
        req(2, 3, Important),
    ];
    let f = manager_fit(&p, &reqs, &SkillGraph::empty());
    assert_eq!(f.score, 40);
    let points: Vec<i32> = f.reasons.iter().map(Reason::points).collect();
    assert_eq!(
        points,
        vec![38, 0, 25, -23],
        "62.5 rounds to 63, then the cap takes 23"
    );
    assert_adds_up(&f);
    match f.reasons.last() {
        Some(Reason::EssentialCap(c)) => {
            assert_eq!((c.missing.clone(), c.cap), (vec![SkillId(1)], 40))
        }
        other => panic!("expected the cap, got {other:?}"),
    }
    assert_eq!(
        f.reasons[3].message(&IdNames),
        "Score capped at 40 because the essential skill skill 1 is missing or far below the level asked: -23 points"
    );
}

#[test]
fn the_cap_reason_only_appears_when_it_lowers_the_score() {
    let p = Profile::new(vec![held(1, 3, ManagerValidated)]);
    let f = manager_fit(
        &p,
        &[req(0, 3, Essential), req(1, 3, NiceToHave)],
        &SkillGraph::empty(),
    );
    assert_eq!((f.score, f.reasons.len()), (25, 2));
}

#[test]
fn an_essential_held_far_below_the_level_asked_counts_as_missing_for_the_cap() {
    let reqs = [req(0, 4, Essential), req(1, 2, Important)];
    let far = Profile::new(vec![
        held(0, 2, ManagerValidated),
        held(1, 2, ManagerValidated),
    ]);
    let near = Profile::new(vec![held(0, 3, SelfAssessed), held(1, 2, ManagerValidated)]);
    assert_eq!(
        manager_fit(&far, &reqs, &SkillGraph::empty()).score,
        40,
        "credit 0.25 < 0.3: capped from 55"
    );
    assert_eq!(
        manager_fit(&near, &reqs, &SkillGraph::empty()).score,
        67,
        "credit 0.45: (1.35 + 2) / 5"
    );
}

#[test]
fn importance_weights_the_requirements() {
    let reqs = [req(0, 3, Essential), req(1, 3, NiceToHave)];
    let essential_only = Profile::new(vec![held(0, 3, Assessed)]);
    let nice_only = Profile::new(vec![held(1, 3, Assessed)]);
    assert_eq!(
        manager_fit(&essential_only, &reqs, &SkillGraph::empty()).score,
        75
    );
    assert_eq!(
        manager_fit(&nice_only, &reqs, &SkillGraph::empty()).score,
        25
    );
}

#[test]
fn nothing_to_match_on_scores_zero() {
    let f = manager_fit(
        &Profile::new(vec![held(0, 3, Assessed)]),
        &[],
        &SkillGraph::empty(),
    );
    assert_eq!((f.score, f.reasons.len()), (0, 0));
}

struct Words;
impl Names for Words {
    fn skill(&self, skill: SkillId) -> String {
        ["SQL", "PostgreSQL", "Python"][skill.index()].to_owned()
    }
}

#[test]
fn reasons_read_as_sentences() {
    let p = Profile::new(vec![
        held(0, 4, ManagerValidated),
        held_on(2, 2, SelfAssessed, TODAY - 1000),
    ]);
    let reqs = [req(1, 3, Important), req(2, 3, NiceToHave)];
    let f = manager_fit(&p, &reqs, &SkillGraph::new([(SkillId(0), SkillId(1), 0.8)]));
    assert_eq!(
        f.explain(&Words),
        vec![
            "PostgreSQL (important): level 3 asked, not held; related skill SQL at level 4 (manager-validated), strength 0.80: met through a related skill, +32 points",
            "Python (nice to have): level 3 asked, 2 held (self-assessed), not confirmed for a long time so it counts less: partly met, +8 points",
        ]
    );
    assert_adds_up(&f);
}

#[test]
fn the_gaps_are_every_skill_below_the_level_asked_even_when_a_related_skill_helps() {
    let p = Profile::new(vec![held(0, 4, ManagerValidated), held(2, 2, Assessed)]);
    let reqs = [
        req(0, 3, Essential),
        req(1, 3, Important),
        req(2, 4, NiceToHave),
    ];
    let f = manager_fit(&p, &reqs, &SkillGraph::new([(SkillId(0), SkillId(1), 0.8)]));
    assert_eq!(
        f.gaps(),
        vec![
            Gap {
                skill: SkillId(1),
                have: 0,
                need: 3
            },
            Gap {
                skill: SkillId(2),
                have: 2,
                need: 4
            },
        ]
    );
    assert_eq!(f.gaps(), crate::matching::gaps(&p, &reqs));
}
