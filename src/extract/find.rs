//! Finding the executable among the extracted files: by exact name only, never by prefix.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::resolve::{resolve_path, safe_relative};
use super::{ExtractError, Extracted, ExtractedFile};

/// Most entries shown when listing what an archive holds.
const MAX_LISTED: usize = 20;

/// What executable to look for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExeQuery {
    /// The executable's name (`[exe=…]`), without `.exe`. A value with a `/` is a path
    /// inside the archive (`linux/tool`), for when one name appears in several places.
    pub exe: Option<String>,
    /// The repository name (`sccache` of `mozilla/sccache`).
    pub repo: String,
    /// The asset's name family (`gh` for `gh_2.40.0_linux_amd64.tar.gz`).
    pub family: Option<String>,
    /// Target is Windows: names match case-insensitively and with `.exe` appended.
    pub windows: bool,
}

/// One file that could be the executable, with what ranks it.
#[derive(Debug, Clone)]
struct Candidate<'a> {
    file: &'a ExtractedFile,
    /// Where it leads after symlinks (itself for a regular file).
    resolved: PathBuf,
    executable: bool,
    depth: usize,
}

/// Find the executable in `extracted`, as a path relative to the destination.
///
/// With `exe` given: a file with exactly that name (plus `.exe` on Windows; case-sensitive on
/// unix, insensitive on Windows) at any depth. Without it, in order: a file named after the
/// repository (or the registry's executable), a file named after the asset's family. Never
/// "the only executable file": the archive does not get to choose the command name, so an
/// archive whose executables all have other names is [`ExtractError::ExeNotAsked`], naming
/// them and the `[exe=…]` that accepts one. Several matches rank executable first, then
/// shallowest; a tie is an error. A match is never made by prefix: an archive holding only
/// `sccache-dist` does not satisfy `sccache`, and the error lists what the archive holds,
/// executables first.
///
/// The result may be a symlink; it then resolves to a regular file inside the archive.
pub fn find_executable(extracted: &Extracted, query: &ExeQuery) -> Result<PathBuf, ExtractError> {
    let candidates = candidates(extracted, query.windows);
    if let Some(exe) = query.exe.as_deref() {
        let found = if exe.contains('/') {
            matching_path(&candidates, exe, query.windows)
        } else {
            matching_name(&candidates, exe, query.windows)
        };
        return match found {
            Some(result) => result,
            None => Err(not_found(extracted, format!("file named `{exe}`"), true)),
        };
    }
    let mut names = vec![query.repo.as_str()];
    if let Some(family) = query.family.as_deref()
        && family != query.repo
    {
        names.push(family);
    }
    for name in &names {
        if let Some(result) = matching_name(&candidates, name, query.windows) {
            return result;
        }
    }
    let executables = distinct(candidates.iter().filter(|c| c.executable).collect());
    if (1..=MAX_LISTED).contains(&executables.len()) {
        let mut found: Vec<String> = executables
            .iter()
            .filter_map(|c| c.file.path.file_name()?.to_str().map(str::to_string))
            .collect();
        found.dedup();
        return Err(ExtractError::ExeNotAsked {
            asked: names.iter().map(std::string::ToString::to_string).collect(),
            found,
        });
    }
    let named = names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(" or ");
    let looked_for = if executables.is_empty() {
        format!("file named {named}, nor any executable file")
    } else {
        format!("file named {named}, and several executables")
    };
    Err(not_found(extracted, looked_for, false))
}

/// Make the chosen executable `0o755` (an archive made on Windows carries no mode bits).
/// `rel` is a path from [`find_executable`]; a symlink is followed, and it leads inside.
pub fn mark_executable(dest: &Path, rel: &Path) -> Result<(), ExtractError> {
    let rel = safe_relative(rel).map_err(|reason| ExtractError::UnsafeEntry {
        asset: dest.display().to_string(),
        entry: rel.display().to_string(),
        reason: reason.to_string(),
    })?;
    let path = dest.join(rel);
    set_executable(&path).map_err(|e| ExtractError::io("set permissions on", &path, e))
}

#[cfg(unix)]
fn set_executable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn set_executable(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Every regular file, and every symlink leading to one.
fn candidates(extracted: &Extracted, windows: bool) -> Vec<Candidate<'_>> {
    let links: HashMap<PathBuf, PathBuf> = extracted
        .files
        .iter()
        .filter_map(|f| Some((f.path.clone(), f.symlink_target.clone()?)))
        .collect();
    let regular: HashMap<&Path, &ExtractedFile> = extracted
        .files
        .iter()
        .filter(|f| !f.is_symlink)
        .map(|f| (f.path.as_path(), f))
        .collect();
    extracted
        .files
        .iter()
        .filter_map(|file| {
            let resolved = if file.is_symlink {
                resolve_path(&links, &file.path).ok()?
            } else {
                file.path.clone()
            };
            let target = regular.get(resolved.as_path())?;
            // Mode bits mean nothing on Windows; the extension is what makes a program there.
            let executable = if windows {
                has_exe_extension(&file.path) || target.is_executable
            } else {
                target.is_executable
            };
            Some(Candidate {
                file,
                resolved,
                executable,
                depth: file.path.components().count(),
            })
        })
        .collect()
}

fn has_exe_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("exe"))
}

fn name_matches(file_name: &str, wanted: &str, windows: bool) -> bool {
    if windows {
        let wanted_exe = format!("{wanted}.exe");
        file_name.eq_ignore_ascii_case(wanted) || file_name.eq_ignore_ascii_case(&wanted_exe)
    } else {
        file_name == wanted
    }
}

fn matching_name(
    candidates: &[Candidate<'_>],
    wanted: &str,
    windows: bool,
) -> Option<Result<PathBuf, ExtractError>> {
    let matches: Vec<&Candidate<'_>> = candidates
        .iter()
        .filter(|c| {
            c.file
                .path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| name_matches(n, wanted, windows))
        })
        .collect();
    pick(matches, wanted)
}

fn matching_path(
    candidates: &[Candidate<'_>],
    wanted: &str,
    windows: bool,
) -> Option<Result<PathBuf, ExtractError>> {
    let wanted_path = PathBuf::from(wanted.trim_start_matches("./"));
    let wanted_parts: Vec<&str> = wanted_path.iter().filter_map(|p| p.to_str()).collect();
    let (last, dirs) = wanted_parts.split_last()?;
    let matches: Vec<&Candidate<'_>> = candidates
        .iter()
        .filter(|c| {
            let parts: Vec<&str> = c.file.path.iter().filter_map(|p| p.to_str()).collect();
            let Some((file_last, file_dirs)) = parts.split_last() else {
                return false;
            };
            file_dirs.len() == dirs.len()
                && file_dirs.iter().zip(dirs).all(|(a, b)| {
                    if windows {
                        a.eq_ignore_ascii_case(b)
                    } else {
                        a == b
                    }
                })
                && name_matches(file_last, last, windows)
        })
        .collect();
    pick(matches, wanted)
}

/// The best of several matches: executable first, then shallowest; a tie is an error.
fn pick(matches: Vec<&Candidate<'_>>, wanted: &str) -> Option<Result<PathBuf, ExtractError>> {
    let mut matches = distinct(matches);
    matches.sort_by_key(|c| (!c.executable, c.depth));
    let best = matches.first()?;
    let tied: Vec<String> = matches
        .iter()
        .filter(|c| c.executable == best.executable && c.depth == best.depth)
        .map(|c| c.file.path.display().to_string())
        .collect();
    if tied.len() > 1 {
        return Some(Err(ExtractError::AmbiguousExe {
            wanted: wanted.to_string(),
            candidates: tied,
        }));
    }
    Some(Ok(best.file.path.clone()))
}

/// One candidate per real file: a symlink and the file it leads to are the same program.
/// Keeps the best-ranked path of each (shallowest, the regular file on a tie).
fn distinct<'c, 'a>(mut matches: Vec<&'c Candidate<'a>>) -> Vec<&'c Candidate<'a>> {
    matches.sort_by_key(|c| (c.depth, c.file.is_symlink));
    let mut seen = std::collections::HashSet::new();
    matches.retain(|c| seen.insert(c.resolved.clone()));
    matches
}

fn not_found(extracted: &Extracted, looked_for: String, explicit: bool) -> ExtractError {
    let mut files: Vec<&ExtractedFile> = extracted.files.iter().collect();
    // Executables first, then by path, so the likely answer is at the front of the list.
    files.sort_by(|a, b| (!a.is_executable, &a.path).cmp(&(!b.is_executable, &b.path)));
    let mut holdings: Vec<String> = files
        .iter()
        .take(MAX_LISTED)
        .map(|f| {
            let path = f.path.display();
            match (f.is_executable, &f.symlink_target) {
                (true, Some(t)) => format!("{path} -> {} (executable)", t.display()),
                (false, Some(t)) => format!("{path} -> {}", t.display()),
                (true, None) => format!("{path} (executable)"),
                (false, None) => path.to_string(),
            }
        })
        .collect();
    if files.len() > MAX_LISTED {
        holdings.push(format!("… and {} more", files.len() - MAX_LISTED));
    }
    ExtractError::ExeNotFound {
        looked_for,
        holdings,
        explicit,
    }
}
