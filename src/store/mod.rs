//! The on-disk store: layout, per-tool locks, receipts, atomic commit and `bin/` links.
//!
//! ```text
//! $TOOLGET_HOME/
//!   tools-v1/<owner>/<repo>/<version>/      one install for this machine: the extracted files
//!                          /<version>/.toolget-receipt.toml   the receipt, written inside the staging
//!                                                             dir before the rename
//!   tools-v1/<owner>/<repo>/.lock           per-tool lock file (an OS file lock, cross-process)
//!   tools-v1/<owner>/<repo>/.active         text file: the active version (what bin/ points into)
//!   foreign-v1/<platform>/<owner>/<repo>/<version>/   a build for another platform
//!                                           (`--platform windows-x86_64`): same layout, own
//!                                           lock, never linked into bin/
//!   bin/<exe>                               symlink -> ../tools-v1/<owner>/<repo>/<version>/<path to exe>
//!   .bin.lock                               lock held while links in bin/ are checked and switched
//!   staging/                                temp dirs and files, same filesystem as tools-v1
//! ```
//!
//! `<owner>` and `<repo>` are lowercased; a non-default tool of a repository lives in
//! `<repo>~<variant>`. Every name that becomes a path component is checked by
//! [`check_component`] first. A [`Store`] is a *view*: [`Store::open`] is the host's
//! (`tools-v1`, linked), [`Store::foreign`] a platform's shelf under `foreign-v1` (never linked).
//! Which platforms are the host's is the caller's decision (the installer's); the store keeps
//! the two apart.
//!
//! Guarantees (see `docs/store.md`):
//! - A version directory becomes visible by one `rename` from `staging/`, with its receipt
//!   already inside and fsynced; a reader never sees a half-written install.
//! - A [`Staging`] dropped without being placed removes itself, and a signal handler can remove
//!   every staging entry this process has in flight ([`remove_in_flight`]).
//! - Replacing a version (`--force`) swaps the new directory with the old one in one
//!   `renameat2(RENAME_EXCHANGE)` on Linux, so the version's path never stops existing; the old
//!   copy is deleted only once links and `.active` are switched ([`Placed`]). Elsewhere the old
//!   one is moved aside first and put back if the new one cannot be placed.
//! - [`Store::activate`] switches `.active` and the links of one version together, or not at
//!   all; `bin/<exe>` is replaced by renaming a fresh link over it, so the name always resolves.
//! - One owner per command name: `activate` refuses a `bin/<exe>` that links into another
//!   installed tool, or that is not toolget's at all, unless forced.
//! - A version directory without a readable receipt counts as not installed: [`Store::installed`]
//!   skips it, [`Store::place`] replaces it, [`Store::sweep`] leaves it alone (only an explicit
//!   repair or uninstall removes it).
//!
//! The root is handed in by the caller; this module reads no environment variables, does no
//! network I/O and prints nothing.

mod export;
mod id;
mod receipt;
#[cfg(test)]
mod tests;

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use tempfile::{NamedTempFile, TempDir};

use crate::error::{Diagnostic, ErrorKind};

pub use crate::version::compare_versions;
pub use export::{Exported, export_executable};
pub use id::{ToolId, VARIANT_SEPARATOR, check_component};
pub use receipt::{RECEIPT_FILE, Receipt, Verification, now_rfc3339, rfc3339_utc};

/// Directory of installed tools, versioned so a future layout can live beside it.
pub const TOOLS_DIR: &str = "tools-v1";
/// Directory of builds for platforms other than the host's: `foreign-v1/<platform>/…`.
pub const FOREIGN_DIR: &str = "foreign-v1";
/// Lock file held while `bin/` links are checked and switched (one owner per name).
const BIN_LOCK_FILE: &str = ".bin.lock";
/// Directory of executable links; the user puts it on `PATH`.
pub const BIN_DIR: &str = "bin";
/// Directory of temp dirs and files, on the same filesystem as [`TOOLS_DIR`] so renames work.
pub const STAGING_DIR: &str = "staging";
const LOCK_FILE: &str = ".lock";
const ACTIVE_FILE: &str = ".active";
/// Marks temp links in `bin/`: `.<exe>.tmp-<random>`.
const TEMP_LINK_MARK: &str = ".tmp-";

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("invalid {what} `{value}`: {reason}")]
    InvalidName {
        what: &'static str,
        value: String,
        reason: &'static str,
    },
    #[error("failed to {action} `{}`", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the toolget home `{}` is not a directory", path.display())]
    RootNotADirectory { path: PathBuf },
    #[error("the lock held is for {held}, not {wanted}")]
    WrongLock { held: String, wanted: String },
    #[error("{id} {version} is already installed at `{}`", path.display())]
    AlreadyInstalled {
        id: String,
        version: String,
        path: PathBuf,
    },
    #[error("{id}{} is not installed", version.as_deref().map(|v| format!(" {v}")).unwrap_or_default())]
    NotInstalled { id: String, version: Option<String> },
    #[error("the receipt `{}` is not valid", path.display())]
    ReceiptInvalid {
        path: PathBuf,
        #[source]
        source: toml::de::Error,
    },
    #[error("failed to encode the receipt for {id} {version}")]
    ReceiptEncode {
        id: String,
        version: String,
        #[source]
        source: toml::ser::Error,
    },
    #[error("failed to put {id} {version} in place at `{}`{}", path.display(),
        if *kept_previous { "; the previous install was kept" } else { "" })]
    CommitFailed {
        id: String,
        version: String,
        path: PathBuf,
        kept_previous: bool,
        #[source]
        source: io::Error,
    },
    #[error("failed to put {id} {version} in place, and failed to restore the previous install, which is now at `{}`", aside.display())]
    RestoreFailed {
        id: String,
        version: String,
        path: PathBuf,
        aside: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("no executable `{exe}` in `{}`", bin_dir.display())]
    NotLinked { exe: String, bin_dir: PathBuf },
    #[error("`{}` points to `{}`, which does not exist", link.display(), target.display())]
    DanglingLink {
        exe: String,
        link: PathBuf,
        target: PathBuf,
    },
    #[error("`{}` is not a link made by toolget; refusing to replace it", path.display())]
    BinOccupied { path: PathBuf },
    #[error("`{}` is the command of {owner}; refusing to point it at {id}", link.display())]
    BinOwned {
        exe: String,
        link: PathBuf,
        owner: String,
        id: String,
    },
    #[error(
        "{id} is a build for {platform}, which is kept apart from this machine's tools and never linked into `bin/`"
    )]
    ForeignNotLinkable { id: String, platform: String },
    #[error("link target `{}` is not inside the store `{}`", target.display(), root.display())]
    TargetOutsideStore { target: PathBuf, root: PathBuf },
    #[error("`{}` already exists and is not this tool's executable; refusing to overwrite it", path.display())]
    PrefixOccupied { path: PathBuf },
    #[error("{id} keeps its whole archive (`extract_all`): copying its executable alone into `{}` would break it", dir.display())]
    PrefixNeedsTree { id: String, dir: PathBuf },
}

impl Diagnostic for StoreError {
    fn kind(&self) -> ErrorKind {
        match self {
            StoreError::BinOwned { .. }
            | StoreError::BinOccupied { .. }
            | StoreError::PrefixOccupied { .. } => ErrorKind::BinConflict,
            StoreError::PrefixNeedsTree { .. } => ErrorKind::Usage,
            _ => ErrorKind::Io,
        }
    }

    /// What the user can do about it, when there is something.
    fn hint(&self) -> Option<String> {
        match self {
            StoreError::InvalidName { .. } => Some(
                "names in the store must be one plain path component: no `/`, `\\`, `..`, NUL \
                 or leading `.`"
                    .to_string(),
            ),
            StoreError::RootNotADirectory { .. } => {
                Some("point TOOLGET_HOME at a directory (it is created if missing)".to_string())
            }
            StoreError::AlreadyInstalled { .. } => Some("pass --force to reinstall".to_string()),
            StoreError::NotInstalled { .. } => {
                Some("`toolget list` shows what is installed".to_string())
            }
            StoreError::ReceiptInvalid { .. } => {
                Some("reinstall with --force to rewrite the receipt".to_string())
            }
            StoreError::RestoreFailed { path, aside, .. } => Some(format!(
                "move `{}` back to `{}` by hand",
                aside.display(),
                path.display()
            )),
            StoreError::NotLinked { .. } => Some(
                "install the tool that provides it; `toolget list` shows what is installed"
                    .to_string(),
            ),
            StoreError::DanglingLink { .. } => Some(
                "reinstall the tool with --force, or uninstall it to remove the link".to_string(),
            ),
            StoreError::BinOccupied { .. } => Some(
                "move or delete that file, or pass --force to replace it with toolget's link"
                    .to_string(),
            ),
            StoreError::BinOwned { exe, owner, .. } => Some(format!(
                "`toolget uninstall {owner}` first, or pass --force to point `{exe}` at this \
                 tool instead"
            )),
            StoreError::PrefixOccupied { .. } => Some(
                "move or delete that file, or pass --force to replace it with the installed \
                 executable"
                    .to_string(),
            ),
            StoreError::PrefixNeedsTree { .. } => Some(
                "install it without --prefix and put `$TOOLGET_HOME/bin` on PATH (`toolget env`)"
                    .to_string(),
            ),
            StoreError::Io { .. }
            | StoreError::WrongLock { .. }
            | StoreError::ReceiptEncode { .. }
            | StoreError::CommitFailed { .. }
            | StoreError::TargetOutsideStore { .. }
            | StoreError::ForeignNotLinkable { .. } => None,
        }
    }
}

fn io_err(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> StoreError {
    let path = path.to_path_buf();
    move |source| StoreError::Io {
        action,
        path,
        source,
    }
}

/// The store rooted at `$TOOLGET_HOME`, seen for one platform shelf: the host's (`tools-v1`)
/// or a foreign platform's (`foreign-v1/<platform>`). Cheap to clone; holds no open files.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
    /// Where this view keeps its tools.
    tools: PathBuf,
    /// The platform of a foreign view; `None` for the host's.
    foreign: Option<String>,
    /// Test hook: how long to pause inside a version swap (to kill a process there).
    swap_pause: Option<Duration>,
    /// `SOURCE_DATE_EPOCH`: the time receipts record and installed files carry, instead of
    /// the clock, so the same lock installs byte-identical trees.
    source_date_epoch: Option<SystemTime>,
}

/// Exclusive hold on one tool's directory; released when dropped.
///
/// Backed by an OS file lock on `tools-v1/<owner>/<repo>/.lock`, so it excludes other
/// processes as well as other handles in this one.
#[derive(Debug)]
pub struct ToolLock {
    file: File,
    tool_dir: PathBuf,
    id: ToolId,
}

impl ToolLock {
    /// The tool this lock guards.
    pub fn id(&self) -> &ToolId {
        &self.id
    }
}

impl Drop for ToolLock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first makes the release not
        // depend on no other handle to the same open file existing.
        let _ = self.file.unlock();
    }
}

/// A temp directory in `staging/` to extract into; removed on drop unless placed.
#[derive(Debug)]
pub struct Staging {
    /// `None` only once handed over by [`Staging::take`].
    dir: Option<TempDir>,
}

impl Staging {
    /// Where to put the files of the new install.
    pub fn path(&self) -> &Path {
        self.dir.as_ref().map_or(Path::new(""), TempDir::path)
    }

    /// The directory guard, still in flight; the caller now owns its removal.
    fn take(mut self) -> Option<TempDir> {
        self.dir.take()
    }

    /// The staging path was renamed away: nothing left to remove.
    fn placed(mut self) {
        if let Some(dir) = self.dir.take() {
            forget_in_flight(dir.path());
            let _ = dir.keep();
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            forget_in_flight(dir.path());
        }
    }
}

/// Staging entries this process created and may still hold (see [`remove_in_flight`]).
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Held while a version is placed and switched, so a signal handler never cuts into it.
static SWITCHING: Mutex<()> = Mutex::new(());

fn lock_ignoring_poison<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn remember_in_flight(path: &Path) {
    lock_ignoring_poison(&IN_FLIGHT).push(path.to_path_buf());
}

fn forget_in_flight(path: &Path) {
    lock_ignoring_poison(&IN_FLIGHT).retain(|p| p != path);
}

/// Remove every staging directory and temp file this process still has in flight; returns how
/// many existed. For a SIGINT/SIGTERM handler: it first waits for a version switch in progress
/// (there is at most one, and it takes milliseconds) so that the process exits with the store
/// on the old version or the new one, never between. Call it, then exit.
pub fn remove_in_flight() -> usize {
    let _switching = lock_ignoring_poison(&SWITCHING);
    let paths = std::mem::take(&mut *lock_ignoring_poison(&IN_FLIGHT));
    paths
        .iter()
        .filter(|path| remove_any(path).unwrap_or(false))
        .count()
}

/// Hold this across [`Store::place`], [`Store::activate`] and [`Placed::finish`]: an
/// interrupting signal then waits until the switch is complete (see [`remove_in_flight`]).
pub fn switching() -> MutexGuard<'static, ()> {
    lock_ignoring_poison(&SWITCHING)
}

/// A version put in place by [`Store::place`], not yet final. [`Placed::finish`] deletes the
/// install it replaced; [`Placed::rollback`] (or dropping it) puts the store back as it was.
#[derive(Debug)]
#[must_use = "finish() or rollback() a placed version"]
pub struct Placed {
    target: PathBuf,
    staging_dir: PathBuf,
    previous: Option<Previous>,
    done: bool,
}

/// The install a [`Placed`] version replaced, kept until the switch is final.
#[derive(Debug)]
struct Previous {
    /// Deleted on drop: holds the old copy.
    holder: TempDir,
    /// Where the old copy is now.
    old: PathBuf,
    /// Whether it got there by exchange (then it goes back by exchange too).
    exchanged: bool,
}

impl Placed {
    /// The version directory.
    pub fn path(&self) -> &Path {
        &self.target
    }

    /// Make the placement final: the replaced install, if any, is deleted.
    pub fn finish(mut self) {
        self.done = true;
        if let Some(previous) = self.previous.take() {
            forget_in_flight(previous.holder.path());
            drop(previous.holder);
        }
    }

    /// Undo the placement: the new version leaves `tools-v1` and the old one, if any, is back.
    pub fn rollback(mut self) -> Result<(), StoreError> {
        self.done = true;
        self.undo()
    }

    fn undo(&mut self) -> Result<(), StoreError> {
        match self.previous.take() {
            Some(previous) if previous.exchanged => {
                // The old copy sits in the staging dir: swap it back, then the staging dir
                // (now the new copy) is deleted when the holder drops.
                exchange(&previous.old, &self.target).map_err(io_err("restore", &self.target))?;
                forget_in_flight(previous.holder.path());
                Ok(())
            }
            Some(previous) => {
                // Out of the way in one rename, then the old one back in another.
                let new = previous.holder.path().join("new");
                fs::rename(&self.target, &new).map_err(io_err("move aside", &self.target))?;
                fs::rename(&previous.old, &self.target).map_err(io_err("restore", &self.target))?;
                forget_in_flight(previous.holder.path());
                Ok(())
            }
            None => {
                let holder = tempfile::Builder::new()
                    .prefix("old-")
                    .tempdir_in(&self.staging_dir)
                    .map_err(io_err("create a staging directory in", &self.staging_dir))?;
                fs::rename(&self.target, holder.path().join(ASIDE_NAME))
                    .map_err(io_err("move aside", &self.target))?;
                Ok(())
            }
        }
    }
}

impl Drop for Placed {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.undo();
        }
    }
}

/// Swap two paths in one step (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    rustix::fs::renameat_with(
        rustix::fs::CWD,
        a,
        rustix::fs::CWD,
        b,
        rustix::fs::RenameFlags::EXCHANGE,
    )
    .map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Who `bin/<exe>` belongs to, as [`Store::bin_owner`] sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BinOwner {
    /// Nothing there, or a toolget link into a tool that is no longer installed.
    Free,
    /// A toolget link into this installed tool.
    Tool(ToolId),
    /// A file, directory or symlink toolget did not make.
    User,
}

/// A link in `bin/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinLink {
    /// The executable name (the link's file name).
    pub exe: String,
    /// `bin/<exe>`.
    pub link: PathBuf,
    /// Where the link points, made absolute without touching the disk (it may dangle).
    pub target: PathBuf,
}

/// One installed tool, as [`Store::installed`] reports it.
#[derive(Debug, Clone)]
pub struct InstalledTool {
    pub id: ToolId,
    /// Oldest first, ordered by [`compare_versions`].
    pub versions: Vec<InstalledVersion>,
    /// The version `.active` names, if any.
    pub active: Option<String>,
}

/// One installed version of a tool.
#[derive(Debug, Clone)]
pub struct InstalledVersion {
    pub version: String,
    pub path: PathBuf,
    pub receipt: Receipt,
}

impl Store {
    /// A store rooted at `root`. Creates nothing yet: directories appear when first needed,
    /// so read-only commands on a fresh machine leave no trace.
    pub fn open(root: impl Into<PathBuf>) -> Result<Store, StoreError> {
        let root = root.into();
        // Absolute, so links and paths handed out stay valid after a `chdir`.
        let root = std::path::absolute(&root).map_err(io_err("resolve", &root))?;
        match fs::metadata(&root) {
            Ok(meta) if !meta.is_dir() => Err(StoreError::RootNotADirectory { path: root }),
            Ok(_) => Ok(Store::at(root)),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(Store::at(root)),
            Err(err) => Err(io_err("read", &root)(err)),
        }
    }

    fn at(root: PathBuf) -> Store {
        Store {
            tools: root.join(TOOLS_DIR),
            root,
            foreign: None,
            swap_pause: None,
            source_date_epoch: None,
        }
    }

    /// The shelf of builds for another platform (`foreign-v1/<platform>`): same layout and
    /// locks, but never linked into `bin/` and never the host's "already installed".
    pub fn foreign(&self, platform: &str) -> Result<Store, StoreError> {
        check_component("platform", platform)?;
        Ok(Store {
            tools: self.root.join(FOREIGN_DIR).join(platform),
            foreign: Some(platform.to_string()),
            ..self.clone()
        })
    }

    /// The host's view of the same store.
    pub fn host(&self) -> Store {
        Store {
            tools: self.root.join(TOOLS_DIR),
            foreign: None,
            ..self.clone()
        }
    }

    /// The platform of a foreign view; `None` for the host's.
    pub fn foreign_platform(&self) -> Option<&str> {
        self.foreign.as_deref()
    }

    /// Platforms with a shelf under `foreign-v1`, sorted.
    pub fn foreign_platforms(&self) -> Result<Vec<String>, StoreError> {
        Ok(list_dir(&self.root.join(FOREIGN_DIR))?
            .into_iter()
            .filter(|(name, path)| check_component("platform", name).is_ok() && path.is_dir())
            .map(|(name, _)| name)
            .collect())
    }

    /// Test hook: pause this long inside a version swap, where a kill would hurt most.
    pub fn with_swap_pause(mut self, pause: Option<Duration>) -> Store {
        self.swap_pause = pause;
        self
    }

    /// Record `time` instead of the clock in receipts and as the modification time of every
    /// file and directory an install writes (`SOURCE_DATE_EPOCH`): reproducible installs.
    pub fn with_source_date_epoch(mut self, time: Option<SystemTime>) -> Store {
        self.source_date_epoch = time;
        self
    }

    /// `SOURCE_DATE_EPOCH`, when this store was told it.
    pub fn source_date_epoch(&self) -> Option<SystemTime> {
        self.source_date_epoch
    }

    /// The time an install records: `SOURCE_DATE_EPOCH` when set, else now (RFC 3339 UTC).
    pub fn install_time(&self) -> String {
        rfc3339_utc(self.source_date_epoch.unwrap_or_else(SystemTime::now))
    }

    /// `$TOOLGET_HOME`, absolute.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `$TOOLGET_HOME/bin`, the directory to put on `PATH`.
    pub fn bin_dir(&self) -> PathBuf {
        self.root.join(BIN_DIR)
    }

    /// `$TOOLGET_HOME/tools-v1`, or `foreign-v1/<platform>` for a foreign view.
    pub fn tools_dir(&self) -> PathBuf {
        self.tools.clone()
    }

    /// `$TOOLGET_HOME/staging`.
    pub fn staging_dir(&self) -> PathBuf {
        self.root.join(STAGING_DIR)
    }

    /// `tools-v1/<owner>/<repo>` (or `<repo>~<variant>`).
    pub fn tool_dir(&self, id: &ToolId) -> Result<PathBuf, StoreError> {
        let (owner, repo) = id.dir_names()?;
        Ok(self.tools_dir().join(owner).join(repo))
    }

    /// `tools-v1/<owner>/<repo>/<version>`; rejects versions that are not one plain component.
    pub fn version_dir(&self, id: &ToolId, version: &str) -> Result<PathBuf, StoreError> {
        check_component("version", version)?;
        Ok(self.tool_dir(id)?.join(version))
    }

    /// Take the tool's lock, waiting for another holder to let go.
    ///
    /// Callers re-check what they meant to do after this returns (is it still not installed?),
    /// because the previous holder may have just done it.
    pub fn lock(&self, id: &ToolId) -> Result<ToolLock, StoreError> {
        match self.acquire(id, true)? {
            Some(lock) => Ok(lock),
            // `acquire` returns `None` only when asked not to wait.
            None => unreachable!("a blocking lock returned without the lock"),
        }
    }

    /// Take the tool's lock if nobody holds it; `None` when somebody does.
    pub fn try_lock(&self, id: &ToolId) -> Result<Option<ToolLock>, StoreError> {
        self.acquire(id, false)
    }

    fn acquire(&self, id: &ToolId, wait: bool) -> Result<Option<ToolLock>, StoreError> {
        let tool_dir = self.tool_dir(id)?;
        let path = tool_dir.join(LOCK_FILE);
        // `uninstall` of the last version deletes the tool directory, lock file included, while
        // holding the lock. A waiter then wakes up holding a lock on a deleted file, so after
        // locking we check the path still names the file we locked, and start over if not.
        // Bounded so a pathological loop becomes an error instead of a hang.
        let mut last_err = None;
        for _ in 0..64 {
            fs::create_dir_all(&tool_dir).map_err(io_err("create directory", &tool_dir))?;
            let file = match OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
            {
                Ok(file) => file,
                // The directory vanished between create and open: an uninstall raced us.
                Err(err) if err.kind() == io::ErrorKind::NotFound => {
                    last_err = Some(err);
                    continue;
                }
                Err(err) => return Err(io_err("open lock file", &path)(err)),
            };
            if wait {
                file.lock().map_err(io_err("lock", &path))?;
            } else {
                match file.try_lock() {
                    Ok(()) => {}
                    Err(fs::TryLockError::WouldBlock) => return Ok(None),
                    Err(fs::TryLockError::Error(err)) => return Err(io_err("lock", &path)(err)),
                }
            }
            if still_at(&file, &path) {
                self.stamp(&file, &path)?;
                return Ok(Some(ToolLock {
                    file,
                    tool_dir,
                    id: id.clone(),
                }));
            }
        }
        Err(io_err("lock", &path)(last_err.unwrap_or_else(|| {
            io::Error::other("the lock file kept being replaced")
        })))
    }

    fn check_lock(&self, lock: &ToolLock, id: &ToolId) -> Result<(), StoreError> {
        if lock.tool_dir != self.tool_dir(id)? {
            return Err(StoreError::WrongLock {
                held: lock.id.to_string(),
                wanted: id.to_string(),
            });
        }
        Ok(())
    }

    /// A fresh temp directory in `staging/` to extract into.
    pub fn staging(&self) -> Result<Staging, StoreError> {
        let dir = self.ensure_dir(self.staging_dir())?;
        let temp = tempfile::Builder::new()
            .prefix("stage-")
            .tempdir_in(&dir)
            .map_err(io_err("create a staging directory in", &dir))?;
        remember_in_flight(temp.path());
        Ok(Staging { dir: Some(temp) })
    }

    /// A temp file in `staging/` (same filesystem as the store), e.g. for a download.
    pub fn temp_file(&self) -> Result<NamedTempFile, StoreError> {
        let dir = self.ensure_dir(self.staging_dir())?;
        let file = tempfile::Builder::new()
            .prefix("file-")
            .tempfile_in(&dir)
            .map_err(io_err("create a temp file in", &dir))?;
        // Forgotten only by `remove_in_flight`: removing a path that is gone is a no-op.
        remember_in_flight(file.path());
        Ok(file)
    }

    fn ensure_dir(&self, dir: PathBuf) -> Result<PathBuf, StoreError> {
        fs::create_dir_all(&dir).map_err(io_err("create directory", &dir))?;
        Ok(dir)
    }

    /// Whether `version` is installed: its directory exists with a readable receipt.
    pub fn is_installed(&self, id: &ToolId, version: &str) -> bool {
        self.read_receipt(id, version).is_ok()
    }

    /// The receipt of an installed version.
    pub fn read_receipt(&self, id: &ToolId, version: &str) -> Result<Receipt, StoreError> {
        let path = self.version_dir(id, version)?.join(RECEIPT_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                return Err(StoreError::NotInstalled {
                    id: id.to_string(),
                    version: Some(version.to_string()),
                });
            }
            Err(err) => return Err(io_err("read", &path)(err)),
        };
        toml::from_str(&text).map_err(|source| StoreError::ReceiptInvalid { path, source })
    }

    /// Make `staging` the installed `version` of `id` and delete what it replaced: [`Store::place`]
    /// then [`Placed::finish`]. Returns the version directory.
    pub fn commit(
        &self,
        lock: &ToolLock,
        staging: Staging,
        id: &ToolId,
        version: &str,
        receipt: &Receipt,
        replace: bool,
    ) -> Result<PathBuf, StoreError> {
        let placed = self.place(lock, staging, id, version, receipt, replace)?;
        let path = placed.path().to_path_buf();
        placed.finish();
        Ok(path)
    }

    /// Make `staging` the installed `version` of `id`, in one rename, keeping whatever it
    /// replaces until the returned [`Placed`] is finished or rolled back.
    ///
    /// Writes the receipt into the staging directory and fsyncs it first, so the version is
    /// never visible without one. If the version is already installed, fails with
    /// [`StoreError::AlreadyInstalled`] unless `replace`; then (on Linux) the new directory and
    /// the old one are exchanged in one step, so the version's path never stops existing —
    /// elsewhere the old one is moved aside first and put back if the new one cannot be placed.
    /// A leftover directory without a receipt is replaced either way.
    pub fn place(
        &self,
        lock: &ToolLock,
        staging: Staging,
        id: &ToolId,
        version: &str,
        receipt: &Receipt,
        replace: bool,
    ) -> Result<Placed, StoreError> {
        self.place_with(
            lock,
            staging,
            id,
            version,
            receipt,
            replace,
            &Renames::real(),
        )
    }

    /// [`Store::place`] with the renames supplied, so tests can make one of them fail.
    #[allow(clippy::too_many_arguments)]
    fn place_with(
        &self,
        lock: &ToolLock,
        staging: Staging,
        id: &ToolId,
        version: &str,
        receipt: &Receipt,
        replace: bool,
        ops: &Renames<'_>,
    ) -> Result<Placed, StoreError> {
        self.check_lock(lock, id)?;
        let target = self.version_dir(id, version)?;
        let tool_dir = self.tool_dir(id)?;

        let text = toml::to_string_pretty(receipt).map_err(|source| StoreError::ReceiptEncode {
            id: id.to_string(),
            version: version.to_string(),
            source,
        })?;
        write_synced(&staging.path().join(RECEIPT_FILE), text.as_bytes())?;
        // tempfile makes directories 0700; an install must be usable by whoever can see
        // the home (e.g. a shared /opt/toolget in an image).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(staging.path(), fs::Permissions::from_mode(0o755))
                .map_err(io_err("set permissions of", staging.path()))?;
        }
        if let Some(time) = self.source_date_epoch {
            set_times_within(staging.path(), time)?;
        }
        sync_dir(staging.path());
        fs::create_dir_all(&tool_dir).map_err(io_err("create directory", &tool_dir))?;

        let exists = match fs::symlink_metadata(&target) {
            Ok(_) => true,
            Err(err) if err.kind() == io::ErrorKind::NotFound => false,
            Err(err) => return Err(io_err("read", &target)(err)),
        };
        if exists && !replace && self.is_installed(id, version) {
            return Err(StoreError::AlreadyInstalled {
                id: id.to_string(),
                version: version.to_string(),
                path: target,
            });
        }
        let placed = |previous| Placed {
            target: target.clone(),
            staging_dir: self.staging_dir(),
            previous,
            done: false,
        };
        if !exists {
            ops.rename(staging.path(), &target)
                .map_err(|source| StoreError::CommitFailed {
                    id: id.to_string(),
                    version: version.to_string(),
                    path: target.clone(),
                    kept_previous: false,
                    source,
                })?;
            // The staging path no longer exists; stop its guard from looking for it.
            staging.placed();
            sync_dir(&tool_dir);
            return Ok(placed(None));
        }
        // Replace with no window: one exchange, the old copy left in the staging dir.
        if ops.exchange(staging.path(), &target).is_ok() {
            self.pause_in_swap();
            sync_dir(&tool_dir);
            let old = staging.path().to_path_buf();
            return Ok(placed(staging.take().map(|holder| Previous {
                holder,
                old,
                exchanged: true,
            })));
        }
        let (holder, aside_path) = self.move_aside(&target, &|from, to| ops.rename(from, to))?;
        self.pause_in_swap();
        if let Err(source) = ops.rename(staging.path(), &target) {
            if let Err(restore) = ops.rename(&aside_path, &target) {
                // Keep the old install where it is rather than delete the only copy.
                let kept = holder.keep().join(ASIDE_NAME);
                return Err(StoreError::RestoreFailed {
                    id: id.to_string(),
                    version: version.to_string(),
                    path: target,
                    aside: kept,
                    source: restore,
                });
            }
            return Err(StoreError::CommitFailed {
                id: id.to_string(),
                version: version.to_string(),
                path: target,
                kept_previous: true,
                source,
            });
        }
        staging.placed();
        sync_dir(&tool_dir);
        remember_in_flight(holder.path());
        Ok(placed(Some(Previous {
            old: aside_path,
            holder,
            exchanged: false,
        })))
    }

    /// [`Store::commit`] with the renames supplied and no exchange: the portable path.
    #[cfg(test)]
    #[allow(clippy::too_many_arguments)]
    fn commit_with(
        &self,
        lock: &ToolLock,
        staging: Staging,
        id: &ToolId,
        version: &str,
        receipt: &Receipt,
        replace: bool,
        rename: &dyn Fn(&Path, &Path) -> io::Result<()>,
    ) -> Result<PathBuf, StoreError> {
        let ops = Renames {
            rename,
            exchange: None,
        };
        let placed = self.place_with(lock, staging, id, version, receipt, replace, &ops)?;
        let path = placed.path().to_path_buf();
        placed.finish();
        Ok(path)
    }

    fn pause_in_swap(&self) {
        if let Some(pause) = self.swap_pause {
            std::thread::sleep(pause);
        }
    }

    /// Rename `path` into a fresh temp dir in `staging/`; dropping the returned guard deletes
    /// it. Moving first makes removal look atomic to readers of `tools-v1/`.
    fn move_aside(
        &self,
        path: &Path,
        rename: &dyn Fn(&Path, &Path) -> io::Result<()>,
    ) -> Result<(TempDir, PathBuf), StoreError> {
        let staging = self.ensure_dir(self.staging_dir())?;
        let holder = tempfile::Builder::new()
            .prefix("old-")
            .tempdir_in(&staging)
            .map_err(io_err("create a staging directory in", &staging))?;
        let aside = holder.path().join(ASIDE_NAME);
        rename(path, &aside).map_err(io_err("move aside", path))?;
        Ok((holder, aside))
    }

    /// Record `version` as the tool's active version (what `bin/` links point into).
    pub fn set_active(
        &self,
        lock: &ToolLock,
        id: &ToolId,
        version: &str,
    ) -> Result<(), StoreError> {
        self.check_lock(lock, id)?;
        if !self.is_installed(id, version) {
            return Err(StoreError::NotInstalled {
                id: id.to_string(),
                version: Some(version.to_string()),
            });
        }
        self.write_active(id, version)
    }

    fn write_active(&self, id: &ToolId, version: &str) -> Result<(), StoreError> {
        let path = self.tool_dir(id)?.join(ACTIVE_FILE);
        let mut temp = self.temp_file()?;
        temp.write_all(format!("{version}\n").as_bytes())
            .and_then(|()| temp.as_file().sync_all())
            .map_err(io_err("write", temp.path()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(temp.path(), fs::Permissions::from_mode(0o644))
                .map_err(io_err("set permissions of", temp.path()))?;
        }
        self.stamp(temp.as_file(), temp.path())?;
        temp.persist(&path)
            .map_err(|err| io_err("write", &path)(err.error))?;
        Ok(())
    }

    /// With `SOURCE_DATE_EPOCH`, give a file the store writes that time instead of the clock's.
    fn stamp(&self, file: &File, path: &Path) -> Result<(), StoreError> {
        match self.source_date_epoch {
            Some(time) => file
                .set_times(fs::FileTimes::new().set_modified(time).set_accessed(time))
                .map_err(io_err("set the modification time of", path)),
            None => Ok(()),
        }
    }

    /// The version `.active` names, if the file exists and holds a valid version name.
    pub fn active_version(&self, id: &ToolId) -> Option<String> {
        let path = self.tool_dir(id).ok()?.join(ACTIVE_FILE);
        let text = fs::read_to_string(path).ok()?;
        let version = text.trim();
        check_component("version", version).ok()?;
        Some(version.to_string())
    }

    /// Make `version` the active version of `id` and point `bin/<name>` at each `(name, target)`
    /// — together or not at all. Returns the links.
    ///
    /// Each name must be free, or already this tool's: a link into another installed tool, or
    /// a file or symlink toolget did not make, is refused ([`StoreError::BinOwned`],
    /// [`StoreError::BinOccupied`]) unless `force`. `.active` is written first; if a link then
    /// cannot be made, the links already switched and `.active` are put back. What is already
    /// so is left alone (a no-op reinstall must not pay an fsync per link).
    pub fn activate(
        &self,
        lock: &ToolLock,
        id: &ToolId,
        version: &str,
        links: &[(String, PathBuf)],
        force: bool,
    ) -> Result<Vec<PathBuf>, StoreError> {
        self.check_lock(lock, id)?;
        if let Some(platform) = &self.foreign {
            return Err(StoreError::ForeignNotLinkable {
                id: id.to_string(),
                platform: platform.clone(),
            });
        }
        if !self.is_installed(id, version) {
            return Err(StoreError::NotInstalled {
                id: id.to_string(),
                version: Some(version.to_string()),
            });
        }
        let _bin_lock = self.lock_bin()?;
        self.check_bin_names(id, links.iter().map(|(name, _)| name.as_str()), force)?;
        let previous_active = self.active_version(id);
        if previous_active.as_deref() != Some(version) {
            self.write_active(id, version)?;
        }
        let mut switched: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        let mut made = Vec::new();
        for (name, target) in links {
            let link = self.bin_dir().join(name);
            if self.is_link_to(&link, target) {
                made.push(link);
                continue;
            }
            let before = fs::read_link(&link).ok();
            match self.link_bin_replacing(name, target, force) {
                Ok(link) => {
                    switched.push((link.clone(), before));
                    made.push(link);
                }
                Err(err) => {
                    for (link, before) in switched.iter().rev() {
                        let _ = match before {
                            Some(old) => self.replace_link(link, old),
                            None => remove_if_present(link),
                        };
                    }
                    if previous_active.as_deref() != Some(version) {
                        let _ = match &previous_active {
                            Some(old) => self.write_active(id, old),
                            None => remove_if_present(&self.tool_dir(id)?.join(ACTIVE_FILE)),
                        };
                    }
                    return Err(err);
                }
            }
        }
        Ok(made)
    }

    /// Refuse a name in `bin/` that is not free or already `id`'s, unless `force`.
    pub fn check_bin_names<'n>(
        &self,
        id: &ToolId,
        names: impl IntoIterator<Item = &'n str>,
        force: bool,
    ) -> Result<(), StoreError> {
        if force {
            return Ok(());
        }
        for name in names {
            match self.bin_owner(name)? {
                BinOwner::Free => {}
                BinOwner::Tool(owner) if &owner == id => {}
                BinOwner::Tool(owner) => {
                    return Err(StoreError::BinOwned {
                        exe: name.to_string(),
                        link: self.bin_dir().join(name),
                        owner: owner.to_string(),
                        id: id.to_string(),
                    });
                }
                BinOwner::User => {
                    return Err(StoreError::BinOccupied {
                        path: self.bin_dir().join(name),
                    });
                }
            }
        }
        Ok(())
    }

    /// Who `bin/<exe_name>` belongs to: the tool of `tools-v1` its link points into (if that
    /// tool is still installed), the user (anything else that is there), or nobody.
    pub fn bin_owner(&self, exe_name: &str) -> Result<BinOwner, StoreError> {
        check_component("executable name", exe_name)?;
        let link = self.bin_dir().join(exe_name);
        let meta = match fs::symlink_metadata(&link) {
            Ok(meta) => meta,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(BinOwner::Free),
            Err(err) => return Err(io_err("read", &link)(err)),
        };
        if !meta.file_type().is_symlink() {
            return Ok(BinOwner::User);
        }
        let target = fs::read_link(&link).map_err(io_err("read", &link))?;
        let target = normalize(&self.bin_dir().join(target));
        let host = self.host();
        let Ok(inside) = target.strip_prefix(host.tools_dir()) else {
            return Ok(BinOwner::User);
        };
        let mut parts = inside.components().filter_map(|c| match c {
            Component::Normal(part) => part.to_str(),
            _ => None,
        });
        let (Some(owner), Some(repo_dir)) = (parts.next(), parts.next()) else {
            return Ok(BinOwner::User);
        };
        let id = ToolId::from_dir_names(owner, repo_dir);
        if host.installed_versions(&id)?.is_empty() {
            return Ok(BinOwner::Free);
        }
        Ok(BinOwner::Tool(id))
    }

    /// Whether `link` is already the link [`Store::link_bin`] would make to `target` (the
    /// same relative path, not merely the same file).
    fn is_link_to(&self, link: &Path, target: &Path) -> bool {
        let Ok(inside) = target.strip_prefix(&self.root) else {
            return false;
        };
        fs::read_link(link).is_ok_and(|current| current == Path::new("..").join(inside))
    }

    /// Put back a link as it was (its stored, relative target).
    fn replace_link(&self, link: &Path, stored: &Path) -> Result<(), StoreError> {
        let bin = self.bin_dir();
        let name = link.file_name().and_then(|n| n.to_str()).unwrap_or("link");
        let temp = self.temp_link(&bin, name, stored)?;
        fs::rename(&temp, link).map_err(|err| {
            let _ = fs::remove_file(&temp);
            io_err("replace link", link)(err)
        })
    }

    fn temp_link(&self, bin: &Path, exe_name: &str, stored: &Path) -> Result<PathBuf, StoreError> {
        loop {
            let candidate = bin.join(format!(".{exe_name}{TEMP_LINK_MARK}{}", random_suffix()));
            match symlink(stored, &candidate) {
                Ok(()) => return Ok(candidate),
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(err) => return Err(io_err("create link", &candidate)(err)),
            }
        }
    }

    /// The lock serialising changes to `bin/` across tools (one owner per name).
    fn lock_bin(&self) -> Result<File, StoreError> {
        fs::create_dir_all(&self.root).map_err(io_err("create directory", &self.root))?;
        let path = self.root.join(BIN_LOCK_FILE);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_err("open lock file", &path))?;
        file.lock().map_err(io_err("lock", &path))?;
        self.stamp(&file, &path)?;
        Ok(file)
    }

    /// Point `bin/<exe_name>` at `target` (a path inside the store), replacing any link there.
    ///
    /// The link is relative (`../tools-v1/…`) so the home can move. It is made under a temp
    /// name and renamed over the old one, so `bin/<exe_name>` resolves throughout. A regular
    /// file at that name is not ours and is left alone. Returns the link's path.
    pub fn link_bin(&self, exe_name: &str, target: &Path) -> Result<PathBuf, StoreError> {
        self.link_bin_replacing(exe_name, target, false)
    }

    /// [`Store::link_bin`]; `replace_file` also replaces a file that is not a link (`--force`).
    fn link_bin_replacing(
        &self,
        exe_name: &str,
        target: &Path,
        replace_file: bool,
    ) -> Result<PathBuf, StoreError> {
        check_component("executable name", exe_name)?;
        if let Some(platform) = &self.foreign {
            return Err(StoreError::ForeignNotLinkable {
                id: exe_name.to_string(),
                platform: platform.clone(),
            });
        }
        let outside = || StoreError::TargetOutsideStore {
            target: target.to_path_buf(),
            root: self.root.clone(),
        };
        let inside = target.strip_prefix(&self.root).map_err(|_| outside())?;
        if inside.as_os_str().is_empty()
            || inside
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(outside());
        }
        let relative = Path::new("..").join(inside);

        let bin = self.ensure_dir(self.bin_dir())?;
        let link = bin.join(exe_name);
        if let Ok(meta) = fs::symlink_metadata(&link)
            && !meta.file_type().is_symlink()
            && !(replace_file && meta.is_file())
        {
            return Err(StoreError::BinOccupied { path: link });
        }
        let temp = self.temp_link(&bin, exe_name, &relative)?;
        if let Err(err) = fs::rename(&temp, &link) {
            let _ = fs::remove_file(&temp);
            return Err(io_err("replace link", &link)(err));
        }
        sync_dir(&bin);
        Ok(link)
    }

    /// Remove `bin/<exe_name>` if it is a link; `false` when there was none.
    pub fn unlink_bin(&self, exe_name: &str) -> Result<bool, StoreError> {
        check_component("executable name", exe_name)?;
        let link = self.bin_dir().join(exe_name);
        match fs::symlink_metadata(&link) {
            Ok(meta) if meta.file_type().is_symlink() => {
                fs::remove_file(&link).map_err(io_err("remove link", &link))?;
                Ok(true)
            }
            Ok(_) => Err(StoreError::BinOccupied { path: link }),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(err) => Err(io_err("read", &link)(err)),
        }
    }

    /// The absolute, canonical path of the file `bin/<exe_name>` runs.
    pub fn which(&self, exe_name: &str) -> Result<PathBuf, StoreError> {
        check_component("executable name", exe_name)?;
        let bin_dir = self.bin_dir();
        let link = bin_dir.join(exe_name);
        match fs::symlink_metadata(&link) {
            Ok(_) => {}
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                return Err(StoreError::NotLinked {
                    exe: exe_name.to_string(),
                    bin_dir,
                });
            }
            Err(err) => return Err(io_err("read", &link)(err)),
        }
        match fs::canonicalize(&link) {
            Ok(path) => Ok(path),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Err(StoreError::DanglingLink {
                exe: exe_name.to_string(),
                target: fs::read_link(&link)
                    .map_or_else(|_| link.clone(), |t| normalize(&bin_dir.join(t))),
                link,
            }),
            Err(err) => Err(io_err("resolve", &link)(err)),
        }
    }

    /// Every link in `bin/` (temp links excluded), sorted by name.
    pub fn bin_links(&self) -> Result<Vec<BinLink>, StoreError> {
        let bin_dir = self.bin_dir();
        let mut links = Vec::new();
        for (name, path) in list_dir(&bin_dir)? {
            if name.starts_with('.') {
                continue;
            }
            let Ok(target) = fs::read_link(&path) else {
                continue; // not a link
            };
            links.push(BinLink {
                exe: name,
                target: normalize(&bin_dir.join(target)),
                link: path,
            });
        }
        Ok(links)
    }

    /// Every installed tool with its versions (oldest first) and active version. Version
    /// directories without a readable receipt are skipped, and tools left with none.
    pub fn installed(&self) -> Result<Vec<InstalledTool>, StoreError> {
        let mut tools = Vec::new();
        for (owner, owner_path) in list_dir(&self.tools_dir())? {
            if owner.starts_with('.') || !owner_path.is_dir() {
                continue;
            }
            for (repo_dir, repo_path) in list_dir(&owner_path)? {
                if repo_dir.starts_with('.') || !repo_path.is_dir() {
                    continue;
                }
                let id = ToolId::from_dir_names(&owner, &repo_dir);
                if self.tool_dir(&id).ok().as_deref() != Some(repo_path.as_path()) {
                    continue; // a name toolget would not have written
                }
                let versions = self.installed_versions(&id)?;
                if versions.is_empty() {
                    continue;
                }
                tools.push(InstalledTool {
                    active: self.active_version(&id),
                    id,
                    versions,
                });
            }
        }
        tools.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(tools)
    }

    /// The installed versions of one tool, oldest first.
    pub fn installed_versions(&self, id: &ToolId) -> Result<Vec<InstalledVersion>, StoreError> {
        let mut versions = Vec::new();
        for version in self.version_names(id)? {
            if let Ok(receipt) = self.read_receipt(id, &version) {
                versions.push(InstalledVersion {
                    path: self.version_dir(id, &version)?,
                    version,
                    receipt,
                });
            }
        }
        versions.sort_by(|a, b| compare_versions(&a.version, &b.version));
        Ok(versions)
    }

    /// Names of all version directories, receipt or not.
    fn version_names(&self, id: &ToolId) -> Result<Vec<String>, StoreError> {
        Ok(list_dir(&self.tool_dir(id)?)?
            .into_iter()
            .filter(|(name, path)| check_component("version", name).is_ok() && path.is_dir())
            .map(|(name, _)| name)
            .collect())
    }

    /// Remove one version (`Some`) or all versions (`None`) of a tool; returns what was
    /// removed, oldest first.
    ///
    /// Links in `bin/` that pointed into a removed version are re-pointed at the newest
    /// remaining version (the same path inside it, else a file of the same name from its
    /// receipt) or removed when it has no such file. The active version moves to the newest
    /// remaining one; with none left the tool directory goes too. Other links are untouched.
    /// Directories without a receipt count here, so uninstall also clears leftovers.
    pub fn uninstall(
        &self,
        lock: &ToolLock,
        id: &ToolId,
        version: Option<&str>,
    ) -> Result<Vec<String>, StoreError> {
        self.check_lock(lock, id)?;
        let tool_dir = self.tool_dir(id)?;
        let present = self.version_names(id)?;
        let mut removing: Vec<String> = match version {
            Some(version) => {
                check_component("version", version)?;
                if !present.iter().any(|p| p == version) {
                    return Err(StoreError::NotInstalled {
                        id: id.to_string(),
                        version: Some(version.to_string()),
                    });
                }
                vec![version.to_string()]
            }
            None if present.is_empty() => {
                return Err(StoreError::NotInstalled {
                    id: id.to_string(),
                    version: None,
                });
            }
            None => present,
        };
        removing.sort_by(|a, b| compare_versions(a, b));

        let removed_dirs: Vec<PathBuf> = removing.iter().map(|v| tool_dir.join(v)).collect();
        let affected: Vec<(BinLink, PathBuf)> = self
            .bin_links()?
            .into_iter()
            .filter_map(|link| {
                let dir = removed_dirs.iter().find(|d| link.target.starts_with(d))?;
                Some((link, dir.clone()))
            })
            .collect();

        // Out of tools-v1 first (each an atomic rename), deleted when the guards drop.
        let mut doomed = Vec::new();
        for dir in &removed_dirs {
            doomed.push(self.move_aside(dir, &|from, to| fs::rename(from, to))?);
        }

        let remaining = self.installed_versions(id)?;
        let newest = remaining.last();
        for (link, old_dir) in &affected {
            let replacement = newest.and_then(|newest| {
                let inside = link.target.strip_prefix(old_dir).ok()?;
                replacement_target(newest, inside, &link.exe)
            });
            match replacement {
                Some(target) => {
                    self.link_bin(&link.exe, &target)?;
                }
                None => {
                    self.unlink_bin(&link.exe)?;
                }
            }
        }

        let active_path = tool_dir.join(ACTIVE_FILE);
        if let Some(newest) = newest {
            let active = self.active_version(id);
            if active.is_none_or(|a| removing.contains(&a)) {
                self.write_active(id, &newest.version)?;
            }
        } else {
            remove_if_present(&active_path)?;
            if self.version_names(id)?.is_empty() {
                // Deleting the lock file is safe: waiters notice it is gone (see
                // `acquire`). Windows cannot delete a file we hold open, so keep it there.
                #[cfg(unix)]
                {
                    remove_if_present(&tool_dir.join(LOCK_FILE))?;
                    let _ = fs::remove_dir(&tool_dir);
                    if let Some(owner_dir) = tool_dir.parent() {
                        let _ = fs::remove_dir(owner_dir); // only if no other tool
                    }
                }
            }
        }
        drop(doomed);
        Ok(removing)
    }

    /// Move `version` of `id` from this shelf to the shelf `to` (both of this store), for a
    /// build an older toolget put on the host's shelf although it is for another platform.
    /// Links into it are removed (such a build must not be on PATH) and `.active` moves to the
    /// newest remaining version. When `to` already has that version, this copy is just removed.
    pub fn move_to_shelf(
        &self,
        lock: &ToolLock,
        id: &ToolId,
        version: &str,
        to: &Store,
    ) -> Result<(), StoreError> {
        self.check_lock(lock, id)?;
        let from = self.version_dir(id, version)?;
        let _bin_lock = self.lock_bin()?;
        let links: Vec<BinLink> = self
            .bin_links()?
            .into_iter()
            .filter(|link| link.target.starts_with(&from))
            .collect();
        let to_lock = to.lock(id)?;
        let target = to.version_dir(id, version)?;
        if fs::symlink_metadata(&target).is_ok() {
            drop(self.move_aside(&from, &|a, b| fs::rename(a, b))?);
        } else {
            fs::create_dir_all(to.tool_dir(id)?)
                .map_err(io_err("create directory", &to.tool_dir(id)?))?;
            fs::rename(&from, &target).map_err(io_err("move", &from))?;
        }
        drop(to_lock);
        for link in &links {
            remove_if_present(&link.link)?;
        }
        if self.active_version(id).as_deref() == Some(version) {
            match self.installed_versions(id)?.last() {
                Some(newest) => self.write_active(id, &newest.version)?,
                None => remove_if_present(&self.tool_dir(id)?.join(ACTIVE_FILE))?,
            }
        }
        Ok(())
    }

    /// Remove entries of `staging/` (and temp links in `bin/`) last modified more than
    /// `older_than` ago; returns how many. Pick an age well beyond the longest install: an
    /// install in progress keeps its staging entries fresh only as long as it writes to them.
    /// Version directories without a receipt are not touched here.
    pub fn sweep(&self, older_than: Duration) -> Result<usize, StoreError> {
        let now = SystemTime::now();
        let stale = |path: &Path| -> bool {
            fs::symlink_metadata(path)
                .and_then(|meta| meta.modified())
                .ok()
                .and_then(|modified| now.duration_since(modified).ok())
                .is_some_and(|age| age >= older_than)
        };
        let mut removed = 0;
        for (_, path) in list_dir(&self.staging_dir())? {
            if stale(&path) && remove_any(&path)? {
                removed += 1;
            }
        }
        for (name, path) in list_dir(&self.bin_dir())? {
            let is_temp_link = name.starts_with('.') && name.contains(TEMP_LINK_MARK);
            if is_temp_link && stale(&path) && remove_any(&path)? {
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// A rename-like operation on two paths.
type PathOp<'a> = &'a dyn Fn(&Path, &Path) -> io::Result<()>;

/// The renames [`Store::place`] makes; tests swap in failing ones.
struct Renames<'a> {
    rename: PathOp<'a>,
    /// `None`: no atomic exchange (as on platforms without one).
    exchange: Option<PathOp<'a>>,
}

impl Renames<'_> {
    fn real() -> Renames<'static> {
        Renames {
            rename: &|from, to| fs::rename(from, to),
            exchange: Some(&exchange),
        }
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        (self.rename)(from, to)
    }

    fn exchange(&self, a: &Path, b: &Path) -> io::Result<()> {
        match self.exchange {
            Some(exchange) => exchange(a, b),
            None => Err(io::Error::from(io::ErrorKind::Unsupported)),
        }
    }
}

/// Name of the moved directory inside an `old-*` holder.
const ASIDE_NAME: &str = "v";

/// Where a link that pointed at `inside` of a removed version should point in `newest`.
fn replacement_target(newest: &InstalledVersion, inside: &Path, exe: &str) -> Option<PathBuf> {
    let same = newest.path.join(inside);
    if !inside.as_os_str().is_empty() && fs::symlink_metadata(&same).is_ok() {
        return Some(same);
    }
    let wanted = [Some(std::ffi::OsStr::new(exe)), inside.file_name()];
    newest
        .receipt
        .files
        .iter()
        .map(Path::new)
        .filter(|file| file.components().all(|c| matches!(c, Component::Normal(_))))
        .find(|file| wanted.contains(&file.file_name()))
        .map(|file| newest.path.join(file))
        .filter(|path| path.exists())
}

/// Whether `file` is still the file at `path` (same device and inode).
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

/// Windows never deletes a lock file that is held (see `uninstall`), so it cannot go stale.
#[cfg(not(unix))]
fn still_at(_file: &File, _path: &Path) -> bool {
    true
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    std::os::windows::fs::symlink_file(target, link)
}

/// Entries of `dir` as (UTF-8 name, path), sorted by name; empty when `dir` does not exist.
/// Names that are not UTF-8 were not written by toolget and are skipped.
fn list_dir(dir: &Path) -> Result<Vec<(String, PathBuf)>, StoreError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(io_err("list", dir)(err)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io_err("list", dir))?;
        if let Ok(name) = entry.file_name().into_string() {
            out.push((name, entry.path()));
        }
    }
    out.sort();
    Ok(out)
}

/// Resolve `.` and `..` without touching the disk (the path may not exist).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let mut file = File::create(path).map_err(io_err("create", path))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(io_err("write", path))
}

/// Flush a directory's entries so a rename survives a crash. Best effort: not every
/// platform can open a directory, and the data itself is already synced.
fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

fn remove_if_present(path: &Path) -> Result<(), StoreError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(io_err("remove", path)(err)),
    }
}

/// Remove a file, link or directory tree; `false` if it was already gone.
fn remove_any(path: &Path) -> Result<bool, StoreError> {
    let result = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(err) => Err(err),
    };
    match result {
        Ok(()) => Ok(true),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(err) => Err(io_err("remove", path)(err)),
    }
}

/// A name no other process will pick: per-process counter and randomly keyed hash.
fn random_suffix() -> String {
    use std::hash::{BuildHasher, RandomState};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, AtomicOrdering::Relaxed);
    let hash = RandomState::new().hash_one((std::process::id(), n, SystemTime::now()));
    format!("{hash:016x}")
}

/// Give every file and directory under `dir` (and `dir` itself) `time` as its modification and
/// access time, children first so that setting them does not disturb their parent's again.
/// Symlinks keep their own times: std cannot set a link's times without following it, and an
/// image builder's timestamp normalisation covers them.
fn set_times_within(dir: &Path, time: SystemTime) -> Result<(), StoreError> {
    let times = fs::FileTimes::new().set_modified(time).set_accessed(time);
    let entries = fs::read_dir(dir).map_err(io_err("read", dir))?;
    for entry in entries {
        let entry = entry.map_err(io_err("read", dir))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(io_err("read", &path))?;
        if kind.is_dir() {
            set_times_within(&path, time)?;
        } else if kind.is_file() {
            // futimens needs ownership, not write permission: a read-only file works too.
            fs::File::open(&path)
                .and_then(|file| file.set_times(times))
                .map_err(io_err("set the modification time of", &path))?;
        }
    }
    fs::File::open(dir)
        .and_then(|file| file.set_times(times))
        .map_err(io_err("set the modification time of", dir))
}
