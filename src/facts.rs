//! Facts learned from GitHub that do not change, kept under the cache directory so a later
//! run can skip requests: for each repository, how its release tags spell a version
//! (`v{version}`, `{version}`, `jq-{version}`).
//!
//! Layout: `<cache dir>/facts-v1/tag-spelling/<owner>/<repo>`, one line holding the spelling
//! with `{version}` in place of the version. Each file is written atomically (temp file in the
//! same directory, then rename), so concurrent runs and threads never read half a fact. A
//! missing, unreadable or malformed file is simply not known: facts only save requests, they
//! never decide an outcome (the lookup still tries every other spelling after the remembered
//! one). No network; reads no environment.

use std::io::Write as _;
use std::path::PathBuf;

use crate::release::RepoId;

/// The placeholder a remembered spelling holds.
pub const VERSION_PLACEHOLDER: &str = "{version}";

/// Remembered tag spellings, per repository.
#[derive(Debug, Clone)]
pub struct TagSpellings {
    dir: PathBuf,
}

impl TagSpellings {
    /// Facts under `cache_dir` (the download cache's root).
    pub fn new(cache_dir: impl Into<PathBuf>) -> TagSpellings {
        TagSpellings {
            dir: cache_dir.into().join("facts-v1").join("tag-spelling"),
        }
    }

    fn path(&self, repo: &RepoId) -> Option<PathBuf> {
        // Owner and repository names are path-safe on GitHub; refuse anything else rather
        // than write outside the directory.
        let safe = |s: &str| {
            !s.is_empty()
                && s != "."
                && s != ".."
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        };
        (safe(&repo.owner) && safe(&repo.name)).then(|| self.dir.join(&repo.owner).join(&repo.name))
    }

    /// The spelling that worked for `repo` last time (`v{version}`), if one is remembered.
    pub fn get(&self, repo: &RepoId) -> Option<String> {
        let text = std::fs::read_to_string(self.path(repo)?).ok()?;
        let spelling = text.trim();
        (spelling.matches(VERSION_PLACEHOLDER).count() == 1 && !spelling.contains('\n'))
            .then(|| spelling.to_string())
    }

    /// Remember that `tag` spells `version` in `repo`. Does nothing when the tag does not hold
    /// the version, or the same spelling is already remembered. Failing to write is not an
    /// error (the fact only saves a request next time).
    pub fn remember(&self, repo: &RepoId, tag: &str, version: &str) {
        let Some(spelling) = spelling_of(tag, version) else {
            return;
        };
        if self.get(repo).as_deref() == Some(spelling.as_str()) {
            return;
        }
        let Some(path) = self.path(repo) else {
            return;
        };
        let _ = write_atomically(&path, &spelling);
    }
}

/// `v0.14.0` with version `0.14.0` → `v{version}`; `None` when the tag does not contain the
/// version exactly once.
pub fn spelling_of(tag: &str, version: &str) -> Option<String> {
    if version.is_empty() || tag.matches(version).count() != 1 {
        return None;
    }
    Some(tag.replacen(version, VERSION_PLACEHOLDER, 1))
}

fn write_atomically(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("no parent directory"))?;
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
    temp.write_all(format!("{text}\n").as_bytes())?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn spellings_put_the_placeholder_where_the_version_was() {
        assert_eq!(
            spelling_of("v0.14.0", "0.14.0").as_deref(),
            Some("v{version}")
        );
        assert_eq!(
            spelling_of("0.14.0", "0.14.0").as_deref(),
            Some("{version}")
        );
        assert_eq!(
            spelling_of("jq-1.7.1", "1.7.1").as_deref(),
            Some("jq-{version}")
        );
        assert_eq!(spelling_of("nightly", "1.0.0"), None);
        assert_eq!(spelling_of("1.1-1.1", "1.1"), None);
    }

    #[test]
    fn remembers_per_repository_and_survives_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let facts = TagSpellings::new(dir.path());
        let repo = RepoId::new("acme", "tool");
        assert_eq!(facts.get(&repo), None);
        facts.remember(&repo, "0.14.0", "0.14.0");
        assert_eq!(facts.get(&repo).as_deref(), Some("{version}"));
        facts.remember(&repo, "v2.0.0", "2.0.0");
        assert_eq!(facts.get(&repo).as_deref(), Some("v{version}"));
        assert_eq!(facts.get(&RepoId::new("acme", "other")), None);

        let path = dir.path().join("facts-v1/tag-spelling/acme/tool");
        std::fs::write(&path, "no placeholder").unwrap();
        assert_eq!(facts.get(&repo), None);

        let evil = RepoId::new("..", "x");
        facts.remember(&evil, "v1.0.0", "1.0.0");
        assert_eq!(facts.get(&evil), None);
    }
}
