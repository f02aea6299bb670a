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
