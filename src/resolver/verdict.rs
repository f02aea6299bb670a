//! Reasons are data: why each asset was accepted or rejected ([`Reason`]), what the release
//! told about the names that left something out ([`Inference`]), and the warnings a selection
//! carries ([`Warning`]). Each renders to one line of text and serializes to JSON with a stable
//! `kind`; no code reads the text back.

use std::fmt;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::platform::{Arch, Os};

/// Which filter option excluded an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterOption {
    Matching,
    MatchingRegex,
    AssetPattern,
}

impl FilterOption {
    pub fn as_str(self) -> &'static str {
        match self {
            FilterOption::Matching => "matching",
            FilterOption::MatchingRegex => "matching_regex",
            FilterOption::AssetPattern => "asset_pattern",
        }
    }
}

/// Why a file is never installed, whatever the platform (judged by its name alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRefusal {
    Checksum,
    Signature(&'static str),
    Provenance,
    Sbom,
    Metadata(&'static str),
    Package(&'static str),
    Runtime(&'static str),
    Symbols,
    Script(&'static str),
    Unextractable(&'static str),
    UnknownExtension,
    Source,
    Installer,
}

impl FileRefusal {
    fn kind(self) -> &'static str {
        match self {
            FileRefusal::Checksum => "checksum",
            FileRefusal::Signature(_) => "signature",
            FileRefusal::Provenance => "provenance",
            FileRefusal::Sbom => "sbom",
            FileRefusal::Metadata(_) => "metadata",
            FileRefusal::Package(_) => "package",
            FileRefusal::Runtime(_) => "runtime",
            FileRefusal::Symbols => "symbols",
            FileRefusal::Script(_) => "script",
            FileRefusal::Unextractable(_) => "unextractable",
            FileRefusal::UnknownExtension => "unknown_file_type",
            FileRefusal::Source => "source",
            FileRefusal::Installer => "installer",
        }
    }
}

/// The decision about one asset: a kind (stable, for scripts and tests) and its details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The chosen asset. `build` describes it (`x86_64 gnu build`).
    Chosen {
        build: String,
        platform: String,
        /// Not the platform's first preference: the best the release offers.
        fallback: bool,
        /// What the release as a whole told about this name, and other notes.
        notes: Vec<String>,
    },
    /// Excluded by a filter option.
    Filtered { option: FilterOption, value: String },
    /// Never installable (checksum, signature, package, …).
    File(FileRefusal),
    /// `[extract_all]` needs an archive.
    NotAnArchive { format: &'static str },
    /// Names neither OS nor architecture.
    NoPlatform { others_do: bool },
    /// `lib<tool>`: a library, not the tool.
    Library { name: String, wanted: String },
    /// Another tool of the release.
    OtherTool { name: String, wanted: String },
    /// The wanted name plus extra words (`sccache-dist` for `sccache`).
    ExtraWords {
        name: String,
        extra: String,
        wanted: String,
    },
    /// The release ships several tools and none is the wanted one.
    SeveralTools {
        tools: Vec<String>,
        wanted: Option<String>,
    },
    /// Built for another operating system.
    OtherOs { os: String, host: Os },
    /// Names several operating systems, or none that the release explains.
    UnknownOs { several: bool },
    /// Built for another architecture.
    OtherArch { arch: String, host: Arch },
    /// A 32-bit build on a 64-bit host.
    ThirtyTwoBit { arch: String, host: Arch },
    /// Names no architecture, and the release does not say which it is.
    UnknownArch { several: bool, os: Os },
    /// Needs a libc the host does not have.
    Libc {
        libc: &'static str,
        host: &'static str,
    },
    /// A soft-float ARM build for a hard-float host.
    SoftFloat,
    /// Built against a glibc newer than the host's.
    GlibcTooNew { needs: String, host: String },
    /// Needs a CPU micro-architecture level the host lacks (or that is not known to be there).
    MicroArch { level: u8, host_level: Option<u8> },
    /// Runs here, but a better kind of build exists.
    LowerTier { build: String, winner: String },
    /// A variant (debug, edition, micro-arch level, glibc twin) of the chosen plain build.
    Variant {
        what: String,
        winner: Option<String>,
    },
    /// The same build as the winner in another packaging.
    Packaging {
        format: &'static str,
        winner: String,
        winner_format: &'static str,
    },
    /// The same build under another spelling.
    Spelling { winner: String },
    /// Fits as well as other, different builds.
    Tie { build: String, others: Vec<String> },
    /// Not judged (the selection stopped before it).
    NotConsidered,
}

impl Reason {
    /// A stable word for scripts, JSON and tests.
    pub fn kind(&self) -> &'static str {
        match self {
            Reason::Chosen { .. } => "chosen",
            Reason::Filtered { .. } => "filtered",
            Reason::File(r) => r.kind(),
            Reason::NotAnArchive { .. } => "not_an_archive",
            Reason::NoPlatform { .. } => "no_platform",
            Reason::Library { .. } => "library",
            Reason::OtherTool { .. } => "other_tool",
            Reason::ExtraWords { .. } => "extra_words",
            Reason::SeveralTools { .. } => "several_tools",
            Reason::OtherOs { .. } => "other_os",
            Reason::UnknownOs { .. } => "unknown_os",
            Reason::OtherArch { .. } => "other_arch",
            Reason::ThirtyTwoBit { .. } => "32_bit_on_64_bit",
            Reason::UnknownArch { .. } => "unknown_arch",
            Reason::Libc { .. } => "libc",
            Reason::SoftFloat => "soft_float",
            Reason::GlibcTooNew { .. } => "glibc_too_new",
            Reason::MicroArch { .. } => "micro_arch",
            Reason::LowerTier { .. } => "lower_tier",
            Reason::Variant { .. } => "variant",
            Reason::Packaging { .. } => "packaging",
            Reason::Spelling { .. } => "spelling",
            Reason::Tie { .. } => "tie",
            Reason::NotConsidered => "not_considered",
        }
    }
}

fn ticked(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Chosen {
                build,
                platform,
                fallback,
                notes,
            } => {
                write!(f, "chosen: {build} for {platform}")?;
                if *fallback {
                    write!(f, " (the best this release offers)")?;
                }
                for note in notes {
                    write!(f, "; {note}")?;
                }
                Ok(())
            }
            Reason::Filtered { option, value } => {
                write!(f, "excluded by [{}={value}]", option.as_str())
            }
            Reason::File(r) => match r {
                FileRefusal::Checksum => write!(f, "checksum file"),
                FileRefusal::Signature(kind) => write!(f, "signature ({kind})"),
                FileRefusal::Provenance => write!(f, "provenance attestation"),
                FileRefusal::Sbom => write!(f, "software bill of materials (SBOM)"),
                FileRefusal::Metadata(ext) => write!(f, "text or metadata file ({ext})"),
                FileRefusal::Package(ext) => {
                    write!(f, "OS package ({ext}); toolget installs executables")
                }
                FileRefusal::Runtime(ext) => write!(
                    f,
                    "platform-independent {ext} needs a language runtime; toolget installs \
                     native executables"
                ),
                FileRefusal::Symbols => write!(f, "debug symbols, not an executable"),
                FileRefusal::Script(ext) => write!(f, "script ({ext}), not a build"),
                FileRefusal::Unextractable(ext) => {
                    write!(f, "{ext} archive: toolget cannot extract it")
                }
                FileRefusal::UnknownExtension => write!(f, "unknown file type"),
                FileRefusal::Source => write!(f, "source archive"),
                FileRefusal::Installer => {
                    write!(
                        f,
                        "installer, not the tool itself; toolget installs executables"
                    )
                }
            },
            Reason::NotAnArchive { format } => write!(
                f,
                "{format} is not an archive; [extract_all] needs a .tar.*, .zip or .7z"
            ),
            Reason::NoPlatform { others_do: true } => write!(
                f,
                "names no operating system or architecture, while other assets do (source or \
                 data, not a build)"
            ),
            Reason::NoPlatform { others_do: false } => write!(
                f,
                "names no operating system or architecture; toolget does not guess that it \
                 runs here (name it with [asset_pattern=…] if it does)"
            ),
            Reason::Library { name, wanted } => {
                write!(f, "`{name}` is a library of `{wanted}`, not the tool")
            }
            Reason::OtherTool { name, wanted } => write!(f, "name `{name}` is not `{wanted}`"),
            Reason::ExtraWords {
                name,
                extra,
                wanted,
            } => {
                let s = if extra.contains(' ') { "s" } else { "" };
                write!(
                    f,
                    "name `{name}` has extra word{s} `{extra}` beyond `{wanted}`"
                )
            }
            Reason::SeveralTools { tools, wanted } => {
                write!(f, "this release ships several tools ({})", tools.join(", "))?;
                match wanted {
                    Some(w) => write!(f, " and none is named `{w}`"),
                    None => write!(f, " and no [exe=…] says which"),
                }
            }
            Reason::OtherOs { os, host } => write!(f, "for {os}, not {}", host.as_str()),
            Reason::UnknownOs { several: true } => write!(f, "names several operating systems"),
            Reason::UnknownOs { several: false } => write!(
                f,
                "names no operating system, and the release's other assets do not tell which"
            ),
            Reason::OtherArch { arch, host } => write!(f, "for {arch}, not {}", host.as_str()),
            Reason::ThirtyTwoBit { arch, host } => write!(
                f,
                "32-bit {arch} build; toolget never installs a 32-bit build on a 64-bit {} host",
                host.as_str()
            ),
            Reason::UnknownArch { several: true, .. } => {
                write!(f, "names several architectures")
            }
            Reason::UnknownArch { several: false, os } => write!(
                f,
                "names no architecture, while other {} builds name the likely ones",
                os.as_str()
            ),
            Reason::Libc { libc, host } => {
                write!(f, "{libc} build; a {host} host cannot run it")
            }
            Reason::SoftFloat => write!(
                f,
                "soft-float (gnueabi) build; a hard-float gnu host is served by hard-float builds"
            ),
            Reason::GlibcTooNew { needs, host } => {
                write!(f, "needs glibc {needs}; this host has glibc {host}")
            }
            Reason::MicroArch {
                level,
                host_level: Some(h),
            } => write!(
                f,
                "needs x86-64-v{level}; this CPU supports x86-64-v{h}, so the baseline build is \
                 taken"
            ),
            Reason::MicroArch {
                level,
                host_level: None,
            } => write!(
                f,
                "x86-64-v{level} build; the CPU of this platform is not known, so the baseline \
                 build is taken"
            ),
            Reason::LowerTier { build, winner } => {
                write!(f, "{build}; lower tier than `{winner}`")
            }
            Reason::Variant {
                what,
                winner: Some(w),
            } => write!(f, "{what}; the plain build `{w}` is preferred"),
            Reason::Variant { what, winner: None } => {
                write!(f, "{what}; plain builds are preferred")
            }
            Reason::Packaging {
                format,
                winner,
                winner_format,
            } => write!(
                f,
                "same build as `{winner}`; {winner_format} is preferred over {format}"
            ),
            Reason::Spelling { winner } => write!(
                f,
                "same build as `{winner}` under another spelling; the release's other assets \
                 spell their platform words like it"
            ),
            Reason::Tie { build, others } => write!(
                f,
                "{build}; ties with {}: different builds, no rule prefers one",
                ticked(others)
            ),
            Reason::NotConsidered => write!(f, "not considered"),
        }
    }
}

/// The decision about one asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub asset: String,
    /// True for the chosen asset only.
    pub accepted: bool,
    pub reason: Reason,
}

impl Verdict {
    pub fn kind(&self) -> &'static str {
        self.reason.kind()
    }

    /// The reason as one line of text.
    pub fn detail(&self) -> String {
        self.reason.to_string()
    }
}

impl Serialize for Verdict {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Names come from the release: bounded and escaped, like every message.
        let mut st = s.serialize_struct("Verdict", 4)?;
        st.serialize_field("asset", &crate::text::shown(&self.asset))?;
        st.serialize_field("accepted", &self.accepted)?;
        st.serialize_field("kind", self.kind())?;
        let detail = crate::text::untrusted_within(&self.detail(), 1000).to_string();
        st.serialize_field("detail", &detail)?;
        st.end()
    }
}

/// A fact a name leaves out, inferred from the release as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    Os(Os),
    Arch(Arch),
    /// The build is the glibc one.
    Glibc,
}

impl fmt::Display for Fact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fact::Os(o) => f.write_str(o.as_str()),
            Fact::Arch(a) => f.write_str(a.as_str()),
            Fact::Glibc => f.write_str("glibc"),
        }
    }
}

/// Why a fact was inferred.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// `gnu`, `musl`: a Linux libc word.
    LibcWord(String),
    /// The only architecture no other build of the OS names.
    UnclaimedArch { others: Vec<String> },
    /// The only operating system no other asset names.
    UnclaimedOs { others: Vec<String> },
    /// A `-musl` twin marks the unmarked build as the glibc one.
    MuslTwin(String),
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Evidence::LibcWord(w) => write!(f, "`{w}` is a Linux libc"),
            Evidence::UnclaimedArch { others } => write!(
                f,
                "the other builds for its OS name only {}, and it names none",
                others.join(", ")
            ),
            Evidence::UnclaimedOs { others } => write!(
                f,
                "the release's other builds are for {}, and it names no OS",
                others.join(", ")
            ),
            Evidence::MuslTwin(twin) => {
                write!(f, "it names no libc, and its musl twin `{twin}` does")
            }
        }
    }
}

/// One inferred fact about one asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inference {
    pub asset: String,
    pub fact: Fact,
    pub evidence: Evidence,
}

impl fmt::Display for Inference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}`: inferred: {}, because {}",
            self.asset, self.fact, self.evidence
        )
    }
}

impl Serialize for Inference {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (fact, value) = match self.fact {
            Fact::Os(o) => ("os", o.as_str()),
            Fact::Arch(a) => ("arch", a.as_str()),
            Fact::Glibc => ("libc", "gnu"),
        };
        let mut st = s.serialize_struct("Inference", 4)?;
        st.serialize_field("asset", &crate::text::shown(&self.asset))?;
        st.serialize_field("fact", fact)?;
        st.serialize_field("value", value)?;
        let because = crate::text::untrusted_within(&self.evidence.to_string(), 1000).to_string();
        st.serialize_field("because", &because)?;
        st.end()
    }
}

/// Something the user should know about a selection that still succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The registry entry's hints excluded every asset of the release (old versions often use
    /// other names); the engine chose without them.
    RegistryHintIgnored { entry: String },
}

impl Warning {
    pub fn kind(&self) -> &'static str {
        match self {
            Warning::RegistryHintIgnored { .. } => "registry_hint_ignored",
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::RegistryHintIgnored { entry } => write!(
                f,
                "the registry entry `{entry}` matches no asset of this release; chose without \
                 its hints (run `toolget registry check {entry}`)"
            ),
        }
    }
}
