//! Mentors and projects for gaps: colleagues at level 4+ who offer mentoring in the skill,
//! and open projects that use it. The caller supplies both lists (from `person_skills` and
//! the open project opportunities); this only chooses.

use serde::Serialize;

use super::config::MatchConfig;
use super::model::{Level, SkillId};

/// A person's holding of a skill, as a possible mentor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MentorCandidate {
    /// The person (dense id).
    pub person: u32,
    /// The skill.
    pub skill: SkillId,
    /// Their level in it.
    pub level: Level,
    /// `person_skills.offers_mentoring`.
    pub offers_mentoring: bool,
}

/// An open project opportunity and the skills it uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectCandidate {
    /// The opening (dense id).
    pub id: u32,
    /// The skills it requires.
    pub skills: Vec<SkillId>,
}

/// The help on offer for one gap skill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GapSupport {
    /// The gap skill.
    pub skill: SkillId,
    /// Mentors: level >= `mentor_min_level`, offering mentoring; highest level first, then
    /// by person id.
    pub mentors: Vec<u32>,
    /// Open projects using the skill, by id.
    pub projects: Vec<u32>,
}

/// For each gap skill (in the order given), at most `per_gap` mentors and projects. The
/// learner is never offered as their own mentor.
pub fn support_for_gaps(
    skills: &[SkillId],
    learner: Option<u32>,
    mentors: &[MentorCandidate],
    projects: &[ProjectCandidate],
    config: &MatchConfig,
    per_gap: usize,
) -> Vec<GapSupport> {
    skills
        .iter()
        .map(|&skill| {
            let mut ms: Vec<&MentorCandidate> = mentors
                .iter()
                .filter(|m| {
                    m.skill == skill
                        && m.offers_mentoring
                        && m.level >= config.mentor_min_level
                        && Some(m.person) != learner
                })
                .collect();
            ms.sort_by(|a, b| b.level.cmp(&a.level).then(a.person.cmp(&b.person)));
            let mut mentors: Vec<u32> = ms.iter().map(|m| m.person).collect();
            mentors.dedup();
            mentors.truncate(per_gap);
            let mut projects: Vec<u32> = projects
                .iter()
                .filter(|p| p.skills.contains(&skill))
                .map(|p| p.id)
                .collect();
            projects.sort_unstable();
            projects.dedup();
            projects.truncate(per_gap);
            GapSupport {
                skill,
                mentors,
                projects,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentors_are_proficient_volunteers_and_projects_use_the_skill() {
        let sql = SkillId(1);
        let go = SkillId(2);
        let m = |person, skill, level, offers_mentoring| MentorCandidate {
            person,
            skill,
            level,
            offers_mentoring,
        };
        let mentors = [
            m(10, sql, 4, true),
            m(11, sql, 5, true),
            m(12, sql, 3, true),  // not proficient
            m(13, sql, 5, false), // does not offer
            m(14, go, 4, true),
            m(99, sql, 5, true), // the learner
        ];
        let projects = [
            ProjectCandidate {
                id: 7,
                skills: vec![sql, go],
            },
            ProjectCandidate {
                id: 3,
                skills: vec![sql],
            },
            ProjectCandidate {
                id: 5,
                skills: vec![go],
            },
        ];
        let got = support_for_gaps(
            &[sql, SkillId(9)],
            Some(99),
            &mentors,
            &projects,
            &MatchConfig::default(),
            5,
        );
        assert_eq!(
            got[0],
            GapSupport {
                skill: sql,
                mentors: vec![11, 10],
                projects: vec![3, 7]
            }
        );
        assert_eq!(
            got[1],
            GapSupport {
                skill: SkillId(9),
                mentors: vec![],
                projects: vec![]
            }
        );
    }
}
