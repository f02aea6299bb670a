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
        writer.start_file(entry.path.as_str(), options).expect("zip entry");
        writer.write_all(&entry.bytes).expect("zip write");
    }
    writer.finish().expect("zip finish").into_inner()
}

/// `sha256:<hex>` of some bytes, as GitHub reports digests.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}
