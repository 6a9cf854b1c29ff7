//! What accepting an offer does to the organisation: a position of the opening is filled
//! (never more than it has), and the move is recorded with its release date under the
//! policy; a permanent move that starts today changes the person's role and manager at once.

use serde_json::json;
use sqlx::{Postgres, Transaction};
use time::Date;
use uuid::Uuid;

use crate::db::audit::{self, Actor as AuditActor};
use crate::db::notifications::{notify, NewNotification};
use crate::domain::moves::{self, Level};
use crate::error::{AppError, Result};

/// The accepted application, as the stage change locked it.
pub struct Filling<'a> {
    pub application_id: Uuid,
    pub opportunity_id: Uuid,
    pub applicant_id: Uuid,
    pub owner_id: Uuid,
    pub title: &'a str,
}

/// Lock the opening, check a position is left, count it, and record the move.
pub async fn fill_position(
    tx: &mut Transaction<'_, Postgres>,
    app: &Filling<'_>,
    by: Uuid,
    start_on: Option<Date>,
    today: Date,
) -> Result<Option<Uuid>> {
    let o = sqlx::query!(
        r#"select o.kind, o.positions, o.positions_filled, o.job_profile_id, o.department_id,
                  o.end_date, o.duration_weeks, o.start_date, l.rank as "to_rank?"
           from opportunities o left join job_profiles jp on jp.id = o.job_profile_id
           left join job_levels l on l.id = jp.level_id
           where o.id = $1 for update of o"#,
        app.opportunity_id
    )
    .fetch_one(&mut **tx)
    .await?;
    if o.positions_filled >= o.positions {
        return Err(AppError::Conflict(format!(
            "Every position of this opening is already filled ({0} of {0}), so the offer cannot be accepted. Add a position to the posting first, or close the application with a reason.",
            o.positions
        )));
    }
    let policy = crate::db::policy::current(&mut **tx).await?;
    let release = moves::release_on(today, start_on, policy.max_release_weeks)
        .map_err(|m| AppError::field("start_on", m))?;
    sqlx::query!(
        "update opportunities set positions_filled = positions_filled + 1,
             status = case when positions_filled + 1 = positions then 'filled' else status end,
             filled_at = case when positions_filled + 1 = positions then now() else filled_at end,
             updated_at = now()
         where id = $1",
        app.opportunity_id
    )
    .execute(&mut **tx)
    .await?;
    let person = sqlx::query!(
        r#"select p.job_profile_id, p.department_id, p.manager_id, p.display_name, l.rank as "rank?"
           from people p left join job_profiles jp on jp.id = p.job_profile_id
           left join job_levels l on l.id = jp.level_id where p.id = $1"#,
        app.applicant_id
    )
    .fetch_one(&mut **tx)
    .await?;
    let Some(kind) = moves::kind_for(
        &o.kind,
        person.rank.map(|rank| Level { rank }),
        o.to_rank.map(|rank| Level { rank }),
    ) else {
        return Ok(None);
    };
    let permanent = o.kind == "role";
    let effective = if o.kind == "secondment" {
        o.start_date.unwrap_or(release).max(release)
    } else {
        release
    };
    let planned_end = match o.kind.as_str() {
        "secondment" => o.end_date,
        "project" => o.end_date.or(o
            .duration_weeks
            .map(|w| effective + time::Duration::weeks(w.into()))),
        _ => None,
    };
    let to_profile = if matches!(o.kind.as_str(), "role" | "secondment") {
        o.job_profile_id.or(person.job_profile_id)
    } else {
        person.job_profile_id
    };
    let to_department = if o.kind == "project" {
        person.department_id
    } else {
        Some(o.department_id)
    };
    let move_id = sqlx::query_scalar!(
        "insert into moves (person_id, kind, source, from_profile_id, to_profile_id, from_department_id,
             to_department_id, effective_on, planned_end_on, release_on, opportunity_id, application_id, recorded_by_id)
         values ($1, $2, 'marketplace', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id",
        app.applicant_id, kind, person.job_profile_id, to_profile, person.department_id, to_department,
        effective, planned_end, release, app.opportunity_id, app.application_id, by
    )
    .fetch_one(&mut **tx)
    .await?;
    if permanent && effective <= today {
        sqlx::query!(
            "update people set job_profile_id = $2, department_id = $3, role_started_on = $4,
                 manager_id = case when $5 <> id then $5 else manager_id end, updated_at = now()
             where id = $1",
            app.applicant_id,
            to_profile,
            to_department,
            effective,
            app.owner_id
        )
        .execute(&mut **tx)
        .await?;
    }
    audit::record(&mut **tx, AuditActor::Person(by), "move.record", "move", Some(move_id.to_string()),
        json!({ "after": { "kind": kind, "person_id": app.applicant_id, "effective_on": effective, "release_on": release } })).await?;
    if let Some(manager) = person.manager_id.filter(|m| *m != app.owner_id) {
        let title = format!(
            "{} accepted {}: release by {}",
            person.display_name, app.title, release
        );
        notify(
            &mut **tx,
            &NewNotification {
                person_id: manager,
                kind: "move_agreed",
                title: &title,
                body: "An offer was accepted. Please plan the handover by the release date.",
                link: Some("/team"),
                opportunity_id: Some(app.opportunity_id),
                application_id: Some(app.application_id),
            },
        )
        .await?;
        if permanent {
            super::backfill::draft(
                tx,
                &super::backfill::Leaving {
                    mover: app.applicant_id,
                    mover_name: &person.display_name,
                    manager,
                    job_profile: person.job_profile_id,
                    department: person.department_id,
                    new_role: app.title,
                    release_on: release,
                    application: app.application_id,
                },
            )
            .await?;
        }
    }
    Ok(Some(move_id))
}
