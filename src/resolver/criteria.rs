//! What the user asked for beyond the platform: the wanted executable, filters, and the host
//! facts (glibc version, CPU level) that only the machine toolget runs on can tell.

use super::asset;
use super::verdict::FilterOption;
use crate::error::{Diagnostic, ErrorKind};
use crate::platform::HostFacts;
use crate::spec::SpecOptions;

/// What the user asked for, beyond the platform: the wanted executable name and filters.
#[derive(Debug, Clone)]
pub struct Criteria {
    /// The wanted name as typed (for messages).
    pub(super) wanted_display: String,
    /// The wanted name split into lowercased words.
    pub(super) wanted: Vec<String>,
    matching: Option<String>,
    matching_regex: Option<regex::Regex>,
    asset_pattern: Option<glob::Pattern>,
    pub(super) archives_only: bool,
    /// Facts about the machine toolget runs on; used only when resolving for that platform.
    pub(super) host: Option<HostFacts>,
    /// The registry entry the filters came from, when they all did: a filter that excludes
    /// every asset then falls back to the engine alone, with a warning.
    pub(super) registry_entry: Option<String>,
}

/// A filter option that could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum CriteriaError {
    #[error("invalid [matching_regex={pattern}]")]
    InvalidRegex {
        pattern: String,
        #[source]
        source: regex::Error,
    },
    #[error("invalid [asset_pattern={pattern}]")]
    InvalidGlob {
        pattern: String,
        #[source]
        source: glob::PatternError,
    },
}

impl Diagnostic for CriteriaError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidSpec
    }

    /// What to type instead.
    fn hint(&self) -> Option<String> {
        let hint = match self {
            CriteriaError::InvalidRegex { .. } => {
                "matching_regex is a Rust regex (https://docs.rs/regex); escape literal dots \
                 and parentheses, or use [matching=…] for a plain substring"
            }
            CriteriaError::InvalidGlob { .. } => {
                "asset_pattern is a glob over the whole asset name: `*` any run, `?` one \
                 character, `[abc]` a class"
            }
        };
        Some(hint.to_string())
    }
}

impl Criteria {
    /// `repo_name` is the repository name (e.g. "sccache"); exe defaults to it.
    pub fn new(repo_name: &str) -> Criteria {
        Criteria {
            wanted_display: repo_name.to_string(),
            wanted: asset::wanted_words(repo_name),
            matching: None,
            matching_regex: None,
            asset_pattern: None,
            archives_only: false,
            host: None,
            registry_entry: None,
        }
    }

    /// The wanted binary name: the name rule looks for assets named exactly this.
    pub fn exe(mut self, exe: impl Into<String>) -> Criteria {
        let exe = exe.into();
        self.wanted = asset::wanted_words(&exe);
        self.wanted_display = exe;
        self
    }

    /// Keep only assets whose name contains `substring` (case-sensitive; empty: no filter).
    pub fn matching(mut self, substring: impl Into<String>) -> Criteria {
        let substring = substring.into();
        self.matching = (!substring.is_empty()).then_some(substring);
        self
    }

    /// Keep only assets whose name matches the regex `re` (empty: no filter).
    pub fn matching_regex(mut self, re: &str) -> Result<Criteria, CriteriaError> {
        if re.is_empty() {
            self.matching_regex = None;
            return Ok(self);
        }
        let compiled = regex::Regex::new(re).map_err(|source| CriteriaError::InvalidRegex {
            pattern: re.to_string(),
            source,
        })?;
        self.matching_regex = Some(compiled);
        Ok(self)
    }

    /// Keep only assets whose whole name matches the glob.
    pub fn asset_pattern(mut self, glob: &str) -> Result<Criteria, CriteriaError> {
        let compiled = glob::Pattern::new(glob).map_err(|source| CriteriaError::InvalidGlob {
            pattern: glob.to_string(),
            source,
        })?;
        self.asset_pattern = Some(compiled);
        Ok(self)
    }

    /// Accept archives only (`.tar.*`, `.zip`): `extract_all` keeps the whole archive.
    pub fn archives_only(mut self, yes: bool) -> Criteria {
        self.archives_only = yes;
        self
    }

    /// Criteria from a spec's `[key=value,…]` options.
    pub fn from_spec(repo_name: &str, options: &SpecOptions) -> Result<Criteria, CriteriaError> {
        let mut c = Criteria::new(repo_name);
        if let Some(exe) = &options.exe {
            c = c.exe(exe.as_str());
        }
        if let Some(m) = &options.matching {
            c = c.matching(m.as_str());
        }
        if let Some(re) = &options.matching_regex {
            c = c.matching_regex(re)?;
        }
        if let Some(glob) = &options.asset_pattern {
            c = c.asset_pattern(glob)?;
        }
        Ok(c.archives_only(options.extract_all.unwrap_or(false)))
    }

    /// Facts about this machine (see [`HostFacts::detect`]); they apply only when resolving
    /// for `facts.platform`.
    pub fn host(mut self, facts: HostFacts) -> Criteria {
        self.host = Some(facts);
        self
    }

    /// The filters are the registry entry `entry`'s hints, not the user's.
    pub fn hints_from_registry(mut self, entry: impl Into<String>) -> Criteria {
        self.registry_entry = Some(entry.into());
        self
    }

    /// The same criteria without filters.
    pub(super) fn without_filters(&self) -> Criteria {
        Criteria {
            matching: None,
            matching_regex: None,
            asset_pattern: None,
            registry_entry: None,
            ..self.clone()
        }
    }

    /// The filter option that excludes `name`, if any.
    pub(super) fn excludes(&self, name: &str) -> Option<(FilterOption, String)> {
        if let Some(m) = self.matching.as_deref().filter(|m| !name.contains(m)) {
            Some((FilterOption::Matching, m.to_string()))
        } else if let Some(re) = self.matching_regex.as_ref().filter(|re| !re.is_match(name)) {
            Some((FilterOption::MatchingRegex, re.as_str().to_string()))
        } else {
            self.asset_pattern
                .as_ref()
                .filter(|g| !g.matches(name))
                .map(|g| (FilterOption::AssetPattern, g.as_str().to_string()))
        }
    }

    /// The name the name rule looks for.
    pub fn wanted_name(&self) -> &str {
        &self.wanted_display
    }

    pub(super) fn has_filter(&self) -> bool {
        self.matching.is_some() || self.matching_regex.is_some() || self.asset_pattern.is_some()
    }
}
