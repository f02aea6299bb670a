//! Versions: what the user asked for ([`VersionSpec`]), how tags spell versions, and which
//! release satisfies a request. Pure: works on tag lists handed to it; no I/O, no network.
//!
//! # How tags are read
//!
//! A tag *spells* a version when it is the bare version (`0.14.0`), the version with a `v`
//! (`v0.14.0`), or one of the tool's names followed by `-`, `_`, `@` or `/` and then either
//! of those (`jq-1.7.1`, `bun-v1.4.2`, `sccache@0.14.0`, `cli/v2.40.0`). Such tags are
//! trusted first. A tag with some other prefix (`release-1.2`, `sccache-dist-v0.14.1`) still
//! yields a version (the text after the first separator that is followed by a digit), but
//! ranks below every tag that spells one: in a repository that publishes several products,
//! a sibling product's tag must not win just because its number is higher.
//!
//! # Ranking
//!
//! Releases rank by, in order: how their tag spells a version (spelled > dug out > none),
//! the version (semver precedence, via [`parse_lenient`]), then `published_at` (RFC 3339 text
//! from the API, which compares correctly as a string). A release whose tag holds no
//! version that parses (`nightly`, `2026-09-07`, `1.2.3.4`) therefore ranks below every
//! release that does, and such releases rank among themselves by `published_at`; ties keep the
//! list order (the API lists newest first, so the first of equals wins in [`pick_release`]).

use std::fmt;

use semver::{BuildMetadata, Prerelease, Version, VersionReq};

use crate::error::{Diagnostic, ErrorKind};
use crate::release::Release;

/// The version part of a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSpec {
    /// Newest release that is neither draft nor prerelease (the default).
    Latest,
    /// One exact version or raw tag as typed: `0.14.0`, `v0.14.0`, `jq-1.7.1`, `2026-09-07`.
    Exact(String),
    /// A version prefix: `0.14` means the newest `0.14.*`.
    Prefix(String),
    /// A semver requirement: `^0.14`, `~0.8`, `>=0.10, <0.15`.
    Req(semver::VersionReq),
}

/// A version part that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum VersionError {
    #[error("the version is empty")]
    Empty,
    #[error("`{input}` is not a valid version requirement")]
    BadReq {
        input: String,
        #[source]
        source: semver::Error,
    },
    /// `offset` is the byte offset of `ch` in `input`, so callers can point at it.
    #[error("`{input}` cannot be a version or tag: it contains `{}`", ch.escape_default())]
    BadChar {
        input: String,
        ch: char,
        offset: usize,
    },
}

impl Diagnostic for VersionError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidSpec
    }

    /// What to type instead.
    fn hint(&self) -> Option<String> {
        Some(match self {
            VersionError::Empty => {
                "write a version such as `1.2.3`, `1.2`, `^1.2` or `latest`, or leave the version out"
                    .to_string()
            }
            VersionError::BadReq { .. } => {
                "requirements look like `^0.14`, `~0.8`, `>=0.10, <0.15` or `=1.2.3`".to_string()
            }
            VersionError::BadChar { .. } => {
                "a version is a tag as published (`v1.2.3`, `jq-1.7.1`) or a requirement such as `^1.2`"
                    .to_string()
            }
        })
    }
}

impl VersionSpec {
    /// Read the version part of a spec.
    ///
    /// - `latest` (any case) → [`VersionSpec::Latest`];
    /// - anything containing `^ ~ > < = *` or `,` → [`VersionSpec::Req`] (a `v` right before
    ///   a number is dropped, so `^v0.14` works);
    /// - one or two numeric parts, with or without `v` (`1`, `0.14`, `v0.14`) →
    ///   [`VersionSpec::Prefix`], stored without the `v`;
    /// - anything else → [`VersionSpec::Exact`], kept as typed (`0.14.0`, `v0.14.0`,
    ///   `1.2.3-rc.1`, `jq-1.7.1`, `2026-09-07`, `nightly`).
    pub fn parse(input: &str) -> Result<VersionSpec, VersionError> {
        if input.is_empty() {
            return Err(VersionError::Empty);
        }
        if input.eq_ignore_ascii_case("latest") {
            return Ok(VersionSpec::Latest);
        }
        if input.contains(['^', '~', '>', '<', '=', '*', ',']) {
            return VersionReq::parse(&drop_v_before_digits(input))
                .map(VersionSpec::Req)
                .map_err(|source| VersionError::BadReq {
                    input: input.to_string(),
                    source,
                });
        }
        // Characters git refuses in tag names (and whitespace, which no CLI user means).
        if let Some((offset, ch)) = input.char_indices().find(|&(_, c)| {
            c.is_whitespace() || c.is_control() || matches!(c, ':' | '?' | '\\' | '[' | ']')
        }) {
            return Err(VersionError::BadChar {
                input: input.to_string(),
                ch,
                offset,
            });
        }
        let unprefixed = strip_v(input).unwrap_or(input);
        let parts: Vec<&str> = unprefixed.split('.').collect();
        if parts.len() <= 2 && parts.iter().all(|p| is_number(p)) {
            return Ok(VersionSpec::Prefix(unprefixed.to_string()));
        }
        Ok(VersionSpec::Exact(input.to_string()))
    }

    /// Whether `tag` satisfies this request, ignoring draft/prerelease flags (those are
    /// [`pick_release`]'s business). `names` are the tool's names as tags may spell them.
    ///
    /// Exact matches only the tags [`candidate_tags`] lists, so `0.14.0` never matches
    /// `sccache-dist-v0.14.0`.
    pub fn matches_tag(&self, tag: &str, names: &[&str]) -> bool {
        match self {
            VersionSpec::Latest => true,
            VersionSpec::Exact(exact) => candidate_tags(exact, names).iter().any(|c| c == tag),
            VersionSpec::Prefix(prefix) => prefix_matches(prefix, &version_from_tag(tag, names)),
            VersionSpec::Req(req) => {
                parse_lenient(&version_from_tag(tag, names)).is_some_and(|v| req.matches(&v))
            }
        }
    }

    /// Whether a release flagged as prerelease on GitHub may satisfy this request.
    fn allows_flagged_prerelease(&self) -> bool {
        match self {
            VersionSpec::Latest | VersionSpec::Prefix(_) => false,
            // The user named this very tag.
            VersionSpec::Exact(_) => true,
            VersionSpec::Req(req) => req.comparators.iter().any(|c| !c.pre.is_empty()),
        }
    }
}

impl fmt::Display for VersionSpec {
    /// The version as a spec spells it after `@` (`latest` for [`VersionSpec::Latest`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VersionSpec::Latest => f.write_str("latest"),
            VersionSpec::Exact(s) | VersionSpec::Prefix(s) => f.write_str(s),
            VersionSpec::Req(req) => write!(f, "{req}"),
        }
    }
}

/// `^v0.14` → `^0.14`: people type tags into requirements; semver does not accept the `v`.
fn drop_v_before_digits(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut prev: Option<char> = None;
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        let at_word_start = prev.is_none_or(|p| !p.is_ascii_alphanumeric() && p != '.');
        let before_digit = chars.peek().is_some_and(char::is_ascii_digit);
        if matches!(c, 'v' | 'V') && at_word_start && before_digit {
            prev = Some(c);
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn starts_with_digit(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

/// `v1.2` → `1.2`; `None` unless a digit follows the `v`.
fn strip_v(s: &str) -> Option<&str> {
    s.strip_prefix(['v', 'V'])
        .filter(|rest| starts_with_digit(rest))
}

/// Whether the version text `version` lies under `prefix` (`0.14` covers `0.14.0` and
/// `0.14.2-rc.1` but not `0.140.0`).
fn prefix_matches(prefix: &str, version: &str) -> bool {
    let wanted: Option<Vec<u64>> = prefix.split('.').map(|p| p.parse().ok()).collect();
    match (wanted, parse_lenient(version)) {
        (Some(wanted), Some(v)) => {
            let have = [v.major, v.minor, v.patch];
            !wanted.is_empty() && wanted.len() <= 3 && wanted.iter().zip(have).all(|(w, h)| *w == h)
        }
        // Not numbers on both sides: fall back to text on a `.` boundary.
        _ => {
            version == prefix
                || version
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with(['.', '-']))
        }
    }
}

/// Separators that sit between a tool name and its version in tags.
const NAME_SEPARATORS: [char; 4] = ['-', '_', '@', '/'];

/// The version a tag spells, when it spells one in a form we trust (see the module docs):
/// bare, `v`-prefixed, or `<name><sep>[v]`.
fn spelled_version<'t>(tag: &'t str, names: &[&str]) -> Option<&'t str> {
    if starts_with_digit(tag) {
        return Some(tag);
    }
    if let Some(rest) = strip_v(tag) {
        return Some(rest);
    }
    // Longest name first, so `sccache-dist` wins over `sccache` when both are given.
    let mut names: Vec<&str> = names.iter().copied().filter(|n| !n.is_empty()).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for name in names {
        let Some(head) = tag.get(..name.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(name) {
            continue;
        }
        let rest = &tag[name.len()..];
        let Some(rest) = rest.strip_prefix(NAME_SEPARATORS) else {
            continue;
        };
        if starts_with_digit(rest) {
            return Some(rest);
        }
        if let Some(rest) = strip_v(rest) {
            return Some(rest);
        }
    }
    None
}

/// The version after the first separator that is followed by `[v]<digit>`, for tags with a
/// prefix we do not know (`release-1.2`, `cli/v2.0`).
fn dug_out_version(tag: &str) -> Option<&str> {
    tag.char_indices()
        .filter(|&(_, c)| NAME_SEPARATORS.contains(&c))
        .find_map(|(i, c)| {
            let rest = &tag[i + c.len_utf8()..];
            if starts_with_digit(rest) {
                Some(rest)
            } else {
                strip_v(rest)
            }
        })
}

/// The version a tag denotes: `v0.14.0` → `0.14.0`, `jq-1.7.1` → `1.7.1`, `bun-v1.4.2` →
/// `1.4.2`, `sccache@0.14.0` → `0.14.0`, `release-1.2` → `1.2`, `2026-09-07` → itself.
/// A tag in which no separator is followed by a number (`nightly`, `go1.21`) is returned
/// unchanged.
pub fn version_from_tag(tag: &str, names: &[&str]) -> String {
    spelled_version(tag, names)
        .or_else(|| dug_out_version(tag))
        .unwrap_or(tag)
        .to_string()
}

/// Read a version the way tags write them, more leniently than semver:
/// a leading `v` is dropped; one or two numeric parts are padded (`1` → 1.0.0, `1.2` →
/// 1.2.0, `1.2-rc.1` → 1.2.0-rc.1); leading zeros are tolerated (`1.02` → 1.2.0).
///
/// Returns `None` for four or more numeric parts (`1.2.3.4`), for dates written with dashes
/// (`2026-09-07`: a lone number followed by `-` would otherwise read as a prerelease of
/// 2026.0.0 and rank wrongly), and for anything that is not numbers-and-dots up front.
/// Callers rank those by publication date instead.
pub fn parse_lenient(version: &str) -> Option<Version> {
    let s = strip_v(version).unwrap_or(version);
    if let Ok(v) = Version::parse(s) {
        return Some(v);
    }
    let (rest, build) = match s.split_once('+') {
        Some((rest, build)) => (rest, Some(build)),
        None => (s, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (rest, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() > 3 || (pre.is_some() && parts.len() < 2) {
        return None;
    }
    let numbers: Vec<u64> = parts
        .iter()
        .map(|p| if is_number(p) { p.parse().ok() } else { None })
        .collect::<Option<_>>()?;
    let at = |i: usize| numbers.get(i).copied().unwrap_or(0);
    let mut v = Version::new(at(0), at(1), at(2));
    if let Some(pre) = pre {
        v.pre = Prerelease::new(pre).ok()?;
    }
    if let Some(build) = build {
        v.build = BuildMetadata::new(build).ok()?;
    }
    Some(v)
}

/// The tags to try, in order, for an exact version: the string as typed, then the same
/// version with/without `v`, then each name's spellings (`<name>-1.2.3`, `<name>-v1.2.3`,
/// `<name>@1.2.3`, `<name>@v1.2.3`, `<name>_1.2.3`, `<name>_v1.2.3`, `<name>/1.2.3`,
/// `<name>/v1.2.3`). Without duplicates.
///
/// A raw tag such as `jq-1.7.1` comes first, then the same variants of the version it holds
/// (`1.7.1`, `v1.7.1`, `jq-v1.7.1`, ...). A version that does not parse (`2026-09-07`) gets
/// no `v` variants, and a tag without a number (`nightly`) is the only candidate.
pub fn candidate_tags(exact: &str, names: &[&str]) -> Vec<String> {
    let mut out = vec![exact.to_string()];
    let core = version_from_tag(exact, names);
    if !starts_with_digit(&core) {
        return out;
    }
    let with_v = parse_lenient(&core).is_some();
    if with_v {
        // Typed `v1.2.3` → try `1.2.3` next; typed `1.2.3` → try `v1.2.3` next.
        if strip_v(exact).is_some() {
            out.push(core.clone());
            out.push(format!("v{core}"));
        } else {
            out.push(format!("v{core}"));
            out.push(core.clone());
        }
    } else {
        out.push(core.clone());
    }
    for name in names.iter().filter(|n| !n.is_empty()) {
        for sep in ['-', '@', '_', '/'] {
            out.push(format!("{name}{sep}{core}"));
            if with_v {
                out.push(format!("{name}{sep}v{core}"));
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|t| seen.insert(t.clone()));
    out
}

/// How a release ranks: see the module docs. Larger is newer/better.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Rank<'a> {
    /// 2: the tag spells a version; 1: a version was dug out of it; 0: no version.
    tier: u8,
    version: Option<Version>,
    published_at: Option<&'a str>,
}

fn rank<'a>(release: &'a Release, names: &[&str]) -> Rank<'a> {
    let published_at = release.published_at.as_deref();
    if let Some(v) = spelled_version(&release.tag, names).and_then(parse_lenient) {
        return Rank {
            tier: 2,
            version: Some(v),
            published_at,
        };
    }
    if let Some(v) = dug_out_version(&release.tag).and_then(parse_lenient) {
        return Rank {
            tier: 1,
            version: Some(v),
            published_at,
        };
    }
    Rank {
        tier: 0,
        version: None,
        published_at,
    }
}

/// The release that satisfies `spec`, or `None`.
///
/// - Drafts never.
/// - Exact: the first of [`candidate_tags`] that some release carries, prerelease or not
///   (the user named it).
/// - Latest and Prefix: never a prerelease, whether GitHub flags it or its version has a
///   semver prerelease part (`1.0.0-rc.1`).
/// - Req: a release GitHub flags as prerelease only when some comparator names a prerelease
///   (`>=1.0.0-rc.1`); semver's own rule decides versions with a prerelease part.
/// - Among the releases left, the highest rank wins (module docs); of equals, the first
///   in list order.
pub fn pick_release<'a>(
    spec: &VersionSpec,
    releases: &'a [Release],
    names: &[&str],
) -> Option<&'a Release> {
    let published = releases.iter().filter(|r| !r.draft);
    if let VersionSpec::Exact(exact) = spec {
        return candidate_tags(exact, names)
            .iter()
            .find_map(|tag| published.clone().find(|r| &r.tag == tag));
    }
    let mut best: Option<(&Release, Rank<'_>)> = None;
    for release in published {
        if release.prerelease && !spec.allows_flagged_prerelease() {
            continue;
        }
        if !spec.matches_tag(&release.tag, names) {
            continue;
        }
        let r = rank(release, names);
        let semver_pre = r.version.as_ref().is_some_and(|v| !v.pre.is_empty());
        if semver_pre && matches!(spec, VersionSpec::Latest | VersionSpec::Prefix(_)) {
            continue;
        }
        if best.as_ref().is_none_or(|(_, b)| r > *b) {
            best = Some((release, r));
        }
    }
    best.map(|(release, _)| release)
}

/// Sort releases oldest first (stable): by rank (module docs), so the last element is what
/// [`VersionSpec::Latest`] would pick if nothing were a draft or prerelease.
pub fn sort_oldest_first(releases: &mut Vec<Release>, names: &[&str]) {
    // Rank borrows from the release; compute keys as owned values first.
    let mut keyed: Vec<(u8, Option<Version>, Option<String>, Release)> = releases
        .drain(..)
        .map(|release| {
            let r = rank(&release, names);
            let key = (r.tier, r.version, r.published_at.map(str::to_string));
            (key.0, key.1, key.2, release)
        })
        .collect();
    keyed.sort_by(|a, b| (a.0, &a.1, &a.2).cmp(&(b.0, &b.1, &b.2)));
    releases.extend(keyed.into_iter().map(|(_, _, _, release)| release));
}

/// The `n` tags closest to `wanted`, closest first, for "tag v0.14.9 not found; nearest:
/// v0.14.0, v0.13.0".
///
/// When `wanted` holds a version, tags holding one come first, by distance (major, then
/// minor, then patch difference; of equal distance the lower version first, since a
/// version asked for but missing is more often not yet released than skipped). Tags
/// without a version follow, by edit distance to `wanted`; ties keep the given order.
pub fn nearest_tags(wanted: &str, tags: &[String], n: usize) -> Vec<String> {
    /// Smaller is nearer; every version-distance key sorts before every spelling key.
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    enum Nearness {
        Version([u64; 3], Version),
        Spelling(usize),
    }
    let wanted_version = parse_lenient(&version_from_tag(wanted, &[]));
    let mut keyed: Vec<(Nearness, &String)> = tags
        .iter()
        .map(|tag| {
            let have = parse_lenient(&version_from_tag(tag, &[]));
            let key = match (&wanted_version, have) {
                (Some(w), Some(h)) => Nearness::Version(
                    [
                        w.major.abs_diff(h.major),
                        w.minor.abs_diff(h.minor),
                        w.patch.abs_diff(h.patch),
                    ],
                    h,
                ),
                _ => Nearness::Spelling(strsim::levenshtein(wanted, tag)),
            };
            (key, tag)
        })
        .collect();
    // Stable, so ties keep the given order.
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed
        .into_iter()
        .take(n)
        .map(|(_, tag)| tag.clone())
        .collect()
}

/// Order version names: numeric runs compare as numbers (`1.10` after `1.9`), and for
/// dotted-number versions a `-suffix` is a prerelease (`1.0.0-rc1` before `1.0.0`). A total
/// order for any strings, so sorting never misbehaves on odd tags. A leading `v` is ignored.
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    fn split(v: &str) -> (&str, Option<&str>) {
        let v = v.strip_prefix('v').unwrap_or(v);
        match v.split_once(['-', '+']) {
            Some((core, rest))
                if core.contains('.')
                    && core
                        .split('.')
                        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) =>
            {
                (core, Some(rest))
            }
            _ => (v, None),
        }
    }
    let (core_a, pre_a) = split(a);
    let (core_b, pre_b) = split(b);
    natural_cmp(core_a, core_b)
        // No suffix (a release) sorts after any prerelease of the same core.
        .then_with(|| pre_b.is_some().cmp(&pre_a.is_some()))
        .then_with(|| natural_cmp(pre_a.unwrap_or(""), pre_b.unwrap_or("")))
        .then_with(|| a.cmp(b))
}

/// Compare strings chunk by chunk, digit runs by numeric value.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    fn chunks(s: &str) -> impl Iterator<Item = &str> {
        let mut rest = s;
        std::iter::from_fn(move || {
            let first = rest.chars().next()?;
            let digit = first.is_ascii_digit();
            let end = rest
                .find(|c: char| c.is_ascii_digit() != digit)
                .unwrap_or(rest.len());
            let (chunk, tail) = rest.split_at(end);
            rest = tail;
            Some(chunk)
        })
    }
    let mut left = chunks(a);
    let mut right = chunks(b);
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let both_digits =
                    x.as_bytes()[0].is_ascii_digit() && y.as_bytes()[0].is_ascii_digit();
                let order = if both_digits {
                    let (xt, yt) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                    xt.len()
                        .cmp(&yt.len())
                        .then_with(|| xt.cmp(yt))
                        .then_with(|| x.cmp(y))
                } else {
                    x.cmp(y)
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(s: &str) -> VersionSpec {
        VersionSpec::parse(s).expect("valid version")
    }

    fn req(s: &str) -> VersionSpec {
        VersionSpec::Req(VersionReq::parse(s).expect("valid req"))
    }

    fn release(tag: &str) -> Release {
        Release {
            tag: tag.to_string(),
            name: None,
            draft: false,
            prerelease: false,
            published_at: None,
            assets: Vec::new(),
        }
    }

    fn dated(tag: &str, published_at: &str) -> Release {
        Release {
            published_at: Some(published_at.to_string()),
            ..release(tag)
        }
    }

    fn flagged(tag: &str) -> Release {
        Release {
            prerelease: true,
            ..release(tag)
        }
    }

    fn picked(spec_text: &str, releases: &[Release], names: &[&str]) -> Option<String> {
        pick_release(&spec(spec_text), releases, names).map(|r| r.tag.clone())
    }

    #[test]
    fn parse_kinds() {
        assert_eq!(spec("latest"), VersionSpec::Latest);
        assert_eq!(spec("LATEST"), VersionSpec::Latest);
        assert_eq!(spec("1"), VersionSpec::Prefix("1".into()));
        assert_eq!(spec("0.14"), VersionSpec::Prefix("0.14".into()));
        assert_eq!(spec("v0.14"), VersionSpec::Prefix("0.14".into()));
        assert_eq!(spec("0.14.0"), VersionSpec::Exact("0.14.0".into()));
        assert_eq!(spec("v0.14.0"), VersionSpec::Exact("v0.14.0".into()));
        assert_eq!(spec("1.2.3-rc.1"), VersionSpec::Exact("1.2.3-rc.1".into()));
        for raw in ["jq-1.7.1", "bun-v1.4.2", "2026-09-07", "nightly", "1.2.3.4"] {
            assert_eq!(spec(raw), VersionSpec::Exact(raw.into()), "{raw}");
        }
        assert_eq!(spec("^0.14"), req("^0.14"));
        assert_eq!(spec("~0.8"), req("~0.8"));
        assert_eq!(spec(">=0.10, <0.15"), req(">=0.10, <0.15"));
        assert_eq!(spec("=1.2.3"), req("=1.2.3"));
        assert_eq!(spec("*"), req("*"));
        assert_eq!(spec("^v0.14"), req("^0.14"));
        assert_eq!(spec(">=v1.0, <v2"), req(">=1.0, <2"));
    }

    #[test]
    fn display_spells_the_request() {
        for s in [
            "latest",
            "0.14",
            "v0.14.0",
            "jq-1.7.1",
            "^0.14",
            ">=0.10, <0.15",
        ] {
            assert_eq!(spec(s).to_string(), s);
        }
        assert_eq!(spec("v0.14").to_string(), "0.14");
    }

    #[test]
    fn parse_errors_say_what_is_wrong() {
        let e = VersionSpec::parse("").expect_err("empty");
        assert_eq!(e.to_string(), "the version is empty");
        assert!(e.hint().is_some_and(|h| h.contains("`^1.2`")));

        let e = VersionSpec::parse(">=0.10, <<0.15").expect_err("bad req");
        assert_eq!(
            e.to_string(),
            "`>=0.10, <<0.15` is not a valid version requirement"
        );
        assert!(std::error::Error::source(&e).is_some());
        assert!(e.hint().is_some_and(|h| h.contains(">=0.10, <0.15")));

        let e = VersionSpec::parse("1.2 3").expect_err("space");
        assert_eq!(
            e.to_string(),
            "`1.2 3` cannot be a version or tag: it contains ` `"
        );
        assert!(matches!(e, VersionError::BadChar { offset: 3, .. }));
    }

    #[test]
    fn tags_to_versions() {
        let cases = [
            ("v0.14.0", "0.14.0"),
            ("V1.0", "1.0"),
            ("jq-1.7.1", "1.7.1"),
            ("bun-v1.4.2", "1.4.2"),
            ("sccache@0.14.0", "0.14.0"),
            ("cli/v2.40.0", "2.40.0"),
            ("2026-09-07", "2026-09-07"),
            ("release-1.2", "1.2"),
            ("nightly", "nightly"),
            ("go1.21", "go1.21"),
        ];
        for (tag, want) in cases {
            assert_eq!(
                version_from_tag(tag, &["jq", "bun", "sccache"]),
                want,
                "{tag}"
            );
        }
        // Without the names the generic rule still finds these.
        assert_eq!(version_from_tag("jq-1.7.1", &[]), "1.7.1");
        assert_eq!(version_from_tag("bun-v1.4.2", &[]), "1.4.2");
    }

    #[test]
    fn lenient_parsing() {
        let v = |s: &str| parse_lenient(s).map(|v| v.to_string());
        assert_eq!(v("1.2").as_deref(), Some("1.2.0"));
        assert_eq!(v("1").as_deref(), Some("1.0.0"));
        assert_eq!(v("v1.2.3").as_deref(), Some("1.2.3"));
        assert_eq!(v("1.2.3-rc.1").as_deref(), Some("1.2.3-rc.1"));
        assert_eq!(v("1.2-rc.1").as_deref(), Some("1.2.0-rc.1"));
        assert_eq!(v("1.02.3").as_deref(), Some("1.2.3"));
        assert_eq!(v("1.2.3+build.5").as_deref(), Some("1.2.3+build.5"));
        assert_eq!(v("1.2.3.4"), None);
        assert_eq!(v("2026-09-07"), None);
        assert_eq!(v("nightly"), None);
        assert_eq!(v("1..2"), None);
        assert_eq!(v(""), None);
    }

    #[test]
    fn candidates_for_versions() {
        assert_eq!(
            candidate_tags("1.2.3", &["sccache"]),
            [
                "1.2.3",
                "v1.2.3",
                "sccache-1.2.3",
                "sccache-v1.2.3",
                "sccache@1.2.3",
                "sccache@v1.2.3",
                "sccache_1.2.3",
                "sccache_v1.2.3",
                "sccache/1.2.3",
                "sccache/v1.2.3",
            ]
        );
        assert_eq!(candidate_tags("v1.2.3", &[])[..2], ["v1.2.3", "1.2.3"]);
    }

    #[test]
    fn candidates_for_raw_tags() {
        let jq = candidate_tags("jq-1.7.1", &["jq"]);
        assert_eq!(jq[..3], ["jq-1.7.1", "v1.7.1", "1.7.1"]);
        assert!(jq.contains(&"jq-v1.7.1".to_string()));
        assert_eq!(jq.iter().filter(|t| *t == "jq-1.7.1").count(), 1);
        assert_eq!(candidate_tags("nightly", &["bun"]), ["nightly"]);
        let date = candidate_tags("2026-09-07", &["x"]);
        assert_eq!(date[0], "2026-09-07");
        assert!(date.contains(&"x-2026-09-07".to_string()));
        assert!(!date.iter().any(|t| t.contains("v2026")), "{date:?}");
    }

    #[test]
    fn matching_tags() {
        let names = ["sccache"];
        assert!(spec("0.14.0").matches_tag("v0.14.0", &names));
        assert!(spec("v0.14.0").matches_tag("0.14.0", &names));
        assert!(spec("0.14.0").matches_tag("sccache-v0.14.0", &names));
        assert!(!spec("0.14.0").matches_tag("sccache-dist-v0.14.0", &names));
        assert!(!spec("0.14.0").matches_tag("v0.14.01", &names));
        assert!(spec("0.14").matches_tag("v0.14.2", &names));
        assert!(!spec("0.14").matches_tag("v0.140.0", &names));
        assert!(!spec("0.14").matches_tag("v0.15.0", &names));
        assert!(spec("1").matches_tag("v1.9.0", &names));
        assert!(spec(">=0.10, <0.15").matches_tag("v0.14.0", &names));
        assert!(!spec(">=0.10, <0.15").matches_tag("v0.15.0", &names));
        assert!(spec("^1.7").matches_tag("jq-1.7.1", &["jq"]));
        assert!(spec("latest").matches_tag("anything", &names));
        assert!(spec("jq-1.7.1").matches_tag("jq-1.7.1", &["jq"]));
        assert!(spec("2026-09-07").matches_tag("2026-09-07", &[]));
    }

    #[test]
    fn pick_latest_skips_drafts_and_prereleases() {
        let mut draft = release("v0.16.0");
        draft.draft = true;
        let releases = [
            draft,
            flagged("v0.15.0"),
            release("v0.15.0-rc.1"),
            release("v0.14.1"),
            release("v0.9.0"),
        ];
        assert_eq!(picked("latest", &releases, &[]).as_deref(), Some("v0.14.1"));
    }

    #[test]
    fn pick_uses_semver_not_text_or_list_order() {
        let releases = [
            release("v0.9.0"),
            release("v0.10.0"),
            release("v0.10.0-rc.2"),
        ];
        assert_eq!(picked("latest", &releases, &[]).as_deref(), Some("v0.10.0"));
        assert_eq!(picked("0.9", &releases, &[]).as_deref(), Some("v0.9.0"));
        assert_eq!(picked("^0.10", &releases, &[]).as_deref(), Some("v0.10.0"));
        assert_eq!(picked("^0.11", &releases, &[]), None);
    }

    #[test]
    fn pick_prefix_and_req() {
        let releases = [
            release("v0.15.0"),
            release("v0.14.2"),
            release("v0.14.10"),
            release("v0.13.0"),
        ];
        assert_eq!(picked("0.14", &releases, &[]).as_deref(), Some("v0.14.10"));
        assert_eq!(picked("v0.14", &releases, &[]).as_deref(), Some("v0.14.10"));
        assert_eq!(
            picked(">=0.10, <0.15", &releases, &[]).as_deref(),
            Some("v0.14.10")
        );
        assert_eq!(picked("~0.13", &releases, &[]).as_deref(), Some("v0.13.0"));
        assert_eq!(picked("0", &releases, &[]).as_deref(), Some("v0.15.0"));
    }

    #[test]
    fn pick_exact_prefers_the_tag_as_typed_and_allows_prereleases() {
        let releases = [
            release("0.14.0"),
            release("v0.14.0"),
            flagged("v2.0.0-rc.1"),
        ];
        assert_eq!(
            picked("v0.14.0", &releases, &[]).as_deref(),
            Some("v0.14.0")
        );
        assert_eq!(picked("0.14.0", &releases, &[]).as_deref(), Some("0.14.0"));
        assert_eq!(
            picked("2.0.0-rc.1", &releases, &[]).as_deref(),
            Some("v2.0.0-rc.1")
        );
        assert_eq!(picked("0.14.9", &releases, &[]), None);
        let jq = [release("jq-1.7.1"), release("jq-1.7")];
        assert_eq!(picked("1.7.1", &jq, &["jq"]).as_deref(), Some("jq-1.7.1"));
        assert_eq!(
            picked("jq-1.7.1", &jq, &["jq"]).as_deref(),
            Some("jq-1.7.1")
        );
    }

    #[test]
    fn pick_req_prerelease_only_when_asked() {
        let releases = [flagged("v1.0.0-rc.2"), release("v0.9.0")];
        assert_eq!(picked(">=0.9", &releases, &[]).as_deref(), Some("v0.9.0"));
        assert_eq!(
            picked(">=1.0.0-rc.1", &releases, &[]).as_deref(),
            Some("v1.0.0-rc.2")
        );
        // Flagged on GitHub though the tag has no prerelease part.
        let releases = [flagged("v2.0.0"), release("v1.0.0")];
        assert_eq!(picked(">=1", &releases, &[]).as_deref(), Some("v1.0.0"));
    }

    #[test]
    fn pick_prefers_tags_that_spell_the_tool_version() {
        // A monorepo: the sibling product's higher number must not win.
        let releases = [release("sccache-dist-v0.20.0"), release("sccache-v0.14.0")];
        assert_eq!(
            picked("latest", &releases, &["sccache"]).as_deref(),
            Some("sccache-v0.14.0")
        );
        // No names known: both are dug out; the higher version wins.
        let releases = [release("release-1.2"), release("release-1.10")];
        assert_eq!(
            picked("latest", &releases, &[]).as_deref(),
            Some("release-1.10")
        );
    }

    #[test]
    fn pick_unparsed_tags_by_date_and_only_when_nothing_parses() {
        let dates = [
            dated("2026-09-01", "2026-09-01T00:00:00Z"),
            dated("2026-09-07", "2026-09-07T00:00:00Z"),
            dated("2026-08-30", "2026-08-30T00:00:00Z"),
        ];
        assert_eq!(picked("latest", &dates, &[]).as_deref(), Some("2026-09-07"));
        let mixed = [dated("nightly", "2030-01-01T00:00:00Z"), release("v1.0.0")];
        assert_eq!(picked("latest", &mixed, &[]).as_deref(), Some("v1.0.0"));
        // Equal rank: the first in list order (the API lists newest first).
        let same = [release("nightly"), release("canary")];
        assert_eq!(picked("latest", &same, &[]).as_deref(), Some("nightly"));
    }

    #[test]
    fn sort_oldest_first_is_semver_then_date_and_stable() {
        let mut releases = vec![
            release("v0.10.0"),
            dated("nightly", "2026-01-02T00:00:00Z"),
            release("v0.9.0"),
            release("v0.10.0-rc.1"),
            dated("canary", "2026-01-01T00:00:00Z"),
            release("v1.0.0"),
        ];
        sort_oldest_first(&mut releases, &[]);
        let tags: Vec<&str> = releases.iter().map(|r| r.tag.as_str()).collect();
        assert_eq!(
            tags,
            [
                "canary",
                "nightly",
                "v0.9.0",
                "v0.10.0-rc.1",
                "v0.10.0",
                "v1.0.0"
            ]
        );
        let mut twins = vec![release("b"), release("a")];
        sort_oldest_first(&mut twins, &[]);
        assert_eq!(twins[0].tag, "b", "stable for equal keys");
    }

    #[test]
    fn nearest_tags_by_version_then_spelling() {
        let tags: Vec<String> = ["v0.13.0", "v1.0.0", "v0.14.0", "nightly", "v0.12.0"]
            .map(String::from)
            .into();
        assert_eq!(nearest_tags("v0.14.9", &tags, 2), ["v0.14.0", "v0.13.0"]);
        assert_eq!(
            nearest_tags("0.14.9", &tags, 10),
            ["v0.14.0", "v0.13.0", "v0.12.0", "v1.0.0", "nightly"]
        );
        let words: Vec<String> = ["stable", "nightly", "nighty"].map(String::from).into();
        assert_eq!(nearest_tags("nightlx", &words, 2), ["nightly", "nighty"]);
        assert!(nearest_tags("x", &[], 3).is_empty());
    }
}
