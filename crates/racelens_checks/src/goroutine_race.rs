//! The race finder shared by the goroutine race checks (`unsynchronized-slice-append`,
//! `concurrent-map-access`, `captured-variable-race`): for every goroutine the model knows,
//! the pairs of conflicting accesses between the goroutine and what may run alongside it
//! (other instances of itself, its spawner before the join, goroutines started next to it),
//! on the same object, without a common lock.
//!
//! The model's places abstract a field by its owner type, which is too coarse to say that two
//! goroutines touch the same value: `go w.run()` for every worker writes `w.buf` of different
//! workers. So each access here also gets an object: for a variable, the variable itself when
//! the spawner and the goroutine share it (a package variable, or a variable of the spawner
//! or a function around it); for a field, the shared variable its selector chain starts from,
//! following receivers and parameters through the calls and the goroutine start that bind
//! them. Accesses whose object is unknown (locals of a callee, an element of a slice, the
//! result of a call) are never paired.

/// The Known limitations of the race finder itself, shared by the three goroutine checks.
#[macro_export]
macro_rules! race_finder_limitations {
    () => {
        r#"- A function that starts more than 64 goroutines is not analysed: pairing them is
  quadratic, and such functions are generated or hostile code.
- A channel made with room for one token (`sem := make(chan struct{}, 1)`, or a field
  given one in a struct literal or an assignment) is a lock: a statement sending a token
  (`struct{}{}`, `true`, a number) takes it, a statement receiving from it and dropping
  the value gives it back, also through helpers (`acquire()`, `release()`). A channel with
  more room bounds how many run at once and excludes nothing. A token taken as a `select`
  case counts only as a try-lock, when every other case returns (`select { case sem <-
  struct{}{}: default: return }`): the slot is then held after the `select`; a token
  given back as a `select` case is not followed.
- A function literal sent on a channel (an actor's queue, `l.funcs <- func() { ... }`),
  or handed to a function of the package that sends the function it is given on a channel,
  alone or in a composite literal or a pointer to one (`a.run(func(...) { ... })` with `run`
  sending `task{fn, done}` to the actor's loop, gobgp's `s.mgmtCh <- &mgmtOp{f: f}`), runs
  on the goroutine that receives and calls it, one at a time, not where it is written: it
  is not followed at all, so races between it and code outside the actor are missed.
- Of the pairs of accesses to one variable that a goroutine makes with its other instances,
  with its spawner, and with the other goroutines, only the first 16,384 of each are
  examined, so that a goroutine assigning a variable thousands of times while its spawner
  reads it thousands of times costs no more: a race whose first 16,384 pairs are all ruled
  out (ordered, guarded) and a later one not is missed. Real code stays below, but for the
  Go runtime (51,681 pairs, with the same reports).
- An access made without a lock that the other access holds is not reported when its
  function takes that lock elsewhere: such code usually follows a protocol (a state flag
  checked and set under the lock) that makes the unguarded access safe. The exception is a
  read in the condition of an `if` whose body takes the lock and makes the other access, a
  write (`if firstErr == nil { mu.Lock(); firstErr = err; ... }`): the unlocked check is
  what decides to take the lock, so no protocol orders it.
- A `sync.Cond`'s `L` is the mutex it was made over when the package makes it over a
  mutex field of the same value (`q.cond = sync.NewCond(&q.mu)`, or locals given to one
  composite literal: `c := sync.NewCond(mu); &T{cond: c, mu: mu}`), so that
  `q.cond.L.Lock()` and `q.mu.Lock()` hold one lock; otherwise it is a lock of its own.
- Two accesses reach the same value when they start from the same variable through the
  same fields (`p.newQueue.tail` and, inside a method called on `p.newQueue`, `q.tail`):
  values of one type held in different fields (`p.idleQueue`, `p.newQueue`) are different
  values, though two fields may point to one (missed, not reported).
- A deferred wait (`defer wg.Wait()` on the group the goroutine marks done) waits at the
  return: what the function does before it returns, its return values included, is paired
  with the goroutine, but for its other deferred calls (those registered before the wait
  run after it), which are left out.
- A function that starts a goroutine and never waits for it (no `Wait`, no receive from a
  channel the goroutine sends on or closes) is taken to synchronise through something else
  (a pipe, a connection, a request and its reply) when it reads: only its writes are paired
  with the goroutine's accesses. The exception is a read that nothing but `time.Sleep` or
  `runtime.Gosched` separates from the start (no call, channel operation, `select`, function
  literal, `range` loop or `goto` before it, nor anywhere in a loop around it), by the
  function itself, of a goroutine started once that waits for nothing itself: there is no
  synchronisation to assume. Goroutines started in a loop are not looked at for this. A
  read that polls (the condition of a loop that follows the start with nothing but sleeps
  in between, or an `if` that is the loop's first statement and leaves it) is paired too,
  whatever the loop calls, when the goroutine neither receives, sends nor waits: the first
  read runs alongside the goroutine's write.
- A goroutine started by a method is taken to run once per call, and not alongside the ones
  other calls start, except in a method named `Go` or `TryGo` that takes one function (a
  hand-rolled errgroup, called once per task): there the goroutines of all calls run
  alongside each other, as if started in a loop of the method's body (what the body declares
  belongs to one call; the receiver is shared).
- A function handed to a helper of the same package that runs it in goroutines (one of its
  parameters, of function type, called by a goroutine the helper starts: `parallelFor(n,
  func(i int) { ... })`, a worker pool's `Each(items, fn)`, a `goSafe(fn)` that recovers
  panics) is taken as started at the call. The instances a helper starts in a loop that does
  not wait within its iteration run alongside each other; a helper that may wait after
  starting them (a `Wait()`, a receive, a `select` or a `range` after the start, or a
  `Wait()` call before it, as a deferred one is) is taken to wait for all of them before it
  returns, so the
  caller's code after the call is not paired with them. Left out: a helper whose goroutine
  takes a lock before calling the function (it may run them one at a time), helpers of
  other packages, helpers that hand the function on to another helper, and functions stored
  (in a field, a slice, a channel) before they run.
- Two goroutines started in different branches of one `if`, `switch` or `select` that no
  loop goes round are not paired: one call starts one of them. Nor are two goroutines
  started on a method of one local variable (`go s.Serve()`) that the spawner gives a new
  value in between (`s = NewServer()`: a composite literal, `new`, or a call of a function
  named `new...`/`New...`): they run on two values. A goroutine started in a loop
  and followed by a `return` in its block is started once, and what its spawner does after
  that `return` does not run alongside it.
- A wait in one clause of a `select` (`case <-done:`) covers that clause only; the other
  clauses (`case <-time.After(d):`, `case <-ctx.Done():`, `default:`) run alongside the
  goroutine until they wait for it themselves, and so does what follows the `select` when
  one of them may end without a `return`, `panic` or `t.Fatal` (or another call that ends the
  goroutine by name: `Fatalf`, `FailNow`, `Exit`, `Goexit`, ...), goroutines it starts there
  included (a hedged request's second attempt). A goroutine started in a
  loop and waited for only in such a clause runs alongside the goroutines of the next
  iterations (a retry loop that gives up on an attempt after a timeout). What follows a
  check that the wait's clause ran, in the check's block, has waited: an `if` that leaves
  (`return`, `panic`, `t.Fatal`) when a flag is unset (`if !ok0 || !ok1 { return }` after
  `case ok0 = <-done0:`), a loop whose condition asks for the flag (`for !ok0 || !ok1 {
  select { ... } }`), where every assignment of the local flag is such a receive or
  `false`; and a loop with no condition that only `break`s in clauses receiving what
  waits (`case err = <-done: break loop`). A variable assigned a value whose evaluation
  waits (`case err = <-done:`, `err = g.Wait()`) is written when the wait is done.
- A goroutine started once whose function receives from a channel in a statement of its
  own body (`<-ready`, not in an `if` or a `select`), and whose spawner sends on or closes
  that channel in a statement of the start's own block after the start, is ordered: what the
  spawner does before the send is not paired with what the goroutine does after the receive.
  Other hand-shakes (a receive in a called function, a send in a branch) are not followed.
- A receiver or parameter that the called function assigns (`q = q.clone()`) is taken to
  hold another value than the caller's from its start: accesses through it are not paired.
- A value receiver or parameter of the package's own functions is taken as the caller's
  object: a method that writes the fields of its copy can be reported (the write is lost
  on return anyway, which is a bug of its own). Summaries of other packages' functions
  tell copies apart.
"#
    };
}

/// The Known limitations paragraph on calls into other packages of the workspace (their
/// summaries), shared by the three goroutine checks.
#[macro_export]
macro_rules! summary_limitations {
    () => {
        r#"- In a package that starts goroutines, calls into other packages of the workspace follow
  the callee's summary: its accesses through the receiver and arguments (fields of named
  types, elements of map and slice parameters, also through its own package's helpers), the
  locks it holds at them, the locks it takes or releases for its caller, and its wait group
  and channel operations on its parameters. Not followed: packages outside the workspace,
  what the callee does through a third package, the other package's package variables,
  writes through pointer parameters, function and method values, methods of generic
  types, interface calls, accesses under a lock the caller cannot name (a mutex passed as
  an argument, another package's mutex variable), value receivers and parameters (copies),
  goroutines started directly on another package's function (`go q.F()`), calls between
  packages that import each other, and packages with generated files (no summary).
"#
    };
}

/// The Known limitations paragraph on hand-overs through channels, shared by the three
/// goroutine checks that report them (a macro, so that `concat!` can splice it into their
/// docs).
#[macro_export]
macro_rules! handoff_limitations {
    () => {
        r#"- A value sent on a channel belongs to the receiver. A hand-over is a send `ch <- v` (or
  `ch <- &v`, also as a `select` case) of a variable holding a pointer, map or slice, by a
  function of the package, matched by channel (a variable or field of the package, or a
  channel passed to a declared goroutine function, or passed on by a goroutine's literal to
  a function of the package it calls directly: `go func() { s.sendLoop(out) }()`) with a
  receive that binds a variable (`v := <-ch`, `for v := range ch`, a `select` case) in a
  goroutine of the package. Values sent inside an interface, aliases of the sent value,
  receives by goroutines of other packages, and a channel passed on two calls deep are not
  followed. A variable declared outside the
  loop around the send is followed into the next iteration, up to its next assignment
  there, when nothing after the send in the iteration ends the stretch. Reslicing the sent
  slice onto itself (`batch = batch[:0]`) keeps it shared, and the appends that follow
  write the elements the receiver holds; appends past the sent length without a reslice
  are not reported. The sender is ordered after the receiver by its own waits
  for that goroutine (a receive from a channel it sends on or closes, a wait group it
  marks done) and by any receive it makes after the send (which may be the hand-back);
  a sender that never waits is only reported when it writes. A sent struct value is a
  copy and never reported.
- A receiver that hands the received variable to a function value (`handle(it)`, with
  `handle` a parameter or local variable) or to a function of another package
  (`strings.Join(batch, "\n")`) is taken to read it: the sender's writes after the send
  that hold no lock are reported against that call. Its writing through the value is not
  assumed (the sender's reads stay silent), and values handed to methods (`h.Handle(it)`,
  `w.Write(b)`) are not followed.
"#
    };
}

mod between;
mod handoff;

pub(crate) use handoff::Candidate as HandoffCandidate;
pub use handoff::{report_handoffs, Handoff};

use crate::model_facts::selector_of;
use crate::syntactic::unparen;
use crate::PackageCx;
use racelens_model::{
    AccessIx, AccessKind, FuncIx, Invocation, LockSet, Model, Place, PlaceId, SpawnIx, SpawnKind,
    SyncKind,
};
use racelens_semantic::{DefId, DefKind, FuncRef};
use racelens_syntax::ast::{DeclKind, ExprId, ExprKind, IdentId, Span, StmtId, StmtKind};
use racelens_syntax::token::TokenKind;
use racelens_syntax::walk::Node;
use racelens_syntax::File;
use std::cell::RefCell;
use std::rc::Rc;
// Ids and short names: the Fx hash, not SipHash.
use racelens_semantic::scope::FxMap as HashMap;
/// A hash set with the Fx hash (ids and addresses).
type HashSet<T> =
    std::collections::HashSet<T, std::hash::BuildHasherDefault<racelens_semantic::scope::FxHasher>>;

/// How deep calls are followed from a goroutine or a spawner: races found through longer
/// call chains are mostly paths that never run together (the model knows no ordering other
/// than locks and joins).
const MAX_DEPTH: u32 = 3;
/// A bound on the accesses collected for one running function, against call-graph blowup.
const MAX_FLAT: usize = 50_000;

/// An access as some running function performs it, with the object it touches.
#[derive(Clone, Debug)]
pub struct Hit {
    pub access: AccessIx,
    /// The place the access touches, seen from the spawner: the access's own, but for an
    /// element or entry of a callee's parameter bound to a variable of the spawner's
    /// (`sum(counts)` ranging over `c`) and made holding no lock of the callee's, that
    /// variable's.
    pub place: PlaceId,
    /// Offset in the running function's file: the access or the call leading to it.
    pub at: u32,
    /// Locks held, seen from the running function's entry.
    pub locks: LockSet,
    /// The shared variable the access reaches its place through.
    pub object: DefId,
    /// The fields from `object` to the value whose field or element the access touches,
    /// hashed (a polynomial in `INSTANCE_K`): accesses through different fields of one object
    /// (`p.idleQueue.tail`, `p.newQueue.tail`) reach different values of the same type.
    pub instance: u32,
}

/// What runs alongside the goroutine and makes the other access.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Other {
    /// Another instance of the same goroutine (started in a loop).
    SameGoroutine,
    /// The function that starts the goroutine, before it waits for it.
    Spawner,
    /// Another goroutine started by the same function.
    Goroutine(SpawnIx),
}

/// A conflicting pair: `mine` in goroutine `spawn`, `other` in what runs alongside it.
#[derive(Clone, Debug)]
pub struct Race {
    pub spawn: SpawnIx,
    pub mine: Hit,
    pub other: Hit,
    pub with: Other,
}

/// Whether nothing that may synchronise runs in a spawner between the end of goroutine
/// `s`'s start and offset `at` of the spawner's file (see `between`), with the files' nodes
/// that may synchronise found once per file asked about.
#[derive(Default)]
pub struct StartOrder {
    points: HashMap<u32, Rc<between::SyncPoints>>,
}

impl StartOrder {
    pub fn nothing_between(&mut self, cx: &PackageCx<'_>, m: &Model, s: SpawnIx, at: u32) -> bool {
        let spawn = m.spawn(s);
        self.points(cx, m, s).nothing_between(spawn.span.end, at)
    }

    /// Whether nothing that may synchronise comes from offset `at` of the spawner of `s` to
    /// the end of the spawner.
    pub fn nothing_after(&mut self, cx: &PackageCx<'_>, m: &Model, s: SpawnIx, at: u32) -> bool {
        let end = m.func(m.spawn(s).func).span.end;
        self.points(cx, m, s).nothing_between(at, end)
    }

    /// What may synchronise in the file of the spawner of `s`, found once per file.
    fn points(&mut self, cx: &PackageCx<'_>, m: &Model, s: SpawnIx) -> &between::SyncPoints {
        let fi = m.func(m.spawn(s).func).file;
        self.points
            .entry(fi)
            .or_insert_with(|| Rc::new(between::SyncPoints::new(cx.files[fi as usize].ast)))
    }
}

/// The values a file assigns to each variable, `None` where it is incremented or its address
/// taken.
type Assigned = HashMap<DefId, Vec<Option<ExprId>>>;

/// An object a parameter or receiver is bound to.
type Env = HashMap<DefId, Option<(DefId, u32)>>;

/// The multiplier of instance paths: a path one field longer is `path * INSTANCE_K +
/// field_hash(name)`, so that a path can be extended at either end.
const INSTANCE_K: u32 = 0x0100_0193;

/// FNV-1a of a field name.
fn field_hash(name: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h = (h ^ b as u32).wrapping_mul(0x0100_0193);
    }
    h
}

/// The instance path `path` (see `Hit::instance`) one field further down, to field `name`.
#[cfg(test)]
fn instance_step(path: u32, name: &str) -> u32 {
    path.wrapping_mul(INSTANCE_K).wrapping_add(field_hash(name))
}

struct Finder<'c, 'a> {
    cx: &'c PackageCx<'a>,
    m: &'c Model,
    /// Functions that call a locking method the model does not know (`RWLock`, `TryLock`,
    /// `lockShared`): their unguarded-looking accesses may well be guarded.
    own_locks: RefCell<HashMap<FuncIx, bool>>,
    /// Per file asked about, its method calls by start: `own_locks` looks among those in
    /// each function's span, rather than at every expression of the file.
    method_calls: RefCell<HashMap<u32, Vec<MethodCall>>>,
    /// The answers of `doubtful` by access: an access takes part in as many pairs as there
    /// are conflicting accesses to its place.
    doubtful: RefCell<HashMap<AccessIx, bool>>,
    /// By file asked about, its `select` clauses with a communication: (the communication's
    /// span, the spans of the other clauses of its `select`), by start (see `select_rest`).
    selects: RefCell<HashMap<u32, Rc<SelectWaits>>>,
    /// By file asked about, the variables assigned by name in it (see `bind`).
    reassigned: RefCell<HashMap<u32, Rc<HashSet<DefId>>>>,
    /// By file: the values assigned to each variable (`None` for `x++` or `&x`), found once
    /// per file asked about (`received_guards`).
    assigned: RefCell<HashMap<u32, Rc<Assigned>>>,
    /// Per file asked about, what may synchronise in it (see `between`).
    sync_points: RefCell<HashMap<u32, Rc<between::SyncPoints>>>,
    /// The locks held at some access or call of the functions listed, or of the literals
    /// they run in place, by list (see `lock_protocol`): a function of thousands of deferred
    /// literals takes part in thousands of pairs, which would each gather them again.
    held: RefCell<HashMap<Vec<FuncIx>, Rc<HashSet<PlaceId>>>>,
    /// For each function, the first of it and the functions around it that is not a
    /// literal run in place by the next: the functions that run it in place (`runs_in_place`)
    /// are the ones from it up to that one. Filled when first asked.
    inline_top: std::cell::OnceCell<Vec<FuncIx>>,
}

/// A method call `x.name(args)`, for what `own_locks` looks for.
struct MethodCall {
    span: Span,
    x: ExprId,
    name: IdentId,
    no_args: bool,
}

/// The method calls of `f` (see [`MethodCall`]), by start.
fn method_calls_of(f: &File) -> Vec<MethodCall> {
    let mut out: Vec<MethodCall> = f
        .exprs
        .iter()
        .filter_map(|e| {
            let ExprKind::Call { fun, ref args, .. } = e.kind else {
                return None;
            };
            let ExprKind::Selector { x, sel } = f[unparen(f, fun)].kind else {
                return None;
            };
            Some(MethodCall {
                span: e.span,
                x,
                name: sel,
                no_args: args.is_empty(),
            })
        })
        .collect();
    out.sort_by_key(|c| c.span.start);
    out
}

/// When expression `e` (spanning `span`) of file `fi` polls, the loop that polls: `e` is in
/// the condition of a `for` loop (`for !stop`), or in the condition of an `if` inside a loop
/// of its function whose body ends by leaving it (`if quit { return }`, `break`).
pub fn polling_loop(cx: &PackageCx<'_>, fi: usize, e: ExprId, span: Span) -> Option<StmtId> {
    let f = cx.files[fi].ast;
    let parents = cx.parents(fi);
    let Some(Node::Stmt(st)) = parents
        .ancestors(Node::Expr(e))
        .find(|n| !matches!(n, Node::Expr(_)))
    else {
        return None;
    };
    let within = |c: ExprId| f[c].span.start <= span.start && span.end <= f[c].span.end;
    match f[st].kind {
        StmtKind::For { cond: Some(c), .. } if within(c) => Some(st),
        StmtKind::If { cond, body, .. } if within(cond) => {
            let StmtKind::Block { list, .. } = &f[body].kind else {
                return None;
            };
            let leaves = f[*list].last().is_some_and(|&last| {
                matches!(
                    f[last].kind,
                    StmtKind::Return { .. }
                        | StmtKind::Branch {
                            tok: TokenKind::Break,
                            ..
                        }
                )
            });
            if !leaves {
                return None;
            }
            // The loop around, in the same function.
            for n in parents.ancestors(Node::Stmt(st)) {
                match n {
                    Node::Stmt(l)
                        if matches!(f[l].kind, StmtKind::For { .. } | StmtKind::Range { .. }) =>
                    {
                        return Some(l)
                    }
                    Node::Expr(x) if matches!(f[x].kind, ExprKind::FuncLit { .. }) => return None,
                    Node::Decl(_) => return None,
                    _ => {}
                }
            }
            None
        }
        _ => None,
    }
}

/// The body of function `f` of file `file` (`None` for a declaration without one).
pub fn func_body(file: &File, f: FuncRef) -> Option<StmtId> {
    match f {
        FuncRef::Decl(d) => match file[d].kind {
            DeclKind::Func { body, .. } => body,
            _ => None,
        },
        FuncRef::Lit(e) => match file[e].kind {
            ExprKind::FuncLit { body, .. } => Some(body),
            _ => None,
        },
    }
}

/// Every conflicting pair the goroutines of the package take part in for which `wanted`
/// holds (given the goroutine's access kind and the other's), in spawn order.
pub fn races(cx: &PackageCx<'_>, wanted: impl Fn(AccessKind, AccessKind) -> bool) -> Vec<Race> {
    let Some(m) = cx.model() else {
        return Vec::new();
    };
    // Found once per package for all the goroutine checks, then filtered for each.
    cx.goroutine_races
        .get_or_init(|| all_races(cx, m))
        .iter()
        .filter(|r| wanted(m.access(r.mine.access).kind, m.access(r.other.access).kind))
        .cloned()
        .collect()
}

/// Every conflicting pair, whatever the access kinds.
fn all_races(cx: &PackageCx<'_>, m: &Model) -> Vec<Race> {
    let wanted = |_: AccessKind, _: AccessKind| true;
    let fd = Finder::new(cx, m);
    let mut out = Vec::new();
    let mut spawner_hits: HashMap<FuncIx, Rc<Vec<Hit>>> = HashMap::default();
    for s in 0..m.spawns.len() {
        let s = SpawnIx(s as u32);
        // Pairing a goroutine with its siblings is quadratic in the goroutines a function
        // starts; generated or hostile code with thousands of them is left alone.
        if m.func(m.spawn(s).func).spawns.len() > MAX_SPAWNS_PER_FUNCTION {
            continue;
        }
        fd.spawn_races(s, &wanted, &mut spawner_hits, &mut out);
    }
    out
}

/// Functions that start more goroutines than this are not analysed (a bound on the work).
pub const MAX_SPAWNS_PER_FUNCTION: usize = 64;

/// Of the pairs of accesses to one variable (one place through one object) that a goroutine
/// makes with what runs alongside it, at most this many are examined for each of its other
/// instances, its spawner, and the other goroutines together: each check reports one race
/// per variable, and a goroutine writing a variable thousands of times while its spawner or
/// its siblings read it thousands of times would otherwise make millions (a bound on the
/// work and on the memory of the pairs). Real code stays far below, but for the Go runtime
/// (51,681 pairs of one variable between instances of one goroutine started in a loop, cut
/// here without changing a report).
pub const MAX_PAIRS_PER_VARIABLE: u32 = 1 << 14;

impl<'c, 'a> Finder<'c, 'a> {
    pub(crate) fn new(cx: &'c PackageCx<'a>, m: &'c Model) -> Finder<'c, 'a> {
        Finder {
            cx,
            m,
            own_locks: RefCell::new(HashMap::default()),
            method_calls: RefCell::new(HashMap::default()),
            doubtful: RefCell::new(HashMap::default()),
            sync_points: RefCell::new(HashMap::default()),
            reassigned: RefCell::new(HashMap::default()),
            assigned: RefCell::new(HashMap::default()),
            selects: RefCell::new(HashMap::default()),
            held: RefCell::new(HashMap::default()),
            inline_top: std::cell::OnceCell::new(),
        }
    }

    /// Whether spawner hit `b`, a read, follows the start of goroutine `s` with nothing that
    /// could order the two in between (see `between`): the spawner's own access, a goroutine
    /// started once (not in a loop) that waits for nothing itself (a goroutine blocked on a
    /// receive may write only after the spawner's later send), and no call, channel
    /// operation, `select`, literal, `range` or `goto` from the start to the read but
    /// `time.Sleep` and `runtime.Gosched`.
    fn unordered_read(&self, s: SpawnIx, b: &Hit, looped: bool, waits: &mut Option<bool>) -> bool {
        let spawn = self.m.spawn(s);
        let acc = self.m.access(b.access);
        if looped || acc.func != spawn.func || b.at != acc.span.start {
            return false;
        }
        let waits = *waits.get_or_insert_with(|| {
            spawn.targets.iter().any(|&t| {
                self.m.signals(t).iter().any(|&(k, _)| {
                    matches!(
                        k,
                        SyncKind::Recv | SyncKind::WaitGroupWait | SyncKind::GroupWait
                    )
                })
            })
        });
        if waits {
            return false;
        }
        let fi = self.m.func(spawn.func).file;
        let points = self
            .sync_points
            .borrow_mut()
            .entry(fi)
            .or_insert_with(|| Rc::new(between::SyncPoints::new(self.file(fi))))
            .clone();
        points.nothing_between(spawn.span.end, b.at)
    }

    fn file(&self, fi: u32) -> &'a File {
        self.cx.files[fi as usize].ast
    }

    /// Whether variable `d` is one `spawner` (of file `fi`) shares with what it starts: a
    /// package variable, or a variable of the spawner or of a function it is written in.
    fn shared(&self, d: DefId, spawner: FuncIx, fi: u32) -> bool {
        let def = self.cx.scopes().def(d);
        match def.kind {
            DefKind::PackageVar => true,
            DefKind::LocalVar | DefKind::Param | DefKind::Result | DefKind::Receiver => {
                let Some(home) = def.func.filter(|_| def.file == Some(fi)) else {
                    return false;
                };
                home == self.m.func(spawner).func
                    || self
                        .m
                        .func_of(fi, home)
                        .is_some_and(|g| self.m.encloses(g, spawner))
            }
            _ => false,
        }
    }

    /// The variable expression `e` (of file `fi`) reaches its value from, through fields,
    /// dereferences and address-of; `None` through an index, a call or anything else.
    /// `in_call`: the expression is in a function entered through a call, whose own
    /// variables are a fresh frame (even when it is the spawner called recursively).
    fn root(
        &self,
        fi: u32,
        e: ExprId,
        env: &Env,
        spawner: FuncIx,
        sfi: u32,
        in_call: bool,
    ) -> Option<(DefId, u32)> {
        let f = self.file(fi);
        let mut e = e;
        // The path of the fields selected on the way down (the last selected nearest the
        // root), and `INSTANCE_K` to the power of their number: a base path `b` below them
        // gives `b * scale + below`.
        let (mut below, mut scale) = (0u32, 1u32);
        let path = |base: u32, below: u32, scale: u32| base.wrapping_mul(scale).wrapping_add(below);
        for _ in 0..64 {
            match f[e].kind {
                ExprKind::Paren { x } | ExprKind::Star { x } => e = x,
                ExprKind::Unary {
                    op: TokenKind::And,
                    x,
                } => e = x,
                ExprKind::Selector { x, sel } => {
                    // A qualified identifier names another package's variable.
                    if self.cx.scopes().imported_name(fi as usize, f, e).is_some() {
                        return None;
                    }
                    below = field_hash(f.ident_name(sel))
                        .wrapping_mul(scale)
                        .wrapping_add(below);
                    scale = scale.wrapping_mul(INSTANCE_K);
                    e = x;
                }
                ExprKind::Ident(id) => {
                    let d = self.cx.scopes().binding(fi as usize, id)?;
                    if let Some(&bound) = env.get(&d) {
                        return bound.map(|(o, p)| (o, path(p, below, scale)));
                    }
                    if in_call && self.cx.scopes().def(d).kind != DefKind::PackageVar {
                        return None;
                    }
                    return self
                        .shared(d, spawner, sfi)
                        .then(|| (d, path(0, below, scale)));
                }
                _ => return None,
            }
        }
        None
    }

    /// The object access `a` (run by a function of file `fi` under `env`) touches.
    fn object(
        &self,
        a: AccessIx,
        env: &Env,
        spawner: FuncIx,
        sfi: u32,
        in_call: bool,
    ) -> Option<(DefId, u32)> {
        let acc = self.m.access(a);
        let fi = self.m.access_file(a);
        // An access of a call into another package: the object is that of the receiver or
        // argument it goes through.
        if let Some(fr) = self.m.foreign(a) {
            return self.root(fi, fr.base, env, spawner, sfi, in_call);
        }
        match self.m.place(acc.place) {
            Place::Var(d) => {
                if let Some(&bound) = env.get(d) {
                    // A parameter holds its own copy of the variable, but a map or slice
                    // it holds shares its entries with the argument's, and so does a
                    // pointer to a value not safe for concurrent use, or such a value
                    // that refers to its state (`url.Values`), with what it points to.
                    let through = match acc.kind {
                        AccessKind::MapRead
                        | AccessKind::MapWrite
                        | AccessKind::ElemRead
                        | AccessKind::ElemWrite => true,
                        AccessKind::Mutate => crate::syntactic::copies_share(self.cx, *d),
                        _ => false,
                    };
                    return if through { bound } else { None };
                }
                if in_call && self.cx.scopes().def(*d).kind != DefKind::PackageVar {
                    return None;
                }
                self.shared(*d, spawner, sfi).then_some((*d, 0))
            }
            Place::Field { .. } => {
                // The access is the selector itself, an index of it (`s.m[k]`) or a
                // `delete(s.m, k)` call.
                let (_, sel, _) = selector_of(self.file(fi), acc.expr)?;
                self.root(fi, sel, env, spawner, sfi, in_call)
            }
        }
    }

    /// The statements from the start of goroutine `s` to the end of the statement list the
    /// start is in (the `go` statement first), or none when the start is not in one.
    fn rest_from_start(&self, s: SpawnIx) -> &'a [StmtId] {
        let spawn = self.m.spawn(s);
        let fi = self.m.func(spawn.func).file as usize;
        let parents = self.cx.parents(fi);
        let f = self.cx.files[fi].ast;
        let mut up = parents.ancestors(Node::Expr(spawn.call));
        let Some(Node::Stmt(start)) = up.find(|n| matches!(n, Node::Stmt(_))) else {
            return &[];
        };
        let list = match up.next() {
            Some(Node::Stmt(p)) => match &f[p].kind {
                StmtKind::Block { list, .. } => &f[*list],
                StmtKind::CaseClause { body, .. } | StmtKind::CommClause { body, .. } => &f[*body],
                _ => return &[],
            },
            _ => return &[],
        };
        let at = list
            .iter()
            .position(|&st| st == start)
            .unwrap_or(list.len());
        &list[at..]
    }

    /// Whether spawner hit `b`, a read the spawner makes itself after starting goroutine
    /// `s`, polls (see `polling_loop`) in a loop whose first read comes before anything in it
    /// (the loop's condition, or an `if` that is its first statement), with nothing that
    /// may synchronise between the start and the loop, of a goroutine started once that
    /// neither receives, sends nor waits (`go func() { work(); done = true }()` then `for
    /// !done { log.Println("waiting") }`): the first read runs alongside the write, whatever
    /// the loop calls later.
    fn spawner_polls(&self, s: SpawnIx, b: &Hit, looped: bool) -> bool {
        let spawn = self.m.spawn(s);
        let acc = self.m.access(b.access);
        if looped || b.at != acc.span.start || self.m.foreign(b.access).is_some() {
            return false;
        }
        let blocks = spawn.targets.iter().any(|&t| {
            self.m.signals(t).iter().any(|&(k, _)| {
                matches!(
                    k,
                    SyncKind::Recv | SyncKind::Send | SyncKind::WaitGroupWait | SyncKind::GroupWait
                )
            })
        });
        if blocks {
            return false;
        }
        let fi = self.m.func(acc.func).file;
        let Some(l) = polling_loop(self.cx, fi as usize, acc.expr, acc.span) else {
            return false;
        };
        let f = self.file(fi);
        let body = match f[l].kind {
            StmtKind::For { body, .. } | StmtKind::Range { body, .. } => body,
            _ => return false,
        };
        let first_in_body = match &f[body].kind {
            StmtKind::Block { list, .. } => f[*list].first().is_some_and(|&st| {
                f[st].span.start <= acc.span.start && acc.span.end <= f[st].span.end
            }),
            _ => false,
        };
        let in_cond = matches!(f[l].kind, StmtKind::For { cond: Some(c), .. }
            if f[c].span.start <= acc.span.start && acc.span.end <= f[c].span.end);
        if !(in_cond || first_in_body) || f[l].span.start < spawn.span.end {
            return false;
        }
        let points = self
            .sync_points
            .borrow_mut()
            .entry(self.m.func(spawn.func).file)
            .or_insert_with(|| Rc::new(between::SyncPoints::new(self.file(fi))))
            .clone();
        points.nothing_between(spawn.span.end, f[l].span.start)
    }

    /// Whether goroutine `s`, started in a loop and waited for in that loop (`joins`, sorted),
    /// is waited for only in one clause of a `select` whose other clauses may go on to the
    /// next iteration without waiting (`case <-time.After(d):` in a retry loop): the
    /// goroutine of an abandoned attempt then runs alongside the next ones.
    fn abandoned_in_loop(&self, s: SpawnIx, joins: &[u32]) -> bool {
        let spawn = self.m.spawn(s);
        let Some(l) = spawn.loop_span else {
            return false;
        };
        let inside: Vec<u32> = joins
            .iter()
            .copied()
            .filter(|&j| j > spawn.span.start && j < l.end)
            .collect();
        let Some(&first) = inside.first() else {
            return false;
        };
        let Some(rest) = self.select_rest(self.m.func(spawn.func).file, first) else {
            return false;
        };
        let Some(end) = rest.after else {
            return false;
        };
        !inside
            .iter()
            .any(|&j| j >= end || rest.clauses.iter().any(|c| c.start <= j && j < c.end))
    }

    /// When offset `at` of file `fi` is in the communication of a `select` clause (`case
    /// <-done:`), what of that `select` a wait there does not cover: the other clauses (`case
    /// <-time.After(d):` gives up waiting), and when one of them may end without leaving
    /// (no `return`, `panic`, `t.Fatal`, ...), what follows the `select`, from its end.
    fn select_rest(&self, fi: u32, at: u32) -> Option<SelectRest> {
        let clauses = self.selects.borrow().get(&fi).cloned();
        let clauses = clauses.unwrap_or_else(|| {
            let f = self.file(fi);
            let mut out = Vec::new();
            // A flat scan of the statement arena: no walk of the tree.
            for st in &f.stmts {
                let StmtKind::Select { body } = st.kind else {
                    continue;
                };
                let StmtKind::Block { list, .. } = f[body].kind else {
                    continue;
                };
                let list = &f[list];
                for &c in list {
                    if let StmtKind::CommClause {
                        comm: Some(comm), ..
                    } = f[c].kind
                    {
                        let rest = list.iter().filter(|&&o| o != c);
                        let falls = rest.clone().any(|&o| self.falls_through(fi, o));
                        out.push((
                            f[comm].span,
                            SelectRest {
                                clauses: rest.map(|&o| f[o].span).collect(),
                                after: falls.then_some(st.span.end),
                            },
                        ));
                    }
                }
            }
            out.sort_by_key(|(comm, _)| comm.start);
            let out = Rc::new(out);
            self.selects.borrow_mut().insert(fi, out.clone());
            out
        });
        let i = clauses.partition_point(|(comm, _)| comm.start <= at);
        match i.checked_sub(1).map(|i| &clauses[i]) {
            Some((comm, rest)) if at < comm.end => Some(rest.clone()),
            _ => None,
        }
    }

    /// The `if` statements of the spawner of goroutine `s` (outside the literals it holds)
    /// that leave (their body ends in a `return`, a `panic` or a `t.Fatal`) unless a flag is
    /// set that only receives waiting for the goroutine (`joins`, sorted) set: a condition
    /// `!ok || ...` where every assignment of the local `ok` is such a receive (`case ok =
    /// <-done:`) or `false`, and its declaration gives it no other value. Each with the
    /// block it is in: in that block, what follows the check comes after the receive, so
    /// after the goroutine's signal (pion/sctp's handshake polled with a timeout).
    fn received_guards(&self, s: SpawnIx, joins: &[u32]) -> Vec<(u32, Span)> {
        let spawn = self.m.spawn(s);
        let func = self.m.func(spawn.func);
        let fi = func.file;
        let f = self.file(fi);
        let Some(body) = func_body(f, func.func) else {
            return Vec::new();
        };
        let scopes = self.cx.scopes();
        let def_of = |e: ExprId| crate::syntactic::ident_def(self.cx, fi as usize, e);
        let is_false =
            |e: ExprId| crate::syntactic::builtin_name(self.cx, fi as usize, e) == Some("false");
        let joining = |e: ExprId| match f[unparen(f, e)].kind {
            ExprKind::Unary {
                op: TokenKind::Arrow,
                ..
            } => joins.binary_search(&f[unparen(f, e)].span.start).is_ok(),
            _ => false,
        };
        // By local: whether a joining receive sets it, and whether anything else does: its
        // declarations here, its assignments from every assignment of the file (those in
        // the literals of the function too: a closure setting the flag) in `flag`.
        let note = |(received, other): &mut (bool, bool), v: Option<ExprId>| match v {
            Some(v) if joining(v) => *received = true,
            Some(v) if is_false(v) => {}
            _ => *other = true,
        };
        let mut flags: HashMap<DefId, (bool, bool)> = HashMap::default();
        let mut assigned = |d: Option<DefId>, v: Option<ExprId>| {
            if let Some(d) = d {
                note(flags.entry(d).or_insert((false, false)), v);
            }
        };
        let file_assigned = self.assigned_in(fi);
        let mut ifs = Vec::new();
        // The `select` clauses that receive what waits for the goroutine.
        let mut waiting_clauses: Vec<Span> = Vec::new();
        racelens_syntax::walk::preorder(f, &[Node::Stmt(body)], |n| match n {
            Node::Expr(e) => !matches!(f[e].kind, ExprKind::FuncLit { .. }),
            Node::Stmt(st) => {
                match &f[st].kind {
                    StmtKind::If { init: None, .. } | StmtKind::For { .. } => ifs.push(st),
                    StmtKind::CommClause { comm: Some(c), .. } => {
                        let received = match f[*c].kind {
                            StmtKind::Expr(e) => joining(e),
                            StmtKind::Assign { rhs, .. } => f[rhs].len() == 1 && joining(f[rhs][0]),
                            _ => false,
                        };
                        if received {
                            waiting_clauses.push(f[st].span);
                        }
                    }
                    _ => {}
                }
                true
            }
            Node::Spec(sp) => {
                if let racelens_syntax::ast::SpecKind::Value { names, values, .. } = &f[sp].kind {
                    for (i, &n) in names.iter().enumerate() {
                        let d = scopes.binding(fi as usize, n);
                        // `var ok bool` gives it `false`.
                        match values.len() {
                            0 => {}
                            k if k == names.len() => assigned(d, Some(values[i])),
                            _ => assigned(d, Some(values[0])),
                        }
                    }
                }
                true
            }
            _ => true,
        });
        let flag = |d: Option<DefId>| {
            let Some(d) = d else {
                return false;
            };
            let mut seen = flags.get(&d).copied().unwrap_or_default();
            for &v in file_assigned.get(&d).into_iter().flatten() {
                note(&mut seen, v);
            }
            seen.0 && !seen.1
        };
        let parents = self.cx.parents(fi as usize);
        // The block statement `st` is in, through its labels (`loop: for { ... }`).
        let enclosing_block = |st: StmtId| {
            let mut node = Node::Stmt(st);
            loop {
                match parents.parent(node) {
                    Some(Node::Stmt(p)) => match f[p].kind {
                        StmtKind::Labeled { .. } => node = Node::Stmt(p),
                        StmtKind::Block { .. } => return Some(f[p].span),
                        _ => return None,
                    },
                    _ => return None,
                }
            }
        };
        let mut out = Vec::new();
        for st in ifs {
            let (cond, body, is_loop) = match f[st].kind {
                StmtKind::If { cond, body, .. } => (cond, body, false),
                StmtKind::For {
                    cond: Some(cond),
                    body,
                    ..
                } => (cond, body, true),
                // A loop with no condition left only by `break`s in clauses that receive
                // what waits for the goroutine (`case err = <-doneCh: break loop`).
                StmtKind::For {
                    cond: None, body, ..
                } => {
                    let exits = self.loop_exits(fi, body);
                    let Some(block) = enclosing_block(st) else {
                        continue;
                    };
                    if exits.as_ref().is_some_and(|exits| {
                        !exits.is_empty()
                            && exits.iter().all(|&at| {
                                waiting_clauses.iter().any(|c| c.start <= at && at < c.end)
                            })
                    }) {
                        out.push((f[st].span.end, block));
                    }
                    continue;
                }
                _ => continue,
            };
            // The `||` terms of the condition: one `!flag` is enough.
            let mut terms = vec![cond];
            let mut guarded = false;
            while let Some(t) = terms.pop() {
                match f[unparen(f, t)].kind {
                    ExprKind::Binary {
                        x,
                        op: TokenKind::LOr,
                        y,
                        ..
                    } => terms.extend([x, y]),
                    ExprKind::Unary {
                        op: TokenKind::Not,
                        x,
                    } => guarded |= flag(def_of(x)),
                    _ => {}
                }
            }
            let StmtKind::Block { list, .. } = f[body].kind else {
                continue;
            };
            // An `if` whose body leaves; a loop (`for !ok0 || !ok1 { select { ... } }`) left
            // only through its condition, with no `break` of its own (`goto` aside).
            let leaves = if is_loop {
                self.loop_exits(fi, body)
                    .is_some_and(|exits| exits.is_empty())
            } else {
                f[list].last().is_some_and(|&last| match f[last].kind {
                    StmtKind::Return { .. } => true,
                    StmtKind::Expr(e) => racelens_model::ends_flow(f, scopes, fi as usize, e),
                    _ => false,
                })
            };
            let Some(block) = enclosing_block(st) else {
                continue;
            };
            if guarded && leaves {
                out.push((f[st].span.end, block));
            }
        }
        out
    }

    /// For spawner hit `b`, a direct assignment of a value whose evaluation waits for the
    /// goroutine (`joins`, sorted): `err = <-doneCh`, `case err = <-doneCh:`, `err =
    /// g.Wait()`. The variable is written once the wait is done, so at the value's end, not
    /// where it is named.
    fn assigned_by_join(&self, b: &Hit, joins: &[u32]) -> Option<u32> {
        let acc = self.m.access(b.access);
        if !acc.kind.is_write() || b.at != acc.span.start || self.m.foreign(b.access).is_some() {
            return None;
        }
        let fi = self.m.access_file(b.access);
        let (_, tok, value, _) = crate::model_facts::assignment_of(self.cx, fi as usize, acc.expr)?;
        if tok != TokenKind::Assign && tok != TokenKind::Define {
            return None;
        }
        let f = self.file(fi);
        let span = f[unparen(f, value)].span;
        // A wait inside the value (`<-done`, `g.Wait()`): the variable is written after it.
        let i = joins.partition_point(|&j| j < span.start);
        joins
            .get(i)
            .is_some_and(|&j| j < span.end)
            .then_some(span.end)
    }

    /// The values file `fi` assigns to each variable (see [`Assigned`]), by flat scans of its
    /// statements and expressions, once per file.
    fn assigned_in(&self, fi: u32) -> Rc<Assigned> {
        if let Some(a) = self.assigned.borrow().get(&fi) {
            return a.clone();
        }
        let f = self.file(fi);
        let def_of = |e: ExprId| crate::syntactic::ident_def(self.cx, fi as usize, e);
        let mut out = Assigned::default();
        let mut add = |d: Option<DefId>, v: Option<ExprId>| {
            if let Some(d) = d {
                out.entry(d).or_default().push(v);
            }
        };
        for st in &f.stmts {
            match &st.kind {
                StmtKind::Assign { lhs, rhs, .. } => {
                    let (lhs, rhs) = (&f[*lhs], &f[*rhs]);
                    for (i, &l) in lhs.iter().enumerate() {
                        // `v, ok := <-ch` and other multi-value forms: not a value of its own.
                        let v = (lhs.len() == rhs.len()).then(|| rhs[i]);
                        add(def_of(l), v);
                    }
                }
                StmtKind::IncDec { x, .. } => add(def_of(*x), None),
                _ => {}
            }
        }
        for e in &f.exprs {
            if let ExprKind::Unary {
                op: TokenKind::And,
                x,
            } = e.kind
            {
                add(def_of(x), None);
            }
        }
        let out = Rc::new(out);
        self.assigned.borrow_mut().insert(fi, out.clone());
        out
    }

    /// The `break`s by which loop body `body` of file `fi` may leave its loop (a labelled
    /// one anywhere, as no label is matched, or one outside the `for`, `switch` and `select`
    /// statements within), by offset; `None` when a `goto` may leave it too. Function
    /// literals are not looked into.
    fn loop_exits(&self, fi: u32, body: StmtId) -> Option<Vec<u32>> {
        let f = self.file(fi);
        let mut exits = Vec::new();
        let mut goto = false;
        let mut inner: Vec<Span> = Vec::new();
        racelens_syntax::walk::preorder(f, &[Node::Stmt(body)], |n| match n {
            Node::Expr(e) => !matches!(f[e].kind, ExprKind::FuncLit { .. }),
            Node::Stmt(st) => {
                match f[st].kind {
                    StmtKind::For { .. }
                    | StmtKind::Range { .. }
                    | StmtKind::Switch { .. }
                    | StmtKind::TypeSwitch { .. }
                    | StmtKind::Select { .. } => inner.push(f[st].span),
                    StmtKind::Branch { tok, label } => {
                        let at = f[st].span.start;
                        let nested = inner.iter().any(|sp| sp.start <= at && at < sp.end);
                        goto |= tok == TokenKind::Goto;
                        if tok == TokenKind::Break && (label.is_some() || !nested) {
                            exits.push(at);
                        }
                    }
                    _ => {}
                }
                !goto
            }
            _ => !goto,
        });
        (!goto).then_some(exits)
    }

    /// Whether `select` clause `c` of file `fi` may end by going on after the `select`: its
    /// last statement is not a `return`, a `continue` or `goto` or labelled `break`, a call
    /// of `panic`, or a method call that ends the goroutine or the program (`t.Fatal`,
    /// `t.FailNow`, `log.Fatalf`, `os.Exit`, ...).
    fn falls_through(&self, fi: u32, c: StmtId) -> bool {
        let f = self.file(fi);
        let StmtKind::CommClause { body, .. } = f[c].kind else {
            return false;
        };
        let Some(&last) = f[body].last() else {
            return true;
        };
        match f[last].kind {
            StmtKind::Return { .. } => false,
            StmtKind::Branch { tok, label } => tok == TokenKind::Break && label.is_none(),
            StmtKind::Expr(e) => !racelens_model::ends_flow(f, self.cx.scopes(), fi as usize, e),
            _ => true,
        }
    }

    /// The end of the first `return` statement that follows the start of goroutine `s` in the
    /// statement list the start is in (`go f(); return x`), or `u32::MAX` without one.
    fn exit_after(&self, s: SpawnIx) -> u32 {
        let f = self.file(self.m.func(self.m.spawn(s).func).file);
        self.rest_from_start(s)
            .iter()
            .find(|&&st| matches!(f[st].kind, StmtKind::Return { .. }))
            .map_or(u32::MAX, |&st| f[st].span.end)
    }

    /// The gates of goroutine `s`, started once by a function with one target: for each
    /// channel the goroutine's function receives from in a statement of its body's own list
    /// (`<-ready`, `v := <-in`), and the spawner sends on or closes in a statement of the
    /// start's own list after it, (the start of the spawner's statement, the end of the
    /// goroutine's). What the spawner does before its statement happens before what the
    /// goroutine does after its own.
    fn gates(&self, s: SpawnIx) -> Vec<(u32, u32)> {
        let spawn = self.m.spawn(s);
        let [target] = spawn.targets[..] else {
            return Vec::new();
        };
        let plain = |f: &File, st: StmtId| {
            matches!(
                f[st].kind,
                StmtKind::Expr(_) | StmtKind::Assign { .. } | StmtKind::Send { .. }
            )
        };
        // The op of `kinds` made by function `func` in one of `list`'s plain statements: the
        // statement's span and the op's channel.
        let ops = |func: FuncIx, list: &[StmtId], kinds: &[SyncKind]| {
            let f = self.file(self.m.func(func).file);
            let mut out = Vec::new();
            for op in &self.m.func(func).syncs {
                if op.deferred || !kinds.contains(&op.kind) {
                    continue;
                }
                let holder = list.iter().find(|&&st| {
                    f[st].span.start <= op.span.start && op.span.end <= f[st].span.end
                });
                if let Some(&st) = holder.filter(|&&st| plain(f, st)) {
                    out.push((f[st].span, op.place));
                }
            }
            out
        };
        let tfile = self.file(self.m.func(target).file);
        let body = func_body(tfile, self.m.func(target).func);
        let Some(StmtKind::Block { list, .. }) = body.map(|b| &tfile[b].kind) else {
            return Vec::new();
        };
        let recvs = ops(target, &tfile[*list], &[SyncKind::Recv]);
        if recvs.is_empty() {
            return Vec::new();
        }
        let rest = self.rest_from_start(s);
        let sends = ops(
            spawn.func,
            rest.get(1..).unwrap_or(&[]),
            &[SyncKind::Send, SyncKind::Close],
        );
        let mut out = Vec::new();
        for (sent, p) in &sends {
            for (got, q) in &recvs {
                if p == q {
                    out.push((sent.start, got.end));
                }
            }
        }
        out
    }

    /// Whether goroutines `a` and `b`, started by the same function, are started in different
    /// branches of one `if`, `switch` or `select` that no loop of the function goes round
    /// (`case TypeAXFR: go t.inAxfr(...)` beside `case TypeIXFR: go t.inIxfr(...)`): one
    /// call starts one of them.
    fn exclusive_starts(&self, a: SpawnIx, b: SpawnIx) -> bool {
        let (sa, sb) = (self.m.spawn(a), self.m.spawn(b));
        let fi = self.m.func(sa.func).file as usize;
        let parents = self.cx.parents(fi);
        let f = self.cx.files[fi].ast;
        let up_a: Vec<Node> = parents.ancestors(Node::Expr(sa.call)).collect();
        let Some(mut common) = parents
            .ancestors(Node::Expr(sb.call))
            .find(|n| up_a.contains(n))
        else {
            return false;
        };
        let clauses = |n: Node| {
            matches!(n, Node::Stmt(st) if matches!(f[st].kind,
                StmtKind::Switch { .. } | StmtKind::TypeSwitch { .. } | StmtKind::Select { .. }))
        };
        // The clauses of a `switch` or `select` are in its body block: two clauses meet there.
        // Two statements of one block, or of one clause, run one after the other.
        if matches!(common, Node::Stmt(st) if matches!(f[st].kind, StmtKind::Block { .. })) {
            match parents.parent(common) {
                Some(p) if clauses(p) => common = p,
                _ => return false,
            }
        } else if !clauses(common)
            && !matches!(common, Node::Stmt(st) if matches!(f[st].kind, StmtKind::If { .. }))
        {
            return false;
        }
        // No loop around the branching statement, up to the function's own boundary.
        for n in parents.ancestors(common) {
            match n {
                Node::Stmt(st)
                    if matches!(f[st].kind, StmtKind::For { .. } | StmtKind::Range { .. }) =>
                {
                    return false
                }
                Node::Decl(_) => return true,
                Node::Expr(e) if matches!(f[e].kind, ExprKind::FuncLit { .. }) => return true,
                _ => {}
            }
        }
        true
    }

    /// Whether goroutines `a` and `b`, started in this order by one function, both run a
    /// method of one local variable (`go s.Serve()`) to which the function assigns a new
    /// value in between (`s = NewServer()`, `s = &T{}`: a composite literal, `new`, or a call
    /// of a function named `new...`/`New...`): they run on two values.
    fn renewed_between(&self, a: SpawnIx, b: SpawnIx) -> bool {
        let (sa, sb) = (self.m.spawn(a), self.m.spawn(b));
        if sa.kind != SpawnKind::Go || sb.kind != SpawnKind::Go || sa.func != sb.func {
            return false;
        }
        let fi = self.m.func(sa.func).file;
        let f = self.file(fi);
        let receiver = |call: ExprId| -> Option<DefId> {
            let ExprKind::Call { fun, .. } = f[unparen(f, call)].kind else {
                return None;
            };
            let ExprKind::Selector { x, .. } = f[unparen(f, fun)].kind else {
                return None;
            };
            crate::syntactic::ident_def(self.cx, fi as usize, x)
        };
        let (Some(d), Some(other)) = (receiver(sa.call), receiver(sb.call)) else {
            return false;
        };
        if d != other || self.cx.scopes().def(d).kind != DefKind::LocalVar {
            return false;
        }
        let made = |v: ExprId| {
            let ExprKind::Call { fun, .. } = f[unparen(f, v)].kind else {
                return crate::syntactic::makes_value(self.cx, fi as usize, v);
            };
            let name = match f[unparen(f, fun)].kind {
                ExprKind::Ident(id) => f.ident_name(id),
                ExprKind::Selector { sel, .. } => f.ident_name(sel),
                _ => return false,
            };
            // `new(T)` too.
            name.starts_with("new") || name.starts_with("New")
        };
        self.assigned_in(fi)
            .get(&d)
            .into_iter()
            .flatten()
            .any(|&v| {
                v.is_some_and(|v| {
                    let at = f[v].span.start;
                    sa.span.end <= at && at < sb.span.start && made(v)
                })
            })
    }

    /// The receiver and parameter defs of function `f`, in order (the receiver first, if
    /// any, then `None` in its place for functions without one).
    fn params(&self, f: FuncIx) -> (Option<DefId>, Vec<Option<DefId>>) {
        let func = self.m.func(f);
        let fi = func.file;
        let file = self.file(fi);
        let bind = |id| self.cx.scopes().binding(fi as usize, id);
        let (recv, typ) = match func.func {
            FuncRef::Decl(d) => match &file[d].kind {
                DeclKind::Func { recv, typ, .. } => (*recv, *typ),
                _ => return (None, Vec::new()),
            },
            FuncRef::Lit(e) => match file[e].kind {
                ExprKind::FuncLit { typ, .. } => (None, typ),
                _ => return (None, Vec::new()),
            },
        };
        let recv = recv.and_then(|r| {
            let field = *file[r].list.first()?;
            let name = *file[field].names.first()?;
            bind(name)
        });
        let mut params = Vec::new();
        if let ExprKind::FuncType { params: pl, .. } = file[typ].kind {
            for &field in file[pl].list.iter() {
                if file[field].names.is_empty() {
                    params.push(None);
                }
                for &n in file[field].names.iter() {
                    params.push(bind(n));
                }
            }
        }
        (recv, params)
    }

    /// The bindings of `callee`'s receiver and parameters made by call `call` of file `fi`
    /// (the call's arguments; the receiver of a method call or method value `recv_of`).
    #[allow(clippy::too_many_arguments)]
    fn bind(
        &self,
        callee: FuncIx,
        fi: u32,
        recv_of: Option<ExprId>,
        args: &[ExprId],
        env: &Env,
        spawner: FuncIx,
        sfi: u32,
        in_call: bool,
    ) -> Env {
        let (recv, params) = self.params(callee);
        // A receiver or parameter the callee assigns (`q = q.clone()`) may hold another
        // value than the argument from there on: it is bound to nothing.
        let reassigned = self.reassigned(self.m.func(callee).file);
        let mut out = Env::default();
        if let Some(r) = recv {
            let obj = recv_of
                .filter(|_| !reassigned.contains(&r))
                .and_then(|x| self.root(fi, x, env, spawner, sfi, in_call));
            out.insert(r, obj);
        }
        for (i, p) in params.iter().enumerate() {
            if let Some(p) = p {
                let obj = args
                    .get(i)
                    .filter(|_| !reassigned.contains(p))
                    .and_then(|&a| self.root(fi, a, env, spawner, sfi, in_call));
                out.insert(*p, obj);
            }
        }
        out
    }

    /// The variables assigned by name (`x = ...`, `x += ...`, `x++`) anywhere in file `fi`:
    /// a receiver or parameter in it is assigned by its own function (or a literal in it).
    /// Found once per file, by a flat scan of its statements (no walk of the tree), so that
    /// deeply nested literals cost no more.
    fn reassigned(&self, fi: u32) -> Rc<HashSet<DefId>> {
        if let Some(r) = self.reassigned.borrow().get(&fi) {
            return r.clone();
        }
        let file = self.file(fi);
        let mut out = HashSet::default();
        let mut assigned = |x: ExprId| {
            if let ExprKind::Ident(id) = file[unparen(file, x)].kind {
                if let Some(d) = self.cx.scopes().binding(fi as usize, id) {
                    out.insert(d);
                }
            }
        };
        for st in &file.stmts {
            match st.kind {
                StmtKind::Assign { lhs, tok, .. } if tok != TokenKind::Define => {
                    file[lhs].iter().for_each(|&x| assigned(x));
                }
                StmtKind::IncDec { x, .. } => assigned(x),
                _ => {}
            }
        }
        let out = Rc::new(out);
        self.reassigned.borrow_mut().insert(fi, out.clone());
        out
    }

    /// The receiver expression and arguments of call `call` of file `fi`.
    fn call_parts(&self, fi: u32, call: ExprId) -> (Option<ExprId>, Vec<ExprId>) {
        let f = self.file(fi);
        let ExprKind::Call {
            fun,
            ref args,
            ellipsis,
            ..
        } = f[call].kind
        else {
            return (None, Vec::new());
        };
        let recv = match f[unparen(f, fun)].kind {
            ExprKind::Selector { x, .. } => Some(x),
            _ => None,
        };
        let args = if ellipsis.is_some() {
            Vec::new()
        } else {
            f[args].to_vec()
        };
        (recv, args)
    }

    /// Every access running `f` (under `env`) performs whose object is known.
    #[allow(clippy::too_many_arguments)]
    fn flatten(
        &self,
        f: FuncIx,
        env: &Env,
        held: &LockSet,
        at: Option<u32>,
        depth: u32,
        spawner: FuncIx,
        sfi: u32,
        fresh: bool,
        stack: &mut Vec<FuncIx>,
        out: &mut Vec<Hit>,
    ) {
        if out.len() > MAX_FLAT {
            return;
        }
        // The variables of a function entered through a call (or started as a goroutine by
        // name) are a frame of their own.
        let fresh = fresh || at.is_some();
        let func = self.m.func(f);
        for &a in func.accesses.iter().chain(&func.foreign) {
            let acc = self.m.access(a);
            if let Some((object, instance)) = self.object(a, env, spawner, sfi, fresh) {
                // A callee's own locks name its own variables (a `*sync.Mutex` parameter),
                // which are not bound to the spawner's: an element or entry read under one
                // stays the callee's, paired with nothing.
                let place = match *self.m.place(acc.place) {
                    Place::Var(d) if d != object && acc.locks.is_empty() => {
                        self.m.var_place(object).unwrap_or(acc.place)
                    }
                    _ => acc.place,
                };
                out.push(Hit {
                    access: a,
                    place,
                    at: at.unwrap_or(acc.span.start),
                    locks: acc.locks.union(held),
                    object,
                    instance,
                });
            }
        }
        for &lit in &func.inline {
            racelens_model::grow(|| {
                self.flatten(lit, env, held, at, depth, spawner, sfi, fresh, stack, out)
            });
        }
        if depth >= MAX_DEPTH {
            return;
        }
        for c in &func.calls {
            let parts = Some(self.call_parts(func.file, c.expr));
            for &callee in &c.callees {
                if stack.contains(&callee) || self.m.func(callee).how == Invocation::Inline {
                    continue;
                }
                let (recv, args) = parts.clone().unwrap_or_default();
                let env2 = self.bind(callee, func.file, recv, &args, env, spawner, sfi, fresh);
                stack.push(callee);
                let locks = c.locks.union(held);
                self.flatten(
                    callee,
                    &env2,
                    &locks,
                    at.or(Some(c.span.start)),
                    depth + 1,
                    spawner,
                    sfi,
                    fresh,
                    stack,
                    out,
                );
                stack.pop();
            }
        }
    }

    /// What goroutine `s` runs, with objects seen from its spawner.
    fn goroutine_hits(&self, s: SpawnIx) -> Vec<Hit> {
        let spawn = self.m.spawn(s);
        let spawner = spawn.func;
        let sfi = self.m.func(spawner).file;
        let start = Some(spawn.call);
        let f = self.file(sfi);
        let mut out = Vec::new();
        for &t in &spawn.targets {
            let env = match (self.m.func(t).how, start) {
                (Invocation::Spawned(_), Some(call)) if matches!(f[call].kind, ExprKind::Call { fun, .. } if unparen(f, fun) == self.lit_expr(t)) =>
                {
                    let (_, args) = self.call_parts(sfi, call);
                    self.bind(t, sfi, None, &args, &Env::default(), spawner, sfi, false)
                }
                (Invocation::Spawned(_), _) => Env::default(),
                (_, Some(call)) => {
                    let (recv, args) = self.call_parts(sfi, call);
                    if spawn.kind == racelens_model::SpawnKind::Go {
                        self.bind(t, sfi, recv, &args, &Env::default(), spawner, sfi, false)
                    } else {
                        // A function value handed to the starting call: a method value's
                        // receiver is bound, parameters are the starter's to fill.
                        let fv = match &spawn.helper {
                            Some(h) => args.get(h.arg as usize),
                            None => args.last(),
                        };
                        let fv = fv.map(|&a| unparen(f, a));
                        let recv = fv.and_then(|a| match f[a].kind {
                            ExprKind::Selector { x, .. } => Some(x),
                            _ => None,
                        });
                        self.bind(t, sfi, recv, &[], &Env::default(), spawner, sfi, false)
                    }
                }
                (_, None) => {
                    let (recv, params) = self.params(t);
                    recv.into_iter()
                        .chain(params.into_iter().flatten())
                        .map(|d| (d, None))
                        .collect()
                }
            };
            let mut stack = vec![t];
            let by_name = self.m.func(t).how == Invocation::Decl;
            self.flatten(
                t,
                &env,
                &LockSet::default(),
                None,
                0,
                spawner,
                sfi,
                by_name,
                &mut stack,
                &mut out,
            );
        }
        out
    }

    fn lit_expr(&self, f: FuncIx) -> ExprId {
        match self.m.func(f).func {
            FuncRef::Lit(e) => e,
            FuncRef::Decl(_) => ExprId::new(u32::MAX),
        }
    }

    /// What the spawner of `s` runs, with objects seen from itself.
    fn spawner_hits(&self, spawner: FuncIx) -> Vec<Hit> {
        let sfi = self.m.func(spawner).file;
        let mut out = Vec::new();
        let mut stack = vec![spawner];
        let entry = self.m.effective_entry(spawner);
        self.flatten(
            spawner,
            &Env::default(),
            &entry,
            None,
            0,
            spawner,
            sfi,
            false,
            &mut stack,
            &mut out,
        );
        out
    }

    /// Whether variable `d` is assigned by the spawner inside loop `l`, or declared there:
    /// then each iteration's goroutine may see a different value.
    fn per_iteration(&self, d: DefId, l: Span, spawner: &[Hit]) -> bool {
        let def = self.cx.scopes().def(d);
        if let (Some(id), Some(fi)) = (def.ident, def.file) {
            let s = self.file(fi)[id].span;
            if s.start >= l.start && s.end <= l.end {
                return true;
            }
        }
        spawner.iter().any(|h| {
            h.at >= l.start
                && h.at < l.end
                && h.object == d
                && self.m.access(h.access).kind == AccessKind::Write
                && matches!(self.m.place(self.m.access(h.access).place), Place::Var(v) if *v == d)
        })
    }

    /// Whether access `a` is one to leave alone: in a function that locks with methods the
    /// model does not know, or on a path that ends in `panic` (a broken invariant, where a
    /// maintainer does not care about a racy read for the message).
    fn doubtful(&self, a: AccessIx) -> bool {
        if let Some(&known) = self.doubtful.borrow().get(&a) {
            return known;
        }
        let answer = self.doubtful_uncached(a);
        self.doubtful.borrow_mut().insert(a, answer);
        answer
    }

    fn doubtful_uncached(&self, a: AccessIx) -> bool {
        let acc = self.m.access(a);
        let func = acc.func;
        let fi = self.m.func(func).file;
        let f = self.file(fi);
        let own = *self.own_locks.borrow_mut().entry(func).or_insert_with(|| {
            let span = self.m.func(func).span;
            let mut method_calls = self.method_calls.borrow_mut();
            let calls = method_calls.entry(fi).or_insert_with(|| method_calls_of(f));
            let types = self.cx.types();
            let from = calls.partition_point(|c| c.span.start < span.start);
            calls[from..]
                .iter()
                .take_while(|c| c.span.start <= span.end)
                .filter(|c| c.span.end <= span.end)
                .any(|c| {
                    let name = f.ident_name(c.name);
                    if c.no_args
                        && matches!(
                            name,
                            "Lock" | "Unlock" | "RLock" | "RUnlock" | "Wait" | "Done"
                        )
                    {
                        // Synchronisation on a value whose type is unknown (a package that
                        // did not load) is invisible to the model.
                        return types.as_ref().is_some_and(|(prog, pkg)| {
                            prog.is_unknown(prog.type_of(*pkg, fi as usize, c.x))
                        });
                    }
                    name.contains("Lock") || name.contains("lock")
                })
        });
        if own && acc.locks.is_empty() {
            return true;
        }
        // `once.Do(func() { ... })`: the function runs once, and every other caller waits.
        // (Also a cleanup function, which runs after the test, one at a time.)
        let mut g = func;
        while self.m.func(g).how == Invocation::Inline {
            if let FuncRef::Lit(lit) = self.m.func(g).func {
                let gf = self.file(self.m.func(g).file);
                let parents = self.cx.parents(self.m.func(g).file as usize);
                if let Some(Node::Expr(call)) = parents.parent(Node::Expr(lit)) {
                    if let ExprKind::Call { fun, ref args, .. } = gf[call].kind {
                        let once = matches!(gf[unparen(gf, fun)].kind,
                            ExprKind::Selector { sel, .. } if matches!(gf.ident_name(sel), "Do" | "Cleanup"))
                            && args.len() == 1;
                        if once {
                            return true;
                        }
                    }
                }
            }
            match self.m.func(g).parent {
                Some(p) => g = p,
                None => break,
            }
        }
        let e = acc.expr;
        let parents = self.cx.parents(fi as usize);
        for n in parents.ancestors(Node::Expr(e)) {
            let Node::Stmt(st) = n else {
                continue;
            };
            let list = match &f[st].kind {
                StmtKind::Block { list, .. } => list,
                StmtKind::CaseClause { body, .. } | StmtKind::CommClause { body, .. } => body,
                _ => continue,
            };
            return f[list].last().is_some_and(|&last| {
                let StmtKind::Expr(call) = f[last].kind else {
                    return false;
                };
                let ExprKind::Call { fun, .. } = f[unparen(f, call)].kind else {
                    return false;
                };
                matches!(f[unparen(f, fun)].kind, ExprKind::Ident(id) if f.ident_name(id) == "panic")
            });
        }
        false
    }

    /// Whether `bare` holds none of the locks `guarded` holds, yet its function takes one of
    /// them elsewhere: the function then follows a protocol the model does not see (a state
    /// flag set under the lock that makes the later unguarded access safe).
    /// `roots` are the functions that run `bare` (the goroutine's or the spawner's), whose
    /// own locking counts as well.
    fn lock_protocol(&self, bare: &Hit, guarded: &Hit, roots: &[FuncIx]) -> bool {
        if guarded.locks.is_empty() {
            return false;
        }
        let f = self.m.access(bare.access).func;
        let in_roots = self.held(roots);
        // Usually `f` is one of the roots or a literal they run in place, whose locks are
        // among theirs already.
        let own = (!roots.iter().any(|&r| self.runs_in_place(r, f))).then(|| self.held(&[f]));
        let held = || in_roots.iter().chain(own.iter().flat_map(|o| o.iter()));
        // A lock of `guarded` that `bare` lacks and its functions take: looked for among the
        // fewer of the two, as the locks of both may number thousands (a function taking a
        // lock in each of thousands of branches holds them all after them).
        let count = in_roots.len() + own.as_ref().map_or(0, |o| o.len());
        for (i, (l, _)) in guarded.locks.iter().enumerate() {
            if i == count {
                return held()
                    .any(|&l| guarded.locks.mode(l).is_some() && bare.locks.mode(l).is_none());
            }
            if bare.locks.mode(l).is_none()
                && (in_roots.contains(&l) || own.as_ref().is_some_and(|o| o.contains(&l)))
            {
                return true;
            }
        }
        false
    }

    /// The locks held at some access or call of `funcs` or of the literals they run in
    /// place (and those run in place by these, and so on).
    fn held(&self, funcs: &[FuncIx]) -> Rc<HashSet<PlaceId>> {
        if let Some(h) = self.held.borrow().get(funcs) {
            return h.clone();
        }
        let mut all: HashSet<FuncIx> = funcs.iter().copied().collect();
        let mut stack = funcs.to_vec();
        let (mut nodes, mut locks) = (HashSet::default(), HashSet::default());
        while let Some(f) = stack.pop() {
            let func = self.m.func(f);
            for &x in &func.accesses {
                self.m.access(x).locks.collect_new(&mut nodes, &mut locks);
            }
            for c in &func.calls {
                c.locks.collect_new(&mut nodes, &mut locks);
            }
            stack.extend(func.inline.iter().filter(|&&g| all.insert(g)));
        }
        let locks = Rc::new(locks);
        self.held.borrow_mut().insert(funcs.to_vec(), locks.clone());
        locks
    }

    /// Whether `f` is `r` or a literal that `r` runs in place (directly, or through literals
    /// it runs in place).
    fn runs_in_place(&self, r: FuncIx, f: FuncIx) -> bool {
        let top = self.inline_top.get_or_init(|| {
            let mut top: Vec<FuncIx> = Vec::with_capacity(self.m.funcs.len());
            for (i, func) in self.m.funcs.iter().enumerate() {
                top.push(match (func.how, func.parent) {
                    // A literal comes after the function it is written in.
                    (Invocation::Inline, Some(p)) if p.index() < i => top[p.index()],
                    _ => FuncIx(i as u32),
                });
            }
            top
        });
        // The functions `f` is written in are the ones around it, and those from `f` to its
        // top all run the next in place.
        self.m.encloses(r, f) && self.m.encloses(top[f.index()], r)
    }

    /// When goroutine `s` marks done a wait group it was handed as a parameter (`worker(&wg)`
    /// doing `defer wg.Done()`), the first `Wait` on a wait group of the spawner after the
    /// start: the model matches groups by variable and does not follow the argument.
    fn param_group_wait(&self, s: SpawnIx) -> Option<u32> {
        let spawn = self.m.spawn(s);
        let done_on_param = spawn.targets.iter().any(|&t| {
            self.m.signals(t).iter().any(|&(k, p)| {
                k == SyncKind::WaitGroupDone
                    && matches!(self.m.place(p), Place::Var(d)
                        if self.cx.scopes().def(*d).kind == DefKind::Param)
            })
        });
        if !done_on_param {
            return None;
        }
        let mut funcs = vec![spawn.func];
        let mut first = None;
        let mut i = 0;
        while i < funcs.len() {
            let func = self.m.func(funcs[i]);
            funcs.extend(func.inline.iter().copied());
            for op in &func.syncs {
                if op.kind == SyncKind::WaitGroupWait
                    && !op.deferred
                    && op.span.start > spawn.span.start
                {
                    first = Some(first.map_or(op.span.start, |f: u32| f.min(op.span.start)));
                }
            }
            i += 1;
        }
        first
    }

    /// Whether goroutine `t` waits for goroutine `s`: it receives from a channel `s` sends
    /// on or closes, or waits (not deferred) on a wait group `s` marks done or was started
    /// with (`go func() { wg.Wait(); close(done) }()`, the waiter a `select` can wait for).
    pub(crate) fn waits_for(&self, t: SpawnIx, s: SpawnIx) -> bool {
        if self.ordered_by_channel(s, t) {
            return true;
        }
        let spawn = self.m.spawn(s);
        let mut marks = Vec::new();
        for &f in &spawn.targets {
            marks.extend(
                self.m
                    .signals(f)
                    .into_iter()
                    .filter(|&(k, _)| k == SyncKind::WaitGroupDone)
                    .map(|(_, p)| p),
            );
        }
        if spawn.kind == SpawnKind::WaitGroupGo {
            marks.extend(spawn.group);
        }
        !marks.is_empty()
            && self.m.spawn(t).targets.iter().any(|&f| {
                self.m.with_inline(f).into_iter().any(|g| {
                    self.m.func(g).syncs.iter().any(|op| {
                        op.kind == SyncKind::WaitGroupWait
                            && !op.deferred
                            && marks.contains(&op.place)
                    })
                })
            })
    }

    /// Whether goroutine `b` receives from a channel goroutine `a` sends on or closes: the
    /// two then usually hand over what they share at that point.
    fn ordered_by_channel(&self, a: SpawnIx, b: SpawnIx) -> bool {
        let signals = |s: SpawnIx| {
            let mut out = Vec::new();
            for &t in &self.m.spawn(s).targets {
                out.extend(self.m.signals(t));
            }
            out
        };
        let (sa, sb) = (signals(a), signals(b));
        sb.iter().any(|&(k, p)| {
            k == SyncKind::Recv
                && sa
                    .iter()
                    .any(|&(j, q)| q == p && matches!(j, SyncKind::Send | SyncKind::Close))
        })
    }

    fn spawn_races(
        &self,
        s: SpawnIx,
        wanted: &impl Fn(AccessKind, AccessKind) -> bool,
        spawner_cache: &mut HashMap<FuncIx, Rc<Vec<Hit>>>,
        out: &mut Vec<Race>,
    ) {
        let spawn = self.m.spawn(s);
        if spawn.targets.is_empty() {
            return;
        }
        let mine = self.goroutine_hits(s);
        if mine.is_empty() {
            return;
        }
        // Shared by every goroutine the function starts, not copied for each.
        let spawner = spawner_cache
            .entry(spawn.func)
            .or_insert_with(|| Rc::new(self.spawner_hits(spawn.func)))
            .clone();
        // Waiting for a goroutine that itself waits for this one (receives from a channel
        // it sends on or closes) waits for this one too.
        let mut joins = self.m.joins(s);
        for &t in &self.m.func(spawn.func).spawns {
            if t != s && self.waits_for(t, s) {
                joins.extend(self.m.joins(t).first().copied());
            }
        }
        joins.sort_unstable();
        let mut first_join = joins.first().copied().unwrap_or(u32::MAX);
        if let Some(w) = self.param_group_wait(s) {
            first_join = first_join.min(w);
        }
        // A deferred wait joins at the return: what the spawner runs before then runs
        // alongside the goroutine, but for other deferred calls, which may run after the
        // wait (those registered before it).
        let deferred_join = self.m.deferred_join(s).filter(|&end| end < first_join);
        if let Some(end) = deferred_join {
            first_join = end;
        }
        let looped = self.m.self_concurrent(s) || self.abandoned_in_loop(s, &joins);
        // Whether the goroutine itself waits for something, asked once (`unordered_read`).
        let mut waits = None;
        let push = |a: &Hit, b: &Hit, with: Other, out: &mut Vec<Race>| {
            let (x, y) = (self.m.access(a.access), self.m.access(b.access));
            if a.place != b.place || a.object != b.object || a.instance != b.instance {
                return;
            }
            if !(x.kind.is_write() || y.kind.is_write())
                || (x.kind.is_atomic() && y.kind.is_atomic())
            {
                return;
            }
            if a.locks.excludes(&b.locks) || !wanted(x.kind, y.kind) {
                return;
            }
            if self.doubtful(a.access) || self.doubtful(b.access) {
                return;
            }
            let theirs_roots: Vec<FuncIx> = match with {
                Other::SameGoroutine => spawn.targets.clone(),
                Other::Spawner => vec![spawn.func],
                Other::Goroutine(t) => self.m.spawn(t).targets.clone(),
            };
            if (self.lock_protocol(a, b, &spawn.targets)
                && !checked_then_locked(self.cx, self.m, a.access, b.access))
                || (self.lock_protocol(b, a, &theirs_roots)
                    && !checked_then_locked(self.cx, self.m, b.access, a.access))
            {
                return;
            }
            out.push(Race {
                spawn: s,
                mine: a.clone(),
                other: b.clone(),
                with,
            });
        };
        // Only accesses to the same place through the same object pair up: each side's hits
        // by that key, so that the loops below visit exactly the pairs `push` can keep, in
        // the order a loop over every pair would.
        let key = |h: &Hit| (h.place, h.object, h.instance);
        let mine_by_key = ByKey::new(&mine, key);
        // Pairs examined so far per variable and per what runs alongside (0: the other
        // instances, 1: the spawner, 2: the other goroutines), against
        // `MAX_PAIRS_PER_VARIABLE`.
        let mut spent: HashMap<(racelens_model::PlaceId, DefId, u32), u32> = HashMap::default();
        let mut take = |h: &Hit, with: u32| {
            let n = spent.entry((h.place, h.object, with)).or_insert(0);
            *n += 1;
            *n <= MAX_PAIRS_PER_VARIABLE
        };
        if looped {
            let l = spawn.loop_span.expect("a looped spawn has a loop");
            for (i, a) in mine.iter().enumerate() {
                if self.per_iteration(a.object, l, &spawner) {
                    continue;
                }
                for j in mine_by_key.get(key(a)).filter(|&j| j >= i) {
                    if !take(a, 0) {
                        break;
                    }
                    push(a, &mine[j], Other::SameGoroutine, out);
                }
            }
        }
        // The spawner returns at the first `return` after the start in its statement list:
        // what it writes after that, it does not run after starting the goroutine.
        let exit = self.exit_after(s);
        // A goroutine started once that first waits for a channel the spawner then sends on
        // or closes (a start gate): what comes before the send is not paired with what the
        // goroutine does after its receive.
        let gates = if looped { Vec::new() } else { self.gates(s) };
        let gated = |a: &Hit, b: &Hit| gates.iter().any(|&(sent, got)| b.at < sent && a.at >= got);
        // A first wait in a `select` clause waits in that clause only: the others (a timeout,
        // a cancellation) run alongside the goroutine until they wait for it themselves.
        let rest = if first_join == u32::MAX {
            None
        } else {
            self.select_rest(self.m.func(spawn.func).file, first_join)
        };
        // Checks after the `select` that leave unless the wait's clause ran (`if !ok0 ||
        // !ok1 { return }` after `case ok0 = <-done0:`), found when a clause may go on.
        let guards = match &rest {
            Some(SelectRest { after: Some(_), .. }) => self.received_guards(s, &joins),
            _ => Vec::new(),
        };
        let unwaited = |at: u32| {
            let Some(rest) = &rest else {
                return false;
            };
            if guards.iter().any(|&(end, block)| {
                first_join < end && end <= at && block.start <= at && at < block.end
            }) {
                return false;
            }
            // Waits from the clause's start, or for what follows the `select`, any wait after
            // the first (in a clause that goes on after it, or after the `select`).
            let from = rest
                .clauses
                .iter()
                .find(|c| c.start <= at && at < c.end)
                .map(|c| c.start)
                .or(rest.after.filter(|&end| at >= end).map(|_| first_join + 1));
            // `joins` is sorted: the first wait from `from` on.
            from.is_some_and(|from| {
                let i = joins.partition_point(|&j| j < from);
                joins.get(i).copied().unwrap_or(u32::MAX) >= at
            })
        };
        for b in spawner.iter() {
            // An assignment of what a waiting receive gets (`case err = <-doneCh:`) writes
            // after the receive.
            let at = self.assigned_by_join(b, &joins).unwrap_or(b.at);
            let after = at >= spawn.span.end && at < exit && (at < first_join || unwaited(at));
            if after
                && deferred_join.is_some()
                && crate::model_facts::in_defer(
                    self.cx,
                    self.m.access_file(b.access) as usize,
                    self.m.access(b.access).expr,
                )
            {
                continue;
            }
            let earlier = looped
                && spawn
                    .loop_span
                    .is_some_and(|l| b.at >= l.start && b.at < spawn.span.start);
            if !(after || earlier) {
                continue;
            }
            // A spawner that never waits for the goroutine yet reads what it writes mostly
            // synchronises through something the model does not see (a pipe, a connection,
            // a request and its reply): only its writes are paired, and the reads that
            // nothing but sleeps separates from the start.
            if first_join == u32::MAX
                && !self.m.access(b.access).kind.is_write()
                && (mine_by_key.get(key(b)).next().is_none()
                    || !(self.unordered_read(s, b, looped, &mut waits)
                        || self.spawner_polls(s, b, looped)))
            {
                continue;
            }
            for a in mine_by_key.get(key(b)).map(|i| &mine[i]) {
                if earlier && !after {
                    let l = spawn.loop_span.expect("checked above");
                    if self.per_iteration(a.object, l, &spawner) {
                        continue;
                    }
                }
                if gated(a, b) {
                    continue;
                }
                if !take(b, 1) {
                    break;
                }
                push(a, b, Other::Spawner, out);
            }
        }
        // Goroutines the function starts later, before it waits for this one, or while a
        // `select` clause that gave up waiting for it goes on (a hedged request's second
        // attempt, started after a timeout).
        let siblings = self.m.func(spawn.func).spawns.iter().copied().filter(|&t| {
            let at = self.m.spawn(t).span.start;
            t != s && at > spawn.span.start && (at < first_join || unwaited(at))
        });
        for t in siblings {
            if self.ordered_by_channel(s, t)
                || self.ordered_by_channel(t, s)
                || self.exclusive_starts(s, t)
                || self.renewed_between(s, t)
            {
                continue;
            }
            let theirs = self.goroutine_hits(t);
            let theirs_by_key = ByKey::new(&theirs, key);
            for a in &mine {
                for b in theirs_by_key.get(key(a)).map(|i| &theirs[i]) {
                    if !take(a, 2) {
                        break;
                    }
                    push(a, b, Other::Goroutine(t), out);
                }
            }
        }
    }
}

/// A file's `select` clauses with a communication: (its span, what a wait there does not
/// cover), by start.
type SelectWaits = Vec<(Span, SelectRest)>;

/// What of a `select` a wait in one of its clauses does not cover (see `select_rest`).
#[derive(Clone, Debug)]
struct SelectRest {
    /// The other clauses.
    clauses: Vec<Span>,
    /// The end of the `select`, when one of the other clauses may go on after it.
    after: Option<u32>,
}

/// The indexes of a list of hits, grouped by a key (the place and the object): sorted by
/// key, and in list order within a key.
struct ByKey<K> {
    sorted: Vec<(K, usize)>,
}

impl<K: Ord + Copy> ByKey<K> {
    fn new(hits: &[Hit], key: impl Fn(&Hit) -> K) -> ByKey<K> {
        let mut sorted: Vec<(K, usize)> =
            hits.iter().enumerate().map(|(i, h)| (key(h), i)).collect();
        sorted.sort_unstable();
        ByKey { sorted }
    }

    /// The indexes of the hits with key `k`, in list order.
    fn get(&self, k: K) -> impl Iterator<Item = usize> + '_ {
        let from = self.sorted.partition_point(|(x, _)| *x < k);
        self.sorted[from..]
            .iter()
            .take_while(move |(x, _)| *x == k)
            .map(|&(_, i)| i)
    }
}

/// The source text naming the place access `a` touches: the variable, the field selector,
/// the map or slice indexed, the map handed to `delete`.
pub fn place_text(cx: &PackageCx<'_>, m: &Model, a: AccessIx) -> String {
    let acc = m.access(a);
    let fi = m.access_file(a) as usize;
    if let Some(fr) = m.foreign(a) {
        let base = cx.text(fi, cx.files[fi].ast[fr.base].span);
        return match m.place(acc.place) {
            Place::Field { name, .. } => format!("{base}.{name}"),
            Place::Var(_) => base.to_string(),
        };
    }
    let f = cx.files[fi].ast;
    let found = f
        .exprs_with_ids()
        .find(|(_, e)| e.span == acc.span && !matches!(e.kind, ExprKind::Paren { .. }))
        .map(|(id, _)| id);
    let span = match found.map(|e| &f[e].kind) {
        Some(ExprKind::Index { x, .. }) => f[*x].span,
        Some(ExprKind::Call { args, .. }) if !args.is_empty() => f[f[args][0]].span,
        _ => acc.span,
    };
    cx.text(fi, span).to_string()
}

/// The location of access `a`.
pub fn location(cx: &PackageCx<'_>, m: &Model, a: AccessIx) -> racelens_diagnostics::Location {
    cx.location(m.access_file(a) as usize, m.access(a).span)
}

/// Where in the other package a foreign access is.
fn foreign_location(src: &racelens_model::ForeignSource) -> racelens_diagnostics::Location {
    let at = racelens_diagnostics::Position::new(src.at.line, src.at.column, src.at.offset);
    racelens_diagnostics::Location::new(src.at.path.to_string(), at, at)
}

/// How the messages name the instances of goroutine `s` that run alongside each other:
/// "goroutines started in a loop", or for a hand-rolled group's `Go`, "goroutines that every
/// call of `Go` starts,".
pub fn instances(m: &Model, s: SpawnIx) -> String {
    let spawn = m.spawn(s);
    if let Some(h) = &spawn.helper {
        format!("the goroutines `{}` runs it in,", h.name)
    } else if spawn.per_call {
        let name = m.func(m.outermost(spawn.func)).short_name();
        format!("goroutines that every call of `{name}` starts,")
    } else {
        "goroutines started in a loop".to_string()
    }
}

/// The label of goroutine `s`'s start: "goroutine started here", or for a function handed
/// to a helper that runs it in goroutines, what the helper does with it.
pub fn start_label(m: &Model, s: SpawnIx) -> String {
    let spawn = m.spawn(s);
    match &spawn.helper {
        Some(h) => format!(
            "handed to `{}` here, which runs it in {}",
            h.name,
            if spawn.loop_span == Some(spawn.span) {
                "goroutines"
            } else {
                "a goroutine"
            }
        ),
        None => "goroutine started here".to_string(),
    }
}

/// The label of the other access of a race: whether it writes or reads.
pub fn other_label(m: &Model, race: &Race) -> &'static str {
    if m.access(race.other.access).kind.is_write() {
        "concurrent write here"
    } else {
        "concurrent read here"
    }
}

/// The diagnostic for `race` with `message` and `help`: the goroutine's access first, then
/// the other access (labelled `other_label`), the goroutine start, and a lock only one side
/// holds.
pub fn diagnostic(
    cx: &PackageCx<'_>,
    m: &Model,
    race: &Race,
    check: &crate::Check,
    message: String,
    other_label: &str,
    help: String,
) -> racelens_diagnostics::Diagnostic {
    let spawn = m.spawn(race.spawn);
    let sfi = m.func(spawn.func).file as usize;
    let mut d = racelens_diagnostics::Diagnostic::new(
        check.info.name,
        check.info.category,
        message,
        location(cx, m, race.mine.access),
    );
    if let Some(fr) = m.foreign(race.mine.access) {
        let src = m.foreign_source(fr);
        d = d.with_related(format!("in `{}` here", src.callee), foreign_location(src));
    }
    if race.other.access != race.mine.access {
        d = d.with_related(other_label, location(cx, m, race.other.access));
        if let Some(fr) = m.foreign(race.other.access) {
            let src = m.foreign_source(fr);
            d = d.with_related(format!("in `{}` here", src.callee), foreign_location(src));
        }
    }
    d = d.with_related(start_label(m, race.spawn), cx.location(sfi, spawn.span));
    // An access reached through a call of the side's own function: the call, where the
    // two sides meet (`total(sizes)` before the wait, for the read in `total`).
    let files_of =
        |targets: &[FuncIx]| -> Vec<u32> { targets.iter().map(|&t| m.func(t).file).collect() };
    let sides = [
        (&race.mine, files_of(&spawn.targets)),
        (
            &race.other,
            match race.with {
                Other::Spawner => vec![sfi as u32],
                Other::SameGoroutine => files_of(&spawn.targets),
                Other::Goroutine(t) => files_of(&m.spawn(t).targets),
            },
        ),
    ];
    for (hit, files) in sides {
        if hit.at == m.access(hit.access).span.start || m.foreign(hit.access).is_some() {
            continue;
        }
        let call = m
            .funcs
            .iter()
            .filter(|f| files.contains(&f.file))
            .flat_map(|f| f.calls.iter().map(move |c| (f.file, c)))
            .find(|(_, c)| c.span.start == hit.at);
        if let Some((fi, c)) = call {
            d = d.with_related("through this call", cx.location(fi as usize, c.span));
        }
    }
    for (hit, other) in [(&race.mine, &race.other), (&race.other, &race.mine)] {
        if let Some((lock, _)) = hit
            .locks
            .iter()
            .find(|(l, _)| other.locks.mode(*l).is_none())
        {
            let name = match m.place(lock) {
                Place::Var(v) => cx.scopes().def(*v).name.to_string(),
                Place::Field { name, .. } => name.to_string(),
            };
            d = d.with_related(
                format!("`{name}` is held here but not at the other access"),
                location(cx, m, hit.access),
            );
            break;
        }
    }
    d.with_help(help)
}

/// The races worth a report each: for every goroutine start and place, the first race
/// (preferring one whose other access writes), and no access of a goroutine reported twice.
pub fn one_per_place(races: Vec<Race>, m: &Model) -> Vec<Race> {
    let mut by_key: HashMap<(SpawnIx, racelens_model::PlaceId), usize> = HashMap::default();
    let mut out: Vec<Race> = Vec::new();
    for r in races {
        let key = (r.spawn, m.access(r.mine.access).place);
        match by_key.get(&key) {
            Some(&i) => {
                let better = m.access(r.other.access).kind.is_write()
                    && !m.access(out[i].other.access).kind.is_write();
                if better {
                    out[i] = r;
                }
            }
            None => {
                by_key.insert(key, out.len());
                out.push(r);
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|r| seen.insert(r.mine.access));
    out
}

/// Whether access `bare` is a read in the condition (or the init statement) of an `if`
/// whose body makes write `guarded`, of the same function (`if firstErr == nil {
/// mu.Lock(); firstErr = err; ... }`): the unlocked check decides to take the lock, so no
/// protocol set under the lock orders it, and another instance's write may come between
/// the check and the lock.
pub fn checked_then_locked(
    cx: &PackageCx<'_>,
    m: &Model,
    bare: AccessIx,
    guarded: AccessIx,
) -> bool {
    let (x, y) = (m.access(bare), m.access(guarded));
    if x.kind.is_write() || !y.kind.is_write() || x.func != y.func || y.locks.is_empty() {
        return false;
    }
    let fi = m.func(x.func).file as usize;
    let f = cx.files[fi].ast;
    let parents = cx.parents(fi);
    let inside = |outer: Span, inner: Span| outer.start <= inner.start && inner.end <= outer.end;
    let mut up = parents.ancestors(Node::Expr(x.expr));
    up.find_map(|n| match n {
        Node::Stmt(st) => match f[st].kind {
            StmtKind::If {
                init, cond, body, ..
            } => {
                let checked =
                    inside(f[cond].span, x.span) || init.is_some_and(|i| inside(f[i].span, x.span));
                Some(checked && inside(f[body].span, y.span))
            }
            _ => None,
        },
        // No further than the function the read is in.
        Node::Expr(e) if matches!(f[e].kind, ExprKind::FuncLit { .. }) => Some(false),
        Node::Decl(_) => Some(false),
        _ => None,
    })
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ByKey::get` gives exactly the indexes whose key matches, in list order: the pairs a
    /// loop over every pair would keep, in its order.
    #[test]
    fn instance_paths_tell_fields_apart() {
        let (a, b) = (instance_step(0, "idleQueue"), instance_step(0, "newQueue"));
        assert_ne!(a, b);
        assert_ne!(instance_step(a, "next"), instance_step(b, "next"));
        assert_eq!(instance_step(a, "next"), instance_step(a, "next"));
        // The order of the fields counts: `x.a.b` is not `x.b.a`.
        assert_ne!(
            instance_step(instance_step(0, "a"), "b"),
            instance_step(instance_step(0, "b"), "a")
        );
    }

    #[test]
    fn hits_by_key_come_in_list_order() {
        let hit = |access: u32, object: u32| Hit {
            access: AccessIx(access),
            place: PlaceId(0),
            at: 0,
            locks: LockSet::default(),
            object: DefId(object),
            instance: 0,
        };
        let hits: Vec<Hit> = [(3, 1), (1, 2), (3, 1), (2, 1), (3, 2), (3, 1), (1, 2)]
            .iter()
            .map(|&(a, o)| hit(a, o))
            .collect();
        let key = |h: &Hit| (h.access, h.object);
        let by = ByKey::new(&hits, key);
        for probe in &hits {
            let want: Vec<usize> = (0..hits.len())
                .filter(|&i| key(&hits[i]) == key(probe))
                .collect();
            assert_eq!(by.get(key(probe)).collect::<Vec<_>>(), want);
        }
        assert_eq!(by.get((AccessIx(9), DefId(1))).count(), 0);
        assert_eq!(by.get((AccessIx(0), DefId(0))).count(), 0);
    }
}
