//! What a learning path needs beyond the engine: the person's weekly learning hours it is
//! planned with, the course titles, and mentors and open projects for the gaps no course
//! closes. Career targets, an opening's page and the matching API all fill paths in here.

use std::collections::HashMap;

use uuid::Uuid;

use crate::app::state::AppState;
use crate::engine::views::{OpeningRef, PathView, PersonRef};
use crate::error::Result;

/// Weekly learning hours a path is planned with when the person has not said.
const DEFAULT_WEEKLY_HOURS: f32 = 2.0;

/// Mentors (level 4+ who offer mentoring) and open projects per unclosable gap, at most this many.
const PER_GAP: i64 = 3;

/// The hours a week the person said they can learn (their aspirations), or the default.
pub async fn weekly_hours(state: &AppState, person: Uuid) -> Result<f32> {
    Ok(sqlx::query_scalar!(
        r#"select weekly_learning_hours::float4 as "hours!" from aspirations where person_id = $1"#,
        person
    )
    .fetch_optional(&state.db)
    .await?
    .unwrap_or(DEFAULT_WEEKLY_HOURS))
}

/// Fill in course titles, mentors and projects.
pub async fn add_names(state: &AppState, path: &mut PathView, learner: Uuid) -> Result<()> {
    let course_ids: Vec<Uuid> = path.steps.iter().map(|s| s.course_id).collect();
    let titles: HashMap<Uuid, String> = sqlx::query!(
        "select id, title from courses where id = any($1)",
        &course_ids
    )
    .fetch_all(&state.db)
    .await?
    .into_iter()
    .map(|r| (r.id, r.title))
    .collect();
    for step in &mut path.steps {
        step.title = titles.get(&step.course_id).cloned().unwrap_or_default();
    }
    for gap in &mut path.unclosable {
        gap.mentors = sqlx::query!(
            "select p.id, p.display_name from person_skills ps join people p on p.id = ps.person_id
             where ps.skill_id = $1 and ps.offers_mentoring and ps.level >= 4 and p.id <> $2
               and p.employment_status = 'active'
             order by ps.level desc, p.display_name limit $3",
            gap.skill_id,
            learner,
            PER_GAP
        )
        .fetch_all(&state.db)
        .await?
        .into_iter()
        .map(|r| PersonRef {
            id: r.id,
            display_name: r.display_name,
        })
        .collect();
        gap.projects = sqlx::query!(
            "select o.id, o.title from opportunities o join opportunity_skills os on os.opportunity_id = o.id
             where os.skill_id = $1 and o.kind = 'project' and o.status = 'open' and o.owner_id <> $2
             order by o.published_at desc limit $3",
            gap.skill_id,
            learner,
            PER_GAP
        )
        .fetch_all(&state.db)
        .await?
        .into_iter()
        .map(|r| OpeningRef { id: r.id, title: r.title })
        .collect();
    }
    Ok(())
}
