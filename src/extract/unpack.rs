//! Writing entries into the destination: tar under any compression, zip, single files; the
//! caps; and draining the source so the caller's hasher sees every byte.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufReader, Cursor, Read, Seek, SeekFrom, Write};
use std::path::{Component, Path, PathBuf};

use super::budget::{
    MAX_CENTRAL_DIR_BYTES, MAX_ENTRY_HEADER_BYTES, MAX_NAME_BYTES, Meter, ZipExcess,
    check_zip_directory,
};
use super::detect::{HEAD_LEN, Outer, TAR_BLOCK, decoder, inner_kind, sniff};
use super::resolve::{resolve_link, resolve_path, safe_relative};
use super::{
    ArchiveKind, Compression, ExtractError, ExtractOptions, Extracted, ExtractedFile, Limit,
};

/// Copy and read-ahead buffer size. Big enough that per-call overhead vanishes next to
/// inflate, small enough to never matter for memory.
const COPY_BUF: usize = 256 * 1024;

/// Longest symlink target read from a zip entry (the target is the entry's content there).
const MAX_LINK_TARGET: u64 = 4096;

/// `.7z` extraction lives in its own file; it drives the same [`Writer`].
#[path = "sevenz.rs"]
mod sevenz;

/// Extract an asset read from `reader` into `dest` (created if missing; meant to be an empty
/// staging directory).
///
/// The kind is detected from the first bytes (see [`detect_kind`](super::detect_kind)), then
/// the head is chained back in front of the rest of the stream, so nothing is read twice.
/// A zip needs random access: it is spooled to a temporary file beside `dest` first (use
/// [`extract_file`] when the asset is already on disk).
///
/// **Drains to EOF**: on success `reader` has been read to its end, including tar padding,
/// trailing zero blocks and bytes after the compressed stream, so a hasher wrapped around it
/// has seen every byte of the asset. Trailing data is decompressed (which checks the gzip,
/// xz, bzip2 or zstd checksums) and counts against `max_unpacked_bytes`.
///
/// On error `dest` may hold a partial tree: the caller discards its staging directory.
/// Nothing is ever written outside `dest` (and the zip spool beside it).
pub fn extract_stream(
    asset_name: &str,
    reader: impl Read,
    dest: &Path,
    opts: &ExtractOptions,
) -> Result<Extracted, ExtractError> {
    let mut writer = Writer::new(asset_name, dest, opts)?;
    let mut source = Source::new(reader, asset_name);
    match stream_body(&mut writer, &mut source) {
        Ok(kind) => writer.finish(kind).map_err(|fail| source.classify(fail)),
        Err(fail) => Err(source.classify(fail)),
    }
}

/// Extract an asset already on disk at `path` into `dest`: like [`extract_stream`], but a zip
/// is read in place instead of being spooled.
pub fn extract_file(
    asset_name: &str,
    path: &Path,
    dest: &Path,
    opts: &ExtractOptions,
) -> Result<Extracted, ExtractError> {
    let mut writer = Writer::new(asset_name, dest, opts)?;
    let file = File::open(path).map_err(|e| ExtractError::io("open", path, e))?;
    let mut source = Source::new(file, asset_name);
    let result = (|| {
        let head = read_up_to(&mut source, HEAD_LEN).map_err(Fail::Archive)?;
        match sniff(asset_name, &head)? {
            Outer::Zip => {
                let file = &mut source.inner;
                file.seek(SeekFrom::Start(0))
                    .map_err(|e| ExtractError::io("read", path, e))?;
                writer.unpack_zip(BufReader::with_capacity(COPY_BUF, file))?;
                Ok(ArchiveKind::Zip)
            }
            Outer::SevenZ => {
                let file = &mut source.inner;
                file.seek(SeekFrom::Start(0))
                    .map_err(|e| ExtractError::io("read", path, e))?;
                writer.unpack_7z(BufReader::with_capacity(COPY_BUF, file))?;
                Ok(ArchiveKind::SevenZ)
            }
            outer => sequential(&mut writer, outer, head, &mut source),
        }
    })();
    match result {
        Ok(kind) => writer.finish(kind).map_err(|fail| source.classify(fail)),
        Err(fail) => Err(source.classify(fail)),
    }
}

/// Why a step failed: an error already classified, or a read error from the archive stream
/// that is either corruption or a failing source (told apart by [`Source`]).
#[derive(Debug)]
enum Fail {
    Extract(ExtractError),
    Archive(io::Error),
}

impl From<ExtractError> for Fail {
    fn from(e: ExtractError) -> Fail {
        Fail::Extract(e)
    }
}

/// The caller's reader, remembering whether *it* failed: decoders and the tar parser rewrap
/// errors, and a dropped connection must not be reported as a corrupt archive.
struct Source<R> {
    inner: R,
    failure: Option<(io::ErrorKind, String)>,
    asset: String,
}

impl<R: Read> Source<R> {
    fn new(inner: R, asset: &str) -> Source<R> {
        Source {
            inner,
            failure: None,
            asset: asset.to_string(),
        }
    }

    fn classify(&mut self, fail: Fail) -> ExtractError {
        match fail {
            Fail::Extract(e) => e,
            Fail::Archive(e) => match self.failure.take() {
                Some((kind, message)) => ExtractError::Read {
                    asset: std::mem::take(&mut self.asset),
                    source: io::Error::new(kind, message),
                },
                None => ExtractError::Corrupt {
                    asset: std::mem::take(&mut self.asset),
                    source: e,
                },
            },
        }
    }
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Err(e) if e.kind() != io::ErrorKind::Interrupted => {
                self.failure = Some((e.kind(), e.to_string()));
                Err(e)
            }
            other => other,
        }
    }
}

fn stream_body<R: Read>(
    writer: &mut Writer<'_>,
    source: &mut Source<R>,
) -> Result<ArchiveKind, Fail> {
    let head = read_up_to(source, HEAD_LEN).map_err(Fail::Archive)?;
    let outer = sniff(writer.asset, &head)?;
    sequential(writer, outer, head, source)
}

/// Extract from a forward-only stream whose first bytes (`head`) were already read, then
/// drain it.
fn sequential<R: Read>(
    writer: &mut Writer<'_>,
    outer: Outer,
    head: Vec<u8>,
    source: &mut Source<R>,
) -> Result<ArchiveKind, Fail> {
    let mut chained = Cursor::new(head).chain(source);
    let kind = match outer {
        Outer::Zip => {
            let spool = writer.spool(&mut chained)?;
            writer.unpack_zip(BufReader::with_capacity(COPY_BUF, spool))?;
            ArchiveKind::Zip
        }
        Outer::SevenZ => {
            let spool = writer.spool(&mut chained)?;
            writer.unpack_7z(BufReader::with_capacity(COPY_BUF, spool))?;
            ArchiveKind::SevenZ
        }
        Outer::Tar => {
            let mut buffered = BufReader::with_capacity(COPY_BUF, &mut chained);
            writer.unpack_tar(&mut buffered)?;
            writer.drain_capped(&mut buffered)?;
            ArchiveKind::Tar(Compression::None)
        }
        Outer::Binary(format) => {
            writer.write_single(&mut chained)?;
            ArchiveKind::Binary(format)
        }
        Outer::Compressed(compression) => {
            let buffered = BufReader::with_capacity(COPY_BUF, &mut chained);
            let mut dec = decoder(compression, buffered).map_err(Fail::Archive)?;
            // Decompress one tar block to tell a compressed tar from a compressed file, then
            // put it back in front: the stream is read once.
            let peek = read_up_to(&mut *dec, TAR_BLOCK).map_err(Fail::Archive)?;
            let kind = inner_kind(writer.asset, compression, &peek)?;
            let mut inner = Cursor::new(peek).chain(dec);
            match kind {
                ArchiveKind::Tar(_) => writer.unpack_tar(&mut inner)?,
                _ => writer.write_single(&mut inner)?,
            }
            // Decompressing to the end checks the format's own checksum.
            writer.drain_capped(&mut inner)?;
            kind
        }
    };
    // Whatever follows the archive proper still goes through the caller's hasher.
    io::copy(&mut chained, &mut io::sink()).map_err(Fail::Archive)?;
    Ok(kind)
}

/// Read until `limit` bytes or EOF.
fn read_up_to(reader: &mut dyn Read, limit: usize) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(limit);
    reader.take(limit as u64).read_to_end(&mut out)?;
    Ok(out)
}

/// The state of one extraction: caps, what was written, the symlink table.
struct Writer<'a> {
    asset: &'a str,
    dest: &'a Path,
    opts: &'a ExtractOptions,
    written: u64,
    entries: u64,
    files: Vec<ExtractedFile>,
    /// Relative path -> index in `files`, so a repeated entry replaces in place.
    index: HashMap<PathBuf, usize>,
    /// Relative symlink path -> stored target.
    links: HashMap<PathBuf, PathBuf>,
    skipped: Vec<PathBuf>,
    buf: Vec<u8>,
}

impl<'a> Writer<'a> {
    fn new(
        asset: &'a str,
        dest: &'a Path,
        opts: &'a ExtractOptions,
    ) -> Result<Writer<'a>, ExtractError> {
        let name = &opts.single_file_name;
        let mut parts = Path::new(name).components();
        let plain = matches!(parts.next(), Some(Component::Normal(p)) if p == name.as_str())
            && parts.next().is_none()
            && !name.contains(['/', '\\']);
        if !plain {
            return Err(ExtractError::BadOutputName(name.clone()));
        }
        fs::create_dir_all(dest).map_err(|e| ExtractError::io("create directory", dest, e))?;
        Ok(Writer {
            asset,
            dest,
            opts,
            written: 0,
            entries: 0,
            files: Vec::new(),
            index: HashMap::new(),
            links: HashMap::new(),
            skipped: Vec::new(),
            buf: vec![0; COPY_BUF],
        })
    }

    fn unsafe_entry(&self, entry: &Path, reason: &str) -> Fail {
        Fail::Extract(ExtractError::UnsafeEntry {
            asset: self.asset.to_string(),
            entry: entry.display().to_string(),
            reason: reason.to_string(),
        })
    }

    fn too_large(&self, limit: Limit) -> Fail {
        Fail::Extract(ExtractError::TooLarge {
            asset: self.asset.to_string(),
            limit,
        })
    }

    fn count_entry(&mut self) -> Result<(), Fail> {
        self.entries += 1;
        if self.entries > self.opts.max_entries {
            return Err(self.too_large(Limit::Entries(self.opts.max_entries)));
        }
        Ok(())
    }

    fn checked(&self, raw: &Path) -> Result<PathBuf, Fail> {
        safe_relative(raw).map_err(|reason| self.unsafe_entry(raw, reason))
    }

    /// Create the directories leading to `rel` (and `rel` itself when `include_last`),
    /// refusing to pass through a symlink: a write through an archive's own symlink is how
    /// archives escape their directory.
    fn make_dirs(&self, rel: &Path, include_last: bool) -> Result<(), Fail> {
        let parts: Vec<_> = rel.components().collect();
        let count = if include_last {
            parts.len()
        } else {
            parts.len().saturating_sub(1)
        };
        let mut here = self.dest.to_path_buf();
        let mut prefix = PathBuf::new();
        for part in &parts[..count] {
            here.push(part);
            prefix.push(part);
            match fs::symlink_metadata(&here) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    let reason = format!(
                        "it would be written through the symlink `{}`",
                        prefix.display()
                    );
                    return Err(self.unsafe_entry(rel, &reason));
                }
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => {
                    let e = io::Error::new(io::ErrorKind::AlreadyExists, "a file is in the way");
                    return Err(ExtractError::io("create directory", &here, e).into());
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir(&here)
                    .map_err(|e| ExtractError::io("create directory", &here, e))?,
                Err(e) => return Err(ExtractError::io("inspect", &here, e).into()),
            }
        }
        Ok(())
    }

    /// Make room for a new entry at `rel`: a later entry replaces an earlier file or symlink
    /// (as tar does), never a directory.
    fn clear_slot(&mut self, rel: &Path) -> Result<PathBuf, Fail> {
        let abs = self.dest.join(rel);
        match fs::symlink_metadata(&abs) {
            Ok(meta) if meta.is_dir() => {
                let e = io::Error::new(io::ErrorKind::AlreadyExists, "a directory is in the way");
                return Err(ExtractError::io("write", &abs, e).into());
            }
            Ok(_) => fs::remove_file(&abs).map_err(|e| ExtractError::io("replace", &abs, e))?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(ExtractError::io("inspect", &abs, e).into()),
        }
        self.links.remove(rel);
        Ok(abs)
    }

    fn record(&mut self, file: ExtractedFile) {
        if let Some(&i) = self.index.get(&file.path) {
            self.files[i] = file;
        } else {
            self.index.insert(file.path.clone(), self.files.len());
            self.files.push(file);
        }
    }

    /// Stream `reader` into a new file at `rel`, counting bytes against the cap as they are
    /// written (header sizes are claims, not facts).
    fn write_file(
        &mut self,
        rel: &Path,
        reader: &mut dyn Read,
        executable: bool,
    ) -> Result<(), Fail> {
        self.make_dirs(rel, false)?;
        let abs = self.clear_slot(rel)?;
        // `create_new` never follows a symlink planted at the final component.
        let mut file = File::options()
            .write(true)
            .create_new(true)
            .open(&abs)
            .map_err(|e| ExtractError::io("create", &abs, e))?;
        let mut size = 0u64;
        loop {
            let n = match reader.read(&mut self.buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Fail::Archive(e)),
            };
            if self.written + n as u64 > self.opts.max_unpacked_bytes {
                return Err(self.too_large(Limit::Bytes(self.opts.max_unpacked_bytes)));
            }
            file.write_all(&self.buf[..n])
                .map_err(|e| ExtractError::io("write", &abs, e))?;
            self.written += n as u64;
            size += n as u64;
        }
        set_mode(&file, executable).map_err(|e| ExtractError::io("set permissions on", &abs, e))?;
        self.record(ExtractedFile {
            path: rel.to_path_buf(),
            size,
            is_executable: executable,
            is_symlink: false,
            symlink_target: None,
        });
        Ok(())
    }

    /// A single compressed file or bare binary: named as the caller asked, made executable.
    fn write_single(&mut self, reader: &mut dyn Read) -> Result<(), Fail> {
        self.count_entry()?;
        let rel = PathBuf::from(&self.opts.single_file_name);
        self.write_file(&rel, reader, true)
    }

    fn make_symlink(&mut self, rel: &Path, target: &Path) -> Result<(), Fail> {
        self.make_dirs(rel, false)?;
        // Checked against the links known so far, and again in `finish` against all of them:
        // a later link can change where an earlier one leads.
        resolve_link(&self.links, rel, target).map_err(|reason| self.unsafe_entry(rel, reason))?;
        let abs = self.clear_slot(rel)?;
        create_symlink(target, &abs).map_err(|e| ExtractError::io("create symlink", &abs, e))?;
        self.links.insert(rel.to_path_buf(), target.to_path_buf());
        self.record(ExtractedFile {
            path: rel.to_path_buf(),
            size: 0,
            is_executable: false,
            is_symlink: true,
            symlink_target: Some(target.to_path_buf()),
        });
        Ok(())
    }

    /// A tar hard link: allowed only to a regular file this archive already wrote, so it can
    /// never alias a file outside `dest`.
    fn make_hardlink(&mut self, rel: &Path, raw_target: &Path) -> Result<(), Fail> {
        let target = safe_relative(raw_target).map_err(|reason| {
            self.unsafe_entry(
                rel,
                &format!("its hard link target `{}`: {reason}", raw_target.display()),
            )
        })?;
        let Some(original) = self
            .index
            .get(&target)
            .map(|&i| self.files[i].clone())
            .filter(|f| !f.is_symlink)
        else {
            let reason = format!(
                "it hard-links to `{}`, which is not a file earlier in the archive",
                raw_target.display()
            );
            return Err(self.unsafe_entry(rel, &reason));
        };
        if target == rel {
            return Ok(());
        }
        self.make_dirs(rel, false)?;
        let abs = self.clear_slot(rel)?;
        let from = self.dest.join(&target);
        if fs::hard_link(&from, &abs).is_err() {
            // Some file systems refuse hard links; a copy is just as good in a staging dir.
            let mut source = File::open(&from).map_err(|e| ExtractError::io("open", &from, e))?;
            return self.write_file(rel, &mut source, original.is_executable);
        }
        self.record(ExtractedFile {
            path: rel.to_path_buf(),
            ..original
        });
        Ok(())
    }

    /// Decompress the rest of a stream without writing it, still under the byte cap (a tiny
    /// tar followed by gigabytes of compressed zeros is a bomb too).
    fn drain_capped(&mut self, reader: &mut dyn Read) -> Result<(), Fail> {
        loop {
            let n = match reader.read(&mut self.buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Fail::Archive(e)),
            };
            self.written += n as u64;
            if self.written > self.opts.max_unpacked_bytes {
                return Err(self.too_large(Limit::Bytes(self.opts.max_unpacked_bytes)));
            }
        }
    }

    fn unpack_tar(&mut self, reader: &mut dyn Read) -> Result<(), Fail> {
        // Header data is read through a meter armed only while the crate looks for the next
        // entry: it can never buffer more than the budget, whatever sizes are declared.
        let meter = Meter::default();
        let mut archive = tar::Archive::new(meter.wrap(reader));
        let mut entries = archive.entries().map_err(Fail::Archive)?;
        loop {
            meter.arm(MAX_ENTRY_HEADER_BYTES);
            let next = entries.next();
            let header_bytes = meter.disarm();
            // Header bytes are decompressed bytes too: they count against the size cap.
            self.written += header_bytes;
            let mut entry = match next {
                None => break,
                Some(Ok(entry)) => entry,
                Some(Err(_)) if meter.tripped() => {
                    return Err(self.too_large(Limit::HeaderBytes(MAX_ENTRY_HEADER_BYTES)));
                }
                Some(Err(e)) => return Err(Fail::Archive(e)),
            };
            if self.written > self.opts.max_unpacked_bytes {
                return Err(self.too_large(Limit::Bytes(self.opts.max_unpacked_bytes)));
            }
            self.tar_entry(&mut entry)?;
            // Read what the entry left (a skipped entry's data, a directory's or link's
            // declared bytes) so the next search reads headers only.
            self.drain_capped(&mut entry)?;
        }
        Ok(())
    }

    fn tar_entry<R: Read>(&mut self, entry: &mut tar::Entry<'_, R>) -> Result<(), Fail> {
        use tar::EntryType;
        let kind = entry.header().entry_type();
        if matches!(
            kind,
            EntryType::XGlobalHeader
                | EntryType::XHeader
                | EntryType::GNULongName
                | EntryType::GNULongLink
        ) {
            // Metadata for the next entry, not an entry. A PAX global header (or one of these
            // in a header the crate does not treat as an extension) is returned here rather
            // than buffered; it gets the same budget all the same.
            if entry.size() > MAX_ENTRY_HEADER_BYTES {
                return Err(self.too_large(Limit::HeaderBytes(MAX_ENTRY_HEADER_BYTES)));
            }
            return Ok(());
        }
        self.count_entry()?;
        let longest = entry
            .path_bytes()
            .len()
            .max(entry.link_name_bytes().map_or(0, |name| name.len()));
        if longest > MAX_NAME_BYTES {
            return Err(self.too_large(Limit::NameBytes(MAX_NAME_BYTES)));
        }
        let raw = entry.path().map_err(Fail::Archive)?.into_owned();
        // Pre-POSIX tars mark directories only with a trailing slash.
        let is_dir = kind == EntryType::Directory
            || (kind == EntryType::Regular && entry.path_bytes().ends_with(b"/"));
        if is_dir && is_root(&raw) {
            return Ok(()); // `./`, as `tar -C dir .` writes first: the destination itself
        }
        let rel = self.checked(&raw)?;
        match kind {
            _ if is_dir => self.make_dirs(&rel, true)?,
            EntryType::Regular | EntryType::Continuous | EntryType::GNUSparse => {
                let mode = entry.header().mode().unwrap_or(0o644);
                self.write_file(&rel, entry, mode & 0o111 != 0)?;
            }
            EntryType::Symlink | EntryType::Link => {
                let target = entry
                    .link_name()
                    .map_err(Fail::Archive)?
                    .map(std::borrow::Cow::into_owned)
                    .unwrap_or_default();
                if kind == EntryType::Symlink {
                    self.make_symlink(&rel, &target)?;
                } else {
                    self.make_hardlink(&rel, &target)?;
                }
            }
            // Devices, fifos and types this crate does not know are never created.
            _ => self.skipped.push(rel),
        }
        Ok(())
    }

    fn unpack_zip<R: Read + Seek>(&mut self, mut reader: R) -> Result<(), Fail> {
        // The zip crate reads the whole central directory into memory: its declared size,
        // entry count and name lengths are checked first.
        match check_zip_directory(&mut reader, self.opts.max_entries).map_err(Fail::Archive)? {
            Ok(()) => {}
            Err(ZipExcess::Entries) => {
                return Err(self.too_large(Limit::Entries(self.opts.max_entries)));
            }
            Err(ZipExcess::Size) => {
                return Err(self.too_large(Limit::CentralDirectory(MAX_CENTRAL_DIR_BYTES)));
            }
            Err(ZipExcess::Name) => return Err(self.too_large(Limit::NameBytes(MAX_NAME_BYTES))),
        }
        reader.seek(SeekFrom::Start(0)).map_err(Fail::Archive)?;
        let mut zip = zip::ZipArchive::new(reader).map_err(zip_fail)?;
        if zip.len() as u64 > self.opts.max_entries {
            return Err(self.too_large(Limit::Entries(self.opts.max_entries)));
        }
        for i in 0..zip.len() {
            let mut file = zip.by_index(i).map_err(zip_fail)?;
            self.count_entry()?;
            // Zips written by some Windows tools use `\` as the separator.
            if file.name_raw().len() > MAX_NAME_BYTES {
                return Err(self.too_large(Limit::NameBytes(MAX_NAME_BYTES)));
            }
            let name = file.name().map_err(zip_fail)?.replace('\\', "/");
            if file.is_dir() && is_root(Path::new(&name)) {
                continue;
            }
            let rel = self.checked(Path::new(&name))?;
            if file.is_dir() {
                self.make_dirs(&rel, true)?;
            } else if file.is_symlink() {
                let mut target = Vec::new();
                (&mut file)
                    .take(MAX_LINK_TARGET)
                    .read_to_end(&mut target)
                    .map_err(Fail::Archive)?;
                let target = PathBuf::from(String::from_utf8_lossy(&target).into_owned());
                self.make_symlink(&rel, &target)?;
            } else {
                let executable = match (file.system(), file.unix_mode()) {
                    (zip::System::Unix, Some(mode)) => mode & 0o111 != 0,
                    // Made on Windows: no mode bits, the name is all there is.
                    _ => name.to_ascii_lowercase().ends_with(".exe"),
                };
                self.write_file(&rel, &mut file, executable)?;
            }
        }
        Ok(())
    }

    /// Copy the whole stream to an anonymous temp file beside `dest` (same file system, no
    /// name to clean up) and hand it back rewound.
    fn spool(&mut self, reader: &mut dyn Read) -> Result<File, Fail> {
        let dir = self
            .dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut file = tempfile::tempfile_in(dir)
            .map_err(|e| ExtractError::io("create a temporary file in", dir, e))?;
        loop {
            let n = match reader.read(&mut self.buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Fail::Archive(e)),
            };
            file.write_all(&self.buf[..n])
                .map_err(|e| ExtractError::io("write a temporary file in", dir, e))?;
        }
        file.seek(SeekFrom::Start(0))
            .map_err(|e| ExtractError::io("rewind a temporary file in", dir, e))?;
        Ok(file)
    }

    /// Re-check every symlink against the complete table and fill in whether each leads to an
    /// executable.
    fn finish(mut self, kind: ArchiveKind) -> Result<Extracted, Fail> {
        for (link, target) in &self.links {
            resolve_link(&self.links, link, target)
                .map_err(|reason| self.unsafe_entry(link, reason))?;
        }
        let resolved_exec: Vec<(usize, bool)> = self
            .files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.is_symlink)
            .map(|(i, f)| {
                let exec = resolve_path(&self.links, &f.path)
                    .ok()
                    .and_then(|end| self.index.get(&end))
                    .is_some_and(|&j| !self.files[j].is_symlink && self.files[j].is_executable);
                (i, exec)
            })
            .collect();
        for (i, exec) in resolved_exec {
            self.files[i].is_executable = exec;
        }
        Ok(Extracted {
            kind,
            files: self.files,
            skipped: self.skipped,
        })
    }
}

/// Whether an entry names the destination itself (`./`).
fn is_root(raw: &Path) -> bool {
    raw.components().all(|c| c == Component::CurDir)
}

fn zip_fail(e: zip::result::ZipError) -> Fail {
    Fail::Archive(io::Error::from(e))
}

/// 0o755 or 0o644 regardless of the archive's bits: no setuid, nothing world-writable, and
/// always owner-writable so the staging dir can be cleaned up.
#[cfg(unix)]
fn set_mode(file: &File, executable: bool) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = if executable { 0o755 } else { 0o644 };
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &File, _executable: bool) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn create_symlink(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn create_symlink(target: &Path, link: &Path) -> io::Result<()> {
    std::os::windows::fs::symlink_file(target, link)
}

#[cfg(not(any(unix, windows)))]
fn create_symlink(_target: &Path, _link: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "symlinks are not supported here",
    ))
}
