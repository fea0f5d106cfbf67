//! Summaries of a package's exported functions and methods for the packages that call them:
//! what each touches of its receiver and parameters (field accesses, with the locks the
//! function itself holds at each), its net lock effects, and its synchronisation on them
//! (`wg.Done()` on a `*sync.WaitGroup` parameter, a send on a channel parameter).
//!
//! A summary names everything in stable terms (a type by package path and name, a field by
//! its path, a parameter by position), never by a `Program`'s interned ids, so that one
//! summary, computed once per package, serves the models of every importer on every thread;
//! `build` maps it back onto the caller's types at each call site. A summary covers the
//! package's own code: accesses its model got from a third package's summary are included
//! when the model had them, but the workspace store builds summarised models without.

use crate::HashSet;
use crate::{AccessKind, FuncIx, Invocation, LockMode, LockSet, Model, Place, PlaceId, SyncKind};
use racelens_semantic::scope::FxMap;
use racelens_semantic::types::{PkgIdx, Program, Type, TypeId, UNKNOWN};
use racelens_semantic::{DefId, DefKind, FuncRef};
use racelens_syntax::ast::{DeclKind, ExprId, ExprKind};
use std::collections::HashMap;
use std::sync::Arc;

/// How deep a summary follows the package's own calls.
const MAX_DEPTH: u32 = 3;

/// The accesses one function's summary keeps at most (distinct by base, field, kind and
/// locks): a bound on what generated or hostile code can make every caller pair.
const MAX_ACCESSES: usize = 256;

/// A named type by package path and name (not generic).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct TypeName {
    pub path: Arc<str>,
    pub name: Arc<str>,
}

/// What an item of a summary is reached through.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Base {
    /// The receiver.
    Recv,
    /// Parameter `i` (from 0).
    Param(u32),
}

/// A lock in a summary.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum SumLock {
    /// Field (path) `name` of a named type, as a `Place::Field`.
    Field { owner: TypeName, name: String },
    /// A lock no caller can name (a package variable of the summarised package, a lock
    /// passed as a parameter): a name of its own, so that two calls holding it exclude each
    /// other and nothing else.
    Opaque(String),
}

/// A source position in the summarised package, as reports show it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SumLoc {
    pub path: Arc<str>,
    pub line: u32,
    pub column: u32,
    pub offset: u32,
}

/// An access a function makes through its receiver or a parameter.
#[derive(Clone, PartialEq, Debug)]
pub struct SumAccess {
    pub base: Base,
    /// The type whose field (path) `field` is accessed; `None` for an element of a map or
    /// slice parameter itself (`field` is then empty).
    pub owner: Option<TypeName>,
    pub field: String,
    pub kind: AccessKind,
    /// Locks the function itself holds at the access.
    pub held: Vec<(SumLock, LockMode)>,
    pub at: SumLoc,
    /// The function that makes the access, as reports name it (`(*Counter).Inc`).
    pub func: Arc<str>,
}

/// Where a synchronisation operation of a summary happens.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SumTarget {
    /// The receiver or a parameter itself (a `*sync.WaitGroup`, a channel).
    Base(Base),
    /// A field of a named type (`s.wg`).
    Field { owner: TypeName, name: String },
}

/// What a caller sees of one function of another package.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct FuncSummary {
    pub accesses: Vec<SumAccess>,
    /// Locks left held for the caller (a `Lock` wrapper).
    pub acquired: Vec<(SumLock, LockMode)>,
    /// Locks released for the caller (an `Unlock` wrapper).
    pub released: Vec<SumLock>,
    pub syncs: Vec<(SyncKind, SumTarget)>,
}

/// The summaries of a package's exported functions (`F`) and methods (`T.M`).
#[derive(PartialEq, Debug, Default)]
pub struct PackageSummary {
    pub funcs: HashMap<String, FuncSummary>,
}

/// Where the model finds the summaries of other packages.
pub trait SummarySource: Sync {
    /// The summary of package `path` for a call from package `from`; `None` when `path` is
    /// not a package of the workspace, or when the two import each other (the summary would
    /// depend on the caller's own).
    fn summary(&self, from: &str, path: &str) -> Option<Arc<PackageSummary>>;

    /// Whether package `path`, whose non-test files are `files` (the paths reports show),
    /// has a summary still to compute that some package will ask for: its own check, which
    /// has just type-checked it with its test files, then provides it, so that it is not
    /// type-checked a second time for its importers.
    fn wants(&self, _path: &str, _files: &[&str]) -> bool {
        false
    }

    /// Takes package `path`'s summary from `make`, unless it is known already.
    fn provide(&self, _path: &str, _make: &mut dyn FnMut() -> PackageSummary) {}
}

/// The key of function `name` (of receiver type `recv`, if a method) in a summary.
pub fn key(recv: Option<&str>, name: &str) -> String {
    match recv {
        // Not `format!`: this runs for every call of another package's method.
        Some(t) => {
            let mut k = String::with_capacity(t.len() + 1 + name.len());
            k.push_str(t);
            k.push('.');
            k.push_str(name);
            k
        }
        None => name.to_string(),
    }
}

/// The stable name of type `t`, when it is a non-generic named type.
pub(crate) fn type_name(prog: &Program, t: TypeId) -> Option<TypeName> {
    match prog.types.get(t) {
        Type::Named(n) if n.args.is_empty() && n.obj.is_some() && !n.path.is_empty() => {
            Some(TypeName {
                path: n.path.clone(),
                name: n.name.clone(),
            })
        }
        _ => None,
    }
}

/// Whether type `t` is the non-generic named type `tn` (`type_name(prog, t) == Some(tn)`,
/// without building the name: a caller may ask this of every type of a `Program`).
pub(crate) fn is_type_named(prog: &Program, t: TypeId, tn: &TypeName) -> bool {
    match prog.types.get(t) {
        Type::Named(n) => {
            n.args.is_empty()
                && n.obj.is_some()
                && !n.path.is_empty()
                && *n.path == *tn.path
                && *n.name == *tn.name
        }
        _ => false,
    }
}

/// The receiver and parameter defs of declared function `f` of `m`, each with whether it
/// holds a copy of the caller's value (its type is not written as a pointer).
pub(crate) fn params(
    prog: &Program,
    pkg: PkgIdx,
    m: &Model,
    f: FuncIx,
) -> Vec<(DefId, Base, bool)> {
    let func = m.func(f);
    let loaded = prog.loaded(pkg);
    let file = &loaded.src.files[func.file as usize];
    let bind = |id| loaded.scopes.binding(func.file as usize, id);
    let (recv, typ) = match func.func {
        FuncRef::Decl(d) => match &file[d].kind {
            DeclKind::Func { recv, typ, .. } => (*recv, *typ),
            _ => return Vec::new(),
        },
        FuncRef::Lit(_) => return Vec::new(),
    };
    let mut out = Vec::new();
    if let Some(r) = recv {
        let name = file[r]
            .list
            .first()
            .and_then(|&field| file[field].names.first().copied());
        let copy = file[r]
            .list
            .first()
            .is_some_and(|&field| !is_pointer(file, file[field].typ));
        if let Some(d) = name.and_then(bind) {
            out.push((d, Base::Recv, copy));
        }
    }
    if let ExprKind::FuncType { params: pl, .. } = file[typ].kind {
        let mut i = 0u32;
        for &field in file[pl].list.iter() {
            // A variadic parameter is a slice the call builds: nothing of the caller's.
            let variadic = matches!(file[file[field].typ].kind, ExprKind::Ellipsis { .. });
            if file[field].names.is_empty() {
                i += 1;
            }
            let copy = !is_pointer(file, file[field].typ);
            for &n in file[field].names.iter() {
                if let (Some(d), false) = (bind(n), variadic) {
                    out.push((d, Base::Param(i), copy));
                }
                i += 1;
            }
        }
    }
    out
}

/// Whether type expression `t` is written as a pointer (`*T`).
fn is_pointer(file: &racelens_syntax::File, t: ExprId) -> bool {
    matches!(file[file.unparen(t)].kind, ExprKind::Star { .. })
}

/// Summarises the exported functions and methods of package `pkg`, whose model is `m`.
/// `loc` gives the position reports show for an offset of one of the package's files.
pub fn summarize(
    prog: &mut Program,
    pkg: PkgIdx,
    m: &Model,
    loc: &dyn Fn(u32, u32) -> SumLoc,
) -> PackageSummary {
    let path = prog.path(pkg).to_string();
    let copies = (0..m.funcs.len())
        .filter(|&i| m.funcs[i].how == Invocation::Decl)
        .flat_map(|i| params(prog, pkg, m, FuncIx(i as u32)))
        .filter(|&(_, _, copy)| copy)
        .map(|(d, _, _)| d)
        .collect();
    let mut s = Summarizer {
        prog,
        pkg,
        m,
        loc,
        path,
        seen: HashSet::default(),
        copies,
    };
    let mut out = PackageSummary::default();
    for (i, func) in m.funcs.iter().enumerate() {
        if func.how != Invocation::Decl || !func.exported || func.name.ends_with(".init") {
            continue;
        }
        let f = FuncIx(i as u32);
        let simple = func.name.rsplit('.').next().unwrap_or(&func.name);
        let recv = match func.recv {
            Some(t) => match type_name(s.prog, t) {
                Some(n) => Some(n.name),
                None => continue,
            },
            None => None,
        };
        let env: FxMap<DefId, Base> = params(s.prog, pkg, m, f)
            .into_iter()
            .map(|(d, b, _)| (d, b))
            .collect();
        let mut sum = FuncSummary::default();
        let mut stack = vec![f];
        s.seen.clear();
        s.collect(f, &env, &LockSet::default(), 0, &mut stack, &mut sum);
        if let Some((acquired, released)) = m.lock_effects.get(&f) {
            sum.acquired = acquired
                .iter()
                .filter_map(|&(l, mode)| Some((s.lock(l, f)?, mode)))
                .collect();
            sum.released = released.iter().filter_map(|&l| s.lock(l, f)).collect();
        }
        let empty = sum.accesses.is_empty()
            && sum.acquired.is_empty()
            && sum.released.is_empty()
            && sum.syncs.is_empty();
        if !empty {
            out.funcs.insert(key(recv.as_deref(), simple), sum);
        }
    }
    out
}

/// A callee entered while summarising: the function, its bases and the locks held.
type Entered = (FuncIx, Vec<(DefId, Base)>, Vec<(PlaceId, LockMode)>);

struct Summarizer<'s, 'p> {
    prog: &'s mut Program<'p>,
    pkg: PkgIdx,
    m: &'s Model,
    loc: &'s dyn Fn(u32, u32) -> SumLoc,
    path: String,
    /// The callees already collected for the summary being built, with the bases and locks
    /// they were entered with: entering one again adds nothing new (the first locations
    /// are kept), and walking it again at every call site grows exponentially with depth.
    seen: HashSet<Entered>,
    /// Receivers and parameters that hold a copy of the caller's value: assigning their
    /// fields changes nothing the caller sees (the maps and slices they refer to are still
    /// shared).
    copies: HashSet<DefId>,
}

impl Summarizer<'_, '_> {
    /// The stable name of lock place `l` held or taken by function `f`.
    fn lock(&self, l: PlaceId, f: FuncIx) -> Option<SumLock> {
        match self.m.place(l) {
            Place::Field { owner, name } if *owner == UNKNOWN => {
                (&**name != crate::CALLER_LOCK).then(|| SumLock::Opaque(name.to_string()))
            }
            Place::Field { owner, name } => Some(SumLock::Field {
                owner: type_name(self.prog, *owner)?,
                name: name.to_string(),
            }),
            Place::Var(d) => {
                let def = self.prog.loaded(self.pkg).scopes.def(*d).name.to_string();
                let scope = match self.prog.loaded(self.pkg).scopes.def(*d).kind {
                    DefKind::PackageVar => String::new(),
                    _ => format!("{}.", self.m.func(self.m.outermost(f)).name),
                };
                Some(SumLock::Opaque(format!("{}.{scope}{def}", self.path)))
            }
        }
    }

    fn locks(&self, set: &LockSet, f: FuncIx) -> Vec<(SumLock, LockMode)> {
        set.iter()
            .filter_map(|(l, mode)| Some((self.lock(l, f)?, mode)))
            .collect()
    }

    /// The base a variable stands for under `env`.
    fn base_of(&self, fi: u32, e: ExprId, env: &FxMap<DefId, Base>) -> Option<Base> {
        let loaded = self.prog.loaded(self.pkg);
        let f = &loaded.src.files[fi as usize];
        let mut e = e;
        for _ in 0..64 {
            match f[e].kind {
                ExprKind::Paren { x } | ExprKind::Star { x } => e = x,
                ExprKind::Unary {
                    op: racelens_syntax::token::TokenKind::And,
                    x,
                } => e = x,
                ExprKind::Selector { x, .. } => e = x,
                ExprKind::Ident(id) => {
                    let d = loaded.scopes.binding(fi as usize, id)?;
                    return env.get(&d).copied();
                }
                _ => return None,
            }
        }
        None
    }

    /// Adds what running `f` does to its bases (`env`) to `sum`: its own accesses and
    /// synchronisation, those of literals it runs in place, and those of the package's
    /// functions it calls with a base as receiver or argument.
    fn collect(
        &mut self,
        f: FuncIx,
        env: &FxMap<DefId, Base>,
        held: &LockSet,
        depth: u32,
        stack: &mut Vec<FuncIx>,
        sum: &mut FuncSummary,
    ) {
        let m = self.m;
        let func = m.func(f);
        // Fields of a copy that the function assigns: the map or slice they then hold is
        // the function's own.
        let replaced: HashSet<(DefId, PlaceId)> = func
            .accesses
            .iter()
            .map(|&a| m.access(a))
            .filter(|acc| acc.kind == AccessKind::Write)
            .filter_map(|acc| Some((acc.root?, acc.place)))
            .filter(|(d, _)| self.copies.contains(d))
            .collect();
        for &a in func.accesses.iter().chain(&func.foreign) {
            let acc = m.access(a);
            let Some(base) = acc.root.and_then(|d| env.get(&d).copied()) else {
                continue;
            };
            let copied = acc.root.is_some_and(|d| {
                self.copies.contains(&d)
                    && (matches!(
                        acc.kind,
                        AccessKind::Read | AccessKind::Write | AccessKind::Append
                    ) || replaced.contains(&(d, acc.place)))
            });
            let (owner, field) = match m.place(acc.place) {
                Place::Field { .. } if copied => continue,
                Place::Field { owner, name } => match type_name(self.prog, *owner) {
                    Some(t) => (Some(t), name.to_string()),
                    None => continue,
                },
                // A map or slice parameter shares its elements with the argument.
                Place::Var(d)
                    if acc.root == Some(*d)
                        && matches!(
                            acc.kind,
                            AccessKind::MapRead
                                | AccessKind::MapWrite
                                | AccessKind::ElemRead
                                | AccessKind::ElemWrite
                        ) =>
                {
                    (None, String::new())
                }
                Place::Var(_) => continue,
            };
            let held = self.locks(&acc.locks.union(held), f);
            // A lock the caller cannot name (a mutex parameter, another package's variable)
            // may well be one the caller holds too: such an access is left out rather than
            // paired as unguarded.
            if held.iter().any(|(l, _)| matches!(l, SumLock::Opaque(_))) {
                continue;
            }
            let dup = sum.accesses.iter().any(|s| {
                s.base == base
                    && s.owner == owner
                    && s.field == field
                    && s.kind == acc.kind
                    && s.held == held
            });
            if dup {
                continue;
            }
            if sum.accesses.len() >= MAX_ACCESSES {
                break;
            }
            let (at, name) = match m.foreign(a) {
                Some(fr) => {
                    let src = m.foreign_source(fr);
                    (src.at.clone(), src.callee.clone())
                }
                None => (
                    (self.loc)(func.file, acc.span.start),
                    Arc::from(m.func(m.outermost(f)).name.as_str()),
                ),
            };
            sum.accesses.push(SumAccess {
                base,
                owner,
                field,
                kind: acc.kind,
                held,
                at,
                func: name,
            });
        }
        for op in &func.syncs {
            if op.kind == SyncKind::WaitGroupAdd {
                continue;
            }
            let target = match m.place(op.place) {
                Place::Var(d) => match env.get(d) {
                    Some(&b) => SumTarget::Base(b),
                    None => continue,
                },
                Place::Field { owner, name } => match type_name(self.prog, *owner) {
                    Some(t) => SumTarget::Field {
                        owner: t,
                        name: name.to_string(),
                    },
                    None => continue,
                },
            };
            if !sum.syncs.contains(&(op.kind, target.clone())) {
                sum.syncs.push((op.kind, target));
            }
        }
        for &lit in &func.inline {
            crate::build::grow(|| self.collect(lit, env, held, depth, stack, sum));
        }
        if depth >= MAX_DEPTH {
            return;
        }
        for c in &func.calls {
            let [callee] = c.callees[..] else {
                continue;
            };
            if stack.contains(&callee) || m.func(callee).how != Invocation::Decl {
                continue;
            }
            let call = c.expr;
            let loaded = self.prog.loaded(self.pkg);
            let file = &loaded.src.files[func.file as usize];
            let ExprKind::Call { fun, ref args, .. } = file[call].kind else {
                continue;
            };
            let recv = match file[file.unparen(fun)].kind {
                ExprKind::Selector { x, .. } => Some(x),
                _ => None,
            };
            let mut inner = FxMap::default();
            for (d, b, _) in params(self.prog, self.pkg, m, callee) {
                let arg = match b {
                    Base::Recv => recv,
                    Base::Param(i) => file[args].get(i as usize).copied(),
                };
                if let Some(mapped) = arg.and_then(|x| self.base_of(func.file, x, env)) {
                    inner.insert(d, mapped);
                }
            }
            if inner.is_empty() {
                continue;
            }
            let locks = c.locks.union(held);
            let mut bases: Vec<(DefId, Base)> = inner.iter().map(|(&d, &b)| (d, b)).collect();
            bases.sort_unstable_by_key(|&(d, b)| (d, b));
            if !self.seen.insert((callee, bases, locks.iter().collect())) {
                continue;
            }
            stack.push(callee);
            self.collect(callee, &inner, &locks, depth + 1, stack, sum);
            stack.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_type_named, type_name};
    use racelens_semantic::import::{NoImports, SourcePackage};
    use racelens_semantic::types::{Loaded, PackageCache, Program, TypeId};
    use std::path::Path;
    use std::sync::Arc;

    #[test]
    fn is_type_named_agrees_with_type_name() {
        let src = "package p\n\ntype A struct{ n int }\ntype B[T any] struct{ v T }\n\
                   type C = A\ntype D int\n\nfunc F(a *A, b B[int], c C, d D, e []A, m map[D]*A) \
                   { type L struct{}; _ = L{} }\n";
        let (file, errors) = racelens_syntax::parse(src.as_bytes());
        assert!(errors.is_empty(), "{errors:?}");
        let cache = PackageCache::new();
        let dir = Path::new("/p");
        let pkg = Arc::new(SourcePackage::new("example.com/p", [file]));
        let loaded = Arc::new(Loaded::new("example.com/p", pkg, &NoImports, dir));
        let mut prog = Program::new(&NoImports, &cache);
        prog.check_loaded(loaded, dir);
        let types: Vec<TypeId> = (0..prog.types.len() as u32).map(TypeId).collect();
        let names: Vec<_> = types.iter().filter_map(|&t| type_name(&prog, t)).collect();
        // A, B (its generic origin), D and the local L; not the alias C.
        assert_eq!(names.len(), 4, "{names:?}");
        for &t in &types {
            for n in &names {
                assert_eq!(
                    is_type_named(&prog, t, n),
                    type_name(&prog, t).as_ref() == Some(n),
                    "{t:?} {n:?}"
                );
            }
        }
    }
}
