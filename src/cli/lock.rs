//! `toolget lock`: resolve every tool of toolget.toml for each platform and write
//! toolget.lock next to it. The lock is written only when every tool resolved; a platform a
//! release does not serve is recorded as unavailable and reported, never skipped silently.

use std::collections::HashMap;
use std::path::PathBuf;

use toolget::config::ConfigTool;
use toolget::error::{Diagnostic, ErrorKind};
use toolget::installer::{InstallError, Installer};
use toolget::lockfile::{self, LockedAsset, LockedTool, Lockfile, Sha256From};
use toolget::platform::{NINE, Platform};
use toolget::project;
use toolget::settings::Settings;

use super::failure::{CliError, CmdResult, Failure};
use super::install::{installer_config, open_store};
use super::progress::CliReporter;
use super::{exit, render};

#[derive(Debug, clap::Args)]
pub(super) struct LockArgs {
    /// Platforms to lock (repeat it, or separate with commas). Default: the nine usual ones —
    /// linux-{x86_64,aarch64}-{gnu,musl}, linux-armv7-gnu, macos-{x86_64,aarch64},
    /// windows-{x86_64,aarch64}.
    #[arg(long, short = 'p', value_name = "PLATFORM")]
    platform: Vec<String>,

    /// The toolget.toml to lock (default: the nearest one in the current directory or its
    /// parents). toolget.lock is written next to it.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,

    /// No progress output (warnings still print).
    #[arg(long, short = 'q')]
    quiet: bool,
}

pub(super) fn run(args: &LockArgs, settings: &Settings) -> CmdResult {
    let config = project::load_config(args.config.as_deref())?;
    let platforms = if args.platform.is_empty() {
        NINE.to_vec()
    } else {
        super::platforms(&args.platform, settings)?
    };
    // The store is only the installer's home here: planning and hashing write nothing to it.
    let store = open_store(settings)?;
    let installer_config = installer_config(settings, false, false)?;
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
        match lock_tool(&installer, tool, &platforms) {
            Ok(entry) => lock.tools.push(entry),
            Err(failed) if code == exit::SUCCESS => code = failed,
            Err(_) => {}
        }
    }
    let path = config.lock_path();
    if code != exit::SUCCESS {
        render::note(&format!("{} was not written", path.display()));
        return Err(Failure::Reported(code));
    }
    if lock.write(&path)? {
        outln!("wrote {}", path.display());
    } else {
        outln!("{} is up to date", path.display());
    }
    Ok(())
}

/// Resolve one tool for every platform. Errors are printed here; the exit code comes back.
fn lock_tool(
    installer: &Installer<'_>,
    tool: &ConfigTool,
    platforms: &[Platform],
) -> Result<LockedTool, u8> {
    let fail = |e: InstallError| Failure::from(e).report();
    let results = installer
        .plan_platforms(&tool.spec, platforms)
        .map_err(fail)?;
    let mut entry: Option<LockedTool> = None;
    let mut unavailable = Vec::new();
    let mut first_unavailable = None;
    // One universal or static build may serve several platforms: hash it once.
    let mut hashed: HashMap<String, (String, u64)> = HashMap::new();
    for (platform, result) in results {
        let plan = match result {
            Ok(plan) => plan,
            Err(InstallError::Select(e)) => {
                render::warning(&format!("`{}`: {e}", tool.key));
                if e.kind() == ErrorKind::Ambiguous
                    && let Some(hint) = e.hint()
                {
                    eprintln!("  hint: {hint}");
                }
                first_unavailable.get_or_insert(e.kind().exit_code());
                unavailable.push((platform, e.kind().as_str().to_string()));
                continue;
            }
            Err(e) => return Err(fail(e)),
        };
        let mut size = plan.asset.size;
        let (sha256, from) = if let Some(known) = lockfile::known_sha256(&plan) {
            known
        } else {
            let (sha256, downloaded_size) = if let Some(done) = hashed.get(&plan.asset.name) {
                done.clone()
            } else {
                let done = installer.hash_asset(&plan).map_err(fail)?;
                render::note(&format!(
                    "{} publishes no sha256 for `{}`: downloaded it to hash it{}",
                    plan.repo,
                    plan.asset.name,
                    if done.cached {
                        " (kept in the download cache)"
                    } else {
                        ""
                    }
                ));
                let pair = (done.sha256, done.size);
                hashed.insert(plan.asset.name.clone(), pair.clone());
                pair
            };
            if size == 0 {
                size = downloaded_size;
            }
            (sha256, Sha256From::Download)
        };
        let mut asset = LockedAsset::from_plan(&plan, &sha256, from);
        asset.size = size;
        entry
            .get_or_insert_with(|| {
                LockedTool::new(tool, plan.repo.clone(), &plan.version, &plan.tag, &plan.exe)
            })
            .platforms
            .push(asset);
    }
    let Some(mut entry) = entry else {
        let code = Failure::from(CliError::NoAssetForAny {
            key: tool.key.clone(),
            platforms: platforms.iter().map(ToString::to_string).collect(),
        })
        .report();
        return Err(first_unavailable.unwrap_or(code));
    };
    let served = entry.platforms.len();
    outln!(
        "locked {} {} ({}) for {served} of {} platforms",
        entry.repo,
        entry.version,
        entry.tag,
        platforms.len()
    );
    if !unavailable.is_empty() {
        let names: Vec<String> = unavailable.iter().map(|(p, _)| p.to_string()).collect();
        render::warning(&format!(
            "`{}` could not be locked for {}",
            tool.key,
            names.join(", ")
        ));
    }
    entry.unavailable = unavailable;
    Ok(entry)
}
