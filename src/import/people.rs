//! People from the HR system, upserted by employee id.

use std::collections::HashSet;

use serde_json::json;
use sqlx::PgConnection;

use super::manager_loops;
use super::sheet::{parse_date, Sheet};
use super::staging::{self, Rows};
use super::{Kind, Options, Problem, Progress, Report, Step};
use crate::db::audit::Actor;

const REQUIRED: &[&str] = &[
    "employee_id",
    "email",
    "given_name",
    "family_name",
    "hire_date",
];
const OPTIONAL: &[&str] = &[
    "manager_employee_id",
    "department",
    "location",
    "job_profile",
    "status",
    "terminated_on",
];

const DDL: &str = "create temp table import_people (
    line bigint primary key, employee_id text, email text, given_name text, family_name text,
    manager text, department text, location text, job_profile text, hire_date date,
    status text, terminated_on date) on commit drop";
const COLUMNS: &str = "line, employee_id, email, given_name, family_name, manager, department, \
                       location, job_profile, hire_date, status, terminated_on";

/// Set-based checks on the staging table: `line, field, message, closest`.
const CHECKS: &[&str] = &[
    "select line, 'employee_id', 'employee id ' || employee_id || ' is also on line ' || first, null::text
     from (select line, employee_id, min(line) over (partition by employee_id) as first
           from import_people where employee_id is not null) d where line <> first",
    "select line, 'email', 'email ' || email || ' is also on line ' || first, null::text
     from (select line, email, min(line) over (partition by lower(email)) as first
           from import_people where email is not null) d where line <> first",
    "select s.line, 'email', 'email ' || s.email || ' belongs to employee ' || p.employee_number, null::text
     from import_people s join people p on lower(p.email) = lower(s.email)
     where p.employee_number <> s.employee_id
       and not exists (select 1 from import_people o where o.employee_id = p.employee_number
                       and lower(o.email) <> lower(p.email))",
    "select s.line, 'manager_employee_id', 'unknown manager ' || s.manager, null::text
     from import_people s
     where s.manager is not null
       and not exists (select 1 from import_people o where o.employee_id = s.manager)
       and not exists (select 1 from people p where p.employee_number = s.manager)",
    "select s.line, 'department', 'unknown department ' || s.department,
            (select d.name from departments d order by similarity(lower(d.name), lower(s.department)) desc, d.name limit 1)
     from import_people s
     where s.department is not null
       and not exists (select 1 from departments d where lower(d.name) = lower(s.department))",
    "select s.line, 'location', 'unknown location ' || s.location,
            (select l.name from locations l order by similarity(lower(l.name), lower(s.location)) desc, l.name limit 1)
     from import_people s
     where s.location is not null
       and not exists (select 1 from locations l where lower(l.name) = lower(s.location))",
    "select s.line, 'job_profile', 'unknown job profile ' || s.job_profile,
            (select j.title from job_profiles j where j.retired_at is null
             order by similarity(lower(j.title), lower(s.job_profile)) desc, j.title limit 1)
     from import_people s
     where s.job_profile is not null
       and not exists (select 1 from job_profiles j where lower(j.title) = lower(s.job_profile)
                       and j.retired_at is null)",
];

/// Import a people file.
pub async fn import(
    db: &sqlx::PgPool,
    bytes: &[u8],
    actor: Actor,
    options: Options,
    progress: Progress<'_>,
) -> anyhow::Result<Report> {
    let mut problems = Vec::new();
    let Some(sheet) = Sheet::read(bytes, REQUIRED, OPTIONAL, &mut problems) else {
        return Ok(staging::refused(Kind::People, 0, problems));
    };
    let total = sheet.rows();
    let rows = stage_rows(&sheet, options, &mut problems, progress);
    let mut tx = staging::begin(db).await?;
    progress(Step::Phase("copying into the staging table"));
    staging::copy(&mut tx, DDL, "import_people", COLUMNS, rows).await?;
    progress(Step::Phase("checking references"));
    staging::check(
        &mut tx,
        "import_people",
        CHECKS,
        options.keep_clean,
        &sheet,
        &mut problems,
    )
    .await?;
    manager_loops::check(&mut tx, &sheet, options.keep_clean, &mut problems).await?;
    if !problems.is_empty() && !options.keep_clean {
        return Ok(staging::refused(Kind::People, total, problems));
    }
    progress(Step::Phase("writing people"));
    let (inserted, changed) = apply(&mut tx, actor).await?;
    let mut report = staging::refused(Kind::People, total, problems);
    report.applied = true;
    report.inserted = inserted.len() as u64;
    report.updated = changed.len() as u64;
    report.unchanged = total.saturating_sub(report.rejected + report.inserted + report.updated);
    if options.keep_clean && !report.problems.is_empty() {
        report.rejects_csv = Some(sheet.rejects_csv(&report.problems));
    }
    let sample: Vec<&String> = changed.iter().take(200).collect();
    let details = json!({ "kind": "people", "updated_employee_ids": sample,
                          "inserted_employee_ids": inserted.iter().take(200).collect::<Vec<_>>() });
    staging::finish(tx, actor, &report, details).await?;
    Ok(report)
}

/// Field checks in Rust, and the CSV for COPY (rows with problems left out in keep-clean mode).
fn stage_rows(
    sheet: &Sheet,
    options: Options,
    problems: &mut Vec<Problem>,
    progress: Progress<'_>,
) -> Rows {
    let mut rows = Rows::default();
    for (n, (line, r)) in sheet.records.iter().enumerate() {
        let line = *line;
        let before = problems.len();
        let get = |name| sheet.get(r, name);
        sheet.require(line, r, REQUIRED, problems);
        let email = get("email");
        if !email.is_empty() && !valid_email(email) {
            problems.push(sheet.problem(line, "email", format!("{email} is not an email address")));
        }
        let hire = date(sheet, line, get("hire_date"), "hire_date", problems);
        let terminated = date(sheet, line, get("terminated_on"), "terminated_on", problems);
        let status = match get("status") {
            "" => "active",
            s @ ("active" | "on_leave" | "terminated") => s,
            other => {
                problems.push(sheet.problem(
                    line,
                    "status",
                    format!("status {other} is not one of active, on_leave, terminated"),
                ));
                "active"
            }
        };
        if (status == "terminated") == get("terminated_on").is_empty() {
            problems.push(sheet.problem(
                line,
                "terminated_on",
                "a terminated date is given exactly when the status is terminated",
            ));
        }
        if let (Some(h), Some(t)) = (hire, terminated) {
            if t < h {
                problems.push(sheet.problem(
                    line,
                    "terminated_on",
                    "terminated before the hire date",
                ));
            }
        }
        if !get("manager_employee_id").is_empty()
            && get("manager_employee_id") == get("employee_id")
        {
            problems.push(sheet.problem(
                line,
                "manager_employee_id",
                "a person cannot be their own manager",
            ));
        }
        if options.keep_clean && problems.len() > before {
            continue;
        }
        let (line_s, hire_s, term_s) = (
            line.to_string(),
            hire.map(|d| d.to_string()).unwrap_or_default(),
            terminated.map(|d| d.to_string()).unwrap_or_default(),
        );
        rows.push([
            line_s.as_str(),
            get("employee_id"),
            email,
            get("given_name"),
            get("family_name"),
            get("manager_employee_id"),
            get("department"),
            get("location"),
            get("job_profile"),
            &hire_s,
            status,
            &term_s,
        ]);
        if n % 10_000 == 0 {
            progress(Step::Rows(n as u64));
        }
    }
    progress(Step::Rows(sheet.records.len() as u64));
    rows
}

fn date(
    sheet: &Sheet,
    line: u64,
    value: &str,
    name: &str,
    problems: &mut Vec<Problem>,
) -> Option<time::Date> {
    if value.is_empty() {
        return None;
    }
    let d = parse_date(value);
    if d.is_none() {
        problems.push(sheet.problem(line, name, format!("{value} is not a date (YYYY-MM-DD)")));
    }
    d
}

fn valid_email(s: &str) -> bool {
    let mut parts = s.split('@');
    matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(b), None)
        if !a.is_empty() && !b.is_empty() && !s.contains(char::is_whitespace))
}

/// Upsert from staging: people first (without managers), then the manager links. Returns the
/// employee ids inserted and those changed.
async fn apply(
    conn: &mut PgConnection,
    actor: Actor,
) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    // What the people in the file looked like before, for the audit trail's before/after.
    sqlx::query(
        "create temp table import_people_before on commit drop as
         select p.id, p.email, p.given_name, p.family_name, p.department_id, p.location_id,
                p.job_profile_id, p.manager_id, p.hire_date, p.employment_status, p.terminated_on
         from people p join import_people s on s.employee_id = p.employee_number",
    )
    .execute(&mut *conn)
    .await?;
    let upserted: Vec<(String, bool)> = sqlx::query_as(
        "insert into people (employee_number, email, given_name, family_name, display_name,
             department_id, location_id, job_profile_id, hire_date, role_started_on,
             employment_status, terminated_on)
         select s.employee_id, s.email, s.given_name, s.family_name,
                s.given_name || ' ' || s.family_name, d.id, l.id, j.id, s.hire_date, s.hire_date,
                s.status, s.terminated_on
         from import_people s
         left join departments d on lower(d.name) = lower(s.department)
         left join locations l on lower(l.name) = lower(s.location)
         left join job_profiles j on lower(j.title) = lower(s.job_profile) and j.retired_at is null
         on conflict (employee_number) do update set
             email = excluded.email, given_name = excluded.given_name,
             family_name = excluded.family_name, display_name = excluded.display_name,
             department_id = excluded.department_id, location_id = excluded.location_id,
             job_profile_id = excluded.job_profile_id, hire_date = excluded.hire_date,
             role_started_on = case
                 when people.job_profile_id is distinct from excluded.job_profile_id
                     then greatest(current_date, excluded.hire_date)
                 else greatest(people.role_started_on, excluded.hire_date) end,
             employment_status = excluded.employment_status,
             terminated_on = excluded.terminated_on
         where (people.email, people.given_name, people.family_name, people.department_id,
                people.location_id, people.job_profile_id, people.hire_date,
                people.employment_status, people.terminated_on)
               is distinct from
               (excluded.email, excluded.given_name, excluded.family_name, excluded.department_id,
                excluded.location_id, excluded.job_profile_id, excluded.hire_date,
                excluded.employment_status, excluded.terminated_on)
         returning employee_number, (xmax = 0)",
    )
    .fetch_all(&mut *conn)
    .await?;
    let relinked: Vec<(String,)> = sqlx::query_as(
        "update people p set manager_id = m.id
         from import_people s left join people m on m.employee_number = s.manager
         where p.employee_number = s.employee_id and p.manager_id is distinct from m.id
         returning p.employee_number",
    )
    .fetch_all(&mut *conn)
    .await?;
    audit_people(conn, actor).await?;
    let mut inserted = Vec::new();
    let mut changed: Vec<String> = Vec::new();
    for (e, new) in upserted {
        if new {
            inserted.push(e);
        } else {
            changed.push(e);
        }
    }
    let new: HashSet<&String> = inserted.iter().collect();
    let mut seen: HashSet<String> = changed.iter().cloned().collect();
    for (e,) in relinked {
        if !new.contains(&e) && seen.insert(e.clone()) {
            changed.push(e);
        }
    }
    Ok((inserted, changed))
}

/// One audit row per person the import added or changed, with what changed before and after
/// (set-based: a 200,000-person import writes its rows in one statement).
async fn audit_people(conn: &mut PgConnection, actor: Actor) -> anyhow::Result<()> {
    let (actor_id, actor_kind) = actor.columns();
    sqlx::query(
        "insert into audit_log (actor_id, actor_kind, action, entity_type, entity_id, details)
         select $1, $2,
                case when b.id is null then 'person.import_create' else 'person.import_update' end,
                'person', p.id::text,
                jsonb_build_object(
                    'source', 'import',
                    'before', case when b.id is null then null else jsonb_build_object(
                        'email', b.email, 'given_name', b.given_name, 'family_name', b.family_name,
                        'department_id', b.department_id, 'location_id', b.location_id,
                        'job_profile_id', b.job_profile_id, 'manager_id', b.manager_id,
                        'hire_date', b.hire_date, 'employment_status', b.employment_status,
                        'terminated_on', b.terminated_on) end,
                    'after', jsonb_build_object(
                        'email', p.email, 'given_name', p.given_name, 'family_name', p.family_name,
                        'department_id', p.department_id, 'location_id', p.location_id,
                        'job_profile_id', p.job_profile_id, 'manager_id', p.manager_id,
                        'hire_date', p.hire_date, 'employment_status', p.employment_status,
                        'terminated_on', p.terminated_on))
         from people p
         join import_people s on s.employee_id = p.employee_number
         left join import_people_before b on b.id = p.id
         where b.id is null
            or (b.email, b.given_name, b.family_name, b.department_id, b.location_id,
                b.job_profile_id, b.manager_id, b.hire_date, b.employment_status, b.terminated_on)
               is distinct from
               (p.email, p.given_name, p.family_name, p.department_id, p.location_id,
                p.job_profile_id, p.manager_id, p.hire_date, p.employment_status, p.terminated_on)",
    )
    .bind(actor_id)
    .bind(actor_kind)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
