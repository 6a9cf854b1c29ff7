//! The employee's home, for the page and the API alike: openings the matching engine
//! recommends, and counts of their applications, unread notifications and learning.

use serde::Serialize;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::domain::user::CurrentUser;
use crate::engine::today;
use crate::error::Result;
use crate::service::marketplace::browse::{cards, OpeningCard};

/// Everything on the employee home page (the JSON twin returns exactly this).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EmployeeHome {
    pub person: CurrentUser,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub skill_count: i64,
    /// "Recommended for you": the engine's best-fitting open openings, best first.
    pub openings: Vec<OpeningCard>,
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
    let openings = recommended(state, user.id, RECOMMENDED).await?;
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

/// How many recommendations the home page shows.
const RECOMMENDED: usize = 8;

/// The engine's top `k` open openings for the person (never their own, nor ones they have
/// applied to), as cards.
pub async fn recommended(state: &AppState, person: Uuid, k: usize) -> Result<Vec<OpeningCard>> {
    let applied = sqlx::query_scalar!(
        "select opportunity_id from applications where applicant_id = $1
         and status in ('submitted', 'in_review', 'interviewing', 'offered', 'accepted')",
        person
    )
    .fetch_all(&state.db)
    .await?;
    let ids: Vec<Uuid> = state
        .engine
        .recommendations(person, k, &applied, today())
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.opening)
        .collect();
    cards(state, person, &ids).await
}
