//! Getting provenance material: the attestations endpoint (through [`crate::github`]) and
//! bundle downloads (through [`crate::download`]); then [`super::check`]. The installer calls
//! [`plan`] when it decides what to install and [`verify`] after the download, before commit.

use std::path::Path;

use crate::download::{DownloadError, Downloader};
use crate::error::{Diagnostic, ErrorKind};
use crate::github::{GithubClient, GithubError};
use crate::release::{Asset, RepoId};

use super::{
    Expectation, Kind, MAX_BUNDLE, Material, Policy, Provenance, ProvenanceError, ProvenancePlan,
    Source, TrustRoots, decode_bundle, sha256_hex, sources_for,
};

/// Why provenance could not be checked or did not hold.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(transparent)]
    Check(#[from] ProvenanceError),
    #[error("cannot ask GitHub for attestations")]
    Github(#[source] GithubError),
    #[error("cannot download `{}`", crate::text::untrusted(name))]
    Download {
        name: String,
        #[source]
        source: DownloadError,
    },
}

impl Diagnostic for FetchError {
    fn kind(&self) -> ErrorKind {
        match self {
            FetchError::Check(e) => e.kind(),
            FetchError::Github(e) => e.kind(),
            FetchError::Download { source, .. } => source.kind(),
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            FetchError::Check(e) => e.hint(),
            FetchError::Github(e) => e.hint(),
            FetchError::Download { source, .. } => source.hint(),
        }
    }
}

/// What the plan step knows about one asset.
#[derive(Debug, Clone, Copy)]
pub struct PlanInput<'a> {
    pub policy: Policy,
    pub repo: &'a RepoId,
    pub signer: Option<&'a str>,
    pub asset: &'a Asset,
    pub assets: &'a [Asset],
    /// The registry says the project attests (or the policy or `toolget lock` asks).
    pub ask_attestations: bool,
    pub minisign_key: Option<&'a str>,
}

/// Decide where provenance comes from. When the attestations endpoint is to be asked and
/// the asset's sha256 is already known (GitHub's digest), it is asked now, so that
/// `required` refuses before the download.
pub fn plan(input: &PlanInput<'_>, client: &GithubClient) -> Result<ProvenancePlan, FetchError> {
    if input.policy == Policy::Off {
        return Ok(ProvenancePlan::off());
    }
    let mut sources = sources_for(
        input.asset,
        input.assets,
        input.ask_attestations,
        input.minisign_key,
    );
    let digest = input
        .asset
        .digest
        .as_deref()
        .and_then(|d| d.strip_prefix("sha256:"))
        .map(str::to_ascii_lowercase);
    if let Some(sha256) = digest
        && sources.first() == Some(&Source::Attestations)
    {
        let rest = sources.split_off(1);
        sources = attestation_sources(client, input.repo, &sha256)?;
        sources.extend(rest);
    }
    if input.policy == Policy::Required && sources.is_empty() {
        return Err(ProvenanceError::Missing {
            asset: input.asset.name.clone(),
        }
        .into());
    }
    Ok(ProvenancePlan {
        policy: input.policy,
        expect: Some(Expectation {
            repo: input.repo.clone(),
            signer: input.signer.map(str::to_string),
        }),
        sources,
        locked: None,
        minisign_key: input.minisign_key.map(str::to_string),
    })
}

/// The attestations GitHub has for a digest, as sources (inline bundles, or URLs to fetch).
fn attestation_sources(
    client: &GithubClient,
    repo: &RepoId,
    sha256: &str,
) -> Result<Vec<Source>, FetchError> {
    let found = client
        .attestations(repo, sha256)
        .map_err(FetchError::Github)?;
    Ok(found
        .into_iter()
        .filter_map(|a| match (a.bundle, a.bundle_url) {
            (Some(bundle), _) => Some(Source::Bundle {
                kind: Kind::GithubAttestation,
                bytes: bundle.into_bytes(),
                url: None,
            }),
            (None, Some(url)) => Some(Source::BundleUrl {
                kind: Kind::GithubAttestation,
                url,
                sha256: String::new(),
            }),
            (None, None) => None,
        })
        .collect())
}

/// Check a downloaded asset (`sha256`; its bytes in `artifact` when at hand) against its
/// plan. `client` is needed only for a deferred attestations request; a plan from the lock
/// has none.
pub fn verify(
    plan: &ProvenancePlan,
    asset: &str,
    sha256: &str,
    artifact: Option<&Path>,
    client: &GithubClient,
    downloader: &Downloader,
    roots: &TrustRoots,
) -> Result<(Provenance, Option<Vec<u8>>), FetchError> {
    if plan.policy == Policy::Off {
        return Ok((Provenance::off(), None));
    }
    let Some(expect) = &plan.expect else {
        return Ok((Provenance::absent(), None));
    };
    let mut first_error: Option<FetchError> = None;
    let mut sources = plan.sources.clone();
    if let Some(at) = sources.iter().position(|s| *s == Source::Attestations) {
        let rest = sources.split_off(at + 1);
        sources.truncate(at);
        sources.extend(attestation_sources(client, &expect.repo, sha256)?);
        sources.extend(rest);
    }
    for source in &sources {
        let material = match material(source, plan, downloader) {
            Ok(m) => m,
            Err(e) => {
                first_error.get_or_insert(e);
                continue;
            }
        };
        match super::check(asset, &material, sha256, artifact, expect, roots) {
            Ok(provenance) => {
                if let Some(locked) = &plan.locked
                    && !locked
                        .signer
                        .eq_ignore_ascii_case(provenance.signer.as_deref().unwrap_or_default())
                {
                    return Err(ProvenanceError::Downgrade {
                        asset: asset.to_string(),
                        kind: locked.kind,
                        signer: locked.signer.clone(),
                        why: format!(
                            "the bundle now names {}",
                            provenance.signer.as_deref().unwrap_or("nobody")
                        ),
                    }
                    .into());
                }
                return Ok((provenance, Some(material.bytes)));
            }
            Err(e) => {
                first_error.get_or_insert(e.into());
            }
        }
    }
    if let Some(locked) = &plan.locked {
        // The lock promised provenance: a bundle that fails is the bundle's failure; a bundle
        // that cannot be had at all is a downgrade.
        return Err(match first_error {
            Some(FetchError::Check(
                e @ (ProvenanceError::Invalid { .. } | ProvenanceError::WrongSigner { .. }),
            )) => e.into(),
            other => ProvenanceError::Downgrade {
                asset: asset.to_string(),
                kind: locked.kind,
                signer: locked.signer.clone(),
                why: match other {
                    Some(e) => e.to_string(),
                    None => format!(
                        "no bundle in {}/ and no bundle URL in the lock",
                        super::LOCK_DIR
                    ),
                },
            }
            .into(),
        });
    }
    match first_error {
        Some(e) => Err(e),
        None if plan.policy == Policy::Required => Err(ProvenanceError::Missing {
            asset: asset.to_string(),
        }
        .into()),
        None => Ok((Provenance::absent(), None)),
    }
}

fn material(
    source: &Source,
    plan: &ProvenancePlan,
    downloader: &Downloader,
) -> Result<Material, FetchError> {
    Ok(match source {
        Source::Attestations => unreachable_attestations(),
        Source::Sidecar(asset) => Material {
            kind: Kind::SigstoreBundle,
            bytes: download(downloader, &asset.download_url, &asset.name)?,
            origin: asset.name.clone(),
            url: Some(asset.download_url.clone()),
            key: None,
        },
        Source::Minisign { signature, key } => Material {
            kind: Kind::Minisign,
            bytes: download(downloader, &signature.download_url, &signature.name)?,
            origin: signature.name.clone(),
            url: Some(signature.download_url.clone()),
            key: Some(key.clone()),
        },
        Source::Bundle { kind, bytes, url } => Material {
            kind: *kind,
            bytes: bytes.clone(),
            origin: match (kind, url) {
                (_, Some(url)) => url.clone(),
                (Kind::GithubAttestation, None) if plan.locked.is_none() => {
                    "GitHub's attestations API".into()
                }
                _ => format!("{}/", super::LOCK_DIR),
            },
            url: url.clone(),
            key: plan.minisign_key.clone(),
        },
        Source::BundleUrl { kind, url, sha256 } => {
            let bytes = decode_bundle(download(downloader, url, url)?);
            if !sha256.is_empty() && sha256_hex(&bytes) != *sha256 {
                return Err(ProvenanceError::BundleChanged {
                    asset: url.clone(),
                    expected: sha256.clone(),
                }
                .into());
            }
            Material {
                kind: *kind,
                bytes,
                origin: url.clone(),
                url: Some(url.clone()),
                key: plan.minisign_key.clone(),
            }
        }
    })
}

/// [`verify`] replaces the attestations source with what the endpoint returned first.
fn unreachable_attestations() -> Material {
    Material {
        kind: Kind::GithubAttestation,
        bytes: Vec::new(),
        origin: "GitHub's attestations API".into(),
        url: None,
        key: None,
    }
}

/// A small file from a download URL (never an API URL, never with the token).
fn download(downloader: &Downloader, url: &str, name: &str) -> Result<Vec<u8>, FetchError> {
    let failed = |source| FetchError::Download {
        name: name.to_string(),
        source,
    };
    let client = downloader.client().clone();
    let url = url.to_string();
    let body = downloader
        .open(&|| client.get(url.as_str()), name, None)
        .map_err(failed)?;
    body.read_capped(MAX_BUNDLE).map_err(failed)
}

/// `toolget resolve`: what can be said without downloading the asset. Sigstore bundles are
/// checked against GitHub's digest when the release publishes one (sidecars are downloads,
/// not API requests); the result is `verified`, `absent` (no source), `off`, or `pending`
/// (there is a source, but it needs the asset's bytes: no digest, or minisign).
pub fn preview(
    plan: &ProvenancePlan,
    asset: &Asset,
    client: &GithubClient,
    downloader: &Downloader,
    roots: &TrustRoots,
) -> Result<(Provenance, Option<&'static str>), FetchError> {
    if plan.policy == Policy::Off {
        return Ok((Provenance::off(), None));
    }
    if plan.sources.is_empty() {
        return Ok((Provenance::absent(), None));
    }
    let digest = asset
        .digest
        .as_deref()
        .and_then(|d| d.strip_prefix("sha256:"));
    let checkable = !plan
        .sources
        .iter()
        .any(|s| matches!(s, Source::Minisign { .. }));
    match digest {
        Some(sha256) if checkable => {
            let (provenance, _) =
                verify(plan, &asset.name, sha256, None, client, downloader, roots)?;
            Ok((provenance, None))
        }
        _ => Ok((Provenance::absent(), Some("pending"))),
    }
}
