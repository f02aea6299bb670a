//! Prepare: fetch, verify and extract a [`Plan`] into a staging directory of the store — a
//! [`Prepared`] install whose bytes matched their digest and whose receipt is written, but
//! which nothing outside `staging/` can see yet. Makes no GitHub API request (the asset URL may
//! still be on GitHub's download host).

use crate::mirror::{MirrorError, SourceReport, SourceResult, Upstream};
use std::io::Read;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::{InstallError, Installer, Plan};
use crate::download::{DownloadError, Downloader};
use crate::extract::{self, ExeQuery, ExtractOptions, Extracted};
use crate::github::GithubClient;
use crate::platform::Os;
use crate::provenance::fetch as provenance_fetch;
use crate::provenance::{KEPT_BUNDLE, Kind, Status as ProvenanceStatus};
use crate::resolver;
use crate::store::{Receipt, Staging, StoreError, Verification, check_component};
use crate::text::untrusted;
use crate::verify::{self, Expected, VerificationSource};

/// What [`Installer::hash_asset`] learned by downloading an asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hashed {
    pub sha256: String,
    pub size: u64,
    /// Whether the download is now in the cache.
    pub cached: bool,
}

/// A staged, verified install: the files laid out as the version directory will be, in a
/// staging directory of the store, with the receipt that will go with them. Nothing outside
/// `staging/` sees it until [`Installer::commit`]; dropped, it removes itself.
#[derive(Debug)]
pub struct Prepared {
    pub(super) staging: Staging,
    /// What will be recorded: what was resolved, from where, how it was verified.
    pub receipt: Receipt,
    /// The downloaded archive, for the cache (none when it came from the cache).
    pub(super) download: Option<NamedTempFile>,
    /// Where the bytes came from (see [`super::Outcome::sources`]).
    pub sources: Vec<SourceReport>,
}

impl Prepared {
    /// The staging directory holding the files.
    pub fn path(&self) -> &Path {
        self.staging.path()
    }
}

impl Installer<'_> {
    /// Fetch (or take from the cache), hash, extract into staging and verify a plan, and write
    /// its receipt. Refuses, before any download, a plan that cannot be verified under
    /// `require_verified` and names from the release that cannot become file names.
    pub fn prepare(
        &self,
        plan: &Plan,
        client: Option<&GithubClient>,
    ) -> Result<Prepared, InstallError> {
        check_names(plan)?;
        if plan.expected.is_none() {
            if self.config.require_verified {
                return Err(InstallError::Unverifiable {
                    asset: plan.asset.name.clone(),
                });
            }
            self.reporter.warn(&format!(
                "{} publishes no digest or checksum file toolget can check for `{}`; \
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
        // Provenance is checked here, before commit: a failure leaves the store untouched.
        let downloader = self.downloader(client);
        let (provenance, bundle) = provenance_fetch::verify(
            &plan.provenance,
            &plan.asset.name,
            &staged.sha256,
            staged.artifact.as_deref(),
            client,
            &downloader,
            &self.config.trust_roots,
        )?;
        // Kept beside the receipt so `toolget verify` can re-check it offline.
        if let Some(bytes) = bundle
            && provenance.kind != Some(Kind::Minisign)
        {
            let kept = staged.staging.path().join(KEPT_BUNDLE);
            std::fs::write(&kept, bytes).map_err(|source| InstallError::Io {
                path: kept.clone(),
                source,
            })?;
        }
        if provenance.status == ProvenanceStatus::Absent {
            self.reporter.note(&format!(
                "no provenance for `{}` (no attestation, bundle or signature found)",
                untrusted(&plan.asset.name)
            ));
        }
        let file_sha256 =
            crate::store::hash_files(staged.staging.path(), &staged.files).map_err(|source| {
                InstallError::Io {
                    path: staged.staging.path().to_path_buf(),
                    source,
                }
            })?;
        let (verified, verified_with) = match &plan.expected {
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
            sha256: staged.sha256,
            verified,
            verified_with,
            exe: vec![staged.exe_name],
            files: staged.files,
            installed_at: self.store.install_time(),
            toolget_version: env!("CARGO_PKG_VERSION").to_string(),
            extract_all: plan.extract_all,
            file_sha256,
            provenance: Some(provenance),
        };
        Ok(Prepared {
            staging: staged.staging,
            receipt,
            download: staged.download,
            sources: staged.sources,
        })
    }
}

/// The name from the release that becomes a path before anything is downloaded: the version
/// read from the tag names the version directory, so a control character (a newline, an escape
/// sequence) or a second path component in it is refused here. (The asset name never becomes a
/// path — downloads go to temp names and the cache is keyed by sha256 — and is only ever
/// printed escaped; member names are checked as the archive is unpacked.)
fn check_names(plan: &Plan) -> Result<(), InstallError> {
    match check_component("version", &plan.version) {
        Err(StoreError::InvalidName { reason, .. }) => Err(InstallError::UnsafeName {
            what: "version",
            value: plan.version.clone(),
            reason,
        }),
        _ => Ok(()),
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

impl Installer<'_> {
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
                .map_or_else(std::env::temp_dir, |c| c.dir().to_path_buf()),
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
            let sha512 =
                crate::download::hash_file::<sha2::Sha512>(temp.path()).map_err(|source| {
                    InstallError::Io {
                        path: temp.path().to_path_buf(),
                        source,
                    }
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
        let mut sources = self.fetch_from_mirrors(plan, &downloader)?;
        if let Some(staged) = sources.staged.take() {
            return Ok(staged);
        }
        if self.config.mirrors.upstream == Upstream::Never {
            return Err(if plan.expected.is_none() {
                MirrorError::Unverifiable {
                    asset: plan.asset.name.clone(),
                }
            } else {
                MirrorError::NoSource {
                    asset: plan.asset.name.clone(),
                    tried: sources.tried,
                }
            }
            .into());
        }
        let host = reqwest::Url::parse(&plan.asset.download_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        let mut staged = self
            .config
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
            })?;
        sources.tried.push(SourceReport {
            source: "origin".into(),
            result: SourceResult::Served,
        });
        staged.sources = sources.tried;
        Ok(staged)
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
        let reader = body.into_reader(Some(tee_file), self.reporter);
        self.consume(plan, reader, tee, false)
    }

    /// Hash, tee and extract one body into staging, then verify it. `digest_first`: a digest
    /// mismatch is reported before an extraction failure (a mirror's garbage is wrong bytes,
    /// not a broken archive).
    #[allow(clippy::result_large_err)]
    pub(super) fn consume<R: Read + Send>(
        &self,
        plan: &Plan,
        mut reader: crate::download::HashingReader<'_, R>,
        tee: NamedTempFile,
        digest_first: bool,
    ) -> Result<Staged, InstallError> {
        let name = &plan.asset.name;
        let download_err = |source| InstallError::Download {
            asset: name.clone(),
            source,
        };
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
        if digest_first && let Some(expected) = &plan.expected {
            verify::check(name, expected, &fetched.sha256, fetched.sha512.as_deref())?;
        }
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
            artifact: Some(tee.path().to_path_buf()),
            download: Some(tee),
            sources: Vec::new(),
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
        let size = std::fs::metadata(cached).map_or(0, |m| m.len());
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
            artifact: Some(cached.to_path_buf()),
            sources: vec![SourceReport {
                source: "download cache".into(),
                result: SourceResult::Served,
            }],
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
            .map_or_else(|| plan.exe.clone(), |n| n.to_string_lossy().into_owned());
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
pub(super) struct Staged {
    staging: Staging,
    sha256: String,
    size: u64,
    exe_name: String,
    files: Vec<String>,
    /// The downloaded archive (for the cache), when it was downloaded.
    download: Option<NamedTempFile>,
    /// Where the asset's bytes are (the download, or the cache entry), for minisign.
    artifact: Option<PathBuf>,
    /// Where the bytes came from.
    pub(super) sources: Vec<SourceReport>,
}

fn reorder_exe_first(mut files: Vec<String>, exe: &str) -> Vec<String> {
    if let Some(pos) = files.iter().position(|f| f == exe) {
        let exe = files.remove(pos);
        files.insert(0, exe);
    }
    files
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
