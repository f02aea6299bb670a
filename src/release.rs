//! What a release offers: the data the GitHub client produces and the resolver consumes.
//!
//! Plain data with no behaviour that touches the network or disk, so the resolver can be fed
//! hand-written asset lists in tests.

use serde::{Deserialize, Serialize};

/// Whether `s` is a sha256 in hex (64 hex digits, either case): the one check for the digests
/// GitHub reports, lockfiles pin and downloads are compared with.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// One downloadable file attached to a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asset {
    /// File name as published, e.g. `sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz`.
    pub name: String,
    /// Size in bytes as reported by the API (0 when unknown, e.g. in hand-written fixtures).
    pub size: u64,
    /// GitHub's content digest as published (trimmed), normally `sha256:<hex>`; any other
    /// spelling or algorithm is `verify::parse_digest`'s to judge.
    pub digest: Option<String>,
    /// Public download URL (`browser_download_url`).
    pub download_url: String,
    /// API URL of the asset (`url`), downloadable with `Accept: application/octet-stream`;
    /// needed for private repositories and GitHub Enterprise.
    pub api_url: Option<String>,
}

impl Asset {
    /// An asset known only by name: for tests, benchmarks and corpus fixtures.
    pub fn named(name: impl Into<String>) -> Asset {
        Asset {
            name: name.into(),
            size: 0,
            digest: None,
            download_url: String::new(),
            api_url: None,
        }
    }
}

/// A published release of a repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// The git tag, e.g. `v0.14.0`, `jq-1.7.1`.
    pub tag: String,
    /// Release title, when set.
    pub name: Option<String>,
    pub draft: bool,
    pub prerelease: bool,
    /// RFC 3339 timestamp, when published.
    pub published_at: Option<String>,
    /// Assets in the order the API lists them.
    pub assets: Vec<Asset>,
}

/// `owner/name` of a GitHub repository.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RepoId {
    pub owner: String,
    pub name: String,
}

impl RepoId {
    pub fn new(owner: impl Into<String>, name: impl Into<String>) -> RepoId {
        RepoId {
            owner: owner.into(),
            name: name.into(),
        }
    }
}

impl std::fmt::Display for RepoId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}
