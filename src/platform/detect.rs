//! Host detection at run time.
//!
//! Reads a few system files (the ELF header of `/bin/sh`, the names in `/lib` and `/lib64`)
//! and, on Intel macOS only, runs `sysctl`. Never the network, never environment variables
//! (the `--platform`/`TOOLGET_PLATFORM` override is applied by the caller), and never how
//! toolget itself was compiled where that can differ from the host:
//!
//! - **OS**: `std::env::consts::OS`. A binary only runs on the OS it was built for.
//! - **Arch on Linux**: the `e_machine` of `/bin/sh`, i.e. the userland the installed tools
//!   must run in. It differs from toolget's own build when a 32-bit toolget runs on a 64-bit
//!   system (or the reverse, e.g. a 32-bit Raspberry Pi OS userland on a 64-bit kernel, where
//!   `uname -m` would wrongly say aarch64). Reading it is free: we read that header anyway.
//!   Falls back to `std::env::consts::ARCH` when no shell can be read.
//! - **Arch on macOS**: an `x86_64` toolget may run under Rosetta 2 on Apple silicon;
//!   `sysctl -n sysctl.proc_translated` prints `1` there, and the host is then aarch64.
//! - **Arch elsewhere**: `std::env::consts::ARCH`. (Windows on ARM emulating `x86_64` is not
//!   detected: asking would take `unsafe` FFI or environment variables; the `x86_64` build
//!   toolget then picks still runs.)
//! - **libc on Linux**: the ELF interpreter (`PT_INTERP`) of `/bin/sh`, `/usr/bin/env` or
//!   `/bin/ls`: `ld-musl-*` → musl, `ld-linux*`/`ld64.so.*` → glibc. When none of them has an
//!   interpreter we can read (static busybox, distroless), the loaders present in `/lib` and
//!   `/lib64` decide, glibc first (Debian's `musl` package installs a musl loader next to
//!   glibc's). With no loader at all the system runs only static binaries, which is what
//!   musl builds usually are, so the answer is musl.

use std::io::Read;
use std::path::Path;

use super::{Arch, Libc, Os, Platform};
use crate::error::{Diagnostic, ErrorKind};

/// Why the host platform could not be determined.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    #[error("cannot tell which platform this machine is ({0})")]
    Unsupported(String),
}

impl Diagnostic for DetectError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Usage
    }

    /// What the user can do about it.
    fn hint(&self) -> Option<String> {
        Some(
            "pass --platform or set TOOLGET_PLATFORM, e.g. `--platform linux-x86_64-musl`"
                .to_string(),
        )
    }
}

/// Detect the platform toolget is running on.
pub fn detect_host() -> Result<Platform, DetectError> {
    let os = os_from_consts(std::env::consts::OS)?;
    let compiled_arch = arch_from_consts(std::env::consts::ARCH)?;
    Ok(match os {
        Os::Linux => {
            let host = detect_linux(Path::new("/"));
            Platform::new(os, host.arch.unwrap_or(compiled_arch), Some(host.libc))
        }
        Os::Macos => Platform::new(os, macos_arch(compiled_arch), None),
        Os::Windows | Os::Freebsd => Platform::new(os, compiled_arch, None),
    })
}

fn os_from_consts(os: &str) -> Result<Os, DetectError> {
    match os {
        "linux" => Ok(Os::Linux),
        "macos" => Ok(Os::Macos),
        "windows" => Ok(Os::Windows),
        "freebsd" => Ok(Os::Freebsd),
        other => Err(DetectError::Unsupported(format!(
            "operating system `{other}` is not supported"
        ))),
    }
}

fn arch_from_consts(arch: &str) -> Result<Arch, DetectError> {
    match arch {
        "x86_64" => Ok(Arch::X86_64),
        "aarch64" => Ok(Arch::Aarch64),
        // toolget's 32-bit ARM builds target armv7 hard-float.
        "arm" => Ok(Arch::Armv7),
        "x86" => Ok(Arch::I686),
        "riscv64" => Ok(Arch::Riscv64),
        "s390x" => Ok(Arch::S390x),
        "powerpc64" if cfg!(target_endian = "little") => Ok(Arch::Ppc64le),
        other => Err(DetectError::Unsupported(format!(
            "architecture `{other}` is not supported"
        ))),
    }
}

/// Rosetta 2 check; only asked when it can matter (an `x86_64` build on macOS).
fn macos_arch(compiled: Arch) -> Arch {
    if compiled != Arch::X86_64 {
        return compiled;
    }
    // Intel Macs lack the key, so sysctl fails there: that, too, means "not translated".
    let translated = std::process::Command::new("/usr/sbin/sysctl")
        .args(["-n", "sysctl.proc_translated"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string());
    rosetta_arch(compiled, translated.as_deref())
}

/// `proc_translated` is sysctl's answer (`None` when it failed).
fn rosetta_arch(compiled: Arch, proc_translated: Option<&str>) -> Arch {
    if compiled == Arch::X86_64 && proc_translated == Some("1") {
        Arch::Aarch64
    } else {
        compiled
    }
}

/// What the files under a Linux root say.
#[derive(Debug, PartialEq, Eq)]
struct LinuxHost {
    /// `None` when no shell's ELF header could be read.
    arch: Option<Arch>,
    libc: Libc,
}

/// Programs every Linux userland has, in the order we ask them.
const PROBES: [&str; 3] = ["bin/sh", "usr/bin/env", "bin/ls"];

/// Enough for the ELF header, the program headers and the interpreter path, which linkers
/// place at the start of the file.
const HEAD_BYTES: u64 = 64 * 1024;

/// Detect arch and libc from the files under `root` (`/` in production; a temp dir in
/// tests).
fn detect_linux(root: &Path) -> LinuxHost {
    let mut arch = None;
    for probe in PROBES {
        let Some(head) = read_head(&root.join(probe)) else {
            continue;
        };
        arch = arch.or_else(|| elf_machine(&head));
        if let Some(libc) = elf_interpreter(&head).and_then(|i| libc_from_interpreter(&i)) {
            return LinuxHost { arch, libc };
        }
    }
    let libc = libc_from_loaders(root).unwrap_or(Libc::Musl);
    LinuxHost { arch, libc }
}

fn read_head(path: &Path) -> Option<Vec<u8>> {
    let file = std::fs::File::open(path).ok()?;
    let mut head = Vec::new();
    file.take(HEAD_BYTES).read_to_end(&mut head).ok()?;
    Some(head)
}

/// The libc whose dynamic loader lives in `root`'s `lib`/`lib64`; glibc wins when both do.
fn libc_from_loaders(root: &Path) -> Option<Libc> {
    let mut found = Vec::new();
    for dir in ["lib", "lib64"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            if let Some(libc) = entry.file_name().to_str().and_then(libc_from_interpreter) {
                found.push(libc);
            }
        }
    }
    if found.contains(&Libc::Gnu) {
        Some(Libc::Gnu)
    } else if found.contains(&Libc::Musl) {
        Some(Libc::Musl)
    } else {
        None
    }
}

/// The libc a dynamic loader path belongs to, by its file name: `ld-musl-x86_64.so.1` →
/// musl; `ld-linux-x86-64.so.2`, `ld-linux-armhf.so.3`, `ld-linux.so.2`, `ld64.so.2` →
/// glibc. Anything else (Android's `linker64`, unrelated files) → `None`.
fn libc_from_interpreter(path: &str) -> Option<Libc> {
    let file = path.rsplit('/').next().unwrap_or(path);
    if file.starts_with("ld-musl-") && file.contains(".so") {
        Some(Libc::Musl)
    } else if (file.starts_with("ld-linux") || file.starts_with("ld64.so.")) && file.contains(".so")
    {
        Some(Libc::Gnu)
    } else {
        None
    }
}

/// An ELF file's identity bytes, read defensively: every read is bounds-checked, so
/// truncated or garbage input yields `None`, never a panic.
struct Elf<'a> {
    bytes: &'a [u8],
    is_64: bool,
    big_endian: bool,
}

impl<'a> Elf<'a> {
    fn new(bytes: &'a [u8]) -> Option<Elf<'a>> {
        if bytes.get(..4)? != b"\x7fELF" {
            return None;
        }
        let is_64 = match bytes.get(4)? {
            1 => false,
            2 => true,
            _ => return None,
        };
        let big_endian = match bytes.get(5)? {
            1 => false,
            2 => true,
            _ => return None,
        };
        Some(Elf {
            bytes,
            is_64,
            big_endian,
        })
    }

    fn uint(&self, offset: usize, width: usize) -> Option<u64> {
        let raw = self.bytes.get(offset..offset.checked_add(width)?)?;
        let fold = |acc: u64, b: &u8| (acc << 8) | u64::from(*b);
        Some(if self.big_endian {
            raw.iter().fold(0, fold)
        } else {
            raw.iter().rev().fold(0, fold)
        })
    }

    fn u16(&self, offset: usize) -> Option<usize> {
        self.uint(offset, 2).map(|v| v as usize)
    }

    fn u32(&self, offset: usize) -> Option<u32> {
        self.uint(offset, 4).and_then(|v| u32::try_from(v).ok())
    }

    /// A word: 4 bytes in 32-bit files, 8 in 64-bit ones.
    fn word(&self, offset: usize) -> Option<usize> {
        let width = if self.is_64 { 8 } else { 4 };
        self.uint(offset, width)
            .and_then(|v| usize::try_from(v).ok())
    }

    fn machine(&self) -> Option<u16> {
        self.uint(18, 2).and_then(|v| u16::try_from(v).ok())
    }

    /// `(p_type, p_offset, p_filesz)` of each program header that lies inside the bytes.
    fn program_headers(&self) -> impl Iterator<Item = (u32, usize, usize)> + '_ {
        // e_phoff, e_phentsize, e_phnum; and p_offset/p_filesz within an entry.
        let (phoff_at, entsize_at, num_at, off_in, size_in) = if self.is_64 {
            (0x20, 0x36, 0x38, 0x08, 0x20)
        } else {
            (0x1c, 0x2a, 0x2c, 0x04, 0x10)
        };
        let table = self.word(phoff_at);
        let entsize = self.u16(entsize_at).unwrap_or(0);
        let count = self.u16(num_at).unwrap_or(0);
        // An entry too small to hold p_filesz means a corrupt header: read nothing.
        let usable = table.is_some() && entsize >= size_in + if self.is_64 { 8 } else { 4 };
        (0..if usable { count } else { 0 }).map_while(move |i| {
            let at = table?.checked_add(i.checked_mul(entsize)?)?;
            Some((
                self.u32(at)?,
                self.word(at + off_in)?,
                self.word(at + size_in)?,
            ))
        })
    }
}

const PT_INTERP: u32 = 3;

/// The dynamic loader an ELF executable asks for (`PT_INTERP`), e.g.
/// `/lib64/ld-linux-x86-64.so.2`. `None` for static executables and for anything that is
/// not a well-formed ELF file within `bytes`.
fn elf_interpreter(bytes: &[u8]) -> Option<String> {
    let elf = Elf::new(bytes)?;
    let (_, offset, size) = elf
        .program_headers()
        .find(|&(kind, _, _)| kind == PT_INTERP)?;
    let raw = bytes.get(offset..offset.checked_add(size)?)?;
    let path = raw.split(|b| *b == 0).next()?;
    let path = std::str::from_utf8(path).ok()?;
    (!path.is_empty()).then(|| path.to_string())
}

/// The architecture an ELF file is built for.
fn elf_machine(bytes: &[u8]) -> Option<Arch> {
    let elf = Elf::new(bytes)?;
    Some(match (elf.machine()?, elf.is_64, elf.big_endian) {
        (62, true, false) => Arch::X86_64,
        (183, true, false) => Arch::Aarch64,
        (40, false, false) => Arch::Armv7,
        (3, false, false) => Arch::I686,
        (243, true, false) => Arch::Riscv64,
        (22, true, true) => Arch::S390x,
        (21, true, false) => Arch::Ppc64le,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal ELF file: header, one `PT_INTERP` program header (when `interp` is given)
    /// and the interpreter path.
    fn synthetic_elf(is_64: bool, big_endian: bool, machine: u16, interp: Option<&str>) -> Vec<u8> {
        let (ehsize, phentsize) = if is_64 { (64, 56) } else { (52, 32) };
        let put = |buf: &mut Vec<u8>, at: usize, value: u64, width: usize| {
            let bytes = value.to_le_bytes();
            let mut field = bytes[..width].to_vec();
            if big_endian {
                field.reverse();
            }
            buf[at..at + width].copy_from_slice(&field);
        };
        let path = interp.map(|p| format!("{p}\0")).unwrap_or_default();
        let phnum = usize::from(interp.is_some());
        let path_at = ehsize + phentsize * phnum;
        let mut buf = vec![0u8; path_at + path.len()];
        buf[..4].copy_from_slice(b"\x7fELF");
        buf[4] = if is_64 { 2 } else { 1 };
        buf[5] = if big_endian { 2 } else { 1 };
        buf[6] = 1;
        put(&mut buf, 16, 2, 2); // ET_EXEC
        put(&mut buf, 18, u64::from(machine), 2);
        let word = if is_64 { 8 } else { 4 };
        let (phoff_at, entsize_at, num_at, off_in, size_in) = if is_64 {
            (0x20, 0x36, 0x38, 0x08, 0x20)
        } else {
            (0x1c, 0x2a, 0x2c, 0x04, 0x10)
        };
        put(&mut buf, phoff_at, ehsize as u64, word);
        put(&mut buf, entsize_at, phentsize as u64, 2);
        put(&mut buf, num_at, phnum as u64, 2);
        if interp.is_some() {
            put(&mut buf, ehsize, u64::from(PT_INTERP), 4);
            put(&mut buf, ehsize + off_in, path_at as u64, word);
            put(&mut buf, ehsize + size_in, path.len() as u64, word);
            buf[path_at..].copy_from_slice(path.as_bytes());
        }
        buf
    }

    const MUSL_X86_64: &str = "/lib/ld-musl-x86_64.so.1";

    #[test]
    fn synthetic_64_bit_musl_shell() {
        let elf = synthetic_elf(true, false, 62, Some(MUSL_X86_64));
        assert_eq!(elf_interpreter(&elf).as_deref(), Some(MUSL_X86_64));
        assert_eq!(libc_from_interpreter(MUSL_X86_64), Some(Libc::Musl));
        assert_eq!(elf_machine(&elf), Some(Arch::X86_64));
    }

    #[test]
    fn synthetic_32_bit_and_big_endian_headers() {
        let arm = synthetic_elf(false, false, 40, Some("/lib/ld-linux-armhf.so.3"));
        assert_eq!(
            elf_interpreter(&arm).as_deref(),
            Some("/lib/ld-linux-armhf.so.3")
        );
        assert_eq!(elf_machine(&arm), Some(Arch::Armv7));

        let s390 = synthetic_elf(true, true, 22, Some("/lib/ld64.so.1"));
        assert_eq!(elf_interpreter(&s390).as_deref(), Some("/lib/ld64.so.1"));
        assert_eq!(elf_machine(&s390), Some(Arch::S390x));

        let be32 = synthetic_elf(false, true, 8, Some("/lib/ld.so.1"));
        assert_eq!(elf_interpreter(&be32).as_deref(), Some("/lib/ld.so.1"));
        assert_eq!(
            elf_machine(&be32),
            None,
            "32-bit MIPS is not a toolget arch"
        );
    }

    #[test]
    fn static_executable_has_no_interpreter() {
        let elf = synthetic_elf(true, false, 183, None);
        assert_eq!(elf_interpreter(&elf), None);
        assert_eq!(elf_machine(&elf), Some(Arch::Aarch64));
    }

    #[test]
    fn truncated_and_garbage_input_is_none_not_a_panic() {
        let elf = synthetic_elf(true, false, 62, Some(MUSL_X86_64));
        for len in 0..elf.len() {
            assert_eq!(elf_interpreter(&elf[..len]), None, "cut at {len}");
        }
        assert_eq!(elf_interpreter(b"#!/bin/sh\necho hi\n"), None);
        assert_eq!(elf_interpreter(&[0x7f, b'E', b'L', b'F', 9, 9]), None);
        // Offsets pointing far past the end, and an absurd entry count.
        let mut wild = elf.clone();
        wild[0x20..0x28].copy_from_slice(&u64::MAX.to_le_bytes());
        assert_eq!(elf_interpreter(&wild), None);
        let mut wild = elf.clone();
        wild[64 + 8..64 + 16].copy_from_slice(&(u64::MAX - 2).to_le_bytes());
        assert_eq!(elf_interpreter(&wild), None);
        let mut wild = elf;
        wild[0x38..0x3a].copy_from_slice(&u16::MAX.to_le_bytes());
        assert_eq!(elf_interpreter(&wild).as_deref(), Some(MUSL_X86_64));
        let noise: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert_eq!(elf_interpreter(&noise), None);
    }

    #[test]
    fn interpreter_names() {
        let cases = [
            ("/lib/ld-musl-x86_64.so.1", Some(Libc::Musl)),
            ("/lib/ld-musl-aarch64.so.1", Some(Libc::Musl)),
            ("/lib/ld-musl-armhf.so.1", Some(Libc::Musl)),
            ("/lib64/ld-linux-x86-64.so.2", Some(Libc::Gnu)),
            ("/lib/ld-linux-aarch64.so.1", Some(Libc::Gnu)),
            ("/lib/ld-linux-armhf.so.3", Some(Libc::Gnu)),
            ("/lib/ld-linux.so.2", Some(Libc::Gnu)),
            ("/lib64/ld64.so.2", Some(Libc::Gnu)),
            (
                "/nix/store/abc-glibc-2.39/lib/ld-linux-x86-64.so.2",
                Some(Libc::Gnu),
            ),
            ("/system/bin/linker64", None),
            ("ld-musl-config.txt", None),
            ("", None),
        ];
        for (path, want) in cases {
            assert_eq!(libc_from_interpreter(path), want, "{path}");
        }
    }

    #[test]
    fn this_machine_is_glibc_linux() {
        // The sandbox these tests run in is a glibc Linux; the real files must say so.
        let head = read_head(Path::new("/bin/sh")).expect("/bin/sh readable");
        let interp = elf_interpreter(&head).expect("/bin/sh is dynamically linked");
        assert_eq!(libc_from_interpreter(&interp), Some(Libc::Gnu), "{interp}");
        let host = detect_host().expect("detects");
        assert_eq!(host.os, Os::Linux);
        assert_eq!(host.libc, Some(Libc::Gnu));
        assert_eq!(Some(host.arch), elf_machine(&head));
    }

    fn root_with(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
        let root = tempfile::tempdir().expect("tempdir");
        for (path, bytes) in files {
            let path = root.path().join(path);
            std::fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
            std::fs::write(path, bytes).expect("write");
        }
        root
    }

    #[test]
    fn alpine_like_root_is_musl() {
        let sh = synthetic_elf(true, false, 183, Some("/lib/ld-musl-aarch64.so.1"));
        let root = root_with(&[("bin/sh", sh)]);
        assert_eq!(
            detect_linux(root.path()),
            LinuxHost {
                arch: Some(Arch::Aarch64),
                libc: Libc::Musl
            }
        );
    }

    #[test]
    fn later_probes_are_asked_when_the_shell_is_static() {
        let sh = synthetic_elf(true, false, 62, None);
        let env = synthetic_elf(true, false, 62, Some("/lib64/ld-linux-x86-64.so.2"));
        let root = root_with(&[("bin/sh", sh), ("usr/bin/env", env)]);
        assert_eq!(
            detect_linux(root.path()),
            LinuxHost {
                arch: Some(Arch::X86_64),
                libc: Libc::Gnu
            }
        );
    }

    #[test]
    fn loader_files_decide_when_no_program_can_be_read() {
        let musl_only = root_with(&[("lib/ld-musl-x86_64.so.1", Vec::new())]);
        assert_eq!(
            detect_linux(musl_only.path()),
            LinuxHost {
                arch: None,
                libc: Libc::Musl
            }
        );
        // Debian with the `musl` package: glibc is still the system libc.
        let both = root_with(&[
            ("lib/ld-musl-x86_64.so.1", Vec::new()),
            ("lib64/ld-linux-x86-64.so.2", Vec::new()),
        ]);
        assert_eq!(detect_linux(both.path()).libc, Libc::Gnu);
        let garbage_sh = root_with(&[
            ("bin/sh", b"not an elf".to_vec()),
            ("lib/ld-linux-aarch64.so.1", Vec::new()),
        ]);
        assert_eq!(detect_linux(garbage_sh.path()).libc, Libc::Gnu);
        // Nothing dynamic at all (scratch image): only static binaries run, i.e. musl builds.
        let empty = root_with(&[]);
        assert_eq!(detect_linux(empty.path()).libc, Libc::Musl);
    }

    #[test]
    fn rosetta_translation_means_arm64() {
        assert_eq!(rosetta_arch(Arch::X86_64, Some("1")), Arch::Aarch64);
        assert_eq!(rosetta_arch(Arch::X86_64, Some("0")), Arch::X86_64);
        assert_eq!(rosetta_arch(Arch::X86_64, None), Arch::X86_64);
        assert_eq!(rosetta_arch(Arch::Aarch64, None), Arch::Aarch64);
    }

    #[test]
    fn consts_mapping_and_errors() {
        assert_eq!(arch_from_consts("arm").expect("arm"), Arch::Armv7);
        assert_eq!(os_from_consts("macos").expect("macos"), Os::Macos);
        let e = os_from_consts("android").expect_err("android");
        assert_eq!(
            e.to_string(),
            "cannot tell which platform this machine is (operating system `android` is not supported)"
        );
        assert!(
            e.hint()
                .is_some_and(|h| h.contains("--platform") && h.contains("TOOLGET_PLATFORM"))
        );
        let e = arch_from_consts("mips").expect_err("mips");
        assert!(e.to_string().contains("architecture `mips`"));
    }
}
