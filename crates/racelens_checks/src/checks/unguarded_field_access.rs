//! `unguarded-field-access`: a field that a type's methods write while holding one of the
//! type's mutexes, read or written by another method of the type without any of them.

use crate::model_facts::{documents_held_lock, receiver_def, runs_under_once, SpanIndex};
use crate::syntactic::unparen;
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_model::{AccessIx, FuncIx, Invocation, LockMode, Model, Place, PlaceId};
use racelens_semantic::types::TypeId;
use racelens_semantic::FuncRef;
use racelens_syntax::ast::ExprKind;
use std::collections::{HashMap, HashSet};

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "unguarded-field-access",
        category: Category::Correctness,
        summary: "A field written under a mutex of its type is accessed elsewhere without it.",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.2.0",
    run: Some(run),
};

const DOCS: &str = r#"## What it does

Finds fields that the methods of a type write while holding one of the type's own mutexes
(`c.mu.Lock()`), and reports the methods of the same type that read or write such a field
without holding that mutex. A method is looked at as callers see it: exported methods, and
methods or function literals the type starts as goroutines. Accesses in unexported helpers
count with the locks every caller holds when calling them.

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

- Only fields of the receiver are reported (`c.value` in a method of `c`'s type), and only
  when a write holds a mutex that is a field of the same type; a field guarded by a lock of
  another value (a parent's mutex) is not followed.
- Functions that are not methods of the type (constructors, functions taking a `*T`) are not
  looked at: the value they build is usually not shared yet.
- Unexported methods are looked at only through their callers (or when started as
  goroutines); a method called through an interface is not followed.
- Methods whose name ends in `Locked` or whose doc comment says the caller holds the lock
  are taken at their word.
- Accesses inside `sync.Once.Do` and through `sync/atomic` are not reported.
- Fields are abstracted by type: a write under the lock of one value is taken as evidence
  for every value of the type.
"#;

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(model) = cx.model() else {
        return;
    };
    let Some((prog, pkg)) = cx.types() else {
        return;
    };
    // The locks of each owner type that its fields are written under.
    let mut guards: HashMap<PlaceId, Vec<(AccessIx, PlaceId)>> = HashMap::new();
    for (i, a) in model.accesses.iter().enumerate() {
        if !a.kind.is_write() || a.kind.is_atomic() {
            continue;
        }
        let Place::Field { owner, .. } = model.place(a.place) else {
            continue;
        };
        let held = a.locks.union(&model.effective_entry(a.func));
        for (l, mode) in held.iter() {
            if mode == LockMode::Write && lock_owner(model, l) == Some(*owner) {
                guards
                    .entry(a.place)
                    .or_default()
                    .push((AccessIx(i as u32), l));
            }
        }
    }
    if guards.is_empty() {
        return;
    }
    let owners: HashSet<TypeId> = guards
        .keys()
        .filter_map(|&p| match model.place(p) {
            Place::Field { owner, .. } => Some(*owner),
            _ => None,
        })
        .collect();
    let mut index: HashMap<usize, SpanIndex> = HashMap::new();
    let mut reported: HashSet<(PlaceId, FuncIx)> = HashSet::new();
    for root in roots(cx, model, &owners) {
        for fl in model.runs(root) {
            let acc = model.access(fl.access);
            let Some(gs) = guards.get(&acc.place) else {
                continue;
            };
            if acc.kind.is_atomic() {
                continue;
            }
            let Place::Field { owner, name } = model.place(acc.place) else {
                continue;
            };
            // Any lock of the owner type held (in any mode) is taken as the guard: a write
            // under a read lock is another check's business.
            if fl
                .locks
                .iter()
                .any(|(l, _)| lock_owner(model, l) == Some(*owner))
            {
                continue;
            }
            let home = model.outermost(acc.func);
            if reported.contains(&(acc.place, home)) {
                continue;
            }
            let hf = model.func(home);
            let FuncRef::Decl(decl) = hf.func else {
                continue;
            };
            if hf.recv != Some(*owner) {
                continue;
            }
            let file = hf.file as usize;
            let f = cx.files[file].ast;
            if documents_held_lock(f, decl) {
                continue;
            }
            let idx = index.entry(file).or_insert_with(|| SpanIndex::new(f));
            let Some((sel_e, x, _)) = idx.selector(f, acc.span) else {
                continue;
            };
            let ExprKind::Ident(xid) = f[unparen(f, x)].kind else {
                continue;
            };
            if cx.scopes.binding(file, xid).is_none()
                || cx.scopes.binding(file, xid) != receiver_def(cx, file, decl)
            {
                continue;
            }
            if runs_under_once(cx, &prog, pkg, model, acc.func) {
                continue;
            }
            reported.insert((acc.place, home));
            let (gacc, glock) = gs[0];
            let g = model.access(gacc);
            let gfile = model.access_file(gacc) as usize;
            let gf = cx.files[gfile].ast;
            let lock_name = match model.place(glock) {
                Place::Field { name, .. } => name.to_string(),
                _ => continue,
            };
            let recv_text = cx.text(file, f[x].span);
            let gidx = index.entry(gfile).or_insert_with(|| SpanIndex::new(gf));
            let grecv = gidx
                .selector(gf, g.span)
                .map(|(_, gx, _)| cx.text(gfile, gf[gx].span).to_string())
                .unwrap_or_else(|| recv_text.to_string());
            let field = format!("{recv_text}.{name}");
            let verb = if acc.kind.is_write() {
                "written"
            } else {
                "read"
            };
            let mut d = Diagnostic::new(
                CHECK.info.name,
                CHECK.info.category,
                format!(
                    "`{field}` is {verb} without holding `{recv_text}.{lock_name}`, which guards its writes elsewhere"
                ),
                cx.location(file, f[sel_e].span),
            )
            .with_related(
                format!("written with `{grecv}.{lock_name}` held here"),
                cx.location(gfile, g.span),
            );
            if let Some(via) = fl.via {
                let rf = model.func(root).file as usize;
                d = d.with_related(
                    format!("reached without the lock from `{}` here", model.func(root).name),
                    cx.location(rf, via),
                );
            }
            out.push(d.with_help(format!(
                "hold `{recv_text}.{lock_name}` while accessing `{field}`, or make the field a `sync/atomic` type"
            )));
        }
    }
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
            _ => {}
        }
    }
    for s in &model.spawns {
        for &t in &s.targets {
            let func = model.func(t);
            if func.how == Invocation::Decl
                && !func.exported
                && func.recv.is_some_and(|r| owners.contains(&r))
            {
                out.push(t);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}
