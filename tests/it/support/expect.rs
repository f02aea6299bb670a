//! How a fixture writes the expected pick for one platform, and the real-release fixture
//! format (tests/fixtures/releases/*.toml, tests/fixtures/corpus/**/*.toml). Shared by the
//! real-release tables, the registry tables (which reuse those releases) and the real-release
//! corpus (tests/it/real_corpus.rs), whose files add `source` and `[expect_no_exe]`.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One real release with its expected picks: a file in tests/fixtures/releases.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseFixture {
    pub repo: String,
    pub tag: String,
    pub exe: Option<String>,
    pub matching: Option<String>,
    pub matching_regex: Option<String>,
    pub asset_pattern: Option<String>,
    pub note: String,
    /// Where the asset list was read (repository + path + commit, or a page address).
    /// Required in the corpus (tests/fixtures/corpus), absent from tests/fixtures/releases.
    pub source: Option<String>,
    pub assets: Vec<String>,
    /// The expected outcome with `exe` as written (or the repository name when absent).
    pub expect: BTreeMap<String, Expect>,
    /// Corpus only: the expected outcome with no binary named (the wanted name is the
    /// repository name), for the platforms where it differs from `[expect]`; a platform not
    /// listed expects what `[expect]` says.
    pub expect_no_exe: Option<BTreeMap<String, Expect>>,
}

/// One platform's expected outcome, as written in a fixture.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Expect {
    /// The one asset to choose, natively.
    Asset(String),
    Detailed(Detailed),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Detailed {
    pub asset: Option<String>,
    /// The same build in several formats: any one of them is right.
    pub any_of: Option<Vec<String>>,
    /// The chosen build runs under emulation (Rosetta, Windows on Arm x64 emulation).
    #[serde(default)]
    pub emulation: bool,
    /// `no_match` or `ambiguous`.
    pub error: Option<String>,
}
