//! Checksum files (`SHA256SUMS`, `<asset>.sha256`, …) as a release publishes them. The input
//! is `asset name \n checksum file name \n body`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use toolget::verify::{expected_from_digest, parse_checksum};

fuzz_target!(|input: &str| {
    let mut parts = input.splitn(3, '\n');
    let asset = parts.next().unwrap_or_default();
    let file = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default();
    let _ = parse_checksum(body, asset, file);
    let _ = expected_from_digest(asset);
});
