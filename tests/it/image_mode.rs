//! Image builds (issue 14): the same toolget.lock installs byte-identical trees when
//! `SOURCE_DATE_EPOCH` is set (receipts, file contents, modes, link targets and modification
//! times), so image layers are reproducible; and `install --locked --prefix DIR` puts real
//! copies of the executables in DIR with the same verification.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::lockfile::{LINUX, multi_release, write_config};
use crate::support::TestContext;
use crate::support::archive::sha256_hex;

const EPOCH: u64 = 1_700_000_000;

/// Every entry under `root`: relative path → what a layer would record of it (type, mode,
/// sha256 of a file's bytes or a link's target, and a file's or directory's mtime).
fn snapshot(root: &Path) -> BTreeMap<String, String> {
    use std::os::unix::fs::MetadataExt;
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let what = if meta.file_type().is_symlink() {
                format!("link -> {}", std::fs::read_link(&path).unwrap().display())
            } else if meta.is_dir() {
                stack.push(path.clone());
                format!("dir {:o}", meta.mode() & 0o7777)
            } else {
                format!(
                    "file {:o} {} mtime {}",
                    meta.mode() & 0o7777,
                    sha256_hex(&std::fs::read(&path).unwrap()),
                    meta.mtime()
                )
            };
            out.insert(rel, what);
        }
    }
    out
}

fn locked_project(ctx: &TestContext) {
    let (release, _) = multi_release("tool", "1.2.3", true);
    ctx.github.add_release("acme/tool", release);
    write_config(ctx.dir.path(), "[tools]\n\"acme/tool\" = \"1.2\"\n");
    ctx.run(&["lock", "--platform", LINUX]).success();
}

#[test]
fn the_same_lock_installs_byte_identical_trees_with_source_date_epoch() {
    let ctx = TestContext::new();
    locked_project(&ctx);
    let epoch = EPOCH.to_string();
    let install = |home: &Path| {
        ctx.run_env(
            &["install", "--locked", "--platform", LINUX, "--quiet"],
            &[
                ("TOOLGET_HOME", home.to_str().unwrap()),
                ("SOURCE_DATE_EPOCH", &epoch),
            ],
        )
        .success();
    };
    let first = ctx.dir.path().join("first");
    let second = ctx.dir.path().join("second");
    install(&first);
    // A second later, so a clock-derived time anywhere would differ.
    std::thread::sleep(Duration::from_millis(1100));
    install(&second);

    let a = snapshot(&first);
    let b = snapshot(&second);
    assert_eq!(a, b, "two installs of one lock differ");
    let staging: Vec<_> = a.keys().filter(|k| k.starts_with("staging/")).collect();
    assert!(staging.is_empty(), "staging left behind: {staging:?}");

    // The receipt records SOURCE_DATE_EPOCH, and the installed files carry it as their time.
    let version_dir = first.join("tools-v1/acme/tool/1.2.3");
    let receipt = std::fs::read_to_string(version_dir.join(".toolget-receipt.toml")).unwrap();
    assert!(
        receipt.contains("installed_at = \"2023-11-14T22:13:20Z\""),
        "{receipt}"
    );
    let exe = version_dir.join("bin/tool");
    let mtime = std::fs::metadata(&exe).unwrap().modified().unwrap();
    assert_eq!(mtime, UNIX_EPOCH + Duration::from_secs(EPOCH));
}

#[test]
fn without_source_date_epoch_receipts_keep_the_clock() {
    let ctx = TestContext::new();
    locked_project(&ctx);
    let before = SystemTime::now();
    ctx.run(&["install", "--locked", "--platform", LINUX, "--quiet"])
        .success();
    let receipt = std::fs::read_to_string(
        ctx.home()
            .join("tools-v1/acme/tool/1.2.3/.toolget-receipt.toml"),
    )
    .unwrap();
    let year = humantime::format_rfc3339_seconds(before).to_string()[..4].to_string();
    assert!(
        receipt.contains(&format!("installed_at = \"{year}")),
        "{receipt}"
    );
}

#[test]
fn prefix_puts_verified_copies_in_the_directory_and_never_overwrites_a_stranger() {
    let ctx = TestContext::new();
    locked_project(&ctx);
    let prefix = ctx.dir.path().join("usr-local-bin");
    let run = ctx
        .run(&[
            "install",
            "--locked",
            "--platform",
            LINUX,
            "--prefix",
            prefix.to_str().unwrap(),
            "--json",
        ])
        .success();
    let line = &run.json_lines()[0];
    assert_eq!(line["verified"], "lockfile");
    let copy = prefix.join("tool");
    assert_eq!(line["executables"][0]["copy"], copy.to_str().unwrap());
    // A real file, not a link into the store, with the installed bytes, and it runs.
    let meta = std::fs::symlink_metadata(&copy).unwrap();
    assert!(meta.is_file(), "{meta:?}");
    let installed = ctx.home().join("tools-v1/acme/tool/1.2.3/bin/tool");
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(&installed).unwrap()
    );
    let out = TestContext::run_program(&copy, &[]);
    assert_eq!(out.stdout.trim(), "tool 1.2.3 x86_64-unknown-linux-gnu");
    let leftovers: Vec<_> = std::fs::read_dir(&prefix)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        leftovers,
        vec!["tool".to_string()],
        "temp files left in DIR"
    );

    // Again: the same bytes are left alone (exit 0).
    ctx.run(&[
        "install",
        "--locked",
        "--platform",
        LINUX,
        "--prefix",
        prefix.to_str().unwrap(),
    ])
    .success();

    // A file of the same name that toolget did not write: refused (exit 2), untouched.
    std::fs::write(&copy, b"somebody else's tool").unwrap();
    let refused = ctx.run(&[
        "install",
        "--locked",
        "--platform",
        LINUX,
        "--prefix",
        prefix.to_str().unwrap(),
    ]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    assert_eq!(std::fs::read(&copy).unwrap(), b"somebody else's tool");
    // --force replaces it.
    ctx.run(&[
        "install",
        "--locked",
        "--platform",
        LINUX,
        "--prefix",
        prefix.to_str().unwrap(),
        "--force",
    ])
    .success();
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(&installed).unwrap()
    );

    // An empty DIR is a usage error, not the current directory.
    let empty = ctx.run(&["install", "--locked", "--platform", LINUX, "--prefix", ""]);
    assert_eq!(empty.code, 2, "{}", empty.stderr);
}
