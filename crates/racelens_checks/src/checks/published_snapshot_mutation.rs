//! `published-snapshot-mutation`: a value written after it was published with
//! `atomic.Pointer.Store` / `atomic.Value.Store`, or through the pointer that `Load` returns
//! (of an atomic, or of a `sync.Map`).

use crate::access::{lock_events, path_root, writes, Write};
use crate::syntactic::{declared, method_call, unparen, Declared};
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_semantic::types::{PkgIdx, Program, Type};
use racelens_semantic::{DeclSite, DefId, DefKind};
use racelens_syntax::ast::{DeclKind, ExprId, ExprKind, StmtId, StmtKind};
use racelens_syntax::token::TokenKind;
use racelens_syntax::walk::Node;
use std::collections::{HashMap, HashSet};

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "published-snapshot-mutation",
        category: Category::Correctness,
        summary: "A value published through `atomic.Pointer`, `atomic.Value` or a `sync.Map` is modified in place while readers may hold it.",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.2.0",
    needs_types: true,
    run: Some(run),
};

const DOCS: &str = r#"## What it does

Reports a write into a value that is shared through a `sync/atomic` `Pointer[T]` or `Value`:

- a field, map entry or slice element of a value written after the same function published it
  with `Store` (or `Swap`);
- a field, map entry or slice element written through what `Load` returned:
  `cfg := p.Load(); cfg.X = 1`, `p.Load().m[k] = v`, `v.Load().(*T).f = 1`, also through a
  helper that returns it (`cfg := loadConfig(); cfg.Labels[k] = v`);
- a map entry, slice element or pointed-to field written through a shallow copy of what
  `Load` returned (`n := *p.Load(); n.m[k] = v`): the copy still shares them;
- a field, map entry or slice element written through a pointer loaded from a `sync.Map`
  (`v, ok := m.Load(k); sess := v.(*Session); sess.n++`, `v.(*Session).tags[t] = true`),
  returned by its `LoadOrStore`, or handed to the function given to its `Range` as the
  value: the map makes its entries safe for concurrent use, not the values they point to;
- a write into such a loaded value made by a function of the package it is passed to, as
  an argument or as the receiver, through a pointer parameter (`t.update(v.(*Visitor),
  path)` with `v.Hits++` in `update`), reported at the callee's write.

Copy-on-write updates stay silent: `n := *p.Load(); n.X = 1; p.Store(&n)`, also when the copy
replaces a map before changing it (`n.m = clone(old.m); n.m[k] = v`).

## Why is this bad?

An atomic pointer makes the swap of the pointer atomic, not the value behind it. Readers that
called `Load` keep using the old value without any lock, on the promise that it never changes.
Writing into it races with every such reader: they can see half an update, and a map written
while another goroutine reads it makes the runtime abort with "concurrent map read and map
write".

## Example

```go
package p

import "sync/atomic"

type Config struct {
	MaxConns int
	Features map[string]bool
}

var current atomic.Pointer[Config]

func enable(name string) {
	cfg := current.Load()
	cfg.Features[name] = true
}
```

## Use instead

```go
package p

import "sync/atomic"

type Config struct {
	MaxConns int
	Features map[string]bool
}

var current atomic.Pointer[Config]

func enable(name string) {
	old := current.Load()
	next := &Config{MaxConns: old.MaxConns, Features: map[string]bool{name: true}}
	for k, v := range old.Features {
		next.Features[k] = v
	}
	current.Store(next)
}
```

## Known limitations

- Only writes in the function that calls `Store` or `Load` are seen, or in a caller of a
  helper of the package whose whole body returns what an atomic's `Load` returns
  (`func loadConfig() *Config { return current.Load().(*Config) }`), or in a function of the
  package the loaded value is passed to directly (an argument or the receiver, whose
  parameter is a pointer), one call deep: the callee's first such write made holding no
  lock, when the call itself holds none. A callee's callee, a value stored in a field
  before the call, and a write through a published value's `Store` in a callee are not
  followed.
- Writes made while holding a lock of the value itself (`c.mu.Lock(); c.n++`) follow a
  protocol of the value's own and are not reported; a lock that only the writers take does not
  silence a report.
- A value published into an atomic that the same function has just created (a constructor
  filling a fresh struct) is not reported: nobody else can load it yet.
- Only the atomics of `sync/atomic` are recognised, not look-alike wrapper types.
- Of a `sync.Map`, what `Load` and `LoadOrStore` return and the value `Range` hands to its
  function are followed, through at most two variables (`v, ok := m.Load(k)`, then
  `sess := v.(*T)`): the keys `Range` hands over, values from `LoadAndDelete` or `Swap`, and
  shallow copies of loaded values are not. A write through a value `Range` hands over is
  reported only when some field on its path is also used by another function of the package:
  a field only the ranging function uses (a collector's bookkeeping, under a lock of its own)
  is taken to be that function's.
"#;

/// Whether `t` is `atomic.Pointer[T]` or `atomic.Value` (or a pointer to one).
fn is_atomic_box(prog: &Program<'_>, t: racelens_semantic::types::TypeId) -> bool {
    let t = prog.deref_type(t);
    prog.is_named(t, "sync/atomic", "Pointer") || prog.is_named(t, "sync/atomic", "Value")
}

/// For `recv.Load()` on an atomic box, `recv`.
fn load_call(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    e: ExprId,
) -> Option<ExprId> {
    load_with(cx, prog, pkg, file, e, "Load", 0, is_atomic_box)
}

/// For a call `recv.name(...)` with `args` arguments whose receiver's type `accepts`,
/// `recv`.
#[allow(clippy::too_many_arguments)]
fn load_with(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    e: ExprId,
    name: &str,
    args: usize,
    accepts: fn(&Program<'_>, racelens_semantic::types::TypeId) -> bool,
) -> Option<ExprId> {
    let f = cx.files[file].ast;
    let (recv, given) = method_call(f, unparen(f, e), name)?;
    (given.len() == args && accepts(prog, prog.type_of(pkg, file, recv))).then_some(recv)
}

/// `e` without a type assertion and parentheses around it (`v.Load().(*T)`).
fn unassert(cx: &PackageCx<'_>, file: usize, mut e: ExprId) -> ExprId {
    let f = cx.files[file].ast;
    loop {
        e = unparen(f, e);
        match f[e].kind {
            ExprKind::TypeAssert {
                x, typ: Some(_), ..
            } => e = x,
            _ => return e,
        }
    }
}

/// Whether writing `target` writes memory reached through a pointer, a map or a slice from
/// the root of its path (so memory a copy of the root shares), `None` when a type is unknown.
fn reaches_shared(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    target: ExprId,
) -> Option<bool> {
    let f = cx.files[file].ast;
    let mut e = unparen(f, target);
    loop {
        match f[e].kind {
            ExprKind::Star { .. } => return Some(true),
            ExprKind::Selector { x, .. } => {
                let t = prog.type_of(pkg, file, x);
                if prog.is_unknown(t) {
                    return None;
                }
                if matches!(prog.types.get(t), Type::Pointer(_)) {
                    return Some(true);
                }
                e = unparen(f, x);
            }
            ExprKind::Index { x, .. } => {
                let t = prog.type_of(pkg, file, x);
                if prog.is_unknown(t) {
                    return None;
                }
                let u = prog.underlying(t);
                if matches!(
                    prog.types.get(u),
                    Type::Map(..) | Type::Slice(..) | Type::Pointer(_)
                ) {
                    return Some(true);
                }
                e = unparen(f, x);
            }
            ExprKind::TypeAssert { x, .. } => e = unparen(f, x),
            _ => return Some(false),
        }
    }
}

/// Whether `def` is a variable this function creates itself (`x := &T{}`, `x := T{}`,
/// `new(T)`, `var x T`): an atomic inside it cannot be loaded by anyone else yet.
fn fresh_local(cx: &PackageCx<'_>, def: DefId) -> bool {
    if cx.scopes().def(def).kind != DefKind::LocalVar {
        return false;
    }
    match declared(cx, def) {
        Some((_, Declared::Type(_))) => true,
        Some((file, Declared::Value(v))) => crate::syntactic::makes_value(cx, file, v),
        None => false,
    }
}

/// The def of identifier expression `e`.
fn def_of(cx: &PackageCx<'_>, file: usize, e: ExprId) -> Option<DefId> {
    let f = cx.files[file].ast;
    match f[unparen(f, e)].kind {
        ExprKind::Ident(id) => cx.scopes().binding(file, id),
        _ => None,
    }
}

/// The writes of a function body that assign a variable as a whole, by the variable: their
/// starts, sorted, so that whether one falls between two offsets is a binary search (a scan
/// of every write for each write asked about would cost a long function its size squared).
struct Reassigns(HashMap<DefId, Vec<u32>>);

impl Reassigns {
    fn new(cx: &PackageCx<'_>, file: usize, ws: &[Write]) -> Reassigns {
        let f = cx.files[file].ast;
        let mut by_def: HashMap<DefId, Vec<u32>> = HashMap::new();
        for w in ws {
            if let Some(d) = def_of(cx, file, w.target) {
                by_def.entry(d).or_default().push(f[w.target].span.start);
            }
        }
        for starts in by_def.values_mut() {
            starts.sort_unstable();
        }
        Reassigns(by_def)
    }

    /// Whether a write between offsets `from` and `to` assigns variable `def` as a whole.
    fn between(&self, def: DefId, from: u32, to: u32) -> bool {
        self.0.get(&def).is_some_and(|starts| {
            let n = starts.partition_point(|&at| at <= from);
            starts.get(n).is_some_and(|&at| at < to)
        })
    }
}

/// The innermost block statement around expression `e`.
fn enclosing_block(cx: &PackageCx<'_>, file: usize, e: ExprId) -> Option<StmtId> {
    let f = cx.files[file].ast;
    cx.parents(file)
        .ancestors(Node::Expr(e))
        .find_map(|n| match n {
            Node::Stmt(s) if matches!(f[s].kind, StmtKind::Block { .. }) => Some(s),
            _ => None,
        })
}

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    // `Load()` of an atomic, `Load(k)`, `LoadOrStore(k, v)` and `Range(f)` of a `sync.Map`,
    // `Store(v)`/`Swap(v)` of an atomic.
    let loads_or_stores = |file| {
        cx.file_calls_method(file, &["Load"], 0)
            || cx.file_calls_method(file, &["Load", "Store", "Swap"], 1)
            || cx.file_calls_method(file, &["LoadOrStore"], 2)
    };
    let wanted = |file| loads_or_stores(file) || cx.file_calls_method(file, &["Range"], 1);
    if !(0..cx.files.len()).any(wanted) {
        return;
    }
    let Some((mut prog, pkg)) = cx.types() else {
        return;
    };
    let prog = &mut *prog;
    let mut selected = None;
    // The callees' writes reported for a loaded value passed to them, each once, and what
    // each callee writes through each parameter.
    let mut passed = HashSet::new();
    let mut known = CalleeWrites::new();
    for file in 0..cx.files.len() {
        let f = cx.files[file].ast;
        // A publication and the mutation after it are in one function body.
        if !wanted(file) {
            continue;
        }
        // One scan of the file's calls for where it loads a value others share (`m.Load(k)`
        // and `m.LoadOrStore(k, v)` of a `sync.Map`, by their arguments, and an atomic box's
        // `Load()`, not those of the atomic numbers, by far the most), and for the bodies of
        // the function literals given to `Range` (a file that only ranges holds nothing else
        // this check looks at).
        let mut loads: Vec<u32> = Vec::new();
        let mut ranged: HashSet<StmtId> = HashSet::new();
        for e in &f.exprs {
            let ExprKind::Call { fun, ref args, .. } = e.kind else {
                continue;
            };
            let ExprKind::Selector { x, sel } = f[unparen(f, fun)].kind else {
                continue;
            };
            match (f.ident_name(sel), &f[args]) {
                ("Load", [_]) | ("LoadOrStore", [_, _]) => loads.push(e.span.start),
                ("Load", []) if is_atomic_box(prog, prog.type_of(pkg, file, x)) => {
                    loads.push(e.span.start)
                }
                ("Range", &[arg]) => {
                    if let ExprKind::FuncLit { body, .. } = f[unparen(f, arg)].kind {
                        ranged.insert(body);
                    }
                }
                _ => {}
            }
        }
        loads.sort_unstable();
        let only_ranges = !loads_or_stores(file);
        for &(_, body) in cx.function_bodies(file) {
            if only_ranges && !ranged.contains(&body) {
                continue;
            }
            let ws = writes(cx, file, body);
            let re = Reassigns::new(cx, file, &ws);
            let loads = Loads {
                at: &loads,
                ranged: ranged.contains(&body),
            };
            passed_to_callees(
                cx,
                prog,
                pkg,
                file,
                body,
                &re,
                loads,
                &mut passed,
                &mut known,
                &mut selected,
                out,
            );
            if ws.is_empty() {
                continue;
            }
            // The first start of a plain assignment of each target text, made when first
            // needed (see the copies below).
            let mut first_assigned: Option<HashMap<&str, u32>> = None;
            // Publications: `p.Store(x)` / `p.Swap(x)` on an atomic box, with the root def of
            // `x` (`&x` publishes `x` itself).
            let mut stores: Vec<(ExprId, ExprId, DefId, bool)> = Vec::new();
            crate::access::walk_own(f, body, |n| {
                if let Node::Expr(e) = n {
                    for name in ["Store", "Swap"] {
                        let Some((recv, args)) = method_call(f, e, name) else {
                            continue;
                        };
                        if args.len() != 1 || !is_atomic_box(prog, prog.type_of(pkg, file, recv)) {
                            continue;
                        }
                        if def_of(cx, file, path_root(f, recv)).is_some_and(|d| fresh_local(cx, d))
                        {
                            continue;
                        }
                        let mut v = unparen(f, args[0]);
                        let mut addr = false;
                        if let ExprKind::Unary {
                            op: TokenKind::And,
                            x,
                        } = f[v].kind
                        {
                            v = unparen(f, x);
                            addr = true;
                        }
                        if let Some(d) = def_of(cx, file, v) {
                            if cx.scopes().def(d).kind.is_local_variable() {
                                stores.push((e, recv, d, addr));
                            }
                        }
                    }
                }
                true
            });
            let mut events = None;
            for w in &ws {
                if w.kind != crate::access::WriteKind::Delete
                    && unparen(f, w.target) == unparen(f, path_root(f, w.target))
                {
                    continue;
                }
                let at = f[w.target].span.start;
                let root = unassert(cx, file, path_root(f, w.target));
                let report = if let Some(recv) = load_call(cx, prog, pkg, file, root) {
                    Some(Found::Loaded { recv, load: root })
                } else if let Some(found) = loading_helper(cx, prog, pkg, file, root) {
                    Some(found)
                } else if let Some(def) = def_of(cx, file, root) {
                    loaded_into(cx, prog, pkg, file, &re, def, at)
                        .or_else(|| published_before(cx, file, &re, &stores, def, at))
                        .or_else(|| shallow_copy(cx, prog, pkg, file, &re, def, at))
                } else {
                    None
                };
                let Some(found) = report else {
                    continue;
                };
                // Through `&x`, any write to `x` is a write to the published value; otherwise
                // the write must reach memory that a copy of the root shares.
                let through_addr = matches!(found, Found::Published { addr: true, .. });
                if !through_addr
                    && w.kind != crate::access::WriteKind::Delete
                    && reaches_shared(cx, prog, pkg, file, w.target) != Some(true)
                {
                    continue;
                }
                if w.kind == crate::access::WriteKind::Delete
                    && !through_addr
                    && !is_map_value(prog, pkg, file, w.target)
                {
                    continue;
                }
                // A copy shares only what it did not replace: `n.m = clone(old.m)` before
                // `n.m[k] = v` makes the map its own.
                if let Found::Copied { .. } = found {
                    let Some(shared) = first_shared_operand(cx, prog, pkg, file, w) else {
                        continue;
                    };
                    let text = cx.text(file, f[shared].span);
                    let first_assigned = first_assigned.get_or_insert_with(|| {
                        let mut first: HashMap<&str, u32> = HashMap::new();
                        for o in ws
                            .iter()
                            .filter(|o| o.kind == crate::access::WriteKind::Assign)
                        {
                            let p = f[o.target].span.start;
                            let at = first.entry(cx.text(file, f[o.target].span)).or_insert(p);
                            *at = p.min(*at);
                        }
                        first
                    });
                    if first_assigned.get(text).is_some_and(|&p| p < at) {
                        continue;
                    }
                }
                // A lock of the value itself (`c.mu.Lock(); c.n++`) is a protocol of its own;
                // any other lock only orders the writers, not the lock-free readers.
                let events = events.get_or_insert_with(|| lock_events(cx, file, body, |_| true));
                let root_text = cx.text(file, f[path_root(f, w.target)].span);
                let own_lock = events.locks_held_at(at).into_iter().any(|l| {
                    l == root_text
                        || l.strip_prefix(root_text)
                            .is_some_and(|rest| rest.starts_with('.'))
                });
                if own_lock {
                    continue;
                }
                // What `Range` hands over is mostly written by one periodic job (a collector,
                // a reload) that owns the fields it writes: reported only when some field on
                // the written path is also used by another function of the package.
                if let Found::MapLoaded { load, .. } = found {
                    if method_call(f, load, "Range").is_some() {
                        let selected = selected.get_or_insert_with(|| selected_by_decl(cx));
                        if !path_fields(f, w.target).any(|name| selected.get(name) == Some(&None)) {
                            continue;
                        }
                    }
                }
                out.push(diagnostic(cx, file, w, found));
            }
        }
    }
}

/// What `callee_write` found, by the callee and the parameter asked about: a function called
/// many times with loaded values is read once.
type CalleeWrites = HashMap<(DefId, Option<usize>), Option<(usize, ExprId)>>;

/// Where a file loads shared values (`Load`, `LoadOrStore`: the starts of the calls, sorted),
/// and whether the body asked about is a function given to `Range`.
#[derive(Clone, Copy)]
struct Loads<'l> {
    at: &'l [u32],
    ranged: bool,
}

/// Writes into a loaded value (from an atomic's `Load`, a `sync.Map`'s `Load` or
/// `LoadOrStore`) made by a function of the package it is passed to, as an argument or as
/// the receiver (`t.update(v.(*Visitor), path)`, `cfg.setLimit(n)`): the callee writes
/// through a pointer parameter or receiver holding no lock. Reported at the callee's write,
/// each once (`done`).
#[allow(clippy::too_many_arguments)]
fn passed_to_callees<'a>(
    cx: &PackageCx<'a>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    body: StmtId,
    re: &Reassigns,
    loads: Loads,
    done: &mut HashSet<(usize, ExprId)>,
    known: &mut CalleeWrites,
    selected: &mut Option<HashMap<&'a str, Option<(usize, usize)>>>,
    out: &mut Vec<Diagnostic>,
) {
    let f = cx.files[file].ast;
    // What a body passes on can be loaded only when it loads something (`Load`,
    // `LoadOrStore`), and most bodies of a file that loads somewhere do not: `loads` holds
    // the starts of the file's calls of those names, sorted.
    let span = f[body].span;
    let at = loads.at.partition_point(|&o| o < span.start);
    if !loads.ranged && !matches!(loads.at.get(at), Some(&o) if o < span.end) {
        return;
    }
    let mut calls = Vec::new();
    crate::access::walk_own(f, body, |n| {
        if let Node::Expr(e) = n {
            if matches!(f[e].kind, ExprKind::Call { .. }) {
                calls.push(e);
            }
        }
        true
    });
    let mut events = None;
    for call in calls {
        let ExprKind::Call { fun, args, .. } = &f[call].kind else {
            continue;
        };
        let fun = unparen(f, *fun);
        // A call made holding a lock (`a.mu.Lock(); a.clearTimer()`) follows the lock's
        // protocol, as a write made holding one does.
        let held = events
            .get_or_insert_with(|| lock_events(cx, file, body, |_| true))
            .locks_held_at(f[call].span.start);
        if !held.is_empty() {
            continue;
        }
        let mut given: Vec<(ExprId, Option<usize>)> = f[*args]
            .iter()
            .enumerate()
            .map(|(i, &a)| (a, Some(i)))
            .collect();
        if let ExprKind::Selector { x, .. } = f[fun].kind {
            given.push((x, None));
        }
        let at = f[call].span.start;
        for (a, pos) in given {
            let root = unassert(cx, file, a);
            let found = if let Some(recv) = map_load_call(cx, prog, pkg, file, root) {
                Some(Found::MapLoaded { recv, load: root })
            } else if let Some(recv) = load_call(cx, prog, pkg, file, root) {
                Some(Found::Loaded { recv, load: root })
            } else {
                def_of(cx, file, root).and_then(|d| loaded_into(cx, prog, pkg, file, re, d, at))
            };
            let (recv, load, map) = match found {
                Some(Found::MapLoaded { recv, load }) => (recv, load, true),
                Some(Found::Loaded { recv, load } | Found::LoadedVar { recv, load }) => {
                    (recv, load, false)
                }
                _ => continue,
            };
            let Some((dfile, target)) = callee_write(cx, prog, pkg, file, fun, pos, known) else {
                continue;
            };
            // A value `Range` hands over, as for writes in the ranging function itself: only
            // when a field on the path is used by another function than the callee.
            if map && method_call(f, load, "Range").is_some() {
                let selected = selected.get_or_insert_with(|| selected_by_decl(cx));
                let df = cx.files[dfile].ast;
                if !path_fields(df, target).any(|name| selected.get(name) == Some(&None)) {
                    continue;
                }
            }
            if !done.insert((dfile, target)) {
                continue;
            }
            let df = cx.files[dfile].ast;
            let written = cx.text(dfile, df[target].span);
            let p = cx.text(file, f[recv].span);
            let (message, help) = if map {
                (
                    format!("`{written}` is written through a value loaded from the `sync.Map` `{p}` and passed to this function, which other goroutines may load and use at the same time"),
                    format!("guard the value with a mutex of its own, or store a changed copy with `{p}.Store` (a `sync.Map` makes its entries safe, not the values they point to)"),
                )
            } else {
                (
                    format!("`{written}` is written through the snapshot loaded from `{p}` and passed to this function, which other goroutines may be reading without a lock"),
                    format!("copy the value, change the copy and publish it with `{p}.Store` (copy-on-write)"),
                )
            };
            out.push(
                Diagnostic::new(
                    CHECK.info.name,
                    CHECK.info.category,
                    message,
                    cx.location(dfile, df[target].span),
                )
                .with_related("passed here", cx.location(file, f[call].span))
                .with_related("loaded here", cx.location(file, f[load].span))
                .with_help(help),
            );
        }
    }
}

/// For a call of a function or method of this package (`fun` its function expression): a
/// write its body makes, holding no lock, through its parameter at `pos` (`None`: its
/// receiver) when that is a pointer (`v.Hits++` in `func (t *T) update(v *Visitor)`), as the
/// callee's file and the write's target.
fn callee_write(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    fun: ExprId,
    pos: Option<usize>,
    known: &mut CalleeWrites,
) -> Option<(usize, ExprId)> {
    let (dfile, decl, def) = crate::syntactic::called_decl(cx, prog, pkg, file, fun)?;
    *known
        .entry((def, pos))
        .or_insert_with(|| first_write_through(cx, dfile, decl, pos))
}

/// The first write function `decl` of file `dfile` makes through its parameter at `pos`
/// (`None`: its receiver) when that is a pointer, holding no lock (see `callee_write`).
fn first_write_through(
    cx: &PackageCx<'_>,
    dfile: usize,
    decl: racelens_syntax::ast::DeclId,
    pos: Option<usize>,
) -> Option<(usize, ExprId)> {
    let df = cx.files[dfile].ast;
    let DeclKind::Func {
        recv,
        typ,
        body: Some(body),
        ..
    } = df[decl].kind
    else {
        return None;
    };
    // The parameter (or receiver) and whether its type is a pointer.
    let (name, typ) = match pos {
        None => {
            let &field = df[recv?].list.first()?;
            (*df[field].names.first()?, df[field].typ)
        }
        Some(i) => {
            let ExprKind::FuncType { params, .. } = df[typ].kind else {
                return None;
            };
            let mut seen = 0;
            let mut found = None;
            for &field in df[params].list.iter() {
                for &n in df[field].names.iter() {
                    if seen == i {
                        found = Some((n, df[field].typ));
                    }
                    seen += 1;
                }
            }
            found?
        }
    };
    if !matches!(df[unparen(df, typ)].kind, ExprKind::Star { .. }) {
        return None;
    }
    let param = cx.scopes().binding(dfile, name)?;
    let mut events = None;
    writes(cx, dfile, body).into_iter().find_map(|w| {
        let root = path_root(df, w.target);
        let through = matches!(df[root].kind, ExprKind::Ident(id) if cx.scopes().binding(dfile, id) == Some(param));
        if !through || unparen(df, w.target) == unparen(df, root) {
            return None;
        }
        let held = events
            .get_or_insert_with(|| lock_events(cx, dfile, body, |_| true))
            .locks_held_at(df[w.target].span.start);
        // Any lock held leaves the write alone: the value's own (`v.mu`) is its protocol,
        // and which lock the callee's other callers take is not followed.
        held.is_empty().then_some((dfile, w.target))
    })
}

/// For each name selected anywhere in the package (`x.name`), the one top-level declaration
/// (file, index) that selects it, or `None` when several do.
fn selected_by_decl<'a>(cx: &PackageCx<'a>) -> HashMap<&'a str, Option<(usize, usize)>> {
    let mut out: HashMap<&str, Option<(usize, usize)>> = HashMap::new();
    for (file, fc) in cx.files.iter().enumerate() {
        let f = fc.ast;
        let starts: Vec<u32> = f.decls.iter().map(|&d| f[d].span.start).collect();
        for e in &f.exprs {
            let ExprKind::Selector { sel, .. } = e.kind else {
                continue;
            };
            let key = (file, starts.partition_point(|&s| s <= e.span.start));
            out.entry(f.ident_name(sel))
                .and_modify(|v| {
                    if *v != Some(key) {
                        *v = None;
                    }
                })
                .or_insert(Some(key));
        }
    }
    out
}

/// The names of the fields selected on the path of `target` (`ic` and `acc` of
/// `acc.ic.acc`, `tags` of `v.(*T).tags[k]`).
fn path_fields(f: &racelens_syntax::File, target: ExprId) -> impl Iterator<Item = &str> {
    let mut e = Some(target);
    std::iter::from_fn(move || loop {
        let cur = unparen(f, e?);
        match f[cur].kind {
            ExprKind::Selector { x, sel } => {
                e = Some(x);
                return Some(f.ident_name(sel));
            }
            ExprKind::Index { x, .. } | ExprKind::Star { x } | ExprKind::TypeAssert { x, .. } => {
                e = Some(x)
            }
            _ => e = None,
        }
    })
}

/// Whether `e` is a map (the map a `delete` writes).
fn is_map_value(prog: &mut Program<'_>, pkg: PkgIdx, file: usize, e: ExprId) -> bool {
    let t = prog.type_of(pkg, file, e);
    prog.is_map(t)
}

/// Where the written value comes from.
enum Found {
    /// Straight from `recv.Load()` (the call `load`).
    Loaded { recv: ExprId, load: ExprId },
    /// From a variable holding what `recv.Load()` returned (`load`, the declaration).
    LoadedVar { recv: ExprId, load: ExprId },
    /// From what a helper of the package returns, which is one `Load` of an atomic box:
    /// the call `call` of the helper named `helper`, the box as the helper writes it.
    Helper {
        call: ExprId,
        helper: String,
        boxed: String,
    },
    /// From the value that `recv.Load(k)` (the call `load`) returned from a `sync.Map`.
    MapLoaded { recv: ExprId, load: ExprId },
    /// From a shallow copy (`copy`, `*p.Load()`) of what `recv.Load()` returned.
    Copied { recv: ExprId, copy: ExprId },
    /// From a variable published earlier by `store` (a `Store`/`Swap` call on `recv`).
    Published {
        recv: ExprId,
        store: ExprId,
        addr: bool,
    },
}

/// If `def` holds what a `Load` on an atomic box returned (`cfg := p.Load()`, possibly with
/// a type assertion), or the value a `sync.Map`'s `Load` returned (`v, ok := m.Load(k)`,
/// `sess := v.(*T)`), and is not assigned again before offset `at`: that `Load`.
fn loaded_into(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    re: &Reassigns,
    def: DefId,
    at: u32,
) -> Option<Found> {
    loaded_through(cx, prog, pkg, file, re, def, at, 2)
}

/// `loaded_into`, following at most `depth` variables that assert the type of another one.
#[allow(clippy::too_many_arguments)]
fn loaded_through(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    re: &Reassigns,
    def: DefId,
    at: u32,
    depth: u32,
) -> Option<Found> {
    if !cx.scopes().def(def).kind.is_local_variable() {
        return None;
    }
    if let Some(found) = ranged_value(cx, prog, pkg, file, def) {
        return Some(found);
    }
    let v = match declared(cx, def) {
        Some((dfile, Declared::Value(v))) if dfile == file => v,
        _ => first_of_two(cx, file, def)?,
    };
    let load = unassert(cx, file, v);
    let f = cx.files[file].ast;
    if re.between(def, f[load].span.end, at) {
        return None;
    }
    if let Some(recv) = load_call(cx, prog, pkg, file, load) {
        return Some(Found::LoadedVar { recv, load: v });
    }
    if let Some(recv) = map_load_call(cx, prog, pkg, file, load) {
        return Some(Found::MapLoaded { recv, load });
    }
    if let Some(found) = loading_helper(cx, prog, pkg, file, load) {
        return Some(found);
    }
    // `sess := v.(*T)` of a variable `v` holding a `sync.Map`'s value.
    if depth == 0 || load == unparen(f, v) {
        return None;
    }
    let inner = def_of(cx, file, load).filter(|&d| d != def)?;
    match loaded_through(cx, prog, pkg, file, re, inner, at, depth - 1)? {
        found @ Found::MapLoaded { .. } => Some(found),
        _ => None,
    }
}

/// For the first variable of a definition of two variables by one expression, that
/// expression when it is a comma-ok type assertion (`m, _ := v.Load().(T)`) or a call
/// (`v, ok := m.Load(k)`).
fn first_of_two(cx: &PackageCx<'_>, file: usize, def: DefId) -> Option<ExprId> {
    let d = cx.scopes().def(def);
    if d.file != Some(file as u32) {
        return None;
    }
    let DeclSite::Define { stmt, index: 0 } = d.site else {
        return None;
    };
    let f = cx.files[file].ast;
    match &f[stmt].kind {
        StmtKind::Assign { lhs, rhs, .. } if lhs.len() == 2 && rhs.len() == 1 => matches!(
            f[unparen(f, f[rhs][0])].kind,
            ExprKind::TypeAssert { typ: Some(_), .. } | ExprKind::Call { .. }
        )
        .then_some(f[rhs][0]),
        _ => None,
    }
}

/// For a call of a function or method of this package whose body is one `return` of a
/// `Load` on an atomic box (`func loadConfig() *Config { return current.Load().(*Config) }`,
/// `func (t *T) load() *S { return t.cur.Load() }`): what the written value comes from.
fn loading_helper(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    call: ExprId,
) -> Option<Found> {
    let f = cx.files[file].ast;
    let call = unparen(f, call);
    let ExprKind::Call { fun, args, .. } = &f[call].kind else {
        return None;
    };
    if !args.is_empty() {
        return None;
    }
    let (dfile, decl, def) = crate::syntactic::called_decl(cx, prog, pkg, file, *fun)?;
    let d = cx.scopes().def(def);
    let df = cx.files[dfile].ast;
    let DeclKind::Func {
        body: Some(body), ..
    } = df[decl].kind
    else {
        return None;
    };
    let StmtKind::Block { list, .. } = df[body].kind else {
        return None;
    };
    let &[only] = &df[list] else {
        return None;
    };
    let StmtKind::Return { results } = df[only].kind else {
        return None;
    };
    let &[result] = &df[results] else {
        return None;
    };
    let recv = load_call(cx, prog, pkg, dfile, unassert(cx, dfile, result))?;
    Some(Found::Helper {
        call,
        helper: d.name.to_string(),
        boxed: cx.text(dfile, df[recv].span).to_string(),
    })
}

/// For `recv.Load(key)` or `recv.LoadOrStore(key, value)` on a `sync.Map`, `recv`.
fn map_load_call(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    e: ExprId,
) -> Option<ExprId> {
    [("Load", 1), ("LoadOrStore", 2)]
        .into_iter()
        .find_map(|(name, args)| load_with(cx, prog, pkg, file, e, name, args, is_sync_map))
}

fn is_sync_map(prog: &Program<'_>, t: racelens_semantic::types::TypeId) -> bool {
    prog.is_named(prog.deref_type(t), "sync", "Map")
}

/// If `def` is the value parameter of a function literal handed to a `sync.Map`'s `Range`
/// (`m.Range(func(k, v any) bool { ... })`): what it comes from.
fn ranged_value(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    def: DefId,
) -> Option<Found> {
    let d = cx.scopes().def(def);
    let (DefKind::Param, Some(racelens_semantic::FuncRef::Lit(lit)), Some(ident)) =
        (&d.kind, d.func, d.ident)
    else {
        return None;
    };
    let f = cx.files[file].ast;
    let ExprKind::FuncLit { typ, .. } = f[lit].kind else {
        return None;
    };
    let ExprKind::FuncType { params, .. } = f[typ].kind else {
        return None;
    };
    let names: Vec<_> = f[params]
        .list
        .iter()
        .flat_map(|&field| f[field].names.iter().copied())
        .collect();
    if names.len() != 2 || names[1] != ident {
        return None;
    }
    let Some(Node::Expr(call)) = cx.parents(file).parent(Node::Expr(lit)) else {
        return None;
    };
    let (recv, args) = method_call(f, call, "Range")?;
    (args.len() == 1
        && unparen(f, args[0]) == lit
        && is_sync_map(prog, prog.type_of(pkg, file, recv)))
    .then_some(Found::MapLoaded { recv, load: call })
}

/// If `def` is a shallow copy of a loaded snapshot (`n := *p.Load()`, `n := *old` with `old`
/// loaded) not assigned again before offset `at`: that copy.
fn shallow_copy(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    re: &Reassigns,
    def: DefId,
    at: u32,
) -> Option<Found> {
    if cx.scopes().def(def).kind != DefKind::LocalVar {
        return None;
    }
    let (dfile, Declared::Value(v)) = declared(cx, def)? else {
        return None;
    };
    if dfile != file {
        return None;
    }
    let f = cx.files[file].ast;
    let ExprKind::Star { x } = f[unparen(f, v)].kind else {
        return None;
    };
    let x = unassert(cx, file, x);
    let recv = match load_call(cx, prog, pkg, file, x) {
        Some(recv) => recv,
        None => match loaded_into(cx, prog, pkg, file, re, def_of(cx, file, x)?, at)? {
            Found::LoadedVar { recv, .. } => recv,
            _ => return None,
        },
    };
    if re.between(def, f[v].span.end, at) {
        return None;
    }
    Some(Found::Copied { recv, copy: v })
}

/// The operand of the step nearest the root of `w`'s path that leaves the root's own memory
/// (`n.m` in `n.m[k] = v`); for `delete(n.m, k)`, the map `n.m`.
fn first_shared_operand(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    w: &Write,
) -> Option<ExprId> {
    let f = cx.files[file].ast;
    let mut e = unparen(f, w.target);
    let mut found = (w.kind == crate::access::WriteKind::Delete).then_some(e);
    loop {
        match f[e].kind {
            ExprKind::Star { x } => {
                found = Some(x);
                e = unparen(f, x);
            }
            ExprKind::Selector { x, .. } => {
                let t = prog.type_of(pkg, file, x);
                if matches!(prog.types.get(t), Type::Pointer(_)) {
                    found = Some(x);
                }
                e = unparen(f, x);
            }
            ExprKind::Index { x, .. } => {
                let t = prog.type_of(pkg, file, x);
                let u = prog.underlying(t);
                if matches!(
                    prog.types.get(u),
                    Type::Map(..) | Type::Slice(..) | Type::Pointer(_)
                ) {
                    found = Some(x);
                }
                e = unparen(f, x);
            }
            _ => break,
        }
    }
    // The root itself is the copy: a step right on it reaches nothing shared.
    found.filter(|&x| unparen(f, x) != e)
}

/// If `def` was published by a `Store` earlier in the block that holds the write `w` (at
/// offset `at`) and not assigned again since: that publication.
fn published_before(
    cx: &PackageCx<'_>,
    file: usize,
    re: &Reassigns,
    stores: &[(ExprId, ExprId, DefId, bool)],
    def: DefId,
    at: u32,
) -> Option<Found> {
    let f = cx.files[file].ast;
    stores.iter().rev().find_map(|&(store, recv, d, addr)| {
        let sp = f[store].span;
        if d != def || sp.end > at || re.between(def, sp.end, at) {
            return None;
        }
        let block = enclosing_block(cx, file, store)?;
        let bs = f[block].span;
        (bs.start <= at && at < bs.end).then_some(Found::Published { recv, store, addr })
    })
}

fn diagnostic(cx: &PackageCx<'_>, file: usize, w: &Write, found: Found) -> Diagnostic {
    let f = cx.files[file].ast;
    let target = cx.text(file, f[w.target].span);
    // What a snapshot was loaded from or by: the box as written, and how to say it.
    let snapshot = match &found {
        Found::Loaded { recv, load } | Found::LoadedVar { recv, load } => {
            let p = cx.text(file, f[*recv].span).to_string();
            Some((format!("the snapshot loaded from `{p}`"), p, *load))
        }
        Found::Helper {
            call,
            helper,
            boxed,
        } => Some((
            format!("the snapshot that `{helper}` loads from `{boxed}`"),
            boxed.clone(),
            *call,
        )),
        _ => None,
    };
    let (message, related, help) = match found {
        Found::Loaded { .. } | Found::LoadedVar { .. } | Found::Helper { .. } => {
            let (source, boxed, load) = snapshot.expect("a snapshot variant");
            (
                format!(
                    "`{target}` is written through {source}, which other goroutines may be reading without a lock"
                ),
                ("loaded here", load),
                format!(
                    "copy the value, change the copy and publish it with `{boxed}.Store` (copy-on-write)"
                ),
            )
        }
        Found::MapLoaded { recv, load } => {
            let p = cx.text(file, f[recv].span);
            (
                format!(
                    "`{target}` is written through the value loaded from the `sync.Map` `{p}`, which other goroutines may load and use at the same time"
                ),
                ("loaded here", load),
                format!(
                    "guard the value with a mutex of its own, or store a changed copy with `{p}.Store` (a `sync.Map` makes its entries safe, not the values they point to)"
                ),
            )
        }
        Found::Copied { recv, copy } => {
            let p = cx.text(file, f[recv].span);
            (
                format!(
                    "`{target}` is written through a shallow copy of the snapshot loaded from `{p}`: the copy still shares its maps, slices and pointers with what readers see"
                ),
                ("copied here", copy),
                "copy the map, slice or pointed-to value too before changing it".to_string(),
            )
        }
        Found::Published { recv, store, .. } => {
            let p = cx.text(file, f[recv].span);
            (
                format!(
                    "`{target}` is written after the value was published with `{p}`, so readers that loaded it see the change while it happens"
                ),
                ("published here", store),
                format!("finish building the value before publishing it with `{p}`, or publish a changed copy"),
            )
        }
    };
    let mut d = Diagnostic::new(
        CHECK.info.name,
        CHECK.info.category,
        message,
        cx.location(file, f[w.target].span),
    )
    .with_related(related.0, cx.location(file, f[related.1].span))
    .with_help(help);
    if w.kind == crate::access::WriteKind::Delete {
        if let Node::Expr(call) = w.site {
            d.location = cx.location(file, f[call].span);
        }
    }
    d
}
