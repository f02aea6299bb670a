//! The resolver against a corpus of real releases (tests/fixtures/corpus, README.md there).
//!
//! Every file is one real release: its asset names as a public source lists them (`source`
//! says where), the binary a user would name (`exe`), and the expected outcome on each of the
//! nine platforms, written from the written rules (issue 8, docs/resolution.md) before the
//! engine ran. `[expect_no_exe]` holds the platforms whose outcome differs when no binary is
//! named. A fifth of the files sit in `holdout/`, graded separately.
//!
//! Each release is resolved for the nine platforms twice: with the binary named and with none.
//! The report counts, per set (main / holdout) and mode (named / unnamed): right, wrong pick
//! (an asset the rules do not allow, or a pick where the rules refuse) and refused (no pick
//! where the rules pick, or the other kind of refusal), and lists every wrong pick and refusal
//! with the engine's reasons.
//!
//! Fails on a malformed file, a missing `source`, an expected asset that is not in `assets`, a
//! corpus under 300 releases / 150 projects, any wrong pick, and "right" under 99% (named) /
//! 97% (unnamed), in the main set and the holdout alike.

use crate::support::expect::{Expect, ReleaseFixture};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use toolget::error::Diagnostic;
use toolget::platform::{NINE, Platform};
use toolget::release::Asset;
use toolget::resolver::{Criteria, SelectError, Selection, select};

const MIN_RELEASES: usize = 300;
const MIN_PROJECTS: usize = 150;
/// Share of platform picks that must be right, with the binary named / with none.
const MIN_RIGHT_NAMED: f64 = 0.99;
const MIN_RIGHT_UNNAMED: f64 = 0.97;

#[derive(Debug, Clone)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Set {
    Main,
    Holdout,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mode {
    Named,
    Unnamed,
}

struct Release {
    file: String,
    set: Set,
    fixture: ReleaseFixture,
    /// Per platform in [`NINE`] order: (named, unnamed).
    outcomes: Vec<(Platform, Outcome, Outcome)>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus")
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| {
            entry
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
                .path()
        })
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    paths
}

/// The file name a release must have: `owner__repo__tag.toml`, with `/` in a tag written `_`.
fn file_name_for(repo: &str, tag: &str) -> String {
    let (owner, name) = repo.split_once('/').unwrap_or(("", ""));
    format!("{owner}__{name}__{}.toml", tag.replace('/', "_"))
}

/// Reads and validates every corpus file; panics listing every problem found.
fn load_all() -> Vec<Release> {
    let dir = corpus_dir();
    let mut problems = Vec::new();
    let mut releases = Vec::new();
    let sets = [
        (Set::Main, dir.clone()),
        (Set::Holdout, dir.join("holdout")),
    ];
    for (set, dir) in sets {
        for path in toml_files(&dir) {
            let file = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let fixture: ReleaseFixture = match toml::from_str(&text) {
                Ok(fixture) => fixture,
                Err(e) => {
                    problems.push(format!("{file}: not a valid corpus file: {e}"));
                    continue;
                }
            };
            match validate(file, set, fixture) {
                Ok(release) => releases.push(release),
                Err(mut found) => problems.append(&mut found),
            }
        }
    }
    let mut seen = HashSet::new();
    for release in &releases {
        if !seen.insert(release.file.clone()) {
            problems.push(format!(
                "{}: in both the main set and holdout/",
                release.file
            ));
        }
    }
    let projects = project_count(&releases);
    if releases.len() < MIN_RELEASES || projects < MIN_PROJECTS {
        problems.push(format!(
            "the corpus has {} releases from {projects} projects; it needs at least \
             {MIN_RELEASES} releases from {MIN_PROJECTS} projects",
            releases.len()
        ));
    }
    assert!(
        problems.is_empty(),
        "{} corpus problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    releases
}

fn project_count(releases: &[Release]) -> usize {
    releases
        .iter()
        .map(|r| r.fixture.repo.to_ascii_lowercase())
        .collect::<BTreeSet<_>>()
        .len()
}

fn outcome(expect: &Expect, known: &HashSet<&str>) -> Result<Outcome, String> {
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
                return Err("write one of \"asset\", { asset, emulation }, \
                     { any_of = [two or more], emulation }, \
                     { error = \"no_match\" | \"ambiguous\" }"
                    .to_string());
            }
        },
    };
    if let Outcome::Choose { acceptable, .. } = &outcome {
        for asset in acceptable {
            if !known.contains(asset.as_str()) {
                return Err(format!("expected asset `{asset}` is not in `assets`"));
            }
        }
    }
    Ok(outcome)
}

fn validate(file: String, set: Set, fixture: ReleaseFixture) -> Result<Release, Vec<String>> {
    let mut problems = Vec::new();
    let expected_file = file_name_for(&fixture.repo, &fixture.tag);
    if file != expected_file {
        problems.push(format!("{file}: should be named {expected_file}"));
    }
    if !fixture.repo.contains('/') {
        problems.push(format!("{file}: `repo` must be owner/name"));
    }
    if fixture
        .source
        .as_deref()
        .is_none_or(|s| s.trim().is_empty())
    {
        problems.push(format!(
            "{file}: `source` must say where the asset list was read"
        ));
    }
    if fixture.note.trim().is_empty() {
        problems.push(format!("{file}: `note` must say what the release tests"));
    }
    if fixture.assets.is_empty() {
        problems.push(format!("{file}: `assets` is empty"));
    }
    let mut known = HashSet::new();
    for asset in &fixture.assets {
        if !known.insert(asset.as_str()) {
            problems.push(format!("{file}: asset `{asset}` listed twice"));
        }
    }
    let nine: Vec<String> = NINE.iter().map(Platform::to_string).collect();
    let no_exe = fixture.expect_no_exe.clone().unwrap_or_default();
    for (table, keys) in [("expect", &fixture.expect), ("expect_no_exe", &no_exe)] {
        for key in keys.keys() {
            if !nine.contains(key) {
                problems.push(format!(
                    "{file} [{table}]: `{key}` is not one of the nine platforms {nine:?}"
                ));
            }
        }
    }
    let mut outcomes = Vec::new();
    for platform in NINE {
        let key = platform.to_string();
        let Some(expect) = fixture.expect.get(&key) else {
            problems.push(format!("{file}: no expectation for `{key}`"));
            continue;
        };
        let named = match outcome(expect, &known) {
            Ok(outcome) => outcome,
            Err(e) => {
                problems.push(format!("{file} [expect] {key}: {e}"));
                continue;
            }
        };
        let unnamed = match no_exe.get(&key) {
            None => named.clone(),
            Some(expect) => match outcome(expect, &known) {
                Ok(outcome) => outcome,
                Err(e) => {
                    problems.push(format!("{file} [expect_no_exe] {key}: {e}"));
                    continue;
                }
            },
        };
        outcomes.push((platform, named, unnamed));
    }
    if problems.is_empty() {
        Ok(Release {
            file,
            set,
            fixture,
            outcomes,
        })
    } else {
        Err(problems)
    }
}

fn criteria(fixture: &ReleaseFixture, mode: Mode) -> Criteria {
    let name = fixture
        .repo
        .split_once('/')
        .map_or(fixture.repo.as_str(), |(_, name)| name);
    let criteria = Criteria::new(name);
    match (&fixture.exe, mode) {
        (Some(exe), Mode::Named) => criteria.exe(exe.as_str()),
        _ => criteria,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grade {
    Right,
    WrongPick,
    Refused,
}

fn grade(assets: &[String], result: &Result<Selection, SelectError>, expected: &Outcome) -> Grade {
    match (result, expected) {
        (
            Ok(selection),
            Outcome::Choose {
                acceptable,
                emulation,
            },
        ) => {
            if acceptable.contains(&assets[selection.index])
                && selection.emulation.is_some() == *emulation
            {
                Grade::Right
            } else {
                Grade::WrongPick
            }
        }
        (Ok(_), Outcome::Fail(_)) => Grade::WrongPick,
        (Err(error), Outcome::Fail(kind)) if error.kind().as_str() == kind => Grade::Right,
        (Err(_), _) => Grade::Refused,
    }
}

/// The engine's reasons for the assets that matter: the chosen one and the expected ones.
fn explain(
    assets: &[String],
    result: &Result<Selection, SelectError>,
    expected: &Outcome,
) -> String {
    let mut wanted: Vec<&str> = match expected {
        Outcome::Choose { acceptable, .. } => acceptable.iter().map(String::as_str).collect(),
        Outcome::Fail(_) => Vec::new(),
    };
    let mut out = String::new();
    let verdicts = match result {
        Ok(selection) => {
            let _ = writeln!(
                out,
                "    got:      {}{}",
                assets[selection.index],
                selection
                    .emulation
                    .map(|how| format!(" (emulated: {how})"))
                    .unwrap_or_default()
            );
            wanted.push(assets[selection.index].as_str());
            &selection.verdicts
        }
        Err(error) => {
            let _ = writeln!(
                out,
                "    got:      error {}: {error}",
                error.kind().as_str()
            );
            error.verdicts()
        }
    };
    for (asset, verdict) in assets.iter().zip(verdicts) {
        if wanted.contains(&asset.as_str()) {
            let _ = writeln!(out, "      {verdict:?}");
        }
    }
    out
}

#[derive(Default)]
struct Tally {
    right: usize,
    wrong: usize,
    refused: usize,
}

impl Tally {
    fn total(&self) -> usize {
        self.right + self.wrong + self.refused
    }
    fn share_right(&self) -> f64 {
        if self.total() == 0 {
            1.0
        } else {
            self.right as f64 / self.total() as f64
        }
    }
}

#[test]
fn corpus_files_are_well_formed() {
    let releases = load_all();
    let holdout = releases.iter().filter(|r| r.set == Set::Holdout).count();
    println!(
        "real corpus: {} releases ({holdout} in holdout) from {} projects",
        releases.len(),
        project_count(&releases)
    );
}

#[test]
fn corpus_agreement() {
    let releases = load_all();
    let mut tallies: BTreeMap<(Set, Mode), Tally> = BTreeMap::new();
    let mut listed: BTreeMap<(Set, Mode), Vec<String>> = BTreeMap::new();
    for release in &releases {
        let assets: Vec<Asset> = release.fixture.assets.iter().map(Asset::named).collect();
        for mode in [Mode::Named, Mode::Unnamed] {
            let criteria = criteria(&release.fixture, mode);
            for (platform, named, unnamed) in &release.outcomes {
                let expected = match mode {
                    Mode::Named => named,
                    Mode::Unnamed => unnamed,
                };
                let result = select(&assets, platform, &criteria);
                let grade = grade(&release.fixture.assets, &result, expected);
                let tally = tallies.entry((release.set, mode)).or_default();
                let label = match grade {
                    Grade::Right => {
                        tally.right += 1;
                        continue;
                    }
                    Grade::WrongPick => {
                        tally.wrong += 1;
                        "WRONG PICK"
                    }
                    Grade::Refused => {
                        tally.refused += 1;
                        "REFUSED"
                    }
                };
                listed.entry((release.set, mode)).or_default().push(format!(
                    "{label} {} [{platform}] ({mode:?})\n    expected: {expected}\n{}",
                    release.file,
                    explain(&release.fixture.assets, &result, expected)
                ));
            }
        }
    }

    let mut summary = String::new();
    for ((set, mode), tally) in &tallies {
        let _ = writeln!(
            summary,
            "{set:?}/{mode:?}: {} picks: {} right ({:.1}%), {} wrong pick(s), {} refused",
            tally.total(),
            tally.right,
            tally.share_right() * 100.0,
            tally.wrong,
            tally.refused
        );
    }
    for ((set, mode), lines) in &listed {
        println!("---- {set:?}/{mode:?}: {} disagreement(s)", lines.len());
        for line in lines {
            println!("{line}");
        }
    }
    println!("real corpus agreement:\n{summary}");

    let mut failures = Vec::new();
    for ((set, mode), tally) in &tallies {
        if tally.wrong > 0 {
            failures.push(format!("{set:?}/{mode:?}: {} wrong pick(s)", tally.wrong));
        }
        let floor = match mode {
            Mode::Named => MIN_RIGHT_NAMED,
            Mode::Unnamed => MIN_RIGHT_UNNAMED,
        };
        if tally.share_right() < floor {
            failures.push(format!(
                "{set:?}/{mode:?}: {:.1}% right, under {:.0}%",
                tally.share_right() * 100.0,
                floor * 100.0
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "the resolver disagrees with the corpus:\n{}\n{summary}",
        failures.join("\n")
    );
}
