//! `toolget lock` and `toolget install --locked` / `--frozen`, end to end against the fake
//! GitHub: what the lockfile says, that a locked install needs no API at all, and that a lock
//! that is tampered with, stale or incomplete is refused with nothing installed.

use std::path::{Path, PathBuf};

use crate::support::TestContext;
use crate::support::archive::{self, exe, script};
use crate::support::fake_github::{FakeAsset, FakeRelease};

pub const LINUX: &str = "linux-x86_64-gnu";

/// The builds `multi_release` publishes: (triple, platform it serves natively).
const BUILDS: [(&str, &str); 4] = [
    ("x86_64-unknown-linux-gnu", "linux-x86_64-gnu"),
    ("aarch64-unknown-linux-musl", "linux-aarch64-musl"),
    ("aarch64-apple-darwin", "macos-aarch64"),
    ("x86_64-pc-windows-msvc", "windows-x86_64"),
];

/// `<name>-v<version>-<triple>.tar.gz` (a `.zip` for Windows) for each of [`BUILDS`], each
/// holding `<name>` that prints `<name> <version> <triple>`. `digest`: whether GitHub reports
/// digests. Returns the release and each asset's (name, bytes).
pub fn multi_release(
    name: &str,
    version: &str,
    digest: bool,
) -> (FakeRelease, Vec<(String, Vec<u8>)>) {
    let mut release = FakeRelease::new(format!("v{version}"));
    let mut files = Vec::new();
    for (triple, _) in BUILDS {
        let stem = format!("{name}-v{version}-{triple}");
        let (asset, bytes) = if triple.contains("windows") {
            let entry = exe(&format!("{stem}/{name}.exe"), script("windows"));
            (format!("{stem}.zip"), archive::zip(&[entry]))
        } else {
            let line = format!("{name} {version} {triple}");
            let entry = exe(&format!("{stem}/{name}"), script(&line));
            (format!("{stem}.tar.gz"), archive::tar_gz(&[entry]))
        };
        let fake = FakeAsset::new(asset.clone(), bytes.clone());
        release = release.asset(if digest { fake } else { fake.no_digest() });
        files.push((asset, bytes));
    }
    (release, files)
}

pub fn write_config(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("toolget.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn lock_path(ctx: &TestContext) -> PathBuf {
    ctx.dir.path().join("toolget.lock")
}

fn read_lock(ctx: &TestContext) -> toml::Table {
    let text = std::fs::read_to_string(lock_path(ctx)).unwrap();
    text.parse().unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// The `[tool.platforms.<platform>]` table of the tool with `key`.
fn locked<'t>(lock: &'t toml::Table, key: &str, platform: &str) -> Option<&'t toml::Table> {
    lock["tool"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"].as_str() == Some(key))?
        .get("platforms")?
        .get(platform)?
        .as_table()
}

fn run_linked(ctx: &TestContext, exe: &str) -> String {
    let out = TestContext::run_program(&ctx.bin_dir().join(exe), &[]);
    assert_eq!(out.code, 0, "{exe} failed: {}", out.stderr);
    out.stdout.trim().to_string()
}

/// Every file under `dir` with its bytes, sorted: a snapshot to prove nothing changed.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

/// acme/tool 1.2.3 with digests, listed in toolget.toml, locked for Linux x86_64 and macOS.
fn locked_project(ctx: &TestContext) -> Vec<(String, Vec<u8>)> {
    let (release, files) = multi_release("tool", "1.2.3", true);
    ctx.github.add_release("acme/tool", release);
    write_config(ctx.dir.path(), "[tools]\n\"acme/tool\" = \"1.2\"\n");
    ctx.run(&["lock", "--platform", "linux-x86_64-gnu,macos-aarch64"])
        .success();
    files
}

#[test]
fn lock_pins_each_platforms_asset_with_githubs_digest_and_names_what_it_cannot_serve() {
    let ctx = TestContext::new();
    let (release, files) = multi_release("tool", "1.2.3", true);
    ctx.github.add_release("acme/tool", release);
    let (other, _) = multi_release("other", "0.9.0", true);
    ctx.github.add_release("acme/other", other);
    write_config(
        ctx.dir.path(),
        "[tools]\n\"acme/tool\" = \"1.2\"\n\"github:acme/other\" = { version = \"0.9.0\", exe = \"other\" }\n",
    );
    let run = ctx.run(&["lock"]).success();
    assert!(run.stdout.contains("wrote"), "{}", run.stdout);
    assert!(
        run.stdout.contains("locked acme/tool 1.2.3 (v1.2.3) for "),
        "{}",
        run.stdout
    );

    let lock = read_lock(&ctx);
    assert_eq!(lock["version"].as_integer(), Some(1));
    let tools = lock["tool"].as_array().unwrap();
    let keys: Vec<&str> = tools.iter().map(|t| t["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["acme/tool", "github:acme/other"], "sorted by key");
    let tool = &tools[0];
    assert_eq!(tool["spec"].as_str(), Some("acme/tool@1.2"));
    assert_eq!(tool["repo"].as_str(), Some("acme/tool"));
    assert_eq!(tool["version"].as_str(), Some("1.2.3"));
    assert_eq!(tool["tag"].as_str(), Some("v1.2.3"));
    assert_eq!(tool["exe"].as_str(), Some("tool"));
    assert_eq!(
        tools[1]["spec"].as_str(),
        Some("github:acme/other[exe=other]@0.9.0")
    );
    for (triple, platform) in [
        ("x86_64-unknown-linux-gnu", "linux-x86_64-gnu"),
        ("aarch64-unknown-linux-musl", "linux-aarch64-musl"),
        ("aarch64-apple-darwin", "macos-aarch64"),
        ("x86_64-pc-windows-msvc", "windows-x86_64"),
    ] {
        let entry =
            locked(&lock, "acme/tool", platform).unwrap_or_else(|| panic!("{platform} not locked"));
        let (name, bytes) = files.iter().find(|(n, _)| n.contains(triple)).unwrap();
        assert_eq!(entry["asset"].as_str(), Some(name.as_str()), "{platform}");
        assert_eq!(
            entry["url"].as_str(),
            Some(
                ctx.github
                    .download_url("acme/tool", "v1.2.3", name)
                    .as_str()
            )
        );
        assert_eq!(entry["size"].as_integer(), Some(bytes.len() as i64));
        assert_eq!(
            entry["sha256"].as_str(),
            Some(archive::sha256_hex(bytes).as_str())
        );
        assert_eq!(entry["sha256_from"].as_str(), Some("github_digest"));
    }
    // No 32-bit ARM, Intel Mac or musl x86_64 build: recorded, and said loudly.
    let unavailable = tool["unavailable"].as_table().unwrap();
    assert_eq!(unavailable.len(), 3, "{unavailable:?}");
    for platform in ["linux-armv7-gnueabihf", "linux-x86_64-musl", "macos-x86_64"] {
        assert_eq!(
            unavailable.get(platform).and_then(|v| v.as_str()),
            Some("no_match"),
            "{unavailable:?}"
        );
        assert!(
            run.stderr.contains(platform),
            "names {platform}: {}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("could not be locked for"),
        "{}",
        run.stderr
    );
    // Platforms appear in NINE order, whatever order they resolved in.
    let text = std::fs::read_to_string(lock_path(&ctx)).unwrap();
    let at = |p: &str| text.find(&format!("[tool.platforms.{p}]")).unwrap();
    assert!(at("linux-x86_64-gnu") < at("linux-aarch64-musl"));
    assert!(at("linux-aarch64-musl") < at("macos-aarch64"));
    assert!(at("macos-aarch64") < at("windows-x86_64"));

    // Locking again changes nothing: same bytes, file not rewritten.
    let run = ctx.run(&["lock"]).success();
    assert!(run.stdout.contains("is up to date"), "{}", run.stdout);
    assert_eq!(std::fs::read_to_string(lock_path(&ctx)).unwrap(), text);
}

#[test]
fn lock_takes_the_sha256_from_a_checksum_file_read_once() {
    let ctx = TestContext::new();
    let (release, files) = multi_release("tool", "1.2.3", false);
    let sums: String = files
        .iter()
        .map(|(name, bytes)| format!("{}  {name}\n", archive::sha256_hex(bytes)))
        .collect();
    let release = release.asset(FakeAsset::new("checksums.txt", sums).no_digest());
    ctx.github.add_release("acme/tool", release);
    write_config(ctx.dir.path(), "[tools]\n\"acme/tool\" = \"1.2.3\"\n");
    ctx.run(&["lock", "-p", "linux-x86_64-gnu", "-p", "macos-aarch64"])
        .success();
    let lock = read_lock(&ctx);
    for (platform, triple) in [
        ("linux-x86_64-gnu", "x86_64-unknown-linux-gnu"),
        ("macos-aarch64", "aarch64-apple-darwin"),
    ] {
        let entry = locked(&lock, "acme/tool", platform).unwrap();
        let (_, bytes) = files.iter().find(|(n, _)| n.contains(triple)).unwrap();
        assert_eq!(
            entry["sha256"].as_str(),
            Some(archive::sha256_hex(bytes).as_str())
        );
        assert_eq!(
            entry["sha256_from"].as_str(),
            Some("checksum_file:checksums.txt")
        );
    }
    assert_eq!(
        ctx.github.download_request_count(),
        1,
        "only checksums.txt, once: {:?}",
        ctx.github.requests()
    );
}

#[test]
fn lock_downloads_and_hashes_an_asset_with_no_checksum_and_caches_it() {
    let ctx = TestContext::new();
    let (release, files) = multi_release("tool", "1.2.3", false);
    ctx.github.add_release("acme/tool", release);
    write_config(ctx.dir.path(), "[tools]\n\"acme/tool\" = \"1.2.3\"\n");
    let run = ctx.run(&["lock", "--platform", LINUX]).success();
    let (name, bytes) = &files[0];
    assert!(
        run.stderr
            .contains(&format!("no sha256 for `{name}`: downloaded it to hash it")),
        "says so: {}",
        run.stderr
    );
    let sha = archive::sha256_hex(bytes);
    let lock = read_lock(&ctx);
    let entry = locked(&lock, "acme/tool", LINUX).unwrap();
    assert_eq!(entry["sha256"].as_str(), Some(sha.as_str()));
    assert_eq!(entry["sha256_from"].as_str(), Some("download"));
    assert_eq!(entry["size"].as_integer(), Some(bytes.len() as i64));
    let cached = ctx.cache().join("sha256").join(&sha[..2]).join(&sha);
    assert_eq!(&std::fs::read(&cached).unwrap(), bytes, "kept in the cache");

    // The locked install takes it from the cache: no second download, no API request.
    ctx.github.clear_requests();
    let run = ctx
        .run(&["install", "--locked", "--platform", LINUX, "--json"])
        .success();
    assert!(
        ctx.github.requests().is_empty(),
        "{:?}",
        ctx.github.requests()
    );
    assert_eq!(run.json_lines()[0]["verified"], "lockfile");
    assert_eq!(
        run_linked(&ctx, "tool"),
        "tool 1.2.3 x86_64-unknown-linux-gnu"
    );
}

#[test]
fn locked_install_makes_no_api_request_at_all() {
    let ctx = TestContext::new();
    locked_project(&ctx);
    ctx.github.clear_requests();
    // Every API path now answers 403 rate limited: any API request would fail the install.
    ctx.github.set_rate_limited(true, 4_102_444_800);
    let run = ctx
        .run(&["install", "--locked", "--platform", LINUX, "--json"])
        .success();
    assert_eq!(
        ctx.github.api_request_count(),
        0,
        "{:?}",
        ctx.github.requests()
    );
    assert_eq!(ctx.github.download_request_count(), 1);
    let line = &run.json_lines()[0];
    assert_eq!(line["status"], "installed");
    assert_eq!(line["version"], "1.2.3");
    assert_eq!(line["verified"], "lockfile");
    assert_eq!(
        run_linked(&ctx, "tool"),
        "tool 1.2.3 x86_64-unknown-linux-gnu"
    );

    // Installed already: nothing to fetch, not even a download.
    ctx.github.clear_requests();
    let run = ctx
        .run(&["install", "--locked", "--platform", LINUX, "--json"])
        .success();
    assert_eq!(run.json_lines()[0]["status"], "already_installed");
    assert!(
        ctx.github.requests().is_empty(),
        "{:?}",
        ctx.github.requests()
    );

    // `toolget install <spec>` in the project (what the mise plugin runs) uses the pin too.
    let run = ctx
        .run(&[
            "install",
            "acme/tool@1.2.3",
            "--platform",
            LINUX,
            "--force",
            "--json",
        ])
        .success();
    assert_eq!(run.json_lines()[0]["verified"], "lockfile");
    assert_eq!(ctx.github.api_request_count(), 0);
}

#[test]
fn a_tampered_lock_is_refused_and_nothing_is_installed() {
    let ctx = TestContext::new();
    let files = locked_project(&ctx);
    let real = archive::sha256_hex(&files[0].1);
    let text = std::fs::read_to_string(lock_path(&ctx)).unwrap();
    assert!(text.contains(&real));
    let forged = archive::sha256_hex(b"something else");
    std::fs::write(lock_path(&ctx), text.replace(&real, &forged)).unwrap();

    let run = ctx.run(&["install", "--locked", "--platform", LINUX]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(run.stderr.contains("mismatch"), "{}", run.stderr);
    assert!(run.stderr.contains(&forged), "{}", run.stderr);
    assert!(!ctx.bin_dir().join("tool").exists());
    assert!(ctx.version_dirs("acme", "tool").is_empty());
}

#[test]
fn a_lock_that_does_not_match_toolget_toml_is_refused() {
    let ctx = TestContext::new();
    locked_project(&ctx);
    let (other, _) = multi_release("other", "0.9.0", true);
    ctx.github.add_release("acme/other", other);
    let cases = [
        ("[tools]\n\"acme/tool\" = \"1.3\"\n", "`acme/tool` changed"),
        (
            "[tools]\n\"acme/tool\" = { version = \"1.2\", matching = \"gnu\" }\n",
            "`acme/tool` changed",
        ),
        (
            "[tools]\n\"acme/tool\" = \"1.2\"\n\"acme/other\" = \"0.9\"\n",
            "`acme/other` is not locked",
        ),
        (
            "[tools]\n\"acme/other\" = \"0.9\"\n",
            "no longer in toolget.toml",
        ),
    ];
    for (config, needle) in cases {
        write_config(ctx.dir.path(), config);
        let run = ctx.run(&["install", "--locked", "--platform", LINUX]);
        assert_eq!(run.code, 10, "{config}: {}", run.stderr);
        assert!(run.stderr.contains(needle), "{needle}: {}", run.stderr);
        assert!(run.stderr.contains("toolget lock"), "hint: {}", run.stderr);
        assert!(ctx.version_dirs("acme", "tool").is_empty());
        assert!(ctx.version_dirs("acme", "other").is_empty());
    }
    // No lock at all.
    std::fs::remove_file(lock_path(&ctx)).unwrap();
    let run = ctx.run(&["install", "--frozen", "--platform", LINUX]);
    assert_eq!(run.code, 10, "{}", run.stderr);
    assert!(run.stderr.contains("toolget.lock"), "{}", run.stderr);
}

#[test]
fn a_locked_install_installs_nothing_when_one_tool_cannot_be_served() {
    let ctx = TestContext::new();
    let (release, _) = multi_release("tool", "1.2.3", true);
    ctx.github.add_release("acme/tool", release);
    // `other` ships only a Linux x86_64 build.
    let bytes = archive::tar_gz(&[exe("other", script("other 1.0.0"))]);
    ctx.github.add_release(
        "acme/other",
        FakeRelease::new("v1.0.0").asset(FakeAsset::new(
            "other-v1.0.0-x86_64-unknown-linux-gnu.tar.gz",
            bytes,
        )),
    );
    write_config(
        ctx.dir.path(),
        "[tools]\n\"acme/other\" = \"1\"\n\"acme/tool\" = \"1.2\"\n",
    );
    ctx.run(&["lock", "--platform", "linux-x86_64-gnu,macos-aarch64"])
        .success();
    ctx.github.clear_requests();
    let run = ctx.run(&["install", "--locked", "--platform", "macos-aarch64"]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(run.stderr.contains("`acme/other`"), "{}", run.stderr);
    assert!(
        ctx.github.requests().is_empty(),
        "{:?}",
        ctx.github.requests()
    );
    assert!(ctx.version_dirs("acme", "tool").is_empty());
}

#[test]
fn locked_install_names_a_platform_the_lock_lacks() {
    let ctx = TestContext::new();
    locked_project(&ctx);
    let run = ctx.run(&["install", "--locked", "--platform", "windows-x86_64"]);
    assert_eq!(run.code, 10, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no `windows-x86_64` entry for `acme/tool`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("(it has: linux-x86_64-gnu, macos-aarch64)"),
        "{}",
        run.stderr
    );
    // A platform locked as unavailable says so, with the no-asset exit code.
    ctx.run(&["lock", "--platform", "linux-x86_64-gnu,linux-armv7-gnu"])
        .success();
    let run = ctx.run(&["install", "--locked", "--platform", "linux-armv7-gnu"]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(
        run.stderr.contains("no asset for `linux-armv7-gnueabihf`"),
        "{}",
        run.stderr
    );
}

#[test]
fn frozen_writes_nothing_but_the_store() {
    let ctx = TestContext::new();
    let (release, _) = multi_release("tool", "1.2.3", false);
    ctx.github.add_release("acme/tool", release);
    write_config(ctx.dir.path(), "[tools]\n\"acme/tool\" = \"1.2.3\"\n");
    // No digest: `lock` downloads the asset and leaves it in the cache.
    ctx.run(&["lock", "--platform", LINUX]).success();
    let lock_text = std::fs::read_to_string(lock_path(&ctx)).unwrap();
    let lock_mtime = std::fs::metadata(lock_path(&ctx))
        .unwrap()
        .modified()
        .unwrap();
    let cache_before = snapshot(&ctx.cache());
    assert!(!cache_before.is_empty());
    let outside_store = |ctx: &TestContext| {
        let mut names: Vec<String> = std::fs::read_dir(ctx.dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let top_before = outside_store(&ctx);

    ctx.github.clear_requests();
    ctx.github.set_rate_limited(true, 4_102_444_800);
    let run = ctx
        .run(&["install", "--frozen", "--platform", LINUX, "--json"])
        .success();
    assert_eq!(run.json_lines()[0]["verified"], "lockfile");
    assert_eq!(
        run_linked(&ctx, "tool"),
        "tool 1.2.3 x86_64-unknown-linux-gnu"
    );
    assert_eq!(ctx.github.api_request_count(), 0);
    // The cache is not read either: the asset is downloaded from the lock's URL.
    assert_eq!(ctx.github.download_request_count(), 1);
    assert_eq!(snapshot(&ctx.cache()), cache_before, "cache untouched");
    assert_eq!(std::fs::read_to_string(lock_path(&ctx)).unwrap(), lock_text);
    assert_eq!(
        std::fs::metadata(lock_path(&ctx))
            .unwrap()
            .modified()
            .unwrap(),
        lock_mtime
    );
    let mut top_after = outside_store(&ctx);
    top_after.retain(|n| n != "home");
    let mut expected = top_before.clone();
    expected.retain(|n| n != "home");
    assert_eq!(top_after, expected, "nothing new beside the store");
}

#[test]
fn frozen_leaves_the_cache_as_it_was() {
    let ctx = TestContext::new();
    locked_project(&ctx);
    // `lock` downloads nothing (digests), though it may remember the tag spelling it found.
    assert!(
        !ctx.cache().join("sha256").exists(),
        "digests: lock downloads nothing"
    );
    let before = snapshot(&ctx.cache());
    ctx.run(&["install", "--frozen", "--platform", LINUX])
        .success();
    assert_eq!(
        snapshot(&ctx.cache()),
        before,
        "--frozen wrote to the cache"
    );
    // --locked (not frozen) fills the cache as a plain install does.
    ctx.run(&["install", "--locked", "--platform", "macos-aarch64"])
        .success();
    assert!(ctx.cache().exists());
}

#[test]
fn lock_fails_without_writing_when_a_tool_cannot_be_resolved() {
    let ctx = TestContext::new();
    let (release, _) = multi_release("tool", "1.2.3", true);
    ctx.github.add_release("acme/tool", release);
    write_config(
        ctx.dir.path(),
        "[tools]\n\"acme/tool\" = \"1.2\"\n\"acme/missing\" = \"1\"\n",
    );
    let run = ctx.run(&["lock"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("acme/missing"), "{}", run.stderr);
    assert!(run.stderr.contains("was not written"), "{}", run.stderr);
    assert!(!lock_path(&ctx).exists());

    // A tool with no asset for any platform asked for is an error too.
    write_config(ctx.dir.path(), "[tools]\n\"acme/tool\" = \"1.2\"\n");
    let run = ctx.run(&["lock", "--platform", "linux-armv7-gnu"]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(!lock_path(&ctx).exists());
}

#[test]
fn a_spec_on_the_command_line_is_installed_as_asked_when_the_lock_is_stale() {
    let ctx = TestContext::new();
    for version in ["1.2.3", "1.3.0"] {
        let (release, _) = multi_release("tool", version, true);
        ctx.github.add_release("acme/tool", release);
    }
    write_config(ctx.dir.path(), "[tools]\n\"acme/tool\" = \"1.2\"\n");
    ctx.run(&["lock", "--platform", LINUX]).success();
    // toolget.toml moved on; the lock (pinning 1.2.3) is stale for acme/tool.
    write_config(ctx.dir.path(), "[tools]\n\"acme/tool\" = \"1.3\"\n");
    let run = ctx
        .run(&["install", "acme/tool@1.2.3", "--platform", LINUX, "--json"])
        .success();
    let line = &run.json_lines()[0];
    assert_eq!(
        line["version"], "1.2.3",
        "what was asked, not toolget.toml's"
    );
    assert_eq!(
        line["verified"], "github_digest",
        "the stale pin is not used"
    );
    // --locked refuses the stale lock outright.
    let run = ctx.run(&[
        "install",
        "acme/tool@1.2.3",
        "--locked",
        "--platform",
        LINUX,
    ]);
    assert_eq!(run.code, 10, "{}", run.stderr);
}

#[test]
fn lock_hashes_an_asset_whose_release_publishes_only_a_sha512_and_checks_it() {
    use sha2::Digest;
    let ctx = TestContext::new();
    let (release, files) = multi_release("tool", "1.2.3", false);
    let (name, bytes) = &files[0];
    let sha512 = hex::encode(sha2::Sha512::digest(bytes));
    let good = release
        .clone()
        .asset(FakeAsset::new(format!("{name}.sha512"), format!("{sha512}  {name}\n")).no_digest());
    ctx.github.add_release("acme/tool", good);
    write_config(ctx.dir.path(), "[tools]\n\"acme/tool\" = \"1.2.3\"\n");
    ctx.run(&["lock", "--platform", LINUX]).success();
    let lock = read_lock(&ctx);
    let entry = locked(&lock, "acme/tool", LINUX).unwrap();
    assert_eq!(
        entry["sha256"].as_str(),
        Some(archive::sha256_hex(bytes).as_str())
    );
    assert_eq!(entry["sha256_from"].as_str(), Some("download"));

    // A sha512 the download does not match fails the lock, which is not rewritten.
    let before = std::fs::read_to_string(lock_path(&ctx)).unwrap();
    let wrong = hex::encode(sha2::Sha512::digest(b"not it"));
    let bad = release
        .asset(FakeAsset::new(format!("{name}.sha512"), format!("{wrong}  {name}\n")).no_digest());
    ctx.github.add_release("acme/tool", bad);
    let run = ctx.run(&["lock", "--platform", LINUX]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(lock_path(&ctx)).unwrap(), before);
}
