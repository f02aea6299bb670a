//! Mirrors and pull-through caches: where an asset's bytes may come from besides the origin.
//!
//! The lock (or GitHub's digest, or a checksum file) says *which* bytes an asset is; this
//! module only says *where* to look for them, in order: each source of `TOOLGET_MIRRORS`, then
//! the origin unless `TOOLGET_UPSTREAM=never`. Because the sha256 is known before the first
//! byte arrives, a mirror can make an install fail but never make a wrong file pass: the
//! installer hashes what a mirror sends, and bytes that do not match are reported, skipped
//! and never cached. An asset that nothing can verify is never taken from a mirror.
//!
//! Source kinds (docs/mirrors.md):
//! - `cas+https://host/prefix/` — content-addressed: `<prefix>/sha256/<hex>` (an S3/R2 bucket,
//!   any static file server). `cas+http://` is accepted for loopback and private networks.
//! - `https://host/prefix/` — GitHub's path layout:
//!   `<prefix>/<owner>/<repo>/releases/download/<tag>/<asset>` (an nginx `proxy_cache` in front
//!   of github.com, an Artifactory or Nexus remote repository).
//! - `file:///dir/` — a shared directory in the content-addressed layout: `<dir>/sha256/<hex>`
//!   (what `toolget fetch --to DIR` writes).
//!
//! Credentials: `GITHUB_TOKEN` is never sent to a mirror. A mirror gets
//! `Authorization: Bearer <token>` from `TOOLGET_MIRROR_TOKEN_<HOST>` (the host upper-cased,
//! every other character than a letter or digit as `_`), else basic auth from the `machine`
//! entry of `~/.netrc` (or `$NETRC`) for its host, else nothing.
//!
//! Reads no environment itself (the caller passes [`Settings`]); no network here: the
//! installer and `toolget fetch` make the requests.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use reqwest::Url;

use crate::error::{Diagnostic, ErrorKind};
use crate::release::RepoId;
use crate::settings::{Settings, TOOLGET_MIRRORS, TOOLGET_UPSTREAM};

/// What to do after every mirror missed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Upstream {
    /// Download from the origin (the URL the release or the lock names). The default.
    #[default]
    Fallback,
    /// Never contact the origin for an asset: an air-gapped install.
    Never,
}

/// One source of `TOOLGET_MIRRORS`.
#[derive(Clone, PartialEq, Eq)]
pub enum Mirror {
    /// `cas+http(s)://…/`: `<base>sha256/<hex>`.
    Cas { base: Url },
    /// `http(s)://…/`: `<base><owner>/<repo>/releases/download/<tag>/<asset>`.
    GithubPath { base: Url },
    /// `file:///dir/`: `<dir>/sha256/<hex>`.
    Dir { dir: PathBuf },
}

impl fmt::Debug for Mirror {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl Mirror {
    /// How the user wrote it (normalised), for messages and `--explain`.
    pub fn label(&self) -> String {
        match self {
            Mirror::Cas { base } => format!("cas+{base}"),
            Mirror::GithubPath { base } => base.to_string(),
            Mirror::Dir { dir } => format!("file://{}", dir.display()),
        }
    }

    /// The host a mirror's credentials are looked up for.
    pub fn host(&self) -> Option<&str> {
        match self {
            Mirror::Cas { base } | Mirror::GithubPath { base } => base.host_str(),
            Mirror::Dir { .. } => None,
        }
    }

    /// Parse one source.
    pub fn parse(text: &str) -> Result<Mirror, MirrorError> {
        let invalid = |reason: &str| MirrorError::Invalid {
            value: text.to_string(),
            reason: reason.to_string(),
        };
        if let Some(path) = text.strip_prefix("file://") {
            if !path.starts_with('/') {
                return Err(invalid(
                    "a file mirror needs an absolute path: file:///dir/",
                ));
            }
            return Ok(Mirror::Dir {
                dir: PathBuf::from(percent_decode(path)),
            });
        }
        let (cas, rest) = match text.strip_prefix("cas+") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let with_slash = if rest.ends_with('/') {
            rest.to_string()
        } else {
            format!("{rest}/")
        };
        let base = Url::parse(&with_slash).map_err(|_| invalid("not a URL"))?;
        if !matches!(base.scheme(), "http" | "https") || base.host_str().is_none() {
            return Err(invalid(
                "use cas+https://host/prefix/, https://host/prefix/ or file:///dir/",
            ));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(invalid("a mirror URL takes no query or fragment"));
        }
        if !base.username().is_empty() || base.password().is_some() {
            return Err(invalid(
                "put credentials in TOOLGET_MIRROR_TOKEN_<HOST> or ~/.netrc, not in the URL",
            ));
        }
        Ok(if cas {
            Mirror::Cas { base }
        } else {
            Mirror::GithubPath { base }
        })
    }
}

/// A bad `TOOLGET_MIRRORS` or `TOOLGET_UPSTREAM`, or an asset no allowed source could serve.
#[derive(Debug, thiserror::Error)]
pub enum MirrorError {
    #[error("{TOOLGET_MIRRORS} entry `{value}` is not a mirror: {reason}")]
    Invalid { value: String, reason: String },
    #[error("{TOOLGET_UPSTREAM}=`{value}` is neither `fallback` nor `never`")]
    InvalidUpstream { value: String },
    #[error(
        "no mirror could serve `{asset}`, and {TOOLGET_UPSTREAM}=never forbids the origin{}",
        tried_suffix(.tried)
    )]
    NoSource {
        asset: String,
        /// Each source tried and what it did.
        tried: Vec<SourceReport>,
    },
    #[error(
        "`{asset}` has no known sha256, so no mirror may serve it, and {TOOLGET_UPSTREAM}=never forbids the origin"
    )]
    Unverifiable { asset: String },
}

fn tried_suffix(tried: &[SourceReport]) -> String {
    if tried.is_empty() {
        return " (TOOLGET_MIRRORS names none)".into();
    }
    let parts: Vec<String> = tried.iter().map(ToString::to_string).collect();
    format!(" (tried: {})", parts.join("; "))
}

impl Diagnostic for MirrorError {
    /// `invalid_config` for a bad setting, `verification_failed` when a mirror answered wrong
    /// bytes, else `not_found`.
    fn kind(&self) -> ErrorKind {
        match self {
            MirrorError::Invalid { .. } | MirrorError::InvalidUpstream { .. } => {
                ErrorKind::InvalidConfig
            }
            MirrorError::NoSource { tried, .. } if tried.iter().any(|t| t.result.is_wrong()) => {
                ErrorKind::VerificationFailed
            }
            MirrorError::NoSource { .. } => ErrorKind::NotFound,
            MirrorError::Unverifiable { .. } => ErrorKind::VerificationFailed,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            MirrorError::Invalid { .. } | MirrorError::InvalidUpstream { .. } => {
                "docs/mirrors.md describes the mirror kinds and settings".into()
            }
            MirrorError::NoSource { .. } => format!(
                "fill the mirror (`toolget fetch --locked --to DIR` writes the content-addressed \
                 layout), or set {TOOLGET_UPSTREAM}=fallback to allow the origin"
            ),
            MirrorError::Unverifiable { .. } => {
                "pin its sha256 with `toolget lock` and install with --locked".into()
            }
        })
    }
}

/// Where one attempt went, and how it ended (for `--explain` and errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceReport {
    /// A mirror's label, `origin`, or `download cache`.
    pub source: String,
    pub result: SourceResult,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceResult {
    /// This source's bytes were installed.
    Served,
    /// The source does not have it (HTTP 404, no such file).
    Missing,
    /// The source failed (network error, another HTTP status, unreadable file).
    Failed { reason: String },
    /// The source answered bytes whose digest is not the expected one: skipped, not cached.
    WrongBytes { got_sha256: String },
    /// The source answered a body of another size than the asset's: skipped, not cached.
    WrongSize { detail: String },
    /// Not asked: the asset's sha256 is unknown, so a mirror could not be checked.
    SkippedUnverifiable,
}

impl SourceResult {
    /// The source answered, with bytes that are not the asset.
    pub fn is_wrong(&self) -> bool {
        matches!(
            self,
            SourceResult::WrongBytes { .. } | SourceResult::WrongSize { .. }
        )
    }
}

impl fmt::Display for SourceReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = &self.source;
        match &self.result {
            SourceResult::Served => write!(f, "{source}: served"),
            SourceResult::Missing => write!(f, "{source}: does not have it"),
            SourceResult::Failed { reason } => write!(f, "{source}: failed ({reason})"),
            SourceResult::WrongBytes { got_sha256 } => {
                write!(f, "{source}: WRONG BYTES (sha256 {got_sha256}), skipped")
            }
            SourceResult::WrongSize { detail } => {
                write!(f, "{source}: WRONG BYTES ({detail}), skipped")
            }
            SourceResult::SkippedUnverifiable => {
                write!(
                    f,
                    "{source}: not asked (no known sha256 to check it against)"
                )
            }
        }
    }
}

/// What identifies an asset, for building mirror locations.
#[derive(Debug, Clone, Copy)]
pub struct AssetKey<'a> {
    pub repo: &'a RepoId,
    pub tag: &'a str,
    pub name: &'a str,
    /// Lowercase hex, when known.
    pub sha256: Option<&'a str>,
}

/// Credentials for a mirror request.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    Bearer(String),
    Basic { login: String, password: String },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Credentials::Basic { login, .. } => write!(f, "Basic({login}:<redacted>)"),
        }
    }
}

impl Credentials {
    /// `request` with these credentials: a bearer token or HTTP basic auth.
    pub fn apply(
        &self,
        request: reqwest::blocking::RequestBuilder,
    ) -> reqwest::blocking::RequestBuilder {
        match self {
            Credentials::Bearer(token) => request.bearer_auth(token),
            Credentials::Basic { login, password } => request.basic_auth(login, Some(password)),
        }
    }
}

/// One place to look for an asset.
#[derive(Debug, Clone)]
pub enum Location {
    Http {
        label: String,
        url: Url,
        credentials: Option<Credentials>,
    },
    File {
        label: String,
        path: PathBuf,
    },
}

impl Location {
    pub fn label(&self) -> &str {
        match self {
            Location::Http { label, .. } | Location::File { label, .. } => label,
        }
    }
}

/// The mirror configuration, read once from [`Settings`].
#[derive(Debug, Clone, Default)]
pub struct Mirrors {
    pub mirrors: Vec<Mirror>,
    pub upstream: Upstream,
    /// Host → token, from `TOOLGET_MIRROR_TOKEN_<HOST>`.
    tokens: BTreeMap<String, String>,
    /// Host → (login, password), from the netrc file.
    netrc: BTreeMap<String, (String, String)>,
}

impl Mirrors {
    /// From `TOOLGET_MIRRORS` (sources separated by commas or whitespace), `TOOLGET_UPSTREAM`,
    /// the mirror token variables and the netrc file.
    pub fn from_settings(settings: &Settings) -> Result<Mirrors, MirrorError> {
        let mirrors = settings
            .mirrors
            .as_deref()
            .unwrap_or_default()
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(Mirror::parse)
            .collect::<Result<Vec<_>, _>>()?;
        let upstream = match settings
            .upstream
            .as_deref()
            .map(|v| v.trim().to_ascii_lowercase())
            .as_deref()
        {
            None | Some("fallback") => Upstream::Fallback,
            Some("never") => Upstream::Never,
            Some(_) => {
                return Err(MirrorError::InvalidUpstream {
                    value: settings.upstream.clone().unwrap_or_default(),
                });
            }
        };
        let netrc = match &settings.netrc {
            Some(path) if mirrors.iter().any(|m| m.host().is_some()) => read_netrc(path),
            _ => BTreeMap::new(),
        };
        let tokens = mirror_tokens(&mirrors, &settings.mirror_tokens);
        Ok(Mirrors {
            mirrors,
            upstream,
            tokens,
            netrc,
        })
    }

    /// No mirror and the origin allowed: downloads go where they always went.
    pub fn is_default(&self) -> bool {
        self.mirrors.is_empty() && self.upstream == Upstream::Fallback
    }

    /// The mirror locations for an asset, in order. A content-addressed source needs the
    /// sha256; the caller asks only for assets whose digest it will check.
    pub fn locations(&self, asset: &AssetKey<'_>) -> Vec<Location> {
        let mut out = Vec::new();
        for mirror in &self.mirrors {
            let label = mirror.label();
            match mirror {
                Mirror::Cas { base } => {
                    let Some(hex) = asset.sha256 else { continue };
                    if let Ok(url) = base.join(&format!("sha256/{hex}")) {
                        out.push(Location::Http {
                            label,
                            credentials: self.credentials(base),
                            url,
                        });
                    }
                }
                Mirror::GithubPath { base } => {
                    let mut url = base.clone();
                    if let Ok(mut segments) = url.path_segments_mut() {
                        segments.pop_if_empty().extend([
                            asset.repo.owner.as_str(),
                            asset.repo.name.as_str(),
                            "releases",
                            "download",
                            asset.tag,
                            asset.name,
                        ]);
                    }
                    out.push(Location::Http {
                        label,
                        credentials: self.credentials(base),
                        url,
                    });
                }
                Mirror::Dir { dir } => {
                    let Some(hex) = asset.sha256 else { continue };
                    out.push(Location::File {
                        label,
                        path: cas_path(dir, hex),
                    });
                }
            }
        }
        out
    }

    fn credentials(&self, base: &Url) -> Option<Credentials> {
        let host = base.host_str()?.to_ascii_lowercase();
        if let Some(token) = self.tokens.get(&host) {
            return Some(Credentials::Bearer(token.clone()));
        }
        // A `default` entry is not used: credentials go only to the host they name.
        self.netrc
            .get(&host)
            .map(|(login, password)| Credentials::Basic {
                login: login.clone(),
                password: password.clone(),
            })
    }
}

/// `<dir>/sha256/<hex>`: the content-addressed layout a `file://` or `cas+` mirror serves and
/// `toolget fetch --to DIR` writes.
pub fn cas_path(dir: &Path, sha256: &str) -> PathBuf {
    dir.join("sha256").join(sha256.to_ascii_lowercase())
}

/// The variable holding a mirror host's token: `TOOLGET_MIRROR_TOKEN_` + the host
/// upper-cased, every character other than a letter or digit as `_`
/// (`mirror.example.com` → `TOOLGET_MIRROR_TOKEN_MIRROR_EXAMPLE_COM`).
pub fn token_variable(host: &str) -> String {
    let mut name = String::from(crate::settings::TOOLGET_MIRROR_TOKEN_PREFIX);
    name.extend(host.chars().map(|c| {
        if c.is_ascii_alphanumeric() {
            c.to_ascii_uppercase()
        } else {
            '_'
        }
    }));
    name
}

/// Lower-case mirror host → token, for each mirror host whose `TOOLGET_MIRROR_TOKEN_<HOST>`
/// is among `variables` (keyed by variable name).
fn mirror_tokens(
    mirrors: &[Mirror],
    variables: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    mirrors
        .iter()
        .filter_map(|m| m.host().map(str::to_ascii_lowercase))
        .filter_map(|host| {
            let token = variables.get(&token_variable(&host))?.clone();
            Some((host, token))
        })
        .collect()
}

/// `machine`/`login`/`password` triples of a netrc file (`default` under the empty host).
/// Unreadable or odd files give what could be read; `macdef` bodies are skipped.
fn read_netrc(path: &Path) -> BTreeMap<String, (String, String)> {
    std::fs::read_to_string(path)
        .map(|text| parse_netrc(&text))
        .unwrap_or_default()
}

fn parse_netrc(text: &str) -> BTreeMap<String, (String, String)> {
    let mut out = BTreeMap::new();
    let mut tokens = text.split_whitespace();
    let mut host: Option<String> = None;
    let (mut login, mut password) = (String::new(), String::new());
    let mut flush = |host: &mut Option<String>, login: &mut String, password: &mut String| {
        if let Some(h) = host.take()
            && !password.is_empty()
        {
            out.entry(h)
                .or_insert((std::mem::take(login), std::mem::take(password)));
        }
        login.clear();
        password.clear();
    };
    while let Some(token) = tokens.next() {
        match token {
            "machine" => {
                flush(&mut host, &mut login, &mut password);
                host = tokens.next().map(str::to_ascii_lowercase);
            }
            "default" => {
                flush(&mut host, &mut login, &mut password);
                host = Some(String::new());
            }
            "login" => login = tokens.next().unwrap_or_default().to_string(),
            "password" => password = tokens.next().unwrap_or_default().to_string(),
            _ => {}
        }
    }
    flush(&mut host, &mut login, &mut password);
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn settings(mirrors: &str, upstream: Option<&str>) -> Settings {
        Settings {
            mirrors: Some(mirrors.to_string()),
            upstream: upstream.map(str::to_string),
            ..Settings::default()
        }
    }

    #[test]
    fn parses_the_three_kinds_in_order() {
        let m = Mirrors::from_settings(&settings(
            "cas+https://s3.example.com/bucket/tools, https://cache.example.com/github/ file:///mnt/cache/",
            None,
        ))
        .unwrap();
        assert_eq!(
            m.mirrors,
            vec![
                Mirror::Cas {
                    base: Url::parse("https://s3.example.com/bucket/tools/").unwrap()
                },
                Mirror::GithubPath {
                    base: Url::parse("https://cache.example.com/github/").unwrap()
                },
                Mirror::Dir {
                    dir: PathBuf::from("/mnt/cache/")
                },
            ]
        );
        assert_eq!(m.upstream, Upstream::Fallback);
        let repo = RepoId::new("mozilla", "sccache");
        let hex = "ab".repeat(32);
        let key = AssetKey {
            repo: &repo,
            tag: "v0.14.0",
            name: "sccache v0.14.0.tar.gz",
            sha256: Some(&hex),
        };
        let urls: Vec<String> = m
            .locations(&key)
            .iter()
            .map(|l| match l {
                Location::Http { url, .. } => url.to_string(),
                Location::File { path, .. } => path.display().to_string(),
            })
            .collect();
        assert_eq!(
            urls,
            vec![
                format!("https://s3.example.com/bucket/tools/sha256/{hex}"),
                "https://cache.example.com/github/mozilla/sccache/releases/download/v0.14.0/sccache%20v0.14.0.tar.gz".to_string(),
                format!("/mnt/cache/sha256/{hex}"),
            ]
        );
        // Without a sha256 only the GitHub-path source can be asked.
        let key = AssetKey {
            sha256: None,
            ..key
        };
        assert_eq!(m.locations(&key).len(), 1);
    }

    #[test]
    fn rejects_what_is_not_a_mirror() {
        for bad in [
            "ftp://x/",
            "cas+file:///x/",
            "file://relative",
            "https://user:pw@host/",
            "https://host/?q=1",
            "not a url",
        ] {
            let err = Mirrors::from_settings(&settings(bad, None)).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidConfig, "{bad}");
        }
        assert!(Mirrors::from_settings(&settings("", Some("sometimes"))).is_err());
        let m = Mirrors::from_settings(&settings("", Some("NEVER"))).unwrap();
        assert_eq!(m.upstream, Upstream::Never);
        assert!(!m.is_default());
    }

    #[test]
    fn credentials_come_from_the_mirror_variable_then_netrc() {
        assert_eq!(
            token_variable("mirror.example.com"),
            "TOOLGET_MIRROR_TOKEN_MIRROR_EXAMPLE_COM"
        );
        let dir = tempfile::tempdir().unwrap();
        let netrc = dir.path().join("netrc");
        std::fs::write(
            &netrc,
            "machine nexus.example.com login ci password s3cret\ndefault login anon password x\n",
        )
        .unwrap();
        let mut s = settings(
            "https://a.example.com/ https://nexus.example.com/gh/ https://other.example.com/",
            None,
        );
        s.mirror_tokens
            .insert(token_variable("a.example.com"), "tok".into());
        s.netrc = Some(netrc);
        let m = Mirrors::from_settings(&s).unwrap();
        let repo = RepoId::new("o", "r");
        let key = AssetKey {
            repo: &repo,
            tag: "v1",
            name: "a",
            sha256: None,
        };
        let creds: Vec<Option<Credentials>> = m
            .locations(&key)
            .into_iter()
            .map(|l| match l {
                Location::Http { credentials, .. } => credentials,
                Location::File { .. } => None,
            })
            .collect();
        assert_eq!(
            creds,
            vec![
                Some(Credentials::Bearer("tok".into())),
                Some(Credentials::Basic {
                    login: "ci".into(),
                    password: "s3cret".into()
                }),
                None,
            ]
        );
        assert!(!format!("{creds:?}").contains("s3cret"));
    }
}
