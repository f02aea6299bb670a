//! GitHub's release-list JSON, as the client reads a page of `/releases`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use toolget::fuzz_support::releases_from_json;

fuzz_target!(|input: &str| {
    if let Ok(releases) = releases_from_json(input) {
        for release in &releases {
            // The client drops assets it could neither choose nor fetch.
            assert!(release.assets.iter().all(|a| !a.name.is_empty()));
        }
    }
});
