//! Tests of the matching engine, shared builders first.

mod example;
mod fit_tests;
mod index_tests;
mod learning_tests;
mod perf;
mod perspective_tests;
mod props;
mod relevance_tests;

use super::{Evidence, Fit, HeldSkill, IdNames, Importance, Requirement, SkillId, SkillReason};

/// "Today" in the tests: 2024-10-04 as days since 1970-01-01.
pub(super) const TODAY: i32 = 20_000;

pub(super) fn held(skill: u32, level: u8, evidence: Evidence) -> HeldSkill {
    HeldSkill {
        skill: SkillId(skill),
        level,
        evidence,
        confirmed_on_day: TODAY - 30,
    }
}

pub(super) fn held_on(skill: u32, level: u8, evidence: Evidence, day: i32) -> HeldSkill {
    HeldSkill {
        skill: SkillId(skill),
        level,
        evidence,
        confirmed_on_day: day,
    }
}

pub(super) fn req(skill: u32, level: u8, importance: Importance) -> Requirement {
    Requirement {
        skill: SkillId(skill),
        level,
        importance,
    }
}

pub(super) const EVIDENCE: [Evidence; 4] = [
    Evidence::SelfAssessed,
    Evidence::CourseCompleted,
    Evidence::ManagerValidated,
    Evidence::Assessed,
];

pub(super) const IMPORTANCE: [Importance; 3] = [
    Importance::Essential,
    Importance::Important,
    Importance::NiceToHave,
];

pub(super) fn only_skill(f: &Fit) -> &SkillReason {
    f.skill_reasons().next().expect("a skill reason")
}

pub(super) fn assert_adds_up(f: &Fit) {
    assert_eq!(f.points_total(), i32::from(f.score), "{f:#?}");
}
