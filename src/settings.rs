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

/// Root of the store (default `$XDG_DATA_HOME/toolget`, else `~/.local/share/toolget`).
pub const TOOLGET_HOME: &str = "TOOLGET_HOME";
/// Download cache (default `$XDG_CACHE_HOME/toolget`, else `~/.cache/toolget`).
pub const TOOLGET_CACHE_DIR: &str = "TOOLGET_CACHE_DIR";
/// `1`: refuse to install anything that cannot be verified (same as `--require-verified`).
pub const TOOLGET_REQUIRE_VERIFIED: &str = "TOOLGET_REQUIRE_VERIFIED";
/// Provenance policy for every tool without its own: `required`, `if-present` (default) or
/// `off` (same as `--provenance`; docs/provenance.md).
pub const TOOLGET_PROVENANCE: &str = "TOOLGET_PROVENANCE";
/// A Sigstore `trusted_root.json` to use instead of the embedded public-good and GitHub roots
/// (air-gapped machines, rotated roots).
pub const TOOLGET_SIGSTORE_TRUSTED_ROOT: &str = "TOOLGET_SIGSTORE_TRUSTED_ROOT";
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

/// Default GitHub API base URL.
pub const DEFAULT_GITHUB_API_URL: &str = "https://api.github.com";

use std::path::PathBuf;

/// Settings derived from the environment.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub github_api_url: Option<String>,
    pub github_token: Option<String>,
    pub platform: Option<String>,
    pub no_retry_delay: bool,
    pub extra_roots_pem: Option<std::path::PathBuf>,
    /// Store root; `None` only when neither TOOLGET_HOME, XDG_DATA_HOME nor HOME is set.
    pub home: Option<PathBuf>,
    /// Download cache directory; `None` as for `home`.
    pub cache_dir: Option<PathBuf>,
    pub require_verified: bool,
    /// Raw TOOLGET_MAX_UNPACKED value; parsed where it is used so a bad value gets a pointed error.
    pub max_unpacked: Option<String>,
    /// GitHub Actions' `GITHUB_PATH` file, when running in a workflow step.
    pub github_path: Option<PathBuf>,
    /// Extra registry directories from TOOLGET_REGISTRY_PATH, in precedence order.
    pub registry_path: Vec<PathBuf>,
    /// Raw TOOLGET_PROVENANCE value; parsed where it is used so a bad value gets a pointed error.
    pub provenance: Option<String>,
    /// TOOLGET_SIGSTORE_TRUSTED_ROOT.
    pub sigstore_trusted_root: Option<PathBuf>,
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
            provenance: non_empty(TOOLGET_PROVENANCE),
            sigstore_trusted_root: non_empty(TOOLGET_SIGSTORE_TRUSTED_ROOT).map(PathBuf::from),
        }
    }
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
    fn sizes() {
        assert_eq!(parse_size("4G"), Some(4 << 30));
        assert_eq!(parse_size("512m"), Some(512 << 20));
        assert_eq!(parse_size("100"), Some(100));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("1Q"), None);
    }
}
