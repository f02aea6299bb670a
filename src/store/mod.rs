//! The on-disk store: layout, per-tool locks, receipts, atomic commit and `bin/` links.
//!
//! ```text
//! $TOOLGET_HOME/
//!   tools-v1/<owner>/<repo>/<version>/      one install: the extracted files (bin/ or the archive tree)
//!                          /<version>/.toolget-receipt.toml   the receipt, written inside the staging
//!                                                             dir before the rename
//!   tools-v1/<owner>/<repo>/.lock           per-tool lock file (an OS file lock, cross-process)
//!   tools-v1/<owner>/<repo>/.active         text file: the active version (last installed)
//!   bin/<exe>                               symlink -> ../tools-v1/<owner>/<repo>/<version>/<path to exe>
//!   staging/                                temp dirs and files, same filesystem as tools-v1
//! ```
//!
//! `<owner>` and `<repo>` are lowercased; a non-default tool of a repository lives in
//! `<repo>~<variant>`. Every name that becomes a path component is checked by
//! [`check_component`] first.
//!
//! Guarantees (see `docs/store.md`):
//! - A version directory becomes visible by one `rename` from `staging/`, with its receipt
//!   already inside and fsynced; a reader never sees a half-written install.
//! - A [`Staging`] dropped without [`Store::commit`] removes itself.
//! - Replacing a version (`--force`) moves the old one aside first and puts it back if the new
//!   one cannot be placed.
//! - `bin/<exe>` is replaced by renaming a fresh link over it, so the name always resolves.
//! - A version directory without a readable receipt counts as not installed: [`Store::installed`]
//!   skips it, [`Store::commit`] replaces it, [`Store::sweep`] leaves it alone (only an explicit
//!   repair or uninstall removes it).
//!
//! The root is handed in by the caller; this module reads no environment variables, does no
//! network I/O and prints nothing.

mod id;
mod receipt;
#[cfg(test)]
mod tests;

use std::cmp::Ordering;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::time::{Duration, SystemTime};

use tempfile::{NamedTempFile, TempDir};

pub use id::{ToolId, VARIANT_SEPARATOR, check_component};
pub use receipt::{
    RECEIPT_FILE, Receipt, Verification, hash_file, hash_files, now_rfc3339, rfc3339_utc,
};

/// Directory of installed tools, versioned so a future layout can live beside it.
pub const TOOLS_DIR: &str = "tools-v1";
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
    #[error("link target `{}` is not inside the store `{}`", target.display(), root.display())]
    TargetOutsideStore { target: PathBuf, root: PathBuf },
}

impl StoreError {
    /// What the user can do about it, when there is something.
    pub fn hint(&self) -> Option<String> {
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
            StoreError::BinOccupied { .. } => {
                Some("move or delete that file, then run the command again".to_string())
            }
            StoreError::Io { .. }
            | StoreError::WrongLock { .. }
            | StoreError::ReceiptEncode { .. }
            | StoreError::CommitFailed { .. }
            | StoreError::TargetOutsideStore { .. } => None,
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

/// The store rooted at `$TOOLGET_HOME`. Cheap to clone; holds no open files.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
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

/// A temp directory in `staging/` to extract into; removed on drop unless committed.
#[derive(Debug)]
pub struct Staging {
    dir: TempDir,
}

impl Staging {
    /// Where to put the files of the new install.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
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
            Ok(_) => Ok(Store { root }),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(Store { root }),
            Err(err) => Err(io_err("read", &root)(err)),
        }
    }

    /// `$TOOLGET_HOME`, absolute.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `$TOOLGET_HOME/bin`, the directory to put on `PATH`.
    pub fn bin_dir(&self) -> PathBuf {
        self.root.join(BIN_DIR)
    }

    /// `$TOOLGET_HOME/tools-v1`.
    pub fn tools_dir(&self) -> PathBuf {
        self.root.join(TOOLS_DIR)
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
        Ok(Staging { dir: temp })
    }

    /// A temp file in `staging/` (same filesystem as the store), e.g. for a download.
    pub fn temp_file(&self) -> Result<NamedTempFile, StoreError> {
        let dir = self.ensure_dir(self.staging_dir())?;
        tempfile::Builder::new()
            .prefix("file-")
            .tempfile_in(&dir)
            .map_err(io_err("create a temp file in", &dir))
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

    /// Make `staging` the installed `version` of `id`, in one rename.
    ///
    /// Writes the receipt into the staging directory and fsyncs it first, so the version is
    /// never visible without one. If the version is already installed, fails with
    /// [`StoreError::AlreadyInstalled`] unless `replace`; then the old directory is moved
    /// aside, the new one renamed in, and the old one deleted — or put back if the new one
    /// could not be placed. A leftover directory without a receipt is replaced either way.
    /// Returns the version directory.
    pub fn commit(
        &self,
        lock: &ToolLock,
        staging: Staging,
        id: &ToolId,
        version: &str,
        receipt: &Receipt,
        replace: bool,
    ) -> Result<PathBuf, StoreError> {
        self.commit_with(lock, staging, id, version, receipt, replace, &|from, to| {
            fs::rename(from, to)
        })
    }

    /// [`Store::commit`] with the rename supplied, so tests can make one of them fail.
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
        let aside = if exists {
            Some(self.move_aside(&target, rename)?)
        } else {
            None
        };

        if let Err(source) = rename(staging.path(), &target) {
            if let Some((holder, aside_path)) = aside
                && let Err(restore) = rename(&aside_path, &target)
            {
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
                kept_previous: exists,
                source,
            });
        }
        // The staging path no longer exists; stop its guard from looking for it.
        let _ = staging.dir.keep();
        sync_dir(&tool_dir);
        // Dropping the holder deletes the previous install.
        drop(aside);
        Ok(target)
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
        temp.persist(&path)
            .map_err(|err| io_err("write", &path)(err.error))?;
        Ok(())
    }

    /// The version `.active` names, if the file exists and holds a valid version name.
    pub fn active_version(&self, id: &ToolId) -> Option<String> {
        let path = self.tool_dir(id).ok()?.join(ACTIVE_FILE);
        let text = fs::read_to_string(path).ok()?;
        let version = text.trim();
        check_component("version", version).ok()?;
        Some(version.to_string())
    }

    /// Point `bin/<exe_name>` at `target` (a path inside the store), replacing any link there.
    ///
    /// The link is relative (`../tools-v1/…`) so the home can move. It is made under a temp
    /// name and renamed over the old one, so `bin/<exe_name>` resolves throughout. A regular
    /// file at that name is not ours and is left alone. Returns the link's path.
    pub fn link_bin(&self, exe_name: &str, target: &Path) -> Result<PathBuf, StoreError> {
        check_component("executable name", exe_name)?;
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
        {
            return Err(StoreError::BinOccupied { path: link });
        }
        let temp = loop {
            let candidate = bin.join(format!(".{exe_name}{TEMP_LINK_MARK}{}", random_suffix()));
            match symlink(&relative, &candidate) {
                Ok(()) => break candidate,
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(err) => return Err(io_err("create link", &candidate)(err)),
            }
        };
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
                    .map(|t| normalize(&bin_dir.join(t)))
                    .unwrap_or_else(|_| link.clone()),
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
        match newest {
            Some(newest) => {
                let active = self.active_version(id);
                if active.is_none_or(|a| removing.contains(&a)) {
                    self.write_active(id, &newest.version)?;
                }
            }
            None => {
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
        }
        drop(doomed);
        Ok(removing)
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

/// Name of the moved directory inside an `old-*` holder.
const ASIDE_NAME: &str = "v";

/// Order version names: numeric runs compare as numbers (`1.10` after `1.9`), and for
/// dotted-number versions a `-suffix` is a prerelease (`1.0.0-rc1` before `1.0.0`). A total
/// order for any strings, so sorting never misbehaves on odd tags. A leading `v` is ignored.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    fn split(v: &str) -> (&str, Option<&str>) {
        let v = v.strip_prefix('v').unwrap_or(v);
        match v.split_once(['-', '+']) {
            Some((core, rest))
                if core.contains('.')
                    && core
                        .split('.')
                        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) =>
            {
                (core, Some(rest))
            }
            _ => (v, None),
        }
    }
    let (core_a, pre_a) = split(a);
    let (core_b, pre_b) = split(b);
    natural_cmp(core_a, core_b)
        // No suffix (a release) sorts after any prerelease of the same core.
        .then_with(|| pre_b.is_some().cmp(&pre_a.is_some()))
        .then_with(|| natural_cmp(pre_a.unwrap_or(""), pre_b.unwrap_or("")))
        .then_with(|| a.cmp(b))
}

/// Compare strings chunk by chunk, digit runs by numeric value.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    fn chunks(s: &str) -> impl Iterator<Item = &str> {
        let mut rest = s;
        std::iter::from_fn(move || {
            let first = rest.chars().next()?;
            let digit = first.is_ascii_digit();
            let end = rest
                .find(|c: char| c.is_ascii_digit() != digit)
                .unwrap_or(rest.len());
            let (chunk, tail) = rest.split_at(end);
            rest = tail;
            Some(chunk)
        })
    }
    let mut left = chunks(a);
    let mut right = chunks(b);
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let both_digits =
                    x.as_bytes()[0].is_ascii_digit() && y.as_bytes()[0].is_ascii_digit();
                let order = if both_digits {
                    let (xt, yt) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                    xt.len()
                        .cmp(&yt.len())
                        .then_with(|| xt.cmp(yt))
                        .then_with(|| x.cmp(y))
                } else {
                    x.cmp(y)
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

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
