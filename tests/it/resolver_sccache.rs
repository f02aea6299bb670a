//! mozilla/sccache v0.14.0, the release that motivates the name rule: every build has a
//! `.sha256` sibling, Windows builds come as .tar.gz and .zip (Windows takes the .zip), and `sccache-dist` (the
//! distributed-compilation server) sits next to `sccache` with the same platform words.

#![allow(clippy::unwrap_used)]

use toolget::error::Diagnostic;
use toolget::platform::{NINE, Platform};
use toolget::release::Asset;
use toolget::resolver::{Criteria, Reason, Selection, select};

/// The release's asset names as sccache's release workflow spells them (shared with the CLI
/// tests).
fn release() -> Vec<Asset> {
    crate::support::sccache::asset_names()
        .into_iter()
        .map(Asset::named)
        .collect()
}

fn pick(platform: &Platform) -> (String, Selection) {
    let assets = release();
    let sel = select(&assets, platform, &Criteria::new("sccache"))
        .unwrap_or_else(|e| panic!("{platform}: {e}"));
    (assets[sel.index].name.clone(), sel)
}

#[test]
fn each_of_the_nine_platforms_gets_the_right_build() {
    let expected = [
        "sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz",
        "sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz",
        "sccache-v0.14.0-aarch64-unknown-linux-musl.tar.gz",
        "sccache-v0.14.0-aarch64-unknown-linux-musl.tar.gz",
        "sccache-v0.14.0-armv7-unknown-linux-musleabi.tar.gz",
        "sccache-v0.14.0-x86_64-apple-darwin.tar.gz",
        "sccache-v0.14.0-aarch64-apple-darwin.tar.gz",
        "sccache-v0.14.0-x86_64-pc-windows-msvc.zip",
        "sccache-v0.14.0-aarch64-pc-windows-msvc.zip",
    ];
    for (platform, want) in NINE.iter().zip(expected) {
        let (got, sel) = pick(platform);
        assert_eq!(got, want, "on {platform}");
        assert_eq!(sel.emulation, None, "on {platform}");
    }
}

#[test]
fn sccache_dist_is_rejected_for_its_extra_word_on_every_platform() {
    for platform in NINE {
        let (_, sel) = pick(&platform);
        let dist = &sel.verdicts[0];
        assert_eq!(
            dist.asset,
            "sccache-dist-v0.14.0-x86_64-unknown-linux-musl.tar.gz"
        );
        assert!(!dist.accepted);
        assert_eq!(dist.kind(), "extra_words", "on {platform}");
        assert_eq!(
            dist.reason,
            Reason::ExtraWords {
                name: "sccache-dist".into(),
                extra: "dist".into(),
                wanted: "sccache".into()
            },
            "on {platform}"
        );
    }
}

#[test]
fn every_asset_gets_one_verdict_and_only_the_winner_is_accepted() {
    let assets = release();
    for platform in NINE {
        let (got, sel) = pick(&platform);
        assert_eq!(sel.verdicts.len(), assets.len());
        for (v, a) in sel.verdicts.iter().zip(&assets) {
            assert_eq!(v.asset, a.name);
            assert_eq!(v.accepted, v.asset == got, "{}: {}", v.asset, v.reason);
            if v.asset.ends_with(".sha256") {
                assert_eq!(v.kind(), "checksum");
            }
        }
        let winner = &sel.verdicts[sel.index];
        assert_eq!(winner.kind(), "chosen", "{}", winner.reason);
    }
}

#[test]
fn verdicts_explain_platform_rejections() {
    let (_, sel) = pick(&NINE[0]); // linux-x86_64-gnu
    let kind = |name: &str| {
        sel.verdicts
            .iter()
            .find(|v| v.asset == name)
            .map(|v| v.kind())
            .unwrap()
    };
    assert_eq!(
        kind("sccache-v0.14.0-aarch64-apple-darwin.tar.gz"),
        "other_os"
    );
    assert_eq!(
        kind("sccache-v0.14.0-aarch64-unknown-linux-musl.tar.gz"),
        "other_arch"
    );
    assert_eq!(
        kind("sccache-v0.14.0-i686-unknown-linux-musl.tar.gz"),
        "32_bit_on_64_bit"
    );
    // Only a musl build exists: it is the best on a glibc host, and the verdict says so.
    let winner = &sel.verdicts[sel.index];
    assert_eq!(
        winner.asset,
        "sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz"
    );
    assert!(matches!(
        &winner.reason,
        Reason::Chosen { fallback: true, .. }
    ));
}

#[test]
fn windows_takes_the_zip_of_the_build_offered_twice_and_says_why() {
    let (_, sel) = pick(&NINE[7]); // windows-x86_64
    let tar = sel
        .verdicts
        .iter()
        .find(|v| v.asset == "sccache-v0.14.0-x86_64-pc-windows-msvc.tar.gz")
        .unwrap();
    assert_eq!(
        tar.reason,
        Reason::Packaging {
            format: ".tar.gz",
            winner: "sccache-v0.14.0-x86_64-pc-windows-msvc.zip".into(),
            winner_format: ".zip"
        }
    );
    assert_eq!(sel.verdicts[sel.index].kind(), "chosen");
}

#[test]
fn asking_for_sccache_dist_picks_it_where_it_exists_and_says_where_it_does_not() {
    let assets = release();
    let criteria = Criteria::new("sccache").exe("sccache-dist");
    let sel = select(&assets, &NINE[1], &criteria).unwrap();
    assert_eq!(
        assets[sel.index].name,
        "sccache-dist-v0.14.0-x86_64-unknown-linux-musl.tar.gz"
    );
    let err = select(&assets, &NINE[6], &criteria).unwrap_err();
    assert_eq!(err.kind().as_str(), "no_match");
    assert_eq!(
        err.to_string(),
        "no asset of this release fits macos-aarch64 (it offers linux-x86_64-musl)"
    );
}
