//! toolget's integration tests: one binary, modules per area. Everything is offline: a
//! loopback fake GitHub (support::fake_github) plays the REST API.

#![allow(clippy::unwrap_used)]
// Tests print diagnostics and their helpers are `pub` for sibling modules; pedantry is for
// the shipped code (Cargo.toml [lints]).
#![allow(
    clippy::pedantic,
    clippy::print_stdout,
    clippy::print_stderr,
    unreachable_pub
)]
// A panic in a test is a failure with a location: exactly what a test should produce.
mod architecture;
mod archive_bombs;
mod cli_output;
mod config;
mod corpus;
mod env;
mod fleet;
mod fleet_real;
mod github_client;
mod image_mode;
mod install;
mod install_safety;
mod limits;
mod lockfile;
mod mise_plugin;
mod provenance;
mod real_corpus;
mod real_sccache;
mod registry;
mod resolve_cli;
mod resolver_corpus;
mod resolver_explain;
mod resolver_properties;
mod resolver_registry_fallback;
mod resolver_sccache;
mod resolver_tables;
mod support;
mod token;
mod untrusted_names;
