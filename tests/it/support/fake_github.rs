//! A fake GitHub on 127.0.0.1: enough of the REST API (releases by tag, latest, paginated
//! lists, asset API URLs that redirect) and of the download CDN to test toolget end to end
//! with no network.
//!
//! Two listeners, like the real thing: the **API host** (`api_url()`, optionally under a
//! GitHub Enterprise prefix such as `/api/v3`) and a separate **download host** on another
//! port (`download_base_url()`), which `browser_download_url` points to. Two ports are two
//! origins to an HTTP client, so tests can check that a token sent to the API never reaches
//! the download host, even through the asset API's 302 redirect.
//!
//! Depends only on std, serde_json and sha2 (no toolget types), so it can be pulled into a
//! standalone example or benchmark with `#[path = "…/fake_github.rs"] mod fake_github;`.
//! Every response carries `Connection: close`; each connection gets its own thread. A bad
//! request is answered 400 and never panics the server.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

/// Which listener a request arrived on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// The API host (`api_url()`).
    Api,
    /// The download host (`download_base_url()`), where `browser_download_url` points.
    Download,
}

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub endpoint: Endpoint,
    pub method: String,
    /// Path with the query string, as sent (still percent-encoded), e.g.
    /// `/api/v3/repos/o/r/releases?per_page=100&page=2`.
    pub path: String,
    pub authorization: Option<String>,
    pub accept: Option<String>,
    /// When the request head had been read (server side), to tell overlapping requests from
    /// sequential ones without timing the client.
    pub received: std::time::Instant,
    /// Every header as sent (name lower-cased), for tests that look for more than the two
    /// above.
    pub headers: Vec<(String, String)>,
}

/// Where an asset's bytes come from.
#[derive(Debug, Clone)]
pub enum AssetContent {
    Bytes(Arc<Vec<u8>>),
    /// Streamed from disk on every download (large benchmark files).
    File(PathBuf),
}

/// What the API reports as an asset's `digest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestMode {
    /// `sha256:<hex of the content>` (computed once, when the release is added).
    Real,
    /// `null`, as for assets uploaded before GitHub started computing digests.
    None,
    /// This exact string, e.g. `sha256:` + 64 zeros, to test verification failures.
    Wrong(String),
}

/// A release asset.
#[derive(Debug, Clone)]
pub struct FakeAsset {
    pub name: String,
    pub content: AssetContent,
    pub digest: DigestMode,
    /// The `size` the API reports, when it should differ from the content's.
    pub reported_size: Option<u64>,
}

impl FakeAsset {
    /// An in-memory asset with a real digest.
    pub fn new(name: impl Into<String>, content: impl Into<Vec<u8>>) -> FakeAsset {
        FakeAsset {
            name: name.into(),
            content: AssetContent::Bytes(Arc::new(content.into())),
            digest: DigestMode::Real,
            reported_size: None,
        }
    }

    /// An asset served from a file, streamed in chunks (never loaded whole), real digest.
    pub fn from_file(name: impl Into<String>, path: impl Into<PathBuf>) -> FakeAsset {
        FakeAsset {
            name: name.into(),
            content: AssetContent::File(path.into()),
            digest: DigestMode::Real,
            reported_size: None,
        }
    }

    /// Set how the digest is reported.
    pub fn digest(mut self, mode: DigestMode) -> FakeAsset {
        self.digest = mode;
        self
    }

    /// Report this `size` in the API instead of the content's (a release that lies, or a
    /// download host that serves other bytes than the release announces).
    pub fn reported_size(mut self, size: u64) -> FakeAsset {
        self.reported_size = Some(size);
        self
    }

    /// Report `digest: null`.
    pub fn no_digest(self) -> FakeAsset {
        self.digest(DigestMode::None)
    }

    /// Report this digest string verbatim.
    pub fn wrong_digest(self, digest: impl Into<String>) -> FakeAsset {
        self.digest(DigestMode::Wrong(digest.into()))
    }
}

/// A release. `FakeRelease::new` stamps `published_at` from a process-wide clock that ticks
/// one minute per call, so a release created later is newer unless told otherwise.
#[derive(Debug, Clone)]
pub struct FakeRelease {
    pub tag: String,
    pub name: Option<String>,
    pub draft: bool,
    pub prerelease: bool,
    /// RFC 3339; reported as `null` for drafts (as GitHub does) or when empty.
    pub published_at: String,
    pub assets: Vec<FakeAsset>,
}

static RELEASE_CLOCK: AtomicU64 = AtomicU64::new(0);

impl FakeRelease {
    pub fn new(tag: impl Into<String>) -> FakeRelease {
        let tick = RELEASE_CLOCK.fetch_add(1, Ordering::Relaxed);
        // 2024-01-01T00:00:00Z plus one minute per release created.
        let published_at = rfc3339(1_704_067_200 + tick * 60);
        let tag = tag.into();
        FakeRelease {
            name: Some(tag.clone()),
            tag,
            draft: false,
            prerelease: false,
            published_at,
            assets: Vec::new(),
        }
    }

    pub fn draft(mut self) -> FakeRelease {
        self.draft = true;
        self
    }

    pub fn prerelease(mut self) -> FakeRelease {
        self.prerelease = true;
        self
    }

    pub fn published_at(mut self, at: impl Into<String>) -> FakeRelease {
        self.published_at = at.into();
        self
    }

    /// Release title; `None` reports `"name": null`.
    pub fn name(mut self, name: Option<&str>) -> FakeRelease {
        self.name = name.map(str::to_owned);
        self
    }

    pub fn asset(mut self, asset: FakeAsset) -> FakeRelease {
        self.assets.push(asset);
        self
    }

    pub fn assets(mut self, assets: impl IntoIterator<Item = FakeAsset>) -> FakeRelease {
        self.assets.extend(assets);
        self
    }
}

/// A one-shot misbehaviour for the next request whose path matches (see
/// [`FakeGithub::fail_next`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer this status with a JSON `{"message": <reason phrase>}` body (e.g. 502 once).
    Status(u16),
    /// Answer this status with GitHub's error shape and this message (e.g. 401
    /// "Bad credentials", 403 "Resource not accessible by integration").
    Message { status: u16, message: String },
    /// GitHub's primary rate limit: 403 with `X-RateLimit-Remaining: 0`.
    RateLimit403 { reset_epoch: u64 },
    /// GitHub's secondary rate limit: 429 with `Retry-After: <seconds>`.
    RateLimit429 { retry_after: u64 },
    /// Send the normal headers (full `Content-Length`) but close after this many body bytes.
    TruncateBody { after_bytes: usize },
    /// Answer this status and body verbatim (`Content-Type: application/json`), e.g. broken
    /// JSON.
    Body { status: u16, body: String },
    /// Read the request, then close the connection without answering.
    ResetConnection,
    /// Wait, then answer normally (for timeout tests; keep it short).
    Delay(Duration),
    /// Send the headers and this many body bytes, then pause before the rest: a client is
    /// then provably mid-download (for interruption tests).
    StallBody { after_bytes: usize, stall: Duration },
    /// Answer normally but announce this `Content-Length` (`None`: none at all, the body ends
    /// when the connection closes) whatever the body's real length.
    ContentLength(Option<u64>),
    /// Answer this status and body verbatim with no `Content-Length` (ends at close).
    BodyNoLength { status: u16, body: Vec<u8> },
    /// Answer normally, but send the body `chunk` bytes at a time, pausing `every` between
    /// chunks (a trickling server).
    Trickle { chunk: usize, every: Duration },
}

/// The fake server. Stops (both listeners) when dropped.
#[derive(Debug)]
pub struct FakeGithub {
    shared: Arc<Shared>,
    api_addr: SocketAddr,
    download_addr: SocketAddr,
    accept_threads: Vec<JoinHandle<()>>,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    stopping: AtomicBool,
    prefix: String,
    api_base: String,
    download_base: String,
}

#[derive(Debug, Default)]
struct State {
    repos: Vec<Repo>,
    requests: Vec<RecordedRequest>,
    faults: VecDeque<(String, Fault)>,
    rate_limited: Option<u64>,
    page_size: Option<usize>,
    /// Added before every API answer (not downloads): a CI runner's round trip to GitHub.
    api_latency: Duration,
    /// Added before every download answer: the round trip to a CDN.
    download_latency: Duration,
    /// Bytes per second each download body is sent at (a CDN's per-connection throughput).
    download_rate: Option<u64>,
    /// Release lists always link a `next` page (past the end, the last page again).
    endless_pages: bool,
    /// Release lists answer this `Link` header instead of their own.
    link_override: Option<String>,
    next_id: u64,
}

#[derive(Debug)]
struct Repo {
    full_name: String,
    id: u64,
    /// In insertion order; sorted when listed.
    releases: Vec<StoredRelease>,
}

#[derive(Debug, Clone)]
struct StoredRelease {
    id: u64,
    /// Insertion counter, to break `published_at` ties (later = newer).
    seq: u64,
    release: FakeRelease,
    assets: Vec<StoredAsset>,
}

#[derive(Debug, Clone)]
struct StoredAsset {
    id: u64,
    name: String,
    size: u64,
    digest: Option<String>,
    content: AssetContent,
}

impl FakeGithub {
    /// Start with the API at the server root, like `https://api.github.com`.
    pub fn start() -> FakeGithub {
        FakeGithub::start_with_prefix("")
    }

    /// Start with the API at the root of another loopback address (`127.0.0.2`: a second
    /// host, a different origin from `127.0.0.1` even to a cookie jar or a token check).
    pub fn start_on(ip: &str) -> FakeGithub {
        FakeGithub::start_at(ip, "")
    }

    /// Start with the API under a path prefix, like GitHub Enterprise's `/api/v3`.
    pub fn start_with_prefix(prefix: &str) -> FakeGithub {
        FakeGithub::start_at("127.0.0.1", prefix)
    }

    fn start_at(ip: &str, prefix: &str) -> FakeGithub {
        let prefix = prefix.trim_end_matches('/').to_owned();
        let prefix = if prefix.is_empty() || prefix.starts_with('/') {
            prefix
        } else {
            format!("/{prefix}")
        };
        let api = TcpListener::bind((ip, 0)).expect("bind fake GitHub API listener");
        let download = TcpListener::bind((ip, 0)).expect("bind fake GitHub download listener");
        let api_addr = api.local_addr().expect("API listener address");
        let download_addr = download.local_addr().expect("download listener address");
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            stopping: AtomicBool::new(false),
            api_base: format!("http://{api_addr}{prefix}"),
            download_base: format!("http://{download_addr}"),
            prefix,
        });
        let accept_threads = vec![
            spawn_accept_loop(api, Endpoint::Api, Arc::clone(&shared)),
            spawn_accept_loop(download, Endpoint::Download, Arc::clone(&shared)),
        ];
        FakeGithub {
            shared,
            api_addr,
            download_addr,
            accept_threads,
        }
    }

    /// The API base URL (with the prefix, no trailing slash): what `TOOLGET_GITHUB_API_URL`
    /// should be set to.
    pub fn api_url(&self) -> String {
        self.shared.api_base.clone()
    }

    /// `http://127.0.0.1:PORT` of the API host, without the prefix.
    pub fn api_origin(&self) -> String {
        format!("http://{}", self.api_addr)
    }

    /// `http://127.0.0.1:PORT` of the download host.
    pub fn download_base_url(&self) -> String {
        self.shared.download_base.clone()
    }

    /// The `browser_download_url` an asset gets.
    pub fn download_url(&self, repo: &str, tag: &str, name: &str) -> String {
        download_url(&self.shared.download_base, repo, tag, name)
    }

    /// Register a repository with no releases (so it exists but `latest` is 404).
    pub fn add_repo(&self, repo: &str) {
        let mut state = self.state();
        repo_entry(&mut state, repo);
    }

    /// Add a release to `owner/name` (created if new). A release with the same tag is
    /// replaced. Real digests of file-backed assets are computed here, once.
    pub fn add_release(&self, repo: &str, release: FakeRelease) {
        let assets: Vec<(String, u64, Option<String>, AssetContent)> = release
            .assets
            .iter()
            .map(|asset| {
                let (size, real) = measure(&asset.content);
                let size = asset.reported_size.unwrap_or(size);
                let digest = match &asset.digest {
                    DigestMode::Real => Some(format!("sha256:{real}")),
                    DigestMode::None => None,
                    DigestMode::Wrong(s) => Some(s.clone()),
                };
                (asset.name.clone(), size, digest, asset.content.clone())
            })
            .collect();
        let mut state = self.state();
        let mut stored_assets = Vec::with_capacity(assets.len());
        for (name, size, digest, content) in assets {
            state.next_id += 1;
            stored_assets.push(StoredAsset {
                id: state.next_id,
                name,
                size,
                digest,
                content,
            });
        }
        state.next_id += 1;
        let id = state.next_id;
        let repo = repo_entry(&mut state, repo);
        repo.releases.retain(|r| r.release.tag != release.tag);
        repo.releases.push(StoredRelease {
            id,
            seq: id,
            release,
            assets: stored_assets,
        });
    }

    /// Remove a release by tag; true when there was one.
    pub fn remove_release(&self, repo: &str, tag: &str) -> bool {
        let mut state = self.state();
        let Some(repo) = state.repos.iter_mut().find(|r| r.full_name == repo) else {
            return false;
        };
        let before = repo.releases.len();
        repo.releases.retain(|r| r.release.tag != tag);
        repo.releases.len() != before
    }

    /// Every request so far, in arrival order (faulted ones included).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }

    /// Forget recorded requests.
    pub fn clear_requests(&self) {
        self.state().requests.clear();
    }

    /// Requests to API paths (`{prefix}/repos/…`), on either listener.
    pub fn api_request_count(&self) -> usize {
        let repos = format!("{}/repos/", self.shared.prefix);
        self.state()
            .requests
            .iter()
            .filter(|r| r.path.starts_with(&repos))
            .count()
    }

    /// Requests to `/download/…` paths, on either listener.
    pub fn download_request_count(&self) -> usize {
        self.state()
            .requests
            .iter()
            .filter(|r| r.path.starts_with("/download/"))
            .count()
    }

    /// Requests (on either host, any path spelling) that fetched the asset `name`'s bytes:
    /// `/download/…/<name>` or GitHub's own `/<owner>/<repo>/releases/download/<tag>/<name>`.
    pub fn asset_request_count(&self, name: &str) -> usize {
        let tail = format!("/{}", percent_encode(name));
        self.state()
            .requests
            .iter()
            .filter(|r| {
                let path = r.path.split('?').next().unwrap_or(&r.path);
                path.ends_with(&tail)
                    && (path.starts_with("/download/") || path.contains("/releases/download/"))
            })
            .count()
    }

    /// Add `latency` before answering every API request (downloads are not delayed), as a
    /// CI runner sees GitHub's API from afar.
    pub fn set_api_latency(&self, latency: Duration) {
        self.state().api_latency = latency;
    }

    /// Add `latency` before answering every request that is not an API request (downloads).
    pub fn set_download_latency(&self, latency: Duration) {
        self.state().download_latency = latency;
    }

    /// Send every download body at about `bytes_per_second` (`None`: as fast as possible).
    pub fn set_download_rate(&self, bytes_per_second: Option<u64>) {
        self.state().download_rate = bytes_per_second;
    }

    /// Queue a one-shot fault for the next request whose path starts with `path_prefix`.
    /// The prefix may be given with or without the API prefix (`/repos/o/r` matches
    /// `/api/v3/repos/o/r/…` too). Queue several to fail several requests; each fault is
    /// used once, in order.
    pub fn fail_next(&self, path_prefix: &str, fault: Fault) {
        self.state()
            .faults
            .push_back((path_prefix.to_owned(), fault));
    }

    /// While on, every API path (`{prefix}/…`, not downloads) answers GitHub's 403 rate-limit
    /// response with `X-RateLimit-Reset: reset_epoch`.
    pub fn set_rate_limited(&self, on: bool, reset_epoch: u64) {
        self.state().rate_limited = on.then_some(reset_epoch);
    }

    /// While on, release lists always link a `next` page, forever (a hostile server).
    pub fn set_endless_pages(&self, on: bool) {
        self.state().endless_pages = on;
    }

    /// Answer release lists with this `Link` header (e.g. a `next` that points back at an
    /// earlier page); `None` restores the real one.
    pub fn set_link_override(&self, link: Option<String>) {
        self.state().link_override = link;
    }

    /// Force the page size of release lists, whatever `per_page` asks (clamped to 1..=100).
    /// Without it the server honours `per_page` (default 30, max 100) like GitHub.
    pub fn set_page_size(&self, n: usize) {
        self.state().page_size = Some(n.clamp(1, 100));
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.shared.lock()
    }
}

impl Drop for FakeGithub {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Unblock `accept` so the loops see the flag.
        for addr in [self.api_addr, self.download_addr] {
            let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
        }
        for handle in self.accept_threads.drain(..) {
            let _ = handle.join();
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not take the server down with it.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn repo_entry<'a>(state: &'a mut State, full_name: &str) -> &'a mut Repo {
    if let Some(i) = state.repos.iter().position(|r| r.full_name == full_name) {
        return &mut state.repos[i];
    }
    state.next_id += 1;
    let id = state.next_id;
    state.repos.push(Repo {
        full_name: full_name.to_owned(),
        id,
        releases: Vec::new(),
    });
    let last = state.repos.len() - 1;
    &mut state.repos[last]
}

/// Size and sha256 hex of an asset's content.
fn measure(content: &AssetContent) -> (u64, String) {
    let mut hasher = Sha256::new();
    let size = match content {
        AssetContent::Bytes(bytes) => {
            hasher.update(bytes.as_slice());
            bytes.len() as u64
        }
        AssetContent::File(path) => {
            let mut file = std::fs::File::open(path)
                .unwrap_or_else(|e| panic!("fake asset file {}: {e}", path.display()));
            let mut buf = vec![0u8; 1 << 16];
            let mut total = 0u64;
            loop {
                let n = file.read(&mut buf).expect("read fake asset file");
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
                total += n as u64;
            }
            total
        }
    };
    let mut hex = String::with_capacity(64);
    for byte in hasher.finalize() {
        let _ = write!(hex, "{byte:02x}");
    }
    (size, hex)
}

fn spawn_accept_loop(
    listener: TcpListener,
    endpoint: Endpoint,
    shared: Arc<Shared>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            if shared.stopping.load(Ordering::SeqCst) {
                break;
            }
            let Ok(stream) = stream else {
                // E.g. out of file descriptors: back off instead of spinning.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            };
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || {
                // Errors here are a client hanging up; nothing to report.
                let _ = serve_connection(stream, endpoint, &shared);
            });
        }
    })
}

struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

const MAX_HEADER_BYTES: usize = 64 * 1024;

/// Read a request head; `Ok(None)` for a malformed one (answered 400).
fn read_request(reader: &mut BufReader<TcpStream>) -> std::io::Result<Option<Request>> {
    let mut total = 0;
    let mut line = String::new();
    // Skip stray blank lines before the request line (RFC 9112 allows it).
    loop {
        line.clear();
        let n = reader
            .by_ref()
            .take(MAX_HEADER_BYTES as u64)
            .read_line(&mut line)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        total += n;
        if !line.trim().is_empty() || total > MAX_HEADER_BYTES {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Ok(None);
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return Ok(None);
    }
    let (method, target) = (method.to_owned(), target.to_owned());
    let mut headers = Vec::new();
    loop {
        line.clear();
        let n = reader
            .by_ref()
            .take(MAX_HEADER_BYTES as u64)
            .read_line(&mut line)?;
        total += n;
        if n == 0 || total > MAX_HEADER_BYTES || headers.len() > 200 {
            return Ok(None);
        }
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed.is_empty() {
            break;
        }
        let Some((name, value)) = trimmed.split_once(':') else {
            return Ok(None);
        };
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let request = Request {
        method,
        target,
        headers,
    };
    // Drain a body if one was announced, so the client is not reset mid-send.
    if let Some(len) = request.header("content-length") {
        let Ok(len) = len.parse::<u64>() else {
            return Ok(None);
        };
        std::io::copy(
            &mut reader.by_ref().take(len.min(1 << 20)),
            &mut std::io::sink(),
        )?;
    }
    Ok(Some(request))
}

/// What to send back.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Body,
}

enum Body {
    Bytes(Vec<u8>),
    File { path: PathBuf, len: u64 },
}

impl Response {
    fn json(status: u16, value: &serde_json::Value) -> Response {
        Response {
            status,
            headers: vec![(
                "Content-Type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body: Body::Bytes(value.to_string().into_bytes()),
        }
    }

    fn message(status: u16, message: &str) -> Response {
        Response::json(
            status,
            &serde_json::json!({
                "message": message,
                "documentation_url": "https://docs.github.com/rest",
                "status": status.to_string(),
            }),
        )
    }

    fn not_found() -> Response {
        Response::message(404, "Not Found")
    }

    fn header(mut self, name: &str, value: impl Into<String>) -> Response {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    fn body_len(&self) -> u64 {
        match &self.body {
            Body::Bytes(b) => b.len() as u64,
            Body::File { len, .. } => *len,
        }
    }
}

fn serve_connection(stream: TcpStream, endpoint: Endpoint, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.set_write_timeout(Some(Duration::from_secs(60)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let Some(request) = read_request(&mut reader)? else {
        let response = Response::message(400, "Problems parsing request");
        return write_response(&mut writer, &response, false, None, None, None);
    };

    let fault = {
        let mut state = shared.lock();
        state.requests.push(RecordedRequest {
            endpoint,
            method: request.method.clone(),
            path: request.target.clone(),
            authorization: request.header("authorization").map(str::to_owned),
            accept: request.header("accept").map(str::to_owned),
            received: std::time::Instant::now(),
            headers: request
                .headers
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                .collect(),
        });
        let api = request
            .target
            .starts_with(&format!("{}/repos/", shared.prefix));
        let (latency, rate) = if api {
            (state.api_latency, None)
        } else {
            (state.download_latency, state.download_rate)
        };
        (
            take_fault(&mut state, &shared.prefix, &request.target),
            latency,
            rate,
        )
    };
    let (fault, latency, rate) = fault;
    if !latency.is_zero() {
        std::thread::sleep(latency);
    }

    let mut truncate = None;
    let mut stall = None;
    let mut length = Length::Real;
    let mut trickle = None;
    let response = match fault {
        Some(Fault::ContentLength(announced)) => {
            length = announced.map_or(Length::None, Length::Announce);
            route(&request, shared)
        }
        Some(Fault::BodyNoLength { status, body }) => {
            length = Length::None;
            Response {
                status,
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: Body::Bytes(body),
            }
        }
        Some(Fault::Trickle { chunk, every }) => {
            trickle = Some((chunk.max(1), every));
            route(&request, shared)
        }
        Some(Fault::ResetConnection) => {
            let _ = writer.shutdown(Shutdown::Both);
            return Ok(());
        }
        Some(Fault::Delay(d)) => {
            std::thread::sleep(d);
            route(&request, shared)
        }
        Some(Fault::TruncateBody { after_bytes }) => {
            truncate = Some(after_bytes as u64);
            route(&request, shared)
        }
        Some(Fault::StallBody { after_bytes, stall: pause }) => {
            stall = Some((after_bytes as u64, pause));
            route(&request, shared)
        }
        Some(Fault::Status(status)) => Response::message(status, reason(status)),
        Some(Fault::Message { status, message }) => Response::message(status, &message),
        Some(Fault::Body { status, body }) => Response {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: Body::Bytes(body.into_bytes()),
        },
        Some(Fault::RateLimit403 { reset_epoch }) => rate_limit_403(reset_epoch),
        Some(Fault::RateLimit429 { retry_after }) => Response::message(
            429,
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        )
        .header("Retry-After", retry_after.to_string()),
        None => route(&request, shared),
    };
    let head_only = request.method == "HEAD";
    if length != Length::Real || trickle.is_some() {
        return write_odd_response(&mut writer, &response, head_only, length, trickle);
    }
    write_response(&mut writer, &response, head_only, truncate, stall, rate)
}

/// How a faulted response states its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Length {
    Real,
    Announce(u64),
    None,
}

/// A response whose `Content-Length` lies or is missing, or whose body trickles.
fn write_odd_response(
    out: &mut TcpStream,
    response: &Response,
    head_only: bool,
    length: Length,
    trickle: Option<(usize, Duration)>,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    match length {
        Length::Real => {
            let _ = write!(head, "Content-Length: {}\r\n", response.body_len());
        }
        Length::Announce(n) => {
            let _ = write!(head, "Content-Length: {n}\r\n");
        }
        Length::None => {}
    }
    head.push_str("Connection: close\r\n\r\n");
    out.write_all(head.as_bytes())?;
    if !head_only {
        let mut reader: Box<dyn Read> = match &response.body {
            Body::Bytes(bytes) => Box::new(bytes.as_slice()),
            Body::File { path, .. } => Box::new(std::fs::File::open(path)?),
        };
        let (chunk, every) = trickle.unwrap_or((1 << 16, Duration::ZERO));
        let mut buf = vec![0u8; chunk];
        loop {
            let n = reader.read(&mut buf)?;
            if n == 0 {
                break;
            }
            out.write_all(&buf[..n])?;
            out.flush()?;
            if !every.is_zero() {
                std::thread::sleep(every);
            }
        }
    }
    out.flush()?;
    let _ = out.shutdown(Shutdown::Write);
    Ok(())
}

fn take_fault(state: &mut State, prefix: &str, target: &str) -> Option<Fault> {
    let path = target.split('?').next().unwrap_or(target);
    let unprefixed = path.strip_prefix(prefix).unwrap_or(path);
    let i = state
        .faults
        .iter()
        .position(|(p, _)| path.starts_with(p.as_str()) || unprefixed.starts_with(p.as_str()))?;
    state.faults.remove(i).map(|(_, fault)| fault)
}

fn rate_limit_403(reset_epoch: u64) -> Response {
    Response::message(
        403,
        "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated \
         requests get a higher rate limit. Check out the documentation for more details.)",
    )
    .header("X-RateLimit-Limit", "60")
    .header("X-RateLimit-Remaining", "0")
    .header("X-RateLimit-Reset", reset_epoch.to_string())
    .header("X-RateLimit-Used", "60")
    .header("X-RateLimit-Resource", "core")
}

fn route(request: &Request, shared: &Shared) -> Response {
    if request.method != "GET" && request.method != "HEAD" {
        return Response::message(405, "Method Not Allowed");
    }
    let (path, query) = match request.target.split_once('?') {
        Some((p, q)) => (p, q),
        None => (request.target.as_str(), ""),
    };
    let segments: Vec<String> = path.split('/').skip(1).map(percent_decode).collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();

    if let ["download", owner, repo, tag, name] = segments.as_slice() {
        return download(shared, &format!("{owner}/{repo}"), tag, name);
    }
    // github.com's own spelling of a release download, which a GitHub-path mirror (an nginx
    // cache, an Artifactory or Nexus remote) forwards to its upstream.
    if let [owner, repo, "releases", "download", tag, name] = segments.as_slice() {
        return download(shared, &format!("{owner}/{repo}"), tag, name);
    }

    let Some(api_path) = path.strip_prefix(shared.prefix.as_str()) else {
        return Response::not_found();
    };
    let state = shared.lock();
    if let Some(reset) = state.rate_limited {
        return rate_limit_403(reset);
    }
    let api_segments: Vec<String> = api_path.split('/').skip(1).map(percent_decode).collect();
    let api_segments: Vec<&str> = api_segments.iter().map(String::as_str).collect();
    let ["repos", owner, name, rest @ ..] = api_segments.as_slice() else {
        return Response::not_found();
    };
    let full_name = format!("{owner}/{name}");
    let Some(repo) = state.repos.iter().find(|r| r.full_name == full_name) else {
        return Response::not_found();
    };
    match rest {
        [] => Response::json(200, &repo_json(shared, repo)),
        ["releases"] => list_releases(shared, &state, repo, path, query),
        ["releases", "latest"] => sorted(repo)
            .into_iter()
            .find(|r| !r.release.draft && !r.release.prerelease)
            .map_or_else(Response::not_found, |r| {
                Response::json(200, &release_json(shared, repo, r))
            }),
        ["releases", "tags", tag] => repo
            .releases
            .iter()
            // GitHub does not find drafts by tag: a draft's tag does not exist yet.
            .find(|r| r.release.tag == *tag && !r.release.draft)
            .map_or_else(Response::not_found, |r| {
                Response::json(200, &release_json(shared, repo, r))
            }),
        ["releases", "assets", id] => {
            let found = repo.releases.iter().find_map(|r| {
                r.assets
                    .iter()
                    .find(|a| a.id.to_string() == *id)
                    .map(|a| (r, a))
            });
            let Some((release, asset)) = found else {
                return Response::not_found();
            };
            let wants_bytes = request
                .header("accept")
                .is_some_and(|a| a.contains("application/octet-stream"));
            if wants_bytes {
                // Like GitHub: redirect to the CDN, which must not see the token.
                let location = download_url(
                    &shared.download_base,
                    &repo.full_name,
                    &release.release.tag,
                    &asset.name,
                );
                Response {
                    status: 302,
                    headers: vec![("Location".into(), location)],
                    body: Body::Bytes(Vec::new()),
                }
            } else {
                Response::json(200, &asset_json(shared, repo, release, asset))
            }
        }
        _ => Response::not_found(),
    }
}

fn list_releases(shared: &Shared, state: &State, repo: &Repo, path: &str, query: &str) -> Response {
    let param = |key: &str| {
        query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| v.parse::<usize>().ok())
    };
    let per_page = param("per_page").unwrap_or(30).clamp(1, 100);
    let page_size = state.page_size.unwrap_or(per_page);
    let page = param("page").unwrap_or(1).max(1);
    let all = sorted(repo);
    let last = all.len().div_ceil(page_size).max(1);
    // Endless: past the end, the last page again, so the list never runs dry.
    let shown_page = if state.endless_pages {
        page.min(last)
    } else {
        page
    };
    let items: Vec<serde_json::Value> = all
        .iter()
        .skip((shown_page - 1).saturating_mul(page_size))
        .take(page_size)
        .map(|r| release_json(shared, repo, r))
        .collect();
    let origin = shared
        .api_base
        .strip_suffix(shared.prefix.as_str())
        .unwrap_or(&shared.api_base);
    let link = |p: usize, rel: &str| {
        format!("<{origin}{path}?per_page={per_page}&page={p}>; rel=\"{rel}\"")
    };
    // GitHub's order: prev, next, last, first (only the ones that apply).
    let mut links = Vec::new();
    if page > 1 {
        links.push(link(page - 1, "prev"));
    }
    if page < last || state.endless_pages {
        links.push(link(page + 1, "next"));
        links.push(link(last.max(page + 1), "last"));
    }
    if page > 1 {
        links.push(link(1, "first"));
    }
    let response = Response::json(200, &serde_json::Value::Array(items));
    if let Some(link) = &state.link_override {
        return response.header("Link", link.clone());
    }
    if links.is_empty() {
        response
    } else {
        response.header("Link", links.join(", "))
    }
}

/// Newest first: `published_at` descending (drafts, unpublished, first), then later-added first.
fn sorted(repo: &Repo) -> Vec<&StoredRelease> {
    let mut all: Vec<&StoredRelease> = repo.releases.iter().collect();
    all.sort_by(|a, b| {
        let key = |r: &StoredRelease| (r.release.draft, r.release.published_at.clone(), r.seq);
        key(b).cmp(&key(a))
    });
    all
}

fn repo_json(shared: &Shared, repo: &Repo) -> serde_json::Value {
    let (owner, name) = repo
        .full_name
        .split_once('/')
        .unwrap_or(("", &repo.full_name));
    serde_json::json!({
        "id": repo.id,
        "name": name,
        "full_name": repo.full_name,
        "owner": { "login": owner },
        "private": false,
        "html_url": format!("{}/{}", shared.download_base, repo.full_name),
        "default_branch": "main",
    })
}

fn release_json(shared: &Shared, repo: &Repo, release: &StoredRelease) -> serde_json::Value {
    let r = &release.release;
    let published = (!r.draft && !r.published_at.is_empty()).then(|| r.published_at.clone());
    serde_json::json!({
        "url": format!("{}/repos/{}/releases/{}", shared.api_base, repo.full_name, release.id),
        "html_url": format!("{}/{}/releases/tag/{}", shared.download_base, repo.full_name, percent_encode(&r.tag)),
        "id": release.id,
        "tag_name": r.tag,
        "target_commitish": "main",
        "name": r.name,
        "draft": r.draft,
        "prerelease": r.prerelease,
        "created_at": r.published_at,
        "published_at": published,
        "author": { "login": "fake-bot", "type": "Bot" },
        "assets": release.assets.iter().map(|a| asset_json(shared, repo, release, a)).collect::<Vec<_>>(),
        "body": null,
    })
}

fn asset_json(
    shared: &Shared,
    repo: &Repo,
    release: &StoredRelease,
    asset: &StoredAsset,
) -> serde_json::Value {
    serde_json::json!({
        "url": format!("{}/repos/{}/releases/assets/{}", shared.api_base, repo.full_name, asset.id),
        "id": asset.id,
        "name": asset.name,
        "label": null,
        "content_type": content_type(&asset.name),
        "state": "uploaded",
        "size": asset.size,
        "digest": asset.digest,
        "download_count": 0,
        "browser_download_url": download_url(&shared.download_base, &repo.full_name, &release.release.tag, &asset.name),
    })
}

fn download(shared: &Shared, repo: &str, tag: &str, name: &str) -> Response {
    let content = {
        let state = shared.lock();
        state
            .repos
            .iter()
            .find(|r| r.full_name == repo)
            .and_then(|r| r.releases.iter().find(|rel| rel.release.tag == tag))
            .and_then(|rel| rel.assets.iter().find(|a| a.name == name))
            .map(|a| a.content.clone())
    };
    let body = match content {
        None => return Response::not_found(),
        Some(AssetContent::Bytes(bytes)) => Body::Bytes(bytes.as_ref().clone()),
        Some(AssetContent::File(path)) => match std::fs::metadata(&path) {
            Ok(meta) => Body::File {
                path,
                len: meta.len(),
            },
            Err(_) => return Response::message(500, "asset file vanished"),
        },
    };
    Response {
        status: 200,
        headers: vec![
            ("Content-Type".into(), "application/octet-stream".into()),
            (
                "Content-Disposition".into(),
                // Encoded: a name with control characters is no valid header value.
                format!("attachment; filename={}", percent_encode(name)),
            ),
        ],
        body,
    }
}

fn write_response(
    out: &mut TcpStream,
    response: &Response,
    head_only: bool,
    truncate: Option<u64>,
    stall: Option<(u64, Duration)>,
    rate: Option<u64>,
) -> std::io::Result<()> {
    let len = response.body_len();
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    let _ = write!(head, "Content-Length: {len}\r\nConnection: close\r\n\r\n");
    out.write_all(head.as_bytes())?;
    if !head_only {
        let limit = truncate.unwrap_or(u64::MAX).min(len);
        let mut reader: Box<dyn Read> = match &response.body {
            Body::Bytes(bytes) => Box::new(&bytes[..limit as usize]),
            Body::File { path, .. } => {
                Box::new(BufReader::with_capacity(1 << 16, std::fs::File::open(path)?).take(limit))
            }
        };
        if let Some(rate) = rate.filter(|r| *r > 0) {
            reader = Box::new(Throttled {
                inner: reader,
                rate,
                sent: 0,
                start: std::time::Instant::now(),
            });
        }
        if let Some((first, pause)) = stall {
            std::io::copy(&mut (&mut reader).take(first), out)?;
            out.flush()?;
            std::thread::sleep(pause);
        }
        std::io::copy(&mut reader, out)?;
    }
    out.flush()?;
    let _ = out.shutdown(Shutdown::Write);
    Ok(())
}

/// A reader that yields at most `rate` bytes per second on average (in 16 KiB steps).
struct Throttled<R> {
    inner: R,
    rate: u64,
    sent: u64,
    start: std::time::Instant,
}

impl<R: Read> Read for Throttled<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let due = Duration::from_secs_f64(self.sent as f64 / self.rate as f64);
        if let Some(wait) = due.checked_sub(self.start.elapsed()) {
            std::thread::sleep(wait);
        }
        let n = buf.len().min(16 * 1024);
        let n = self.inner.read(&mut buf[..n])?;
        self.sent += n as u64;
        Ok(n)
    }
}

fn download_url(base: &str, repo: &str, tag: &str, name: &str) -> String {
    let (owner, repo) = repo.split_once('/').unwrap_or(("", repo));
    format!(
        "{base}/download/{}/{}/{}/{}",
        percent_encode(owner),
        percent_encode(repo),
        percent_encode(tag),
        percent_encode(name)
    )
}

fn content_type(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".tar.gz") || lower.ends_with(".tgz") || lower.ends_with(".gz") {
        "application/gzip"
    } else if lower.ends_with(".zip") {
        "application/zip"
    } else if lower.ends_with(".xz") {
        "application/x-xz"
    } else {
        "application/octet-stream"
    }
}

/// Encode everything outside RFC 3986's unreserved set, so names with `+`, spaces or `/`
/// survive as one path segment.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for byte in s.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

/// Seconds since the epoch → `YYYY-MM-DDTHH:MM:SSZ` (civil-from-days; no date crate).
pub fn rfc3339(epoch: u64) -> String {
    let days = (epoch / 86_400) as i64;
    let secs = epoch % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Now, in seconds since the epoch (for `reset_epoch` values).
pub fn now_epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
