//! `toolget resolve` end to end: the real binary against the loopback fake GitHub.

use crate::support::TestContext;
use crate::support::fake_github::{FakeAsset, FakeRelease, Fault};
use crate::support::sccache;

const NINE: [&str; 9] = [
    "linux-x86_64-gnu",
    "linux-x86_64-musl",
    "linux-aarch64-gnu",
    "linux-aarch64-musl",
    "linux-armv7-gnueabihf",
    "macos-x86_64",
    "macos-aarch64",
    "windows-x86_64",
    "windows-aarch64",
];

fn sccache_context() -> TestContext {
    let ctx = TestContext::new();
    let release = FakeRelease::new("v0.14.0").assets(
        sccache::asset_names()
            .into_iter()
            .map(|name| FakeAsset::new(name.clone(), format!("bytes of {name}"))),
    );
    ctx.github
        .add_release("mozilla/sccache", FakeRelease::new("v0.13.0"));
    ctx.github.add_release("mozilla/sccache", release);
    ctx
}

#[test]
fn sccache_resolves_to_the_sccache_build_and_explains_the_dist_rejection() {
    let ctx = sccache_context();
    let run = ctx
        .run(&[
            "resolve",
            "mozilla/sccache@0.14.0",
            "--platform",
            "linux-x86_64-gnu",
            "--explain",
        ])
        .success();
    assert!(
        run.stdout
            .contains("asset   sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz"),
        "{}",
        run.stdout
    );
    let dist_line = run
        .stdout
        .lines()
        .find(|l| l.contains("sccache-dist-v0.14.0-x86_64-unknown-linux-musl.tar.gz"))
        .expect("--explain lists sccache-dist");
    assert!(dist_line.contains("REJECTED"), "{dist_line}");
    assert!(dist_line.contains("dist"), "says why: {dist_line}");
    // Every asset appears once, in release order.
    let listed: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| {
            l.trim_start().starts_with("ACCEPTED") || l.trim_start().starts_with("REJECTED")
        })
        .collect();
    assert_eq!(listed.len(), sccache::asset_names().len());
    assert_eq!(listed.iter().filter(|l| l.contains("ACCEPTED")).count(), 1);
}

#[test]
fn json_gives_one_line_per_platform_in_the_documented_shape() {
    let ctx = sccache_context();
    let mut args = vec![
        "resolve",
        "github:mozilla/sccache[exe=sccache]@v0.14.0",
        "--json",
    ];
    for p in NINE {
        args.extend(["--platform", p]);
    }
    let run = ctx.run(&args);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 9, "{}", run.stdout);
    let asset = |i: usize| lines[i]["asset"]["name"].as_str().unwrap_or("").to_string();
    for (i, platform) in NINE.iter().enumerate() {
        assert_eq!(lines[i]["platform"], *platform);
        assert_eq!(
            lines[i]["spec"],
            "github:mozilla/sccache[exe=sccache]@v0.14.0"
        );
    }
    assert_eq!(asset(0), "sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz");
    assert_eq!(asset(1), "sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz");
    assert_eq!(
        asset(2),
        "sccache-v0.14.0-aarch64-unknown-linux-musl.tar.gz"
    );
    assert_eq!(
        asset(3),
        "sccache-v0.14.0-aarch64-unknown-linux-musl.tar.gz"
    );
    assert_eq!(
        asset(4),
        "sccache-v0.14.0-armv7-unknown-linux-musleabi.tar.gz"
    );
    assert_eq!(asset(5), "sccache-v0.14.0-x86_64-apple-darwin.tar.gz");
    assert_eq!(asset(6), "sccache-v0.14.0-aarch64-apple-darwin.tar.gz");
    let first = &lines[0];
    assert_eq!(first["repo"], "mozilla/sccache");
    assert_eq!(first["tag"], "v0.14.0");
    assert_eq!(first["version"], "0.14.0");
    assert_eq!(first["exe"], "sccache");
    assert!(
        first["asset"]["url"]
            .as_str()
            .unwrap()
            .ends_with("/sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz")
    );
    assert!(first["asset"]["size"].as_u64().unwrap() > 0);
    assert!(
        first["asset"]["digest"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    assert_eq!(run.code, 0, "every platform resolved: {}", run.stderr);
}

#[test]
fn an_exact_tag_costs_one_api_request() {
    let ctx = sccache_context();
    ctx.run(&[
        "resolve",
        "mozilla/sccache@v0.14.0",
        "--platform",
        "linux-x86_64-gnu",
    ])
    .success();
    assert_eq!(
        ctx.github.api_request_count(),
        1,
        "{:?}",
        ctx.github.requests()
    );
}

#[test]
fn a_platform_the_release_does_not_serve_fails_that_line_only() {
    let ctx = TestContext::new();
    ctx.github.add_release(
        "acme/tool",
        FakeRelease::new("v1.0.0").asset(FakeAsset::new(
            "tool-v1.0.0-x86_64-unknown-linux-gnu.tar.gz",
            "x",
        )),
    );
    let run = ctx.run(&[
        "resolve",
        "acme/tool@1.0.0",
        "--json",
        "--platform",
        "linux-x86_64-gnu",
        "--platform",
        "macos-aarch64",
    ]);
    assert_eq!(run.code, 4, "no_match exit code: {}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(
        lines[0]["asset"]["name"],
        "tool-v1.0.0-x86_64-unknown-linux-gnu.tar.gz"
    );
    assert_eq!(lines[1]["error"]["kind"], "no_match");
    assert!(
        lines[1]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("macos-aarch64")
    );
}

#[test]
fn a_tie_is_an_ambiguity_error_naming_the_candidates_and_the_option() {
    let ctx = TestContext::new();
    ctx.github.add_release(
        "acme/suite",
        FakeRelease::new("v1.0.0")
            .asset(FakeAsset::new("alpha_1.0.0_linux_amd64.tar.gz", "a"))
            .asset(FakeAsset::new("beta_1.0.0_linux_amd64.tar.gz", "b")),
    );
    let run = ctx.run(&[
        "resolve",
        "acme/suite@1.0.0",
        "--json",
        "--platform",
        "linux-x86_64-gnu",
    ]);
    assert_eq!(run.code, 5, "{}", run.stdout);
    let error = &run.json_lines()[0]["error"];
    assert_eq!(error["kind"], "ambiguous");
    let candidates: Vec<&str> = error["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(candidates.len(), 2);
    assert!(
        error["hint"].as_str().unwrap().contains("exe=")
            || error["hint"].as_str().unwrap().contains("matching=")
    );
    let human = ctx.run(&[
        "resolve",
        "acme/suite@1.0.0",
        "--platform",
        "linux-x86_64-gnu",
    ]);
    assert_eq!(human.code, 5);
    assert!(human.stderr.contains("hint:"), "{}", human.stderr);
}

#[test]
fn a_missing_tag_names_the_nearest_existing_tags() {
    let ctx = sccache_context();
    let run = ctx.run(&[
        "resolve",
        "mozilla/sccache@0.14.9",
        "--platform",
        "linux-x86_64-gnu",
    ]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("mozilla/sccache"), "{}", run.stderr);
    assert!(
        run.stderr.contains("v0.14.0"),
        "nearest tags: {}",
        run.stderr
    );
    let json = ctx.run(&[
        "resolve",
        "mozilla/sccache@0.14.9",
        "--platform",
        "linux-x86_64-gnu",
        "--json",
    ]);
    assert_eq!(json.json_lines()[0]["error"]["kind"], "not_found");
    let unknown = ctx.run(&[
        "resolve",
        "nobody/nothing",
        "--platform",
        "linux-x86_64-gnu",
    ]);
    assert_eq!(unknown.code, 3, "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains("nobody/nothing"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn a_rate_limit_says_when_it_resets_and_that_a_token_helps() {
    let ctx = sccache_context();
    ctx.github.set_rate_limited(true, 4_102_444_800);
    let run = ctx.run(&[
        "resolve",
        "mozilla/sccache@0.14.0",
        "--platform",
        "linux-x86_64-gnu",
    ]);
    assert_eq!(run.code, 8, "{}", run.stderr);
    assert!(
        run.stderr.contains("2100-01-01T00:00:00Z"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("GITHUB_TOKEN"), "{}", run.stderr);
    let json = ctx.run(&[
        "resolve",
        "mozilla/sccache@0.14.0",
        "--json",
        "--platform",
        "linux-x86_64-gnu",
    ]);
    assert_eq!(json.json_lines()[0]["error"]["kind"], "rate_limited");
}

#[test]
fn a_transient_502_is_retried() {
    let ctx = sccache_context();
    ctx.github
        .fail_next("/repos/mozilla/sccache/releases/tags/", Fault::Status(502));
    ctx.run(&[
        "resolve",
        "mozilla/sccache@v0.14.0",
        "--platform",
        "linux-x86_64-gnu",
    ])
    .success();
    assert_eq!(ctx.github.api_request_count(), 2);
}

#[test]
fn a_bad_spec_points_at_the_bad_part() {
    let ctx = TestContext::new();
    let run = ctx.run(&[
        "resolve",
        "github:mozilla/sccache[exee=sccache]",
        "--platform",
        "linux-x86_64-gnu",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("exee"), "{}", run.stderr);
    assert!(
        run.stderr.contains('^'),
        "caret under the bad part: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("exe, matching"),
        "lists the known options: {}",
        run.stderr
    );
    let json = ctx.run(&[
        "resolve",
        "github:mozilla/sccache[exee=x]",
        "--json",
        "--platform",
        "linux-x86_64-gnu",
    ]);
    assert_eq!(json.json_lines()[0]["error"]["kind"], "invalid_spec");
    let bad_platform = ctx.run(&["resolve", "mozilla/sccache", "--platform", "plan9-x86_64"]);
    assert_eq!(bad_platform.code, 2);
    assert!(
        bad_platform.stderr.contains("plan9"),
        "{}",
        bad_platform.stderr
    );
}

#[test]
fn github_enterprise_base_urls_work() {
    let ctx = TestContext::new();
    let ghe = crate::support::fake_github::FakeGithub::start_with_prefix("/api/v3");
    ghe.add_release(
        "acme/tool",
        FakeRelease::new("v1.0.0").asset(FakeAsset::new(
            "tool-v1.0.0-x86_64-unknown-linux-gnu.tar.gz",
            "x",
        )),
    );
    let run = ctx
        .run_env(
            &[
                "resolve",
                "acme/tool@1.0.0",
                "--platform",
                "linux-x86_64-gnu",
                "--json",
            ],
            &[("TOOLGET_GITHUB_API_URL", &ghe.api_url())],
        )
        .success();
    assert_eq!(
        run.json_lines()[0]["asset"]["name"],
        "tool-v1.0.0-x86_64-unknown-linux-gnu.tar.gz"
    );
    // The spec's api_url wins over the environment.
    let spec = format!("acme/tool[api_url={}]@1.0.0", ghe.api_url());
    ctx.run(&["resolve", &spec, "--platform", "linux-x86_64-gnu"])
        .success();
}

#[test]
fn the_host_platform_is_used_by_default_and_toolget_platform_overrides_it() {
    let ctx = sccache_context();
    let run = ctx
        .run(&["resolve", "mozilla/sccache@0.14.0", "--json"])
        .success();
    let platform = run.json_lines()[0]["platform"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        platform.starts_with("linux-x86_64-"),
        "this machine: {platform}"
    );
    let run = ctx
        .run_env(
            &["resolve", "mozilla/sccache@0.14.0", "--json"],
            &[("TOOLGET_PLATFORM", "darwin-arm64")],
        )
        .success();
    assert_eq!(run.json_lines()[0]["platform"], "macos-aarch64");
}
