//! Versions: what the user asked for ([`VersionSpec`]), how tags spell versions, and which
//! release satisfies a request. Pure: works on tag lists handed to it.

/// The version part of a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSpec {
    /// Newest release that is neither draft nor prerelease (the default).
    Latest,
    /// One exact version or raw tag as typed: `0.14.0`, `v0.14.0`, `jq-1.7.1`, `2026-09-07`.
    Exact(String),
    /// A version prefix: `0.14` means the newest `0.14.*`.
    Prefix(String),
    /// A semver requirement: `^0.14`, `~0.8`, `>=0.10, <0.15`.
    Req(semver::VersionReq),
}
