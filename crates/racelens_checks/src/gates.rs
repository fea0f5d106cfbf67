//! Cheap syntactic preconditions of the model-based checks: whether a package can hold what a
//! check looks for, decided by flat scans of the syntax arenas (no walk, no types), so that
//! the type check and the concurrency model are built only for packages that pass. Each gate
//! is implied by what the model itself needs to produce the check's findings (a goroutine
//! start, a lock call, a handler); it says `true` whenever in doubt.

use crate::access::calls_method;
use crate::syntactic::imports_of;
use crate::PackageCx;
use racelens_syntax::ast::{DeclKind, StmtKind};

/// Whether some file declares a function or method whose name satisfies `p`.
fn declares_func(cx: &PackageCx<'_>, p: impl Fn(&str) -> bool) -> bool {
    cx.files.iter().any(|fcx| {
        let f = fcx.ast;
        f.decl_arena.iter().any(|d| match &d.kind {
            DeclKind::Func { name, .. } => p(f.ident_name(*name)),
            _ => false,
        })
    })
}

/// The model starts goroutines at `go` statements and at calls of `Go` and `TryGo` (errgroup
/// and similar groups, `sync.WaitGroup.Go`) and `time.AfterFunc`.
pub fn may_start_goroutines(cx: &PackageCx<'_>) -> bool {
    cx.files.iter().any(|fcx| {
        fcx.ast
            .stmts
            .iter()
            .any(|s| matches!(s.kind, StmtKind::Go { .. }))
    }) || calls_method(cx, &["Go", "TryGo"], 1)
        || calls_method(cx, &["AfterFunc"], 2)
}

/// Locks are held after `Lock()`/`RLock()` calls, and, by Go's naming convention, inside
/// functions named `...Locked`.
pub fn may_lock(cx: &PackageCx<'_>) -> bool {
    calls_method(cx, &["Lock", "RLock"], 0)
        || declares_func(cx, racelens_model::named_locked)
        || makes_channels(cx)
}

/// Some file may make a channel with room for one token: a lock, its sends taking it and its
/// receives giving it back.
fn makes_channels(cx: &PackageCx<'_>) -> bool {
    cx.files
        .iter()
        .any(|fcx| racelens_model::may_make_one_slot_channel(&fcx.ast.source))
}

/// A read lock is held only after an `RLock()` call.
pub fn may_read_lock(cx: &PackageCx<'_>) -> bool {
    calls_method(cx, &["RLock"], 0)
}

/// HTTP handlers are `ServeHTTP` methods and functions given to `HandleFunc` or converted
/// with `http.HandlerFunc`.
pub fn may_serve_http(cx: &PackageCx<'_>) -> bool {
    declares_func(cx, |name| name == "ServeHTTP")
        || calls_method(cx, &["HandleFunc"], 2)
        || calls_method(cx, &["HandlerFunc"], 1)
}

/// Atomic accesses are calls of `sync/atomic` functions and methods of its types: some file
/// imports the package.
pub fn may_use_atomics(cx: &PackageCx<'_>) -> bool {
    cx.files
        .iter()
        .any(|fcx| imports_of(fcx.ast, "sync/atomic").next().is_some())
}
