//! Integration tests: the real HTTP app against a real PostgreSQL, one database per test.
//! One test binary (faster to build, and one private cluster for the whole run).

mod support;

mod access;
mod account_security;
mod alerts;
mod applying;
mod architecture;
mod audit;
mod auth;
mod browser;
mod browser_employee;
mod browser_manager;
mod browser_profile;
mod browser_sso;
mod careers;
mod code_layout;
mod courses_admin;
mod dashboard;
mod demo;
mod exports;
mod health;
mod import;
mod learning;
mod matching;
mod mentors;
mod metrics;
mod migrations;
mod offers;
mod openapi;
mod opportunities;
mod outbox;
mod people;
mod pipeline;
mod policy;
mod postings;
mod profile;
mod scim;
mod scim_queries;
mod scim_quirks;
mod scim_search;
mod service_parity;
mod sso;
mod taxonomy;
mod team;
mod tokens;
