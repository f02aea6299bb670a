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
    /// The entry resolves a native build on none of the platforms checked ("0 of N"): a
    /// release without assets, or hints that match nothing.
    Empty,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Excluded => "excluded",
            FindingKind::Missed => "missed",
            FindingKind::Unserved => "unserved",
            FindingKind::Ambiguous => "ambiguous",
            FindingKind::Empty => "empty",
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

/// The verdict for one release: each platform's, and the release's own (`empty`).
#[derive(Debug, Clone)]
pub struct ReleaseCheck {
    pub tag: String,
    /// The version read from the tag.
    pub version: String,
    pub platforms: Vec<PlatformCheck>,
    /// A finding about the release as a whole (`empty`).
    pub finding: Option<Finding>,
}

impl ReleaseCheck {
    /// Every finding: the release's, then each platform's.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.finding
            .iter()
            .chain(self.platforms.iter().filter_map(|c| c.finding.as_ref()))
    }

    /// How many platforms resolve to a native build.
    pub fn served(&self) -> usize {
        self.platforms
            .iter()
            .filter(|c| c.asset.is_some() && c.emulation.is_none())
            .count()
    }
}

fn criteria(
    entry: &Entry,
    hints: &Hints,
    exe: &str,
    version: &str,
) -> Result<Criteria, CriteriaError> {
    hints.criteria(&entry.repo.name, exe, entry.extract_all_for(Some(version)))
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

/// Judge `entry` against `release` (its newest) on each of `platforms`. Fails only when the
/// entry's own hints do not compile (validation prevents that for loaded entries).
pub fn check_release(
    entry: &Entry,
    release: &Release,
    platforms: &[Platform],
) -> Result<Vec<PlatformCheck>, CriteriaError> {
    Ok(check_release_with(entry, release, platforms, true)?.platforms)
}

/// Judge `entry` against one release. `claims`: judge `supports` too (for the newest
/// release; an older release may well have served fewer platforms). Every release is judged
/// for hints that miss what it serves, ties, and resolving on none of the platforms.
pub fn check_release_with(
    entry: &Entry,
    release: &Release,
    platforms: &[Platform],
    claims: bool,
) -> Result<ReleaseCheck, CriteriaError> {
    let mut names = vec![entry.exe().to_string(), entry.repo.name.clone()];
    names.extend(entry.tag_prefixes());
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let version = version::version_from_tag(&release.tag, &name_refs);
    let plain_criteria = criteria(entry, &Hints::default(), entry.exe(), &version)?;
    let mut out = Vec::with_capacity(platforms.len());
    for platform in platforms {
        let hints = entry.hints_for(platform, Some(&version));
        let hinted_criteria = criteria(entry, &hints, entry.exe(), &version)?;
        let hinted = resolver::select(&release.assets, platform, &hinted_criteria);
        let plain = resolver::select(&release.assets, platform, &plain_criteria);
        let claimed = if claims {
            entry.supports(platform)
        } else {
            None
        };
        // A platform table is a deliberate statement about this platform: the bare engine's
        // choice (which the table exists to overrule) does not count against a table that
        // picks a native build; a table that picks nothing where the engine finds a native
        // build is still a miss.
        let deliberate = entry.has_platform_table(platform, Some(&version)) && native(&hinted);
        // The bare engine's pick does not count when the entry assigns it to another platform.
        let elsewhere = plain.as_ref().is_ok_and(|s| {
            entry.assigns_elsewhere(&release.assets[s.index].name, platform, Some(&version))
        });
        let plain = if deliberate || elsewhere {
            None
        } else {
            Some(plain)
        };
        let mut finding = judge(platform, claimed, &hinted, plain.as_ref(), release);
        if finding.is_none()
            && let Ok(own) = &hinted
            && own.emulation.is_none()
        {
            finding = judge_extras(entry, release, platform, &version, own.index)?;
        }
        out.push(PlatformCheck {
            platform: *platform,
            claimed,
            asset: asset_of(&hinted, release),
            emulation: hinted.as_ref().ok().and_then(|s| s.emulation),
            finding,
        });
    }
    let served = out
        .iter()
        .filter(|c| c.asset.is_some() && c.emulation.is_none())
        .count();
    let finding = (served == 0).then(|| Finding {
        kind: FindingKind::Empty,
        message: if release.assets.is_empty() {
            format!(
                "{} has no assets: 0 of {} platforms resolve",
                release.tag,
                platforms.len()
            )
        } else {
            format!(
                "the entry resolves a native build on 0 of {} platforms for {} ({} assets)",
                platforms.len(),
                release.tag,
                release.assets.len()
            )
        },
    });
    Ok(ReleaseCheck {
        tag: release.tag.clone(),
        version,
        platforms: out,
        finding,
    })
}

/// Where the entry's own asset (`own`) serves `platform`, each extra asset must too, and be
/// another asset (the name rule falls back to the only name in a release).
fn judge_extras(
    entry: &Entry,
    release: &Release,
    platform: &Platform,
    version: &str,
    own: usize,
) -> Result<Option<Finding>, CriteriaError> {
    for extra in &entry.extra_assets {
        let Some(exe) = extra.executables.first() else {
            continue;
        };
        let criteria = criteria(entry, &extra.hints, exe, version)?;
        let picked = resolver::select(&release.assets, platform, &criteria);
        if !native(&picked) || picked.as_ref().is_ok_and(|s| s.index == own) {
            let why = match &picked {
                Ok(s) if s.index == own => {
                    format!("only the entry's own `{}`", release.assets[s.index].name)
                }
                Ok(s) => format!("only `{}` under emulation", release.assets[s.index].name),
                Err(e) => format!("nothing ({e})"),
            };
            return Ok(Some(Finding {
                kind: FindingKind::Missed,
                message: format!(
                    "the extra asset for `{exe}` finds {why} on {platform} in {}",
                    release.tag
                ),
            }));
        }
    }
    Ok(None)
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

/// The releases `registry check --versions n` judges, from `releases` newest first: the `n`
/// newest of this tool's releases (published, tag accepted by the entry's `tag_pattern`,
/// with assets), then the newest release of each `[[versions]]` range not yet among them.
pub fn releases_to_check<'a>(entry: &Entry, releases: &'a [Release], n: usize) -> Vec<&'a Release> {
    let mut names = vec![entry.exe().to_string(), entry.repo.name.clone()];
    names.extend(entry.tag_prefixes());
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let own: Vec<&Release> = releases
        .iter()
        .filter(|r| !r.draft && !r.prerelease && entry.tag_accepts(&r.tag))
        .collect();
    let mut out: Vec<&Release> = own
        .iter()
        .filter(|r| !r.assets.is_empty())
        .take(n.max(1))
        .copied()
        .collect();
    for range in &entry.versions {
        let newest_in_range = own.iter().filter(|r| !r.assets.is_empty()).find(|r| {
            version::parse_lenient(&version::version_from_tag(&r.tag, &name_refs))
                .is_some_and(|v| range.req.matches(&v))
        });
        if let Some(release) = newest_in_range
            && !out.iter().any(|o| o.tag == release.tag)
        {
            out.push(release);
        }
    }
    out
}
