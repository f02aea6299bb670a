//! The install receipt: what was resolved, from where, and how it was verified.
//!
//! One TOML file per installed version, `<version>/.toolget-receipt.toml`, written inside the
//! staging directory before the rename so a visible version always has one.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// File name of the receipt inside a version directory.
pub const RECEIPT_FILE: &str = ".toolget-receipt.toml";

/// How the downloaded asset was checked before anything became visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Matched the `sha256:` digest GitHub reports for the asset.
    GithubDigest,
    /// Matched an entry of a checksum file published in the same release.
    ChecksumFile,
    /// Matched the digest pinned in the user's lockfile.
    Lockfile,
    /// Nothing to check against; the user accepted that.
    Unverified,
}

impl fmt::Display for Verification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verification::GithubDigest => "github_digest",
            Verification::ChecksumFile => "checksum_file",
            Verification::Lockfile => "lockfile",
            Verification::Unverified => "unverified",
        })
    }
}

/// Everything toolget knows about one installed version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The spec as the user typed it, e.g. `github:BurntSushi/ripgrep@14`.
    pub spec: String,
    /// `owner/name` as GitHub spells it (the directory is lowercased; this is not).
    pub repo: String,
    /// The release tag, e.g. `v14.1.1`.
    pub tag: String,
    /// The version read from the tag, e.g. `14.1.1`; names the version directory.
    pub version: String,
    /// Canonical platform name, e.g. `linux-x86_64-musl`.
    pub platform: String,
    /// Asset file name.
    pub asset: String,
    /// Where the asset was downloaded from.
    pub url: String,
    /// Asset size in bytes.
    pub size: u64,
    /// Hex SHA-256 of the asset as downloaded.
    pub sha256: String,
    pub verified: Verification,
    /// What the digest was checked against, e.g. the checksum file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_with: Option<String>,
    /// Executable names linked into `bin/`.
    pub exe: Vec<String>,
    /// Installed files, relative to the version directory.
    pub files: Vec<String>,
    /// RFC 3339 UTC, see [`rfc3339_utc`].
    pub installed_at: String,
    /// The toolget that wrote this receipt.
    pub toolget_version: String,
    /// Whether the whole archive was kept rather than just the executables.
    #[serde(default)]
    pub extract_all: bool,
    /// sha256 of every file toolget wrote (path relative to the version directory → hex; a
    /// symlink as `link:<target>`), for `toolget verify`. Empty in receipts older than it.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub file_sha256: std::collections::BTreeMap<String, String>,
    /// Who vouched for the asset (docs/provenance.md); `None` in receipts older than it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<crate::provenance::Provenance>,
}

/// `time` as RFC 3339 UTC with second precision: `2024-03-01T12:00:00Z` (humantime's
/// formatter; times before the epoch clamp to it).
pub fn rfc3339_utc(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time.max(UNIX_EPOCH)).to_string()
}

/// What [`Receipt::file_sha256`] records for each of `files` (relative to `dir`).
pub fn hash_files(
    dir: &std::path::Path,
    files: &[String],
) -> std::io::Result<std::collections::BTreeMap<String, String>> {
    let mut out = std::collections::BTreeMap::new();
    for file in files {
        out.insert(file.clone(), hash_file(&dir.join(file))?);
    }
    Ok(out)
}

/// One entry of [`Receipt::file_sha256`]: the sha256 of a file, or `link:<target>`.
pub fn hash_file(path: &std::path::Path) -> std::io::Result<String> {
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Ok(format!("link:{}", std::fs::read_link(path)?.display()));
    }
    crate::download::hash_file::<sha2::Sha256>(path)
}

/// The current time for [`Receipt::installed_at`].
pub fn now_rfc3339() -> String {
    rfc3339_utc(SystemTime::now())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(secs: u64) -> String {
        rfc3339_utc(UNIX_EPOCH + Duration::from_secs(secs))
    }

    #[test]
    fn timestamps_match_known_dates() {
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(951_868_799), "2000-02-29T23:59:59Z");
        assert_eq!(at(951_868_800), "2000-03-01T00:00:00Z");
        assert_eq!(at(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(at(4_107_542_399), "2100-02-28T23:59:59Z");
        assert_eq!(at(4_107_542_400), "2100-03-01T00:00:00Z");
        assert_eq!(at(1_709_251_199), "2024-02-29T23:59:59Z");
        assert_eq!(at(1_735_689_600), "2025-01-01T00:00:00Z");
    }

    #[test]
    fn verification_serializes_snake_case() {
        #[derive(Serialize, Deserialize)]
        struct Wrap {
            v: Verification,
        }
        let text = toml::to_string(&Wrap {
            v: Verification::GithubDigest,
        })
        .unwrap();
        assert_eq!(text.trim(), "v = \"github_digest\"");
        let back: Wrap = toml::from_str("v = \"checksum_file\"").unwrap();
        assert_eq!(back.v, Verification::ChecksumFile);
        assert_eq!(Verification::Lockfile.to_string(), "lockfile");
    }
}
