//! The ESCO classification (official CSV export, v1.1.1): skill groups become categories,
//! skills keep their alternative labels as aliases, skill-skill relations become related
//! skills and, when asked, occupations become job profiles (essential skills required, optional
//! ones nice to have). Keyed by the ESCO URI: a re-import changes nothing new, and never
//! overwrites a skill HR edited by hand (`hand_edited_at`) or a job profile already there.
//! "This service uses the ESCO classification of the European Commission."

use std::path::Path;
use std::time::Instant;

use sqlx::PgConnection;

use super::esco_files::{categories_by_skill, records};
use super::staging::{self, Rows};
use super::{Progress, Step};
use crate::db::audit::{self, Actor};

/// The attribution ESCO's licence asks for, shown wherever imported data appears.
pub const ATTRIBUTION: &str =
    "This service uses the ESCO classification of the European Commission.";

pub use super::esco_report::EscoReport;

/// Options of an ESCO import.
#[derive(Debug, Clone, Copy)]
pub struct EscoOptions {
    /// Also import occupations as job profiles.
    pub occupations: bool,
    /// The proficiency level (1-5) an occupation's skills are required at.
    pub level: i16,
}

impl Default for EscoOptions {
    fn default() -> Self {
        EscoOptions {
            occupations: false,
            level: 3,
        }
    }
}

/// Import the ESCO files in `dir`, in one transaction, audited.
pub async fn import(
    db: &sqlx::PgPool,
    dir: &Path,
    actor: Actor,
    options: EscoOptions,
    progress: Progress<'_>,
) -> anyhow::Result<EscoReport> {
    let started = Instant::now();
    anyhow::ensure!(
        dir.join("skills_en.csv").exists(),
        "{} has no skills_en.csv (the ESCO CSV export)",
        dir.display()
    );
    progress(Step::Phase("reading the ESCO files"));
    let skills = records(
        dir,
        "skills_en.csv",
        &[
            "conceptUri",
            "skillType",
            "preferredLabel",
            "altLabels",
            "description",
        ],
    )?;
    let groups = records(dir, "skillGroups_en.csv", &["conceptUri", "preferredLabel"])?;
    let broader = records(
        dir,
        "broaderRelationsSkillPillar.csv",
        &["conceptUri", "broaderType", "broaderUri"],
    )?;
    let relations = records(
        dir,
        "skillSkillRelations.csv",
        &["originalSkillUri", "relationType", "relatedSkillUri"],
    )?;
    let mut report = EscoReport {
        skills_in_file: skills.len() as u64,
        ..EscoReport::default()
    };
    let category_of = categories_by_skill(&broader);

    let mut tx = staging::begin(db).await?;
    progress(Step::Phase("copying into staging tables"));
    let mut rows = Rows::default();
    for g in &groups {
        rows.push([&g[0], &g[1]]);
    }
    staging::copy(
        &mut tx,
        "create temp table esco_groups (uri text, name text) on commit drop",
        "esco_groups",
        "uri, name",
        rows,
    )
    .await?;
    let mut parents = Rows::default();
    for b in broader.iter().filter(|b| b[1] == "SkillGroup") {
        parents.push([&b[0], &b[2]]);
    }
    staging::copy(
        &mut tx,
        "create temp table esco_parents (uri text, parent text) on commit drop",
        "esco_parents",
        "uri, parent",
        parents,
    )
    .await?;
    let (mut srows, mut arows) = (Rows::default(), Rows::default());
    for s in &skills {
        let kind = if s[1] == "knowledge" {
            "knowledge"
        } else {
            "skill"
        };
        let category = category_of.get(s[0].as_str()).copied().unwrap_or("");
        srows.push([s[0].as_str(), kind, s[2].trim(), s[4].trim(), category]);
        for alias in s[3].lines().map(str::trim).filter(|a| !a.is_empty()) {
            arows.push([s[0].as_str(), alias]);
        }
    }
    staging::copy(&mut tx, "create temp table esco_skills (uri text, skill_type text, name text, description text, category text) on commit drop", "esco_skills", "uri, skill_type, name, description, category", srows).await?;
    staging::copy(
        &mut tx,
        "create temp table esco_aliases (uri text, alias text) on commit drop",
        "esco_aliases",
        "uri, alias",
        arows,
    )
    .await?;
    let mut rrows = Rows::default();
    for r in &relations {
        let strength = if r[1] == "essential" { "0.80" } else { "0.50" };
        rrows.push([r[0].as_str(), r[2].as_str(), strength]);
    }
    staging::copy(&mut tx, "create temp table esco_relations (uri text, related text, strength numeric) on commit drop", "esco_relations", "uri, related, strength", rrows).await?;

    progress(Step::Phase("writing the taxonomy"));
    write_taxonomy(&mut tx, &mut report).await?;
    if options.occupations {
        progress(Step::Phase("writing occupations as job profiles"));
        occupations(&mut tx, dir, options.level, &mut report).await?;
    }
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    audit::record(
        &mut *tx,
        actor,
        "import.esco",
        "import",
        None,
        serde_json::to_value(&report)?,
    )
    .await?;
    sqlx::query("select pg_notify('trellis_matching', 'all')")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

async fn count(conn: &mut PgConnection, sql: &str) -> anyhow::Result<u64> {
    Ok(sqlx::query(sql).execute(&mut *conn).await?.rows_affected())
}

async fn write_taxonomy(conn: &mut PgConnection, report: &mut EscoReport) -> anyhow::Result<()> {
    // Categories, one per group name (ESCO repeats some names); adopt same-named ones.
    count(
        conn,
        "update skill_categories c set esco_uri = g.uri
        from (select distinct on (name) uri, name from esco_groups order by name, uri) g
        where c.name = g.name and c.esco_uri is null
          and not exists (select 1 from skill_categories x where x.esco_uri = g.uri)",
    )
    .await?;
    report.categories_added = count(
        conn,
        "insert into skill_categories (name, esco_uri)
        select distinct on (name) name, uri from esco_groups order by name, uri
        on conflict do nothing",
    )
    .await?;
    count(
        conn,
        "update skill_categories c set parent_id = pc.id
        from esco_groups g join esco_parents p on p.uri = g.uri
        join esco_groups pg on pg.uri = p.parent join skill_categories pc on pc.name = pg.name
        where c.name = g.name and c.parent_id is null and pc.id <> c.id",
    )
    .await?;
    // Skills: adopt same-named ones without a URI, then upsert by URI.
    count(
        conn,
        "update skills k set esco_uri = s.uri from esco_skills s
        where lower(k.name) = lower(s.name) and k.esco_uri is null and k.merged_into_id is null
          and not exists (select 1 from skills x where x.esco_uri = s.uri)",
    )
    .await?;
    report.skills_name_taken = count(conn, "delete from esco_skills s where exists
        (select 1 from skills x where lower(x.name) = lower(s.name) and x.esco_uri is distinct from s.uri)").await?;
    let (kept,): (i64,) = sqlx::query_as(
        "select count(*) from skills k join esco_skills s on s.uri = k.esco_uri
        where k.hand_edited_at is not null or k.merged_into_id is not null",
    )
    .fetch_one(&mut *conn)
    .await?;
    report.skills_kept_hand_edited = kept as u64;
    let written: Vec<(bool,)> = sqlx::query_as("insert into skills (name, category_id, description, skill_type, esco_uri)
        select s.name, c.id, coalesce(s.description, ''), s.skill_type, s.uri
        from esco_skills s left join esco_groups g on g.uri = s.category
        left join skill_categories c on c.name = g.name
        on conflict (esco_uri) do update set name = excluded.name, category_id = excluded.category_id,
            description = excluded.description, skill_type = excluded.skill_type
        where skills.hand_edited_at is null and skills.merged_into_id is null
          and (skills.name, skills.category_id, skills.description, skills.skill_type) is distinct from
              (excluded.name, excluded.category_id, excluded.description, excluded.skill_type)
        returning (xmax = 0)").fetch_all(&mut *conn).await?;
    report.skills_added = written.iter().filter(|(n,)| *n).count() as u64;
    report.skills_updated = written.len() as u64 - report.skills_added;
    // Fresh statistics, or the planner takes the just-filled skills table for empty.
    count(conn, "analyze skills").await?;
    report.aliases_added = count(
        conn,
        "insert into skill_aliases (skill_id, alias)
        select k.id, a.alias from esco_aliases a join skills k on k.esco_uri = a.uri
        where k.hand_edited_at is null and k.merged_into_id is null
          and not exists (select 1 from skills o where lower(o.name) = lower(a.alias))
        on conflict do nothing",
    )
    .await?;
    report.relations_added = count(
        conn,
        "insert into skill_relations (skill_id, related_skill_id, strength)
        select a.id, b.id, max(r.strength) from (
            select uri, related, strength from esco_relations
            union all select related, uri, strength from esco_relations) r
        join skills a on a.esco_uri = r.uri join skills b on b.esco_uri = r.related
        where a.id <> b.id and a.merged_into_id is null and b.merged_into_id is null
        group by a.id, b.id
        on conflict do nothing",
    )
    .await?;
    Ok(())
}

/// Occupations as job profiles in the family "ESCO occupations", at the individual-contributor
/// level nearest rank 3. Existing profiles are left alone.
async fn occupations(
    conn: &mut PgConnection,
    dir: &Path,
    level: i16,
    report: &mut EscoReport,
) -> anyhow::Result<()> {
    let occupations = records(
        dir,
        "occupations_en.csv",
        &["conceptUri", "preferredLabel", "description"],
    )?;
    let links = records(
        dir,
        "occupationSkillRelations.csv",
        &["occupationUri", "relationType", "skillUri"],
    )?;
    let mut rows = Rows::default();
    for o in &occupations {
        rows.push([o[0].as_str(), o[1].trim(), o[2].trim()]);
    }
    staging::copy(conn, "create temp table esco_occupations (uri text, title text, description text) on commit drop", "esco_occupations", "uri, title, description", rows).await?;
    let mut rows = Rows::default();
    for l in &links {
        let importance = if l[1] == "essential" {
            "essential"
        } else {
            "nice_to_have"
        };
        rows.push([l[0].as_str(), l[2].as_str(), importance]);
    }
    staging::copy(conn, "create temp table esco_occupation_skills (uri text, skill text, importance text) on commit drop", "esco_occupation_skills", "uri, skill, importance", rows).await?;
    count(conn, "insert into job_families (name, description)
        values ('ESCO occupations', 'Occupations imported from the ESCO classification of the European Commission.')
        on conflict do nothing").await?;
    count(
        conn,
        "insert into job_levels (code, name, track, rank)
        select 'IC3', 'Professional', 'individual_contributor', 3
        where not exists (select 1 from job_levels) on conflict do nothing",
    )
    .await?;
    report.job_profiles_added = count(conn, "insert into job_profiles (family_id, level_id, title, description, esco_uri)
        select (select id from job_families where name = 'ESCO occupations'),
               (select id from job_levels order by (track <> 'individual_contributor'), abs(rank - 3), rank limit 1),
               o.title, coalesce(o.description, ''), o.uri
        from esco_occupations o
        where not exists (select 1 from job_profiles j where j.title = o.title)
        on conflict do nothing").await?;
    report.job_profile_skills_added = sqlx::query(
        "insert into job_profile_skills (job_profile_id, skill_id, level, importance)
        select distinct on (j.id, k.id) j.id, k.id, $1, l.importance
        from esco_occupation_skills l join job_profiles j on j.esco_uri = l.uri
        join skills k on k.esco_uri = l.skill and k.merged_into_id is null
        order by j.id, k.id, l.importance
        on conflict do nothing",
    )
    .bind(level)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(())
}

/// Whether any ESCO data is in the taxonomy (to show the attribution).
pub async fn present(db: &sqlx::PgPool) -> Result<bool, sqlx::Error> {
    let (any,): (bool,) =
        sqlx::query_as("select exists (select 1 from skills where esco_uri is not null)")
            .fetch_one(db)
            .await?;
    Ok(any)
}

/// Make sure a usable ESCO folder was given.
pub fn check_dir(dir: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(dir.is_dir(), "{} is not a folder", dir.display());
    Ok(())
}
