//! The most characters each free-text field may hold. Every limit here is enforced twice:
//! by the input checks of the action that writes it (the client is told the field and the
//! limit before anything is stored) and by a database check named `<table>_<column>_length`
//! (migration `20261203000400_text_limits.sql`), so no path that forgets the first can store
//! more. A violation of such a check is shown as the field's error, never as a 500.
//! `tests/it/migrations.rs` checks that this table and the database agree.

use crate::error::FieldError;

/// `(table, column, most characters)`.
pub const TEXT: &[(&str, &str, usize)] = &[
    ("api_tokens", "name", 200),
    ("application_answers", "answer", 5_000),
    ("application_events", "reason", 2_000),
    ("applications", "motivation", 5_000),
    ("aspirations", "summary", 2_000),
    ("career_conversations", "aspirations_heard", 5_000),
    ("career_conversations", "notes", 10_000),
    ("conversation_actions", "description", 1_000),
    ("courses", "description", 10_000),
    ("courses", "provider", 200),
    ("courses", "title", 200),
    ("courses", "url", 2_000),
    ("critical_roles", "note", 2_000),
    ("departments", "external_id", 256),
    ("departments", "name", 200),
    ("development_plan_steps", "title", 300),
    ("development_plans", "title", 300),
    ("invitations", "message", 2_000),
    ("job_families", "description", 5_000),
    ("job_families", "name", 200),
    ("job_levels", "code", 32),
    ("job_levels", "name", 200),
    ("job_profiles", "description", 10_000),
    ("job_profiles", "title", 200),
    ("locations", "name", 200),
    ("mentorship_requests", "message", 2_000),
    ("notification_preferences", "chat_webhook_url", 2_000),
    ("opportunities", "description", DESCRIPTION),
    ("opportunities", "title", 200),
    ("opportunity_questions", "prompt", 1_000),
    ("people", "display_name", 300),
    ("people", "email", 320),
    ("people", "employee_number", 64),
    ("people", "external_id", 256),
    ("people", "family_name", 200),
    ("people", "given_name", 200),
    ("people", "title", 200),
    ("people", "user_name", 320),
    ("saved_searches", "name", 200),
    ("skill_aliases", "alias", 300),
    ("skill_categories", "name", 300),
    ("skill_proposals", "decision_note", 2_000),
    ("skill_proposals", "description", 2_000),
    ("skill_proposals", "name", 300),
    ("skills", "description", 5_000),
    ("skills", "name", 300),
    ("succession_candidates", "override_reason", 500),
    ("talent_pools", "description", 2_000),
    ("talent_pools", "name", 200),
];

/// An opening's description (and the text skills are suggested from): about ten pages.
pub const DESCRIPTION: usize = 20_000;

/// The limit for `table.column`, if it is a limited text column.
pub fn of(table: &str, column: &str) -> Option<usize> {
    TEXT.iter()
        .find(|(t, c, _)| *t == table && *c == column)
        .map(|(_, _, max)| *max)
}

/// What a field over its limit is told.
pub fn message(max: usize) -> String {
    format!("Use at most {} characters.", thousands(max))
}

/// `field`'s error when `value` has more than `max` characters.
pub fn check(field: &str, value: &str, max: usize) -> Option<FieldError> {
    (value.chars().count() > max).then(|| FieldError::new(field, message(max)))
}

/// The limited column behind a `<table>_<column>_length` check, as (column, limit).
pub fn from_constraint(name: &str) -> Option<(&'static str, usize)> {
    let stem = name.strip_suffix("_length")?;
    TEXT.iter()
        .find(|(t, c, _)| stem.len() == t.len() + 1 + c.len() && stem == format!("{t}_{c}"))
        .map(|(_, c, max)| (*c, *max))
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_length_check_names_its_column_and_limit() {
        assert_eq!(
            from_constraint("opportunities_description_length"),
            Some(("description", DESCRIPTION))
        );
        assert_eq!(
            from_constraint("people_given_name_length"),
            Some(("given_name", 200))
        );
        assert_eq!(from_constraint("people_given_name_unique"), None);
        assert_eq!(from_constraint("nothing_length"), None);
    }

    #[test]
    fn the_limit_counts_characters_not_bytes() {
        assert!(check("title", &"é".repeat(200), 200).is_none());
        let e = check("title", &"é".repeat(201), 200).unwrap();
        assert_eq!(e.field, "title");
        assert_eq!(e.message, "Use at most 200 characters.");
        assert_eq!(message(20_000), "Use at most 20,000 characters.");
    }

    #[test]
    fn every_table_column_pair_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for (t, c, max) in TEXT {
            assert!(seen.insert((t, c)), "{t}.{c} twice");
            assert!(*max > 0);
        }
    }
}
