//! `/hr/skills`: search the taxonomy, edit a skill (marking it hand-edited so ESCO re-imports
//! leave it alone), merge two skills, import ESCO.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::skill_links::{self, LinkDraft, SkillLinks};
use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::error::{AppError, Result};
use crate::http::extract::{Form, Path, Query};
use crate::http::page::{render, Page, Section};
use crate::http::params::{last_page, paging, value};
use crate::http::session::CurrentUser;
use crate::import::esco::{self, EscoOptions, EscoReport, ATTRIBUTION};
use crate::import::merge::{self, MergeReport};

/// One skill as the taxonomy admin shows it.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct SkillRow {
    pub id: Uuid,
    pub name: String,
    pub category: Option<String>,
    pub description: String,
    pub esco_uri: Option<String>,
    pub hand_edited: bool,
    pub aliases: Vec<String>,
    pub related: Vec<String>,
    pub people: i64,
}

/// Search terms.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Search {
    /// Part of a name or alias.
    pub q: Option<String>,
    /// From 1.
    pub page: Option<String>,
    /// 1 to 200 (default 50).
    pub page_size: Option<String>,
}

impl Search {
    /// The words, page and page size, checked.
    pub fn resolve(&self) -> Result<(String, i64, i64)> {
        let mut errors = Vec::new();
        let (page, size) = paging(&mut errors, &self.page, &self.page_size, 50);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok((value(&self.q).unwrap_or("").to_string(), page, size))
    }
}

/// One page of the taxonomy.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkillPage {
    pub skills: Vec<SkillRow>,
    /// Skills matching, on all pages.
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// A page of the live skills matching `q` (name or alias), best matches first, with the total.
pub async fn search(db: &sqlx::PgPool, q: &str, page: i64, page_size: i64) -> Result<SkillPage> {
    // Runtime queries: the aggregate columns map onto `SkillRow` with `FromRow`.
    let total: i64 = sqlx::query_scalar(
        "select count(*) from skills k
         where k.merged_into_id is null
           and ($1 = '' or lower(k.name) like '%' || lower($1) || '%'
                or exists (select 1 from skill_aliases a where a.skill_id = k.id
                           and lower(a.alias) like '%' || lower($1) || '%'))",
    )
    .bind(q.trim())
    .fetch_one(db)
    .await?;
    let rows = sqlx::query_as::<_, SkillRow>(
        "select k.id, k.name, c.name as category, k.description, k.esco_uri,
                k.hand_edited_at is not null as hand_edited,
                coalesce((select array_agg(a.alias order by a.alias) from skill_aliases a where a.skill_id = k.id), '{}') as aliases,
                coalesce((select array_agg(r.name order by r.name) from (select o.name from skill_relations sr
                          join skills o on o.id = sr.related_skill_id where sr.skill_id = k.id
                          order by sr.strength desc, o.name limit 8) r), '{}') as related,
                (select count(*) from person_skills ps where ps.skill_id = k.id) as people
         from skills k left join skill_categories c on c.id = k.category_id
         where k.merged_into_id is null
           and ($1 = '' or lower(k.name) like '%' || lower($1) || '%'
                or exists (select 1 from skill_aliases a where a.skill_id = k.id
                           and lower(a.alias) like '%' || lower($1) || '%'))
         order by ($1 <> '' and lower(k.name) = lower($1)) desc, lower(k.name) <-> lower($1), k.name, k.id
         limit $2 offset $3",
    )
    .bind(q.trim())
    .bind(page_size)
    .bind((page - 1) * page_size)
    .fetch_all(db)
    .await?;
    Ok(SkillPage {
        skills: rows,
        total,
        page,
        page_size,
    })
}

#[derive(Template)]
#[template(path = "hr_admin/skills.html")]
struct SkillsPage {
    page: Page,
    q: String,
    result: SkillPage,
    previous: Option<String>,
    next: Option<String>,
    from: String,
    into: String,
    merge_error: Option<String>,
    notice: Option<String>,
    attribution: &'static str,
}

impl SkillsPage {
    async fn load(state: &AppState, user: &CurrentUser, search: &Search) -> Result<SkillsPage> {
        let (q, page, size) = search.resolve()?;
        let result = self::search(&state.db, &q, page, size).await?;
        let link = |page: i64| {
            serde_urlencoded::to_string([("q", q.as_str()), ("page", &page.to_string())])
                .unwrap_or_default()
        };
        let last = last_page(result.total, result.page_size);
        Ok(SkillsPage {
            page: Page::new("Skill taxonomy", user, Section::Hr),
            previous: (result.page > 1).then(|| link(result.page - 1)),
            next: (result.page < last).then(|| link(result.page + 1)),
            result,
            q,
            from: String::new(),
            into: String::new(),
            merge_error: None,
            notice: None,
            attribution: ATTRIBUTION,
        })
    }
}

/// GET /hr/skills
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(s): Query<Search>,
) -> Result<Html<String>> {
    render(&SkillsPage::load(&state, &user, &s).await?)
}

/// Merge form: skill names (or aliases) typed by HR.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MergeForm {
    /// The skill that disappears.
    pub from: String,
    /// The survivor.
    pub into: String,
}

/// The live skill called `name` (case-insensitive).
pub async fn skill_named(db: &sqlx::PgPool, name: &str) -> Result<Option<Uuid>> {
    let id: Option<(Uuid,)> = sqlx::query_as(
        "select id from skills where lower(name) = lower($1) and merged_into_id is null",
    )
    .bind(name.trim())
    .fetch_optional(db)
    .await?;
    Ok(id.map(|(id,)| id))
}

/// Merge by names: the API and the page share this.
pub async fn merge_named(
    state: &AppState,
    user: &CurrentUser,
    form: &MergeForm,
) -> Result<MergeReport> {
    let from = skill_named(&state.db, &form.from).await?.ok_or_else(|| {
        AppError::field(
            "from",
            format!("There is no skill called {}.", form.from.trim()),
        )
    })?;
    let into = skill_named(&state.db, &form.into).await?.ok_or_else(|| {
        AppError::field(
            "into",
            format!("There is no skill called {}.", form.into.trim()),
        )
    })?;
    let report = merge::merge(&state.db, from, into, Actor::Person(user.id)).await?;
    state.engine.reload(&state.db).await?;
    Ok(report)
}

/// POST /hr/skills/merge
pub async fn merge(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<MergeForm>,
) -> Result<Response> {
    match merge_named(&state, &user, &form).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/hr/skills?{}", query_q(form.into.trim()))).into_response())
        }
        Err(AppError::Validation(errors)) => {
            let mut page = SkillsPage::load(&state, &user, &Search::default()).await?;
            page.from = form.from;
            page.into = form.into;
            page.merge_error = errors.first().map(|e| e.message.clone());
            Ok(render(&page)?.into_response())
        }
        Err(e) => Err(e),
    }
}

/// Run the ESCO import from the configured folder (TRELLIS_ESCO_DIR).
pub async fn run_esco(
    state: &AppState,
    user: &CurrentUser,
    occupations: bool,
) -> Result<EscoReport> {
    let dir = std::env::var("TRELLIS_ESCO_DIR").unwrap_or_else(|_| "../shared/data/esco".into());
    let options = EscoOptions {
        occupations,
        ..EscoOptions::default()
    };
    let report = esco::import(
        &state.db,
        std::path::Path::new(&dir),
        Actor::Person(user.id),
        options,
        &crate::import::quiet,
    )
    .await
    .map_err(|e| AppError::BadRequest(format!("The ESCO import failed: {e:#}")))?;
    state.engine.reload(&state.db).await?;
    Ok(report)
}

/// ESCO import form.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct EscoForm {
    /// Also import occupations as job profiles ("on" from a checkbox).
    #[serde(default)]
    pub occupations: Option<String>,
}

/// POST /hr/skills/esco
pub async fn esco(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<EscoForm>,
) -> Result<Html<String>> {
    let report = run_esco(&state, &user, form.occupations.is_some()).await?;
    let mut page = SkillsPage::load(&state, &user, &Search::default()).await?;
    page.notice = Some(format!(
        "ESCO imported in {} ms: {} skills added, {} updated, {} left as edited by hand, {} aliases, {} relations, {} job profiles.",
        report.elapsed_ms, report.skills_added, report.skills_updated, report.skills_kept_hand_edited,
        report.aliases_added, report.relations_added, report.job_profiles_added));
    render(&page)
}

/// The edit form's fields.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SkillEdit {
    pub name: String,
    pub description: String,
    /// Category name; created when new; empty for none.
    #[serde(default)]
    pub category: String,
}

#[derive(Template)]
#[template(path = "hr_admin/skill_edit.html")]
struct EditPage {
    page: Page,
    id: Uuid,
    form: SkillEdit,
    error: Option<String>,
    attribution: &'static str,
    esco_uri: Option<String>,
    links: SkillLinks,
    draft: LinkDraft,
}

/// The edit page of skill `id`: the stored skill unless `form` (what was typed) is given.
pub(super) async fn show_edit(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    typed: Option<(SkillEdit, String)>,
    draft: LinkDraft,
) -> Result<Html<String>> {
    let row: (String, String, Option<String>, Option<String>) = sqlx::query_as(
        "select k.name, k.description, c.name, k.esco_uri from skills k
         left join skill_categories c on c.id = k.category_id where k.id = $1 and k.merged_into_id is null")
        .bind(id).fetch_optional(&state.db).await?.ok_or(AppError::NotFound)?;
    let (form, error) = match typed {
        Some((form, error)) => (form, Some(error)),
        None => (
            SkillEdit {
                name: row.0,
                description: row.1,
                category: row.2.unwrap_or_default(),
            },
            None,
        ),
    };
    render(&EditPage {
        page: Page::new("Edit a skill", user, Section::Hr),
        id,
        form,
        error,
        attribution: ATTRIBUTION,
        esco_uri: row.3,
        links: skill_links::load(&state.db, id).await?,
        draft,
    })
}

/// GET /hr/skills/{id}
pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Html<String>> {
    show_edit(&state, &user, id, None, LinkDraft::default()).await
}

/// Save an edit; marks the skill hand-edited. Audited with before and after.
pub async fn save_edit(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    form: &SkillEdit,
) -> Result<()> {
    let name = form.name.trim();
    if name.is_empty() {
        return Err(AppError::field("name", "A skill needs a name."));
    }
    let mut tx = state.db.begin().await?;
    let before: Option<(String, String)> = sqlx::query_as(
        "select name, description from skills where id = $1 and merged_into_id is null for update",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let before = before.ok_or(AppError::NotFound)?;
    let taken: Option<(Uuid,)> =
        sqlx::query_as("select id from skills where lower(name) = lower($1) and id <> $2")
            .bind(name)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        return Err(AppError::field(
            "name",
            format!("Another skill is already called {name}; merge them instead."),
        ));
    }
    let category = form.category.trim();
    if !category.is_empty() {
        sqlx::query("insert into skill_categories (name) values ($1) on conflict do nothing")
            .bind(category)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "update skills set name = $2, description = $3, hand_edited_at = now(),
                 category_id = (select id from skill_categories where name = $4) where id = $1",
    )
    .bind(id)
    .bind(name)
    .bind(form.description.trim())
    .bind(category)
    .execute(&mut *tx)
    .await?;
    audit::record(&mut *tx, Actor::Person(user.id), "skill.edit", "skill", Some(id.to_string()),
        json!({ "before": { "name": before.0, "description": before.1 },
                "after": { "name": name, "description": form.description.trim(), "category": category } })).await?;
    tx.commit().await?;
    state.engine.reload(&state.db).await?;
    Ok(())
}

/// POST /hr/skills/{id}
pub async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<SkillEdit>,
) -> Result<Response> {
    match save_edit(&state, &user, id, &form).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/hr/skills?{}", query_q(form.name.trim()))).into_response())
        }
        Err(AppError::Validation(errors)) => {
            let error = errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            let draft = LinkDraft::default();
            Ok(show_edit(&state, &user, id, Some((form, error)), draft)
                .await?
                .into_response())
        }
        Err(e) => Err(e),
    }
}

/// `q=<s>`, encoded.
fn query_q(s: &str) -> String {
    serde_urlencoded::to_string([("q", s)]).unwrap_or_default()
}
