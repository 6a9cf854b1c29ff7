//! People's skills from the HR system: a skill is named by its name, an alias or its ESCO
//! URI; a merged skill counts as its survivor. Upserted by (employee, skill).

use serde_json::json;

use super::sheet::Sheet;
use super::staging::{self, Rows};
use super::{Kind, Options, Progress, Report, Step};
use crate::db::audit::Actor;
use crate::domain::skill_level::SkillLevel;

const REQUIRED: &[&str] = &["employee_id", "skill", "level"];
const OPTIONAL: &[&str] = &["evidence"];

const DDL: &str = "create temp table import_skills (
    line bigint primary key, employee_id text, skill text, level smallint, evidence text,
    person_id uuid, skill_id uuid) on commit drop";
const COLUMNS: &str = "line, employee_id, skill, level, evidence";

/// Finds each row's person and skill (URI, then name, then alias; merged skills followed).
const RESOLVE: &str = "update import_skills s set
    person_id = (select p.id from people p where p.employee_number = s.employee_id),
    skill_id = coalesce(
        (select coalesce(k.merged_into_id, k.id) from skills k where k.esco_uri = s.skill),
        (select coalesce(k.merged_into_id, k.id) from skills k where lower(k.name) = lower(s.skill)),
        (select coalesce(k.merged_into_id, k.id) from skill_aliases a join skills k on k.id = a.skill_id
         where lower(a.alias) = lower(s.skill)))";

const CHECKS: &[&str] = &[
    "select line, 'employee_id', 'unknown employee ' || employee_id, null::text
     from import_skills where employee_id is not null and person_id is null",
    "select s.line, 'skill', 'unknown skill ' || s.skill,
            (select k.name from skills k where k.merged_into_id is null
             order by lower(k.name) <-> lower(s.skill), k.name limit 1)
     from import_skills s where s.skill is not null and s.skill_id is null",
    "select line, 'skill', 'this person''s skill is also on line ' || first, null::text
     from (select line, min(line) over (partition by person_id, skill_id) as first
           from import_skills where person_id is not null and skill_id is not null) d
     where line <> first",
];

/// Import a people's-skills file.
pub async fn import(
    db: &sqlx::PgPool,
    bytes: &[u8],
    actor: Actor,
    options: Options,
    progress: Progress<'_>,
) -> anyhow::Result<Report> {
    let mut problems = Vec::new();
    let Some(sheet) = Sheet::read(bytes, REQUIRED, OPTIONAL, &mut problems) else {
        return Ok(staging::refused(Kind::Skills, 0, problems));
    };
    let total = sheet.rows();
    let mut rows = Rows::default();
    for (line, r) in &sheet.records {
        let before = problems.len();
        let get = |name| sheet.get(r, name);
        sheet.require(*line, r, REQUIRED, &mut problems);
        let level = get("level");
        let level_ok = level
            .parse::<i64>()
            .is_ok_and(|n| SkillLevel::try_from(n).is_ok());
        if !level.is_empty() && !level_ok {
            problems.push(sheet.problem(*line, "level", format!("level {level} is not 1 to 5")));
        }
        let evidence = match get("evidence") {
            "" => "self_assessed",
            e @ ("self_assessed" | "course_completed" | "assessed") => e,
            other => {
                problems.push(sheet.problem(
                    *line,
                    "evidence",
                    format!(
                        "evidence {other} is not one of self_assessed, course_completed, assessed \
                     (a manager validates in Trellis)"
                    ),
                ));
                "self_assessed"
            }
        };
        if options.keep_clean && problems.len() > before {
            continue;
        }
        let line = line.to_string();
        let level = if level_ok { level } else { "" };
        rows.push([
            line.as_str(),
            get("employee_id"),
            get("skill"),
            level,
            evidence,
        ]);
    }
    progress(Step::Rows(total));
    let mut tx = staging::begin(db).await?;
    staging::copy(&mut tx, DDL, "import_skills", COLUMNS, rows).await?;
    progress(Step::Phase("checking references"));
    sqlx::query(RESOLVE).execute(&mut *tx).await?;
    staging::check(
        &mut tx,
        "import_skills",
        CHECKS,
        options.keep_clean,
        &sheet,
        &mut problems,
    )
    .await?;
    if !problems.is_empty() && !options.keep_clean {
        return Ok(staging::refused(Kind::Skills, total, problems));
    }
    progress(Step::Phase("writing skills"));
    let (actor_id, actor_kind) = actor.columns();
    // One statement: the levels before (every CTE sees the table as it was), the upsert, and
    // one audit row per skill level added or changed, with before and after.
    let written: Vec<(bool,)> = sqlx::query_as(
        "with before as (
             select ps.person_id, ps.skill_id, ps.level, ps.evidence
             from person_skills ps join import_skills s using (person_id, skill_id)
         ),
         written as (
             insert into person_skills (person_id, skill_id, level, evidence)
             select person_id, skill_id, level, evidence from import_skills
             on conflict (person_id, skill_id) do update set
                 level = excluded.level, evidence = excluded.evidence,
                 validated_by_id = null, validated_at = null
             where (person_skills.level, person_skills.evidence)
                   is distinct from (excluded.level, excluded.evidence)
             returning person_id, skill_id, level, evidence, (xmax = 0) as new
         ),
         audited as (
             insert into audit_log (actor_id, actor_kind, action, entity_type, entity_id, details)
             select $1, $2, 'person_skill.import', 'person_skill',
                    w.person_id::text || '/' || w.skill_id::text,
                    jsonb_build_object('source', 'import', 'person_id', w.person_id,
                        'skill_id', w.skill_id,
                        'before', case when b.person_id is null then null
                                  else jsonb_build_object('level', b.level, 'evidence', b.evidence) end,
                        'after', jsonb_build_object('level', w.level, 'evidence', w.evidence))
             from written w left join before b using (person_id, skill_id)
         )
         select new from written",
    )
    .bind(actor_id)
    .bind(actor_kind)
    .fetch_all(&mut *tx)
    .await?;
    let mut report = staging::refused(Kind::Skills, total, problems);
    report.applied = true;
    report.inserted = written.iter().filter(|(new,)| *new).count() as u64;
    report.updated = written.len() as u64 - report.inserted;
    report.unchanged = total.saturating_sub(report.rejected + written.len() as u64);
    if options.keep_clean && !report.problems.is_empty() {
        report.rejects_csv = Some(sheet.rejects_csv(&report.problems));
    }
    staging::finish(tx, actor, &report, json!({ "kind": "skills" })).await?;
    Ok(report)
}
