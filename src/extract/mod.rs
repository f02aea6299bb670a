//! Archives -> staging dir, safely; then find the executable in what came out.
//!
//! The installer pipes the download stream (through its hasher) straight into
//! [`extract_stream`], so downloading, hashing and decompressing overlap. The kind of the
//! asset is decided by its *content* (magic bytes), with the asset name as a claim that must
//! agree and as a tie-break; see [`detect_kind`].
//!
//! Nothing in an archive is trusted: absolute paths, `..` components, symlinks that resolve
//! outside the destination, hard links to outside paths and writes through symlinks are all
//! refused; unpacked bytes and entry counts are capped while writing (see [`ExtractOptions`]).
//! Device and fifo entries are skipped (never created) and reported in
//! [`Extracted::skipped`].
//!
//! This module writes only below the destination directory it is given (plus, for a streamed
//! zip, one temporary spool file beside it). It must not touch the network, the store layout,
//! bin links or the process environment; on error it leaves a partial staging directory for
//! the caller to discard.

mod budget;
mod detect;
mod find;
mod resolve;
mod unpack;

// Tests may unwrap: a panic there is a failed assertion.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

use crate::text::untrusted;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, ErrorKind};

pub use detect::detect_kind;
pub use find::{ExeQuery, find_executable, mark_executable};
pub use unpack::{extract_file, extract_stream};

/// Default cap on the bytes written while unpacking one asset: 4 GiB. Real CLI releases are
/// far below it (the largest common ones unpack to a few hundred MB); a decompression bomb is
/// far above.
pub const DEFAULT_MAX_UNPACKED_BYTES: u64 = 4 << 30;

/// Default cap on the number of entries (files, directories, links) in one archive.
pub const DEFAULT_MAX_ENTRIES: u64 = 200_000;

/// The compression wrapped around a tar stream or a single file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Compression {
    None,
    Gzip,
    Xz,
    Bzip2,
    Zstd,
}

impl Compression {
    /// How the format is called in messages ("a gzip archive").
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "uncompressed",
            Compression::Gzip => "gzip",
            Compression::Xz => "xz",
            Compression::Bzip2 => "bzip2",
            Compression::Zstd => "zstd",
        }
    }
}

/// What an uncompressed, unarchived asset is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryFormat {
    Elf,
    MachO,
    /// Windows PE (`MZ`), usually an `.exe`.
    Pe,
    /// A script starting with `#!`.
    Script,
}

/// What an asset turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArchiveKind {
    /// A tar stream, possibly compressed (`.tar.gz`, `.tar.xz`, `.tar`, …).
    Tar(Compression),
    /// A zip archive.
    Zip,
    /// A 7z archive.
    SevenZ,
    /// One compressed file that is not a tar (`tool.gz`, `tool-linux.xz`): unpacked to
    /// [`ExtractOptions::single_file_name`]. Never holds `Compression::None`.
    CompressedFile(Compression),
    /// A bare executable or script, copied as is to [`ExtractOptions::single_file_name`].
    Binary(BinaryFormat),
}

impl fmt::Display for ArchiveKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArchiveKind::Tar(Compression::None) => f.write_str("tar archive"),
            ArchiveKind::Tar(c) => write!(f, "{} compressed tar archive", c.name()),
            ArchiveKind::Zip => f.write_str("zip archive"),
            ArchiveKind::SevenZ => f.write_str("7z archive"),
            ArchiveKind::CompressedFile(c) => write!(f, "{} compressed file", c.name()),
            ArchiveKind::Binary(BinaryFormat::Elf) => f.write_str("ELF executable"),
            ArchiveKind::Binary(BinaryFormat::MachO) => f.write_str("Mach-O executable"),
            ArchiveKind::Binary(BinaryFormat::Pe) => f.write_str("Windows executable"),
            ArchiveKind::Binary(BinaryFormat::Script) => f.write_str("script"),
        }
    }
}

/// How to extract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractOptions {
    /// File name given to a single compressed file or bare binary (the executable name the
    /// caller wants, with `.exe` on Windows). Must be a plain file name, no separators.
    pub single_file_name: String,
    /// Cap on bytes actually written; exceeding it fails with `archive_too_large`.
    pub max_unpacked_bytes: u64,
    /// Cap on archive entries; exceeding it fails with `archive_too_large`.
    pub max_entries: u64,
}

impl ExtractOptions {
    /// Options with the default caps.
    pub fn new(single_file_name: impl Into<String>) -> ExtractOptions {
        ExtractOptions {
            single_file_name: single_file_name.into(),
            max_unpacked_bytes: DEFAULT_MAX_UNPACKED_BYTES,
            max_entries: DEFAULT_MAX_ENTRIES,
        }
    }
}

/// One file (or symlink) written into the destination. Directories are not listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractedFile {
    /// Path relative to the destination, normalised (no `.` components).
    pub path: PathBuf,
    /// Bytes written (0 for symlinks).
    pub size: u64,
    /// Executable per the archive's mode bits (`mode & 0o111`), or, for zips made on Windows
    /// (no unix mode), a name ending in `.exe`. For a symlink: whether its resolved target is.
    pub is_executable: bool,
    pub is_symlink: bool,
    /// The symlink's target as stored in the archive (relative; already checked to resolve
    /// inside the destination).
    pub symlink_target: Option<PathBuf>,
}

/// What an extraction produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// What the asset was.
    pub kind: ArchiveKind,
    /// Files and symlinks, in archive order (a later entry with the same path replaces an
    /// earlier one in place).
    pub files: Vec<ExtractedFile>,
    /// Entries deliberately not created: devices, fifos and unknown entry types.
    pub skipped: Vec<PathBuf>,
}

impl Extracted {
    /// Total bytes written.
    pub fn unpacked_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

/// Which cap an archive exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Bytes(u64),
    Entries(u64),
    /// Header data read to find one entry (long names, PAX records): what a parser may
    /// buffer at once.
    HeaderBytes(u64),
    /// Length of one entry name or link target.
    NameBytes(usize),
    /// Size of a zip's central directory (the table of entries, read whole).
    CentralDirectory(u64),
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Bytes(n) => write!(f, "the unpacked-size limit of {}", human_bytes(*n)),
            Limit::Entries(n) => write!(f, "the limit of {n} entries"),
            Limit::HeaderBytes(n) => {
                write!(
                    f,
                    "the limit of {} of header data per entry",
                    human_bytes(*n)
                )
            }
            Limit::NameBytes(n) => write!(f, "the limit of {n} bytes per entry name"),
            Limit::CentralDirectory(n) => write!(
                f,
                "the limit of {} for the table of entries",
                human_bytes(*n)
            ),
        }
    }
}

/// Errors from detecting, extracting, or finding the executable.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The name claims one format, the content is another.
    #[error(
        "`{}` is not {expected} (starts with {})",
        untrusted(asset),
        untrusted(head)
    )]
    WrongFormat {
        asset: String,
        expected: String,
        head: String,
    },
    /// Neither an archive nor an executable this module knows.
    #[error(
        "`{}` is not an archive or executable toolget can unpack (starts with {})",
        untrusted(asset),
        untrusted(head)
    )]
    UnknownFormat { asset: String, head: String },
    /// The archive stream is damaged (bad header, checksum, truncated data).
    #[error("`{}` is corrupt", untrusted(asset))]
    Corrupt {
        asset: String,
        #[source]
        source: io::Error,
    },
    /// An entry would write outside the destination or is otherwise unsafe.
    #[error(
        "`{}` holds an unsafe entry `{}`: {reason}",
        untrusted(asset),
        untrusted(entry)
    )]
    UnsafeEntry {
        asset: String,
        entry: String,
        reason: String,
    },
    /// The archive unpacks to more than a cap allows.
    #[error("`{}` exceeds {limit} while unpacking", untrusted(asset))]
    TooLarge { asset: String, limit: Limit },
    /// No file in the archive has the wanted name (never settled by a prefix match:
    /// `sccache-dist` is not `sccache`).
    #[error("found no {looked_for} in the archive; {}", holdings_message(holdings))]
    ExeNotFound {
        /// What was looked for, e.g. "file named `sccache`".
        looked_for: String,
        /// What the archive holds, executables first, as shown to the user.
        holdings: Vec<String>,
        /// Whether the name came from the user (`[exe=…]`) rather than from guessing.
        explicit: bool,
    },
    /// No file has a name anybody asked for — the `exe` option or registry, the repository,
    /// the asset's name family — but the archive holds other executables. They are never taken
    /// on the archive's say-so: a `prettyprint` release holding only `sudo` must not put
    /// `sudo` first on PATH.
    #[error(
        "the archive holds no executable named {}; it holds {}, which nobody asked for",
        asked.iter().map(|n| format!("`{}`", untrusted(n))).collect::<Vec<_>>().join(" or "),
        found.iter().map(|n| format!("`{}`", untrusted(n))).collect::<Vec<_>>().join(", ")
    )]
    ExeNotAsked {
        /// The names that would have been accepted.
        asked: Vec<String>,
        /// The executables the archive does hold (file names).
        found: Vec<String>,
    },
    /// Several files match equally well.
    #[error(
        "several files in the archive could be `{}`: {}",
        untrusted(wanted),
        candidates.iter().map(|c| crate::text::shown(c)).collect::<Vec<_>>().join(", ")
    )]
    AmbiguousExe {
        wanted: String,
        /// Relative paths of the equally good matches.
        candidates: Vec<String>,
    },
    /// `single_file_name` is not a plain file name (a caller bug, not an archive problem).
    #[error("`{}` is not a plain file name for the unpacked executable", untrusted(.0))]
    BadOutputName(String),
    /// Reading the source stream failed (network, disk); the archive itself may be fine.
    #[error("failed to read `{}`", untrusted(asset))]
    Read {
        asset: String,
        #[source]
        source: io::Error,
    },
    /// A local file-system operation failed.
    #[error("failed to {action} `{}`", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl ExtractError {
    fn io(action: &'static str, path: &Path, source: io::Error) -> ExtractError {
        ExtractError::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

impl Diagnostic for ExtractError {
    /// Stable machine-readable kind, for `--json` output and exit codes.
    fn kind(&self) -> ErrorKind {
        match self {
            ExtractError::WrongFormat { .. }
            | ExtractError::UnknownFormat { .. }
            | ExtractError::Corrupt { .. } => ErrorKind::CorruptArchive,
            ExtractError::UnsafeEntry { .. } => ErrorKind::UnsafeArchive,
            ExtractError::TooLarge { .. } => ErrorKind::ArchiveTooLarge,
            ExtractError::ExeNotFound { .. } | ExtractError::ExeNotAsked { .. } => {
                ErrorKind::ExeNotFound
            }
            ExtractError::AmbiguousExe { .. } => ErrorKind::ExeAmbiguous,
            ExtractError::BadOutputName(_) => ErrorKind::Usage,
            ExtractError::Read { .. } | ExtractError::Io { .. } => ErrorKind::Io,
        }
    }

    /// What the user should do about it, where there is something to do.
    fn hint(&self) -> Option<String> {
        match self {
            ExtractError::WrongFormat { .. } => Some(
                "the download may have been altered on the way (a proxy or captive portal); \
                 retry, or report the mislabelled asset to the project"
                    .into(),
            ),
            ExtractError::UnknownFormat { .. } => Some(
                "supported: tar (.gz .xz .bz2 .zst), zip, 7z, single .gz/.xz/.bz2/.zst files and \
                 bare executables; pick another asset with `--platform` or the asset pattern"
                    .into(),
            ),
            ExtractError::Corrupt { .. } => {
                Some("retry the download; if it persists the published asset is broken".into())
            }
            ExtractError::UnsafeEntry { .. } => Some(
                "nothing was installed; this archive tries to write outside its directory, \
                 report it to the project that published it"
                    .into(),
            ),
            ExtractError::TooLarge { limit, .. } => Some(match limit {
                Limit::Bytes(_) => "if you trust this archive, raise the cap with \
                                    TOOLGET_MAX_UNPACKED (e.g. TOOLGET_MAX_UNPACKED=16G)"
                    .into(),
                Limit::Entries(_) => "if you trust this archive, report it: it holds more \
                                      files than any tool release toolget knows"
                    .into(),
                Limit::HeaderBytes(_) | Limit::NameBytes(_) | Limit::CentralDirectory(_) => {
                    "nothing was installed; no real release has names or headers this large, \
                     the archive is malformed or hostile: report it to the project that \
                     published it"
                        .into()
                }
            }),
            ExtractError::ExeNotFound { explicit: true, .. } => Some(
                "this asset does not contain that executable: check the `[exe=…]` name against \
                 the list above, or whether another asset of the release holds it"
                    .into(),
            ),
            ExtractError::ExeNotFound {
                explicit: false, ..
            } => Some(
                "name the executable explicitly with `[exe=NAME]`, e.g. \
                 `github:owner/repo[exe=NAME]`, using one of the names above"
                    .into(),
            ),
            ExtractError::ExeNotAsked { found, .. } => Some(format!(
                "if that really is the program you want, ask for it by name: `[exe={}]`, e.g. \
                 `github:owner/repo[exe={}]`",
                found
                    .first()
                    .map(|n| n.escape_debug().to_string())
                    .unwrap_or_default(),
                found
                    .first()
                    .map(|n| n.escape_debug().to_string())
                    .unwrap_or_default()
            )),
            ExtractError::AmbiguousExe { candidates, .. } => Some(format!(
                "pick one by its path inside the archive, e.g. `[exe={}]`",
                candidates.first().map_or("dir/NAME", String::as_str)
            )),
            ExtractError::BadOutputName(_) | ExtractError::Read { .. } => None,
            ExtractError::Io { .. } => {
                Some("check free space and permissions of the toolget directory".into())
            }
        }
    }
}

fn holdings_message(holdings: &[String]) -> String {
    if holdings.is_empty() {
        "it holds no files".to_string()
    } else {
        let shown: Vec<String> = holdings.iter().map(|h| crate::text::shown(h)).collect();
        format!("it holds: {}", shown.join(", "))
    }
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}
