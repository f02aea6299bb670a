//! The GitHub release client: releases by tag, the latest release, paginated release lists,
//! whether a repository exists, and how to request an asset's bytes. Speaks GitHub's REST API
//! (api.github.com or a GitHub Enterprise `https://host/api/v3` base), sends the token only to
//! the API's own origin, retries transient failures and reports rate limits with when they
//! reset.
//!
//! Produces [`crate::release`] values; does not choose assets (resolver), download or verify
//! bytes (download/verify) or read the environment (the caller passes [`ClientOptions`], built
//! from [`Settings`]).

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::blocking::{Client, RequestBuilder};
use reqwest::header::{ACCEPT, HeaderMap};
use reqwest::{StatusCode, Url};
use serde::Deserialize;

use crate::error::{Diagnostic, ErrorKind};
use crate::http::{self, Failed, HttpConfig, HttpError, RetryCause, RetryPolicy};
use crate::release::{Asset, Release, RepoId};
use crate::settings::{
    self, DEFAULT_GITHUB_API_URL, Settings, TOOLGET_GITHUB_API_URL, TOOLGET_TOKEN_HOSTS,
    TOOLGET_TOKEN_PREFIX,
};
use crate::text::{redact_url, untrusted};

/// The REST API version toolget is written against.
const API_VERSION: &str = "2022-11-28";
/// GitHub's maximum page size for release lists.
const MAX_PER_PAGE: usize = 100;
/// Largest API answer read (a release with a thousand assets is well under 5 MiB).
pub const MAX_JSON_BYTES: u64 = 32 << 20;
/// Most pages of a release list followed (100 releases each).
pub const MAX_PAGES: usize = 100;

/// Who may receive which token, as the environment says. The token of `GITHUB_TOKEN` /
/// `GH_TOKEN` goes to api.github.com and to the API base of `TOOLGET_GITHUB_API_URL`; an
/// `api_url` named anywhere else (a spec, toolget.toml, mise.toml, a registry entry) gets a
/// token only when the environment allows that host: `TOOLGET_TOKEN_HOSTS`, a per-host
/// `TOOLGET_TOKEN_<HOST>`, or a `machine` entry of `~/.netrc`.
#[derive(Clone, Default)]
pub struct TokenPolicy {
    /// `GITHUB_TOKEN`, else `GH_TOKEN`.
    pub token: Option<String>,
    /// The API base the environment names (`TOOLGET_GITHUB_API_URL`), if any.
    pub env_api_url: Option<String>,
    /// `TOOLGET_TOKEN_HOSTS`, lower-cased; `host` or `host:port`.
    pub token_hosts: Vec<String>,
    /// `TOOLGET_TOKEN_<HOST>` values keyed by `<HOST>`.
    pub host_tokens: BTreeMap<String, String>,
    /// The netrc file to consult (`$NETRC`, else `~/.netrc`).
    pub netrc: Option<PathBuf>,
}

impl fmt::Debug for TokenPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenPolicy")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("env_api_url", &self.env_api_url.as_deref().map(redact_url))
            .field("token_hosts", &self.token_hosts)
            .field("host_tokens", &self.host_tokens.keys().collect::<Vec<_>>())
            .field("netrc", &self.netrc)
            .finish()
    }
}

/// Where a token for an API base came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    /// `GITHUB_TOKEN`/`GH_TOKEN`, for api.github.com or the environment's API base.
    Environment,
    /// `GITHUB_TOKEN`/`GH_TOKEN`, for a host listed in `TOOLGET_TOKEN_HOSTS`.
    AllowedHost,
    /// `TOOLGET_TOKEN_<HOST>`.
    HostToken,
    /// `~/.netrc`.
    Netrc,
}

/// The token was not sent to an API base that a spec or project file named: what to tell
/// the user, once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenWithheld {
    /// The host, as shown (escaped).
    pub host: String,
}

impl fmt::Display for TokenWithheld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not sending GITHUB_TOKEN/GH_TOKEN to {host}, which an `api_url` in a spec or \
             project file names (not the environment); to allow it set \
             {TOOLGET_TOKEN_HOSTS}={host}, or give that host its own token in \
             {TOOLGET_TOKEN_PREFIX}{key} or ~/.netrc",
            host = self.host,
            key = settings::host_token_key(&self.host),
        )
    }
}

impl TokenPolicy {
    /// The policy the environment sets.
    pub fn from_settings(settings: &Settings) -> TokenPolicy {
        TokenPolicy {
            token: settings.github_token.clone(),
            env_api_url: settings.github_api_url.clone(),
            token_hosts: settings.token_hosts.clone(),
            host_tokens: settings.host_tokens.clone(),
            netrc: settings.netrc.clone(),
        }
    }

    /// The token for an API base named by something other than the environment, where it
    /// came from, and whether a token was withheld (there is one, but not for this host).
    pub fn token_for(
        &self,
        api_url: &str,
    ) -> (Option<(String, TokenSource)>, Option<TokenWithheld>) {
        let Some(url) = parse_base(api_url) else {
            return (None, None);
        };
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let env_base = self
            .env_api_url
            .as_deref()
            .unwrap_or(DEFAULT_GITHUB_API_URL);
        let trusted = [env_base, DEFAULT_GITHUB_API_URL]
            .iter()
            .filter_map(|u| parse_base(u))
            .any(|base| same_origin(&base, &url));
        if trusted {
            return (
                self.token.clone().map(|t| (t, TokenSource::Environment)),
                None,
            );
        }
        if let Some(token) = self.host_tokens.get(&settings::host_token_key(&host)) {
            return (Some((token.clone(), TokenSource::HostToken)), None);
        }
        let with_port = url
            .port_or_known_default()
            .map_or_else(|| host.clone(), |p| format!("{host}:{p}"));
        if let Some(token) = &self.token
            && self
                .token_hosts
                .iter()
                .any(|h| *h == host || *h == with_port)
        {
            return (Some((token.clone(), TokenSource::AllowedHost)), None);
        }
        if let Some(password) = self.netrc_password(&host) {
            return (Some((password, TokenSource::Netrc)), None);
        }
        let withheld = self.token.as_ref().map(|_| TokenWithheld {
            host: untrusted(&host).to_string(),
        });
        (None, withheld)
    }

    /// The password of the netrc `machine` entry for `host` (a `default` entry is not used:
    /// it would hand a credential to any host a project file names).
    fn netrc_password(&self, host: &str) -> Option<String> {
        let path = self.netrc.as_ref()?;
        let text = std::fs::read(path).ok()?;
        let parsed: netrc::Netrc = String::from_utf8_lossy(&text).parse().ok()?;
        parsed
            .hosts
            .iter()
            .find(|(machine, _)| machine.eq_ignore_ascii_case(host))
            .map(|(_, auth)| auth.password.clone())
            .filter(|p| !p.is_empty())
    }
}

fn parse_base(url: &str) -> Option<Url> {
    Url::parse(url.trim())
        .ok()
        .filter(|u| u.host_str().is_some())
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str().map(str::to_ascii_lowercase) == b.host_str().map(str::to_ascii_lowercase)
        && a.port_or_known_default() == b.port_or_known_default()
}

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
    /// Which token another API base may get ([`ClientOptions::for_api_url`]).
    pub tokens: TokenPolicy,
}

impl Default for ClientOptions {
    fn default() -> ClientOptions {
        ClientOptions {
            api_url: DEFAULT_GITHUB_API_URL.to_owned(),
            token: None,
            http: HttpConfig::default(),
            retry: RetryPolicy::default(),
            tokens: TokenPolicy::default(),
        }
    }
}

impl ClientOptions {
    /// Options from the environment as read once in `main`.
    pub fn from_settings(settings: &Settings) -> ClientOptions {
        let defaults = ClientOptions::default();
        let timeout = settings
            .http_timeout
            .unwrap_or(crate::settings::DEFAULT_HTTP_TIMEOUT);
        ClientOptions {
            api_url: settings.github_api_url.clone().unwrap_or(defaults.api_url),
            token: settings.github_token.clone(),
            http: HttpConfig {
                extra_roots_pem: settings.extra_roots_pem.clone(),
                read_timeout: timeout,
                connect_timeout: timeout.min(defaults.http.connect_timeout),
                download_deadline: settings
                    .download_deadline
                    .unwrap_or(crate::settings::DEFAULT_DOWNLOAD_DEADLINE),
            },
            retry: RetryPolicy {
                sleep: !settings.no_retry_delay,
                ..defaults.retry
            },
            tokens: TokenPolicy::from_settings(settings),
        }
    }

    /// The options for a tool whose spec, project file or registry entry names `api_url`:
    /// that base, with the token the environment allows it (see [`TokenPolicy`]), and — when
    /// a token exists but this host may not have it — what to tell the user.
    pub fn for_api_url(&self, api_url: &str) -> (ClientOptions, Option<TokenWithheld>) {
        let (token, withheld) = self.tokens.token_for(api_url);
        let options = ClientOptions {
            api_url: api_url.to_owned(),
            token: token.map(|(t, _)| t),
            ..self.clone()
        };
        (options, withheld)
    }
}

// The token must never reach logs through `{:?}`.
impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("api_url", &redact_url(&self.api_url))
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("http", &self.http)
            .field("retry", &self.retry)
            .field("tokens", &self.tokens)
            .finish()
    }
}

/// What went wrong talking to GitHub. URLs in messages have any `user:password@` redacted.
#[derive(Debug, thiserror::Error)]
pub enum GithubError {
    #[error("`{}` is not a usable GitHub API URL", redact_url(url))]
    InvalidApiUrl { url: String },

    #[error("cannot set up the HTTP client")]
    Client(#[source] HttpError),

    #[error("`{}` was not found on GitHub", redact_url(url))]
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

    #[error(
        "cannot reach {} (GET {}){}",
        untrusted(host),
        redact_url(url),
        gave_up(*attempts, *elapsed)
    )]
    Network {
        host: String,
        url: String,
        attempts: u32,
        elapsed: Duration,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    #[error("GitHub answered {status} for `{}`{}: {}", redact_url(url), gave_up(*attempts, *elapsed), untrusted(message))]
    Http {
        status: u16,
        url: String,
        /// GitHub's `message` field, or the reason phrase when there is none.
        message: String,
        attempts: u32,
        elapsed: Duration,
    },

    #[error(
        "GitHub's answer for `{}` is not the JSON toolget expects",
        redact_url(url)
    )]
    InvalidResponse {
        url: String,
        #[source]
        source: serde_json::Error,
    },

    #[error("GitHub's answer for `{}` is larger than the {} MiB toolget reads", redact_url(url), limit >> 20)]
    TooLarge { url: String, limit: u64 },

    #[error("the release list of `{}` runs past {pages} pages", redact_url(url))]
    TooManyPages { url: String, pages: usize },
}

impl Diagnostic for GithubError {
    /// A stable category for exit codes and `--json` output: `not_found`, `rate_limited`,
    /// `network`, `http`, `invalid_response`, or `config` (bad API URL or TLS set-up).
    fn kind(&self) -> ErrorKind {
        match self {
            GithubError::InvalidApiUrl { .. } | GithubError::Client(_) => ErrorKind::InvalidConfig,
            GithubError::NotFound { .. } => ErrorKind::NotFound,
            GithubError::RateLimited { .. } => ErrorKind::RateLimited,
            GithubError::Network { .. } => ErrorKind::Network,
            GithubError::Http { .. } => ErrorKind::Http,
            GithubError::InvalidResponse { .. }
            | GithubError::TooLarge { .. }
            | GithubError::TooManyPages { .. } => ErrorKind::InvalidResponse,
        }
    }

    /// What the user can do about it, when there is something.
    fn hint(&self) -> Option<String> {
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
            GithubError::TooLarge { .. } | GithubError::TooManyPages { .. } => Some(format!(
                "this is not how GitHub answers; check {TOOLGET_GITHUB_API_URL} and any \
                 `api_url` option"
            )),
            GithubError::Http { .. } | GithubError::InvalidResponse { .. } => None,
        }
    }
}

fn gave_up(attempts: u32, elapsed: Duration) -> String {
    let note = http::attempts_note(attempts, elapsed);
    if note.is_empty() {
        note
    } else {
        format!(": {note}")
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

/// Seconds since the epoch → `YYYY-MM-DDTHH:MM:SSZ` (humantime's formatter, as receipts use).
pub fn rfc3339(epoch: u64) -> String {
    humantime::format_rfc3339_seconds(UNIX_EPOCH + std::time::Duration::from_secs(epoch))
        .to_string()
}

/// One GitHub artifact attestation: the Sigstore bundle inline, or a URL to fetch it from
/// (not an API URL; GitHub serves it Snappy-compressed), or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attestation {
    /// The bundle as JSON text.
    pub bundle: Option<String>,
    pub bundle_url: Option<String>,
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
        body: Vec<u8>,
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
        // A server that links a page to itself must not loop us forever, nor one that makes
        // up new pages without end.
        let mut seen = HashSet::new();
        let mut next = Some(url);
        while let Some(url) = next.take() {
            if !seen.insert(url.to_string()) {
                break;
            }
            if seen.len() > MAX_PAGES {
                return Err(GithubError::TooManyPages {
                    url: url.to_string(),
                    pages: MAX_PAGES,
                });
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
            // A `next` page elsewhere than the API is not followed.
            next = next_link(&headers)
                .and_then(|link| url.join(&link).ok())
                .filter(|next| self.is_api_origin(next));
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

    /// GitHub artifact attestations for an artifact digest
    /// (`GET {api}/repos/{owner}/{repo}/attestations/sha256:{hex}`); none when GitHub has none.
    pub fn attestations(
        &self,
        repo: &RepoId,
        sha256: &str,
    ) -> Result<Vec<Attestation>, GithubError> {
        let url = self.repo_url(repo, &["attestations", &format!("sha256:{sha256}")]);
        match self.get(url)? {
            Fetched::Found { url, body, .. } => {
                #[derive(Deserialize)]
                struct Page {
                    #[serde(default)]
                    attestations: Vec<RawAttestation>,
                }
                #[derive(Deserialize)]
                struct RawAttestation {
                    bundle: Option<serde_json::Value>,
                    bundle_url: Option<String>,
                }
                let page: Page = parse(&url, &body)?;
                Ok(page
                    .attestations
                    .into_iter()
                    .map(|a| Attestation {
                        bundle: a.bundle.filter(|b| !b.is_null()).map(|b| b.to_string()),
                        bundle_url: a.bundle_url.filter(|u| !u.is_empty()),
                    })
                    .collect())
            }
            Fetched::NotFound { .. } => Ok(Vec::new()),
        }
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

    /// GET an API URL with retries for transient failures (through the one retry loop,
    /// [`RetryPolicy::run`]). Rate limits are reported, not waited out: the reset can be an
    /// hour away and the user should decide.
    fn get(&self, url: Url) -> Result<Fetched, GithubError> {
        let host = url.host_str().unwrap_or_default().to_owned();
        self.retry
            .run(&host, |_| self.get_once(&url))
            .map_err(|gave_up| match gave_up.error {
                GithubError::Network {
                    host, url, source, ..
                } => GithubError::Network {
                    host,
                    url,
                    source,
                    attempts: gave_up.attempts,
                    elapsed: gave_up.elapsed,
                },
                GithubError::Http {
                    status,
                    url,
                    message,
                    ..
                } => GithubError::Http {
                    status,
                    url,
                    message,
                    attempts: gave_up.attempts,
                    elapsed: gave_up.elapsed,
                },
                other => other,
            })
    }

    fn get_once(&self, url: &Url) -> Result<Fetched, Failed<GithubError>> {
        let api_origin = self.is_api_origin(url);
        self.requests.fetch_add(1, Ordering::Relaxed);
        let request = self
            .http
            .get(url.clone())
            .header(ACCEPT, "application/vnd.github+json")
            .header("X-GitHub-Api-Version", API_VERSION);
        let response = self
            .authorize(request, api_origin)
            .send()
            .map_err(|source| Failed {
                cause: http::retry_cause(&source),
                retry_after: None,
                error: self.network(url, Box::new(source.without_url())),
            })?;
        let status = response.status();
        let headers = response.headers().clone();
        let final_url = response.url().clone();
        let body = read_capped(response, url).map_err(|failure| match failure {
            ReadFailure::TooLarge => Failed::fatal(GithubError::TooLarge {
                url: url.to_string(),
                limit: MAX_JSON_BYTES,
            }),
            ReadFailure::Io(source) => Failed {
                cause: Some(if source.kind() == std::io::ErrorKind::TimedOut {
                    RetryCause::NoAnswer
                } else {
                    RetryCause::Cut
                }),
                retry_after: None,
                error: self.network(url, Box::new(source)),
            },
        })?;
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
        let text = String::from_utf8_lossy(&body);
        if is_rate_limited(status, &headers, &text) {
            return Err(Failed::fatal(GithubError::RateLimited {
                reset_at: header_u64(&headers, "x-ratelimit-reset"),
                retry_after: http::retry_after(&headers),
                authenticated: self.token.is_some() && api_origin,
            }));
        }
        Err(Failed {
            cause: http::status_cause(status),
            retry_after: http::retry_after(&headers),
            error: GithubError::Http {
                status: status.as_u16(),
                url: url.to_string(),
                message: github_message(&text)
                    .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned()),
                attempts: 1,
                elapsed: Duration::ZERO,
            },
        })
    }

    fn network(&self, url: &Url, source: Box<dyn std::error::Error + Send + Sync>) -> GithubError {
        GithubError::Network {
            host: url.host_str().unwrap_or_default().to_owned(),
            url: url.to_string(),
            attempts: 1,
            elapsed: Duration::ZERO,
            source,
        }
    }
}

enum ReadFailure {
    TooLarge,
    Io(std::io::Error),
}

/// The body of an API answer, refusing one over [`MAX_JSON_BYTES`] as soon as it says so
/// (`Content-Length`) or gets there.
fn read_capped(
    mut response: reqwest::blocking::Response,
    _url: &Url,
) -> Result<Vec<u8>, ReadFailure> {
    if response
        .content_length()
        .is_some_and(|len| len > MAX_JSON_BYTES)
    {
        return Err(ReadFailure::TooLarge);
    }
    let mut body = Vec::new();
    (&mut response)
        .take(MAX_JSON_BYTES + 1)
        .read_to_end(&mut body)
        .map_err(ReadFailure::Io)?;
    if body.len() as u64 > MAX_JSON_BYTES {
        return Err(ReadFailure::TooLarge);
    }
    Ok(body)
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

fn parse<T: for<'de> Deserialize<'de>>(url: &Url, body: &[u8]) -> Result<T, GithubError> {
    serde_json::from_slice(body).map_err(|source| GithubError::InvalidResponse {
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
            // Kept as published (trimmed); `verify` parses it and says what it cannot check.
            digest: self
                .digest
                .map(|d| d.trim().to_owned())
                .filter(|d| !d.is_empty()),
            download_url: self.browser_download_url.filter(|u| !u.is_empty())?,
            api_url: self.url.filter(|u| !u.is_empty()),
        })
    }
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
    fn rejects_unusable_api_urls() {
        for url in ["", "api.github.com", "ftp://example.com", "https://x/?a=b"] {
            let err = GithubClient::new(ClientOptions {
                api_url: url.into(),
                ..ClientOptions::default()
            })
            .expect_err(url);
            assert_eq!(err.kind(), crate::error::ErrorKind::InvalidConfig, "{url}");
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
