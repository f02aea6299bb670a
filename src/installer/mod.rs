//! Orchestration in three steps with their own types, as uv's installer:
//!
//! ```text
//! plan     (plan.rs)     spec + platform -> Plan        the release, the asset, the executable,
//!                                                       the digest to expect (GitHub API only)
//! prepare  (prepare.rs)  Plan -> Prepared               fetch, hash, extract into staging,
//!                                                       verify, write the receipt (no API)
//! commit   (commit.rs)   Prepared -> Outcome            rename into the store, .active, links:
//!                                                       all or nothing, under the tool's lock
//! ```
//!
//! [`Installer::install`] runs the three; [`Installer::install_plan`] starts from a plan (a
//! lockfile's, with zero API requests). Progress goes out through [`Reporter`]; nothing here
//! prints.
//!
//! Guarantees (tested in tests/it/install.rs; see docs/install.md):
//! - nothing becomes visible in the store before it is verified: the archive is extracted into
//!   a staging directory while it downloads, and the staging directory is renamed into place
//!   only after the digest matched;
//! - a failure or interruption at any step leaves the previous install and its links as they
//!   were: the version directory, `.active` and the links switch together or not at all, and
//!   `--force` swaps the old directory for the new one with no moment where neither is there;
//! - a build for another platform (`--platform windows-x86_64` on Linux) goes to its own shelf
//!   of the store and is never linked into `bin/`; "already installed" holds only for the
//!   platform that asked;
//! - a command name in `bin/` has one owner: a tool never takes over another tool's link, nor a
//!   file the user put there, unless `--force`; and the name it links is one somebody asked for
//!   (the `exe` option or registry, the repository name, or the asset's name family);
//! - two processes installing the same tool take turns on a per-tool lock, and the second
//!   finds the first one's install and does nothing.

mod commit;
mod plan;
mod prepare;
mod sources;

pub use plan::{MAX_CHECKSUM_FILE, Plan, PlatformPlan};
pub use prepare::{Hashed, Prepared};

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::download::{Cache, DownloadError, Downloader, Progress};
use crate::error::{Diagnostic, ErrorKind};
use crate::extract::ExtractError;
use crate::github::{ClientOptions, GithubClient, GithubError};
use crate::lookup::LookupError;
use crate::mirror::{MirrorError, Mirrors, SourceReport};
use crate::platform::Platform;
use crate::registry::Registry;
use crate::resolver::SelectError;
use crate::spec::ToolSpec;
use crate::store::{Store, StoreError, ToolId, Verification};
use crate::text::untrusted;
use crate::tool::{Tool, ToolError};
use crate::verify::VerifyError;
use crate::version::{self, VersionSpec};

/// Where progress and notes go. The CLI draws bars; tests and the mise plugin stay quiet.
pub trait Reporter: Progress {
    /// A one-line note for the user (a move to another shelf, …); a quiet run drops it.
    fn note(&self, text: &str);

    /// A one-line warning (installing unverified, a withheld token, …): shown even in a quiet
    /// run. The text carries no `warning:` prefix; the reporter adds its own.
    fn warn(&self, text: &str) {
        self.note(text);
    }
}

/// A reporter that says nothing.
#[derive(Debug, Default)]
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _name: &str, _total: Option<u64>) {}
    fn advance(&self, _bytes: u64) {}
    fn finish(&self, _name: &str, _bytes: u64) {}
}

impl Reporter for Silent {
    fn note(&self, _text: &str) {}
}

/// Staging entries older than this are leftovers of killed installs and are swept.
const STALE_STAGING: Duration = Duration::from_hours(6);

/// Settings for one installer.
#[derive(Debug, Clone)]
pub struct InstallerConfig {
    pub github: ClientOptions,
    /// Refuse what cannot be verified (`--require-verified`, `TOOLGET_REQUIRE_VERIFIED=1`).
    pub require_verified: bool,
    /// Reinstall even when the version is installed (`--force`).
    pub force: bool,
    /// Install without verification when the release's checksum file cannot be used
    /// (`--insecure`); never together with `require_verified`.
    pub insecure: bool,
    /// Cap on the bytes one archive may unpack to.
    pub max_unpacked_bytes: u64,
    /// Names, identities and hints for specs (loaded once, by the caller).
    pub registry: Arc<Registry>,
    /// This machine's platform (`TOOLGET_PLATFORM`, else detected); `None` when unknown, and
    /// then every platform counts as this machine's. Builds for a platform of another OS or
    /// architecture go to their own shelf of the store and are never linked into `bin/`.
    pub host: Option<Platform>,
    /// Where asset bytes may come from besides the origin (`TOOLGET_MIRRORS`).
    pub mirrors: Mirrors,
}

/// Whether builds for `platform` belong on the host's shelf of the store (and in `bin/`): same
/// OS and architecture as `host`, any libc. With no known host, every platform does.
pub fn runs_on_host(host: Option<&Platform>, platform: &Platform) -> bool {
    host.is_none_or(|host| host.os == platform.os && host.arch == platform.arch)
}

/// Did the install do anything?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Installed,
    AlreadyInstalled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Installed => "installed",
            Status::AlreadyInstalled => "already_installed",
        }
    }
}

/// An installed executable.
#[derive(Debug, Clone)]
pub struct Executable {
    pub name: String,
    /// Absolute path inside the version directory.
    pub path: PathBuf,
    /// The link in `$TOOLGET_HOME/bin`; `None` for a build of another platform, never linked.
    pub link: Option<PathBuf>,
}

/// The result of an install.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub spec: String,
    pub id: ToolId,
    pub repo: String,
    pub tag: String,
    pub version: String,
    pub platform: String,
    pub status: Status,
    pub install_dir: PathBuf,
    pub bin_dir: PathBuf,
    pub executables: Vec<Executable>,
    pub verified: Verification,
    pub verified_with: Option<String>,
    pub asset: String,
    pub emulation: Option<&'static str>,
    /// Where the bytes came from: each source asked, in order, and what it did (the last one
    /// `served`). Empty when nothing was fetched (already installed).
    pub sources: Vec<SourceReport>,
}

/// Why an install failed. Every variant leaves the store as it was.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error(transparent)]
    Tool(#[from] ToolError),
    #[error(transparent)]
    Github(#[from] GithubError),
    #[error(transparent)]
    Lookup(#[from] LookupError),
    #[error(transparent)]
    Select(#[from] SelectError),
    #[error("cannot install `{}`", untrusted(asset))]
    Download {
        asset: String,
        #[source]
        source: DownloadError,
    },
    #[error(transparent)]
    Verify(#[from] VerifyError),
    #[error("cannot unpack `{}`", untrusted(asset))]
    Extract {
        asset: String,
        #[source]
        source: ExtractError,
    },
    #[error(
        "`{}` cannot be verified: the release publishes no digest and no checksum file toolget can check for it",
        untrusted(asset)
    )]
    Unverifiable { asset: String },
    #[error("cannot read checksum file `{}`", untrusted(file))]
    ChecksumFile {
        file: String,
        #[source]
        source: DownloadError,
    },
    #[error(
        "`{}` holds no `{}`, only `{}`, which is a different program with an extra word in its name",
        untrusted(asset),
        untrusted(wanted),
        untrusted(found)
    )]
    DecoyOnly {
        asset: String,
        wanted: String,
        found: String,
    },
    #[error(transparent)]
    Mirror(#[from] MirrorError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "the release's {what} `{}` cannot become a file name: {reason}",
        untrusted(value)
    )]
    UnsafeName {
        what: &'static str,
        value: String,
        reason: &'static str,
    },
    #[error("cannot prepare `{path}`")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Diagnostic for InstallError {
    /// The wrapped error's kind where there is one (same vocabulary as `resolve --json`).
    fn kind(&self) -> ErrorKind {
        match self {
            InstallError::Tool(e) => e.kind(),
            InstallError::Github(e) => e.kind(),
            InstallError::Lookup(e) => e.kind(),
            InstallError::Select(e) => e.kind(),
            InstallError::Download { source, .. } | InstallError::ChecksumFile { source, .. } => {
                source.kind()
            }
            InstallError::Verify(e) => e.kind(),
            InstallError::Extract { source, .. } => source.kind(),
            InstallError::Unverifiable { .. } => ErrorKind::VerificationFailed,
            InstallError::DecoyOnly { .. } => ErrorKind::ExeNotFound,
            InstallError::Mirror(e) => e.kind(),
            InstallError::Store(StoreError::BinOwned { .. } | StoreError::BinOccupied { .. }) => {
                ErrorKind::BinConflict
            }
            InstallError::UnsafeName { .. } => ErrorKind::UnsafeRelease,
            InstallError::Store(_) | InstallError::Io { .. } => ErrorKind::Io,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            InstallError::Tool(e) => e.hint(),
            InstallError::Github(e) => e.hint(),
            InstallError::Lookup(e) => e.hint(),
            InstallError::Select(e) => e.hint(),
            InstallError::Download { source, .. } | InstallError::ChecksumFile { source, .. } => {
                source.hint()
            }
            InstallError::Verify(e) => e.hint(),
            InstallError::Extract { source, .. } => source.hint(),
            InstallError::Unverifiable { .. } => Some(
                "drop --require-verified (or TOOLGET_REQUIRE_VERIFIED) to install it unverified, \
                 or pin its sha256 in toolget.lock"
                    .into(),
            ),
            InstallError::DecoyOnly { found, .. } => Some(format!(
                "if `{found}` really is what you want, ask for it by name: `[exe={found}]`",
                found = untrusted(found)
            )),
            InstallError::Mirror(e) => e.hint(),
            InstallError::Store(e) => e.hint(),
            InstallError::UnsafeName { .. } => Some(
                "the release names are hostile or broken; report it to the project, or pin \
                 another version"
                    .into(),
            ),
            InstallError::Io { .. } => None,
        }
    }
}

/// Installs tools into one store.
pub struct Installer<'a> {
    store: &'a Store,
    cache: Option<Cache>,
    config: InstallerConfig,
    reporter: &'a dyn Reporter,
    /// Hosts already told that the token is withheld from them (said once per run).
    withheld_told: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl std::fmt::Debug for Installer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Installer")
            .field("store", &self.store.root())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<'a> Installer<'a> {
    /// The store this installer installs into.
    pub fn store(&self) -> &'a Store {
        self.store
    }

    pub fn new(
        store: &'a Store,
        cache_dir: Option<PathBuf>,
        config: InstallerConfig,
        reporter: &'a dyn Reporter,
    ) -> Installer<'a> {
        Installer {
            store,
            cache: cache_dir.map(Cache::new),
            config,
            reporter,
            withheld_told: std::sync::Mutex::default(),
        }
    }

    /// A GitHub client for a tool (its `api_url` wins), built only when the network is needed:
    /// a no-op reinstall must not pay for TLS setup. An `api_url` from a spec, project file or
    /// registry entry gets a token only where the environment allows it
    /// ([`crate::github::TokenPolicy`]); when one is withheld the user is told, once.
    fn client(&self, api_url: Option<&str>) -> Result<GithubClient, GithubError> {
        let options = match api_url {
            None => self.config.github.clone(),
            Some(url) => {
                let (options, withheld) = self.config.github.for_api_url(url);
                if let Some(withheld) = withheld
                    && self
                        .withheld_told
                        .lock()
                        .is_ok_and(|mut told| told.insert(withheld.host.clone()))
                {
                    self.reporter.warn(&withheld.to_string());
                }
                options
            }
        };
        GithubClient::new(options)
    }

    /// A downloader on `client`'s connections, with the retry policy and download deadline
    /// of the configuration.
    fn downloader(&self, client: &GithubClient) -> Downloader {
        Downloader::new(client.http().clone(), self.config.github.retry.clone())
            .with_deadline(self.config.github.http.download_deadline)
    }

    /// Install one spec for one platform: plan, prepare, commit.
    pub fn install(&self, spec: &ToolSpec, platform: &Platform) -> Result<Outcome, InstallError> {
        let _ = self.store.sweep(STALE_STAGING);
        let tool = Tool::from_spec(spec, &self.config.registry)?;
        let id = tool.id();
        // An exact version that is installed needs no network at all.
        if let VersionSpec::Exact(exact) = &spec.version
            && !self.config.force
        {
            let version = version::version_from_tag(exact, &tool.tag_names());
            if let Some(outcome) = self.already_installed(&spec.raw, &id, &version, platform)? {
                return Ok(outcome);
            }
        }
        let client = self.client(tool.options.api_url.as_deref())?;
        let plan = self.plan_with(&client, spec, &tool, platform)?;
        if !self.config.force
            && let Some(outcome) =
                self.already_installed(&spec.raw, &plan.id, &plan.version, &plan.platform)?
        {
            return Ok(outcome);
        }
        self.install_plan(&plan, Some(&client))
    }

    /// Install a plan: prepare and commit it. No GitHub API request is made here (the asset
    /// URL may still be on GitHub's download host). `client` is reused when the caller has one.
    pub fn install_plan(
        &self,
        plan: &Plan,
        client: Option<&GithubClient>,
    ) -> Result<Outcome, InstallError> {
        let store = self.shelf(&plan.platform)?;
        let lock = store.lock(&plan.id)?;
        if store.foreign_platform().is_none() {
            self.move_foreign_builds_apart(&store, &lock, &plan.id)?;
        }
        // Another process may have installed it while we waited for the lock.
        if !self.config.force && self.installed_for(&store, &plan.id, &plan.version, &plan.platform)
        {
            drop(lock);
            if let Some(outcome) =
                self.already_installed(&plan.spec, &plan.id, &plan.version, &plan.platform)?
            {
                return Ok(outcome);
            }
            return Err(InstallError::Store(StoreError::NotInstalled {
                id: plan.id.to_string(),
                version: Some(plan.version.clone()),
            }));
        }
        let prepared = self.prepare(plan, client)?;
        self.commit(&store, &lock, plan, prepared)
    }

    /// Whether `platform` is this machine's: same OS and architecture as the host (any libc:
    /// a musl build runs on a glibc host). An unknown host makes every platform native.
    pub fn is_native(&self, platform: &Platform) -> bool {
        runs_on_host(self.config.host.as_ref(), platform)
    }

    /// The store shelf for builds of `platform`: the host's, or that platform's own.
    pub fn shelf(&self, platform: &Platform) -> Result<Store, InstallError> {
        if self.is_native(platform) {
            Ok(self.store.host())
        } else {
            Ok(self.store.foreign(&platform.to_string())?)
        }
    }

    /// Builds for other platforms that an older toolget left on the host's shelf (it did not
    /// key the store by platform) move to their own shelves, and their links go.
    fn move_foreign_builds_apart(
        &self,
        host: &Store,
        lock: &crate::store::ToolLock,
        id: &ToolId,
    ) -> Result<(), InstallError> {
        for installed in host.installed_versions(id)? {
            let Ok(platform) = installed.receipt.platform.parse::<Platform>() else {
                continue;
            };
            if self.is_native(&platform) {
                continue;
            }
            let shelf = self.store.foreign(&platform.to_string())?;
            host.move_to_shelf(lock, id, &installed.version, &shelf)?;
            self.reporter.note(&format!(
                "moved {id} {} for {platform} out of this machine's tools (builds for other \
                 platforms are kept apart and not linked)",
                installed.version
            ));
        }
        Ok(())
    }

    /// Whether `version` of `id` is installed on `store` *for `platform`*: a build for another
    /// platform (another libc, or one an older toolget put on the host's shelf) is not.
    fn installed_for(
        &self,
        store: &Store,
        id: &ToolId,
        version: &str,
        platform: &Platform,
    ) -> bool {
        store
            .read_receipt(id, version)
            .is_ok_and(|receipt| receipt.platform == platform.to_string())
    }
}

#[cfg(test)]
// A failed unwrap is a failed test, with the value in the message.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::Receipt;

    fn receipt(version: &str) -> Receipt {
        Receipt {
            spec: "acme/tool".into(),
            repo: "acme/tool".into(),
            tag: format!("v{version}"),
            version: version.into(),
            platform: "linux-x86_64-gnu".into(),
            asset: format!("tool-{version}.tar.gz"),
            url: "http://127.0.0.1:9/tool.tar.gz".into(),
            size: 1,
            sha256: "ab".repeat(32),
            verified: Verification::GithubDigest,
            verified_with: None,
            exe: vec!["tool".into()],
            files: vec!["bin/tool".into()],
            installed_at: "2025-01-01T00:00:00Z".into(),
            toolget_version: "0.1.0".into(),
            extract_all: false,
        }
    }

    /// Put `version` in the store the way an install leaves it, minus the links.
    fn commit(store: &Store, id: &ToolId, version: &str) {
        let lock = store.lock(id).unwrap();
        let staging = store.staging().unwrap();
        std::fs::create_dir_all(staging.path().join("bin")).unwrap();
        std::fs::write(staging.path().join("bin/tool"), version).unwrap();
        store
            .commit(&lock, staging, id, version, &receipt(version), false)
            .unwrap();
    }

    fn installer(store: &Store) -> Installer<'_> {
        let config = InstallerConfig {
            github: ClientOptions::default(),
            require_verified: false,
            force: false,
            insecure: false,
            max_unpacked_bytes: crate::extract::DEFAULT_MAX_UNPACKED_BYTES,
            registry: Arc::new(Registry::empty()),
            host: None,
            mirrors: Mirrors::default(),
        };
        Installer::new(store, None, config, &Silent)
    }

    fn linux() -> Platform {
        "linux-x86_64-gnu".parse().unwrap()
    }

    fn linked(store: &Store) -> String {
        std::fs::read_to_string(store.bin_dir().join("tool")).unwrap()
    }

    #[test]
    fn an_installed_version_is_linked_and_activated_whatever_was_there() {
        let home = tempfile::tempdir().unwrap();
        let store = Store::open(home.path().join("home")).unwrap();
        let id = ToolId::new("acme", "tool");
        commit(&store, &id, "1.0.0");
        commit(&store, &id, "1.1.0");
        let installer = installer(&store);
        let reinstall = |version: &str| {
            installer
                .already_installed("acme/tool", &id, version, &linux())
                .unwrap()
                .unwrap()
        };

        // Nothing linked yet: the reinstall links it.
        let outcome = reinstall("1.0.0");
        assert_eq!(outcome.status, Status::AlreadyInstalled);
        assert_eq!(linked(&store), "1.0.0");
        assert_eq!(store.active_version(&id).as_deref(), Some("1.0.0"));
        assert_eq!(
            outcome.executables[0].link,
            Some(store.bin_dir().join("tool"))
        );

        // Everything in place: same outcome, links untouched.
        let again = reinstall("1.0.0");
        assert_eq!(again.executables[0].link, outcome.executables[0].link);
        assert_eq!(again.executables[0].path, outcome.executables[0].path);
        assert_eq!(linked(&store), "1.0.0");

        // Another version was active: switch back to this one.
        reinstall("1.1.0");
        assert_eq!(linked(&store), "1.1.0");
        reinstall("1.0.0");
        assert_eq!(linked(&store), "1.0.0");
        assert_eq!(store.active_version(&id).as_deref(), Some("1.0.0"));

        // The link was removed, or points elsewhere, while `.active` still names the version.
        std::fs::remove_file(store.bin_dir().join("tool")).unwrap();
        reinstall("1.0.0");
        assert_eq!(linked(&store), "1.0.0");
        #[cfg(unix)]
        {
            std::fs::remove_file(store.bin_dir().join("tool")).unwrap();
            let other = store.version_dir(&id, "1.1.0").unwrap().join("bin/tool");
            std::os::unix::fs::symlink(other, store.bin_dir().join("tool")).unwrap();
            reinstall("1.0.0");
            assert_eq!(linked(&store), "1.0.0");
        }
    }
}
