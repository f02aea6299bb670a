//! Store tests on real files, real file locks and a real child process.

// A failed unwrap is a failed test, which is what we want here.
#![allow(clippy::unwrap_used)]

use super::*;
use std::cell::Cell;
use std::process::Command;
use std::time::Instant;

fn new_store() -> (tempfile::TempDir, Store) {
    let home = tempfile::tempdir().unwrap();
    let store = Store::open(home.path().join("home")).unwrap();
    (home, store)
}

fn rg() -> ToolId {
    ToolId::new("BurntSushi", "ripgrep")
}

fn receipt(version: &str, files: &[&str]) -> Receipt {
    Receipt {
        spec: "github:BurntSushi/ripgrep".into(),
        repo: "BurntSushi/ripgrep".into(),
        tag: format!("v{version}"),
        version: version.into(),
        platform: "linux-x86_64-musl".into(),
        asset: format!("ripgrep-{version}-x86_64-unknown-linux-musl.tar.gz"),
        url: "https://example.invalid/rg.tar.gz".into(),
        size: 42,
        sha256: "ab".repeat(32),
        verified: Verification::GithubDigest,
        verified_with: None,
        exe: vec!["rg".into()],
        files: files.iter().map(ToString::to_string).collect(),
        installed_at: "2025-01-01T00:00:00Z".into(),
        toolget_version: "0.1.0".into(),
        extract_all: false,
    }
}

/// Stage `files` (relative path -> contents) and commit them as `version`.
fn install(
    store: &Store,
    id: &ToolId,
    version: &str,
    files: &[(&str, &str)],
    replace: bool,
) -> Result<PathBuf, StoreError> {
    let lock = store.lock(id)?;
    let staging = store.staging()?;
    for (path, contents) in files {
        let path = staging.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }
    let names: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
    store.commit(
        &lock,
        staging,
        id,
        version,
        &receipt(version, &names),
        replace,
    )
}

fn entries(dir: &Path) -> Vec<String> {
    list_dir(dir).unwrap().into_iter().map(|(n, _)| n).collect()
}

#[test]
fn component_validation_rejects_path_tricks() {
    for bad in [
        "", ".", "..", "../x", "a/b", "a\\b", "a\0b", ".lock", ".active",
    ] {
        let err = check_component("version", bad).unwrap_err();
        assert!(
            matches!(err, StoreError::InvalidName { .. }),
            "{bad:?} accepted"
        );
    }
    for good in [
        "14.1.0",
        "v1.2.3-rc.1",
        "jq-1.7.1",
        "2024-09-07",
        "1.0~beta",
    ] {
        check_component("version", good).unwrap();
    }

    let (_home, store) = new_store();
    let err = store.version_dir(&rg(), "../x").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid version `../x`: contains a path separator"
    );
    assert!(store.version_dir(&ToolId::new("..", "x"), "1.0").is_err());
    assert!(store.version_dir(&ToolId::new("a", ""), "1.0").is_err());
    assert!(store.version_dir(&ToolId::new("a~b", "x"), "1.0").is_err());
    assert!(store.version_dir(&rg().with_variant("a/b"), "1.0").is_err());
    assert!(store.link_bin("../rg", &store.root().join("x")).is_err());
    assert!(!store.root().exists(), "rejected names must create nothing");
}

#[test]
fn ids_are_case_insensitive_and_display_variants() {
    let (_home, store) = new_store();
    let a = store.version_dir(&ToolId::new("BurntSushi", "RipGrep"), "14.1.0");
    let b = store.version_dir(&ToolId::new("burntsushi", "ripgrep"), "14.1.0");
    assert_eq!(a.unwrap(), b.unwrap());
    // Fields set by hand are lowercased for the directory too.
    let by_hand = ToolId {
        owner: "BurntSushi".into(),
        repo: "ripgrep".into(),
        variant: None,
    };
    assert_eq!(
        store.tool_dir(&by_hand).unwrap(),
        store.tools_dir().join("burntsushi/ripgrep")
    );

    assert_eq!(rg().to_string(), "burntsushi/ripgrep");
    let variant = ToolId::new("Astral-sh", "uv").with_variant("uvx");
    assert_eq!(variant.to_string(), "astral-sh/uv~uvx");
    assert_eq!(
        store.tool_dir(&variant).unwrap(),
        store.tools_dir().join("astral-sh/uv~uvx")
    );
    assert_eq!(ToolId::from_dir_names("astral-sh", "uv~uvx"), variant);
}

#[test]
fn open_rejects_a_file_and_creates_nothing() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("file");
    fs::write(&file, "").unwrap();
    assert!(matches!(
        Store::open(&file),
        Err(StoreError::RootNotADirectory { .. })
    ));
    let store = Store::open(home.path().join("fresh")).unwrap();
    assert_eq!(store.installed().unwrap().len(), 0);
    assert!(!store.is_installed(&rg(), "1.0.0"));
    assert!(!store.root().exists());
}

#[test]
fn dropped_staging_leaves_nothing_behind() {
    let (_home, store) = new_store();
    let staging = store.staging().unwrap();
    fs::create_dir_all(staging.path().join("bin")).unwrap();
    fs::write(staging.path().join("bin/rg"), "#!/bin/sh").unwrap();
    let temp = store.temp_file().unwrap();
    assert_eq!(entries(&store.staging_dir()).len(), 2);
    drop(staging);
    drop(temp);
    assert!(entries(&store.staging_dir()).is_empty());
    assert!(entries(&store.tools_dir()).is_empty());
}

#[test]
fn commit_places_the_version_with_its_receipt_in_one_rename() {
    let (_home, store) = new_store();
    let id = rg();
    let target = store.version_dir(&id, "14.1.0").unwrap();
    let lock = store.lock(&id).unwrap();
    let staging = store.staging().unwrap();
    fs::create_dir_all(staging.path().join("bin")).unwrap();
    fs::write(staging.path().join("bin/rg"), "rg 14").unwrap();
    let staged_path = staging.path().to_path_buf();

    // Observe the world at the moment of the rename: nothing visible yet, receipt in place.
    let renames = Cell::new(0);
    let placed = store
        .commit_with(
            &lock,
            staging,
            &id,
            "14.1.0",
            &receipt("14.1.0", &["bin/rg"]),
            false,
            &|from, to| {
                renames.set(renames.get() + 1);
                assert_eq!(from, staged_path);
                assert!(!to.exists(), "version visible before the rename");
                assert!(from.join(RECEIPT_FILE).is_file(), "receipt written after");
                fs::rename(from, to)
            },
        )
        .unwrap();

    assert_eq!(renames.get(), 1);
    assert_eq!(placed, target);
    assert_eq!(fs::read_to_string(target.join("bin/rg")).unwrap(), "rg 14");
    assert!(store.is_installed(&id, "14.1.0"));
    assert_eq!(
        store.read_receipt(&id, "14.1.0").unwrap(),
        receipt("14.1.0", &["bin/rg"])
    );
    assert!(entries(&store.staging_dir()).is_empty());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o755, "installs must be readable by others");
    }
}

#[test]
fn commit_refuses_to_overwrite_without_replace() {
    let (_home, store) = new_store();
    let id = rg();
    install(&store, &id, "14.1.0", &[("bin/rg", "old")], false).unwrap();
    let err = install(&store, &id, "14.1.0", &[("bin/rg", "new")], false).unwrap_err();
    assert!(matches!(err, StoreError::AlreadyInstalled { .. }), "{err}");
    assert_eq!(err.hint().unwrap(), "pass --force to reinstall");
    let dir = store.version_dir(&id, "14.1.0").unwrap();
    assert_eq!(fs::read_to_string(dir.join("bin/rg")).unwrap(), "old");
    assert!(entries(&store.staging_dir()).is_empty());
}

#[test]
fn commit_with_replace_swaps_in_the_new_version() {
    let (_home, store) = new_store();
    let id = rg();
    install(
        &store,
        &id,
        "14.1.0",
        &[("bin/rg", "old"), ("old-only", "x")],
        false,
    )
    .unwrap();
    let dir = install(&store, &id, "14.1.0", &[("bin/rg", "new")], true).unwrap();
    assert_eq!(fs::read_to_string(dir.join("bin/rg")).unwrap(), "new");
    assert!(!dir.join("old-only").exists());
    assert!(
        entries(&store.staging_dir()).is_empty(),
        "old copy not deleted"
    );
}

#[test]
fn commit_replaces_a_leftover_without_receipt() {
    let (_home, store) = new_store();
    let id = rg();
    let dir = store.version_dir(&id, "14.1.0").unwrap();
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("junk"), "").unwrap();
    assert!(!store.is_installed(&id, "14.1.0"));
    install(&store, &id, "14.1.0", &[("bin/rg", "new")], false).unwrap();
    assert!(store.is_installed(&id, "14.1.0"));
    assert!(!dir.join("junk").exists());
}

#[test]
fn commit_with_replace_keeps_the_old_version_when_the_new_cannot_be_placed() {
    let (_home, store) = new_store();
    let id = rg();
    install(&store, &id, "14.1.0", &[("bin/rg", "old")], false).unwrap();

    let lock = store.lock(&id).unwrap();
    let staging = store.staging().unwrap();
    fs::write(staging.path().join("rg"), "new").unwrap();
    let staged = staging.path().to_path_buf();
    let err = store
        .commit_with(
            &lock,
            staging,
            &id,
            "14.1.0",
            &receipt("14.1.0", &["rg"]),
            true,
            &|from, to| {
                if from == staged {
                    return Err(io::Error::other("disk on fire"));
                }
                fs::rename(from, to)
            },
        )
        .unwrap_err();

    assert!(
        matches!(
            err,
            StoreError::CommitFailed {
                kept_previous: true,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().ends_with("the previous install was kept"));
    let dir = store.version_dir(&id, "14.1.0").unwrap();
    assert_eq!(fs::read_to_string(dir.join("bin/rg")).unwrap(), "old");
    assert_eq!(store.read_receipt(&id, "14.1.0").unwrap().files, ["bin/rg"]);
    assert!(
        entries(&store.staging_dir()).is_empty(),
        "new staging not cleaned"
    );
}

#[test]
fn commit_requires_the_lock_of_that_tool() {
    let (_home, store) = new_store();
    let other = ToolId::new("sharkdp", "fd");
    let lock = store.lock(&other).unwrap();
    let staging = store.staging().unwrap();
    let err = store
        .commit(
            &lock,
            staging,
            &rg(),
            "1.0.0",
            &receipt("1.0.0", &[]),
            false,
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::WrongLock { .. }), "{err}");
    assert!(!store.version_dir(&rg(), "1.0.0").unwrap().exists());
}

#[test]
fn receipt_is_readable_toml() {
    let (_home, store) = new_store();
    let mut r = receipt("14.1.0", &["bin/rg"]);
    r.verified = Verification::ChecksumFile;
    r.verified_with = Some("SHA256SUMS".into());
    let id = rg();
    let lock = store.lock(&id).unwrap();
    let dir = store
        .commit(&lock, store.staging().unwrap(), &id, "14.1.0", &r, false)
        .unwrap();
    let text = fs::read_to_string(dir.join(RECEIPT_FILE)).unwrap();
    assert!(text.contains("verified = \"checksum_file\""), "{text}");
    assert!(text.contains("verified_with = \"SHA256SUMS\""), "{text}");
    assert!(text.contains("repo = \"BurntSushi/ripgrep\""), "{text}");
    assert_eq!(store.read_receipt(&id, "14.1.0").unwrap(), r);

    fs::write(dir.join(RECEIPT_FILE), "spec = 3").unwrap();
    let err = store.read_receipt(&id, "14.1.0").unwrap_err();
    assert!(matches!(err, StoreError::ReceiptInvalid { .. }), "{err}");
    assert!(!store.is_installed(&id, "14.1.0"));
}

#[test]
fn active_version_round_trips_and_needs_an_install() {
    let (_home, store) = new_store();
    let id = rg();
    assert_eq!(store.active_version(&id), None);
    install(&store, &id, "14.1.0", &[("rg", "")], false).unwrap();
    let lock = store.lock(&id).unwrap();
    store.set_active(&lock, &id, "14.1.0").unwrap();
    assert_eq!(store.active_version(&id).as_deref(), Some("14.1.0"));
    let err = store.set_active(&lock, &id, "15.0.0").unwrap_err();
    assert!(matches!(err, StoreError::NotInstalled { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "burntsushi/ripgrep 15.0.0 is not installed"
    );
    assert_eq!(store.active_version(&id).as_deref(), Some("14.1.0"));
    assert!(entries(&store.staging_dir()).is_empty());
}

#[test]
fn link_bin_makes_relative_links_and_replaces_them_atomically() {
    let (_home, store) = new_store();
    let id = rg();
    let v14 = install(&store, &id, "14.0.0", &[("bin/rg", "14")], false).unwrap();
    let v15 = install(&store, &id, "15.0.0", &[("bin/rg", "15")], false).unwrap();

    let link = store.link_bin("rg", &v14.join("bin/rg")).unwrap();
    assert_eq!(link, store.bin_dir().join("rg"));
    assert_eq!(
        fs::read_link(&link).unwrap(),
        Path::new("../tools-v1/burntsushi/ripgrep/14.0.0/bin/rg")
    );
    assert_eq!(fs::read_to_string(&link).unwrap(), "14");

    store.link_bin("rg", &v15.join("bin/rg")).unwrap();
    assert_eq!(fs::read_to_string(&link).unwrap(), "15");
    assert_eq!(entries(&store.bin_dir()), ["rg"], "temp link left behind");
    assert_eq!(
        store.which("rg").unwrap(),
        fs::canonicalize(v15.join("bin/rg")).unwrap()
    );
    assert!(store.which("rg").unwrap().is_absolute());

    // The home can move: the relative link still resolves.
    let moved = store.root().with_file_name("moved");
    fs::rename(store.root(), &moved).unwrap();
    let moved_store = Store::open(&moved).unwrap();
    assert_eq!(
        fs::read_to_string(moved_store.bin_dir().join("rg")).unwrap(),
        "15"
    );
}

#[test]
fn link_bin_refuses_foreign_files_and_outside_targets() {
    let (home, store) = new_store();
    let v = install(&store, &rg(), "14.0.0", &[("bin/rg", "14")], false).unwrap();
    fs::create_dir_all(store.bin_dir()).unwrap();
    fs::write(store.bin_dir().join("mine"), "user's own").unwrap();
    let err = store.link_bin("mine", &v.join("bin/rg")).unwrap_err();
    assert!(matches!(err, StoreError::BinOccupied { .. }), "{err}");
    assert_eq!(
        fs::read_to_string(store.bin_dir().join("mine")).unwrap(),
        "user's own"
    );
    assert!(matches!(
        store.unlink_bin("mine"),
        Err(StoreError::BinOccupied { .. })
    ));

    let outside = home.path().join("elsewhere");
    let err = store.link_bin("rg", &outside).unwrap_err();
    assert!(
        matches!(err, StoreError::TargetOutsideStore { .. }),
        "{err}"
    );
    let sneaky = store.root().join("tools-v1/../../elsewhere");
    assert!(matches!(
        store.link_bin("rg", &sneaky),
        Err(StoreError::TargetOutsideStore { .. })
    ));
    assert!(!store.bin_dir().join("rg").exists());
}

#[test]
fn which_tells_missing_from_dangling() {
    let (_home, store) = new_store();
    let missing = store.which("rg").unwrap_err();
    assert!(matches!(missing, StoreError::NotLinked { .. }));
    assert!(missing.to_string().starts_with("no executable `rg` in `"));

    let v = install(&store, &rg(), "14.0.0", &[("bin/rg", "14")], false).unwrap();
    store.link_bin("rg", &v.join("bin/rg")).unwrap();
    fs::remove_file(v.join("bin/rg")).unwrap();
    let dangling = store.which("rg").unwrap_err();
    match &dangling {
        StoreError::DanglingLink { target, .. } => assert_eq!(target, &v.join("bin/rg")),
        other => panic!("expected a dangling link, got {other}"),
    }
    assert!(dangling.to_string().ends_with("which does not exist"));
    assert_ne!(missing.hint(), dangling.hint());

    assert!(store.unlink_bin("rg").unwrap());
    assert!(!store.unlink_bin("rg").unwrap());
    assert!(matches!(
        store.which("rg"),
        Err(StoreError::NotLinked { .. })
    ));
}

#[test]
fn try_lock_sees_a_lock_held_in_this_process() {
    let (_home, store) = new_store();
    let held = store.lock(&rg()).unwrap();
    assert_eq!(held.id(), &rg());
    assert!(store.try_lock(&rg()).unwrap().is_none());
    // Other tools are independent.
    assert!(
        store
            .try_lock(&ToolId::new("sharkdp", "fd"))
            .unwrap()
            .is_some()
    );
    drop(held);
    assert!(store.try_lock(&rg()).unwrap().is_some());
}

const CHILD_ROOT_VAR: &str = "TOOLGET_STORE_TEST_LOCK_ROOT";

/// Not a test on its own: `lock_excludes_another_process` runs it in a child process to hold
/// the lock. Handshake through files: `holding` once locked, then wait for `go`, then linger
/// and write `released` just before letting go.
#[test]
#[ignore = "helper run by lock_excludes_another_process"]
fn child_lock_holder() {
    let Some(root) = std::env::var_os(CHILD_ROOT_VAR) else {
        return;
    };
    let root = PathBuf::from(root);
    let store = Store::open(root.join("home")).unwrap();
    let lock = store.lock(&rg()).unwrap();
    fs::write(root.join("holding"), "").unwrap();
    wait_for(&root.join("go"));
    std::thread::sleep(Duration::from_millis(300));
    fs::write(root.join("released"), "").unwrap();
    drop(lock);
}

fn wait_for(path: &Path) {
    let deadline = Instant::now() + Duration::from_mins(1);
    while !path.exists() {
        assert!(Instant::now() < deadline, "gave up waiting for {path:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn lock_excludes_another_process() {
    let (home, store) = new_store();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "store::tests::child_lock_holder",
            "--ignored",
            "--test-threads=1",
        ])
        .env(CHILD_ROOT_VAR, home.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_for(&home.path().join("holding"));

    assert!(
        store.try_lock(&rg()).unwrap().is_none(),
        "try_lock got a lock another process holds"
    );
    fs::write(home.path().join("go"), "").unwrap();
    let lock = store.lock(&rg()).unwrap();
    // The child writes `released` while still holding the lock, so it must exist by now.
    assert!(
        home.path().join("released").exists(),
        "lock() returned while the other process held the lock"
    );
    drop(lock);
    assert!(child.wait().unwrap().success());
}

#[test]
fn lock_survives_uninstall_removing_the_lock_file() {
    let (_home, store) = new_store();
    let id = rg();
    install(&store, &id, "1.0.0", &[("rg", "")], false).unwrap();
    let lock = store.lock(&id).unwrap();
    store.uninstall(&lock, &id, None).unwrap();
    assert!(!store.tool_dir(&id).unwrap().exists());
    // A new lock works and is exclusive again, on a fresh lock file.
    drop(lock);
    let again = store.lock(&id).unwrap();
    assert!(store.try_lock(&id).unwrap().is_none());
    drop(again);
}

/// Two versions of ripgrep (the newer archive tree differs), fd, and links to each.
fn two_tools(store: &Store) -> (ToolId, ToolId) {
    let (rg, fd) = (rg(), ToolId::new("sharkdp", "fd"));
    for v in ["1.9.0", "1.10.0"] {
        let root = format!("ripgrep-{v}/rg");
        let dir = install(store, &rg, v, &[(&root, v), ("doc/rg.1", "man")], false).unwrap();
        let lock = store.lock(&rg).unwrap();
        store.set_active(&lock, &rg, v).unwrap();
        store.link_bin("rg", &dir.join(&root)).unwrap();
        store.link_bin("rg-man", &dir.join("doc/rg.1")).unwrap();
    }
    let dir = install(store, &fd, "10.0.0", &[("fd", "fd")], false).unwrap();
    store.link_bin("fd", &dir.join("fd")).unwrap();
    (rg, fd)
}

#[test]
fn uninstalling_the_active_version_repoints_links_to_the_newest_remaining() {
    let (_home, store) = new_store();
    let (rg, _fd) = two_tools(&store);
    install(&store, &rg, "1.2.0", &[("rg", "1.2.0")], false).unwrap();
    assert_eq!(
        fs::read_to_string(store.bin_dir().join("rg")).unwrap(),
        "1.10.0"
    );

    let lock = store.lock(&rg).unwrap();
    let removed = store.uninstall(&lock, &rg, Some("1.10.0")).unwrap();
    assert_eq!(removed, ["1.10.0"]);
    assert!(!store.version_dir(&rg, "1.10.0").unwrap().exists());
    // 1.9.0 is newer than 1.2.0; its archive tree is `ripgrep-1.9.0/rg`, found via the receipt.
    assert_eq!(
        fs::read_to_string(store.bin_dir().join("rg")).unwrap(),
        "1.9.0"
    );
    assert_eq!(
        store.which("rg-man").unwrap(),
        fs::canonicalize(store.version_dir(&rg, "1.9.0").unwrap().join("doc/rg.1")).unwrap()
    );
    assert_eq!(store.active_version(&rg).as_deref(), Some("1.9.0"));
    assert_eq!(
        fs::read_to_string(store.bin_dir().join("fd")).unwrap(),
        "fd"
    );
    assert!(entries(&store.staging_dir()).is_empty());

    // 1.2.0 has no `doc/rg.1`: that link goes, `rg` follows by name.
    store.uninstall(&lock, &rg, Some("1.9.0")).unwrap();
    assert_eq!(
        fs::read_to_string(store.bin_dir().join("rg")).unwrap(),
        "1.2.0"
    );
    assert_eq!(entries(&store.bin_dir()), ["fd", "rg"]);
    assert_eq!(store.active_version(&rg).as_deref(), Some("1.2.0"));
}

#[test]
fn uninstalling_an_inactive_version_keeps_the_active_one() {
    let (_home, store) = new_store();
    let (rg, _fd) = two_tools(&store);
    let lock = store.lock(&rg).unwrap();
    store.uninstall(&lock, &rg, Some("1.9.0")).unwrap();
    assert_eq!(store.active_version(&rg).as_deref(), Some("1.10.0"));
    assert_eq!(
        fs::read_to_string(store.bin_dir().join("rg")).unwrap(),
        "1.10.0"
    );
    let err = store.uninstall(&lock, &rg, Some("1.9.0")).unwrap_err();
    assert!(matches!(err, StoreError::NotInstalled { .. }), "{err}");
}

#[test]
fn uninstalling_all_removes_the_tool_and_only_its_links() {
    let (_home, store) = new_store();
    let (rg, fd) = two_tools(&store);
    let lock = store.lock(&rg).unwrap();
    let mut removed = store.uninstall(&lock, &rg, None).unwrap();
    removed.sort();
    assert_eq!(removed, ["1.10.0", "1.9.0"]);
    assert!(!store.tool_dir(&rg).unwrap().exists());
    assert!(!store.tools_dir().join("burntsushi").exists());
    assert_eq!(entries(&store.bin_dir()), ["fd"]);
    assert_eq!(
        fs::read_to_string(store.bin_dir().join("fd")).unwrap(),
        "fd"
    );
    let listed: Vec<ToolId> = store
        .installed()
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(listed, [fd]);
    let err = store.uninstall(&lock, &rg, None).unwrap_err();
    assert_eq!(err.to_string(), "burntsushi/ripgrep is not installed");
}

#[test]
fn installed_lists_tools_versions_and_active_and_skips_leftovers() {
    let (_home, store) = new_store();
    let (rg, fd) = two_tools(&store);
    let uvx = ToolId::new("astral-sh", "uv").with_variant("uvx");
    install(&store, &uvx, "0.5.0", &[("uvx", "")], false).unwrap();
    // Leftovers: a version dir without receipt, one with a broken receipt, a tool with only
    // a leftover.
    fs::create_dir_all(store.version_dir(&rg, "2.0.0").unwrap()).unwrap();
    let broken = store.version_dir(&rg, "3.0.0").unwrap();
    fs::create_dir_all(&broken).unwrap();
    fs::write(broken.join(RECEIPT_FILE), "not = [toml").unwrap();
    fs::create_dir_all(store.version_dir(&ToolId::new("x", "y"), "1.0").unwrap()).unwrap();

    let tools = store.installed().unwrap();
    let summary: Vec<(String, Vec<&str>, Option<&str>)> = tools
        .iter()
        .map(|t| {
            (
                t.id.to_string(),
                t.versions.iter().map(|v| v.version.as_str()).collect(),
                t.active.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("astral-sh/uv~uvx".to_string(), vec!["0.5.0"], None),
            (
                "burntsushi/ripgrep".to_string(),
                vec!["1.9.0", "1.10.0"],
                Some("1.10.0")
            ),
            ("sharkdp/fd".to_string(), vec!["10.0.0"], None),
        ]
    );
    assert_eq!(tools[1].versions[1].receipt.version, "1.10.0");
    assert_eq!(
        tools[1].versions[1].path,
        store.version_dir(&rg, "1.10.0").unwrap()
    );
    assert_eq!(tools[2].id, fd);
    assert!(!store.is_installed(&rg, "2.0.0"));
}

/// Backdate `path` by `age` (files and directories alike).
fn age(path: &Path, age: Duration) {
    let when = SystemTime::now() - age;
    let file = File::open(path).unwrap();
    file.set_times(fs::FileTimes::new().set_modified(when).set_accessed(when))
        .unwrap();
}

#[test]
fn sweep_removes_only_stale_staging_entries() {
    let (_home, store) = new_store();
    let hour = Duration::from_hours(1);
    let stale_dir = store.staging().unwrap();
    fs::write(stale_dir.path().join("partial"), "x").unwrap();
    let stale_dir = stale_dir.take().unwrap().keep(); // as a crashed install would leave it
    age(&stale_dir, 2 * hour);
    let (_, stale_file) = store.temp_file().unwrap().keep().unwrap();
    age(&stale_file, 2 * hour);
    let fresh = store.staging().unwrap();
    let fresh_file = store.temp_file().unwrap();

    let v = install(&store, &rg(), "14.0.0", &[("rg", "")], false).unwrap();
    store.link_bin("rg", &v.join("rg")).unwrap();
    let stale_link = store.bin_dir().join(".rg.tmp-0123");
    symlink(Path::new("../nowhere"), &stale_link).unwrap();
    // A leftover version dir without receipt is not the sweep's business.
    let leftover = store.version_dir(&rg(), "0.1.0").unwrap();
    fs::create_dir_all(&leftover).unwrap();
    age(&leftover, 2 * hour);

    // Symlink times cannot be set portably; an age of zero makes the temp link stale.
    assert_eq!(store.sweep(hour).unwrap(), 2);
    assert!(!stale_dir.exists());
    assert!(!stale_file.exists());
    assert!(fresh.path().exists());
    assert!(fresh_file.path().exists());
    assert!(
        fs::symlink_metadata(&stale_link).is_ok(),
        "fresh temp link swept"
    );
    assert!(leftover.exists());

    drop(fresh);
    drop(fresh_file);
    assert_eq!(store.sweep(Duration::ZERO).unwrap(), 1);
    assert!(fs::symlink_metadata(&stale_link).is_err());
    assert_eq!(entries(&store.bin_dir()), ["rg"]);
    assert!(store.is_installed(&rg(), "14.0.0"));
}

#[test]
fn versions_sort_numerically_with_prereleases_first() {
    let mut versions = vec![
        "1.10.0",
        "1.9.0",
        "v1.2.0",
        "1.0.0",
        "1.0.0-rc.1",
        "1.0.0-beta",
        "0.9",
        "2024-01-05",
        "2023-12-31",
        "jq-1.7.1",
        "jq-1.6",
    ];
    versions.sort_by(|a, b| compare_versions(a, b));
    assert_eq!(
        versions,
        [
            "0.9",
            "1.0.0-beta",
            "1.0.0-rc.1",
            "1.0.0",
            "v1.2.0",
            "1.9.0",
            "1.10.0",
            "2023-12-31",
            "2024-01-05",
            "jq-1.6",
            "jq-1.7.1",
        ]
    );
}

#[test]
fn a_failed_restore_keeps_the_old_install_aside_and_says_where() {
    let (_home, store) = new_store();
    let id = rg();
    let dir = install(&store, &id, "14.1.0", &[("bin/rg", "old")], false).unwrap();
    let lock = store.lock(&id).unwrap();
    let staging = store.staging().unwrap();
    let staged = staging.path().to_path_buf();
    let err = store
        .commit_with(
            &lock,
            staging,
            &id,
            "14.1.0",
            &receipt("14.1.0", &[]),
            true,
            &|from, to| {
                // Moving aside works; placing the new one and moving back both fail.
                if from == staged || to == dir {
                    return Err(io::Error::other("disk on fire"));
                }
                fs::rename(from, to)
            },
        )
        .unwrap_err();
    let StoreError::RestoreFailed { aside, .. } = &err else {
        panic!("expected RestoreFailed, got {err}");
    };
    assert_eq!(fs::read_to_string(aside.join("bin/rg")).unwrap(), "old");
    assert!(err.hint().unwrap().contains(&aside.display().to_string()));
}

fn staged(store: &Store, contents: &str) -> Staging {
    let staging = store.staging().unwrap();
    fs::create_dir_all(staging.path().join("bin")).unwrap();
    fs::write(staging.path().join("bin/rg"), contents).unwrap();
    staging
}

#[cfg(target_os = "linux")]
#[test]
fn a_forced_replace_is_one_exchange_and_rolls_back_by_exchanging_again() {
    let (_home, store) = new_store();
    let id = rg();
    let dir = install(&store, &id, "14.1.0", &[("bin/rg", "old")], false).unwrap();
    let lock = store.lock(&id).unwrap();

    // Placed: the new copy is in, the old one waits in staging until finish or rollback.
    let placed = store
        .place(
            &lock,
            staged(&store, "new"),
            &id,
            "14.1.0",
            &receipt("14.1.0", &["bin/rg"]),
            true,
        )
        .unwrap();
    assert_eq!(fs::read_to_string(dir.join("bin/rg")).unwrap(), "new");
    assert_eq!(
        entries(&store.staging_dir()).len(),
        1,
        "the old copy is kept"
    );
    placed.rollback().unwrap();
    assert_eq!(fs::read_to_string(dir.join("bin/rg")).unwrap(), "old");
    assert!(entries(&store.staging_dir()).is_empty());

    // Finished: the old copy is gone.
    let placed = store
        .place(
            &lock,
            staged(&store, "new"),
            &id,
            "14.1.0",
            &receipt("14.1.0", &["bin/rg"]),
            true,
        )
        .unwrap();
    placed.finish();
    assert_eq!(fs::read_to_string(dir.join("bin/rg")).unwrap(), "new");
    assert!(entries(&store.staging_dir()).is_empty());
}

#[test]
fn a_new_version_placed_then_rolled_back_leaves_nothing() {
    let (_home, store) = new_store();
    let id = rg();
    let lock = store.lock(&id).unwrap();
    let placed = store
        .place(
            &lock,
            staged(&store, "new"),
            &id,
            "15.0.0",
            &receipt("15.0.0", &["bin/rg"]),
            false,
        )
        .unwrap();
    assert!(store.is_installed(&id, "15.0.0"));
    placed.rollback().unwrap();
    assert!(!store.is_installed(&id, "15.0.0"));
    assert!(store.version_names(&id).unwrap().is_empty());
    assert!(entries(&store.staging_dir()).is_empty());
}

#[test]
fn activate_switches_active_and_links_together_or_puts_them_back() {
    let (_home, store) = new_store();
    let id = rg();
    let v14 = install(
        &store,
        &id,
        "14.1.0",
        &[("bin/rg", "14"), ("bin/rga", "14")],
        false,
    )
    .unwrap();
    let v15 = install(
        &store,
        &id,
        "15.0.0",
        &[("bin/rg", "15"), ("bin/rga", "15")],
        false,
    )
    .unwrap();
    let lock = store.lock(&id).unwrap();
    let links = |dir: &Path| {
        vec![
            ("rg".to_string(), dir.join("bin/rg")),
            ("rga".to_string(), dir.join("bin/rga")),
        ]
    };
    store
        .activate(&lock, &id, "14.1.0", &links(&v14), false)
        .unwrap();
    assert_eq!(store.active_version(&id).as_deref(), Some("14.1.0"));

    // The second link cannot be made (a directory is in its way): the first link and
    // `.active` go back to 14.
    fs::remove_file(store.bin_dir().join("rga")).unwrap();
    fs::create_dir(store.bin_dir().join("rga")).unwrap();
    let err = store
        .activate(&lock, &id, "15.0.0", &links(&v15), true)
        .unwrap_err();
    assert!(matches!(err, StoreError::BinOccupied { .. }), "{err}");
    assert_eq!(
        fs::read_to_string(store.bin_dir().join("rg")).unwrap(),
        "14"
    );
    assert_eq!(store.active_version(&id).as_deref(), Some("14.1.0"));

    // A name owned by another installed tool is refused before anything changes.
    fs::remove_dir(store.bin_dir().join("rga")).unwrap();
    let fd = ToolId::new("sharkdp", "fd");
    let fd_dir = install(&store, &fd, "10.0.0", &[("bin/rga", "fd's")], false).unwrap();
    store.link_bin("rga", &fd_dir.join("bin/rga")).unwrap();
    let err = store
        .activate(&lock, &id, "15.0.0", &links(&v15), false)
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::BinOwned { owner, .. } if owner == "sharkdp/fd"),
        "{err}"
    );
    assert_eq!(store.active_version(&id).as_deref(), Some("14.1.0"));
    assert_eq!(store.bin_owner("rga").unwrap(), BinOwner::Tool(fd));
    assert_eq!(store.bin_owner("rg").unwrap(), BinOwner::Tool(id.clone()));
}

#[test]
fn foreign_shelves_are_apart_and_never_linked() {
    let (_home, store) = new_store();
    let id = rg();
    let windows = store.foreign("windows-x86_64").unwrap();
    let dir = install(&windows, &id, "14.1.0", &[("bin/rg.exe", "pe")], false).unwrap();
    assert!(dir.starts_with(store.root().join("foreign-v1/windows-x86_64")));
    assert!(
        !store.is_installed(&id, "14.1.0"),
        "not on the host's shelf"
    );
    assert_eq!(store.foreign_platforms().unwrap(), ["windows-x86_64"]);
    let lock = windows.lock(&id).unwrap();
    let err = windows
        .activate(
            &lock,
            &id,
            "14.1.0",
            &[("rg.exe".into(), dir.join("bin/rg.exe"))],
            true,
        )
        .unwrap_err();
    assert!(
        matches!(err, StoreError::ForeignNotLinkable { .. }),
        "{err}"
    );
    assert!(entries(&store.bin_dir()).is_empty());
    assert!(store.foreign("../x").is_err());
    assert!(store.foreign("linux\nx").is_err());
}
