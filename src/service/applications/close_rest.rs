//! When an opening's last position is filled, the applications still open are closed, each
//! with a message to its applicant: their fit, their gaps and the courses that close them,
//! and a link to be alerted to similar openings. Nobody is left waiting on a filled opening.

use serde_json::json;
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use crate::db::audit::{self, Actor as AuditActor};
use crate::db::notifications::{notify, NewNotification};
use crate::domain::application::ApplicationStatus;
use crate::engine::Engine;
use crate::error::Result;

/// The reason each closed application carries (the applicant reads it in their timeline).
pub const FILLED_REASON: &str =
    "All positions of this opening are filled, so the applications still open were closed.";

/// The weekly learning hours assumed for the time-to-ready in the closing message.
const WEEKLY_HOURS: f32 = 3.0;

/// Close every other open application of `opportunity` once its positions are all filled
/// (a no-op while a position is left). Runs in the acceptance's transaction. Returns how many
/// applications were closed.
pub async fn close_if_filled(
    tx: &mut Transaction<'_, Postgres>,
    engine: &Engine,
    opportunity: Uuid,
    accepted: Uuid,
    by: Uuid,
    today: i32,
) -> Result<usize> {
    let o = sqlx::query!(
        r#"select o.title, o.kind, o.positions, o.positions_filled, jp.family_id as "family?"
           from opportunities o left join job_profiles jp on jp.id = o.job_profile_id
           where o.id = $1"#,
        opportunity
    )
    .fetch_one(&mut **tx)
    .await?;
    if o.positions_filled < o.positions {
        return Ok(0);
    }
    let open: Vec<&str> = ApplicationStatus::ALL
        .iter()
        .filter(|s| !s.is_final())
        .map(|s| s.as_str())
        .collect();
    let rest = sqlx::query!(
        "select id, applicant_id, status from applications
         where opportunity_id = $1 and id <> $2 and status = any($3)
         order by id for update",
        opportunity,
        accepted,
        &open as &[&str]
    )
    .fetch_all(&mut **tx)
    .await?;
    let similar = match o.family {
        Some(family) => format!("/opportunities?kind={}&family={family}", o.kind),
        None => format!("/opportunities?kind={}", o.kind),
    };
    for a in &rest {
        let rejected = ApplicationStatus::Rejected.as_str();
        sqlx::query!(
            "update applications set status = $2, updated_at = now(), decided_at = now() where id = $1",
            a.id,
            rejected
        )
        .execute(&mut **tx)
        .await?;
        sqlx::query!(
            "insert into application_events (application_id, from_status, to_status, actor_id, reason)
             values ($1, $2, $3, $4, $5)",
            a.id,
            a.status,
            rejected,
            by,
            FILLED_REASON
        )
        .execute(&mut **tx)
        .await?;
        audit::record(
            &mut **tx,
            AuditActor::Person(by),
            "application.closed_filled",
            "application",
            Some(a.id.to_string()),
            json!({ "before": { "status": a.status }, "after": { "status": rejected },
                    "reason": FILLED_REASON }),
        )
        .await?;
        let title = format!("{} is filled", o.title);
        let body = message(engine, a.applicant_id, opportunity, &similar, today);
        notify(
            &mut **tx,
            &NewNotification {
                person_id: a.applicant_id,
                kind: "application_closed",
                title: &title,
                body: &body,
                link: Some(&similar),
                opportunity_id: Some(opportunity),
                application_id: Some(a.id),
            },
        )
        .await?;
    }
    Ok(rest.len())
}

/// What the applicant reads: why it closed, their fit and gaps, the courses that close the
/// gaps, and where to set an alert for similar openings.
fn message(engine: &Engine, person: Uuid, opportunity: Uuid, similar: &str, today: i32) -> String {
    let mut s = String::from(
        "All positions of this opening are filled, so your application is closed. Thank you for applying.",
    );
    if let Some(r) = engine.readiness(person, opportunity, WEEKLY_HOURS, today) {
        s.push_str(&format!(
            "\n\nYour fit was {}%. {}.",
            r.fit.score,
            r.fit.headline.trim_end_matches('.')
        ));
        let p = &r.path;
        if !p.steps.is_empty() {
            let courses: Vec<&str> = p.steps.iter().take(3).map(|c| c.title.as_str()).collect();
            s.push_str(&format!(
                "\n\nYour learning path for openings like it: {} hours of courses ({}{}) would take your fit from {} to {}.",
                p.total_hours,
                courses.join(", "),
                if p.steps.len() > 3 { ", ..." } else { "" },
                p.score_now,
                p.score_after_path
            ));
        }
    }
    s.push_str(&format!(
        "\n\nTo hear of similar openings, open {similar} and choose \"Save this search\": you get an alert when one is posted."
    ));
    s
}
