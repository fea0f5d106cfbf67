//! Packages as the type checker sees them before any type is computed: parsed files, their
//! scopes, and indexes built once per package (methods by receiver type, specs by declared
//! name, the type expression of every parameter, result and field name, type switch clause
//! variables). `PackageCache` shares them, keyed by import path, across the packages and
//! threads of a run.

use crate::import::{Importer, SourcePackage};
use crate::scope::FxMap;
use crate::{extend_package, resolve_package_with, DefId, DefKind, PackageScopes};
use racelens_syntax::ast::{DeclKind, ExprId, IdentId, SpecId, SpecKind, StmtId};
use racelens_syntax::token::TokenKind;
use racelens_syntax::File;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

/// Where a `const`, `var` or `type` name is declared.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SpecInfo {
    pub spec: SpecId,
    /// The position of the name in its spec.
    pub index: u32,
    /// The spec index in its declaration: the value of `iota`.
    pub iota: u32,
    /// For constants: the spec whose type and values apply (the last one with values).
    pub values: SpecId,
}

/// One package, parsed and resolved.
pub struct Loaded {
    pub path: Arc<str>,
    pub src: Arc<SourcePackage>,
    pub scopes: PackageScopes,
    /// Methods of each package-level type name.
    pub methods: FxMap<DefId, Vec<DefId>>,
    /// Per file: the spec declaring each name.
    pub specs: Vec<FxMap<IdentId, SpecInfo>>,
    /// Per file: the type expression of each parameter, result, receiver, type parameter
    /// and field name.
    pub field_types: Vec<FxMap<IdentId, ExprId>>,
    /// The per-clause variable of each type switch clause, by file and clause.
    pub clause_defs: FxMap<(u32, StmtId), DefId>,
}

impl Loaded {
    pub fn new(path: &str, src: Arc<SourcePackage>, importer: &dyn Importer, dir: &Path) -> Loaded {
        let names = import_names(&src.files, importer, dir);
        let refs: Vec<&File> = src.files.iter().map(|f| &**f).collect();
        let scopes = resolve_package_with(&refs, &|p| names.get(p).cloned());
        let (specs, field_types) = src.files.iter().map(|f| file_indexes(f)).unzip();
        Loaded::assemble(path, src, scopes, specs, field_types)
    }

    /// Package `src` at `path`, whose files are those of `base` (the package as its
    /// importers see it) and its in-package test files: `origin[i]` is the index in
    /// `base.src.files` of `src.files[i]`, `None` for a test file. Equal to
    /// `Loaded::new(path, src, importer, dir)`, but only the test files are resolved; `None`
    /// when the resolution of `base` cannot be reused (see `extend_package`).
    pub fn extend(
        base: &Loaded,
        path: &str,
        src: Arc<SourcePackage>,
        origin: &[Option<usize>],
        importer: &dyn Importer,
        dir: &Path,
    ) -> Option<Loaded> {
        if origin.len() != src.files.len() {
            return None;
        }
        let names = import_names(&src.files, importer, dir);
        let refs: Vec<&File> = src.files.iter().map(|f| &**f).collect();
        let base_refs: Vec<&File> = base.src.files.iter().map(|f| &**f).collect();
        let scopes = extend_package(&base.scopes, &base_refs, &refs, origin, &|p| {
            names.get(p).cloned()
        })?;
        let mut specs = Vec::with_capacity(src.files.len());
        let mut field_types = Vec::with_capacity(src.files.len());
        for (f, o) in src.files.iter().zip(origin) {
            // The indexes of a file depend on that file alone.
            let (s, t) = match o {
                Some(k) => (
                    base.specs.get(*k)?.clone(),
                    base.field_types.get(*k)?.clone(),
                ),
                None => file_indexes(f),
            };
            specs.push(s);
            field_types.push(t);
        }
        Some(Loaded::assemble(path, src, scopes, specs, field_types))
    }

    fn assemble(
        path: &str,
        src: Arc<SourcePackage>,
        scopes: PackageScopes,
        specs: Vec<FxMap<IdentId, SpecInfo>>,
        field_types: Vec<FxMap<IdentId, ExprId>>,
    ) -> Loaded {
        let mut methods: FxMap<DefId, Vec<DefId>> = FxMap::default();
        let mut clause_defs = FxMap::default();
        for (i, d) in scopes.defs.iter().enumerate() {
            match &d.kind {
                DefKind::Method {
                    recv_type: Some(t), ..
                } => methods.entry(*t).or_default().push(DefId(i as u32)),
                DefKind::LocalVar => {
                    if let (Some(c), Some(f)) = (d.clause, d.file) {
                        clause_defs.insert((f, c), DefId(i as u32));
                    }
                }
                _ => {}
            }
        }
        let path = if src.path.is_empty() {
            path
        } else {
            src.path.as_str()
        };
        Loaded {
            path: path.into(),
            src,
            scopes,
            methods,
            specs,
            field_types,
            clause_defs,
        }
    }
}

/// The name of each package the files import, by import path, as `importer` finds it from
/// `dir` (`unsafe` is `unsafe`; `C` and packages it cannot find have none).
fn import_names(files: &[Arc<File>], importer: &dyn Importer, dir: &Path) -> FxMap<String, String> {
    let mut names: FxMap<String, String> = FxMap::default();
    let mut missing: FxMap<String, ()> = FxMap::default();
    for f in files {
        for spec in f.imports() {
            if let SpecKind::Import { path: p, .. } = &f[spec].kind {
                let lit = f.text(f[*p].span);
                let p = lit.trim_matches(|c| c == '"' || c == '`');
                if names.contains_key(p) || missing.contains_key(p) {
                    continue;
                }
                let name = match p {
                    "unsafe" => Some("unsafe".to_string()),
                    "C" => None,
                    _ => importer.package_name(p, dir),
                };
                match name {
                    Some(n) => names.insert(p.to_string(), n),
                    None => {
                        missing.insert(p.to_string(), ());
                        None
                    }
                };
            }
        }
    }
    names
}

/// The indexes of one file: the spec declaring each name, and the type expression of each
/// parameter, result, receiver, type parameter and field name.
fn file_indexes(f: &File) -> (FxMap<IdentId, SpecInfo>, FxMap<IdentId, ExprId>) {
    let mut m = FxMap::default();
    for decl in &f.decl_arena {
        let DeclKind::Gen {
            tok, specs: list, ..
        } = &decl.kind
        else {
            continue;
        };
        let mut values = None;
        for (iota, &s) in list.iter().enumerate() {
            match &f[s].kind {
                SpecKind::Value {
                    names,
                    typ,
                    values: v,
                } => {
                    if *tok != TokenKind::Const || typ.is_some() || !v.is_empty() {
                        values = Some(s);
                    }
                    for (index, &n) in names.iter().enumerate() {
                        m.insert(
                            n,
                            SpecInfo {
                                spec: s,
                                index: index as u32,
                                iota: iota as u32,
                                values: values.unwrap_or(s),
                            },
                        );
                    }
                }
                SpecKind::Type { name, .. } => {
                    m.insert(
                        *name,
                        SpecInfo {
                            spec: s,
                            index: 0,
                            iota: iota as u32,
                            values: s,
                        },
                    );
                }
                SpecKind::Import { .. } => {}
            }
        }
    }
    let mut ft = FxMap::default();
    ft.reserve(f.fields.len());
    for field in &f.fields {
        for &n in field.names.iter() {
            ft.insert(n, field.typ);
        }
    }
    (m, ft)
}

/// Loaded packages, shared by the `Program`s of a run (one per thread).
///
/// A package is identified by its source as the importer serves it (the `Arc`'s address;
/// the `Loaded` keeps the source alive, so the address is not reused): the importer decides
/// which package an import path means from the importing directory (vendor trees, module
/// boundaries), and one source is loaded once. A thread that needs a package another thread
/// is loading waits for it rather than loading it again.
#[derive(Default)]
pub struct PackageCache {
    map: Mutex<FxMap<usize, Arc<OnceLock<Arc<Loaded>>>>>,
}

impl PackageCache {
    pub fn new() -> PackageCache {
        PackageCache::default()
    }

    /// The package at `path`, loading it through `importer` on first use; `None` when its
    /// source is not available.
    pub fn get(&self, path: &str, importer: &dyn Importer, dir: &Path) -> Option<Arc<Loaded>> {
        let src = importer.import(path, dir)?;
        Some(self.load(path, src, importer, dir))
    }

    /// Package `src` at `path`, to be checked: the cache's when the importer serves this
    /// very source for `path` (`Importer::serves`, an importer over already parsed
    /// packages), so that a package is resolved once whether it is imported or checked
    /// first; else a package of its own, which the cache does not keep.
    pub fn for_check(
        &self,
        path: &str,
        src: Arc<SourcePackage>,
        importer: &dyn Importer,
        dir: &Path,
    ) -> Arc<Loaded> {
        if importer.serves(path, dir, &src) {
            self.load(path, src, importer, dir)
        } else {
            Arc::new(Loaded::new(path, src, importer, dir))
        }
    }

    /// Package `src` at `path`, to be checked, whose files are those of `base` (the package
    /// as importers see it) and its in-package test files (`origin` as in `Loaded::extend`).
    /// When the importer serves `base` for `path`, the cache's resolution of `base` (made
    /// now if no importer asked for it yet) is extended with the test files, instead of
    /// resolving every file again; else, or when it cannot be reused, the package is resolved
    /// from scratch. Either way the result equals `Loaded::new(path, src, importer, dir)`.
    pub fn for_check_extending(
        &self,
        path: &str,
        src: Arc<SourcePackage>,
        base: &Arc<SourcePackage>,
        origin: &[Option<usize>],
        importer: &dyn Importer,
        dir: &Path,
    ) -> Arc<Loaded> {
        if importer.serves(path, dir, base) {
            let base = self.load(path, base.clone(), importer, dir);
            if let Some(l) = Loaded::extend(&base, path, src.clone(), origin, importer, dir) {
                return Arc::new(l);
            }
        }
        Arc::new(Loaded::new(path, src, importer, dir))
    }

    fn load(
        &self,
        path: &str,
        src: Arc<SourcePackage>,
        importer: &dyn Importer,
        dir: &Path,
    ) -> Arc<Loaded> {
        let slot = self
            .map
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(Arc::as_ptr(&src) as usize)
            .or_default()
            .clone();
        // Loading happens outside the map's lock, so that threads load different packages
        // in parallel; `Loaded::new` does not use the cache, so waiting cannot deadlock.
        slot.get_or_init(|| Arc::new(Loaded::new(path, src, importer, dir)))
            .clone()
    }
}
