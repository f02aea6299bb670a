//! Tool specs: `[backend:]<name | owner/repo>[[key=value,...]][@version]` -> [`ToolSpec`].
//!
//! Pure parsing; no registry lookups, no network. A bad spec gets an error that points at
//! the bad part.

use crate::version::VersionSpec;

/// How the spec was spelled. Every backend means the same thing to toolget; the spelling is
/// kept only to echo it back. Identity never depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// No prefix.
    Implicit,
    Github,
    Ubi,
    Aqua,
    Toolget,
}

/// What the spec names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ToolRef {
    /// A curated registry name such as `sccache`.
    Name(String),
    /// A GitHub repository.
    Repo(crate::release::RepoId),
}

/// Options in `[key=value,...]`, spelled as mise/ubi users write them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SpecOptions {
    /// The executable wanted (default: the repo name).
    pub exe: Option<String>,
    /// Substring the asset name must contain.
    pub matching: Option<String>,
    /// Regex the asset name must match.
    pub matching_regex: Option<String>,
    /// Glob over asset names.
    pub asset_pattern: Option<String>,
    /// GitHub API base URL for this tool (GitHub Enterprise).
    pub api_url: Option<String>,
    /// Keep the whole archive, link the executable.
    pub extract_all: Option<bool>,
}

/// A parsed tool spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolSpec {
    /// The spec exactly as typed.
    pub raw: String,
    pub backend: Backend,
    pub tool: ToolRef,
    pub options: SpecOptions,
    pub version: VersionSpec,
}
