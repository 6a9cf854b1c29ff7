//! Browsing openings: SQL narrows the open openings by the filters (ids only), the matching
//! engine scores them in memory, and only the page shown is read in full.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::engine::views::FitView;
use crate::engine::{today, Engine};
use crate::error::Result;
use crate::matching::Ranking;

use super::filters::{Filters, PER_PAGE};

/// A skill the person holds below the level asked (or not at all).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Gap {
    pub skill: String,
    pub level_asked: u8,
    pub level_held: Option<u8>,
    /// essential, important or nice_to_have.
    pub importance: String,
}

/// One opening in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpeningCard {
    pub id: Uuid,
    pub title: String,
    /// role, secondment, project or mentorship.
    pub kind: String,
    pub department: String,
    pub location: Option<String>,
    pub work_mode: String,
    pub hours_per_week: Option<f64>,
    /// RFC 3339.
    pub published_at: String,
    pub closes_on: Option<String>,
    /// The person's fit, 0-100: how well they cover what the opening asks, the score the
    /// hiring manager sees and the one stored when they apply; None when the engine has not
    /// indexed the person or opening.
    pub fit: Option<u8>,
    /// The person's relevance, 0-100: the fit part plus how the move suits them. This is
    /// what ranks openings for them ("best match first").
    pub relevance: Option<u8>,
    /// A step down the person has not asked for: ranked after every other opening.
    pub step_down: bool,
    /// The biggest gaps, essential first (at most three).
    pub gaps: Vec<Gap>,
    pub saved: bool,
}

/// A page of openings with the totals.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpeningPage {
    pub items: Vec<OpeningCard>,
    /// Openings matching the filters, on all pages.
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub pages: usize,
}

/// The ids (and publication times) of the open openings the filters select for `person`.
/// `since`: only those published after it (for job alerts).
pub async fn matching_ids(
    db: &sqlx::PgPool,
    person: Uuid,
    f: &Filters,
    since: Option<OffsetDateTime>,
) -> Result<Vec<(Uuid, OffsetDateTime)>> {
    let rows = sqlx::query!(
        r#"select o.id, o.published_at as "published_at!"
           from opportunities o
           left join job_profiles jp on jp.id = o.job_profile_id
           where o.status = 'open' and o.published_at is not null
             and (o.closes_on is null or o.closes_on >= current_date)
             and ($1::text is null or o.kind = $1)
             and ($2::uuid is null or o.department_id = $2)
             and ($3::uuid is null or jp.family_id = $3)
             and ($4::uuid is null or jp.level_id = $4)
             and ($5::uuid is null or o.location_id = $5)
             and ($6::text is null or o.work_mode = $6)
             and ($7::float8 is null or o.hours_per_week::float8 <= $7)
             and (cardinality($8::uuid[]) = 0 or cardinality($8::uuid[]) =
                  (select count(*) from opportunity_skills os
                   where os.opportunity_id = o.id and os.skill_id = any($8)))
             and ($9::text is null or o.search @@ websearch_to_tsquery('english', $9))
             and ($10::timestamptz is null or o.published_at > $10)
             and (not $11 or exists(select 1 from saved_opportunities s
                                    where s.opportunity_id = o.id and s.person_id = $12))"#,
        f.kind,
        f.department,
        f.family,
        f.level,
        f.location,
        f.work_mode,
        f.max_hours,
        &f.skills,
        f.q,
        since,
        f.saved_only,
        person
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.published_at)).collect())
}

/// The person's fit score for each opening (None where the engine knows neither).
pub fn scores(engine: &Engine, person: Uuid, openings: &[Uuid], day: i32) -> Vec<Option<u8>> {
    let live = engine.read();
    let Some(p) = live.ids.person_of(person) else {
        return vec![None; openings.len()];
    };
    openings
        .iter()
        .map(|o| {
            let o = live.ids.opening_of(*o)?;
            Some(live.index.fit(p, o, Ranking::OpeningsForPerson, day)?.score)
        })
        .collect()
}

/// The person's full fit for one opening, as they see it.
pub fn fit_for(engine: &Engine, person: Uuid, opening: Uuid, day: i32) -> Option<FitView> {
    let live = engine.read();
    let p = live.ids.person_of(person)?;
    let o = live.ids.opening_of(opening)?;
    let fit = live.index.fit(p, o, Ranking::OpeningsForPerson, day)?;
    Some(live.fit_view(&fit))
}

/// The biggest gaps of a fit: skills missing or held below the level asked, essential first.
pub fn top_gaps(fit: &FitView, n: usize) -> Vec<Gap> {
    let rank = |i: Option<&str>| match i {
        Some("essential") => 0,
        Some("important") => 1,
        _ => 2,
    };
    let mut gaps: Vec<_> = fit
        .reasons
        .iter()
        .filter(|r| matches!(r.outcome, Some("missing") | Some("partly_met")))
        .collect();
    gaps.sort_by_key(|r| {
        (
            rank(r.importance),
            r.level_held.unwrap_or(0) as i16 - r.level_asked.unwrap_or(0) as i16,
        )
    });
    gaps.into_iter()
        .take(n)
        .map(|r| Gap {
            skill: r.skill.clone().unwrap_or_default(),
            level_asked: r.level_asked.unwrap_or(0),
            level_held: r.level_held,
            importance: r.importance.unwrap_or("essential").to_string(),
        })
        .collect()
}

/// One page of the openings the filters select, ranked by fit (or newest first).
pub async fn search(state: &AppState, person: Uuid, f: &Filters) -> Result<OpeningPage> {
    let found = matching_ids(&state.db, person, f, None).await?;
    let ids: Vec<Uuid> = found.iter().map(|(id, _)| *id).collect();
    let day = today();
    let mut ranked: Vec<(Uuid, OffsetDateTime, Option<u8>)> = if f.newest_first {
        found.into_iter().map(|(id, at)| (id, at, None)).collect()
    } else {
        let s = scores(&state.engine, person, &ids, day);
        found
            .into_iter()
            .zip(s)
            .map(|((id, at), s)| (id, at, s))
            .collect()
    };
    ranked.sort_by(|a, b| b.2.cmp(&a.2).then(b.1.cmp(&a.1)).then(a.0.cmp(&b.0)));
    let total = ranked.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page_ids: Vec<Uuid> = ranked
        .iter()
        .skip((f.page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|r| r.0)
        .collect();
    let items = cards(state, person, &page_ids).await?;
    Ok(OpeningPage {
        items,
        total,
        page: f.page,
        per_page: PER_PAGE,
        pages,
    })
}

/// Cards for these openings, in this order, with the person's fit and gaps.
pub async fn cards(state: &AppState, person: Uuid, ids: &[Uuid]) -> Result<Vec<OpeningCard>> {
    let rows = sqlx::query!(
        r#"select o.id, o.title, o.kind, d.name as department, l.name as "location?", o.work_mode,
                  o.hours_per_week::float8 as hours, o.published_at as "published_at!", o.closes_on,
                  exists(select 1 from saved_opportunities s where s.opportunity_id = o.id and s.person_id = $2) as "saved!"
           from opportunities o
           join departments d on d.id = o.department_id
           left join locations l on l.id = o.location_id
           where o.id = any($1)"#,
        ids,
        person
    )
    .fetch_all(&state.db)
    .await?;
    let mut by_id: HashMap<Uuid, _> = rows.into_iter().map(|r| (r.id, r)).collect();
    let day = today();
    let mut seen = HashSet::new();
    Ok(ids
        .iter()
        .filter(|id| seen.insert(**id))
        .filter_map(|id| {
            let r = by_id.remove(id)?;
            let fit = fit_for(&state.engine, person, *id, day);
            let applicant_fit = state.engine.applicant_fit(person, *id, day);
            Some(OpeningCard {
                id: r.id,
                title: r.title,
                kind: r.kind,
                department: r.department,
                location: r.location,
                work_mode: r.work_mode,
                hours_per_week: r.hours,
                published_at: rfc3339(r.published_at),
                closes_on: r.closes_on.map(|d| d.to_string()),
                fit: applicant_fit.as_ref().map(|f| f.score),
                relevance: fit.as_ref().map(|f| f.score),
                step_down: fit.as_ref().is_some_and(|f| {
                    f.reasons
                        .iter()
                        .any(|r| r.kind == "direction" && r.points < 0)
                }),
                gaps: fit.as_ref().map(|f| top_gaps(f, 3)).unwrap_or_default(),
                saved: r.saved,
            })
        })
        .collect())
}

/// A timestamp as RFC 3339.
pub fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
