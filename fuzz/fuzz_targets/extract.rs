//! Archive extraction in every format: never panics, never writes outside its directory,
//! never writes more than its caps. Byte 0 picks the asset name (and so the claimed format);
//! the rest is the asset. The caps are small so the target stays fast; run under
//! `-rss_limit_mb` to catch a parser buffering what an archive declares.
#![no_main]
use std::fs;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use toolget::extract::{ExtractOptions, extract_stream};

const NAMES: [&str; 10] = [
    "tool.tar",
    "tool.tar.gz",
    "tool.tar.xz",
    "tool.tar.bz2",
    "tool.tar.zst",
    "tool.zip",
    "tool.gz",
    "tool.xz",
    "tool",
    "tool.tgz",
];
const MAX_BYTES: u64 = 4 << 20;
const MAX_ENTRIES: u64 = 256;

/// Total bytes of regular files and number of entries below `dir`; panics on anything that
/// is neither a file, a directory nor a symlink.
fn tally(dir: &Path, bytes: &mut u64, entries: &mut u64) {
    for item in fs::read_dir(dir).expect("read_dir") {
        let path = item.expect("dir entry").path();
        let meta = fs::symlink_metadata(&path).expect("metadata");
        *entries += 1;
        if meta.is_dir() {
            tally(&path, bytes, entries);
        } else if meta.is_file() {
            *bytes += meta.len();
        } else {
            assert!(
                meta.file_type().is_symlink(),
                "{} is special",
                path.display()
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, asset)) = data.split_first() else {
        return;
    };
    let name = NAMES[pick as usize % NAMES.len()];
    let root = tempfile::tempdir().expect("tempdir");
    let dest = root.path().join("dest");
    let mut opts = ExtractOptions::new("tool");
    opts.max_unpacked_bytes = MAX_BYTES;
    opts.max_entries = MAX_ENTRIES;
    let result = extract_stream(name, asset, &dest, &opts);

    // Nothing beside `dest` (a zip spool is an anonymous temp file).
    let beside: Vec<_> = fs::read_dir(root.path())
        .expect("read root")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert!(
        beside.iter().all(|n| n == "dest"),
        "wrote beside its directory: {beside:?}"
    );
    let (mut bytes, mut entries) = (0, 0);
    if dest.exists() {
        tally(&dest, &mut bytes, &mut entries);
    }
    assert!(bytes <= MAX_BYTES, "{bytes} bytes written, cap {MAX_BYTES}");
    if let Ok(extracted) = result {
        assert!(extracted.files.len() as u64 <= MAX_ENTRIES);
        let canonical = dest.canonicalize().expect("canonical dest");
        for file in extracted.files.iter().filter(|f| f.is_symlink) {
            // A symlink that resolves must resolve inside the directory.
            if let Ok(target) = dest.join(&file.path).canonicalize() {
                assert!(
                    target.starts_with(&canonical),
                    "{} leads outside to {}",
                    file.path.display(),
                    target.display()
                );
            }
        }
    }
});
