//! Host detection at run time (placeholder: filled in by the platform-detection work).

use super::Platform;

/// Why the host platform could not be determined.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    #[error("cannot tell which platform this machine is ({0})")]
    Unsupported(String),
}

/// Detect the platform toolget is running on.
pub fn detect_host() -> Result<Platform, DetectError> {
    Err(DetectError::Unsupported("not implemented yet".into()))
}
