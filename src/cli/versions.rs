//! `toolget versions <SPEC> [--json]`: released versions, oldest first (the mise plugin relies
//! on ascending order: mise takes the last as the latest and does not sort).

use serde_json::json;
use toolget::release::Release;
use toolget::settings::Settings;
use toolget::text::shown;
use toolget::version;

use super::failure::CmdResult;

#[derive(Debug, clap::Args)]
pub(super) struct VersionsArgs {
    /// The tool: `sccache`, `mozilla/sccache`. A version part, if any, is ignored.
    spec: String,

    /// One JSON object: {"spec", "repo", "versions": [{"version", "tag", "prerelease"}]}.
    #[arg(long)]
    json: bool,
}

pub(super) fn run(args: &VersionsArgs, settings: &Settings) -> CmdResult {
    list(args, settings).map_err(|f| f.json_if(args.json))
}

fn list(args: &VersionsArgs, settings: &Settings) -> CmdResult {
    let (spec, tool) = super::spec_and_tool(&args.spec, settings)?;
    let client = super::github_client(settings, tool.options.api_url.as_deref())?;
    let mut releases: Vec<Release> = client
        .list_releases(&tool.repo, None)?
        .into_iter()
        .filter(|r| !r.draft)
        .collect();
    let names = tool.tag_names();
    version::sort_oldest_first(&mut releases, &names);
    let versions: Vec<_> = releases
        .iter()
        .map(|r| (version::version_from_tag(&r.tag, &names), r))
        .collect();
    if args.json {
        let list: Vec<_> = versions
            .iter()
            .map(|(v, r)| json!({"version": shown(v), "tag": shown(&r.tag), "prerelease": r.prerelease}))
            .collect();
        outln!(
            "{}",
            json!({"spec": spec.raw, "repo": tool.repo.to_string(), "versions": list})
        );
    } else {
        for (v, r) in &versions {
            let pre = if r.prerelease { "  (prerelease)" } else { "" };
            // Tags come from the release: escaped and bounded.
            if *v == r.tag {
                outln!("{}{pre}", shown(v));
            } else {
                outln!("{}  (tag {}){pre}", shown(v), shown(&r.tag));
            }
        }
    }
    Ok(())
}
