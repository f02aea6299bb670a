//! Issue 9's disk half, end to end against the loopback fake GitHub: nothing reaches `bin/`
//! that nobody asked for, a command name has one owner, state is never half-switched, a
//! signal cleans up, builds for other platforms stay apart, and control characters from a
//! release never become file names. Every hostile input is built here.

use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::support::archive::{self, exe, file, script};
use crate::support::fake_github::{FakeAsset, FakeRelease, Fault};
use crate::support::{Run, TestContext};

const LINUX: &str = "linux-x86_64-gnu";
const TRIPLE: &str = "x86_64-unknown-linux-gnu";

fn install(ctx: &TestContext, spec: &str) -> Run {
    ctx.run(&["install", spec, "--platform", LINUX])
}

/// A release of `repo` at `version` whose archive holds `<exe_name>` printing `output`.
fn release_with(version: &str, asset_stem: &str, exe_name: &str, output: &str) -> FakeRelease {
    let stem = format!("{asset_stem}-v{version}-{TRIPLE}");
    let bytes = archive::tar_gz(&[exe(&format!("{stem}/{exe_name}"), script(output))]);
    FakeRelease::new(format!("v{version}")).asset(FakeAsset::new(format!("{stem}.tar.gz"), bytes))
}

fn run_linked(ctx: &TestContext, exe: &str) -> String {
    let out = TestContext::run_program(&ctx.bin_dir().join(exe), &[]);
    assert_eq!(out.code, 0, "{exe} failed: {}", out.stderr);
    out.stdout.trim().to_string()
}

fn bin_entries(ctx: &TestContext) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(ctx.bin_dir())
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn staging_entries(ctx: &TestContext) -> Vec<String> {
    std::fs::read_dir(ctx.home().join("staging"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

// ------------------------------------------------------------------ item 2: command names

#[test]
fn an_archive_cannot_choose_the_command_name() {
    let ctx = TestContext::new();
    // A release of `prettyprint` whose archive holds only `sudo`.
    ctx.github.add_release(
        "acme/prettyprint",
        release_with("1.0.0", "prettyprint", "sudo", "gotcha"),
    );
    let run = install(&ctx, "acme/prettyprint@1.0.0");
    assert_eq!(run.code, 9, "{}", run.stderr);
    assert!(
        run.stderr.contains("`sudo`"),
        "names what it found: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("[exe=sudo]"),
        "gives the option that accepts it: {}",
        run.stderr
    );
    assert!(!ctx.bin_dir().join("sudo").exists());
    assert!(ctx.version_dirs("acme", "prettyprint").is_empty());

    // Asked for by name, it installs.
    install(&ctx, "acme/prettyprint[exe=sudo]@1.0.0").success();
    assert_eq!(run_linked(&ctx, "sudo"), "gotcha");

    // The asset's own name family still counts: `gh_*` assets of cli/cli link `gh`.
    let bytes = archive::tar_gz(&[exe("gh_2.0.0_linux_amd64/bin/gh", script("gh 2.0.0"))]);
    ctx.github.add_release(
        "cli/cli",
        FakeRelease::new("v2.0.0").asset(FakeAsset::new("gh_2.0.0_linux_amd64.tar.gz", bytes)),
    );
    install(&ctx, "cli/cli@2.0.0").success();
    assert_eq!(run_linked(&ctx, "gh"), "gh 2.0.0");
}

#[test]
fn a_second_tool_cannot_take_over_a_command_name() {
    let ctx = TestContext::new();
    ctx.github.add_release(
        "acme/tool",
        release_with("1.0.0", "tool", "tool", "acme tool"),
    );
    ctx.github.add_release(
        "evil/tool",
        release_with("1.0.0", "tool", "tool", "evil tool"),
    );
    install(&ctx, "acme/tool@1.0.0").success();

    let run = install(&ctx, "evil/tool@1.0.0");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("acme/tool"),
        "names the owner: {}",
        run.stderr
    );
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(run_linked(&ctx, "tool"), "acme tool");
    assert!(
        ctx.version_dirs("evil", "tool").is_empty(),
        "refused all or nothing"
    );
    let which = ctx.run(&["which", "tool"]).success();
    assert!(which.stdout.contains("/acme/tool/"), "{}", which.stdout);
    let list = ctx.run(&["list", "--json"]).success();
    let tools = list.json_lines();
    assert_eq!(tools.len(), 1, "{}", list.stdout);
    assert_eq!(tools[0]["linked"], serde_json::json!(["tool"]));

    // With --force the second tool takes the name; uninstalling the first never removes a
    // link it no longer owns.
    ctx.run(&["install", "evil/tool@1.0.0", "--platform", LINUX, "--force"])
        .success();
    assert_eq!(run_linked(&ctx, "tool"), "evil tool");
    let list = ctx.run(&["list", "--json"]).success();
    for tool in list.json_lines() {
        let expected: &[&str] = if tool["tool"] == "evil/tool" {
            &["tool"]
        } else {
            &[]
        };
        assert_eq!(tool["linked"], serde_json::json!(expected), "{tool}");
    }
    ctx.run(&["uninstall", "acme/tool@all"]).success();
    assert_eq!(run_linked(&ctx, "tool"), "evil tool");
    // And reinstalling the first does not silently take it back either.
    let run = install(&ctx, "acme/tool@1.0.0");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("evil/tool"), "{}", run.stderr);
    assert_eq!(run_linked(&ctx, "tool"), "evil tool");
}

#[test]
fn a_users_own_file_or_symlink_in_bin_is_never_replaced_without_force() {
    let ctx = TestContext::new();
    ctx.github.add_release(
        "acme/tool",
        release_with("1.0.0", "tool", "tool", "acme tool"),
    );
    std::fs::create_dir_all(ctx.bin_dir()).unwrap();
    let mine = ctx.bin_dir().join("tool");

    // A plain file.
    std::fs::write(&mine, "#!/bin/sh\necho mine\n").unwrap();
    let run = install(&ctx, "acme/tool@1.0.0");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(&mine).unwrap(),
        "#!/bin/sh\necho mine\n"
    );
    assert!(ctx.version_dirs("acme", "tool").is_empty());

    // A symlink of the user's own, pointing outside the store.
    std::fs::remove_file(&mine).unwrap();
    let elsewhere = ctx.dir.path().join("my-tool");
    std::fs::write(&elsewhere, "x").unwrap();
    std::os::unix::fs::symlink(&elsewhere, &mine).unwrap();
    let run = install(&ctx, "acme/tool@1.0.0");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(std::fs::read_link(&mine).unwrap(), elsewhere);

    // --force replaces it.
    ctx.run(&["install", "acme/tool@1.0.0", "--platform", LINUX, "--force"])
        .success();
    assert_eq!(run_linked(&ctx, "tool"), "acme tool");
}

// ------------------------------------------------------------------ item 5: never half-switched

#[test]
fn a_force_reinstall_killed_at_the_switch_leaves_a_working_version() {
    let ctx = TestContext::new();
    ctx.github.add_release(
        "acme/tool",
        release_with("1.0.0", "tool", "tool", "tool 1.0.0"),
    );
    install(&ctx, "acme/tool@1.0.0").success();
    // The release is rebuilt; --force swaps the new build in. Pause in the middle of the swap
    // (a test hook) and kill -9 there.
    ctx.github.add_release(
        "acme/tool",
        release_with("1.0.0", "tool", "tool", "tool 1.0.0 rebuilt"),
    );
    let mut child = ctx
        .command(&[
            "install",
            "acme/tool@1.0.0",
            "--platform",
            LINUX,
            "--force",
            "-q",
        ])
        .env("TOOLGET_TEST_SWAP_PAUSE_MS", "5000")
        .spawn()
        .unwrap();
    // In the pause, the download is done and the swap has begun: a directory sits in staging
    // (the old copy, or the new one on the way in) and the download's temp file is gone.
    let deadline = Instant::now() + Duration::from_secs(15);
    while ctx.github.download_request_count() == 0 {
        assert!(Instant::now() < deadline, "install never downloaded");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "finished before the kill"
    );
    child.kill().unwrap();
    child.wait().unwrap();

    let output = run_linked(&ctx, "tool");
    assert!(
        output == "tool 1.0.0" || output == "tool 1.0.0 rebuilt",
        "{output}"
    );
    assert_eq!(ctx.version_dirs("acme", "tool"), vec!["1.0.0"]);
    let list = ctx.run(&["list", "--json"]).success();
    assert_eq!(list.json_lines()[0]["active"], "1.0.0");
    // And the next run is a no-op that finds it installed.
    let again = ctx
        .run(&["install", "acme/tool@1.0.0", "--platform", LINUX, "--json"])
        .success();
    assert_eq!(again.json_lines()[0]["status"], "already_installed");
}

#[test]
fn a_failure_writing_active_leaves_bin_on_the_old_version_consistent_with_list() {
    let ctx = TestContext::new();
    ctx.github.add_release(
        "acme/tool",
        release_with("1.0.0", "tool", "tool", "tool 1.0.0"),
    );
    ctx.github.add_release(
        "acme/tool",
        release_with("1.1.0", "tool", "tool", "tool 1.1.0"),
    );
    install(&ctx, "acme/tool@1.0.0").success();
    // `.active` cannot be replaced: a directory is in its way (as a full or broken disk
    // would refuse the write).
    let active = ctx.home().join("tools-v1/acme/tool/.active");
    std::fs::remove_file(&active).unwrap();
    std::fs::create_dir_all(active.join("blocker")).unwrap();

    let run = install(&ctx, "acme/tool@1.1.0");
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert_eq!(run_linked(&ctx, "tool"), "tool 1.0.0");
    assert_eq!(
        ctx.version_dirs("acme", "tool"),
        vec!["1.0.0"],
        "the new version is rolled back with the links"
    );
    let list = ctx.run(&["list", "--json"]).success();
    let versions = list.json_lines()[0]["versions"].as_array().unwrap().len();
    assert_eq!(versions, 1, "{}", list.stdout);
    assert!(!bin_entries(&ctx).iter().any(|n| n.starts_with('.')));

    // Once the disk is fine again, the install goes through.
    std::fs::remove_dir_all(&active).unwrap();
    install(&ctx, "acme/tool@1.1.0").success();
    assert_eq!(run_linked(&ctx, "tool"), "tool 1.1.0");
}

/// Start an install whose download stalls midway, and wait until it is under way.
fn stalled_install(ctx: &TestContext) -> Child {
    let stem = format!("tool-v1.0.0-{TRIPLE}");
    let noise: Vec<u8> = (0..2_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let bytes = archive::tar_gz(&[
        exe(&format!("{stem}/tool"), script("tool 1.0.0")),
        file(&format!("{stem}/noise"), noise),
    ]);
    ctx.github.add_release(
        "acme/tool",
        FakeRelease::new("v1.0.0").asset(FakeAsset::new(format!("{stem}.tar.gz"), bytes.clone())),
    );
    ctx.github.fail_next(
        "/download/",
        Fault::StallBody {
            after_bytes: bytes.len() / 2,
            stall: Duration::from_secs(20),
        },
    );
    let child = ctx
        .command(&["install", "acme/tool@1.0.0", "--platform", LINUX, "--quiet"])
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while ctx.github.download_request_count() == 0 || staging_entries(ctx).is_empty() {
        assert!(
            Instant::now() < deadline,
            "install never reached the download"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    child
}

#[test]
fn sigint_and_sigterm_mid_download_remove_staging_and_exit_130_and_143() {
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        let ctx = TestContext::new();
        let mut child = stalled_install(&ctx);
        let sent = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "SIG{signal} did not stop the install"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(code), "SIG{signal}: {status:?}");
        assert_eq!(
            staging_entries(&ctx),
            Vec::<String>::new(),
            "SIG{signal} left staging files"
        );
        assert!(ctx.version_dirs("acme", "tool").is_empty());
        assert!(!ctx.bin_dir().join("tool").exists());
    }
}

// ------------------------------------------------------------------ item 6: platforms apart

#[test]
fn a_build_for_another_platform_is_kept_apart_and_never_linked() {
    let ctx = TestContext::new();
    let mut pe = b"MZ".to_vec();
    pe.extend_from_slice(&[0u8; 126]);
    let mac = archive::tar_gz(&[exe("tool", script("mac tool"))]);
    ctx.github.add_release(
        "acme/tool",
        FakeRelease::new("v1.0.0")
            .asset(FakeAsset::new("tool-v1.0.0-x86_64-pc-windows-msvc.exe", pe))
            .asset(FakeAsset::new(
                "tool-v1.0.0-aarch64-apple-darwin.tar.gz",
                mac,
            ))
            .asset(FakeAsset::new(
                format!("tool-v1.0.0-{TRIPLE}.tar.gz"),
                archive::tar_gz(&[exe("tool", script("linux tool"))]),
            )),
    );
    // Only meaningful on a host that is neither Windows nor macOS on arm64.
    let windows = ctx
        .run(&[
            "install",
            "acme/tool@1.0.0",
            "--platform",
            "windows-x86_64",
            "--json",
        ])
        .success();
    let line = &windows.json_lines()[0];
    assert_eq!(line["executables"][0]["link"], serde_json::Value::Null);
    let path = PathBuf::from(line["executables"][0]["path"].as_str().unwrap());
    assert!(
        path.starts_with(ctx.home().join("foreign-v1/windows-x86_64")),
        "{path:?}"
    );
    assert_eq!(bin_entries(&ctx), Vec::<String>::new(), "nothing linked");
    assert!(
        ctx.version_dirs("acme", "tool").is_empty(),
        "host shelf untouched"
    );

    // The host's install is not "already installed" because of the Windows build.
    let host = ctx
        .run(&["install", "acme/tool@1.0.0", "--platform", LINUX, "--json"])
        .success();
    assert_eq!(host.json_lines()[0]["status"], "installed");
    assert_eq!(run_linked(&ctx, "tool"), "linux tool");

    // A macOS build never replaces the host's tool, and is itself installed once.
    for _ in 0..2 {
        ctx.run(&["install", "acme/tool@1.0.0", "--platform", "macos-aarch64"])
            .success();
        assert_eq!(run_linked(&ctx, "tool"), "linux tool");
    }
    let receipt = std::fs::read_to_string(
        ctx.home()
            .join("tools-v1/acme/tool/1.0.0/.toolget-receipt.toml"),
    )
    .unwrap();
    assert!(
        receipt.contains("platform = \"linux-x86_64-gnu\""),
        "{receipt}"
    );
    let list = ctx.run(&["list", "--json"]).success();
    let platforms: Vec<serde_json::Value> = list
        .json_lines()
        .iter()
        .map(|t| t["foreign_platform"].clone())
        .collect();
    assert_eq!(
        platforms,
        [
            serde_json::Value::Null,
            "macos-aarch64".into(),
            "windows-x86_64".into()
        ]
    );
    assert_eq!(ctx.run(&["which", "tool"]).code, 0);

    // A foreign build is removed from its own shelf; the host's tool stays.
    ctx.run(&[
        "uninstall",
        "acme/tool@1.0.0",
        "--platform",
        "windows-x86_64",
    ])
    .success();
    assert!(
        !ctx.home()
            .join("foreign-v1/windows-x86_64/acme/tool/1.0.0")
            .exists()
    );
    assert_eq!(run_linked(&ctx, "tool"), "linux tool");
}

// ------------------------------------------------------------------ item 7: control characters

#[test]
fn control_characters_in_tags_and_members_never_become_file_names() {
    // A tag with an escape sequence: its version would name a directory.
    let ctx = TestContext::new();
    ctx.github.add_release(
        "acme/tool",
        FakeRelease::new("v1.0.0\u{1b}[2J").asset(FakeAsset::new(
            format!("tool-v1.0.0-{TRIPLE}.tar.gz"),
            archive::tar_gz(&[exe("tool", script("tool"))]),
        )),
    );
    let run = install(&ctx, "acme/tool");
    assert_eq!(run.code, 9, "{}", run.stderr);
    assert!(run.stderr.contains("control character"), "{}", run.stderr);
    assert!(
        !run.stderr.contains('\u{1b}'),
        "printed raw: {:?}",
        run.stderr
    );
    assert!(ctx.version_dirs("acme", "tool").is_empty());
    assert_eq!(
        ctx.github.download_request_count(),
        0,
        "refused before downloading"
    );

    // (An asset name never becomes a path: it is only printed, escaped — see
    // untrusted_names.rs.)

    // An archive member with a newline in its name.
    let ctx = TestContext::new();
    let stem = format!("tool-v1.0.0-{TRIPLE}");
    ctx.github.add_release(
        "acme/tool",
        FakeRelease::new("v1.0.0").asset(FakeAsset::new(
            format!("{stem}.tar.gz"),
            archive::tar_gz(&[
                exe(&format!("{stem}/tool"), script("tool")),
                file(&format!("{stem}/evil\nname"), "x"),
            ]),
        )),
    );
    let run = ctx.run(&[
        "install",
        "acme/tool[extract_all=true]@1.0.0",
        "--platform",
        LINUX,
    ]);
    assert_eq!(run.code, 9, "{}", run.stderr);
    assert!(ctx.version_dirs("acme", "tool").is_empty());
    assert!(!ctx.bin_dir().join("tool").exists());
}

#[test]
fn a_foreign_build_an_older_toolget_linked_is_moved_apart_by_the_next_install() {
    let ctx = TestContext::new();
    let mut pe = b"MZ".to_vec();
    pe.extend_from_slice(&[0u8; 126]);
    ctx.github.add_release(
        "acme/tool",
        FakeRelease::new("v1.0.0")
            .asset(FakeAsset::new("tool-v1.0.0-x86_64-pc-windows-msvc.exe", pe))
            .asset(FakeAsset::new(
                format!("tool-v1.0.0-{TRIPLE}.tar.gz"),
                archive::tar_gz(&[exe("tool", script("linux tool"))]),
            )),
    );
    // What toolget before the platform-keyed store left: a Windows build in tools-v1, linked.
    // (Stating the host as Windows reproduces that layout.)
    ctx.run_env(
        &["install", "acme/tool@1.0.0"],
        &[("TOOLGET_PLATFORM", "windows-x86_64")],
    )
    .success();
    assert_eq!(bin_entries(&ctx), ["tool.exe"]);
    assert_eq!(ctx.version_dirs("acme", "tool"), ["1.0.0"]);

    let run = ctx
        .run(&["install", "acme/tool@1.0.0", "--platform", LINUX, "--json"])
        .success();
    assert_eq!(run.json_lines()[0]["status"], "installed");
    assert_eq!(bin_entries(&ctx), ["tool"], "the Windows link is gone");
    assert_eq!(run_linked(&ctx, "tool"), "linux tool");
    assert!(
        ctx.home()
            .join("foreign-v1/windows-x86_64/acme/tool/1.0.0/bin/tool.exe")
            .is_file()
    );
}

#[test]
fn a_frozen_install_for_another_platform_never_replaces_the_hosts_tools() {
    let ctx = TestContext::new();
    let (release, _) = crate::lockfile::multi_release("tool", "1.2.0", true);
    ctx.github.add_release("acme/tool", release);
    crate::lockfile::write_config(ctx.dir.path(), "[tools]\n\"acme/tool\" = \"1.2\"\n");
    ctx.run(&["lock", "--platform", "linux-x86_64-gnu,macos-aarch64"])
        .success();
    ctx.run(&["install", "--frozen", "--platform", LINUX])
        .success();
    let host = format!("tool 1.2.0 {TRIPLE}");
    assert_eq!(run_linked(&ctx, "tool"), host);

    for _ in 0..2 {
        ctx.run(&["install", "--frozen", "--platform", "macos-aarch64"])
            .success();
        assert_eq!(run_linked(&ctx, "tool"), host);
        assert_eq!(bin_entries(&ctx), ["tool"]);
    }
    let receipt = std::fs::read_to_string(
        ctx.home()
            .join("tools-v1/acme/tool/1.2.0/.toolget-receipt.toml"),
    )
    .unwrap();
    assert!(
        receipt.contains("platform = \"linux-x86_64-gnu\""),
        "{receipt}"
    );
    assert!(
        ctx.home()
            .join("foreign-v1/macos-aarch64/acme/tool/1.2.0")
            .is_dir()
    );
}
