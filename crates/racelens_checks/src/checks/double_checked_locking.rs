//! `double-checked-locking`: a variable checked without a lock, then locked, checked again
//! and assigned (`if r.db == nil { r.mu.Lock(); if r.db == nil { r.db = open() } }`), or
//! checked in front of a `sync.Once` that assigns it.

use crate::syntactic::{lock_statement, method_call, squeezed, unparen};
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_semantic::DefKind;
use racelens_syntax::ast::{ExprId, ExprKind, StmtId, StmtKind};
use racelens_syntax::token::TokenKind;
use racelens_syntax::walk::{preorder, Node};
use racelens_syntax::File;
use std::collections::{HashMap, HashSet};

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "double-checked-locking",
        category: Category::Correctness,
        summary:
            "A variable is checked without the lock that guards its initialisation: a data race.",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.3.0",
    needs_types: false,
    run: Some(run),
};

const DOCS: &str = r#"## What it does

Reports the first check of double-checked locking: an `if` whose condition reads a field,
a map element or a package variable (`r.db == nil`, `!s.ready`, `m[k] == nil`) without a
lock, whose body takes a lock, checks the same condition again and assigns what it read;
and the same with early returns: `if r.loaded { return }`, then `r.mu.Lock()` in the same
block, `if r.loaded { return }` again, and an assignment of `r.loaded` after it.
The fast path may go through a variable of the `if`: `if db := r.db; db != nil { return db }`,
then the lock taken in the same block and `r.db` checked again in an `if` that assigns it
(or that returns, followed by the assignment).
The second check may test the path for another value, in an `if` that assigns it itself
or through a method of the same type on the same receiver, while the lock is held (`if
v.state == Closed { return }`, then `v.Lock()` and `if v.state == HalfOpen {
v.setState(Closed) }`).
The second check may be a `switch` on the path (`if b.state == Closed { return nil }`,
then `b.mu.Lock()` and `switch b.state { case Open: b.setStateLocked(HalfOpen) }`), whose
clauses assign it themselves or through a method of the same type called on the same
receiver that assigns the field.
It also reports the fast path in front of a `sync.Once`: `if client != nil { return client }`
followed by `once.Do(func() { client = ... })`.

## Why is this bad?

The unlocked check reads the variable while another goroutine may be assigning it under
the lock: a data race, which the race detector reports. Go's memory model gives no
guarantee that a goroutine seeing the new pointer also sees the fields written before it
was published, so the fast path can return a half-initialised value; on a map the unlocked
read can crash the program with `concurrent map read and map write`.

## Example

```go
package p

import "sync"

type DB struct{}

type Repo struct {
	mu sync.Mutex
	db *DB
}

func (r *Repo) DB() *DB {
	if r.db == nil {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.db == nil {
			r.db = &DB{}
		}
	}
	return r.db
}
```

## Use instead

```go
package p

import "sync"

type DB struct{}

type Repo struct {
	once sync.Once
	db   *DB
}

func (r *Repo) DB() *DB {
	r.once.Do(func() {
		r.db = &DB{}
	})
	return r.db
}
```

## Known limitations

- The two conditions are compared as source text (spaces aside): a second check written
  differently (`r.db != nil` negated by an `else`) is not recognised.
- The lock must be taken by a statement of the first `if`'s own body, before the second
  `if`, which must be a statement of that body too; the assignment may be anywhere in the
  second `if`'s body. In the early-return form, the lock, the second `if` and the
  assignment after it must be statements of the block that holds the first `if`, and both
  `if`s must end with `return`. Through a variable of the `if`, its init statement must
  define one variable from the path (`db := r.db`), and the second `if` must check the
  path itself, as written in the init statement. Any method called `Lock` counts as the
  lock.
- A `switch` as the second check is looked at only in the early-return form, with the
  path itself as its tag. An assignment made by a helper is followed only for a `switch`,
  one call deep, into a method declared in the package on the receiver's own type (matched
  by name and receiver type as written), called on the same receiver, that assigns the
  field outside function literals; not into functions, other values or interface
  methods.
- Not reported: a check under a read lock that is released before `Lock` (the upgrade of a
  `sync.RWMutex`, which is correct), checks through calls (`l.done.Load()` of an atomic),
  and local variables that no literal shares.
- The `sync.Once` form needs the `if` to end by returning and the `Do` call to follow it in
  the same block with a function literal that assigns what the `if` read; `once.Do(initDB)`
  with a named function is not followed.
"#;

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    for (file, fcx) in cx.files.iter().enumerate() {
        let locks = cx.file_calls_method(file, &["Lock"], 0);
        let onces = cx.file_calls_method(file, &["Do"], 1);
        if !locks && !onces {
            continue;
        }
        let f = fcx.ast;
        let parents = cx.parents(file);
        let mut held = (HashSet::new(), HashMap::new());
        for (i, s) in f.stmts.iter().enumerate() {
            let StmtKind::If {
                init, cond, body, ..
            } = s.kind
            else {
                continue;
            };
            let outer = StmtId::new(i as u32);
            // Statements error recovery dropped from the tree have no parent.
            let Some(parent) = parents.parent(Node::Stmt(outer)) else {
                continue;
            };
            let read = checked_paths(f, cond);
            let mut read: Vec<ExprId> = read
                .into_iter()
                .filter(|&p| shared_path(cx, file, p))
                .collect();
            // The fast path through a variable of the `if` (`if db := r.db; db != nil`).
            let aliased = read.is_empty();
            if aliased {
                read.extend(init.and_then(|init| alias_checked(cx, file, init, cond)));
            }
            if read.is_empty() {
                continue;
            }
            let StmtKind::Block { list, .. } = f[body].kind else {
                continue;
            };
            let list = &f[list];
            // Asked last: only for the few `if`s that have the shape.
            let mut unlocked = || !locked_before(cx, file, outer, &mut held);
            if locks && aliased {
                let found = returned_then_rechecked(cx, file, parent, outer, list, &read);
                if let Some(x) = found.filter(|_| unlocked()) {
                    out.push(report(cx, file, x));
                }
                continue;
            }
            if locks {
                let found = double_checked(f, cond, list, &read)
                    .or_else(|| returned_then_checked(f, parent, outer, cond, list, &read))
                    .or_else(|| switched_then_set(cx, file, parent, outer, list, &read))
                    .or_else(|| returned_then_rechecked(cx, file, parent, outer, list, &read));
                if let Some(x) = found.filter(|_| unlocked()) {
                    out.push(report(cx, file, x));
                    continue;
                }
            }
            if onces && ends_by_returning(f, list) {
                if let Some(x) = before_once(f, parent, outer, &read).filter(|_| unlocked()) {
                    let shown = f.text(f[x].span);
                    out.push(
                        Diagnostic::new(
                            CHECK.info.name,
                            CHECK.info.category,
                            format!(
                                "`{shown}` is read outside `once.Do`, while another goroutine may be assigning it inside"
                            ),
                            cx.location(file, f[x].span),
                        )
                        .with_help(format!(
                            "call `once.Do` first and read `{shown}` after it: `Do` makes the assignment visible"
                        )),
                    );
                }
            }
        }
    }
}

/// The report of an unlocked first check of path `x`.
fn report(cx: &PackageCx<'_>, file: usize, x: ExprId) -> Diagnostic {
    let f = cx.files[file].ast;
    let shown = f.text(f[x].span);
    Diagnostic::new(
        CHECK.info.name,
        CHECK.info.category,
        format!(
            "double-checked locking: `{shown}` is read without the lock, while another goroutine may be assigning it under the lock"
        ),
        cx.location(file, f[x].span),
    )
    .with_help(format!(
        "use `sync.Once` (or `sync.OnceValue`) to initialise `{shown}`, an atomic value, or take the lock before the first check"
    ))
}

/// For an `if` whose init statement defines one variable from a shared path (`db := r.db`)
/// and whose condition checks that variable: the path.
fn alias_checked(cx: &PackageCx<'_>, file: usize, init: StmtId, cond: ExprId) -> Option<ExprId> {
    let f = cx.files[file].ast;
    let StmtKind::Assign {
        lhs,
        tok: TokenKind::Define,
        rhs,
        ..
    } = f[init].kind
    else {
        return None;
    };
    let (&[l], &[r]) = (&f[lhs], &f[rhs]) else {
        return None;
    };
    let ExprKind::Ident(var) = f[unparen(f, l)].kind else {
        return None;
    };
    let def = cx.scopes().binding(file, var)?;
    let r = unparen(f, r);
    let checks_var = checked_paths(f, cond).into_iter().any(|p| {
        matches!(f[unparen(f, p)].kind, ExprKind::Ident(id) if cx.scopes().binding(file, id) == Some(def))
    });
    (checks_var && is_path(f, r) && shared_path(cx, file, r)).then_some(r)
}

/// The early-return form through a variable: the `if` statement `outer` (body `list`) of
/// block `parent` ends by returning, and the statements after it in the block take the lock
/// and then check a path of `read` again in an `if` that assigns it, or that ends by
/// returning and is followed by an assignment of it (`if db := r.db; db != nil { return db };
/// r.mu.Lock(); if r.db == nil { r.db = open() }`).
fn returned_then_rechecked(
    cx: &PackageCx<'_>,
    file: usize,
    parent: Node,
    outer: StmtId,
    list: &[StmtId],
    read: &[ExprId],
) -> Option<ExprId> {
    let f = cx.files[file].ast;
    let rest = locked_after(f, parent, outer, list)?;
    // While the lock is held.
    let held = rest
        .iter()
        .position(|&st| lock_statement(f, st, &["Unlock", "RUnlock"]))
        .unwrap_or(rest.len());
    let rest = &rest[..held];
    let text = |e: ExprId| squeezed(f, e);
    let wanted: Vec<String> = read.iter().map(|&r| text(r)).collect();
    for (i, &st) in rest.iter().enumerate() {
        let StmtKind::If {
            init: None,
            cond: inner,
            body,
            ..
        } = f[st].kind
        else {
            continue;
        };
        let Some(p) = checked_paths(f, inner)
            .into_iter()
            .find(|&p| wanted.contains(&text(p)))
        else {
            continue;
        };
        if let Some(x) = assigned_in(f, body, read, &text) {
            return Some(x);
        }
        // Or through a method of the same type on the same receiver (`if b.state ==
        // HalfOpen { b.setState(Closed) }`).
        if let Some(&r) = read.iter().find(|&&r| text(r) == text(p)) {
            if set_by_helper(cx, file, outer, body, r) {
                return Some(r);
            }
        }
        if matches!(f[body].kind, StmtKind::Block { list, .. } if ends_by_returning(f, &f[list])) {
            return rest[i + 1..]
                .iter()
                .find_map(|&st| assigned_in(f, st, read, &text));
        }
    }
    None
}

/// The early-return form with the second check a `switch` on the path, whose clauses assign
/// it themselves or through a method of the same type called on the same receiver
/// (`if b.state == Closed { return }; b.mu.Lock(); switch b.state { case Open:
/// b.setStateLocked(HalfOpen) }`, the helper assigning `b.state`).
fn switched_then_set(
    cx: &PackageCx<'_>,
    file: usize,
    parent: Node,
    outer: StmtId,
    list: &[StmtId],
    read: &[ExprId],
) -> Option<ExprId> {
    let f = cx.files[file].ast;
    let rest = locked_after(f, parent, outer, list)?;
    let text = |e: ExprId| squeezed(f, e);
    for &st in rest {
        let StmtKind::Switch {
            tag: Some(tag),
            body,
            ..
        } = f[st].kind
        else {
            continue;
        };
        let Some(&r) = read.iter().find(|&&r| text(r) == text(tag)) else {
            continue;
        };
        if let Some(x) = assigned_in(f, body, read, &text) {
            return Some(x);
        }
        if set_by_helper(cx, file, outer, body, r) {
            return Some(r);
        }
    }
    None
}

/// Whether statement `body` calls, on the receiver of the method around statement `outer`, a
/// method declared in the package on the same receiver type that assigns the field path
/// `read` names (`b.setStateLocked(s)` assigning `b.state`).
fn set_by_helper(
    cx: &PackageCx<'_>,
    file: usize,
    outer: StmtId,
    body: StmtId,
    read: ExprId,
) -> bool {
    let f = cx.files[file].ast;
    let ExprKind::Selector { x, sel: field } = f[unparen(f, read)].kind else {
        return false;
    };
    let ExprKind::Ident(recv) = f[unparen(f, x)].kind else {
        return false;
    };
    // The method around `outer` and its receiver's name and type.
    let Some(Node::Decl(decl)) =
        crate::syntactic::enclosing_function(f, cx.parents(file), Node::Stmt(outer))
    else {
        return false;
    };
    let Some((rname, rtype)) = receiver_of(f, decl) else {
        return false;
    };
    if f.ident_name(recv) != rname {
        return false;
    }
    // The methods called on the receiver in `body`.
    let mut called: Vec<&str> = Vec::new();
    preorder(f, &[Node::Stmt(body)], |n| match n {
        Node::Expr(e) if matches!(f[e].kind, ExprKind::FuncLit { .. }) => false,
        Node::Expr(e) => {
            if let ExprKind::Call { fun, .. } = f[e].kind {
                if let ExprKind::Selector { x, sel } = f[unparen(f, fun)].kind {
                    if matches!(f[unparen(f, x)].kind, ExprKind::Ident(id) if f.ident_name(id) == rname)
                    {
                        called.push(f.ident_name(sel));
                    }
                }
            }
            true
        }
        _ => true,
    });
    if called.is_empty() {
        return false;
    }
    let field = f.ident_name(field);
    cx.files.iter().any(|hf| {
        let h = hf.ast;
        h.decls.iter().any(|&d| {
            let racelens_syntax::ast::DeclKind::Func {
                name,
                body: Some(hbody),
                ..
            } = h[d].kind
            else {
                return false;
            };
            if !called.contains(&h.ident_name(name)) {
                return false;
            }
            let Some((hname, htype)) = receiver_of(h, d) else {
                return false;
            };
            if htype != rtype {
                return false;
            }
            let want = format!("{hname}.{field}");
            first_assigned(h, hbody, &|e| squeezed(h, e), |t| (t == want).then_some(())).is_some()
        })
    })
}

/// The name of method `decl`'s receiver and its type's text without spaces (`b`,
/// `*Breaker`).
fn receiver_of(f: &File, decl: racelens_syntax::ast::DeclId) -> Option<(&str, String)> {
    let racelens_syntax::ast::DeclKind::Func { recv: Some(r), .. } = f[decl].kind else {
        return None;
    };
    let field = *f[r].list.first()?;
    let name = *f[field].names.first()?;
    Some((f.ident_name(name), squeezed(f, f[field].typ)))
}

/// The paths a condition checks: the operands of `!`, `==`, `!=` and the orderings, and of
/// `len(...)`, through `&&` and `||` and parentheses, that are identifiers, selectors or
/// index expressions of those (`r.db`, `ready`, `m[k]`); not calls (`l.done.Load()`).
fn checked_paths(f: &File, cond: ExprId) -> Vec<ExprId> {
    let mut out = Vec::new();
    let mut stack = vec![cond];
    while let Some(e) = stack.pop() {
        let e = unparen(f, e);
        match &f[e].kind {
            ExprKind::Binary { op, x, y, .. } => match op {
                TokenKind::LAnd | TokenKind::LOr => stack.extend([*x, *y]),
                TokenKind::Eql
                | TokenKind::Neq
                | TokenKind::Lss
                | TokenKind::Gtr
                | TokenKind::Leq
                | TokenKind::Geq => {
                    for side in [*x, *y] {
                        let side = unparen(f, side);
                        if let ExprKind::Call { fun, args, .. } = &f[side].kind {
                            if matches!(f[unparen(f, *fun)].kind, ExprKind::Ident(id) if f.ident_name(id) == "len")
                                && f[*args].len() == 1
                            {
                                stack.push(f[*args][0]);
                                continue;
                            }
                        }
                        if is_path(f, side) {
                            out.push(side);
                        }
                    }
                }
                _ => {}
            },
            ExprKind::Unary {
                op: TokenKind::Not,
                x,
            } => stack.push(*x),
            _ if is_path(f, e) => out.push(e),
            _ => {}
        }
    }
    out
}

/// Whether `e` is an identifier, or a selector or index expression of one, through any
/// number of steps (`r.db`, `s.cfg.limits[k]`).
fn is_path(f: &File, e: ExprId) -> bool {
    let mut e = unparen(f, e);
    loop {
        match &f[e].kind {
            ExprKind::Ident(id) => return f.ident_name(*id) != "nil",
            ExprKind::Selector { x, .. } => e = unparen(f, *x),
            ExprKind::Index { x, .. } => e = unparen(f, *x),
            _ => return false,
        }
    }
}

/// Whether path `p` may be shared with another goroutine: a package variable, or something
/// reached through a selector or an index (a field, a map element); a bare local variable
/// only when a function literal may share it, which is left out.
fn shared_path(cx: &PackageCx<'_>, file: usize, p: ExprId) -> bool {
    let f = cx.files[file].ast;
    match f[unparen(f, p)].kind {
        ExprKind::Ident(id) => cx
            .scopes()
            .binding(file, id)
            .is_some_and(|d| cx.scopes().def(d).kind == DefKind::PackageVar),
        _ => true,
    }
}

/// The checked path of `read` that the body `list` of an `if` with condition `cond` checks
/// again under a lock and assigns: a `Lock()` statement, with no `Unlock`/`RUnlock`
/// statement before it (a read lock released to upgrade), then an `if` with the same
/// condition whose body assigns the path.
fn double_checked(f: &File, cond: ExprId, list: &[StmtId], read: &[ExprId]) -> Option<ExprId> {
    let lock = first_lock(f, list)?;
    let text = |e: ExprId| squeezed(f, e);
    let want = text(cond);
    for &st in &list[lock + 1..] {
        let StmtKind::If {
            init: None,
            cond: inner,
            body,
            ..
        } = f[st].kind
        else {
            continue;
        };
        if text(inner) != want {
            continue;
        }
        if let Some(x) = assigned_in(f, body, read, &text) {
            return Some(x);
        }
    }
    None
}

/// The early-return form of `double_checked`: the `if` statement `outer` (condition `cond`,
/// body `list`) of block `parent` ends by returning, and the statements after it in the block
/// take the lock (no `Unlock`/`RUnlock` before), check the same condition again in an `if`
/// that ends by returning, and then assign the path of `read` (`if r.loaded { return };
/// r.mu.Lock(); if r.loaded { return }; ...; r.loaded = true`).
fn returned_then_checked(
    f: &File,
    parent: Node,
    outer: StmtId,
    cond: ExprId,
    list: &[StmtId],
    read: &[ExprId],
) -> Option<ExprId> {
    let rest = locked_after(f, parent, outer, list)?;
    let text = |e: ExprId| squeezed(f, e);
    let want = text(cond);
    let second = rest.iter().position(|&st| {
        matches!(f[st].kind, StmtKind::If { init: None, cond: inner, body, .. }
            if text(inner) == want
                && matches!(f[body].kind, StmtKind::Block { list, .. } if ends_by_returning(f, &f[list])))
    })?;
    rest[second + 1..]
        .iter()
        .find_map(|&st| assigned_in(f, st, read, &text))
}

/// For an `if` statement `outer` of block `parent` whose body `list` ends by returning: the
/// statements of the block after the first `Lock()` statement that follows `outer` (none
/// when no lock follows, or an unlock comes first).
fn locked_after<'f>(
    f: &'f File,
    parent: Node,
    outer: StmtId,
    list: &[StmtId],
) -> Option<&'f [StmtId]> {
    if !ends_by_returning(f, list) {
        return None;
    }
    let rest = after_in_block(f, parent, outer)?;
    let lock = first_lock(f, rest)?;
    Some(&rest[lock + 1..])
}

/// The index in `list` of its first `Lock()` statement, when no `Unlock`/`RUnlock` statement
/// comes before it (a read lock released to upgrade).
fn first_lock(f: &File, list: &[StmtId]) -> Option<usize> {
    let lock = list
        .iter()
        .position(|&st| lock_statement(f, st, &["Lock"]))?;
    let released = list[..lock]
        .iter()
        .any(|&st| lock_statement(f, st, &["Unlock", "RUnlock"]));
    (!released).then_some(lock)
}

/// The statements after statement `outer` in its block `parent`, when `parent` is a block.
fn after_in_block(f: &File, parent: Node, outer: StmtId) -> Option<&[StmtId]> {
    let Node::Stmt(p) = parent else {
        return None;
    };
    let StmtKind::Block { list, .. } = f[p].kind else {
        return None;
    };
    let list = &f[list];
    Some(&list[list.iter().position(|&st| st == outer)? + 1..])
}

/// The path of `read` that statement `body` (outside the function literals in it) assigns,
/// compared as source text.
fn assigned_in(
    f: &File,
    body: StmtId,
    read: &[ExprId],
    text: &dyn Fn(ExprId) -> String,
) -> Option<ExprId> {
    let wanted: Vec<(String, ExprId)> = read.iter().map(|&r| (text(r), r)).collect();
    first_assigned(f, body, text, |t| {
        wanted.iter().find(|(w, _)| w == t).map(|&(_, r)| r)
    })
}

/// Of the statements of `body` (outside the function literals in it) that assign paths
/// (`=`, `op=`, `++`), the first whose assigned paths' texts `pick` maps to something: that,
/// for the last such path of the statement.
fn first_assigned<T>(
    f: &File,
    body: StmtId,
    text: &dyn Fn(ExprId) -> String,
    pick: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let mut found = None;
    preorder(f, &[Node::Stmt(body)], |n| {
        if found.is_some() {
            return false;
        }
        match n {
            Node::Expr(e) if matches!(f[e].kind, ExprKind::FuncLit { .. }) => false,
            Node::Stmt(st) => {
                let lhs: &[ExprId] = match &f[st].kind {
                    StmtKind::Assign { lhs, tok, .. } if *tok != TokenKind::Define => &f[*lhs],
                    StmtKind::IncDec { x, .. } => std::slice::from_ref(x),
                    _ => &[],
                };
                for &l in lhs {
                    if let Some(r) = pick(&text(l)) {
                        found = Some(r);
                    }
                }
                true
            }
            _ => true,
        }
    });
    found
}

/// Whether a lock is held at statement `st`: in some block around it, up to its function,
/// the statements before it call `Lock` or `RLock` more often than `Unlock` or `RUnlock`
/// (a deferred unlock keeps the lock).
/// `held` keeps, for the statements of the blocks asked about, the locks held before each
/// (`blocks` lists those blocks): each block is scanned once.
fn locked_before(
    cx: &PackageCx<'_>,
    file: usize,
    st: StmtId,
    held: &mut (HashSet<StmtId>, HashMap<StmtId, i32>),
) -> bool {
    let f = cx.files[file].ast;
    let parents = cx.parents(file);
    let (blocks, before) = held;
    let mut child = Node::Stmt(st);
    for n in parents.ancestors(Node::Stmt(st)) {
        match n {
            Node::Stmt(b) => {
                if let StmtKind::Block { list, .. } = f[b].kind {
                    if blocks.insert(b) {
                        let mut n = 0i32;
                        for &x in &f[list] {
                            before.insert(x, n);
                            if lock_statement(f, x, &["Lock", "RLock"]) {
                                n += 1;
                            } else if lock_statement(f, x, &["Unlock", "RUnlock"]) {
                                n -= 1;
                            }
                        }
                    }
                    let Node::Stmt(c) = child else {
                        return false;
                    };
                    if before.get(&c).is_some_and(|&k| k > 0) {
                        return true;
                    }
                }
            }
            Node::Decl(_) => return false,
            Node::Expr(e) if matches!(f[e].kind, ExprKind::FuncLit { .. }) => return false,
            _ => {}
        }
        child = n;
    }
    false
}

/// Whether the last statement of `list` returns.
fn ends_by_returning(f: &File, list: &[StmtId]) -> bool {
    list.last()
        .is_some_and(|&st| matches!(f[st].kind, StmtKind::Return { .. }))
}

/// The checked path of `read` (of the `if` statement `outer`, in block `parent`) that a
/// later `x.Do(func() { ... })` statement of the same block assigns in its literal.
fn before_once(f: &File, parent: Node, outer: StmtId, read: &[ExprId]) -> Option<ExprId> {
    let text = |e: ExprId| squeezed(f, e);
    for &st in after_in_block(f, parent, outer)? {
        let StmtKind::Expr(e) = f[st].kind else {
            continue;
        };
        let Some((_, args)) = method_call(f, unparen(f, e), "Do") else {
            continue;
        };
        let [arg] = args else {
            continue;
        };
        let ExprKind::FuncLit { body, .. } = f[unparen(f, *arg)].kind else {
            continue;
        };
        if let Some(x) = assigned_in(f, body, read, &text) {
            return Some(x);
        }
    }
    None
}
