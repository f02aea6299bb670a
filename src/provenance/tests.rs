//! Real bundles from the sigstore-verify crate's test data (tests/fixtures/provenance/README.md).

use super::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/provenance");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(FIXTURES).join(name)).unwrap()
}

fn conda() -> (Vec<u8>, String, Material) {
    let artifact = fixture("signed-package-2.1.0-hb0f4dca_0.conda");
    let sha256 = sha256_hex(&artifact);
    let material = Material {
        kind: Kind::GithubAttestation,
        bytes: fixture("conda-attestation.sigstore.json"),
        origin: "attestations API".into(),
        url: None,
        key: None,
    };
    (artifact, sha256, material)
}

fn expect(repo: &str, signer: Option<&str>) -> Expectation {
    let (owner, name) = repo.split_once('/').unwrap();
    Expectation {
        repo: RepoId::new(owner, name),
        signer: signer.map(str::to_string),
    }
}

#[test]
fn a_github_actions_attestation_verifies_for_its_own_repository() {
    let (_, sha256, material) = conda();
    let got = check(
        "pkg.conda",
        &material,
        &sha256,
        None,
        &expect("prefix-dev/sigstore-example", None),
        &TrustRoots::default(),
    )
    .unwrap();
    assert_eq!(got.status, Status::Verified);
    assert_eq!(got.kind, Some(Kind::GithubAttestation));
    assert_eq!(got.signer.as_deref(), Some("prefix-dev/sigstore-example"));
    assert_eq!(got.issuer.as_deref(), Some(GITHUB_ACTIONS_ISSUER));
    assert_eq!(got.workflow.as_deref(), Some("action.yaml@refs/heads/main"));
    assert_eq!(
        got.summary(),
        "attested: prefix-dev/sigstore-example, action.yaml@refs/heads/main"
    );
    assert_eq!(got.bundle_sha256, Some(sha256_hex(&material.bytes)));
}

#[test]
fn a_valid_attestation_from_another_repository_is_an_identity_failure() {
    let (_, sha256, material) = conda();
    let err = check(
        "pkg.conda",
        &material,
        &sha256,
        None,
        &expect("acme/tool", None),
        &TrustRoots::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, ProvenanceError::WrongSigner { found, expected, .. }
            if found == "prefix-dev/sigstore-example" && expected == "acme/tool"),
        "{err}"
    );
    // The registry's `signer` lets another repository vouch.
    check(
        "pkg.conda",
        &material,
        &sha256,
        None,
        &expect("acme/tool", Some("prefix-dev/sigstore-example")),
        &TrustRoots::default(),
    )
    .unwrap();
}

#[test]
fn another_digest_is_a_digest_failure() {
    let (mut artifact, _, material) = conda();
    artifact[100] ^= 1;
    let err = check(
        "pkg.conda",
        &material,
        &sha256_hex(&artifact),
        None,
        &expect("prefix-dev/sigstore-example", None),
        &TrustRoots::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            &err,
            ProvenanceError::Invalid {
                failure: Failure::Digest,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn one_byte_of_the_signature_changed_fails() {
    let (_, sha256, mut material) = conda();
    let text = String::from_utf8(material.bytes.clone()).unwrap();
    material.bytes = tamper_signature(&text).into_bytes();
    let err = check(
        "pkg.conda",
        &material,
        &sha256,
        None,
        &expect("prefix-dev/sigstore-example", None),
        &TrustRoots::default(),
    )
    .unwrap_err();
    assert!(matches!(&err, ProvenanceError::Invalid { .. }), "{err}");
}

/// Change one character of the DSSE signature (base64, past its DER header).
pub(crate) fn tamper_signature(bundle: &str) -> String {
    let at = bundle.find("\"sig\"").unwrap();
    let start = at
        + bundle[at..]
            .find(": \"")
            .map(|i| i + 3)
            .or_else(|| bundle[at..].find(":\"").map(|i| i + 2))
            .unwrap();
    let pos = start + 20;
    let mut bytes = bundle.as_bytes().to_vec();
    bytes[pos] = if bytes[pos] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).unwrap()
}

#[test]
fn a_cosign_blob_bundle_verifies_for_its_named_signer_only() {
    let blob = fixture("cosign-v3-blob.txt");
    let material = Material {
        kind: Kind::SigstoreBundle,
        bytes: fixture("cosign-v3-blob.sigstore.json"),
        origin: "blob.sigstore.json".into(),
        url: None,
        key: None,
    };
    let sha256 = sha256_hex(&blob);
    // Signed by a person (OAuth), not by a repository's workflow: the repo rule refuses it.
    let err = check(
        "blob",
        &material,
        &sha256,
        None,
        &expect("acme/tool", None),
        &TrustRoots::default(),
    )
    .unwrap_err();
    let ProvenanceError::WrongSigner { found, .. } = &err else {
        panic!("{err}");
    };
    let signer = found.clone();
    let got = check(
        "blob",
        &material,
        &sha256,
        None,
        &expect("acme/tool", Some(&signer)),
        &TrustRoots::default(),
    )
    .unwrap();
    assert_eq!(got.kind, Some(Kind::SigstoreBundle));
    assert_eq!(
        got.issuer.as_deref(),
        Some("https://github.com/login/oauth")
    );
}

#[test]
fn a_trusted_root_override_that_does_not_cover_the_bundle_fails_on_the_root() {
    let (_, sha256, material) = conda();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("trusted_root.json");
    std::fs::write(
        &root,
        sigstore_verify::trust_root::SIGSTORE_STAGING_TRUSTED_ROOT,
    )
    .unwrap();
    let err = check(
        "pkg.conda",
        &material,
        &sha256,
        None,
        &expect("prefix-dev/sigstore-example", None),
        &TrustRoots::new(Some(root)),
    )
    .unwrap_err();
    assert!(matches!(&err, ProvenanceError::Invalid { .. }), "{err}");
    let missing = TrustRoots::new(Some(dir.path().join("nope.json")));
    let err = check(
        "pkg.conda",
        &material,
        &sha256,
        None,
        &expect("prefix-dev/sigstore-example", None),
        &missing,
    )
    .unwrap_err();
    assert!(matches!(&err, ProvenanceError::TrustRoot { .. }), "{err}");
}

#[test]
fn minisign_signatures_verify_with_their_key_only() {
    let dir = tempfile::tempdir().unwrap();
    let artifact = dir.path().join("tool.tar.gz");
    std::fs::write(&artifact, b"some release bytes").unwrap();
    let pair = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let signature = minisign::sign(None, &pair.sk, &b"some release bytes"[..], None, None)
        .unwrap()
        .into_string();
    let key = pair.pk.to_base64();
    let material = |key: &str| Material {
        kind: Kind::Minisign,
        bytes: signature.clone().into_bytes(),
        origin: "tool.tar.gz.minisig".into(),
        url: None,
        key: Some(key.to_string()),
    };
    let expect = expect("acme/tool", None);
    let got = check(
        "tool.tar.gz",
        &material(&key),
        "00",
        Some(&artifact),
        &expect,
        &TrustRoots::default(),
    )
    .unwrap();
    assert_eq!(got.kind, Some(Kind::Minisign));
    assert_eq!(got.signer.as_deref(), Some(key.as_str()));

    std::fs::write(&artifact, b"some release bytez").unwrap();
    let err = check(
        "tool.tar.gz",
        &material(&key),
        "00",
        Some(&artifact),
        &expect,
        &TrustRoots::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            &err,
            ProvenanceError::Invalid {
                failure: Failure::Signature,
                ..
            }
        ),
        "{err}"
    );

    let other = minisign::KeyPair::generate_unencrypted_keypair()
        .unwrap()
        .pk
        .to_base64();
    std::fs::write(&artifact, b"some release bytes").unwrap();
    let err = check(
        "tool.tar.gz",
        &material(&other),
        "00",
        Some(&artifact),
        &expect,
        &TrustRoots::default(),
    )
    .unwrap_err();
    assert!(matches!(&err, ProvenanceError::Invalid { .. }), "{err}");
}

#[test]
fn bundle_url_bytes_are_read_plain_or_snappy() {
    let plain = fixture("conda-attestation.sigstore.json");
    let raw = snap::raw::Encoder::new().compress_vec(&plain).unwrap();
    assert_eq!(decode_bundle(raw), plain);
    let mut framed = Vec::new();
    {
        let mut w = snap::write::FrameEncoder::new(&mut framed);
        std::io::Write::write_all(&mut w, &plain).unwrap();
    }
    assert_eq!(decode_bundle(framed), plain);
    assert_eq!(decode_bundle(plain.clone()), plain);
}

#[test]
fn policies_and_kinds_read_back() {
    for policy in [Policy::Required, Policy::IfPresent, Policy::Off] {
        assert_eq!(policy.as_str().parse::<Policy>().unwrap(), policy);
    }
    assert!("maybe".parse::<Policy>().is_err());
    for kind in [
        Kind::GithubAttestation,
        Kind::SigstoreBundle,
        Kind::Minisign,
        Kind::Packslip,
    ] {
        assert_eq!(kind.as_str().parse::<Kind>().unwrap(), kind);
    }
}

#[test]
fn sidecars_are_found_by_name() {
    let assets: Vec<Asset> = [
        "t.tar.gz",
        "t.tar.gz.sigstore.json",
        "t.tar.gz.minisig",
        "u.tar.gz.bundle",
    ]
    .into_iter()
    .map(Asset::named)
    .collect();
    let got = sources_for(&assets[0], &assets, true, None);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0], Source::Attestations);
    assert_eq!(got[1], Source::Sidecar(assets[1].clone()));
    let got = sources_for(&assets[0], &assets, false, Some("KEY"));
    assert!(matches!(&got[1], Source::Minisign { key, .. } if key == "KEY"));
}
