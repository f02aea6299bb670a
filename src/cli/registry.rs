//! `toolget search`, `toolget info` and `toolget registry check|list`: the curated registry
//! on the command line. Loading the registry for the other commands happens here too.

use serde_json::{Value, json};
use toolget::error::{Diagnostic, ErrorKind};
use toolget::lookup;
use toolget::platform::NINE;
use toolget::registry::{self, Entry, Registry};
use toolget::settings::Settings;
use toolget::spec::{ToolRef, ToolSpec};
use toolget::tool::{Tool, ToolError};
use toolget::version::VersionSpec;

use super::failure::{CliError, CmdResult, Failure};
use super::render;

#[derive(Debug, clap::Args)]
pub(super) struct SearchArgs {
    /// Words to look for in names, aliases, executables, repositories and descriptions; an
    /// entry must match every word.
    #[arg(required = true)]
    words: Vec<String>,

    /// One JSON object per entry, best match first.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub(super) struct InfoArgs {
    /// A registry name or alias (`rg`), or a repository with an entry (`BurntSushi/ripgrep`).
    name: String,

    /// The whole entry as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub(super) struct RegistryArgs {
    #[command(subcommand)]
    command: RegistryCommand,
}

#[derive(Debug, clap::Subcommand)]
enum RegistryCommand {
    /// Resolve entries against their latest release on the nine platforms and report where
    /// an entry excludes or misses a platform the release serves, or claims one it does not.
    /// Exits 11 when it finds anything.
    Check(CheckArgs),
    /// List every entry: name, repository, description.
    List(ListArgs),
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Entries to check (default: all).
    names: Vec<String>,

    /// One JSON object per entry.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct ListArgs {
    /// One JSON object per entry.
    #[arg(long)]
    json: bool,
}

/// The registry for this run: built-in entries under `TOOLGET_REGISTRY_PATH`'s.
pub(super) fn load(settings: &Settings) -> Result<Registry, registry::RegistryError> {
    Registry::load(&settings.registry_path)
}

pub(super) fn search(args: &SearchArgs, settings: &Settings) -> CmdResult {
    let registry = load(settings).map_err(|e| Failure::from(e).json_if(args.json))?;
    let query = args.words.join(" ");
    let hits = registry.search(&query);
    if args.json {
        for entry in &hits {
            outln!(
                "{}",
                json!({"name": entry.name, "repo": entry.repo.to_string(),
                       "aliases": entry.aliases, "description": entry.description})
            );
        }
    } else {
        let width = hits.iter().map(|e| e.name.len()).max().unwrap_or(0);
        for entry in &hits {
            outln!(
                "{:width$}  {:28}  {}",
                entry.name,
                entry.repo.to_string(),
                entry.description
            );
        }
    }
    if hits.is_empty() {
        // Not as JSON: an empty list on stdout already says it.
        return Err(CliError::NoEntry(query).into());
    }
    Ok(())
}

/// The entry a name or repository spec means.
fn find_entry<'r>(text: &str, registry: &'r Registry) -> Result<&'r Entry, Failure> {
    let spec = ToolSpec::parse(text)?;
    let found = match &spec.tool {
        ToolRef::Name(name) => registry.get(name).ok_or_else(|| ToolError::UnknownTool {
            name: name.clone(),
            suggestions: registry.suggest(name),
        }),
        ToolRef::Repo(repo) => spec
            .options
            .exe
            .as_deref()
            .and_then(|exe| registry.for_repo_exe(repo, exe))
            .or_else(|| registry.primary_for_repo(repo))
            .ok_or_else(|| ToolError::UnknownTool {
                name: repo.to_string(),
                suggestions: registry.suggest(&repo.name),
            }),
    };
    Ok(found?)
}

pub(super) fn info(args: &InfoArgs, settings: &Settings) -> CmdResult {
    let registry = load(settings).map_err(|e| Failure::from(e).json_if(args.json))?;
    let entry = find_entry(&args.name, &registry).map_err(|f| f.json_if(args.json))?;
    let id = Tool::from_entry(entry, &registry).id();
    if args.json {
        let mut value = entry.to_json();
        value["id"] = Value::String(id.to_string());
        outln!("{value}");
        return Ok(());
    }
    outln!("{} — {}", entry.name, entry.description);
    let line = |key: &str, value: &str| outln!("  {key:12} {value}");
    line("repo", &entry.repo.to_string());
    if !entry.aliases.is_empty() {
        line("aliases", &entry.aliases.join(", "));
    }
    line("executables", &entry.executables.join(", "));
    line("identity", &id.to_string());
    if let Some(tag) = &entry.tag {
        line("tag", tag);
    }
    if let Some(checksum) = &entry.checksum {
        line("checksum", checksum);
    }
    if let Some(supports) = &entry.supports {
        let list: Vec<&str> = supports
            .iter()
            .map(toolget::registry::PlatformPattern::as_str)
            .collect();
        line("supports", &list.join(", "));
    }
    let hints = hint_text(&entry.hints);
    if !hints.is_empty() {
        line("hints", &hints);
    }
    if let Some(extract_all) = entry.extract_all {
        line("extract_all", &extract_all.to_string());
    }
    for (pattern, hints) in &entry.platforms {
        line(
            "platform",
            &format!("{}: {}", pattern.as_str(), hint_text(hints)),
        );
    }
    for range in &entry.versions {
        let mut text = hint_text(&range.hints);
        if let Some(tag) = &range.tag {
            text = format!("tag={tag} {text}").trim().to_string();
        }
        line("versions", &format!("{}: {text}", range.text));
    }
    if let Some(notes) = &entry.notes {
        line("notes", notes);
    }
    line("source", &entry.origin.to_string());
    line("install", &format!("toolget install {}", entry.name));
    Ok(())
}

fn hint_text(hints: &registry::Hints) -> String {
    [
        ("matching", &hints.matching),
        ("matching_regex", &hints.matching_regex),
        ("asset_pattern", &hints.asset_pattern),
    ]
    .iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
    .collect::<Vec<_>>()
    .join(" ")
}

pub(super) fn run(args: &RegistryArgs, settings: &Settings) -> CmdResult {
    match &args.command {
        RegistryCommand::Check(check_args) => check(check_args, settings),
        RegistryCommand::List(list_args) => list(list_args, settings),
    }
}

fn list(args: &ListArgs, settings: &Settings) -> CmdResult {
    let registry = load(settings).map_err(|e| Failure::from(e).json_if(args.json))?;
    let entries = registry.entries();
    let width = entries.iter().map(|e| e.name.len()).max().unwrap_or(0);
    for entry in entries {
        if args.json {
            outln!(
                "{}",
                json!({"name": entry.name, "repo": entry.repo.to_string(),
                       "aliases": entry.aliases, "description": entry.description})
            );
        } else {
            outln!(
                "{:width$}  {:28}  {}",
                entry.name,
                entry.repo.to_string(),
                entry.description
            );
        }
    }
    Ok(())
}

fn check(args: &CheckArgs, settings: &Settings) -> CmdResult {
    check_entries(args, settings).map_err(|f| f.json_if(args.json))
}

fn check_entries(args: &CheckArgs, settings: &Settings) -> CmdResult {
    let registry = load(settings)?;
    let mut entries: Vec<&Entry> = Vec::new();
    for name in &args.names {
        entries.push(find_entry(name, &registry)?);
    }
    if args.names.is_empty() {
        entries = registry.entries();
    }
    let client = super::github_client(settings, None)?;
    let mut findings = 0usize;
    let mut first_error: Option<u8> = None;
    for entry in entries {
        let tool = Tool::from_entry(entry, &registry);
        let release = lookup::find_release(
            &client,
            &entry.repo,
            &VersionSpec::Latest,
            &tool.tag_names(),
        );
        let release = match release {
            Ok(r) => r,
            Err(e) => {
                if args.json {
                    outln!(
                        "{}",
                        json!({"name": entry.name, "repo": entry.repo.to_string(),
                               "error": render::json(&e)})
                    );
                } else {
                    outln!("{} ({}): cannot check: {e}", entry.name, entry.repo);
                }
                first_error.get_or_insert(e.kind().exit_code());
                continue;
            }
        };
        let checks = match registry::check_release(entry, &release, &NINE) {
            Ok(c) => c,
            Err(e) => {
                outln!("{}: {e}", entry.name);
                first_error.get_or_insert(ErrorKind::InvalidConfig.exit_code());
                continue;
            }
        };
        let found: Vec<_> = checks.iter().filter(|c| c.finding.is_some()).collect();
        findings += found.len();
        if args.json {
            let platforms: Vec<Value> = checks
                .iter()
                .map(|c| {
                    json!({
                        "platform": c.platform.to_string(),
                        "claimed": c.claimed,
                        "asset": c.asset,
                        "emulation": c.emulation,
                        "finding": c.finding.as_ref().map(|f| json!({"kind": f.kind.as_str(), "message": f.message})),
                    })
                })
                .collect();
            outln!(
                "{}",
                json!({"name": entry.name, "repo": entry.repo.to_string(), "tag": release.tag,
                       "ok": found.is_empty(), "platforms": platforms})
            );
        } else if found.is_empty() {
            let served = checks.iter().filter(|c| c.asset.is_some()).count();
            outln!(
                "{} ({} {}): ok, {served} of {} platforms resolve",
                entry.name,
                entry.repo,
                release.tag,
                checks.len()
            );
        } else {
            outln!(
                "{} ({} {}): {} finding(s)",
                entry.name,
                entry.repo,
                release.tag,
                found.len()
            );
            for c in found {
                if let Some(f) = &c.finding {
                    outln!("  {:22} {f}", c.platform.to_string());
                }
            }
        }
    }
    if findings > 0 {
        if !args.json {
            eprintln!(
                "error: {findings} finding(s); fix the entries' `supports` or hints \
                 (docs/registry.md)"
            );
        }
        return Err(Failure::Reported(ErrorKind::RegistryFindings.exit_code()));
    }
    match first_error {
        Some(code) => Err(Failure::Reported(code)),
        None => Ok(()),
    }
}
