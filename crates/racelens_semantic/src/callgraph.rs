//! The call graph inside one module: functions (declarations, methods, literals) as nodes,
//! call sites as edges to what they call or to the functions they receive as arguments.
//!
//! `CallGraph::build` takes a `Program` that checked the module's packages and resolves every
//! call expression of those packages. Nothing is guessed: a callee that types cannot name
//! (a function-typed parameter or field, the result of a call) is an `Unknown` edge. Calls
//! of functions outside the module (and builtins, conversions) get no edge. Interface
//! calls are resolved class-hierarchy style to the methods of every named type of the
//! module whose pointer implements the interface (also when the method is promoted from an
//! embedded interface field). Left `Unknown` for now, as types alone
//! do not name them: package-level function variables, and variables holding a method value. Everything is deterministic:
//! functions and call sites are in package, file and arena order, callees sorted.

use crate::types::{ObjRef, PkgIdx, Program, SelKind, Type, TypeId, UNKNOWN};
use crate::{DeclSite, DefId, DefKind, FuncRef};
use racelens_syntax::ast::{DeclKind, ExprId, ExprKind, ExprList, StmtKind};
use racelens_syntax::token::TokenKind;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A function of the module: a declared function or method, or a function literal.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct Func {
    pub pkg: PkgIdx,
    pub file: u32,
    pub func: FuncRef,
}

/// A call expression of the module.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct CallSite {
    pub pkg: PkgIdx,
    pub file: u32,
    /// An `ExprKind::Call`.
    pub call: ExprId,
}

/// How a call site reaches a function.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Callee {
    /// A package-level function named directly or through a qualified identifier.
    Static(Func),
    /// A method of a known (non-interface) type, called directly, through a method value
    /// or a method expression.
    Method(Func),
    /// One implementation of an interface method the call dispatches to.
    Interface(Func),
    /// A function literal called directly or through a local variable assigned once (a
    /// variable assigned once from a function or method value gives that value's kind).
    Literal(Func),
    /// A function passed as argument `arg` of the call: it runs wherever the callee runs
    /// it (`go worker(x)` is a call, `errgroup.Go(s.run)` passes `s.run` here).
    Arg { arg: u32, func: Func },
    /// A callee that the types do not name.
    Unknown,
}

impl Callee {
    pub fn func(&self) -> Option<Func> {
        match *self {
            Callee::Static(f)
            | Callee::Method(f)
            | Callee::Interface(f)
            | Callee::Literal(f)
            | Callee::Arg { func: f, .. } => Some(f),
            Callee::Unknown => None,
        }
    }

    /// The kind's name, for reports.
    pub fn kind(&self) -> &'static str {
        match self {
            Callee::Static(_) => "static",
            Callee::Method(_) => "method",
            Callee::Interface(_) => "interface",
            Callee::Literal(_) => "literal",
            Callee::Arg { .. } => "arg",
            Callee::Unknown => "unknown",
        }
    }
}

/// The call graph of a module's packages.
#[derive(Default)]
pub struct CallGraph {
    functions: Vec<Func>,
    /// Call sites in order, each with its callees.
    sites: Vec<(CallSite, Vec<Callee>)>,
    site_index: HashMap<CallSite, usize>,
    callers: HashMap<Func, Vec<CallSite>>,
    /// The innermost function containing each call site.
    enclosing: HashMap<CallSite, Func>,
}

/// Key of a declared function: package path, file and offset of its name.
type DeclKey = (String, u32, u32);

struct Builder<'p, 'a> {
    prog: &'p mut Program<'a>,
    module: HashSet<PkgIdx>,
    decls: HashMap<DeclKey, Func>,
    /// Per interface method (interface type, name): its implementations in the module.
    dispatch: HashMap<(TypeId, Box<str>), Vec<Func>>,
    /// The module's named types, as pointers to them.
    ptr_types: Vec<TypeId>,
}

/// Per file: how often each local is assigned outside its `:=`, and whether its address is
/// taken; a variable assigned again may hold another function.
struct Assigned {
    counts: HashMap<DefId, u32>,
}

impl Builder<'_, '_> {
    fn decl_key(&self, pkg: PkgIdx, def: DefId) -> Option<DeclKey> {
        let s = self.prog.scopes(pkg);
        let d = s.def(def);
        let (fi, id) = (d.file?, d.ident?);
        let off = self.prog.files(pkg)[fi as usize][id].span.start;
        Some((self.prog.path(pkg).to_string(), fi, off))
    }

    /// The module function a function or method def denotes.
    fn func_of_def(&self, pkg: PkgIdx, def: DefId) -> Option<Func> {
        let d = self.prog.scopes(pkg).def(def);
        if !matches!(d.kind, DefKind::PackageFunc | DefKind::Method { .. }) {
            return None;
        }
        self.decls.get(&self.decl_key(pkg, def)?).copied()
    }

    /// The function-valued expression a local variable holds when it is defined by `:=`
    /// from a function literal, a function name or a method value or expression, and never
    /// assigned again (nor its address taken).
    fn var_value(&self, p: PkgIdx, fi: u32, def: DefId, asg: &Assigned) -> Option<ExprId> {
        let d = self.prog.scopes(p).def(def);
        if d.kind != DefKind::LocalVar || d.file != Some(fi) {
            return None;
        }
        let DeclSite::Define { stmt, index } = d.site else {
            return None;
        };
        if asg.counts.get(&def).copied().unwrap_or(0) > 0 {
            return None;
        }
        let f = &self.prog.files(p)[fi as usize];
        let StmtKind::Assign { lhs, rhs, .. } = &f[stmt].kind else {
            return None;
        };
        if lhs.len() != rhs.len() {
            return None;
        }
        let r = f.unparen(*f[rhs].get(index as usize)?);
        let named = match f[r].kind {
            ExprKind::FuncLit { .. } | ExprKind::Ident(_) => true,
            ExprKind::Selector { .. } => matches!(
                self.prog.selection(p, fi as usize, r).map(|s| s.kind),
                Some(SelKind::Method | SelKind::Qualified)
            ),
            _ => false,
        };
        named.then_some(r)
    }

    /// What a function-valued expression (a callee or an argument) denotes, as a callee;
    /// `None` for builtins, conversions and functions outside the module; `Unknown` where
    /// the types do not name it.
    fn resolve(
        &mut self,
        p: PkgIdx,
        fi: u32,
        e: ExprId,
        asg: &Assigned,
        depth: u32,
    ) -> Vec<Callee> {
        let f = &self.prog.files(p)[fi as usize];
        let e = f.unparen(e);
        // An instantiation `f[int]`: the generic function is the callee. (An index of a
        // slice or map of functions is no instantiation: its variable is no function.)
        let (e, instance) = match f[e].kind {
            ExprKind::Index { x, .. } | ExprKind::IndexList { x, .. } => (f.unparen(x), true),
            _ => (e, false),
        };
        match f[e].kind.clone() {
            ExprKind::FuncLit { .. } => vec![Callee::Literal(Func {
                pkg: p,
                file: fi,
                func: FuncRef::Lit(e),
            })],
            ExprKind::Ident(id) => {
                let Some(def) = self.prog.scopes(p).binding(fi as usize, id) else {
                    return vec![Callee::Unknown];
                };
                let d = self.prog.scopes(p).def(def);
                match d.kind {
                    DefKind::PackageFunc => self
                        .func_of_def(p, def)
                        .map(Callee::Static)
                        .into_iter()
                        .collect(),
                    DefKind::LocalVar if !instance && depth < 8 => {
                        match self.var_value(p, fi, def, asg) {
                            Some(r) => self.resolve(p, fi, r, asg, depth + 1),
                            None => vec![Callee::Unknown],
                        }
                    }
                    DefKind::LocalVar => vec![Callee::Unknown],
                    DefKind::PackageVar
                    | DefKind::Param
                    | DefKind::Result
                    | DefKind::Receiver
                    | DefKind::TypeSwitchVar => vec![Callee::Unknown],
                    _ => Vec::new(),
                }
            }
            ExprKind::Selector { x, sel: sel_id } => {
                let Some(sel) = self.prog.selection(p, fi as usize, e) else {
                    return vec![Callee::Unknown];
                };
                match (sel.kind, sel.obj) {
                    (SelKind::Qualified, ObjRef::Def(o)) => {
                        let kind = self.prog.scopes(o.pkg).def(o.def).kind.clone();
                        match kind {
                            DefKind::PackageFunc => self
                                .func_of_def(o.pkg, o.def)
                                .map(Callee::Static)
                                .into_iter()
                                .collect(),
                            DefKind::PackageVar => {
                                if self
                                    .module
                                    .iter()
                                    .any(|&m| self.prog.path(m) == self.prog.path(o.pkg))
                                {
                                    vec![Callee::Unknown]
                                } else {
                                    Vec::new()
                                }
                            }
                            _ => Vec::new(),
                        }
                    }
                    (SelKind::Method, ObjRef::Def(o)) => self
                        .func_of_def(o.pkg, o.def)
                        .map(Callee::Method)
                        .into_iter()
                        .collect(),
                    (SelKind::Method, ObjRef::Member(_)) => {
                        let name: Box<str> = f.text(f[sel_id].span).into();
                        let xt = self.prog.type_of(p, fi as usize, x);
                        let xt = self.prog.deref_type(xt);
                        let u = self.prog.underlying(xt);
                        let iface = if matches!(self.prog.types.get(u), Type::Interface(_)) {
                            Some(xt)
                        } else {
                            self.embedded_interface(xt, &name)
                        };
                        match iface {
                            Some(i) => self
                                .implementations(i, name)
                                .into_iter()
                                .map(Callee::Interface)
                                .collect(),
                            None => vec![Callee::Unknown],
                        }
                    }
                    // Function-typed fields, and what the checker could not place.
                    _ => vec![Callee::Unknown],
                }
            }
            // Types used as conversions.
            ExprKind::ArrayType { .. }
            | ExprKind::MapType { .. }
            | ExprKind::ChanType { .. }
            | ExprKind::FuncType { .. }
            | ExprKind::InterfaceType { .. }
            | ExprKind::StructType { .. }
            | ExprKind::Star { .. } => Vec::new(),
            _ => vec![Callee::Unknown],
        }
    }

    /// The embedded interface of struct type `t` that method `name` is promoted from: the
    /// shallowest one declaring it, through embedded structs and pointers.
    fn embedded_interface(&mut self, t: TypeId, name: &str) -> Option<TypeId> {
        let mut level = vec![t];
        for _ in 0..8 {
            let mut next = Vec::new();
            let mut found = Vec::new();
            for t in level {
                let u = self.prog.underlying(t);
                let Type::Struct(fields) = self.prog.types.get(u).clone() else {
                    continue;
                };
                for fd in fields.iter().filter(|f| f.embedded) {
                    let ft = self.prog.deref_type(fd.ty);
                    let fu = self.prog.underlying(ft);
                    if matches!(self.prog.types.get(fu), Type::Interface(_)) {
                        let ms = self.prog.interface_methods(ft).unwrap_or_default();
                        if ms.iter().any(|m| &*m.name == name) {
                            found.push(ft);
                        }
                    } else {
                        next.push(ft);
                    }
                }
            }
            // Two candidates at one depth make the selector ambiguous: name neither.
            match found.len() {
                0 => {}
                1 => return found.pop(),
                _ => return None,
            }
            if next.is_empty() {
                return None;
            }
            level = next;
        }
        None
    }

    /// The methods named `name` of the module's types whose pointer implements `iface`.
    fn implementations(&mut self, iface: TypeId, name: Box<str>) -> Vec<Func> {
        if iface == UNKNOWN {
            return Vec::new();
        }
        let key = (iface, name);
        if let Some(v) = self.dispatch.get(&key) {
            return v.clone();
        }
        let mut out = Vec::new();
        for i in 0..self.ptr_types.len() {
            let t = self.ptr_types[i];
            if self.prog.has_method(t, &key.1) != Some(true) {
                continue;
            }
            if self.prog.implements(t, iface) != Some(true) {
                continue;
            }
            if let Some(found) = self.prog.lookup(t, &key.1) {
                if let ObjRef::Def(o) = found.obj {
                    if let Some(func) = self.func_of_def(o.pkg, o.def) {
                        out.push(func);
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        self.dispatch.insert(key, out.clone());
        out
    }
}

fn assigned(prog: &Program, p: PkgIdx, fi: usize) -> Assigned {
    let f = &prog.files(p)[fi];
    let s = prog.scopes(p);
    let mut counts: HashMap<DefId, u32> = HashMap::new();
    for (i, st) in f.stmts.iter().enumerate() {
        if let StmtKind::Assign { lhs, .. } = &st.kind {
            for &l in f[lhs].iter() {
                if let ExprKind::Ident(id) = f[f.unparen(l)].kind {
                    if let Some(def) = s.binding(fi, id) {
                        let d = s.def(def);
                        let defining =
                            matches!(d.site, DeclSite::Define { stmt, .. } if stmt.index() == i);
                        if !defining {
                            *counts.entry(def).or_default() += 1;
                        }
                    }
                }
            }
        }
    }
    // A variable whose address is taken may be assigned through the pointer.
    for e in &f.exprs {
        if let ExprKind::Unary {
            op: TokenKind::And,
            x,
        } = e.kind
        {
            if let ExprKind::Ident(id) = f[f.unparen(x)].kind {
                if let Some(def) = s.binding(fi, id) {
                    *counts.entry(def).or_default() += 1;
                }
            }
        }
    }
    Assigned { counts }
}

impl CallGraph {
    /// Builds the call graph of the module whose packages `module` were checked by `prog`.
    pub fn build(prog: &mut Program, module: &[PkgIdx]) -> CallGraph {
        let mut b = Builder {
            prog,
            module: module.iter().copied().collect(),
            decls: HashMap::new(),
            dispatch: HashMap::new(),
            ptr_types: Vec::new(),
        };
        let mut g = CallGraph::default();
        // Nodes, and the module's named types for interface dispatch.
        for &p in module {
            for fi in 0..b.prog.files(p).len() {
                let f = &b.prog.files(p)[fi];
                for &d in &f.decls {
                    if let DeclKind::Func { name, .. } = f[d].kind {
                        let func = Func {
                            pkg: p,
                            file: fi as u32,
                            func: FuncRef::Decl(d),
                        };
                        g.functions.push(func);
                        b.decls.insert(
                            (b.prog.path(p).to_string(), fi as u32, f[name].span.start),
                            func,
                        );
                    }
                }
                for (id, e) in f.exprs_with_ids() {
                    if matches!(e.kind, ExprKind::FuncLit { .. }) {
                        g.functions.push(Func {
                            pkg: p,
                            file: fi as u32,
                            func: FuncRef::Lit(id),
                        });
                    }
                }
            }
            let types: Vec<DefId> = (0..b.prog.scopes(p).defs.len())
                .map(|i| DefId(i as u32))
                .filter(|&d| b.prog.scopes(p).def(d).kind == DefKind::PackageType)
                .collect();
            for def in types {
                let t = b.prog.def_type(crate::types::Obj { pkg: p, def });
                if matches!(b.prog.types.get(t), Type::Named(_)) {
                    let pt = b.prog.types.intern(Type::Pointer(t));
                    b.ptr_types.push(pt);
                }
            }
        }
        g.functions.sort();
        // Edges.
        for &p in module {
            for fi in 0..b.prog.files(p).len() {
                let asg = assigned(b.prog, p, fi);
                let f = &b.prog.files(p)[fi];
                let calls: Vec<(ExprId, ExprId, ExprList)> = f
                    .exprs_with_ids()
                    .filter_map(|(id, e)| match &e.kind {
                        ExprKind::Call { fun, args, .. } => Some((id, *fun, *args)),
                        _ => None,
                    })
                    .collect();
                // Function spans of this file, to find each call's enclosing function.
                let mut spans: Vec<(u32, u32, Func)> = Vec::new();
                for &d in &f.decls {
                    if let DeclKind::Func { .. } = f[d].kind {
                        let s = f[d].span;
                        spans.push((
                            s.start,
                            s.end,
                            Func {
                                pkg: p,
                                file: fi as u32,
                                func: FuncRef::Decl(d),
                            },
                        ));
                    }
                }
                for (id, e) in f.exprs_with_ids() {
                    if matches!(e.kind, ExprKind::FuncLit { .. }) {
                        spans.push((
                            e.span.start,
                            e.span.end,
                            Func {
                                pkg: p,
                                file: fi as u32,
                                func: FuncRef::Lit(id),
                            },
                        ));
                    }
                }
                let call_spans: Vec<(u32, u32)> = calls
                    .iter()
                    .map(|(c, _, _)| (f[*c].span.start, f[*c].span.end))
                    .collect();
                for (k, (call, fun, args)) in calls.into_iter().enumerate() {
                    let site = CallSite {
                        pkg: p,
                        file: fi as u32,
                        call,
                    };
                    let mut callees = b.resolve(p, fi as u32, fun, &asg, 0);
                    let args = b.prog.files(p)[fi][args].to_vec();
                    for (ai, &a) in args.iter().enumerate() {
                        let f = &b.prog.files(p)[fi];
                        let a = f.unparen(a);
                        // Only function-valued arguments that name a function: literals,
                        // functions, method values and variables holding a literal.
                        let named = match f[a].kind {
                            ExprKind::FuncLit { .. } => true,
                            ExprKind::Ident(id) => {
                                b.prog.scopes(p).binding(fi, id).is_some_and(|d| {
                                    matches!(
                                        b.prog.scopes(p).def(d).kind,
                                        DefKind::PackageFunc | DefKind::LocalVar
                                    )
                                })
                            }
                            ExprKind::Selector { .. } => matches!(
                                b.prog.selection(p, fi, a).map(|s| s.kind),
                                Some(SelKind::Method | SelKind::Qualified)
                            ),
                            _ => false,
                        };
                        if !named {
                            continue;
                        }
                        for c in b.resolve(p, fi as u32, a, &asg, 0) {
                            if let Some(func) = c.func() {
                                if !matches!(c, Callee::Interface(_)) {
                                    callees.push(Callee::Arg {
                                        arg: ai as u32,
                                        func,
                                    });
                                }
                            }
                        }
                    }
                    callees.sort();
                    callees.dedup();
                    let (cs, ce) = call_spans[k];
                    if let Some(&(_, _, func)) = spans
                        .iter()
                        .filter(|(s, e, _)| *s <= cs && ce <= *e)
                        .min_by_key(|(s, e, _)| e - s)
                    {
                        g.enclosing.insert(site, func);
                    }
                    for c in &callees {
                        if let Some(func) = c.func() {
                            g.callers.entry(func).or_default().push(site);
                        }
                    }
                    g.site_index.insert(site, g.sites.len());
                    g.sites.push((site, callees));
                }
            }
        }
        for v in g.callers.values_mut() {
            v.sort();
            v.dedup();
        }
        g
    }

    /// Every function of the module, in package, file and source-arena order.
    pub fn functions(&self) -> &[Func] {
        &self.functions
    }

    /// Every call site with its callees.
    pub fn sites(&self) -> &[(CallSite, Vec<Callee>)] {
        &self.sites
    }

    /// What call site `site` calls or receives as arguments (empty for calls outside the
    /// module, builtins and conversions).
    pub fn callees(&self, site: CallSite) -> &[Callee] {
        self.site_index
            .get(&site)
            .map(|&i| self.sites[i].1.as_slice())
            .unwrap_or(&[])
    }

    /// The call sites that call `func` or receive it as an argument, sorted.
    pub fn callers(&self, func: Func) -> &[CallSite] {
        self.callers.get(&func).map(|v| v.as_slice()).unwrap_or(&[])
    }

    /// The innermost function whose body contains `site`.
    pub fn enclosing(&self, site: CallSite) -> Option<Func> {
        self.enclosing.get(&site).copied()
    }

    /// Edge counts per callee kind.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for (_, cs) in &self.sites {
            for c in cs {
                *m.entry(c.kind()).or_default() += 1;
            }
        }
        m
    }
}
