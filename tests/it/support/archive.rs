//! Real archives built in the test, in every format releases use. Entries are
//! `(path, bytes, mode)`; directories are implied by paths.

use std::io::Write;

/// One file to put in an archive.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: String,
    pub bytes: Vec<u8>,
    pub mode: u32,
}

/// An executable entry (mode 0755).
pub fn exe(path: &str, bytes: impl Into<Vec<u8>>) -> Entry {
    Entry {
        path: path.into(),
        bytes: bytes.into(),
        mode: 0o755,
    }
}

/// A plain file (mode 0644).
pub fn file(path: &str, bytes: impl Into<Vec<u8>>) -> Entry {
    Entry {
        path: path.into(),
        bytes: bytes.into(),
        mode: 0o644,
    }
}

/// A small shell script that prints `line` — a real executable the tests can run.
pub fn script(line: &str) -> Vec<u8> {
    format!("#!/bin/sh\necho '{line}'\n").into_bytes()
}

/// An uncompressed tar.
pub fn tar(entries: &[Entry]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for entry in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(entry.bytes.len() as u64);
        header.set_mode(entry.mode);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        builder
            .append_data(&mut header, &entry.path, entry.bytes.as_slice())
            .expect("append");
    }
    builder.into_inner().expect("finish tar")
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}

pub fn xz(bytes: &[u8]) -> Vec<u8> {
    let mut enc = xz2::write::XzEncoder::new(Vec::new(), 1);
    enc.write_all(bytes).expect("xz");
    enc.finish().expect("xz")
}

pub fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).expect("zstd")
}

pub fn bzip2(bytes: &[u8]) -> Vec<u8> {
    let mut enc = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    enc.write_all(bytes).expect("bzip2");
    enc.finish().expect("bzip2")
}

pub fn tar_gz(entries: &[Entry]) -> Vec<u8> {
    gzip(&tar(entries))
}

pub fn tar_xz(entries: &[Entry]) -> Vec<u8> {
    xz(&tar(entries))
}

pub fn tar_zst(entries: &[Entry]) -> Vec<u8> {
    zstd(&tar(entries))
}

pub fn tar_bz2(entries: &[Entry]) -> Vec<u8> {
    bzip2(&tar(entries))
}

pub fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for entry in entries {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(entry.mode);
        writer
            .start_file(entry.path.as_str(), options)
            .expect("zip entry");
        writer.write_all(&entry.bytes).expect("zip write");
    }
    writer.finish().expect("zip finish").into_inner()
}

/// `sha256:<hex>` of some bytes, as GitHub reports digests.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// A hostile tar entry, written with raw header bytes so that names the `tar` crate's safe
/// API refuses (`..`, absolute paths) end up in the archive exactly as an attacker would
/// write them.
#[derive(Debug, Clone)]
pub enum RawEntry {
    File {
        name: String,
        bytes: Vec<u8>,
        mode: u32,
    },
    Symlink {
        name: String,
        target: String,
    },
    Hardlink {
        name: String,
        target: String,
    },
}

pub fn tar_raw(entries: &[RawEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in entries {
        let mut header = tar::Header::new_old();
        let (name, size, kind, link, mode) = match entry {
            RawEntry::File { name, bytes, mode } => (
                name,
                bytes.len() as u64,
                tar::EntryType::Regular,
                None,
                *mode,
            ),
            RawEntry::Symlink { name, target } => {
                (name, 0, tar::EntryType::Symlink, Some(target), 0o777)
            }
            RawEntry::Hardlink { name, target } => {
                (name, 0, tar::EntryType::Link, Some(target), 0o644)
            }
        };
        {
            let old = header.as_old_mut();
            old.name[..name.len()].copy_from_slice(name.as_bytes());
            if let Some(link) = link {
                old.linkname[..link.len()].copy_from_slice(link.as_bytes());
            }
        }
        header.set_size(size);
        header.set_mode(mode);
        header.set_entry_type(kind);
        header.set_mtime(0);
        header.set_cksum();
        out.extend_from_slice(header.as_bytes());
        if let RawEntry::File { bytes, .. } = entry {
            out.extend_from_slice(bytes);
            let pad = (512 - bytes.len() % 512) % 512;
            out.extend(std::iter::repeat_n(0u8, pad));
        }
    }
    out.extend(std::iter::repeat_n(0u8, 1024));
    out
}

/// The compressions a tar asset comes in, to build the same hostile tar in each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TarWrap {
    None,
    Gzip,
    Xz,
    Bzip2,
    Zstd,
}

impl TarWrap {
    pub const ALL: [TarWrap; 5] = [
        TarWrap::None,
        TarWrap::Gzip,
        TarWrap::Xz,
        TarWrap::Bzip2,
        TarWrap::Zstd,
    ];

    /// The asset name suffix: `.tar`, `.tar.gz`, …
    pub fn suffix(self) -> &'static str {
        match self {
            TarWrap::None => ".tar",
            TarWrap::Gzip => ".tar.gz",
            TarWrap::Xz => ".tar.xz",
            TarWrap::Bzip2 => ".tar.bz2",
            TarWrap::Zstd => ".tar.zst",
        }
    }

    /// Run `write` against an encoder of this compression and return the compressed bytes:
    /// the tar is streamed through, never held whole.
    pub fn build(self, write: impl FnOnce(&mut dyn Write)) -> Vec<u8> {
        match self {
            TarWrap::None => {
                let mut out = Vec::new();
                write(&mut out);
                out
            }
            TarWrap::Gzip => {
                let mut enc =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                write(&mut enc);
                enc.finish().expect("gzip")
            }
            TarWrap::Xz => {
                let mut enc = xz2::write::XzEncoder::new(Vec::new(), 1);
                write(&mut enc);
                enc.finish().expect("xz")
            }
            TarWrap::Bzip2 => {
                let mut enc = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
                write(&mut enc);
                enc.finish().expect("bzip2")
            }
            TarWrap::Zstd => {
                let mut enc = zstd::stream::write::Encoder::new(Vec::new(), 1).expect("zstd");
                write(&mut enc);
                enc.finish().expect("zstd")
            }
        }
    }
}

/// Write a tar whose first member is an extension header of type `kind` (`b'L'` GNU long
/// name, `b'K'` GNU long link, `b'x'` PAX, `b'g'` PAX global) declaring `declared` bytes of
/// content, of which `present` are actually written (`a`s), followed (when the content is
/// complete) by an executable `tool` and the end-of-archive blocks. A parser that buffers the
/// extension whole holds `declared` bytes.
pub fn tar_extension_bomb(out: &mut dyn Write, kind: u8, declared: u64, present: u64) {
    let mut header = tar::Header::new_gnu();
    header.as_gnu_mut().expect("gnu").name[..13].copy_from_slice(b"././@LongLink");
    header.set_size(declared);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::new(kind));
    header.set_cksum();
    out.write_all(header.as_bytes()).expect("write");
    let chunk = vec![b'a'; 64 * 1024];
    let mut left = present;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        out.write_all(&chunk[..n]).expect("write");
        left -= n as u64;
    }
    if present < declared {
        return; // cut short: a truncated stream
    }
    let pad = (512 - declared % 512) % 512;
    out.write_all(&vec![0u8; pad as usize]).expect("write");
    out.write_all(&tar(&[exe("tool", script("tool"))]))
        .expect("write");
}

/// A zip holding an executable whose name is `len` bytes long (a path of `a/` components).
pub fn zip_with_long_name(len: usize) -> Vec<u8> {
    let mut name = "a/".repeat(len / 2);
    name.truncate(len.saturating_sub(4));
    name.push_str("tool");
    zip(&[exe(&name, script("tool"))])
}

/// A valid zip holding `tool` whose end-of-central-directory record claims a central
/// directory of `size` bytes: what a reader that trusts it would allocate.
pub fn zip_declaring_directory(size: u32) -> Vec<u8> {
    let mut bytes = zip(&[exe("tool", script("tool"))]);
    let eocd = bytes.len() - 22;
    assert_eq!(
        &bytes[eocd..eocd + 4],
        b"PK\x05\x06",
        "no comment, EOCD last"
    );
    bytes[eocd + 12..eocd + 16].copy_from_slice(&size.to_le_bytes());
    bytes
}
