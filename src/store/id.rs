//! Tool identity and the path-component guard.
//!
//! Every string that becomes part of a path under the store (owner, repo, variant, version,
//! executable name) passes [`check_component`] first, so a hostile tag such as `../x` can
//! never name a directory outside `tools-v1/`.

use std::fmt;

use super::StoreError;
use crate::release::RepoId;

/// Separates a repository from a variant in a tool directory name: `<repo>~<variant>`.
/// GitHub forbids `~` in owner and repository names, so the split is unambiguous.
pub const VARIANT_SEPARATOR: char = '~';

/// Which tool an install belongs to.
///
/// GitHub names are case-insensitive, so [`ToolId::new`] lowercases owner and repo:
/// `BurntSushi/ripgrep` and `burntsushi/ripgrep` are one tool with one directory. The
/// variant is kept as typed (it is usually an executable name, and those are case-sensitive).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ToolId {
    pub owner: String,
    pub repo: String,
    /// Set only when a repository ships several tools and the user chose a non-default one.
    pub variant: Option<String>,
}

impl ToolId {
    /// The default tool of `owner/repo`, lowercased.
    pub fn new(owner: &str, repo: &str) -> ToolId {
        ToolId {
            owner: owner.to_lowercase(),
            repo: repo.to_lowercase(),
            variant: None,
        }
    }

    /// The default tool of a repository.
    pub fn from_repo(repo: &RepoId) -> ToolId {
        ToolId::new(&repo.owner, &repo.name)
    }

    /// The same repository, choosing a non-default tool it ships.
    pub fn with_variant(mut self, variant: impl Into<String>) -> ToolId {
        self.variant = Some(variant.into());
        self
    }

    /// The two directory names under `tools-v1/`: `<owner>` and `<repo>` or `<repo>~<variant>`.
    /// Lowercases again because the fields are public and may have been set by hand.
    pub(crate) fn dir_names(&self) -> Result<(String, String), StoreError> {
        let owner = self.owner.to_lowercase();
        let repo = self.repo.to_lowercase();
        check_component("owner", &owner)?;
        check_component("repository", &repo)?;
        for (what, value) in [("owner", &owner), ("repository", &repo)] {
            if value.contains(VARIANT_SEPARATOR) {
                return Err(StoreError::InvalidName {
                    what,
                    value: value.clone(),
                    reason: "contains `~`, which separates a repository from a variant",
                });
            }
        }
        let repo_dir = match &self.variant {
            None => repo,
            Some(variant) => {
                check_component("variant", variant)?;
                format!("{repo}{VARIANT_SEPARATOR}{variant}")
            }
        };
        Ok((owner, repo_dir))
    }

    /// Rebuild an id from the directory names written by [`ToolId::dir_names`].
    pub(crate) fn from_dir_names(owner: &str, repo_dir: &str) -> ToolId {
        match repo_dir.split_once(VARIANT_SEPARATOR) {
            Some((repo, variant)) => ToolId::new(owner, repo).with_variant(variant),
            None => ToolId::new(owner, repo_dir),
        }
    }
}

impl fmt::Display for ToolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}",
            self.owner.to_lowercase(),
            self.repo.to_lowercase()
        )?;
        if let Some(variant) = &self.variant {
            write!(f, "{VARIANT_SEPARATOR}{variant}")?;
        }
        Ok(())
    }
}

/// Accept `value` as one path component, or say why not.
///
/// Rejected: empty, `.`/`..`, anything with `/`, `\` or NUL (a second path component, or a
/// truncated one for C APIs), control characters (a newline or an escape sequence from a
/// hostile tag would end up in file names and on the terminal), and a leading `.` — the store keeps its own files (`.lock`,
/// `.active`, receipts, temp links) under dot names, and a version or executable called
/// `.lock` must not collide with them.
pub fn check_component(what: &'static str, value: &str) -> Result<(), StoreError> {
    let reason = if value.is_empty() {
        Some("is empty")
    } else if value == "." || value == ".." {
        Some("is a relative directory reference")
    } else if value.contains(['/', '\\']) {
        Some("contains a path separator")
    } else if value.contains('\0') {
        Some("contains a NUL byte")
    } else if value.chars().any(char::is_control) {
        Some("contains a control character (a newline, tab or terminal escape)")
    } else if value.starts_with('.') {
        Some("starts with `.`, which the store reserves for its own files")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(StoreError::InvalidName {
            what,
            value: value.to_string(),
            reason,
        }),
        None => Ok(()),
    }
}
