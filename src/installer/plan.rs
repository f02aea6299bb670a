//! Plan: decide *what* to install — the release, the asset for the platform, the executable
//! and what the download must hash to. Talks to the GitHub API (the release, and a checksum
//! file when GitHub publishes no digest) and never to the store; a [`Plan`] read from a lockfile
//! skips this step entirely.

use std::collections::HashMap;

use super::{InstallError, Installer};
use crate::download::{DownloadError, Downloader};
use crate::github::GithubClient;
use crate::lookup::{self, LookupError};
use crate::platform::Platform;
use crate::release::{Asset, Release, RepoId};
use crate::resolver;
use crate::spec::ToolSpec;
use crate::store::ToolId;
use crate::text::untrusted;
use crate::tool::Tool;
use crate::verify::{self, Expected, VerifyError};
use crate::version::{self, VersionSpec};

/// Checksum files are small; a larger one is not a checksum file (docs/install.md).
pub const MAX_CHECKSUM_FILE: u64 = 1 << 20;

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

impl Installer<'_> {
    /// The release `wanted` names, trying the tag spelling remembered in the cache directory
    /// first (and remembering the one found); no cache directory (`--frozen`), no memory.
    #[allow(clippy::result_large_err)]
    fn find_release(
        &self,
        client: &GithubClient,
        tool: &Tool,
        wanted: &VersionSpec,
    ) -> Result<Release, LookupError> {
        let spellings = self
            .cache
            .as_ref()
            .map(|c| crate::facts::TagSpellings::new(c.dir()));
        lookup::find_release_with(
            client,
            &tool.repo,
            wanted,
            &tool.tag_names(),
            spellings.as_ref(),
        )
    }

    /// Decide what to install (API requests: the release, and a checksum file when GitHub
    /// publishes no digest). Used by `install` and by `toolget lock`.
    pub fn plan(&self, spec: &ToolSpec, platform: &Platform) -> Result<Plan, InstallError> {
        let tool = Tool::from_spec(spec, &self.config.registry)?;
        let client = self.client(tool.options.api_url.as_deref())?;
        self.plan_with(&client, spec, &tool, platform)
    }

    pub(super) fn plan_with(
        &self,
        client: &GithubClient,
        spec: &ToolSpec,
        tool: &Tool,
        platform: &Platform,
    ) -> Result<Plan, InstallError> {
        let wanted = tool.lookup_version(&spec.version);
        let release = self.find_release(client, tool, &wanted)?;
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
        let release = self.find_release(&client, &tool, &wanted)?;
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
        let mut criteria = tool.criteria_for(platform, Some(&version))?;
        // This machine's glibc version and CPU level settle glibc and x86-64-v* twins; the
        // resolver uses them only when `platform` is this machine.
        if let Ok(host) = crate::platform::detect_host() {
            criteria = criteria.host(crate::platform::HostFacts::detect(host));
        }
        let selection = resolver::select(&release.assets, platform, &criteria)?;
        for warning in &selection.warnings {
            self.reporter.note(&format!("warning: {warning}"));
        }
        let asset = release.assets[selection.index].clone();
        let preferred = tool.checksum_for(&asset.name, &version);
        let expected = self.expected_for(
            client,
            &asset,
            &release.assets,
            preferred.as_deref(),
            checksum_files,
        )?;
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
            extract_all: tool.options.extract_all.unwrap_or(false),
            emulation: selection.emulation,
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
                Err(problem) => self.reporter.warn(&format!(
                    "GitHub's digest for `{}` {problem}; looking for a checksum file instead",
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
                // --insecure: an unusable checksum file is no expectation; the install goes
                // on unverified, with the warning every unverified install gets.
                Err(e) if self.config.insecure && !self.config.require_verified => {
                    self.reporter.warn(&format!("{e}; --insecure: ignoring it"));
                    return Ok(None);
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(None)
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
