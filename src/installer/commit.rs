//! Commit: make a [`Prepared`] install the active one — rename it into the store, write
//! `.active`, point the links — all or nothing, under the tool's lock. Builds for a platform
//! other than this machine's go to their own shelf of the store and are never linked.

use std::path::{Path, PathBuf};

use super::{Executable, InstallError, Installer, Outcome, Plan, Prepared, Status};
use crate::platform::Platform;
use crate::store::{self, Receipt, Store, ToolId, ToolLock};

impl Installer<'_> {
    /// Commit a prepared install: rename it into `store` (the shelf [`Installer::shelf`] gave
    /// for its platform), then — for this machine's platform — write `.active` and point the
    /// links. Either all of it happens or none: a failure after the rename puts the previous
    /// install (or nothing) back. Caller holds `lock`, the tool's lock on `store`.
    pub fn commit(
        &self,
        store: &Store,
        lock: &ToolLock,
        plan: &Plan,
        prepared: Prepared,
    ) -> Result<Outcome, InstallError> {
        // Replace what is there when forced, or when it is a build for another platform.
        let replace = self.config.force
            || store
                .read_receipt(&plan.id, &plan.version)
                .is_ok_and(|r| r.platform != plan.platform.to_string());
        let Prepared {
            staging,
            receipt,
            download,
            sources,
        } = prepared;
        let native = store.foreign_platform().is_none();
        let switching = store::switching();
        let placed = store.place(lock, staging, &plan.id, &plan.version, &receipt, replace)?;
        let dir = placed.path().to_path_buf();
        let executables = if native {
            match self.activate(store, lock, &plan.id, &plan.version, &dir, &receipt) {
                Ok(executables) => executables,
                Err(err) => {
                    // Best effort: the error that matters is the one that stopped the switch.
                    let _ = placed.rollback();
                    return Err(err);
                }
            }
        } else {
            unlinked(&dir, &receipt)
        };
        placed.finish();
        drop(switching);
        if let (Some(cache), Some(download)) = (&self.cache, &download) {
            // The cache only saves a later download; failing to fill it is not an install failure.
            let _ = cache.put(download.path(), &receipt.sha256);
        }
        let mut outcome = outcome_from(
            store,
            &plan.spec,
            &plan.id,
            &receipt,
            dir,
            executables,
            Status::Installed,
            plan.emulation,
        );
        outcome.sources = sources;
        Ok(outcome)
    }

    /// The outcome for a version already installed *for `platform`* (making it the active
    /// one, on the host's shelf), if it is.
    pub(super) fn already_installed(
        &self,
        spec: &str,
        id: &ToolId,
        version: &str,
        platform: &Platform,
    ) -> Result<Option<Outcome>, InstallError> {
        let store = self.shelf(platform)?;
        let Ok(receipt) = store.read_receipt(id, version) else {
            return Ok(None);
        };
        if receipt.platform != platform.to_string() {
            return Ok(None);
        }
        let dir = store.version_dir(id, version)?;
        let executables = if store.foreign_platform().is_none() {
            let lock = store.lock(id)?;
            let _switching = store::switching();
            self.activate(&store, &lock, id, version, &dir, &receipt)?
        } else {
            unlinked(&dir, &receipt)
        };
        // No note here: the outcome's status says "already installed" (and the CLI prints it).
        Ok(Some(outcome_from(
            &store,
            spec,
            id,
            &receipt,
            dir,
            executables,
            Status::AlreadyInstalled,
            None,
        )))
    }

    /// Point `bin/<exe>` at this version and make it the active one, together or not at all;
    /// what is already so is left alone (see [`Store::activate`]).
    fn activate(
        &self,
        store: &Store,
        lock: &ToolLock,
        id: &ToolId,
        version: &str,
        dir: &Path,
        receipt: &Receipt,
    ) -> Result<Vec<Executable>, InstallError> {
        let wanted: Vec<(String, PathBuf)> = receipt
            .exe
            .iter()
            .map(|exe| (exe.clone(), find_in_receipt(dir, receipt, exe)))
            .collect();
        let links = store.activate(lock, id, version, &wanted, self.config.force)?;
        Ok(wanted
            .into_iter()
            .zip(links)
            .map(|((name, path), link)| Executable {
                name,
                path,
                link: Some(link),
            })
            .collect())
    }
}

/// The executables of a build that is not linked (another platform's).
fn unlinked(dir: &Path, receipt: &Receipt) -> Vec<Executable> {
    receipt
        .exe
        .iter()
        .map(|exe| Executable {
            name: exe.clone(),
            path: find_in_receipt(dir, receipt, exe),
            link: None,
        })
        .collect()
}

/// Where an executable lives in a version directory: `bin/<exe>`, else the first receipt file
/// with that file name (`extract_all` installs keep the archive's own layout).
fn find_in_receipt(dir: &Path, receipt: &Receipt, exe: &str) -> PathBuf {
    let in_bin = dir.join("bin").join(exe);
    if !receipt.extract_all {
        return in_bin;
    }
    receipt
        .files
        .iter()
        .find(|f| Path::new(f).file_name().is_some_and(|n| n == exe))
        .map(|f| dir.join(f))
        .unwrap_or(in_bin)
}

#[allow(clippy::too_many_arguments)]
fn outcome_from(
    store: &Store,
    spec: &str,
    id: &ToolId,
    receipt: &Receipt,
    install_dir: PathBuf,
    executables: Vec<Executable>,
    status: Status,
    emulation: Option<&'static str>,
) -> Outcome {
    Outcome {
        spec: spec.to_string(),
        id: id.clone(),
        repo: receipt.repo.clone(),
        tag: receipt.tag.clone(),
        version: receipt.version.clone(),
        platform: receipt.platform.clone(),
        status,
        install_dir,
        bin_dir: store.bin_dir(),
        executables,
        verified: receipt.verified,
        verified_with: receipt.verified_with.clone(),
        asset: receipt.asset.clone(),
        emulation,
        sources: Vec::new(),
    }
}
