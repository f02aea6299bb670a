//! HTTP plumbing shared by the GitHub client and the downloader: one way to build a client
//! (rustls with ring and Mozilla's roots, explicit timeouts, a user agent) and one retry policy
//! (which failures are transient, capped and jittered backoff, `Retry-After`).
//!
//! Knows nothing about GitHub's API or about files on disk; reads no environment variables
//! (the caller passes [`HttpConfig`], built from `Settings`).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

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
}

impl Default for HttpConfig {
    fn default() -> HttpConfig {
        HttpConfig {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            extra_roots_pem: None,
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

/// When and how often to retry a request that failed transiently.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Total attempts, the first included.
    pub max_attempts: u32,
    /// Delay before the first retry; doubles each time.
    pub base_delay: Duration,
    /// Upper bound for one delay, `Retry-After` included.
    pub max_delay: Duration,
    /// False in tests (`TOOLGET_TEST_NO_RETRY_DELAY=1`): retry at once.
    pub sleep: bool,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            sleep: true,
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
