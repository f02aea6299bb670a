//! Stage 4, choosing among the assets that run on the platform, or refusing: best rank, then
//! the plain build over its variants (debug, micro-architecture level, glibc twin, edition),
//! then one packaging of the same build, then the release's usual spelling; anything still tied
//! is a tie. Every loser gets its [`Reason`].
//!
//! Pure, and independent of the release's asset order: candidates are considered in name order.

use super::asset::{FileKind, Format, Parsed};
use super::rank::{Fit, Ranker};
use super::release::Reading;
use super::verdict::Reason;
use crate::release::Asset;

pub(crate) enum Outcome {
    Chosen(Fit),
    Tied(Vec<usize>),
    Nothing,
}

/// What [`Chooser::choose`] needs to see of the release.
pub(crate) struct Chooser<'a> {
    pub(crate) assets: &'a [Asset],
    pub(crate) parsed: &'a [Parsed],
    pub(crate) readings: &'a [Reading],
    pub(crate) ranker: &'a Ranker<'a>,
}

impl Chooser<'_> {
    fn name(&self, i: usize) -> &str {
        &self.assets[i].name
    }

    pub(crate) fn format(&self, i: usize) -> Format {
        match self.parsed[i].kind {
            FileKind::Installable(f) => f,
            FileKind::Refused(_) => Format::Bare,
        }
    }

    /// Settles the fitting assets; writes a reason for every loser into `reasons`.
    pub(crate) fn choose(&self, mut fits: Vec<Fit>, reasons: &mut [Option<Reason>]) -> Outcome {
        let Some(best) = fits.iter().map(|f| f.rank).min() else {
            return Outcome::Nothing;
        };
        // Name order, not release order, so nothing below depends on how the release lists
        // its assets.
        fits.sort_by(|a, b| self.name(a.index).cmp(self.name(b.index)));
        let (mut top, lower): (Vec<Fit>, Vec<Fit>) = fits.into_iter().partition(|f| f.rank == best);

        let mut variants: Vec<(usize, String)> = Vec::new();
        let mut keep_plain = |top: &mut Vec<Fit>,
                              plain: &dyn Fn(&Parsed) -> bool,
                              what: &dyn Fn(&Parsed) -> String| {
            if top.iter().any(|f| plain(&self.parsed[f.index])) {
                top.retain(|f| {
                    let p = &self.parsed[f.index];
                    if !plain(p) {
                        variants.push((f.index, what(p)));
                    }
                    plain(p)
                });
            }
        };
        // Plain builds beat debug twins.
        keep_plain(&mut top, &|p| !p.debug, &|_| "debug build".to_string());
        // Micro-architecture levels: the highest the host supports (levels it does not were
        // refused when ranking), else the baseline.
        let host_level = self.ranker.host.map(|h| h.x86_64_level);
        let wanted_level = match host_level {
            Some(_) => top.iter().map(|f| self.parsed[f.index].level).max(),
            None => top.iter().map(|f| self.parsed[f.index].level).min(),
        };
        if let Some(level) = wanted_level {
            keep_plain(&mut top, &|p| p.level == level, &|p| {
                format!("x86-64-v{} build", p.level.max(1))
            });
        }
        // glibc twins: the plain build if there is one; else the newest the host meets, or on
        // another platform the oldest requirement.
        keep_plain(&mut top, &|p| p.glibc.is_none(), &|p| glibc_label(p));
        let wanted_glibc = match self.ranker.host.and_then(|h| h.glibc) {
            Some(_) => top.iter().filter_map(|f| self.parsed[f.index].glibc).max(),
            None => top.iter().filter_map(|f| self.parsed[f.index].glibc).min(),
        };
        if wanted_glibc.is_some() {
            keep_plain(&mut top, &|p| p.glibc == wanted_glibc, &|p| glibc_label(p));
        }
        // Editions and qualifiers (`full`, `lite`, `baseline`, `macos11`): the plain build.
        keep_plain(&mut top, &|p| p.extras.is_empty(), &|p| {
            let words: Vec<&str> = p.extra_words().collect();
            format!("variant build (`{}`)", words.join(" "))
        });

        // The same build in several packagings: the format ranking decides, then the usual
        // spelling of the format (`.tar.gz` over `.tgz`).
        let os = self.ranker.platform.os;
        let mut groups: Vec<Vec<Fit>> = Vec::new();
        for f in top {
            match groups
                .iter_mut()
                .find(|g| self.parsed[g[0].index].same_build(&self.parsed[f.index]))
            {
                Some(g) => g.push(f),
                None => groups.push(vec![f]),
            }
        }
        let mut finalists: Vec<Fit> = Vec::new();
        for group in groups {
            let key = |f: &Fit| {
                (
                    self.format(f.index).rank(os),
                    self.parsed[f.index].ext_alias,
                )
            };
            let Some(best_key) = group.iter().map(key).min() else {
                continue;
            };
            let winners: Vec<Fit> = group
                .iter()
                .filter(|f| key(f) == best_key)
                .copied()
                .collect();
            let first = winners[0].index;
            for f in &group {
                if key(f) != best_key {
                    reasons[f.index] = Some(Reason::Packaging {
                        format: format_label(self.format(f.index), &self.assets[f.index].name),
                        winner: self.name(first).to_string(),
                        winner_format: format_label(self.format(first), self.name(first)),
                    });
                }
            }
            finalists.extend(winners);
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
                let at = scores.iter().position(|&s| s == best_score).unwrap_or(0);
                let keep = finalists[at];
                for f in &finalists {
                    if f.index != keep.index {
                        reasons[f.index] = Some(Reason::Spelling {
                            winner: self.name(keep.index).to_string(),
                        });
                    }
                }
                finalists = vec![keep];
            }
        }

        if let [winner] = finalists[..] {
            for (i, what) in variants {
                reasons[i] = Some(Reason::Variant {
                    what,
                    winner: Some(self.name(winner.index).to_string()),
                });
            }
            for f in lower {
                reasons[f.index] = Some(Reason::LowerTier {
                    build: self.ranker.describe(&f, &self.readings[f.index]),
                    winner: self.name(winner.index).to_string(),
                });
            }
            return Outcome::Chosen(winner);
        }

        for (i, what) in variants {
            reasons[i] = Some(Reason::Variant { what, winner: None });
        }
        let tied: Vec<usize> = finalists.iter().map(|f| f.index).collect();
        for f in lower {
            reasons[f.index] = Some(Reason::LowerTier {
                build: self.ranker.describe(&f, &self.readings[f.index]),
                winner: self.name(tied[0]).to_string(),
            });
        }
        for f in &finalists {
            let others = tied
                .iter()
                .filter(|&&j| j != f.index)
                .map(|&j| self.name(j).to_string())
                .collect();
            reasons[f.index] = Some(Reason::Tie {
                build: self.ranker.describe(f, &self.readings[f.index]),
                others,
            });
        }
        Outcome::Tied(tied)
    }

    /// The fits name the same tool, OS, architecture and libc, in the same format, with no
    /// extra words: nothing but spelling tells them apart.
    fn all_read_alike(&self, fits: &[Fit]) -> bool {
        let first = &self.parsed[fits[0].index];
        let first_r = &self.readings[fits[0].index];
        fits.iter().all(|f| {
            let p = &self.parsed[f.index];
            let r = &self.readings[f.index];
            p.same_name(first)
                && r.os == first_r.os
                && p.arch == first.arch
                && r.libc == first_r.libc
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
}

fn glibc_label(p: &Parsed) -> String {
    match p.glibc {
        Some((major, minor)) => format!("build for glibc {major}.{minor}"),
        None => "build naming no glibc version".to_string(),
    }
}

/// The format as the name spells it (`.tgz`), for reasons.
fn format_label(format: Format, name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    for alias in [".tgz", ".txz", ".tbz2", ".tbz", ".tzst", ".tar.zstd"] {
        if lower.ends_with(alias) {
            return match alias {
                ".tgz" => ".tgz",
                ".txz" => ".txz",
                ".tbz2" => ".tbz2",
                ".tbz" => ".tbz",
                ".tzst" => ".tzst",
                _ => ".tar.zstd",
            };
        }
    }
    format.label()
}
