//! The exit codes the command line uses by name. Every other code comes from an error's
//! [`ErrorKind`] (src/error.rs), whose table docs/cli.md is tested against.

use toolget::error::ErrorKind;

/// Everything worked.
pub const SUCCESS: u8 = toolget::error::SUCCESS;
/// An unexpected failure (I/O on the local disk, a bug).
pub const INTERNAL: u8 = ErrorKind::Internal.exit_code();
/// Bad command line or bad spec. clap's own usage errors use 2 as well.
pub const USAGE: u8 = ErrorKind::Usage.exit_code();
/// The tool, repository, tag or version does not exist.
pub const NOT_FOUND: u8 = ErrorKind::NotFound.exit_code();
/// The release has no asset for the platform.
pub const NO_MATCH: u8 = ErrorKind::NoMatch.exit_code();
/// toolget.lock is missing or does not match toolget.toml.
pub const LOCK_MISMATCH: u8 = ErrorKind::LockMismatch.exit_code();
