//! `returned-guarded-map`: an exported method that returns a map field while holding the
//! mutex that guards the map's writes (`f.mu.RLock(); defer f.mu.RUnlock(); return f.m`):
//! the caller gets the map itself and reads it after the unlock, while other calls write it
//! under the lock. Also callers appending to a slice such a method returns, which the
//! type's methods grow in place under the lock, and slices truncated in place after their
//! function handed their entries out.

use crate::access::calls_method;
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_model::{AccessIx, AccessKind, LockMode, Model, Place, PlaceId};
use racelens_semantic::types::Type;
use racelens_syntax::ast::{DeclId, ExprId, ExprKind, StmtKind};
use racelens_syntax::token::TokenKind;
use racelens_syntax::walk::Node;
use std::collections::HashMap;

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "returned-guarded-map",
        category: Category::Correctness,
        summary: "A method returns a map or slice its mutex guards: callers read it after the unlock while others write it.",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.3.0",
    needs_types: true,
    run: Some(run),
};

const DOCS: &str = r#"## What it does

Reports a `return` of a map field of the receiver (`return f.m`), or of a struct-valued
field holding one (`return r.stats`, whose copy shares `r.stats.ByCode`), by an exported method,
made while holding a mutex of the type, when some method writes entries of that map
(`f.m[k] = v`, `delete(f.m, k)`) holding the same mutex in write mode. The same for a slice
field whose elements some method writes in place holding the mutex in write mode
(`r.archived[i] = dst`, `copy(r.buf, b)`, `sort.Strings(r.names)`): the caller reads the very
array the method then rewrites.

It also reports a call of the package that appends to the slice such a method returns
(`append(reg.Handlers(topic), audit)`), when the method returns a slice field or a map's
slice element with the lock held (`return r.handlers[topic]`) and some method appends to
that slice in place holding the lock in write mode (`r.handlers[topic] =
append(r.handlers[topic], h)`): the caller's append writes into the spare capacity of the
shared array, which the next in-place append under the lock writes too.

And it reports a slice field truncated in place holding a lock (`w.pending =
w.pending[:0]`, to keep its array) right after its function copied it into a local
(`batch := w.pending`) that it then hands out: returns it, starts a goroutine with it, or
sends it on a channel. When some method appends to the field in place holding a lock
(`w.pending = append(w.pending, p)`), the next append writes the very array the holder of
`batch` still reads, after the unlock.

## Why is this bad?

The lock guards the field while the method runs, not the map it hands out: a map is a
reference, so the caller reads the very map that other goroutines then write under the
lock, with no lock of its own. That is a data race, and a map read concurrently with a
write can make the runtime abort with `concurrent map read and map write`.

## Example

```go
package p

import "sync"

type Flags struct {
	mu sync.RWMutex
	on map[string]bool
}

func (f *Flags) Set(name string, v bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.on[name] = v
}

func (f *Flags) All() map[string]bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.on
}
```

## Use instead

```go
package p

import "sync"

type Flags struct {
	mu sync.RWMutex
	on map[string]bool
}

func (f *Flags) Set(name string, v bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.on[name] = v
}

func (f *Flags) All() map[string]bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	out := make(map[string]bool, len(f.on))
	for k, v := range f.on {
		out[k] = v
	}
	return out
}
```

Return a copy (`maps.Clone` since Go 1.21), or offer methods that read one entry or range
over the entries under the lock.

## Known limitations

- Only a `return` one of whose results is the field itself is reported (`return f.on`,
  `return f.on, true`), or a struct-valued field whose copy shares the map (`return
  r.stats` when `r.stats.ByCode` is written under the lock), not a map reached through a
  local variable (`m := f.on; ...; return m`), a pointer, or stored elsewhere (in a struct
  the method builds, a channel, a callback).
- Maps whose writers replace them whole (`f.m = next`, copy-on-write) are not reported:
  only entry writes made with the mutex held count. Returned slices are reported where
  elements are written in place, or where a caller appends to them: writers that only
  append never change what a returned slice's length covers, so reading one is safe. An
  element write that fills a slice its function has just assigned a new one (`r.nonce =
  make([]byte, n); copy(r.nonce, b)`) does not count: nobody holds the new array yet. An
  array field is returned as a copy and never reported.
- The append must take the method's call itself as its first argument (`append(r.All(),
  x)`), in the same package: not a variable holding the result, nor a caller in another
  package. The in-place append must be `P = append(P, ...)` with the same path on both
  sides, as written; a slice replaced by a grown copy (`r.items = append(next, v)`) is
  left out, as is one whose capacity the method clips (`s[:len(s):len(s)]`) before
  returning it, since the result is then not the field itself.
- Unexported methods are left out: the package may call them only once no writer runs (a
  report assembled after the work is done). Not for the truncation: its function is
  reported whatever its name.
- A truncation is reported only as `P = P[:0]` (or `P[0:0]`), as written, in the statement
  list where an earlier statement copies `P` into a new local (`batch := P`), and only when
  the function's later code returns the local, passes it to a `go` statement's call or sends
  it; a local handed out otherwise (stored in a field, passed to a call that keeps it) is
  not followed.
- The mutex must be a field of the same type as the map's owner (`f.mu` for `f.on`), held
  at the `return` (also through `defer`, or by every caller of an unexported helper).
"#;

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    if !calls_method(cx, &["Lock"], 0) {
        return;
    }
    let Some(model) = cx.model() else {
        return;
    };
    // Entry writes of map fields made holding a write lock of the map's owner type, by field.
    let mut written: HashMap<PlaceId, Vec<(AccessIx, PlaceId)>> = HashMap::new();
    // Element writes of slice (or array) fields made in place the same way (`r.archived[i] =
    // dst`, a sort), by field.
    let mut elems_written: HashMap<PlaceId, Vec<(AccessIx, PlaceId)>> = HashMap::new();
    for (i, a) in model.accesses.iter().enumerate() {
        let into = match a.kind {
            AccessKind::MapWrite => &mut written,
            AccessKind::ElemWrite if !fills_made(cx, model, AccessIx(i as u32)) => {
                &mut elems_written
            }
            _ => continue,
        };
        let Place::Field { owner, .. } = model.place(a.place) else {
            continue;
        };
        let held = a.locks.union(&model.effective_entry(a.func));
        for (l, mode) in held.iter() {
            if mode == LockMode::Write && lock_of(model, l, *owner) {
                into.entry(a.place)
                    .or_default()
                    .push((AccessIx(i as u32), l));
            }
        }
    }
    appended_returns(cx, model, out);
    truncated_handouts(cx, model, out);
    if written.is_empty() && elems_written.is_empty() {
        return;
    }
    for a in &model.accesses {
        if a.kind != AccessKind::Read || !crate::model_facts::is_receiver(cx, a.root) {
            continue;
        }
        // The map itself, or a struct field holding it (`return r.stats`, whose copy shares
        // `r.stats.ByCode`): the written map with the path below the returned field.
        // Or a slice whose elements are written in place.
        let mut slice = false;
        let (writes, inner) = match written.get(&a.place) {
            Some(w) => (w, None),
            None => match inner_map(model, &written, a.place) {
                Some((w, rest)) => (w, Some(rest)),
                None => match elems_written.get(&a.place) {
                    Some(w) => {
                        slice = true;
                        (w, None)
                    }
                    None => continue,
                },
            },
        };
        let held = a.locks.union(&model.effective_entry(a.func));
        let Some(&(_, lock)) = writes
            .iter()
            .find(|&&(_, l)| held.iter().any(|(h, _)| h == l))
        else {
            continue;
        };
        // An exported method, which callers may call at any time; the package may call an
        // unexported one only when no writer runs.
        let home = model.outermost(a.func);
        if !model.func(home).exported {
            continue;
        }
        let func = model.func(a.func);
        let file = func.file as usize;
        let f = cx.files[file].ast;
        // The access is a result of a `return`, as a whole.
        let Some(Node::Stmt(ret)) = cx.parents(file).parent(Node::Expr(a.expr)) else {
            continue;
        };
        if !matches!(f[ret].kind, StmtKind::Return { .. }) {
            continue;
        }
        // An array is returned as a copy.
        if slice
            && !cx.types().is_some_and(|(mut prog, pkg)| {
                let t = prog.type_of(pkg, file, a.expr);
                let u = prog.underlying(t);
                matches!(prog.types.get(u), Type::Slice(_))
            })
        {
            continue;
        }
        // The write shown: one by another function if there is one.
        let &(w, _) = writes
            .iter()
            .filter(|&&(_, l)| l == lock)
            .find(|&&(w, _)| model.outermost(model.access(w).func) != home)
            .unwrap_or(&writes[0]);
        let wacc = model.access(w);
        let wfile = model.func(wacc.func).file as usize;
        let writer = model.func(model.outermost(wacc.func)).short_name();
        let shown = cx.text(file, a.span);
        let lock_text = lock_text(model, lock, shown);
        let (message, help) = match inner {
            None if slice => (
                format!(
                    "`{shown}` is returned with `{lock_text}` held, but callers use the slice after the unlock while `{writer}` writes its elements under the lock"
                ),
                format!(
                    "return a copy of `{shown}` (`append([]T(nil), {shown}...)`), or read the elements the caller needs under the lock"
                ),
            ),
            None => (
                format!(
                    "`{shown}` is returned with `{lock_text}` held, but callers use the map after the unlock while `{writer}` writes it under the lock"
                ),
                format!(
                    "return a copy of `{shown}` (`maps.Clone`), or read the entries the caller needs under the lock"
                ),
            ),
            Some(rest) => (
                format!(
                    "`{shown}` is returned with `{lock_text}` held, but the copy shares the map `{shown}.{rest}`: callers use it after the unlock while `{writer}` writes it under the lock"
                ),
                format!(
                    "copy `{shown}.{rest}` into the returned value (`maps.Clone`), or read the entries the caller needs under the lock"
                ),
            ),
        };
        out.push(
            Diagnostic::new(
                CHECK.info.name,
                CHECK.info.category,
                message,
                cx.location(file, a.span),
            )
            .with_related(
                format!(
                    "`{writer}` writes the {} here, holding `{lock_text}`",
                    if slice { "elements" } else { "map" }
                ),
                cx.location(wfile, wacc.span),
            )
            .with_help(help),
        );
    }
}

/// Slices returned with the lock held (`return r.handlers[topic]`, `return r.all`) that a
/// method appends to in place under a write lock (`r.all = append(r.all, h)`), and the
/// calls of the package that append to what such a method returns (`append(reg.All(), h)`):
/// the caller's append writes the spare capacity of the shared array, which the next
/// in-place append under the lock writes too.
fn appended_returns(cx: &PackageCx<'_>, model: &Model, out: &mut Vec<Diagnostic>) {
    // The slices grown in place holding a write lock of their owner, by place: whether
    // through a map element (`m[k] = append(m[k], v)`), and the append.
    let mut grown: HashMap<PlaceId, (bool, AccessIx, PlaceId)> = HashMap::new();
    for (i, a) in model.accesses.iter().enumerate() {
        if !matches!(a.kind, AccessKind::Append | AccessKind::MapWrite) {
            continue;
        }
        let Place::Field { owner, .. } = model.place(a.place) else {
            continue;
        };
        let held = a.locks.union(&model.effective_entry(a.func));
        let Some((lock, _)) = held
            .iter()
            .find(|&(l, m)| m == LockMode::Write && lock_of(model, l, *owner))
        else {
            continue;
        };
        let file = model.func(a.func).file as usize;
        if let Some(indexed) = appends_in_place(cx, file, a.expr) {
            grown
                .entry(a.place)
                .or_insert((indexed, AccessIx(i as u32), lock));
        }
    }
    if grown.is_empty() {
        return;
    }
    // Exported methods returning such a slice with a lock of its owner held, by their
    // declaration: the return and the in-place append.
    let mut returning: HashMap<(usize, DeclId), (AccessIx, AccessIx, PlaceId)> = HashMap::new();
    for (i, a) in model.accesses.iter().enumerate() {
        if !matches!(a.kind, AccessKind::Read | AccessKind::MapRead)
            || !crate::model_facts::is_receiver(cx, a.root)
        {
            continue;
        }
        let Some(&(indexed, append, lock)) = grown.get(&a.place) else {
            continue;
        };
        let held = a.locks.union(&model.effective_entry(a.func));
        if held.mode(lock).is_none() {
            continue;
        }
        let home = model.outermost(a.func);
        let hf = model.func(home);
        let racelens_semantic::FuncRef::Decl(decl) = hf.func else {
            continue;
        };
        let file = hf.file as usize;
        let f = cx.files[file].ast;
        let e = f.unparen(a.expr);
        // The whole result (`return r.all`, `return r.handlers[topic]`), shaped as the
        // append's target.
        let ret = match f[e].kind {
            ExprKind::Index { .. } if indexed => cx.parents(file).parent(Node::Expr(e)),
            ExprKind::Selector { .. } if !indexed => cx.parents(file).parent(Node::Expr(e)),
            ExprKind::Selector { .. } => match cx.parents(file).parent(Node::Expr(e)) {
                Some(Node::Expr(ix)) if matches!(f[ix].kind, ExprKind::Index { .. }) => {
                    cx.parents(file).parent(Node::Expr(ix))
                }
                _ => None,
            },
            _ => None,
        };
        if hf.exported
            && matches!(ret, Some(Node::Stmt(r)) if matches!(f[r].kind, StmtKind::Return { .. }))
        {
            returning
                .entry((file, decl))
                .or_insert((AccessIx(i as u32), append, lock));
        }
    }
    if returning.is_empty() {
        return;
    }
    let Some((mut prog, pkg)) = cx.types() else {
        return;
    };
    for file in 0..cx.files.len() {
        let f = cx.files[file].ast;
        for e in f.exprs.iter() {
            let ExprKind::Call { fun, ref args, .. } = e.kind else {
                continue;
            };
            let Some(&first) = f[*args].first() else {
                continue;
            };
            let first = f.unparen(first);
            let ExprKind::Call { fun: inner, .. } = f[first].kind else {
                continue;
            };
            if crate::syntactic::builtin_name(cx, file, fun) != Some("append") {
                continue;
            }
            let Some((dfile, decl, _)) =
                crate::syntactic::called_decl(cx, &mut prog, pkg, file, inner)
            else {
                continue;
            };
            let Some(&(ret, append, lock)) = returning.get(&(dfile, decl)) else {
                continue;
            };
            let (racc, wacc) = (model.access(ret), model.access(append));
            let rfile = model.func(racc.func).file as usize;
            let wfile = model.func(wacc.func).file as usize;
            let shown = cx.text(file, f[first].span);
            let returned = cx.text(rfile, racc.span);
            let writer = model.func(model.outermost(wacc.func)).short_name();
            let lock_text = lock_text(model, lock, returned);
            out.push(
                Diagnostic::new(
                    CHECK.info.name,
                    CHECK.info.category,
                    format!(
                        "the slice `{shown}` returns is appended to: it shares its array with `{returned}`, whose spare capacity `{writer}` appends into holding `{lock_text}`"
                    ),
                    cx.location(file, e.span),
                )
                .with_related(
                    format!("`{returned}` returned here, holding `{lock_text}`"),
                    cx.location(rfile, racc.span),
                )
                .with_related(
                    format!("`{writer}` appends to it in place here"),
                    cx.location(wfile, wacc.span),
                )
                .with_help(format!(
                    "copy before appending (`append(slices.Clip({shown}), ...)`), or return a copy"
                )),
            );
        }
    }
}

/// Whether the write at `e` is the target of `P = append(P, ...)`, and whether `P` is a map
/// element (`m[k] = append(m[k], v)`); `None` for any other write.
fn appends_in_place(cx: &PackageCx<'_>, file: usize, e: ExprId) -> Option<bool> {
    let f = cx.files[file].ast;
    let parents = cx.parents(file);
    // Up from the written path to its assignment: `r.all` or `r.handlers` of
    // `r.handlers[topic]`.
    let mut target = f.unparen(e);
    let stmt = loop {
        match parents.parent(Node::Expr(target))? {
            Node::Expr(p)
                if matches!(f[p].kind, ExprKind::Index { .. } | ExprKind::Paren { .. }) =>
            {
                target = p
            }
            Node::Stmt(st) => break st,
            _ => return None,
        }
    };
    let StmtKind::Assign { lhs, rhs, tok, .. } = &f[stmt].kind else {
        return None;
    };
    if *tok != TokenKind::Assign || f[*lhs].len() != 1 || f[*rhs].len() != 1 {
        return None;
    }
    if f.unparen(f[*lhs][0]) != target {
        return None;
    }
    let ExprKind::Call { fun, ref args, .. } = f[f.unparen(f[*rhs][0])].kind else {
        return None;
    };
    if crate::syntactic::builtin_name(cx, file, fun) != Some("append") {
        return None;
    }
    let first = *f[*args].first()?;
    (crate::syntactic::squeezed(f, first) == crate::syntactic::squeezed(f, target))
        .then(|| matches!(f[target].kind, ExprKind::Index { .. }))
}

/// For a struct-valued field `place` (`(*Recorder).stats`): the guarded writes of a map
/// field below it (`stats.ByCode`, reached through struct values only, so shared by a copy)
/// and that map's path below `place` (`ByCode`). The first such map by place.
fn inner_map<'w>(
    model: &Model,
    written: &'w HashMap<PlaceId, Vec<(AccessIx, PlaceId)>>,
    place: PlaceId,
) -> Option<(&'w Vec<(AccessIx, PlaceId)>, String)> {
    let Place::Field { owner, name } = model.place(place) else {
        return None;
    };
    let prefix = format!("{name}.");
    written
        .iter()
        .filter_map(|(&p, w)| match model.place(p) {
            Place::Field { owner: o, name: n } if o == owner => n
                .strip_prefix(prefix.as_str())
                .map(|rest| (p, w, rest.to_string())),
            _ => None,
        })
        .min_by_key(|&(p, _, _)| p)
        .map(|(_, w, rest)| (w, rest))
}

/// Whether lock place `l` is a field of type `owner` (`f.mu` of the map's `f`).
fn lock_of(model: &Model, l: PlaceId, owner: racelens_semantic::types::TypeId) -> bool {
    matches!(model.place(l), Place::Field { owner: o, .. } if *o == owner)
}

/// The lock as the returning method writes it: the map's path with the lock field's name
/// in place of the map's (`f.mu` for `f.on`).
fn lock_text(model: &Model, lock: PlaceId, shown: &str) -> String {
    let Place::Field { name, .. } = model.place(lock) else {
        return "the lock".to_string();
    };
    match shown.rsplit_once('.') {
        Some((base, _)) => format!("{base}.{name}"),
        None => name.to_string(),
    }
}

/// A slice field truncated in place (`w.pending = w.pending[:0]`), holding a lock, right
/// after its function copied it into a local (`batch := w.pending`) that the function then
/// hands out (returns it, starts a goroutine with it, sends it), when some method appends to
/// the field in place holding a lock: the next append writes the very array the holder of
/// the local still reads.
fn truncated_handouts(cx: &PackageCx<'_>, model: &Model, out: &mut Vec<Diagnostic>) {
    let locked = |a: &racelens_model::Access| {
        !a.locks.is_empty() || !model.effective_entry(a.func).is_empty()
    };
    // The first in-place append made holding a lock, by field.
    let mut grown: HashMap<PlaceId, AccessIx> = HashMap::new();
    for (i, a) in model.accesses.iter().enumerate() {
        if a.kind == AccessKind::Append
            && matches!(model.place(a.place), Place::Field { .. })
            && locked(a)
        {
            grown.entry(a.place).or_insert(AccessIx(i as u32));
        }
    }
    if grown.is_empty() {
        return;
    }
    let zero = |f: &racelens_syntax::File, e: Option<ExprId>| {
        e.is_some_and(|e| {
            matches!(f[e].kind, ExprKind::BasicLit { .. }) && f.text(f[e].span) == "0"
        })
    };
    for a in &model.accesses {
        let Some(&append) = grown.get(&a.place) else {
            continue;
        };
        if a.kind != AccessKind::Write || !locked(a) {
            continue;
        }
        let file = model.func(a.func).file as usize;
        let f = cx.files[file].ast;
        let parents = cx.parents(file);
        let Some((st, TokenKind::Assign, value, 1)) =
            crate::model_facts::assignment_of(cx, file, a.expr)
        else {
            continue;
        };
        let field = cx.text(file, f[a.expr].span);
        let truncated = match f[crate::syntactic::unparen(f, value)].kind {
            ExprKind::Slice {
                x,
                low,
                high,
                max: None,
                ..
            } => {
                cx.text(file, f[x].span) == field
                    && (low.is_none() || zero(f, low))
                    && zero(f, high)
            }
            _ => false,
        };
        if !truncated {
            continue;
        }
        // The local the field was copied into just before, in the same statement list.
        let Some(Node::Stmt(block)) = parents.parent(Node::Stmt(st)) else {
            continue;
        };
        let list = match &f[block].kind {
            StmtKind::Block { list, .. } => list,
            StmtKind::CaseClause { body, .. } | StmtKind::CommClause { body, .. } => body,
            _ => continue,
        };
        let list = &f[list];
        let Some(at) = list.iter().position(|&x| x == st) else {
            continue;
        };
        let copied = list[..at]
            .iter()
            .rev()
            .find_map(|&prev| match &f[prev].kind {
                StmtKind::Assign {
                    lhs,
                    tok: TokenKind::Define,
                    rhs,
                    ..
                } if f[*lhs].len() == 1
                    && f[*rhs].len() == 1
                    && cx.text(file, f[crate::syntactic::unparen(f, f[*rhs][0])].span) == field =>
                {
                    match f[f[*lhs][0]].kind {
                        ExprKind::Ident(id) => cx.scopes().binding(file, id).map(|d| (d, id)),
                        _ => None,
                    }
                }
                _ => None,
            });
        let Some((local, id)) = copied else {
            continue;
        };
        // Where the function hands the local out, after the truncation.
        let is_local = |e: ExprId| match f[crate::syntactic::unparen(f, e)].kind {
            ExprKind::Ident(i) => cx.scopes().binding(file, i) == Some(local),
            _ => false,
        };
        let mut handed: Option<racelens_syntax::ast::Span> = None;
        let top = match model.func(model.outermost(a.func)).func {
            racelens_semantic::FuncRef::Decl(d) => Node::Decl(d),
            racelens_semantic::FuncRef::Lit(e) => Node::Expr(e),
        };
        racelens_syntax::walk::preorder(f, &[top], |n| {
            let Node::Stmt(x) = n else {
                return handed.is_none();
            };
            if f[x].span.start < f[st].span.end {
                return true;
            }
            let out = match &f[x].kind {
                StmtKind::Return { results } => f[*results].iter().any(|&r| is_local(r)),
                StmtKind::Send { value, .. } => is_local(*value),
                StmtKind::Go { call } => match &f[*call].kind {
                    ExprKind::Call { args, .. } => f[*args].iter().any(|&r| is_local(r)),
                    _ => false,
                },
                _ => false,
            };
            if out && handed.is_none() {
                handed = Some(f[x].span);
            }
            handed.is_none()
        });
        let Some(handed) = handed else {
            continue;
        };
        let name = f.ident_name(id);
        out.push(
            Diagnostic::new(
                CHECK.info.name,
                CHECK.info.category,
                format!(
                    "`{field}` is truncated in place after `{name}` was handed out: the next append to `{field}` overwrites the entries `{name}`'s holder still reads"
                ),
                cx.location(file, a.span),
            )
            .with_related("handed out here", cx.location(file, handed))
            .with_related(
                "appended in place here",
                crate::goroutine_race::location(cx, model, append),
            )
            .with_help(format!(
                "give `{field}` a new array (`{field} = nil`, or `make` with the old capacity) instead of reslicing it"
            )),
        );
    }
}

/// Whether element write `w` fills a slice its function assigned a new one earlier
/// (`c.nonce = make([]byte, n); copy(c.nonce, nonce[:])`): nobody holds that slice yet.
fn fills_made(cx: &PackageCx<'_>, model: &Model, w: AccessIx) -> bool {
    let wa = model.access(w);
    let func = model.func(wa.func);
    let file = func.file as usize;
    let f = cx.files[file].ast;
    func.accesses.iter().any(|&x| {
        let xa = model.access(x);
        if xa.place != wa.place || xa.kind != AccessKind::Write || xa.span.end > wa.span.start {
            return false;
        }
        let Some((_, _, r, _)) = crate::model_facts::assignment_of(cx, file, xa.expr) else {
            return false;
        };
        match &f[crate::syntactic::unparen(f, r)].kind {
            ExprKind::CompositeLit { .. } => true,
            ExprKind::Call { fun, .. } => crate::syntactic::is_builtin(cx, file, *fun, "make"),
            _ => false,
        }
    })
}
