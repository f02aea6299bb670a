//! The resolver over a release's asset list: never panics, and the pick (and, for an
//! ambiguity, the candidate set) does not depend on the order the release lists its assets.
//!
//! Input: byte 0 picks the platform (of `platform::NINE`), byte 1 the options; then text whose
//! first line is the repository name and whose other lines are asset names. The shuffle's
//! seed is derived from the input, so a crash reproduces.
#![no_main]
use libfuzzer_sys::fuzz_target;
use toolget::platform::NINE;
use toolget::release::Asset;
use toolget::resolver::{Criteria, SelectError, select};

/// Also require the ambiguity *hint* to be order-independent (issue 16, finding 2): on since
/// main's resolver sorts the options it offers (issue 8).
const CHECK_HINT: bool = true;

fn asset(name: &str) -> Asset {
    Asset {
        name: name.to_string(),
        size: 0,
        digest: None,
        download_url: format!("https://example.invalid/{name}"),
        api_url: None,
    }
}

/// What must not depend on asset order.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Picked(String),
    NoMatch(Vec<String>),
    Ambiguous(Vec<String>, Option<String>),
}

fn outcome(assets: &[Asset], platform: &toolget::platform::Platform, c: &Criteria) -> Outcome {
    match select(assets, platform, c) {
        Ok(sel) => Outcome::Picked(assets[sel.index].name.clone()),
        Err(SelectError::NoMatch { mut offered, .. }) => {
            offered.sort();
            Outcome::NoMatch(offered)
        }
        Err(SelectError::Ambiguous {
            mut candidates,
            hint,
            ..
        }) => {
            candidates.sort();
            Outcome::Ambiguous(candidates, CHECK_HINT.then_some(hint))
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let platform = NINE[data[0] as usize % NINE.len()];
    let options = data[1];
    let Ok(text) = std::str::from_utf8(&data[2..]) else {
        return;
    };
    let mut lines = text.lines();
    let repo = lines.next().unwrap_or("tool");
    let mut names: Vec<&str> = lines.filter(|l| !l.is_empty()).take(64).collect();
    // Duplicate names make "which one was picked" meaningless: a release cannot have them.
    names.sort_unstable();
    names.dedup();
    let mut criteria = Criteria::new(repo);
    if options & 1 != 0 {
        criteria = criteria.archives_only(true);
    }
    if options & 2 != 0 {
        criteria = criteria.exe(repo.to_ascii_uppercase());
    }
    let sorted: Vec<Asset> = names.iter().map(|n| asset(n)).collect();
    let expected = outcome(&sorted, &platform, &criteria);

    // Fisher-Yates with an xorshift seeded from the input.
    let mut seed = data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    }) | 1;
    let mut shuffled = sorted.clone();
    for i in (1..shuffled.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        shuffled.swap(i, (seed % (i as u64 + 1)) as usize);
    }
    let got = outcome(&shuffled, &platform, &criteria);
    assert_eq!(
        got, expected,
        "platform {platform}, order changed the outcome"
    );
});
