//! `sync-map-check-then-act`: a `sync.Map` `Load` and a later `Store` of the same key that
//! depends on it, or a map read under one lock section and written, on the strength of that
//! read, under a later section without checking again.

use crate::access::{guarding_if, lock_events, mentions, walk_own, writes};
use crate::access::{DeclStarts, LockEvent, LockSections, Write, WriteKind};
use crate::syntactic::{builtin_name, declared, is_builtin, method_call, unparen, Declared};
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_semantic::scope::FxSet as HashSet;
use racelens_semantic::types::{PkgIdx, Program, Type, TypeId, UNKNOWN};
use racelens_semantic::{DeclSite, DefId};
use racelens_syntax::ast::{DeclKind, ExprId, ExprKind, StmtId, StmtKind};
use racelens_syntax::token::TokenKind;
use racelens_syntax::walk::{preorder, Node};
use racelens_syntax::File;
use std::cell::OnceCell;
use std::collections::HashMap;

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "sync-map-check-then-act",
        category: Category::Correctness,
        summary: "A map entry is checked and then written in two separate steps, so another goroutine can act in between.",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.2.0",
    needs_types: true,
    run: Some(run),
};

const DOCS: &str = r#"## What it does

Reports a check-then-act on a map shared between goroutines, where the check and the act are
two separate atomic steps:

- a `sync.Map` `Load` followed, in the same function, by a `Store` of the same key on the same
  map that runs only depending on what `Load` returned (inside `if !ok { ... }`, or after an
  early return when the key was found), or that stores a new value computed from what `Load`
  returned (`v, _ := m.Load(k); m.Store(k, v.(int)+1)`: a read-modify-write, checked or not);
- a map read under a lock (`mu.Lock(); _, ok := m[k]; mu.Unlock()`, or under `RLock`) and
  written under a later, separate section of the same lock, depending on that read (or with a
  value computed from it), with no second look at the entry inside the second section.

It reports the pairs where losing the race shows: a new value computed from the checked one
(a lost update, the only case reported for a store that no check of the loaded value holds),
a new object with state of its own (a lock, a map, a slice, a channel), or a resource a
call opened (a value with a `Close` method: a connection, a file, a client), that the function
goes on using after storing it (the goroutine that loses the race uses one the map no longer
holds, and a resource nobody closes), a value that depends on the map's current state,
a uniqueness guard whose early return is an error ("already exists"), and a function
that tells its caller whether it claimed the key (`return false` when found, `return true`
after storing, whatever it stores: a deduplication, where two goroutines can both be told
they were first).

## Why is this bad?

Each `sync.Map` method is atomic, but a sequence of them is not. Between the `Load` that finds
no entry and the `Store`, another goroutine may store its own value for the key: one of the two
values is silently lost, and the two goroutines go on with different objects for the same key
(two connections, two states, two counters). The same holds for a lock released between the
check and the write: the lock makes each step safe, not the decision that spans both.

## Example

```go
package p

import "sync"

type conn struct {
	mu      sync.Mutex
	pending []string
}

var conns sync.Map

func get(addr string) *conn {
	if c, ok := conns.Load(addr); ok {
		return c.(*conn)
	}
	c := &conn{}
	conns.Store(addr, c)
	return c
}
```

## Use instead

```go
package p

import "sync"

type conn struct {
	mu      sync.Mutex
	pending []string
}

var conns sync.Map

func get(addr string) *conn {
	if c, ok := conns.Load(addr); ok {
		return c.(*conn)
	}
	c, _ := conns.LoadOrStore(addr, &conn{})
	return c.(*conn)
}
```

## Known limitations

- The map, the key and the lock are recognised by their source text within one function:
  a check in one function and a store in another are not followed.
- Lock sections are read in source order; any receiver of `Lock`/`Unlock` calls counts as a
  lock. A function named `...Locked` or `...NoLock` is taken to run under its caller's lock.
- Memoization stays silent on purpose: numbers, strings, byte slices and functions stored when
  missing, values computed by a call other than a constructor (`newT`, `NewT`) unless they
  have a `Close` method, objects built only from the key, objects of a type of the package
  that nothing modifies once made (no lock, channel or atomic among its fields, and no file
  of the package assigning, incrementing, deleting from or appending to a field of one of
  its field names, whatever the type: a compiled pattern with its table of names), and maps
  keyed by `reflect.Type` or by a struct of them. (A fresh counter cell, `new(int64)` or
  `new(atomic.Int64)`, used after the store is not memoization: it is reported.) Two
  goroutines computing the same value twice is wasted work, not a bug. An idempotent
  registration (a value stored and not used afterwards) is silent too. An early return of
  an error the found entry holds (`return e.kind, e.err`) is a memoized result, not a
  uniqueness guard; one of an error made there is.
- A copy of the checked value with some fields changed and stored back as a whole is taken as
  setting absolute values (last writer wins) and is not reported.
- Only `Store` and map assignments count as the act; `Swap`, `Delete` and `delete` after a
  check are not reported.
- An act is paired with the 16 checks of the same map and key nearest before it at most: a
  store that depends on an older check of its key, with 16 or more checks of the key in
  between, is not reported (real code has one or two).
"#;

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    // The check and the act are in one function body. Per file: whether a `sync.Map`
    // check-then-act can be in it (it calls `Load(k)` and `Store(k, v)`), and whether a
    // guarded map's can (it calls `Load(k)` or takes a lock, and makes lock calls, which
    // the sections are found from). Files with neither are not walked, and a package with
    // none is not type-checked for this check.
    let wanted: Vec<(bool, bool)> = (0..cx.files.len())
        .map(|file| {
            let calls = |names: &[&str], args| cx.file_calls_method(file, names, args);
            let load = calls(&["Load"], 1);
            let maps = load && calls(&["Store"], 2);
            let locks = (load || calls(&["Lock", "RLock"], 0))
                && calls(&["Lock", "RLock", "Unlock", "RUnlock"], 0);
            (maps, locks)
        })
        .collect();
    if wanted.iter().all(|&(maps, locks)| !maps && !locks) {
        return;
    }
    let Some((mut prog, pkg)) = cx.types() else {
        return;
    };
    for (file, &(maps, locks)) in wanted.iter().enumerate() {
        if !maps && !locks {
            continue;
        }
        let f = cx.files[file].ast;
        let sites = Sites::new(f, maps, locks);
        for &(func, body) in cx.function_bodies(file) {
            // By Go convention a function named `...Locked` or `...NoLock` runs with the
            // caller's lock held: its check and act are one section of that lock.
            let caller_locked = matches!(func, Node::Decl(d) if matches!(f[d].kind,
            DeclKind::Func { name, .. } if {
                let n = f.ident_name(name);
                racelens_model::named_locked(n) || n.ends_with("NoLock")
            }));
            let (loads, reads) = sites.in_body(f, body);
            debug_assert!(loads || !maps || sync_map_calls(f, body).loads.is_empty());
            debug_assert!(reads || !locks || map_reads(f, body).0.is_empty());
            if maps && !caller_locked && loads {
                sync_map(cx, &mut prog, pkg, file, body, out);
            }
            if locks && reads {
                guarded_map(cx, &mut prog, pkg, file, body, out);
            }
        }
    }
}

/// The variables an assignment of `call`'s results declares or sets (`v, ok := call`), when
/// `call` is the only right-hand side.
fn result_defs(cx: &PackageCx<'_>, file: usize, call: ExprId) -> Vec<DefId> {
    let f = cx.files[file].ast;
    let Some(Node::Stmt(s)) = cx.parents(file).parent(Node::Expr(call)) else {
        return Vec::new();
    };
    match &f[s].kind {
        StmtKind::Assign { lhs, rhs, .. } if rhs.len() == 1 && unparen(f, f[rhs][0]) == call => f
            [lhs]
            .iter()
            .filter_map(|&l| match f[unparen(f, l)].kind {
                ExprKind::Ident(id) => cx.scopes().binding(file, id),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The statement an expression belongs to, when `call` is the right-hand side of an
/// assignment statement.
fn assign_of(cx: &PackageCx<'_>, file: usize, e: ExprId) -> Option<StmtId> {
    match cx.parents(file).parent(Node::Expr(e)) {
        Some(Node::Stmt(s)) => Some(s),
        _ => None,
    }
}

/// The text of `e` without whitespace: two expressions of the same text are taken as the
/// same map or key.
fn text_of(cx: &PackageCx<'_>, file: usize, e: ExprId) -> String {
    crate::syntactic::squeezed(cx.files[file].ast, e)
}

/// Keyed expressions (see [`Keyed`]) by the texts of their map or receiver and of their key
/// (`text_of`), each list in source order: those an act on a map and key can pair with,
/// found without comparing its texts with those of every one (a long function of many
/// checks would cost their product).
fn by_text(
    cx: &PackageCx<'_>,
    file: usize,
    keyed: &[Keyed],
) -> HashMap<(String, String), Vec<Keyed>> {
    let f = cx.files[file].ast;
    let mut out: HashMap<(String, String), Vec<Keyed>> = HashMap::new();
    for &k in keyed {
        out.entry((text_of(cx, file, k.1), text_of(cx, file, k.2)))
            .or_default()
            .push(k);
    }
    for list in out.values_mut() {
        list.sort_by_key(|k| f[k.0].span.start);
    }
    out
}

/// Whether one of the keyed expressions of `list` (in source order) starts strictly between
/// offsets `lo` and `hi`.
fn any_between(f: &File, list: &[Keyed], lo: u32, hi: u32) -> bool {
    list.get(list.partition_point(|k| f[k.0].span.start <= lo))
        .is_some_and(|k| f[k.0].span.start < hi)
}

/// The keyed expressions of `list` (in source order) that start before offset `at`, nearest
/// first.
fn before<'k>(f: &File, list: &'k [Keyed], at: u32) -> impl Iterator<Item = &'k Keyed> + use<'k> {
    list[..list.partition_point(|k| f[k.0].span.start < at)]
        .iter()
        .rev()
}

fn is_sync_map(prog: &mut Program<'_>, pkg: PkgIdx, file: usize, e: ExprId) -> bool {
    let t = prog.type_of(pkg, file, e);
    prog.is_named(prog.deref_type(t), "sync", "Map")
}

/// Where in a file the walks of `sync_map_calls` and `map_reads` can find something:
/// the starts of its `Load(k)` calls and of its assignments of a single index expression,
/// sorted, from flat scans of the arenas. A function body none starts in (from its `{` to
/// the next declaration, `DeclStarts`) has nothing for them, and is not walked.
struct Sites {
    loads: Vec<u32>,
    reads: Vec<u32>,
    /// `None` when the declarations are out of order: every body is walked.
    decls: Option<DeclStarts>,
}

impl Sites {
    fn new(f: &File, maps: bool, locks: bool) -> Sites {
        let mut loads: Vec<u32> = Vec::new();
        if maps {
            loads = f
                .exprs_with_ids()
                .filter(|&(id, _)| load_call(f, id).is_some())
                .map(|(_, e)| e.span.start)
                .collect();
            loads.sort_unstable();
        }
        let mut reads: Vec<u32> = Vec::new();
        if locks {
            reads = (0..f.stmts.len() as u32)
                .map(StmtId::new)
                .filter(|&s| assigned_index(f, s).is_some())
                .map(|s| f[s].span.start)
                .collect();
            reads.sort_unstable();
        }
        Sites {
            loads,
            reads,
            decls: DeclStarts::new(f),
        }
    }

    /// Whether body `body` may hold a `Load(k)` call, and an assignment of an index
    /// expression.
    fn in_body(&self, f: &File, body: StmtId) -> (bool, bool) {
        let Some(decls) = &self.decls else {
            return (true, true);
        };
        let start = f[body].span.start;
        (
            decls.any_before_next(&self.loads, start),
            decls.any_before_next(&self.reads, start),
        )
    }
}

/// A call or index expression, its receiver or map, and its key.
type Keyed = (ExprId, ExprId, ExprId);

/// The `Load(k)`, `Store(k, v)` (with `v`) and atomic `LoadOrStore`/`CompareAndSwap`/`Swap`
/// calls of a body itself (nested function literals aside), in source order.
struct MapCalls {
    loads: Vec<Keyed>,
    stores: Vec<(ExprId, ExprId, ExprId, ExprId)>,
    atomic_steps: Vec<Keyed>,
}

fn sync_map_calls(f: &File, body: StmtId) -> MapCalls {
    let mut loads = Vec::new();
    let mut stores = Vec::new();
    let mut atomic_steps = Vec::new();
    walk_own(f, body, |n| {
        if let Node::Expr(e) = n {
            if method_call(f, e, "Load").is_some() {
                if let Some((recv, key)) = load_call(f, e) {
                    loads.push((e, recv, key));
                }
            } else if let Some((recv, args)) = method_call(f, e, "Store") {
                if args.len() == 2 {
                    stores.push((e, recv, args[0], args[1]));
                }
            } else {
                for name in ["LoadOrStore", "CompareAndSwap", "Swap"] {
                    if let Some((recv, args)) = method_call(f, e, name) {
                        if !args.is_empty() {
                            atomic_steps.push((e, recv, args[0]));
                        }
                    }
                }
            }
        }
        true
    });
    MapCalls {
        loads,
        stores,
        atomic_steps,
    }
}

/// Call `e` as `x.Load(k)`: its receiver and key. (`Sites` and `sync_map_calls` must agree.)
fn load_call(f: &File, e: ExprId) -> Option<(ExprId, ExprId)> {
    match method_call(f, e, "Load")? {
        (recv, [key]) => Some((recv, *key)),
        _ => None,
    }
}

/// Statement `s` as an assignment whose single right-hand side is an index expression (not
/// in parentheses): the read, its map and its key. (`Sites` and `map_reads` must agree.)
fn assigned_index(f: &File, s: StmtId) -> Option<Keyed> {
    let StmtKind::Assign { rhs, .. } = &f[s].kind else {
        return None;
    };
    let [e] = f[rhs][..] else {
        return None;
    };
    match f[e].kind {
        ExprKind::Index { x, index, .. } => Some((e, x, index)),
        _ => None,
    }
}

/// Of `body` itself (nested function literals aside), in source order: the map reads that
/// are the single right-hand side of an assignment (the checks), and every index expression
/// (reads and writes, for the re-check).
fn map_reads(f: &File, body: StmtId) -> (Vec<Keyed>, Vec<Keyed>) {
    let mut reads = Vec::new();
    let mut indexes = Vec::new();
    walk_own(f, body, |n| {
        match n {
            Node::Stmt(s) => reads.extend(assigned_index(f, s)),
            Node::Expr(e) => {
                if let ExprKind::Index { x, index, .. } = f[e].kind {
                    indexes.push((e, x, index));
                }
            }
            _ => {}
        }
        true
    });
    (reads, indexes)
}

/// The checks of the same map and key (`Load`s, or reads under the lock) tried for each act,
/// nearest first: real code finds the one an act depends on first or not at all, and a
/// function that checks and stores one key thousands of times would otherwise try every pair
/// (a bound on the work).
const MAX_CHECKS_PER_ACT: usize = 16;

fn sync_map(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    body: StmtId,
    out: &mut Vec<Diagnostic>,
) {
    let f = cx.files[file].ast;
    let MapCalls {
        loads,
        stores,
        atomic_steps,
    } = sync_map_calls(f, body);
    if loads.is_empty() || stores.is_empty() {
        return;
    }
    let events = lock_events(cx, file, body, |_| true);
    let facts = BodyFacts::default();
    let loads = by_text(cx, file, &loads);
    let atomic_steps = by_text(cx, file, &atomic_steps);
    for &(store, srecv, skey, value) in &stores {
        if !is_sync_map(prog, pkg, file, srecv) || is_type_key(prog, pkg, file, skey) {
            continue;
        }
        let at = f[store].span.start;
        let texts = (text_of(cx, file, srecv), text_of(cx, file, skey));
        let (Some(loads), steps) = (loads.get(&texts), atomic_steps.get(&texts)) else {
            continue;
        };
        // The nearest earlier `Load` of the same key that the store depends on.
        let found = before(f, loads, at)
            .take(MAX_CHECKS_PER_ACT)
            .find_map(|&(load, _, _)| {
                // One lock section around both makes the pair atomic.
                if one_section(&events, f[load].span.start, at) {
                    return None;
                }
                // A `LoadOrStore`, `CompareAndSwap` or `Swap` of the key in between redid the
                // check atomically.
                let redone = steps.is_some_and(|l| any_between(f, l, f[load].span.start, at));
                if redone {
                    return None;
                }
                let defs = result_defs(cx, file, load);
                // Without an `if` on the loaded value, only a lost update can matter.
                let guard =
                    guarding_if(cx, file, body, Node::Expr(store), &defs, f[load].span.start);
                let act = Act {
                    body,
                    map: srecv,
                    check_end: assign_of(cx, file, load)
                        .map_or(f[load].span.end, |s| f[s].span.end),
                    site: Node::Expr(store),
                    value: Some(value),
                    guard,
                    facts: &facts,
                };
                act_matters(cx, prog, pkg, file, &act, &defs).then_some(load)
            });
        let Some(load) = found else {
            continue;
        };
        let m = cx.text(file, f[srecv].span);
        let stmt = assign_of(cx, file, load).map_or(f[load].span, |s| f[s].span);
        out.push(
            Diagnostic::new(
                CHECK.info.name,
                CHECK.info.category,
                format!(
                    "`{m}.Store` depends on an earlier `{m}.Load` of the same key: another goroutine can store the key in between"
                ),
                cx.location(file, f[store].span),
            )
            .with_related("checked here", cx.location(file, stmt))
            .with_help(format!(
                "use `{m}.LoadOrStore` (or `CompareAndSwap`) so that the check and the store are one atomic step"
            )),
        );
    }
}

fn guarded_map(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    body: StmtId,
    out: &mut Vec<Diagnostic>,
) {
    let f = cx.files[file].ast;
    let (reads, indexes) = map_reads(f, body);
    if reads.is_empty() {
        return;
    }
    // Any receiver with `Lock` and `Unlock` calls is taken as a lock: a struct embedding
    // `sync.Mutex` is one too.
    let events = lock_events(cx, file, body, |_| true);
    if events.is_empty() {
        return;
    }
    let facts = BodyFacts::default();
    let reads = by_text(cx, file, &reads);
    let indexes = by_text(cx, file, &indexes);
    for &w in facts.writes(cx, file, body).0 {
        let (map, key) = match w.kind {
            WriteKind::Assign | WriteKind::IncDec => match f[unparen(f, w.target)].kind {
                ExprKind::Index { x, index, .. } => (x, index),
                _ => continue,
            },
            // Deleting an entry twice is harmless.
            WriteKind::Delete => continue,
        };
        let t = prog.type_of(pkg, file, map);
        if !prog.is_map(t) || is_type_key(prog, pkg, file, key) {
            continue;
        }
        let at = f[w.target].span.start;
        let texts = (text_of(cx, file, map), text_of(cx, file, key));
        let (Some(reads), looks) = (reads.get(&texts), indexes.get(&texts)) else {
            continue;
        };
        let target = unparen(f, w.target);
        let earlier = before(f, reads, at).filter(|&&(read, _, _)| read != target);
        let found = earlier.take(MAX_CHECKS_PER_ACT).find_map(|&(read, _, _)| {
            let rat = f[read].span.start;
            let lock = split_sections(&events, rat, at)?;
            // A look at the entry inside the second section is the double check done right.
            let relock = events.last_acquire_before(&lock.lock, at)?.at;
            let rechecked = looks.is_some_and(|l| any_between(f, l, relock, at));
            // So is any condition inside the second section that the write depends on.
            let guarded_inside = cx.parents(file).ancestors(w.site).any(|a| {
                matches!(a, Node::Stmt(s) if matches!(f[s].kind, StmtKind::If { .. } | StmtKind::Switch { .. })
                    && f[s].span.start > relock)
            });
            if rechecked || guarded_inside {
                return None;
            }
            let defs = result_defs(cx, file, read);
            let guard = guarding_if(cx, file, body, w.site, &defs, rat);
            let value = match &f[stmt_of(w.site)?].kind {
                StmtKind::Assign { tok, rhs, lhs, .. }
                    if *tok == TokenKind::Assign && rhs.len() == lhs.len() =>
                {
                    f[lhs].iter().position(|&l| l == w.target).map(|i| f[rhs][i])
                }
                _ => None,
            };
            // Without an `if` on the read, only a value computed from it can be a lost
            // update: `m[k]++` and `m[k] += d` read the entry again inside the new section.
            if guard.is_none() && value.is_none() {
                return None;
            }
            let act = Act {
                body,
                map,
                check_end: assign_of(cx, file, read).map_or(f[read].span.end, |s| f[s].span.end),
                site: w.site,
                value,
                guard,
                facts: &facts,
            };
            act_matters(cx, prog, pkg, file, &act, &defs).then_some((read, lock))
        });
        let Some((read, lock)) = found else {
            continue;
        };
        let m = cx.text(file, f[map].span);
        let l = &lock.lock;
        let stmt = assign_of(cx, file, read).map_or(f[read].span, |s| f[s].span);
        out.push(
            Diagnostic::new(
                CHECK.info.name,
                CHECK.info.category,
                format!(
                    "`{m}` is written under a new `{l}` section on the strength of a read made under an earlier one: another goroutine can change the entry in between"
                ),
                cx.location(file, f[w.target].span),
            )
            .with_related("read here, in the earlier section", cx.location(file, stmt))
            .with_related(
                format!("`{l}` released here"),
                cx.location(file, f[lock.call].span),
            )
            .with_help(format!(
                "check the entry again after taking `{l}` for the write, or hold `{l}` from the read to the write"
            )),
        );
    }
}

/// The lock held at the read (offset `read`) that is released and taken again before the
/// write (offset `write`) and is held at the write: the release event.
fn split_sections(sections: &LockSections, read: u32, write: u32) -> Option<&LockEvent> {
    sections
        .locks()
        .filter(|l| sections.held_at(l, read) && sections.held_at(l, write))
        .filter_map(|l| {
            sections
                .first_release_after(l, read)
                .filter(|e| e.at < write)
        })
        .min_by_key(|e| e.at)
}

/// The statement a write site is.
fn stmt_of(site: Node) -> Option<StmtId> {
    match site {
        Node::Stmt(s) => Some(s),
        _ => None,
    }
}

/// The act of a check-then-act: the store or write (`site`) in function body `body`, the
/// value it stores (`None` for `++` and `op=`), and the `if` that makes it depend on the
/// check (`None` for a store or write that runs whatever the check found: a read-modify-write
/// with no check in between).
struct Act<'w> {
    body: StmtId,
    /// The map the act writes.
    map: ExprId,
    /// Where the check's statement ends.
    check_end: u32,
    site: Node,
    value: Option<ExprId>,
    guard: Option<StmtId>,
    /// What is known of `body`, found once for all the acts in it.
    facts: &'w BodyFacts,
}

/// Facts of one function body that each act in it asks about, found when first needed by
/// one walk of the body rather than one per act (a long function of many checks would cost
/// its size squared).
///
/// Each list comes with whether its order, that of a walk of the body, is also that of the
/// starts (in a tree without syntax errors it is), so that those between two offsets are
/// found by a binary search.
#[derive(Default)]
struct BodyFacts {
    /// Its writes (`access::writes`).
    writes: OnceCell<(Vec<Write>, bool)>,
    /// Its `:=` statements (nested function literals aside).
    defines: OnceCell<(Vec<StmtId>, bool)>,
}

impl BodyFacts {
    /// The writes of function body `body` (`access::writes`), and whether their targets are
    /// in the order of their starts.
    fn writes(&self, cx: &PackageCx<'_>, file: usize, body: StmtId) -> (&[Write], bool) {
        let f = cx.files[file].ast;
        let (list, by_start) = self.writes.get_or_init(|| {
            let list = writes(cx, file, body);
            let by_start = list
                .windows(2)
                .all(|w| f[w[0].target].span.start <= f[w[1].target].span.start);
            (list, by_start)
        });
        (list, *by_start)
    }
}

impl Act<'_> {
    /// The writes of the act's function body whose targets start at or after offset `from`
    /// and before offset `to`, in the order of a walk of the body.
    fn writes_between<'s>(
        &'s self,
        cx: &PackageCx<'_>,
        f: &'s File,
        file: usize,
        from: u32,
        to: u32,
    ) -> impl DoubleEndedIterator<Item = &'s Write> + 's {
        let (list, by_start) = self.facts.writes(cx, file, self.body);
        let (first, last) = if by_start {
            (
                list.partition_point(|w| f[w.target].span.start < from),
                list.partition_point(|w| f[w.target].span.start < to),
            )
        } else {
            (0, list.len())
        };
        list[first..last.max(first)].iter().filter(move |w| {
            let p = f[w.target].span.start;
            p >= from && p < to
        })
    }

    /// The `:=` statements of the act's function body that start at or after offset `from`
    /// and end at or before offset `to`, in the order of a walk of the body.
    fn defines_within<'s>(
        &'s self,
        f: &'s File,
        from: u32,
        to: u32,
    ) -> impl Iterator<Item = StmtId> + 's {
        let (list, by_start) = self.facts.defines.get_or_init(|| {
            let mut list = Vec::new();
            walk_own(f, self.body, |n| {
                if let Node::Stmt(s) = n {
                    if matches!(
                        f[s].kind,
                        StmtKind::Assign {
                            tok: TokenKind::Define,
                            ..
                        }
                    ) {
                        list.push(s);
                    }
                }
                true
            });
            let by_start = list
                .windows(2)
                .all(|w| f[w[0]].span.start <= f[w[1]].span.start);
            (list, by_start)
        });
        // A statement that starts at or after `to` cannot end at or before it.
        let (first, last) = if *by_start {
            (
                list.partition_point(|&s| f[s].span.start < from),
                list.partition_point(|&s| f[s].span.start < to),
            )
        } else {
            (0, list.len())
        };
        list[first..last.max(first)]
            .iter()
            .copied()
            .filter(move |&s| {
                let sp = f[s].span;
                sp.start >= from && sp.end <= to
            })
    }
}

/// Whether losing the race between the check and `act` has a visible effect, as far as the
/// function shows:
/// - the act is a read-modify-write of the checked value (a lost update), the only effect
///   looked for when no `if` on the checked value holds the act;
/// - the stored value has an identity the function goes on using after the store (it returns
///   or uses an object that may not be the one in the map);
/// - the check is a uniqueness guard: the early return when the key is found returns an error.
///
/// A number, string or function stored when missing is a memoized value any goroutine computes
/// alike, and a value stored and forgotten is usually an idempotent registration: racelens
/// stays silent on both.
fn act_matters(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    act: &Act,
    defs: &[DefId],
) -> bool {
    let f = cx.files[file].ast;
    let Some(value) = act.value else {
        return act.guard.is_some();
    };
    // A new value computed from the checked one (`n+1`, `append(old, x)`) is a lost update.
    // A copy of the checked value with some fields set and stored back as a whole
    // (`ni := v.(info); ni.stats = s; m.Store(k, ni)`) mostly sets absolute values, where
    // the last writer winning is the intent: it is left to the identity rules below.
    let mut plain = unparen(f, value);
    if let ExprKind::Unary {
        op: TokenKind::And,
        x,
    } = f[plain].kind
    {
        plain = unparen(f, x);
    }
    // (A value naming no variable, as a literal, mentions none of them: that is asked first,
    // as finding the checked values costs more, and without a check every store is asked.)
    if !matches!(f[plain].kind, ExprKind::Ident(_))
        && names_a_variable(cx, file, value)
        && mentions(cx, file, value, &checked_values(cx, file, act, defs))
    {
        return true;
    }
    let Some(guard) = act.guard else {
        // A store whatever the load found sets the value it stores: whoever stores last
        // wins, as intended, unless the value came from the load (above).
        return false;
    };
    // The early-return form's results (`if found { return ... }`, then the act), if it is.
    let early = early_return(f, act, guard);
    // Whatever is stored, a function that says whether it claimed the key is a guard.
    if early.is_some_and(|results| claims(cx, file, act, &f[results])) {
        return true;
    }
    // A variable of interface type (`v` of a `sync.Map`) holds what was last assigned to it.
    let (source, index) = last_assigned(cx, file, act, value).unwrap_or((value, 0));
    let t = result_type(prog, pkg, file, source, index);
    if prog.is_unknown(t) || is_memo_value(prog, t) {
        return false;
    }
    // A fresh object (`&T{}`, `new(T)`, `make(...)`) has an identity: a goroutine that goes on
    // using its own after losing the race works on an object nobody else sees. A value
    // computed by a call is usually a memoized result, equivalent whoever computes it.
    let source = last_assigned(cx, file, act, value).or_else(|| declared_source(cx, file, value));
    // An object made only of values computed from the key is a memoized description (a
    // decoder, a wrapper); one with mutable state (locks, maps, slices, channels), or whose
    // content depends on the map's current state, is an object the goroutines must share.
    // A resource opened by a call (a connection, a file: a value with a `Close` method) has an
    // identity too: the goroutine that loses the race goes on with one the map no longer holds,
    // and nobody closes it.
    let fresh = source.is_some_and(|(v, index)| {
        let t = result_type(prog, pkg, file, v, index);
        if is_fresh_object(cx, file, v) {
            (has_mutable_state(prog, t) && !never_modified(cx, prog, pkg, t))
                || mentions_text(cx, file, v, act.map)
        } else {
            matches!(f[unparen(f, v)].kind, ExprKind::Call { .. }) && is_closer(prog, t)
        }
    });
    if let (true, ExprKind::Ident(id)) = (fresh, &f[unparen(f, value)].kind) {
        let id = *id;
        if let Some(d) = cx.scopes().binding(file, id) {
            let end = act.site.span(f).end;
            let mut used = false;
            preorder(f, &[Node::Stmt(act.body)], |n| {
                if let Node::Expr(e) = n {
                    if let ExprKind::Ident(u) = f[e].kind {
                        if f[e].span.start >= end && cx.scopes().binding(file, u) == Some(d) {
                            used = true;
                        }
                    }
                }
                !used
            });
            if used {
                return true;
            }
        }
    }
    // The early-return form: the `if` does not hold the act, and its body leaves with an error.
    let Some(results) = early else {
        return false;
    };
    // An error the cache holds (`return info.err` for a found entry) is a memoized result,
    // not a refusal of the key.
    let checked = checked_values(cx, file, act, defs);
    f[results].iter().any(|&r| {
        let is_nil =
            matches!(f[unparen(f, r)].kind, ExprKind::Ident(id) if f.ident_name(id) == "nil");
        let t = prog.type_of(pkg, file, r);
        !is_nil && prog.is_named(t, "", "error") && !mentions(cx, file, r, &checked)
    })
}

/// When `guard` does not hold `act` and its body ends with a `return` (the early-return
/// form: `if found { return ... }`, then the act), that return's results.
fn early_return(f: &File, act: &Act, guard: StmtId) -> Option<racelens_syntax::ast::ExprList> {
    let gs = f[guard].span;
    let at = act.site.span(f).start;
    if gs.start <= at && at < gs.end {
        return None;
    }
    let StmtKind::If { body: b, .. } = f[guard].kind else {
        return None;
    };
    let StmtKind::Block { list, .. } = &f[b].kind else {
        return None;
    };
    match f[list].last().map(|&l| &f[l].kind) {
        Some(StmtKind::Return { results }) => Some(*results),
        _ => None,
    }
}

/// Whether the early return of a check (its results `early`) and the first `return` after
/// `act` give opposite boolean constants at the same position (`return false` when the key
/// is found, `return true` after storing it): the function tells its caller whether it
/// claimed the key (a deduplication, an at-most-once guard), and two goroutines can both be
/// told they did.
fn claims(cx: &PackageCx<'_>, file: usize, act: &Act, early: &[ExprId]) -> bool {
    let f = cx.files[file].ast;
    let constant = |e: ExprId| match builtin_name(cx, file, e) {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    };
    let end = act.site.span(f).end;
    let mut later = None;
    preorder(f, &[Node::Stmt(act.body)], |n| {
        match n {
            Node::Stmt(st) if later.is_none() && f[st].span.start >= end => {
                if let StmtKind::Return { results } = f[st].kind {
                    later = Some(results);
                }
            }
            // What a function literal returns is not the function's result.
            Node::Expr(e) if matches!(f[e].kind, ExprKind::FuncLit { .. }) => return false,
            _ => {}
        }
        later.is_none()
    });
    let Some(later) = later else {
        return false;
    };
    let later = &f[later];
    later.len() == early.len()
        && early
            .iter()
            .zip(later)
            .any(|(&a, &b)| match (constant(a), constant(b)) {
                (Some(x), Some(y)) => x != y,
                _ => false,
            })
}

/// Whether expression `e` names a variable or other declaration of the package (an
/// identifier with a binding).
fn names_a_variable(cx: &PackageCx<'_>, file: usize, e: ExprId) -> bool {
    let f = cx.files[file].ast;
    let mut found = false;
    preorder(f, &[Node::Expr(e)], |n| {
        if let Node::Expr(x) = n {
            if let ExprKind::Ident(id) = f[x].kind {
                found |= cx.scopes().binding(file, id).is_some();
            }
        }
        !found
    });
    found
}

/// The variables that still hold what the check read when `act` runs: the check's own
/// results and variables declared from them (`ni := v.(nodeInfo)`), less those assigned a new
/// value in between (`v = create()`).
fn checked_values(cx: &PackageCx<'_>, file: usize, act: &Act, defs: &[DefId]) -> Vec<DefId> {
    let f = cx.files[file].ast;
    let at = act.site.span(f).start;
    let mut live = defs.to_vec();
    for s in act.defines_within(f, act.check_end, at) {
        if let StmtKind::Assign { lhs, rhs, .. } = &f[s].kind {
            if f[rhs].iter().any(|&r| mentions(cx, file, r, &live)) {
                for &l in f[lhs].iter() {
                    if let ExprKind::Ident(id) = f[l].kind {
                        live.extend(cx.scopes().binding(file, id));
                    }
                }
            }
        }
    }
    let reassigned: Vec<DefId> = act
        .writes_between(cx, f, file, act.check_end, at)
        .filter_map(|w| match f[unparen(f, w.target)].kind {
            ExprKind::Ident(id) => cx.scopes().binding(file, id),
            _ => None,
        })
        .collect();
    live.retain(|d| !reassigned.contains(d));
    live
}

/// When `value` is a variable assigned between the check and the act (`v = create()`), the
/// right-hand side of the last such assignment.
fn last_assigned(
    cx: &PackageCx<'_>,
    file: usize,
    act: &Act,
    value: ExprId,
) -> Option<(ExprId, usize)> {
    let f = cx.files[file].ast;
    let ExprKind::Ident(id) = f[unparen(f, value)].kind else {
        return None;
    };
    let d = cx.scopes().binding(file, id)?;
    let at = act.site.span(f).start;
    act.writes_between(cx, f, file, act.check_end, at)
        .filter(|w| {
            matches!(f[unparen(f, w.target)].kind, ExprKind::Ident(x) if cx.scopes().binding(file, x) == Some(d))
        })
        .filter_map(|w| match (&f[stmt_of(w.site)?].kind, w.kind) {
            (
                StmtKind::Assign {
                    lhs,
                    rhs,
                    tok: TokenKind::Assign | TokenKind::Define,
                    ..
                },
                WriteKind::Assign,
            ) => {
                let i = f[lhs].iter().position(|&l| l == w.target)?;
                multi_value(&f[lhs], &f[rhs], i)
            }
            _ => None,
        })
        .next_back()
}

/// The right-hand side that gives the `i`th left-hand side its value, and the index of that
/// value among the right-hand side's results (`v, err = newT()` gives `v` result 0).
fn multi_value(lhs: &[ExprId], rhs: &[ExprId], i: usize) -> Option<(ExprId, usize)> {
    if lhs.len() == rhs.len() {
        Some((rhs[i], 0))
    } else if rhs.len() == 1 {
        Some((rhs[0], i))
    } else {
        None
    }
}

/// What the declaration of the variable `value` names gives it.
fn declared_source(cx: &PackageCx<'_>, file: usize, value: ExprId) -> Option<(ExprId, usize)> {
    let f = cx.files[file].ast;
    let ExprKind::Ident(id) = f[unparen(f, value)].kind else {
        return None;
    };
    let d = cx.scopes().binding(file, id)?;
    if let Some((df, Declared::Value(v))) = declared(cx, d) {
        return (df == file).then_some((v, 0));
    }
    let def = cx.scopes().def(d);
    let (Some(df), DeclSite::Define { stmt, index }) = (def.file, def.site) else {
        return None;
    };
    if df as usize != file {
        return None;
    }
    match &f[stmt].kind {
        StmtKind::Assign { lhs, rhs, .. } => multi_value(&f[lhs], &f[rhs], index as usize),
        _ => None,
    }
}

/// The type of result `index` of `e` (a multi-value call), or of `e`.
fn result_type(
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    e: ExprId,
    index: usize,
) -> TypeId {
    let t = prog.type_of(pkg, file, e);
    match prog.types.get(t) {
        Type::Tuple(ts) => ts.get(index).copied().unwrap_or(UNKNOWN),
        _ => t,
    }
}

/// Whether `key` is a `reflect.Type`: a map keyed by types is a cache of what reflection
/// computes about each type, the same whichever goroutine computes it.
fn is_type_key(prog: &mut Program<'_>, pkg: PkgIdx, file: usize, key: ExprId) -> bool {
    let t = prog.type_of(pkg, file, key);
    if prog.is_named(t, "reflect", "Type") {
        return true;
    }
    // A struct of types (`decoderCacheKey{dt, st}`, a conversion's source and target).
    let u = prog.underlying(t);
    match prog.types.get(u).clone() {
        Type::Struct(fields) => {
            !fields.is_empty()
                && fields
                    .iter()
                    .all(|fl| prog.is_named(fl.ty, "reflect", "Type"))
        }
        _ => false,
    }
}

/// Whether values of type `t` (or what it points to) hold mutable state: a lock, a wait
/// group, an atomic, a map, a slice or a channel, or are one, or a pointer to an integer.
fn has_mutable_state(prog: &mut Program<'_>, t: TypeId) -> bool {
    let pointer = matches!(prog.types.get(t), Type::Pointer(_));
    if prog.is_atomic(t) || prog.is_lock(t) || prog.is_wait_group(t) {
        return true;
    }
    let t = prog.deref_type(t);
    let u = prog.underlying(t);
    match prog.types.get(u).clone() {
        Type::Map(..) | Type::Slice(..) | Type::Chan(..) => true,
        // A pointer to an integer (`new(int64)`): a counter cell, shared to be added to.
        Type::Basic(k) => pointer && k.is_integer(),
        Type::Struct(fields) => fields.iter().any(|fl| {
            if prog.is_lock(fl.ty) || prog.is_wait_group(fl.ty) || prog.is_atomic(fl.ty) {
                return true;
            }
            let fu = prog.underlying(fl.ty);
            matches!(
                prog.types.get(fu),
                Type::Map(..) | Type::Slice(..) | Type::Chan(..)
            )
        }),
        _ => false,
    }
}

/// Whether the struct `t` points to (or is) is never modified once made: a type of this
/// package, unexported or with unexported fields only (other packages cannot reach them),
/// with no lock, wait group, atomic or channel among its fields, and no field of whose name
/// any file of the package assigns, increments, deletes from or appends to (`x.f = v`,
/// `x.f[k] = v`, `x.f.g++`, `delete(x.f, k)`), whatever `x` is. A value of such a type,
/// made when a key is missing, is a memoized description: two goroutines making one each
/// hold equivalent values (a compiled pattern with its table of names). Names are matched
/// across types, so a field name shared with a modified field of another type keeps the
/// value an object with identity.
fn never_modified(cx: &PackageCx<'_>, prog: &mut Program<'_>, pkg: PkgIdx, t: TypeId) -> bool {
    let t = prog.deref_type(t);
    let Type::Named(named) = prog.types.get(t).clone() else {
        return false;
    };
    if named.obj.is_none() || !named.args.is_empty() {
        return false;
    }
    let same_package = *named.path == *prog.path(pkg);
    let u = prog.underlying(t);
    let Type::Struct(fields) = prog.types.get(u).clone() else {
        return false;
    };
    let exported = |n: &str| n.starts_with(|c: char| c.is_uppercase());
    if !same_package || (exported(&named.name) && fields.iter().any(|fl| exported(&fl.name))) {
        return false;
    }
    for fl in fields.iter() {
        if prog.is_lock(fl.ty) || prog.is_wait_group(fl.ty) || prog.is_atomic(fl.ty) {
            return false;
        }
        let fu = prog.underlying(fl.ty);
        if matches!(prog.types.get(fu), Type::Chan(..)) {
            return false;
        }
    }
    let names: HashSet<&str> = fields.iter().map(|fl| &*fl.name).collect();
    !(0..cx.files.len()).any(|fi| modifies_field_named(cx, fi, &names))
}

/// Whether file `fi` assigns, increments, deletes from or appends to a selector (or what one
/// leads to) naming one of `names`.
fn modifies_field_named(cx: &PackageCx<'_>, fi: usize, names: &HashSet<&str>) -> bool {
    let f = cx.files[fi].ast;
    let names_one = |mut e: ExprId| {
        for _ in 0..64 {
            match f[e].kind {
                ExprKind::Paren { x } | ExprKind::Star { x } => e = x,
                ExprKind::Index { x, .. } | ExprKind::IndexList { x, .. } => e = x,
                ExprKind::Slice { x, .. } => e = x,
                ExprKind::Selector { x, sel } => {
                    if names.contains(f.ident_name(sel)) {
                        return true;
                    }
                    e = x;
                }
                _ => return false,
            }
        }
        true
    };
    f.stmts.iter().any(|st| match st.kind {
        StmtKind::Assign { lhs, tok, .. } if tok != TokenKind::Define => {
            f[lhs].iter().any(|&x| names_one(x))
        }
        StmtKind::IncDec { x, .. } => names_one(x),
        _ => false,
    }) || f.exprs.iter().any(|e| match e.kind {
        ExprKind::Call { fun, args, .. } => {
            is_builtin(cx, fi, fun, "delete") && f[args].first().is_some_and(|&m| names_one(m))
        }
        _ => false,
    })
}

/// Whether values of type `t` are resources their owner must close: a named type, or a
/// pointer to one, with a `Close` method (a connection, a file, a client), or an interface
/// with one (`net.Conn`, `io.ReadCloser`).
fn is_closer(prog: &mut Program<'_>, t: TypeId) -> bool {
    let named = matches!(prog.types.get(prog.deref_type(t)), Type::Named(_));
    named && prog.has_method(t, "Close") == Some(true)
}

/// Whether expression `v` contains the source text of `map` (`len(s.fields)`).
fn mentions_text(cx: &PackageCx<'_>, file: usize, v: ExprId, map: ExprId) -> bool {
    let f = cx.files[file].ast;
    let m = cx.text(file, f[map].span);
    let mut found = false;
    preorder(f, &[Node::Expr(v)], |n| {
        if let Node::Expr(e) = n {
            if cx.text(file, f[e].span) == m {
                found = true;
            }
        }
        !found
    });
    found
}

/// Whether `v` creates a new object: `&T{...}`, `new(T)`, `make(...)`, or a call of a
/// constructor by Go's naming convention (`newConn(...)`, `pkg.NewClient(...)`).
fn is_fresh_object(cx: &PackageCx<'_>, file: usize, v: ExprId) -> bool {
    let f = cx.files[file].ast;
    match &f[unparen(f, v)].kind {
        ExprKind::Unary {
            op: TokenKind::And,
            x,
        } => matches!(f[unparen(f, *x)].kind, ExprKind::CompositeLit { .. }),
        ExprKind::Call { fun, .. } => {
            if is_builtin(cx, file, *fun, "new") || is_builtin(cx, file, *fun, "make") {
                return true;
            }
            let name = match f[unparen(f, *fun)].kind {
                ExprKind::Ident(id) => f.ident_name(id),
                ExprKind::Selector { sel, .. } => f.ident_name(sel),
                _ => return false,
            };
            name.strip_prefix("new")
                .or_else(|| name.strip_prefix("New"))
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
        }
        _ => false,
    }
}

/// Whether values of type `t` are plain values without identity (numbers, strings,
/// booleans, functions).
fn is_memo_value(prog: &mut Program<'_>, t: TypeId) -> bool {
    let u = prog.underlying(t);
    match prog.types.get(u).clone() {
        Type::Basic(_) | Type::Func(_) => true,
        Type::Slice(e) | Type::Array(_, e) => {
            let eu = prog.underlying(e);
            matches!(prog.types.get(eu), Type::Basic(_))
        }
        _ => false,
    }
}

/// Whether some lock is held from offset `from` to offset `to` without being released in
/// between.
fn one_section(sections: &LockSections, from: u32, to: u32) -> bool {
    sections.locks_held_at(from).into_iter().any(|l| {
        sections
            .first_release_after(l, from)
            .is_none_or(|e| e.at >= to)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::function_bodies;
    use crate::access::tests::{broken_copies, goroot_and_fixture_sources};

    /// The site filter may only skip bodies whose walks find nothing: on every GOROOT file,
    /// broken copies of each, and every fixture, a body it turns down has no `Load(k)` call
    /// and no assignment of an index expression of its own.
    #[test]
    fn bodies_the_site_filter_skips_have_nothing_to_walk_for() {
        let (mut loads, mut reads, mut skipped) = (0usize, 0usize, 0usize);
        for (name, src) in goroot_and_fixture_sources() {
            let mut variants = broken_copies(&src);
            variants.push(src);
            for src in variants {
                let (f, _) = racelens_syntax::parse(&src);
                let sites = Sites::new(&f, true, true);
                for (_, body) in function_bodies(&f) {
                    let (may_load, may_read) = sites.in_body(&f, body);
                    let found_loads = !sync_map_calls(&f, body).loads.is_empty();
                    let found_reads = !map_reads(&f, body).0.is_empty();
                    assert!(may_load || !found_loads, "{name}: a Load in a skipped body");
                    assert!(may_read || !found_reads, "{name}: a read in a skipped body");
                    loads += usize::from(found_loads);
                    reads += usize::from(found_reads);
                    skipped += usize::from(!may_load) + usize::from(!may_read);
                }
            }
        }
        // The comparison covers bodies with something to find, and many it skips.
        assert!(loads > 1_000, "{loads} bodies with loads");
        assert!(reads > 10_000, "{reads} bodies with reads");
        assert!(skipped > 100_000, "{skipped} walks skipped");
    }
}
