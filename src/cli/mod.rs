//! Command-line interface: clap arguments, human and `--json` output, error rendering with
//! hints, exit codes. The environment is read here, once, into [`Settings`], and passed down.

// The command line is the one place that prints.
#![allow(clippy::print_stdout, clippy::print_stderr)]

/// `println!` that ends the process quietly when stdout is a closed pipe (`toolget … | head
/// -1`), like every filter, instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::write_stdout(format_args!($($arg)*))
    };
}
pub(crate) use outln;

mod env;
mod exit;
mod failure;
mod fetch;
mod install;
mod interrupt;
mod lock;
mod progress;
mod registry;
mod render;
mod resolve;
mod versions;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use failure::{CliError, Failure};
use toolget::github::{ClientOptions, GithubClient, GithubError};
use toolget::platform::{self, Platform};
use toolget::settings::Settings;

const AFTER_HELP: &str = "\
Specs look like `[backend:]<name | owner/repo>[[key=value,...]][@version]`:
  toolget resolve mozilla/sccache@0.14
  toolget resolve 'github:mozilla/sccache[exe=sccache]@v0.14.0' --explain
  toolget resolve BurntSushi/ripgrep[exe=rg] --platform linux-aarch64-musl --platform macos-aarch64 --json
  toolget resolve sccache        (a registry name; `toolget search <word>` finds them)

Environment (docs/cli.md):
  TOOLGET_HOME          the store (default $XDG_DATA_HOME/toolget, else $HOME/.local/share/toolget)
  TOOLGET_CACHE_DIR     download cache (default $XDG_CACHE_HOME/toolget, else $HOME/.cache/toolget)
  TOOLGET_PLATFORM      same as --platform
  TOOLGET_GITHUB_API_URL  GitHub API base (GitHub Enterprise: https://host/api/v3)
  GITHUB_TOKEN, GH_TOKEN  API token; raises the rate limit from 60 to 5000 requests an hour;
                        sent only to api.github.com and TOOLGET_GITHUB_API_URL
  TOOLGET_TOKEN_HOSTS   host,...: hosts a project's `api_url` may send the token to
  TOOLGET_TOKEN_<HOST>  a token for one host, e.g. TOOLGET_TOKEN_GHE_EXAMPLE_COM
  NETRC                 netrc file for a project's `api_url` host and HTTP mirrors
                        (default $HOME/.netrc)
  TOOLGET_HTTP_TIMEOUT  how long to wait for an answer (default 30s)
  TOOLGET_DOWNLOAD_DEADLINE  how long one download may take (default 30m)
  TOOLGET_REGISTRY_PATH extra registry directories, separated like PATH
  TOOLGET_REQUIRE_VERIFIED  1: refuse unverifiable installs (--require-verified)
  TOOLGET_MAX_UNPACKED  cap on what one archive may unpack to (default 4G)
  SOURCE_DATE_EPOCH     seconds: receipts and installed files take this time (reproducible)
  SSL_CERT_FILE         extra PEM root certificates to trust
  GITHUB_PATH           GitHub Actions' PATH file, appended to by `toolget env --github`
  PATH                  install warns when $TOOLGET_HOME/bin is not on it
  TOOLGET_MIRRORS       sources tried before the origin, in order: cas+https://host/prefix/,
                        https://host/prefix/, file:///dir/ (docs/mirrors.md)
  TOOLGET_UPSTREAM      after the mirrors: fallback (default) or never (air-gapped)
  TOOLGET_MIRROR_TOKEN_<HOST>  a mirror's bearer token (else ~/.netrc or $NETRC);
                        GITHUB_TOKEN never goes to a mirror
  TOOLGET_TEST_NO_RETRY_DELAY  test hook: 1 makes retries immediate
  TOOLGET_TEST_SWAP_PAUSE_MS   test hook: pause in the middle of swapping a version in
Exit codes: 0 ok, 1 local I/O or a bug, 2 usage/invalid spec, 3 not found, 4 no asset for the
platform, 5 ambiguous, 6 verification failed or checksum file unusable, 7 network, 8 rate
limited, 9 unusable archive, 10 toolget.lock missing, unreadable or not matching toolget.toml,
11 registry check findings (docs/cli.md).";

/// Install command-line tools from GitHub releases: exactly the right asset for each
/// OS/arch/libc, verified, installed atomically, one identity per tool.
#[derive(Debug, Parser)]
#[command(name = "toolget", version, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show which release asset a spec resolves to, and why.
    ///
    /// Every asset of the release is judged: with --explain each one is listed as ACCEPTED or
    /// REJECTED with its reason. Nothing is downloaded. An exact tag costs one API request.
    Resolve(resolve::ResolveArgs),

    /// Install tools: resolve, download (streamed, hashed as it arrives), verify against
    /// GitHub's digest or the release's checksum file, extract, and link into $`TOOLGET_HOME/bin`.
    ///
    /// Nothing becomes visible before it is verified; a failed or interrupted install leaves
    /// the previous one untouched. An installed exact version is a no-op with no network.
    Install(install::InstallArgs),

    /// Resolve every tool of toolget.toml for each platform and write toolget.lock: per tool
    /// the release, per platform the asset, its URL, size and sha256 (docs/lockfile.md).
    Lock(lock::LockArgs),

    /// Download every asset toolget.lock pins into DIR/sha256/<hex>: the content-addressed
    /// layout a `file://` or `cas+https://` mirror serves (docs/mirrors.md).
    ///
    /// Each file is checked against the lock's sha256 before it appears in DIR; mirrors
    /// (`TOOLGET_MIRRORS`) are asked first, then the origin unless `TOOLGET_UPSTREAM=never`.
    Fetch(fetch::FetchArgs),

    /// Print the absolute path of the executable that $`TOOLGET_HOME/bin`/<EXE> runs.
    Which(install::WhichArgs),

    /// List installed tools, their versions (* = active) and how each was verified.
    List(install::ListArgs),

    /// Remove one installed version (`owner/repo@1.2.3`) or every version (`owner/repo@all`),
    /// with its links.
    Uninstall(install::UninstallArgs),

    /// List released versions, oldest first, prereleases marked.
    Versions(versions::VersionsArgs),

    /// Print the shell line that puts $`TOOLGET_HOME/bin` on PATH: `eval "$(toolget env)"`.
    ///
    /// With --github, append the bin dir to $`GITHUB_PATH` instead (GitHub Actions). Stdout
    /// carries the shell line only; evaluating it twice leaves PATH unchanged (docs/ci.md).
    Env(env::EnvArgs),

    /// Search the curated registry by name, alias, executable, repository and description.
    Search(registry::SearchArgs),

    /// Show everything the registry knows about a tool (`--json` for the whole entry).
    Info(registry::InfoArgs),

    /// Maintain the curated registry: `check` entries against real releases, `list` them.
    Registry(registry::RegistryArgs),
}

/// Run the command line; the process exit code comes back. Errors no handler reported are
/// rendered here, once.
pub(crate) fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = Settings::from_env();
    if matches!(cli.command, Command::Install(_) | Command::Lock(_)) {
        interrupt::clean_up_on_signal();
    }
    let result = match cli.command {
        Command::Resolve(args) => resolve::run(&args, &settings),
        Command::Install(args) => install::install(&args, &settings),
        Command::Lock(args) => lock::run(&args, &settings),
        Command::Fetch(args) => fetch::run(&args, &settings),
        Command::Which(args) => install::which(&args, &settings),
        Command::List(args) => install::list(&args, &settings),
        Command::Uninstall(args) => install::uninstall(&args, &settings),
        Command::Versions(args) => versions::run(&args, &settings),
        Command::Env(args) => env::run(&args, &settings),
        Command::Search(args) => registry::search(&args, &settings),
        Command::Info(args) => registry::info(&args, &settings),
        Command::Registry(args) => registry::run(&args, &settings),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => ExitCode::from(failure.report()),
    }
}

/// Write one line to stdout; a closed pipe ends the process with exit 0 and no message (the
/// reader has what it wanted), any other failure with exit 1.
pub(crate) fn write_stdout(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    let written = out.write_fmt(args).and_then(|()| out.write_all(b"\n"));
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(i32::from(exit::SUCCESS));
        }
        let _ = writeln!(std::io::stderr(), "error: failed to write to stdout: {e}");
        std::process::exit(i32::from(exit::INTERNAL));
    }
}

/// Platforms to work for: `--platform` values, else `TOOLGET_PLATFORM`, else the host.
/// Values may also be comma-separated (`--platform linux-x86_64-gnu,macos-aarch64`). An empty
/// value is a usage error, not "no platform".
fn platforms(flags: &[String], settings: &Settings) -> Result<Vec<Platform>, Failure> {
    let sources: Vec<&str> = if !flags.is_empty() {
        flags.iter().map(String::as_str).collect()
    } else if let Some(env) = &settings.platform {
        vec![env.as_str()]
    } else {
        return Ok(vec![platform::detect_host()?]);
    };
    let mut out = Vec::new();
    for value in sources.iter().flat_map(|s| s.split(',')).map(str::trim) {
        if value.is_empty() {
            return Err(CliError::EmptyValue { flag: "platform" }.into());
        }
        let p = value.parse::<Platform>()?;
        if !out.contains(&p) {
            out.push(p);
        }
    }
    Ok(out)
}

/// Client options from the environment, with retries told on stderr.
fn client_options(settings: &Settings) -> ClientOptions {
    let mut options = ClientOptions::from_settings(settings);
    options.retry.notice = Some(std::sync::Arc::new(progress::RetryPrinter));
    for (var, value) in &settings.invalid {
        eprintln!(
            "warning: {var}=`{}` is not a duration such as 30s or 10m; using the default",
            toolget::text::untrusted(value)
        );
    }
    options
}

/// The GitHub client for a tool: the spec's `api_url` wins over `TOOLGET_GITHUB_API_URL`,
/// with a token only where the environment allows it (said on stderr when one is withheld).
fn github_client(settings: &Settings, api_url: Option<&str>) -> Result<GithubClient, GithubError> {
    let mut options = client_options(settings);
    if let Some(api_url) = api_url {
        let (for_url, withheld) = options.for_api_url(api_url);
        if let Some(withheld) = withheld {
            eprintln!("{withheld}");
        }
        options = for_url;
    }
    GithubClient::new(options)
}

/// The spec and the tool it names (registry consulted).
fn spec_and_tool(
    raw: &str,
    settings: &Settings,
) -> Result<(toolget::spec::ToolSpec, toolget::tool::Tool), Failure> {
    let spec = toolget::spec::ToolSpec::parse(raw)?;
    let registry = registry::load(settings)?;
    let tool = toolget::tool::Tool::from_spec(&spec, &registry)?;
    Ok((spec, tool))
}
