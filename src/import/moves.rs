//! Moves, external hires and leavers from the HR system. A move already recorded (same
//! person, kind and date) is skipped, so a re-import changes nothing; a new one updates the
//! person (job profile and department, or the leaving date).

use serde_json::json;

use super::sheet::{parse_date, Sheet};
use super::staging::{self, Rows};
use super::{Kind, Options, Progress, Report, Step};
use crate::db::audit::Actor;

const REQUIRED: &[&str] = &["employee_id", "kind", "effective_on"];
const OPTIONAL: &[&str] = &["to_job_profile", "to_department"];
const KINDS: &[&str] = &["promotion", "lateral_move", "external_hire", "leaver"];

const DDL: &str = "create temp table import_moves (
    line bigint primary key, employee_id text, kind text, effective_on date,
    to_job_profile text, to_department text) on commit drop";
const COLUMNS: &str = "line, employee_id, kind, effective_on, to_job_profile, to_department";

const CHECKS: &[&str] = &[
    "select s.line, 'employee_id', 'unknown employee ' || s.employee_id, null::text
     from import_moves s where s.employee_id is not null
       and not exists (select 1 from people p where p.employee_number = s.employee_id)",
    "select s.line, 'to_job_profile', 'unknown job profile ' || s.to_job_profile,
            (select j.title from job_profiles j where j.retired_at is null
             order by similarity(lower(j.title), lower(s.to_job_profile)) desc, j.title limit 1)
     from import_moves s where s.to_job_profile is not null
       and not exists (select 1 from job_profiles j where lower(j.title) = lower(s.to_job_profile))",
    "select s.line, 'to_department', 'unknown department ' || s.to_department,
            (select d.name from departments d order by similarity(lower(d.name), lower(s.to_department)) desc, d.name limit 1)
     from import_moves s where s.to_department is not null
       and not exists (select 1 from departments d where lower(d.name) = lower(s.to_department))",
    "select line, 'kind', 'the same move is also on line ' || first, null::text
     from (select line, min(line) over (partition by employee_id, kind, effective_on) as first
           from import_moves) d where line <> first",
];

/// Import a moves file.
pub async fn import(
    db: &sqlx::PgPool,
    bytes: &[u8],
    actor: Actor,
    options: Options,
    progress: Progress<'_>,
) -> anyhow::Result<Report> {
    let mut problems = Vec::new();
    let Some(sheet) = Sheet::read(bytes, REQUIRED, OPTIONAL, &mut problems) else {
        return Ok(staging::refused(Kind::Moves, 0, problems));
    };
    let total = sheet.rows();
    let mut rows = Rows::default();
    for (line, r) in &sheet.records {
        let before = problems.len();
        let get = |name| sheet.get(r, name);
        sheet.require(*line, r, REQUIRED, &mut problems);
        let kind = get("kind");
        if !kind.is_empty() && !KINDS.contains(&kind) {
            problems.push(sheet.problem(
                *line,
                "kind",
                format!("kind {kind} is not one of {}", KINDS.join(", ")),
            ));
        }
        if matches!(kind, "promotion" | "lateral_move") && get("to_job_profile").is_empty() {
            problems.push(sheet.problem(
                *line,
                "to_job_profile",
                "a promotion or lateral move needs the new job profile",
            ));
        }
        let date = parse_date(get("effective_on"));
        if date.is_none() && !get("effective_on").is_empty() {
            problems.push(sheet.problem(
                *line,
                "effective_on",
                format!("{} is not a date (YYYY-MM-DD)", get("effective_on")),
            ));
        }
        if options.keep_clean && problems.len() > before {
            continue;
        }
        let (line, date) = (
            line.to_string(),
            date.map(|d| d.to_string()).unwrap_or_default(),
        );
        rows.push([
            line.as_str(),
            get("employee_id"),
            kind,
            &date,
            get("to_job_profile"),
            get("to_department"),
        ]);
    }
    progress(Step::Rows(total));
    let mut tx = staging::begin(db).await?;
    staging::copy(&mut tx, DDL, "import_moves", COLUMNS, rows).await?;
    progress(Step::Phase("checking references"));
    staging::check(
        &mut tx,
        "import_moves",
        CHECKS,
        options.keep_clean,
        &sheet,
        &mut problems,
    )
    .await?;
    if !problems.is_empty() && !options.keep_clean {
        return Ok(staging::refused(Kind::Moves, total, problems));
    }
    progress(Step::Phase("writing moves"));
    let inserted = apply(&mut tx, actor).await?;
    let mut report = staging::refused(Kind::Moves, total, problems);
    report.applied = true;
    report.inserted = inserted;
    report.unchanged = total.saturating_sub(report.rejected + inserted);
    if options.keep_clean && !report.problems.is_empty() {
        report.rejects_csv = Some(sheet.rejects_csv(&report.problems));
    }
    staging::finish(tx, actor, &report, json!({ "kind": "moves" })).await?;
    Ok(report)
}

/// Record the new moves and bring each moved person up to date (latest move wins); one audit
/// row per move recorded.
async fn apply(conn: &mut sqlx::PgConnection, actor: Actor) -> anyhow::Result<u64> {
    let (actor_id, actor_kind) = actor.columns();
    let (inserted,): (i64,) = sqlx::query_as(
        "with src as (
             select s.*, p.id as person_id, p.job_profile_id, p.department_id,
                    j.id as to_profile_id, d.id as to_department_id
             from import_moves s
             join people p on p.employee_number = s.employee_id
             left join job_profiles j on lower(j.title) = lower(s.to_job_profile)
             left join departments d on lower(d.name) = lower(s.to_department)
             where not exists (select 1 from moves m where m.person_id = p.id
                               and m.kind = s.kind and m.effective_on = s.effective_on)
         ), ins as (
             insert into moves (person_id, kind, source, from_profile_id, to_profile_id,
                                from_department_id, to_department_id, effective_on)
             select person_id, kind,
                    case kind when 'external_hire' then 'external_hire'
                              when 'leaver' then 'leaver' else 'import' end,
                    case when kind = 'external_hire' then null else job_profile_id end,
                    case when kind = 'leaver' then null else coalesce(to_profile_id, job_profile_id) end,
                    case when kind = 'external_hire' then null else department_id end,
                    case when kind = 'leaver' then null else coalesce(to_department_id, department_id) end,
                    effective_on
             from src
             returning id, person_id, kind, from_profile_id, to_profile_id, from_department_id,
                       to_department_id, effective_on
         ), audited as (
             insert into audit_log (actor_id, actor_kind, action, entity_type, entity_id, details)
             select $1, $2, 'move.import', 'move', i.id::text,
                    jsonb_build_object('source', 'import', 'before', null, 'after', jsonb_build_object(
                        'person_id', i.person_id, 'kind', i.kind, 'effective_on', i.effective_on,
                        'from_profile_id', i.from_profile_id, 'to_profile_id', i.to_profile_id,
                        'from_department_id', i.from_department_id,
                        'to_department_id', i.to_department_id))
             from ins i
         ), latest as (
             select distinct on (person_id) * from ins order by person_id, effective_on desc
         ), upd as (
             update people p set
                 job_profile_id = case when l.kind = 'leaver' then p.job_profile_id else l.to_profile_id end,
                 department_id = case when l.kind = 'leaver' then p.department_id else l.to_department_id end,
                 role_started_on = case when l.kind = 'leaver' then p.role_started_on
                                        else greatest(l.effective_on, p.hire_date) end,
                 employment_status = case when l.kind = 'leaver' then 'terminated' else p.employment_status end,
                 terminated_on = case when l.kind = 'leaver' then greatest(l.effective_on, p.hire_date) else p.terminated_on end
             from latest l where p.id = l.person_id
             returning p.id
         )
         select (select count(*) from ins) + 0 * (select count(*) from upd)",
    )
    .bind(actor_id)
    .bind(actor_kind)
    .fetch_one(&mut *conn)
    .await?;
    Ok(inserted as u64)
}
