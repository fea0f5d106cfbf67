//! Renders racelens diagnostics for people and machines: go vet style text, a stable JSON
//! schema, SARIF 2.1.0 for code scanning, and GitHub Actions workflow annotations.
//!
//! Every renderer is a pure function from diagnostics (and, where columns or code frames need
//! it, the files' source text) to a `String`. None touches the terminal or the disk: the
//! caller passes source text through [`Sources`] and decides, for instance, whether stdout is
//! a terminal that wants code frames. Every renderer sorts its input first, so the output is
//! the same whatever order the diagnostics arrive in.

pub mod github;
pub mod json;
pub mod sarif;
mod source;
pub mod text;

pub use source::{utf16_column, NoSources, Sources};

use racelens_diagnostics::Diagnostic;

/// References to the diagnostics in their canonical order (see `Diagnostic`'s `Ord`).
fn sorted(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut v: Vec<&Diagnostic> = diagnostics.iter().collect();
    v.sort();
    v
}
