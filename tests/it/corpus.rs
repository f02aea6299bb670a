//! The resolver against the peers' own test corpora: ubi's picker tests and mise's asset
//! picker tests (plus aqua-registry decoys), stored as data in `../shared/corpus` (see its
//! README.md). Every expectation must hold except the short, explicit list of intentional
//! differences below, each with what toolget does instead and why; docs/differences.md
//! publishes the same list.
//!
//! When the corpus folder is absent the test says so and passes.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use toolget::error::Diagnostic;
use toolget::platform::Platform;
use toolget::release::Asset;
use toolget::resolver::{Criteria, CriteriaError, select};

/// One intentional difference: on `platform`, the peer expects something toolget does not do.
struct Difference {
    fixture: &'static str,
    platform: &'static str,
    /// What toolget answers: an asset name, `no_match` or `ambiguous`.
    toolget: &'static str,
    reason: &'static str,
}

const SHORTEST: &str = "mise settles a tie between different tools by the shortest name; toolget reports the tie \
     and asks for [exe=…]";
const NO_32_ON_64: &str =
    "the peer falls back to a 32-bit build on a 64-bit host; toolget never does so silently";
const RUNTIME: &str = "a .jar/.phar needs a language runtime; toolget installs native executables";

const DIFFERENCES: &[Difference] = &[
    // ubi
    Difference {
        fixture: "ubi-test-asset_picking-omegasort",
        platform: "linux-i686",
        toolget: "omegasort_0.0.7_Linux_i386.tar.gz",
        reason: "the fixture has Linux_386 (hand-added) next to the real Linux_i386; toolget \
                 reads both as the same x86 build and takes the spelling the release's other \
                 assets use (i386), ubi does not read `i386` as x86",
    },
    Difference {
        fixture: "ubi-test-multiple_matches",
        platform: "windows-x86_64",
        toolget: "no_match",
        reason: NO_32_ON_64,
    },
    Difference {
        fixture: "ubi-test-multiple_matches",
        platform: "i686-pc-windows-gnu",
        toolget: "mm-i686-pc-windows-msvc.zip",
        reason: "ubi takes the gnu zip by name sort; toolget's Windows order prefers msvc",
    },
    Difference {
        fixture: "ubi-picker-unit-03",
        platform: "linux-x86_64-gnu",
        toolget: "ambiguous",
        reason: "two tools (project-a, project-b), neither named `project`, and no arch \
                 named; ubi takes the first by name, toolget asks for [exe=…]",
    },
    Difference {
        fixture: "ubi-picker-unit-04",
        platform: "linux-x86_64-gnu",
        toolget: "no_match",
        reason: NO_32_ON_64,
    },
    Difference {
        fixture: "ubi-picker-unit-06",
        platform: "linux-x86_64-gnu",
        toolget: "no_match",
        reason: NO_32_ON_64,
    },
    Difference {
        fixture: "ubi-picker-unit-20",
        platform: "linux-x86_64-musl",
        toolget: "ambiguous",
        reason: "two tools (a-project, z-project), neither named `project`; ubi picks by libc \
                 among different names, toolget asks for [exe=…]",
    },
    // mise
    Difference {
        fixture: "mise-oxc-no-matching",
        platform: "linux-x86_64-gnu",
        toolget: "ambiguous",
        reason: SHORTEST,
    },
    Difference {
        fixture: "mise-multi_binary_release_without_matching_is_ambiguous",
        platform: "macos-aarch64",
        toolget: "ambiguous",
        reason: SHORTEST,
    },
    Difference {
        fixture: "mise-multi_binary_release_without_matching_is_ambiguous-repo-name",
        platform: "macos-aarch64",
        toolget: "ambiguous",
        reason: SHORTEST,
    },
    Difference {
        fixture: "mise-matching_substring_leaks_into_longer_sibling_name",
        platform: "linux-x86_64-gnu",
        toolget: "ambiguous",
        reason: "[matching=tool-a] keeps both tool-a and tool-ab; mise takes the shorter \
                 name, toolget reports the tie ([exe=tool-a] settles it)",
    },
    Difference {
        fixture: "mise-buildtools-no-matching",
        platform: "linux-x86_64-gnu",
        toolget: "ambiguous",
        reason: SHORTEST,
    },
    Difference {
        fixture: "mise-grpc-gateway-no-matching",
        platform: "macos-aarch64",
        toolget: "ambiguous",
        reason: SHORTEST,
    },
    Difference {
        fixture: "mise-x86_asset_is_x64_fallback",
        platform: "linux-x86_64-gnu",
        toolget: "no_match",
        reason: "`x86` names 32-bit x86; mise accepts it on x86_64 as a fallback (opengrep \
                 misuses the word), toolget refuses rather than guess that a publisher did",
    },
    Difference {
        fixture: "mise-arm_is_arm64_fallback-elm",
        platform: "linux-aarch64-gnu",
        toolget: "no_match",
        reason: "a bare `arm` on Linux names 32-bit ARM; mise accepts it on arm64 as a \
                 fallback, toolget refuses rather than guess that a publisher meant arm64",
    },
    Difference {
        fixture: "mise-platform_agnostic_phar_picked",
        platform: "linux-x86_64-gnu",
        toolget: "no_match",
        reason: RUNTIME,
    },
    Difference {
        fixture: "mise-platform_agnostic_phar_picked",
        platform: "macos-x86_64",
        toolget: "no_match",
        reason: RUNTIME,
    },
    Difference {
        fixture: "mise-platform_agnostic_phar_picked",
        platform: "windows-x86_64",
        toolget: "no_match",
        reason: RUNTIME,
    },
    Difference {
        fixture: "mise-platform_agnostic_jar_picked",
        platform: "linux-x86_64-gnu",
        toolget: "no_match",
        reason: RUNTIME,
    },
    Difference {
        fixture: "mise-platform_tagged_extensions_excluded-jar",
        platform: "macos-x86_64",
        toolget: "no_match",
        reason: RUNTIME,
    },
];

fn corpus_dir() -> PathBuf {
    // Beside the checkout, or beside the folder of worktrees (`wt/<name>`).
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let near = root.join("../shared/corpus");
    let far = root.join("../../shared/corpus");
    if !near.exists() && far.exists() {
        far
    } else {
        near
    }
}

/// A corpus platform key (or a Rust target triple from `expect_other`) as a toolget platform.
fn platform_for(key: &str) -> Option<Platform> {
    if key == "any" {
        // An `asset_pattern` pick the peer makes on any host; toolget still applies the
        // platform rules, so it is checked on a Linux x86_64 host.
        return "linux-x86_64-gnu".parse().ok();
    }
    if let Ok(p) = key.parse() {
        return Some(p);
    }
    let parts: Vec<&str> = key.split('-').collect();
    if parts.len() < 3 || parts.contains(&"android") {
        return None;
    }
    let os = ["linux", "darwin", "windows", "freebsd"]
        .into_iter()
        .find(|os| parts.contains(os))?;
    let os = if os == "darwin" { "macos" } else { os };
    let last = parts[parts.len() - 1];
    let libc = match os {
        "linux" if last.starts_with("musl") => "-musl",
        "linux" if last.starts_with("gnu") => "-gnu",
        _ => "",
    };
    format!("{os}-{}{libc}", parts[0]).parse().ok()
}

fn str_opt<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn criteria_for(line: &Value) -> Result<Criteria, CriteriaError> {
    let options = &line["options"];
    let repo_name = str_opt(line, "repo")
        .and_then(|r| r.rsplit('/').next())
        .unwrap_or("");
    let mut c = Criteria::new(repo_name);
    // aqua's package names the binary, as [exe=…] does; mise's preferred_name is the same
    // hint. Otherwise toolget knows only the repository, as in production.
    if str_opt(line, "source") == Some("aqua-registry") {
        if let Some(tool) = str_opt(line, "tool") {
            c = c.exe(tool);
        }
    } else if let Some(name) = str_opt(options, "preferred_name") {
        c = c.exe(name);
    }
    if let Some(m) = str_opt(options, "matching") {
        c = c.matching(m);
    }
    if let Some(re) = str_opt(options, "matching_regex") {
        c = c.matching_regex(re)?;
    }
    if let Some(glob) = str_opt(options, "asset_pattern") {
        c = c.asset_pattern(glob)?;
    }
    let extract_all = options.get("extract_all").and_then(Value::as_bool);
    Ok(c.archives_only(extract_all.unwrap_or(false)))
}

#[derive(Default)]
struct Tally {
    ran: usize,
    passed: usize,
    differed: usize,
    skipped: BTreeMap<&'static str, usize>,
    failures: Vec<String>,
    seen_differences: Vec<(&'static str, &'static str)>,
}

fn run_file(path: &Path, tally: &mut Tally) {
    let text = std::fs::read_to_string(path).unwrap();
    for (n, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let line: Value = serde_json::from_str(raw)
            .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), n + 1));
        let fixture = str_opt(&line, "fixture_id").unwrap().to_string();
        let mut expectations: Vec<(String, Option<String>)> = Vec::new();
        for field in ["expect", "expect_other"] {
            if let Some(map) = line.get(field).and_then(Value::as_object) {
                for (k, v) in map {
                    expectations.push((k.clone(), v.as_str().map(str::to_string)));
                }
            }
        }
        if str_opt(&line["options"], "select") == Some("provenance") {
            *tally
                .skipped
                .entry("provenance pick (not the resolver's job)")
                .or_default() += expectations.len();
            continue;
        }
        let assets: Vec<Asset> = line["assets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| Asset::named(a.as_str().unwrap()))
            .collect();
        let criteria = criteria_for(&line);
        for (key, expected) in expectations {
            let Some(platform) = platform_for(&key) else {
                *tally
                    .skipped
                    .entry("platform key toolget has no platform for")
                    .or_default() += 1;
                continue;
            };
            tally.ran += 1;
            let outcome = match &criteria {
                Err(_) => "invalid_criteria".to_string(),
                Ok(c) => match select(&assets, &platform, c) {
                    Ok(sel) => assets[sel.index].name.clone(),
                    Err(e) => e.kind().as_str().to_string(),
                },
            };
            let agrees = match &expected {
                Some(name) => outcome == *name,
                None => outcome == "no_match" || outcome == "invalid_criteria",
            };
            let listed = DIFFERENCES
                .iter()
                .find(|d| d.fixture == fixture && d.platform == key);
            match (agrees, listed) {
                (true, None) => tally.passed += 1,
                (true, Some(_)) => tally.failures.push(format!(
                    "{fixture} on {key}: listed as a difference but toolget now agrees ({outcome})"
                )),
                (false, Some(d)) if d.toolget == outcome => {
                    tally.differed += 1;
                    tally.seen_differences.push((d.fixture, d.platform));
                }
                (false, _) => tally.failures.push(format!(
                    "{fixture} on {key}: expected {}, toolget gave {outcome}",
                    expected.as_deref().unwrap_or("no match")
                )),
            }
        }
    }
}

#[test]
fn corpus_expectations_hold_except_listed_differences() {
    let dir = corpus_dir();
    let files = ["ubi-cases.jsonl", "mise-cases.jsonl"];
    if !files.iter().any(|f| dir.join(f).exists()) {
        crate::support::skipped(
            "corpus",
            &format!(
                "no ubi-cases.jsonl or mise-cases.jsonl in {} (the shared corpus is not checked \
                 out on this machine)",
                dir.display()
            ),
        );
        return;
    }
    let mut tally = Tally::default();
    for f in files {
        let path = dir.join(f);
        if path.exists() {
            run_file(&path, &mut tally);
        } else {
            crate::support::skipped("corpus", &format!("{} absent", path.display()));
        }
    }
    let skipped: usize = tally.skipped.values().sum();
    println!(
        "corpus: {} expectations ran, {} passed, {} differ intentionally, {skipped} skipped",
        tally.ran, tally.passed, tally.differed
    );
    for (why, n) in &tally.skipped {
        println!("corpus: skipped {n}: {why}");
    }
    for d in DIFFERENCES {
        if !tally.seen_differences.contains(&(d.fixture, d.platform))
            && !tally
                .failures
                .iter()
                .any(|f| f.starts_with(&format!("{} on {}", d.fixture, d.platform)))
        {
            tally.failures.push(format!(
                "listed difference {} on {} was not exercised (toolget should give {})",
                d.fixture, d.platform, d.toolget
            ));
        }
    }
    assert!(
        tally.failures.is_empty(),
        "{} corpus failures:\n{}",
        tally.failures.len(),
        tally.failures.join("\n")
    );
    assert_eq!(tally.passed + tally.differed, tally.ran);
}

/// The differences as the markdown table docs/differences.md publishes.
fn differences_table() -> String {
    let mut out =
        String::from("| fixture | platform | toolget answers | why |\n| --- | --- | --- | --- |\n");
    for d in DIFFERENCES {
        let answer = match d.toolget {
            "no_match" | "ambiguous" => d.toolget.to_string(),
            name => format!("`{name}`"),
        };
        out.push_str(&format!(
            "| `{}` | {} | {answer} | {} |\n",
            d.fixture,
            d.platform,
            d.reason.split_whitespace().collect::<Vec<_>>().join(" ")
        ));
    }
    out
}

/// docs/differences.md publishes exactly this list.
#[test]
fn every_difference_is_documented() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/differences.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    let table = differences_table();
    assert!(
        doc.contains(&table),
        "{} must contain this table, generated from tests/it/corpus.rs:\n\n{table}",
        path.display()
    );
}
