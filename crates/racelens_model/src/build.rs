//! Building the model: one walk over every function body of the package, in source order,
//! tracking the locks held (flow-sensitively: branches that return or panic drop out, the
//! others are intersected), and recording accesses, calls, goroutine starts and
//! synchronisation operations. Then the locks callers hold are propagated into unexported
//! helpers.

use crate::summary::{
    self, Base, FuncSummary, PackageSummary, SumAccess, SumLock, SumTarget, SummarySource,
};
use crate::{
    Access, AccessIx, AccessKind, Call, Foreign, ForeignSource, FuncIx, Function, HelperCall,
    Invocation, LockMode, LockSet, Model, Place, PlaceId, Spawn, SpawnIx, SpawnKind, SyncKind,
    SyncOp, Transfer, TransferIx, TransferKind, FOREIGN_BASE,
};
use racelens_semantic::types::{ObjRef, PkgIdx, Program, SelKind, Type, TypeId};
use racelens_semantic::{BuiltinKind, DeclSite, DefKind, FuncRef, PackageScopes};
use racelens_syntax::ast::{
    DeclId, DeclKind, ExprId, ExprKind, IdentId, Span, SpecKind, StmtId, StmtKind,
};
use racelens_syntax::token::TokenKind;
use racelens_syntax::walk::Node;
use racelens_syntax::File;
use std::sync::Arc;
// Ids and short names: the Fx hash, not SipHash.
use racelens_semantic::scope::FxMap as HashMap;
use racelens_semantic::scope::FxSet as HashSet;

/// Runs `f` with enough stack for one more level of a recursive walk (nesting is limited
/// only by the parser's 100,000 levels).
pub fn grow<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}

/// The stack `grow` keeps free, and how much it adds at a time.
const RED_ZONE: usize = 128 * 1024;
const SEGMENT: usize = 1024 * 1024;
/// The walker's statements and expressions ask for stack only every `NEST_STRIDE` levels
/// (`racelens_syntax::stack::nested`).
const NEST_STRIDE: u32 = 8;
/// The longest path of struct-valued fields a place keeps (`a.b.c` is field `b.c` of `a`'s
/// type); see `Walker::place_at_depth`.
const MAX_FIELD_PATH: usize = 16;
/// How many steps `Walker::root_var` takes before it remembers what it met.
const SHORT_ROOT_PATH: usize = 64;

/// Builds the model of package `pkg`, which `prog` has checked, without other packages'
/// summaries.
pub fn build(prog: &mut Program, pkg: PkgIdx) -> Model {
    build_with(prog, pkg, None)
}

/// Builds the model of package `pkg`, which `prog` has checked; calls into other packages of
/// the workspace apply their summaries from `summaries`.
pub fn build_with(prog: &mut Program, pkg: PkgIdx, summaries: Option<&dyn SummarySource>) -> Model {
    build_files(prog, pkg, summaries, &|_| true)
}

/// The model of the functions of package `pkg` declared in the files `keep` accepts (by
/// index), without the summaries of other packages: the package as its importers see it,
/// from a check of the package with its test files.
pub fn build_part(prog: &mut Program, pkg: PkgIdx, keep: &dyn Fn(usize) -> bool) -> Model {
    build_files(prog, pkg, None, keep)
}

fn build_files(
    prog: &mut Program,
    pkg: PkgIdx,
    summaries: Option<&dyn SummarySource>,
    keep: &dyn Fn(usize) -> bool,
) -> Model {
    let mut m = Model::new(pkg);
    let loaded = prog.loaded(pkg);
    // What calls into other packages touch can only race with something in a package that
    // starts goroutines; elsewhere their summaries are not worth computing.
    let summaries = summaries.filter(|_| starts_goroutines(&loaded.src.files));
    // About one access per four expressions (at most one per 2.2 in any package), and one
    // foreign access per ten (nine packages in ten: at most one per 4.7), on the standard
    // library: reserved up front for the most, the two largest vectors of a model are not
    // copied as they grow (memory reserved and never written costs nothing).
    let exprs: usize = loaded
        .src
        .files
        .iter()
        .enumerate()
        .filter(|&(fi, _)| keep(fi))
        .map(|(_, f)| f.exprs.len())
        .sum();
    m.accesses.reserve(exprs / 2);
    if summaries.is_some() {
        m.foreign.reserve(exprs / 4);
    }
    let files = || {
        loaded
            .src
            .files
            .iter()
            .enumerate()
            .filter(|&(fi, _)| keep(fi))
    };
    // Every declared function first, so that calls can name functions declared later.
    for (fi, f) in files() {
        for &d in &f.decls {
            let DeclKind::Func {
                recv, name, typ, ..
            } = &f[d].kind
            else {
                continue;
            };
            let mut params = Vec::new();
            if let ExprKind::FuncType { params: pl, .. } = f[*typ].kind {
                for &field in f[pl].list.iter() {
                    if f[field].names.is_empty() {
                        params.push(None);
                    }
                    for &n in f[field].names.iter() {
                        params.push(loaded.scopes.binding(fi, n));
                    }
                }
            }
            let fname = f.ident_name(*name);
            let mut recv_ty = None;
            let mut shown = fname.to_string();
            if let Some(r) = recv {
                if let Some(field) = f[*r].list.first() {
                    let t = prog.type_of(pkg, fi, f[*field].typ);
                    let ptr = matches!(prog.types.get(t), Type::Pointer(_));
                    let d = prog.deref_type(t);
                    if matches!(prog.types.get(d), Type::Named(_)) {
                        recv_ty = Some(d);
                    }
                    let tname = f.text(f[f[*field].typ].span).trim_start_matches('*');
                    let tname = tname.split('[').next().unwrap_or(tname);
                    shown = if ptr {
                        format!("(*{tname}).{fname}")
                    } else {
                        format!("{tname}.{fname}")
                    };
                }
            }
            let ix = FuncIx(m.funcs.len() as u32);
            m.by_ref.insert((fi as u32, FuncRef::Decl(d)), ix);
            m.funcs.push(Function {
                recv: recv_ty,
                params,
                exported: fname.starts_with(|c: char| c.is_uppercase()),
                ..Function::new(
                    fi as u32,
                    FuncRef::Decl(d),
                    f[d].span,
                    shown,
                    None,
                    ix,
                    Invocation::Decl,
                )
            });
        }
    }
    // Channels made with room for one token, whose sends and receives lock and unlock.
    let mut semaphores: HashSet<PlaceId> = HashSet::default();
    for (fi, f) in files() {
        if crate::may_make_one_slot_channel(&f.source) {
            let mut w = Walker::new(prog, &mut m, pkg, fi as u32, f, &loaded.scopes);
            w.one_slot_channels(&mut semaphores);
        }
    }
    // `*rand.Rand`s made over a source of the package that locks (`rand.New(&lockedSrc{})`):
    // their methods other than `Read` and `Seed` only call the source.
    let mut locked_rands: HashSet<PlaceId> = HashSet::default();
    for (fi, f) in files() {
        if memchr::memmem::find(&f.source, b"rand.New(").is_some() {
            let mut w = Walker::new(prog, &mut m, pkg, fi as u32, f, &loaded.scopes);
            w.locked_rands(&mut locked_rands);
        }
    }
    // Condition variables made over a mutex of the same value (`q.cond = sync.NewCond(&q.mu)`):
    // their `L` is that mutex.
    let mut cond_lockers: HashMap<PlaceId, PlaceId> = HashMap::default();
    for (fi, f) in files() {
        if memchr::memmem::find(&f.source, b"NewCond(").is_some() {
            let mut w = Walker::new(prog, &mut m, pkg, fi as u32, f, &loaded.scopes);
            w.cond_lockers(&mut cond_lockers);
        }
    }
    // Lock effects of helpers that lock or unlock for their caller.
    let mut effects: HashMap<FuncIx, Effect> = HashMap::default();
    for (fi, f) in files() {
        let mut w = Walker::new(prog, &mut m, pkg, fi as u32, f, &loaded.scopes);
        w.semaphores = &semaphores;
        w.cond_lockers = &cond_lockers;
        w.summaries = summaries;
        for &d in &f.decls {
            if let DeclKind::Func { body: Some(b), .. } = &f[d].kind {
                let ix = w.m.by_ref[&(fi as u32, FuncRef::Decl(d))];
                let e = w.effect(*b);
                if !e.acquired.is_empty() || !e.released.is_empty() {
                    effects.insert(ix, e);
                }
            }
        }
    }
    // Helpers that run a function they are given in goroutines.
    let mut helpers: HashMap<FuncIx, Helper> = HashMap::default();
    for (fi, f) in files() {
        find_helpers(f, fi, &loaded.scopes, &m, &mut helpers);
    }
    // Functions that queue a function they are given on a channel, for an actor's loop.
    let mut queuers: HashMap<FuncIx, u32> = HashMap::default();
    for (fi, f) in files() {
        find_queuers(f, fi, &loaded.scopes, &m, &mut queuers);
    }
    // Functions that return a value they make, shared with nobody yet.
    let mut constructors: HashSet<FuncIx> = HashSet::default();
    let spawning = spawning_method_names(files().map(|(_, f)| &**f));
    for (fi, f) in files() {
        find_constructors(f, fi, &loaded.scopes, &m, &spawning, &mut constructors);
    }
    // For the calls of the package's interfaces that one of its types alone implements,
    // carried from file to file.
    let mut impls = Impls {
        kept: (0..loaded.src.files.len()).map(keep).collect(),
        ..Impls::default()
    };
    for (fi, f) in files() {
        let mut w = Walker::new(prog, &mut m, pkg, fi as u32, f, &loaded.scopes);
        w.effects = &effects;
        w.helpers = &helpers;
        w.queuers = &queuers;
        w.semaphores = &semaphores;
        w.cond_lockers = &cond_lockers;
        w.locked_rands = &locked_rands;
        w.constructors = &constructors;
        w.impls = std::mem::take(&mut impls);
        w.summaries = summaries;
        for &d in &f.decls {
            if let DeclKind::Func { body: Some(b), .. } = &f[d].kind {
                w.cur = w.m.by_ref[&(fi as u32, FuncRef::Decl(d))];
                w.locks = LockSet::default();
                w.loops.clear();
                w.stmt(*b);
            }
        }
        impls = std::mem::take(&mut w.impls);
    }
    index_accesses(&mut m);
    // A literal comes after the function it is written in, and the literals written in it
    // come right after it, before any other.
    for (f, func) in m.funcs.iter_mut().enumerate() {
        func.last_nested = FuncIx(f as u32);
    }
    for f in (0..m.funcs.len()).rev() {
        if let Some(p) = m.funcs[f].parent {
            let last = m.funcs[f].last_nested;
            let p = &mut m.funcs[p.index()];
            p.last_nested = p.last_nested.max(last);
        }
    }
    // Functions used other than by a direct call.
    for s in 0..m.spawns.len() {
        for t in m.spawns[s].targets.clone() {
            m.funcs[t.index()].escapes = true;
        }
    }
    propagate_entry_locks(&mut m);
    m.lock_effects = effects
        .into_iter()
        .map(|(f, e)| (f, (e.acquired, e.released)))
        .collect();
    m.sum_cache = SumCache::default();
    m
}

/// Lists each function's accesses and foreign accesses, in the order they were recorded:
/// one pass at the end rather than a vector per function grown as the walk goes.
fn index_accesses(m: &mut Model) {
    let mut own = vec![0usize; m.funcs.len()];
    let mut foreign = vec![0usize; m.funcs.len()];
    for a in &m.accesses {
        own[a.func.index()] += 1;
    }
    for fr in &m.foreign {
        foreign[fr.access.func.index()] += 1;
    }
    for ((f, &n), &k) in m.funcs.iter_mut().zip(&own).zip(&foreign) {
        f.accesses.reserve_exact(n);
        f.foreign.reserve_exact(k);
    }
    for (i, a) in m.accesses.iter().enumerate() {
        m.funcs[a.func.index()].accesses.push(AccessIx(i as u32));
    }
    for (i, fr) in m.foreign.iter().enumerate() {
        m.funcs[fr.access.func.index()]
            .foreign
            .push(AccessIx(FOREIGN_BASE + i as u32));
    }
}

/// The summary of package `path` (another package of the workspace) for package `own`,
/// asked of `source` once per model.
fn package_summary(
    cache: &mut SumCache,
    source: &dyn SummarySource,
    own: &str,
    path: &str,
) -> Option<Arc<PackageSummary>> {
    if path == own {
        return None;
    }
    match cache.packages.get(path) {
        Some(s) => s.clone(),
        None => {
            let s = source.summary(own, path);
            cache.packages.insert(path.into(), s.clone());
            s
        }
    }
}

/// What applying other packages' summaries has found while a model is built. The maps are
/// keyed by the address of a summary's access or lock: `packages` holds every summary the
/// build has used, so that no address is reused while the cache lives.
#[derive(Default)]
pub(crate) struct SumCache {
    /// Each other package's summary, as the summary source gave it (`None`: it has none).
    packages: HashMap<Box<str>, Option<Arc<PackageSummary>>>,
    /// The place of a summary's access by the access and the type its base has here.
    places: HashMap<(usize, TypeId), Option<PlaceId>>,
    /// The place of a summary's lock.
    locks: HashMap<usize, Option<PlaceId>>,
    /// The index in `Model::foreign_sources` of a summary's access.
    sources: HashMap<usize, u32>,
}

/// Whether any file starts a goroutine or a concurrent callback: a `go` statement, or a call
/// of a method or function named `Go`, `TryGo` or `AfterFunc`.
fn starts_goroutines(files: &[Arc<File>]) -> bool {
    files.iter().any(|f| file_starts_goroutines(f))
}

/// Whether file `f` starts a goroutine or a concurrent callback (see `starts_goroutines`):
/// only the models of packages with such a file ask for the summaries of the packages they
/// call.
pub fn file_starts_goroutines(f: &File) -> bool {
    f.stmts.iter().any(|s| matches!(s.kind, StmtKind::Go { .. }))
        || f.exprs.iter().any(|e| {
            let ExprKind::Call { fun, .. } = e.kind else {
                return false;
            };
            matches!(f[f.unparen(fun)].kind,
                ExprKind::Selector { sel, .. } if matches!(f.ident_name(sel), "Go" | "TryGo" | "AfterFunc"))
        })
}

/// A function of the package that runs one of its parameters, a function, in goroutines
/// it starts (`parallelFor(n, fn)`, a worker pool's `Each(items, fn)`, a `goSafe(fn)` that
/// recovers panics): a call of it that hands it a function starts that function.
#[derive(Clone, Copy, Debug)]
struct Helper {
    /// The position of the parameter among the call's arguments.
    arg: u32,
    /// The goroutines are started in a loop that does not wait for them within its
    /// iteration: the instances one call starts run alongside each other.
    looped: bool,
    /// The helper waits after starting them (a `Wait()`, a receive, a `select`, a `range`):
    /// its caller goes on once they are done.
    joins: bool,
}

/// How many of the loops that start before a goroutine start `find_helpers` looks at for the
/// one around it.
const MAX_LOOPS_BACK: usize = 64;

/// What in a file's syntax can make its functions helpers (see [`Helper`]), each list
/// sorted by offset.
#[derive(Default)]
struct HelperScan {
    /// Goroutine starts: the `go` statement's span and its call, or a `Go`/`TryGo` call's
    /// span and its one argument.
    starts: Vec<(Span, ExprId)>,
    /// `for` and `range` statements.
    loops: Vec<Span>,
    /// Where the code may wait: `Wait()` calls (true), receives, `select` and `range`
    /// statements (false).
    waits: Vec<(u32, bool)>,
    /// Calls of plain names (resolved only where a start's literal holds them): the call's
    /// offset and the name.
    name_calls: Vec<(u32, IdentId)>,
    /// `Lock()` and `RLock()` calls.
    locks: Vec<u32>,
}

/// Adds the helpers declared in file `f` (number `fi`) to `out`.
fn find_helpers(
    f: &File,
    fi: usize,
    scopes: &PackageScopes,
    m: &Model,
    out: &mut HashMap<FuncIx, Helper>,
) {
    let mut scan: Option<Option<HelperScan>> = None;
    for &d in &f.decls {
        let Some((body, funcs)) = func_params(f, fi, scopes, d) else {
            continue;
        };
        let Some(scan) = scan.get_or_insert_with(|| scan_for_helpers(f)) else {
            return;
        };
        let b = body;
        let first = scan.starts.partition_point(|(sp, _)| sp.start < b.start);
        for &(sp, target) in &scan.starts[first..] {
            if sp.start >= b.end {
                break;
            }
            let runs = |def| match f[target].kind {
                ExprKind::Ident(id) => scopes.binding(fi, id) == Some(def),
                // A goroutine that takes a lock before the call may run the function one
                // at a time: left out.
                ExprKind::FuncLit { .. } => {
                    let lit = f[target].span;
                    let at = scan.name_calls.partition_point(|&(o, _)| o < lit.start);
                    let call = scan.name_calls[at..]
                        .iter()
                        .take_while(|&&(o, _)| o < lit.end)
                        .find(|&&(_, id)| scopes.binding(fi, id) == Some(def));
                    call.is_some_and(|&(o, _)| {
                        let l = scan.locks.partition_point(|&l| l < lit.start);
                        !matches!(scan.locks.get(l), Some(&l) if l < o)
                    })
                }
                _ => false,
            };
            let Some(&(arg, _)) = funcs.iter().find(|&&(_, def)| runs(def)) else {
                continue;
            };
            let waits_in = |from: u32, to: u32, any: bool| {
                let at = scan.waits.partition_point(|&(o, _)| o < from);
                scan.waits[at..]
                    .iter()
                    .take_while(|&&(o, _)| o < to)
                    .any(|&(_, call)| any || call)
            };
            // The innermost loop of the helper around the start: of the loops that start
            // before it (by start, the nearest first), the first that holds it. Only the
            // nearest `MAX_LOOPS_BACK` are looked at, so that a file of thousands of loops
            // and starts costs no more than their number (missing the loop only loses the
            // instances' races).
            let upto = scan.loops.partition_point(|l| l.start <= sp.start);
            let looped = scan.loops[..upto]
                .iter()
                .rev()
                .take(MAX_LOOPS_BACK)
                .take_while(|l| l.start >= b.start)
                .find(|l| sp.end <= l.end)
                .is_some_and(|l| !waits_in(sp.end, l.end, true));
            let joins = waits_in(sp.end, b.end, true) || waits_in(b.start, sp.start, false);
            let ix = m.by_ref[&(fi as u32, FuncRef::Decl(d))];
            let h = out.entry(ix).or_insert(Helper { arg, looped, joins });
            if looped && !h.looped {
                *h = Helper { arg, looped, joins };
            }
        }
    }
}

/// Adds the functions declared in file `f` (number `fi`) that send a parameter of function
/// type on a channel, alone or as an element of a composite literal (`a.tasks <- task{fn,
/// done}`), to `out`, with the parameter's position: the function they are given runs where
/// the channel's receiver calls it, not where it is written.
fn find_queuers(
    f: &File,
    fi: usize,
    scopes: &PackageScopes,
    m: &Model,
    out: &mut HashMap<FuncIx, u32>,
) {
    // The file's sends, by a flat scan: most files have none.
    let sends: Vec<(u32, ExprId)> = f
        .stmts
        .iter()
        .filter_map(|st| match st.kind {
            StmtKind::Send { value, .. } => Some((st.span.start, value)),
            _ => None,
        })
        .collect();
    if sends.is_empty() {
        return;
    }
    for &d in &f.decls {
        let Some((b, funcs)) = func_params(f, fi, scopes, d) else {
            continue;
        };
        let inside: Vec<ExprId> = sends
            .iter()
            .filter(|&&(at, _)| b.start <= at && at < b.end)
            .map(|&(_, v)| v)
            .collect();
        if inside.is_empty() {
            continue;
        }
        let names = |v: ExprId| -> Vec<IdentId> {
            // `&op{f: f, ...}` queues the operation by pointer.
            let v = match f[f.unparen(v)].kind {
                ExprKind::Unary {
                    op: TokenKind::And,
                    x,
                } => f.unparen(x),
                _ => f.unparen(v),
            };
            let one = |x: ExprId| match f[f.unparen(x)].kind {
                ExprKind::Ident(id) => Some(id),
                ExprKind::KeyValue { value, .. } => match f[f.unparen(value)].kind {
                    ExprKind::Ident(id) => Some(id),
                    _ => None,
                },
                _ => None,
            };
            match &f[v].kind {
                ExprKind::Ident(id) => vec![*id],
                ExprKind::CompositeLit { elts, .. } => {
                    f[*elts].iter().filter_map(|&x| one(x)).collect()
                }
                _ => Vec::new(),
            }
        };
        let sent: Vec<racelens_semantic::DefId> = inside
            .iter()
            .flat_map(|&v| names(v))
            .filter_map(|id| scopes.binding(fi, id))
            .collect();
        if let Some(&(pos, _)) = funcs.iter().find(|(_, p)| sent.contains(p)) {
            out.insert(m.by_ref[&(fi as u32, FuncRef::Decl(d))], pos);
        }
    }
}

/// The one argument of call `e` of file `f` when the call's function is written `callee`
/// (`rand.New(src)`, `sync.NewCond(&mu)`).
fn sole_argument(f: &File, e: ExprId, callee: &str) -> Option<ExprId> {
    let ExprKind::Call { fun, ref args, .. } = f[f.unparen(e)].kind else {
        return None;
    };
    let [a] = f[args][..] else {
        return None;
    };
    (f.text(f[f.unparen(fun)].span) == callee).then_some(a)
}

/// Whether expression `e` of file `f` (number `fi` of the package `scopes` resolves) makes a
/// new value right there: `T{...}`, `&T{...}` or `new(T)`.
pub fn makes_new_value(f: &File, fi: usize, scopes: &PackageScopes, e: ExprId) -> bool {
    let e = f.unparen(e);
    match f[e].kind {
        ExprKind::CompositeLit { .. } => true,
        ExprKind::Unary {
            op: TokenKind::And,
            x,
        } => matches!(f[f.unparen(x)].kind, ExprKind::CompositeLit { .. }),
        ExprKind::Call { fun, ref args, .. } => {
            args.len() == 1
                && matches!(f[f.unparen(fun)].kind, ExprKind::Ident(id)
                if f.ident_name(id) == "new"
                    && scopes.binding(fi, id).is_some_and(|d| {
                        matches!(scopes.def(d).kind, DefKind::Builtin(BuiltinKind::Func))
                    }))
        }
        _ => false,
    }
}

/// The names of the package's methods that start a goroutine in their own body.
fn spawning_method_names<'f>(files: impl Iterator<Item = &'f File>) -> HashSet<String> {
    let mut out = HashSet::default();
    for f in files {
        let mut gos: Vec<u32> = f
            .stmts
            .iter()
            .filter(|st| matches!(st.kind, StmtKind::Go { .. }))
            .map(|st| st.span.start)
            .collect();
        gos.sort_unstable();
        if gos.is_empty() {
            continue;
        }
        for &d in &f.decls {
            if let DeclKind::Func {
                recv: Some(_),
                name,
                body: Some(b),
                ..
            } = f[d].kind
            {
                let span = f[b].span;
                let first = gos.partition_point(|&at| at < span.start);
                if gos.get(first).is_some_and(|&at| at < span.end) {
                    out.insert(f.ident_name(name).to_string());
                }
            }
        }
    }
    out
}

/// Adds the functions of file `f` that return a value they make and share with nobody to
/// `out`: every `return` of the body (outside function literals) gives `nil` or a new value
/// first (`&T{...}`, `T{...}`, `new(T)`, or a local variable defined as one and not
/// assigned again), the body starts no goroutine, and the local is used only through its
/// fields and methods, none of which (by name, among the package's methods) starts a
/// goroutine in its own body. A value such a function returns belongs to its caller until
/// the caller publishes it (`a, err := newAlert(...); a.ID = id`). One level only: a
/// method called on the value that starts a goroutine through another call is not seen.
fn find_constructors(
    f: &File,
    fi: usize,
    scopes: &PackageScopes,
    m: &Model,
    spawning: &HashSet<String>,
    out: &mut HashSet<FuncIx>,
) {
    let fresh_expr = |e: ExprId| makes_new_value(f, fi, scopes, e);
    // The few statements and literals the first test needs, by position: a flat scan, with
    // only them sorted.
    let mut returns: Vec<(u32, u32)> = Vec::new();
    let mut gos: Vec<u32> = Vec::new();
    for (i, st) in f.stmts.iter().enumerate() {
        match st.kind {
            StmtKind::Return { .. } => returns.push((st.span.start, i as u32)),
            StmtKind::Go { .. } => gos.push(st.span.start),
            _ => {}
        }
    }
    if returns.is_empty() {
        return;
    }
    returns.sort_unstable();
    gos.sort_unstable();
    let mut lits: Vec<(u32, u32)> = f
        .exprs
        .iter()
        .filter(|e| matches!(e.kind, ExprKind::FuncLit { .. }))
        .map(|e| (e.span.start, e.span.end))
        .collect();
    lits.sort_unstable();
    let range = |v: &[(u32, u32)], span: Span| {
        let lo = v.partition_point(|&(at, _)| at < span.start);
        let hi = v.partition_point(|&(at, _)| at < span.end);
        lo..hi
    };
    // The functions whose every return gives nil or a new value, with the locals returned.
    struct Candidate<'f> {
        decl: DeclId,
        body: Span,
        locals: Vec<racelens_semantic::DefId>,
        /// Their names.
        names: Vec<&'f str>,
        /// Per local: defined once as a new value, not assigned again (`Some(true)`).
        defined: Vec<Option<bool>>,
        /// Per local: its mentions, those selecting a field or method, those returned.
        mentions: Vec<(usize, usize, usize)>,
        ok: bool,
    }
    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    for &d in &f.decls {
        let DeclKind::Func {
            typ, body: Some(b), ..
        } = f[d].kind
        else {
            continue;
        };
        let ExprKind::FuncType {
            results: Some(results),
            ..
        } = f[typ].kind
        else {
            continue;
        };
        // Named results may be returned bare.
        if f[results].list.iter().any(|&r| !f[r].names.is_empty()) {
            continue;
        }
        let body = f[b].span;
        let first_go = gos.partition_point(|&at| at < body.start);
        if gos.get(first_go).is_some_and(|&at| at < body.end) {
            continue;
        }
        let own_lits = &lits[range(&lits, body)];
        let in_lit = |at: u32| own_lits.iter().any(|&(start, end)| start <= at && at < end);
        let mut made = false;
        let mut locals: Vec<racelens_semantic::DefId> = Vec::new();
        let mut returned: Vec<usize> = Vec::new();
        let mut ok = true;
        for &(at, i) in &returns[range(&returns, body)] {
            let StmtKind::Return { results } = &f.stmts[i as usize].kind else {
                continue;
            };
            if in_lit(at) {
                // A literal returning a local hands it to whoever calls the literal: the
                // mention is then not counted as returned, and the local fails below.
                continue;
            }
            let Some(&r) = f[*results].first() else {
                ok = false;
                break;
            };
            match f[f.unparen(r)].kind {
                ExprKind::Ident(id) if f.ident_name(id) == "nil" => {}
                ExprKind::Ident(id) => match scopes.binding(fi, id) {
                    Some(v) if scopes.def(v).kind == DefKind::LocalVar => {
                        made = true;
                        match locals.iter().position(|&l| l == v) {
                            Some(k) => returned[k] += 1,
                            None => {
                                locals.push(v);
                                returned.push(1);
                            }
                        }
                    }
                    _ => ok = false,
                },
                _ if fresh_expr(r) => made = true,
                _ => ok = false,
            }
            if !ok {
                break;
            }
        }
        if ok && made {
            candidates.push(Candidate {
                decl: d,
                body,
                defined: vec![None; locals.len()],
                mentions: returned.iter().map(|&n| (0, 0, n)).collect(),
                names: locals
                    .iter()
                    .filter_map(|&v| scopes.def(v).ident.map(|id| f.ident_name(id)))
                    .collect(),
                locals,
                ok: true,
            });
        }
    }
    // The locals returned: one pass over the file's assignments and names, each looked up
    // in the candidate whose body holds it (bodies are sorted and do not overlap).
    if candidates.iter().any(|c| !c.locals.is_empty()) {
        // Which of a candidate's locals an identifier names: by name first, as the binding
        // is a lookup.
        let local = |c: &Candidate<'_>, id: IdentId| {
            if !c.names.contains(&f.ident_name(id)) {
                return None;
            }
            let v = scopes.binding(fi, id)?;
            c.locals.iter().position(|&x| x == v)
        };
        let holder = |cands: &[Candidate<'_>], at: u32| {
            let k = cands
                .partition_point(|c| c.body.start <= at)
                .checked_sub(1)?;
            (at < cands[k].body.end).then_some(k)
        };
        for st in &f.stmts {
            let StmtKind::Assign { lhs, rhs, tok, .. } = &st.kind else {
                continue;
            };
            let Some(k) = holder(&candidates, st.span.start) else {
                continue;
            };
            let c = &mut candidates[k];
            for (j, &l) in f[*lhs].iter().enumerate() {
                let ExprKind::Ident(id) = f[f.unparen(l)].kind else {
                    continue;
                };
                let Some(n) = local(c, id) else {
                    continue;
                };
                let new = *tok == TokenKind::Define
                    && f[*lhs].len() == f[*rhs].len()
                    && fresh_expr(f[*rhs][j]);
                c.defined[n] = Some(new && c.defined[n].is_none());
            }
        }
        for e in &f.exprs {
            let (id, sel) = match e.kind {
                ExprKind::Ident(id) => (id, None),
                ExprKind::Selector { x, sel } => match f[f.unparen(x)].kind {
                    ExprKind::Ident(id) => (id, Some(sel)),
                    _ => continue,
                },
                _ => continue,
            };
            let Some(k) = holder(&candidates, e.span.start) else {
                continue;
            };
            let c = &mut candidates[k];
            let Some(n) = local(c, id) else {
                continue;
            };
            match sel {
                None => c.mentions[n].0 += 1,
                Some(sel) => {
                    c.mentions[n].1 += 1;
                    if spawning.contains(f.ident_name(sel)) {
                        c.ok = false;
                    }
                }
            }
        }
    }
    for c in &candidates {
        // Each returned local: defined once as a new value, then used only through its
        // fields and methods (and returned), its definition being the one other mention.
        let owned = c.ok
            && c.defined.iter().all(|&d| d == Some(true))
            && c.mentions
                .iter()
                .all(|&(all, selected, returned)| all == selected + returned + 1);
        if owned {
            if let Some(&ix) = m.by_ref.get(&(fi as u32, FuncRef::Decl(c.decl))) {
                out.insert(ix);
            }
        }
    }
}

/// For function declaration `d` of file `f` (number `fi`) with a body and a parameter of
/// function type: its body's span, and those parameters with their positions.
fn func_params(
    f: &File,
    fi: usize,
    scopes: &PackageScopes,
    d: DeclId,
) -> Option<(Span, Vec<(u32, racelens_semantic::DefId)>)> {
    let DeclKind::Func {
        typ,
        body: Some(body),
        ..
    } = f[d].kind
    else {
        return None;
    };
    let ExprKind::FuncType { params, .. } = f[typ].kind else {
        return None;
    };
    let mut funcs = Vec::new();
    let mut pos = 0u32;
    for &field in f[params].list.iter() {
        let is_func = matches!(f[f.unparen(f[field].typ)].kind, ExprKind::FuncType { .. });
        let names = &f[field].names;
        if names.is_empty() {
            pos += 1;
            continue;
        }
        for &n in names.iter() {
            if let (true, Some(def)) = (is_func, scopes.binding(fi, n)) {
                funcs.push((pos, def));
            }
            pos += 1;
        }
    }
    (!funcs.is_empty()).then(|| (f[body].span, funcs))
}

/// The lists of [`HelperScan`] for file `f`, by flat scans of its arenas; `None` when it
/// starts no goroutine.
fn scan_for_helpers(f: &File) -> Option<HelperScan> {
    let mut scan = HelperScan::default();
    for st in &f.stmts {
        match st.kind {
            StmtKind::Go { call } => {
                if let ExprKind::Call { fun, .. } = f[f.unparen(call)].kind {
                    scan.starts.push((st.span, f.unparen(fun)));
                }
            }
            StmtKind::For { .. } => scan.loops.push(st.span),
            StmtKind::Range { .. } => {
                scan.loops.push(st.span);
                scan.waits.push((st.span.start, false));
            }
            StmtKind::Select { .. } => scan.waits.push((st.span.start, false)),
            _ => {}
        }
    }
    for e in &f.exprs {
        match e.kind {
            ExprKind::Unary {
                op: TokenKind::Arrow,
                ..
            } => scan.waits.push((e.span.start, false)),
            ExprKind::Call { fun, ref args, .. } => match f[f.unparen(fun)].kind {
                ExprKind::Selector { sel, .. } => {
                    let name = f.ident_name(sel);
                    if name == "Wait" && args.is_empty() {
                        scan.waits.push((e.span.start, true));
                    } else if matches!(name, "Lock" | "RLock") && args.is_empty() {
                        scan.locks.push(e.span.start);
                    } else if matches!(name, "Go" | "TryGo") && args.len() == 1 {
                        scan.starts.push((e.span, f.unparen(f[args][0])));
                    }
                }
                ExprKind::Ident(id) => scan.name_calls.push((e.span.start, id)),
                _ => {}
            },
            _ => {}
        }
    }
    if scan.starts.is_empty() {
        return None;
    }
    scan.starts.sort_unstable_by_key(|(sp, _)| sp.start);
    scan.loops.sort_unstable_by_key(|l| l.start);
    scan.waits.sort_unstable();
    scan.name_calls.sort_unstable_by_key(|&(o, _)| o);
    scan.locks.sort_unstable();
    Some(scan)
}

/// Locks a function leaves acquired or releases for its caller.
#[derive(Default)]
struct Effect {
    acquired: Vec<(PlaceId, LockMode)>,
    released: Vec<PlaceId>,
}

/// The name of the place that stands for the lock a `...Locked` function's caller holds.
pub const CALLER_LOCK: &str = "(lock held by the caller)";

/// Gives each unexported helper the locks all of its callers hold (a few rounds, as
/// helpers call helpers).
fn propagate_entry_locks(m: &mut Model) {
    let mut callers: HashMap<FuncIx, Vec<(FuncIx, u32)>> = HashMap::default();
    for (i, f) in m.funcs.iter().enumerate() {
        for (ci, c) in f.calls.iter().enumerate() {
            for &callee in &c.callees {
                callers
                    .entry(callee)
                    .or_default()
                    .push((FuncIx(i as u32), ci as u32));
            }
        }
    }
    m.callers = callers;
    // Go's naming convention: `fooLocked` is called with the lock held. The lock is not
    // named, so a place of its own stands for it.
    let mut conventional: Vec<Option<PlaceId>> = vec![None; m.funcs.len()];
    for (i, conv) in conventional.iter_mut().enumerate() {
        let f = &m.funcs[i];
        let simple = f.name.rsplit('.').next().unwrap_or(&f.name);
        if f.how == Invocation::Decl && crate::named_locked(simple) {
            let owner = f.recv.unwrap_or(racelens_semantic::types::UNKNOWN);
            *conv = Some(m.intern_field(owner, CALLER_LOCK));
        }
    }
    for (i, lock) in conventional.iter().enumerate() {
        if let Some(l) = lock {
            m.funcs[i].entry.acquire(*l, LockMode::Write);
        }
    }
    for _ in 0..3 {
        let mut changed = false;
        for (i, conv) in conventional.iter().enumerate() {
            if m.funcs[i].how != Invocation::Decl {
                continue;
            }
            let mut entry = m.callers_entry(FuncIx(i as u32), |_| true);
            if let Some(l) = conv {
                entry.acquire(*l, LockMode::Write);
            }
            if entry != m.funcs[i].entry {
                m.funcs[i].entry = entry;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

impl racelens_syntax::stack::Nested for Walker<'_, '_, '_> {
    fn depth(&mut self) -> &mut u32 {
        &mut self.depth
    }
}

struct Walker<'w, 'p, 'a> {
    prog: &'w mut Program<'p>,
    m: &'w mut Model,
    pkg: PkgIdx,
    fi: u32,
    f: &'a File,
    scopes: &'a PackageScopes,
    effects: &'w HashMap<FuncIx, Effect>,
    /// The package's helpers that run a function they are given in goroutines.
    helpers: &'w HashMap<FuncIx, Helper>,
    /// The package's functions that send a function they are given on a channel (alone or
    /// in a composite literal), by the argument's position: `run(fn)` queueing `task{fn,
    /// done}` for an actor's loop.
    queuers: &'w HashMap<FuncIx, u32>,
    cur: FuncIx,
    locks: LockSet,
    /// Spans of the loop statements around the current point of the current function.
    loops: Vec<Span>,
    /// Inside a `defer` statement.
    deferred: bool,
    lits: u32,
    /// Local variables defined from a function literal, with the literal.
    lit_vars: HashMap<racelens_semantic::DefId, FuncIx>,
    /// The branches of the current function that exclude the current point: the `else`
    /// of each `if` whose `then` it is in, the later cases of each `switch` or `select`.
    branches: Vec<Span>,
    /// How deep the walk is in nested statements and expressions (see `nested`).
    depth: u32,
    /// The summaries of the other packages of the workspace.
    summaries: Option<&'w dyn SummarySource>,
    /// The variable each expression of a long place path starts from (`root_var_long`).
    long_roots: HashMap<ExprId, Option<racelens_semantic::DefId>>,
    /// What `sole_impl` knows of the package's types (nothing while lock effects are
    /// computed).
    impls: Impls,
    /// The package's channels made with room for one token (`make(chan struct{}, 1)`): a
    /// send of a token statement takes one like a mutex, a receive statement gives it back.
    semaphores: &'w HashSet<PlaceId>,
    /// The package's `*rand.Rand`s made over a source of its own that locks.
    locked_rands: &'w HashSet<PlaceId>,
    /// The package's condition variables (fields) made over a mutex field of the same type,
    /// with that mutex: their `L` locks it.
    cond_lockers: &'w HashMap<PlaceId, PlaceId>,
    /// Walking the communication of a `select` case, whose send or receive may not happen.
    in_comm: bool,
    /// The package's functions that return a value they make and share with nobody
    /// (`find_constructors`).
    constructors: &'w HashSet<FuncIx>,
}

/// The package's types as the calls of its interfaces need them, found on the first such
/// call.
#[derive(Default)]
struct Impls {
    /// The files modelled, by index: only their types count as implementations (a
    /// package's summary, modelled from its non-test files, must not depend on its tests'
    /// fakes).
    kept: Vec<bool>,
    /// Pointers to the package's named types, but interfaces and generic types, declared in
    /// the files modelled.
    ptrs: Option<Vec<TypeId>>,
    /// The pointer to the one type implementing each interface of the package asked for.
    memo: HashMap<TypeId, Option<TypeId>>,
}

/// A lock operation.
enum LockOp {
    Acquire(PlaceId, LockMode),
    Release(PlaceId),
}

static NO_EFFECTS: std::sync::OnceLock<HashMap<FuncIx, Effect>> = std::sync::OnceLock::new();
static NO_HELPERS: std::sync::OnceLock<HashMap<FuncIx, Helper>> = std::sync::OnceLock::new();
static NO_QUEUERS: std::sync::OnceLock<HashMap<FuncIx, u32>> = std::sync::OnceLock::new();
static NO_COND_LOCKERS: std::sync::OnceLock<HashMap<PlaceId, PlaceId>> = std::sync::OnceLock::new();
static NO_SEMAPHORES: std::sync::OnceLock<HashSet<PlaceId>> = std::sync::OnceLock::new();
static NO_CONSTRUCTORS: std::sync::OnceLock<HashSet<FuncIx>> = std::sync::OnceLock::new();

impl<'w, 'p, 'a> Walker<'w, 'p, 'a> {
    fn new(
        prog: &'w mut Program<'p>,
        m: &'w mut Model,
        pkg: PkgIdx,
        fi: u32,
        f: &'a File,
        scopes: &'a PackageScopes,
    ) -> Self {
        Walker {
            prog,
            m,
            pkg,
            fi,
            f,
            scopes,
            effects: NO_EFFECTS.get_or_init(HashMap::default),
            helpers: NO_HELPERS.get_or_init(HashMap::default),
            queuers: NO_QUEUERS.get_or_init(HashMap::default),
            cur: FuncIx(0),
            locks: LockSet::default(),
            loops: Vec::new(),
            deferred: false,
            lits: 0,
            lit_vars: HashMap::default(),
            branches: Vec::new(),
            depth: 0,
            summaries: None,
            long_roots: HashMap::default(),
            impls: Impls::default(),
            semaphores: NO_SEMAPHORES.get_or_init(HashSet::default),
            locked_rands: NO_SEMAPHORES.get_or_init(HashSet::default),
            cond_lockers: NO_COND_LOCKERS.get_or_init(HashMap::default),
            in_comm: false,
            constructors: NO_CONSTRUCTORS.get_or_init(HashSet::default),
        }
    }

    fn ty(&self, e: ExprId) -> TypeId {
        self.prog.type_of(self.pkg, self.fi as usize, e)
    }

    fn unparen(&self, e: ExprId) -> ExprId {
        self.f.unparen(e)
    }

    /// The place an expression denotes, if it is a variable or a field.
    fn place_of(&mut self, e: ExprId) -> Option<PlaceId> {
        self.place_at_depth(e, 0)
    }

    /// `place_of`, `depth` struct-valued selectors below the expression it was asked for: a
    /// path is kept for [`MAX_FIELD_PATH`] fields, and a field deeper down is the field of
    /// the type that holds it, as a field reached through a pointer is (without the bound,
    /// a selector through thousands of nested struct values costs the square of its length,
    /// and the recursion could exhaust the stack).
    fn place_at_depth(&mut self, e: ExprId, depth: usize) -> Option<PlaceId> {
        let e = self.unparen(e);
        match self.f[e].kind {
            ExprKind::Ident(id) => self.var_place(id),
            ExprKind::Selector { x, sel } => {
                let s = self.prog.selection(self.pkg, self.fi as usize, e)?;
                if s.kind != SelKind::Field {
                    return None;
                }
                let field = self.f.ident_name(sel);
                // A field of a struct-valued field is part of the outer value: keep the
                // path (`mb.last.seq` and `mb.first.seq` are different places).
                let tx = self.ty(x);
                let x = self.unparen(x);
                // A field of a value made right here is not shared.
                if matches!(self.f[x].kind, ExprKind::CompositeLit { .. }) {
                    return None;
                }
                if depth < MAX_FIELD_PATH
                    && matches!(self.f[x].kind, ExprKind::Selector { .. })
                    && matches!(self.prog.types.get(tx), Type::Named(_) | Type::Struct(_))
                {
                    if let Some(outer) = self.place_at_depth(x, depth + 1) {
                        if let Place::Field { owner, name } = self.m.place(outer) {
                            let (owner, name) = (*owner, format!("{name}.{field}"));
                            return Some(self.m.intern_field(owner, &name));
                        }
                    }
                }
                let owner = self.owner(tx)?;
                Some(self.m.intern_field(owner, field))
            }
            _ => None,
        }
    }

    fn var_place(&mut self, id: IdentId) -> Option<PlaceId> {
        let d = self.scopes.binding(self.fi as usize, id)?;
        match self.scopes.def(d).kind {
            DefKind::PackageVar
            | DefKind::LocalVar
            | DefKind::Param
            | DefKind::Result
            | DefKind::Receiver => Some(self.m.intern_var(d)),
            _ => None,
        }
    }

    /// The variable a place expression starts from (`s` in `s.a.b[i]`).
    fn root_var(&mut self, e: ExprId) -> Option<racelens_semantic::DefId> {
        match self.root_var_short(e) {
            Ok(root) => root,
            Err(rest) => self.root_var_long(rest),
        }
    }

    /// `root_var` of a path of at most `SHORT_ROOT_PATH` steps, or what is left of a longer
    /// one.
    fn root_var_short(&self, mut e: ExprId) -> Result<Option<racelens_semantic::DefId>, ExprId> {
        for _ in 0..SHORT_ROOT_PATH {
            match self.f[e].kind {
                ExprKind::Paren { x }
                | ExprKind::Selector { x, .. }
                | ExprKind::Index { x, .. }
                | ExprKind::Star { x } => e = x,
                ExprKind::Ident(id) => return Ok(self.scopes.binding(self.fi as usize, id)),
                _ => return Ok(None),
            }
        }
        Err(e)
    }

    /// `root_var` of what is left of a path longer than `SHORT_ROOT_PATH`: every
    /// expression of it is remembered, so that the accesses through the inner parts of a
    /// path thousands of selectors long cost its length once, not its length each.
    #[cold]
    #[inline(never)]
    fn root_var_long(&mut self, e: ExprId) -> Option<racelens_semantic::DefId> {
        let mut path = Vec::new();
        let mut cur = e;
        let root = loop {
            if let Some(&root) = self.long_roots.get(&cur) {
                break root;
            }
            match self.f[cur].kind {
                ExprKind::Paren { x }
                | ExprKind::Selector { x, .. }
                | ExprKind::Index { x, .. }
                | ExprKind::Star { x } => {
                    path.push(cur);
                    cur = x;
                }
                ExprKind::Ident(id) => break self.scopes.binding(self.fi as usize, id),
                _ => break None,
            }
        };
        for x in path {
            self.long_roots.insert(x, root);
        }
        root
    }

    /// Whether `e` makes a new value: `T{...}`, `&T{...}`, `new(T)`.
    fn makes_new_value(&self, e: ExprId) -> bool {
        makes_new_value(self.f, self.fi as usize, self.scopes, e)
    }

    /// Whether `e` calls one of the package's constructors (`find_constructors`).
    fn constructed(&mut self, e: ExprId) -> bool {
        if self.constructors.is_empty() {
            return false;
        }
        let e = self.unparen(e);
        matches!(self.f[e].kind, ExprKind::Call { .. })
            && matches!(self.callees(e)[..], [c] if self.constructors.contains(&c))
    }

    /// The type that owns the fields of values of type `t` (or `*t`).
    fn owner(&self, t: TypeId) -> Option<TypeId> {
        let d = self.prog.deref_type(t);
        match self.prog.types.get(d) {
            Type::Named(_) | Type::Struct(_) if !self.prog.types.has_unknown(d) => Some(d),
            _ => None,
        }
    }

    /// Records an access of `place` by expression `e`, whose path starts at `base`.
    fn access(&mut self, place: PlaceId, kind: AccessKind, e: ExprId, base: ExprId) {
        let root = self.root_var(base);
        self.m.accesses.push(Access {
            func: self.cur,
            expr: e,
            span: self.f[e].span,
            place,
            kind,
            locks: self.locks.clone(),
            root,
        });
    }

    fn sync(&mut self, kind: SyncKind, place: PlaceId, span: Span) {
        let deferred = self.deferred;
        self.m.funcs[self.cur.index()].syncs.push(SyncOp {
            span,
            kind,
            place,
            deferred,
        });
    }

    // ---- lock operations ----

    /// `x.Lock()` and friends on a `sync.Mutex`/`RWMutex`, a `sync.Locker`, a type embedding
    /// a mutex, or a lock type of another package.
    fn lock_op(&mut self, call: ExprId) -> Option<LockOp> {
        let ExprKind::Call { fun, ref args, .. } = self.f[call].kind else {
            return None;
        };
        if !args.is_empty() {
            return None;
        }
        let ExprKind::Selector { x, sel } = self.f[self.unparen(fun)].kind else {
            return None;
        };
        let name = self.f.ident_name(sel);
        if !matches!(name, "Lock" | "Unlock" | "RLock" | "RUnlock") {
            return None;
        }
        let t = self.ty(x);
        // A `sync.Locker` (such as `cond.L`) is locked and unlocked like a mutex.
        let locker = self.prog.is_named(t, "sync", "Locker");
        // The `L` of a condition variable made over a mutex of its value is that mutex.
        let cond_mutex = match self.f[self.unparen(x)].kind {
            ExprKind::Selector { x: cond, sel }
                if locker && !self.cond_lockers.is_empty() && self.f.ident_name(sel) == "L" =>
            {
                self.place_of(cond)
                    .and_then(|c| self.cond_lockers.get(&c).copied())
            }
            _ => None,
        };
        let lock = if let Some(m) = cond_mutex {
            m
        } else if self.prog.is_lock(t) || locker {
            self.place_of(x)?
        } else if let Some((owner, embedded)) = self.owner(t).and_then(|owner| {
            let embedded = self
                .prog
                .lock_fields(owner)
                .into_iter()
                .find(|n| n == "Mutex" || n == "RWMutex")?;
            Some((owner, embedded))
        }) {
            self.m.intern_field(owner, &embedded)
        } else if !self.prog.types.has_unknown(t) && self.callees(call).is_empty() {
            // A lock type of another package (a wrapper around a mutex, a lock interface
            // such as syncthing's `sync.Mutex`): `Lock`/`Unlock` without arguments lock it.
            // A method of this package is followed as a call instead, so that the mutex it
            // locks is the one held; a method of another package of the workspace locks
            // what its summary says.
            match self.wrapper_lock(call, name) {
                Some(l) => l,
                None => self.place_of(x)?,
            }
        } else {
            return None;
        };
        Some(match name {
            "Lock" => LockOp::Acquire(lock, LockMode::Write),
            "RLock" => LockOp::Acquire(lock, LockMode::Read),
            _ => LockOp::Release(lock),
        })
    }

    /// Whether block `body` does nothing but acquire locks (and defer their release).
    fn only_locks(&mut self, body: StmtId) -> bool {
        let StmtKind::Block { list, .. } = &self.f[body].kind else {
            return false;
        };
        let mut acquires = false;
        let all = self.f[list].iter().all(|&s| match self.f[s].kind {
            StmtKind::Expr(call) => {
                let acquire = matches!(self.lock_op(self.unparen(call)), Some(LockOp::Acquire(..)));
                acquires |= acquire;
                acquire
            }
            StmtKind::Defer { call } => self.lock_op(self.unparen(call)).is_some(),
            _ => false,
        });
        all && acquires
    }

    /// What a function body leaves locked or unlocked, from its top-level statements.
    /// Whether `e` is `make(chan T, 1)`.
    fn makes_one_slot_channel(&self, e: ExprId) -> bool {
        let ExprKind::Call { fun, ref args, .. } = self.f[self.unparen(e)].kind else {
            return false;
        };
        let [t, n] = self.f[args][..] else {
            return false;
        };
        self.is_builtin(fun, "make")
            && matches!(self.f[self.unparen(t)].kind, ExprKind::ChanType { .. })
            && matches!(self.f[n].kind, ExprKind::BasicLit { .. })
            && self.f.text(self.f[n].span) == "1"
    }

    /// Adds to `out` the variables and fields the file assigns a `rand.New(src)` (in a
    /// declaration or an assignment) whose source is a value of a type of the package whose
    /// `Int63` takes a lock (`rndSrc{mtx, src}`): such a `Rand` is safe for concurrent use
    /// but for `Read`.
    fn locked_rands(&mut self, out: &mut HashSet<PlaceId>) {
        self.assigned_where(&mut |w, e| w.locking_rand_source(e), out);
    }

    /// Adds to `out` the variables and fields the file assigns, by an assignment or a
    /// `var` declaration, a value `made` accepts (asked before the place is found).
    fn assigned_where(
        &mut self,
        made: &mut dyn FnMut(&mut Self, ExprId) -> bool,
        out: &mut HashSet<PlaceId>,
    ) {
        let f = self.f;
        for st in &f.stmts {
            if let StmtKind::Assign { lhs, rhs, .. } = &st.kind {
                if f[*lhs].len() == f[*rhs].len() {
                    for (&l, &r) in f[*lhs].iter().zip(f[*rhs].iter()) {
                        if made(self, r) {
                            out.extend(self.place_of(l));
                        }
                    }
                }
            }
        }
        for sp in &f.specs {
            if let SpecKind::Value { names, values, .. } = &sp.kind {
                if names.len() == values.len() {
                    for (&n, &v) in names.iter().zip(values.iter()) {
                        if made(self, v) {
                            if let Some(d) = self.scopes.binding(self.fi as usize, n) {
                                out.insert(self.m.intern_var(d));
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds to `out` the condition variables of the file made over a mutex of the same value,
    /// with that mutex: `x.cond = sync.NewCond(&x.mu)` (or `x.mu` holding a pointer), and a
    /// composite literal whose keys are given a condition variable made from a local over a
    /// mutex and that mutex (`c := sync.NewCond(mu); &T{cond: c, mu: mu}`). Both places
    /// are fields of the same type.
    fn cond_lockers(&mut self, out: &mut HashMap<PlaceId, PlaceId>) {
        let f = self.f;
        // The mutex `sync.NewCond(m)` is made over: `m` without its `&`.
        let new_cond = |e: ExprId| -> Option<ExprId> {
            let m = sole_argument(f, e, "sync.NewCond")?;
            match f[f.unparen(m)].kind {
                ExprKind::Unary {
                    op: TokenKind::And,
                    x,
                } => Some(f.unparen(x)),
                _ => Some(f.unparen(m)),
            }
        };
        let same_owner = |w: &Self, a: PlaceId, b: PlaceId| {
            matches!((w.m.place(a), w.m.place(b)),
                (Place::Field { owner: oa, .. }, Place::Field { owner: ob, .. }) if oa == ob)
        };
        // Locals made by `sync.NewCond(m)`, with `m`'s variable when it is a local too.
        let mut local_conds: HashMap<racelens_semantic::DefId, racelens_semantic::DefId> =
            HashMap::default();
        for st in &f.stmts {
            let StmtKind::Assign { lhs, rhs, .. } = &st.kind else {
                continue;
            };
            if f[*lhs].len() != f[*rhs].len() {
                continue;
            }
            for (&l, &r) in f[*lhs].iter().zip(f[*rhs].iter()) {
                let Some(m) = new_cond(r) else { continue };
                match (&f[f.unparen(l)].kind, &f[m].kind) {
                    (&ExprKind::Ident(lid), &ExprKind::Ident(mid)) => {
                        let ld = self.scopes.binding(self.fi as usize, lid);
                        let md = self.scopes.binding(self.fi as usize, mid);
                        if let (Some(ld), Some(md)) = (ld, md) {
                            local_conds.insert(ld, md);
                        }
                    }
                    _ => {
                        if let (Some(c), Some(mp)) = (self.place_of(l), self.place_of(m)) {
                            if same_owner(self, c, mp) {
                                out.insert(c, mp);
                            }
                        }
                    }
                }
            }
        }
        if local_conds.is_empty() {
            return;
        }
        for (lit, e) in f.exprs_with_ids() {
            let ExprKind::CompositeLit { elts, .. } = e.kind else {
                continue;
            };
            // The literal's keys by the local each is given.
            let mut keys: Vec<(racelens_semantic::DefId, IdentId)> = Vec::new();
            for &el in f[elts].iter() {
                let ExprKind::KeyValue { key, value, .. } = f[el].kind else {
                    continue;
                };
                let (&ExprKind::Ident(k), &ExprKind::Ident(v)) =
                    (&f[key].kind, &f[f.unparen(value)].kind)
                else {
                    continue;
                };
                if let Some(d) = self.scopes.binding(self.fi as usize, v) {
                    keys.push((d, k));
                }
            }
            // The literal's type only for one given a condition variable made here.
            if !keys.iter().any(|(d, _)| local_conds.contains_key(d)) {
                continue;
            }
            let Some(owner) = self.owner(self.ty(lit)) else {
                continue;
            };
            for &(d, k) in &keys {
                let Some(&m) = local_conds.get(&d) else {
                    continue;
                };
                if let Some(&(_, mk)) = keys.iter().find(|&&(v, _)| v == m) {
                    let c = self.m.intern_field(owner, f.ident_name(k));
                    let mp = self.m.intern_field(owner, f.ident_name(mk));
                    out.insert(c, mp);
                }
            }
        }
    }

    /// Whether `e` is `rand.New(src)` with `src` of a type of the package whose `Int63`
    /// method calls `Lock()`.
    fn locking_rand_source(&mut self, e: ExprId) -> bool {
        let Some(src) = sole_argument(self.f, e, "rand.New") else {
            return false;
        };
        let t = self.prog.deref_type(self.ty(src));
        let Some(ObjRef::Def(o)) = self.prog.lookup(t, "Int63").map(|s| s.obj) else {
            return false;
        };
        if o.pkg != self.pkg {
            return false;
        }
        let d = self.scopes.def(o.def);
        let (DeclSite::Func(decl), Some(file)) = (d.site, d.file) else {
            return false;
        };
        let loaded = self.prog.loaded(self.pkg);
        let df = &loaded.src.files[file as usize];
        df.text(df[decl].span).contains("Lock()")
    }

    /// Adds to `out` the variables and fields of the file's package that the file assigns
    /// a channel with room for one value (`sem := make(chan struct{}, 1)`, `slot:
    /// make(chan struct{}, 1)` in a struct literal, `q.slot = make(...)`).
    fn one_slot_channels(&mut self, out: &mut HashSet<PlaceId>) {
        let f = self.f;
        self.assigned_where(&mut |w, e| w.makes_one_slot_channel(e), out);
        for (lit, e) in f.exprs_with_ids() {
            let ExprKind::CompositeLit { elts, .. } = e.kind else {
                continue;
            };
            for &el in f[elts].iter() {
                let ExprKind::KeyValue { key, value, .. } = f[el].kind else {
                    continue;
                };
                if !self.makes_one_slot_channel(value) {
                    continue;
                }
                let ExprKind::Ident(k) = f[key].kind else {
                    continue;
                };
                let Some(owner) = self.owner(self.ty(lit)) else {
                    continue;
                };
                let u = self.prog.underlying(owner);
                if matches!(self.prog.types.get(u), Type::Struct(_)) {
                    out.insert(self.m.intern_field(owner, f.ident_name(k)));
                }
            }
        }
    }

    /// For statement `s`, a send of a token (`sem <- struct{}{}`, `true` or a number) on a
    /// channel of `semaphores`, or a receive from one whose value is dropped (`<-sem`):
    /// taking the one slot, or giving it back.
    fn semaphore_op(&mut self, s: StmtId) -> Option<LockOp> {
        if self.semaphores.is_empty() {
            return None;
        }
        let f = self.f;
        match f[s].kind {
            StmtKind::Send { chan, value, .. } => {
                let token = match &f[self.unparen(value)].kind {
                    ExprKind::CompositeLit { elts, .. } => elts.is_empty(),
                    ExprKind::BasicLit { .. } => true,
                    ExprKind::Ident(id) => f.ident_name(*id) == "true",
                    _ => false,
                };
                let p = self
                    .place_of(chan)
                    .filter(|p| token && self.semaphores.contains(p))?;
                Some(LockOp::Acquire(p, LockMode::Write))
            }
            StmtKind::Expr(e) => match f[self.unparen(e)].kind {
                ExprKind::Unary {
                    op: TokenKind::Arrow,
                    x,
                } => {
                    let p = self.place_of(x).filter(|p| self.semaphores.contains(p))?;
                    Some(LockOp::Release(p))
                }
                _ => None,
            },
            _ => None,
        }
    }

    fn effect(&mut self, body: StmtId) -> Effect {
        let mut e = Effect::default();
        let StmtKind::Block { list, .. } = &self.f[body].kind else {
            return e;
        };
        let mut held = LockSet::default();
        for &s in self.f[list].iter() {
            match self.f[s].kind {
                StmtKind::Expr(call) => {
                    let op = self
                        .semaphore_op(s)
                        .or_else(|| self.lock_op(self.unparen(call)));
                    match op {
                        Some(LockOp::Acquire(l, mode)) => held.acquire(l, mode),
                        Some(LockOp::Release(l)) if !held.release(l) => e.released.push(l),
                        _ => {}
                    }
                }
                StmtKind::Send { .. } => {
                    if let Some(LockOp::Acquire(l, mode)) = self.semaphore_op(s) {
                        held.acquire(l, mode);
                    }
                }
                // `mu.Lock(); defer mu.Unlock()` releases the lock at return: nothing is
                // left held for the caller.
                StmtKind::Defer { call } => {
                    if let Some(LockOp::Release(l)) = self.lock_op(self.unparen(call)) {
                        held.release(l);
                    }
                }
                _ => {}
            }
        }
        e.acquired = held.iter().collect();
        // A lock taken at the top and released in a nested statement (`mu.Lock(); for {
        // ... if ok { mu.Unlock(); return } }`, grpc's `withRetry`) is held at return on
        // some paths only: not left to the caller. (A helper that releases its caller's lock
        // at the top and takes it again, nats' `flushOutbound`, leaves it held.)
        if e.acquired.iter().any(|(l, _)| !e.released.contains(l)) {
            let f = self.f;
            let starts: Vec<Node> = f[list]
                .iter()
                .filter(|&&s| !matches!(f[s].kind, StmtKind::Expr(_) | StmtKind::Defer { .. }))
                .map(|&s| Node::Stmt(s))
                .collect();
            let mut calls = Vec::new();
            racelens_syntax::walk::preorder(f, &starts, |n| {
                if let Node::Expr(c) = n {
                    if matches!(f[c].kind, ExprKind::Call { .. }) {
                        calls.push(c);
                    }
                }
                true
            });
            let mut nested = Vec::new();
            for c in calls {
                if let Some(LockOp::Release(l)) = self.lock_op(c) {
                    nested.push(l);
                }
            }
            let released = &e.released;
            e.acquired
                .retain(|(l, _)| released.contains(l) || !nested.contains(l));
        }
        e
    }

    // ---- statements ----

    fn block(&mut self, list: &[StmtId]) -> bool {
        let mut term = false;
        let first = self.m.transfers.len();
        // The last `return` of the block, if any (see the `go` statements below).
        let last_return = list
            .iter()
            .rposition(|&r| matches!(self.f[r].kind, StmtKind::Return { .. }));
        for (i, &s) in list.iter().enumerate() {
            let before = self.m.transfers.len();
            let spawns = self.m.spawns.len();
            term = self.stmt(s);
            // A `go` statement followed in its block by a `return` starts one goroutine, even
            // in a loop: the loop does not go round again after it.
            if matches!(self.f[s].kind, StmtKind::Go { .. })
                && spawns < self.m.spawns.len()
                && !self.m.spawns[spawns].per_call
                && last_return.is_some_and(|r| r > i)
            {
                self.m.spawns[spawns].loop_span = None;
            }
            if term {
                // What the statements before `s` sent, the function does not go on from
                // past `s` (it returns, or starts the next iteration).
                let end = self.f[s].span.end;
                let cur = self.cur;
                for t in &mut self.m.transfers[first..before] {
                    if t.func == cur {
                        t.until = t.until.min(end);
                    }
                }
            }
        }
        term
    }

    /// Walks a statement; whether it never completes normally (return, branch, panic).
    fn stmt(&mut self, s: StmtId) -> bool {
        self.nested(|w| w.stmt_inner(s))
    }

    /// Runs `f`, one level deeper in the walk, first growing the stack when little is left
    /// (every `NEST_STRIDE` levels).
    #[inline]
    fn nested<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        racelens_syntax::stack::nested(self, NEST_STRIDE, RED_ZONE, SEGMENT, f)
    }

    fn stmt_inner(&mut self, s: StmtId) -> bool {
        let f = self.f;
        match &f[s].kind {
            StmtKind::Bad | StmtKind::Empty { .. } => false,
            StmtKind::Branch { tok, .. } => *tok != TokenKind::Fallthrough,
            StmtKind::Decl(d) => {
                if let DeclKind::Gen { specs, .. } = &f[*d].kind {
                    for &sp in specs.iter() {
                        if let SpecKind::Value { values, .. } = &f[sp].kind {
                            for &v in values.iter() {
                                self.expr(v);
                            }
                        }
                    }
                }
                false
            }
            StmtKind::Labeled { stmt, .. } => self.stmt(*stmt),
            StmtKind::Expr(e) => {
                let e = *e;
                self.expr(e);
                if !self.in_comm {
                    if let Some(LockOp::Release(l)) = self.semaphore_op(s) {
                        self.locks.release(l);
                    }
                }
                self.is_panic(e)
            }
            StmtKind::Send { chan, value, .. } => {
                if let ExprKind::FuncLit { .. } = f[self.unparen(*value)].kind {
                    self.func_lit(self.unparen(*value), Invocation::Sent, LockSet::default());
                } else {
                    self.expr(*value);
                }
                self.expr(*chan);
                if let Some(p) = self.place_of(*chan) {
                    self.sync(SyncKind::Send, p, f[s].span);
                    self.sent(p, *value, f[s].span);
                }
                if !self.in_comm {
                    if let Some(LockOp::Acquire(l, mode)) = self.semaphore_op(s) {
                        self.locks.acquire(l, mode);
                    }
                }
                false
            }
            StmtKind::IncDec { x, .. } => {
                self.lvalue(*x);
                false
            }
            StmtKind::Assign { lhs, tok, rhs, .. } => {
                self.assign(&f[lhs], *tok, &f[rhs]);
                false
            }
            StmtKind::Go { call } => {
                self.go_stmt(s, *call);
                false
            }
            StmtKind::Defer { call } => {
                let call = self.unparen(*call);
                // `defer mu.Unlock()` keeps the lock until the function returns.
                if self.lock_op(call).is_none() {
                    let was = std::mem::replace(&mut self.deferred, true);
                    self.expr(call);
                    self.deferred = was;
                }
                false
            }
            StmtKind::Return { results } => {
                for &r in f[results].iter() {
                    self.expr(r);
                }
                // `return v, err` in a function with named results assigns them; `return
                // err` of the result itself stores nothing.
                let named = self.named_results();
                if named.len() == f[results].len() {
                    for (&r, d) in f[results].iter().zip(named) {
                        let itself = matches!(f[self.unparen(r)].kind,
                            ExprKind::Ident(id) if self.scopes.binding(self.fi as usize, id) == Some(d));
                        if itself {
                            continue;
                        }
                        let place = self.m.intern_var(d);
                        self.m.accesses.push(Access {
                            func: self.cur,
                            expr: r,
                            span: self.f[r].span,
                            place,
                            kind: AccessKind::Write,
                            locks: self.locks.clone(),
                            root: Some(d),
                        });
                    }
                }
                true
            }
            StmtKind::Block { list, .. } => self.block(&f[list]),
            StmtKind::If {
                init,
                cond,
                body,
                els,
            } => {
                if let Some(i) = init {
                    self.stmt(*i);
                }
                self.expr(*cond);
                let before = self.locks.clone();
                if let Some(e) = els {
                    self.branches.push(f[*e].span);
                }
                let t1 = self.stmt(*body);
                if els.is_some() {
                    self.branches.pop();
                }
                let after_then = std::mem::replace(&mut self.locks, before.clone());
                let t2 = match els {
                    Some(e) => self.stmt(*e),
                    None => false,
                };
                let after_else = std::mem::take(&mut self.locks);
                self.locks = match (t1, t2) {
                    (true, true) => before,
                    (true, false) => after_else,
                    (false, true) => after_then,
                    // `if doLock { s.mu.Lock() }`: a lock taken conditionally is released
                    // under the same condition; what follows is written for the locked
                    // case.
                    (false, false) if els.is_none() && self.only_locks(*body) => after_then,
                    (false, false) => after_then.intersect(&after_else),
                };
                t1 && t2
            }
            StmtKind::Switch { init, tag, body } => {
                if let Some(i) = init {
                    self.stmt(*i);
                }
                if let Some(t) = tag {
                    self.expr(*t);
                }
                self.clauses(*body)
            }
            StmtKind::TypeSwitch { init, assign, body } => {
                if let Some(i) = init {
                    self.stmt(*i);
                }
                self.stmt(*assign);
                self.clauses(*body)
            }
            StmtKind::Select { body } => self.clauses(*body),
            StmtKind::CaseClause { list, body, .. } => {
                for &e in f[list].iter() {
                    self.expr(e);
                }
                self.block(&f[body])
            }
            StmtKind::CommClause { comm, body, .. } => {
                let first = self.m.transfers.len();
                if let Some(c) = comm {
                    let was = std::mem::replace(&mut self.in_comm, true);
                    self.stmt(*c);
                    self.in_comm = was;
                }
                let sent = self.m.transfers.len();
                let term = self.block(&f[body]);
                if term {
                    // A send as the case's communication: the case's body ends it.
                    let end = f[s].span.end;
                    for t in &mut self.m.transfers[first..sent] {
                        t.until = t.until.min(end);
                    }
                }
                term
            }
            StmtKind::For {
                init,
                cond,
                post,
                body,
            } => {
                if let Some(i) = init {
                    self.stmt(*i);
                }
                let before = self.locks.clone();
                self.loops.push(f[s].span);
                if let Some(c) = cond {
                    self.expr(*c);
                }
                self.stmt(*body);
                if let Some(p) = post {
                    self.stmt(*p);
                }
                self.loops.pop();
                self.locks = before;
                false
            }
            StmtKind::Range {
                key,
                value,
                tok,
                x,
                body,
                ..
            } => {
                let x = *x;
                let t = self.ty(x);
                if self.prog.is_chan(t) {
                    self.expr(x);
                    if let Some(p) = self.place_of(x) {
                        self.sync(SyncKind::Recv, p, f[x].span);
                        if let Some(k) = key {
                            self.received(p, *k, f[x].span, Some(f[s].span));
                        }
                    }
                } else if self.prog.is_map(t) {
                    match self.place_of(x) {
                        Some(p) => {
                            self.access(p, AccessKind::MapRead, x, x);
                            self.base(x);
                        }
                        None => self.expr(x),
                    }
                } else if value.is_some() && self.prog.is_slice(t) {
                    // `for _, v := range s` reads the elements.
                    match self.place_of(x) {
                        Some(p) => {
                            self.access(p, AccessKind::ElemRead, x, x);
                            self.base(x);
                        }
                        None => self.expr(x),
                    }
                } else {
                    self.expr(x);
                }
                if *tok == Some(TokenKind::Assign) {
                    for e in [key, value].into_iter().flatten() {
                        self.lvalue(*e);
                    }
                }
                let before = self.locks.clone();
                self.loops.push(f[s].span);
                self.stmt(*body);
                self.loops.pop();
                self.locks = before;
                false
            }
        }
    }

    /// The clauses of a switch, type switch or select: each starts with the locks held
    /// before; afterwards, the locks held at the end of every clause that falls out.
    fn clauses(&mut self, body: StmtId) -> bool {
        let f = self.f;
        let StmtKind::Block { list, .. } = &f[body].kind else {
            return false;
        };
        let before = self.locks.clone();
        let mut outs: Vec<LockSet> = Vec::new();
        let mut has_default = false;
        // The one-slot channel the send of the last clause that goes on takes.
        let mut taken: Option<(PlaceId, LockMode)> = None;
        for (i, &c) in f[list].iter().enumerate() {
            match &f[c].kind {
                StmtKind::CaseClause { is_default, .. } => has_default |= *is_default,
                StmtKind::CommClause { comm: None, .. } => has_default = true,
                _ => {}
            }
            self.locks = before.clone();
            let later = f[list].get(i + 1).map(|&n| Span {
                start: f[n].span.start,
                end: f[*f[list].last().expect("not empty")].span.end,
            });
            if let Some(l) = later {
                self.branches.push(l);
            }
            let term = self.stmt(c);
            if later.is_some() {
                self.branches.pop();
            }
            if !term {
                outs.push(std::mem::take(&mut self.locks));
                taken = match f[c].kind {
                    StmtKind::CommClause { comm: Some(s), .. } => match self.semaphore_op(s) {
                        Some(LockOp::Acquire(l, mode)) => Some((l, mode)),
                        _ => None,
                    },
                    _ => None,
                };
            }
        }
        let is_select = matches!(
            f[f[list].first().copied().unwrap_or(body)].kind,
            StmtKind::CommClause { .. }
        );
        if !has_default && !is_select {
            outs.push(before.clone());
        }
        let terminates = outs.is_empty() && !list.is_empty();
        self.locks = match outs.split_first() {
            None => before,
            Some((first, rest)) => rest.iter().fold(first.clone(), |a, b| a.intersect(b)),
        };
        // A try-lock: `select { case sem <- token: default: return }` goes on only when
        // the send took the slot (the one clause that goes on), which is then held after the
        // `select`.
        if let (true, 1, Some((l, mode))) = (is_select, outs.len(), taken) {
            self.locks.acquire(l, mode);
        }
        terminates
    }

    fn is_panic(&self, e: ExprId) -> bool {
        ends_flow(self.f, self.scopes, self.fi as usize, e)
    }

    /// The import path an identifier names, when it names an import.
    fn import_path(&self, id: IdentId) -> Option<String> {
        let d = self.scopes.binding(self.fi as usize, id)?;
        match &self.scopes.def(d).kind {
            DefKind::Import(info) => Some(info.path.to_string()),
            _ => None,
        }
    }

    fn assign(&mut self, lhs: &[ExprId], tok: TokenKind, rhs: &[ExprId]) {
        let f = self.f;
        // `v := <-ch`, `v, ok := <-ch`, `v = <-ch`: the value received is bound to `v`.
        if let ([r], Some(&l)) = (rhs, lhs.first()) {
            if let ExprKind::Unary {
                op: TokenKind::Arrow,
                x,
            } = f[self.unparen(*r)].kind
            {
                if let Some(p) = self.place_of(x) {
                    let span = f[self.unparen(*r)].span;
                    let lp = self.loops.last().copied();
                    self.received(p, l, span, lp);
                }
            }
        }
        let mut done = vec![false; lhs.len()];
        if lhs.len() == rhs.len() && tok == TokenKind::Assign {
            // `x = append(x, ...)` writes the slice header it reads.
            for (i, (&l, &r)) in lhs.iter().zip(rhs).enumerate() {
                let r = self.unparen(r);
                let ExprKind::Call { fun, ref args, .. } = f[r].kind else {
                    continue;
                };
                if !self.is_builtin(fun, "append") || args.is_empty() {
                    continue;
                }
                let (Some(pl), Some(pa)) = (self.place_of(l), self.place_of(self.f[args][0]))
                else {
                    continue;
                };
                if pl != pa {
                    continue;
                }
                for &a in &self.f[args][1..] {
                    self.expr(a);
                }
                self.base(l);
                self.access(pl, AccessKind::Append, l, l);
                done[i] = true;
            }
        }
        for (i, &r) in rhs.iter().enumerate() {
            if !done.get(i).copied().unwrap_or(false) {
                self.expr(r);
            }
        }
        for (i, &l) in lhs.iter().enumerate() {
            if done[i] {
                continue;
            }
            if tok == TokenKind::Define {
                if let ExprKind::Ident(id) = f[self.unparen(l)].kind {
                    let declared = self
                        .scopes
                        .binding(self.fi as usize, id)
                        .filter(|&d| self.scopes.def(d).ident == Some(id));
                    if let Some(d) = declared {
                        if lhs.len() == rhs.len() {
                            if self.makes_new_value(rhs[i]) {
                                self.m.fresh.insert(d);
                            } else if self.constructed(rhs[i]) {
                                self.m.constructed.insert(d);
                            }
                            let r = self.unparen(rhs[i]);
                            if let Some(&lit) = self.m.by_ref.get(&(self.fi, FuncRef::Lit(r))) {
                                self.lit_vars.insert(d, lit);
                            }
                        } else if i == 0 && rhs.len() == 1 && self.constructed(rhs[0]) {
                            // `v, err := newV(...)`.
                            self.m.constructed.insert(d);
                        }
                        continue;
                    }
                }
            }
            self.lvalue(l);
        }
    }

    /// Records a send or receive of variable `var` on `chan` in the current function, at
    /// `span`, inside loop `loop_span` if any.
    fn transfer(
        &mut self,
        kind: TransferKind,
        span: Span,
        chan: PlaceId,
        var: racelens_semantic::DefId,
        shares: bool,
        loop_span: Option<Span>,
    ) {
        let per_iteration = self.declared_in(var, loop_span);
        let ix = TransferIx(self.m.transfers.len() as u32);
        self.m.transfers.push(Transfer {
            func: self.cur,
            kind,
            span,
            chan,
            var,
            shares,
            loop_span,
            per_iteration,
            until: u32::MAX,
            skips: self.branches.clone(),
        });
        self.m.funcs[self.cur.index()].transfers.push(ix);
    }

    /// Records `chan <- value` when the value is a variable or its address.
    fn sent(&mut self, chan: PlaceId, value: ExprId, span: Span) {
        let v = self.unparen(value);
        let (id, addr) = match self.f[v].kind {
            ExprKind::Ident(id) => (id, false),
            ExprKind::Unary {
                op: TokenKind::And,
                x,
            } => match self.f[self.unparen(x)].kind {
                ExprKind::Ident(id) => (id, true),
                _ => return,
            },
            _ => return,
        };
        let Some(Place::Var(var)) = self.var_place(id).map(|p| self.m.place(p).clone()) else {
            return;
        };
        let shares = addr || self.shares_contents(v);
        let loop_span = self.loops.last().copied();
        self.transfer(TransferKind::Send, span, chan, var, shares, loop_span);
    }

    /// Whether the value of `e` shares what it refers to when copied (a pointer, map, slice
    /// or channel), so that handing it over hands over the contents too.
    fn shares_contents(&mut self, e: ExprId) -> bool {
        let t = self.ty(e);
        let u = self.prog.underlying(t);
        matches!(
            self.prog.types.get(u),
            Type::Pointer(_) | Type::Map(..) | Type::Slice(_) | Type::Chan(..)
        )
    }

    /// Records a receive from `chan` bound to the variable `target` names.
    fn received(&mut self, chan: PlaceId, target: ExprId, span: Span, loop_span: Option<Span>) {
        let ExprKind::Ident(id) = self.f[self.unparen(target)].kind else {
            return;
        };
        if self.f.ident_name(id) == "_" {
            return;
        }
        let Some(Place::Var(var)) = self.var_place(id).map(|p| self.m.place(p).clone()) else {
            return;
        };
        let shares = self.shares_contents(self.unparen(target));
        self.transfer(TransferKind::Recv, span, chan, var, shares, loop_span);
    }

    /// Whether variable `d` is declared in this file inside `span`.
    fn declared_in(&self, d: racelens_semantic::DefId, span: Option<Span>) -> bool {
        let def = self.scopes.def(d);
        match (span, def.ident, def.file) {
            (Some(l), Some(id), Some(file)) if file == self.fi => {
                let at = self.f[id].span;
                at.start >= l.start && at.end <= l.end
            }
            _ => false,
        }
    }

    fn is_builtin(&self, fun: ExprId, name: &str) -> bool {
        match self.f[self.unparen(fun)].kind {
            ExprKind::Ident(id) => {
                self.f.ident_name(id) == name
                    && self.scopes.binding(self.fi as usize, id).is_some_and(|d| {
                        matches!(self.scopes.def(d).kind, DefKind::Builtin(BuiltinKind::Func))
                    })
            }
            _ => false,
        }
    }

    // ---- expressions ----

    /// Walks the operands of an assigned expression.
    fn lvalue(&mut self, e: ExprId) {
        let e = self.unparen(e);
        let f = self.f;
        match f[e].kind {
            ExprKind::Ident(id) => {
                if f.ident_name(id) != "_" {
                    if let Some(p) = self.var_place(id) {
                        self.access(p, AccessKind::Write, e, e);
                    }
                }
            }
            ExprKind::Selector { x, .. } => {
                if let Some(p) = self.place_of(e) {
                    self.access(p, AccessKind::Write, e, e);
                }
                self.expr(x);
            }
            ExprKind::Index { x, index, .. } => {
                self.expr(index);
                self.element(x, e, true);
            }
            ExprKind::Star { x } => self.expr(x),
            _ => self.expr(e),
        }
    }

    /// An element access `x[i]` (`e`).
    fn element(&mut self, x: ExprId, e: ExprId, write: bool) {
        let t = self.ty(x);
        let u = self.prog.underlying(t);
        let kind = match self.prog.types.get(u) {
            Type::Map(..) => {
                if write {
                    AccessKind::MapWrite
                } else {
                    AccessKind::MapRead
                }
            }
            Type::Slice(_) => {
                if write {
                    AccessKind::ElemWrite
                } else {
                    AccessKind::ElemRead
                }
            }
            // An array element is part of the array variable.
            Type::Array(..) if write => return self.lvalue(x),
            _ => return self.expr(x),
        };
        match self.place_of(x) {
            Some(p) => {
                self.access(p, kind, e, x);
                self.base(x);
            }
            None => self.expr(x),
        }
    }

    /// Walks what a place expression reads to find its place, without reading the place.
    fn base(&mut self, e: ExprId) {
        let e = self.unparen(e);
        if let ExprKind::Selector { x, .. } = self.f[e].kind {
            self.expr(x);
        }
    }

    fn expr(&mut self, e: ExprId) {
        self.nested(|w| w.expr_inner(e))
    }

    fn expr_inner(&mut self, e: ExprId) {
        let f = self.f;
        match &f[e].kind {
            ExprKind::Ident(id) => {
                if let Some(p) = self.var_place(*id) {
                    self.access(p, AccessKind::Read, e, e);
                } else {
                    self.mark_escape(e);
                }
            }
            ExprKind::Selector { x, .. } => {
                let x = *x;
                match self.prog.selection(self.pkg, self.fi as usize, e) {
                    Some(s) if s.kind == SelKind::Qualified => {}
                    Some(s) if s.kind == SelKind::Field => {
                        if let Some(p) = self.place_of(e) {
                            self.access(p, AccessKind::Read, e, e);
                        }
                        self.expr(x);
                    }
                    Some(s) if s.kind == SelKind::Method => {
                        self.mark_escape(e);
                        self.expr(x);
                    }
                    _ => self.expr(x),
                }
            }
            ExprKind::Index { x, index, .. } => {
                self.expr(*index);
                self.element(*x, e, false);
            }
            ExprKind::IndexList { .. } => {}
            ExprKind::Slice {
                x, low, high, max, ..
            } => {
                self.expr(*x);
                for b in [low, high, max].into_iter().flatten() {
                    self.expr(*b);
                }
            }
            ExprKind::Star { x } | ExprKind::Paren { x } => self.expr(*x),
            ExprKind::TypeAssert { x, .. } => self.expr(*x),
            ExprKind::Unary { op, x } => {
                let x = *x;
                match op {
                    TokenKind::Arrow => {
                        self.expr(x);
                        if let Some(p) = self.place_of(x) {
                            self.sync(SyncKind::Recv, p, f[e].span);
                        }
                    }
                    // Taking an address reads nothing.
                    TokenKind::And => self.base(x),
                    _ => self.expr(x),
                }
            }
            ExprKind::Binary { x, y, .. } => {
                self.expr(*x);
                self.expr(*y);
            }
            ExprKind::KeyValue { key, value, .. } => {
                if !matches!(f[*key].kind, ExprKind::Ident(_)) {
                    self.expr(*key);
                }
                self.expr(*value);
            }
            ExprKind::CompositeLit { elts, .. } => {
                for &x in f[elts].iter() {
                    self.expr(x);
                }
            }
            ExprKind::Call { .. } => self.call(e),
            ExprKind::FuncLit { .. } => {
                let entry = self.locks.clone();
                self.func_lit(e, Invocation::Inline, entry);
            }
            _ => {}
        }
    }

    /// The named results of the function being walked, in order (empty when they are not
    /// named, or one is `_`).
    fn named_results(&self) -> Vec<racelens_semantic::DefId> {
        let f = self.f;
        let typ = match self.m.funcs[self.cur.index()].func {
            FuncRef::Decl(d) => match f[d].kind {
                DeclKind::Func { typ, .. } => typ,
                _ => return Vec::new(),
            },
            FuncRef::Lit(e) => match f[e].kind {
                ExprKind::FuncLit { typ, .. } => typ,
                _ => return Vec::new(),
            },
        };
        let ExprKind::FuncType {
            results: Some(results),
            ..
        } = f[typ].kind
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for &field in f[results].list.iter() {
            for &name in f[field].names.iter() {
                let d = self.scopes.binding(self.fi as usize, name);
                match d.filter(|&d| self.scopes.def(d).kind == DefKind::Result) {
                    Some(d) => out.push(d),
                    None => return Vec::new(),
                }
            }
        }
        out
    }

    /// Walks a function literal as a function of its own.
    fn func_lit(&mut self, e: ExprId, how: Invocation, entry: LockSet) -> FuncIx {
        let ExprKind::FuncLit { body, .. } = self.f[e].kind else {
            return self.cur;
        };
        self.lits += 1;
        let parent = self.cur;
        let outer = self.m.outermost(parent);
        let name = format!("{}.func{}", self.m.funcs[outer.index()].name, self.lits);
        let ix = FuncIx(self.m.funcs.len() as u32);
        self.m.by_ref.insert((self.fi, FuncRef::Lit(e)), ix);
        let span = self.f[e].span;
        self.m.funcs.push(Function::new(
            self.fi,
            FuncRef::Lit(e),
            span,
            name,
            Some(parent),
            outer,
            how,
        ));
        if how == Invocation::Inline {
            self.m.funcs[parent.index()].inline.push(ix);
        }
        let saved_locks = std::mem::replace(&mut self.locks, entry);
        let saved_loops = std::mem::take(&mut self.loops);
        let saved_deferred = std::mem::replace(&mut self.deferred, false);
        let saved_branches = std::mem::take(&mut self.branches);
        self.cur = ix;
        self.stmt(body);
        self.cur = parent;
        self.branches = saved_branches;
        self.locks = saved_locks;
        self.loops = saved_loops;
        self.deferred = saved_deferred;
        ix
    }

    /// The package function a function-valued expression names: a function, a method
    /// value, a literal, or a local variable defined from a literal.
    fn func_of_expr(&mut self, e: ExprId) -> Option<FuncIx> {
        let e = self.unparen(e);
        let def = match self.f[e].kind {
            ExprKind::FuncLit { .. } => {
                return self.m.by_ref.get(&(self.fi, FuncRef::Lit(e))).copied()
            }
            ExprKind::Ident(id) => {
                let d = self.scopes.binding(self.fi as usize, id)?;
                if let Some(&lit) = self.lit_vars.get(&d) {
                    return Some(lit);
                }
                d
            }
            ExprKind::Selector { x, sel } => {
                let s = self.prog.selection(self.pkg, self.fi as usize, e)?;
                match (s.kind, s.obj) {
                    (SelKind::Method, ObjRef::Def(o)) if o.pkg == self.pkg => o.def,
                    (SelKind::Method, ObjRef::Member(_)) => self.sole_impl(x, sel)?,
                    _ => return None,
                }
            }
            _ => return None,
        };
        let d = self.scopes.def(def);
        match (&d.kind, d.site, d.file) {
            (DefKind::PackageFunc | DefKind::Method { .. }, DeclSite::Func(decl), Some(file)) => {
                self.m.by_ref.get(&(file, FuncRef::Decl(decl))).copied()
            }
            _ => None,
        }
    }

    /// For a call of method `sel` of `x`, whose type is an interface the package declares:
    /// that method of the one named type of the package whose pointer implements the
    /// interface, if there is exactly one and it declares the method itself (`KV` and its
    /// in-memory `memKV`).
    fn sole_impl(&mut self, x: ExprId, sel: IdentId) -> Option<racelens_semantic::DefId> {
        if self.impls.kept.is_empty() {
            return None;
        }
        let iface = self.ty(x);
        let Type::Named(n) = self.prog.types.get(iface) else {
            return None;
        };
        if n.obj.is_none_or(|o| o.pkg != self.pkg) || !n.args.is_empty() {
            return None;
        }
        let u = self.prog.underlying(iface);
        if !matches!(self.prog.types.get(u), Type::Interface(_)) {
            return None;
        }
        let name = self.f.ident_name(sel);
        // A lock taken through an interface stays the interface value's lock (`l.Lock()` of
        // an `l sync.Locker`-like parameter), whatever locker the package implements.
        if matches!(
            name,
            "Lock" | "Unlock" | "RLock" | "RUnlock" | "TryLock" | "TryRLock"
        ) {
            return None;
        }
        let sole = match self.impls.memo.get(&iface) {
            Some(&known) => known,
            None => {
                let sole = self.sole_implementer(iface);
                self.impls.memo.insert(iface, sole);
                sole
            }
        }?;
        match self.prog.lookup(sole, name).map(|s| s.obj) {
            Some(ObjRef::Def(o)) if o.pkg == self.pkg => Some(o.def),
            _ => None,
        }
    }

    /// The pointer to the one named type of the package whose pointer implements interface
    /// `iface`, if there is exactly one.
    fn sole_implementer(&mut self, iface: TypeId) -> Option<TypeId> {
        if self.impls.ptrs.is_none() {
            let ptrs = self.package_ptr_types();
            self.impls.ptrs = Some(ptrs);
        }
        let mut found = None;
        for &t in self.impls.ptrs.as_deref().unwrap_or_default() {
            match self.prog.implements(t, iface) {
                Some(false) => {}
                Some(true) if found.is_none() => found = Some(t),
                _ => return None,
            }
        }
        found
    }

    /// Pointers to the package's named types, but interfaces and generic types, declared in
    /// the files modelled.
    fn package_ptr_types(&mut self) -> Vec<TypeId> {
        let mut out = Vec::new();
        for i in 0..self.scopes.defs.len() {
            let def = racelens_semantic::DefId(i as u32);
            let d = self.scopes.def(def);
            let kept = |fi: u32| self.impls.kept.get(fi as usize) == Some(&true);
            if d.kind != DefKind::PackageType || !d.file.is_some_and(kept) {
                continue;
            }
            let t = self
                .prog
                .def_type(racelens_semantic::types::Obj { pkg: self.pkg, def });
            let named = matches!(self.prog.types.get(t), Type::Named(n) if n.args.is_empty());
            let u = self.prog.underlying(t);
            if named && !matches!(self.prog.types.get(u), Type::Interface(_)) {
                out.push(self.prog.types.intern(Type::Pointer(t)));
            }
        }
        out
    }

    /// The package's functions a call may run (an interface call only when one type of
    /// the package alone implements the interface, `sole_impl`).
    fn callees(&mut self, call: ExprId) -> Vec<FuncIx> {
        let ExprKind::Call { fun, .. } = self.f[call].kind else {
            return Vec::new();
        };
        self.func_of_expr(fun).into_iter().collect()
    }

    /// Functions passed as argument `arg` of a call.
    fn arg_funcs(&mut self, call: ExprId, arg: u32) -> Vec<FuncIx> {
        let ExprKind::Call { ref args, .. } = self.f[call].kind else {
            return Vec::new();
        };
        self.f[args]
            .get(arg as usize)
            .and_then(|&a| self.func_of_expr(a))
            .into_iter()
            .collect()
    }

    /// A function used as a value (passed, stored): it may run anywhere.
    fn mark_escape(&mut self, e: ExprId) {
        if let Some(f) = self.func_of_expr(e) {
            if self.m.funcs[f.index()].how == Invocation::Decl {
                self.m.funcs[f.index()].escapes = true;
            }
        }
    }

    fn call(&mut self, e: ExprId) {
        let f = self.f;
        let ExprKind::Call {
            fun,
            ref args,
            ellipsis,
            ..
        } = f[e].kind
        else {
            return;
        };
        let fun = self.unparen(fun);
        if let Some(op) = self.lock_op(e) {
            // Locking reads nothing racy: only what leads to the mutex (`s` of `s.mu`).
            if let ExprKind::Selector { x, .. } = f[fun].kind {
                self.base(x);
            }
            match op {
                LockOp::Acquire(l, m) => self.locks.acquire(l, m),
                LockOp::Release(l) => {
                    self.locks.release(l);
                }
            }
            return;
        }
        // Builtins.
        if let ExprKind::Ident(_) = f[fun].kind {
            if self.is_builtin(fun, "delete") && !args.is_empty() {
                for &a in &self.f[args][1..] {
                    self.expr(a);
                }
                match self.place_of(self.f[args][0]) {
                    Some(p) => {
                        self.access(p, AccessKind::MapWrite, e, self.f[args][0]);
                        self.base(self.f[args][0]);
                    }
                    None => self.expr(self.f[args][0]),
                }
                return;
            }
            // `copy(dst, src)` writes the elements of `dst`.
            if self.is_builtin(fun, "copy") && args.len() == 2 {
                for &a in self.f[args].iter() {
                    self.expr(a);
                }
                self.write_elements(self.f[args][0]);
                return;
            }
            if self.is_builtin(fun, "close") && args.len() == 1 {
                self.expr(self.f[args][0]);
                if let Some(p) = self.place_of(self.f[args][0]) {
                    self.sync(SyncKind::Close, p, f[e].span);
                }
                return;
            }
        }
        if let ExprKind::Selector { x, sel } = f[fun].kind {
            let name = f.ident_name(sel);
            let pkg_path = match f[self.unparen(x)].kind {
                ExprKind::Ident(id) => self.import_path(id),
                _ => None,
            };
            match pkg_path.as_deref() {
                Some("sync/atomic") => {
                    if let Some(&a0) = f[args].first() {
                        let kind = if name.starts_with("Load") {
                            AccessKind::AtomicRead
                        } else {
                            AccessKind::AtomicWrite
                        };
                        let a0 = self.unparen(a0);
                        let target = match f[a0].kind {
                            ExprKind::Unary {
                                op: TokenKind::And,
                                x,
                            } => Some(x),
                            _ => None,
                        };
                        match target.and_then(|t| self.place_of(t).map(|p| (t, p))) {
                            Some((t, p)) => {
                                self.access(p, kind, e, t);
                                self.base(t);
                            }
                            None => self.expr(a0),
                        }
                        for &a in &f[args][1..] {
                            self.expr(a);
                        }
                    }
                    return;
                }
                Some("time") if name == "AfterFunc" && args.len() == 2 => {
                    self.expr(f[args][0]);
                    self.spawn_call(e, f[args][1], 1, SpawnKind::AfterFunc, None);
                    return;
                }
                // `unsafe.Offsetof(x.f)` and friends access nothing.
                Some("unsafe") => return,
                Some(path) => {
                    for &a in f[args].iter() {
                        self.expr(a);
                    }
                    if crate::unsafe_types::writes_first_argument(path, name) {
                        if let Some(&a0) = f[args].first() {
                            self.mutate_argument(a0);
                        }
                    }
                    if crate::unsafe_types::reorders_first_argument(path, name) {
                        if let Some(&a0) = f[args].first() {
                            self.write_elements(a0);
                        }
                    }
                    if let Some(sum) = self.summary_of(path, name) {
                        self.apply_summary(e, &sum.funcs[name], None);
                    }
                    return;
                }
                None => {}
            }
            let t = self.ty(x);
            // A wait group of another package (syncthing's `sync.WaitGroup` wraps the
            // standard one) counts and waits the same way.
            let foreign_group = |w: &mut Self| {
                matches!(w.prog.types.get(w.prog.deref_type(t)),
                    Type::Named(n) if &*n.name == "WaitGroup")
                    && w.callees(e).is_empty()
            };
            if self.prog.is_wait_group(t) || foreign_group(self) {
                let kind = match name {
                    "Add" => Some(SyncKind::WaitGroupAdd),
                    "Done" => Some(SyncKind::WaitGroupDone),
                    "Wait" => Some(SyncKind::WaitGroupWait),
                    _ => None,
                };
                let place = self.place_of(x);
                self.base(x);
                if let (Some(k), Some(p)) = (kind, place) {
                    self.sync(k, p, f[e].span);
                }
                if name == "Go" && args.len() == 1 {
                    self.spawn_call(e, f[args][0], 0, SpawnKind::WaitGroupGo, place);
                    return;
                }
                for &a in f[args].iter() {
                    self.expr(a);
                }
                return;
            }
            if self.prog.is_atomic(t) {
                let kind = if matches!(name, "Load") {
                    AccessKind::AtomicRead
                } else {
                    AccessKind::AtomicWrite
                };
                if let Some(p) = self.place_of(x) {
                    self.access(p, kind, e, x);
                }
                self.base(x);
                for &a in f[args].iter() {
                    self.expr(a);
                }
                return;
            }
            let is_group = {
                let d = self.prog.deref_type(t);
                self.prog.is_named(d, "golang.org/x/sync/errgroup", "Group")
            };
            if (name == "Go" || name == "TryGo")
                && args.len() == 1
                && (is_group
                    || matches!(f[self.unparen(f[args][0])].kind, ExprKind::FuncLit { .. }))
            {
                let place = self.place_of(x);
                self.base(x);
                self.spawn_call(e, f[args][0], 0, SpawnKind::GroupGo, place);
                return;
            }
            if name == "Wait" && args.is_empty() && is_group {
                if let Some(p) = self.place_of(x) {
                    self.sync(SyncKind::GroupWait, p, f[e].span);
                }
                self.base(x);
                return;
            }
        }
        // An ordinary call: the function expression (a method's receiver; a function
        // named here is called, not used as a value), the arguments, then the callee.
        match f[fun].kind {
            ExprKind::Selector { x, sel } => {
                let method = self
                    .prog
                    .selection(self.pkg, self.fi as usize, fun)
                    .is_some_and(|s| s.kind == SelKind::Method);
                if method {
                    self.expr(x);
                    let name = f.ident_name(sel);
                    let modifies = crate::unsafe_types::may_modify(name)
                        && crate::unsafe_types::method_use(self.prog, self.ty(x), name)
                            == Some(crate::unsafe_types::MethodUse::Modifies);
                    if modifies {
                        if let Some(p) = self.place_of(x) {
                            // A `Rand` over a locking source changes nothing of its own but
                            // in `Read` (and `Seed`, which reseeds the source).
                            let locked =
                                self.locked_rands.contains(&p) && !matches!(name, "Read" | "Seed");
                            if !locked {
                                self.access(p, AccessKind::Mutate, self.unparen(x), x);
                            }
                        }
                    }
                } else {
                    self.expr(fun);
                }
            }
            ExprKind::Ident(id) if self.var_place(id).is_none() => {}
            _ => self.expr(fun),
        }
        let callees = self.callees(e);
        let helper = match (&callees[..], ellipsis) {
            (&[c], None) => self.helpers.get(&c).map(|&h| (c, h)),
            _ => None,
        };
        let queued = match (&callees[..], ellipsis) {
            (&[c], None) => self.queuers.get(&c).copied(),
            _ => None,
        };
        for (i, &a) in f[args].iter().enumerate() {
            match helper {
                Some((c, h)) if h.arg as usize == i => {
                    let name = self.m.funcs[c.index()].short_name().to_string();
                    self.helper_spawn(e, a, h, &name);
                }
                // A literal queued for an actor's loop runs there, as one sent.
                _ if queued == Some(i as u32)
                    && matches!(f[self.unparen(a)].kind, ExprKind::FuncLit { .. }) =>
                {
                    self.func_lit(self.unparen(a), Invocation::Sent, LockSet::default());
                }
                _ => self.expr(a),
            }
        }
        if callees.is_empty() {
            if let Some((sum, key, x)) = self.method_summary(e) {
                self.apply_summary(e, &sum.funcs[&key], Some(x));
            }
            return;
        }
        // The callee starts with the locks held at the call; what it leaves locked or
        // unlocked for its caller applies after it.
        let locks = self.locks.clone();
        if !self.deferred && callees.len() == 1 {
            if let Some(eff) = self.effects.get(&callees[0]) {
                for &l in &eff.released {
                    self.locks.release(l);
                }
                for &(l, m) in &eff.acquired {
                    self.locks.acquire(l, m);
                }
            }
        }
        // A function literal bound to a variable and called in a loop (`launch :=
        // func(r string) { go ... }`, then `launch(replicas[i])` each time round): the
        // goroutines it starts outside any loop of its own run alongside each other, as if
        // its body were the loop (what the body declares is each call's own, as for a
        // hand-rolled group's `Go`).
        if !self.loops.is_empty() {
            for &c in &callees {
                let lit = &self.m.funcs[c.index()];
                if !matches!(lit.func, FuncRef::Lit(_)) {
                    continue;
                }
                let body = lit.span;
                for si in 0..lit.spawns.len() {
                    let sp = &mut self.m.spawns[self.m.funcs[c.index()].spawns[si].index()];
                    if sp.loop_span.is_none() && !sp.per_call && sp.helper.is_none() {
                        sp.loop_span = Some(body);
                    }
                }
            }
        }
        // A goroutine's literal passing its arguments on (`go func() { s.loop(out) }()`).
        if let (Invocation::Spawned(s), None) = (self.m.funcs[self.cur.index()].how, ellipsis) {
            if !args.is_empty() {
                let places = self.arg_places(args);
                for &c in &callees {
                    self.m.spawns[s.index()].relayed.push((c, places.clone()));
                }
            }
        }
        self.m.funcs[self.cur.index()].calls.push(Call {
            expr: e,
            span: f[e].span,
            callees,
            locks,
        });
    }

    /// The elements of slice `a`, written by a call that fills or reorders them in place
    /// (`copy(s.buf, b)`, `sort.Ints(s.ids)`).
    fn write_elements(&mut self, a: ExprId) {
        let a = self.unparen(a);
        let t = self.ty(a);
        let u = self.prog.underlying(t);
        if !matches!(self.prog.types.get(u), Type::Slice(_)) {
            return;
        }
        if let Some(p) = self.place_of(a) {
            self.access(p, AccessKind::ElemWrite, a, a);
        }
    }

    /// The value an `io.Writer` argument names, given to a function that writes to it
    /// (`fmt.Fprintf(&buf, ...)`, `io.WriteString(w, s)`), modified if it is of a type not
    /// safe for concurrent use.
    fn mutate_argument(&mut self, a: ExprId) {
        let a = self.unparen(a);
        let target = match self.f[a].kind {
            ExprKind::Unary {
                op: TokenKind::And,
                x,
            } => self.unparen(x),
            _ => a,
        };
        if crate::unsafe_types::unsafe_type(self.prog, self.ty(target)).is_some() {
            if let Some(p) = self.place_of(target) {
                self.access(p, AccessKind::Mutate, target, target);
            }
        }
    }

    // ---- summaries of other packages ----

    /// The summary of package `path` (another package of the workspace) when it has one for
    /// function `key`.
    fn summary_of(&mut self, path: &str, key: &str) -> Option<Arc<PackageSummary>> {
        let own = self.prog.path(self.pkg);
        let sum = package_summary(&mut self.m.sum_cache, self.summaries?, own, path)?;
        sum.funcs.contains_key(key).then_some(sum)
    }

    /// For a call of a method declared on a type of another package of the workspace: the
    /// package's summary, the method's key in it, and the receiver expression.
    fn method_summary(&mut self, call: ExprId) -> Option<(Arc<PackageSummary>, String, ExprId)> {
        self.summaries?;
        let ExprKind::Call { fun, .. } = self.f[call].kind else {
            return None;
        };
        let fun = self.unparen(fun);
        let ExprKind::Selector { x, sel } = self.f[fun].kind else {
            return None;
        };
        let s = self.prog.selection(self.pkg, self.fi as usize, fun)?;
        if s.kind != SelKind::Method {
            return None;
        }
        // The type that declares the method: for a method promoted from an embedded field
        // (`s.Lock()` of a `Guard` embedded in `Store`), the embedded type's, whose summary
        // names the lock it really takes.
        let ObjRef::Def(o) = s.obj else {
            return None;
        };
        let loaded = self.prog.loaded(o.pkg);
        let DefKind::Method { recv_type_name, .. } = &loaded.scopes.def(o.def).kind else {
            return None;
        };
        let key = summary::key(Some(recv_type_name), self.f.ident_name(sel));
        let sum = package_summary(
            &mut self.m.sum_cache,
            self.summaries?,
            self.prog.path(self.pkg),
            self.prog.path(o.pkg),
        )?;
        sum.funcs.contains_key(&key).then_some((sum, key, x))
    }

    /// The lock a `Lock`-like method of another package's type (`name` called by `call`)
    /// takes or releases, by its summary.
    fn wrapper_lock(&mut self, call: ExprId, name: &str) -> Option<PlaceId> {
        let (sum, key, _) = self.method_summary(call)?;
        let fs = &sum.funcs[&key];
        let lock = match name {
            "Lock" | "RLock" => &fs.acquired.first()?.0,
            _ => fs.released.first()?,
        };
        self.sum_lock(lock)
    }

    /// `e` without a leading `&`.
    fn strip_addr(&self, e: ExprId) -> ExprId {
        let e = self.unparen(e);
        match self.f[e].kind {
            ExprKind::Unary {
                op: TokenKind::And,
                x,
            } => self.unparen(x),
            _ => e,
        }
    }

    /// The caller's type for a type named in a summary: the type of `hint` (a receiver or
    /// argument) when it is that type, else any interned type of that name.
    fn resolve(&mut self, tn: &summary::TypeName, hint: Option<ExprId>) -> Option<TypeId> {
        if let Some(h) = hint {
            let t = self.prog.deref_type(self.ty(h));
            if summary::is_type_named(self.prog, t, tn) {
                return Some(t);
            }
        }
        if let Some(&t) = self.m.owner_names.get(tn) {
            return t;
        }
        let found = (0..self.prog.types.len() as u32)
            .map(TypeId)
            .find(|&t| summary::is_type_named(self.prog, t, tn));
        self.m.owner_names.insert(tn.clone(), found);
        found
    }

    /// The caller's place for a lock named in a summary.
    fn sum_lock(&mut self, l: &SumLock) -> Option<PlaceId> {
        let key = l as *const SumLock as usize;
        if let Some(&p) = self.m.sum_cache.locks.get(&key) {
            return p;
        }
        let p = self.sum_lock_uncached(l);
        self.m.sum_cache.locks.insert(key, p);
        p
    }

    fn sum_lock_uncached(&mut self, l: &SumLock) -> Option<PlaceId> {
        match l {
            SumLock::Field { owner, name } => Some(match self.resolve(owner, None) {
                Some(t) => self.m.intern_field(t, name),
                // A lock of a type this package never names (`cond.L` of a `sync.Cond`
                // the callee's package keeps): held all the same, under a name of its own,
                // so that two calls holding it exclude each other.
                None => self.m.intern_field(
                    racelens_semantic::types::UNKNOWN,
                    &format!("{}.{}.{name}", owner.path, owner.name),
                ),
            }),
            SumLock::Opaque(name) => {
                Some(self.m.intern_field(racelens_semantic::types::UNKNOWN, name))
            }
        }
    }

    /// Applies the summary `sum` of the callee of `call` (a method call on `recv`, if any):
    /// its accesses through the receiver and arguments become accesses at the call, under
    /// the caller's locks and the callee's own; its lock effects and its synchronisation on
    /// them happen at the call.
    fn apply_summary(&mut self, call: ExprId, sum: &FuncSummary, recv: Option<ExprId>) {
        let f = self.f;
        let ExprKind::Call {
            ref args, ellipsis, ..
        } = f[call].kind
        else {
            return;
        };
        let span = f[call].span;
        let base_expr = |b: Base| match b {
            Base::Recv => recv,
            Base::Param(_) if ellipsis.is_some() => None,
            Base::Param(i) => f[args].get(i as usize).copied(),
        };
        for acc in &sum.accesses {
            let Some(bx) = base_expr(acc.base) else {
                continue;
            };
            let bx = self.strip_addr(bx);
            let place = match &acc.owner {
                None => self.place_of(bx),
                Some(tn) => {
                    // What the access names depends only on the access and on the type of
                    // the receiver or argument (`resolve`'s hint).
                    let hint = self.prog.deref_type(self.ty(bx));
                    let key = (acc as *const SumAccess as usize, hint);
                    match self.m.sum_cache.places.get(&key) {
                        Some(&p) => p,
                        None => {
                            let p = self
                                .resolve(tn, Some(bx))
                                .map(|owner| self.m.intern_field(owner, &acc.field));
                            self.m.sum_cache.places.insert(key, p);
                            p
                        }
                    }
                }
            };
            let Some(place) = place else {
                continue;
            };
            let mut locks = self.locks.clone();
            for (l, mode) in &acc.held {
                if let Some(p) = self.sum_lock(l) {
                    locks.acquire(p, *mode);
                }
            }
            let root = self.root_var(bx);
            let sources = &mut self.m.foreign_sources;
            let source = *self
                .m
                .sum_cache
                .sources
                .entry(acc as *const SumAccess as usize)
                .or_insert_with(|| {
                    sources.push(ForeignSource {
                        callee: acc.func.clone(),
                        at: acc.at.clone(),
                    });
                    sources.len() as u32 - 1
                });
            self.m.foreign.push(Foreign {
                access: Access {
                    func: self.cur,
                    expr: call,
                    span,
                    place,
                    kind: acc.kind,
                    locks,
                    root,
                },
                base: bx,
                source,
            });
        }
        if !self.deferred {
            for l in &sum.released {
                if let Some(p) = self.sum_lock(l) {
                    self.locks.release(p);
                }
            }
            for (l, mode) in &sum.acquired {
                if let Some(p) = self.sum_lock(l) {
                    self.locks.acquire(p, *mode);
                }
            }
        }
        for (kind, target) in &sum.syncs {
            let place = match target {
                SumTarget::Base(b) => base_expr(*b).and_then(|x| {
                    let x = self.strip_addr(x);
                    self.place_of(x)
                }),
                SumTarget::Field { owner, name } => self
                    .resolve(owner, None)
                    .map(|o| self.m.intern_field(o, name)),
            };
            if let Some(p) = place {
                self.sync(*kind, p, span);
            }
        }
    }

    /// Function `argx`, argument `h.arg` of call `call` of `helper`, which runs it in
    /// goroutines: started at the call as if by a `go` statement (in a loop of its own when
    /// the helper starts its goroutines in a loop), and waited for at the end of the call
    /// when the helper waits for them.
    fn helper_spawn(&mut self, call: ExprId, argx: ExprId, h: Helper, name: &str) {
        let ix = self.spawn_call(call, argx, h.arg, SpawnKind::Helper, None);
        let span = self.f[call].span;
        let looped = h.looped.then_some(span);
        let s = &mut self.m.spawns[ix.index()];
        s.per_call = false;
        s.loop_span = looped.or(self.loops.last().copied());
        s.helper = Some(HelperCall {
            name: name.into(),
            arg: h.arg,
        });
        s.joined_at = h.joins.then_some(span.end);
    }

    /// A callback started concurrently by call `call` (argument `arg` of it, `argx`).
    fn spawn_call(
        &mut self,
        call: ExprId,
        argx: ExprId,
        arg: u32,
        kind: SpawnKind,
        group: Option<PlaceId>,
    ) -> SpawnIx {
        let argx = self.unparen(argx);
        let ix = self.new_spawn(self.f[call].span, call, kind, group);
        if let ExprKind::FuncLit { .. } = self.f[argx].kind {
            let t = self.func_lit(argx, Invocation::Spawned(ix), LockSet::default());
            self.m.spawns[ix.index()].targets = vec![t];
        } else {
            self.expr(argx);
            self.m.spawns[ix.index()].targets = self.arg_funcs(call, arg);
        }
        ix
    }

    fn new_spawn(
        &mut self,
        span: Span,
        call: ExprId,
        kind: SpawnKind,
        group: Option<PlaceId>,
    ) -> SpawnIx {
        let ix = SpawnIx(self.m.spawns.len() as u32);
        let group_method = if self.loops.is_empty() {
            self.group_go_method()
        } else {
            None
        };
        self.m.spawns.push(Spawn {
            func: self.cur,
            span,
            call,
            kind,
            targets: Vec::new(),
            loop_span: group_method.or(self.loops.last().copied()),
            per_call: group_method.is_some(),
            group,
            locks: self.locks.clone(),
            args: Vec::new(),
            relayed: Vec::new(),
            helper: None,
            joined_at: None,
        });
        self.m.funcs[self.cur.index()].spawns.push(ix);
        ix
    }

    /// The span of the body of the method being walked when it is a hand-rolled group's `Go`
    /// or `TryGo` (a method of that name with one parameter, of function type): its receiver
    /// is shared by the goroutines its calls start, and what its body declares is not.
    fn group_go_method(&self) -> Option<Span> {
        let FuncRef::Decl(d) = self.m.funcs[self.m.outermost(self.cur).index()].func else {
            return None;
        };
        let f = self.f;
        let DeclKind::Func {
            recv: Some(_),
            name,
            typ,
            body: Some(body),
        } = f[d].kind
        else {
            return None;
        };
        if !matches!(f.ident_name(name), "Go" | "TryGo") {
            return None;
        }
        let ExprKind::FuncType { params, .. } = f[typ].kind else {
            return None;
        };
        let [field] = &f[params].list[..] else {
            return None;
        };
        let one = f[*field].names.len() <= 1;
        (one && matches!(
            f[self.unparen(f[*field].typ)].kind,
            ExprKind::FuncType { .. }
        ))
        .then_some(f[body].span)
    }

    fn go_stmt(&mut self, s: StmtId, call: ExprId) {
        let f = self.f;
        let call = self.unparen(call);
        let ExprKind::Call { fun, ref args, .. } = f[call].kind else {
            self.expr(call);
            return;
        };
        // Arguments (and a method value's receiver) are evaluated by the spawner.
        for &a in self.f[args].iter() {
            self.expr(a);
        }
        let fun = self.unparen(fun);
        let ix = self.new_spawn(f[s].span, call, SpawnKind::Go, None);
        if let ExprKind::FuncLit { .. } = f[fun].kind {
            let t = self.func_lit(fun, Invocation::Spawned(ix), LockSet::default());
            self.m.spawns[ix.index()].targets = vec![t];
        } else {
            if let ExprKind::Selector { x, .. } = f[fun].kind {
                self.expr(x);
            }
            self.m.spawns[ix.index()].targets = self.callees(call);
            let ExprKind::Call {
                ref args, ellipsis, ..
            } = f[call].kind
            else {
                return;
            };
            if ellipsis.is_none() {
                self.m.spawns[ix.index()].args = self.arg_places(args);
            }
        }
    }

    /// The place of each argument of a call (`&x` counts as `x`).
    fn arg_places(&mut self, args: &racelens_syntax::ast::ExprList) -> Vec<Option<PlaceId>> {
        let f = self.f;
        f[args]
            .iter()
            .map(|&a| {
                let a = self.unparen(a);
                match f[a].kind {
                    ExprKind::Unary {
                        op: TokenKind::And,
                        x,
                    } => self.place_of(x),
                    _ => self.place_of(a),
                }
            })
            .collect()
    }
}

/// Whether expression `e` of file `fi` is a call after which the code that makes it goes no
/// further: the builtin `panic`, `os.Exit`, `runtime.Goexit`, `log.Fatal*` and `log.Panic*`,
/// and methods named like the test and logger methods that end the goroutine (`t.Fatal`,
/// `t.FailNow`, `t.Skip`, `logger.Panicf`, ...).
pub fn ends_flow(f: &File, scopes: &PackageScopes, fi: usize, e: ExprId) -> bool {
    let e = f.unparen(e);
    let ExprKind::Call { fun, .. } = f[e].kind else {
        return false;
    };
    match f[f.unparen(fun)].kind {
        ExprKind::Ident(id) => {
            f.ident_name(id) == "panic"
                && scopes.binding(fi, id).is_some_and(|d| {
                    matches!(scopes.def(d).kind, DefKind::Builtin(BuiltinKind::Func))
                })
        }
        ExprKind::Selector { x, sel } => {
            let name = f.ident_name(sel);
            let pkg = match f[f.unparen(x)].kind {
                ExprKind::Ident(id) => {
                    scopes
                        .binding(fi, id)
                        .and_then(|d| match &scopes.def(d).kind {
                            DefKind::Import(info) => Some(&*info.path),
                            _ => None,
                        })
                }
                _ => None,
            };
            match pkg {
                Some("os") => name == "Exit",
                Some("runtime") => name == "Goexit",
                Some("log") => name.starts_with("Fatal") || name.starts_with("Panic"),
                _ => matches!(
                    name,
                    "Fatal"
                        | "Fatalf"
                        | "Fatalln"
                        | "FailNow"
                        | "SkipNow"
                        | "Skip"
                        | "Skipf"
                        | "Panic"
                        | "Panicf"
                        | "Panicln"
                ),
            }
        }
        _ => false,
    }
}
