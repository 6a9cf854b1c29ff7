//! Anti-hoarding that acts: when a report accepts an internal role, the manager losing them
//! finds a backfill opening drafted for them (the mover's job profile and its skills, their
//! department) with the release date, in the same transaction as the move.

use serde_json::json;
use sqlx::{Postgres, Transaction};
use time::Date;
use uuid::Uuid;

use crate::db::audit::{self, Actor};
use crate::db::notifications::{notify, NewNotification};
use crate::error::Result;

/// Who leaves whom, for which role, released when.
pub struct Leaving<'a> {
    pub mover: Uuid,
    pub mover_name: &'a str,
    pub manager: Uuid,
    pub job_profile: Option<Uuid>,
    pub department: Option<Uuid>,
    pub new_role: &'a str,
    pub release_on: Date,
    pub application: Uuid,
}

/// Draft the backfill opening and tell the manager; returns the draft's id (None when the
/// mover had no job profile or department to draft from).
pub async fn draft(tx: &mut Transaction<'_, Postgres>, l: &Leaving<'_>) -> Result<Option<Uuid>> {
    let (Some(profile), Some(department)) = (l.job_profile, l.department) else {
        return Ok(None);
    };
    let Some(title) = sqlx::query_scalar!("select title from job_profiles where id = $1", profile)
        .fetch_optional(&mut **tx)
        .await?
    else {
        return Ok(None);
    };
    let heading: String = format!("Backfill: {title}").chars().take(200).collect();
    let description = format!(
        "Drafted by Trellis when {} accepted {} (released by {}). The skills are the job \
         profile's; edit them, then publish, or close this draft.",
        l.mover_name, l.new_role, l.release_on
    );
    let id = sqlx::query_scalar!(
        "insert into opportunities (kind, status, title, description, owner_id, department_id,
             job_profile_id, start_date)
         values ('role', 'draft', $1, $2, $3, $4, $5, $6) returning id",
        heading,
        description,
        l.manager,
        department,
        profile,
        l.release_on
    )
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query!(
        "insert into opportunity_skills (opportunity_id, skill_id, level, importance)
         select $1, skill_id, level, importance from job_profile_skills where job_profile_id = $2",
        id,
        profile
    )
    .execute(&mut **tx)
    .await?;
    audit::record(
        &mut **tx,
        Actor::System,
        "posting.backfill_drafted",
        "opportunity",
        Some(id.to_string()),
        json!({ "owner_id": l.manager, "mover_id": l.mover, "job_profile_id": profile,
                "release_on": l.release_on, "application_id": l.application }),
    )
    .await?;
    let title = format!("A backfill for {} is drafted for you", l.mover_name);
    let body = format!(
        "{} is released by {}. Review the drafted opening for their role and publish it.",
        l.mover_name, l.release_on
    );
    let link = format!("/postings/{id}/edit");
    notify(
        &mut **tx,
        &NewNotification {
            person_id: l.manager,
            kind: "backfill_drafted",
            title: &title,
            body: &body,
            link: Some(&link),
            opportunity_id: Some(id),
            ..NewNotification::default()
        },
    )
    .await?;
    Ok(Some(id))
}

/// One person who moved on from a manager's team.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ExportedMove {
    pub person_id: Uuid,
    pub display_name: String,
    /// `promotion`, `lateral_move` or `secondment_start`.
    pub kind: String,
    pub to_role: Option<String>,
    pub to_department: Option<String>,
    #[serde(with = "crate::domain::iso_date")]
    #[schema(value_type = String, format = Date)]
    pub effective_on: Date,
}

/// "Talent you exported this year": the moves out of the manager's team (promotions, lateral
/// moves and secondments elsewhere) effective since 1 January, up to today.
pub async fn exported_this_year(db: &sqlx::PgPool, manager: Uuid) -> Result<Vec<ExportedMove>> {
    Ok(sqlx::query_as!(
        ExportedMove,
        r#"select m.person_id, p.display_name, m.kind, jp.title as "to_role?", d.name as "to_department?",
                  m.effective_on
           from moves m join people p on p.id = m.person_id
           left join job_profiles jp on jp.id = m.to_profile_id
           left join departments d on d.id = m.to_department_id
           where m.from_manager_id = $1
             and m.kind in ('promotion', 'lateral_move', 'secondment_start')
             and m.effective_on >= date_trunc('year', current_date)::date
             and m.effective_on <= current_date
           order by m.effective_on desc, p.display_name"#,
        manager
    )
    .fetch_all(db)
    .await?)
}
