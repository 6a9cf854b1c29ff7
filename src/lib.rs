//! Trellis: an internal talent marketplace. People keep skill profiles and find their next
//! move inside the company; managers post openings and see applicants ranked by fit; HR runs
//! the job architecture, the taxonomy and the mobility dashboards.

pub mod api;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod engine;
pub mod error;
pub mod matching;
pub mod metrics;
pub mod server;
pub mod state;
pub mod telemetry;
pub mod web;

pub use state::AppState;
pub use web::app;
