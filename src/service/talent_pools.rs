//! Talent pools: named groups of people (high potential, graduate programme, future leaders)
//! HR builds from the people directory's filters or by hand. Talent search can be narrowed to
//! a pool, and the dashboard shows each pool's mobility. Every change is audited.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::domain::limits;
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldError, Result};
use crate::service::hr::people::PeopleParams;

/// The kinds of pool, with their words.
pub const KINDS: [(&str, &str); 4] = [
    ("high_potential", "High potential"),
    ("graduate_programme", "Graduate programme"),
    ("future_leaders", "Future leaders"),
    ("other", "Other"),
];

/// The most people one pool takes from its filters.
pub const MAX_FROM_FILTERS: i64 = 5_000;

/// A pool with its size.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct TalentPool {
    pub id: Uuid,
    pub name: String,
    /// `high_potential`, `graduate_programme`, `future_leaders` or `other`.
    pub kind: String,
    pub description: String,
    /// The directory filters the pool was filled from (empty when built by hand).
    #[schema(value_type = Object)]
    pub criteria: serde_json::Value,
    pub members: i64,
}

impl TalentPool {
    pub fn kind_label(&self) -> &'static str {
        KINDS
            .iter()
            .find(|(k, _)| *k == self.kind)
            .map_or("Other", |(_, l)| l)
    }
}

/// A member of a pool.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PoolMember {
    pub person_id: Uuid,
    pub display_name: String,
    pub job_title: Option<String>,
    pub department: Option<String>,
    /// `filter` or `hand`.
    pub added_how: String,
}

/// A pool with its members.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PoolDetail {
    pub pool: TalentPool,
    pub members: Vec<PoolMember>,
}

/// A new pool: a name, a kind, a description, and optionally the directory's filters to fill
/// it from (as on `/hr/people`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PoolInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub family: Option<String>,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub skill: Option<String>,
    #[serde(default)]
    pub min_level: Option<String>,
}

impl PoolInput {
    fn filters(&self) -> PeopleParams {
        PeopleParams {
            department: self.department.clone(),
            family: self.family.clone(),
            level: self.level.clone(),
            skill: self.skill.clone(),
            min_level: self.min_level.clone(),
            status: Some("active".into()),
            page_size: Some("200".into()),
            ..PeopleParams::default()
        }
    }

    fn has_filters(&self) -> bool {
        [&self.department, &self.family, &self.level, &self.skill]
            .iter()
            .any(|v| v.as_deref().is_some_and(|s| !s.trim().is_empty()))
    }
}

/// Every pool, by name.
pub async fn list(db: &PgPool) -> Result<Vec<TalentPool>> {
    Ok(sqlx::query_as!(
        TalentPool,
        r#"select tp.id, tp.name, tp.kind, tp.description, tp.criteria,
                  (select count(*) from talent_pool_members m where m.pool_id = tp.id) as "members!"
           from talent_pools tp order by tp.name"#
    )
    .fetch_all(db)
    .await?)
}

/// One pool with its members, by name.
pub async fn show(db: &PgPool, id: Uuid) -> Result<PoolDetail> {
    let pool = list(db)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(AppError::NotFound)?;
    let members = sqlx::query_as!(
        PoolMember,
        r#"select m.person_id, p.display_name, jp.title as "job_title?", d.name as "department?",
                  m.added_how
           from talent_pool_members m join people p on p.id = m.person_id
           left join job_profiles jp on jp.id = p.job_profile_id
           left join departments d on d.id = p.department_id
           where m.pool_id = $1 order by p.display_name"#,
        id
    )
    .fetch_all(db)
    .await?;
    Ok(PoolDetail { pool, members })
}

/// The members of a pool (for talent search's filter); 422 on `field` for an unknown pool.
pub async fn members(db: &PgPool, id: Uuid, field: &str) -> Result<HashSet<Uuid>> {
    let exists = sqlx::query_scalar!(
        r#"select exists(select 1 from talent_pools where id = $1) as "ok!""#,
        id
    )
    .fetch_one(db)
    .await?;
    if !exists {
        return Err(AppError::Validation(vec![FieldError::new(
            field,
            "Choose a talent pool from the list.",
        )]));
    }
    Ok(sqlx::query_scalar!(
        "select person_id from talent_pool_members where pool_id = $1",
        id
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .collect())
}

/// Create a pool, filled from the filters when any are given; returns its id.
pub async fn create(state: &AppState, user: &CurrentUser, input: &PoolInput) -> Result<Uuid> {
    let mut e = Vec::new();
    let name = input.name.trim();
    if name.is_empty() {
        e.push(FieldError::new("name", "Give the pool a name."));
    }
    e.extend(limits::check("name", name, 200));
    let description = input.description.as_deref().unwrap_or("").trim();
    e.extend(limits::check("description", description, 2_000));
    let kind = input.kind.as_deref().map(str::trim).unwrap_or("other");
    let kind = if kind.is_empty() { "other" } else { kind };
    if !KINDS.iter().any(|(k, _)| *k == kind) {
        e.push(FieldError::new(
            "kind",
            "Choose high potential, graduate programme, future leaders or other.",
        ));
    }
    let filters = input.filters();
    let resolved = match filters.resolve(&state.db).await {
        Ok(f) => Some(f),
        Err(AppError::Validation(errors)) => {
            e.extend(errors);
            None
        }
        Err(other) => return Err(other),
    };
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let mut people: Vec<Uuid> = Vec::new();
    if input.has_filters() {
        let mut f = resolved.expect("checked above");
        f.page = 1;
        f.page_size = 200;
        loop {
            let page = crate::db::people::list(&state.db, &f).await?;
            if page.people.is_empty() {
                break;
            }
            people.extend(page.people.iter().map(|p| p.id));
            if people.len() as i64 >= MAX_FROM_FILTERS.min(page.total) {
                break;
            }
            f.page += 1;
        }
        people.truncate(MAX_FROM_FILTERS as usize);
    }
    let criteria = if input.has_filters() {
        json!({ "department": input.department, "family": input.family, "level": input.level,
                "skill": input.skill, "min_level": input.min_level })
    } else {
        json!({})
    };
    let mut tx = state.db.begin().await?;
    let id = sqlx::query_scalar!(
        "insert into talent_pools (name, kind, description, criteria, created_by_id)
         values ($1, $2, $3, $4, $5) returning id",
        name,
        kind,
        description,
        criteria,
        user.id
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(
        |e| match e.as_database_error().and_then(|d| d.constraint()) {
            Some("talent_pools_name_unique") => AppError::Validation(vec![FieldError::new(
                "name",
                "A pool with this name already exists.",
            )]),
            _ => e.into(),
        },
    )?;
    sqlx::query!(
        "insert into talent_pool_members (pool_id, person_id, added_how, added_by_id)
         select $1, unnest($2::uuid[]), 'filter', $3",
        id,
        &people,
        user.id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        "talent_pool.created",
        "talent_pool",
        Some(id.to_string()),
        json!({ "name": name, "kind": kind, "criteria": criteria, "members": people.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Adding someone by hand: their email, employee number or id.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct MemberInput {
    #[serde(default)]
    pub person: String,
}

/// Add a person to a pool by hand.
pub async fn add(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    input: &MemberInput,
) -> Result<()> {
    show(&state.db, id).await?;
    let who = input.person.trim();
    let mut e: Vec<FieldError> = limits::check("person", who, 320).into_iter().collect();
    let person = if e.is_empty() && !who.is_empty() {
        sqlx::query_scalar!(
            "select id from people where (id::text = $1 or lower(email) = lower($1)
                 or employee_number = $1) and employment_status <> 'terminated' limit 1",
            who
        )
        .fetch_optional(&state.db)
        .await?
    } else {
        None
    };
    let Some(person) = person else {
        if e.is_empty() {
            e.push(FieldError::new(
                "person",
                "No one employed has this email or employee number.",
            ));
        }
        return Err(AppError::Validation(e));
    };
    let mut tx = state.db.begin().await?;
    let added = sqlx::query!(
        "insert into talent_pool_members (pool_id, person_id, added_how, added_by_id)
         values ($1, $2, 'hand', $3) on conflict do nothing",
        id,
        person,
        user.id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if added == 1 {
        audit::record(
            &mut *tx,
            Actor::Person(user.id),
            "talent_pool.member_added",
            "talent_pool",
            Some(id.to_string()),
            json!({ "person_id": person }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Remove a person from a pool.
pub async fn remove(state: &AppState, user: &CurrentUser, id: Uuid, person: Uuid) -> Result<()> {
    let mut tx = state.db.begin().await?;
    let gone = sqlx::query!(
        "delete from talent_pool_members where pool_id = $1 and person_id = $2",
        id,
        person
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if gone == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        "talent_pool.member_removed",
        "talent_pool",
        Some(id.to_string()),
        json!({ "person_id": person }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Delete a pool.
pub async fn delete(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<()> {
    let detail = show(&state.db, id).await?;
    let mut tx = state.db.begin().await?;
    sqlx::query!("delete from talent_pools where id = $1", id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        "talent_pool.deleted",
        "talent_pool",
        Some(id.to_string()),
        json!({ "name": detail.pool.name, "members": detail.members.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One pool on the dashboard: its size and its people's mobility.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PoolFigures {
    pub id: Uuid,
    pub name: String,
    pub members: i64,
    /// Members with a promotion or lateral move in the last 12 months.
    pub moved_12m: i64,
    /// Members who are a successor on some succession plan.
    pub successors: i64,
    /// Members with a career conversation in the last 90 days.
    pub conversation_90d: i64,
}

impl PoolFigures {
    fn pct(&self, n: i64) -> Option<i64> {
        (self.members > 0).then(|| (n as f64 * 100.0 / self.members as f64).round() as i64)
    }
    pub fn moved_pct(&self) -> Option<i64> {
        self.pct(self.moved_12m)
    }
    pub fn successors_pct(&self) -> Option<i64> {
        self.pct(self.successors)
    }
    pub fn conversation_pct(&self) -> Option<i64> {
        self.pct(self.conversation_90d)
    }
}

/// Every pool's figures, live.
pub async fn figures(db: &PgPool) -> Result<Vec<PoolFigures>> {
    Ok(sqlx::query_as!(
        PoolFigures,
        r#"select tp.id, tp.name,
                  count(p.id) as "members!",
                  count(p.id) filter (where exists (select 1 from moves mv
                      where mv.person_id = m.person_id and mv.kind in ('promotion', 'lateral_move')
                        and mv.effective_on > current_date - 365 and mv.effective_on <= current_date)) as "moved_12m!",
                  count(p.id) filter (where exists (select 1 from succession_candidates sc
                      where sc.person_id = m.person_id)) as "successors!",
                  count(p.id) filter (where exists (select 1 from career_conversations c
                      where c.person_id = m.person_id and c.held_on > current_date - 90)) as "conversation_90d!"
           from talent_pools tp
           left join talent_pool_members m on m.pool_id = tp.id
           left join people p on p.id = m.person_id and p.employment_status <> 'terminated'
           group by tp.id, tp.name order by tp.name"#
    )
    .fetch_all(db)
    .await?)
}

/// The engine's talent search for an open opening, within a pool: the same policy filter as
/// `Engine::talent`, with only the pool's members allowed. None when the opening is not open.
pub fn talent_in(
    engine: &crate::engine::Engine,
    opening: Uuid,
    k: usize,
    pool: &HashSet<Uuid>,
    today: i32,
) -> Option<Vec<crate::engine::ask::Candidate>> {
    let live = engine.read();
    let id = live.ids.opening_of(opening)?;
    let entry = live.index.opening(id)?;
    let allowed: HashSet<crate::matching::PersonId> =
        pool.iter().filter_map(|p| live.ids.person_of(*p)).collect();
    let in_pool = |p: crate::matching::PersonId| allowed.contains(&p);
    let filter = crate::matching::TalentFilter {
        extra: Some(&in_pool),
        ..crate::matching::TalentFilter::for_kind(entry.kind, today, live.policy.min_months_in_role)
    };
    let ranked = live.index.talent_search(id, k, &filter, today)?;
    Some(
        ranked
            .into_iter()
            .filter_map(|r| {
                Some(crate::engine::ask::Candidate {
                    person: live.ids.person_uuid(r.id)?,
                    fit: live.fit_view(&r.fit),
                })
            })
            .collect(),
    )
}

/// A `pool` filter as typed: None when empty, 422 on `field` when not an id.
pub fn parse_pool(v: Option<&str>, field: &str) -> Result<Option<Uuid>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Uuid::parse_str(s).map(Some).map_err(|_| {
            AppError::Validation(vec![FieldError::new(
                field,
                "Choose a talent pool from the list.",
            )])
        }),
    }
}
