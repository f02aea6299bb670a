//! toolget's integration tests: one binary, modules per area. Everything is offline: a
//! loopback fake GitHub (support::fake_github) plays the REST API.

#![allow(clippy::unwrap_used)]
// A panic in a test is a failure with a location: exactly what a test should produce.
mod archive_bombs;
mod config;
mod corpus;
mod env;
mod github_client;
mod install;
mod lockfile;
mod mise_plugin;
mod real_corpus;
mod real_sccache;
mod registry;
mod resolve_cli;
mod resolver_sccache;
mod resolver_tables;
mod support;
