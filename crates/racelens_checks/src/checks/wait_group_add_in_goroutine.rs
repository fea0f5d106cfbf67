//! `wait-group-add-in-goroutine`: `WaitGroup.Add` called inside the goroutine that the group
//! is meant to count, anywhere in the goroutine's body.

use crate::syntactic::{
    def_is_wait_group, field_type, ident_def, is_wait_group_type, method_call, struct_of_var,
    unparen,
};
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_semantic::{DefId, DefKind, FuncRef};
use racelens_syntax::ast::{ExprId, ExprKind, StmtId, StmtKind};
use racelens_syntax::token::TokenKind;
use racelens_syntax::walk::{preorder, roots, Node};

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "wait-group-add-in-goroutine",
        category: Category::Correctness,
        summary: "`WaitGroup.Add` is called inside the goroutine it should count, so `Wait` can return early.",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.1.0",
    run: Some(run),
};

const DOCS: &str = r#"## What it does

Reports a call to `Add` on a `sync.WaitGroup` that is made inside a goroutine started with
`go func() { ... }()`, when the group belongs to the code that starts the goroutine: a variable
captured from the enclosing function (which also calls `Wait` on it), a group passed to the
goroutine as an argument, or a `sync.WaitGroup` field of the receiver. The call is found
anywhere in the goroutine's body, not only as its first statement.

## Why is this bad?

`Wait` returns as soon as the counter is zero. When the goroutine itself increments the
counter, `Wait` may run before the goroutine has been scheduled, see a zero counter and return
while the work is still to be done. The race detector reports this only if a test happens to
hit the bad interleaving.

`go vet` has no such check, and staticcheck's SA2000 only looks at the first statement of the
goroutine.

## Example

```go
package p

import "sync"

func work(int) {}

func runAll(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		go func(it int) {
			wg.Add(1)
			defer wg.Done()
			work(it)
		}(it)
	}
	wg.Wait()
}
```

## Use instead

```go
package p

import "sync"

func work(int) {}

func runAll(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func(it int) {
			defer wg.Done()
			work(it)
		}(it)
	}
	wg.Wait()
}
```

## Known limitations

- The group is recognised from its declaration (`var wg sync.WaitGroup`, `wg := &sync.WaitGroup{}`,
  `new(sync.WaitGroup)`, a `*sync.WaitGroup` parameter, a `sync.WaitGroup` field of a struct
  declared in the same package); a group obtained from a function call or a field of another
  package's type is not followed yet.
- Only `go` statements with a function literal are followed, not `go s.worker()`.
- A group captured from the enclosing function is reported only when that function also
  calls `Wait` on it; a field group is reported whatever calls `Wait`.
- `Add` through an embedded `sync.WaitGroup` (`s.Add(1)`) is not reported.
"#;

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    for (file, fcx) in cx.files.iter().enumerate() {
        let f = fcx.ast;
        let mut goroutines = Vec::new();
        preorder(f, &roots(f), |n| {
            if let Node::Stmt(s) = n {
                if let StmtKind::Go { call } = f[s].kind {
                    if let ExprKind::Call { fun, .. } = f[call].kind {
                        if let ExprKind::FuncLit { .. } = f[unparen(f, fun)].kind {
                            goroutines.push((s, call, unparen(f, fun)));
                        }
                    }
                }
            }
            true
        });
        for (go_stmt, call, lit) in goroutines {
            check_goroutine(cx, file, go_stmt, call, lit, out);
        }
    }
}

fn check_goroutine(
    cx: &PackageCx<'_>,
    file: usize,
    go_stmt: StmtId,
    go_call: ExprId,
    lit: ExprId,
    out: &mut Vec<Diagnostic>,
) {
    let f = cx.files[file].ast;
    let ExprKind::FuncLit { body, .. } = f[lit].kind else {
        return;
    };
    let mut adds = Vec::new();
    preorder(f, &[Node::Stmt(body)], |n| match n {
        // A nested `go` statement is a goroutine of its own, checked on its own.
        Node::Stmt(s) if matches!(f[s].kind, StmtKind::Go { .. }) => false,
        Node::Expr(e) => {
            if let Some((recv, args)) = method_call(f, e, "Add") {
                if args.len() == 1 {
                    adds.push((e, recv));
                }
            }
            true
        }
        _ => true,
    });
    for (add, recv) in adds {
        if counts_spawner_group(cx, file, go_call, lit, recv) {
            let recv_text = cx.text(file, f[recv].span);
            out.push(
                Diagnostic::new(
                    CHECK.info.name,
                    CHECK.info.category,
                    format!(
                        "`{recv_text}.Add` is called inside the goroutine it is meant to count, so `Wait` can return before it runs"
                    ),
                    cx.location(file, f[add].span),
                )
                .with_related("goroutine started here", cx.location(file, f[go_stmt].span))
                .with_help(format!(
                    "call `{recv_text}.Add` before the `go` statement that starts the goroutine"
                )),
            );
        }
    }
}

/// Whether `recv` (the receiver of an `Add` call inside goroutine `lit`) is a wait group that
/// belongs to the code starting the goroutine.
fn counts_spawner_group(
    cx: &PackageCx<'_>,
    file: usize,
    go_call: ExprId,
    lit: ExprId,
    recv: ExprId,
) -> bool {
    let f = cx.files[file].ast;
    let inside = |def: DefId| cx.scopes.is_declared_within(def, file, FuncRef::Lit(lit));
    match f[unparen(f, recv)].kind {
        ExprKind::Ident(_) => {
            let Some(def) = ident_def(cx, file, recv) else {
                return false;
            };
            if !def_is_wait_group(cx, def) {
                return false;
            }
            if !inside(def) {
                return waited_outside(cx, file, def, lit);
            }
            // A parameter of the goroutine's function, bound to a group of the spawner.
            let d = cx.scopes.def(def);
            if d.kind != DefKind::Param || d.func != Some(FuncRef::Lit(lit)) {
                return false;
            }
            let Some(arg) = argument_for_param(cx, file, go_call, lit, def) else {
                return false;
            };
            let arg = match f[unparen(f, arg)].kind {
                ExprKind::Unary {
                    op: TokenKind::And,
                    x,
                } => x,
                _ => arg,
            };
            ident_def(cx, file, arg)
                .is_some_and(|outer| !inside(outer) && def_is_wait_group(cx, outer))
        }
        ExprKind::Selector { x, sel } => {
            let Some(owner) = ident_def(cx, file, x) else {
                return false;
            };
            if inside(owner) || !cx.scopes.def(owner).kind.is_local_variable() {
                return false;
            }
            let Some((tfile, fields)) = struct_of_var(cx, owner) else {
                return false;
            };
            let tf = cx.files[tfile].ast;
            field_type(tf, fields, f.ident_name(sel))
                .is_some_and(|t| is_wait_group_type(cx, tfile, t, true))
        }
        _ => false,
    }
}

/// The argument of the `go` call that parameter `param` of `lit` receives.
fn argument_for_param(
    cx: &PackageCx<'_>,
    file: usize,
    go_call: ExprId,
    lit: ExprId,
    param: DefId,
) -> Option<ExprId> {
    let f = cx.files[file].ast;
    let ExprKind::FuncLit { typ, .. } = f[lit].kind else {
        return None;
    };
    let ExprKind::FuncType { params, .. } = f[typ].kind else {
        return None;
    };
    let ident = cx.scopes.def(param).ident?;
    let index = f[params]
        .list
        .iter()
        .flat_map(|&field| f[field].names.iter().copied())
        .position(|n| n == ident)?;
    let ExprKind::Call {
        args,
        ellipsis: None,
        ..
    } = &f[go_call].kind
    else {
        return None;
    };
    args.get(index).copied()
}

/// Whether some code outside goroutine `lit` calls `Wait` on group `def`.
fn waited_outside(cx: &PackageCx<'_>, file: usize, def: DefId, lit: ExprId) -> bool {
    let f = cx.files[file].ast;
    let mut found = false;
    preorder(f, &roots(f), |n| {
        if found || n == Node::Expr(lit) {
            return false;
        }
        if let Node::Expr(e) = n {
            if let Some((recv, args)) = method_call(f, e, "Wait") {
                if args.is_empty() && ident_def(cx, file, recv) == Some(def) {
                    found = true;
                }
            }
        }
        true
    });
    found
}
