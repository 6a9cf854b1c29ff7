//! The posting form as typed: raw strings kept for re-rendering, turned into a
//! [`PostingInput`] with a message per field.

use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::skill_suggestions::{self as suggestions, Suggestion};
use crate::domain::params::parse_date;
use crate::domain::posting::{PostingInput, Question, SkillRequirement};
use crate::error::{AppError, FieldError, Result};

/// A required-skill row.
#[derive(Debug, Clone, Default)]
pub struct SkillRow {
    pub name: String,
    pub level: String,
    pub importance: String,
}

/// A question row.
#[derive(Debug, Clone, Default)]
pub struct QuestionRow {
    pub prompt: String,
    pub required: bool,
}

/// Everything on the form, as typed.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    pub kind: String,
    pub title: String,
    pub description: String,
    pub department_id: String,
    pub job_profile_id: String,
    pub location_id: String,
    pub work_mode: String,
    pub positions: String,
    pub closes_on: String,
    pub hours_per_week: String,
    pub duration_weeks: String,
    pub start_date: String,
    pub end_date: String,
    pub return_guaranteed: bool,
    pub questions: Vec<QuestionRow>,
    pub skills: Vec<SkillRow>,
    /// Which button was pressed: `suggest`, `save` or `publish`.
    pub action: String,
    pub errors: Vec<FieldError>,
}

/// The end of the message for a typed skill the taxonomy does not know.
const NOT_A_SKILL: &str = " is not a skill in the taxonomy";

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

impl FormState {
    /// A blank role form.
    pub fn blank() -> FormState {
        let mut f = FormState {
            kind: "role".into(),
            work_mode: "hybrid".into(),
            positions: "1".into(),
            ..FormState::default()
        };
        f.pad();
        f
    }

    /// Always offer a few empty rows.
    pub fn pad(&mut self) {
        self.skills.retain(|s| !s.name.trim().is_empty());
        self.skills.extend((0..3).map(|_| SkillRow {
            level: "3".into(),
            importance: "important".into(),
            ..SkillRow::default()
        }));
        self.questions.retain(|q| !q.prompt.trim().is_empty());
        self.questions
            .extend((0..2).map(|_| QuestionRow::default()));
    }

    /// The message for `field`, if any.
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field || e.field.starts_with(&format!("{field}/")))
            .map(|e| e.message.as_str())
    }

    /// The typed skill names the taxonomy does not know (each gets a "propose it" link).
    pub fn unknown_skills(&self) -> Vec<String> {
        self.errors
            .iter()
            .filter(|e| e.field.starts_with("skills/"))
            .filter_map(|e| e.message.strip_suffix(NOT_A_SKILL))
            .map(|m| m.trim_start_matches('“').trim_end_matches('”').to_owned())
            .collect()
    }

    /// The form as posted (repeated fields in order).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> FormState {
        let mut f = FormState::default();
        let (mut names, mut levels, mut imps, mut required) = (vec![], vec![], vec![], vec![]);
        for (k, v) in pairs {
            match k.as_str() {
                "kind" => f.kind = v,
                "title" => f.title = v,
                "description" => f.description = v,
                "department_id" => f.department_id = v,
                "job_profile_id" => f.job_profile_id = v,
                "location_id" => f.location_id = v,
                "work_mode" => f.work_mode = v,
                "positions" => f.positions = v,
                "closes_on" => f.closes_on = v,
                "hours_per_week" => f.hours_per_week = v,
                "duration_weeks" => f.duration_weeks = v,
                "start_date" => f.start_date = v,
                "end_date" => f.end_date = v,
                "return_guaranteed" => f.return_guaranteed = true,
                "question" => f.questions.push(QuestionRow {
                    prompt: v,
                    required: false,
                }),
                "question_required" => required.push(v),
                "skill_name" => names.push(v),
                "skill_level" => levels.push(v),
                "skill_importance" => imps.push(v),
                "action" => f.action = v,
                _ => {}
            }
        }
        for r in required {
            if let Some(q) = r.parse::<usize>().ok().and_then(|i| f.questions.get_mut(i)) {
                q.required = true;
            }
        }
        f.skills = names
            .into_iter()
            .enumerate()
            .map(|(i, name)| SkillRow {
                name,
                level: levels.get(i).cloned().unwrap_or_default(),
                importance: imps.get(i).cloned().unwrap_or_default(),
            })
            .collect();
        f
    }

    /// The form for a saved posting.
    pub async fn from_input(state: &AppState, p: &PostingInput) -> Result<FormState> {
        let ids: Vec<Uuid> = p.skills.iter().map(|s| s.skill_id).collect();
        let names = sqlx::query!("select id, name from skills where id = any($1)", &ids)
            .fetch_all(&state.db)
            .await?;
        let mut f = FormState {
            kind: p.kind.clone(),
            title: p.title.clone(),
            description: p.description.clone(),
            department_id: opt(p.department_id),
            job_profile_id: opt(p.job_profile_id),
            location_id: opt(p.location_id),
            work_mode: p.work_mode.clone(),
            positions: p.positions.to_string(),
            closes_on: opt(p.closes_on),
            hours_per_week: opt(p.hours_per_week),
            duration_weeks: opt(p.duration_weeks),
            start_date: opt(p.start_date),
            end_date: opt(p.end_date),
            return_guaranteed: p.return_guaranteed.unwrap_or(false),
            questions: p
                .questions
                .iter()
                .map(|q| QuestionRow {
                    prompt: q.prompt.clone(),
                    required: q.required,
                })
                .collect(),
            skills: p
                .skills
                .iter()
                .map(|s| SkillRow {
                    name: names
                        .iter()
                        .find(|n| n.id == s.skill_id)
                        .map(|n| n.name.clone())
                        .unwrap_or_default(),
                    level: s.level.to_string(),
                    importance: s.importance.clone(),
                })
                .collect(),
            ..FormState::default()
        };
        f.pad();
        Ok(f)
    }

    /// Add suggestions the form does not have yet.
    pub fn accept_suggestions(&mut self, found: &[Suggestion]) {
        self.skills.retain(|s| !s.name.trim().is_empty());
        for s in found {
            if !self
                .skills
                .iter()
                .any(|r| r.name.eq_ignore_ascii_case(&s.name))
            {
                self.skills.push(SkillRow {
                    name: s.name.clone(),
                    level: s.level.to_string(),
                    importance: s.importance.clone(),
                });
            }
        }
        self.pad();
    }

    /// Parse into an input, with every problem at once.
    pub async fn to_input(&self, state: &AppState) -> Result<PostingInput> {
        let mut errors = Vec::new();
        let uuid = |field: &str, v: &str, errors: &mut Vec<FieldError>| -> Option<Uuid> {
            if v.trim().is_empty() {
                return None;
            }
            v.trim()
                .parse()
                .map_err(|_| errors.push(FieldError::new(field, "choose from the list")))
                .ok()
        };
        let date = |field: &str, v: &str, errors: &mut Vec<FieldError>| match parse_date(field, v) {
            Ok(d) => d,
            Err(AppError::Validation(mut e)) => {
                errors.append(&mut e);
                None
            }
            Err(_) => None,
        };
        let mut input = PostingInput {
            kind: self.kind.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            department_id: uuid("department_id", &self.department_id, &mut errors),
            job_profile_id: uuid("job_profile_id", &self.job_profile_id, &mut errors),
            location_id: uuid("location_id", &self.location_id, &mut errors),
            work_mode: self.work_mode.clone(),
            positions: self.positions.trim().parse().unwrap_or(0),
            closes_on: date("closes_on", &self.closes_on, &mut errors),
            hours_per_week: None,
            duration_weeks: None,
            start_date: date("start_date", &self.start_date, &mut errors),
            end_date: date("end_date", &self.end_date, &mut errors),
            return_guaranteed: Some(self.return_guaranteed),
            questions: self
                .questions
                .iter()
                .map(|q| Question {
                    prompt: q.prompt.clone(),
                    required: q.required,
                })
                .collect(),
            skills: vec![],
        };
        if !self.hours_per_week.trim().is_empty() {
            input.hours_per_week = Some(self.hours_per_week.trim().parse().unwrap_or(0.0));
        }
        if !self.duration_weeks.trim().is_empty() {
            input.duration_weeks = Some(self.duration_weeks.trim().parse().unwrap_or(0));
        }
        for (i, row) in self
            .skills
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.name.trim().is_empty())
        {
            match suggestions::skill_by_name(&state.db, &row.name).await? {
                Some(skill_id) => input.skills.push(SkillRequirement {
                    skill_id,
                    level: row.level.trim().parse().unwrap_or(0),
                    importance: row.importance.clone(),
                }),
                None => errors.push(FieldError::new(
                    format!("skills/{i}"),
                    format!("“{}”{NOT_A_SKILL}", row.name.trim()),
                )),
            }
        }
        input.normalise();
        errors.extend(input.validate(crate::domain::today()));
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(AppError::Validation(errors))
        }
    }
}
