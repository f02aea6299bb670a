//! `toolget.lock`: parse, render, parse again: the second render equals the first.
#![no_main]
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use toolget::lockfile::Lockfile;

fuzz_target!(|input: &str| {
    let path = Path::new("toolget.lock");
    if let Ok(lock) = Lockfile::parse(input, path) {
        let rendered = lock.render();
        let again = Lockfile::parse(&rendered, path)
            .unwrap_or_else(|e| panic!("rendered lockfile fails to parse: {e}\n{rendered}"));
        assert_eq!(again.render(), rendered);
    }
});
