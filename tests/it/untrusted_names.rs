//! Names from a release are untrusted (issue 9 item 7, output half; issue 16 finding 1's
//! "bounded names"): a tag or asset name holding an escape sequence, a newline or 100 KiB of
//! text reaches the terminal and `--json` escaped and bounded, never raw.

use crate::lockfile::LINUX;
use crate::support::TestContext;
use crate::support::archive::{self, exe, script};
use crate::support::fake_github::{FakeAsset, FakeRelease};

const ESC_RED: &str = "\x1b[31m";

/// No raw escape or control character, and no line longer than a bounded name allows.
#[track_caller]
fn clean(label: &str, text: &str) {
    assert!(
        !text
            .bytes()
            .any(|b| b == 0x1b || (b < 0x20 && b != b'\n' && b != b'\t')),
        "{label} holds a raw control character: {text:?}"
    );
    assert!(
        text.len() < 16 * 1024,
        "{label} is {} bytes: a 100 KiB name was printed whole",
        text.len()
    );
}

fn hostile_release(ctx: &TestContext) -> String {
    let tag = format!("v1.0.0{ESC_RED}\nINJECTED");
    let long = format!("tool-{}-linux-x86_64.tar.gz", "A".repeat(100 * 1024));
    let bytes = archive::tar_gz(&[exe("tool", script("tool"))]);
    ctx.github.add_release(
        "acme/tool",
        FakeRelease::new(tag.clone())
            .asset(FakeAsset::new(
                format!("tool{ESC_RED}\n-linux-x86_64.tar.gz"),
                bytes.clone(),
            ))
            .asset(FakeAsset::new(long, bytes)),
    );
    tag
}

#[test]
fn hostile_tag_and_asset_names_are_escaped_and_bounded_in_every_output() {
    let ctx = TestContext::new();
    hostile_release(&ctx);
    // Two assets for one platform: the ambiguity error lists both names.
    for args in [
        vec!["resolve", "acme/tool", "--platform", LINUX],
        vec!["resolve", "acme/tool", "--platform", LINUX, "--json"],
        vec!["resolve", "acme/tool", "--platform", LINUX, "--explain"],
        vec!["install", "acme/tool", "--platform", LINUX],
        vec!["install", "acme/tool", "--platform", LINUX, "--json"],
        vec!["versions", "acme/tool"],
    ] {
        let run = ctx.run(&args);
        clean(&format!("{args:?} stdout"), &run.stdout);
        clean(&format!("{args:?} stderr"), &run.stderr);
        assert!(
            !run.stdout.contains("\nINJECTED") && !run.stderr.contains("\nINJECTED"),
            "{args:?}: a newline from the tag reached the output"
        );
    }
    // The human ambiguity message shows the escaped spelling and the truncation mark.
    let run = ctx.run(&["resolve", "acme/tool", "--platform", LINUX]);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains("\\x1b[31m\\n"), "{all}");
    assert!(all.contains("…("), "{all}");
}

#[test]
fn one_hostile_asset_installs_with_escaped_names_in_the_output() {
    let ctx = TestContext::new();
    let bytes = archive::tar_gz(&[exe("tool", script("tool"))]);
    let asset = format!("tool{ESC_RED}-linux-x86_64.tar.gz");
    let sums = format!("{}  {asset}\n", archive::sha256_hex(&bytes));
    ctx.github.add_release(
        "acme/tool",
        FakeRelease::new("v2.0.0")
            .asset(FakeAsset::new(asset.clone(), bytes).no_digest())
            .asset(FakeAsset::new(format!("sums{ESC_RED}.sha256"), sums).no_digest()),
    );
    let run = ctx
        .run(&["install", "acme/tool", "--platform", LINUX])
        .success();
    clean("install stdout", &run.stdout);
    clean("install stderr", &run.stderr);
    assert!(run.stdout.contains("tool\\x1b[31m-linux"), "{}", run.stdout);
    for args in [
        vec![
            "install",
            "acme/tool",
            "--platform",
            LINUX,
            "--force",
            "--json",
        ],
        vec!["list"],
        vec!["list", "--json"],
    ] {
        let run = ctx.run(&args).success();
        clean(&format!("{args:?} stdout"), &run.stdout);
        clean(&format!("{args:?} stderr"), &run.stderr);
        assert!(run.stdout.contains("\\x1b[31m"), "{args:?}: {}", run.stdout);
    }
}
