//! The selection engine: given a release's assets, a platform and the user's criteria, pick
//! exactly one asset — or say, for every asset, why not.
//!
//! Pure: no network, no disk, no environment. The rules (docs/resolution.md), in the order
//! they apply:
//! 1. user filters (`matching`, `matching_regex`, `asset_pattern`) narrow first;
//! 2. files that are never installable go (checksums, signatures, OS packages, source, …);
//! 3. files that name no platform go, unless a filter named them;
//! 4. the name rule picks the tool: the wanted name, else the only name in the release;
//! 5. the platform's fallbacks (`platform::fallback`) rank what runs here;
//! 6. among the best: plain builds beat debug/variant twins, the same build in several
//!    formats is settled by the format ranking, and anything still tied is [`SelectError::Ambiguous`].
//!
//! Must not touch: HTTP, the filesystem, `std::env`. Regexes and globs are compiled when the
//! [`Criteria`] is built, never inside [`select`].

mod asset;

use std::fmt::Write as _;

use crate::error::{Diagnostic, ErrorKind};
use crate::platform::{ArchMatch, Fallback, LibcPreference, Os, Platform};
use crate::release::Asset;
use crate::spec::SpecOptions;
use asset::{ArchWord, AssetArch, AssetOs, FileKind, Format, LibcWord, OsWord, Parsed, Refusal};

/// What the user asked for, beyond the platform: the wanted executable name and filters.
#[derive(Debug, Clone)]
pub struct Criteria {
    /// The wanted name as typed (for messages).
    wanted_display: String,
    /// The wanted name split into lowercased words.
    wanted: Vec<String>,
    matching: Option<String>,
    matching_regex: Option<regex::Regex>,
    asset_pattern: Option<glob::Pattern>,
    archives_only: bool,
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
        let hint: &'static str = {
            match self {
                CriteriaError::InvalidRegex { .. } => {
                    "matching_regex is a Rust regex (https://docs.rs/regex); escape literal dots \
                     and parentheses, or use [matching=…] for a plain substring"
                }
                CriteriaError::InvalidGlob { .. } => {
                    "asset_pattern is a glob over the whole asset name: `*` any run, `?` one \
                     character, `[abc]` a class"
                }
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

    /// The name the name rule looks for.
    pub fn wanted_name(&self) -> &str {
        &self.wanted_display
    }

    fn has_filter(&self) -> bool {
        self.matching.is_some() || self.matching_regex.is_some() || self.asset_pattern.is_some()
    }
}

/// The chosen asset, and why every asset was or was not chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Index into the `assets` slice given to [`select`].
    pub index: usize,
    /// `Some("Rosetta 2")` / `Some("x64 emulation")` when the build runs only emulated.
    pub emulation: Option<&'static str>,
    /// One per asset, in release order.
    pub verdicts: Vec<Verdict>,
}

/// The decision about one asset, with a reason a human can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub asset: String,
    /// True for the chosen asset only.
    pub accepted: bool,
    pub reason: String,
}

/// No single asset could be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    #[error("{}", no_match_message(platform, offered))]
    NoMatch {
        platform: Platform,
        verdicts: Vec<Verdict>,
        /// Platforms the release does serve, e.g. `linux-x86_64-musl`.
        offered: Vec<String>,
    },
    #[error(
        "{} fit {platform} equally well: {}",
        ambiguous_subject(candidates, hint),
        quoted(candidates)
    )]
    Ambiguous {
        platform: Platform,
        candidates: Vec<String>,
        /// The option(s) that would separate them, e.g. `[matching=-msvc]`.
        hint: String,
        verdicts: Vec<Verdict>,
    },
}

fn no_match_message(platform: &Platform, offered: &[String]) -> String {
    if offered.is_empty() {
        format!("no asset of this release fits {platform}: none is an installable build")
    } else {
        format!(
            "no asset of this release fits {platform} (it offers {})",
            offered
                .iter()
                .map(|o| crate::text::shown(o))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn ambiguous_subject(candidates: &[String], hint: &str) -> String {
    if hint.starts_with("[exe=") {
        "several tools of this release".to_string()
    } else {
        format!("{} assets", candidates.len())
    }
}

fn quoted(names: &[String]) -> String {
    let mut out = String::new();
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "`{}`", crate::text::untrusted(n));
    }
    out
}

impl SelectError {
    /// Why each asset was rejected, in release order.
    pub fn verdicts(&self) -> &[Verdict] {
        match self {
            SelectError::NoMatch { verdicts, .. } | SelectError::Ambiguous { verdicts, .. } => {
                verdicts
            }
        }
    }
}

impl Diagnostic for SelectError {
    /// `ErrorKind::NoMatch` or `ErrorKind::Ambiguous`: stable, for scripts and JSON output.
    fn kind(&self) -> ErrorKind {
        match self {
            SelectError::NoMatch { .. } => ErrorKind::NoMatch,
            SelectError::Ambiguous { .. } => ErrorKind::Ambiguous,
        }
    }

    /// What the user should do.
    fn hint(&self) -> Option<String> {
        let hint: String = {
            match self {
                SelectError::Ambiguous { hint, .. } => format!("choose one with {hint}"),
                SelectError::NoMatch {
                    platform,
                    verdicts,
                    offered,
                } => {
                    let filtered = |v: &&Verdict| v.reason.starts_with("excluded by [");
                    if !verdicts.is_empty() && verdicts.iter().all(|v| filtered(&v)) {
                        "the filter excluded every asset; check its spelling ([matching=…] is a \
                         case-sensitive substring)"
                            .to_string()
                    } else if let Some(at) = verdicts.iter().find_map(|v| {
                        v.reason
                            .find("this release ships several tools")
                            .map(|at| &v.reason[at..])
                    }) {
                        format!("{at}; say which one with [exe=…]")
                    } else if offered.is_empty() {
                        "this release has no installable build for any platform; if one of its \
                         files does run here, name it with [asset_pattern=…]"
                            .to_string()
                    } else {
                        format!(
                            "this release has builds for {} only; if one of them runs on {platform}, \
                             name it with [asset_pattern=…]",
                            offered
                                .iter()
                                .map(|o| crate::text::shown(o))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                }
            }
        };
        Some(hint)
    }
}

/// Picks the one asset of `assets` to install on `platform`.
pub fn select(
    assets: &[Asset],
    platform: &Platform,
    criteria: &Criteria,
) -> Result<Selection, SelectError> {
    let mut scratch = String::new();
    let parsed: Vec<Parsed> = assets
        .iter()
        .map(|a| Parsed::read(&a.name, &criteria.wanted, &mut scratch))
        .collect();
    let glibc_twin = if platform.os == Os::Linux {
        glibc_twins(&parsed)
    } else {
        Vec::new()
    };
    let mut engine = Engine {
        assets,
        parsed,
        glibc_twin,
        platform: *platform,
        steps: platform.fallbacks(),
        reasons: vec![None; assets.len()],
        eligible: vec![false; assets.len()],
        platformless_ok: false,
        archless: Archless::Unknown,
    };
    engine.run(criteria)
}

/// For each Linux build naming no libc, its `-musl` twin if the release has one: that twin
/// marks the unmarked build as the glibc one. Empty-handed (`None`) for every other asset.
fn glibc_twins(parsed: &[Parsed]) -> Vec<Option<usize>> {
    parsed
        .iter()
        .map(|unmarked| {
            if unmarked.libc.is_some() || unmarked.os != AssetOs::Is(OsWord::Known(Os::Linux)) {
                return None;
            }
            parsed.iter().position(|p| p.is_musl_twin_of(unmarked))
        })
        .collect()
}

/// How directly an asset's architecture serves the host, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ArchFit {
    /// The host's own architecture (or, on a Mac, universal).
    Native,
    /// An `ARMv6` hard-float build on an `ARMv7` host: the same 32-bit width, and `ARMv7` runs it.
    Armv6,
    /// An older or unspecific 32-bit ARM build (`arm`, `armel`, `armv5`) on an `ARMv7` host.
    OlderArm,
    /// A build naming no architecture, taken by the rules in [`Engine::fit`].
    NoArch,
    /// A file naming no platform at all, that a filter picked out.
    Platformless,
}

/// How well an asset fits the platform: lower is better.
#[derive(Debug, Clone, Copy)]
struct Fit {
    index: usize,
    /// `(arch fit, step)`: `step` indexes the platform's fallbacks.
    rank: (ArchFit, usize),
    step: Fallback,
    /// A Linux build naming no libc, ranked as gnu because of this `-musl` twin.
    glibc_twin: Option<usize>,
}

enum Outcome {
    Chosen(Fit),
    Tied(Vec<usize>),
    Nothing,
}

struct Engine<'a> {
    assets: &'a [Asset],
    parsed: Vec<Parsed>,
    /// See [`glibc_twins`]; empty off Linux.
    glibc_twin: Vec<Option<usize>>,
    platform: Platform,
    steps: Vec<Fallback>,
    /// `None` while an asset is still in play.
    reasons: Vec<Option<String>>,
    /// Passed the filters and the file-kind rules (used for `offered`).
    eligible: Vec<bool>,
    /// A filter named files that name no platform, and nothing else: take them as they are.
    platformless_ok: bool,
    /// What a build naming no architecture is, for the members [`Engine::fit_all`] last ranked.
    archless: Archless,
}

/// What a build of the host's OS that names no architecture is taken for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Archless {
    /// No build of the tool for this OS names an architecture: it is the only build for the
    /// OS, taken on any architecture (as the lowest tier).
    OnlyKind,
    /// The OS's other builds name only architectures other than `x86_64` (listed): it is the
    /// `x86_64` build, the historical default (`ninja-linux.zip` next to
    /// `ninja-linux-aarch64.zip`), taken on `x86_64` hosts only.
    X86_64(String),
    /// Another build names `x86_64` (or universal, or several): nothing says what it is.
    Unknown,
}

impl Engine<'_> {
    fn name(&self, i: usize) -> &str {
        &self.assets[i].name
    }

    fn in_play(&self) -> Vec<usize> {
        (0..self.assets.len())
            .filter(|&i| self.reasons[i].is_none())
            .collect()
    }

    fn run(&mut self, criteria: &Criteria) -> Result<Selection, SelectError> {
        self.filter(criteria);
        self.refuse_files(criteria);
        self.require_platform_words(criteria);

        // The name rule: the wanted name, else the only name in the release.
        // Each family is represented by its first asset.
        let mut families: Vec<usize> = Vec::new();
        for i in self.in_play() {
            let p = &self.parsed[i];
            if p.name_len > 0 && !families.iter().any(|&f| self.parsed[f].same_name(p)) {
                families.push(i);
            }
        }
        let wanted = criteria.wanted.iter().map(String::as_str);
        let chosen: Option<(Vec<String>, String)> = if !criteria.wanted.is_empty()
            && families
                .iter()
                .any(|&f| self.parsed[f].name_words().eq(wanted.clone()))
        {
            Some((criteria.wanted.clone(), criteria.wanted_display.clone()))
        } else if families.len() == 1 {
            let first = families[0];
            let words = self.parsed[first]
                .name_words()
                .map(str::to_string)
                .collect();
            Some((
                words,
                self.parsed[first]
                    .name_display(self.name(first))
                    .to_string(),
            ))
        } else {
            None
        };

        match chosen {
            Some((words, display)) => {
                self.apply_name_rule(&words, &display);
                let members = self.in_play();
                let fits = self.fit_all(&members);
                match self.choose(fits, true) {
                    Outcome::Chosen(fit) => Ok(self.selection(fit)),
                    Outcome::Tied(tied) => Err(self.ambiguous(tied)),
                    Outcome::Nothing => Err(self.no_match(Some(&words))),
                }
            }
            None if families.is_empty() => {
                let members = self.in_play();
                let fits = self.fit_all(&members);
                match self.choose(fits, true) {
                    Outcome::Chosen(fit) => Ok(self.selection(fit)),
                    Outcome::Tied(tied) => Err(self.ambiguous(tied)),
                    Outcome::Nothing => Err(self.no_match(None)),
                }
            }
            None => self.several_tools(&families, criteria),
        }
    }

    fn filter(&mut self, criteria: &Criteria) {
        for (i, asset) in self.assets.iter().enumerate() {
            let name = asset.name.as_str();
            let reason = if let Some(m) = criteria.matching.as_deref().filter(|m| !name.contains(m))
            {
                format!("excluded by [matching={m}]")
            } else if let Some(re) = criteria
                .matching_regex
                .as_ref()
                .filter(|re| !re.is_match(name))
            {
                format!("excluded by [matching_regex={}]", re.as_str())
            } else if let Some(g) = criteria.asset_pattern.as_ref().filter(|g| !g.matches(name)) {
                format!("excluded by [asset_pattern={}]", g.as_str())
            } else {
                continue;
            };
            self.reasons[i] = Some(reason);
        }
    }

    fn refuse_files(&mut self, criteria: &Criteria) {
        for i in self.in_play() {
            let reason = match self.parsed[i].kind {
                FileKind::Refused(r) => refusal_reason(r, &self.assets[i].name),
                FileKind::Installable(f) if criteria.archives_only && !f.is_archive() => format!(
                    "{} is not an archive; [extract_all] needs a .tar.* or .zip",
                    f.label()
                ),
                FileKind::Installable(_) => {
                    self.eligible[i] = true;
                    continue;
                }
            };
            self.reasons[i] = Some(reason);
        }
    }

    /// A file naming neither OS nor architecture is not taken for a build of this platform —
    /// unless a filter named it and nothing that did pass names a platform.
    fn require_platform_words(&mut self, criteria: &Criteria) {
        let play = self.in_play();
        let any_named = play.iter().any(|&i| self.parsed[i].names_platform());
        if !any_named && criteria.has_filter() {
            self.platformless_ok = true;
            return;
        }
        for i in play {
            if !self.parsed[i].names_platform() {
                self.reasons[i] = Some(if any_named {
                    "names no operating system or architecture, while other assets do (source \
                     or data, not a build)"
                        .to_string()
                } else {
                    "names no operating system or architecture; toolget does not guess that it \
                     runs here (name it with [asset_pattern=…] if it does)"
                        .to_string()
                });
                self.eligible[i] = false;
            }
        }
    }

    fn apply_name_rule(&mut self, words: &[String], display: &str) {
        for i in self.in_play() {
            let p = &self.parsed[i];
            if p.name_len == 0 || p.name_words().eq(words.iter().map(String::as_str)) {
                continue;
            }
            let shown = p.name_display(&self.assets[i].name);
            let reason = if p.name_len > words.len()
                && p.name_words()
                    .take(words.len())
                    .eq(words.iter().map(String::as_str))
            {
                let extra: Vec<&str> = p.name_words().skip(words.len()).collect();
                format!(
                    "name `{shown}` has extra word{} `{}` beyond `{display}`",
                    if extra.len() > 1 { "s" } else { "" },
                    extra.join(" ")
                )
            } else {
                format!("name `{shown}` is not `{display}`")
            };
            self.reasons[i] = Some(reason);
            self.eligible[i] = false;
        }
    }

    /// No wanted name in the release and several names: which tool is meant is not ours to
    /// guess, on any platform.
    fn several_tools(
        &mut self,
        families: &[usize],
        criteria: &Criteria,
    ) -> Result<Selection, SelectError> {
        let shown: Vec<String> = families
            .iter()
            .map(|&i| self.parsed[i].name_display(self.name(i)).to_string())
            .collect();
        let wanted = if criteria.wanted_display.is_empty() {
            "and no [exe=…] says which".to_string()
        } else {
            format!("and none is named `{}`", criteria.wanted_display)
        };
        let why = format!(
            "this release ships several tools ({}) {wanted}",
            shown.join(", ")
        );
        let mut candidates = Vec::new();
        let mut options = Vec::new();
        let named_members: Vec<usize> = self
            .in_play()
            .into_iter()
            .filter(|&i| self.parsed[i].name_len > 0)
            .collect();
        for (&family, display) in families.iter().zip(&shown) {
            let members: Vec<usize> = self
                .in_play()
                .into_iter()
                .filter(|&i| self.parsed[i].same_name(&self.parsed[family]))
                .collect();
            let fits = self.fit_all(&members);
            let found = match self.choose(fits, false) {
                Outcome::Chosen(fit) => vec![fit.index],
                Outcome::Tied(tied) => tied,
                Outcome::Nothing => Vec::new(),
            };
            if !found.is_empty() {
                options.push(format!("[exe={display}]"));
            }
            candidates.extend(found);
        }
        for i in self.in_play() {
            self.reasons[i] = Some(if self.parsed[i].name_len == 0 {
                format!("names no tool; {why}")
            } else {
                why.clone()
            });
        }
        if candidates.is_empty() {
            // Nothing runs here anyway, but the next platform would still need [exe=…].
            for i in named_members {
                if let Some(reason) = self.reasons[i].as_mut() {
                    reason.push_str("; besides, ");
                    reason.push_str(&why);
                }
            }
            return Err(self.no_match(None));
        }
        let candidates = candidates
            .iter()
            .map(|&i| self.name(i).to_string())
            .collect();
        Err(SelectError::Ambiguous {
            platform: self.platform,
            candidates,
            hint: options
                .iter()
                .map(|o| crate::text::shown(o))
                .collect::<Vec<_>>()
                .join(" or "),
            verdicts: self.verdicts(None),
        })
    }

    /// What a build of the host's OS naming no architecture is, judging by the OS's other
    /// builds among `members`.
    fn archless_rule(&self, members: &[usize]) -> Archless {
        let host_os = AssetOs::Is(OsWord::Known(self.platform.os));
        let mut others: Vec<&'static str> = Vec::new();
        for &i in members {
            let p = &self.parsed[i];
            if p.os != host_os {
                continue;
            }
            let label = match p.arch {
                AssetArch::None => continue,
                AssetArch::Is(
                    ArchWord::Named(crate::platform::Arch::X86_64) | ArchWord::Universal,
                )
                | AssetArch::Several => return Archless::Unknown,
                AssetArch::Is(ArchWord::Named(a)) => a.as_str(),
                AssetArch::Is(ArchWord::Armv6) => "armv6",
                AssetArch::Is(ArchWord::OlderArm) => "arm",
                AssetArch::Is(ArchWord::Other(a)) => a,
            };
            if !others.contains(&label) {
                others.push(label);
            }
        }
        if others.is_empty() {
            Archless::OnlyKind
        } else {
            Archless::X86_64(others.join(", "))
        }
    }

    /// Ranks `members` against the platform; records why the others do not run here.
    fn fit_all(&mut self, members: &[usize]) -> Vec<Fit> {
        self.archless = self.archless_rule(members);
        let mut fits = Vec::new();
        for &i in members {
            match self.fit(i) {
                Ok(fit) => fits.push(fit),
                Err(reason) => {
                    self.reasons[i] = Some(reason);
                }
            }
        }
        fits
    }

    fn fit(&self, i: usize) -> Result<Fit, String> {
        let p = &self.parsed[i];
        let host = self.platform;
        if self.platformless_ok
            && !p.names_platform()
            && let Some(first) = self.steps.first()
        {
            return Ok(Fit {
                index: i,
                rank: (ArchFit::Platformless, 0),
                step: *first,
                glibc_twin: None,
            });
        }
        match p.os {
            AssetOs::None => return Err("names no operating system".to_string()),
            AssetOs::Several => return Err("names several operating systems".to_string()),
            AssetOs::Is(OsWord::Other(o)) => {
                return Err(format!("for {o}, not {}", host.os.as_str()));
            }
            AssetOs::Is(OsWord::Known(o)) if o != host.os => {
                return Err(format!("for {}, not {}", o.as_str(), host.os.as_str()));
            }
            AssetOs::Is(OsWord::Known(_)) => {}
        }
        let (arch, sub) = match p.arch {
            AssetArch::Several => return Err("names several architectures".to_string()),
            AssetArch::Is(ArchWord::Other(a)) => {
                return Err(format!("for {a}, not {}", host.arch.as_str()));
            }
            AssetArch::Is(ArchWord::Named(a)) => (ArchMatch::Exact(a), ArchFit::Native),
            AssetArch::Is(older @ (ArchWord::Armv6 | ArchWord::OlderArm)) => {
                let (label, fit) = match older {
                    ArchWord::Armv6 => ("armv6", ArchFit::Armv6),
                    _ => ("32-bit arm", ArchFit::OlderArm),
                };
                if host.arch == crate::platform::Arch::Armv7 {
                    (ArchMatch::Exact(host.arch), fit)
                } else {
                    return Err(arch_mismatch(label, host));
                }
            }
            AssetArch::Is(ArchWord::Universal) if host.os == Os::Macos => {
                (ArchMatch::Universal, ArchFit::Native)
            }
            AssetArch::Is(ArchWord::Universal) | AssetArch::None => match &self.archless {
                Archless::OnlyKind => (ArchMatch::Exact(host.arch), ArchFit::NoArch),
                Archless::X86_64(_) if host.arch == crate::platform::Arch::X86_64 => {
                    (ArchMatch::Exact(host.arch), ArchFit::NoArch)
                }
                Archless::X86_64(others) => {
                    return Err(format!(
                        "names no architecture; the other {os} builds name only {others}, so \
                         it is read as the {os} x86_64 build, taken on x86_64 hosts only",
                        os = host.os.as_str()
                    ));
                }
                Archless::Unknown => {
                    return Err(format!(
                        "names no architecture, while other {} builds do",
                        host.os.as_str()
                    ));
                }
            },
        };
        let glibc_twin = self.glibc_twin.get(i).copied().flatten();
        let libc = match glibc_twin {
            Some(_) => LibcPreference::Gnu,
            None => libc_class(p.libc, host.os),
        };
        let mut arch_fits = false;
        for (step_index, step) in self.steps.iter().enumerate() {
            if step.os != host.os || step.arch != arch {
                continue;
            }
            arch_fits = true;
            if step.libc == LibcPreference::Any || step.libc == libc {
                return Ok(Fit {
                    index: i,
                    rank: (sub, step_index),
                    step: *step,
                    glibc_twin,
                });
            }
        }
        if arch_fits {
            let host_libc = match host.libc {
                Some(crate::platform::Libc::Musl) => "musl",
                _ => "gnu",
            };
            Err(match glibc_twin {
                Some(twin) => format!(
                    "names no libc, but its musl twin `{}` marks it as the inferred glibc \
                     build; a {host_libc} host cannot run it",
                    self.name(twin)
                ),
                None => format!(
                    "{} build; a {host_libc} host cannot run it",
                    libc_label(libc, host.os)
                ),
            })
        } else {
            let label = match arch {
                ArchMatch::Exact(a) => a.as_str(),
                ArchMatch::Universal => "universal",
            };
            Err(arch_mismatch(label, host))
        }
    }

    /// Settles the fitting assets: best rank, then plain over twins, then format. With
    /// `final_say`, the losers' reasons compare them with the winner.
    fn choose(&mut self, fits: Vec<Fit>, final_say: bool) -> Outcome {
        let Some(best) = fits.iter().map(|f| f.rank).min() else {
            return Outcome::Nothing;
        };
        let (mut top, lower): (Vec<Fit>, Vec<Fit>) = fits.into_iter().partition(|f| f.rank == best);

        // Plain builds beat debug twins, then builds with extra words (`baseline`, `full`).
        let mut twins: Vec<(usize, String)> = Vec::new();
        if top.iter().any(|f| !self.parsed[f.index].debug) {
            top.retain(|f| {
                let keep = !self.parsed[f.index].debug;
                if !keep {
                    twins.push((f.index, "debug build".to_string()));
                }
                keep
            });
        }
        if top.iter().any(|f| self.parsed[f.index].extras.is_empty()) {
            top.retain(|f| {
                let p = &self.parsed[f.index];
                let keep = p.extras.is_empty();
                if !keep {
                    let words: Vec<&str> = p.extra_words().collect();
                    twins.push((f.index, format!("variant build (`{}`)", words.join(" "))));
                }
                keep
            });
        }

        // The same build in several formats: the format ranking decides.
        let mut groups: Vec<Vec<Fit>> = Vec::new();
        for f in top {
            let parsed = &self.parsed;
            match groups
                .iter_mut()
                .find(|g| parsed[g[0].index].same_build(&parsed[f.index]))
            {
                Some(g) => g.push(f),
                None => groups.push(vec![f]),
            }
        }
        let mut finalists: Vec<Fit> = Vec::new();
        let mut format_losers: Vec<(usize, Format, usize)> = Vec::new();
        for group in groups {
            let best_format = group
                .iter()
                .map(|f| self.format(f.index))
                .min()
                .unwrap_or(Format::Bare);
            let winners: Vec<&Fit> = group
                .iter()
                .filter(|f| self.format(f.index) == best_format)
                .collect();
            let first = winners[0].index;
            for f in &group {
                if self.format(f.index) != best_format {
                    format_losers.push((f.index, self.format(f.index), first));
                }
            }
            finalists.extend(winners.into_iter().copied());
        }

        // One build published under two spellings (jq's `jq-linux64` and `jq-linux-amd64`):
        // the spelling the rest of the release uses wins; the odd one out is the alias.
        if finalists.len() > 1 && self.all_read_alike(&finalists) {
            let scores: Vec<usize> = finalists
                .iter()
                .map(|f| self.spelling_support(f.index))
                .collect();
            let best_score = scores.iter().copied().max().unwrap_or(0);
            if scores.iter().filter(|&&s| s == best_score).count() == 1 {
                let keep = finalists[scores.iter().position(|&s| s == best_score).unwrap_or(0)];
                for f in &finalists {
                    if f.index != keep.index {
                        self.reasons[f.index] = Some(format!(
                            "same build as `{}` under another spelling; the release's other \
                             assets spell their platform words like `{}`",
                            self.name(keep.index),
                            self.name(keep.index)
                        ));
                    }
                }
                finalists = vec![keep];
            }
        }

        for (i, format, winner) in &format_losers {
            let reason = format!(
                "same build as `{}`; {} is preferred over {}",
                self.name(*winner),
                self.format(*winner).label(),
                format.label()
            );
            self.reasons[*i] = Some(reason);
        }

        if finalists.len() == 1 {
            let winner = finalists[0];
            for (i, what) in twins {
                self.reasons[i] = Some(format!(
                    "{what}; the plain build `{}` is preferred",
                    self.name(winner.index)
                ));
            }
            let best_desc = self.describe(&winner);
            for f in lower {
                let reason = if final_say {
                    format!(
                        "{}; the {best_desc} `{}` is preferred on {} (lower tier)",
                        self.describe(&f),
                        self.name(winner.index),
                        self.platform
                    )
                } else {
                    format!("{}; lower tier", self.describe(&f))
                };
                self.reasons[f.index] = Some(reason);
            }
            return Outcome::Chosen(winner);
        }

        for (i, what) in twins {
            self.reasons[i] = Some(format!("{what}; plain builds are preferred"));
        }
        for f in lower {
            self.reasons[f.index] = Some(format!(
                "{}; lower tier than the tied candidates",
                self.describe(&f)
            ));
        }
        let tied: Vec<usize> = finalists.iter().map(|f| f.index).collect();
        for f in &finalists {
            let others: Vec<&str> = tied
                .iter()
                .filter(|&&j| j != f.index)
                .map(|&j| self.name(j))
                .collect();
            self.reasons[f.index] = Some(format!(
                "{}; ties with `{}`: different builds, no rule prefers one",
                self.describe(f),
                others.join("`, `")
            ));
        }
        Outcome::Tied(tied)
    }

    /// The fits name the same tool, OS, architecture and libc, in the same format, with no
    /// extra words: nothing but spelling tells them apart.
    fn all_read_alike(&self, fits: &[Fit]) -> bool {
        let first = &self.parsed[fits[0].index];
        fits.iter().all(|f| {
            let p = &self.parsed[f.index];
            p.same_name(first)
                && p.os == first.os
                && p.arch == first.arch
                && p.libc == first.libc
                && p.extras.is_empty()
                && first.extras.is_empty()
                && self.format(f.index) == self.format(fits[0].index)
        })
    }

    /// How many other assets of the release use each of this asset's platform words.
    fn spelling_support(&self, i: usize) -> usize {
        let p = &self.parsed[i];
        p.platform_words()
            .map(|word| {
                self.parsed
                    .iter()
                    .enumerate()
                    .filter(|&(j, other)| j != i && other.platform_words().any(|w| w == word))
                    .count()
            })
            .sum()
    }

    fn format(&self, i: usize) -> Format {
        match self.parsed[i].kind {
            FileKind::Installable(f) => f,
            FileKind::Refused(_) => Format::Bare,
        }
    }

    /// A short description of the kind of build a fit is, e.g. `x86_64 musl/static build`.
    fn describe(&self, f: &Fit) -> String {
        let arch = match f.step.arch {
            ArchMatch::Exact(a) => a.as_str(),
            ArchMatch::Universal => "universal",
        };
        match f.rank.0 {
            ArchFit::Platformless => {
                return "file naming no platform, named by the filter".to_string();
            }
            ArchFit::NoArch => {
                return match self.archless {
                    Archless::X86_64(_) => "x86_64 build (inferred)".to_string(),
                    _ => format!("{} build naming no architecture", self.platform.os.as_str()),
                };
            }
            ArchFit::OlderArm => return "generic 32-bit arm build".to_string(),
            ArchFit::Armv6 => {
                let libc = match f.step.libc {
                    LibcPreference::Gnu | LibcPreference::MuslOrStatic => {
                        format!("{} ", libc_label(f.step.libc, self.platform.os))
                    }
                    _ => String::new(),
                };
                return format!("armv6 {libc}build; runs on armv7");
            }
            ArchFit::Native => {}
        }
        if let Some(emulation) = f.step.emulation {
            return format!("{arch} build under {emulation}");
        }
        match (f.step.arch, f.step.libc) {
            (ArchMatch::Universal, _) => "universal build".to_string(),
            (_, LibcPreference::Any) => format!("native {arch} build"),
            (_, LibcPreference::Unspecified) => format!("{arch} build naming no libc"),
            (_, LibcPreference::Gnu) if f.glibc_twin.is_some() => {
                format!("{arch} glibc build (inferred)")
            }
            (_, libc) => format!("{arch} {}", libc_label(libc, self.platform.os)) + " build",
        }
    }

    fn selection(&mut self, fit: Fit) -> Selection {
        Selection {
            index: fit.index,
            emulation: fit.step.emulation,
            verdicts: self.verdicts(Some(fit)),
        }
    }

    /// The verdicts, moving the reasons out: called once, at the end.
    fn verdicts(&mut self, winner: Option<Fit>) -> Vec<Verdict> {
        if let Some(w) = winner {
            self.reasons[w.index] = Some(self.winner_reason(&w));
        }
        let reasons = std::mem::take(&mut self.reasons);
        self.assets
            .iter()
            .zip(reasons)
            .enumerate()
            .map(|(i, (a, reason))| Verdict {
                asset: a.name.clone(),
                accepted: winner.is_some_and(|w| w.index == i),
                reason: reason.unwrap_or_else(|| "not considered".to_string()),
            })
            .collect()
    }

    fn winner_reason(&self, w: &Fit) -> String {
        let mut reason = if w.rank.0 == ArchFit::Armv6 {
            // "armv6 build; runs on armv7" already reads as a sentence.
            format!(
                "chosen: {}; the best this release offers for {}",
                self.describe(w),
                self.platform
            )
        } else {
            format!("chosen: {} for {}", self.describe(w), self.platform)
        };
        if w.rank != (ArchFit::Native, 0) && w.rank.0 != ArchFit::Armv6 {
            reason.push_str(" (the best this release offers)");
        }
        if let (ArchFit::NoArch, Archless::X86_64(others)) = (w.rank.0, &self.archless) {
            let _ = write!(
                reason,
                "; it names no architecture, but the other {os} builds name only {others}, so \
                 it is the {os} x86_64 build",
                os = self.platform.os.as_str()
            );
        }
        if let Some(twin) = w.glibc_twin {
            let _ = write!(
                reason,
                "; it names no libc, but its musl twin `{}` marks it as the glibc build",
                self.name(twin)
            );
        }
        let same_build = self
            .reasons
            .iter()
            .flatten()
            .filter(|r| r.starts_with("same build as `") && r.contains(&self.assets[w.index].name))
            .count();
        if same_build > 0 {
            let _ = write!(
                reason,
                "; {} preferred over the same build in {same_build} other format{}",
                self.format(w.index).label(),
                if same_build > 1 { "s" } else { "" }
            );
        }
        reason
    }

    fn ambiguous(&mut self, tied: Vec<usize>) -> SelectError {
        let names: Vec<&str> = tied.iter().map(|&i| self.name(i)).collect();
        let options: Vec<String> = tied
            .iter()
            .map(|&i| format!("[matching={}]", self.distinguishing(i, &names)))
            .collect();
        let candidates = names.iter().map(std::string::ToString::to_string).collect();
        SelectError::Ambiguous {
            platform: self.platform,
            candidates,
            hint: options
                .iter()
                .map(|o| crate::text::shown(o))
                .collect::<Vec<_>>()
                .join(" or "),
            verdicts: self.verdicts(None),
        }
    }

    /// The shortest word of asset `i` (with its leading separator) found in no other
    /// candidate's name; the whole name when there is none.
    fn distinguishing(&self, i: usize, names: &[&str]) -> String {
        let name = self.name(i);
        let mut best: Option<&str> = None;
        for w in &self.parsed[i].words {
            let start = if w.start > 0 { w.start - 1 } else { w.start };
            let piece = &name[start..w.end];
            let unique = names
                .iter()
                .all(|other| *other == name || !other.contains(piece));
            if unique && best.is_none_or(|b| piece.len() < b.len()) {
                best = Some(piece);
            }
        }
        best.unwrap_or(name).to_string()
    }

    fn no_match(&mut self, family: Option<&[String]>) -> SelectError {
        let mut offered: Vec<String> = Vec::new();
        for (i, p) in self.parsed.iter().enumerate() {
            if !self.eligible[i] {
                continue;
            }
            if let Some(words) = family
                && p.name_len > 0
                && !p.name_words().eq(words.iter().map(String::as_str))
            {
                continue;
            }
            if let Some(label) = platform_label(p)
                && !offered.contains(&label)
            {
                offered.push(label);
            }
        }
        SelectError::NoMatch {
            platform: self.platform,
            verdicts: self.verdicts(None),
            offered,
        }
    }
}

fn refusal_reason(r: Refusal, name: &str) -> String {
    match r {
        Refusal::Checksum => "checksum file".to_string(),
        Refusal::Signature(kind) => format!("signature ({kind})"),
        Refusal::Provenance => "provenance attestation".to_string(),
        Refusal::Sbom => "software bill of materials (SBOM)".to_string(),
        Refusal::Metadata(ext) => format!("text or metadata file ({ext})"),
        Refusal::Package(ext) => format!("OS package ({ext}); toolget installs executables"),
        Refusal::Runtime(ext) => format!(
            "platform-independent {ext} needs a language runtime; toolget installs native \
             executables"
        ),
        Refusal::Symbols => "debug symbols, not an executable".to_string(),
        Refusal::Script(ext) => format!("script ({ext}), not a build"),
        Refusal::Unextractable(ext) => format!("{ext} archive: toolget cannot extract it"),
        Refusal::UnknownExtension => {
            let ext = name.rsplit('.').next().unwrap_or(name);
            format!("unknown file type `.{ext}`")
        }
        Refusal::Source => "source archive".to_string(),
    }
}

fn arch_mismatch(asset_arch: &str, host: Platform) -> String {
    let thirty_two = matches!(asset_arch, "i686" | "armv7" | "armv6" | "32-bit arm");
    let host_64 = !matches!(
        host.arch,
        crate::platform::Arch::I686 | crate::platform::Arch::Armv7
    );
    if thirty_two && host_64 {
        format!(
            "32-bit {asset_arch} build; toolget never installs a 32-bit build on a 64-bit {} host",
            host.arch.as_str()
        )
        .replace("32-bit 32-bit", "32-bit")
    } else {
        format!("for {asset_arch}, not {}", host.arch.as_str())
    }
}

/// The fallback libc class of an asset's libc word on an OS.
fn libc_class(word: Option<LibcWord>, os: Os) -> LibcPreference {
    match (os, word) {
        (Os::Linux, Some(LibcWord::Gnu)) => LibcPreference::Gnu,
        (Os::Linux, Some(LibcWord::Musl | LibcWord::Static)) => LibcPreference::MuslOrStatic,
        (Os::Windows, Some(LibcWord::Gnu)) => LibcPreference::Gnu,
        (Os::Windows, Some(LibcWord::Msvc)) => LibcPreference::Msvc,
        (Os::Linux | Os::Windows, _) => LibcPreference::Unspecified,
        (Os::Macos | Os::Freebsd, _) => LibcPreference::Any,
    }
}

fn libc_label(libc: LibcPreference, os: Os) -> &'static str {
    match libc {
        LibcPreference::Gnu if os == Os::Windows => "mingw (gnu)",
        LibcPreference::Gnu => "gnu",
        LibcPreference::MuslOrStatic => "musl/static",
        LibcPreference::Msvc => "msvc",
        LibcPreference::Unspecified => "no-libc-named",
        LibcPreference::Any => "native",
    }
}

/// `linux-x86_64-musl`, `macos-universal`, `netbsd-x86_64`: what an asset serves.
fn platform_label(p: &Parsed) -> Option<String> {
    let os = match p.os {
        AssetOs::Is(OsWord::Known(o)) => o.as_str(),
        AssetOs::Is(OsWord::Other(o)) => o,
        AssetOs::None | AssetOs::Several => return None,
    };
    let arch = match p.arch {
        AssetArch::Is(ArchWord::Named(a)) => a.as_str(),
        AssetArch::Is(ArchWord::OlderArm) => "arm",
        AssetArch::Is(ArchWord::Armv6) => "armv6",
        AssetArch::Is(ArchWord::Universal) => "universal",
        AssetArch::Is(ArchWord::Other(a)) => a,
        AssetArch::None => return Some(os.to_string()),
        AssetArch::Several => return None,
    };
    let libc = match (p.os, p.libc) {
        (AssetOs::Is(OsWord::Known(Os::Linux)), Some(LibcWord::Gnu)) => "-gnu",
        (AssetOs::Is(OsWord::Known(Os::Linux)), Some(LibcWord::Musl)) => "-musl",
        (AssetOs::Is(OsWord::Known(Os::Linux)), Some(LibcWord::Static)) => "-static",
        _ => "",
    };
    Some(format!("{os}-{arch}{libc}"))
}

#[cfg(test)]
mod tests;

/// The name an asset carries: its words before the version and platform words, as spelled
/// (`gh` for `gh_2.40.0_linux_amd64.tar.gz`). `None` when the name is only platform words.
pub fn name_family(asset_name: &str) -> Option<String> {
    let parsed = Parsed::read(asset_name, &[], &mut String::new());
    let name = parsed.name_display(asset_name);
    (!name.is_empty()).then(|| name.to_string())
}

/// Whether `file_name` is `wanted` plus extra name words (`sccache-dist` for `sccache`): the
/// decoy shape the name rule rejects among assets, applied to files inside an archive.
/// Platform and version words do not count (`tool_linux_amd64` is still `tool`).
pub fn has_extra_words(file_name: &str, wanted: &str) -> bool {
    let wanted_words = asset::wanted_words(wanted);
    let parsed = Parsed::read(file_name, &wanted_words, &mut String::new());
    let words: Vec<&str> = parsed.name_words().collect();
    words.len() > wanted_words.len()
        && words
            .iter()
            .zip(&wanted_words)
            .all(|(a, b)| *a == b.as_str())
}
