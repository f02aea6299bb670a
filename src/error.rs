//! One vocabulary for failure: [`ErrorKind`] (a stable word for `--json` and exactly one
//! process exit code each) and the [`Diagnostic`] trait every module's error implements, so
//! the command line renders any error the same way: the message, the causes, a picture of the
//! input where one helps (a spec with carets), and a hint.
//!
//! This module sits below every other: it knows no module's errors, only the trait they
//! implement. It prints nothing; `cli` renders.

use std::fmt;

use serde::Serialize;

/// What kind of failure, as scripts see it: the `kind` field of JSON errors and the exit code.
///
/// Several kinds may share an exit code (every unusable archive exits 9), but each kind has
/// exactly one. docs/cli.md's exit-code table is tested against [`ErrorKind::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// A bug, or a local failure toolget cannot explain better.
    Internal,
    /// Reading or writing the local disk failed.
    Io,
    /// A bad command line: a flag value, a combination of flags.
    Usage,
    /// A spec that cannot be read.
    InvalidSpec,
    /// A command name in `bin/` belongs to another tool or to the user (`--force` takes it).
    BinConflict,
    /// A configuration that cannot be used: toolget.toml, a mise config, the registry path,
    /// an environment variable.
    InvalidConfig,
    /// The tool, repository, tag or version does not exist.
    NotFound,
    /// The release has no asset for the platform.
    NoMatch,
    /// Several assets fit equally well; an option would separate them.
    Ambiguous,
    /// A digest did not match, or verification was required and impossible.
    VerificationFailed,
    /// The release's checksum file cannot be used to verify the asset.
    ChecksumUnusable,
    /// The network failed after retries.
    Network,
    /// The API answered with an unexpected HTTP status.
    Http,
    /// A download was refused as it arrived: more bytes than announced, a `Content-Length`
    /// that disagrees with the release, a file over its cap.
    DownloadRefused,
    /// The API answered with something that is not what GitHub sends.
    InvalidResponse,
    /// GitHub's rate limit is exhausted.
    RateLimited,
    /// The archive is corrupt or not the format its name says.
    CorruptArchive,
    /// An archive entry would write outside its directory.
    UnsafeArchive,
    /// The archive unpacks to more than the cap allows.
    ArchiveTooLarge,
    /// The archive does not hold the executable.
    ExeNotFound,
    /// Several files in the archive could be the executable.
    ExeAmbiguous,
    /// A name from the release (the version in its tag) cannot become a directory name.
    UnsafeRelease,
    /// toolget.lock is missing or does not match toolget.toml.
    LockMismatch,
    /// toolget.lock exists but cannot be read as a lock.
    LockUnreadable,
    /// `toolget registry check` found entries that disagree with their releases.
    RegistryFindings,
}

/// The exit code of a run that worked.
pub const SUCCESS: u8 = 0;

impl ErrorKind {
    /// Every kind, in exit-code order (what docs/cli.md lists).
    pub const ALL: &[ErrorKind] = &[
        ErrorKind::Internal,
        ErrorKind::Io,
        ErrorKind::Usage,
        ErrorKind::InvalidSpec,
        ErrorKind::InvalidConfig,
        ErrorKind::BinConflict,
        ErrorKind::NotFound,
        ErrorKind::NoMatch,
        ErrorKind::Ambiguous,
        ErrorKind::VerificationFailed,
        ErrorKind::ChecksumUnusable,
        ErrorKind::Network,
        ErrorKind::Http,
        ErrorKind::DownloadRefused,
        ErrorKind::InvalidResponse,
        ErrorKind::RateLimited,
        ErrorKind::CorruptArchive,
        ErrorKind::UnsafeArchive,
        ErrorKind::ArchiveTooLarge,
        ErrorKind::ExeNotFound,
        ErrorKind::ExeAmbiguous,
        ErrorKind::UnsafeRelease,
        ErrorKind::LockMismatch,
        ErrorKind::LockUnreadable,
        ErrorKind::RegistryFindings,
    ];

    /// The word in JSON output, e.g. `no_match`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Internal => "internal",
            ErrorKind::Io => "io",
            ErrorKind::Usage => "usage",
            ErrorKind::InvalidSpec => "invalid_spec",
            ErrorKind::InvalidConfig => "invalid_config",
            ErrorKind::BinConflict => "bin_conflict",
            ErrorKind::NotFound => "not_found",
            ErrorKind::NoMatch => "no_match",
            ErrorKind::Ambiguous => "ambiguous",
            ErrorKind::VerificationFailed => "verification_failed",
            ErrorKind::ChecksumUnusable => "checksum_unusable",
            ErrorKind::Network => "network",
            ErrorKind::Http => "http",
            ErrorKind::DownloadRefused => "download_refused",
            ErrorKind::InvalidResponse => "invalid_response",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::CorruptArchive => "corrupt_archive",
            ErrorKind::UnsafeArchive => "unsafe_archive",
            ErrorKind::ArchiveTooLarge => "archive_too_large",
            ErrorKind::ExeNotFound => "exe_not_found",
            ErrorKind::ExeAmbiguous => "exe_ambiguous",
            ErrorKind::UnsafeRelease => "unsafe_release",
            ErrorKind::LockMismatch => "lock_mismatch",
            ErrorKind::LockUnreadable => "lock_unreadable",
            ErrorKind::RegistryFindings => "registry_findings",
        }
    }

    /// The process exit code (docs/cli.md, "Exit codes").
    pub const fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Internal | ErrorKind::Io => 1,
            ErrorKind::Usage
            | ErrorKind::InvalidSpec
            | ErrorKind::InvalidConfig
            | ErrorKind::BinConflict => 2,
            ErrorKind::NotFound => 3,
            ErrorKind::NoMatch => 4,
            ErrorKind::Ambiguous => 5,
            ErrorKind::VerificationFailed | ErrorKind::ChecksumUnusable => 6,
            ErrorKind::Network
            | ErrorKind::Http
            | ErrorKind::DownloadRefused
            | ErrorKind::InvalidResponse => 7,
            ErrorKind::RateLimited => 8,
            ErrorKind::CorruptArchive
            | ErrorKind::UnsafeArchive
            | ErrorKind::ArchiveTooLarge
            | ErrorKind::ExeNotFound
            | ErrorKind::ExeAmbiguous
            | ErrorKind::UnsafeRelease => 9,
            ErrorKind::LockMismatch | ErrorKind::LockUnreadable => 10,
            ErrorKind::RegistryFindings => 11,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error a user can act on: what kind it is, what to do about it, and (for errors in
/// something the user typed) a picture of where.
///
/// The message is the error's `Display`; causes are its `source()` chain. Wrappers delegate
/// to the error they wrap, so the kind and hint of the deepest error that knows better win.
pub trait Diagnostic: std::error::Error {
    /// The kind, which decides the exit code.
    fn kind(&self) -> ErrorKind;

    /// What the user should do next, when toolget knows.
    fn hint(&self) -> Option<String> {
        None
    }

    /// The input with a caret line under the bad part, already indented:
    ///
    /// ```text
    ///   github:mozilla/sccache[exee=sccache]
    ///                          ^^^^
    /// ```
    fn picture(&self) -> Option<String> {
        None
    }
}

impl<T: Diagnostic> Diagnostic for Box<T> {
    fn kind(&self) -> ErrorKind {
        (**self).kind()
    }
    fn hint(&self) -> Option<String> {
        (**self).hint()
    }
    fn picture(&self) -> Option<String> {
        (**self).picture()
    }
}

/// The error's message followed by each cause, joined with `: ` — one line, as JSON carries it.
pub fn message_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        // `#[error(transparent)]` wrappers repeat their inner message; say it once.
        if !message.ends_with(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of the exit-code table in docs/cli.md: `| code | meaning | kinds |`.
    fn documented() -> Vec<(u8, Vec<String>)> {
        let doc = include_str!("../docs/cli.md");
        let table = doc
            .split("## Exit codes")
            .nth(1)
            .expect("docs/cli.md has an `## Exit codes` section");
        table
            .lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .filter_map(|row| {
                let cells: Vec<&str> = row.split('|').map(str::trim).collect();
                let code = cells.get(1)?.parse::<u8>().ok()?;
                let kinds = cells
                    .get(3)
                    .map(|c| {
                        c.split('`')
                            .skip(1)
                            .step_by(2)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                Some((code, kinds))
            })
            .collect()
    }

    #[test]
    fn docs_exit_code_table_lists_every_kind_with_its_code() {
        let rows = documented();
        assert!(
            rows.len() >= 12,
            "the table has rows for codes 0 to 11: {rows:?}"
        );
        let mut seen = Vec::new();
        for (code, kinds) in &rows {
            for word in kinds {
                let kind = ErrorKind::ALL
                    .iter()
                    .find(|k| k.as_str() == word)
                    .unwrap_or_else(|| panic!("docs/cli.md lists `{word}`, which is no ErrorKind"));
                assert_eq!(
                    kind.exit_code(),
                    *code,
                    "docs/cli.md puts `{word}` under exit {code}"
                );
                seen.push(*kind);
            }
        }
        for kind in ErrorKind::ALL {
            assert!(
                seen.contains(kind),
                "docs/cli.md's exit-code table does not list `{kind}` (exit {})",
                kind.exit_code()
            );
        }
    }

    #[test]
    fn kinds_serialize_as_their_word() {
        for kind in ErrorKind::ALL {
            assert_eq!(
                serde_json::to_value(kind).expect("serializes"),
                serde_json::Value::String(kind.as_str().to_string())
            );
        }
    }

    #[test]
    fn message_chain_joins_causes_once() {
        #[derive(Debug, thiserror::Error)]
        #[error("cannot install `x`")]
        struct Outer(#[source] std::io::Error);
        let err = Outer(std::io::Error::other("disk full"));
        assert_eq!(message_chain(&err), "cannot install `x`: disk full");
    }
}
