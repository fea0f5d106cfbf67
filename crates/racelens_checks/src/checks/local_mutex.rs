//! `local-mutex`: a mutex declared inside a function and used there only by its own lock
//! calls, locked around state the function shares (`var mu sync.Mutex; mu.Lock();
//! hits[path]++`): every call locks a mutex of its own, so the lock orders nothing.

use crate::syntactic::{declared, is_qualified, is_sync_type, is_sync_value, Declared};
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_semantic::{DefId, DefKind, FuncRef};
use racelens_syntax::ast::{ExprId, ExprKind, IdentId, Span, StmtKind};
use racelens_syntax::token::TokenKind;
use racelens_syntax::walk::{LazyParents, Node};
use racelens_syntax::File;
use std::collections::HashMap;

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "local-mutex",
        category: Category::Correctness,
        summary: "A mutex declared inside a function and never shared guards nothing: every call locks its own.",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.3.0",
    needs_types: false,
    run: Some(run),
};

const DOCS: &str = r#"## What it does

Reports the `Lock` (or `RLock`) of a `sync.Mutex` or `sync.RWMutex` that is a local
variable of the function locking it (`var mu sync.Mutex`, `mu := &sync.Mutex{}`,
`new(sync.RWMutex)`), used nowhere but in its own `Lock`/`Unlock`/`RLock`/`RUnlock`/
`TryLock` calls in that function, when the code it locks touches state the function shares:
a package variable, a variable of an enclosing function that a function literal captures,
or what a parameter or the receiver points to (`s.n`, `dst[i]`).

## Why is this bad?

A mutex only excludes the goroutines that lock the same mutex. One declared inside a
function is a new mutex on every call (every request, every goroutine), and one that is
never shared is locked by nobody else: the code it seems to guard runs unguarded, and
concurrent calls race on the shared state exactly as if there were no lock. The lock also
hides the race from readers, and from tools that trust a held lock.

## Example

```go
package p

import (
	"net/http"
	"sync"
)

var hits = map[string]int{}

func count(w http.ResponseWriter, r *http.Request) {
	var mu sync.Mutex
	mu.Lock()
	hits[r.URL.Path]++
	mu.Unlock()
}
```

## Use instead

```go
package p

import (
	"net/http"
	"sync"
)

var (
	mu   sync.Mutex
	hits = map[string]int{}
)

func count(w http.ResponseWriter, r *http.Request) {
	mu.Lock()
	hits[r.URL.Path]++
	mu.Unlock()
}
```

Declare the mutex next to the state it guards: a package variable beside a package
variable, a field beside the fields, or one variable shared by the goroutines of one call.

## Known limitations

- Only local variables whose declaration spells the type (`var mu sync.Mutex`,
  `sync.RWMutex{}`, `&sync.Mutex{}`, `new(sync.Mutex)`) are looked at: a mutex returned by
  a function, a field of a local struct, and a type that embeds a mutex are not.
- Any other use of the variable keeps the check silent: its address taken (`&mu`, as
  `sync.NewCond(&mu)` does), an assignment, a use inside a function literal (a goroutine
  that shares it, but also a deferred `func() { mu.Unlock() }()`), a copy into a field.
- A lock that guards only the function's own variables is useless but harmless, and not
  reported; nor is shared state passed by value (a parameter of type `int` incremented
  under the lock), nor an access made through a `sync/atomic` function.
- The locked code runs from the `Lock` to the first `Unlock` after it in the source, or to
  the end of the function when there is none or it is deferred; branches are not followed.
"#;

/// The methods whose calls are the only uses a local mutex may have.
const LOCK_METHODS: &[&str] = &["Lock", "Unlock", "RLock", "RUnlock", "TryLock", "TryRLock"];

/// At most this many candidate mutexes are looked at per file: the locked code of each is
/// read once, so that a generated file of thousands of them costs no more than its size
/// times this.
const MAX_PER_FILE: usize = 256;

/// A local mutex variable of one file and its uses, as far as they are lock calls.
struct Candidate {
    def: DefId,
    /// The function declaring it (its uses must all be there).
    func: FuncRef,
    /// `(call, method name)` of each use; `None` once a use is anything else.
    calls: Option<Vec<(ExprId, &'static str)>>,
}

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    for (file, fcx) in cx.files.iter().enumerate() {
        if !cx.file_calls_method(file, &["Lock"], 0) && !cx.file_calls_method(file, &["RLock"], 0) {
            continue;
        }
        let f = fcx.ast;
        let mut cands = candidates(cx, file);
        if cands.is_empty() {
            continue;
        }
        let parents = cx.parents(file);
        let index: HashMap<DefId, usize> =
            cands.iter().enumerate().map(|(i, c)| (c.def, i)).collect();
        for (i, b) in cx.scopes().bindings(file).iter().enumerate() {
            let Some(&c) = b.and_then(|d| index.get(&d)) else {
                continue;
            };
            let id = IdentId::new(i as u32);
            if cx.scopes().def(cands[c].def).ident == Some(id) {
                continue;
            }
            let call = lock_call(f, parents, id).filter(|&(call, _)| {
                crate::syntactic::enclosing_function(f, parents, Node::Expr(call))
                    == Some(func_node(cands[c].func))
            });
            match (call, &mut cands[c].calls) {
                (Some(call), Some(calls)) => calls.push(call),
                _ => cands[c].calls = None,
            }
        }
        for cand in &cands {
            let Some(calls) = &cand.calls else {
                continue;
            };
            if let Some(d) = report(cx, file, parents, cand, calls) {
                out.push(d);
            }
        }
    }
}

/// The local variables of `file` declared as a mutex that some `x.Lock()` or `x.RLock()`
/// call of the file locks.
fn candidates(cx: &PackageCx<'_>, file: usize) -> Vec<Candidate> {
    let f = cx.files[file].ast;
    let mut out: Vec<Candidate> = Vec::new();
    for (_, e) in f.exprs_with_ids() {
        let ExprKind::Call { fun, args, .. } = &e.kind else {
            continue;
        };
        if !args.is_empty() {
            continue;
        }
        let ExprKind::Selector { x, sel } = f[f.unparen(*fun)].kind else {
            continue;
        };
        if !matches!(f.ident_name(sel), "Lock" | "RLock") {
            continue;
        }
        let ExprKind::Ident(id) = f[x].kind else {
            continue;
        };
        let Some(def) = cx.scopes().binding(file, id) else {
            continue;
        };
        let d = cx.scopes().def(def);
        let Some(func) = d.func else {
            continue;
        };
        if d.kind != DefKind::LocalVar || out.iter().any(|c| c.def == def) {
            continue;
        }
        let mutex = match declared(cx, def) {
            Some((df, Declared::Type(t))) => is_sync_type(cx, df, t, &["Mutex", "RWMutex"], false),
            Some((df, Declared::Value(v))) => is_sync_value(cx, df, v, &["Mutex", "RWMutex"]),
            None => false,
        };
        if mutex {
            out.push(Candidate {
                def,
                func,
                calls: Some(Vec::new()),
            });
            if out.len() == MAX_PER_FILE {
                break;
            }
        }
    }
    out
}

/// For an occurrence of a variable that is the receiver of a call of one of
/// `LOCK_METHODS` without arguments (`mu.Lock()`), the call and the method.
fn lock_call(f: &File, parents: &LazyParents<'_>, id: IdentId) -> Option<(ExprId, &'static str)> {
    let Node::Expr(x) = parents.parent(Node::Ident(id))? else {
        return None;
    };
    let Node::Expr(sel) = parents.parent(Node::Expr(x))? else {
        return None;
    };
    let ExprKind::Selector { x: recv, sel: name } = f[sel].kind else {
        return None;
    };
    let method = LOCK_METHODS
        .iter()
        .find(|&&m| m == f.ident_name(name))
        .copied()?;
    let Node::Expr(call) = parents.parent(Node::Expr(sel))? else {
        return None;
    };
    match &f[call].kind {
        ExprKind::Call { fun, args, .. } if recv == x && *fun == sel && args.is_empty() => {
            Some((call, method))
        }
        _ => None,
    }
}

fn func_node(func: FuncRef) -> Node {
    match func {
        FuncRef::Decl(d) => Node::Decl(d),
        FuncRef::Lit(e) => Node::Expr(e),
    }
}

/// The report for a local mutex used only by lock calls, if some locked code touches
/// shared state: at the first such lock.
fn report(
    cx: &PackageCx<'_>,
    file: usize,
    parents: &LazyParents<'_>,
    cand: &Candidate,
    calls: &[(ExprId, &'static str)],
) -> Option<Diagnostic> {
    let f = cx.files[file].ast;
    let body_end = match cand.func {
        FuncRef::Decl(d) => f[d].span.end,
        FuncRef::Lit(e) => f[e].span.end,
    };
    // Releases that end a section: unlock calls not deferred, by offset.
    let mut releases: Vec<u32> = calls
        .iter()
        .filter(|&&(call, m)| matches!(m, "Unlock" | "RUnlock") && !deferred(f, parents, call))
        .map(|&(call, _)| f[call].span.start)
        .collect();
    releases.sort_unstable();
    let name = f.ident_name(cx.scopes().def(cand.def).ident?);
    for &(call, m) in calls {
        if !matches!(m, "Lock" | "RLock") {
            continue;
        }
        let start = f[call].span.end;
        let end = releases
            .iter()
            .find(|&&r| r >= start)
            .copied()
            .unwrap_or(body_end);
        let Some(shared) = shared_access(cx, file, parents, cand, Span { start, end }) else {
            continue;
        };
        let shown = f.text(f[shared].span);
        let decl = cx.scopes().def(cand.def).ident?;
        return Some(
            Diagnostic::new(
                CHECK.info.name,
                CHECK.info.category,
                format!(
                    "`{name}` is declared in this function and never shared: locking it does not guard `{shown}` (each call locks a mutex of its own)"
                ),
                cx.location(file, f[call].span),
            )
            .with_related(
                format!("`{name}` is a new mutex on every call"),
                cx.location(file, f.idents[decl.index()].span),
            )
            .with_related(
                format!("`{shown}` is shared"),
                cx.location(file, f[shared].span),
            )
            .with_help(format!(
                "declare the mutex next to the state it guards (beside `{shown}`), so that every call locks the same one"
            )),
        );
    }
    None
}

/// Whether call `call` is the call of a `defer` statement.
fn deferred(f: &File, parents: &LazyParents<'_>, call: ExprId) -> bool {
    matches!(parents.parent(Node::Expr(call)),
        Some(Node::Stmt(s)) if matches!(f[s].kind, StmtKind::Defer { .. }))
}

/// The first access in `span` of the candidate's function to state the function shares: a
/// package variable, a captured variable, or what a parameter or the receiver points to;
/// as the selector chain it starts (`s.n`).
fn shared_access(
    cx: &PackageCx<'_>,
    file: usize,
    parents: &LazyParents<'_>,
    cand: &Candidate,
    span: Span,
) -> Option<ExprId> {
    let f = cx.files[file].ast;
    let bindings = cx.scopes().bindings(file);
    // Identifiers are numbered in source order: start at the first one in the span.
    let first = f.idents.partition_point(|i| i.span.start < span.start);
    for i in first..f.idents.len() {
        if f.idents[i].span.start >= span.end {
            break;
        }
        let Some(def) = bindings.get(i).copied().flatten() else {
            continue;
        };
        if def == cand.def {
            continue;
        }
        let d = cx.scopes().def(def);
        let id = IdentId::new(i as u32);
        let Some(Node::Expr(x)) = parents.parent(Node::Ident(id)) else {
            continue;
        };
        let outer = match d.kind {
            DefKind::PackageVar => true,
            DefKind::LocalVar | DefKind::Param | DefKind::Result | DefKind::Receiver => {
                d.func != Some(cand.func)
            }
            _ => continue,
        };
        let pointed = matches!(d.kind, DefKind::Param | DefKind::Receiver)
            && matches!(parents.parent(Node::Expr(x)), Some(Node::Expr(p)) if matches!(
                f[p].kind,
                ExprKind::Selector { x: px, .. } | ExprKind::Index { x: px, .. } if px == x
            ) || matches!(f[p].kind, ExprKind::Star { .. }));
        if !outer && !pointed {
            continue;
        }
        let chain = selector_chain(f, parents, x);
        if lock_or_atomic(cx, file, parents, chain) {
            continue;
        }
        return Some(chain);
    }
    None
}

/// The selector chain expression `x` starts (`s.n` for `s`), without the method of a call.
fn selector_chain(f: &File, parents: &LazyParents<'_>, x: ExprId) -> ExprId {
    let mut cur = x;
    while let Some(Node::Expr(p)) = parents.parent(Node::Expr(cur)) {
        let ExprKind::Selector { x: px, .. } = f[p].kind else {
            break;
        };
        if px != cur {
            break;
        }
        // The method of a call is not part of what is accessed.
        if let Some(Node::Expr(c)) = parents.parent(Node::Expr(p)) {
            if matches!(f[c].kind, ExprKind::Call { fun, .. } if fun == p) {
                break;
            }
        }
        cur = p;
    }
    cur
}

/// Whether `chain` is locked or unlocked itself (`pkgMu.Lock()`) or given by address to a
/// `sync/atomic` function (`atomic.AddInt64(&s.n, 1)`): not state the mutex should guard.
fn lock_or_atomic(
    cx: &PackageCx<'_>,
    file: usize,
    parents: &LazyParents<'_>,
    chain: ExprId,
) -> bool {
    let f = cx.files[file].ast;
    match parents.parent(Node::Expr(chain)) {
        Some(Node::Expr(p)) => match &f[p].kind {
            ExprKind::Selector { sel, .. } => LOCK_METHODS.contains(&f.ident_name(*sel)),
            ExprKind::Unary {
                op: TokenKind::And, ..
            } => matches!(parents.parent(Node::Expr(p)), Some(Node::Expr(c)) if matches!(
                &f[c].kind,
                ExprKind::Call { fun, .. } if atomic_function(cx, file, *fun)
            )),
            _ => false,
        },
        _ => false,
    }
}

/// Whether `fun` names a function of package `sync/atomic` (`atomic.AddInt64`).
fn atomic_function(cx: &PackageCx<'_>, file: usize, fun: ExprId) -> bool {
    let f = cx.files[file].ast;
    match f[f.unparen(fun)].kind {
        ExprKind::Selector { sel, .. } => {
            is_qualified(cx, file, fun, "sync/atomic", f.ident_name(sel))
        }
        _ => false,
    }
}
