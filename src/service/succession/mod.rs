//! Critical roles and their succession plans, for HR (the whole company) and for a manager
//! (the roles of their own team). Successors are proposed by the matching engine
//! (`proposals`); the plan keeps the chosen ones with a readiness band from the learning path
//! (`plans`). A successor is told nothing unless the mobility policy says so (`mine`).

pub mod bench;
pub mod plans;
pub mod proposals;

use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::domain::succession::{CriticalReason, Readiness};
use crate::domain::user::CurrentUser;
use crate::error::{AppError, Result};

/// Whose plans a request may see and change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// HR: every critical role.
    Company,
    /// A manager: the roles of their team (`critical_roles.manager_id`).
    Team(Uuid),
}

impl Scope {
    /// The API's scope: HR (and HR-level tokens) see the company, a manager their team.
    pub fn of(user: &CurrentUser) -> Scope {
        if user.is_hr {
            Scope::Company
        } else {
            Scope::Team(user.id)
        }
    }

    fn manager(self) -> Option<Uuid> {
        match self {
            Scope::Company => None,
            Scope::Team(m) => Some(m),
        }
    }
}

/// A critical role with how well it is covered.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CriticalRole {
    pub id: Uuid,
    pub job_profile_id: Uuid,
    /// The job profile's title.
    pub title: String,
    /// For a position: the person who holds it.
    pub incumbent_id: Option<Uuid>,
    pub incumbent: Option<String>,
    pub department_id: Option<Uuid>,
    pub department: Option<String>,
    /// The manager whose team the role is in (None: kept by HR).
    pub manager: Option<String>,
    /// `hard_to_fill`, `single_point_of_failure` or `leadership`.
    pub reason: String,
    pub note: String,
    pub successors: i64,
    /// Successors whose band (after any override) is ready now.
    pub ready_now: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub marked_at: OffsetDateTime,
}

impl CriticalRole {
    pub fn reason_label(&self) -> &'static str {
        CriticalReason::from_db(&self.reason).map_or("", CriticalReason::label)
    }

    /// "Position" or "Job profile".
    pub fn kind_label(&self) -> &'static str {
        if self.incumbent_id.is_some() {
            "Position"
        } else {
            "Job profile"
        }
    }
}

/// A chosen successor.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanSuccessor {
    pub person_id: Uuid,
    pub display_name: String,
    pub job_title: Option<String>,
    pub department: Option<String>,
    /// The fit (0–100) for the role's job profile when chosen.
    pub fit_score: i16,
    /// Hours of the learning path toward the role, and the weeks it takes at the person's
    /// weekly learning hours (None: no learning time set).
    pub path_hours: f32,
    pub weeks_to_ready: Option<i32>,
    /// The band the learning path gives.
    pub computed_band: String,
    /// The band in force: the override when there is one.
    pub band: String,
    pub band_override: Option<String>,
    pub override_reason: String,
    /// The successor's development plan toward the role, if linked.
    pub development_plan_id: Option<Uuid>,
    /// No move or promotion in the policy's years, or no career conversation in 90 days.
    pub flight_risk: bool,
}

impl PlanSuccessor {
    pub fn band_label(&self) -> &'static str {
        band_label(&self.band)
    }

    pub fn computed_label(&self) -> &'static str {
        band_label(&self.computed_band)
    }
}

/// A band's words for people.
pub fn band_label(band: &str) -> &'static str {
    Readiness::from_db(band).map_or("", Readiness::label)
}

/// A critical role with its successors.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SuccessionPlan {
    pub role: CriticalRole,
    pub successors: Vec<PlanSuccessor>,
}

#[derive(sqlx::FromRow)]
struct RoleRow {
    id: Uuid,
    job_profile_id: Uuid,
    title: String,
    incumbent_id: Option<Uuid>,
    incumbent: Option<String>,
    department_id: Option<Uuid>,
    department: Option<String>,
    manager: Option<String>,
    reason: String,
    note: String,
    successors: i64,
    ready_now: i64,
    created_at: OffsetDateTime,
}

impl From<RoleRow> for CriticalRole {
    fn from(r: RoleRow) -> Self {
        CriticalRole {
            id: r.id,
            job_profile_id: r.job_profile_id,
            title: r.title,
            incumbent_id: r.incumbent_id,
            incumbent: r.incumbent,
            department_id: r.department_id,
            department: r.department,
            manager: r.manager,
            reason: r.reason,
            note: r.note,
            successors: r.successors,
            ready_now: r.ready_now,
            marked_at: r.created_at,
        }
    }
}

/// The select behind every list of roles; `$1` the manager (null: company), `$2` a role
/// (null: all), `$3` a department subtree (null: all). A runtime query: the same text serves
/// three callers, and sqlx's macros cannot share one.
const ROLES_SQL: &str = "
    with recursive sub as (
        select id from departments where id = $3
        union all
        select d.id from departments d join sub on d.parent_id = sub.id
    )
    select cr.id, cr.job_profile_id, jp.title, cr.incumbent_id, inc.display_name as incumbent,
           cr.department_id, d.name as department, m.display_name as manager, cr.reason, cr.note,
           (select count(*) from succession_candidates sc where sc.critical_role_id = cr.id) as successors,
           (select count(*) from succession_candidates sc where sc.critical_role_id = cr.id
              and coalesce(sc.band_override, sc.computed_band) = 'ready_now') as ready_now,
           cr.created_at
    from critical_roles cr
    join job_profiles jp on jp.id = cr.job_profile_id
    left join people inc on inc.id = cr.incumbent_id
    left join departments d on d.id = cr.department_id
    left join people m on m.id = cr.manager_id
    where ($1::uuid is null or cr.manager_id = $1)
      and ($2::uuid is null or cr.id = $2)
      and ($3::uuid is null or cr.department_id in (select id from sub))
    order by jp.title, inc.display_name nulls first, cr.id";

/// The critical roles in scope, optionally within a department (and its sub-departments).
pub async fn list(
    state: &AppState,
    scope: Scope,
    department: Option<Uuid>,
) -> Result<Vec<CriticalRole>> {
    let rows: Vec<RoleRow> = sqlx::query_as(ROLES_SQL)
        .bind(scope.manager())
        .bind(None::<Uuid>)
        .bind(department)
        .fetch_all(&state.db)
        .await?;
    Ok(rows.into_iter().map(CriticalRole::from).collect())
}

/// One role in scope: 404 when it does not exist or belongs to another team.
pub async fn role(state: &AppState, scope: Scope, id: Uuid) -> Result<CriticalRole> {
    let row: Option<RoleRow> = sqlx::query_as(ROLES_SQL)
        .bind(scope.manager())
        .bind(Some(id))
        .bind(None::<Uuid>)
        .fetch_optional(&state.db)
        .await?;
    row.map(CriticalRole::from).ok_or(AppError::NotFound)
}

/// A role in scope with its successors, readiest first.
pub async fn show(state: &AppState, scope: Scope, id: Uuid) -> Result<SuccessionPlan> {
    let role = role(state, scope, id).await?;
    let policy = crate::db::policy::current(&state.db).await?;
    let rows = sqlx::query!(
        r#"select sc.person_id, p.display_name, jp.title as "job_title?", d.name as "department?",
                  sc.fit_score, sc.path_hours, sc.weeks_to_ready, sc.computed_band,
                  sc.band_override, sc.override_reason, sc.development_plan_id,
                  coalesce(sc.band_override, sc.computed_band) as "band!"
           from succession_candidates sc
           join people p on p.id = sc.person_id
           left join job_profiles jp on jp.id = p.job_profile_id
           left join departments d on d.id = p.department_id
           where sc.critical_role_id = $1
           order by case coalesce(sc.band_override, sc.computed_band)
                      when 'ready_now' then 0 when 'one_to_two_years' then 1 else 2 end,
                    sc.fit_score desc, p.display_name"#,
        id
    )
    .fetch_all(&state.db)
    .await?;
    let people: Vec<Uuid> = rows.iter().map(|r| r.person_id).collect();
    let risks = bench::flight_risks(&state.db, &people, bench::flight_risk_years(&policy)).await?;
    let successors = rows
        .into_iter()
        .map(|r| PlanSuccessor {
            flight_risk: risks.contains(&r.person_id),
            person_id: r.person_id,
            display_name: r.display_name,
            job_title: r.job_title,
            department: r.department,
            fit_score: r.fit_score,
            path_hours: r.path_hours,
            weeks_to_ready: r.weeks_to_ready,
            computed_band: r.computed_band,
            band: r.band,
            band_override: r.band_override,
            override_reason: r.override_reason,
            development_plan_id: r.development_plan_id,
        })
        .collect();
    Ok(SuccessionPlan { role, successors })
}

/// A succession plan that names the signed-in person, as they may see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MyPlan {
    pub critical_role_id: Uuid,
    pub title: String,
    pub band: String,
    pub development_plan_id: Option<Uuid>,
}

/// The succession plans that name the person: empty unless the policy lets successors see
/// them (the same answer as for someone on no plan, so it tells nothing).
pub async fn mine(state: &AppState, person: Uuid) -> Result<Vec<MyPlan>> {
    let policy = crate::db::policy::current(&state.db).await?;
    if !policy.succession_visible_to_successors {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as!(
        MyPlan,
        r#"select sc.critical_role_id, jp.title,
                  coalesce(sc.band_override, sc.computed_band) as "band!", sc.development_plan_id
           from succession_candidates sc
           join critical_roles cr on cr.id = sc.critical_role_id
           join job_profiles jp on jp.id = cr.job_profile_id
           where sc.person_id = $1 order by jp.title"#,
        person
    )
    .fetch_all(&state.db)
    .await?)
}

/// The current job profiles, by title, for the "mark critical" form.
pub async fn profile_choices(state: &AppState) -> Result<Vec<crate::db::menus::Choice>> {
    Ok(sqlx::query_as!(
        crate::db::menus::Choice,
        r#"select id::text as "id!", title as name from job_profiles
           where retired_at is null order by title"#
    )
    .fetch_all(&state.db)
    .await?)
}

/// The manager's direct reports with a job profile: the positions they may mark.
pub async fn report_choices(
    state: &AppState,
    manager: Uuid,
) -> Result<Vec<crate::db::menus::Choice>> {
    Ok(sqlx::query_as!(
        crate::db::menus::Choice,
        r#"select p.id::text as "id!", p.display_name || ' (' || jp.title || ')' as "name!"
           from people p join job_profiles jp on jp.id = p.job_profile_id
           where p.manager_id = $1 and p.employment_status <> 'terminated'
           order by p.display_name"#,
        manager
    )
    .fetch_all(&state.db)
    .await?)
}
