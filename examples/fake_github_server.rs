//! A standalone fake GitHub on 127.0.0.1 for benchmarks (bench/install.sh, bench/fleet.sh):
//! serves releases of repositories, with assets read from files on disk, until killed.
//!
//! ```text
//! cargo build --release --example fake_github_server
//! fake_github_server [--api-latency-ms N] [--download-latency-ms N] [--request-log PATH] \
//!     --repo mozilla/sccache --tag v0.14.0 \
//!     --asset sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz=/path/to/it.tar.gz \
//!     [--repo OWNER/NAME --tag TAG --asset NAME=PATH ...]
//! ```
//!
//! Each `--repo` starts a new release; the `--tag` and `--asset`s after it belong to it.
//! `--api-latency-ms` adds that much to every API answer (a CI runner's round trip to
//! api.github.com), `--download-latency-ms` to every download (the round trip to the CDN).
//! `--download-mbps N` sends each download body at N MB/s (a CDN's per-connection
//! throughput as a CI runner sees it). `--request-log PATH` appends one line per request received (`api|download METHOD PATH ACCEPT`),
//! so a benchmark can count what each client asked.
//!
//! It prints, one per line and then flushes stdout:
//!
//! ```text
//! api <API base URL>            (TOOLGET_GITHUB_API_URL, ubi's --api-base-url)
//! download <download base URL>
//! asset <name> <download URL>   (for curl), one line per asset
//! ready
//! ```
//!
//! The server is the integration tests' own (tests/it/support/fake_github.rs), so the
//! benchmark exercises exactly what the tests do: the releases API with real `sha256:`
//! digests, and a separate download host that streams each asset from its file. Ports are
//! chosen by the OS (the test server binds port 0), which is why the URLs are printed rather
//! than taken as arguments. Touches nothing but the files it serves, which it only reads, and
//! the request log.

// A tool for benchmarks, not shipped code: it prints, and pedantry is for src/.
#![allow(
    clippy::pedantic,
    clippy::print_stdout,
    clippy::print_stderr,
    unreachable_pub
)]

#[allow(dead_code, unreachable_pub)]
#[path = "../tests/it/support/fake_github.rs"]
mod fake_github;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use fake_github::{Endpoint, FakeAsset, FakeGithub, FakeRelease};

const USAGE: &str = "usage: fake_github_server [--api-latency-ms N] [--download-latency-ms N] \
[--download-mbps N] [--request-log PATH] --repo OWNER/NAME --tag TAG --asset NAME=PATH [--asset NAME=PATH ...] \
[--repo ... ]";

struct Release {
    repo: String,
    tag: Option<String>,
    assets: Vec<(String, PathBuf)>,
}

struct Args {
    releases: Vec<Release>,
    api_latency: Duration,
    download_latency: Duration,
    download_rate: Option<u64>,
    request_log: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut releases: Vec<Release> = Vec::new();
    let mut api_latency = Duration::ZERO;
    let mut download_latency = Duration::ZERO;
    let mut request_log = None;
    let mut download_rate = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("`{flag}` needs a value"));
        let ms = |text: String| {
            text.parse::<u64>()
                .map(Duration::from_millis)
                .map_err(|_| format!("`{text}` is not a number of milliseconds"))
        };
        match flag.as_str() {
            "--api-latency-ms" => api_latency = ms(value()?)?,
            "--download-latency-ms" => download_latency = ms(value()?)?,
            "--request-log" => request_log = Some(PathBuf::from(value()?)),
            "--download-mbps" => {
                let text = value()?;
                let mbps: f64 = text
                    .parse()
                    .map_err(|_| format!("`{text}` is not a number of megabytes per second"))?;
                download_rate = Some((mbps * 1_000_000.0) as u64);
            }
            "--repo" => {
                let repo = value()?;
                if !repo.contains('/') {
                    return Err(format!("`--repo {repo}` is not OWNER/NAME"));
                }
                releases.push(Release {
                    repo,
                    tag: None,
                    assets: Vec::new(),
                });
            }
            "--tag" => {
                let tag = value()?;
                let release = releases.last_mut().ok_or("--tag comes after --repo")?;
                release.tag = Some(tag);
            }
            "--asset" => {
                let spec = value()?;
                let (name, path) = spec
                    .split_once('=')
                    .ok_or_else(|| format!("`--asset {spec}` is not NAME=PATH"))?;
                let path = PathBuf::from(path);
                if !path.is_file() {
                    return Err(format!("`{}` is not a file", path.display()));
                }
                let release = releases.last_mut().ok_or("--asset comes after --repo")?;
                release.assets.push((name.to_string(), path));
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if releases.is_empty()
        || releases
            .iter()
            .any(|r| r.tag.is_none() || r.assets.is_empty())
    {
        return Err("each --repo OWNER/NAME needs a --tag and at least one --asset".into());
    }
    Ok(Args {
        releases,
        api_latency,
        download_latency,
        download_rate,
        request_log,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let server = FakeGithub::start();
    server.set_api_latency(args.api_latency);
    server.set_download_latency(args.download_latency);
    server.set_download_rate(args.download_rate);
    let mut lines = format!(
        "api {}\ndownload {}\n",
        server.api_url(),
        server.download_base_url()
    );
    for release in &args.releases {
        let tag = release.tag.as_deref().unwrap_or_default();
        // Digests are computed here, once, so no request pays for hashing a file.
        let fake = FakeRelease::new(tag).assets(
            release
                .assets
                .iter()
                .map(|(name, path)| FakeAsset::from_file(name.as_str(), path.as_path())),
        );
        server.add_release(&release.repo, fake);
        for (name, _) in &release.assets {
            let url = server.download_url(&release.repo, tag, name);
            lines.push_str(&format!("asset {name} {url}\n"));
        }
    }
    lines.push_str("ready\n");
    let mut out = std::io::stdout().lock();
    if out
        .write_all(lines.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    drop(out);
    // Serve until killed; the server's threads do the work. With a request log, this thread
    // appends what arrived since the last look.
    let mut logged = 0;
    loop {
        let Some(path) = &args.request_log else {
            std::thread::park();
            continue;
        };
        std::thread::sleep(Duration::from_millis(20));
        let requests = server.requests();
        if requests.len() > logged {
            let mut text = String::new();
            for r in &requests[logged..] {
                let host = match r.endpoint {
                    Endpoint::Api => "api",
                    Endpoint::Download => "download",
                };
                let accept = r.accept.as_deref().unwrap_or("-");
                text.push_str(&format!("{host} {} {} {accept}\n", r.method, r.path));
            }
            logged = requests.len();
            let appended = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut f| f.write_all(text.as_bytes()));
            if appended.is_err() {
                return ExitCode::FAILURE;
            }
        }
    }
}
