//! Stage 2, reading the release as a whole: what one name leaves out (OS, architecture, libc)
//! is told by the others, and every such inference keeps its evidence for `--explain`.
//!
//! Rules (docs/resolution.md, "Reading the release as a whole"), within each tool name:
//! - a libc word with no OS means Linux (`tool-aarch64-gnu`, `tool-musl-amd64`);
//! - a name with an architecture but no OS is the OS no other asset claims (Linux when the
//!   others are Windows and/or macOS builds); an OS-less, arch-less `.zip` beside Linux and
//!   macOS builds is the Windows build;
//! - a name with no architecture, beside builds of the same OS that name architectures, is
//!   `x86_64` when no other build claims `x86_64` (on macOS: arm64 when `x86_64` is claimed
//!   and arm64 is not); the only build of its OS serves any architecture, as the lowest tier;
//! - a Linux build naming no libc, with a `-musl` twin, is the glibc build.
//!
//! Pure: reads [`Parsed`] names only; platform-independent.

use super::asset::{ArchWord, AssetArch, AssetOs, FileKind, Format, LibcWord, OsWord, Parsed};
use super::verdict::{Evidence, Fact};
use crate::platform::{Arch, Os};
use crate::release::Asset;

/// What a name's architecture is, after reading the release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArchReading {
    /// Named in the asset name.
    Named(ArchWord),
    /// Names none; the only architecture no other build of its OS claims.
    Inferred(Arch),
    /// Names none, and no other build of its OS names one: it serves any architecture, as the
    /// lowest tier.
    OnlyBuild,
    /// Names none, while other builds of its OS name the likely ones.
    Unknown,
    /// Names several.
    Several,
    /// Names none, and has no OS either.
    None,
}

/// One asset, as the release as a whole reads it.
#[derive(Debug, Clone)]
pub(crate) struct Reading {
    pub(crate) os: AssetOs,
    pub(crate) arch: ArchReading,
    pub(crate) libc: Option<LibcWord>,
    /// A Linux build naming no libc whose `-musl` twin (this index) marks it as glibc.
    pub(crate) glibc_twin: Option<usize>,
    /// A Linux build naming no libc in a release whose other Linux builds of the tool do name
    /// theirs: the publisher draws a libc line, so this one is not known to be static.
    pub(crate) not_known_static: bool,
    pub(crate) inferred: Vec<(Fact, Evidence)>,
}

impl Reading {
    /// Names (or is read as) an OS or an architecture.
    pub(crate) fn names_platform(&self) -> bool {
        self.os != AssetOs::None || self.arch != ArchReading::None
    }
}

const MAIN_OSES: [Os; 3] = [Os::Linux, Os::Macos, Os::Windows];

fn installable(p: &Parsed) -> bool {
    matches!(p.kind, FileKind::Installable(_))
}

/// Reads every asset of the release; `parsed` holds the assets' names read one by one, in
/// release order; the result likewise.
pub(crate) fn read_release(assets: &[Asset], parsed: &[Parsed]) -> Vec<Reading> {
    let mut readings: Vec<Reading> = parsed
        .iter()
        .map(|p| Reading {
            os: p.os,
            arch: match p.arch {
                AssetArch::Is(a) => ArchReading::Named(a),
                AssetArch::Several => ArchReading::Several,
                AssetArch::None => ArchReading::None,
            },
            libc: p.libc,
            glibc_twin: None,
            not_known_static: false,
            inferred: Vec::new(),
        })
        .collect();

    // A libc word with no OS: Linux.
    for (p, r) in parsed.iter().zip(readings.iter_mut()) {
        if installable(p) && r.os == AssetOs::None {
            let word = match p.libc {
                Some(LibcWord::Gnu) => "gnu",
                Some(LibcWord::Musl) => "musl",
                _ => continue,
            };
            r.os = AssetOs::Is(OsWord::Known(Os::Linux));
            r.inferred
                .push((Fact::Os(Os::Linux), Evidence::LibcWord(word.to_string())));
        }
    }

    let families = families(parsed);
    for family in &families {
        infer_os(parsed, &mut readings, family);
    }
    for family in &families {
        infer_arch(parsed, &mut readings, family);
    }
    infer_glibc_twins(assets, parsed, &mut readings);
    for family in &families {
        mark_libc_line(parsed, &mut readings, family);
    }
    readings
}

/// Installable assets grouped by tool name, in release order.
fn families(parsed: &[Parsed]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (i, p) in parsed.iter().enumerate() {
        if !installable(p) {
            continue;
        }
        match out.iter_mut().find(|f| parsed[f[0]].same_name(p)) {
            Some(f) => f.push(i),
            None => out.push(vec![i]),
        }
    }
    out
}

fn infer_os(parsed: &[Parsed], readings: &mut [Reading], family: &[usize]) {
    let claimed: Vec<Os> = MAIN_OSES
        .into_iter()
        .filter(|&o| {
            family
                .iter()
                .any(|&j| readings[j].os == AssetOs::Is(OsWord::Known(o)))
        })
        .collect();
    if claimed.is_empty() {
        return;
    }
    let unclaimed: Vec<Os> = MAIN_OSES
        .into_iter()
        .filter(|o| !claimed.contains(o))
        .collect();
    let others: Vec<String> = claimed.iter().map(|o| o.as_str().to_string()).collect();
    for &i in family {
        if readings[i].os != AssetOs::None {
            continue;
        }
        let os = if readings[i].arch != ArchReading::None {
            // macOS and Windows builds name themselves; an unnamed Unix build is Linux.
            if unclaimed.contains(&Os::Linux) {
                Some(Os::Linux)
            } else if let [only] = unclaimed[..] {
                Some(only)
            } else {
                None
            }
        } else if parsed[i].kind == FileKind::Installable(Format::Zip) && unclaimed == [Os::Windows]
        {
            Some(Os::Windows)
        } else {
            None
        };
        if let Some(os) = os {
            readings[i].os = AssetOs::Is(OsWord::Known(os));
            readings[i].inferred.push((
                Fact::Os(os),
                Evidence::UnclaimedOs {
                    others: others.clone(),
                },
            ));
        }
    }
}

fn infer_arch(parsed: &[Parsed], readings: &mut [Reading], family: &[usize]) {
    for &i in family {
        let AssetOs::Is(OsWord::Known(os)) = readings[i].os else {
            continue;
        };
        let archless = match readings[i].arch {
            ArchReading::None => true,
            // A fat binary is a macOS thing; elsewhere `universal` says nothing.
            ArchReading::Named(ArchWord::Universal) => os != Os::Macos,
            _ => false,
        };
        if !archless {
            continue;
        }
        let mut others: Vec<&'static str> = Vec::new();
        let mut x86_64 = false;
        let mut aarch64 = false;
        let mut vague = false;
        for &j in family {
            if j == i || readings[j].os != readings[i].os {
                continue;
            }
            let label = match parsed[j].arch {
                AssetArch::None => continue,
                AssetArch::Is(ArchWord::Named(a)) => {
                    x86_64 |= a == Arch::X86_64;
                    aarch64 |= a == Arch::Aarch64;
                    a.as_str()
                }
                AssetArch::Is(ArchWord::Universal) | AssetArch::Several => {
                    vague = true;
                    continue;
                }
                AssetArch::Is(ArchWord::Armhf) => "armhf",
                AssetArch::Is(ArchWord::Armv6) => "armv6",
                AssetArch::Is(ArchWord::OlderArm) => "arm",
                AssetArch::Is(ArchWord::Other(a)) => a,
            };
            if !others.contains(&label) {
                others.push(label);
            }
        }
        let reading = if others.is_empty() && !vague {
            ArchReading::OnlyBuild
        } else if vague {
            ArchReading::Unknown
        } else if !x86_64 {
            ArchReading::Inferred(Arch::X86_64)
        } else if !aarch64 && os == Os::Macos {
            ArchReading::Inferred(Arch::Aarch64)
        } else {
            ArchReading::Unknown
        };
        if let ArchReading::Inferred(a) = reading {
            others.sort_unstable();
            readings[i].inferred.push((
                Fact::Arch(a),
                Evidence::UnclaimedArch {
                    others: others
                        .iter()
                        .map(std::string::ToString::to_string)
                        .collect(),
                },
            ));
        }
        readings[i].arch = reading;
    }
}

/// When some Linux builds of the tool name a libc, the ones that do not are not known static —
/// unless an unlabelled build has both a glibc and a musl twin (chezmoi's `linux_amd64` beside
/// `linux-glibc_amd64` and `linux-musl_amd64`): then the unlabelled builds are the third kind,
/// the static ones.
fn mark_libc_line(parsed: &[Parsed], readings: &mut [Reading], family: &[usize]) {
    let linux = AssetOs::Is(OsWord::Known(Os::Linux));
    let static_by_twins = family.iter().any(|&i| {
        readings[i].os == linux
            && readings[i].libc.is_none()
            && [LibcWord::Gnu, LibcWord::Musl].iter().all(|&l| {
                family
                    .iter()
                    .any(|&j| readings[j].os == linux && parsed[j].is_libc_twin_of(&parsed[i], l))
            })
    });
    if static_by_twins {
        return;
    }
    let labelled = family.iter().any(|&j| {
        readings[j].os == linux && (readings[j].libc.is_some() || parsed[j].glibc.is_some())
    });
    if !labelled {
        return;
    }
    for &i in family {
        if readings[i].os == linux && readings[i].libc.is_none() && parsed[i].glibc.is_none() {
            readings[i].not_known_static = true;
        }
    }
}

/// A Linux build naming no libc, with a `-musl` twin: the twin marks it as the glibc build.
fn infer_glibc_twins(assets: &[Asset], parsed: &[Parsed], readings: &mut [Reading]) {
    let linux = AssetOs::Is(OsWord::Known(Os::Linux));
    for i in 0..parsed.len() {
        if readings[i].libc.is_some() || readings[i].os != linux || !installable(&parsed[i]) {
            continue;
        }
        // The lowest-named twin, so the evidence does not depend on the release's order.
        let twin = (0..parsed.len())
            .filter(|&j| readings[j].os == linux && parsed[j].is_musl_twin_of(&parsed[i]))
            .min_by(|&a, &b| parsed[a].lower.cmp(&parsed[b].lower));
        // With a glibc twin too, the unlabelled build is neither: the static one.
        let gnu_twin = (0..parsed.len()).any(|j| {
            readings[j].os == linux && parsed[j].is_libc_twin_of(&parsed[i], LibcWord::Gnu)
        });
        if let Some(j) = twin.filter(|_| !gnu_twin) {
            readings[i].glibc_twin = Some(j);
            readings[i]
                .inferred
                .push((Fact::Glibc, Evidence::MuslTwin(assets[j].name.clone())));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolver::asset::wanted_words;

    fn read(names: &[&str]) -> Vec<Reading> {
        let assets: Vec<Asset> = names.iter().map(|n| Asset::named(*n)).collect();
        let parsed: Vec<Parsed> = names
            .iter()
            .map(|n| Parsed::new(n, &wanted_words("tool")))
            .collect();
        read_release(&assets, &parsed)
    }

    #[test]
    fn a_libc_word_means_linux() {
        let r = read(&["tool-aarch64-gnu.tar.gz", "tool-musl-amd64.tar.gz"]);
        for reading in &r {
            assert_eq!(reading.os, AssetOs::Is(OsWord::Known(Os::Linux)));
            assert!(matches!(
                reading.inferred[0],
                (Fact::Os(Os::Linux), Evidence::LibcWord(_))
            ));
        }
    }

    #[test]
    fn an_os_less_build_is_the_os_no_other_asset_claims() {
        let r = read(&["tool.x86_64", "tool.aarch64", "tool-x64.exe"]);
        assert_eq!(r[0].os, AssetOs::Is(OsWord::Known(Os::Linux)));
        assert_eq!(r[1].os, AssetOs::Is(OsWord::Known(Os::Linux)));
        let r = read(&[
            "tool-1.2-linux-amd64.tar.gz",
            "tool-1.2-darwin-amd64.tar.gz",
            "tool-1.2.zip",
        ]);
        assert_eq!(r[2].os, AssetOs::Is(OsWord::Known(Os::Windows)));
        assert_eq!(r[2].arch, ArchReading::OnlyBuild);
        // Nothing claimed: nothing inferred.
        let r = read(&["tool-amd64", "tool-arm64"]);
        assert_eq!(r[0].os, AssetOs::None);
    }

    #[test]
    fn an_arch_less_build_is_the_arch_no_other_build_of_its_os_claims() {
        let r = read(&["tool-linux.tar.gz", "tool-linux-arm64.tar.gz"]);
        assert_eq!(r[0].arch, ArchReading::Inferred(Arch::X86_64));
        let r = read(&["tool-macos.zip", "tool-macos-x86_64.zip"]);
        assert_eq!(r[0].arch, ArchReading::Inferred(Arch::Aarch64));
        let r = read(&["tool-linux.tar.gz", "tool-linux-amd64.tar.gz"]);
        assert_eq!(r[0].arch, ArchReading::Unknown);
        let r = read(&["tool-linux.tar.gz", "tool-darwin-arm64.tar.gz"]);
        assert_eq!(r[0].arch, ArchReading::OnlyBuild);
    }

    #[test]
    fn a_musl_twin_marks_the_glibc_build() {
        let r = read(&["tool-linux-x64.zip", "tool-linux-x64-musl.zip"]);
        assert_eq!(r[0].glibc_twin, Some(1));
        assert_eq!(r[1].glibc_twin, None);
        // Beside both a glibc and a musl twin, the unlabelled build is the static one.
        let r = read(&[
            "tool_linux_amd64.tar.gz",
            "tool_linux-glibc_amd64.tar.gz",
            "tool_linux-musl_amd64.tar.gz",
            "tool_linux_arm64.tar.gz",
        ]);
        assert_eq!(r[0].glibc_twin, None);
        assert!(!r[0].not_known_static && !r[3].not_known_static);
        // A labelled static build makes the unlabelled ones not known static.
        let r = read(&[
            "tool-linux64.tar.gz",
            "tool-linux64-static.tar.gz",
            "tool-linux-arm64.tar.gz",
        ]);
        assert!(r[0].not_known_static && r[2].not_known_static);
    }
}
