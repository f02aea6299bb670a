//! How a fixture writes the expected pick for one platform. Shared by the real-release tables
//! (tests/fixtures/releases) and the registry tables (tests/fixtures/registry).

use serde::Deserialize;

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
