//! The demo company tells the truth, checked as distributions on the default demo (2,000
//! people, seed 42) and the small one: skills as common as in a real company, a level pyramid
//! under the manager tree, events spread over every recent month, and stored fits that are
//! the engine's.

use std::sync::LazyLock;

use super::SMALL;
use crate::demo::market::AppStatus;
use crate::demo::model::Model;
use crate::demo::random::Day;
use crate::demo::timeline::MoveKind;
use crate::demo::Progress;
use crate::matching::{fit_score, FitContext, MatchConfig, SkillGraph, SkillId};

/// The company `trellis demo` makes by default.
static DEFAULT: LazyLock<Model> = LazyLock::new(|| Model::build(2000, 42, &Progress::hidden()));

fn skill(m: &Model, name: &str) -> u32 {
    m.taxonomy
        .skills
        .iter()
        .position(|s| s.def.name == name)
        .unwrap_or_else(|| panic!("no skill {name}")) as u32
}

/// The share of the active people of `family` who hold `name`.
fn share_in_family(m: &Model, family: &str, name: &str) -> f64 {
    let (t, org) = (&m.taxonomy, &m.org);
    let f = t.family_named(family).unwrap();
    let s = skill(m, name);
    let people: Vec<u32> = org
        .active_people()
        .filter(|&p| t.family_of(org.people[p as usize].profile) == f)
        .collect();
    let holders = people
        .iter()
        .filter(|&&p| m.profiles.level(p, s) > 0)
        .count();
    holders as f64 / people.len() as f64
}

#[test]
fn core_technologies_are_as_common_as_in_a_real_company() {
    for m in [&*DEFAULT, &*SMALL] {
        let eng = |name| share_in_family(m, "Engineering", name);
        let git = eng("tools for software configuration management");
        assert!(git >= 0.75, "Git among engineers: {git:.2}");
        for name in ["SQL", "Python (computer programming)", "JavaScript"] {
            let share = eng(name);
            assert!(
                (0.25..=0.9).contains(&share),
                "{name} among engineers: {share:.2}"
            );
        }
        let cloud = eng("develop with cloud services").max(eng("cloud technologies"));
        assert!(cloud >= 0.3, "cloud among engineers: {cloud:.2}");
        let data = |name| share_in_family(m, "Data & Analytics", name);
        assert!(
            data("SQL") >= 0.75,
            "SQL among data people: {:.2}",
            data("SQL")
        );
        let python = data("Python (computer programming)");
        assert!(python >= 0.5, "Python among data people: {python:.2}");
        // General skills beyond any one family.
        let collaboration = skill(m, "use communication and collaboration software");
        let holders = m
            .org
            .active_people()
            .filter(|&p| m.profiles.level(p, collaboration) > 0)
            .count() as f64;
        assert!(holders / f64::from(m.org.active) >= 0.4);
    }
    // The levels follow the job level: a staff engineer's SQL above an associate's.
    let (t, org) = (&DEFAULT.taxonomy, &DEFAULT.org);
    let sql = skill(&DEFAULT, "SQL");
    let eng = t.family_named("Engineering").unwrap();
    let mean_at = |level: u32| {
        let levels: Vec<f64> = org
            .active_people()
            .filter(|&p| org.people[p as usize].profile == t.profile(eng, level))
            .map(|p| f64::from(DEFAULT.profiles.level(p, sql)))
            .filter(|&l| l > 0.0)
            .collect();
        levels.iter().sum::<f64>() / levels.len() as f64
    };
    assert!(
        mean_at(3) >= mean_at(0) + 1.0,
        "{} vs {}",
        mean_at(3),
        mean_at(0)
    );
}

#[test]
fn levels_form_a_pyramid_and_nobody_outranks_their_manager() {
    for m in [&*DEFAULT, &*SMALL] {
        let (t, org) = (&m.taxonomy, &m.org);
        let mut ics = [0usize; 6];
        for p in org.active_people() {
            let person = &org.people[p as usize];
            let level = t.level_of(person.profile) as usize;
            if level < 6 {
                ics[level] += 1;
            }
            if let Some(manager) = person.manager {
                let (mine, theirs) = (
                    t.rank_of(person.profile),
                    t.rank_of(org.people[manager as usize].profile),
                );
                assert!(
                    mine <= theirs,
                    "{} ({}) reports to {} ({})",
                    org.name(p),
                    t.profiles[person.profile as usize].title,
                    org.name(manager),
                    t.profiles[org.people[manager as usize].profile as usize].title
                );
            }
        }
        let total: usize = ics.iter().sum();
        let share = |i: usize| ics[i] as f64 / total as f64;
        assert!(share(0) + share(1) + share(2) >= 0.65, "{ics:?}");
        assert!(share(1) > share(3) && share(3) > share(4), "{ics:?}");
        assert!(share(4) + share(5) <= 0.1, "{ics:?}");
        assert!(share(5) <= 0.025, "distinguished: {ics:?}");
    }
}

/// Counts per 30-day month of the last twelve (index 0: the last 30 days).
fn by_month(days: impl Iterator<Item = Day>) -> [usize; 12] {
    let mut months = [0; 12];
    for d in days.filter(|d| d.0 < 0) {
        let k = ((-d.0 - 1) / 30) as usize;
        if k < 12 {
            months[k] += 1;
        }
    }
    months
}

fn assert_spread(what: &str, months: [usize; 12], bound: bool) {
    assert!(months.iter().all(|&n| n > 0), "{what}: {months:?}");
    if bound {
        let mean = months.iter().sum::<usize>() as f64 / 12.0;
        let max = *months.iter().max().unwrap() as f64;
        assert!(max <= 2.0 * mean, "{what}: {months:?}, mean {mean:.1}");
    }
}

#[test]
fn applications_and_moves_happen_in_every_recent_month() {
    for (m, bound) in [(&*DEFAULT, true), (&*SMALL, false)] {
        let applied = by_month(m.market.applications.iter().map(|a| a.submitted.day()));
        assert_spread("applications", applied, bound);
        let moved = by_month(
            m.moves
                .iter()
                .filter(|v| v.kind != MoveKind::Leaver)
                .map(|v| v.effective),
        );
        assert_spread("moves", moved, bound);
        let enrolled = by_month(m.learning.enrolments.iter().map(|e| e.enrolled.day()));
        assert_spread("enrolments", enrolled, bound);
        let talked = by_month(m.social.conversations.iter().map(|c| c.held));
        assert_spread("conversations", talked, bound);
    }
}

#[test]
fn the_stored_fit_is_the_engines_fit_on_the_day_of_applying() {
    let config = MatchConfig::default();
    for m in [&*DEFAULT, &*SMALL] {
        let t = &m.taxonomy;
        let graph = SkillGraph::new(
            t.relations
                .iter()
                .map(|r| (SkillId(r.skill), SkillId(r.related), r.strength as f32)),
        );
        let mut by_status: Vec<(AppStatus, u8)> = Vec::new();
        for a in &m.market.applications {
            let asked: Vec<_> = m
                .market
                .skills
                .iter()
                .filter(|s| s.opportunity == a.opportunity)
                .map(crate::demo::fitting::requirement)
                .collect();
            let profile = crate::demo::fitting::profile(m.profiles.of(a.applicant));
            let ctx = FitContext::people_for_opening(a.submitted.day().0);
            let engine = fit_score(&profile, &asked, &graph, &config, &ctx);
            assert_eq!(a.fit, engine, "application {}", a.id);
            by_status.push((a.status, a.fit));
        }
        // Not a draw by stage: the fits vary, and some applicants are far from the opening.
        let low = by_status.iter().filter(|(_, f)| *f < 40).count();
        let high = by_status.iter().filter(|(_, f)| *f >= 70).count();
        assert!(low > 0 && high > 0, "{low} low, {high} high");
    }
}

#[test]
fn screening_answers_answer_their_question() {
    use crate::demo::texts::answers_to;
    let m = &*DEFAULT;
    assert!(!m.market.answers.is_empty());
    for a in &m.market.answers {
        let prompt = m.market.questions[a.question as usize].prompt;
        assert!(
            answers_to(prompt).contains(&a.answer),
            "{prompt} -> {}",
            a.answer
        );
    }
    let start = crate::demo::texts::QUESTIONS
        .iter()
        .position(|q| q.starts_with("When could you start"))
        .unwrap();
    assert!(answers_to(crate::demo::texts::QUESTIONS[start])
        .iter()
        .all(|a| a.contains("week")));
}

#[test]
fn team_names_do_not_repeat_a_word() {
    let big = Model::build(20_000, 42, &Progress::hidden());
    for d in big.org.departments.iter().filter(|d| d.parent.is_some()) {
        let team = d.name.rsplit(" · ").next().unwrap();
        let words: Vec<&str> = team.split(' ').collect();
        let distinct: std::collections::HashSet<&str> = words.iter().copied().collect();
        assert_eq!(distinct.len(), words.len(), "{}", d.name);
    }
}
