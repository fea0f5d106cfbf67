//! The syntactic gates of the model-based checks: each says whether a package can hold what
//! its checks look for, from the syntax alone. A gate that says `false` wrongly loses
//! findings silently, so these tests pin every spelling of what each gate must let through
//! (every way the model starts a goroutine or takes a lock), and what it keeps out.

use racelens_checks::gates::{
    may_lock, may_read_lock, may_serve_http, may_start_goroutines, may_use_atomics,
};
mod common;

/// The answers of the five gates for a one-file package.
fn gates(src: &str) -> [bool; 5] {
    common::with_package(src, |cx| {
        [
            may_start_goroutines(cx),
            may_lock(cx),
            may_read_lock(cx),
            may_serve_http(cx),
            may_use_atomics(cx),
        ]
    })
}

#[test]
fn a_package_without_concurrency_passes_no_gate() {
    let src = "package p\n\nimport \"strings\"\n\nfunc F(s string) string { go2 := 1; _ = go2; return strings.ToUpper(s) }\n\nfunc (t *T) Go() {}\n\ntype T struct{ m map[string]int }\n";
    assert_eq!(gates(src), [false; 5]);
}

#[test]
fn goroutine_starts_pass_the_goroutine_gate() {
    for body in [
        "go f()",
        "go func() {}()",
        "g.Go(func() error { return nil })",
        "g.TryGo(func() error { return nil })",
        "(g.Go)(f)",
        "wg.Go(f)",
        "time.AfterFunc(d, f)",
        "AfterFunc(d, f)",
    ] {
        let src = format!("package p\n\nfunc F() {{ {body} }}\n");
        assert!(gates(&src)[0], "{body}");
    }
}

#[test]
fn lock_calls_and_locked_helpers_pass_the_lock_gates() {
    let src = "package p\n\nfunc F() { mu.Lock(); defer mu.Unlock() }\n";
    assert_eq!(gates(src)[1..3], [true, false]);
    let src = "package p\n\nfunc F() { mu.RLock(); defer mu.RUnlock() }\n";
    assert_eq!(gates(src)[1..3], [true, true]);
    let src = "package p\n\nfunc F() { (s.mu.RLock)(); s.n++ }\n";
    assert_eq!(gates(src)[1..3], [true, true]);
    let src = "package p\n\nfunc (s *S) flushLocked() { s.n++ }\n";
    assert_eq!(gates(src)[1..3], [true, false]);
    // An `Unlock` alone, or a method merely named `Lock` with arguments, is not a lock held.
    let src = "package p\n\nfunc F() { mu.Unlock(); db.Lock(ctx) }\n";
    assert_eq!(gates(src)[1..3], [false, false]);
}

#[test]
fn handlers_pass_the_http_gate() {
    for decl in [
        "func (h *H) ServeHTTP(w http.ResponseWriter, r *http.Request) {}",
        "func F() { mux.HandleFunc(\"/\", h) }",
        "func F() { http.Handle(\"/\", http.HandlerFunc(h)) }",
    ] {
        let src = format!("package p\n\n{decl}\n");
        assert!(gates(&src)[3], "{decl}");
    }
}

#[test]
fn importing_sync_atomic_passes_the_atomic_gate() {
    let src = "package p\n\nimport \"sync/atomic\"\n\nvar n int64\n\nfunc F() { atomic.AddInt64(&n, 1) }\n";
    assert!(gates(src)[4]);
    let src = "package p\n\nimport atom \"sync/atomic\"\n\nvar n atom.Int64\n";
    assert!(gates(src)[4]);
}
