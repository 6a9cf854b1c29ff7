//! The mobility policy: each change is a new version (effective now), audited with the values
//! before and after, and applied from then on.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::domain::application::ApplicationStatus;
use crate::domain::policy::MobilityPolicy;
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldError, Result};

/// The values as typed in the form or sent as JSON.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PolicyInput {
    pub min_months_in_role: String,
    pub manager_informed_at: String,
    pub max_active_applications: String,
    /// `true`/`on` for yes; absent or anything else for no.
    #[serde(default)]
    pub project_needs_manager_approval: Option<String>,
    pub max_release_weeks: String,
    pub stale_self_assessment_months: String,
    /// Days before the manager who owes an action is reminded (1–90); absent: 5.
    #[serde(default)]
    pub reminder_days: Option<String>,
    /// Days before HR is told (from the reminder days to 180); absent: 10.
    #[serde(default)]
    pub escalation_days: Option<String>,
    /// `true`/`on` lets successors see the succession plans that name them.
    #[serde(default)]
    pub succession_visible_to_successors: Option<String>,
}

/// Stages at which the applicant's manager may be told.
pub const STAGES: &[&str] = &[
    "submitted",
    "in_review",
    "interviewing",
    "offered",
    "accepted",
];

fn number(errors: &mut Vec<FieldError>, field: &str, v: &str, lo: i16, hi: i16) -> i16 {
    match v.trim().parse::<i16>() {
        Ok(n) if (lo..=hi).contains(&n) => n,
        _ => {
            errors.push(FieldError::new(
                field,
                format!("Give a whole number from {lo} to {hi}."),
            ));
            0
        }
    }
}

impl PolicyInput {
    /// The policy asked for, or every problem by field.
    pub fn validate(&self) -> Result<MobilityPolicy> {
        let mut e = Vec::new();
        let min_months = number(
            &mut e,
            "min_months_in_role",
            &self.min_months_in_role,
            0,
            120,
        );
        let max_active = number(
            &mut e,
            "max_active_applications",
            &self.max_active_applications,
            1,
            100,
        );
        let release = number(&mut e, "max_release_weeks", &self.max_release_weeks, 0, 52);
        let stale = number(
            &mut e,
            "stale_self_assessment_months",
            &self.stale_self_assessment_months,
            1,
            240,
        );
        let reminder = number(
            &mut e,
            "reminder_days",
            self.reminder_days.as_deref().unwrap_or("5"),
            1,
            90,
        );
        let escalation = number(
            &mut e,
            "escalation_days",
            self.escalation_days.as_deref().unwrap_or("10"),
            1,
            180,
        );
        if reminder > 0 && escalation > 0 && escalation < reminder {
            e.push(FieldError::new(
                "escalation_days",
                "HR is told after the reminder: give at least the reminder days.",
            ));
        }
        let stage = self.manager_informed_at.trim();
        let informed = if STAGES.contains(&stage) {
            ApplicationStatus::try_from(stage).ok()
        } else {
            None
        };
        if informed.is_none() {
            e.push(FieldError::new(
                "manager_informed_at",
                "Choose one of the pipeline stages.",
            ));
        }
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(MobilityPolicy {
            version: 0,
            min_months_in_role: min_months as u16,
            manager_informed_at: informed.expect("checked above"),
            max_active_applications: max_active as u16,
            project_needs_manager_approval: matches!(
                self.project_needs_manager_approval.as_deref(),
                Some("on" | "true" | "yes" | "1")
            ),
            max_release_weeks: release as u16,
            stale_self_assessment_months: stale as u16,
            reminder_days: reminder as u16,
            escalation_days: escalation as u16,
            succession_visible_to_successors: matches!(
                self.succession_visible_to_successors.as_deref(),
                Some("on" | "true" | "yes" | "1")
            ),
        })
    }

    fn from_policy(p: &MobilityPolicy) -> Self {
        PolicyInput {
            min_months_in_role: p.min_months_in_role.to_string(),
            manager_informed_at: p.manager_informed_at.as_str().to_string(),
            max_active_applications: p.max_active_applications.to_string(),
            project_needs_manager_approval: p
                .project_needs_manager_approval
                .then(|| "on".to_string()),
            max_release_weeks: p.max_release_weeks.to_string(),
            stale_self_assessment_months: p.stale_self_assessment_months.to_string(),
            reminder_days: Some(p.reminder_days.to_string()),
            escalation_days: Some(p.escalation_days.to_string()),
            succession_visible_to_successors: p
                .succession_visible_to_successors
                .then(|| "on".to_string()),
        }
    }
}

/// One version in the policy's history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PolicyVersion {
    pub id: i64,
    pub min_months_in_role: i16,
    pub manager_informed_at: String,
    pub max_active_applications: i16,
    pub project_needs_manager_approval: bool,
    pub max_release_weeks: i16,
    pub stale_self_assessment_months: i16,
    pub reminder_days: i16,
    pub escalation_days: i16,
    pub succession_visible_to_successors: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub effective_from: OffsetDateTime,
    pub changed_by: Option<String>,
}

/// The policy in force, as the form shows it.
pub async fn current_input(state: &AppState) -> Result<PolicyInput> {
    let current = crate::db::policy::current(&state.db).await?;
    Ok(PolicyInput::from_policy(&current))
}

/// Every version, newest first.
pub async fn history(state: &AppState) -> Result<Vec<PolicyVersion>> {
    Ok(sqlx::query_as!(
        PolicyVersion,
        r#"select m.id, m.min_months_in_role, m.manager_informed_at, m.max_active_applications,
                  m.project_needs_manager_approval, m.max_release_weeks, m.stale_self_assessment_months,
                  m.reminder_days, m.escalation_days, m.succession_visible_to_successors,
                  m.effective_from, p.display_name as "changed_by?"
           from mobility_policies m left join people p on p.id = m.changed_by_id
           order by m.effective_from desc, m.id desc"#
    )
    .fetch_all(&state.db)
    .await?)
}

/// Insert a new version effective now, audited with before and after, then reload the engine.
pub async fn change(
    state: &AppState,
    user: &CurrentUser,
    p: &MobilityPolicy,
) -> Result<MobilityPolicy> {
    let mut tx = state.db.begin().await?;
    let before = crate::db::policy::current(&mut *tx).await?;
    let id = sqlx::query_scalar!(
        "insert into mobility_policies (min_months_in_role, manager_informed_at, max_active_applications,
             project_needs_manager_approval, max_release_weeks, stale_self_assessment_months, changed_by_id,
             reminder_days, escalation_days, succession_visible_to_successors)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
        p.min_months_in_role as i16,
        p.manager_informed_at.as_str(),
        p.max_active_applications as i16,
        p.project_needs_manager_approval,
        p.max_release_weeks as i16,
        p.stale_self_assessment_months as i16,
        user.id,
        p.reminder_days as i16,
        p.escalation_days as i16,
        p.succession_visible_to_successors
    )
    .fetch_one(&mut *tx)
    .await?;
    let after = MobilityPolicy {
        version: id,
        ..p.clone()
    };
    let details = serde_json::json!({ "before": before, "after": after });
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        "policy.change",
        "mobility_policy",
        Some(id.to_string()),
        details,
    )
    .await?;
    tx.commit().await?;
    state.engine.reload(&state.db).await?;
    Ok(after)
}
