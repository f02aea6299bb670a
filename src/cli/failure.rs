//! How a command ends badly, and the errors only the command line can make.
//!
//! Command handlers return `Result<(), Failure>`: an error not yet shown travels up to
//! [`super::main`], which renders it once; an error already reported where it happened (one
//! of several specs, a JSON line) travels as its exit code.

use std::path::PathBuf;

use toolget::error::{Diagnostic, ErrorKind};

use super::render;

/// Why a command failed.
#[derive(Debug)]
pub(super) enum Failure {
    /// Not shown yet: `main` renders it.
    Error(Box<dyn Diagnostic>),
    /// Already reported; exit with this code.
    Reported(u8),
}

impl<E: Diagnostic + 'static> From<E> for Failure {
    fn from(err: E) -> Failure {
        Failure::Error(Box::new(err))
    }
}

impl Failure {
    /// With `--json`, an unreported error becomes one `{"error": {kind, message, hint}}` line
    /// on stdout, which scripts read instead of stderr.
    pub(super) fn json_if(self, json: bool) -> Failure {
        match self {
            Failure::Error(e) if json => {
                super::outln!("{}", serde_json::json!({ "error": render::json(&*e) }));
                Failure::Reported(e.kind().exit_code())
            }
            other => other,
        }
    }

    /// Show it now (if not yet shown) and keep only the exit code: for commands that go on
    /// with the next item.
    pub(super) fn report(self) -> u8 {
        match self {
            Failure::Error(e) => {
                render::error(&*e);
                e.kind().exit_code()
            }
            Failure::Reported(code) => code,
        }
    }
}

/// A command's result.
pub(super) type CmdResult = Result<(), Failure>;

/// Errors in how the command line was used, found by the command line itself.
#[derive(Debug, thiserror::Error)]
pub(super) enum CliError {
    #[error("cannot tell where to install: neither TOOLGET_HOME, XDG_DATA_HOME nor HOME is set")]
    NoHome,
    #[error("TOOLGET_MAX_UNPACKED=`{0}` is not a size")]
    BadMaxUnpacked(String),
    #[error("`--{flag}` needs a value; it was given an empty one")]
    EmptyValue { flag: &'static str },
    #[error("--insecure cannot be combined with --require-verified (or TOOLGET_REQUIRE_VERIFIED)")]
    InsecureVerified,
    #[error("install works for one platform at a time")]
    SeveralPlatforms,
    #[error("cannot write to the toolget home `{}`", path.display())]
    HomeNotWritable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{id} has several versions installed: {}", versions.join(", "))]
    SeveralVersions {
        id: String,
        repo: String,
        versions: Vec<String>,
    },
    #[error("{what} is not installed")]
    NotInstalled { what: String },
    #[error("no registry entry matches `{0}`")]
    NoEntry(String),
    #[error("`{key}` has no asset for any platform asked for ({})", platforms.join(", "))]
    NoAssetForAny { key: String, platforms: Vec<String> },
}

impl Diagnostic for CliError {
    fn kind(&self) -> ErrorKind {
        match self {
            CliError::NoHome
            | CliError::EmptyValue { .. }
            | CliError::SeveralPlatforms
            | CliError::InsecureVerified
            | CliError::SeveralVersions { .. } => ErrorKind::Usage,
            CliError::BadMaxUnpacked(_) => ErrorKind::InvalidConfig,
            CliError::HomeNotWritable { .. } => ErrorKind::Io,
            CliError::NoAssetForAny { .. } => ErrorKind::NoMatch,
            CliError::NotInstalled { .. } | CliError::NoEntry(_) => ErrorKind::NotFound,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            CliError::NoHome => "set TOOLGET_HOME to a directory toolget may write to".into(),
            CliError::BadMaxUnpacked(_) => "write it like 4G, 512M or 1073741824".into(),
            CliError::EmptyValue { flag } => {
                format!("leave `--{flag}` out for the default, or give it a value")
            }
            CliError::InsecureVerified => {
                "verification is required, so an unusable checksum file stays an error; drop \
                 one of the two"
                    .into()
            }
            CliError::SeveralPlatforms => {
                "pass a single --platform; `toolget lock` resolves several".into()
            }
            CliError::HomeNotWritable { path, .. } => format!(
                "make `{}` writable, or set TOOLGET_HOME to a directory you own \
                 (e.g. TOOLGET_HOME=$HOME/.local/share/toolget)",
                path.display()
            ),
            CliError::SeveralVersions { repo, versions, .. } => format!(
                "name one (`{repo}@{}`) or remove every version with `@all`",
                versions.first().map(String::as_str).unwrap_or_default()
            ),
            CliError::NotInstalled { .. } => "`toolget list` shows what is installed".into(),
            CliError::NoEntry(_) => "any GitHub repository works as `owner/repo`".into(),
            CliError::NoAssetForAny { .. } => "`toolget resolve <spec> --platform <P> --explain` \
                                                shows why each asset was rejected"
                .into(),
        })
    }
}
