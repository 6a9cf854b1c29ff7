//! A skill taxonomy from CSV: name, category, description, aliases (separated by `|`),
//! esco_uri. Upserted by name (case-insensitive); categories are created as needed; aliases
//! are added. A row with an `esco_uri` gives an imported ESCO skill the company's own label
//! ("Kubernetes" for "manage ICT virtualisation environments"): the skill is renamed, keeps
//! the ESCO label as an alias, and is marked hand-edited so an ESCO re-import keeps the name.

use serde_json::json;

use super::sheet::Sheet;
use super::staging::{self, Rows};
use super::{Kind, Options, Progress, Report, Step};
use crate::db::audit::Actor;

const REQUIRED: &[&str] = &["name"];
const OPTIONAL: &[&str] = &["category", "description", "aliases", "esco_uri"];

const DDL: &str = "create temp table import_taxonomy (
    line bigint primary key, name text, category text, description text, aliases text,
    esco_uri text)
    on commit drop";
const COLUMNS: &str = "line, name, category, description, aliases, esco_uri";

const CHECKS: &[&str] = &[
    "select line, 'name', 'skill ' || name || ' is also on line ' || first, null::text
     from (select line, name, min(line) over (partition by lower(name)) as first
           from import_taxonomy where name is not null) d where line <> first",
    "select s.line, 'name', 'skill ' || s.name || ' was merged into ' || v.name, v.name
     from import_taxonomy s join skills k on lower(k.name) = lower(s.name)
     join skills v on v.id = k.merged_into_id",
    "select s.line, 'esco_uri', 'no skill was imported from ESCO with this URI (import ESCO first)', null::text
     from import_taxonomy s where s.esco_uri is not null
       and not exists (select 1 from skills k where k.esco_uri = s.esco_uri)",
    "select s.line, 'name', 'the name ' || s.name || ' is already the skill ' || o.name || ', not the ESCO skill ' || k.name, null::text
     from import_taxonomy s join skills k on k.esco_uri = s.esco_uri
     join skills o on lower(o.name) = lower(s.name) and o.id <> k.id",
];

/// Import a taxonomy file.
pub async fn import(
    db: &sqlx::PgPool,
    bytes: &[u8],
    actor: Actor,
    options: Options,
    progress: Progress<'_>,
) -> anyhow::Result<Report> {
    let mut problems = Vec::new();
    let Some(sheet) = Sheet::read(bytes, REQUIRED, OPTIONAL, &mut problems) else {
        return Ok(staging::refused(Kind::Taxonomy, 0, problems));
    };
    let total = sheet.rows();
    let mut rows = Rows::default();
    for (line, r) in &sheet.records {
        let get = |name| sheet.get(r, name);
        if get("name").is_empty() {
            problems.push(sheet.problem(*line, "name", "name is required"));
            if options.keep_clean {
                continue;
            }
        }
        let line = line.to_string();
        rows.push([
            line.as_str(),
            get("name"),
            get("category"),
            get("description"),
            get("aliases"),
            get("esco_uri"),
        ]);
    }
    progress(Step::Rows(total));
    let mut tx = staging::begin(db).await?;
    staging::copy(&mut tx, DDL, "import_taxonomy", COLUMNS, rows).await?;
    staging::check(
        &mut tx,
        "import_taxonomy",
        CHECKS,
        options.keep_clean,
        &sheet,
        &mut problems,
    )
    .await?;
    if !problems.is_empty() && !options.keep_clean {
        return Ok(staging::refused(Kind::Taxonomy, total, problems));
    }
    progress(Step::Phase("writing the taxonomy"));
    // The company's labels for ESCO skills: the ESCO label stays as an alias.
    sqlx::query(
        "insert into skill_aliases (skill_id, alias)
         select k.id, k.name from import_taxonomy s join skills k on k.esco_uri = s.esco_uri
         where k.name <> s.name on conflict do nothing",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "delete from skill_aliases a using import_taxonomy s, skills k
         where k.esco_uri = s.esco_uri and a.skill_id = k.id and lower(a.alias) = lower(s.name)",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "update skills k set name = s.name, hand_edited_at = now(), updated_at = now()
         from import_taxonomy s where s.esco_uri = k.esco_uri and k.name <> s.name",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "insert into skill_categories (name)
         select distinct category from import_taxonomy where category is not null
         on conflict (name) do nothing",
    )
    .execute(&mut *tx)
    .await?;
    let written: Vec<(bool,)> = sqlx::query_as(
        "insert into skills (name, category_id, description)
         select s.name, c.id, coalesce(s.description, '')
         from import_taxonomy s left join skill_categories c on c.name = s.category
         on conflict (lower(name)) do update set
             category_id = coalesce(excluded.category_id, skills.category_id),
             description = case when excluded.description = '' then skills.description
                                else excluded.description end,
             hand_edited_at = now()
         where (skills.category_id, skills.description) is distinct from
               (coalesce(excluded.category_id, skills.category_id),
                case when excluded.description = '' then skills.description else excluded.description end)
         returning (xmax = 0)",
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query(
        "insert into skill_aliases (skill_id, alias)
         select k.id, btrim(a) from import_taxonomy s
         join skills k on lower(k.name) = lower(s.name)
         cross join lateral unnest(string_to_array(s.aliases, '|')) a
         where btrim(a) <> '' and lower(btrim(a)) <> lower(k.name)
           and not exists (select 1 from skills o where lower(o.name) = lower(btrim(a)))
         on conflict do nothing",
    )
    .execute(&mut *tx)
    .await?;
    let mut report = staging::refused(Kind::Taxonomy, total, problems);
    report.applied = true;
    report.inserted = written.iter().filter(|(n,)| *n).count() as u64;
    report.updated = written.len() as u64 - report.inserted;
    report.unchanged = total.saturating_sub(report.rejected + written.len() as u64);
    if options.keep_clean && !report.problems.is_empty() {
        report.rejects_csv = Some(sheet.rejects_csv(&report.problems));
    }
    staging::finish(tx, actor, &report, json!({ "kind": "taxonomy" })).await?;
    Ok(report)
}
