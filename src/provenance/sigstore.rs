//! Sigstore bundles (sidecars and GitHub attestations): the trusted roots, the check, and
//! the identity rule. The verification itself is `sigstore-verify`'s.

use std::path::{Path, PathBuf};

use sigstore_verify::trust_root::{SigstoreInstance, TrustedRoot};
use sigstore_verify::types::{Bundle, Sha256Hash};
use sigstore_verify::{VerificationPolicy, VerificationResult, Verifier};

use super::{
    Expectation, Failure, GITHUB_ACTIONS_ISSUER, Material, Provenance, ProvenanceError, Status,
};

/// The roots bundles are checked against: the embedded public-good and GitHub roots, or one
/// root from `TOOLGET_SIGSTORE_TRUSTED_ROOT`. Loaded lazily: an install with no bundle
/// never parses them.
#[derive(Debug, Clone, Default)]
pub struct TrustRoots {
    /// `TOOLGET_SIGSTORE_TRUSTED_ROOT`: replaces both embedded roots.
    pub override_path: Option<PathBuf>,
}

impl TrustRoots {
    pub fn new(override_path: Option<PathBuf>) -> TrustRoots {
        TrustRoots { override_path }
    }

    /// The root for a bundle: the override when set; else public-good for a bundle logged in
    /// Rekor, GitHub's for one that is not (GitHub's instance timestamps instead of logging).
    fn for_bundle(&self, logged: bool) -> Result<TrustedRoot, ProvenanceError> {
        if let Some(path) = &self.override_path {
            return TrustedRoot::from_file(path).map_err(|e| ProvenanceError::TrustRoot {
                path: path.clone(),
                source: Box::new(e),
            });
        }
        let instance = if logged {
            SigstoreInstance::PublicGood
        } else {
            SigstoreInstance::GitHub
        };
        TrustedRoot::from_embedded(instance).map_err(|e| ProvenanceError::TrustRoot {
            path: Path::new("<embedded>").to_path_buf(),
            source: Box::new(e),
        })
    }
}

pub(super) fn check(
    asset: &str,
    material: &Material,
    sha256: &str,
    expect: &Expectation,
    roots: &TrustRoots,
) -> Result<Provenance, ProvenanceError> {
    let invalid = |failure: Failure, detail: String, source: Option<sigstore_verify::Error>| {
        ProvenanceError::Invalid {
            asset: asset.to_string(),
            kind: material.kind,
            origin: material.origin.clone(),
            failure,
            detail,
            source: source.map(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>),
        }
    };
    let text = std::str::from_utf8(&material.bytes)
        .map_err(|_| invalid(Failure::Bundle, "the bundle is not UTF-8 JSON".into(), None))?;
    let bundle = Bundle::from_json(text).map_err(|e| {
        invalid(
            Failure::Bundle,
            format!("not a Sigstore bundle ({e})"),
            None,
        )
    })?;
    let digest = Sha256Hash::from_hex(sha256).map_err(|e| {
        invalid(
            Failure::Digest,
            format!("bad sha256 `{sha256}` ({e})"),
            None,
        )
    })?;
    let logged = !bundle.verification_material.tlog_entries.is_empty();
    let root = roots.for_bundle(logged)?;
    // Authorization is ours (`authorize`), so the library checks the cryptography for any
    // identity. A bundle without a log entry (GitHub's instance) must carry a timestamp.
    let policy = if logged {
        VerificationPolicy::any_identity()
    } else {
        VerificationPolicy::any_identity()
            .skip_tlog_unsafe()
            .skip_sct()
    };
    let result = Verifier::new(&root)
        .and_then(|verifier| verifier.verify(digest, &bundle, &policy))
        .map_err(|e| {
            let failure = classify(&e);
            invalid(failure, String::new(), Some(e))
        })?;
    authorize(asset, &result, expect)
}

fn classify(error: &sigstore_verify::Error) -> Failure {
    use sigstore_verify::Error as E;
    match error {
        E::SignatureInvalid(_) | E::Crypto(_) => Failure::Signature,
        E::IdentityMismatch { .. } | E::IssuerMismatch { .. } => Failure::CertificateIdentity,
        E::ArtifactMismatch(_) | E::UnsupportedArtifact(_) | E::ArtifactRead(_) => Failure::Digest,
        E::Certificate(_) | E::TrustedCertificate(_) => Failure::Certificate,
        E::TransparencyLog(_) => Failure::TlogInclusion,
        E::Timestamp(_) => Failure::Timestamp,
        E::InvalidTrustRoot(_) | E::TrustRoot(_) => Failure::TrustRoot,
        _ => Failure::Bundle,
    }
}

/// The identity rule: the certificate must name the release's repository (or the registry's
/// `signer`) as where the artifact was built.
fn authorize(
    asset: &str,
    result: &VerificationResult,
    expect: &Expectation,
) -> Result<Provenance, ProvenanceError> {
    let certificate = result.certificate();
    let claims = certificate.map(|c| &c.ci_claims);
    let identity = result.identity().map(|i| i.as_str().to_string());
    let issuer = result.issuer().map(str::to_string);
    // The repository the build ran in: Fulcio's source-repository claim, else the SAN URI.
    let source_repo = claims
        .and_then(|c| c.source_repository_uri.as_deref())
        .and_then(github_repo)
        .or_else(|| identity.as_deref().and_then(github_repo));
    let workflow = claims
        .and_then(|c| c.build_signer_uri.as_deref())
        .or(identity.as_deref())
        .and_then(workflow_of);
    let found = source_repo
        .clone()
        .or_else(|| identity.clone())
        .unwrap_or_else(|| "an unknown identity".into());
    let from_actions = issuer
        .as_deref()
        .is_some_and(|i| i == GITHUB_ACTIONS_ISSUER || i.starts_with("https://token.actions."));
    let ok = match &expect.signer {
        None => from_actions && same_repo(source_repo.as_deref(), &expect.repo.to_string()),
        Some(signer) => matches_signer(
            signer,
            source_repo.as_deref(),
            identity.as_deref(),
            from_actions,
        ),
    };
    if !ok {
        return Err(ProvenanceError::WrongSigner {
            asset: asset.to_string(),
            expected: expect.describe(),
            found,
        });
    }
    Ok(Provenance {
        status: Status::Verified,
        kind: None,
        signer: Some(source_repo.unwrap_or(found)),
        issuer,
        workflow,
        bundle_sha256: None,
        bundle_url: None,
    })
}

fn same_repo(found: Option<&str>, expected: &str) -> bool {
    found.is_some_and(|f| f.eq_ignore_ascii_case(expected))
}

/// `signer` from the registry: `owner/repo`, a workflow path
/// (`owner/repo/.github/workflows/release.yml`), or an e-mail identity.
fn matches_signer(
    signer: &str,
    source_repo: Option<&str>,
    identity: Option<&str>,
    from_actions: bool,
) -> bool {
    if signer.contains('@') && !signer.contains('/') {
        return identity.is_some_and(|i| i.eq_ignore_ascii_case(signer));
    }
    let parts: Vec<&str> = signer.trim_matches('/').splitn(3, '/').collect();
    match parts.as_slice() {
        [_, _] => from_actions && same_repo(source_repo, signer),
        [_, _, _] => {
            let prefix = format!("https://github.com/{}@", signer.trim_matches('/'));
            from_actions
                && identity.is_some_and(|i| {
                    i.to_ascii_lowercase()
                        .starts_with(&prefix.to_ascii_lowercase())
                })
        }
        _ => false,
    }
}

/// `owner/repo` of a `https://github.com/owner/repo[/…]` URI (any GitHub host).
fn github_repo(uri: &str) -> Option<String> {
    let rest = uri.strip_prefix("https://")?;
    let mut parts = rest.split('/');
    let _host = parts.next()?;
    let owner = parts.next().filter(|s| !s.is_empty())?;
    let name = parts.next().filter(|s| !s.is_empty())?;
    Some(format!("{owner}/{name}"))
}

/// `release.yml@refs/tags/v1.2.3` of `https://github.com/o/r/.github/workflows/release.yml@…`.
fn workflow_of(uri: &str) -> Option<String> {
    let (_, tail) = uri.split_once("/.github/workflows/")?;
    Some(tail.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_and_workflow_come_from_github_uris() {
        assert_eq!(
            github_repo("https://github.com/prefix-dev/sigstore-example").as_deref(),
            Some("prefix-dev/sigstore-example")
        );
        assert_eq!(
            workflow_of("https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1.2.3")
                .as_deref(),
            Some("release.yml@refs/tags/v1.2.3")
        );
        assert!(matches_signer(
            "o/r/.github/workflows/release.yml",
            Some("o/r"),
            Some("https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1"),
            true
        ));
        assert!(!matches_signer(
            "o/r/.github/workflows/other.yml",
            Some("o/r"),
            Some("https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1"),
            true
        ));
        assert!(!matches_signer("o/r", Some("o/r"), None, false));
    }
}
