//! The person's perspective: rarity weights and aspiration points, and the JSON shape of a
//! fit for the endpoints.

use super::*;
use crate::matching::{
    fit, AspirationKind, Aspirations, Evidence::*, FitContext, Importance::*, MatchConfig,
    Mobility, OpeningTags, Profile, Rarity, Reason, SkillGraph,
};

#[test]
fn common_skills_weigh_less_when_ranking_openings_for_a_person() {
    let mut counts = vec![0u32; 2];
    counts[0] = 60; // 60% of 100 people: weight 0.25
    counts[1] = 1; // 1%: weight 1
    let rarity = Rarity::from_holder_counts(&counts, 100, &MatchConfig::default());
    let p = Profile::new(vec![held(0, 3, ManagerValidated)]);
    let reqs = [req(0, 3, Important), req(1, 3, Important)];
    let graph = SkillGraph::empty();
    let config = MatchConfig::default();
    let as_manager = fit(
        &p,
        &reqs,
        &graph,
        &config,
        &FitContext::people_for_opening(TODAY),
    );
    let as_person = fit(
        &p,
        &reqs,
        &graph,
        &config,
        &FitContext::openings_for_person(TODAY, &rarity, OpeningTags::default()),
    );
    assert_eq!(
        (as_manager.score, as_person.score),
        (50, 18),
        "the fit part is 0.5 / (0.5 + 2) of 55 = 11; the overlap 0.24 of 30 = 7"
    );
    assert_eq!(only_skill(&as_person).weight, 0.5);
    assert_adds_up(&as_person);
}

fn dreamer() -> Profile {
    Profile::new(vec![held(0, 3, ManagerValidated)]).with_aspirations(Aspirations {
        target_profiles: vec![7],
        interest_skills: vec![SkillId(1)],
        interest_families: vec![2],
    })
}

#[test]
fn aspirations_add_explicit_points_only_when_ranking_openings_for_the_person() {
    let reqs = [req(0, 3, Important), req(1, 3, Important)];
    let tags = OpeningTags {
        job_profile: Some(7),
        job_family: Some(2),
        ..OpeningTags::default()
    };
    let rarity = Rarity::uniform();
    let config = MatchConfig::default();
    let graph = SkillGraph::empty();
    let as_person = fit(
        &dreamer(),
        &reqs,
        &graph,
        &config,
        &FitContext::openings_for_person(TODAY, &rarity, tags),
    );
    assert_eq!(
        as_person.score, 59,
        "28 of 55 for the fit + 21 of 30 for the overlap (1 of 2 skills) + 6 + 3 + 1 (the 10-point limit)"
    );
    let bonus: Vec<(AspirationKind, i32)> = as_person
        .reasons
        .iter()
        .filter_map(|r| match r {
            Reason::Aspiration(a) => Some((a.kind, a.points)),
            _ => None,
        })
        .collect();
    assert_eq!(
        bonus,
        vec![
            (AspirationKind::TargetProfile(7), 6),
            (AspirationKind::InterestFamily(2), 3),
            (AspirationKind::InterestSkill(SkillId(1)), 1),
        ]
    );
    assert_adds_up(&as_person);
    let as_manager = fit(
        &dreamer(),
        &reqs,
        &graph,
        &config,
        &FitContext::people_for_opening(TODAY),
    );
    assert_eq!((as_manager.score, as_manager.reasons.len()), (50, 2));
}

#[test]
fn aspiration_points_never_push_a_score_past_100() {
    let reqs = [req(0, 3, Important)];
    let tags = OpeningTags {
        job_profile: Some(7),
        job_family: None,
        rank: Some(4),
        ..OpeningTags::default()
    };
    let rarity = Rarity::uniform();
    let dreamer = dreamer().with_mobility(Mobility {
        rank: Some(3),
        ..Mobility::default()
    });
    let f = fit(
        &dreamer,
        &reqs,
        &SkillGraph::empty(),
        &MatchConfig::default(),
        &FitContext::openings_for_person(TODAY, &rarity, tags),
    );
    let points: Vec<i32> = f.reasons.iter().map(Reason::points).collect();
    assert_eq!(
        (f.score, points),
        (100, vec![55, 30, 10, 5]),
        "fit, overlap, one level up, and only 5 of the target role's 6 points fit under 100"
    );
}

#[test]
fn a_fit_serialises_to_json_with_tagged_reasons() {
    let p = Profile::new(vec![held(0, 3, ManagerValidated)]);
    let f = fit(
        &p,
        &[req(0, 3, Essential), req(1, 2, Essential)],
        &SkillGraph::empty(),
        &MatchConfig::default(),
        &FitContext::people_for_opening(TODAY),
    );
    let json = serde_json::to_value(&f).expect("serialisable");
    assert_eq!(json["score"], 40);
    assert_eq!(json["reasons"][0]["kind"], "skill");
    assert_eq!(json["reasons"][0]["outcome"], "met");
    assert_eq!(json["reasons"][0]["evidence"], "manager_validated");
    assert_eq!(json["reasons"][1]["outcome"], "missing");
    assert_eq!(json["reasons"][1]["level_held"], serde_json::Value::Null);
    assert_eq!(json["reasons"][2]["kind"], "essential_cap");
    assert_eq!(json["reasons"][2]["points"], -10);
}
