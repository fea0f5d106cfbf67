//! A one-file package without types, for tests of what the checks do from syntax alone.

use racelens_checks::{FileCx, PackageCx};
use racelens_syntax::{GoVersion, LineIndex};

/// Parses `src` (which must be free of syntax errors), resolves it as a package of its own
/// and hands `f` the package's check context (without an importer: no types).
pub fn with_package<R>(src: &str, f: impl FnOnce(&PackageCx<'_>) -> R) -> R {
    let (file, errors) = racelens_syntax::parse(src.as_bytes());
    assert!(errors.is_empty(), "{errors:?}");
    let lines = std::sync::OnceLock::from(LineIndex::new(src.as_bytes()));
    let scopes = racelens_semantic::resolve_package(&[&file]);
    let files = [FileCx {
        path: "p.go",
        ast: &file,
        lines: &lines,
        go_version: GoVersion::new(1, 21),
        clean: true,
    }];
    let cx = PackageCx::new(&files, &scopes);
    f(&cx)
}
