//! How the type checker obtains imported packages: the `Importer` trait. The workspace layer
//! implements it (GOROOT, vendor, go.work modules, the module cache, the embedded models of
//! the standard library), so that this crate stays free of IO.

use racelens_syntax::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An imported package's source, parsed.
#[derive(Debug, Default)]
pub struct SourcePackage {
    /// The import path: `sync`, `golang.org/x/sync/errgroup`, `example.com/m/internal/x`.
    pub path: String,
    /// The package's files for the target (build constraints applied, no `_test.go` files).
    /// The type checker reads only their declarations; bodies may be absent. Shared, so that
    /// a package checked with its test files holds the same trees its importers see.
    pub files: Vec<Arc<File>>,
}

impl SourcePackage {
    /// Package `path` made of `files`.
    pub fn new(path: impl Into<String>, files: impl IntoIterator<Item = File>) -> SourcePackage {
        SourcePackage {
            path: path.into(),
            files: files.into_iter().map(Arc::new).collect(),
        }
    }
}

/// A source of imported packages.
pub trait Importer: Sync {
    /// The package with import path `path`, as imported from a file in directory `from_dir`
    /// (vendor directories and module boundaries depend on it); `None` when its source is not
    /// available, in which case everything it declares is `Unknown` to the type checker.
    fn import(&self, path: &str, from_dir: &Path) -> Option<Arc<SourcePackage>>;

    /// Whether `import(path, from_dir)` gives `src` itself: then a package checked from
    /// `src` is resolved once and shared with its importers (see `PackageCache::for_check`).
    /// Importers over the very packages being checked answer it; the default says no, so
    /// that checking a package never makes an importer read it from disk.
    fn serves(&self, path: &str, from_dir: &Path, src: &Arc<SourcePackage>) -> bool {
        let _ = (path, from_dir, src);
        false
    }

    /// Like `import`, but a package directory the import resolves to for which `parsed`
    /// has a package is served that package instead of being read: the workspace run
    /// parses each of its packages once and hands them to the type checker this way, while
    /// the importer keeps deciding which directory an import path means. The default
    /// ignores `parsed` (an importer that does not resolve to directories).
    fn import_parsed(
        &self,
        path: &str,
        from_dir: &Path,
        parsed: ParsedDirs<'_>,
    ) -> Option<Arc<SourcePackage>> {
        let _ = parsed;
        self.import(path, from_dir)
    }

    /// The name of the package `import(path, from_dir)` gives (its first file's
    /// `File::package_name`), for a resolver that needs only the name: an importer that
    /// reads packages from disk can answer it without parsing the package, which the type
    /// checker may never ask for. The default is `package_name_parsed` with nothing parsed.
    fn package_name(&self, path: &str, from_dir: &Path) -> Option<String> {
        self.package_name_parsed(path, from_dir, &|_| None)
    }

    /// `package_name`, as `import_parsed` would give the package. The default imports it.
    fn package_name_parsed(
        &self,
        path: &str,
        from_dir: &Path,
        parsed: ParsedDirs<'_>,
    ) -> Option<String> {
        first_file_name(self.import_parsed(path, from_dir, parsed))
    }

    /// A directory that stands for `from_dir` in resolution: two directories given the same
    /// `Some` get the same answers from `import`, and from `import_parsed` with the same
    /// `parsed`, for every import path, so that an importer in front of this one may ask
    /// once for both (a module's directories, where vendor directories and GOPATH do not
    /// come into play). The default, `None`, claims nothing: the answers may depend on the
    /// directory itself.
    fn import_scope(&self, from_dir: &Path) -> Option<PathBuf> {
        let _ = from_dir;
        None
    }
}

/// The package name of the first file of `pkg`, if any.
pub fn first_file_name(pkg: Option<Arc<SourcePackage>>) -> Option<String> {
    pkg?.files.first().map(|f| f.package_name().to_string())
}

/// Packages already parsed, by directory (see `Importer::import_parsed`).
pub type ParsedDirs<'a> = &'a dyn Fn(&Path) -> Option<Arc<SourcePackage>>;

/// An importer that knows no package: every import is `Unknown`.
pub struct NoImports;

impl Importer for NoImports {
    fn import(&self, _path: &str, _from_dir: &Path) -> Option<Arc<SourcePackage>> {
        None
    }
}
