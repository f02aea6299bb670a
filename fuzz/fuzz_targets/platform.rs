//! `Platform` from `--platform`/`TOOLGET_PLATFORM` text: round trips through `Display`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use toolget::platform::Platform;

fuzz_target!(|input: &str| {
    if let Ok(platform) = input.parse::<Platform>() {
        let printed = platform.to_string();
        let again: Platform = printed
            .parse()
            .unwrap_or_else(|e| panic!("{input:?} printed as {printed:?}, which fails: {e}"));
        assert_eq!(again, platform, "from {input:?}");
    }
});
