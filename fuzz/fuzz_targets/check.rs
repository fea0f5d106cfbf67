//! Fuzz target: every check, with the type checker and the concurrency model, on any parsed
//! bytes never panics. Imports come from the embedded models of the standard library, so
//! that `sync`, `sync/atomic`, `net/http` and friends have types.
#![no_main]

use libfuzzer_sys::fuzz_target;
use racelens_checks::{FileCx, PackageCx, REGISTRY};
use racelens_semantic::import::{Importer, SourcePackage};
use racelens_semantic::types::{Loaded, PackageCache, Program};
use std::path::Path;
use std::sync::Arc;

struct Models;

impl Importer for Models {
    fn import(&self, path: &str, _from: &Path) -> Option<Arc<SourcePackage>> {
        thread_local! {
            static CACHE: std::cell::RefCell<std::collections::HashMap<String, Option<Arc<SourcePackage>>>> =
                Default::default();
        }
        CACHE.with(|c| {
            c.borrow_mut()
                .entry(path.to_string())
                .or_insert_with(|| racelens_semantic::stdmodels::package(path).map(Arc::new))
                .clone()
        })
    }
}

fuzz_target!(|data: &[u8]| {
    let (file, errors) = racelens_syntax::parse(data);
    let lines = std::sync::OnceLock::new();
    let src = Arc::new(SourcePackage::new("example.com/fuzz", [file]));
    let dir = Path::new("/nonexistent");
    let loaded = Arc::new(Loaded::new("example.com/fuzz", src.clone(), &Models, dir));
    let cache = PackageCache::new();
    let prog = Program::new(&Models, &cache);
    let files = [FileCx {
        path: "fuzz.go",
        ast: &src.files[0],
        lines: &lines,
        go_version: racelens_syntax::GoVersion::new(1, 21),
        clean: errors.is_empty(),
    }];
    let cx = PackageCx::with_types(&files, || loaded.clone(), prog, dir);
    let all: Vec<_> = REGISTRY.to_vec();
    let _ = racelens_checks::run_checks(&cx, &all);
});
