//! `captured-variable-race`: a variable of the spawner (not a loop variable), or a field of
//! one, captured by a goroutine and written by it while the spawner, another goroutine or
//! another instance of the same goroutine reads or writes it (also through the function the
//! goroutine runs and those called directly); a package variable so written and used, by
//! those functions or the ones they call directly; and a variable a goroutine polls in its
//! loop while another side assigns it; and a value of a standard-library type not safe for
//! concurrent use (`bytes.Buffer`, `*rand.Rand`) held by such a variable or field, which a
//! goroutine modifies through its methods while another side uses it.

use crate::goroutine_race::{
    diagnostic, func_body, instances, location, one_per_place, other_label, polling_loop, races,
    report_handoffs, Other, Race, StartOrder,
};
use crate::model_facts::{direct_callees, in_place_top, is_receiver, is_setup};
use crate::syntactic::{builtin_name, imports_of};
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_model::{AccessIx, AccessKind, FuncIx, Model, Place, PlaceId, SpawnIx, SyncKind};
use racelens_semantic::types::{Type, TypeId};
use racelens_semantic::{DefId, DefKind};
use racelens_syntax::ast::{ExprId, ExprKind, Span};
use racelens_syntax::walk::{preorder, Node};
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
instance of the goroutine started in the same loop (or by a function literal that a loop
calls, `launch := func(r string) { go ... }` with `launch(r)` each time round, where what
the literal declares is each call's own). Goroutines are those of `go` statements,
`errgroup.Group.Go`, `sync.WaitGroup.Go` and `time.AfterFunc`. Loop variables are left to
`loop-variable-capture`; appends and maps to `unsynchronized-slice-append` and
`concurrent-map-access`.

A package variable is reported the same way (`counter++` in goroutines started in a loop, a
`ready` flag a goroutine sets while its spawner polls it), when the goroutine, and the
spawner or other goroutine, access it in their own bodies or in a function they call
directly.

A goroutine that polls a variable its spawner or another goroutine assigns is reported too:
the read is in the condition of its `for` loop (`for !stop`), or in the condition of an `if`
inside a loop that leaves it (`if quit { return }`), in the goroutine's own function. Waiting
in a loop for a value to change means the write is meant to happen while the goroutine runs.

A goroutine that a method starts and that polls a field of the receiver (`for !p.stopped`)
is reported when another exported method of the type assigns the field (`Stop`) with no
lock in common: whoever calls that method runs alongside the goroutine. Not when that
method sets the value up (`Open`, `Init...`, `Setup...`, `Start...`): it runs before the
value's other methods. The other way
round too: a goroutine that a method starts assigning a field of the receiver (`s.ln = ln`,
a refresher's `ts.token = fetch()`) that another exported method reads (`Stop`, `Token`),
when neither side holds a lock, the reading method makes no call and no channel or wait
group operation, and the type offers no way to wait for the goroutine. And a serving method
(`Serve`, `ListenAndServe`, `Run`), which callers run on a goroutine of their own until they
close the value, polling a field (`if s.closed { return }` after `Accept` fails) that a
closing method (`Close`, `Shutdown`, `Stop`) assigns with no lock in common. And a goroutine
that a function starts on a value it made and returns (a constructor's `go l.flushLoop()`)
assigning or modifying a field (`l.buf.Reset()`) that an exported method of the type also
assigns or modifies (`l.buf.WriteString(line)` in `Record`) with no synchronisation at all:
every call of the method runs alongside the goroutine the constructor left running. And an
exported method that reads such a field through its receiver, holding no lock, before it
waits for the goroutine that assigns it without a lock (`rev := w.lastRev; w.wg.Wait()` in
`Close`, the goroutine marking `w.wg` done), waiting for nothing else first: the method
itself expects the goroutine to be running.

Goroutines that run alongside each other (started in a loop) and check a variable without
the lock that each then takes to assign it, in the `if` the check guards (`if firstErr ==
nil { mu.Lock(); firstErr = err; mu.Unlock() }`), are reported at the check: another
instance may assign the variable between one instance's check and its lock.

A goroutine's read made before it waits for anything is reported against a write its
spawner makes right after the start, with nothing that may synchronise in between (`go
s.acceptLoop(); s.handlers = m`): whichever runs first, nothing orders them.

A variable declared before a loop and assigned in it before a `go` statement whose function
literal reads it (`var ev Event; for i := range events { ev = events[i]; go func() {
deliver(ev) }() }`) is reported at the assignment when the loop does not wait for the
goroutine within the iteration: the next iteration assigns it while the goroutines of the
earlier ones read it. Go 1.22's per-iteration loop variables do not cover a variable declared
outside the loop.

Elements of a slice that goroutines started in a loop assign (`codes[i] = probe(u)`) are
reported when the spawner reads elements (`codes[0]`, `for _, c := range codes`) before it
waits for them, itself or in a function of the package it hands the slice to
(`total(codes)`, also as the return expression of a function that defers its `Wait`, which
runs after that expression), unless that function reads them under a lock of its own.

A value of a standard-library type that is not safe for concurrent use (`bytes.Buffer`,
`strings.Builder`, `bufio.Writer`, `bufio.Reader`, `bufio.Scanner`, `*rand.Rand`,
`hash.Hash`, `json.Encoder`, `json.Decoder`, `csv.Writer`, `csv.Reader`, `list.List`,
`tabwriter.Writer`, `http.Header`, `url.Values`) held by such a variable or field is
reported when a goroutine modifies it through one of its methods (`out.WriteString(s)`,
`r.Intn(n)`, `h.Write(p)`, `q.Set(k, v)`) or by writing to it (`fmt.Fprintf(&buf, ...)`,
`io.WriteString(w, s)`, `io.Copy(w, r)`) while the other side calls its methods or modifies
it, without a common lock: the goroutine does not assign the variable, but the value's own
state races all the same. A helper the goroutine calls modifies it too when it gets it as a
pointer (`line(&buf, s)`) or as a map or interface type (`url.Values`, `http.Header`,
`hash.Hash`), whose copies share their state. A `*rand.Rand` made over a source of the
package whose `Int63` takes a lock (`rand.New(&lockedSource{...})`) is modified only by
`Read` and `Seed`: its other methods just call the source.

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
    r#"- Of a goroutine's reads of a variable the spawner later changes, only polls are reported
  (the condition of its loop, or of an `if` in its loop that returns or breaks), reads by
  the function literal of a `go` statement of a variable the loop around it assigns before
  the start (in the literal itself, not in a function it calls), and reads the goroutine's
  function makes before it waits for anything (a receive, a send, a `select`, a `range`, a
  `Wait`, `Lock`, `RLock` or `Do` call, a function literal) against a write the spawner
  makes right after the start, with nothing that may synchronise in between (`go
  s.acceptLoop(); s.handlers = m`), or after waiting only for what nothing the spawner or
  its callers do can satisfy (a receive from a channel field that only goroutines send on
  or close and that is never handed out, from a timer, or in a `select` clause that
  returns: a supervisor's loop started before its hook is set), when nothing that may
  synchronise follows the write in the spawner: a read made once against a later write
  (`if cancelled { return }` at its start, the spawner calling something first) is not,
  nor a poll in a function it calls
  (a value handed over a channel is the other exception: the sender's write after the send
  is reported against the receiver's read). A spawner's write is not paired with a poll when
  it follows a call, after the start, given a variable the goroutine also uses (other than
  the polled one): `sem.Acquire(n)` on a semaphore the goroutines release, a condition
  variable, a synchroniser of the program's own may order it.
- Values not safe for concurrent use are those of the listed types and methods only (a
  method Go adds later counts for nothing), reached through the variable or field that holds
  them: a value used through another variable (`b := &shared; b.Write(p)`), handed to a
  function other than `fmt.Fprint*`, `io.WriteString` and `io.Copy*` (`log.New(&buf, ...)`,
  `cmd.Stdout = &buf`), or modified after being sent on a channel is not followed. Where the
  variable holds a pointer or an interface, only the other side's calls of the type's
  listed methods count as uses (`sink(buf)` or `buf != nil` reads the pointer, not the
  value).
- Synchronisation other than locks, wait groups, errgroups, channels and `sync/atomic`
  (`sync.Cond`, a semaphore, a context the spawner cancels) is not understood.
  `return v, err` in a function with named results assigns them (but `return err` of the
  result itself stores nothing).
- Variables of other functions reached through pointers are not followed. Fields are
  followed into the function a goroutine runs and the functions it or its spawner call
  directly (`go p.worker()` incrementing `p.processed`, `t.bump()` in the goroutine's literal),
  with the spawner's variable bound to their receiver or parameter; not two calls deep, and not
  through a receiver or parameter the callee assigns (`q = q.clone()`).
- A goroutine a function starts on a value it made (`go l.flushLoop()` in a constructor) is
  paired with the exported methods of the value's type only for fields both sides assign or
  modify (not read) through their receiver, themselves or one call deep, holding no lock,
  when nothing the method runs synchronises, the goroutine does not reach the method, and
  the type has no mutex (callers may hold it: a discipline the model does not see) and no
  field accessed with `sync/atomic`.
- A goroutine's assignment is paired with the reads of other methods only when neither
  side holds any lock (a write under the lock against an unguarded read is
  `unguarded-field-access`'s), the reading method is exported, makes no call and no channel
  or wait group operation, is not reached from the goroutine, and the type has no exported
  method that waits on a channel or wait group field the goroutine closes, sends on or
  marks done (callers are then expected to wait first, as with syncthing's `AwaitStartup`);
  not for types some field of which is accessed with `sync/atomic`, nor in test files.
- Serving and closing methods are known by name only, and looked at only in packages that
  start goroutines somewhere (the check's gate).
- A poll is paired with the assignments of other methods only when those methods are
  exported, are methods of the receiver's type assigning through their receiver, and are
  not reached from the goroutine itself (a `Halt` the loop calls runs in the goroutine);
  the read must be in the goroutine's function or a literal it runs in place.
- Slice elements are paired only between goroutines started in a loop and their spawner's
  reads, and not when the spawner assigns elements of the slice itself (it then owns some
  indexes, and reads those). Two goroutines assigning the same element (`hist[b]++` with a
  computed index) are not reported, nor arrays (an array element is part of its variable,
  and goroutines usually own an index each).
- A field of a variable some field of which is accessed with `sync/atomic` (a flag stored
  after the fields it publishes and loaded before they are read), or in a file that imports
  `sync/atomic` with a dot, is not reported: racelens does not follow such protocols. For a
  field reached through a call, a type some field of which is accessed with `sync/atomic`
  anywhere in the package is left out the same way.
- A package variable accessed only through two calls or more (`go worker()` calling `flush()`
  calling `record()`, which writes it) is not reported: along longer chains, synchronisation
  the model does not see is too likely. A call that modifies a value not safe for concurrent
  use, a far more specific sign, is followed two calls deep (`retrier.Do()` calling
  `backoff()`, which calls `r.rnd.Intn(n)`), not three. Nor are the package variables of the `runtime`
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
    // A goroutine polling a flag (`for !stop`, `if quit { return }` in its loop) that other
    // code assigns: it reads, the other side writes.
    let mut polled = races(cx, |mine, other| {
        matches!(
            mine,
            AccessKind::Read | AccessKind::MapRead | AccessKind::ElemRead
        ) && other == AccessKind::Write
    });
    // A check without the lock that decides to take it and assign the variable (`if
    // firstErr == nil { mu.Lock(); firstErr = err; ... }`), made by goroutines that run
    // alongside each other.
    let mut checked: Vec<Race> = polled
        .iter()
        .filter(|r| {
            m.access(r.mine.access).kind == AccessKind::Read
                && crate::goroutine_race::checked_then_locked(cx, m, r.mine.access, r.other.access)
        })
        .cloned()
        .collect();
    let mut shared = SharedCalls::default();
    let (mut order, mut waits) = (StartOrder::default(), Waits::default());
    polled.retain(|race| polls(cx, m, race, &mut shared, &mut order, &mut waits));
    // Elements of a slice or array the goroutines assign while their spawner reads them
    // (`codes[i] = probe(u)` in each goroutine, `range codes` before `wg.Wait()`).
    let mut elements = races(cx, |mine, other| {
        mine == AccessKind::ElemWrite && other == AccessKind::ElemRead
    });
    // Values of standard-library types not safe for concurrent use (`buf.WriteString(s)`
    // on a shared `bytes.Buffer`) that a goroutine modifies while another side uses them.
    let mut modified = races(cx, |mine, other| {
        mine == AccessKind::Mutate && matches!(other, AccessKind::Mutate | AccessKind::Read)
    });
    modified.retain(|race| uses_value(cx, m, race.other.access));
    let mut shares_work = HashMap::new();
    elements
        .retain(|race| race.with == Other::Spawner && element_race(cx, m, race, &mut shares_work));
    let mut index_exprs = IndexExprs::new();
    // For races on fields, found once and only when there are some: the variables some
    // field of which is accessed with `sync/atomic`, and the files that import it with a dot.
    let atomic_owners = atomics_owners(m);
    let on_field = |r: &Race| matches!(m.place(m.access(r.mine.access).place), Place::Field { .. });
    let atomics = if found
        .iter()
        .chain(&polled)
        .chain(&checked)
        .chain(&modified)
        .any(on_field)
    {
        let atomic = || m.accesses.iter().filter(|a| a.kind.is_atomic());
        Atomics {
            roots: atomic().filter_map(|a| a.root).collect(),
            owners: atomic_owners.clone(),
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
    polled.retain(|race| captured_non_loop(cx, m, race, &mut index_exprs, &atomics, &mut near));
    checked.retain(|race| captured_non_loop(cx, m, race, &mut index_exprs, &atomics, &mut near));
    modified.retain(|race| captured_non_loop(cx, m, race, &mut index_exprs, &atomics, &mut near));
    // A place a goroutine assigns is reported as such; its polls only where it does not.
    let found = one_per_place(found, m);
    let key = |r: &Race| (r.spawn, m.access(r.mine.access).place);
    let assigned: HashSet<_> = found.iter().map(key).collect();
    let polled = one_per_place(polled, m);
    let polled: Vec<Race> = polled
        .into_iter()
        .filter(|r| !assigned.contains(&key(r)))
        .collect();
    let checked = one_per_place(checked, m);
    let polls_of: HashSet<_> = polled.iter().map(key).collect();
    let checked = checked
        .into_iter()
        .filter(|r| !assigned.contains(&key(r)) && !polls_of.contains(&key(r)));
    let elements = one_per_place(elements, m);
    let elements = elements.into_iter().filter(|r| !assigned.contains(&key(r)));
    let modified = one_per_place(modified, m);
    let modified = modified.into_iter().filter(|r| !assigned.contains(&key(r)));
    for race in found
        .into_iter()
        .chain(polled)
        .chain(checked)
        .chain(elements)
        .chain(modified)
    {
        let name = match *m.place(m.access(race.mine.access).place) {
            Place::Var(d) => cx.scopes().def(d).name.to_string(),
            Place::Field { .. } => crate::goroutine_race::place_text(cx, m, race.mine.access),
        };
        let kind = m.access(race.mine.access).kind;
        let message = match (kind.is_write(), race.with) {
            _ if kind == AccessKind::ElemWrite => format!(
                "elements of `{name}` are assigned by goroutines while the function that started them reads them"
            ),
            _ if kind == AccessKind::Mutate => {
                let ty = cx.types().map_or(String::new(), |(prog, pkg)| {
                    crate::model_facts::unsafe_type_text(&prog, pkg, m, m.access(race.mine.access))
                });
                let what =
                    format!("`{name}` (a `{ty}`, not safe for concurrent use) is modified by");
                match race.with {
                    Other::SameGoroutine => {
                        format!("{what} {} without synchronization", instances(m, race.spawn))
                    }
                    Other::Spawner => format!(
                        "{what} a goroutine while the function that started it still uses it"
                    ),
                    Other::Goroutine(_) => {
                        format!("{what} a goroutine while another goroutine uses it")
                    }
                }
            }
            (true, Other::SameGoroutine) => format!(
                "`{name}` is assigned by {} without synchronization",
                instances(m, race.spawn)
            ),
            (true, Other::Spawner) => format!(
                "`{name}` is assigned by a goroutine while the function that started it still uses it"
            ),
            (true, Other::Goroutine(_)) => {
                format!("`{name}` is assigned by a goroutine while another goroutine uses it")
            }
            (false, Other::SameGoroutine)
                if crate::goroutine_race::checked_then_locked(
                    cx,
                    m,
                    race.mine.access,
                    race.other.access,
                ) =>
            {
                format!(
                    "`{name}` is checked by {} without the lock another instance holds to assign it",
                    instances(m, race.spawn).trim_end_matches(',')
                )
            }
            (false, Other::SameGoroutine) => format!(
                "`{name}` is polled by {} while other instances assign it without synchronization",
                instances(m, race.spawn).trim_end_matches(',')
            ),
            (false, Other::Spawner) => {
                let acc = m.access(race.mine.access);
                let fi = m.func(acc.func).file as usize;
                if polling_loop(cx, fi, acc.expr, acc.span).is_some() {
                    format!(
                        "`{name}` is polled by a goroutine while the function that started it assigns it without synchronization"
                    )
                } else {
                    format!(
                        "`{name}` is read by a goroutine while the function that started it assigns it right after the start, without synchronization"
                    )
                }
            }
            (false, Other::Goroutine(_)) => format!(
                "`{name}` is polled by a goroutine while another goroutine assigns it without synchronization"
            ),
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
    reassigned_per_iteration(cx, m, out);
    polled_against_methods(cx, m, out);
    served_against_teardown(cx, m, out);
    assigned_against_methods(cx, m, &atomic_owners, out);
    constructed_against_methods(cx, m, &atomic_owners, out);
    read_before_join(cx, m, &atomic_owners, out);
}

/// A goroutine running a method of a value (`go w.run(ctx)` in a constructor, `go t.loop()`
/// in a method) that assigns a field of its receiver holding no lock, while an exported
/// method of the type reads the field through its receiver, holding no lock, before it
/// waits for that goroutine (`w.wg.Wait()` on the group the goroutine marks done, a receive
/// from a channel it closes or sends on), and waits for nothing else before the read: the
/// method itself expects the goroutine to be running. Only for a goroutine its spawner does
/// not wait for, and a method that does not start the goroutine itself (the race finder
/// pairs those); not for a type some field of which is accessed with `sync/atomic`, nor in
/// test files.
fn read_before_join(
    cx: &PackageCx<'_>,
    m: &Model,
    atomic_owners: &HashSet<TypeId>,
    out: &mut Vec<Diagnostic>,
) {
    let receiver = |d: Option<DefId>| is_receiver(cx, d);
    let unlocked = |a: AccessIx| crate::model_facts::lock_free(m, m.access(a));
    let waits = |k: SyncKind| {
        matches!(
            k,
            SyncKind::Recv | SyncKind::WaitGroupWait | SyncKind::GroupWait
        )
    };
    let mut reported: HashSet<AccessIx> = HashSet::new();
    for (si, spawn) in m.spawns.iter().enumerate() {
        let s = SpawnIx(si as u32);
        // Only a goroutine its spawner leaves running.
        if !m.joins(s).is_empty() {
            continue;
        }
        for &t in &spawn.targets {
            let Some(recv_t) = m.func(t).recv else {
                continue;
            };
            if m.func(t).how != racelens_model::Invocation::Decl
                || atomic_owners.contains(&recv_t)
                || crate::model_facts::is_test_code(cx.files[m.func(t).file as usize].path)
            {
                continue;
            }
            let runs = m.reached(t);
            let reached: HashSet<FuncIx> = runs.iter().copied().collect();
            // The fields of the receiver the goroutine assigns holding no lock: the first
            // such write of each (in the order the goroutine reaches its functions, so that
            // the report shows the same one every run).
            let mut written: HashMap<PlaceId, AccessIx> = HashMap::new();
            for &g in &runs {
                for &a in &m.func(g).accesses {
                    let acc = m.access(a);
                    if acc.kind == AccessKind::Write
                        && matches!(m.place(acc.place), Place::Field { owner, .. } if *owner == recv_t)
                        && receiver(acc.root)
                        && unlocked(a)
                    {
                        written.entry(acc.place).or_insert(a);
                    }
                }
            }
            if written.is_empty() {
                continue;
            }
            for (mi, mf) in m.funcs.iter().enumerate() {
                let mx = FuncIx(mi as u32);
                if mf.how != racelens_model::Invocation::Decl
                    || mf.recv != Some(recv_t)
                    || !mf.exported
                    || reached.contains(&mx)
                    || mx == m.outermost(spawn.func)
                {
                    continue;
                }
                let Some(&join) = m.waits_in(s, mx).first() else {
                    continue;
                };
                let inline = m.with_inline(mx);
                // A method starting the goroutine itself is the race finder's.
                if inline.iter().any(|&g| {
                    m.func(g)
                        .spawns
                        .iter()
                        .any(|&o| m.spawn(o).targets.contains(&t))
                }) {
                    continue;
                }
                let first_wait = inline
                    .iter()
                    .flat_map(|&g| m.func(g).syncs.iter())
                    .filter(|op| !op.deferred && waits(op.kind))
                    .map(|op| op.span.start)
                    .min();
                if first_wait != Some(join) {
                    continue;
                }
                for &g in &inline {
                    for &r in &m.func(g).accesses {
                        let ra = m.access(r);
                        let Some(&w) = written.get(&ra.place) else {
                            continue;
                        };
                        if ra.kind != AccessKind::Read
                            || ra.span.start >= join
                            || !receiver(ra.root)
                            || !unlocked(r)
                            || !reported.insert(r)
                        {
                            continue;
                        }
                        let shown = cx.text(m.func(ra.func).file as usize, ra.span);
                        let starter = m.func(m.outermost(spawn.func)).short_name();
                        let reader = mf.short_name();
                        out.push(method_race(
                            cx,
                            m,
                            (r, w, "assigned by the goroutine here"),
                            Some(spawn),
                            format!("`{shown}` is read by `{reader}` before it waits for the goroutine started in `{starter}` that assigns it"),
                            format!("read `{shown}` after waiting for the goroutine, or guard it with a mutex on both sides"),
                        ));
                    }
                }
            }
        }
    }
}

/// A variable of the spawner declared before a loop and assigned in it before a `go`
/// statement whose function literal reads it (`var ev Event; for ... { ev = events[i]; go
/// func() { deliver(ev) }() }`): the next iteration's assignment runs while the goroutines
/// of the earlier ones read it. Go 1.22's per-iteration loop variables do not help here.
/// (The race finder leaves such pairs alone: a variable the loop assigns is the loop's.)
fn reassigned_per_iteration(cx: &PackageCx<'_>, m: &Model, out: &mut Vec<Diagnostic>) {
    let mut reported: HashSet<(FuncIx, DefId)> = HashSet::new();
    for (s, spawn) in m.spawns.iter().enumerate() {
        let s = SpawnIx(s as u32);
        let Some(l) = spawn.loop_span else {
            continue;
        };
        if spawn.kind != racelens_model::SpawnKind::Go
            || m.func(spawn.func).spawns.len() > crate::goroutine_race::MAX_SPAWNS_PER_FUNCTION
            || !m.self_concurrent(s)
        {
            continue;
        }
        let f = cx.files[m.func(spawn.func).file as usize].ast;
        // The spawner's assignments of variables declared before the loop, made in the loop
        // before the start: the first of each place.
        let mut writes: HashMap<racelens_model::PlaceId, AccessIx> = HashMap::new();
        for w in m.func(spawn.func).accesses.iter().copied().filter(|&w| {
            let wa = m.access(w);
            let Place::Var(d) = *m.place(wa.place) else {
                return false;
            };
            let def = cx.scopes().def(d);
            wa.kind == AccessKind::Write
                && l.start <= wa.span.start
                && wa.span.end <= spawn.span.start
                && def.kind == DefKind::LocalVar
                && def.file == Some(m.func(spawn.func).file)
                && def.ident.is_some_and(|id| f[id].span.end <= l.start)
        }) {
            writes.entry(m.access(w).place).or_insert(w);
        }
        if writes.is_empty() {
            continue;
        }
        for &t in &spawn.targets {
            if !matches!(m.func(t).how, racelens_model::Invocation::Spawned(_)) {
                continue;
            }
            for &r in &m.func(t).accesses {
                let ra = m.access(r);
                if ra.kind != AccessKind::Read {
                    continue;
                }
                let Some(&w) = writes.get(&ra.place) else {
                    continue;
                };
                let wa = m.access(w);
                let Place::Var(d) = *m.place(wa.place) else {
                    continue;
                };
                if wa.locks.excludes(&ra.locks) || !reported.insert((spawn.func, d)) {
                    continue;
                }
                let name = cx.scopes().def(d).name.to_string();
                let sfi = m.func(spawn.func).file as usize;
                out.push(
                    Diagnostic::new(
                        CHECK.info.name,
                        CHECK.info.category,
                        format!("`{name}` is assigned in each iteration of the loop while goroutines started in earlier iterations read it"),
                        cx.location(sfi, wa.span),
                    )
                    .with_related("read by the goroutine here", cx.location(m.func(t).file as usize, ra.span))
                    .with_related(crate::goroutine_race::start_label(m, s), cx.location(sfi, spawn.span))
                    .with_help(format!("declare `{name}` inside the loop, so that each goroutine has its own, or pass it to the goroutine as an argument")),
                );
            }
        }
    }
}

/// Exported methods that serve until their value is closed, which callers run on goroutines
/// of their own (`go srv.Serve(ln)`).
const SERVING: &[&str] = &["Serve", "ListenAndServe", "Run"];

/// Methods that close a value while its serving methods run.
const CLOSING: &[&str] = &["Close", "Shutdown", "Stop"];

/// A serving method (`SERVING`) polling a field of its receiver (`if s.closed { return }`
/// after `Accept` fails) that a closing method of the type (`CLOSING`) assigns, with no lock
/// in common: `Close` is called while `Serve` runs, to make it return. Not when the serving
/// method itself reaches the closing one.
fn served_against_teardown(cx: &PackageCx<'_>, m: &Model, out: &mut Vec<Diagnostic>) {
    let receiver = |d: Option<DefId>| is_receiver(cx, d);
    let short = |f: FuncIx| m.func(f).short_name();
    let closing: Vec<AccessIx> = (0..m.accesses.len())
        .map(|i| AccessIx(i as u32))
        .filter(|&w| {
            let wa = m.access(w);
            wa.kind == AccessKind::Write
                && matches!(m.place(wa.place), Place::Field { .. })
                && receiver(wa.root)
                && CLOSING.contains(&short(m.outermost(wa.func)))
        })
        .collect();
    if closing.is_empty() {
        return;
    }
    for (i, func) in m.funcs.iter().enumerate() {
        let f = FuncIx(i as u32);
        let Some(recv_t) = func.recv else {
            continue;
        };
        if func.how != racelens_model::Invocation::Decl
            || !SERVING.contains(&short(f))
            || crate::model_facts::is_test_code(cx.files[func.file as usize].path)
        {
            continue;
        }
        let mut reached: Option<HashSet<FuncIx>> = None;
        let mut reported = HashSet::new();
        let entry = m.effective_entry(f);
        for g in m.with_inline(f) {
            for &a in &m.func(g).accesses {
                let acc = m.access(a);
                let own =
                    matches!(m.place(acc.place), Place::Field { owner, .. } if *owner == recv_t);
                if acc.kind != AccessKind::Read
                    || !own
                    || !receiver(acc.root)
                    || reported.contains(&acc.place)
                    || polling_loop(cx, m.func(acc.func).file as usize, acc.expr, acc.span)
                        .is_none()
                {
                    continue;
                }
                let locks = acc.locks.union(&entry);
                let reached = reached.get_or_insert_with(|| m.reached(f).into_iter().collect());
                let writer = closing.iter().find(|&&w| {
                    let wa = m.access(w);
                    let wh = m.outermost(wa.func);
                    wa.place == acc.place
                        && m.func(wh).recv == Some(recv_t)
                        && !reached.contains(&wa.func)
                        && !reached.contains(&wh)
                        && !locks.excludes(&wa.locks.union(&m.effective_entry(wa.func)))
                });
                let Some(&w) = writer else {
                    continue;
                };
                reported.insert(acc.place);
                let shown = cx.text(m.func(acc.func).file as usize, acc.span);
                let (server, closer) = (short(f), short(m.outermost(m.access(w).func)));
                out.push(method_race(
                    cx,
                    m,
                    (a, w, "concurrent write here"),
                    None,
                    format!("`{shown}` is polled by `{server}` while `{closer}` assigns it without synchronization"),
                    format!("`{closer}` runs while `{server}` does: make `{shown}` an `atomic.Bool`, or guard it with a mutex on both sides"),
                ));
            }
        }
    }
}

/// The report of a race between access `a` (of goroutine `spawn`, when a `go` statement of
/// the package starts it) and access `other` of another method, labelled `label`.
fn method_race(
    cx: &PackageCx<'_>,
    m: &Model,
    (a, other, label): (AccessIx, AccessIx, &str),
    spawn: Option<&racelens_model::Spawn>,
    message: String,
    help: String,
) -> Diagnostic {
    let mut d = Diagnostic::new(
        CHECK.info.name,
        CHECK.info.category,
        message,
        location(cx, m, a),
    )
    .with_related(label, location(cx, m, other));
    if let Some(spawn) = spawn {
        let sfi = m.func(spawn.func).file as usize;
        d = d.with_related("goroutine started here", cx.location(sfi, spawn.span));
    }
    d.with_help(help)
}

/// The types some field of which is accessed with `sync/atomic` in the package.
fn atomics_owners(m: &Model) -> HashSet<TypeId> {
    m.accesses
        .iter()
        .filter(|a| a.kind.is_atomic())
        .filter_map(|a| match m.place(a.place) {
            Place::Field { owner, .. } => Some(*owner),
            Place::Var(_) => None,
        })
        .collect()
}

/// A goroutine that a method starts assigning a field of the receiver (`s.ln = ln`,
/// `ts.token = fetch()`) that another exported method of the type reads through its
/// receiver (`Stop`, `Token`), when neither side holds any lock and the reading method
/// synchronises with nothing (no channel operation, no wait): whoever calls that method runs
/// alongside the goroutine. Not when the goroutine itself reaches the method, for a type some
/// field of which is accessed with `sync/atomic`, nor in test files.
fn assigned_against_methods(
    cx: &PackageCx<'_>,
    m: &Model,
    atomic_owners: &HashSet<TypeId>,
    out: &mut Vec<Diagnostic>,
) {
    let receiver = |d: Option<DefId>| is_receiver(cx, d);
    let short = |f: FuncIx| m.func(f).short_name();
    let unlocked = |a: AccessIx| crate::model_facts::lock_free(m, m.access(a));
    // The unlocked reads of fields through a method's receiver, by field, in exported
    // methods that synchronise with nothing; found at the first candidate write.
    let mut reads: Option<HashMap<PlaceId, Vec<AccessIx>>> = None;
    let mut quiet: HashMap<FuncIx, bool> = HashMap::new();
    let mut reported = HashSet::new();
    for (si, spawn) in m.spawns.iter().enumerate() {
        let home = m.outermost(spawn.func);
        let Some(recv_t) = m.func(home).recv else {
            continue;
        };
        if atomic_owners.contains(&recv_t)
            || crate::model_facts::is_test_code(cx.files[m.func(home).file as usize].path)
        {
            continue;
        }
        for &t in &spawn.targets {
            let mut reached: Option<HashSet<FuncIx>> = None;
            if offers_wait(m, t, recv_t) {
                continue;
            }
            let own: Vec<AccessIx> = m
                .with_inline(t)
                .into_iter()
                .flat_map(|g| m.func(g).accesses.iter().copied())
                .collect();
            for a in own {
                let acc = m.access(a);
                let Place::Field { owner, .. } = *m.place(acc.place) else {
                    continue;
                };
                if acc.kind != AccessKind::Write
                    || owner != recv_t
                    || !receiver(acc.root)
                    || !unlocked(a)
                    || reported.contains(&(si, acc.place))
                {
                    continue;
                }
                let reads = reads.get_or_insert_with(|| {
                    let mut by_place: HashMap<PlaceId, Vec<AccessIx>> = HashMap::new();
                    for (i, r) in m.accesses.iter().enumerate() {
                        let ix = AccessIx(i as u32);
                        if r.kind == AccessKind::Read
                            && matches!(m.place(r.place), Place::Field { .. })
                            && receiver(r.root)
                            && unlocked(ix)
                        {
                            by_place.entry(r.place).or_default().push(ix);
                        }
                    }
                    by_place
                });
                let reached = reached.get_or_insert_with(|| m.reached(t).into_iter().collect());
                let reader = reads.get(&acc.place).into_iter().flatten().find(|&&r| {
                    let ra = m.access(r);
                    let rh = m.outermost(ra.func);
                    rh != home
                        && m.func(rh).recv == Some(recv_t)
                        && m.func(rh).exported
                        && !reached.contains(&ra.func)
                        && !reached.contains(&rh)
                        && *quiet.entry(rh).or_insert_with(|| {
                            m.with_inline(rh)
                                .into_iter()
                                .all(|g| m.func(g).syncs.is_empty() && m.func(g).calls.is_empty())
                        })
                });
                let Some(&r) = reader else {
                    continue;
                };
                reported.insert((si, acc.place));
                let shown = cx.text(m.func(acc.func).file as usize, acc.span);
                let (starter, getter) = (short(home), short(m.outermost(m.access(r).func)));
                out.push(method_race(
                    cx,
                    m,
                    (a, r, "concurrent read here"),
                    Some(spawn),
                    format!("`{shown}` is assigned by a goroutine started in `{starter}` while `{getter}` reads it without synchronization"),
                    format!("guard `{shown}` with a mutex on both sides, make it atomic, or have `{getter}` wait for the goroutine"),
                ));
            }
        }
    }
}

/// A goroutine that a function starts on a value it made, running a method of the value's
/// type (`go l.flushLoop()` in `NewAuditLog`), that assigns or modifies a field of its
/// receiver, itself or in a method it calls on it, while an exported method of the type
/// assigns or modifies the same field through its receiver, itself or in a method it calls
/// on it: whoever calls that method runs alongside the goroutine the function left running.
/// Only when neither side holds a lock, nothing the method runs synchronises (no channel
/// operation, no wait), the goroutine does not reach the method, and the type has no mutex
/// and no field accessed with `sync/atomic` (a discipline of its own, the other checks'); not
/// in test files.
fn constructed_against_methods(
    cx: &PackageCx<'_>,
    m: &Model,
    atomic_owners: &HashSet<TypeId>,
    out: &mut Vec<Diagnostic>,
) {
    let Some((mut prog, pkg)) = cx.types() else {
        return;
    };
    let receiver = |d: Option<DefId>| is_receiver(cx, d);
    // A write or modifying call through the receiver of `top` (a method of `recv_t`), made
    // by `top` itself or by a method of the type `top` calls directly, holding no lock.
    let own = |top: FuncIx, recv_t: TypeId| -> Vec<racelens_model::Flat> {
        let direct: HashSet<FuncIx> = m
            .with_inline(top)
            .into_iter()
            .flat_map(|g| {
                m.func(g)
                    .calls
                    .iter()
                    .flat_map(|c| c.callees.iter().copied())
            })
            .filter(|&c| m.func(c).recv == Some(recv_t))
            .collect();
        m.runs(top)
            .into_iter()
            .filter(|fl| {
                let acc = m.access(fl.access);
                let home = m.outermost(acc.func);
                matches!(acc.kind, AccessKind::Write | AccessKind::Mutate)
                    && matches!(m.place(acc.place), Place::Field { owner, .. } if *owner == recv_t)
                    && receiver(acc.root)
                    && fl.locks.is_empty()
                    && (home == top || direct.contains(&home))
            })
            .collect()
    };
    let mut reported: HashSet<(TypeId, PlaceId)> = HashSet::new();
    for spawn in &m.spawns {
        let home = m.outermost(spawn.func);
        if m.func(home).recv.is_some()
            || crate::model_facts::is_test_code(cx.files[m.func(home).file as usize].path)
            || !crate::model_facts::on_fresh_value(cx, m, spawn)
        {
            continue;
        }
        for &t in &spawn.targets {
            let Some(recv_t) = m.func(t).recv else {
                continue;
            };
            if m.func(t).how != racelens_model::Invocation::Decl
                || atomic_owners.contains(&recv_t)
                || !prog.lock_fields(recv_t).is_empty()
                || offers_wait(m, t, recv_t)
            {
                continue;
            }
            let mine = own(t, recv_t);
            if mine.is_empty() {
                continue;
            }
            let reached: HashSet<FuncIx> = m.reached(t).into_iter().collect();
            for (i, f) in m.funcs.iter().enumerate() {
                let rh = FuncIx(i as u32);
                if f.recv != Some(recv_t)
                    || !f.exported
                    || f.how != racelens_model::Invocation::Decl
                    || rh == t
                    || reached.contains(&rh)
                    || crate::model_facts::is_test_code(cx.files[f.file as usize].path)
                    || !m.signals(rh).is_empty()
                {
                    continue;
                }
                for fl in own(rh, recv_t) {
                    let acc = m.access(fl.access);
                    if reported.contains(&(recv_t, acc.place)) {
                        continue;
                    }
                    let Some(g) = mine.iter().find(|g| m.access(g.access).place == acc.place)
                    else {
                        continue;
                    };
                    reported.insert((recv_t, acc.place));
                    let (v1, v2) = match (acc.kind, m.access(g.access).kind) {
                        (AccessKind::Mutate, AccessKind::Mutate) => ("modified", "modifies"),
                        (AccessKind::Mutate, _) => ("modified", "assigns"),
                        (_, AccessKind::Mutate) => ("assigned", "modifies"),
                        _ => ("assigned", "assigns"),
                    };
                    let shown = cx.text(m.func(acc.func).file as usize, acc.span);
                    let what = if acc.kind == AccessKind::Mutate {
                        let ty = crate::model_facts::unsafe_type_text(&prog, pkg, m, acc);
                        format!("`{shown}` (a `{ty}`, not safe for concurrent use)")
                    } else {
                        format!("`{shown}`")
                    };
                    let (starter, method) = (m.func(home).short_name(), f.short_name());
                    out.push(method_race(
                        cx,
                        m,
                        (fl.access, g.access, "the goroutine's access here"),
                        Some(spawn),
                        format!(
                            "{what} is {v1} by `{method}` while the goroutine started by `{starter}` {v2} it, without synchronization"
                        ),
                        format!(
                            "guard `{shown}` with a mutex on both sides, or hand the work to the goroutine over a channel"
                        ),
                    ));
                }
            }
        }
    }
}

/// Whether access `a`, the other side of a race with a goroutine's modifying call, uses the
/// value of the type not safe for concurrent use: any read of a variable holding the value
/// itself (`buf.Len()`, a copy of `buf`); where the variable holds a pointer or an interface,
/// only a call of one of the type's listed methods (`w.Flush()`), not a read of the pointer
/// (`sink(buf)`, `buf != nil`).
fn uses_value(cx: &PackageCx<'_>, m: &Model, a: AccessIx) -> bool {
    let acc = m.access(a);
    if acc.kind == AccessKind::Mutate {
        return true;
    }
    if m.foreign(a).is_some() {
        return false;
    }
    let fi = m.access_file(a) as usize;
    let Some((mut prog, pkg)) = cx.types() else {
        return false;
    };
    let t = prog.type_of(pkg, fi, acc.expr);
    let u = prog.underlying(t);
    if !matches!(prog.types.get(u), Type::Pointer(_) | Type::Interface(_)) {
        return true;
    }
    let f = cx.files[fi].ast;
    let parents = cx.parents(fi);
    let Some(Node::Expr(sel)) = parents.parent(Node::Expr(acc.expr)) else {
        return false;
    };
    let ExprKind::Selector { x, sel: name } = f[sel].kind else {
        return false;
    };
    let called = matches!(parents.parent(Node::Expr(sel)),
        Some(Node::Expr(call)) if matches!(f[call].kind, ExprKind::Call { fun, .. } if f.unparen(fun) == sel));
    called
        && f.unparen(x) == acc.expr
        && racelens_model::unsafe_types::method_use(&prog, t, f.ident_name(name)).is_some()
}

/// A goroutine that a method starts polling a field of the receiver (`for !p.stopped`)
/// that another exported method of the type assigns (`Stop`), with no lock in common:
/// whoever calls that method runs alongside the goroutine. Not when the goroutine itself
/// reaches the method, nor for unexported methods (who calls them is not known), nor for
/// methods that set the value up (`Open`, `Init...`: see `is_setup`).
fn polled_against_methods(cx: &PackageCx<'_>, m: &Model, out: &mut Vec<Diagnostic>) {
    let field_read = |a: AccessIx| {
        let acc = m.access(a);
        acc.kind == AccessKind::Read && matches!(m.place(acc.place), Place::Field { .. })
    };
    let receiver = |d: Option<DefId>| is_receiver(cx, d);
    let short = |f: FuncIx| m.func(f).short_name();
    // A method that sets the value up (`Open`, `Init...`) runs before the value's other
    // methods are called.
    let set_up_by = |f: FuncIx| {
        let func = m.func(f);
        matches!(func.func, racelens_semantic::FuncRef::Decl(d) if is_setup(cx.files[func.file as usize].ast, d))
    };
    // The plain writes of fields through a method's receiver, by field; found at the first
    // poll.
    let mut writes: Option<HashMap<PlaceId, Vec<AccessIx>>> = None;
    let mut reported = HashSet::new();
    for (si, spawn) in m.spawns.iter().enumerate() {
        let home = m.outermost(spawn.func);
        let Some(recv_t) = m.func(home).recv else {
            continue;
        };
        for &t in &spawn.targets {
            let mut reached: Option<HashSet<FuncIx>> = None;
            let entry = m.effective_entry(t);
            // The goroutine's own reads: its function's and those of the literals it runs
            // in place (their locks are seen from the enclosing function's entry).
            let own = m
                .with_inline(t)
                .into_iter()
                .flat_map(|g| m.func(g).accesses.iter());
            for &a in own.filter(|&&a| field_read(a)) {
                let acc = m.access(a);
                let locks = acc.locks.union(&entry);
                let Place::Field { owner, .. } = *m.place(acc.place) else {
                    continue;
                };
                if owner != recv_t
                    || !receiver(acc.root)
                    || reported.contains(&(si, acc.place))
                    || polling_loop(cx, m.func(acc.func).file as usize, acc.expr, acc.span)
                        .is_none()
                {
                    continue;
                }
                let writes = writes.get_or_insert_with(|| {
                    let mut by_place: HashMap<PlaceId, Vec<AccessIx>> = HashMap::new();
                    for (i, w) in m.accesses.iter().enumerate() {
                        if w.kind == AccessKind::Write
                            && matches!(m.place(w.place), Place::Field { .. })
                            && receiver(w.root)
                        {
                            by_place
                                .entry(w.place)
                                .or_default()
                                .push(AccessIx(i as u32));
                        }
                    }
                    by_place
                });
                let reached = reached.get_or_insert_with(|| m.reached(t).into_iter().collect());
                let writer = writes.get(&acc.place).into_iter().flatten().find(|&&w| {
                    let wa = m.access(w);
                    let wh = m.outermost(wa.func);
                    wh != home
                        && m.func(wh).recv == Some(recv_t)
                        && m.func(wh).exported
                        && !set_up_by(wh)
                        && !reached.contains(&wa.func)
                        && !reached.contains(&wh)
                        && !locks.excludes(&wa.locks.union(&m.effective_entry(wa.func)))
                });
                let Some(&w) = writer else {
                    continue;
                };
                reported.insert((si, acc.place));
                let shown = cx.text(m.func(acc.func).file as usize, acc.span);
                let (starter, setter) = (short(home), short(m.outermost(m.access(w).func)));
                out.push(method_race(
                    cx,
                    m,
                    (a, w, "concurrent write here"),
                    Some(spawn),
                    format!("`{shown}` is polled by a goroutine started in `{starter}` while `{setter}` assigns it without synchronization"),
                    format!("make `{shown}` an `atomic.Bool`, guard it with a mutex on both sides, or close a channel to stop the goroutine"),
                ));
            }
        }
    }
}

/// Whether the type `recv_t` offers its callers a way to wait for goroutine function `t`:
/// what `t` runs closes or sends on a channel field of the type, or calls `Done` on a wait
/// group field, and some exported method of the type receives from that channel or waits
/// on that group (`AwaitStartup` waiting for `<-p.startComplete`, which the event loop
/// closes). Callers are then expected to wait before they read what the goroutine assigns.
fn offers_wait(m: &Model, t: FuncIx, recv_t: TypeId) -> bool {
    let of_type = |p: PlaceId| matches!(m.place(p), Place::Field { owner, .. } if *owner == recv_t);
    let signalled: HashSet<PlaceId> = m
        .reached(t)
        .into_iter()
        .flat_map(|g| m.func(g).syncs.iter())
        .filter(|op| {
            matches!(
                op.kind,
                SyncKind::Close | SyncKind::Send | SyncKind::WaitGroupDone
            ) && of_type(op.place)
        })
        .map(|op| op.place)
        .collect();
    !signalled.is_empty()
        && (0..m.funcs.len()).map(|i| FuncIx(i as u32)).any(|g| {
            let top = m.outermost(g);
            m.func(top).recv == Some(recv_t)
                && m.func(top).exported
                && m.func(g).syncs.iter().any(|op| {
                    matches!(op.kind, SyncKind::Recv | SyncKind::WaitGroupWait)
                        && signalled.contains(&op.place)
                })
        })
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

/// Whether a race between a goroutine's element write and its spawner's element read is on
/// a slice or array variable of the spawner (not a loop variable), which the spawner does not
/// assign elements of itself (it would then share the work, owning some of the indexes),
/// written by goroutines started in a loop (one goroutine started once may own one index
/// while the spawner reads another).
/// `shares_work` keeps the answer per slice and spawner.
fn element_race(
    cx: &PackageCx<'_>,
    m: &Model,
    race: &Race,
    shares_work: &mut HashMap<(PlaceId, FuncIx), bool>,
) -> bool {
    if m.spawn(race.spawn).loop_span.is_none() {
        return false;
    }
    let place = m.access(race.mine.access).place;
    let Place::Var(d) = *m.place(place) else {
        return false;
    };
    let def = cx.scopes().def(d);
    if !def.kind.is_local_variable() || def.loop_stmt.is_some() {
        return false;
    }
    if m.foreign(race.mine.access).is_some() || m.foreign(race.other.access).is_some() {
        return false;
    }
    let spawner = in_place_top(m, m.spawn(race.spawn).func);
    !*shares_work.entry((place, spawner)).or_insert_with(|| {
        m.accesses.iter().any(|a| {
            a.place == place
                && a.kind == AccessKind::ElemWrite
                && in_place_top(m, a.func) == spawner
        })
    })
}

/// Whether the goroutine's read of `race` polls: it is made by the function the goroutine
/// runs (or a literal that runs in place in it), in the condition of a `for` loop, or in the
/// condition of an `if` inside a loop whose body ends by leaving it (`return`, `break`). The
/// goroutine waits for the value to change: the other side's write is meant to be seen while
/// it runs.
///
/// So is a read the goroutine makes before it waits for anything (a receive, a `select`, a
/// `range`, a send, a `Wait`, `Lock` or `Do` call) against a write its spawner makes right
/// after the start, with nothing that may synchronise in between (`go s.acceptLoop();
/// s.handlers = m`): whichever runs first, nothing orders the two.
fn polls(
    cx: &PackageCx<'_>,
    m: &Model,
    race: &Race,
    shared: &mut SharedCalls,
    order: &mut StartOrder,
    waits: &mut Waits,
) -> bool {
    let acc = m.access(race.mine.access);
    let top = in_place_top(m, acc.func);
    if m.foreign(race.mine.access).is_some() || !m.spawn(race.spawn).targets.contains(&top) {
        return false;
    }
    let fi = m.func(acc.func).file as usize;
    if polling_loop(cx, fi, acc.expr, acc.span).is_some() {
        return !(race.with == Other::Spawner && shared_call_before(cx, m, race, shared));
    }
    race.with == Other::Spawner
        && race.other.at >= m.spawn(race.spawn).span.end
        && order.nothing_between(cx, m, race.spawn, race.other.at)
        && (!waits.before(cx, m, top, acc.span.start)
            || (order.nothing_after(cx, m, race.spawn, race.other.at)
                && waits.on_goroutines_only(cx, m, top)))
}

/// Per goroutine function asked about, where it may first wait for something: the end of
/// the first receive, function literal (what it runs is not looked at) or call of `Wait`,
/// `Lock`, `RLock` or `Do` to end, and the start of the first send, `select` or `range` (one
/// around a read waits before it each time). Found once per function, not once per read.
#[derive(Default)]
struct Waits {
    by_func: HashMap<FuncIx, (u32, u32)>,
    goroutines_only: HashMap<FuncIx, bool>,
}

impl Waits {
    /// Whether function `g` may wait for something before offset `at` of its body.
    fn before(&mut self, cx: &PackageCx<'_>, m: &Model, g: FuncIx, at: u32) -> bool {
        let (end, start) = *self
            .by_func
            .entry(g)
            .or_insert_with(|| first_waits(cx, m, g));
        end <= at || start < at
    }

    /// Whether all that goroutine function `top`, and what it runs, may wait for is a
    /// receive that nothing the spawner or its callers do later can satisfy: from a channel
    /// field only goroutines send on or close (workers reporting to a supervisor's loop),
    /// from a timer (`t.C`, `time.After(d)`), or in a `select` clause that returns. No send,
    /// no other receive, no `Wait`, `Lock`, `RLock` or `Do` call. A read after such waits is
    /// as unordered with the spawner's write right after the start as one before them, when
    /// nothing that may synchronise follows the write in the spawner (a goroutine it starts
    /// afterwards to send would order the write before the send).
    fn on_goroutines_only(&mut self, cx: &PackageCx<'_>, m: &Model, top: FuncIx) -> bool {
        *self
            .goroutines_only
            .entry(top)
            .or_insert_with(|| waits_on_goroutines_only(cx, m, top))
    }
}

fn waits_on_goroutines_only(cx: &PackageCx<'_>, m: &Model, top: FuncIx) -> bool {
    use racelens_syntax::ast::StmtKind;
    // Asked once per channel.
    let answers: std::cell::RefCell<HashMap<PlaceId, bool>> = Default::default();
    let senders_in_goroutines = |p: PlaceId| {
        if let Some(&known) = answers.borrow().get(&p) {
            return known;
        }
        let known = goroutine_channel(cx, m, p);
        answers.borrow_mut().insert(p, known);
        known
    };
    for g in m.reached(top) {
        let func = m.func(g);
        if func.syncs.iter().any(|op| {
            matches!(
                op.kind,
                SyncKind::Send | SyncKind::WaitGroupWait | SyncKind::GroupWait
            )
        }) {
            return false;
        }
        let file = func.file as usize;
        let f = cx.files[file].ast;
        let text = cx.text(file, func.span);
        if text.contains("Lock()") || text.contains(".Wait(") || text.contains(".Do(") {
            return false;
        }
        let node = match func.func {
            racelens_semantic::FuncRef::Decl(d) => Node::Decl(d),
            racelens_semantic::FuncRef::Lit(e) => Node::Expr(e),
        };
        // The receives of the function's own body (literals are functions of their own),
        // each with whether it is a comm whose clause returns.
        let mut ok = true;
        let mut leaving: Vec<Span> = Vec::new();
        preorder(f, &[node], |n| {
            if !ok {
                return false;
            }
            match n {
                Node::Expr(e) if n != node => match &f[e].kind {
                    ExprKind::FuncLit { .. } => false,
                    ExprKind::Unary {
                        op: racelens_syntax::token::TokenKind::Arrow,
                        x,
                    } => {
                        let span = f[e].span;
                        let ch = cx.text(file, f[*x].span);
                        let timer = ch.ends_with(".C")
                            || ch.starts_with("time.After(")
                            || ch.starts_with("time.Tick(");
                        let leaves = leaving
                            .iter()
                            .any(|l| l.start <= span.start && span.end <= l.end);
                        let from_goroutines = func.syncs.iter().any(|op| {
                            op.kind == SyncKind::Recv
                                && op.span.end >= span.start
                                && op.span.start <= span.end
                                && senders_in_goroutines(op.place)
                        });
                        if !(timer || leaves || from_goroutines) {
                            ok = false;
                        }
                        true
                    }
                    _ => true,
                },
                Node::Stmt(st) => {
                    // `for v := range ch` receives too: from a channel only goroutines send
                    // on, or not at all.
                    if let StmtKind::Range { x, .. } = &f[st].kind {
                        let span = f[*x].span;
                        let from_goroutines = func.syncs.iter().any(|op| {
                            op.kind == SyncKind::Recv
                                && op.span.end >= span.start
                                && op.span.start <= span.end
                                && senders_in_goroutines(op.place)
                        });
                        let chan = cx.types().is_none_or(|(mut prog, pkg)| {
                            let t = prog.type_of(pkg, file, *x);
                            let t = prog.underlying(t);
                            matches!(prog.types.get(t), Type::Chan(..)) || prog.is_unknown(t)
                        });
                        if chan && !from_goroutines {
                            ok = false;
                        }
                    }
                    if let StmtKind::CommClause {
                        comm: Some(c),
                        body,
                        ..
                    } = &f[st].kind
                    {
                        if f[*body]
                            .last()
                            .is_some_and(|&l| matches!(f[l].kind, StmtKind::Return { .. }))
                        {
                            leaving.push(f[*c].span);
                        }
                    }
                    true
                }
                _ => true,
            }
        });
        if !ok {
            return false;
        }
    }
    true
}

/// Whether channel field `p` is sent on or closed, and only in goroutines, and read only to
/// be used there (not handed out, by a return, an argument or an assignment, to code that
/// may send on it later).
fn goroutine_channel(cx: &PackageCx<'_>, m: &Model, p: PlaceId) -> bool {
    use racelens_syntax::ast::StmtKind;
    let Place::Field { .. } = m.place(p) else {
        return false;
    };
    let mut sent = false;
    for (i, f) in m.funcs.iter().enumerate() {
        if f.syncs
            .iter()
            .any(|op| op.place == p && matches!(op.kind, SyncKind::Send | SyncKind::Close))
        {
            sent = true;
            if !crate::model_facts::in_goroutine(m, FuncIx(i as u32)) {
                return false;
            }
        }
    }
    sent && m.accesses.iter().all(|a| {
        if a.place != p || a.kind != AccessKind::Read {
            return true;
        }
        let file = m.func(a.func).file as usize;
        let f = cx.files[file].ast;
        match cx.parents(file).parent(Node::Expr(a.expr)) {
            Some(Node::Expr(e)) => match &f[e].kind {
                ExprKind::Unary {
                    op: racelens_syntax::token::TokenKind::Arrow,
                    ..
                } => true,
                ExprKind::Call { fun, .. } => {
                    builtin_name(cx, file, *fun).is_some_and(|n| n == "close" || n == "len")
                }
                _ => false,
            },
            Some(Node::Stmt(st)) => {
                matches!(&f[st].kind, StmtKind::Send { chan, .. } if *chan == a.expr)
                    || matches!(&f[st].kind, StmtKind::Range { x, .. } if *x == a.expr)
            }
            _ => false,
        }
    })
}

fn first_waits(cx: &PackageCx<'_>, m: &Model, g: FuncIx) -> (u32, u32) {
    let func = m.func(g);
    let f = cx.files[func.file as usize].ast;
    let top = match func.func {
        racelens_semantic::FuncRef::Decl(d) => Node::Decl(d),
        racelens_semantic::FuncRef::Lit(e) => Node::Expr(e),
    };
    let (mut end, mut start) = (u32::MAX, u32::MAX);
    preorder(f, &[top], |n| match n {
        Node::Expr(e) if n != top => {
            let waits = match &f[e].kind {
                ExprKind::FuncLit { .. } => {
                    end = end.min(f[e].span.end);
                    return false;
                }
                ExprKind::Unary {
                    op: racelens_syntax::token::TokenKind::Arrow,
                    ..
                } => true,
                ExprKind::Call { fun, .. } => matches!(f[*fun].kind,
                    ExprKind::Selector { sel, .. }
                        if matches!(f.ident_name(sel), "Wait" | "Lock" | "RLock" | "Do")),
                _ => false,
            };
            if waits {
                end = end.min(f[e].span.end);
            }
            true
        }
        Node::Stmt(st) => {
            if matches!(
                f[st].kind,
                racelens_syntax::ast::StmtKind::Send { .. }
                    | racelens_syntax::ast::StmtKind::Select { .. }
                    | racelens_syntax::ast::StmtKind::Range { .. }
            ) {
                start = start.min(f[st].span.start);
            }
            true
        }
        _ => true,
    });
    (end, start)
}

/// Per goroutine start asked about, the calls its spawner makes after the start with a
/// variable the goroutine also uses: (end, the variables), by end; and per start and flag,
/// the end of the first such call with a variable other than the flag.
#[derive(Default)]
struct SharedCalls {
    calls: HashMap<SpawnIx, Vec<(u32, Vec<DefId>)>>,
    first: HashMap<(SpawnIx, DefId), u32>,
}

/// Whether the spawner of `race`, between the start and its write, calls something with a
/// variable the goroutine also uses, other than the flag (`sem.Acquire(ctx, n)` on the
/// semaphore the goroutines acquire and release, a condition variable, a synchroniser of the
/// program's own): that call may order the write before the goroutine's next poll.
fn shared_call_before(cx: &PackageCx<'_>, m: &Model, race: &Race, cache: &mut SharedCalls) -> bool {
    let flag = race.mine.object;
    let first = match cache.first.get(&(race.spawn, flag)) {
        Some(&end) => end,
        None => {
            let calls = cache
                .calls
                .entry(race.spawn)
                .or_insert_with(|| shared_calls(cx, m, race.spawn));
            let end = calls
                .iter()
                .find(|(_, vars)| vars.iter().any(|&v| v != flag))
                .map_or(u32::MAX, |&(end, _)| end);
            cache.first.insert((race.spawn, flag), end);
            end
        }
    };
    first <= race.other.at
}

/// The calls the spawner of goroutine `s` makes after the start with a variable the
/// goroutine's functions also use by name (builtins aside: channel operations are the
/// model's), as (end, the shared variables it mentions), by end.
fn shared_calls(cx: &PackageCx<'_>, m: &Model, s: SpawnIx) -> Vec<(u32, Vec<DefId>)> {
    let spawn = m.spawn(s);
    let var = |d: &DefId| {
        matches!(
            cx.scopes().def(*d).kind,
            DefKind::LocalVar
                | DefKind::Param
                | DefKind::Result
                | DefKind::Receiver
                | DefKind::PackageVar
        )
    };
    // The identifiers of the function bodies of file `fi` below `from`, bound as `bound`.
    let idents = |fi: usize, from: Node, bound: &mut dyn FnMut(DefId)| {
        let f = cx.files[fi].ast;
        preorder(f, &[from], |n| {
            if let Node::Expr(e) = n {
                if let ExprKind::Ident(id) = f[e].kind {
                    if let Some(d) = cx.scopes().binding(fi, id).filter(var) {
                        bound(d);
                    }
                }
            }
            true
        });
    };
    let mut used = HashSet::new();
    for &t in &spawn.targets {
        let tfi = m.func(t).file as usize;
        if let Some(body) = func_body(cx.files[tfi].ast, m.func(t).func) {
            idents(tfi, Node::Stmt(body), &mut |d| {
                used.insert(d);
            });
        }
    }
    let sfi = m.func(spawn.func).file as usize;
    let sf = cx.files[sfi].ast;
    let Some(body) = func_body(sf, m.func(spawn.func).func) else {
        return Vec::new();
    };
    let from = spawn.span.end;
    let mut calls = Vec::new();
    preorder(sf, &[Node::Stmt(body)], |n| {
        let span = match n {
            Node::Expr(e) => sf[e].span,
            Node::Stmt(s) => sf[s].span,
            _ => return true,
        };
        if span.end <= from {
            return false;
        }
        if let Node::Expr(e) = n {
            if let ExprKind::Call { fun, .. } = sf[e].kind {
                let builtin = builtin_name(cx, sfi, fun).is_some();
                if !builtin && span.start >= from {
                    let mut vars = Vec::new();
                    idents(sfi, n, &mut |d| {
                        if used.contains(&d) && !vars.contains(&d) {
                            vars.push(d);
                        }
                    });
                    if !vars.is_empty() {
                        calls.push((span.end, vars));
                    }
                }
            }
        }
        true
    });
    calls.sort_by_key(|(end, _)| *end);
    calls
}

/// Whether a package variable is named as a benchmark sink (`sink`, `workSink`, `sinkInt`):
/// written only so that the compiler keeps a computation, its value is never used.
fn is_sink(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("sink") || lower.ends_with("sink")
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
    /// goroutine's, or the spawner's) or by one it calls directly; for a call that modifies
    /// a value not safe for concurrent use (`r.rnd.Int63n(n)` in a helper of a helper), a
    /// far more specific sign than an assignment, within two calls.
    fn both_sides(&mut self, m: &Model, race: &Race) -> bool {
        let (mine, other) = (m.access(race.mine.access), m.access(race.other.access));
        let calls = if mine.kind == AccessKind::Mutate {
            2
        } else {
            1
        };
        let mut near_goroutine = |s: SpawnIx, f: FuncIx| {
            let targets = &m.spawn(s).targets;
            targets.iter().any(|&t| self.calls_from(m, t, f, calls))
        };
        near_goroutine(race.spawn, mine.func)
            && match race.with {
                Other::SameGoroutine => near_goroutine(race.spawn, other.func),
                Other::Spawner => {
                    let spawner = in_place_top(m, m.spawn(race.spawn).func);
                    self.calls_from(m, spawner, other.func, calls)
                }
                Other::Goroutine(s) => near_goroutine(s, other.func),
            }
    }

    /// Whether what runs function `runner` runs `f` itself (`f` is `runner` or a literal it
    /// runs in place) or through at most `calls` (1 or 2) calls of functions of the package.
    fn calls_from(&mut self, m: &Model, runner: FuncIx, f: FuncIx, calls: u32) -> bool {
        let top = in_place_top(m, f);
        if top == runner || self.callees(m, runner).contains(&top) {
            return true;
        }
        if calls < 2 {
            return false;
        }
        let first: Vec<FuncIx> = self.callees(m, runner).iter().copied().collect();
        first.into_iter().any(|c| self.callees(m, c).contains(&top))
    }

    /// The functions `runner` calls directly (see `direct_callees`), found once.
    fn callees(&mut self, m: &Model, runner: FuncIx) -> &HashSet<FuncIx> {
        self.direct_callees
            .entry(runner)
            .or_insert_with(|| direct_callees(m, runner))
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
