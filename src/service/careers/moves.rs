//! Suggested career moves for a person, from three sources side by side: the paths HR defined
//! out of their job profile, the job profiles closest to their skills (the relevance that
//! ranks openings for them), and the moves people in this company made from their profile
//! (only where at least `MIN_OBSERVED` people moved, so no individual is exposed). Each
//! suggestion says why ("uses 9 of your 12 skills; 3 to learn; 14 people moved this way").

use std::collections::HashMap;

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::fit::{self, Standing};
use super::graph::profile_skills;
use crate::app::state::AppState;
use crate::error::{AppError, Result};

/// The fewest people who must have made a move before it is shown as a move people made.
pub const MIN_OBSERVED: i64 = 3;
/// Suggestions per source.
const PER_SOURCE: usize = 5;

/// One suggested move to a job profile, with why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CareerMove {
    pub profile_id: Uuid,
    pub title: String,
    /// The level code (IC4, M1, ...).
    pub level: String,
    pub family: String,
    /// `up`, `level`, `stretch` or `down`; None when a level is unknown.
    pub direction: Option<&'static str>,
    /// How relevant the move is for the person, 0-100 (what ranks openings for them).
    pub relevance: u8,
    /// How much of what the profile asks the person covers today, 0-100 (the fit a manager
    /// would see).
    pub fit: u8,
    /// The person's skills the profile uses, of all they hold.
    pub uses_skills: u16,
    pub of_skills: u16,
    /// Skills the profile asks for that the person does not hold.
    pub to_learn: u16,
    /// For a path HR defined: promotion or lateral, and the typical months in role first.
    pub path_kind: Option<String>,
    pub typical_months: Option<i16>,
    /// For a move people made: how many (at least `MIN_OBSERVED`).
    pub people_moved: Option<i64>,
    /// Why, in one sentence.
    pub why: String,
}

/// The three sources side by side (the JSON twin returns exactly this).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct CareerMoves {
    /// The person's current job profile, if any.
    pub from_profile_id: Option<Uuid>,
    /// Paths HR defined out of the current profile, most relevant first.
    pub defined: Vec<CareerMove>,
    /// Profiles closest to the person's skills, most relevant first (a step down the person
    /// has not asked for comes last).
    pub by_skills: Vec<CareerMove>,
    /// Moves people made from the current profile, most made first.
    pub observed: Vec<CareerMove>,
    /// The fewest people a move needs before it is shown under `observed`.
    pub min_observed: i64,
}

struct ProfileRow {
    title: String,
    level: String,
    family: String,
}

fn why(s: &Standing, path: Option<(&str, i16)>, moved: Option<i64>) -> String {
    let mut parts = Vec::new();
    if let Some((kind, months)) = path {
        let kind = if kind == "lateral" {
            "lateral move"
        } else {
            kind
        };
        parts.push(format!(
            "a {kind} HR defined, usually after about {months} months"
        ));
    }
    parts.push(format!(
        "uses {} of your {} skills",
        s.uses_skills, s.of_skills
    ));
    parts.push(match s.to_learn {
        0 => "nothing new to learn".to_owned(),
        1 => "1 skill to learn".to_owned(),
        n => format!("{n} skills to learn"),
    });
    if let Some(n) = moved {
        parts.push(format!("{n} people moved this way"));
    }
    parts.push(match s.direction {
        Some("up") => "a step up".to_owned(),
        Some("level") => "at your level".to_owned(),
        Some("stretch") => "a stretch of more than one level".to_owned(),
        Some("down") => "a step down".to_owned(),
        _ => "level not known".to_owned(),
    });
    let mut text = parts.join("; ");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text
}

/// The person's suggested moves from the three sources.
pub async fn load(state: &AppState, person: Uuid) -> Result<CareerMoves> {
    let from: Option<Uuid> =
        sqlx::query_scalar!("select job_profile_id from people where id = $1", person)
            .fetch_optional(&state.db)
            .await?
            .flatten();
    let rows = sqlx::query!(
        "select jp.id, jp.title, l.code, f.name from job_profiles jp
         join job_levels l on l.id = jp.level_id join job_families f on f.id = jp.family_id
         where jp.retired_at is null"
    )
    .fetch_all(&state.db)
    .await?;
    let info: HashMap<Uuid, ProfileRow> = rows
        .into_iter()
        .map(|r| {
            let row = ProfileRow {
                title: r.title,
                level: r.code,
                family: r.name,
            };
            (r.id, row)
        })
        .collect();
    let ids: Vec<Uuid> = info
        .keys()
        .copied()
        .filter(|id| Some(*id) != from)
        .collect();
    let skills = profile_skills(state, &ids).await?;
    let engine = state.engine.clone();
    let standings = tokio::task::spawn_blocking(move || {
        fit::standings(&engine, person, &skills, crate::engine::today())
    })
    .await
    .map_err(|e| AppError::Other(e.into()))?;

    let make = |id: Uuid, path: Option<(&str, i16)>, moved: Option<i64>| {
        let (p, s) = (info.get(&id)?, standings.get(&id)?);
        Some(CareerMove {
            profile_id: id,
            title: p.title.clone(),
            level: p.level.clone(),
            family: p.family.clone(),
            direction: s.direction,
            relevance: s.relevance,
            fit: s.fit,
            uses_skills: s.uses_skills,
            of_skills: s.of_skills,
            to_learn: s.to_learn,
            path_kind: path.map(|(k, _)| k.to_owned()),
            typical_months: path.map(|(_, m)| m),
            people_moved: moved,
            why: why(s, path, moved),
        })
    };
    let rank = |m: &CareerMove| {
        let down_unasked = standings.get(&m.profile_id).is_some_and(|s| s.unasked_down);
        (
            down_unasked,
            std::cmp::Reverse(m.relevance),
            m.title.clone(),
        )
    };

    let mut by_skills: Vec<CareerMove> =
        ids.iter().filter_map(|&id| make(id, None, None)).collect();
    by_skills.retain(|m| m.relevance > 0);
    by_skills.sort_by_key(rank);
    by_skills.truncate(PER_SOURCE);

    let (mut defined, mut observed) = (Vec::new(), Vec::new());
    if let Some(from) = from {
        let paths = sqlx::query!(
            "select to_profile_id, kind, typical_months from career_paths
             where from_profile_id = $1",
            from
        )
        .fetch_all(&state.db)
        .await?;
        defined = paths
            .iter()
            .filter_map(|p| make(p.to_profile_id, Some((&p.kind, p.typical_months)), None))
            .collect();
        defined.sort_by_key(rank);
        let moves = sqlx::query!(
            r#"select to_profile_id as "to!", count(distinct person_id) as "people!" from moves
               where from_profile_id = $1 and to_profile_id is not null
                 and to_profile_id <> from_profile_id
               group by to_profile_id having count(distinct person_id) >= $2
               order by 2 desc, to_profile_id limit $3"#,
            from,
            MIN_OBSERVED,
            PER_SOURCE as i64
        )
        .fetch_all(&state.db)
        .await?;
        observed = moves
            .iter()
            .filter_map(|m| make(m.to, None, Some(m.people)))
            .collect();
    }
    Ok(CareerMoves {
        from_profile_id: from,
        defined,
        by_skills,
        observed,
        min_observed: MIN_OBSERVED,
    })
}
