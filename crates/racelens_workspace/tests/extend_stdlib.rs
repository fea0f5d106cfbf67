//! A package checked with its in-package test files reuses the resolution its importers see
//! (`Loaded::extend`): on every package of the Go 1.19 standard library that has such test
//! files, the extended package equals the one resolved from scratch, def for def and binding
//! for binding, with the files in discovery order as the run gives them.

mod common;

use racelens_semantic::import::SourcePackage;
use racelens_semantic::types::Loaded;
use std::sync::Arc;

#[test]
fn extended_resolutions_equal_from_scratch_ones_on_the_standard_library() {
    let (loader, packages) = common::stdlib_packages_with_tests();
    let (mut extended, mut declined) = (0, Vec::new());
    for pkg in &packages {
        let source = |files: Vec<racelens_syntax::File>| {
            Arc::new(SourcePackage {
                path: pkg.import_path.clone(),
                files: files.into_iter().map(Arc::new).collect(),
            })
        };
        let lib = source(pkg.lib().into_iter().map(|(_, f)| f).collect());
        let all = source(pkg.files.iter().map(|(_, f, _)| f.clone()).collect());
        let origin = pkg.origin();
        let path = &pkg.import_path;
        let base = Loaded::new(path, lib, &loader, &pkg.dir);
        let scratch = Loaded::new(path, all.clone(), &loader, &pkg.dir);
        let Some(ext) = Loaded::extend(&base, path, all, &origin, &loader, &pkg.dir) else {
            declined.push(path.clone());
            continue;
        };
        extended += 1;
        let (a, b) = (&ext.scopes, &scratch.scopes);
        assert_eq!(a.defs.len(), b.defs.len(), "{path}: number of defs");
        for (i, (x, y)) in a.defs.iter().zip(&b.defs).enumerate() {
            assert_eq!(x, y, "{path}: def {i}");
        }
        assert_eq!(a.scopes, b.scopes, "{path}: scopes");
        for (fi, f) in all_files(&ext).enumerate() {
            for id in 0..f.idents.len() {
                let id = racelens_syntax::ast::IdentId::new(id as u32);
                assert_eq!(
                    a.binding(fi, id),
                    b.binding(fi, id),
                    "{path}: file {fi}, `{}`",
                    f.ident_name(id)
                );
            }
        }
        assert!(a == b, "{path}: scopes differ");
        assert_eq!(ext.specs, scratch.specs, "{path}: specs");
        assert_eq!(ext.field_types, scratch.field_types, "{path}: field types");
        assert_eq!(ext.methods, scratch.methods, "{path}: methods");
        assert_eq!(ext.clause_defs, scratch.clause_defs, "{path}: clause defs");
    }
    eprintln!(
        "{extended} packages extended, {} declined: {declined:?}",
        declined.len()
    );
    // Declining is for invalid Go or a redeclared universe name: rare in the standard
    // library, where 156 packages have in-package tests.
    assert!(extended > 140, "only {extended} packages extended");
    assert!(declined.len() < 10, "declined: {declined:?}");
}

fn all_files(l: &Loaded) -> impl Iterator<Item = &racelens_syntax::File> {
    l.src.files.iter().map(|f| &**f)
}
