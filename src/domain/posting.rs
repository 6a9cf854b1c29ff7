//! An opening as its owner writes it, and the rules it must meet before it is saved.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::domain::limits::DESCRIPTION;
use crate::error::FieldError;

/// A required skill with its level (1-5) and importance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SkillRequirement {
    pub skill_id: Uuid,
    #[schema(minimum = 1, maximum = 5)]
    pub level: i16,
    /// `essential`, `important` or `nice_to_have`.
    pub importance: String,
}

/// A screening question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = ScreeningQuestion)]
pub struct Question {
    pub prompt: String,
    #[serde(default)]
    pub required: bool,
}

/// Everything the owner fills in; kind-specific fields are ignored for other kinds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PostingInput {
    /// `role`, `secondment`, `project` or `mentorship`.
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Defaults to the owner's department.
    pub department_id: Option<Uuid>,
    pub job_profile_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
    /// `onsite`, `hybrid` or `remote`.
    pub work_mode: String,
    pub positions: i16,
    #[serde(default, with = "crate::domain::iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub closes_on: Option<Date>,
    pub hours_per_week: Option<f64>,
    pub duration_weeks: Option<i16>,
    #[serde(default, with = "crate::domain::iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub start_date: Option<Date>,
    #[serde(default, with = "crate::domain::iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub end_date: Option<Date>,
    pub return_guaranteed: Option<bool>,
    #[serde(default)]
    pub questions: Vec<Question>,
    #[serde(default)]
    pub skills: Vec<SkillRequirement>,
}

/// A closed vocabulary stored as text: the enum, its stored words in order, and parsing.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in the order forms and filters list them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word stored in the database and sent in forms and JSON.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// The value for a stored or submitted word, if it is one.
            pub fn parse(word: &str) -> Option<Self> {
                match word { $($word => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// The four kinds of opening.
    OpeningKind { Role = "role", Secondment = "secondment", Project = "project", Mentorship = "mentorship" }
}

vocabulary! {
    /// Where the work happens.
    WorkMode { Onsite = "onsite", Hybrid = "hybrid", Remote = "remote" }
}

vocabulary! {
    /// How much a required skill matters.
    Importance { Essential = "essential", Important = "important", NiceToHave = "nice_to_have" }
}

/// The opening kinds' words, in the order the filter lists them.
pub const KINDS: [&str; 4] = [
    OpeningKind::Role.as_str(),
    OpeningKind::Secondment.as_str(),
    OpeningKind::Project.as_str(),
    OpeningKind::Mentorship.as_str(),
];
/// The work modes' words.
pub const WORK_MODES: [&str; 3] = [
    WorkMode::Onsite.as_str(),
    WorkMode::Hybrid.as_str(),
    WorkMode::Remote.as_str(),
];
/// The importances' words.
pub const IMPORTANCE: [&str; 3] = [
    Importance::Essential.as_str(),
    Importance::Important.as_str(),
    Importance::NiceToHave.as_str(),
];

impl PostingInput {
    /// Clear the fields that do not belong to the kind.
    pub fn normalise(&mut self) {
        self.title = self.title.trim().to_string();
        self.questions.retain(|q| !q.prompt.trim().is_empty());
        if self.kind != "secondment" {
            self.return_guaranteed = None;
            if self.kind != "project" {
                self.start_date = None;
                self.end_date = None;
            }
        }
        if self.kind != "project" {
            self.hours_per_week = None;
            self.duration_weeks = None;
        }
        if !matches!(self.kind.as_str(), "role" | "secondment") {
            self.job_profile_id = None;
        }
    }

    /// Every rule the input breaks (empty: it may be saved).
    pub fn validate(&self, today: Date) -> Vec<FieldError> {
        let mut e = Vec::new();
        let mut err = |f: &str, m: &str| e.push(FieldError::new(f, m));
        if OpeningKind::parse(&self.kind).is_none() {
            err("kind", "choose role, secondment, project or mentorship");
        }
        if self.title.trim().is_empty() {
            err("title", "give the opening a title");
        } else if self.title.chars().count() > 200 {
            err("title", "keep the title under 200 characters");
        }
        if WorkMode::parse(&self.work_mode).is_none() {
            err("work_mode", "choose on site, hybrid or remote");
        }
        if !(1..=500).contains(&self.positions) {
            err("positions", "positions must be between 1 and 500");
        }
        if self.closes_on.is_some_and(|d| d < today) {
            err("closes_on", "the closing date cannot be in the past");
        }
        if self.kind == "secondment" {
            if self.start_date.is_none() {
                err("start_date", "a secondment needs a start date");
            }
            if self.end_date.is_none() {
                err("end_date", "a secondment needs an end date");
            }
        }
        if let (Some(s), Some(end)) = (self.start_date, self.end_date) {
            if end <= s {
                err("end_date", "the end date must be after the start date");
            }
        }
        if self.kind == "project" {
            match self.hours_per_week {
                Some(h) if (1.0..=40.0).contains(&h) => {}
                _ => err("hours_per_week", "hours per week must be between 1 and 40"),
            }
            if self.duration_weeks.is_some_and(|w| !(1..=104).contains(&w)) {
                err("duration_weeks", "duration must be between 1 and 104 weeks");
            }
        }
        if matches!(self.kind.as_str(), "role" | "secondment" | "project") && self.skills.is_empty()
        {
            err("skills", "add at least one required skill");
        }
        for (i, s) in self.skills.iter().enumerate() {
            if !(1..=5).contains(&s.level) {
                err(
                    &format!("skills/{i}/level"),
                    "level must be between 1 and 5",
                );
            }
            if Importance::parse(&s.importance).is_none() {
                err(
                    &format!("skills/{i}/importance"),
                    "choose essential, important or nice to have",
                );
            }
        }
        let mut seen: Vec<Uuid> = self.skills.iter().map(|s| s.skill_id).collect();
        seen.sort();
        if seen.windows(2).any(|w| w[0] == w[1]) {
            err("skills", "each skill may appear only once");
        }
        if self.questions.len() > 10 {
            err("questions", "ask at most 10 questions");
        }
        for (i, q) in self.questions.iter().enumerate() {
            if q.prompt.chars().count() > 1_000 {
                err(
                    &format!("questions/{i}/prompt"),
                    "keep a question under 1,000 characters",
                );
            }
        }
        if let Some(too_long) =
            crate::domain::limits::check("description", &self.description, DESCRIPTION)
        {
            e.push(too_long);
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn role() -> PostingInput {
        PostingInput {
            kind: "role".into(),
            title: "Data engineer".into(),
            work_mode: "hybrid".into(),
            positions: 1,
            skills: vec![SkillRequirement {
                skill_id: Uuid::nil(),
                level: 3,
                importance: "essential".into(),
            }],
            ..PostingInput::default()
        }
    }

    fn fields(p: &PostingInput) -> Vec<String> {
        p.validate(date!(2026 - 11 - 22))
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_complete_role_is_valid() {
        assert!(fields(&role()).is_empty());
    }

    #[test]
    fn each_rule_names_its_field() {
        let mut p = role();
        p.positions = 501;
        p.skills.clear();
        assert_eq!(fields(&p), ["positions", "skills"]);
        p = role();
        p.kind = "secondment".into();
        p.start_date = Some(date!(2027 - 02 - 01));
        p.end_date = Some(date!(2027 - 01 - 01));
        assert_eq!(fields(&p), ["end_date"]);
        p = role();
        p.kind = "project".into();
        p.hours_per_week = Some(41.0);
        assert_eq!(fields(&p), ["hours_per_week"]);
        p = role();
        p.kind = "mentorship".into();
        p.skills.clear();
        assert!(fields(&p).is_empty());
    }
}
