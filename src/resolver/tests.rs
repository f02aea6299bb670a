//! One test per rule: the asset a user would get, or the error and its hint.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::error::ErrorKind;
use crate::platform::NINE;
use crate::spec::SpecOptions;

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

/// The kind of the verdict on `asset`.
fn reason_of(names: &[&str], platform: Platform, c: &Criteria, asset: &str) -> &'static str {
    let a = assets(names);
    let verdicts = match select(&a, &platform, c) {
        Ok(s) => s.verdicts,
        Err(e) => e.verdicts().to_vec(),
    };
    verdicts
        .into_iter()
        .find(|v| v.asset == asset)
        .map(|v| v.kind())
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
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[0]), "checksum");
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[1]), "checksum");
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[2]), "signature");
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[3]), "package");
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[4]), "source");
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
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[0]), "extra_words");
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[2]), "other_tool");
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
    assert_eq!(err.kind(), ErrorKind::Ambiguous);
    // Sorted, whatever the release's order (issue 16).
    assert_eq!(
        err.hint().as_deref().unwrap_or_default(),
        "choose one with [exe=oxfmt] or [exe=oxlint]"
    );
    assert_eq!(
        err.to_string(),
        "several tools of this release fit linux-x86_64-gnu equally well: \
         `oxfmt-x86_64-unknown-linux-gnu.tar.gz`, `oxlint-x86_64-unknown-linux-gnu.tar.gz`"
    );
    // The same on a platform neither serves: no guess, and the hint says what to name.
    let err = pick(&names, MAC_ARM, "oxc").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NoMatch);
    assert!(
        err.hint()
            .unwrap_or_default()
            .ends_with("say which one with [exe=oxfmt] or [exe=oxlint]"),
        "{:?}",
        err.hint()
    );
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
    assert_eq!(err.kind(), ErrorKind::NoMatch);
    assert_eq!(
        reason_of(&names, LINUX_MUSL, &Criteria::new("tool"), names[0]),
        "libc"
    );
    assert_eq!(
        err.to_string(),
        "no asset of this release fits linux-x86_64-musl (it offers linux-x86_64-gnu)"
    );
}

#[test]
fn glibc_host_prefers_gnu_and_unlabelled_then_musl() {
    let all = [
        "tool-linux-x64.tar.gz",
        "tool-linux-x64-static.tar.gz",
        "tool-linux-x64-gnu.tar.gz",
    ];
    let c = Criteria::new("tool");
    assert_eq!(pick(&all, LINUX_GNU, "tool").unwrap(), all[2]);
    assert_eq!(reason_of(&all, LINUX_GNU, &c, all[1]), "lower_tier");
    // The unmarked build is the publisher's default: above a static twin on glibc.
    assert_eq!(pick(&all[..2], LINUX_GNU, "tool").unwrap(), all[0]);
    assert_eq!(reason_of(&all[..2], LINUX_GNU, &c, all[1]), "lower_tier");
    // On musl, the static build.
    assert_eq!(pick(&all[..2], LINUX_MUSL, "tool").unwrap(), all[1]);
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
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[1]), "chosen");
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[0]), "lower_tier");
    // On musl the inferred glibc build is refused like any gnu build.
    assert_eq!(pick(&names, LINUX_MUSL, "mise").unwrap(), names[0]);
    assert_eq!(reason_of(&names, LINUX_MUSL, &c, names[1]), "libc");
    let only_unmarked = ["mise-v1.0-linux-x64.tar.gz"];
    let filtered = Criteria::new("mise").matching("x64.tar");
    assert_eq!(
        pick_with(&names, LINUX_MUSL, &filtered).unwrap_err().kind(),
        ErrorKind::NoMatch,
        "a filter that hides the twin does not make the glibc build run on musl"
    );
    assert_eq!(pick(&only_unmarked, LINUX_MUSL, "mise").unwrap(), names[1]);
}

#[test]
fn a_twin_is_the_same_build_apart_from_the_libc_word() {
    let c = Criteria::new("bun");
    // The musl build of another variant, of another arch, or a single file next to an archive
    // is no twin: the unmarked build stays in the no-libc tier, after musl on glibc.
    // (On glibc the unmarked build is the publisher's default and ranks above musl anyway.)
    for names in [
        ["bun-linux-x64-baseline.zip", "bun-linux-x64-musl.zip"],
        ["bun-linux-x64.zip", "bun-linux-x64-musl"],
        ["bun-linux-x64.zip", "bun-linux-aarch64-musl.zip"],
        ["bun-linux-x64.zip", "bunx-linux-x64-musl.zip"],
    ] {
        assert_eq!(pick(&names, LINUX_GNU, "bun").unwrap(), names[0]);
        for host in [LINUX_GNU, LINUX_MUSL] {
            let a = assets(&names);
            let inferred = match select(&a, &host, &c) {
                Ok(s) => s.inferred,
                Err(e) => e.inferred().to_vec(),
            };
            assert!(
                inferred.iter().all(|i| i.fact != Fact::Glibc),
                "{names:?} on {host}: {inferred:?}"
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
        ErrorKind::NoMatch
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
        "unknown_arch"
    );
    assert_eq!(
        pick(&[mixed[0], mixed[2]], LINUX_ARMV7, "tool")
            .unwrap_err()
            .kind(),
        ErrorKind::NoMatch
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
        "chosen"
    );
    assert_eq!(pick(&ninja, LINUX_ARM64, "ninja").unwrap(), ninja[0]);
    assert_eq!(
        reason_of(&ninja, LINUX_ARM64, &c, "ninja-linux.zip"),
        "other_arch"
    );
    assert_eq!(
        pick(&ninja, LINUX_ARMV7, "ninja").unwrap_err().kind(),
        ErrorKind::NoMatch
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
        ErrorKind::NoMatch
    );
}

#[test]
fn never_a_32_bit_build_on_a_64_bit_host() {
    let names = ["jq-linux32", "jq-linux64", "jq-win32.exe"];
    assert_eq!(pick(&names, LINUX_GNU, "jq").unwrap(), "jq-linux64");
    assert_eq!(
        pick(&names, WIN, "jq").unwrap_err().kind(),
        ErrorKind::NoMatch
    );
    assert_eq!(
        reason_of(&names, WIN, &Criteria::new("jq"), "jq-win32.exe"),
        "32_bit_on_64_bit"
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
    assert_eq!(reason_of(&names, LINUX_ARMV7, &c, names[1]), "lower_tier");
    assert_eq!(pick(&names[..2], LINUX_ARMV7, "tool").unwrap(), names[1]);
    assert_eq!(reason_of(&names[..2], LINUX_ARMV7, &c, names[1]), "chosen");
    assert_eq!(pick(&names[..1], LINUX_ARMV7, "tool").unwrap(), names[0]);
    // Same 32-bit width as ARMv7, so a 64-bit host still never takes it.
    assert_eq!(
        reason_of(&names[1..2], LINUX_ARM64, &c, names[1]),
        "32_bit_on_64_bit"
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
        "packaging"
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
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[0]), "variant");
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[1]), "variant");
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
    assert_eq!(reason_of(&bottom, LINUX_GNU, &c, bottom[0]), "variant");
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
    assert_eq!(reason_of(&cmake, MAC_ARM, &c, cmake[0]), "variant");
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
    assert_eq!(err.kind(), ErrorKind::Ambiguous);
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
        ErrorKind::NoMatch
    );
    let c = Criteria::new("tool").asset_pattern("tool-*").unwrap();
    assert_eq!(pick_with(&names, LINUX_GNU, &c).unwrap(), names[0]);
}

#[test]
fn archives_only_for_extract_all() {
    let names = ["tool-linux-x86_64.gz", "tool-linux-x86_64"];
    let c = Criteria::new("tool").archives_only(true);
    let err = pick_with(&names, LINUX_GNU, &c).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NoMatch);
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[0]), "not_an_archive");
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
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[0]), "other_os");
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[1]), "other_os");
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[2]), "other_arch");
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
        "spelling"
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
        "checksum"
    );
    // goreleaser's `Darwin_all` is the only macOS build: taken on both Macs.
    let gr = [
        "goreleaser_Darwin_all.tar.gz",
        "goreleaser_Linux_x86_64.tar.gz",
    ];
    assert_eq!(pick(&gr, MAC_ARM, "goreleaser").unwrap(), gr[0]);
    assert_eq!(pick(&gr, MAC_INTEL, "goreleaser").unwrap(), gr[0]);
}

#[test]
fn a_registry_hint_that_excludes_every_asset_falls_back_to_the_engine_with_a_warning() {
    let names = [
        "tool-1.0-linux-amd64.tar.gz",
        "tool-1.0-darwin-arm64.tar.gz",
    ];
    let a = assets(&names);
    let stale = Criteria::new("tool")
        .asset_pattern("tool_*_Linux_x86_64.tar.gz")
        .unwrap();
    // Typed by the user: the filter stands.
    let err = select(&a, &LINUX_GNU, &stale).unwrap_err();
    assert!(matches!(err, SelectError::NoMatch { filtered: true, .. }));
    // From the registry: the engine alone, and a warning naming the entry.
    let s = select(&a, &LINUX_GNU, &stale.hints_from_registry("tool")).unwrap();
    assert_eq!(a[s.index].name, names[0]);
    assert_eq!(
        s.warnings,
        [Warning::RegistryHintIgnored {
            entry: "tool".into()
        }]
    );
    assert_eq!(s.warnings[0].kind(), "registry_hint_ignored");
}

#[test]
fn lib_tool_is_a_library_and_tool_cli_serves_tool() {
    let names = [
        "libfoo-1.0-linux-amd64.tar.gz",
        "foo-cli-1.0-linux-amd64.tar.gz",
    ];
    let c = Criteria::new("foo");
    assert_eq!(pick(&names, LINUX_GNU, "foo").unwrap(), names[1]);
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[0]), "library");
    // Alone, a library is still not the tool.
    assert_eq!(
        pick(&names[..1], LINUX_GNU, "foo").unwrap_err().kind(),
        ErrorKind::NoMatch
    );
    // A plain build beats the -cli one.
    let both = ["foo_cli-linux-amd64.tar.gz", "foo-linux-amd64.tar.gz"];
    assert_eq!(pick(&both, LINUX_GNU, "foo").unwrap(), both[1]);
}

#[test]
fn a_release_of_other_tools_is_refused_with_the_exe_for_each() {
    let names = [
        "bar-linux-amd64.tar.gz",
        "baz-linux-amd64.tar.gz",
        "bar-darwin-arm64.tar.gz",
    ];
    let err = pick(&names, LINUX_GNU, "foo").unwrap_err();
    assert!(matches!(
        err,
        SelectError::Ambiguous {
            several_tools: true,
            ..
        }
    ));
    assert_eq!(
        err.hint().as_deref().unwrap_or_default(),
        "choose one with [exe=bar] or [exe=baz]"
    );
    let c = Criteria::new("foo");
    assert_eq!(reason_of(&names, LINUX_GNU, &c, names[0]), "several_tools");
    // Where only one serves, the refusal still lists both tools and how to name each.
    let err = pick(&names, MAC_INTEL, "foo").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NoMatch);
    assert!(
        err.hint()
            .unwrap_or_default()
            .ends_with("[exe=bar] or [exe=baz]"),
        "{:?}",
        err.hint()
    );
}

#[test]
fn names_that_leave_out_os_or_arch_are_read_from_the_release() {
    // libc words mean Linux; `intel` is x86_64, `apple-silicon` aarch64.
    let names = [
        "tool-aarch64-gnu.tar.gz",
        "tool-x86_64-gnu.tar.gz",
        "tool-macos-intel.zip",
        "tool-macos-apple-silicon.zip",
    ];
    assert_eq!(pick(&names, LINUX_ARM64, "tool").unwrap(), names[0]);
    assert_eq!(pick(&names, MAC_INTEL, "tool").unwrap(), names[2]);
    assert_eq!(pick(&names, MAC_ARM, "tool").unwrap(), names[3]);
    let a = assets(&names);
    let s = select(&a, &LINUX_ARM64, &Criteria::new("tool")).unwrap();
    let fact = s
        .inferred
        .iter()
        .find(|i| i.asset == names[0])
        .expect("inferred");
    assert_eq!(fact.fact, Fact::Os(Os::Linux));
    assert_eq!(
        format!("inferred: {}, because {}", fact.fact, fact.evidence),
        "inferred: linux, because `gnu` is a Linux libc"
    );
    // OS-less names with an arch, beside Windows builds, are Linux.
    let bare = ["tool.x86_64", "tool.aarch64", "tool-x86_64.exe"];
    assert_eq!(pick(&bare, LINUX_ARM64, "tool").unwrap(), bare[1]);
    assert_eq!(pick(&bare, WIN, "tool").unwrap(), bare[2]);
    assert_eq!(
        pick(&bare, MAC_ARM, "tool").unwrap_err().kind(),
        ErrorKind::NoMatch
    );
}

#[test]
fn packagings_of_one_build_never_tie() {
    for (names, platform, want) in [
        (["t-linux-amd64.tgz", "t-linux-amd64.tar.gz"], LINUX_GNU, 1),
        (["t-linux-amd64.tbz", "t-linux-amd64.tar.bz2"], LINUX_GNU, 1),
        (["t-linux-amd64.txz", "t-linux-amd64.tar.xz"], LINUX_GNU, 1),
        (["t-windows-amd64.exe", "t-windows-amd64.exe.zip"], WIN, 1),
        (["t-windows-amd64.7z", "t-windows-amd64.zip"], WIN, 1),
        (["t-windows-amd64.tar.gz", "t-windows-amd64.zip"], WIN, 1),
        (["t-linux-amd64.zip", "t-linux-amd64.tar.gz"], LINUX_GNU, 1),
    ] {
        for order in [names, [names[1], names[0]]] {
            assert_eq!(
                pick(&order, platform, "t").unwrap(),
                names[want],
                "{order:?}"
            );
        }
    }
    // A release that ships only .7z is installable.
    assert_eq!(
        pick(&["t-windows-x64.7z"], WIN, "t").unwrap(),
        "t-windows-x64.7z"
    );
}

#[test]
fn micro_arch_levels_take_the_baseline_unless_the_host_cpu_has_the_level() {
    let names = [
        "tool-linux-x86_64.tar.gz",
        "tool-linux-x86_64-v3.tar.gz",
        "tool-linux-amd64v4.tar.gz",
    ];
    let c = Criteria::new("tool");
    assert_eq!(pick_with(&names, LINUX_GNU, &c).unwrap(), names[0]);
    let host = |level| crate::platform::HostFacts {
        platform: LINUX_GNU,
        glibc: None,
        x86_64_level: level,
    };
    assert_eq!(
        pick_with(&names, LINUX_GNU, &c.clone().host(host(3))).unwrap(),
        names[1]
    );
    assert_eq!(
        pick_with(&names, LINUX_GNU, &c.clone().host(host(4))).unwrap(),
        names[2]
    );
    assert_eq!(
        pick_with(&names, LINUX_GNU, &c.clone().host(host(1))).unwrap(),
        names[0]
    );
    // Facts about another platform are ignored.
    assert_eq!(
        pick_with(&names, LINUX_MUSL, &c.clone().host(host(4))).unwrap(),
        names[0]
    );
}

#[test]
fn glibc_twins_take_the_newest_the_host_meets_else_the_oldest() {
    let names = [
        "tool-x86_64-linux-glibc2.17.tar.gz",
        "tool-x86_64-linux-glibc2.28.tar.gz",
        "tool-x86_64-linux-glibc2.39.tar.gz",
        "tool-x86_64-linux-musl.tar.gz",
    ];
    let c = Criteria::new("tool");
    assert_eq!(pick_with(&names, LINUX_GNU, &c).unwrap(), names[0]);
    let host = |glibc| crate::platform::HostFacts {
        platform: LINUX_GNU,
        glibc: Some(glibc),
        x86_64_level: 1,
    };
    let on = |g| pick_with(&names, LINUX_GNU, &c.clone().host(host(g))).unwrap();
    assert_eq!(on((2, 31)), names[1]);
    assert_eq!(on((2, 40)), names[2]);
    // Too old for every twin: the musl build.
    assert_eq!(on((2, 12)), names[3]);
    assert_eq!(pick_with(&names, LINUX_MUSL, &c).unwrap(), names[3]);
    // Distribution releases are glibc requirements too.
    let distro = [
        "tool-linux-amd64-ubuntu-20.04.tar.gz",
        "tool-linux-amd64-ubuntu-22.04.tar.gz",
    ];
    assert_eq!(pick(&distro, LINUX_GNU, "tool").unwrap(), distro[0]);
    let new = c.clone().host(host((2, 39)));
    assert_eq!(pick_with(&distro, LINUX_GNU, &new).unwrap(), distro[1]);
    assert_eq!(
        pick(&distro, LINUX_MUSL, "tool").unwrap_err().kind(),
        ErrorKind::NoMatch
    );
}

#[test]
fn musl_hosts_take_static_builds_and_never_glibc_ones() {
    let names = [
        "tool-linux-amd64.tar.gz",
        "tool-linux-amd64-nocgo.tar.gz",
        "tool-linux-arm64.tar.gz",
    ];
    assert_eq!(pick(&names, LINUX_GNU, "tool").unwrap(), names[0]);
    assert_eq!(pick(&names, LINUX_MUSL, "tool").unwrap(), names[1]);
    // The release labels a static build, so its unlabelled arm64 build is not known static.
    assert_eq!(
        pick(&names, NINE[3], "tool").unwrap_err().kind(),
        ErrorKind::NoMatch
    );
    let cgo = [
        "tool-linux-amd64.tar.gz",
        "tool-linux-amd64-cgo-disabled.tar.gz",
    ];
    assert_eq!(pick(&cgo, LINUX_MUSL, "tool").unwrap(), cgo[1]);
}

#[test]
fn armv7_prefers_armv7_over_armhf_over_armv6_and_never_soft_float_gnu() {
    let names = [
        "tool-arm-unknown-linux-gnueabi.tar.gz",
        "tool-linux-armv6.tar.gz",
        "tool-linux-armhf.tar.gz",
        "tool-linux-armv7l.tar.gz",
    ];
    for n in 1..=names.len() {
        let want = match n {
            1 => None,
            2 => Some(names[1]),
            3 => Some(names[2]),
            _ => Some(names[3]),
        };
        let got = pick(&names[..n], LINUX_ARMV7, "tool").ok();
        assert_eq!(got.as_deref(), want, "{:?}", &names[..n]);
    }
    let c = Criteria::new("tool");
    assert_eq!(
        reason_of(&names[..1], LINUX_ARMV7, &c, names[0]),
        "soft_float"
    );
}

#[test]
fn installers_are_never_the_tool() {
    let names = [
        "Tool-1.0-Full-Installer-x64.exe",
        "tool-1.0-setup-x64.exe",
        "tool-1.0-portable-x64.zip",
        "tool-1.0-linux-x64.tar.gz",
        "tool-1.0-macos-x64.tar.gz",
    ];
    assert_eq!(pick(&names, WIN, "tool").unwrap(), names[2]);
    let c = Criteria::new("tool");
    assert_eq!(reason_of(&names, WIN, &c, names[1]), "installer");
    // A tool whose name starts with `setup` is a tool.
    let envtest = ["setup-envtest-linux-amd64"];
    assert_eq!(
        pick(&envtest, LINUX_GNU, "controller-runtime").unwrap(),
        envtest[0]
    );
}

#[test]
fn the_ambiguity_hint_is_a_function_of_the_candidate_set() {
    // Issue 16: the `[exe=…]` spelling and the `[matching=…]` order never follow the release's
    // order.
    let tools = [
        "Jq-1.7-linux-amd64.tar.gz",
        "jq-1.7-linux-amd64.zip",
        "yq-1.7-linux-amd64.tar.gz",
    ];
    let ties = [
        "tool_linux_x86_64.tar.gz",
        "tool_linux_amd64.tar.gz",
        "tool-Linux-x64.tar.gz",
    ];
    for (names, want) in [
        (&tools, "choose one with [exe=jq] or [exe=yq]"),
        (
            &ties,
            "choose one with [matching=-x64] or [matching=_amd64] or [matching=_x86_64]",
        ),
    ] {
        let mut order = names.to_vec();
        for _ in 0..names.len() {
            order.rotate_left(1);
            let err = pick(&order, LINUX_GNU, "gojq").unwrap_err();
            assert_eq!(err.hint().as_deref().unwrap_or_default(), want, "{order:?}");
        }
    }
}
