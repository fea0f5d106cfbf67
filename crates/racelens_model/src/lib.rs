//! The concurrency model of one package: per-function summaries (the places each function
//! reads and writes, the locks held at each access, the goroutines it starts, its calls and
//! its synchronisation operations) and the happens-before queries that race checks ask.
//!
//! Places abstract memory the way RacerD does: a variable by its declaration, a field by the
//! named (or struct) type that declares it and its name — every value of the type shares the
//! place. Locks are places too, so `s.mu.Lock()` in one method and `s.mu.Unlock()` in a helper
//! name the same lock. Everything here is built from one package's syntax and types, plus
//! the summaries of other packages of the workspace it calls (`summary.rs`): a call into
//! one adds the callee's accesses to its receiver and arguments as accesses at the call site
//! ("foreign" accesses, which only the race finder looks at), and applies its lock effects
//! and its synchronisation on them.
//! The model is deterministic: functions, accesses and spawns are in file and source order.

mod build;
mod lockset;
mod query;
pub mod summary;
pub mod unsafe_types;

pub use build::{
    build, build_part, build_with, ends_flow, file_starts_goroutines, grow, makes_new_value,
    CALLER_LOCK,
};

/// Whether a file's source may make a channel with room for one token (`make(chan T, 1)`),
/// which the model takes for a lock: some `make(chan` call's last argument is `1` (blanks
/// and a trailing comma aside). The model looks for those channels only in such files.
pub fn may_make_one_slot_channel(source: &[u8]) -> bool {
    let blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    memchr::memmem::find_iter(source, b"make(chan").any(|i| {
        // The call's arguments, to the parenthesis that closes it.
        let open = i + 4;
        let mut depth = 0usize;
        let Some(close) = source[open..].iter().position(|&b| {
            match b {
                b'(' => depth += 1,
                b')' => depth -= 1,
                _ => {}
            }
            depth == 0
        }) else {
            return false;
        };
        let args = &source[open + 1..open + close];
        let end = args.iter().rposition(|b| !blank(b)).map_or(0, |e| e + 1);
        let args = &args[..end];
        let args = args.strip_suffix(b",").unwrap_or(args);
        let end = args.iter().rposition(|b| !blank(b)).map_or(0, |e| e + 1);
        let Some(rest) = args[..end].strip_suffix(b"1") else {
            return false;
        };
        rest.iter().rev().find(|b| !blank(b)) == Some(&b',')
    })
}

/// Whether a function's name says, by Go's convention, that its caller holds a lock:
/// `flushLocked`. A predicate (`IsLocked`, `isLocked`) asks whether something is locked, and
/// `Unlocked` or `Blocked` say nothing of the caller.
pub fn named_locked(name: &str) -> bool {
    let Some(stem) = name.strip_suffix("Locked") else {
        return false;
    };
    !stem.is_empty()
        && !stem.ends_with("Un")
        && !matches!(
            stem,
            "Is" | "is" | "Are" | "are" | "Was" | "was" | "Be" | "be"
        )
}
pub use lockset::{LockMode, LockSet};
pub use query::{Flat, SendWindow};

use racelens_semantic::scope::{FxHasher, FxMap as HashMap};
use racelens_semantic::types::{PkgIdx, TypeId};
use racelens_semantic::{DefId, FuncRef};
use racelens_syntax::ast::{ExprId, Span};
use std::hash::BuildHasherDefault;

/// A hash set with the Fx hash (ids and short names: no need for SipHash).
pub(crate) type HashSet<T> = std::collections::HashSet<T, BuildHasherDefault<FxHasher>>;
pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;

macro_rules! index {
    ($name:ident) => {
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}
index!(FuncIx);
index!(PlaceId);
index!(AccessIx);
index!(SpawnIx);
index!(TransferIx);

/// An abstract memory location.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Place {
    /// A variable: package-level, or a local, parameter, result or receiver of a function.
    Var(DefId),
    /// Field `name` of every value of type `owner` (a named type, or a struct type).
    Field { owner: TypeId, name: Box<str> },
}

/// A place as the interner keys it: field names by number.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum PlaceKey {
    Var(DefId),
    Field(TypeId, u32),
}

/// How an access touches its place.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum AccessKind {
    Read,
    Write,
    /// `x = append(x, ...)`: reads and writes the slice header.
    Append,
    /// `m[k]` read, `v, ok := m[k]`, `range m`.
    MapRead,
    /// `m[k] = v`, `m[k]++`, `delete(m, k)`.
    MapWrite,
    /// `s[i]` read (a slice or array element).
    ElemRead,
    /// `s[i] = v` (a slice or array element).
    ElemWrite,
    /// A `sync/atomic` load (`atomic.LoadInt64(&x)`, `x.Load()` on a typed atomic).
    AtomicRead,
    /// A `sync/atomic` store, add, swap or compare-and-swap.
    AtomicWrite,
    /// A call that modifies, in place, a value of a standard-library type not safe for
    /// concurrent use ([`unsafe_types`]): `buf.WriteString(s)` on a `bytes.Buffer`,
    /// `r.Intn(n)` on a `*rand.Rand`, `fmt.Fprintf(&buf, ...)`. The place is the variable or
    /// field holding the value or the pointer to it; the access is at that expression. The
    /// call reads the place too (a `Read` at the same expression).
    Mutate,
}

impl AccessKind {
    /// Whether the access modifies its place.
    pub fn is_write(self) -> bool {
        matches!(
            self,
            AccessKind::Write
                | AccessKind::Append
                | AccessKind::MapWrite
                | AccessKind::ElemWrite
                | AccessKind::AtomicWrite
                | AccessKind::Mutate
        )
    }

    pub fn is_atomic(self) -> bool {
        matches!(self, AccessKind::AtomicRead | AccessKind::AtomicWrite)
    }
}

/// One access in the body of a function.
#[derive(Clone, Debug)]
pub struct Access {
    pub func: FuncIx,
    /// The accessing expression (`s.n`, `m[k]`, `x`, or the call `delete(m, k)`), in the file
    /// of `func`.
    pub expr: ExprId,
    /// Its span.
    pub span: Span,
    pub place: PlaceId,
    pub kind: AccessKind,
    /// Locks held at the access, as seen from the function's own entry (for a literal run
    /// where it is written: from its enclosing function's entry).
    pub locks: LockSet,
    /// The variable the accessed path starts from (`s` in `s.cfg.n`), if any.
    pub root: Option<DefId>,
}

/// How a function comes to run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Invocation {
    /// A declared function or method: runs when called.
    Decl,
    /// A function literal run by its enclosing function where it is written (called at
    /// once, deferred, assigned and called, or handed to a call such as `once.Do` or
    /// `sort.Slice`).
    Inline,
    /// A function literal started as a goroutine (or a concurrent callback).
    Spawned(SpawnIx),
    /// A function literal sent on a channel (`l.funcs <- func() { ... }`): it runs where a
    /// receiver calls it (an actor's loop running one function at a time), which the model
    /// does not follow, not where it is written.
    Sent,
}

/// A call from one function of the package to others of the package.
#[derive(Clone, Debug)]
pub struct Call {
    /// The call expression.
    pub expr: ExprId,
    /// Its span.
    pub span: Span,
    /// The package's functions it may call (static and method calls, literals called
    /// through a variable, and calls of an interface of the package that one of its types
    /// alone implements); other interface calls are not followed.
    pub callees: Vec<FuncIx>,
    /// Locks held at the call.
    pub locks: LockSet,
}

/// A synchronisation operation.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum SyncKind {
    WaitGroupAdd,
    WaitGroupDone,
    WaitGroupWait,
    /// `Wait` of an errgroup (or of any group whose `Go` started goroutines).
    GroupWait,
    Send,
    Recv,
    Close,
}

#[derive(Clone, Copy, Debug)]
pub struct SyncOp {
    pub span: Span,
    pub kind: SyncKind,
    /// The WaitGroup, group or channel.
    pub place: PlaceId,
    /// Made by a `defer` statement: it runs when the function returns.
    pub deferred: bool,
}

/// What starts a goroutine.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SpawnKind {
    /// A `go` statement.
    Go,
    /// `g.Go(f)` of an errgroup or a similar group.
    GroupGo,
    /// `wg.Go(f)` of a `sync.WaitGroup`.
    WaitGroupGo,
    /// `time.AfterFunc(d, f)`.
    AfterFunc,
    /// A function handed to a helper of the package that runs it in goroutines
    /// (`parallelFor(n, func(i int) { ... })`; see [`Spawn::helper`]).
    Helper,
}

/// A goroutine start.
#[derive(Clone, Debug)]
pub struct Spawn {
    /// The function that starts it.
    pub func: FuncIx,
    /// The `go` statement or the starting call.
    pub span: Span,
    /// The call that starts it (the `go` statement's call, parentheses removed).
    pub call: ExprId,
    pub kind: SpawnKind,
    /// The package's functions the goroutine runs (empty when unknown).
    pub targets: Vec<FuncIx>,
    /// The innermost loop statement of the spawner around the start (the whole statement,
    /// header included, so that the loop's own variables fall inside it); for a goroutine
    /// started outside any loop by a function literal called in a loop of the function
    /// around it (`launch(replicas[i])`), the literal, as if its calls were the iterations.
    pub loop_span: Option<Span>,
    /// Started, outside any loop, by a method named `Go` or `TryGo` that takes one function
    /// (a hand-rolled errgroup): every call starts another instance, so `loop_span` is the
    /// method's body, as if its calls were the iterations of a loop.
    pub per_call: bool,
    /// For `GroupGo`/`WaitGroupGo`: the group.
    pub group: Option<PlaceId>,
    /// Locks held by the spawner at the start.
    pub locks: LockSet,
    /// For a `go f(a, b)` of a declared function: the place of each argument (`&x` counts
    /// as `x`), so that what the goroutine does with its parameters (a channel it receives
    /// from, a wait group it marks done) can be matched with the spawner's variables.
    pub args: Vec<Option<PlaceId>>,
    /// For a goroutine of a function literal: the package's functions its body calls
    /// directly, each with the place of each argument (as for `args`), so that a channel
    /// or wait group the literal passes on (`go func() { s.sendLoop(out) }()`) is matched
    /// with the spawner's variable.
    pub relayed: Vec<(FuncIx, Vec<Option<PlaceId>>)>,
    /// For a [`SpawnKind::Helper`]: the helper, and the argument it runs in goroutines.
    pub helper: Option<HelperCall>,
    /// Where the spawner is known to wait for the goroutine without a synchronisation
    /// operation of its own: the end of the call of a helper that waits for the goroutines
    /// it starts before it returns.
    pub joined_at: Option<u32>,
}

/// A call of a helper that runs a function it is given in goroutines (see
/// [`SpawnKind::Helper`]).
#[derive(Clone, Debug)]
pub struct HelperCall {
    /// The helper's name as messages show it (`parallelFor`).
    pub name: Box<str>,
    /// The position of the function among the call's arguments.
    pub arg: u32,
}

/// Which end of a channel a [`Transfer`] is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum TransferKind {
    /// `ch <- v` (also as a `select` case).
    Send,
    /// A receive that binds a variable: `v := <-ch`, `v, ok := <-ch`, `v = <-ch`,
    /// `for v := range ch`, and the same as a `select` case.
    Recv,
}

/// A value handed over a channel: the variable a sent value is reached from, or the
/// variable a received value is bound to. Issue 5's ownership rule reads them: a value sent
/// belongs to the receiver, so the sender's accesses through the sent variable before the
/// send happen before the receiver's accesses through the received variable, and those
/// after the send (until the sender waits for the receiver) run alongside them.
#[derive(Clone, Debug)]
pub struct Transfer {
    pub func: FuncIx,
    pub kind: TransferKind,
    /// The send statement, or the receive expression (for `range`, the channel operand).
    pub span: Span,
    /// The channel.
    pub chan: PlaceId,
    /// The sent variable (`it` of `ch <- it` or `ch <- &it`), or the receiving variable.
    pub var: DefId,
    /// Whether the receiver gets the sender's memory rather than a copy of it: the value is
    /// a pointer, map, slice or channel (or `&v`). A struct or other plain value is a copy.
    pub shares: bool,
    /// The innermost loop statement of the function around the transfer.
    pub loop_span: Option<Span>,
    /// The variable is declared inside that loop (a loop variable, or declared in its
    /// body): each iteration's variable holds a different value.
    pub per_iteration: bool,
    /// The end of the first statement after the transfer, in a block around it, that never
    /// completes normally (`return`, `continue`, `break`, `goto`, a `panic`, or an `if`
    /// all of whose branches end so): execution does not go on past it in source order.
    /// `u32::MAX` when there is none.
    pub until: u32,
    /// The branches after the transfer's own in source order that exclude it: the `else`
    /// of an `if` whose `then` holds the transfer, the later cases of a `switch` or
    /// `select` one of whose cases holds it.
    pub skips: Vec<Span>,
}

/// One function of the package: a declared function or method, or a function literal.
#[derive(Clone, Debug)]
pub struct Function {
    pub file: u32,
    pub func: FuncRef,
    /// The declaration or literal.
    pub span: Span,
    /// `Name`, `(*T).Name`, or `Name.func1` for literals.
    pub name: String,
    /// For methods: the receiver's named type (pointer removed).
    pub recv: Option<TypeId>,
    /// The name (for methods: the method name) is exported.
    pub exported: bool,
    pub parent: Option<FuncIx>,
    /// The declared function this one is written in (itself for a declared function).
    pub outer: FuncIx,
    /// The last function written inside this one (itself if none): the literals nested in
    /// a literal are the functions after it up to this one (see [`Model::encloses`]).
    pub last_nested: FuncIx,
    pub how: Invocation,
    pub accesses: Vec<AccessIx>,
    pub calls: Vec<Call>,
    pub syncs: Vec<SyncOp>,
    /// Literals in the body run where they are written.
    pub inline: Vec<FuncIx>,
    pub spawns: Vec<SpawnIx>,
    /// Accesses made by calls into other packages of the workspace (see [`Foreign`]).
    pub foreign: Vec<AccessIx>,
    /// Locks every caller in the package holds when calling this function (only for
    /// unexported functions that are never used as values; for functions named
    /// `...Locked`, by Go's convention, a place named [`CALLER_LOCK`]); empty otherwise.
    pub entry: LockSet,
    /// Used other than by a direct call (passed, stored, started as a goroutine).
    pub escapes: bool,
    /// The parameters of a declared function, in order (`None` for `_` and unnamed ones);
    /// empty for literals.
    pub params: Vec<Option<DefId>>,
    /// Values sent or received on channels in the body, in source order.
    pub transfers: Vec<TransferIx>,
}

impl Function {
    /// The declared name alone: `Name` of `(*T).Name`, `func1` of `Name.func1`.
    pub fn short_name(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }

    /// A function with nothing recorded yet (not a method, not exported).
    pub(crate) fn new(
        file: u32,
        func: FuncRef,
        span: Span,
        name: String,
        parent: Option<FuncIx>,
        outer: FuncIx,
        how: Invocation,
    ) -> Function {
        Function {
            file,
            func,
            span,
            name,
            recv: None,
            exported: false,
            parent,
            outer,
            // Set once the walk is done.
            last_nested: outer,
            how,
            accesses: Vec::new(),
            calls: Vec::new(),
            syncs: Vec::new(),
            inline: Vec::new(),
            spawns: Vec::new(),
            foreign: Vec::new(),
            entry: LockSet::default(),
            escapes: false,
            params: Vec::new(),
            transfers: Vec::new(),
        }
    }
}

/// The locks a function leaves acquired (with their mode), and those it releases, for its
/// caller.
pub type LockEffect = (Vec<(PlaceId, LockMode)>, Vec<PlaceId>);

/// The first index of a foreign access: [`Model::access`] finds it in `Model::foreign`.
pub const FOREIGN_BASE: u32 = 1 << 31;

/// An access that a call into another package of the workspace makes, from the callee's
/// summary: its span is the call's; `base` is the receiver or argument it goes through.
#[derive(Clone, Debug)]
pub struct Foreign {
    pub access: Access,
    /// The receiver or argument expression of the call the access goes through (`&`
    /// removed).
    pub base: ExprId,
    /// The summary access it comes from, in [`Model::foreign_sources`]: what reports show of
    /// it is kept once per summary access, not once per call that applies it.
    pub source: u32,
}

/// Where a foreign access is made in the other package.
#[derive(Clone, Debug)]
pub struct ForeignSource {
    /// The function of the other package that makes the access (`(*Counter).Inc`).
    pub callee: std::sync::Arc<str>,
    /// Where in the other package the access is.
    pub at: summary::SumLoc,
}

/// The concurrency model of one package.
pub struct Model {
    pub pkg: PkgIdx,
    pub funcs: Vec<Function>,
    pub places: Vec<Place>,
    place_ids: HashMap<PlaceKey, PlaceId>,
    /// Field names (and paths), numbered.
    names: HashMap<Box<str>, u32>,
    pub accesses: Vec<Access>,
    pub spawns: Vec<Spawn>,
    /// Channel sends and receives of values, in file and source order.
    pub transfers: Vec<Transfer>,
    by_ref: HashMap<(u32, FuncRef), FuncIx>,
    /// Local variables declared from a new value (`x := &T{...}`, `T{}`, `new(T)`).
    pub fresh: HashSet<DefId>,
    /// Local variables declared from what a constructor of the package returns (`a, err :=
    /// newAlert(...)`): like `fresh` for ownership (`is_owned`), but not for the goroutines
    /// started on them, which the constructor's callers start as they publish the value.
    pub constructed: HashSet<DefId>,
    /// The call sites of each function in the package: the caller and the index of the call
    /// in the caller's `calls`.
    pub callers: HashMap<FuncIx, Vec<(FuncIx, u32)>>,
    /// Accesses of calls into other packages, indexed from [`FOREIGN_BASE`]; not part of
    /// `accesses` (nor of `Model::runs`), so only the checks that ask see them.
    pub foreign: Vec<Foreign>,
    /// The summary accesses that `foreign` accesses come from (`Foreign::source`).
    pub foreign_sources: Vec<ForeignSource>,
    /// Locks each declared function leaves acquired, and those it releases, for its caller.
    pub lock_effects: HashMap<FuncIx, LockEffect>,
    /// The caller's types for the type names of summaries, found once.
    owner_names: HashMap<summary::TypeName, Option<TypeId>>,
    /// What applying other packages' summaries has found, kept while the model is built.
    sum_cache: build::SumCache,
    /// Which functions are on a call cycle (`query.rs`), computed on first use.
    cyclic: std::sync::OnceLock<Vec<bool>>,
}

impl Model {
    fn new(pkg: PkgIdx) -> Model {
        Model {
            pkg,
            funcs: Vec::new(),
            places: Vec::new(),
            place_ids: HashMap::default(),
            names: HashMap::default(),
            accesses: Vec::new(),
            spawns: Vec::new(),
            transfers: Vec::new(),
            by_ref: HashMap::default(),
            fresh: HashSet::default(),
            constructed: HashSet::default(),
            callers: HashMap::default(),
            foreign: Vec::new(),
            foreign_sources: Vec::new(),
            lock_effects: HashMap::default(),
            owner_names: HashMap::default(),
            sum_cache: build::SumCache::default(),
            cyclic: std::sync::OnceLock::new(),
        }
    }

    fn intern(&mut self, key: PlaceKey, make: impl FnOnce() -> Place) -> PlaceId {
        *self.place_ids.entry(key).or_insert_with(|| {
            self.places.push(make());
            PlaceId(self.places.len() as u32 - 1)
        })
    }

    pub(crate) fn intern_var(&mut self, d: DefId) -> PlaceId {
        self.intern(PlaceKey::Var(d), || Place::Var(d))
    }

    /// The place of variable `d`, if some access of the package touches it.
    pub fn var_place(&self, d: DefId) -> Option<PlaceId> {
        self.place_ids.get(&PlaceKey::Var(d)).copied()
    }

    /// The place of field (or field path) `name` of type `owner`; looking it up allocates
    /// nothing when it exists.
    pub(crate) fn intern_field(&mut self, owner: TypeId, name: &str) -> PlaceId {
        let sym = match self.names.get(name) {
            Some(&s) => s,
            None => {
                let s = self.names.len() as u32;
                self.names.insert(name.into(), s);
                s
            }
        };
        self.intern(PlaceKey::Field(owner, sym), || Place::Field {
            owner,
            name: name.into(),
        })
    }

    pub fn place(&self, id: PlaceId) -> &Place {
        &self.places[id.index()]
    }

    pub fn func(&self, f: FuncIx) -> &Function {
        &self.funcs[f.index()]
    }

    pub fn access(&self, a: AccessIx) -> &Access {
        match self.foreign(a) {
            Some(f) => &f.access,
            None => &self.accesses[a.index()],
        }
    }

    /// The foreign access `a` is, if it is one.
    pub fn foreign(&self, a: AccessIx) -> Option<&Foreign> {
        a.0.checked_sub(FOREIGN_BASE)
            .map(|i| &self.foreign[i as usize])
    }

    /// Where in the other package foreign access `f` of this model is made.
    pub fn foreign_source(&self, f: &Foreign) -> &ForeignSource {
        &self.foreign_sources[f.source as usize]
    }

    pub fn transfer(&self, t: TransferIx) -> &Transfer {
        &self.transfers[t.index()]
    }

    pub fn spawn(&self, s: SpawnIx) -> &Spawn {
        &self.spawns[s.index()]
    }

    /// The function for a declaration or literal of file `file`.
    pub fn func_of(&self, file: u32, f: FuncRef) -> Option<FuncIx> {
        self.by_ref.get(&(file, f)).copied()
    }

    /// Whether access `a` goes through a local variable that holds a value its function
    /// made (`s := &T{}; s.n = 1`), or that a constructor of the package made for it: the
    /// value is not shared there yet, unless the function starts goroutines (which may be
    /// handed the value). A coarse ownership rule: the value may have been published
    /// earlier in the function, which is then missed.
    pub fn is_owned(&self, a: AccessIx) -> bool {
        let acc = self.access(a);
        let outer = self.outermost(acc.func);
        acc.root
            .is_some_and(|d| self.fresh.contains(&d) || self.constructed.contains(&d))
            && self.funcs[acc.func.index()].how != Invocation::Inline
            && self.funcs[outer.index()].spawns.is_empty()
            && acc.func == outer
    }

    /// The file an access is in.
    pub fn access_file(&self, a: AccessIx) -> u32 {
        self.funcs[self.access(a).func.index()].file
    }

    /// The declared function or method a function belongs to (itself, or the function
    /// around a literal).
    pub fn outermost(&self, f: FuncIx) -> FuncIx {
        self.funcs[f.index()].outer
    }

    /// Whether function `g` is `f` or one of the functions `f` is written in.
    pub fn encloses(&self, g: FuncIx, f: FuncIx) -> bool {
        let outer = &self.funcs[g.index()];
        if outer.parent.is_none() {
            return self.funcs[f.index()].outer == g;
        }
        g <= f && f <= outer.last_nested
    }
}

#[cfg(test)]
mod named_locked_tests {
    use super::named_locked;

    #[test]
    fn the_locked_suffix_is_the_convention_but_not_in_predicates_or_other_words() {
        for yes in ["flushLocked", "removeLocked", "LenLocked"] {
            assert!(named_locked(yes), "{yes}");
        }
        for no in [
            "Locked",
            "IsLocked",
            "isLocked",
            "wasLocked",
            "Unlocked",
            "runUnlocked",
            "Blocked",
            "flush_locked",
            "flushlocked",
            "Lock",
        ] {
            assert!(!named_locked(no), "{no}");
        }
    }
}

#[cfg(test)]
mod one_slot_prefilter_tests {
    use super::may_make_one_slot_channel;

    #[test]
    fn a_make_with_room_for_one_passes_and_other_channels_do_not() {
        for yes in [
            "sem := make(chan struct{}, 1)",
            "q := &Q{slot: make(chan bool,1)}",
            "s := make(chan int,\n\t1,\n)",
            "c := make(chan func(int) error, 1)",
        ] {
            assert!(may_make_one_slot_channel(yes.as_bytes()), "{yes:?}");
        }
        for no in [
            "sem := make(chan struct{}, 10)",
            "c := make(chan int)",
            "c := make(chan int, n)",
            "x := make([]int, 1)",
            "c := make(chan int, 21)",
            "c := make(chan int)\nf(a, 1)",
            "c := make(chan func(int) error, 2)",
        ] {
            assert!(!may_make_one_slot_channel(no.as_bytes()), "{no:?}");
        }
    }
}
