//! Fleet scale, against the fake GitHub: API requests per install, parallel installs and
//! locks, mirrors (`TOOLGET_MIRRORS`, `TOOLGET_UPSTREAM`), `toolget fetch --to DIR`, and that
//! a mirror can make an install fail but never make a wrong file pass. The tests with real
//! nginx and an S3 server are in fleet_real.rs.

use std::path::Path;
use std::time::Duration;

use crate::lockfile::{LINUX, multi_release, write_config};
use crate::support::TestContext;
use crate::support::archive::{self, exe, script};
use crate::support::fake_github::{Endpoint, FakeAsset, FakeRelease, Fault};

const TRIPLE: &str = "x86_64-unknown-linux-gnu";

/// `<name>` `<tag>`: one Linux x86_64 build holding `<name>` that prints `<name> <version>`.
pub fn one_build(name: &str, tag: &str, digest: bool) -> (FakeRelease, String, Vec<u8>) {
    let version = tag.trim_start_matches('v');
    let stem = format!("{name}-{tag}-{TRIPLE}");
    let bytes = archive::tar_gz(&[exe(
        &format!("{stem}/{name}"),
        script(&format!("{name} {version}")),
    )]);
    let asset = format!("{stem}.tar.gz");
    let fake = FakeAsset::new(asset.clone(), bytes.clone());
    let release = FakeRelease::new(tag).asset(if digest { fake } else { fake.no_digest() });
    (release, asset, bytes)
}

fn run_linked(home: &Path, exe: &str) -> String {
    let out = TestContext::run_program(&home.join("bin").join(exe), &[]);
    assert_eq!(out.code, 0, "{exe}: {}", out.stderr);
    out.stdout.trim().to_string()
}

#[test]
fn an_exact_version_costs_one_api_request() {
    let ctx = TestContext::new();
    let stem = "sccache-v0.14.0-x86_64-unknown-linux-musl";
    let bytes = archive::tar_gz(&[exe(&format!("{stem}/sccache"), script("sccache 0.14.0"))]);
    ctx.github.add_release(
        "mozilla/sccache",
        FakeRelease::new("v0.14.0").asset(FakeAsset::new(format!("{stem}.tar.gz"), bytes)),
    );
    ctx.run(&["install", "mozilla/sccache@0.14.0", "--platform", LINUX])
        .success();
    let api: Vec<String> = ctx
        .github
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == Endpoint::Api)
        .map(|r| r.path)
        .collect();
    assert_eq!(api, ["/repos/mozilla/sccache/releases/tags/v0.14.0"]);
    assert_eq!(run_linked(&ctx.home(), "sccache"), "sccache 0.14.0");
}

#[test]
fn a_repository_tagging_without_v_costs_two_requests_once_then_one() {
    let ctx = TestContext::new();
    for tag in ["1.0.0", "1.1.0"] {
        ctx.github
            .add_release("acme/bare", one_build("bare", tag, true).0);
    }
    ctx.run(&["install", "acme/bare@1.0.0", "--platform", LINUX])
        .success();
    assert_eq!(
        ctx.github.api_request_count(),
        2,
        "v1.0.0 (404), then 1.0.0"
    );
    ctx.github.clear_requests();
    // The spelling is remembered for the repository: the next version costs one request,
    // in this run or a resolve.
    ctx.run(&["install", "acme/bare@1.1.0", "--platform", LINUX])
        .success();
    assert_eq!(ctx.github.api_request_count(), 1);
    ctx.github.clear_requests();
    ctx.run(&["resolve", "acme/bare@1.0.0", "--platform", LINUX])
        .success();
    assert_eq!(ctx.github.api_request_count(), 1);
    let fact = ctx.cache().join("facts-v1/tag-spelling/acme/bare");
    assert_eq!(std::fs::read_to_string(fact).unwrap().trim(), "{version}");
}

#[test]
fn installs_run_in_parallel_report_in_order_and_survive_a_failure() {
    let ctx = TestContext::new();
    let mut assets = Vec::new();
    for name in ["alpha", "beta"] {
        let (release, asset, _) = one_build(name, "v1.0.0", true);
        ctx.github.add_release(&format!("acme/{name}"), release);
        // Each download takes a while: installed one after the other, the second download
        // could only begin after the first ended.
        ctx.github.fail_next(
            &format!("/download/acme/{name}/"),
            Fault::Delay(Duration::from_millis(1500)),
        );
        assets.push(asset);
    }
    ctx.github.add_repo("acme/missing");
    let run = ctx.run(&[
        "install",
        "acme/missing@1.0.0",
        "acme/alpha@1.0.0",
        "acme/beta@1.0.0",
        "--platform",
        LINUX,
        "--jobs",
        "3",
    ]);
    assert_eq!(run.code, 3, "the first failure's code: {}", run.stderr);
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("installed"))
        .collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(lines[0].contains("acme/alpha") && lines[1].contains("acme/beta"));
    assert_eq!(run_linked(&ctx.home(), "alpha"), "alpha 1.0.0");
    assert_eq!(run_linked(&ctx.home(), "beta"), "beta 1.0.0");
    // Server side: both downloads were asked for before either was answered.
    let received: Vec<_> = ctx
        .github
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/download/"))
        .map(|r| r.received)
        .collect();
    assert_eq!(received.len(), 2);
    let gap = if received[0] > received[1] {
        received[0] - received[1]
    } else {
        received[1] - received[0]
    };
    assert!(
        gap < Duration::from_millis(1500),
        "downloads did not overlap: {gap:?} apart"
    );
}

#[test]
fn an_unchanged_lock_downloads_nothing() {
    let ctx = TestContext::new();
    let (release, _) = multi_release("tool", "1.2.3", false);
    ctx.github.add_release("acme/tool", release);
    let (release, _) = multi_release("other", "2.0.0", false);
    ctx.github.add_release("acme/other", release);
    write_config(
        ctx.dir.path(),
        "[tools]\n\"acme/tool\" = \"1.2.3\"\n\"acme/other\" = \"2.0.0\"\n",
    );
    ctx.run(&["lock", "--platform", LINUX, "--platform", "macos-aarch64"])
        .success();
    assert_eq!(ctx.github.download_request_count(), 4, "no digests: hashed");
    let first = std::fs::read_to_string(ctx.dir.path().join("toolget.lock")).unwrap();
    ctx.github.clear_requests();
    // Even with an empty download cache the previous lock's sha256s are reused.
    std::fs::remove_dir_all(ctx.cache()).unwrap();
    let run = ctx
        .run(&["lock", "--platform", LINUX, "--platform", "macos-aarch64"])
        .success();
    assert_eq!(ctx.github.download_request_count(), 0, "{}", run.stderr);
    assert!(run.stdout.contains("is up to date"), "{}", run.stdout);
    assert_eq!(
        std::fs::read_to_string(ctx.dir.path().join("toolget.lock")).unwrap(),
        first
    );
}

/// acme/tool 1.2.3 (digests published), listed and locked for Linux x86_64.
fn locked_tool(ctx: &TestContext) -> (String, Vec<u8>) {
    let (release, files) = multi_release("tool", "1.2.3", true);
    ctx.github.add_release("acme/tool", release);
    write_config(ctx.dir.path(), "[tools]\n\"acme/tool\" = \"1.2.3\"\n");
    ctx.run(&["lock", "--platform", LINUX]).success();
    files
        .into_iter()
        .find(|(name, _)| name.contains(TRIPLE))
        .unwrap()
}

/// A `toolget` run with its own home and cache (another runner of the fleet).
fn runner(
    ctx: &TestContext,
    name: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> crate::support::Run {
    let home = ctx.dir.path().join(name);
    let mut all: Vec<(&str, &str)> = env.to_vec();
    let (h, c) = (home.join("home"), home.join("cache"));
    let (h, c) = (h.to_str().unwrap(), c.to_str().unwrap());
    all.push(("TOOLGET_HOME", h));
    all.push(("TOOLGET_CACHE_DIR", c));
    ctx.run_env(args, &all)
}

#[test]
fn fetch_fills_a_directory_mirror_that_installs_with_no_origin() {
    let ctx = TestContext::new();
    let (asset, bytes) = locked_tool(&ctx);
    let dir = ctx.dir.path().join("mirror");
    let run = ctx
        .run(&[
            "fetch",
            "--locked",
            "--platform",
            LINUX,
            "--to",
            dir.to_str().unwrap(),
        ])
        .success();
    let sha = archive::sha256_hex(&bytes);
    assert_eq!(std::fs::read(dir.join("sha256").join(&sha)).unwrap(), bytes);
    assert!(
        run.stdout.contains(&format!("fetched {asset}")),
        "{}",
        run.stdout
    );
    // Again: already there, nothing downloaded.
    ctx.github.clear_requests();
    let run = ctx
        .run(&[
            "fetch",
            "--locked",
            "--platform",
            LINUX,
            "--to",
            dir.to_str().unwrap(),
        ])
        .success();
    assert!(run.stdout.contains("present"), "{}", run.stdout);
    assert_eq!(ctx.github.requests().len(), 0);

    let mirrors = format!("file://{}/", dir.display());
    let run = runner(
        &ctx,
        "r1",
        &["install", "--locked", "--platform", LINUX, "--explain"],
        &[("TOOLGET_MIRRORS", &mirrors), ("TOOLGET_UPSTREAM", "never")],
    )
    .success();
    assert_eq!(ctx.github.requests().len(), 0, "neither API nor origin");
    assert!(
        run.stderr.contains(&format!("{mirrors}: served")),
        "{}",
        run.stderr
    );
}

#[test]
fn fetch_all_platforms_writes_every_locked_asset_once() {
    let ctx = TestContext::new();
    let (release, files) = multi_release("tool", "1.2.3", true);
    ctx.github.add_release("acme/tool", release);
    write_config(ctx.dir.path(), "[tools]\n\"acme/tool\" = \"1.2.3\"\n");
    ctx.run(&["lock", "--platform", LINUX, "--platform", "macos-aarch64"])
        .success();
    let dir = ctx.dir.path().join("all");
    ctx.github.clear_requests();
    ctx.run(&[
        "fetch",
        "--locked",
        "--all-platforms",
        "--to",
        dir.to_str().unwrap(),
    ])
    .success();
    let mut written: Vec<String> = std::fs::read_dir(dir.join("sha256"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    let mut expected: Vec<String> = files
        .iter()
        .filter(|(name, _)| name.contains(TRIPLE) || name.contains("aarch64-apple-darwin"))
        .map(|(_, bytes)| archive::sha256_hex(bytes))
        .collect();
    expected.sort();
    assert_eq!(written, expected, "no temp files left, nothing else");
    assert_eq!(ctx.github.api_request_count(), 0);
    assert_eq!(ctx.github.download_request_count(), 2);
    // A platform the lock does not hold is refused like install --locked refuses it.
    let run = ctx.run(&[
        "fetch",
        "--locked",
        "--platform",
        "windows-x86_64",
        "--to",
        "x",
    ]);
    assert_eq!(run.code, 10, "{}", run.stderr);
}

#[test]
fn a_mirror_serving_wrong_bytes_is_skipped_reported_and_never_cached() {
    let ctx = TestContext::new();
    let (asset, bytes) = locked_tool(&ctx);
    let dir = ctx.dir.path().join("mirror");
    let sha = archive::sha256_hex(&bytes);
    std::fs::create_dir_all(dir.join("sha256")).unwrap();
    // A tampered archive under the right name: it even unpacks.
    let evil = archive::tar_gz(&[exe(&format!("tool-v1.2.3-{TRIPLE}/tool"), script("evil"))]);
    std::fs::write(dir.join("sha256").join(&sha), &evil).unwrap();
    let mirrors = format!("file://{}/", dir.display());

    // Air-gapped: nothing else may serve it, so the install fails — and installs nothing.
    let run = runner(
        &ctx,
        "r1",
        &["install", "--locked", "--platform", LINUX],
        &[("TOOLGET_MIRRORS", &mirrors), ("TOOLGET_UPSTREAM", "never")],
    );
    assert_eq!(run.code, 6, "verification failed: {}", run.stderr);
    assert!(run.stderr.contains("WRONG BYTES"), "{}", run.stderr);
    assert!(!ctx.dir.path().join("r1/home/bin/tool").exists());
    assert_eq!(ctx.github.download_request_count(), 0);

    // With the origin allowed: skipped with a warning, the origin serves the right bytes.
    let run = runner(
        &ctx,
        "r2",
        &["install", "--locked", "--platform", LINUX, "--explain"],
        &[("TOOLGET_MIRRORS", &mirrors)],
    )
    .success();
    assert!(run.stderr.contains("warning: mirror"), "{}", run.stderr);
    assert!(run.stderr.contains("origin: served"), "{}", run.stderr);
    let out = TestContext::run_program(&ctx.dir.path().join("r2/home/bin/tool"), &[]);
    assert_eq!(out.stdout.trim(), format!("tool 1.2.3 {TRIPLE}"));
    // The download cache holds only the right bytes.
    let evil_sha = archive::sha256_hex(&evil);
    let cache = ctx.dir.path().join("r2/cache/sha256");
    assert!(!cache.join(&evil_sha[..2]).join(&evil_sha).exists());
    assert_eq!(
        std::fs::read(cache.join(&sha[..2]).join(&sha)).unwrap(),
        bytes,
        "{asset} cached"
    );
}

#[test]
fn github_token_never_reaches_a_mirror_which_gets_its_own() {
    let ctx = TestContext::new();
    locked_tool(&ctx);
    ctx.github.clear_requests();
    // The fake's download host also answers GitHub's own path layout: a GitHub-path mirror.
    let mirrors = format!("{}/", ctx.github.download_base_url());
    let run = runner(
        &ctx,
        "r1",
        &["install", "--locked", "--platform", LINUX, "--explain"],
        &[
            ("TOOLGET_MIRRORS", &mirrors),
            ("GITHUB_TOKEN", "ghp_secret"),
            ("TOOLGET_MIRROR_TOKEN_127_0_0_1", "mirror-token"),
        ],
    )
    .success();
    let requests = ctx.github.requests();
    assert_eq!(requests.len(), 1, "{requests:?}\n{}", run.stderr);
    assert_eq!(
        requests[0].path,
        format!("/acme/tool/releases/download/v1.2.3/tool-v1.2.3-{TRIPLE}.tar.gz")
    );
    assert_eq!(
        requests[0].authorization.as_deref(),
        Some("Bearer mirror-token")
    );
    // Without its own variable, a mirror gets no credentials at all.
    ctx.github.clear_requests();
    runner(
        &ctx,
        "r2",
        &["install", "--locked", "--platform", LINUX],
        &[
            ("TOOLGET_MIRRORS", &mirrors),
            ("GITHUB_TOKEN", "ghp_secret"),
        ],
    )
    .success();
    let requests = ctx.github.requests();
    assert!(
        requests.iter().all(|r| r.authorization.is_none()),
        "{requests:?}"
    );
}

#[test]
fn mirrors_that_miss_fall_back_to_the_origin_in_order() {
    let ctx = TestContext::new();
    let (_, bytes) = locked_tool(&ctx);
    let empty = ctx.dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    // A mirror that is down: a port nothing listens on any more.
    let down = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mirrors = format!(
        "http://127.0.0.1:{down}/gh/,file://{}/ cas+{}/nothing-here/",
        empty.display(),
        ctx.github.download_base_url()
    );
    ctx.github.clear_requests();
    let run = runner(
        &ctx,
        "r1",
        &[
            "install",
            "--locked",
            "--platform",
            LINUX,
            "--explain",
            "--json",
        ],
        &[("TOOLGET_MIRRORS", &mirrors)],
    )
    .success();
    let sha = archive::sha256_hex(&bytes);
    let paths: Vec<String> = ctx.github.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            format!("/nothing-here/sha256/{sha}"),
            format!("/download/acme/tool/v1.2.3/tool-v1.2.3-{TRIPLE}.tar.gz"),
        ]
    );
    assert_eq!(run.json_lines()[0]["source"], "origin");
    assert!(run.stderr.contains("does not have it"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("http://127.0.0.1:{down}/gh/: failed (")),
        "{}",
        run.stderr
    );
}
