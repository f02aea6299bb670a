//! `toolget install`, `which`, `list`, `uninstall`: the commands that work on the store.
//!
//! `install` has three sources: specs on the command line; the project's toolget.toml (no
//! specs), with toolget.lock's pins wherever the lock is current (always with `--locked` /
//! `--frozen`, which then make no GitHub API request); and a mise config (`--from`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use toolget::text::shown;

use serde_json::json;
use toolget::config::{self, ConfigTool};
use toolget::installer::{Installer, InstallerConfig, Outcome, Plan};
use toolget::lockfile::LockError;
use toolget::mirror::Mirrors;
use toolget::platform::Platform;
use toolget::project::{Project, ProjectError};
use toolget::registry::Registry;
use toolget::settings::{self, Settings};
use toolget::spec::{ToolRef, ToolSpec};
use toolget::store::{Exported, InstalledTool, Store, StoreError, Verification, export_executable};
use toolget::tool::{Tool, ToolError};
use toolget::version::{self, VersionSpec};

use super::failure::{CliError, CmdResult, Failure};
use super::progress::CliReporter;
use super::{exit, render};

/// A directory flag's value: an empty one is a usage error (exit 2), not the current directory.
fn non_empty_path(value: &str) -> Result<PathBuf, String> {
    if value.trim().is_empty() {
        Err("a directory is required".into())
    } else {
        Ok(PathBuf::from(value))
    }
}

/// Default cap on what one archive may unpack to.
const DEFAULT_MAX_UNPACKED: u64 = 4 << 30;

#[derive(Debug, clap::Args)]
pub(super) struct InstallArgs {
    /// Tools to install: `sccache`, `mozilla/sccache@0.14`, `github:BurntSushi/ripgrep[exe=rg]@14.1.1`.
    /// Without any: every tool of toolget.toml (current directory or a parent), as pinned in
    /// toolget.lock where the lock is up to date.
    specs: Vec<String>,

    /// Install exactly what toolget.lock pins — its URLs, checked against its sha256s — with
    /// no GitHub API request. Fails (exit 10) when toolget.lock is missing, does not match
    /// toolget.toml, or lacks the platform.
    #[arg(long)]
    locked: bool,

    /// `--locked`, and write nothing outside the store ($`TOOLGET_HOME)`: toolget.lock is never
    /// written, and the download cache is neither read nor written.
    #[arg(long)]
    frozen: bool,

    /// The toolget.toml to use (default: the nearest one in the current directory or its
    /// parents); toolget.lock is read from next to it.
    #[arg(long, value_name = "PATH", conflicts_with = "from")]
    config: Option<PathBuf>,

    /// Install the [tools] of a mise config (e.g. mise.toml): `github:`, `ubi:` and `aqua:`
    /// entries and registry names; other backends (`node`, `cargo:`, `npm:` …) are skipped
    /// with a note.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["specs", "locked", "frozen"])]
    from: Option<PathBuf>,

    /// Platform to install for (default: `TOOLGET_PLATFORM`, else this machine).
    #[arg(long, short = 'p', value_name = "PLATFORM")]
    platform: Option<String>,

    /// Reinstall even when the version is already installed.
    #[arg(long)]
    force: bool,

    /// Refuse to install anything that cannot be verified against a digest or checksum
    /// (also `TOOLGET_REQUIRE_VERIFIED=1`).
    #[arg(long)]
    require_verified: bool,

    /// When a release's checksum file cannot be used (unparseable, or not listing the
    /// asset), install without verification instead of failing (exit 6). Refused together
    /// with --require-verified or `TOOLGET_REQUIRE_VERIFIED`.
    #[arg(long)]
    insecure: bool,

    /// Also put a real copy of each installed executable in DIR (e.g. `/usr/local/bin` in an
    /// image), written to a temp name and renamed into place; the store still downloads,
    /// verifies and unpacks it. A different file already in DIR is refused without --force.
    /// Not for tools that keep their whole archive (`extract_all`).
    #[arg(long, value_name = "DIR", value_parser = non_empty_path)]
    prefix: Option<PathBuf>,

    /// One JSON object per spec, one per line: the installed tool, or `{"spec", "error"}`
    /// (contract in docs/cli.md).
    #[arg(long)]
    json: bool,

    /// Print nothing but warnings and errors (no progress, no summary; `--json` lines still
    /// print).
    #[arg(long, short = 'q')]
    quiet: bool,

    /// How many tools to resolve and download at once (default 4). Output stays in the
    /// order the tools were given; one tool's failure does not stop the others.
    #[arg(long, short = 'j', value_name = "N", default_value_t = toolget::jobs::DEFAULT_JOBS,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    jobs: u16,

    /// Say, per asset, which source served it: a mirror (`TOOLGET_MIRRORS`), the download
    /// cache or the origin, and what every mirror asked before it did.
    #[arg(long)]
    explain: bool,
}

#[derive(Debug, clap::Args)]
pub(super) struct WhichArgs {
    /// An executable name, e.g. `sccache`.
    exe: String,
}

#[derive(Debug, clap::Args)]
pub(super) struct ListArgs {
    /// One JSON object per tool, one per line.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub(super) struct UninstallArgs {
    /// The tool and version: `mozilla/sccache@0.14.0`, or `@all` for every version. Without a
    /// version, the only installed version is removed.
    spec: String,

    /// Remove a build kept for another platform (`install --platform windows-x86_64`) instead
    /// of this machine's.
    #[arg(long, short = 'p', value_name = "PLATFORM")]
    platform: Option<String>,
}

/// Open the store at `TOOLGET_HOME` (or its XDG default).
pub(super) fn open_store(settings: &Settings) -> Result<Store, Failure> {
    let home = settings.home.as_ref().ok_or(CliError::NoHome)?;
    Store::open(home.clone())
        .map(|store| {
            store
                .with_swap_pause(settings.swap_pause)
                .with_source_date_epoch(settings.source_date_epoch)
        })
        .map_err(|e| match e {
            // e.g. a path through a regular file: say which path and what to do about it.
            StoreError::Io { path, source, .. } => {
                CliError::HomeNotWritable { path, source }.into()
            }
            other => other.into(),
        })
}

/// This machine's platform, for telling its builds from other platforms' (`TOOLGET_PLATFORM`
/// states it; else it is detected). `None` when neither works: then nothing is foreign.
fn host_platform(settings: &Settings) -> Option<Platform> {
    match &settings.platform {
        Some(text) => text.split(',').next()?.trim().parse().ok(),
        None => toolget::platform::detect_host().ok(),
    }
}

/// Fail now, before any network use, when the store cannot be written: create it and a
/// throw-away file in it.
fn check_writable(store: &Store) -> Result<(), CliError> {
    let root = store.root();
    std::fs::create_dir_all(root)
        .and_then(|()| tempfile::tempfile_in(root).map(drop))
        .map_err(|source| CliError::HomeNotWritable {
            path: root.to_path_buf(),
            source,
        })
}

pub(super) fn installer_config(
    settings: &Settings,
    force: bool,
    require_verified: bool,
) -> Result<InstallerConfig, Failure> {
    let max_unpacked_bytes = match &settings.max_unpacked {
        None => DEFAULT_MAX_UNPACKED,
        Some(text) => {
            settings::parse_size(text).ok_or_else(|| CliError::BadMaxUnpacked(text.clone()))?
        }
    };
    let mirrors = Mirrors::from_settings(settings)?;
    let registry = super::registry::load(settings)?;
    Ok(InstallerConfig {
        github: super::client_options(settings),
        require_verified: require_verified || settings.require_verified,
        force,
        insecure: false,
        max_unpacked_bytes,
        registry: std::sync::Arc::new(registry),
        mirrors,
        host: host_platform(settings),
    })
}

/// The one place a spec becomes a tool.
fn tool_of(spec: &ToolSpec, registry: &Registry) -> Result<Tool, ToolError> {
    Tool::from_spec(spec, registry)
}

pub(super) fn install(args: &InstallArgs, settings: &Settings) -> CmdResult {
    install_all(args, settings).map_err(|f| f.json_if(args.json))
}

fn install_all(args: &InstallArgs, settings: &Settings) -> CmdResult {
    let platform = single_platform(args.platform.as_deref(), settings)?;
    let store = open_store(settings)?;
    check_writable(&store)?;
    let mut config = installer_config(settings, args.force, args.require_verified)?;
    if args.insecure {
        if config.require_verified {
            return Err(CliError::InsecureVerified.into());
        }
        config.insecure = true;
    }
    let reporter = CliReporter::new(args.quiet || args.json);
    // --frozen: the download cache is neither read nor written, so the store is the only
    // place this run can change.
    let cache_dir = if args.frozen {
        None
    } else {
        settings.cache_dir.clone()
    };
    let installer = Installer::new(&store, cache_dir.clone(), config.clone(), &reporter);
    let run = Run {
        args,
        platform,
        registry: config.registry.clone(),
        installer: &installer,
        forced: Installer::new(
            &store,
            cache_dir,
            InstallerConfig {
                force: true,
                ..config
            },
            &reporter,
        ),
        code: AtomicU8::new(exit::SUCCESS),
        installed: AtomicBool::new(false),
    };
    if let Some(from) = &args.from {
        run.install_mise(from)?;
    } else {
        run.install_project_or_specs()?;
    }
    if run.installed.load(Ordering::Relaxed) && args.prefix.is_none() {
        warn_if_not_on_path(&store, settings);
    }
    match run.code.load(Ordering::Relaxed) {
        exit::SUCCESS => Ok(()),
        code => Err(Failure::Reported(code)),
    }
}

/// Once per run: the bin dir is not on PATH, so the installed commands are not found by name.
fn warn_if_not_on_path(store: &Store, settings: &Settings) {
    let bin = store.bin_dir();
    let on_path = settings
        .path
        .iter()
        .any(|dir| dir == &bin || dir.canonicalize().ok() == bin.canonicalize().ok());
    if !on_path {
        render::warning(&format!(
            "`{}` is not on PATH, so the installed commands cannot be run by name; add it \
             with `eval \"$(toolget env)\"` (in ~/.bashrc or ~/.zshrc; `toolget env --help` for \
             other shells)",
            bin.display()
        ));
    }
}

/// `--explain`: which source served each asset (stderr, so `--json` stdout stays JSON lines).
fn explain_sources(outcome: &Outcome) {
    if outcome.sources.is_empty() {
        eprintln!(
            "  source of `{}`: none, already installed",
            shown(&outcome.asset)
        );
        return;
    }
    eprintln!("  sources of `{}`:", shown(&outcome.asset));
    for report in &outcome.sources {
        eprintln!("    {report}");
    }
}

/// What to install for one tool: a spec to resolve through the API, or a plan from the lock.
enum Target {
    Live(Box<ToolSpec>),
    Locked(Box<Plan>),
}

/// One `install` run's shared state.
struct Run<'a> {
    args: &'a InstallArgs,
    platform: Platform,
    registry: std::sync::Arc<Registry>,
    installer: &'a Installer<'a>,
    /// The same installer with `force`: replaces an install whose bytes differ from the lock's.
    forced: Installer<'a>,
    /// The first failure's exit code, or success. (Atomics: installs run on worker threads;
    /// only the reporting thread writes them.)
    code: AtomicU8,
    /// Whether anything was installed (or found installed), for the PATH warning.
    installed: AtomicBool,
}

impl Run<'_> {
    fn locked(&self) -> bool {
        self.args.locked || self.args.frozen
    }

    /// Notes are talk on stderr: `--quiet` silences them; warnings always print.
    fn note(&self, text: &str) {
        if !self.args.quiet {
            render::note(text);
        }
    }

    /// One spec failed: report it (a JSON line with `--json`) and remember the first code.
    fn fail(&self, spec: &str, failure: Failure) {
        let code = match failure {
            // JSON for scripts on stdout; the same error for people on stderr.
            Failure::Error(e) if self.args.json => {
                outln!("{}", json!({"spec": spec, "error": render::json(&*e)}));
                render::error(&*e);
                e.kind().exit_code()
            }
            other => other.report(),
        };
        if self.code.load(Ordering::Relaxed) == exit::SUCCESS {
            self.code.store(code, Ordering::Relaxed);
        }
    }

    fn succeed(&self, outcome: &Outcome) {
        let exported = match &self.args.prefix {
            Some(dir) => match self.export(outcome, dir) {
                Ok(exported) => exported,
                Err(failure) => return self.fail(&outcome.spec, failure),
            },
            None => Vec::new(),
        };
        self.installed.store(true, Ordering::Relaxed);
        print_outcome(outcome, &exported, self.args.json, self.args.quiet);
    }

    /// `--prefix DIR`: a real copy of each executable of a host build in DIR.
    fn export(&self, outcome: &Outcome, dir: &Path) -> Result<Vec<Exported>, Failure> {
        let store = self.installer.store();
        let receipt = store.read_receipt(&outcome.id, &outcome.version)?;
        if receipt.extract_all {
            return Err(StoreError::PrefixNeedsTree {
                id: outcome.id.to_string(),
                dir: dir.to_path_buf(),
            }
            .into());
        }
        let mut exported = Vec::new();
        for exe in &outcome.executables {
            if exe.link.is_none() {
                // A build for another platform is never put where this machine runs commands.
                return Err(StoreError::ForeignNotLinkable {
                    id: outcome.id.to_string(),
                    platform: outcome.platform.clone(),
                }
                .into());
            }
            exported.push(export_executable(
                &exe.path,
                dir,
                &exe.name,
                self.args.force,
                store.source_date_epoch(),
            )?);
        }
        Ok(exported)
    }

    /// No specs: the project's tools; with specs: those, pinned by the project where it can.
    fn install_project_or_specs(&self) -> CmdResult {
        let args = self.args;
        let locked = self.locked();
        // No specs, or --locked: the project is what to install. With specs, toolget.toml and
        // toolget.lock only lend their pins, and a problem with them is a warning.
        let strict = args.specs.is_empty() || locked;
        let loaded = Project::load(args.config.as_deref(), strict, locked)?;
        if let Some(ignored) = &loaded.ignored {
            render::warning(&format!("{ignored}; installing without it"));
        }
        let project = loaded.project;
        let targets: Vec<(String, Result<Target, Failure>)> = if args.specs.is_empty() {
            match &project {
                Some(project) => project
                    .config
                    .tools
                    .iter()
                    .map(|entry| {
                        let target = self.target_for_entry(project, entry, &entry.spec);
                        (entry.spec.raw.clone(), target)
                    })
                    .collect(),
                None => Vec::new(),
            }
        } else {
            args.specs
                .iter()
                .map(|raw| (raw.clone(), self.target_for_arg(project.as_ref(), raw)))
                .collect()
        };
        // A locked install is all or nothing: refuse before installing anything.
        if locked && targets.iter().any(|(_, t)| t.is_err()) {
            for (raw, target) in targets {
                if let Err(failure) = target {
                    self.fail(&raw, failure);
                }
            }
            return Ok(());
        }
        if args.specs.is_empty() && targets.is_empty() {
            self.note("toolget.toml lists no tools; nothing to install");
        }
        // Failures stay on this thread (they are not `Send`); workers get the targets.
        let mut failures: Vec<Option<Failure>> = Vec::with_capacity(targets.len());
        let work: Vec<(String, Option<Target>)> = targets
            .into_iter()
            .map(|(raw, target)| match target {
                Ok(target) => {
                    failures.push(None);
                    (raw, Some(target))
                }
                Err(failure) => {
                    failures.push(Some(failure));
                    (raw, None)
                }
            })
            .collect();
        // Resolved and downloaded concurrently; reported in the order given, each as soon as
        // it and those before it are done.
        toolget::jobs::run_ordered(
            work,
            usize::from(args.jobs),
            |_, (raw, target)| {
                let result = match target {
                    Some(Target::Live(spec)) => Some(self.installer.install(&spec, &self.platform)),
                    Some(Target::Locked(plan)) => Some(self.install_locked(&plan)),
                    None => None,
                };
                (raw, result)
            },
            |i, (raw, result)| match result {
                None => {
                    if let Some(failure) = failures[i].take() {
                        self.fail(&raw, failure);
                    }
                }
                Some(Ok(outcome)) => {
                    self.succeed(&outcome);
                    if args.explain {
                        explain_sources(&outcome);
                    }
                }
                Some(Err(e)) => self.fail(&raw, e.into()),
            },
        );
        Ok(())
    }

    /// A config entry: the lock's plan when the lock has a current entry for it, else (not
    /// with --locked) `spec` — the entry's own, or the command-line spec that named it —
    /// resolved through the API.
    fn target_for_entry(
        &self,
        project: &Project,
        entry: &ConfigTool,
        spec: &ToolSpec,
    ) -> Result<Target, Failure> {
        let tool = tool_of(&entry.spec, &self.registry)?;
        let locked_entry = project
            .lock
            .as_ref()
            .and_then(|lock| lock.get(&entry.key))
            .filter(|locked| locked.is_current(entry));
        let Some(locked_entry) = locked_entry else {
            if self.locked() {
                // Project::load checked the whole lock; this is only reachable if it did not.
                return Err(LockError::Mismatch {
                    path: project.config.lock_path(),
                    differences: Vec::new(),
                }
                .into());
            }
            if project.lock.is_some() {
                self.note(&format!(
                    "`{}` is not in toolget.lock as toolget.toml now has it; resolving it \
                     from GitHub (run `toolget lock` to pin it)",
                    entry.key
                ));
            }
            return Ok(Target::Live(Box::new(spec.clone())));
        };
        match locked_entry.plan(&tool, &spec.raw, &self.platform) {
            Ok(plan) => Ok(Target::Locked(Box::new(plan))),
            Err(e) if self.locked() => Err(e.into()),
            Err(e) => {
                self.note(&format!("{e}; resolving `{}` from GitHub", entry.key));
                Ok(Target::Live(Box::new(spec.clone())))
            }
        }
    }

    /// A spec from the command line: pinned by the lock when toolget.toml lists the same tool
    /// and the locked release satisfies the spec's version.
    fn target_for_arg(&self, project: Option<&Project>, raw: &str) -> Result<Target, Failure> {
        let spec = ToolSpec::parse(raw)?;
        let entry =
            project.and_then(|p| p.entry_for(&spec, &self.registry).map(|entry| (p, entry)));
        let Some((project, entry)) = entry else {
            if self.locked() {
                return Err(ProjectError::NotInConfig { raw: raw.into() }.into());
            }
            return Ok(Target::Live(Box::new(spec)));
        };
        let locked_tag = project
            .lock
            .as_ref()
            .and_then(|lock| lock.get(&entry.key))
            .map(|locked| (locked.tag.clone(), locked.version.clone()));
        let satisfied = match (&locked_tag, tool_of(&spec, &self.registry)) {
            (Some((tag, _)), Ok(tool)) => spec.version.matches_tag(tag, &tool.tag_names()),
            _ => false,
        };
        if satisfied {
            return self.target_for_entry(project, entry, &spec);
        }
        if self.locked() {
            let pinned = locked_tag.map(|(_, v)| v).unwrap_or_default();
            return Err(ProjectError::OtherVersion {
                raw: raw.into(),
                pinned,
            }
            .into());
        }
        Ok(Target::Live(Box::new(spec)))
    }

    /// Install a plan from the lock. An install of the same version from other bytes (another
    /// asset, or a release changed since) is replaced: the lock says which bytes.
    fn install_locked(&self, plan: &Plan) -> Result<Outcome, toolget::installer::InstallError> {
        let pinned = plan.expected.as_ref().map(|e| e.hex.as_str());
        // The install for the lock's platform, on that platform's shelf of the store.
        let store = self.installer.shelf(&plan.platform)?;
        let differs = !self.args.force
            && store.read_receipt(&plan.id, &plan.version).is_ok_and(|r| {
                r.platform == plan.platform.to_string() && Some(r.sha256.as_str()) != pinned
            });
        if differs {
            self.note(&format!(
                "{} {} is installed from other bytes than toolget.lock pins; reinstalling `{}`",
                plan.repo, plan.version, plan.asset.name
            ));
            return self.forced.install_plan(plan, None);
        }
        self.installer.install_plan(plan, None)
    }

    /// `--from mise.toml`: every entry toolget can install, through the API.
    fn install_mise(&self, path: &Path) -> CmdResult {
        let import = config::read_mise(path)?;
        for note in &import.notes {
            self.note(note);
        }
        let mut attempted = false;
        // mise's default version of a key is the first listed: install it last so that it is
        // the one linked.
        let mut start = 0;
        while start < import.tools.len() {
            let key = &import.tools[start].key;
            let end = start
                + import.tools[start..]
                    .iter()
                    .take_while(|t| &t.key == key)
                    .count();
            for entry in import.tools[start..end].iter().rev() {
                match tool_of(&entry.spec, &self.registry) {
                    Ok(_) => {}
                    Err(ToolError::UnknownTool { .. })
                        if matches!(entry.spec.tool, ToolRef::Name(_)) =>
                    {
                        self.note(&format!(
                            "skipped `{}`: not a tool toolget knows (use `github:owner/repo`); \
                             mise keeps installing it with its own backend",
                            entry.key
                        ));
                        continue;
                    }
                    Err(e) => {
                        self.fail(&entry.spec.raw, e.into());
                        continue;
                    }
                }
                attempted = true;
                match self.installer.install(&entry.spec, &self.platform) {
                    Ok(outcome) => self.succeed(&outcome),
                    Err(e) => self.fail(&entry.spec.raw, e.into()),
                }
            }
            start = end;
        }
        if !attempted && self.code.load(Ordering::Relaxed) == exit::SUCCESS {
            self.note(&format!(
                "nothing in `{}` is a GitHub release toolget can install",
                path.display()
            ));
        }
        Ok(())
    }
}

/// `--platform`, else `TOOLGET_PLATFORM`, else the host: exactly one platform.
fn single_platform(flag: Option<&str>, settings: &Settings) -> Result<Platform, Failure> {
    let flags: Vec<String> = flag.map(|f| vec![f.to_string()]).unwrap_or_default();
    let platforms = super::platforms(&flags, settings)?;
    match platforms.as_slice() {
        [one] => Ok(*one),
        _ => Err(CliError::SeveralPlatforms.into()),
    }
}

fn print_outcome(outcome: &Outcome, exported: &[Exported], json: bool, quiet: bool) {
    if json {
        let executables: Vec<_> = outcome
            .executables
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let copy = exported.get(i).map(Exported::path);
                json!({"name": e.name, "path": e.path, "link": e.link, "copy": copy})
            })
            .collect();
        let line = json!({
            "spec": outcome.spec,
            "repo": outcome.repo,
            "tag": shown(&outcome.tag),
            "version": shown(&outcome.version),
            "platform": outcome.platform,
            "status": outcome.status.as_str(),
            "install_dir": outcome.install_dir,
            "bin_dir": outcome.bin_dir,
            "executables": executables,
            "verified": outcome.verified,
            "verified_with": outcome.verified_with.as_deref().map(shown),
            "asset": shown(&outcome.asset),
            "emulation": outcome.emulation,
            "source": outcome.sources.last().map(|r| r.source.as_str()),
        });
        outln!("{line}");
        return;
    }
    if quiet {
        return;
    }
    let how = verified_text(outcome.verified, outcome.verified_with.as_deref());
    let verb = match outcome.status {
        toolget::installer::Status::Installed => "installed",
        toolget::installer::Status::AlreadyInstalled => "already installed:",
    };
    // Version and asset name come from the release: escaped and bounded.
    outln!(
        "{verb} {} {} ({}, {how})",
        outcome.repo,
        shown(&outcome.version),
        shown(&outcome.asset)
    );
    for exe in &outcome.executables {
        match &exe.link {
            Some(link) => outln!("  {} -> {}", link.display(), exe.path.display()),
            None => outln!(
                "  {} (a {} build: kept apart, not linked into bin/)",
                exe.path.display(),
                outcome.platform
            ),
        }
    }
    for copy in exported {
        match copy {
            Exported::Written(path) => outln!("  copied to {}", path.display()),
            Exported::Unchanged(path) => outln!("  {} is already this file", path.display()),
        }
    }
    if let Some(emulation) = outcome.emulation {
        outln!(
            "  note: no native build for {}; runs under {emulation}",
            outcome.platform
        );
    }
}

/// How an install was verified, as a human reads it.
fn verified_text(verified: Verification, with: Option<&str>) -> String {
    match (verified, with) {
        (Verification::GithubDigest, _) => "verified by GitHub's digest".into(),
        (Verification::ChecksumFile, Some(file)) => format!("verified by {}", shown(file)),
        (Verification::ChecksumFile, None) => "verified by a checksum file".into(),
        (Verification::Lockfile, _) => "verified by toolget.lock".into(),
        (Verification::Unverified, _) => "UNVERIFIED".into(),
    }
}

pub(super) fn which(args: &WhichArgs, settings: &Settings) -> CmdResult {
    let store = open_store(settings)?;
    match store.which(&args.exe) {
        Ok(path) => {
            outln!("{}", path.display());
            Ok(())
        }
        Err(e) => {
            // One line: scripts read it.
            eprintln!("error: {e}");
            Err(Failure::Reported(exit::NOT_FOUND))
        }
    }
}

pub(super) fn list(args: &ListArgs, settings: &Settings) -> CmdResult {
    list_installed(args, settings).map_err(|f| f.json_if(args.json))
}

fn list_installed(args: &ListArgs, settings: &Settings) -> CmdResult {
    let store = open_store(settings)?;
    // This machine's tools, then the builds kept for other platforms (never linked).
    let mut shelves = vec![(None, store.clone())];
    for platform in store.foreign_platforms()? {
        if let Ok(shelf) = store.foreign(&platform) {
            shelves.push((Some(platform), shelf));
        }
    }
    let links = store.bin_links().unwrap_or_default();
    let mut any = false;
    for (platform, shelf) in &shelves {
        let tools = shelf.installed()?;
        if !args.json && platform.is_some() && !tools.is_empty() {
            outln!(
                "builds for {} (kept apart, not linked):",
                platform.as_deref().unwrap_or_default()
            );
        }
        for tool in &tools {
            any = true;
            // The names in bin/ that really point into this tool: what `which` will say.
            let tool_dir = shelf.tool_dir(&tool.id).ok();
            let linked: Vec<&str> = links
                .iter()
                .filter(|l| {
                    platform.is_none() && tool_dir.as_ref().is_some_and(|d| l.target.starts_with(d))
                })
                .map(|l| l.exe.as_str())
                .collect();
            if args.json {
                print_tool_json(tool, platform.as_deref(), &linked);
            } else {
                print_tool(tool, &linked);
            }
        }
    }
    if !args.json && !any {
        outln!("nothing installed in {}", store.root().display());
    }
    Ok(())
}

fn print_tool_json(tool: &InstalledTool, platform: Option<&str>, linked: &[&str]) {
    let versions: Vec<_> = tool
        .versions
        .iter()
        .map(|v| {
            json!({
                "version": shown(&v.version),
                "tag": shown(&v.receipt.tag),
                "active": tool.active.as_deref() == Some(v.version.as_str()),
                "verified": v.receipt.verified,
                "verified_with": v.receipt.verified_with.as_deref().map(shown),
                "platform": v.receipt.platform,
                "asset": shown(&v.receipt.asset),
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
        .map_or_else(|| tool.id.to_string(), |v| v.receipt.repo.clone());
    let active = if platform.is_some() {
        None
    } else {
        tool.active.clone()
    };
    outln!(
        "{}",
        json!({
            "tool": tool.id.to_string(),
            "repo": repo,
            "active": active,
            "linked": linked,
            "foreign_platform": platform,
            "versions": versions,
        })
    );
}

fn print_tool(tool: &InstalledTool, linked: &[&str]) {
    outln!("{}", tool.id);
    for v in &tool.versions {
        let active = tool.active.as_deref() == Some(v.version.as_str());
        let marker = if active { "*" } else { " " };
        let verified = match v.receipt.verified {
            Verification::Unverified => "UNVERIFIED".to_string(),
            other => other.to_string(),
        };
        // An executable whose name another tool took over (`--force`) is not on PATH.
        let exes: Vec<String> = v
            .receipt
            .exe
            .iter()
            .map(|e| {
                if !active || linked.contains(&e.as_str()) {
                    e.clone()
                } else {
                    format!("{e} (not linked)")
                }
            })
            .collect();
        outln!(
            "  {marker} {:<12} {:<14} {}  [{}]",
            shown(&v.version),
            verified,
            shown(&v.receipt.asset),
            exes.join(", ")
        );
    }
}

pub(super) fn uninstall(args: &UninstallArgs, settings: &Settings) -> CmdResult {
    let (spec, tool) = super::spec_and_tool(&args.spec, settings)?;
    let store = open_store(settings)?;
    // A build for another platform lives on that platform's shelf (docs/store.md).
    let store = match args.platform.as_deref().map(str::parse::<Platform>) {
        None => store,
        Some(platform) => {
            let platform = platform?;
            if toolget::installer::runs_on_host(host_platform(settings).as_ref(), &platform) {
                store
            } else {
                store.foreign(&platform.to_string())?
            }
        }
    };
    let id = tool.id();
    let installed = store.installed_versions(&id)?;
    if installed.is_empty() {
        return Err(CliError::NotInstalled {
            what: id.to_string(),
        }
        .into());
    }
    let version: Option<String> = match &spec.version {
        VersionSpec::Exact(v) if v == "all" => None,
        VersionSpec::Exact(v) => Some(version::version_from_tag(v, &tool.tag_names())),
        VersionSpec::Latest if installed.len() == 1 => Some(installed[0].version.clone()),
        _ => {
            return Err(CliError::SeveralVersions {
                id: id.to_string(),
                repo: tool.repo.to_string(),
                versions: installed.iter().map(|v| v.version.clone()).collect(),
            }
            .into());
        }
    };
    let lock = store.lock(&id)?;
    match store.uninstall(&lock, &id, version.as_deref()) {
        Ok(removed) => {
            outln!("removed {id} {}", removed.join(", "));
            Ok(())
        }
        Err(StoreError::NotInstalled { .. }) => Err(CliError::NotInstalled {
            what: format!("{id} {}", version.as_deref().unwrap_or_default()),
        }
        .into()),
        Err(e) => Err(e.into()),
    }
}
