//! `toolget registry check`, the pure half: judge one entry against one release on each
//! platform, and report where the entry and the release disagree.
//!
//! Two failures matter. An entry that *excludes or misses* a platform the release serves (the
//! stale-registry failure: aqua's sccache entry claiming no linux/arm64 long after sccache
//! shipped one), and an entry that *claims* a platform no asset serves. Both are found by
//! resolving twice: once with the entry's hints, once with the engine alone.
//!
//! No network here: the CLI fetches the release and passes it in.

use std::fmt;

use super::{Entry, Hints};
use crate::platform::Platform;
use crate::release::Release;
use crate::resolver::{self, Criteria, CriteriaError, SelectError, Selection};
use crate::spec::SpecOptions;
use crate::version;

/// What is wrong on one platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    /// `supports` leaves the platform out, yet an asset serves it natively.
    Excluded,
    /// The entry's hints find no native asset, yet the engine alone finds one.
    Missed,
    /// `supports` claims the platform, yet no asset serves it natively.
    Unserved,
    /// The entry's hints leave several assets tied.
    Ambiguous,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Excluded => "excluded",
            FindingKind::Missed => "missed",
            FindingKind::Unserved => "unserved",
            FindingKind::Ambiguous => "ambiguous",
        }
    }
}

/// One disagreement between an entry and a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.message)
    }
}

/// The verdict for one platform.
#[derive(Debug, Clone)]
pub struct PlatformCheck {
    pub platform: Platform,
    /// What `supports` says (`None`: the entry makes no claim).
    pub claimed: Option<bool>,
    /// The asset the entry's hints choose, if any.
    pub asset: Option<String>,
    /// Set when that asset runs only under emulation.
    pub emulation: Option<&'static str>,
    pub finding: Option<Finding>,
}

fn criteria(entry: &Entry, hints: &Hints) -> Result<Criteria, CriteriaError> {
    let options = SpecOptions {
        exe: Some(entry.exe().to_string()),
        matching: hints.matching.clone(),
        matching_regex: hints.matching_regex.clone(),
        asset_pattern: hints.asset_pattern.clone(),
        api_url: None,
        extract_all: entry.extract_all,
    };
    Criteria::from_spec(&entry.repo.name, &options)
}

fn native(result: &Result<Selection, SelectError>) -> bool {
    matches!(result, Ok(s) if s.emulation.is_none())
}

fn asset_of(result: &Result<Selection, SelectError>, release: &Release) -> Option<String> {
    result
        .as_ref()
        .ok()
        .map(|s| release.assets[s.index].name.clone())
}

/// Judge `entry` against `release` on each of `platforms`. Fails only when the entry's own
/// hints do not compile (validation prevents that for loaded entries).
pub fn check_release(
    entry: &Entry,
    release: &Release,
    platforms: &[Platform],
) -> Result<Vec<PlatformCheck>, CriteriaError> {
    let mut names = vec![entry.exe().to_string(), entry.repo.name.clone()];
    names.extend(entry.tag_prefixes());
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let version = version::version_from_tag(&release.tag, &name_refs);
    let plain_criteria = criteria(entry, &Hints::default())?;
    let mut out = Vec::with_capacity(platforms.len());
    for platform in platforms {
        let hinted_criteria = criteria(entry, &entry.hints_for(platform, Some(&version)))?;
        let hinted = resolver::select(&release.assets, platform, &hinted_criteria);
        let plain = resolver::select(&release.assets, platform, &plain_criteria);
        let claimed = entry.supports(platform);
        // A platform table is a deliberate statement about this platform: the bare engine's
        // opinion (which the table exists to overrule) does not count against it.
        let deliberate = entry.platforms.iter().any(|(p, _)| p.matches(platform));
        let plain = if deliberate { None } else { Some(plain) };
        let finding = judge(platform, claimed, &hinted, plain.as_ref(), release);
        out.push(PlatformCheck {
            platform: *platform,
            claimed,
            asset: asset_of(&hinted, release),
            emulation: hinted.as_ref().ok().and_then(|s| s.emulation),
            finding,
        });
    }
    Ok(out)
}

fn judge(
    platform: &Platform,
    claimed: Option<bool>,
    hinted: &Result<Selection, SelectError>,
    plain: Option<&Result<Selection, SelectError>>,
    release: &Release,
) -> Option<Finding> {
    let finding = |kind, message| Some(Finding { kind, message });
    if let Err(SelectError::Ambiguous { candidates, .. }) = hinted {
        return finding(
            FindingKind::Ambiguous,
            format!(
                "the entry's hints leave {} assets tied on {platform}: {}",
                candidates.len(),
                candidates.join(", ")
            ),
        );
    }
    if let Err(SelectError::NoMatch { filtered: true, .. }) = hinted {
        return finding(
            FindingKind::Missed,
            format!(
                "the entry's hints exclude every asset of {} on {platform}; toolget falls back \
                 to the engine alone there, with a warning naming the entry",
                release.tag
            ),
        );
    }
    let served = if native(hinted) {
        asset_of(hinted, release)
    } else if let Some(plain) = plain.filter(|p| native(p)) {
        asset_of(plain, release)
    } else {
        None
    };
    if claimed == Some(false)
        && let Some(asset) = &served
    {
        return finding(
            FindingKind::Excluded,
            format!(
                "`supports` leaves out {platform}, but {} serves it with `{asset}`",
                release.tag
            ),
        );
    }
    if !native(hinted)
        && let Some(asset) = &served
    {
        let why = match hinted {
            Ok(s) => format!(
                "pick a build that runs only under {}",
                s.emulation.unwrap_or("emulation")
            ),
            Err(e) => format!("find nothing ({e})"),
        };
        return finding(
            FindingKind::Missed,
            format!(
                "the entry's hints {why} on {platform}, but the release serves it with `{asset}`"
            ),
        );
    }
    if claimed == Some(true) && !native(hinted) {
        let what = match hinted {
            Ok(s) => format!(
                "only `{}` under {}",
                release.assets[s.index].name,
                s.emulation.unwrap_or("emulation")
            ),
            Err(_) => "nothing".to_string(),
        };
        return finding(
            FindingKind::Unserved,
            format!(
                "`supports` claims {platform}, but {} offers {what} for it",
                release.tag
            ),
        );
    }
    None
}
