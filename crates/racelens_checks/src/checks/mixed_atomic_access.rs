//! `mixed-atomic-access`: a variable or field updated with `sync/atomic` functions in one
//! place and read or written plainly in another.

use crate::goroutine_race::location;
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_model::{AccessIx, FuncIx, Invocation, LockSet, Model, Place, PlaceId, SpawnIx};
use racelens_semantic::scope::FxMap as HashMap;
use racelens_semantic::types::{Obj, Program};
use racelens_semantic::{DefId, DefKind, FuncRef};
use racelens_syntax::ast::{DeclKind, ExprKind, IdentId, StmtKind};
use racelens_syntax::walk::Node;
use std::collections::{BTreeMap, BTreeSet, HashSet};

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "mixed-atomic-access",
        category: Category::Correctness,
        summary: "A variable updated with `sync/atomic` is also read or written without it.",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.2.0",
    needs_types: true,
    run: Some(run),
};

const DOCS: &str = r#"## What it does

Reports a plain read or write of a variable or struct field that other code of the package
accesses with the functions of `sync/atomic` (`atomic.AddInt64(&s.n, 1)`,
`atomic.LoadInt32(&ready)`, ...). The report points at the plain access and names an atomic
one.

## Why is this bad?

Atomic operations only order memory against other atomic operations on the same variable. A
plain `return s.n` next to `atomic.AddInt64(&s.n, 1)` is a data race: the reader may see a
torn or stale value, and the compiler may keep the value in a register or hoist the load out
of a loop. Worse, the race detector does not see it when the plain access happens to be
ordered by something else in the test run, so such code passes `go test -race` for months.

## Example

```go
package p

import "sync/atomic"

type Stats struct {
	requests int64
}

func (s *Stats) Request() {
	atomic.AddInt64(&s.requests, 1)
}

func (s *Stats) Requests() int64 {
	return s.requests
}
```

## Use instead

```go
package p

import "sync/atomic"

type Stats struct {
	requests atomic.Int64
}

func (s *Stats) Request() {
	s.requests.Add(1)
}

func (s *Stats) Requests() int64 {
	return s.requests.Load()
}
```

The typed atomics of Go 1.19 (`atomic.Int64`, `atomic.Bool`, `atomic.Pointer[T]`, ...) cannot
be accessed plainly at all, which makes this bug impossible.

## Known limitations

Precision first: the check stays silent wherever the plain access is plausibly ordered with
the atomic ones by something it cannot see. Deliberately not reported:

- plain accesses in functions whose doc comment says they must not run concurrently with
  the others ("not safe to execute concurrently with other L methods", "not safe for
  concurrent use", "not thread-safe"): their callers order them;
- plain accesses in test files, in constructors and initialisers (free functions named
  `New...` or `new...`; functions and methods named `init` or `Init`, alone or followed by a
  new word such as `initLocked` or `Init2`, but not `Initialized` or `initiate`; unexported
  `reset...` methods; builder methods named `With...` whose every `return` returns the
  receiver, chained on a constructor; functional options, functions named `With...` and
  the literals they return),
  through a local variable holding a value the function just made (`s := &span{}; s.flag =
  1`), also in a literal the function calls or defers (`defer func() { use(s.size) }()`) when
  it starts no goroutine, and in a functional option (a returned literal writing through its
  own parameter, `return func(t *Tracer) { t.noop = 1 }`);
- plain accesses through the receiver of an unexported method that every caller of the
  package runs on a value it just made, before it starts any goroutine (the recovery step of
  an `Open` function), or that only initialisers call;
- plain accesses under a lock that every conflicting atomic access also holds, and under any
  lock when every conflicting atomic access holds some lock too (a protocol of the package's
  own; the atomic side may take the lock in a caller the check does not see). The locks of an
  unexported helper's callers count, ignoring callers in test files. A plain access under a
  lock is still reported when an atomic access of the value is made without any lock;
- on fields that one function of the package accesses atomically on one value and plainly
  on another (`o.v = atomic.SwapUint64(&g.v, 0)`, a checkpoint copy; `n := s.w -
  atomic.LoadInt32(&old.w)`), plain accesses through a local variable, range variable or
  parameter anywhere in the package: the type has private values, and such a variable may
  hold one. Accesses through a receiver are still reported, so a method that reads a
  checkpoint copy through its receiver (`func (g *gauge) Value() uint64 { return g.v }`)
  is reported even when it is only ever called on copies;
- functions that call a function of the package without a body (implemented by the runtime
  or in assembly) whose name says it synchronises (`runtime_Semacquire`,
  `runtime_notifyListWait`, `runtime_procPin`, `runtime_LoadAcquintptr`,
  `runtime_registerPoolCleanup`), and functions handed to any function without a body: they
  synchronise through means the check does not see (semaphores, a stopped world). A call of
  another function without a body (a clock such as `nanotime`) orders nothing;
- plain accesses with a comment right above that exempts them from atomics ("no need for an
  atomic read, we hold the write lock", "safe without atomics", "non-atomic", "doesn't need
  to be atomic"), unless it is a `TODO`, `FIXME` or `XXX`. A comment that only mentions
  atomics ("`n` is incremented atomically by `Add`") exempts nothing;
- plain reads in a function that compare-and-swaps the same variable (the optimistic read of
  a lock-free loop), `_ = x.f`, and a local variable unless the plain access runs while a
  goroutine that updates it atomically may still run (a read after `wg.Wait()` is ordered
  by the wait).

Also not seen: atomic updates in another package of the module; values reached through
pointers other than a variable or a field (`*p`, slice elements). Fields are otherwise told
apart by type, not by object: an atomic update of one value and a plain read of another value
of the same type are reported as mixed unless a rule above applies.
"#;

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    if !crate::gates::may_use_atomics(cx) {
        return;
    }
    let Some(m) = cx.model() else {
        return;
    };
    // Only places accessed atomically somewhere can be reported: the others are not grouped.
    let mut atomic_places: Vec<PlaceId> = m
        .accesses
        .iter()
        .filter(|a| a.kind.is_atomic())
        .map(|a| a.place)
        .collect();
    atomic_places.sort_unstable();
    atomic_places.dedup();
    let mut by_place: BTreeMap<PlaceId, (Vec<AccessIx>, Vec<AccessIx>)> = BTreeMap::new();
    for (i, a) in m.accesses.iter().enumerate() {
        if atomic_places.binary_search(&a.place).is_err() {
            continue;
        }
        let entry = by_place.entry(a.place).or_default();
        if a.kind.is_atomic() {
            entry.0.push(AccessIx(i as u32));
        } else {
            entry.1.push(AccessIx(i as u32));
        }
    }
    let Some((mut prog, pkg)) = cx.types() else {
        return;
    };
    // What each goroutine runs and what overlaps it, computed once for all local variables.
    let mut goroutines: Option<Vec<Goroutine>> = None;
    // What orders plain accesses without a lock, computed once when a candidate needs it.
    let mut facts: Option<Facts> = None;
    for (place, (atomic, plain)) in by_place {
        if atomic.is_empty() || plain.is_empty() || typed_atomic(&mut prog, pkg, m, place) {
            continue;
        }
        let atomic_writes = atomic.iter().any(|&a| m.access(a).kind.is_write());
        let local = matches!(m.place(place), Place::Var(d) if cx.scopes().def(*d).kind != DefKind::PackageVar);
        let mut found: Vec<AccessIx> = Vec::new();
        // The distinct locksets of the atomic accesses a plain write conflicts with (all of
        // them), and of those a plain read does (the writes), found once per variable.
        let mut conflicting_sets: [Option<Vec<LockSet>>; 2] = [None, None];
        let mut swapping: Option<HashSet<FuncIx>> = None;
        for &a in &plain {
            let acc = m.access(a);
            if !atomic_writes && !acc.kind.is_write() {
                continue;
            }
            let func = m.func(acc.func);
            let file = func.file as usize;
            if cx.files[file].path.ends_with("_test.go")
                || is_initialiser(m, acc.func)
                || is_builder(cx, m, acc.func)
                || m.is_owned(a)
            {
                continue;
            }
            if blank_read(cx, file, acc.span)
                || optimistic_read(m, a, &mut swapping, || swappers(cx, m, &atomic))
                || documented(cx, file, acc.span)
                || disclaims_concurrency(cx, m, acc.func)
            {
                continue;
            }
            let facts = facts.get_or_insert_with(|| Facts::new(cx, m));
            if (facts.split.contains(&place) && private_root(cx, acc)) || facts.sequenced(cx, m, a)
            {
                continue;
            }
            // Only conflicting pairs matter: a plain read against atomic writes, a plain
            // write against every atomic access.
            let held = acc
                .locks
                .union(&m.effective_entry(acc.func))
                .union(&facts.entry_in_package(m, acc.func));
            let conflicting =
                conflicting_sets[acc.kind.is_write() as usize].get_or_insert_with(|| {
                    let mut sets: Vec<LockSet> = Vec::new();
                    for &b in &atomic {
                        let other = m.access(b);
                        if !acc.kind.is_write() && !other.kind.is_write() {
                            continue;
                        }
                        let set = other
                            .locks
                            .union(&m.effective_entry(other.func))
                            .union(&facts.entry_in_package(m, other.func));
                        if !sets.contains(&set) {
                            sets.push(set);
                        }
                    }
                    sets
                });
            let ordered_by_lock = conflicting.iter().all(|l| held.excludes(l));
            // A plain access under some lock, against atomic accesses that all hold some
            // lock too, follows a protocol of its author's (the atomic side may hold the
            // same lock in a caller the model does not see). An atomic access under no lock
            // at all is lock-free by design, and no lock of the plain side orders it.
            let lock_free = conflicting.iter().any(|l| l.is_empty());
            if ordered_by_lock || (!held.is_empty() && !lock_free) {
                continue;
            }
            let goroutines = goroutines.get_or_insert_with(|| goroutines_of(m));
            if local && !overlaps_atomic_goroutine(goroutines, a, &atomic) {
                continue;
            }
            found.push(a);
        }
        // One report per variable: the first plain access, the others as related.
        let Some((&a, rest)) = found.split_first() else {
            continue;
        };
        let acc = m.access(a);
        let file = m.access_file(a) as usize;
        let other = atomic
            .iter()
            .copied()
            .find(|&b| m.access(b).kind.is_write())
            .unwrap_or(atomic[0]);
        let text = cx.text(file, acc.span);
        let how = if acc.kind.is_write() {
            "written"
        } else {
            "read"
        };
        let verb = if atomic_writes { "updated" } else { "read" };
        let mut d = Diagnostic::new(
                CHECK.info.name,
                CHECK.info.category,
                format!(
                    "`{text}` is {verb} with `sync/atomic` elsewhere but {how} here without it"
                ),
                location(cx, m, a),
            )
            .with_related("atomic access here", location(cx, m, other))
            .with_help(
                "access it only through `sync/atomic`, or make it a typed atomic such as `atomic.Int64`",
            );
        for &b in rest.iter().take(3) {
            d = d.with_related(
                "also accessed without `sync/atomic` here",
                location(cx, m, b),
            );
        }
        out.push(d);
    }
}

/// Whether the place is itself a typed atomic (`atomic.Int64`, ...), whose methods are the
/// atomic accesses.
fn typed_atomic(
    prog: &mut Program<'_>,
    pkg: racelens_semantic::types::PkgIdx,
    m: &Model,
    place: PlaceId,
) -> bool {
    let t = match m.place(place) {
        Place::Var(d) => prog.def_type(Obj { pkg, def: *d }),
        Place::Field { owner, name } => {
            let mut t = *owner;
            for part in name.split('.') {
                match prog.lookup(t, part) {
                    Some(found) => t = found.ty,
                    None => return true,
                }
            }
            t
        }
    };
    prog.is_unknown(t) || prog.is_atomic(t)
}

/// A constructor or initialiser: the value it touches is not shared yet. Constructors are
/// free functions named `New...`/`new...`; initialisers are named `init`, `Init` or either
/// followed by a new word (`initLocked`, `Init2`, `init_state`), but not `Initialized` or
/// `initiate`; unexported methods named `reset...` reset their value before reuse.
fn is_initialiser(m: &Model, f: racelens_model::FuncIx) -> bool {
    let outer = m.func(m.outermost(f));
    let name = outer.short_name();
    let constructor = outer.recv.is_none() && (name.starts_with("New") || name.starts_with("new"));
    let init = ["init", "Init"].iter().any(|p| {
        name.strip_prefix(p).is_some_and(|rest| {
            rest.chars()
                .next()
                .is_none_or(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
    });
    let reset = outer.recv.is_some() && name.starts_with("reset");
    constructor || init || reset
}

/// A builder method chained on a constructor (`NewRate(d).WithResolution(n)`): a method
/// named `With...` whose every `return` returns its receiver; or a functional option, a
/// function named `With...` (and the literals in it). Either configures a value that is not
/// shared yet.
fn is_builder(cx: &PackageCx<'_>, m: &Model, f: racelens_model::FuncIx) -> bool {
    let outer = m.func(m.outermost(f));
    let FuncRef::Decl(d) = outer.func else {
        return false;
    };
    if !crate::model_facts::is_with_setter(outer.short_name()) {
        return false;
    }
    // A functional option (`WithNoRetransmit(c *Client)`, or the literal that
    // `WithRTO(d) ClientOption` returns), which the constructor applies.
    if outer.recv.is_none() {
        return true;
    }
    let file = outer.file as usize;
    let ast = cx.files[file].ast;
    let Some(recv) = crate::model_facts::receiver_def(cx, file, d) else {
        return false;
    };
    let DeclKind::Func {
        body: Some(body), ..
    } = ast[d].kind
    else {
        return false;
    };
    let mut returns = 0;
    let mut all_receiver = true;
    // The method's own returns, not those of the literals in it.
    racelens_syntax::walk::preorder(ast, &[Node::Stmt(body)], |n| match n {
        Node::Expr(e) => !matches!(ast[e].kind, ExprKind::FuncLit { .. }),
        Node::Stmt(st) => {
            if let StmtKind::Return { results } = &ast[st].kind {
                returns += 1;
                let r = &ast[*results];
                all_receiver &= r.len() == 1
                    && matches!(ast[ast.unparen(r[0])].kind,
                        ExprKind::Ident(id) if cx.scopes().binding(file, id) == Some(recv));
            }
            true
        }
        _ => true,
    });
    returns > 0 && all_receiver
}

/// `_ = x.f`: a read made on purpose for its side effect (a nil check, or a hint to the race
/// detector), not for its value.
fn blank_read(cx: &PackageCx<'_>, file: usize, span: racelens_syntax::ast::Span) -> bool {
    let src: &[u8] = &cx.files[file].ast.source;
    let start = (span.start as usize).min(src.len());
    let line_start = src[..start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    src[line_start..start]
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .copied()
        .eq(*b"_=")
}

/// A plain access its author exempts: a comment in the comment block right above its line
/// that says the access needs no atomic ("no need for an atomic read, we have exclusive
/// access", "safe without atomics", "non-atomic"). A comment that merely mentions atomics
/// ("`n` is incremented atomically by `Add`") describes the field, not this access, and a
/// comment that marks work to do (`TODO`, `FIXME`, `XXX`) explains nothing.
fn documented(cx: &PackageCx<'_>, file: usize, span: racelens_syntax::ast::Span) -> bool {
    let text = comment_above(cx, file, span);
    exempts_atomic(&text) && !["todo", "fixme", "xxx"].iter().any(|w| text.contains(w))
}

/// The comment lines right above the line of `span` in file `file`, up to a blank or code
/// line, as one lower-cased line of words (so that a phrase broken over two comment lines
/// still matches).
fn comment_above(cx: &PackageCx<'_>, file: usize, span: racelens_syntax::ast::Span) -> String {
    let src = &cx.files[file].ast.source;
    let start = (span.start as usize).min(src.len());
    let line_start = src[..start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let mut comments: Vec<&[u8]> = Vec::new();
    let mut end = line_start;
    while end > 0 {
        let prev_start = src[..end - 1]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = src[prev_start..end - 1].trim_ascii();
        if !line.starts_with(b"//") {
            break;
        }
        let slashes = line.iter().take_while(|&&b| b == b'/').count();
        comments.push(&line[slashes..]);
        end = prev_start;
    }
    comments.reverse();
    let text = String::from_utf8_lossy(&comments.join(&b' '))
        .to_lowercase()
        .replace('\u{2019}', "'");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the function that makes access `f`'s accesses (the declaration around a literal)
/// says in its doc comment that it must not run concurrently with the others ("not safe to
/// execute concurrently", "not safe for concurrent use", "not goroutine-safe", "not
/// thread-safe"): its callers order it.
fn disclaims_concurrency(cx: &PackageCx<'_>, m: &Model, f: racelens_model::FuncIx) -> bool {
    let outer = m.func(m.outermost(f));
    let FuncRef::Decl(_) = outer.func else {
        return false;
    };
    let text = comment_above(cx, outer.file as usize, outer.span);
    let unsafe_phrase = [
        "not safe",
        "unsafe for",
        "unsafe to",
        "not thread-safe",
        "not thread safe",
        "not goroutine-safe",
        "not goroutine safe",
        "not concurrency-safe",
        "must not be called",
        "must not run",
    ]
    .iter()
    .any(|p| text.contains(p));
    let concurrent = ["concurren", "goroutine", "thread", "parallel"]
        .iter()
        .any(|p| text.contains(p));
    unsafe_phrase && concurrent
}

fn exempts_atomic(text: &str) -> bool {
    const PHRASES: &[&str] = &[
        "non-atomic",
        "nonatomic",
        "non atomic",
        "not atomic",
        "without atomic",
        "safe without",
        "no atomic",
        "need not be atomic",
        "needn't be atomic",
    ];
    // "no need for an atomic read", "does not need to be atomic", "don't need atomics".
    const NEGATIONS: &[&str] = &[
        "no need",
        "not need",
        "n't need",
        "not necessary",
        "unnecessary",
    ];
    if PHRASES.iter().any(|p| text.contains(p)) {
        return true;
    }
    NEGATIONS.iter().any(|n| {
        text.match_indices(n).any(|(i, _)| {
            // The atomic it waives follows within a few words.
            let rest = &text[i + n.len()..];
            rest.split(' ').filter(|w| !w.is_empty()).take(5).any(|w| {
                w.trim_start_matches(|c: char| !c.is_alphanumeric())
                    .starts_with("atomic")
            })
        })
    })
}

/// A plain read in a function that compare-and-swaps the same variable: the optimistic
/// read of a lock-free update loop, validated by the swap. `swapping` holds the functions
/// (outermost) that compare-and-swap the variable, made by `swappers` when first needed.
fn optimistic_read(
    m: &Model,
    a: AccessIx,
    swapping: &mut Option<HashSet<FuncIx>>,
    swappers: impl FnOnce() -> HashSet<FuncIx>,
) -> bool {
    let acc = m.access(a);
    !acc.kind.is_write()
        && swapping
            .get_or_insert_with(swappers)
            .contains(&m.outermost(acc.func))
}

/// The functions (outermost) among the atomic accesses `atomic` of a variable that
/// compare-and-swap it.
fn swappers(cx: &PackageCx<'_>, m: &Model, atomic: &[AccessIx]) -> HashSet<FuncIx> {
    atomic
        .iter()
        .map(|&b| m.access(b))
        .filter(|other| {
            let file = m.func(other.func).file as usize;
            cx.text(file, other.span).contains("CompareAndSwap")
        })
        .map(|other| m.outermost(other.func))
        .collect()
}

/// A goroutine start: the accesses the goroutine runs, whether it runs alongside other
/// instances of itself, and the spawner's accesses that overlap it.
struct Goroutine {
    runs: Vec<AccessIx>,
    self_concurrent: bool,
    overlapping: Vec<AccessIx>,
}

fn goroutines_of(m: &Model) -> Vec<Goroutine> {
    // Only which accesses run matters here, not the locks and calls leading to them.
    (0..m.spawns.len())
        .map(|s| {
            let s = SpawnIx(s as u32);
            Goroutine {
                runs: m.spawns[s.index()]
                    .targets
                    .iter()
                    .flat_map(|&t| m.accesses_at(t, &|_| true))
                    .collect(),
                self_concurrent: m.self_concurrent(s),
                overlapping: m.overlapping_accesses_in_spawner(s),
            }
        })
        .collect()
}

/// Whether a function without a body synchronises by its name: the runtime's semaphores,
/// notify lists, pinning and acquire/release loads of package `sync` (`runtime_Semacquire`,
/// `runtime_notifyListWait`, `runtime_procPin`, `runtime_LoadAcquintptr`) or a callback
/// registry (`runtime_registerPoolCleanup`). A clock (`nanotime`) or a hash orders nothing.
fn synchronises(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "sem",
        "notifylist",
        "procpin",
        "procunpin",
        "loadacq",
        "storerel",
        "acquire",
        "release",
        "cleanup",
        "stoptheworld",
        "barrier",
    ];
    let name = name.to_ascii_lowercase();
    WORDS.iter().any(|w| name.contains(w))
}

/// Whether plain access `a` may run while a goroutine that accesses the variable atomically
/// runs (the goroutine's own accesses count when it runs alongside itself).
fn overlaps_atomic_goroutine(goroutines: &[Goroutine], a: AccessIx, atomic: &[AccessIx]) -> bool {
    goroutines.iter().any(|g| {
        g.runs.iter().any(|x| atomic.contains(x))
            && ((g.self_concurrent && g.runs.contains(&a)) || g.overlapping.contains(&a))
    })
}

/// Package-wide facts about what orders a plain access with the atomic ones without a lock.
struct Facts {
    /// Fields the package accesses atomically on one value and plainly on another within one
    /// function (`o.v = atomic.SwapUint64(&g.v, 0)`, a checkpoint; `d := s.n -
    /// atomic.LoadInt32(&old.n)`): the type has private values, which a plain access
    /// elsewhere may well be on, and which the check cannot tell apart.
    split: BTreeSet<PlaceId>,
    /// Per function (outermost): it calls a function without a body of the package (one
    /// implemented by the runtime or in assembly) that synchronises by its name, or it is
    /// handed to any function without a body.
    runtime: Vec<bool>,
    /// Per function: an unexported method whose callers only run it on a value they just
    /// made, before they start any goroutine (or that only initialisers call).
    pre_publish: Vec<bool>,
    /// Per function: it is in a test file.
    test: Vec<bool>,
    /// The functions (outermost) that start goroutines.
    spawners: HashSet<FuncIx>,
}

impl Facts {
    fn new(cx: &PackageCx<'_>, m: &Model) -> Facts {
        let test: Vec<bool> = m
            .funcs
            .iter()
            .map(|f| cx.files[f.file as usize].path.ends_with("_test.go"))
            .collect();
        // Declared functions by their name's identifier, and those without a body (implemented
        // by the runtime or in assembly), noting which of these synchronise by their name.
        let mut by_name: HashMap<(u32, IdentId), FuncIx> = HashMap::default();
        let mut bodyless = vec![false; m.funcs.len()];
        let mut synchronising = vec![false; m.funcs.len()];
        for (i, f) in m.funcs.iter().enumerate() {
            if let FuncRef::Decl(d) = f.func {
                let file = cx.files[f.file as usize].ast;
                if let DeclKind::Func { name, body, .. } = &file[d].kind {
                    by_name.insert((f.file, *name), FuncIx(i as u32));
                    bodyless[i] = body.is_none();
                    synchronising[i] = body.is_none() && synchronises(file.ident_name(*name));
                }
            }
        }
        let mut runtime = vec![false; m.funcs.len()];
        for (i, f) in m.funcs.iter().enumerate() {
            let caller = FuncIx(i as u32);
            for c in &f.calls {
                if !c.callees.iter().any(|g| bodyless[g.index()]) {
                    continue;
                }
                if c.callees.iter().any(|g| synchronising[g.index()]) {
                    runtime[m.outermost(caller).index()] = true;
                }
                // A function handed to the runtime (`runtime_registerPoolCleanup(cleanup)`)
                // runs when the runtime decides, typically with the world stopped.
                let file = cx.files[f.file as usize].ast;
                let ExprKind::Call { args, .. } = &file[c.expr].kind else {
                    continue;
                };
                for &arg in file[args].iter() {
                    if let ExprKind::Ident(id) = file[file.unparen(arg)].kind {
                        let def = cx
                            .scopes()
                            .binding(f.file as usize, id)
                            .map(|d| cx.scopes().def(d));
                        if let Some((Some(df), Some(di))) = def.map(|d| (d.file, d.ident)) {
                            if let Some(&g) = by_name.get(&(df, di)) {
                                runtime[g.index()] = true;
                            }
                        }
                    }
                }
            }
        }
        let split = split_fields(m);
        let mut facts = Facts {
            split,
            runtime,
            pre_publish: vec![false; m.funcs.len()],
            test,
            spawners: m.spawns.iter().map(|s| m.outermost(s.func)).collect(),
        };
        // Methods run before publication, found in a few rounds as such methods call others.
        for _ in 0..4 {
            let mut changed = false;
            for i in 0..m.funcs.len() {
                let f = FuncIx(i as u32);
                if facts.pre_publish[i] || !facts.publishes_late(cx, m, f) {
                    continue;
                }
                facts.pre_publish[i] = true;
                changed = true;
            }
            if !changed {
                break;
            }
        }
        facts
    }

    /// Whether every call of unexported method `f` in the package runs it on a value not
    /// shared yet: an initialiser's, a value its caller just made before starting any
    /// goroutine, or the receiver of a method that is itself run so.
    fn publishes_late(&self, cx: &PackageCx<'_>, m: &Model, f: FuncIx) -> bool {
        let func = m.func(f);
        if func.how != Invocation::Decl || func.exported || func.escapes || func.recv.is_none() {
            return false;
        }
        let sites = m
            .callers
            .get(&f)
            .into_iter()
            .flatten()
            .map(|&(caller, _)| caller)
            .filter(|c| !self.test[c.index()])
            .collect::<Vec<_>>();
        !sites.is_empty()
            && sites.iter().all(|&caller| {
                let outer = m.outermost(caller);
                if outer == f {
                    return true;
                }
                if is_initialiser(m, caller) {
                    return true;
                }
                let file = cx.files[m.func(caller).file as usize].ast;
                m.func(caller)
                    .calls
                    .iter()
                    .filter(|c| c.callees.contains(&f))
                    .all(|c| {
                        let ExprKind::Call { fun, .. } = file[c.expr].kind else {
                            return false;
                        };
                        let ExprKind::Selector { x, .. } = file[file.unparen(fun)].kind else {
                            return false;
                        };
                        let ExprKind::Ident(id) = file[file.unparen(x)].kind else {
                            return false;
                        };
                        let Some(d) = cx.scopes().binding(m.func(caller).file as usize, id) else {
                            return false;
                        };
                        if self.pre_publish[outer.index()]
                            && cx.scopes().def(d).kind == DefKind::Receiver
                        {
                            return true;
                        }
                        // The caller's own value, before any goroutine of the caller starts.
                        caller == outer
                            && m.fresh.contains(&d)
                            && m.spawns.iter().all(|s| {
                                m.outermost(s.func) != outer
                                    || (s.span.start > c.span.start
                                        && !s.loop_span.is_some_and(|l| {
                                            l.start <= c.span.start && c.span.end <= l.end
                                        }))
                            })
                    })
            })
    }

    /// The locks every caller in the package's non-test files holds when the unexported
    /// function around `f` runs (tests call helpers without their lock, on values no other
    /// goroutine sees).
    fn entry_in_package(&self, m: &Model, f: FuncIx) -> LockSet {
        m.callers_entry(f, |c| !self.test[c.index()])
    }

    /// Whether plain access `a` is ordered before or after every atomic access of its value
    /// by the way its function runs.
    fn sequenced(&self, cx: &PackageCx<'_>, m: &Model, a: AccessIx) -> bool {
        let acc = m.access(a);
        let outer = m.outermost(acc.func);
        if self.runtime[outer.index()] {
            return true;
        }
        let Some(root) = acc.root else {
            return false;
        };
        let def = cx.scopes().def(root);
        // A method run only before its value is published, through its receiver.
        if self.pre_publish[outer.index()]
            && def.kind == DefKind::Receiver
            && def.func == Some(m.func(outer).func)
        {
            return true;
        }
        let file = cx.files[m.func(acc.func).file as usize].ast;
        let parents = cx.parents(m.func(acc.func).file as usize);
        // A functional option: a literal returned by its function, writing through its own
        // parameter, configures a value before it is built.
        if let FuncRef::Lit(lit) = m.func(acc.func).func {
            let returned = matches!(
                parents.parent(Node::Expr(lit)),
                Some(Node::Stmt(st)) if matches!(file[st].kind, StmtKind::Return { .. })
            );
            if returned && def.kind == DefKind::Param && def.func == Some(FuncRef::Lit(lit)) {
                return true;
            }
        }
        // A value the function made, read in a literal it calls or defers: the literal runs
        // in order with the function's own code, and the function starts no goroutine.
        if !m.fresh.contains(&root) || self.spawners.contains(&outer) {
            return false;
        }
        let mut f = acc.func;
        while f != outer {
            let FuncRef::Lit(lit) = m.func(f).func else {
                return false;
            };
            let called = matches!(
                parents.parent(Node::Expr(lit)),
                Some(Node::Expr(call)) if matches!(file[call].kind, ExprKind::Call { fun, .. } if file.unparen(fun) == lit)
            );
            if !called || m.func(f).how != Invocation::Inline {
                return false;
            }
            let Some(p) = m.func(f).parent else {
                return false;
            };
            f = p;
        }
        true
    }
}

/// Whether a plain access goes through a variable of its function's own (a local, a range
/// variable, a parameter or result): on a field with private values, the access may be on one
/// of them. A receiver, a package variable or no variable at all is the shared value.
fn private_root(cx: &PackageCx<'_>, acc: &racelens_model::Access) -> bool {
    acc.root.is_some_and(|d| {
        matches!(
            cx.scopes().def(d).kind,
            DefKind::LocalVar | DefKind::Param | DefKind::Result
        )
    })
}

/// Fields accessed atomically through one variable and plainly through another in one
/// function.
fn split_fields(m: &Model) -> BTreeSet<PlaceId> {
    let mut seen: BTreeMap<(FuncIx, PlaceId), (BTreeSet<DefId>, BTreeSet<DefId>)> = BTreeMap::new();
    for acc in &m.accesses {
        let (Some(root), Place::Field { .. }) = (acc.root, m.place(acc.place)) else {
            continue;
        };
        let entry = seen.entry((m.outermost(acc.func), acc.place)).or_default();
        if acc.kind.is_atomic() {
            entry.0.insert(root);
        } else {
            entry.1.insert(root);
        }
    }
    seen.into_iter()
        .filter(|(_, (atomic, plain))| plain.iter().any(|p| atomic.iter().any(|a| a != p)))
        .map(|((_, place), _)| place)
        .collect()
}
