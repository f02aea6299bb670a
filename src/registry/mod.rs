//! The curated registry: one TOML file per tool (`registry/*.toml`, embedded at build time),
//! plus directories named in `TOOLGET_REGISTRY_PATH` whose entries override or add to them.
//!
//! An entry gives a tool a short name and aliases, its repository and executables, and
//! *hints* for the resolver (`matching`, `matching_regex`, `asset_pattern`, per-platform and
//! per-version overrides, the tag format, the checksum file). Hints sit on top of the
//! resolver; they never replace it: a platform an entry does not mention is still resolved by
//! the engine, and `supports` is a claim that `toolget registry check` verifies, not a gate.
//!
//! Pure apart from reading the files it is pointed at: no network, no `std::env`, no store.
//! The schema is documented in docs/registry.md.

mod check;

pub use check::{Finding, FindingKind, PlatformCheck, check_release};

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{Diagnostic, ErrorKind};
use crate::platform::{Arch, Libc, Os, Platform};
use crate::release::RepoId;
use crate::version;

include!(concat!(env!("OUT_DIR"), "/registry.rs"));

/// Resolver hints: the same filters a spec's options give, all optional. An empty string
/// clears a value set at a lower level (e.g. a `[platforms."windows-*"]` table undoing the
/// entry's `matching`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hints {
    pub matching: Option<String>,
    pub matching_regex: Option<String>,
    pub asset_pattern: Option<String>,
}

impl Hints {
    /// `other`'s values win where set.
    fn overlay(&mut self, other: &Hints) {
        for (mine, theirs) in [
            (&mut self.matching, &other.matching),
            (&mut self.matching_regex, &other.matching_regex),
            (&mut self.asset_pattern, &other.asset_pattern),
        ] {
            if theirs.is_some() {
                mine.clone_from(theirs);
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.matching.is_none() && self.matching_regex.is_none() && self.asset_pattern.is_none()
    }

    fn fields(&self) -> [(&'static str, &Option<String>); 3] {
        [
            ("matching", &self.matching),
            ("matching_regex", &self.matching_regex),
            ("asset_pattern", &self.asset_pattern),
        ]
    }

    fn to_json(&self) -> Value {
        let mut map = serde_json::Map::new();
        for (key, value) in self.fields() {
            if let Some(v) = value {
                map.insert(key.to_string(), Value::String(v.clone()));
            }
        }
        Value::Object(map)
    }
}

/// Platforms an override or a `supports` item applies to: globs over canonical platform
/// names (`windows-*`, `linux-aarch64-*`, `macos-aarch64`), several separated by `,`.
/// A Linux platform without a libc matches as its glibc spelling (`linux-x86_64-gnu`).
#[derive(Debug, Clone)]
pub struct PlatformPattern {
    text: String,
    globs: Vec<glob::Pattern>,
}

impl PlatformPattern {
    /// Parse `linux-*,macos-aarch64`.
    pub fn parse(text: &str) -> Result<PlatformPattern, String> {
        let mut globs = Vec::new();
        for part in text.split(',').map(str::trim) {
            if part.is_empty() {
                return Err(format!("empty platform pattern in `{text}`"));
            }
            let glob = glob::Pattern::new(&part.to_ascii_lowercase())
                .map_err(|e| format!("`{part}` is not a valid glob: {e}"))?;
            if !all_platforms()
                .iter()
                .any(|p| glob.matches(&pattern_name(p)))
            {
                return Err(format!(
                    "`{part}` matches no platform (platforms are named like linux-x86_64-gnu, \
                     linux-armv7-gnueabihf, macos-aarch64, windows-x86_64)"
                ));
            }
            globs.push(glob);
        }
        Ok(PlatformPattern {
            text: text.to_string(),
            globs,
        })
    }

    pub fn matches(&self, platform: &Platform) -> bool {
        let name = pattern_name(platform);
        self.globs.iter().any(|g| g.matches(&name))
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// The name patterns are matched against: the canonical name, with glibc filled in for a
/// Linux platform that names no libc (it resolves like a glibc host).
fn pattern_name(platform: &Platform) -> String {
    match (platform.os, platform.libc) {
        (Os::Linux, None) => Platform::new(Os::Linux, platform.arch, Some(Libc::Gnu)).to_string(),
        _ => platform.to_string(),
    }
}

/// Every platform toolget can name, for validating patterns and finding overlaps.
fn all_platforms() -> Vec<Platform> {
    const ARCHES: [Arch; 7] = [
        Arch::X86_64,
        Arch::Aarch64,
        Arch::Armv7,
        Arch::I686,
        Arch::Riscv64,
        Arch::S390x,
        Arch::Ppc64le,
    ];
    let mut out = Vec::new();
    for arch in ARCHES {
        for libc in [Libc::Gnu, Libc::Musl] {
            out.push(Platform::new(Os::Linux, arch, Some(libc)));
        }
    }
    for arch in [Arch::X86_64, Arch::Aarch64] {
        out.push(Platform::new(Os::Macos, arch, None));
    }
    for arch in [Arch::X86_64, Arch::Aarch64, Arch::I686] {
        out.push(Platform::new(Os::Windows, arch, None));
    }
    for arch in [Arch::X86_64, Arch::Aarch64] {
        out.push(Platform::new(Os::Freebsd, arch, None));
    }
    out
}

/// Hints for a range of versions, for projects that changed their asset naming.
#[derive(Debug, Clone)]
pub struct VersionRange {
    /// As written, e.g. `<0.10`.
    pub text: String,
    pub req: semver::VersionReq,
    pub hints: Hints,
    /// Tag format for these versions, when it differs from the entry's.
    pub tag: Option<String>,
}

/// Where an entry came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Built into toolget (`registry/<file>`).
    Embedded(&'static str),
    /// A file in a `TOOLGET_REGISTRY_PATH` directory.
    File(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Embedded(file) => write!(f, "built-in (registry/{file})"),
            Origin::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// One curated tool.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The short name users type (`ripgrep`).
    pub name: String,
    /// Other names that find it (`rg`).
    pub aliases: Vec<String>,
    pub repo: RepoId,
    pub description: String,
    /// Executables, the tool's own first (`rg`); the rest ship in the same archive.
    pub executables: Vec<String>,
    /// The repository's default tool when several entries share one repository.
    pub primary: bool,
    /// Tag format, e.g. `jq-{version}`; tried first for an exact version.
    pub tag: Option<String>,
    /// Checksum file name, e.g. `{asset}.sha256` or `checksums-{version}.txt`; tried first.
    pub checksum: Option<String>,
    /// Platforms the project publishes native builds for (checked by `registry check`).
    pub supports: Option<Vec<PlatformPattern>>,
    /// Hints for every platform and version.
    pub hints: Hints,
    /// Keep the whole archive (runtime files next to the executable).
    pub extract_all: Option<bool>,
    /// Per-platform hints, in the order written.
    pub platforms: Vec<(PlatformPattern, Hints)>,
    /// Per-version hints, in the order written; a later matching range wins.
    pub versions: Vec<VersionRange>,
    /// Free text for `toolget info`.
    pub notes: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    repo: String,
    description: String,
    #[serde(default)]
    executables: Vec<String>,
    #[serde(default)]
    primary: bool,
    tag: Option<String>,
    checksum: Option<String>,
    supports: Option<Vec<String>>,
    matching: Option<String>,
    matching_regex: Option<String>,
    asset_pattern: Option<String>,
    extract_all: Option<bool>,
    #[serde(default)]
    platforms: BTreeMap<String, Hints>,
    #[serde(default)]
    versions: Vec<RawVersion>,
    notes: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVersion {
    range: String,
    tag: Option<String>,
    matching: Option<String>,
    matching_regex: Option<String>,
    asset_pattern: Option<String>,
}

/// The registry could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("cannot read registry directory `{}`", path.display())]
    ReadDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read registry file `{}`", path.display())]
    ReadFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("registry entry {origin} is not valid TOML for an entry")]
    Parse {
        origin: Origin,
        #[source]
        source: Box<toml::de::Error>,
    },
    #[error("registry entry {origin}: {problem}")]
    Invalid { origin: Origin, problem: String },
    #[error("registry name `{name}` is used by both {first} and {second}")]
    Duplicate {
        name: String,
        first: Origin,
        second: Origin,
    },
}

impl Diagnostic for RegistryError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidConfig
    }

    fn hint(&self) -> Option<String> {
        match self {
            RegistryError::ReadDir { .. } | RegistryError::ReadFile { .. } => Some(
                "check TOOLGET_REGISTRY_PATH: directories separated by `:`, holding `*.toml` entries"
                    .into(),
            ),
            RegistryError::Parse { .. } | RegistryError::Invalid { .. } => {
                Some("the entry format is described in docs/registry.md".into())
            }
            RegistryError::Duplicate { .. } => Some(
                "each name and alias may appear once per directory; rename one of them".into(),
            ),
        }
    }
}

fn invalid(origin: &Origin, problem: impl Into<String>) -> RegistryError {
    RegistryError::Invalid {
        origin: origin.clone(),
        problem: problem.into(),
    }
}

/// Names and aliases: lowercase letters, digits, `-`, `_`, `.`, starting with a letter or digit.
fn check_name(what: &str, name: &str) -> Result<(), String> {
    let ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what} `{name}` must be lowercase letters, digits, `-`, `_` or `.`"
        ))
    }
}

fn check_repo_part(part: &str) -> bool {
    !part.is_empty()
        && part != "."
        && part != ".."
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

fn check_exe(exe: &str) -> Result<(), String> {
    let ok = !exe.is_empty()
        && !exe.starts_with('.')
        && !exe.contains(['/', '\\', '\0', ' '])
        && !exe.to_ascii_lowercase().ends_with(".exe");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "executable `{exe}` must be a plain file name without `.exe` (added on Windows)"
        ))
    }
}

fn check_tag_format(tag: &str) -> Result<(), String> {
    if tag.matches("{version}").count() == 1 {
        Ok(())
    } else {
        Err(format!(
            "tag format `{tag}` must contain `{{version}}` once"
        ))
    }
}

fn check_hints(hints: &Hints) -> Result<(), String> {
    if let Some(re) = hints.matching_regex.as_deref().filter(|r| !r.is_empty()) {
        regex::Regex::new(re).map_err(|e| format!("matching_regex `{re}`: {e}"))?;
    }
    if let Some(glob) = hints.asset_pattern.as_deref().filter(|g| !g.is_empty()) {
        glob::Pattern::new(glob).map_err(|e| format!("asset_pattern `{glob}`: {e}"))?;
    }
    Ok(())
}

impl Entry {
    /// Parse and validate one entry file.
    pub fn parse(text: &str, origin: Origin) -> Result<Entry, RegistryError> {
        let raw: RawEntry = toml::from_str(text).map_err(|source| RegistryError::Parse {
            origin: origin.clone(),
            source: Box::new(source),
        })?;
        Entry::from_raw(raw, origin)
    }

    fn from_raw(raw: RawEntry, origin: Origin) -> Result<Entry, RegistryError> {
        let bad = |problem: String| invalid(&origin, problem);
        check_name("name", &raw.name).map_err(bad)?;
        let mut seen = HashSet::from([raw.name.clone()]);
        for alias in &raw.aliases {
            check_name("alias", alias).map_err(bad)?;
            if !seen.insert(alias.clone()) {
                return Err(bad(format!("`{alias}` is listed twice")));
            }
        }
        let repo = match raw.repo.split_once('/') {
            Some((owner, name)) if check_repo_part(owner) && check_repo_part(name) => {
                RepoId::new(owner, name)
            }
            _ => {
                return Err(bad(format!(
                    "repo `{}` must be `owner/name` of a GitHub repository",
                    raw.repo
                )));
            }
        };
        if raw.description.trim().is_empty() {
            return Err(bad("description is empty".into()));
        }
        let executables = if raw.executables.is_empty() {
            vec![repo.name.clone()]
        } else {
            raw.executables
        };
        let mut exes = HashSet::new();
        for exe in &executables {
            check_exe(exe).map_err(bad)?;
            if !exes.insert(exe) {
                return Err(bad(format!("executable `{exe}` is listed twice")));
            }
        }
        if let Some(tag) = &raw.tag {
            check_tag_format(tag).map_err(bad)?;
        }
        if let Some(checksum) = &raw.checksum
            && (checksum.is_empty() || checksum.contains(['/', '\\']))
        {
            return Err(bad(format!("checksum `{checksum}` must be a file name")));
        }
        let hints = Hints {
            matching: raw.matching,
            matching_regex: raw.matching_regex,
            asset_pattern: raw.asset_pattern,
        };
        check_hints(&hints).map_err(bad)?;
        let supports = match raw.supports {
            None => None,
            Some(list) => Some(
                list.iter()
                    .map(|p| PlatformPattern::parse(p))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| bad(format!("supports: {e}")))?,
            ),
        };
        let mut platforms = Vec::new();
        for (text, hints) in raw.platforms {
            let pattern =
                PlatformPattern::parse(&text).map_err(|e| bad(format!("platforms: {e}")))?;
            check_hints(&hints).map_err(|e| bad(format!("platforms.\"{text}\": {e}")))?;
            if hints.is_empty() {
                return Err(bad(format!("platforms.\"{text}\" sets nothing")));
            }
            platforms.push((pattern, hints));
        }
        // Two tables setting the same field for one platform would make the file's key order
        // matter, and TOML tables have none: refuse it.
        for platform in all_platforms() {
            let matching: Vec<&(PlatformPattern, Hints)> = platforms
                .iter()
                .filter(|(p, _)| p.matches(&platform))
                .collect();
            for (i, (a, ha)) in matching.iter().enumerate() {
                for (b, hb) in &matching[i + 1..] {
                    let clash = ha
                        .fields()
                        .iter()
                        .zip(hb.fields())
                        .any(|((_, x), (_, y))| x.is_some() && y.is_some());
                    if clash {
                        return Err(bad(format!(
                            "platforms.\"{}\" and platforms.\"{}\" both set the same option for {platform}",
                            a.as_str(),
                            b.as_str()
                        )));
                    }
                }
            }
        }
        let mut versions = Vec::new();
        for raw_version in raw.versions {
            let req = semver::VersionReq::parse(&raw_version.range).map_err(|e| {
                bad(format!(
                    "versions: range `{}` is not a semver requirement: {e}",
                    raw_version.range
                ))
            })?;
            if let Some(tag) = &raw_version.tag {
                check_tag_format(tag).map_err(bad)?;
            }
            let hints = Hints {
                matching: raw_version.matching,
                matching_regex: raw_version.matching_regex,
                asset_pattern: raw_version.asset_pattern,
            };
            check_hints(&hints).map_err(|e| bad(format!("versions: {e}")))?;
            versions.push(VersionRange {
                text: raw_version.range,
                req,
                hints,
                tag: raw_version.tag,
            });
        }
        Ok(Entry {
            name: raw.name,
            aliases: raw.aliases,
            repo,
            description: raw.description.trim().to_string(),
            executables,
            primary: raw.primary,
            tag: raw.tag,
            checksum: raw.checksum,
            supports,
            hints,
            extract_all: raw.extract_all,
            platforms,
            versions,
            notes: raw.notes,
            origin,
        })
    }

    /// The tool's own executable.
    pub fn exe(&self) -> &str {
        // Never empty: `from_raw` fills in the repository name.
        self.executables
            .first()
            .map_or(&self.repo.name, String::as_str)
    }

    /// Whether `name` is this entry's name or one of its aliases (case-insensitive).
    pub fn is_called(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    }

    fn version_ranges<'a>(
        &'a self,
        version: Option<&str>,
    ) -> impl Iterator<Item = &'a VersionRange> {
        let parsed = version.and_then(version::parse_lenient);
        self.versions
            .iter()
            .filter(move |r| parsed.as_ref().is_some_and(|v| r.req.matches(v)))
    }

    /// The hints for one platform and release version: the entry's, then each matching
    /// version range's, then each matching platform table's (later wins).
    pub fn hints_for(&self, platform: &Platform, version: Option<&str>) -> Hints {
        let mut hints = self.hints.clone();
        for range in self.version_ranges(version) {
            hints.overlay(&range.hints);
        }
        for (pattern, platform_hints) in &self.platforms {
            if pattern.matches(platform) {
                hints.overlay(platform_hints);
            }
        }
        hints
    }

    /// The tag an exact version should be looked up under first, if the entry knows it.
    pub fn tag_for(&self, version: &str) -> Option<String> {
        let format = self
            .version_ranges(Some(version))
            .filter_map(|r| r.tag.as_deref())
            .last()
            .or(self.tag.as_deref())?;
        Some(format.replace("{version}", version))
    }

    /// Words tags carry before the version (`jq` for `jq-{version}`, `kustomize` for
    /// `kustomize/v{version}`), so versions read back from such tags.
    pub fn tag_prefixes(&self) -> Vec<String> {
        let formats = self
            .tag
            .iter()
            .chain(self.versions.iter().filter_map(|r| r.tag.as_ref()));
        let mut out: Vec<String> = Vec::new();
        for format in formats {
            let head = format.split("{version}").next().unwrap_or_default();
            let head = head.strip_suffix('v').unwrap_or(head);
            let head = head.trim_end_matches(['-', '_', '@', '/']);
            if !head.is_empty() && !out.iter().any(|h| h == head) {
                out.push(head.to_string());
            }
        }
        out
    }

    /// The checksum file to try first for `asset` of `version`.
    pub fn checksum_for(&self, asset: &str, version: &str) -> Option<String> {
        self.checksum
            .as_ref()
            .map(|c| c.replace("{version}", version).replace("{asset}", asset))
    }

    /// Whether the entry claims native builds for `platform`; `None` when it makes no claim.
    pub fn supports(&self, platform: &Platform) -> Option<bool> {
        self.supports
            .as_ref()
            .map(|list| list.iter().any(|p| p.matches(platform)))
    }

    /// Everything about the entry, for `toolget info --json`.
    pub fn to_json(&self) -> Value {
        let platforms: serde_json::Map<String, Value> = self
            .platforms
            .iter()
            .map(|(p, h)| (p.as_str().to_string(), h.to_json()))
            .collect();
        let versions: Vec<Value> = self
            .versions
            .iter()
            .map(|r| {
                let mut v = r.hints.to_json();
                v["range"] = Value::String(r.text.clone());
                if let Some(tag) = &r.tag {
                    v["tag"] = Value::String(tag.clone());
                }
                v
            })
            .collect();
        json!({
            "name": self.name,
            "aliases": self.aliases,
            "repo": self.repo.to_string(),
            "description": self.description,
            "executables": self.executables,
            "primary": self.primary,
            "tag": self.tag,
            "checksum": self.checksum,
            "supports": self.supports.as_ref().map(|l| l.iter().map(PlatformPattern::as_str).collect::<Vec<_>>()),
            "hints": self.hints.to_json(),
            "extract_all": self.extract_all,
            "platforms": platforms,
            "versions": versions,
            "notes": self.notes,
            "origin": self.origin.to_string(),
        })
    }
}

/// The loaded registry: entries in precedence order (`TOOLGET_REGISTRY_PATH` directories in
/// order, then the built-in entries), one entry per name.
#[derive(Clone)]
pub struct Registry {
    entries: Vec<Entry>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("entries", &self.entries.len())
            .finish()
    }
}

impl Registry {
    /// A registry with no entries: every spec must name a repository.
    pub fn empty() -> Registry {
        Registry {
            entries: Vec::new(),
        }
    }

    /// The built-in entries only.
    pub fn embedded() -> Result<Registry, RegistryError> {
        Registry::load(&[])
    }

    /// The built-in entries, overridden and extended by the `*.toml` files of `dirs` (an
    /// earlier directory wins). A directory that does not exist is skipped, as in `PATH`.
    pub fn load(dirs: &[PathBuf]) -> Result<Registry, RegistryError> {
        let mut layers = Vec::new();
        for dir in dirs {
            if dir.exists() {
                layers.push(read_dir(dir)?);
            }
        }
        let mut embedded = Vec::with_capacity(EMBEDDED.len());
        for (file, text) in EMBEDDED {
            embedded.push(Entry::parse(text, Origin::Embedded(file))?);
        }
        layers.push(embedded);
        Registry::from_layers(layers)
    }

    /// Entries from layers in precedence order: within a layer every name and alias must be
    /// unique; across layers the first layer naming an entry wins.
    pub fn from_layers(layers: Vec<Vec<Entry>>) -> Result<Registry, RegistryError> {
        let mut entries: Vec<Entry> = Vec::new();
        for layer in layers {
            check_unique(&layer)?;
            for entry in layer {
                if !entries.iter().any(|e| e.name == entry.name) {
                    entries.push(entry);
                }
            }
        }
        Ok(Registry { entries })
    }

    /// Every entry, sorted by name.
    pub fn entries(&self) -> Vec<&Entry> {
        let mut list: Vec<&Entry> = self.entries.iter().collect();
        list.sort_by(|a, b| a.name.cmp(&b.name));
        list
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry called `name` (its name first, then aliases; case-insensitive).
    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name))
            .or_else(|| self.entries.iter().find(|e| e.is_called(name)))
    }

    /// Entries for a repository (GitHub names are case-insensitive).
    pub fn for_repo(&self, repo: &RepoId) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| {
                e.repo.owner.eq_ignore_ascii_case(&repo.owner)
                    && e.repo.name.eq_ignore_ascii_case(&repo.name)
            })
            .collect()
    }

    /// The repository's default tool: the only entry for it, else the one marked
    /// `primary`, else the one named like the repository.
    pub fn primary_for_repo(&self, repo: &RepoId) -> Option<&Entry> {
        let entries = self.for_repo(repo);
        if entries.len() <= 1 {
            return entries.first().copied();
        }
        entries
            .iter()
            .find(|e| e.primary)
            .or_else(|| {
                entries
                    .iter()
                    .find(|e| e.name.eq_ignore_ascii_case(&repo.name))
            })
            .or_else(|| {
                entries
                    .iter()
                    .find(|e| e.exe().eq_ignore_ascii_case(&repo.name))
            })
            .or(entries.first())
            .copied()
    }

    /// The entry of `repo` whose own executable is `exe`.
    pub fn for_repo_exe(&self, repo: &RepoId, exe: &str) -> Option<&Entry> {
        self.for_repo(repo).into_iter().find(|e| e.exe() == exe)
    }

    /// Entries matching every word of `query`, best first (see [`score`]).
    pub fn search(&self, query: &str) -> Vec<&Entry> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        if words.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(u32, &Entry)> = self
            .entries
            .iter()
            .filter_map(|e| {
                let mut total = 0;
                for word in &words {
                    total += score(e, word)?;
                }
                Some((total, e))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
        scored.into_iter().map(|(_, e)| e).collect()
    }

    /// Up to three names or aliases close to `name` (edit distance), closest first.
    pub fn suggest(&self, name: &str) -> Vec<String> {
        let name = name.to_lowercase();
        let limit = (name.chars().count() / 3).clamp(1, 3);
        let mut close: Vec<(usize, String)> = Vec::new();
        for entry in &self.entries {
            let best = std::iter::once(&entry.name)
                .chain(&entry.aliases)
                .map(|n| strsim::levenshtein(&name, n))
                .min()
                .unwrap_or(usize::MAX);
            let contains = entry.name.contains(&name) && name.len() >= 3;
            if best <= limit || contains {
                close.push((
                    if contains { best.min(limit) } else { best },
                    entry.name.clone(),
                ));
            }
        }
        close.sort();
        close.dedup_by(|a, b| a.1 == b.1);
        close.into_iter().take(3).map(|(_, n)| n).collect()
    }
}

fn read_dir(dir: &Path) -> Result<Vec<Entry>, RegistryError> {
    let read_err = |source| RegistryError::ReadDir {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(read_err)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(read_err)?;
    paths.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    paths.sort();
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|source| RegistryError::ReadFile {
            path: path.clone(),
            source,
        })?;
        out.push(Entry::parse(&text, Origin::File(path))?);
    }
    Ok(out)
}

fn check_unique(layer: &[Entry]) -> Result<(), RegistryError> {
    let mut seen: BTreeMap<String, &Origin> = BTreeMap::new();
    for entry in layer {
        for name in std::iter::once(&entry.name).chain(&entry.aliases) {
            if let Some(first) = seen.insert(name.clone(), &entry.origin) {
                return Err(RegistryError::Duplicate {
                    name: name.clone(),
                    first: first.clone(),
                    second: entry.origin.clone(),
                });
            }
        }
    }
    // Several entries for one repository need one default, or a repo spec would be ambiguous.
    let mut repos: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
    for entry in layer {
        repos
            .entry(entry.repo.to_string().to_lowercase())
            .or_default()
            .push(entry);
    }
    for (repo, entries) in repos {
        if entries.len() < 2 {
            continue;
        }
        let primaries = entries
            .iter()
            .filter(|e| e.primary || e.name.eq_ignore_ascii_case(&e.repo.name))
            .count();
        if primaries != 1 {
            return Err(invalid(
                &entries[0].origin,
                format!(
                    "{} entries share `{repo}`; exactly one must be its default \
                     (`primary = true`, or named like the repository)",
                    entries.len()
                ),
            ));
        }
        let mut exes = HashSet::new();
        for e in &entries {
            if !exes.insert(e.exe()) {
                return Err(invalid(
                    &e.origin,
                    format!(
                        "two entries of `{repo}` install the same executable `{}`",
                        e.exe()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// How well `entry` matches one search word; `None` when it does not.
///
/// Exact name 100, exact alias or executable 90, name prefix 70, repository name 60,
/// name or alias containing the word 50, owner 40, one of the description's first three words
/// 35 (what the tool *is*), another description word 30, description text 10.
pub fn score(entry: &Entry, word: &str) -> Option<u32> {
    let word = word.to_lowercase();
    let repo_name = entry.repo.name.to_lowercase();
    let owner = entry.repo.owner.to_lowercase();
    let description = entry.description.to_lowercase();
    let candidates = [
        (entry.name == word, 100),
        (
            entry.aliases.contains(&word)
                || entry.executables.iter().any(|x| x.to_lowercase() == word),
            90,
        ),
        (entry.name.starts_with(&word), 70),
        (repo_name == word || repo_name.starts_with(&word), 60),
        (
            entry.name.contains(&word) || entry.aliases.iter().any(|a| a.contains(&word)),
            50,
        ),
        (
            owner == word || format!("{owner}/{repo_name}").contains(&word),
            40,
        ),
        (
            description
                .split(|c: char| !c.is_alphanumeric() && c != '-')
                .filter(|w| !w.is_empty())
                .take(3)
                .any(|w| w == word),
            35,
        ),
        (
            description
                .split(|c: char| !c.is_alphanumeric() && c != '-')
                .any(|w| w == word),
            30,
        ),
        (description.contains(&word), 10),
    ];
    candidates
        .into_iter()
        .find(|(hit, _)| *hit)
        .map(|(_, points)| points)
}

#[cfg(test)]
mod tests;
