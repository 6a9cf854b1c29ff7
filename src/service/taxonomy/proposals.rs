//! Proposing a skill the taxonomy lacks, and HR's decision. Anyone signed in may propose from
//! their profile (a skill they hold, with its level) or from a posting form (a skill the
//! opening needs); HR is told, and approves it as a new skill, approves it as an alias of an
//! existing skill, or rejects it with a note. The proposer is told either way; a profile
//! proposal that is approved lands on the proposer's profile at the level they gave.

use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::db::notifications::{notify, NewNotification};
use crate::db::skill_proposals::{self as store, NewProposal};
use crate::db::taxonomy;
use crate::domain::limits;
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldError, Result};

pub use crate::db::skill_proposals::Proposal;

/// What a proposer sends.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    /// The skill's name as people say it (at most 300 characters).
    pub name: String,
    /// What it is, for HR (optional, at most 2,000 characters).
    #[serde(default)]
    pub description: String,
    /// `profile` (you hold it: give `level`) or `posting` (an opening needs it).
    pub source: String,
    /// For a profile proposal: the level you hold, 1 to 5.
    #[serde(default)]
    pub level: Option<i16>,
}

/// HR's decision.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// `approve` or `reject`.
    pub decision: String,
    /// Approve as an alias of this existing skill (its name) instead of a new skill.
    #[serde(default)]
    pub alias_of: Option<String>,
    /// Told to the proposer; required to reject (at most 2,000 characters).
    #[serde(default)]
    pub note: String,
}

fn validate(input: &ProposalInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let name = input.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", "Give the skill's name."));
    }
    errors.extend(limits::check(
        "name",
        name,
        limits::of("skill_proposals", "name").unwrap_or(300),
    ));
    errors.extend(limits::check(
        "description",
        input.description.trim(),
        limits::of("skill_proposals", "description").unwrap_or(2_000),
    ));
    match input.source.as_str() {
        "profile" => match input.level {
            Some(1..=5) => {}
            _ => errors.push(FieldError::new(
                "level",
                "Give the level you hold, from 1 to 5.",
            )),
        },
        "posting" => {
            if input.level.is_some() {
                errors.push(FieldError::new(
                    "level",
                    "A level is given only for a skill you hold (source profile).",
                ));
            }
        }
        _ => errors.push(FieldError::new(
            "source",
            "Choose profile (a skill you hold) or posting (a skill an opening needs).",
        )),
    }
    errors
}

/// Propose a skill. A name that is already a skill or an alias is refused with the skill to
/// use instead; proposing the same name twice while it is pending returns the first proposal.
pub async fn propose(state: &AppState, user: &CurrentUser, input: &ProposalInput) -> Result<Uuid> {
    let errors = validate(input);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let name = input.name.trim();
    let mut tx = state.db.begin().await?;
    if let Some((_, existing)) = taxonomy::live_named(&mut *tx, name).await? {
        return Err(AppError::field(
            "name",
            format!("{existing} is already in the taxonomy: add it directly."),
        ));
    }
    if let Some((_, existing)) = taxonomy::alias_owner(&mut tx, name).await? {
        return Err(AppError::field(
            "name",
            format!(
                "{name} is another name for {existing}, which is in the taxonomy: add {existing}."
            ),
        ));
    }
    let new = NewProposal {
        name,
        description: input.description.trim(),
        source: &input.source,
        level: input.level,
    };
    let Some(id) = store::insert(&mut tx, user.id, &new).await? else {
        let mine = store::list(&mut *tx, Some(user.id), true, 200, 0).await?;
        return mine
            .into_iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| p.id)
            .ok_or_else(|| AppError::Conflict("That proposal is being decided.".into()));
    };
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        "skill_proposal.create",
        "skill_proposal",
        Some(id.to_string()),
        json!({ "name": name, "source": input.source, "level": input.level }),
    )
    .await?;
    let title = format!("New skill proposed: {name}");
    let body = format!(
        "{} proposed \"{name}\" from their {}. Approve it as a new skill or as an alias of an existing one, or reject it with a note.",
        user.display_name, input.source
    );
    for hr in store::hr_admins(&mut tx).await? {
        notify(
            &mut *tx,
            &NewNotification {
                person_id: hr,
                kind: "skill_proposal",
                title: &title,
                body: &body,
                link: Some("/hr/skills/proposals"),
                opportunity_id: None,
                application_id: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// The person's own proposals, newest first.
pub async fn mine(state: &AppState, person: Uuid) -> Result<Vec<Proposal>> {
    Ok(store::list(&state.db, Some(person), false, 100, 0).await?)
}

/// HR's queue: pending proposals, oldest first.
pub async fn queue(state: &AppState, page: i64, page_size: i64) -> Result<(Vec<Proposal>, i64)> {
    let offset = crate::domain::params::offset(page, page_size);
    let items = store::list(&state.db, None, true, page_size, offset).await?;
    Ok((items, store::pending_count(&state.db).await?))
}

/// HR decides a pending proposal (409 once decided).
pub async fn decide(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    input: &DecisionInput,
) -> Result<()> {
    if !user.is_hr {
        return Err(AppError::Forbidden(
            "Only HR decides skill proposals.".into(),
        ));
    }
    let note = input.note.trim();
    let mut errors: Vec<FieldError> = limits::check(
        "note",
        note,
        limits::of("skill_proposals", "decision_note").unwrap_or(2_000),
    )
    .into_iter()
    .collect();
    let approve = match input.decision.as_str() {
        "approve" => true,
        "reject" => {
            if note.is_empty() {
                errors.push(FieldError::new(
                    "note",
                    "Say why, for the person who proposed it.",
                ));
            }
            false
        }
        _ => {
            errors.push(FieldError::new("decision", "Choose approve or reject."));
            false
        }
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = state.db.begin().await?;
    let p = store::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if p.status != "pending" {
        return Err(AppError::Conflict(format!(
            "This proposal was already {}.",
            p.status
        )));
    }
    let alias_of = input
        .alias_of
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let (status, skill, what) = if !approve {
        ("rejected", None, format!("was not added: {note}"))
    } else if let Some(target) = alias_of {
        let (skill, target_name) =
            taxonomy::live_named(&mut *tx, target)
                .await?
                .ok_or_else(|| {
                    AppError::field("alias_of", format!("There is no skill called {target}."))
                })?;
        if taxonomy::alias_owner(&mut tx, &p.name).await?.is_none() {
            taxonomy::add_alias(&mut tx, skill, &p.name).await?;
        }
        (
            "approved",
            Some(skill),
            format!("is now another name for {target_name}"),
        )
    } else {
        // A skill of that name added meanwhile (by hand or an import) takes the approval.
        let skill = match taxonomy::live_named(&mut *tx, &p.name).await? {
            Some((skill, _)) => skill,
            None => store::create_skill(&mut tx, &p.name, &p.description).await?,
        };
        (
            "approved",
            Some(skill),
            "is now in the taxonomy".to_string(),
        )
    };
    store::decide(&mut tx, id, status, skill, user.id, note).await?;
    let mut added = false;
    if let (Some(skill), Some(level)) = (skill, p.level) {
        added = store::add_to_profile(&mut tx, p.proposed_by_id, skill, level).await?;
    }
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        if approve {
            "skill_proposal.approve"
        } else {
            "skill_proposal.reject"
        },
        "skill_proposal",
        Some(id.to_string()),
        json!({ "name": p.name, "skill_id": skill, "alias_of": alias_of, "note": note,
                "added_to_profile": added }),
    )
    .await?;
    let title = format!("The skill you proposed, {}, {what}", p.name);
    let body = if added {
        format!(
            "It is on your profile at level {}, self-assessed; ask your manager to validate it.",
            p.level.unwrap_or(1)
        )
    } else if approve {
        "You can now add it to your profile or a posting.".to_string()
    } else {
        note.to_string()
    };
    notify(
        &mut *tx,
        &NewNotification {
            person_id: p.proposed_by_id,
            kind: "skill_proposal_decided",
            title: &title,
            body: &body,
            link: Some(if added {
                "/profile#skills"
            } else {
                "/skills/proposals"
            }),
            opportunity_id: None,
            application_id: None,
        },
    )
    .await?;
    tx.commit().await?;
    if approve {
        state.engine.reload(&state.db).await?;
    }
    Ok(())
}
