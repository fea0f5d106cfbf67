//! The type checker's memos give what computing afresh gives: field and method lookups and
//! qualified identifiers answered by a program that checked a whole package agree with a
//! fresh program that asks each question first.

mod common;

use racelens_semantic::import::{Importer, SourcePackage};
use racelens_semantic::types::{Obj, ObjRef, PackageCache, Program};
use racelens_syntax::ast::ExprKind;
use std::path::Path;
use std::sync::Arc;

/// Serves `example.com/a` (the package under test), `example.com/b` (which it imports) and
/// `example.com/c` (which imports it and selects nothing).
struct Mem {
    a: Arc<SourcePackage>,
    b: Arc<SourcePackage>,
    c: Arc<SourcePackage>,
}

impl Importer for Mem {
    fn import(&self, path: &str, _from: &Path) -> Option<Arc<SourcePackage>> {
        match path {
            "example.com/a" => Some(self.a.clone()),
            "example.com/b" => Some(self.b.clone()),
            "example.com/c" => Some(self.c.clone()),
            _ => None,
        }
    }
}

use common::one_file_package as pkg;

const A: &str = r#"package a

import "example.com/b"

type Inner struct{ N int }

func (*Inner) Get() int { return 0 }

// List refers to itself through a field and a method: its lookups are first asked while
// its declaration is being typed.
type List struct {
	*Inner
	next *List
	all  [len(b.Names)]List2
}

type List2 struct{ l *List }

func (l *List) Next() *List { return l.next.Next() }

type I interface{ Get() int }

func use(l List, i I, o b.Outer) int {
	x := l.Get() + l.N + i.Get() + l.next.Next().N + o.Get() + o.Count
	_ = l.all[0].l.Next().all
	_ = b.Names
	return x + b.Limit
}
"#;

const B: &str = r#"package b

var Names = [3]string{"x", "y", "z"}

const Limit = 4

type base struct{ Count int }

func (base) Get() int { return 1 }

type Outer struct {
	base
	Extra string
}
"#;

const C: &str = r#"package c

import "example.com/a"

var X a.List
"#;

fn mem() -> Mem {
    Mem {
        a: pkg("example.com/a", A),
        b: pkg("example.com/b", B),
        c: pkg("example.com/c", C),
    }
}

/// A lookup's answer as text that does not depend on a program's numbering.
fn describe(prog: &mut Program<'_>, t: racelens_semantic::types::TypeId, name: &str) -> String {
    match prog.lookup(t, name) {
        None => "none".to_string(),
        Some(f) => format!(
            "{:?} {} ptr={} {}",
            f.kind,
            prog.display(f.ty),
            f.ptr_recv,
            match f.obj {
                ObjRef::Def(o) => format!("def {}", prog.scopes(o.pkg).def(o.def).name),
                ObjRef::Member(d) => format!("member {}", d.offset),
                ObjRef::Universe => "universe".to_string(),
            }
        ),
    }
}

/// The type a package-level type name of package `p` denotes.
fn named(
    prog: &mut Program<'_>,
    p: racelens_semantic::types::PkgIdx,
    name: &str,
) -> racelens_semantic::types::TypeId {
    let def = prog.scopes(p).lookup_package(name).expect("declared");
    prog.def_type(Obj { pkg: p, def })
}

#[test]
fn lookups_after_checking_agree_with_fresh_lookups() {
    let m = mem();
    let questions = [
        ("List", "Get"),
        ("List", "N"),
        ("List", "next"),
        ("List", "Next"),
        ("List", "all"),
        ("List", "Missing"),
        ("List2", "l"),
        ("Inner", "Get"),
        ("I", "Get"),
    ];
    let mut answers = Vec::new();
    for warm in [true, false] {
        let cache = PackageCache::new();
        let mut prog = Program::new(&m, &cache);
        let p = if warm {
            // Checking every body of `a` asks these questions, some of them while the
            // declarations involved are being typed.
            prog.check_package("example.com/a", m.a.clone(), Path::new(""))
        } else {
            // `a` only imported, its bodies never typed: each question below is asked for
            // the first time, outside any declaration.
            let c = prog.check_package("example.com/c", m.c.clone(), Path::new(""));
            let x = prog.scopes(c).lookup_package("X").expect("X");
            let t = prog.def_type(Obj { pkg: c, def: x });
            match prog.types.get(t) {
                racelens_semantic::types::Type::Named(n) => n.obj.expect("declared").pkg,
                other => panic!("X has type {other:?}"),
            }
        };
        let mut out = Vec::new();
        for (ty, name) in questions {
            let t = named(&mut prog, p, ty);
            out.push(format!("{ty}.{name}: {}", describe(&mut prog, t, name)));
            let pt = prog
                .types
                .intern(racelens_semantic::types::Type::Pointer(t));
            out.push(format!("*{ty}.{name}: {}", describe(&mut prog, pt, name)));
        }
        answers.push(out);
    }
    assert_eq!(answers[0], answers[1]);
    // And the answers are the right ones, not merely the same twice.
    let text = answers[0].join("\n");
    assert!(
        text.contains("List.Get: Method func()_int ptr=true def Get"),
        "{text}"
    );
    assert!(text.contains("List.N: Field int"), "{text}");
    assert!(
        text.contains("*List.Next: Method func()_*example.com/a.List ptr=true def Next"),
        "{text}"
    );
    assert!(
        text.contains("List.all: Field [3]example.com/a.List2"),
        "{text}"
    );
    assert!(text.contains("List.Missing: none"), "{text}");
    assert!(
        text.contains("I.Get: Method func()_int ptr=false member"),
        "{text}"
    );
}

#[test]
fn qualified_identifiers_and_selections_are_recorded_once_checked() {
    let m = mem();
    let cache = PackageCache::new();
    let mut prog = Program::new(&m, &cache);
    let p = prog.check_package("example.com/a", m.a.clone(), Path::new(""));
    let f = &m.a.files[0];
    let mut seen = Vec::new();
    for (e, expr) in f.exprs_with_ids() {
        if let ExprKind::Selector { .. } = expr.kind {
            let text = f.text(f[e].span).to_string();
            let sel = prog.selection(p, 0, e).map(|s| s.kind);
            let ty = prog.display(prog.type_of(p, 0, e));
            seen.push(format!("{text} {sel:?} {ty}"));
        }
    }
    let seen = seen.join("\n");
    for want in [
        "b.Names Some(Qualified) [3]string",
        "b.Limit Some(Qualified) int",
        "o.Get Some(Method) func()_int",
        "o.Count Some(Field) int",
        "l.next.Next Some(Method) func()_*example.com/a.List",
        "b.Outer Some(Qualified) example.com/b.Outer",
    ] {
        assert!(seen.contains(want), "missing {want:?} in\n{seen}");
    }
    // A selector whose operand is a local is never a qualified identifier.
    assert!(!seen.contains("l.N Some(Qualified)"), "{seen}");
}

/// Checks package `a` of source `src` (with `b` and `c` beside it) and runs `test` on its
/// type `T`.
fn with_type_t(src: &str, test: impl FnOnce(&mut Program<'_>, racelens_semantic::types::TypeId)) {
    with_package_a(src, |prog, p| {
        let t = named(prog, p, "T");
        test(prog, t)
    });
}

/// Checks `src` as package `example.com/a` and hands `test` the program and the package.
fn with_package_a(
    src: &str,
    test: impl FnOnce(&mut Program<'_>, racelens_semantic::types::PkgIdx),
) {
    let a = pkg("example.com/a", src);
    let m = Mem {
        a: a.clone(),
        b: pkg("example.com/b", B),
        c: pkg("example.com/c", C),
    };
    let cache = PackageCache::new();
    let mut prog = Program::new(&m, &cache);
    let p = prog.check_package("example.com/a", a, Path::new(""));
    test(&mut prog, p);
}

/// A type with many methods (found by name through an index beyond a few dozen) resolves
/// each as one with few does, a repeated name to its first declaration (what a search of
/// the list gives), and a missing one to none.
#[test]
fn methods_of_types_with_many_are_found_by_name() {
    for count in [3usize, 32, 33, 300] {
        let mut src = String::from("package a\n\ntype T struct{ F int }\n");
        for i in 0..count {
            src.push_str(&format!("func (T) M{i}(int) int {{ return {i} }}\n"));
        }
        // A second `M1` (a compile error Go reports; the checker keeps going), with another
        // signature, so that which one is found shows.
        src.push_str("func (*T) M1() string { return \"\" }\n");
        with_type_t(&src, |prog, t| {
            for i in 0..count {
                let want = format!("Method func(int)_int ptr=false def M{i}");
                assert_eq!(describe(prog, t, &format!("M{i}")), want, "{count} methods");
            }
            let field = describe(prog, t, "F");
            assert!(
                field.starts_with("Field int ptr=false member"),
                "{count}: {field}"
            );
            assert_eq!(describe(prog, t, "M1000"), "none", "{count}");
        });
    }
}

/// A struct with many fields (found by name through an index beyond a few dozen) resolves
/// each as one with few does: its own fields, a name declared twice as ambiguous, a field of
/// an embedded struct, an outer field over an embedded one of the same name, and a missing
/// one as none.
#[test]
fn fields_of_structs_with_many_are_found_by_name() {
    for count in [3usize, 32, 33, 300] {
        let mut src = String::from(
            "package a\n\ntype E struct {\n\tDeep string\n\tF1 string\n}\n\ntype P struct{ Q bool }\n\ntype T struct {\n\tE\n\t*P\n\tDup int\n\tDup string\n",
        );
        for i in 0..count {
            src.push_str(&format!("\tF{i} uint{}\n", [8, 16, 32, 64][i % 4]));
        }
        src.push_str("}\n");
        with_type_t(&src, |prog, t| {
            for i in 0..count {
                let want = format!("Field uint{} ptr=false member", [8, 16, 32, 64][i % 4]);
                let got = describe(prog, t, &format!("F{i}"));
                assert!(got.starts_with(&want), "{count} fields, F{i}: {got}");
            }
            let deep = describe(prog, t, "Deep");
            assert!(
                deep.starts_with("Field string ptr=false member"),
                "{count}: {deep}"
            );
            let q = describe(prog, t, "Q");
            assert!(q.starts_with("Field bool ptr=false member"), "{count}: {q}");
            assert_eq!(describe(prog, t, "Dup"), "none", "{count}");
            assert_eq!(describe(prog, t, "Missing"), "none", "{count}");
        });
    }
}

/// An interface with many methods, some of them from embedded interfaces and one name
/// declared by two of those (Go allows identical duplicates), resolves each method as one
/// with few does, before and after its method set is remembered, and a missing one to none;
/// a type parameter constrained by it finds the same methods; `implements` agrees.
#[test]
fn methods_of_interfaces_with_many_are_found_by_name() {
    for count in [3usize, 32, 33, 300] {
        let mut src = String::from("package a\n\ntype Base interface{ Close() error }\n\n");
        src.push_str(
            "type Other interface{ Close() error; Name() string }\n\ntype T interface {\n",
        );
        src.push_str("\tBase\n\tOther\n");
        for i in 0..count {
            src.push_str(&format!("\tM{i}(int) uint{}\n", [8, 16, 32, 64][i % 4]));
        }
        src.push_str("}\n\ntype Impl struct{}\n\nfunc (Impl) Close() error { return nil }\n");
        src.push_str("func (Impl) Name() string { return \"\" }\n");
        for i in 0..count {
            src.push_str(&format!(
                "func (Impl) M{i}(int) uint{} {{ return 0 }}\n",
                [8, 16, 32, 64][i % 4]
            ));
        }
        src.push_str("\ntype Short struct{ Impl }\n\nfunc (Short) M0() {}\n");
        src.push_str("\nfunc G[P T](p P) { p.Close() }\n");
        with_package_a(&src, |prog, p| {
            let t = named(prog, p, "T");
            let all = prog.interface_methods(t).expect("an interface");
            assert_eq!(all.len(), count + 2, "{count}: each name once");
            for round in 0..2 {
                for i in 0..count {
                    let want = format!("Method func(int)_uint{} ptr=false", [8, 16, 32, 64][i % 4]);
                    let got = describe(prog, t, &format!("M{i}"));
                    assert!(
                        got.starts_with(&want),
                        "{count}, round {round}, M{i}: {got}"
                    );
                }
                let close = describe(prog, t, "Close");
                assert!(close.starts_with("Method func()_error"), "{count}: {close}");
                let name = describe(prog, t, "Name");
                assert!(name.starts_with("Method func()_string"), "{count}: {name}");
                assert_eq!(describe(prog, t, "Missing"), "none", "{count}");
            }
            let imp = named(prog, p, "Impl");
            let short = named(prog, p, "Short");
            assert_eq!(prog.implements(imp, t), Some(true), "{count}");
            // `Short`'s own `M0` has another signature; only the names count here, as in
            // `implements`' contract (a method of that name exists).
            assert_eq!(prog.implements(short, t), Some(true), "{count}");
            let empty = named(prog, p, "Base");
            assert_eq!(prog.implements(empty, t), Some(false), "{count}");
        });
    }
}

/// A struct embedding many named types finds each promoted method and field, at the depth
/// it is declared, a name promoted from two embedded types at one depth as ambiguous, and a
/// missing one as none.
#[test]
fn members_promoted_through_many_embedded_types_are_found() {
    for count in [3usize, 32, 33, 300] {
        let mut src = String::from("package a\n\n");
        for i in 0..count {
            src.push_str(&format!(
                "type E{i} struct{{ X{i} uint{} }}\n\nfunc (*E{i}) M{i}() int {{ return {i} }}\n\n",
                [8, 16, 32, 64][i % 4]
            ));
        }
        src.push_str("type D1 struct{ Twice int }\n\ntype D2 struct{ Twice int }\n\n");
        src.push_str("type T struct {\n\tD1\n\tD2\n");
        for i in 0..count {
            src.push_str(&format!("\t*E{i}\n"));
        }
        src.push_str("}\n");
        with_type_t(&src, |prog, t| {
            for i in 0..count {
                let m = describe(prog, t, &format!("M{i}"));
                assert_eq!(m, format!("Method func()_int ptr=true def M{i}"), "{count}");
                let x = describe(prog, t, &format!("X{i}"));
                let want = format!("Field uint{} ptr=false member", [8, 16, 32, 64][i % 4]);
                assert!(x.starts_with(&want), "{count}, X{i}: {x}");
            }
            assert_eq!(describe(prog, t, "Twice"), "none", "{count}: ambiguous");
            assert_eq!(describe(prog, t, "Missing"), "none", "{count}");
        });
    }
}
