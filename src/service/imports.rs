//! Imports from the HR system: how large an upload may be, and a file imported at once (the
//! JSON API) with the engine reloaded when something changed. The page starts the same import
//! in the background instead (`import::jobs`).

use crate::app::state::AppState;
use crate::db::audit::Actor;
use crate::domain::user::CurrentUser;
use crate::error::Result;
use crate::import::{self, Kind, Options, Report};

/// Uploads from the HR system may be large (200,000 people is about 20 MB).
pub const UPLOAD_LIMIT: usize = 128 * 1024 * 1024;

/// The largest file the JSON API imports within the request (about 10,000 people); a larger
/// one runs as a background job, so no import meets the request time limit.
pub const SYNC_LIMIT: usize = 1024 * 1024;

/// Import one file now, as `user`; the report says whether it was applied (then the engine
/// has been reloaded) or every problem by line and column.
pub async fn import_now(
    state: &AppState,
    user: &CurrentUser,
    kind: Kind,
    file: &[u8],
    options: Options,
) -> Result<Report> {
    let report = import::run(
        &state.db,
        kind,
        file,
        Actor::Person(user.id),
        options,
        &import::quiet,
    )
    .await?;
    if report.applied {
        state.engine.reload(&state.db).await?;
    }
    Ok(report)
}
