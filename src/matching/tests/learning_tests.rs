//! Learning paths: hand-made cases, then the exact search against brute force on small
//! random catalogues.

use proptest::prelude::*;

use super::*;
use crate::matching::{
    learning_path, order_by_impact, weeks_to_ready, what_if, Course, CourseCatalog, CourseSkill,
    FitContext, Gap, LearningPath, MatchConfig, Profile, Raise, SkillGraph,
};

/// A course from (skill, entry level, target level) triples.
pub(super) fn course(id: u32, hours: f32, skills: &[(u32, u8, u8)]) -> Course {
    Course {
        id,
        hours,
        skills: skills
            .iter()
            .map(|&(s, entry_level, target_level)| CourseSkill {
                skill: SkillId(s),
                entry_level,
                target_level,
            })
            .collect(),
    }
}

fn gap(skill: u32, have: u8, need: u8) -> Gap {
    Gap {
        skill: SkillId(skill),
        have,
        need,
    }
}

fn path(gaps: &[Gap], courses: Vec<Course>) -> LearningPath {
    learning_path(gaps, &CourseCatalog::new(courses), &MatchConfig::default())
}

fn ids(p: &LearningPath) -> Vec<u32> {
    p.steps.iter().map(|s| s.course).collect()
}

#[test]
fn a_chain_of_courses_respects_entry_levels() {
    let p = path(
        &[gap(0, 0, 4)],
        vec![
            course(1, 10.0, &[(0, 2, 4)]),
            course(2, 5.0, &[(0, 0, 2)]),
            course(3, 40.0, &[(0, 0, 4)]),
        ],
    );
    assert_eq!(
        ids(&p),
        vec![2, 1],
        "basics first, then the advanced course"
    );
    assert_eq!(p.total_hours, 15.0);
    assert_eq!(
        p.steps[1].raises,
        vec![Raise {
            skill: SkillId(0),
            from: 2,
            to: 4
        }]
    );
    assert_eq!(
        (p.closed.clone(), p.unclosable.clone(), p.exact),
        (vec![SkillId(0)], vec![], true)
    );
}

#[test]
fn one_course_covering_two_gaps_beats_two_cheaper_separate_courses() {
    let p = path(
        &[gap(0, 1, 3), gap(1, 0, 2)],
        vec![
            course(1, 8.0, &[(0, 1, 3)]),
            course(2, 8.0, &[(1, 0, 2)]),
            course(3, 12.0, &[(0, 0, 3), (1, 0, 2)]),
        ],
    );
    assert_eq!((ids(&p), p.total_hours), (vec![3], 12.0));
}

#[test]
fn a_gap_no_course_reaches_is_unclosable_and_the_others_are_still_closed() {
    let p = path(
        &[gap(0, 0, 5), gap(1, 1, 2), gap(2, 0, 3)],
        vec![
            course(1, 8.0, &[(0, 0, 3)]),
            course(2, 4.0, &[(1, 0, 2)]),
            course(3, 3.0, &[(0, 4, 5)]),
        ],
    );
    assert_eq!(ids(&p), vec![2]);
    assert_eq!(p.closed, vec![SkillId(1)]);
    assert_eq!(p.unclosable, vec![gap(0, 0, 5), gap(2, 0, 3)]);
}

#[test]
fn a_course_is_taken_once_even_when_retaking_it_would_help() {
    // Skill 0 needs course 1 then course 2; skill 1 needs course 2 then course 1.
    let p = path(
        &[gap(0, 0, 2), gap(1, 0, 2)],
        vec![
            course(1, 5.0, &[(0, 0, 1), (1, 1, 2)]),
            course(2, 7.0, &[(0, 1, 2), (1, 0, 1)]),
        ],
    );
    assert_eq!(p.closed.len(), 1, "no order of the two courses closes both");
    assert_eq!(p.total_hours, 12.0);
    assert_eq!(p.unclosable.len(), 1);
}

#[test]
fn courses_for_skills_that_are_not_gaps_are_ignored_and_duplicates_merge() {
    let p = path(
        &[gap(0, 0, 2), gap(0, 1, 3), gap(1, 3, 3)],
        vec![course(1, 1.0, &[(9, 0, 5)]), course(2, 6.5, &[(0, 0, 3)])],
    );
    assert_eq!(
        (ids(&p), p.total_hours, p.closed.clone()),
        (vec![2], 6.5, vec![SkillId(0)])
    );
}

#[test]
fn weeks_to_ready_rounds_up_whole_weeks() {
    assert_eq!(weeks_to_ready(52.0, 4.0), Some(13));
    assert_eq!(weeks_to_ready(53.0, 4.0), Some(14));
    assert_eq!(weeks_to_ready(0.3, 0.1), Some(3));
    assert_eq!(weeks_to_ready(0.0, 0.0), Some(0));
    assert_eq!(weeks_to_ready(10.0, 0.0), None);
}

/// Brute force: every sequence of distinct courses, simulated with the per-skill rule; the
/// most gaps closed, then the fewest hours (in tenths).
fn brute_force(gaps: &[Gap], courses: &[Course]) -> (usize, u64) {
    fn go(
        levels: &mut Vec<u8>,
        used: &mut Vec<bool>,
        cost: u64,
        gaps: &[Gap],
        courses: &[Course],
        best: &mut (usize, u64),
    ) {
        let closed = gaps
            .iter()
            .zip(levels.iter())
            .filter(|(g, &l)| l >= g.need)
            .count();
        if closed > best.0 || (closed == best.0 && cost < best.1) {
            *best = (closed, cost);
        }
        for c in 0..courses.len() {
            if used[c] {
                continue;
            }
            let saved = levels.clone();
            for cs in &courses[c].skills {
                if let Some(g) = gaps.iter().position(|g| g.skill == cs.skill) {
                    if levels[g] >= cs.entry_level && levels[g] < cs.target_level {
                        levels[g] = cs.target_level;
                    }
                }
            }
            used[c] = true;
            go(
                levels,
                used,
                cost + (courses[c].hours * 10.0).round() as u64,
                gaps,
                courses,
                best,
            );
            used[c] = false;
            *levels = saved;
        }
    }
    let mut levels: Vec<u8> = gaps.iter().map(|g| g.have).collect();
    let mut best = (0, u64::MAX);
    go(
        &mut levels,
        &mut vec![false; courses.len()],
        0,
        gaps,
        courses,
        &mut best,
    );
    best
}

/// Replays a path: every step must raise a gap skill, the closed gaps must be reached.
fn check_valid(gaps: &[Gap], courses: &[Course], p: &LearningPath) {
    let mut levels: Vec<u8> = gaps.iter().map(|g| g.have).collect();
    let mut seen = Vec::new();
    for step in &p.steps {
        assert!(!seen.contains(&step.course), "a course taken twice: {p:?}");
        seen.push(step.course);
        let c = courses
            .iter()
            .find(|c| c.id == step.course)
            .expect("a catalogue course");
        let mut raised = false;
        for cs in &c.skills {
            if let Some(g) = gaps.iter().position(|g| g.skill == cs.skill) {
                if levels[g] >= cs.entry_level && levels[g] < cs.target_level {
                    levels[g] = cs.target_level;
                    raised = true;
                }
            }
        }
        assert!(raised, "step {} raises nothing: {p:?}", step.course);
    }
    for (g, l) in gaps.iter().zip(&levels) {
        assert_eq!(p.closed.contains(&g.skill), *l >= g.need, "{p:?}");
    }
}

fn catalogue() -> impl Strategy<Value = (Vec<Gap>, Vec<Course>)> {
    let gaps = prop::collection::vec((0u8..4, 1u8..=4), 1..=4).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (have, up))| gap(i as u32, have, (have + up).min(5)))
            .collect::<Vec<_>>()
    });
    // Skills 0..=3 may be gaps, skill 4 never is; entry levels lean low, as in catalogues.
    let entry = prop_oneof![Just(0u8), 0u8..4];
    let course_skill =
        (0u32..5, entry, 1u8..=4).prop_map(|(s, entry, up)| (s, entry, (entry + up).min(5)));
    let courses = prop::collection::vec(
        (1u32..200, prop::collection::vec(course_skill, 1..=3)),
        1..=7,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (tenths, mut skills))| {
                skills.sort_by_key(|s| s.0);
                skills.dedup_by_key(|s| s.0);
                course(i as u32 + 100, tenths as f32 / 10.0, &skills)
            })
            .collect::<Vec<_>>()
    });
    (gaps, courses)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn the_path_closes_as_many_gaps_with_as_few_hours_as_brute_force((gaps, courses) in catalogue()) {
        let p = path(&gaps, courses.clone());
        check_valid(&gaps, &courses, &p);
        let (closed, tenths) = brute_force(&gaps, &courses);
        prop_assert!(p.exact);
        prop_assert_eq!(p.closed.len(), closed, "{:?}", p);
        prop_assert_eq!((p.total_hours * 10.0).round() as u64, tenths, "{:?}", p);
        prop_assert_eq!(p.closed.len() + p.unclosable.len(), gaps.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn ordering_a_path_by_impact_keeps_it_valid_and_ending_at_the_same_score(
        (gaps, courses) in catalogue(),
        evidence in 0usize..4,
    ) {
        let config = MatchConfig::default();
        let catalog = CourseCatalog::new(courses.clone());
        let plan = learning_path(&gaps, &catalog, &config);
        let profile = Profile::new(
            gaps.iter().filter(|g| g.have > 0).map(|g| held(g.skill.0, g.have, EVIDENCE[evidence])).collect(),
        );
        let reqs: Vec<_> = gaps.iter().enumerate().map(|(i, g)| req(g.skill.0, g.need, IMPORTANCE[i % 3])).collect();
        let ctx = FitContext::people_for_opening(TODAY);
        let graph = SkillGraph::empty();
        let ordered = order_by_impact(&profile, &reqs, &graph, &config, &ctx, &plan, &catalog);
        check_valid(&gaps, &courses, &ordered);
        let mut a = ids(&plan);
        let mut b = ids(&ordered);
        a.sort_unstable();
        b.sort_unstable();
        prop_assert_eq!(a, b);
        let before = what_if(&profile, &reqs, &graph, &config, &ctx, &plan);
        let after = what_if(&profile, &reqs, &graph, &config, &ctx, &ordered);
        prop_assert_eq!(before.after, after.after);
        prop_assert!(after.steps.first().map(|s| s.after) >= before.steps.first().map(|s| s.after));
        for pair in after.steps.windows(2) {
            prop_assert_eq!(pair[0].after, pair[1].before);
        }
    }
}

#[test]
fn a_search_too_large_for_the_budget_falls_back_to_a_valid_greedy_path() {
    let gaps = [gap(0, 0, 4), gap(1, 0, 3)];
    let courses = vec![
        course(1, 5.0, &[(0, 0, 2)]),
        course(2, 5.0, &[(0, 2, 4), (1, 0, 1)]),
        course(3, 9.0, &[(1, 1, 3)]),
        course(4, 30.0, &[(0, 0, 4), (1, 0, 3)]),
    ];
    let config = MatchConfig {
        learning_max_states: 1,
        ..MatchConfig::default()
    };
    let p = learning_path(&gaps, &CourseCatalog::new(courses.clone()), &config);
    assert!(!p.exact);
    check_valid(&gaps, &courses, &p);
    assert_eq!(p.closed.len(), 2);
    let exact = path(&gaps, courses);
    assert!(exact.exact);
    assert_eq!(exact.total_hours, 19.0);
}
