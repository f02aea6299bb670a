//! End to end: the real `toolget` binary installing from the loopback fake GitHub, with real
//! archives built here. Each test asserts what a user would see: the file on disk and what it
//! prints when run, the exit code, the message, and what the store looks like afterwards.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::archive::{self, Entry, RawEntry, exe, file, script};
use crate::support::fake_github::{Endpoint, FakeAsset, FakeRelease, Fault};
use crate::support::{Run, TestContext};

const LINUX: &str = "linux-x86_64-gnu";
const TRIPLE: &str = "x86_64-unknown-linux-gnu";

fn install(ctx: &TestContext, spec: &str) -> Run {
    ctx.run(&["install", spec, "--platform", LINUX])
}

fn install_json(ctx: &TestContext, spec: &str) -> Run {
    ctx.run(&["install", spec, "--platform", LINUX, "--json"])
}

/// `tool-v<version>-<triple>.tar.gz` holding `tool-v<version>-<triple>/tool`, which prints
/// `tool <version>` when run.
fn tool_release(version: &str) -> FakeRelease {
    let stem = format!("tool-v{version}-{TRIPLE}");
    let bytes = archive::tar_gz(&[exe(
        &format!("{stem}/tool"),
        script(&format!("tool {version}")),
    )]);
    FakeRelease::new(format!("v{version}")).asset(FakeAsset::new(format!("{stem}.tar.gz"), bytes))
}

/// Run the executable the bin link points at and return its first line.
fn run_linked(ctx: &TestContext, exe: &str) -> String {
    let out = TestContext::run_program(&ctx.bin_dir().join(exe), &[]);
    assert_eq!(out.code, 0, "{exe} failed: {}", out.stderr);
    out.stdout.trim().to_string()
}

#[test]
fn every_archive_format_installs_a_runnable_executable() {
    let ctx = TestContext::new();
    let stem = |fmt: &str| format!("tool-v1.0.0-{TRIPLE}-{fmt}");
    let inside = |fmt: &str| -> Vec<Entry> {
        vec![
            exe("tool-v1.0.0/tool", script(&format!("tool from {fmt}"))),
            file("tool-v1.0.0/README.md", "docs"),
        ]
    };
    let cases: Vec<(&str, String, Vec<u8>)> = vec![
        (
            "targz",
            format!("{}.tar.gz", stem("targz")),
            archive::tar_gz(&inside("targz")),
        ),
        (
            "tgz",
            format!("{}.tgz", stem("tgz")),
            archive::tar_gz(&inside("tgz")),
        ),
        (
            "tarxz",
            format!("{}.tar.xz", stem("tarxz")),
            archive::tar_xz(&inside("tarxz")),
        ),
        (
            "tarzst",
            format!("{}.tar.zst", stem("tarzst")),
            archive::tar_zst(&inside("tarzst")),
        ),
        (
            "tarbz2",
            format!("{}.tar.bz2", stem("tarbz2")),
            archive::tar_bz2(&inside("tarbz2")),
        ),
        (
            "zip",
            format!("{}.zip", stem("zip")),
            archive::zip(&inside("zip")),
        ),
        (
            "gz",
            format!("{}.gz", stem("gz")),
            archive::gzip(&script("tool from gz")),
        ),
        (
            "xz",
            format!("{}.xz", stem("xz")),
            archive::xz(&script("tool from xz")),
        ),
        (
            "zst",
            format!("{}.zst", stem("zst")),
            archive::zstd(&script("tool from zst")),
        ),
        (
            "bz2",
            format!("{}.bz2", stem("bz2")),
            archive::bzip2(&script("tool from bz2")),
        ),
        ("bare", stem("bare"), script("tool from bare")),
    ];
    for (fmt, name, bytes) in &cases {
        // One repository per format, so each is its own tool.
        let repo = format!("fmt-{fmt}/tool");
        ctx.github.add_release(
            &repo,
            FakeRelease::new("v1.0.0").asset(FakeAsset::new(name.clone(), bytes.clone())),
        );
        // Every format's tool is called `tool`: each takes the name over from the last.
        let run = ctx.run(&[
            "install",
            &format!("{repo}@1.0.0"),
            "--platform",
            LINUX,
            "--force",
        ]);
        assert_eq!(run.code, 0, "{fmt}: {}\n{}", run.stdout, run.stderr);
        assert_eq!(
            run_linked(&ctx, "tool"),
            format!("tool from {fmt}"),
            "{fmt}"
        );
        let which = ctx.run(&["which", "tool"]).success();
        let expected = ctx
            .home()
            .join("tools-v1")
            .join(format!("fmt-{fmt}"))
            .join("tool/1.0.0/bin/tool");
        assert_eq!(
            PathBuf::from(which.stdout.trim()),
            expected.canonicalize().unwrap(),
            "{fmt}"
        );
    }
}

#[test]
fn a_windows_exe_is_installed_with_its_suffix() {
    let ctx = TestContext::new();
    let mut pe = b"MZ".to_vec();
    pe.extend_from_slice(&[0u8; 126]);
    ctx.github.add_release(
        "acme/tool",
        FakeRelease::new("v1.0.0")
            .asset(FakeAsset::new(
                "tool-v1.0.0-x86_64-pc-windows-msvc.exe",
                pe.clone(),
            ))
            .asset(FakeAsset::new(
                format!("tool-v1.0.0-{TRIPLE}.tar.gz"),
                archive::tar_gz(&[exe("tool", script("linux"))]),
            )),
    );
    let run = ctx
        .run(&[
            "install",
            "acme/tool@1.0.0",
            "--platform",
            "windows-x86_64",
            "--json",
        ])
        .success();
    let line = &run.json_lines()[0];
    let path = PathBuf::from(line["executables"][0]["path"].as_str().unwrap());
    assert!(path.ends_with("bin/tool.exe"), "{path:?}");
    assert_eq!(std::fs::read(&path).unwrap(), pe);
}

/// mozilla/sccache v0.14.0's shape: the tool and its `sccache-dist` decoy match the platform.
fn sccache_release(ctx: &TestContext) {
    let mut release = FakeRelease::new("v0.14.0");
    for (name, exe_name, output) in [
        ("sccache", "sccache", "sccache 0.14.0"),
        ("sccache-dist", "sccache-dist", "sccache-dist 0.14.0"),
    ] {
        for triple in ["x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl"] {
            let stem = format!("{name}-v0.14.0-{triple}");
            let bytes = archive::tar_gz(&[exe(&format!("{stem}/{exe_name}"), script(output))]);
            let sum = format!("{}  {stem}.tar.gz\n", archive::sha256_hex(&bytes));
            release = release
                .asset(FakeAsset::new(format!("{stem}.tar.gz"), bytes))
                .asset(FakeAsset::new(format!("{stem}.tar.gz.sha256"), sum));
        }
    }
    ctx.github.add_release("mozilla/sccache", release);
}

#[test]
fn sccache_installs_sccache_and_never_sccache_dist() {
    let ctx = TestContext::new();
    sccache_release(&ctx);
    for platform in ["linux-x86_64-gnu", "linux-x86_64-musl"] {
        let run = ctx
            .run(&[
                "install",
                "mozilla/sccache@0.14.0",
                "--platform",
                platform,
                "--force",
                "--json",
            ])
            .success();
        let line = &run.json_lines()[0];
        assert_eq!(
            line["asset"],
            "sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz"
        );
        assert_eq!(line["executables"][0]["name"], "sccache");
        assert_eq!(run_linked(&ctx, "sccache"), "sccache 0.14.0");
        assert!(!ctx.bin_dir().join("sccache-dist").exists());
    }
    let downloads: Vec<String> = ctx
        .github
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == Endpoint::Download)
        .map(|r| r.path)
        .collect();
    assert!(
        downloads.iter().all(|p| !p.contains("sccache-dist")),
        "{downloads:?}"
    );
}

#[test]
fn an_archive_holding_only_the_decoy_is_refused_and_lists_its_contents() {
    let ctx = TestContext::new();
    let stem = "sccache-v0.14.0-x86_64-unknown-linux-musl";
    let bytes = archive::tar_gz(&[
        exe(&format!("{stem}/sccache-dist"), script("dist")),
        file(&format!("{stem}/LICENSE"), "MIT"),
    ]);
    ctx.github.add_release(
        "mozilla/sccache",
        FakeRelease::new("v0.14.0").asset(FakeAsset::new(format!("{stem}.tar.gz"), bytes)),
    );
    let run = install(&ctx, "mozilla/sccache@0.14.0");
    assert_eq!(run.code, 9, "{}", run.stderr);
    assert!(
        run.stderr.contains("sccache-dist"),
        "lists what the archive holds: {}",
        run.stderr
    );
    assert!(!ctx.bin_dir().join("sccache").exists());
    assert!(ctx.version_dirs("mozilla", "sccache").is_empty());
}

#[test]
fn a_digest_mismatch_is_refused_and_the_old_version_keeps_working() {
    let ctx = TestContext::new();
    ctx.github.add_release("acme/tool", tool_release("1.0.0"));
    install(&ctx, "acme/tool@1.0.0").success();
    let bad = tool_release("1.1.0");
    let bad = FakeRelease {
        assets: bad
            .assets
            .into_iter()
            .map(|a| a.wrong_digest(format!("sha256:{}", "ab".repeat(32))))
            .collect(),
        ..bad
    };
    ctx.github.add_release("acme/tool", bad);
    let run = install(&ctx, "acme/tool@1.1.0");
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(
        run.stderr.contains(&"ab".repeat(32)),
        "prints the expected digest: {}",
        run.stderr
    );
    assert!(run.stderr.contains("mismatch"), "{}", run.stderr);
    assert_eq!(run_linked(&ctx, "tool"), "tool 1.0.0");
    assert_eq!(ctx.version_dirs("acme", "tool"), vec!["1.0.0"]);
}

#[test]
fn a_body_cut_short_is_a_failure_and_is_retried() {
    let ctx = TestContext::new();
    ctx.github.add_release("acme/tool", tool_release("1.0.0"));
    // Cut every attempt: the install fails cleanly with a network error.
    for _ in 0..8 {
        ctx.github
            .fail_next("/download/", Fault::TruncateBody { after_bytes: 60 });
    }
    let run = install(&ctx, "acme/tool@1.0.0");
    assert_eq!(run.code, 7, "{}", run.stderr);
    assert!(run.stderr.contains("ended after"), "{}", run.stderr);
    assert!(!ctx.bin_dir().join("tool").exists());
    assert!(ctx.version_dirs("acme", "tool").is_empty());

    // Cut once: the retry succeeds.
    let ctx = TestContext::new();
    ctx.github.add_release("acme/tool", tool_release("1.0.0"));
    ctx.github
        .fail_next("/download/", Fault::TruncateBody { after_bytes: 60 });
    install(&ctx, "acme/tool@1.0.0").success();
    assert_eq!(run_linked(&ctx, "tool"), "tool 1.0.0");
    assert_eq!(ctx.github.download_request_count(), 2);
}

#[test]
fn a_release_with_only_a_checksum_file_is_verified_by_it() {
    let ctx = TestContext::new();
    let stem = format!("tool-v1.0.0-{TRIPLE}");
    let bytes = archive::tar_gz(&[exe("tool", script("tool 1.0.0"))]);
    let decoy = archive::tar_gz(&[exe("tool-extra", script("extra"))]);
    let sums = format!(
        "{}  tool-extra-v1.0.0-{TRIPLE}.tar.gz\n{}  {stem}.tar.gz\n",
        archive::sha256_hex(&decoy),
        archive::sha256_hex(&bytes)
    );
    ctx.github.add_release(
        "acme/tool",
        FakeRelease::new("v1.0.0")
            .asset(FakeAsset::new(format!("{stem}.tar.gz"), bytes).no_digest())
            .asset(FakeAsset::new(format!("tool-extra-v1.0.0-{TRIPLE}.tar.gz"), decoy).no_digest())
            .asset(FakeAsset::new("checksums.txt", sums).no_digest()),
    );
    let run = install_json(&ctx, "acme/tool@1.0.0").success();
    let line = &run.json_lines()[0];
    assert_eq!(line["verified"], "checksum_file");
    assert_eq!(line["verified_with"], "checksums.txt");

    // A checksum file that disagrees refuses the install.
    let ctx = TestContext::new();
    let bytes = archive::tar_gz(&[exe("tool", script("tool 1.0.0"))]);
    ctx.github.add_release(
        "acme/tool",
        FakeRelease::new("v1.0.0")
            .asset(FakeAsset::new(format!("{stem}.tar.gz"), bytes).no_digest())
            .asset(FakeAsset::new(format!("{stem}.tar.gz.sha256"), "00".repeat(32)).no_digest()),
    );
    let run = install(&ctx, "acme/tool@1.0.0");
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(run.stderr.contains(&"00".repeat(32)), "{}", run.stderr);
    assert!(!ctx.bin_dir().join("tool").exists());
}

#[test]
fn an_unverifiable_release_installs_flagged_unless_verification_is_required() {
    let unverified = || {
        let ctx = TestContext::new();
        let stem = format!("tool-v1.0.0-{TRIPLE}");
        ctx.github.add_release(
            "acme/tool",
            FakeRelease::new("v1.0.0").asset(
                FakeAsset::new(
                    format!("{stem}.tar.gz"),
                    archive::tar_gz(&[exe("tool", script("tool 1.0.0"))]),
                )
                .no_digest(),
            ),
        );
        ctx
    };
    let ctx = unverified();
    let run = ctx.run(&[
        "install",
        "acme/tool@1.0.0",
        "--platform",
        LINUX,
        "--require-verified",
    ]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(run.stderr.contains("cannot be verified"), "{}", run.stderr);
    assert_eq!(
        ctx.github.download_request_count(),
        0,
        "refused before downloading"
    );
    let run = ctx.run_env(
        &["install", "acme/tool@1.0.0", "--platform", LINUX],
        &[("TOOLGET_REQUIRE_VERIFIED", "1")],
    );
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(!ctx.bin_dir().join("tool").exists());

    let run = install(&ctx, "acme/tool@1.0.0").success();
    assert!(run.stderr.contains("unverified"), "{}", run.stderr);
    assert!(run.stdout.contains("UNVERIFIED"), "{}", run.stdout);
    let list = ctx.run(&["list"]).success();
    assert!(list.stdout.contains("UNVERIFIED"), "{}", list.stdout);
    let list = ctx.run(&["list", "--json"]).success();
    assert_eq!(
        list.json_lines()[0]["versions"][0]["verified"],
        "unverified"
    );
}

fn hostile_release(ctx: &TestContext, repo: &str, entries: Vec<RawEntry>) {
    let bytes = archive::gzip(&archive::tar_raw(&entries));
    ctx.github.add_release(
        repo,
        FakeRelease::new("v1.0.0").asset(FakeAsset::new(
            format!("tool-v1.0.0-{TRIPLE}.tar.gz"),
            bytes,
        )),
    );
}

#[test]
fn hostile_archive_entries_are_refused_and_nothing_lands_outside() {
    let ctx = TestContext::new();
    let tool = RawEntry::File {
        name: "tool".into(),
        bytes: script("tool"),
        mode: 0o755,
    };
    let cases: Vec<(&str, RawEntry)> = vec![
        (
            "dotdot",
            RawEntry::File {
                name: "../../escaped-dotdot".into(),
                bytes: b"x".to_vec(),
                mode: 0o644,
            },
        ),
        (
            "absolute",
            RawEntry::File {
                name: format!("{}/escaped-absolute", ctx.dir.path().display()),
                bytes: b"x".to_vec(),
                mode: 0o644,
            },
        ),
        (
            "symlink",
            RawEntry::Symlink {
                name: "escaped-link".into(),
                target: "../../../..".into(),
            },
        ),
        (
            "hardlink",
            RawEntry::Hardlink {
                name: "escaped-hard".into(),
                target: "/etc/passwd".into(),
            },
        ),
    ];
    for (case, entry) in cases {
        let repo = format!("hostile-{case}/tool");
        hostile_release(&ctx, &repo, vec![tool.clone(), entry]);
        let run = install(&ctx, &format!("{repo}@1.0.0"));
        assert_eq!(run.code, 9, "{case}: {}", run.stderr);
        assert!(!ctx.bin_dir().join("tool").exists(), "{case}");
        assert!(
            ctx.version_dirs(&format!("hostile-{case}"), "tool")
                .is_empty(),
            "{case}"
        );
    }
    for escaped in ["escaped-dotdot", "escaped-absolute"] {
        let found = walk(ctx.dir.path())
            .into_iter()
            .any(|p| p.ends_with(escaped));
        assert!(!found, "{escaped} was written somewhere");
    }
}

#[test]
fn an_archive_bomb_fails_cleanly_under_the_unpack_cap() {
    let ctx = TestContext::new();
    let big = vec![0u8; 4 << 20];
    let bytes = archive::tar_gz(&[exe("tool", script("tool")), file("padding.bin", big)]);
    ctx.github.add_release(
        "acme/tool",
        FakeRelease::new("v1.0.0").asset(FakeAsset::new(
            format!("tool-v1.0.0-{TRIPLE}.tar.gz"),
            bytes,
        )),
    );
    let run = ctx.run_env(
        &["install", "acme/tool@1.0.0", "--platform", LINUX],
        &[("TOOLGET_MAX_UNPACKED", "1M")],
    );
    assert_eq!(run.code, 9, "{}", run.stderr);
    assert!(
        run.stderr.contains("TOOLGET_MAX_UNPACKED"),
        "the hint says how to raise it: {}",
        run.stderr
    );
    assert!(ctx.version_dirs("acme", "tool").is_empty());
    install(&ctx, "acme/tool@1.0.0").success();
}

#[test]
fn reinstalling_an_installed_version_makes_no_request_unless_forced() {
    let ctx = TestContext::new();
    ctx.github.add_release("acme/tool", tool_release("1.0.0"));
    install(&ctx, "acme/tool@1.0.0").success();
    ctx.github.clear_requests();
    let run = install_json(&ctx, "acme/tool@1.0.0").success();
    assert_eq!(run.json_lines()[0]["status"], "already_installed");
    assert!(
        ctx.github.requests().is_empty(),
        "{:?}",
        ctx.github.requests()
    );
    let run = ctx
        .run(&["install", "acme/tool@v1.0.0", "--platform", LINUX, "--json"])
        .success();
    assert_eq!(run.json_lines()[0]["status"], "already_installed");
    assert!(ctx.github.requests().is_empty());

    let run = ctx
        .run(&[
            "install",
            "acme/tool@1.0.0",
            "--platform",
            LINUX,
            "--force",
            "--json",
        ])
        .success();
    assert_eq!(run.json_lines()[0]["status"], "installed");
    assert!(ctx.github.api_request_count() >= 1);
}

#[test]
fn the_download_cache_serves_a_reinstall() {
    let ctx = TestContext::new();
    ctx.github.add_release("acme/tool", tool_release("1.0.0"));
    install(&ctx, "acme/tool@1.0.0").success();
    ctx.run(&["uninstall", "acme/tool@all"]).success();
    assert!(!ctx.bin_dir().join("tool").exists());
    ctx.github.clear_requests();
    install(&ctx, "acme/tool@1.0.0").success();
    assert_eq!(
        ctx.github.download_request_count(),
        0,
        "served from the cache"
    );
    assert_eq!(run_linked(&ctx, "tool"), "tool 1.0.0");
}

#[test]
fn which_list_and_uninstall_follow_the_active_version() {
    let ctx = TestContext::new();
    ctx.github.add_release("acme/tool", tool_release("1.0.0"));
    ctx.github.add_release("acme/tool", tool_release("1.1.0"));
    install(&ctx, "acme/tool@1.0.0").success();
    install(&ctx, "acme/tool@1.1.0").success();
    assert_eq!(run_linked(&ctx, "tool"), "tool 1.1.0");

    let list = ctx.run(&["list", "--json"]).success();
    let tools = list.json_lines();
    assert_eq!(tools.len(), 1);
    assert_eq!(tools[0]["tool"], "acme/tool");
    assert_eq!(tools[0]["active"], "1.1.0");
    assert_eq!(tools[0]["versions"].as_array().unwrap().len(), 2);

    let run = ctx.run(&["uninstall", "acme/tool"]);
    assert_eq!(
        run.code, 2,
        "several versions: must name one: {}",
        run.stderr
    );
    ctx.run(&["uninstall", "acme/tool@1.1.0"]).success();
    assert_eq!(run_linked(&ctx, "tool"), "tool 1.0.0");
    ctx.run(&["uninstall", "acme/tool@all"]).success();
    let which = ctx.run(&["which", "tool"]);
    assert_ne!(which.code, 0);
    assert_eq!(
        which.stderr.trim().lines().count(),
        1,
        "one-line reason: {}",
        which.stderr
    );
    assert!(ctx.version_dirs("acme", "tool").is_empty());
}

#[test]
fn extract_all_keeps_the_archive_tree_and_links_the_executable() {
    let ctx = TestContext::new();
    let stem = format!("tool-v1.0.0-{TRIPLE}");
    let bytes = archive::tar_gz(&[
        exe(&format!("{stem}/bin/tool"), script("tool with lib")),
        file(&format!("{stem}/lib/data.txt"), "data"),
    ]);
    ctx.github.add_release(
        "acme/tool",
        FakeRelease::new("v1.0.0").asset(FakeAsset::new(format!("{stem}.tar.gz"), bytes)),
    );
    let run = install_json(&ctx, "acme/tool[extract_all=true]@1.0.0").success();
    let dir = PathBuf::from(run.json_lines()[0]["install_dir"].as_str().unwrap());
    assert_eq!(
        std::fs::read_to_string(dir.join(&stem).join("lib/data.txt")).unwrap(),
        "data"
    );
    assert_eq!(run_linked(&ctx, "tool"), "tool with lib");
}

#[test]
fn versions_are_listed_oldest_first_with_prereleases_marked() {
    let ctx = TestContext::new();
    for tag in ["v0.9.0", "v0.10.0", "v0.8.0"] {
        ctx.github.add_release("acme/tool", FakeRelease::new(tag));
    }
    ctx.github
        .add_release("acme/tool", FakeRelease::new("v0.11.0-rc.1").prerelease());
    ctx.github
        .add_release("acme/tool", FakeRelease::new("v0.12.0").draft());
    let run = ctx.run(&["versions", "acme/tool", "--json"]).success();
    let doc = &run.json_lines()[0];
    let versions: Vec<&str> = doc["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["0.8.0", "0.9.0", "0.10.0", "0.11.0-rc.1"]);
    assert_eq!(doc["versions"][3]["prerelease"], true);
    assert_eq!(doc["versions"][0]["tag"], "v0.8.0");
    let human = ctx.run(&["versions", "acme/tool"]).success();
    assert!(
        human.stdout.lines().last().unwrap().contains("prerelease"),
        "{}",
        human.stdout
    );
}

#[test]
fn two_concurrent_installs_of_one_tool_take_turns() {
    let ctx = TestContext::new();
    ctx.github.add_release("acme/tool", tool_release("1.0.0"));
    // The first download stalls midway, so the second process is certainly waiting on the lock.
    ctx.github.fail_next(
        "/download/",
        Fault::StallBody {
            after_bytes: 40,
            stall: Duration::from_millis(700),
        },
    );
    let spawn = || {
        ctx.command(&["install", "acme/tool@1.0.0", "--platform", LINUX, "--json"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let first = spawn();
    let second = spawn();
    let outputs = [
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    ];
    let mut statuses: Vec<String> = outputs
        .iter()
        .map(|o| {
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            v["status"].as_str().unwrap().to_string()
        })
        .collect();
    statuses.sort();
    assert_eq!(statuses, ["already_installed", "installed"]);
    assert_eq!(ctx.github.download_request_count(), 1);
    assert_eq!(run_linked(&ctx, "tool"), "tool 1.0.0");
}

#[test]
fn an_install_killed_midway_leaves_the_store_consistent() {
    let ctx = TestContext::new();
    ctx.github.add_release("acme/tool", tool_release("1.0.0"));
    install(&ctx, "acme/tool@1.0.0").success();
    // 1.1.0 is big enough that the stall point is well inside the body.
    let stem = format!("tool-v1.1.0-{TRIPLE}");
    let noise: Vec<u8> = (0..2_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let bytes = archive::tar_gz(&[
        exe(&format!("{stem}/tool"), script("tool 1.1.0")),
        file(&format!("{stem}/noise"), noise),
    ]);
    ctx.github.add_release(
        "acme/tool",
        FakeRelease::new("v1.1.0").asset(FakeAsset::new(format!("{stem}.tar.gz"), bytes.clone())),
    );
    ctx.github.fail_next(
        "/download/",
        Fault::StallBody {
            after_bytes: bytes.len() / 2,
            stall: Duration::from_secs(20),
        },
    );
    let mut child = ctx
        .command(&["install", "acme/tool@1.1.0", "--platform", LINUX, "--quiet"])
        .spawn()
        .unwrap();
    // Wait until the download is under way and staging exists, then kill -9.
    let staging = ctx.home().join("staging");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let downloading = ctx.github.download_request_count() >= 1;
        let staged = std::fs::read_dir(&staging)
            .map(|d| d.count() > 0)
            .unwrap_or(false);
        if downloading && staged {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "install never reached the download"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(100));
    child.kill().unwrap();
    child.wait().unwrap();

    assert_eq!(
        run_linked(&ctx, "tool"),
        "tool 1.0.0",
        "the old version still runs"
    );
    assert_eq!(
        ctx.version_dirs("acme", "tool"),
        vec!["1.0.0"],
        "no partial version visible"
    );
    let list = ctx.run(&["list", "--json"]).success();
    assert_eq!(
        list.json_lines()[0]["versions"].as_array().unwrap().len(),
        1
    );
    let bin_entries: Vec<String> = std::fs::read_dir(ctx.bin_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(bin_entries, ["tool"], "no temporary links left in bin/");
    // The next install goes through.
    install(&ctx, "acme/tool@1.1.0").success();
    assert_eq!(run_linked(&ctx, "tool"), "tool 1.1.0");
}

fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in rd.flatten() {
            let path = entry.path();
            if entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                stack.push(path.clone());
            }
            out.push(path);
        }
    }
    out
}
