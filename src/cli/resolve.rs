//! `toolget resolve <SPEC> [--platform P]... [--explain] [--json]`.

use serde_json::{Value, json};
use toolget::error::{Diagnostic, ErrorKind, message_chain};
use toolget::lookup;
use toolget::platform::{self, HostFacts, Platform};
use toolget::registry::Registry;
use toolget::release::{Asset, Release};
use toolget::resolver::{self, Inference, SelectError, Verdict, Warning};
use toolget::settings::Settings;
use toolget::spec::ToolSpec;
use toolget::text::shown;
use toolget::tool::Tool;
use toolget::version;

use super::failure::{CmdResult, Failure as CmdFailure};
use super::{exit, render};

#[derive(Debug, clap::Args)]
pub(super) struct ResolveArgs {
    /// The tool: `sccache`, `mozilla/sccache@0.14`, `github:mozilla/sccache[exe=sccache]@v0.14.0`.
    spec: String,

    /// Platform to resolve for (repeatable, or comma-separated): linux-x86_64-gnu,
    /// linux-aarch64-musl, linux-armv7-gnueabihf, macos-aarch64, windows-x86_64, … Aliases such
    /// as linux/amd64 or darwin-arm64 work. Default: `TOOLGET_PLATFORM`, else this machine.
    #[arg(long = "platform", short = 'p', value_name = "PLATFORM")]
    platforms: Vec<String>,

    /// List every asset of the release, in release order, as ACCEPTED or REJECTED with the
    /// reason, and what was inferred about names that leave their OS or architecture out. With
    /// --json: `verdicts` and `inferred` fields.
    #[arg(long)]
    explain: bool,

    /// One JSON object per line, one line per platform (the contract is in docs/cli.md).
    #[arg(long)]
    json: bool,
}

/// A failure that applies to one platform or to all of them.
struct Failure {
    kind: ErrorKind,
    message: String,
    hint: Option<String>,
    /// The same error as the one renderer shows it (message, picture, causes, hint).
    text: String,
    candidates: Vec<String>,
    /// Boxed slices keep the failure small.
    verdicts: Box<[Verdict]>,
    inferred: Box<[Inference]>,
}

impl Failure {
    fn new(err: &dyn Diagnostic) -> Failure {
        Failure {
            kind: err.kind(),
            message: message_chain(err),
            hint: err.hint(),
            text: render::error_text(err),
            candidates: Vec::new(),
            verdicts: Box::default(),
            inferred: Box::default(),
        }
    }
}

/// What every platform shares: the parsed spec, the tool, and its release.
struct Resolved {
    spec: ToolSpec,
    tool: Tool,
    release: Release,
    /// The release's version, which selects the entry's version-range hints.
    version: String,
}

pub(super) fn run(args: &ResolveArgs, settings: &Settings) -> CmdResult {
    let platforms =
        super::platforms(&args.platforms, settings).map_err(|f| f.json_if(args.json))?;
    match resolve(args, settings, &platforms) {
        exit::SUCCESS => Ok(()),
        code => Err(CmdFailure::Reported(code)),
    }
}

/// Resolve for each platform, reporting each outcome; the first failure's exit code.
fn resolve(args: &ResolveArgs, settings: &Settings, platforms: &[Platform]) -> u8 {
    let resolved = match prepare(&args.spec, settings) {
        Ok(r) => r,
        Err(failure) => {
            for platform in platforms {
                report_failure(args, platform, &failure, None);
                if !args.json {
                    break; // the same message once is enough for a human
                }
            }
            return failure.kind.exit_code();
        }
    };
    // The glibc version and CPU level of this machine settle glibc and x86-64-v* twins; the
    // resolver uses them only for the platform they describe.
    let host = platform::detect_host().ok().map(HostFacts::detect);
    let mut code = exit::SUCCESS;
    for platform in platforms {
        let criteria = match resolved
            .tool
            .criteria_for(platform, Some(&resolved.version))
        {
            Ok(c) => match host {
                Some(facts) => c.host(facts),
                None => c,
            },
            Err(e) => {
                let failure = Failure::new(&e);
                report_failure(args, platform, &failure, Some(&resolved));
                return failure.kind.exit_code();
            }
        };
        match resolver::select(&resolved.release.assets, platform, &criteria) {
            Ok(selection) => {
                let asset = &resolved.release.assets[selection.index];
                report_success(args, platform, &resolved, asset, &selection);
            }
            Err(err) => {
                let mut failure = Failure::new(&err);
                if let SelectError::Ambiguous { candidates, .. } = &err {
                    failure.candidates.clone_from(candidates);
                }
                failure.verdicts = err.verdicts().into();
                failure.inferred = err.inferred().into();
                report_failure(args, platform, &failure, Some(&resolved));
                if code == exit::SUCCESS {
                    code = failure.kind.exit_code();
                }
            }
        }
    }
    code
}

fn prepare(raw: &str, settings: &Settings) -> Result<Resolved, Box<Failure>> {
    let spec = ToolSpec::parse(raw).map_err(|e| Box::new(Failure::new(&e)))?;
    let registry =
        Registry::load(&settings.registry_path).map_err(|e| Box::new(Failure::new(&e)))?;
    let tool = Tool::from_spec(&spec, &registry).map_err(|e| Box::new(Failure::new(&e)))?;
    let client = super::github_client(settings, tool.options.api_url.as_deref())
        .map_err(|e| Box::new(Failure::new(&e)))?;
    let wanted = tool.lookup_version(&spec.version);
    let spellings = settings
        .cache_dir
        .as_ref()
        .map(toolget::facts::TagSpellings::new);
    let release = lookup::find_release_with(
        &client,
        &tool.repo,
        &wanted,
        &tool.tag_names(),
        spellings.as_ref(),
    )
    .map_err(|e| Box::new(Failure::new(&e)))?;
    let version = version::version_from_tag(&release.tag, &tool.tag_names());
    Ok(Resolved {
        spec,
        tool,
        release,
        version,
    })
}

fn report_success(
    args: &ResolveArgs,
    platform: &Platform,
    resolved: &Resolved,
    asset: &Asset,
    selection: &resolver::Selection,
) {
    let version = version::version_from_tag(&resolved.release.tag, &resolved.tool.tag_names());
    if args.json {
        let line = json!({
            "spec": resolved.spec.raw,
            "repo": resolved.tool.repo.to_string(),
            "tag": shown(&resolved.release.tag),
            "version": shown(&version),
            "platform": platform.to_string(),
            "exe": resolved.tool.exe,
            "asset": {
                "name": shown(&asset.name),
                "url": asset.download_url,
                "size": asset.size,
                "digest": asset.digest.as_deref().map(shown),
            },
            "emulation": selection.emulation,
            "warnings": warnings_json(&selection.warnings),
        });
        let mut line = line;
        if args.explain {
            line["verdicts"] = json!(selection.verdicts);
            line["inferred"] = json!(selection.inferred);
        }
        outln!("{line}");
        return;
    }
    for warning in &selection.warnings {
        render::warning(&warning.to_string());
    }
    outln!(
        "{} {} ({}) for {platform}",
        resolved.tool.repo,
        shown(&resolved.release.tag),
        shown(&version)
    );
    outln!("  asset   {}", shown(&asset.name));
    outln!(
        "  url     {}",
        toolget::text::redact_url(&asset.download_url)
    );
    if asset.size >= 1000 {
        outln!(
            "  size    {} ({} bytes)",
            render::size(asset.size),
            asset.size
        );
    } else {
        outln!("  size    {}", render::size(asset.size));
    }
    outln!(
        "  digest  {}",
        asset.digest.as_deref().map_or_else(
            || "none published (a checksum file may still verify it)".to_string(),
            shown
        )
    );
    outln!("  exe     {}", resolved.tool.exe);
    if let Some(emulation) = selection.emulation {
        outln!("  note    no native build for {platform}; this build runs under {emulation}");
    }
    if args.explain {
        explain(
            &selection.verdicts,
            &selection.inferred,
            &mut std::io::stdout().lock(),
        );
    }
}

fn report_failure(
    args: &ResolveArgs,
    platform: &Platform,
    failure: &Failure,
    resolved: Option<&Resolved>,
) {
    if args.json {
        let mut error = json!({
            "kind": failure.kind,
            "message": failure.message,
            "candidates": failure.candidates.iter().map(|c| shown(c)).collect::<Vec<_>>(),
        });
        if let Some(hint) = &failure.hint {
            error["hint"] = Value::String(hint.clone());
        }
        let mut line = json!({
            "spec": args.spec,
            "platform": platform.to_string(),
            "error": error,
        });
        if let Some(resolved) = resolved {
            line["repo"] = Value::String(resolved.tool.repo.to_string());
            line["tag"] = Value::String(shown(&resolved.release.tag));
        }
        if args.explain {
            line["verdicts"] = json!(failure.verdicts);
            line["inferred"] = json!(failure.inferred);
        }
        outln!("{line}");
        return;
    }
    eprint!("{}", failure.text);
    if args.explain && !failure.verdicts.is_empty() {
        if let Some(resolved) = resolved {
            eprintln!(
                "{} {} for {platform}:",
                resolved.tool.repo,
                shown(&resolved.release.tag)
            );
        }
        explain(
            &failure.verdicts,
            &failure.inferred,
            &mut std::io::stderr().lock(),
        );
    }
}

fn verdict_lines(verdicts: &[Verdict]) -> Vec<String> {
    // Asset names come from the release: shown escaped and bounded.
    let names: Vec<String> = verdicts.iter().map(|v| shown(&v.asset)).collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    verdicts
        .iter()
        .zip(&names)
        .map(|(v, name)| {
            let status = if v.accepted { "ACCEPTED" } else { "REJECTED" };
            format!(
                "  {status}  {name:width$}  {}",
                toolget::text::untrusted_within(&v.detail(), 1000)
            )
        })
        .collect()
}

/// Every asset with its verdict, then what the release told about names that leave their OS,
/// architecture or libc out; to stdout (after a success) or stderr (after a failure).
fn explain(verdicts: &[Verdict], inferred: &[Inference], out: &mut dyn std::io::Write) {
    let _ = writeln!(out, "assets, in release order:");
    for line in verdict_lines(verdicts) {
        let _ = writeln!(out, "{line}");
    }
    for i in inferred {
        let _ = writeln!(
            out,
            "  inferred: {}, because {} (`{}`)",
            i.fact,
            toolget::text::untrusted_within(&i.evidence.to_string(), 1000),
            shown(&i.asset)
        );
    }
}

fn warnings_json(warnings: &[Warning]) -> Value {
    Value::Array(
        warnings
            .iter()
            .map(|w| json!({"kind": w.kind(), "message": w.to_string()}))
            .collect(),
    )
}
