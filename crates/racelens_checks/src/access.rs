//! Facts about one function body found by a linear scan, shared by the checks that look at
//! single functions: its own nodes (nested function literals excluded), the places it writes,
//! the lock sections it opens and closes in source order, and whether a statement runs only
//! under a condition on some variables.
//!
//! Everything here is positional: a lock is taken to be held from a `Lock` call to the next
//! `Unlock` call in source order, whatever the branches in between. Checks use these answers
//! to stay silent, or to require a pattern that the positional reading cannot invent.

use crate::syntactic::{is_builtin, method_call, unparen};
use crate::PackageCx;
use racelens_semantic::DefId;
use racelens_syntax::ast::{DeclKind, ExprId, ExprKind, StmtId, StmtKind};
use racelens_syntax::token::TokenKind;
use racelens_syntax::walk::{preorder, roots, Node};
use racelens_syntax::File;

/// Every function of `f` that has a body: declarations and function literals, with the
/// body block.
pub fn function_bodies(f: &File) -> Vec<(Node, StmtId)> {
    let mut out = Vec::new();
    preorder(f, &roots(f), |n| {
        match n {
            Node::Decl(d) => {
                if let DeclKind::Func { body: Some(b), .. } = f[d].kind {
                    out.push((n, b));
                }
            }
            Node::Expr(e) => {
                if let ExprKind::FuncLit { body, .. } = f[e].kind {
                    out.push((n, body));
                }
            }
            _ => {}
        }
        true
    });
    out
}

/// Pre-order walk of `body` that does not enter function literals nested in it (they are
/// functions of their own, run at another time).
pub fn walk_own(f: &File, body: StmtId, mut visit: impl FnMut(Node) -> bool) {
    preorder(f, &[Node::Stmt(body)], |n| match n {
        Node::Expr(e) if matches!(f[e].kind, ExprKind::FuncLit { .. }) => false,
        _ => visit(n),
    })
}

/// The variable or value an access path starts from: `x` in `x.f[i].g`, `*x`, `(x)`.
pub fn path_root(f: &File, mut e: ExprId) -> ExprId {
    loop {
        e = unparen(f, e);
        match f[e].kind {
            ExprKind::Selector { x, .. }
            | ExprKind::Index { x, .. }
            | ExprKind::Star { x }
            | ExprKind::TypeAssert { x, .. } => e = x,
            _ => return e,
        }
    }
}

/// How a place is written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WriteKind {
    /// `x = v`, `x op= v`, or `x` reused on the left of `:=`.
    Assign,
    /// `x++`, `x--`.
    IncDec,
    /// `delete(m, k)`: `target` is the map.
    Delete,
}

/// One write: the place written (`target`), the statement or call doing it (`site`), and how.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Write {
    pub target: ExprId,
    pub site: Node,
    pub kind: WriteKind,
}

/// The writes of `body` itself, in source order (nested function literals excluded).
pub fn writes(cx: &PackageCx<'_>, file: usize, body: StmtId) -> Vec<Write> {
    let f = cx.files[file].ast;
    let mut out = Vec::new();
    walk_own(f, body, |n| {
        match n {
            Node::Stmt(s) => match &f[s].kind {
                StmtKind::Assign { lhs, tok, .. } => {
                    for &l in lhs.iter() {
                        // A `:=` declares its new names, which is no write to anything that
                        // existed; a name it reuses from the same scope is assigned.
                        if *tok == TokenKind::Define {
                            let ExprKind::Ident(id) = f[l].kind else {
                                continue;
                            };
                            let reused = cx
                                .scopes
                                .binding(file, id)
                                .is_some_and(|d| cx.scopes.def(d).ident != Some(id));
                            if !reused {
                                continue;
                            }
                        }
                        if matches!(&f[unparen(f, l)].kind, ExprKind::Ident(id) if f.ident_name(*id) == "_")
                        {
                            continue;
                        }
                        out.push(Write {
                            target: l,
                            site: n,
                            kind: WriteKind::Assign,
                        });
                    }
                }
                StmtKind::IncDec { x, .. } => out.push(Write {
                    target: *x,
                    site: n,
                    kind: WriteKind::IncDec,
                }),
                _ => {}
            },
            Node::Expr(e) => {
                if let ExprKind::Call { fun, args, .. } = &f[e].kind {
                    if args.len() == 2 && is_builtin(cx, file, *fun, "delete") {
                        out.push(Write {
                            target: args[0],
                            site: n,
                            kind: WriteKind::Delete,
                        });
                    }
                }
            }
            _ => {}
        }
        true
    });
    out
}

/// A lock or unlock call of a lock section: `l.Lock()`, `l.RLock()`, `l.Unlock()`,
/// `l.RUnlock()`, not deferred.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockEvent {
    /// The receiver's source text (`s.mu`).
    pub lock: String,
    pub at: u32,
    pub acquire: bool,
    /// The call expression.
    pub call: ExprId,
}

/// The lock and unlock calls of `body` itself in source order. Deferred unlocks are left out:
/// the lock stays held to the end of the function. With `is_lock`, a receiver must also be
/// a lock as far as the caller can tell (by type).
pub fn lock_events(
    cx: &PackageCx<'_>,
    file: usize,
    body: StmtId,
    mut is_lock: impl FnMut(ExprId) -> bool,
) -> Vec<LockEvent> {
    let f = cx.files[file].ast;
    let mut out = Vec::new();
    walk_own(f, body, |n| match n {
        Node::Stmt(s) => !matches!(f[s].kind, StmtKind::Defer { .. }),
        Node::Expr(e) => {
            for (name, acquire) in [
                ("Lock", true),
                ("RLock", true),
                ("Unlock", false),
                ("RUnlock", false),
            ] {
                if let Some((recv, args)) = method_call(f, e, name) {
                    if args.is_empty() && is_lock(recv) {
                        out.push(LockEvent {
                            lock: cx.text(file, f[recv].span).to_string(),
                            at: f[e].span.start,
                            acquire,
                            call: e,
                        });
                    }
                }
            }
            true
        }
        _ => true,
    });
    out.sort_by_key(|e| e.at);
    out
}

/// Whether `lock` is held at byte offset `at`, reading `events` in source order.
pub fn held_at(events: &[LockEvent], lock: &str, at: u32) -> bool {
    events
        .iter()
        .rfind(|e| e.lock == lock && e.at < at)
        .is_some_and(|e| e.acquire)
}

/// The locks held at byte offset `at`.
pub fn locks_held_at(events: &[LockEvent], at: u32) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for e in events.iter().filter(|e| e.at < at) {
        out.retain(|&l| l != e.lock);
        if e.acquire {
            out.push(&e.lock);
        }
    }
    out
}

/// Whether expression `e` mentions one of `defs`.
pub fn mentions(cx: &PackageCx<'_>, file: usize, e: ExprId, defs: &[DefId]) -> bool {
    let f = cx.files[file].ast;
    let mut found = false;
    preorder(f, &[Node::Expr(e)], |n| {
        if found {
            return false;
        }
        if let Node::Expr(x) = n {
            if let ExprKind::Ident(id) = f[x].kind {
                if cx
                    .scopes
                    .binding(file, id)
                    .is_some_and(|d| defs.contains(&d))
                {
                    found = true;
                }
            }
        }
        true
    });
    found
}

/// Whether block statement `s` always leaves the code that follows it: its last statement
/// is a `return`, a `break`/`continue`/`goto`, or a call to `panic`.
pub fn terminates(cx: &PackageCx<'_>, file: usize, s: StmtId) -> bool {
    let f = cx.files[file].ast;
    let StmtKind::Block { list, .. } = &f[s].kind else {
        return false;
    };
    let Some(&last) = list.last() else {
        return false;
    };
    match &f[last].kind {
        StmtKind::Return { .. } | StmtKind::Branch { .. } => true,
        StmtKind::Expr(e) => match &f[*e].kind {
            ExprKind::Call { fun, .. } => is_builtin(cx, file, *fun, "panic"),
            _ => false,
        },
        _ => false,
    }
}

/// The `if` statement (after byte offset `after`, inside function body `body`) whose outcome
/// on `defs` decides whether `node` runs: an `if` around `node` whose condition mentions
/// `defs` (with `node` in its body or `else`), or an `if` earlier in an enclosing block whose
/// condition mentions `defs` and whose body always leaves (an early return on the check).
pub fn guarding_if(
    cx: &PackageCx<'_>,
    file: usize,
    body: StmtId,
    node: Node,
    defs: &[DefId],
    after: u32,
) -> Option<StmtId> {
    if defs.is_empty() {
        return None;
    }
    let f = cx.files[file].ast;
    let parents = cx.parents(file);
    let mut child = node;
    for anc in parents.ancestors(node) {
        let Node::Stmt(s) = anc else {
            if matches!(anc, Node::Expr(e) if matches!(f[e].kind, ExprKind::FuncLit { .. })) {
                return None;
            }
            child = anc;
            continue;
        };
        match &f[s].kind {
            StmtKind::If {
                cond, body: b, els, ..
            } if f[s].span.start >= after || f[*cond].span.start >= after => {
                let in_branch = child == Node::Stmt(*b) || Some(child) == els.map(Node::Stmt);
                if in_branch && mentions(cx, file, *cond, defs) {
                    return Some(s);
                }
            }
            StmtKind::Block { list, .. } => {
                if let Node::Stmt(c) = child {
                    for &prev in list.iter().take_while(|&&x| x != c) {
                        if f[prev].span.start < after && !contains(f, prev, after) {
                            continue;
                        }
                        if let StmtKind::If {
                            cond,
                            body: b,
                            els: None,
                            ..
                        } = &f[prev].kind
                        {
                            if f[*cond].span.start >= after
                                && mentions(cx, file, *cond, defs)
                                && terminates(cx, file, *b)
                            {
                                return Some(prev);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        if s == body {
            return None;
        }
        child = anc;
    }
    None
}

/// Whether statement `s` spans byte offset `at`.
fn contains(f: &File, s: StmtId, at: u32) -> bool {
    let sp = f[s].span;
    sp.start <= at && at < sp.end
}

/// Whether some file of the package calls a method named one of `names` with `args`
/// arguments (`PackageCx::file_calls_method`), so that checks ask for types (which costs a
/// type check of the package) only where their pattern can occur.
pub fn calls_method(cx: &PackageCx<'_>, names: &[&str], args: usize) -> bool {
    (0..cx.files.len()).any(|file| cx.file_calls_method(file, names, args))
}

/// The names a file calls, with their argument counts: the selected name of `x.Name(…)` and
/// `(x.Name)(…)`, and a bare `Name(…)`.
pub struct CallNames<'a> {
    names: std::collections::HashSet<
        (&'a str, usize),
        std::hash::BuildHasherDefault<racelens_semantic::scope::FxHasher>,
    >,
}

impl<'a> CallNames<'a> {
    pub fn new(f: &'a File) -> CallNames<'a> {
        let mut names = std::collections::HashSet::default();
        for e in &f.exprs {
            if let ExprKind::Call { fun, args, .. } = &e.kind {
                let name = match f[f.unparen(*fun)].kind {
                    ExprKind::Selector { sel, .. } => sel,
                    ExprKind::Ident(id) => id,
                    _ => continue,
                };
                names.insert((f.ident_name(name), args.len()));
            }
        }
        CallNames { names }
    }

    pub fn contains(&self, name: &str, args: usize) -> bool {
        self.names.contains(&(name, args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(lock: &str, at: u32, acquire: bool) -> LockEvent {
        LockEvent {
            lock: lock.to_string(),
            at,
            acquire,
            call: ExprId(0),
        }
    }

    #[test]
    fn a_lock_is_held_between_its_lock_and_unlock_calls() {
        let events = [ev("mu", 10, true), ev("mu", 20, false), ev("mu", 30, true)];
        assert!(!held_at(&events, "mu", 5));
        assert!(held_at(&events, "mu", 15));
        assert!(!held_at(&events, "mu", 25));
        assert!(held_at(&events, "mu", 35));
        assert!(!held_at(&events, "other", 15));
    }

    #[test]
    fn locks_held_at_lists_each_open_section_once() {
        let events = [
            ev("a", 10, true),
            ev("b", 12, true),
            ev("a", 20, false),
            ev("a", 22, true),
        ];
        assert_eq!(locks_held_at(&events, 15), ["a", "b"]);
        assert_eq!(locks_held_at(&events, 21), ["b"]);
        assert_eq!(locks_held_at(&events, 30), ["b", "a"]);
        assert!(locks_held_at(&events, 0).is_empty());
    }
}
