//! Path guards: entry names that stay inside the destination, and symlink resolution over the
//! extracted tree computed from the archive's own link table (never by following links on
//! disk, which is what an attacker would want).

use std::collections::{HashMap, VecDeque};
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

/// Hops after which a chain of symlinks counts as a loop (Linux's own limit is 40).
const MAX_HOPS: usize = 40;

/// An archive entry name as a normalised relative path, or why it is refused.
pub(crate) fn safe_relative(raw: &Path) -> Result<PathBuf, &'static str> {
    let mut out = PathBuf::new();
    for component in raw.components() {
        match component {
            // A newline or an escape sequence in a file name reaches every terminal that lists
            // the install, and the receipt.
            Component::Normal(part) if part.to_string_lossy().chars().any(char::is_control) => {
                return Err("its name contains a control character");
            }
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => return Err("its path has a `..` component"),
            Component::RootDir | Component::Prefix(_) => return Err("its path is absolute"),
        }
    }
    if out.as_os_str().is_empty() {
        return Err("its path is empty");
    }
    Ok(out)
}

/// Where the symlink at `link` (relative) pointing at `target` ends up, following the other
/// symlinks in `links` (relative link path -> stored target). `Err` says why it is refused:
/// it climbs above the root, is absolute, or loops.
pub(crate) fn resolve_link(
    links: &HashMap<PathBuf, PathBuf>,
    link: &Path,
    target: &Path,
) -> Result<PathBuf, &'static str> {
    if target.has_root() || target.as_os_str().is_empty() {
        return Err("its symlink target is absolute or empty");
    }
    let mut queue: VecDeque<OsString> = VecDeque::new();
    push_components(&mut queue, link.parent().unwrap_or(Path::new("")), false)?;
    push_components(&mut queue, target, false)?;
    walk(links, queue)
}

/// `path` (relative) with every symlink along it resolved.
pub(crate) fn resolve_path(
    links: &HashMap<PathBuf, PathBuf>,
    path: &Path,
) -> Result<PathBuf, &'static str> {
    let mut queue = VecDeque::new();
    push_components(&mut queue, path, false)?;
    walk(links, queue)
}

/// Queue `path`'s components (at the back, or at the front to splice a link target in).
fn push_components(
    queue: &mut VecDeque<OsString>,
    path: &Path,
    front: bool,
) -> Result<(), &'static str> {
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_os_string()),
            Component::ParentDir => parts.push(OsString::from("..")),
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => {
                return Err("its symlink target is absolute");
            }
        }
    }
    if front {
        for part in parts.into_iter().rev() {
            queue.push_front(part);
        }
    } else {
        queue.extend(parts);
    }
    Ok(())
}

fn walk(
    links: &HashMap<PathBuf, PathBuf>,
    mut queue: VecDeque<OsString>,
) -> Result<PathBuf, &'static str> {
    let mut stack: Vec<OsString> = Vec::new();
    let mut hops = 0;
    while let Some(part) = queue.pop_front() {
        if part == ".." {
            if stack.pop().is_none() {
                return Err("its symlink target resolves outside the destination");
            }
            continue;
        }
        stack.push(part);
        let here: PathBuf = stack.iter().collect();
        if let Some(target) = links.get(&here) {
            hops += 1;
            if hops > MAX_HOPS {
                return Err("its symlinks form a loop");
            }
            stack.pop();
            push_components(&mut queue, target, true)?;
        }
    }
    Ok(stack.iter().collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn links(pairs: &[(&str, &str)]) -> HashMap<PathBuf, PathBuf> {
        pairs
            .iter()
            .map(|(l, t)| (PathBuf::from(l), PathBuf::from(t)))
            .collect()
    }

    #[test]
    fn entry_names_are_normalised_or_refused() {
        assert_eq!(
            safe_relative(Path::new("./a/./b")).unwrap(),
            PathBuf::from("a/b")
        );
        assert!(safe_relative(Path::new("a/../../b")).is_err());
        assert!(safe_relative(Path::new("/etc/passwd")).is_err());
        assert!(safe_relative(Path::new("./")).is_err());
        assert_eq!(
            safe_relative(Path::new("dir/evil\nname")),
            Err("its name contains a control character")
        );
        assert!(safe_relative(Path::new("dir/\u{1b}[31mred")).is_err());
    }

    #[test]
    fn symlink_targets_resolve_through_other_symlinks() {
        let table = links(&[("lib", "real/lib")]);
        assert_eq!(
            resolve_link(&table, Path::new("bin/tool"), Path::new("../lib/tool-1.0")).unwrap(),
            PathBuf::from("real/lib/tool-1.0")
        );
        assert!(resolve_link(&table, Path::new("x"), Path::new("../etc")).is_err());
        assert!(resolve_link(&table, Path::new("x"), Path::new("/etc")).is_err());
    }

    #[test]
    fn a_link_that_looks_inside_but_climbs_through_another_link_is_refused() {
        // `p/q/d` points at the root, so `p/q/d/..` is the destination's parent even though
        // read as text it is `p/q`.
        let table = links(&[("p/q/d", "../..")]);
        assert!(resolve_link(&table, Path::new("l"), Path::new("p/q/d/..")).is_err());
        assert_eq!(
            resolve_link(&table, Path::new("l"), Path::new("p/q/d")).unwrap(),
            PathBuf::new()
        );
    }

    #[test]
    fn loops_are_refused() {
        let table = links(&[("a", "b"), ("b", "a")]);
        assert_eq!(
            resolve_path(&table, Path::new("a")),
            Err("its symlinks form a loop")
        );
    }
}
