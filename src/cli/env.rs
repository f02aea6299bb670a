//! `toolget env`: print the shell line that puts `$TOOLGET_HOME/bin` on `PATH`, or, with
//! `--github`, append that directory as one plain line to GitHub Actions' `$GITHUB_PATH` file.
//!
//! Stdout carries the shell line and nothing else, so `eval "$(toolget env)"` is safe; notes go
//! to stderr. The only things this command may write are the bin dir (created for `--github`,
//! so the PATH entry is valid) and the `$GITHUB_PATH` file (appended to, never truncated). It
//! never writes `$GITHUB_ENV`: `export KEY=value` lines there would set variables, not PATH,
//! and could clobber the job's own. It never prompts and never touches the network.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use toolget::error::{Diagnostic, ErrorKind};
use toolget::settings::{GITHUB_PATH, Settings};
use toolget::store::{Store, StoreError};

use super::failure::CmdResult;

/// The shell syntax to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(super) enum Shell {
    /// sh, bash, zsh, dash, ksh: `eval "$(toolget env)"`.
    #[default]
    #[value(alias = "sh", alias = "bash", alias = "zsh")]
    Posix,
    /// fish: `toolget env --shell fish | source`.
    Fish,
    /// Nushell: save the output to a file and `source` it.
    #[value(alias = "nushell")]
    Nu,
    /// PowerShell: `toolget env --shell powershell | Out-String | Invoke-Expression`.
    #[value(alias = "pwsh")]
    Powershell,
}

#[derive(Debug, clap::Args)]
pub(super) struct EnvArgs {
    /// Shell syntax of the printed line.
    #[arg(long, value_enum, default_value_t = Shell::Posix, conflicts_with = "github")]
    shell: Shell,

    /// Append the bin dir to the file named by $`GITHUB_PATH` (GitHub Actions) instead of
    /// printing a shell line; later steps of the job then find installed tools on PATH.
    #[arg(long)]
    github: bool,

    /// Print nothing on stderr except errors.
    #[arg(long, short = 'q')]
    quiet: bool,
}

/// Why `toolget env` failed.
#[derive(Debug, thiserror::Error)]
pub(super) enum EnvError {
    #[error(
        "cannot tell where toolget installs: neither TOOLGET_HOME, XDG_DATA_HOME nor HOME is set"
    )]
    NoHome,
    #[error("cannot use the toolget home")]
    Store(#[source] StoreError),
    #[error("the bin dir `{}` is not valid UTF-8, so no shell line can name it", path.display())]
    NotUtf8 { path: PathBuf },
    #[error("the bin dir `{}` contains the PATH separator, so it cannot be a PATH entry", path.display())]
    HasPathSeparator { path: PathBuf },
    #[error("the bin dir `{}` contains a line break, which a line of $GITHUB_PATH cannot hold", path.display())]
    HasLineBreak { path: PathBuf },
    #[error("GITHUB_PATH is not set, so there is no file to add the bin dir to")]
    NoGithubPath,
    #[error("failed to create the bin dir `{}`", path.display())]
    CreateBinDir {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("failed to read `{}` (GITHUB_PATH)", path.display())]
    ReadGithubPath {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("failed to append to `{}` (GITHUB_PATH)", path.display())]
    AppendGithubPath {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("failed to write to stdout")]
    Stdout(#[source] io::Error),
}

impl Diagnostic for EnvError {
    /// A missing or unusable setting is a usage error, a failing disk an unexpected one.
    fn kind(&self) -> ErrorKind {
        match self {
            EnvError::NoHome
            | EnvError::NotUtf8 { .. }
            | EnvError::HasPathSeparator { .. }
            | EnvError::HasLineBreak { .. }
            | EnvError::NoGithubPath => ErrorKind::Usage,
            EnvError::Store(_)
            | EnvError::CreateBinDir { .. }
            | EnvError::ReadGithubPath { .. }
            | EnvError::AppendGithubPath { .. }
            | EnvError::Stdout(_) => ErrorKind::Io,
        }
    }

    /// What the user should do next, when toolget knows.
    fn hint(&self) -> Option<String> {
        match self {
            EnvError::NoHome => Some("set TOOLGET_HOME to a directory toolget may write to".into()),
            EnvError::Store(e) => e.hint(),
            EnvError::NotUtf8 { .. }
            | EnvError::HasPathSeparator { .. }
            | EnvError::HasLineBreak { .. } => {
                Some("set TOOLGET_HOME to a plain path, e.g. /opt/toolget".into())
            }
            EnvError::NoGithubPath => Some(format!(
                "--github only works inside a GitHub Actions step, which sets {GITHUB_PATH}; \
                 elsewhere run `eval \"$(toolget env)\"`"
            )),
            EnvError::CreateBinDir { .. } | EnvError::AppendGithubPath { .. } => {
                Some("check that the directory exists and is writable".into())
            }
            EnvError::ReadGithubPath { .. } | EnvError::Stdout(_) => None,
        }
    }
}

/// What `--github` did to the `$GITHUB_PATH` file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Appended {
    Added,
    AlreadyThere,
}

pub(super) fn run(args: &EnvArgs, settings: &Settings) -> CmdResult {
    Ok(try_run(args, settings)?)
}

fn try_run(args: &EnvArgs, settings: &Settings) -> Result<(), EnvError> {
    let home = settings.home.as_ref().ok_or(EnvError::NoHome)?;
    let bin_dir = Store::open(home.clone())
        .map_err(EnvError::Store)?
        .bin_dir();
    let dir = checked_dir(&bin_dir)?;
    if !args.github {
        let line = shell_line(args.shell, dir);
        let mut out = io::stdout().lock();
        return writeln!(out, "{line}")
            .and_then(|()| out.flush())
            .map_err(EnvError::Stdout);
    }
    let file = settings
        .github_path
        .as_ref()
        .ok_or(EnvError::NoGithubPath)?;
    if dir.contains(['\n', '\r']) {
        return Err(EnvError::HasLineBreak { path: bin_dir });
    }
    // A PATH entry for a directory that does not exist yet would be valid but useless until
    // the first install; creating it now lets `--github` run before `toolget install`.
    fs::create_dir_all(&bin_dir).map_err(|source| EnvError::CreateBinDir {
        path: bin_dir.clone(),
        source,
    })?;
    let outcome = append_line(file, dir)?;
    if !args.quiet {
        match outcome {
            Appended::Added => eprintln!(
                "note: added `{dir}` to {GITHUB_PATH}; the job's later steps have it on PATH"
            ),
            Appended::AlreadyThere => eprintln!("note: `{dir}` is already in {GITHUB_PATH}"),
        }
    }
    Ok(())
}

/// The bin dir as text that can become a PATH entry.
fn checked_dir(bin_dir: &Path) -> Result<&str, EnvError> {
    let dir = bin_dir.to_str().ok_or_else(|| EnvError::NotUtf8 {
        path: bin_dir.to_path_buf(),
    })?;
    // `join_paths` refuses exactly the entries the platform's PATH cannot hold (`:` on Unix,
    // `"` and `;` on Windows).
    if std::env::join_paths([bin_dir]).is_err() {
        return Err(EnvError::HasPathSeparator {
            path: bin_dir.to_path_buf(),
        });
    }
    Ok(dir)
}

/// Append `dir` as one line to `file`, creating the file when missing, unless a line equal to
/// `dir` is already there. The runner reads the file line by line once the step ends, so a
/// duplicate would only put the same entry on PATH twice.
fn append_line(file: &Path, dir: &str) -> Result<Appended, EnvError> {
    let existing = match fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(source) => {
            return Err(EnvError::ReadGithubPath {
                path: file.to_path_buf(),
                source,
            });
        }
    };
    let present = existing
        .split(|&b| b == b'\n')
        .any(|line| line.strip_suffix(b"\r").unwrap_or(line) == dir.as_bytes());
    if present {
        return Ok(Appended::AlreadyThere);
    }
    // A last line without its newline belongs to someone else; end it rather than glue our
    // entry onto it.
    let mut text = String::with_capacity(dir.len() + 2);
    if !existing.is_empty() && !existing.ends_with(b"\n") {
        text.push('\n');
    }
    text.push_str(dir);
    text.push('\n');
    let append_err = |source| EnvError::AppendGithubPath {
        path: file.to_path_buf(),
        source,
    };
    // One write of the whole line to an O_APPEND file: another writer appending at the same
    // time cannot interleave inside it.
    let mut handle = OpenOptions::new()
        .append(true)
        .create(true)
        .open(file)
        .map_err(append_err)?;
    handle.write_all(text.as_bytes()).map_err(append_err)?;
    Ok(Appended::Added)
}

/// One line of `shell` syntax that puts `dir` first on PATH unless PATH already holds it, so
/// evaluating it twice changes nothing.
fn shell_line(shell: Shell, dir: &str) -> String {
    match shell {
        Shell::Posix => {
            let q = posix_quote(dir);
            // `${PATH:+:…}`: an empty PATH must not become `dir:`, whose empty entry means `.`.
            let rest = "${PATH:+:${PATH}}";
            let value = match q.strip_suffix('"') {
                Some(open) => format!("{open}{rest}\""),
                None => format!("{q}\"{rest}\""),
            };
            format!("case \":${{PATH}}:\" in *:{q}:*) ;; *) export PATH={value} ;; esac")
        }
        Shell::Fish => {
            let q = fish_quote(dir);
            // Not `fish_add_path`: it silently skips directories that do not exist yet, and
            // the bin dir appears only with the first install.
            format!("contains -- {q} $PATH; or set -gx PATH {q} $PATH")
        }
        Shell::Nu => {
            let q = nu_quote(dir);
            format!(
                "$env.PATH = ($env.PATH | split row (char esep) | where {{|p| $p != {q} }} | prepend {q})"
            )
        }
        Shell::Powershell => {
            let q = powershell_quote(dir);
            format!(
                "if (-not (($env:PATH -split [IO.Path]::PathSeparator) -contains {q})) \
                 {{ $env:PATH = {q} + [IO.Path]::PathSeparator + $env:PATH }}"
            )
        }
    }
}

/// POSIX shell word for `s`: double quotes when nothing inside would expand (the readable
/// common case), else single quotes with each `'` written as `'\''`.
fn posix_quote(s: &str) -> String {
    // `!` is history expansion in an interactive bash, even inside double quotes.
    if !s.contains(['$', '`', '"', '\\', '!']) {
        return format!("\"{s}\"");
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// fish single quotes: only `\` and `'` are special inside.
fn fish_quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', r"\\").replace('\'', r"\'"))
}

/// Nushell double quotes: `\` starts an escape, `"` ends the string; nothing interpolates.
fn nu_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', r"\\").replace('"', "\\\""))
}

/// PowerShell single quotes: nothing expands; `'` is written twice.
fn powershell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posix_quotes_only_when_needed() {
        assert_eq!(posix_quote("/a b/bin"), "\"/a b/bin\"");
        assert_eq!(posix_quote("/it's/bin"), "\"/it's/bin\"");
        assert_eq!(posix_quote("/$x/it's"), r"'/$x/it'\''s'");
        assert_eq!(posix_quote("/a!b"), "'/a!b'");
    }

    #[test]
    fn other_shells_escape_their_own_specials() {
        assert_eq!(fish_quote(r"/a'b\c"), r"'/a\'b\\c'");
        assert_eq!(nu_quote(r#"/a"b\c"#), r#""/a\"b\\c""#);
        assert_eq!(powershell_quote("/a'b"), "'/a''b'");
    }

    #[test]
    fn posix_line_guards_against_duplicates_and_empty_path() {
        let line = shell_line(Shell::Posix, "/h/bin");
        assert_eq!(
            line,
            r#"case ":${PATH}:" in *:"/h/bin":*) ;; *) export PATH="/h/bin${PATH:+:${PATH}}" ;; esac"#
        );
        let line = shell_line(Shell::Posix, "/$h/bin");
        assert!(
            line.ends_with(r#"export PATH='/$h/bin'"${PATH:+:${PATH}}" ;; esac"#),
            "{line}"
        );
    }

    #[test]
    fn append_line_ends_a_foreign_last_line_and_skips_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("github_path");
        fs::write(&file, "/other").unwrap();
        assert_eq!(append_line(&file, "/h/bin").unwrap(), Appended::Added);
        assert_eq!(fs::read_to_string(&file).unwrap(), "/other\n/h/bin\n");
        assert_eq!(
            append_line(&file, "/h/bin").unwrap(),
            Appended::AlreadyThere
        );
        assert_eq!(fs::read_to_string(&file).unwrap(), "/other\n/h/bin\n");
    }
}
