//! The GitHub client against the loopback fake: mapping, pagination, 404s, rate limits,
//! retries, where the token goes, GitHub Enterprise prefixes.
#![allow(clippy::unwrap_used)]

use sha2::{Digest, Sha256};
use toolget::error::Diagnostic;
use toolget::github::{ClientOptions, GithubClient, GithubError};
use toolget::http::RetryPolicy;
use toolget::release::RepoId;

use crate::support::fake_github::{Endpoint, FakeAsset, FakeGithub, FakeRelease, Fault};

const ATTEMPTS: u32 = 3;

fn client_for(api_url: &str, token: Option<&str>) -> GithubClient {
    GithubClient::new(ClientOptions {
        api_url: api_url.to_owned(),
        token: token.map(str::to_owned),
        retry: RetryPolicy::immediate(ATTEMPTS),
        ..ClientOptions::default()
    })
    .unwrap()
}

fn client(fake: &FakeGithub) -> GithubClient {
    client_for(&fake.api_url(), None)
}

fn repo() -> RepoId {
    RepoId::new("acme", "widget")
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The fake with `acme/widget` and one release `v1.0.0`.
fn fake_with_one_release() -> FakeGithub {
    let fake = FakeGithub::start();
    fake.add_release(
        "acme/widget",
        FakeRelease::new("v1.0.0").asset(FakeAsset::new("widget-linux.tar.gz", b"linux".to_vec())),
    );
    fake
}

#[test]
fn release_by_tag_maps_fields_and_digests() {
    let fake = FakeGithub::start();
    let wrong = format!("sha256:{}", "0".repeat(64));
    fake.add_release(
        "acme/widget",
        FakeRelease::new("v1.2.3")
            .published_at("2025-03-01T10:00:00Z")
            .asset(FakeAsset::new(
                "widget-x86_64-linux.tar.gz",
                b"tarball bytes".to_vec(),
            ))
            .asset(FakeAsset::new("widget-arm64-darwin.zip", b"zip".to_vec()).no_digest())
            .asset(FakeAsset::new("widget.exe", b"exe".to_vec()).wrong_digest(wrong.clone()))
            .asset(FakeAsset::new("widget.sig", b"sig".to_vec()).wrong_digest("md5:abcdef")),
    );
    let client = client(&fake);

    let release = client.release_by_tag(&repo(), "v1.2.3").unwrap().unwrap();

    assert_eq!(release.tag, "v1.2.3");
    assert_eq!(release.name.as_deref(), Some("v1.2.3"));
    assert!(!release.draft && !release.prerelease);
    assert_eq!(
        release.published_at.as_deref(),
        Some("2025-03-01T10:00:00Z")
    );
    let names: Vec<&str> = release.assets.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "widget-x86_64-linux.tar.gz",
            "widget-arm64-darwin.zip",
            "widget.exe",
            "widget.sig"
        ]
    );
    let tarball = &release.assets[0];
    assert_eq!(tarball.size, 13);
    assert_eq!(
        tarball.digest.as_deref(),
        Some(format!("sha256:{}", sha256_hex(b"tarball bytes")).as_str())
    );
    assert_eq!(
        tarball.download_url,
        fake.download_url("acme/widget", "v1.2.3", "widget-x86_64-linux.tar.gz")
    );
    let api_url = tarball.api_url.as_deref().unwrap();
    assert!(
        api_url.starts_with(&format!(
            "{}/repos/acme/widget/releases/assets/",
            fake.api_url()
        )),
        "{api_url}"
    );
    assert_eq!(release.assets[1].digest, None, "null digest");
    // A well-formed but wrong digest is kept (verification must catch it) ...
    assert_eq!(release.assets[2].digest.as_deref(), Some(wrong.as_str()));
    // ... and so is one toolget cannot check: `verify` names its algorithm in a warning and
    // falls back to the release's checksum files.
    assert_eq!(release.assets[3].digest.as_deref(), Some("md5:abcdef"));
}

#[test]
fn release_with_null_name_and_odd_tag() {
    let fake = FakeGithub::start();
    fake.add_release("acme/widget", FakeRelease::new("v1.0.0+build.7").name(None));
    let client = client(&fake);

    let release = client
        .release_by_tag(&repo(), "v1.0.0+build.7")
        .unwrap()
        .unwrap();

    assert_eq!(release.tag, "v1.0.0+build.7");
    assert_eq!(release.name, None);
    assert!(release.assets.is_empty());
}

#[test]
fn one_release_by_tag_is_one_request_with_api_headers() {
    let fake = fake_with_one_release();
    let client = client(&fake);

    client.release_by_tag(&repo(), "v1.0.0").unwrap().unwrap();

    assert_eq!(client.api_requests(), 1);
    assert_eq!(fake.api_request_count(), 1);
    let requests = fake.requests();
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, "/repos/acme/widget/releases/tags/v1.0.0");
    assert_eq!(
        requests[0].accept.as_deref(),
        Some("application/vnd.github+json")
    );
    assert_eq!(requests[0].authorization, None);
}

#[test]
fn latest_skips_drafts_and_prereleases() {
    let fake = FakeGithub::start();
    fake.add_release("acme/widget", FakeRelease::new("v1.0.0"));
    fake.add_release("acme/widget", FakeRelease::new("v1.1.0"));
    fake.add_release("acme/widget", FakeRelease::new("v1.2.0-rc.1").prerelease());
    fake.add_release("acme/widget", FakeRelease::new("v2.0.0").draft());
    fake.add_release(
        "acme/beta-only",
        FakeRelease::new("v0.1.0-beta").prerelease(),
    );
    let client = client(&fake);

    let latest = client.latest_release(&repo()).unwrap().unwrap();
    assert_eq!(latest.tag, "v1.1.0");

    let none = client
        .latest_release(&RepoId::new("acme", "beta-only"))
        .unwrap();
    assert_eq!(none, None);
}

#[test]
fn list_follows_link_headers_across_pages_in_api_order() {
    let fake = FakeGithub::start();
    for minor in 0..5 {
        fake.add_release(
            "acme/widget",
            FakeRelease::new(format!("v1.{minor}.0"))
                .published_at(format!("2025-01-0{}T00:00:00Z", minor + 1)),
        );
    }
    fake.set_page_size(2);
    let client = client(&fake);

    let all = client.list_releases(&repo(), None).unwrap();

    let tags: Vec<&str> = all.iter().map(|r| r.tag.as_str()).collect();
    assert_eq!(tags, ["v1.4.0", "v1.3.0", "v1.2.0", "v1.1.0", "v1.0.0"]);
    let paths: Vec<String> = fake.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/repos/acme/widget/releases?per_page=100",
            "/repos/acme/widget/releases?per_page=100&page=2",
            "/repos/acme/widget/releases?per_page=100&page=3",
        ]
    );
    assert_eq!(client.api_requests(), 3);
}

#[test]
fn list_stops_at_the_limit() {
    let fake = FakeGithub::start();
    for minor in 0..5 {
        fake.add_release("acme/widget", FakeRelease::new(format!("v1.{minor}.0")));
    }
    fake.set_page_size(2);
    let client = client(&fake);

    let three = client.list_releases(&repo(), Some(3)).unwrap();

    let tags: Vec<&str> = three.iter().map(|r| r.tag.as_str()).collect();
    assert_eq!(tags, ["v1.4.0", "v1.3.0", "v1.2.0"]);
    assert_eq!(fake.api_request_count(), 2, "the third page is not fetched");
}

#[test]
fn missing_tag_is_none_and_unknown_repo_does_not_exist() {
    let fake = fake_with_one_release();
    let client = client(&fake);
    let unknown = RepoId::new("acme", "nope");

    assert_eq!(client.release_by_tag(&repo(), "v9.9.9").unwrap(), None);
    assert_eq!(client.release_by_tag(&unknown, "v1.0.0").unwrap(), None);
    assert_eq!(client.latest_release(&unknown).unwrap(), None);
    assert!(client.repo_exists(&repo()).unwrap());
    assert!(!client.repo_exists(&unknown).unwrap());
    let err = client.list_releases(&unknown, None).unwrap_err();
    assert_eq!(err.kind().as_str(), "not_found");
}

#[test]
fn primary_rate_limit_says_when_it_resets_and_suggests_a_token() {
    let fake = fake_with_one_release();
    // 2100-01-01T00:00:00Z: far enough ahead to stay in the future.
    fake.set_rate_limited(true, 4_102_444_800);
    let client = client(&fake);

    let err = client.release_by_tag(&repo(), "v1.0.0").unwrap_err();

    assert_eq!(err.kind().as_str(), "rate_limited");
    let message = err.to_string();
    assert!(message.contains("rate limit"), "{message}");
    assert!(message.contains("2100-01-01T00:00:00Z"), "{message}");
    assert!(message.contains("minutes"), "{message}");
    let hint = err.hint().unwrap();
    assert!(
        hint.contains("GITHUB_TOKEN") && hint.contains("GH_TOKEN"),
        "{hint}"
    );
    assert_eq!(fake.api_request_count(), 1, "rate limits are not retried");
}

#[test]
fn rate_limit_with_a_token_does_not_suggest_setting_one() {
    let fake = fake_with_one_release();
    fake.set_rate_limited(true, 4_102_444_800);
    let client = client_for(&fake.api_url(), Some("ghp_test"));

    let err = client.latest_release(&repo()).unwrap_err();

    assert!(matches!(
        err,
        GithubError::RateLimited {
            authenticated: true,
            reset_at: Some(4_102_444_800),
            ..
        }
    ));
    let hint = err.hint().unwrap();
    assert!(
        !hint.contains("GITHUB_TOKEN") && !hint.contains("GH_TOKEN"),
        "{hint}"
    );
}

#[test]
fn secondary_rate_limit_429_reports_retry_after() {
    let fake = fake_with_one_release();
    fake.fail_next(
        "/repos/acme/widget",
        Fault::RateLimit429 { retry_after: 120 },
    );
    let client = client(&fake);

    let err = client.release_by_tag(&repo(), "v1.0.0").unwrap_err();

    assert!(matches!(
        err,
        GithubError::RateLimited { retry_after: Some(d), .. } if d.as_secs() == 120
    ));
    assert!(err.to_string().contains("in 2 minutes"), "{err}");
    assert_eq!(fake.api_request_count(), 1);
}

#[test]
fn forbidden_without_rate_limit_is_an_http_error_with_githubs_message() {
    let fake = fake_with_one_release();
    fake.fail_next(
        "/repos/",
        Fault::Message {
            status: 403,
            message: "Resource not accessible by personal access token".into(),
        },
    );
    let client = client_for(&fake.api_url(), Some("ghp_weak"));

    let err = client.release_by_tag(&repo(), "v1.0.0").unwrap_err();

    assert!(matches!(err, GithubError::Http { status: 403, .. }));
    assert_eq!(err.kind().as_str(), "http");
    assert!(
        err.to_string()
            .contains("Resource not accessible by personal access token"),
        "{err}"
    );
    assert_eq!(fake.api_request_count(), 1, "a 403 is not retried");
}

#[test]
fn one_bad_gateway_is_retried() {
    let fake = fake_with_one_release();
    fake.fail_next("/repos/acme/widget/releases/tags", Fault::Status(502));
    let client = client(&fake);

    let release = client.release_by_tag(&repo(), "v1.0.0").unwrap().unwrap();

    assert_eq!(release.tag, "v1.0.0");
    assert_eq!(fake.requests().len(), 2);
    assert_eq!(client.api_requests(), 2);
}

#[test]
fn persistent_bad_gateway_gives_up_after_max_attempts() {
    let fake = fake_with_one_release();
    for _ in 0..ATTEMPTS + 2 {
        fake.fail_next("/repos/", Fault::Status(502));
    }
    let client = client(&fake);

    let err = client.release_by_tag(&repo(), "v1.0.0").unwrap_err();

    assert!(
        matches!(err, GithubError::Http { status: 502, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("3 attempts"), "{err}");
    assert_eq!(fake.requests().len(), ATTEMPTS as usize);
}

#[test]
fn dropped_connections_and_truncated_bodies_are_retried() {
    let fake = fake_with_one_release();
    fake.fail_next("/repos/", Fault::ResetConnection);
    fake.fail_next("/repos/", Fault::TruncateBody { after_bytes: 10 });
    let client = client(&fake);

    let release = client.release_by_tag(&repo(), "v1.0.0").unwrap().unwrap();

    assert_eq!(release.assets.len(), 1);
    assert_eq!(fake.requests().len(), 3);
}

#[test]
fn unreachable_host_is_a_network_error_naming_it() {
    let fake = fake_with_one_release();
    for _ in 0..ATTEMPTS {
        fake.fail_next("/repos/", Fault::ResetConnection);
    }
    let client = client(&fake);

    let err = client.release_by_tag(&repo(), "v1.0.0").unwrap_err();

    assert_eq!(err.kind().as_str(), "network", "{err:?}");
    assert!(err.to_string().contains("127.0.0.1"), "{err}");
    assert!(err.hint().unwrap().contains("TOOLGET_GITHUB_API_URL"));
    assert_eq!(fake.requests().len(), ATTEMPTS as usize);
}

#[test]
fn broken_json_is_an_invalid_response() {
    let fake = fake_with_one_release();
    fake.fail_next(
        "/repos/",
        Fault::Body {
            status: 200,
            body: "{\"tag_name\": ".into(),
        },
    );
    let client = client(&fake);

    let err = client.release_by_tag(&repo(), "v1.0.0").unwrap_err();

    assert_eq!(err.kind().as_str(), "invalid_response");
}

#[test]
fn token_goes_to_the_api_host_and_never_to_the_download_host() {
    let fake = fake_with_one_release();
    let client = client_for(&fake.api_url(), Some("ghp_secret"));

    let release = client.release_by_tag(&repo(), "v1.0.0").unwrap().unwrap();
    let response = client.asset_request(&release.assets[0]).send().unwrap();

    assert!(response.status().is_success());
    assert_eq!(response.bytes().unwrap().as_ref(), b"linux");
    let requests = fake.requests();
    assert_eq!(requests.len(), 3, "{requests:#?}");
    let (api, asset, cdn) = (&requests[0], &requests[1], &requests[2]);
    assert_eq!(api.authorization.as_deref(), Some("Bearer ghp_secret"));
    // The asset's API URL, with the token, asking for bytes ...
    assert_eq!(asset.endpoint, Endpoint::Api);
    assert!(asset.path.contains("/releases/assets/"), "{}", asset.path);
    assert_eq!(asset.authorization.as_deref(), Some("Bearer ghp_secret"));
    assert_eq!(asset.accept.as_deref(), Some("application/octet-stream"));
    // ... redirected to the download host, which never sees it.
    assert_eq!(cdn.endpoint, Endpoint::Download);
    assert!(cdn.path.starts_with("/download/acme/widget/v1.0.0/"));
    assert_eq!(cdn.authorization, None);
}

#[test]
fn without_a_token_assets_come_straight_from_the_download_url() {
    let fake = fake_with_one_release();
    let client = client(&fake);

    let release = client.release_by_tag(&repo(), "v1.0.0").unwrap().unwrap();
    let body = client
        .asset_request(&release.assets[0])
        .send()
        .unwrap()
        .bytes()
        .unwrap();

    assert_eq!(body.as_ref(), b"linux");
    let requests = fake.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].endpoint, Endpoint::Download);
    assert_eq!(fake.download_request_count(), 1);
}

#[test]
fn token_is_not_sent_when_an_asset_points_to_another_host() {
    // Two servers are two origins: the API on one, a release on the other (a mirror or a
    // malicious API answer); the token must stay home.
    let api = FakeGithub::start();
    let other = FakeGithub::start();
    other.add_release(
        "acme/widget",
        FakeRelease::new("v1.0.0").asset(FakeAsset::new("w.tar.gz", b"w".to_vec())),
    );
    let client_other = client(&other);
    let asset = client_other
        .release_by_tag(&repo(), "v1.0.0")
        .unwrap()
        .unwrap()
        .assets[0]
        .clone();
    other.clear_requests();
    let client = client_for(&api.api_url(), Some("ghp_secret"));

    let body = client
        .asset_request(&asset)
        .send()
        .unwrap()
        .bytes()
        .unwrap();

    assert_eq!(body.as_ref(), b"w");
    let requests = other.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].authorization, None);
    assert!(api.requests().is_empty());
}

#[test]
fn enterprise_prefix_base_works_with_a_trailing_slash() {
    let fake = FakeGithub::start_with_prefix("/api/v3");
    fake.add_release("acme/widget", FakeRelease::new("v3.0.0"));
    fake.set_page_size(1);
    fake.add_release("acme/widget", FakeRelease::new("v3.1.0"));
    let client = client_for(&format!("{}/", fake.api_url()), Some("ghe_token"));

    let release = client.release_by_tag(&repo(), "v3.0.0").unwrap().unwrap();
    let all = client.list_releases(&repo(), None).unwrap();

    assert_eq!(release.tag, "v3.0.0");
    assert_eq!(all.len(), 2);
    let requests = fake.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.path.starts_with("/api/v3/repos/acme/widget/")),
        "{requests:#?}"
    );
    assert!(
        requests
            .iter()
            .all(|r| r.authorization.as_deref() == Some("Bearer ghe_token"))
    );
    assert_eq!(fake.api_request_count(), 3);
}

// The fake itself: later tests lean on it, so its own promises are checked here.

#[test]
fn fake_answers_garbage_with_400_and_keeps_serving() {
    use std::io::{Read, Write};
    let fake = fake_with_one_release();
    let addr = fake.api_origin().trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream.write_all(b"NONSENSE\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");

    let client = client(&fake);
    assert!(client.release_by_tag(&repo(), "v1.0.0").unwrap().is_some());
}

#[test]
fn fake_streams_file_backed_assets_with_their_digest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.bin");
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &content).unwrap();
    let fake = FakeGithub::start();
    fake.add_release(
        "acme/widget",
        FakeRelease::new("v1.0.0").asset(FakeAsset::from_file("big.bin", &path)),
    );
    let client = client(&fake);

    let asset = client
        .release_by_tag(&repo(), "v1.0.0")
        .unwrap()
        .unwrap()
        .assets[0]
        .clone();
    let body = client
        .asset_request(&asset)
        .send()
        .unwrap()
        .bytes()
        .unwrap();

    assert_eq!(asset.size, content.len() as u64);
    assert_eq!(
        asset.digest.unwrap(),
        format!("sha256:{}", sha256_hex(&content))
    );
    assert_eq!(body.as_ref(), content.as_slice());
}

#[test]
fn fake_truncates_downloads_on_request() {
    let fake = fake_with_one_release();
    let url = fake.download_url("acme/widget", "v1.0.0", "widget-linux.tar.gz");
    fake.fail_next("/download/", Fault::TruncateBody { after_bytes: 2 });
    let http = client(&fake);

    let response = http.http().get(&url).send().unwrap();
    assert_eq!(response.content_length(), Some(5));
    assert!(
        response.bytes().is_err(),
        "a cut-short body must be an error"
    );

    let head = http.http().head(&url).send().unwrap();
    assert!(head.status().is_success());
    // reqwest reports a HEAD body as empty, so read the header itself.
    assert_eq!(head.headers()["content-length"], "5");
}
