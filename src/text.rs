//! Text that came from outside — a release's tag and asset names, archive member names, URLs
//! from project files — made safe to print: control characters escaped, length bounded, and
//! credentials in URLs redacted.
//!
//! A release is untrusted input: a tag such as `v1\x1b[2J` would clear the user's terminal and
//! a 100 MiB archive member name would become a 100 MiB error message. Every message that
//! shows such a name formats it through [`untrusted`]; every URL goes through [`redact_url`].
//! Pure: no I/O.

use std::fmt;

/// Most characters of an untrusted name shown in a message; longer ones end in `…`.
pub const MAX_SHOWN_CHARS: usize = 200;

/// `text` for a human message or a JSON string: control characters (ESC, newlines, tabs,
/// C1 controls, DEL) written as `\x1b`, `\n`, `\u{…}`; Unicode bidirectional overrides
/// escaped too; at most [`MAX_SHOWN_CHARS`] characters, then `…`. Printable text, `/`,
/// quotes and spaces are shown as they are.
pub fn untrusted(text: &str) -> Untrusted<'_> {
    Untrusted(text, MAX_SHOWN_CHARS)
}

/// [`untrusted`] with another bound: for a sentence that may hold several names (a
/// resolver verdict), which is escaped as a whole and cut at `max_chars`.
pub fn untrusted_within(text: &str, max_chars: usize) -> Untrusted<'_> {
    Untrusted(text, max_chars)
}

/// The [`fmt::Display`] of [`untrusted`].
#[derive(Debug, Clone, Copy)]
pub struct Untrusted<'a>(&'a str, usize);

impl fmt::Display for Untrusted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (shown, c) in self.0.chars().enumerate() {
            if shown == self.1 {
                let rest = self.0.chars().count() - shown;
                return write!(f, "…({rest} more characters)");
            }
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if (c as u32) < 0x20 || c == '\x7f' => write!(f, "\\x{:02x}", c as u32)?,
                c if c.is_control() || is_bidi_control(c) => write!(f, "\\u{{{:x}}}", c as u32)?,
                c => fmt::Write::write_char(f, c)?,
            }
        }
        Ok(())
    }
}

/// Characters that reorder how a terminal shows the text around them (Trojan Source).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// `text` escaped and bounded as [`untrusted`] does, as an owned `String` (for JSON fields
/// and error fields that hold the shown form).
pub fn shown(text: &str) -> String {
    untrusted(text).to_string()
}

/// A URL fit to print: `user:password@` (or `user@`) replaced by `***@`, then shown as
/// [`untrusted`]. Text that does not parse as a URL has everything up to the last `@` of its
/// authority replaced the same way, so a credential never reaches a message.
pub fn redact_url(url: &str) -> String {
    if let Ok(mut parsed) = reqwest::Url::parse(url)
        && parsed.has_host()
    {
        if !parsed.username().is_empty() || parsed.password().is_some() {
            // Cannot fail for a URL that has an authority with credentials.
            let _ = parsed.set_password(None);
            let _ = parsed.set_username("***");
        }
        return shown(parsed.as_str());
    }
    // Not a URL: cut a `scheme://user:pass@` authority by hand.
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let redacted = match rest[..authority_end].rfind('@') {
        Some(at) => format!("***{}", &rest[at..]),
        None => rest.to_owned(),
    };
    if scheme.is_empty() && !url.contains("://") {
        shown(&redacted)
    } else {
        shown(&format!("{scheme}://{redacted}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_characters() {
        assert_eq!(
            shown("v1\x1b[31m\nred\t\r\x7f"),
            "v1\\x1b[31m\\nred\\t\\r\\x7f"
        );
        assert_eq!(shown("tool\u{202e}gpj.exe"), "tool\\u{202e}gpj.exe");
        assert_eq!(shown("\u{85}"), "\\u{85}");
        assert_eq!(
            shown("plain name-1.0_x86 64.tar.gz"),
            "plain name-1.0_x86 64.tar.gz"
        );
        assert_eq!(shown("ünïcödé/ok"), "ünïcödé/ok");
    }

    #[test]
    fn bounds_long_names() {
        let long = "a".repeat(100 * 1024);
        let out = shown(&long);
        assert!(out.starts_with(&"a".repeat(MAX_SHOWN_CHARS)));
        assert!(out.ends_with(&format!(
            "…({} more characters)",
            100 * 1024 - MAX_SHOWN_CHARS
        )));
        assert!(out.len() < MAX_SHOWN_CHARS + 40);
        let exact = "b".repeat(MAX_SHOWN_CHARS);
        assert_eq!(shown(&exact), exact);
    }

    #[test]
    fn redacts_credentials_in_urls() {
        assert_eq!(
            redact_url("https://user:s3cret@ghe.example.com/api/v3"),
            "https://***@ghe.example.com/api/v3"
        );
        assert_eq!(
            redact_url("https://tok@ghe.example.com/x"),
            "https://***@ghe.example.com/x"
        );
        assert_eq!(
            redact_url("https://ghe.example.com/api/v3"),
            "https://ghe.example.com/api/v3"
        );
        // Not parseable as a URL, credentials still cut.
        let odd = redact_url("http://us er:p@ss@[bad/x");
        assert!(!odd.contains("p@ss") && !odd.contains("us er"), "{odd}");
        assert!(!redact_url("user:pw@host:notaport/x").contains("pw"));
    }
}
