//! Where an install's bytes come from besides the origin: each location of
//! `TOOLGET_MIRRORS` in turn (see [`crate::mirror`]). Every byte is hashed and checked against
//! the plan's digest before anything is kept; a mirror's wrong bytes are reported and skipped,
//! never cached. Kept apart from the orchestration in the parent module.

use super::prepare::Staged;
use super::{InstallError, Installer, Plan};
use crate::download::{DownloadError, Downloader};
use crate::error::{Diagnostic, ErrorKind};
use crate::mirror::{AssetKey, Location, SourceReport, SourceResult, Upstream};
use crate::verify::{self, VerifyError};

impl Installer<'_> {
    /// Try each mirror location in order. Only an asset with a known digest is asked of a
    /// mirror. A mirror that does not have it, fails, or answers wrong bytes is recorded (the
    /// last with a warning) and the next is tried; wrong bytes are never cached.
    pub(super) fn fetch_from_mirrors(
        &self,
        plan: &Plan,
        downloader: &Downloader,
    ) -> Result<MirrorFetch, InstallError> {
        let mirrors = &self.config.mirrors;
        let mut out = MirrorFetch {
            staged: None,
            tried: Vec::new(),
        };
        if mirrors.mirrors.is_empty() {
            return Ok(out);
        }
        let Some(expected) = &plan.expected else {
            out.tried.push(SourceReport {
                source: "mirrors".into(),
                result: SourceResult::SkippedUnverifiable,
            });
            return Ok(out);
        };
        let sha256 = (expected.algorithm == verify::Algorithm::Sha256).then_some(&expected.hex);
        let key = AssetKey {
            repo: &plan.repo,
            tag: &plan.tag,
            name: &plan.asset.name,
            sha256: sha256.map(String::as_str),
        };
        // `downloader` makes one attempt per call: with the origin behind them, a mirror that
        // is down is passed over at once rather than retried with backoff; air-gapped
        // (`never`), mirrors get the usual retries.
        let retrying;
        let downloader = if mirrors.upstream == Upstream::Never {
            retrying = Downloader::new(
                downloader.client().clone(),
                self.config.github.retry.clone(),
            )
            .with_deadline(self.config.github.http.download_deadline);
            &retrying
        } else {
            downloader
        };
        for location in mirrors.locations(&key) {
            let result = self.fetch_from_location(plan, &location, downloader);
            let source = location.label().to_string();
            match result {
                Ok(mut staged) => {
                    out.tried.push(SourceReport {
                        source,
                        result: SourceResult::Served,
                    });
                    staged.sources = std::mem::take(&mut out.tried);
                    out.staged = Some(staged);
                    return Ok(out);
                }
                Err(MirrorMiss::Result(result)) => {
                    match &result {
                        SourceResult::WrongBytes { got_sha256 } => {
                            self.reporter.warn(&format!(
                                "mirror {source} served `{}` with sha256 {got_sha256}, \
                                 not the expected {}; skipped it",
                                plan.asset.name, expected.hex
                            ));
                        }
                        SourceResult::WrongSize { detail } => {
                            self.reporter.warn(&format!(
                                "mirror {source} served another file than `{}` \
                                 ({detail}); skipped it",
                                plan.asset.name
                            ));
                        }
                        _ => {}
                    }
                    out.tried.push(SourceReport { source, result });
                }
                // The right bytes that do not unpack: the asset itself is bad.
                Err(MirrorMiss::Fatal(e)) => return Err(e),
            }
        }
        Ok(out)
    }

    fn fetch_from_location(
        &self,
        plan: &Plan,
        location: &Location,
        downloader: &Downloader,
    ) -> Result<Staged, MirrorMiss> {
        let name = &plan.asset.name;
        let tee = self
            .store
            .temp_file()
            .map_err(|e| MirrorMiss::Fatal(e.into()))?;
        let tee_file = tee.as_file().try_clone().map_err(|source| {
            MirrorMiss::Fatal(InstallError::Io {
                path: tee.path().to_path_buf(),
                source,
            })
        })?;
        let staged = match location {
            Location::File { path, .. } => {
                let file = match std::fs::File::open(path) {
                    Ok(file) => file,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        return Err(MirrorMiss::Result(SourceResult::Missing));
                    }
                    Err(e) => {
                        return Err(MirrorMiss::Result(SourceResult::Failed {
                            reason: e.to_string(),
                        }));
                    }
                };
                let len = file.metadata().ok().map(|m| m.len());
                let reader =
                    crate::download::HashingReader::new(file, Some(tee_file), len, self.reporter)
                        .named(name.clone());
                self.consume(plan, reader, tee, true)
            }
            Location::Http {
                url, credentials, ..
            } => {
                let request = || {
                    let request = downloader.client().get(url.clone());
                    match credentials {
                        Some(credentials) => credentials.apply(request),
                        None => request,
                    }
                };
                let body =
                    match downloader.open(&request, name, Some(plan.asset.size).filter(|s| *s > 0))
                    {
                        Ok(body) => body,
                        Err(e) if e.kind() == ErrorKind::NotFound => {
                            return Err(MirrorMiss::Result(SourceResult::Missing));
                        }
                        Err(
                            e @ (DownloadError::SizeMismatch { .. }
                            | DownloadError::Oversized { .. }),
                        ) => {
                            return Err(MirrorMiss::Result(SourceResult::WrongSize {
                                detail: e.to_string(),
                            }));
                        }
                        Err(e) => {
                            return Err(MirrorMiss::Result(SourceResult::Failed {
                                reason: e.to_string(),
                            }));
                        }
                    };
                let reader = body.into_reader(Some(tee_file), self.reporter);
                self.consume(plan, reader, tee, true)
            }
        };
        staged.map_err(|e| match e {
            InstallError::Verify(VerifyError::Mismatch { actual, .. }) => {
                MirrorMiss::Result(SourceResult::WrongBytes { got_sha256: actual })
            }
            InstallError::Verify(other) => MirrorMiss::Result(SourceResult::WrongBytes {
                got_sha256: other.to_string(),
            }),
            InstallError::Download {
                source:
                    source @ (DownloadError::SizeMismatch { .. } | DownloadError::Oversized { .. }),
                ..
            } => MirrorMiss::Result(SourceResult::WrongSize {
                detail: source.to_string(),
            }),
            InstallError::Download { source, .. } => MirrorMiss::Result(SourceResult::Failed {
                reason: source.to_string(),
            }),
            other => MirrorMiss::Fatal(other),
        })
    }
}

/// What the mirrors gave: the staged install from the first that served the right bytes, and
/// the report of every one asked.
pub(super) struct MirrorFetch {
    pub(super) staged: Option<Staged>,
    pub(super) tried: Vec<SourceReport>,
}

/// Why a mirror location did not serve an asset.
enum MirrorMiss {
    /// Try the next source.
    Result(SourceResult),
    /// Stop: not the mirror's fault (disk full, the verified archive does not unpack).
    Fatal(InstallError),
}
