//! One direct report: skills to validate, preferences, career conversations; project-hours
//! approvals; secondment returns; HR's view of a person's conversations.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::team::{self, ConversationAction, NewConversation, ReportDetail};
use crate::domain::params::parse_date;
use crate::error::{AppError, FieldError, Result};
use crate::http::extract::{Form, Path};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::team::{conversations, decisions};

#[derive(Template)]
#[template(path = "team/report.html")]
struct ReportPage {
    page: Page,
    r: ReportDetail,
    errors: Vec<FieldError>,
}

/// GET /team/{id}
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Html<String>> {
    let r = team::report(&state.db, user.id, id).await?;
    render(&ReportPage {
        page: Page::new(r.display_name.clone(), &user, Section::Team),
        r,
        errors: vec![],
    })
}

/// The level form.
#[derive(Debug, Deserialize)]
pub struct LevelForm {
    level: i16,
}

/// POST /team/{id}/skills/{skill_id}
pub async fn validate_skill(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, skill)): Path<(Uuid, Uuid)>,
    Form(f): Form<LevelForm>,
) -> Result<Redirect> {
    decisions::validate_skill(&state, user.id, id, skill, f.level).await?;
    Ok(Redirect::to(&format!("/team/{id}")))
}

/// The conversation form.
#[derive(Debug, Deserialize)]
pub struct ConversationForm {
    held_on: String,
    #[serde(default)]
    aspirations_heard: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    due_on: String,
}

/// POST /team/{id}/conversations
pub async fn add_conversation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<ConversationForm>,
) -> Result<Response> {
    let parsed = (|| -> Result<NewConversation> {
        let held_on = parse_date("held_on", &f.held_on)?
            .ok_or_else(|| AppError::field("held_on", "enter the date of the conversation"))?;
        let due_on = parse_date("due_on", &f.due_on)?;
        let actions = if f.action.trim().is_empty() {
            vec![]
        } else {
            vec![ConversationAction {
                description: f.action.clone(),
                due_on,
            }]
        };
        Ok(NewConversation {
            held_on,
            aspirations_heard: f.aspirations_heard.clone(),
            notes: f.notes.clone(),
            actions,
        })
    })();
    let result = match parsed {
        Ok(c) => conversations::add(&state, user.id, id, c, crate::domain::today()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/team/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            let r = team::report(&state.db, user.id, id).await?;
            let html = render(&ReportPage {
                page: Page::new(r.display_name.clone(), &user, Section::Team),
                r,
                errors,
            })?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        Err(e) => Err(e),
    }
}

/// The approval form.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    decision: String,
}

/// POST /team/approvals/{application_id}
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<DecisionForm>,
) -> Result<Redirect> {
    decisions::decide_hours(&state, user.id, id, f.decision == "approve").await?;
    Ok(Redirect::to("/team"))
}

/// POST /moves/{id}/return
pub async fn record_return(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Redirect> {
    crate::db::moves::record_return(
        &state.db,
        id,
        crate::service::applications::stage::requester(&user),
        crate::domain::today(),
    )
    .await?;
    Ok(Redirect::to("/moves/returns-due"))
}

#[derive(Template)]
#[template(path = "team/conversations.html")]
struct ConversationsPage {
    page: Page,
    name: String,
    conversations: Vec<team::Conversation>,
}

/// GET /people/{id}/conversations: the person, their manager, or HR.
pub async fn conversations(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Html<String>> {
    conversations::ensure_may_see(&state, &user, id).await?;
    let name = sqlx::query_scalar!("select display_name from people where id = $1", id)
        .fetch_one(&state.db)
        .await?;
    render(&ConversationsPage {
        page: Page::new(
            format!("Career conversations: {name}"),
            &user,
            Section::Team,
        ),
        name,
        conversations: team::conversations(&state.db, id).await?,
    })
}

#[derive(Template)]
#[template(path = "team/returns.html")]
struct ReturnsPage {
    page: Page,
    returns: Vec<crate::db::moves::ReturnDue>,
}

/// GET /moves/returns-due: secondment returns due, for HR (all) and managers (their people
/// and postings).
pub async fn returns_due(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    let returns = crate::db::moves::returns_due(
        &state.db,
        crate::service::applications::stage::requester(&user),
        crate::domain::today(),
    )
    .await?;
    let section = if user.is_hr {
        Section::Hr
    } else {
        Section::Team
    };
    render(&ReturnsPage {
        page: Page::new("Secondment returns due", &user, section),
        returns,
    })
}
