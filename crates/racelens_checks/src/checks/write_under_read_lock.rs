//! `write-under-read-lock`: a write to state guarded by a `sync.RWMutex` made while holding
//! only its read lock.

use crate::model_facts::{
    is_receiver, lock_free, receiver_def, root_def, runs_in_callback, runs_under_once, selector_of,
};
use crate::syntactic::unparen;
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_model::{AccessKind, LockMode, Model, Place, PlaceId};
use racelens_semantic::types::{PkgIdx, Program};
use racelens_semantic::{DefKind, FuncRef};
use racelens_syntax::ast::{ExprId, ExprKind, StmtKind};
use racelens_syntax::token::TokenKind;
use racelens_syntax::walk::{preorder, Node};
use std::collections::HashMap;

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "write-under-read-lock",
        category: Category::Correctness,
        summary: "State guarded by a `sync.RWMutex` is written while holding only `RLock`.",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.2.0",
    needs_types: true,
    run: Some(run),
};

const DOCS: &str = r#"## What it does

Reports a write (an assignment, `x++`, a map store or `delete`, an `append` to the field, a
slice element store or a call that writes the elements in place (`sort.Ints(c.ids)`,
`sort.Slice`, `slices.Sort...`, `copy(c.buf, b)`), or a call of a function of the package
that writes the elements of the slice or map it is given (`sortByWeight(r.instances)`), a
call that modifies a value of a standard-library type not safe for
concurrent use: `c.buf.WriteString(s)`, `c.rng.Intn(n)`, `buf.Read(p)` on a `bytes.Buffer`)
to state guarded by a `sync.RWMutex` while the function holds only the
mutex's read lock (`RLock`). The state is the mutex owner's: a field reached from the same
variable as the mutex (`c.m` under `c.mu.RLock()`), a field of a value the guarded map or
slice points to (`e := c.m[k]; e.hits++`), or a package variable under a package-level
`RWMutex`.

## Why is this bad?

`RLock` lets any number of readers in at the same time. A write made under it runs
concurrently with other readers, and with other writers that also hold only the read lock:
a data race, and for maps a fatal `concurrent map writes` crash. Some methods that look like
reads modify their value: reading from a `bytes.Buffer` drains it, and every method of a
`*rand.Rand` advances its source. The classic case is lazy
initialization under the read lock (`if c.m == nil { c.m = make(...) }`), or a cache that
records hits while reading.

## Example

```go
package p

import "sync"

type Cache struct {
	mu sync.RWMutex
	m  map[string]int
}

func (c *Cache) Get(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.m == nil {
		c.m = make(map[string]int)
	}
	return c.m[k]
}
```

## Use instead

```go
package p

import "sync"

type Cache struct {
	mu sync.RWMutex
	m  map[string]int
}

func (c *Cache) Get(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[k]
}

func (c *Cache) Set(k string, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]int)
	}
	c.m[k] = v
}
```

## Known limitations

- Calls into other packages are not followed for what they access; of another package of
  the workspace, only the locks a call takes or releases for its caller (a `Lock` method)
  are applied.
- A function given guarded state as an argument is followed one call deep, for element and
  map writes through a slice or map parameter it makes holding no lock, when the argument is
  a field of the value whose lock is read-locked (`r.instances` under `r.mu.RLock()`), at a
  call without `...`.
- The `RLock` call must be in the same function as the write (or in a function literal run
  in place there), or the write must be in an unexported method of the lock's owner that
  every caller in the package calls with the read lock held on the same value; other
  helpers are not followed.
- A write through a local pointer counts only when the pointer was taken from the guarded
  state: `e := c.m[k]`, `e, ok := c.m[k]` or `for _, e := range c.list` (with `c` the owner
  of the lock), of a pointer type; or through a pointer parameter of a method of the owner
  that every call in the package passes such a local (`st := s.stats[p]; s.record(st)`). A
  pointer obtained otherwise (from a call, a field, another pointer) is not followed, nor is
  a parameter of a method one caller hands a value it made.
- Calls that modify a value not safe for concurrent use count only for the types and methods
  `captured-variable-race` lists, called on the field itself.
- A mutex that its owner's methods write-lock only to close (`close`, `Stop`, `Shutdown`)
  is taken to keep the
  value from being closed under its owner, not to guard state between readers.
- A field that an exported method of the owner also assigns holding no lock, through
  functions none of which takes the mutex, is taken not to be guarded by it: a read lock
  held over a long operation to keep other state stable (a line editor's prompt holding
  its history's read lock) writes its own fields, not the mutex's. Appends, element and
  map writes, and calls that modify a value stay reported.
- Writes through `sync/atomic`, to locals, and inside `sync.Once.Do` are not reported; nor
  are writes in a function literal handed to a call (`db.Update(func(tx) { ... })`), which
  the callee may serialise.
- Only state reached through the lock's owner is checked: under `c.acc.mu`, `c.acc.m` is,
  `c.pa.x` is not.
"#;

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    if !crate::gates::may_read_lock(cx) {
        return;
    }
    let Some(model) = cx.model() else {
        return;
    };
    let Some((prog, pkg)) = cx.types() else {
        return;
    };
    let mut not_guarding = NotGuarding::default();
    let mut rlocks = RLockCalls::default();
    for acc in &model.accesses {
        if !acc.kind.is_write() || acc.kind.is_atomic() {
            continue;
        }
        if acc.locks.holds_in(LockMode::Write) {
            continue;
        }
        let Some(lock) = acc.locks.first_in(LockMode::Read) else {
            if acc.locks.is_empty() {
                if let Some(d) =
                    helper_write(cx, &prog, pkg, model, acc, &mut not_guarding, &mut rlocks)
                {
                    out.push(d);
                }
            }
            continue;
        };
        let func = model.func(acc.func);
        let file = func.file as usize;
        let f = cx.files[file].ast;
        let home = model.outermost(acc.func);
        let FuncRef::Decl(decl) = model.func(home).func else {
            continue;
        };
        let Some((rlock, lock_x)) =
            rlocks.lock_before(cx, &prog, pkg, model, file, decl, lock, acc.span.start)
        else {
            continue;
        };
        // The written expression.
        let written: Option<ExprId> = match acc.kind {
            AccessKind::Write | AccessKind::Append => match model.place(acc.place) {
                Place::Var(_) => None,
                Place::Field { .. } => selector_of(cx.files[file].ast, acc.expr).map(|(e, _, _)| e),
            },
            _ => selector_of(cx.files[file].ast, acc.expr).map(|(e, _, _)| e),
        };
        let related = match (model.place(acc.place), model.place(lock)) {
            (Place::Var(v), Place::Var(l)) => {
                cx.scopes().def(*v).kind == DefKind::PackageVar
                    && cx.scopes().def(*l).kind == DefKind::PackageVar
            }
            _ => {
                let Some(w) = written else { continue };
                // The write must reach into the value that owns the lock: under
                // `c.acc.mu`, `c.acc.x` is guarded state but `c.pa.x` is not.
                let owner_text = match f[unparen(f, lock_x)].kind {
                    ExprKind::Selector { x, .. } => Some(cx.text(file, f[x].span)),
                    _ => None,
                };
                let written_text = cx.text(file, f[w].span);
                let root = root_def(cx, file, w);
                // A field written through a pointer taken from the guarded state under the
                // same read lock (`sess := s.sessions[id]; sess.lastUsed = now`).
                // For a mutex the owner embeds (`s.RLock()`), the owner is the operand.
                let state_owner = owner_text.or_else(|| {
                    matches!(f[unparen(f, lock_x)].kind, ExprKind::Ident(_))
                        .then(|| cx.text(file, f[lock_x].span))
                });
                let derived = match (state_owner, root) {
                    (Some(o), Some(r)) => {
                        pointer_from_guarded(cx, &prog, pkg, file, r, o)
                            || param_from_guarded(cx, &prog, pkg, model, file, decl, r, o)
                    }
                    _ => false,
                };
                if !derived
                    && owner_text.is_some_and(|o| !written_text.starts_with(&format!("{o}.")))
                {
                    continue;
                }
                let lock_root = root_def(cx, file, lock_x);
                let package_var = |d: Option<racelens_semantic::DefId>| {
                    d.is_some_and(|d| cx.scopes().def(d).kind == DefKind::PackageVar)
                };
                derived
                    || root.is_some() && root == lock_root
                    || package_var(root) && package_var(lock_root)
            }
        };
        if !related
            || not_guarding.close_guard(model, lock)
            || not_guarding.unguarded(cx, model, acc, lock)
            || runs_under_once(cx, &prog, pkg, model, acc.func)
            || runs_in_callback(cx, model, acc.func)
        {
            continue;
        }
        out.push(report(cx, &prog, pkg, model, acc, file, lock_x, rlock));
    }
    argument_writes(cx, &prog, pkg, model, &mut not_guarding, &mut rlocks, out);
}

/// A function of the package that writes the elements of a slice or map parameter (or
/// modifies a parameter of a type not safe for concurrent use), holding no lock, called with
/// only a read lock held on a field of the value that owns the lock (`r.mu.RLock();
/// sortByWeight(r.instances)`): the call writes guarded state under the read lock.
fn argument_writes(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    model: &Model,
    not_guarding: &mut NotGuarding,
    rlocks: &mut RLockCalls,
    out: &mut Vec<Diagnostic>,
) {
    for (gi, g) in model.funcs.iter().enumerate() {
        let FuncRef::Decl(gdecl) = g.func else {
            continue;
        };
        let gf = cx.files[g.file as usize].ast;
        let racelens_syntax::ast::DeclKind::Func { typ, .. } = gf[gdecl].kind else {
            continue;
        };
        let ExprKind::FuncType { params, .. } = gf[typ].kind else {
            continue;
        };
        // The parameters by position, as their definitions.
        let mut param_defs = Vec::new();
        for &field in gf[params].list.iter() {
            if gf[field].names.is_empty() {
                param_defs.push(None);
            }
            for &name in gf[field].names.iter() {
                param_defs.push(cx.scopes().binding(g.file as usize, name));
            }
        }
        let gix = racelens_model::FuncIx(gi as u32);
        let writes: Vec<(usize, &racelens_model::Access)> = model
            .with_inline(gix)
            .into_iter()
            .flat_map(|h| model.func(h).accesses.iter())
            .map(|&a| model.access(a))
            .filter(|a| {
                matches!(a.kind, AccessKind::ElemWrite | AccessKind::MapWrite) && a.locks.is_empty()
            })
            .filter_map(|a| match model.place(a.place) {
                Place::Var(d) => param_defs
                    .iter()
                    .position(|p| *p == Some(*d))
                    .map(|i| (i, a)),
                Place::Field { .. } => None,
            })
            .collect();
        if writes.is_empty() {
            continue;
        }
        for &(caller, ci) in model.callers.get(&gix).into_iter().flatten() {
            let c = &model.func(caller).calls[ci as usize];
            if c.callees.len() != 1 || c.locks.holds_in(LockMode::Write) {
                continue;
            }
            let Some(lock) = c.locks.first_in(LockMode::Read) else {
                continue;
            };
            let cfunc = model.func(caller);
            let cfile = cfunc.file as usize;
            let cf = cx.files[cfile].ast;
            let FuncRef::Decl(cdecl) = model.func(model.outermost(caller)).func else {
                continue;
            };
            let ExprKind::Call {
                ref args, ellipsis, ..
            } = cf[c.expr].kind
            else {
                continue;
            };
            if ellipsis.is_some() || not_guarding.close_guard(model, lock) {
                continue;
            }
            let Some((rlock, lock_x)) =
                rlocks.lock_before(cx, prog, pkg, model, cfile, cdecl, lock, c.span.start)
            else {
                continue;
            };
            let ExprKind::Selector { x: owner_x, .. } = cf[unparen(cf, lock_x)].kind else {
                continue;
            };
            let owner = cx.text(cfile, cf[owner_x].span);
            for &(i, w) in &writes {
                let Some(&arg) = cf[*args].get(i) else {
                    continue;
                };
                let arg = unparen(cf, arg);
                let text = cx.text(cfile, cf[arg].span);
                let ExprKind::Selector { .. } = cf[arg].kind else {
                    continue;
                };
                if !text.starts_with(&format!("{owner}.")) {
                    continue;
                }
                let lock_text = cx.text(cfile, cf[lock_x].span);
                let what = describe(w.kind);
                out.push(
                    Diagnostic::new(
                        CHECK.info.name,
                        CHECK.info.category,
                        format!(
                            "{what} `{text}` by `{}` while holding only the read lock `{lock_text}`, so concurrent readers may write at the same time",
                            g.short_name()
                        ),
                        cx.location(cfile, cf[arg].span),
                    )
                    .with_related(
                        format!("`{lock_text}` read-locked here"),
                        cx.location(cfile, cf[rlock].span),
                    )
                    .with_related(
                        format!("`{}` writes it here", g.short_name()),
                        cx.location(g.file as usize, w.span),
                    )
                    .with_help(format!(
                        "hold `{lock_text}.Lock()` for the call, or pass the function a copy"
                    )),
                );
                break;
            }
        }
    }
}

/// The report of write `acc` in `file`, made holding only the read lock of `lock_x`, taken
/// by call `rlock`.
#[allow(clippy::too_many_arguments)]
fn report(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    model: &Model,
    acc: &racelens_model::Access,
    file: usize,
    lock_x: ExprId,
    rlock: ExprId,
) -> Diagnostic {
    let f = cx.files[file].ast;
    let lock_text = cx.text(file, f[lock_x].span);
    let shown = shown(cx, prog, pkg, model, acc);
    let what = describe(acc.kind);
    Diagnostic::new(
        CHECK.info.name,
        CHECK.info.category,
        format!(
            "{what} {shown} while holding only the read lock `{lock_text}`, so concurrent readers may write at the same time"
        ),
        cx.location(file, acc.span),
    )
    .with_related(
        format!("`{lock_text}` read-locked here"),
        cx.location(file, f[rlock].span),
    )
    .with_help(format!(
        "hold `{lock_text}.Lock()` for the write (release the read lock, take the write lock and check the state again)"
    ))
}

/// Whether local variable `def` holds a pointer taken from the state of `owner` (the text
/// of the lock's owner, `s` of `s.mu`): declared by `v := owner.f[k]`, `v, ok := owner.f[k]`
/// or `for _, v := range owner.f`, of a pointer type, so that writing its fields writes the
/// shared values the map or slice points to.
fn pointer_from_guarded(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    file: usize,
    def: racelens_semantic::DefId,
    owner: &str,
) -> bool {
    let d = cx.scopes().def(def);
    if d.kind != DefKind::LocalVar || d.file != Some(file as u32) {
        return false;
    }
    let Some(ident) = d.ident else {
        return false;
    };
    let f = cx.files[file].ast;
    let parents = cx.parents(file);
    let Some(Node::Expr(e)) = parents.parent(Node::Ident(ident)) else {
        return false;
    };
    let Some(Node::Stmt(st)) = parents.parent(Node::Expr(e)) else {
        return false;
    };
    let source = match &f[st].kind {
        StmtKind::Assign {
            lhs,
            tok: TokenKind::Define,
            rhs,
            ..
        } if f[*rhs].len() == 1 && f[*lhs].first() == Some(&e) && f[*lhs].len() <= 2 => {
            match f[unparen(f, f[*rhs][0])].kind {
                ExprKind::Index { x, .. } => x,
                _ => return false,
            }
        }
        StmtKind::Range {
            value: Some(v),
            tok: Some(TokenKind::Define),
            x,
            ..
        } if *v == e => *x,
        _ => return false,
    };
    cx.text(file, f[source].span)
        .starts_with(&format!("{owner}."))
        && matches!(
            prog.types.get(prog.type_of(pkg, file, e)),
            racelens_semantic::types::Type::Pointer(_)
        )
}

/// Whether parameter `def` of method `decl` (of file `file`), whose receiver is `owner`
/// (the text of the lock's owner), holds a pointer taken from the receiver's state at every
/// call of the method in the package (`st := s.stats[path]; ...; s.record(st, code)`, as
/// `pointer_from_guarded` finds it in the caller, on the value the method is called on).
#[allow(clippy::too_many_arguments)]
fn param_from_guarded(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    model: &Model,
    file: usize,
    decl: racelens_syntax::ast::DeclId,
    def: racelens_semantic::DefId,
    owner: &str,
) -> bool {
    let d = cx.scopes().def(def);
    if d.kind != DefKind::Param || d.func != Some(FuncRef::Decl(decl)) {
        return false;
    }
    let f = cx.files[file].ast;
    let recv = receiver_def(cx, file, decl);
    if recv.is_none_or(|r| {
        cx.scopes()
            .def(r)
            .ident
            .is_none_or(|i| f.ident_name(i) != owner)
    }) {
        return false;
    }
    let Some(callee) = model.func_of(file as u32, FuncRef::Decl(decl)) else {
        return false;
    };
    let Some(at) = model
        .func(callee)
        .params
        .iter()
        .position(|&p| p == Some(def))
    else {
        return false;
    };
    let mut calls = 0;
    for caller in &model.funcs {
        let cf = caller.file as usize;
        let fc = cx.files[cf].ast;
        for c in caller.calls.iter().filter(|c| c.callees.contains(&callee)) {
            calls += 1;
            let ExprKind::Call { fun, ref args, .. } = fc[c.expr].kind else {
                return false;
            };
            let ExprKind::Selector { x, .. } = fc[unparen(fc, fun)].kind else {
                return false;
            };
            let arg = fc[args].get(at).map(|&a| unparen(fc, a));
            let Some(ExprKind::Ident(id)) = arg.map(|a| &fc[a].kind) else {
                return false;
            };
            let Some(a) = cx.scopes().binding(cf, *id) else {
                return false;
            };
            if !pointer_from_guarded(cx, prog, pkg, cf, a, cx.text(cf, fc[x].span)) {
                return false;
            }
        }
    }
    calls > 0
}

/// A write in an unexported method that every caller calls with the read lock of the
/// method's receiver held (`c.mu.RLock(); c.fill()`, `fill` writing `c.m`).
fn helper_write(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    model: &Model,
    acc: &racelens_model::Access,
    not_guarding: &mut NotGuarding,
    rlocks: &mut RLockCalls,
) -> Option<Diagnostic> {
    let entry = model.effective_entry(acc.func);
    if entry.iter().any(|(_, m)| m == LockMode::Write) {
        return None;
    }
    let (lock, _) = entry.iter().find(|&(_, m)| m == LockMode::Read)?;
    let (
        Place::Field { owner, .. },
        Place::Field {
            owner: lock_owner, ..
        },
    ) = (model.place(acc.place), model.place(lock))
    else {
        return None;
    };
    if owner != lock_owner {
        return None;
    }
    let home = model.outermost(acc.func);
    let hf = model.func(home);
    let FuncRef::Decl(hdecl) = hf.func else {
        return None;
    };
    let file = hf.file as usize;
    let f = cx.files[file].ast;
    let (_, x, _) = selector_of(cx.files[file].ast, acc.expr)?;
    let ExprKind::Ident(xid) = f[unparen(f, x)].kind else {
        return None;
    };
    if cx.scopes().binding(file, xid).is_none()
        || cx.scopes().binding(file, xid) != receiver_def(cx, file, hdecl)
        || not_guarding.close_guard(model, lock)
        || not_guarding.unguarded(cx, model, acc, lock)
        || runs_under_once(cx, prog, pkg, model, acc.func)
        || runs_in_callback(cx, model, acc.func)
    {
        return None;
    }
    // Every call holds only the read lock: a helper that some callers call with the write
    // lock may write on their paths alone (`findGE(key, prev)` writing only when `prev`).
    // The calls of the helper, in the order of the model's functions and their calls.
    let calls = || {
        model
            .callers
            .get(&home)
            .into_iter()
            .flatten()
            .map(|&(caller, ci)| (caller, &model.func(caller).calls[ci as usize]))
    };
    let write_caller = calls().any(|(_, c)| c.locks.mode(lock) != Some(LockMode::Read));
    if write_caller {
        return None;
    }
    // A call of the helper made with the read lock held, on the value whose lock it is.
    for (caller_ix, c) in calls() {
        if c.locks.mode(lock) != Some(LockMode::Read) {
            continue;
        }
        let caller = model.func(caller_ix);
        let cfile = caller.file as usize;
        let cf = cx.files[cfile].ast;
        let cdecl = match model.func(model.outermost(caller_ix)).func {
            FuncRef::Decl(d) => d,
            FuncRef::Lit(_) => continue,
        };
        let Some((rlock, lock_x)) =
            rlocks.lock_before(cx, prog, pkg, model, cfile, cdecl, lock, c.span.start)
        else {
            continue;
        };
        let ExprKind::Selector {
            x: lock_owner_x, ..
        } = cf[unparen(cf, lock_x)].kind
        else {
            continue;
        };
        // The call's own expression, or (should the model ever record another there) the
        // first call expression with its span.
        let is_the_call = |e: &racelens_syntax::ast::Expr| {
            e.span == c.span && matches!(e.kind, ExprKind::Call { .. })
        };
        let call = if is_the_call(&cf[c.expr]) {
            &cf[c.expr]
        } else {
            let Some((_, call)) = cf.exprs_with_ids().find(|(_, e)| is_the_call(e)) else {
                continue;
            };
            call
        };
        let ExprKind::Call { fun: cfun, .. } = call.kind else {
            continue;
        };
        let ExprKind::Selector { x: call_x, .. } = cf[unparen(cf, cfun)].kind else {
            continue;
        };
        if cx.text(cfile, cf[call_x].span) != cx.text(cfile, cf[lock_owner_x].span) {
            continue;
        }
        let lock_text = cx.text(cfile, cf[lock_x].span);
        let shown = shown(cx, prog, pkg, model, acc);
        return Some(
                Diagnostic::new(
                    CHECK.info.name,
                    CHECK.info.category,
                    format!(
                        "{} {shown} in a method called with only the read lock `{lock_text}` held, so concurrent readers may write at the same time",
                        describe(acc.kind)
                    ),
                    cx.location(file, acc.span),
                )
                .with_related(
                    format!("`{lock_text}` read-locked here"),
                    cx.location(cfile, cf[rlock].span),
                )
                .with_related("called here", cx.location(cfile, c.span))
                .with_help(format!(
                    "call it with `{lock_text}.Lock()` held, or move the write out of the read-locked path"
                )),
            );
    }
    None
}

/// The place access `a` writes, as source names it (`` `s.buf` ``), and for a call that
/// modifies a value not safe for concurrent use, its type.
fn shown(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    model: &Model,
    acc: &racelens_model::Access,
) -> String {
    let text = cx.text(model.func(acc.func).file as usize, acc.span);
    if acc.kind == AccessKind::Mutate {
        let ty = crate::model_facts::unsafe_type_text(prog, pkg, model, acc);
        format!("`{text}` (a `{ty}`, not safe for concurrent use)")
    } else {
        format!("`{text}`")
    }
}

/// The kind of write, for messages, with the word before the place.
fn describe(kind: AccessKind) -> &'static str {
    match kind {
        AccessKind::MapWrite => "a map write to",
        AccessKind::ElemWrite => "an element write to",
        AccessKind::Append => "an append to",
        AccessKind::Mutate => "a call that modifies",
        _ => "a write to",
    }
}

/// What says a read-write mutex does not guard what is written under its read lock, asked
/// once per lock (or per field and lock) rather than once per write: each question scans
/// the whole model.
#[derive(Default)]
struct NotGuarding {
    close_guards: HashMap<PlaceId, bool>,
    lock_free_fields: HashMap<(PlaceId, PlaceId), bool>,
}

impl NotGuarding {
    /// Whether `lock` only guards against closing (`close_guard`).
    fn close_guard(&mut self, model: &Model, lock: PlaceId) -> bool {
        *self
            .close_guards
            .entry(lock)
            .or_insert_with(|| close_guard(model, lock))
    }

    /// Whether the field `acc` assigns is also assigned holding no lock, so that `lock`
    /// does not guard it (`written_lock_free`).
    fn unguarded(
        &mut self,
        cx: &PackageCx<'_>,
        model: &Model,
        acc: &racelens_model::Access,
        lock: PlaceId,
    ) -> bool {
        acc.kind == AccessKind::Write
            && *self
                .lock_free_fields
                .entry((acc.place, lock))
                .or_insert_with(|| written_lock_free(cx, model, acc.place, lock))
    }
}

/// Whether field `place` is also assigned through a method's receiver holding no lock at all,
/// in a method of the field's owner that an exported method of the owner reaches through
/// calls made holding no lock, where none of those functions takes `lock` (`PasswordPrompt`
/// calling `redraw`, which sets `needRefresh`): then the read-write mutex does not guard the
/// field, whatever the read-locked path writes (peterh/liner keeps its history under a read
/// lock for a whole prompt, and the prompt's own fields are its single user's). Writes in
/// helpers that only constructors and other unexported code reach do not count, nor do
/// those of functions that take the lock, which use it and forget it (a `Flush` that
/// clears the buffer after its unlock), nor appends, element writes or modifying calls.
fn written_lock_free(cx: &PackageCx<'_>, model: &Model, place: PlaceId, lock: PlaceId) -> bool {
    let Place::Field { owner, .. } = model.place(place) else {
        return false;
    };
    let owner = Some(*owner);
    // The function's own accesses and calls (found where the model records them, not by a
    // scan of every access of the package).
    let takes_lock = |f: racelens_model::FuncIx| {
        let func = model.func(f);
        func.calls.iter().any(|c| c.locks.mode(lock).is_some())
            || func
                .accesses
                .iter()
                .any(|&a| model.access(a).locks.mode(lock).is_some())
    };
    let reached_lock_free = |from: racelens_model::FuncIx| {
        let mut seen = vec![from];
        let mut next = 0;
        while next < seen.len() && seen.len() <= 64 {
            let f = seen[next];
            next += 1;
            if takes_lock(f) {
                continue;
            }
            let func = model.func(f);
            if func.recv == owner && func.exported {
                return true;
            }
            for &(caller, ci) in model.callers.get(&f).into_iter().flatten() {
                let outer = model.outermost(caller);
                if model.func(caller).calls[ci as usize].locks.is_empty()
                    && model.effective_entry(caller).is_empty()
                    && !seen.contains(&outer)
                {
                    seen.push(outer);
                }
            }
        }
        false
    };
    model.accesses.iter().any(|a| {
        a.place == place
            && a.kind == AccessKind::Write
            && lock_free(model, a)
            && is_receiver(cx, a.root)
            && reached_lock_free(model.outermost(a.func))
    })
}

/// Whether `lock` is write-locked by methods of its owner, and only by closing ones
/// (`close`, `Stop`, `Shutdown`): then the read lock only keeps the value from being closed underneath a user that
/// owns it, and guards no state against other readers (`database/sql`'s `Rows.closemu`).
fn close_guard(model: &Model, lock: PlaceId) -> bool {
    let writers = model
        .accesses
        .iter()
        .filter(|a| a.locks.mode(lock) == Some(LockMode::Write))
        .map(|a| model.outermost(a.func))
        .chain(
            model
                .funcs
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    f.calls
                        .iter()
                        .any(|c| c.locks.mode(lock) == Some(LockMode::Write))
                })
                .map(|(i, _)| model.outermost(racelens_model::FuncIx(i as u32))),
        );
    // Only the owner's own methods say what the lock is for.
    let owner = match model.place(lock) {
        Place::Field { owner, .. } => Some(*owner),
        Place::Var(_) => None,
    };
    let writers: Vec<_> = writers
        .filter(|&w| owner.is_none() || model.func(w).recv == owner)
        .collect();
    !writers.is_empty()
        && writers.into_iter().all(|w| {
            let name = model.func(w).short_name().to_ascii_lowercase();
            name.contains("close") || name.contains("stop") || name.contains("shutdown")
        })
}

/// The `X.RLock()` calls of each declared function asked about, found by one walk of it
/// rather than one per write (a long function with many lock sections would cost its size
/// squared).
#[derive(Default)]
struct RLockCalls {
    by_decl: HashMap<(usize, racelens_syntax::ast::DeclId), DeclRLocks>,
}

/// The `X.RLock()` calls of one declared function outside the literals it starts as
/// goroutines (which hold their own locks), in the order of a walk of its tree: the call,
/// its `X` and its start.
struct DeclRLocks {
    calls: Vec<(ExprId, ExprId, u32)>,
    /// Whether the file has no syntax errors and the calls are in the order of their starts:
    /// then the calls before an offset are those a walk that stops at that offset meets,
    /// found by a binary search. Otherwise `rlock_before` walks.
    by_start: bool,
    /// The calls by what their `X` names (see `lock_keys`), as indexes into `calls`, in
    /// order; made at the first question, so that a function of thousands of `RLock` calls
    /// asked about thousands of writes costs their sum, not their product.
    by_key: Option<HashMap<LockKey, Vec<usize>>>,
}

/// What the `X` of an `X.RLock()` call names, as `names_lock` tells a lock place by it: a
/// variable, a field of a type by name, or a value of a type embedding its mutex.
#[derive(PartialEq, Eq, Hash)]
enum LockKey {
    Var(racelens_semantic::DefId),
    Field(racelens_semantic::types::TypeId, Box<str>),
    Embedded(racelens_semantic::types::TypeId),
}

/// The keys an `X` of an `RLock` call answers to (`names_lock`, the other way round).
fn lock_keys(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    file: usize,
    x: ExprId,
) -> Vec<LockKey> {
    let f = cx.files[file].ast;
    let x = unparen(f, x);
    match &f[x].kind {
        ExprKind::Selector { x: base, sel } => vec![LockKey::Field(
            prog.deref_type(prog.type_of(pkg, file, *base)),
            f.ident_name(*sel).into(),
        )],
        kind => {
            let mut keys = vec![LockKey::Embedded(
                prog.deref_type(prog.type_of(pkg, file, x)),
            )];
            if let ExprKind::Ident(id) = kind {
                keys.extend(cx.scopes().binding(file, *id).map(LockKey::Var));
            }
            keys
        }
    }
}

/// The keys a lock place is named by.
fn place_keys(model: &Model, lock: PlaceId) -> Vec<LockKey> {
    match model.place(lock) {
        Place::Var(d) => vec![LockKey::Var(*d)],
        Place::Field { owner, name } => vec![
            LockKey::Field(*owner, name.clone()),
            LockKey::Embedded(*owner),
        ],
    }
}

impl RLockCalls {
    /// The last `X.RLock()` call of the declared function `decl` before offset `before`
    /// whose `X` is lock `lock`, and that `X` (`r.mu` of `r.mu.RLock()`).
    #[allow(clippy::too_many_arguments)]
    fn lock_before(
        &mut self,
        cx: &PackageCx<'_>,
        prog: &Program<'_>,
        pkg: PkgIdx,
        model: &Model,
        file: usize,
        decl: racelens_syntax::ast::DeclId,
        lock: PlaceId,
        before: u32,
    ) -> Option<(ExprId, ExprId)> {
        let rlocks = self
            .by_decl
            .entry((file, decl))
            .or_insert_with(|| rlock_calls(cx, model, file, decl));
        let rlock = if rlocks.by_start {
            let calls = &rlocks.calls;
            let by_key = rlocks.by_key.get_or_insert_with(|| {
                let mut by_key: HashMap<LockKey, Vec<usize>> = HashMap::new();
                for (i, &(_, x, _)) in calls.iter().enumerate() {
                    for k in lock_keys(cx, prog, pkg, file, x) {
                        by_key.entry(k).or_default().push(i);
                    }
                }
                by_key
            });
            place_keys(model, lock)
                .iter()
                .filter_map(|k| {
                    let list = by_key.get(k)?;
                    let end = list.partition_point(|&i| calls[i].2 < before);
                    end.checked_sub(1).map(|e| list[e])
                })
                .max()
                .map(|i| calls[i].0)?
        } else {
            rlock_before(cx, prog, pkg, model, file, decl, lock, before)?
        };
        let f = cx.files[file].ast;
        let ExprKind::Call { fun, .. } = f[rlock].kind else {
            return None;
        };
        let ExprKind::Selector { x: lock_x, .. } = f[unparen(f, fun)].kind else {
            return None;
        };
        Some((rlock, lock_x))
    }
}

/// The `X.RLock()` calls of the declared function `decl` (see [`DeclRLocks`]).
fn rlock_calls(
    cx: &PackageCx<'_>,
    model: &Model,
    file: usize,
    decl: racelens_syntax::ast::DeclId,
) -> DeclRLocks {
    let f = cx.files[file].ast;
    let mut calls = Vec::new();
    preorder(f, &[Node::Decl(decl)], |n| {
        let Node::Expr(e) = n else { return true };
        if runs_apart(model, file, f, e) {
            return false;
        }
        if let Some(x) = rlock_operand(f, e) {
            calls.push((e, x, f[e].span.start));
        }
        true
    });
    // Spans nest in a file without syntax errors: a node that starts before an offset lies
    // only inside nodes that do too, so a walk that stops at the offset meets it.
    let by_start = cx.files[file].clean && calls.windows(2).all(|w| w[0].2 <= w[1].2);
    DeclRLocks {
        calls,
        by_start,
        by_key: None,
    }
}

/// The last `X.RLock()` call of the declared function `decl` before offset `before` whose
/// `X` is lock `lock`, by a walk of the function (see `RLockCalls::lock_before`).
#[allow(clippy::too_many_arguments)]
fn rlock_before(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    model: &Model,
    file: usize,
    decl: racelens_syntax::ast::DeclId,
    lock: PlaceId,
    before: u32,
) -> Option<ExprId> {
    let f = cx.files[file].ast;
    let mut found = None;
    preorder(f, &[Node::Decl(decl)], |n| {
        if n.span(f).start >= before {
            return false;
        }
        let Node::Expr(e) = n else { return true };
        if runs_apart(model, file, f, e) {
            return false;
        }
        if rlock_operand(f, e).is_some_and(|x| names_lock(cx, prog, pkg, model, file, x, lock)) {
            found = Some(e);
        }
        true
    });
    found
}

/// Whether `e` is a function literal started as a goroutine (or a concurrent callback): it
/// holds its own locks.
fn runs_apart(model: &Model, file: usize, f: &racelens_syntax::File, e: ExprId) -> bool {
    matches!(f[e].kind, ExprKind::FuncLit { .. })
        && model
            .func_of(file as u32, FuncRef::Lit(e))
            .is_some_and(|ix| !matches!(model.func(ix).how, racelens_model::Invocation::Inline))
}

/// Call `e` as `X.RLock()`: its `X`.
fn rlock_operand(f: &racelens_syntax::File, e: ExprId) -> Option<ExprId> {
    let ExprKind::Call { fun, args, .. } = &f[e].kind else {
        return None;
    };
    let ExprKind::Selector { x, sel } = f[unparen(f, *fun)].kind else {
        return None;
    };
    (args.is_empty() && f.ident_name(sel) == "RLock").then_some(x)
}

/// Whether expression `x` (the operand of `RLock`) denotes lock place `lock`.
fn names_lock(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    model: &Model,
    file: usize,
    x: ExprId,
    lock: PlaceId,
) -> bool {
    let f = cx.files[file].ast;
    let x = unparen(f, x);
    match (model.place(lock), &f[x].kind) {
        (Place::Var(d), ExprKind::Ident(id)) => cx.scopes().binding(file, *id) == Some(*d),
        (Place::Field { owner, name }, ExprKind::Selector { x: base, sel }) => {
            f.ident_name(*sel) == &**name
                && prog.deref_type(prog.type_of(pkg, file, *base)) == *owner
        }
        // An embedded mutex: `c.RLock()`.
        (Place::Field { owner, .. }, _) => prog.deref_type(prog.type_of(pkg, file, x)) == *owner,
        _ => false,
    }
}
