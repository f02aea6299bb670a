//! A fleet against real caches, started here on loopback: nginx as a pull-through cache in
//! front of the fake GitHub's download host (docs/mirrors/nginx-github-cache.conf, the file
//! docs/mirrors.md gives), and moto's S3 server holding a content-addressed mirror uploaded
//! with the AWS CLI. scripts/ci-deps installs both (Debian's nginx-light, PyPI's moto[server]
//! and awscli). A test whose real part is missing prints SKIPPED (listed in scripts/test's
//! summary) — and fails when CI=true.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::fleet::one_build;
use crate::support::TestContext;
use crate::support::archive;
use crate::support::fake_github::FakeGithub;

const LINUX: &str = "linux-x86_64-gnu";
const TOOLS: [&str; 2] = ["alpha", "beta"];
const RUNNERS: usize = 8;

/// Say why a test cannot run; in CI that is a failure, not a skip.
fn skip(test: &str, why: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: {why} (CI=true: scripts/ci-deps must install it)");
    }
    crate::support::skipped(test, why);
}

fn find_program(name: &str, extra: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(extra.iter().map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn wait_for_port(port: u16, child: &mut Child, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited early: {status}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} did not listen on {port} within 20 s");
}

/// A child process killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A project locking acme/alpha and acme/beta for Linux, in `dir`; returns each asset's
/// (name, bytes).
fn fleet_project(github: &FakeGithub, dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut assets = Vec::new();
    let mut config = String::from("[tools]\n");
    for name in TOOLS {
        let (release, asset, bytes) = one_build(name, "v1.0.0", true);
        github.add_release(&format!("acme/{name}"), release);
        config.push_str(&format!("\"acme/{name}\" = \"1.0.0\"\n"));
        assets.push((asset, bytes));
    }
    std::fs::write(dir.join("toolget.toml"), config).unwrap();
    let out = toolget(dir, "lock", &["--platform", LINUX], &github.api_url(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assets
}

/// Run toolget in `dir` as a runner named `runner` (its own home and cache under `dir`).
fn toolget_cmd(
    dir: &Path,
    runner: &str,
    args: &[&str],
    api: &str,
    env: &[(&str, &str)],
) -> Command {
    let mut cmd = Command::new(TestContext::toolget_bin());
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("TOOLGET_HOME", dir.join(runner).join("home"))
        .env("TOOLGET_CACHE_DIR", dir.join(runner).join("cache"))
        .env("TOOLGET_GITHUB_API_URL", api)
        .env("TOOLGET_TEST_NO_RETRY_DELAY", "1")
        .current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn toolget(dir: &Path, command: &str, args: &[&str], api: &str, env: &[(&str, &str)]) -> Output {
    let mut all = vec![command];
    all.extend_from_slice(args);
    toolget_cmd(dir, "main", &all, api, env)
        .output()
        .expect("run toolget")
}

fn installed(dir: &Path, runner: &str, exe: &str) -> String {
    let out = TestContext::run_program(&dir.join(runner).join("home/bin").join(exe), &[]);
    out.stdout.trim().to_string()
}

/// docs/mirrors/nginx-github-cache.conf with loopback addresses, inside a minimal main config.
fn nginx_config(dir: &Path, port: u16, origin: &str) -> PathBuf {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/mirrors/nginx-github-cache.conf");
    let text = std::fs::read_to_string(&docs).unwrap();
    let cache = dir.join("nginx-cache");
    let replaced = text
        .replace("listen 8080;", &format!("listen 127.0.0.1:{port};"))
        .replace("/var/cache/nginx/toolget", cache.to_str().unwrap())
        .replace("https://github.com/", &format!("{origin}/"));
    for original in [
        "listen 8080;",
        "/var/cache/nginx/toolget",
        "https://github.com/",
    ] {
        assert!(
            text.contains(original),
            "the docs' config lost `{original}`"
        );
    }
    let site = dir.join("toolget-cache.conf");
    std::fs::write(&site, replaced).unwrap();
    let logs = dir.join("nginx-logs");
    std::fs::create_dir_all(&logs).unwrap();
    let main = format!(
        "daemon off;\nmaster_process on;\nworker_processes 2;\npid {logs}/nginx.pid;\n\
         error_log {logs}/error.log warn;\n{user}events {{ worker_connections 256; }}\n\
         http {{\n  access_log {logs}/access.log;\n  client_body_temp_path {logs}/body;\n\
         proxy_temp_path {logs}/proxy;\n  fastcgi_temp_path {logs}/fastcgi;\n\
         uwsgi_temp_path {logs}/uwsgi;\n  scgi_temp_path {logs}/scgi;\n  include {site};\n}}\n",
        logs = logs.display(),
        site = site.display(),
        // Run as root, nginx's workers would switch to `nobody`, who cannot write our temp dir.
        user = if is_root() { "user root;\n" } else { "" },
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, main).unwrap();
    path
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn a_fleet_installs_through_an_nginx_cache_that_asks_the_origin_once_per_asset() {
    const TEST: &str = "fleet_real::nginx";
    let Some(nginx) = find_program("nginx", &["/usr/sbin", "/usr/local/sbin"]) else {
        return skip(TEST, "nginx is not installed (apt-get install nginx-light)");
    };
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let github = FakeGithub::start();
    let assets = fleet_project(&github, dir);
    let port = free_port();
    let conf = nginx_config(dir, port, &github.download_base_url());
    let mut child = Command::new(nginx)
        .args(["-p", dir.to_str().unwrap(), "-c", conf.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start nginx");
    wait_for_port(port, &mut child, "nginx");
    let _nginx = Server(child);
    let mirror = format!("http://127.0.0.1:{port}/github/");
    let env = [
        ("TOOLGET_MIRRORS", mirror.as_str()),
        // Through the cache or not at all.
        ("TOOLGET_UPSTREAM", "never"),
    ];
    let api = github.api_url();
    github.clear_requests();
    // The origin is slow to answer, as github.com is from afar: every runner's request reaches
    // nginx while the first is still waiting on the origin (without proxy_cache_lock, each of
    // them would go to the origin too).
    github.set_download_latency(Duration::from_millis(700));

    // Eight runners at once, each with its own home and empty download cache.
    let children: Vec<(String, Child)> = (0..RUNNERS)
        .map(|i| {
            let runner = format!("runner{i}");
            let child = toolget_cmd(
                dir,
                &runner,
                &["install", "--locked", "--platform", LINUX, "--quiet"],
                &api,
                &env,
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn toolget");
            (runner, child)
        })
        .collect();
    for (runner, child) in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{runner}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for name in TOOLS {
            assert_eq!(installed(dir, &runner, name), format!("{name} 1.0.0"));
        }
    }
    assert_eq!(github.api_request_count(), 0, "--locked asks no API");
    for (asset, _) in &assets {
        assert_eq!(
            github.asset_request_count(asset),
            1,
            "the origin served `{asset}` once for {RUNNERS} runners"
        );
    }
    eprintln!(
        "fleet: {RUNNERS} runners x {} assets, origin requests per asset: 1",
        assets.len()
    );

    // The origin goes away: a fresh runner still installs, from the cache.
    drop(github);
    let out = toolget_cmd(
        dir,
        "late",
        &["install", "--locked", "--platform", LINUX, "--explain"],
        &api,
        &env,
    )
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains(&format!("{mirror}: served")), "{stderr}");
    assert_eq!(installed(dir, "late", "beta"), "beta 1.0.0");
}

#[test]
fn an_s3_mirror_serves_a_fleet_and_its_tampered_bytes_are_refused() {
    const TEST: &str = "fleet_real::s3";
    let Some(moto) = find_program("moto_server", &[]) else {
        return skip(
            TEST,
            "moto_server is not installed (pip install 'moto[server]')",
        );
    };
    let Some(aws) = find_program("aws", &[]) else {
        return skip(TEST, "the AWS CLI is not installed (pip install awscli)");
    };
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let github = FakeGithub::start();
    let assets = fleet_project(&github, dir);
    let api = github.api_url();

    // The mirror's content: what `toolget fetch` writes, uploaded with the AWS CLI.
    let cas = dir.join("cas");
    let out = toolget(
        dir,
        "fetch",
        &[
            "--locked",
            "--platform",
            LINUX,
            "--to",
            cas.to_str().unwrap(),
        ],
        &api,
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let port = free_port();
    let mut child = Command::new(moto)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start moto_server");
    wait_for_port(port, &mut child, "moto_server");
    let _moto = Server(child);
    let endpoint = format!("http://127.0.0.1:{port}");
    let s3 = |args: &[&str]| {
        let out = Command::new(&aws)
            .args(["--endpoint-url", &endpoint])
            .args(args)
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("HOME", dir)
            .output()
            .expect("run aws");
        assert!(
            out.status.success(),
            "aws {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    s3(&["s3", "mb", "s3://mirror"]);
    s3(&[
        "s3",
        "sync",
        cas.to_str().unwrap(),
        "s3://mirror/tools/",
        "--acl",
        "public-read",
    ]);
    let mirror = format!("cas+{endpoint}/mirror/tools/");
    let env = [
        ("TOOLGET_MIRRORS", mirror.as_str()),
        ("TOOLGET_UPSTREAM", "never"),
    ];
    github.clear_requests();
    let out = toolget_cmd(
        dir,
        "r1",
        &["install", "--locked", "--platform", LINUX, "--explain"],
        &api,
        &env,
    )
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains(&format!("{mirror}: served")), "{stderr}");
    assert_eq!(github.requests().len(), 0, "neither API nor origin");
    assert_eq!(installed(dir, "r1", "alpha"), "alpha 1.0.0");

    // Someone replaces an object with other bytes: the next runner refuses them.
    let (asset, bytes) = &assets[0];
    let sha = archive::sha256_hex(bytes);
    let evil = dir.join("evil");
    std::fs::write(&evil, b"not the archive").unwrap();
    s3(&[
        "s3",
        "cp",
        evil.to_str().unwrap(),
        &format!("s3://mirror/tools/sha256/{sha}"),
        "--acl",
        "public-read",
    ]);
    let out = toolget_cmd(
        dir,
        "r2",
        &["install", "--locked", "--platform", LINUX],
        &api,
        &env,
    )
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "verification failed: {stderr}");
    assert!(stderr.contains("WRONG BYTES"), "{stderr}");
    assert!(stderr.contains(asset.as_str()), "{stderr}");
    assert!(!dir.join("r2/home/bin/alpha").exists(), "nothing installed");
    let cache = dir.join("r2/cache/sha256");
    let evil_sha = archive::sha256_hex(b"not the archive");
    assert!(
        !cache.join(&evil_sha[..2]).join(&evil_sha).exists(),
        "never cached"
    );
}
