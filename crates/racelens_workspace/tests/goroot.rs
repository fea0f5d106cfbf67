//! Discovery over the Go 1.19 standard library source installed on this machine: checks a
//! few facts the go command would agree with and reports how long discovery takes.

use std::path::Path;
use std::time::Instant;

use racelens_workspace::{discover, DiscoverOptions, SkipReason};

const GOROOT_SRC: &str = "/usr/lib/go-1.19/src";

#[test]
fn discovers_the_standard_library() {
    let src = Path::new(GOROOT_SRC);
    assert!(
        src.join("go.mod").is_file(),
        "{GOROOT_SRC}/go.mod is missing: install the golang-1.19-src Debian package to run this test"
    );
    let opts = DiscoverOptions::default();
    let start = Instant::now();
    let ws = discover(src, &["./...".to_string()], &opts);
    let elapsed = start.elapsed();
    let skipped = ws.skipped_count(|_| true);
    eprintln!(
        "discovered {} packages, {} files ({} skipped) in {:?}",
        ws.packages.len(),
        ws.file_count(),
        skipped,
        elapsed
    );
    assert_eq!(ws.problems, [], "problems: {:#?}", ws.problems);

    // The standard library is its own module, `module std`, and cmd is nested in it.
    assert_eq!(ws.modules.len(), 1, "{:#?}", ws.modules);
    assert_eq!(ws.modules[0].path, "std");
    assert_eq!(
        ws.modules[0].go.map(|v| v.to_string()).as_deref(),
        Some("1.19")
    );

    let pkg = |import: &str| {
        ws.packages
            .iter()
            .find(|p| p.import_path == import)
            .unwrap_or_else(|| panic!("package {import} not discovered"))
    };
    let os = pkg("os");
    assert_eq!(os.dir, src.join("os"));
    assert!(os
        .files
        .iter()
        .any(|f| f.path == src.join("os/file_unix.go")));
    let windows = os
        .skipped
        .iter()
        .find(|s| s.path == src.join("os/file_windows.go"))
        .expect("os/file_windows.go is skipped");
    assert_eq!(
        windows.reason,
        SkipReason::Constraint("file name suffix _windows".into())
    );
    // file_plan9.go has no build line; its name constrains it.
    assert!(os
        .skipped
        .iter()
        .any(|s| s.path == src.join("os/file_plan9.go")));
    assert!(os
        .files
        .iter()
        .any(|f| f.path == src.join("os/os_test.go") && f.is_test));

    // net/http is there, with its tests; testdata, vendor and the nested cmd module are not.
    let http = pkg("net/http");
    assert!(
        http.files.len() > 40,
        "net/http has {} files",
        http.files.len()
    );
    // The cgo-only resolver is left out: cgo is off by default.
    assert!(pkg("net")
        .skipped
        .iter()
        .any(|s| s.path == src.join("net/cgo_unix.go")));
    for p in &ws.packages {
        let rel = p.dir.strip_prefix(src).unwrap();
        let skipped_dir = rel
            .components()
            .any(|c| matches!(c.as_os_str().to_str(), Some("testdata" | "vendor" | "cmd")));
        assert!(!skipped_dir, "{} should not be discovered", p.dir.display());
    }
    assert!(
        ws.packages.len() > 200,
        "only {} packages",
        ws.packages.len()
    );
    // Files in testdata directories are never discovered.
    assert!(ws
        .packages
        .iter()
        .flat_map(|p| p
            .files
            .iter()
            .map(|f| &f.path)
            .chain(p.skipped.iter().map(|s| &s.path)))
        .all(|p| !p.components().any(|c| c.as_os_str() == "testdata")));

    // internal/goos/zgoos_linux.go is generated, so skipped by default.
    let goos = pkg("internal/goos");
    assert!(goos
        .skipped
        .iter()
        .any(|s| s.path == src.join("internal/goos/zgoos_linux.go")
            && s.reason == SkipReason::Generated));

    // Output is sorted and identical from run to run.
    let dirs: Vec<_> = ws.packages.iter().map(|p| &p.dir).collect();
    let mut sorted = dirs.clone();
    sorted.sort();
    assert_eq!(dirs, sorted);
    let again = discover(src, &["./...".to_string()], &opts);
    assert_eq!(again.packages, ws.packages);
}

#[test]
fn nested_cmd_module_is_its_own() {
    let src = Path::new(GOROOT_SRC);
    assert!(
        src.join("cmd/go.mod").is_file(),
        "{GOROOT_SRC}/cmd/go.mod is missing"
    );
    let ws = discover(
        &src.join("cmd"),
        &["./go/...".to_string()],
        &DiscoverOptions::default(),
    );
    assert_eq!(ws.problems, []);
    assert_eq!(ws.modules.len(), 1);
    assert_eq!(ws.modules[0].path, "cmd");
    assert!(ws
        .packages
        .iter()
        .any(|p| p.import_path == "cmd/go/internal/modload"));
    // cmd/vendor is skipped by ./... .
    assert!(ws
        .packages
        .iter()
        .all(|p| !p.import_path.contains("vendor")));
}
