//! The shape of the code, checked: every library module imports only modules before it in
//! the `layers:` line of src/lib.rs (dependencies point downhill), and only the command line
//! prints.

use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file belongs to: `src/store/receipt.rs` → `store`.
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(src()).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

fn layers() -> Vec<String> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let line = lib
        .lines()
        .find_map(|l| l.strip_prefix("//! layers:"))
        .expect("src/lib.rs has a `//! layers:` line");
    // A name with an underscore is written `in_backticks` (clippy's doc_markdown).
    line.split_whitespace()
        .map(|name| name.trim_matches('`').to_string())
        .collect()
}

#[test]
fn dependencies_point_downhill() {
    let layers = layers();
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    // Every `pub mod` of lib.rs has a place in the order.
    for declared in lib.lines().filter_map(|l| l.strip_prefix("pub mod ")) {
        let name = declared.trim_end_matches(';');
        assert!(
            layers.iter().any(|l| l == name),
            "module `{name}` is missing from the layers line of src/lib.rs"
        );
    }
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let uses = regex::Regex::new(r"crate::([a-z_]+)").unwrap();
    let mut violations = Vec::new();
    for file in files {
        let module = module_of(&file);
        let Some(rank) = layers.iter().position(|l| *l == module) else {
            continue; // lib.rs, main.rs, cli (the binary, above everything)
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            for used in uses.captures_iter(line) {
                let used = &used[1];
                if used == module {
                    continue;
                }
                match layers.iter().position(|l| l == used) {
                    Some(r) if r < rank => {}
                    _ => violations.push(format!(
                        "{}:{}: `{module}` uses `crate::{used}`, which is not below it",
                        file.strip_prefix(src()).unwrap().display(),
                        n + 1
                    )),
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// The library reports through the `Reporter` trait and returns errors; only `src/cli` and
/// `src/main.rs` print.
#[test]
fn only_the_command_line_prints() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let prints = regex::Regex::new(r"\b(e?print!|e?println!|dbg!)\(").unwrap();
    let mut found = Vec::new();
    for file in files {
        let module = module_of(&file);
        if module == "cli" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        // Test modules may print diagnostics of their own.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code.lines().enumerate() {
            if prints.is_match(line) && !line.trim_start().starts_with("//") {
                found.push(format!(
                    "{}:{}: {}",
                    file.strip_prefix(src()).unwrap().display(),
                    n + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Verification levels are written two ways (Display for people and receipts' text, serde for
/// JSON and TOML): the words must be the same.
#[test]
fn verification_words_are_one_vocabulary() {
    use toolget::store::Verification;
    for v in [
        Verification::GithubDigest,
        Verification::ChecksumFile,
        Verification::Lockfile,
        Verification::Unverified,
    ] {
        assert_eq!(
            serde_json::to_value(v).unwrap(),
            serde_json::Value::String(v.to_string())
        );
    }
}
