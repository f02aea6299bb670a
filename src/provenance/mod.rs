//! Provenance: who built a release asset, checked in-process and offline (docs/provenance.md).
//!
//! Comes after [`crate::verify`] in the data flow: `verify` proves the bytes are the ones the
//! release (or the lock) names; this module proves who signed them. Sources, tried in this
//! order: GitHub artifact attestations (fetched by [`crate::github`]), Sigstore bundles
//! published beside the asset (`<asset>.sigstore.json`, `.sigstore`, `.bundle`), minisign
//! (`<asset>.minisig` with a key from the registry or `[minisign_key=…]`).
//!
//! A Sigstore bundle must verify against an embedded trusted root (Sigstore public-good, or
//! GitHub's for attestations made on GitHub's own instance), or the root in
//! `TOOLGET_SIGSTORE_TRUSTED_ROOT`; no TUF request is ever made. A valid signature is not
//! enough: the Fulcio certificate must say the artifact was built from the release's own
//! repository, unless the registry entry names another `signer`.
//!
//! The checks ([`check`]) take bytes: no network, no disk writes. [`fetch`] gets the bytes,
//! through [`crate::github`] (attestations) and [`crate::download`] (bundles). Cryptography is
//! the `sigstore-verify` and `minisign-verify` crates'.

pub mod fetch;
mod sigstore;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, ErrorKind};
use crate::release::{Asset, RepoId};
use crate::text::untrusted;

pub use crate::spec::ProvenancePolicy as Policy;
pub use sigstore::TrustRoots;

/// The bundle an install keeps next to its receipt, for `toolget verify`.
pub const KEPT_BUNDLE: &str = ".toolget-provenance.sigstore.json";

/// The file names a Sigstore bundle may have beside its asset, in the order tried.
pub const SIDECAR_SUFFIXES: [&str; 3] = [".sigstore.json", ".sigstore", ".bundle"];
/// A minisign signature beside its asset.
pub const MINISIG_SUFFIX: &str = ".minisig";
/// The folder beside `toolget.lock` that holds the bundles the lock records, by sha256.
pub const LOCK_DIR: &str = "toolget.lock.d";
/// A Sigstore bundle larger than this is not a bundle.
pub const MAX_BUNDLE: u64 = 1 << 20;
/// The OIDC issuer of GitHub Actions' tokens (github.com).
pub const GITHUB_ACTIONS_ISSUER: &str = "https://token.actions.githubusercontent.com";

/// What kind of provenance vouched for an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    GithubAttestation,
    SigstoreBundle,
    Minisign,
    Packslip,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::GithubAttestation => "github-attestation",
            Kind::SigstoreBundle => "sigstore-bundle",
            Kind::Minisign => "minisign",
            Kind::Packslip => "packslip",
        }
    }

    /// The file name of a bundle of this kind in [`LOCK_DIR`].
    pub fn lock_file_name(self, sha256: &str) -> String {
        match self {
            Kind::Minisign => format!("{sha256}.minisig"),
            _ => format!("{sha256}.sigstore.json"),
        }
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(text: &str) -> Result<Kind, String> {
        match text {
            "github-attestation" => Ok(Kind::GithubAttestation),
            "sigstore-bundle" => Ok(Kind::SigstoreBundle),
            "minisign" => Ok(Kind::Minisign),
            "packslip" => Ok(Kind::Packslip),
            _ => Err(format!("unknown provenance kind `{text}`")),
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `toolget lock` records per platform, and what a receipt keeps: enough to find the
/// bundle again offline and to refuse a downgrade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub kind: Kind,
    /// `owner/repo` the certificate names (a minisign key for minisign).
    pub signer: String,
    /// sha256 of the bundle (or `.minisig`) bytes.
    pub bundle_sha256: String,
    /// A non-API URL the bundle can be downloaded from again (GitHub's `bundle_url`, a
    /// sidecar's download URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundle_url: Option<String>,
}

/// Whether an install was vouched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Verified,
    Absent,
    Off,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Verified => "verified",
            Status::Absent => "absent",
            Status::Off => "off",
        }
    }
}

/// The outcome shown in `--json`, the receipt and `toolget list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// `owner/repo` (or the identity) that signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    /// The certificate's OIDC issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The workflow and ref (`release.yml@refs/tags/v1.2.3`), when the certificate names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundle_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundle_url: Option<String>,
}

impl Provenance {
    pub fn absent() -> Provenance {
        Provenance::with_status(Status::Absent)
    }

    pub fn off() -> Provenance {
        Provenance::with_status(Status::Off)
    }

    fn with_status(status: Status) -> Provenance {
        Provenance {
            status,
            kind: None,
            signer: None,
            issuer: None,
            workflow: None,
            bundle_sha256: None,
            bundle_url: None,
        }
    }

    /// The lock's record of a verified outcome.
    pub fn record(&self) -> Option<Record> {
        if self.status != Status::Verified {
            return None;
        }
        Some(Record {
            kind: self.kind?,
            signer: self.signer.clone()?,
            bundle_sha256: self.bundle_sha256.clone()?,
            bundle_url: self.bundle_url.clone(),
        })
    }

    /// One line for people: "attested: owner/repo, release.yml@refs/tags/v1.2.3".
    pub fn summary(&self) -> String {
        match self.status {
            Status::Off => "provenance: off".into(),
            Status::Absent => "no provenance".into(),
            Status::Verified => {
                let what = match self.kind {
                    Some(Kind::GithubAttestation) => "attested",
                    Some(Kind::Minisign) => "minisign",
                    _ => "signed",
                };
                let mut text = format!("{what}: {}", self.signer.as_deref().unwrap_or("?"));
                if let Some(workflow) = &self.workflow {
                    text.push_str(", ");
                    text.push_str(workflow);
                }
                text
            }
        }
    }
}

/// Who must have signed: the release's repository unless the registry names a `signer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    pub repo: RepoId,
    /// `owner/repo`, `owner/repo/.github/workflows/release.yml`, or an e-mail identity.
    pub signer: Option<String>,
}

impl Expectation {
    /// What the message says was expected.
    pub fn describe(&self) -> String {
        match &self.signer {
            Some(signer) => signer.clone(),
            None => self.repo.to_string(),
        }
    }
}

/// Where provenance for a planned asset may come from. Built at plan time; the bytes are
/// fetched by the installer (downloads are not API requests; attestations are).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Ask the attestations endpoint (by the asset's sha256).
    Attestations,
    /// A bundle published beside the asset.
    Sidecar(Asset),
    /// A minisign signature beside the asset, checked with this public key.
    Minisign { signature: Asset, key: String },
    /// Bytes already in hand (a bundle from toolget.lock.d, or one fetched at plan time).
    Bundle {
        kind: Kind,
        bytes: Vec<u8>,
        url: Option<String>,
    },
    /// A bundle to download from a non-API URL and check against a recorded sha256.
    BundleUrl {
        kind: Kind,
        url: String,
        sha256: String,
    },
}

/// Provenance to check for one plan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProvenancePlan {
    pub policy: Policy,
    pub expect: Option<Expectation>,
    pub sources: Vec<Source>,
    /// What the lock recorded (install from a lock): failing to verify it is a downgrade.
    pub locked: Option<Record>,
    /// The minisign key to check `<asset>.minisig` with, when one is known.
    pub minisign_key: Option<String>,
}

impl ProvenancePlan {
    pub fn off() -> ProvenancePlan {
        ProvenancePlan {
            policy: Policy::Off,
            ..ProvenancePlan::default()
        }
    }
}

/// The sources a release offers for `asset` without any API request: sidecar bundles, then a
/// `.minisig` when a key is known. `attests`: ask the attestations endpoint first.
pub fn sources_for(
    asset: &Asset,
    assets: &[Asset],
    attests: bool,
    minisign_key: Option<&str>,
) -> Vec<Source> {
    let mut sources = Vec::new();
    if attests {
        sources.push(Source::Attestations);
    }
    for suffix in SIDECAR_SUFFIXES {
        let name = format!("{}{suffix}", asset.name);
        if let Some(found) = assets.iter().find(|a| a.name == name) {
            sources.push(Source::Sidecar(found.clone()));
        }
    }
    if let Some(key) = minisign_key {
        let name = format!("{}{MINISIG_SUFFIX}", asset.name);
        if let Some(found) = assets.iter().find(|a| a.name == name) {
            sources.push(Source::Minisign {
                signature: found.clone(),
                key: key.to_string(),
            });
        }
    }
    sources
}

/// What failed, in the words the error message uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    Signature,
    CertificateIdentity,
    Certificate,
    TlogInclusion,
    Timestamp,
    Digest,
    Bundle,
    TrustRoot,
}

impl Failure {
    pub fn as_str(self) -> &'static str {
        match self {
            Failure::Signature => "signature",
            Failure::CertificateIdentity => "certificate identity",
            Failure::Certificate => "certificate chain",
            Failure::TlogInclusion => "transparency-log inclusion",
            Failure::Timestamp => "timestamp",
            Failure::Digest => "digest",
            Failure::Bundle => "bundle format",
            Failure::TrustRoot => "trusted root",
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why provenance was refused. Every variant is exit 6 (`verification_failed`).
#[derive(Debug, thiserror::Error)]
pub enum ProvenanceError {
    #[error(
        "provenance check failed for `{}` ({kind} from {}): {failure}{}",
        untrusted(asset),
        untrusted(origin),
        dash(detail)
    )]
    Invalid {
        asset: String,
        kind: Kind,
        origin: String,
        failure: Failure,
        detail: String,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    #[error(
        "provenance check failed for `{}`: certificate identity — signed by {}, not by {}",
        untrusted(asset),
        untrusted(found),
        untrusted(expected)
    )]
    WrongSigner {
        asset: String,
        expected: String,
        found: String,
    },
    #[error(
        "`{}` has no provenance, and the policy is `required`",
        untrusted(asset)
    )]
    Missing { asset: String },
    #[error(
        "toolget.lock records {kind} provenance by {} for `{}`, but it cannot be verified now \
         ({})",
        untrusted(signer),
        untrusted(asset),
        untrusted(why)
    )]
    Downgrade {
        asset: String,
        kind: Kind,
        signer: String,
        why: String,
    },
    #[error("cannot read the Sigstore trusted root `{}`", path.display())]
    TrustRoot {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error(
        "the bundle for `{}` does not have the sha256 toolget.lock records ({expected})",
        untrusted(asset)
    )]
    BundleChanged { asset: String, expected: String },
}

/// ` — detail`, or nothing (the cause then comes as a `caused by:` line).
fn dash(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(" — {detail}")
    }
}

impl Diagnostic for ProvenanceError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::VerificationFailed
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            ProvenanceError::Invalid {
                failure: Failure::Digest,
                ..
            } => "the asset is not the one that was signed: do not use it; report it to the \
                  project"
                .into(),
            ProvenanceError::Invalid {
                failure: Failure::TrustRoot | Failure::Certificate | Failure::Timestamp,
                ..
            } => format!(
                "the embedded Sigstore root may be out of date: update toolget, or point \
                 {} at a current trusted_root.json (docs/provenance.md)",
                crate::settings::TOOLGET_SIGSTORE_TRUSTED_ROOT
            ),
            ProvenanceError::Invalid { .. } | ProvenanceError::BundleChanged { .. } => {
                "the release's signature does not hold: do not use this asset; \
                 `--provenance off` skips the check if you must"
                    .into()
            }
            ProvenanceError::WrongSigner { found, .. } => format!(
                "if {found} really builds this project's releases, name it in the registry \
                 entry: `signer = \"{found}\"`"
            ),
            ProvenanceError::Missing { .. } => "use `--provenance if-present` (or \
                 `provenance = \"if-present\"` for this tool in toolget.toml) to install \
                 assets without provenance"
                .into(),
            ProvenanceError::Downgrade { .. } => "commit the bundle in toolget.lock.d/ beside \
                 toolget.lock (`toolget lock` writes it), or set `provenance = \"off\"` for \
                 this tool in toolget.toml to install without it"
                .into(),
            ProvenanceError::TrustRoot { .. } => format!(
                "{} must name a Sigstore trusted_root.json",
                crate::settings::TOOLGET_SIGSTORE_TRUSTED_ROOT
            ),
        })
    }
}

/// Provenance material in hand, ready to check.
#[derive(Debug, Clone)]
pub struct Material {
    pub kind: Kind,
    pub bytes: Vec<u8>,
    /// Where it came from, for messages (an asset name, a URL, `toolget.lock.d/…`).
    pub origin: String,
    /// A non-API URL to fetch it again, recorded in the lock.
    pub url: Option<String>,
    /// The minisign key (minisign only).
    pub key: Option<String>,
}

/// Check `material` for the asset whose sha256 is `sha256` (and, for minisign, whose bytes
/// are in `artifact`).
pub fn check(
    asset: &str,
    material: &Material,
    sha256: &str,
    artifact: Option<&Path>,
    expect: &Expectation,
    roots: &TrustRoots,
) -> Result<Provenance, ProvenanceError> {
    let mut provenance = match material.kind {
        Kind::Minisign => check_minisign(asset, material, artifact)?,
        _ => sigstore::check(asset, material, sha256, expect, roots)?,
    };
    provenance.kind = Some(material.kind);
    provenance.bundle_sha256 = Some(sha256_hex(&material.bytes));
    provenance.bundle_url.clone_from(&material.url);
    Ok(provenance)
}

fn check_minisign(
    asset: &str,
    material: &Material,
    artifact: Option<&Path>,
) -> Result<Provenance, ProvenanceError> {
    use std::io::Read;
    let invalid = |failure: Failure, detail: String| ProvenanceError::Invalid {
        asset: asset.to_string(),
        kind: Kind::Minisign,
        origin: material.origin.clone(),
        failure,
        detail,
        source: None,
    };
    let key_text = material.key.as_deref().unwrap_or_default();
    let key = minisign_verify::PublicKey::from_base64(key_text.trim())
        .or_else(|_| minisign_verify::PublicKey::decode(key_text))
        .map_err(|e| invalid(Failure::Bundle, format!("the public key is unusable ({e})")))?;
    let text = String::from_utf8_lossy(&material.bytes);
    let signature = minisign_verify::Signature::decode(&text)
        .map_err(|e| invalid(Failure::Bundle, format!("not a minisign signature ({e})")))?;
    let Some(path) = artifact else {
        return Err(invalid(
            Failure::Digest,
            "the asset's bytes are needed to check a minisign signature".into(),
        ));
    };
    let mut verifier = key
        .verify_stream(&signature)
        .map_err(|e| invalid(Failure::Signature, e.to_string()))?;
    let mut file = std::fs::File::open(path)
        .map_err(|e| invalid(Failure::Digest, format!("cannot read the asset ({e})")))?;
    let mut buf = vec![0u8; crate::download::BUFFER_SIZE];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| invalid(Failure::Digest, format!("cannot read the asset ({e})")))?;
        if n == 0 {
            break;
        }
        verifier.update(&buf[..n]);
    }
    verifier.finalize().map_err(|e| {
        invalid(
            Failure::Signature,
            format!("the signature does not match the asset ({e})"),
        )
    })?;
    Ok(Provenance {
        status: Status::Verified,
        kind: Some(Kind::Minisign),
        signer: Some(key_text.trim().to_string()),
        issuer: None,
        workflow: None,
        bundle_sha256: None,
        bundle_url: None,
    })
}

/// Lowercase hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Bytes from GitHub's `bundle_url`: Snappy-compressed (as GitHub serves them) or plain JSON.
pub fn decode_bundle(bytes: Vec<u8>) -> Vec<u8> {
    if bytes.first().is_some_and(|b| *b == b'{') {
        return bytes;
    }
    match snap::raw::Decoder::new().decompress_vec(&bytes) {
        Ok(plain) => plain,
        // Not raw Snappy: maybe the framed format; else hand the bytes on and let the bundle
        // parser say what is wrong.
        Err(_) => {
            let mut plain = Vec::new();
            let mut reader = snap::read::FrameDecoder::new(bytes.as_slice());
            match std::io::Read::read_to_end(&mut reader, &mut plain) {
                Ok(_) => plain,
                Err(_) => bytes,
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
