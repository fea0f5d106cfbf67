//! `concurrent-handler-state`: an HTTP handler that writes shared state (its receiver's
//! fields, captured variables, package variables) without synchronization, although every
//! request runs on its own goroutine; and state a background goroutine rewrites in a loop
//! while a handler uses it.

use crate::model_facts::{
    direct_callees, in_place_top, is_test_code, locks_through_interface, receiver_def, root_def,
    runs_under_once, selector_of,
};
use crate::syntactic::{is_qualified, unparen};
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic, Location};
use racelens_model::{
    AccessIx, AccessKind, Flat, FuncIx, Invocation, Model, Place, PlaceId, SyncKind,
};
use racelens_semantic::types::{PkgIdx, Program, SelKind, Type};
use racelens_semantic::{DefId, DefKind, FuncRef};
use racelens_syntax::ast::{DeclKind, ExprId, ExprKind, Span, StmtId, StmtKind};
use racelens_syntax::walk::Node;
use std::collections::{HashMap, HashSet};

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "concurrent-handler-state",
        category: Category::Correctness,
        summary: "An HTTP handler writes shared state, or reads state a background goroutine rewrites, without synchronization.",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.2.0",
    needs_types: true,
    run: Some(run),
};

const DOCS: &str = r#"## What it does

Finds HTTP handlers — `ServeHTTP` methods, functions, literals and method values given
to `HandleFunc` (of `net/http`, a `ServeMux` or a router with the same signature) or
converted with `http.HandlerFunc`, and literals returned by middleware declared to return an
`http.HandlerFunc` — and reports their writes, made without holding any lock,
to state that outlives the request: fields of the handler's receiver (or of a receiver or
variable the handler literal captures), captured variables, and package variables. Writes
in methods the handler calls on its own receiver count too, as do writes through the
receiver of a method a handler literal calls on a variable it captures or a package variable
(`b.Allow()` on a middleware's rate limiter), and so do calls that modify a
shared value of a standard-library type not safe for concurrent use (`s.rng.Intn(n)` on a
`*rand.Rand`, `s.log.WriteString(line)` or `fmt.Fprintln(&s.log, ...)` on a `bytes.Buffer`;
the types are those `captured-variable-race` lists).

It also reports state that a background goroutine rewrites in a loop (a refresh loop, a
config watcher, a ticker) while a handler reads or writes it: a package variable, a field
of the handler's receiver type, or a variable the handler literal captures, written by the
goroutine's function or a function it calls directly inside one of its loops, without a
lock, while the handler takes no lock in common.

And a field of a method handler's receiver that the handler reads without a lock (a
`draining` flag a health check tests) when a shutdown method of the type (`Shutdown`,
`Close`, `Stop`, `Drain`, `GracefulStop`, or a name ending in `Drain` or `Shutdown`, as
`BeginDrain`) assigns it without a lock: graceful shutdown runs while the requests it waits
for are still being served.

## Why is this bad?

`net/http` serves every request on its own goroutine, so a handler runs concurrently with
itself. A counter, a cache map or a "last request" field written by the handler without a
mutex is a data race as soon as two requests overlap; a map written this way crashes the
server with `concurrent map writes`. Tests with one request at a time never show it.

## Example

```go
package p

import "net/http"

type Server struct {
	hits  int
	users map[string]int
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.hits++
	s.users[r.URL.Path]++
}
```

## Use instead

```go
package p

import (
	"net/http"
	"sync"
)

type Server struct {
	mu    sync.Mutex
	hits  int
	users map[string]int
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits++
	s.users[r.URL.Path]++
}
```

## Known limitations

- A field a handler reads is paired only with the assignments of the type's shutdown
  methods (by name), not with those of other methods (a setter is usually called before
  serving starts).
- Calls into other packages are not followed for what they access; of another package of
  the workspace, only the locks a call takes or releases for its caller (a `Lock` method)
  are applied.
- Handlers are recognised by their signature `(http.ResponseWriter, *http.Request)`; other
  frameworks' handlers and handlers given through variables are not followed. A literal
  returned by a function declared to return a plain `func(http.ResponseWriter,
  *http.Request)` is not taken for a handler (it may be a callback of another kind), nor is
  one a function taking a `*http.Request` returns (made for one request).
- Any lock held at the write silences it, whatever it guards, and so does a function that
  calls `Lock` on a type the model does not know as a mutex (a project's own mutex).
- Writes through `sync/atomic`, inside `sync.Once.Do`, to locals, to the request, the
  response writer and to values made during the request are not reported.
- Writes in called functions are reported only for package variables and for the fields of
  the handler's own receiver (a method called on it).
- A plain field of a value receiver is a copy per request and is not reported; its maps and
  slice elements are.
- Handlers made inside a function that itself takes a `*http.Request` are made per
  request (a dispatcher building a handler object for each request) and are not followed.
  Nor are handlers served where they are made: a conversion that is (an argument of the
  calls that make) the operand of a `.ServeHTTP(...)` call, as in
  `m(http.HandlerFunc(func(w, r) { ... })).ServeHTTP(w, r)`, which serves one request
  with a handler of its own.
- Background goroutines are paired with handlers only: a goroutine that a `Start` method
  leaves running while a getter method reads its state is not reported here (nothing says
  those methods run concurrently with it; `captured-variable-race` reports a goroutine
  polling a flag that another exported method assigns). Only writes inside a loop of the
  goroutine count (a write made once is usually made before serving starts), made without
  any lock (a write under a lock that the handler does not take is left to
  `unguarded-field-access`), by the goroutine's function or a function it calls directly;
  and a handler that receives from a channel the goroutine sends on or closes is taken to
  be ordered after it. Fields are matched by type: a goroutine writing another value of the
  handler's receiver type through a pointer it was given is reported as if it were the
  handler's.
- Test files and test infrastructure (`integration/`, `testutil/`, `e2e/`, `testing/`
  directories) are skipped: test handlers usually serve one request at a time.
"#;

/// A handler: the function serving requests and where it is registered or declared.
struct Handler {
    func: FuncIx,
    at: Location,
    label: &'static str,
}

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    if !crate::gates::may_serve_http(cx) {
        return;
    }
    let Some(model) = cx.model() else {
        return;
    };
    let Some((mut prog, pkg)) = cx.types() else {
        return;
    };
    let handlers = handlers(cx, &prog, pkg, model);
    let mut reported: HashSet<(FuncIx, PlaceId)> = HashSet::new();
    for h in &handlers {
        let plain_write = |a: AccessIx| {
            let acc = model.access(a);
            acc.kind.is_write() && !acc.kind.is_atomic()
        };
        for fl in model.runs_where(h.func, &plain_write) {
            let acc = model.access(fl.access);
            if !fl.locks.is_empty() {
                continue;
            }
            let home = model.outermost(acc.func);
            if reported.contains(&(home, acc.place)) {
                continue;
            }
            let file = model.func(acc.func).file as usize;
            let Some(shared) = handler_shared(cx, &prog, pkg, model, h, &fl) else {
                continue;
            };
            if !shared || runs_under_once(cx, &prog, pkg, model, acc.func) {
                continue;
            }
            // A lock the model does not know (a project's own mutex type) may guard it.
            if let FuncRef::Decl(d) = model.func(home).func {
                let hfile = model.func(home).file as usize;
                if locks_through_interface(cx, &mut prog, pkg, hfile, d) {
                    continue;
                }
            }
            reported.insert((home, acc.place));
            let shown = cx.text(file, acc.span);
            let what = if acc.kind == AccessKind::Mutate {
                let ty = crate::model_facts::unsafe_type_text(&prog, pkg, model, acc);
                format!("`{shown}` (a `{ty}`, not safe for concurrent use) is modified")
            } else {
                format!("`{shown}` is written")
            };
            out.push(
                Diagnostic::new(
                    CHECK.info.name,
                    CHECK.info.category,
                    format!(
                        "{what} by an HTTP handler without synchronization, but every request runs on its own goroutine"
                    ),
                    cx.location(file, acc.span),
                )
                .with_related(h.label, h.at.clone())
                .with_help(format!(
                    "guard `{shown}` with a mutex, use a `sync/atomic` type, or keep per-request state in locals"
                )),
            );
        }
    }
    background(cx, &mut prog, pkg, model, &handlers, out);
    teardown(cx, model, &handlers, out);
}

/// Methods that shut a server down while its in-flight requests run (graceful shutdown
/// waits for them).
const TEARDOWN: &[&str] = &["Shutdown", "Close", "Stop", "Drain", "GracefulStop"];

/// Whether a method named `name` shuts its value down: one of `TEARDOWN`, or a name whose
/// last word is `Drain` or `Shutdown` (`BeginDrain`, `StartShutdown`), but not a setter
/// named after them (`SetDrainTimeout`).
fn is_teardown(name: &str) -> bool {
    TEARDOWN.contains(&name)
        || ["Drain", "Shutdown"].iter().any(|w| {
            name.strip_suffix(w)
                .is_some_and(|head| head.ends_with(|c: char| c.is_ascii_lowercase()))
        })
}

/// A field of a method handler's receiver that the handler reads itself, without a lock,
/// and that a shutdown method of the type (`TEARDOWN`) assigns without a lock: the
/// `draining` flag set by `Shutdown` while requests still check it.
fn teardown(cx: &PackageCx<'_>, model: &Model, handlers: &[Handler], out: &mut Vec<Diagnostic>) {
    let receiver = |d: Option<DefId>| crate::model_facts::is_receiver(cx, d);
    let unlocked = |acc: &racelens_model::Access| crate::model_facts::lock_free(model, acc);
    // The fields read that way, by place: the handler and the read.
    let mut read: HashMap<PlaceId, (FuncIx, AccessIx)> = HashMap::new();
    for h in handlers {
        let hf = model.func(h.func);
        let Some(recv) = hf.recv else {
            continue;
        };
        for g in model.with_inline(h.func) {
            for &a in &model.func(g).accesses {
                let acc = model.access(a);
                let own =
                    matches!(model.place(acc.place), Place::Field { owner, .. } if *owner == recv);
                if acc.kind == AccessKind::Read && own && receiver(acc.root) && unlocked(acc) {
                    read.entry(acc.place).or_insert((h.func, a));
                }
            }
        }
    }
    if read.is_empty() {
        return;
    }
    let mut reported: HashSet<PlaceId> = HashSet::new();
    for acc in &model.accesses {
        let Some(&(h, r)) = read.get(&acc.place) else {
            continue;
        };
        let home = model.outermost(acc.func);
        let hf = model.func(home);
        let name = hf.short_name();
        if acc.kind != AccessKind::Write
            || hf.recv != model.func(h).recv
            || !is_teardown(name)
            || !receiver(acc.root)
            || !unlocked(acc)
            || !reported.insert(acc.place)
        {
            continue;
        }
        let file = model.func(acc.func).file as usize;
        let shown = cx.text(file, acc.span);
        let rfile = model.func(model.access(r).func).file as usize;
        out.push(
            Diagnostic::new(
                CHECK.info.name,
                CHECK.info.category,
                format!(
                    "`{shown}` is assigned by `{name}` while HTTP handlers read it without synchronization: shutdown runs alongside the requests still in flight"
                ),
                cx.location(file, acc.span),
            )
            .with_related(
                "read by an HTTP handler here",
                cx.location(rfile, model.access(r).span),
            )
            .with_help(format!(
                "make `{shown}` an `atomic.Bool`, or guard it with a mutex on both sides"
            )),
        );
    }
}

/// The state a background goroutine (one whose function rewrites it in a loop) writes and
/// a handler reads or writes, with no lock in common and no channel ordering the handler
/// after the goroutine: one report per write of the goroutine.
fn background(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    model: &Model,
    handlers: &[Handler],
    out: &mut Vec<Diagnostic>,
) {
    let plain = |a: AccessIx| !model.access(a).kind.is_atomic();
    // What the handlers use of the state that outlives a request, by place.
    let mut used: HashMap<PlaceId, Vec<(usize, Flat)>> = HashMap::new();
    for (i, h) in handlers.iter().enumerate() {
        for fl in model.runs_where(h.func, &plain) {
            if handler_shared(cx, prog, pkg, model, h, &fl) == Some(true)
                && !runs_under_once(cx, prog, pkg, model, model.access(fl.access).func)
            {
                used.entry(model.access(fl.access).place)
                    .or_default()
                    .push((i, fl));
            }
        }
    }
    if used.is_empty() {
        return;
    }
    let test_file = |file: u32| is_test_code(cx.files[file as usize].path);
    // (Calls that modify a value not safe for concurrent use are left to the handlers' own
    // pass above.)
    let written = |a: AccessIx| {
        let acc = model.access(a);
        acc.kind.is_write()
            && !acc.kind.is_atomic()
            && acc.kind != AccessKind::Mutate
            && used.contains_key(&acc.place)
    };
    let mut reported: HashSet<AccessIx> = HashSet::new();
    for (si, spawn) in model.spawns.iter().enumerate() {
        if test_file(model.func(spawn.func).file) {
            continue;
        }
        let s = racelens_model::SpawnIx(si as u32);
        let theirs = model.goroutine_signals(s);
        for &t in &spawn.targets {
            let tfile = model.func(t).file;
            if test_file(tfile) {
                continue;
            }
            let loops = loop_spans(cx, model, t);
            if loops.is_empty() {
                continue;
            }
            let callees = direct_callees(model, t);
            for fl in model.runs_where(t, &written) {
                let acc = model.access(fl.access);
                // Written without a lock (a lock held says the author synchronises the
                // write; a read without it is unguarded-field-access's), by the goroutine's
                // function or one it calls directly: along longer chains (a signal handler's
                // reload, a shutdown), synchronisation the model does not see is too likely.
                let top = in_place_top(model, acc.func);
                if reported.contains(&fl.access)
                    || !fl.locks.is_empty()
                    || top != t && !callees.contains(&top)
                    || !loops.iter().any(|l| l.start <= fl.at && fl.at < l.end)
                    || !goroutine_shared(cx, prog, pkg, model, t, &fl)
                    || runs_under_once(cx, prog, pkg, model, acc.func)
                {
                    continue;
                }
                let home = model.outermost(acc.func);
                if let FuncRef::Decl(d) = model.func(home).func {
                    let file = model.func(home).file as usize;
                    if locks_through_interface(cx, prog, pkg, file, d) {
                        continue;
                    }
                }
                let other = used[&acc.place].iter().find(|(i, _)| {
                    let h = &handlers[*i];
                    // A handler that first waits for the goroutine (a channel it closes or
                    // sends on) is taken to be ordered after it.
                    let ordered = model.signals(h.func).iter().any(|&(k, p)| {
                        k == SyncKind::Recv
                            && theirs.iter().any(|&(j, q)| {
                                q == p && matches!(j, SyncKind::Send | SyncKind::Close)
                            })
                    });
                    !ordered
                });
                let Some((i, hf)) = other else {
                    continue;
                };
                reported.insert(fl.access);
                let file = model.func(acc.func).file as usize;
                let shown = cx.text(file, acc.span);
                let hacc = model.access(hf.access);
                let hfile = model.func(hacc.func).file as usize;
                let (verb, label) = if hacc.kind.is_write() {
                    ("writes", "written by an HTTP handler here")
                } else {
                    ("reads", "read by an HTTP handler here")
                };
                let sfile = model.func(spawn.func).file as usize;
                out.push(
                    Diagnostic::new(
                        CHECK.info.name,
                        CHECK.info.category,
                        format!(
                            "`{shown}` is written by a background goroutine in a loop while an HTTP handler {verb} it without synchronization"
                        ),
                        cx.location(file, acc.span),
                    )
                    .with_related(label, cx.location(hfile, hacc.span))
                    .with_related("goroutine started here", cx.location(sfile, spawn.span))
                    .with_related(handlers[*i].label, handlers[*i].at.clone())
                    .with_help(format!(
                        "guard `{shown}` with a mutex on both sides, or publish a new value with `atomic.Pointer`"
                    )),
                );
            }
        }
    }
}

/// The spans of the loops (`for`, `range`) in the body of function `f`, with the literals
/// in it.
fn loop_spans(cx: &PackageCx<'_>, model: &Model, f: FuncIx) -> Vec<Span> {
    let func = model.func(f);
    let file = func.file as usize;
    let ast = cx.files[file].ast;
    let Some(body) = crate::goroutine_race::func_body(ast, func.func) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    racelens_syntax::walk::preorder(ast, &[Node::Stmt(body)], |n| {
        if let Node::Stmt(st) = n {
            if matches!(ast[st].kind, StmtKind::For { .. } | StmtKind::Range { .. }) {
                out.push(ast[st].span);
            }
        }
        true
    });
    out
}

/// Whether the access `fl` a goroutine running `t` makes is to state others can see: a
/// package variable, a variable of the spawner the goroutine's literal captures, or a field
/// reached from one of those, from a pointer receiver or from a pointer parameter; not a
/// variable the goroutine declares itself.
fn goroutine_shared(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    model: &Model,
    t: FuncIx,
    fl: &Flat,
) -> bool {
    let acc = model.access(fl.access);
    let file = model.func(acc.func).file as usize;
    let tf = model.func(t);
    let outside = |d: DefId| match tf.func {
        FuncRef::Lit(_) => !cx.scopes().is_declared_within(d, tf.file as usize, tf.func),
        FuncRef::Decl(_) => false,
    };
    match model.place(acc.place) {
        Place::Var(d) => {
            let kind = &cx.scopes().def(*d).kind;
            *kind == DefKind::PackageVar || kind.is_local_variable() && outside(*d)
        }
        Place::Field { .. } => {
            let Some((_, x, _)) = selector_of(cx.files[file].ast, acc.expr) else {
                return false;
            };
            let Some(root) = root_def(cx, file, x) else {
                return false;
            };
            match cx.scopes().def(root).kind {
                DefKind::PackageVar => true,
                DefKind::Receiver | DefKind::Param => {
                    is_pointer(prog, pkg, file, x) || acc.kind == AccessKind::MapWrite
                }
                DefKind::LocalVar => outside(root),
                _ => false,
            }
        }
    }
}

/// Whether the access `fl` handler `h` makes is to state that outlives the request: a
/// package variable, a variable the handler literal captures, a field of those or of the
/// handler's own receiver (not of a value receiver's copy). `None` when it cannot tell.
fn handler_shared(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    model: &Model,
    h: &Handler,
    fl: &Flat,
) -> Option<bool> {
    let hf = model.func(h.func);
    let hfile = hf.file as usize;
    let h_home = model.outermost(h.func);
    let h_lit = match hf.func {
        FuncRef::Lit(e) => Some(e),
        FuncRef::Decl(_) => None,
    };
    let acc = model.access(fl.access);
    let home = model.outermost(acc.func);
    let direct = fl.via.is_none();
    let file = model.func(acc.func).file as usize;
    // Whether `d` is a local of the function around a handler literal.
    let captured = |d: DefId| {
        direct
            && h_lit.is_some_and(|lit| {
                cx.scopes().def(d).kind.is_local_variable()
                    && !cx.scopes().is_declared_within(d, hfile, FuncRef::Lit(lit))
            })
    };
    Some(match model.place(acc.place) {
        Place::Var(d) => cx.scopes().def(*d).kind == DefKind::PackageVar || captured(*d),
        Place::Field { .. } => {
            let (_, x, _) = selector_of(cx.files[file].ast, acc.expr)?;
            let root = root_def(cx, file, x)?;
            let kind = &cx.scopes().def(root).kind;
            if *kind == DefKind::PackageVar {
                true
            } else if *kind == DefKind::Receiver {
                let FuncRef::Decl(d) = model.func(home).func else {
                    return None;
                };
                let through_receiver = receiver_def(cx, file, d) == Some(root);
                let own = through_receiver
                    && (home == h_home
                        || model.func(home).recv.is_some()
                            && model.func(home).recv == model.func(h_home).recv
                        || called_on_shared(cx, model, h, fl, home));
                // A plain field of a value receiver belongs to this call's copy.
                let copy = !is_pointer(prog, pkg, file, x)
                    && matches!(
                        acc.kind,
                        AccessKind::Write | AccessKind::Append | AccessKind::Read
                    );
                own && !copy
            } else {
                captured(root)
            }
        }
    })
}

/// Whether the access `fl` that handler `h` makes through a call is in method `home`,
/// called by the handler literal itself on a variable it captures or a package variable
/// (`b.Allow()` on the limiter a middleware's handler captures): the method's receiver is
/// then shared by every request.
fn called_on_shared(
    cx: &PackageCx<'_>,
    model: &Model,
    h: &Handler,
    fl: &Flat,
    home: FuncIx,
) -> bool {
    let (Some(via), FuncRef::Lit(lit)) = (fl.via, model.func(h.func).func) else {
        return false;
    };
    let hfile = model.func(h.func).file as usize;
    let f = cx.files[hfile].ast;
    // The handler's own call (or that of a literal it runs in place) the access is reached
    // through, as the model recorded it.
    let Some(call) = model
        .with_inline(h.func)
        .into_iter()
        .flat_map(|g| model.func(g).calls.iter())
        .find(|c| c.span == via)
        .map(|c| c.expr)
    else {
        return false;
    };
    let ExprKind::Call { fun, .. } = f[call].kind else {
        return false;
    };
    let ExprKind::Selector { x, sel } = f[unparen(f, fun)].kind else {
        return false;
    };
    if f.ident_name(sel) != model.func(home).short_name() {
        return false;
    }
    root_def(cx, hfile, x).is_some_and(|d| {
        let def = cx.scopes().def(d);
        def.kind == DefKind::PackageVar
            || def.kind.is_local_variable()
                && !cx.scopes().is_declared_within(d, hfile, FuncRef::Lit(lit))
    })
}

/// Whether expression `x` has a pointer type.
fn is_pointer(prog: &Program<'_>, pkg: PkgIdx, file: usize, x: ExprId) -> bool {
    matches!(prog.types.get(prog.type_of(pkg, file, x)), Type::Pointer(_))
}

/// The handlers of the package outside test files.
fn handlers(cx: &PackageCx<'_>, prog: &Program<'_>, pkg: PkgIdx, model: &Model) -> Vec<Handler> {
    let mut out = Vec::new();
    let test_file = |file: usize| is_test_code(cx.files[file].path);
    // `ServeHTTP` methods.
    for (i, func) in model.funcs.iter().enumerate() {
        let file = func.file as usize;
        let FuncRef::Decl(d) = func.func else {
            continue;
        };
        let f = cx.files[file].ast;
        let DeclKind::Func {
            recv: Some(_),
            name,
            typ,
            ..
        } = &f[d].kind
        else {
            continue;
        };
        if f.ident_name(*name) == "ServeHTTP"
            && !test_file(file)
            && handler_signature(cx, prog, pkg, file, *typ)
        {
            out.push(Handler {
                func: FuncIx(i as u32),
                at: cx.location(file, f[*name].span),
                label: "`ServeHTTP` serves every request on its own goroutine",
            });
        }
    }
    // Registrations and conversions.
    for (file, fcx) in cx.files.iter().enumerate() {
        if test_file(file) {
            continue;
        }
        let f = fcx.ast;
        for (call, e) in f.exprs_with_ids() {
            let ExprKind::Call { fun, args, .. } = &e.kind else {
                continue;
            };
            let fun = unparen(f, *fun);
            let arg = match &f[fun].kind {
                ExprKind::Selector { sel, .. }
                    if f.ident_name(*sel) == "HandleFunc" && args.len() == 2 =>
                {
                    f[args][1]
                }
                _ if args.len() == 1 && is_qualified(cx, file, fun, "net/http", "HandlerFunc") => {
                    f[args][0]
                }
                _ => continue,
            };
            if cx.parents(file).parent(Node::Expr(call)).is_none()
                || inside_request(cx, prog, pkg, file, Node::Expr(call))
                || served_in_place(cx, file, call)
            {
                continue;
            }
            let Some(h) = handler_func(cx, prog, pkg, model, file, arg) else {
                continue;
            };
            out.push(Handler {
                func: h,
                at: cx.location(file, e.span),
                label: "registered as an HTTP handler here",
            });
        }
        // Middleware: a handler literal returned by a function declared to return an
        // `http.HandlerFunc` (`func (h *hits) track(next http.HandlerFunc) http.HandlerFunc`).
        for (lit, e) in f.exprs_with_ids() {
            let ExprKind::FuncLit { typ, .. } = e.kind else {
                continue;
            };
            let parents = cx.parents(file);
            let Some(Node::Stmt(ret)) = parents.parent(Node::Expr(lit)) else {
                continue;
            };
            if !matches!(f[ret].kind, StmtKind::Return { .. })
                || !handler_signature(cx, prog, pkg, file, typ)
                || !returns_handler_func(cx, prog, pkg, file, ret)
                || inside_request(cx, prog, pkg, file, Node::Stmt(ret))
            {
                continue;
            }
            let Some(h) = model.func_of(file as u32, FuncRef::Lit(lit)) else {
                continue;
            };
            out.push(Handler {
                func: h,
                at: cx.location(file, e.span),
                label: "returned as an HTTP handler here",
            });
        }
    }
    out
}

/// Whether the function that return statement `ret` belongs to is declared to return one
/// `net/http.HandlerFunc`.
fn returns_handler_func(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    file: usize,
    ret: StmtId,
) -> bool {
    let f = cx.files[file].ast;
    let Some(typ) = enclosing_func_types(cx, file, Node::Stmt(ret)).next() else {
        return false;
    };
    let ExprKind::FuncType {
        results: Some(results),
        ..
    } = f[typ].kind
    else {
        return false;
    };
    let list = &f[results].list;
    if list.len() != 1 || f[list[0]].names.len() > 1 {
        return false;
    }
    let t = prog.type_of(pkg, file, f[list[0]].typ);
    prog.is_named(t, "net/http", "HandlerFunc")
}

/// The function types of the declared functions and literals around node `at`, innermost
/// first.
fn enclosing_func_types<'c>(
    cx: &'c PackageCx<'_>,
    file: usize,
    at: Node,
) -> impl Iterator<Item = ExprId> + 'c {
    let f = cx.files[file].ast;
    cx.parents(file).ancestors(at).filter_map(move |n| match n {
        Node::Decl(d) => match &f[d].kind {
            DeclKind::Func { typ, .. } => Some(*typ),
            _ => None,
        },
        Node::Expr(x) => match f[x].kind {
            ExprKind::FuncLit { typ, .. } => Some(typ),
            _ => None,
        },
        _ => None,
    })
}

/// Whether node `at` is inside a function that serves one request itself (it takes a
/// `*http.Request`): a handler it makes is made per request, and so is the state the
/// handler writes (`h := &blobHandler{ctx}; return http.HandlerFunc(h.Get)`).
fn inside_request(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    file: usize,
    at: Node,
) -> bool {
    let f = cx.files[file].ast;
    enclosing_func_types(cx, file, at).any(|typ| {
        let ExprKind::FuncType { params, .. } = f[typ].kind else {
            return false;
        };
        f[params].list.iter().any(|&field| {
            let t = prog.type_of(pkg, file, f[field].typ);
            matches!(prog.types.get(t), Type::Pointer(_))
                && prog.is_named(prog.deref_type(t), "net/http", "Request")
        })
    })
}

/// Whether handler expression `h` is served where it is made, inside the call it is made
/// in: it is (an argument, at any depth, of calls that make) the operand of a
/// `.ServeHTTP(...)` call (`m(http.HandlerFunc(func(w, r) { ... })).ServeHTTP(w, r)`, echo's
/// `WrapMiddleware`). Each run of the enclosing function makes its own handler, serves one
/// request with it and drops it, so what the handler captures is that run's.
fn served_in_place(cx: &PackageCx<'_>, file: usize, h: ExprId) -> bool {
    let f = cx.files[file].ast;
    let parents = cx.parents(file);
    let mut cur = h;
    while let Some(Node::Expr(p)) = parents.parent(Node::Expr(cur)) {
        match &f[p].kind {
            ExprKind::Paren { .. } => {}
            ExprKind::Call { fun, args, .. } if *fun != cur && f[*args].contains(&cur) => {}
            ExprKind::Selector { x, sel } if *x == cur && f.ident_name(*sel) == "ServeHTTP" => {
                return matches!(parents.parent(Node::Expr(p)),
                    Some(Node::Expr(call)) if matches!(f[call].kind, ExprKind::Call { fun, .. } if fun == p));
            }
            _ => return false,
        }
        cur = p;
    }
    false
}

/// The package function an argument given as a handler denotes, if it has the handler
/// signature.
fn handler_func(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    model: &Model,
    file: usize,
    arg: ExprId,
) -> Option<FuncIx> {
    let f = cx.files[file].ast;
    let arg = unparen(f, arg);
    let ix = match f[arg].kind {
        ExprKind::FuncLit { typ, .. } => {
            let ix = model.func_of(file as u32, FuncRef::Lit(arg))?;
            return handler_signature(cx, prog, pkg, file, typ).then_some(ix);
        }
        ExprKind::Ident(id) => {
            let d = cx.scopes().binding(file, id)?;
            let def = cx.scopes().def(d);
            if def.kind != DefKind::PackageFunc {
                return None;
            }
            let (dfile, dident) = (def.file?, def.ident?);
            model.funcs.iter().position(|func| {
                func.file == dfile
                    && matches!(func.func, FuncRef::Decl(dd)
                        if matches!(&cx.files[dfile as usize].ast[dd].kind,
                            DeclKind::Func { recv: None, name, .. } if *name == dident))
            })?
        }
        ExprKind::Selector { x, sel } => {
            let s = prog.selection(pkg, file, arg)?;
            if s.kind != SelKind::Method {
                return None;
            }
            let recv = prog.deref_type(prog.type_of(pkg, file, x));
            let suffix = format!(".{}", f.ident_name(sel));
            model.funcs.iter().position(|func| {
                func.how == Invocation::Decl
                    && func.recv == Some(recv)
                    && func.name.ends_with(&suffix)
            })?
        }
        _ => return None,
    };
    let func = model.func(FuncIx(ix as u32));
    let FuncRef::Decl(d) = func.func else {
        return None;
    };
    let dfile = func.file as usize;
    let DeclKind::Func { typ, .. } = cx.files[dfile].ast[d].kind else {
        return None;
    };
    handler_signature(cx, prog, pkg, dfile, typ).then_some(FuncIx(ix as u32))
}

/// Whether function type `typ` is `func(http.ResponseWriter, *http.Request)`.
fn handler_signature(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    file: usize,
    typ: ExprId,
) -> bool {
    let f = cx.files[file].ast;
    let ExprKind::FuncType { params, .. } = f[typ].kind else {
        return false;
    };
    let mut types = Vec::new();
    for &field in f[params].list.iter() {
        let n = f[field].names.len().max(1);
        for _ in 0..n {
            types.push(f[field].typ);
        }
    }
    if types.len() != 2 {
        return false;
    }
    let w = prog.type_of(pkg, file, types[0]);
    let r = prog.type_of(pkg, file, types[1]);
    prog.is_named(w, "net/http", "ResponseWriter")
        && matches!(prog.types.get(r), Type::Pointer(_))
        && prog.is_named(prog.deref_type(r), "net/http", "Request")
}
