//! Archives whose *headers* are the bomb: a long name, long link or PAX record declaring
//! 100 MiB, in every compression, and zips whose directory declares too much. Issue 16: the
//! `tar` crate used to buffer such a header whole (a 102 KB `.tar.gz` took 538 MB through the
//! CLI and printed a 104 MB message). Each must now fail fast with exit 9 (bad archive), a
//! short message, low memory, and nothing installed.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::archive::{self, TarWrap};
use crate::support::fake_github::{FakeAsset, FakeRelease};
use crate::support::{Run, TestContext};

const LINUX: &str = "linux-x86_64-gnu";
const TRIPLE: &str = "x86_64-unknown-linux-gnu";
const HUNDRED_MIB: u64 = 100 << 20;
/// Peak RSS allowed for a failed install of a bomb: the CLI alone needs ~15 MB; before the fix
/// a 100 MiB name took over 500 MB.
const MAX_RSS_KB: u64 = 100 * 1024;

/// Run `toolget install <repo>@1.0.0 --json`, under `/usr/bin/time` when it exists so the
/// child's peak RSS can be read; returns the run, the peak RSS in KiB and the wall time.
fn install_measured(ctx: &TestContext, repo: &str) -> (Run, Option<u64>, Duration) {
    let spec = format!("{repo}@1.0.0");
    let args = ["install", spec.as_str(), "--platform", LINUX, "--json"];
    let plain = ctx.command(&args);
    let time = Path::new("/usr/bin/time");
    let report = ctx.dir.path().join("rss.txt");
    let mut cmd = if time.exists() {
        let mut cmd = Command::new(time);
        cmd.arg("-f").arg("%M").arg("-o").arg(&report);
        cmd.arg(plain.get_program()).args(plain.get_args());
        cmd.env_clear();
        for (key, value) in plain.get_envs() {
            if let Some(value) = value {
                cmd.env(key, value);
            }
        }
        if let Some(dir) = plain.get_current_dir() {
            cmd.current_dir(dir);
        }
        cmd
    } else {
        eprintln!("SKIPPED peak-RSS check: /usr/bin/time is not installed");
        plain
    };
    let start = Instant::now();
    let output = cmd.output().expect("run toolget");
    let elapsed = start.elapsed();
    let rss = std::fs::read_to_string(&report)
        .ok()
        .and_then(|text| text.lines().last()?.trim().parse().ok());
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    (run, rss, elapsed)
}

fn serve(ctx: &TestContext, repo: &str, asset: String, bytes: Vec<u8>) {
    ctx.github.add_release(
        repo,
        FakeRelease::new("v1.0.0").asset(FakeAsset::new(asset, bytes)),
    );
}

#[track_caller]
fn assert_refused(ctx: &TestContext, repo: &str, run: &Run, rss: Option<u64>, what: &str) {
    let all = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(run.code, 9, "{what}: exit 9 (bad archive)\n{all}");
    assert!(
        run.stderr.contains("exceeds the limit of") && run.stderr.contains("hostile"),
        "{what}: the message names the limit and what it means\n{all}"
    );
    assert!(
        all.len() < 8 * 1024,
        "{what}: the message stays short ({} bytes)",
        all.len()
    );
    let owner = repo.split('/').next().unwrap_or(repo);
    assert!(
        ctx.version_dirs(owner, "tool").is_empty(),
        "{what}: nothing installed"
    );
    if let Some(kb) = rss {
        assert!(
            kb < MAX_RSS_KB,
            "{what}: peak RSS {kb} KiB, allowed {MAX_RSS_KB} KiB"
        );
    }
}

#[test]
fn a_100_mib_long_name_fails_fast_and_small_in_every_compression() {
    let ctx = TestContext::new();
    for wrap in TarWrap::ALL {
        // An uncompressed tar carries its bytes for real: 4 MiB of the declared 100 MiB is
        // past the budget and keeps the test light (a parser that trusted the size would fail
        // with "corrupt" instead of the header budget).
        let present = if wrap == TarWrap::None {
            4 << 20
        } else {
            HUNDRED_MIB
        };
        let bytes = wrap.build(|out| archive::tar_extension_bomb(out, b'L', HUNDRED_MIB, present));
        let repo = format!(
            "bomb-{}/tool",
            wrap.suffix().trim_start_matches('.').replace('.', "-")
        );
        let size = bytes.len();
        serve(
            &ctx,
            &repo,
            format!("tool-v1.0.0-{TRIPLE}{}", wrap.suffix()),
            bytes,
        );
        let (run, rss, elapsed) = install_measured(&ctx, &repo);
        eprintln!(
            "{}: {size} bytes, peak RSS {rss:?} KiB, {elapsed:?}",
            wrap.suffix()
        );
        assert_refused(&ctx, &repo, &run, rss, wrap.suffix());
        assert!(
            run.stderr.contains("header data"),
            "{}: the message names the header budget:\n{}",
            wrap.suffix(),
            run.stderr
        );
        assert!(
            elapsed < Duration::from_secs(60),
            "{}: {elapsed:?}",
            wrap.suffix()
        );
    }
}

#[test]
fn long_link_and_pax_headers_declaring_100_mib_are_refused_too() {
    let ctx = TestContext::new();
    for (kind, label) in [(b'K', "long-link"), (b'x', "pax"), (b'g', "pax-global")] {
        let bytes = TarWrap::Gzip.build(|out| {
            archive::tar_extension_bomb(out, kind, HUNDRED_MIB, HUNDRED_MIB);
        });
        let repo = format!("bomb-{label}/tool");
        serve(&ctx, &repo, format!("tool-v1.0.0-{TRIPLE}.tar.gz"), bytes);
        let (run, rss, _) = install_measured(&ctx, &repo);
        assert_refused(&ctx, &repo, &run, rss, label);
    }
}

#[test]
fn a_name_longer_than_4_kib_is_refused_without_being_printed() {
    let ctx = TestContext::new();
    // 10 KiB fits the per-entry header budget, so the name check itself must refuse it.
    let long = 10 * 1024;
    let bytes = TarWrap::Gzip.build(|out| {
        let mut name = vec![b'a'; long];
        name.push(0);
        let mut header = tar::Header::new_gnu();
        header.as_gnu_mut().unwrap().name[..13].copy_from_slice(b"././@LongLink");
        header.set_size(name.len() as u64);
        header.set_entry_type(tar::EntryType::GNULongName);
        header.set_cksum();
        out.write_all(header.as_bytes()).unwrap();
        out.write_all(&name).unwrap();
        out.write_all(&vec![0u8; (512 - name.len() % 512) % 512])
            .unwrap();
        out.write_all(&archive::tar(&[archive::exe(
            "tool",
            archive::script("tool"),
        )]))
        .unwrap();
    });
    serve(
        &ctx,
        "longname/tool",
        format!("tool-v1.0.0-{TRIPLE}.tar.gz"),
        bytes,
    );
    let (run, rss, _) = install_measured(&ctx, "longname/tool");
    assert_refused(&ctx, "longname/tool", &run, rss, "10 KiB name");
    assert!(
        run.stderr.contains("4096 bytes per entry name"),
        "{}",
        run.stderr
    );

    let zip = archive::zip_with_long_name(10 * 1024);
    serve(
        &ctx,
        "longzip/tool",
        format!("tool-v1.0.0-{TRIPLE}.zip"),
        zip,
    );
    let (run, rss, _) = install_measured(&ctx, "longzip/tool");
    assert_refused(&ctx, "longzip/tool", &run, rss, "zip 10 KiB name");
}

#[test]
fn a_zip_declaring_a_huge_central_directory_is_refused_before_it_is_read() {
    let ctx = TestContext::new();
    let bytes = archive::zip_declaring_directory(u32::MAX);
    serve(
        &ctx,
        "bigdir/tool",
        format!("tool-v1.0.0-{TRIPLE}.zip"),
        bytes,
    );
    let (run, rss, _) = install_measured(&ctx, "bigdir/tool");
    assert_refused(&ctx, "bigdir/tool", &run, rss, "zip directory");
    assert!(run.stderr.contains("table of entries"), "{}", run.stderr);
}

#[test]
fn long_but_reasonable_names_still_install() {
    // 300-byte paths need a GNU long name (tar) and fit every budget.
    let ctx = TestContext::new();
    let dir = "d".repeat(100);
    let path = format!("{dir}/{dir}/{dir}/tool");
    let bytes = archive::tar_gz(&[archive::exe(&path, archive::script("tool 1.0.0"))]);
    serve(
        &ctx,
        "longok/tool",
        format!("tool-v1.0.0-{TRIPLE}.tar.gz"),
        bytes,
    );
    let run = ctx.run(&["install", "longok/tool@1.0.0", "--platform", LINUX]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A fresh home: `tool` already belongs to longok/tool, and one command has one owner.
    let ctx = TestContext::new();
    let zip = archive::zip(&[archive::exe(&path, archive::script("tool 1.0.0"))]);
    serve(
        &ctx,
        "longokzip/tool",
        format!("tool-v1.0.0-{TRIPLE}.zip"),
        zip,
    );
    let run = ctx.run(&["install", "longokzip/tool@1.0.0", "--platform", LINUX]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}
