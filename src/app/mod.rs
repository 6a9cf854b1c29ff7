//! The running application: its shared state, the server start-up, and the background
//! workers every app server runs. Workers take the pool, engine and settings they need.

pub mod alerts;
pub mod demo_hint;
pub mod jobs;
pub mod meters;
pub mod router;
pub mod server;
pub mod state;
pub mod succession_jobs;
