//! Questions race checks ask of the model: what a function runs (its own accesses, those of
//! literals it runs in place and of the package functions it calls), which of a spawner's
//! accesses may overlap a goroutine it starts, and whether a goroutine also runs alongside
//! other instances of itself.

use crate::{
    AccessIx, AccessKind, FuncIx, Invocation, LockSet, Model, Place, PlaceId, SpawnIx, SpawnKind,
    SyncKind, TransferIx, TransferKind,
};
use racelens_syntax::ast::Span;
use std::collections::hash_map::Entry;

type HashMap<K, V> = std::collections::HashMap<K, V, crate::FxBuild>;
type HashSet<K> = std::collections::HashSet<K, crate::FxBuild>;

/// The functions a walk has met: flags for every function of the package when it is small,
/// a set of those met when it is large, where clearing flags for every query would cost the
/// package's size each time, and its size squared for a package of many functions that each
/// start a goroutine.
enum Met {
    Flags(Vec<bool>),
    Set(HashSet<FuncIx>),
}

impl Met {
    /// Packages with at most this many functions get flags.
    const FLAGS_UP_TO: usize = 4096;

    fn new(functions: usize) -> Met {
        if functions <= Met::FLAGS_UP_TO {
            Met::Flags(vec![false; functions])
        } else {
            Met::Set(HashSet::default())
        }
    }

    /// Marks `f`; whether it was not marked before.
    fn insert(&mut self, f: FuncIx) -> bool {
        match self {
            Met::Flags(flags) => !std::mem::replace(&mut flags[f.index()], true),
            Met::Set(set) => set.insert(f),
        }
    }

    fn contains(&self, f: FuncIx) -> bool {
        match self {
            Met::Flags(flags) => flags[f.index()],
            Met::Set(set) => set.contains(&f),
        }
    }
}

/// The state of one `reach_at` walk: the calls on the current path, and the smallest depth
/// at which each (function, outermost call, locks) was walked.
struct Reach<'a> {
    stack: Vec<FuncIx>,
    seen: HashMap<(FuncIx, Option<Span>, LockSet), u32>,
    cyclic: &'a [bool],
    /// Which calls of the starting function (and its in-place literals) to follow.
    keep: &'a dyn Fn(u32) -> bool,
}

/// For each node of a graph, whether it lies on a cycle (a self-loop counts): Tarjan's
/// strongly connected components, with an explicit stack.
fn on_cycles(edges: &[Vec<usize>]) -> Vec<bool> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut out = vec![false; n];
    let mut next = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if let Some(&w) = edges[v].get(*i) {
                *i += 1;
                if w == v {
                    out[v] = true;
                } else if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut members = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    members.push(w);
                    if w == v {
                        break;
                    }
                }
                if members.len() > 1 {
                    for w in members {
                        out[w] = true;
                    }
                }
            }
        }
    }
    out
}

/// How deep calls are followed when flattening what a function runs.
const MAX_CALL_DEPTH: u32 = 6;

/// The stretch of a sender's function after a send during which what it does through the
/// sent variable runs alongside the receiver: offsets from `start` to `end`, except the
/// branches in `skips` that exclude the send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendWindow {
    pub start: u32,
    pub end: u32,
    pub skips: Vec<Span>,
    /// For a send in a loop of a variable declared outside it, when the stretch reaches the
    /// end of the loop: the part of the loop body before the send that the next iteration
    /// runs with the value still held (up to the variable's first assignment there).
    pub carried: Option<Span>,
}

impl SendWindow {
    /// Whether offset `at` (of the sender's file) is in the stretch.
    pub fn contains(&self, at: u32) -> bool {
        let within = at >= self.start && at < self.end
            || self.carried.is_some_and(|c| at >= c.start && at < c.end);
        within && !self.skips.iter().any(|s| at >= s.start && at < s.end)
    }
}

/// An access as run by some function: directly, in a literal it runs in place, or in a
/// function it calls.
#[derive(Clone, Debug)]
pub struct Flat {
    pub access: AccessIx,
    /// Where in the running function the access happens: the access itself, or the call
    /// that leads to it (a byte offset in the running function's file).
    pub at: u32,
    /// Locks held, seen from the running function's entry.
    pub locks: LockSet,
    /// The outermost call that leads to the access, if any.
    pub via: Option<Span>,
}

impl Model {
    /// The locks every caller holds when `f` runs: its own entry set, or for a literal run
    /// in place, its enclosing function's.
    pub fn effective_entry(&self, mut f: FuncIx) -> LockSet {
        loop {
            let func = &self.funcs[f.index()];
            match (func.how, func.parent) {
                (Invocation::Inline, Some(p)) => f = p,
                _ => return func.entry.clone(),
            }
        }
    }

    /// The locks every call site of unexported helper `f` (or of the function running the
    /// literal `f` in place) that `keep` accepts holds, callers' own entry sets included: one
    /// step of the propagation that gives helpers their `entry`. A check may leave out call
    /// sites it trusts less (a test calling a helper without its lock on a value of its own).
    /// Empty for functions called from elsewhere (exported, escaping, `init`) or never
    /// called.
    pub fn callers_entry(&self, mut f: FuncIx, keep: impl Fn(FuncIx) -> bool) -> LockSet {
        while let (Invocation::Inline, Some(p)) =
            (self.funcs[f.index()].how, self.funcs[f.index()].parent)
        {
            f = p;
        }
        let func = &self.funcs[f.index()];
        if func.how != Invocation::Decl
            || func.exported
            || func.escapes
            || func.name.ends_with(".init")
        {
            return LockSet::default();
        }
        let mut entry: Option<LockSet> = None;
        for &(caller, ci) in self.callers.get(&f).into_iter().flatten() {
            if caller == f || !keep(caller) {
                continue;
            }
            let locks = &self.funcs[caller.index()].calls[ci as usize].locks;
            let held = locks.union(&self.effective_entry(caller));
            entry = Some(match entry {
                None => held,
                Some(e) => e.intersect(&held),
            });
        }
        entry.unwrap_or_default()
    }

    /// Every access that running `f` performs (not those of goroutines it starts), with
    /// the locks held seen from `f`'s entry plus what its callers are known to hold.
    pub fn runs(&self, f: FuncIx) -> Vec<Flat> {
        self.runs_at(f, &|_| true)
    }

    /// The part of `runs(f)` whose accesses satisfy `want`, in the same order: a check that
    /// keeps a few of the accesses does not pay for the locks of the others.
    pub fn runs_where(&self, f: FuncIx, want: &dyn Fn(AccessIx) -> bool) -> Vec<Flat> {
        self.runs_at_where(f, &|_| true, want)
    }

    /// The part of `runs(f)` whose position in `f` (`Flat::at`) satisfies `keep`: calls of
    /// `f` at other positions are not followed at all.
    pub fn runs_at(&self, f: FuncIx, keep: &dyn Fn(u32) -> bool) -> Vec<Flat> {
        self.runs_at_where(f, keep, &|_| true)
    }

    fn runs_at_where(
        &self,
        f: FuncIx,
        keep: &dyn Fn(u32) -> bool,
        want: &dyn Fn(AccessIx) -> bool,
    ) -> Vec<Flat> {
        let mut out = Vec::new();
        self.reach_at(f, keep, &mut |g, held, via| {
            for &a in &self.funcs[g.index()].accesses {
                if !want(a) {
                    continue;
                }
                let acc = &self.accesses[a.index()];
                let at = via.map_or(acc.span.start, |s| s.start);
                if via.is_none() && !keep(at) {
                    continue;
                }
                out.push(Flat {
                    access: a,
                    at,
                    locks: acc.locks.union(held),
                    via,
                });
            }
        });
        let entry = self.effective_entry(f);
        if !entry.is_empty() {
            for a in &mut out {
                a.locks = a.locks.union(&entry);
            }
        }
        out
    }

    /// The accesses `runs_at(f, keep)` lists, each once, without the locks and the calls
    /// that lead to them: for checks that only ask which accesses a function runs.
    pub fn accesses_at(&self, f: FuncIx, keep: &dyn Fn(u32) -> bool) -> Vec<AccessIx> {
        let (own, reached) = self.reached_at(f, keep);
        let mut out = Vec::new();
        for g in own {
            out.extend(
                self.funcs[g.index()]
                    .accesses
                    .iter()
                    .copied()
                    .filter(|&a| keep(self.accesses[a.index()].span.start)),
            );
        }
        for g in reached {
            out.extend(self.funcs[g.index()].accesses.iter().copied());
        }
        out
    }

    /// The functions `reach_at(f, all)` visits, each once, in no particular order.
    pub fn reached(&self, f: FuncIx) -> Vec<FuncIx> {
        let (mut own, reached) = self.reached_at(f, &|_| true);
        own.extend(reached);
        own
    }

    /// The functions `reach_at(f, keep)` visits, each once: those it visits only at `f`'s
    /// own positions (`f` and the literals it runs in place, whose accesses and calls
    /// `keep` filters), and the others.
    ///
    /// `reach_at` visits `f` and its in-place literals, then every function within
    /// `MAX_CALL_DEPTH` calls of a kept call along a path that calls no function twice and
    /// does not call `f` (a literal of those included, even one already visited at `f`'s
    /// positions, when its enclosing function is reached). A shortest path calls no
    /// function twice, so a breadth-first walk that enters each function once, at its
    /// smallest depth, finds the same functions.
    fn reached_at(&self, f: FuncIx, keep: &dyn Fn(u32) -> bool) -> (Vec<FuncIx>, Vec<FuncIx>) {
        let n = self.funcs.len();
        let inline_closure = |level: &mut Vec<FuncIx>, seen: &mut Met| {
            let mut i = 0;
            while let Some(&g) = level.get(i) {
                i += 1;
                for &lit in &self.funcs[g.index()].inline {
                    if seen.insert(lit) {
                        level.push(lit);
                    }
                }
            }
        };
        let mut own_seen = Met::new(n);
        own_seen.insert(f);
        let mut own = vec![f];
        inline_closure(&mut own, &mut own_seen);
        let mut full = Met::new(n);
        // `f` is on every path: a call of it is never followed.
        if self.funcs[f.index()].how != Invocation::Inline {
            full.insert(f);
        }
        let callees_of = |funcs: &[FuncIx], full: &mut Met, filter: bool| {
            let mut out = Vec::new();
            for &g in funcs {
                for c in &self.funcs[g.index()].calls {
                    if filter && !keep(c.span.start) {
                        continue;
                    }
                    for &callee in &c.callees {
                        if self.funcs[callee.index()].how != Invocation::Inline
                            && callee != f
                            && full.insert(callee)
                        {
                            out.push(callee);
                        }
                    }
                }
            }
            out
        };
        let mut next = callees_of(&own, &mut full, true);
        let mut reached = Vec::new();
        let mut depth = 1;
        while !next.is_empty() {
            inline_closure(&mut next, &mut full);
            reached.extend(next.iter().copied());
            if depth >= MAX_CALL_DEPTH {
                break;
            }
            next = callees_of(&next, &mut full, false);
            depth += 1;
        }
        // A literal of `f`'s reached again through its enclosing function counts in full.
        let mut in_reached = Met::new(n);
        for &g in &reached {
            in_reached.insert(g);
        }
        own.retain(|&g| !in_reached.contains(g));
        (own, reached)
    }

    /// The synchronisation operations running `f` performs, through literals and calls.
    pub fn signals(&self, f: FuncIx) -> Vec<(SyncKind, PlaceId)> {
        let mut out = Vec::new();
        for g in self.reached(f) {
            out.extend(
                self.funcs[g.index()]
                    .syncs
                    .iter()
                    .map(|s| (s.kind, s.place)),
            );
        }
        out
    }

    /// The first offset in `f` at which running `f` (its literals in place and the package
    /// functions it calls) performs `kind` on `place`, not deferred: for a call, the offset
    /// of the call in `f`.
    pub fn first_sync(&self, f: FuncIx, kind: SyncKind, place: PlaceId) -> Option<u32> {
        let mut first: Option<u32> = None;
        self.reach_at(f, &|_| true, &mut |g, _, via| {
            for op in &self.funcs[g.index()].syncs {
                if op.kind == kind && op.place == place && !op.deferred {
                    let at = via.map_or(op.span.start, |s| s.start);
                    first = Some(first.map_or(at, |x| x.min(at)));
                }
            }
        });
        first
    }

    /// Visits every function that running `f` runs: `f`, the literals it runs in place, and
    /// the package functions it calls (up to `MAX_CALL_DEPTH`, no recursion), each with the
    /// locks the calls leading to it hold and the outermost such call; only the calls of
    /// `f` (and of the literals it runs in place) whose start satisfies `keep` are
    /// followed.
    ///
    /// A function reached again with the same locks and outermost call, no deeper than
    /// before, is not walked again: outside call cycles, what is reached from it depends on
    /// nothing else, so the walk would only repeat visits. (Following every path instead
    /// made a package whose goroutines call many helpers that call the same helpers spend
    /// half of its run here.) Functions in a cycle are always walked, because which of
    /// their callees the no-recursion rule skips depends on the path taken to them. Queries
    /// that need only which functions run use `reached`, a plain breadth-first walk.
    fn reach_at(
        &self,
        f: FuncIx,
        keep: &dyn Fn(u32) -> bool,
        visit: &mut dyn FnMut(FuncIx, &LockSet, Option<Span>),
    ) {
        let mut walk = Reach {
            stack: vec![f],
            seen: HashMap::default(),
            cyclic: self.cyclic(),
            keep,
        };
        self.reach_from(f, &LockSet::default(), None, 0, &mut walk, visit);
    }

    fn reach_from(
        &self,
        f: FuncIx,
        held: &LockSet,
        via: Option<Span>,
        depth: u32,
        walk: &mut Reach<'_>,
        visit: &mut dyn FnMut(FuncIx, &LockSet, Option<Span>),
    ) {
        if !walk.cyclic[f.index()] {
            match walk.seen.entry((f, via, held.clone())) {
                Entry::Occupied(e) if *e.get() <= depth => return,
                Entry::Occupied(mut e) => *e.get_mut() = depth,
                Entry::Vacant(e) => {
                    e.insert(depth);
                }
            }
        }
        visit(f, held, via);
        let func = &self.funcs[f.index()];
        for &lit in &func.inline {
            crate::build::grow(|| self.reach_from(lit, held, via, depth, walk, visit));
        }
        if depth >= MAX_CALL_DEPTH {
            return;
        }
        for c in &func.calls {
            for &callee in &c.callees {
                // A literal called through a variable is already counted in place.
                if walk.stack.contains(&callee)
                    || self.funcs[callee.index()].how == Invocation::Inline
                    || (via.is_none() && !(walk.keep)(c.span.start))
                {
                    continue;
                }
                walk.stack.push(callee);
                let locks = c.locks.union(held);
                self.reach_from(callee, &locks, via.or(Some(c.span)), depth + 1, walk, visit);
                walk.stack.pop();
            }
        }
    }

    /// Whether each function is on a cycle of the edges `reach_at` follows (calls to
    /// functions that are not in-place literals, and in-place literals), computed once.
    fn cyclic(&self) -> &[bool] {
        self.cyclic.get_or_init(|| {
            let edges: Vec<Vec<usize>> = self
                .funcs
                .iter()
                .map(|func| {
                    let calls = func.calls.iter().flat_map(|c| c.callees.iter());
                    calls
                        .filter(|g| self.funcs[g.index()].how != Invocation::Inline)
                        .chain(func.inline.iter())
                        .map(|g| g.index())
                        .collect()
                })
                .collect();
            on_cycles(&edges)
        })
    }

    /// Place `p` as goroutine `s` uses it, seen from its spawner: a parameter of the
    /// declared function it runs (`go worker(jobs, &wg)`), or of one its literal calls
    /// directly (`go func() { worker(jobs, &wg) }()`), stands for the argument's place.
    pub fn in_spawner(&self, s: SpawnIx, p: PlaceId) -> PlaceId {
        let spawn = &self.spawns[s.index()];
        let Place::Var(d) = self.places[p.index()] else {
            return p;
        };
        let targets = spawn.targets.iter().map(|&t| (t, &spawn.args));
        let relayed = spawn.relayed.iter().map(|(t, args)| (*t, args));
        for (t, args) in targets.chain(relayed) {
            let params = &self.funcs[t.index()].params;
            if let Some(i) = params.iter().position(|&q| q == Some(d)) {
                if let Some(Some(arg)) = args.get(i) {
                    return *arg;
                }
            }
        }
        p
    }

    /// The synchronisation operations goroutine `s` performs, on places seen from its
    /// spawner.
    pub fn goroutine_signals(&self, s: SpawnIx) -> Vec<(SyncKind, PlaceId)> {
        let mut out = Vec::new();
        for &t in &self.spawns[s.index()].targets {
            out.extend(
                self.signals(t)
                    .into_iter()
                    .map(|(k, p)| (k, self.in_spawner(s, p))),
            );
        }
        out
    }

    /// `f` and the literals it runs in place, transitively.
    pub fn with_inline(&self, f: FuncIx) -> Vec<FuncIx> {
        let mut funcs = vec![f];
        let mut i = 0;
        while i < funcs.len() {
            funcs.extend(self.funcs[funcs[i].index()].inline.iter().copied());
            i += 1;
        }
        funcs
    }

    /// The receives goroutine `s` makes (in its own functions, the literals they run in
    /// place and the package functions they call) that bind a variable, with the channel
    /// seen from the spawner.
    fn goroutine_receives(&self, s: SpawnIx) -> Vec<(TransferIx, PlaceId)> {
        let mut funcs: Vec<FuncIx> = Vec::new();
        for &t in &self.spawns[s.index()].targets {
            funcs.extend(self.reached(t));
        }
        // In the order of the package's functions, each once.
        funcs.sort_unstable();
        funcs.dedup();
        let mut recvs = Vec::new();
        for g in funcs {
            for &r in &self.funcs[g.index()].transfers {
                let tr = &self.transfers[r.index()];
                if tr.kind == TransferKind::Recv {
                    recvs.push((r, self.in_spawner(s, tr.chan)));
                }
            }
        }
        recvs
    }

    /// The hand-overs from the spawner of goroutine `s` to it: each send of a value the
    /// receiver then shares (a pointer, map, slice or channel) made by the spawner (or a
    /// literal it runs in place), with each receive of the goroutine (through literals and
    /// calls) that binds a variable on the same channel.
    pub fn handoffs(&self, s: SpawnIx) -> Vec<(TransferIx, TransferIx)> {
        let spawn = &self.spawns[s.index()];
        let recvs = self.goroutine_receives(s);
        let mut out = Vec::new();
        if recvs.is_empty() {
            return out;
        }
        for g in self.with_inline(spawn.func) {
            for &x in &self.funcs[g.index()].transfers {
                let tx = &self.transfers[x.index()];
                if tx.kind != TransferKind::Send || !tx.shares {
                    continue;
                }
                for &(r, chan) in &recvs {
                    if chan == tx.chan {
                        out.push((x, r));
                    }
                }
            }
        }
        out
    }

    /// The offsets of the sender's file during which, after send `x`, the sender still
    /// touches through the sent variable what the receiver now owns: from the end of the
    /// send to the first of `joins` after it (where the sender waits for the receiver), the
    /// sender's next assignment of the variable, a statement after which it does not go on
    /// (`return`, `continue`), for a variable declared in the loop around the send, the end
    /// of the iteration, and for a send in a literal run in place (which may be deferred),
    /// the end of the literal. Accesses before the send happen before the receive, and so
    /// before the receiver's.
    pub fn after_send(&self, x: TransferIx, joins: &[u32]) -> SendWindow {
        self.after_send_keeping(x, joins, &|_| false)
    }

    /// [`Model::after_send`], where the sender's assignments of the variable that `keeps`
    /// accepts (a reslice of itself, `v = v[:0]`, which keeps the same backing array) do
    /// not end the stretch.
    pub fn after_send_keeping(
        &self,
        x: TransferIx,
        joins: &[u32],
        keeps: &dyn Fn(AccessIx) -> bool,
    ) -> SendWindow {
        let tx = &self.transfers[x.index()];
        let start = tx.span.end;
        let mut end = joins
            .iter()
            .copied()
            .filter(|&j| j >= start)
            .min()
            .unwrap_or(u32::MAX);
        if tx.per_iteration {
            if let Some(l) = tx.loop_span {
                end = end.min(l.end);
            }
        }
        end = end.min(tx.until);
        // A literal run in place may run later than where it is written (deferred, or
        // handed to a call): only its own body follows the send in source order.
        let func = &self.funcs[tx.func.index()];
        if func.how == Invocation::Inline {
            end = end.min(func.span.end);
        }
        let outer = self.outermost(tx.func);
        // Where the sender assigns the variable anew (not a write `keeps` accepts), before
        // or after the send.
        let mut reassigned: Vec<u32> = Vec::new();
        for g in self.with_inline(outer) {
            // A receive after the send (a reply on a channel of the sent value, a signal
            // from whatever the receiver hands the value to) may well be the receiver's
            // hand-back: the stretch ends there.
            for op in &self.funcs[g.index()].syncs {
                if op.kind == SyncKind::Recv && !op.deferred && op.span.start >= start {
                    end = end.min(op.span.start);
                }
            }
            for &a in &self.funcs[g.index()].accesses {
                let acc = &self.accesses[a.index()];
                if acc.kind == AccessKind::Write
                    && matches!(self.places[acc.place.index()], Place::Var(d) if d == tx.var)
                    && !keeps(a)
                {
                    reassigned.push(acc.span.start);
                }
            }
        }
        if let Some(&first) = reassigned.iter().filter(|&&at| at >= start).min() {
            end = end.min(first);
        }
        // The next iteration of the loop around the send, for a variable that outlives
        // the iteration: what it does before assigning the variable again.
        let mut carried = None;
        if let (false, Some(l)) = (tx.per_iteration, tx.loop_span) {
            if end >= l.end && func.how != Invocation::Inline {
                // A wait for the receiver at the top of the loop (a receive from a channel
                // it sends on: the hand-back) orders what follows it. Other receives there
                // (the loop's own `range` over its input) do not.
                let until = joins
                    .iter()
                    .chain(&reassigned)
                    .copied()
                    .filter(|&at| at >= l.start && at < tx.span.start)
                    .min()
                    .unwrap_or(tx.span.start);
                carried = Some(Span::new(l.start, until));
            }
        }
        SendWindow {
            start,
            end,
            skips: tx.skips.clone(),
            carried,
        }
    }

    /// The offsets in the spawner at which it waits for goroutine `s` (a `Wait` of the
    /// group it is counted in, a receive from a channel it sends on or closes), after the
    /// start. Deferred waits are left out: they run at return.
    pub fn joins(&self, s: SpawnIx) -> Vec<u32> {
        let spawn = &self.spawns[s.index()];
        // The goroutine's signals on its own parameters are not matched with the spawner's
        // arguments here: a receive from a channel a goroutine closes as it starts (a
        // "ready" signal) counts as a join, and matching more of them would hide races
        // the goroutine's later work has with the spawner.
        let mut signals = Vec::new();
        for &t in &spawn.targets {
            signals.extend(self.signals(t));
        }
        let mut out = self.waits_with(s, spawn.func, &signals);
        out.retain(|&j| j > spawn.span.start);
        out
    }

    /// The end of the spawner of goroutine `s`, when it waits for the goroutine in a deferred
    /// call (`defer wg.Wait()` on the group the goroutine marks done): everything the spawner
    /// runs before it returns, its return values included, runs alongside the goroutine.
    pub fn deferred_join(&self, s: SpawnIx) -> Option<u32> {
        let spawn = &self.spawns[s.index()];
        let mut signals = Vec::new();
        for &t in &spawn.targets {
            signals.extend(self.signals(t));
        }
        let waits = self.with_inline(spawn.func).into_iter().any(|g| {
            self.funcs[g.index()].syncs.iter().any(|op| {
                op.deferred
                    && op.kind != SyncKind::Recv
                    && self.waits_on(spawn, &signals, op.kind, op.place)
            })
        });
        waits.then(|| self.funcs[spawn.func.index()].span.end)
    }

    /// Whether an operation of `kind` on `place` waits for goroutine `spawn`, whose functions
    /// make the synchronisation operations `signals`: a `Wait` of the group it is counted in,
    /// a receive from a channel it sends on or closes.
    fn waits_on(
        &self,
        spawn: &crate::Spawn,
        signals: &[(SyncKind, PlaceId)],
        kind: SyncKind,
        place: PlaceId,
    ) -> bool {
        match kind {
            SyncKind::WaitGroupWait => {
                spawn.group == Some(place) && spawn.kind == SpawnKind::WaitGroupGo
                    || signals.contains(&(SyncKind::WaitGroupDone, place))
            }
            SyncKind::GroupWait => spawn.group == Some(place),
            SyncKind::Recv => {
                signals.contains(&(SyncKind::Send, place))
                    || signals.contains(&(SyncKind::Close, place))
            }
            _ => false,
        }
    }

    /// The offsets in function `f` (and the literals it runs in place) at which it waits
    /// for goroutine `s`, wherever they are, with the goroutine's parameters seen as the
    /// spawner's arguments (`go worker(jobs, results)` then `<-results`). Deferred waits are
    /// left out.
    pub fn waits_in(&self, s: SpawnIx, f: FuncIx) -> Vec<u32> {
        self.waits_with(s, f, &self.goroutine_signals(s))
    }

    fn waits_with(&self, s: SpawnIx, f: FuncIx, signals: &[(SyncKind, PlaceId)]) -> Vec<u32> {
        let spawn = &self.spawns[s.index()];
        let waits_for = |kind: SyncKind, place: PlaceId| self.waits_on(spawn, signals, kind, place);
        let mut out = Vec::new();
        for g in self.with_inline(f) {
            for op in &self.funcs[g.index()].syncs {
                if !op.deferred && waits_for(op.kind, op.place) {
                    out.push(op.span.start);
                }
            }
            if g == spawn.func {
                out.extend(spawn.joined_at);
            }
        }
        out.sort_unstable();
        out
    }

    /// The hand-overs to goroutine `s` from elsewhere than its spawner: sends of shared
    /// values by other functions of the package (methods that queue work for a goroutine
    /// started by a constructor, other goroutines), on a channel the goroutine receives
    /// into a variable from. Functions the goroutine itself runs are left out: their sends
    /// come before its next receive.
    pub fn handoffs_elsewhere(&self, s: SpawnIx) -> Vec<(TransferIx, TransferIx)> {
        let spawn = &self.spawns[s.index()];
        let recvs = self.goroutine_receives(s);
        let mut out = Vec::new();
        if recvs.is_empty() {
            return out;
        }
        let mut own: Vec<FuncIx> = self.with_inline(spawn.func);
        for &t in &spawn.targets {
            own.extend(self.reached(t));
        }
        for (x, tx) in self.transfers.iter().enumerate() {
            if tx.kind != TransferKind::Send || !tx.shares || own.contains(&tx.func) {
                continue;
            }
            for &(r, chan) in &recvs {
                if chan == tx.chan {
                    out.push((TransferIx(x as u32), r));
                }
            }
        }
        out
    }

    /// Whether goroutine `s` may run alongside other instances of itself: it is started in
    /// a loop and not waited for within the same iteration.
    pub fn self_concurrent(&self, s: SpawnIx) -> bool {
        let spawn = &self.spawns[s.index()];
        let Some(l) = spawn.loop_span else {
            return false;
        };
        !self
            .joins(s)
            .iter()
            .any(|&j| j > spawn.span.start && j < l.end)
    }

    /// The accesses of the spawner that may run while goroutine `s` runs: those after the
    /// start and before the first wait for it, and, for a goroutine started in a loop and not
    /// waited for in the iteration, those of the loop before the start (later iterations).
    pub fn overlapping_in_spawner(&self, s: SpawnIx) -> Vec<Flat> {
        let window = self.overlap_window(s);
        self.runs_at(self.spawns[s.index()].func, &window)
    }

    /// The accesses of `overlapping_in_spawner(s)`, each once.
    pub fn overlapping_accesses_in_spawner(&self, s: SpawnIx) -> Vec<AccessIx> {
        let window = self.overlap_window(s);
        self.accesses_at(self.spawns[s.index()].func, &window)
    }

    /// The positions of goroutine `s`'s spawner that may run while it runs.
    fn overlap_window(&self, s: SpawnIx) -> impl Fn(u32) -> bool + '_ {
        let spawn = &self.spawns[s.index()];
        let joins = self.joins(s);
        let first_join = joins.first().copied().unwrap_or(u32::MAX);
        let looped = self.self_concurrent(s);
        move |at| {
            let after = at >= spawn.span.end && at < first_join;
            let earlier_iteration = looped
                && spawn
                    .loop_span
                    .is_some_and(|l| at >= l.start && at < spawn.span.start);
            after || earlier_iteration
        }
    }

    /// Every access goroutine `s` performs.
    pub fn goroutine_runs(&self, s: SpawnIx) -> Vec<Flat> {
        let mut out = Vec::new();
        for &t in &self.spawns[s.index()].targets {
            out.extend(self.runs(t));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{on_cycles, Met};
    use crate::FuncIx;

    /// Flags and a set mark the same functions: the walk does not depend on which one a
    /// package's size chose.
    #[test]
    fn flags_and_sets_mark_alike() {
        assert!(matches!(Met::new(Met::FLAGS_UP_TO), Met::Flags(_)));
        assert!(matches!(Met::new(Met::FLAGS_UP_TO + 1), Met::Set(_)));
        let n = 50;
        let (mut flags, mut set) = (Met::Flags(vec![false; n]), Met::Set(Default::default()));
        let mut fresh = 0;
        for i in 0..400u32 {
            let f = FuncIx(i * 7919 % n as u32);
            let g = FuncIx(i * 104_729 % n as u32);
            assert_eq!(flags.contains(g), set.contains(g));
            let first = flags.insert(f);
            assert_eq!(first, set.insert(f));
            fresh += usize::from(first);
        }
        assert_eq!(fresh, n);
    }

    #[test]
    fn nodes_on_cycles_and_self_loops_are_found() {
        // 0 -> 1 -> 2 -> 1 (a cycle), 2 -> 3, 3 -> 3 (a self-loop), 4 -> 0.
        let edges = vec![vec![1], vec![2], vec![1, 3], vec![3], vec![0]];
        assert_eq!(on_cycles(&edges), [false, true, true, true, false]);
        assert_eq!(on_cycles(&[vec![], vec![0]]), [false, false]);
    }
}
