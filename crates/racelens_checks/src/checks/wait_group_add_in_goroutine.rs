//! `wait-group-add-in-goroutine`: `WaitGroup.Add` called inside the goroutine that the group
//! is meant to count, anywhere in the goroutine's body.

use crate::syntactic::{
    def_is_wait_group, enclosing_function, field_type, ident_def, is_wait_group_type, method_call,
    named_type_of, named_type_of_var, struct_of_type, struct_of_var, unparen,
};
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_semantic::scope::FxMap as HashMap;
use racelens_semantic::{DefId, DefKind, FuncRef};
use racelens_syntax::ast::{DeclId, DeclKind, ExprId, ExprKind, IdentId, StmtId, StmtKind};
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
    needs_types: false,
    run: Some(run),
};

const DOCS: &str = r#"## What it does

Reports a call to `Add` on a `sync.WaitGroup` that is made inside a goroutine started with
`go func() { ... }()`, when the group belongs to the code that starts the goroutine: a variable
captured from the enclosing function (which also calls `Wait` on it), a group passed to the
goroutine as an argument, or a `sync.WaitGroup` field of the receiver. The call is found
anywhere in the goroutine's body, not only as its first statement.

Goroutines that run a named method or function of the package are followed into its body:
`go p.worker()` where `worker` calls `p.wg.Add(1)` on a `sync.WaitGroup` field of its
receiver that some code of the package waits on (`p.wg.Wait()` on a value of the same type),
and `go fetch(&wg, u)` where `fetch` calls `Add` on the parameter given the spawner's group,
which the spawner waits on.

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
- A named goroutine is followed one call deep: into the method of a local variable, parameter
  or receiver of a struct type of the package (`go p.worker()`), or a function of the
  package (`go fetch(&wg, u)`), not into what those call, nor through method values,
  interfaces or functions of other packages.
- A group captured from the enclosing function is reported only when that function also
  calls `Wait` on it; a field group is reported whatever calls `Wait`.
- `Add` through an embedded `sync.WaitGroup` (`s.Add(1)`) is not reported.
- The goroutine is taken to be counted already, and its `Add` calls to be for work it hands
  on, when the starting function calls `Add` on the same group before the `go` statement, or
  when the goroutine's first operation on the group is `Done` (usually `defer wg.Done()`).
- An `Add` on a field group right after a `Lock` call is not reported when some `Wait` on a
  field of the same name comes right after a `Lock` of a mutex of the same name: the author
  serialised the two on purpose (the goroutine usually checks for shutdown once counted).
- For a field group, an `Add` followed in its block by a `go` statement is taken to count that
  new goroutine; whether the goroutine making the call is itself waited for is decided in
  other methods, which this check does not follow yet.
"#;

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    let waits = FieldWaits::new();
    for (file, fcx) in cx.files.iter().enumerate() {
        let f = fcx.ast;
        // Only an `x.Add(n)` call inside a goroutine is reported: a file without any call
        // named `Add` with one argument has nothing to report, and is not scanned.
        if !cx.file_calls_method(file, &["Add"], 1) {
            continue;
        }
        // A flat scan of the statement arena finds every `go` statement without a walk. (The
        // arena may hold a statement that error recovery dropped from the tree: those have no
        // parent and are skipped; `check_goroutine` asks only once the goroutine calls `Add`,
        // so that files whose goroutines do not are spared the parent map.)
        let goroutines = f.stmts.iter().enumerate().filter_map(|(i, s)| {
            let StmtKind::Go { call } = s.kind else {
                return None;
            };
            let ExprKind::Call { fun, .. } = f[call].kind else {
                return None;
            };
            let lit = unparen(f, fun);
            let go_stmt = StmtId::new(i as u32);
            matches!(f[lit].kind, ExprKind::FuncLit { .. }).then_some((go_stmt, call, lit))
        });
        let mut memo = Memo::default();
        for (go_stmt, call, lit) in goroutines {
            check_goroutine(cx, &waits, file, (go_stmt, call, lit), &mut memo, out);
        }
    }
    named_starts(cx, &waits, out);
}

/// Goroutines that run a method of a variable (`go p.worker()`) or a function of the package
/// (`go fetch(&wg, u)`) whose own body calls `Add` on a group of the spawner: a field of the
/// variable, or the group given as an argument.
fn named_starts(cx: &PackageCx<'_>, waits: &FieldWaits, out: &mut Vec<Diagnostic>) {
    if !(0..cx.files.len()).any(|fi| cx.file_calls_method(fi, &["Add"], 1)) {
        return;
    }
    let mut methods: Option<HashMap<(DefId, String), (usize, DeclId)>> = None;
    let mut reported: std::collections::HashSet<(usize, ExprId)> = Default::default();
    for (file, fcx) in cx.files.iter().enumerate() {
        let f = fcx.ast;
        let mut memo = Memo::default();
        for (i, st) in f.stmts.iter().enumerate() {
            let StmtKind::Go { call } = st.kind else {
                continue;
            };
            let go_stmt = StmtId::new(i as u32);
            let ExprKind::Call {
                fun,
                ref args,
                ellipsis,
                ..
            } = f[call].kind
            else {
                continue;
            };
            let fun = unparen(f, fun);
            let found = match f[fun].kind {
                ExprKind::Selector { x, sel } => {
                    let methods = methods.get_or_insert_with(|| method_decls(cx));
                    started_method(cx, waits, file, x, f.ident_name(sel), methods)
                }
                ExprKind::Ident(_) if ellipsis.is_none() => {
                    started_function(cx, file, fun, &f[args])
                }
                _ => Vec::new(),
            };
            if found.is_empty() || cx.parents(file).parent(Node::Stmt(go_stmt)).is_none() {
                continue;
            }
            for (cfile, body, add, recv, group) in found {
                if counted_before_start(cx, file, go_stmt, &group, &mut memo)
                    || starts_with_done(cx, cfile, body, recv)
                    || followed_by_go(cx, cfile, add)
                    || serialised_by_lock(cx, waits, cfile, add, recv)
                    || !reported.insert((cfile, add))
                {
                    continue;
                }
                let recv_text = cx.text(cfile, cx.files[cfile].ast[recv].span);
                out.push(report(
                    cx,
                    (cfile, add, recv),
                    (file, go_stmt),
                    format!("call `Add` before the `go` statement that starts the goroutine, and `defer {recv_text}.Done()` in it"),
                ));
            }
        }
    }
}

/// An `Add` call in a named goroutine's body: the file and body of the function, the call,
/// its receiver, and the group as the spawner names it.
type NamedAdd = (usize, StmtId, ExprId, ExprId, Group);

/// The methods declared in the package, by the def of their receiver's base type and name.
fn method_decls(cx: &PackageCx<'_>) -> HashMap<(DefId, String), (usize, DeclId)> {
    let mut out = HashMap::default();
    for (file, fcx) in cx.files.iter().enumerate() {
        let f = fcx.ast;
        for &d in &f.decls {
            let DeclKind::Func {
                recv: Some(recv),
                name,
                ..
            } = f[d].kind
            else {
                continue;
            };
            let Some(&field) = f[recv].list.first() else {
                continue;
            };
            if let Some(t) = named_type_of(cx, file, f[field].typ) {
                out.insert((t, f.ident_name(name).to_string()), (file, d));
            }
        }
    }
    out
}

/// `go x.name()` with `x` a local variable of a struct type of the package: the `Add` calls
/// of the method's body on a `sync.WaitGroup` field of its receiver (`p.wg.Add(1)`), with
/// the group as `x`'s field.
fn started_method(
    cx: &PackageCx<'_>,
    waits: &FieldWaits,
    file: usize,
    x: ExprId,
    name: &str,
    methods: &HashMap<(DefId, String), (usize, DeclId)>,
) -> Vec<NamedAdd> {
    let Some(owner) = ident_def(cx, file, x) else {
        return Vec::new();
    };
    if !cx.scopes().def(owner).kind.is_local_variable() {
        return Vec::new();
    }
    let Some(type_def) = named_type_of_var(cx, owner) else {
        return Vec::new();
    };
    let Some(&(mfile, decl)) = methods.get(&(type_def, name.to_string())) else {
        return Vec::new();
    };
    let Some((tfile, fields)) = struct_of_type(cx, type_def) else {
        return Vec::new();
    };
    let mf = cx.files[mfile].ast;
    let DeclKind::Func {
        recv: Some(recv),
        body: Some(body),
        ..
    } = mf[decl].kind
    else {
        return Vec::new();
    };
    let Some(recv_def) = mf[recv]
        .list
        .first()
        .and_then(|&fl| mf[fl].names.first())
        .and_then(|&n| cx.scopes().binding(mfile, n))
    else {
        return Vec::new();
    };
    let tf = cx.files[tfile].ast;
    adds_in(cx, mfile, body)
        .into_iter()
        .filter_map(|(add, recv)| match group_of(cx, mfile, recv)? {
            Group::Field(d, field) if d == recv_def => {
                let t = field_type(tf, fields, &field)?;
                (is_wait_group_type(cx, tfile, t, true)
                    && field_waited(cx, waits, type_def, &field))
                .then_some((mfile, body, add, recv, Group::Field(owner, field)))
            }
            _ => None,
        })
        .collect()
}

/// `go fetch(&wg, u)` with `fetch` a function of the package: the `Add` calls of its body on
/// a parameter bound to a wait group the spawner declares and waits on.
fn started_function(
    cx: &PackageCx<'_>,
    file: usize,
    fun: ExprId,
    args: &[ExprId],
) -> Vec<NamedAdd> {
    let f = cx.files[file].ast;
    let Some(fdef) = ident_def(cx, file, fun) else {
        return Vec::new();
    };
    let d = cx.scopes().def(fdef);
    let (DefKind::PackageFunc, Some(ffile), Some(ident)) = (&d.kind, d.file, d.ident) else {
        return Vec::new();
    };
    let ffile = ffile as usize;
    let Some(Node::Decl(decl)) = cx.parents(ffile).parent(Node::Ident(ident)) else {
        return Vec::new();
    };
    let ff = cx.files[ffile].ast;
    let DeclKind::Func {
        recv: None,
        typ,
        body: Some(body),
        ..
    } = ff[decl].kind
    else {
        return Vec::new();
    };
    let ExprKind::FuncType { params, .. } = ff[typ].kind else {
        return Vec::new();
    };
    let names: Vec<IdentId> = ff[params]
        .list
        .iter()
        .flat_map(|&field| ff[field].names.iter().copied())
        .collect();
    let top = cx.parents(file).ancestors(Node::Expr(fun)).last();
    adds_in(cx, ffile, body)
        .into_iter()
        .filter_map(|(add, recv)| {
            let Group::Var(param) = group_of(cx, ffile, recv)? else {
                return None;
            };
            let pd = cx.scopes().def(param);
            if pd.kind != DefKind::Param || pd.func != Some(FuncRef::Decl(decl)) {
                return None;
            }
            let index = names.iter().position(|&n| Some(n) == pd.ident)?;
            let arg = unparen(f, *args.get(index)?);
            let arg = match f[arg].kind {
                ExprKind::Unary {
                    op: TokenKind::And,
                    x,
                } => x,
                _ => arg,
            };
            let outer = ident_def(cx, file, arg)?;
            let local = cx.scopes().def(outer).kind.is_local_variable();
            (local && def_is_wait_group(cx, outer) && waits_in(cx, file, top?, outer)).then_some((
                ffile,
                body,
                add,
                recv,
                Group::Var(outer),
            ))
        })
        .collect()
}

/// The `Add(n)` calls in `body` with their receivers, nested goroutines excluded.
fn adds_in(cx: &PackageCx<'_>, file: usize, body: StmtId) -> Vec<(ExprId, ExprId)> {
    let f = cx.files[file].ast;
    let mut adds = Vec::new();
    preorder(f, &[Node::Stmt(body)], |n| match n {
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
    adds
}

/// The package's `x.f.Wait()` calls on a field: (file, the call, `x`, the field's name),
/// found by one scan of the files that call `Wait`, when first asked.
type FieldWaits = std::cell::OnceCell<Vec<(usize, ExprId, ExprId, IdentId)>>;

fn field_waits<'w>(
    cx: &PackageCx<'_>,
    waits: &'w FieldWaits,
) -> &'w [(usize, ExprId, ExprId, IdentId)] {
    waits.get_or_init(|| {
        let mut out = Vec::new();
        for fi in 0..cx.files.len() {
            if !cx.file_calls_method(fi, &["Wait"], 0) {
                continue;
            }
            let f = cx.files[fi].ast;
            for (e, _) in f.exprs_with_ids() {
                let Some((recv, [])) = method_call(f, e, "Wait") else {
                    continue;
                };
                if let ExprKind::Selector { x, sel } = f[unparen(f, recv)].kind {
                    out.push((fi, e, x, sel));
                }
            }
        }
        out
    })
}

/// Whether some code of the package calls `Wait` on field `field` of a variable of type
/// `type_def` (`s.wg.Wait()`).
fn field_waited(cx: &PackageCx<'_>, waits: &FieldWaits, type_def: DefId, field: &str) -> bool {
    field_waits(cx, waits).iter().any(|&(fi, _, x, sel)| {
        cx.files[fi].ast.ident_name(sel) == field
            && ident_def(cx, fi, x).and_then(|d| named_type_of_var(cx, d)) == Some(type_def)
    })
}

/// Whether declaration `top` of `file` calls `Wait` on variable `def`.
fn waits_in(cx: &PackageCx<'_>, file: usize, top: Node, def: DefId) -> bool {
    let f = cx.files[file].ast;
    let mut found = false;
    preorder(f, &[top], |n| {
        if let Node::Expr(e) = n {
            found |= is_wait_on(cx, file, e, def);
        }
        !found
    });
    found
}

/// The least start and the greatest end of some calls.
type Extent = (u32, u32);

/// What the goroutines of one file ask about the functions around them, walked once for all
/// of them: a function starting thousands of goroutines that each call `Add` (8,000: 18.5 s)
/// would otherwise be walked once for each. Used only in a file without syntax errors, whose
/// spans nest, so that a node's place in the tree is told by its span.
#[derive(Default)]
struct Memo {
    /// The first start of an `Add` call on a group, by function and group, outside the
    /// literals in the function (`counted_before_start`).
    first_add: HashMap<(Node, Group), Option<u32>>,
    /// The least start and the greatest end of the `Wait` calls on a variable, by the
    /// declaration walked (`None`: the whole file) and variable (`waited_outside`).
    waits: HashMap<(Option<Node>, DefId), Option<Extent>>,
}

fn check_goroutine(
    cx: &PackageCx<'_>,
    waits: &FieldWaits,
    file: usize,
    (go_stmt, go_call, lit): (StmtId, ExprId, ExprId),
    memo: &mut Memo,
    out: &mut Vec<Diagnostic>,
) {
    let f = cx.files[file].ast;
    let ExprKind::FuncLit { body, .. } = f[lit].kind else {
        return;
    };
    // The `Add` calls of the goroutine's body, nested goroutines excluded.
    let adds = adds_in(cx, file, body);
    if adds.is_empty() || cx.parents(file).parent(Node::Stmt(go_stmt)).is_none() {
        return;
    }
    for (add, recv) in adds {
        let Some(group) = spawner_group(cx, file, go_call, lit, recv, memo) else {
            continue;
        };
        if counted_before_start(cx, file, go_stmt, &group, memo)
            || starts_with_done(cx, file, body, recv)
            || (matches!(group, Group::Field(..)) && followed_by_go(cx, file, add))
            || serialised_by_lock(cx, waits, file, add, recv)
        {
            continue;
        }
        let recv_text = cx.text(file, f[recv].span);
        out.push(report(
            cx,
            (file, add, recv),
            (file, go_stmt),
            format!("call `{recv_text}.Add` before the `go` statement that starts the goroutine"),
        ));
    }
}

/// The report of call `add` (on `recv`, in `file`) inside the goroutine of `go_stmt` (in
/// its file), with `help`.
fn report(
    cx: &PackageCx<'_>,
    (file, add, recv): (usize, ExprId, ExprId),
    (go_file, go_stmt): (usize, StmtId),
    help: String,
) -> Diagnostic {
    let f = cx.files[file].ast;
    let recv_text = cx.text(file, f[recv].span);
    Diagnostic::new(
        CHECK.info.name,
        CHECK.info.category,
        format!(
            "`{recv_text}.Add` is called inside the goroutine it is meant to count, so `Wait` can return before it runs"
        ),
        cx.location(file, f[add].span),
    )
    .with_related(
        "goroutine started here",
        cx.location(go_file, cx.files[go_file].ast[go_stmt].span),
    )
    .with_help(help)
}

/// A wait group as the spawner names it: a variable, or a field of a variable.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
enum Group {
    Var(DefId),
    Field(DefId, String),
}

/// The group `recv` names, as the code outside any function literal sees it.
fn group_of(cx: &PackageCx<'_>, file: usize, recv: ExprId) -> Option<Group> {
    let f = cx.files[file].ast;
    match f[unparen(f, recv)].kind {
        ExprKind::Ident(_) => ident_def(cx, file, recv).map(Group::Var),
        ExprKind::Selector { x, sel } => {
            ident_def(cx, file, x).map(|d| Group::Field(d, f.ident_name(sel).to_string()))
        }
        _ => None,
    }
}

/// If `recv` (the receiver of an `Add` call inside goroutine `lit`) is a wait group that
/// belongs to the code starting the goroutine, that group as the spawner names it.
fn spawner_group(
    cx: &PackageCx<'_>,
    file: usize,
    go_call: ExprId,
    lit: ExprId,
    recv: ExprId,
    memo: &mut Memo,
) -> Option<Group> {
    let f = cx.files[file].ast;
    let inside = |def: DefId| cx.scopes().is_declared_within(def, file, FuncRef::Lit(lit));
    match group_of(cx, file, recv)? {
        Group::Var(def) => {
            if !def_is_wait_group(cx, def) {
                return None;
            }
            if !inside(def) {
                return waited_outside(cx, file, def, lit, memo).then_some(Group::Var(def));
            }
            // A parameter of the goroutine's function, bound to a group of the spawner.
            let d = cx.scopes().def(def);
            if d.kind != DefKind::Param || d.func != Some(FuncRef::Lit(lit)) {
                return None;
            }
            let arg = argument_for_param(cx, file, go_call, lit, def)?;
            let arg = match f[unparen(f, arg)].kind {
                ExprKind::Unary {
                    op: TokenKind::And,
                    x,
                } => x,
                _ => arg,
            };
            let outer = ident_def(cx, file, arg)?;
            (!inside(outer) && def_is_wait_group(cx, outer)).then_some(Group::Var(outer))
        }
        Group::Field(owner, field) => {
            if inside(owner) || !cx.scopes().def(owner).kind.is_local_variable() {
                return None;
            }
            let (tfile, fields) = struct_of_var(cx, owner)?;
            let tf = cx.files[tfile].ast;
            field_type(tf, fields, &field)
                .is_some_and(|t| is_wait_group_type(cx, tfile, t, true))
                .then_some(Group::Field(owner, field))
        }
    }
}

/// Whether the first operation of the goroutine body on the group `recv` names is a `Done`
/// (typically `defer wg.Done()`): the goroutine was counted by someone else, and its `Add`
/// calls are for work it hands on.
fn starts_with_done(cx: &PackageCx<'_>, file: usize, body: StmtId, recv: ExprId) -> bool {
    let f = cx.files[file].ast;
    let group = group_of(cx, file, recv);
    let mut first: Option<(u32, bool)> = None;
    preorder(f, &[Node::Stmt(body)], |n| match n {
        Node::Stmt(s) if matches!(f[s].kind, StmtKind::Go { .. }) => false,
        Node::Expr(e) => {
            for (name, is_done) in [("Add", false), ("Done", true)] {
                if let Some((r, _)) = method_call(f, e, name) {
                    if group_of(cx, file, r) == group {
                        let at = f[e].span.start;
                        if first.is_none_or(|(p, _)| at < p) {
                            first = Some((at, is_done));
                        }
                    }
                }
            }
            true
        }
        _ => true,
    });
    first.is_some_and(|(_, is_done)| is_done)
}

/// Whether `add`, an `Add` on a field group (`p.conns.Add(1)`), comes right after a `Lock`
/// call (`p.connsMu.Lock()`) of a mutex that some `Wait` on a field of the same name also
/// comes right after: the author serialised the two on purpose, and the goroutine checks
/// for shutdown once counted (google/martian's proxy).
fn serialised_by_lock(
    cx: &PackageCx<'_>,
    waits: &FieldWaits,
    file: usize,
    add: ExprId,
    recv: ExprId,
) -> bool {
    let f = cx.files[file].ast;
    let ExprKind::Selector { sel, .. } = f[unparen(f, recv)].kind else {
        return false;
    };
    let field = f.ident_name(sel);
    let Some(lock) = lock_before(cx, file, add) else {
        return false;
    };
    field_waits(cx, waits).iter().any(|&(fi, e, _, sel)| {
        cx.files[fi].ast.ident_name(sel) == field && lock_before(cx, fi, e) == Some(lock)
    })
}

/// The name of the mutex (`connsMu` of `p.connsMu.Lock()`, `mu` of `mu.Lock()`) locked by the
/// statement right before the one that is call `call`, in the same block.
fn lock_before<'f>(cx: &PackageCx<'f>, file: usize, call: ExprId) -> Option<&'f str> {
    let f = cx.files[file].ast;
    let Some(Node::Stmt(stmt)) = cx.parents(file).parent(Node::Expr(call)) else {
        return None;
    };
    let Some(Node::Stmt(block)) = cx.parents(file).parent(Node::Stmt(stmt)) else {
        return None;
    };
    let list = match &f[block].kind {
        StmtKind::Block { list, .. } => list,
        StmtKind::CaseClause { body, .. } | StmtKind::CommClause { body, .. } => body,
        _ => return None,
    };
    let list = &f[*list];
    let i = list.iter().position(|&x| x == stmt)?;
    let StmtKind::Expr(x) = f[*list.get(i.checked_sub(1)?)?].kind else {
        return None;
    };
    let (mutex, []) = method_call(f, x, "Lock")? else {
        return None;
    };
    match f[unparen(f, mutex)].kind {
        ExprKind::Selector { sel, .. } => Some(f.ident_name(sel)),
        ExprKind::Ident(id) => Some(f.ident_name(id)),
        _ => None,
    }
}

/// Whether the statement holding `add` is followed in its block by a `go` statement: the
/// `Add` then counts that goroutine.
fn followed_by_go(cx: &PackageCx<'_>, file: usize, add: ExprId) -> bool {
    let f = cx.files[file].ast;
    let parents = cx.parents(file);
    let mut node = Node::Expr(add);
    for parent in parents.ancestors(Node::Expr(add)) {
        if let Node::Stmt(s) = parent {
            let list = match &f[s].kind {
                StmtKind::Block { list, .. } => list,
                StmtKind::CaseClause { body, .. } | StmtKind::CommClause { body, .. } => body,
                _ => {
                    node = parent;
                    continue;
                }
            };
            let Node::Stmt(stmt) = node else {
                return false;
            };
            return f[list]
                .iter()
                .skip_while(|&&x| x != stmt)
                .any(|&x| matches!(f[x].kind, StmtKind::Go { .. }));
        }
        node = parent;
    }
    false
}

/// Whether the function that runs `go_stmt` calls `Add` on `group` before it: then the
/// goroutine is already counted, and its own `Add` calls (for goroutines it starts) cannot
/// race with `Wait` reaching zero.
fn counted_before_start(
    cx: &PackageCx<'_>,
    file: usize,
    go_stmt: StmtId,
    group: &Group,
    memo: &mut Memo,
) -> bool {
    let f = cx.files[file].ast;
    let parents = cx.parents(file);
    let Some(func) = enclosing_function(f, parents, Node::Stmt(go_stmt)) else {
        return false;
    };
    let start = f[go_stmt].span.start;
    if cx.files[file].clean {
        // Where spans nest, the walk below reaches the calls that start before the `go`
        // statement: what the first of all the function's calls says.
        let first = *memo
            .first_add
            .entry((func, group.clone()))
            .or_insert_with(|| first_add(cx, file, func, group, None));
        return first.is_some_and(|at| at < start);
    }
    first_add(cx, file, func, group, Some(start)).is_some()
}

/// The least start of an `Add` call on `group` in function `func`, outside the literals in
/// it; with `before`, the start of some such call among the nodes starting before it (the
/// walk ends at the first found).
fn first_add(
    cx: &PackageCx<'_>,
    file: usize,
    func: Node,
    group: &Group,
    before: Option<u32>,
) -> Option<u32> {
    let f = cx.files[file].ast;
    let mut first: Option<u32> = None;
    preorder(f, &[func], |n| {
        if let Some(start) = before {
            if first.is_some() || n.span(f).start >= start {
                return false;
            }
        }
        match n {
            Node::Expr(e) if n != func && matches!(f[e].kind, ExprKind::FuncLit { .. }) => false,
            Node::Expr(e) => {
                if let Some((recv, args)) = method_call(f, e, "Add") {
                    if args.len() == 1 && group_of(cx, file, recv).as_ref() == Some(group) {
                        let at = f[e].span.start;
                        first = Some(first.map_or(at, |p| p.min(at)));
                    }
                }
                true
            }
            _ => true,
        }
    });
    first
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
    let ident = cx.scopes().def(param).ident?;
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
    f[args].get(index).copied()
}

/// Whether some code outside goroutine `lit` calls `Wait` on group `def`.
fn waited_outside(
    cx: &PackageCx<'_>,
    file: usize,
    def: DefId,
    lit: ExprId,
    memo: &mut Memo,
) -> bool {
    let f = cx.files[file].ast;
    // A local variable is named only inside the function that declares it, which holds the
    // literal: only the top-level declaration around the literal can wait on it (a walk of
    // the whole file for each goroutine would cost the file's size squared).
    let top = cx
        .scopes()
        .def(def)
        .kind
        .is_local_variable()
        .then(|| cx.parents(file).ancestors(Node::Expr(lit)).last())
        .flatten();
    let from = match top {
        Some(top) => vec![top],
        None => roots(f),
    };
    if cx.files[file].clean {
        // Where spans nest, a call outside the literal starts before it or ends after it
        // (one around it does both), and one inside does neither.
        let waits = *memo.waits.entry((top, def)).or_insert_with(|| {
            let mut waits: Option<Extent> = None;
            preorder(f, &from, |n| {
                if let Node::Expr(e) = n {
                    if is_wait_on(cx, file, e, def) {
                        let s = f[e].span;
                        waits = Some(
                            waits.map_or((s.start, s.end), |(a, b)| (a.min(s.start), b.max(s.end))),
                        );
                    }
                }
                true
            });
            waits
        });
        let span = f[lit].span;
        return waits.is_some_and(|(start, end)| start < span.start || end > span.end);
    }
    let mut found = false;
    preorder(f, &from, |n| {
        if found || n == Node::Expr(lit) {
            return false;
        }
        if let Node::Expr(e) = n {
            if is_wait_on(cx, file, e, def) {
                found = true;
            }
        }
        true
    });
    found
}

/// Whether `e` is a call `x.Wait()` with `x` naming variable `def`.
fn is_wait_on(cx: &PackageCx<'_>, file: usize, e: ExprId, def: DefId) -> bool {
    let f = cx.files[file].ast;
    method_call(f, e, "Wait")
        .is_some_and(|(recv, args)| args.is_empty() && ident_def(cx, file, recv) == Some(def))
}
