//! Summaries across packages: what a function of one workspace package does to its receiver
//! and parameters (`racelens_model::summary`), and how the model of a package that calls it
//! applies that at the call site: accesses under the caller's and the callee's locks, lock
//! effects of `Lock` wrappers, wait group and channel operations on arguments. Also the
//! store's answers along import cycles.

use racelens_model::summary::{Base, PackageSummary, SumLock, SumTarget, SummarySource};
use racelens_model::{AccessKind, LockMode, Model, Place, SpawnIx, SyncKind};
use racelens_semantic::import::SourcePackage;
use racelens_semantic::types::{PackageCache, PkgIdx, Program};
use racelens_workspace::load::{Loader, LoaderOptions, Locate};
use racelens_workspace::summaries::{Store, Unit};
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

const Q: &str = r#"package q

import "sync"

type Counter struct {
	mu sync.Mutex
	n  int
	M  map[string]int
}

func (c *Counter) Inc() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func (c *Counter) Bump() {
	c.bump()
}

func (c *Counter) bump() {
	c.n += 2
}

func (c *Counter) Lock() { c.mu.Lock() }

func (c *Counter) Unlock() { c.mu.Unlock() }

func (c *Counter) Raw() int { return c.n }

func Put(m map[string]int, k string) {
	m[k] = 1
}

func Finish(wg *sync.WaitGroup) {
	wg.Done()
}

func Send(ch chan int) {
	ch <- 1
}
"#;

const P: &str = r#"package p

import (
	"sync"

	"example.com/m/q"
)

func F(c *q.Counter, m map[string]int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer q.Finish(&wg)
		c.Inc()
		q.Put(m, "a")
	}()
	c.Lock()
	c.Bump()
	c.Unlock()
	wg.Wait()
	c.Raw()
}
"#;

fn loader() -> Loader {
    Loader::new(LoaderOptions {
        mod_cache: Locate::Off,
        ..LoaderOptions::default()
    })
}

fn unit(path: &str, dir: &Path, file: &str, src: &str) -> Unit {
    let (f, errors) = racelens_syntax::parse(src.as_bytes());
    assert!(errors.is_empty(), "{errors:?}");
    Unit {
        path: path.to_string(),
        src: Arc::new(SourcePackage::new(path, [f])),
        dir: dir.to_path_buf(),
        paths: vec![file.to_string()],
    }
}

/// A module `example.com/m` with packages `q` and `p` on disk (the loader reads `q` for
/// `p`'s imports; the store summarises it from its own parse).
fn module() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/m\n\ngo 1.22\n",
    )
    .unwrap();
    for (sub, src) in [("q", Q), ("p", P)] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join(format!("{sub}.go")), src).unwrap();
    }
    dir
}

/// The store of a run whose only summarised package is `q` (in module `dir`).
fn q_store<'a>(loader: &'a Loader, cache: &'a PackageCache, dir: &Path) -> Store<'a> {
    let qdir = dir.join("q");
    Store::new(
        loader,
        cache,
        vec![unit("example.com/m/q", &qdir, "q/q.go", Q)],
        HashSet::new(),
    )
}

/// Package `example.com/m/p` of source `src`, checked by `prog`.
fn check_p(prog: &mut Program<'_>, dir: &Path, src: &str) -> PkgIdx {
    let (file, _) = racelens_syntax::parse(src.as_bytes());
    let pkg = Arc::new(SourcePackage::new("example.com/m/p", [file]));
    prog.check_package("example.com/m/p", pkg, &dir.join("p"))
}

#[test]
fn summaries_name_receiver_and_parameter_effects() {
    let dir = module();
    let loader = loader();
    let cache = PackageCache::new();
    let store = q_store(&loader, &cache, dir.path());
    let sum = store
        .summary("example.com/m/p", "example.com/m/q")
        .expect("q is summarised");
    let inc = &sum.funcs["Counter.Inc"];
    assert_eq!(inc.accesses.len(), 1);
    let a = &inc.accesses[0];
    assert_eq!(
        (a.base, a.field.as_str(), a.kind),
        (Base::Recv, "n", AccessKind::Write)
    );
    assert_eq!(a.owner.as_ref().map(|t| &*t.name), Some("Counter"));
    assert_eq!(&*a.func, "(*Counter).Inc");
    assert_eq!((&*a.at.path, a.at.line, a.at.column), ("q/q.go", 13, 2));
    assert!(
        matches!(&a.held[..], [(SumLock::Field { name, .. }, LockMode::Write)] if name == "mu")
    );
    // Through the package's own helper, located where the helper writes.
    let bump = &sum.funcs["Counter.Bump"];
    assert_eq!(bump.accesses.len(), 1);
    assert_eq!(
        (&*bump.accesses[0].func, bump.accesses[0].at.line),
        ("(*Counter).bump", 22)
    );
    assert!(bump.accesses[0].held.is_empty());
    // `Lock` wrappers.
    assert!(
        matches!(&sum.funcs["Counter.Lock"].acquired[..], [(SumLock::Field { name, .. }, LockMode::Write)] if name == "mu")
    );
    assert!(
        matches!(&sum.funcs["Counter.Unlock"].released[..], [SumLock::Field { name, .. }] if name == "mu")
    );
    // Elements of a map parameter, synchronisation on parameters.
    let put = &sum.funcs["Put"].accesses;
    assert_eq!(put.len(), 1);
    assert_eq!(
        (put[0].base, put[0].owner.is_none(), put[0].kind),
        (Base::Param(0), true, AccessKind::MapWrite)
    );
    assert_eq!(
        sum.funcs["Finish"].syncs,
        vec![(SyncKind::WaitGroupDone, SumTarget::Base(Base::Param(0)))]
    );
    assert_eq!(
        sum.funcs["Send"].syncs,
        vec![(SyncKind::Send, SumTarget::Base(Base::Param(0)))]
    );
    // Unexported functions are not summarised; asking again gives the same summary.
    assert!(!sum.funcs.contains_key("Counter.bump"));
    let again = store
        .summary("example.com/m/other", "example.com/m/q")
        .unwrap();
    assert!(Arc::ptr_eq(&sum, &again));
}

/// The foreign accesses of the model of `p` as `line kind place [locks] via callee:line`.
fn foreign_lines(m: &Model, prog: &Program, src: &str) -> Vec<String> {
    let lines = racelens_syntax::LineIndex::new(src.as_bytes());
    let place = |id| match m.place(id) {
        Place::Var(d) => prog.scopes(m.pkg).def(*d).name.to_string(),
        Place::Field { owner, name } => format!("{}.{name}", prog.display(*owner)),
    };
    m.foreign
        .iter()
        .map(|fr| {
            let mut locks: Vec<String> = fr.access.locks.iter().map(|(l, _)| place(l)).collect();
            locks.sort();
            format!(
                "{} {:?} {} [{}] via {}:{}",
                lines.line_col(fr.access.span.start).0,
                fr.access.kind,
                place(fr.access.place),
                locks.join(" "),
                m.foreign_source(fr).callee,
                m.foreign_source(fr).at.line
            )
        })
        .collect()
}

#[test]
fn call_sites_apply_summaries_under_the_callers_locks() {
    let dir = module();
    let loader = loader();
    let cache = PackageCache::new();
    let store = q_store(&loader, &cache, dir.path());
    let mut prog = Program::new(&loader, &cache);
    let p = check_p(&mut prog, dir.path(), P);
    let m = racelens_model::build_with(&mut prog, p, Some(&store));
    assert_eq!(
        foreign_lines(&m, &prog, P),
        vec![
			"14 Write example.com/m/q.Counter.n [example.com/m/q.Counter.mu] via (*Counter).Inc:13",
			"15 MapWrite m [] via Put:32",
			// `c.Lock()` took the mutex `Inc` locks: the wrapper's summary names it.
			"18 Write example.com/m/q.Counter.n [example.com/m/q.Counter.mu] via (*Counter).bump:22",
			"21 Read example.com/m/q.Counter.n [] via (*Counter).Raw:29",
		]
    );
    // Roots are the caller's variables, so that the race finder binds objects.
    let roots: Vec<String> = m
        .foreign
        .iter()
        .map(|fr| {
            fr.access
                .root
                .map_or("-".into(), |d| prog.scopes(p).def(d).name.to_string())
        })
        .collect();
    assert_eq!(roots, ["c", "m", "c", "c"]);
    // `q.Finish(&wg)` marks the caller's `wg` done: the spawner's `Wait` joins the goroutine.
    let spawn = SpawnIx(0);
    assert!(m
        .signals(m.spawn(spawn).targets[0])
        .iter()
        .any(|&(k, pl)| k == SyncKind::WaitGroupDone && matches!(m.place(pl), Place::Var(_))));
    assert_eq!(
        m.joins(spawn).len(),
        1,
        "the goroutine is joined at `wg.Wait()`"
    );
    // Without summaries, none of this is seen.
    let plain = racelens_model::build(&mut prog, p);
    assert!(plain.foreign.is_empty());
    assert!(plain.joins(spawn).is_empty());
}

/// A summary source that records every question and answers each with a fresh copy of the
/// store's summary, at a new address.
struct Copying<'a> {
    store: &'a Store<'a>,
    asked: std::sync::Mutex<Vec<String>>,
}

impl SummarySource for Copying<'_> {
    fn summary(&self, from: &str, path: &str) -> Option<Arc<PackageSummary>> {
        self.asked.lock().unwrap().push(path.to_string());
        let s = self.store.summary(from, path)?;
        Some(Arc::new(PackageSummary {
            funcs: s.funcs.clone(),
        }))
    }
}

#[test]
fn a_model_asks_once_per_package_and_applies_every_call_alike() {
    let dir = module();
    let loader = loader();
    let cache = PackageCache::new();
    let store = q_store(&loader, &cache, dir.path());
    // The same methods on two receivers, again and again, so that the places found for the
    // first calls serve the later ones; two of `d`'s calls are under `c`'s lock. (The
    // goroutine makes the package one whose model asks for summaries; a `go` statement's
    // call is a goroutine start, not a call whose accesses apply here.)
    let src = "package p\n\nimport \"example.com/m/q\"\n\nfunc F(c, d *q.Counter) {\n\tgo c.Inc()\n\tc.Inc()\n\td.Inc()\n\tc.Lock()\n\td.Inc()\n\td.Raw()\n\tc.Unlock()\n\tc.Raw()\n\td.Bump()\n}\n";
    let mut prog = Program::new(&loader, &cache);
    let p = check_p(&mut prog, dir.path(), src);
    let copying = Copying {
        store: &store,
        asked: Default::default(),
    };
    let m = racelens_model::build_with(&mut prog, p, Some(&copying));
    let expected = vec![
        "7 Write example.com/m/q.Counter.n [example.com/m/q.Counter.mu] via (*Counter).Inc:13",
        "8 Write example.com/m/q.Counter.n [example.com/m/q.Counter.mu] via (*Counter).Inc:13",
        "10 Write example.com/m/q.Counter.n [example.com/m/q.Counter.mu] via (*Counter).Inc:13",
        "11 Read example.com/m/q.Counter.n [example.com/m/q.Counter.mu] via (*Counter).Raw:29",
        "13 Read example.com/m/q.Counter.n [] via (*Counter).Raw:29",
        "14 Write example.com/m/q.Counter.n [] via (*Counter).bump:22",
    ];
    assert_eq!(foreign_lines(&m, &prog, src), expected);
    assert_eq!(
        copying.asked.into_inner().unwrap(),
        ["example.com/m/q"],
        "one question for the eight calls"
    );
    // The store's own answers (one shared summary) give the very same model.
    let again = racelens_model::build_with(&mut prog, p, Some(&store));
    assert_eq!(foreign_lines(&again, &prog, src), expected);
}

#[test]
fn packages_that_import_each_other_get_no_summary_of_one_another() {
    let dir = tempfile::tempdir().unwrap();
    let a = "package a\n\nimport \"example.com/m/b\"\n\ntype T struct{ n int }\n\nfunc (t *T) Set() { t.n = 1 }\n\nfunc Use(u *b.U) { u.Set() }\n";
    let b = "package b\n\nimport \"example.com/m/a\"\n\ntype U struct{ n int }\n\nfunc (u *U) Set() { u.n = 1 }\n\nfunc Use(t *a.T) { t.Set() }\n";
    let loader = loader();
    let cache = PackageCache::new();
    let store = Store::new(
        &loader,
        &cache,
        vec![
            unit("example.com/m/a", &dir.path().join("a"), "a/a.go", a),
            unit("example.com/m/b", &dir.path().join("b"), "b/b.go", b),
        ],
        HashSet::new(),
    );
    assert!(store
        .summary("example.com/m/a", "example.com/m/b")
        .is_none());
    assert!(store
        .summary("example.com/m/b", "example.com/m/a")
        .is_none());
    // From outside the cycle both are summarised, each without the other's summary.
    let sa = store.summary("example.com/m/c", "example.com/m/a").unwrap();
    assert_eq!(sa.funcs["T.Set"].accesses.len(), 1);
    assert!(
        !sa.funcs.contains_key("Use"),
        "`Use` would need b's summary"
    );
    assert!(store
        .summary("example.com/m/c", "example.com/m/b")
        .is_some());
    let order: Vec<&str> = store.order().collect();
    assert_eq!(order.len(), 2);
}

#[test]
fn packages_without_goroutines_do_not_ask_for_summaries() {
    let dir = module();
    let loader = loader();
    let cache = PackageCache::new();
    let store = q_store(&loader, &cache, dir.path());
    let src = "package p\n\nimport \"example.com/m/q\"\n\nfunc F(c *q.Counter) {\n\tc.Inc()\n}\n";
    let mut prog = Program::new(&loader, &cache);
    let p = check_p(&mut prog, dir.path(), src);
    let m = racelens_model::build_with(&mut prog, p, Some(&store));
    // Nothing here runs alongside anything: the call's accesses could not race.
    assert!(m.foreign.is_empty());
}

#[test]
fn a_package_provides_its_summary_only_when_asked_for_and_not_yet_known() {
    let dir = module();
    let loader = loader();
    let cache = PackageCache::new();
    let qdir = dir.path().join("q");
    let units = || vec![unit("example.com/m/q", &qdir, "q/q.go", Q)];
    let asked: HashSet<String> = ["example.com/m/q".to_string()].into();
    // Nobody that starts goroutines imports `q`: its summary will not be asked for.
    let quiet = Store::new(&loader, &cache, units(), HashSet::new());
    assert!(!quiet.wants("example.com/m/q", &["q/q.go"]));
    let store = Store::new(&loader, &cache, units(), asked);
    // Another file set than the summarised package's (its check saw other files).
    assert!(!store.wants("example.com/m/q", &["q/q.go", "q/extra.go"]));
    assert!(!store.wants("example.com/m/other", &["q/q.go"]));
    assert!(store.wants("example.com/m/q", &["q/q.go"]));
    let mut made = 0;
    store.provide("example.com/m/q", &mut || {
        made += 1;
        PackageSummary::default()
    });
    assert_eq!(made, 1);
    // The provided summary is the one importers get, and it is not wanted again.
    let sum = store
        .summary("example.com/m/p", "example.com/m/q")
        .expect("q has the provided summary");
    assert!(sum.funcs.is_empty());
    assert!(!store.wants("example.com/m/q", &["q/q.go"]));
    store.provide("example.com/m/q", &mut || {
        made += 1;
        PackageSummary::default()
    });
    assert_eq!(made, 1);
}
