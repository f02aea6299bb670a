//! Issue 8, class 7: curated hints never do worse than the engine. A registry entry whose
//! hints exclude every asset of a release (old versions use other names) falls back to the
//! engine alone with a warning naming the entry, and `toolget registry check` reports it.

use crate::support::TestContext;
use crate::support::fake_github::{FakeAsset, FakeRelease};

#[test]
fn a_stale_registry_hint_falls_back_to_the_engine_with_a_warning_and_check_reports_it() {
    let ctx = TestContext::new();
    // The entry's pattern fits the project's new names; this release uses the old ones.
    ctx.github.add_release(
        "acme/widget",
        FakeRelease::new("v1.0.0").assets(
            [
                "widget-1.0.0-x86_64-unknown-linux-musl.tar.gz",
                "widget-1.0.0-aarch64-apple-darwin.tar.gz",
            ]
            .map(|n| FakeAsset::new(n, "x")),
        ),
    );
    let dir = ctx.dir.path().join("reg");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("widget.toml"),
        "name = \"widget\"\nrepo = \"acme/widget\"\ndescription = \"d\"\n\
         asset_pattern = \"widget_*_Linux_x86_64.tar.gz\"\n",
    )
    .expect("write entry");
    let path = dir.display().to_string();
    let env = [("TOOLGET_REGISTRY_PATH", path.as_str())];

    let run = ctx
        .run_env(
            &["resolve", "widget@1.0.0", "--platform", "linux-x86_64-gnu"],
            &env,
        )
        .success();
    assert!(
        run.stdout
            .contains("asset   widget-1.0.0-x86_64-unknown-linux-musl.tar.gz"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("warning: the registry entry `widget` matches no asset"),
        "{}",
        run.stderr
    );

    let run = ctx
        .run_env(
            &[
                "resolve",
                "widget@1.0.0",
                "--platform",
                "linux-x86_64-gnu",
                "--json",
            ],
            &env,
        )
        .success();
    let line = &run.json_lines()[0];
    assert_eq!(line["warnings"][0]["kind"], "registry_hint_ignored");

    // A filter the user typed is theirs: no fallback.
    let run = ctx.run_env(
        &[
            "resolve",
            "github:acme/widget[asset_pattern=nothing*]@1.0.0",
            "--platform",
            "linux-x86_64-gnu",
        ],
        &env,
    );
    assert_ne!(run.code, 0, "{run:?}");

    let run = ctx.run_env(&["registry", "check", "widget"], &env);
    assert_eq!(run.code, 11, "{run:?}");
    assert!(
        run.stdout.contains("exclude every asset of v1.0.0"),
        "{}",
        run.stdout
    );
}
