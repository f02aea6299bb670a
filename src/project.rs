//! A project: `toolget.toml` and, next to it, `toolget.lock`. What `install` and `lock` decide
//! about them lives here, in the library, so the command line only reports: which config
//! applies, whether the lock must exist and match, which config entry a command-line spec
//! names.
//!
//! Reads files; no network, no printing (problems that are not fatal come back as values).

use std::path::{Path, PathBuf};

use crate::config::{Config, ConfigError, ConfigTool};
use crate::error::{Diagnostic, ErrorKind};
use crate::lockfile::{LockError, Lockfile};
use crate::registry::Registry;
use crate::spec::{SpecOptions, ToolSpec};
use crate::tool::Tool;

/// A project that cannot be used as asked.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("no toolget.toml in `{}` or any parent directory", dir.display())]
    NoConfig { dir: PathBuf },
    #[error("cannot read the current directory")]
    CurrentDir(#[source] std::io::Error),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error("`{raw}` is not in toolget.toml, so toolget.lock cannot pin it")]
    NotInConfig { raw: String },
    #[error("`{raw}` asks for another version than toolget.lock pins ({pinned})")]
    OtherVersion { raw: String, pinned: String },
}

impl Diagnostic for ProjectError {
    fn kind(&self) -> ErrorKind {
        match self {
            ProjectError::NoConfig { .. } => ErrorKind::Usage,
            ProjectError::CurrentDir(_) => ErrorKind::Io,
            ProjectError::Config(e) => e.kind(),
            ProjectError::Lock(e) => e.kind(),
            ProjectError::NotInConfig { .. } | ProjectError::OtherVersion { .. } => {
                ErrorKind::LockMismatch
            }
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            ProjectError::NoConfig { .. } => Some(
                "create one with a [tools] table (`\"mozilla/sccache\" = \"0.14\"`), point at \
                 one with --config, or name the tools to install"
                    .into(),
            ),
            ProjectError::CurrentDir(_) => None,
            ProjectError::Config(e) => e.hint(),
            ProjectError::Lock(e) => e.hint(),
            ProjectError::NotInConfig { .. } => {
                Some("add it to [tools] in toolget.toml and run `toolget lock`".into())
            }
            ProjectError::OtherVersion { .. } => {
                Some("change the version in toolget.toml and run `toolget lock`".into())
            }
        }
    }
}

/// `explicit` (`--config PATH`), else the nearest toolget.toml from `cwd` up; none is an error.
pub fn load_config(explicit: Option<&Path>) -> Result<Config, ProjectError> {
    if let Some(path) = explicit {
        return Ok(Config::load(path)?);
    }
    let cwd = std::env::current_dir().map_err(ProjectError::CurrentDir)?;
    Config::discover(&cwd)?.ok_or(ProjectError::NoConfig { dir: cwd })
}

/// toolget.toml and, when it exists, toolget.lock.
#[derive(Debug)]
pub struct Project {
    pub config: Config,
    pub lock: Option<Lockfile>,
}

/// What [`Project::load`] found: the project, if it applies, and a problem that made it leave
/// something out (a broken toolget.toml or toolget.lock that a plain install ignores).
#[derive(Debug)]
pub struct Loaded {
    pub project: Option<Project>,
    pub ignored: Option<ProjectError>,
}

impl Project {
    /// `strict`: the project is needed (no specs, or --locked), so its absence or any problem
    /// with it is an error; otherwise a problem is reported in [`Loaded::ignored`] and the
    /// project (or its lock) is left out. `locked`: the lock must exist and match toolget.toml.
    pub fn load(
        explicit: Option<&Path>,
        strict: bool,
        locked: bool,
    ) -> Result<Loaded, ProjectError> {
        let config = if strict || explicit.is_some() {
            load_config(explicit)?
        } else {
            // A plain install must not fail for want of a working directory.
            let Ok(cwd) = std::env::current_dir() else {
                return Ok(Loaded {
                    project: None,
                    ignored: None,
                });
            };
            match Config::discover(&cwd) {
                Ok(Some(config)) => config,
                Ok(None) => {
                    return Ok(Loaded {
                        project: None,
                        ignored: None,
                    });
                }
                Err(e) => {
                    return Ok(Loaded {
                        project: None,
                        ignored: Some(e.into()),
                    });
                }
            }
        };
        let lock_path = config.lock_path();
        let (lock, ignored) = match Lockfile::read_optional(&lock_path) {
            Ok(lock) => (lock, None),
            Err(e) if strict => return Err(e.into()),
            Err(e) => (None, Some(e.into())),
        };
        if locked {
            match &lock {
                None => return Err(LockError::Missing { path: lock_path }.into()),
                Some(lock) => lock.check(&config, &lock_path)?,
            }
        }
        Ok(Loaded {
            project: Some(Project { config, lock }),
            ignored,
        })
    }

    /// The config entry a command-line spec names: the same tool (repository and executable)
    /// with the same selection options, or with none.
    pub fn entry_for(&self, spec: &ToolSpec, registry: &Registry) -> Option<&ConfigTool> {
        let id = Tool::from_spec(spec, registry).ok()?.id();
        let options = without_exe(&spec.options);
        self.config.tools.iter().find(|entry| {
            Tool::from_spec(&entry.spec, registry).is_ok_and(|t| t.id() == id)
                && (options == SpecOptions::default()
                    || options == without_exe(&entry.spec.options))
        })
    }
}

fn without_exe(options: &SpecOptions) -> SpecOptions {
    SpecOptions {
        exe: None,
        ..options.clone()
    }
}
