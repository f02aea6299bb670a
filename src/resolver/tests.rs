//! One test per rule: the asset a user would get, or the error and its hint.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::platform::NINE;

const LINUX_GNU: Platform = NINE[0];
const LINUX_MUSL: Platform = NINE[1];
const LINUX_ARM64: Platform = NINE[2];
const LINUX_ARMV7: Platform = NINE[4];
const MAC_INTEL: Platform = NINE[5];
const MAC_ARM: Platform = NINE[6];
const WIN: Platform = NINE[7];
const WIN_ARM: Platform = NINE[8];

fn assets(names: &[&str]) -> Vec<Asset> {
    names.iter().map(|n| Asset::named(*n)).collect()
}

fn pick_with(names: &[&str], platform: Platform, c: &Criteria) -> Result<String, SelectError> {
    let a = assets(names);
    select(&a, &platform, c).map(|s| a[s.index].name.clone())
}

fn pick(names: &[&str], platform: Platform, repo: &str) -> Result<String, SelectError> {
    pick_with(names, platform, &Criteria::new(repo))
}

fn reason_of(names: &[&str], platform: Platform, c: &Criteria, asset: &str) -> String {
    let a = assets(names);
    let verdicts = match select(&a, &platform, c) {
        Ok(s) => s.verdicts,
        Err(e) => e.verdicts().to_vec(),
    };
    verdicts
        .into_iter()
        .find(|v| v.asset == asset)
        .map(|v| v.reason)
        .unwrap()
}

#[test]
fn checksums_signatures_packages_and_source_are_never_installed() {
    let names = [
        "tool-linux-amd64.tar.gz.sha256",
        "checksums.txt",
        "tool-linux-amd64.tar.gz.sig",
        "tool_1.0_amd64.deb",
        "tool-1.0-src.tar.gz",
        "tool-linux-amd64.tar.gz",
    ];
    let c = Criteria::new("tool");
    assert_eq!(
        pick(&names, LINUX_GNU, "tool").unwrap(),
        "tool-linux-amd64.tar.gz"
    );
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[0]), "checksum file");
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[1]), "checksum file");
    assert_eq!(
        reason_of(&names, LINUX_GNU, &c, names[2]),
        "signature (.sig)"
    );
    assert_eq!(
        reason_of(&names, LINUX_GNU, &c, names[3]),
        "OS package (.deb); toolget installs executables"
    );
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[4]), "source archive");
}

#[test]
fn name_rule_rejects_extra_words_and_other_names() {
    let names = [
        "sccache-dist-v0.14.0-x86_64-unknown-linux-musl.tar.gz",
        "sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz",
        "kubens_v0.9.5_linux_x86_64.tar.gz",
    ];
    let c = Criteria::new("sccache");
    assert_eq!(pick(&names, LINUX_GNU, "sccache").unwrap(), names[1]);
    assert_eq!(
        reason_of(&names, LINUX_GNU, &c, names[0]),
        "name `sccache-dist` has extra word `dist` beyond `sccache`"
    );
    assert_eq!(
        reason_of(&names, LINUX_GNU, &c, names[2]),
        "name `kubens` is not `sccache`"
    );
    // hugo_extended is hugo plus a word, whatever the separator or case.
    let hugo = [
        "Hugo_0.121.0_linux-amd64.tar.gz",
        "hugo_extended_0.121.0_linux-amd64.tar.gz",
    ];
    assert_eq!(pick(&hugo, LINUX_GNU, "hugo").unwrap(), hugo[0]);
    assert_eq!(
        pick_with(
            &hugo,
            LINUX_GNU,
            &Criteria::new("hugo").exe("hugo_extended")
        )
        .unwrap(),
        hugo[1]
    );
}

#[test]
fn the_only_name_in_a_release_is_the_tool() {
    // cli/cli ships only `gh_*`.
    let names = [
        "gh_2.40.0_checksums.txt",
        "gh_2.40.0_linux_amd64.tar.gz",
        "gh_2.40.0_linux_amd64.deb",
        "gh_2.40.0_macOS_arm64.zip",
    ];
    assert_eq!(pick(&names, LINUX_GNU, "cli").unwrap(), names[1]);
    assert_eq!(pick(&names, MAC_ARM, "cli").unwrap(), names[3]);
}

#[test]
fn several_names_without_the_wanted_one_is_ambiguous_with_an_exe_hint() {
    let names = [
        "oxlint-x86_64-unknown-linux-gnu.tar.gz",
        "oxfmt-x86_64-unknown-linux-gnu.tar.gz",
    ];
    let err = pick(&names, LINUX_GNU, "oxc").unwrap_err();
    assert_eq!(err.kind(), crate::error::ErrorKind::Ambiguous);
    assert_eq!(
        err.hint().as_deref(),
        Some("choose one with [exe=oxlint] or [exe=oxfmt]")
    );
    assert_eq!(
        err.to_string(),
        "several tools of this release fit linux-x86_64-gnu equally well: \
         `oxlint-x86_64-unknown-linux-gnu.tar.gz`, `oxfmt-x86_64-unknown-linux-gnu.tar.gz`"
    );
    // The same on a platform neither serves: no guess, and the hint says what to name.
    let err = pick(&names, MAC_ARM, "oxc").unwrap_err();
    assert_eq!(err.kind(), crate::error::ErrorKind::NoMatch);
    let hint = err.hint().unwrap_or_default();
    assert!(hint.contains("[exe=…]"), "{hint}");
    let c = Criteria::new("oxc").matching("oxlint");
    assert_eq!(pick_with(&names, LINUX_GNU, &c).unwrap(), names[0]);
}

#[test]
fn platform_words_inside_the_tool_name_are_name() {
    let names = [
        "win-tool-ubuntu-x64.tar.gz",
        "win-tool-macos-x64.tar.gz",
        "win-tool-windows-x64.zip",
    ];
    assert_eq!(pick(&names, LINUX_GNU, "win-tool").unwrap(), names[0]);
    assert_eq!(pick(&names, MAC_INTEL, "win-tool").unwrap(), names[1]);
    assert_eq!(pick(&names, WIN, "win-tool").unwrap(), names[2]);
    let lint = [
        "go-arch-lint_1.15.0_linux_amd64.tar.gz",
        "go-arch-lint_1.15.0_darwin_arm64.tar.gz",
    ];
    assert_eq!(pick(&lint, LINUX_GNU, "go-arch-lint").unwrap(), lint[0]);
}

#[test]
fn musl_host_never_takes_a_gnu_build() {
    let names = ["tool-x86_64-unknown-linux-gnu.tar.gz"];
    let err = pick(&names, LINUX_MUSL, "tool").unwrap_err();
    assert_eq!(err.kind(), crate::error::ErrorKind::NoMatch);
    assert_eq!(
        reason_of(&names, LINUX_MUSL, &Criteria::new("tool"), names[0]),
        "gnu build; a musl host cannot run it"
    );
    assert_eq!(
        err.to_string(),
        "no asset of this release fits linux-x86_64-musl (it offers linux-x86_64-gnu)"
    );
}

#[test]
fn glibc_host_prefers_gnu_then_musl_then_unlabelled() {
    let all = [
        "tool-linux-x64.tar.gz",
        "tool-linux-x64-static.tar.gz",
        "tool-linux-x64-gnu.tar.gz",
    ];
    let c = Criteria::new("tool");
    assert_eq!(pick(&all, LINUX_GNU, "tool").unwrap(), all[2]);
    assert_eq!(
        reason_of(&all, LINUX_GNU, &c, all[1]),
        "x86_64 musl/static build; the x86_64 gnu build `tool-linux-x64-gnu.tar.gz` is \
         preferred on linux-x86_64-gnu (lower tier)"
    );
    // No `-musl` twin: the unmarked build is the least certain, last on glibc.
    assert_eq!(pick(&all[..2], LINUX_GNU, "tool").unwrap(), all[1]);
    assert_eq!(
        reason_of(&all[..2], LINUX_GNU, &c, all[0]),
        "x86_64 build naming no libc; the x86_64 musl/static build \
         `tool-linux-x64-static.tar.gz` is preferred on linux-x86_64-gnu (lower tier)"
    );
    // Alone, it is taken on either libc.
    assert_eq!(pick(&all[..1], LINUX_GNU, "tool").unwrap(), all[0]);
    assert_eq!(pick(&all[..1], LINUX_MUSL, "tool").unwrap(), all[0]);
}

#[test]
fn an_unmarked_build_with_a_musl_twin_is_the_glibc_build() {
    let names = [
        "mise-v1.0-linux-x64-musl.tar.gz",
        "mise-v1.0-linux-x64.tar.gz",
    ];
    let c = Criteria::new("mise");
    assert_eq!(pick(&names, LINUX_GNU, "mise").unwrap(), names[1]);
    assert_eq!(
        reason_of(&names, LINUX_GNU, &c, names[1]),
        "chosen: x86_64 glibc build (inferred) for linux-x86_64-gnu; it names no libc, but its \
         musl twin `mise-v1.0-linux-x64-musl.tar.gz` marks it as the glibc build"
    );
    assert_eq!(
        reason_of(&names, LINUX_GNU, &c, names[0]),
        "x86_64 musl/static build; the x86_64 glibc build (inferred) \
         `mise-v1.0-linux-x64.tar.gz` is preferred on linux-x86_64-gnu (lower tier)"
    );
    // On musl the inferred glibc build is refused like any gnu build.
    assert_eq!(pick(&names, LINUX_MUSL, "mise").unwrap(), names[0]);
    assert_eq!(
        reason_of(&names, LINUX_MUSL, &c, names[1]),
        "names no libc, but its musl twin `mise-v1.0-linux-x64-musl.tar.gz` marks it as the \
         inferred glibc build; a musl host cannot run it"
    );
    let only_unmarked = ["mise-v1.0-linux-x64.tar.gz"];
    let filtered = Criteria::new("mise").matching("x64.tar");
    assert_eq!(
        pick_with(&names, LINUX_MUSL, &filtered).unwrap_err().kind(),
        crate::error::ErrorKind::NoMatch,
        "a filter that hides the twin does not make the glibc build run on musl"
    );
    assert_eq!(pick(&only_unmarked, LINUX_MUSL, "mise").unwrap(), names[1]);
}

#[test]
fn a_twin_is_the_same_build_apart_from_the_libc_word() {
    let c = Criteria::new("bun");
    // The musl build of another variant, of another arch, or a single file next to an archive
    // is no twin: the unmarked build stays in the no-libc tier, after musl on glibc.
    for (names, glibc_pick) in [
        (["bun-linux-x64-baseline.zip", "bun-linux-x64-musl.zip"], 1),
        (["bun-linux-x64.zip", "bun-linux-x64-musl"], 1),
        (["bun-linux-x64.zip", "bun-linux-aarch64-musl.zip"], 0),
        (["bun-linux-x64.zip", "bunx-linux-x64-musl.zip"], 0),
    ] {
        assert_eq!(pick(&names, LINUX_GNU, "bun").unwrap(), names[glibc_pick]);
        for host in [LINUX_GNU, LINUX_MUSL] {
            let reason = reason_of(&names, host, &c, names[0]);
            assert!(
                !reason.contains("inferred"),
                "{names:?} on {host}: {reason}"
            );
        }
    }
    // Each variant finds its own twin: baseline pairs with musl-baseline.
    let bun = [
        "bun-linux-x64-baseline.zip",
        "bun-linux-x64-musl-baseline.zip",
        "bun-linux-x64-musl.zip",
        "bun-linux-x64.zip",
    ];
    let baseline = Criteria::new("bun").matching("baseline");
    assert_eq!(pick_with(&bun, LINUX_GNU, &baseline).unwrap(), bun[0]);
    assert_eq!(pick_with(&bun, LINUX_MUSL, &baseline).unwrap(), bun[1]);
    assert_eq!(pick(&bun, LINUX_GNU, "bun").unwrap(), bun[3]);
    assert_eq!(pick(&bun, LINUX_MUSL, "bun").unwrap(), bun[2]);
}

#[test]
fn apple_silicon_takes_arm64_then_universal_then_rosetta_flagged() {
    let names = [
        "tool-darwin-amd64.tar.gz",
        "tool-darwin-universal.tar.gz",
        "tool-darwin-arm64.tar.gz",
    ];
    assert_eq!(pick(&names, MAC_ARM, "tool").unwrap(), names[2]);
    assert_eq!(pick(&names[..2], MAC_ARM, "tool").unwrap(), names[1]);
    let a = assets(&names[..1]);
    let sel = select(&a, &MAC_ARM, &Criteria::new("tool")).unwrap();
    assert_eq!(sel.emulation, Some("Rosetta 2"));
    // An Intel Mac never takes an arm64 build.
    assert_eq!(
        pick(&names[2..], MAC_INTEL, "tool").unwrap_err().kind(),
        crate::error::ErrorKind::NoMatch
    );
}

#[test]
fn windows_arm64_falls_back_to_x64_emulation_flagged() {
    let a = assets(&["tool-x86_64-pc-windows-msvc.zip"]);
    let sel = select(&a, &WIN_ARM, &Criteria::new("tool")).unwrap();
    assert_eq!(sel.emulation, Some("x64 emulation"));
    // msvc before mingw on Windows.
    let names = [
        "tool-x86_64-pc-windows-gnu.zip",
        "tool-x86_64-pc-windows-msvc.zip",
    ];
    assert_eq!(pick(&names, WIN, "tool").unwrap(), names[1]);
}

#[test]
fn a_build_naming_no_arch_is_taken_only_when_it_is_the_only_kind_for_the_os() {
    let names = [
        "gvproxy-darwin",
        "gvproxy-linux-amd64",
        "gvproxy-linux-arm64",
    ];
    assert_eq!(pick(&names, MAC_INTEL, "gvproxy").unwrap(), names[0]);
    assert_eq!(pick(&names, MAC_ARM, "gvproxy").unwrap(), names[0]);
    // Another Linux build names x86_64: the unmarked one could be anything.
    let mixed = [
        "tool-linux.tar.gz",
        "tool-linux-amd64.tar.gz",
        "tool-linux-arm64.tar.gz",
    ];
    assert_eq!(
        reason_of(&mixed, LINUX_GNU, &Criteria::new("tool"), mixed[0]),
        "names no architecture, while other linux builds do"
    );
    assert_eq!(
        pick(&[mixed[0], mixed[2]], LINUX_ARMV7, "tool")
            .unwrap_err()
            .kind(),
        crate::error::ErrorKind::NoMatch
    );
}

#[test]
fn an_unmarked_build_next_to_only_non_x86_64_builds_is_the_x86_64_build() {
    // ninja v1.12.1.
    let ninja = [
        "ninja-linux-aarch64.zip",
        "ninja-linux.zip",
        "ninja-mac.zip",
        "ninja-win.zip",
        "ninja-winarm64.zip",
    ];
    let c = Criteria::new("ninja");
    for host in [LINUX_GNU, LINUX_MUSL] {
        assert_eq!(pick(&ninja, host, "ninja").unwrap(), "ninja-linux.zip");
    }
    assert_eq!(
        reason_of(&ninja, LINUX_GNU, &c, "ninja-linux.zip"),
        "chosen: x86_64 build (inferred) for linux-x86_64-gnu (the best this release offers); it \
         names no architecture, but the other linux builds name only aarch64, so it is the \
         linux x86_64 build"
    );
    assert_eq!(pick(&ninja, LINUX_ARM64, "ninja").unwrap(), ninja[0]);
    assert_eq!(
        reason_of(&ninja, LINUX_ARM64, &c, "ninja-linux.zip"),
        "names no architecture; the other linux builds name only aarch64, so it is read as the \
         linux x86_64 build, taken on x86_64 hosts only"
    );
    assert_eq!(
        pick(&ninja, LINUX_ARMV7, "ninja").unwrap_err().kind(),
        crate::error::ErrorKind::NoMatch
    );
    assert_eq!(pick(&ninja, WIN, "ninja").unwrap(), "ninja-win.zip");
    assert_eq!(
        pick(&ninja, WIN_ARM, "ninja").unwrap(),
        "ninja-winarm64.zip"
    );
    // The only macOS build: taken on both Macs, inference or not.
    assert_eq!(pick(&ninja, MAC_ARM, "ninja").unwrap(), "ninja-mac.zip");
    // An inferred x86_64 build is not run under emulation on a guess.
    let win = ["ninja-win.zip", "ninja-win-x86.zip"];
    assert_eq!(pick(&win, WIN, "ninja").unwrap(), win[0]);
    assert_eq!(
        pick(&win, WIN_ARM, "ninja").unwrap_err().kind(),
        crate::error::ErrorKind::NoMatch
    );
}

#[test]
fn never_a_32_bit_build_on_a_64_bit_host() {
    let names = ["jq-linux32", "jq-linux64", "jq-win32.exe"];
    assert_eq!(pick(&names, LINUX_GNU, "jq").unwrap(), "jq-linux64");
    assert_eq!(
        pick(&names, WIN, "jq").unwrap_err().kind(),
        crate::error::ErrorKind::NoMatch
    );
    assert_eq!(
        reason_of(&names, WIN, &Criteria::new("jq"), "jq-win32.exe"),
        "32-bit i686 build; toolget never installs a 32-bit build on a 64-bit x86_64 host"
    );
}

#[test]
fn armv7_takes_armv7_then_armv6_then_generic_arm() {
    let names = [
        "tool-linux-arm.tar.gz",
        "tool-linux-armv6.tar.gz",
        "tool-linux-armv7.tar.gz",
    ];
    let c = Criteria::new("tool");
    assert_eq!(pick(&names, LINUX_ARMV7, "tool").unwrap(), names[2]);
    assert_eq!(
        reason_of(&names, LINUX_ARMV7, &c, names[1]),
        "armv6 build; runs on armv7; the armv7 build naming no libc `tool-linux-armv7.tar.gz` \
         is preferred on linux-armv7-gnueabihf (lower tier)"
    );
    assert_eq!(pick(&names[..2], LINUX_ARMV7, "tool").unwrap(), names[1]);
    assert_eq!(
        reason_of(&names[..2], LINUX_ARMV7, &c, names[1]),
        "chosen: armv6 build; runs on armv7; the best this release offers for \
         linux-armv7-gnueabihf"
    );
    assert_eq!(pick(&names[..1], LINUX_ARMV7, "tool").unwrap(), names[0]);
    // Same 32-bit width as ARMv7, so a 64-bit host still never takes it.
    assert_eq!(
        reason_of(&names[1..2], LINUX_ARM64, &c, names[1]),
        "32-bit armv6 build; toolget never installs a 32-bit build on a 64-bit aarch64 host"
    );
}

#[test]
fn armv6_spellings_include_the_hard_float_rust_triple() {
    // `arm-unknown-linux-gnueabihf` is ARMv6 hard-float; `…-gnueabi` is soft-float, generic.
    let names = [
        "tool-arm-unknown-linux-gnueabi.tar.gz",
        "tool-arm-unknown-linux-gnueabihf.tar.gz",
    ];
    assert_eq!(pick(&names, LINUX_ARMV7, "tool").unwrap(), names[1]);
    for armv6 in ["tool.linux.armv6hf.tar.xz", "tool_Linux_armv6.tar.gz"] {
        let one = [armv6, "tool_Linux_arm64.tar.gz"];
        assert_eq!(pick(&one, LINUX_ARMV7, "tool").unwrap(), armv6);
    }
}

#[test]
fn one_build_in_several_formats_follows_the_format_ranking_in_any_order() {
    let forward = [
        "tool-linux-amd64.zip",
        "tool-linux-amd64.tar.gz",
        "tool-linux-amd64.tar.xz",
    ];
    let backward = [forward[2], forward[1], forward[0]];
    assert_eq!(pick(&forward, LINUX_GNU, "tool").unwrap(), forward[2]);
    assert_eq!(pick(&backward, LINUX_GNU, "tool").unwrap(), forward[2]);
    // An archive beats the bare executable of the same build.
    let bare = ["tool-linux-amd64", "tool-linux-amd64.tar.gz"];
    assert_eq!(pick(&bare, LINUX_GNU, "tool").unwrap(), bare[1]);
    assert_eq!(
        reason_of(&bare, LINUX_GNU, &Criteria::new("tool"), bare[0]),
        "same build as `tool-linux-amd64.tar.gz`; .tar.gz is preferred over bare executable"
    );
}

#[test]
fn plain_builds_beat_debug_and_variant_twins() {
    let names = [
        "tool-linux-x64-debug.zip",
        "tool-linux-x64-baseline.zip",
        "tool-linux-x64.zip",
    ];
    let c = Criteria::new("tool");
    assert_eq!(pick(&names, LINUX_GNU, "tool").unwrap(), names[2]);
    assert_eq!(
        reason_of(&names, LINUX_GNU, &c, names[0]),
        "debug build; the plain build `tool-linux-x64.zip` is preferred"
    );
    assert_eq!(
        reason_of(&names, LINUX_GNU, &c, names[1]),
        "variant build (`baseline`); the plain build `tool-linux-x64.zip` is preferred"
    );
}

#[test]
fn qualified_twins_lose_to_the_plain_build() {
    // bottom's glibc-2.17 build: the numbers after the libc word qualify the build.
    let bottom = [
        "bottom_x86_64-unknown-linux-gnu-2-17.tar.gz",
        "bottom_x86_64-unknown-linux-gnu.tar.gz",
    ];
    let c = Criteria::new("bottom");
    assert_eq!(pick(&bottom, LINUX_GNU, "bottom").unwrap(), bottom[1]);
    assert_eq!(
        reason_of(&bottom, LINUX_GNU, &c, bottom[0]),
        "variant build (`2-17`); the plain build `bottom_x86_64-unknown-linux-gnu.tar.gz` is \
         preferred"
    );
    // Alone, the qualified build is taken.
    assert_eq!(pick(&bottom[..1], LINUX_GNU, "bottom").unwrap(), bottom[0]);
    // CMake's build for old macOS releases: an OS word with a release glued on.
    let cmake = [
        "cmake-3.31.3-macos10.10-universal.tar.gz",
        "cmake-3.31.3-macos-universal.tar.gz",
    ];
    let c = Criteria::new("cmake");
    for mac in [MAC_INTEL, MAC_ARM] {
        assert_eq!(pick(&cmake, mac, "cmake").unwrap(), cmake[1]);
    }
    assert_eq!(
        reason_of(&cmake, MAC_ARM, &c, cmake[0]),
        "variant build (`macos10.10`); the plain build `cmake-3.31.3-macos-universal.tar.gz` is \
         preferred"
    );
    // A version before the platform words stays a version: formats still pair up.
    let versioned = [
        "tool-1.2-x86_64-unknown-linux-gnu.zip",
        "tool-1.2-x86_64-unknown-linux-gnu.tar.gz",
    ];
    assert_eq!(pick(&versioned, LINUX_GNU, "tool").unwrap(), versioned[1]);
}

#[test]
fn a_remaining_tie_is_ambiguous_with_a_separating_substring() {
    let names = ["tool_linux_amd64.tar.gz", "tool_linux_x86_64.tar.gz"];
    let err = pick(&names, LINUX_GNU, "tool").unwrap_err();
    assert_eq!(err.kind(), crate::error::ErrorKind::Ambiguous);
    match &err {
        SelectError::Ambiguous {
            candidates, hint, ..
        } => {
            assert_eq!(candidates, &names.map(String::from));
            assert_eq!(hint, "[matching=_amd64] or [matching=_x86_64]");
        }
        other @ SelectError::NoMatch { .. } => panic!("{other:?}"),
    }
    let c = Criteria::new("tool").matching("_amd64");
    assert_eq!(pick_with(&names, LINUX_GNU, &c).unwrap(), names[0]);
}

#[test]
fn filters_narrow_first_and_bad_patterns_are_errors() {
    let names = [
        "project-Linux-x86_64-gnu.tar.gz",
        "project-Linux-x86_64-musl.tar.gz",
    ];
    let c = Criteria::new("project").matching("musl");
    assert_eq!(pick_with(&names, LINUX_GNU, &c).unwrap(), names[1]);
    let c = Criteria::new("project").matching("MUSL");
    let err = pick_with(&names, LINUX_GNU, &c).unwrap_err();
    assert!(
        err.hint()
            .unwrap_or_default()
            .starts_with("the filter excluded every asset")
    );
    let c = Criteria::new("project").matching_regex(r"-gnu\.").unwrap();
    assert_eq!(pick_with(&names, LINUX_GNU, &c).unwrap(), names[0]);
    let c = Criteria::new("project").asset_pattern("*-musl.*").unwrap();
    assert_eq!(pick_with(&names, LINUX_GNU, &c).unwrap(), names[1]);
    let err = Criteria::new("x").matching_regex("oxlint(").unwrap_err();
    assert_eq!(err.to_string(), "invalid [matching_regex=oxlint(]");
    assert!(Criteria::new("x").asset_pattern("[").is_err());
}

#[test]
fn a_file_naming_no_platform_is_taken_only_when_a_filter_names_it() {
    let names = ["tool-v1.0.0.zip"];
    assert_eq!(
        pick(&names, LINUX_GNU, "tool").unwrap_err().kind(),
        crate::error::ErrorKind::NoMatch
    );
    let c = Criteria::new("tool").asset_pattern("tool-*").unwrap();
    assert_eq!(pick_with(&names, LINUX_GNU, &c).unwrap(), names[0]);
}

#[test]
fn archives_only_for_extract_all() {
    let names = ["tool-linux-x86_64.gz", "tool-linux-x86_64"];
    let c = Criteria::new("tool").archives_only(true);
    let err = pick_with(&names, LINUX_GNU, &c).unwrap_err();
    assert_eq!(err.kind(), crate::error::ErrorKind::NoMatch);
    assert_eq!(
        reason_of(&names, LINUX_GNU, &c, names[0]),
        ".gz is not an archive; [extract_all] needs a .tar.* or .zip"
    );
}

#[test]
fn from_spec_reads_every_option() {
    let options = SpecOptions {
        exe: Some("sccache-dist".into()),
        matching: Some("musl".into()),
        matching_regex: Some("^sccache".into()),
        asset_pattern: Some("*.tar.gz".into()),
        extract_all: Some(true),
        ..SpecOptions::default()
    };
    let c = Criteria::from_spec("sccache", &options).unwrap();
    assert_eq!(c.wanted_name(), "sccache-dist");
    let names = [
        "sccache-dist-v0.14.0-x86_64-unknown-linux-musl.tar.gz",
        "sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz",
    ];
    assert_eq!(pick_with(&names, LINUX_GNU, &c).unwrap(), names[0]);
    let bad = SpecOptions {
        matching_regex: Some("(".into()),
        ..SpecOptions::default()
    };
    assert!(Criteria::from_spec("x", &bad).is_err());
}

#[test]
fn other_oses_and_arches_are_named_in_the_reason() {
    let names = [
        "tool-aarch64-linux-android.tar.gz",
        "tool-x86_64-unknown-netbsd.tar.gz",
        "tool-mips-unknown-linux-musl.tar.gz",
        "tool-x86_64-unknown-linux-musl.tar.gz",
    ];
    let c = Criteria::new("tool");
    assert_eq!(
        reason_of(&names, LINUX_GNU, &c, names[0]),
        "for android, not linux"
    );
    assert_eq!(
        reason_of(&names, LINUX_GNU, &c, names[1]),
        "for netbsd, not linux"
    );
    assert_eq!(
        reason_of(&names, LINUX_GNU, &c, names[2]),
        "for mips, not x86_64"
    );
    assert_eq!(pick(&names, LINUX_GNU, "tool").unwrap(), names[3]);
}

#[test]
fn one_build_under_two_spellings_takes_the_releases_usual_spelling() {
    // jqlang/jq 1.7.1 keeps its old names next to the new ones.
    let names = [
        "jq-1.7.1.tar.gz",
        "jq-linux-amd64",
        "jq-linux-arm64",
        "jq-linux-i386",
        "jq-linux64",
        "jq-macos-amd64",
        "jq-macos-arm64",
        "jq-osx-amd64",
        "jq-win64.exe",
        "jq-windows-amd64.exe",
        "jq-windows-i386.exe",
        "sha256sum.txt",
    ];
    assert_eq!(pick(&names, LINUX_GNU, "jq").unwrap(), "jq-linux-amd64");
    assert_eq!(pick(&names, MAC_INTEL, "jq").unwrap(), "jq-macos-amd64");
    assert_eq!(pick(&names, WIN, "jq").unwrap(), "jq-windows-amd64.exe");
    assert_eq!(
        reason_of(&names, LINUX_GNU, &Criteria::new("jq"), "jq-linux64"),
        "same build as `jq-linux-amd64` under another spelling; the release's other assets \
         spell their platform words like `jq-linux-amd64`"
    );
}

#[test]
fn real_release_shapes() {
    // eza names its Windows archive after the .exe inside it.
    let eza = [
        "eza_x86_64-unknown-linux-gnu.tar.gz",
        "eza_x86_64-unknown-linux-gnu.zip",
        "eza.exe_x86_64-pc-windows-gnu.zip",
    ];
    assert_eq!(pick(&eza, LINUX_GNU, "eza").unwrap(), eza[0]);
    assert_eq!(pick(&eza, WIN, "eza").unwrap(), eza[2]);
    // bun: the plain build over -baseline and -profile twins; musl hosts get the musl build.
    let bun = [
        "SHASUMS256.txt",
        "SHASUMS256.txt.asc",
        "bun-linux-x64-baseline.zip",
        "bun-linux-x64-musl-baseline.zip",
        "bun-linux-x64-musl.zip",
        "bun-linux-x64-profile.zip",
        "bun-linux-x64.zip",
    ];
    assert_eq!(pick(&bun, LINUX_GNU, "bun").unwrap(), "bun-linux-x64.zip");
    assert_eq!(
        pick(&bun, LINUX_MUSL, "bun").unwrap(),
        "bun-linux-x64-musl.zip"
    );
    assert_eq!(
        reason_of(&bun, LINUX_GNU, &Criteria::new("bun"), "SHASUMS256.txt"),
        "checksum file"
    );
    // goreleaser's `Darwin_all` is the only macOS build: taken on both Macs.
    let gr = [
        "goreleaser_Darwin_all.tar.gz",
        "goreleaser_Linux_x86_64.tar.gz",
    ];
    assert_eq!(pick(&gr, MAC_ARM, "goreleaser").unwrap(), gr[0]);
    assert_eq!(pick(&gr, MAC_INTEL, "goreleaser").unwrap(), gr[0]);
}
