//! Entry points for the fuzz targets in `fuzz/` (see docs/fuzzing.md): parsers of untrusted
//! input that are private to their modules, exposed here without widening those modules'
//! API. Hidden from the docs; not for other callers, and not covered by semver.

use crate::release::Release;

/// Releases from a body of GitHub's release-list JSON, exactly as the GitHub client reads a
/// page of `/releases`.
pub fn releases_from_json(body: &str) -> Result<Vec<Release>, serde_json::Error> {
    crate::github::releases_from_json(body)
}

/// The `rel="next"` URL of a `Link` header value, as the GitHub client follows pagination.
pub fn next_link(link: &str) -> Option<String> {
    crate::github::next_link_in(link)
}
