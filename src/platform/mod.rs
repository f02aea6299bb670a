//! Platforms: the canonical `<os>-<arch>[-<libc>]` names, the aliases people type, host
//! detection at run time, and the ordered fallbacks the resolver walks.
//!
//! Reads the filesystem only in `detect` (to tell glibc from musl); never the network, and
//! never how toolget itself was compiled (toolget may ship as a static musl binary running on a
//! glibc host).

mod detect;
mod fallback;
mod host;

pub use detect::{DetectError, detect_host};
pub use fallback::{ArchMatch, Fallback, LibcPreference};
pub use host::HostFacts;

use std::fmt;
use std::str::FromStr;

use crate::error::{Diagnostic, ErrorKind};

/// Operating systems toolget resolves for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Os {
    Linux,
    Macos,
    Windows,
    Freebsd,
}

/// CPU architectures toolget resolves for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Arch {
    X86_64,
    Aarch64,
    Armv7,
    I686,
    Riscv64,
    S390x,
    Ppc64le,
}

/// The C library a Linux binary is linked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Libc {
    Gnu,
    Musl,
}

/// A target platform. `libc` is `Some` only on Linux; `None` on Linux means "either libc"
/// (a user typed `linux-x86_64`), which resolves like a glibc host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Platform {
    pub os: Os,
    pub arch: Arch,
    pub libc: Option<Libc>,
}

/// The nine platforms every resolver test covers and `toolget lock` resolves by default.
pub const NINE: [Platform; 9] = [
    Platform::new(Os::Linux, Arch::X86_64, Some(Libc::Gnu)),
    Platform::new(Os::Linux, Arch::X86_64, Some(Libc::Musl)),
    Platform::new(Os::Linux, Arch::Aarch64, Some(Libc::Gnu)),
    Platform::new(Os::Linux, Arch::Aarch64, Some(Libc::Musl)),
    Platform::new(Os::Linux, Arch::Armv7, Some(Libc::Gnu)),
    Platform::new(Os::Macos, Arch::X86_64, None),
    Platform::new(Os::Macos, Arch::Aarch64, None),
    Platform::new(Os::Windows, Arch::X86_64, None),
    Platform::new(Os::Windows, Arch::Aarch64, None),
];

impl Platform {
    pub const fn new(os: Os, arch: Arch, libc: Option<Libc>) -> Platform {
        Platform { os, arch, libc }
    }

    /// File name suffix executables carry on this platform (`.exe` on Windows).
    pub fn exe_suffix(&self) -> &'static str {
        if self.os == Os::Windows { ".exe" } else { "" }
    }

    /// The ordered list of builds acceptable on this platform, best first.
    pub fn fallbacks(&self) -> Vec<Fallback> {
        fallback::fallbacks(self)
    }
}

impl Os {
    pub fn as_str(self) -> &'static str {
        match self {
            Os::Linux => "linux",
            Os::Macos => "macos",
            Os::Windows => "windows",
            Os::Freebsd => "freebsd",
        }
    }

    fn from_alias(word: &str) -> Option<Os> {
        Some(match word {
            "linux" => Os::Linux,
            "macos" | "darwin" | "osx" | "mac" | "apple" => Os::Macos,
            "windows" | "win" | "win32" | "win64" => Os::Windows,
            "freebsd" => Os::Freebsd,
            _ => return None,
        })
    }
}

impl Arch {
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Aarch64 => "aarch64",
            Arch::Armv7 => "armv7",
            Arch::I686 => "i686",
            Arch::Riscv64 => "riscv64",
            Arch::S390x => "s390x",
            Arch::Ppc64le => "ppc64le",
        }
    }

    fn from_alias(word: &str) -> Option<Arch> {
        Some(match word {
            "x86_64" | "amd64" | "x64" | "x86-64" => Arch::X86_64,
            "aarch64" | "arm64" => Arch::Aarch64,
            "armv7" | "armv7l" | "armhf" | "arm" | "arm/v7" => Arch::Armv7,
            "i686" | "i386" | "386" | "x86" | "i586" => Arch::I686,
            "riscv64" | "riscv64gc" => Arch::Riscv64,
            "s390x" => Arch::S390x,
            "ppc64le" | "powerpc64le" => Arch::Ppc64le,
            _ => return None,
        })
    }
}

impl Libc {
    /// The libc word in a canonical name; 32-bit ARM spells the hard-float ABI in.
    pub fn as_str(self, arch: Arch) -> &'static str {
        match (self, arch) {
            (Libc::Gnu, Arch::Armv7) => "gnueabihf",
            (Libc::Musl, Arch::Armv7) => "musleabihf",
            (Libc::Gnu, _) => "gnu",
            (Libc::Musl, _) => "musl",
        }
    }

    fn from_alias(word: &str) -> Option<Libc> {
        Some(match word {
            "gnu" | "glibc" | "gnueabihf" => Libc::Gnu,
            "musl" | "musleabihf" => Libc::Musl,
            _ => return None,
        })
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.os.as_str(), self.arch.as_str())?;
        if let Some(libc) = self.libc {
            write!(f, "-{}", libc.as_str(self.arch))?;
        }
        Ok(())
    }
}

/// A platform name that could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseError {
    #[error("`{input}` is not a platform: unknown operating system `{word}`")]
    UnknownOs { input: String, word: String },
    #[error("`{input}` is not a platform: unknown architecture `{word}`")]
    UnknownArch { input: String, word: String },
    #[error("`{input}` is not a platform: unknown libc `{word}`")]
    UnknownLibc { input: String, word: String },
    #[error("`{input}` is not a platform: a libc applies to Linux only")]
    LibcOutsideLinux { input: String },
    #[error("`{input}` is not a platform: expected <os>-<arch>[-<libc>]")]
    Shape { input: String },
}

impl Diagnostic for ParseError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Usage
    }

    /// What to type instead.
    fn hint(&self) -> Option<String> {
        let hint: &'static str = {
            "platforms look like linux-x86_64-gnu, linux-aarch64-musl, linux-armv7-gnueabihf, \
             macos-aarch64, windows-x86_64 (aliases such as linux/amd64, darwin-arm64, win-x64 work too)"
        };
        Some(hint.to_string())
    }
}

impl FromStr for Platform {
    type Err = ParseError;

    /// Reads canonical names and everyday aliases: `linux-x86_64-gnu`, `linux/amd64`,
    /// `darwin-arm64`, `osx-x64`, `win-x64`, `linux-armv7-gnueabihf`, `linux/arm/v7`.
    fn from_str(input: &str) -> Result<Platform, ParseError> {
        let lowered = input.trim().to_ascii_lowercase();
        // `linux/arm/v7` is Docker's spelling of armv7; fold it before splitting on `/`.
        let lowered = lowered.replace("arm/v7", "armv7");
        let words: Vec<&str> = lowered
            .split(['-', '/'])
            .filter(|w| !w.is_empty())
            .collect();
        // `x86-64` would split into two words; rejoin the one alias that contains a dash.
        let words: Vec<String> = join_x86_64(&words);
        let shape = || ParseError::Shape {
            input: input.to_string(),
        };
        let (os_word, arch_word, libc_word) = match words.as_slice() {
            [os, arch] => (os, arch, None),
            [os, arch, libc] => (os, arch, Some(libc)),
            _ => return Err(shape()),
        };
        let os = Os::from_alias(os_word).ok_or_else(|| ParseError::UnknownOs {
            input: input.to_string(),
            word: os_word.clone(),
        })?;
        let arch = Arch::from_alias(arch_word).ok_or_else(|| ParseError::UnknownArch {
            input: input.to_string(),
            word: arch_word.clone(),
        })?;
        let libc = match libc_word {
            None => None,
            Some(word) => {
                let libc = Libc::from_alias(word).ok_or_else(|| ParseError::UnknownLibc {
                    input: input.to_string(),
                    word: word.clone(),
                })?;
                if os != Os::Linux {
                    return Err(ParseError::LibcOutsideLinux {
                        input: input.to_string(),
                    });
                }
                Some(libc)
            }
        };
        Ok(Platform { os, arch, libc })
    }
}

fn join_x86_64(words: &[&str]) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        if words[i] == "x86" && words.get(i + 1) == Some(&"64") {
            out.push("x86_64".to_string());
            i += 2;
        } else {
            out.push(words[i].to_string());
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        s.parse::<Platform>()
            .map_or_else(|e| e.to_string(), |p| p.to_string())
    }

    #[test]
    fn canonical_names_round_trip() {
        for platform in NINE {
            assert_eq!(p(&platform.to_string()), platform.to_string());
        }
        assert_eq!(NINE[4].to_string(), "linux-armv7-gnueabihf");
    }

    #[test]
    fn aliases() {
        assert_eq!(p("linux/amd64"), "linux-x86_64");
        assert_eq!(p("linux/arm64"), "linux-aarch64");
        assert_eq!(p("linux/arm/v7"), "linux-armv7");
        assert_eq!(p("darwin-arm64"), "macos-aarch64");
        assert_eq!(p("osx-x64"), "macos-x86_64");
        assert_eq!(p("win-x64"), "windows-x86_64");
        assert_eq!(p("Linux-X86-64-musl"), "linux-x86_64-musl");
        assert_eq!(p("linux-armv7-musleabihf"), "linux-armv7-musleabihf");
        assert_eq!(p("linux-aarch64-glibc"), "linux-aarch64-gnu");
    }

    #[test]
    fn errors_name_the_bad_word() {
        assert_eq!(
            p("plan9-x86_64"),
            "`plan9-x86_64` is not a platform: unknown operating system `plan9`"
        );
        assert_eq!(
            p("linux-m68k"),
            "`linux-m68k` is not a platform: unknown architecture `m68k`"
        );
        assert_eq!(
            p("macos-aarch64-gnu"),
            "`macos-aarch64-gnu` is not a platform: a libc applies to Linux only"
        );
        assert_eq!(
            p("linux"),
            "`linux` is not a platform: expected <os>-<arch>[-<libc>]"
        );
    }
}
