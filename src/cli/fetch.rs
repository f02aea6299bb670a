//! `toolget fetch --locked --to DIR`: download every asset toolget.lock pins (for this
//! platform, the `--platform`s given, or `--all-platforms`) into DIR's content-addressed
//! layout, `DIR/sha256/<hex>` — what a `file://` or `cas+https://` mirror serves. Upload it
//! with the object store's own tools (`aws s3 sync DIR s3://bucket/prefix/`) or bake it into an
//! image. Makes no GitHub API request; each file is checked against the lock's sha256 before
//! it appears in DIR.

use std::path::PathBuf;

use toolget::cas::{self, Filled};
use toolget::download::Downloader;
use toolget::github::{ClientOptions, GithubError};
use toolget::lockfile::Lockfile;
use toolget::mirror::{AssetKey, Mirrors};
use toolget::platform::Platform;
use toolget::project;
use toolget::release::RepoId;
use toolget::settings::Settings;
use toolget::text::shown;

use super::failure::{CmdResult, Failure};
use super::progress::CliReporter;
use super::{exit, render};

#[derive(Debug, clap::Args)]
pub(super) struct FetchArgs {
    /// Fetch exactly what toolget.lock pins (the only mode: a content-addressed mirror needs
    /// the sha256s the lock holds). Fails (exit 10) when the lock does not match toolget.toml.
    #[arg(long, required = true)]
    locked: bool,

    /// The directory to fill: DIR/sha256/<hex> per asset (created if missing).
    #[arg(long, value_name = "DIR")]
    to: PathBuf,

    /// Platforms to fetch (repeat it, or separate with commas). Default: `TOOLGET_PLATFORM`,
    /// else this machine.
    #[arg(
        long,
        short = 'p',
        value_name = "PLATFORM",
        conflicts_with = "all_platforms"
    )]
    platform: Vec<String>,

    /// Every platform the lock holds.
    #[arg(long)]
    all_platforms: bool,

    /// The toolget.toml whose toolget.lock to read (default: the nearest one).
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,

    /// How many downloads at once (default 4).
    #[arg(long, short = 'j', value_name = "N", default_value_t = toolget::jobs::DEFAULT_JOBS,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    jobs: u16,

    /// No progress output (warnings still print).
    #[arg(long, short = 'q')]
    quiet: bool,
}

/// One asset to fetch.
struct Item {
    repo: RepoId,
    tag: String,
    name: String,
    url: String,
    sha256: String,
}

pub(super) fn run(args: &FetchArgs, settings: &Settings) -> CmdResult {
    let config = project::load_config(args.config.as_deref())?;
    let path = config.lock_path();
    let lock = Lockfile::read(&path)?;
    lock.check(&config, &path)?;
    let wanted: Option<Vec<Platform>> = if args.all_platforms {
        None
    } else {
        Some(super::platforms(&args.platform, settings)?)
    };
    let mirrors = Mirrors::from_settings(settings)?;
    let mut items: Vec<Item> = Vec::new();
    for tool in &lock.tools {
        let assets: Vec<_> = match &wanted {
            None => tool.platforms.iter().collect(),
            Some(platforms) => platforms
                .iter()
                .map(|platform| tool.asset_for(platform))
                .collect::<Result<_, _>>()?,
        };
        for asset in assets {
            if items.iter().any(|i| i.sha256 == asset.sha256) {
                continue;
            }
            items.push(Item {
                repo: tool.repo.clone(),
                tag: tool.tag.clone(),
                name: asset.asset.clone(),
                url: asset.url.clone(),
                sha256: asset.sha256.clone(),
            });
        }
    }
    let options = ClientOptions::from_settings(settings);
    let client = toolget::http::build_client(&options.http).map_err(GithubError::Client)?;
    let downloader = Downloader::new(client, options.retry);
    let reporter = CliReporter::new(args.quiet);
    let mut code = exit::SUCCESS;
    let (mut fetched, mut present) = (0, 0);
    toolget::jobs::run_ordered(
        items,
        usize::from(args.jobs),
        |_, item| {
            let key = AssetKey {
                repo: &item.repo,
                tag: &item.tag,
                name: &item.name,
                sha256: Some(&item.sha256),
            };
            let result = cas::fill(&downloader, &mirrors, &key, &item.url, &args.to, &reporter);
            (item, result)
        },
        |_, (item, result)| match result {
            Ok(Filled::Present) => {
                present += 1;
                outln!("present {} sha256/{}", shown(&item.name), item.sha256);
            }
            Ok(Filled::Fetched(sources)) => {
                fetched += 1;
                let from = sources.last().map_or("origin", |s| s.source.as_str());
                outln!(
                    "fetched {} sha256/{} (from {from})",
                    shown(&item.name),
                    item.sha256
                );
            }
            Err(e) => {
                let failed = Failure::from(e).report();
                if code == exit::SUCCESS {
                    code = failed;
                }
            }
        },
    );
    if !args.quiet {
        render::note(&format!(
            "{} now holds {} asset{} ({fetched} fetched, {present} already there)",
            args.to.display(),
            fetched + present,
            if fetched + present == 1 { "" } else { "s" }
        ));
    }
    match code {
        exit::SUCCESS => Ok(()),
        code => Err(Failure::Reported(code)),
    }
}
