//! The type checker: `Program` holds the type arena and the packages of one run (the checked
//! packages and, lazily and declarations only, what they import), computes the types of
//! declarations on demand and the type of every expression in the bodies of checked
//! packages. Whatever cannot be derived is `UNKNOWN`.

use super::load::{Loaded, PackageCache};
use super::ty::{
    BasicKind, DeclPos, Field, Interface, Method, Named, Obj, PkgIdx, Sig, Type, TypeId, Types,
    UNKNOWN,
};
use crate::import::{Importer, SourcePackage};
use crate::{BuiltinKind, DefId, DefKind};
use racelens_syntax::ast::{
    ChanDir, DeclKind, ExprId, ExprKind, FieldListId, IdentId, LitKind, SpecKind, StmtId,
};
use racelens_syntax::token::TokenKind;
use racelens_syntax::File;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a selector or a composite literal key denotes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ObjRef {
    /// A declared entity (for a method: the method's def, whose receiver names its type).
    Def(Obj),
    /// A struct field or an interface method, by the position of its name.
    Member(DeclPos),
    /// A name of the universe or of package `unsafe`.
    Universe,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SelKind {
    Field,
    Method,
    Qualified,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Selection {
    pub kind: SelKind,
    pub obj: ObjRef,
}

pub(crate) enum State {
    Todo,
    Busy,
    Done(TypeId),
}

pub(crate) struct Pkg {
    pub(crate) l: Arc<Loaded>,
    pub(crate) defs: Vec<State>,
    /// Per file, indexed by `ExprId`; empty until something in the file is typed.
    pub(crate) exprs: Vec<Vec<TypeId>>,
    pub(crate) sels: crate::scope::FxMap<(u32, ExprId), Selection>,
    /// For a checked package, whose every body is typed: the selections of each file by
    /// `ExprId` (empty until one is recorded), in place of `sels`, which keeps what was
    /// recorded before the package was checked (while it was only imported). A table per
    /// file costs less than hashing every selector of every body; imported packages, of
    /// which only a few declarations are typed, keep the map.
    pub(crate) sels_dense: Vec<Vec<Option<Selection>>>,
    pub(crate) keys: crate::scope::FxMap<(u32, IdentId), (ObjRef, TypeId)>,
    /// Keys of map, slice and array literals that the resolver left unbound.
    pub(crate) key_defs: crate::scope::FxMap<(u32, IdentId), Obj>,
}

/// The context of an expression: its package and file.
#[derive(Clone)]
pub(crate) struct Cx {
    pub(crate) p: PkgIdx,
    pub(crate) fi: u32,
    pub(crate) l: Arc<Loaded>,
}

impl Cx {
    pub(crate) fn f(&self) -> &File {
        &self.l.src.files[self.fi as usize]
    }
}

/// The type checker of one run (use one per thread; share the `PackageCache`).
pub struct Program<'a> {
    pub(crate) importer: &'a dyn Importer,
    pub(crate) cache: &'a PackageCache,
    pub types: Types,
    pub(crate) pkgs: Vec<Pkg>,
    /// Imported packages by import path, per importing directory (an import path may mean
    /// different packages in different modules or vendor trees), indexed by `dir_id`.
    by_path: Vec<crate::scope::FxMap<String, Option<PkgIdx>>>,
    /// The directory of the package being checked, and its index in `by_path`.
    dir: PathBuf,
    dir_id: usize,
    dirs: crate::scope::FxMap<PathBuf, usize>,
    /// Packages by their `Loaded` (its address, kept alive by `pkgs`): a package reached
    /// from several directories, or checked after being imported, is one package, so that
    /// its types are identical wherever they are used.
    by_loaded: crate::scope::FxMap<usize, PkgIdx>,
    /// Checked packages by path: importing their path from anywhere gives them (so that
    /// checking dependencies first makes their bodies' types visible to importers).
    checked: crate::scope::FxMap<String, PkgIdx>,
    /// The underlying type of each named type, by `TypeId` (`None` while it is computed,
    /// `Some(UNSET)` before), so that asking again is an index.
    underlying: Vec<Option<TypeId>>,
    /// The type parameters of each generic function signature.
    pub(crate) generic: crate::scope::FxMap<TypeId, Arc<[TypeId]>>,
    pub(crate) error: TypeId,
    pub(crate) empty_iface: TypeId,
    /// The result types of the functions whose bodies are being checked, innermost last.
    pub(crate) results: Vec<Option<Arc<[TypeId]>>>,
    pub(crate) lookup_bufs: super::lookup::LookupBufs,
    /// The dot-imported packages of each file (by package and file), read once per file:
    /// every identifier no scope binds asks for them.
    dot_imports: crate::scope::FxMap<(PkgIdx, u32), Arc<[PkgIdx]>>,
    /// What each selector whose operand names an import denotes, by package, file and
    /// selector: the body checker asks several times per selector (is it a type, a
    /// builtin, a call's function), and each answer costs a search of the file's qualified
    /// identifiers, two lookups by import path and one by name. The answer depends on the
    /// directory imports are resolved from and on the packages checked so far, which change
    /// only in `check_loaded`: it starts afresh there.
    quals: crate::scope::FxMap<(PkgIdx, u32, ExprId), QualMemo>,
    /// The depth of nested `nested` calls.
    nest: u32,
    /// How many answers were cut short so far: a declaration asked for while its own type
    /// is computed, an underlying type asked for while it is computed, a local variable
    /// typed before its declaration. An answer computed without any such cut is the same
    /// whenever it is asked for, so it may be remembered (see `lookup`).
    pub(crate) cuts: u64,
    /// The constants whose values are being computed (`const_def_int`): a constant whose
    /// value depends on itself through a type (`const c = unsafe.Sizeof(S[[c]byte]{})`, an
    /// initialization loop Go rejects) has none, instead of a recursion without end.
    const_busy: crate::scope::FxSet<Obj>,
    /// The answers of `lookup` by type and name, those computed without cuts.
    pub(crate) lookups:
        crate::scope::FxMap<TypeId, crate::scope::FxMap<Box<str>, Option<super::Found>>>,
    /// The methods of each named type with many of them, by name (the first of a name),
    /// made when first asked: finding one in the list would cost the list's length, and
    /// checking a type of thousands of methods (generated code) would cost that squared.
    pub(crate) method_names: crate::scope::FxMap<Obj, crate::scope::FxMap<Arc<str>, crate::DefId>>,
    /// The fields of each struct type with many of them, by name, made when first asked
    /// (`lookup`; generated structs of thousands of fields would cost that squared).
    pub(crate) field_names: crate::scope::FxMap<TypeId, super::lookup::FieldNames>,
    /// The method sets of interface types, with an index by name, those computed without
    /// cuts (`None`: not an interface): a lookup of a method on an interface would otherwise
    /// gather the set anew, and a body calling many methods of an interface of many methods
    /// would cost their product.
    pub(crate) iface_methods: crate::scope::FxMap<TypeId, Option<Arc<super::lookup::IfaceMethods>>>,
    /// `is_type` of the expressions of chains of parentheses, stars and indexes longer than
    /// `SHORT_TYPE_CHAIN`; like `quals`, on which it depends, started afresh by
    /// `check_loaded`.
    long_is_type: crate::scope::FxMap<(PkgIdx, u32, ExprId), bool>,
}

const MAX_DEPTH: u32 = 64;

/// How many parentheses, stars and indexes `Program::is_type` follows before it remembers
/// what it met.
const SHORT_TYPE_CHAIN: usize = 64;

/// The expression a parenthesis, star or index wraps: `Program::is_type` of it is theirs.
fn type_chain_step(f: &File, e: ExprId) -> Option<ExprId> {
    match f[e].kind {
        ExprKind::Paren { x }
        | ExprKind::Star { x }
        | ExprKind::Index { x, .. }
        | ExprKind::IndexList { x, .. } => Some(x),
        _ => None,
    }
}

/// How many nested calls of the checker's recursive functions share one stack check (see
/// `Program::nested`).
const NEST_STRIDE: u32 = 4;

impl racelens_syntax::stack::Nested for Program<'_> {
    fn depth(&mut self) -> &mut u32 {
        &mut self.nest
    }
}

impl<'a> Program<'a> {
    pub fn new(importer: &'a dyn Importer, cache: &'a PackageCache) -> Program<'a> {
        let mut types = Types::default();
        let string = types.basic(BasicKind::String);
        let err_sig = types.intern(Type::Func(Sig {
            params: Arc::new([]),
            results: Arc::new([string]),
            variadic: false,
        }));
        let error = types.intern(Type::Named(Named {
            obj: None,
            path: "".into(),
            name: "error".into(),
            args: Arc::new([]),
        }));
        let empty_iface = types.intern(Type::Interface(Interface {
            methods: Arc::new([]),
            embeds: Arc::new([]),
        }));
        let err_iface = types.intern(Type::Interface(Interface {
            methods: Arc::new([Method {
                name: "Error".into(),
                sig: err_sig,
                decl: None,
            }]),
            embeds: Arc::new([]),
        }));
        let mut underlying = Vec::new();
        set_underlying(&mut underlying, error, Some(err_iface));
        Program {
            importer,
            cache,
            types,
            pkgs: Vec::new(),
            by_path: vec![Default::default()],
            dir: PathBuf::new(),
            dir_id: 0,
            dirs: [(PathBuf::new(), 0)].into_iter().collect(),
            by_loaded: Default::default(),
            checked: Default::default(),
            underlying,
            generic: Default::default(),
            error,
            empty_iface,
            results: Vec::new(),
            lookup_bufs: Default::default(),
            dot_imports: Default::default(),
            quals: Default::default(),
            long_is_type: Default::default(),
            nest: 0,
            cuts: 0,
            const_busy: Default::default(),
            lookups: Default::default(),
            method_names: Default::default(),
            field_names: Default::default(),
            iface_methods: Default::default(),
        }
    }

    /// Runs `f` (a step of the checker's recursion over expressions, statements, types and
    /// declarations), first growing the stack when little is left. Asking how much is left
    /// reads a thread-local and the stack pointer, a sizeable part of typing a small
    /// expression, so only the first of every `NEST_STRIDE` nested calls asks: the frames
    /// of the others fit many times over in the 128 KiB kept free.
    #[inline]
    pub(crate) fn nested<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        racelens_syntax::stack::nested(self, NEST_STRIDE, 128 * 1024, 2 * 1024 * 1024, f)
    }

    /// The index of package `l`, added on first use.
    fn add_pkg(&mut self, l: Arc<Loaded>) -> PkgIdx {
        let key = Arc::as_ptr(&l) as usize;
        if let Some(&p) = self.by_loaded.get(&key) {
            return p;
        }
        let idx = PkgIdx(self.pkgs.len() as u32);
        let n = l.scopes.defs.len();
        let files = l.src.files.len();
        self.by_loaded.insert(key, idx);
        self.pkgs.push(Pkg {
            l,
            defs: (0..n).map(|_| State::Todo).collect(),
            exprs: vec![Vec::new(); files],
            sels: Default::default(),
            sels_dense: Vec::new(),
            keys: Default::default(),
            key_defs: Default::default(),
        });
        idx
    }

    /// The package with import path `path`, loaded declarations-first.
    pub(crate) fn import(&mut self, path: &str) -> Option<PkgIdx> {
        if let Some(&p) = self.checked.get(path) {
            return Some(p);
        }
        if let Some(p) = self.by_path[self.dir_id].get(path) {
            return *p;
        }
        let p = if path == "unsafe" || path == "C" {
            None
        } else {
            let l = self.cache.get(path, self.importer, &self.dir);
            l.map(|l| self.add_pkg(l))
        };
        self.by_path[self.dir_id].insert(path.to_string(), p);
        p
    }

    /// Checks the package `src` (declarations and every body) found in directory `dir`.
    pub fn check_package(&mut self, path: &str, src: Arc<SourcePackage>, dir: &Path) -> PkgIdx {
        let l = self.cache.for_check(path, src, self.importer, dir);
        self.check_loaded(l, dir)
    }

    /// Checks a package already loaded (with [`Loaded::new`] or the cache's `for_check`),
    /// whose scopes the caller may have used before types were needed.
    pub fn check_loaded(&mut self, l: Arc<Loaded>, dir: &Path) -> PkgIdx {
        self.quals.clear();
        self.long_is_type.clear();
        if self.dir != dir {
            self.dir = dir.to_path_buf();
            let next = self.by_path.len();
            self.dir_id = *self.dirs.entry(self.dir.clone()).or_insert(next);
            if self.dir_id == next {
                self.by_path.push(Default::default());
            }
        }
        let p = self.add_pkg(l.clone());
        self.checked.insert(l.path.to_string(), p);
        let pkg = &mut self.pkgs[p.0 as usize];
        if pkg.sels_dense.is_empty() {
            pkg.sels_dense = vec![Vec::new(); l.src.files.len()];
        }
        for fi in 0..l.src.files.len() {
            let cx = Cx {
                p,
                fi: fi as u32,
                l: l.clone(),
            };
            let f = cx.f();
            for &d in &f.decls {
                match &f[d].kind {
                    DeclKind::Func { typ, body, .. } => {
                        let t = self.expr(&cx, *typ, None);
                        if let Some(b) = body {
                            self.with_results(t, |p| p.stmt(&cx, *b));
                        }
                    }
                    DeclKind::Gen { .. } => self.gen_decl(&cx, d),
                    DeclKind::Bad => {}
                }
            }
        }
        p
    }

    pub fn path(&self, p: PkgIdx) -> &str {
        &self.pkgs[p.0 as usize].l.path
    }

    pub fn files(&self, p: PkgIdx) -> &[Arc<File>] {
        &self.pkgs[p.0 as usize].l.src.files
    }

    pub fn scopes(&self, p: PkgIdx) -> &crate::PackageScopes {
        &self.pkgs[p.0 as usize].l.scopes
    }

    /// The parsed and resolved package `p`.
    pub fn loaded(&self, p: PkgIdx) -> Arc<Loaded> {
        self.pkgs[p.0 as usize].l.clone()
    }

    /// The type of expression `e` of file `fi` of a checked package.
    pub fn type_of(&self, p: PkgIdx, fi: usize, e: ExprId) -> TypeId {
        self.pkgs[p.0 as usize].exprs[fi]
            .get(e.index())
            .copied()
            .unwrap_or(UNKNOWN)
    }

    /// What selector `e` denotes, if known.
    pub fn selection(&self, p: PkgIdx, fi: usize, e: ExprId) -> Option<Selection> {
        let pkg = &self.pkgs[p.0 as usize];
        if let Some(&Some(s)) = pkg.sels_dense.get(fi).and_then(|v| v.get(e.index())) {
            return Some(s);
        }
        pkg.sels.get(&(fi as u32, e)).copied()
    }

    /// The field a struct literal key denotes.
    pub fn key_field(&self, p: PkgIdx, fi: usize, id: IdentId) -> Option<(ObjRef, TypeId)> {
        self.pkgs[p.0 as usize].keys.get(&(fi as u32, id)).copied()
    }

    #[inline]
    pub(crate) fn record(&mut self, cx: &Cx, e: ExprId, t: TypeId) -> TypeId {
        let v = &mut self.pkgs[cx.p.0 as usize].exprs[cx.fi as usize];
        match v.get_mut(e.index()) {
            Some(slot) => *slot = t,
            None => self.record_first(cx, e, t),
        }
        t
    }

    /// `record` for the first expression typed in a file: its table is made then. Kept out
    /// of line, so that the frequent case stays small.
    #[cold]
    #[inline(never)]
    fn record_first(&mut self, cx: &Cx, e: ExprId, t: TypeId) {
        let v = &mut self.pkgs[cx.p.0 as usize].exprs[cx.fi as usize];
        if v.is_empty() {
            *v = vec![UNKNOWN; cx.f().exprs.len()];
        }
        v[e.index()] = t;
    }

    fn recorded(&self, cx: &Cx, e: ExprId) -> TypeId {
        self.pkgs[cx.p.0 as usize].exprs[cx.fi as usize]
            .get(e.index())
            .copied()
            .unwrap_or(UNKNOWN)
    }

    fn set_def(&mut self, p: PkgIdx, d: DefId, t: TypeId) {
        self.pkgs[p.0 as usize].defs[d.index()] = State::Done(t);
    }

    fn cx_of(&self, o: Obj) -> Option<Cx> {
        let l = self.loaded(o.pkg);
        let fi = l.scopes.def(o.def).file?;
        Some(Cx { p: o.pkg, fi, l })
    }

    // ---- declarations ----

    /// The type of a declared entity: the type a type name denotes, a variable's or
    /// constant's type, a function's signature (a method's without receiver).
    #[inline]
    pub fn def_type(&mut self, o: Obj) -> TypeId {
        match self.pkgs[o.pkg.0 as usize].defs[o.def.index()] {
            State::Done(t) => t,
            _ => self.def_type_slow(o),
        }
    }

    /// `def_type` of a def not typed yet (or being typed): kept out of line, so that the
    /// frequent answer from the table stays small.
    #[inline(never)]
    fn def_type_slow(&mut self, o: Obj) -> TypeId {
        match self.pkgs[o.pkg.0 as usize].defs[o.def.index()] {
            State::Done(t) => return t,
            State::Busy => {
                self.cuts += 1;
                return UNKNOWN;
            }
            State::Todo => {}
        }
        self.pkgs[o.pkg.0 as usize].defs[o.def.index()] = State::Busy;
        let t = self.nested(|p| p.compute_def_type(o));
        // A local variable whose declaration was not checked yet stays to be decided.
        let l = self.loaded(o.pkg);
        let keep_todo = matches!(
            l.scopes.def(o.def).kind,
            DefKind::LocalVar | DefKind::TypeSwitchVar
        ) && t == UNKNOWN;
        self.pkgs[o.pkg.0 as usize].defs[o.def.index()] = if keep_todo {
            self.cuts += 1;
            State::Todo
        } else {
            State::Done(t)
        };
        t
    }

    fn compute_def_type(&mut self, o: Obj) -> TypeId {
        let l = self.loaded(o.pkg);
        let d = l.scopes.def(o.def);
        match &d.kind {
            DefKind::Builtin(k) => return self.builtin_type(&d.name, *k),
            DefKind::Import(_) | DefKind::Label | DefKind::TypeSwitchVar => return UNKNOWN,
            _ => {}
        }
        let (Some(fi), Some(ident)) = (d.file, d.ident) else {
            return UNKNOWN;
        };
        let cx = Cx {
            p: o.pkg,
            fi,
            l: l.clone(),
        };
        let f = cx.f();
        match &d.kind {
            DefKind::PackageType | DefKind::LocalType => {
                let Some(si) = l.specs[fi as usize].get(&ident) else {
                    return UNKNOWN;
                };
                let SpecKind::Type {
                    assign,
                    typ,
                    type_params,
                    ..
                } = &f[si.spec].kind
                else {
                    return UNKNOWN;
                };
                if assign.is_some() {
                    return self.type_expr(&cx, *typ);
                }
                let _ = type_params;
                self.types.intern(Type::Named(Named {
                    obj: Some(o),
                    path: l.path.clone(),
                    name: Arc::from(&*d.name),
                    args: Arc::new([]),
                }))
            }
            DefKind::TypeParam => self.types.intern(Type::TypeParam {
                obj: o,
                name: Arc::from(&*d.name),
            }),
            DefKind::PackageVar | DefKind::LocalVar => {
                let Some(si) = l.specs[fi as usize].get(&ident).copied() else {
                    return UNKNOWN;
                };
                let SpecKind::Value { names, typ, values } = &f[si.spec].kind else {
                    return UNKNOWN;
                };
                if let Some(t) = typ {
                    return self.type_expr(&cx, *t);
                }
                if values.len() == names.len() {
                    let v = values[si.index as usize];
                    let t = self.expr(&cx, v, None);
                    if d.kind == DefKind::PackageVar {
                        self.convert_default(&cx, v);
                    }
                    self.default_type(t)
                } else if values.len() == 1 {
                    let t = self.expr_multi(&cx, values[0], names.len());
                    t.get(si.index as usize).copied().unwrap_or(UNKNOWN)
                } else {
                    UNKNOWN
                }
            }
            DefKind::PackageConst | DefKind::LocalConst => {
                let Some(si) = l.specs[fi as usize].get(&ident).copied() else {
                    return UNKNOWN;
                };
                let SpecKind::Value { typ, values, .. } = &f[si.values].kind else {
                    return UNKNOWN;
                };
                if let Some(t) = typ {
                    let t = self.type_expr(&cx, *t);
                    if si.values == si.spec {
                        if let Some(&v) = values.get(si.index as usize) {
                            self.expr(&cx, v, Some(t));
                            self.convert_untyped(&cx, v, t);
                        }
                    }
                    return t;
                }
                match values.get(si.index as usize) {
                    Some(&v) => {
                        if si.values == si.spec {
                            self.expr(&cx, v, None)
                        } else {
                            // A repeated expression is typed again, not recorded: its
                            // recorded type belongs to the spec that wrote it.
                            self.const_expr_type(&cx, v)
                        }
                    }
                    None => UNKNOWN,
                }
            }
            DefKind::PackageFunc | DefKind::Method { .. } => {
                let Some(typ) = func_type_of(f, &d.site, ident) else {
                    return UNKNOWN;
                };
                self.type_expr(&cx, typ)
            }
            DefKind::Param | DefKind::Result | DefKind::Receiver => {
                let Some(&te) = l.field_types[fi as usize].get(&ident) else {
                    return UNKNOWN;
                };
                if let ExprKind::Ellipsis { elt: Some(elt) } = f[te].kind {
                    let e = self.type_expr(&cx, elt);
                    return self.slice_of(e);
                }
                self.type_expr(&cx, te)
            }
            _ => UNKNOWN,
        }
    }

    /// The type of a constant expression repeated by an implicit const spec.
    fn const_expr_type(&mut self, cx: &Cx, e: ExprId) -> TypeId {
        let t = self.recorded(cx, e);
        if t != UNKNOWN {
            return t;
        }
        self.expr(cx, e, None)
    }

    fn builtin_type(&mut self, name: &str, k: BuiltinKind) -> TypeId {
        match k {
            BuiltinKind::Type => match name {
                "error" => self.error,
                "any" => self.empty_iface,
                "comparable" => {
                    let t = self.types.intern(Type::Named(Named {
                        obj: None,
                        path: "".into(),
                        name: "comparable".into(),
                        args: Arc::new([]),
                    }));
                    set_underlying(&mut self.underlying, t, Some(self.empty_iface));
                    t
                }
                _ => match BasicKind::from_name(name) {
                    Some(b) => self.types.basic(b),
                    None => UNKNOWN,
                },
            },
            BuiltinKind::Const => match name {
                "true" | "false" => self.types.basic(BasicKind::UntypedBool),
                "iota" => self.types.basic(BasicKind::UntypedInt),
                _ => UNKNOWN,
            },
            BuiltinKind::Nil => self.types.basic(BasicKind::UntypedNil),
            BuiltinKind::Func => UNKNOWN,
        }
    }

    pub(crate) fn gen_decl(&mut self, cx: &Cx, d: racelens_syntax::ast::DeclId) {
        let f = cx.f();
        let DeclKind::Gen { tok, specs, .. } = &f[d].kind else {
            return;
        };
        for &s in specs.iter() {
            match &f[s].kind {
                SpecKind::Value { names, typ, values } => {
                    let mut declared = Vec::new();
                    for &n in names.iter() {
                        match cx.l.scopes.binding(cx.fi as usize, n) {
                            Some(def) => declared.push(Some(self.def_type(Obj { pkg: cx.p, def }))),
                            None => declared.push(None),
                        }
                    }
                    if *tok == TokenKind::Var {
                        // Values of typed declarations, and of blank names, were not needed
                        // for the declared types: type them now.
                        if let Some(t) = typ {
                            let t = self.type_expr(cx, *t);
                            for &v in values.iter() {
                                self.expr(cx, v, Some(t));
                                self.convert_untyped(cx, v, t);
                            }
                        } else if values.len() == names.len() {
                            for (i, &v) in values.iter().enumerate() {
                                if declared[i].is_none() {
                                    self.expr(cx, v, None);
                                }
                            }
                        } else if values.len() == 1 && declared.iter().all(|d| d.is_none()) {
                            self.expr_multi(cx, values[0], names.len());
                        }
                    } else {
                        for &v in values.iter() {
                            self.expr(cx, v, None);
                        }
                    }
                }
                SpecKind::Type { name, typ, .. } => {
                    if let Some(def) = cx.l.scopes.binding(cx.fi as usize, *name) {
                        let t = self.def_type(Obj { pkg: cx.p, def });
                        self.underlying(t);
                    }
                    self.type_expr(cx, *typ);
                }
                SpecKind::Import { .. } => {}
            }
        }
    }

    // ---- type expressions ----

    pub(crate) fn slice_of(&mut self, e: TypeId) -> TypeId {
        if e == UNKNOWN {
            return UNKNOWN;
        }
        self.types.intern(Type::Slice(e))
    }

    /// What an identifier that no scope binds names through the file's dot imports
    /// (`import . "sync"` makes `Mutex` name `sync.Mutex`): an exported package-level
    /// entity of a dot-imported package.
    pub(crate) fn dot_imported(&mut self, cx: &Cx, id: IdentId) -> Option<Obj> {
        if !cx.l.scopes.files[cx.fi as usize].has_dot_import {
            return None;
        }
        let f = cx.f();
        let name = f.ident_name(id);
        if !name.starts_with(|c: char| c.is_uppercase()) {
            return None;
        }
        let pkgs = match self.dot_imports.get(&(cx.p, cx.fi)) {
            Some(pkgs) => pkgs.clone(),
            None => {
                let paths: Vec<String> = f
                    .imports()
                    .filter_map(|spec| match &f[spec].kind {
                        SpecKind::Import {
                            name: Some(n),
                            path,
                            ..
                        } if f.ident_name(*n) == "." => Some(
                            f.text(f[*path].span)
                                .trim_matches(|c| c == '"' || c == '`')
                                .to_string(),
                        ),
                        _ => None,
                    })
                    .collect();
                let pkgs: Arc<[PkgIdx]> = paths.iter().filter_map(|p| self.import(p)).collect();
                self.dot_imports.insert((cx.p, cx.fi), pkgs.clone());
                pkgs
            }
        };
        for &p in pkgs.iter() {
            let scopes = &self.pkgs[p.0 as usize].l.scopes;
            if let Some(def) = scopes.lookup_package(name) {
                if matches!(
                    scopes.def(def).kind,
                    DefKind::PackageVar
                        | DefKind::PackageConst
                        | DefKind::PackageType
                        | DefKind::PackageFunc
                ) {
                    return Some(Obj { pkg: p, def });
                }
            }
        }
        None
    }

    /// Whether expression `e` denotes a type.
    /// Whether `e` denotes a type. Parentheses, stars and indexes say what the expression
    /// inside them says; a chain of them is asked again at each of its levels while its
    /// expressions are typed, so a chain longer than `SHORT_TYPE_CHAIN` is remembered, node
    /// by node, instead of followed each time (which cost its length squared).
    pub(crate) fn is_type(&mut self, cx: &Cx, e: ExprId) -> bool {
        let f = cx.f();
        let mut base = e;
        for _ in 0..SHORT_TYPE_CHAIN {
            match type_chain_step(f, base) {
                Some(x) => base = x,
                None => return self.is_type_base(cx, base),
            }
        }
        self.is_type_long(cx, base)
    }

    /// `is_type` of what is left of a chain longer than `SHORT_TYPE_CHAIN`, remembered for
    /// each of its expressions.
    #[cold]
    #[inline(never)]
    fn is_type_long(&mut self, cx: &Cx, e: ExprId) -> bool {
        let f = cx.f();
        let mut chain = Vec::new();
        let mut base = e;
        let known = loop {
            if let Some(&answer) = self.long_is_type.get(&(cx.p, cx.fi, base)) {
                break Some(answer);
            }
            match type_chain_step(f, base) {
                Some(x) => {
                    chain.push(base);
                    base = x;
                }
                None => break None,
            }
        };
        let answer = known.unwrap_or_else(|| self.is_type_base(cx, base));
        for x in chain {
            self.long_is_type.insert((cx.p, cx.fi, x), answer);
        }
        answer
    }

    /// `is_type` of an expression that is not a parenthesis, a star or an index.
    #[inline]
    fn is_type_base(&mut self, cx: &Cx, e: ExprId) -> bool {
        let f = cx.f();
        match &f[e].kind {
            ExprKind::Ident(id) => match cx.l.scopes.binding(cx.fi as usize, *id) {
                Some(d) => matches!(
                    cx.l.scopes.def(d).kind,
                    DefKind::PackageType
                        | DefKind::LocalType
                        | DefKind::TypeParam
                        | DefKind::Builtin(BuiltinKind::Type)
                ),
                None => self.dot_imported(cx, *id).is_some_and(|o| {
                    self.pkgs[o.pkg.0 as usize].l.scopes.def(o.def).kind == DefKind::PackageType
                }),
            },
            ExprKind::Selector { .. } => match self.qualified(cx, e) {
                Some(Qual::Obj(o)) => matches!(
                    self.pkgs[o.pkg.0 as usize].l.scopes.def(o.def).kind,
                    DefKind::PackageType
                ),
                Some(Qual::Unsafe(n)) => n == "Pointer",
                _ => false,
            },
            ExprKind::ArrayType { .. }
            | ExprKind::MapType { .. }
            | ExprKind::ChanType { .. }
            | ExprKind::FuncType { .. }
            | ExprKind::StructType { .. }
            | ExprKind::InterfaceType { .. } => true,
            _ => false,
        }
    }

    pub(crate) fn type_expr(&mut self, cx: &Cx, e: ExprId) -> TypeId {
        let t = self.nested(|p| p.type_expr_inner(cx, e));
        self.record(cx, e, t)
    }

    fn type_expr_inner(&mut self, cx: &Cx, e: ExprId) -> TypeId {
        let f = cx.f();
        match &f[e].kind {
            ExprKind::Ident(id) => match cx.l.scopes.binding(cx.fi as usize, *id) {
                Some(def) => match cx.l.scopes.def(def).kind {
                    DefKind::PackageType
                    | DefKind::LocalType
                    | DefKind::TypeParam
                    | DefKind::Builtin(BuiltinKind::Type) => self.def_type(Obj { pkg: cx.p, def }),
                    _ => UNKNOWN,
                },
                None => match self.dot_imported(cx, *id) {
                    Some(o)
                        if self.pkgs[o.pkg.0 as usize].l.scopes.def(o.def).kind
                            == DefKind::PackageType =>
                    {
                        self.def_type(o)
                    }
                    _ => UNKNOWN,
                },
            },
            ExprKind::Selector { .. } => {
                let q = self.qualified(cx, e);
                let t = match &q {
                    Some(Qual::Obj(o)) => self.def_type(*o),
                    Some(Qual::Unsafe(n)) if n == "Pointer" => {
                        self.types.basic(BasicKind::UnsafePointer)
                    }
                    _ => UNKNOWN,
                };
                self.record_qualified(cx, e, q.as_ref());
                t
            }
            ExprKind::Paren { x } => self.type_expr(cx, *x),
            ExprKind::Star { x } => {
                let t = self.type_expr(cx, *x);
                if t == UNKNOWN {
                    UNKNOWN
                } else {
                    self.types.intern(Type::Pointer(t))
                }
            }
            ExprKind::ArrayType { len, elt } => {
                let elt = self.type_expr(cx, *elt);
                if elt == UNKNOWN {
                    return UNKNOWN;
                }
                match len {
                    None => self.types.intern(Type::Slice(elt)),
                    Some(n) => {
                        if !matches!(f[*n].kind, ExprKind::Ellipsis { .. }) {
                            self.expr(cx, *n, None);
                        }
                        match self.const_int(cx, *n, None, 0) {
                            Some(n) if n >= 0 => self.types.intern(Type::Array(n as u64, elt)),
                            _ => UNKNOWN,
                        }
                    }
                }
            }
            ExprKind::MapType { key, value } => {
                let k = self.type_expr(cx, *key);
                let v = self.type_expr(cx, *value);
                if k == UNKNOWN || v == UNKNOWN {
                    return UNKNOWN;
                }
                self.types.intern(Type::Map(k, v))
            }
            ExprKind::ChanType { dir, value, .. } => {
                let v = self.type_expr(cx, *value);
                if v == UNKNOWN {
                    return UNKNOWN;
                }
                self.types.intern(Type::Chan(*dir, v))
            }
            ExprKind::FuncType {
                params,
                results,
                type_params,
                ..
            } => {
                let mut tparams = Vec::new();
                if let Some(tp) = type_params {
                    for &fl in f[*tp].list.iter() {
                        for &n in f[fl].names.iter() {
                            if let Some(def) = cx.l.scopes.binding(cx.fi as usize, n) {
                                tparams.push(self.def_type(Obj { pkg: cx.p, def }));
                            }
                        }
                    }
                }
                let (ps, variadic) = self.field_list_types(cx, *params);
                let rs = match results {
                    Some(r) => self.field_list_types(cx, *r).0,
                    None => Vec::new(),
                };
                let t = self.types.intern(Type::Func(Sig {
                    params: ps.into(),
                    results: rs.into(),
                    variadic,
                }));
                if !tparams.is_empty() {
                    self.generic.insert(t, tparams.into());
                }
                t
            }
            ExprKind::StructType { fields, .. } => {
                let mut out = Vec::with_capacity(f[*fields].list.len());
                for &fl in f[*fields].list.iter() {
                    let field = &f[fl];
                    let t = self.type_expr(cx, field.typ);
                    let tag = field.tag.map(|t| f.text(f[t].span).into());
                    if field.names.is_empty() {
                        let (name, _) = embedded_name(f, field.typ);
                        let pos = f[field.typ].span.start;
                        out.push(Field {
                            name: name.into(),
                            ty: t,
                            embedded: true,
                            tag: tag.clone(),
                            decl: Some(DeclPos {
                                pkg: cx.p,
                                offset: pos,
                            }),
                        });
                    }
                    for &n in field.names.iter() {
                        out.push(Field {
                            name: f.ident_name(n).into(),
                            ty: t,
                            embedded: false,
                            tag: tag.clone(),
                            decl: Some(DeclPos {
                                pkg: cx.p,
                                offset: f[n].span.start,
                            }),
                        });
                    }
                }
                self.types.intern(Type::Struct(out.into()))
            }
            ExprKind::InterfaceType { methods, .. } => {
                let mut ms = Vec::new();
                let mut embeds = Vec::new();
                for &fl in f[*methods].list.iter() {
                    let field = &f[fl];
                    if field.names.is_empty() {
                        let t = self.constraint_elem(cx, field.typ);
                        embeds.push(t);
                    } else {
                        let sig = self.type_expr(cx, field.typ);
                        for &n in field.names.iter() {
                            ms.push(Method {
                                name: f.ident_name(n).into(),
                                sig,
                                decl: Some(DeclPos {
                                    pkg: cx.p,
                                    offset: f[n].span.start,
                                }),
                            });
                        }
                    }
                }
                ms.sort_by(|a, b| a.name.cmp(&b.name));
                self.types.intern(Type::Interface(Interface {
                    methods: ms.into(),
                    embeds: embeds.into(),
                }))
            }
            ExprKind::Index { x, index, .. } => {
                let base = self.type_expr(cx, *x);
                let arg = self.type_expr(cx, *index);
                self.instantiate(base, &[arg])
            }
            ExprKind::IndexList { x, indices, .. } => {
                let base = self.type_expr(cx, *x);
                let args: Vec<_> = f[indices].iter().map(|&i| self.type_expr(cx, i)).collect();
                self.instantiate(base, &args)
            }
            _ => UNKNOWN,
        }
    }

    /// An element of an interface: an embedded interface, a union, `~T`, or a type.
    fn constraint_elem(&mut self, cx: &Cx, e: ExprId) -> TypeId {
        let f = cx.f();
        let mut terms = Vec::new();
        let mut stack = vec![e];
        let mut is_union = false;
        while let Some(e) = stack.pop() {
            match &f[e].kind {
                ExprKind::Binary {
                    x,
                    op: TokenKind::Or,
                    y,
                    ..
                } => {
                    is_union = true;
                    stack.push(*y);
                    stack.push(*x);
                }
                ExprKind::Unary {
                    op: TokenKind::Tilde,
                    x,
                } => {
                    is_union = true;
                    let t = self.type_expr(cx, *x);
                    terms.push((true, t));
                }
                _ => {
                    let t = self.type_expr(cx, e);
                    terms.push((false, t));
                }
            }
        }
        let t = if is_union {
            self.types.intern(Type::Union(terms.into()))
        } else {
            terms.first().map(|t| t.1).unwrap_or(UNKNOWN)
        };
        self.record(cx, e, t)
    }

    fn field_list_types(&mut self, cx: &Cx, list: FieldListId) -> (Vec<TypeId>, bool) {
        let f = cx.f();
        // One type per name (or per unnamed field): sized at once, as signatures are many.
        let n = f[list]
            .list
            .iter()
            .map(|&fl| f[fl].names.len().max(1))
            .sum();
        let mut out = Vec::with_capacity(n);
        let mut variadic = false;
        for &fl in f[list].list.iter() {
            let field = &f[fl];
            let t = if let ExprKind::Ellipsis { elt: Some(elt) } = f[field.typ].kind {
                variadic = true;
                let e = self.type_expr(cx, elt);
                self.slice_of(e)
            } else {
                self.type_expr(cx, field.typ)
            };
            let n = field.names.len().max(1);
            for _ in 0..n {
                out.push(t);
            }
        }
        (out, variadic)
    }

    /// The instance of generic named type `base` with `args`.
    pub(crate) fn instantiate(&mut self, base: TypeId, args: &[TypeId]) -> TypeId {
        if args.contains(&UNKNOWN) {
            return UNKNOWN;
        }
        match self.types.get(base) {
            Type::Named(n) if n.args.is_empty() && n.obj.is_some() => {
                let mut n = n.clone();
                let params = self.type_params_of(n.obj.unwrap_or_else(|| unreachable!()));
                if params.len() != args.len() {
                    return UNKNOWN;
                }
                n.args = args.into();
                self.types.intern(Type::Named(n))
            }
            _ => UNKNOWN,
        }
    }

    /// The type parameters of a generic type declaration (empty if it is not generic).
    pub(crate) fn type_params_of(&mut self, o: Obj) -> Vec<Obj> {
        let l = self.loaded(o.pkg);
        let d = l.scopes.def(o.def);
        let (Some(fi), Some(ident)) = (d.file, d.ident) else {
            return Vec::new();
        };
        let f = &l.src.files[fi as usize];
        let Some(si) = l.specs[fi as usize].get(&ident) else {
            return Vec::new();
        };
        let SpecKind::Type {
            type_params: Some(tp),
            ..
        } = &f[si.spec].kind
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for &fl in f[*tp].list.iter() {
            for &n in f[fl].names.iter() {
                if let Some(def) = l.scopes.binding(fi as usize, n) {
                    out.push(Obj { pkg: o.pkg, def });
                }
            }
        }
        out
    }

    /// The underlying type of `t` (itself unless it is a named type); `UNKNOWN` for a named
    /// type whose declaration cannot be typed.
    pub fn underlying(&mut self, t: TypeId) -> TypeId {
        let mut cur = t;
        for _ in 0..MAX_DEPTH {
            let Type::Named(n) = self.types.get(cur) else {
                return cur;
            };
            let known = self
                .underlying
                .get(cur.0 as usize)
                .copied()
                .unwrap_or(Some(UNSET));
            let next = match known {
                Some(u) if u != UNSET => u,
                None => {
                    self.cuts += 1;
                    return UNKNOWN;
                }
                Some(_) => {
                    let n = n.clone();
                    set_underlying(&mut self.underlying, cur, None);
                    let u = self.nested(|p| p.compute_underlying(&n));
                    set_underlying(&mut self.underlying, cur, Some(u));
                    u
                }
            };
            if next == UNKNOWN {
                return UNKNOWN;
            }
            cur = next;
        }
        UNKNOWN
    }

    fn compute_underlying(&mut self, n: &Named) -> TypeId {
        let Some(o) = n.obj else {
            return UNKNOWN;
        };
        let Some(cx) = self.cx_of(o) else {
            return UNKNOWN;
        };
        let l = cx.l.clone();
        let d = l.scopes.def(o.def);
        let Some(ident) = d.ident else {
            return UNKNOWN;
        };
        let Some(si) = l.specs[cx.fi as usize].get(&ident) else {
            return UNKNOWN;
        };
        let SpecKind::Type { typ, .. } = &cx.f()[si.spec].kind else {
            return UNKNOWN;
        };
        let u = self.type_expr(&cx, *typ);
        if n.args.is_empty() {
            return u;
        }
        let params = self.type_params_of(o);
        if params.len() != n.args.len() {
            return UNKNOWN;
        }
        let map: HashMap<Obj, TypeId> = params.into_iter().zip(n.args.iter().copied()).collect();
        self.subst(u, &map, 0)
    }

    /// `t` with type parameters replaced as `map` says.
    pub(crate) fn subst(&mut self, t: TypeId, map: &HashMap<Obj, TypeId>, depth: u32) -> TypeId {
        if depth > MAX_DEPTH || map.is_empty() {
            return if depth > MAX_DEPTH { UNKNOWN } else { t };
        }
        let d = depth + 1;
        let ty = self.types.get(t).clone();
        let new = match ty {
            Type::TypeParam { obj, .. } => return map.get(&obj).copied().unwrap_or(t),
            Type::Unknown | Type::Basic(_) => return t,
            Type::Named(mut n) => {
                if n.args.is_empty() {
                    return t;
                }
                n.args = n.args.iter().map(|&a| self.subst(a, map, d)).collect();
                Type::Named(n)
            }
            Type::Pointer(e) => Type::Pointer(self.subst(e, map, d)),
            Type::Slice(e) => Type::Slice(self.subst(e, map, d)),
            Type::Array(n, e) => Type::Array(n, self.subst(e, map, d)),
            Type::Chan(dir, e) => Type::Chan(dir, self.subst(e, map, d)),
            Type::Map(k, v) => Type::Map(self.subst(k, map, d), self.subst(v, map, d)),
            Type::Func(s) => Type::Func(Sig {
                params: s.params.iter().map(|&p| self.subst(p, map, d)).collect(),
                results: s.results.iter().map(|&p| self.subst(p, map, d)).collect(),
                variadic: s.variadic,
            }),
            Type::Struct(fs) => Type::Struct(
                fs.iter()
                    .map(|f| Field {
                        ty: self.subst(f.ty, map, d),
                        ..f.clone()
                    })
                    .collect(),
            ),
            Type::Interface(i) => Type::Interface(Interface {
                methods: i
                    .methods
                    .iter()
                    .map(|m| Method {
                        sig: self.subst(m.sig, map, d),
                        ..m.clone()
                    })
                    .collect(),
                embeds: i.embeds.iter().map(|&e| self.subst(e, map, d)).collect(),
            }),
            Type::Tuple(ts) => Type::Tuple(ts.iter().map(|&e| self.subst(e, map, d)).collect()),
            Type::Union(ts) => Type::Union(
                ts.iter()
                    .map(|&(b, e)| (b, self.subst(e, map, d)))
                    .collect(),
            ),
        };
        self.types.intern(new)
    }

    /// The default type of an untyped constant type; other types unchanged.
    pub fn default_type(&mut self, t: TypeId) -> TypeId {
        match self.types.get(t) {
            Type::Basic(BasicKind::UntypedNil) => UNKNOWN,
            Type::Basic(k) if k.is_untyped() => {
                let k = k.default_kind();
                self.types.basic(k)
            }
            _ => t,
        }
    }

    // ---- constants ----

    /// The value of an integer constant expression, when it can be computed.
    pub(crate) fn const_int(
        &mut self,
        cx: &Cx,
        e: ExprId,
        iota: Option<i128>,
        depth: u32,
    ) -> Option<i128> {
        if depth > MAX_DEPTH {
            return None;
        }
        let d = depth + 1;
        let f = cx.f();
        match &f[e].kind {
            ExprKind::BasicLit { kind } => {
                let text = f.text(f[e].span).replace('_', "");
                match kind {
                    LitKind::Int => parse_int(&text),
                    LitKind::Char => parse_char(&text),
                    _ => None,
                }
            }
            ExprKind::Paren { x } => self.const_int(cx, *x, iota, d),
            ExprKind::Ident(id) => {
                let def = cx.l.scopes.binding(cx.fi as usize, *id)?;
                self.const_def_int(Obj { pkg: cx.p, def }, iota, d)
            }
            ExprKind::Selector { .. } => match self.qualified(cx, e)? {
                Qual::Obj(o) => self.const_def_int(o, None, d),
                Qual::Unsafe(_) => None,
            },
            ExprKind::Unary { op, x } => {
                let v = self.const_int(cx, *x, iota, d)?;
                match op {
                    TokenKind::Sub => v.checked_neg(),
                    TokenKind::Add => Some(v),
                    TokenKind::Xor => {
                        // `^x` of an unsigned typed constant flips only its bits.
                        let t = self.expr(cx, *x, None);
                        let u = self.underlying(t);
                        let bits = match self.types.get(u) {
                            Type::Basic(k) => match k {
                                BasicKind::Uint8 => Some(8),
                                BasicKind::Uint16 => Some(16),
                                BasicKind::Uint32 => Some(32),
                                BasicKind::Uint64 | BasicKind::Uint | BasicKind::Uintptr => {
                                    Some(64)
                                }
                                k if k.is_integer() => None,
                                _ => return None,
                            },
                            _ => return None,
                        };
                        match bits {
                            Some(b) => Some(!v & ((1i128 << b) - 1)),
                            None => Some(!v),
                        }
                    }
                    _ => None,
                }
            }
            ExprKind::Binary { x, op, y, .. } => {
                let a = self.const_int(cx, *x, iota, d)?;
                let b = self.const_int(cx, *y, iota, d)?;
                match op {
                    TokenKind::Add => a.checked_add(b),
                    TokenKind::Sub => a.checked_sub(b),
                    TokenKind::Mul => a.checked_mul(b),
                    TokenKind::Quo => a.checked_div(b),
                    TokenKind::Rem => a.checked_rem(b),
                    TokenKind::Shl if (0..100).contains(&b) => a.checked_shl(b as u32),
                    TokenKind::Shr if (0..128).contains(&b) => Some(a >> b),
                    TokenKind::And => Some(a & b),
                    TokenKind::Or => Some(a | b),
                    TokenKind::Xor => Some(a ^ b),
                    TokenKind::AndNot => Some(a & !b),
                    _ => None,
                }
            }
            ExprKind::Call { fun, args, .. } if args.len() == 1 => {
                if self.is_type(cx, *fun) {
                    return self.const_int(cx, f[args][0], iota, d);
                }
                if let ExprKind::Selector { .. } = f[*fun].kind {
                    let Some(Qual::Unsafe(name)) = self.qualified(cx, *fun) else {
                        return None;
                    };
                    let t = self.expr(cx, f[args][0], None);
                    let t = self.default_type(t);
                    // go/types' default sizes (used by vet-like tools) and gc's differ for
                    // some structs; where they do, the value is not trusted.
                    let gc = self.size_align(t, true, 0)?;
                    let std = self.size_align(t, false, 0)?;
                    if gc != std {
                        return None;
                    }
                    let (size, align) = gc;
                    return match name.as_str() {
                        "Sizeof" => Some(size as i128),
                        "Alignof" => Some(align as i128),
                        _ => None,
                    };
                }
                // `len` and `cap` of an array are constants when the operand has no calls
                // or receives; only plain names and selectors are accepted here.
                let ExprKind::Ident(fid) = f[*fun].kind else {
                    return None;
                };
                let def = cx.l.scopes.binding(cx.fi as usize, fid)?;
                let dd = cx.l.scopes.def(def);
                if !matches!(dd.kind, DefKind::Builtin(BuiltinKind::Func))
                    || !matches!(&*dd.name, "len" | "cap")
                {
                    return None;
                }
                let mut a = f[args][0];
                loop {
                    match &f[a].kind {
                        ExprKind::Paren { x } | ExprKind::Selector { x, .. } => a = *x,
                        ExprKind::Ident(_) => break,
                        _ => return None,
                    }
                }
                let t = self.expr(cx, f[args][0], None);
                let t = match self.types.get(t) {
                    Type::Pointer(e) => *e,
                    _ => t,
                };
                let u = self.underlying(t);
                match self.types.get(u) {
                    Type::Array(n, _) => Some(*n as i128),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The size and alignment of `t` on linux/amd64, with the gc compiler's layout
    /// (`gc`) or go/types' `StdSizes{8, 8}` (which neither rounds a struct's size up to
    /// its alignment nor pads a final zero-size field, and aligns `complex64` to 8).
    pub(crate) fn size_align(&mut self, t: TypeId, gc: bool, depth: u32) -> Option<(u64, u64)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let u = self.underlying(t);
        Some(match self.types.get(u).clone() {
            Type::Basic(k) => match k {
                BasicKind::Bool | BasicKind::Int8 | BasicKind::Uint8 => (1, 1),
                BasicKind::Int16 | BasicKind::Uint16 => (2, 2),
                BasicKind::Int32 | BasicKind::Uint32 | BasicKind::Float32 => (4, 4),
                BasicKind::Complex64 => (8, if gc { 4 } else { 8 }),
                BasicKind::Complex128 => (16, 8),
                BasicKind::String => (16, 8),
                k if k.is_untyped() => return None,
                _ => (8, 8),
            },
            Type::Pointer(_) | Type::Map(..) | Type::Chan(..) | Type::Func(_) => (8, 8),
            Type::Slice(_) => (24, 8),
            Type::Interface(_) => (16, 8),
            Type::Array(n, e) => {
                let (s, a) = self.size_align(e, gc, depth + 1)?;
                (s.checked_mul(n)?, a)
            }
            Type::Struct(fields) => {
                let mut off = 0u64;
                let mut max_align = 1;
                let mut last_zero = false;
                for f in fields.iter() {
                    let (s, a) = self.size_align(f.ty, gc, depth + 1)?;
                    off = off.div_ceil(a) * a + s;
                    max_align = max_align.max(a);
                    last_zero = s == 0;
                }
                // gc pads a struct ending in a zero-size field so that a pointer to that
                // field cannot point past the struct.
                if !gc {
                    return Some((off, max_align));
                }
                if last_zero && off > 0 {
                    off += 1;
                }
                (off.div_ceil(max_align) * max_align, max_align)
            }
            _ => return None,
        })
    }

    fn const_def_int(&mut self, o: Obj, iota: Option<i128>, depth: u32) -> Option<i128> {
        let l = self.loaded(o.pkg);
        let d = l.scopes.def(o.def);
        match d.kind {
            DefKind::Builtin(BuiltinKind::Const) if &*d.name == "iota" => return iota,
            DefKind::PackageConst | DefKind::LocalConst => {}
            _ => return None,
        }
        let (fi, ident) = (d.file?, d.ident?);
        let si = *l.specs[fi as usize].get(&ident)?;
        let cx = Cx { p: o.pkg, fi, l };
        let SpecKind::Value { values, .. } = &cx.f()[si.values].kind else {
            return None;
        };
        let v = *values.get(si.index as usize)?;
        if !self.const_busy.insert(o) {
            self.cuts += 1;
            return None;
        }
        let value = self.const_int(&cx, v, Some(si.iota as i128), depth);
        self.const_busy.remove(&o);
        value
    }
}

/// The mark of a named type whose underlying type was not asked for yet (no type has this
/// id: the arena would need four billion types).
const UNSET: TypeId = TypeId(u32::MAX);

/// Records what `underlying` knows of named type `t`.
fn set_underlying(table: &mut Vec<Option<TypeId>>, t: TypeId, u: Option<TypeId>) {
    let i = t.0 as usize;
    if table.len() <= i {
        table.resize(i + 1, Some(UNSET));
    }
    table[i] = u;
}

/// The type expression of the function declaration whose name is `ident`: the def's
/// declaration site when it records one, else found by searching the file.
fn func_type_of(f: &File, site: &crate::DeclSite, ident: IdentId) -> Option<ExprId> {
    let typ_of = |decl: racelens_syntax::ast::DeclId| match &f[decl].kind {
        DeclKind::Func { name, typ, .. } if *name == ident => Some(*typ),
        _ => None,
    };
    if let crate::DeclSite::Func(decl) = site {
        if let Some(t) = typ_of(*decl) {
            return Some(t);
        }
    }
    f.decls.iter().find_map(|&decl| typ_of(decl))
}

/// The name of an embedded field and the position go/types gives it (that of the type name).
fn embedded_name(f: &File, mut e: ExprId) -> (&str, u32) {
    loop {
        match &f[e].kind {
            ExprKind::Star { x } | ExprKind::Paren { x } => e = *x,
            ExprKind::Index { x, .. } | ExprKind::IndexList { x, .. } => e = *x,
            ExprKind::Selector { sel, .. } => return (f.ident_name(*sel), f[*sel].span.start),
            ExprKind::Ident(id) => return (f.ident_name(*id), f[*id].span.start),
            _ => return ("_", f[e].span.start),
        }
    }
}

fn parse_int(s: &str) -> Option<i128> {
    let s = s.to_ascii_lowercase();
    if let Some(h) = s.strip_prefix("0x") {
        i128::from_str_radix(h, 16).ok()
    } else if let Some(b) = s.strip_prefix("0b") {
        i128::from_str_radix(b, 2).ok()
    } else if let Some(o) = s.strip_prefix("0o") {
        i128::from_str_radix(o, 8).ok()
    } else if s.len() > 1 && s.starts_with('0') {
        i128::from_str_radix(&s[1..], 8).ok()
    } else {
        s.parse().ok()
    }
}

fn parse_char(s: &str) -> Option<i128> {
    let inner = s.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut chars = inner.chars();
    let c = chars.next()?;
    if c != '\\' {
        return if chars.next().is_none() {
            Some(c as i128)
        } else {
            None
        };
    }
    let rest: String = chars.collect();
    match rest.as_str() {
        "n" => Some(10),
        "t" => Some(9),
        "r" => Some(13),
        "\\" => Some(92),
        "'" => Some(39),
        "0" => Some(0),
        "a" => Some(7),
        "b" => Some(8),
        "f" => Some(12),
        "v" => Some(11),
        _ => {
            let (radix, digits) = match rest.chars().next()? {
                'x' | 'u' | 'U' => (16, &rest[1..]),
                '0'..='7' => (8, &rest[..]),
                _ => return None,
            };
            i128::from_str_radix(digits, radix).ok()
        }
    }
}

/// What `Program::imported` remembers of a selector whose operand names an import.
#[derive(Clone, Copy)]
pub(crate) enum QualMemo {
    /// Not a qualified identifier after all.
    Ordinary,
    /// A qualified identifier that denotes nothing known.
    Nothing,
    /// A name of package `unsafe` (read again from the selector when asked).
    Unsafe,
    Obj(Obj),
}

/// A qualified identifier's referent.
pub(crate) enum Qual {
    Obj(Obj),
    /// A name of package `unsafe`.
    Unsafe(String),
}

impl Program<'_> {
    /// If selector `e` is a qualified identifier `pkg.Name`, what it denotes.
    pub(crate) fn qualified(&mut self, cx: &Cx, e: ExprId) -> Option<Qual> {
        self.imported(cx, e).flatten()
    }

    /// If selector `e` is a qualified identifier `pkg.Name` (as the resolver found), what
    /// it denotes (`Some(None)`: nothing that can be known).
    pub(crate) fn imported(&mut self, cx: &Cx, e: ExprId) -> Option<Option<Qual>> {
        let f = cx.f();
        // The resolver records only selectors of a plain name as qualified identifiers:
        // others need no search.
        let ExprKind::Selector { x, .. } = f[e].kind else {
            return None;
        };
        let ExprKind::Ident(xid) = f[x].kind else {
            return None;
        };
        // Its operand denotes the import (the resolver binds it so, and renames an import
        // only when no selector uses it): a name bound to anything else, or to nothing,
        // makes an ordinary selector, known without searching.
        let bound_to_import =
            cx.l.scopes
                .binding(cx.fi as usize, xid)
                .is_some_and(|d| matches!(cx.l.scopes.def(d).kind, DefKind::Import(_)));
        if !bound_to_import {
            debug_assert!(cx.l.scopes.imported_name(cx.fi as usize, f, e).is_none());
            return None;
        }
        let key = (cx.p, cx.fi, e);
        let memo = match self.quals.get(&key) {
            Some(&m) => m,
            None => {
                let m = self.imported_memo(cx, e);
                self.quals.insert(key, m);
                m
            }
        };
        match memo {
            QualMemo::Ordinary => None,
            QualMemo::Nothing => Some(None),
            QualMemo::Obj(o) => Some(Some(Qual::Obj(o))),
            QualMemo::Unsafe => {
                let q = cx.l.scopes.imported_name(cx.fi as usize, f, e)?;
                Some(Some(Qual::Unsafe(q.name.to_string())))
            }
        }
    }

    /// What `imported` answers for selector `e`, to be remembered.
    fn imported_memo(&mut self, cx: &Cx, e: ExprId) -> QualMemo {
        let Some(q) = cx.l.scopes.imported_name(cx.fi as usize, cx.f(), e) else {
            return QualMemo::Ordinary;
        };
        let DefKind::Import(info) = &cx.l.scopes.def(q.import).kind else {
            return QualMemo::Nothing;
        };
        if &*info.path == "unsafe" {
            return QualMemo::Unsafe;
        }
        match self.qualified_obj(&info.path, q.name) {
            Some(o) => QualMemo::Obj(o),
            None => QualMemo::Nothing,
        }
    }

    /// The package-level entity `name` of the package imported as `path`.
    fn qualified_obj(&mut self, path: &str, name: &str) -> Option<Obj> {
        let p = self.import(path)?;
        let l = &self.pkgs[p.0 as usize].l;
        let def = l.scopes.lookup_package(name)?;
        if !matches!(
            l.scopes.def(def).kind,
            DefKind::PackageConst
                | DefKind::PackageFunc
                | DefKind::PackageType
                | DefKind::PackageVar
        ) {
            return None;
        }
        Some(Obj { pkg: p, def })
    }

    /// Records what qualified identifier `e` denotes, `q` (from `qualified`).
    pub(crate) fn record_qualified(&mut self, cx: &Cx, e: ExprId, q: Option<&Qual>) {
        let obj = match q {
            Some(Qual::Obj(o)) => ObjRef::Def(*o),
            Some(Qual::Unsafe(_)) => ObjRef::Universe,
            None => return,
        };
        self.record_sel(
            cx,
            e,
            Selection {
                kind: SelKind::Qualified,
                obj,
            },
        );
    }

    pub(crate) fn record_sel(&mut self, cx: &Cx, e: ExprId, s: Selection) {
        let pkg = &mut self.pkgs[cx.p.0 as usize];
        match pkg.sels_dense.get_mut(cx.fi as usize) {
            Some(v) => {
                if v.is_empty() {
                    *v = vec![None; cx.f().exprs.len()];
                }
                v[e.index()] = Some(s);
            }
            None => {
                pkg.sels.insert((cx.fi, e), s);
            }
        }
    }

    pub(crate) fn record_key(&mut self, cx: &Cx, id: IdentId, o: ObjRef, t: TypeId) {
        self.pkgs[cx.p.0 as usize].keys.insert((cx.fi, id), (o, t));
    }

    pub(crate) fn record_key_def(&mut self, cx: &Cx, id: IdentId, o: Obj) {
        self.pkgs[cx.p.0 as usize].key_defs.insert((cx.fi, id), o);
    }

    /// The def a key of a map, slice or array literal denotes, when the resolver left it
    /// unbound.
    pub fn key_def(&self, p: PkgIdx, fi: usize, id: IdentId) -> Option<crate::DefId> {
        self.pkgs[p.0 as usize]
            .key_defs
            .get(&(fi as u32, id))
            .map(|o| o.def)
    }

    pub(crate) fn set_local(&mut self, cx: &Cx, id: IdentId, t: TypeId) {
        let f = cx.f();
        if let Some(def) = cx.l.scopes.binding(cx.fi as usize, id) {
            if cx.l.scopes.def(def).ident == Some(id) {
                self.set_def(cx.p, def, t);
            }
        }
        let _ = f;
    }

    pub(crate) fn set_clause_var(&mut self, cx: &Cx, clause: StmtId, t: TypeId) {
        if let Some(&def) = cx.l.clause_defs.get(&(cx.fi, clause)) {
            self.set_def(cx.p, def, t);
        }
    }

    pub(crate) fn chan_dir_of(&mut self, t: TypeId) -> Option<(ChanDir, TypeId)> {
        let u = self.underlying(t);
        match self.types.get(u) {
            Type::Chan(d, e) => Some((*d, *e)),
            _ => None,
        }
    }
}
