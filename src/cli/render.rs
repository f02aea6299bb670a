//! The one renderer of errors: `error: <message>`, the picture of the input (a spec with
//! carets) when there is one, one `caused by: …` line per source, then `hint: …`. With
//! `--json` the same data becomes `{"kind", "message", "hint"}`.

use std::error::Error;
use std::io::Write;

use serde_json::{Value, json};
use toolget::error::{Diagnostic, message_chain};

/// Print an error with its picture, cause chain and hint to stderr.
pub(super) fn error(err: &dyn Diagnostic) {
    let _ = std::io::stderr()
        .lock()
        .write_all(error_text(err).as_bytes());
}

/// The text [`error`] prints.
pub(super) fn error_text(err: &dyn Diagnostic) -> String {
    let mut out = format!("error: {err}\n");
    if let Some(picture) = err.picture() {
        out.push_str(&picture);
        out.push('\n');
    }
    let mut source = err.source();
    let mut last = err.to_string();
    while let Some(cause) = source {
        let text = cause.to_string();
        // `#[error(transparent)]` wrappers show their inner message; say it once.
        if text != last {
            // A multi-line cause (a regex parse error draws its own caret) stays indented
            // under its `caused by:`.
            out.push_str(&format!("  caused by: {}\n", text.replace('\n', "\n    ")));
        }
        last = text;
        source = cause.source();
    }
    if let Some(hint) = err.hint() {
        out.push_str(&format!("hint: {hint}\n"));
    }
    out
}

/// `{"kind", "message", "hint"}`: the message with its causes on one line; `hint` is null
/// when toolget knows nothing to suggest.
pub(super) fn json(err: &dyn Diagnostic) -> Value {
    json!({
        "kind": err.kind().as_str(),
        "message": message_chain(err as &dyn Error),
        "hint": err.hint(),
    })
}

/// `warning: …` on stderr: something the user should know; printed even with `--quiet`.
pub(super) fn warning(text: &str) {
    eprintln!("warning: {text}");
}

/// `note: …` on stderr: context the user may want; callers skip it under `--quiet`.
pub(super) fn note(text: &str) {
    eprintln!("note: {text}");
}

/// Sizes as people read them: `229 B`, `4.0 kB`, `9.3 MB`, `1.2 GB` (decimal units, like
/// GitHub's release pages). Zero means GitHub did not say.
pub(super) fn size(bytes: u64) -> String {
    if bytes == 0 {
        return "unknown".into();
    }
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::size;

    #[test]
    fn sizes_read_like_release_pages() {
        assert_eq!(size(229), "229 B");
        assert_eq!(size(4_000), "4.0 kB");
        assert_eq!(size(4_049_152), "4.0 MB");
        assert_eq!(size(9_312_345), "9.3 MB");
        assert_eq!(size(999_999), "1.0 MB");
        assert_eq!(size(1_500_000_000), "1.5 GB");
        assert_eq!(size(0), "unknown");
    }
}
