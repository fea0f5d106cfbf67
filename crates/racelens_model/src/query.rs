//! Questions race checks ask of the model: what a function runs (its own accesses, those of
//! literals it runs in place and of the package functions it calls), which of a spawner's
//! accesses may overlap a goroutine it starts, and whether a goroutine also runs alongside
//! other instances of itself.

use crate::{AccessIx, FuncIx, Invocation, LockSet, Model, PlaceId, SpawnIx, SpawnKind, SyncKind};
use racelens_syntax::ast::Span;

/// How deep calls are followed when flattening what a function runs.
const MAX_CALL_DEPTH: u32 = 6;

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
        let mut out = Vec::new();
        self.reach(f, &mut |g, held, via| {
            for &a in &self.funcs[g.index()].accesses {
                let acc = &self.accesses[a.index()];
                out.push(Flat {
                    access: a,
                    at: via.map_or(acc.span.start, |s| s.start),
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

    /// The synchronisation operations running `f` performs, through literals and calls.
    pub fn signals(&self, f: FuncIx) -> Vec<(SyncKind, PlaceId)> {
        let mut out = Vec::new();
        self.reach(f, &mut |g, _, _| {
            out.extend(
                self.funcs[g.index()]
                    .syncs
                    .iter()
                    .map(|s| (s.kind, s.place)),
            );
        });
        out
    }

    /// Visits every function that running `f` runs: `f`, the literals it runs in place, and
    /// the package functions it calls (up to `MAX_CALL_DEPTH`, no recursion), each with the
    /// locks the calls leading to it hold and the outermost such call.
    fn reach(&self, f: FuncIx, visit: &mut dyn FnMut(FuncIx, &LockSet, Option<Span>)) {
        let mut stack = vec![f];
        self.reach_from(f, &LockSet::default(), None, 0, &mut stack, visit);
    }

    fn reach_from(
        &self,
        f: FuncIx,
        held: &LockSet,
        via: Option<Span>,
        depth: u32,
        stack: &mut Vec<FuncIx>,
        visit: &mut dyn FnMut(FuncIx, &LockSet, Option<Span>),
    ) {
        visit(f, held, via);
        let func = &self.funcs[f.index()];
        for &lit in &func.inline {
            self.reach_from(lit, held, via, depth, stack, visit);
        }
        if depth >= MAX_CALL_DEPTH {
            return;
        }
        for c in &func.calls {
            for &callee in &c.callees {
                // A literal called through a variable is already counted in place.
                if stack.contains(&callee) || self.funcs[callee.index()].how == Invocation::Inline {
                    continue;
                }
                stack.push(callee);
                let locks = c.locks.union(held);
                self.reach_from(
                    callee,
                    &locks,
                    via.or(Some(c.span)),
                    depth + 1,
                    stack,
                    visit,
                );
                stack.pop();
            }
        }
    }

    /// The offsets in the spawner at which it waits for goroutine `s` (a `Wait` of the
    /// group it is counted in, a receive from a channel it sends on or closes), after the
    /// start. Deferred waits are left out: they run at return.
    pub fn joins(&self, s: SpawnIx) -> Vec<u32> {
        let spawn = &self.spawns[s.index()];
        let mut signals = Vec::new();
        for &t in &spawn.targets {
            signals.extend(self.signals(t));
        }
        let waits_for = |kind: SyncKind, place: PlaceId| match kind {
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
        };
        let mut out = Vec::new();
        let mut funcs = vec![spawn.func];
        let mut i = 0;
        while i < funcs.len() {
            let func = &self.funcs[funcs[i].index()];
            funcs.extend(func.inline.iter().copied());
            for op in &func.syncs {
                if !op.deferred && op.span.start > spawn.span.start && waits_for(op.kind, op.place)
                {
                    out.push(op.span.start);
                }
            }
            i += 1;
        }
        out.sort_unstable();
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
        let spawn = &self.spawns[s.index()];
        let joins = self.joins(s);
        let first_join = joins.first().copied().unwrap_or(u32::MAX);
        let looped = self.self_concurrent(s);
        let mut all = self.runs(spawn.func);
        all.retain(|a| {
            let after = a.at >= spawn.span.end && a.at < first_join;
            let earlier_iteration = looped
                && spawn
                    .loop_span
                    .is_some_and(|l| a.at >= l.start && a.at < spawn.span.start);
            after || earlier_iteration
        });
        all
    }

    /// Every access goroutine `s` performs.
    pub fn goroutine_runs(&self, s: SpawnIx) -> Vec<Flat> {
        let mut out = Vec::new();
        for &t in &self.spawns[s.index()].targets {
            out.extend(self.runs(t));
        }
        out
    }

    /// Pairs of goroutines started by the same function that may run at the same time: `a`
    /// started before `b` and not waited for before `b` starts.
    pub fn overlapping_spawns(&self, a: SpawnIx) -> Vec<SpawnIx> {
        let sa = &self.spawns[a.index()];
        let first_join = self.joins(a).first().copied().unwrap_or(u32::MAX);
        self.funcs[sa.func.index()]
            .spawns
            .iter()
            .copied()
            .filter(|&b| {
                let sb = &self.spawns[b.index()];
                b != a && sb.span.start > sa.span.start && sb.span.start < first_join
            })
            .collect()
    }
}
