//! Where the GitHub token goes (issue 9, item 1). Two loopback hosts: the API the environment
//! names (`TOOLGET_GITHUB_API_URL`, on 127.0.0.1) and a second one on 127.0.0.2 that a
//! project file, a spec or a mise.toml points `api_url` at. The second host must never see an
//! `Authorization` header unless the environment allows it: `TOOLGET_TOKEN_HOSTS`,
//! `TOOLGET_TOKEN_<HOST>` or `~/.netrc`.

use crate::lockfile::{LINUX, multi_release, write_config};
use crate::support::TestContext;
use crate::support::fake_github::{Endpoint, FakeGithub};

const TOKEN: &str = "ghp_environment_secret";

/// A context whose second host (127.0.0.2) serves `acme/tool` 1.0.0; the first serves
/// nothing, so every request that matters goes to the second.
fn two_hosts() -> Option<(TestContext, FakeGithub)> {
    // 127.0.0.2 is loopback on Linux; elsewhere the test has nothing to run against.
    if std::net::TcpListener::bind("127.0.0.2:0").is_err() {
        eprintln!("SKIPPED: 127.0.0.2 is not a loopback address here");
        return None;
    }
    let ctx = TestContext::new();
    let second = FakeGithub::start_on("127.0.0.2");
    let (release, _) = multi_release("tool", "1.0.0", true);
    second.add_release("acme/tool", release);
    Some((ctx, second))
}

/// The `Authorization` headers the second host received, and that it was asked at all.
fn second_host_auth(second: &FakeGithub) -> Vec<Option<String>> {
    let requests = second.requests();
    assert!(
        requests.iter().any(|r| r.endpoint == Endpoint::Api),
        "the second host was never asked: {requests:?}"
    );
    requests
        .iter()
        .filter(|r| r.endpoint == Endpoint::Api)
        .map(|r| r.authorization.clone())
        .collect()
}

fn spec_for(second: &FakeGithub) -> String {
    format!("acme/tool[api_url={}]@1.0.0", second.api_url())
}

#[test]
fn a_spec_api_url_gets_no_token_and_the_user_is_told_once() {
    let Some((ctx, second)) = two_hosts() else {
        return;
    };
    let spec = spec_for(&second);
    let run = ctx
        .run_env(
            &["install", &spec, "--platform", LINUX],
            &[("GITHUB_TOKEN", TOKEN)],
        )
        .success();
    assert!(second_host_auth(&second).iter().all(Option::is_none));
    // The download host of the second server never sees it either.
    assert!(second.requests().iter().all(|r| r.authorization.is_none()));
    let told: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("not sending GITHUB_TOKEN"))
        .collect();
    assert_eq!(told.len(), 1, "said once: {}", run.stderr);
    assert!(
        told[0].contains("TOOLGET_TOKEN_HOSTS=127.0.0.2")
            && told[0].contains("TOOLGET_TOKEN_127_0_0_2"),
        "{}",
        told[0]
    );
    assert!(!run.stderr.contains(TOKEN) && !run.stdout.contains(TOKEN));
    // `resolve` and `versions` build their own clients: the same rule holds.
    for args in [
        vec!["resolve", spec.as_str(), "--platform", LINUX],
        vec!["versions", spec.as_str()],
    ] {
        second.clear_requests();
        let run = ctx.run_env(&args, &[("GITHUB_TOKEN", TOKEN)]).success();
        assert!(
            second_host_auth(&second).iter().all(Option::is_none),
            "{args:?}"
        );
        assert!(
            run.stderr.contains("TOOLGET_TOKEN_HOSTS"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_toolget_toml_api_url_gets_no_token_unless_the_host_is_allowed() {
    let Some((ctx, second)) = two_hosts() else {
        return;
    };
    write_config(
        ctx.dir.path(),
        &format!(
            "[tools]\n\"acme/tool\" = {{ version = \"1.0.0\", api_url = \"{}\" }}\n",
            second.api_url()
        ),
    );
    let run = ctx
        .run_env(&["install", "--platform", LINUX], &[("GH_TOKEN", TOKEN)])
        .success();
    assert!(second_host_auth(&second).iter().all(Option::is_none));
    assert!(
        run.stderr.contains("TOOLGET_TOKEN_HOSTS=127.0.0.2"),
        "{}",
        run.stderr
    );

    // Allowed by the environment: the token goes there.
    second.clear_requests();
    ctx.run_env(
        &["install", "--platform", LINUX, "--force"],
        &[
            ("GH_TOKEN", TOKEN),
            ("TOOLGET_TOKEN_HOSTS", "ghe.example.com, 127.0.0.2"),
        ],
    )
    .success();
    let auth = second_host_auth(&second);
    assert!(
        auth.iter()
            .all(|a| a.as_deref() == Some(&format!("Bearer {TOKEN}"))),
        "{auth:?}"
    );
    // The redirect to the download host still drops it.
    assert!(
        second
            .requests()
            .iter()
            .filter(|r| r.endpoint == Endpoint::Download)
            .all(|r| r.authorization.is_none())
    );
}

#[test]
fn a_mise_toml_api_url_gets_only_its_own_host_token() {
    let Some((ctx, second)) = two_hosts() else {
        return;
    };
    let mise = ctx.dir.path().join("mise.toml");
    std::fs::write(
        &mise,
        format!(
            "[tools]\n\"github:acme/tool[api_url={}]\" = \"1.0.0\"\n",
            second.api_url()
        ),
    )
    .unwrap();
    let from = [
        "install",
        "--from",
        mise.to_str().unwrap(),
        "--platform",
        LINUX,
    ];
    ctx.run_env(&from, &[("GITHUB_TOKEN", TOKEN)]).success();
    assert!(second_host_auth(&second).iter().all(Option::is_none));

    // A per-host token: that token, never the environment's.
    second.clear_requests();
    let mut forced = from.to_vec();
    forced.push("--force");
    let run = ctx
        .run_env(
            &forced,
            &[
                ("GITHUB_TOKEN", TOKEN),
                ("TOOLGET_TOKEN_127_0_0_2", "host_only_token"),
            ],
        )
        .success();
    let auth = second_host_auth(&second);
    assert!(
        auth.iter()
            .all(|a| a.as_deref() == Some("Bearer host_only_token")),
        "{auth:?}"
    );
    assert!(!run.stderr.contains("not sending"), "{}", run.stderr);
}

#[test]
fn a_netrc_entry_for_the_host_supplies_its_token() {
    let Some((ctx, second)) = two_hosts() else {
        return;
    };
    // HOME is the test directory (TestContext::command).
    std::fs::write(
        ctx.dir.path().join(".netrc"),
        "machine example.org login x password other\n\
         machine 127.0.0.2 login me password netrc_token\n",
    )
    .unwrap();
    let spec = spec_for(&second);
    ctx.run_env(
        &["install", &spec, "--platform", LINUX],
        &[("GITHUB_TOKEN", TOKEN)],
    )
    .success();
    let auth = second_host_auth(&second);
    assert!(
        auth.iter()
            .all(|a| a.as_deref() == Some("Bearer netrc_token")),
        "{auth:?}"
    );
}

#[test]
fn the_environment_api_keeps_its_token_and_credentials_in_urls_are_never_printed() {
    let ctx = TestContext::new();
    let (release, _) = multi_release("tool", "1.0.0", true);
    ctx.github.add_release("acme/tool", release);
    ctx.run_env(
        &["install", "acme/tool@1.0.0", "--platform", LINUX],
        &[("GITHUB_TOKEN", TOKEN)],
    )
    .success();
    let api: Vec<_> = ctx
        .github
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == Endpoint::Api)
        .collect();
    assert!(!api.is_empty());
    assert!(
        api.iter()
            .all(|r| r.authorization.as_deref() == Some(&format!("Bearer {TOKEN}")))
    );

    // An api_url with credentials in it, to a host that does not answer: the error names
    // the host but never the password.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = dead.local_addr().unwrap().port();
    drop(dead);
    let spec = format!("acme/tool[api_url=http://user:hunter2@127.0.0.1:{port}]@1.0.0");
    let run = ctx.run(&["resolve", &spec, "--platform", LINUX]);
    assert_ne!(run.code, 0);
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("***@127.0.0.1:{port}")),
        "{}",
        run.stderr
    );
    // In --json the error's message is redacted too (the `spec` field echoes what the user
    // typed).
    let run = ctx.run(&["resolve", &spec, "--platform", LINUX, "--json"]);
    let line = &run.json_lines()[0];
    let error = line["error"].to_string();
    assert!(!error.contains("hunter2"), "{error}");
}
