//! Sharing in the type checker: a package imported and checked by the same program is one
//! package (its types are identical wherever they are used), and the package cache resolves
//! a source once, whether it is imported or checked first, when the importer serves that
//! very source.

mod common;

use racelens_semantic::import::{Importer, SourcePackage};
use racelens_semantic::types::{PackageCache, Program, Type};
use racelens_syntax::ast::ExprKind;
use std::path::Path;
use std::sync::Arc;

/// Serves two parsed packages, `example.com/a` and `example.com/b`; `serving` says whether
/// it admits serving them (`Importer::serves`).
struct Mem {
    a: Arc<SourcePackage>,
    b: Arc<SourcePackage>,
    serving: bool,
}

impl Importer for Mem {
    fn import(&self, path: &str, _from: &Path) -> Option<Arc<SourcePackage>> {
        match path {
            "example.com/a" => Some(self.a.clone()),
            "example.com/b" => Some(self.b.clone()),
            _ => None,
        }
    }

    fn serves(&self, path: &str, from: &Path, src: &Arc<SourcePackage>) -> bool {
        self.serving
            && self
                .import(path, from)
                .is_some_and(|s| Arc::ptr_eq(&s, src))
    }
}

use common::one_file_package as pkg;

fn mem(serving: bool) -> Mem {
    Mem {
        a: pkg(
            "example.com/a",
            "package a\n\nimport \"example.com/b\"\n\nfunc f(t b.T) int { return t.N }\n",
        ),
        b: pkg("example.com/b", "package b\n\ntype T struct{ N int }\n"),
        serving,
    }
}

#[test]
fn imported_then_checked_is_one_package() {
    let m = mem(true);
    let cache = PackageCache::new();
    let mut prog = Program::new(&m, &cache);
    let a = prog.check_package("example.com/a", m.a.clone(), Path::new(""));
    let b = prog.check_package("example.com/b", m.b.clone(), Path::new(""));
    // The type of `t` in `t.N` is b.T, declared by the package checked as `b`.
    let f = &m.a.files[0];
    let t = f
        .exprs_with_ids()
        .find_map(|(_, e)| match e.kind {
            ExprKind::Selector { x, .. } if f.text(e.span) == "t.N" => Some(x),
            _ => None,
        })
        .expect("the selector t.N");
    let ty = prog.type_of(a, 0, t);
    assert_eq!(prog.display(ty), "example.com/b.T");
    let Type::Named(n) = prog.types.get(ty) else {
        panic!("b.T is not named");
    };
    assert_eq!(n.obj.map(|o| o.pkg), Some(b));
}

#[test]
fn served_sources_are_resolved_once() {
    let m = mem(true);
    let cache = PackageCache::new();
    let checked = cache.for_check("example.com/b", m.b.clone(), &m, Path::new(""));
    let imported = cache.get("example.com/b", &m, Path::new("")).unwrap();
    assert!(Arc::ptr_eq(&checked, &imported));
    let again = cache
        .get("example.com/b", &m, Path::new("/elsewhere"))
        .unwrap();
    assert!(Arc::ptr_eq(&imported, &again));
}

#[test]
fn sources_not_served_are_not_shared() {
    let m = mem(false);
    let cache = PackageCache::new();
    let checked = cache.for_check("example.com/b", m.b.clone(), &m, Path::new(""));
    let imported = cache.get("example.com/b", &m, Path::new("")).unwrap();
    assert!(!Arc::ptr_eq(&checked, &imported));
}
