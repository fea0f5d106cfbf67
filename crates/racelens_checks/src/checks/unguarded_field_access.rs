//! `unguarded-field-access`: a field that a type's methods write while holding one of the
//! type's mutexes, read or written by another method of the type without any of them.

use crate::model_facts::{
    documents_held_lock, entry_past_setup, in_goroutine, is_setup, is_test_code,
    locks_through_interface, receiver_def, runs_under_once, selected_var, selector_of,
    value_receiver,
};
use crate::syntactic::{builtin_name, unparen};
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_model::{
    AccessIx, AccessKind, Flat, FuncIx, Invocation, LockMode, Model, Place, PlaceId, SpawnKind,
};
use racelens_semantic::scope::{FxMap as HashMap, FxSet as HashSet};
use racelens_semantic::types::{PkgIdx, Program, Type, TypeId};
use racelens_semantic::DefKind;
use racelens_semantic::FuncRef;
use racelens_syntax::ast::{ExprId, ExprKind, StmtKind};
use racelens_syntax::walk::Node;
use racelens_syntax::File;

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "unguarded-field-access",
        category: Category::Correctness,
        summary: "A field written under a mutex of its type is accessed elsewhere without it.",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.2.0",
    needs_types: true,
    run: Some(run),
};

const DOCS: &str = r#"## What it does

Finds fields that the methods of a type write while holding one of the type's own mutexes
(`c.mu.Lock()`), and reports the methods of the same type that read or write such a field
while holding no lock at all. Methods are looked at as other goroutines reach them: the
type's exported methods, goroutines a method starts, and unexported methods the type starts
as goroutines. The related location shows a write made with the mutex held.

A channel field made with room for one token and used as a lock (`g.slot <- struct{}{}`
takes it, `<-g.slot` gives it back) is one of the type's mutexes too, also taken as a
try-lock (`select { case g.slot <- struct{}{}: default: return }`).

A field no write of which holds the mutex is reported too when a goroutine started by a
method (a function literal, or a method started with `go`) writes it without a lock while an
exported method of the type reads it with the mutex held: the goroutine runs alongside every
later call of that method. The related location then shows the read. So is such a field
written without the lock by an exported method of the type that takes the lock for its other
accesses (`h.sum += v` after `h.mu.Unlock()`): lock-aware code, meant to run concurrently.

Goroutines that a function of the package starts on a value it makes (a constructor's
`time.AfterFunc(ttl, func() { l.expired = true })`, a background loop started in `New`, an
unexported method of the value started as one: `go c.listen()`, `time.AfterFunc(ttl,
t.expire)`) are looked at too: they run after the function has handed the value out,
alongside its methods.

A method with a value receiver (`func (m Meter) Summary()`) on such a type copies the whole
value each time it is called, the guarded fields included, before its own `Lock` runs (and
that locks the copy's mutex). Its calls are reported where an exported function or method,
or a goroutine, makes them holding no lock, on a value others can reach: a field
(`p.meter.Summary()`), a package variable, or what a pointer parameter or receiver points
to. `go vet`'s copylocks reports the method's declaration; this reports the racing call.

Any function of the package that accesses such a field through a local variable or
parameter holding one of the type's mutexes (`c.mu.Lock(); v := c.value; c.mu.Unlock()`)
and later writes it through the same variable without any of them (`c.value = 0`) is
reported too: the lock was released too early, or another value's lock is held instead
(a registry's own lock while it ranges over its counters).

Values of a type with no mutex of its own, kept in a map or slice field of a type whose
mutex guards them (`l.buckets`, ranged over under `l.mu` by a refill goroutine), are
reported where a field of one of them is accessed holding no lock at all (`b.tokens--`
after `b := l.bucketFor(key)` released the lock, `e.expired = true` in a timer's callback,
`j.state = running` in the method a timer was started on, `time.AfterFunc(d, j.fire)`,
for a `j` put into the map),
when an access holding the holder's lock runs alongside it and one of the two writes: one
in what a goroutine of the package runs, the other in an exported method of the holding
type; or both in exported methods of the holding type, the one holding the lock writing
(`Refresh` setting `sess.expiresAt` under `s.mu`, `Lookup` reading it after taking the
session out of `s.sessions` and releasing the lock). A field only written when the value
is made, before it goes into the container, is not reported (also when a function of the
package made it and returned it to the caller: `a, err := r.newAlert(m)`, a constructor
that starts no goroutine and hands the value to nobody), nor is a field of a local
that holds a copy of the element (`item, ok := c.items[k]` of a map of struct values, not of
pointers): its fields are the function's own.

A function literal handed to a function of the package that keeps it for later (appends
it to a field, assigns it to a field or an element, sends it on a channel: an `OnChange`,
a `Subscribe`) runs whenever its keeper calls it, not where it is written. Its writes to
fields of a value it captured, holding no lock, are reported when an exported method of
the value's type accesses the same field holding one of the type's mutexes (`w.OnChange(func(u
Update) { q.limits[t] = n })` in a constructor, with `Admit` reading `q.limits` under
`q.mu`).

## Why is this bad?

A type that takes a mutex before writing a field says the field is shared between
goroutines. A method that reads it without the mutex can run while another goroutine writes
it: that is a data race, and the reader may see a torn or stale value. This is the most
common shape of data race in real Go code: the lock is taken in most places and forgotten
in one, typically a getter.

## Example

```go
package p

import "sync"

type Counter struct {
	mu    sync.Mutex
	value int64
}

func (c *Counter) Inc() {
	c.mu.Lock()
	c.value++
	c.mu.Unlock()
}

func (c *Counter) Value() int64 {
	return c.value
}
```

## Use instead

```go
package p

import "sync"

type Counter struct {
	mu    sync.Mutex
	value int64
}

func (c *Counter) Inc() {
	c.mu.Lock()
	c.value++
	c.mu.Unlock()
}

func (c *Counter) Value() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.value
}
```

## Known limitations

- A goroutine started by a function (not a method) is looked at only for a value the
  function makes itself (`x := &T{...}`, `T{...}`, `new(T)`), not one it is given or ranges
  over, and only against guarded accesses made outside what that goroutine runs.
- Calls into other packages are not followed for what they access; of another package of
  the workspace, only the locks a call takes or releases for its caller (a `Lock` method)
  are applied.
The check prefers silence where a lock discipline it cannot see may exist:

- Only fields of the receiver are looked at (`c.value` in a method of `c`'s type), and only
  when a method of the type writes the field on its receiver holding a mutex that is an
  unexported field of the same type. Types with an exported mutex (an embedded
  `sync.Mutex`, a `Mu` field) are left alone: their callers lock them too.
- Reads made with the mutex held are evidence only for a goroutine's writes, and only reads
  by exported methods other than the writing one, not after a receive from a channel of the
  value, an atomic load of its state or a wait (those may order them after the write):
  reads under the lock by unexported helpers, or by the goroutine itself, are not.
- Writes by methods named as set-up (`Start`, `Init...`, `Setup...`, `Register...`,
  `Configure...`, `Open...`, `Load...`, `With...` setters) or as decoding into the value
  (`Unmarshal...`) are no evidence, and accesses in them are not reported; nor are reads in
  `Close`, `Stop` and `Shutdown`. Functions that are not methods of the type
  (constructors) are not looked at.
- Only accesses made by the entry point itself (or a function literal in it), or by an
  unexported method of the type it calls on its receiver with no lock held (one call deep),
  are reported: a helper reached further often has a contract ("lock should be held") or a
  conditional lock the model does not see. Nor is a helper that calls `Lock` or `RLock` on
  anything itself (a lock taken under a flag or through a closure: `lock := func() { if
  needLock { s.mu.Lock() } }`), but for its own reads of a slice or map field that the
  guarded writes change in place (`append`, a map or element write), when the model sees
  the helper hold the guarding lock elsewhere: a janitor's sweep that takes the lock for
  its map and then ranges over the callbacks `OnEvict` appends to. A plain field it reads
  after such a lock is left alone (a value set once with what the helper then finds under
  the lock). An exported method that every call in the package makes with
  the lock held is taken to require it.
- Accesses holding any lock are not reported (a lock of another value may be the guard),
  nor are accesses in a method that calls `Lock` on something that is not a `sync` mutex
  (a condition variable's `L`, a project's own mutex type).
- Not reported: reads that come after the method first holds the guarding lock, of a field
  the method (or a helper it calls holding the lock) accessed under it (a copy after an
  initialisation made once under the lock, or of a value it just wrote), or that the
  method makes again under the lock (a double check: `double-checked-locking` reports
  those); a read before the method takes the lock (`if p.closed { return }` first), or
  after it of a field it did not touch under it, is reported (not through a helper the
  method calls after it: a loop that set its state under the lock may own the fields from
  then on). Nor a read after the method (or an unexported helper) called, not deferred, a
  method that writes the field holding the lock, itself or through a helper it calls
  holding it (`c.Start()` setting `c.protocol` under `c.l`, then `return c.protocol`;
  `c.ensureLoaded()` calling `c.refresh()` under `c.mu` when nothing is loaded yet): a read
  in that call's own arguments comes before it and is reported. Such a read still counts
  as a use without the lock for the rule below (a field set once, then read freely). The
  call is not asked whether it is the only writer: a read after it can still race with a
  write another goroutine makes later.
  Accesses in a method that receives from a channel field of the value; methods with a value receiver (they work on a copy);
  methods whose name ends in `Locked` (but for predicates such as `IsLocked`) or whose doc
  comment says the lock is held or restricts when they may be called, in whole words
  ("blocked" is not "locked"); methods only tests call, by name (`...ForTest`) or doc
  comment ("meant for tests only", "only useful for integration testing"); writes made by a
  method that returns early under the lock when a field says the work is done (one-time
  initialisation: an `if` reading a receiver field whose body is only a `return`, after an
  `Unlock` or not, and whose condition tests state rather than computes: no arithmetic and
  no call but of a method of the value or its fields, so `if
  r.tail-atomic.LoadUint64(&r.head) == n { return false }` is a full ring, not work done);
  fields of channel type or pointers to `sync` types; the length or capacity of a slice
  field (`len(p.conns)`), or a slice or map field compared with `nil` (`if fs.watchData !=
  nil`), when every guarded write only stores elements or entries (`p.conns[pos] = c`),
  which leaves the slice header or map reference alone (such a read is not counted as a
  use without the lock below); accesses inside
  `sync.Once.Do`, through `sync/atomic`, and under `if debug` for a constant `debug`;
  test files and test infrastructure (`integration/`, `testutil/`, `e2e/`, `testing/`).
- A field accessed without the lock in more methods than with it is taken to be guarded
  otherwise (set before sharing, owned by one goroutine, a snapshot copy).
- Accesses after an atomic load of a field of the value (a "done" flag), after waiting for
  a `WaitGroup` or group, or in a method that receives from a channel field of the value
  are taken to be ordered by that. So is a goroutine's access when every guarded write of
  the field is made, in the writing method itself, after that method (or a function it
  calls: `w.stop()`) waited for a `WaitGroup` the goroutine is counted by: the writer
  stopped the goroutine first. The load counts only when a function that updates the
  loaded field atomically (or a caller of it, up to three calls up) also writes the
  accessed field (for a write reported: accesses it), wherever in that function: a ring's
  `Len` that loads `head` says nothing about the `tail` only `Push` writes, and `Push`
  never updates `head`.
- One report per field and method, and per line.
- A write after the lock was released is reported only through a local variable or
  parameter (the receiver has the rules above), for a field a method of its type writes
  under the lock, after an access of the same field through the same variable holding the
  lock in the same function: not a write before the function first takes the lock (a value
  being set up), through another variable, to a value the function made, or in a function
  with a `goto` (the lock held at a label is not followed).
- Fields of values held by another type are followed only through local variables, on
  both sides, that take the value out of the same field (`b := l.buckets[k]`, `b, ok :=
  ...`, `for _, b := range l.buckets`), put it there (`l.buckets[k] = b`), or get it from a
  method of the package that returns such a variable of its own (`b := l.bucketFor(k)`):
  not through parameters, struct fields, or two calls deep. The goroutine side must be
  what a goroutine started outside test files runs (a test that writes one value from many
  goroutines says nothing of the fields it leaves alone), the other side an exported
  method of the holding type that no goroutine runs; values the function made are left
  out. Whether two accesses reach the same value is not known: a field updated only on
  values the lock-free side never sees (another node's entry) is still reported. An access
  in an unexported helper that every caller reaches holding the holder's lock, but for a
  set-up method (an `open` that replays a log into the value before it is shared), counts
  as holding the lock.
- Callbacks are followed only into a keeper of the package called directly with the
  literal as an argument (not a literal stored in a variable first, not a keeper of another
  package or reached through an interface), and only for writes the literal itself makes
  with no lock held where it is written (a callback registered while its writer holds the
  lock is taken as holding it).
- Calls of value-receiver methods are not reported on local variables (a copy already, or
  often a value the function made), on parameters passed by value, on composite literals or
  call results, nor from unexported functions, test files or with any lock held.
"#;

/// For an access reached through a call from entry point `root` (`fl.via`): whether that
/// call is the root's own, on its receiver, of the unexported method of the same type the
/// access is in (one call deep).
fn through_unlocked_helper(
    cx: &PackageCx<'_>,
    model: &Model,
    root: FuncIx,
    fl: &Flat,
    gs: &HashSet<PlaceId>,
    grown: bool,
    locks_itself: &mut HashMap<FuncIx, bool>,
) -> bool {
    let Some(via) = fl.via else {
        return false;
    };
    let helper = model.outermost(model.access(fl.access).func);
    let hf = model.func(helper);
    let rf = model.func(model.outermost(root));
    if hf.exported || hf.how != Invocation::Decl || rf.recv.is_none() || rf.recv != hf.recv {
        return false;
    }
    // A helper that locks anything itself, where the model may not follow it (under a
    // flag, through a closure: nats' `fsLock := func() { if needFSLock { fs.mu.Lock() } }`),
    // keeps a discipline of its own. But a read the helper makes itself of a list or map
    // the guarded writes change in place (`grown`), when the model sees the helper hold
    // one of the locks `gs` that guard it elsewhere, is looked at as any other: a
    // janitor's sweep that takes the lock for its map, then ranges over the callbacks
    // `OnEvict` appends to without it.
    // Asked once per helper: its accesses are many.
    if *locks_itself
        .entry(helper)
        .or_insert_with(|| cx.text(hf.file as usize, hf.span).contains("Lock()"))
        && !(grown
            && model.access(fl.access).func == helper
            && hf.accesses.iter().any(|&a| {
                let held = &model.access(a).locks;
                gs.iter().any(|&g| held.mode(g).is_some())
            }))
    {
        return false;
    }
    let (FuncRef::Decl(rdecl), Some(call)) = (
        rf.func,
        model
            .func(root)
            .calls
            .iter()
            .find(|c| c.span == via && c.callees.contains(&helper)),
    ) else {
        return false;
    };
    let file = rf.file as usize;
    let f = cx.files[file].ast;
    let ExprKind::Call { fun, .. } = f[call.expr].kind else {
        return false;
    };
    let ExprKind::Selector { x, .. } = f[unparen(f, fun)].kind else {
        return false;
    };
    let ExprKind::Ident(id) = f[unparen(f, x)].kind else {
        return false;
    };
    let bound = cx.scopes().binding(file, id);
    bound.is_some() && bound == receiver_def(cx, file, rdecl)
}

/// Where a function (with the literals it starts) first accesses something with a lock
/// held, and whether it reads a place with some lock held, answered per question from the
/// function's accesses (asking a lock set whether it holds the lock, rather than going
/// through every lock of every set).
struct HeldIn<'m> {
    model: &'m Model,
    by_home: HashMap<FuncIx, Vec<racelens_model::AccessIx>>,
    first: HashMap<(FuncIx, PlaceId), Option<u32>>,
    set_by_call: HashMap<(FuncIx, PlaceId), Option<u32>>,
    touches: HashMap<(FuncIx, PlaceId), bool>,
}

impl<'m> HeldIn<'m> {
    fn new(model: &'m Model) -> HeldIn<'m> {
        let mut by_home: HashMap<FuncIx, Vec<racelens_model::AccessIx>> = HashMap::default();
        for (i, o) in model.accesses.iter().enumerate() {
            if !o.locks.is_empty() {
                by_home
                    .entry(model.outermost(o.func))
                    .or_default()
                    .push(racelens_model::AccessIx(i as u32));
            }
        }
        HeldIn {
            model,
            by_home,
            first: HashMap::default(),
            set_by_call: HashMap::default(),
            touches: HashMap::default(),
        }
    }

    /// Where `home` first accesses something with `lock` held.
    fn first(&mut self, home: FuncIx, lock: PlaceId) -> Option<u32> {
        let (model, by_home) = (self.model, &self.by_home);
        *self.first.entry((home, lock)).or_insert_with(|| {
            by_home
                .get(&home)
                .into_iter()
                .flatten()
                .map(|&a| model.access(a))
                .filter(|o| o.locks.mode(lock).is_some())
                .map(|o| o.span.start)
                .min()
        })
    }

    /// Where the first call `home` makes of a function that writes `place` holding one of
    /// `locks` ends (`c.Start()`, which locks `c.l` to set `c.protocol`, before `Protocol`
    /// returns `c.protocol`), itself or through a helper it calls holding it: the call
    /// initialises the field under the lock. Not a deferred call (it runs at the return),
    /// and a read in the call's own arguments comes before it.
    fn first_set_by_call(
        &mut self,
        cx: &PackageCx<'_>,
        home: FuncIx,
        place: PlaceId,
        locks: &HashSet<PlaceId>,
    ) -> Option<u32> {
        let model = self.model;
        *self.set_by_call.entry((home, place)).or_insert_with(|| {
            // The lock may be held by the called function itself or, for a helper it calls
            // in turn, by that function around the call (`ensureLoaded()` locking, then
            // calling `refresh()` to set the field): the locks along the way count.
            let mut starts: Vec<u32> = model
                .runs_where(home, &|a| {
                    let o = model.access(a);
                    o.place == place && o.kind.is_write() && o.func != home
                })
                .iter()
                .filter(|fl| locks.iter().any(|&g| fl.locks.mode(g).is_some()))
                .map(|fl| fl.at)
                .collect();
            starts.sort_unstable();
            starts.dedup();
            // The end of the first such call that runs where it is written (not deferred).
            let file = model.func(home).file as usize;
            starts.into_iter().find_map(|at| {
                let call = model
                    .with_inline(home)
                    .into_iter()
                    .flat_map(|g| model.func(g).calls.iter())
                    .find(|c| c.span.start == at)?;
                (!crate::model_facts::in_defer(cx, file, call.expr)).then_some(call.span.end)
            })
        })
    }

    /// Whether `home` reads `place` with some lock held.
    fn locked_read(&self, home: FuncIx, place: PlaceId) -> bool {
        self.by_home.get(&home).into_iter().flatten().any(|&a| {
            let o = self.model.access(a);
            o.place == place && !o.kind.is_write()
        })
    }

    /// Whether `home` (with the literals in it, goroutines included) accesses `place` with
    /// some lock held, itself or through a helper it calls holding the lock
    /// (`c.authenticate()` setting defaults).
    fn touches_locked(&mut self, home: FuncIx, place: PlaceId) -> bool {
        let (model, by_home) = (self.model, &self.by_home);
        *self.touches.entry((home, place)).or_insert_with(|| {
            by_home
                .get(&home)
                .into_iter()
                .flatten()
                .any(|&a| model.access(a).place == place)
                || model
                    .runs_where(home, &|a| model.access(a).place == place)
                    .iter()
                    .any(|fl| !fl.locks.is_empty())
        })
    }
}

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    if !crate::gates::may_lock(cx) {
        return;
    }
    let Some(model) = cx.model() else {
        return;
    };
    let Some((mut prog, pkg)) = cx.types() else {
        return;
    };
    // The declared functions started as goroutines (`go p.loop()`).
    let started: HashSet<FuncIx> = model
        .spawns
        .iter()
        .flat_map(|sp| sp.targets.iter().copied())
        .filter(|&t| model.func(t).how == Invocation::Decl)
        .collect();
    // Reads under such a lock make a type a candidate too when a goroutine (or a method
    // that takes the lock for other accesses) writes a field of it without the lock: such
    // a write to a field its methods read with the lock held is reported (`read_guards`
    // below).
    // Whether function `f` runs in a goroutine that a function of the package starts.
    let by_goroutine = |f: FuncIx| in_goroutine(model, f) || started.contains(&model.outermost(f));
    // The types whose locks each function (with the literals it runs) holds at some access.
    // Gathered through the nodes the lock sets of a function share, not set by set: a
    // function holding thousands of locks at thousands of accesses would cost their product.
    let mut locks_in: HashMap<FuncIx, HashSet<TypeId>> = HashMap::default();
    {
        let mut held_by: HashMap<FuncIx, (HashSet<usize>, Vec<PlaceId>)> = HashMap::default();
        for a in &model.accesses {
            if a.locks.is_empty() {
                continue;
            }
            let (seen, locks) = held_by.entry(model.outermost(a.func)).or_default();
            a.locks.collect_new(seen, locks);
        }
        for (home, (_, locks)) in held_by {
            let owners: HashSet<TypeId> = locks
                .into_iter()
                .filter_map(|l| lock_owner(model, l))
                .collect();
            if !owners.is_empty() {
                locks_in.insert(home, owners);
            }
        }
    }
    // The lock places of each owner type, found once: the questions below look each up in
    // a lock set rather than go through every lock the set holds.
    let lock_places: HashMap<TypeId, Vec<PlaceId>> = {
        let (mut seen, mut all) = (HashSet::default(), Vec::new());
        for a in &model.accesses {
            a.locks.collect_new(&mut seen, &mut all);
        }
        for (i, f) in model.funcs.iter().enumerate() {
            for c in &f.calls {
                c.locks.collect_new(&mut seen, &mut all);
            }
            model
                .effective_entry(FuncIx(i as u32))
                .collect_new(&mut seen, &mut all);
        }
        all.sort_unstable();
        all.dedup();
        let mut by_owner: HashMap<TypeId, Vec<PlaceId>> = HashMap::default();
        for l in all {
            if let Some(o) = lock_owner(model, l) {
                by_owner.entry(o).or_default().push(l);
            }
        }
        by_owner
    };
    // The locks of type `owner` set `held` holds, with their modes.
    let owned = |held: &racelens_model::LockSet, owner: TypeId| -> Vec<(PlaceId, LockMode)> {
        lock_places
            .get(&owner)
            .into_iter()
            .flatten()
            .filter_map(|&l| held.mode(l).map(|m| (l, m)))
            .collect()
    };
    // A write made without the type's lock by an exported method of the type that takes
    // that lock for other accesses (`h.sum += v` after `h.mu.Unlock()`): lock-aware code
    // run concurrently, whose unguarded write races with the reads other methods make with
    // the lock held, as a goroutine's would.
    let unlocked_writer = |a: &racelens_model::Access| {
        let Place::Field { owner, .. } = model.place(a.place) else {
            return false;
        };
        let home = model.outermost(a.func);
        let hf = model.func(home);
        hf.recv == Some(*owner)
            && hf.exported
            && a.kind.is_write()
            && !a.kind.is_atomic()
            && locks_in.get(&home).is_some_and(|o| o.contains(owner))
            && owned(&a.locks.union(&model.effective_entry(a.func)), *owner).is_empty()
    };
    let racing_writes: HashSet<PlaceId> = model
        .accesses
        .iter()
        .filter(|a| a.kind.is_write() && !a.kind.is_atomic())
        .filter(|a| matches!(model.place(a.place), Place::Field { .. }))
        .filter(|a| by_goroutine(a.func) || unlocked_writer(a))
        .map(|a| a.place)
        .collect();
    // Types with fields written under one of their own locks somewhere: the candidates.
    let mut owners: HashSet<TypeId> = HashSet::default();
    for a in &model.accesses {
        if a.kind.is_atomic() {
            continue;
        }
        let Place::Field { owner, .. } = model.place(a.place) else {
            continue;
        };
        if !a.kind.is_write() && !racing_writes.contains(&a.place) {
            continue;
        }
        let held = a.locks.union(&model.effective_entry(a.func));
        if owned(&held, *owner)
            .iter()
            .any(|&(_, m)| m == LockMode::Write || !a.kind.is_write())
        {
            owners.insert(*owner);
        }
    }
    // Fields of types without a lock of their own, guarded by a lock of the type holding
    // their values: whether or not any type guards fields of its own.
    owner_guarded(cx, model, &mut prog, pkg, &lock_places, out);
    registered_callbacks(cx, model, &lock_places, &owned, out);
    if owners.is_empty() {
        return;
    }
    // What each root (an entry point of its own type) runs, and the guarded writes among
    // that: a write made only by a constructor or an initialisation helper is no evidence.
    let sites = call_sites(model);
    let roots: Vec<(FuncIx, Vec<Flat>)> = roots(cx, model, &owners)
        .into_iter()
        .filter(|&r| !always_called_locked(model, &sites, r))
        .map(|r| {
            // A goroutine a function starts looks at the fields of every candidate type.
            let own = model.func(model.outermost(r)).recv;
            let runs = model.runs_where(r, &|a| match model.place(model.access(a).place) {
                Place::Field { owner, .. } => own.map_or(owners.contains(owner), |o| o == *owner),
                Place::Var(_) => false,
            });
            (r, runs)
        })
        .collect();
    let mut guards: HashMap<PlaceId, Vec<(AccessIx, PlaceId)>> = HashMap::default();
    // Reads made with a lock of the type held by the entry points themselves (not set-up
    // methods): the evidence for a goroutine's unguarded writes when no write is guarded.
    let mut read_guards: HashMap<PlaceId, Vec<(AccessIx, PlaceId)>> = HashMap::default();
    // `initialises_once` by function: it reads the function's statements, and a long
    // method makes many writes.
    let mut once: HashMap<FuncIx, bool> = HashMap::default();
    for (_, runs) in &roots {
        for fl in runs {
            let a = model.access(fl.access);
            let Place::Field { owner, .. } = model.place(a.place) else {
                continue;
            };
            if a.kind.is_atomic() {
                continue;
            }
            let home = model.outermost(a.func);
            let hf = model.func(home);
            let hfile = cx.files[hf.file as usize].ast;
            if !a.kind.is_write() {
                // A read of a field some goroutine (or a method locking for other accesses)
                // writes unguarded, with a lock of the type held, by
                // an exported method of the type (not one that sets the value up or tears it
                // down) itself.
                let held: Vec<PlaceId> = owned(&fl.locks, *owner)
                    .into_iter()
                    .map(|(l, _)| l)
                    .collect();
                let setup = match hf.func {
                    FuncRef::Decl(d) => setup_or_teardown(hfile, d, false),
                    FuncRef::Lit(_) => true,
                };
                if !held.is_empty()
                    && racing_writes.contains(&a.place)
                    && hf.recv == Some(*owner)
                    && hf.exported
                    && !setup
                    && !in_goroutine(model, a.func)
                    && on_receiver(cx, model, fl.access)
                {
                    let reads = read_guards.entry(a.place).or_default();
                    reads.extend(held.into_iter().map(|l| (fl.access, l)));
                }
                continue;
            }
            // The lock must be held by the writing method itself or by every caller of
            // it (a helper that some callers call with the lock and others without is no
            // evidence), and the write must be in a method of the type.
            let setup = match hf.func {
                FuncRef::Decl(d) => is_setup(hfile, d),
                FuncRef::Lit(_) => false,
            };
            if hf.recv != Some(*owner)
                || setup
                || *once
                    .entry(home)
                    .or_insert_with(|| initialises_once(cx, model, home))
                || !on_receiver(cx, model, fl.access)
            {
                continue;
            }
            let held = a.locks.union(&model.effective_entry(a.func));
            for (l, mode) in owned(&held, *owner) {
                // The stand-in for a `...Locked` function's caller's lock names no field.
                let stand_in = matches!(model.place(l), Place::Field { name, .. } if &**name == racelens_model::CALLER_LOCK);
                if mode == LockMode::Write && !stand_in {
                    guards.entry(a.place).or_default().push((fl.access, l));
                }
            }
        }
    }
    for list in guards.values_mut().chain(read_guards.values_mut()) {
        list.sort();
        list.dedup();
    }
    // For the reads below: the locks each field's guarded writes hold, and the locks each
    // function (with the literals it starts) holds at some access, found once rather than
    // by a scan of the whole model per read.
    let guard_locks: HashMap<PlaceId, HashSet<PlaceId>> = guards
        .iter()
        .map(|(&place, list)| (place, list.iter().map(|&(_, l)| l).collect()))
        .collect();
    let mut orders = Orders::default();
    let mut held_in: Option<HeldIn> = None;
    let mut locks_itself: HashMap<FuncIx, bool> = HashMap::default();
    let mut helper_calls: HashMap<(FuncIx, u32, FuncIx, PlaceId), bool> = HashMap::default();
    // The functions that access each field with a lock of its type held: the consistency
    // the unguarded accesses deviate from.
    let mut guarded_homes: HashMap<PlaceId, HashSet<FuncIx>> = HashMap::default();
    for (_, runs) in &roots {
        for fl in runs {
            let a = model.access(fl.access);
            let Place::Field { owner, .. } = model.place(a.place) else {
                continue;
            };
            if !owned(&fl.locks, *owner).is_empty() && on_receiver(cx, model, fl.access) {
                guarded_homes
                    .entry(a.place)
                    .or_default()
                    .insert(model.outermost(a.func));
            }
        }
    }
    let mut read_evidence_of: HashMap<(PlaceId, FuncIx), ReadEvidence> = HashMap::default();
    let mut joined: HashMap<(FuncIx, PlaceId), bool> = HashMap::default();
    let mut found: Vec<Found> = Vec::new();
    // Functions that read a field without the lock after a call set it under the lock, by
    // field: not reported, but counted among the unguarded uses below.
    let mut read_after_set: HashMap<PlaceId, HashSet<FuncIx>> = HashMap::default();
    let mut reported: HashSet<(PlaceId, FuncIx)> = HashSet::default();
    let mut reported_lines: HashSet<(FuncIx, u32)> = HashSet::default();
    for (root, runs) in &roots {
        let root = *root;
        // What the root runs, for a goroutine a function starts: found once, when asked.
        let mut root_reached: Option<HashSet<FuncIx>> = None;
        for fl in runs {
            let acc = model.access(fl.access);
            // Guarded writes are the evidence; for a write by a goroutine, guarded reads
            // are enough (the goroutine runs alongside every later call of the readers).
            // The reads must be made by other methods, exported (callable at any time), and
            // not after something that orders them after the goroutine's writes (a receive
            // from a channel of the value, as `Err` after `<-done`).
            // Found once per field and writing function: a goroutine writing a field
            // thousands of times would otherwise go through its guarded reads for each.
            let read_locks;
            let (gs, by_reads) = match guard_locks.get(&acc.place) {
                Some(gs) => (gs, None),
                None if acc.kind.is_write() && (by_goroutine(acc.func) || unlocked_writer(acc)) => {
                    let home = model.outermost(acc.func);
                    let evidence = read_evidence_of
                        .entry((acc.place, home))
                        .or_insert_with(|| {
                            read_evidence(model, &read_guards, &mut orders, acc.place, home)
                        })
                        .clone();
                    let Some((first, locks)) = evidence else {
                        continue;
                    };
                    read_locks = locks;
                    (&*read_locks, Some(first))
                }
                None => continue,
            };
            if by_reads.is_none()
                && *joined
                    .entry((root, acc.place))
                    .or_insert_with(|| joined_before_writes(model, root, &guards[&acc.place]))
            {
                continue;
            }
            // Any lock held is taken as a deliberate discipline (a write under a read lock
            // is another check's business, a lock of another value may be the guard).
            // Only accesses made by the entry point itself, or by an unexported method of
            // its type it calls on its receiver with no lock held: a helper reached further
            // often has a lock contract the model does not see (conditional locking, "lock
            // should be held" comments).
            let helper = fl.via.is_some();
            if acc.kind.is_atomic()
                || !fl.locks.is_empty()
                || (helper && {
                    // By root, call, helper and field: a helper's accesses are many.
                    let key = (root, fl.at, model.outermost(acc.func), acc.place);
                    !match helper_calls.get(&key) {
                        Some(&ok) => ok,
                        None => {
                            // Whether a guarded write grows or changes the field in place.
                            let grown = guards.get(&acc.place).is_some_and(|ws| {
                                ws.iter().any(|&(w, _)| {
                                    matches!(
                                        model.access(w).kind,
                                        AccessKind::Append
                                            | AccessKind::MapWrite
                                            | AccessKind::ElemWrite
                                    )
                                })
                            });
                            let ok = through_unlocked_helper(
                                cx,
                                model,
                                root,
                                fl,
                                gs,
                                grown,
                                &mut locks_itself,
                            );
                            helper_calls.insert(key, ok);
                            ok
                        }
                    }
                })
            {
                continue;
            }
            let Place::Field { owner, .. } = model.place(acc.place) else {
                continue;
            };
            let home = model.outermost(acc.func);
            if reported.contains(&(acc.place, home)) {
                continue;
            }
            let hf = model.func(home);
            let FuncRef::Decl(decl) = hf.func else {
                continue;
            };
            // Or a goroutine a function starts, through a local variable of the type (below).
            let by_function = hf.recv.is_none() && in_goroutine(model, acc.func);
            if hf.recv != Some(*owner) && !by_function {
                continue;
            }
            let file = hf.file as usize;
            let f = cx.files[file].ast;
            if is_test_code(cx.files[file].path)
                || value_receiver(f, decl)
                || documents_held_lock(f, decl)
                || (!in_goroutine(model, acc.func)
                    && setup_or_teardown(f, decl, acc.kind.is_write()))
                || locks_through_interface(cx, &mut prog, pkg, file, decl)
            {
                continue;
            }
            // The entry point that calls the helper passes the same filters.
            if helper {
                let rf = model.func(model.outermost(root));
                let FuncRef::Decl(rdecl) = rf.func else {
                    continue;
                };
                let rfile = cx.files[rf.file as usize].ast;
                if documents_held_lock(rfile, rdecl)
                    || (!in_goroutine(model, root)
                        && setup_or_teardown(rfile, rdecl, acc.kind.is_write()))
                {
                    continue;
                }
            }
            let Some((sel_e, x, _)) = selector_of(cx.files[file].ast, acc.expr) else {
                continue;
            };
            // The length of a slice field (`len(p.conns)`), or a map or slice field compared
            // with nil (`if fs.watchData != nil`), while the guarded writes only store
            // elements or entries (`p.conns[pos] = c`, `fs.watchData[dir] = d`): they leave
            // alone the header or map reference it reads.
            if acc.kind == AccessKind::Read
                && guards.get(&acc.place).is_some_and(|ws| {
                    ws.iter().all(|&(w, _)| {
                        matches!(
                            model.access(w).kind,
                            AccessKind::ElemWrite | AccessKind::MapWrite
                        )
                    })
                })
                && header_only(cx, &mut prog, pkg, file, sel_e)
            {
                continue;
            }
            let ExprKind::Ident(xid) = f[unparen(f, x)].kind else {
                continue;
            };
            let through = cx.scopes().binding(file, xid);
            // A value the function makes (`l := &Lease{...}`, `new(Lease)`): it hands it out,
            // and its goroutine keeps running.
            let own_local = |d: racelens_semantic::DefId| {
                let def = cx.scopes().def(d);
                def.kind == DefKind::LocalVar
                    && def.func == Some(FuncRef::Decl(decl))
                    && made_here(cx, d)
                    && prog.deref_type(prog.type_of(pkg, file, x)) == *owner
            };
            let bound = if by_function {
                through.is_some_and(own_local)
            } else {
                through.is_some() && through == receiver_def(cx, file, decl)
            };
            if !bound {
                continue;
            }
            // A constructor's goroutine races only with what others run: the guarded
            // accesses that are the evidence must not all be its own (etcd's broadcast
            // goroutine reads `wb.nextrev` before its own `bcast` writes it under the lock).
            if by_function {
                let reached =
                    root_reached.get_or_insert_with(|| model.reached(root).into_iter().collect());
                let others = guards
                    .get(&acc.place)
                    .into_iter()
                    .chain(read_guards.get(&acc.place))
                    .flatten()
                    .any(|&(g, _)| {
                        let gf = model.access(g).func;
                        !reached.contains(&gf) && !reached.contains(&model.outermost(gf))
                    });
                if !others {
                    continue;
                }
            }
            if runs_under_once(cx, &prog, pkg, model, acc.func)
                || in_disabled_code(cx, file, sel_e)
                || !shared_kind(&prog, pkg, file, sel_e)
            {
                continue;
            }
            // A read in a function that takes the guarding lock itself after it, and
            // accesses the field while holding it, is deliberate: it comes after an
            // initialisation made once under the lock, or copies out a value the function
            // just wrote. So is a read the function makes again under the lock (a double
            // check: `double-checked-locking`'s business). A read before the function
            // first holds the lock is a fast path that races with the writes (`if
            // p.closed { return }` before `p.mu.Lock()`), and so is a read after it of a
            // field the function did not touch under the lock (a timer's callback reading
            // `stopped` after taking `pending` under the lock). Not through a helper the
            // function calls after taking the lock: a loop that set its state under the lock
            // may own the fields from then on (a supervisor's `Serve`).
            if !acc.kind.is_write() {
                let held = held_in.get_or_insert_with(|| HeldIn::new(model));
                // For a helper's access: where the entry point calls it.
                let (at_home, at) = match helper {
                    true => (model.outermost(root), fl.at),
                    false => (home, acc.span.start),
                };
                // Whether `h` held the lock before offset `at` (or at it, for the access's
                // own function) and touched the field under it; for the entry point that
                // calls a helper (`owns`), a lock it took before that call, whatever it
                // touched.
                let mut after = |h: FuncIx, at: u32, owns: bool| {
                    gs.iter().any(|&g| {
                        held.first(h, g)
                            .is_some_and(|first| first < at || (!owns && first == at))
                    }) && (owns || held.touches_locked(h, acc.place))
                };
                let after =
                    after(home, acc.span.start, false) || (helper && after(at_home, at, true));
                let rechecked = held.locked_read(at_home, acc.place)
                    && gs.iter().any(|&g| held.first(at_home, g).is_some());
                if after || rechecked {
                    continue;
                }
                // A call initialising the field under the lock before the read orders the
                // two in the function that makes both, whoever calls it. The read is still
                // a use without the lock for the count below: a field set once and then
                // read freely is what that count tells.
                if held
                    .first_set_by_call(cx, home, acc.place, gs)
                    .is_some_and(|end| end <= acc.span.start)
                {
                    read_after_set.entry(acc.place).or_default().insert(home);
                    continue;
                }
            }
            // A function that receives from a channel of the value may be ordered after
            // the writes by it (`<-s.headerChan; return s.header`); so may an access after
            // an atomic load of the value's state (`if !c.handshakeComplete() { ... }`) or
            // after waiting for goroutines.
            // A reported write conflicts with any access the load may order it after.
            let any_access = acc.kind.is_write();
            if orders.ordered_before(model, home, (*owner, acc.place), acc.span.start, any_access) {
                continue;
            }
            // One report per line: `f(t.a, t.b, t.c)` is one forgotten lock.
            let line = cx.location(file, acc.span).start.line;
            if !reported_lines.insert((home, line)) {
                continue;
            }
            reported.insert((acc.place, home));
            found.push(Found {
                root,
                access: fl.access,
                via: fl.via,
                sel: sel_e,
                x,
                file,
                by_reads,
            });
        }
    }
    // Report a field only where its unguarded uses do not outnumber its guarded ones: a
    // field used without the lock in most methods is probably guarded otherwise (set
    // before the value is shared, owned by one goroutine, or a snapshot copy).
    let mut unguarded_homes = read_after_set;
    for fd in &found {
        let a = model.access(fd.access);
        unguarded_homes
            .entry(a.place)
            .or_default()
            .insert(model.outermost(a.func));
    }
    for fd in found {
        let acc = model.access(fd.access);
        let guarded = guarded_homes.get(&acc.place).map_or(0, |h| h.len());
        if unguarded_homes[&acc.place].len() > guarded {
            continue;
        }
        let Place::Field { name, .. } = model.place(acc.place) else {
            continue;
        };
        let (root, file, x, sel_e) = (fd.root, fd.file, fd.x, fd.sel);
        let f = cx.files[file].ast;
        {
            let (gacc, glock) = fd.by_reads.unwrap_or_else(|| guards[&acc.place][0]);
            let g = model.access(gacc);
            let gfile = model.access_file(gacc) as usize;
            let gf = cx.files[gfile].ast;
            let lock_name = match model.place(glock) {
                Place::Field { name, .. } => name.to_string(),
                _ => continue,
            };
            // An exported mutex (embedded `sync.Mutex`, a `Mu` field) is locked by callers
            // too: the type's methods may rely on a lock their caller holds.
            if lock_name.starts_with(|c: char| c.is_ascii_uppercase()) {
                continue;
            }
            let recv_text = cx.text(file, f[x].span);
            let grecv = selector_of(gf, g.expr)
                .map(|(_, gx, _)| cx.text(gfile, gf[gx].span).to_string())
                .unwrap_or_else(|| recv_text.to_string());
            let field = format!("{recv_text}.{name}");
            let verb = match acc.kind {
                racelens_model::AccessKind::Mutate => "modified",
                k if k.is_write() => "written",
                _ => "read",
            };
            let (guarded, evidence) = if fd.by_reads.is_some() {
                ("reads", "read")
            } else {
                ("writes", "written")
            };
            let mut d = Diagnostic::new(
                CHECK.info.name,
                CHECK.info.category,
                format!(
                    "`{field}` is {verb} without holding `{recv_text}.{lock_name}`, which guards its {guarded} elsewhere"
                ),
                cx.location(file, f[sel_e].span),
            )
            .with_related(
                format!("{evidence} with `{grecv}.{lock_name}` held here"),
                cx.location(gfile, g.span),
            );
            if let Some(via) = fd.via {
                let rf = model.func(root).file as usize;
                d = d.with_related(
                    format!(
                        "reached without the lock from `{}` here",
                        model.func(root).name
                    ),
                    cx.location(rf, via),
                );
            }
            out.push(d.with_help(format!(
                "hold `{recv_text}.{lock_name}` while accessing `{field}`, or make the field a `sync/atomic` type"
            )));
        }
    }
    value_copies(cx, &prog, pkg, model, &guards, &by_goroutine, out);
    released_early(cx, model, &guards, &owned, out);
}

/// Callbacks handed to a function of the package that keeps them (`w.OnChange(func(l
/// Limits) { q.limits[t] = n })`, with `OnChange` appending its parameter to a field): they
/// run later, from wherever the keeper calls them, not where they are written. A write
/// such a callback makes, holding no lock, to a field of a value it captured, is reported
/// when an exported method of the field's type accesses the field holding one of the
/// type's mutexes.
fn registered_callbacks(
    cx: &PackageCx<'_>,
    model: &Model,
    lock_places: &HashMap<TypeId, Vec<PlaceId>>,
    owned: &OwnedLocks<'_>,
    out: &mut Vec<Diagnostic>,
) {
    // The calls of the package with their callees, found when a literal first needs them.
    let mut calls_at: Option<CallsBySpan<'_>> = None;
    let mut kept: HashMap<(FuncIx, usize), bool> = HashMap::default();
    let mut evidence: HashMap<PlaceId, Option<(AccessIx, PlaceId)>> = HashMap::default();
    let mut reported: HashSet<PlaceId> = HashSet::default();
    for (i, fun) in model.funcs.iter().enumerate() {
        let FuncRef::Lit(lit) = fun.func else {
            continue;
        };
        let fi = FuncIx(i as u32);
        // A write the literal itself makes, holding no lock, to a field of a type with a
        // lock: asked first, since most literals make none.
        let candidate = |a: &AccessIx| {
            let acc = model.access(*a);
            acc.kind.is_write()
                && !acc.kind.is_atomic()
                && acc.locks.is_empty()
                && acc.func == fi
                && matches!(model.place(acc.place), Place::Field { owner, .. } if lock_places.contains_key(owner))
        };
        if fun.how != Invocation::Inline || !fun.accesses.iter().any(candidate) {
            continue;
        }
        let file = fun.file as usize;
        if is_test_code(cx.files[file].path) {
            continue;
        }
        let f = cx.files[file].ast;
        // The call the literal is an argument of, and its position among the arguments.
        let Some(Node::Expr(call)) = cx.parents(file).parent(Node::Expr(lit)) else {
            continue;
        };
        let ExprKind::Call { args, .. } = f[call].kind else {
            continue;
        };
        let Some(arg) = f[args].iter().position(|&a| unparen(f, a) == lit) else {
            continue;
        };
        let calls_at = calls_at.get_or_insert_with(|| calls_by_span(model));
        let span = f[call].span;
        let Some(&&[keeper]) = calls_at.get(&(file, span.start, span.end)) else {
            continue;
        };
        if !*kept
            .entry((keeper, arg))
            .or_insert_with(|| keeps_param(cx, model, keeper, arg))
        {
            continue;
        }
        for &a in fun.accesses.iter().filter(|a| candidate(a)) {
            let acc = model.access(a);
            let Place::Field { owner, .. } = model.place(acc.place) else {
                continue;
            };
            if reported.contains(&acc.place) {
                continue;
            }
            // Through a variable the callback captured, not one of its own.
            let Some(d) = selected_var(cx, file, acc.expr) else {
                continue;
            };
            let def = cx.scopes().def(d);
            if !matches!(
                def.kind,
                DefKind::LocalVar | DefKind::Param | DefKind::Receiver
            ) || (def.file == Some(file as u32)
                && def
                    .ident
                    .is_some_and(|id| (fun.span.start..fun.span.end).contains(&f[id].span.start)))
            {
                continue;
            }
            let guard = *evidence.entry(acc.place).or_insert_with(|| {
                model.accesses.iter().enumerate().find_map(|(j, b)| {
                    if b.place != acc.place {
                        return None;
                    }
                    let bf = model.func(model.outermost(b.func));
                    if bf.recv != Some(*owner) || !bf.exported {
                        return None;
                    }
                    let held = b.locks.union(&model.effective_entry(b.func));
                    owned(&held, *owner)
                        .first()
                        .map(|&(l, _)| (AccessIx(j as u32), l))
                })
            });
            let Some((g, lock)) = guard else {
                continue;
            };
            reported.insert(acc.place);
            let Place::Field {
                name: lock_name, ..
            } = model.place(lock)
            else {
                continue;
            };
            let text = crate::goroutine_race::place_text(cx, model, a);
            let keeper_name = model.func(keeper).short_name();
            let gf = model.access_file(g) as usize;
            out.push(
                Diagnostic::new(
                    CHECK.info.name,
                    CHECK.info.category,
                    format!(
                        "`{text}` is written without holding `{lock_name}` by a callback that `{keeper_name}` keeps and calls later, while `{lock_name}` guards it elsewhere"
                    ),
                    cx.location(file, acc.span),
                )
                .with_related(
                    format!("accessed with `{lock_name}` held here"),
                    cx.location(gf, model.access(g).span),
                )
                .with_related(
                    format!("the callback handed to `{keeper_name}` here"),
                    cx.location(file, f[call].span),
                )
                .with_help(format!("take `{lock_name}` inside the callback around the write")),
            );
        }
    }
}

/// Whether declared function `keeper` keeps its parameter number `arg` for later: assigns
/// it to a field or an element (`w.cb = fn`, `w.subs[k] = fn`), appends it to one
/// (`w.subs = append(w.subs, fn)`) or sends it on a channel.
fn keeps_param(cx: &PackageCx<'_>, model: &Model, keeper: FuncIx, arg: usize) -> bool {
    let k = model.func(keeper);
    let Some(&Some(param)) = k.params.get(arg) else {
        return false;
    };
    let file = k.file as usize;
    let f = cx.files[file].ast;
    let is_param = |e: ExprId| match f[unparen(f, e)].kind {
        ExprKind::Ident(id) => cx.scopes().binding(file, id) == Some(param),
        _ => false,
    };
    let holds_param = |e: ExprId| {
        is_param(e)
            || match &f[unparen(f, e)].kind {
                ExprKind::Call { fun, args, .. } => {
                    matches!(f[unparen(f, *fun)].kind, ExprKind::Ident(id) if f.ident_name(id) == "append")
                        && f[*args].iter().skip(1).any(|&a| is_param(a))
                }
                _ => false,
            }
    };
    f.stmts.iter().any(|st| {
        if st.span.start < k.span.start || st.span.end > k.span.end {
            return false;
        }
        match &st.kind {
            StmtKind::Assign { lhs, rhs, .. } => {
                let (lhs, rhs) = (&f[*lhs], &f[*rhs]);
                lhs.len() == rhs.len()
                    && lhs.iter().zip(rhs.iter()).any(|(&l, &r)| {
                        holds_param(r)
                            && matches!(
                                f[unparen(f, l)].kind,
                                ExprKind::Selector { .. } | ExprKind::Index { .. }
                            )
                    })
            }
            StmtKind::Send { value, .. } => is_param(*value),
            _ => false,
        }
    })
}

/// The package's calls with their callees, by file and span.
type CallsBySpan<'m> = HashMap<(usize, u32, u32), &'m [FuncIx]>;

/// Every call of the package's functions, keyed by its file and span.
fn calls_by_span(model: &Model) -> CallsBySpan<'_> {
    let mut out = CallsBySpan::default();
    for fun in &model.funcs {
        for c in &fun.calls {
            out.insert(
                (fun.file as usize, c.span.start, c.span.end),
                c.callees.as_slice(),
            );
        }
    }
    out
}

/// Where the values a function works on come from: the container field a local variable's
/// value is taken out of or put into.
struct Containers<'c, 'a> {
    cx: &'c PackageCx<'a>,
    model: &'c Model,
    /// The field places accessed at each (file, offset): the container of `o.F[k]` is the
    /// place of the access that starts where `o.F` does.
    fields_at: HashMap<(usize, u32), Vec<PlaceId>>,
    /// The model's calls by file and span.
    calls_at: CallsBySpan<'c>,
}

impl<'c, 'a> Containers<'c, 'a> {
    fn new(cx: &'c PackageCx<'a>, model: &'c Model) -> Containers<'c, 'a> {
        let mut fields_at: HashMap<(usize, u32), Vec<PlaceId>> = HashMap::default();
        for (i, acc) in model.accesses.iter().enumerate() {
            if matches!(model.place(acc.place), Place::Field { .. }) {
                let file = model.access_file(AccessIx(i as u32)) as usize;
                fields_at
                    .entry((file, acc.span.start))
                    .or_default()
                    .push(acc.place);
            }
        }
        Containers {
            cx,
            model,
            fields_at,
            calls_at: calls_by_span(model),
        }
    }

    /// The container of the variable access `a` selects its field from (`b` of
    /// `b.tokens`): a local variable of the function assigned `o.F[k]` (also with `, ok`),
    /// ranging over `o.F`, stored into `o.F[k]`, or assigned the result of a method of the
    /// package that returns such a variable of its own (`b := l.bucketFor(client)`).
    fn of(&self, a: AccessIx) -> Option<PlaceId> {
        let acc = self.model.access(a);
        let file = self.model.access_file(a) as usize;
        let d = selected_var(self.cx, file, acc.expr)?;
        match self.cx.scopes().def(d).kind {
            DefKind::LocalVar => {
                let home = self.model.func(self.model.outermost(acc.func));
                self.of_var(file, home.span, d, true)
            }
            DefKind::Receiver => self.of_started_receiver(acc.func),
            _ => None,
        }
    }

    /// The container of the receiver of method `f`, when `f` runs as a goroutine or timer
    /// callback started on a method value of a local variable (`time.AfterFunc(d, j.fire)`,
    /// `go j.run()`): that variable's container in the function that starts it.
    fn of_started_receiver(&self, f: FuncIx) -> Option<PlaceId> {
        let model = self.model;
        model.func(f).recv?;
        model.spawns.iter().find_map(|s| {
            if !s.targets.contains(&f) {
                return None;
            }
            let home = model.func(model.outermost(s.func));
            let file = home.file as usize;
            let sf = self.cx.files[file].ast;
            let ExprKind::Call { fun, ref args, .. } = sf[s.call].kind else {
                return None;
            };
            let value = match s.kind {
                SpawnKind::Go => fun,
                SpawnKind::AfterFunc => *sf[args].get(1)?,
                _ => return None,
            };
            let ExprKind::Selector { x, .. } = sf[unparen(sf, value)].kind else {
                return None;
            };
            let ExprKind::Ident(id) = sf[unparen(sf, x)].kind else {
                return None;
            };
            let v = self.cx.scopes().binding(file, id)?;
            if self.cx.scopes().def(v).kind != DefKind::LocalVar {
                return None;
            }
            self.of_var(file, home.span, v, true)
        })
    }

    /// The container of local variable `d`, from the statements of file `file` within
    /// `span`; through one call of a method returning such a variable when `follow`.
    fn of_var(
        &self,
        file: usize,
        span: racelens_syntax::ast::Span,
        d: racelens_semantic::DefId,
        follow: bool,
    ) -> Option<PlaceId> {
        let f = self.cx.files[file].ast;
        let is_d = |e: ExprId| match f[unparen(f, e)].kind {
            ExprKind::Ident(id) => self.cx.scopes().binding(file, id) == Some(d),
            _ => false,
        };
        // The place of field `o.F` of a container expression `o.F` (or `o.F[k]`).
        let field_of = |e: ExprId| -> Option<PlaceId> {
            let e = unparen(f, e);
            let sel = match f[e].kind {
                ExprKind::Index { x, .. } => unparen(f, x),
                _ => e,
            };
            let ExprKind::Selector { sel: name, .. } = f[sel].kind else {
                return None;
            };
            let name = f.ident_name(name);
            self.fields_at
                .get(&(file, f[sel].span.start))?
                .iter()
                .copied()
                .find(|&p| matches!(self.model.place(p), Place::Field { name: n, .. } if &**n == name))
        };
        let index_of = |e: ExprId| match f[unparen(f, e)].kind {
            ExprKind::Index { .. } => field_of(e),
            _ => None,
        };
        for st in &f.stmts {
            if st.span.start < span.start || st.span.end > span.end {
                continue;
            }
            match &st.kind {
                StmtKind::Assign { lhs, rhs, .. } => {
                    let (lhs, rhs) = (&f[*lhs], &f[*rhs]);
                    for (i, &l) in lhs.iter().enumerate() {
                        let r = if rhs.len() == lhs.len() {
                            rhs[i]
                        } else if rhs.len() == 1 && i == 0 {
                            rhs[0]
                        } else {
                            continue;
                        };
                        let found = if is_d(l) {
                            index_of(r).or_else(|| {
                                if !follow {
                                    return None;
                                }
                                let ExprKind::Call { .. } = f[unparen(f, r)].kind else {
                                    return None;
                                };
                                let span = f[unparen(f, r)].span;
                                let &&[c] = self.calls_at.get(&(file, span.start, span.end))?
                                else {
                                    return None;
                                };
                                self.returned(c)
                            })
                        } else if is_d(r) {
                            // Stored into the container: `o.F[k] = d`.
                            index_of(l)
                        } else {
                            None
                        };
                        if found.is_some() {
                            return found;
                        }
                    }
                }
                StmtKind::Range { key, value, x, .. }
                    if key.is_some_and(is_d) || value.is_some_and(is_d) =>
                {
                    if let Some(p) = field_of(*x) {
                        return Some(p);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The container of what declared function `c` returns: a local variable of its own
    /// taken out of or put into a field of its receiver's type (`return b`).
    fn returned(&self, c: FuncIx) -> Option<PlaceId> {
        let fun = self.model.func(c);
        let file = fun.file as usize;
        let f = self.cx.files[file].ast;
        let mut found = None;
        for st in &f.stmts {
            if st.span.start < fun.span.start || st.span.end > fun.span.end {
                continue;
            }
            let StmtKind::Return { results } = &st.kind else {
                continue;
            };
            let &[r, ..] = &f[*results][..] else {
                return None;
            };
            let ExprKind::Ident(id) = f[unparen(f, r)].kind else {
                return None;
            };
            let d = self.cx.scopes().binding(file, id)?;
            let p = self.of_var(file, fun.span, d, false)?;
            if found.is_some_and(|q| q != p) {
                return None;
            }
            found = Some(p);
        }
        found
    }
}

/// Fields of a type with no mutex of its own (`(*bucket).tokens`, `(*Session).expired`),
/// values of which another type holds (in a map, a slice, a field) and accesses holding
/// one of its own mutexes (`l.mu` while ranging over `l.buckets`): reported where such a
/// field is accessed holding no lock at all, when the two accesses run alongside each other
/// (one in what a goroutine runs, the other in an exported method of the holding type
/// that no goroutine of the package runs, or both in such methods, the guarded one
/// writing) and one of them writes. One report per field.
#[inline(never)]
fn owner_guarded(
    cx: &PackageCx<'_>,
    model: &Model,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    lock_places: &HashMap<TypeId, Vec<PlaceId>>,
    out: &mut Vec<Diagnostic>,
) {
    if lock_places.is_empty() {
        return;
    }
    // By field: the accesses holding no lock, and those holding a lock of another type
    // (with that lock and its owner).
    type Guarded = (AccessIx, PlaceId, TypeId);
    let mut bare: HashMap<PlaceId, Vec<AccessIx>> = HashMap::default();
    let mut guarded: HashMap<PlaceId, Vec<Guarded>> = HashMap::default();
    let mut entries: HashMap<FuncIx, racelens_model::LockSet> = HashMap::default();
    let test_file: Vec<bool> = cx.files.iter().map(|f| is_test_code(f.path)).collect();
    // The fields of lock-less types, by place (a flat table: every access of the package is
    // looked up).
    let lockless: Vec<bool> = model
        .places
        .iter()
        .map(|p| matches!(p, Place::Field { owner, .. } if !lock_places.contains_key(owner)))
        .collect();
    // The accesses of those fields, outside tests.
    let candidates: Vec<usize> = model
        .accesses
        .iter()
        .enumerate()
        .filter(|(i, acc)| {
            lockless[acc.place.index()]
                && !acc.kind.is_atomic()
                && !test_file[model.access_file(AccessIx(*i as u32)) as usize]
        })
        .map(|(i, _)| i)
        .collect();
    // First those holding a lock of another type (the rarer ones), with the entry locks of
    // their function (found once per function), then those holding none, of the same
    // fields only.
    for &i in &candidates {
        let acc = &model.accesses[i];
        let entry = entries
            .entry(acc.func)
            .or_insert_with(|| model.effective_entry(acc.func));
        if let Some((l, o)) = acc
            .locks
            .iter()
            .chain(entry.iter())
            .find_map(|(l, _)| lock_owner(model, l).map(|o| (l, o)))
        {
            guarded
                .entry(acc.place)
                .or_default()
                .push((AccessIx(i as u32), l, o));
        }
    }
    if guarded.is_empty() {
        return;
    }
    let mut past_setup = std::collections::HashMap::new();
    for i in candidates {
        let acc = &model.accesses[i];
        if !guarded.contains_key(&acc.place) || !acc.locks.is_empty() {
            continue;
        }
        let a = AccessIx(i as u32);
        // Holding no lock on any path but through a method that sets its value up.
        if entries.get(&acc.func).is_some_and(|e| e.is_empty())
            && !model.is_owned(a)
            && entry_past_setup(cx, model, acc.func, &mut past_setup).is_empty()
        {
            bare.entry(acc.place).or_default().push(a);
        }
    }
    let mut places: Vec<PlaceId> = bare.keys().copied().collect();
    if places.is_empty() {
        return;
    }
    places.sort_unstable();
    // What goroutines run. Goroutines of tests are no evidence of what the package runs
    // concurrently (pprof's test writes one profile from many goroutines: its lock guards
    // only the encoding).
    let in_goroutines = crate::model_facts::run_by_goroutines(model, |s| {
        !is_test_code(cx.files[model.func(s.func).file as usize].path)
    });
    // An exported method of type `o` that no goroutine runs, and that neither sets its
    // value up nor tears it down.
    let entry_of = |f: FuncIx, o: TypeId, write: bool| {
        let home = model.outermost(f);
        let hf = model.func(home);
        let FuncRef::Decl(d) = hf.func else {
            return false;
        };
        hf.recv == Some(o)
            && hf.exported
            && !in_goroutines.contains(&f)
            && !in_goroutines.contains(&home)
            && !setup_or_teardown(cx.files[hf.file as usize].ast, d, write)
    };
    // Built when a pair first needs it: most packages have none.
    let mut containers: Option<Containers<'_, '_>> = None;
    let mut drawn: HashMap<AccessIx, Option<PlaceId>> = HashMap::default();
    let mut drawn_from = |a: AccessIx| {
        *drawn.entry(a).or_insert_with(|| {
            // A local holding a struct value, not a pointer, holds a copy of the
            // container's element (`item, ok := c.items[k]` of a map of `Item`s): its
            // fields are its own.
            let file = model.access_file(a) as usize;
            let (_, x, _) = selector_of(cx.files[file].ast, model.access(a).expr)?;
            let t = prog.type_of(pkg, file, x);
            let t = prog.underlying(t);
            let by_value = selected_var(cx, file, model.access(a).expr)
                .is_some_and(|d| cx.scopes().def(d).kind == DefKind::LocalVar)
                && !matches!(prog.types.get(t), Type::Pointer(_));
            if by_value {
                return None;
            }
            containers
                .get_or_insert_with(|| Containers::new(cx, model))
                .of(a)
        })
    };
    for place in places {
        let Some(gs) = guarded.get(&place) else {
            continue;
        };
        let pair = bare[&place].iter().find_map(|&u| {
            let ua = model.access(u);
            let u_goroutine = in_goroutines.contains(&ua.func);
            gs.iter()
                .find(|&&(g, _, o)| {
                    let ga = model.access(g);
                    // Two exported methods of the holding type run alongside each other
                    // too (its mutex says it is meant to be used concurrently), when the
                    // one holding the lock writes the field: it is not set once on insert.
                    let methods = ga.kind.is_write()
                        && entry_of(ga.func, o, true)
                        && entry_of(ua.func, o, ua.kind.is_write());
                    if !((ua.kind.is_write() || ga.kind.is_write())
                        && ((u_goroutine && entry_of(ga.func, o, ga.kind.is_write()))
                            || (in_goroutines.contains(&ga.func)
                                && entry_of(ua.func, o, ua.kind.is_write()))
                            || methods))
                    {
                        return false;
                    }
                    // Both values come out of (or go into) the same field of the holding
                    // type: `l.buckets`, `s.sessions`.
                    let Some(c) = drawn_from(g) else {
                        return false;
                    };
                    matches!(model.place(c), Place::Field { owner, .. } if *owner == o)
                        && drawn_from(u) == Some(c)
                })
                .map(|&(g, l, _)| (u, g, l))
        });
        let Some((u, g, l)) = pair else {
            continue;
        };
        let (ua, ga) = (model.access(u), model.access(g));
        let Place::Field { name: lock, .. } = model.place(l) else {
            continue;
        };
        let text = crate::goroutine_race::place_text(cx, model, u);
        let how = |k: racelens_model::AccessKind| if k.is_write() { "written" } else { "read" };
        let by = model.func(model.outermost(ga.func)).short_name();
        let file = model.access_file(u) as usize;
        let gfile = model.access_file(g) as usize;
        out.push(
            Diagnostic::new(
                CHECK.info.name,
                CHECK.info.category,
                format!(
                    "`{text}` is {} holding no lock, while `{by}` {} it holding `{lock}`, which guards the values that hold it",
                    how(ua.kind),
                    if ga.kind.is_write() { "writes" } else { "reads" },
                ),
                cx.location(file, ua.span),
            )
            .with_related(
                format!("{} with `{lock}` held here", how(ga.kind)),
                cx.location(gfile, ga.span),
            )
            .with_help(format!(
                "hold `{lock}` for every access of the field, or give its type a lock of its own"
            )),
        );
    }
}

/// The locks of a type (the second argument) a lock set holds, with their modes.
type OwnedLocks<'a> = dyn Fn(&racelens_model::LockSet, TypeId) -> Vec<(PlaceId, LockMode)> + 'a;

/// Writes of a guarded field (one `guards` holds: a method of its type writes it holding one
/// of the type's mutexes) through a local variable or parameter (`c.value = 0`, with `c` a
/// `*Counter` the function was given or ranges over), made holding none of the type's
/// mutexes, after the same function accessed the field through the same variable holding
/// one (`c.mu.Lock(); v := c.value; c.mu.Unlock()`): the lock was released too early, or
/// another value's lock is held instead (`r.mu` of the registry ranging over its counters).
/// One report per field and function.
#[inline(never)]
fn released_early(
    cx: &PackageCx<'_>,
    model: &Model,
    guards: &HashMap<PlaceId, Vec<(AccessIx, PlaceId)>>,
    owned: &OwnedLocks<'_>,
    out: &mut Vec<Diagnostic>,
) {
    if guards.is_empty() {
        return;
    }
    // The accesses of guarded fields through a local variable or parameter, by function,
    // field and variable, with the lock of the field's type held at each (if any).
    type Key = (FuncIx, PlaceId, racelens_semantic::DefId);
    let mut groups: HashMap<Key, Vec<(u32, AccessIx, Option<PlaceId>)>> = HashMap::default();
    let test_file: Vec<bool> = cx.files.iter().map(|f| is_test_code(f.path)).collect();
    // The guarded fields by place, as a flat table: every access of the package is looked up.
    let mut guarded = vec![false; model.places.len()];
    for p in guards.keys() {
        guarded[p.index()] = true;
    }
    for (i, acc) in model.accesses.iter().enumerate() {
        if !guarded[acc.place.index()] || acc.kind.is_atomic() {
            continue;
        }
        let Place::Field { owner, .. } = model.place(acc.place) else {
            continue;
        };
        let a = AccessIx(i as u32);
        let file = model.access_file(a) as usize;
        if test_file[file] {
            continue;
        }
        let Some(d) = selected_var(cx, file, acc.expr) else {
            continue;
        };
        if !matches!(cx.scopes().def(d).kind, DefKind::LocalVar | DefKind::Param) {
            continue;
        }
        let held = acc.locks.union(&model.effective_entry(acc.func));
        let lock = owned(&held, *owner).first().map(|&(l, _)| l);
        groups
            .entry((model.outermost(acc.func), acc.place, d))
            .or_default()
            .push((acc.span.start, a, lock));
    }
    let mut found: Vec<(AccessIx, AccessIx, PlaceId)> = Vec::new();
    for ((home, _, _), list) in groups.iter_mut() {
        // The lock state the model gives a label a `goto` jumps to is that of the code
        // above it (nats' `slowConsumer:` is reached with the lock held, from inside it).
        let hf = model.func(*home);
        if cx.text(hf.file as usize, hf.span).contains("goto ") {
            continue;
        }
        list.sort_unstable_by_key(|&(at, a, _)| (at, a));
        let Some(&(_, locked, Some(lock))) = list.iter().find(|x| x.2.is_some()) else {
            continue;
        };
        let first_locked = model.access(locked).span.start;
        let late = list.iter().find(|&&(at, a, l)| {
            at > first_locked
                && l.is_none()
                && model.access(a).kind.is_write()
                && !model.is_owned(a)
        });
        if let Some(&(_, a, _)) = late {
            found.push((a, locked, lock));
        }
    }
    found.sort_unstable();
    for (a, locked, lock) in found {
        let acc = model.access(a);
        let file = model.access_file(a) as usize;
        let Some((_, x, _)) = selector_of(cx.files[file].ast, acc.expr) else {
            continue;
        };
        let var = cx.text(file, cx.files[file].ast[x].span);
        let (
            Place::Field { name: field, .. },
            Place::Field {
                name: lock_name, ..
            },
        ) = (model.place(acc.place), model.place(lock))
        else {
            continue;
        };
        let lfile = model.access_file(locked) as usize;
        let (g, _) = guards[&acc.place][0];
        out.push(
            Diagnostic::new(
                CHECK.info.name,
                CHECK.info.category,
                format!(
                    "`{var}.{field}` is written without `{var}.{lock_name}`, which this function held to access it before"
                ),
                cx.location(file, acc.span),
            )
            .with_related(
                format!("`{var}.{field}` accessed with `{var}.{lock_name}` held here"),
                cx.location(lfile, model.access(locked).span),
            )
            .with_related(
                format!("`{field}` written with `{lock_name}` held here"),
                cx.location(model.access_file(g) as usize, model.access(g).span),
            )
            .with_help(format!(
                "write `{var}.{field}` before releasing `{var}.{lock_name}`, or take it again around the write"
            )),
        );
    }
}

/// Calls of a method with a value receiver (`func (m Meter) Summary()`) on a type whose
/// fields its methods write holding one of its mutexes: the call copies the whole value, the
/// guarded fields included, before the method runs (its own `Lock` locks the copy's mutex).
/// Reported at calls made by entry points (exported functions and methods, goroutines)
/// holding no lock, on a value others can reach: a field (`p.meter.Summary()`), a package
/// variable, or what a parameter points to. `guards` are the guarded writes by field.
fn value_copies(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    model: &Model,
    guards: &HashMap<PlaceId, Vec<(AccessIx, PlaceId)>>,
    by_goroutine: &dyn Fn(FuncIx) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    // The first guarded write of each owner type, with its lock (one with an unexported
    // name: an exported mutex is locked by callers too).
    let mut first_guard: HashMap<TypeId, (AccessIx, PlaceId)> = HashMap::default();
    for list in guards.values() {
        for &(a, l) in list {
            let Place::Field { owner, .. } = model.place(model.access(a).place) else {
                continue;
            };
            let Place::Field { name, .. } = model.place(l) else {
                continue;
            };
            if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                continue;
            }
            let e = first_guard.entry(*owner).or_insert((a, l));
            *e = (*e).min((a, l));
        }
    }
    if first_guard.is_empty() {
        return;
    }
    // The methods with a value receiver of those types.
    let value_methods: HashSet<FuncIx> = model
        .funcs
        .iter()
        .enumerate()
        .filter(|(_, fun)| fun.recv.is_some_and(|t| first_guard.contains_key(&t)))
        .filter(|(_, fun)| match fun.func {
            FuncRef::Decl(d) => value_receiver(cx.files[fun.file as usize].ast, d),
            FuncRef::Lit(_) => false,
        })
        .map(|(i, _)| FuncIx(i as u32))
        .collect();
    if value_methods.is_empty() {
        return;
    }
    let mut reported: HashSet<(usize, u32)> = HashSet::default();
    for (i, fun) in model.funcs.iter().enumerate() {
        let fi = FuncIx(i as u32);
        let home = model.func(model.outermost(fi));
        let file = fun.file as usize;
        if !(home.exported || by_goroutine(fi)) || is_test_code(cx.files[file].path) {
            continue;
        }
        let f = cx.files[file].ast;
        for call in &fun.calls {
            let [callee] = call.callees[..] else {
                continue;
            };
            if !value_methods.contains(&callee)
                || !call.locks.is_empty()
                || !model.effective_entry(fi).is_empty()
            {
                continue;
            }
            let ExprKind::Call { fun: callee_e, .. } = f[call.expr].kind else {
                continue;
            };
            let ExprKind::Selector { x, .. } = f[unparen(f, callee_e)].kind else {
                continue;
            };
            let x = unparen(f, x);
            if !shared_operand(cx, prog, pkg, file, x) {
                continue;
            }
            let line = cx.location(file, call.span).start.line;
            if !reported.insert((file, line)) {
                continue;
            }
            let m = model.func(callee);
            let Some(owner) = m.recv else { continue };
            let (gacc, glock) = first_guard[&owner];
            let (Place::Field { name: field, .. }, Place::Field { name: lock, .. }) =
                (model.place(model.access(gacc).place), model.place(glock))
            else {
                continue;
            };
            let g = model.access(gacc);
            let gfile = model.access_file(gacc) as usize;
            let method = m.short_name();
            let operand = cx.text(file, f[x].span);
            out.push(
                Diagnostic::new(
                    CHECK.info.name,
                    CHECK.info.category,
                    format!(
                        "calling `{method}` copies `{operand}` (a value receiver), reading `{field}` without holding `{lock}`, which guards its writes elsewhere"
                    ),
                    cx.location(file, call.span),
                )
                .with_related(
                    format!("`{field}` written with `{lock}` held here"),
                    cx.location(gfile, g.span),
                )
                .with_related(
                    format!("`{method}` declared with a value receiver here"),
                    cx.location(m.file as usize, m.span),
                )
                .with_help(format!(
                    "give `{method}` a pointer receiver, so that it locks the shared `{lock}` before reading"
                )),
            );
        }
    }
}

/// Whether the value operand `x` of a method call is one other goroutines can reach: a
/// field (`p.meter`, `s.cfg.limits`) of a value the function did not make, a package
/// variable, or what a parameter or receiver of pointer type points to. A local variable,
/// a composite literal, a call's result or a parameter passed by value is a copy already.
fn shared_operand(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    file: usize,
    x: ExprId,
) -> bool {
    let f = cx.files[file].ast;
    let mut e = x;
    loop {
        match f[e].kind {
            ExprKind::Selector { x: inner, .. }
            | ExprKind::Index { x: inner, .. }
            | ExprKind::Star { x: inner, .. } => e = unparen(f, inner),
            ExprKind::Ident(id) => {
                let Some(d) = cx.scopes().binding(file, id) else {
                    return false;
                };
                let pointer = || {
                    let t = prog.type_of(pkg, file, e);
                    !prog.is_unknown(t) && matches!(prog.types.get(t), Type::Pointer(_))
                };
                return match cx.scopes().def(d).kind {
                    DefKind::PackageVar => true,
                    DefKind::Param | DefKind::Receiver => pointer(),
                    // A local pointer may point to shared state, but is often to a value the
                    // function made; a local value is a copy.
                    _ => false,
                };
            }
            _ => return false,
        }
    }
}

/// Whether access `a` selects its field from the receiver of the method it is written in
/// (`c.n` in a method of `c`), not from another value of the type.
fn on_receiver(cx: &PackageCx<'_>, model: &Model, a: AccessIx) -> bool {
    let acc = model.access(a);
    let home = model.func(model.outermost(acc.func));
    let FuncRef::Decl(decl) = home.func else {
        return false;
    };
    let file = home.file as usize;
    let d = selected_var(cx, file, acc.expr);
    d.is_some() && d == receiver_def(cx, file, decl)
}

/// The guarded reads that are evidence for a goroutine's unguarded writes to a field: the
/// first (the read and the lock held) and the locks held at them all.
type ReadEvidence = Option<((AccessIx, PlaceId), std::rc::Rc<HashSet<PlaceId>>)>;

/// Of the guarded reads of `place` (`read_guards`), those that are evidence for the
/// unguarded writes of function `home`: made by another function, and not ordered after the
/// writes by a receive from a channel of the value, an atomic load of its state or a wait.
fn read_evidence(
    model: &Model,
    read_guards: &HashMap<PlaceId, Vec<(AccessIx, PlaceId)>>,
    orders: &mut Orders,
    place: PlaceId,
    home: FuncIx,
) -> ReadEvidence {
    let Place::Field { owner, .. } = model.place(place) else {
        return None;
    };
    let reads: Vec<(AccessIx, PlaceId)> = read_guards
        .get(&place)
        .into_iter()
        .flatten()
        .copied()
        .filter(|&(r, _)| {
            let rh = model.outermost(model.access(r).func);
            let at = model.access(r).span.start;
            rh != home && !orders.ordered_before(model, rh, (*owner, place), at, false)
        })
        .collect();
    let first = *reads.first()?;
    Some((
        first,
        std::rc::Rc::new(reads.iter().map(|&(_, l)| l).collect()),
    ))
}

/// Whether local variable `d` is initialised with a value made right there: `&T{...}`,
/// `T{...}` or `new(T)`.
fn made_here(cx: &PackageCx<'_>, d: racelens_semantic::DefId) -> bool {
    matches!(crate::syntactic::declared(cx, d),
        Some((file, crate::syntactic::Declared::Value(v))) if crate::syntactic::makes_value(cx, file, v))
}

/// An unguarded access found, before the consistency filter.
struct Found {
    root: FuncIx,
    access: AccessIx,
    via: Option<racelens_syntax::ast::Span>,
    sel: ExprId,
    x: ExprId,
    file: usize,
    /// The evidence, when it is a read made with the lock held (the access is a goroutine's
    /// write to a field no write of which is guarded): the read and the lock.
    by_reads: Option<(AccessIx, PlaceId)>,
}

/// Whether running function `f` (its literals and callees included) receives from a
/// channel that is a field of `owner`: the value signals its own state changes.
fn receives(model: &Model, f: FuncIx, owner: TypeId) -> bool {
    model.signals(f).iter().any(|&(k, p)| {
        k == racelens_model::SyncKind::Recv
            && matches!(model.place(p), Place::Field { owner: o, .. } if *o == owner)
    })
}

/// What orders the accesses of a function after the writes of others to a value: it
/// receives from a channel of the value (`<-s.headerChan; return s.header`), loads a field of
/// the value atomically (`if !c.handshakeComplete() { ... }`), or waits for goroutines. Found
/// once per function (and type) rather than once per access (each walks what the function
/// runs).
#[derive(Default)]
struct Orders {
    receives: HashMap<(FuncIx, TypeId), bool>,
    /// The fields of the type the function loads atomically, with the first offset of each.
    atomic_loads: HashMap<(FuncIx, TypeId), Vec<(PlaceId, u32)>>,
    /// The functions that store, add, swap or compare-and-swap each field atomically, with
    /// their callers.
    atomic_writers: Option<HashMap<PlaceId, Vec<FuncIx>>>,
    /// Whether a function that updates the first place atomically also runs an access of
    /// the second (a write, or any access), wherever in it: the update publishes it.
    releases: HashMap<(PlaceId, PlaceId, bool), bool>,
    /// The first offset at which the function waits for a `WaitGroup` or a group.
    waits: HashMap<FuncIx, Option<u32>>,
}

impl Orders {
    /// Whether running function `f` receives from a channel of `owner`, or loads a field of
    /// `owner` atomically or waits for a `WaitGroup` or a group before offset `at`: what
    /// follows is ordered by that. An atomic load orders `f`'s access of `place` only after
    /// a function that updates the loaded field atomically and writes `place` (or, with
    /// `any_access`, accesses it) as well: a load of a counter nobody updates after touching
    /// `place` publishes nothing about it (`atomic.LoadUint64(&r.head)` before reading
    /// `r.tail`, which `Push` writes without touching `head`).
    fn ordered_before(
        &mut self,
        model: &Model,
        f: FuncIx,
        (owner, place): (TypeId, PlaceId),
        at: u32,
        any_access: bool,
    ) -> bool {
        let receives = *self
            .receives
            .entry((f, owner))
            .or_insert_with(|| receives(model, f, owner));
        if receives {
            return true;
        }
        let atomic_load = |a: AccessIx| {
            let a = model.access(a);
            a.kind == racelens_model::AccessKind::AtomicRead
                && matches!(model.place(a.place), Place::Field { owner: w, .. } if *w == owner)
        };
        let loads = self.atomic_loads.entry((f, owner)).or_insert_with(|| {
            let mut loads: Vec<(PlaceId, u32)> = Vec::new();
            for o in model.runs_where(f, &atomic_load) {
                let p = model.access(o.access).place;
                match loads.iter_mut().find(|(q, _)| *q == p) {
                    Some((_, first)) => *first = (*first).min(o.at),
                    None => loads.push((p, o.at)),
                }
            }
            loads
        });
        let loaded: Vec<PlaceId> = loads
            .iter()
            .filter(|&&(_, first)| first < at)
            .map(|&(p, _)| p)
            .collect();
        if !loaded.is_empty() {
            let writers = self.atomic_writers.get_or_insert_with(|| {
                let mut w: HashMap<PlaceId, Vec<FuncIx>> = HashMap::default();
                for a in &model.accesses {
                    if a.kind != racelens_model::AccessKind::AtomicWrite {
                        continue;
                    }
                    // The function that updates the field and its callers, three calls up
                    // (`resolve` publishing through `setState`).
                    let fs = w.entry(a.place).or_default();
                    let mut next = vec![a.func, model.outermost(a.func)];
                    for _ in 0..=3 {
                        let mut up = Vec::new();
                        for g in next {
                            if fs.contains(&g) {
                                continue;
                            }
                            fs.push(g);
                            up.extend(
                                model
                                    .callers
                                    .get(&g)
                                    .into_iter()
                                    .flatten()
                                    .map(|&(c, _)| model.outermost(c)),
                            );
                        }
                        next = up;
                    }
                }
                w
            });
            for l in loaded {
                let released = *self
                    .releases
                    .entry((l, place, any_access))
                    .or_insert_with(|| {
                        writers.get(&l).into_iter().flatten().any(|&g| {
                            !model
                                .runs_where(g, &|a| {
                                    let a = model.access(a);
                                    a.place == place
                                        && !a.kind.is_atomic()
                                        && (any_access || a.kind.is_write())
                                })
                                .is_empty()
                        })
                    });
                if released {
                    return true;
                }
            }
        }
        let first_wait = *self.waits.entry(f).or_insert_with(|| {
            let mut first = None;
            let mut stack = vec![f];
            while let Some(g) = stack.pop() {
                let func = model.func(g);
                for op in &func.syncs {
                    if matches!(
                        op.kind,
                        racelens_model::SyncKind::WaitGroupWait
                            | racelens_model::SyncKind::GroupWait
                    ) {
                        first = Some(first.map_or(op.span.start, |x: u32| x.min(op.span.start)));
                    }
                }
                stack.extend(func.inline.iter().copied());
            }
            first
        });
        first_wait.is_some_and(|first| first < at)
    }
}

/// Whether goroutine `root` is counted by a `WaitGroup` (`defer w.wg.Done()`) that every
/// function making one of the guarded `writes` waits for before the write, made in that
/// function itself (`w.stop()` closing the goroutine's channel and calling `w.wg.Wait()`,
/// then `w.source = s`): the writes follow the goroutine's accesses, and goroutines started
/// again start after them.
fn joined_before_writes(model: &Model, root: FuncIx, writes: &[(AccessIx, PlaceId)]) -> bool {
    let rf = model.func(root);
    if !matches!(rf.how, Invocation::Spawned(_)) {
        return false;
    }
    let counted: Vec<PlaceId> = rf
        .syncs
        .iter()
        .filter(|s| s.kind == racelens_model::SyncKind::WaitGroupDone)
        .map(|s| s.place)
        .collect();
    !counted.is_empty()
        && writes.iter().all(|&(w, _)| {
            let a = model.access(w);
            a.func == model.outermost(a.func)
                && counted.iter().any(|&p| {
                    model
                        .first_sync(a.func, racelens_model::SyncKind::WaitGroupWait, p)
                        .is_some_and(|at| at < a.span.start)
                })
        })
}

/// The callers of each function with the locks held at the call.
fn call_sites(model: &Model) -> HashMap<FuncIx, Vec<(FuncIx, racelens_model::LockSet)>> {
    let mut sites: HashMap<FuncIx, Vec<(FuncIx, racelens_model::LockSet)>> = HashMap::default();
    for (i, f) in model.funcs.iter().enumerate() {
        let caller = FuncIx(i as u32);
        for c in &f.calls {
            for &callee in &c.callees {
                let held = c.locks.union(&model.effective_entry(caller));
                sites.entry(callee).or_default().push((caller, held));
            }
        }
    }
    sites
}

/// Whether every call of method `f` in the package holds a lock of its type: an exported
/// method of a type whose own code always calls it under the lock has that contract.
fn always_called_locked(
    model: &Model,
    sites: &HashMap<FuncIx, Vec<(FuncIx, racelens_model::LockSet)>>,
    f: FuncIx,
) -> bool {
    let Some(owner) = model.func(f).recv else {
        return false;
    };
    sites.get(&f).is_some_and(|list| {
        !list.is_empty()
            && list.iter().all(|(caller, held)| {
                *caller != f
                    && held
                        .iter()
                        .any(|(l, _)| lock_owner(model, l) == Some(owner))
            })
    })
}

/// Whether method `decl` sets the value up or tears it down, by its name: `Start`,
/// `Init...`, `Setup...`, `Register...` run before the value is shared; `Close`, `Stop`,
/// `Shutdown` read what is left after the work is done (their writes are still reported).
fn setup_or_teardown(f: &File, decl: racelens_syntax::ast::DeclId, write: bool) -> bool {
    let racelens_syntax::ast::DeclKind::Func { name, .. } = &f[decl].kind else {
        return false;
    };
    let teardown = matches!(f.ident_name(*name), "Close" | "Stop" | "Shutdown");
    is_setup(f, decl) || teardown && !write
}

/// The type whose field lock `l` is (`Some(T)` for `t.mu` of a `T`).
fn lock_owner(model: &Model, l: PlaceId) -> Option<TypeId> {
    match model.place(l) {
        Place::Field { owner, .. } => Some(*owner),
        Place::Var(_) => None,
    }
}

/// The functions through which other goroutines reach values of the owner types: exported
/// methods, methods started as goroutines, and goroutine literals inside methods.
fn roots(cx: &PackageCx<'_>, model: &Model, owners: &HashSet<TypeId>) -> Vec<FuncIx> {
    let mut out = Vec::new();
    let method_of_owner = |f: FuncIx| {
        let h = model.func(model.outermost(f));
        h.recv.is_some_and(|r| owners.contains(&r))
    };
    for (i, func) in model.funcs.iter().enumerate() {
        let ix = FuncIx(i as u32);
        match func.how {
            Invocation::Decl => {
                let Some(r) = func.recv else { continue };
                if !owners.contains(&r) || !func.exported {
                    continue;
                }
                if let FuncRef::Decl(d) = func.func {
                    if documents_held_lock(cx.files[func.file as usize].ast, d) {
                        continue;
                    }
                }
                out.push(ix);
            }
            Invocation::Spawned(_) if method_of_owner(ix) => out.push(ix),
            // A goroutine a function of the package (a constructor) starts: it runs after
            // the function has handed the value out (`time.AfterFunc(ttl, func() { l.expired
            // = true })` in `Grant`).
            Invocation::Spawned(_) if model.func(model.outermost(ix)).recv.is_none() => {
                out.push(ix)
            }
            _ => {}
        }
    }
    // A method the type starts as a goroutine from one of its own methods, or from a
    // function of the package (a constructor's `time.AfterFunc(ttl, l.expire)`).
    for s in &model.spawns {
        let spawner = model.func(model.outermost(s.func)).recv;
        for &t in &s.targets {
            let func = model.func(t);
            if func.how == Invocation::Decl
                && !func.exported
                && func.recv.is_some_and(|r| owners.contains(&r))
                && (spawner == func.recv
                    || spawner.is_none() && crate::model_facts::on_fresh_value(cx, model, s))
            {
                out.push(t);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether the field selected by `sel` has a type whose values synchronise themselves or
/// are set once in practice: channels and pointers to `sync` types are left alone.
fn shared_kind(prog: &Program<'_>, pkg: PkgIdx, file: usize, sel: ExprId) -> bool {
    let t = prog.type_of(pkg, file, sel);
    if prog.is_unknown(t) {
        return false;
    }
    match prog.types.get(t) {
        Type::Chan(..) => false,
        Type::Pointer(e) => !matches!(prog.types.get(*e), Type::Named(n) if &*n.path == "sync"),
        _ => true,
    }
}

/// Whether `e` is inside `if debug { ... }` for a constant `debug`: code compiled out.
pub(crate) fn in_disabled_code(cx: &PackageCx<'_>, file: usize, e: ExprId) -> bool {
    let f = cx.files[file].ast;
    cx.parents(file).ancestors(Node::Expr(e)).any(|n| {
        let Node::Stmt(s) = n else { return false };
        let StmtKind::If { cond, .. } = f[s].kind else {
            return false;
        };
        let ExprKind::Ident(id) = f[unparen(f, cond)].kind else {
            return false;
        };
        cx.scopes().binding(file, id).is_some_and(|d| {
            matches!(
                cx.scopes().def(d).kind,
                DefKind::PackageConst | DefKind::LocalConst
            )
        })
    })
}

/// Whether `e` (of file `file`), a slice or map, is read for its header or reference only:
/// a slice as the argument of `len` or `cap`, either compared with `nil`.
fn header_only(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    e: ExprId,
) -> bool {
    let f = cx.files[file].ast;
    let t = prog.type_of(pkg, file, e);
    let u = prog.underlying(t);
    let (slice, map) = match prog.types.get(u) {
        Type::Slice(_) => (true, false),
        Type::Map(..) => (false, true),
        _ => return false,
    };
    let is_nil = |x: ExprId| matches!(f[unparen(f, x)].kind, ExprKind::Ident(id) if f.ident_name(id) == "nil");
    match cx.parents(file).parent(Node::Expr(e)) {
        Some(Node::Expr(p)) => match f[p].kind {
            ExprKind::Call { fun, args, .. } => {
                slice
                    && f[args] == [e]
                    && matches!(builtin_name(cx, file, fun), Some("len" | "cap"))
            }
            ExprKind::Binary { op, x, y, .. } => {
                (slice || map)
                    && matches!(
                        op,
                        racelens_syntax::token::TokenKind::Eql
                            | racelens_syntax::token::TokenKind::Neq
                    )
                    && ((x == e && is_nil(y)) || (y == e && is_nil(x)))
            }
            _ => false,
        },
        _ => false,
    }
}

/// Whether function `func` initialises state once under a lock: after taking a lock, it
/// returns early when a field of its receiver says the work is done
/// (`mu.Lock(); if t.ready { return }; ...`). Its writes are a one-time initialisation that
/// callers read afterwards, not evidence that every access needs the lock.
fn initialises_once(cx: &PackageCx<'_>, model: &Model, func: FuncIx) -> bool {
    let fun = model.func(func);
    let FuncRef::Decl(decl) = fun.func else {
        return false;
    };
    let file = fun.file as usize;
    let f = cx.files[file].ast;
    let racelens_syntax::ast::DeclKind::Func {
        body: Some(body), ..
    } = f[decl].kind
    else {
        return false;
    };
    let StmtKind::Block { list, .. } = &f[body].kind else {
        return false;
    };
    let Some(recv) = receiver_def(cx, file, decl) else {
        return false;
    };
    let mut locked = false;
    for &st in f[list].iter() {
        match &f[st].kind {
            StmtKind::Expr(e) => {
                if let ExprKind::Call { fun, .. } = f[unparen(f, *e)].kind {
                    if let ExprKind::Selector { sel, .. } = f[unparen(f, fun)].kind {
                        locked |= f.ident_name(sel) == "Lock";
                    }
                }
            }
            StmtKind::If {
                cond,
                body,
                els: None,
                ..
            } if locked => {
                let StmtKind::Block { list: then, .. } = &f[*body].kind else {
                    continue;
                };
                // Only a return (after an unlock): an `if` that does work before returning
                // (`if d.timer == nil { d.timer = time.AfterFunc(...); return }`) is a
                // branch of the method, not a check that the work is done.
                let returns = f[then].split_last().is_some_and(|(&l, before)| {
                    matches!(f[l].kind, StmtKind::Return { .. })
                        && before.iter().all(|&st| {
                            crate::syntactic::lock_statement(f, st, &["Unlock", "RUnlock"])
                        })
                });
                // A test of state (`t.ready`, `x.conn != nil`, `s.state == done`,
                // `n.state() >= resolved`), not a computation: `if
                // r.tail-atomic.LoadUint64(&r.head) == n { return false }` is a full ring,
                // not work done once.
                let (mut reads_recv, mut computes) = (false, false);
                // `n.state`, `q.deadline.IsZero`: a method of the value or of its fields.
                let on_value = |mut e: ExprId| loop {
                    match f[unparen(f, e)].kind {
                        ExprKind::Selector { x, .. } => e = x,
                        ExprKind::Ident(id) => break cx.scopes().binding(file, id) == Some(recv),
                        _ => break false,
                    }
                };
                racelens_syntax::walk::preorder(f, &[Node::Expr(*cond)], |n| {
                    if let Node::Expr(e) = n {
                        match f[e].kind {
                            ExprKind::Selector { x, .. } => {
                                if let ExprKind::Ident(id) = f[unparen(f, x)].kind {
                                    reads_recv |= cx.scopes().binding(file, id) == Some(recv);
                                }
                            }
                            // A method of the value or of a field asked for its state
                            // (`n.state() >= resolved`, `q.deadline.IsZero()`, with whatever
                            // arguments: `s.sendControl(msg) != nil`) tests it; other calls
                            // compute.
                            ExprKind::Call { fun, .. } if on_value(fun) => {
                                reads_recv = true;
                                return false;
                            }
                            ExprKind::Call { .. } => computes = true,
                            ExprKind::Binary { op, .. } => {
                                use racelens_syntax::token::TokenKind as T;
                                computes |= matches!(
                                    op,
                                    T::Add
                                        | T::Sub
                                        | T::Mul
                                        | T::Quo
                                        | T::Rem
                                        | T::And
                                        | T::Or
                                        | T::Xor
                                        | T::Shl
                                        | T::Shr
                                        | T::AndNot
                                );
                            }
                            _ => {}
                        }
                    }
                    true
                });
                if returns && reads_recv && !computes {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}
