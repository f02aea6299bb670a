//! From a parsed spec to the tool toolget will look for: which repository, which executable,
//! which selection options, and which words its tags may carry before the version.
//!
//! Registry names are looked up here (the curated registry arrives with its own module);
//! nothing here touches the network.

use crate::release::RepoId;
use crate::resolver::{Criteria, CriteriaError};
use crate::spec::{SpecOptions, ToolRef, ToolSpec};
use crate::store::ToolId;

/// What to resolve for a spec.
#[derive(Debug, Clone)]
pub struct Tool {
    pub repo: RepoId,
    /// The executable wanted (the spec's `exe`, else the default).
    pub exe: String,
    /// The executable a plain mention of this tool means (the repo name, or the registry's).
    pub default_exe: String,
    /// Whether the spec named the executable (`[exe=…]`).
    pub exe_explicit: bool,
    /// Options after merging registry hints under the spec's own.
    pub options: SpecOptions,
}

/// A spec that cannot become a tool.
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    #[error("unknown tool `{name}`")]
    UnknownTool { name: String },
    #[error("invalid option in `{spec}`")]
    Criteria {
        spec: String,
        #[source]
        source: CriteriaError,
    },
}

impl ToolError {
    pub fn kind(&self) -> &'static str {
        match self {
            ToolError::UnknownTool { .. } => "not_found",
            ToolError::Criteria { .. } => "invalid_spec",
        }
    }

    pub fn hint(&self) -> Option<String> {
        match self {
            ToolError::UnknownTool { name } => Some(format!(
                "name the GitHub repository instead, e.g. `owner/{name}` or `github:owner/{name}`"
            )),
            ToolError::Criteria { .. } => None,
        }
    }
}

impl Tool {
    /// The tool a spec names.
    pub fn from_spec(spec: &ToolSpec) -> Result<Tool, ToolError> {
        match &spec.tool {
            ToolRef::Repo(repo) => Ok(Tool {
                repo: repo.clone(),
                exe: spec
                    .options
                    .exe
                    .clone()
                    .unwrap_or_else(|| repo.name.clone()),
                default_exe: repo.name.clone(),
                exe_explicit: spec.options.exe.is_some(),
                options: spec.options.clone(),
            }),
            ToolRef::Name(name) => Err(ToolError::UnknownTool { name: name.clone() }),
        }
    }

    /// The tool's identity in the store: its repository, plus the executable when the spec
    /// asks for one the repository does not ship by default (`mozilla/sccache[exe=sccache-dist]`
    /// is a different tool from `mozilla/sccache`). How the spec was spelled never matters.
    pub fn id(&self) -> ToolId {
        let id = ToolId::from_repo(&self.repo);
        if self.exe != self.default_exe {
            id.with_variant(self.exe.clone())
        } else {
            id
        }
    }

    /// Selection criteria for the resolver.
    pub fn criteria(&self, spec_raw: &str) -> Result<Criteria, ToolError> {
        Criteria::from_spec(&self.repo.name, &self.options).map_err(|source| ToolError::Criteria {
            spec: spec_raw.to_string(),
            source,
        })
    }

    /// Words a tag may carry before the version: the exe and the repo name.
    pub fn tag_names(&self) -> Vec<&str> {
        let mut names = vec![self.exe.as_str()];
        if self.repo.name != self.exe {
            names.push(self.repo.name.as_str());
        }
        names
    }
}
