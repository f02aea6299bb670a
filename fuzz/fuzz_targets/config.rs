//! A project's `toolget.toml` and a mise config's `[tools]` (a cloned repository's files).
#![no_main]
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use toolget::config::{Config, parse_mise};

fuzz_target!(|input: &str| {
    let _ = Config::parse(input, Path::new("toolget.toml"));
    let _ = parse_mise(input, Path::new("mise.toml"));
});
