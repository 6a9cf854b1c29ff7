//! The index against brute force: talent search and recommendations must equal ranking
//! everyone by `fit`, on random small worlds, before and after updates.

use std::cmp::Reverse;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::matching::{
    fit, is_unasked_step_down, Aspirations, FitContext, HeldSkill, MatchConfig, MatchIndex,
    Mobility, OpeningEntry, OpeningFilter, OpeningId, OpeningKind, OpeningTags, PersonEntry,
    PersonId, PersonStatus, Profile, Ranked, Rarity, SkillGraph, TalentFilter,
};

const SKILLS: u32 = 10;
const KINDS: [OpeningKind; 4] = [
    OpeningKind::Role,
    OpeningKind::Secondment,
    OpeningKind::Project,
    OpeningKind::Mentorship,
];

fn random_person(rng: &mut ChaCha8Rng) -> PersonEntry {
    let n = rng.gen_range(0..6);
    let skills = (0..n)
        .map(|_| HeldSkill {
            skill: SkillId(rng.gen_range(0..SKILLS)),
            level: rng.gen_range(1..=5),
            evidence: EVIDENCE[rng.gen_range(0..4)],
            confirmed_on_day: TODAY - rng.gen_range(0..1200),
        })
        .collect();
    let aspirations = if rng.gen_bool(0.3) {
        Aspirations {
            target_profiles: vec![rng.gen_range(0..3)],
            interest_skills: vec![SkillId(rng.gen_range(0..SKILLS))],
            interest_families: vec![rng.gen_range(0..2)],
        }
    } else {
        Aspirations::default()
    };
    let mobility = Mobility {
        rank: rng.gen_bool(0.7).then(|| rng.gen_range(1..=6)),
        open_to_step_down: rng.gen_bool(0.2),
        location: Some(rng.gen_range(0..3)),
        open_to_relocation: rng.gen_bool(0.5),
        open_to: [true, rng.gen_bool(0.5), rng.gen_bool(0.8), true],
    };
    PersonEntry {
        profile: Profile::new(skills)
            .with_aspirations(aspirations)
            .with_mobility(mobility),
        status: PersonStatus {
            active: rng.gen_bool(0.9),
            discoverable: rng.gen_bool(0.9),
            role_started_on_day: TODAY - rng.gen_range(0..800),
        },
    }
}

fn random_opening(rng: &mut ChaCha8Rng, people: u32) -> OpeningEntry {
    let n = rng.gen_range(0..6);
    let kind = KINDS[rng.gen_range(0..4)];
    OpeningEntry {
        requirements: (0..n)
            .map(|_| {
                req(
                    rng.gen_range(0..SKILLS),
                    rng.gen_range(1..=5),
                    IMPORTANCE[rng.gen_range(0..3)],
                )
            })
            .collect(),
        owner: PersonId(rng.gen_range(0..people)),
        kind,
        tags: OpeningTags {
            job_profile: rng.gen_bool(0.6).then(|| rng.gen_range(0..3)),
            job_family: rng.gen_bool(0.6).then(|| rng.gen_range(0..2)),
            rank: rng.gen_bool(0.7).then(|| rng.gen_range(1..=6)),
            kind: Some(kind),
            location: Some(rng.gen_range(0..3)),
            remote: rng.gen_bool(0.2),
        },
    }
}

fn random_world(seed: u64) -> (MatchIndex, ChaCha8Rng) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut people = Vec::new();
    for i in 0..40 {
        if rng.gen_bool(0.9) {
            people.push((PersonId(i), random_person(&mut rng)));
        }
    }
    let openings: Vec<_> = (0..14)
        .map(|i| (OpeningId(i), random_opening(&mut rng, 40)))
        .collect();
    let edges: Vec<_> = (0..8)
        .map(|_| {
            (
                SkillId(rng.gen_range(0..SKILLS)),
                SkillId(rng.gen_range(0..SKILLS)),
                rng.gen_range(0.1..1.0),
            )
        })
        .collect();
    (
        MatchIndex::build(
            SkillGraph::new(edges),
            MatchConfig::default(),
            people,
            openings,
        ),
        rng,
    )
}

fn brute_talent(
    index: &MatchIndex,
    opening: OpeningId,
    k: usize,
    filter: &TalentFilter,
) -> Vec<(u32, u8)> {
    let o = index.opening(opening).unwrap();
    let ctx = FitContext::people_for_opening(TODAY);
    let mut all: Vec<(u32, u8)> = (0..index.people.len() as u32)
        .filter_map(|p| {
            let e = index.person(PersonId(p))?;
            (PersonId(p) != o.owner && filter.allows(PersonId(p), &e.status)).then(|| {
                (
                    p,
                    fit(
                        &e.profile,
                        &o.requirements,
                        index.graph(),
                        index.config(),
                        &ctx,
                    )
                    .score,
                )
            })
        })
        .collect();
    all.sort_by_key(|&(p, s)| (Reverse(s), p));
    all.truncate(k);
    all
}

fn brute_recommendations(
    index: &MatchIndex,
    person: PersonId,
    k: usize,
    filter: &OpeningFilter,
) -> Vec<(u32, u8)> {
    let profile = &index.person(person).unwrap().profile;
    let mut all: Vec<(u32, u8, bool)> = (0..index.openings.len() as u32)
        .filter_map(|o| {
            let e = index.opening(OpeningId(o))?;
            let ok = e.owner != person
                && filter.kinds.is_none_or(|ks| ks.contains(&e.kind))
                && !filter.exclude.contains(&OpeningId(o))
                && filter.extra.is_none_or(|f| f(OpeningId(o)));
            let ctx = FitContext::openings_for_person(TODAY, index.rarity(), e.tags);
            ok.then(|| {
                (
                    o,
                    fit(
                        profile,
                        &e.requirements,
                        index.graph(),
                        index.config(),
                        &ctx,
                    )
                    .score,
                    is_unasked_step_down(profile, &e.tags),
                )
            })
        })
        .collect();
    // Above 0, a step down the person has not asked for comes after every other opening.
    all.sort_by_key(|&(o, s, down)| (s == 0, down && s > 0, Reverse(s), o));
    all.truncate(k);
    all.into_iter().map(|(o, s, _)| (o, s)).collect()
}

fn pairs<Id: Copy>(r: &[Ranked<Id>], id: impl Fn(Id) -> u32) -> Vec<(u32, u8)> {
    r.iter().map(|x| (id(x.id), x.fit.score)).collect()
}

fn assert_matches_brute_force(index: &MatchIndex) {
    let even = |p: PersonId| p.0.is_multiple_of(2);
    let exclude = [PersonId(3), PersonId(4)];
    let talent_filters = [
        TalentFilter::default(),
        TalentFilter::for_kind(OpeningKind::Role, TODAY, 12),
        TalentFilter {
            include_inactive: true,
            include_undiscoverable: true,
            exclude: &exclude,
            extra: Some(&even),
            ..Default::default()
        },
    ];
    for o in (0..index.openings.len() as u32).map(OpeningId) {
        if index.opening(o).is_none() {
            assert!(index
                .talent_search(o, 5, &TalentFilter::default(), TODAY)
                .is_none());
            continue;
        }
        for filter in &talent_filters {
            for k in [1, 3, 10, 100] {
                let got = index.talent_search(o, k, filter, TODAY).unwrap();
                assert_eq!(
                    pairs(&got, |p: PersonId| p.0),
                    brute_talent(index, o, k, filter),
                    "opening {o:?}, k {k}"
                );
                for r in &got {
                    assert_eq!(r.fit.points_total(), i32::from(r.fit.score));
                }
            }
        }
    }
    let roles = [OpeningKind::Role, OpeningKind::Project];
    let odd = |o: OpeningId| !o.0.is_multiple_of(2);
    let skip = [OpeningId(1)];
    let opening_filters = [
        OpeningFilter::default(),
        OpeningFilter {
            kinds: Some(&roles),
            exclude: &skip,
            extra: Some(&odd),
        },
    ];
    for p in (0..index.people.len() as u32).map(PersonId) {
        if index.person(p).is_none() {
            continue;
        }
        for filter in &opening_filters {
            for k in [1, 4, 50] {
                let got = index.recommendations(p, k, filter, TODAY).unwrap();
                assert_eq!(
                    pairs(&got, |o: OpeningId| o.0),
                    brute_recommendations(index, p, k, filter),
                    "person {p:?}, k {k}"
                );
            }
        }
    }
}

/// The postings and rarity equal those of an index built from scratch with the same data.
fn assert_same_as_rebuilt(index: &MatchIndex) {
    let people: Vec<_> = (0..index.people.len() as u32)
        .filter_map(|p| index.person(PersonId(p)).map(|e| (PersonId(p), e.clone())))
        .collect();
    let openings: Vec<_> = (0..index.openings.len() as u32)
        .filter_map(|o| {
            index
                .opening(OpeningId(o))
                .map(|e| (OpeningId(o), e.clone()))
        })
        .collect();
    let rebuilt = MatchIndex::build(
        index.graph().clone(),
        index.config().clone(),
        people,
        openings,
    );
    let trim = |v: &Vec<Vec<u32>>| {
        v.iter()
            .filter(|&l| !l.is_empty())
            .cloned()
            .collect::<Vec<_>>()
    };
    let holders = |i: &MatchIndex| {
        i.holders
            .iter()
            .enumerate()
            .flat_map(|(s, l)| l.iter().map(move |h| (s, *h)))
            .map(|(s, h)| (s, h.person, h.level))
            .collect::<Vec<_>>()
    };
    assert_eq!(holders(index), holders(&rebuilt));
    assert_eq!(trim(&index.demand), trim(&rebuilt.demand));
    let weights = |r: &Rarity| {
        (0..SKILLS)
            .map(|s| r.weight(SkillId(s)))
            .collect::<Vec<_>>()
    };
    assert_eq!(weights(index.rarity()), weights(rebuilt.rarity()));
    assert_eq!(
        (index.person_count(), index.opening_count()),
        (rebuilt.person_count(), rebuilt.opening_count())
    );
}

#[test]
fn talent_search_and_recommendations_equal_brute_force_on_random_worlds() {
    for seed in 0..12 {
        let (index, _) = random_world(seed);
        assert_matches_brute_force(&index);
    }
}

#[test]
fn they_stay_equal_to_brute_force_after_upserts_and_removals() {
    for seed in 100..106 {
        let (mut index, mut rng) = random_world(seed);
        for _ in 0..4 {
            for _ in 0..10 {
                match rng.gen_range(0..4) {
                    0 => {
                        let p = PersonId(rng.gen_range(0..45));
                        let e = random_person(&mut rng);
                        index.upsert_person(p, e);
                    }
                    1 => {
                        index.remove_person(PersonId(rng.gen_range(0..45)));
                    }
                    2 => {
                        let o = OpeningId(rng.gen_range(0..16));
                        let e = random_opening(&mut rng, 45);
                        index.upsert_opening(o, e);
                    }
                    _ => {
                        index.remove_opening(OpeningId(rng.gen_range(0..16)));
                    }
                }
            }
            assert_same_as_rebuilt(&index);
            assert_matches_brute_force(&index);
        }
    }
}

#[test]
fn a_changed_profile_shows_in_the_next_search() {
    let (mut index, _) = random_world(7);
    let o = OpeningId(0);
    let opening = index.opening(o).unwrap().clone();
    let star = PersonId(41);
    let mut entry = random_person(&mut ChaCha8Rng::seed_from_u64(1));
    entry.status.active = true;
    entry.status.discoverable = true;
    entry.profile = Profile::new(
        opening
            .requirements
            .iter()
            .map(|r| held(r.skill.0, 5, crate::matching::Evidence::Assessed))
            .collect(),
    );
    index.upsert_person(star, entry);
    let top = index
        .talent_search(o, 1, &TalentFilter::default(), TODAY)
        .unwrap();
    let want = if opening.requirements.is_empty() {
        0
    } else {
        100
    };
    assert_eq!(top[0].fit.score, want);
    if want == 100 {
        assert!(top[0].id == star || top[0].id.0 < star.0);
    }
    index.remove_person(star);
    let after = index
        .talent_search(o, 50, &TalentFilter::default(), TODAY)
        .unwrap();
    assert!(after.iter().all(|r| r.id != star));
}

#[test]
fn the_owner_and_opted_out_people_never_appear_in_talent_search() {
    let (index, _) = random_world(3);
    for o in (0..14).map(OpeningId) {
        let owner = index.opening(o).unwrap().owner;
        for r in index
            .talent_search(o, 100, &TalentFilter::default(), TODAY)
            .unwrap()
        {
            assert_ne!(r.id, owner);
            assert!(index.person(r.id).unwrap().status.discoverable);
        }
    }
}

#[test]
fn the_index_and_the_catalogue_can_be_shared_across_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<MatchIndex>();
    shareable::<crate::matching::CourseCatalog>();
    shareable::<MatchConfig>();
}
