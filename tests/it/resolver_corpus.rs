//! The engine against the real-release corpus's main set (tests/fixtures/corpus/*.toml), the
//! part the resolver is tuned on. The held-out fifth (`holdout/`) is never read here: it is
//! graded separately by tests/it/real_corpus.rs. Every platform is resolved twice, with the
//! binary named and with none; a wrong pick fails the test, and the agreement is printed
//! (`cargo test --test it resolver_corpus -- --nocapture`), with every disagreement.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use crate::support::expect::{Expect, ReleaseFixture};
use toolget::error::Diagnostic;
use toolget::platform::{NINE, Platform};
use toolget::release::Asset;
use toolget::resolver::{Criteria, SelectError, Selection, select};

/// Expectations that contradict issue 8's written rules, left as the corpus wrote them (the
/// corpus is not ours to edit) and reported separately: (file, why toolget differs).
const DISPUTED: &[(&str, &str)] = &[];

/// The main set's files, in name order; `holdout/` is a folder and is skipped unopened.
pub(crate) fn main_set() -> Vec<(String, ReleaseFixture)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let fixture: ReleaseFixture =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fixture,
            )
        })
        .collect()
}

/// The criteria of a fixture: `exe` when `named`, else the repository name alone.
pub(crate) fn criteria(fixture: &ReleaseFixture, named: bool) -> Criteria {
    let name = fixture
        .repo
        .split_once('/')
        .map_or(fixture.repo.as_str(), |(_, name)| name);
    let mut c = Criteria::new(name);
    if named && let Some(exe) = &fixture.exe {
        c = c.exe(exe.as_str());
    }
    c
}

/// The expectation for `platform` in a mode.
pub(crate) fn expected(fixture: &ReleaseFixture, platform: &Platform, named: bool) -> Expect {
    let key = platform.to_string();
    if !named && let Some(e) = fixture.expect_no_exe.as_ref().and_then(|m| m.get(&key)) {
        return e.clone();
    }
    fixture.expect[&key].clone()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grade {
    Right,
    Wrong,
    Refused,
}

pub(crate) fn grade(
    names: &[String],
    got: &Result<Selection, SelectError>,
    want: &Expect,
) -> Grade {
    let (acceptable, emulation, error): (Vec<&String>, bool, Option<&str>) = match want {
        Expect::Asset(a) => (vec![a], false, None),
        Expect::Detailed(d) => (
            d.asset.iter().chain(d.any_of.iter().flatten()).collect(),
            d.emulation,
            d.error.as_deref(),
        ),
    };
    match (got, error) {
        (Ok(s), None) => {
            if acceptable.contains(&&names[s.index]) && s.emulation.is_some() == emulation {
                Grade::Right
            } else {
                Grade::Wrong
            }
        }
        (Ok(_), Some(_)) => Grade::Wrong,
        (Err(e), Some(kind)) if e.kind().as_str() == kind => Grade::Right,
        (Err(_), _) => Grade::Refused,
    }
}

fn describe(want: &Expect) -> String {
    match want {
        Expect::Asset(a) => a.clone(),
        Expect::Detailed(d) => match (&d.asset, &d.any_of, &d.error) {
            (Some(a), _, _) => format!("{a}{}", if d.emulation { " (emulated)" } else { "" }),
            (_, Some(any), _) => any.join(" | "),
            (_, _, Some(e)) => format!("error {e}"),
            _ => "?".into(),
        },
    }
}

#[test]
fn the_main_corpus_resolves_with_no_wrong_pick() {
    let set = main_set();
    if set.is_empty() {
        println!("SKIPPED: no tests/fixtures/corpus/*.toml (the corpus is not merged here)");
        return;
    }
    let mut lines = Vec::new();
    let mut wrong = 0;
    let mut disputed = 0;
    for named in [true, false] {
        let (mut right, mut refused, mut total) = (0, 0, 0);
        for (file, fixture) in &set {
            let assets: Vec<Asset> = fixture.assets.iter().map(Asset::named).collect();
            let c = criteria(fixture, named);
            for platform in NINE {
                let want = expected(fixture, &platform, named);
                let got = select(&assets, &platform, &c);
                let g = grade(&fixture.assets, &got, &want);
                if g != Grade::Right && DISPUTED.iter().any(|(f, _)| f == file) {
                    disputed += 1;
                    continue;
                }
                total += 1;
                match g {
                    Grade::Right => right += 1,
                    Grade::Wrong => wrong += 1,
                    Grade::Refused => refused += 1,
                }
                if g != Grade::Right {
                    let got = match &got {
                        Ok(s) => format!(
                            "{}{}",
                            fixture.assets[s.index],
                            if s.emulation.is_some() {
                                " (emulated)"
                            } else {
                                ""
                            }
                        ),
                        Err(e) => format!("error {}: {e}", e.kind()),
                    };
                    lines.push(format!(
                        "{g:?} {} {file} [{platform}]\n    expected: {}\n    got:      {got}",
                        if named { "named" } else { "unnamed" },
                        describe(&want)
                    ));
                }
            }
        }
        println!(
            "corpus main set, binary {}: {} releases, {total} picks: {right} right ({:.1}%), \
             {} wrong, {refused} refused",
            if named { "named" } else { "not named" },
            set.len(),
            100.0 * right as f64 / total as f64,
            total - right - refused,
        );
    }
    if disputed > 0 {
        println!("{disputed} picks in disputed expectations (not counted):");
        for (file, why) in DISPUTED {
            println!("  {file}: {why}");
        }
    }
    for line in &lines {
        println!("{line}");
    }
    assert_eq!(
        wrong, 0,
        "wrong picks on the main corpus (see the list above)"
    );
}
