//! What an ESCO import did (its own file so the job runner can read it without depending
//! on the import itself).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What an ESCO import did.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct EscoReport {
    pub skills_in_file: u64,
    pub categories_added: u64,
    pub skills_added: u64,
    pub skills_updated: u64,
    /// Skills HR edited by hand, left as they are.
    pub skills_kept_hand_edited: u64,
    /// Skills whose name is already taken by another skill (not imported).
    pub skills_name_taken: u64,
    pub aliases_added: u64,
    pub relations_added: u64,
    pub job_profiles_added: u64,
    pub job_profile_skills_added: u64,
    pub elapsed_ms: u64,
}
