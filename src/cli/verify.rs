//! `toolget verify [TOOL…]`: re-check installed files against their receipts and their
//! recorded provenance; exit 6 on any difference.

use serde_json::json;
use toolget::audit::{self, Finding};
use toolget::provenance::TrustRoots;
use toolget::settings::Settings;
use toolget::store::InstalledTool;

use super::failure::{CliError, CmdResult, Failure};
use super::install::open_store;

#[derive(Debug, clap::Args)]
pub(super) struct VerifyArgs {
    /// Tools to check, by `owner/repo` (or the store's tool name, or an executable name).
    /// Default: every installed tool.
    tools: Vec<String>,

    /// One JSON object per checked version, one per line.
    #[arg(long)]
    json: bool,
}

/// Whether `name` names `tool`: its id, its repository, or one of its executables.
fn names(tool: &InstalledTool, name: &str) -> bool {
    tool.id.to_string().eq_ignore_ascii_case(name)
        || tool.versions.iter().any(|v| {
            v.receipt.repo.eq_ignore_ascii_case(name) || v.receipt.exe.iter().any(|e| e == name)
        })
}

pub(super) fn run(args: &VerifyArgs, settings: &Settings) -> CmdResult {
    let store = open_store(settings)?;
    let installed = store.installed()?;
    let roots = TrustRoots::new(settings.sigstore_trusted_root.clone());
    let mut matched = vec![false; args.tools.len()];
    let mut differs = false;
    for tool in &installed {
        if !args.tools.is_empty() && !args.tools.iter().any(|name| names(tool, name)) {
            continue;
        }
        for (i, name) in args.tools.iter().enumerate() {
            if names(tool, name) {
                matched[i] = true;
            }
        }
        for version in &tool.versions {
            let findings = audit::audit(version, &roots);
            let bad = findings.iter().any(Finding::is_difference);
            differs |= bad;
            if args.json {
                let line = json!({
                    "tool": tool.id.to_string(),
                    "version": version.version,
                    "ok": !bad,
                    "files": version.receipt.file_sha256.len(),
                    "findings": findings.iter().map(Finding::describe).collect::<Vec<_>>(),
                    "provenance": version
                        .receipt
                        .provenance
                        .as_ref()
                        .map(super::install::provenance_json),
                });
                outln!("{line}");
                continue;
            }
            if bad {
                outln!("FAILED {} {}", tool.id, version.version);
            } else {
                let provenance = version.receipt.provenance.as_ref().map_or_else(
                    || "no provenance recorded".into(),
                    toolget::provenance::Provenance::summary,
                );
                outln!(
                    "ok {} {} ({} files, {provenance})",
                    tool.id,
                    version.version,
                    version.receipt.file_sha256.len()
                );
            }
            for finding in &findings {
                outln!("  {}", finding.describe());
            }
        }
    }
    let mut not_found = None;
    for (name, found) in args.tools.iter().zip(matched) {
        if !found {
            let code = Failure::from(CliError::NotInstalled {
                what: format!("`{name}`"),
            })
            .report();
            not_found.get_or_insert(code);
        }
    }
    if differs {
        return Err(CliError::FilesDiffer.into());
    }
    match not_found {
        Some(code) => Err(Failure::Reported(code)),
        None => Ok(()),
    }
}
