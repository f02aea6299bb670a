//! `toolget resolve --explain [--json]`: typed verdicts and inferred facts, end to end against
//! the loopback fake GitHub.

use serde_json::Value;

use crate::support::TestContext;
use crate::support::fake_github::{FakeAsset, FakeRelease};

/// A release whose names leave their OS out: the libc words tell Linux.
fn context() -> TestContext {
    let ctx = TestContext::new();
    let release = FakeRelease::new("v1.0.0").assets(
        [
            "tool-1.0.0-aarch64-gnu.tar.gz",
            "tool-1.0.0-x86_64-gnu.tar.gz",
            "tool-1.0.0-x86_64.exe",
            "tool-1.0.0-x86_64-gnu.tar.gz.sha256",
        ]
        .into_iter()
        .map(|name| FakeAsset::new(name, format!("bytes of {name}"))),
    );
    ctx.github.add_release("acme/tool", release);
    ctx
}

#[test]
fn json_explain_lists_typed_verdicts_and_inferred_facts() {
    let ctx = context();
    let run = ctx
        .run(&[
            "resolve",
            "acme/tool@1.0.0",
            "--platform",
            "linux-aarch64-gnu",
            "--explain",
            "--json",
        ])
        .success();
    let line: Value = serde_json::from_str(run.stdout.trim()).expect("one JSON line");
    assert_eq!(line["asset"]["name"], "tool-1.0.0-aarch64-gnu.tar.gz");
    let verdicts = line["verdicts"].as_array().expect("verdicts");
    assert_eq!(verdicts.len(), 4);
    let kind_of = |asset: &str| {
        verdicts
            .iter()
            .find(|v| v["asset"] == asset)
            .map(|v| {
                (
                    v["kind"].as_str().unwrap_or("").to_string(),
                    v["accepted"].clone(),
                )
            })
            .expect("verdict")
    };
    assert_eq!(
        kind_of("tool-1.0.0-aarch64-gnu.tar.gz"),
        ("chosen".to_string(), Value::Bool(true))
    );
    assert_eq!(kind_of("tool-1.0.0-x86_64-gnu.tar.gz").0, "other_arch");
    assert_eq!(kind_of("tool-1.0.0-x86_64.exe").0, "other_os");
    assert_eq!(kind_of("tool-1.0.0-x86_64-gnu.tar.gz.sha256").0, "checksum");
    assert!(verdicts.iter().all(|v| v["detail"].is_string()));
    let inferred = line["inferred"].as_array().expect("inferred");
    let fact = inferred
        .iter()
        .find(|i| i["asset"] == "tool-1.0.0-aarch64-gnu.tar.gz")
        .expect("the pick's OS was inferred");
    assert_eq!(fact["fact"], "os");
    assert_eq!(fact["value"], "linux");
    assert_eq!(fact["because"], "`gnu` is a Linux libc");
}

#[test]
fn text_explain_says_what_was_inferred_and_failures_explain_too() {
    let ctx = context();
    let run = ctx
        .run(&[
            "resolve",
            "acme/tool@1.0.0",
            "--platform",
            "linux-x86_64-gnu",
            "--explain",
        ])
        .success();
    assert!(
        run.stdout.contains(
            "inferred: linux, because `gnu` is a Linux libc (`tool-1.0.0-x86_64-gnu.tar.gz`)"
        ),
        "{}",
        run.stdout
    );
    // No build for macOS: the JSON error line still carries the verdicts.
    let run = ctx.run(&[
        "resolve",
        "acme/tool@1.0.0",
        "--platform",
        "macos-aarch64",
        "--explain",
        "--json",
    ]);
    let line: Value = serde_json::from_str(run.stdout.trim()).expect("one JSON line");
    assert_eq!(line["error"]["kind"], "no_match");
    let kinds: Vec<&str> = line["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .filter_map(|v| v["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["other_os", "other_os", "other_os", "checksum"]);
}
