//! Model behaviour the goroutine race checks rely on: a `sync.Locker` (such as a condition
//! variable's `L`) is a lock like a mutex.

use racelens_semantic::import::SourcePackage;
use racelens_semantic::types::{Loaded, PackageCache, Program};
use racelens_workspace::load::{Loader, LoaderOptions};
use racelens_workspace::{discover, DiscoverOptions};
use std::sync::Arc;

const SRC: &str = r#"package p

import "sync"

func f(c *sync.Cond, l sync.Locker) int {
	x := 0
	c.L.Lock()
	x = 1
	c.L.Unlock()
	l.Lock()
	x = 2
	l.Unlock()
	x = 3
	return x
}
"#;

#[test]
fn locker_interfaces_are_locks() {
    let dir = std::env::temp_dir().join(format!("racelens_model_gor_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("go.mod"), "module example.com/p\n\ngo 1.22\n").unwrap();
    std::fs::write(dir.join("p.go"), SRC).unwrap();
    let opts = DiscoverOptions::default();
    let ws = discover(&dir, &["./...".to_string()], &opts);
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
    // The writes of `x`, in order, and whether a lock is held at each.
    let writes: Vec<(String, bool)> = m
        .accesses
        .iter()
        .filter(|a| a.kind == racelens_model::AccessKind::Write)
        .map(|a| {
            (
                SRC[a.span.start as usize..a.span.end as usize].to_string(),
                !a.locks.is_empty(),
            )
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        writes,
        [
            ("x".to_string(), true),
            ("x".to_string(), true),
            ("x".to_string(), false)
        ]
    );
}
