//! The environment, read once at the edge (in `main`) and passed down as values. Every
//! `TOOLGET_*` variable toolget reads is a documented constant here; no other module calls
//! `std::env::var`.

/// GitHub API base URL (default `https://api.github.com`; GitHub Enterprise: `https://host/api/v3`).
pub const TOOLGET_GITHUB_API_URL: &str = "TOOLGET_GITHUB_API_URL";
/// Platform override, same syntax as `--platform`.
pub const TOOLGET_PLATFORM: &str = "TOOLGET_PLATFORM";
/// API token; `GH_TOKEN` is read when this is unset.
pub const GITHUB_TOKEN: &str = "GITHUB_TOKEN";
/// API token, as the `gh` CLI spells it.
pub const GH_TOKEN: &str = "GH_TOKEN";
/// Test hook: when `1`, retries do not sleep. Never set it in production.
pub const TOOLGET_TEST_NO_RETRY_DELAY: &str = "TOOLGET_TEST_NO_RETRY_DELAY";

/// Extra PEM root certificates to trust (GitHub Enterprise behind a private CA).
pub const SSL_CERT_FILE: &str = "SSL_CERT_FILE";

/// Default GitHub API base URL.
pub const DEFAULT_GITHUB_API_URL: &str = "https://api.github.com";

/// Settings derived from the environment.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub github_api_url: Option<String>,
    pub github_token: Option<String>,
    pub platform: Option<String>,
    pub no_retry_delay: bool,
    pub extra_roots_pem: Option<std::path::PathBuf>,
}

impl Settings {
    /// Read the process environment. Call once, in `main`.
    pub fn from_env() -> Settings {
        Settings::from_lookup(|key| std::env::var(key).ok())
    }

    /// Build settings from any key lookup (tests pass a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Settings {
        let non_empty = |key: &str| lookup(key).filter(|v| !v.trim().is_empty());
        Settings {
            github_api_url: non_empty(TOOLGET_GITHUB_API_URL),
            github_token: non_empty(GITHUB_TOKEN).or_else(|| non_empty(GH_TOKEN)),
            platform: non_empty(TOOLGET_PLATFORM),
            no_retry_delay: non_empty(TOOLGET_TEST_NO_RETRY_DELAY).as_deref() == Some("1"),
            extra_roots_pem: non_empty(SSL_CERT_FILE).map(Into::into),
        }
    }
}
