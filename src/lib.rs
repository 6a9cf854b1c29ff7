//! Trellis: an internal talent marketplace. People keep skill profiles and find their next
//! move inside the company; managers post openings and see applicants ranked by fit; HR runs
//! the job architecture, the taxonomy and the mobility dashboards.

pub mod alerts;
pub mod api;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod engine;
pub mod error;
pub mod import;
pub mod jobs;
pub mod matching;
pub mod metrics;
pub mod outbox;
pub mod scim;
pub mod server;
pub mod sso;
pub mod state;
pub mod telemetry;
pub mod web;

pub use state::AppState;
pub use web::app;
