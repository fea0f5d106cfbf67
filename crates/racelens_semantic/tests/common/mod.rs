//! Checks and set-up shared by the integration tests (each test uses some of them).

#![allow(dead_code)]

use racelens_semantic::{DeclSite, DefKind, PackageScopes};
use racelens_syntax::ast::{ExprId, ExprKind, IdentId, SpecKind, StmtKind};
use racelens_syntax::token::TokenKind;
use racelens_syntax::File;

/// Every def's `site` is the syntax that holds its declaring identifier. Returns problems.
pub fn check_sites(files: &[&File], ps: &PackageScopes) -> Vec<String> {
    let mut problems = Vec::new();
    for def in &ps.defs {
        let (Some(fi), site) = (def.file, def.site) else {
            if !matches!(def.kind, DefKind::Builtin(_)) || def.site != DeclSite::Universe {
                problems.push(format!("`{}` has no file or a wrong site", def.name));
            }
            continue;
        };
        let f = files[fi as usize];
        let is = |e: Option<&ExprId>, id: Option<IdentId>| matches!(e.map(|&e| &f[e].kind), Some(ExprKind::Ident(x)) if Some(*x) == id);
        let ok = match site {
            DeclSite::Universe => false,
            DeclSite::Spec { spec, index } => match &f[spec].kind {
                SpecKind::Import { name, .. } => index == 0 && *name == def.ident,
                SpecKind::Value { names, .. } => names.get(index as usize).copied() == def.ident,
                SpecKind::Type { name, .. } => index == 0 && Some(*name) == def.ident,
            },
            DeclSite::Func(d) => matches!(&f[d].kind,
                racelens_syntax::ast::DeclKind::Func { name, .. } if Some(*name) == def.ident),
            DeclSite::Field { field, index } => {
                f[field].names.get(index as usize).copied() == def.ident
            }
            DeclSite::ReceiverTypeParam { field, index } => {
                let mut t = f[field].typ;
                while let ExprKind::Star { x } | ExprKind::Paren { x } = &f[t].kind {
                    t = *x;
                }
                match &f[t].kind {
                    ExprKind::Index { index: i, .. } => index == 0 && is(Some(i), def.ident),
                    ExprKind::IndexList { indices, .. } => {
                        is(f[indices].get(index as usize), def.ident)
                    }
                    _ => false,
                }
            }
            DeclSite::Define { stmt, index } => matches!(&f[stmt].kind,
                StmtKind::Assign { lhs, tok: TokenKind::Define, .. }
                    if is(f[lhs].get(index as usize), def.ident)),
            DeclSite::Range { stmt, index } => match &f[stmt].kind {
                StmtKind::Range { key, value, .. } => {
                    let list: Vec<ExprId> = [*key, *value].into_iter().flatten().collect();
                    is(list.get(index as usize), def.ident)
                }
                _ => false,
            },
            DeclSite::TypeSwitch(stmt) => match &f[stmt].kind {
                StmtKind::TypeSwitch { assign, .. } => matches!(&f[*assign].kind,
                    StmtKind::Assign { lhs, .. } if is(f[lhs].first(), def.ident)),
                _ => false,
            },
            DeclSite::Label(stmt) => matches!(&f[stmt].kind,
                StmtKind::Labeled { label, .. } if Some(*label) == def.ident),
        };
        if !ok && problems.len() < 50 {
            problems.push(format!(
                "{} `{}` (file {fi}): site {site:?} does not hold its identifier",
                def.kind.as_str(),
                def.name
            ));
        }
    }
    problems
}

/// A package of one file parsed from `src`, which must have no syntax error.
pub fn one_file_package(
    path: &str,
    src: &str,
) -> std::sync::Arc<racelens_semantic::import::SourcePackage> {
    let (file, errors) = racelens_syntax::parse(src.as_bytes());
    assert!(errors.is_empty(), "{errors:?}");
    std::sync::Arc::new(racelens_semantic::import::SourcePackage::new(path, [file]))
}
