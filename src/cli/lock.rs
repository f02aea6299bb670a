//! `toolget lock`: resolve every tool of toolget.toml for each platform and write
//! toolget.lock next to it. The lock is written only when every tool resolved; a platform a
//! release does not serve is recorded as unavailable and reported, never skipped silently.

use std::collections::HashMap;
use std::path::PathBuf;

use toolget::config::ConfigTool;
use toolget::error::{Diagnostic, ErrorKind};
use toolget::installer::{InstallError, Installer, PlatformPlan};
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

    /// How many tools to resolve (and hash) at once (default 4). Output stays in
    /// toolget.toml's order.
    #[arg(long, short = 'j', value_name = "N", default_value_t = toolget::jobs::DEFAULT_JOBS,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    jobs: u16,
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
    let path = config.lock_path();
    // The previous lock lends the sha256s of assets that have not changed; an unreadable one
    // lends nothing.
    let previous = Lockfile::read_optional(&path).ok().flatten();
    let mut lock = Lockfile::default();
    let mut code = exit::SUCCESS;
    // The network half (release lookups, hashing downloads) runs concurrently; reporting
    // follows toolget.toml's order.
    toolget::jobs::run_ordered(
        config.tools.iter().collect(),
        usize::from(args.jobs),
        |_, tool| prepare(&installer, tool, &platforms, previous.as_ref()),
        |i, prepared| match lock_tool(&config.tools[i], prepared, &platforms) {
            Ok(entry) => lock.tools.push(entry),
            Err(failed) if code == exit::SUCCESS => code = failed,
            Err(_) => {}
        },
    );
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

/// One tool's network work, done off the main thread: its plans for every platform and the
/// sha256 of each asset that publishes none (reused from the previous lock when the tag, URL
/// and size are unchanged, else downloaded and hashed once per asset).
struct Prepared {
    results: Result<Vec<PlatformPlan>, InstallError>,
    /// Asset name → its sha256 and where it came from, for assets without a known digest.
    hashed: HashMap<String, Result<Hashed, InstallError>>,
}

/// How an asset without a published digest got its sha256.
enum Hashed {
    /// From the previous toolget.lock (nothing downloaded).
    Reused(String, Sha256From),
    /// Downloaded and hashed now.
    Downloaded(toolget::installer::Hashed),
}

fn prepare(
    installer: &Installer<'_>,
    tool: &ConfigTool,
    platforms: &[Platform],
    previous: Option<&Lockfile>,
) -> Prepared {
    let results = installer.plan_platforms(&tool.spec, platforms);
    let mut hashed = HashMap::new();
    if let Ok(results) = &results {
        for plan in results.iter().filter_map(|(_, r)| r.as_ref().ok()) {
            if lockfile::known_sha256(plan).is_some() || hashed.contains_key(&plan.asset.name) {
                continue;
            }
            let done = match previous.and_then(|p| p.reusable_sha256(&tool.key, plan)) {
                Some((sha256, from)) => Ok(Hashed::Reused(sha256, from)),
                None => installer.hash_asset(plan).map(Hashed::Downloaded),
            };
            hashed.insert(plan.asset.name.clone(), done);
        }
    }
    Prepared { results, hashed }
}

/// Lock one tool for every platform from its prepared plans. Errors are printed here; the
/// exit code comes back.
fn lock_tool(
    tool: &ConfigTool,
    prepared: Prepared,
    platforms: &[Platform],
) -> Result<LockedTool, u8> {
    let fail = |e: InstallError| Failure::from(e).report();
    let Prepared {
        results,
        mut hashed,
    } = prepared;
    let results = results.map_err(fail)?;
    let mut entry: Option<LockedTool> = None;
    let mut unavailable = Vec::new();
    let mut first_unavailable = None;
    // One universal or static build may serve several platforms: reported once.
    let mut seen: HashMap<String, (String, Sha256From, u64)> = HashMap::new();
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
        let (sha256, from) = match lockfile::known_sha256(&plan) {
            Some(known) => known,
            None => {
                let (sha256, from, downloaded_size) = match seen.get(&plan.asset.name) {
                    Some(done) => done.clone(),
                    None => {
                        let done = match hashed.remove(&plan.asset.name) {
                            Some(done) => done.map_err(fail)?,
                            // prepare() hashed every plan; reaching here is a bug, not a state.
                            None => return Err(exit::INTERNAL),
                        };
                        let triple = match done {
                            Hashed::Reused(sha256, from) => (sha256, from, 0),
                            Hashed::Downloaded(done) => {
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
                                (done.sha256, Sha256From::Download, done.size)
                            }
                        };
                        seen.insert(plan.asset.name.clone(), triple.clone());
                        triple
                    }
                };
                if size == 0 {
                    size = downloaded_size;
                }
                (sha256, from)
            }
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
