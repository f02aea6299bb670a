//! Human error output: `error: …`, one `caused by: …` line per source, then `hint: …`.

use std::error::Error;
use std::io::Write;

/// Print an error with its cause chain and an optional hint to stderr.
pub fn error(err: &dyn Error, hint: Option<&str>) {
    let mut out = std::io::stderr().lock();
    let _ = writeln!(out, "error: {err}");
    let mut source = err.source();
    while let Some(cause) = source {
        let _ = writeln!(out, "  caused by: {cause}");
        source = cause.source();
    }
    if let Some(hint) = hint {
        let _ = writeln!(out, "hint: {hint}");
    }
}

/// Print a message that is already fully formatted (e.g. a spec with a caret line).
pub fn error_text(text: &str, hint: Option<&str>) {
    let mut out = std::io::stderr().lock();
    let _ = writeln!(out, "error: {text}");
    if let Some(hint) = hint {
        let _ = writeln!(out, "hint: {hint}");
    }
}

/// `9.3 MB (9312345 bytes)`.
pub fn size(bytes: u64) -> String {
    if bytes == 0 {
        return "unknown".into();
    }
    let mb = bytes as f64 / 1_000_000.0;
    if mb >= 1.0 {
        format!("{mb:.1} MB ({bytes} bytes)")
    } else {
        format!("{:.1} kB ({bytes} bytes)", bytes as f64 / 1000.0)
    }
}
