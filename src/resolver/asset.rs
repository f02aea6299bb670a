//! Stage 1, reading one asset name: its file kind (from the extension) and its words, each
//! classified as name, version, OS, architecture, libc, build qualifier (glibc requirement,
//! micro-architecture level) or an extra word.
//!
//! Pure string work on one name at a time; knows nothing of platforms' preferences (that is
//! `platform::fallback`) nor of the other assets in the release (that is `release.rs`).

use std::hash::{BuildHasherDefault, Hasher};

use crate::platform::{Arch, Os};

/// What kind of file an asset is, judged by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Installable(Format),
    Refused(Refusal),
}

/// Installable formats, best first: the discriminant is the rank (see docs/resolution.md).
/// Archives come first (they carry completions and licences, and `extract_all` needs one),
/// stronger compression before weaker (smaller download, same verified content), then single
/// compressed files, then bare executables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Format {
    TarZst,
    TarXz,
    TarGz,
    TarBz2,
    Tar,
    Zip,
    SevenZ,
    Zst,
    Xz,
    Gz,
    Bz2,
    Bare,
}

impl Format {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Format::TarZst => ".tar.zst",
            Format::TarXz => ".tar.xz",
            Format::TarGz => ".tar.gz",
            Format::TarBz2 => ".tar.bz2",
            Format::Tar => ".tar",
            Format::Zip => ".zip",
            Format::SevenZ => ".7z",
            Format::Zst => ".zst",
            Format::Xz => ".xz",
            Format::Gz => ".gz",
            Format::Bz2 => ".bz2",
            Format::Bare => "bare executable",
        }
    }

    pub(crate) fn is_archive(self) -> bool {
        self <= Format::SevenZ
    }

    /// The rank of the format on `os`, lower is better: the stated order, except that Windows
    /// prefers `.zip`, its own format, over `.tar.*` and `.7z`.
    pub(crate) fn rank(self, os: Os) -> u8 {
        if os == Os::Windows && self == Format::Zip {
            0
        } else {
            self as u8 + 1
        }
    }
}

pub(crate) use super::verdict::FileRefusal as Refusal;

/// An OS word in a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OsWord {
    Known(Os),
    /// An OS toolget does not install for (android, netbsd, illumos, …).
    Other(&'static str),
}

/// An architecture word in a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArchWord {
    Named(Arch),
    /// `armhf`: Debian's hard-float 32-bit ARM, `ARMv7` in practice but less specific than
    /// `armv7`, so an `armv7` build beats it.
    Armhf,
    /// `armv6`, `armv6hf`, or `arm` with a hard-float ABI (`arm-unknown-linux-gnueabihf`, the
    /// Raspberry Pi 1 target): `ARMv7` runs these.
    Armv6,
    /// `arm`, `armel`, `armv5`: 32-bit ARM older than (or unspecific about) `ARMv7`.
    OlderArm,
    /// A macOS fat binary (`universal`, `universal2`).
    Universal,
    /// An architecture toolget does not install for (mips, ppc, sparc, …).
    Other(&'static str),
}

/// A libc word in a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LibcWord {
    Gnu,
    Musl,
    Static,
    Msvc,
}

/// What one word of a name says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Os(OsWord),
    /// `linux64`, `win32`: an OS with a bitness that stands for an architecture unless an
    /// explicit architecture word is present too.
    OsArch(Os, Arch),
    /// `mingw`, `manylinux`, `musllinux`, `alpine`, `linuxstatic`.
    OsLibc(Os, LibcWord),
    Arch(ArchWord),
    /// `amd64v3`, `x86_64v2`: `x86_64` with a micro-architecture level glued on.
    ArchLevel(u8),
    Libc(LibcWord),
    /// Target-triple vendor words (`unknown`, `pc`, `w64`) that carry no meaning here.
    Filler,
    Version,
    Word,
}

impl Class {
    pub(crate) fn is_platform(self) -> bool {
        !matches!(self, Class::Word | Class::Version | Class::Filler)
    }
}

/// One word: a byte range of the (ASCII-lowercased) name and what it says.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Word {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) class: Class,
}

/// The OS an asset is for, after reading all its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AssetOs {
    None,
    Is(OsWord),
    Several,
}

/// The architecture an asset is for, after reading all its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AssetArch {
    None,
    Is(ArchWord),
    Several,
}

/// Everything the engine needs to know about one asset, computed once per `select` call.
#[derive(Debug)]
pub(crate) struct Parsed {
    /// The name, ASCII-lowercased (byte offsets equal the original's).
    pub(crate) lower: String,
    pub(crate) kind: FileKind,
    pub(crate) words: Vec<Word>,
    /// How many leading words form the tool name.
    pub(crate) name_len: usize,
    pub(crate) os: AssetOs,
    pub(crate) arch: AssetArch,
    pub(crate) libc: Option<LibcWord>,
    /// Words after the name that are neither version nor platform (`baseline`, `debug`).
    pub(crate) extras: Vec<(usize, usize)>,
    pub(crate) debug: bool,
    /// Position of the extension among its spellings (`.tar.gz` 0, `.tgz` 1): settles the
    /// same build published under two spellings of one format.
    pub(crate) ext_alias: u8,
    /// The glibc the build needs (`glibc2.31`, `gnu-2-17`, `ubuntu-22.04` → 2.35).
    pub(crate) glibc: Option<(u16, u16)>,
    /// x86-64 micro-architecture level (`x86_64-v3` → 3); 0 when none is named.
    pub(crate) level: u8,
    /// A soft-float ARM build (`gnueabi`, `armel`).
    pub(crate) soft_float: bool,
}

impl Parsed {
    /// Reads `name`. `wanted` are the lowercased words of the wanted tool name; they let a
    /// name that itself contains platform words (`win-tool`, `darwin-tool`) be read as a name.
    #[cfg(test)]
    pub(crate) fn new(name: &str, wanted: &[String]) -> Parsed {
        Parsed::read(name, wanted, &mut String::new())
    }

    /// As [`Parsed::new`], lowercasing into `scratch` first so that files refused by their
    /// extension (half of a typical release) cost no allocation.
    pub(crate) fn read(name: &str, wanted: &[String], scratch: &mut String) -> Parsed {
        scratch.clear();
        scratch.push_str(name);
        scratch.make_ascii_lowercase();
        let (stem_end, kind, exe, ext_alias) = file_kind(scratch);
        if let FileKind::Refused(_) = kind {
            // Refused by its extension whatever its words say: no need to read them.
            return Parsed {
                lower: String::new(),
                kind,
                words: Vec::new(),
                name_len: 0,
                os: AssetOs::None,
                arch: AssetArch::None,
                libc: None,
                extras: Vec::new(),
                debug: false,
                ext_alias: 0,
                glibc: None,
                level: 0,
                soft_float: false,
            };
        }
        let lower = scratch.clone();
        let mut words = split_words(&lower, stem_end);
        let name_len = name_length(&lower, &words, wanted);

        let mut os = AssetOs::None;
        let mut other_os: Option<&'static str> = None;
        let mut strong_arch: AssetArch = AssetArch::None;
        let mut weak_arch: Option<Arch> = None;
        let mut universal = false;
        let mut libc = None;
        let mut hard_float = false;
        let mut extras = Vec::new();
        let note_os = |os: &mut AssetOs, o: Os| {
            *os = match *os {
                AssetOs::None => AssetOs::Is(OsWord::Known(o)),
                AssetOs::Is(OsWord::Known(prev)) if prev == o => *os,
                AssetOs::Is(OsWord::Other(_)) => *os,
                _ => AssetOs::Several,
            };
        };
        // Set after a `gnu`/`glibc` word: the numbers that follow are the glibc the build needs
        // (`gnu-2-17`, `glibc-2.31`), not a version of the tool.
        let mut after_gnu = false;
        let mut glibc: Option<(u16, u16)> = None;
        let mut glibc_parts: Vec<u16> = Vec::new();
        // Set after a distribution word (`ubuntu-22.04`): its release tells the glibc.
        let mut after_distro: Option<&str> = None;
        let mut after_x86_64 = false;
        let mut level = 0u8;
        let mut soft_float = false;
        for word in words.iter_mut().skip(name_len) {
            let w = *word;
            let text = &lower[w.start..w.end];
            if after_gnu && w.class == Class::Version && glibc_parts.len() < 2 {
                let parts: Vec<u16> = text.split('.').filter_map(|p| p.parse().ok()).collect();
                if (glibc_parts.is_empty() && parts.len() == 2 && parts[0] == 2)
                    || (parts.len() == 1 && (glibc_parts.len() == 1 || parts[0] == 2))
                {
                    word.class = Class::Filler;
                    glibc_parts.extend(parts);
                    if let [major, minor] = glibc_parts[..] {
                        glibc = Some((major, minor));
                    }
                    continue;
                }
            }
            if let Some(distro) = after_distro.take()
                && w.class == Class::Version
                && let Some(req) = distro_glibc(distro, text)
            {
                word.class = Class::Filler;
                glibc = Some(req);
                continue;
            }
            if after_x86_64
                && w.class == Class::Version
                && let Some(l) = micro_arch_level(text)
            {
                word.class = Class::Filler;
                level = l;
                after_x86_64 = false;
                continue;
            }
            after_gnu = matches!(w.class, Class::Libc(LibcWord::Gnu))
                && (text.starts_with("gnu") || text.starts_with("glibc"));
            glibc_parts.clear();
            after_x86_64 = w.class == Class::Arch(ArchWord::Named(Arch::X86_64));
            match w.class {
                Class::Os(OsWord::Known(o)) => {
                    note_os(&mut os, o);
                    let base = text.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
                    if base.len() == text.len() {
                        if DISTROS.contains(&text) {
                            after_distro = Some(text);
                        }
                    } else if let Some(req) = distro_glibc(base, &text[base.len()..]) {
                        // `centos7`, `ubuntu22.04`: a distribution release, a glibc requirement.
                        glibc = Some(req);
                    } else {
                        // `macos10.10`, `macos11`: the OS with a minimum release glued on is a
                        // variant of the plain `macos` build. (No OS word in the table ends in a
                        // digit, so a trailing digit means `os_with_release` read it.)
                        extras.push((w.start, w.end));
                    }
                }
                Class::Os(OsWord::Other(o)) => {
                    other_os.get_or_insert(o);
                }
                Class::OsArch(o, a) => {
                    note_os(&mut os, o);
                    weak_arch.get_or_insert(a);
                }
                Class::OsLibc(o, l) => {
                    note_os(&mut os, o);
                    libc = Some(merge_libc(libc, l));
                }
                Class::Arch(ArchWord::Universal) => universal = true,
                Class::Arch(_) | Class::ArchLevel(_) => {
                    let a = match w.class {
                        Class::Arch(a) => a,
                        Class::ArchLevel(l) => {
                            level = l;
                            ArchWord::Named(Arch::X86_64)
                        }
                        _ => continue,
                    };
                    soft_float |= text == "armel";
                    strong_arch = match strong_arch {
                        AssetArch::None => AssetArch::Is(a),
                        AssetArch::Is(prev) if prev == a => strong_arch,
                        _ => AssetArch::Several,
                    }
                }
                Class::Libc(l) => {
                    libc = Some(merge_libc(libc, l));
                    hard_float |= text.ends_with("eabihf");
                    soft_float |= text == "gnueabi";
                    // `glibc2.31`, `gnu2.17`: the requirement glued on.
                    let digits = text.trim_start_matches(|c: char| c.is_ascii_alphabetic());
                    if let Some((major, minor)) = digits.split_once('.')
                        && let (Ok(major), Ok(minor)) = (major.parse(), minor.parse())
                    {
                        glibc = Some((major, minor));
                    }
                }
                Class::Filler | Class::Version => {}
                Class::Word => extras.push((w.start, w.end)),
            }
        }
        // `aarch64-linux-android` names Linux too; the other OS is the one that decides.
        if let Some(o) = other_os {
            os = AssetOs::Is(OsWord::Other(o));
        }
        if os == AssetOs::None && exe {
            os = AssetOs::Is(OsWord::Known(Os::Windows));
        }
        let mut arch = if universal {
            AssetArch::Is(ArchWord::Universal)
        } else if strong_arch != AssetArch::None {
            strong_arch
        } else if let Some(a) = weak_arch {
            AssetArch::Is(ArchWord::Named(a))
        } else {
            AssetArch::None
        };
        // No 32-bit ARM Mac ever shipped: on macOS a bare `arm` means Apple silicon.
        if os == AssetOs::Is(OsWord::Known(Os::Macos)) && arch == AssetArch::Is(ArchWord::OlderArm)
        {
            arch = AssetArch::Is(ArchWord::Named(Arch::Aarch64));
        }
        // macOS has run 64-bit only since 10.15: on macOS the word `x86` names Intel x86_64
        // (`gitui-mac-x86`), as `x86-64` would. (`386`/`i386` keep their 32-bit meaning: Go
        // shipped real darwin/386 builds until 2020.)
        if os == AssetOs::Is(OsWord::Known(Os::Macos))
            && arch == AssetArch::Is(ArchWord::Named(Arch::I686))
            && words[name_len..]
                .iter()
                .any(|w| &lower[w.start..w.end] == "x86")
        {
            arch = AssetArch::Is(ArchWord::Named(Arch::X86_64));
        }
        // Rust's `arm-unknown-linux-gnueabihf` is ARMv6 with hardware floating point.
        if hard_float && arch == AssetArch::Is(ArchWord::OlderArm) {
            arch = AssetArch::Is(ArchWord::Armv6);
        }

        let mut kind = kind;
        let mut debug = false;
        let names_platform = os != AssetOs::None || arch != AssetArch::None;
        // An installer (`tool-setup-x64.exe`, `Tool-Full-Installer-x64.exe`,
        // `tool_mini_installer.exe`) installs itself its own way. The word may sit in the name
        // or after it, but a name that starts with it is a tool (`setup-envtest`), and the
        // wanted tool's own words never count.
        let installer = words.iter().skip(1).any(|w| {
            let t = &lower[w.start..w.end];
            matches!(t, "setup" | "installer") && !wanted.iter().any(|want| want == t)
        });
        if installer {
            kind = refuse(kind, Refusal::Installer);
        }
        for &(s, e) in &extras {
            match &lower[s..e] {
                "src" | "source" | "sources" | "vendored" => kind = refuse(kind, Refusal::Source),
                // Plurals too: OBS ships `OBS-Studio-30.0.0-macOS-Intel-dSYMs.tar.xz`.
                "pdb" | "pdbs" | "dsym" | "dsyms" | "symbols" | "debuginfo" | "dbgsym" => {
                    kind = refuse(kind, Refusal::Symbols);
                }
                "debug" | "dbg" | "profile" | "profiling" => debug = true,
                "checksums" | "checksum" | "sha256sums" | "sha256sum" | "sha512sums"
                | "sha512sum" | "md5sums" | "sha1sums" | "b2sums" => {
                    kind = refuse(kind, Refusal::Checksum);
                }
                "sbom" => kind = refuse(kind, Refusal::Sbom),
                "provenance" | "attestation" => kind = refuse(kind, Refusal::Provenance),
                _ => {}
            }
        }
        // A name-only asset (`source.tar.gz`, `checksums.txt`, `SHA256SUMS`): its name words
        // are all it has, so read them for what they are.
        if !names_platform {
            for w in &words[..name_len] {
                match &lower[w.start..w.end] {
                    "src" | "source" | "sources" => kind = refuse(kind, Refusal::Source),
                    "checksums" | "checksum" | "sha256sums" | "sha256sum" | "sha512sums"
                    | "sha512sum" | "md5sums" | "sha1sums" | "b2sums" => {
                        kind = refuse(kind, Refusal::Checksum);
                    }
                    _ => {}
                }
            }
        }

        Parsed {
            lower,
            kind,
            words,
            name_len,
            os,
            arch,
            libc,
            extras,
            debug,
            ext_alias,
            glibc,
            level,
            soft_float,
        }
    }

    /// The name words as spelled in `original`.
    pub(crate) fn name_display<'a>(&self, original: &'a str) -> &'a str {
        match (self.words.first(), self.name_len) {
            (Some(first), n) if n > 0 => &original[first.start..self.words[n - 1].end],
            _ => "",
        }
    }

    /// Both assets carry the same tool name (case and separators aside).
    pub(crate) fn same_name(&self, other: &Parsed) -> bool {
        self.name_words().eq(other.name_words())
    }

    /// The lowercased name words.
    pub(crate) fn name_words(&self) -> impl Iterator<Item = &str> {
        self.words[..self.name_len]
            .iter()
            .map(|w| &self.lower[w.start..w.end])
    }

    /// The same build as `other`, perhaps in another format: the same words, versions aside.
    pub(crate) fn same_build(&self, other: &Parsed) -> bool {
        let mine = self.words.iter().filter(|w| w.class != Class::Version);
        let theirs = other.words.iter().filter(|w| w.class != Class::Version);
        mine.map(|w| &self.lower[w.start..w.end])
            .eq(theirs.map(|w| &other.lower[w.start..w.end]))
    }

    /// The words after the name that name an OS, architecture or libc (lowercased).
    pub(crate) fn platform_words(&self) -> impl Iterator<Item = &str> {
        self.words[self.name_len..]
            .iter()
            .filter(|w| w.class.is_platform())
            .map(|w| &self.lower[w.start..w.end])
    }

    /// Extra words as spelled in the name (lowercased).
    pub(crate) fn extra_words(&self) -> impl Iterator<Item = &str> {
        self.extras.iter().map(|&(s, e)| &self.lower[s..e])
    }

    /// `self` is the `-musl` twin of `unmarked`, a Linux build naming no libc: the same build
    /// apart from the libc word (same name, architecture and extra words, both archives or
    /// both single files). A release that publishes both (`bun-linux-x64.zip`,
    /// `bun-linux-x64-musl.zip`) labels the exception, so the unmarked one is its glibc build.
    pub(crate) fn is_musl_twin_of(&self, unmarked: &Parsed) -> bool {
        self.is_libc_twin_of(unmarked, LibcWord::Musl)
    }

    /// `self` is `unmarked` with the libc word `libc` added (see [`Parsed::is_musl_twin_of`]).
    pub(crate) fn is_libc_twin_of(&self, unmarked: &Parsed, libc: LibcWord) -> bool {
        let linux = AssetOs::Is(OsWord::Known(Os::Linux));
        self.libc == Some(libc)
            && unmarked.libc.is_none()
            && self.os == linux
            && unmarked.os == linux
            && self.arch == unmarked.arch
            && self.debug == unmarked.debug
            && self.is_archive() == unmarked.is_archive()
            && self.same_name(unmarked)
            && self.extra_words().eq(unmarked.extra_words())
    }

    fn is_archive(&self) -> bool {
        matches!(self.kind, FileKind::Installable(f) if f.is_archive())
    }
}

fn refuse(kind: FileKind, r: Refusal) -> FileKind {
    match kind {
        FileKind::Installable(_) => FileKind::Refused(r),
        refused @ FileKind::Refused(_) => refused,
    }
}

fn merge_libc(prev: Option<LibcWord>, new: LibcWord) -> LibcWord {
    // `musl` + `static` is still musl; anything else keeps the first word.
    match (prev, new) {
        (None, l) => l,
        (Some(LibcWord::Static), LibcWord::Musl) => LibcWord::Musl,
        (Some(p), _) => p,
    }
}

/// Distribution words whose release number tells the glibc they ship.
const DISTROS: [&str; 5] = ["ubuntu", "debian", "centos", "rhel", "el"];

/// The glibc of a distribution release (`ubuntu` `22.04` → 2.35), from the distributions'
/// published package versions; `None` for a release not in the table.
fn distro_glibc(distro: &str, release: &str) -> Option<(u16, u16)> {
    let major: u16 = release.split('.').next()?.parse().ok()?;
    let table: &[(u16, (u16, u16))] = match distro {
        "ubuntu" => &[
            (14, (2, 19)),
            (16, (2, 23)),
            (18, (2, 27)),
            (20, (2, 31)),
            (22, (2, 35)),
            (24, (2, 39)),
        ],
        "debian" => &[
            (8, (2, 19)),
            (9, (2, 24)),
            (10, (2, 28)),
            (11, (2, 31)),
            (12, (2, 36)),
            (13, (2, 41)),
        ],
        "centos" | "rhel" | "el" => &[(6, (2, 12)), (7, (2, 17)), (8, (2, 28)), (9, (2, 34))],
        _ => return None,
    };
    table.iter().find(|(m, _)| *m == major).map(|&(_, g)| g)
}

/// `v2`, `v3`, `v4`: an x86-64 micro-architecture level.
fn micro_arch_level(w: &str) -> Option<u8> {
    match w {
        "v2" => Some(2),
        "v3" => Some(3),
        "v4" => Some(4),
        _ => None,
    }
}

/// Splits `lower` into the stem and its file kind; returns `(stem_end, kind, exe, alias)`.
fn file_kind(lower: &str) -> (usize, FileKind, bool, u8) {
    use FileKind::{Installable as I, Refused as R};
    let last = match lower.rfind('.') {
        Some(dot) => &lower[dot + 1..],
        None => "",
    };
    // The last extension decides refusals: `x.tar.gz.sha256` is a checksum.
    let refused = match last {
        "sha256" | "sha512" | "sha1" | "md5" | "sha256sum" | "sha512sum" | "sha256sums" | "b3"
        | "blake3" | "sum" | "sums" | "checksum" | "digest" => Some(Refusal::Checksum),
        "sig" => Some(Refusal::Signature(".sig")),
        "asc" => Some(Refusal::Signature(".asc")),
        "minisig" => Some(Refusal::Signature(".minisig")),
        "pem" => Some(Refusal::Signature(".pem")),
        "cert" | "cer" | "crt" => Some(Refusal::Signature("certificate")),
        "gpg" | "pgp" | "p7s" | "sigstore" => Some(Refusal::Signature("signature")),
        "bundle" => Some(Refusal::Signature("sigstore bundle")),
        "jsonl" | "attestation" if lower.contains("intoto") || last == "attestation" => {
            Some(Refusal::Provenance)
        }
        "sbom" | "spdx" | "cdx" => Some(Refusal::Sbom),
        "json" | "jsonl" | "yaml" | "yml" | "toml" | "txt" | "md" | "html" | "xml" | "pdf"
        | "csv" | "sh256" => {
            if lower.contains(".spdx.") || lower.contains(".cdx.") || lower.contains("sbom") {
                Some(Refusal::Sbom)
            } else if lower.contains("provenance") || lower.contains("intoto") {
                Some(Refusal::Provenance)
            } else if lower.contains("checksum")
                || lower.contains("sha256sum")
                || lower.contains("shasum")
            {
                Some(Refusal::Checksum)
            } else {
                Some(Refusal::Metadata(metadata_ext(last)))
            }
        }
        "deb" => Some(Refusal::Package(".deb")),
        "rpm" => Some(Refusal::Package(".rpm")),
        "apk" => Some(Refusal::Package(".apk")),
        "msi" => Some(Refusal::Package(".msi")),
        "msix" | "msixbundle" => Some(Refusal::Package(".msix")),
        "appx" | "appxbundle" => Some(Refusal::Package(".appx")),
        "pkg" | "mpkg" => Some(Refusal::Package(".pkg")),
        "dmg" => Some(Refusal::Package(".dmg")),
        "snap" => Some(Refusal::Package(".snap")),
        "flatpak" | "flatpakref" => Some(Refusal::Package(".flatpak")),
        "appimage" => Some(Refusal::Package(".AppImage")),
        "nupkg" => Some(Refusal::Package(".nupkg")),
        "ipk" => Some(Refusal::Package(".ipk")),
        "jar" | "war" => Some(Refusal::Runtime(".jar")),
        "phar" => Some(Refusal::Runtime(".phar")),
        "whl" => Some(Refusal::Runtime(".whl")),
        "gem" => Some(Refusal::Runtime(".gem")),
        "vsix" => Some(Refusal::Runtime(".vsix")),
        "artifactbundle" => Some(Refusal::Runtime(".artifactbundle")),
        "pdb" | "debug" | "dwp" => Some(Refusal::Symbols),
        "sh" | "bash" | "ps1" | "bat" | "cmd" | "py" | "rb" | "pl" => {
            Some(Refusal::Script(script_ext(last)))
        }
        "rar" => Some(Refusal::Unextractable(".rar")),
        "lz" | "lzma" | "lz4" => Some(Refusal::Unextractable("lzma/lz4")),
        _ => None,
    };
    if let Some(r) = refused {
        return (lower.len(), R(r), false, 0);
    }
    // Arch Linux packages and Apple/SwiftPM bundles hide behind archive extensions.
    for (suffix, r) in [
        (".pkg.tar.zst", Refusal::Package(".pkg.tar.zst")),
        (".pkg.tar.xz", Refusal::Package(".pkg.tar.xz")),
        (".artifactbundle.zip", Refusal::Runtime(".artifactbundle")),
        (".dsym.zip", Refusal::Symbols),
        (".dsym.tar.gz", Refusal::Symbols),
    ] {
        if lower.ends_with(suffix) {
            return (lower.len(), R(r), false, 0);
        }
    }
    // (suffix, format, alias): alias 0 is the format's usual spelling.
    const FORMATS: [(&str, Format, u8); 18] = [
        (".tar.zst", Format::TarZst, 0),
        (".tar.zstd", Format::TarZst, 1),
        (".tzst", Format::TarZst, 2),
        (".tar.xz", Format::TarXz, 0),
        (".txz", Format::TarXz, 1),
        (".tar.gz", Format::TarGz, 0),
        (".tgz", Format::TarGz, 1),
        (".tar.bz2", Format::TarBz2, 0),
        (".tbz2", Format::TarBz2, 1),
        (".tbz", Format::TarBz2, 2),
        (".tar", Format::Tar, 0),
        (".zip", Format::Zip, 0),
        (".7z", Format::SevenZ, 0),
        (".zst", Format::Zst, 0),
        (".xz", Format::Xz, 0),
        (".gz", Format::Gz, 0),
        (".bz2", Format::Bz2, 0),
        (".bz", Format::Bz2, 1),
    ];
    let (mut stem_end, format, alias) = FORMATS
        .iter()
        .find(|(suffix, _, _)| lower.ends_with(suffix))
        .map_or((lower.len(), Format::Bare, 0), |&(suffix, f, alias)| {
            (lower.len() - suffix.len(), f, alias)
        });
    let mut exe = false;
    if lower[..stem_end].ends_with(".exe") {
        stem_end -= 4;
        exe = true;
    } else if format == Format::Bare {
        // `tool.glorp`: an extension we do not know is not something we can install.
        let last = match lower[..stem_end].rfind('.') {
            Some(dot) => &lower[dot + 1..stem_end],
            None => "",
        };
        if looks_like_extension(last) {
            return (stem_end, R(Refusal::UnknownExtension), false, 0);
        }
    }
    (stem_end, I(format), exe, alias)
}

fn metadata_ext(ext: &str) -> &'static str {
    match ext {
        "json" => ".json",
        "jsonl" => ".jsonl",
        "yaml" | "yml" => ".yaml",
        "toml" => ".toml",
        "txt" => ".txt",
        "md" => ".md",
        "html" => ".html",
        "xml" => ".xml",
        "pdf" => ".pdf",
        _ => "text",
    }
}

fn script_ext(ext: &str) -> &'static str {
    match ext {
        "sh" | "bash" => ".sh",
        "ps1" => ".ps1",
        "bat" | "cmd" => ".bat",
        "py" => ".py",
        "rb" => ".rb",
        _ => ".pl",
    }
}

/// A trailing `.word` that is not a platform word nor a version part reads as an extension.
fn looks_like_extension(last: &str) -> bool {
    !last.is_empty()
        && last.len() <= 12
        && last.as_bytes()[0].is_ascii_alphabetic()
        && last.bytes().all(|b| b.is_ascii_alphanumeric())
        && !classify(last).is_platform()
}

/// Splits on `-`, `_`, `.`, `+` and spaces, but not on a dot between two digits (versions),
/// then rejoins pairs such as `x86`+`64` that a separator split.
fn split_words(lower: &str, end: usize) -> Vec<Word> {
    let bytes = &lower.as_bytes()[..end];
    let mut words: Vec<Word> = Vec::with_capacity(10);
    // The previous raw piece, kept back one step so `x86` + `64` can be rejoined.
    let mut pending: Option<(usize, usize)> = None;
    let mut push = |piece: (usize, usize), pending: &mut Option<(usize, usize)>| {
        if let Some((s, e)) = pending.take() {
            if let Some(class) = joined(&lower[s..e], &lower[piece.0..piece.1]) {
                words.push(Word {
                    start: s,
                    end: piece.1,
                    class,
                });
                return;
            }
            words.push(Word {
                start: s,
                end: e,
                class: classify(&lower[s..e]),
            });
        }
        *pending = Some(piece);
    };
    let mut start = 0;
    for i in 0..bytes.len() {
        let sep = match bytes[i] {
            b'-' | b'_' | b' ' | b'+' => true,
            b'.' => {
                let digit_before = i > 0 && bytes[i - 1].is_ascii_digit();
                let digit_after = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                !(digit_before && digit_after)
            }
            _ => false,
        };
        if sep {
            if start < i {
                push((start, i), &mut pending);
            }
            start = i + 1;
        }
    }
    if start < bytes.len() {
        push((start, bytes.len()), &mut pending);
    }
    if let Some((s, e)) = pending {
        words.push(Word {
            start: s,
            end: e,
            class: classify(&lower[s..e]),
        });
    }
    // A pre-release label right after a version belongs to it (`1.0.0-rc1`).
    for i in 1..words.len() {
        if words[i - 1].class == Class::Version && words[i].class == Class::Word {
            let t = &lower[words[i].start..words[i].end];
            let label = t.trim_end_matches(|c: char| c.is_ascii_digit());
            if matches!(label, "rc" | "alpha" | "beta" | "pre") {
                words[i].class = Class::Version;
            }
        }
    }
    words
}

/// Pairs that a separator split but that form one platform word.
fn joined(a: &str, b: &str) -> Option<Class> {
    let arch = |a| Some(Class::Arch(ArchWord::Named(a)));
    match (a, b) {
        ("x86" | "amd", "64") | ("64", "bit") => arch(Arch::X86_64),
        ("x86", "32") | ("32", "bit") => arch(Arch::I686),
        ("aarch" | "arm", "64") => arch(Arch::Aarch64),
        ("ppcle", "64") => arch(Arch::Ppc64le),
        ("s390", "64") => arch(Arch::S390x),
        ("universal", "binary") => Some(Class::Arch(ArchWord::Universal)),
        ("mingw", "w64") => Some(Class::OsLibc(Os::Windows, LibcWord::Gnu)),
        ("cgo", "disabled") | ("no", "cgo") => Some(Class::Libc(LibcWord::Static)),
        _ => None,
    }
}

/// Every word with a fixed meaning. Looked up through [`WORD_TABLE`], built once.
const WORDS: &[(&str, Class)] = &[
    ("linux", os(Os::Linux)),
    ("ubuntu", os(Os::Linux)),
    ("debian", os(Os::Linux)),
    ("centos", os(Os::Linux)),
    ("fedora", os(Os::Linux)),
    ("rhel", os(Os::Linux)),
    ("darwin", os(Os::Macos)),
    ("macos", os(Os::Macos)),
    ("mac", os(Os::Macos)),
    ("osx", os(Os::Macos)),
    ("macosx", os(Os::Macos)),
    ("apple", os(Os::Macos)),
    ("windows", os(Os::Windows)),
    // `eza.exe_x86_64-pc-windows-gnu.zip`: an `.exe` inside the name names Windows.
    ("exe", os(Os::Windows)),
    ("win", os(Os::Windows)),
    ("freebsd", os(Os::Freebsd)),
    ("linux64", Class::OsArch(Os::Linux, Arch::X86_64)),
    ("linux32", Class::OsArch(Os::Linux, Arch::I686)),
    ("linux86", Class::OsArch(Os::Linux, Arch::I686)),
    ("win64", Class::OsArch(Os::Windows, Arch::X86_64)),
    ("win32", Class::OsArch(Os::Windows, Arch::I686)),
    ("osx64", Class::OsArch(Os::Macos, Arch::X86_64)),
    ("macos64", Class::OsArch(Os::Macos, Arch::X86_64)),
    ("darwin64", Class::OsArch(Os::Macos, Arch::X86_64)),
    ("mingw", Class::OsLibc(Os::Windows, LibcWord::Gnu)),
    ("mingw32", Class::OsLibc(Os::Windows, LibcWord::Gnu)),
    ("mingw64", Class::OsLibc(Os::Windows, LibcWord::Gnu)),
    ("manylinux", Class::OsLibc(Os::Linux, LibcWord::Gnu)),
    ("musllinux", Class::OsLibc(Os::Linux, LibcWord::Musl)),
    ("alpine", Class::OsLibc(Os::Linux, LibcWord::Musl)),
    ("linuxmusl", Class::OsLibc(Os::Linux, LibcWord::Musl)),
    ("linuxstatic", Class::OsLibc(Os::Linux, LibcWord::Static)),
    ("android", other_os("android")),
    ("netbsd", other_os("netbsd")),
    ("openbsd", other_os("openbsd")),
    ("dragonfly", other_os("dragonfly")),
    ("dragonflybsd", other_os("dragonfly")),
    ("illumos", other_os("illumos")),
    ("solaris", other_os("solaris")),
    ("sunos", other_os("solaris")),
    ("fuchsia", other_os("fuchsia")),
    ("aix", other_os("aix")),
    ("haiku", other_os("haiku")),
    ("ios", other_os("ios")),
    ("plan9", other_os("plan9")),
    ("wasi", other_os("wasi")),
    ("wasip1", other_os("wasi")),
    ("wasip2", other_os("wasi")),
    ("emscripten", other_os("wasi")),
    ("redox", other_os("redox")),
    ("cygwin", other_os("cygwin")),
    ("x86_64", arch(Arch::X86_64)),
    ("x86-64", arch(Arch::X86_64)),
    ("amd64", arch(Arch::X86_64)),
    ("x64", arch(Arch::X86_64)),
    ("64bit", arch(Arch::X86_64)),
    ("aarch64", arch(Arch::Aarch64)),
    ("arm64", arch(Arch::Aarch64)),
    ("armv7", arch(Arch::Armv7)),
    ("armv7l", arch(Arch::Armv7)),
    ("armv7a", arch(Arch::Armv7)),
    ("armv7hf", arch(Arch::Armv7)),
    ("armhf", Class::Arch(ArchWord::Armhf)),
    ("intel", arch(Arch::X86_64)),
    ("silicon", arch(Arch::Aarch64)),
    ("m1", arch(Arch::Aarch64)),
    ("nocgo", Class::Libc(LibcWord::Static)),
    ("arm", Class::Arch(ArchWord::OlderArm)),
    ("armv6", Class::Arch(ArchWord::Armv6)),
    ("armv6l", Class::Arch(ArchWord::Armv6)),
    ("armv6hf", Class::Arch(ArchWord::Armv6)),
    ("armel", Class::Arch(ArchWord::OlderArm)),
    ("armv5", Class::Arch(ArchWord::OlderArm)),
    ("armv5te", Class::Arch(ArchWord::OlderArm)),
    ("arm32", Class::Arch(ArchWord::OlderArm)),
    ("i686", arch(Arch::I686)),
    ("i586", arch(Arch::I686)),
    ("i486", arch(Arch::I686)),
    ("i386", arch(Arch::I686)),
    ("386", arch(Arch::I686)),
    ("x86", arch(Arch::I686)),
    ("ia32", arch(Arch::I686)),
    ("32bit", arch(Arch::I686)),
    ("riscv64", arch(Arch::Riscv64)),
    ("riscv64gc", arch(Arch::Riscv64)),
    ("s390x", arch(Arch::S390x)),
    ("ppc64le", arch(Arch::Ppc64le)),
    ("powerpc64le", arch(Arch::Ppc64le)),
    ("ppc64el", arch(Arch::Ppc64le)),
    ("universal", Class::Arch(ArchWord::Universal)),
    ("universal2", Class::Arch(ArchWord::Universal)),
    ("mips", other_arch("mips")),
    ("mipsel", other_arch("mipsel")),
    ("mipsle", other_arch("mipsel")),
    ("mips64", other_arch("mips64")),
    ("mips64el", other_arch("mips64el")),
    ("mips64le", other_arch("mips64el")),
    ("ppc", other_arch("powerpc")),
    ("powerpc", other_arch("powerpc")),
    ("ppc64", other_arch("powerpc64")),
    ("powerpc64", other_arch("powerpc64")),
    ("sparc", other_arch("sparc")),
    ("sparc64", other_arch("sparc")),
    ("sparcv9", other_arch("sparc")),
    ("loong64", other_arch("loongarch64")),
    ("loongarch64", other_arch("loongarch64")),
    ("riscv32", other_arch("riscv32")),
    ("s390", other_arch("s390")),
    ("wasm", other_arch("wasm")),
    ("wasm32", other_arch("wasm")),
    ("wasm64", other_arch("wasm")),
    ("gnu", Class::Libc(LibcWord::Gnu)),
    ("glibc", Class::Libc(LibcWord::Gnu)),
    ("gnueabihf", Class::Libc(LibcWord::Gnu)),
    ("gnueabi", Class::Libc(LibcWord::Gnu)),
    ("gnuabi64", Class::Libc(LibcWord::Gnu)),
    ("gnullvm", Class::Libc(LibcWord::Gnu)),
    ("musl", Class::Libc(LibcWord::Musl)),
    ("musleabihf", Class::Libc(LibcWord::Musl)),
    ("musleabi", Class::Libc(LibcWord::Musl)),
    ("muslabi64", Class::Libc(LibcWord::Musl)),
    ("static", Class::Libc(LibcWord::Static)),
    ("msvc", Class::Libc(LibcWord::Msvc)),
    ("unknown", Class::Filler),
    ("pc", Class::Filler),
    ("w64", Class::Filler),
    ("none", Class::Filler),
];

const fn os(o: Os) -> Class {
    Class::Os(OsWord::Known(o))
}

const fn other_os(o: &'static str) -> Class {
    Class::Os(OsWord::Other(o))
}

const fn arch(a: Arch) -> Class {
    Class::Arch(ArchWord::Named(a))
}

const fn other_arch(a: &'static str) -> Class {
    Class::Arch(ArchWord::Other(a))
}

/// A hash lookup instead of a long `match` on strings: tokenizing a 160-asset release runs
/// this for every word, nine times per lock.
static WORD_TABLE: std::sync::LazyLock<
    std::collections::HashMap<&'static str, Class, BuildHasherDefault<Fnv>>,
> = std::sync::LazyLock::new(|| WORDS.iter().copied().collect());

/// FNV-1a: the keys are short, fixed and ours, so a DoS-resistant hash buys nothing here.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// What one lowercased word says.
pub(crate) fn classify(w: &str) -> Class {
    if let Some(&class) = WORD_TABLE.get(w) {
        return class;
    }
    if is_version(w) {
        Class::Version
    } else if let Some(glued) = os_arch_glued(w) {
        glued
    } else if let Some(level) = glued_level(w) {
        Class::ArchLevel(level)
    } else {
        os_with_release(w)
    }
}

/// `amd64v3`, `x86_64v2`, `x64v4`: `x86_64` with a micro-architecture level glued on.
fn glued_level(w: &str) -> Option<u8> {
    let level = micro_arch_level(w.get(w.len().checked_sub(2)?..)?)?;
    let base = &w[..w.len() - 2];
    match WORD_TABLE.get(base) {
        Some(Class::Arch(ArchWord::Named(Arch::X86_64))) => Some(level),
        _ => None,
    }
}

/// `winarm64`, `linuxamd64`, `macosx64`: an OS word with an architecture glued on (ninja's
/// `ninja-winarm64.zip`). Longer OS words are tried first, so `macosx64` is macOS + `x64`.
fn os_arch_glued(w: &str) -> Option<Class> {
    const OSES: [&str; 6] = ["windows", "darwin", "macos", "linux", "win", "mac"];
    OSES.iter().find_map(|&os_word| {
        let rest = w.strip_prefix(os_word)?;
        match (WORD_TABLE.get(os_word), WORD_TABLE.get(rest)) {
            (Some(&Class::Os(OsWord::Known(o))), Some(&Class::Arch(ArchWord::Named(a)))) => {
                Some(Class::OsArch(o, a))
            }
            _ => None,
        }
    })
}

/// `macos11`, `osx10.15`, `manylinux2014`: an OS word followed by its own release number.
fn os_with_release(w: &str) -> Class {
    let base = w.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    if base.len() == w.len() || base.is_empty() {
        return Class::Word;
    }
    match classify(base) {
        c @ (Class::Os(_) | Class::OsLibc(..)) => c,
        // `glibc2.31`: the glibc requirement glued on, read by `Parsed::read`.
        c @ Class::Libc(LibcWord::Gnu) if base == "glibc" || base == "gnu" => c,
        _ => Class::Word,
    }
}

fn is_version(w: &str) -> bool {
    let digits = w.strip_prefix('v').unwrap_or(w);
    digits.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// How many leading words form the name: the words before the first version or platform
/// word. When the wanted name's words open the asset name, they are the name even if some of
/// them are platform words (`win-tool-windows-x64.zip` for `win-tool`).
fn name_length(lower: &str, words: &[Word], wanted: &[String]) -> usize {
    let generic = words.iter().take_while(|w| w.class == Class::Word).count();
    let opens_with_wanted = !wanted.is_empty()
        && wanted.len() <= words.len()
        && wanted
            .iter()
            .zip(words)
            .all(|(want, w)| &lower[w.start..w.end] == want);
    if opens_with_wanted && wanted.len() > generic {
        wanted.len()
            + words[wanted.len()..]
                .iter()
                .take_while(|w| w.class == Class::Word)
                .count()
    } else {
        generic
    }
}

/// Splits a wanted tool name into lowercased words the way asset names are split.
pub(crate) fn wanted_words(name: &str) -> Vec<String> {
    let lower = name.trim().to_ascii_lowercase();
    let lower = lower.strip_suffix(".exe").unwrap_or(&lower);
    split_words(lower, lower.len())
        .iter()
        .map(|w| lower[w.start..w.end].to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(name: &str) -> Vec<String> {
        let p = Parsed::new(name, &[]);
        p.words
            .iter()
            .map(|w| p.lower[w.start..w.end].to_string())
            .collect()
    }

    fn parsed(name: &str, wanted: &str) -> Parsed {
        Parsed::new(name, &wanted_words(wanted))
    }

    fn name_of(name: &str, wanted: &str) -> String {
        parsed(name, wanted)
            .name_words()
            .collect::<Vec<_>>()
            .join("-")
    }

    #[test]
    fn splits_on_separators_but_keeps_versions_and_x86_64_whole() {
        assert_eq!(
            words("sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz"),
            ["sccache", "v0.14.0", "x86_64", "unknown", "linux", "musl"]
        );
        assert_eq!(
            words("project-Linux-x86-64.tar.gz"),
            ["project", "linux", "x86-64"]
        );
        assert_eq!(words("elide.linux-amd64.txz"), ["elide", "linux", "amd64"]);
        assert_eq!(
            words("protoc-22.2-linux-aarch_64.zip"),
            ["protoc", "22.2", "linux", "aarch_64"]
        );
        assert_eq!(
            words("buildkit-v0.26.3.darwin-amd64.tar.gz"),
            ["buildkit", "v0.26.3", "darwin", "amd64"]
        );
    }

    #[test]
    fn compound_words_carry_os_and_arch() {
        let p = parsed("jq-linux64", "jq");
        assert_eq!(p.os, AssetOs::Is(OsWord::Known(Os::Linux)));
        assert_eq!(p.arch, AssetArch::Is(ArchWord::Named(Arch::X86_64)));
        let p = parsed("jq-win32.exe", "jq");
        assert_eq!(p.arch, AssetArch::Is(ArchWord::Named(Arch::I686)));
        // An explicit architecture beats the bitness in `win32`.
        let p = parsed("node-v20-win32-x64.zip", "node");
        assert_eq!(p.os, AssetOs::Is(OsWord::Known(Os::Windows)));
        assert_eq!(p.arch, AssetArch::Is(ArchWord::Named(Arch::X86_64)));
        let p = parsed("tool-macos11-arm64.tar.gz", "tool");
        assert_eq!(p.os, AssetOs::Is(OsWord::Known(Os::Macos)));
        let p = parsed("project-x86-64-linuxstatic.tar.gz", "project");
        assert_eq!(p.libc, Some(LibcWord::Static));
        let p = parsed("tool-1.0.0-mingw-w64-x86_64.zip", "tool");
        assert_eq!(p.os, AssetOs::Is(OsWord::Known(Os::Windows)));
        assert_eq!(p.libc, Some(LibcWord::Gnu));
        let p = parsed("protoc-22.2-osx-universal_binary.zip", "protoc");
        assert_eq!(p.arch, AssetArch::Is(ArchWord::Universal));
    }

    #[test]
    fn no_os_word_in_the_table_ends_in_a_digit() {
        // `Parsed::read` relies on it to tell `macos11` (OS + release) from a table word.
        for (word, class) in WORDS {
            if let Class::Os(OsWord::Known(_)) = class {
                assert!(!word.ends_with(|c: char| c.is_ascii_digit()), "{word}");
            }
        }
    }

    #[test]
    fn glued_releases_are_extra_words_and_libc_qualifiers_are_requirements() {
        let p = parsed("cmake-3.31.3-macos10.10-universal.tar.gz", "cmake");
        assert_eq!(p.os, AssetOs::Is(OsWord::Known(Os::Macos)));
        assert_eq!(p.extra_words().collect::<Vec<_>>(), ["macos10.10"]);
        let p = parsed("bottom_x86_64-unknown-linux-gnu-2-17.tar.gz", "bottom");
        assert_eq!(p.libc, Some(LibcWord::Gnu));
        assert_eq!(p.glibc, Some((2, 17)));
        assert_eq!(p.extra_words().count(), 0);
        for (name, glibc) in [
            ("tool-x86_64-linux-glibc2.31.tar.gz", (2, 31)),
            ("tool-x86_64-linux-glibc-2.28.tar.gz", (2, 28)),
            ("tool-linux-amd64-ubuntu-22.04.tar.gz", (2, 35)),
            ("tool-linux-amd64-centos7.tar.gz", (2, 17)),
        ] {
            let p = parsed(name, "tool");
            assert_eq!(p.glibc, Some(glibc), "{name}");
            assert_eq!(p.extra_words().count(), 0, "{name}");
        }
        let p = parsed("tool-x86_64-v3-linux.tar.gz", "tool");
        assert_eq!(p.level, 3);
        assert_eq!(parsed("tool-linux-amd64v2.tar.gz", "tool").level, 2);
        assert!(parsed("tool-arm-unknown-linux-gnueabi.tar.gz", "tool").soft_float);
        // A version with dots after the libc word is still a version.
        let p = parsed("tool-x86_64-linux-musl-1.2.3.tar.gz", "tool");
        assert_eq!(p.extra_words().count(), 0);
    }

    #[test]
    fn os_and_arch_glued_into_one_word_are_split() {
        for (name, os, arch) in [
            ("ninja-winarm64.zip", Os::Windows, Arch::Aarch64),
            ("tool-linuxamd64.tar.gz", Os::Linux, Arch::X86_64),
            ("tool-macosx64.zip", Os::Macos, Arch::X86_64),
            ("tool-darwinarm64.zip", Os::Macos, Arch::Aarch64),
        ] {
            let p = parsed(name, "tool");
            assert_eq!(p.os, AssetOs::Is(OsWord::Known(os)), "{name}");
            assert_eq!(p.arch, AssetArch::Is(ArchWord::Named(arch)), "{name}");
        }
        // A word that merely starts with an OS word is not split.
        assert_eq!(classify("winget"), Class::Word);
        assert_eq!(classify("machine"), Class::Word);
    }

    #[test]
    fn android_beats_the_linux_word_in_its_triple() {
        let p = parsed("tool-1.0.0-aarch64-linux-android.zip", "tool");
        assert_eq!(p.os, AssetOs::Is(OsWord::Other("android")));
    }

    #[test]
    fn bare_arm_is_apple_silicon_on_macos_only() {
        let p = parsed("elm-0.19.2-mac-arm.gz", "elm");
        assert_eq!(p.arch, AssetArch::Is(ArchWord::Named(Arch::Aarch64)));
        let p = parsed("elm-0.19.2-linux-arm.gz", "elm");
        assert_eq!(p.arch, AssetArch::Is(ArchWord::OlderArm));
    }

    #[test]
    fn the_name_stops_at_version_and_platform_words() {
        assert_eq!(
            name_of(
                "sccache-dist-v0.14.0-x86_64-unknown-linux-musl.tar.gz",
                "sccache"
            ),
            "sccache-dist"
        );
        assert_eq!(
            name_of("go-arch-lint_1.15.0_linux_amd64.tar.gz", "go-arch-lint"),
            "go-arch-lint"
        );
        assert_eq!(name_of("gh_2.40.0_linux_amd64.tar.gz", "cli"), "gh");
        // The wanted name may itself contain OS words.
        assert_eq!(name_of("win-tool-windows-x64.zip", "win-tool"), "win-tool");
        let p = parsed("win-tool-windows-x64.zip", "win-tool");
        assert_eq!(p.os, AssetOs::Is(OsWord::Known(Os::Windows)));
        assert_eq!(
            name_of("darwin-tool_linux_amd64", "darwin-tool"),
            "darwin-tool"
        );
        let p = parsed("darwin-tool_linux_amd64", "darwin-tool");
        assert_eq!(p.os, AssetOs::Is(OsWord::Known(Os::Linux)));
        // Without that, the generic rule reads the leading OS word as a platform.
        assert_eq!(name_of("win-tool-windows-x64.zip", "other"), "");
    }

    #[test]
    fn file_kinds() {
        let kind = |n: &str| Parsed::new(n, &[]).kind;
        assert_eq!(
            kind("a.tar.gz.sha256"),
            FileKind::Refused(Refusal::Checksum)
        );
        assert_eq!(kind("SHA256SUMS"), FileKind::Refused(Refusal::Checksum));
        assert_eq!(kind("checksums.txt"), FileKind::Refused(Refusal::Checksum));
        assert_eq!(
            kind("a.tar.gz.sig"),
            FileKind::Refused(Refusal::Signature(".sig"))
        );
        assert_eq!(
            kind("a.intoto.jsonl"),
            FileKind::Refused(Refusal::Provenance)
        );
        assert_eq!(kind("a.spdx.json"), FileKind::Refused(Refusal::Sbom));
        assert_eq!(
            kind("a_amd64.deb"),
            FileKind::Refused(Refusal::Package(".deb"))
        );
        assert_eq!(
            kind("a-x86_64.pkg.tar.zst"),
            FileKind::Refused(Refusal::Package(".pkg.tar.zst"))
        );
        assert_eq!(
            kind("a.AppImage"),
            FileKind::Refused(Refusal::Package(".AppImage"))
        );
        assert_eq!(
            kind("tool.jar"),
            FileKind::Refused(Refusal::Runtime(".jar"))
        );
        assert_eq!(
            kind("tool-1.0-src.tar.gz"),
            FileKind::Refused(Refusal::Source)
        );
        assert_eq!(
            kind("a-linux-x86_64.glorp"),
            FileKind::Refused(Refusal::UnknownExtension)
        );
        assert_eq!(kind("a.tgz"), FileKind::Installable(Format::TarGz));
        assert_eq!(kind("a.tzst"), FileKind::Installable(Format::TarZst));
        assert_eq!(
            kind("mkcert-v1.4.4-linux-amd64"),
            FileKind::Installable(Format::Bare)
        );
        assert_eq!(
            kind("elide.linux-amd64"),
            FileKind::Installable(Format::Bare)
        );
        let p = Parsed::new("k3sup.exe", &[]);
        assert_eq!(p.kind, FileKind::Installable(Format::Bare));
        assert_eq!(p.os, AssetOs::Is(OsWord::Known(Os::Windows)));
    }

    #[test]
    fn debug_twins_are_marked_and_symbols_refused() {
        assert!(parsed("tool-linux-amd64-debug.tar.gz", "tool").debug);
        assert_eq!(
            parsed("tool-x86_64-pc-windows-msvc-pdb.zip", "tool").kind,
            FileKind::Refused(Refusal::Symbols)
        );
        for name in [
            "OBS-Studio-30.0.0-macOS-Intel-dSYMs.tar.xz",
            "OBS-Studio-30.0.0-macOS-Apple-dSYMs.tar.xz",
            "tool-1.0-windows-x64-pdbs.zip",
        ] {
            assert_eq!(
                parsed(name, "obs-studio").kind,
                FileKind::Refused(Refusal::Symbols),
                "{name}"
            );
        }
    }

    #[test]
    fn same_build_in_two_formats_is_recognised() {
        let a = parsed("tool-1.0-linux-amd64.tar.gz", "tool");
        let b = parsed("tool-1.0-linux-amd64.zip", "tool");
        let c = parsed("tool-1.0-linux-arm64.zip", "tool");
        assert!(a.same_build(&b));
        assert!(!a.same_build(&c));
    }
}
