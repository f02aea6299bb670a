//! A standalone fake GitHub on 127.0.0.1 for benchmarks (bench/install.sh): serves one
//! release of one repository, with assets read from files on disk, until killed.
//!
//! ```text
//! cargo build --release --example fake_github_server
//! fake_github_server --repo mozilla/sccache --tag v0.14.0 \
//!     --asset sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz=/path/to/it.tar.gz
//! ```
//!
//! It prints, one per line and then flushes stdout:
//!
//! ```text
//! api <API base URL>            (TOOLGET_GITHUB_API_URL, ubi's --api-base-url)
//! asset <name> <download URL>   (for curl), one line per asset
//! ready
//! ```
//!
//! The server is the integration tests' own (tests/it/support/fake_github.rs), so the
//! benchmark exercises exactly what the tests do: the releases API with real `sha256:`
//! digests, and a separate download host that streams each asset from its file. Ports are
//! chosen by the OS (the test server binds port 0), which is why the URLs are printed rather
//! than taken as arguments. Touches nothing but the files it serves, which it only reads.

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

use fake_github::{FakeAsset, FakeGithub, FakeRelease};

const USAGE: &str = "usage: fake_github_server --repo OWNER/NAME --tag TAG --asset NAME=PATH [--asset NAME=PATH ...]";

struct Args {
    repo: String,
    tag: String,
    assets: Vec<(String, PathBuf)>,
}

fn parse_args() -> Result<Args, String> {
    let mut repo = None;
    let mut tag = None;
    let mut assets = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("`{flag}` needs a value"));
        match flag.as_str() {
            "--repo" => repo = Some(value()?),
            "--tag" => tag = Some(value()?),
            "--asset" => {
                let spec = value()?;
                let (name, path) = spec
                    .split_once('=')
                    .ok_or_else(|| format!("`--asset {spec}` is not NAME=PATH"))?;
                let path = PathBuf::from(path);
                if !path.is_file() {
                    return Err(format!("`{}` is not a file", path.display()));
                }
                assets.push((name.to_string(), path));
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    match (repo, tag) {
        (Some(repo), Some(tag)) if !assets.is_empty() && repo.contains('/') => {
            Ok(Args { repo, tag, assets })
        }
        _ => Err("--repo OWNER/NAME, --tag and at least one --asset are required".into()),
    }
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
    // Digests are computed here, once, so no request pays for hashing a file.
    let release = FakeRelease::new(args.tag.as_str()).assets(
        args.assets
            .iter()
            .map(|(name, path)| FakeAsset::from_file(name.as_str(), path.as_path())),
    );
    server.add_release(&args.repo, release);
    let mut out = std::io::stdout().lock();
    let mut lines = format!("api {}\n", server.api_url());
    for (name, _) in &args.assets {
        let url = server.download_url(&args.repo, &args.tag, name);
        lines.push_str(&format!("asset {name} {url}\n"));
    }
    lines.push_str("ready\n");
    if out
        .write_all(lines.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    drop(out);
    // Serve until killed; the server's threads do the work.
    loop {
        std::thread::park();
    }
}
