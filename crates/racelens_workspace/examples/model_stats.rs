//! Builds the concurrency model of every package under a directory and prints its size
//! (functions, accesses, goroutine starts, joins found) and the time taken: a smoke test of
//! the model on real code and a quick look at what checks have to work with.
//!
//! `cargo run --release -p racelens_workspace --example model_stats -- DIR`

use racelens_semantic::import::SourcePackage;
use racelens_semantic::types::{Loaded, PackageCache, Program};
use racelens_workspace::load::{Loader, LoaderOptions};
use racelens_workspace::{discover, DiscoverOptions};
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let dir = std::path::Path::new(&dir)
        .canonicalize()
        .expect("directory");
    let opts = DiscoverOptions::default();
    let ws = discover(&dir, &["./...".to_string()], &opts);
    let loader = Loader::new(LoaderOptions::for_workspace(&ws, &opts));
    let cache = PackageCache::new();
    // `SHARED=1`: one type checker for every package (else one per package).
    let shared = std::env::var_os("SHARED").is_some();
    let mut one = Program::new(&loader, &cache);
    let start = Instant::now();
    let (mut funcs, mut accesses, mut spawns, mut joined, mut looped, mut locked) =
        (0, 0, 0, 0, 0, 0);
    for pkg in &ws.packages {
        let files = pkg
            .files
            .iter()
            .filter(|f| !f.is_test)
            .filter_map(|f| std::fs::read(&f.path).ok())
            .map(|src| racelens_syntax::parse(&src).0);
        let src = Arc::new(SourcePackage::new(pkg.import_path.clone(), files));
        let loaded = Arc::new(Loaded::new(&pkg.import_path, src, &loader, &pkg.dir));
        let mut fresh = Program::new(&loader, &cache);
        let prog = if shared { &mut one } else { &mut fresh };
        let p = prog.check_loaded(loaded, &pkg.dir);
        let m = racelens_model::build(prog, p);
        funcs += m.funcs.len();
        accesses += m.accesses.len();
        locked += m.accesses.iter().filter(|a| !a.locks.is_empty()).count();
        spawns += m.spawns.len();
        for s in 0..m.spawns.len() {
            let s = racelens_model::SpawnIx(s as u32);
            joined += usize::from(!m.joins(s).is_empty());
            looped += usize::from(m.self_concurrent(s));
            let _ = m.overlapping_in_spawner(s);
            let _ = m.goroutine_runs(s);
        }
    }
    println!(
        "{} packages: {funcs} functions, {accesses} accesses ({locked} under a lock), \
         {spawns} goroutine starts ({joined} joined, {looped} self-concurrent) in {:.2}s",
        ws.packages.len(),
        start.elapsed().as_secs_f64()
    );
}
