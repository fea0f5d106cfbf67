//! Model tests of the `locks` branch: lock effects of helpers as their callers see them.

use racelens_model::{AccessKind, Place};
use racelens_semantic::import::SourcePackage;
use racelens_semantic::types::{Loaded, PackageCache, Program};
use racelens_workspace::load::{Loader, LoaderOptions};
use racelens_workspace::{discover, DiscoverOptions};
use std::sync::Arc;

const SRC: &str = r#"package p

import "sync"

type F struct {
	mu   sync.Mutex
	flag bool
	n    int
}

// Locks and unlocks with defer: the caller holds nothing afterwards.
func (f *F) Helper() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
}

// Leaves the lock held for its caller.
func (f *F) lock() {
	f.mu.Lock()
}

func (f *F) Run() {
	f.Helper()
	f.flag = true
	f.lock()
	f.n = 2
	f.mu.Unlock()
}
"#;

#[test]
fn deferred_unlock_in_a_helper_leaves_nothing_held() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("go.mod"), "module example.com/m\n\ngo 1.22\n").unwrap();
    std::fs::write(root.join("p.go"), SRC).unwrap();
    let opts = DiscoverOptions::default();
    let ws = discover(&root, &["./...".to_string()], &opts);
    let loader = Loader::new(LoaderOptions::for_workspace(&ws, &opts));
    let cache = PackageCache::new();
    let pkg = &ws.packages[0];
    let files = vec![racelens_syntax::parse(SRC.as_bytes()).0];
    let src = Arc::new(SourcePackage {
        path: pkg.import_path.clone(),
        files,
    });
    let loaded = Arc::new(Loaded::new(&pkg.import_path, src, &loader, &pkg.dir));
    let mut prog = Program::new(&loader, &cache);
    let p = prog.check_loaded(loaded, &pkg.dir);
    let m = racelens_model::build(&mut prog, p);
    // The last write of each field is the one in `Run`.
    let write_of = |field: &str| {
        m.accesses
            .iter()
            .filter(|a| a.kind == AccessKind::Write)
            .filter(|a| matches!(m.place(a.place), Place::Field { name, .. } if &**name == field))
            .max_by_key(|a| a.span.start)
            .unwrap_or_else(|| panic!("no write of {field}"))
    };
    assert!(
        write_of("flag").locks.is_empty(),
        "`f.Helper()` unlocks by defer: `f.flag` is written without the lock"
    );
    assert!(
        !write_of("n").locks.is_empty(),
        "`f.lock()` leaves `f.mu` held: `f.n = 2` is written with it"
    );
}
