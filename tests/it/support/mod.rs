//! Test support: fake GitHub on 127.0.0.1, archive builders, a `TestContext`.
#![allow(dead_code)]
pub mod archive;
pub mod context;
pub mod expect;
pub mod fake_github;
pub mod sccache;

pub use context::{Run, TestContext};
