//! The employee's home page: openings that fit, applications, learning and notifications.

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use serde::Serialize;
use uuid::Uuid;

use crate::error::Result;
use crate::state::AppState;
use crate::web::page::{render, Page, Section};
use crate::web::session::CurrentUser;

/// An open opening with how well the person's skills cover it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FittingOpening {
    pub id: Uuid,
    pub title: String,
    pub kind: String,
    pub department: String,
    /// Share of the weighted skill requirements the person meets, 0-100.
    pub skill_match: i32,
    pub skills_met: i64,
    pub skills_total: i64,
}

/// Everything on the employee home page (the JSON twin returns exactly this).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EmployeeHome {
    pub person: CurrentUser,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub skill_count: i64,
    pub openings: Vec<FittingOpening>,
    pub active_applications: i64,
    pub unread_notifications: i64,
    pub courses_in_progress: i64,
}

/// Load the employee home data.
pub async fn load(state: &AppState, user: &CurrentUser) -> Result<EmployeeHome> {
    let me = sqlx::query!(
        r#"select jp.title as "title?", d.name as "department?",
                  (select count(*) from person_skills ps where ps.person_id = p.id) as "skills!",
                  (select count(*) from applications a where a.applicant_id = p.id
                     and a.status in ('submitted', 'in_review', 'interviewing', 'offered')) as "applications!",
                  (select count(*) from notifications n where n.person_id = p.id and n.read_at is null) as "unread!",
                  (select count(*) from enrolments e where e.person_id = p.id
                     and e.status in ('enrolled', 'in_progress')) as "learning!"
           from people p
           left join job_profiles jp on jp.id = p.job_profile_id
           left join departments d on d.id = p.department_id
           where p.id = $1"#,
        user.id
    )
    .fetch_one(&state.db)
    .await?;
    let openings = fitting_openings(state, user.id, 8).await?;
    Ok(EmployeeHome {
        person: user.clone(),
        job_title: me.title,
        department: me.department,
        skill_count: me.skills,
        openings,
        active_applications: me.applications,
        unread_notifications: me.unread,
        courses_in_progress: me.learning,
    })
}

/// Open openings ranked by the share of weighted requirements the person meets (essential
/// counts three times, important twice, nice to have once; a partial level earns its share).
/// The matching engine replaces this with explained fit scores.
pub async fn fitting_openings(
    state: &AppState,
    person: Uuid,
    limit: i64,
) -> Result<Vec<FittingOpening>> {
    let rows = sqlx::query_as!(
        FittingOpening,
        r#"
        with req as (
            select os.opportunity_id, os.level, ps.level as held,
                   case os.importance when 'essential' then 3 when 'important' then 2 else 1 end as w
            from opportunity_skills os
            join opportunities o on o.id = os.opportunity_id and o.status = 'open' and o.owner_id <> $1
            left join person_skills ps on ps.skill_id = os.skill_id and ps.person_id = $1
        ), scored as (
            select opportunity_id,
                   round(100 * sum(w * least(coalesce(held, 0), level)::numeric / level) / sum(w))::int as fit,
                   count(*) filter (where held >= level) as met,
                   count(*) as total
            from req group by opportunity_id
        )
        select o.id, o.title, o.kind, d.name as department,
               s.fit as "skill_match!", s.met as "skills_met!", s.total as "skills_total!"
        from scored s
        join opportunities o on o.id = s.opportunity_id
        join departments d on d.id = o.department_id
        order by s.fit desc, o.published_at desc
        limit $2
        "#,
        person,
        limit
    )
    .fetch_all(&state.db)
    .await?;
    Ok(rows)
}

#[derive(Template)]
#[template(path = "home/employee.html")]
struct HomePage {
    page: Page,
    home: EmployeeHome,
}

/// GET /
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    let home = load(&state, &user).await?;
    render(&HomePage {
        page: Page::new("Home", &user, Section::Home),
        home,
    })
}
