//! Go language versions: re-exported from the syntax crate, where checks can use them too.

pub use racelens_syntax::version::*;
