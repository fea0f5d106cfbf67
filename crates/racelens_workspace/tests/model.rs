//! The concurrency model on small Go packages, data-driven: each case is a package and the
//! model's facts about it — every access with its kind and the locks held, every goroutine
//! start with where the spawner waits for it — written out as text and compared whole.

use racelens_model::{LockMode, Model, Place};
use racelens_semantic::import::SourcePackage;
use racelens_semantic::types::{PackageCache, PkgIdx, Program};
use racelens_semantic::DefKind;
use racelens_workspace::load::{Loader, LoaderOptions, Locate};
use std::fmt::Write;
use std::sync::Arc;

/// The model of `src` (one file of package `p`, importing from GOROOT or the models), as
/// text: `line kind place [locks]` per access, then `spawn line kind ...` per goroutine start.
fn describe(src: &str) -> String {
    with_model(src, |prog, p, m| describe_model(src, prog, p, &m))
}

/// Type-checks `src` (one file of package `p`), builds its model and hands both to `f`.
fn with_model<R>(src: &str, f: impl FnOnce(&Program<'_>, PkgIdx, Model) -> R) -> R {
    with_model_from(Locate::Detect, src, f)
}

/// `with_model`, with the standard library found as `goroot` says (`Locate::Off`: only the
/// embedded models).
fn with_model_from<R>(
    goroot: Locate,
    src: &str,
    f: impl FnOnce(&Program<'_>, PkgIdx, Model) -> R,
) -> R {
    let dir = tempfile::tempdir().unwrap();
    let opts = LoaderOptions {
        mod_cache: Locate::Off,
        goroot,
        ..LoaderOptions::default()
    };
    let loader = Loader::new(opts);
    let cache = PackageCache::new();
    let mut prog = Program::new(&loader, &cache);
    let (file, errors) = racelens_syntax::parse(src.as_bytes());
    assert!(errors.is_empty(), "{errors:?}");
    let pkg = Arc::new(SourcePackage::new("example.com/p", [file]));
    let p = prog.check_package("example.com/p", pkg, dir.path());
    let m = racelens_model::build(&mut prog, p);
    f(&prog, p, m)
}

fn describe_model(src: &str, prog: &Program<'_>, p: PkgIdx, m: &Model) -> String {
    let lines = racelens_syntax::LineIndex::new(src.as_bytes());
    let scopes = prog.scopes(p);
    let place = |m: &Model, id| match m.place(id) {
        Place::Var(d) => scopes.def(*d).name.to_string(),
        Place::Field { owner, name } => format!("{}.{name}", prog.display(*owner)),
    };
    let line = |off: u32| lines.line_col(off).0;
    let mut out = String::new();
    for (i, a) in m.accesses.iter().enumerate() {
        let ix = racelens_model::AccessIx(i as u32);
        // Reads of parameters and receivers are true but would drown the rest.
        if let Place::Var(d) = m.place(a.place) {
            let kind = &scopes.def(*d).kind;
            if a.kind == racelens_model::AccessKind::Read
                && matches!(kind, DefKind::Param | DefKind::Receiver)
            {
                continue;
            }
        }
        let mut locks: Vec<String> = a
            .locks
            .union(&m.effective_entry(a.func))
            .iter()
            .map(|(l, mode)| {
                let r = if mode == LockMode::Read { "(r)" } else { "" };
                format!("{}{r}", place(m, l))
            })
            .collect();
        locks.sort();
        let owned = if m.is_owned(ix) { " owned" } else { "" };
        writeln!(
            out,
            "{} {:?} {} [{}]{owned}",
            line(a.span.start),
            a.kind,
            place(m, a.place),
            locks.join(" ")
        )
        .unwrap();
    }
    for (i, s) in m.spawns.iter().enumerate() {
        let ix = racelens_model::SpawnIx(i as u32);
        let joins: Vec<String> = m.joins(ix).iter().map(|&j| line(j).to_string()).collect();
        let overlap: Vec<String> = m
            .overlapping_in_spawner(ix)
            .iter()
            .map(|fl| line(m.access(fl.access).span.start).to_string())
            .collect();
        writeln!(
            out,
            "spawn {} {:?} targets={} joins=[{}] self={} overlap=[{}]",
            line(s.span.start),
            s.kind,
            s.targets.len(),
            joins.join(" "),
            m.self_concurrent(ix),
            overlap.join(" ")
        )
        .unwrap();
    }
    out
}

fn check(src: &str, want: &str) {
    assert!(
        std::path::Path::new("/usr/lib/go-1.19/src/sync").is_dir(),
        "GOROOT source is missing: apt-get install -y golang-1.19-src"
    );
    let got = describe(src);
    let want: String = want
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(got, want, "\n--- got ---\n{got}");
}

#[test]
fn locks_follow_the_flow_of_each_function() {
    check(
        r#"package p

import "sync"

type Store struct {
	mu sync.RWMutex
	m  map[string]int
	n  int
}

func (s *Store) Get(k string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.m[k]
}

func (s *Store) Put(k string, v int) {
	s.mu.Lock()
	if v < 0 {
		s.mu.Unlock()
		return
	}
	s.m[k] = v
	s.mu.Unlock()
	s.n++
}

func (s *Store) lock() { s.mu.Lock() }

func (s *Store) Inc() {
	s.lock()
	s.bump()
	s.mu.Unlock()
}

func (s *Store) bump() { s.n = s.n + 1 }
"#,
        "
        14 MapRead example.com/p.Store.m [example.com/p.Store.mu(r)]
        23 MapWrite example.com/p.Store.m [example.com/p.Store.mu]
        25 Write example.com/p.Store.n []
        36 Read example.com/p.Store.n [example.com/p.Store.mu]
        36 Write example.com/p.Store.n [example.com/p.Store.mu]
        ",
    );
}

#[test]
fn goroutines_with_their_waits() {
    check(
        r#"package p

import "sync"

func collect(items []int) []int {
	var out []int
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out = append(out, it)
		}()
	}
	wg.Wait()
	return out
}

func early(items []int) int {
	n := 0
	done := make(chan bool)
	go func() {
		n++
		done <- true
	}()
	n = 2
	<-done
	return n
}

type T struct{ v int }

func fresh() *T {
	t := &T{}
	t.v = 1
	return t
}
"#,
        "
        8 ElemRead items []
        12 Read it []
        12 Append out []
        16 Read out []
        23 Write n []
        24 Read done []
        26 Write n []
        27 Read done []
        28 Read n []
        35 Write example.com/p.T.v [] owned
        35 Read t [] owned
        36 Read t [] owned
        spawn 10 Go targets=1 joins=[15] self=true overlap=[8]
        spawn 22 Go targets=1 joins=[27] self=false overlap=[26]
        ",
    );
}

#[test]
fn helpers_inherit_their_callers_locks_and_groups_join() {
    check(
        r#"package p

import (
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

type C struct {
	mu   sync.Mutex
	n    int
	hits atomic.Int64
	raw  int64
}

func (c *C) Add() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.incr()
}

func (c *C) incr() { c.n++ }

func (c *C) Run(xs []int) error {
	var g errgroup.Group
	for range xs {
		g.Go(func() error {
			c.hits.Add(1)
			atomic.AddInt64(&c.raw, 1)
			return nil
		})
	}
	err := g.Wait()
	time.AfterFunc(time.Second, func() { c.n = 0 })
	switch {
	case len(xs) > 1:
		c.mu.Lock()
	default:
		c.mu.Lock()
	}
	c.n = 1
	c.mu.Unlock()
	return err
}
"#,
        "
        24 Write example.com/p.C.n [example.com/p.C.mu]
        30 AtomicWrite example.com/p.C.hits []
        31 AtomicWrite example.com/p.C.raw []
        36 Write example.com/p.C.n []
        43 Write example.com/p.C.n [example.com/p.C.mu]
        45 Read err []
        spawn 29 GroupGo targets=1 joins=[35] self=true overlap=[28]
        spawn 36 AfterFunc targets=1 joins=[] self=false overlap=[38 39 41 43 43 44 45]
        ",
    );
}

#[test]
fn functions_named_locked_run_under_their_callers_lock() {
    check(
        r#"package p

type T struct{ n int }

func (t *T) bumpLocked() { t.n++ }

func (t *T) Bump() { t.n++ }
"#,
        "
        5 Write example.com/p.T.n [example.com/p.T.(lock held by the caller)]
        7 Write example.com/p.T.n []
        ",
    );
}

#[test]
fn enclosing_functions_are_those_up_the_parent_links() {
    // `outermost` and `encloses` answer from numbers kept per function; the parent links
    // are the definition they must agree with, on literals nested in place, started,
    // deferred, side by side and in several declared functions.
    let src = r#"package p

var v int

func A() {
	f := func() {
		go func() { v = 1; func() { v = 2 }() }()
		defer func() { v = 3 }()
	}
	g := func() { func() { func() { v = 4 }() }() }
	f()
	g()
}

func B() { go func() { v = 5 }() }

func (t *T) C() { func() { go func() { defer func() { v = 6 }() }() }() }

type T struct{}

func D() {}
"#;
    let m = with_model(src, |_, _, m| m);
    let n = m.funcs.len();
    assert!(n >= 15, "{n} functions");
    let up = |mut f: racelens_model::FuncIx| {
        let mut all = vec![f];
        while let Some(p) = m.func(f).parent {
            all.push(p);
            f = p;
        }
        all
    };
    for f in 0..n {
        let f = racelens_model::FuncIx(f as u32);
        let chain = up(f);
        assert_eq!(m.outermost(f), *chain.last().unwrap());
        for g in 0..n {
            let g = racelens_model::FuncIx(g as u32);
            assert_eq!(m.encloses(g, f), chain.contains(&g), "{g:?} encloses {f:?}");
        }
    }
}

#[test]
fn calls_that_modify_values_not_safe_for_concurrent_use() {
    // Modifying methods and writers of the listed types are `Mutate` accesses of the
    // variable or field holding the value; reading methods, the top-level functions of
    // `math/rand`, writers given another value, and unlisted types are not.
    check(
        r#"package p

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"os"
	"sync"
)

type T struct {
	rng *rand.Rand
	mu  sync.Mutex
}

func f(t *T) int {
	var buf bytes.Buffer
	buf.WriteString("a")
	n := buf.Len()
	fmt.Fprintf(&buf, "%d", n)
	w := &buf
	io.WriteString(w, "b")
	fmt.Fprintln(os.Stdout, "c")
	t.mu.Lock()
	k := t.rng.Intn(3)
	t.mu.Unlock()
	return k + rand.Intn(3)
}
"#,
        "
        19 Read buf []
        19 Mutate buf []
        20 Read buf []
        21 Read n []
        21 Mutate buf []
        23 Read w []
        23 Mutate w []
        26 Read example.com/p.T.rng [example.com/p.T.mu]
        26 Mutate example.com/p.T.rng [example.com/p.T.mu]
        28 Read k []
        ",
    );
}

#[test]
fn values_not_safe_for_concurrent_use_are_known_from_the_models_alone() {
    // Without the Go source, the embedded models of bytes, strings, bufio, math/rand and
    // hash give the types whose modifying methods are `Mutate` accesses.
    let src = r#"package p

import (
	"bufio"
	"bytes"
	"fmt"
	"hash"
	"math/rand"
	"strings"
)

func f(w *bufio.Writer, h hash.Hash, r *rand.Rand) {
	var buf bytes.Buffer
	var sb strings.Builder
	buf.WriteString("a")
	_ = buf.Len()
	sb.WriteByte('b')
	fmt.Fprintf(&sb, "c")
	w.Flush()
	h.Write(nil)
	_ = h.Sum(nil)
	_ = r.Intn(3)
	_ = rand.Intn(3)
}
"#;
    let mutated = with_model_from(Locate::Off, src, |prog, p, m| {
        let scopes = prog.scopes(p);
        let lines = racelens_syntax::LineIndex::new(src.as_bytes());
        m.accesses
            .iter()
            .filter(|a| a.kind == racelens_model::AccessKind::Mutate)
            .map(|a| match m.place(a.place) {
                Place::Var(d) => {
                    format!("{} {}", lines.line_col(a.span.start).0, scopes.def(*d).name)
                }
                Place::Field { name, .. } => name.to_string(),
            })
            .collect::<Vec<_>>()
    });
    assert_eq!(
        mutated,
        ["15 buf", "17 sb", "18 sb", "19 w", "20 h", "22 r"],
        "the Mutate accesses, by line and variable"
    );
}
