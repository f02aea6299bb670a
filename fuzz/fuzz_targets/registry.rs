//! A registry entry (`registry/*.toml`, or a file in `TOOLGET_REGISTRY_PATH`) and its platform
//! patterns.
#![no_main]
use libfuzzer_sys::fuzz_target;
use toolget::registry::{Entry, Origin, PlatformPattern};

fuzz_target!(|input: &str| {
    let _ = Entry::parse(input, Origin::Embedded("fuzz.toml"));
    let _ = PlatformPattern::parse(input);
});
