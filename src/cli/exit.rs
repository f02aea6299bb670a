//! Exit codes: distinct and documented (docs/cli.md), because scripts and the mise plugin
//! branch on them. Each error kind string (as printed in `--json` output) maps to one code.

/// Everything worked.
pub const SUCCESS: u8 = 0;
/// An unexpected failure (I/O on the local disk, a bug).
pub const INTERNAL: u8 = 1;
/// Bad command line or bad spec (`invalid_spec`). clap's own usage errors use 2 as well.
pub const USAGE: u8 = 2;
/// The tool, repository, tag or version does not exist (`not_found`).
pub const NOT_FOUND: u8 = 3;
/// The release has no asset for the platform (`no_match`).
pub const NO_MATCH: u8 = 4;
/// Several assets fit equally well (`ambiguous`); an option would separate them.
pub const AMBIGUOUS: u8 = 5;
/// A digest or checksum did not match, or verification was required and impossible
/// (`verification_failed`).
pub const VERIFICATION_FAILED: u8 = 6;
/// The network failed after retries (`network`, `http`, `invalid_response`).
pub const NETWORK: u8 = 7;
/// GitHub's API rate limit is exhausted (`rate_limited`).
pub const RATE_LIMITED: u8 = 8;
/// The archive is unusable: corrupt, unsafe, too large, or lacks the executable.
pub const BAD_ARCHIVE: u8 = 9;
/// `toolget.lock` is missing, unreadable as a lock, or does not match `toolget.toml` (a tool
/// added or removed, a version or option changed, a platform not locked) (`lock_mismatch`).
pub const LOCK_MISMATCH: u8 = 10;

/// The exit code for an error kind as it appears in JSON output.
pub fn for_kind(kind: &str) -> u8 {
    match kind {
        // `bin_conflict`: the command name belongs to another tool or to the user.
        "invalid_spec" | "invalid_config" | "usage" | "bin_conflict" => USAGE,
        "not_found" => NOT_FOUND,
        "no_match" => NO_MATCH,
        "ambiguous" => AMBIGUOUS,
        "verification_failed" | "unverified" => VERIFICATION_FAILED,
        "network" | "http" | "invalid_response" => NETWORK,
        "rate_limited" => RATE_LIMITED,
        "unsafe_archive" | "archive_too_large" | "exe_not_found" | "exe_ambiguous"
        | "corrupt_archive" | "unsafe_release" => BAD_ARCHIVE,
        "lock_mismatch" => LOCK_MISMATCH,
        _ => INTERNAL,
    }
}
