//! `parse_declarations` keeps every declaration of `parse` and only empties function bodies
//! and the values of composite literals whose type does not depend on them: checked on every
//! file of the Go 1.19 standard library; and the parses that keep the bytes given as the
//! tree's source give the trees of those that copy them.

use racelens_syntax::ast::{DeclKind, ExprKind, File, StmtKind};
use racelens_syntax::walk::{preorder, Node};
use racelens_syntax::{
    package_name, parse, parse_declarations, parse_declarations_owned, parse_owned,
};
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
    let (mut bodies, mut compared, mut literals) = (0usize, 0usize, 0usize);
    let mut dropped_comments = 0usize;
    for path in &files {
        let src = std::fs::read(path).unwrap();
        let (full, full_errors) = parse(&src);
        if !full_errors.is_empty() {
            continue;
        }
        let (decls, errors) = parse_declarations(&src);
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        assert_eq!(full.decls.len(), decls.decls.len(), "{}", path.display());
        // The comment groups outside what is skipped, and only those.
        let skipped = skipped_regions(&decls);
        let spans = |f: &File, keep: &dyn Fn(u32, u32) -> bool| -> Vec<Vec<(u32, u32)>> {
            f.comments
                .iter()
                .filter(|g| keep(g.span.start, g.span.end))
                .map(|g| g.list.iter().map(|c| (c.span.start, c.span.end)).collect())
                .collect()
        };
        let outside = |s: u32, e: u32| !skipped.iter().any(|&(a, b)| a < s && e <= b);
        let want = spans(&full, &outside);
        assert_eq!(spans(&decls, &|_, _| true), want, "{}", path.display());
        dropped_comments += full.comments.len() - want.len();
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
        let (want, skipped) = shape(&full, true);
        let (got, _) = shape(&decls, false);
        if want != got {
            let at = want.iter().zip(&got).position(|(a, b)| a != b).unwrap_or(0);
            panic!(
                "{}: from node {at}: {:?} vs {:?}",
                path.display(),
                &want[at.saturating_sub(2)..(at + 3).min(want.len())],
                &got[at.saturating_sub(2)..(at + 3).min(got.len())]
            );
        }
        literals += skipped;
        compared += 1;
    }
    assert!(
        compared > 5000 && bodies > 50_000 && literals > 1000 && dropped_comments > 10_000,
        "compared {compared} files, {bodies} bodies, {literals} literal values, \
         {dropped_comments} comment groups skipped"
    );
}

/// What `parse_declarations` skipped in `f`: the span of every function body, and of the
/// value of every composite literal left without elements whose type does not depend on them.
fn skipped_regions(f: &File) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = f
        .decls
        .iter()
        .filter_map(|&d| match &f[d].kind {
            DeclKind::Func { body: Some(b), .. } => Some((f[*b].span.start, f[*b].span.end)),
            _ => None,
        })
        .collect();
    for e in &f.exprs {
        if let ExprKind::CompositeLit {
            typ: Some(t),
            elts,
            lbrace,
            rbrace,
            ..
        } = &e.kind
        {
            if elts.is_empty() && type_without_elements(f, *t) {
                out.push((*lbrace, *rbrace + 1));
            }
        }
    }
    out
}

/// Every node of `f` outside function bodies, in pre-order, as its kind and span; with
/// `skip`, the elements of the composite literals that `parse_declarations` leaves out are
/// left out too (and counted).
fn shape(f: &File, skip: bool) -> (Vec<String>, usize) {
    let mut out = Vec::new();
    let mut skipped = 0;
    let roots: Vec<Node> = f.decls.iter().map(|&d| Node::Decl(d)).collect();
    preorder(f, &roots, |node| {
        let (kind, span) = match node {
            Node::Ident(i) => (format!("Ident {}", f.ident_name(i)), f[i].span),
            Node::Expr(e) => (format!("{:?}", f[e].kind), f[e].span),
            Node::Stmt(s) => (format!("{:?}", f[s].kind), f[s].span),
            Node::Decl(d) => (format!("{:?}", f[d].kind), f[d].span),
            Node::Spec(s) => (format!("{:?}", f[s].kind), f[s].span),
            Node::Field(x) => ("Field".to_string(), f[x].span),
            Node::FieldList(x) => ("FieldList".to_string(), f[x].span),
        };
        // The variant name: ids inside differ between the two trees.
        let name: String = kind
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == ' ')
            .collect();
        out.push(format!("{} {}..{}", name.trim(), span.start, span.end));
        match node {
            Node::Stmt(s) if matches!(f[s].kind, StmtKind::Block { .. }) => {
                // A function body (in the full tree) or its empty stand-in: not compared.
                !is_func_body(f, s)
            }
            Node::Expr(e) => match &f[e].kind {
                ExprKind::CompositeLit {
                    typ: Some(t), elts, ..
                } if skip && type_without_elements(f, *t) => {
                    // Its type is still compared.
                    out.push(format!("type {}..{}", f[*t].span.start, f[*t].span.end));
                    skipped += usize::from(!elts.is_empty());
                    false
                }
                ExprKind::CompositeLit {
                    typ: Some(t), elts, ..
                } if !skip && elts.is_empty() && type_without_elements(f, *t) => {
                    out.push(format!("type {}..{}", f[*t].span.start, f[*t].span.end));
                    false
                }
                _ => true,
            },
            _ => true,
        }
    });
    (out, skipped)
}

fn is_func_body(f: &File, s: racelens_syntax::ast::StmtId) -> bool {
    f.decls
        .iter()
        .any(|&d| matches!(f[d].kind, DeclKind::Func { body: Some(b), .. } if b == s))
}

/// The types whose composite literals `parse_declarations` leaves without elements.
fn type_without_elements(f: &File, t: racelens_syntax::ast::ExprId) -> bool {
    match &f[f.unparen(t)].kind {
        ExprKind::ArrayType { len: Some(n), .. } => {
            !matches!(f[*n].kind, ExprKind::Ellipsis { .. })
        }
        ExprKind::ArrayType { len: None, .. }
        | ExprKind::MapType { .. }
        | ExprKind::StructType { .. }
        | ExprKind::Ident(_)
        | ExprKind::Selector { .. }
        | ExprKind::Index { .. }
        | ExprKind::IndexList { .. } => true,
        _ => false,
    }
}

/// `parse_owned` and `parse_declarations_owned` give the trees and errors of `parse` and
/// `parse_declarations`, and keep the very bytes they are given (read by `std::fs::read`)
/// as the tree's source: on every GOROOT file, and on inputs that are empty, broken or not
/// UTF-8.
#[test]
fn owned_parses_are_the_borrowed_ones_without_a_copy() {
    use racelens_syntax::dump::dump;
    let mut files = Vec::new();
    go_files(Path::new("/usr/lib/go-1.19/src"), &mut files);
    assert!(files.len() > 5000);
    let mut same_bytes = 0;
    for path in &files {
        let src = std::fs::read(path).unwrap();
        let at = src.as_ptr();
        let (want, want_errors) = parse(&src);
        let copy = src.clone();
        let copy_at = copy.as_ptr();
        let (got, errors) = parse_owned(copy);
        same_bytes += usize::from(got.source.as_ptr() == copy_at);
        assert_eq!(errors, want_errors, "{}", path.display());
        assert_eq!(dump(&got), dump(&want), "{}", path.display());
        assert_eq!(&got.source[..], &want.source[..], "{}", path.display());
        assert_eq!(
            matches!(got.source, racelens_syntax::ast::Source::Text(_)),
            matches!(want.source, racelens_syntax::ast::Source::Text(_))
        );
        let (decls, _) = parse_declarations_owned(src);
        same_bytes += usize::from(decls.source.as_ptr() == at);
        let (want_decls, _) = parse_declarations(&want.source);
        assert_eq!(dump(&decls), dump(&want_decls), "{}", path.display());
    }
    assert_eq!(same_bytes, 2 * files.len(), "sources copied");
    for src in [
        &b""[..],
        b"package",
        b"package p\nfunc f() {\n\tx :=\n",
        b"package p\n// \xff\xfe not UTF-8\nvar s = \"\xc3\"\n",
    ] {
        let (want, want_errors) = parse(src);
        let (got, errors) = parse_owned(src.to_vec());
        assert_eq!(errors, want_errors);
        assert_eq!(dump(&got), dump(&want));
        assert_eq!(&got.source[..], src);
    }
}

#[test]
fn an_unbalanced_body_is_an_error_not_a_hang() {
    let (file, errors) = parse_declarations(b"package p\n\nfunc f() {\n\tif x {\n");
    assert!(!errors.is_empty());
    assert_eq!(file.decls.len(), 1);
}

/// `package_name` reads the name the parser gives a file from its first two tokens: the same
/// on every GOROOT file, on each cut short at every one of its first 64 bytes and a few
/// more places, and on clauses the parser reads on from.
#[test]
fn package_name_is_the_parsers() {
    let mut files = Vec::new();
    go_files(Path::new("/usr/lib/go-1.19/src"), &mut files);
    assert!(files.len() > 5000);
    let name = |src: &[u8]| {
        let (f, _) = parse_declarations(src);
        f.name.map(|n| f.ident_name(n).to_string())
    };
    let mut compared = 0;
    for path in &files {
        let src = std::fs::read(path).unwrap();
        let start = src.windows(8).position(|w| w == b"package ").unwrap_or(0);
        let cuts = (0..64).map(|k| start + k).chain([src.len() / 2, src.len()]);
        for cut in cuts.filter(|&c| c <= src.len()) {
            let part = &src[..cut];
            assert_eq!(
                package_name(part),
                name(part),
                "{} cut at {cut}",
                path.display()
            );
            compared += 1;
        }
    }
    assert!(compared > 300_000, "{compared}");
    for src in [
        &b""[..],
        b"package",
        b"package ;",
        b"pakage main",
        b"// c\n/* d */ package \xff",
        b"\xef\xbb\xbfpackage p",
        b"package p\x00",
        b"package \xc3\xa9t\xc3\xa9",
        b"func main() {}",
    ] {
        assert_eq!(
            package_name(src),
            name(src),
            "{:?}",
            String::from_utf8_lossy(src)
        );
    }
}
