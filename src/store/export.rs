//! `install --prefix DIR`: real copies of installed executables in a directory of the user's
//! choosing (an image's `/usr/local/bin`), for images that want the files themselves rather
//! than links into a store. The store stays the place where a tool is downloaded, verified and
//! unpacked; a copy is made from the verified file, written to a temp name in `DIR` and renamed
//! over the old one, so a reader of `DIR` sees the old file or the new, never half of one.
//!
//! Touches only `DIR/<name>` and its temp siblings; never the store, never the network.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{StoreError, check_component, io_err};

/// What exporting one executable did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exported {
    /// `DIR/<name>` was written.
    Written(PathBuf),
    /// `DIR/<name>` already held the same bytes; left alone.
    Unchanged(PathBuf),
}

impl Exported {
    /// The file in `DIR`.
    pub fn path(&self) -> &Path {
        match self {
            Exported::Written(path) | Exported::Unchanged(path) => path,
        }
    }
}

/// Copy the executable `source` to `dir/name` (mode 0755), atomically. A different file
/// already there is refused ([`StoreError::PrefixOccupied`]) unless `force`: toolget never
/// overwrites a file it cannot tell it wrote. With `time` (`SOURCE_DATE_EPOCH`) the copy gets
/// it as its modification time, as installed files do.
pub fn export_executable(
    source: &Path,
    dir: &Path,
    name: &str,
    force: bool,
    time: Option<SystemTime>,
) -> Result<Exported, StoreError> {
    check_component("executable", name)?;
    fs::create_dir_all(dir).map_err(io_err("create directory", dir))?;
    let target = dir.join(name);
    match fs::symlink_metadata(&target) {
        Ok(meta) if meta.is_file() && same_bytes(source, &target)? => {
            return Ok(Exported::Unchanged(target));
        }
        Ok(_) if !force => return Err(StoreError::PrefixOccupied { path: target }),
        Ok(_) => {}
        Err(err) if err.kind() == io::ErrorKind::NotFound => {}
        Err(err) => return Err(io_err("read", &target)(err)),
    }

    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}.toolget-"))
        .tempfile_in(dir)
        .map_err(io_err("create a temp file in", dir))?;
    let mut from = fs::File::open(source).map_err(io_err("read", source))?;
    io::copy(&mut from, temp.as_file_mut()).map_err(io_err("write", temp.path()))?;
    temp.as_file_mut()
        .flush()
        .and_then(|()| temp.as_file().sync_all())
        .map_err(io_err("write", temp.path()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(temp.path(), fs::Permissions::from_mode(0o755))
            .map_err(io_err("set permissions of", temp.path()))?;
    }
    if let Some(time) = time {
        temp.as_file()
            .set_times(fs::FileTimes::new().set_modified(time).set_accessed(time))
            .map_err(io_err("set the modification time of", temp.path()))?;
    }
    temp.persist(&target)
        .map_err(|e| io_err("rename into", &target)(e.error))?;
    Ok(Exported::Written(target))
}

/// Whether two files hold the same bytes (compared in blocks; sizes first).
fn same_bytes(a: &Path, b: &Path) -> Result<bool, StoreError> {
    let len = |p: &Path| fs::metadata(p).map(|m| m.len()).map_err(io_err("read", p));
    if len(a)? != len(b)? {
        return Ok(false);
    }
    let mut fa = io::BufReader::new(fs::File::open(a).map_err(io_err("read", a))?);
    let mut fb = io::BufReader::new(fs::File::open(b).map_err(io_err("read", b))?);
    let (mut ba, mut bb) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let n = fa.read(&mut ba).map_err(io_err("read", a))?;
        if n == 0 {
            return Ok(true);
        }
        fb.read_exact(&mut bb[..n]).map_err(io_err("read", b))?;
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn copies_atomically_leaves_same_bytes_alone_and_refuses_a_foreign_file() {
        let tmp = tempfile::tempdir().unwrap();
        let source = tmp.path().join("tool");
        fs::write(&source, b"#!/bin/sh\necho one\n").unwrap();
        let dir = tmp.path().join("prefix");

        let first = export_executable(&source, &dir, "tool", false, None).unwrap();
        assert_eq!(first, Exported::Written(dir.join("tool")));
        assert_eq!(
            fs::read(dir.join("tool")).unwrap(),
            fs::read(&source).unwrap()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.join("tool")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o755);
        }
        let again = export_executable(&source, &dir, "tool", false, None).unwrap();
        assert_eq!(again, Exported::Unchanged(dir.join("tool")));

        // Somebody else's file of that name: refused, untouched; replaced only with force.
        fs::write(dir.join("tool"), b"theirs").unwrap();
        let refused = export_executable(&source, &dir, "tool", false, None).unwrap_err();
        assert!(
            matches!(refused, StoreError::PrefixOccupied { .. }),
            "{refused:?}"
        );
        assert_eq!(fs::read(dir.join("tool")).unwrap(), b"theirs");
        export_executable(&source, &dir, "tool", true, None).unwrap();
        assert_eq!(
            fs::read(dir.join("tool")).unwrap(),
            fs::read(&source).unwrap()
        );

        // No temp file left behind; a name with a path in it is refused.
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("tool")]);
        assert!(export_executable(&source, &dir, "../x", true, None).is_err());
    }

    #[test]
    fn source_date_epoch_sets_the_copys_time() {
        let tmp = tempfile::tempdir().unwrap();
        let source = tmp.path().join("tool");
        fs::write(&source, b"x").unwrap();
        let epoch = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let out = export_executable(&source, tmp.path(), "copy", false, Some(epoch)).unwrap();
        assert_eq!(fs::metadata(out.path()).unwrap().modified().unwrap(), epoch);
    }
}
