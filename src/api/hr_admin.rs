//! JSON twins of the HR admin pages: the skill taxonomy, merge, ESCO, the job architecture
//! and the course catalogue (imports are in `imports`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware::from_fn;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::Problem;
use crate::app::state::AppState;
use crate::error::Result;
use crate::http::extract::{Path, Query};
use crate::http::session::{require_hr, CurrentUser};
use crate::import::merge::MergeReport;
use crate::service::architecture::jobs::{self as job_forms, FamilyInput, LevelInput};
use crate::service::architecture::profiles::{self as profile_form, ProfileInput};
use crate::service::architecture::{self as arch, Architecture, PathForm};
use crate::service::courses::form::{self as course_form, CourseInput};
use crate::service::courses::{self as catalogue, CourseRow};
use crate::service::imports::UPLOAD_LIMIT;
use crate::service::taxonomy::links::{self as skill_links, AliasForm, RelatedForm, SkillLinks};
use crate::service::taxonomy::skills::{self, MergeForm, Search, SkillEdit, SkillPage};

/// The HR admin routes, HR only.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_skills))
        .routes(routes!(edit_skill))
        .routes(routes!(merge_skills))
        .routes(routes!(architecture))
        .routes(routes!(add_path))
        .routes(routes!(courses, create_course))
        .routes(routes!(update_course))
        .routes(routes!(skill_links_of, add_alias))
        .routes(routes!(remove_alias))
        .routes(routes!(add_related))
        .routes(routes!(remove_related))
        .routes(routes!(create_family))
        .routes(routes!(update_family))
        .routes(routes!(create_level))
        .routes(routes!(update_level))
        .routes(routes!(create_profile))
        .routes(routes!(update_profile))
        .routes(routes!(retire_course))
        .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT))
        .route_layer(from_fn(require_hr))
}

/// Search the skill taxonomy by name or alias, best matches first, one page at a time with
/// the total.
#[utoipa::path(get, path = "/hr/skills", tag = "hr-admin", params(Search),
    responses((status = 200, body = SkillPage), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
async fn list_skills(
    State(state): State<AppState>,
    Query(s): Query<Search>,
) -> Result<Json<SkillPage>> {
    let (q, page, size) = s.resolve()?;
    Ok(Json(skills::search(&state.db, &q, page, size).await?))
}

/// Edit a skill (marks it hand-edited: an ESCO re-import leaves it alone).
#[utoipa::path(put, path = "/hr/skills/{id}", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "hr-admin", request_body = SkillEdit,
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn edit_skill(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    crate::http::extract::Json(form): crate::http::extract::Json<SkillEdit>,
) -> Result<StatusCode> {
    skills::save_edit(&state, &user, id, &form).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Merge one skill into another, by name.
#[utoipa::path(post, path = "/hr/skills/merge", tag = "hr-admin", request_body = MergeForm,
    responses((status = 200, body = MergeReport), (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn merge_skills(
    State(state): State<AppState>,
    user: CurrentUser,
    crate::http::extract::Json(form): crate::http::extract::Json<MergeForm>,
) -> Result<Json<MergeReport>> {
    Ok(Json(skills::merge_named(&state, &user, &form).await?))
}

/// The job architecture: families, levels, profiles with required skills, career paths.
#[utoipa::path(get, path = "/hr/architecture", tag = "hr-admin",
    responses((status = 200, body = Architecture), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn architecture(State(state): State<AppState>) -> Result<Json<Architecture>> {
    Ok(Json(arch::load(&state.db).await?))
}

/// Add or change a career path (checked: not to itself; a promotion goes up a level in the
/// same family; a lateral move goes to another family within one rank).
#[utoipa::path(post, path = "/hr/architecture/paths", tag = "hr-admin", request_body = PathForm,
    responses((status = 204), (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn add_path(
    State(state): State<AppState>,
    user: CurrentUser,
    crate::http::extract::Json(form): crate::http::extract::Json<PathForm>,
) -> Result<StatusCode> {
    arch::add_path(&state, &user, &form).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The course catalogue.
#[utoipa::path(get, path = "/hr/courses", tag = "hr-admin",
    responses((status = 200, body = Vec<CourseRow>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn courses(State(state): State<AppState>) -> Result<Json<Vec<CourseRow>>> {
    Ok(Json(catalogue::list_courses(&state.db).await?))
}

/// Retire a course: it stays on its enrolments; no new enrolment is accepted.
#[utoipa::path(post, path = "/hr/courses/{id}/retire", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "hr-admin",
    responses((status = 204), (status = 404, body = Problem), (status = 403, body = Problem)))]
async fn retire_course(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode> {
    catalogue::retire_course(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Create a course with its skills. 422 with a JSON pointer per refused field.
#[utoipa::path(post, path = "/hr/courses", tag = "hr-admin", request_body = CourseInput,
    responses((status = 201, body = super::Created), (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn create_course(
    State(state): State<AppState>,
    user: CurrentUser,
    crate::http::extract::Json(input): crate::http::extract::Json<CourseInput>,
) -> Result<super::Made<super::Created>> {
    let id = course_form::save(&state, &user, None, &input.into()).await?;
    Ok(super::created(id, format!("/api/v1/courses/{id}")))
}

/// Replace a course and its skills. 422 with a JSON pointer per refused field.
#[utoipa::path(put, path = "/hr/courses/{id}", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "hr-admin", request_body = CourseInput,
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn update_course(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    crate::http::extract::Json(input): crate::http::extract::Json<CourseInput>,
) -> Result<StatusCode> {
    course_form::save(&state, &user, Some(id), &input.into()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Create a job family. 422 with a JSON pointer per refused field.
#[utoipa::path(post, path = "/hr/architecture/families", tag = "hr-admin", request_body = FamilyInput,
    responses((status = 201, body = super::Created), (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn create_family(
    State(state): State<AppState>,
    user: CurrentUser,
    crate::http::extract::Json(input): crate::http::extract::Json<FamilyInput>,
) -> Result<super::Made<super::Created>> {
    let id = job_forms::save_family(&state, &user, None, &input).await?;
    Ok(super::created(id, "/api/v1/hr/architecture".into()))
}

/// Replace a job family. 422 with a JSON pointer per refused field (a change that would break
/// a career path is refused).
#[utoipa::path(put, path = "/hr/architecture/families/{id}", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "hr-admin", request_body = FamilyInput,
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn update_family(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    crate::http::extract::Json(input): crate::http::extract::Json<FamilyInput>,
) -> Result<StatusCode> {
    job_forms::save_family(&state, &user, Some(id), &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Create a job level. 422 with a JSON pointer per refused field.
#[utoipa::path(post, path = "/hr/architecture/levels", tag = "hr-admin", request_body = LevelInput,
    responses((status = 201, body = super::Created), (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn create_level(
    State(state): State<AppState>,
    user: CurrentUser,
    crate::http::extract::Json(input): crate::http::extract::Json<LevelInput>,
) -> Result<super::Made<super::Created>> {
    let id = job_forms::save_level(&state, &user, None, &input.into()).await?;
    Ok(super::created(id, "/api/v1/hr/architecture".into()))
}

/// Replace a job level. 422 with a JSON pointer per refused field (a change that would break
/// a career path is refused).
#[utoipa::path(put, path = "/hr/architecture/levels/{id}", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "hr-admin", request_body = LevelInput,
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn update_level(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    crate::http::extract::Json(input): crate::http::extract::Json<LevelInput>,
) -> Result<StatusCode> {
    job_forms::save_level(&state, &user, Some(id), &input.into()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Create a job profile. 422 with a JSON pointer per refused field.
#[utoipa::path(post, path = "/hr/architecture/profiles", tag = "hr-admin", request_body = ProfileInput,
    responses((status = 201, body = super::Created), (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn create_profile(
    State(state): State<AppState>,
    user: CurrentUser,
    crate::http::extract::Json(input): crate::http::extract::Json<ProfileInput>,
) -> Result<super::Made<super::Created>> {
    let id = profile_form::save(&state, &user, None, &input.into()).await?;
    Ok(super::created(id, "/api/v1/hr/architecture".into()))
}

/// Replace a job profile. 422 with a JSON pointer per refused field (a change that would break
/// a career path is refused).
#[utoipa::path(put, path = "/hr/architecture/profiles/{id}", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "hr-admin", request_body = ProfileInput,
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn update_profile(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    crate::http::extract::Json(input): crate::http::extract::Json<ProfileInput>,
) -> Result<StatusCode> {
    profile_form::save(&state, &user, Some(id), &input.into()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A skill's aliases and related skills.
#[utoipa::path(get, path = "/hr/skills/{id}/aliases", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "hr-admin",
    responses((status = 200, body = SkillLinks), (status = 403, body = Problem)))]
async fn skill_links_of(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Json<SkillLinks>> {
    Ok(Json(skill_links::load(&state.db, id).await?))
}

/// Add an alias to a skill (marks it hand-edited). 422 when empty or already used.
#[utoipa::path(post, path = "/hr/skills/{id}/aliases", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "hr-admin", request_body = AliasForm,
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn add_alias(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    crate::http::extract::Json(form): crate::http::extract::Json<AliasForm>,
) -> Result<StatusCode> {
    skill_links::add_alias(&state, &user, id, &form.alias).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove an alias from a skill (marks it hand-edited).
#[utoipa::path(delete, path = "/hr/skills/{id}/aliases/{alias}", params(("id" = uuid::Uuid, Path, description = "The id"), ("alias" = String, Path, description = "The alias")), tag = "hr-admin",
    responses((status = 204), (status = 404, body = Problem), (status = 403, body = Problem)))]
async fn remove_alias(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, alias)): Path<(Uuid, String)>,
) -> Result<StatusCode> {
    skill_links::remove_alias(&state, &user, id, &alias).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Relate a skill to another (both directions) with a strength 0.1-1.0 (marks it hand-edited).
#[utoipa::path(post, path = "/hr/skills/{id}/related", params(("id" = uuid::Uuid, Path, description = "The id")), tag = "hr-admin", request_body = RelatedForm,
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn add_related(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    crate::http::extract::Json(form): crate::http::extract::Json<RelatedForm>,
) -> Result<StatusCode> {
    skill_links::add_related(&state, &user, id, &form).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove the relation between two skills (both directions; marks the skill hand-edited).
#[utoipa::path(delete, path = "/hr/skills/{id}/related/{related_id}", params(("id" = uuid::Uuid, Path, description = "The id"), ("related_id" = uuid::Uuid, Path, description = "The related id")), tag = "hr-admin",
    responses((status = 204), (status = 404, body = Problem), (status = 403, body = Problem)))]
async fn remove_related(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, related)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode> {
    skill_links::remove_related(&state, &user, id, related).await?;
    Ok(StatusCode::NO_CONTENT)
}
