//! Property tests of the fit score and of a person's relevance: the points add up, the score
//! stays in range, and a higher level or stronger evidence never lowers it (nor, for the
//! fit, an added skill).

use proptest::prelude::*;

use super::*;
use crate::matching::{
    fit, fit_score, Aspirations, Evidence, FitContext, HeldSkill, MatchConfig, Mobility,
    OpeningKind, OpeningTags, Profile, Rarity, Requirement, SkillGraph,
};

const KINDS: [OpeningKind; 4] = [
    OpeningKind::Role,
    OpeningKind::Secondment,
    OpeningKind::Project,
    OpeningKind::Mentorship,
];

const SKILLS: u32 = 8;

fn held_skill() -> impl Strategy<Value = HeldSkill> {
    (0..SKILLS, 1u8..=5, 0usize..4, 0i32..1500).prop_map(|(s, l, e, age)| HeldSkill {
        skill: SkillId(s),
        level: l,
        evidence: EVIDENCE[e],
        confirmed_on_day: TODAY - age,
    })
}

fn requirements() -> impl Strategy<Value = Vec<Requirement>> {
    prop::collection::vec((0..SKILLS, 1u8..=5, 0usize..3), 0..6).prop_map(|v| {
        v.into_iter()
            .map(|(s, l, i)| req(s, l, IMPORTANCE[i]))
            .collect()
    })
}

fn graph() -> impl Strategy<Value = SkillGraph> {
    prop::collection::vec((0..SKILLS, 0..SKILLS, 1u8..=100), 0..10).prop_map(|v| {
        SkillGraph::new(
            v.into_iter()
                .map(|(a, b, s)| (SkillId(a), SkillId(b), f32::from(s) / 100.0)),
        )
    })
}

/// A whole scoring situation: profile, requirements, graph, and the perspective (with
/// rarity weights, aspirations and opening tags when ranking openings for the person).
#[derive(Debug, Clone)]
struct World {
    profile: Vec<HeldSkill>,
    aspirations: Aspirations,
    requirements: Vec<Requirement>,
    graph: SkillGraph,
    for_person: bool,
    rarity_counts: Vec<u32>,
    tags: OpeningTags,
    mobility: Mobility,
}

fn mobility() -> impl Strategy<Value = Mobility> {
    (
        prop::option::of(1u8..=6),
        any::<bool>(),
        prop::option::of(0u32..2),
        any::<bool>(),
        prop::array::uniform4(any::<bool>()),
    )
        .prop_map(
            |(rank, open_to_step_down, location, open_to_relocation, open_to)| Mobility {
                rank,
                open_to_step_down,
                location,
                open_to_relocation,
                open_to,
            },
        )
}

fn tags() -> impl Strategy<Value = OpeningTags> {
    (
        (prop::option::of(0u32..3), prop::option::of(0u32..3)),
        prop::option::of(1u8..=6),
        prop::option::of(0usize..4),
        prop::option::of(0u32..2),
        any::<bool>(),
    )
        .prop_map(|((p, f), rank, kind, location, remote)| OpeningTags {
            job_profile: p,
            job_family: f,
            rank,
            kind: kind.map(|k| KINDS[k]),
            location,
            remote,
        })
}

fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(held_skill(), 0..7),
        requirements(),
        graph(),
        any::<bool>(),
        prop::collection::vec(0u32..100, SKILLS as usize),
        (tags(), mobility()),
        (
            prop::collection::vec(0u32..3, 0..2),
            prop::collection::vec(0..SKILLS, 0..3),
            prop::collection::vec(0u32..3, 0..2),
        ),
    )
        .prop_map(
            |(
                profile,
                requirements,
                graph,
                for_person,
                rarity_counts,
                (tags, mobility),
                (tp, is, fam),
            )| {
                World {
                    profile,
                    aspirations: Aspirations {
                        target_profiles: tp,
                        interest_skills: is.into_iter().map(SkillId).collect(),
                        interest_families: fam,
                    },
                    requirements,
                    graph,
                    for_person,
                    rarity_counts,
                    tags,
                    mobility,
                }
            },
        )
}

impl World {
    fn score(&self, held: Vec<HeldSkill>) -> u8 {
        let config = MatchConfig::default();
        let rarity = Rarity::from_holder_counts(&self.rarity_counts, 100, &config);
        let ctx = if self.for_person {
            FitContext::openings_for_person(TODAY, &rarity, self.tags)
        } else {
            FitContext::people_for_opening(TODAY)
        };
        let profile = Profile::new(held)
            .with_aspirations(self.aspirations.clone())
            .with_mobility(self.mobility);
        let f = fit(&profile, &self.requirements, &self.graph, &config, &ctx);
        assert_eq!(
            f.points_total(),
            i32::from(f.score),
            "points must add up: {f:#?}"
        );
        assert!(f.score <= 100);
        assert_eq!(f.skill_reasons().count(), self.requirements.len());
        assert_eq!(
            fit_score(&profile, &self.requirements, &self.graph, &config, &ctx),
            f.score
        );
        f.score
    }
}

fn stronger(e: Evidence) -> Vec<Evidence> {
    EVIDENCE.iter().copied().filter(|&x| x >= e).collect()
}

/// The world's profile as stored (one entry per skill), never empty: `first` joins it.
fn held_profile(w: &World, first: HeldSkill) -> Vec<HeldSkill> {
    let mut held = w.profile.clone();
    held.push(first);
    Profile::new(held).skills().to_vec()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_points_add_up_to_a_score_within_0_and_100(w in world()) {
        w.score(w.profile.clone());
    }

    /// The manager's fit only: a person's relevance counts how much of their strengths the
    /// opening uses, so a skill the opening does not ask for lowers that share by design.
    #[test]
    fn adding_a_held_skill_never_lowers_a_fit(w in world(), mut extra in held_skill()) {
        let w = World { for_person: false, ..w };
        // At most 6 of the 8 skills are held: move `extra` to the next skill not held.
        let held = |s: u32| w.profile.iter().any(|h| h.skill == SkillId(s));
        let free = (0..SKILLS).map(|k| (extra.skill.0 + k) % SKILLS).find(|&s| !held(s));
        extra.skill = SkillId(free.expect("a skill not held"));
        let before = w.score(w.profile.clone());
        let mut more = w.profile.clone();
        more.push(extra);
        prop_assert!(w.score(more) >= before);
    }

    #[test]
    fn raising_a_level_never_lowers_a_score(
        w in world(),
        first in held_skill(),
        which in any::<prop::sample::Index>(),
        up in 1u8..=4,
    ) {
        let profile = held_profile(&w, first);
        let before = w.score(profile.clone());
        let mut raised = profile;
        let i = which.index(raised.len());
        raised[i].level = (raised[i].level + up).min(5);
        prop_assert!(w.score(raised) >= before);
    }

    #[test]
    fn stronger_or_fresher_evidence_never_lowers_a_score(
        w in world(),
        first in held_skill(),
        which in any::<prop::sample::Index>(),
        pick in 0usize..4,
        fresher in 0i32..1500,
    ) {
        let profile = held_profile(&w, first);
        let before = w.score(profile.clone());
        let i = which.index(profile.len());
        let options = stronger(profile[i].evidence);
        let mut better = profile;
        better[i].evidence = options[pick % options.len()];
        better[i].confirmed_on_day += fresher;
        prop_assert!(w.score(better) >= before);
    }
}
