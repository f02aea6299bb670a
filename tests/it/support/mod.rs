//! Test support: fake GitHub on 127.0.0.1, archive builders, a `TestContext`.
#![allow(dead_code)]
pub mod fake_github;
