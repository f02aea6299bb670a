//! `toolget lock`: resolve every tool of toolget.toml for each platform and write
//! toolget.lock next to it. The lock is written only when every tool resolved; a platform a
//! release does not serve is recorded as unavailable and reported, never skipped silently.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use toolget::config::{Config, ConfigTool};
use toolget::installer::{InstallError, Installer};
use toolget::lockfile::{self, LockedAsset, LockedTool, Lockfile, Sha256From};
use toolget::platform::{NINE, Platform};
use toolget::settings::Settings;

use super::install::{apply_provenance_flag, installer_config, open_store};
use super::progress::CliReporter;
use super::{exit, render};

#[derive(Debug, clap::Args)]
pub struct LockArgs {
    /// Platforms to lock (repeat it, or separate with commas). Default: the nine usual ones —
    /// linux-{x86_64,aarch64}-{gnu,musl}, linux-armv7-gnu, macos-{x86_64,aarch64},
    /// windows-{x86_64,aarch64}.
    #[arg(long, short = 'p', value_name = "PLATFORM")]
    platform: Vec<String>,

    /// The toolget.toml to lock (default: the nearest one in the current directory or its
    /// parents). toolget.lock is written next to it.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,

    /// Provenance policy for tools without their own `provenance`: required, if-present
    /// (default) or off. Also TOOLGET_PROVENANCE. What verifies is recorded in the lock, and
    /// its bundle written to toolget.lock.d/.
    #[arg(long, value_name = "POLICY", value_parser = ["required", "if-present", "off"])]
    provenance: Option<String>,

    /// No progress output (warnings still print).
    #[arg(long, short = 'q')]
    quiet: bool,
}

/// Load `--config PATH`, else the nearest toolget.toml; a missing one is a usage error.
pub fn load_config(explicit: Option<&Path>) -> Result<Config, u8> {
    let loaded = match explicit {
        Some(path) => Config::load(path).map(Some),
        None => {
            let cwd = current_dir()?;
            match Config::discover(&cwd) {
                Ok(None) => {
                    render::error_text(
                        &format!(
                            "no toolget.toml in `{}` or any parent directory",
                            cwd.display()
                        ),
                        Some(
                            "create one with a [tools] table (`\"mozilla/sccache\" = \"0.14\"`), \
                             point at one with --config, or name the tools to install",
                        ),
                    );
                    return Err(exit::USAGE);
                }
                other => other,
            }
        }
    };
    match loaded {
        Ok(Some(config)) => Ok(config),
        Ok(None) => Err(exit::USAGE),
        Err(e) => {
            render::error(&e, e.hint().as_deref());
            Err(exit::for_kind(e.kind()))
        }
    }
}

pub fn current_dir() -> Result<PathBuf, u8> {
    std::env::current_dir().map_err(|e| {
        render::error(&e, None);
        exit::INTERNAL
    })
}

pub fn run(args: &LockArgs, settings: &Settings) -> u8 {
    let config = match load_config(args.config.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let platforms = if args.platform.is_empty() {
        NINE.to_vec()
    } else {
        match super::platforms(&args.platform, settings) {
            Ok(p) => p,
            Err(code) => return code,
        }
    };
    // The store is only the installer's home here: planning and hashing write nothing to it.
    let store = match open_store(settings) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut installer_config = match installer_config(settings, false, false) {
        Ok(c) => c,
        Err(code) => return code,
    };
    apply_provenance_flag(&mut installer_config, args.provenance.as_deref());
    // Locking is when the attestations endpoint is asked for every tool: once, here, so
    // that installs from the lock never ask.
    installer_config.ask_attestations = true;
    let reporter = CliReporter::new(args.quiet);
    let installer = Installer::new(
        &store,
        settings.cache_dir.clone(),
        installer_config,
        &reporter,
    );
    let mut lock = Lockfile::default();
    let mut code = exit::SUCCESS;
    for tool in &config.tools {
        match lock_tool(&installer, tool, &platforms, config.dir()) {
            Ok(entry) => lock.tools.push(entry),
            Err(failed) if code == exit::SUCCESS => code = failed,
            Err(_) => {}
        }
    }
    let path = config.lock_path();
    if code != exit::SUCCESS {
        eprintln!("toolget: {} was not written", path.display());
        return code;
    }
    match lock.write(&path) {
        Ok(true) => println!("wrote {}", path.display()),
        Ok(false) => println!("{} is up to date", path.display()),
        Err(e) => {
            render::error(&e, e.hint().as_deref());
            return exit::INTERNAL;
        }
    }
    exit::SUCCESS
}

/// Verify a plan's provenance and keep its bundle in toolget.lock.d/ for offline installs.
fn lock_provenance(
    installer: &Installer<'_>,
    plan: &toolget::installer::Plan,
    sha256: &str,
    lock_dir: &Path,
) -> Result<Option<toolget::provenance::Record>, u8> {
    let (provenance, bytes) = installer.lock_provenance(plan, sha256).map_err(|e| {
        render::error(&e, e.hint().as_deref());
        exit::for_kind(e.kind())
    })?;
    let Some(record) = provenance.record() else {
        return Ok(None);
    };
    if let Some(bytes) = bytes
        && let Err(e) = lockfile::store_bundle(lock_dir, &record, &bytes)
    {
        render::error(
            &e,
            Some("toolget.lock.d/ must be writable next to toolget.lock"),
        );
        return Err(exit::INTERNAL);
    }
    Ok(Some(record))
}

/// Resolve one tool for every platform. Errors are printed here; the exit code comes back.
fn lock_tool(
    installer: &Installer<'_>,
    tool: &ConfigTool,
    platforms: &[Platform],
    lock_dir: &Path,
) -> Result<LockedTool, u8> {
    let fail = |e: &InstallError| {
        render::error(e, e.hint().as_deref());
        exit::for_kind(e.kind())
    };
    let results = installer
        .plan_platforms(&tool.spec, platforms)
        .map_err(|e| fail(&e))?;
    let mut entry: Option<LockedTool> = None;
    let mut unavailable = Vec::new();
    let mut first_unavailable = None;
    // One universal or static build may serve several platforms: hash it once.
    let mut hashed: HashMap<String, (String, u64)> = HashMap::new();
    for (platform, result) in results {
        let plan = match result {
            Ok(plan) => plan,
            Err(InstallError::Select(e)) => {
                eprintln!("warning: `{}`: {e}", tool.key);
                if e.kind() == "ambiguous" {
                    eprintln!("  hint: {}", e.hint());
                }
                first_unavailable.get_or_insert(exit::for_kind(e.kind()));
                unavailable.push((platform, e.kind().to_string()));
                continue;
            }
            Err(e) => return Err(fail(&e)),
        };
        let mut size = plan.asset.size;
        let (sha256, from) = match lockfile::known_sha256(&plan) {
            Some(known) => known,
            None => {
                let (sha256, downloaded_size) = match hashed.get(&plan.asset.name) {
                    Some(done) => done.clone(),
                    None => {
                        let done = installer.hash_asset(&plan).map_err(|e| fail(&e))?;
                        eprintln!(
                            "note: {} publishes no sha256 for `{}`: downloaded it to hash it{}",
                            plan.repo,
                            plan.asset.name,
                            if done.cached {
                                " (kept in the download cache)"
                            } else {
                                ""
                            }
                        );
                        let pair = (done.sha256, done.size);
                        hashed.insert(plan.asset.name.clone(), pair.clone());
                        pair
                    }
                };
                if size == 0 {
                    size = downloaded_size;
                }
                (sha256, Sha256From::Download)
            }
        };
        let mut asset = LockedAsset::from_plan(&plan, &sha256, from);
        asset.size = size;
        asset.provenance = lock_provenance(installer, &plan, &sha256, lock_dir)?;
        entry
            .get_or_insert_with(|| {
                LockedTool::new(tool, plan.repo.clone(), &plan.version, &plan.tag, &plan.exe)
            })
            .platforms
            .push(asset);
    }
    let Some(mut entry) = entry else {
        render::error_text(
            &format!(
                "`{}` has no asset for any platform asked for ({})",
                tool.key,
                platforms
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Some(
                "`toolget resolve <spec> --platform <P> --explain` shows why each asset was rejected",
            ),
        );
        return Err(first_unavailable.unwrap_or(exit::NO_MATCH));
    };
    let served = entry.platforms.len();
    println!(
        "locked {} {} ({}) for {served} of {} platforms",
        entry.repo,
        entry.version,
        entry.tag,
        platforms.len()
    );
    if !unavailable.is_empty() {
        let names: Vec<String> = unavailable.iter().map(|(p, _)| p.to_string()).collect();
        eprintln!(
            "warning: `{}` could not be locked for {}",
            tool.key,
            names.join(", ")
        );
    }
    entry.unavailable = unavailable;
    Ok(entry)
}
