//! The `toolget` command line (placeholder).
fn main() {}
