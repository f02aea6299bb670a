//! Stage 3, ranking one asset against one platform: does it run there, and how directly
//! (the platform's fallback steps, ARM generations, inferred readings, glibc requirements,
//! micro-architecture levels, soft-float ABIs). Either a [`Fit`] or the [`Reason`] it does not.
//!
//! Pure: one asset at a time, from its name ([`Parsed`]) and the release's reading of it
//! ([`Reading`]).

use super::asset::{ArchWord, AssetOs, LibcWord, OsWord, Parsed};
use super::release::{ArchReading, Reading};
use super::verdict::Reason;
use crate::platform::{Arch, ArchMatch, Fallback, HostFacts, Libc, LibcPreference, Os, Platform};

/// How directly an asset's architecture serves the host, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ArchFit {
    /// The host's own architecture (or, on a Mac, universal).
    Native,
    /// `armhf` on an `ARMv7` host: hard-float 32-bit ARM, less specific than `armv7`.
    Armhf,
    /// An `ARMv6` hard-float build on an `ARMv7` host.
    Armv6,
    /// An older or unspecific 32-bit ARM build (`arm`, `armel`, `armv5`) on an `ARMv7` host.
    OlderArm,
    /// Names no architecture; the release says it is the host's.
    Inferred,
    /// Names no architecture and is the only build for its OS.
    OnlyBuild,
    /// A file naming no platform at all, that a filter picked out.
    Platformless,
}

/// How well an asset fits the platform: lower `rank` is better.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fit {
    pub(crate) index: usize,
    /// `(arch fit, step)`: `step` indexes the platform's fallbacks.
    pub(crate) rank: (ArchFit, usize),
    pub(crate) step: Fallback,
}

/// What stays the same while ranking every asset for one platform.
#[derive(Debug)]
pub(crate) struct Ranker<'a> {
    pub(crate) platform: Platform,
    pub(crate) steps: &'a [Fallback],
    /// Facts about the host, when `platform` is the host.
    pub(crate) host: Option<&'a HostFacts>,
    /// A filter named files that name no platform, and nothing else: take them as they are.
    pub(crate) platformless_ok: bool,
}

impl Ranker<'_> {
    /// How asset `index` fits, or why it does not run here.
    pub(crate) fn fit(&self, index: usize, p: &Parsed, r: &Reading) -> Result<Fit, Reason> {
        let host = self.platform;
        if self.platformless_ok
            && !r.names_platform()
            && let Some(first) = self.steps.first()
        {
            return Ok(Fit {
                index,
                rank: (ArchFit::Platformless, 0),
                step: *first,
            });
        }
        match r.os {
            AssetOs::None => return Err(Reason::UnknownOs { several: false }),
            AssetOs::Several => return Err(Reason::UnknownOs { several: true }),
            AssetOs::Is(OsWord::Other(o)) => {
                return Err(Reason::OtherOs {
                    os: o.to_string(),
                    host: host.os,
                });
            }
            AssetOs::Is(OsWord::Known(o)) if o != host.os => {
                return Err(Reason::OtherOs {
                    os: o.as_str().to_string(),
                    host: host.os,
                });
            }
            AssetOs::Is(OsWord::Known(_)) => {}
        }
        let (arch, sub) = match r.arch {
            ArchReading::Several => {
                return Err(Reason::UnknownArch {
                    several: true,
                    os: host.os,
                });
            }
            ArchReading::Unknown | ArchReading::None => {
                return Err(Reason::UnknownArch {
                    several: false,
                    os: host.os,
                });
            }
            ArchReading::Named(ArchWord::Other(a)) => {
                return Err(Reason::OtherArch {
                    arch: a.to_string(),
                    host: host.arch,
                });
            }
            ArchReading::Named(ArchWord::Named(a)) => (ArchMatch::Exact(a), ArchFit::Native),
            ArchReading::Inferred(a) => (ArchMatch::Exact(a), ArchFit::Inferred),
            ArchReading::OnlyBuild => (ArchMatch::Exact(host.arch), ArchFit::OnlyBuild),
            ArchReading::Named(ArchWord::Universal) => (ArchMatch::Universal, ArchFit::Native),
            ArchReading::Named(arm @ (ArchWord::Armhf | ArchWord::Armv6 | ArchWord::OlderArm)) => {
                let (label, fit) = match arm {
                    ArchWord::Armhf => ("armhf", ArchFit::Armhf),
                    ArchWord::Armv6 => ("armv6", ArchFit::Armv6),
                    _ => ("arm", ArchFit::OlderArm),
                };
                if host.arch == Arch::Armv7 {
                    (ArchMatch::Exact(host.arch), fit)
                } else {
                    return Err(arch_mismatch(label, host));
                }
            }
        };
        let libc = match r.glibc_twin {
            Some(_) => LibcPreference::Gnu,
            None if p.glibc.is_some() && host.os == Os::Linux => LibcPreference::Gnu,
            None => libc_class(r.libc, host.os),
        };
        let mut arch_fits = false;
        for (step_index, step) in self.steps.iter().enumerate() {
            // An inferred architecture is not run under emulation on a guess.
            let guessed = matches!(sub, ArchFit::Inferred | ArchFit::OnlyBuild);
            if step.os != host.os || step.arch != arch || (guessed && step.emulation.is_some()) {
                continue;
            }
            arch_fits = true;
            // On a musl host, a build naming no libc serves only when it may be static.
            let unknown_dynamic = libc == LibcPreference::Unspecified
                && r.not_known_static
                && host.libc == Some(Libc::Musl);
            if (step.libc == LibcPreference::Any || step.libc == libc) && !unknown_dynamic {
                self.qualifiers(p, libc)?;
                return Ok(Fit {
                    index,
                    rank: (sub, step_index),
                    step: *step,
                });
            }
        }
        if arch_fits {
            let host_libc = match host.libc {
                Some(Libc::Musl) => "musl",
                _ => "gnu",
            };
            let libc = match (r.glibc_twin, libc) {
                (Some(_), _) => "glibc (inferred from its musl twin)",
                (None, LibcPreference::Unspecified) if r.not_known_static => {
                    "no-libc-named (the release labels its other Linux builds' libc, so not \
                     known static)"
                }
                (None, l) => libc_label(l, host.os),
            };
            Err(Reason::Libc {
                libc,
                host: host_libc,
            })
        } else {
            let label = match arch {
                ArchMatch::Exact(a) => a.as_str(),
                ArchMatch::Universal => "universal",
            };
            Err(arch_mismatch(label, host))
        }
    }

    /// The build's qualifiers against the host: soft-float ABI, glibc requirement, CPU level.
    fn qualifiers(&self, p: &Parsed, libc: LibcPreference) -> Result<(), Reason> {
        let host = self.platform;
        if p.soft_float
            && host.arch == Arch::Armv7
            && host.libc != Some(Libc::Musl)
            && libc != LibcPreference::MuslOrStatic
        {
            return Err(Reason::SoftFloat);
        }
        if let (Some(needs), Some(have)) = (p.glibc, self.host.and_then(|h| h.glibc))
            && needs > have
        {
            return Err(Reason::GlibcTooNew {
                needs: format!("{}.{}", needs.0, needs.1),
                host: format!("{}.{}", have.0, have.1),
            });
        }
        if p.level > 1
            && let Some(h) = self.host
            && h.x86_64_level < p.level
        {
            return Err(Reason::MicroArch {
                level: p.level,
                host_level: Some(h.x86_64_level),
            });
        }
        Ok(())
    }

    /// A short description of the kind of build a fit is, e.g. `x86_64 musl/static build`.
    pub(crate) fn describe(&self, f: &Fit, r: &Reading) -> String {
        let arch = match f.step.arch {
            ArchMatch::Exact(a) => a.as_str(),
            ArchMatch::Universal => "universal",
        };
        let os = self.platform.os.as_str();
        match f.rank.0 {
            ArchFit::Platformless => {
                return "file naming no platform, named by the filter".to_string();
            }
            ArchFit::Inferred => return format!("{arch} build (inferred)"),
            ArchFit::OnlyBuild => return format!("{os} build naming no architecture"),
            ArchFit::OlderArm => return "generic 32-bit arm build; runs on armv7".to_string(),
            ArchFit::Armv6 => return "armv6 build; runs on armv7".to_string(),
            ArchFit::Armhf => return "armhf build".to_string(),
            ArchFit::Native => {}
        }
        if let Some(emulation) = f.step.emulation {
            return format!("{arch} build under {emulation}");
        }
        match (f.step.arch, f.step.libc) {
            (ArchMatch::Universal, _) => "universal build".to_string(),
            (_, LibcPreference::Any) => format!("native {arch} build"),
            (_, LibcPreference::Unspecified) => format!("{arch} build naming no libc"),
            (_, LibcPreference::Gnu) if r.glibc_twin.is_some() => {
                format!("{arch} glibc build (inferred)")
            }
            (_, libc) => format!("{arch} {} build", libc_label(libc, self.platform.os)),
        }
    }
}

fn arch_mismatch(asset_arch: &str, host: Platform) -> Reason {
    let thirty_two = matches!(asset_arch, "i686" | "armv7" | "armhf" | "armv6" | "arm");
    let host_64 = !matches!(host.arch, Arch::I686 | Arch::Armv7);
    if thirty_two && host_64 {
        Reason::ThirtyTwoBit {
            arch: asset_arch.to_string(),
            host: host.arch,
        }
    } else {
        Reason::OtherArch {
            arch: asset_arch.to_string(),
            host: host.arch,
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::NINE;
    use crate::release::Asset;
    use crate::resolver::{asset::wanted_words, release::read_release};

    fn fit_of(names: &[&str], platform: Platform, host: Option<&HostFacts>) -> Vec<String> {
        let assets: Vec<Asset> = names.iter().map(|n| Asset::named(*n)).collect();
        let parsed: Vec<Parsed> = names
            .iter()
            .map(|n| Parsed::new(n, &wanted_words("tool")))
            .collect();
        let readings = read_release(&assets, &parsed);
        let steps = platform.fallbacks();
        let ranker = Ranker {
            platform,
            steps: &steps,
            host,
            platformless_ok: false,
        };
        (0..names.len())
            .map(|i| match ranker.fit(i, &parsed[i], &readings[i]) {
                Ok(f) => format!("{:?}/{}", f.rank.0, f.rank.1),
                Err(r) => r.kind().to_string(),
            })
            .collect()
    }

    #[test]
    fn armv7_then_armhf_then_armv6_and_never_soft_float_gnu() {
        let names = [
            "tool-linux-armv7.tar.gz",
            "tool-linux-armhf.tar.gz",
            "tool-linux-armv6.tar.gz",
            "tool-arm-unknown-linux-gnueabi.tar.gz",
        ];
        assert_eq!(
            fit_of(&names, NINE[4], None),
            ["Native/1", "Armhf/1", "Armv6/1", "soft_float"]
        );
    }

    #[test]
    fn glibc_requirements_and_cpu_levels_are_checked_against_the_host_only() {
        let names = [
            "tool-x86_64-linux-glibc2.39.tar.gz",
            "tool-x86_64-v3-linux.tar.gz",
        ];
        assert_eq!(fit_of(&names, NINE[0], None), ["Native/0", "Native/1"]);
        let old = HostFacts {
            platform: NINE[0],
            glibc: Some((2, 31)),
            x86_64_level: 2,
        };
        assert_eq!(
            fit_of(&names, NINE[0], Some(&old)),
            ["glibc_too_new", "micro_arch"]
        );
        // A glibc build is never a musl host's.
        assert_eq!(fit_of(&names[..1], NINE[1], None), ["libc"]);
    }
}
