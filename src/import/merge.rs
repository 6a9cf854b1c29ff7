//! Merging two skills: every person's skill, job profile requirement, opening requirement,
//! course skill, interest and relation moves to the survivor (on a clash the higher level and
//! the stronger evidence win), aliases are kept, the merged skill's name becomes an alias, and
//! the merged skill points at the survivor. One transaction, audited.

use serde::Serialize;
use serde_json::json;
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::audit::{self, Actor};
use crate::error::{AppError, Result};

/// Rows moved to the survivor, by table.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct MergeReport {
    pub survivor_id: Uuid,
    pub merged_id: Uuid,
    pub person_skills: u64,
    pub job_profile_skills: u64,
    pub opportunity_skills: u64,
    pub course_skills: u64,
}

const EVIDENCE: &str =
    "array['self_assessed', 'course_completed', 'manager_validated', 'assessed']";
const IMPORTANCE: &str = "array['nice_to_have', 'important', 'essential']";

/// Merge `merged` into `survivor`.
pub async fn merge(db: &PgPool, merged: Uuid, survivor: Uuid, actor: Actor) -> Result<MergeReport> {
    if merged == survivor {
        return Err(AppError::field(
            "into",
            "A skill cannot be merged into itself.",
        ));
    }
    let mut tx = db.begin().await?;
    let found: Vec<(Uuid, String, Option<Uuid>)> = sqlx::query_as(
        "select id, name, merged_into_id from skills where id in ($1, $2) for update",
    )
    .bind(merged)
    .bind(survivor)
    .fetch_all(&mut *tx)
    .await?;
    let get = |id: Uuid| found.iter().find(|f| f.0 == id);
    let (Some(from), Some(into)) = (get(merged), get(survivor)) else {
        return Err(AppError::NotFound);
    };
    if from.2.is_some() {
        return Err(AppError::field(
            "from",
            format!("{} was already merged.", from.1),
        ));
    }
    if into.2.is_some() {
        return Err(AppError::field(
            "into",
            format!("{} was merged into another skill.", into.1),
        ));
    }
    let mut report = MergeReport {
        survivor_id: survivor,
        merged_id: merged,
        ..MergeReport::default()
    };
    let ev = |col: &str| format!("array_position({EVIDENCE}, {col})");
    report.person_skills = moved(&mut tx, &format!(
        "insert into person_skills (person_id, skill_id, level, evidence, validated_by_id, validated_at, offers_mentoring)
         select person_id, $2, level, evidence, validated_by_id, validated_at, offers_mentoring
         from person_skills where skill_id = $1
         on conflict (person_id, skill_id) do update set
           level = greatest(person_skills.level, excluded.level),
           evidence = case when {a} > {b} then excluded.evidence else person_skills.evidence end,
           validated_by_id = case when {a} > {b} then excluded.validated_by_id else person_skills.validated_by_id end,
           validated_at = case when {a} > {b} then excluded.validated_at else person_skills.validated_at end,
           offers_mentoring = person_skills.offers_mentoring or excluded.offers_mentoring",
        a = ev("excluded.evidence"), b = ev("person_skills.evidence")), "person_skills", merged, survivor).await?;
    for table in ["job_profile_skills", "opportunity_skills"] {
        let owner = if table == "job_profile_skills" {
            "job_profile_id"
        } else {
            "opportunity_id"
        };
        let n = moved(
            &mut tx,
            &format!(
                "insert into {table} ({owner}, skill_id, level, importance)
             select {owner}, $2, level, importance from {table} where skill_id = $1
             on conflict ({owner}, skill_id) do update set
               level = greatest({table}.level, excluded.level),
               importance = case when array_position({IMPORTANCE}, excluded.importance)
                                    > array_position({IMPORTANCE}, {table}.importance)
                                 then excluded.importance else {table}.importance end"
            ),
            table,
            merged,
            survivor,
        )
        .await?;
        if table == "job_profile_skills" {
            report.job_profile_skills = n
        } else {
            report.opportunity_skills = n
        }
    }
    report.course_skills = moved(
        &mut tx,
        "insert into course_skills (course_id, skill_id, entry_level, target_level)
         select course_id, $2, entry_level, target_level from course_skills where skill_id = $1
         on conflict (course_id, skill_id) do update set
           entry_level = least(course_skills.entry_level, excluded.entry_level),
           target_level = greatest(course_skills.target_level, excluded.target_level)",
        "course_skills",
        merged,
        survivor,
    )
    .await?;
    for sql in [
        "insert into aspiration_interests (person_id, skill_id)
         select person_id, $2 from aspiration_interests where skill_id = $1 on conflict do nothing",
        "delete from aspiration_interests where skill_id = $1",
        "update development_plan_steps set skill_id = $2 where skill_id = $1",
        "update mentorship_requests set skill_id = $2 where skill_id = $1",
        "insert into skill_relations (skill_id, related_skill_id, strength)
         select $2, related_skill_id, strength from skill_relations where skill_id = $1 and related_skill_id <> $2
         union all
         select skill_id, $2, strength from skill_relations where related_skill_id = $1 and skill_id <> $2
         on conflict do nothing",
        "delete from skill_relations where skill_id = $1 or related_skill_id = $1",
        "update skill_aliases set skill_id = $2 where skill_id = $1",
        "insert into skill_aliases (skill_id, alias) select $2, name from skills where id = $1 on conflict do nothing",
        "update skills set merged_into_id = $2, updated_at = now() where id = $1 or merged_into_id = $1",
    ] {
        sqlx::query(sql).bind(merged).bind(survivor).execute(&mut *tx).await?;
    }
    audit::record(&mut *tx, actor, "skill.merge", "skill", Some(survivor.to_string()),
        json!({ "merged": { "id": merged, "name": from.1 }, "into": { "id": survivor, "name": into.1 },
                "moved": serde_json::to_value(&report).unwrap_or_default() })).await?;
    tx.commit().await?;
    Ok(report)
}

/// Copy `table`'s rows of `merged` to `survivor` (with `insert_sql`), then delete the originals.
async fn moved(
    tx: &mut sqlx::PgConnection,
    insert_sql: &str,
    table: &str,
    merged: Uuid,
    survivor: Uuid,
) -> Result<u64> {
    sqlx::query(insert_sql)
        .bind(merged)
        .bind(survivor)
        .execute(&mut *tx)
        .await?;
    let n = sqlx::query(&format!("delete from {table} where skill_id = $1"))
        .bind(merged)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    Ok(n)
}
