//! Integration tests: the real HTTP app against a real PostgreSQL, one database per test.
//! One test binary (faster to build, and one private cluster for the whole run).

mod support;

mod access;
mod audit;
mod auth;
mod browser;
mod dashboard;
mod demo;
mod health;
mod matching;
mod metrics;
mod migrations;
mod policy;
