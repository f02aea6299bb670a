//! The ordered list of builds a platform accepts, best first. The resolver walks it and
//! reports why each step fell through; the policy itself lives here, in one place.
//!
//! Policy (see docs/resolution.md):
//! - Linux glibc host: a gnu build or one that names no libc (the publisher's default build),
//!   then musl/static. (A build that names no libc but has a `-musl` twin is the glibc build by
//!   inference; the resolver classes it as gnu before walking this list.)
//! - Linux musl host: musl, static (`static`, `alpine`, `nocgo`) builds, then a build that names
//!   no libc and is not known to be the glibc one; never a gnu build.
//! - macOS arm64: arm64, then universal, then `x86_64` under Rosetta 2 (flagged).
//! - macOS `x86_64`: `x86_64`, then universal.
//! - Windows: msvc or unnamed, then gnu (mingw); Windows arm64 then `x86_64` emulated (flagged).
//! - Never a silent 32-bit build on a 64-bit host.

use super::{Arch, Libc, Os, Platform};

/// Which builds of one architecture a step accepts, by the libc words in the asset name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LibcPreference {
    /// A glibc build (`gnu`, `glibc`; on Windows the mingw `gnu` builds).
    Gnu,
    /// A musl or fully static build (`musl`, `static`, `alpine`).
    MuslOrStatic,
    /// An MSVC build (Windows).
    Msvc,
    /// A build whose name says nothing about its libc.
    Unspecified,
    /// Anything: the OS has one libc (macOS, FreeBSD).
    Any,
}

/// The architecture a step accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArchMatch {
    Exact(Arch),
    /// A macOS universal (fat) binary.
    Universal,
}

/// One acceptable kind of build, in order of preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fallback {
    pub os: Os,
    pub arch: ArchMatch,
    pub libc: LibcPreference,
    /// Set when the build runs only under emulation; the output flags it.
    pub emulation: Option<&'static str>,
}

pub(super) fn fallbacks(platform: &Platform) -> Vec<Fallback> {
    let os = platform.os;
    let step = |arch: ArchMatch, libc: LibcPreference, emulation: Option<&'static str>| Fallback {
        os,
        arch,
        libc,
        emulation,
    };
    let native = ArchMatch::Exact(platform.arch);
    match os {
        Os::Linux => {
            let libcs: &[LibcPreference] = match platform.libc {
                Some(Libc::Musl) => &[LibcPreference::MuslOrStatic, LibcPreference::Unspecified],
                // The untagged build is the publisher's default, built for glibc systems like
                // the gnu one; a musl/static twin is the portable fallback (issue 8's order).
                Some(Libc::Gnu) | None => &[
                    LibcPreference::Gnu,
                    LibcPreference::Unspecified,
                    LibcPreference::MuslOrStatic,
                ],
            };
            libcs.iter().map(|&libc| step(native, libc, None)).collect()
        }
        Os::Macos => {
            let mut steps = vec![
                step(native, LibcPreference::Any, None),
                step(ArchMatch::Universal, LibcPreference::Any, None),
            ];
            if platform.arch == Arch::Aarch64 {
                steps.push(step(
                    ArchMatch::Exact(Arch::X86_64),
                    LibcPreference::Any,
                    Some("Rosetta 2"),
                ));
            }
            steps
        }
        Os::Windows => {
            let mut archs = vec![(native, None)];
            if platform.arch == Arch::Aarch64 {
                archs.push((ArchMatch::Exact(Arch::X86_64), Some("x64 emulation")));
            }
            let mut steps = Vec::new();
            for (arch, emulation) in archs {
                for libc in [
                    LibcPreference::Msvc,
                    LibcPreference::Unspecified,
                    LibcPreference::Gnu,
                ] {
                    steps.push(step(arch, libc, emulation));
                }
            }
            steps
        }
        Os::Freebsd => vec![step(native, LibcPreference::Any, None)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::NINE;

    #[test]
    fn musl_host_never_accepts_gnu() {
        let musl = NINE[1];
        assert!(
            musl.fallbacks()
                .iter()
                .all(|f| f.libc != LibcPreference::Gnu)
        );
    }

    #[test]
    fn glibc_host_prefers_gnu_and_unlabelled_then_musl() {
        let libcs: Vec<LibcPreference> = NINE[0].fallbacks().iter().map(|f| f.libc).collect();
        assert_eq!(
            libcs,
            [
                LibcPreference::Gnu,
                LibcPreference::Unspecified,
                LibcPreference::MuslOrStatic,
            ]
        );
        // A platform typed without a libc resolves like a glibc host.
        let any_libc = Platform::new(Os::Linux, Arch::X86_64, None);
        assert_eq!(any_libc.fallbacks(), NINE[0].fallbacks());
    }

    #[test]
    fn musl_host_takes_musl_or_static_then_unlabelled() {
        let libcs: Vec<LibcPreference> = NINE[1].fallbacks().iter().map(|f| f.libc).collect();
        assert_eq!(
            libcs,
            [LibcPreference::MuslOrStatic, LibcPreference::Unspecified]
        );
    }

    #[test]
    fn rosetta_is_last_and_flagged_on_apple_silicon() {
        let steps = NINE[6].fallbacks();
        let last = steps.last().expect("steps");
        assert_eq!(last.arch, ArchMatch::Exact(Arch::X86_64));
        assert_eq!(last.emulation, Some("Rosetta 2"));
        assert!(NINE[5].fallbacks().iter().all(|f| f.emulation.is_none()));
    }

    #[test]
    fn no_32_bit_fallback_on_64_bit_hosts() {
        for platform in NINE {
            assert!(
                platform
                    .fallbacks()
                    .iter()
                    .all(|f| f.arch != ArchMatch::Exact(Arch::I686))
            );
        }
    }
}
