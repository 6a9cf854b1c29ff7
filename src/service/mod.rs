//! Every business action once: the rules, the transaction, the audit row, the notification
//! and the engine refresh. The pages (`web/`), the JSON API (`api/`) and SCIM (`scim/`) call
//! these; nothing here knows axum or askama. See `docs/ARCHITECTURE.md`.

pub mod architecture;
pub mod courses;
pub mod hr;
pub mod imports;
pub mod marketplace;
pub mod taxonomy;
