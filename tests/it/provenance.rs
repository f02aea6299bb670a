//! Provenance end to end, with REAL Sigstore bundles (tests/fixtures/provenance/README.md):
//! a GitHub Actions attestation made by prefix-dev/sigstore-example for a conda package,
//! served by the fake GitHub as that repository's release asset and attestation (inline, or
//! behind a `bundle_url`, plain or Snappy-compressed), or as a sidecar `.sigstore.json`.
//! Tampered copies are made here. minisign signatures are made here with a fresh key.

use std::path::{Path, PathBuf};

use crate::support::archive::{self, exe, script};
use crate::support::fake_github::{AttestationForm, FakeAsset, FakeRelease};
use crate::support::{Run, TestContext};

const LINUX: &str = "linux-x86_64-gnu";
/// The repository the real attestation's certificate names.
const REPO: &str = "prefix-dev/sigstore-example";
/// The conda package is a zip; installed as a "tool" its `metadata.json` is the executable.
const ASSET: &str = "sigstore-example-2.1.0-x86_64-unknown-linux-gnu.zip";
const SPEC: &str = "prefix-dev/sigstore-example[exe=metadata.json]@v2.1.0";

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/provenance")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn artifact() -> Vec<u8> {
    fixture("signed-package-2.1.0-hb0f4dca_0.conda")
}

fn bundle() -> Vec<u8> {
    fixture("conda-attestation.sigstore.json")
}

/// One character of the DSSE signature changed (inside its base64, past the DER header).
fn tampered_bundle() -> Vec<u8> {
    let text = String::from_utf8(bundle()).unwrap();
    let at = text.find("\"sig\"").unwrap();
    let quote = at + 5 + text[at + 5..].find('"').unwrap();
    let pos = quote + 1 + 20;
    let mut bytes = text.into_bytes();
    bytes[pos] = if bytes[pos] == b'A' { b'B' } else { b'A' };
    bytes
}

/// `repo` publishing `asset_bytes` as [`ASSET`] at v2.1.0, with `sidecar` as
/// `<ASSET>.sigstore.json` when given.
fn publish(ctx: &TestContext, repo: &str, asset_bytes: Vec<u8>, sidecar: Option<Vec<u8>>) {
    let mut release = FakeRelease::new("v2.1.0").asset(FakeAsset::new(ASSET, asset_bytes));
    if let Some(bundle) = sidecar {
        release = release.asset(FakeAsset::new(format!("{ASSET}.sigstore.json"), bundle));
    }
    ctx.github.add_release(repo, release);
}

/// A registry directory with one entry for `repo`, with extra TOML lines.
fn registry(ctx: &TestContext, repo: &str, exe: &str, extra: &str) -> PathBuf {
    let dir = ctx.dir.path().join("registry");
    std::fs::create_dir_all(&dir).unwrap();
    let name = repo.split('/').nth(1).unwrap();
    std::fs::write(
        dir.join(format!("{name}.toml")),
        format!(
            "name = \"{name}\"\nrepo = \"{repo}\"\ndescription = \"test\"\n\
             executables = [\"{exe}\"]\n{extra}\n"
        ),
    )
    .unwrap();
    dir
}

fn install_json(ctx: &TestContext, spec: &str, env: &[(&str, &str)]) -> Run {
    ctx.run_env(&["install", spec, "--platform", LINUX, "--json"], env)
}

fn provenance(run: &Run) -> serde_json::Value {
    run.json_lines()[0]["provenance"].clone()
}

fn installed_anything(ctx: &TestContext) -> bool {
    ctx.bin_dir().join("metadata.json").exists()
}

#[test]
fn an_attestation_from_the_releases_own_repository_verifies_inline_or_by_bundle_url() {
    for form in [
        AttestationForm::Inline,
        AttestationForm::UrlPlain,
        AttestationForm::UrlSnappy,
    ] {
        let ctx = TestContext::new();
        publish(&ctx, REPO, artifact(), None);
        let sha256 = archive::sha256_hex(&artifact());
        ctx.github.add_attestation(REPO, &sha256, bundle(), form);
        // The registry says the project attests: one more API request, and only then.
        let dir = registry(&ctx, REPO, "metadata.json", "attests = true");
        let run = install_json(
            &ctx,
            "sigstore-example@v2.1.0",
            &[("TOOLGET_REGISTRY_PATH", dir.to_str().unwrap())],
        )
        .success();
        let p = provenance(&run);
        assert_eq!(p["status"], "verified", "{form:?}: {p}");
        assert_eq!(p["kind"], "github-attestation");
        assert_eq!(p["signer"], REPO);
        assert_eq!(p["issuer"], "https://token.actions.githubusercontent.com");
        assert_eq!(ctx.github.attestation_request_count(), 1, "{form:?}");
        // The release (by its exact tag), then the attestations: two API requests in all.
        assert_eq!(
            ctx.github.api_request_count(),
            2,
            "{form:?}: {:?}",
            ctx.github.requests()
        );

        let list = ctx.run(&["list"]).success();
        assert!(
            list.stdout
                .contains("attested: prefix-dev/sigstore-example, action.yaml@refs/heads/main"),
            "{}",
            list.stdout
        );
        let receipt = std::fs::read_to_string(
            ctx.home()
                .join("tools-v1/prefix-dev/sigstore-example/2.1.0/.toolget-receipt.toml"),
        )
        .unwrap();
        assert!(receipt.contains("github-attestation"), "{receipt}");
    }
}

#[test]
fn a_sidecar_bundle_verifies_with_no_extra_api_request() {
    let ctx = TestContext::new();
    publish(&ctx, REPO, artifact(), Some(bundle()));
    let run = install_json(&ctx, SPEC, &[]).success();
    let p = provenance(&run);
    assert_eq!(p["status"], "verified", "{p}");
    assert_eq!(p["kind"], "sigstore-bundle");
    assert_eq!(p["signer"], REPO);
    assert_eq!(ctx.github.api_request_count(), 1, "only the release");
    assert_eq!(ctx.github.attestation_request_count(), 0);
    // Installed, and the executable is the package's bytes.
    let installed = ctx
        .home()
        .join("tools-v1/prefix-dev/sigstore-example/metadata.json/2.1.0/bin/metadata.json");
    assert!(installed.exists() || ctx.bin_dir().join("metadata.json").exists());
}

#[test]
fn no_provenance_installs_and_says_so_by_default() {
    let ctx = TestContext::new();
    publish(&ctx, REPO, artifact(), None);
    let run = install_json(&ctx, SPEC, &[]).success();
    assert_eq!(provenance(&run)["status"], "absent");
    assert_eq!(ctx.github.api_request_count(), 1);
    let run = ctx
        .run(&["install", SPEC, "--platform", LINUX, "--force"])
        .success();
    assert!(run.stderr.contains("no provenance"), "{}", run.stderr);
}

#[test]
fn a_replaced_artifact_with_the_original_bundle_is_refused_on_the_digest() {
    let ctx = TestContext::new();
    // Someone who can upload assets swaps the package for their own; GitHub's digest
    // matches the new bytes, but the bundle was made for the old ones.
    let evil = archive::zip(&[exe("metadata.json", script("evil"))]);
    publish(&ctx, REPO, evil, Some(bundle()));
    let run = install_json(&ctx, SPEC, &[]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(run.stderr.contains("digest"), "{}", run.stderr);
    assert!(!installed_anything(&ctx));
}

#[test]
fn a_bundle_with_one_byte_of_its_signature_changed_is_refused() {
    let ctx = TestContext::new();
    publish(&ctx, REPO, artifact(), Some(tampered_bundle()));
    let run = install_json(&ctx, SPEC, &[]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(
        run.stderr.contains("provenance check failed"),
        "{}",
        run.stderr
    );
    assert!(!installed_anything(&ctx));
    // `--provenance off` is the way past it, and says so in the JSON.
    let run = ctx
        .run(&[
            "install",
            SPEC,
            "--platform",
            LINUX,
            "--json",
            "--provenance",
            "off",
        ])
        .success();
    assert_eq!(provenance(&run)["status"], "off");
}

#[test]
fn a_valid_bundle_from_another_repository_is_an_identity_failure() {
    let ctx = TestContext::new();
    // The real package and its real, valid bundle — published by acme/tool.
    let mut release = FakeRelease::new("v2.1.0").asset(FakeAsset::new(ASSET, artifact()));
    release = release.asset(FakeAsset::new(format!("{ASSET}.sigstore.json"), bundle()));
    ctx.github.add_release("acme/tool", release);
    let run = ctx.run(&[
        "install",
        "acme/tool[exe=metadata.json]@v2.1.0",
        "--platform",
        LINUX,
    ]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(
        run.stderr.contains("certificate identity")
            && run.stderr.contains("prefix-dev/sigstore-example")
            && run.stderr.contains("acme/tool"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("signer ="),
        "the hint names the fix: {}",
        run.stderr
    );
    assert!(!installed_anything(&ctx));

    // The registry can name another signer.
    let dir = registry(
        &ctx,
        "acme/tool",
        "metadata.json",
        "signer = \"prefix-dev/sigstore-example\"",
    );
    let run = install_json(
        &ctx,
        "tool@v2.1.0",
        &[("TOOLGET_REGISTRY_PATH", dir.to_str().unwrap())],
    )
    .success();
    assert_eq!(provenance(&run)["signer"], REPO);
}

#[test]
fn required_refuses_a_release_without_provenance_before_downloading_it() {
    for (args, env) in [
        (vec!["--provenance", "required"], vec![]),
        (vec![], vec![("TOOLGET_PROVENANCE", "required")]),
    ] {
        let ctx = TestContext::new();
        publish(&ctx, REPO, artifact(), None);
        let mut all = vec!["install", SPEC, "--platform", LINUX];
        all.extend(args.iter().copied());
        let run = ctx.run_env(&all, &env);
        assert_eq!(run.code, 6, "{}", run.stderr);
        assert!(run.stderr.contains("no provenance"), "{}", run.stderr);
        assert!(run.stderr.contains("if-present"), "hint: {}", run.stderr);
        assert_eq!(
            ctx.github.download_request_count(),
            0,
            "refused before download"
        );
        // `required` asks the attestations endpoint (it may be the only source).
        assert_eq!(ctx.github.attestation_request_count(), 1);
        assert!(!installed_anything(&ctx));
    }
    // The spec option does the same for one tool.
    let ctx = TestContext::new();
    publish(&ctx, REPO, artifact(), None);
    let run = ctx.run(&[
        "install",
        "prefix-dev/sigstore-example[exe=metadata.json,provenance=required]@v2.1.0",
        "--platform",
        LINUX,
    ]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert_eq!(ctx.github.download_request_count(), 0);
}

fn write_project(ctx: &TestContext, extra: &str) {
    std::fs::write(
        ctx.dir.path().join("toolget.toml"),
        format!(
            "[tools]\n\"prefix-dev/sigstore-example\" = {{ version = \"2.1.0\", exe = \"metadata.json\"{extra} }}\n"
        ),
    )
    .unwrap();
}

/// A fresh runner: no store, no download cache.
fn wipe_runner(ctx: &TestContext) {
    let _ = std::fs::remove_dir_all(ctx.home());
    let _ = std::fs::remove_dir_all(ctx.cache());
}

#[test]
fn a_locked_install_reverifies_offline_with_zero_api_requests() {
    let ctx = TestContext::new();
    publish(&ctx, REPO, artifact(), None);
    let sha256 = archive::sha256_hex(&artifact());
    ctx.github
        .add_attestation(REPO, &sha256, bundle(), AttestationForm::Inline);
    write_project(&ctx, "");
    ctx.run(&["lock", "--platform", LINUX]).success();
    // `toolget lock` asked the attestations endpoint, verified, and recorded.
    assert_eq!(ctx.github.attestation_request_count(), 1);
    let lock = std::fs::read_to_string(ctx.dir.path().join("toolget.lock")).unwrap();
    assert!(
        lock.contains("provenance = { kind = \"github-attestation\", signer = \"prefix-dev/sigstore-example\", bundle_sha256 = "),
        "{lock}"
    );
    let kept: Vec<_> = std::fs::read_dir(ctx.dir.path().join("toolget.lock.d"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(kept[0].ends_with(".sigstore.json"));
    assert!(lock.contains(kept[0].trim_end_matches(".sigstore.json")));

    // A fresh runner, and every API path answers 403.
    wipe_runner(&ctx);
    ctx.github.clear_requests();
    ctx.github.set_rate_limited(true, 4_102_444_800);
    let run = ctx
        .run(&["install", "--locked", "--platform", LINUX, "--json"])
        .success();
    let p = provenance(&run);
    assert_eq!(p["status"], "verified", "{p}");
    assert_eq!(p["kind"], "github-attestation");
    assert_eq!(
        ctx.github.api_request_count(),
        0,
        "{:?}",
        ctx.github.requests()
    );

    // Without the committed bundle (and no URL recorded), the lock's provenance cannot be
    // checked: a downgrade, refused, with the escape hatch in the hint.
    std::fs::remove_dir_all(ctx.dir.path().join("toolget.lock.d")).unwrap();
    wipe_runner(&ctx);
    let run = ctx.run(&["install", "--locked", "--platform", LINUX]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(run.stderr.contains("cannot be verified"), "{}", run.stderr);
    assert!(
        run.stderr.contains("provenance = \"off\""),
        "{}",
        run.stderr
    );
    assert!(!installed_anything(&ctx));
    // The escape hatch: the per-tool policy, which leaves the lock current.
    write_project(&ctx, ", provenance = \"off\"");
    let run = ctx
        .run(&["install", "--locked", "--platform", LINUX, "--json"])
        .success();
    assert_eq!(provenance(&run)["status"], "off");
    assert_eq!(ctx.github.api_request_count(), 0);
}

#[test]
fn a_locked_install_fetches_a_recorded_bundle_url_and_checks_its_sha256() {
    let ctx = TestContext::new();
    publish(&ctx, REPO, artifact(), None);
    let sha256 = archive::sha256_hex(&artifact());
    ctx.github
        .add_attestation(REPO, &sha256, bundle(), AttestationForm::UrlSnappy);
    write_project(&ctx, "");
    ctx.run(&["lock", "--platform", LINUX]).success();
    let lock = std::fs::read_to_string(ctx.dir.path().join("toolget.lock")).unwrap();
    assert!(lock.contains("bundle_url = "), "{lock}");
    std::fs::remove_dir_all(ctx.dir.path().join("toolget.lock.d")).unwrap();
    wipe_runner(&ctx);
    ctx.github.clear_requests();
    ctx.github.set_rate_limited(true, 4_102_444_800);
    let run = ctx
        .run(&["install", "--locked", "--platform", LINUX, "--json"])
        .success();
    assert_eq!(provenance(&run)["status"], "verified");
    assert_eq!(ctx.github.api_request_count(), 0);
}

#[test]
fn verify_finds_one_changed_byte_in_an_installed_file() {
    let ctx = TestContext::new();
    publish(&ctx, REPO, artifact(), Some(bundle()));
    install_json(&ctx, SPEC, &[]).success();
    let run = ctx.run(&["verify"]).success();
    assert!(
        run.stdout.contains("ok prefix-dev/sigstore-example"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("signed: prefix-dev/sigstore-example"),
        "{}",
        run.stdout
    );

    let exe = std::fs::canonicalize(ctx.bin_dir().join("metadata.json")).unwrap();
    let mut bytes = std::fs::read(&exe).unwrap();
    bytes[3] ^= 0x20;
    std::fs::write(&exe, bytes).unwrap();
    let run = ctx.run(&["verify", "prefix-dev/sigstore-example"]);
    assert_eq!(run.code, 6, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("bin/metadata.json: modified since install"),
        "{}",
        run.stdout
    );
    let run = ctx.run(&["verify", "nothing/here"]);
    assert_ne!(run.code, 0);
}

#[test]
fn a_minisign_signature_verifies_with_the_key_given() {
    let ctx = TestContext::new();
    let stem = "tool-v1.0.0-x86_64-unknown-linux-gnu";
    let bytes = archive::tar_gz(&[exe(&format!("{stem}/tool"), script("tool 1.0.0"))]);
    let pair = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let signature = minisign::sign(None, &pair.sk, bytes.as_slice(), None, None)
        .unwrap()
        .into_string();
    let key = pair.pk.to_base64();
    ctx.github.add_release(
        "acme/tool",
        FakeRelease::new("v1.0.0")
            .asset(FakeAsset::new(format!("{stem}.tar.gz"), bytes))
            .asset(FakeAsset::new(format!("{stem}.tar.gz.minisig"), signature)),
    );
    let dir = registry(
        &ctx,
        "acme/tool",
        "tool",
        &format!("minisign_key = \"{key}\""),
    );
    let registry_env = [("TOOLGET_REGISTRY_PATH", dir.to_str().unwrap())];
    let run = ctx
        .run_env(
            &["install", "tool@1.0.0", "--platform", LINUX, "--json"],
            &registry_env,
        )
        .success();
    let p = provenance(&run);
    assert_eq!(p["status"], "verified", "{p}");
    assert_eq!(p["kind"], "minisign");
    assert_eq!(p["signer"], key.as_str());

    // Another key: refused.
    let other = minisign::KeyPair::generate_unencrypted_keypair()
        .unwrap()
        .pk
        .to_base64();
    let ctx2 = TestContext::new();
    let stem_bytes = archive::tar_gz(&[exe(&format!("{stem}/tool"), script("tool 1.0.0"))]);
    let signature = minisign::sign(None, &pair.sk, stem_bytes.as_slice(), None, None)
        .unwrap()
        .into_string();
    ctx2.github.add_release(
        "acme/tool",
        FakeRelease::new("v1.0.0")
            .asset(FakeAsset::new(format!("{stem}.tar.gz"), stem_bytes))
            .asset(FakeAsset::new(format!("{stem}.tar.gz.minisig"), signature)),
    );
    let dir = registry(
        &ctx2,
        "acme/tool",
        "tool",
        &format!("minisign_key = \"{other}\""),
    );
    let run = ctx2.run_env(
        &["install", "tool@1.0.0", "--platform", LINUX],
        &[("TOOLGET_REGISTRY_PATH", dir.to_str().unwrap())],
    );
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(run.stderr.contains("minisign"), "{}", run.stderr);
}

#[test]
fn resolve_json_checks_a_sidecar_against_githubs_digest_without_downloading_the_asset() {
    let ctx = TestContext::new();
    publish(&ctx, REPO, artifact(), Some(bundle()));
    let run = ctx
        .run(&["resolve", SPEC, "--platform", LINUX, "--json"])
        .success();
    let p = &run.json_lines()[0]["provenance"];
    assert_eq!(p["status"], "verified", "{p}");
    assert_eq!(p["kind"], "sigstore-bundle");
    assert_eq!(p["signer"], REPO);
    // Only the bundle was downloaded, not the asset.
    let downloads: Vec<String> = ctx
        .github
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/download/"))
        .map(|r| r.path)
        .collect();
    assert_eq!(downloads.len(), 1, "{downloads:?}");
    assert!(downloads[0].ends_with(".sigstore.json"), "{downloads:?}");

    // A tampered bundle: resolve says so in the object, with what failed.
    let ctx = TestContext::new();
    publish(&ctx, REPO, artifact(), Some(tampered_bundle()));
    let run = ctx
        .run(&["resolve", SPEC, "--platform", LINUX, "--json"])
        .success();
    let p = &run.json_lines()[0]["provenance"];
    assert_eq!(p["status"], "failed", "{p}");
}
