//! The manager's side of the people they manage, for the pages and the API alike: the team
//! home (direct reports, postings, what the manager has been told, returns due), career
//! conversations (`conversations`) and the decisions a manager takes about a report
//! (`decisions`: validating a skill level, approving project hours).

pub mod conversations;
pub mod decisions;

use serde::Serialize;
use time::Date;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::domain::application::Requester;
use crate::domain::user::CurrentUser;
use crate::error::Result;

/// A direct report, as the manager's team page lists them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Report {
    pub id: Uuid,
    pub display_name: String,
    pub job_title: Option<String>,
    pub skill_count: i64,
    #[serde(with = "crate::domain::iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub last_conversation: Option<Date>,
    /// No career conversation in the last 90 days.
    pub conversation_due: bool,
}

/// One of the manager's postings with its applicant counts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Posting {
    pub id: Uuid,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub positions: i16,
    pub positions_filled: i16,
    pub applicants: i64,
    pub new_applicants: i64,
}

/// The manager home: reports and open postings.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TeamHome {
    pub reports: Vec<Report>,
    pub postings: Vec<Posting>,
    /// Reports' applications the manager may see: told at the policy stage, or project
    /// hours waiting for approval. Never anything earlier.
    pub applications: Vec<crate::db::team::VisibleApplication>,
    /// Secondment returns that are due.
    pub returns_due: Vec<crate::db::moves::ReturnDue>,
    /// Talent the manager exported this year: their reports' moves elsewhere since 1 January.
    pub exported: Vec<crate::service::applications::backfill::ExportedMove>,
}

/// Direct reports of `manager`.
pub async fn reports(state: &AppState, manager: Uuid) -> Result<Vec<Report>> {
    let rows = sqlx::query_as!(
        Report,
        r#"select p.id, p.display_name, jp.title as "job_title?",
                  (select count(*) from person_skills ps where ps.person_id = p.id) as "skill_count!",
                  c.last as "last_conversation?",
                  coalesce(c.last < current_date - 90, true) as "conversation_due!"
           from people p
           left join job_profiles jp on jp.id = p.job_profile_id
           left join lateral (select max(held_on) as last from career_conversations cc
                              where cc.person_id = p.id) c on true
           where p.manager_id = $1 and p.employment_status <> 'terminated'
           order by p.display_name"#,
        manager
    )
    .fetch_all(&state.db)
    .await?;
    Ok(rows)
}

/// Postings owned by `owner`; `open_only` limits them to drafts and open ones.
pub async fn postings_of(state: &AppState, owner: Uuid, open_only: bool) -> Result<Vec<Posting>> {
    let rows = sqlx::query_as!(
        Posting,
        r#"select o.id, o.title, o.kind, o.status, o.positions, o.positions_filled,
                  count(a.id) as "applicants!",
                  count(a.id) filter (where a.status = 'submitted') as "new_applicants!"
           from opportunities o
           left join applications a on a.opportunity_id = o.id
           where o.owner_id = $1 and (not $2 or o.status in ('draft', 'open'))
           group by o.id
           order by (o.status = 'open') desc, o.created_at desc
           limit 200"#,
        owner,
        open_only
    )
    .fetch_all(&state.db)
    .await?;
    Ok(rows)
}

/// Load the manager home data.
pub async fn load(state: &AppState, user: &CurrentUser) -> Result<TeamHome> {
    Ok(TeamHome {
        reports: reports(state, user.id).await?,
        postings: postings_of(state, user.id, true).await?,
        applications: crate::db::team::visible_applications(&state.db, user.id).await?,
        returns_due: crate::db::moves::returns_due(
            &state.db,
            Requester {
                id: user.id,
                is_hr: user.is_hr,
            },
            crate::domain::today(),
        )
        .await?,
        exported: crate::service::applications::backfill::exported_this_year(&state.db, user.id)
            .await?,
    })
}
