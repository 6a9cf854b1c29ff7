//! Reading the mobility policy in force.

use crate::domain::application::ApplicationStatus;
use crate::domain::policy::MobilityPolicy;

/// The newest policy version whose `effective_from` has passed (the defaults if none has).
pub async fn current<'e, E>(executor: E) -> Result<MobilityPolicy, sqlx::Error>
where
    E: sqlx::PgExecutor<'e>,
{
    let row = sqlx::query!(
        "select id, min_months_in_role, manager_informed_at, max_active_applications,
                project_needs_manager_approval, max_release_weeks, stale_self_assessment_months,
                reminder_days, escalation_days, succession_visible_to_successors
         from mobility_policies
         where effective_from <= now()
         order by effective_from desc, id desc
         limit 1"
    )
    .fetch_optional(executor)
    .await?;
    let Some(r) = row else {
        return Ok(MobilityPolicy::default());
    };
    Ok(MobilityPolicy {
        version: r.id,
        min_months_in_role: r.min_months_in_role.max(0) as u16,
        // The column's check constraint allows only pipeline statuses.
        manager_informed_at: ApplicationStatus::try_from(r.manager_informed_at.as_str())
            .unwrap_or(ApplicationStatus::Interviewing),
        max_active_applications: r.max_active_applications.max(1) as u16,
        project_needs_manager_approval: r.project_needs_manager_approval,
        max_release_weeks: r.max_release_weeks.max(0) as u16,
        stale_self_assessment_months: r.stale_self_assessment_months.max(1) as u16,
        reminder_days: r.reminder_days.max(1) as u16,
        escalation_days: r.escalation_days.max(1) as u16,
        succession_visible_to_successors: r.succession_visible_to_successors,
    })
}
