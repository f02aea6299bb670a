//! Filling a content-addressed directory (`<dir>/sha256/<hex>`) with locked assets, for
//! `toolget fetch --locked --to DIR`: the layout a `file://` or `cas+https://` mirror serves,
//! ready to upload to an object store with its own tools or to bake into an image.
//!
//! Each asset comes from the mirrors first, then the origin (unless `TOOLGET_UPSTREAM=never`),
//! streams into a temp file in the target directory while it is hashed, and is renamed into
//! place only when its sha256 is the locked one: the directory never holds a partial or wrong
//! file. An entry already present is re-hashed and kept when it is right.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use crate::download::{DownloadError, Downloader, HashingReader, NoProgress, Progress};
use crate::error::{Diagnostic, ErrorKind};
use crate::mirror::{
    AssetKey, Location, MirrorError, Mirrors, SourceReport, SourceResult, Upstream, cas_path,
};

/// What [`fill`] did for one asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filled {
    /// The entry was there and hashes right.
    Present,
    /// Fetched now; the sources asked, the last one served it.
    Fetched(Vec<SourceReport>),
}

#[derive(Debug, thiserror::Error)]
pub enum CasError {
    #[error(transparent)]
    Mirror(#[from] MirrorError),
    #[error("cannot download `{asset}` from the origin")]
    Origin {
        asset: String,
        #[source]
        source: DownloadError,
    },
    #[error("the origin served `{asset}` with sha256 {got}, not the locked {expected}")]
    OriginMismatch {
        asset: String,
        expected: String,
        got: String,
    },
    #[error("cannot write `{}`", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl Diagnostic for CasError {
    fn kind(&self) -> ErrorKind {
        match self {
            CasError::Mirror(e) => e.kind(),
            CasError::Origin { source, .. } => source.kind(),
            CasError::OriginMismatch { .. } => ErrorKind::VerificationFailed,
            CasError::Io { .. } => ErrorKind::Io,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            CasError::Mirror(e) => e.hint(),
            CasError::Origin { source, .. } => source.hint(),
            CasError::OriginMismatch { .. } => Some(
                "the release asset changed since toolget.lock was written; check it and re-run \
                 `toolget lock`"
                    .into(),
            ),
            CasError::Io { .. } => Some("check free disk space and permissions".into()),
        }
    }
}

/// Put the asset `key` (whose sha256 must be set) into `dir`'s content-addressed layout.
/// `origin` is the URL the lock names.
pub fn fill(
    downloader: &Downloader,
    mirrors: &Mirrors,
    key: &AssetKey<'_>,
    origin: &str,
    dir: &Path,
    progress: &dyn Progress,
) -> Result<Filled, CasError> {
    let Some(sha256) = key.sha256 else {
        return Err(MirrorError::Unverifiable {
            asset: key.name.to_string(),
        }
        .into());
    };
    let dest = cas_path(dir, sha256);
    if hash_file(&dest).is_ok_and(|h| h == sha256) {
        return Ok(Filled::Present);
    }
    let parent = dest.parent().unwrap_or(dir).to_path_buf();
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CasError::Io { path, source }
    };
    std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let mut tried = Vec::new();
    for location in mirrors.locations(key) {
        let mut temp = temp_in(&parent)?;
        let result = match &location {
            Location::File { path, .. } => copy_hashing(path, temp.as_file_mut(), key.name),
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
                downloader
                    .download_to(&request, key.name, None, temp.as_file_mut(), progress)
                    .map(|f| f.sha256)
                    .map_err(|e| match e.kind() {
                        ErrorKind::NotFound => SourceResult::Missing,
                        _ => SourceResult::Failed {
                            reason: e.to_string(),
                        },
                    })
            }
        };
        let source = location.label().to_string();
        match result {
            Ok(got) if got == sha256 => {
                temp.persist(&dest).map_err(|e| CasError::Io {
                    path: dest.clone(),
                    source: e.error,
                })?;
                tried.push(SourceReport {
                    source,
                    result: SourceResult::Served,
                });
                return Ok(Filled::Fetched(tried));
            }
            Ok(got) => tried.push(SourceReport {
                source,
                result: SourceResult::WrongBytes { got_sha256: got },
            }),
            Err(result) => tried.push(SourceReport { source, result }),
        }
    }
    if mirrors.upstream == Upstream::Never {
        return Err(MirrorError::NoSource {
            asset: key.name.to_string(),
            tried,
        }
        .into());
    }
    let mut temp = temp_in(&parent)?;
    let fetched = downloader
        .download_to(
            &|| downloader.client().get(origin),
            key.name,
            None,
            temp.as_file_mut(),
            progress,
        )
        .map_err(|source| CasError::Origin {
            asset: key.name.to_string(),
            source,
        })?;
    if fetched.sha256 != sha256 {
        return Err(CasError::OriginMismatch {
            asset: key.name.to_string(),
            expected: sha256.to_string(),
            got: fetched.sha256,
        });
    }
    temp.persist(&dest).map_err(|e| CasError::Io {
        path: dest.clone(),
        source: e.error,
    })?;
    tried.push(SourceReport {
        source: "origin".into(),
        result: SourceResult::Served,
    });
    Ok(Filled::Fetched(tried))
}

fn temp_in(dir: &Path) -> Result<tempfile::NamedTempFile, CasError> {
    tempfile::Builder::new()
        .prefix(".tmp-")
        .tempfile_in(dir)
        .map_err(|source| CasError::Io {
            path: dir.to_path_buf(),
            source,
        })
}

/// Copy `from` into `to`, returning the sha256 of what was copied.
fn copy_hashing(from: &Path, to: &mut File, name: &str) -> Result<String, SourceResult> {
    let file = match File::open(from) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(SourceResult::Missing),
        Err(e) => {
            return Err(SourceResult::Failed {
                reason: e.to_string(),
            });
        }
    };
    let mut reader = HashingReader::new(file, to.try_clone().ok(), None, &NoProgress).named(name);
    io::copy(&mut reader, &mut io::sink()).map_err(|e| SourceResult::Failed {
        reason: e.to_string(),
    })?;
    reader
        .finish()
        .map(|f| f.sha256)
        .map_err(|e| SourceResult::Failed {
            reason: e.to_string(),
        })
}

fn hash_file(path: &Path) -> io::Result<String> {
    let file = File::open(path)?;
    let mut reader = HashingReader::new(file, None, None, &NoProgress);
    io::copy(&mut reader, &mut io::sink())?;
    reader
        .finish()
        .map(|f| f.sha256)
        .map_err(|e| io::Error::other(e.to_string()))
}
