//! Finding the release a spec asks for, with as few API requests as the request allows:
//! an exact version tries the spelling remembered for the repository (see [`crate::facts`]),
//! then the tag spellings real projects use, `v<version>` first (usually one request), `latest`
//! asks `/releases/latest`, and a prefix or requirement lists releases and picks the newest
//! that satisfies it. A missing tag becomes an error that names the nearest existing tags.
//!
//! Talks to GitHub only through [`ReleaseSource`]; knows nothing about assets or platforms.

use crate::error::{Diagnostic, ErrorKind};
use crate::facts::{self, TagSpellings};
use crate::github::{GithubClient, GithubError};
use crate::release::{Release, RepoId};
use crate::version::{self, VersionSpec};

/// Where releases come from. The GitHub client in production; tests may substitute.
pub trait ReleaseSource {
    fn release_by_tag(&self, repo: &RepoId, tag: &str) -> Result<Option<Release>, GithubError>;
    fn latest_release(&self, repo: &RepoId) -> Result<Option<Release>, GithubError>;
    fn list_releases(
        &self,
        repo: &RepoId,
        limit: Option<usize>,
    ) -> Result<Vec<Release>, GithubError>;
    fn repo_exists(&self, repo: &RepoId) -> Result<bool, GithubError>;
}

impl ReleaseSource for GithubClient {
    fn release_by_tag(&self, repo: &RepoId, tag: &str) -> Result<Option<Release>, GithubError> {
        GithubClient::release_by_tag(self, repo, tag)
    }
    fn latest_release(&self, repo: &RepoId) -> Result<Option<Release>, GithubError> {
        GithubClient::latest_release(self, repo)
    }
    fn list_releases(
        &self,
        repo: &RepoId,
        limit: Option<usize>,
    ) -> Result<Vec<Release>, GithubError> {
        GithubClient::list_releases(self, repo, limit)
    }
    fn repo_exists(&self, repo: &RepoId) -> Result<bool, GithubError> {
        GithubClient::repo_exists(self, repo)
    }
}

/// How many releases to scan when a prefix or requirement needs the list (GitHub pages are
/// 100 long; ten pages covers every project we know of without burning the rate limit).
const LIST_LIMIT: usize = 1000;

/// The release could not be found.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    #[error("repository `{repo}` was not found")]
    RepoNotFound { repo: RepoId },
    #[error("`{repo}` has no release tagged `{}`{}", crate::text::untrusted(wanted), nearest_suffix(.nearest))]
    TagNotFound {
        repo: RepoId,
        wanted: String,
        nearest: Vec<String>,
    },
    #[error("`{repo}` has no published release{}", if *.only_prereleases { " (only drafts or prereleases)" } else { "" })]
    NoRelease {
        repo: RepoId,
        only_prereleases: bool,
    },
    #[error("no release of `{repo}` satisfies `{}`{}", crate::text::untrusted(wanted), nearest_suffix(.nearest))]
    NoMatchingVersion {
        repo: RepoId,
        wanted: String,
        nearest: Vec<String>,
    },
    #[error(transparent)]
    Github(#[from] GithubError),
}

fn nearest_suffix(nearest: &[String]) -> String {
    if nearest.is_empty() {
        String::new()
    } else {
        let shown: Vec<String> = nearest.iter().map(|n| crate::text::shown(n)).collect();
        format!("; nearest: {}", shown.join(", "))
    }
}

impl Diagnostic for LookupError {
    /// Machine-readable kind, shared with the JSON output and exit codes.
    fn kind(&self) -> ErrorKind {
        match self {
            LookupError::Github(e) => e.kind(),
            _ => ErrorKind::NotFound,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            LookupError::RepoNotFound { .. } => {
                Some("check the owner/repo spelling; private repositories need GITHUB_TOKEN".into())
            }
            LookupError::TagNotFound { repo, .. } | LookupError::NoMatchingVersion { repo, .. } => {
                Some(format!(
                    "`toolget versions {repo}` lists the released versions"
                ))
            }
            LookupError::NoRelease { repo, .. } => Some(format!(
                "`toolget versions {repo}` lists every release, prereleases included; name one exactly"
            )),
            LookupError::Github(e) => e.hint(),
        }
    }
}

/// Find the release `wanted` names in `repo`. `names` are the words a tag may carry before
/// its version (the tool and repo names: `jq-1.7.1`, `bun-v1.4.2`).
pub fn find_release(
    source: &dyn ReleaseSource,
    repo: &RepoId,
    wanted: &VersionSpec,
    names: &[&str],
) -> Result<Release, LookupError> {
    find_release_with(source, repo, wanted, names, None)
}

/// [`find_release`], trying first the tag spelling `spellings` remembers for `repo` when
/// `wanted` is a bare version (`0.14.0`, `v0.14.0`), and remembering the spelling of the
/// release found. With a remembered spelling an exact version costs one request whatever the
/// repository's habit (`v0.14.0` or `0.14.0`); without one, `v<version>` is tried first.
pub fn find_release_with(
    source: &dyn ReleaseSource,
    repo: &RepoId,
    wanted: &VersionSpec,
    names: &[&str],
    spellings: Option<&TagSpellings>,
) -> Result<Release, LookupError> {
    let release = find(source, repo, wanted, names, spellings)?;
    if let Some(spellings) = spellings {
        let version = version::version_from_tag(&release.tag, names);
        spellings.remember(repo, &release.tag, &version);
    }
    Ok(release)
}

fn find(
    source: &dyn ReleaseSource,
    repo: &RepoId,
    wanted: &VersionSpec,
    names: &[&str],
    spellings: Option<&TagSpellings>,
) -> Result<Release, LookupError> {
    match wanted {
        VersionSpec::Exact(exact) => {
            let mut candidates = version::candidate_tags(exact, names);
            let core = version::version_from_tag(exact, names);
            let bare = *exact == core || exact.strip_prefix(['v', 'V']) == Some(core.as_str());
            // Most projects prefix `v`: asked for a bare `1.2.3`, ask for `v1.2.3` first, so
            // the common case costs one request, not a 404 and then one. (Picking from a
            // list, version::pick_release still prefers the tag as typed.)
            let with_v = format!("v{core}");
            if *exact == core && candidates.contains(&with_v) {
                candidates.retain(|t| *t != with_v);
                candidates.insert(0, with_v);
            }
            // A spelling this repository used before goes first of all.
            if bare && let Some(spelling) = spellings.and_then(|s| s.get(repo)) {
                let remembered = spelling.replace(facts::VERSION_PLACEHOLDER, &core);
                candidates.retain(|t| *t != remembered);
                candidates.insert(0, remembered);
            }
            for tag in candidates {
                if let Some(release) = source.release_by_tag(repo, &tag)? {
                    return Ok(release);
                }
            }
            Err(missing(source, repo, exact)?)
        }
        VersionSpec::Latest => {
            if let Some(release) = source.latest_release(repo)? {
                Ok(release)
            } else {
                if !source.repo_exists(repo)? {
                    return Err(LookupError::RepoNotFound { repo: repo.clone() });
                }
                Err(LookupError::NoRelease {
                    repo: repo.clone(),
                    only_prereleases: !source.list_releases(repo, Some(1))?.is_empty(),
                })
            }
        }
        VersionSpec::Prefix(_) | VersionSpec::Req(_) => {
            let releases = source.list_releases(repo, Some(LIST_LIMIT))?;
            if let Some(release) = version::pick_release(wanted, &releases, names) {
                return Ok(release.clone());
            }
            if releases.is_empty() && !source.repo_exists(repo)? {
                return Err(LookupError::RepoNotFound { repo: repo.clone() });
            }
            let tags: Vec<String> = releases.iter().map(|r| r.tag.clone()).collect();
            let wanted_text = version_text(wanted);
            Err(LookupError::NoMatchingVersion {
                repo: repo.clone(),
                nearest: version::nearest_tags(&wanted_text, &tags, 3),
                wanted: wanted_text,
            })
        }
    }
}

/// The error for an exact tag that does not exist: tells a missing repository from a missing
/// tag, and names the nearest tags (one extra list request, only on this failure path).
fn missing(
    source: &dyn ReleaseSource,
    repo: &RepoId,
    wanted: &str,
) -> Result<LookupError, LookupError> {
    let releases = source.list_releases(repo, Some(300))?;
    if releases.is_empty() && !source.repo_exists(repo)? {
        return Ok(LookupError::RepoNotFound { repo: repo.clone() });
    }
    let tags: Vec<String> = releases.iter().map(|r| r.tag.clone()).collect();
    Ok(LookupError::TagNotFound {
        repo: repo.clone(),
        wanted: wanted.to_string(),
        nearest: version::nearest_tags(wanted, &tags, 3),
    })
}

/// How a version request reads back to the user.
pub fn version_text(wanted: &VersionSpec) -> String {
    match wanted {
        VersionSpec::Latest => "latest".into(),
        VersionSpec::Exact(s) | VersionSpec::Prefix(s) => s.clone(),
        VersionSpec::Req(req) => req.to_string(),
    }
}
