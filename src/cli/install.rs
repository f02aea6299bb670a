//! `toolget install`, `which`, `list`, `uninstall`: the commands that work on the store.

use serde_json::json;
use toolget::github::ClientOptions;
use toolget::installer::{Installer, InstallerConfig, Outcome};
use toolget::platform::Platform;
use toolget::settings::{self, Settings};
use toolget::spec::ToolSpec;
use toolget::store::{Store, StoreError};
use toolget::version::{self, VersionSpec};

use super::progress::CliReporter;
use super::{exit, render};

/// Default cap on what one archive may unpack to.
const DEFAULT_MAX_UNPACKED: u64 = 4 << 30;

#[derive(Debug, clap::Args)]
pub struct InstallArgs {
    /// Tools to install: `sccache`, `mozilla/sccache@0.14`, `github:BurntSushi/ripgrep[exe=rg]@14.1.1`.
    #[arg(required = true)]
    specs: Vec<String>,

    /// Platform to install for (default: TOOLGET_PLATFORM, else this machine).
    #[arg(long, short = 'p', value_name = "PLATFORM")]
    platform: Option<String>,

    /// Reinstall even when the version is already installed.
    #[arg(long)]
    force: bool,

    /// Refuse to install anything that cannot be verified against a digest or checksum
    /// (also TOOLGET_REQUIRE_VERIFIED=1).
    #[arg(long)]
    require_verified: bool,

    /// One JSON object per installed tool, one per line (contract in docs/cli.md).
    #[arg(long)]
    json: bool,

    /// No progress output (warnings still print).
    #[arg(long, short = 'q')]
    quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct WhichArgs {
    /// An executable name, e.g. `sccache`.
    exe: String,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// One JSON object per tool, one per line.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct UninstallArgs {
    /// The tool and version: `mozilla/sccache@0.14.0`, or `@all` for every version. Without a
    /// version, the only installed version is removed.
    spec: String,
}

/// Open the store at TOOLGET_HOME (or its XDG default).
pub fn open_store(settings: &Settings) -> Result<Store, u8> {
    let Some(home) = &settings.home else {
        render::error_text(
            "cannot tell where to install: neither TOOLGET_HOME, XDG_DATA_HOME nor HOME is set",
            Some("set TOOLGET_HOME to a directory toolget may write to"),
        );
        return Err(exit::USAGE);
    };
    Store::open(home.clone()).map_err(|e| {
        render::error(&e, e.hint().as_deref());
        exit::INTERNAL
    })
}

fn installer_config(
    settings: &Settings,
    force: bool,
    require_verified: bool,
) -> Result<InstallerConfig, u8> {
    let max_unpacked_bytes = match &settings.max_unpacked {
        None => DEFAULT_MAX_UNPACKED,
        Some(text) => match settings::parse_size(text) {
            Some(n) => n,
            None => {
                render::error_text(
                    &format!("TOOLGET_MAX_UNPACKED=`{text}` is not a size"),
                    Some("write it like 4G, 512M or 1073741824"),
                );
                return Err(exit::USAGE);
            }
        },
    };
    let registry = super::registry::load(settings)?;
    Ok(InstallerConfig {
        github: ClientOptions::from_settings(settings),
        require_verified: require_verified || settings.require_verified,
        force,
        max_unpacked_bytes,
        registry: std::sync::Arc::new(registry),
    })
}

pub fn install(args: &InstallArgs, settings: &Settings) -> u8 {
    let platform = match single_platform(args.platform.as_deref(), settings) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let store = match open_store(settings) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let config = match installer_config(settings, args.force, args.require_verified) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let reporter = CliReporter::new(args.quiet || args.json);
    let installer = Installer::new(&store, settings.cache_dir.clone(), config, &reporter);
    let mut code = exit::SUCCESS;
    for raw in &args.specs {
        let spec = match ToolSpec::parse(raw) {
            Ok(spec) => spec,
            Err(e) => {
                render::error_text(&e.report(raw), None);
                code = first_failure(code, exit::USAGE);
                continue;
            }
        };
        match installer.install(&spec, &platform) {
            Ok(outcome) => print_outcome(&outcome, args.json),
            Err(e) => {
                render::error(&e, e.hint().as_deref());
                code = first_failure(code, exit::for_kind(e.kind()));
            }
        }
    }
    code
}

fn first_failure(current: u8, new: u8) -> u8 {
    if current == exit::SUCCESS {
        new
    } else {
        current
    }
}

/// `--platform`, else TOOLGET_PLATFORM, else the host: exactly one platform.
fn single_platform(flag: Option<&str>, settings: &Settings) -> Result<Platform, u8> {
    let flags: Vec<String> = flag.map(|f| vec![f.to_string()]).unwrap_or_default();
    let platforms = super::platforms(&flags, settings)?;
    match platforms.as_slice() {
        [one] => Ok(*one),
        _ => {
            render::error_text(
                "install works for one platform at a time",
                Some("pass a single --platform; `toolget lock` resolves several"),
            );
            Err(exit::USAGE)
        }
    }
}

fn print_outcome(outcome: &Outcome, json: bool) {
    if json {
        let executables: Vec<_> = outcome
            .executables
            .iter()
            .map(|e| json!({"name": e.name, "path": e.path, "link": e.link}))
            .collect();
        let line = json!({
            "spec": outcome.spec,
            "repo": outcome.repo,
            "tag": outcome.tag,
            "version": outcome.version,
            "platform": outcome.platform,
            "status": outcome.status.as_str(),
            "install_dir": outcome.install_dir,
            "bin_dir": outcome.bin_dir,
            "executables": executables,
            "verified": outcome.verified.to_string(),
            "verified_with": outcome.verified_with,
            "asset": outcome.asset,
            "emulation": outcome.emulation,
        });
        println!("{line}");
        return;
    }
    let how = match (
        outcome.verified.to_string().as_str(),
        &outcome.verified_with,
    ) {
        ("github_digest", _) => "verified by GitHub's digest".to_string(),
        ("checksum_file", Some(file)) => format!("verified by {file}"),
        ("lockfile", _) => "verified by toolget.lock".to_string(),
        ("unverified", _) => "UNVERIFIED".to_string(),
        (other, _) => other.to_string(),
    };
    let verb = match outcome.status {
        toolget::installer::Status::Installed => "installed",
        toolget::installer::Status::AlreadyInstalled => "already installed:",
    };
    println!(
        "{verb} {} {} ({}, {how})",
        outcome.repo, outcome.version, outcome.asset
    );
    for exe in &outcome.executables {
        println!("  {} -> {}", exe.link.display(), exe.path.display());
    }
    if let Some(emulation) = outcome.emulation {
        println!(
            "  note: no native build for {}; runs under {emulation}",
            outcome.platform
        );
    }
}

pub fn which(args: &WhichArgs, settings: &Settings) -> u8 {
    let store = match open_store(settings) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match store.which(&args.exe) {
        Ok(path) => {
            println!("{}", path.display());
            exit::SUCCESS
        }
        Err(e) => {
            // One line: scripts read it.
            eprintln!("toolget: {e}");
            exit::NOT_FOUND
        }
    }
}

pub fn list(args: &ListArgs, settings: &Settings) -> u8 {
    let store = match open_store(settings) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let tools = match store.installed() {
        Ok(t) => t,
        Err(e) => {
            render::error(&e, e.hint().as_deref());
            return exit::INTERNAL;
        }
    };
    if args.json {
        for tool in &tools {
            let versions: Vec<_> = tool
                .versions
                .iter()
                .map(|v| {
                    json!({
                        "version": v.version,
                        "tag": v.receipt.tag,
                        "active": tool.active.as_deref() == Some(v.version.as_str()),
                        "verified": v.receipt.verified.to_string(),
                        "verified_with": v.receipt.verified_with,
                        "platform": v.receipt.platform,
                        "asset": v.receipt.asset,
                        "sha256": v.receipt.sha256,
                        "exe": v.receipt.exe,
                        "path": v.path,
                        "installed_at": v.receipt.installed_at,
                    })
                })
                .collect();
            let repo = tool
                .versions
                .last()
                .map(|v| v.receipt.repo.clone())
                .unwrap_or_else(|| tool.id.to_string());
            println!(
                "{}",
                json!({"tool": tool.id.to_string(), "repo": repo, "active": tool.active, "versions": versions})
            );
        }
        return exit::SUCCESS;
    }
    if tools.is_empty() {
        println!("nothing installed in {}", store.root().display());
        return exit::SUCCESS;
    }
    for tool in &tools {
        println!("{}", tool.id);
        for v in &tool.versions {
            let marker = if tool.active.as_deref() == Some(v.version.as_str()) {
                "*"
            } else {
                " "
            };
            let verified = match v.receipt.verified.to_string().as_str() {
                "unverified" => "UNVERIFIED".to_string(),
                other => other.to_string(),
            };
            println!(
                "  {marker} {:<12} {:<14} {}  [{}]",
                v.version,
                verified,
                v.receipt.asset,
                v.receipt.exe.join(", ")
            );
        }
    }
    exit::SUCCESS
}

pub fn uninstall(args: &UninstallArgs, settings: &Settings) -> u8 {
    let spec = match ToolSpec::parse(&args.spec) {
        Ok(s) => s,
        Err(e) => {
            render::error_text(&e.report(&args.spec), None);
            return exit::USAGE;
        }
    };
    let tool = match super::registry::load(settings)
        .and_then(|registry| super::registry::tool(&spec, &registry))
    {
        Ok(t) => t,
        Err(code) => return code,
    };
    let store = match open_store(settings) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let id = tool.id();
    let installed = match store.installed_versions(&id) {
        Ok(v) => v,
        Err(e) => {
            render::error(&e, e.hint().as_deref());
            return exit::INTERNAL;
        }
    };
    if installed.is_empty() {
        eprintln!("toolget: {id} is not installed");
        return exit::NOT_FOUND;
    }
    let version: Option<String> = match &spec.version {
        VersionSpec::Exact(v) if v == "all" => None,
        VersionSpec::Exact(v) => Some(version::version_from_tag(v, &tool.tag_names())),
        VersionSpec::Latest if installed.len() == 1 => Some(installed[0].version.clone()),
        _ => {
            let list: Vec<&str> = installed.iter().map(|v| v.version.as_str()).collect();
            render::error_text(
                &format!("{id} has several versions installed: {}", list.join(", ")),
                Some(&format!(
                    "name one (`{}@{}`) or remove every version with `@all`",
                    tool.repo, list[0]
                )),
            );
            return exit::USAGE;
        }
    };
    let lock = match store.lock(&id) {
        Ok(l) => l,
        Err(e) => {
            render::error(&e, e.hint().as_deref());
            return exit::INTERNAL;
        }
    };
    match store.uninstall(&lock, &id, version.as_deref()) {
        Ok(removed) => {
            println!("removed {id} {}", removed.join(", "));
            exit::SUCCESS
        }
        Err(StoreError::NotInstalled { .. }) => {
            eprintln!(
                "toolget: {id} {} is not installed",
                version.as_deref().unwrap_or_default()
            );
            exit::NOT_FOUND
        }
        Err(e) => {
            render::error(&e, e.hint().as_deref());
            exit::INTERNAL
        }
    }
}
