//! The selection engine (placeholder: filled in by the resolver work).
