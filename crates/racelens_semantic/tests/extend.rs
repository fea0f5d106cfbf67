//! `extend_package` (a package's resolution reused for the package with its in-package test
//! files) gives exactly what resolving every file from scratch gives, or declines when it
//! could not: hand-written packages with the cases that could make the two differ.

use racelens_semantic::{extend_package, resolve_package_with, PackageScopes};
use racelens_syntax::File;

/// A file of the package: its source, and whether it is a test file (not seen by `base`).
type Src<'a> = (&'a str, bool);

fn parse(src: &str) -> File {
    let (f, errors) = racelens_syntax::parse(src.as_bytes());
    assert!(errors.is_empty(), "{errors:?} in\n{src}");
    f
}

/// The package's import names: `fmt` and `example.com/lib/v2` (named `lib`) are known.
fn names(p: &str) -> Option<String> {
    match p {
        "fmt" => Some("fmt".into()),
        "example.com/lib/v2" => Some("lib".into()),
        _ => None,
    }
}

/// Resolves `files` from scratch and by extending the resolution of the non-test ones;
/// asserts they are equal when extending does not decline, and returns whether it did.
fn extend_matches(files: &[Src<'_>]) -> bool {
    let trees: Vec<File> = files.iter().map(|(s, _)| parse(s)).collect();
    let all: Vec<&File> = trees.iter().collect();
    let base_files: Vec<&File> = trees
        .iter()
        .zip(files)
        .filter(|(_, (_, test))| !test)
        .map(|(f, _)| f)
        .collect();
    let mut k = 0;
    let origin: Vec<Option<usize>> = files
        .iter()
        .map(|(_, test)| {
            (!test).then(|| {
                k += 1;
                k - 1
            })
        })
        .collect();
    let base = resolve_package_with(&base_files, &names);
    let scratch = resolve_package_with(&all, &names);
    match extend_package(&base, &base_files, &all, &origin, &names) {
        Some(ext) => {
            assert_same(&ext, &scratch);
            true
        }
        None => false,
    }
}

fn assert_same(ext: &PackageScopes, scratch: &PackageScopes) {
    assert_eq!(ext.defs.len(), scratch.defs.len());
    for (i, (a, b)) in ext.defs.iter().zip(&scratch.defs).enumerate() {
        assert_eq!(a, b, "def {i}");
    }
    assert_eq!(ext.scopes, scratch.scopes);
    for (i, (a, b)) in ext.files.iter().zip(&scratch.files).enumerate() {
        assert_eq!(a, b, "file {i}");
    }
    assert!(ext == scratch);
}

const LIB_A: &str = r#"package p

import (
	"fmt"
	lib "example.com/lib/v2"
	"example.com/other/v3"
)

type T struct {
	mu  int
	val map[string]int
}

type List[E any] struct{ items []E }

func (l *List[E]) Push(e E) { l.items = append(l.items, e) }

func (t *T) Get(k string) int {
	v, ok := t.val[k]
	if !ok {
		return len(k)
	}
	return v
}

func run(xs []int) {
	for i, x := range xs {
		go func() {
			fmt.Println(i, x, lib.Name, other.X)
		}()
	}
outer:
	for {
		switch y := any(xs).(type) {
		case []int:
			_ = y
			break outer
		default:
			_ = y
		}
	}
}
"#;

const LIB_C: &str = r#"package p

var shared = T{val: map[string]int{"a": 1}}

type Pair struct{ K, V string }

var pairs = []Pair{{K: "a", V: "b"}}

func init() {}

func helper(n int) (m int) {
	m = n * 2
	return
}
"#;

const TEST_B: &str = r#"package p

import (
	"fmt"
	"testing"
)

type fake struct{ T }

func (f *fake) Extra() int { return helper(1) }

func (t *T) TestOnlyMethod() {}

var table = map[string]Pair{"x": {K: "k", V: "v"}}

func init() {}

func TestRun(t *testing.T) {
	l := &List[int]{}
	l.Push(1)
	run([]int{1, 2})
	for i := 0; i < 3; i++ {
		go func() { fmt.Println(i, shared.Get("a"), table) }()
	}
}
"#;

#[test]
fn test_files_between_and_before_library_files() {
    assert!(extend_matches(&[
        (LIB_A, false),
        (TEST_B, true),
        (LIB_C, false)
    ]));
    assert!(extend_matches(&[
        (TEST_B, true),
        (LIB_A, false),
        (LIB_C, false)
    ]));
    assert!(extend_matches(&[
        (LIB_A, false),
        (LIB_C, false),
        (TEST_B, true)
    ]));
}

#[test]
fn several_test_files_and_a_dot_import() {
    let t2 = "package p\n\nimport . \"fmt\"\n\nfunc TestDot() { Println(table, newFake()) }\n";
    let t3 = "package p\n\nfunc newFake() *fake { return &fake{} }\n";
    assert!(extend_matches(&[
        (t3, true),
        (LIB_A, false),
        (TEST_B, true),
        (LIB_C, false),
        (t2, true)
    ]));
}

#[test]
fn a_universe_name_the_test_redeclares() {
    // The library calls the builtin `len`; a test file declaring `len` changes what it
    // denotes, so the resolution of the library cannot be reused.
    let t = "package p\n\nfunc len(s string) int { return 0 }\n";
    assert!(!extend_matches(&[(LIB_A, false), (t, true)]));
    // A universe name the library never uses may be redeclared.
    let t = "package p\n\nvar clear = 1\n\nfunc TestClear() { _ = clear }\n";
    assert!(extend_matches(&[(LIB_A, false), (LIB_C, false), (t, true)]));
}

#[test]
fn a_library_name_only_a_test_declares() {
    // Invalid for `go build`, valid for `go test`: the library's use of `fromTest` found
    // nothing without the test file.
    let lib = "package p\n\nfunc f() int { return fromTest }\n";
    let t = "package p\n\nvar fromTest = 1\n";
    assert!(!extend_matches(&[(lib, false), (t, true)]));
    // The same through a composite literal's type, seen only by the literal's shape.
    let lib = "package p\n\ntype A B\n\nvar a = A{x: 1}\n";
    let t = "package p\n\ntype B map[int]int\n\nvar x = 0\n";
    assert!(!extend_matches(&[(lib, false), (t, true)]));
}

#[test]
fn a_test_redeclaring_a_library_name() {
    // A redeclaration: which declaration lookups find depends on the files' order.
    let t = "package p\n\nfunc helper(n int) (m int) { return n }\n";
    assert!(!extend_matches(&[
        (t, true),
        (LIB_A, false),
        (LIB_C, false)
    ]));
}

#[test]
fn a_library_with_duplicate_declarations() {
    // Files for different build constraints may each declare a name; lookups prefer the
    // current file's declaration and else the first, which must stay the same.
    let a = "package p\n\nconst size = 4\n\nfunc f() int { return size }\n";
    let b = "package p\n\nconst size = 8\n";
    let t = "package p\n\nfunc TestSize() { _ = size }\n";
    assert!(extend_matches(&[(t, true), (a, false), (b, false)]));
    assert!(extend_matches(&[(b, false), (t, true), (a, false)]));
}

#[test]
fn import_names_that_differ_decline() {
    let trees: Vec<File> = [LIB_A, TEST_B].iter().map(|s| parse(s)).collect();
    let all: Vec<&File> = trees.iter().collect();
    let base = resolve_package_with(&all[..1], &names);
    // The base guessed `other` for `example.com/other/v3`; now it is known as `v3`.
    let known = |p: &str| match p {
        "example.com/other/v3" => Some("v3".to_string()),
        _ => names(p),
    };
    assert!(extend_package(&base, &all[..1], &all, &[Some(0), None], &known).is_none());
    assert!(extend_package(&base, &all[..1], &all, &[Some(0), None], &names).is_some());
}

#[test]
fn misaligned_origins_decline() {
    let trees: Vec<File> = [LIB_A, LIB_C, TEST_B].iter().map(|s| parse(s)).collect();
    let all: Vec<&File> = trees.iter().collect();
    let base = resolve_package_with(&all[..2], &names);
    // Library files out of order, missing, or a resolution that is itself an extension.
    let swapped = [all[1], all[0], all[2]];
    assert!(extend_package(
        &base,
        &all[..2],
        &swapped,
        &[Some(1), Some(0), None],
        &names
    )
    .is_none());
    assert!(extend_package(
        &base,
        &all[..2],
        &[all[0], all[2]],
        &[Some(0), None],
        &names
    )
    .is_none());
    let ext = extend_package(&base, &all[..2], &all, &[Some(0), Some(1), None], &names).unwrap();
    assert!(extend_package(&ext, &all, &all, &[Some(0), Some(1), Some(2)], &names).is_none());
}
