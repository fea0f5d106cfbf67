//! `parse_declarations` keeps every declaration of `parse` and only empties function bodies:
//! checked on every file of the Go 1.19 standard library.

use racelens_syntax::ast::{DeclKind, StmtKind};
use racelens_syntax::{parse, parse_declarations};
use std::path::{Path, PathBuf};

fn go_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            go_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "go") {
            out.push(p);
        }
    }
}

#[test]
fn declarations_only_matches_the_full_parse_outside_bodies() {
    let mut files = Vec::new();
    go_files(Path::new("/usr/lib/go-1.19/src"), &mut files);
    assert!(
        files.len() > 5000,
        "the Go 1.19 standard library source is missing: apt-get install -y golang-1.19-src"
    );
    let (mut bodies, mut compared) = (0usize, 0usize);
    for path in &files {
        let src = std::fs::read(path).unwrap();
        let (full, full_errors) = parse(&src);
        if !full_errors.is_empty() {
            continue;
        }
        let (decls, errors) = parse_declarations(&src);
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        assert_eq!(full.decls.len(), decls.decls.len(), "{}", path.display());
        assert_eq!(
            full.comments.len(),
            decls.comments.len(),
            "{}",
            path.display()
        );
        for (&a, &b) in full.decls.iter().zip(&decls.decls) {
            assert_eq!(full[a].span, decls[b].span, "{}", path.display());
            if let (
                DeclKind::Func {
                    body: Some(x),
                    name: n1,
                    ..
                },
                DeclKind::Func {
                    body: Some(y),
                    name: n2,
                    ..
                },
            ) = (&full[a].kind, &decls[b].kind)
            {
                assert_eq!(full.ident_name(*n1), decls.ident_name(*n2));
                assert_eq!(full[*x].span, decls[*y].span, "{}", path.display());
                let StmtKind::Block { list, .. } = &decls[*y].kind else {
                    panic!("{}: a skipped body is not a block", path.display());
                };
                assert!(list.is_empty());
                bodies += 1;
            }
        }
        assert!(decls.stmts.len() <= full.stmts.len());
        compared += 1;
    }
    assert!(
        compared > 5000 && bodies > 50_000,
        "compared {compared} files, {bodies} bodies"
    );
}

#[test]
fn an_unbalanced_body_is_an_error_not_a_hang() {
    let (file, errors) = parse_declarations(b"package p\n\nfunc f() {\n\tif x {\n");
    assert!(!errors.is_empty());
    assert_eq!(file.decls.len(), 1);
}
