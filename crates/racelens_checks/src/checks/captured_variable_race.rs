//! `captured-variable-race`: a variable of the spawner (not a loop variable), or a field of
//! one, captured by a goroutine and written by it while the spawner, another goroutine or
//! another instance of the same goroutine reads or writes it (also through the function the
//! goroutine runs and those called directly); and a package variable so written and used, by
//! those functions or the ones they call directly.

use crate::goroutine_race::{
    diagnostic, one_per_place, other_label, races, report_handoffs, Other, Race,
};
use crate::syntactic::imports_of;
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_model::{AccessIx, AccessKind, FuncIx, Invocation, Model, Place, SpawnIx};
use racelens_semantic::types::TypeId;
use racelens_semantic::{DefId, DefKind};
use racelens_syntax::ast::{ExprId, ExprKind, Span};
use racelens_syntax::walk::Node;
use std::collections::{HashMap, HashSet};

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "captured-variable-race",
        category: Category::Correctness,
        summary:
            "A goroutine writes a variable it captured from its spawner while other code uses it.",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.2.0",
    needs_types: true,
    run: Some(run),
};

const DOCS: &str = concat!(
    r#"## What it does

Reports a local variable, parameter, named result or receiver that a function literal started
as a goroutine captures by reference and assigns (`err = ...`, `n++`, `done = true`), or a
field of one that it assigns (`s.total += n`, `st.done = true`), itself or in the function
it runs or calls directly (`go p.worker()` incrementing `p.processed`), when other
code reads or writes the same variable at the same time without a common lock: the function
that started the goroutine before it waits for it, another goroutine it started, or another
instance of the goroutine started in the same loop. Goroutines are those of `go` statements,
`errgroup.Group.Go`, `sync.WaitGroup.Go` and `time.AfterFunc`. Loop variables are left to
`loop-variable-capture`; appends and maps to `unsynchronized-slice-append` and
`concurrent-map-access`.

A package variable is reported the same way (`counter++` in goroutines started in a loop, a
`ready` flag a goroutine sets while its spawner polls it), when the goroutine, and the
spawner or other goroutine, access it in their own bodies or in a function they call
directly.

It also reports a function that sends a value on a channel (a pointer, or a slice whose
elements it shares) to a goroutine and then assigns or reads a field of it (`it.n = 0`
after `ch <- it`) while the receiving goroutine reads or assigns the same field: the value
belongs to the receiver once sent.

## Why is this bad?

A captured variable is shared, not copied: the goroutine and its spawner read and write the
same memory. Without synchronisation the spawner may read a half-written value, miss the
write entirely (the compiler may keep the variable in a register), or the counter may lose
increments. Waiting for the goroutine (`wg.Wait()`, a receive from its channel) before
reading the variable makes the write visible.

## Example

```go
package p

func fetch() error { return nil }

func run() error {
	var err error
	done := make(chan struct{})
	go func() {
		err = fetch()
		close(done)
	}()
	if err != nil {
		return err
	}
	<-done
	return nil
}
```

## Use instead

```go
package p

func fetch() error { return nil }

func run() error {
	var err error
	done := make(chan struct{})
	go func() {
		err = fetch()
		close(done)
	}()
	<-done
	if err != nil {
		return err
	}
	return nil
}
```

## Known limitations

"#,
    crate::summary_limitations!(),
    crate::race_finder_limitations!(),
    r#"- Only assignments by the goroutine are reported; a goroutine that only reads a variable the
  spawner later changes is not (a value handed over a channel is the exception: the sender's
  write after the send is reported against the receiver's read).
- Synchronisation other than locks, wait groups, errgroups, channels and `sync/atomic`
  (`sync.Cond`, a `select` that may time out before the receive) is not understood.
- Variables of other functions reached through pointers are not followed. Fields are
  followed into the function a goroutine runs and the functions it or its spawner call
  directly (`go p.worker()` incrementing `p.processed`, `t.bump()` in the goroutine's literal),
  with the spawner's variable bound to their receiver or parameter; not two calls deep, and not
  through a receiver or parameter the callee assigns (`q = q.clone()`).
- A field of a variable some field of which is accessed with `sync/atomic` (a flag stored
  after the fields it publishes and loaded before they are read), or in a file that imports
  `sync/atomic` with a dot, is not reported: racelens does not follow such protocols. For a
  field reached through a call, a type some field of which is accessed with `sync/atomic`
  anywhere in the package is left out the same way.
- A package variable accessed only through two calls or more (`go worker()` calling `flush()`
  calling `record()`, which writes it) is not reported: along longer chains, synchronisation
  the model does not see is too likely. Nor are the package variables of the `runtime`
  package (it synchronises with its own locks, semaphores and stop-the-world), nor
  benchmark sinks (package variables whose name starts or ends with `sink`, in any case),
  written only to keep a computation.
"#,
    crate::handoff_limitations!()
);

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    if !crate::gates::may_start_goroutines(cx) {
        return;
    }
    let Some(m) = cx.model() else {
        return;
    };
    let plain = |k: AccessKind| matches!(k, AccessKind::Read | AccessKind::Write);
    // A field of a value handed over a channel (or an element of a slice handed over),
    // still used by the sender. Appends and maps are the other two checks'.
    let handed =
        |k: AccessKind| plain(k) || matches!(k, AccessKind::ElemRead | AccessKind::ElemWrite);
    report_handoffs(
        cx,
        &CHECK,
        |mine, other| handed(mine) && handed(other),
        |kind, name, var, chan| {
            if kind.is_write() {
                format!("`{name}` is assigned after `{var}` was sent on `{chan}`, while the receiving goroutine uses it")
            } else {
                format!("`{name}` is read after `{var}` was sent on `{chan}`, while the receiving goroutine assigns it")
            }
        },
        out,
    );
    let mut found = races(cx, |mine, other| mine == AccessKind::Write && plain(other));
    let mut index_exprs = IndexExprs::new();
    // For races on fields, found once and only when there are some: the variables some
    // field of which is accessed with `sync/atomic`, and the files that import it with a dot.
    let on_field = |r: &Race| matches!(m.place(m.access(r.mine.access).place), Place::Field { .. });
    let atomics = if found.iter().any(on_field) {
        let atomic = || m.accesses.iter().filter(|a| a.kind.is_atomic());
        Atomics {
            roots: atomic().filter_map(|a| a.root).collect(),
            owners: atomic()
                .filter_map(|a| match m.place(a.place) {
                    Place::Field { owner, .. } => Some(*owner),
                    Place::Var(_) => None,
                })
                .collect(),
            dot_imported: (0..cx.files.len())
                .map(|fi| dot_imports_atomic(cx, fi))
                .collect(),
        }
    } else {
        Atomics::default()
    };
    // The runtime implements goroutines and synchronises its package variables with
    // primitives of its own (its locks and semaphores, stop-the-world, its internal atomics).
    let mut near = Near {
        runtime: cx.types().is_some_and(|(p, i)| p.path(i) == "runtime"),
        direct_callees: HashMap::new(),
    };
    found.retain(|race| captured_non_loop(cx, m, race, &mut index_exprs, &atomics, &mut near));
    for race in one_per_place(found, m) {
        let name = match *m.place(m.access(race.mine.access).place) {
            Place::Var(d) => cx.scopes().def(d).name.to_string(),
            Place::Field { .. } => crate::goroutine_race::place_text(cx, m, race.mine.access),
        };
        let message = match race.with {
            Other::SameGoroutine => format!(
                "`{name}` is assigned by goroutines started in a loop without synchronization"
            ),
            Other::Spawner => format!(
                "`{name}` is assigned by a goroutine while the function that started it still uses it"
            ),
            Other::Goroutine(_) => {
                format!("`{name}` is assigned by a goroutine while another goroutine uses it")
            }
        };
        out.push(diagnostic(
            cx,
            m,
            &race,
            &CHECK,
            message,
            other_label(m, &race),
            format!(
                "wait for the goroutine before using `{name}`, guard it with a mutex, or send the value on a channel"
            ),
        ));
    }
}

/// For races on fields: what says a value follows a protocol of atomic flags (a flag stored
/// after the fields it publishes and loaded before they are read), which racelens does not
/// follow.
#[derive(Default)]
struct Atomics {
    /// The variables some field of which is accessed with `sync/atomic`.
    roots: HashSet<DefId>,
    /// The types some field of which is accessed with `sync/atomic`.
    owners: HashSet<TypeId>,
    /// By file: it imports `sync/atomic` with a dot.
    dot_imported: Vec<bool>,
}

/// Per file, its index expressions `x[i]` as (the index expression, `x`) by the span of `x`.
type IndexExprs = HashMap<usize, HashMap<Span, Vec<(ExprId, ExprId)>>>;

/// Whether the race is on a local, parameter, result or receiver of the spawner (or a
/// function around it) that is not a loop variable, or on a field of one.
fn captured_non_loop(
    cx: &PackageCx<'_>,
    m: &Model,
    race: &Race,
    index_exprs: &mut IndexExprs,
    atomics: &Atomics,
    near: &mut Near,
) -> bool {
    let (acc, other) = (m.access(race.mine.access), m.access(race.other.access));
    let d = match *m.place(acc.place) {
        Place::Var(d) => d,
        // A field of such a variable (`s.total` of a captured `s`), both accesses made in the
        // spawner or the function literals in it, where `s` is the one variable: a variable
        // of the same name in a function they call is another (a parameter bound to anything).
        // A variable some field of which is accessed with `sync/atomic` follows a protocol
        // (a flag stored after the fields it publishes) that racelens does not follow.
        Place::Field { owner, .. } => {
            let d = race.mine.object;
            let outer = m.outermost(m.spawn(race.spawn).func);
            let foreign =
                m.foreign(race.mine.access).is_some() || m.foreign(race.other.access).is_some();
            if foreign || atomics.dot_imported[m.access_file(race.mine.access) as usize] {
                return false;
            }
            let in_spawner = acc.root == Some(d)
                && other.root == Some(d)
                && m.outermost(acc.func) == outer
                && m.outermost(other.func) == outer;
            // Or through the function a goroutine runs and those it calls directly, with the
            // variable bound to their receiver or parameter (`go p.worker()`, `go add(st, x)`);
            // a type some field of which is accessed with `sync/atomic` anywhere is left out.
            if in_spawner {
                if atomics.roots.contains(&d) {
                    return false;
                }
            } else if atomics.owners.contains(&owner) || !near.both_sides(m, race) {
                return false;
            }
            d
        }
    };
    let def = cx.scopes().def(d);
    let kind_ok = match def.kind {
        DefKind::LocalVar | DefKind::Param | DefKind::Result | DefKind::Receiver => true,
        // A package variable, accessed on both sides by the function that runs there or one
        // it calls directly: along longer chains, synchronisation the model does not see
        // (the runtime's own locks and stop-the-world) is too likely.
        DefKind::PackageVar => {
            let foreign =
                m.foreign(race.mine.access).is_some() || m.foreign(race.other.access).is_some();
            !(near.runtime || is_sink(&def.name) || foreign) && near.both_sides(m, race)
        }
        _ => false,
    };
    kind_ok
        && def.loop_stmt.is_none()
        && !indexed(cx, m, race.mine.access, index_exprs)
        && !indexed(cx, m, race.other.access, index_exprs)
}

/// Whether a package variable is named as a benchmark sink (`sink`, `workSink`, `sinkInt`):
/// written only so that the compiler keeps a computation, its value is never used.
fn is_sink(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("sink") || lower.ends_with("sink")
}

/// The function that runs `f` when `f` is a literal run in place (deferred, called where it
/// is written), through every such literal around it; otherwise `f`.
fn in_place_top(m: &Model, mut f: FuncIx) -> FuncIx {
    loop {
        let func = m.func(f);
        match (func.how, func.parent) {
            (Invocation::Inline, Some(p)) => f = p,
            _ => return f,
        }
    }
}

/// Whether accesses are made by the functions that run on each side of a race or by those
/// they call directly, for package variables and for fields reached through calls.
struct Near {
    /// The package is the runtime: its package variables are not reported.
    runtime: bool,
    /// By function asked about, the functions it calls, itself or in the literals it runs in
    /// place: a package variable takes part in as many pairs as it has accesses.
    direct_callees: HashMap<FuncIx, HashSet<FuncIx>>,
}

impl Near {
    /// Whether both accesses of `race` are made by the function that runs on their side (the
    /// goroutine's, or the spawner's) or by one it calls directly.
    fn both_sides(&mut self, m: &Model, race: &Race) -> bool {
        let (mine, other) = (m.access(race.mine.access), m.access(race.other.access));
        let mut near_goroutine = |s: SpawnIx, f: FuncIx| {
            let targets = &m.spawn(s).targets;
            targets.iter().any(|&t| self.one_call_from(m, t, f))
        };
        near_goroutine(race.spawn, mine.func)
            && match race.with {
                Other::SameGoroutine => near_goroutine(race.spawn, other.func),
                Other::Spawner => {
                    let spawner = in_place_top(m, m.spawn(race.spawn).func);
                    self.one_call_from(m, spawner, other.func)
                }
                Other::Goroutine(s) => near_goroutine(s, other.func),
            }
    }

    /// Whether what runs function `runner` runs `f` itself (`f` is `runner` or a literal it
    /// runs in place) or through one call of a function of the package.
    fn one_call_from(&mut self, m: &Model, runner: FuncIx, f: FuncIx) -> bool {
        let top = in_place_top(m, f);
        top == runner
            || self
                .direct_callees
                .entry(runner)
                .or_insert_with(|| {
                    // The literals run in place come after the function they are written in.
                    let last = m.func(runner).last_nested;
                    let mut in_place = HashSet::from([runner]);
                    let mut callees = HashSet::new();
                    for g in (runner.index()..=last.index()).map(|g| FuncIx(g as u32)) {
                        let func = m.func(g);
                        let runs_here = g == runner
                            || (func.how == Invocation::Inline
                                && func.parent.is_some_and(|p| in_place.contains(&p)));
                        if runs_here {
                            in_place.insert(g);
                            callees.extend(func.calls.iter().flat_map(|c| c.callees.iter()));
                        }
                    }
                    callees
                })
                .contains(&top)
    }
}

/// Whether file `fi` imports `sync/atomic` with a dot: its calls of `StoreInt32` and the like
/// are not seen as atomic accesses, so a protocol of atomic flags may go unseen.
fn dot_imports_atomic(cx: &PackageCx<'_>, fi: usize) -> bool {
    imports_of(cx.files[fi].ast, "sync/atomic").any(|name| name == Some("."))
}

/// Whether access `a` is the array of an element access (`ids[i] = v` writes the array
/// variable): goroutines usually own an index each, as with a slice. `index_exprs` keeps,
/// per file asked about, its index expressions by the span of what they index, found by one
/// scan of the file rather than one per access.
fn indexed(cx: &PackageCx<'_>, m: &Model, a: AccessIx, index_exprs: &mut IndexExprs) -> bool {
    let fi = m.access_file(a) as usize;
    let f = cx.files[fi].ast;
    let by_span = index_exprs.entry(fi).or_insert_with(|| {
        let mut by_span: HashMap<Span, Vec<(ExprId, ExprId)>> = HashMap::new();
        for (p, e) in f.exprs_with_ids() {
            if let ExprKind::Index { x, .. } = e.kind {
                by_span.entry(f[x].span).or_default().push((p, x));
            }
        }
        by_span
    });
    // An index expression of the tree: the indexed expression's parent is it.
    by_span.get(&m.access(a).span).is_some_and(|pairs| {
        let parents = cx.parents(fi);
        pairs
            .iter()
            .any(|&(p, x)| parents.parent(Node::Expr(x)) == Some(Node::Expr(p)))
    })
}
