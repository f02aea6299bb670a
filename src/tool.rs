//! From a parsed spec to the tool toolget will look for: which repository, which executable,
//! which selection options, and which words its tags may carry before the version.
//!
//! Registry names are looked up here (the curated registry arrives with its own module);
//! nothing here touches the network.

use crate::release::RepoId;
use crate::resolver::{Criteria, CriteriaError};
use crate::spec::{SpecOptions, ToolRef, ToolSpec};

/// What to resolve for a spec.
#[derive(Debug, Clone)]
pub struct Tool {
    pub repo: RepoId,
    /// The executable wanted (the spec's `exe`, else the repo name).
    pub exe: String,
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
                options: spec.options.clone(),
            }),
            ToolRef::Name(name) => Err(ToolError::UnknownTool { name: name.clone() }),
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
