//! Races on values handed over a channel (issue 5's ownership rule: a value sent on a
//! channel belongs to the receiver). For every goroutine that receives into a variable on a
//! channel its spawner sends a shared value on (a pointer, map, slice), the spawner's
//! accesses through the sent variable after the send, until it waits for the goroutine or
//! the variable moves on, are paired with the goroutine's accesses through the received
//! variable: same place (the same field, or the map or slice itself), one of them writing,
//! no common lock. What the sender does before the send happens before the receive, and is
//! never paired.

use super::{Finder, Hit};
use crate::PackageCx;
use racelens_model::{AccessIx, AccessKind, FuncIx, Invocation, Model, Place, SpawnIx, TransferIx};
use racelens_semantic::scope::FxMap as HashMap;
use racelens_semantic::DefKind;
use racelens_syntax::ast::{ExprKind, Span};

/// A sender's access to a value it has already handed over, and the receiver's access it
/// conflicts with.
#[derive(Clone, Debug)]
pub struct Handoff {
    /// The receiving goroutine.
    pub spawn: SpawnIx,
    /// The send.
    pub send: TransferIx,
    /// The sender's access after the send (the one reported).
    pub sender: Hit,
    /// The receiver's access, or its call handing the value to code the model does not
    /// follow.
    pub receiver: Received,
}

/// What the receiver does with the value that conflicts with the sender's access.
#[derive(Clone, Debug)]
pub enum Received {
    /// An access through the received variable.
    Access(Hit),
    /// A call that hands the received variable to a function value (`sink(batch)`) or to a
    /// function of another package (`strings.Join(batch, ",")`), whose body the model does
    /// not follow: taken to read the value.
    Handed(HandedTo),
}

/// A receiver's call handing the received variable to a function value or to a function
/// of another package.
#[derive(Clone, Debug)]
pub struct HandedTo {
    /// The file of the call.
    pub file: usize,
    /// The call.
    pub span: Span,
    /// The callee, as written.
    pub callee: String,
}

/// One hand-over's sender accesses after the send, each with the receiver's accesses it
/// conflicts with whatever the access kinds: found once per package for the three checks
/// that report hand-overs, then filtered by each.
pub struct Candidate {
    spawn: SpawnIx,
    send: TransferIx,
    pairs: Vec<(Hit, Vec<Hit>)>,
    /// Where the receiver hands the value to a function value or another package's
    /// function after the receive, when the sender writes through it after the send.
    handed: Option<HandedTo>,
    /// The sender reslices the sent slice onto its own backing array after the send
    /// (`batch = batch[:0]`): its appends then write elements the receiver holds.
    resliced: bool,
}

/// The kinds a receiver's unknown use of the value is taken to have: a read, of whatever
/// the sender writes (a field, an element, a map entry).
const HANDED_READS: [AccessKind; 3] = [AccessKind::Read, AccessKind::ElemRead, AccessKind::MapRead];

/// Every hand-over race of the package for which `wanted` holds (given the sender's access
/// kind and the receiver's), one per sender access (preferring a writing receiver), in
/// spawn order.
fn handoff_races(
    cx: &PackageCx<'_>,
    wanted: impl Fn(AccessKind, AccessKind) -> bool,
) -> Vec<Handoff> {
    let Some(m) = cx.model() else {
        return Vec::new();
    };
    let mut out: Vec<Handoff> = Vec::new();
    for c in cx.handoff_candidates.get_or_init(|| candidates(cx, m)) {
        for (a, theirs) in &c.pairs {
            if out.iter().any(|o| o.sender.access == a.access) {
                continue;
            }
            let mine = m.access(a.access).kind;
            let mut best: Option<&Hit> = None;
            for b in theirs {
                if !wanted(mine, m.access(b.access).kind) {
                    continue;
                }
                let better = best.is_none_or(|x| {
                    m.access(b.access).kind.is_write() && !m.access(x.access).kind.is_write()
                });
                if better {
                    best = Some(b);
                }
            }
            if let Some(b) = best {
                out.push(Handoff {
                    spawn: c.spawn,
                    send: c.send,
                    sender: a.clone(),
                    receiver: Received::Access(b.clone()),
                });
            } else if let Some(h) = &c.handed {
                // A write the receiver's own accesses do not conflict with, while it hands
                // the value to a function nobody can see: held by no lock, as the read
                // that function makes is. Of the sent variable itself, only writes of
                // what it points to count (not its reassignment, nor an append past the
                // length the receiver was given).
                let of_value = match m.place(m.access(a.access).place) {
                    Place::Var(_) => through(mine) || (mine == AccessKind::Append && c.resliced),
                    Place::Field { .. } => true,
                };
                if mine.is_write()
                    && of_value
                    && a.locks.is_empty()
                    && HANDED_READS.iter().any(|&k| wanted(mine, k))
                {
                    out.push(Handoff {
                        spawn: c.spawn,
                        send: c.send,
                        sender: a.clone(),
                        receiver: Received::Handed(h.clone()),
                    });
                }
            }
        }
    }
    out
}

/// The (send, receive) pairs of one goroutine beyond which its hand-overs are not analysed:
/// each pair scans the sender's accesses, so generated code with thousands of sends on one
/// channel would take cubic time.
pub const MAX_HANDOFFS_PER_SPAWN: usize = 128;

/// The hand-over candidates of the package, in spawn order.
fn candidates(cx: &PackageCx<'_>, m: &Model) -> Vec<Candidate> {
    if m.transfers.is_empty() {
        return Vec::new();
    }
    let fd = Finder::new(cx, m);
    let mut out: Vec<Candidate> = Vec::new();
    let mut hits_cache: HashMap<FuncIx, Vec<Hit>> = HashMap::default();
    for s in 0..m.spawns.len() {
        let s = SpawnIx(s as u32);
        let spawn = m.spawn(s);
        if m.func(spawn.func).spawns.len() > super::MAX_SPAWNS_PER_FUNCTION {
            continue;
        }
        // Sends by the spawner: waits for the goroutine end the stretch after the send, and
        // only what follows the start overlaps the goroutine.
        let pairs = m.handoffs(s);
        if !pairs.is_empty() && pairs.len() <= MAX_HANDOFFS_PER_SPAWN {
            let joins = fd.all_joins(s);
            for (send, recv) in pairs {
                let h = Handover {
                    s,
                    send,
                    recv,
                    runner: spawn.func,
                    joins: &joins,
                    not_before: spawn.span.end,
                };
                out.extend(fd.handover_candidates(&h, &mut hits_cache));
            }
        }
        // Sends by other functions (a method queueing work for a goroutine a constructor
        // started) or other goroutines: only their own waits for the goroutine order them.
        let elsewhere = m.handoffs_elsewhere(s);
        if elsewhere.len() > MAX_HANDOFFS_PER_SPAWN {
            continue;
        }
        for (send, recv) in elsewhere {
            let runner = runner_of(m, m.transfer(send).func);
            let joins = m.waits_in(s, runner);
            let h = Handover {
                s,
                send,
                recv,
                runner,
                joins: &joins,
                not_before: 0,
            };
            out.extend(fd.handover_candidates(&h, &mut hits_cache));
        }
    }
    out
}

/// The function that runs `f`'s body: `f`, or for a literal run in place, the function
/// around it.
fn runner_of(m: &Model, mut f: FuncIx) -> FuncIx {
    while m.func(f).how == Invocation::Inline {
        match m.func(f).parent {
            Some(p) => f = p,
            None => break,
        }
    }
    f
}

/// One hand-over to pair: send `send`, run by `runner`, received by `recv` in goroutine `s`;
/// `joins` are where `runner` waits for the goroutine; accesses before `not_before` do not
/// overlap the goroutine.
struct Handover<'j> {
    s: SpawnIx,
    send: TransferIx,
    recv: TransferIx,
    runner: FuncIx,
    joins: &'j [u32],
    not_before: u32,
}

impl<'c, 'a> Finder<'c, 'a> {
    /// The candidate races of hand-over `h`: the sender's accesses through the sent
    /// variable after the send, each with the receiver's accesses it conflicts with.
    fn handover_candidates(
        &self,
        h: &Handover<'_>,
        hits_cache: &mut HashMap<FuncIx, Vec<Hit>>,
    ) -> Option<Candidate> {
        let m = self.m;
        let sent = m.transfer(h.send).var;
        let keeps = |a: AccessIx| self.self_reslice(a, sent);
        let mut window = m.after_send_keeping(h.send, h.joins, &keeps);
        window.start = window.start.max(h.not_before);
        let sender = hits_cache
            .entry(h.runner)
            .or_insert_with(|| self.spawner_hits(h.runner));
        let resliced = sender
            .iter()
            .any(|x| x.object == sent && window.contains(x.at) && keeps(x.access));
        let mine: Vec<Hit> = sender
            .iter()
            .filter(|x| x.object == sent && window.contains(x.at) && !keeps(x.access))
            // With no wait for the receiver at all, the sender mostly synchronises through
            // something unseen when it reads (as for captured variables).
            .filter(|x| !h.joins.is_empty() || m.access(x.access).kind.is_write())
            .cloned()
            .collect();
        if mine.is_empty() {
            return None;
        }
        // What the goroutine does through the variable the receive binds, after the
        // receive: the accesses of the function that makes the receive (or runs the
        // literal that does), through its literals and the functions it calls.
        let tr = m.transfer(h.recv);
        let theirs: Vec<Hit> = hits_cache
            .entry(runner_of(m, tr.func))
            .or_insert_with(|| self.spawner_hits(runner_of(m, tr.func)))
            .iter()
            .filter(|x| x.object == tr.var && x.at >= tr.span.start)
            .cloned()
            .collect();
        let handed = mine
            .iter()
            .any(|a| m.access(a.access).kind.is_write() && !self.doubtful(a.access))
            .then(|| self.handed_on(h.recv))
            .flatten();
        let pairs = mine
            .into_iter()
            .filter(|a| handed.is_none() || !self.doubtful(a.access))
            .map(|a| {
                let conflicting = theirs
                    .iter()
                    .filter(|b| self.conflict(&a, b, h.s, h.runner, resliced))
                    .cloned()
                    .collect();
                (a, conflicting)
            })
            .collect();
        Some(Candidate {
            spawn: h.s,
            send: h.send,
            pairs,
            handed,
            resliced,
        })
    }

    /// Whether access `a` assigns variable `var` a reslice of itself (`batch = batch[:0]`,
    /// `b = b[n:]`): the variable keeps the backing array it was sent with.
    fn self_reslice(&self, a: AccessIx, var: racelens_semantic::DefId) -> bool {
        let m = self.m;
        let acc = m.access(a);
        if acc.kind != AccessKind::Write
            || !matches!(m.place(acc.place), Place::Var(d) if *d == var)
        {
            return false;
        }
        let file = m.access_file(a) as usize;
        let f = self.cx.files[file].ast;
        let Some((_, _, r, 1)) = crate::model_facts::assignment_of(self.cx, file, acc.expr) else {
            return false;
        };
        let is_var = |e| match f[crate::syntactic::unparen(f, e)].kind {
            ExprKind::Ident(id) => self.cx.scopes().binding(file, id) == Some(var),
            _ => false,
        };
        is_var(acc.expr)
            && matches!(f[crate::syntactic::unparen(f, r)].kind, ExprKind::Slice { x, .. } if is_var(x))
    }

    /// The first call, after receive `recv` and in the function that makes it, that hands
    /// the received variable itself to a function value (a parameter or local variable of
    /// function type: `sink(batch)`) or to a function of another package
    /// (`strings.Join(batch, ",")`), whose body the model does not follow.
    fn handed_on(&self, recv: TransferIx) -> Option<HandedTo> {
        let m = self.m;
        let tr = m.transfer(recv);
        let func = m.func(tr.func);
        let file = func.file as usize;
        let fcx = &self.cx.files[file];
        if !fcx.clean {
            return None;
        }
        let f = fcx.ast;
        let scopes = self.cx.scopes();
        let bound_to =
            |e, want: &dyn Fn(DefKind) -> bool| match f[crate::syntactic::unparen(f, e)].kind {
                ExprKind::Ident(id) => scopes
                    .binding(file, id)
                    .map(|d| (d, want(scopes.def(d).kind.clone()))),
                _ => None,
            };
        let mut first: Option<HandedTo> = None;
        for (_, e) in f.exprs_with_ids() {
            let ExprKind::Call { fun, args, .. } = e.kind else {
                continue;
            };
            if e.span.start < tr.span.end
                || e.span.end > func.span.end
                || first.as_ref().is_some_and(|h| h.span.start <= e.span.start)
            {
                continue;
            }
            let value =
                |k: DefKind| matches!(k, DefKind::Param | DefKind::LocalVar | DefKind::Result);
            // Or a function of another package (`strings.Join(batch, "\n")`; not a method
            // call), whose body the model does not follow either.
            let foreign = || match f[crate::syntactic::unparen(f, fun)].kind {
                ExprKind::Selector { x, .. } => {
                    bound_to(x, &|k| matches!(k, DefKind::Import(_))).is_some_and(|(_, v)| v)
                }
                _ => false,
            };
            if !(bound_to(fun, &value).is_some_and(|(_, v)| v) || foreign())
                || !f[args]
                    .iter()
                    .any(|&x| bound_to(x, &|_| true).is_some_and(|(d, _)| d == tr.var))
            {
                continue;
            }
            first = Some(HandedTo {
                file,
                span: e.span,
                callee: self.cx.text(file, f[fun].span).to_string(),
            });
        }
        first
    }

    /// Every offset at which the spawner of `s` waits for it after the start: its waits
    /// (with the goroutine's parameters matched with the arguments), a wait on a wait group
    /// the goroutine was handed, and the joins of goroutines that wait for it.
    fn all_joins(&self, s: SpawnIx) -> Vec<u32> {
        let spawn = self.m.spawn(s);
        let mut joins = self.m.waits_in(s, spawn.func);
        joins.retain(|&j| j > spawn.span.start);
        joins.extend(self.param_group_wait(s));
        for &t in &self.m.func(self.m.spawn(s).func).spawns {
            if t != s && self.waits_for(t, s) {
                joins.extend(self.m.joins(t).first().copied());
            }
        }
        joins.sort_unstable();
        joins
    }

    /// Whether sender access `a` and receiver access `b` touch the same part of the value,
    /// conflict, hold no common lock and are not left alone for another reason.
    fn conflict(&self, a: &Hit, b: &Hit, s: SpawnIx, runner: FuncIx, resliced: bool) -> bool {
        let m: &Model = self.m;
        let (x, y) = (m.access(a.access), m.access(b.access));
        let same = match (m.place(x.place), m.place(y.place)) {
            // The sent map or slice itself, through the two variables; the sender's
            // appends after reslicing it onto the same array write its elements.
            (Place::Var(_), Place::Var(_)) => {
                (through(x.kind) || (x.kind == AccessKind::Append && resliced)) && through(y.kind)
            }
            (Place::Field { .. }, Place::Field { .. }) => x.place == y.place,
            _ => false,
        };
        if !same
            || !(x.kind.is_write() || y.kind.is_write())
            || (x.kind.is_atomic() && y.kind.is_atomic())
            || a.locks.excludes(&b.locks)
            || self.doubtful(a.access)
            || self.doubtful(b.access)
        {
            return false;
        }
        let spawn = self.m.spawn(s);
        !(self.lock_protocol(a, b, &[runner]) || self.lock_protocol(b, a, &spawn.targets))
    }
}

/// Whether an access of the sent map or slice variable itself reaches what it refers to
/// (an entry or an element), rather than the variable.
fn through(k: AccessKind) -> bool {
    matches!(
        k,
        AccessKind::MapRead | AccessKind::MapWrite | AccessKind::ElemRead | AccessKind::ElemWrite
    )
}

/// The names a hand-over report uses: the sent variable and the channel, as written at the
/// send.
fn sent_names(cx: &PackageCx<'_>, m: &Model, h: &Handoff) -> (String, String) {
    let tr = m.transfer(h.send);
    let var = cx.scopes().def(tr.var).name.to_string();
    let fi = m.func(tr.func).file as usize;
    let text = cx.text(fi, tr.span);
    let chan = text.rsplit_once("<-").map_or(text, |(c, _)| c).trim();
    (var, chan.to_string())
}

/// Reports, as `check`, every hand-over race whose access kinds `wanted` accepts, with the
/// message `message` gives for the sender's access kind, the place as written, the sent
/// variable and the channel: the sender's access, the send, the receiver's access and the
/// receiving goroutine's start.
pub fn report_handoffs(
    cx: &PackageCx<'_>,
    check: &crate::Check,
    wanted: impl Fn(AccessKind, AccessKind) -> bool,
    message: impl Fn(AccessKind, &str, &str, &str) -> String,
    out: &mut Vec<racelens_diagnostics::Diagnostic>,
) {
    let Some(m) = cx.model() else {
        return;
    };
    for h in handoff_races(cx, wanted) {
        let name = super::place_text(cx, m, h.sender.access);
        let (var, chan) = sent_names(cx, m, &h);
        let tr = m.transfer(h.send);
        let spawn = m.spawn(h.spawn);
        let (receiver_label, receiver_at) = match &h.receiver {
            Received::Access(b) => {
                let kind = m.access(b.access).kind;
                let label = if kind == AccessKind::Append {
                    "appended to by the receiving goroutine here"
                } else if kind.is_write() {
                    "written by the receiving goroutine here"
                } else {
                    "read by the receiving goroutine here"
                };
                (label.to_string(), super::location(cx, m, b.access))
            }
            Received::Handed(to) => (
                format!("handed to `{}` by the receiving goroutine here", to.callee),
                cx.location(to.file, to.span),
            ),
        };
        let text = message(m.access(h.sender.access).kind, &name, &var, &chan);
        out.push(
            racelens_diagnostics::Diagnostic::new(
                check.info.name,
                check.info.category,
                text,
                super::location(cx, m, h.sender.access),
            )
            .with_related(
                format!("`{var}` sent on `{chan}` here"),
                cx.location(m.func(tr.func).file as usize, tr.span),
            )
            .with_related(receiver_label, receiver_at)
            .with_related(
                "goroutine started here",
                cx.location(m.func(spawn.func).file as usize, spawn.span),
            )
            .with_help(format!(
                "the receiver owns `{var}` once it is sent: finish with it before the send, send a copy, or wait for the receiver to hand it back"
            )),
        );
    }
}
