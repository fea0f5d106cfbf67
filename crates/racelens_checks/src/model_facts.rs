//! Facts about the concurrency model's accesses that the lock-based checks share: the
//! expression an access names, the variable a selector chain starts from, whether a literal
//! runs under `sync.Once.Do`, and whether a function documents that its caller holds a lock.

use crate::syntactic::unparen;
use crate::PackageCx;
use racelens_model::{Access, AccessIx, FuncIx, Invocation, Model};
use racelens_semantic::types::{PkgIdx, Program};
use racelens_semantic::{DefId, FuncRef};
use racelens_syntax::ast::{DeclId, DeclKind, ExprId, ExprKind, IdentId};
use racelens_syntax::walk::{preorder, Node};
use racelens_syntax::File;
use std::collections::HashSet;

/// The selector `x.f` that access expression `e` (a model access's `expr`) touches, through
/// `x.f[k]`, a method call on it (`x.f.Store(v)`, an atomic value) and `delete(x.f, k)`: the
/// selector expression, its operand and the field name.
pub fn selector_of(f: &File, e: ExprId) -> Option<(ExprId, ExprId, IdentId)> {
    let e = match &f[e].kind {
        ExprKind::Index { x, .. } => unparen(f, *x),
        ExprKind::Call { fun, args, .. } => match f[unparen(f, *fun)].kind {
            ExprKind::Selector { x, .. } => unparen(f, x),
            _ => unparen(f, *f[args].first()?),
        },
        _ => e,
    };
    match f[e].kind {
        ExprKind::Selector { x, sel } => Some((e, x, sel)),
        _ => None,
    }
}

/// The variable a field access goes through directly (`c` in `c.value`, `c.m[k]`, as
/// `selector_of` finds the selector): `None` when the selector's operand is not an
/// identifier (`a.b.c`, `f().x`).
pub fn selected_var(cx: &PackageCx<'_>, file: usize, e: ExprId) -> Option<DefId> {
    let f = cx.files[file].ast;
    let (_, x, _) = selector_of(f, e)?;
    let ExprKind::Ident(id) = f[unparen(f, x)].kind else {
        return None;
    };
    cx.scopes().binding(file, id)
}

/// Whether expression `e` of file `file` is in a `defer` statement (its call, or in a
/// literal it defers): it runs when the function returns.
pub fn in_defer(cx: &PackageCx<'_>, file: usize, e: ExprId) -> bool {
    let f = cx.files[file].ast;
    cx.parents(file).ancestors(Node::Expr(e)).any(|n| {
        matches!(n, Node::Stmt(st) if matches!(f[st].kind, racelens_syntax::ast::StmtKind::Defer { .. }))
    })
}

/// Whether function `f` runs in a goroutine: a function literal started as one, or written
/// in one.
pub fn in_goroutine(model: &Model, mut f: FuncIx) -> bool {
    loop {
        let func = model.func(f);
        match (func.how, func.parent) {
            (Invocation::Spawned(_), _) => return true,
            (_, Some(p)) => f = p,
            (_, None) => return false,
        }
    }
}

/// For expression `e` of file `file` assigned by an assignment statement (`x = v`,
/// `a, b := f, g`, `n += 1`): the statement, its operator, the value assigned to `e`, and the
/// number of targets. `None` when the statement has not one value per target.
pub fn assignment_of(
    cx: &PackageCx<'_>,
    file: usize,
    e: ExprId,
) -> Option<(
    racelens_syntax::ast::StmtId,
    racelens_syntax::token::TokenKind,
    ExprId,
    usize,
)> {
    let f = cx.files[file].ast;
    let Some(Node::Stmt(st)) = cx.parents(file).parent(Node::Expr(e)) else {
        return None;
    };
    let racelens_syntax::ast::StmtKind::Assign { lhs, tok, rhs, .. } = &f[st].kind else {
        return None;
    };
    let (lhs, rhs) = (&f[*lhs], &f[*rhs]);
    if lhs.len() != rhs.len() {
        return None;
    }
    let i = lhs.iter().position(|&l| l == e)?;
    Some((st, *tok, rhs[i], lhs.len()))
}

/// The variable a selector, index or dereference chain starts from (`s` in `s.a.b[i]`).
pub fn root_def(cx: &PackageCx<'_>, file: usize, mut e: ExprId) -> Option<DefId> {
    let f = cx.files[file].ast;
    loop {
        e = unparen(f, e);
        match f[e].kind {
            ExprKind::Ident(id) => return cx.scopes().binding(file, id),
            ExprKind::Selector { x, .. }
            | ExprKind::Index { x, .. }
            | ExprKind::Star { x }
            | ExprKind::Unary { x, .. } => e = x,
            _ => return None,
        }
    }
}

/// The receiver def of declared method `decl` of file `file`, if it is named.
pub fn receiver_def(cx: &PackageCx<'_>, file: usize, decl: DeclId) -> Option<DefId> {
    let f = cx.files[file].ast;
    let racelens_syntax::ast::DeclKind::Func { recv: Some(r), .. } = &f[decl].kind else {
        return None;
    };
    let field = *f[*r].list.first()?;
    let name = *f[field].names.first()?;
    cx.scopes().binding(file, name)
}

/// Whether the declared method `decl` has a value receiver (`func (b Bag) Reset()`): it
/// works on a copy of the caller's value.
pub fn value_receiver(f: &File, decl: DeclId) -> bool {
    let racelens_syntax::ast::DeclKind::Func { recv: Some(r), .. } = &f[decl].kind else {
        return false;
    };
    f[*r].list.first().is_some_and(|&field| {
        let mut t = f[field].typ;
        while let racelens_syntax::ast::ExprKind::Paren { x, .. } = f[t].kind {
            t = x;
        }
        !matches!(f[t].kind, racelens_syntax::ast::ExprKind::Star { .. })
    })
}

/// Whether function `func` (a literal run in place, or nested in such literals) runs as the
/// argument of `Do` on a `sync.Once`: its accesses happen once, ordered before every return
/// of `Do`.
pub fn runs_under_once(
    cx: &PackageCx<'_>,
    prog: &Program<'_>,
    pkg: PkgIdx,
    model: &Model,
    mut func: FuncIx,
) -> bool {
    loop {
        let fun = model.func(func);
        let (FuncRef::Lit(lit), Some(parent)) = (fun.func, fun.parent) else {
            return false;
        };
        if fun.how != Invocation::Inline {
            return false;
        }
        let file = fun.file as usize;
        let f = cx.files[file].ast;
        if let Some(Node::Expr(call)) = cx.parents(file).parent(Node::Expr(lit)) {
            if let ExprKind::Call { fun: callee, .. } = f[call].kind {
                if let ExprKind::Selector { x, sel } = f[unparen(f, callee)].kind {
                    if f.ident_name(sel) == "Do" {
                        let t = prog.type_of(pkg, file, x);
                        if prog.is_named(prog.deref_type(t), "sync", "Once") {
                            return true;
                        }
                    }
                }
            }
        }
        func = parent;
    }
}

/// Whether the declared function `decl` says its caller holds a lock: a name ending in
/// `Locked` (or `_locked`, `NoLock`; not `IsLocked`, `Blocked` or `unlocked`), or a doc comment
/// with words such as "must hold", "lock should be held", "called with ... locked" (whole
/// words: not "blocked", "withheld"), or one that restricts when it may be called ("only
/// after", "not safe for concurrent use") on a function that does not lock itself, or
/// says that only tests call it (a name ending in `ForTest`, `ForTests` or `ForTesting`; "for
/// tests only", "only useful for integration testing"): tests call it before or between
/// the calls that run concurrently.
pub fn documents_held_lock(f: &File, decl: DeclId) -> bool {
    let racelens_syntax::ast::DeclKind::Func { name, .. } = &f[decl].kind else {
        return false;
    };
    let name = f.ident_name(*name);
    if name_says_locked(name)
        || ["ForTest", "ForTests", "ForTesting"]
            .iter()
            .any(|s| name.ends_with(s))
    {
        return true;
    }
    let Some(doc) = contract_doc(f, decl) else {
        return false;
    };
    let text = doc.to_ascii_lowercase();
    [
        "must hold",
        "held",
        "lock must",
        "locked",
        "holding",
        "holds the",
        "hold the",
        "under lock",
        "under the lock",
        "with the lock",
        "with lock",
        "only after",
        "not safe",
        "not thread-safe",
        "before any",
        "for tests",
        "for testing",
        "in tests",
        "tests only",
        "test only",
        "testing only",
        "integration testing",
    ]
    .iter()
    .any(|p| contains_words(&text, p))
}

/// The doc comment of the declared function `decl` (the comment group ending on the line
/// before it), unless the function locks something itself: its comment then describes its
/// own locking ("increments the counter under the lock"), not a contract for its caller.
fn contract_doc(f: &File, decl: DeclId) -> Option<&str> {
    let start = f[decl].span.start;
    let doc = f.comments.iter().rev().find(|g| g.span.end <= start)?;
    let between = &f.source[doc.span.end as usize..start as usize];
    if between.iter().filter(|&&b| b == b'\n').count() > 1
        || !between.iter().all(|b| b.is_ascii_whitespace())
    {
        return None;
    }
    if let racelens_syntax::ast::DeclKind::Func { body: Some(b), .. } = &f[decl].kind {
        let body = f.text(f[*b].span);
        if body.contains(".Lock()") || body.contains(".RLock()") {
            return None;
        }
    }
    Some(f.text(doc.span))
}

/// How a declared function says, in so many words, that its caller must hold a lock.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LockContract {
    /// Its name: `flushLocked`, `flush_locked`, `readNoLock`.
    Name,
    /// Its doc comment: "r.mu must be held", "must be called with the lock held", "caller
    /// must hold mu".
    Comment,
}

/// Whether the declared function `decl` requires its caller to hold a lock, by its name or
/// by a doc comment that says a lock must be held (narrower than `documents_held_lock`,
/// which also takes comments that restrict when a function may run in other ways); not a
/// function that takes a lock itself.
pub fn lock_contract(f: &File, decl: DeclId) -> Option<LockContract> {
    let racelens_syntax::ast::DeclKind::Func { name, body, .. } = &f[decl].kind else {
        return None;
    };
    let body = f.text(f[(*body)?].span);
    if body.contains(".Lock()") || body.contains(".RLock()") {
        return None;
    }
    if name_says_locked(f.ident_name(*name)) {
        return Some(LockContract::Name);
    }
    let text = contract_doc(f, decl)?.to_ascii_lowercase();
    let lock_word = text.contains("lock")
        || text.contains("mutex")
        || text.contains(".mu")
        || contains_words(&text, "mu")
        || contains_words(&text, "mtx");
    let held = [
        "must hold",
        "must be held",
        "should be held",
        "must be locked",
        "caller holds",
        "caller must hold",
        "callers must hold",
        "while holding",
        "with the lock held",
        "lock held",
        "be called with",
    ]
    .iter()
    .any(|p| text.contains(p));
    let negated = [
        "not held",
        "not be held",
        "without",
        "not hold",
        "cannot",
        "can't",
        "must not",
        "should not",
        "never",
    ]
    .iter()
    .any(|p| text.contains(p));
    (lock_word && held && !negated).then_some(LockContract::Comment)
}

/// Whether a function's name says its caller holds a lock: `flushLocked` by Go's convention
/// (`racelens_model::named_locked`), and `flush_locked`, `readNoLock`, `applyWithLock`.
fn name_says_locked(n: &str) -> bool {
    let lower = n.to_ascii_lowercase();
    racelens_model::named_locked(n)
        || lower.ends_with("_locked")
        || lower.contains("nolock")
        || lower.contains("withlock")
}

/// Whether `phrase` occurs in `text` as whole words: not inside a longer word ("held" in
/// "withheld", "locked" in "blocked" or "unlocked").
fn contains_words(text: &str, phrase: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(phrase).any(|(i, _)| {
        !word(text[..i].chars().next_back()) && !word(text[i + phrase.len()..].chars().next())
    })
}

/// The access's file, for reports.
pub fn access_file(model: &Model, a: AccessIx) -> usize {
    model.access_file(a) as usize
}

/// Whether function `func` runs inside a function literal handed to some call as an
/// argument (`db.Update(func(tx) { ... })`): the callee decides when it runs and may
/// serialise it (a database transaction, a `Do` of a once or a singleflight group).
pub fn runs_in_callback(cx: &PackageCx<'_>, model: &Model, mut func: FuncIx) -> bool {
    loop {
        let fun = model.func(func);
        let (FuncRef::Lit(lit), Some(parent)) = (fun.func, fun.parent) else {
            return false;
        };
        if fun.how != Invocation::Inline {
            return false;
        }
        let file = fun.file as usize;
        let f = cx.files[file].ast;
        if let Some(Node::Expr(call)) = cx.parents(file).parent(Node::Expr(lit)) {
            if let ExprKind::Call { args, .. } = &f[call].kind {
                if f[args].contains(&lit) {
                    return true;
                }
            }
        }
        func = parent;
    }
}

/// Whether function `decl` calls `Lock`/`RLock` on something the model does not see as a
/// mutex (a `sync.Locker` such as a condition variable's `L`, or a project's own mutex type): the accesses may be
/// guarded by it.
pub fn locks_through_interface(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    decl: DeclId,
) -> bool {
    if let Some(&known) = cx.interface_locks.borrow().get(&(file, decl)) {
        return known;
    }
    let answer = locks_through_interface_uncached(cx, prog, pkg, file, decl);
    cx.interface_locks.borrow_mut().insert((file, decl), answer);
    answer
}

fn locks_through_interface_uncached(
    cx: &PackageCx<'_>,
    prog: &mut Program<'_>,
    pkg: PkgIdx,
    file: usize,
    decl: DeclId,
) -> bool {
    let f = cx.files[file].ast;
    let mut found = false;
    preorder(f, &[Node::Decl(decl)], |n| {
        if let Node::Expr(e) = n {
            if let ExprKind::Call { fun, args, .. } = &f[e].kind {
                if let ExprKind::Selector { x, sel } = f[unparen(f, *fun)].kind {
                    if args.is_empty() && matches!(f.ident_name(sel), "Lock" | "RLock") {
                        let t = prog.type_of(pkg, file, x);
                        found |= !prog.is_lock(t) && prog.lock_fields(t).is_empty();
                    }
                }
            }
        }
        !found
    });
    found
}

/// Whether a file is test code: a `_test.go` file, or test infrastructure (`integration/`,
/// `testutil/`, `e2e/` directories), where shared helpers are used one test at a time.
pub fn is_test_code(path: &str) -> bool {
    path.ends_with("_test.go")
        || path.split('/').any(|d| {
            matches!(
                d,
                "integration" | "testutil" | "testutils" | "e2e" | "testing"
            )
        })
}

/// The function that runs `f` when `f` is a literal run in place (deferred, called where it
/// is written), through every such literal around it; otherwise `f`.
pub fn in_place_top(m: &Model, mut f: FuncIx) -> FuncIx {
    loop {
        let func = m.func(f);
        match (func.how, func.parent) {
            (Invocation::Inline, Some(p)) => f = p,
            _ => return f,
        }
    }
}

/// The functions `runner` calls, itself or in the literals it runs in place.
pub fn direct_callees(m: &Model, runner: FuncIx) -> HashSet<FuncIx> {
    // The literals run in place come after the function they are written in.
    let last = m.func(runner).last_nested;
    let mut in_place = HashSet::from([runner]);
    let mut callees = HashSet::new();
    for g in (runner.index()..=last.index()).map(|g| FuncIx(g as u32)) {
        let func = m.func(g);
        let runs_here = g == runner
            || (func.how == Invocation::Inline
                && func.parent.is_some_and(|p| in_place.contains(&p)));
        if runs_here {
            in_place.insert(g);
            callees.extend(func.calls.iter().flat_map(|c| c.callees.iter()));
        }
    }
    callees
}

/// Whether `d` is a method's receiver (an access's root, as `Access::root` gives it).
pub fn is_receiver(cx: &PackageCx<'_>, d: Option<DefId>) -> bool {
    d.is_some_and(|d| cx.scopes().def(d).kind == racelens_semantic::DefKind::Receiver)
}

/// Whether no lock is held at access `acc`, by its function or by what every caller holds.
pub fn lock_free(m: &Model, acc: &Access) -> bool {
    acc.locks.is_empty() && m.effective_entry(acc.func).is_empty()
}

/// The type of the value a modifying call changes, as source names it: `bytes.Buffer`, or
/// `*rand.Rand` where the variable or field holds a pointer.
pub fn unsafe_type_text(prog: &Program<'_>, pkg: PkgIdx, m: &Model, acc: &Access) -> String {
    let t = prog.type_of(pkg, m.func(acc.func).file as usize, acc.expr);
    let Some(u) = racelens_model::unsafe_types::unsafe_type(prog, t) else {
        return String::new();
    };
    let star = if prog.deref_type(t) != t { "*" } else { "" };
    let pkg_name = u.path.rsplit('/').next().unwrap_or(u.path);
    format!("{star}{pkg_name}.{}", u.name)
}

/// Whether goroutine `s` runs a method of a value its spawner made (`t := &Ticket{}` then
/// `go t.loop()` or `time.AfterFunc(ttl, t.expire)`): the method runs after the spawner has
/// handed the value out.
pub fn on_fresh_value(cx: &PackageCx<'_>, model: &Model, s: &racelens_model::Spawn) -> bool {
    let file = model.func(s.func).file as usize;
    let f = cx.files[file].ast;
    let ExprKind::Call { fun, ref args, .. } = f[s.call].kind else {
        return false;
    };
    let method = match s.kind {
        racelens_model::SpawnKind::Go => Some(fun),
        _ => f[args].last().copied(),
    };
    let Some(method) = method.map(|m| f.unparen(m)) else {
        return false;
    };
    let ExprKind::Selector { x, .. } = f[method].kind else {
        return false;
    };
    let ExprKind::Ident(id) = f[f.unparen(x)].kind else {
        return false;
    };
    cx.scopes()
        .binding(file, id)
        .is_some_and(|d| model.fresh.contains(&d))
}

/// What the goroutines of the package that `keep` accepts run: the functions they start,
/// the literals those run in place and the functions of the package they call.
pub fn run_by_goroutines(
    model: &Model,
    keep: impl Fn(&racelens_model::Spawn) -> bool,
) -> racelens_semantic::scope::FxSet<FuncIx> {
    let mut targets: Vec<FuncIx> = model
        .spawns
        .iter()
        .filter(|s| keep(s))
        .flat_map(|s| s.targets.iter().copied())
        .collect();
    targets.sort_unstable();
    targets.dedup();
    let mut out = racelens_semantic::scope::FxSet::default();
    for t in targets {
        if out.insert(t) {
            out.extend(model.reached(t));
        }
    }
    out
}

/// Whether `name` is a setter's or an option's `With...` (`WithLogger`, `WithRTO`), not a
/// word that starts with it (`Withdraw`).
pub fn is_with_setter(name: &str) -> bool {
    name.strip_prefix("With")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// Whether method `decl` is named as setting its value up (`Start`, `init...`,
/// `Setup...`, `register...`, `Configure...`, `Open`, `Load...`, `With...` setters such as
/// `WithLogger`), or filling it from its encoding (`UnmarshalBinary`, `UnmarshalJSON`), which
/// decodes into a value not yet shared.
pub fn is_setup(f: &File, decl: DeclId) -> bool {
    let DeclKind::Func { name, .. } = &f[decl].kind else {
        return false;
    };
    let name = f.ident_name(*name);
    if is_with_setter(name) {
        return true;
    }
    let n = name.to_ascii_lowercase();
    [
        "start",
        "init",
        "setup",
        "register",
        "configure",
        "open",
        "load",
        "unmarshal",
    ]
    .iter()
    .any(|p| n.starts_with(p))
}

/// The locks every call of `f` holds, as [`Model::effective_entry`] gives them, but with the
/// calls made by methods that set their value up (`is_setup`: an `open` replaying a log
/// before the value is shared) left out, at any depth of unexported helpers up to four
/// (`open` calls `exec`, which calls `execDelete`; every other caller of `exec` holds the
/// lock). Empty when no call is left, and for functions called from elsewhere. `memo` keeps
/// each function's answer for the next question (one found with fewer levels left may be
/// emptier: a report kept, not one lost).
pub fn entry_past_setup(
    cx: &PackageCx<'_>,
    m: &Model,
    f: FuncIx,
    memo: &mut std::collections::HashMap<FuncIx, racelens_model::LockSet>,
) -> racelens_model::LockSet {
    fn go(
        cx: &PackageCx<'_>,
        m: &Model,
        f: FuncIx,
        depth: u32,
        memo: &mut std::collections::HashMap<FuncIx, racelens_model::LockSet>,
    ) -> racelens_model::LockSet {
        if let Some(e) = memo.get(&f) {
            return e.clone();
        }
        let entry = m.effective_entry(f);
        if !entry.is_empty() || depth == 0 {
            return entry;
        }
        let mut g = f;
        while let (Invocation::Inline, Some(p)) = (m.func(g).how, m.func(g).parent) {
            g = p;
        }
        let func = m.func(g);
        if func.how != Invocation::Decl
            || func.exported
            || func.escapes
            || func.name.ends_with(".init")
        {
            return entry;
        }
        let set_up = |h: FuncIx| {
            let hf = m.func(h);
            matches!(hf.func, FuncRef::Decl(d) if is_setup(cx.files[hf.file as usize].ast, d))
        };
        // Asked again through a cycle of calls before the answer is known: nothing held.
        memo.insert(f, racelens_model::LockSet::default());
        let mut out: Option<racelens_model::LockSet> = None;
        for &(caller, ci) in m.callers.get(&g).into_iter().flatten() {
            if caller == g || set_up(m.outermost(caller)) {
                continue;
            }
            let held =
                m.func(caller).calls[ci as usize]
                    .locks
                    .union(&go(cx, m, caller, depth - 1, memo));
            out = Some(match out {
                None => held,
                Some(e) => e.intersect(&held),
            });
            if out.as_ref().is_some_and(|e| e.is_empty()) {
                break;
            }
        }
        let out = out.unwrap_or_default();
        memo.insert(f, out.clone());
        out
    }
    go(cx, m, f, 4, memo)
}
