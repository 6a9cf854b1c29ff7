//! Exports for HR's other tools: people, skills, applications and moves as CSV or JSON,
//! streamed from the database (constant memory, so 200 000 rows are no problem). For HR, and
//! for API tokens with the read scope. Each export is audited. CSV goes through
//! `domain::csv_out`, so a value that would run as a spreadsheet formula is neutralised.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde_json::{json, Map, Value};
use sqlx::Row;

use crate::api::Problem;
use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::domain::csv_out::CsvOut;
use crate::error::{AppError, Result};
use crate::http::extract::Path;
use crate::http::session::CurrentUser;

/// Rows per chunk sent to the client.
const CHUNK_ROWS: usize = 500;

/// The SQL of each export: every column as text, in a stable order.
pub fn export_sql(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "people" => {
            "select p.id::text as id, p.employee_number, p.email, p.given_name, p.family_name,
                p.display_name, d.name as department, p.manager_id::text as manager_id,
                m.email as manager_email, l.name as location, jp.title as job_profile,
                p.hire_date::text as hire_date, p.role_started_on::text as role_started_on,
                p.employment_status, p.terminated_on::text as terminated_on, p.external_id
            from people p
            left join departments d on d.id = p.department_id
            left join people m on m.id = p.manager_id
            left join locations l on l.id = p.location_id
            left join job_profiles jp on jp.id = p.job_profile_id
            order by p.employee_number"
        }
        "skills" => {
            "select ps.person_id::text as person_id, p.employee_number, p.email,
                ps.skill_id::text as skill_id, s.name as skill, c.name as category,
                ps.level::text as level, ps.evidence, ps.validated_at::text as validated_at,
                ps.updated_at::text as updated_at
            from person_skills ps
            join people p on p.id = ps.person_id
            join skills s on s.id = ps.skill_id
            left join skill_categories c on c.id = s.category_id
            order by p.employee_number, s.name"
        }
        "applications" => {
            "select a.id::text as id, a.opportunity_id::text as opportunity_id,
                o.title as opportunity, o.kind as opportunity_kind,
                a.applicant_id::text as applicant_id, p.email as applicant_email, a.status,
                a.fit_score::text as fit_score, a.submitted_at::text as submitted_at,
                a.decided_at::text as decided_at
            from applications a
            join opportunities o on o.id = a.opportunity_id
            join people p on p.id = a.applicant_id
            order by a.submitted_at, a.id"
        }
        "moves" => {
            "select mv.id::text as id, mv.person_id::text as person_id, p.email, mv.kind,
                mv.source, fp.title as from_profile, tp.title as to_profile,
                fd.name as from_department, td.name as to_department,
                mv.effective_on::text as effective_on, mv.opportunity_id::text as opportunity_id
            from moves mv
            join people p on p.id = mv.person_id
            left join job_profiles fp on fp.id = mv.from_profile_id
            left join job_profiles tp on tp.id = mv.to_profile_id
            left join departments fd on fd.id = mv.from_department_id
            left join departments td on td.id = mv.to_department_id
            order by mv.effective_on, mv.id"
        }
        _ => return None,
    })
}

/// Download an export: `people.csv`, `skills.json`, `applications.csv`, `moves.json`, ...
#[utoipa::path(get, path = "/exports/{file}", tag = "integrations",
    params(("file" = String, Path, description = "people, skills, applications or moves, with .csv or .json")),
    responses((status = 200, description = "The export, streamed", content((String = "text/csv"), (String = "application/json"))),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(file): Path<String>,
) -> Result<Response> {
    let (kind, format) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let sql = export_sql(kind).ok_or(AppError::NotFound)?;
    let json = match format {
        "csv" => false,
        "json" => true,
        _ => return Err(AppError::NotFound),
    };
    audit::record(
        &state.db,
        Actor::Person(user.id),
        "export",
        kind,
        None,
        json!({ "format": format, "by": user.display_name }),
    )
    .await?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<std::result::Result<Bytes, std::io::Error>>(8);
    let db = state.db.clone();
    tokio::spawn(async move {
        let mut rows = sqlx::query(sql).fetch(&db);
        let mut buf: Vec<u8> = if json { b"[".to_vec() } else { vec![] };
        let (mut n, mut header_done) = (0usize, false);
        while let Some(row) = rows.next().await {
            let row = match row {
                Ok(r) => r,
                Err(err) => {
                    tracing::error!(%err, "export failed");
                    let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
                    return;
                }
            };
            let names: Vec<&str> = row.columns().iter().map(sqlx::Column::name).collect();
            let values: Vec<Option<String>> = (0..names.len())
                .map(|i| row.try_get(i).ok().flatten())
                .collect();
            if json {
                let obj: Map<String, Value> = names
                    .iter()
                    .zip(&values)
                    .map(|(k, v)| {
                        (
                            k.to_string(),
                            v.clone().map(Value::String).unwrap_or(Value::Null),
                        )
                    })
                    .collect();
                if n > 0 {
                    buf.push(b',');
                }
                buf.extend_from_slice(Value::Object(obj).to_string().as_bytes());
            } else {
                let mut csv = CsvOut::new();
                if !header_done {
                    csv.row(&names);
                    header_done = true;
                }
                csv.row(values.iter().map(|v| v.as_deref().unwrap_or("")));
                buf.extend(csv.take());
            }
            n += 1;
            if n % CHUNK_ROWS == 0
                && tx
                    .send(Ok(Bytes::from(std::mem::take(&mut buf))))
                    .await
                    .is_err()
            {
                return; // the client went away
            }
        }
        if json {
            buf.push(b']');
        }
        let _ = tx.send(Ok(Bytes::from(buf))).await;
    });
    // The receiver as a stream that keeps answering "ended" once it has ended: the gzip
    // layer polls the body once more after its last chunk, and a stream that panics then (as
    // `stream::unfold` does) cut every compressed export short.
    let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let content_type = if json {
        "application/json"
    } else {
        "text/csv; charset=utf-8"
    };
    let disposition = format!("attachment; filename=\"trellis-{kind}.{format}\"");
    Ok((
        [
            (CONTENT_TYPE, content_type.to_string()),
            (CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}
