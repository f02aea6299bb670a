//! mozilla/sccache v0.14.0's release as its workflow names it: every build has a `.sha256`
//! sibling, Windows builds come as .tar.gz and .zip, and `sccache-dist` sits next to
//! `sccache` with the same platform words.

/// The builds (without their `.sha256` siblings), in API (alphabetical) order.
pub const BUILDS: [&str; 13] = [
    "sccache-dist-v0.14.0-x86_64-unknown-linux-musl.tar.gz",
    "sccache-v0.14.0-aarch64-apple-darwin.tar.gz",
    "sccache-v0.14.0-aarch64-pc-windows-msvc.tar.gz",
    "sccache-v0.14.0-aarch64-pc-windows-msvc.zip",
    "sccache-v0.14.0-aarch64-unknown-linux-musl.tar.gz",
    "sccache-v0.14.0-armv7-unknown-linux-musleabi.tar.gz",
    "sccache-v0.14.0-i686-unknown-linux-musl.tar.gz",
    "sccache-v0.14.0-riscv64gc-unknown-linux-musl.tar.gz",
    "sccache-v0.14.0-s390x-unknown-linux-musl.tar.gz",
    "sccache-v0.14.0-x86_64-apple-darwin.tar.gz",
    "sccache-v0.14.0-x86_64-pc-windows-msvc.tar.gz",
    "sccache-v0.14.0-x86_64-pc-windows-msvc.zip",
    "sccache-v0.14.0-x86_64-unknown-linux-musl.tar.gz",
];

/// Every asset name: each build followed by its `.sha256`.
pub fn asset_names() -> Vec<String> {
    BUILDS
        .iter()
        .flat_map(|b| [b.to_string(), format!("{b}.sha256")])
        .collect()
}
