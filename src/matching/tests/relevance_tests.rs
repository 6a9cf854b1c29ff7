//! A person's relevance: the overlap with their strengths (rare skills count more), the
//! direction of the move (a step down never outranks an equal step up unless asked for), the
//! preferences, and points that still add up to the score.

use proptest::prelude::*;

use super::*;
use crate::matching::{
    fit, is_unasked_step_down, Aspirations, Direction, Evidence::*, FitContext, Importance::*,
    MatchConfig, Mobility, OpeningKind, OpeningTags, Profile, Rarity, Reason, SkillGraph,
};

fn relevance(p: &Profile, reqs: &[Requirement], rarity: &Rarity, tags: OpeningTags) -> Fit {
    let f = fit(
        p,
        reqs,
        &SkillGraph::empty(),
        &MatchConfig::default(),
        &FitContext::openings_for_person(TODAY, rarity, tags),
    );
    assert_adds_up(&f);
    f
}

fn at_rank(rank: u8) -> OpeningTags {
    OpeningTags {
        rank: Some(rank),
        kind: Some(OpeningKind::Role),
        ..OpeningTags::default()
    }
}

/// A senior (rank 3) who holds skills 0..6 at level 4, manager-validated.
fn senior() -> Profile {
    Profile::new((0..6).map(|s| held(s, 4, ManagerValidated)).collect()).with_mobility(Mobility {
        rank: Some(3),
        ..Mobility::default()
    })
}

#[test]
fn a_senior_sees_a_role_at_their_level_above_a_junior_role_they_cover_fully() {
    // The junior role asks for two of the senior's skills at level 2: fully covered. The
    // senior role asks for all six at level 4 and one more.
    let junior: Vec<_> = (0..2).map(|s| req(s, 2, Essential)).collect();
    let mut same: Vec<_> = (0..6).map(|s| req(s, 4, Essential)).collect();
    same.push(req(9, 3, Important));
    let rarity = Rarity::uniform();
    let down = relevance(&senior(), &junior, &rarity, at_rank(1));
    let level = relevance(&senior(), &same, &rarity, at_rank(3));
    assert_eq!(
        (level.score, down.score),
        (86, 57),
        "50 + 28 + 8 against 55 + 17 - 15 (docs/MATCHING.md, section 5)"
    );
    let points: Vec<i32> = down.reasons.iter().map(Reason::points).collect();
    assert_eq!(
        points,
        vec![28, 27, 17, -15],
        "the fit (55), 2 of 6 skills used (0.58 of 30), a step down of 2 levels not asked for"
    );
    assert_eq!(
        down.explain(&IdNames)[2..],
        [
            "Uses 2 of your 6 skills; nothing new to learn (rarer skills count more): +17 points",
            "A step down of 2 levels, which you have not asked for: -15 points",
        ]
    );
    assert!(is_unasked_step_down(&senior(), &at_rank(1)));
    assert!(!is_unasked_step_down(&senior(), &at_rank(3)));
}

#[test]
fn a_step_down_the_person_asked_for_costs_nothing() {
    let p = senior().with_mobility(Mobility {
        rank: Some(3),
        open_to_step_down: true,
        ..Mobility::default()
    });
    let reqs = [req(0, 3, Essential)];
    let f = relevance(&p, &reqs, &Rarity::uniform(), at_rank(2));
    let Some(Reason::Direction(d)) = f.reasons.get(2) else {
        panic!("a direction reason: {f:#?}");
    };
    assert_eq!(
        (d.direction, d.levels, d.asked, d.points),
        (Direction::Down, -1, true, 0)
    );
    assert!(!is_unasked_step_down(&p, &at_rank(2)));
    // Aiming for this very role is asking for it, too.
    let target = senior().with_aspirations(Aspirations {
        target_profiles: vec![4],
        ..Aspirations::default()
    });
    let tags = OpeningTags {
        job_profile: Some(4),
        ..at_rank(2)
    };
    assert!(!is_unasked_step_down(&target, &tags));
}

#[test]
fn preferences_the_opening_goes_against_take_points_off_and_say_so() {
    let p = senior().with_mobility(Mobility {
        rank: Some(3),
        location: Some(1),
        open_to_relocation: false,
        open_to: [true, false, true, true],
        ..Mobility::default()
    });
    let reqs = [req(0, 4, Essential)];
    let tags = OpeningTags {
        kind: Some(OpeningKind::Secondment),
        location: Some(2),
        ..at_rank(3)
    };
    let f = relevance(&p, &reqs, &Rarity::uniform(), tags);
    let lines = f.explain(&IdNames);
    assert_eq!(
        lines[3..],
        [
            "Your preferences say you are not open to secondments: -15 points",
            "It is in another location and you are not open to relocating: -10 points",
        ]
    );
    let remote = relevance(
        &p,
        &reqs,
        &Rarity::uniform(),
        OpeningTags {
            remote: true,
            ..tags
        },
    );
    assert_eq!(remote.score, f.score + 10, "a remote opening is anywhere");
}

#[test]
fn an_opening_sharing_nothing_with_the_person_scores_zero_whatever_its_level() {
    let f = relevance(
        &senior(),
        &[req(9, 3, Essential)],
        &Rarity::uniform(),
        at_rank(4),
    );
    assert_eq!((f.score, f.reasons.len()), (0, 1));
}

#[test]
fn one_point_is_one_point() {
    let f = relevance(
        &Profile::new(vec![held(0, 1, ManagerValidated)]),
        &[req(0, 4, NiceToHave), req(1, 5, Essential)],
        &Rarity::uniform(),
        OpeningTags::default(),
    );
    let line = &f.explain(&IdNames)[0];
    assert!(line.ends_with("+1 point"), "{line}");
}

fn person_skills() -> impl Strategy<Value = Vec<HeldSkill>> {
    prop::collection::vec((2u32..8, 1u8..=5, 0usize..4), 0..5).prop_map(|v| {
        v.into_iter()
            .map(|(s, l, e)| held(s, l, EVIDENCE[e]))
            .collect()
    })
}

fn other_requirements() -> impl Strategy<Value = Vec<Requirement>> {
    prop::collection::vec((2u32..8, 1u8..=5, 0usize..3), 0..5).prop_map(|v| {
        v.into_iter()
            .map(|(s, l, i)| req(s, l, IMPORTANCE[i]))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_step_down_never_outranks_an_equal_step_up_without_that_aspiration(
        skills in person_skills(),
        reqs in other_requirements(),
        rank in 2u8..=5,
        up in 1u8..=2,
        down in 1u8..=2,
        counts in prop::collection::vec(0u32..100, 8),
    ) {
        let p = Profile::new(skills).with_mobility(Mobility { rank: Some(rank), ..Mobility::default() });
        let rarity = Rarity::from_holder_counts(&counts, 100, &MatchConfig::default());
        let higher = relevance(&p, &reqs, &rarity, at_rank(rank + up));
        let lower = relevance(&p, &reqs, &rarity, at_rank(rank.saturating_sub(down).max(1)));
        prop_assert!(higher.score >= lower.score, "{higher:#?}\n{lower:#?}");
        prop_assert!(is_unasked_step_down(&p, &at_rank(rank - 1)));
    }

    #[test]
    fn a_rare_shared_skill_counts_more_than_a_common_one(
        skills in person_skills(),
        rest in other_requirements(),
        level in 1u8..=5,
        asked in 1u8..=5,
        importance in 0usize..3,
        evidence in 0usize..4,
        rare in 0u32..5,
        common in 20u32..100,
        counts in prop::collection::vec(0u32..100, 6),
        tags in (prop::option::of(1u8..=6), prop::option::of(1u8..=6)),
    ) {
        // Skills 0 (rare) and 1 (common) are held alike; two openings differ only in which
        // of them they ask for.
        let mut held_skills = skills;
        held_skills.push(held(0, level, EVIDENCE[evidence]));
        held_skills.push(held(1, level, EVIDENCE[evidence]));
        let p = Profile::new(held_skills).with_mobility(Mobility { rank: tags.0, ..Mobility::default() });
        let mut all = vec![rare, common];
        all.extend(counts);
        let rarity = Rarity::from_holder_counts(&all, 100, &MatchConfig::default());
        let ask = |s| {
            let mut r = rest.clone();
            r.push(req(s, asked, IMPORTANCE[importance]));
            r
        };
        let opening = OpeningTags { rank: tags.1, ..OpeningTags::default() };
        let with_rare = relevance(&p, &ask(0), &rarity, opening);
        let with_common = relevance(&p, &ask(1), &rarity, opening);
        let overlap = |f: &Fit| f.reasons.iter().find_map(|r| match r {
            Reason::Overlap(o) => Some(o.points),
            _ => None,
        });
        prop_assert!(overlap(&with_rare) >= overlap(&with_common), "{with_rare:#?}\n{with_common:#?}");
        // A rarer requirement also weighs more in the fit part, which lifts the score when
        // the person meets it in full (a partly met one weighs more as a gap, too).
        if level >= asked && EVIDENCE[evidence] >= ManagerValidated {
            prop_assert!(with_rare.score >= with_common.score, "{with_rare:#?}\n{with_common:#?}");
        }
    }
}
