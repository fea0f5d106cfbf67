//! The run parses each workspace package once: a package imported by another package of the
//! workspace is served its already parsed files, not read again by the loader, and its types
//! are known to the importer.

use racelens_workspace::load::{Loader, LoaderOptions};
use racelens_workspace::run::{run, RunOptions};
use racelens_workspace::{discover, DiscoverOptions};
use std::path::Path;

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A module whose package `a` races on a map field of a type declared in package `b`.
fn module(dir: &Path, with_test: bool) {
    write(dir, "go.mod", "module example.com/m\n\ngo 1.19\n");
    write(
        dir,
        "b/b.go",
        "package b\n\ntype Store struct {\n\tM map[string]int\n}\n",
    );
    if with_test {
        write(
            dir,
            "b/b_test.go",
            "package b\n\nfunc helper() *Store { return &Store{} }\n",
        );
    }
    write(
        dir,
        "a/a.go",
        "package a\n\nimport \"example.com/m/b\"\n\nfunc F(s *b.Store) {\n\tgo func() {\n\t\ts.M[\"x\"] = 1\n\t}()\n\ts.M[\"y\"] = 2\n}\n",
    );
}

fn check(dir: &Path, threads: usize) -> (Vec<String>, usize) {
    let ws = discover(dir, &["./...".to_string()], &DiscoverOptions::default());
    let loader = Loader::new(LoaderOptions::for_workspace(
        &ws,
        &DiscoverOptions::default(),
    ));
    let out = run(
        &ws,
        &RunOptions {
            importer: Some(&loader),
            checks: racelens_checks::REGISTRY.to_vec(),
            cwd: dir.to_path_buf(),
            threads,
            per_file_ignores: None,
            progress: None,
        },
    );
    let shown = out
        .diagnostics
        .iter()
        .map(|d| format!("{}:{} {}", d.location.path, d.location.start.line, d.check))
        .collect();
    (shown, loader.loaded_count())
}

#[test]
fn workspace_imports_are_served_parsed() {
    for with_test in [false, true] {
        let tmp = tempdir(&format!("served-{with_test}"));
        module(&tmp, with_test);
        for threads in [1, 2] {
            let (reports, loaded) = check(&tmp, threads);
            // The map field's type comes from `b`: without it there is no place to race on.
            assert_eq!(
                reports,
                vec!["a/a.go:7 concurrent-map-access".to_string()],
                "with_test={with_test}"
            );
            // `b` is the only import, and the loader never read it.
            assert_eq!(loaded, 0, "with_test={with_test}");
        }
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("racelens-run-parsed-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d.canonicalize().unwrap()
}
