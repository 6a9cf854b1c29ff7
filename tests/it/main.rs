//! Integration tests: the real HTTP app against a real PostgreSQL, one database per test.
//! One test binary (faster to build, and one private cluster for the whole run).

mod support;

mod access;
mod alerts;
mod applying;
mod auth;
mod browser;
mod browser_manager;
mod browser_employee;
mod demo;
mod health;
mod matching;
mod migrations;
mod offers;
mod pipeline;
mod postings;
mod team;
mod opportunities;
