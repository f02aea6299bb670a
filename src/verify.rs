//! Digests and checksum files: what a download is expected to hash to, where that expectation
//! came from, and the comparison.
//!
//! Reads GitHub's per-asset `digest` field, picks which release asset holds a checksum for a
//! given asset, parses the checksum formats found in the wild (GNU coreutils, BSD tagged,
//! single values) and compares. Pure: no network and no disk — the installer fetches checksum
//! files through `download` and hands the text here.
//!
//! A wrong expectation can only make an install fail, never make a wrong file pass, so the
//! parser is lenient about layout (CRLF, `./dir/` prefixes, comment and PGP armour lines) but
//! strict about which entry belongs to which asset: names match exactly, never by prefix, so
//! `sccache-dist-…` is never taken for `sccache-…`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, ErrorKind};
use crate::release::Asset;
use crate::text::untrusted;

/// A hash algorithm a release can publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    Sha256,
    Sha512,
}

impl Algorithm {
    /// Lowercase name as used in digests and messages: `sha256`, `sha512`.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }

    /// Length of a hex digest of this algorithm.
    pub fn hex_len(self) -> usize {
        match self {
            Algorithm::Sha256 => 64,
            Algorithm::Sha512 => 128,
        }
    }

    /// The algorithm whose hex digests have this length.
    fn from_hex_len(len: usize) -> Option<Algorithm> {
        match len {
            64 => Some(Algorithm::Sha256),
            128 => Some(Algorithm::Sha512),
            _ => None,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an expected digest came from; recorded in receipts and shown in messages.
///
/// `Unverified` only describes an install that had no expectation at all; an [`Expected`]
/// never carries it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerificationSource {
    /// The `digest` field GitHub's API reports for the asset.
    GithubDigest,
    /// A checksum file published in the same release.
    ChecksumFile { name: String },
    /// A digest pinned in the user's lockfile.
    Lockfile,
    /// Nothing to check against.
    Unverified,
}

impl fmt::Display for VerificationSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerificationSource::GithubDigest => f.write_str("GitHub's asset digest"),
            VerificationSource::ChecksumFile { name } => write!(f, "{}", untrusted(name)),
            VerificationSource::Lockfile => f.write_str("the lockfile"),
            VerificationSource::Unverified => f.write_str("no checksum"),
        }
    }
}

/// What a download must hash to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expected {
    pub algorithm: Algorithm,
    /// Lowercase hex, of the length the algorithm implies.
    pub hex: String,
    pub source: VerificationSource,
}

/// A checksum that could not be used, or a download that did not match it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VerifyError {
    #[error(
        "checksum mismatch for `{}`: expected {algorithm} {expected}, got {actual} (from {source_name})",
        untrusted(asset)
    )]
    Mismatch {
        asset: String,
        algorithm: Algorithm,
        expected: String,
        actual: String,
        /// Not called `source`: thiserror would take a field of that name for the cause.
        source_name: VerificationSource,
    },
    #[error(
        "checksum file `{}` does not list `{}`",
        untrusted(file),
        untrusted(asset)
    )]
    NotListed { asset: String, file: String },
    #[error(
        "checksum file `{}` is not usable: {}",
        untrusted(file),
        untrusted(reason)
    )]
    Malformed { file: String, reason: String },
    #[error(
        "cannot check `{}` against a {algorithm} digest: the download was not hashed with {algorithm}",
        untrusted(asset)
    )]
    NotHashed { asset: String, algorithm: Algorithm },
}

impl Diagnostic for VerifyError {
    /// A stable word for scripts and exit codes: `verification_failed` when the bytes did not
    /// match, `checksum_unusable` when there was nothing trustworthy to compare with.
    fn kind(&self) -> ErrorKind {
        match self {
            VerifyError::Mismatch { .. } => ErrorKind::VerificationFailed,
            VerifyError::NotListed { .. }
            | VerifyError::Malformed { .. }
            | VerifyError::NotHashed { .. } => ErrorKind::ChecksumUnusable,
        }
    }

    /// What the user should do.
    fn hint(&self) -> Option<String> {
        let hint: Option<&'static str> = {
            match self {
                VerifyError::Mismatch { .. } => Some(
                    "the download may be corrupt or the release was changed; nothing was installed",
                ),
                VerifyError::NotListed { .. } | VerifyError::Malformed { .. } => Some(
                    "the release's checksum file cannot verify this asset; report it upstream, or, if \
                 you trust the source, install it unverified with `toolget install --insecure` \
                 (refused with --require-verified)",
                ),
                VerifyError::NotHashed { .. } => None,
            }
        };
        hint.map(str::to_string)
    }
}

/// Why GitHub's `digest` for an asset cannot be checked. Displayed after "GitHub's digest
/// for `<asset>`".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigestProblem {
    #[error("uses `{}`, an algorithm toolget cannot check (only sha256 and sha512)", untrusted(.0))]
    UnknownAlgorithm(String),
    #[error("is not `<algorithm>:<hex>` of the right length: `{}`", untrusted(.0))]
    Malformed(String),
}

/// An expectation from GitHub's `digest` field: `sha256:<hex>` or `sha512:<hex>`, the
/// algorithm in any case (`SHA256:`), whitespace around the value and the colon tolerated,
/// hex in any case.
pub fn parse_digest(digest: &str) -> Result<Expected, DigestProblem> {
    let digest = digest.trim();
    let malformed = || DigestProblem::Malformed(digest.to_owned());
    let (algorithm, hex) = digest.split_once(':').ok_or_else(malformed)?;
    let algorithm = match algorithm.trim().to_ascii_lowercase().as_str() {
        "sha256" => Algorithm::Sha256,
        "sha512" => Algorithm::Sha512,
        other => return Err(DigestProblem::UnknownAlgorithm(other.to_owned())),
    };
    let hex = normalize_hex(hex).ok_or_else(malformed)?;
    if hex.len() != algorithm.hex_len() {
        return Err(malformed());
    }
    Ok(Expected {
        algorithm,
        hex,
        source: VerificationSource::GithubDigest,
    })
}

/// [`parse_digest`], `None` for a digest that cannot be checked.
pub fn expected_from_digest(digest: &str) -> Option<Expected> {
    parse_digest(digest).ok()
}

/// Lowercase `hex` if it is entirely hex digits of a known digest length.
fn normalize_hex(hex: &str) -> Option<String> {
    let hex = hex.trim();
    if Algorithm::from_hex_len(hex.len()).is_some() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        Some(hex.to_ascii_lowercase())
    } else {
        None
    }
}

/// Release-wide checksum files, in order of preference (compared case-insensitively).
const SHARED_NAMES: &[&str] = &[
    "checksums.txt",
    "sha256sums",
    "sha256sums.txt",
    "sha256sum.txt",
    "checksums.sha256",
    "sha512sums",
    "sha512sums.txt",
];

/// Suffixes of a checksum file made for exactly one asset (`<asset><suffix>`), best first.
const PER_ASSET_SUFFIXES: &[&str] = &[
    ".sha256",
    ".sha256sum",
    ".sha256.txt",
    ".sha512",
    ".sha512sum",
];

/// Extensions that make a file a checksum file when its name is otherwise free-form.
const CHECKSUM_EXTENSIONS: &[&str] = &[".sha256", ".sha256sum", ".sha512", ".sha512sum"];

/// Archive extensions stripped to find `<stem>.sha256` (a per-asset file named without the
/// archive extension, e.g. `tool-linux-amd64.sha256` for `tool-linux-amd64.tar.gz`).
const ARCHIVE_EXTENSIONS: &[&str] = &[
    ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.zst", ".tzst", ".tar.bz2", ".tbz", ".tbz2", ".zip",
    ".gz", ".xz", ".zst", ".bz2", ".exe",
];

/// The release assets that may hold the checksum for `asset_name`, best first:
///
/// 1. made for this asset: `<asset>.sha256`, `<asset>.sha256sum`, `<asset>.sha256.txt`,
///    `<asset>.sha512`, `<asset>.sha512sum`;
/// 2. the same without the archive extension: `<stem>.sha256`, … (`tool.tar.gz` → `tool.sha256`);
/// 3. release-wide files by their usual names: `checksums.txt`, `SHA256SUMS`,
///    `sha256sums.txt`, `sha256sum.txt`, `checksums.sha256`, `SHA512SUMS`, `sha512sums.txt`;
/// 4. named release-wide files: `*_checksums.txt`, `*-checksums.txt`, `*.checksums.txt`
///    (goreleaser's `tool_1.2.3_checksums.txt`), `*checksums*.sha256`/`.sha512`;
/// 5. any other `*.sha256`, `*.sha256sum`, `*.sha512`, `*.sha512sum`, `*SHA256SUMS*` that is
///    not the per-asset file of a *different* asset of the release (a release-wide file named
///    after the project, say `tool-1.2.3.sha256sum`).
///
/// Names compare case-insensitively; signatures (`.asc`, `.sig`) and md5/sha1 files are never
/// candidates. Each asset appears at most once.
pub fn checksum_candidates<'a>(asset_name: &str, release_assets: &'a [Asset]) -> Vec<&'a Asset> {
    let asset_lower = asset_name.to_ascii_lowercase();
    let stem = strip_archive_extension(&asset_lower);
    let names: Vec<String> = release_assets
        .iter()
        .map(|a| a.name.to_ascii_lowercase())
        .collect();

    let tier = |name: &str| -> Option<usize> {
        if name == asset_lower {
            return None;
        }
        if let Some(rest) = name.strip_prefix(asset_lower.as_str())
            && let Some(i) = PER_ASSET_SUFFIXES.iter().position(|s| *s == rest)
        {
            return Some(i);
        }
        let base = PER_ASSET_SUFFIXES.len();
        if let Some(stem) = stem
            && let Some(rest) = name.strip_prefix(stem)
            && let Some(i) = PER_ASSET_SUFFIXES.iter().position(|s| *s == rest)
        {
            return Some(base + i);
        }
        let base = base * 2;
        if let Some(i) = SHARED_NAMES.iter().position(|s| *s == name) {
            return Some(base + i);
        }
        let base = base + SHARED_NAMES.len();
        if name.ends_with("_checksums.txt")
            || name.ends_with("-checksums.txt")
            || name.ends_with(".checksums.txt")
        {
            return Some(base);
        }
        if name.contains("checksums") && (name.ends_with(".sha256") || name.ends_with(".sha512")) {
            return Some(base + 1);
        }
        let is_checksum_file = CHECKSUM_EXTENSIONS.iter().any(|ext| name.ends_with(ext))
            || name.contains("sha256sums")
            || name.contains("sha512sums");
        if is_checksum_file && !is_per_asset_file_of_another(name, &asset_lower, &names) {
            return Some(base + 2);
        }
        None
    };

    let mut ranked: Vec<(usize, usize, &Asset)> = release_assets
        .iter()
        .enumerate()
        .filter_map(|(i, asset)| tier(&names[i]).map(|t| (t, i, asset)))
        .collect();
    // Ties keep the API's order, which is stable between runs.
    ranked.sort_by_key(|&(t, i, _)| (t, i));
    ranked.into_iter().map(|(_, _, asset)| asset).collect()
}

fn strip_archive_extension(name: &str) -> Option<&str> {
    ARCHIVE_EXTENSIONS
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .filter(|stem| !stem.is_empty())
}

/// `name` is `<other asset>.sha256` (or `<other stem>.sha256`…) for an asset other than ours.
fn is_per_asset_file_of_another(name: &str, ours: &str, all: &[String]) -> bool {
    all.iter()
        .filter(|other| other.as_str() != ours)
        .any(|other| {
            let stem = strip_archive_extension(other);
            PER_ASSET_SUFFIXES.iter().any(|suffix| {
                name.strip_suffix(suffix)
                    .is_some_and(|rest| rest == other || Some(rest) == stem)
            })
        })
}

/// One line of a checksum file.
#[derive(Debug)]
struct Entry {
    hex: String,
    algorithm: Algorithm,
    /// `None` for a bare hex value.
    name: Option<String>,
}

/// Find the expected digest of `asset_name` in the checksum file `file_name` whose text is
/// `body`.
///
/// Understands, line by line (CRLF or LF, blank, `#` comment and PGP armour lines skipped):
/// - GNU coreutils: `<hex>  name`, `<hex> *name`, also with one space, `./name` or `dir/name`
///   (matched on the whole path, then on the basename), and `\`-escaped names;
/// - BSD tagged: `SHA256 (name) = <hex>`, `SHA512 (name) = <hex>`;
/// - a bare `<hex>`.
///
/// The algorithm follows from the hex length (64 → sha256, 128 → sha512); hex may be
/// uppercase. Names must match exactly. A file holding a single value is accepted whatever
/// name it gives when it is a bare value or the file is made for this asset
/// (`<asset>.sha256`, `<stem>.sha256`, …): such files often name a build path or an old
/// file name.
pub fn parse_checksum(
    body: &str,
    asset_name: &str,
    file_name: &str,
) -> Result<Expected, VerifyError> {
    let source = VerificationSource::ChecksumFile {
        name: file_name.to_string(),
    };
    let entries: Vec<Entry> = body
        .trim_start_matches('\u{feff}')
        .lines()
        .filter_map(parse_line)
        .collect();
    if entries.is_empty() {
        return Err(VerifyError::Malformed {
            file: file_name.to_string(),
            reason: "no line holds a sha256 or sha512 checksum".to_string(),
        });
    }

    let by_path: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.name.as_deref().map(strip_dot_slash) == Some(asset_name))
        .collect();
    let matches = if by_path.is_empty() {
        entries
            .iter()
            .filter(|e| e.name.as_deref().map(basename) == Some(asset_name))
            .collect()
    } else {
        by_path
    };

    let chosen = if let Some(entry) = pick(&matches, asset_name, file_name)? {
        entry
    } else {
        let single = entries.len() == 1;
        let bare = single && entries[0].name.is_none();
        if single && (bare || is_file_for_asset(file_name, asset_name)) {
            &entries[0]
        } else {
            return Err(VerifyError::NotListed {
                asset: asset_name.to_string(),
                file: file_name.to_string(),
            });
        }
    };
    Ok(Expected {
        algorithm: chosen.algorithm,
        hex: chosen.hex.clone(),
        source,
    })
}

/// Choose among the lines naming our asset: sha256 before sha512 (the download always has
/// sha256); two different values for the same algorithm leave no trustworthy answer.
fn pick<'e>(
    matches: &[&'e Entry],
    asset: &str,
    file: &str,
) -> Result<Option<&'e Entry>, VerifyError> {
    for algorithm in [Algorithm::Sha256, Algorithm::Sha512] {
        let mut of_alg = matches.iter().filter(|e| e.algorithm == algorithm);
        if let Some(first) = of_alg.next() {
            if of_alg.any(|other| other.hex != first.hex) {
                return Err(VerifyError::Malformed {
                    file: file.to_string(),
                    reason: format!("it lists `{asset}` more than once with different checksums"),
                });
            }
            return Ok(Some(first));
        }
    }
    Ok(None)
}

fn is_file_for_asset(file_name: &str, asset_name: &str) -> bool {
    let file = file_name.to_ascii_lowercase();
    let asset = asset_name.to_ascii_lowercase();
    let stem = strip_archive_extension(&asset);
    PER_ASSET_SUFFIXES.iter().any(|suffix| {
        file.strip_suffix(suffix)
            .is_some_and(|rest| rest == asset || Some(rest) == stem)
    })
}

fn strip_dot_slash(name: &str) -> &str {
    let mut name = name;
    while let Some(rest) = name.strip_prefix("./") {
        name = rest;
    }
    name
}

fn basename(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

fn parse_line(line: &str) -> Option<Entry> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    parse_bsd(line).or_else(|| parse_gnu(line))
}

/// `SHA256 (name) = <hex>`
fn parse_bsd(line: &str) -> Option<Entry> {
    let (tag, rest) = line.split_once(" (")?;
    let tagged = match tag.trim().to_ascii_uppercase().as_str() {
        "SHA256" => Algorithm::Sha256,
        "SHA512" => Algorithm::Sha512,
        _ => return None,
    };
    // The name may itself contain `) = `; the hex is after the last one.
    let (name, hex) = rest.rsplit_once(") =")?;
    let hex = normalize_hex(hex)?;
    let algorithm = Algorithm::from_hex_len(hex.len())?;
    (algorithm == tagged).then(|| Entry {
        hex,
        algorithm,
        name: Some(name.to_string()),
    })
}

/// `<hex>  name`, `<hex> *name`, `\<hex>  esc\\aped`, or `<hex>`.
fn parse_gnu(line: &str) -> Option<Entry> {
    // coreutils prefixes a line with `\` when the name needed escaping.
    let (escaped, line) = match line.strip_prefix('\\') {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    let (hex, name) = match line.split_once(char::is_whitespace) {
        Some((hex, name)) => (hex, Some(name.trim_start())),
        None => (line, None),
    };
    let hex = normalize_hex(hex)?;
    let algorithm = Algorithm::from_hex_len(hex.len())?;
    let name = name
        .map(|n| n.strip_prefix('*').unwrap_or(n))
        .filter(|n| !n.is_empty())
        .map(|n| if escaped { unescape(n) } else { n.to_string() });
    Some(Entry {
        hex,
        algorithm,
        name,
    })
}

fn unescape(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Compare a download's digests with the expectation for `asset`. `actual_sha512` is needed
/// only when the expectation is sha512 (hash with `HashingReader::with_sha512` then).
pub fn check(
    asset: &str,
    expected: &Expected,
    actual_sha256: &str,
    actual_sha512: Option<&str>,
) -> Result<(), VerifyError> {
    let actual = match expected.algorithm {
        Algorithm::Sha256 => actual_sha256,
        Algorithm::Sha512 => actual_sha512.ok_or_else(|| VerifyError::NotHashed {
            asset: asset.to_string(),
            algorithm: Algorithm::Sha512,
        })?,
    };
    if actual.eq_ignore_ascii_case(&expected.hex) {
        Ok(())
    } else {
        Err(VerifyError::Mismatch {
            asset: asset.to_string(),
            algorithm: expected.algorithm,
            expected: expected.hex.clone(),
            actual: actual.to_ascii_lowercase(),
            source_name: expected.source.clone(),
        })
    }
}

#[cfg(test)]
// A failed unwrap is a failed test, with the value in the message.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    const C: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn sha512_hex() -> String {
        "0123456789abcdef".repeat(8)
    }

    fn hex_for(body: &str, asset: &str, file: &str) -> Result<String, VerifyError> {
        parse_checksum(body, asset, file).map(|e| e.hex)
    }

    #[test]
    fn digest_field() {
        let e = expected_from_digest(&format!("sha256:{}", C.to_uppercase())).unwrap();
        assert_eq!(e.algorithm, Algorithm::Sha256);
        assert_eq!(e.hex, C);
        assert_eq!(e.source, VerificationSource::GithubDigest);
        assert_eq!(expected_from_digest("md5:abc"), None);
        assert_eq!(expected_from_digest("sha256:abc"), None);
        assert_eq!(expected_from_digest(&format!("sha512:{C}")), None);
        assert_eq!(expected_from_digest(C), None);
    }

    #[test]
    fn gnu_text_and_binary_modes() {
        let body = format!("{A}  tool-linux.tar.gz\n{B} *tool-macos.tar.gz\n");
        assert_eq!(
            hex_for(&body, "tool-linux.tar.gz", "checksums.txt").unwrap(),
            A
        );
        assert_eq!(
            hex_for(&body, "tool-macos.tar.gz", "checksums.txt").unwrap(),
            B
        );
    }

    #[test]
    fn single_space_and_tabs() {
        let body = format!("{A} tool-linux.tar.gz\n{B}\ttool-macos.zip\n");
        assert_eq!(
            hex_for(&body, "tool-linux.tar.gz", "checksums.txt").unwrap(),
            A
        );
        assert_eq!(
            hex_for(&body, "tool-macos.zip", "checksums.txt").unwrap(),
            B
        );
    }

    #[test]
    fn dot_slash_and_directories_match_on_basename() {
        let body = format!("{A}  ./tool-linux.tar.gz\n{B}  ./dist/tool-macos.tar.gz\n");
        assert_eq!(
            hex_for(&body, "tool-linux.tar.gz", "SHA256SUMS").unwrap(),
            A
        );
        assert_eq!(
            hex_for(&body, "tool-macos.tar.gz", "SHA256SUMS").unwrap(),
            B
        );
    }

    #[test]
    fn bsd_tagged_format() {
        let body = format!(
            "SHA256 (tool-linux.tar.gz) = {A}\nSHA512 (tool-macos.tar.gz) = {}\n",
            sha512_hex()
        );
        let e = parse_checksum(&body, "tool-linux.tar.gz", "CHECKSUMS").unwrap();
        assert_eq!((e.algorithm, e.hex.as_str()), (Algorithm::Sha256, A));
        let e = parse_checksum(&body, "tool-macos.tar.gz", "CHECKSUMS").unwrap();
        assert_eq!(e.algorithm, Algorithm::Sha512);
        assert_eq!(e.hex, sha512_hex());
    }

    #[test]
    fn bsd_tag_disagreeing_with_length_is_not_a_checksum() {
        let body = format!("SHA512 (tool.tar.gz) = {A}\n");
        assert!(matches!(
            parse_checksum(&body, "tool.tar.gz", "CHECKSUMS"),
            Err(VerifyError::Malformed { .. })
        ));
    }

    #[test]
    fn sha512_by_length_and_uppercase_hex() {
        let body = format!("{}  tool.tar.gz\n", sha512_hex().to_uppercase());
        let e = parse_checksum(&body, "tool.tar.gz", "tool.tar.gz.sha512").unwrap();
        assert_eq!(e.algorithm, Algorithm::Sha512);
        assert_eq!(e.hex, sha512_hex());
        let body = format!("{}  tool.tar.gz\n", C.to_uppercase());
        assert_eq!(hex_for(&body, "tool.tar.gz", "checksums.txt").unwrap(), C);
    }

    #[test]
    fn crlf_bom_comments_and_pgp_armour() {
        let body = format!(
            "\u{feff}-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA256\r\n\r\n# built by CI\r\n{A}  tool.tar.gz\r\n{B}  tool.zip\r\n-----BEGIN PGP SIGNATURE-----\r\n"
        );
        assert_eq!(hex_for(&body, "tool.tar.gz", "SHA256SUMS").unwrap(), A);
        assert_eq!(hex_for(&body, "tool.zip", "SHA256SUMS").unwrap(), B);
    }

    #[test]
    fn similar_names_are_never_confused() {
        let body = format!(
            "{A}  sccache-dist-v0.14.0-x86_64-unknown-linux-musl.tar.gz\n\
             {B}  sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz\n\
             {C}  sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz.sig\n"
        );
        assert_eq!(
            hex_for(
                &body,
                "sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz",
                "checksums.txt"
            )
            .unwrap(),
            B
        );
        assert_eq!(
            hex_for(
                &body,
                "sccache-dist-v0.14.0-x86_64-unknown-linux-musl.tar.gz",
                "checksums.txt"
            )
            .unwrap(),
            A
        );
        // A name that only prefixes or suffixes listed names is not listed.
        assert_eq!(
            parse_checksum(
                &body,
                "sccache-v0.14.0-x86_64-unknown-linux-musl.tar",
                "checksums.txt"
            ),
            Err(VerifyError::NotListed {
                asset: "sccache-v0.14.0-x86_64-unknown-linux-musl.tar".into(),
                file: "checksums.txt".into()
            })
        );
        assert!(matches!(
            parse_checksum(
                &body,
                "v0.14.0-x86_64-unknown-linux-musl.tar.gz",
                "checksums.txt"
            ),
            Err(VerifyError::NotListed { .. })
        ));
    }

    #[test]
    fn single_value_files() {
        // A bare value.
        assert_eq!(
            hex_for(&format!("{A}\n"), "tool.tar.gz", "tool.tar.gz.sha256").unwrap(),
            A
        );
        // A per-asset file naming a build path or an old name: the single value is taken.
        let body = format!("{A}  /home/runner/work/target/tool\n");
        assert_eq!(
            hex_for(&body, "tool.tar.gz", "tool.tar.gz.sha256").unwrap(),
            A
        );
        assert_eq!(hex_for(&body, "tool.tar.gz", "tool.sha256").unwrap(), A);
        // The same line in a release-wide file names another file: not ours.
        assert!(matches!(
            parse_checksum(&body, "tool.tar.gz", "checksums.txt"),
            Err(VerifyError::NotListed { .. })
        ));
    }

    #[test]
    fn escaped_gnu_names() {
        let body = format!("\\{A}  odd\\\\name.tar.gz\n");
        assert_eq!(hex_for(&body, "odd\\name.tar.gz", "SHA256SUMS").unwrap(), A);
    }

    #[test]
    fn conflicting_duplicates_are_malformed_and_agreeing_ones_fine() {
        let body = format!("{A}  tool.tar.gz\n{B}  ./tool.tar.gz\n");
        // `./tool.tar.gz` is the same path as `tool.tar.gz`: two values for one file.
        assert!(matches!(
            parse_checksum(&body, "tool.tar.gz", "checksums.txt"),
            Err(VerifyError::Malformed { .. })
        ));
        let body = format!("{A}  tool.tar.gz\n{A}  tool.tar.gz\n");
        assert_eq!(hex_for(&body, "tool.tar.gz", "checksums.txt").unwrap(), A);
        // sha256 is preferred when both algorithms are listed.
        let body = format!("{}  tool.tar.gz\n{A}  tool.tar.gz\n", sha512_hex());
        assert_eq!(hex_for(&body, "tool.tar.gz", "checksums.txt").unwrap(), A);
    }

    #[test]
    fn garbage_is_malformed() {
        let err =
            parse_checksum("<html>Not Found</html>", "tool.tar.gz", "checksums.txt").unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::ChecksumUnusable);
        assert!(
            err.to_string().contains("`checksums.txt` is not usable"),
            "{err}"
        );
        // Too short to be a digest.
        assert!(parse_checksum("abc123  tool.tar.gz", "tool.tar.gz", "x.sha256").is_err());
    }

    fn assets(names: &[&str]) -> Vec<Asset> {
        names.iter().map(|n| Asset::named(*n)).collect()
    }

    fn candidate_names(asset: &str, release: &[Asset]) -> Vec<String> {
        checksum_candidates(asset, release)
            .into_iter()
            .map(|a| a.name.clone())
            .collect()
    }

    #[test]
    fn per_asset_file_before_release_wide_file() {
        let release = assets(&[
            "checksums.txt",
            "x.tar.gz",
            "x.tar.gz.sha256",
            "y.tar.gz",
            "y.tar.gz.sha256",
            "x.tar.gz.asc",
        ]);
        assert_eq!(
            candidate_names("x.tar.gz", &release),
            ["x.tar.gz.sha256", "checksums.txt"]
        );
    }

    #[test]
    fn candidate_tiers_in_order() {
        let release = assets(&[
            "tool-1.0.sha256sum",
            "tool_1.0_checksums.txt",
            "SHA256SUMS",
            "tool-linux.sha256",
            "tool-linux.tar.gz.sha512",
            "tool-linux.tar.gz.sha256sum",
            "tool-linux.tar.gz",
            "tool-linux.tar.gz.md5",
            "tool-linux.tar.gz.sig",
            "tool-macos.zip",
            "tool-macos.sha256",
            "checksums.sha256",
        ]);
        assert_eq!(
            candidate_names("tool-linux.tar.gz", &release),
            [
                "tool-linux.tar.gz.sha256sum",
                "tool-linux.tar.gz.sha512",
                "tool-linux.sha256",
                "SHA256SUMS",
                "checksums.sha256",
                "tool_1.0_checksums.txt",
                "tool-1.0.sha256sum",
            ]
        );
    }

    #[test]
    fn no_candidates_without_checksum_files() {
        let release = assets(&["tool-linux.tar.gz", "tool-linux.tar.gz.sig", "README.md"]);
        assert!(checksum_candidates("tool-linux.tar.gz", &release).is_empty());
    }

    #[test]
    fn check_accepts_a_match_and_explains_a_mismatch() {
        let expected = Expected {
            algorithm: Algorithm::Sha256,
            hex: A.to_string(),
            source: VerificationSource::ChecksumFile {
                name: "checksums.txt".into(),
            },
        };
        check("x.tar.gz", &expected, &A.to_uppercase(), None).unwrap();
        let err = check("x.tar.gz", &expected, B, None).unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::VerificationFailed);
        assert_eq!(
            err.to_string(),
            format!(
                "checksum mismatch for `x.tar.gz`: expected sha256 {A}, got {B} (from checksums.txt)"
            )
        );
        assert!(err.hint().unwrap().contains("nothing was installed"));
    }

    #[test]
    fn check_sha512_needs_a_sha512_hash() {
        let expected = Expected {
            algorithm: Algorithm::Sha512,
            hex: sha512_hex(),
            source: VerificationSource::Lockfile,
        };
        check("x", &expected, A, Some(&sha512_hex())).unwrap();
        assert!(matches!(
            check("x", &expected, A, None),
            Err(VerifyError::NotHashed { .. })
        ));
        let err = check("x", &expected, A, Some(&"f".repeat(128))).unwrap_err();
        assert!(err.to_string().ends_with("(from the lockfile)"), "{err}");
    }

    #[test]
    fn source_serializes_snake_case() {
        let json = serde_json::to_string(&VerificationSource::ChecksumFile {
            name: "SHA256SUMS".into(),
        })
        .unwrap();
        assert_eq!(json, r#"{"checksum_file":{"name":"SHA256SUMS"}}"#);
        assert_eq!(
            serde_json::to_string(&VerificationSource::GithubDigest).unwrap(),
            r#""github_digest""#
        );
        assert_eq!(
            serde_json::to_string(&Algorithm::Sha512).unwrap(),
            r#""sha512""#
        );
    }
}
