//! The GitHub release client: releases by tag, the latest release, paginated release lists,
//! whether a repository exists, and how to request an asset's bytes. Speaks GitHub's REST API
//! (api.github.com or a GitHub Enterprise `https://host/api/v3` base), sends the token only to
//! the API's own origin, retries transient failures and reports rate limits with when they
//! reset.
//!
//! Produces [`crate::release`] values; does not choose assets (resolver), download or verify
//! bytes (download/verify) or read the environment (the caller passes [`ClientOptions`], built
//! from [`Settings`]).

use std::collections::HashSet;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::blocking::{Client, RequestBuilder};
use reqwest::header::{ACCEPT, HeaderMap};
use reqwest::{StatusCode, Url};
use serde::Deserialize;

use crate::http::{self, HttpConfig, HttpError, RetryPolicy};
use crate::release::{Asset, Release, RepoId};
use crate::settings::{DEFAULT_GITHUB_API_URL, Settings, TOOLGET_GITHUB_API_URL};

/// The REST API version toolget is written against.
const API_VERSION: &str = "2022-11-28";
/// GitHub's maximum page size for release lists.
const MAX_PER_PAGE: usize = 100;

/// How to reach GitHub.
#[derive(Clone)]
pub struct ClientOptions {
    /// API base: `https://api.github.com` (default), or `https://host/api/v3` for GitHub
    /// Enterprise. A trailing slash is tolerated.
    pub api_url: String,
    /// Sent as `Authorization: Bearer …`, only to the API's own scheme, host and port.
    pub token: Option<String>,
    pub http: HttpConfig,
    pub retry: RetryPolicy,
}

impl Default for ClientOptions {
    fn default() -> ClientOptions {
        ClientOptions {
            api_url: DEFAULT_GITHUB_API_URL.to_owned(),
            token: None,
            http: HttpConfig::default(),
            retry: RetryPolicy::default(),
        }
    }
}

impl ClientOptions {
    /// Options from the environment as read once in `main`.
    pub fn from_settings(settings: &Settings) -> ClientOptions {
        let defaults = ClientOptions::default();
        ClientOptions {
            api_url: settings.github_api_url.clone().unwrap_or(defaults.api_url),
            token: settings.github_token.clone(),
            http: HttpConfig {
                extra_roots_pem: settings.extra_roots_pem.clone(),
                ..defaults.http
            },
            retry: RetryPolicy {
                sleep: !settings.no_retry_delay,
                ..defaults.retry
            },
        }
    }
}

// The token must never reach logs through `{:?}`.
impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("api_url", &self.api_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("http", &self.http)
            .field("retry", &self.retry)
            .finish()
    }
}

/// What went wrong talking to GitHub.
#[derive(Debug, thiserror::Error)]
pub enum GithubError {
    #[error("`{url}` is not a usable GitHub API URL")]
    InvalidApiUrl { url: String },

    #[error("cannot set up the HTTP client")]
    Client(#[source] HttpError),

    #[error("`{url}` was not found on GitHub")]
    NotFound { url: String },

    #[error("{}", rate_limit_message(*reset_at, *retry_after))]
    RateLimited {
        /// When the limit resets, seconds since the epoch (`X-RateLimit-Reset`).
        reset_at: Option<u64>,
        /// How long the server asked to wait (`Retry-After`).
        retry_after: Option<Duration>,
        /// Whether the request carried a token.
        authenticated: bool,
    },

    #[error("cannot reach {host} (GET {url}, {attempts} attempt{s})", s = plural(*attempts))]
    Network {
        host: String,
        url: String,
        attempts: u32,
        #[source]
        source: reqwest::Error,
    },

    #[error("GitHub answered {status} for `{url}`{}: {message}", gave_up(*attempts))]
    Http {
        status: u16,
        url: String,
        /// GitHub's `message` field, or the reason phrase when there is none.
        message: String,
        attempts: u32,
    },

    #[error("GitHub's answer for `{url}` is not the JSON toolget expects")]
    InvalidResponse {
        url: String,
        #[source]
        source: serde_json::Error,
    },
}

impl GithubError {
    /// A stable category for exit codes and `--json` output: `not_found`, `rate_limited`,
    /// `network`, `http`, `invalid_response`, or `config` (bad API URL or TLS set-up).
    pub fn kind(&self) -> &'static str {
        match self {
            GithubError::InvalidApiUrl { .. } | GithubError::Client(_) => "config",
            GithubError::NotFound { .. } => "not_found",
            GithubError::RateLimited { .. } => "rate_limited",
            GithubError::Network { .. } => "network",
            GithubError::Http { .. } => "http",
            GithubError::InvalidResponse { .. } => "invalid_response",
        }
    }

    /// What the user can do about it, when there is something.
    pub fn hint(&self) -> Option<String> {
        match self {
            GithubError::InvalidApiUrl { .. } => Some(format!(
                "set {TOOLGET_GITHUB_API_URL} to an http(s) URL such as \
                 https://api.github.com or https://github.example.com/api/v3"
            )),
            GithubError::Client(_) => None,
            GithubError::NotFound { .. } => {
                Some("check the owner/name spelling; private repositories need GITHUB_TOKEN".into())
            }
            GithubError::RateLimited { authenticated, .. } => Some(if *authenticated {
                "wait until the limit resets; the token's limit is shared by everything using it"
                    .into()
            } else {
                "set GITHUB_TOKEN or GH_TOKEN to a GitHub token: authenticated requests get \
                 5,000 requests per hour instead of 60"
                    .into()
            }),
            GithubError::Network { host, .. } => Some(if host == "api.github.com" {
                "check the network connection and any proxy settings (HTTPS_PROXY)".into()
            } else {
                format!(
                    "check that {host} is reachable and that {TOOLGET_GITHUB_API_URL} is right \
                     (GitHub Enterprise: https://HOST/api/v3)"
                )
            }),
            GithubError::Http { status: 401, .. } => Some(
                "GITHUB_TOKEN or GH_TOKEN holds a token GitHub rejects; renew or unset it".into(),
            ),
            GithubError::Http { status: 403, .. } => Some(
                "the token may lack access to this repository (fine-grained tokens need \
                 \"Contents: read\")"
                    .into(),
            ),
            GithubError::Http { status, .. } if *status >= 500 => {
                Some("GitHub is having trouble; try again in a few minutes".into())
            }
            GithubError::Http { .. } | GithubError::InvalidResponse { .. } => None,
        }
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn gave_up(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (gave up after {attempts} attempts)")
    } else {
        String::new()
    }
}

fn rate_limit_message(reset_at: Option<u64>, retry_after: Option<Duration>) -> String {
    let mut message = "GitHub API rate limit exceeded".to_owned();
    if let Some(reset) = reset_at {
        let now = now_epoch();
        message.push_str(&format!(
            "; it resets at {} ({})",
            rfc3339(reset),
            from_now(reset.saturating_sub(now))
        ));
    } else if let Some(wait) = retry_after {
        message.push_str(&format!(
            "; GitHub asks to retry {}",
            from_now(wait.as_secs())
        ));
    }
    message
}

/// "in N minutes", rounded up so the user never retries too early.
fn from_now(secs: u64) -> String {
    match secs {
        0 => "now".into(),
        1..60 => format!("in {secs} second{}", if secs == 1 { "" } else { "s" }),
        _ => {
            let minutes = secs.div_ceil(60);
            format!("in {minutes} minute{}", if minutes == 1 { "" } else { "s" })
        }
    }
}

fn now_epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Seconds since the epoch → `YYYY-MM-DDTHH:MM:SSZ` (one formatter for the whole crate:
/// [`crate::store::rfc3339_utc`]).
pub fn rfc3339(epoch: u64) -> String {
    crate::store::rfc3339_utc(UNIX_EPOCH + std::time::Duration::from_secs(epoch))
}

/// A client for one GitHub API base. Cheap to share by reference; counts its API requests.
pub struct GithubClient {
    http: Client,
    /// Always ends with `/`, so relative joins stay under a `/api/v3` prefix.
    base: Url,
    token: Option<String>,
    retry: RetryPolicy,
    requests: AtomicUsize,
}

impl fmt::Debug for GithubClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GithubClient")
            .field("base", &self.base.as_str())
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("retry", &self.retry)
            .field("requests", &self.requests)
            .finish()
    }
}

/// A successful API answer, or a 404.
enum Fetched {
    Found {
        url: Url,
        headers: HeaderMap,
        body: String,
    },
    NotFound {
        url: Url,
    },
}

impl GithubClient {
    pub fn new(options: ClientOptions) -> Result<GithubClient, GithubError> {
        let invalid = || GithubError::InvalidApiUrl {
            url: options.api_url.clone(),
        };
        let trimmed = options.api_url.trim().trim_end_matches('/');
        let base = Url::parse(&format!("{trimmed}/")).map_err(|_| invalid())?;
        if !matches!(base.scheme(), "http" | "https")
            || base.host_str().is_none()
            || base.query().is_some()
        {
            return Err(invalid());
        }
        let http = http::build_client(&options.http).map_err(GithubError::Client)?;
        Ok(GithubClient {
            http,
            base,
            token: options.token.filter(|t| !t.trim().is_empty()),
            retry: options.retry,
            requests: AtomicUsize::new(0),
        })
    }

    /// The release with this tag; `Ok(None)` when GitHub has none (or no such repository;
    /// ask [`repo_exists`](Self::repo_exists) to tell them apart).
    pub fn release_by_tag(&self, repo: &RepoId, tag: &str) -> Result<Option<Release>, GithubError> {
        let url = self.repo_url(repo, &["releases", "tags", tag]);
        self.get_release(url)
    }

    /// The newest release that is neither a draft nor a prerelease, as GitHub decides it.
    pub fn latest_release(&self, repo: &RepoId) -> Result<Option<Release>, GithubError> {
        let url = self.repo_url(repo, &["releases", "latest"]);
        self.get_release(url)
    }

    /// Releases newest first (GitHub's order, drafts visible only with push access),
    /// following `Link: rel="next"` until the list or `limit` ends. An unknown repository is
    /// [`GithubError::NotFound`].
    pub fn list_releases(
        &self,
        repo: &RepoId,
        limit: Option<usize>,
    ) -> Result<Vec<Release>, GithubError> {
        if limit == Some(0) {
            return Ok(Vec::new());
        }
        let per_page = limit.map_or(MAX_PER_PAGE, |l| l.min(MAX_PER_PAGE));
        let mut url = self.repo_url(repo, &["releases"]);
        url.query_pairs_mut()
            .append_pair("per_page", &per_page.to_string());
        let mut releases = Vec::new();
        // A server that links a page to itself must not loop us forever.
        let mut seen = HashSet::new();
        let mut next = Some(url);
        while let Some(url) = next.take() {
            if !seen.insert(url.to_string()) {
                break;
            }
            let (url, headers, body) = match self.get(url)? {
                Fetched::Found { url, headers, body } => (url, headers, body),
                Fetched::NotFound { url } => {
                    return Err(GithubError::NotFound {
                        url: url.to_string(),
                    });
                }
            };
            let page: Vec<ApiRelease> = parse(&url, &body)?;
            if page.is_empty() {
                break;
            }
            releases.extend(page.into_iter().map(ApiRelease::into_release));
            if limit.is_some_and(|l| releases.len() >= l) {
                break;
            }
            next = next_link(&headers).and_then(|link| url.join(&link).ok());
        }
        if let Some(limit) = limit {
            releases.truncate(limit);
        }
        Ok(releases)
    }

    /// Whether `owner/name` exists (and is visible to the token), to tell "no such
    /// repository" from "no such tag".
    pub fn repo_exists(&self, repo: &RepoId) -> Result<bool, GithubError> {
        let url = self.repo_url(repo, &[]);
        Ok(matches!(self.get(url)?, Fetched::Found { .. }))
    }

    /// How many API requests (retries included) this client has sent.
    pub fn api_requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    /// A request for an asset's bytes, for the downloader to send (and retry) itself.
    ///
    /// Without a token: `browser_download_url`, no credentials. With a token and an asset API
    /// URL on the API's origin (private repositories, GitHub Enterprise): the API URL with
    /// `Accept: application/octet-stream` and the token; GitHub answers with a redirect to
    /// its CDN, and the client drops the token when the redirect leaves the API's origin.
    pub fn asset_request(&self, asset: &Asset) -> RequestBuilder {
        let api_url = asset
            .api_url
            .as_deref()
            .and_then(|u| Url::parse(u).ok())
            .filter(|u| self.is_api_origin(u));
        match (&self.token, api_url) {
            (Some(_), Some(url)) => self.authorize(
                self.http
                    .get(url)
                    .header(ACCEPT, "application/octet-stream")
                    .header("X-GitHub-Api-Version", API_VERSION),
                true,
            ),
            _ => self.http.get(asset.download_url.as_str()),
        }
    }

    /// The underlying HTTP client (shared with the downloader: one connection pool).
    pub fn http(&self) -> &Client {
        &self.http
    }

    /// The API base URL, with a trailing slash.
    pub fn api_base(&self) -> &str {
        self.base.as_str()
    }

    fn get_release(&self, url: Url) -> Result<Option<Release>, GithubError> {
        match self.get(url)? {
            Fetched::Found { url, body, .. } => {
                let release: ApiRelease = parse(&url, &body)?;
                Ok(Some(release.into_release()))
            }
            Fetched::NotFound { .. } => Ok(None),
        }
    }

    /// `{base}repos/{owner}/{name}/{tail…}`, each part percent-encoded as one segment (tags
    /// may hold `+` or `/`).
    fn repo_url(&self, repo: &RepoId, tail: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments
                .pop_if_empty()
                .push("repos")
                .push(&repo.owner)
                .push(&repo.name)
                .extend(tail);
        }
        url
    }

    fn is_api_origin(&self, url: &Url) -> bool {
        url.scheme() == self.base.scheme()
            && url.host_str() == self.base.host_str()
            && url.port_or_known_default() == self.base.port_or_known_default()
    }

    fn authorize(&self, request: RequestBuilder, api_origin: bool) -> RequestBuilder {
        match &self.token {
            Some(token) if api_origin => request.bearer_auth(token),
            _ => request,
        }
    }

    /// GET an API URL with retries for transient failures. Rate limits are reported, not
    /// waited out: the reset can be an hour away and the user should decide.
    fn get(&self, url: Url) -> Result<Fetched, GithubError> {
        let api_origin = self.is_api_origin(&url);
        let max_attempts = self.retry.max_attempts.max(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let last = attempt >= max_attempts;
            self.requests.fetch_add(1, Ordering::Relaxed);
            let request = self
                .http
                .get(url.clone())
                .header(ACCEPT, "application/vnd.github+json")
                .header("X-GitHub-Api-Version", API_VERSION);
            let response = match self.authorize(request, api_origin).send() {
                Ok(response) => response,
                Err(source) if !last && http::is_transient_error(&source) => {
                    self.retry.wait(attempt, None);
                    continue;
                }
                Err(source) => return Err(self.network(&url, attempt, source)),
            };
            let status = response.status();
            let headers = response.headers().clone();
            let final_url = response.url().clone();
            let body = match response.text() {
                Ok(body) => body,
                Err(source) if !last && http::is_transient_error(&source) => {
                    self.retry.wait(attempt, None);
                    continue;
                }
                Err(source) => return Err(self.network(&url, attempt, source)),
            };
            if status.is_success() {
                return Ok(Fetched::Found {
                    url: final_url,
                    headers,
                    body,
                });
            }
            if status == StatusCode::NOT_FOUND {
                return Ok(Fetched::NotFound { url: final_url });
            }
            if is_rate_limited(status, &headers, &body) {
                return Err(GithubError::RateLimited {
                    reset_at: header_u64(&headers, "x-ratelimit-reset"),
                    retry_after: http::retry_after(&headers),
                    authenticated: self.token.is_some() && api_origin,
                });
            }
            if !last && http::is_transient_status(status) {
                self.retry.wait(attempt, http::retry_after(&headers));
                continue;
            }
            return Err(GithubError::Http {
                status: status.as_u16(),
                url: url.to_string(),
                message: github_message(&body)
                    .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned()),
                attempts: attempt,
            });
        }
    }

    fn network(&self, url: &Url, attempts: u32, source: reqwest::Error) -> GithubError {
        GithubError::Network {
            host: url.host_str().unwrap_or_default().to_owned(),
            url: url.to_string(),
            attempts,
            // The URL is already in our message.
            source: source.without_url(),
        }
    }
}

/// GitHub signals its primary limit as 403/429 with `X-RateLimit-Remaining: 0`, and its
/// secondary limits as 403/429 whose message mentions a rate limit; any 429 is one.
fn is_rate_limited(status: StatusCode, headers: &HeaderMap, body: &str) -> bool {
    if status == StatusCode::TOO_MANY_REQUESTS {
        return true;
    }
    status == StatusCode::FORBIDDEN
        && (header_u64(headers, "x-ratelimit-remaining") == Some(0)
            || github_message(body).is_some_and(|m| m.to_ascii_lowercase().contains("rate limit")))
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

fn github_message(body: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct ErrorBody {
        message: Option<String>,
    }
    serde_json::from_str::<ErrorBody>(body)
        .ok()?
        .message
        .filter(|m| !m.is_empty())
}

fn parse<T: for<'de> Deserialize<'de>>(url: &Url, body: &str) -> Result<T, GithubError> {
    serde_json::from_str(body).map_err(|source| GithubError::InvalidResponse {
        url: url.to_string(),
        source,
    })
}

/// The `rel="next"` target of a `Link` header: `<url>; rel="next", <url>; rel="last"`.
fn next_link(headers: &HeaderMap) -> Option<String> {
    next_link_in(headers.get(reqwest::header::LINK)?.to_str().ok()?)
}

/// The `rel="next"` target of a `Link` header's value.
pub(crate) fn next_link_in(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (target, params) = part.trim().split_once(';')?;
        let is_next = params.split(';').any(|p| {
            p.trim().strip_prefix("rel=").is_some_and(|rel| {
                rel.trim_matches('"')
                    .split_whitespace()
                    .any(|r| r == "next")
            })
        });
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| target.to_owned())
    })
}

/// The parts of GitHub's release JSON toolget uses; everything else is ignored.
#[derive(Deserialize)]
struct ApiRelease {
    tag_name: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    prerelease: bool,
    #[serde(default)]
    published_at: Option<String>,
    #[serde(default)]
    assets: Vec<ApiAsset>,
}

#[derive(Deserialize)]
struct ApiAsset {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    size: Option<u64>,
    #[serde(default)]
    digest: Option<String>,
    #[serde(default)]
    browser_download_url: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

/// Releases from a body of GitHub's release-list JSON, as [`GithubClient`] reads a page.
pub(crate) fn releases_from_json(body: &str) -> Result<Vec<Release>, serde_json::Error> {
    let page: Vec<ApiRelease> = serde_json::from_str(body)?;
    Ok(page.into_iter().map(ApiRelease::into_release).collect())
}

impl ApiRelease {
    fn into_release(self) -> Release {
        Release {
            tag: self.tag_name,
            name: self.name.filter(|n| !n.is_empty()),
            draft: self.draft,
            prerelease: self.prerelease,
            published_at: self.published_at,
            // An asset without a name or download URL cannot be chosen or fetched.
            assets: self
                .assets
                .into_iter()
                .filter_map(ApiAsset::into_asset)
                .collect(),
        }
    }
}

impl ApiAsset {
    fn into_asset(self) -> Option<Asset> {
        Some(Asset {
            name: self.name.filter(|n| !n.is_empty())?,
            size: self.size.unwrap_or(0),
            digest: self.digest.as_deref().and_then(sha256_digest),
            download_url: self.browser_download_url.filter(|u| !u.is_empty())?,
            api_url: self.url.filter(|u| !u.is_empty()),
        })
    }
}

/// `sha256:<64 hex>` normalised to lower case; any other algorithm or shape is dropped, so
/// verification never trusts a digest it cannot check.
fn sha256_digest(digest: &str) -> Option<String> {
    let hex = digest.strip_prefix("sha256:")?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| format!("sha256:{}", hex.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn formats_epochs_as_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_704_067_199), "2023-12-31T23:59:59Z");
        assert_eq!(rfc3339(1_735_732_800), "2025-01-01T12:00:00Z");
    }

    #[test]
    fn rounds_waits_up() {
        assert_eq!(from_now(0), "now");
        assert_eq!(from_now(1), "in 1 second");
        assert_eq!(from_now(60), "in 1 minute");
        assert_eq!(from_now(61), "in 2 minutes");
    }

    #[test]
    fn finds_the_next_link_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::LINK,
            HeaderValue::from_static(
                "<https://api.github.com/repositories/1/releases?page=1>; rel=\"prev\", \
                 <https://api.github.com/repositories/1/releases?page=3>; rel=\"next\", \
                 <https://api.github.com/repositories/1/releases?page=9>; rel=\"last\"",
            ),
        );
        assert_eq!(
            next_link(&headers).as_deref(),
            Some("https://api.github.com/repositories/1/releases?page=3")
        );
        headers.insert(
            reqwest::header::LINK,
            HeaderValue::from_static("<https://x/?page=1>; rel=\"first\""),
        );
        assert_eq!(next_link(&headers), None);
    }

    #[test]
    fn keeps_only_checkable_digests() {
        let hex = "AB".repeat(32);
        assert_eq!(
            sha256_digest(&format!("sha256:{hex}")),
            Some(format!("sha256:{}", hex.to_ascii_lowercase()))
        );
        assert_eq!(sha256_digest("sha256:abc"), None);
        assert_eq!(sha256_digest(&format!("sha512:{hex}")), None);
        assert_eq!(sha256_digest(&format!("sha256:{}", "zz".repeat(32))), None);
    }

    #[test]
    fn rejects_unusable_api_urls() {
        for url in ["", "api.github.com", "ftp://example.com", "https://x/?a=b"] {
            let err = GithubClient::new(ClientOptions {
                api_url: url.into(),
                ..ClientOptions::default()
            })
            .expect_err(url);
            assert_eq!(err.kind(), "config", "{url}");
        }
    }

    #[test]
    fn builds_urls_under_an_enterprise_prefix() {
        let client = GithubClient::new(ClientOptions {
            api_url: "https://ghe.example.com/api/v3/".into(),
            ..ClientOptions::default()
        })
        .expect("client");
        let url = client.repo_url(
            &RepoId::new("o", "r"),
            &["releases", "tags", "v1.0+build/x"],
        );
        assert_eq!(
            url.as_str(),
            "https://ghe.example.com/api/v3/repos/o/r/releases/tags/v1.0+build%2Fx"
        );
    }

    #[test]
    fn debug_output_hides_the_token() {
        let options = ClientOptions {
            token: Some("ghp_secret".into()),
            ..ClientOptions::default()
        };
        assert!(!format!("{options:?}").contains("ghp_secret"));
        let client = GithubClient::new(options).expect("client");
        assert!(!format!("{client:?}").contains("ghp_secret"));
    }
}
