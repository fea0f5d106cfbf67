//! `mixed-atomic-access`: a variable or field updated with `sync/atomic` functions in one
//! place and read or written plainly in another.

use crate::goroutine_race::location;
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_model::{AccessIx, Model, Place, PlaceId, SpawnIx};
use racelens_semantic::types::{Obj, Program};
use racelens_semantic::DefKind;
use std::collections::BTreeMap;

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "mixed-atomic-access",
        category: Category::Nursery,
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

- In the nursery (run it with `--select mixed-atomic-access`): on real code about half of its
  reports were real races (see docs/precision.md); the rest came from fields of different
  objects of one type (told apart by type, not object) and values initialised before they
  are shared in ways the check does not see.
- Deliberately silent for plain accesses in constructors and initialisers (functions named
  `New...` or `new...`, functions and methods named `init...`/`Init...`, unexported
  `reset...` methods that prepare a value for reuse), for accesses through a local variable
  holding a value the function just made (`s := &span{}; s.flag = 1`), and in test files,
  where the value is usually not shared yet; for plain accesses made while holding a lock that every atomic access of the variable
  also holds; for a local variable, unless the plain access runs while a goroutine that
  updates it atomically may still run (a read after `wg.Wait()` is ordered by the wait).
- Only the package's own code is seen: an atomic update in another package of the module
  does not count.
- Values reached through pointers other than a variable or a field (`*p`, slice elements)
  are not followed.
- Fields are told apart by type, not by object: an atomic update of `osub.qw` and a plain read
  of `sub.qw` of a freshly made value of the same type are reported as mixed. Also silent for
  plain reads in a function that compare-and-swaps the same variable (the optimistic read of
  a lock-free loop) and for `_ = x.f`.
"#;

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    if !crate::gates::may_use_atomics(cx) {
        return;
    }
    let Some(m) = cx.model() else {
        return;
    };
    let mut by_place: BTreeMap<PlaceId, (Vec<AccessIx>, Vec<AccessIx>)> = BTreeMap::new();
    for (i, a) in m.accesses.iter().enumerate() {
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
    for (place, (atomic, plain)) in by_place {
        if atomic.is_empty() || plain.is_empty() || typed_atomic(&mut prog, pkg, m, place) {
            continue;
        }
        let atomic_writes = atomic.iter().any(|&a| m.access(a).kind.is_write());
        let local = matches!(m.place(place), Place::Var(d) if cx.scopes.def(*d).kind != DefKind::PackageVar);
        let mut found: Vec<AccessIx> = Vec::new();
        for &a in &plain {
            let acc = m.access(a);
            if !atomic_writes && !acc.kind.is_write() {
                continue;
            }
            let func = m.func(acc.func);
            let file = func.file as usize;
            if cx.files[file].path.ends_with("_test.go")
                || is_initialiser(m, acc.func)
                || m.is_owned(a)
            {
                continue;
            }
            if blank_read(cx, file, acc.span) || optimistic_read(cx, m, a, &atomic) {
                continue;
            }
            // Only conflicting pairs matter: a plain read against atomic writes, a plain
            // write against every atomic access.
            let held = acc.locks.union(&m.effective_entry(acc.func));
            let ordered_by_lock = atomic
                .iter()
                .filter(|&&b| acc.kind.is_write() || m.access(b).kind.is_write())
                .all(|&b| {
                    let other = m.access(b);
                    held.excludes(&other.locks.union(&m.effective_entry(other.func)))
                });
            // A plain access under some lock follows a protocol of its author's (the
            // atomic side may hold the lock in a caller the model does not see).
            if ordered_by_lock || !held.is_empty() {
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

/// A constructor or initialiser: the value it touches is not shared yet.
fn is_initialiser(m: &Model, f: racelens_model::FuncIx) -> bool {
    let outer = m.func(m.outermost(f));
    let name = outer.name.rsplit('.').next().unwrap_or(&outer.name);
    let constructor = outer.recv.is_none() && (name.starts_with("New") || name.starts_with("new"));
    constructor || name.starts_with("init") || name.starts_with("Init") || name.starts_with("reset")
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

/// A plain read in a function that compare-and-swaps the same variable: the optimistic
/// read of a lock-free update loop, validated by the swap.
fn optimistic_read(cx: &PackageCx<'_>, m: &Model, a: AccessIx, atomic: &[AccessIx]) -> bool {
    let acc = m.access(a);
    if acc.kind.is_write() {
        return false;
    }
    let outer = m.outermost(acc.func);
    atomic.iter().any(|&b| {
        let other = m.access(b);
        let file = m.func(other.func).file as usize;
        m.outermost(other.func) == outer && cx.text(file, other.span).contains("CompareAndSwap")
    })
}

/// A goroutine start: the accesses the goroutine runs, whether it runs alongside other
/// instances of itself, and the spawner's accesses that overlap it.
struct Goroutine {
    runs: Vec<AccessIx>,
    self_concurrent: bool,
    overlapping: Vec<AccessIx>,
}

fn goroutines_of(m: &Model) -> Vec<Goroutine> {
    (0..m.spawns.len())
        .map(|s| {
            let s = SpawnIx(s as u32);
            let access = |fl: racelens_model::Flat| fl.access;
            Goroutine {
                runs: m.goroutine_runs(s).into_iter().map(access).collect(),
                self_concurrent: m.self_concurrent(s),
                overlapping: m
                    .overlapping_in_spawner(s)
                    .into_iter()
                    .map(access)
                    .collect(),
            }
        })
        .collect()
}

/// Whether plain access `a` may run while a goroutine that accesses the variable atomically
/// runs (the goroutine's own accesses count when it runs alongside itself).
fn overlaps_atomic_goroutine(goroutines: &[Goroutine], a: AccessIx, atomic: &[AccessIx]) -> bool {
    goroutines.iter().any(|g| {
        g.runs.iter().any(|x| atomic.contains(x))
            && ((g.self_concurrent && g.runs.contains(&a)) || g.overlapping.contains(&a))
    })
}
