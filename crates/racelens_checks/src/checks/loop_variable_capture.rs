//! `loop-variable-capture`: a loop variable captured by a goroutine, a deferred function, a
//! function handed to `Go(...)` or a parallel subtest, in code whose Go version shares loop
//! variables between iterations (before Go 1.22).

use crate::syntactic::{first_param, is_qualified, method_call, unparen};
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_syntax::ast::{ExprId, ExprKind, StmtId, StmtKind};
use racelens_syntax::walk::{preorder, Node};
use racelens_syntax::GoVersion;
use std::collections::HashSet;

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "loop-variable-capture",
        category: Category::Correctness,
        summary: "A goroutine or deferred function captures a loop variable that all iterations share (before Go 1.22).",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.1.0",
    run: Some(run),
};

const DOCS: &str = r#"## What it does

Reports a loop variable of a `for` or `for range` statement that is captured by reference by a
function literal which runs later or concurrently:

- the function of a `go` statement,
- the function of a `defer` statement,
- a function passed to a `Go` method, such as `errgroup.Group.Go` or `sync.WaitGroup.Go`,
- a subtest function passed to `t.Run` that calls `t.Parallel()`,

in files whose Go language version is below 1.22 (the module's `go` line, or the file's
`//go:build go1.N` pin).

## Why is this bad?

Before Go 1.22 a loop has one variable for all its iterations. A goroutine started in the loop
reads that variable when it runs, not when it was started: usually every goroutine sees the
last element, and the read races with the loop's next assignment. The same holds for deferred
functions, which all run after the loop has finished.

Unlike `go vet`, which only looks at the last statement of the loop body, racelens looks at
every function literal anywhere in the loop body.

## Example

```go
package p

func process(string) {}

func start(items []string) {
	for _, item := range items {
		go func() {
			process(item)
		}()
	}
}
```

## Use instead

```go
package p

func process(string) {}

func start(items []string) {
	for _, item := range items {
		go func(item string) {
			process(item)
		}(item)
	}
}
```

Copying the variable inside the loop (`item := item`) works too, and so does moving the module
to Go 1.22 or later.

## Known limitations

- Only function literals are followed: `f := func() { use(v) }; go f()` is not reported.
- Any method named `Go` that takes a single function literal is assumed to run it
  concurrently, as `errgroup.Group.Go`, `sync.WaitGroup.Go` and worker-pool libraries do.
- A goroutine that is joined in the same iteration (so the variable cannot change while it
  runs) is still reported.
- Variables assigned by `for k, v = range` (without `:=`) are declared outside the loop and
  are shared in every Go version; they are left to `captured-variable-race`.
"#;

/// Go 1.22 made loop variables per-iteration.
const PER_ITERATION: GoVersion = GoVersion::new(1, 22);

/// How a function literal runs, which decides whether its captures can see later iterations.
enum Runner {
    Goroutine(StmtId),
    Deferred(StmtId),
    GoMethod(ExprId),
    ParallelSubtest(ExprId),
}

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    for (file, fcx) in cx.files.iter().enumerate() {
        if fcx.go_version >= PER_ITERATION {
            continue;
        }
        let mut reported: HashSet<racelens_syntax::ast::IdentId> = HashSet::new();
        for (lit, captures) in cx.scopes.all_captures(file) {
            let Some(runner) = runner(cx, file, *lit) else {
                continue;
            };
            for capture in captures {
                let def = cx.scopes.def(capture.def);
                let (Some(loop_stmt), Some(first_use)) = (def.loop_stmt, capture.uses.first())
                else {
                    continue;
                };
                if def.file != Some(file as u32)
                    || !inside_loop_body(cx, file, *lit, loop_stmt)
                    || !reported.insert(*first_use)
                {
                    continue;
                }
                out.push(report(cx, file, &runner, &def.name, *first_use, def.ident));
            }
        }
    }
}

fn report(
    cx: &PackageCx<'_>,
    file: usize,
    runner: &Runner,
    name: &str,
    first_use: racelens_syntax::ast::IdentId,
    decl: Option<racelens_syntax::ast::IdentId>,
) -> Diagnostic {
    let f = cx.files[file].ast;
    let (what, anchor_label, anchor) = match runner {
        Runner::Goroutine(s) => (
            "goroutine".to_string(),
            "goroutine started here",
            f[*s].span,
        ),
        Runner::Deferred(s) => ("deferred function".to_string(), "deferred here", f[*s].span),
        Runner::GoMethod(call) => {
            let recv = method_call(f, *call, "Go").map(|(r, _)| cx.text(file, f[r].span));
            (
                format!("function passed to `{}.Go`", recv.unwrap_or("?")),
                "run concurrently from here",
                f[*call].span,
            )
        }
        Runner::ParallelSubtest(call) => (
            "parallel subtest".to_string(),
            "subtest started here",
            f[*call].span,
        ),
    };
    let mut d = Diagnostic::new(
        CHECK.info.name,
        CHECK.info.category,
        format!(
            "{what} captures loop variable `{name}`, which all iterations share before Go 1.22"
        ),
        cx.location(file, f[first_use].span),
    );
    if let Some(decl) = decl {
        d = d.with_related(
            "loop variable declared here",
            cx.location(file, f[decl].span),
        );
    }
    d.with_related(anchor_label, cx.location(file, anchor))
        .with_help(format!(
            "pass `{name}` to the function as an argument, or copy it with `{name} := {name}` inside the loop"
        ))
}

/// How function literal `lit` runs, if it runs later or concurrently.
fn runner(cx: &PackageCx<'_>, file: usize, lit: ExprId) -> Option<Runner> {
    let f = cx.files[file].ast;
    let parents = cx.parents(file);
    // Climb through parentheses around the literal.
    let mut node = Node::Expr(lit);
    let mut parent = parents.parent(node)?;
    while let Node::Expr(p) = parent {
        if !matches!(f[p].kind, ExprKind::Paren { .. }) {
            break;
        }
        node = parent;
        parent = parents.parent(node)?;
    }
    let Node::Expr(call) = parent else {
        return None;
    };
    let ExprKind::Call { fun, args, .. } = &f[call].kind else {
        return None;
    };
    if Node::Expr(unparen(f, *fun)) == Node::Expr(lit) {
        // `go func() {...}()` or `defer func() {...}()`.
        return match parents.parent(Node::Expr(call))? {
            Node::Stmt(s) => match f[s].kind {
                StmtKind::Go { .. } => Some(Runner::Goroutine(s)),
                StmtKind::Defer { .. } => Some(Runner::Deferred(s)),
                _ => None,
            },
            _ => None,
        };
    }
    let arg_index = args
        .iter()
        .position(|&a| Node::Expr(unparen(f, a)) == Node::Expr(lit))?;
    if args.len() == 1 && method_call(f, call, "Go").is_some() {
        return Some(Runner::GoMethod(call));
    }
    if args.len() == 2
        && arg_index == 1
        && method_call(f, call, "Run").is_some()
        && is_parallel_subtest(cx, file, lit)
    {
        return Some(Runner::ParallelSubtest(call));
    }
    None
}

/// Whether `lit` is `func(t *testing.T) { ... t.Parallel() ... }`.
fn is_parallel_subtest(cx: &PackageCx<'_>, file: usize, lit: ExprId) -> bool {
    let f = cx.files[file].ast;
    let ExprKind::FuncLit { typ, body } = f[lit].kind else {
        return false;
    };
    let ExprKind::FuncType { params, .. } = f[typ].kind else {
        return false;
    };
    let Some(&first) = f[params].list.first() else {
        return false;
    };
    let param_type = f[first].typ;
    let is_testing_t = match f[unparen(f, param_type)].kind {
        ExprKind::Star { x } => is_qualified(cx, file, x, "testing", "T"),
        _ => false,
    };
    let Some(t) = first_param(f, typ).and_then(|id| cx.scopes.binding(file, id)) else {
        return false;
    };
    if !is_testing_t {
        return false;
    }
    let mut found = false;
    preorder(f, &[Node::Stmt(body)], |n| {
        if found {
            return false;
        }
        if let Node::Expr(e) = n {
            if let Some((recv, args)) = method_call(f, e, "Parallel") {
                if args.is_empty() && crate::syntactic::ident_def(cx, file, recv) == Some(t) {
                    found = true;
                }
            }
        }
        true
    });
    found
}

/// Whether `lit` lies in the body of loop statement `loop_stmt` (not in its header).
fn inside_loop_body(cx: &PackageCx<'_>, file: usize, lit: ExprId, loop_stmt: StmtId) -> bool {
    let f = cx.files[file].ast;
    let body = match f[loop_stmt].kind {
        StmtKind::For { body, .. } | StmtKind::Range { body, .. } => body,
        _ => return false,
    };
    cx.parents(file)
        .ancestors(Node::Expr(lit))
        .any(|n| n == Node::Stmt(body))
}
