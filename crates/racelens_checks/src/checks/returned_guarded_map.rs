//! `returned-guarded-map`: an exported method that returns a map field while holding the
//! mutex that guards the map's writes (`f.mu.RLock(); defer f.mu.RUnlock(); return f.m`):
//! the caller gets the map itself and reads it after the unlock, while other calls write it
//! under the lock.

use crate::access::calls_method;
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_model::{AccessIx, AccessKind, LockMode, Model, Place, PlaceId};
use racelens_syntax::ast::StmtKind;
use racelens_syntax::walk::Node;
use std::collections::HashMap;

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "returned-guarded-map",
        category: Category::Correctness,
        summary: "A method returns a map its mutex guards: callers read it after the unlock while others write it.",
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
(`f.m[k] = v`, `delete(f.m, k)`) holding the same mutex in write mode.

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
  only entry writes made with the mutex held count. Slices are left out: writers that
  only append never change what a returned slice's length covers.
- Unexported methods are left out: the package may call them only once no writer runs (a
  report assembled after the work is done).
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
    for (i, a) in model.accesses.iter().enumerate() {
        if a.kind != AccessKind::MapWrite {
            continue;
        }
        let Place::Field { owner, .. } = model.place(a.place) else {
            continue;
        };
        let held = a.locks.union(&model.effective_entry(a.func));
        for (l, mode) in held.iter() {
            if mode == LockMode::Write && lock_of(model, l, *owner) {
                written
                    .entry(a.place)
                    .or_default()
                    .push((AccessIx(i as u32), l));
            }
        }
    }
    if written.is_empty() {
        return;
    }
    for a in &model.accesses {
        if a.kind != AccessKind::Read || !crate::model_facts::is_receiver(cx, a.root) {
            continue;
        }
        // The map itself, or a struct field holding it (`return r.stats`, whose copy shares
        // `r.stats.ByCode`): the written map with the path below the returned field.
        let (writes, inner) = match written.get(&a.place) {
            Some(w) => (w, None),
            None => match inner_map(model, &written, a.place) {
                Some((w, rest)) => (w, Some(rest)),
                None => continue,
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
                format!("`{writer}` writes the map here, holding `{lock_text}`"),
                cx.location(wfile, wacc.span),
            )
            .with_help(help),
        );
    }
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
