//! `toolget verify`: re-check an installed version against its receipt — the sha256 of every
//! file toolget wrote — and its recorded provenance, re-verified from the bundle kept beside
//! the receipt. Reads the store; writes nothing; no network. (Above both `provenance` and
//! `store`: a receipt records provenance, and this reads receipts.)

use std::path::Path;

use crate::release::RepoId;
use crate::store::{InstalledVersion, Receipt};
use crate::text::untrusted;

use crate::provenance::{self, Expectation, KEPT_BUNDLE, Kind, Material, Status, TrustRoots};

/// One way an installed version differs from its receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The file's bytes changed (or it became/stopped being a link).
    Modified {
        file: String,
    },
    Missing {
        file: String,
    },
    /// The receipt predates file hashes: nothing to compare the files with.
    NoFileHashes,
    /// The recorded provenance no longer verifies (bundle gone or changed, or it fails).
    Provenance {
        problem: String,
    },
}

impl Finding {
    pub fn describe(&self) -> String {
        match self {
            Finding::Modified { file } => format!("{}: modified since install", untrusted(file)),
            Finding::Missing { file } => format!("{}: missing", untrusted(file)),
            Finding::NoFileHashes => {
                "the receipt records no file hashes (installed by an older toolget); \
                 reinstall with --force to record them"
                    .into()
            }
            Finding::Provenance { problem } => format!("provenance: {}", untrusted(problem)),
        }
    }

    /// Whether this finding is a difference (exit 6), not a note.
    pub fn is_difference(&self) -> bool {
        !matches!(self, Finding::NoFileHashes)
    }
}

/// Check one installed version.
pub fn audit(version: &InstalledVersion, roots: &TrustRoots) -> Vec<Finding> {
    let receipt = &version.receipt;
    let mut findings = files(&version.path, receipt);
    if let Some(problem) = provenance(&version.path, receipt, roots) {
        findings.push(Finding::Provenance { problem });
    }
    findings
}

fn files(dir: &Path, receipt: &Receipt) -> Vec<Finding> {
    if receipt.file_sha256.is_empty() {
        return vec![Finding::NoFileHashes];
    }
    let mut findings = Vec::new();
    for (file, want) in &receipt.file_sha256 {
        let path = dir.join(file);
        match crate::store::hash_file(&path) {
            Ok(got) if got == *want => {}
            Ok(_) => findings.push(Finding::Modified { file: file.clone() }),
            Err(_) => findings.push(Finding::Missing { file: file.clone() }),
        }
    }
    findings
}

fn provenance(dir: &Path, receipt: &Receipt, roots: &TrustRoots) -> Option<String> {
    let recorded = receipt.provenance.as_ref()?;
    if recorded.status != Status::Verified {
        return None;
    }
    let kind = recorded.kind?;
    if kind == Kind::Minisign {
        // A minisign signature covers the archive, which is not kept; the file hashes above
        // are what can be checked.
        return None;
    }
    let bundle_path = dir.join(KEPT_BUNDLE);
    let Ok(bytes) = std::fs::read(&bundle_path) else {
        return Some(format!("the kept bundle `{KEPT_BUNDLE}` is missing"));
    };
    if recorded.bundle_sha256.as_deref() != Some(provenance::sha256_hex(&bytes).as_str()) {
        return Some(format!("the kept bundle `{KEPT_BUNDLE}` changed"));
    }
    let repo = receipt
        .repo
        .split_once('/')
        .map(|(o, n)| RepoId::new(o, n))?;
    let signer = recorded
        .signer
        .clone()
        .filter(|s| !s.eq_ignore_ascii_case(&receipt.repo));
    let expect = Expectation { repo, signer };
    let material = Material {
        kind,
        bytes,
        origin: KEPT_BUNDLE.into(),
        url: None,
        key: None,
    };
    match provenance::check(
        &receipt.asset,
        &material,
        &receipt.sha256,
        None,
        &expect,
        roots,
    ) {
        Ok(_) => None,
        Err(e) => Some(e.to_string()),
    }
}
