//! Every business action once: the rules, the transaction, the audit row, the notification
//! and the engine refresh. The pages (`web/`), the JSON API (`api/`) and SCIM (`scim/`) call
//! these; nothing here knows axum or askama. See `docs/ARCHITECTURE.md`.

pub mod account;
pub mod applications;
pub mod architecture;
pub mod careers;
pub mod courses;
pub mod home;
pub mod hr;
pub mod imports;
pub mod learning;
pub mod learning_paths;
pub mod marketplace;
pub mod mentors;
pub mod notifications;
pub mod oversight;
pub mod postings;
pub mod saved_searches;
pub mod succession;
pub mod talent_pools;
pub mod taxonomy;
pub mod team;
pub mod tokens;
