//! What a user sees, exactly: each command's success and failure text, and its `--json`,
//! as `insta` snapshots (tests/it/snapshots/) with the run's temporary paths, the fake
//! GitHub's port and times redacted. Plus the behaviours around output that a snapshot alone
//! would not catch: exit codes, closed pipes, `--quiet`, the PATH warning, an unwritable
//! home found before any network use.

use std::io::Read;
use std::process::Stdio;

use crate::support::archive::{self, exe, script};
use crate::support::fake_github::{FakeAsset, FakeRelease};
use crate::support::{Run, TestContext};

const LINUX: &str = "linux-x86_64-gnu";
const TRIPLE: &str = "x86_64-unknown-linux-gnu";

/// `acme/tool` v1.0.0 with one Linux archive (GitHub digest published).
fn with_tool(ctx: &TestContext) {
    ctx.github.add_release("acme/tool", tool_release("1.0.0"));
}

fn tool_release(version: &str) -> FakeRelease {
    let stem = format!("tool-v{version}-{TRIPLE}");
    let bytes = archive::tar_gz(&[exe(
        &format!("{stem}/tool"),
        script(&format!("tool {version}")),
    )]);
    FakeRelease::new(format!("v{version}"))
        .published_at("2026-01-02T03:04:05Z")
        .asset(FakeAsset::new(format!("{stem}.tar.gz"), bytes))
}

/// Output with what changes from run to run replaced: the temp dir, the fake server's
/// address, digests of archives built here, and timestamps.
fn redact(ctx: &TestContext, text: &str) -> String {
    let mut out = text.replace(&ctx.github.api_url(), "[API]");
    out = out.replace(&ctx.github.download_base_url(), "[DOWNLOADS]");
    out = out.replace(&ctx.github.api_origin(), "[ORIGIN]");
    if let Ok(real) = ctx.dir.path().canonicalize() {
        out = out.replace(&real.display().to_string(), "[TMP]");
    }
    out = out.replace(&ctx.dir.path().display().to_string(), "[TMP]");
    let hex = regex::Regex::new(r"[0-9a-f]{64}").unwrap();
    out = hex.replace_all(&out, "[SHA256]").into_owned();
    let time = regex::Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z").unwrap();
    out = time.replace_all(&out, "[TIME]").into_owned();
    let port = regex::Regex::new(r"127\.0\.0\.1:\d+").unwrap();
    port.replace_all(&out, "127.0.0.1:[PORT]").into_owned()
}

/// Exit code, stdout and stderr as one snapshot text.
fn shown(ctx: &TestContext, run: &Run) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        run.code,
        redact(ctx, &run.stdout),
        redact(ctx, &run.stderr)
    )
}

/// A PATH that holds the store's bin dir, so no PATH warning shows up in unrelated snapshots.
fn path_with_bin(ctx: &TestContext) -> String {
    format!(
        "{}:{}",
        ctx.bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

// ---- resolve -------------------------------------------------------------------------------

#[test]
fn resolve_bad_option_shows_message_aligned_caret_and_hint() {
    let ctx = TestContext::new();
    let run = ctx.run(&["resolve", "mozilla/sccache[exee=x]", "--platform", LINUX]);
    assert_eq!(run.code, 2);
    // The caret sits under `exee`, counted from the spec's own column.
    let lines: Vec<&str> = run.stderr.lines().collect();
    let spec_col = lines[1].find("mozilla").unwrap();
    let caret_col = lines[2].find('^').unwrap();
    assert_eq!(
        caret_col - spec_col,
        "mozilla/sccache[".len(),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!(shown(&ctx, &run));
}

/// A cause that spans lines (the regex crate draws its own caret) stays under `caused by:`,
/// and the message line holds only the message.
#[test]
fn resolve_bad_regex_shows_the_cause_on_its_own_lines() {
    let ctx = TestContext::new();
    let run = ctx.run(&["resolve", "o/r[matching_regex=(]", "--platform", LINUX]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.lines().next(),
        Some(
            "error: `matching_regex` is not a valid regular expression in `o/r[matching_regex=(]`"
        )
    );
    insta::assert_snapshot!(shown(&ctx, &run));
}

#[test]
fn resolve_json_error_message_is_the_message_not_the_picture() {
    let ctx = TestContext::new();
    let run = ctx.run(&[
        "resolve",
        "mozilla/sccache[exee=x]",
        "--platform",
        LINUX,
        "--json",
    ]);
    assert_eq!(run.code, 2);
    let line = &run.json_lines()[0];
    assert_eq!(line["error"]["kind"], "invalid_spec");
    assert_eq!(
        line["error"]["message"],
        "unknown option `exee` in `mozilla/sccache[exee=x]`"
    );
    assert!(line["error"]["hint"].as_str().unwrap().contains("exe,"));
}

#[test]
fn resolve_success_text_and_json() {
    let ctx = TestContext::new();
    with_tool(&ctx);
    let text = ctx.run(&["resolve", "acme/tool@1.0.0", "--platform", LINUX]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    insta::assert_snapshot!("resolve_success_text", shown(&ctx, &text));
    let json = ctx.run(&["resolve", "acme/tool@1.0.0", "--platform", LINUX, "--json"]);
    insta::assert_snapshot!("resolve_success_json", shown(&ctx, &json));
}

#[test]
fn resolve_not_found_text() {
    let ctx = TestContext::new();
    with_tool(&ctx);
    let run = ctx.run(&["resolve", "acme/tool@9.9.9", "--platform", LINUX]);
    assert_eq!(run.code, 3);
    insta::assert_snapshot!(shown(&ctx, &run));
}

#[test]
fn empty_or_malformed_platform_is_a_usage_error() {
    let ctx = TestContext::new();
    with_tool(&ctx);
    for value in ["", ",", "plan9-x86_64"] {
        let run = ctx.run(&["resolve", "acme/tool", "--platform", value]);
        assert_eq!(run.code, 2, "--platform '{value}': {}", run.stderr);
        assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
        let run = ctx.run(&["install", "acme/tool", "--platform", value]);
        assert_eq!(run.code, 2, "install --platform '{value}': {}", run.stderr);
    }
    assert_eq!(
        ctx.github.api_request_count(),
        0,
        "refused before any request"
    );
    let run = ctx.run(&["resolve", "acme/tool", "--platform", ""]);
    insta::assert_snapshot!(shown(&ctx, &run));
}

// ---- install, versions, uninstall: one prefix, once -----------------------------------------

#[test]
fn bad_spec_errors_have_one_prefix_in_every_command() {
    let ctx = TestContext::new();
    for args in [
        vec!["install", "o/r[exee=x]", "--platform", LINUX],
        vec!["versions", "o/r[exee=x]"],
        vec!["uninstall", "o/r[exee=x]"],
        vec!["info", "o/r[exee=x]"],
    ] {
        let run = ctx.run(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            !run.stderr.contains("error: error:"),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(
            run.stderr,
            "error: unknown option `exee` in `o/r[exee=x]`\n  o/r[exee=x]\n      ^^^^\nhint: \
             known options: exe, matching, matching_regex, asset_pattern, api_url, extract_all\n",
            "{args:?}"
        );
    }
}

#[test]
fn install_text_success_then_already_installed() {
    let ctx = TestContext::new();
    with_tool(&ctx);
    let path = path_with_bin(&ctx);
    let env = [("PATH", path.as_str())];
    let first = ctx.run_env(&["install", "acme/tool@1.0.0", "--platform", LINUX], &env);
    assert_eq!(first.code, 0, "{}", first.stderr);
    // stderr carries the download line; only stdout is stable enough for the snapshot.
    insta::assert_snapshot!("install_success_stdout", redact(&ctx, &first.stdout));
    let again = ctx.run_env(&["install", "acme/tool@1.0.0", "--platform", LINUX], &env);
    insta::assert_snapshot!("install_again", shown(&ctx, &again));
}

#[test]
fn install_json_prints_one_line_per_spec_failures_included() {
    let ctx = TestContext::new();
    with_tool(&ctx);
    let run = ctx.run(&[
        "install",
        "acme/tool@1.0.0",
        "acme/missing",
        "o/r[exee=x]",
        "--platform",
        LINUX,
        "--json",
    ]);
    assert_eq!(run.code, 3, "the first failure's code: {}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert_eq!(lines[0]["status"], "installed");
    assert_eq!(lines[1]["spec"], "acme/missing");
    assert_eq!(lines[1]["error"]["kind"], "not_found");
    assert_eq!(lines[2]["spec"], "o/r[exee=x]");
    assert_eq!(lines[2]["error"]["kind"], "invalid_spec");
    for line in &lines[1..] {
        let error = line["error"].as_object().unwrap();
        let mut keys: Vec<&str> = error.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["hint", "kind", "message"]);
    }
    insta::assert_snapshot!(redact(&ctx, &run.stdout));
}

#[test]
fn quiet_install_prints_nothing_but_warnings_and_errors() {
    let ctx = TestContext::new();
    with_tool(&ctx);
    let path = path_with_bin(&ctx);
    let run = ctx.run_env(
        &["install", "acme/tool@1.0.0", "--platform", LINUX, "--quiet"],
        &[("PATH", path.as_str())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "");
    assert!(ctx.bin_dir().join("tool").exists());
}

#[test]
fn install_warns_once_when_the_bin_dir_is_not_on_path() {
    let ctx = TestContext::new();
    with_tool(&ctx);
    ctx.github.add_release("acme/other", {
        let stem = format!("other-v2.0.0-{TRIPLE}");
        let bytes = archive::tar_gz(&[exe(&format!("{stem}/other"), script("other"))]);
        FakeRelease::new("v2.0.0").asset(FakeAsset::new(format!("{stem}.tar.gz"), bytes))
    });
    let run = ctx.run_env(
        &[
            "install",
            "acme/tool",
            "acme/other",
            "--platform",
            LINUX,
            "--quiet",
        ],
        &[("PATH", "/usr/bin:/bin")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("is not on PATH").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(run.stderr.starts_with("warning: "), "{}", run.stderr);
    assert!(run.stderr.contains("toolget env"), "{}", run.stderr);
    insta::assert_snapshot!(redact(&ctx, &run.stderr));
}

#[test]
fn unwritable_home_fails_before_any_network_use() {
    let ctx = TestContext::new();
    with_tool(&ctx);
    // A home under a regular file can never be created, whoever runs the test (root too).
    let blocker = ctx.dir.path().join("not-a-dir");
    std::fs::write(&blocker, "").unwrap();
    let home = blocker.join("home");
    let run = ctx.run_env(
        &["install", "acme/tool", "--platform", LINUX],
        &[("TOOLGET_HOME", home.to_str().unwrap())],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&home.display().to_string()),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: "), "{}", run.stderr);
    assert_eq!(
        ctx.github.requests().len(),
        0,
        "no request before the store is checked"
    );
    insta::assert_snapshot!(shown(&ctx, &run));
}

// ---- checksum files ----------------------------------------------------------------------------

fn release_with_bad_checksum_file(ctx: &TestContext) {
    let stem = format!("tool-v1.0.0-{TRIPLE}");
    let bytes = archive::tar_gz(&[exe(&format!("{stem}/tool"), script("tool 1.0.0"))]);
    let release = FakeRelease::new("v1.0.0")
        .asset(FakeAsset::new(format!("{stem}.tar.gz"), bytes).no_digest())
        .asset(FakeAsset::new(format!("{stem}.tar.gz.sha256"), "see the website\n").no_digest());
    ctx.github.add_release("acme/tool", release);
}

#[test]
fn an_unparseable_checksum_file_exits_6_and_names_the_escape_hatch() {
    let ctx = TestContext::new();
    release_with_bad_checksum_file(&ctx);
    let run = ctx.run(&["install", "acme/tool", "--platform", LINUX]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(run.stderr.contains("--insecure"), "{}", run.stderr);
    assert!(!ctx.bin_dir().join("tool").exists());
    insta::assert_snapshot!(shown(&ctx, &run));
    let json = ctx.run(&["install", "acme/tool", "--platform", LINUX, "--json"]);
    assert_eq!(json.json_lines()[0]["error"]["kind"], "checksum_unusable");
}

#[test]
fn insecure_installs_past_an_unusable_checksum_file_but_not_with_require_verified() {
    let ctx = TestContext::new();
    release_with_bad_checksum_file(&ctx);
    let refused = ctx.run(&[
        "install",
        "acme/tool",
        "--platform",
        LINUX,
        "--insecure",
        "--require-verified",
    ]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    let refused = ctx.run_env(
        &["install", "acme/tool", "--platform", LINUX, "--insecure"],
        &[("TOOLGET_REQUIRE_VERIFIED", "1")],
    );
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(!ctx.bin_dir().join("tool").exists());
    let run = ctx.run(&[
        "install",
        "acme/tool",
        "--platform",
        LINUX,
        "--insecure",
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json_lines()[0]["verified"], "unverified");
    assert!(run.stderr.contains("warning: "), "{}", run.stderr);
}

// ---- the lock ------------------------------------------------------------------------------

#[test]
fn an_unreadable_lock_exits_10_as_documented() {
    let ctx = TestContext::new();
    with_tool(&ctx);
    std::fs::write(
        ctx.dir.path().join("toolget.toml"),
        "[tools]\n\"acme/tool\" = \"1.0\"\n",
    )
    .unwrap();
    // A directory where the lock should be: unreadable as a file, whoever runs the test.
    std::fs::create_dir(ctx.dir.path().join("toolget.lock")).unwrap();
    let run = ctx.run(&["install", "--locked", "--platform", LINUX]);
    assert_eq!(run.code, 10, "{}", run.stderr);
    insta::assert_snapshot!(shown(&ctx, &run));
}

// ---- list, which, uninstall, versions, search ------------------------------------------------

#[test]
fn store_commands_text_and_json() {
    let ctx = TestContext::new();
    with_tool(&ctx);
    let empty = ctx.run(&["list"]);
    insta::assert_snapshot!("list_empty", shown(&ctx, &empty));
    ctx.run(&["install", "acme/tool@1.0.0", "--platform", LINUX, "--quiet"])
        .success();
    let list = ctx.run(&["list"]);
    insta::assert_snapshot!("list_text", shown(&ctx, &list));
    let json = ctx.run(&["list", "--json"]);
    insta::assert_snapshot!("list_json", shown(&ctx, &json));
    let which = ctx.run(&["which", "tool"]);
    insta::assert_snapshot!("which_found", shown(&ctx, &which));
    let missing = ctx.run(&["which", "nope"]);
    assert_eq!(missing.code, 3);
    insta::assert_snapshot!("which_missing", shown(&ctx, &missing));
    let removed = ctx.run(&["uninstall", "acme/tool@1.0.0"]);
    insta::assert_snapshot!("uninstall_done", shown(&ctx, &removed));
    let again = ctx.run(&["uninstall", "acme/tool"]);
    assert_eq!(again.code, 3);
    insta::assert_snapshot!("uninstall_not_installed", shown(&ctx, &again));
}

#[test]
fn versions_text_json_and_not_found() {
    let ctx = TestContext::new();
    ctx.github.add_release("acme/tool", tool_release("1.0.0"));
    ctx.github
        .add_release("acme/tool", tool_release("1.1.0-rc.1").prerelease());
    let text = ctx.run(&["versions", "acme/tool"]);
    insta::assert_snapshot!("versions_text", shown(&ctx, &text));
    let json = ctx.run(&["versions", "acme/tool", "--json"]);
    insta::assert_snapshot!("versions_json", shown(&ctx, &json));
    let missing = ctx.run(&["versions", "acme/missing", "--json"]);
    assert_eq!(missing.code, 3);
    assert_eq!(missing.json_lines()[0]["error"]["kind"], "not_found");
    insta::assert_snapshot!("versions_not_found_json", shown(&ctx, &missing));
}

#[test]
fn search_miss_is_one_error_with_a_hint() {
    let ctx = TestContext::new();
    let run = ctx.run(&["search", "zzzz-no-such-tool"]);
    assert_eq!(run.code, 3);
    insta::assert_snapshot!(shown(&ctx, &run));
}

// ---- pipes and help ----------------------------------------------------------------------------

#[test]
fn a_closed_stdout_ends_quietly_without_a_panic() {
    let ctx = TestContext::new();
    let mut child = ctx
        .command(&["registry", "list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `| head -0`: the reader is gone before toolget writes its first line.
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "", "no panic message, no error");
}

/// Every `TOOLGET_*` (and other) variable src/settings.rs reads is in `--help` and
/// docs/cli.md.
#[test]
fn help_and_docs_list_every_environment_variable() {
    let settings = include_str!("../../src/settings.rs");
    let names: Vec<&str> = settings
        .lines()
        .filter_map(|l| l.strip_prefix("pub const "))
        .filter(|l| l.contains(": &str = \""))
        .filter_map(|l| l.split('"').nth(1))
        .filter(|v| v.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .collect();
    assert!(names.len() >= 12, "{names:?}");
    let ctx = TestContext::new();
    let help = ctx.run(&["--help"]).success().stdout;
    let docs = include_str!("../../docs/cli.md");
    for name in names {
        assert!(
            help.contains(name),
            "`toolget --help` does not mention {name}"
        );
        assert!(docs.contains(name), "docs/cli.md does not mention {name}");
    }
}
