//! From a parsed spec to the tool toolget will look for: which repository, which executable,
//! which selection options, and which words its tags may carry before the version.
//!
//! Names are looked up in the [`Registry`], and a repository spec picks up the registry entry
//! of that repository too, so every spelling of a tool (`sccache`, `mozilla/sccache`,
//! `github:mozilla/sccache`, `ubi:…`, `aqua:…`, `toolget:sccache`) becomes the same [`Tool`]
//! with the same [`ToolId`]. Nothing here touches the network.

use crate::error::{Diagnostic, ErrorKind};
use crate::platform::Platform;
use crate::registry::{Entry, Hints, Registry};
use crate::release::RepoId;
use crate::resolver::{Criteria, CriteriaError};
use crate::spec::{SpecOptions, ToolRef, ToolSpec};
use crate::store::ToolId;
use crate::version::{self, VersionSpec};

/// What to resolve for a spec.
#[derive(Debug, Clone)]
pub struct Tool {
    pub repo: RepoId,
    /// The executable wanted (the spec's `exe`, else the entry's, else the repository name).
    pub exe: String,
    /// The executable a plain mention of this repository means (its default registry entry's,
    /// else the repository name).
    pub default_exe: String,
    /// Whether the executable's exact name is known: the spec named it (`[exe=…]`) or the
    /// registry entry gives one that differs from the repository name (`rg`).
    pub exe_explicit: bool,
    /// The spec's options over the entry's platform- and version-independent hints.
    pub options: SpecOptions,
    /// The registry entry whose hints apply, if any.
    pub entry: Option<Entry>,
    /// The spec's own options, which win over every hint.
    spec_options: SpecOptions,
    /// The spec as typed, for messages.
    spec_raw: String,
    /// Extra words tags carry before the version (from the entry's tag format).
    tag_words: Vec<String>,
}

/// A spec that cannot become a tool.
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    #[error("unknown tool `{name}`{}", did_you_mean(.suggestions))]
    UnknownTool {
        name: String,
        suggestions: Vec<String>,
    },
    #[error("invalid option in `{spec}`")]
    Criteria {
        spec: String,
        #[source]
        source: CriteriaError,
    },
}

fn did_you_mean(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
        format!("; did you mean {}?", quoted.join(", "))
    }
}

impl Diagnostic for ToolError {
    fn kind(&self) -> ErrorKind {
        match self {
            ToolError::UnknownTool { .. } => ErrorKind::NotFound,
            ToolError::Criteria { .. } => ErrorKind::InvalidSpec,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            ToolError::UnknownTool { name, .. } => Some(format!(
                "`toolget search {name}` searches the registry; any GitHub repository works \
                 too: `owner/{name}` or `github:owner/{name}`"
            )),
            ToolError::Criteria { source, .. } => source.hint(),
        }
    }
}

impl Tool {
    /// The tool a spec names, with the registry's hints for it.
    pub fn from_spec(spec: &ToolSpec, registry: &Registry) -> Result<Tool, ToolError> {
        let (repo, default_exe, named_entry) = match &spec.tool {
            ToolRef::Name(name) => {
                let entry = registry.get(name).ok_or_else(|| ToolError::UnknownTool {
                    name: name.clone(),
                    suggestions: registry.suggest(name),
                })?;
                let default_exe = registry
                    .primary_for_repo(&entry.repo)
                    .unwrap_or(entry)
                    .exe()
                    .to_string();
                (entry.repo.clone(), default_exe, Some(entry))
            }
            ToolRef::Repo(repo) => match registry.primary_for_repo(repo) {
                Some(primary) => (primary.repo.clone(), primary.exe().to_string(), None),
                None => (repo.clone(), repo.name.clone(), None),
            },
        };
        let exe = spec
            .options
            .exe
            .clone()
            .or_else(|| named_entry.map(|e| e.exe().to_string()))
            .unwrap_or_else(|| default_exe.clone());
        // The entry's hints describe its own executable's assets; for another executable of
        // the repository, that executable's entry applies, or none.
        let entry = match named_entry {
            Some(e) if e.exe() == exe => Some(e),
            _ => registry.for_repo_exe(&repo, &exe),
        };
        Ok(Tool::build(repo, exe, default_exe, entry, spec))
    }

    /// The tool an entry describes, as if its name had been typed.
    pub fn from_entry(entry: &Entry, registry: &Registry) -> Tool {
        let default_exe = registry
            .primary_for_repo(&entry.repo)
            .unwrap_or(entry)
            .exe()
            .to_string();
        let spec = ToolSpec {
            raw: entry.name.clone(),
            backend: crate::spec::Backend::Implicit,
            tool: ToolRef::Name(entry.name.clone()),
            options: SpecOptions::default(),
            version: VersionSpec::Latest,
        };
        Tool::build(
            entry.repo.clone(),
            entry.exe().to_string(),
            default_exe,
            Some(entry),
            &spec,
        )
    }

    fn build(
        repo: RepoId,
        exe: String,
        default_exe: String,
        entry: Option<&Entry>,
        spec: &ToolSpec,
    ) -> Tool {
        let given = &spec.options;
        let base = entry.map(|e| e.hints.clone()).unwrap_or_default();
        let options = SpecOptions {
            exe: given.exe.clone(),
            matching: given.matching.clone().or(base.matching),
            matching_regex: given.matching_regex.clone().or(base.matching_regex),
            asset_pattern: given.asset_pattern.clone().or(base.asset_pattern),
            api_url: given.api_url.clone(),
            extract_all: given.extract_all.or(entry.and_then(|e| e.extract_all)),
        };
        let exe_explicit = given.exe.is_some() || entry.is_some_and(|e| e.exe() != e.repo.name);
        Tool {
            tag_words: entry.map(Entry::tag_prefixes).unwrap_or_default(),
            entry: entry.cloned(),
            repo,
            exe,
            default_exe,
            exe_explicit,
            options,
            spec_options: given.clone(),
            spec_raw: spec.raw.clone(),
        }
    }

    /// The tool's identity in the store: its repository, plus the executable when it is not
    /// the one the repository means by default (`mozilla/sccache[exe=sccache-dist]`, or
    /// `kubens` from `ahmetb/kubectx`). How the spec was spelled never matters.
    pub fn id(&self) -> ToolId {
        let id = ToolId::from_repo(&self.repo);
        if self.exe == self.default_exe {
            id
        } else {
            id.with_variant(self.exe.clone())
        }
    }

    /// The hints in force on `platform` for the release `version` (entry, then its version
    /// ranges, then its platform tables), with the spec's own options over them.
    pub fn hints_for(&self, platform: &Platform, version: Option<&str>) -> Hints {
        let mut hints = self
            .entry
            .as_ref()
            .map(|e| e.hints_for(platform, version))
            .unwrap_or_default();
        let given = &self.spec_options;
        for (slot, value) in [
            (&mut hints.matching, &given.matching),
            (&mut hints.matching_regex, &given.matching_regex),
            (&mut hints.asset_pattern, &given.asset_pattern),
        ] {
            if value.is_some() {
                slot.clone_from(value);
            }
        }
        hints
    }

    /// Selection criteria for the resolver on `platform`, for the release `version` (its
    /// version as [`version::version_from_tag`] reads it; `None` when unknown).
    pub fn criteria_for(
        &self,
        platform: &Platform,
        version: Option<&str>,
    ) -> Result<Criteria, ToolError> {
        let hints = self.hints_for(platform, version);
        let options = SpecOptions {
            exe: Some(self.exe.clone()),
            matching: hints.matching,
            matching_regex: hints.matching_regex,
            asset_pattern: hints.asset_pattern,
            api_url: None,
            extract_all: self.options.extract_all,
        };
        let criteria = Criteria::from_spec(&self.repo.name, &options).map_err(|source| {
            ToolError::Criteria {
                spec: self.spec_raw.clone(),
                source,
            }
        })?;
        // Filters that are all the registry entry's (none typed by the user) fall back to the
        // engine alone, with a warning, when they exclude every asset of a release.
        let given = &self.spec_options;
        let user_filter = given.matching.is_some()
            || given.matching_regex.is_some()
            || given.asset_pattern.is_some();
        Ok(match &self.entry {
            Some(entry) if !user_filter => criteria.hints_from_registry(entry.name.clone()),
            _ => criteria,
        })
    }

    /// Words a tag may carry before the version: the exe, the repo name, and the prefix of
    /// the entry's tag format.
    pub fn tag_names(&self) -> Vec<&str> {
        let mut names = vec![self.exe.as_str()];
        for word in std::iter::once(&self.repo.name).chain(&self.tag_words) {
            if !names.contains(&word.as_str()) {
                names.push(word);
            }
        }
        names
    }

    /// The version request to look a release up with: an exact bare version (`1.7.1`,
    /// `v1.7.1`) becomes the entry's tag spelling (`jq-1.7.1`), so the first tag tried is the
    /// right one; the lookup still tries the usual spellings after it.
    pub fn lookup_version(&self, wanted: &VersionSpec) -> VersionSpec {
        let (VersionSpec::Exact(exact), Some(entry)) = (wanted, &self.entry) else {
            return wanted.clone();
        };
        let core = version::version_from_tag(exact, &self.tag_names());
        let bare = *exact == core || exact.strip_prefix(['v', 'V']) == Some(core.as_str());
        match entry.tag_for(&core) {
            Some(tag) if bare => VersionSpec::Exact(tag),
            _ => wanted.clone(),
        }
    }

    /// The checksum file the entry names for `asset` of `version`, if any.
    pub fn checksum_for(&self, asset: &str, version: &str) -> Option<String> {
        self.entry.as_ref()?.checksum_for(asset, version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        Registry::embedded().unwrap()
    }

    fn tool(spec: &str) -> Tool {
        Tool::from_spec(&ToolSpec::parse(spec).unwrap(), &registry()).unwrap()
    }

    #[test]
    fn every_spelling_of_sccache_is_one_tool() {
        let spellings = [
            "sccache",
            "mozilla/sccache",
            "github:mozilla/sccache",
            "ubi:mozilla/sccache",
            "aqua:mozilla/sccache",
            "toolget:sccache",
            "Mozilla/SCCache@0.14.0",
        ];
        for spec in spellings {
            let t = tool(spec);
            assert_eq!(t.id().to_string(), "mozilla/sccache", "{spec}");
            assert_eq!(
                (t.exe.as_str(), t.repo.to_string().as_str()),
                ("sccache", "mozilla/sccache"),
                "{spec}"
            );
            assert!(t.entry.is_some(), "{spec}: the entry's hints apply");
        }
        let dist = tool("mozilla/sccache[exe=sccache-dist]");
        assert_eq!(dist.id().to_string(), "mozilla/sccache~sccache-dist");
        assert!(
            dist.entry.is_none(),
            "sccache's hints are not sccache-dist's"
        );
    }

    #[test]
    fn a_repository_spec_takes_the_entry_executable() {
        let by_repo = tool("BurntSushi/ripgrep");
        let by_name = tool("rg");
        assert_eq!(by_repo.exe, "rg");
        assert_eq!(by_repo.id(), by_name.id());
        assert_eq!(by_repo.id().to_string(), "burntsushi/ripgrep");
        assert!(by_repo.exe_explicit, "a curated exe is an exact name");
        // A repository the registry does not know keeps the old rule.
        let unknown = tool("acme/widget");
        assert_eq!(
            (unknown.exe.as_str(), unknown.exe_explicit),
            ("widget", false)
        );
        assert!(unknown.entry.is_none());
    }

    #[test]
    fn a_second_tool_of_a_repository_is_a_variant_whichever_way_it_is_named() {
        assert_eq!(tool("kubectx").id().to_string(), "ahmetb/kubectx");
        assert_eq!(tool("ahmetb/kubectx").id().to_string(), "ahmetb/kubectx");
        for spec in ["kubens", "ahmetb/kubectx[exe=kubens]", "toolget:kubens"] {
            let t = tool(spec);
            assert_eq!(t.id().to_string(), "ahmetb/kubectx~kubens", "{spec}");
            assert_eq!(t.exe, "kubens", "{spec}");
            assert_eq!(
                t.entry.as_ref().map(|e| e.name.as_str()),
                Some("kubens"),
                "{spec}"
            );
        }
    }

    #[test]
    fn unknown_names_suggest_close_ones() {
        let spec = ToolSpec::parse("ripgrap").unwrap();
        let err = Tool::from_spec(&spec, &registry()).unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::NotFound);
        assert!(err.to_string().contains("did you mean `ripgrep`?"), "{err}");
        assert!(err.hint().unwrap().contains("owner/ripgrap"));
        let err = Tool::from_spec(&spec, &Registry::empty()).unwrap_err();
        assert_eq!(err.to_string(), "unknown tool `ripgrap`");
    }

    #[test]
    fn exact_versions_look_up_the_entry_tag_first() {
        let jq = tool("jq@1.7.1");
        assert_eq!(
            jq.lookup_version(&VersionSpec::Exact("1.7.1".into())),
            VersionSpec::Exact("jq-1.7.1".into())
        );
        assert_eq!(
            jq.lookup_version(&VersionSpec::Exact("v1.7.1".into())),
            VersionSpec::Exact("jq-1.7.1".into())
        );
        assert_eq!(
            jq.lookup_version(&VersionSpec::Exact("jq-1.7.1".into())),
            VersionSpec::Exact("jq-1.7.1".into())
        );
        assert_eq!(jq.lookup_version(&VersionSpec::Latest), VersionSpec::Latest);
        let kustomize = tool("kustomize");
        assert_eq!(
            kustomize.lookup_version(&VersionSpec::Exact("5.5.0".into())),
            VersionSpec::Exact("kustomize/v5.5.0".into())
        );
        assert_eq!(
            version::version_from_tag("kustomize/v5.5.0", &kustomize.tag_names()),
            "5.5.0"
        );
        // No entry, no rewriting.
        let plain = tool("acme/widget");
        assert_eq!(
            plain.lookup_version(&VersionSpec::Exact("1.0".into())),
            VersionSpec::Exact("1.0".into())
        );
    }

    #[test]
    fn spec_options_win_over_entry_hints() {
        let linux_gnu: Platform = "linux-x86_64-gnu".parse().unwrap();
        let bun = tool("bun");
        assert!(bun.hints_for(&linux_gnu, None).matching_regex.is_some());
        let mine = tool("bun[matching_regex=baseline]");
        assert_eq!(
            mine.hints_for(&linux_gnu, None).matching_regex.as_deref(),
            Some("baseline")
        );
        let neovim = tool("nvim");
        assert_eq!(neovim.options.extract_all, Some(true));
        assert_eq!(
            tool("nvim[extract_all=false]").options.extract_all,
            Some(false)
        );
    }
}
