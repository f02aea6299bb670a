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
/// Hosts (comma-separated, e.g. `ghe.example.com,127.0.0.2`) that may receive `GITHUB_TOKEN`
/// when a spec, toolget.toml, mise.toml or registry entry names them in `api_url`. Without
/// it, only api.github.com and the host of `TOOLGET_GITHUB_API_URL` get the token.
pub const TOOLGET_TOKEN_HOSTS: &str = "TOOLGET_TOKEN_HOSTS";
/// Prefix of per-host tokens: `TOOLGET_TOKEN_GHE_EXAMPLE_COM` is sent (as a bearer token) to
/// `ghe.example.com` only — the host upper-cased, `.` and `-` written `_`.
pub const TOOLGET_TOKEN_PREFIX: &str = "TOOLGET_TOKEN_";
/// How long one HTTP request may wait for an answer (connect, then each read), as a
/// humantime duration such as `30s` or `2m` (default [`DEFAULT_HTTP_TIMEOUT`]).
pub const TOOLGET_HTTP_TIMEOUT: &str = "TOOLGET_HTTP_TIMEOUT";
/// The longest one download may take from first to last byte, however steadily bytes
/// trickle in (humantime, default [`DEFAULT_DOWNLOAD_DEADLINE`]).
pub const TOOLGET_DOWNLOAD_DEADLINE: &str = "TOOLGET_DOWNLOAD_DEADLINE";
/// Default of [`TOOLGET_HTTP_TIMEOUT`].
pub const DEFAULT_HTTP_TIMEOUT: Duration = Duration::from_secs(30);
/// Default of [`TOOLGET_DOWNLOAD_DEADLINE`].
pub const DEFAULT_DOWNLOAD_DEADLINE: Duration = Duration::from_mins(30);
/// Test hook: when `1`, retries do not sleep. Never set it in production.
pub const TOOLGET_TEST_NO_RETRY_DELAY: &str = "TOOLGET_TEST_NO_RETRY_DELAY";
/// Test hook: milliseconds to pause in the middle of swapping a version in (so a test can kill
/// the process exactly there). Never set it in production.
pub const TOOLGET_TEST_SWAP_PAUSE_MS: &str = "TOOLGET_TEST_SWAP_PAUSE_MS";
/// Seconds since the Unix epoch (reproducible-builds.org): when set, receipts record this time
/// instead of the clock, and installed files and directories get it as their modification
/// time, so the same toolget.lock installs byte-identical trees (and image layers).
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// Extra PEM root certificates to trust (GitHub Enterprise behind a private CA).
pub const SSL_CERT_FILE: &str = "SSL_CERT_FILE";

/// Root of the store (default `$XDG_DATA_HOME/toolget`, else `~/.local/share/toolget`).
pub const TOOLGET_HOME: &str = "TOOLGET_HOME";
/// Download cache (default `$XDG_CACHE_HOME/toolget`, else `~/.cache/toolget`).
pub const TOOLGET_CACHE_DIR: &str = "TOOLGET_CACHE_DIR";
/// `1`: refuse to install anything that cannot be verified (same as `--require-verified`).
pub const TOOLGET_REQUIRE_VERIFIED: &str = "TOOLGET_REQUIRE_VERIFIED";
/// Cap on the bytes one archive may unpack to, e.g. `4G`, `512M` (default 4 GiB).
pub const TOOLGET_MAX_UNPACKED: &str = "TOOLGET_MAX_UNPACKED";
/// Extra registry directories, separated like `PATH` (`:`; `;` on Windows). Their
/// `*.toml` entries override embedded entries of the same name and add new ones; an earlier
/// directory wins over a later one.
pub const TOOLGET_REGISTRY_PATH: &str = "TOOLGET_REGISTRY_PATH";
/// XDG base directories, used for the defaults above.
pub const XDG_DATA_HOME: &str = "XDG_DATA_HOME";
pub const XDG_CACHE_HOME: &str = "XDG_CACHE_HOME";
pub const HOME: &str = "HOME";
/// GitHub Actions: the file whose lines are prepended to `PATH` for the job's later steps.
/// `toolget env --github` appends the bin dir to it. (`GITHUB_ENV` is never read or written.)
pub const GITHUB_PATH: &str = "GITHUB_PATH";
/// The search path; `install` warns once when `$TOOLGET_HOME/bin` is not on it.
pub const PATH: &str = "PATH";

/// Mirrors tried before the origin for every asset download, in order, separated by commas or
/// whitespace: `cas+https://host/prefix/` (`<prefix>/sha256/<hex>`), `https://host/prefix/`
/// (GitHub's path layout, `<prefix>/<owner>/<repo>/releases/download/<tag>/<asset>`),
/// `file:///dir/` (`<dir>/sha256/<hex>`). docs/mirrors.md.
pub const TOOLGET_MIRRORS: &str = "TOOLGET_MIRRORS";
/// After the mirrors: `fallback` (default) downloads from the origin, `never` does not
/// (air-gapped).
pub const TOOLGET_UPSTREAM: &str = "TOOLGET_UPSTREAM";
/// `TOOLGET_MIRROR_TOKEN_<HOST>`: a bearer token for the mirror on HOST (upper-cased, other
/// characters than letters and digits as `_`). `GITHUB_TOKEN` never goes to a mirror.
pub const TOOLGET_MIRROR_TOKEN_PREFIX: &str = "TOOLGET_MIRROR_TOKEN_";
/// Default GitHub API base URL.
pub const DEFAULT_GITHUB_API_URL: &str = "https://api.github.com";

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// Settings derived from the environment.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub github_api_url: Option<String>,
    pub github_token: Option<String>,
    pub platform: Option<String>,
    pub no_retry_delay: bool,
    pub extra_roots_pem: Option<std::path::PathBuf>,
    /// Store root; `None` only when neither `TOOLGET_HOME`, `XDG_DATA_HOME` nor HOME is set.
    pub home: Option<PathBuf>,
    /// Download cache directory; `None` as for `home`.
    pub cache_dir: Option<PathBuf>,
    pub require_verified: bool,
    /// Raw `TOOLGET_MAX_UNPACKED` value; parsed where it is used so a bad value gets a pointed error.
    pub max_unpacked: Option<String>,
    /// GitHub Actions' `GITHUB_PATH` file, when running in a workflow step.
    pub github_path: Option<PathBuf>,
    /// Extra registry directories from `TOOLGET_REGISTRY_PATH`, in precedence order.
    pub registry_path: Vec<PathBuf>,
    /// Raw `TOOLGET_MIRRORS`; parsed by `mirror::Mirrors::from_settings`.
    pub mirrors: Option<String>,
    /// Raw `TOOLGET_UPSTREAM`.
    pub upstream: Option<String>,
    /// `TOOLGET_MIRROR_TOKEN_<HOST>` variables, keyed by the whole variable name (empty values
    /// ignored); the mirror module matches them to the hosts `TOOLGET_MIRRORS` names.
    pub mirror_tokens: BTreeMap<String, String>,
    /// The directories of `PATH`.
    pub path: Vec<PathBuf>,
    /// Hosts allowed to receive the token from a project's `api_url` (`TOOLGET_TOKEN_HOSTS`),
    /// lower-cased.
    pub token_hosts: Vec<String>,
    /// Per-host tokens from `TOOLGET_TOKEN_<HOST>`, keyed by the variable's suffix
    /// (`GHE_EXAMPLE_COM`); see [`host_token_key`].
    pub host_tokens: BTreeMap<String, String>,
    /// `$HOME/.netrc` (or `$NETRC`), consulted for a project's `api_url` host and for an
    /// HTTP mirror's host.
    pub netrc: Option<PathBuf>,
    /// `TOOLGET_HTTP_TIMEOUT`, when set.
    pub http_timeout: Option<Duration>,
    /// `TOOLGET_DOWNLOAD_DEADLINE`, when set.
    pub download_deadline: Option<Duration>,
    /// Values of duration variables that did not parse: (variable, value). The CLI warns.
    pub invalid: Vec<(&'static str, String)>,
    /// Test hook `TOOLGET_TEST_SWAP_PAUSE_MS`.
    pub swap_pause: Option<std::time::Duration>,
    /// `SOURCE_DATE_EPOCH` as a time; `None` when unset or not a whole number of seconds.
    pub source_date_epoch: Option<std::time::SystemTime>,
}

/// netrc file location (as curl reads it); `$HOME/.netrc` otherwise.
pub const NETRC: &str = "NETRC";

/// The `TOOLGET_TOKEN_<HOST>` suffix for a host: upper-cased, `.` and `-` as `_`
/// (`ghe.example.com` → `GHE_EXAMPLE_COM`, `127.0.0.2` → `127_0_0_2`).
pub fn host_token_key(host: &str) -> String {
    host.trim_matches(['[', ']'])
        .chars()
        .map(|c| match c {
            '.' | '-' | ':' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

impl Settings {
    /// Read the process environment. Call once, in `main`.
    pub fn from_env() -> Settings {
        let mut settings = Settings::from_lookup(|key| std::env::var(key).ok());
        // Per-host tokens are the one family of variables whose names are not known in
        // advance; read them here, once, with everything else.
        settings.host_tokens = host_tokens(std::env::vars());
        settings.mirror_tokens = std::env::vars()
            .filter(|(key, value)| {
                key.starts_with(TOOLGET_MIRROR_TOKEN_PREFIX) && !value.trim().is_empty()
            })
            .map(|(key, value)| (key, value.trim().to_owned()))
            .collect();
        settings
    }

    /// Build settings from any key lookup (tests pass a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Settings {
        let non_empty = |key: &str| lookup(key).filter(|v| !v.trim().is_empty());
        let mut invalid = Vec::new();
        Settings {
            github_api_url: non_empty(TOOLGET_GITHUB_API_URL),
            github_token: non_empty(GITHUB_TOKEN).or_else(|| non_empty(GH_TOKEN)),
            platform: non_empty(TOOLGET_PLATFORM),
            no_retry_delay: non_empty(TOOLGET_TEST_NO_RETRY_DELAY).as_deref() == Some("1"),
            extra_roots_pem: non_empty(SSL_CERT_FILE).map(Into::into),
            home: non_empty(TOOLGET_HOME).map(PathBuf::from).or_else(|| {
                xdg(&non_empty, XDG_DATA_HOME, ".local/share").map(|d| d.join("toolget"))
            }),
            cache_dir: non_empty(TOOLGET_CACHE_DIR)
                .map(PathBuf::from)
                .or_else(|| xdg(&non_empty, XDG_CACHE_HOME, ".cache").map(|d| d.join("toolget"))),
            require_verified: truthy(non_empty(TOOLGET_REQUIRE_VERIFIED).as_deref()),
            max_unpacked: non_empty(TOOLGET_MAX_UNPACKED),
            github_path: non_empty(GITHUB_PATH).map(PathBuf::from),
            registry_path: non_empty(TOOLGET_REGISTRY_PATH)
                .map(|v| {
                    std::env::split_paths(&v)
                        .filter(|p| !p.as_os_str().is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            mirrors: non_empty(TOOLGET_MIRRORS),
            upstream: non_empty(TOOLGET_UPSTREAM),
            mirror_tokens: BTreeMap::new(),
            path: lookup(PATH)
                .map(|v| std::env::split_paths(&v).collect())
                .unwrap_or_default(),
            token_hosts: non_empty(TOOLGET_TOKEN_HOSTS)
                .map(|v| {
                    v.split(',')
                        .map(|h| h.trim().to_ascii_lowercase())
                        .filter(|h| !h.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            host_tokens: BTreeMap::new(),
            netrc: non_empty(NETRC)
                .map(PathBuf::from)
                .or_else(|| non_empty(HOME).map(|h| PathBuf::from(h).join(".netrc"))),
            http_timeout: duration(&non_empty, TOOLGET_HTTP_TIMEOUT, &mut invalid),
            download_deadline: duration(&non_empty, TOOLGET_DOWNLOAD_DEADLINE, &mut invalid),
            invalid,
            swap_pause: non_empty(TOOLGET_TEST_SWAP_PAUSE_MS)
                .and_then(|ms| ms.trim().parse().ok())
                .map(std::time::Duration::from_millis),
            source_date_epoch: non_empty(SOURCE_DATE_EPOCH)
                .and_then(|secs| secs.trim().parse().ok())
                .map(|secs| std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs)),
        }
    }
}

/// `TOOLGET_TOKEN_<HOST>` variables among `vars`, keyed by `<HOST>` (empty values ignored;
/// `TOOLGET_TOKEN_HOSTS` is not a token).
pub fn host_tokens(vars: impl Iterator<Item = (String, String)>) -> BTreeMap<String, String> {
    vars.filter_map(|(key, value)| {
        let host = key.strip_prefix(TOOLGET_TOKEN_PREFIX)?;
        (!host.is_empty() && key != TOOLGET_TOKEN_HOSTS && !value.trim().is_empty())
            .then(|| (host.to_owned(), value.trim().to_owned()))
    })
    .collect()
}

/// A humantime duration (`30s`, `2m`, `1h 30m`); a bare number is seconds. A value that does
/// not parse, or zero, is recorded in `invalid` and ignored.
fn duration(
    lookup: &dyn Fn(&str) -> Option<String>,
    var: &'static str,
    invalid: &mut Vec<(&'static str, String)>,
) -> Option<Duration> {
    let value = lookup(var)?;
    parse_duration(&value).or_else(|| {
        invalid.push((var, value));
        None
    })
}

/// Parse a duration such as `30s`, `10m`, `1h 30m`, or a number of seconds; `None` for zero or
/// nonsense.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let parsed = match text.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => humantime::parse_duration(text).ok()?,
    };
    (!parsed.is_zero()).then_some(parsed)
}

/// `$XDG_…_HOME` when set and absolute (the XDG spec says to ignore relative values), else
/// `$HOME/<fallback>`.
fn xdg(lookup: &dyn Fn(&str) -> Option<String>, var: &str, fallback: &str) -> Option<PathBuf> {
    if let Some(dir) = lookup(var).map(PathBuf::from).filter(|p| p.is_absolute()) {
        return Some(dir);
    }
    lookup(HOME).map(|home| PathBuf::from(home).join(fallback))
}

fn truthy(value: Option<&str>) -> bool {
    matches!(
        value.map(|v| v.trim().to_ascii_lowercase()).as_deref(),
        Some("1" | "true" | "yes" | "on")
    )
}

/// Parse a byte size such as `4G`, `512M`, `100k` or `123456` (binary units).
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let (digits, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let n: u64 = digits.parse().ok()?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        "t" | "tb" | "tib" => 1 << 40,
        _ => return None,
    };
    n.checked_mul(mult)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> Settings {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn home_and_cache_follow_xdg() {
        let s = settings(&[("HOME", "/home/u")]);
        assert_eq!(s.home, Some(PathBuf::from("/home/u/.local/share/toolget")));
        assert_eq!(s.cache_dir, Some(PathBuf::from("/home/u/.cache/toolget")));
        let s = settings(&[
            ("HOME", "/home/u"),
            ("XDG_DATA_HOME", "/d"),
            ("XDG_CACHE_HOME", "rel"),
        ]);
        assert_eq!(s.home, Some(PathBuf::from("/d/toolget")));
        assert_eq!(s.cache_dir, Some(PathBuf::from("/home/u/.cache/toolget")));
        let s = settings(&[("TOOLGET_HOME", "/t"), ("TOOLGET_CACHE_DIR", "/c")]);
        assert_eq!(
            (s.home, s.cache_dir),
            (Some("/t".into()), Some("/c".into()))
        );
    }

    #[test]
    fn token_precedence_and_flags() {
        let s = settings(&[("GH_TOKEN", "b"), ("GITHUB_TOKEN", "a")]);
        assert_eq!(s.github_token.as_deref(), Some("a"));
        let s = settings(&[("GH_TOKEN", "b"), ("GITHUB_TOKEN", " ")]);
        assert_eq!(s.github_token.as_deref(), Some("b"));
        assert!(settings(&[("TOOLGET_REQUIRE_VERIFIED", "1")]).require_verified);
        assert!(!settings(&[("TOOLGET_REQUIRE_VERIFIED", "0")]).require_verified);
    }

    #[test]
    fn registry_path_splits_like_path() {
        let s = settings(&[("TOOLGET_REGISTRY_PATH", "/a::/b")]);
        assert_eq!(
            s.registry_path,
            vec![PathBuf::from("/a"), PathBuf::from("/b")]
        );
        assert!(settings(&[]).registry_path.is_empty());
    }

    #[test]
    fn token_hosts_and_per_host_tokens() {
        let s = settings(&[
            ("TOOLGET_TOKEN_HOSTS", " GHE.example.com, ,127.0.0.2"),
            ("HOME", "/home/u"),
        ]);
        assert_eq!(s.token_hosts, ["ghe.example.com", "127.0.0.2"]);
        assert_eq!(s.netrc, Some(PathBuf::from("/home/u/.netrc")));
        let vars = [
            ("TOOLGET_TOKEN_127_0_0_2", "t1"),
            ("TOOLGET_TOKEN_HOSTS", "x"),
            ("TOOLGET_TOKEN_EMPTY", " "),
            ("OTHER", "y"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()));
        let tokens = host_tokens(vars.into_iter());
        assert_eq!(tokens.len(), 1);
        assert_eq!(
            tokens.get(&host_token_key("127.0.0.2")).map(String::as_str),
            Some("t1")
        );
        assert_eq!(host_token_key("ghe-1.example.com"), "GHE_1_EXAMPLE_COM");
    }

    #[test]
    fn durations() {
        let s = settings(&[
            ("TOOLGET_HTTP_TIMEOUT", "2s"),
            ("TOOLGET_DOWNLOAD_DEADLINE", "soon"),
        ]);
        assert_eq!(s.http_timeout, Some(Duration::from_secs(2)));
        assert_eq!(s.download_deadline, None);
        assert_eq!(
            s.invalid,
            [("TOOLGET_DOWNLOAD_DEADLINE", "soon".to_string())]
        );
        assert_eq!(parse_duration("10m"), Some(Duration::from_mins(10)));
        assert_eq!(parse_duration("1h 30m"), Some(Duration::from_mins(90)));
        assert_eq!(parse_duration("45"), Some(Duration::from_secs(45)));
        assert_eq!(parse_duration("0s"), None);
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4G"), Some(4 << 30));
        assert_eq!(parse_size("512m"), Some(512 << 20));
        assert_eq!(parse_size("100"), Some(100));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("1Q"), None);
    }
}
