//! toolget.toml end to end: found from a subdirectory, `install` with no arguments installs
//! every tool listed, `--config` points at one, and `--from mise.toml` takes the GitHub
//! releases of a mise config and explains what it skips.

use crate::lockfile::{LINUX, multi_release, write_config};
use crate::support::TestContext;

fn run_linked(ctx: &TestContext, exe: &str) -> String {
    let out = TestContext::run_program(&ctx.bin_dir().join(exe), &[]);
    assert_eq!(out.code, 0, "{exe} failed: {}", out.stderr);
    out.stdout.trim().to_string()
}

fn two_tools(ctx: &TestContext) {
    for (repo, name, version) in [
        ("acme/tool", "tool", "1.2.3"),
        ("acme/other", "other", "0.9.0"),
    ] {
        let (release, _) = multi_release(name, version, true);
        ctx.github.add_release(repo, release);
    }
}

#[test]
fn install_with_no_arguments_installs_every_tool_listed_from_a_subdirectory() {
    let ctx = TestContext::new();
    two_tools(&ctx);
    write_config(
        ctx.dir.path(),
        "[tools]\n\"acme/tool\" = \"1.2\"\n\"github:acme/other\" = { version = \"latest\", exe = \"other\" }\n",
    );
    let sub = ctx.dir.path().join("src/deep");
    std::fs::create_dir_all(&sub).unwrap();
    let out = ctx
        .command(&["install", "--platform", LINUX, "--json"])
        .current_dir(&sub)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let specs: Vec<String> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["spec"].to_string())
        .collect();
    assert_eq!(
        specs,
        ["\"acme/tool@1.2\"", "\"github:acme/other[exe=other]\""],
        "every tool, in key order"
    );
    assert_eq!(
        run_linked(&ctx, "tool"),
        "tool 1.2.3 x86_64-unknown-linux-gnu"
    );
    assert_eq!(
        run_linked(&ctx, "other"),
        "other 0.9.0 x86_64-unknown-linux-gnu"
    );

    // `lock` from the subdirectory writes toolget.lock next to toolget.toml.
    let out = ctx
        .command(&["lock", "--platform", LINUX])
        .current_dir(&sub)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(ctx.dir.path().join("toolget.lock").is_file());
    assert!(!sub.join("toolget.lock").exists());
}

#[test]
fn install_with_no_arguments_and_no_config_says_what_to_do() {
    let ctx = TestContext::new();
    let run = ctx.run(&["install", "--platform", LINUX]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no toolget.toml"), "{}", run.stderr);
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
}

#[test]
fn a_broken_config_is_an_error_that_names_the_entry() {
    let ctx = TestContext::new();
    write_config(
        ctx.dir.path(),
        "[tools]\n\"acme/tool\" = { version = \"1.2\", exee = \"x\" }\n",
    );
    let run = ctx.run(&["install", "--platform", LINUX]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("acme/tool"), "{}", run.stderr);
    assert!(run.stderr.contains("exee"), "{}", run.stderr);
}

#[test]
fn config_flag_points_at_a_config_elsewhere() {
    let ctx = TestContext::new();
    two_tools(&ctx);
    let elsewhere = ctx.dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let path = write_config(&elsewhere, "[tools]\n\"acme/other\" = \"0.9\"\n");
    let path = path.to_str().unwrap();
    ctx.run(&["lock", "--config", path, "--platform", LINUX])
        .success();
    assert!(elsewhere.join("toolget.lock").is_file());
    ctx.github.clear_requests();
    let run = ctx
        .run(&[
            "install",
            "--locked",
            "--config",
            path,
            "--platform",
            LINUX,
            "--json",
        ])
        .success();
    assert_eq!(run.json_lines()[0]["repo"], "acme/other");
    assert_eq!(ctx.github.api_request_count(), 0);
}

#[test]
fn install_without_lock_pins_resolves_and_says_the_lock_is_stale() {
    let ctx = TestContext::new();
    two_tools(&ctx);
    write_config(ctx.dir.path(), "[tools]\n\"acme/tool\" = \"1.2\"\n");
    ctx.run(&["lock", "--platform", LINUX]).success();
    // A tool added after locking: the locked one comes from the lock, the new one from the API.
    write_config(
        ctx.dir.path(),
        "[tools]\n\"acme/tool\" = \"1.2\"\n\"acme/other\" = \"0.9\"\n",
    );
    let run = ctx
        .run(&["install", "--platform", LINUX, "--json"])
        .success();
    let lines = run.json_lines();
    assert_eq!(lines[0]["repo"], "acme/other");
    assert_eq!(lines[0]["verified"], "github_digest");
    assert_eq!(lines[1]["repo"], "acme/tool");
    assert_eq!(lines[1]["verified"], "lockfile");
    assert!(
        run.stderr.contains("`acme/other` is not in toolget.lock"),
        "{}",
        run.stderr
    );
}

#[test]
fn from_mise_installs_github_ubi_and_aqua_entries_and_skips_the_rest() {
    let ctx = TestContext::new();
    for (repo, name, version) in [
        ("acme/gh-tool", "gh-tool", "1.0.0"),
        ("acme/ubi-tool", "ubi-tool", "2.0.0"),
        ("acme/aqua-tool", "aqua-tool", "3.0.0"),
    ] {
        let (release, _) = multi_release(name, version, true);
        ctx.github.add_release(repo, release);
    }
    let mise = ctx.dir.path().join("mise.toml");
    std::fs::write(
        &mise,
        r#"
[env]
RUST_LOG = "info"

[tools]
node = "20"
"cargo:cargo-nextest" = "latest"
"github:acme/gh-tool" = "1.0.0"
"ubi:acme/ubi-tool" = { version = "2", exe = "ubi-tool", rename_exe = "u" }
"aqua:acme/aqua-tool" = ["3.0.0"]
"#,
    )
    .unwrap();
    let run = ctx
        .run(&[
            "install",
            "--from",
            mise.to_str().unwrap(),
            "--platform",
            LINUX,
            "--json",
        ])
        .success();
    let mut repos: Vec<String> = run
        .json_lines()
        .iter()
        .map(|l| l["repo"].as_str().unwrap().to_string())
        .collect();
    repos.sort();
    assert_eq!(repos, ["acme/aqua-tool", "acme/gh-tool", "acme/ubi-tool"]);
    assert_eq!(
        run_linked(&ctx, "gh-tool"),
        "gh-tool 1.0.0 x86_64-unknown-linux-gnu"
    );
    assert_eq!(
        run_linked(&ctx, "ubi-tool"),
        "ubi-tool 2.0.0 x86_64-unknown-linux-gnu"
    );
    assert_eq!(
        run_linked(&ctx, "aqua-tool"),
        "aqua-tool 3.0.0 x86_64-unknown-linux-gnu"
    );
    for needle in [
        "skipped `node`",
        "skipped `cargo:cargo-nextest`",
        "rename_exe",
    ] {
        assert!(run.stderr.contains(needle), "{needle}: {}", run.stderr);
    }
    // --from never needs (or writes) toolget.toml / toolget.lock.
    assert!(!ctx.dir.path().join("toolget.lock").exists());
}
