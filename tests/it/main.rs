//! Integration tests: the real HTTP app against a real PostgreSQL, one database per test.
//! One test binary (faster to build, and one private cluster for the whole run).

mod support;

mod access;
mod architecture;
mod auth;
mod browser;
mod courses_admin;
mod demo;
mod health;
mod import;
mod matching;
mod migrations;
mod taxonomy;
