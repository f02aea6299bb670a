//! `toolget fetch --locked --to DIR`: download every asset toolget.lock pins (for this
//! platform, the `--platform`s given, or `--all-platforms`) into DIR's content-addressed
//! layout, `DIR/sha256/<hex>` — what a `file://` or `cas+https://` mirror serves. Upload it
//! with the object store's own tools (`aws s3 sync DIR s3://bucket/prefix/`) or bake it into an
//! image. Makes no GitHub API request; each file is checked against the lock's sha256 before
//! it appears in DIR.

use std::path::PathBuf;

use toolget::cas::{self, Filled};
use toolget::download::Downloader;
use toolget::github::ClientOptions;
use toolget::lockfile::Lockfile;
use toolget::mirror::{AssetKey, Mirrors};
use toolget::platform::Platform;
use toolget::release::RepoId;
use toolget::settings::Settings;

use super::progress::CliReporter;
use super::{exit, render};

#[derive(Debug, clap::Args)]
pub struct FetchArgs {
    /// Fetch exactly what toolget.lock pins (the only mode: a content-addressed mirror needs
    /// the sha256s the lock holds). Fails (exit 10) when the lock does not match toolget.toml.
    #[arg(long, required = true)]
    locked: bool,

    /// The directory to fill: DIR/sha256/<hex> per asset (created if missing).
    #[arg(long, value_name = "DIR")]
    to: PathBuf,

    /// Platforms to fetch (repeat it, or separate with commas). Default: TOOLGET_PLATFORM,
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

pub fn run(args: &FetchArgs, settings: &Settings) -> u8 {
    let config = match super::lock::load_config(args.config.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let path = config.lock_path();
    let lock = match Lockfile::read(&path).and_then(|lock| {
        lock.check(&config, &path)?;
        Ok(lock)
    }) {
        Ok(lock) => lock,
        Err(e) => {
            render::error(&e, e.hint().as_deref());
            return exit::for_kind(e.kind());
        }
    };
    let wanted: Option<Vec<Platform>> = if args.all_platforms {
        None
    } else {
        match super::platforms(&args.platform, settings) {
            Ok(p) => Some(p),
            Err(code) => return code,
        }
    };
    let mirrors = match Mirrors::from_settings(settings) {
        Ok(m) => m,
        Err(e) => {
            render::error(&e, e.hint().as_deref());
            return exit::for_kind(e.kind());
        }
    };
    let mut items: Vec<Item> = Vec::new();
    for tool in &lock.tools {
        let assets: Vec<_> = match &wanted {
            None => tool.platforms.iter().collect(),
            Some(platforms) => {
                let mut assets = Vec::new();
                for platform in platforms {
                    match tool.asset_for(platform) {
                        Ok(asset) => assets.push(asset),
                        Err(e) => {
                            render::error(&e, e.hint().as_deref());
                            return exit::for_kind(e.kind());
                        }
                    }
                }
                assets
            }
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
    let client = match toolget::http::build_client(&options.http) {
        Ok(c) => c,
        Err(e) => {
            render::error(&e, None);
            return exit::INTERNAL;
        }
    };
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
                println!("present {} sha256/{}", item.name, item.sha256);
            }
            Ok(Filled::Fetched(sources)) => {
                fetched += 1;
                let from = sources
                    .last()
                    .map(|s| s.source.as_str())
                    .unwrap_or("origin");
                println!("fetched {} sha256/{} (from {from})", item.name, item.sha256);
            }
            Err(e) => {
                render::error(&e, e.hint().as_deref());
                if code == exit::SUCCESS {
                    code = exit::for_kind(e.kind());
                }
            }
        },
    );
    eprintln!(
        "toolget: {} now holds {} asset{} ({fetched} fetched, {present} already there)",
        args.to.display(),
        fetched + present,
        if fetched + present == 1 { "" } else { "s" }
    );
    code
}
