//! Resolves every package of the Go 1.19 standard library (GOROOT/src, without testdata):
//! no panic, every declaring identifier has a def, every binding names its def, and the
//! captures and loop variables agree with a recomputation from spans and statements.

mod common;

use racelens_semantic::{resolve_package, DefId, PackageScopes, ScopeKind};
use racelens_syntax::ast::{DeclKind, ExprId, ExprKind, IdentId, Span, SpecKind, StmtId, StmtKind};
use racelens_syntax::token::TokenKind;
use racelens_syntax::File;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn goroot_src() -> PathBuf {
    let root = std::env::var("RACELENS_GOROOT").unwrap_or_else(|_| "/usr/lib/go-1.19".into());
    PathBuf::from(root).join("src")
}

fn go_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "testdata") {
                go_files(&p, out);
            }
        } else if p.extension().is_some_and(|e| e == "go") {
            out.push(p);
        }
    }
}

/// Identifiers that declare a name in a scope, found from the arenas (not by walking the
/// tree, so this does not share the resolver's traversal): spec names, function names,
/// receivers, parameters, results and type parameters of every signature, receiver type
/// parameters, `:=` and range `:=` left sides, labels. Field and method names of struct
/// and interface types are members and excluded.
fn declaring_idents(f: &File) -> Vec<IdentId> {
    let mut out = Vec::new();
    let fields = |list: racelens_syntax::ast::FieldListId, out: &mut Vec<IdentId>| {
        for &fl in f[list].list.iter() {
            out.extend(f[fl].names.iter().copied());
        }
    };
    for spec in &f.specs {
        match &spec.kind {
            SpecKind::Import { name, .. } => out.extend(name.iter().copied()),
            SpecKind::Value { names, .. } => out.extend(names.iter().copied()),
            SpecKind::Type {
                name, type_params, ..
            } => {
                out.push(*name);
                if let Some(tp) = type_params {
                    fields(*tp, &mut out);
                }
            }
        }
    }
    for decl in &f.decl_arena {
        if let DeclKind::Func { recv, name, .. } = &decl.kind {
            out.push(*name);
            if let Some(r) = recv {
                fields(*r, &mut out);
                if let Some(&first) = f[*r].list.first() {
                    let mut t = f[first].typ;
                    while let ExprKind::Star { x } | ExprKind::Paren { x } = &f[t].kind {
                        t = *x;
                    }
                    let params: Vec<_> = match &f[t].kind {
                        ExprKind::Index { index, .. } => vec![*index],
                        ExprKind::IndexList { indices, .. } => f[indices].to_vec(),
                        _ => Vec::new(),
                    };
                    for p in params {
                        if let ExprKind::Ident(id) = f[p].kind {
                            out.push(id);
                        }
                    }
                }
            }
        }
    }
    for e in &f.exprs {
        if let ExprKind::FuncType {
            type_params,
            params,
            results,
            ..
        } = &e.kind
        {
            for l in [*type_params, Some(*params), *results]
                .into_iter()
                .flatten()
            {
                fields(l, &mut out);
            }
        }
    }
    let idents = |list: &[racelens_syntax::ast::ExprId], out: &mut Vec<IdentId>| {
        for &x in list {
            if let ExprKind::Ident(id) = f[x].kind {
                out.push(id);
            }
        }
    };
    for s in &f.stmts {
        match &s.kind {
            StmtKind::Assign {
                lhs,
                tok: TokenKind::Define,
                ..
            } => idents(&f[lhs], &mut out),
            StmtKind::Range {
                key,
                value,
                tok: Some(TokenKind::Define),
                ..
            } => {
                let list: Vec<_> = [*key, *value].into_iter().flatten().collect();
                idents(&list, &mut out);
            }
            StmtKind::Labeled { label, .. } => out.push(*label),
            _ => {}
        }
    }
    out
}

fn check_package(files: &[(PathBuf, File)], ps: &PackageScopes, problems: &mut Vec<String>) {
    for (fi, (path, f)) in files.iter().enumerate() {
        for id in declaring_idents(f) {
            let name = f.ident_name(id);
            if name == "_" {
                continue;
            }
            if ps.binding(fi, id).is_none() && problems.len() < 50 {
                problems.push(format!(
                    "{}:{}: declaration of `{name}` has no def",
                    path.display(),
                    f[id].span.start
                ));
            }
        }
        check_captures(path, f, fi, ps, problems);
        check_loop_vars(path, f, fi, ps, problems);
        for (i, b) in ps.bindings(fi).iter().enumerate() {
            let Some(d) = b else { continue };
            let def = ps.def(*d);
            let name = f.ident_name(IdentId::new(i as u32));
            if &*def.name != name && problems.len() < 50 {
                problems.push(format!(
                    "{}:{}: `{name}` is bound to {} `{}`",
                    path.display(),
                    f.idents[i].span.start,
                    def.kind.as_str(),
                    def.name
                ));
            }
            // Only the parameters of a signature without body (a func type outside any
            // function) may be locals without function.
            let in_signature = matches!(ps.scopes[def.scope.index()].kind, ScopeKind::Signature(_));
            if def.kind.is_local_variable()
                && def.func.is_none()
                && !in_signature
                && problems.len() < 50
            {
                problems.push(format!(
                    "{}: local `{name}` without function",
                    path.display()
                ));
            }
        }
    }
}

/// Captures recomputed from spans alone: a function literal captures the local variables
/// used inside its span and declared outside it, at exactly those use sites.
fn check_captures(
    path: &Path,
    f: &File,
    fi: usize,
    ps: &PackageScopes,
    problems: &mut Vec<String>,
) {
    let inside = |outer: Span, inner: Span| inner.start >= outer.start && inner.end <= outer.end;
    for (lit, expr) in f.exprs_with_ids() {
        let ExprKind::FuncLit { .. } = expr.kind else {
            continue;
        };
        let mut expected: BTreeMap<DefId, Vec<IdentId>> = BTreeMap::new();
        for (i, b) in ps.bindings(fi).iter().enumerate() {
            let Some(d) = *b else { continue };
            let def = ps.def(d);
            let id = IdentId::new(i as u32);
            if !def.kind.is_local_variable() || !inside(expr.span, f[id].span) {
                continue;
            }
            let decl = def
                .ident
                .map(|di| f[di].span)
                .expect("locals have identifiers");
            if !inside(expr.span, decl) {
                expected.entry(d).or_default().push(id);
            }
        }
        let mut got: BTreeMap<DefId, Vec<IdentId>> = BTreeMap::new();
        for c in ps.captures(fi, lit) {
            let mut uses = c.uses.clone();
            uses.sort();
            if got.insert(c.def, uses).is_some() {
                problems.push(format!("{}: capture listed twice", path.display()));
            }
        }
        if got != expected && problems.len() < 50 {
            problems.push(format!(
                "{}:{}: function literal captures {got:?}, expected {expected:?}",
                path.display(),
                expr.span.start
            ));
        }
    }
}

/// Loop variables recomputed from the statements: exactly the new variables declared by
/// the init statement of a three-clause `for` or by a `range` clause with `:=`.
fn check_loop_vars(
    path: &Path,
    f: &File,
    fi: usize,
    ps: &PackageScopes,
    problems: &mut Vec<String>,
) {
    let mut expected: BTreeMap<DefId, StmtId> = BTreeMap::new();
    let mut declared = |list: &[ExprId], s: StmtId| {
        for &x in list {
            if let ExprKind::Ident(id) = f[x].kind {
                if let Some(d) = ps.binding(fi, id) {
                    if ps.def(d).ident == Some(id) {
                        expected.insert(d, s);
                    }
                }
            }
        }
    };
    for (i, stmt) in f.stmts.iter().enumerate() {
        let s = StmtId::new(i as u32);
        match &stmt.kind {
            StmtKind::For {
                init: Some(init), ..
            } => {
                if let StmtKind::Assign {
                    lhs,
                    tok: TokenKind::Define,
                    ..
                } = &f[*init].kind
                {
                    declared(&f[lhs], s);
                }
            }
            StmtKind::Range {
                key,
                value,
                tok: Some(TokenKind::Define),
                ..
            } => {
                let list: Vec<ExprId> = [*key, *value].into_iter().flatten().collect();
                declared(&list, s);
            }
            _ => {}
        }
    }
    for (i, def) in ps.defs.iter().enumerate() {
        let d = DefId(i as u32);
        if def.file != Some(fi as u32) {
            continue;
        }
        if def.loop_stmt != expected.get(&d).copied() && problems.len() < 50 {
            problems.push(format!(
                "{}: `{}` has loop statement {:?}, expected {:?}",
                path.display(),
                def.name,
                def.loop_stmt,
                expected.get(&d)
            ));
        }
    }
}

#[test]
fn resolves_the_whole_standard_library() {
    let src = goroot_src();
    assert!(
        src.join("fmt/print.go").is_file(),
        "Go standard library source not found under {} (install golang-1.19-src or set RACELENS_GOROOT)",
        src.display()
    );
    let mut paths = Vec::new();
    go_files(&src, &mut paths);
    // One package per directory and package clause (`p` and `p_test` are distinct,
    // and so are `//go:build ignore` programs declaring `package main`).
    let mut packages: BTreeMap<(PathBuf, String), Vec<(PathBuf, File)>> = BTreeMap::new();
    let mut syntax_errors = 0;
    for p in paths {
        let bytes = std::fs::read(&p).expect("readable source");
        let (file, errors) = racelens_syntax::parse(&bytes);
        if !errors.is_empty() {
            syntax_errors += 1;
            continue;
        }
        let key = (
            p.parent().expect("parent").to_path_buf(),
            file.package_name().to_string(),
        );
        packages.entry(key).or_default().push((p, file));
    }
    let mut problems = Vec::new();
    let (mut defs, mut bound, mut idents, mut captures) = (0usize, 0usize, 0usize, 0usize);
    let mut files = 0;
    for files_of in packages.values() {
        let refs: Vec<&File> = files_of.iter().map(|(_, f)| f).collect();
        let ps = resolve_package(&refs);
        check_package(files_of, &ps, &mut problems);
        problems.extend(common::check_sites(&refs, &ps));
        files += files_of.len();
        defs += ps.defs.len();
        for (fi, f) in refs.iter().enumerate() {
            bound += ps.bindings(fi).iter().filter(|b| b.is_some()).count();
            idents += f.idents.len();
            captures += ps.all_captures(fi).len();
        }
    }
    eprintln!(
        "{} packages, {files} files ({syntax_errors} with syntax errors skipped), {defs} defs, {bound} of {idents} identifiers bound, {captures} capturing literals",
        packages.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(files > 4000, "only {files} files resolved");
    assert!(
        syntax_errors * 100 < files,
        "{syntax_errors} files with syntax errors"
    );
    // Most identifiers are bound: the rest are selected fields and methods, struct
    // literal keys, member names and blanks.
    assert!(
        bound * 10 > idents * 6,
        "only {bound} of {idents} identifiers bound"
    );
}
