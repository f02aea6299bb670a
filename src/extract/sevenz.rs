//! `.7z` archives, through the pure-Rust `sevenz-rust2` crate: the same path guards, entry,
//! byte and link rules as zip and tar (every entry goes through [`Writer`]). A 7z archive is
//! read from a seekable file (its index sits at the end), so a streamed one is spooled first,
//! like a zip. Decoder memory (dictionaries, header buffers) is capped by the crate's memory
//! limit; encrypted archives are refused (no password is ever tried).

use std::io::{self, Read, Seek};
use std::path::{Path, PathBuf};

use sevenz_rust2::{ArchiveReader, Password};

use super::{Fail, MAX_LINK_TARGET, Writer};
use crate::extract::Limit;

/// Decoder memory cap: the largest LZMA2 dictionary 7-Zip's "ultra" preset uses is 64 MiB.
const MEMORY_LIMIT_KB: usize = 256 * 1024;

/// `FILE_ATTRIBUTE_UNIX_EXTENSION`: the high 16 bits of the attributes are a Unix mode.
const UNIX_EXTENSION: u32 = 0x8000;
const S_IFMT: u32 = 0o170_000;
const S_IFLNK: u32 = 0o120_000;

impl Writer<'_> {
    pub(super) fn unpack_7z<R: Read + Seek>(&mut self, reader: R) -> Result<(), Fail> {
        let mut archive =
            ArchiveReader::new_with_memory_limit(reader, Password::empty(), MEMORY_LIMIT_KB)
                .map_err(sevenz_fail)?;
        archive.set_thread_count(1);
        if archive.archive().files.len() as u64 > self.opts.max_entries {
            return Err(self.too_large(Limit::Entries(self.opts.max_entries)));
        }
        // The crate's callback returns its own error type: the first failure of ours is kept
        // here and the iteration stopped with a placeholder.
        let mut failed: Option<Fail> = None;
        let result = archive.for_each_entries(|entry, data| {
            let step = (|| {
                if entry.is_anti_item {
                    return Ok(());
                }
                self.count_entry()?;
                let name = entry.name.replace('\\', "/");
                if entry.is_directory && super::is_root(Path::new(&name)) {
                    return Ok(());
                }
                let rel = self.checked(Path::new(&name))?;
                let mode = (entry.has_windows_attributes
                    && entry.windows_attributes & UNIX_EXTENSION != 0)
                    .then_some(entry.windows_attributes >> 16);
                if entry.is_directory {
                    self.make_dirs(&rel, true)
                } else if mode.is_some_and(|m| m & S_IFMT == S_IFLNK) {
                    let mut target = Vec::new();
                    data.take(MAX_LINK_TARGET)
                        .read_to_end(&mut target)
                        .map_err(Fail::Archive)?;
                    let target = PathBuf::from(String::from_utf8_lossy(&target).into_owned());
                    self.make_symlink(&rel, &target)
                } else {
                    let executable = match mode {
                        Some(m) => m & 0o111 != 0,
                        None => name.to_ascii_lowercase().ends_with(".exe"),
                    };
                    self.write_file(&rel, data, executable)
                }
            })();
            match step {
                Ok(()) => Ok(true),
                Err(fail) => {
                    failed = Some(fail);
                    Err(sevenz_rust2::Error::Other("stopped".into()))
                }
            }
        });
        if let Some(fail) = failed {
            return Err(fail);
        }
        result.map_err(sevenz_fail)
    }
}

fn sevenz_fail(e: sevenz_rust2::Error) -> Fail {
    match e {
        sevenz_rust2::Error::Io(e, _) => Fail::Archive(e),
        other => Fail::Archive(io::Error::new(io::ErrorKind::InvalidData, other)),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use sevenz_rust2::{ArchiveEntry, ArchiveWriter};

    use crate::error::{Diagnostic, ErrorKind};
    use crate::extract::{ArchiveKind, ExtractError, ExtractOptions, extract_file, extract_stream};

    /// A real .7z (LZMA2, the crate's default) holding `(name, unix mode, bytes)` entries.
    fn seven_z(entries: &[(&str, u32, &[u8])]) -> Vec<u8> {
        let mut writer = ArchiveWriter::new(Cursor::new(Vec::new())).expect("writer");
        for &(name, mode, bytes) in entries {
            let mut entry = ArchiveEntry::new_file(name);
            entry.has_windows_attributes = true;
            entry.windows_attributes = super::UNIX_EXTENSION | (mode << 16);
            writer
                .push_archive_entry(entry, Some(Cursor::new(bytes.to_vec())))
                .expect("push");
        }
        writer.finish().expect("finish").into_inner()
    }

    #[test]
    fn a_real_7z_unpacks_with_its_modes_streamed_or_from_a_file() {
        let bytes = seven_z(&[
            ("tool-1.0/bin/tool", 0o100_755, b"#!/bin/sh\necho tool\n"),
            ("tool-1.0/README.md", 0o100_644, b"read me"),
        ]);
        let dir = tempfile::tempdir().expect("tempdir");
        let dest = dir.path().join("out");
        let opts = ExtractOptions::new("tool");
        let got = extract_stream("tool-1.0-linux-x64.7z", Cursor::new(&bytes), &dest, &opts)
            .expect("extracts");
        assert_eq!(got.kind, ArchiveKind::SevenZ);
        let tool = got
            .files
            .iter()
            .find(|f| f.path.ends_with("bin/tool"))
            .expect("tool");
        assert!(tool.is_executable);
        assert_eq!(
            std::fs::read(dest.join("tool-1.0/bin/tool")).expect("read"),
            b"#!/bin/sh\necho tool\n"
        );
        assert!(
            !got.files
                .iter()
                .find(|f| f.path.ends_with("README.md"))
                .expect("readme")
                .is_executable
        );

        let on_disk = dir.path().join("a.7z");
        std::fs::write(&on_disk, &bytes).expect("write");
        let dest = dir.path().join("out2");
        let got = extract_file("a.7z", &on_disk, &dest, &opts).expect("extracts");
        assert_eq!(got.files.len(), 2);
    }

    #[test]
    fn a_7z_is_held_to_the_same_guards_and_caps() {
        let dir = tempfile::tempdir().expect("tempdir");
        let evil = seven_z(&[("../evil", 0o100_755, b"x")]);
        let err = extract_stream(
            "t.7z",
            Cursor::new(&evil),
            &dir.path().join("a"),
            &ExtractOptions::new("t"),
        )
        .expect_err("refused");
        assert!(matches!(err, ExtractError::UnsafeEntry { .. }), "{err}");
        assert!(!dir.path().join("evil").exists());

        let many = seven_z(&[
            ("a", 0o100_644, b"1"),
            ("b", 0o100_644, b"2"),
            ("c", 0o100_644, b"3"),
        ]);
        let mut opts = ExtractOptions::new("t");
        opts.max_entries = 2;
        let err = extract_stream("t.7z", Cursor::new(&many), &dir.path().join("b"), &opts)
            .expect_err("too many");
        assert_eq!(err.kind(), ErrorKind::ArchiveTooLarge, "{err}");

        let zeros = vec![0u8; 64 * 1024];
        let big = seven_z(&[("big", 0o100_644, &zeros)]);
        let mut opts = ExtractOptions::new("t");
        opts.max_unpacked_bytes = 1024;
        let err = extract_stream("t.7z", Cursor::new(&big), &dir.path().join("c"), &opts)
            .expect_err("too big");
        assert_eq!(err.kind(), ErrorKind::ArchiveTooLarge, "{err}");

        // A name that claims 7z but holds something else is refused.
        let err = extract_stream(
            "t.7z",
            Cursor::new(b"PK\x03\x04zzzz".to_vec()),
            &dir.path().join("d"),
            &ExtractOptions::new("t"),
        )
        .expect_err("wrong format");
        assert!(matches!(err, ExtractError::WrongFormat { .. }), "{err}");
    }
}
