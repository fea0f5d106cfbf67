//! `parallel-test-shared-state`: a parallel test or subtest (one that calls `t.Parallel()`)
//! writing a variable that a sibling parallel test or another instance of itself also uses.

use crate::access::{lock_events, path_root, writes};
use crate::syntactic::{first_param, is_qualified, last_args_of_calls, method_call, unparen};
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_semantic::types::{PkgIdx, Program};
use racelens_semantic::{DefId, DefKind};
use racelens_syntax::ast::{DeclKind, ExprId, ExprKind, IdentId, StmtId, StmtKind};
use racelens_syntax::walk::{preorder, Node};
use racelens_syntax::File;
use std::cell::RefMut;
use std::collections::{HashMap, HashSet};

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "parallel-test-shared-state",
        category: Category::Correctness,
        summary: "A parallel test or `RunParallel` body writes a variable that other parallel tests, or other runs of the same code, also use.",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.2.0",
    needs_types: true,
    run: Some(run),
};

const DOCS: &str = r#"## What it does

Reports a write, after `t.Parallel()`, by a parallel subtest (`t.Run(name, func(t *testing.T)
{ t.Parallel(); ... })`) or a parallel top-level test to a variable it shares with other tests
running at the same time:

- a variable of the parent test, declared outside the loop that starts the subtests (a
  counter, a map, an `append`ed slice, a field of a shared value, an `err`), when the subtest is
  started in a loop or another parallel subtest of the same parent also uses the variable;
- a package variable that another parallel test or subtest of the package also uses,
  also through a method of the package that writes through its pointer receiver
  (`clock.Advance(d)` on a package `clock` setting `c.now`);
- a variable of the parent test that the parent reads after `t.Run`: parallel subtests only
  run once the parent's function has returned, so the parent reads it before they write.

It also reports writes to variables declared outside the body of `b.RunParallel(func(pb
*testing.PB) { ... })`, which runs in several goroutines at once.

## Why is this bad?

Parallel tests and subtests run in goroutines of their own, all at the same time. A variable
they share is shared memory without synchronization: the race detector reports it only when
the tests happen to overlap under `-race`, and without `-race` the result is lost counts,
corrupted maps ("concurrent map writes") and flaky failures.

## Example

```go
package p

import "testing"

func TestSquares(t *testing.T) {
	seen := map[int]bool{}
	for _, n := range []int{1, 2, 3} {
		n := n
		t.Run("n", func(t *testing.T) {
			t.Parallel()
			seen[n*n] = true
		})
	}
}
```

## Use instead

```go
package p

import (
	"sync"
	"testing"
)

func TestSquares(t *testing.T) {
	var mu sync.Mutex
	seen := map[int]bool{}
	for _, n := range []int{1, 2, 3} {
		n := n
		t.Run("n", func(t *testing.T) {
			t.Parallel()
			mu.Lock()
			seen[n*n] = true
			mu.Unlock()
		})
	}
}
```

## Known limitations

- Only code in the test's own body is followed, not the functions it calls, with one
  exception: a method of the package called on a package variable (`clock.Advance(d)`) whose
  body writes through its pointer receiver holding no lock writes the variable.
- Writes while holding any lock are taken to be synchronized; atomic operations, channel
  sends and other method calls on the variable are not writes.
- Writes to slice or array elements at a computed index are taken to be to distinct elements
  per subtest and are not reported.
- Loop variables are left to `loop-variable-capture`; variables declared inside the loop body
  (`tc := tc`) are per-subtest and never reported.
- Accesses before `t.Parallel()` run before the parallel phase and are ignored.
"#;

/// One parallel test or subtest: its function body, where `t.Parallel()` is called, and for
/// a subtest the `Run` call that starts it.
struct Context {
    file: usize,
    /// The function literal of a subtest, or the body of a top-level test.
    func: Node,
    body: StmtId,
    parallel_at: u32,
    run_call: Option<ExprId>,
    /// The loops (between the test function and the `Run` call) that start the subtest more
    /// than once, by span.
    loops: Vec<(u32, u32)>,
    /// The body of `b.RunParallel`, run by several goroutines at once.
    bench: bool,
}

/// One access of a context to a shared variable.
#[derive(Clone, Copy)]
struct Access {
    ctx: usize,
    ident: IdentId,
    write: Option<ExprId>,
}

/// Whether type expression `t` is `*testing.<name>`.
fn is_testing(cx: &PackageCx<'_>, file: usize, t: ExprId, name: &str) -> bool {
    let f = cx.files[file].ast;
    match f[unparen(f, t)].kind {
        ExprKind::Star { x } => is_qualified(cx, file, x, "testing", name),
        _ => false,
    }
}

/// The `*testing.T` parameter of function type `typ`.
fn t_param(cx: &PackageCx<'_>, file: usize, typ: ExprId) -> Option<DefId> {
    typed_param(cx, file, typ, "T")
}

/// The only parameter of function type `typ`, when it is a `*testing.<name>`.
fn typed_param(cx: &PackageCx<'_>, file: usize, typ: ExprId, name: &str) -> Option<DefId> {
    let f = cx.files[file].ast;
    let ExprKind::FuncType { params, .. } = f[typ].kind else {
        return None;
    };
    let &[field] = &*f[params].list else {
        return None;
    };
    if !is_testing(cx, file, f[field].typ, name) {
        return None;
    }
    let id = first_param(f, typ)?;
    cx.scopes().binding(file, id)
}

/// Where a top-level statement of `body` calls `Parallel()` on `t`.
fn parallel_call(cx: &PackageCx<'_>, file: usize, body: StmtId, t: DefId) -> Option<u32> {
    let f = cx.files[file].ast;
    let StmtKind::Block { list, .. } = &f[body].kind else {
        return None;
    };
    f[list].iter().find_map(|&s| {
        let StmtKind::Expr(e) = f[s].kind else {
            return None;
        };
        let (recv, args) = method_call(f, e, "Parallel")?;
        let ExprKind::Ident(id) = f[unparen(f, recv)].kind else {
            return None;
        };
        (args.is_empty() && cx.scopes().binding(file, id) == Some(t)).then_some(f[e].span.end)
    })
}

/// The arguments (without parentheses) of the calls `RunParallel(f)` and `Run(name, f)` in
/// `f`, sorted: a flat scan of the expression arena, so it holds every literal `contexts`
/// can take for a subtest or a parallel benchmark body, and perhaps more.
fn literals_given_to_run(f: &File) -> Vec<ExprId> {
    last_args_of_calls(f, &[("RunParallel", 1), ("Run", 2)])
}

fn contexts(cx: &PackageCx<'_>, file: usize) -> Vec<Context> {
    let f = cx.files[file].ast;
    // Only a literal given to `RunParallel(f)` or `Run(name, f)` can be a context: others are
    // skipped without the parent map, which is built only when a literal is one of those.
    let given = literals_given_to_run(f);
    let mut out = Vec::new();
    for &(func, body) in cx.function_bodies(file) {
        match func {
            Node::Decl(d) => {
                let DeclKind::Func {
                    recv: None,
                    name,
                    typ,
                    ..
                } = f[d].kind
                else {
                    continue;
                };
                if !f.ident_name(name).starts_with("Test") {
                    continue;
                }
                let Some(t) = t_param(cx, file, typ) else {
                    continue;
                };
                if let Some(at) = parallel_call(cx, file, body, t) {
                    out.push(Context {
                        file,
                        func,
                        body,
                        parallel_at: at,
                        run_call: None,
                        loops: Vec::new(),
                        bench: false,
                    });
                }
            }
            Node::Expr(lit) => {
                let ExprKind::FuncLit { typ, .. } = f[lit].kind else {
                    continue;
                };
                if given.binary_search(&lit).is_err() {
                    continue;
                }
                let parents = cx.parents(file);
                let Some(Node::Expr(call)) = parents.parent(func) else {
                    continue;
                };
                // `b.RunParallel(func(pb *testing.PB) { ... })` runs the body in several
                // goroutines at once, from its first statement.
                if let Some((_, args)) = method_call(f, call, "RunParallel") {
                    if args.len() == 1
                        && unparen(f, args[0]) == lit
                        && typed_param(cx, file, typ, "PB").is_some()
                    {
                        out.push(Context {
                            file,
                            func,
                            body,
                            parallel_at: f[body].span.start,
                            run_call: Some(call),
                            loops: Vec::new(),
                            bench: true,
                        });
                    }
                    continue;
                }
                let Some((_, args)) = method_call(f, call, "Run") else {
                    continue;
                };
                if args.len() != 2 || unparen(f, args[1]) != lit {
                    continue;
                }
                let Some(t) = t_param(cx, file, typ) else {
                    continue;
                };
                let Some(at) = parallel_call(cx, file, body, t) else {
                    continue;
                };
                let mut loops = Vec::new();
                for anc in parents.ancestors(Node::Expr(call)) {
                    match anc {
                        Node::Stmt(s)
                            if matches!(
                                f[s].kind,
                                StmtKind::For { .. } | StmtKind::Range { .. }
                            ) =>
                        {
                            loops.push((f[s].span.start, f[s].span.end));
                        }
                        Node::Expr(e) if matches!(f[e].kind, ExprKind::FuncLit { .. }) => break,
                        Node::Decl(_) => break,
                        _ => {}
                    }
                }
                out.push(Context {
                    file,
                    func,
                    body,
                    parallel_at: at,
                    run_call: Some(call),
                    loops,
                    bench: false,
                });
            }
            _ => {}
        }
    }
    out
}

/// Whether def `d` may be shared between contexts: a package variable, or a local variable
/// of an enclosing function that is not a loop variable.
fn shared_def(cx: &PackageCx<'_>, d: DefId) -> bool {
    let def = cx.scopes().def(d);
    match def.kind {
        DefKind::PackageVar => true,
        DefKind::LocalVar | DefKind::Param | DefKind::Result => def.loop_stmt.is_none(),
        _ => false,
    }
}

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    let mut ctxs = Vec::new();
    for file in 0..cx.files.len() {
        // Every context calls `t.Parallel()` or `b.RunParallel(f)` in its own file.
        if cx.file_calls_method(file, &["Parallel"], 0)
            || cx.file_calls_method(file, &["RunParallel"], 1)
        {
            ctxs.extend(contexts(cx, file));
        }
    }
    if ctxs.is_empty() {
        return;
    }
    // Types (a type check of the package) are needed only to tell a map write from a slice
    // element write.
    let mut types = None;
    // For a write made by calling a method on a package variable: the method's write
    // (its file and target) and the method's name, by the call's file and expression.
    let mut through: HashMap<(usize, ExprId), (usize, ExprId, String)> = HashMap::new();
    // The accesses of each context to shared variables, after its `t.Parallel()`. A nested
    // parallel subtest's body belongs to that subtest only.
    // (Nodes are numbered per file: the set is keyed by file too.)
    let nested: HashSet<(usize, Node)> = ctxs.iter().map(|c| (c.file, c.func)).collect();
    let mut by_def: HashMap<DefId, Vec<Access>> = HashMap::new();
    for (ci, c) in ctxs.iter().enumerate() {
        let file = c.file;
        let f = cx.files[file].ast;
        let lit = match c.func {
            Node::Expr(e) => Some(e),
            _ => None,
        };
        // Writes of this context's functions (its body and the closures inside it), with
        // the locks held, keyed by the written path's root identifier.
        let mut written: HashMap<IdentId, ExprId> = HashMap::new();
        let mut bodies = vec![c.body];
        preorder(f, &[Node::Stmt(c.body)], |n| match n {
            Node::Expr(_) if nested.contains(&(file, n)) && n != c.func => false,
            Node::Expr(e) => {
                if let ExprKind::FuncLit { body, .. } = f[e].kind {
                    bodies.push(body);
                }
                true
            }
            _ => true,
        });
        for &b in &bodies {
            let mut events = None;
            for w in writes(cx, file, b) {
                let ExprKind::Ident(id) = f[path_root(f, w.target)].kind else {
                    continue;
                };
                let at = f[w.target].span.start;
                if at < c.parallel_at || indexed_element(cx, &mut types, file, w.target) {
                    continue;
                }
                let events = events.get_or_insert_with(|| lock_events(cx, file, b, |_| true));
                if !events.locks_held_at(at).is_empty() {
                    continue;
                }
                written.entry(id).or_insert(w.target);
            }
            // A method of the package called on a package variable that writes through its
            // pointer receiver (`clock.Advance(d)` setting `c.now`) writes the variable.
            for (call, id) in package_var_calls(cx, file, b) {
                let at = f[call].span.start;
                if at < c.parallel_at || written.contains_key(&id) {
                    continue;
                }
                let events = events.get_or_insert_with(|| lock_events(cx, file, b, |_| true));
                if !events.locks_held_at(at).is_empty() {
                    continue;
                }
                if let Some(w) = writes_receiver(cx, &mut types, file, call) {
                    written.insert(id, call);
                    through.insert((file, call), w);
                }
            }
        }
        preorder(f, &[Node::Stmt(c.body)], |n| match n {
            Node::Expr(_) if nested.contains(&(file, n)) && n != c.func => false,
            Node::Expr(e) => {
                if let ExprKind::Ident(id) = f[e].kind {
                    if f[e].span.start < c.parallel_at {
                        return true;
                    }
                    let Some(d) = cx.scopes().binding(file, id) else {
                        return true;
                    };
                    if !shared_def(cx, d) {
                        return true;
                    }
                    let def = cx.scopes().def(d);
                    if def.kind != DefKind::PackageVar {
                        // Declared in the subtest itself, or inside the loop that starts it:
                        // its own variable.
                        let Some(lit) = lit else { return true };
                        if def.file != Some(file as u32) {
                            return true;
                        }
                        let Some(dident) = def.ident else { return true };
                        let dat = f[dident].span.start;
                        let lsp = f[lit].span;
                        if (lsp.start <= dat && dat < lsp.end)
                            || c.loops.iter().any(|&(s, e)| s <= dat && dat < e)
                        {
                            return true;
                        }
                    }
                    by_def.entry(d).or_default().push(Access {
                        ctx: ci,
                        ident: id,
                        write: written.get(&id).copied(),
                    });
                }
                true
            }
            _ => true,
        });
    }
    let mut defs: Vec<_> = by_def.into_iter().collect();
    defs.sort_by_key(|(d, _)| d.0);
    let mut parent_uses = ParentUses::default();
    for (d, accesses) in defs {
        // One report per context and variable, at its first write.
        let mut reported = HashSet::new();
        for a in &accesses {
            let Some(target) = a.write else { continue };
            if !reported.insert(a.ctx) {
                continue;
            }
            let c = &ctxs[a.ctx];
            let file = c.file;
            let f = cx.files[file].ast;
            let other = accesses.iter().find(|o| o.ctx != a.ctx);
            let name = cx.scopes().def(d).name.to_string();
            let what = if cx.scopes().def(d).kind == DefKind::PackageVar {
                "package variable"
            } else {
                "variable"
            };
            let test = match (c.bench, c.run_call) {
                (true, _) => "parallel body",
                (false, Some(_)) => "subtest",
                (false, None) => "test",
            };
            let diag = if let (true, Some(run)) = (c.bench, c.run_call) {
                Diagnostic::new(
                    CHECK.info.name,
                    CHECK.info.category,
                    format!(
                        "`RunParallel` body writes {what} `{name}`, which its other goroutines write at the same time"
                    ),
                    cx.location(file, f[target].span),
                )
                .with_related(
                    "body run by several goroutines at once here",
                    cx.location(file, f[run].span),
                )
            } else if let Some(o) = other {
                let of = cx.files[ctxs[o.ctx].file].ast;
                let kind = if o.write.is_some() { "written" } else { "used" };
                Diagnostic::new(
                    CHECK.info.name,
                    CHECK.info.category,
                    format!(
                        "parallel {test} writes {what} `{name}`, which another parallel test also uses"
                    ),
                    cx.location(file, f[target].span),
                )
                .with_related(
                    format!("also {kind} here, in a test running at the same time"),
                    cx.location(ctxs[o.ctx].file, of[o.ident].span),
                )
            } else if let (Some(run), false) = (c.run_call, c.loops.is_empty()) {
                Diagnostic::new(
                    CHECK.info.name,
                    CHECK.info.category,
                    format!(
                        "parallel subtest writes {what} `{name}`, which its other instances started by the loop write at the same time"
                    ),
                    cx.location(file, f[target].span),
                )
                .with_related("subtests started here, in a loop", cx.location(file, f[run].span))
            } else if let Some(read) = parent_read_after(cx, c, d, &mut parent_uses) {
                // A lone parallel subtest races with nobody, but the parent that looks at the
                // result after `t.Run` looks before the subtest has run.
                let diag = Diagnostic::new(
                    CHECK.info.name,
                    CHECK.info.category,
                    format!(
                        "parallel subtest writes {what} `{name}`, which the parent reads before the subtest has run"
                    ),
                    cx.location(file, f[target].span),
                )
                .with_related(
                    "read by the parent here, before the parallel subtests have run",
                    cx.location(file, f[read].span),
                );
                out.push(diag.with_help(format!(
                    "check `{name}` inside the subtest, or in a `t.Cleanup` of the parent, which runs after its subtests"
                )));
                continue;
            } else {
                continue;
            };
            // Parallel subtests wait for the parent's function to return: a read of the
            // variable in the parent after `t.Run` happens before they have written anything.
            // A write made by a method: where the method writes.
            let diag = match through.get(&(file, target)) {
                Some((mfile, w, method)) => diag.with_related(
                    format!("`{method}` writes through its receiver here"),
                    cx.location(*mfile, cx.files[*mfile].ast[*w].span),
                ),
                None => diag,
            };
            let diag = match parent_read_after(cx, c, d, &mut parent_uses) {
                Some(read) => diag.with_related(
                    "read by the parent here, before the parallel subtests have run",
                    cx.location(file, f[read].span),
                ),
                None => diag,
            };
            out.push(diag.with_help(format!(
                "declare `{name}` inside the {test}, or guard it with a mutex or an atomic"
            )));
        }
    }
}

/// For a subtest context, the first use of local `d` in the parent function after the `Run`
/// call (nested function literals aside).
fn parent_read_after(
    cx: &PackageCx<'_>,
    c: &Context,
    d: DefId,
    parent_uses: &mut ParentUses,
) -> Option<IdentId> {
    let run = c.run_call?;
    if c.bench || cx.scopes().def(d).kind == DefKind::PackageVar {
        return None;
    }
    let f = cx.files[c.file].ast;
    let parents = cx.parents(c.file);
    let home = crate::syntactic::enclosing_function(f, parents, Node::Expr(run))?;
    let bodies = cx.function_bodies(c.file);
    // In pre-order, which in a tree without syntax errors is by start.
    let from = if cx.files[c.file].clean {
        let start = home.span(f).start;
        bodies.partition_point(|(func, _)| func.span(f).start < start)
    } else {
        0
    };
    let &(_, body) = bodies[from..].iter().find(|&&(func, _)| func == home)?;
    let end = c
        .loops
        .iter()
        .map(|&(_, e)| e)
        .max()
        .unwrap_or(f[run].span.end);
    let uses = parent_uses
        .by_body
        .entry((c.file, body))
        .or_insert_with(|| BodyUses::new(cx, c.file, body));
    let list = uses.by_def.get(&d)?;
    let from = if uses.by_start {
        list.partition_point(|&(start, _)| start < end)
    } else {
        0
    };
    list[from..]
        .iter()
        .find(|&&(start, _)| start >= end)
        .map(|&(_, id)| id)
}

/// The uses of variables in each parent function body asked about, found by one walk of it
/// rather than one per report (a test of many subtests would cost its size squared).
#[derive(Default)]
struct ParentUses {
    by_body: HashMap<(usize, StmtId), BodyUses>,
}

/// The identifiers of one function body (nested function literals aside) by the variable
/// they name, each list in the order of a walk of the body: their starts and ids.
struct BodyUses {
    by_def: HashMap<DefId, Vec<(u32, IdentId)>>,
    /// Whether the walk met the identifiers in the order of their starts (in a tree without
    /// syntax errors it does), so that each list can be searched by start.
    by_start: bool,
}

impl BodyUses {
    fn new(cx: &PackageCx<'_>, file: usize, body: StmtId) -> BodyUses {
        let f = cx.files[file].ast;
        let mut by_def: HashMap<DefId, Vec<(u32, IdentId)>> = HashMap::new();
        let (mut by_start, mut last) = (true, 0);
        crate::access::walk_own(f, body, |n| {
            if let Node::Expr(e) = n {
                if let ExprKind::Ident(id) = f[e].kind {
                    let start = f[e].span.start;
                    by_start &= start >= last;
                    last = start;
                    if let Some(d) = cx.scopes().binding(file, id) {
                        by_def.entry(d).or_default().push((start, id));
                    }
                }
            }
            true
        });
        BodyUses { by_def, by_start }
    }
}

/// The method calls in body `b` (its own statements, not function literals) on a package
/// variable (`clock.Advance(d)`), with the variable's identifier.
fn package_var_calls(cx: &PackageCx<'_>, file: usize, b: StmtId) -> Vec<(ExprId, IdentId)> {
    let f = cx.files[file].ast;
    let mut out = Vec::new();
    crate::access::walk_own(f, b, |n| {
        if let Node::Expr(e) = n {
            if let ExprKind::Call { fun, .. } = f[e].kind {
                if let ExprKind::Selector { x, .. } = f[unparen(f, fun)].kind {
                    if let ExprKind::Ident(id) = f[unparen(f, x)].kind {
                        let d = cx.scopes().binding(file, id);
                        if d.is_some_and(|d| cx.scopes().def(d).kind == DefKind::PackageVar) {
                            out.push((e, id));
                        }
                    }
                }
            }
        }
        true
    });
    out
}

/// When `call` calls a method declared in the package with a pointer receiver whose body
/// writes through the receiver (`c.now = ...`) holding no lock: that write (its file and
/// target) and the method's name.
fn writes_receiver<'a, 'b>(
    cx: &'a PackageCx<'b>,
    types: &mut Option<Option<(RefMut<'a, Program<'b>>, PkgIdx)>>,
    file: usize,
    call: ExprId,
) -> Option<(usize, ExprId, String)> {
    let f = cx.files[file].ast;
    let ExprKind::Call { fun, .. } = f[call].kind else {
        return None;
    };
    let (prog, pkg) = types.get_or_insert_with(|| cx.types()).as_mut()?;
    let (dfile, decl, def) = crate::syntactic::called_decl(cx, prog, *pkg, file, fun)?;
    let d = cx.scopes().def(def);
    if !matches!(d.kind, DefKind::Method { .. }) {
        return None;
    }
    let df = cx.files[dfile].ast;
    let DeclKind::Func {
        recv: Some(recv),
        body: Some(body),
        ..
    } = df[decl].kind
    else {
        return None;
    };
    let &field = df[recv].list.first()?;
    let pointer = matches!(df[unparen(df, df[field].typ)].kind, ExprKind::Star { .. });
    let receiver = cx.scopes().binding(dfile, *df[field].names.first()?);
    if !pointer || receiver.is_none() {
        return None;
    }
    let mut events = None;
    let w = writes(cx, dfile, body).into_iter().find(|w| {
        let root = path_root(df, w.target);
        let through = matches!(df[root].kind, ExprKind::Ident(id) if cx.scopes().binding(dfile, id) == receiver);
        through
            && unparen(df, w.target) != unparen(df, root)
            && events
                .get_or_insert_with(|| lock_events(cx, dfile, body, |_| true))
                .locks_held_at(df[w.target].span.start)
                .is_empty()
    })?;
    Some((dfile, w.target, d.name.to_string()))
}

/// Whether write target `target` is an element of a slice or array at a computed index
/// (each subtest then usually writes its own element), or its types are unknown. A write
/// into a map is never that: map entries are not separate variables.
fn indexed_element<'a, 'b>(
    cx: &'a PackageCx<'b>,
    types: &mut Option<Option<(RefMut<'a, Program<'b>>, PkgIdx)>>,
    file: usize,
    target: ExprId,
) -> bool {
    let f = cx.files[file].ast;
    let mut e = unparen(f, target);
    loop {
        match f[e].kind {
            ExprKind::Index { x, index, .. } => {
                let Some((prog, pkg)) = types.get_or_insert_with(|| cx.types()).as_mut() else {
                    return true;
                };
                let t = prog.type_of(*pkg, file, x);
                if prog.is_unknown(t) {
                    return true;
                }
                if prog.is_map(t) {
                    return false;
                }
                if !matches!(f[unparen(f, index)].kind, ExprKind::BasicLit { .. }) {
                    return true;
                }
                e = unparen(f, x);
            }
            ExprKind::Selector { x, .. } | ExprKind::Star { x } => e = unparen(f, x),
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use racelens_syntax::walk::LazyParents;

    /// The pre-filter may only skip literals `contexts` would turn down: every literal whose
    /// parent in the tree is a `RunParallel(f)` or `Run(name, f)` call taking it is in
    /// `literals_given_to_run`, on every GOROOT file, a truncated copy of each, and the
    /// fixtures.
    #[test]
    fn every_literal_given_to_run_passes_the_pre_filter() {
        let mut given = [0usize; 2];
        for (name, src) in crate::access::tests::goroot_and_fixture_sources() {
            let (f, errors) = racelens_syntax::parse(&src);
            let parents = LazyParents::new(&f, errors.is_empty());
            let list = literals_given_to_run(&f);
            for (lit, e) in f.exprs_with_ids() {
                if !matches!(e.kind, ExprKind::FuncLit { .. }) {
                    continue;
                }
                let Some(Node::Expr(call)) = parents.parent(Node::Expr(lit)) else {
                    continue;
                };
                let taken = [("RunParallel", 1), ("Run", 2)].iter().position(|&(m, n)| {
                    method_call(&f, call, m)
                        .is_some_and(|(_, args)| args.len() == n && unparen(&f, args[n - 1]) == lit)
                });
                if let Some(k) = taken {
                    given[k] += 1;
                    assert!(
                        list.binary_search(&lit).is_ok(),
                        "{name}: literal {}",
                        lit.index()
                    );
                }
            }
        }
        assert!(given.iter().all(|&n| n > 0), "{given:?}");
    }
}
