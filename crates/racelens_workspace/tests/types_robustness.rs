//! The type checker never panics, loops or overflows its stack: on every Go file under the
//! testdata directories of GOROOT (go/types' deliberately erroneous programs with invalid
//! recursive types, bad constants, cycles; go/parser's broken inputs), on files with syntax
//! errors and missing imports, and on expressions nested 100 000 deep.

mod gosrc;

use racelens_semantic::import::{NoImports, SourcePackage};
use racelens_semantic::types::{PackageCache, Program};
use racelens_syntax::ast::IdentId;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Checks `src` as a one-file package and asks every query about every expression and
/// identifier; returns how many expressions got a known type.
fn check_all(importer: &dyn racelens_semantic::import::Importer, src: &[u8]) -> (usize, usize) {
    let (file, _) = racelens_syntax::parse(src);
    let cache = PackageCache::new();
    let mut prog = Program::new(importer, &cache);
    let pkg = Arc::new(SourcePackage::new("example.com/robust", [file]));
    let p = prog.check_package("example.com/robust", pkg.clone(), Path::new("/nonexistent"));
    let f = &pkg.files[0];
    let mut known = 0;
    for (e, _) in f.exprs_with_ids() {
        let t = prog.type_of(p, 0, e);
        let _ = prog.display(t);
        let _ = prog.describe_selector(p, 0, e);
        let _ = prog.lock_fields(t);
        let _ = prog.is_map(t) || prog.is_chan(t) || prog.is_slice(t);
        if !prog.is_unknown(t) {
            known += 1;
        }
    }
    for i in 0..f.idents.len() {
        let _ = prog.describe_ident(p, 0, IdentId::new(i as u32));
    }
    (known, f.exprs.len())
}

fn testdata_files(dir: &Path, inside: bool, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let is_testdata = inside || p.file_name().is_some_and(|n| n == "testdata");
        if p.is_dir() {
            testdata_files(&p, is_testdata, out);
        } else if inside
            && p.extension()
                .is_some_and(|e| e == "go" || e == "go2" || e == "src")
        {
            out.push(p);
        }
    }
}

#[test]
fn goroot_testdata_never_panics() {
    let root = Path::new("/usr/lib/go-1.19/src");
    assert!(root.join("go/types").is_dir(), "GOROOT source missing");
    let mut files = Vec::new();
    testdata_files(root, false, &mut files);
    assert!(files.len() > 500, "only {} testdata files", files.len());
    let importer = gosrc::goroot_loader(None);
    let mut panics = Vec::new();
    let (mut known, mut total) = (0, 0);
    for f in &files {
        let Ok(src) = std::fs::read(f) else { continue };
        match catch_unwind(AssertUnwindSafe(|| check_all(&importer, &src))) {
            Ok((k, t)) => {
                known += k;
                total += t;
            }
            Err(_) => panics.push(f.display().to_string()),
        }
    }
    assert!(panics.is_empty(), "panics on: {panics:?}");
    // Most of these files are valid Go: the checker must still type most of them.
    assert!(
        known * 2 > total,
        "only {known} of {total} expressions typed"
    );
}

/// The compiler's own test programs (`$GOROOT/test`, where Debian's `golang-1.19-src` puts
/// it): thousands of small programs, many deliberately wrong (`// errorcheck`), among them
/// initialization loops through types that once made constant evaluation recurse without end
/// (`const c = unsafe.Sizeof(S[[c]byte]{})`, fixedbugs/issue52748.go).
#[test]
fn goroot_compiler_tests_never_panic() {
    let root = Path::new("/usr/lib/go-1.19/test");
    assert!(
        root.join("fixedbugs").is_dir(),
        "GOROOT test directory missing"
    );
    let mut files = Vec::new();
    testdata_files(root, true, &mut files);
    assert!(files.len() > 2000, "only {} test programs", files.len());
    let importer = gosrc::goroot_loader(None);
    let mut panics = Vec::new();
    for f in &files {
        let Ok(src) = std::fs::read(f) else { continue };
        if catch_unwind(AssertUnwindSafe(|| check_all(&importer, &src))).is_err() {
            panics.push(f.display().to_string());
        }
    }
    assert!(panics.is_empty(), "panics on: {panics:?}");
}

/// A constant whose value depends on itself through a type has no value, and asking for it
/// ends (an initialization loop, which Go rejects).
#[test]
fn constants_depending_on_themselves_through_types_end() {
    let src = br#"package p

import "unsafe"

type S[T any] struct{ x T }

const c = unsafe.Sizeof(S[[c]byte]{})

const d = len([unsafe.Sizeof(S[[d]int]{})]byte{})

func f() [c]int { var a [c]int; return a }
"#;
    let (known, total) = check_all(&NoImports, src);
    assert!(known < total);
}

#[test]
fn broken_and_missing_inputs_are_unknown() {
    let src = br#"package p
import "no/such/pkg"
type T struct { f pkg.Missing; g undefined }
type A B
type B A
type C [len(C{})]int
type I interface{ I; M() }
type R struct{ *R; x int }
func f(t T, a A, i I, r R) {
	_ = t.f.x
	_ = t.g
	_ = a.m
	i.M()
	_ = r.x
	_ = r.R.R.R.x
	_ = pkg.F(1)
	x := (
}
"#;
    let (known, total) = check_all(&NoImports, src);
    assert!(total > 10 && known > 0);
    // Specific answers: everything touching the missing package or the cycles is unknown,
    // and what is well-defined is known.
    let (file, _) = racelens_syntax::parse(src);
    let cache = PackageCache::new();
    let mut prog = Program::new(&NoImports, &cache);
    let pkg = Arc::new(SourcePackage::new("p", [file]));
    let p = prog.check_package("p", pkg.clone(), Path::new(""));
    let f = &pkg.files[0];
    let text = std::str::from_utf8(src).unwrap();
    let type_at = |prog: &Program, needle: &str| {
        let start = text.find(needle).unwrap() as u32;
        let end = start + needle.len() as u32;
        let (e, _) = f
            .exprs_with_ids()
            .find(|(_, e)| e.span.start == start && e.span.end == end)
            .unwrap_or_else(|| panic!("no expression {needle}"));
        prog.display(prog.type_of(p, 0, e))
    };
    assert_eq!(type_at(&prog, "t.f.x"), "?");
    assert_eq!(type_at(&prog, "t.g"), "?");
    assert_eq!(type_at(&prog, "a.m"), "?");
    assert_eq!(type_at(&prog, "pkg.F(1)"), "?");
    assert_eq!(type_at(&prog, "r.x"), "int");
    assert_eq!(type_at(&prog, "r.R.R.R.x"), "int");
    assert_eq!(type_at(&prog, "i.M()"), "()");
    let _ = &mut prog;
}

#[test]
fn deep_nesting_does_not_overflow() {
    // go/parser (and racelens's parser, which mirrors it) stops at 100 000 nested levels;
    // binary chains count as nesting too.
    let n = 99_000;
    let mut src = String::from("package p\nfunc f() {\n\tx := ");
    src.push_str(&"(".repeat(n));
    src.push('1');
    src.push_str(&")".repeat(n));
    src.push_str("\n\ty := 1");
    for _ in 0..n {
        src.push_str(" + 1");
    }
    src.push_str("\n\t_, _ = x, y\n\tz := ");
    src.push_str(&"^".repeat(n));
    src.push_str("2\n\t_ = z\n}\n");
    let (_, errors) = racelens_syntax::parse(src.as_bytes());
    assert!(errors.is_empty(), "{:?}", &errors[..errors.len().min(3)]);
    // A small stack, as in a worker thread: growth must come from `stacker`.
    let h = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || check_all(&NoImports, src.as_bytes()))
        .expect("thread");
    let (known, total) = h.join().expect("no stack overflow");
    assert!(total > 3 * n, "{total} expressions: the parser gave up");
    assert!(known > 3 * n, "{known} of {total} typed");
}
