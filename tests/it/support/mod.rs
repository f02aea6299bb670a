//! Test support: fake GitHub on 127.0.0.1, archive builders, a `TestContext`.
#![allow(dead_code)]
pub mod archive;
pub mod context;
pub mod expect;
pub mod fake_github;
pub mod sccache;

pub use context::{Run, TestContext};

/// A test whose input is missing says so: `SKIPPED <test>: <why>` on stderr, and one line in
/// the file `TOOLGET_TEST_SKIPS` names (scripts/test lists them in its summary and, with
/// `CI=true`, fails when there is any).
pub fn skipped(test: &str, why: &str) {
    let line = format!("SKIPPED {test}: {why}");
    eprintln!("{line}");
    if let Some(path) = std::env::var_os("TOOLGET_TEST_SKIPS") {
        use std::io::Write;
        let appended = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| writeln!(f, "{line}"));
        if let Err(e) = appended {
            panic!("cannot record the skip in {path:?}: {e}");
        }
    }
}
