//! Table tests for the asset-selection engine: real release asset lists × the nine platforms.
//!
//! Each file in `tests/fixtures/releases/` is one real release (`owner__repo__tag.toml`): its
//! asset names as published, the selection options a user would pass, and the expected outcome
//! on every platform in [`NINE`]. The expectations were written from the selection rules and the
//! projects' naming conventions, not from the engine's output, so they are independent ground
//! truth. The runner checks every fixture and every platform and reports all mismatches at once,
//! with the engine's reasons, so one run shows the whole picture.

use crate::support::expect::{Expect, ReleaseFixture};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use toolget::error::Diagnostic;
use toolget::platform::{NINE, Platform};
use toolget::release::Asset;
use toolget::resolver::{Criteria, select};

/// Below this the table no longer covers the naming styles it was written for.
const MIN_RELEASES: usize = 45;

/// An expectation after validation.
#[derive(Debug)]
enum Outcome {
    Choose {
        acceptable: Vec<String>,
        emulation: bool,
    },
    Fail(String),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Choose {
                acceptable,
                emulation,
            } => {
                write!(f, "{}", acceptable.join(" | "))?;
                if *emulation {
                    write!(f, " (emulated)")?;
                }
                Ok(())
            }
            Outcome::Fail(kind) => write!(f, "error {kind}"),
        }
    }
}

struct Loaded {
    file: String,
    fixture: ReleaseFixture,
    criteria: Criteria,
    /// In the order of [`NINE`].
    outcomes: Vec<(Platform, Outcome)>,
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/releases")
}

/// Reads and validates every fixture; panics with every problem found, not just the first.
fn load_all() -> Vec<Loaded> {
    let dir = fixtures_dir();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| {
            entry
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
                .path()
        })
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();

    let mut problems = Vec::new();
    let mut loaded = Vec::new();
    for path in &paths {
        let file = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let fixture: ReleaseFixture = match toml::from_str(&text) {
            Ok(fixture) => fixture,
            Err(e) => {
                problems.push(format!("{file}: not a valid fixture: {e}"));
                continue;
            }
        };
        match validate(file, fixture) {
            Ok(release) => loaded.push(release),
            Err(mut found) => problems.append(&mut found),
        }
    }
    if paths.len() < MIN_RELEASES {
        problems.push(format!(
            "only {} fixtures in {}; the table needs at least {MIN_RELEASES}",
            paths.len(),
            dir.display()
        ));
    }
    assert!(
        problems.is_empty(),
        "{} fixture problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    loaded
}

fn validate(file: String, fixture: ReleaseFixture) -> Result<Loaded, Vec<String>> {
    let mut problems = Vec::new();
    let criteria = criteria(&fixture).map_err(|e| problems.push(format!("{file}: {e}")));
    let (owner, name) = fixture.repo.split_once('/').unwrap_or(("", ""));
    let expected_file = format!("{owner}__{name}__{}.toml", fixture.tag);
    if file != expected_file {
        problems.push(format!("{file}: should be named {expected_file}"));
    }
    if fixture.note.trim().is_empty() {
        problems.push(format!("{file}: `note` must say what the release tests"));
    }

    let mut seen = HashSet::new();
    for asset in &fixture.assets {
        if !seen.insert(asset.as_str()) {
            problems.push(format!("{file}: asset `{asset}` listed twice"));
        }
    }

    let nine: Vec<String> = NINE.iter().map(Platform::to_string).collect();
    for key in fixture.expect.keys() {
        if !nine.contains(key) {
            problems.push(format!(
                "{file}: `{key}` is not one of the nine platforms {nine:?}"
            ));
        }
    }

    let mut outcomes = Vec::new();
    for platform in NINE {
        let key = platform.to_string();
        let Some(expect) = fixture.expect.get(&key) else {
            problems.push(format!("{file}: no expectation for `{key}`"));
            continue;
        };
        let outcome = match expect {
            Expect::Asset(asset) => Outcome::Choose {
                acceptable: vec![asset.clone()],
                emulation: false,
            },
            Expect::Detailed(d) => match (&d.asset, &d.any_of, &d.error) {
                (Some(asset), None, None) => Outcome::Choose {
                    acceptable: vec![asset.clone()],
                    emulation: d.emulation,
                },
                (None, Some(any_of), None) if any_of.len() >= 2 => Outcome::Choose {
                    acceptable: any_of.clone(),
                    emulation: d.emulation,
                },
                (None, None, Some(kind))
                    if (kind == "no_match" || kind == "ambiguous") && !d.emulation =>
                {
                    Outcome::Fail(kind.clone())
                }
                _ => {
                    problems.push(format!(
                        "{file} {key}: write one of \"asset\", {{ asset, emulation }}, \
                         {{ any_of = [two or more], emulation }}, \
                         {{ error = \"no_match\" | \"ambiguous\" }}"
                    ));
                    continue;
                }
            },
        };
        if let Outcome::Choose { acceptable, .. } = &outcome {
            for asset in acceptable {
                if !seen.contains(asset.as_str()) {
                    problems.push(format!(
                        "{file} {key}: expected asset `{asset}` is not in `assets`"
                    ));
                }
            }
        }
        outcomes.push((platform, outcome));
    }
    match criteria {
        Ok(criteria) if problems.is_empty() => Ok(Loaded {
            file,
            fixture,
            criteria,
            outcomes,
        }),
        _ => Err(problems),
    }
}

/// The options a user would pass, from the fixture; a pattern the engine refuses is a fixture
/// problem, reported with the others.
fn criteria(fixture: &ReleaseFixture) -> Result<Criteria, String> {
    let name = fixture
        .repo
        .split_once('/')
        .map_or(fixture.repo.as_str(), |(_, name)| name);
    let mut criteria = Criteria::new(name);
    if let Some(exe) = &fixture.exe {
        criteria = criteria.exe(exe.as_str());
    }
    if let Some(matching) = &fixture.matching {
        criteria = criteria.matching(matching.as_str());
    }
    if let Some(regex) = &fixture.matching_regex {
        criteria = criteria
            .matching_regex(regex.as_str())
            .map_err(|e| format!("matching_regex `{regex}` refused: {e}"))?;
    }
    if let Some(pattern) = &fixture.asset_pattern {
        criteria = criteria
            .asset_pattern(pattern.as_str())
            .map_err(|e| format!("asset_pattern `{pattern}` refused: {e}"))?;
    }
    Ok(criteria)
}

#[test]
fn fixtures_are_well_formed() {
    let loaded = load_all();
    assert!(loaded.len() >= MIN_RELEASES);
}

#[test]
fn every_release_resolves_as_expected_on_all_nine_platforms() {
    let loaded = load_all();
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for Loaded {
        file,
        fixture,
        criteria,
        outcomes,
    } in &loaded
    {
        let assets: Vec<Asset> = fixture.assets.iter().map(Asset::named).collect();
        for (platform, expected) in outcomes {
            checked += 1;
            let result = select(&assets, platform, criteria);
            let mut report = String::new();
            let right = match (&result, expected) {
                (
                    Ok(selection),
                    Outcome::Choose {
                        acceptable,
                        emulation,
                    },
                ) => {
                    acceptable.contains(&fixture.assets[selection.index])
                        && selection.emulation.is_some() == *emulation
                }
                (Err(error), Outcome::Fail(kind)) => error.kind().as_str() == kind,
                _ => false,
            };
            if right {
                continue;
            }
            match &result {
                Ok(selection) => {
                    let _ = writeln!(
                        report,
                        "    got:      {}{}",
                        fixture.assets[selection.index],
                        selection
                            .emulation
                            .map(|how| format!(" (emulated: {how})"))
                            .unwrap_or_default()
                    );
                    for verdict in &selection.verdicts {
                        let mark = if verdict.accepted { "+" } else { "-" };
                        let _ = writeln!(
                            report,
                            "      {mark} {:?}: {:?}",
                            verdict.asset, verdict.reason
                        );
                    }
                }
                Err(error) => {
                    let _ = writeln!(
                        report,
                        "    got:      error {}: {error}",
                        error.kind().as_str()
                    );
                }
            }
            mismatches.push(format!(
                "{file} [{platform}]\n    expected: {expected}\n{report}"
            ));
        }
    }
    println!(
        "resolver tables: {} releases, {checked} expectations checked, {} mismatches",
        loaded.len(),
        mismatches.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} of {checked} expectations failed across {} releases:\n\n{}",
        mismatches.len(),
        loaded.len(),
        mismatches.join("\n")
    );
}
