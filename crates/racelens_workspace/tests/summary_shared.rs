//! A package's summary for its importers is the same whether it is computed from the
//! package's non-test files alone (the summary store's own computation) or from the check
//! of the package with its in-package test files, modelling only the non-test files (what
//! the package's own check provides to the store). Which of the two a run uses depends on
//! which thread gets there first, so they must agree for the output not to depend on the
//! number of threads. Compared on every package of the Go standard library that has
//! in-package tests.

mod common;

use racelens_model::summary::{summarize, PackageSummary, SumLoc};
use racelens_semantic::import::SourcePackage;
use racelens_semantic::types::{Loaded, PackageCache, Program};
use racelens_syntax::LineIndex;
use racelens_workspace::load::Loader;
use std::path::Path;
use std::sync::Arc;

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
        files: files.iter().map(|(_, f)| Arc::new(f.clone())).collect(),
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
    let (loader, packages) = common::stdlib_packages_with_tests();
    let cache = PackageCache::new();
    let mut compared = 0;
    let mut functions = 0;
    for pkg in &packages {
        let lib = pkg.lib();
        let with_tests: Vec<(String, racelens_syntax::File)> = pkg
            .files
            .iter()
            .map(|(n, f, _)| (n.clone(), f.clone()))
            .collect();
        let is_test: Vec<bool> = pkg.files.iter().map(|(_, _, test)| *test).collect();
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
