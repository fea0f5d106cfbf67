//! The type checker fed by the real package loader: a module whose package imports the
//! standard library (from GOROOT), another package of the same module, and errgroup (from the
//! embedded model, as no module cache holds it here). The types that concurrency checks
//! depend on come out right.

use racelens_semantic::import::SourcePackage;
use racelens_semantic::types::{PackageCache, Program};
use racelens_workspace::load::{Loader, LoaderOptions};
use racelens_workspace::{discover, DiscoverOptions};
use std::sync::Arc;

const MAIN: &str = r#"package app

import (
	"sync"

	"example.com/m/store"
	"golang.org/x/sync/errgroup"
)

func run(s *store.Store) error {
	var wg sync.WaitGroup
	var g errgroup.Group
	wg.Add(1)
	g.Go(func() error { return nil })
	v := s.Get("k")
	_ = v
	_ = s.Mu
	return g.Wait()
}
"#;

const STORE: &str = r#"package store

import "sync"

type Store struct {
	Mu   sync.RWMutex
	data map[string]int
}

func (s *Store) Get(k string) int {
	s.Mu.RLock()
	defer s.Mu.RUnlock()
	return s.data[k]
}
"#;

#[test]
fn loader_feeds_the_type_checker() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("go.mod"), "module example.com/m\n\ngo 1.22\n").unwrap();
    std::fs::create_dir_all(root.join("app")).unwrap();
    std::fs::create_dir_all(root.join("store")).unwrap();
    std::fs::write(root.join("app/app.go"), MAIN).unwrap();
    std::fs::write(root.join("store/store.go"), STORE).unwrap();
    assert!(
        std::path::Path::new("/usr/lib/go-1.19/src/sync").is_dir(),
        "GOROOT source is missing: apt-get install -y golang-1.19-src"
    );

    let opts = DiscoverOptions::default();
    let ws = discover(&root, &["./...".to_string()], &opts);
    let mut lopts = LoaderOptions::for_workspace(&ws, &opts);
    lopts.mod_cache = racelens_workspace::load::Locate::Off;
    let loader = Loader::new(lopts);
    let cache = PackageCache::new();
    let mut prog = Program::new(&loader, &cache);
    let (file, errors) = racelens_syntax::parse(MAIN.as_bytes());
    assert!(errors.is_empty(), "{errors:?}");
    let pkg = Arc::new(SourcePackage::new("example.com/m/app", [file]));
    let p = prog.check_package("example.com/m/app", pkg.clone(), &root.join("app"));

    // The type of the expression spanning the first `len` bytes of `needle`'s first occurrence.
    let ty_at = |needle: &str, len: usize| {
        let start = MAIN.find(needle).expect("needle") as u32;
        let end = start + len as u32;
        let (e, _) = pkg.files[0]
            .exprs_with_ids()
            .find(|(_, e)| e.span.start == start && e.span.end == end)
            .unwrap_or_else(|| panic!("no expression {needle}"));
        prog.type_of(p, 0, e)
    };
    let ty = |needle: &str| ty_at(needle, needle.len());
    let wg = ty_at("wg.Add", 2);
    assert!(prog.is_wait_group(wg), "{}", prog.display(wg));
    assert_eq!(
        prog.display(ty_at("g.Go", 1)),
        "golang.org/x/sync/errgroup.Group"
    );
    assert_eq!(prog.display(ty("s.Get(\"k\")")), "int");
    let mu = ty("s.Mu");
    assert!(prog.is_lock(mu));
    assert!(prog.is_named(mu, "sync", "RWMutex"));
    assert_eq!(prog.display(ty("g.Wait()")), "error");
}
