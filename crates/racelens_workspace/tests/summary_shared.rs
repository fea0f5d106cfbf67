//! A package's summary for its importers is the same whether it is computed from the
//! package's non-test files alone (the summary store's own computation) or from the check
//! of the package with its in-package test files, modelling only the non-test files (what
//! the package's own check provides to the store). Which of the two a run uses depends on
//! which thread gets there first, so they must agree for the output not to depend on the
//! number of threads. Compared on every package of the Go standard library that has
//! in-package tests.

use racelens_model::summary::{summarize, PackageSummary, SumLoc};
use racelens_semantic::import::SourcePackage;
use racelens_semantic::types::{Loaded, PackageCache, Program};
use racelens_syntax::LineIndex;
use racelens_workspace::load::{Loader, LoaderOptions};
use racelens_workspace::{discover, DiscoverOptions};
use std::path::Path;
use std::sync::Arc;

const GOROOT_SRC: &str = "/usr/lib/go-1.19/src";

/// The summary of `files` (parsed sources with their names), modelling those `keep`
/// accepts.
fn summary_of(
    loader: &Loader,
    cache: &PackageCache,
    path: &str,
    dir: &Path,
    files: &[(String, racelens_syntax::File)],
    keep: &dyn Fn(usize) -> bool,
) -> PackageSummary {
    let src = Arc::new(SourcePackage {
        path: path.to_string(),
        files: files.iter().map(|(_, f)| f.clone()).collect(),
    });
    let mut prog = Program::new(loader, cache);
    let loaded = Arc::new(Loaded::new(path, src, loader, dir));
    let pkg = prog.check_loaded(loaded, dir);
    let model = racelens_model::build_part(&mut prog, pkg, keep);
    let lines: Vec<LineIndex> = files
        .iter()
        .map(|(_, f)| LineIndex::new(&f.source))
        .collect();
    let loc = |fi: u32, offset: u32| {
        let (line, column) = lines[fi as usize].line_col(offset);
        SumLoc {
            path: Arc::from(files[fi as usize].0.as_str()),
            line,
            column,
            offset,
        }
    };
    summarize(&mut prog, pkg, &model, &loc)
}

#[test]
fn summaries_from_the_check_with_tests_equal_those_from_the_package_alone() {
    let root = Path::new(GOROOT_SRC);
    assert!(
        root.join("go.mod").is_file(),
        "{GOROOT_SRC}/go.mod is missing: install the golang-1.19-src Debian package to run this test"
    );
    let opts = DiscoverOptions::default();
    let ws = discover(root, &["./...".to_string()], &opts);
    let loader = Loader::new(LoaderOptions::for_workspace(&ws, &opts));
    let cache = PackageCache::new();
    let mut compared = 0;
    let mut functions = 0;
    for pkg in &ws.packages {
        if pkg.import_path.starts_with("cmd/") {
            continue;
        }
        let parsed: Vec<(String, bool, racelens_syntax::File)> = pkg
            .files
            .iter()
            .map(|f| {
                let src = std::fs::read(&f.path).unwrap();
                let name = f.path.file_name().unwrap().to_string_lossy().to_string();
                (name, f.is_test, racelens_syntax::parse(&src).0)
            })
            .collect();
        let lib: Vec<(String, racelens_syntax::File)> = parsed
            .iter()
            .filter(|(_, test, _)| !test)
            .map(|(n, _, f)| (n.clone(), f.clone()))
            .collect();
        let Some(name) = lib.first().map(|(_, f)| f.package_name().to_string()) else {
            continue;
        };
        // The package with its in-package test files, in the directory's file order.
        let with_tests: Vec<(String, racelens_syntax::File)> = parsed
            .iter()
            .filter(|(_, _, f)| f.package_name() == name)
            .map(|(n, _, f)| (n.clone(), f.clone()))
            .collect();
        if with_tests.len() == lib.len() || lib.iter().any(|(_, f)| f.package_name() != name) {
            continue;
        }
        let is_test: Vec<bool> = with_tests
            .iter()
            .map(|(n, _)| n.ends_with("_test.go"))
            .collect();
        let alone = summary_of(&loader, &cache, &pkg.import_path, &pkg.dir, &lib, &|_| true);
        let shared = summary_of(
            &loader,
            &cache,
            &pkg.import_path,
            &pkg.dir,
            &with_tests,
            &|fi| !is_test[fi],
        );
        assert!(
            alone == shared,
            "{}: the summaries differ:\nalone: {alone:#?}\nwith tests: {shared:#?}",
            pkg.import_path
        );
        compared += 1;
        functions += alone.funcs.len();
    }
    eprintln!("{compared} packages, {functions} summarised functions compared");
    // The standard library has well over a hundred packages with in-package tests.
    assert!(compared > 100, "only {compared} packages compared");
    assert!(functions > 1000, "only {functions} functions summarised");
}
