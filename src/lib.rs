//! Trellis: an internal talent marketplace. People keep skill profiles and find their next
//! move inside the company; managers post openings and see applicants ranked by fit; HR runs
//! the job architecture, the taxonomy and the mobility dashboards.

pub mod api;
pub mod app;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod engine;
pub mod error;
pub mod http;
pub mod import;
pub mod matching;
pub mod metrics;
pub mod outbox;
pub mod scim;
pub mod service;
pub mod sso;
pub mod telemetry;
pub mod web;

pub use app::router::app;
pub use app::state::AppState;
