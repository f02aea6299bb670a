//! The `Link` header's `rel="next"` target (pagination): never panics, and what it returns
//! came from inside `<…>` in the header.
#![no_main]
use libfuzzer_sys::fuzz_target;
use toolget::fuzz_support::next_link;

fuzz_target!(|input: &str| {
    if let Some(url) = next_link(input) {
        assert!(
            input.contains(&format!("<{url}>")),
            "{url:?} from {input:?}"
        );
    }
});
