//! `toolget verify [TOOL…]`: re-check installed files against their receipts and their
//! recorded provenance; exit 6 on any difference.

use serde_json::json;
use toolget::provenance::TrustRoots;
use toolget::provenance::audit::{self, Finding};
use toolget::settings::Settings;

use super::install::open_store;
use super::{exit, render};

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Tools to check, by `owner/repo` (or the store's tool name, or an executable name).
    /// Default: every installed tool.
    tools: Vec<String>,

    /// One JSON object per checked version, one per line.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &VerifyArgs, settings: &Settings) -> u8 {
    let store = match open_store(settings) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let installed = match store.installed() {
        Ok(t) => t,
        Err(e) => {
            render::error(&e, e.hint().as_deref());
            return exit::INTERNAL;
        }
    };
    let roots = TrustRoots::new(settings.sigstore_trusted_root.clone());
    let wanted = |tool: &toolget::store::InstalledTool| {
        args.tools.is_empty()
            || args.tools.iter().any(|name| {
                tool.id.to_string().eq_ignore_ascii_case(name)
                    || tool.versions.iter().any(|v| {
                        v.receipt.repo.eq_ignore_ascii_case(name)
                            || v.receipt.exe.iter().any(|e| e == name)
                    })
            })
    };
    let mut matched = vec![false; args.tools.len()];
    let mut code = exit::SUCCESS;
    for tool in installed.iter().filter(|t| wanted(t)) {
        for (i, name) in args.tools.iter().enumerate() {
            if tool.id.to_string().eq_ignore_ascii_case(name)
                || tool.versions.iter().any(|v| {
                    v.receipt.repo.eq_ignore_ascii_case(name)
                        || v.receipt.exe.iter().any(|e| e == name)
                })
            {
                matched[i] = true;
            }
        }
        for version in &tool.versions {
            let findings = audit::audit(version, &roots);
            let bad = findings.iter().any(Finding::is_difference);
            if bad {
                code = exit::VERIFICATION_FAILED;
            }
            let provenance = version
                .receipt
                .provenance
                .as_ref()
                .map(|p| p.summary())
                .unwrap_or_else(|| "no provenance recorded".into());
            if args.json {
                let line = json!({
                    "tool": tool.id.to_string(),
                    "version": version.version,
                    "ok": !bad,
                    "files": version.receipt.file_sha256.len(),
                    "findings": findings.iter().map(Finding::describe).collect::<Vec<_>>(),
                    "provenance": version.receipt.provenance.as_ref().map(super::install::provenance_json),
                });
                println!("{line}");
                continue;
            }
            if bad {
                println!("FAILED {} {}", tool.id, version.version);
            } else {
                println!(
                    "ok {} {} ({} files, {provenance})",
                    tool.id,
                    version.version,
                    version.receipt.file_sha256.len()
                );
            }
            for finding in &findings {
                println!("  {}", finding.describe());
            }
        }
    }
    for (name, found) in args.tools.iter().zip(matched) {
        if !found {
            render::error_text(
                &format!("`{name}` is not installed"),
                Some("`toolget list` shows what is installed"),
            );
            if code == exit::SUCCESS {
                code = exit::NOT_FOUND;
            }
        }
    }
    if code == exit::VERIFICATION_FAILED {
        render::error_text(
            "installed files differ from what toolget installed",
            Some(
                "reinstall the tool with `toolget install --force <spec>`, and find out what \
                 changed the files",
            ),
        );
    }
    code
}
