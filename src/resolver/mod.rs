//! The selection engine: given a release's assets, a platform and the user's criteria, pick
//! exactly one asset — or say, for every asset, why not.
//!
//! Pure: no network, no disk, no environment. Four stages, each with its own types and tests
//! (docs/resolution.md states the rules):
//! 1. `asset` reads each name on its own: file kind, tool name, version, OS, architecture,
//!    libc, build qualifiers (glibc requirement, CPU level) and extra words;
//! 2. `release` reads the release as a whole: what a name leaves out is inferred from the
//!    other assets, with the evidence;
//! 3. `rank` ranks each asset against the platform's fallbacks (ARM generations, libc, glibc
//!    version, CPU level);
//! 4. `choose` picks the best, preferring plain builds over variants and settling packagings,
//!    or refuses with a tie.
//!
//! Around them, this file applies the user's filters, the file-kind refusals and the name rule
//! (the wanted tool, `<tool>-cli`, never `lib<tool>`), and turns the outcome into typed
//! [`Verdict`]s. Must not touch: HTTP, the filesystem, `std::env`. Regexes and globs are
//! compiled when the [`Criteria`] is built, never inside [`select`].

mod asset;
mod choose;
mod criteria;
mod rank;
mod release;
mod verdict;

pub use criteria::{Criteria, CriteriaError};
pub use verdict::{Evidence, Fact, FileRefusal, FilterOption, Inference, Reason, Verdict, Warning};

use crate::error::{Diagnostic, ErrorKind};
use crate::platform::{Os, Platform};
use crate::release::Asset;
use asset::{ArchWord, AssetOs, FileKind, LibcWord, OsWord, Parsed};
use choose::{Chooser, Outcome};
use rank::{ArchFit, Fit, Ranker};
use release::{ArchReading, Reading};

/// The chosen asset, and why every asset was or was not chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Index into the `assets` slice given to [`select`].
    pub index: usize,
    /// `Some("Rosetta 2")` / `Some("x64 emulation")` when the build runs only emulated.
    pub emulation: Option<&'static str>,
    /// One per asset, in release order.
    pub verdicts: Vec<Verdict>,
    /// What the release told about names that leave something out.
    pub inferred: Vec<Inference>,
    /// Things the user should know (a registry hint that matched nothing, …).
    pub warnings: Vec<Warning>,
}

/// No single asset could be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    #[error("{}", no_match_message(platform, offered))]
    NoMatch {
        platform: Platform,
        verdicts: Vec<Verdict>,
        /// Platforms the release does serve, e.g. `linux-x86_64-musl`, sorted.
        offered: Vec<String>,
        inferred: Vec<Inference>,
        /// Every asset was excluded by a filter option.
        filtered: bool,
        /// The release ships several tools, none of them the wanted one (sorted).
        tools: Vec<String>,
    },
    #[error(
        "{} fit {platform} equally well: {}",
        if *several_tools { "several tools of this release".to_string() } else { format!("{} assets", candidates.len()) },
        quoted(candidates)
    )]
    Ambiguous {
        platform: Platform,
        /// The tied assets, sorted by name.
        candidates: Vec<String>,
        /// The option(s) that would separate them, e.g. `[matching=-msvc]`, sorted.
        hint: String,
        verdicts: Vec<Verdict>,
        inferred: Vec<Inference>,
        /// The candidates are different tools; the hint is `[exe=…]`.
        several_tools: bool,
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

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{}`", crate::text::untrusted(n)))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Diagnostic for SelectError {
    /// [`ErrorKind::NoMatch`] or [`ErrorKind::Ambiguous`].
    fn kind(&self) -> ErrorKind {
        match self {
            SelectError::NoMatch { .. } => ErrorKind::NoMatch,
            SelectError::Ambiguous { .. } => ErrorKind::Ambiguous,
        }
    }

    /// What the user should do.
    fn hint(&self) -> Option<String> {
        Some(match self {
            SelectError::Ambiguous { hint, .. } => format!("choose one with {hint}"),
            SelectError::NoMatch {
                platform,
                offered,
                filtered,
                tools,
                ..
            } => {
                if *filtered {
                    "the filter excluded every asset; check its spelling ([matching=…] is a \
                     case-sensitive substring)"
                        .to_string()
                } else if !tools.is_empty() {
                    format!(
                        "this release ships several tools ({}); say which one with {}",
                        tools.join(", "),
                        exe_options(tools)
                    )
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
        })
    }
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

    /// What the release told about names that leave something out.
    pub fn inferred(&self) -> &[Inference] {
        match self {
            SelectError::NoMatch { inferred, .. } | SelectError::Ambiguous { inferred, .. } => {
                inferred
            }
        }
    }
}

fn exe_options(tools: &[String]) -> String {
    tools
        .iter()
        .map(|t| crate::text::shown(&format!("[exe={t}]")))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Picks the one asset of `assets` to install on `platform`.
pub fn select(
    assets: &[Asset],
    platform: &Platform,
    criteria: &Criteria,
) -> Result<Selection, SelectError> {
    let first = select_with(assets, platform, criteria);
    // A registry hint that excludes every asset (old releases often use other names) must
    // never do worse than the engine alone: choose without it, and say so.
    if let (Err(SelectError::NoMatch { filtered: true, .. }), Some(entry)) =
        (&first, &criteria.registry_entry)
    {
        let warning = Warning::RegistryHintIgnored {
            entry: entry.clone(),
        };
        return match select_with(assets, platform, &criteria.without_filters()) {
            Ok(mut selection) => {
                selection.warnings.push(warning);
                Ok(selection)
            }
            Err(e) => Err(e),
        };
    }
    first
}

fn select_with(
    assets: &[Asset],
    platform: &Platform,
    criteria: &Criteria,
) -> Result<Selection, SelectError> {
    let mut scratch = String::new();
    let parsed: Vec<Parsed> = assets
        .iter()
        .map(|a| Parsed::read(&a.name, &criteria.wanted, &mut scratch))
        .collect();
    let readings = release::read_release(assets, &parsed);
    let steps = platform.fallbacks();
    let mut engine = Engine {
        assets,
        parsed,
        readings,
        platform: *platform,
        steps,
        host: criteria.host.filter(|h| h.platform == *platform),
        reasons: vec![None; assets.len()],
        eligible: vec![false; assets.len()],
        platformless_ok: false,
    };
    engine.run(criteria)
}

struct Engine<'a> {
    assets: &'a [Asset],
    parsed: Vec<Parsed>,
    readings: Vec<Reading>,
    platform: Platform,
    steps: Vec<crate::platform::Fallback>,
    host: Option<crate::platform::HostFacts>,
    /// `None` while an asset is still in play.
    reasons: Vec<Option<Reason>>,
    /// Passed the filters and the file-kind rules (used for `offered`).
    eligible: Vec<bool>,
    /// A filter named files that name no platform, and nothing else: take them as they are.
    platformless_ok: bool,
}

/// The tool a release is resolved for, by the name rule.
enum NameRule {
    /// These name words (and how to spell them in a hint).
    Tool(Vec<String>),
    /// No asset carries a name.
    Unnamed,
    /// Several names, none wanted (sorted families: words, display).
    Several(Vec<(Vec<String>, String)>),
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

    fn ranker(&self) -> Ranker<'_> {
        Ranker {
            platform: self.platform,
            steps: &self.steps,
            host: self.host.as_ref(),
            platformless_ok: self.platformless_ok,
        }
    }

    fn run(&mut self, criteria: &Criteria) -> Result<Selection, SelectError> {
        self.filter(criteria);
        self.refuse_files(criteria);
        self.require_platform_words(criteria);
        match self.name_rule(criteria) {
            NameRule::Tool(words) => {
                self.apply_name_rule(&words, criteria);
                let members = self.in_play();
                match self.rank_and_choose(&members) {
                    Outcome::Chosen(fit) => Ok(self.selection(fit)),
                    Outcome::Tied(tied) => Err(self.ambiguous(tied)),
                    Outcome::Nothing => Err(self.no_match(Some(&words), Vec::new())),
                }
            }
            NameRule::Unnamed => {
                let members = self.in_play();
                match self.rank_and_choose(&members) {
                    Outcome::Chosen(fit) => Ok(self.selection(fit)),
                    Outcome::Tied(tied) => Err(self.ambiguous(tied)),
                    Outcome::Nothing => Err(self.no_match(None, Vec::new())),
                }
            }
            NameRule::Several(families) => self.several_tools(&families, criteria),
        }
    }

    fn filter(&mut self, criteria: &Criteria) {
        for (i, asset) in self.assets.iter().enumerate() {
            if let Some((option, value)) = criteria.excludes(&asset.name) {
                self.reasons[i] = Some(Reason::Filtered { option, value });
            }
        }
    }

    fn refuse_files(&mut self, criteria: &Criteria) {
        for i in self.in_play() {
            let reason = match self.parsed[i].kind {
                FileKind::Refused(r) => Reason::File(r),
                FileKind::Installable(f) if criteria.archives_only && !f.is_archive() => {
                    Reason::NotAnArchive { format: f.label() }
                }
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
        let any_named = play.iter().any(|&i| self.readings[i].names_platform());
        if !any_named && criteria.has_filter() {
            self.platformless_ok = true;
            return;
        }
        for i in play {
            if !self.readings[i].names_platform() {
                self.reasons[i] = Some(Reason::NoPlatform {
                    others_do: any_named,
                });
                self.eligible[i] = false;
            }
        }
    }

    /// The distinct tool names in play, sorted, each with its spelling for hints: the
    /// lowercase spelling when an asset uses it, else the first in name order.
    fn families(&self) -> Vec<(Vec<String>, String)> {
        let mut out: Vec<(Vec<String>, String)> = Vec::new();
        for i in self.in_play() {
            let p = &self.parsed[i];
            if p.name_len == 0 {
                continue;
            }
            let words: Vec<String> = p.name_words().map(str::to_string).collect();
            let shown = p.name_display(self.name(i)).to_string();
            match out.iter_mut().find(|(w, _)| *w == words) {
                Some((_, display)) => {
                    let better = (shown.chars().any(|c| c.is_ascii_uppercase()), &shown)
                        < (display.chars().any(|c| c.is_ascii_uppercase()), &*display);
                    if better {
                        *display = shown;
                    }
                }
                None => out.push((words, shown)),
            }
        }
        out.sort();
        out
    }

    fn name_rule(&mut self, criteria: &Criteria) -> NameRule {
        let wanted = &criteria.wanted;
        let mut families = self.families();
        // `lib<tool>` is a library of the tool, never the tool.
        if !wanted.is_empty() {
            let library = |words: &[String]| {
                (words.len() == wanted.len() + 1 && words[0] == "lib" && words[1..] == wanted[..])
                    || (words.len() == wanted.len()
                        && words[0] == format!("lib{}", wanted[0])
                        && words[1..] == wanted[1..])
            };
            for i in self.in_play() {
                let words: Vec<String> = self.parsed[i].name_words().map(str::to_string).collect();
                if self.parsed[i].name_len > 0 && library(&words) {
                    self.reasons[i] = Some(Reason::Library {
                        name: self.parsed[i].name_display(self.name(i)).to_string(),
                        wanted: criteria.wanted_display.clone(),
                    });
                    self.eligible[i] = false;
                }
            }
            families.retain(|(words, _)| !library(words));
        }
        if !wanted.is_empty() && families.iter().any(|(w, _)| w == wanted) {
            return NameRule::Tool(wanted.clone());
        }
        // `<tool>-cli` is the command-line build of `<tool>`.
        let mut cli = wanted.clone();
        cli.push("cli".to_string());
        if !wanted.is_empty() && families.iter().any(|(w, _)| *w == cli) {
            return NameRule::Tool(cli);
        }
        match families.len() {
            0 => NameRule::Unnamed,
            1 => NameRule::Tool(families.remove(0).0),
            _ => NameRule::Several(families),
        }
    }

    fn apply_name_rule(&mut self, words: &[String], criteria: &Criteria) {
        let display = if *words == criteria.wanted {
            criteria.wanted_display.clone()
        } else {
            words.join("-")
        };
        for i in self.in_play() {
            let p = &self.parsed[i];
            if p.name_len == 0 || p.name_words().eq(words.iter().map(String::as_str)) {
                continue;
            }
            let name = p.name_display(self.name(i)).to_string();
            let reason = if p.name_len > words.len()
                && p.name_words()
                    .take(words.len())
                    .eq(words.iter().map(String::as_str))
            {
                let extra: Vec<&str> = p.name_words().skip(words.len()).collect();
                Reason::ExtraWords {
                    name,
                    extra: extra.join(" "),
                    wanted: display.clone(),
                }
            } else {
                Reason::OtherTool {
                    name,
                    wanted: display.clone(),
                }
            };
            self.reasons[i] = Some(reason);
            self.eligible[i] = false;
        }
    }

    /// Ranks `members` against the platform (recording why the others do not run here) and
    /// chooses among those that do.
    fn rank_and_choose(&mut self, members: &[usize]) -> Outcome {
        let mut reasons = std::mem::take(&mut self.reasons);
        let ranker = self.ranker();
        let mut fits: Vec<Fit> = Vec::new();
        let mut rejected: Vec<(usize, Reason)> = Vec::new();
        for &i in members {
            match ranker.fit(i, &self.parsed[i], &self.readings[i]) {
                Ok(fit) => fits.push(fit),
                Err(reason) => rejected.push((i, reason)),
            }
        }
        let chooser = Chooser {
            assets: self.assets,
            parsed: &self.parsed,
            readings: &self.readings,
            ranker: &ranker,
        };
        for (i, reason) in rejected {
            reasons[i] = Some(reason);
        }
        let outcome = chooser.choose(fits, &mut reasons);
        self.reasons = reasons;
        outcome
    }

    /// No wanted name in the release and several names: which tool is meant is not ours to
    /// guess, on any platform.
    fn several_tools(
        &mut self,
        families: &[(Vec<String>, String)],
        criteria: &Criteria,
    ) -> Result<Selection, SelectError> {
        let tools: Vec<String> = families.iter().map(|(_, d)| d.clone()).collect();
        let why = Reason::SeveralTools {
            tools: tools.clone(),
            wanted: (!criteria.wanted_display.is_empty()).then(|| criteria.wanted_display.clone()),
        };
        let mut candidates: Vec<usize> = Vec::new();
        let mut serving: Vec<String> = Vec::new();
        let saved = self.reasons.clone();
        for (words, display) in families {
            let members: Vec<usize> = self
                .in_play()
                .into_iter()
                .filter(|&i| {
                    self.parsed[i]
                        .name_words()
                        .eq(words.iter().map(String::as_str))
                })
                .collect();
            let found = match self.rank_and_choose(&members) {
                Outcome::Chosen(fit) => vec![fit.index],
                Outcome::Tied(tied) => tied,
                Outcome::Nothing => Vec::new(),
            };
            if !found.is_empty() {
                serving.push(display.clone());
            }
            candidates.extend(found);
        }
        // Every asset still in play before the probe gets the same reason.
        let mut reasons = saved;
        for reason in reasons.iter_mut().filter(|r| r.is_none()) {
            *reason = Some(why.clone());
        }
        self.reasons = reasons;
        if candidates.is_empty() {
            return Err(self.no_match(None, tools));
        }
        let mut candidates: Vec<String> = candidates
            .iter()
            .map(|&i| self.name(i).to_string())
            .collect();
        candidates.sort();
        Err(SelectError::Ambiguous {
            platform: self.platform,
            candidates,
            inferred: self.inferred(),
            hint: exe_options(&serving),
            verdicts: self.verdicts(None),
            several_tools: true,
        })
    }

    fn selection(&mut self, fit: Fit) -> Selection {
        let inferred = self.inferred();
        Selection {
            index: fit.index,
            emulation: fit.step.emulation,
            verdicts: self.verdicts(Some(fit)),
            inferred,
            warnings: Vec::new(),
        }
    }

    /// Every inference about an asset that passed the filters and file-kind rules.
    fn inferred(&self) -> Vec<Inference> {
        let mut out = Vec::new();
        for (i, r) in self.readings.iter().enumerate() {
            if !matches!(self.parsed[i].kind, FileKind::Installable(_))
                || matches!(self.reasons.get(i), Some(Some(Reason::Filtered { .. })))
            {
                continue;
            }
            for (fact, evidence) in &r.inferred {
                out.push(Inference {
                    asset: self.name(i).to_string(),
                    fact: *fact,
                    evidence: evidence.clone(),
                });
            }
        }
        out
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
                reason: reason.unwrap_or(Reason::NotConsidered),
            })
            .collect()
    }

    fn winner_reason(&self, w: &Fit) -> Reason {
        let ranker = self.ranker();
        let build = ranker.describe(w, &self.readings[w.index]);
        let fallback = w.rank != (ArchFit::Native, 0);
        let mut notes: Vec<String> = self.readings[w.index]
            .inferred
            .iter()
            .map(|(fact, evidence)| format!("inferred: {fact}, because {evidence}"))
            .collect();
        let winner = self.name(w.index);
        let same_build = self
            .reasons
            .iter()
            .flatten()
            .filter(|r| matches!(r, Reason::Packaging { winner: n, .. } if n == winner))
            .count();
        if same_build > 0 {
            let format = match self.parsed[w.index].kind {
                FileKind::Installable(f) => f.label(),
                FileKind::Refused(_) => "",
            };
            notes.push(format!(
                "{format} preferred over the same build in {same_build} other format{}",
                if same_build > 1 { "s" } else { "" }
            ));
        }
        Reason::Chosen {
            build,
            platform: self.platform.to_string(),
            fallback,
            notes,
        }
    }

    fn ambiguous(&mut self, tied: Vec<usize>) -> SelectError {
        let mut names: Vec<&str> = tied.iter().map(|&i| self.name(i)).collect();
        names.sort_unstable();
        let mut options: Vec<String> = names
            .iter()
            .map(|name| {
                let i = tied
                    .iter()
                    .copied()
                    .find(|&i| self.name(i) == *name)
                    .unwrap_or(tied[0]);
                format!("[matching={}]", self.distinguishing(i, &names))
            })
            .collect();
        options.sort();
        options.dedup();
        let candidates = names.iter().map(std::string::ToString::to_string).collect();
        SelectError::Ambiguous {
            platform: self.platform,
            candidates,
            hint: options
                .iter()
                .map(|o| crate::text::shown(o))
                .collect::<Vec<_>>()
                .join(" or "),
            inferred: self.inferred(),
            verdicts: self.verdicts(None),
            several_tools: false,
        }
    }

    /// The shortest word of asset `i` (with its leading separator) found in no other
    /// candidate's name, the first in name order among equals; the whole name when none.
    fn distinguishing(&self, i: usize, names: &[&str]) -> String {
        let name = self.name(i);
        let mut best: Option<&str> = None;
        for w in &self.parsed[i].words {
            let start = if w.start > 0 { w.start - 1 } else { w.start };
            let piece = &name[start..w.end];
            let unique = names
                .iter()
                .all(|other| *other == name || !other.contains(piece));
            if unique && best.is_none_or(|b| (piece.len(), piece) < (b.len(), b)) {
                best = Some(piece);
            }
        }
        best.unwrap_or(name).to_string()
    }

    fn no_match(&mut self, family: Option<&[String]>, tools: Vec<String>) -> SelectError {
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
            if let Some(label) = platform_label(p, &self.readings[i])
                && !offered.contains(&label)
            {
                offered.push(label);
            }
        }
        offered.sort();
        let filtered = !self.reasons.is_empty()
            && self
                .reasons
                .iter()
                .all(|r| matches!(r, Some(Reason::Filtered { .. })));
        SelectError::NoMatch {
            platform: self.platform,
            inferred: self.inferred(),
            verdicts: self.verdicts(None),
            offered,
            filtered,
            tools,
        }
    }
}

/// `linux-x86_64-musl`, `macos-universal`, `netbsd-x86_64`: what an asset serves.
fn platform_label(p: &Parsed, r: &Reading) -> Option<String> {
    let os = match r.os {
        AssetOs::Is(OsWord::Known(o)) => o.as_str(),
        AssetOs::Is(OsWord::Other(o)) => o,
        AssetOs::None | AssetOs::Several => return None,
    };
    let arch = match r.arch {
        ArchReading::Named(ArchWord::Named(a)) | ArchReading::Inferred(a) => a.as_str(),
        ArchReading::Named(ArchWord::OlderArm) => "arm",
        ArchReading::Named(ArchWord::Armv6) => "armv6",
        ArchReading::Named(ArchWord::Armhf) => "armhf",
        ArchReading::Named(ArchWord::Universal) => "universal",
        ArchReading::Named(ArchWord::Other(a)) => a,
        ArchReading::OnlyBuild | ArchReading::None => return Some(os.to_string()),
        ArchReading::Unknown | ArchReading::Several => return None,
    };
    let linux = r.os == AssetOs::Is(OsWord::Known(Os::Linux));
    let libc = match r.libc {
        _ if !linux => "",
        Some(LibcWord::Gnu) => "-gnu",
        Some(LibcWord::Musl) => "-musl",
        Some(LibcWord::Static) => "-static",
        _ if p.glibc.is_some() || r.glibc_twin.is_some() => "-gnu",
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
