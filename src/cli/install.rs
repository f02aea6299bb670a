//! `toolget install`, `which`, `list`, `uninstall`: the commands that work on the store.
//!
//! `install` has three sources: specs on the command line; the project's toolget.toml (no
//! specs), with toolget.lock's pins wherever the lock is current (always with `--locked` /
//! `--frozen`, which then make no GitHub API request); and a mise config (`--from`).

use std::path::{Path, PathBuf};
use toolget::text::shown;

use serde_json::json;
use toolget::config::{self, Config, ConfigTool};
use toolget::installer::{InstallError, Installer, InstallerConfig, Outcome, Plan};
use toolget::lockfile::{self, LockError, Lockfile};
use toolget::platform::Platform;
use toolget::provenance::{Policy, Provenance, TrustRoots};
use toolget::registry::Registry;
use toolget::settings::{self, Settings};
use toolget::spec::{SpecOptions, ToolRef, ToolSpec};
use toolget::store::{Store, StoreError};
use toolget::tool::{Tool, ToolError};
use toolget::version::{self, VersionSpec};

use super::progress::CliReporter;
use super::{exit, render};

/// Default cap on what one archive may unpack to.
const DEFAULT_MAX_UNPACKED: u64 = 4 << 30;

#[derive(Debug, clap::Args)]
pub struct InstallArgs {
    /// Tools to install: `sccache`, `mozilla/sccache@0.14`, `github:BurntSushi/ripgrep[exe=rg]@14.1.1`.
    /// Without any: every tool of toolget.toml (current directory or a parent), as pinned in
    /// toolget.lock where the lock is up to date.
    specs: Vec<String>,

    /// Install exactly what toolget.lock pins — its URLs, checked against its sha256s — with
    /// no GitHub API request. Fails (exit 10) when toolget.lock is missing, does not match
    /// toolget.toml, or lacks the platform.
    #[arg(long)]
    locked: bool,

    /// `--locked`, and write nothing outside the store ($TOOLGET_HOME): toolget.lock is never
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

    /// Provenance policy (attestations, Sigstore bundles, minisign) for tools without their
    /// own `provenance`: required, if-present (default) or off. Also TOOLGET_PROVENANCE.
    #[arg(long, value_name = "POLICY", value_parser = ["required", "if-present", "off"])]
    provenance: Option<String>,

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

pub(super) fn installer_config(
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
    let provenance = match &settings.provenance {
        None => Policy::default(),
        Some(text) => match text.parse() {
            Ok(policy) => policy,
            Err(problem) => {
                render::error_text(
                    &format!("TOOLGET_PROVENANCE: {problem}"),
                    Some("set it to required, if-present or off"),
                );
                return Err(exit::USAGE);
            }
        },
    };
    let registry = super::registry::load(settings)?;
    Ok(InstallerConfig {
        github: super::client_options(settings),
        require_verified: require_verified || settings.require_verified,
        force,
        max_unpacked_bytes,
        registry: std::sync::Arc::new(registry),
        provenance,
        trust_roots: TrustRoots::new(settings.sigstore_trusted_root.clone()),
        ask_attestations: false,
    })
}

/// `--provenance` over TOOLGET_PROVENANCE (clap has checked the value).
pub(super) fn apply_provenance_flag(config: &mut InstallerConfig, flag: Option<&str>) {
    if let Some(policy) = flag.and_then(|f| f.parse().ok()) {
        config.provenance = policy;
    }
}

/// `"provenance": {"status", "kind", "signer", "issuer"}` of `install --json` and
/// `resolve --json`.
pub(super) fn provenance_json(p: &Provenance) -> serde_json::Value {
    json!({
        "status": p.status.as_str(),
        "kind": p.kind.map(|k| k.as_str()),
        "signer": p.signer,
        "issuer": p.issuer,
    })
}

/// The one place a spec becomes a tool.
fn tool_of(spec: &ToolSpec, registry: &Registry) -> Result<Tool, ToolError> {
    Tool::from_spec(spec, registry)
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
    let mut config = match installer_config(settings, args.force, args.require_verified) {
        Ok(c) => c,
        Err(code) => return code,
    };
    apply_provenance_flag(&mut config, args.provenance.as_deref());
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
        store: &store,
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
    };
    if let Some(from) = &args.from {
        return run.install_mise(from);
    }
    let locked = args.locked || args.frozen;
    // No specs, or --locked: the project is what to install. With specs, toolget.toml and
    // toolget.lock only lend their pins, and a problem with them is a warning.
    let strict = args.specs.is_empty() || locked;
    let project = match Project::load(args.config.as_deref(), strict, locked) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut code = exit::SUCCESS;
    let targets: Vec<Result<Target, u8>> = if args.specs.is_empty() {
        match &project {
            Some(project) => project
                .config
                .tools
                .iter()
                .map(|entry| run.target_for_entry(project, entry, &entry.spec))
                .collect(),
            None => Vec::new(),
        }
    } else {
        args.specs
            .iter()
            .map(|raw| run.target_for_arg(project.as_ref(), raw))
            .collect()
    };
    // A locked install is all or nothing: refuse before installing anything.
    if locked && let Some(Err(failed)) = targets.iter().find(|t| t.is_err()) {
        return *failed;
    }
    if args.specs.is_empty() && targets.is_empty() {
        eprintln!("toolget: toolget.toml lists no tools; nothing to install");
    }
    for target in targets {
        let result = match target {
            Ok(Target::Live(spec)) => installer.install(&spec, &platform),
            Ok(Target::Locked(plan)) => run.install_locked(&plan),
            Err(failed) => {
                code = first_failure(code, failed);
                continue;
            }
        };
        match result {
            Ok(outcome) => print_outcome(&outcome, args.json),
            Err(e) => {
                render::error(&e, e.hint().as_deref());
                code = first_failure(code, exit::for_kind(e.kind()));
            }
        }
    }
    code
}

/// What to install for one tool: a spec to resolve through the API, or a plan from the lock.
enum Target {
    Live(Box<ToolSpec>),
    Locked(Box<Plan>),
}

/// toolget.toml and, when it exists, toolget.lock.
struct Project {
    config: Config,
    lock: Option<Lockfile>,
}

impl Project {
    /// `strict`: the project is needed (no specs, or --locked), so its absence or any problem
    /// with it is an error; otherwise a problem is a warning and the project is left out.
    /// `locked`: the lock must exist and match toolget.toml exactly.
    fn load(explicit: Option<&Path>, strict: bool, locked: bool) -> Result<Option<Project>, u8> {
        let config = if strict || explicit.is_some() {
            super::lock::load_config(explicit)?
        } else {
            // A plain install must not fail for want of a working directory.
            let Ok(cwd) = std::env::current_dir() else {
                return Ok(None);
            };
            match Config::discover(&cwd) {
                Ok(Some(config)) => config,
                Ok(None) => return Ok(None),
                Err(e) => {
                    eprintln!("warning: {e}; installing without it");
                    return Ok(None);
                }
            }
        };
        let lock_path = config.lock_path();
        let lock = match Lockfile::read_optional(&lock_path) {
            Ok(lock) => lock,
            Err(e) if strict => {
                render::error(&e, e.hint().as_deref());
                return Err(exit::for_kind(e.kind()));
            }
            Err(e) => {
                eprintln!("warning: {e}; installing without it");
                None
            }
        };
        if locked {
            let check = match &lock {
                None => Err(LockError::Missing { path: lock_path }),
                Some(lock) => lock.check(&config, &lock_path),
            };
            if let Err(e) = check {
                render::error(&e, e.hint().as_deref());
                return Err(exit::for_kind(e.kind()));
            }
        }
        Ok(Some(Project { config, lock }))
    }

    /// The config entry a command-line spec names: the same tool (repository and executable)
    /// with the same selection options, or with none.
    fn entry_for(&self, spec: &ToolSpec, registry: &Registry) -> Option<&ConfigTool> {
        let id = tool_of(spec, registry).ok()?.id();
        let options = without_exe(&spec.options);
        self.config.tools.iter().find(|entry| {
            tool_of(&entry.spec, registry).is_ok_and(|t| t.id() == id)
                && (options == SpecOptions::default()
                    || options == without_exe(&entry.spec.options))
        })
    }
}

fn without_exe(options: &SpecOptions) -> SpecOptions {
    SpecOptions {
        exe: None,
        ..options.clone()
    }
}

/// One `install` run's shared state.
struct Run<'a> {
    args: &'a InstallArgs,
    platform: Platform,
    store: &'a Store,
    registry: std::sync::Arc<Registry>,
    installer: &'a Installer<'a>,
    /// The same installer with `force`: replaces an install whose bytes differ from the lock's.
    forced: Installer<'a>,
}

impl Run<'_> {
    fn locked(&self) -> bool {
        self.args.locked || self.args.frozen
    }

    /// A config entry: the lock's plan when the lock has a current entry for it, else (not
    /// with --locked) `spec` — the entry's own, or the command-line spec that named it —
    /// resolved through the API.
    fn target_for_entry(
        &self,
        project: &Project,
        entry: &ConfigTool,
        spec: &ToolSpec,
    ) -> Result<Target, u8> {
        let tool = tool_of(&entry.spec, &self.registry).map_err(|e| {
            render::error(&e, e.hint().as_deref());
            exit::for_kind(e.kind())
        })?;
        let locked_entry = project
            .lock
            .as_ref()
            .and_then(|lock| lock.get(&entry.key))
            .filter(|locked| locked.is_current(entry));
        let Some(locked_entry) = locked_entry else {
            if self.locked() {
                // Project::load checked the whole lock; this is only reachable if it did not.
                let e = LockError::Mismatch {
                    path: project.config.lock_path(),
                    differences: Vec::new(),
                };
                render::error(&e, e.hint().as_deref());
                return Err(exit::LOCK_MISMATCH);
            }
            if project.lock.is_some() {
                eprintln!(
                    "note: `{}` is not in toolget.lock as toolget.toml now has it; resolving it \
                     from GitHub (run `toolget lock` to pin it)",
                    entry.key
                );
            }
            return Ok(Target::Live(Box::new(spec.clone())));
        };
        match locked_entry.plan(&tool, &spec.raw, &self.platform) {
            Ok(plan) => Ok(Target::Locked(Box::new(lockfile::attach_provenance(
                plan,
                self.installer.policy_for(&tool),
                project.config.dir(),
            )))),
            Err(e) if self.locked() => {
                render::error(&e, e.hint().as_deref());
                Err(exit::for_kind(e.kind()))
            }
            Err(e) => {
                eprintln!("note: {e}; resolving `{}` from GitHub", entry.key);
                Ok(Target::Live(Box::new(spec.clone())))
            }
        }
    }

    /// A spec from the command line: pinned by the lock when toolget.toml lists the same tool
    /// and the locked release satisfies the spec's version.
    fn target_for_arg(&self, project: Option<&Project>, raw: &str) -> Result<Target, u8> {
        let spec = ToolSpec::parse(raw).map_err(|e| {
            render::error_text(&e.report(raw), None);
            exit::USAGE
        })?;
        let entry =
            project.and_then(|p| p.entry_for(&spec, &self.registry).map(|entry| (p, entry)));
        let Some((project, entry)) = entry else {
            if self.locked() {
                render::error_text(
                    &format!("`{raw}` is not in toolget.toml, so toolget.lock cannot pin it"),
                    Some("add it to [tools] in toolget.toml and run `toolget lock`"),
                );
                return Err(exit::LOCK_MISMATCH);
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
            render::error_text(
                &format!("`{raw}` asks for another version than toolget.lock pins ({pinned})"),
                Some("change the version in toolget.toml and run `toolget lock`"),
            );
            return Err(exit::LOCK_MISMATCH);
        }
        Ok(Target::Live(Box::new(spec)))
    }

    /// Install a plan from the lock. An install of the same version from other bytes (another
    /// asset, or a release changed since) is replaced: the lock says which bytes.
    fn install_locked(&self, plan: &Plan) -> Result<Outcome, InstallError> {
        let pinned = plan.expected.as_ref().map(|e| e.hex.as_str());
        let differs = !self.args.force
            && self.store.is_installed(&plan.id, &plan.version)
            && self
                .store
                .read_receipt(&plan.id, &plan.version)
                .is_ok_and(|r| Some(r.sha256.as_str()) != pinned);
        if differs {
            eprintln!(
                "note: {} {} is installed from other bytes than toolget.lock pins; reinstalling `{}`",
                plan.repo, plan.version, plan.asset.name
            );
            return self.forced.install_plan(plan, None);
        }
        self.installer.install_plan(plan, None)
    }

    /// `--from mise.toml`: every entry toolget can install, through the API.
    fn install_mise(&self, path: &Path) -> u8 {
        let import = match config::read_mise(path) {
            Ok(i) => i,
            Err(e) => {
                render::error(&e, e.hint().as_deref());
                return exit::for_kind(e.kind());
            }
        };
        for note in &import.notes {
            eprintln!("note: {note}");
        }
        let mut code = exit::SUCCESS;
        let mut installed_any = false;
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
                        eprintln!(
                            "note: skipped `{}`: not a tool toolget knows (use `github:owner/repo`); \
                             mise keeps installing it with its own backend",
                            entry.key
                        );
                        continue;
                    }
                    Err(e) => {
                        render::error(&e, e.hint().as_deref());
                        code = first_failure(code, exit::for_kind(e.kind()));
                        continue;
                    }
                }
                installed_any = true;
                match self.installer.install(&entry.spec, &self.platform) {
                    Ok(outcome) => print_outcome(&outcome, self.args.json),
                    Err(e) => {
                        render::error(&e, e.hint().as_deref());
                        code = first_failure(code, exit::for_kind(e.kind()));
                    }
                }
            }
            start = end;
        }
        if !installed_any && code == exit::SUCCESS {
            eprintln!(
                "toolget: nothing in `{}` is a GitHub release toolget can install",
                path.display()
            );
        }
        code
    }
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
            "tag": shown(&outcome.tag),
            "version": shown(&outcome.version),
            "platform": outcome.platform,
            "status": outcome.status.as_str(),
            "install_dir": outcome.install_dir,
            "bin_dir": outcome.bin_dir,
            "executables": executables,
            "verified": outcome.verified.to_string(),
            "verified_with": outcome.verified_with.as_deref().map(shown),
            "asset": shown(&outcome.asset),
            "emulation": outcome.emulation,
            "provenance": provenance_json(&outcome.provenance),
        });
        println!("{line}");
        return;
    }
    let how = match (
        outcome.verified.to_string().as_str(),
        &outcome.verified_with,
    ) {
        ("github_digest", _) => "verified by GitHub's digest".to_string(),
        ("checksum_file", Some(file)) => format!("verified by {}", shown(file)),
        ("lockfile", _) => "verified by toolget.lock".to_string(),
        ("unverified", _) => "UNVERIFIED".to_string(),
        (other, _) => other.to_string(),
    };
    let verb = match outcome.status {
        toolget::installer::Status::Installed => "installed",
        toolget::installer::Status::AlreadyInstalled => "already installed:",
    };
    // Version and asset name come from the release: escaped and bounded.
    println!(
        "{verb} {} {} ({}, {how})",
        outcome.repo,
        shown(&outcome.version),
        shown(&outcome.asset)
    );
    for exe in &outcome.executables {
        println!("  {} -> {}", exe.link.display(), exe.path.display());
    }
    if outcome.provenance.status == toolget::provenance::Status::Verified {
        println!("  {}", outcome.provenance.summary());
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
                        "version": shown(&v.version),
                        "tag": shown(&v.receipt.tag),
                        "active": tool.active.as_deref() == Some(v.version.as_str()),
                        "verified": v.receipt.verified.to_string(),
                        "verified_with": v.receipt.verified_with.as_deref().map(shown),
                        "platform": v.receipt.platform,
                        "asset": shown(&v.receipt.asset),
                        "sha256": v.receipt.sha256,
                        "exe": v.receipt.exe,
                        "path": v.path,
                        "installed_at": v.receipt.installed_at,
                        "provenance": v.receipt.provenance.as_ref().map(provenance_json),
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
                shown(&v.version),
                verified,
                shown(&v.receipt.asset),
                v.receipt.exe.join(", ")
            );
            if let Some(p) = &v.receipt.provenance {
                println!("      {}", p.summary());
            }
        }
    }
    exit::SUCCESS
}

pub fn uninstall(args: &UninstallArgs, settings: &Settings) -> u8 {
    let (spec, tool) = match super::spec_and_tool(&args.spec, settings) {
        Ok(found) => found,
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
