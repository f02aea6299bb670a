//! Every archive here is built in the test, in memory or in a temp dir.

use std::fs;
use std::io::{self, Cursor, Read, Write};
use std::path::{Path, PathBuf};

use super::*;

const PAYLOAD: &[u8] = b"\x7fELF pretend this is a 30 MB binary";

// ---------------------------------------------------------------- archive builders

enum T<'a> {
    File(&'a str, &'a [u8], u32),
    Dir(&'a str),
    Symlink(&'a str, &'a str),
    Hardlink(&'a str, &'a str),
    Fifo(&'a str),
}

/// A tar built header by header with raw name bytes, so tests can write the hostile names
/// (`../x`, `/abs`) that `tar::Builder` itself refuses.
fn tar(entries: &[T<'_>]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for entry in entries {
        let mut header = tar::Header::new_gnu();
        let (name, data, kind, mode, link): (&str, &[u8], _, u32, Option<&str>) = match entry {
            T::File(n, d, m) => (n, d, tar::EntryType::Regular, *m, None),
            T::Dir(n) => (n, b"", tar::EntryType::Directory, 0o755, None),
            T::Symlink(n, t) => (n, b"", tar::EntryType::Symlink, 0o777, Some(t)),
            T::Hardlink(n, t) => (n, b"", tar::EntryType::Link, 0o644, Some(t)),
            T::Fifo(n) => (n, b"", tar::EntryType::Fifo, 0o644, None),
        };
        let old = header.as_old_mut();
        old.name[..name.len()].copy_from_slice(name.as_bytes());
        if let Some(link) = link {
            old.linkname[..link.len()].copy_from_slice(link.as_bytes());
        }
        header.set_entry_type(kind);
        header.set_mode(mode);
        header.set_size(data.len() as u64);
        header.set_cksum();
        builder.append(&header, data).unwrap();
    }
    builder.into_inner().unwrap()
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn xz(data: &[u8]) -> Vec<u8> {
    let mut e = xz2::write::XzEncoder::new(Vec::new(), 6);
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn bz2(data: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn zst(data: &[u8]) -> Vec<u8> {
    zstd::encode_all(data, 3).unwrap()
}

enum Z<'a> {
    /// Made on unix, with this mode.
    File(&'a str, &'a [u8], u32),
    /// Made on Windows: no unix mode at all.
    Dos(&'a str, &'a [u8]),
    Symlink(&'a str, &'a str),
}

fn zip(entries: &[Z<'_>]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for entry in entries {
        match entry {
            Z::File(name, data, mode) => {
                w.start_file(*name, SimpleFileOptions::default().unix_permissions(*mode))
                    .unwrap();
                w.write_all(data).unwrap();
            }
            Z::Dos(name, data) => {
                w.start_file(*name, SimpleFileOptions::default().system(zip::System::Dos))
                    .unwrap();
                w.write_all(data).unwrap();
            }
            Z::Symlink(name, target) => {
                w.add_symlink(*name, *target, SimpleFileOptions::default())
                    .unwrap();
            }
        }
    }
    w.finish().unwrap().into_inner()
}

// ---------------------------------------------------------------- harness

/// A scratch root holding `dest/`, so a test can see whether anything landed beside it.
struct Scratch {
    root: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            root: tempfile::tempdir().unwrap(),
        }
    }

    fn dest(&self) -> PathBuf {
        self.root.path().join("dest")
    }

    /// Everything under the root except `dest/` itself and what is inside it.
    fn outside_dest(&self) -> Vec<String> {
        fs::read_dir(self.root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "dest")
            .collect()
    }

    fn extract(&self, name: &str, bytes: &[u8]) -> Result<Extracted, ExtractError> {
        self.extract_with(name, bytes, &ExtractOptions::new("tool"))
    }

    fn extract_with(
        &self,
        name: &str,
        bytes: &[u8],
        opts: &ExtractOptions,
    ) -> Result<Extracted, ExtractError> {
        extract_stream(name, bytes, &self.dest(), opts)
    }

    fn read(&self, rel: &str) -> Vec<u8> {
        fs::read(self.dest().join(rel)).unwrap()
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Counts what the extractor pulls, to prove it reads to EOF.
struct Counting<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// Serves `data`, then fails like a dropped connection.
struct Failing {
    data: Cursor<Vec<u8>>,
}

impl Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.data.read(buf)? {
            0 => Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "connection reset",
            )),
            n => Ok(n),
        }
    }
}

fn sample_tar() -> Vec<u8> {
    tar(&[
        T::Dir("pkg-1.0/"),
        T::File("pkg-1.0/tool", PAYLOAD, 0o755),
        T::File("pkg-1.0/README.md", b"read me", 0o644),
    ])
}

fn assert_sample_extracted(s: &Scratch, extracted: &Extracted) {
    assert_eq!(s.read("pkg-1.0/tool"), PAYLOAD);
    assert_eq!(s.read("pkg-1.0/README.md"), b"read me");
    let tool = extracted
        .files
        .iter()
        .find(|f| f.path == Path::new("pkg-1.0/tool"))
        .unwrap();
    assert!(tool.is_executable);
    assert_eq!(tool.size, PAYLOAD.len() as u64);
    let readme = extracted
        .files
        .iter()
        .find(|f| f.path == Path::new("pkg-1.0/README.md"))
        .unwrap();
    assert!(!readme.is_executable);
    #[cfg(unix)]
    {
        assert_eq!(mode(&s.dest().join("pkg-1.0/tool")), 0o755);
        assert_eq!(mode(&s.dest().join("pkg-1.0/README.md")), 0o644);
    }
}

// ---------------------------------------------------------------- kinds

#[test]
fn every_tar_flavour_extracts_with_contents_and_modes() {
    let plain = sample_tar();
    let cases: Vec<(&str, Vec<u8>, ArchiveKind)> = vec![
        (
            "pkg.tar.gz",
            gz(&plain),
            ArchiveKind::Tar(Compression::Gzip),
        ),
        ("pkg.tgz", gz(&plain), ArchiveKind::Tar(Compression::Gzip)),
        ("pkg.tar.xz", xz(&plain), ArchiveKind::Tar(Compression::Xz)),
        (
            "pkg.tar.bz2",
            bz2(&plain),
            ArchiveKind::Tar(Compression::Bzip2),
        ),
        (
            "pkg.tar.zst",
            zst(&plain),
            ArchiveKind::Tar(Compression::Zstd),
        ),
        (
            "pkg.tar",
            plain.clone(),
            ArchiveKind::Tar(Compression::None),
        ),
    ];
    for (name, bytes, kind) in cases {
        let s = Scratch::new();
        let extracted = s.extract(name, &bytes).unwrap();
        assert_eq!(extracted.kind, kind, "{name}");
        assert_sample_extracted(&s, &extracted);
    }
}

#[test]
fn zip_extracts_with_contents_and_modes() {
    let bytes = zip(&[
        Z::File("pkg-1.0/tool", PAYLOAD, 0o755),
        Z::File("pkg-1.0/README.md", b"read me", 0o644),
    ]);
    let s = Scratch::new();
    let extracted = s.extract("pkg.zip", &bytes).unwrap();
    assert_eq!(extracted.kind, ArchiveKind::Zip);
    assert_sample_extracted(&s, &extracted);
}

#[test]
fn extract_file_reads_a_zip_in_place_and_a_tar_gz_too() {
    let s = Scratch::new();
    let zip_path = s.root.path().join("pkg.zip");
    fs::write(&zip_path, zip(&[Z::File("pkg-1.0/tool", PAYLOAD, 0o755)])).unwrap();
    let extracted = extract_file(
        "pkg.zip",
        &zip_path,
        &s.dest(),
        &ExtractOptions::new("tool"),
    )
    .unwrap();
    assert_eq!(extracted.kind, ArchiveKind::Zip);
    assert_eq!(s.read("pkg-1.0/tool"), PAYLOAD);

    let s = Scratch::new();
    let tgz_path = s.root.path().join("pkg.tar.gz");
    fs::write(&tgz_path, gz(&sample_tar())).unwrap();
    let extracted = extract_file(
        "pkg.tar.gz",
        &tgz_path,
        &s.dest(),
        &ExtractOptions::new("tool"),
    )
    .unwrap();
    assert_sample_extracted(&s, &extracted);
}

#[test]
fn zip_made_on_windows_marks_exe_files_executable() {
    let bytes = zip(&[Z::Dos("tool.exe", PAYLOAD), Z::Dos("README.txt", b"hi")]);
    let s = Scratch::new();
    let extracted = s.extract("tool-windows.zip", &bytes).unwrap();
    let exec: Vec<_> = extracted
        .files
        .iter()
        .map(|f| (f.path.to_string_lossy().into_owned(), f.is_executable))
        .collect();
    assert_eq!(
        exec,
        vec![
            ("tool.exe".to_string(), true),
            ("README.txt".to_string(), false)
        ]
    );
}

#[test]
fn an_empty_zip_is_a_zip_with_no_files() {
    let bytes = zip(&[]);
    assert!(bytes.starts_with(b"PK\x05\x06"));
    let s = Scratch::new();
    let extracted = s.extract("empty.zip", &bytes).unwrap();
    assert_eq!(extracted.kind, ArchiveKind::Zip);
    assert!(extracted.files.is_empty());
}

#[test]
fn content_decides_when_the_name_says_nothing() {
    let plain = sample_tar();
    let cases: Vec<(Vec<u8>, ArchiveKind)> = vec![
        (gz(&plain), ArchiveKind::Tar(Compression::Gzip)),
        (xz(&plain), ArchiveKind::Tar(Compression::Xz)),
        (bz2(&plain), ArchiveKind::Tar(Compression::Bzip2)),
        (zst(&plain), ArchiveKind::Tar(Compression::Zstd)),
        (plain.clone(), ArchiveKind::Tar(Compression::None)),
        (
            zip(&[Z::File("pkg-1.0/tool", PAYLOAD, 0o755)]),
            ArchiveKind::Zip,
        ),
    ];
    for (bytes, kind) in cases {
        let s = Scratch::new();
        let extracted = s.extract("tool", &bytes).unwrap();
        assert_eq!(extracted.kind, kind);
        assert_eq!(s.read("pkg-1.0/tool"), PAYLOAD);
        // detect_kind alone, from the head, agrees for the formats whose head decodes.
        if kind != ArchiveKind::Tar(Compression::Bzip2) {
            assert_eq!(
                detect_kind("tool", &bytes[..bytes.len().min(8192)]).unwrap(),
                kind
            );
        }
    }
}

#[test]
fn a_leading_dot_slash_entry_is_the_destination_itself() {
    // What `tar -C dir -czf x.tgz .` produces.
    let bytes = gz(&tar(&[
        T::Dir("./"),
        T::Dir("./bin/"),
        T::File("./bin/tool", PAYLOAD, 0o755),
    ]));
    let s = Scratch::new();
    let extracted = s.extract("x.tgz", &bytes).unwrap();
    assert_eq!(s.read("bin/tool"), PAYLOAD);
    assert_eq!(extracted.files[0].path, PathBuf::from("bin/tool"));
}

#[test]
fn an_old_v7_tar_without_magic_is_still_a_tar() {
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_old();
    header.set_path("tool").unwrap();
    header.set_size(PAYLOAD.len() as u64);
    header.set_mode(0o755);
    header.set_cksum();
    builder.append(&header, PAYLOAD).unwrap();
    let bytes = builder.into_inner().unwrap();
    assert_ne!(&bytes[257..262], b"ustar");
    assert_eq!(
        detect_kind("tool-linux", &bytes).unwrap(),
        ArchiveKind::Tar(Compression::None)
    );
    let s = Scratch::new();
    s.extract("tool-linux", &bytes).unwrap();
    assert_eq!(s.read("tool"), PAYLOAD);
}

#[test]
fn a_name_that_lies_about_the_compression_is_a_clear_error() {
    let s = Scratch::new();
    let err = s.extract("x.tar.gz", &xz(&sample_tar())).unwrap_err();
    assert_eq!(err.kind(), crate::error::ErrorKind::CorruptArchive);
    assert_eq!(
        err.to_string(),
        "`x.tar.gz` is not a gzip archive (starts with fd 37 7a 58 5a 00 00 04 …)"
    );
    // An HTML error page saved under the asset's name shows its text.
    let err = detect_kind("x.zip", b"<!DOCTYPE html>\n<html>").unwrap_err();
    assert!(
        err.to_string().contains(r#""<!DOCTYPE html>\n<html>""#),
        "{err}"
    );
    // A gzip that holds no tar while the name promises one.
    let err = s.extract("x.tar.gz", &gz(b"just some bytes")).unwrap_err();
    assert!(
        err.to_string()
            .contains("is not a tar archive inside its gzip stream"),
        "{err}"
    );
}

#[test]
fn unknown_content_with_no_claim_is_refused() {
    let err = detect_kind("tool-linux", b"\x00\x01garbage").unwrap_err();
    assert_eq!(err.kind(), crate::error::ErrorKind::CorruptArchive);
    assert!(err.hint().unwrap().contains("supported"));
    let err = detect_kind("tool-linux", b"").unwrap_err();
    assert!(err.to_string().contains("it is empty"), "{err}");
}

#[test]
fn bare_binaries_are_detected_by_their_magic() {
    let cases: &[(&[u8], BinaryFormat)] = &[
        (b"\x7fELF\x02\x01\x01rest", BinaryFormat::Elf),
        (b"\xcf\xfa\xed\xfe rest", BinaryFormat::MachO),
        (b"\xca\xfe\xba\xbe rest", BinaryFormat::MachO),
        (b"MZ\x90\x00 rest", BinaryFormat::Pe),
        (b"#!/bin/sh\necho hi\n", BinaryFormat::Script),
    ];
    for (head, format) in cases {
        assert_eq!(
            detect_kind("tool-v1-linux-amd64", head).unwrap(),
            ArchiveKind::Binary(*format)
        );
    }
}

// ---------------------------------------------------------------- single files

#[test]
fn single_files_are_named_as_asked_and_made_executable() {
    let cases: Vec<(&str, Vec<u8>, ArchiveKind)> = vec![
        (
            "tool-linux.gz",
            gz(PAYLOAD),
            ArchiveKind::CompressedFile(Compression::Gzip),
        ),
        (
            "tool-linux.xz",
            xz(PAYLOAD),
            ArchiveKind::CompressedFile(Compression::Xz),
        ),
        (
            "tool-linux.bz2",
            bz2(PAYLOAD),
            ArchiveKind::CompressedFile(Compression::Bzip2),
        ),
        (
            "tool-linux.zst",
            zst(PAYLOAD),
            ArchiveKind::CompressedFile(Compression::Zstd),
        ),
        // No extension: still found to be a compressed single file, not a tar.
        (
            "tool-linux-amd64",
            gz(PAYLOAD),
            ArchiveKind::CompressedFile(Compression::Gzip),
        ),
        (
            "tool-linux-amd64",
            PAYLOAD.to_vec(),
            ArchiveKind::Binary(BinaryFormat::Elf),
        ),
    ];
    for (name, bytes, kind) in cases {
        let s = Scratch::new();
        let extracted = s
            .extract_with(name, &bytes, &ExtractOptions::new("mytool"))
            .unwrap();
        assert_eq!(extracted.kind, kind, "{name}");
        assert_eq!(s.read("mytool"), PAYLOAD, "{name}");
        assert_eq!(extracted.files.len(), 1);
        assert!(extracted.files[0].is_executable);
        #[cfg(unix)]
        assert_eq!(mode(&s.dest().join("mytool")), 0o755, "{name}");
    }
}

#[test]
fn single_file_name_must_be_a_plain_name() {
    let s = Scratch::new();
    for bad in ["../tool", "bin/tool", "", ".."] {
        let err = s
            .extract_with("t.gz", &gz(PAYLOAD), &ExtractOptions::new(bad))
            .unwrap_err();
        assert!(
            matches!(err, ExtractError::BadOutputName(_)),
            "{bad}: {err}"
        );
    }
    assert!(s.outside_dest().is_empty());
}

// ---------------------------------------------------------------- safety

fn assert_unsafe(s: &Scratch, result: Result<Extracted, ExtractError>, entry: &str) {
    let err = result.unwrap_err();
    assert_eq!(err.kind(), crate::error::ErrorKind::UnsafeArchive, "{err}");
    assert!(err.to_string().contains(&format!("`{entry}`")), "{err}");
    assert!(s.outside_dest().is_empty(), "{:?}", s.outside_dest());
}

#[test]
fn parent_dir_entries_are_refused() {
    let s = Scratch::new();
    let bytes = gz(&tar(&[T::File("../evil", b"x", 0o644)]));
    assert_unsafe(&s, s.extract("x.tar.gz", &bytes), "../evil");
    let bytes = zip(&[Z::File("a/../../evil", b"x", 0o644)]);
    assert_unsafe(&s, s.extract("x.zip", &bytes), "a/../../evil");
    let bytes = zip(&[Z::File("..\\evil", b"x", 0o644)]);
    assert_unsafe(&s, s.extract("x.zip", &bytes), "../evil");
}

#[test]
fn absolute_entries_are_refused() {
    let s = Scratch::new();
    let target = s.root.path().join("evil");
    let name = target.to_str().unwrap();
    let bytes = tar(&[T::File(name, b"x", 0o644)]);
    assert_unsafe(&s, s.extract("x.tar", &bytes), name);
    assert!(!target.exists());
    let bytes = zip(&[Z::File(name, b"x", 0o644)]);
    assert_unsafe(&s, s.extract("x.zip", &bytes), name);
    assert!(!target.exists());
}

#[test]
fn escaping_symlinks_are_refused_and_nothing_is_written_through_them() {
    let s = Scratch::new();
    let bytes = tar(&[T::Symlink("out", "../"), T::File("out/evil", b"x", 0o644)]);
    assert_unsafe(&s, s.extract("x.tar", &bytes), "out");
    let bytes = zip(&[
        Z::Symlink("out", "../../etc"),
        Z::File("out/evil", b"x", 0o644),
    ]);
    assert_unsafe(&s, s.extract("x.zip", &bytes), "out");
    let bytes = tar(&[T::Symlink("abs", "/etc")]);
    assert_unsafe(&s, s.extract("x.tar", &bytes), "abs");
}

#[test]
fn a_link_made_to_escape_by_a_later_link_is_caught() {
    // `l` looks inside when written (`p/q/d` is still a plain path), `p/q/d -> ../..` then
    // makes `l` lead to the destination's parent; a file written through `l` would escape.
    let s = Scratch::new();
    let bytes = tar(&[
        T::Symlink("l", "p/q/d/.."),
        T::Dir("p/q/"),
        T::Symlink("p/q/d", "../.."),
        T::File("l/evil", b"x", 0o644),
    ]);
    assert_unsafe(&s, s.extract("x.tar", &bytes), "l/evil");
    // Without the file, the final check over all links refuses it.
    let s = Scratch::new();
    let bytes = tar(&[
        T::Symlink("l", "p/q/d/.."),
        T::Dir("p/q/"),
        T::Symlink("p/q/d", "../.."),
    ]);
    assert_unsafe(&s, s.extract("x.tar", &bytes), "l");
}

#[test]
fn hard_links_outside_are_refused_inside_are_kept() {
    let s = Scratch::new();
    let bytes = tar(&[T::Hardlink("passwd", "../../etc/passwd")]);
    assert_unsafe(&s, s.extract("x.tar", &bytes), "passwd");
    let bytes = tar(&[T::Hardlink("passwd", "/etc/passwd")]);
    assert_unsafe(&s, s.extract("x.tar", &bytes), "passwd");
    // A file not in the archive (even if it exists on disk) is not a valid target either.
    fs::create_dir_all(s.dest()).unwrap();
    let bytes = tar(&[T::Hardlink("stolen", "../outside")]);
    assert_unsafe(&s, s.extract("x.tar", &bytes), "stolen");

    let s = Scratch::new();
    let bytes = tar(&[
        T::File("bin/tool", PAYLOAD, 0o755),
        T::Hardlink("bin/tool-alias", "bin/tool"),
    ]);
    let extracted = s.extract("x.tar", &bytes).unwrap();
    assert_eq!(s.read("bin/tool-alias"), PAYLOAD);
    assert!(extracted.files[1].is_executable);
}

#[test]
fn internal_symlinks_are_kept_and_resolve() {
    let s = Scratch::new();
    let bytes = tar(&[
        T::File("libexec/tool-1.0", PAYLOAD, 0o755),
        T::Symlink("bin/tool", "../libexec/tool-1.0"),
    ]);
    let extracted = s.extract("x.tar", &bytes).unwrap();
    assert_eq!(s.read("bin/tool"), PAYLOAD);
    let link = &extracted.files[1];
    assert!(link.is_symlink && link.is_executable);
    assert_eq!(
        link.symlink_target.as_deref(),
        Some(Path::new("../libexec/tool-1.0"))
    );
}

#[test]
fn fifos_and_devices_are_skipped_not_created() {
    let s = Scratch::new();
    let bytes = tar(&[T::Fifo("pipe"), T::File("tool", PAYLOAD, 0o755)]);
    let extracted = s.extract("x.tar", &bytes).unwrap();
    assert_eq!(extracted.skipped, vec![PathBuf::from("pipe")]);
    assert!(fs::symlink_metadata(s.dest().join("pipe")).is_err());
    assert_eq!(s.read("tool"), PAYLOAD);
}

// ---------------------------------------------------------------- caps

#[test]
fn a_bomb_fails_on_the_byte_cap_counting_what_is_written() {
    let zeros = vec![0u8; 1 << 20];
    let opts = ExtractOptions {
        max_unpacked_bytes: 64 * 1024,
        ..ExtractOptions::new("tool")
    };
    let cases = vec![
        ("bomb.tar.gz", gz(&tar(&[T::File("big", &zeros, 0o644)]))),
        ("bomb.zip", zip(&[Z::File("big", &zeros, 0o644)])),
        ("bomb.gz", gz(&zeros)),
    ];
    for (name, bytes) in cases {
        let s = Scratch::new();
        let err = s.extract_with(name, &bytes, &opts).unwrap_err();
        assert_eq!(
            err.kind(),
            crate::error::ErrorKind::ArchiveTooLarge,
            "{name}: {err}"
        );
        assert_eq!(
            err.to_string(),
            format!("`{name}` exceeds the unpacked-size limit of 64.0 KiB while unpacking")
        );
        assert!(err.hint().unwrap().contains("TOOLGET_MAX_UNPACKED"));
    }
    // Within the cap the same archive is fine.
    let s = Scratch::new();
    let bytes = gz(&tar(&[T::File("big", &zeros, 0o644)]));
    s.extract("ok.tar.gz", &bytes).unwrap();
}

#[test]
fn trailing_compressed_data_after_the_tar_counts_against_the_cap() {
    // A tiny tar followed by a megabyte of zeros inside the same gzip stream.
    let mut payload = tar(&[T::File("tool", PAYLOAD, 0o755)]);
    payload.extend(vec![0u8; 1 << 20]);
    let opts = ExtractOptions {
        max_unpacked_bytes: 64 * 1024,
        ..ExtractOptions::new("tool")
    };
    let s = Scratch::new();
    let err = s
        .extract_with("x.tar.gz", &gz(&payload), &opts)
        .unwrap_err();
    assert_eq!(err.kind(), crate::error::ErrorKind::ArchiveTooLarge);
}

#[test]
fn too_many_entries_fails_on_the_entry_cap() {
    let names: Vec<String> = (0..10).map(|i| format!("f{i}")).collect();
    let entries: Vec<T<'_>> = names.iter().map(|n| T::File(n, b"x", 0o644)).collect();
    let opts = ExtractOptions {
        max_entries: 5,
        ..ExtractOptions::new("tool")
    };
    let s = Scratch::new();
    let err = s.extract_with("x.tar", &tar(&entries), &opts).unwrap_err();
    assert_eq!(err.kind(), crate::error::ErrorKind::ArchiveTooLarge);
    assert!(err.to_string().contains("the limit of 5 entries"), "{err}");
}

// ---------------------------------------------------------------- streaming

#[test]
fn the_stream_is_drained_to_eof_for_every_kind() {
    let plain = sample_tar();
    // Extra zero records after the end-of-archive marker, as `tar` pads to 10 KiB.
    let mut padded = plain.clone();
    padded.extend(vec![0u8; 10240]);
    // Two gzip members: the second only zeros (multi-member streams are valid gzip).
    let mut two_members = gz(&plain);
    two_members.extend(gz(&[0u8; 4096]));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("a.tar.gz", gz(&padded)),
        ("b.tar.gz", two_members),
        ("c.tar.xz", xz(&padded)),
        ("d.tar.bz2", bz2(&padded)),
        ("e.tar.zst", zst(&padded)),
        ("f.tar", padded.clone()),
        ("g.zip", zip(&[Z::File("tool", PAYLOAD, 0o755)])),
        ("h.gz", gz(PAYLOAD)),
        ("tool", PAYLOAD.to_vec()),
    ];
    for (name, bytes) in cases {
        let s = Scratch::new();
        let mut counting = Counting {
            inner: Cursor::new(bytes.clone()),
            count: 0,
        };
        extract_stream(name, &mut counting, &s.dest(), &ExtractOptions::new("tool")).unwrap();
        assert_eq!(counting.count, bytes.len() as u64, "{name}");
    }
}

#[test]
fn a_failing_source_is_an_io_error_and_a_truncated_archive_is_corrupt() {
    let whole = gz(&tar(&[T::File("tool", &vec![7u8; 200_000], 0o755)]));
    let cut = whole[..whole.len() / 2].to_vec();

    let s = Scratch::new();
    let err = extract_stream(
        "x.tar.gz",
        Failing {
            data: Cursor::new(cut.clone()),
        },
        &s.dest(),
        &ExtractOptions::new("tool"),
    )
    .unwrap_err();
    assert_eq!(err.kind(), crate::error::ErrorKind::Io, "{err}");
    assert_eq!(err.to_string(), "failed to read `x.tar.gz`");

    let s = Scratch::new();
    let err = s.extract("x.tar.gz", &cut).unwrap_err();
    assert_eq!(err.kind(), crate::error::ErrorKind::CorruptArchive, "{err}");
    assert_eq!(err.to_string(), "`x.tar.gz` is corrupt");
}

#[test]
fn a_damaged_gzip_checksum_is_caught() {
    let mut bytes = gz(&tar(&[T::File("tool", PAYLOAD, 0o755)]));
    let crc_at = bytes.len() - 8;
    bytes[crc_at] ^= 0xff;
    let s = Scratch::new();
    let err = s.extract("x.tar.gz", &bytes).unwrap_err();
    assert_eq!(err.kind(), crate::error::ErrorKind::CorruptArchive, "{err}");
}

// ---------------------------------------------------------------- find_executable

fn file(path: &str, executable: bool) -> ExtractedFile {
    ExtractedFile {
        path: PathBuf::from(path),
        size: 1,
        is_executable: executable,
        is_symlink: false,
        symlink_target: None,
    }
}

fn symlink(path: &str, target: &str, executable: bool) -> ExtractedFile {
    ExtractedFile {
        path: PathBuf::from(path),
        size: 0,
        is_executable: executable,
        is_symlink: true,
        symlink_target: Some(PathBuf::from(target)),
    }
}

fn listing(files: Vec<ExtractedFile>) -> Extracted {
    Extracted {
        kind: ArchiveKind::Tar(Compression::Gzip),
        files,
        skipped: Vec::new(),
    }
}

fn query(exe: Option<&str>, repo: &str, family: Option<&str>) -> ExeQuery {
    ExeQuery {
        exe: exe.map(str::to_string),
        repo: repo.to_string(),
        family: family.map(str::to_string),
        windows: false,
    }
}

#[test]
fn sccache_is_never_satisfied_by_sccache_dist() {
    let only_dist = listing(vec![
        file("sccache-v0.14.0/README.md", false),
        file("sccache-v0.14.0/sccache-dist", true),
    ]);
    let err = find_executable(&only_dist, &query(Some("sccache"), "sccache", None)).unwrap_err();
    assert_eq!(err.kind(), crate::error::ErrorKind::ExeNotFound);
    assert_eq!(
        err.to_string(),
        "found no file named `sccache` in the archive; it holds: \
         sccache-v0.14.0/sccache-dist (executable), sccache-v0.14.0/README.md"
    );
    // With both present, the exact name wins, asked for or found by the repo rule.
    let both = listing(vec![
        file("sccache-v0.14.0/sccache-dist", true),
        file("sccache-v0.14.0/sccache", true),
    ]);
    for q in [
        query(Some("sccache"), "sccache", None),
        query(None, "sccache", None),
    ] {
        assert_eq!(
            find_executable(&both, &q).unwrap(),
            PathBuf::from("sccache-v0.14.0/sccache")
        );
    }
}

#[test]
fn the_name_matches_at_any_depth() {
    let nested = listing(vec![
        file("sccache-v0.14.0-x86_64-unknown-linux-musl/LICENSE", false),
        file("sccache-v0.14.0-x86_64-unknown-linux-musl/sccache", true),
    ]);
    assert_eq!(
        find_executable(&nested, &query(Some("sccache"), "sccache", None)).unwrap(),
        PathBuf::from("sccache-v0.14.0-x86_64-unknown-linux-musl/sccache")
    );
}

#[test]
fn family_rule_finds_gh_in_the_cli_repo() {
    let gh = listing(vec![
        file("gh_2.40.0_linux_amd64/LICENSE", false),
        file("gh_2.40.0_linux_amd64/bin/gh", true),
        file("gh_2.40.0_linux_amd64/share/man/man1/gh.1", false),
        file("gh_2.40.0_linux_amd64/share/extra", true),
    ]);
    assert_eq!(
        find_executable(&gh, &query(None, "cli", Some("gh"))).unwrap(),
        PathBuf::from("gh_2.40.0_linux_amd64/bin/gh")
    );
}

#[test]
fn only_executable_rule_and_its_error() {
    // The archive does not choose the command name: its only executable is refused when
    // nobody asked for that name, with the `[exe=…]` that accepts it.
    let rg = listing(vec![
        file("ripgrep-14/rg", true),
        file("ripgrep-14/doc/rg.1", false),
    ]);
    let err = find_executable(&rg, &query(None, "ripgrep", Some("ripgrep"))).unwrap_err();
    assert!(
        matches!(&err, ExtractError::ExeNotAsked { found, .. } if found == &["rg"]),
        "{err}"
    );
    assert_eq!(err.kind(), crate::error::ErrorKind::ExeNotFound);
    assert!(
        err.hint().unwrap().contains("`[exe=rg]`"),
        "{:?}",
        err.hint()
    );
    assert_eq!(
        find_executable(&rg, &query(Some("rg"), "ripgrep", Some("ripgrep"))).unwrap(),
        PathBuf::from("ripgrep-14/rg")
    );
    let two = listing(vec![
        file("a", true),
        file("b", true),
        file("README", false),
    ]);
    let err = find_executable(&two, &query(None, "thing", None)).unwrap_err();
    assert_eq!(err.kind(), crate::error::ErrorKind::ExeNotFound);
    assert_eq!(
        err.to_string(),
        "the archive holds no executable named `thing`; it holds `a`, `b`, which nobody asked for"
    );
    assert!(err.hint().unwrap().contains("[exe=a]"));
}

#[test]
fn executable_beats_shallow_and_shallow_beats_deep() {
    let docs = listing(vec![file("doc/tool", false), file("pkg/bin/tool", true)]);
    assert_eq!(
        find_executable(&docs, &query(Some("tool"), "x", None)).unwrap(),
        PathBuf::from("pkg/bin/tool")
    );
    let depths = listing(vec![file("pkg/bin/tool", true), file("pkg/tool", true)]);
    assert_eq!(
        find_executable(&depths, &query(Some("tool"), "x", None)).unwrap(),
        PathBuf::from("pkg/tool")
    );
}

#[test]
fn equal_matches_are_ambiguous_and_a_path_settles_it() {
    let two = listing(vec![file("linux/tool", true), file("darwin/tool", true)]);
    let err = find_executable(&two, &query(Some("tool"), "x", None)).unwrap_err();
    assert_eq!(err.kind(), crate::error::ErrorKind::ExeAmbiguous);
    assert_eq!(
        err.to_string(),
        "several files in the archive could be `tool`: linux/tool, darwin/tool"
    );
    assert!(err.hint().unwrap().contains("[exe=linux/tool]"));
    assert_eq!(
        find_executable(&two, &query(Some("linux/tool"), "x", None)).unwrap(),
        PathBuf::from("linux/tool")
    );
}

#[test]
fn a_symlink_and_its_target_are_one_program() {
    let linked = listing(vec![
        file("libexec/tool", true),
        symlink("bin/tool", "../libexec/tool", true),
    ]);
    assert_eq!(
        find_executable(&linked, &query(Some("tool"), "x", None)).unwrap(),
        PathBuf::from("libexec/tool")
    );
    let versioned = listing(vec![
        file("libexec/tool-1.2", true),
        symlink("tool", "libexec/tool-1.2", true),
    ]);
    assert_eq!(
        find_executable(&versioned, &query(Some("tool"), "x", None)).unwrap(),
        PathBuf::from("tool")
    );
    // A dangling link is no program.
    let dangling = listing(vec![symlink("tool", "missing", false)]);
    assert!(find_executable(&dangling, &query(Some("tool"), "x", None)).is_err());
}

#[test]
fn windows_matches_exe_case_insensitively_unix_does_not() {
    let win = listing(vec![
        file("pkg/Tool.EXE", false),
        file("pkg/README.txt", false),
    ]);
    let mut q = query(Some("tool"), "x", None);
    q.windows = true;
    assert_eq!(
        find_executable(&win, &q).unwrap(),
        PathBuf::from("pkg/Tool.EXE")
    );
    // No exe given: the repo name matches with `.exe` too.
    let mut q = query(None, "tool", None);
    q.windows = true;
    assert_eq!(
        find_executable(&win, &q).unwrap(),
        PathBuf::from("pkg/Tool.EXE")
    );
    // On unix, `Tool` is not `tool` and `tool.exe` is not `tool`.
    let unix = listing(vec![file("Tool", true), file("tool.exe", true)]);
    assert!(find_executable(&unix, &query(Some("tool"), "x", None)).is_err());
}

#[test]
fn end_to_end_find_and_mark_in_a_windows_zip() {
    let s = Scratch::new();
    let bytes = zip(&[Z::Dos("pkg/tool", PAYLOAD), Z::Dos("pkg/NOTES", b"n")]);
    let extracted = s.extract("tool.zip", &bytes).unwrap();
    // No mode bits and no `.exe`: nothing looks executable, the exact name still finds it.
    let rel = find_executable(&extracted, &query(Some("tool"), "tool", None)).unwrap();
    assert_eq!(rel, PathBuf::from("pkg/tool"));
    mark_executable(&s.dest(), &rel).unwrap();
    #[cfg(unix)]
    assert_eq!(mode(&s.dest().join("pkg/tool")), 0o755);
}
