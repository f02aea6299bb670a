//! Facts about the machine toolget runs on that a platform name does not carry: the glibc
//! version (to choose among `glibc2.28`/`glibc2.31` twins) and the x86-64 micro-architecture
//! level of the CPU (to choose among `x86_64-v2`/`-v3` builds).
//!
//! Read at run time, never from how toolget was compiled, and only for the host: another
//! platform gets no facts, and the resolver then takes the most compatible build.

use std::path::Path;

use super::{Arch, Libc, Os, Platform};

/// What only the host can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostFacts {
    /// The platform these facts describe; the resolver ignores them for any other.
    pub platform: Platform,
    /// The glibc version, `(2, 36)`; `None` when not glibc or not found.
    pub glibc: Option<(u16, u16)>,
    /// The x86-64 micro-architecture level the CPU supports (1 to 4); 0 off `x86_64`.
    pub x86_64_level: u8,
}

impl HostFacts {
    /// Detect the facts for `host` (the result of [`super::detect_host`]).
    pub fn detect(host: Platform) -> HostFacts {
        // Read once per process: it may scan the 2 MB libc, and `lock` plans many tools.
        static GLIBC: std::sync::OnceLock<Option<(u16, u16)>> = std::sync::OnceLock::new();
        let glibc = if host.os == Os::Linux && host.libc == Some(Libc::Gnu) {
            *GLIBC.get_or_init(|| glibc_version(Path::new("/")))
        } else {
            None
        };
        let x86_64_level = if host.arch == Arch::X86_64 {
            x86_64_level()
        } else {
            0
        };
        HostFacts {
            platform: host,
            glibc,
            x86_64_level,
        }
    }
}

/// Where distributions put `libc.so.6`.
const LIBC_DIRS: [&str; 9] = [
    "lib/x86_64-linux-gnu",
    "usr/lib/x86_64-linux-gnu",
    "lib/aarch64-linux-gnu",
    "usr/lib/aarch64-linux-gnu",
    "lib/arm-linux-gnueabihf",
    "usr/lib/arm-linux-gnueabihf",
    "lib64",
    "usr/lib64",
    "lib",
];

/// The glibc version under `root`: the name a `libc.so.6` link points to (`libc-2.31.so`, up to
/// glibc 2.33), else the `release version 2.36.` banner inside the library itself.
fn glibc_version(root: &Path) -> Option<(u16, u16)> {
    for dir in LIBC_DIRS {
        let path = root.join(dir).join("libc.so.6");
        if let Ok(target) = std::fs::read_link(&path)
            && let Some(v) = target
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix("libc-")?.strip_suffix(".so"))
                .and_then(parse_version)
        {
            return Some(v);
        }
        if let Ok(bytes) = std::fs::read(&path)
            && let Some(v) = banner_version(&bytes)
        {
            return Some(v);
        }
    }
    None
}

fn banner_version(bytes: &[u8]) -> Option<(u16, u16)> {
    const NEEDLE: &[u8] = b"release version ";
    let at = bytes.windows(NEEDLE.len()).position(|w| w == NEEDLE)? + NEEDLE.len();
    let rest = &bytes[at..bytes.len().min(at + 16)];
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_digit() || *b == b'.'))
        .unwrap_or(rest.len());
    let text = std::str::from_utf8(&rest[..end]).ok()?;
    parse_version(text.trim_end_matches('.'))
}

fn parse_version(text: &str) -> Option<(u16, u16)> {
    let mut parts = text.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// The x86-64 psABI level the CPU supports, by std's run-time feature detection.
#[cfg(target_arch = "x86_64")]
fn x86_64_level() -> u8 {
    use std::arch::is_x86_feature_detected as has;
    let v2 = has!("cmpxchg16b")
        && has!("popcnt")
        && has!("sse3")
        && has!("sse4.1")
        && has!("sse4.2")
        && has!("ssse3");
    let v3 = v2
        && has!("avx")
        && has!("avx2")
        && has!("bmi1")
        && has!("bmi2")
        && has!("f16c")
        && has!("fma")
        && has!("lzcnt")
        && has!("movbe")
        && has!("xsave");
    let v4 = v3
        && has!("avx512f")
        && has!("avx512bw")
        && has!("avx512cd")
        && has!("avx512dq")
        && has!("avx512vl");
    1 + u8::from(v2) + u8::from(v3) + u8::from(v4)
}

/// Not running on x86_64 (an emulated x86_64 platform gets no level): the baseline.
#[cfg(not(target_arch = "x86_64"))]
fn x86_64_level() -> u8 {
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glibc_version_from_the_link_name_or_the_banner() {
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("lib64");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::os::unix::fs::symlink("libc-2.28.so", dir.join("libc.so.6")).expect("link");
        assert_eq!(glibc_version(root.path()), Some((2, 28)));

        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("lib/x86_64-linux-gnu");
        std::fs::create_dir_all(&dir).expect("mkdir");
        let mut lib = vec![0u8; 4096];
        lib.extend_from_slice(
            b"GNU C Library (Debian GLIBC 2.36-9) stable release version 2.36.\n",
        );
        std::fs::write(dir.join("libc.so.6"), lib).expect("write");
        assert_eq!(glibc_version(root.path()), Some((2, 36)));

        let empty = tempfile::tempdir().expect("tempdir");
        assert_eq!(glibc_version(empty.path()), None);
    }

    #[test]
    fn this_machine_has_a_level_and_facts_only_for_its_own_platform() {
        let host = super::super::detect_host().expect("detects");
        let facts = HostFacts::detect(host);
        assert_eq!(facts.platform, host);
        if host.arch == Arch::X86_64 {
            assert!((1..=4).contains(&facts.x86_64_level));
        }
    }
}
