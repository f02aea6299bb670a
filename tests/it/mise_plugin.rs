//! The mise backend plugin (mise-plugin/) driven by a REAL mise (the npm package
//! `@jdxcode/mise-linux-x64`, pinned in scripts/fetch-mise), with the real toolget binary and
//! the loopback fake GitHub. The scenarios live in tests/mise/run-scenarios.sh so they can also
//! be run by hand; this test serves the release and runs them.
//!
//! `scripts/test` fetches mise and sets `TOOLGET_TEST_MISE_BIN`; without it the test says it
//! was skipped.

use std::process::Command;

use crate::support::TestContext;
use crate::support::archive::{self, exe, script};
use crate::support::fake_github::{FakeAsset, FakeRelease};

fn sccache_release(version: &str) -> FakeRelease {
    let mut release = FakeRelease::new(format!("v{version}"));
    for (name, output) in [
        ("sccache", format!("sccache {version}")),
        ("sccache-dist", format!("sccache-dist {version}")),
    ] {
        let stem = format!("{name}-v{version}-x86_64-unknown-linux-musl");
        let bytes = archive::tar_gz(&[exe(&format!("{stem}/{name}"), script(&output))]);
        release = release.asset(FakeAsset::new(format!("{stem}.tar.gz"), bytes));
    }
    release
}

#[test]
fn a_real_mise_installs_runs_and_shims_tools_through_the_toolget_plugin() {
    let Some(mise) = std::env::var_os("TOOLGET_TEST_MISE_BIN") else {
        crate::support::skipped(
            "mise_plugin",
            "TOOLGET_TEST_MISE_BIN is not set (scripts/test sets it after scripts/fetch-mise)",
        );
        return;
    };
    let ctx = TestContext::new();
    for version in ["0.12.0", "0.13.0", "0.14.0"] {
        ctx.github
            .add_release("mozilla/sccache", sccache_release(version));
    }
    ctx.github.add_release(
        "mozilla/sccache",
        FakeRelease::new("v0.15.0-beta.1").prerelease(),
    );
    let script_path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/mise/run-scenarios.sh");
    let output = Command::new("bash")
        .arg(script_path)
        .arg("0.14.0")
        .arg("0.13.0")
        .env("MISE_BIN", &mise)
        .env("TOOLGET_BIN", TestContext::toolget_bin())
        .env("TOOLGET_GITHUB_API_URL", ctx.github.api_url())
        .env("TOOLGET_HOME", ctx.home())
        .env("TOOLGET_CACHE_DIR", ctx.cache())
        .env("TOOLGET_TEST_NO_RETRY_DELAY", "1")
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .output()
        .expect("run tests/mise/run-scenarios.sh");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("{stderr}");
    assert!(
        output.status.success(),
        "mise scenarios failed:\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stderr.contains("0 failed"), "{stderr}");
    // The plugin went through toolget's store: one identity, one verification.
    let list = ctx.run(&["list", "--json"]).success();
    assert_eq!(list.json_lines().len(), 1, "{}", list.stdout);
}
