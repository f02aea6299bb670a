//! Embeds the curated registry: writes `$OUT_DIR/registry.rs`, a list of every
//! `registry/*.toml` as `(file name, include_str!(…))`, sorted by file name so builds are
//! reproducible. Cargo reruns this when anything under `registry/` changes.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=registry");
    println!("cargo:rerun-if-changed=build.rs");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let dir = manifest.join("registry");
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect(),
        Err(e) => panic!("cannot read {}: {e}", dir.display()),
    };
    files.sort();
    let mut out = String::from(
        "/// Every `registry/*.toml`, embedded at build time: (file name, contents).\n\
         pub(crate) static EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(e) = std::fs::write(out_dir.join("registry.rs"), out) {
        panic!("cannot write registry.rs: {e}");
    }
}
