//! Orchestration: spec → plan → lock → fetch (stream, hash, extract at once) → verify →
//! commit → link. Progress goes out through [`Reporter`]; nothing here prints.
//!
//! The two halves are separate on purpose: [`Installer::plan`] talks to the GitHub API to
//! decide *what* to install; [`Installer::install_plan`] installs a plan and never calls the
//! API, so a plan read from a lockfile installs with zero API requests.
//!
//! Guarantees (tested in tests/it/install.rs):
//! - nothing becomes visible in the store before it is verified: the archive is extracted into
//!   a staging directory while it downloads, and the staging directory is renamed into place
//!   only after the digest matched;
//! - a failure or interruption at any step leaves the previous install and its links as they
//!   were (links are swapped last, atomically);
//! - two processes installing the same tool take turns on a per-tool lock, and the second
//!   finds the first one's install and does nothing.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::download::{Cache, DownloadError, Downloader, Progress};
use crate::extract::{self, ExeQuery, ExtractError, ExtractOptions, Extracted};
use crate::github::{ClientOptions, GithubClient, GithubError};
use crate::lookup::{self, LookupError};
use crate::platform::{Os, Platform};
use crate::registry::Registry;
use crate::release::{Asset, Release, RepoId};
use crate::resolver::{self, SelectError};
use crate::spec::ToolSpec;
use crate::store::{Receipt, Store, StoreError, ToolId, ToolLock, Verification};
use crate::text::untrusted;
use crate::tool::{Tool, ToolError};
use crate::verify::{self, Expected, VerificationSource, VerifyError};
use crate::version::{self, VersionSpec};

/// Where progress and notes go. The CLI draws bars; tests and the mise plugin stay quiet.
pub trait Reporter: Progress {
    /// A one-line note for the user (already installed, unverified, emulation, …).
    fn note(&self, text: &str);
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
const STALE_STAGING: Duration = Duration::from_secs(6 * 3600);
/// Checksum files are small; a larger one is not a checksum file (docs/install.md).
pub const MAX_CHECKSUM_FILE: u64 = 1 << 20;

/// Settings for one installer.
#[derive(Debug, Clone)]
pub struct InstallerConfig {
    pub github: ClientOptions,
    /// Refuse what cannot be verified (`--require-verified`, `TOOLGET_REQUIRE_VERIFIED=1`).
    pub require_verified: bool,
    /// Reinstall even when the version is installed (`--force`).
    pub force: bool,
    /// Cap on the bytes one archive may unpack to.
    pub max_unpacked_bytes: u64,
    /// Names, identities and hints for specs (loaded once, by the caller).
    pub registry: Arc<Registry>,
}

/// Everything needed to install one tool version for one platform, decided in advance.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The spec as typed (kept in the receipt).
    pub spec: String,
    pub id: ToolId,
    pub repo: RepoId,
    pub tag: String,
    pub version: String,
    pub platform: Platform,
    pub asset: Asset,
    /// What the download must hash to; `None` when nothing can verify it.
    pub expected: Option<Expected>,
    /// The executable to take from the archive (without `.exe`).
    pub exe: String,
    /// Whether the user named the executable (`exe=`), rather than it being the default.
    pub exe_explicit: bool,
    pub extract_all: bool,
    /// The asset's name family (e.g. `gh` for `gh_2.40.0_linux_amd64.tar.gz`).
    pub family: Option<String>,
    /// Set when the build runs under emulation on this platform.
    pub emulation: Option<&'static str>,
}

/// One platform's outcome in [`Installer::plan_platforms`].
pub type PlatformPlan = (Platform, Result<Plan, InstallError>);

/// What [`Installer::hash_asset`] learned by downloading an asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hashed {
    pub sha256: String,
    pub size: u64,
    /// Whether the download is now in the cache.
    pub cached: bool,
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
    /// The link in `$TOOLGET_HOME/bin`.
    pub link: PathBuf,
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
    #[error("store error")]
    Store(#[from] StoreError),
    #[error("cannot prepare `{path}`")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl InstallError {
    /// Machine-readable kind (same vocabulary as `resolve --json`).
    pub fn kind(&self) -> &'static str {
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
            InstallError::Unverifiable { .. } => "verification_failed",
            InstallError::DecoyOnly { .. } => "exe_not_found",
            InstallError::Store(_) | InstallError::Io { .. } => "io",
        }
    }

    pub fn hint(&self) -> Option<String> {
        match self {
            InstallError::Tool(e) => e.hint(),
            InstallError::Github(e) => e.hint(),
            InstallError::Lookup(e) => e.hint(),
            InstallError::Select(e) => Some(e.hint()),
            InstallError::Download { source, .. } | InstallError::ChecksumFile { source, .. } => {
                source.hint().map(str::to_string)
            }
            InstallError::Verify(e) => e.hint().map(str::to_string),
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
            InstallError::Store(e) => e.hint(),
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
            withheld_told: Default::default(),
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
                        .map(|mut told| told.insert(withheld.host.clone()))
                        .unwrap_or(false)
                {
                    self.reporter.note(&withheld.to_string());
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

    /// Install one spec for one platform.
    pub fn install(&self, spec: &ToolSpec, platform: &Platform) -> Result<Outcome, InstallError> {
        let _ = self.store.sweep(STALE_STAGING);
        let tool = Tool::from_spec(spec, &self.config.registry)?;
        let id = tool.id();
        // An exact version that is installed needs no network at all.
        if let VersionSpec::Exact(exact) = &spec.version
            && !self.config.force
        {
            let version = version::version_from_tag(exact, &tool.tag_names());
            if let Some(outcome) = self.already_installed(&spec.raw, &id, &version)? {
                return Ok(outcome);
            }
        }
        let client = self.client(tool.options.api_url.as_deref())?;
        let plan = self.plan_with(&client, spec, &tool, platform)?;
        if !self.config.force
            && let Some(outcome) = self.already_installed(&spec.raw, &plan.id, &plan.version)?
        {
            return Ok(outcome);
        }
        self.install_plan(&plan, Some(&client))
    }

    /// Decide what to install (API requests: the release, and a checksum file when GitHub
    /// publishes no digest). Used by `install` and by `toolget lock`.
    pub fn plan(&self, spec: &ToolSpec, platform: &Platform) -> Result<Plan, InstallError> {
        let tool = Tool::from_spec(spec, &self.config.registry)?;
        let client = self.client(tool.options.api_url.as_deref())?;
        self.plan_with(&client, spec, &tool, platform)
    }

    fn plan_with(
        &self,
        client: &GithubClient,
        spec: &ToolSpec,
        tool: &Tool,
        platform: &Platform,
    ) -> Result<Plan, InstallError> {
        let wanted = tool.lookup_version(&spec.version);
        let (release, _skipped) =
            lookup::find_release_serving(client, &tool.repo, &wanted, &tool.tag_names(), &|r| {
                tool.serves(r, platform)
            })?;
        self.plan_for_release(client, spec, tool, &release, platform, &mut HashMap::new())
    }

    /// Plans for several platforms from ONE release lookup (`toolget lock`): the outer error
    /// is about the tool or its release (not found, rate limited); each platform then has its
    /// own result, so a platform the release does not serve does not sink the others. A
    /// combined checksum file is fetched once, not once per platform.
    pub fn plan_platforms(
        &self,
        spec: &ToolSpec,
        platforms: &[Platform],
    ) -> Result<Vec<PlatformPlan>, InstallError> {
        let tool = Tool::from_spec(spec, &self.config.registry)?;
        // Fail on a bad option before any request.
        if let Some(platform) = platforms.first() {
            tool.criteria_for(platform, None)?;
        }
        let client = self.client(tool.options.api_url.as_deref())?;
        let wanted = tool.lookup_version(&spec.version);
        let (release, _skipped) =
            lookup::find_release_serving(&client, &tool.repo, &wanted, &tool.tag_names(), &|r| {
                platforms.iter().any(|p| tool.serves(r, p))
            })?;
        let mut checksum_files = HashMap::new();
        Ok(platforms
            .iter()
            .map(|platform| {
                let plan = self.plan_for_release(
                    &client,
                    spec,
                    &tool,
                    &release,
                    platform,
                    &mut checksum_files,
                );
                (*platform, plan)
            })
            .collect())
    }

    fn plan_for_release(
        &self,
        client: &GithubClient,
        spec: &ToolSpec,
        tool: &Tool,
        release: &Release,
        platform: &Platform,
        checksum_files: &mut HashMap<String, String>,
    ) -> Result<Plan, InstallError> {
        let names = tool.tag_names();
        let version = version::version_from_tag(&release.tag, &names);
        let criteria = tool.criteria_for(platform, Some(&version))?;
        let selection = resolver::select(&release.assets, platform, &criteria)?;
        let asset = release.assets[selection.index].clone();
        let preferred = tool.checksum_for(&asset.name, &version);
        let expected = self.expected_for(
            client,
            &asset,
            &release.assets,
            preferred.as_deref(),
            checksum_files,
        )?;
        let extract_all = tool.extract_all_for(Some(&version));
        Ok(Plan {
            spec: spec.raw.clone(),
            id: tool.id(),
            repo: tool.repo.clone(),
            version,
            tag: release.tag.clone(),
            platform: *platform,
            family: resolver::name_family(&asset.name),
            asset,
            expected,
            exe: tool.exe.clone(),
            exe_explicit: tool.exe_explicit,
            extract_all,
            emulation: selection.emulation,
        })
    }

    /// Download a planned asset only to learn its sha256 (`toolget lock`, for an asset with
    /// neither a GitHub digest nor a checksum file, or with only a sha512). The body streams
    /// to a temp file while it is hashed — never held in memory — and lands in the download
    /// cache under its sha256, so a later install of the same bytes downloads nothing. A
    /// sha512 the release does publish is still checked. No GitHub API request is made.
    pub fn hash_asset(&self, plan: &Plan) -> Result<Hashed, InstallError> {
        let client = self.client(None)?;
        let downloader = self.downloader(&client);
        let temp = match &self.cache {
            // In the cache directory, so that filling the cache is a rename, not a copy.
            Some(cache) => std::fs::create_dir_all(cache.dir())
                .and_then(|()| tempfile::NamedTempFile::new_in(cache.dir())),
            None => tempfile::NamedTempFile::new(),
        }
        .map_err(|source| InstallError::Io {
            path: self
                .cache
                .as_ref()
                .map(|c| c.dir().to_path_buf())
                .unwrap_or_else(std::env::temp_dir),
            source,
        })?;
        let mut file = temp.reopen().map_err(|source| InstallError::Io {
            path: temp.path().to_path_buf(),
            source,
        })?;
        let asset = plan.asset.clone();
        let fetched = downloader
            .download_to(
                &|| client.asset_request(&asset),
                &asset.name,
                Some(asset.size),
                &mut file,
                self.reporter,
            )
            .map_err(|source| InstallError::Download {
                asset: asset.name.clone(),
                source,
            })?;
        if let Some(expected) = &plan.expected
            && expected.algorithm == verify::Algorithm::Sha512
        {
            let sha512 = sha512_of(temp.path()).map_err(|source| InstallError::Io {
                path: temp.path().to_path_buf(),
                source,
            })?;
            verify::check(&asset.name, expected, &fetched.sha256, Some(&sha512))?;
        }
        let cached = match &self.cache {
            // Only saves a later download; failing to fill the cache is not a failure.
            Some(cache) => cache.put(temp.path(), &fetched.sha256).is_ok(),
            None => false,
        };
        Ok(Hashed {
            sha256: fetched.sha256,
            size: fetched.size,
            cached,
        })
    }

    /// What the asset must hash to: GitHub's digest, else a checksum file of the release
    /// (`preferred`, the registry's name for it, first). `checksum_files` remembers checksum
    /// files already read (name → text).
    fn expected_for(
        &self,
        client: &GithubClient,
        asset: &Asset,
        assets: &[Asset],
        preferred: Option<&str>,
        checksum_files: &mut HashMap<String, String>,
    ) -> Result<Option<Expected>, InstallError> {
        if let Some(digest) = asset.digest.as_deref() {
            match verify::parse_digest(digest) {
                Ok(expected) => return Ok(Some(expected)),
                // Never "publishes no digest": say what was published, then try the
                // release's checksum files.
                Err(problem) => self.reporter.note(&format!(
                    "warning: GitHub's digest for `{}` {problem}; looking for a checksum file instead",
                    untrusted(&asset.name)
                )),
            }
        }
        let downloader = self.downloader(client);
        let mut candidates = verify::checksum_candidates(&asset.name, assets);
        if let Some(named) = preferred.and_then(|n| assets.iter().find(|a| a.name == n)) {
            candidates.retain(|c| c.name != named.name);
            candidates.insert(0, named);
        }
        for candidate in candidates {
            if !checksum_files.contains_key(&candidate.name) {
                let body = read_small(&downloader, client, candidate).map_err(|source| {
                    InstallError::ChecksumFile {
                        file: candidate.name.clone(),
                        source,
                    }
                })?;
                checksum_files.insert(candidate.name.clone(), body);
            }
            let body = checksum_files
                .get(&candidate.name)
                .map(String::as_str)
                .unwrap_or_default();
            match verify::parse_checksum(body, &asset.name, &candidate.name) {
                Ok(expected) => return Ok(Some(expected)),
                // A combined checksum file that does not list this asset: try the next one.
                Err(VerifyError::NotListed { .. }) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Ok(None)
    }

    /// The outcome for a version already in the store (making it the active one), if it is.
    fn already_installed(
        &self,
        spec: &str,
        id: &ToolId,
        version: &str,
    ) -> Result<Option<Outcome>, InstallError> {
        if !self.store.is_installed(id, version) {
            return Ok(None);
        }
        let receipt = self.store.read_receipt(id, version)?;
        let dir = self.store.version_dir(id, version)?;
        let lock = self.store.lock(id)?;
        let executables = self.link(&lock, id, version, &dir, &receipt)?;
        // No note here: the outcome's status says "already installed" (and the CLI prints it).
        Ok(Some(outcome_from(
            self.store,
            spec,
            id,
            &receipt,
            dir,
            executables,
            Status::AlreadyInstalled,
            None,
        )))
    }

    /// Install a plan: no GitHub API request is made here (the asset URL may still be on
    /// GitHub's download host). `client` is reused when the caller has one.
    pub fn install_plan(
        &self,
        plan: &Plan,
        client: Option<&GithubClient>,
    ) -> Result<Outcome, InstallError> {
        let lock = self.store.lock(&plan.id)?;
        // Another process may have installed it while we waited for the lock.
        if !self.config.force && self.store.is_installed(&plan.id, &plan.version) {
            drop(lock);
            if let Some(outcome) = self.already_installed(&plan.spec, &plan.id, &plan.version)? {
                return Ok(outcome);
            }
            return Err(InstallError::Store(StoreError::NotInstalled {
                id: plan.id.to_string(),
                version: Some(plan.version.clone()),
            }));
        }
        if plan.expected.is_none() {
            if self.config.require_verified {
                return Err(InstallError::Unverifiable {
                    asset: plan.asset.name.clone(),
                });
            }
            self.reporter.note(&format!(
                "warning: {} publishes no digest or checksum file toolget can check for `{}`; \
                 installing it unverified",
                plan.repo,
                untrusted(&plan.asset.name)
            ));
        }
        let owned_client;
        let client = match client {
            Some(c) => c,
            None => {
                owned_client = self.client(None)?;
                &owned_client
            }
        };
        let staged = self.fetch_and_extract(plan, client)?;
        let (verification, verified_with) = match &plan.expected {
            Some(e) => source_to_receipt(&e.source),
            None => (Verification::Unverified, None),
        };
        let receipt = Receipt {
            spec: plan.spec.clone(),
            repo: plan.repo.to_string(),
            tag: plan.tag.clone(),
            version: plan.version.clone(),
            platform: plan.platform.to_string(),
            asset: plan.asset.name.clone(),
            url: plan.asset.download_url.clone(),
            size: staged.size,
            sha256: staged.sha256.clone(),
            verified: verification,
            verified_with,
            exe: vec![staged.exe_name.clone()],
            files: staged.files.clone(),
            installed_at: crate::store::now_rfc3339(),
            toolget_version: env!("CARGO_PKG_VERSION").to_string(),
            extract_all: plan.extract_all,
        };
        let dir = self.store.commit(
            &lock,
            staged.staging,
            &plan.id,
            &plan.version,
            &receipt,
            self.config.force,
        )?;
        if let (Some(cache), Some(download)) = (&self.cache, &staged.download) {
            // The cache only saves a later download; failing to fill it is not an install failure.
            let _ = cache.put(download.path(), &staged.sha256);
        }
        let executables = self.link(&lock, &plan.id, &plan.version, &dir, &receipt)?;
        Ok(outcome_from(
            self.store,
            &plan.spec,
            &plan.id,
            &receipt,
            dir,
            executables,
            Status::Installed,
            plan.emulation,
        ))
    }

    /// Point `bin/<exe>` at this version and make it the active one.
    ///
    /// What is already so is left alone: a no-op reinstall finds the version active and every
    /// link in place, and rewriting them would cost an fsync each (milliseconds on a busy
    /// disk, against a budget of 10 ms for the whole command).
    fn link(
        &self,
        lock: &ToolLock,
        id: &ToolId,
        version: &str,
        dir: &Path,
        receipt: &Receipt,
    ) -> Result<Vec<Executable>, InstallError> {
        let active = self.store.active_version(id).as_deref() == Some(version);
        let mut executables = Vec::new();
        for exe in &receipt.exe {
            let path = find_in_receipt(dir, receipt, exe);
            let link = match self.existing_link(exe, &path) {
                Some(link) if active => link,
                _ => self.store.link_bin(exe, &path)?,
            };
            executables.push(Executable {
                name: exe.clone(),
                path,
                link,
            });
        }
        if !active {
            self.store.set_active(lock, id, version)?;
        }
        Ok(executables)
    }

    /// `bin/<exe>` when it is already the link [`Store::link_bin`] would make to `target`
    /// (the same relative path, not merely the same file).
    fn existing_link(&self, exe: &str, target: &Path) -> Option<PathBuf> {
        let inside = target.strip_prefix(self.store.root()).ok()?;
        let link = self.store.bin_dir().join(exe);
        let current = std::fs::read_link(&link).ok()?;
        (current == Path::new("..").join(inside)).then_some(link)
    }

    /// Download (or take from the cache), hash and extract into a staging directory, then
    /// verify; retried from scratch on a transient failure mid-body.
    // InstallError is large; it is boxed nowhere else either.
    #[allow(clippy::result_large_err)]
    fn fetch_and_extract(
        &self,
        plan: &Plan,
        client: &GithubClient,
    ) -> Result<Staged, InstallError> {
        // One retry loop for the whole step: each attempt opens the body once (no retries
        // nested inside), downloads and extracts; a cut body starts over.
        let downloader = self.downloader(client).single_attempt();
        if let (Some(cache), Some(expected)) = (&self.cache, &plan.expected)
            && expected.algorithm == verify::Algorithm::Sha256
            && let Some(cached) = cache.get(&expected.hex)
        {
            return self.extract_cached(plan, &cached, expected);
        }
        let host = reqwest::Url::parse(&plan.asset.download_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        self.config
            .github
            .retry
            .run(&host, |_| {
                self.fetch_once(plan, client, &downloader)
                    .map_err(|error| crate::http::Failed {
                        cause: match &error {
                            InstallError::Download { source, .. } => source.retry_cause(),
                            _ => None,
                        },
                        error,
                        retry_after: None,
                    })
            })
            .map_err(|gave_up| match gave_up.error {
                InstallError::Download { asset, source } if gave_up.attempts > 1 => {
                    InstallError::Download {
                        source: crate::download::gave_up_error(
                            &asset,
                            crate::http::GaveUp {
                                error: source,
                                attempts: gave_up.attempts,
                                elapsed: gave_up.elapsed,
                            },
                        ),
                        asset,
                    }
                }
                other => other,
            })
    }

    fn fetch_once(
        &self,
        plan: &Plan,
        client: &GithubClient,
        downloader: &Downloader,
    ) -> Result<Staged, InstallError> {
        let name = &plan.asset.name;
        let download_err = |source| InstallError::Download {
            asset: name.clone(),
            source,
        };
        let tee = self.store.temp_file()?;
        let tee_file = tee
            .as_file()
            .try_clone()
            .map_err(|source| InstallError::Io {
                path: tee.path().to_path_buf(),
                source,
            })?;
        let asset = plan.asset.clone();
        let body = downloader
            .open(&|| client.asset_request(&asset), name, Some(asset.size))
            .map_err(download_err)?;
        let mut reader = body.into_reader(Some(tee_file), self.reporter);
        if plan.expected.as_ref().map(|e| e.algorithm) == Some(verify::Algorithm::Sha512) {
            reader = reader.with_sha512();
        }
        let staging = self.store.staging()?;
        let unpack = self.store.staging()?;
        let options = self.extract_options(plan);
        // Receiving and hashing run on a thread of their own, inflating and writing on this one.
        let (extracted, fetched) = reader
            .finish_while(|bytes| extract::extract_stream(name, bytes, unpack.path(), &options));
        // The hash covers every byte, whatever extraction left unread; a cut body shows up here
        // with its real cause even when extraction only saw "unexpected end of file". When
        // extraction refused the archive, reading stopped at once and its error is the one.
        let extract_err = |source| InstallError::Extract {
            asset: name.clone(),
            source,
        };
        let fetched = match fetched {
            Err(DownloadError::Abandoned { .. }) => {
                return Err(match extracted {
                    Err(source) => extract_err(source),
                    Ok(_) => download_err(DownloadError::Abandoned {
                        name: name.clone(),
                        got: 0,
                    }),
                });
            }
            other => other.map_err(download_err)?,
        };
        let extracted = extracted.map_err(extract_err)?;
        if let Some(expected) = &plan.expected {
            verify::check(name, expected, &fetched.sha256, fetched.sha512.as_deref())?;
        }
        let (exe_name, files) = self.arrange(plan, &extracted, unpack.path(), staging.path())?;
        Ok(Staged {
            staging,
            sha256: fetched.sha256,
            size: fetched.size,
            exe_name,
            files,
            download: Some(tee),
        })
    }

    fn extract_cached(
        &self,
        plan: &Plan,
        cached: &Path,
        expected: &Expected,
    ) -> Result<Staged, InstallError> {
        let name = &plan.asset.name;
        let staging = self.store.staging()?;
        let unpack = self.store.staging()?;
        let extracted =
            extract::extract_file(name, cached, unpack.path(), &self.extract_options(plan))
                .map_err(|source| InstallError::Extract {
                    asset: name.clone(),
                    source,
                })?;
        let size = std::fs::metadata(cached).map(|m| m.len()).unwrap_or(0);
        let (exe_name, files) = self.arrange(plan, &extracted, unpack.path(), staging.path())?;
        self.reporter
            .note(&format!("using cached download of `{}`", untrusted(name)));
        Ok(Staged {
            staging,
            sha256: expected.hex.clone(),
            size,
            exe_name,
            files,
            download: None,
        })
    }

    fn extract_options(&self, plan: &Plan) -> ExtractOptions {
        let mut options =
            ExtractOptions::new(format!("{}{}", plan.exe, plan.platform.exe_suffix()));
        options.max_unpacked_bytes = self.config.max_unpacked_bytes;
        options
    }

    /// Lay the staging directory out as the version directory will be: the whole archive tree
    /// with `extract_all`, else just `bin/<exe>`. Returns the exe name and the relative files.
    fn arrange(
        &self,
        plan: &Plan,
        extracted: &Extracted,
        unpack: &Path,
        staging: &Path,
    ) -> Result<(String, Vec<String>), InstallError> {
        let query = ExeQuery {
            exe: plan.exe_explicit.then(|| plan.exe.clone()),
            repo: plan.exe.clone(),
            family: plan.family.clone(),
            windows: plan.platform.os == Os::Windows,
        };
        let exe_rel = extract::find_executable(extracted, &query).map_err(|source| {
            InstallError::Extract {
                asset: plan.asset.name.clone(),
                source,
            }
        })?;
        let exe_name = exe_rel
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| plan.exe.clone());
        // With no `exe` given, the archive's only program may still be a decoy
        // (`sccache-dist` where `sccache` was meant): never take it by prefix.
        let stem = exe_name.strip_suffix(".exe").unwrap_or(&exe_name);
        if !plan.exe_explicit && resolver::has_extra_words(stem, &plan.exe) {
            return Err(InstallError::DecoyOnly {
                asset: plan.asset.name.clone(),
                wanted: plan.exe.clone(),
                found: exe_name,
            });
        }
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| InstallError::Io { path, source }
        };
        if plan.extract_all {
            // Move the whole tree into the staging dir (same filesystem: renames).
            let mut files = Vec::new();
            for entry in std::fs::read_dir(unpack).map_err(io(unpack))? {
                let entry = entry.map_err(io(unpack))?;
                let target = staging.join(entry.file_name());
                std::fs::rename(entry.path(), &target).map_err(io(&target))?;
            }
            for file in &extracted.files {
                files.push(file.path.to_string_lossy().into_owned());
            }
            make_executable(&staging.join(&exe_rel)).map_err(io(&staging.join(&exe_rel)))?;
            let exe_rel_text = exe_rel.to_string_lossy().into_owned();
            return Ok((exe_name, reorder_exe_first(files, &exe_rel_text)));
        }
        let bin = staging.join("bin");
        std::fs::create_dir_all(&bin).map_err(io(&bin))?;
        let source = unpack.join(&exe_rel);
        let source = std::fs::canonicalize(&source).map_err(io(&source))?;
        let target = bin.join(&exe_name);
        std::fs::rename(&source, &target).map_err(io(&target))?;
        make_executable(&target).map_err(io(&target))?;
        Ok((exe_name.clone(), vec![format!("bin/{exe_name}")]))
    }
}

/// The result of fetching and extracting, not yet committed.
struct Staged {
    staging: crate::store::Staging,
    sha256: String,
    size: u64,
    exe_name: String,
    files: Vec<String>,
    /// The downloaded archive (for the cache), when it was downloaded.
    download: Option<tempfile::NamedTempFile>,
}

fn reorder_exe_first(mut files: Vec<String>, exe: &str) -> Vec<String> {
    if let Some(pos) = files.iter().position(|f| f == exe) {
        let exe = files.remove(pos);
        files.insert(0, exe);
    }
    files
}

/// Where an executable lives in a version directory: `bin/<exe>`, else the first receipt file
/// with that file name (extract_all installs keep the archive's own layout).
fn find_in_receipt(dir: &Path, receipt: &Receipt, exe: &str) -> PathBuf {
    let in_bin = dir.join("bin").join(exe);
    if !receipt.extract_all {
        return in_bin;
    }
    receipt
        .files
        .iter()
        .find(|f| Path::new(f).file_name().is_some_and(|n| n == exe))
        .map(|f| dir.join(f))
        .unwrap_or(in_bin)
}

#[allow(clippy::too_many_arguments)]
fn outcome_from(
    store: &Store,
    spec: &str,
    id: &ToolId,
    receipt: &Receipt,
    install_dir: PathBuf,
    executables: Vec<Executable>,
    status: Status,
    emulation: Option<&'static str>,
) -> Outcome {
    Outcome {
        spec: spec.to_string(),
        id: id.clone(),
        repo: receipt.repo.clone(),
        tag: receipt.tag.clone(),
        version: receipt.version.clone(),
        platform: receipt.platform.clone(),
        status,
        install_dir,
        bin_dir: store.bin_dir(),
        executables,
        verified: receipt.verified,
        verified_with: receipt.verified_with.clone(),
        asset: receipt.asset.clone(),
        emulation,
    }
}

fn source_to_receipt(source: &VerificationSource) -> (Verification, Option<String>) {
    match source {
        VerificationSource::GithubDigest => (Verification::GithubDigest, None),
        VerificationSource::ChecksumFile { name } => {
            (Verification::ChecksumFile, Some(name.clone()))
        }
        VerificationSource::Lockfile => (Verification::Lockfile, Some("toolget.lock".into())),
        VerificationSource::Unverified => (Verification::Unverified, None),
    }
}

/// Read a small asset (a checksum file) into memory, refusing one over
/// [`MAX_CHECKSUM_FILE`] as soon as it announces or sends more.
fn read_small(
    downloader: &Downloader,
    client: &GithubClient,
    asset: &Asset,
) -> Result<String, DownloadError> {
    let body = downloader.open(
        &|| client.asset_request(asset),
        &asset.name,
        Some(asset.size),
    )?;
    let bytes = body.read_capped(MAX_CHECKSUM_FILE)?;
    // Not UTF-8: not a checksum file we can read; treat it as listing nothing.
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

/// The sha512 of a file, read in [`crate::download::BUFFER_SIZE`] chunks.
fn sha512_of(path: &Path) -> std::io::Result<String> {
    use sha2::Digest;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = sha2::Sha512::new();
    let mut buf = vec![0u8; crate::download::BUFFER_SIZE];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

fn make_executable(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut perms = std::fs::metadata(path)?.permissions();
        perms.set_mode(perms.mode() | 0o755);
        std::fs::set_permissions(path, perms)?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
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
            max_unpacked_bytes: extract::DEFAULT_MAX_UNPACKED_BYTES,
            registry: Arc::new(Registry::empty()),
        };
        Installer::new(store, None, config, &Silent)
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
                .already_installed("acme/tool", &id, version)
                .unwrap()
                .unwrap()
        };

        // Nothing linked yet: the reinstall links it.
        let outcome = reinstall("1.0.0");
        assert_eq!(outcome.status, Status::AlreadyInstalled);
        assert_eq!(linked(&store), "1.0.0");
        assert_eq!(store.active_version(&id).as_deref(), Some("1.0.0"));
        assert_eq!(outcome.executables[0].link, store.bin_dir().join("tool"));

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
