//! toolget's integration tests: one binary, modules per area. Everything is offline: a
//! loopback fake GitHub (support::fake_github) plays the REST API.

mod corpus;
mod resolver_sccache;
mod support;
