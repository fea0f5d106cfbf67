//! `locked-helper-without-lock`: a goroutine that calls a function whose name or comment
//! says its caller holds a lock (`installLocked`, "r.mu must be held") without holding any.

use crate::model_facts::{lock_contract, LockContract};
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_model::{FuncIx, LockSet, Model, Place};
use racelens_semantic::scope::{FxMap as HashMap, FxSet as HashSet};
use racelens_semantic::FuncRef;
use racelens_syntax::ast::{ExprId, ExprKind, Span, StmtKind};
use racelens_syntax::token::TokenKind;

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "locked-helper-without-lock",
        category: Category::Correctness,
        summary:
            "A goroutine calls a function that requires its caller to hold a lock, holding none.",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.3.0",
    needs_types: true,
    run: Some(run),
};

const DOCS: &str = r#"## What it does

Reports a call, made by a goroutine while it holds no lock, of a function of the package
whose name says its caller holds a lock (`installLocked`, `flush_locked`, `readNoLock`, by
Go's convention) or whose doc comment says a lock must be held ("r.mu must be held", "must
be called with the lock held", "caller must hold mu"), when some other call in the package
keeps that contract: it holds a lock of the helper's type (any lock, for a function that
is not a method). A goroutine starts with no lock held, so what it calls before it takes
one runs unguarded. Goroutines are those of `go`
statements, `errgroup.Group.Go`, `sync.WaitGroup.Go` and `time.AfterFunc`: the function
they run and the function literals it runs in place; a goroutine started on such a
function directly (`go s.flushLocked()`) is reported at its start. A call through a
function field (`b.onTick()`) is a call of what the package stores in that field: when
every value stored in a field of that name is a method value of a helper with the contract
(`b.onTick = b.flushLocked`), the call is reported.

It also reports such a call made by an exported method of the helper's type, holding no
lock, after the method held one of the type's locks and released it (a `Set` that unlocks
early to run callbacks, then asks `usedLocked()`): the type's mutex says its methods are
called concurrently.

## Why is this bad?

The helper reads and writes the state its lock guards without taking the lock, trusting
its callers to hold it. Called from a goroutine that holds nothing, its accesses race with
every other method that takes the lock for the same state: a data race the helper's name
was meant to prevent, easy to miss in review because the helper itself looks right.

## Example

```go
package p

import (
	"sync"
	"time"
)

type Reloader struct {
	mu      sync.Mutex
	current map[string]string
}

// installLocked makes cfg the active configuration.
func (r *Reloader) installLocked(cfg map[string]string) {
	r.current = cfg
}

func (r *Reloader) Reload(cfg map[string]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.installLocked(cfg)
}

func (r *Reloader) Watch(load func() map[string]string) {
	go func() {
		for range time.Tick(time.Second) {
			r.installLocked(load())
		}
	}()
}
```

## Use instead

```go
package p

import (
	"sync"
	"time"
)

type Reloader struct {
	mu      sync.Mutex
	current map[string]string
}

// installLocked makes cfg the active configuration.
func (r *Reloader) installLocked(cfg map[string]string) {
	r.current = cfg
}

func (r *Reloader) Reload(cfg map[string]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.installLocked(cfg)
}

func (r *Reloader) Watch(load func() map[string]string) {
	go func() {
		for range time.Tick(time.Second) {
			cfg := load()
			r.mu.Lock()
			r.installLocked(cfg)
			r.mu.Unlock()
		}
	}()
}
```

## Known limitations

- Only the goroutine's own function and the function literals it runs in place are looked
  at, not the functions it calls (a helper of the goroutine may be called with the lock
  held elsewhere), and only calls the model resolves: not through an interface or a
  function value. A function field is followed by its name, through what the package's
  non-test files assign to fields of that name with `=` (not in composite literals): any
  stored value that is not a method value of the package (a literal, a function, a method
  of another package) leaves the field alone, and a method value stands for every method
  of that name in the package, whatever its type. The lock held at such a call is only
  the text's: any `Lock(` or `lock(` before it in the goroutine's function silences it.
- Any lock held at the call counts, whichever it is: the check does not know which lock
  the helper wants. A goroutine whose text takes any lock (`Lock()`, `RLock()`) before the
  call is left alone, even where the model does not see the lock held at the call (a lock
  taken under a flag, through a closure or on a type of the project's own).
- Names ending in `Locked` are taken as the contract except predicates and their
  opposites (`isLocked`, `wasLocked`, `unlocked`); comments must say that a lock is held
  ("must be held", "must hold", "caller holds", "with the lock held"), not only that the
  function is unsafe for concurrent use. A helper that locks something itself is no
  contract.
- A helper is reported only where the package keeps its contract elsewhere, with a lock of
  the helper's own type held at another call: callers that hold another value's lock ("the
  account lock should be held", a method of the export called under the account's lock)
  may call it without that lock where the other value does not exist, and a contract
  nothing keeps is not trusted.
- Calls in test files are reported like any others.
- Of methods, only exported methods of the helper's own type are looked at, and only calls
  after the method held a lock of that type (by position: an earlier access or call made
  holding it) with no `.Lock(` or `.RLock(` in the text between (a lock released and taken
  again in a branch), of helpers of the same type: a method that never takes the lock
  (`Peek() { return b.usedLocked() }`) may be documented as needing its caller to hold it,
  and unexported methods may be called with the lock held.
"#;

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    // The model is built for packages that lock anyway (`unguarded-field-access`); the
    // goroutine pass needs a goroutine start too.
    if !crate::gates::may_lock(cx) {
        return;
    }
    let goroutines = crate::gates::may_start_goroutines(cx);
    let Some(model) = cx.model() else {
        return;
    };
    // The contract of each function asked about, found once.
    let mut contracts: HashMap<FuncIx, Option<LockContract>> = HashMap::default();
    // The calls of each function of the package, with the locks held at each: gathered
    // when a helper with a contract first needs them.
    let mut held_at_calls: Option<HashMap<FuncIx, Vec<LockSet>>> = None;
    let mut contract = |f: FuncIx| {
        *contracts.entry(f).or_insert_with(|| {
            let func = model.func(f);
            let how = match func.func {
                FuncRef::Decl(d) => lock_contract(cx.files[func.file as usize].ast, d),
                FuncRef::Lit(_) => None,
            }?;
            // The package keeps the contract somewhere: a call holding a lock of the
            // helper's own type (of any lock, for a function that is not a method). A
            // helper whose callers hold another value's lock ("the account lock should be
            // held") may be called without it where that value does not exist.
            let held_at_calls = held_at_calls.get_or_insert_with(|| calls_by_callee(model));
            let kept = held_at_calls.get(&f).is_some_and(|sets| {
                sets.iter().any(|l| {
                    l.iter().any(|(p, _)| match (model.place(p), func.recv) {
                        (Place::Field { owner, .. }, Some(r)) => *owner == r,
                        (_, None) => true,
                        _ => false,
                    })
                })
            });
            kept.then_some(how)
        })
    };
    let mut reported: HashSet<(u32, u32)> = HashSet::default();
    let mut fields: Option<HashMap<&str, Option<Vec<FuncIx>>>> = None;
    // The helpers a goroutine calls holding no lock, and where.
    let mut hits: Vec<(FuncIx, LockContract, Span)> = Vec::new();
    for spawn in model.spawns.iter().filter(|_| goroutines) {
        for &t in &spawn.targets {
            if let Some(how) = contract(t) {
                let file = model.func(spawn.func).file;
                if reported.insert((file, spawn.span.start)) {
                    out.push(diagnostic(
                        cx,
                        model,
                        t,
                        how,
                        file,
                        spawn.span,
                        Caller::Started,
                    ));
                }
                continue;
            }
            let tf = model.func(t);
            let text = cx.text(tf.file as usize, tf.span);
            for g in model.with_inline(t) {
                if !model.effective_entry(g).is_empty() {
                    continue;
                }
                for c in &model.func(g).calls {
                    if !c.locks.is_empty() {
                        continue;
                    }
                    let Some((callee, how)) = c
                        .callees
                        .iter()
                        .find_map(|&f| contract(f).map(|how| (f, how)))
                    else {
                        continue;
                    };
                    hits.push((callee, how, c.span));
                }
                // Calls through a function field (`b.onTick()`), which the model does not
                // resolve: they call what the package stores in the field, and every
                // method value stored there must have the contract.
                let fields = fields.get_or_insert_with(|| stored_methods(cx, model));
                if fields.values().any(|v| v.is_some()) {
                    let gf = model.func(g);
                    let f = cx.files[gf.file as usize].ast;
                    for call in field_calls(f, gf.func) {
                        let Some(Some(stored)) = field_called(f, call).and_then(|n| fields.get(n))
                        else {
                            continue;
                        };
                        let all: Option<Vec<_>> = stored
                            .iter()
                            .map(|&m| contract(m).map(|how| (m, how)))
                            .collect();
                        if let Some(&(callee, how)) = all.as_deref().and_then(|a| a.first()) {
                            hits.push((callee, how, f[call].span));
                        }
                    }
                }
                for (callee, how, span) in hits.drain(..) {
                    // Any lock the goroutine takes before the call, whether or not the
                    // model sees it held there.
                    let cut = span.start.saturating_sub(tf.span.start) as usize;
                    let before = text.get(..cut).unwrap_or(text);
                    if before.contains("Lock(") || before.contains("lock(") {
                        continue;
                    }
                    if reported.insert((tf.file, span.start)) {
                        out.push(diagnostic(
                            cx,
                            model,
                            callee,
                            how,
                            tf.file,
                            span,
                            Caller::Goroutine(model.func(spawn.func).file, spawn.span),
                        ));
                    }
                }
            }
        }
    }
    // Exported methods of a type that release one of its locks and then call a helper of
    // the type with the contract, holding nothing: whoever calls the method runs alongside
    // the type's other users (its mutex says it is shared).
    for (i, func) in model.funcs.iter().enumerate() {
        let (Some(recv), true, FuncRef::Decl(_)) = (func.recv, func.exported, func.func) else {
            continue;
        };
        let m = FuncIx(i as u32);
        let own_lock = |l: &LockSet| {
            l.iter().any(
                |(p, _)| matches!(model.place(p), Place::Field { owner, .. } if *owner == recv),
            )
        };
        // Where the method holds a lock of its type: its accesses' and calls' offsets.
        let mut held: Vec<Span> = Vec::new();
        for g in model.with_inline(m) {
            let gf = model.func(g);
            held.extend(
                gf.accesses
                    .iter()
                    .map(|&a| model.access(a))
                    .filter(|a| own_lock(&a.locks))
                    .map(|a| a.span),
            );
            held.extend(
                gf.calls
                    .iter()
                    .filter(|c| own_lock(&c.locks))
                    .map(|c| c.span),
            );
        }
        if held.is_empty() {
            continue;
        }
        for g in model.with_inline(m) {
            if !model.effective_entry(g).is_empty() {
                continue;
            }
            for c in &model.func(g).calls {
                if !c.locks.is_empty() {
                    continue;
                }
                let Some((callee, how)) = c.callees.iter().find_map(|&f| {
                    (model.func(f).recv == Some(recv))
                        .then(|| contract(f).map(|how| (f, how)))
                        .flatten()
                }) else {
                    continue;
                };
                let Some(&last) = held
                    .iter()
                    .filter(|h| h.end <= c.span.start)
                    .max_by_key(|h| h.end)
                else {
                    continue;
                };
                // A lock taken again between the two (`mu.Unlock(); d.Close(); mu.Lock()`
                // in a branch), whether or not the model sees it held at the call.
                let between = cx.text(func.file as usize, Span::new(last.end, c.span.start));
                if between.contains(".Lock(") || between.contains(".RLock(") {
                    continue;
                }
                if reported.insert((func.file, c.span.start)) {
                    out.push(diagnostic(
                        cx,
                        model,
                        callee,
                        how,
                        func.file,
                        c.span,
                        Caller::Method(func.short_name().to_string(), func.file, last),
                    ));
                }
            }
        }
    }
}

/// The calls in function `func`'s own body (not in the function literals it holds) whose
/// function is a selector: the candidates for a call through a function field.
fn field_calls(f: &racelens_syntax::File, func: FuncRef) -> Vec<ExprId> {
    use racelens_syntax::walk::{preorder, Node};
    let start = match func {
        FuncRef::Decl(d) => match f[d].kind {
            racelens_syntax::ast::DeclKind::Func { body: Some(b), .. } => Node::Stmt(b),
            _ => return Vec::new(),
        },
        FuncRef::Lit(e) => match f[e].kind {
            ExprKind::FuncLit { body, .. } => Node::Stmt(body),
            _ => return Vec::new(),
        },
    };
    let mut out = Vec::new();
    preorder(f, &[start], |n| match n {
        Node::Expr(e) => match f[e].kind {
            ExprKind::FuncLit { .. } => false,
            ExprKind::Call { fun, .. } => {
                if matches!(f[f.unparen(fun)].kind, ExprKind::Selector { .. }) {
                    out.push(e);
                }
                true
            }
            _ => true,
        },
        _ => true,
    });
    out
}

/// The field a call goes through (`onTick` of `b.onTick()`).
fn field_called(f: &racelens_syntax::File, call: ExprId) -> Option<&str> {
    let ExprKind::Call { fun, .. } = f[call].kind else {
        return None;
    };
    match f[f.unparen(fun)].kind {
        ExprKind::Selector { sel, .. } => Some(f.ident_name(sel)),
        _ => None,
    }
}

/// What the package's non-test files store in fields by name (`b.onTick = b.flushLocked`):
/// the methods of the package stored as method values (every method of the package with
/// that name, of whichever type), or `None` for a field that is also given anything else (a
/// literal, a function, another package's method).
fn stored_methods<'a>(cx: &PackageCx<'a>, model: &Model) -> HashMap<&'a str, Option<Vec<FuncIx>>> {
    let mut methods: HashMap<&str, Vec<FuncIx>> = HashMap::default();
    for (i, func) in model.funcs.iter().enumerate() {
        if func.recv.is_some() && matches!(func.func, FuncRef::Decl(_)) {
            methods
                .entry(func.short_name())
                .or_default()
                .push(FuncIx(i as u32));
        }
    }
    let mut out: HashMap<&'a str, Option<Vec<FuncIx>>> = HashMap::default();
    for fcx in cx.files.iter() {
        if crate::model_facts::is_test_code(fcx.path) {
            continue;
        }
        let f = fcx.ast;
        for st in f.stmts.iter() {
            let StmtKind::Assign { lhs, rhs, tok, .. } = &st.kind else {
                continue;
            };
            if *tok != TokenKind::Assign || f[*lhs].len() != f[*rhs].len() {
                continue;
            }
            for (&l, &r) in f[*lhs].iter().zip(f[*rhs].iter()) {
                let ExprKind::Selector { sel: field, .. } = f[f.unparen(l)].kind else {
                    continue;
                };
                let name = f.ident_name(field);
                // The methods of that name, of whichever type: each must keep the contract.
                let method = match f[f.unparen(r)].kind {
                    ExprKind::Selector { sel, .. } => methods.get(f.ident_name(sel)),
                    _ => None,
                };
                let slot = out.entry(name).or_insert_with(|| Some(Vec::new()));
                match (method, slot.as_mut()) {
                    (Some(ms), Some(v)) => {
                        for &m in ms {
                            if !v.contains(&m) {
                                v.push(m)
                            }
                        }
                    }
                    _ => *slot = None,
                }
            }
        }
    }
    out
}

/// The locks held at each call of each function of the package, by callee.
fn calls_by_callee(model: &Model) -> HashMap<FuncIx, Vec<LockSet>> {
    let mut out: HashMap<FuncIx, Vec<LockSet>> = HashMap::default();
    for (i, f) in model.funcs.iter().enumerate() {
        if f.calls.is_empty() {
            continue;
        }
        let entry = model.effective_entry(FuncIx(i as u32));
        for c in &f.calls {
            for &callee in &c.callees {
                out.entry(callee).or_default().push(c.locks.union(&entry));
            }
        }
    }
    out
}

/// The report of a call (or goroutine start) at `span` of file `file` of helper `callee`
/// holding no lock; `start` is the goroutine's start (its file and span) when the call is
/// made inside it.
/// Who makes a reported call of a helper.
enum Caller {
    /// A goroutine started there (file, span of the start) calls it holding no lock.
    Goroutine(u32, Span),
    /// It is started as a goroutine itself.
    Started,
    /// An exported method of its type (by name), after it held and released one of the
    /// type's locks (file, span of the last access or call holding it).
    Method(String, u32, Span),
}

fn diagnostic(
    cx: &PackageCx<'_>,
    model: &Model,
    callee: FuncIx,
    how: LockContract,
    file: u32,
    span: Span,
    caller: Caller,
) -> Diagnostic {
    let f = model.func(callee);
    let fi = file as usize;
    let text = cx.text(fi, span);
    let called = match caller {
        Caller::Started => f.short_name(),
        // The callee as written at the call: `r.installLocked` of `r.installLocked(cfg)`.
        _ => text.split_once('(').map_or(text, |(c, _)| c).trim(),
    };
    let says = match how {
        LockContract::Name => "its name says so",
        LockContract::Comment => "its comment says so",
    };
    let message = match &caller {
        Caller::Goroutine(..) => format!(
            "`{called}` expects its caller to hold a lock ({says}), but this goroutine holds none here"
        ),
        Caller::Started => format!(
            "`{called}` expects its caller to hold a lock ({says}), but it is started as a goroutine, which holds none"
        ),
        Caller::Method(m, ..) => format!(
            "`{called}` expects its caller to hold a lock ({says}), but `{m}` released it before this call"
        ),
    };
    let mut d = Diagnostic::new(
        CHECK.info.name,
        CHECK.info.category,
        message,
        cx.location(fi, span),
    )
    .with_related(
        format!("`{}` declared here", f.short_name()),
        cx.location(f.file as usize, Span::new(f.span.start, f.span.start)),
    );
    match caller {
        Caller::Goroutine(sf, s) => {
            d = d.with_related("goroutine started here", cx.location(sf as usize, s));
        }
        Caller::Method(_, mf, m) => {
            d = d.with_related("the lock was last held here", cx.location(mf as usize, m));
        }
        Caller::Started => {}
    }
    d.with_help("take the lock around the call, or call a variant that takes it itself")
}
