//! The job architecture: job families, levels, job profiles with their required skills, and
//! career paths with their rules (never to itself; a promotion goes up a level in the same
//! family; a lateral move goes to another family within one rank). `jobs` edits families and
//! levels, `profiles` edits job profiles; every edit re-checks the career paths it touches.

pub mod jobs;
pub mod profiles;

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::architecture;
use crate::db::audit::{self, Actor};
use crate::domain::user::CurrentUser;
use crate::error::{AppError, Result};

/// Where a profile sits: its family and its level's rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub profile: Uuid,
    pub family: Uuid,
    pub rank: i16,
}

/// Why a career path is refused, if it is.
pub fn check_path(kind: &str, from: Place, to: Place) -> std::result::Result<(), &'static str> {
    if from.profile == to.profile {
        return Err("A career path cannot lead to the profile it starts from.");
    }
    match kind {
        "promotion" if from.family != to.family => Err("A promotion stays in the same job family."),
        "promotion" if to.rank <= from.rank => Err("A promotion goes up a level."),
        "lateral" if from.family == to.family => Err("A lateral move goes to another job family."),
        "lateral" if (to.rank - from.rank).abs() > 1 => {
            Err("A lateral move stays within one level (rank ±1).")
        }
        "promotion" | "lateral" => Ok(()),
        _ => Err("The kind is promotion or lateral."),
    }
}

pub use crate::db::architecture::{PathRow, ProfileRow};

/// The whole job architecture.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Architecture {
    pub families: Vec<String>,
    /// Level codes, by rank.
    pub levels: Vec<String>,
    pub profiles: Vec<ProfileRow>,
    pub paths: Vec<PathRow>,
}

/// Load the architecture.
pub async fn load(db: &sqlx::PgPool) -> Result<Architecture> {
    let families = architecture::family_names(db).await?;
    let levels = architecture::level_codes(db).await?;
    let profiles = architecture::profiles(db).await?;
    let paths = architecture::paths(db).await?;
    Ok(Architecture {
        families,
        levels,
        profiles,
        paths,
    })
}

/// The family names and the level codes (by rank) a job profile may take.
pub async fn choices(db: &sqlx::PgPool) -> Result<(Vec<String>, Vec<String>)> {
    let families = architecture::family_names(db).await?;
    let levels = architecture::level_codes(db).await?;
    Ok((families, levels))
}

/// The (id, name) of each family and the (id, code) of each level, for the edit links.
pub async fn edit_links(db: &sqlx::PgPool) -> Result<(Vec<(Uuid, String)>, Vec<(Uuid, String)>)> {
    let families = architecture::family_ids(db).await?;
    let levels = architecture::level_ids(db).await?;
    Ok((families, levels))
}

/// A new career path, between two profile titles.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PathForm {
    pub from: String,
    pub to: String,
    /// promotion or lateral
    pub kind: String,
    pub typical_months: Option<i16>,
}

async fn place(db: &mut sqlx::PgConnection, title: &str, field: &str) -> Result<Place> {
    let row = architecture::place(db, title.trim()).await?;
    row.map(|(profile, family, rank)| Place {
        profile,
        family,
        rank,
    })
    .ok_or_else(|| {
        AppError::field(
            field,
            format!("There is no job profile called {}.", title.trim()),
        )
    })
}

/// Add (or change) a career path after checking the rules. Audited.
pub async fn add_path(state: &AppState, user: &CurrentUser, form: &PathForm) -> Result<()> {
    let months = form.typical_months.unwrap_or(24);
    if !(1..=240).contains(&months) {
        return Err(AppError::field(
            "typical_months",
            "Typical months are between 1 and 240.",
        ));
    }
    let mut tx = state.db.begin().await?;
    let from = place(&mut tx, &form.from, "from").await?;
    let to = place(&mut tx, &form.to, "to").await?;
    check_path(&form.kind, from, to)
        .map_err(|why| AppError::field(if why.contains("kind") { "kind" } else { "to" }, why))?;
    architecture::save_path(&mut tx, from.profile, to.profile, &form.kind, months).await?;
    audit::record(&mut *tx, Actor::Person(user.id), "career_path.save", "career_path", Some(format!("{}:{}", from.profile, to.profile)),
        json!({ "from": form.from.trim(), "to": form.to.trim(), "kind": form.kind, "typical_months": months })).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(profile: u128, family: u128, rank: i16) -> Place {
        Place {
            profile: Uuid::from_u128(profile),
            family: Uuid::from_u128(family),
            rank,
        }
    }

    #[test]
    fn a_path_to_itself_is_refused() {
        assert!(check_path("promotion", at(1, 1, 2), at(1, 1, 2)).is_err());
    }

    #[test]
    fn a_promotion_goes_up_a_level_in_the_same_family() {
        assert!(check_path("promotion", at(1, 1, 2), at(2, 1, 3)).is_ok());
        assert!(check_path("promotion", at(1, 1, 3), at(2, 1, 3)).is_err());
        assert!(check_path("promotion", at(1, 1, 2), at(2, 2, 3)).is_err());
    }

    #[test]
    fn a_lateral_move_goes_to_another_family_within_one_rank() {
        assert!(check_path("lateral", at(1, 1, 3), at(2, 2, 4)).is_ok());
        assert!(check_path("lateral", at(1, 1, 3), at(2, 2, 5)).is_err());
        assert!(check_path("lateral", at(1, 1, 3), at(2, 1, 3)).is_err());
    }
}
