//! Integration tests: the real HTTP app against a real PostgreSQL, one database per test.
//! One test binary (faster to build, and one private cluster for the whole run).

mod support;

mod access;
mod auth;
mod browser;
mod demo;
mod health;
mod matching;
mod migrations;
mod metrics;
mod dashboard;
mod policy;
mod audit;
