//! Facts about one function body found by a linear scan, shared by the checks that look at
//! single functions: its own nodes (nested function literals excluded), the places it writes,
//! the lock sections it opens and closes in source order, and whether a statement runs only
//! under a condition on some variables.
//!
//! Everything here is positional: a lock is taken to be held from a `Lock` call to the next
//! `Unlock` call in source order, whatever the branches in between. Checks use these answers
//! to stay silent, or to require a pattern that the positional reading cannot invent.

use crate::syntactic::{is_builtin, method_call, unparen};
use crate::PackageCx;
use racelens_semantic::DefId;
use racelens_syntax::ast::{DeclKind, ExprId, ExprKind, StmtId, StmtKind};
use racelens_syntax::token::TokenKind;
use racelens_syntax::walk::{preorder, roots, Node};
use racelens_syntax::File;

/// The starts of a file's declarations, in source order. The parser consumes tokens in
/// order, so every node below a declaration (or below a function body in it) starts before
/// the next declaration does: a flat scan of the arenas tells which declarations or bodies
/// can hold a kind of node, and only those need a walk.
pub(crate) struct DeclStarts(Vec<u32>);

impl DeclStarts {
    /// `None` when the declarations are not in source order (never for a parsed file).
    pub(crate) fn new(f: &File) -> Option<DeclStarts> {
        let starts: Vec<u32> = f.decls.iter().map(|&d| f[d].span.start).collect();
        starts
            .windows(2)
            .all(|w| w[0] < w[1])
            .then_some(DeclStarts(starts))
    }

    /// Whether one of the sorted positions `at` lies from `from` up to the start of the
    /// first declaration after `from`.
    pub(crate) fn any_before_next(&self, at: &[u32], from: u32) -> bool {
        let end = self
            .0
            .get(self.0.partition_point(|&d| d <= from))
            .copied()
            .unwrap_or(u32::MAX);
        at.get(at.partition_point(|&p| p < from))
            .is_some_and(|&p| p < end)
    }
}

/// Every function of `f` that has a body: declarations and function literals, with the
/// body block, in pre-order (source order).
///
/// Only the declarations where a function literal of the arena starts are walked
/// (`DeclStarts`): a declaration with none starting there has none below it, and is its
/// own only entry.
pub fn function_bodies(f: &File) -> Vec<(Node, StmtId)> {
    let Some(decls) = DeclStarts::new(f) else {
        return function_bodies_walk(f, &roots(f));
    };
    let mut lits: Vec<u32> = f
        .exprs
        .iter()
        .filter(|e| matches!(e.kind, ExprKind::FuncLit { .. }))
        .map(|e| e.span.start)
        .collect();
    lits.sort_unstable();
    let mut out = Vec::new();
    for &d in &f.decls {
        if decls.any_before_next(&lits, f[d].span.start) {
            out.extend(function_bodies_walk(f, &[Node::Decl(d)]));
        } else if let DeclKind::Func { body: Some(b), .. } = f[d].kind {
            out.push((Node::Decl(d), b));
        }
    }
    // Debug builds (the tests, the fuzzer with `-a`) hold every file to the whole walk.
    debug_assert_eq!(out, function_bodies_walk(f, &roots(f)));
    out
}

/// The functions with a body at or below the nodes `start`, by a walk of every node.
fn function_bodies_walk(f: &File, start: &[Node]) -> Vec<(Node, StmtId)> {
    let mut out = Vec::new();
    preorder(f, start, |n| {
        match n {
            Node::Decl(d) => {
                if let DeclKind::Func { body: Some(b), .. } = f[d].kind {
                    out.push((n, b));
                }
            }
            Node::Expr(e) => {
                if let ExprKind::FuncLit { body, .. } = f[e].kind {
                    out.push((n, body));
                }
            }
            _ => {}
        }
        true
    });
    out
}

/// Pre-order walk of `body` that does not enter function literals nested in it (they are
/// functions of their own, run at another time).
pub fn walk_own(f: &File, body: StmtId, mut visit: impl FnMut(Node) -> bool) {
    preorder(f, &[Node::Stmt(body)], |n| match n {
        Node::Expr(e) if matches!(f[e].kind, ExprKind::FuncLit { .. }) => false,
        _ => visit(n),
    })
}

/// The variable or value an access path starts from: `x` in `x.f[i].g`, `*x`, `(x)`.
pub fn path_root(f: &File, mut e: ExprId) -> ExprId {
    loop {
        e = unparen(f, e);
        match f[e].kind {
            ExprKind::Selector { x, .. }
            | ExprKind::Index { x, .. }
            | ExprKind::Star { x }
            | ExprKind::TypeAssert { x, .. } => e = x,
            _ => return e,
        }
    }
}

/// How a place is written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WriteKind {
    /// `x = v`, `x op= v`, or `x` reused on the left of `:=`.
    Assign,
    /// `x++`, `x--`.
    IncDec,
    /// `delete(m, k)`: `target` is the map.
    Delete,
}

/// One write: the place written (`target`), the statement or call doing it (`site`), and how.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Write {
    pub target: ExprId,
    pub site: Node,
    pub kind: WriteKind,
}

/// The writes of `body` itself, in source order (nested function literals excluded).
pub fn writes(cx: &PackageCx<'_>, file: usize, body: StmtId) -> Vec<Write> {
    let f = cx.files[file].ast;
    let mut out = Vec::new();
    walk_own(f, body, |n| {
        match n {
            Node::Stmt(s) => match &f[s].kind {
                StmtKind::Assign { lhs, tok, .. } => {
                    for &l in f[lhs].iter() {
                        // A `:=` declares its new names, which is no write to anything that
                        // existed; a name it reuses from the same scope is assigned.
                        if *tok == TokenKind::Define {
                            let ExprKind::Ident(id) = f[l].kind else {
                                continue;
                            };
                            let reused = cx
                                .scopes()
                                .binding(file, id)
                                .is_some_and(|d| cx.scopes().def(d).ident != Some(id));
                            if !reused {
                                continue;
                            }
                        }
                        if matches!(&f[unparen(f, l)].kind, ExprKind::Ident(id) if f.ident_name(*id) == "_")
                        {
                            continue;
                        }
                        out.push(Write {
                            target: l,
                            site: n,
                            kind: WriteKind::Assign,
                        });
                    }
                }
                StmtKind::IncDec { x, .. } => out.push(Write {
                    target: *x,
                    site: n,
                    kind: WriteKind::IncDec,
                }),
                _ => {}
            },
            Node::Expr(e) => {
                if let ExprKind::Call { fun, args, .. } = &f[e].kind {
                    if args.len() == 2 && is_builtin(cx, file, *fun, "delete") {
                        out.push(Write {
                            target: f[args][0],
                            site: n,
                            kind: WriteKind::Delete,
                        });
                    }
                }
            }
            _ => {}
        }
        true
    });
    out
}

/// A lock or unlock call of a lock section: `l.Lock()`, `l.RLock()`, `l.Unlock()`,
/// `l.RUnlock()`, not deferred.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockEvent {
    /// The receiver's source text (`s.mu`).
    pub lock: String,
    pub at: u32,
    pub acquire: bool,
    /// The call expression.
    pub call: ExprId,
}

/// The lock and unlock calls of `body` itself in source order, as its lock sections.
/// Deferred unlocks are left out: the lock stays held to the end of the function. With
/// `is_lock`, a receiver must also be a lock as far as the caller can tell (by type).
pub fn lock_events(
    cx: &PackageCx<'_>,
    file: usize,
    body: StmtId,
    mut is_lock: impl FnMut(ExprId) -> bool,
) -> LockSections {
    let f = cx.files[file].ast;
    let mut out = Vec::new();
    walk_own(f, body, |n| match n {
        Node::Stmt(s) => !matches!(f[s].kind, StmtKind::Defer { .. }),
        Node::Expr(e) => {
            for (name, acquire) in [
                ("Lock", true),
                ("RLock", true),
                ("Unlock", false),
                ("RUnlock", false),
            ] {
                if let Some((recv, args)) = method_call(f, e, name) {
                    if args.is_empty() && is_lock(recv) {
                        out.push(LockEvent {
                            lock: cx.text(file, f[recv].span).to_string(),
                            at: f[e].span.start,
                            acquire,
                            call: e,
                        });
                    }
                }
            }
            true
        }
        _ => true,
    });
    out.sort_by_key(|e| e.at);
    LockSections::new(out)
}

/// The lock sections of a function body: its lock events (`lock_events`) in source order,
/// and each lock's events apart, so that what is held at an offset is found by a binary
/// search per lock rather than by reading every event before it (a long function of many
/// sections, asked about at each of its accesses, would cost its size squared).
pub struct LockSections {
    /// In source order.
    events: Vec<LockEvent>,
    /// Per lock (by its text), in the order of their first events: the indices in `events`
    /// of its events, of its acquires and of its releases, each in source order.
    locks: Vec<(String, LockIndex)>,
}

#[derive(Default)]
struct LockIndex {
    all: Vec<usize>,
    acquires: Vec<usize>,
    releases: Vec<usize>,
}

impl LockSections {
    /// `events` must be in source order.
    pub fn new(events: Vec<LockEvent>) -> LockSections {
        let mut locks: Vec<(String, LockIndex)> = Vec::new();
        let mut by_text: std::collections::HashMap<String, usize> = Default::default();
        for (i, e) in events.iter().enumerate() {
            let l = *by_text.entry(e.lock.clone()).or_insert_with(|| {
                locks.push((e.lock.clone(), LockIndex::default()));
                locks.len() - 1
            });
            let index = &mut locks[l].1;
            index.all.push(i);
            if e.acquire {
                index.acquires.push(i);
            } else {
                index.releases.push(i);
            }
        }
        LockSections { events, locks }
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    fn index(&self, lock: &str) -> Option<&LockIndex> {
        self.locks
            .iter()
            .find(|(l, _)| l == lock)
            .map(|(_, index)| index)
    }

    /// The last of the events `list` (indices into `events`, in source order) before `at`.
    fn last_before(&self, list: &[usize], at: u32) -> Option<&LockEvent> {
        let n = list.partition_point(|&i| self.events[i].at < at);
        n.checked_sub(1).map(|k| &self.events[list[k]])
    }

    /// Whether `lock` is held at byte offset `at`: its last event before is an acquire.
    pub fn held_at(&self, lock: &str, at: u32) -> bool {
        self.index(lock)
            .and_then(|index| self.last_before(&index.all, at))
            .is_some_and(|e| e.acquire)
    }

    /// The locks held at byte offset `at`, in the order they were taken.
    pub fn locks_held_at(&self, at: u32) -> Vec<&str> {
        let mut held: Vec<(u32, &str)> = self
            .locks
            .iter()
            .filter_map(|(lock, index)| {
                let last = self.last_before(&index.all, at)?;
                last.acquire.then_some((last.at, lock.as_str()))
            })
            .collect();
        held.sort_unstable();
        held.into_iter().map(|(_, lock)| lock).collect()
    }

    /// The last acquire of `lock` before `at`.
    pub fn last_acquire_before(&self, lock: &str, at: u32) -> Option<&LockEvent> {
        self.last_before(&self.index(lock)?.acquires, at)
    }

    /// The first release of `lock` after `at`.
    pub fn first_release_after(&self, lock: &str, at: u32) -> Option<&LockEvent> {
        let releases = &self.index(lock)?.releases;
        let n = releases.partition_point(|&i| self.events[i].at <= at);
        releases.get(n).map(|&i| &self.events[i])
    }

    /// The locks, each once.
    pub fn locks(&self) -> impl Iterator<Item = &str> {
        self.locks.iter().map(|(lock, _)| lock.as_str())
    }
}

/// Whether expression `e` mentions one of `defs`.
pub fn mentions(cx: &PackageCx<'_>, file: usize, e: ExprId, defs: &[DefId]) -> bool {
    let f = cx.files[file].ast;
    let mut found = false;
    preorder(f, &[Node::Expr(e)], |n| {
        if found {
            return false;
        }
        if let Node::Expr(x) = n {
            if let ExprKind::Ident(id) = f[x].kind {
                if cx
                    .scopes()
                    .binding(file, id)
                    .is_some_and(|d| defs.contains(&d))
                {
                    found = true;
                }
            }
        }
        true
    });
    found
}

/// Whether block statement `s` always leaves the code that follows it: its last statement
/// is a `return`, a `break`/`continue`/`goto`, or a call to `panic`.
pub fn terminates(cx: &PackageCx<'_>, file: usize, s: StmtId) -> bool {
    let f = cx.files[file].ast;
    let StmtKind::Block { list, .. } = &f[s].kind else {
        return false;
    };
    let Some(&last) = f[list].last() else {
        return false;
    };
    match &f[last].kind {
        StmtKind::Return { .. } | StmtKind::Branch { .. } => true,
        StmtKind::Expr(e) => match &f[*e].kind {
            ExprKind::Call { fun, .. } => is_builtin(cx, file, *fun, "panic"),
            _ => false,
        },
        _ => false,
    }
}

/// The `if` statement (after byte offset `after`, inside function body `body`) whose outcome
/// on `defs` decides whether `node` runs: an `if` around `node` whose condition mentions
/// `defs` (with `node` in its body or `else`), or an `if` earlier in an enclosing block whose
/// condition mentions `defs` and whose body always leaves (an early return on the check).
pub fn guarding_if(
    cx: &PackageCx<'_>,
    file: usize,
    body: StmtId,
    node: Node,
    defs: &[DefId],
    after: u32,
) -> Option<StmtId> {
    if defs.is_empty() {
        return None;
    }
    let f = cx.files[file].ast;
    let parents = cx.parents(file);
    let mut child = node;
    for anc in parents.ancestors(node) {
        let Node::Stmt(s) = anc else {
            if matches!(anc, Node::Expr(e) if matches!(f[e].kind, ExprKind::FuncLit { .. })) {
                return None;
            }
            child = anc;
            continue;
        };
        match &f[s].kind {
            StmtKind::If {
                cond, body: b, els, ..
            } if f[s].span.start >= after || f[*cond].span.start >= after => {
                let in_branch = child == Node::Stmt(*b) || Some(child) == els.map(Node::Stmt);
                if in_branch && mentions(cx, file, *cond, defs) {
                    return Some(s);
                }
            }
            StmtKind::Block { list, .. } => {
                if let Node::Stmt(c) = child {
                    // The statements that end before `after` are passed over below; in a
                    // tree whose spans nest, they are a prefix of the block.
                    let list = &f[list];
                    let from = if cx.files[file].clean {
                        list.partition_point(|&x| f[x].span.end <= after)
                    } else {
                        0
                    };
                    for &prev in list[from..].iter().take_while(|&&x| x != c) {
                        if f[prev].span.start < after && !contains(f, prev, after) {
                            continue;
                        }
                        if let StmtKind::If {
                            cond,
                            body: b,
                            els: None,
                            ..
                        } = &f[prev].kind
                        {
                            if f[*cond].span.start >= after
                                && mentions(cx, file, *cond, defs)
                                && terminates(cx, file, *b)
                            {
                                return Some(prev);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        if s == body {
            return None;
        }
        child = anc;
    }
    None
}

/// Whether statement `s` spans byte offset `at`.
fn contains(f: &File, s: StmtId, at: u32) -> bool {
    let sp = f[s].span;
    sp.start <= at && at < sp.end
}

/// Whether some file of the package calls a method named one of `names` with `args`
/// arguments (`PackageCx::file_calls_method`), so that checks ask for types (which costs a
/// type check of the package) only where their pattern can occur.
pub fn calls_method(cx: &PackageCx<'_>, names: &[&str], args: usize) -> bool {
    (0..cx.files.len()).any(|file| cx.file_calls_method(file, names, args))
}

/// Every (name, argument count) that checks and gates ask `PackageCx::file_calls_method`
/// about. `CallNames` records only these, as bits, so that building it compares the text of
/// a call's name only when its length and argument count could match; a question about any
/// other pair is answered by scanning the file (correct, only slower), and a test keeps this
/// list in step with the questions the crate's sources ask.
const ASKED: &[(&str, usize)] = &[
    ("Add", 1),
    ("AfterFunc", 2),
    ("Do", 1),
    ("Go", 1),
    ("HandleFunc", 2),
    ("HandlerFunc", 1),
    ("Load", 0),
    ("Load", 1),
    ("LoadOrStore", 2),
    ("Lock", 0),
    ("Parallel", 0),
    ("RLock", 0),
    ("RUnlock", 0),
    ("Range", 1),
    ("Run", 2),
    ("RunParallel", 1),
    ("Store", 1),
    ("Store", 2),
    ("Swap", 1),
    ("TryGo", 1),
    ("Unlock", 0),
    ("Wait", 0),
];

// `CallNames` keeps one bit per pair of `ASKED` in a `u32`.
const _: () = assert!(ASKED.len() <= 32);

/// Bit `n` is set when some name of `ASKED` is `n` bytes long.
const ASKED_LENGTHS: u64 = {
    let mut mask = 0u64;
    let mut i = 0;
    while i < ASKED.len() {
        mask |= 1 << ASKED[i].0.len();
        i += 1;
    }
    mask
};

/// The largest argument count in `ASKED`.
const ASKED_MAX_ARGS: usize = {
    let mut max = 0;
    let mut i = 0;
    while i < ASKED.len() {
        if ASKED[i].1 > max {
            max = ASKED[i].1;
        }
        i += 1;
    }
    max
};

/// The name a call expression calls and its argument count: the selected name of
/// `x.Name(…)` and `(x.Name)(…)`, and a bare `Name(…)`.
fn called_name(
    f: &File,
    e: &racelens_syntax::ast::Expr,
) -> Option<(racelens_syntax::ast::IdentId, usize)> {
    let ExprKind::Call { fun, args, .. } = &e.kind else {
        return None;
    };
    match f[f.unparen(*fun)].kind {
        ExprKind::Selector { sel, .. } => Some((sel, args.len())),
        ExprKind::Ident(id) => Some((id, args.len())),
        _ => None,
    }
}

/// The names a file calls, with their argument counts: the selected name of `x.Name(…)` and
/// `(x.Name)(…)`, and a bare `Name(…)`. Built once per file, for the pairs of `ASKED`.
pub struct CallNames<'a> {
    file: &'a File,
    /// Bit `i` is set when the file calls `ASKED[i]`.
    asked: u32,
}

impl<'a> CallNames<'a> {
    pub fn new(f: &'a File) -> CallNames<'a> {
        let mut asked = 0u32;
        for e in &f.exprs {
            let Some((name, args)) = called_name(f, e) else {
                continue;
            };
            if args > ASKED_MAX_ARGS {
                continue;
            }
            // The length comes from the identifier's span, so most names are ruled out
            // without reading the source text. A synthetic identifier reads as `_`.
            let ident = &f[name];
            let len = if ident.synthetic {
                1
            } else {
                ident.span.len() as usize
            };
            if len >= 64 || ASKED_LENGTHS & (1 << len) == 0 {
                continue;
            }
            let text = f.ident_name(name);
            if let Some(i) = ASKED.iter().position(|&(n, a)| a == args && n == text) {
                asked |= 1 << i;
            }
        }
        CallNames { file: f, asked }
    }

    pub fn contains(&self, name: &str, args: usize) -> bool {
        match ASKED.iter().position(|&(n, a)| a == args && n == name) {
            Some(i) => self.asked & (1 << i) != 0,
            None => self.file.exprs.iter().any(|e| {
                called_name(self.file, e)
                    .is_some_and(|(id, a)| a == args && self.file.ident_name(id) == name)
            }),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The call names as the first version recorded them, every pair in a hash set: the
    /// reference `CallNames` must agree with.
    fn reference_call_names(f: &File) -> std::collections::HashSet<(&str, usize)> {
        let mut names = std::collections::HashSet::new();
        for e in &f.exprs {
            if let ExprKind::Call { fun, args, .. } = &e.kind {
                let name = match f[f.unparen(*fun)].kind {
                    ExprKind::Selector { sel, .. } => sel,
                    ExprKind::Ident(id) => id,
                    _ => continue,
                };
                names.insert((f.ident_name(name), args.len()));
            }
        }
        names
    }

    /// Every `.go` file below `root`, walked with an explicit stack and a depth bound.
    pub(crate) fn go_files(root: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![(root.to_path_buf(), 0usize)];
        while let Some((dir, depth)) = stack.pop() {
            assert!(
                depth < 64,
                "directory tree deeper than 64 at {}",
                dir.display()
            );
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_dir() {
                    stack.push((path, depth + 1));
                } else if kind.is_file() && path.extension().is_some_and(|x| x == "go") {
                    out.push(path);
                }
            }
        }
        out.sort();
        out
    }

    /// Every GOROOT `.go` file, a copy of each cut at two thirds (error recovery's trees),
    /// and every fixture, by name: the inputs the tests of pre-filters run over.
    pub(crate) fn goroot_and_fixture_sources() -> Vec<(String, Vec<u8>)> {
        let goroot = std::fs::canonicalize("/usr/lib/go-1.19/src").expect("GOROOT source");
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        let goroot_files = go_files(&goroot);
        assert!(goroot_files.len() > 5000);
        let fixture_files = go_files(&fixtures);
        assert!(!fixture_files.is_empty());
        let mut out = Vec::new();
        for path in &goroot_files {
            let src = std::fs::read(path).unwrap();
            let cut = src.len() * 2 / 3;
            out.push((format!("{} cut", path.display()), src[..cut].to_vec()));
            out.push((path.display().to_string(), src));
        }
        for path in &fixture_files {
            out.push((path.display().to_string(), std::fs::read(path).unwrap()));
        }
        out
    }

    /// Copies of `src` broken the ways that leave literals and declarations out of step:
    /// cut at three points, without its first or its last `}`, with a `}` or a `func(){`
    /// dropped in at a third.
    pub(crate) fn broken_copies(src: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for k in 1..4 {
            out.push(src[..src.len() * k / 4].to_vec());
        }
        let third = src.len() / 3;
        for at in [
            src.iter().position(|&b| b == b'}'),
            src.iter().rposition(|&b| b == b'}'),
        ]
        .into_iter()
        .flatten()
        {
            let mut v = src.to_vec();
            v.remove(at);
            out.push(v);
        }
        for insert in [&b"}"[..], b"func(){", b"\nfunc f() { go func() {"] {
            let mut v = src[..third].to_vec();
            v.extend_from_slice(insert);
            v.extend_from_slice(&src[third..]);
            out.push(v);
        }
        out
    }

    #[test]
    fn function_bodies_are_those_a_walk_of_the_whole_file_finds() {
        let mut literals = 0usize;
        let mut functions = 0usize;
        for (name, src) in goroot_and_fixture_sources() {
            let variants: Vec<Vec<u8>> = if name.ends_with(" cut") {
                vec![src]
            } else {
                let mut v = broken_copies(&src);
                v.push(src);
                v
            };
            for src in variants {
                let (f, _) = racelens_syntax::parse(&src);
                let walked = function_bodies_walk(&f, &roots(&f));
                assert_eq!(function_bodies(&f), walked, "{name}");
                literals += walked
                    .iter()
                    .filter(|(n, _)| matches!(n, Node::Expr(_)))
                    .count();
                functions += f
                    .decls
                    .iter()
                    .filter(|&&d| matches!(f[d].kind, DeclKind::Func { body: Some(_), .. }))
                    .count();
            }
        }
        // The comparison covers many literals and declared functions.
        assert!(literals > 50_000, "{literals} literals");
        assert!(functions > 100_000, "{functions} declared functions");
    }

    #[test]
    fn call_names_answer_as_the_hash_set_did_on_goroot_and_the_fixtures() {
        let goroot = std::fs::canonicalize("/usr/lib/go-1.19/src").expect("GOROOT source");
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        let mut files = go_files(&goroot);
        let in_goroot = files.len();
        files.extend(go_files(&fixtures));
        assert!(in_goroot > 5000, "only {in_goroot} GOROOT files");
        assert!(files.len() > in_goroot, "no fixture files");
        // Pairs outside `ASKED` take the scanning path; they include near misses of asked
        // names (another argument count, another name of the same length).
        let unasked = [
            ("Go", 0),
            ("Lock", 1),
            ("Wait", 0),
            ("Done", 0),
            ("Add", 1),
            ("append", 2),
            ("len", 1),
            ("_", 0),
            ("", 0),
        ];
        let mut found = vec![0usize; ASKED.len()];
        for path in &files {
            let src = std::fs::read(path).unwrap();
            let (f, _) = racelens_syntax::parse(&src);
            let reference = reference_call_names(&f);
            let calls = CallNames::new(&f);
            for (i, &(name, args)) in ASKED.iter().chain(unasked.iter()).enumerate() {
                let want = reference.contains(&(name, args));
                assert_eq!(
                    calls.contains(name, args),
                    want,
                    "{}: {name} with {args} arguments",
                    path.display()
                );
                if want && i < ASKED.len() {
                    found[i] += 1;
                }
            }
        }
        // The comparison is only worth something if each asked pair occurs somewhere.
        for (i, &(name, args)) in ASKED.iter().enumerate() {
            assert!(found[i] > 0, "no file calls {name} with {args} arguments");
        }
    }

    /// The `(name, argument count)` pairs the crate's sources ask about: each `&["A", "B"], N)`
    /// on a line that mentions `calls`.
    fn asked_in_sources() -> Vec<(String, usize)> {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut rs = Vec::new();
        let mut stack = vec![(src, 0usize)];
        while let Some((dir, depth)) = stack.pop() {
            assert!(depth < 16);
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push((path, depth + 1));
                } else if path.extension().is_some_and(|x| x == "rs") {
                    rs.push(path);
                }
            }
        }
        let mut out = Vec::new();
        for path in rs {
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines().filter(|l| l.contains("calls")) {
                let mut rest = line;
                while let Some(at) = rest.find("&[\"") {
                    rest = &rest[at + 2..];
                    let Some(close) = rest.find(']') else { break };
                    let names: Vec<String> = rest[..close]
                        .split(',')
                        .map(|n| n.trim().trim_matches('"').to_string())
                        .collect();
                    let after = rest[close + 1..].trim_start_matches([',', ' ']);
                    let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
                    // `ASKED` itself is written as tuples, so it never matches here.
                    if let Ok(args) = digits.parse::<usize>() {
                        out.extend(names.into_iter().map(|n| (n, args)));
                    }
                    rest = &rest[close..];
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn every_asked_call_name_is_recorded() {
        let asked = asked_in_sources();
        assert!(asked.len() >= 10, "found only {asked:?}");
        for (name, args) in &asked {
            assert!(
                ASKED.contains(&(name.as_str(), *args)),
                "{name} with {args} arguments is asked but not in ASKED"
            );
        }
        // And nothing in `ASKED` is stale.
        for &(name, args) in ASKED {
            assert!(
                asked.iter().any(|(n, a)| n == name && *a == args),
                "ASKED has {name} with {args} arguments, which no source asks"
            );
        }
        assert!(ASKED.len() <= 32, "the bit set holds 32 pairs");
    }

    fn ev(lock: &str, at: u32, acquire: bool) -> LockEvent {
        LockEvent {
            lock: lock.to_string(),
            at,
            acquire,
            call: ExprId::new(0),
        }
    }

    #[test]
    fn a_lock_is_held_between_its_lock_and_unlock_calls() {
        let sections = LockSections::new(vec![
            ev("mu", 10, true),
            ev("mu", 20, false),
            ev("mu", 30, true),
        ]);
        assert!(!sections.held_at("mu", 5));
        assert!(sections.held_at("mu", 15));
        assert!(!sections.held_at("mu", 25));
        assert!(sections.held_at("mu", 35));
        assert!(!sections.held_at("other", 15));
    }

    #[test]
    fn locks_held_at_lists_each_open_section_once() {
        let sections = LockSections::new(vec![
            ev("a", 10, true),
            ev("b", 12, true),
            ev("a", 20, false),
            ev("a", 22, true),
        ]);
        assert_eq!(sections.locks_held_at(15), ["a", "b"]);
        assert_eq!(sections.locks_held_at(21), ["b"]);
        assert_eq!(sections.locks_held_at(30), ["b", "a"]);
        assert!(sections.locks_held_at(0).is_empty());
    }

    /// A repeatable stream of numbers below a bound (xorshift from `seed`), for tests that
    /// compare an index with a plain search on many random inputs.
    pub(crate) fn numbers(mut seed: u64) -> impl FnMut(u32) -> u32 {
        move |below: u32| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % u64::from(below)) as u32
        }
    }

    /// The per-lock searches of `LockSections` answer as readings of every event in source
    /// order do, on random sequences of a few locks taken, released, taken twice and
    /// released without being held.
    #[test]
    fn lock_sections_answer_as_a_reading_of_every_event() {
        let mut next = numbers(0x9e37_79b9_7f4a_7c15);
        let names = ["a", "b", "s.mu", "c"];
        let (mut held, mut releases) = (0, 0);
        for round in 0..300 {
            let mut at = 0;
            let events: Vec<LockEvent> = (0..round % 25)
                .map(|_| {
                    at += 1 + next(4);
                    ev(names[next(4) as usize], at, next(2) == 0)
                })
                .collect();
            let sections = LockSections::new(events.clone());
            assert_eq!(sections.is_empty(), events.is_empty());
            for q in 0..at + 3 {
                // What the events say, read one by one.
                let mut want_held: Vec<&str> = Vec::new();
                for e in events.iter().filter(|e| e.at < q) {
                    want_held.retain(|&l| l != e.lock);
                    if e.acquire {
                        want_held.push(&e.lock);
                    }
                }
                assert_eq!(sections.locks_held_at(q), want_held, "{events:?} at {q}");
                for lock in names {
                    let last = events.iter().rfind(|e| e.lock == lock && e.at < q);
                    assert_eq!(sections.held_at(lock, q), last.is_some_and(|e| e.acquire));
                    held += usize::from(sections.held_at(lock, q));
                    let acquire = events
                        .iter()
                        .rfind(|e| e.lock == lock && e.acquire && e.at < q);
                    assert_eq!(sections.last_acquire_before(lock, q), acquire);
                    let release = events
                        .iter()
                        .find(|e| e.lock == lock && !e.acquire && e.at > q);
                    assert_eq!(sections.first_release_after(lock, q), release);
                    releases += usize::from(release.is_some());
                }
            }
            let mut locks: Vec<&str> = sections.locks().collect();
            let mut want: Vec<&str> = events.iter().map(|e| e.lock.as_str()).collect();
            want.sort_unstable();
            want.dedup();
            locks.sort_unstable();
            assert_eq!(locks, want);
        }
        // Both answers came up both ways.
        assert!(held > 1000 && releases > 1000, "{held} {releases}");
    }
}
