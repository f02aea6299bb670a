//! Project configuration: `toolget.toml`, found in the current directory or a parent, and the
//! `[tools]` table of a mise config for `toolget install --from mise.toml`.
//!
//! ```toml
//! [tools]
//! "mozilla/sccache" = "0.14"
//! "github:BurntSushi/ripgrep" = { version = "14.1.1", exe = "rg" }
//! ```
//!
//! Keys are specs without a version; values are a version, or a table of `version` plus spec
//! options. Each entry becomes a [`ToolSpec`] through the spec parser itself, so a config entry
//! and the same spec typed on the command line mean exactly the same thing.
//!
//! Reads the one file it is given (and, to discover it, walks parent directories); never writes,
//! never touches the network, and does not decide whether a registry name exists — that is
//! [`crate::tool`]'s business, applied by the caller.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, ErrorKind};
use crate::spec::{OPTION_KEYS, SpecError, SpecOptions, ToolRef, ToolSpec};
use crate::version::VersionSpec;

/// The project configuration's file name.
pub const CONFIG_FILE: &str = "toolget.toml";
/// The lockfile's file name; it lives next to [`CONFIG_FILE`].
pub const LOCK_FILE: &str = "toolget.lock";

/// Backends of a mise config whose tools are GitHub releases toolget can install.
const MISE_BACKENDS: [&str; 4] = ["github", "ubi", "aqua", "toolget"];

/// A loaded `toolget.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    /// Absolute path of the file.
    pub path: PathBuf,
    /// The tools, sorted by key.
    pub tools: Vec<ConfigTool>,
}

/// One `[tools]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigTool {
    /// The key as written, e.g. `github:BurntSushi/ripgrep`.
    pub key: String,
    /// The requested version as written, e.g. `14.1.1`, `0.14`, `latest`.
    pub version: String,
    /// Key, options and version as one spec; `spec.raw` is its canonical spelling
    /// (`github:BurntSushi/ripgrep[exe=rg]@14.1.1`), which receipts and the lockfile record.
    pub spec: ToolSpec,
}

/// What `--from mise.toml` found: the tools toolget can install, and a note for each entry
/// (or option) it left out and why.
#[derive(Debug, Clone)]
pub struct MiseImport {
    pub path: PathBuf,
    /// Sorted by key; a key with an array of versions gives one entry per version, in the
    /// order written (mise treats the first as the default).
    pub tools: Vec<ConfigTool>,
    pub notes: Vec<String>,
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` is not valid TOML", path.display())]
    Toml {
        path: PathBuf,
        #[source]
        source: toml::de::Error,
    },
    #[error("`{}`: unknown top-level key `{key}`", path.display())]
    UnknownSection { path: PathBuf, key: String },
    #[error("`{}`: `tools` must be a table (`[tools]`)", path.display())]
    ToolsNotTable { path: PathBuf },
    #[error("`{}`: tool `{key}`: {problem}", path.display())]
    Entry {
        path: PathBuf,
        key: String,
        problem: String,
    },
    #[error("`{}`: tool `{key}` is not a valid spec", path.display())]
    Spec {
        path: PathBuf,
        key: String,
        // Boxed: a spec error carries the input and span, and would bloat every Result.
        #[source]
        source: Box<SpecError>,
    },
    #[error("`{}`: `{first}` and `{second}` name the same tool", path.display())]
    Duplicate {
        path: PathBuf,
        first: String,
        second: String,
    },
}

impl Diagnostic for ConfigError {
    /// Machine-readable kind: always `invalid_config` (exit code 2).
    fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidConfig
    }

    fn hint(&self) -> Option<String> {
        match self {
            ConfigError::Read { .. } => None,
            ConfigError::Toml { .. } => Some(
                "keys with `/` or `:` need quotes: `\"mozilla/sccache\" = \"0.14\"`".to_string(),
            ),
            ConfigError::UnknownSection { .. } | ConfigError::ToolsNotTable { .. } => {
                Some("toolget.toml holds one table, `[tools]` (docs/lockfile.md)".to_string())
            }
            ConfigError::Entry { .. } => Some(format!(
                "write a version string (`\"0.14\"`), or a table of `version` plus options ({})",
                OPTION_KEYS.join(", ")
            )),
            ConfigError::Spec { source, .. } => source.hint(),
            ConfigError::Duplicate { .. } => Some("keep one of the two entries".to_string()),
        }
    }
}

impl Config {
    /// The `toolget.toml` in `start` or the nearest parent that has one.
    pub fn find(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|dir| dir.join(CONFIG_FILE))
            .find(|path| path.is_file())
    }

    /// Find and load the nearest `toolget.toml`; `None` when there is none.
    pub fn discover(start: &Path) -> Result<Option<Config>, ConfigError> {
        Config::find(start)
            .map(|path| Config::load(&path))
            .transpose()
    }

    /// Load one file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
            path: path.clone(),
            source,
        })?;
        Config::parse(&text, &path)
    }

    /// Parse a file's text; `path` is used in messages and to place the lockfile.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let path = path.to_path_buf();
        let table = parse_toml(text, &path)?;
        if let Some(key) = table.keys().find(|k| *k != "tools") {
            return Err(ConfigError::UnknownSection {
                path,
                key: key.clone(),
            });
        }
        let mut tools = Vec::new();
        for (key, value) in tools_table(&table, &path)? {
            let entry_err = |problem: String| ConfigError::Entry {
                path: path.clone(),
                key: key.clone(),
                problem,
            };
            let (version, options) = match value {
                toml::Value::Table(t) => {
                    let version = match t.get("version") {
                        Some(v) => version_text(v).map_err(entry_err)?,
                        None => return Err(entry_err("the table has no `version`".into())),
                    };
                    let mut options = Vec::new();
                    for (name, v) in t.iter().filter(|(name, _)| *name != "version") {
                        options.push((name.clone(), option_text(name, v).map_err(entry_err)?));
                    }
                    (version, options)
                }
                toml::Value::Array(_) => {
                    return Err(entry_err(
                        "toolget installs one version per tool; give a single version".into(),
                    ));
                }
                other => (version_text(other).map_err(entry_err)?, Vec::new()),
            };
            tools.push(entry(&path, key, &version, &options)?);
        }
        tools.sort_by(|a, b| a.key.cmp(&b.key));
        check_duplicates(&path, &tools)?;
        Ok(Config { path, tools })
    }

    /// The directory holding the config (and the lockfile).
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Where the lockfile for this config lives: `toolget.lock` next to it.
    pub fn lock_path(&self) -> PathBuf {
        self.dir().join(LOCK_FILE)
    }

    /// The entry with this key.
    pub fn get(&self, key: &str) -> Option<&ConfigTool> {
        self.tools.iter().find(|t| t.key == key)
    }
}

/// Read a mise config's `[tools]` (`toolget install --from mise.toml`).
pub fn read_mise(path: &Path) -> Result<MiseImport, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_mise(&text, path)
}

/// Parse a mise config's text. Entries whose backend is not a GitHub release (`node`'s core
/// plugin aside, which looks like a registry name: the caller decides), versions toolget
/// cannot follow (`ref:`, `path:`), and unknown options are left out with a note; a spec
/// that is plainly broken is an error, as it would be in `toolget.toml`.
pub fn parse_mise(text: &str, path: &Path) -> Result<MiseImport, ConfigError> {
    let path = path.to_path_buf();
    let table = parse_toml(text, &path)?;
    let mut import = MiseImport {
        path: path.clone(),
        tools: Vec::new(),
        notes: Vec::new(),
    };
    if !table.contains_key("tools") {
        return Ok(import);
    }
    for (key, value) in tools_table(&table, &path)? {
        if let Some(backend) = mise_backend(key)
            && !MISE_BACKENDS
                .iter()
                .any(|b| b.eq_ignore_ascii_case(backend))
        {
            import.notes.push(format!(
                "skipped `{key}`: mise's `{backend}:` backend does not install GitHub releases; \
                 leave it to mise"
            ));
            continue;
        }
        let (versions, options) = match value {
            toml::Value::Table(t) => {
                let versions = match t.get("version") {
                    Some(v) => mise_versions(v),
                    None => Err("the table has no `version`".to_string()),
                };
                let mut options = Vec::new();
                for (name, v) in t.iter().filter(|(name, _)| *name != "version") {
                    if !OPTION_KEYS.contains(&name.as_str()) {
                        import.notes.push(format!(
                            "`{key}`: option `{name}` has no toolget equivalent; ignored"
                        ));
                        continue;
                    }
                    match option_text(name, v) {
                        Ok(text) => options.push((name.clone(), text)),
                        Err(problem) => import
                            .notes
                            .push(format!("`{key}`: {problem}; option ignored")),
                    }
                }
                (versions, options)
            }
            other => (mise_versions(other), Vec::new()),
        };
        let versions = match versions {
            Ok(v) => v,
            Err(problem) => {
                import.notes.push(format!("skipped `{key}`: {problem}"));
                continue;
            }
        };
        for version in versions {
            if let Some(kind) = ["ref:", "path:", "sub-", "system"]
                .iter()
                .find(|p| version.starts_with(*p))
            {
                import.notes.push(format!(
                    "skipped `{key}` = `{version}`: toolget installs releases, not `{kind}` versions"
                ));
                continue;
            }
            let version = version.strip_prefix("prefix:").unwrap_or(&version);
            match entry(&path, key, version, &options) {
                Ok(tool) => import.tools.push(tool),
                // aqua package names may have more than two parts (`kubernetes/kubectl/…`):
                // not a GitHub repository toolget can name.
                Err(ConfigError::Spec { source, .. }) => import.notes.push(format!(
                    "skipped `{key}`: not a GitHub repository or tool name toolget can read ({source})"
                )),
                Err(e) => return Err(e),
            }
        }
    }
    // Stable: a key's versions stay in the order written.
    import.tools.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(import)
}

fn parse_toml(text: &str, path: &Path) -> Result<toml::Table, ConfigError> {
    text.parse::<toml::Table>()
        .map_err(|source| ConfigError::Toml {
            path: path.to_path_buf(),
            source,
        })
}

fn tools_table<'t>(
    table: &'t toml::Table,
    path: &Path,
) -> Result<Vec<(&'t String, &'t toml::Value)>, ConfigError> {
    match table.get("tools") {
        None => Ok(Vec::new()),
        Some(toml::Value::Table(tools)) => Ok(tools.iter().collect()),
        Some(_) => Err(ConfigError::ToolsNotTable {
            path: path.to_path_buf(),
        }),
    }
}

/// The backend prefix of a mise key (`cargo` for `cargo:ripgrep`), if it has one. A `:` inside
/// options (`[api_url=https://…]`) is not a prefix.
fn mise_backend(key: &str) -> Option<&str> {
    let (prefix, _) = key.split_once(':')?;
    (!prefix.contains(['/', '[', '@'])).then_some(prefix)
}

fn version_text(value: &toml::Value) -> Result<String, String> {
    match value {
        toml::Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        toml::Value::String(_) => Err("the version is empty; write `latest` for the newest".into()),
        toml::Value::Integer(n) => Ok(n.to_string()),
        // `3.10` would read as 3.1: a float loses what was written.
        toml::Value::Float(_) => Err("write the version as a string (`\"3.10\"`)".into()),
        _ => Err("the version must be a string".into()),
    }
}

fn mise_versions(value: &toml::Value) -> Result<Vec<String>, String> {
    match value {
        toml::Value::Array(items) if !items.is_empty() => items.iter().map(version_text).collect(),
        toml::Value::Array(_) => Err("no version listed".into()),
        other => version_text(other).map(|v| vec![v]),
    }
}

fn option_text(name: &str, value: &toml::Value) -> Result<String, String> {
    match value {
        toml::Value::String(s) => Ok(s.clone()),
        toml::Value::Boolean(b) if name == "extract_all" => Ok(b.to_string()),
        _ => Err(format!("option `{name}` must be a string")),
    }
}

/// Build the spec `key[options]@version` and read it with the spec parser, which checks every
/// part (regexes, globs, booleans, URLs) exactly as on the command line.
fn entry(
    path: &Path,
    key: &str,
    version: &str,
    options: &[(String, String)],
) -> Result<ConfigTool, ConfigError> {
    let spec_err = |source| ConfigError::Spec {
        path: path.to_path_buf(),
        key: key.to_string(),
        source: Box::new(source),
    };
    let entry_err = |problem: &str| ConfigError::Entry {
        path: path.to_path_buf(),
        key: key.to_string(),
        problem: problem.to_string(),
    };
    let base = ToolSpec::parse(key).map_err(spec_err)?;
    if base.version != VersionSpec::Latest {
        return Err(entry_err(
            "the key names a version; keys are specs without `@version`, the version is the value",
        ));
    }
    let mut text = base.without_version_string();
    if !options.is_empty() {
        let pairs: Vec<String> = options.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if text.ends_with(']') {
            text.pop();
            text.push(',');
        } else {
            text.push('[');
        }
        text.push_str(&pairs.join(","));
        text.push(']');
    }
    let parsed_version = VersionSpec::parse(version).map_err(|_| {
        entry_err(&format!(
            "`{version}` is not a version (write `1.2.3`, `1.2`, `^1.2` or `latest`)"
        ))
    })?;
    if parsed_version != VersionSpec::Latest {
        text.push('@');
        text.push_str(version);
    }
    let spec = ToolSpec::parse(&text).map_err(spec_err)?;
    // A value holding `,key=` would be split by the spec grammar: refuse rather than guess.
    for (name, value) in options {
        if !option_round_trips(&spec.options, name, value) {
            return Err(entry_err(&format!(
                "the value of `{name}` cannot be written in a spec (it contains `,<word>=`)"
            )));
        }
    }
    Ok(ConfigTool {
        key: key.to_string(),
        version: version.to_string(),
        spec,
    })
}

fn option_round_trips(options: &SpecOptions, name: &str, value: &str) -> bool {
    let got = match name {
        "exe" => options.exe.clone(),
        "matching" => options.matching.clone(),
        "matching_regex" => options.matching_regex.clone(),
        "asset_pattern" => options.asset_pattern.clone(),
        "api_url" => options.api_url.clone(),
        // Parsed as a yes/no word; any spelling the parser accepted is fine.
        "extract_all" => return options.extract_all.is_some(),
        _ => None,
    };
    got.as_deref() == Some(value)
}

/// Two keys naming the same repository (or registry name) and executable are one tool listed
/// twice (`mozilla/sccache` and `github:mozilla/sccache`).
fn check_duplicates(path: &Path, tools: &[ConfigTool]) -> Result<(), ConfigError> {
    let identity = |t: &ConfigTool| {
        let tool = match &t.spec.tool {
            ToolRef::Repo(repo) => format!("{}/{}", repo.owner, repo.name).to_lowercase(),
            ToolRef::Name(name) => name.to_lowercase(),
        };
        (tool, t.spec.options.exe.clone())
    };
    for (i, a) in tools.iter().enumerate() {
        if let Some(b) = tools[i + 1..].iter().find(|b| identity(a) == identity(b)) {
            return Err(ConfigError::Duplicate {
                path: path.to_path_buf(),
                first: a.key.clone(),
                second: b.key.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/p/toolget.toml"))
    }

    #[test]
    fn string_and_table_values_become_specs() {
        let config = parse(
            r#"
            [tools]
            "mozilla/sccache" = "0.14"
            "github:BurntSushi/ripgrep" = { version = "14.1.1", exe = "rg" }
            "cli/cli" = "latest"
            "#,
        )
        .unwrap();
        let raws: Vec<&str> = config.tools.iter().map(|t| t.spec.raw.as_str()).collect();
        assert_eq!(
            raws,
            [
                "cli/cli",
                "github:BurntSushi/ripgrep[exe=rg]@14.1.1",
                "mozilla/sccache@0.14",
            ]
        );
        assert_eq!(config.lock_path(), Path::new("/p/toolget.lock"));
        assert_eq!(config.get("cli/cli").unwrap().version, "latest");
    }

    #[test]
    fn options_in_the_key_and_the_table_combine() {
        let config = parse(
            "[tools]\n\"acme/tool[matching=musl]\" = { version = \"1\", exe = \"t\", extract_all = true }\n",
        )
        .unwrap();
        let spec = &config.tools[0].spec;
        assert_eq!(spec.options.matching.as_deref(), Some("musl"));
        assert_eq!(spec.options.exe.as_deref(), Some("t"));
        assert_eq!(spec.options.extract_all, Some(true));
    }

    #[test]
    fn bad_entries_are_refused_with_the_key() {
        for (text, needle) in [
            ("[tools]\n\"a/b@1\" = \"1\"", "names a version"),
            ("[tools]\n\"a/b\" = { exe = \"x\" }", "no `version`"),
            ("[tools]\n\"a/b\" = [\"1\", \"2\"]", "one version per tool"),
            ("[tools]\n\"a/b\" = 3.10", "as a string"),
            ("[tools]\n\"a/b\" = \"\"", "empty"),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.to_string().contains("tool `a/b"), "{err}");
            assert!(err.to_string().contains(needle), "{text}: {err}");
        }
        let err = parse("[tools]\n\"a/b\" = { version = \"1\", exee = \"x\" }").unwrap_err();
        assert!(matches!(err, ConfigError::Spec { .. }), "{err:?}");
        let err = parse("[tool]\n").unwrap_err();
        assert!(matches!(err, ConfigError::UnknownSection { .. }), "{err:?}");
    }

    #[test]
    fn one_tool_under_two_spellings_is_refused() {
        let err =
            parse("[tools]\n\"mozilla/sccache\" = \"1\"\n\"github:mozilla/sccache\" = \"1\"\n")
                .unwrap_err();
        assert!(matches!(err, ConfigError::Duplicate { .. }), "{err:?}");
        // A different executable of the same repository is a different tool.
        parse(
            "[tools]\n\"mozilla/sccache\" = \"1\"\n\"mozilla/sccache[exe=sccache-dist]\" = \"1\"\n",
        )
        .unwrap();
    }

    #[test]
    fn mise_import_keeps_github_releases_and_explains_the_rest() {
        let import = parse_mise(
            r#"
            [env]
            FOO = "bar"
            [tools]
            node = "20"
            "cargo:cargo-nextest" = "latest"
            "npm:prettier" = "3"
            "github:cli/cli" = "2.63.2"
            "ubi:BurntSushi/ripgrep" = { version = "14.1.1", exe = "rg", rename_exe = "ripgrep" }
            "aqua:casey/just" = ["1.38.0", "1.37.0"]
            "aqua:kubernetes/kubernetes/kubectl" = "1.31"
            "github:acme/tool" = "ref:main"
            "#,
            Path::new("mise.toml"),
        )
        .unwrap();
        let raws: Vec<&str> = import.tools.iter().map(|t| t.spec.raw.as_str()).collect();
        assert_eq!(
            raws,
            [
                "aqua:casey/just@1.38.0",
                "aqua:casey/just@1.37.0",
                "github:cli/cli@2.63.2",
                "node@20",
                "ubi:BurntSushi/ripgrep[exe=rg]@14.1.1",
            ]
        );
        let notes = import.notes.join("\n");
        for needle in [
            "skipped `cargo:cargo-nextest`",
            "skipped `npm:prettier`",
            "option `rename_exe`",
            "skipped `aqua:kubernetes/kubernetes/kubectl`",
            "skipped `github:acme/tool` = `ref:main`",
        ] {
            assert!(notes.contains(needle), "{needle} not in:\n{notes}");
        }
    }

    #[test]
    fn discovery_walks_up_to_the_nearest_config() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        assert!(Config::discover(&sub).unwrap().is_none());
        std::fs::write(dir.path().join(CONFIG_FILE), "[tools]\n\"a/b\" = \"1\"\n").unwrap();
        let config = Config::discover(&sub).unwrap().unwrap();
        assert_eq!(config.path, dir.path().join(CONFIG_FILE));
        assert_eq!(config.tools.len(), 1);
    }
}
