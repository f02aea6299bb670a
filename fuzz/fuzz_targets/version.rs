//! Version requests and tags: `VersionSpec::parse` round trips through its printer; the
//! lenient tag readers never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use toolget::version::{VersionSpec, candidate_tags, parse_lenient, version_from_tag};

fuzz_target!(|input: &str| {
    if let Ok(spec) = VersionSpec::parse(input) {
        let printed = spec.to_string();
        let again = VersionSpec::parse(&printed)
            .unwrap_or_else(|e| panic!("{input:?} printed as {printed:?}, which fails: {e}"));
        assert_eq!(again.to_string(), printed, "from {input:?}");
    }
    let _ = parse_lenient(input);
    let _ = version_from_tag(input, &["tool", "Tool"]);
    let _ = candidate_tags(input, &["tool"]);
});
