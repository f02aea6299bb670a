//! How much toolget downloads and how long it waits (issue 9 item 3, issue 10's HTTP items):
//! hostile loopback servers that send more than announced, lie in `Content-Length`, serve
//! huge checksum files and huge JSON, paginate forever, trickle, or stall; and the digest
//! spellings of issue 9 item 4. Every case asserts what the user sees and that nothing was
//! installed or cached.

use std::time::{Duration, Instant};

use sha2::{Digest, Sha512};

use crate::lockfile::LINUX;
use crate::support::TestContext;
use crate::support::archive::{self, exe, script};
use crate::support::fake_github::{Endpoint, FakeAsset, FakeRelease, Fault};

const ASSET: &str = "tool-v1.0.0-x86_64-unknown-linux-gnu.tar.gz";

fn tool_archive() -> Vec<u8> {
    archive::tar_gz(&[exe("tool-v1.0.0/tool", script("tool 1.0.0"))])
}

fn release_with(asset: FakeAsset) -> FakeRelease {
    FakeRelease::new("v1.0.0").asset(asset)
}

fn install(ctx: &TestContext, env: &[(&str, &str)]) -> crate::support::context::Run {
    ctx.run_env(&["install", "acme/tool@1.0.0", "--platform", LINUX], env)
}

/// Nothing in the store's tools and nothing in the download cache.
fn nothing_kept(ctx: &TestContext) {
    assert!(
        ctx.version_dirs("acme", "tool").is_empty(),
        "installed anyway"
    );
    let cached: Vec<_> = walk(&ctx.cache().join("sha256"));
    assert!(
        cached.is_empty(),
        "a failed download was cached: {cached:?}"
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .flat_map(|e| {
            let path = e.path();
            if path.is_dir() {
                walk(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}

fn download_path() -> &'static str {
    "/download/acme/tool/"
}

#[test]
fn a_body_larger_than_the_release_size_is_refused_as_it_arrives() {
    let ctx = TestContext::new();
    let bytes = tool_archive();
    // The release says 100 bytes; the download host sends the whole archive with no
    // Content-Length, so only the release's size can stop it.
    ctx.github.add_release(
        "acme/tool",
        release_with(FakeAsset::new(ASSET, bytes.clone()).reported_size(100)),
    );
    ctx.github
        .fail_next(download_path(), Fault::ContentLength(None));
    let run = install(&ctx, &[]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("sent more than the 100 bytes announced; stopped at"),
        "{}",
        run.stderr
    );
    nothing_kept(&ctx);
}

#[test]
fn a_content_length_that_disagrees_with_the_release_is_refused_before_reading() {
    let ctx = TestContext::new();
    let bytes = tool_archive();
    ctx.github.add_release(
        "acme/tool",
        release_with(FakeAsset::new(ASSET, bytes.clone())),
    );
    ctx.github.fail_next(
        download_path(),
        Fault::ContentLength(Some(bytes.len() as u64 * 1000)),
    );
    let run = install(&ctx, &[]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains(&format!(
            "announces {} bytes (Content-Length) but the release says the asset has {}",
            bytes.len() * 1000,
            bytes.len()
        )),
        "{}",
        run.stderr
    );
    // Refused at once, not retried: one download request.
    assert_eq!(ctx.github.download_request_count(), 1);
    nothing_kept(&ctx);
}

#[test]
fn a_huge_checksum_file_is_refused_with_its_cap() {
    let ctx = TestContext::new();
    let bytes = tool_archive();
    let mut sums = format!("{}  {ASSET}\n", archive::sha256_hex(&bytes)).into_bytes();
    sums.resize(2 << 20, b'#');
    ctx.github.add_release(
        "acme/tool",
        FakeRelease::new("v1.0.0")
            .asset(FakeAsset::new(ASSET, bytes).no_digest())
            .asset(FakeAsset::new("checksums.txt", sums).no_digest()),
    );
    let run = install(&ctx, &[]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("`checksums.txt` is larger than the 1048576 bytes toolget reads"),
        "{}",
        run.stderr
    );
    nothing_kept(&ctx);

    // Without a Content-Length the cap holds while reading.
    ctx.github.fail_next(
        "/download/acme/tool/v1.0.0/checksums.txt",
        Fault::ContentLength(None),
    );
    let run = install(&ctx, &[]);
    assert!(
        run.stderr.contains("larger than the 1048576 bytes"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_huge_json_answer_is_refused() {
    let ctx = TestContext::new();
    ctx.github.add_release(
        "acme/tool",
        release_with(FakeAsset::new(ASSET, tool_archive())),
    );
    let huge = format!(
        "{{\"tag_name\": \"v1.0.0\", \"body\": \"{}\"}}",
        "x".repeat(33 << 20)
    );
    ctx.github.fail_next(
        "/repos/acme/tool/releases/tags",
        Fault::Body {
            status: 200,
            body: huge.clone(),
        },
    );
    let run = ctx.run(&["resolve", "acme/tool@1.0.0", "--platform", LINUX]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("larger than the 32 MiB toolget reads"),
        "{}",
        run.stderr
    );

    ctx.github.fail_next(
        "/repos/acme/tool/releases/tags",
        Fault::BodyNoLength {
            status: 200,
            body: huge.into_bytes(),
        },
    );
    let run = ctx.run(&["resolve", "acme/tool@1.0.0", "--platform", LINUX]);
    assert!(
        run.stderr.contains("larger than the 32 MiB toolget reads"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.len() < 4096,
        "{} bytes of stderr",
        run.stderr.len()
    );
}

fn list_requests(ctx: &TestContext) -> usize {
    ctx.github
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/repos/acme/tool/releases?"))
        .count()
}

#[test]
fn pagination_that_loops_or_never_ends_is_bounded() {
    let ctx = TestContext::new();
    for v in ["1.0.0", "1.1.0"] {
        ctx.github.add_release(
            "acme/tool",
            FakeRelease::new(format!("v{v}")).asset(FakeAsset::new(ASSET, tool_archive())),
        );
    }
    // A `next` link that points back at the first page ends the walk.
    let first = format!(
        "{}/repos/acme/tool/releases?per_page=100",
        ctx.github.api_url()
    );
    ctx.github
        .set_link_override(Some(format!("<{first}>; rel=\"next\"")));
    let run = ctx.run(&["versions", "acme/tool"]).success();
    assert!(run.stdout.contains("1.1.0"), "{}", run.stdout);
    assert_eq!(list_requests(&ctx), 1);

    // A server that always has one more page: given up after the page cap, with an error.
    ctx.github.set_link_override(None);
    ctx.github.set_page_size(1);
    ctx.github.set_endless_pages(true);
    ctx.github.clear_requests();
    let run = ctx.run(&["versions", "acme/tool"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("runs past 100 pages"), "{}", run.stderr);
    assert_eq!(list_requests(&ctx), 100);
}

#[test]
fn a_trickling_download_hits_its_deadline() {
    let ctx = TestContext::new();
    let bytes = tool_archive();
    ctx.github
        .add_release("acme/tool", release_with(FakeAsset::new(ASSET, bytes)));
    ctx.github.fail_next(
        download_path(),
        Fault::Trickle {
            chunk: 16,
            every: Duration::from_millis(200),
        },
    );
    let started = Instant::now();
    let run = install(&ctx, &[("TOOLGET_DOWNLOAD_DEADLINE", "1s")]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("did not finish within 1s"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("TOOLGET_DOWNLOAD_DEADLINE"),
        "{}",
        run.stderr
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    nothing_kept(&ctx);
}

#[test]
fn reading_stops_as_soon_as_extraction_hits_the_unpacked_cap() {
    let ctx = TestContext::new();
    // 16 MiB of bytes that do not compress, trickled 256 KiB every 100 ms: 6.4 s to send it
    // all. The unpacked cap (64 KiB) is hit in the first chunk.
    let noise: Vec<u8> = (0u32..(16 << 20) / 4)
        .flat_map(|i| i.wrapping_mul(2_654_435_761).to_le_bytes())
        .collect();
    let bytes = archive::tar_gz(&[exe("tool-v1.0.0/tool", noise)]);
    ctx.github
        .add_release("acme/tool", release_with(FakeAsset::new(ASSET, bytes)));
    ctx.github.fail_next(
        download_path(),
        Fault::Trickle {
            chunk: 256 << 10,
            every: Duration::from_millis(100),
        },
    );
    let started = Instant::now();
    let run = install(&ctx, &[("TOOLGET_MAX_UNPACKED", "64K")]);
    let took = started.elapsed();
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("limit"), "{}", run.stderr);
    assert!(
        took < Duration::from_secs(4),
        "took {took:?}: the rest of the body was read after extraction failed"
    );
    nothing_kept(&ctx);
}

#[test]
fn a_stalled_api_says_it_is_retrying_and_gives_up_with_a_count() {
    let ctx = TestContext::new();
    ctx.github.add_release(
        "acme/tool",
        release_with(FakeAsset::new(ASSET, tool_archive())),
    );
    // Stalls once, then answers: one note, success.
    ctx.github
        .fail_next("/repos/acme/tool", Fault::Delay(Duration::from_secs(3)));
    let run = ctx
        .run_env(
            &["resolve", "acme/tool@1.0.0", "--platform", LINUX],
            &[("TOOLGET_HTTP_TIMEOUT", "1s")],
        )
        .success();
    assert!(
        run.stderr
            .contains("no answer from 127.0.0.1; retrying (2/4)"),
        "{}",
        run.stderr
    );

    // Stalls every time: four attempts, a note before each retry, then a final error that
    // says how many attempts in how long.
    for _ in 0..4 {
        ctx.github
            .fail_next("/repos/acme/tool", Fault::Delay(Duration::from_secs(3)));
    }
    let started = Instant::now();
    let run = ctx.run_env(
        &["resolve", "acme/tool@1.0.0", "--platform", LINUX],
        &[("TOOLGET_HTTP_TIMEOUT", "1s")],
    );
    assert_ne!(run.code, 0);
    for n in 2..=4 {
        let note = format!("no answer from 127.0.0.1; retrying ({n}/4)");
        assert!(run.stderr.contains(&note), "{note}: {}", run.stderr);
    }
    assert!(
        run.stderr.contains("failed after 4 attempts in"),
        "{}",
        run.stderr
    );
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[test]
fn digests_in_every_spelling_are_checked() {
    let bytes = tool_archive();
    let sha256 = archive::sha256_hex(&bytes);
    let sha512 = hex(&Sha512::digest(&bytes));
    let verified = |digest: String| {
        let ctx = TestContext::new();
        ctx.github.add_release(
            "acme/tool",
            release_with(FakeAsset::new(ASSET, bytes.clone()).wrong_digest(digest.clone())),
        );
        let run = ctx.run(&[
            "install",
            "acme/tool@1.0.0",
            "--platform",
            LINUX,
            "--json",
            "--require-verified",
        ]);
        (ctx, run)
    };
    for digest in [
        format!("SHA256:{}", sha256.to_uppercase()),
        format!("  sha256:{sha256} "),
        format!("sha512:{sha512}"),
        format!("Sha512:{}", sha512.to_uppercase()),
    ] {
        let (_ctx, run) = verified(digest.clone());
        assert_eq!(run.code, 0, "{digest}: {}", run.stderr);
        assert_eq!(run.json_lines()[0]["verified"], "github_digest", "{digest}");
        assert!(
            !run.stderr.contains("publishes no digest"),
            "{}",
            run.stderr
        );
    }
    // A wrong sha512 fails verification (exit 6), nothing installed.
    let mut wrong = sha512.into_bytes();
    wrong[0] = if wrong[0] == b'0' { b'1' } else { b'0' };
    let (ctx, run) = verified(format!("sha512:{}", String::from_utf8(wrong).unwrap()));
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(run.stderr.contains("checksum mismatch"), "{}", run.stderr);
    nothing_kept(&ctx);
}

#[test]
fn an_unknown_digest_algorithm_is_named_and_the_checksum_file_used() {
    let ctx = TestContext::new();
    let bytes = tool_archive();
    let sums = format!("{}  {ASSET}\n", archive::sha256_hex(&bytes));
    ctx.github.add_release(
        "acme/tool",
        FakeRelease::new("v1.0.0")
            .asset(FakeAsset::new(ASSET, bytes).wrong_digest(format!("blake3:{}", "ab".repeat(32))))
            .asset(FakeAsset::new("checksums.txt", sums).no_digest()),
    );
    let run = ctx
        .run(&["install", "acme/tool@1.0.0", "--platform", LINUX, "--json"])
        .success();
    assert!(
        run.stderr
            .contains("uses `blake3`, an algorithm toolget cannot check"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("publishes no digest"),
        "{}",
        run.stderr
    );
    assert_eq!(run.json_lines()[0]["verified"], "checksum_file");
    assert!(
        ctx.github
            .requests()
            .iter()
            .any(|r| r.endpoint == Endpoint::Download && r.path.ends_with("checksums.txt"))
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
