//! `loop-variable-capture`: a loop variable captured by a goroutine, a deferred function, a
//! function handed to `Go(...)` or a parallel subtest, in code whose Go version shares loop
//! variables between iterations (before Go 1.22).

use crate::syntactic::{
    declared_together, enclosing_function, first_param, ident_def, is_qualified,
    last_args_of_calls, method_call, unparen,
};
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_semantic::{Capture, DefId};
use racelens_syntax::ast::{ExprId, ExprKind, Span, StmtId, StmtKind};
use racelens_syntax::token::TokenKind;
use racelens_syntax::walk::{preorder, LazyParents, Node};
use racelens_syntax::{File, GoVersion};
use std::collections::{HashMap, HashSet};

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "loop-variable-capture",
        category: Category::Correctness,
        summary: "A goroutine or deferred function captures a loop variable that all iterations share (before Go 1.22).",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.1.0",
    needs_types: false,
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
- A goroutine that the same iteration waits for cannot see a later value and is not
  reported. racelens recognises the wait when, after the `go` statement, the rest of the loop
  body receives from (or `select`s on, or ranges over) a channel the goroutine uses, calls
  `Wait()` on something the goroutine uses, uses a variable declared together with one the
  goroutine uses (`pr, pw := io.Pipe()`), or hands a channel the goroutine uses, made with
  `make(chan ...)` where it is declared, to a call (`waitForServerStart(e, errCh)`; not to a
  `go` or `defer` statement). Other ways of waiting (a call that blocks until the goroutine
  is done) are not recognised, and a receive from a channel the goroutine shares but does
  not signal on, or a call handed such a channel that does not receive from it, is taken as
  a wait (a missed report rather than a false one).
- A deferred function is reported only when the `defer` is in the loop's own function (a
  `defer` inside a function literal called in the loop runs before the iteration ends), and a
  parallel subtest only when its `t.Run` is in the loop's own function (a non-parallel `t.Run`
  around it waits for its parallel subtests).
- Variables assigned by `for k, v = range` (without `:=`) are declared outside the loop and
  are shared in every Go version; they are left to `captured-variable-race`.
- A loop whose body holds more than 64 other loops is not analysed: finding the waits of each
  of thousands of loops nested in one another would cost their number squared. Nor is a
  function literal with more than 64 literals nested in it, one inside the other, around a
  use of a variable from outside it (name resolution lists a use as a capture of the 64
  literals nearest around it only). Such nesting is generated or hostile code.
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
        // Only a function literal that a `go` or `defer` statement, a `Go(f)` call or a
        // `Run(name, f)` call takes can run later: a file without one has nothing to report,
        // and is neither resolved for this check nor given a parent map. (Flat scans.)
        if !file_may_run_later(cx, file) {
            continue;
        }
        let f = fcx.ast;
        let later = literals_that_may_run_later(f);
        // And only one inside the body of a loop, whose span then holds the literal's (in a
        // tree without syntax errors); a subtest's only if a `Parallel()` call lies inside
        // it too.
        if fcx.clean && !any_candidate(f, &later) {
            continue;
        }
        let mut reported: HashSet<racelens_syntax::ast::IdentId> = HashSet::new();
        let mut join_memo: HashMap<JoinKey, JoinEvents> = HashMap::new();
        // The starts of the file's loops, found when a loop is first asked about.
        let mut loops: Option<Vec<u32>> = None;
        for (lit, captures) in cx.scopes().all_captures(file) {
            // Most captured variables are not loop variables: skip those literals before
            // asking how they run (which needs the file's parent map).
            if !captures
                .iter()
                .any(|c| cx.scopes().def(c.def).loop_stmt.is_some())
            {
                continue;
            }
            // A literal nested among thousands has its captures listed only in part, and
            // without them all the waits cannot be told (a missed report, not a false one).
            if later.binary_search(lit).is_err() || cx.scopes().captures_cut(file, *lit) {
                continue;
            }
            let Some(runner) = runner(cx, file, *lit) else {
                continue;
            };
            // Whether the iteration waits for the function, per loop (a literal may capture
            // variables of nested loops, and an outer iteration may wait where an inner does not).
            let mut joined: Vec<(StmtId, bool)> = Vec::new();
            for capture in captures {
                let def = cx.scopes().def(capture.def);
                let (Some(loop_stmt), Some(first_use)) = (def.loop_stmt, capture.uses.first())
                else {
                    continue;
                };
                if def.file != Some(file as u32) || !inside_loop_body(cx, file, *lit, loop_stmt) {
                    continue;
                }
                // A deferred call runs when its own function returns, and a non-parallel
                // `t.Run` waits for its parallel subtests: only when the defer or the `t.Run`
                // is in the loop's own function does the function outlive the iteration.
                let same_function = match runner {
                    Runner::Deferred(defer) => Some(Node::Stmt(defer)),
                    Runner::ParallelSubtest(call) => Some(Node::Expr(call)),
                    _ => None,
                };
                if let Some(node) = same_function {
                    let (f, parents) = (fcx.ast, cx.parents(file));
                    if enclosing_function(f, parents, node)
                        != enclosing_function(f, parents, Node::Stmt(loop_stmt))
                    {
                        continue;
                    }
                }
                let is_joined = match joined.iter().find(|(l, _)| *l == loop_stmt) {
                    Some(&(_, j)) => j,
                    None => {
                        // A loop holding many loops is left alone (taken as joined): the
                        // join events of nested loops are found for each of them, in
                        // bodies holding one another.
                        let loops = loops.get_or_insert_with(|| loop_starts(f));
                        let j = nested_loops(f, loops, loop_stmt) > MAX_NESTED_LOOPS
                            || joined_in_iteration(
                                cx,
                                file,
                                &runner,
                                loop_stmt,
                                captures,
                                &mut join_memo,
                            );
                        joined.push((loop_stmt, j));
                        j
                    }
                };
                if is_joined || !reported.insert(*first_use) {
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

/// Whether file `file` holds anything `runner` looks for: else no literal of it runs later.
fn file_may_run_later(cx: &PackageCx<'_>, file: usize) -> bool {
    let f = cx.files[file].ast;
    f.stmts
        .iter()
        .any(|s| matches!(s.kind, StmtKind::Go { .. } | StmtKind::Defer { .. }))
        || cx.file_calls_method(file, &["Go"], 1)
        || (cx.file_calls_method(file, &["Run"], 2) && cx.file_calls_method(file, &["Parallel"], 0))
}

/// The expressions of `f` (function literals, mostly) that `runner` can find running later: the called literal of
/// a `go` or `defer` statement, the argument of a one-argument `Go` call, the second argument
/// of a two-argument `Run` call, sorted. A flat scan of the arenas (no parent map): it may
/// hold literals that error recovery dropped from the tree, and `runner` decides on each, so
/// the list only needs to hold every literal `runner` can accept.
fn literals_that_may_run_later(f: &File) -> Vec<ExprId> {
    // Whatever the expression is: `runner` compares the captured literal with it.
    let mut out = last_args_of_calls(f, &[("Go", 1), ("Run", 2)]);
    for s in &f.stmts {
        if let StmtKind::Go { call } | StmtKind::Defer { call } = s.kind {
            if let ExprKind::Call { fun, .. } = f[call].kind {
                out.push(unparen(f, fun));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether some expression of `later` (the file's `literals_that_may_run_later`) can be a
/// literal the check reports, as flat scans of the spans of a tree without syntax errors
/// tell: a function literal inside the body of a loop, which, when it is the function of a
/// `Run(name, f)` call, holds a `Parallel()` call (`is_parallel_subtest` looks for one in it).
fn any_candidate(f: &File, later: &[ExprId]) -> bool {
    let bodies = Spans::new(loop_body_spans(f));
    let in_loop: Vec<ExprId> = later
        .iter()
        .copied()
        .filter(|&e| matches!(f[e].kind, ExprKind::FuncLit { .. }))
        .filter(|&e| bodies.any_holds(f[e].span))
        .collect();
    if in_loop.is_empty() {
        return false;
    }
    let subtests = last_args_of_calls(f, &[("Run", 2)]);
    let parallel = Spans::new(
        f.exprs_with_ids()
            .filter(|&(id, _)| parallel_call(f, id).is_some())
            .map(|(_, e)| e.span)
            .collect(),
    );
    in_loop
        .iter()
        .any(|&e| subtests.binary_search(&e).is_err() || parallel.any_inside(f[e].span))
}

/// Spans, sorted by start, for asking whether one of them holds a span or lies inside it
/// in a logarithmic number of steps rather than one per span (a file of thousands of loops
/// and literals would cost their product).
struct Spans {
    by_start: Vec<Span>,
    /// The largest end among `by_start[..=i]`.
    max_end: Vec<u32>,
    /// The smallest end among `by_start[i..]`.
    min_end: Vec<u32>,
}

impl Spans {
    fn new(mut spans: Vec<Span>) -> Spans {
        spans.sort_by_key(|s| s.start);
        let max_end = spans
            .iter()
            .scan(0, |m, s| {
                *m = s.end.max(*m);
                Some(*m)
            })
            .collect();
        let mut min_end: Vec<u32> = spans
            .iter()
            .rev()
            .scan(u32::MAX, |m, s| {
                *m = s.end.min(*m);
                Some(*m)
            })
            .collect();
        min_end.reverse();
        Spans {
            by_start: spans,
            max_end,
            min_end,
        }
    }

    /// Whether one of the spans holds `inner` (starts at or before it, ends at or after it).
    fn any_holds(&self, inner: Span) -> bool {
        let n = self.by_start.partition_point(|s| s.start <= inner.start);
        n > 0 && self.max_end[n - 1] >= inner.end
    }

    /// Whether one of the spans lies inside `outer`.
    fn any_inside(&self, outer: Span) -> bool {
        let from = self.by_start.partition_point(|s| s.start < outer.start);
        from < self.by_start.len() && self.min_end[from] <= outer.end
    }
}

/// Call `e` as `x.Parallel()`: its receiver. (`any_candidate` and `is_parallel_subtest`
/// must agree.)
fn parallel_call(f: &File, e: ExprId) -> Option<ExprId> {
    match method_call(f, e, "Parallel")? {
        (recv, []) => Some(recv),
        _ => None,
    }
}

/// The spans of the bodies of the `for` and `for range` statements of `f`'s arena (a flat
/// scan: it may hold statements that error recovery dropped from the tree).
fn loop_body_spans(f: &File) -> Vec<Span> {
    f.stmts
        .iter()
        .filter_map(|s| match s.kind {
            StmtKind::For { body, .. } | StmtKind::Range { body, .. } => Some(f[body].span),
            _ => None,
        })
        .collect()
}

/// How function literal `lit` runs, if it runs later or concurrently.
fn runner(cx: &PackageCx<'_>, file: usize, lit: ExprId) -> Option<Runner> {
    match runner_by_shape(cx.files[file].ast, cx.parents(file), lit)? {
        Runner::ParallelSubtest(call) => {
            is_parallel_subtest(cx, file, lit).then_some(Runner::ParallelSubtest(call))
        }
        r => Some(r),
    }
}

/// How `lit` runs as far as the tree around it tells: `runner` without the check that a
/// `Run(name, f)` literal calls `t.Parallel()`.
fn runner_by_shape(f: &File, parents: &LazyParents<'_>, lit: ExprId) -> Option<Runner> {
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
    let arg_index = f[args]
        .iter()
        .position(|&a| Node::Expr(unparen(f, a)) == Node::Expr(lit))?;
    if args.len() == 1 && method_call(f, call, "Go").is_some() {
        return Some(Runner::GoMethod(call));
    }
    if args.len() == 2 && arg_index == 1 && method_call(f, call, "Run").is_some() {
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
    let Some(t) = first_param(f, typ).and_then(|id| cx.scopes().binding(file, id)) else {
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
            if let Some(recv) = parallel_call(f, e) {
                if crate::syntactic::ident_def(cx, file, recv) == Some(t) {
                    found = true;
                }
            }
        }
        true
    });
    found
}

/// A loop whose body holds more loops than this is not analysed: finding the join events of
/// each of thousands of loops nested in one another would cost their number squared.
pub const MAX_NESTED_LOOPS: usize = 64;

/// The starts of the file's `for` statements, in order.
fn loop_starts(f: &File) -> Vec<u32> {
    let mut starts: Vec<u32> = f
        .stmts
        .iter()
        .filter(|s| matches!(s.kind, StmtKind::For { .. } | StmtKind::Range { .. }))
        .map(|s| s.span.start)
        .collect();
    starts.sort_unstable();
    starts
}

/// How many `for` statements start inside the body of `loop_stmt` (`loops`: the file's, from
/// `loop_starts`).
fn nested_loops(f: &File, loops: &[u32], loop_stmt: StmtId) -> usize {
    let span = f[loop_stmt].span;
    let from = loops.partition_point(|&s| s <= span.start);
    let to = loops.partition_point(|&s| s < span.end);
    to.saturating_sub(from)
}

/// Whether the iteration that starts the goroutine (or `Go` call) also waits for it, so the
/// loop variable cannot change while the function runs. The evidence, looked for after the
/// start in the rest of the loop body (outside other function literals):
/// - a receive, `range` or `select` on a channel the function also uses,
/// - a `Wait()` on something the function also uses (a `WaitGroup`, an `errgroup.Group`),
/// - a use of a variable declared together with one the function uses (`pr, pw := io.Pipe()`:
///   the function writes one end, the iteration reads the other),
/// - a call (not a `go` or `defer` statement's) handed a channel the function uses that was
///   made by `make(chan ...)` where it is declared (`waitForServerStart(e, errCh)`).
fn joined_in_iteration(
    cx: &PackageCx<'_>,
    file: usize,
    runner: &Runner,
    loop_stmt: StmtId,
    captures: &[Capture],
    memo: &mut HashMap<JoinKey, JoinEvents>,
) -> bool {
    let f = cx.files[file].ast;
    let (start_after, go_recv) = match runner {
        Runner::Goroutine(s) | Runner::Deferred(s) => (f[*s].span.end, None),
        Runner::GoMethod(call) => (
            f[*call].span.end,
            method_call(f, *call, "Go").and_then(|(r, _)| ident_def(cx, file, r)),
        ),
        // Parallel subtests resume only after the parent's loop is over.
        Runner::ParallelSubtest(_) => return false,
    };
    let body = match f[loop_stmt].kind {
        StmtKind::For { body, .. } | StmtKind::Range { body, .. } => body,
        _ => return false,
    };
    let partners: HashSet<DefId> = captures.iter().map(|c| c.def).chain(go_recv).collect();
    let siblings: HashSet<DefId> = captures
        .iter()
        .flat_map(|c| declared_together(cx, c.def))
        .filter(|d| !partners.contains(d))
        .collect();
    let sorted = |set: &HashSet<DefId>| {
        let mut v: Vec<DefId> = set.iter().copied().collect();
        v.sort_unstable();
        v
    };
    // A loop of many goroutines sharing their captures asks the same question of the same
    // body for each: its join events are found once.
    memo.entry((loop_stmt, sorted(&partners), sorted(&siblings)))
        .or_insert_with(|| JoinEvents::new(cx, file, body, &partners, &siblings))
        .any_after(start_after)
}

/// The memo key of [`JoinEvents`]: the loop, and the sorted partners and siblings.
type JoinKey = (StmtId, Vec<DefId>, Vec<DefId>);

/// The join events of one loop body for one set of partners and siblings (see
/// `joined_in_iteration`), by position: each event's start, and the start of the innermost
/// function literal of the body around it (0 when none), so that the events a walk from a
/// position would meet (those after it, outside literals that start after it) are found by a
/// binary search.
struct JoinEvents {
    /// Event starts, sorted.
    starts: Vec<u32>,
    /// For each event in `starts` order: the least start of the innermost function literal
    /// around it or around any later event.
    later_lit: Vec<u32>,
}

impl JoinEvents {
    fn new(
        cx: &PackageCx<'_>,
        file: usize,
        body: StmtId,
        partners: &HashSet<DefId>,
        siblings: &HashSet<DefId>,
    ) -> JoinEvents {
        let f = cx.files[file].ast;
        let is_partner = |e: ExprId| ident_def(cx, file, e).is_some_and(|d| partners.contains(&d));
        // The channels among the partners that the function made, found at the first call
        // handed one.
        let mut made: HashMap<DefId, bool> = HashMap::new();
        let mut made_channel = |e: ExprId| {
            ident_def(cx, file, e).is_some_and(|d| {
                partners.contains(&d)
                    && *made
                        .entry(d)
                        .or_insert_with(|| crate::syntactic::made_as_channel(cx, d))
            })
        };
        let parents = cx.parents(file);
        let mut events: Vec<Node> = Vec::new();
        preorder(f, &[Node::Stmt(body)], |n| {
            let event = match n {
                Node::Expr(e) => match &f[e].kind {
                    ExprKind::Unary {
                        op: TokenKind::Arrow,
                        x,
                    } => is_partner(*x),
                    ExprKind::Ident(id) => cx
                        .scopes()
                        .binding(file, *id)
                        .is_some_and(|d| siblings.contains(&d)),
                    // A call handed a channel the goroutine uses and the iteration made
                    // (`waitForServerStart(e, errCh)`), not one a `go` or `defer` makes.
                    ExprKind::Call { args, .. }
                        if f[*args].iter().any(|&a| made_channel(unparen(f, a)))
                            && !matches!(parents.parent(Node::Expr(e)),
                                Some(Node::Stmt(st)) if matches!(f[st].kind, StmtKind::Go { .. } | StmtKind::Defer { .. })) =>
                    {
                        true
                    }
                    _ => method_call(f, e, "Wait")
                        .is_some_and(|(recv, args)| args.is_empty() && is_partner(recv)),
                },
                Node::Stmt(s) => matches!(f[s].kind, StmtKind::Range { x, .. } if is_partner(x)),
                _ => false,
            };
            if event {
                events.push(n);
            }
            true
        });
        let mut found: Vec<(u32, u32)> = events
            .into_iter()
            .map(|n| {
                let lit = parents
                    .ancestors(n)
                    .take_while(|&a| a != Node::Stmt(body))
                    .find_map(|a| match a {
                        Node::Expr(e) if matches!(f[e].kind, ExprKind::FuncLit { .. }) => {
                            Some(f[e].span.start)
                        }
                        _ => None,
                    });
                (n.span(f).start, lit.unwrap_or(0))
            })
            .collect();
        found.sort_unstable();
        let mut later_lit = vec![0; found.len()];
        let mut least = u32::MAX;
        for (i, &(_, lit)) in found.iter().enumerate().rev() {
            least = least.min(lit);
            later_lit[i] = least;
        }
        JoinEvents {
            starts: found.into_iter().map(|(s, _)| s).collect(),
            later_lit,
        }
    }

    /// Whether a walk of the body from offset `at` meets an event: one that starts at or after
    /// `at`, outside any function literal that starts at or after `at`.
    fn any_after(&self, at: u32) -> bool {
        let i = self.starts.partition_point(|&s| s < at);
        i < self.starts.len() && self.later_lit[i] < at
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FileCx;
    use racelens_syntax::LineIndex;

    /// The walk `JoinEvents` replaced: from the start, through the rest of the loop body,
    /// outside function literals that start after it, for a join event.
    fn joined_by_walk(
        cx: &PackageCx<'_>,
        body: StmtId,
        start_after: u32,
        partners: &HashSet<DefId>,
        siblings: &HashSet<DefId>,
    ) -> bool {
        let f = cx.files[0].ast;
        let is_partner = |e: ExprId| ident_def(cx, 0, e).is_some_and(|d| partners.contains(&d));
        let mut joined = false;
        preorder(f, &[Node::Stmt(body)], |n| {
            if joined {
                return false;
            }
            let span = n.span(f);
            if span.end <= start_after {
                return false;
            }
            if span.start < start_after {
                return true;
            }
            match n {
                Node::Expr(e) => match &f[e].kind {
                    ExprKind::FuncLit { .. } => return false,
                    ExprKind::Unary {
                        op: TokenKind::Arrow,
                        x,
                    } if is_partner(*x) => joined = true,
                    ExprKind::Ident(id) => {
                        joined |= cx
                            .scopes()
                            .binding(0, *id)
                            .is_some_and(|d| siblings.contains(&d));
                    }
                    ExprKind::Call { args, .. }
                        if f[*args].iter().any(|&a| {
                            is_partner(a)
                                && ident_def(cx, 0, a)
                                    .is_some_and(|d| crate::syntactic::made_as_channel(cx, d))
                        }) && !matches!(cx.parents(0).parent(Node::Expr(e)),
                            Some(Node::Stmt(st)) if matches!(f[st].kind, StmtKind::Go { .. } | StmtKind::Defer { .. })) =>
                    {
                        joined = true;
                    }
                    _ => {
                        joined |= method_call(f, e, "Wait")
                            .is_some_and(|(recv, args)| args.is_empty() && is_partner(recv));
                    }
                },
                Node::Stmt(s) => {
                    joined |= matches!(f[s].kind, StmtKind::Range { x, .. } if is_partner(x));
                }
                _ => {}
            }
            !joined
        });
        joined
    }

    /// `JoinEvents` answers as the walk does, for every goroutine of random loop bodies made
    /// of goroutines, receives, waits, ranges, uses of a pipe's other end, calls handed a
    /// channel the function made (and `go` statements that hand it on) and function
    /// literals (started or called) holding some of these.
    #[test]
    fn join_events_answer_as_the_walk_does() {
        let mut next = crate::access::tests::numbers(0x9e37_79b9_7f4a_7c15);
        let (mut joined, mut not_joined) = (0, 0);
        for round in 0..150 {
            let mut body = String::new();
            let pieces = 2 + next(10);
            for i in 0..pieces {
                let piece = match next(12) {
                    0 | 1 => format!("go func() {{ use(v, ch, wg, pw, mc, {i}) }}()"),
                    9 => "use(mc)".to_string(),
                    10 => "go use(mc)".to_string(),
                    2 => "<-ch".to_string(),
                    3 => "wg.Wait()".to_string(),
                    4 => "for range ch {}".to_string(),
                    5 => "use(pr)".to_string(),
                    6 => "go func() { <-ch; wg.Wait() }()".to_string(),
                    7 => "func() { wg.Wait() }()".to_string(),
                    _ => format!("if v > {i} {{ go func() {{ use(v) }}(); <-ch }}"),
                };
                body.push_str("\t\t");
                body.push_str(&piece);
                body.push('\n');
            }
            let src = format!(
                "package p\n\nfunc use(...any) {{}}\n\nfunc f(xs []int, ch chan int, wg interface{{ Wait() }}) {{\n\tpr, pw := 1, 2\n\tmc := make(chan int)\n\tfor _, v := range xs {{\n{body}\t}}\n}}\n"
            );
            let (file, errors) = racelens_syntax::parse(src.as_bytes());
            assert!(errors.is_empty(), "{errors:?}\n{src}");
            let lines = std::sync::OnceLock::from(LineIndex::new(src.as_bytes()));
            let scopes = racelens_semantic::resolve_package(&[&file]);
            let files = [FileCx {
                path: "p.go",
                ast: &file,
                lines: &lines,
                go_version: GoVersion::new(1, 21),
                clean: true,
            }];
            let cx = PackageCx::new(&files, &scopes);
            let f = &file;
            let loop_stmt = StmtId::new(
                f.stmts
                    .iter()
                    .position(|s| matches!(s.kind, StmtKind::Range { .. }))
                    .expect("the loop") as u32,
            );
            let StmtKind::Range {
                body: loop_body, ..
            } = f[loop_stmt].kind
            else {
                unreachable!()
            };
            let mut memo = HashMap::new();
            for (lit, captures) in cx.scopes().all_captures(0) {
                let Some(Runner::Goroutine(go)) = runner_by_shape(f, cx.parents(0), *lit) else {
                    continue;
                };
                let partners: HashSet<DefId> = captures.iter().map(|c| c.def).collect();
                let siblings: HashSet<DefId> = captures
                    .iter()
                    .flat_map(|c| declared_together(&cx, c.def))
                    .filter(|d| !partners.contains(d))
                    .collect();
                let want = joined_by_walk(&cx, loop_body, f[go].span.end, &partners, &siblings);
                let got = joined_in_iteration(
                    &cx,
                    0,
                    &Runner::Goroutine(go),
                    loop_stmt,
                    captures,
                    &mut memo,
                );
                assert_eq!(
                    got, want,
                    "round {round}, goroutine at {}:\n{src}",
                    f[go].span.start
                );
                if want {
                    joined += 1;
                } else {
                    not_joined += 1;
                }
            }
        }
        // Both answers came up, many times.
        assert!(
            joined > 50 && not_joined > 50,
            "{joined} joined, {not_joined} not"
        );
    }

    /// `Spans` answers as a search of every span does, on spans that nest, overlap, touch
    /// and repeat.
    #[test]
    fn spans_answer_as_a_search_of_every_span() {
        let mut next = crate::access::tests::numbers(0x2545_f491_4f6c_dd1d);
        let span = |next: &mut dyn FnMut(u32) -> u32| {
            let start = next(60);
            Span {
                start,
                end: start + next(20),
            }
        };
        let (mut holds, mut inside) = (0, 0);
        for round in 0..300 {
            let spans: Vec<Span> = (0..round % 12).map(|_| span(&mut next)).collect();
            let index = Spans::new(spans.clone());
            for _ in 0..40 {
                let q = span(&mut next);
                let want_holds = spans.iter().any(|b| b.start <= q.start && q.end <= b.end);
                let want_inside = spans.iter().any(|p| q.start <= p.start && p.end <= q.end);
                assert_eq!(index.any_holds(q), want_holds, "{spans:?} holding {q:?}");
                assert_eq!(index.any_inside(q), want_inside, "{spans:?} inside {q:?}");
                holds += usize::from(want_holds);
                inside += usize::from(want_inside);
            }
        }
        // Both answers came up both ways.
        assert!(holds > 100 && inside > 100 && holds < 11_000 && inside < 11_000);
    }

    /// The pre-filter may only skip literals `runner` would turn down: every expression the
    /// tree shows run later is in `literals_that_may_run_later`, on every GOROOT file, every
    /// fixture, and a truncated copy of each GOROOT file (error recovery's trees).
    #[test]
    fn every_literal_that_runs_later_passes_the_pre_filter() {
        let mut running = [0usize; 4];
        for (name, src) in crate::access::tests::goroot_and_fixture_sources() {
            let (f, errors) = racelens_syntax::parse(&src);
            let parents = LazyParents::new(&f, errors.is_empty());
            let later = literals_that_may_run_later(&f);
            for (e, _) in f.exprs_with_ids() {
                let Some(r) = runner_by_shape(&f, &parents, e) else {
                    continue;
                };
                running[match r {
                    Runner::Goroutine(_) => 0,
                    Runner::Deferred(_) => 1,
                    Runner::GoMethod(_) => 2,
                    Runner::ParallelSubtest(_) => 3,
                }] += 1;
                assert!(
                    later.binary_search(&e).is_ok(),
                    "{name}: expression {}",
                    e.index()
                );
            }
        }
        assert!(running.iter().all(|&n| n > 0), "{running:?}");
    }

    /// The loop filter may only skip literals `inside_loop_body` turns down: in a tree
    /// without syntax errors, a literal below a loop's body lies within that body's span, on
    /// every GOROOT file, every fixture, and those truncated copies of GOROOT files that
    /// still parse without errors.
    #[test]
    fn every_literal_inside_a_loop_body_is_within_its_span() {
        let mut inside = 0usize;
        for (name, src) in crate::access::tests::goroot_and_fixture_sources() {
            let (f, errors) = racelens_syntax::parse(&src);
            if !errors.is_empty() {
                continue;
            }
            let parents = LazyParents::new(&f, true);
            let bodies = loop_body_spans(&f);
            for (e, lit) in f.exprs_with_ids() {
                if !matches!(lit.kind, ExprKind::FuncLit { .. }) {
                    continue;
                }
                for (k, s) in f.stmts.iter().enumerate() {
                    let (StmtKind::For { body, .. } | StmtKind::Range { body, .. }) = s.kind else {
                        continue;
                    };
                    // As `inside_loop_body` decides.
                    if !parents
                        .ancestors(Node::Expr(e))
                        .any(|n| n == Node::Stmt(body))
                    {
                        continue;
                    }
                    let b = f[body].span;
                    assert!(
                        b.start <= f[e].span.start && f[e].span.end <= b.end,
                        "{name}: literal {} outside the body of loop {k}",
                        e.index()
                    );
                    // And what `is_parallel_subtest` finds in the literal lies inside it.
                    if let ExprKind::FuncLit { body: lit_body, .. } = f[e].kind {
                        preorder(&f, &[Node::Stmt(lit_body)], |n| {
                            if let Node::Expr(x) = n {
                                assert!(
                                    f[e].span.start <= f[x].span.start
                                        && f[x].span.end <= f[e].span.end,
                                    "{name}: expression {} outside literal {}",
                                    x.index(),
                                    e.index()
                                );
                            }
                            true
                        });
                    }
                    assert!(bodies.contains(&b), "{name}: loop {k}");
                    inside += 1;
                }
            }
        }
        assert!(inside > 1000, "{inside} literals inside loops");
    }
}
