//! Invariants of the resolver over every real release we hold (tests/fixtures/releases and the
//! corpus main set, never its holdout), checked on all nine platforms, with and without the
//! binary named:
//! - the pick, the error kind, the candidates and the hint never depend on asset order (seeded
//!   shuffles);
//! - following an ambiguity hint resolves;
//! - the pick never names another OS, nor another architecture unless flagged as emulated;
//! - the pick is never a checksum, signature, package, installer or `lib<tool>`;
//! - adding unrelated assets (checksums, a source archive, a build for another platform) never
//!   changes a right pick.

#![allow(clippy::unwrap_used)]

use crate::resolver_corpus::{Grade, criteria, expected, grade, main_set};
use crate::support::expect::ReleaseFixture;
use toolget::error::Diagnostic;
use toolget::platform::{Arch, NINE, Os, Platform};
use toolget::release::Asset;
use toolget::resolver::{Criteria, SelectError, Selection, name_family, select};

fn all_releases() -> Vec<(String, ReleaseFixture)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/releases");
    let mut out: Vec<(String, ReleaseFixture)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let fixture = toml::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fixture,
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.extend(main_set());
    out
}

/// The table fixtures carry filters; the corpus none.
fn criteria_of(fixture: &ReleaseFixture, named: bool) -> Criteria {
    let mut c = criteria(fixture, named);
    if let Some(m) = &fixture.matching {
        c = c.matching(m.as_str());
    }
    if let Some(re) = &fixture.matching_regex {
        c = c.matching_regex(re).unwrap();
    }
    if let Some(g) = &fixture.asset_pattern {
        c = c.asset_pattern(g).unwrap();
    }
    c
}

/// Everything a user sees of an outcome, independent of asset order.
fn outcome(assets: &[Asset], result: &Result<Selection, SelectError>) -> String {
    match result {
        Ok(s) => format!("{} {:?}", assets[s.index].name, s.emulation),
        Err(e) => format!("{} | {e} | {}", e.kind(), e.hint().unwrap_or_default()),
    }
}

#[test]
fn pick_and_hint_never_depend_on_asset_order() {
    let mut rng = fastrand::Rng::with_seed(8);
    let mut checked = 0;
    for (file, fixture) in all_releases() {
        let assets: Vec<Asset> = fixture.assets.iter().map(Asset::named).collect();
        for named in [true, false] {
            let c = criteria_of(&fixture, named);
            for platform in NINE {
                let want = outcome(&assets, &select(&assets, &platform, &c));
                for _ in 0..3 {
                    let mut shuffled = assets.clone();
                    rng.shuffle(&mut shuffled);
                    let got = outcome(&shuffled, &select(&shuffled, &platform, &c));
                    assert_eq!(got, want, "{file} on {platform}, shuffled: {shuffled:?}");
                    checked += 1;
                }
            }
        }
    }
    println!("order independence: {checked} shuffled resolutions");
}

/// The options an ambiguity hint suggests, as criteria.
fn follow(hint: &str, base: &Criteria) -> Vec<Criteria> {
    hint.split(" or ")
        .filter_map(|option| {
            let inner = option.strip_prefix('[')?.strip_suffix(']')?;
            let (key, value) = inner.split_once('=')?;
            Some(match key {
                "matching" => base.clone().matching(value),
                "exe" => base.clone().exe(value),
                _ => return None,
            })
        })
        .collect()
}

#[test]
fn following_an_ambiguity_hint_resolves() {
    let mut followed = 0;
    for (file, fixture) in all_releases() {
        let assets: Vec<Asset> = fixture.assets.iter().map(Asset::named).collect();
        for named in [true, false] {
            let c = criteria_of(&fixture, named);
            for platform in NINE {
                let Err(SelectError::Ambiguous {
                    hint, candidates, ..
                }) = select(&assets, &platform, &c)
                else {
                    continue;
                };
                let options = follow(&hint, &c);
                assert!(!options.is_empty(), "{file} on {platform}: hint `{hint}`");
                for option in options {
                    let s = select(&assets, &platform, &option)
                        .unwrap_or_else(|e| panic!("{file} on {platform}: `{hint}`: {e}"));
                    assert!(candidates.contains(&assets[s.index].name), "{file}: {hint}");
                    followed += 1;
                }
            }
        }
    }
    // A synthetic release whose tie the hint must settle.
    let tie: Vec<Asset> = ["Jq-linux-amd64", "jq-linux-x86_64", "jq-Linux-x64"]
        .into_iter()
        .map(Asset::named)
        .collect();
    let c = Criteria::new("jq");
    if let Err(SelectError::Ambiguous { hint, .. }) = select(&tie, &NINE[0], &c) {
        for option in follow(&hint, &c) {
            assert!(select(&tie, &NINE[0], &option).is_ok(), "{hint}");
            followed += 1;
        }
    }
    println!("ambiguity hints followed: {followed}");
}

const OS_WORDS: &[(&str, Os)] = &[
    ("linux", Os::Linux),
    ("darwin", Os::Macos),
    ("macos", Os::Macos),
    ("osx", Os::Macos),
    ("windows", Os::Windows),
    ("win", Os::Windows),
    ("win64", Os::Windows),
    ("freebsd", Os::Freebsd),
];
const OTHER_OS: &[&str] = &["android", "netbsd", "openbsd", "illumos", "solaris", "ios"];
const ARCH_WORDS: &[(&str, Arch)] = &[
    ("amd64", Arch::X86_64),
    ("x64", Arch::X86_64),
    ("aarch64", Arch::Aarch64),
    ("arm64", Arch::Aarch64),
    ("armv7", Arch::Armv7),
    ("i686", Arch::I686),
    ("i386", Arch::I686),
    ("386", Arch::I686),
    ("s390x", Arch::S390x),
    ("ppc64le", Arch::Ppc64le),
    ("riscv64", Arch::Riscv64),
];

fn words(name: &str) -> Vec<String> {
    name.to_ascii_lowercase()
        .replace("x86_64", "amd64")
        .replace("x86-64", "amd64")
        .split(['-', '_', '.', ' '])
        .map(str::to_string)
        .collect()
}

/// What is wrong with choosing `name` on `platform` by its words alone, if anything.
fn misfit(name: &str, platform: &Platform, emulated: bool) -> Option<String> {
    let ws = words(name);
    // The first word is the tool's name, which may hold anything.
    for w in ws.iter().skip(1) {
        if OTHER_OS.contains(&w.as_str()) {
            return Some(format!("names {w}"));
        }
        if let Some((_, os)) = OS_WORDS.iter().find(|(word, _)| word == w)
            && *os != platform.os
        {
            return Some(format!("names {w}"));
        }
        if let Some((_, arch)) = ARCH_WORDS.iter().find(|(word, _)| word == w)
            && *arch != platform.arch
            && !(emulated && *arch == Arch::X86_64)
        {
            return Some(format!("names {w}"));
        }
    }
    let lower = name.to_ascii_lowercase();
    for ext in [
        ".sha256", ".sha512", ".sig", ".asc", ".pem", ".sbom", ".txt", ".json", ".deb", ".rpm",
        ".msi", ".dmg", ".pkg", ".apk", ".jar",
    ] {
        if lower.ends_with(ext) {
            return Some(format!("is a {ext} file"));
        }
    }
    if ws.iter().skip(1).any(|w| w == "setup" || w == "installer") {
        return Some("is an installer".into());
    }
    None
}

#[test]
fn a_pick_is_never_for_another_platform_nor_a_non_executable() {
    for (file, fixture) in all_releases() {
        let assets: Vec<Asset> = fixture.assets.iter().map(Asset::named).collect();
        for named in [true, false] {
            let c = criteria_of(&fixture, named);
            let wanted = if named { fixture.exe.clone() } else { None }
                .unwrap_or_else(|| fixture.repo.split('/').nth(1).unwrap().to_string())
                .to_ascii_lowercase();
            for platform in NINE {
                let Ok(s) = select(&assets, &platform, &c) else {
                    continue;
                };
                let name = &assets[s.index].name;
                if let Some(why) = misfit(name, &platform, s.emulation.is_some()) {
                    panic!("{file} on {platform}: picked `{name}`, which {why}");
                }
                assert!(
                    !name
                        .to_ascii_lowercase()
                        .starts_with(&format!("lib{wanted}")),
                    "{file} on {platform}: picked the library `{name}`"
                );
            }
        }
    }
}

#[test]
fn unrelated_assets_never_change_a_right_pick() {
    let mut kept = 0;
    for (file, fixture) in all_releases() {
        let base: Vec<Asset> = fixture.assets.iter().map(Asset::named).collect();
        for named in [true, false] {
            let c = criteria_of(&fixture, named);
            for platform in NINE {
                let before = select(&base, &platform, &c);
                if fixture.source.is_some()
                    && grade(
                        &fixture.assets,
                        &before,
                        &expected(&fixture, &platform, named),
                    ) != Grade::Right
                {
                    continue;
                }
                let Ok(before) = before else { continue };
                let picked = &base[before.index].name;
                // Unrelated: files never installed, and builds of the same tool for platforms
                // none of the nine is (another build for one of their OSes would be information: it can
                // tell what an arch-less build of that OS is).
                let tool = name_family(picked).unwrap_or_else(|| "tool".to_string());
                let mut assets = base.clone();
                for extra in [
                    "checksums.txt".to_string(),
                    "SHA256SUMS.asc".to_string(),
                    format!("{tool}-9.9.9-src.tar.gz"),
                    format!("{tool}_9.9.9_amd64.deb"),
                    format!("{tool}-9.9.9-netbsd-sparc64.tar.gz"),
                    format!("{tool}-9.9.9-illumos-amd64.tar.gz"),
                ] {
                    if !assets.iter().any(|a| a.name == extra) {
                        assets.push(Asset::named(extra));
                    }
                }
                let after = select(&assets, &platform, &c)
                    .unwrap_or_else(|e| panic!("{file} on {platform}: {e}"));
                assert_eq!(&assets[after.index].name, picked, "{file} on {platform}");
                kept += 1;
            }
        }
    }
    println!("right picks unchanged by unrelated assets: {kept}");
}
