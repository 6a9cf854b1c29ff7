//! Changes to critical roles and their plans, each in one transaction with its audit row:
//! marking a role critical (and unmarking it), adding a successor with the band their
//! learning path gives, overriding the band with a reason, removing a successor, and starting
//! the successor's development plan toward the role.

use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::domain::limits;
use crate::domain::succession::{CriticalReason, Readiness, NOTE_MAX, OVERRIDE_REASON_MAX};
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldError, Result};

use super::{proposals, role, Scope};

/// Marking a role critical, as typed in the form or sent as JSON: either a position (the
/// person who holds it, by email, employee number or id) or a job profile (with an optional
/// department; a manager's profile is for their own department).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct MarkInput {
    #[serde(default)]
    pub incumbent: Option<String>,
    #[serde(default)]
    pub job_profile_id: Option<String>,
    #[serde(default)]
    pub department_id: Option<String>,
    /// `hard_to_fill`, `single_point_of_failure` or `leadership`.
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub note: Option<String>,
}

fn filled(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn uuid_field(errors: &mut Vec<FieldError>, field: &str, v: Option<&str>) -> Option<Uuid> {
    let v = v?;
    match Uuid::parse_str(v) {
        Ok(id) => Some(id),
        Err(_) => {
            errors.push(FieldError::new(field, "Choose one from the list."));
            None
        }
    }
}

/// What the role's row will say.
struct NewRole {
    job_profile: Uuid,
    incumbent: Option<Uuid>,
    department: Option<Uuid>,
    manager: Option<Uuid>,
}

async fn resolve(state: &AppState, scope: Scope, input: &MarkInput) -> Result<NewRole> {
    let mut e = Vec::new();
    if CriticalReason::from_db(input.reason.trim()).is_none() {
        e.push(FieldError::new(
            "reason",
            "Choose why the role is critical: hard to fill, single point of failure or leadership.",
        ));
    }
    if let Some(err) = limits::check("note", input.note.as_deref().unwrap_or(""), NOTE_MAX) {
        e.push(err);
    }
    let incumbent = filled(&input.incumbent);
    let profile = uuid_field(&mut e, "job_profile_id", filled(&input.job_profile_id));
    let department = uuid_field(&mut e, "department_id", filled(&input.department_id));
    if let Some(v) = incumbent {
        if let Some(err) = limits::check("incumbent", v, 320) {
            e.push(err);
        }
    }
    match (incumbent, filled(&input.job_profile_id)) {
        (Some(_), Some(_)) => e.push(FieldError::new(
            "job_profile_id",
            "Give either a position (its holder) or a job profile, not both.",
        )),
        (None, None) => e.push(FieldError::new(
            "incumbent",
            "Give the person who holds the position, or choose a job profile.",
        )),
        _ => {}
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    if let Some(who) = incumbent {
        let person = sqlx::query!(
            "select id, job_profile_id, department_id, manager_id from people
             where (id::text = $1 or lower(email) = lower($1) or employee_number = $1)
               and employment_status <> 'terminated'
             limit 1",
            who
        )
        .fetch_optional(&state.db)
        .await?;
        let person = match (person, scope) {
            (Some(p), Scope::Team(m)) if p.manager_id != Some(m) => None,
            (p, _) => p,
        };
        let Some(p) = person else {
            let message = match scope {
                Scope::Company => "No one employed has this email or employee number.",
                Scope::Team(_) => "Choose one of your direct reports.",
            };
            return Err(AppError::Validation(vec![FieldError::new(
                "incumbent",
                message,
            )]));
        };
        let Some(job_profile) = p.job_profile_id else {
            return Err(AppError::Validation(vec![FieldError::new(
                "incumbent",
                "This person has no job profile: mark their job profile instead.",
            )]));
        };
        return Ok(NewRole {
            job_profile,
            incumbent: Some(p.id),
            department: p.department_id,
            manager: p.manager_id,
        });
    }
    let profile = profile.expect("checked above");
    let known = sqlx::query_scalar!(
        r#"select exists(select 1 from job_profiles where id = $1 and retired_at is null) as "ok!""#,
        profile
    )
    .fetch_one(&state.db)
    .await?;
    if !known {
        return Err(AppError::Validation(vec![FieldError::new(
            "job_profile_id",
            "Choose a current job profile.",
        )]));
    }
    match scope {
        Scope::Company => Ok(NewRole {
            job_profile: profile,
            incumbent: None,
            department,
            manager: None,
        }),
        Scope::Team(m) => {
            let own = sqlx::query_scalar!("select department_id from people where id = $1", m)
                .fetch_one(&state.db)
                .await?;
            Ok(NewRole {
                job_profile: profile,
                incumbent: None,
                department: own,
                manager: Some(m),
            })
        }
    }
}

/// Mark a role critical; returns its id. 409 when it is already marked.
pub async fn mark(
    state: &AppState,
    user: &CurrentUser,
    scope: Scope,
    input: &MarkInput,
) -> Result<Uuid> {
    let r = resolve(state, scope, input).await?;
    let reason = input.reason.trim();
    let note = input.note.as_deref().unwrap_or("").trim();
    let mut tx = state.db.begin().await?;
    let id = sqlx::query_scalar!(
        "insert into critical_roles (job_profile_id, incumbent_id, department_id, manager_id,
             reason, note, marked_by_id)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
        r.job_profile,
        r.incumbent,
        r.department,
        r.manager,
        reason,
        note,
        user.id
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(
        |e| match e.as_database_error().and_then(|d| d.constraint()) {
            Some("critical_roles_position_unique" | "critical_roles_profile_unique") => {
                AppError::Conflict("This role is already marked critical.".into())
            }
            _ => e.into(),
        },
    )?;
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        "succession.role_marked",
        "critical_role",
        Some(id.to_string()),
        json!({ "job_profile_id": r.job_profile, "incumbent_id": r.incumbent,
                "department_id": r.department, "manager_id": r.manager, "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Unmark a critical role: its plan and successors go with it (the audit row keeps who).
pub async fn unmark(state: &AppState, user: &CurrentUser, scope: Scope, id: Uuid) -> Result<()> {
    let plan = super::show(state, scope, id).await?;
    let mut tx = state.db.begin().await?;
    sqlx::query!("delete from critical_roles where id = $1", id)
        .execute(&mut *tx)
        .await?;
    let successors: Vec<Uuid> = plan.successors.iter().map(|s| s.person_id).collect();
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        "succession.role_unmarked",
        "critical_role",
        Some(id.to_string()),
        json!({ "job_profile_id": plan.role.job_profile_id, "successors": successors }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adding a successor.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct AddInput {
    #[serde(default)]
    pub person_id: String,
}

/// Add a successor the engine can score: active and discoverable, not the incumbent. The
/// band comes from their learning path toward the role; their newest active development plan
/// toward the role's profile is linked.
pub async fn add_successor(
    state: &AppState,
    user: &CurrentUser,
    scope: Scope,
    id: Uuid,
    input: &AddInput,
) -> Result<()> {
    let role = role(state, scope, id).await?;
    let not_eligible = || {
        AppError::Validation(vec![FieldError::new(
            "person_id",
            "Choose one of the proposed successors: an active person who takes part in talent search.",
        )])
    };
    let person = Uuid::parse_str(input.person_id.trim()).map_err(|_| not_eligible())?;
    let eligible = sqlx::query_scalar!(
        r#"select exists(select 1 from people where id = $1 and discoverable
                  and employment_status = 'active') as "ok!""#,
        person
    )
    .fetch_one(&state.db)
    .await?;
    if !eligible || role.incumbent_id == Some(person) {
        return Err(not_eligible());
    }
    let skills = crate::service::careers::graph::profile_skills(state, &[role.job_profile_id])
        .await?
        .remove(&role.job_profile_id)
        .unwrap_or_default();
    let (fit, hours, weeks, unclosable) = proposals::readiness(state, person, &skills)
        .await?
        .ok_or_else(not_eligible)?;
    let band = Readiness::from_path(weeks, unclosable);
    let mut tx = state.db.begin().await?;
    let plan = sqlx::query_scalar!(
        "select id from development_plans
         where person_id = $1 and target_profile_id = $2 and status = 'active'
         order by created_at desc limit 1",
        person,
        role.job_profile_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into succession_candidates (critical_role_id, person_id, fit_score, path_hours,
             weeks_to_ready, computed_band, development_plan_id, added_by_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        id,
        person,
        i16::from(fit),
        hours,
        weeks.map(|w| w as i32),
        band.as_db(),
        plan,
        user.id
    )
    .execute(&mut *tx)
    .await
    .map_err(
        |e| match e.as_database_error().and_then(|d| d.constraint()) {
            Some("succession_candidates_one_per_role") => {
                AppError::Conflict("This person is already a successor for this role.".into())
            }
            _ => e.into(),
        },
    )?;
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        "succession.successor_added",
        "critical_role",
        Some(id.to_string()),
        json!({ "person_id": person, "fit": fit, "path_hours": hours,
                "weeks_to_ready": weeks, "band": band.as_db(), "development_plan_id": plan }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Overriding a successor's band: `band` empty returns to the computed one.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct BandInput {
    #[serde(default)]
    pub band: String,
    #[serde(default)]
    pub reason: String,
}

/// Set or clear a successor's band override (a reason is required to set one).
pub async fn set_band(
    state: &AppState,
    user: &CurrentUser,
    scope: Scope,
    id: Uuid,
    person: Uuid,
    input: &BandInput,
) -> Result<()> {
    role(state, scope, id).await?;
    let band = input.band.trim();
    let reason = input.reason.trim();
    let mut e = Vec::new();
    let chosen = if band.is_empty() {
        None
    } else {
        match Readiness::from_db(band) {
            Some(b) => Some(b),
            None => {
                e.push(FieldError::new(
                    "band",
                    "Choose ready now, 1–2 years or 3+ years.",
                ));
                None
            }
        }
    };
    if chosen.is_some() && reason.is_empty() {
        e.push(FieldError::new(
            "reason",
            "Say why the band differs from the learning path's.",
        ));
    }
    if let Some(err) = limits::check("reason", reason, OVERRIDE_REASON_MAX) {
        e.push(err);
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let mut tx = state.db.begin().await?;
    let before = sqlx::query!(
        "select computed_band, band_override from succession_candidates
         where critical_role_id = $1 and person_id = $2 for update",
        id,
        person
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let stored_reason = if chosen.is_some() { reason } else { "" };
    sqlx::query!(
        "update succession_candidates set band_override = $3, override_reason = $4
         where critical_role_id = $1 and person_id = $2",
        id,
        person,
        chosen.map(Readiness::as_db),
        stored_reason
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        "succession.band_overridden",
        "critical_role",
        Some(id.to_string()),
        json!({ "person_id": person, "computed_band": before.computed_band,
                "before": before.band_override, "after": chosen.map(Readiness::as_db),
                "reason": stored_reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Remove a successor from a plan.
pub async fn remove_successor(
    state: &AppState,
    user: &CurrentUser,
    scope: Scope,
    id: Uuid,
    person: Uuid,
) -> Result<()> {
    role(state, scope, id).await?;
    let mut tx = state.db.begin().await?;
    let gone = sqlx::query!(
        "delete from succession_candidates where critical_role_id = $1 and person_id = $2",
        id,
        person
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if gone == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        "succession.successor_removed",
        "critical_role",
        Some(id.to_string()),
        json!({ "person_id": person }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Start the successor's development plan toward the role from their learning path, and
/// link it to the succession plan; returns the development plan's id. The successor sees a
/// plan toward the role, never the succession plan (unless the policy shows it).
pub async fn start_plan(
    state: &AppState,
    user: &CurrentUser,
    scope: Scope,
    id: Uuid,
    person: Uuid,
) -> Result<Uuid> {
    let role = role(state, scope, id).await?;
    let linked = sqlx::query_scalar!(
        "select development_plan_id from succession_candidates
         where critical_role_id = $1 and person_id = $2",
        id,
        person
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    if let Some(plan) = linked {
        return Ok(plan);
    }
    let plan = crate::service::careers::save_plan(state, person, role.job_profile_id).await?;
    let mut tx = state.db.begin().await?;
    sqlx::query!(
        "update succession_candidates set development_plan_id = $3
         where critical_role_id = $1 and person_id = $2",
        id,
        person,
        plan
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        "succession.plan_started",
        "critical_role",
        Some(id.to_string()),
        json!({ "person_id": person, "development_plan_id": plan }),
    )
    .await?;
    tx.commit().await?;
    Ok(plan)
}
