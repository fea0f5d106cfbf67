//! The run's importer, `overlay::Overlay`, keeps each answer, by import path, for the
//! importing directory or for the whole module the directory is in: these tests show that
//! it answers exactly as it does without the memo (the loader asked every time), for every
//! import of every package of the Go source tree (GOROOT's vendored packages and `cmd`
//! included) and of the fixtures, and in GOPATH mode and vendor mode, where the importing
//! directory matters.

use racelens_semantic::import::{first_file_name, Importer, SourcePackage};
use racelens_workspace::load::{Loader, LoaderOptions, Locate};
use racelens_workspace::overlay::Overlay;
use racelens_workspace::{discover, prescan, DiscoverOptions, Workspace};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const GOROOT_1_19: &str = "/usr/lib/go-1.19";

/// Asked from every directory besides what its files import: paths that `C`, `unsafe` and
/// the malformed path rules answer, paths no package has, and paths that one of GOROOT's
/// modules vendors and the other does not (`std` vendors `golang.org/x/net`, `cmd` vendors
/// `golang.org/x/mod`), whose answers differ between modules.
const ODD_PATHS: &[&str] = &[
    "golang.org/x/mod/module",
    "golang.org/x/sys/cpu",
    "golang.org/x/net/idna",
    "C",
    "unsafe",
    "",
    "./x",
    "../x",
    "a/../b",
    "a//b",
    "/abs",
    "a\\b",
    "no/such/std/package",
    "example.invalid/none",
    "golang.org/x/sync/errgroup",
];

/// Every question the run may ask of its importer for `ws`: each import path of each file
/// of each package (test files included), from the package's directory, and the odd paths.
fn questions(ws: &Workspace) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for pkg in &ws.packages {
        let mut seen: HashSet<String> = HashSet::new();
        let paths = pkg
            .files
            .iter()
            .flat_map(|f| prescan::scan(&fs::read(&f.path).unwrap()).imports)
            .chain(ODD_PATHS.iter().map(|p| p.to_string()));
        for path in paths {
            if seen.insert(path.clone()) {
                out.push((pkg.dir.clone(), path));
            }
        }
    }
    out
}

/// Packages to serve already parsed, as the run serves its packages: every `step`th package
/// of `ws` (the others are read by the loader), each a package of its own with no files,
/// named by its import path.
fn served(ws: &Workspace, step: usize) -> Vec<(PathBuf, Arc<SourcePackage>)> {
    ws.packages
        .iter()
        .step_by(step)
        .map(|p| {
            let pkg = SourcePackage::new(p.import_path.clone(), Vec::new());
            (p.dir.clone(), Arc::new(pkg))
        })
        .collect()
}

fn same(a: &Option<Arc<SourcePackage>>, b: &Option<Arc<SourcePackage>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// What a comparison saw.
#[derive(Debug, Default)]
struct Seen {
    questions: usize,
    /// Questions answered with a package.
    found: usize,
    /// Questions answered with a package served parsed.
    served: usize,
    /// Distinct questions the memo asked the loader.
    answered: usize,
}

/// Asks `overlay` each question with and without its memo, twice over (the second pass
/// answered from the memo alone), and fails on the first difference.
fn compare(
    overlay: &Overlay,
    served: &[(PathBuf, Arc<SourcePackage>)],
    qs: &[(PathBuf, String)],
) -> Seen {
    let mut seen = Seen {
        questions: qs.len(),
        ..Seen::default()
    };
    for pass in 0..2 {
        for (dir, path) in qs {
            let memo = overlay.import(path, dir);
            let plain = overlay.import_uncached(path, dir);
            assert!(
                same(&memo, &plain),
                "pass {pass}: `{path}` from {}: memo {:?}, loader {:?}",
                dir.display(),
                memo.as_ref().map(|p| &p.path),
                plain.as_ref().map(|p| &p.path),
            );
            if pass == 0 {
                if let Some(p) = &memo {
                    seen.found += 1;
                    if served.iter().any(|(_, s)| Arc::ptr_eq(s, p)) {
                        seen.served += 1;
                    }
                }
            }
        }
        if pass == 0 {
            seen.answered = overlay.answered();
        } else {
            assert_eq!(
                overlay.answered(),
                seen.answered,
                "the second pass asked again"
            );
        }
    }
    seen
}

/// Asks the package name of each question before any import, of a fresh overlay over
/// `fresh` (a loader that read nothing yet) and of `bare` (another): the overlay's name is
/// the first file's of the package `overlay` (which answered every question) imports, and
/// the bare loader's that of the package `reader` (the loader under `overlay`) reads; naming
/// parses no package either loader would read. Returns how many questions had a name.
fn compare_names(
    overlay: &Overlay,
    reader: &Loader,
    fresh: &Loader,
    bare: &Loader,
    served: &[(PathBuf, Arc<SourcePackage>)],
    qs: &[(PathBuf, String)],
) -> usize {
    let names = Overlay::new(fresh, served.iter().cloned());
    let mut named = 0;
    for (dir, path) in qs {
        let at = format!("`{path}` from {}", dir.display());
        let want = first_file_name(overlay.import(path, dir));
        assert_eq!(names.package_name(path, dir), want, "{at}");
        let read = first_file_name(reader.import(path, dir));
        assert_eq!(bare.package_name(path, dir), read, "{at}, no overlay");
        named += usize::from(want.is_some());
    }
    for l in [fresh, bare] {
        assert!(
            l.loaded_dirs().is_empty(),
            "parsed to be named: {:?}",
            l.loaded_dirs()
        );
    }
    named
}

fn loader_for(ws: &Workspace, goroot: Locate, gopath: Vec<PathBuf>) -> Loader {
    Loader::new(LoaderOptions {
        goroot,
        mod_cache: Locate::Off,
        gopath,
        ..LoaderOptions::for_workspace(ws, &DiscoverOptions::default())
    })
}

#[test]
fn memo_answers_as_the_loader_on_the_go_tree() {
    let src = Path::new(GOROOT_1_19).join("src");
    assert!(
        src.join("go.mod").is_file(),
        "{}/go.mod is missing: install the golang-1.19-src Debian package to run this test",
        src.display()
    );
    // GOROOT's vendored packages import one another through the std module's vendor
    // directory, and `cmd` is a module of its own with its own vendor directory.
    let patterns = ["./...", "./vendor/...", "./cmd/...", "./cmd/vendor/..."];
    let args: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
    let ws = discover(&src, &args, &DiscoverOptions::default());
    let dirs: HashSet<&Path> = ws.packages.iter().map(|p| p.dir.as_path()).collect();
    for d in [
        "vendor/golang.org/x/net/idna",
        "cmd/go",
        "cmd/vendor/golang.org/x/mod/module",
    ] {
        assert!(dirs.contains(src.join(d).as_path()), "{d} not discovered");
    }
    let loader = loader_for(&ws, Locate::At(GOROOT_1_19.into()), Vec::new());
    let served = served(&ws, 2);
    let overlay = Overlay::new(&loader, served.clone());
    let qs = questions(&ws);
    let seen = compare(&overlay, &served, &qs);
    eprintln!("{} packages: {seen:?}", ws.packages.len());
    let fresh = || loader_for(&ws, Locate::At(GOROOT_1_19.into()), Vec::new());
    let named = compare_names(&overlay, &loader, &fresh(), &fresh(), &served, &qs);
    // Every package found has a name, but those served without files (as here).
    assert_eq!(named, seen.found - seen.served, "{seen:?}");
    // The two modules' directories are told apart.
    let module = "golang.org/x/mod/module";
    assert!(overlay.import(module, &src.join("cmd/go")).is_some());
    assert!(overlay.import(module, &src.join("net")).is_none());
    // Not a vacuous comparison: most questions were answered, from parsed packages and
    // from the loader's reads, and most were answered from the memo (every directory of a
    // module shares its answers).
    assert!(seen.questions > 10_000, "{seen:?}");
    assert!(seen.found > seen.questions / 2, "{seen:?}");
    assert!(
        seen.served > 1000 && seen.found - seen.served > 1000,
        "{seen:?}"
    );
    assert!(seen.answered * 5 < seen.questions, "{seen:?}");
}

#[test]
fn memo_answers_as_the_loader_on_the_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut total = Seen::default();
    let mut checks: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    checks.sort();
    for dir in checks.iter().flat_map(|c| fs::read_dir(c).unwrap()) {
        let dir = dir.unwrap().path();
        let ws = discover(&dir, &["./...".to_string()], &DiscoverOptions::default());
        let loader = loader_for(&ws, Locate::Detect, Vec::new());
        let served = served(&ws, 1);
        let overlay = Overlay::new(&loader, served.clone());
        let qs = questions(&ws);
        let seen = compare(&overlay, &served, &qs);
        let fresh = || loader_for(&ws, Locate::Detect, Vec::new());
        compare_names(&overlay, &loader, &fresh(), &fresh(), &served, &qs);
        total.questions += seen.questions;
        total.found += seen.found;
        total.served += seen.served;
    }
    eprintln!("fixtures: {total:?}");
    // The fixtures importing packages of their own module are served them.
    assert!(
        total.questions > 200 && total.found > 50 && total.served > 5,
        "{total:?}"
    );
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Outside any module (GOPATH mode) each directory sees the vendor directories above it, so
/// the same import path means different packages from different directories; inside a
/// module in vendor mode, every directory sees the module's vendor directory.
#[test]
fn memo_keeps_directories_apart_where_they_differ() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    let gopath = root.join("gopath");
    let files = [
        (
            "gopath/src/app/cmd/main.go",
            "package main\n\nimport \"v\"\n",
        ),
        ("gopath/src/app/vendor/v/v.go", "package v\n"),
        ("gopath/src/app/lib/lib.go", "package lib\n\nimport \"v\"\n"),
        ("gopath/src/other/o.go", "package other\n\nimport \"v\"\n"),
        ("gopath/src/v/v.go", "package v\n"),
        (
            "m/go.mod",
            "module example.com/m\n\ngo 1.19\n\nrequire example.com/dep v1.0.0\n",
        ),
        (
            "m/vendor/modules.txt",
            "# example.com/dep v1.0.0\n## explicit\nexample.com/dep/x\n",
        ),
        ("m/vendor/example.com/dep/x/x.go", "package x\n"),
        ("m/a/a.go", "package a\n\nimport \"example.com/dep/x\"\n"),
        ("m/a/b/b.go", "package b\n\nimport \"example.com/dep/x\"\n"),
    ];
    for (rel, text) in files {
        write(root, rel, text);
    }
    let ws_gopath = discover(
        &gopath.join("src"),
        &["./...".to_string()],
        &DiscoverOptions::default(),
    );
    let ws_mod = discover(
        &root.join("m"),
        &["./...".to_string()],
        &DiscoverOptions::default(),
    );
    for ws in [&ws_gopath, &ws_mod] {
        let loader = loader_for(ws, Locate::Off, vec![gopath.clone()]);
        // Nothing served: every answer is the loader's read.
        let overlay = Overlay::new(&loader, Vec::new());
        compare(&overlay, &[], &questions(ws));
    }
    let loader = loader_for(&ws_gopath, Locate::Off, vec![gopath.clone()]);
    let overlay = Overlay::new(&loader, Vec::new());
    let src = gopath.join("src");
    let cmd = overlay.import("v", &src.join("app/cmd")).unwrap();
    let lib = overlay.import("v", &src.join("app/lib")).unwrap();
    let other = overlay.import("v", &src.join("other")).unwrap();
    // The app's directories share its vendored `v`; another directory gets GOPATH's.
    assert!(Arc::ptr_eq(&cmd, &lib));
    assert!(!Arc::ptr_eq(&cmd, &other));
    assert!(Arc::ptr_eq(
        &other,
        &overlay.import_uncached("v", &src.join("other")).unwrap()
    ));
    let m = root.join("m");
    let loader = loader_for(&ws_mod, Locate::Off, vec![gopath.clone()]);
    let overlay = Overlay::new(&loader, Vec::new());
    let a = overlay.import("example.com/dep/x", &m.join("a")).unwrap();
    let b = overlay.import("example.com/dep/x", &m.join("a/b")).unwrap();
    assert!(Arc::ptr_eq(&a, &b));
    // One question for the module's two directories.
    assert_eq!(overlay.answered(), 1);
}
