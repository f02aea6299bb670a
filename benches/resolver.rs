//! The selection engine on a 160-asset release across the nine platforms.
//!
//! The release is built the way large Rust/Go projects publish: many targets, a `.sha256`
//! beside every file, Windows builds in two formats, a `-dist` decoy per target, and
//! packages. Criteria and assets are built outside the timed loop.

// A tool for benchmarks, not shipped code: it prints, and pedantry is for src/.
#![allow(
    clippy::pedantic,
    clippy::print_stdout,
    clippy::print_stderr,
    unreachable_pub
)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use toolget::platform::NINE;
use toolget::release::Asset;
use toolget::resolver::{Criteria, select};

fn release() -> Vec<Asset> {
    let targets = [
        "x86_64-unknown-linux-gnu",
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-gnu",
        "aarch64-unknown-linux-musl",
        "armv7-unknown-linux-gnueabihf",
        "armv7-unknown-linux-musleabihf",
        "arm-unknown-linux-gnueabi",
        "i686-unknown-linux-gnu",
        "i686-unknown-linux-musl",
        "riscv64gc-unknown-linux-gnu",
        "s390x-unknown-linux-gnu",
        "powerpc64le-unknown-linux-gnu",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
        "aarch64-pc-windows-msvc",
        "i686-pc-windows-msvc",
        "x86_64-unknown-freebsd",
        "x86_64-unknown-netbsd",
        "x86_64-unknown-illumos",
    ];
    let mut names = Vec::new();
    for t in targets {
        let ext = if t.contains("windows") {
            "zip"
        } else {
            "tar.gz"
        };
        for tool in ["tool", "tool-dist"] {
            let build = format!("{tool}-v1.2.3-{t}.{ext}");
            names.push(format!("{build}.sha256"));
            if tool == "tool" {
                names.push(format!("{build}.sig"));
            }
            names.push(build);
        }
        let alt = format!("tool-v1.2.3-{t}.tar.xz");
        names.push(format!("{alt}.sha256"));
        names.push(alt);
    }
    for arch in [
        "amd64", "arm64", "armhf", "i386", "riscv64", "s390x", "ppc64el",
    ] {
        names.push(format!("tool_1.2.3_{arch}.deb"));
        names.push(format!("tool-1.2.3-1.{arch}.rpm"));
    }
    names.extend(
        [
            "tool-v1.2.3-src.tar.gz",
            "checksums.txt",
            "checksums.txt.sig",
            "tool.spdx.json",
            "tool-installer.sh",
            "tool-v1.2.3-x86_64-apple-darwin.dmg",
        ]
        .map(String::from),
    );
    names.into_iter().map(Asset::named).collect()
}

fn nine_platforms(c: &mut Criterion) {
    let assets = release();
    assert_eq!(assets.len(), 160);
    let criteria = Criteria::new("tool");
    c.bench_function("select 160 assets x 9 platforms", |b| {
        b.iter(|| {
            for platform in &NINE {
                let selection = select(black_box(&assets), platform, &criteria);
                black_box(selection.is_ok());
            }
        })
    });
}

criterion_group!(benches, nine_platforms);
criterion_main!(benches);
