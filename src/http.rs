//! HTTP plumbing shared by the GitHub client and the downloader: one way to build a client
//! (rustls with ring and Mozilla's roots, explicit timeouts, a user agent) and one retry loop
//! ([`RetryPolicy::run`]: which failures are transient, capped and jittered backoff,
//! `Retry-After`, a [`RetryNotice`] before each retry, and how many attempts in how long when
//! it gives up).
//!
//! Bound: a request that never gets an answer is given up after `max_attempts` attempts of at
//! most `connect_timeout + read_timeout` each, plus the backoff between them (capped at
//! `max_delay` each): with the defaults (4 attempts, 10 s + 30 s, 0.5/1/2 s backoff) under
//! three minutes, with a `no answer from <host>; retrying (2/4)` note every attempt.
//!
//! Knows nothing about GitHub's API or about files on disk; reads no environment variables
//! (the caller passes [`HttpConfig`], built from `Settings`).

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// How to build an HTTP client.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Time allowed to establish a connection.
    pub connect_timeout: Duration,
    /// Time allowed without any progress on a response (applies per read, so a large but
    /// steady download is never cut off).
    pub read_timeout: Duration,
    /// Extra PEM root certificates to trust besides Mozilla's (a GitHub Enterprise server
    /// behind a private CA); `SSL_CERT_FILE` feeds this.
    pub extra_roots_pem: Option<PathBuf>,
    /// The longest one download may take, first byte to last (`TOOLGET_DOWNLOAD_DEADLINE`):
    /// a server that trickles a byte a second never trips `read_timeout`.
    pub download_deadline: Duration,
}

impl Default for HttpConfig {
    fn default() -> HttpConfig {
        HttpConfig {
            connect_timeout: Duration::from_secs(10),
            read_timeout: crate::settings::DEFAULT_HTTP_TIMEOUT,
            extra_roots_pem: None,
            download_deadline: crate::settings::DEFAULT_DOWNLOAD_DEADLINE,
        }
    }
}

/// The user agent toolget sends (GitHub rejects requests without one).
pub const USER_AGENT: &str = concat!("toolget/", env!("CARGO_PKG_VERSION"));

/// Building the HTTP client failed.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("cannot set up TLS")]
    Tls(#[source] rustls::Error),
    #[error("cannot read extra root certificates from `{path}`")]
    ExtraRoots {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{path}` holds no usable PEM certificate")]
    NoCertificates { path: PathBuf },
    #[error("cannot build the HTTP client")]
    Build(#[source] reqwest::Error),
}

/// Build the blocking client every network module uses.
///
/// Redirects are followed (asset downloads redirect to a CDN); reqwest drops the
/// `Authorization` header when a redirect leaves the original host, and callers only attach a
/// token to requests for the API host in the first place.
pub fn build_client(config: &HttpConfig) -> Result<reqwest::blocking::Client, HttpError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = &config.extra_roots_pem {
        add_pem_roots(&mut roots, path)?;
    }
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(HttpError::Tls)?
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::blocking::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(config.connect_timeout)
        // The blocking client's `timeout` bounds each read, not the whole body.
        .timeout(config.read_timeout)
        .tls_backend_preconfigured(tls)
        .build()
        .map_err(HttpError::Build)
}

fn add_pem_roots(roots: &mut rustls::RootCertStore, path: &PathBuf) -> Result<(), HttpError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let pem = std::fs::read(path).map_err(|source| HttpError::ExtraRoots {
        path: path.clone(),
        source,
    })?;
    let mut added = 0;
    for cert in CertificateDer::pem_slice_iter(&pem).flatten() {
        if roots.add(cert).is_ok() {
            added += 1;
        }
    }
    if added == 0 {
        return Err(HttpError::NoCertificates { path: path.clone() });
    }
    Ok(())
}

/// Why an attempt failed in a way worth another try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryCause {
    /// The server accepted the connection (or not) but sent nothing within the timeout.
    NoAnswer,
    /// The connection could not be made (refused, DNS, TLS handshake).
    Connect,
    /// The server answered a 5xx or 408.
    Status(u16),
    /// The connection broke while the body was arriving.
    Cut,
}

/// What a [`RetryNotice`] is told before a retry.
#[derive(Debug, Clone)]
pub struct Retrying {
    /// The host that failed (`api.github.com`, `objects.githubusercontent.com`).
    pub host: String,
    pub cause: RetryCause,
    /// The attempt about to start (2 for the first retry).
    pub attempt: u32,
    pub max_attempts: u32,
    /// How long until it starts.
    pub wait: Duration,
}

impl fmt::Display for Retrying {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = crate::text::untrusted(&self.host);
        match self.cause {
            RetryCause::NoAnswer => write!(f, "no answer from {host}")?,
            RetryCause::Connect => write!(f, "cannot connect to {host}")?,
            RetryCause::Status(status) => write!(f, "{host} answered HTTP {status}")?,
            RetryCause::Cut => write!(f, "the connection to {host} broke")?,
        }
        write!(f, "; retrying ({}/{})", self.attempt, self.max_attempts)
    }
}

/// Told before every retry, so a stalled server is never silence. The installer's `Reporter`
/// passes these on to the user.
pub trait RetryNotice: Send + Sync {
    fn retrying(&self, retry: &Retrying);
}

/// One failed attempt, as the retry loop sees it.
#[derive(Debug)]
pub struct Failed<E> {
    pub error: E,
    /// `None`: final, do not retry.
    pub cause: Option<RetryCause>,
    /// The server's `Retry-After`, if any.
    pub retry_after: Option<Duration>,
}

impl<E> Failed<E> {
    /// A failure not worth another try.
    pub fn fatal(error: E) -> Failed<E> {
        Failed {
            error,
            cause: None,
            retry_after: None,
        }
    }
}

/// The last error of a retry loop that gave up, with how many attempts it made in how long.
#[derive(Debug)]
pub struct GaveUp<E> {
    pub error: E,
    pub attempts: u32,
    pub elapsed: Duration,
}

/// "failed after 4 attempts in 2.3 s" (empty for a single attempt: nothing was retried).
pub fn attempts_note(attempts: u32, elapsed: Duration) -> String {
    if attempts > 1 {
        format!(
            "failed after {attempts} attempts in {:.1} s",
            elapsed.as_secs_f64()
        )
    } else {
        String::new()
    }
}

/// When and how often to retry a request that failed transiently.
#[derive(Clone)]
pub struct RetryPolicy {
    /// Total attempts, the first included.
    pub max_attempts: u32,
    /// Delay before the first retry; doubles each time.
    pub base_delay: Duration,
    /// Upper bound for one delay, `Retry-After` included.
    pub max_delay: Duration,
    /// False in tests (`TOOLGET_TEST_NO_RETRY_DELAY=1`): retry at once.
    pub sleep: bool,
    /// Told before each retry (the CLI prints it on stderr).
    pub notice: Option<Arc<dyn RetryNotice>>,
}

impl fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("max_attempts", &self.max_attempts)
            .field("base_delay", &self.base_delay)
            .field("max_delay", &self.max_delay)
            .field("sleep", &self.sleep)
            .field("notice", &self.notice.is_some())
            .finish()
    }
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            sleep: true,
            notice: None,
        }
    }
}

impl RetryPolicy {
    /// A policy that retries without waiting (tests).
    pub fn immediate(max_attempts: u32) -> RetryPolicy {
        RetryPolicy {
            max_attempts,
            sleep: false,
            ..RetryPolicy::default()
        }
    }

    /// The delay before retry number `retry` (1 for the first retry): exponential, capped,
    /// with up to 25% jitter so that many CI jobs failing together do not retry in lockstep.
    /// A server's `Retry-After` wins when it asks for longer, still capped.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << retry.saturating_sub(1).min(16));
        let capped = exp.min(self.max_delay);
        let jitter = capped.mul_f64(jitter_fraction() * 0.25);
        let delay = capped.saturating_add(jitter).min(self.max_delay);
        match retry_after {
            Some(asked) if asked > delay => asked.min(self.max_delay),
            _ => delay,
        }
    }

    /// Sleep for [`delay`](Self::delay), unless sleeping is off.
    pub fn wait(&self, retry: u32, retry_after: Option<Duration>) {
        if self.sleep {
            std::thread::sleep(self.delay(retry, retry_after));
        }
    }

    /// The one retry loop of toolget: call `attempt` (with the attempt number, from 1) until
    /// it succeeds, fails for good, or `max_attempts` are spent; before each retry tell the
    /// [`RetryNotice`] and wait the backoff. `host` names the server in the notices.
    pub fn run<T, E>(
        &self,
        host: &str,
        mut attempt: impl FnMut(u32) -> Result<T, Failed<E>>,
    ) -> Result<T, GaveUp<E>> {
        let started = Instant::now();
        let max_attempts = self.max_attempts.max(1);
        let mut n = 1;
        loop {
            match attempt(n) {
                Ok(value) => return Ok(value),
                Err(Failed {
                    cause: Some(cause),
                    retry_after,
                    ..
                }) if n < max_attempts => {
                    let wait = if self.sleep {
                        self.delay(n, retry_after)
                    } else {
                        Duration::ZERO
                    };
                    n += 1;
                    if let Some(notice) = &self.notice {
                        notice.retrying(&Retrying {
                            host: host.to_owned(),
                            cause,
                            attempt: n,
                            max_attempts,
                            wait,
                        });
                    }
                    std::thread::sleep(wait);
                }
                Err(failed) => {
                    return Err(GaveUp {
                        error: failed.error,
                        attempts: n,
                        elapsed: started.elapsed(),
                    });
                }
            }
        }
    }
}

/// Why a transport error is worth another try, or `None` when it is not.
pub fn retry_cause(error: &reqwest::Error) -> Option<RetryCause> {
    if error.is_timeout() {
        Some(RetryCause::NoAnswer)
    } else if error.is_connect() {
        Some(RetryCause::Connect)
    } else if is_transient_error(error) {
        Some(RetryCause::Cut)
    } else {
        None
    }
}

/// Why a status is worth another try (5xx, 408), or `None`.
pub fn status_cause(status: StatusCode) -> Option<RetryCause> {
    is_transient_status(status).then_some(RetryCause::Status(status.as_u16()))
}

/// Server errors worth another try: 5xx (a 502 from GitHub's edge is common) and 408.
/// 429 is handled as a rate limit by the caller, not retried blindly.
pub fn is_transient_status(status: StatusCode) -> bool {
    status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT
}

/// Transport errors worth another try: connection refused/reset, timeouts, a body cut short.
///
/// `Response::text()`/`bytes()` report a body cut short as a *decode* error whose cause is an
/// I/O error; a decode error caused by bad content (JSON) has no I/O cause and is final.
pub fn is_transient_error(error: &reqwest::Error) -> bool {
    error.is_connect()
        || error.is_timeout()
        || error.is_request()
        || error.is_body()
        || (error.is_decode() && caused_by_io(error))
}

fn caused_by_io(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = error.source();
    while let Some(err) = cause {
        if err.is::<std::io::Error>() {
            return true;
        }
        cause = err.source();
    }
    false
}

/// `Retry-After` in seconds (the HTTP-date form is rare on APIs and ignored).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// A number in [0, 1) that differs between calls and processes; no RNG crate needed for
/// spreading retries.
fn jitter_fraction() -> f64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mixed = (nanos ^ std::process::id().rotate_left(16)).wrapping_mul(2_654_435_761);
    f64::from(mixed % 10_000) / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            sleep: false,
            notice: None,
        };
        let first = policy.delay(1, None);
        assert!(first >= Duration::from_millis(100) && first <= Duration::from_millis(125));
        let third = policy.delay(3, None);
        assert!(third >= Duration::from_millis(400) && third <= Duration::from_millis(500));
        assert_eq!(policy.delay(12, None), Duration::from_secs(1));
    }

    #[test]
    fn retry_after_is_honoured_but_capped() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(5))),
            Duration::from_secs(5)
        );
        assert_eq!(
            policy.delay(1, Some(Duration::from_hours(1))),
            policy.max_delay
        );
    }

    #[test]
    fn reads_retry_after_seconds() {
        let mut headers = HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, "7".parse().expect("header"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            reqwest::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().expect("header"),
        );
        assert_eq!(retry_after(&headers), None);
    }

    #[derive(Default)]
    struct Notes(std::sync::Mutex<Vec<String>>);

    impl RetryNotice for Notes {
        fn retrying(&self, retry: &Retrying) {
            self.0.lock().expect("notes").push(retry.to_string());
        }
    }

    #[test]
    fn the_retry_loop_tells_each_retry_and_counts_attempts() {
        let notes = Arc::new(Notes::default());
        let policy = RetryPolicy {
            notice: Some(notes.clone()),
            ..RetryPolicy::immediate(4)
        };
        let gave_up = policy
            .run("api.example.com", |n| -> Result<(), Failed<u32>> {
                Err(Failed {
                    error: n,
                    cause: Some(if n == 1 {
                        RetryCause::NoAnswer
                    } else {
                        RetryCause::Status(502)
                    }),
                    retry_after: None,
                })
            })
            .expect_err("always fails");
        assert_eq!((gave_up.error, gave_up.attempts), (4, 4));
        assert_eq!(
            *notes.0.lock().expect("notes"),
            [
                "no answer from api.example.com; retrying (2/4)",
                "api.example.com answered HTTP 502; retrying (3/4)",
                "api.example.com answered HTTP 502; retrying (4/4)",
            ]
        );
        assert!(attempts_note(4, Duration::from_millis(2340)).contains("4 attempts in 2.3 s"));
        // A fatal failure stops at once; success on a retry returns the value.
        let fatal = policy.run("h", |_| -> Result<(), Failed<()>> {
            Err(Failed::fatal(()))
        });
        assert_eq!(fatal.expect_err("fatal").attempts, 1);
        let ok = policy.run("h", |n| {
            if n < 3 {
                Err(Failed {
                    error: (),
                    cause: Some(RetryCause::Cut),
                    retry_after: None,
                })
            } else {
                Ok(n)
            }
        });
        assert_eq!(ok.expect("third time"), 3);
    }

    #[test]
    fn builds_a_client() {
        build_client(&HttpConfig::default()).expect("client");
    }

    #[test]
    fn transient_statuses() {
        assert!(is_transient_status(StatusCode::BAD_GATEWAY));
        assert!(is_transient_status(StatusCode::SERVICE_UNAVAILABLE));
        assert!(!is_transient_status(StatusCode::NOT_FOUND));
        assert!(!is_transient_status(StatusCode::FORBIDDEN));
    }
}
