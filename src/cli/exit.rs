//! The exit codes the command line uses by name. Every other code comes from an error's
//! [`ErrorKind`] (src/error.rs), whose table docs/cli.md is tested against.

use toolget::error::ErrorKind;

/// Everything worked.
pub(super) const SUCCESS: u8 = toolget::error::SUCCESS;
/// An unexpected failure (I/O on the local disk, a bug).
pub(super) const INTERNAL: u8 = ErrorKind::Internal.exit_code();
/// The tool, repository, tag or version does not exist.
pub(super) const NOT_FOUND: u8 = ErrorKind::NotFound.exit_code();
