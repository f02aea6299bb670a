//! `ToolSpec::parse`: never panics; what it prints parses back to the same spec.
#![no_main]
use libfuzzer_sys::fuzz_target;
use toolget::spec::ToolSpec;

fuzz_target!(|input: &str| {
    if let Ok(spec) = ToolSpec::parse(input) {
        let printed = spec.to_string();
        let again = ToolSpec::parse(&printed)
            .unwrap_or_else(|e| panic!("{input:?} printed as {printed:?}, which fails: {e}"));
        assert_eq!(again.to_string(), printed, "from {input:?}");
    }
});
