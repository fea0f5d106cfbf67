//! The importable package a run builds for a package with generated files is the package the
//! loader would build, checked on every such package of the Go 1.19 standard library.

use super::{
    after_test_imports, check_order, hubs, importer_extra, package_imports, parallel_after,
    read_package, serve_generated, task_dependencies, ByPath, RunOptions, Task,
};
use crate::discover::{discover, DiscoverOptions};
use crate::load::{Loader, LoaderOptions, Locate};
use racelens_syntax::ast::{DeclKind, SpecKind};
use racelens_syntax::File;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

const GOROOT: &str = "/usr/lib/go-1.19";

/// What the type checker reads of a file's declarations, as text: each declaration's span
/// and kind, the names and spans of its specs, a function's name, signature and body span.
fn declarations(f: &File) -> Vec<String> {
    let mut out = Vec::new();
    for &d in &f.decls {
        let decl = &f[d];
        let (a, b) = (decl.span.start, decl.span.end);
        match &decl.kind {
            DeclKind::Bad => out.push(format!("bad {a}..{b}")),
            DeclKind::Gen { tok, specs, .. } => {
                out.push(format!("{tok:?} {a}..{b}"));
                for &s in specs.iter() {
                    let spec = &f[s];
                    let names: Vec<&str> = match &spec.kind {
                        SpecKind::Import { path, .. } => vec![f.text(f[*path].span)],
                        SpecKind::Value { names, .. } => {
                            names.iter().map(|&n| f.ident_name(n)).collect()
                        }
                        SpecKind::Type { name, .. } => vec![f.ident_name(*name)],
                    };
                    out.push(format!("  {:?} {names:?}", spec.span));
                }
            }
            DeclKind::Func {
                recv,
                name,
                typ,
                body,
            } => out.push(format!(
                "func {} {a}..{b} recv {:?} type {:?} body {:?}",
                f.ident_name(*name),
                recv.map(|r| f[r].span),
                f[*typ].span,
                body.map(|s| f[s].span)
            )),
        }
    }
    out
}

/// Options for reading and parsing packages from `cwd` on one thread, with no check.
fn reading_only(cwd: &Path) -> RunOptions<'static> {
    RunOptions {
        checks: Vec::new(),
        cwd: cwd.to_path_buf(),
        threads: 1,
        per_file_ignores: None,
        progress: None,
        importer: None,
    }
}

#[test]
fn served_packages_with_generated_files_are_the_loaders() {
    let src = Path::new(GOROOT).join("src");
    assert!(
        src.join("runtime").is_dir(),
        "the Go 1.19 standard library source is missing: apt-get install -y golang-1.19-src"
    );
    let discover_opts = DiscoverOptions::default();
    let ws = discover(&src, &["./...".to_string()], &discover_opts);
    let loader = Loader::new(LoaderOptions {
        goroot: Locate::At(GOROOT.into()),
        ..LoaderOptions::for_workspace(&ws, &discover_opts)
    });
    let opts = reading_only(&src);
    let mut served = Vec::new();
    for pkg in &ws.packages {
        let generated = importer_extra(pkg).unwrap_or_default();
        if generated.is_empty() {
            continue;
        }
        let mut read = read_package(pkg, &opts, false);
        // Made only for a package that the run imports, after every package is read.
        assert!(read.lib.is_none(), "{}", pkg.import_path);
        assert_eq!(read.generated.len(), generated.len(), "{}", pkg.import_path);
        serve_generated(pkg, &mut read, &src);
        let Some(lib) = &read.lib else {
            continue;
        };
        assert!(read.lib_generated, "{}", pkg.import_path);
        let (_, want) = loader
            .load(&pkg.import_path, &src)
            .unwrap_or_else(|| panic!("the loader finds {}", pkg.import_path));
        assert_eq!(lib.path, want.path);
        assert_eq!(lib.files.len(), want.files.len(), "{}", pkg.import_path);
        assert_eq!(lib.files.len(), read.lib_paths.len(), "{}", pkg.import_path);
        for (k, (got, want)) in lib.files.iter().zip(&want.files).enumerate() {
            let at = &read.lib_paths[k];
            // The same file in the same place: the source is the file's.
            assert!(got.source[..] == want.source[..], "{at}: another file");
            assert_eq!(got.package_name(), want.package_name(), "{at}");
            assert_eq!(declarations(got), declarations(want), "{at}");
            // Every comment group the loader keeps (those outside function bodies), in order;
            // a file parsed in full also has its bodies'.
            let mut kept = got.comments.iter().map(|g| g.span);
            for g in want.comments.iter() {
                assert!(
                    kept.any(|s| s == g.span),
                    "{at}: comment at {}",
                    g.span.start
                );
            }
            // A file the run parsed moved into the package, parsed in full; a generated
            // one is the loader's declarations-only parse, node for node.
            let owner = read.parsed.iter().find(|p| p.lib == Some(k));
            if let Some(p) = owner {
                assert!(p.file.is_none(), "{at}: copied, not moved");
                assert_eq!(&p.path, at);
                let full = racelens_syntax::parse(&got.source[..]).0;
                assert_eq!(got.stmts.len(), full.stmts.len(), "{at}: not a full parse");
            } else {
                assert!(generated
                    .iter()
                    .any(|g| at.ends_with(&*g.file_name().unwrap_or_default().to_string_lossy())));
                assert_eq!(
                    racelens_syntax::dump::dump(got),
                    racelens_syntax::dump::dump(want),
                    "{at}"
                );
            }
        }
        // Every non-test file the run parsed is in the package.
        for p in &read.parsed {
            assert_eq!(
                p.lib.is_some(),
                !super::is_test_name(&p.abs_path),
                "{}",
                p.path
            );
        }
        served.push(pkg.import_path.as_str());
    }
    for must in [
        "runtime",
        "net/http",
        "crypto/tls",
        "syscall",
        "unicode",
        "strconv",
        "sort",
        "math/big",
    ] {
        assert!(served.contains(&must), "{must} is not served: {served:?}");
    }
    assert!(served.len() >= 25, "{} packages served", served.len());
}

#[test]
fn packages_without_summaries_are_checked_last_largest_first() {
    // Units 3 and 1 in the store's order (1 twice: kept once); 0, 2 and 4 have none.
    let sizes = [(10, 0), (500, 0), (700, 0), (5, 0), (700, 0)];
    let order = check_order(&[3, 1, 1], &sizes);
    assert_eq!(
        order,
        [(3, false), (1, false), (2, false), (4, false), (0, false)]
    );
}

#[test]
fn external_tests_are_checked_among_the_packages_nobody_waits_for() {
    // The external tests of unit 1 (600 bytes) and of package 0 (20 bytes) come after the
    // units, by size among the others, whether their directory's package is a unit or not.
    let sizes = [(10, 20), (500, 600), (700, 0), (5, 0), (700, 0)];
    let order = check_order(&[3, 1], &sizes);
    assert_eq!(
        order,
        [
            (3, false),
            (1, false),
            (2, false),
            (4, false),
            (1, true),
            (0, true),
            (0, false)
        ]
    );
}

#[test]
fn hubs_are_the_packages_most_spawners_import_largest_first() {
    let paths = ["a", "b", "vendor/x/y", "c", "d", "e"];
    // "e" is not importable; "d" has one importer only.
    let sizes = [Some(10), Some(300), Some(50), Some(20), Some(900), None];
    let imports = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    let spawners = [
        imports(&["a", "b", "x/y", "e"]),
        imports(&["a", "b", "x/y", "c", "e"]),
        imports(&["a", "x/y", "c", "d", "e"]),
    ];
    let spawners: Vec<&[String]> = spawners.iter().map(|v| &v[..]).collect();
    // Importers: a 3, x/y 3 (vendored), b 2, c 2, d 1, e 3 (no source).
    assert_eq!(hubs(&paths, &sizes, &spawners, 10), [1, 2, 3, 0]);
    // The three most imported (a and x/y, then b before c by path), largest first.
    assert_eq!(hubs(&paths, &sizes, &spawners, 3), [1, 2, 0]);
    assert!(hubs(&paths, &sizes, &[], 10).is_empty());
}

/// A run parses the bytes discovery kept (`DiscoverOptions::read_contents`) as it parses the
/// files it reads itself: the same sources, counts, imports and trees, and every kept file
/// taken, so none is read twice.
#[test]
fn a_run_reads_the_bytes_discovery_kept_as_it_reads_files() {
    let src = Path::new(GOROOT).join("src");
    let patterns: Vec<String> = ["./sync/...", "./time", "./container/..."]
        .iter()
        .map(|p| p.to_string())
        .collect();
    let kept = discover(
        &src,
        &patterns,
        &DiscoverOptions {
            read_contents: true,
            ..DiscoverOptions::default()
        },
    );
    let fresh = discover(&src, &patterns, &DiscoverOptions::default());
    let opts = reading_only(&src);
    assert_eq!(kept.packages.len(), fresh.packages.len());
    assert!(kept.packages.len() >= 6, "{} packages", kept.packages.len());
    let mut files = 0;
    for (k, f) in kept.packages.iter().zip(&fresh.packages) {
        assert_eq!(k.files, f.files, "{}", k.import_path);
        let a = read_package(k, &opts, true);
        let b = read_package(f, &opts, true);
        assert!(k.files.iter().all(|s| s.contents.take().is_none()));
        assert_eq!(
            (a.out.files, a.out.bytes, a.out.syntax_errors),
            (b.out.files, b.out.bytes, b.out.syntax_errors)
        );
        assert_eq!((&a.imports, a.spawns), (&b.imports, b.spawns));
        assert_eq!(a.parsed.len(), b.parsed.len());
        for (x, y) in a.parsed.iter().zip(&b.parsed) {
            assert_eq!(x.path, y.path);
            assert_eq!(x.pending, y.pending, "{}", x.path);
            match (&x.file, &y.file) {
                (Some(x), Some(y)) => {
                    assert!(x.source[..] == y.source[..]);
                    assert_eq!(declarations(x), declarations(y));
                }
                (None, None) => {}
                _ => panic!("{}: parsed in one run only", x.path),
            }
            files += 1;
        }
    }
    assert!(files > 40, "{files} files");
}

#[test]
fn blank_imports_are_not_what_a_package_imports() {
    let (lib, _) = racelens_syntax::parser::parse_file(
        b"package p\n\nimport (\n\t_ \"time/tzdata\"\n\t\"sync\"\n\t. \"strings\"\n\ts \"sort\"\n)\n\nfunc F() { go F() }\n",
    );
    let test = b"package p\n\nimport (\n\t_ \"embed\"\n\t\"testing\"\n)\n";
    let (imports, spawns) = package_imports(&[&lib], &[test]);
    assert_eq!(imports, ["sync", "strings", "sort", "testing"]);
    assert!(spawns);
}

#[test]
fn a_worker_takes_the_first_item_whose_dependencies_are_done() {
    // 1 waits for 2, 3 for 1: on one worker, 0 and 2 run first, then 1, then 3; the results
    // come back in item order.
    let ran = Mutex::new(Vec::new());
    let after = [vec![], vec![2], vec![], vec![1]];
    let results = parallel_after(1, &[10, 11, 12, 13], &after, |i, &x| {
        ran.lock().unwrap().push(i);
        x * 2
    });
    assert_eq!(*ran.lock().unwrap(), [0, 2, 1, 3]);
    assert_eq!(results, [20, 22, 24, 26]);
}

#[test]
fn with_nothing_ready_a_worker_takes_the_first_item_not_started() {
    // A cycle: neither is ever ready, and both still run, in order.
    let ran = Mutex::new(Vec::new());
    let results = parallel_after(1, &["a", "b"], &[vec![1], vec![0]], |i, &x| {
        ran.lock().unwrap().push(i);
        x
    });
    assert_eq!(*ran.lock().unwrap(), [0, 1]);
    assert_eq!(results, ["a", "b"]);
    // On several workers, every item runs once.
    let after: Vec<Vec<usize>> = (0..200).map(|i| (0..i).step_by(7).collect()).collect();
    let items: Vec<usize> = (0..200).collect();
    let results = parallel_after(3, &items, &after, |i, &x| i + x);
    assert_eq!(results, (0..200).map(|i| 2 * i).collect::<Vec<_>>());
}

#[test]
fn checks_that_start_goroutines_follow_the_checks_of_what_their_directory_imports() {
    let owned = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    // Package 0 "a"; 1 "b" imports a and (in a test) d; 2 "c" imports a and b but starts no
    // goroutine; 3 "d" comes after b; 4 "vendor/x/y" is imported as "x/y" by 5 "e".
    let paths = ["a", "b", "c", "d", "vendor/x/y", "e"];
    let imports = [
        owned(&[]),
        owned(&["a", "d", "fmt"]),
        owned(&["a", "b"]),
        owned(&["a"]),
        owned(&[]),
        owned(&["x/y"]),
    ];
    let spawns = [false, true, false, true, false, true];
    let imports: Vec<(&[String], bool)> = imports.iter().map(|v| &v[..]).zip(spawns).collect();
    let index: HashMap<&str, usize> = paths.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let by_path = ByPath::new(&index);
    let tasks = [
        Task::Check(0),
        Task::Check(4),
        Task::Check(1),
        Task::Check(2),
        Task::Check(3),
        Task::Check(5),
        Task::External(1),
        Task::External(2),
    ];
    let after = task_dependencies(&tasks, &imports, &by_path);
    assert_eq!(
        after,
        [
            vec![],
            vec![],
            // b follows a, not d (checked later); "fmt" is not in the workspace.
            vec![0],
            // c starts no goroutine: its model asks for no summary.
            vec![],
            vec![0],
            // e imports the vendored package by the path below `vendor/`.
            vec![1],
            // b's external tests follow what b's directory imports, and b.
            vec![0, 2, 4],
            vec![],
        ]
    );
}

#[test]
fn packages_come_after_what_their_tests_import_unless_that_makes_a_cycle() {
    let owned = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    // In the store's order (by non-test imports): 0 "a", 1 "b", 2 "helper" (imports a),
    // 3 "c" (imports b; its tests import a). b's tests import helper, which comes later:
    // b moves after it. a's tests import c, which imports b... but not a: no cycle, a moves
    // after c too, and so after b and helper. "core"'s tests import "testing", which imports
    // core: a cycle, whose packages keep their order.
    let paths = ["a", "b", "helper", "c", "core", "testing"];
    let imports = [
        owned(&["c"]),
        owned(&["helper"]),
        owned(&["a"]),
        owned(&["b", "a"]),
        owned(&["testing"]),
        owned(&["core"]),
    ];
    let imports: Vec<(&[String], bool)> = imports.iter().map(|v| (&v[..], true)).collect();
    let index: HashMap<&str, usize> = paths.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let by_path = ByPath::new(&index);
    let order = after_test_imports(&[4, 5, 0, 1, 2, 3], &imports, &by_path);
    // a -> c -> b -> helper -> a is a cycle after all (helper imports a): those four keep
    // their order, and so do core and testing.
    assert_eq!(order, [4, 5, 0, 1, 2, 3]);
    // Without helper's import of a, the chain is acyclic: helper, b, c, a.
    let imports2 = [
        owned(&["c"]),
        owned(&["helper"]),
        owned(&[]),
        owned(&["b"]),
        owned(&["testing"]),
        owned(&["core"]),
    ];
    let imports2: Vec<(&[String], bool)> = imports2.iter().map(|v| (&v[..], true)).collect();
    let order = after_test_imports(&[4, 5, 0, 1, 2, 3], &imports2, &by_path);
    assert_eq!(order, [4, 5, 2, 1, 3, 0]);
}
