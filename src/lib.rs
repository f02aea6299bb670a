//! toolget: install command-line binaries from GitHub releases — the right asset, verified,
//! atomically, under one identity per tool.
//!
//! The modules follow the data as it flows:
//!
//! ```text
//! spec       "github:mozilla/sccache[exe=sccache]@0.14"  -> ToolSpec          (pure)
//! platform   host detection + override -> Platform, ordered fallbacks         (reads fs, no network)
//! registry   curated definitions (registry/*.toml, embedded) -> Entry         (pure)
//! resolver   ToolSpec + Platform + Release -> Selection | Rejections          (pure, no I/O)
//! github     release source over HTTP: releases, tags, pagination, token, rate limits
//! download   streaming fetch with retries, hashing while streaming, cache
//! verify     digests, checksum files, lockfile pins
//! provenance who built it: attestations, Sigstore bundles, minisign; identity; offline roots
//! extract    archives -> staging dir; path guards; find the executable
//! store      layout on disk, locks, receipts, atomic rename, bin links
//! audit      `toolget verify`: installed files and kept provenance against the receipt
//! installer  orchestration: plan -> fetch -> verify -> provenance -> extract -> commit; Reporter
//! cli        (in the binary) clap args, output, progress bars, error rendering, exit codes
//! ```
//!
//! Beside the pipeline: [`config`] reads a project's `toolget.toml` (and a mise config's
//! `[tools]`), and [`lockfile`] reads and writes `toolget.lock`, whose entries become installer
//! plans that need no GitHub API request.
//!
//! Shared vocabulary lives in [`release`] (what a GitHub release offers) and [`settings`]
//! (the environment, read once at the edge and passed down); [`error`] holds the one
//! vocabulary of failure (`ErrorKind`, `Diagnostic`) every module's error speaks; [`project`]
//! decides what a project's toolget.toml and toolget.lock mean for `install` and `lock`.
//!
//! Dependencies point downhill: a module imports only modules before it in this order
//! (tests/it/architecture.rs holds it; `registry` comes after `resolver` because
//! `registry check` resolves real releases, `tool` after `store` for the tool identity;
//! `fuzz_support`, hidden, only re-exports parsers for the fuzz/ crate and sits on top):
//!
//! layers: error settings text jobs release facts mirror version spec platform resolver registry http github lookup download cas verify provenance extract store audit tool installer config lockfile project `fuzz_support`

pub mod audit;
pub mod cas;
pub mod config;
pub mod download;
pub mod error;
pub mod extract;
pub mod facts;
#[doc(hidden)]
pub mod fuzz_support;
pub mod github;
pub mod http;
pub mod installer;
pub mod jobs;
pub mod lockfile;
pub mod lookup;
pub mod mirror;
pub mod platform;
pub mod project;
pub mod provenance;
pub mod registry;
pub mod release;
pub mod resolver;
pub mod settings;
pub mod spec;
pub mod store;
pub mod text;
pub mod tool;
pub mod verify;
pub mod version;
