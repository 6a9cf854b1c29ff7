//! Moves after the offer: secondment returns due and recorded, and permanent role moves
//! applied on their effective date.

use serde_json::json;
use sqlx::PgPool;
use time::Date;
use uuid::Uuid;

use crate::db::audit::{self, Actor as AuditActor};
use crate::domain::application::Requester;
use crate::error::{AppError, Result};

/// A secondment whose planned end has come and that has no return recorded yet.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReturnDue {
    pub move_id: Uuid,
    pub person_id: Uuid,
    pub display_name: String,
    #[serde(with = "crate::domain::iso_date")]
    #[schema(value_type = String, format = Date)]
    pub planned_end_on: Date,
}

/// Secondment returns due by `on`: for HR all of them, for a manager their reports' (as
/// recorded before the secondment) and those on their secondment postings.
pub async fn returns_due(db: &PgPool, viewer: Requester, on: Date) -> Result<Vec<ReturnDue>> {
    Ok(sqlx::query_as!(
        ReturnDue,
        r#"select m.id as move_id, m.person_id, p.display_name, m.planned_end_on as "planned_end_on!"
           from moves m join people p on p.id = m.person_id
           left join opportunities o on o.id = m.opportunity_id
           where m.kind = 'secondment_start' and m.planned_end_on <= $1
             and not exists (select 1 from moves e where e.related_move_id = m.id and e.kind = 'secondment_end')
             and ($2 or p.manager_id = $3 or o.owner_id = $3)
           order by m.planned_end_on"#,
        on, viewer.is_hr, viewer.id
    )
    .fetch_all(db)
    .await?)
}

/// Record the return from a secondment, on its planned end date.
pub async fn record_return(
    db: &PgPool,
    secondment: Uuid,
    by: Requester,
    today: Date,
) -> Result<Uuid> {
    let due = returns_due(db, by, today).await?;
    if !due.iter().any(|d| d.move_id == secondment) {
        return Err(AppError::NotFound);
    }
    let mut tx = db.begin().await?;
    let id = sqlx::query_scalar!(
        "insert into moves (person_id, kind, source, from_profile_id, to_profile_id, from_department_id,
             to_department_id, effective_on, related_move_id, recorded_by_id)
         select person_id, 'secondment_end', 'marketplace', to_profile_id, from_profile_id, to_department_id,
             from_department_id, planned_end_on, id, $2
         from moves m where id = $1
           and not exists (select 1 from moves e where e.related_move_id = m.id and e.kind = 'secondment_end')
         returning id",
        secondment, by.id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::Conflict("The return is already recorded.".into()))?;
    audit::record(
        &mut *tx,
        AuditActor::Person(by.id),
        "move.record",
        "move",
        Some(id.to_string()),
        json!({ "after": { "kind": "secondment_end", "related_move_id": secondment } }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Apply permanent role moves whose effective date has come (job profile, department, role
/// start, manager): idempotent, run when the team and HR pages load and by tests.
pub async fn apply_due_moves(db: &PgPool, today: Date) -> Result<u64> {
    let mut tx = db.begin().await?;
    let applied = sqlx::query_scalar!(
        r#"update people p set job_profile_id = coalesce(m.to_profile_id, p.job_profile_id),
               department_id = coalesce(m.to_department_id, p.department_id),
               role_started_on = m.effective_on,
               manager_id = case when o.owner_id <> p.id then o.owner_id else p.manager_id end,
               updated_at = now()
           from moves m left join opportunities o on o.id = m.opportunity_id
           where m.person_id = p.id and m.kind in ('promotion', 'lateral_move') and m.source = 'marketplace'
             and m.effective_on <= $1 and p.role_started_on < m.effective_on
           returning m.id"#,
        today
    )
    .fetch_all(&mut *tx)
    .await?;
    for id in &applied {
        audit::record(
            &mut *tx,
            AuditActor::System,
            "move.apply",
            "move",
            Some(id.to_string()),
            json!({ "after": { "applied_on": today } }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(applied.len() as u64)
}
