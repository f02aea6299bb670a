//! Tool specs: `[backend:]<name | owner/repo>[[key=value,...]][@version]` -> [`ToolSpec`].
//!
//! Pure parsing; no registry lookups, no network, no filesystem. A bad spec gets an error
//! that points at the bad part ([`SpecError::render`]).
//!
//! Option values may contain `,`, `]`, `=` and `@` (regexes such as `x{1,2}` or `[a-z]`):
//! a `,` ends a value only when what follows looks like `key=`, and the options end at the
//! last `]` in the spec (a version never contains one).

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use crate::error::{Diagnostic, ErrorKind};
use crate::release::RepoId;
use crate::version::{VersionError, VersionSpec};

/// How the spec was spelled. Every backend means the same thing to toolget; the spelling is
/// kept only to echo it back. Identity never depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// No prefix.
    Implicit,
    Github,
    Ubi,
    Aqua,
    Toolget,
}

/// What the spec names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ToolRef {
    /// A curated registry name such as `sccache`.
    Name(String),
    /// A GitHub repository.
    Repo(crate::release::RepoId),
}

/// Options in `[key=value,...]`, spelled as mise/ubi users write them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SpecOptions {
    /// The executable wanted (default: the repo name).
    pub exe: Option<String>,
    /// Substring the asset name must contain.
    pub matching: Option<String>,
    /// Regex the asset name must match.
    pub matching_regex: Option<String>,
    /// Glob over asset names.
    pub asset_pattern: Option<String>,
    /// GitHub API base URL for this tool (GitHub Enterprise).
    pub api_url: Option<String>,
    /// Keep the whole archive, link the executable.
    pub extract_all: Option<bool>,
    /// Provenance policy for this tool: `required`, `if-present` or `off`.
    pub provenance: Option<String>,
    /// minisign public key (base64) to check `<asset>.minisig` with.
    pub minisign_key: Option<String>,
}

/// A parsed tool spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolSpec {
    /// The spec exactly as typed.
    pub raw: String,
    pub backend: Backend,
    pub tool: ToolRef,
    pub options: SpecOptions,
    pub version: VersionSpec,
}

/// Option keys, in the order [`ToolSpec`]'s `Display` writes them.
pub const OPTION_KEYS: [&str; 8] = [
    "exe",
    "matching",
    "matching_regex",
    "asset_pattern",
    "api_url",
    "extract_all",
    "provenance",
    "minisign_key",
];

/// A spec that cannot be read. Every variant carries the spec (`input`) and the byte range
/// of the bad part (`span`), which [`SpecError::render`] underlines.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("empty tool spec")]
    Empty { input: String, span: Range<usize> },
    #[error("unknown backend `{backend}` in `{input}`")]
    UnknownBackend {
        input: String,
        span: Range<usize>,
        backend: String,
    },
    #[error("no tool named in `{input}`")]
    MissingTool { input: String, span: Range<usize> },
    #[error("empty {part} in `{input}`")]
    EmptyPart {
        input: String,
        span: Range<usize>,
        part: &'static str,
    },
    #[error("more than one `/` in `{input}`")]
    ExtraSlash { input: String, span: Range<usize> },
    #[error("character `{}` is not allowed in a {part} in `{input}`", ch.escape_default())]
    BadChar {
        input: String,
        span: Range<usize>,
        ch: char,
        part: &'static str,
    },
    #[error("`{name}` is not a valid {part} in `{input}`")]
    DotName {
        input: String,
        span: Range<usize>,
        name: String,
        part: &'static str,
    },
    #[error("options opened with `[` are not closed in `{input}`")]
    UnclosedOptions { input: String, span: Range<usize> },
    #[error("unexpected `{text}` after the options in `{input}`")]
    TrailingText {
        input: String,
        span: Range<usize>,
        text: String,
    },
    #[error("options come before `@version`, not after, in `{input}`")]
    OptionsAfterVersion { input: String, span: Range<usize> },
    #[error("empty options `[]` in `{input}`")]
    EmptyOptions { input: String, span: Range<usize> },
    #[error("stray `,` in the options of `{input}`")]
    EmptyOption { input: String, span: Range<usize> },
    #[error("unknown option `{key}` in `{input}`")]
    UnknownOption {
        input: String,
        span: Range<usize>,
        key: String,
    },
    #[error("option `{key}` needs a value in `{input}`")]
    MissingValue {
        input: String,
        span: Range<usize>,
        key: &'static str,
    },
    #[error("option `{key}` is given twice in `{input}`")]
    DuplicateOption {
        input: String,
        span: Range<usize>,
        key: &'static str,
    },
    #[error("option `{key}` has an empty value in `{input}`")]
    EmptyValue {
        input: String,
        span: Range<usize>,
        key: &'static str,
    },
    #[error("`{value}` is not a yes/no value for `{key}` in `{input}`")]
    BadBool {
        input: String,
        span: Range<usize>,
        key: &'static str,
        value: String,
    },
    #[error("`{value}` is not a provenance policy in `{input}`")]
    BadProvenance {
        input: String,
        span: Range<usize>,
        value: String,
    },
    #[error("`{value}` is not a file name for `exe` in `{input}`")]
    BadExe {
        input: String,
        span: Range<usize>,
        value: String,
    },
    #[error("`matching_regex` is not a valid regular expression in `{input}`")]
    BadRegex {
        input: String,
        span: Range<usize>,
        #[source]
        source: Box<regex::Error>,
    },
    #[error("`asset_pattern` is not a valid glob in `{input}`")]
    BadGlob {
        input: String,
        span: Range<usize>,
        #[source]
        source: glob::PatternError,
    },
    #[error("`api_url` must be an http:// or https:// URL in `{input}`")]
    BadUrl { input: String, span: Range<usize> },
    #[error("empty version after `@` in `{input}`")]
    EmptyVersion { input: String, span: Range<usize> },
    #[error("invalid version in `{input}`")]
    BadVersion {
        input: String,
        span: Range<usize>,
        #[source]
        source: VersionError,
    },
}

impl SpecError {
    /// The byte range of the bad part in the spec.
    pub fn span(&self) -> Range<usize> {
        match self {
            SpecError::Empty { span, .. }
            | SpecError::UnknownBackend { span, .. }
            | SpecError::MissingTool { span, .. }
            | SpecError::EmptyPart { span, .. }
            | SpecError::ExtraSlash { span, .. }
            | SpecError::BadChar { span, .. }
            | SpecError::DotName { span, .. }
            | SpecError::UnclosedOptions { span, .. }
            | SpecError::TrailingText { span, .. }
            | SpecError::OptionsAfterVersion { span, .. }
            | SpecError::EmptyOptions { span, .. }
            | SpecError::EmptyOption { span, .. }
            | SpecError::UnknownOption { span, .. }
            | SpecError::MissingValue { span, .. }
            | SpecError::DuplicateOption { span, .. }
            | SpecError::EmptyValue { span, .. }
            | SpecError::BadBool { span, .. }
            | SpecError::BadProvenance { span, .. }
            | SpecError::BadExe { span, .. }
            | SpecError::BadRegex { span, .. }
            | SpecError::BadGlob { span, .. }
            | SpecError::BadUrl { span, .. }
            | SpecError::EmptyVersion { span, .. }
            | SpecError::BadVersion { span, .. } => span.clone(),
        }
    }

    /// The spec as typed.
    pub fn input(&self) -> &str {
        match self {
            SpecError::Empty { input, .. }
            | SpecError::UnknownBackend { input, .. }
            | SpecError::MissingTool { input, .. }
            | SpecError::EmptyPart { input, .. }
            | SpecError::ExtraSlash { input, .. }
            | SpecError::BadChar { input, .. }
            | SpecError::DotName { input, .. }
            | SpecError::UnclosedOptions { input, .. }
            | SpecError::TrailingText { input, .. }
            | SpecError::OptionsAfterVersion { input, .. }
            | SpecError::EmptyOptions { input, .. }
            | SpecError::EmptyOption { input, .. }
            | SpecError::UnknownOption { input, .. }
            | SpecError::MissingValue { input, .. }
            | SpecError::DuplicateOption { input, .. }
            | SpecError::EmptyValue { input, .. }
            | SpecError::BadBool { input, .. }
            | SpecError::BadProvenance { input, .. }
            | SpecError::BadExe { input, .. }
            | SpecError::BadRegex { input, .. }
            | SpecError::BadGlob { input, .. }
            | SpecError::BadUrl { input, .. }
            | SpecError::EmptyVersion { input, .. }
            | SpecError::BadVersion { input, .. } => input,
        }
    }

    /// The spec with a caret line under the bad part, like rustc:
    ///
    /// ```text
    ///   github:mozilla/sccache[exee=sccache]
    ///                          ^^^^
    /// ```
    ///
    /// Columns count chars, not bytes. An empty span gets one caret at its position.
    pub fn render(&self, input: &str) -> String {
        let span = self.span();
        let column_of = |byte: usize| input.char_indices().take_while(|&(i, _)| i < byte).count();
        let start = column_of(span.start);
        let width = column_of(span.end).saturating_sub(start).max(1);
        format!("  {input}\n  {}{}", " ".repeat(start), "^".repeat(width))
    }
}

impl Diagnostic for SpecError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidSpec
    }

    /// What the user should type instead.
    fn hint(&self) -> Option<String> {
        let hint = match self {
            SpecError::Empty { .. } | SpecError::MissingTool { .. } => {
                "name a tool from the registry (`sccache`) or a GitHub repository (`mozilla/sccache`)"
                    .to_string()
            }
            SpecError::UnknownBackend { .. } => {
                "known backends: github, ubi, aqua, toolget (all mean a GitHub release); \
                 or leave the prefix out"
                    .to_string()
            }
            SpecError::EmptyPart { .. } | SpecError::ExtraSlash { .. } => {
                "a repository is written `owner/repo`, e.g. `mozilla/sccache`".to_string()
            }
            SpecError::BadChar { .. } | SpecError::DotName { .. } => {
                "names and GitHub owners/repositories use only letters, digits, `.`, `_` and `-`"
                    .to_string()
            }
            SpecError::UnclosedOptions { .. }
            | SpecError::TrailingText { .. }
            | SpecError::OptionsAfterVersion { .. } => {
                "write options in brackets before the version: `owner/repo[exe=name]@1.2.3`"
                    .to_string()
            }
            SpecError::EmptyOptions { .. } | SpecError::EmptyOption { .. } => {
                "options are `key=value` pairs separated by `,`, e.g. `[exe=rg,matching=musl]`"
                    .to_string()
            }
            SpecError::UnknownOption { .. } => format!("known options: {}", OPTION_KEYS.join(", ")),
            SpecError::MissingValue { key, .. }
            | SpecError::EmptyValue { key, .. }
            | SpecError::DuplicateOption { key, .. } => {
                format!("give `{key}` exactly once, as `{key}=<value>`")
            }
            SpecError::BadBool { key, .. } => {
                format!("`{key}` takes true/false, yes/no or 1/0")
            }
            SpecError::BadProvenance { .. } => {
                "`provenance` takes required, if-present or off".to_string()
            }
            SpecError::BadExe { .. } => {
                "give the executable's file name, e.g. `exe=rg`; toolget finds it inside the archive"
                    .to_string()
            }
            SpecError::BadRegex { .. } => {
                "check the regex syntax; a `,` followed by `word=` ends the value".to_string()
            }
            SpecError::BadGlob { .. } => {
                "globs use `*`, `?` and `[abc]`, e.g. `asset_pattern=*linux-musl*.tar.gz`"
                    .to_string()
            }
            SpecError::BadUrl { .. } => {
                "e.g. `api_url=https://github.example.com/api/v3`".to_string()
            }
            SpecError::EmptyVersion { .. } => {
                "write `@1.2.3`, `@1.2`, `@^1.2` or leave `@` out for the latest release"
                    .to_string()
            }
            SpecError::BadVersion { source, .. } => return source.hint(),
        };
        Some(hint)
    }

    fn picture(&self) -> Option<String> {
        Some(self.render(self.input()))
    }
}

impl Backend {
    /// The prefix as written before `:` (`None` for [`Backend::Implicit`]).
    pub fn prefix(self) -> Option<&'static str> {
        match self {
            Backend::Implicit => None,
            Backend::Github => Some("github"),
            Backend::Ubi => Some("ubi"),
            Backend::Aqua => Some("aqua"),
            Backend::Toolget => Some("toolget"),
        }
    }

    fn from_prefix(word: &str) -> Option<Backend> {
        [
            Backend::Github,
            Backend::Ubi,
            Backend::Aqua,
            Backend::Toolget,
        ]
        .into_iter()
        .find(|b| b.prefix().is_some_and(|p| p.eq_ignore_ascii_case(word)))
    }
}

impl ToolSpec {
    /// Parse `[backend:]<name | owner/repo>[[key=value,...]][@version]`.
    pub fn parse(input: &str) -> Result<ToolSpec, SpecError> {
        Parser { input }.parse()
    }

    /// The repository, when the spec names one.
    pub fn repo(&self) -> Option<&RepoId> {
        match &self.tool {
            ToolRef::Repo(repo) => Some(repo),
            ToolRef::Name(_) => None,
        }
    }

    /// The registry name, or the repository's name.
    pub fn name(&self) -> &str {
        match &self.tool {
            ToolRef::Name(name) => name,
            ToolRef::Repo(repo) => &repo.name,
        }
    }

    /// The canonical spelling without `@version`.
    pub fn without_version_string(&self) -> String {
        let mut out = String::new();
        if let Some(prefix) = self.backend.prefix() {
            out.push_str(prefix);
            out.push(':');
        }
        match &self.tool {
            ToolRef::Name(name) => out.push_str(name),
            ToolRef::Repo(repo) => out.push_str(&repo.to_string()),
        }
        let o = &self.options;
        let extract_all = o.extract_all.map(|b| b.to_string());
        let pairs: Vec<String> = OPTION_KEYS
            .iter()
            .zip([
                &o.exe,
                &o.matching,
                &o.matching_regex,
                &o.asset_pattern,
                &o.api_url,
                &extract_all,
                &o.provenance,
                &o.minisign_key,
            ])
            .filter_map(|(key, value)| value.as_ref().map(|v| format!("{key}={v}")))
            .collect();
        if !pairs.is_empty() {
            out.push('[');
            out.push_str(&pairs.join(","));
            out.push(']');
        }
        out
    }
}

impl fmt::Display for ToolSpec {
    /// Canonical spelling: backend as typed (lowercase), options in [`OPTION_KEYS`] order,
    /// `@version` unless the version is [`VersionSpec::Latest`]. Parses back to an equal spec.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.without_version_string())?;
        if self.version != VersionSpec::Latest {
            write!(f, "@{}", self.version)?;
        }
        Ok(())
    }
}

impl FromStr for ToolSpec {
    type Err = SpecError;

    fn from_str(input: &str) -> Result<ToolSpec, SpecError> {
        ToolSpec::parse(input)
    }
}

struct Parser<'a> {
    input: &'a str,
}

impl Parser<'_> {
    fn owned(&self) -> String {
        self.input.to_string()
    }

    fn parse(&self) -> Result<ToolSpec, SpecError> {
        let input = self.input;
        if input.is_empty() {
            return Err(SpecError::Empty {
                input: self.owned(),
                span: 0..0,
            });
        }
        // The head (backend and tool) ends at the options or the version.
        let head_end = input.find(['[', '@']).unwrap_or(input.len());
        let (backend, tool_start) = self.backend(&input[..head_end])?;
        let tool = self.tool(tool_start..head_end)?;

        let mut pos = head_end;
        let mut options = SpecOptions::default();
        if input[pos..].starts_with('[') {
            // The last `]`: values may contain `]`, a version never does.
            let close = match input.rfind(']') {
                Some(close) if close > pos => close,
                _ => {
                    return Err(SpecError::UnclosedOptions {
                        input: self.owned(),
                        span: pos..input.len(),
                    });
                }
            };
            options = self.options(pos + 1..close)?;
            pos = close + 1;
            if !input[pos..].is_empty() && !input[pos..].starts_with('@') {
                let end = input[pos..].find('@').map_or(input.len(), |at| pos + at);
                return Err(SpecError::TrailingText {
                    input: self.owned(),
                    span: pos..end,
                    text: input[pos..end].to_string(),
                });
            }
        }
        let version = match input[pos..].strip_prefix('@') {
            None => VersionSpec::Latest,
            Some(text) => self.version(pos, text)?,
        };
        Ok(ToolSpec {
            raw: self.owned(),
            backend,
            tool,
            options,
            version,
        })
    }

    /// Split off `backend:`; returns the backend and where the tool starts.
    fn backend(&self, head: &str) -> Result<(Backend, usize), SpecError> {
        let Some(colon) = head.find(':') else {
            return Ok((Backend::Implicit, 0));
        };
        let word = &head[..colon];
        // `owner/re:po` has no backend; let the tool check point at the `:`.
        if !word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Ok((Backend::Implicit, 0));
        }
        match Backend::from_prefix(word) {
            Some(backend) => Ok((backend, colon + 1)),
            None => Err(SpecError::UnknownBackend {
                input: self.owned(),
                span: if word.is_empty() { 0..1 } else { 0..colon },
                backend: word.to_string(),
            }),
        }
    }

    fn tool(&self, range: Range<usize>) -> Result<ToolRef, SpecError> {
        let text = &self.input[range.clone()];
        if text.is_empty() {
            return Err(SpecError::MissingTool {
                input: self.owned(),
                span: range.start..range.start,
            });
        }
        let Some(slash) = text.find('/') else {
            self.check_name(text, range.start, "name")?;
            return Ok(ToolRef::Name(text.to_string()));
        };
        let (owner, repo) = (&text[..slash], &text[slash + 1..]);
        if let Some(second) = repo.find('/') {
            let at = range.start + slash + 1 + second;
            return Err(SpecError::ExtraSlash {
                input: self.owned(),
                span: at..range.end,
            });
        }
        self.check_name(owner, range.start, "repository owner")?;
        self.check_name(repo, range.start + slash + 1, "repository name")?;
        Ok(ToolRef::Repo(RepoId::new(owner, repo)))
    }

    /// GitHub's rule for owners and repositories, applied to registry names too.
    fn check_name(&self, name: &str, offset: usize, part: &'static str) -> Result<(), SpecError> {
        if name.is_empty() {
            return Err(SpecError::EmptyPart {
                input: self.owned(),
                span: offset..offset,
                part,
            });
        }
        if let Some((i, ch)) = name
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(SpecError::BadChar {
                input: self.owned(),
                span: offset + i..offset + i + ch.len_utf8(),
                ch,
                part,
            });
        }
        if name == "." || name == ".." {
            return Err(SpecError::DotName {
                input: self.owned(),
                span: offset..offset + name.len(),
                name: name.to_string(),
                part,
            });
        }
        Ok(())
    }

    /// Parse the text between `[` and `]` (`range` excludes both).
    fn options(&self, range: Range<usize>) -> Result<SpecOptions, SpecError> {
        let body = &self.input[range.clone()];
        if body.is_empty() {
            return Err(SpecError::EmptyOptions {
                input: self.owned(),
                span: range.start - 1..range.end + 1,
            });
        }
        for stray in [0, body.len() - 1] {
            if body.as_bytes()[stray] == b',' {
                let at = range.start + stray;
                return Err(SpecError::EmptyOption {
                    input: self.owned(),
                    span: at..at + 1,
                });
            }
        }
        let mut options = SpecOptions::default();
        let mut piece_start = 0;
        let separators = body
            .match_indices(',')
            .map(|(i, _)| i)
            .filter(|&i| looks_like_key(&body[i + 1..]));
        for end in separators.chain([body.len()]) {
            // `a,,key=…`: the comma before a key is a separator, so the one before it would end
            // the previous value, and a value ending in `,` cannot be printed back (found by
            // fuzzing the parse → print → parse round trip). Read it as the empty option it looks
            // like.
            if end < body.len() && end > 0 && body.as_bytes()[end - 1] == b',' {
                let at = range.start + end;
                return Err(SpecError::EmptyOption {
                    input: self.owned(),
                    span: at..at + 1,
                });
            }
            let start = range.start + piece_start;
            self.option(&mut options, start..range.start + end)?;
            piece_start = end + 1;
        }
        Ok(options)
    }

    fn option(&self, options: &mut SpecOptions, range: Range<usize>) -> Result<(), SpecError> {
        let piece = &self.input[range.clone()];
        let leading = piece.len() - piece.trim_start_matches(' ').len();
        let start = range.start + leading;
        let piece = &piece[leading..];
        let (key_text, value) = match piece.split_once('=') {
            Some((key, value)) => (key, Some(value)),
            None => (piece, None),
        };
        let key_text = key_text.trim_end_matches(' ');
        let key_span = start..start + key_text.len();
        let Some(key) = OPTION_KEYS.iter().copied().find(|k| *k == key_text) else {
            return Err(SpecError::UnknownOption {
                input: self.owned(),
                span: key_span,
                key: key_text.to_string(),
            });
        };
        let Some(value) = value else {
            return Err(SpecError::MissingValue {
                input: self.owned(),
                span: key_span,
                key,
            });
        };
        let value_start = range.end - value.len();
        let value_span = value_start..range.end;
        if value.is_empty() {
            return Err(SpecError::EmptyValue {
                input: self.owned(),
                span: key_span.start..value_start,
                key,
            });
        }
        let slot = match key {
            "exe" => {
                if value.chars().any(|c| {
                    matches!(c, '/' | '\\' | ',' | '[' | ']') || c.is_whitespace() || c.is_control()
                }) {
                    return Err(SpecError::BadExe {
                        input: self.owned(),
                        span: value_span,
                        value: value.to_string(),
                    });
                }
                &mut options.exe
            }
            "matching" => &mut options.matching,
            "matching_regex" => {
                if let Err(source) = regex::Regex::new(value) {
                    return Err(SpecError::BadRegex {
                        input: self.owned(),
                        span: value_span,
                        source: Box::new(source),
                    });
                }
                &mut options.matching_regex
            }
            "asset_pattern" => {
                if let Err(source) = glob::Pattern::new(value) {
                    // `pos` counts chars into the pattern; point at that char.
                    let at = value
                        .char_indices()
                        .nth(source.pos)
                        .map_or(value.len(), |(i, _)| i);
                    let width = value[at..].chars().next().map_or(0, char::len_utf8);
                    return Err(SpecError::BadGlob {
                        input: self.owned(),
                        span: value_start + at..value_start + at + width,
                        source,
                    });
                }
                &mut options.asset_pattern
            }
            "api_url" => {
                let rest = value
                    .strip_prefix("https://")
                    .or_else(|| value.strip_prefix("http://"));
                if rest.is_none_or(str::is_empty) {
                    return Err(SpecError::BadUrl {
                        input: self.owned(),
                        span: value_span,
                    });
                }
                &mut options.api_url
            }
            "provenance" => {
                if value.parse::<ProvenancePolicy>().is_err() {
                    return Err(SpecError::BadProvenance {
                        input: self.owned(),
                        span: value_span,
                        value: value.to_string(),
                    });
                }
                &mut options.provenance
            }
            "minisign_key" => &mut options.minisign_key,
            _ => {
                // extract_all, the one boolean.
                if options.extract_all.is_some() {
                    return Err(self.duplicate(key, key_span));
                }
                options.extract_all =
                    Some(parse_bool(value).ok_or_else(|| SpecError::BadBool {
                        input: self.owned(),
                        span: value_span,
                        key,
                        value: value.to_string(),
                    })?);
                return Ok(());
            }
        };
        if slot.is_some() {
            return Err(self.duplicate(key, key_span));
        }
        *slot = Some(value.to_string());
        Ok(())
    }

    fn duplicate(&self, key: &'static str, span: Range<usize>) -> SpecError {
        SpecError::DuplicateOption {
            input: self.owned(),
            span,
            key,
        }
    }

    /// `at` is the byte offset of `@`; `text` follows it.
    fn version(&self, at: usize, text: &str) -> Result<VersionSpec, SpecError> {
        let start = at + 1;
        if text.is_empty() {
            return Err(SpecError::EmptyVersion {
                input: self.owned(),
                span: at..at + 1,
            });
        }
        if let Some(open) = text.find('[') {
            let end = text
                .rfind(']')
                .map_or(text.len(), |close| close + 1)
                .max(open + 1);
            return Err(SpecError::OptionsAfterVersion {
                input: self.owned(),
                span: start + open..start + end,
            });
        }
        VersionSpec::parse(text).map_err(|source| {
            let span = match &source {
                VersionError::BadChar { offset, ch, .. } => {
                    start + offset..start + offset + ch.len_utf8()
                }
                _ => start..self.input.len(),
            };
            SpecError::BadVersion {
                input: self.owned(),
                span,
                source,
            }
        })
    }
}

/// Whether `rest` (text after a `,`) starts a new `key=` pair: optional spaces, an
/// identifier, `=`. Unknown identifiers count too, so a misspelt key is reported as such.
fn looks_like_key(rest: &str) -> bool {
    let rest = rest.trim_start_matches(' ');
    let key_len = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .map_or(rest.len(), |(i, _)| i);
    key_len > 0
        && rest.as_bytes()[0].is_ascii_alphabetic()
        && rest[key_len..].trim_start_matches(' ').starts_with('=')
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

/// When to insist on provenance (`--provenance`, `TOOLGET_PROVENANCE`, `[provenance=…]`);
/// here because a spec option takes it, used by the `provenance` module as `Policy`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum ProvenancePolicy {
    /// Refuse an asset without provenance (before downloading it where possible).
    Required,
    /// Verify provenance when it exists; refuse when it exists and fails; install without it
    /// (and say so) when there is none.
    #[default]
    IfPresent,
    /// Do not look for provenance.
    Off,
}

impl ProvenancePolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            ProvenancePolicy::Required => "required",
            ProvenancePolicy::IfPresent => "if-present",
            ProvenancePolicy::Off => "off",
        }
    }
}

impl FromStr for ProvenancePolicy {
    type Err = String;
    fn from_str(text: &str) -> Result<ProvenancePolicy, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "required" => Ok(ProvenancePolicy::Required),
            "if-present" | "if_present" => Ok(ProvenancePolicy::IfPresent),
            "off" => Ok(ProvenancePolicy::Off),
            _ => Err(format!(
                "`{text}` is not a provenance policy (required, if-present or off)"
            )),
        }
    }
}

impl fmt::Display for ProvenancePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(input: &str) -> ToolSpec {
        ToolSpec::parse(input).unwrap_or_else(|e| panic!("{e}\n{}", e.render(input)))
    }

    fn fail(input: &str) -> SpecError {
        match ToolSpec::parse(input) {
            Ok(spec) => panic!("`{input}` parsed as {spec:?}"),
            Err(e) => e,
        }
    }

    /// Message and caret picture, as the user sees them.
    fn shown(input: &str) -> String {
        let e = fail(input);
        format!("{e}\n{}", e.render(input))
    }

    fn repo(owner: &str, name: &str) -> ToolRef {
        ToolRef::Repo(RepoId::new(owner, name))
    }

    #[test]
    fn bare_name() {
        let spec = parse("sccache");
        assert_eq!(spec.backend, Backend::Implicit);
        assert_eq!(spec.tool, ToolRef::Name("sccache".into()));
        assert_eq!(spec.version, VersionSpec::Latest);
        assert_eq!(spec.options, SpecOptions::default());
        assert_eq!(spec.name(), "sccache");
        assert_eq!(spec.repo(), None);
        assert_eq!(spec.raw, "sccache");
    }

    #[test]
    fn owner_repo_with_prefix_version() {
        let spec = parse("mozilla/sccache@0.14");
        assert_eq!(spec.backend, Backend::Implicit);
        assert_eq!(spec.tool, repo("mozilla", "sccache"));
        assert_eq!(spec.version, VersionSpec::Prefix("0.14".into()));
        assert_eq!(spec.name(), "sccache");
        assert_eq!(spec.repo(), Some(&RepoId::new("mozilla", "sccache")));
    }

    #[test]
    fn github_with_options_and_exact_version() {
        let spec = parse("github:mozilla/sccache[exe=sccache]@v0.14.0");
        assert_eq!(spec.backend, Backend::Github);
        assert_eq!(spec.tool, repo("mozilla", "sccache"));
        assert_eq!(spec.options.exe.as_deref(), Some("sccache"));
        assert_eq!(spec.version, VersionSpec::Exact("v0.14.0".into()));
    }

    #[test]
    fn other_backends() {
        let spec = parse("ubi:BurntSushi/ripgrep[exe=rg]");
        assert_eq!(spec.backend, Backend::Ubi);
        assert_eq!(spec.tool, repo("BurntSushi", "ripgrep"));
        assert_eq!(spec.options.exe.as_deref(), Some("rg"));
        assert_eq!(spec.version, VersionSpec::Latest);

        let spec = parse("aqua:cli/cli@2.40.0");
        assert_eq!(spec.backend, Backend::Aqua);
        assert_eq!(spec.tool, repo("cli", "cli"));
        assert_eq!(spec.version, VersionSpec::Exact("2.40.0".into()));

        let spec = parse("toolget:sccache");
        assert_eq!(spec.backend, Backend::Toolget);
        assert_eq!(spec.tool, ToolRef::Name("sccache".into()));

        assert_eq!(parse("GitHub:cli/cli").backend, Backend::Github);
    }

    #[test]
    fn version_kinds_through_the_spec() {
        assert_eq!(
            parse("jq@jq-1.7.1").version,
            VersionSpec::Exact("jq-1.7.1".into())
        );
        assert_eq!(parse("x@latest").version, VersionSpec::Latest);
        assert_eq!(
            parse("x@>=0.10, <0.15").version,
            VersionSpec::Req(semver::VersionReq::parse(">=0.10, <0.15").expect("req"))
        );
    }

    #[test]
    fn all_options() {
        let spec = parse(
            "o/r[exe=tool,matching=musl,matching_regex=^tool-.*$,asset_pattern=*.tar.gz,\
             api_url=https://ghe.example.com/api/v3,extract_all=yes]@1.0.0",
        );
        let o = &spec.options;
        assert_eq!(o.exe.as_deref(), Some("tool"));
        assert_eq!(o.matching.as_deref(), Some("musl"));
        assert_eq!(o.matching_regex.as_deref(), Some("^tool-.*$"));
        assert_eq!(o.asset_pattern.as_deref(), Some("*.tar.gz"));
        assert_eq!(o.api_url.as_deref(), Some("https://ghe.example.com/api/v3"));
        assert_eq!(o.extract_all, Some(true));
        for (text, want) in [
            ("true", true),
            ("1", true),
            ("No", false),
            ("0", false),
            ("false", false),
        ] {
            let spec = parse(&format!("o/r[extract_all={text}]"));
            assert_eq!(spec.options.extract_all, Some(want), "{text}");
        }
    }

    #[test]
    fn regex_values_with_commas_brackets_and_at() {
        let spec = parse("o/r[matching_regex=x{1,2}-[a-z]+@(gnu|musl),exe=t]@v1.0.0");
        assert_eq!(
            spec.options.matching_regex.as_deref(),
            Some("x{1,2}-[a-z]+@(gnu|musl)")
        );
        assert_eq!(spec.options.exe.as_deref(), Some("t"));
        assert_eq!(spec.version, VersionSpec::Exact("v1.0.0".into()));

        // A value ending in `]` right before the closing `]`.
        let spec = parse("o/r[matching_regex=[a-z]]");
        assert_eq!(spec.options.matching_regex.as_deref(), Some("[a-z]"));

        // `=` inside a value, and a space after the separating comma.
        let spec = parse("o/r[matching=a=b, exe=t]");
        assert_eq!(spec.options.matching.as_deref(), Some("a=b"));
        assert_eq!(spec.options.exe.as_deref(), Some("t"));

        let spec = parse("o/r[asset_pattern=*-[ab]*.zip]@2");
        assert_eq!(spec.options.asset_pattern.as_deref(), Some("*-[ab]*.zip"));
        assert_eq!(spec.version, VersionSpec::Prefix("2".into()));
    }

    #[test]
    fn display_is_canonical_and_round_trips() {
        let cases = [
            ("sccache", "sccache"),
            ("mozilla/sccache@0.14", "mozilla/sccache@0.14"),
            ("mozilla/sccache@v0.14", "mozilla/sccache@0.14"),
            ("mozilla/sccache@latest", "mozilla/sccache"),
            (
                "GITHUB:mozilla/sccache[extract_all=yes, exe=sccache]@v0.14.0",
                "github:mozilla/sccache[exe=sccache,extract_all=true]@v0.14.0",
            ),
            (
                "ubi:o/r[matching_regex=x{1,2},matching=musl]@^1.2",
                "ubi:o/r[matching=musl,matching_regex=x{1,2}]@^1.2",
            ),
        ];
        for (input, canonical) in cases {
            let spec = parse(input);
            assert_eq!(spec.to_string(), canonical);
            let again = parse(canonical);
            assert_eq!((&again.backend, &again.tool), (&spec.backend, &spec.tool));
            assert_eq!(
                (&again.options, &again.version),
                (&spec.options, &spec.version)
            );
        }
        assert_eq!(
            parse("aqua:cli/cli[exe=gh]@2.40.0").without_version_string(),
            "aqua:cli/cli[exe=gh]"
        );
        let from_str: ToolSpec = "cli/cli".parse().expect("parses");
        assert_eq!(from_str, parse("cli/cli"));
    }

    #[test]
    fn unknown_option_example_from_the_docs() {
        let input = "github:mozilla/sccache[exee=sccache]";
        let e = fail(input);
        assert_eq!(
            e.to_string(),
            "unknown option `exee` in `github:mozilla/sccache[exee=sccache]`"
        );
        assert_eq!(
            e.hint().as_deref(),
            Some(
                "known options: exe, matching, matching_regex, asset_pattern, api_url, extract_all, provenance, minisign_key"
            )
        );
        assert_eq!(
            e.render(input),
            "  github:mozilla/sccache[exee=sccache]\n                         ^^^^"
        );
    }

    #[test]
    fn errors_point_at_the_bad_part() {
        let cases: &[(&str, &str)] = &[
            ("", "empty tool spec\n  \n  ^"),
            (
                "cargo:ripgrep",
                "unknown backend `cargo` in `cargo:ripgrep`\n  cargo:ripgrep\n  ^^^^^",
            ),
            (":x", "unknown backend `` in `:x`\n  :x\n  ^"),
            (
                "github:",
                "no tool named in `github:`\n  github:\n         ^",
            ),
            ("@1.0", "no tool named in `@1.0`\n  @1.0\n  ^"),
            (
                "/sccache",
                "empty repository owner in `/sccache`\n  /sccache\n  ^",
            ),
            (
                "mozilla/",
                "empty repository name in `mozilla/`\n  mozilla/\n          ^",
            ),
            (
                "a/b/c@1",
                "more than one `/` in `a/b/c@1`\n  a/b/c@1\n     ^^",
            ),
            (
                "mozilla/scc ache",
                "character ` ` is not allowed in a repository name in `mozilla/scc ache`\n  mozilla/scc ache\n             ^",
            ),
            (
                "mozilla/sc:cache",
                "character `:` is not allowed in a repository name in `mozilla/sc:cache`\n  mozilla/sc:cache\n            ^",
            ),
            (
                "ripgrep]",
                "character `]` is not allowed in a name in `ripgrep]`\n  ripgrep]\n         ^",
            ),
            (
                "o/..",
                "`..` is not a valid repository name in `o/..`\n  o/..\n    ^^",
            ),
            (
                "o/r[exe=rg",
                "options opened with `[` are not closed in `o/r[exe=rg`\n  o/r[exe=rg\n     ^^^^^^^",
            ),
            (
                "o/r[exe=rg]x@1",
                "unexpected `x` after the options in `o/r[exe=rg]x@1`\n  o/r[exe=rg]x@1\n             ^",
            ),
            (
                "o/r@1.0[exe=rg]",
                "options come before `@version`, not after, in `o/r@1.0[exe=rg]`\n  o/r@1.0[exe=rg]\n         ^^^^^^^^",
            ),
            ("o/r[]", "empty options `[]` in `o/r[]`\n  o/r[]\n     ^^"),
            (
                "o/r[exe=rg,]",
                "stray `,` in the options of `o/r[exe=rg,]`\n  o/r[exe=rg,]\n            ^",
            ),
            (
                "o/r[exe]",
                "option `exe` needs a value in `o/r[exe]`\n  o/r[exe]\n      ^^^",
            ),
            (
                "o/r[exe=a,exe=b]",
                "option `exe` is given twice in `o/r[exe=a,exe=b]`\n  o/r[exe=a,exe=b]\n            ^^^",
            ),
            (
                "o/r[extract_all=1,extract_all=0]",
                "option `extract_all` is given twice in `o/r[extract_all=1,extract_all=0]`\n  o/r[extract_all=1,extract_all=0]\n                    ^^^^^^^^^^^",
            ),
            (
                "o/r[matching=]",
                "option `matching` has an empty value in `o/r[matching=]`\n  o/r[matching=]\n      ^^^^^^^^^",
            ),
            (
                "o/r[extract_all=maybe]",
                "`maybe` is not a yes/no value for `extract_all` in `o/r[extract_all=maybe]`\n  o/r[extract_all=maybe]\n                  ^^^^^",
            ),
            (
                "o/r[exe=bin/rg]",
                "`bin/rg` is not a file name for `exe` in `o/r[exe=bin/rg]`\n  o/r[exe=bin/rg]\n          ^^^^^^",
            ),
            (
                "o/r[exe=rg]]",
                "`rg]` is not a file name for `exe` in `o/r[exe=rg]]`\n  o/r[exe=rg]]\n          ^^^",
            ),
            (
                "o/r[matching_regex=x{2,1}]",
                "`matching_regex` is not a valid regular expression in `o/r[matching_regex=x{2,1}]`\n  o/r[matching_regex=x{2,1}]\n                     ^^^^^^",
            ),
            (
                "o/r[asset_pattern=*-[ab.zip]",
                "`asset_pattern` is not a valid glob in `o/r[asset_pattern=*-[ab.zip]`\n  o/r[asset_pattern=*-[ab.zip]\n                      ^",
            ),
            (
                "o/r[api_url=ftp://x]",
                "`api_url` must be an http:// or https:// URL in `o/r[api_url=ftp://x]`\n  o/r[api_url=ftp://x]\n              ^^^^^^^",
            ),
            ("o/r@", "empty version after `@` in `o/r@`\n  o/r@\n     ^"),
            (
                "o/r@^^1",
                "invalid version in `o/r@^^1`\n  o/r@^^1\n      ^^^",
            ),
            (
                "o/r@1.0 beta",
                "invalid version in `o/r@1.0 beta`\n  o/r@1.0 beta\n         ^",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(&shown(input), want, "for `{input}`");
            assert!(fail(input).hint().is_some(), "no hint for `{input}`");
        }
    }

    #[test]
    fn misspelt_key_after_a_regex_comma_is_reported_not_swallowed() {
        let e = fail("o/r[matching_regex=a{1,2},exee=t]");
        assert!(matches!(&e, SpecError::UnknownOption { key, .. } if key == "exee"));
    }

    #[test]
    fn error_hints_and_sources() {
        assert!(
            fail("cargo:ripgrep")
                .hint()
                .is_some_and(|h| h.contains("github, ubi, aqua, toolget"))
        );
        let e = fail("o/r[matching_regex=(]");
        assert!(std::error::Error::source(&e).is_some());
        let e = fail("o/r@^^1");
        assert_eq!(
            e.hint(),
            VersionSpec::parse("^^1").expect_err("bad").hint(),
            "the version's own hint"
        );
        let e = fail("o/r[exee=x]");
        assert_eq!(e.to_string(), "unknown option `exee` in `o/r[exee=x]`");
        assert_eq!(e.picture().as_deref(), Some("  o/r[exee=x]\n      ^^^^"));
        assert_eq!(e.kind(), ErrorKind::InvalidSpec);
        assert_eq!(
            e.hint().as_deref(),
            Some(
                "known options: exe, matching, matching_regex, asset_pattern, api_url, \
                 extract_all, provenance, minisign_key"
            )
        );
    }

    #[test]
    fn carets_count_chars_not_bytes() {
        let input = "o/r[matching=ü,exee=1]";
        assert_eq!(
            fail(input).render(input),
            "  o/r[matching=ü,exee=1]\n                 ^^^^"
        );
    }

    #[test]
    fn an_empty_option_before_a_key_is_refused_so_every_spec_prints_back() {
        // Found by the `spec` fuzz target: the value swallowed the first comma, and printed
        // last it ended the options with a stray `,` that no longer parsed.
        let input = "github:o/r[asset_pattern=:.tar.gzar.gz,,matching_regex=^x2.=:.tarx..liotD]";
        let err = ToolSpec::parse(input).unwrap_err();
        assert!(matches!(err, SpecError::EmptyOption { .. }), "{err:?}");
        // A comma inside a value is still fine.
        let spec = ToolSpec::parse("o/r[matching_regex=a{1,2},exe=x]").unwrap();
        assert_eq!(
            ToolSpec::parse(&spec.to_string()).unwrap().to_string(),
            spec.to_string()
        );
    }
}
