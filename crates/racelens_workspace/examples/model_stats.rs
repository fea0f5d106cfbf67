//! Builds the concurrency model of every package under a directory and prints its size
//! (functions, accesses, goroutine starts, joins found) and the time taken: a smoke test of
//! the model on real code and a quick look at what checks have to work with.
//!
//! `cargo run --release -p racelens_workspace --example model_stats -- DIR`
//!
//! It also sizes a demand-driven model: of the function bodies of the packages whose model
//! has something for a check (a goroutine start, an access under a lock or an atomic one),
//! the share reachable from goroutine starts through the model's calls; with every function
//! touching a place accessed under a lock or atomically; and with the callers of the
//! unexported helpers among them, whose locks flow into those helpers, and what they call.
//! Only these bodies would need types and a model for the checks that exist (before the
//! types-only checks and the summaries, which need their own).

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
    // Body bytes: all, reachable from goroutine starts, with lock and atomic places, with
    // the callers of unexported helpers.
    let mut relevance = [0usize; 4];
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
        for (total, part) in relevance.iter_mut().zip(relevant_bytes(&m)) {
            *total += part;
        }
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
    let share = |i: usize| 100.0 * relevance[i] as f64 / relevance[0].max(1) as f64;
    println!(
        "function bodies of the packages with goroutines, locks or atomics: {:.2} MB; \
         reachable from goroutine starts {:.0} %, with lock and atomic places {:.0} %, \
         with the callers of unexported helpers and what they call {:.0} %",
        relevance[0] as f64 / 1e6,
        share(1),
        share(2),
        share(3)
    );
}

/// The bytes of the model's declared functions: all of them, then those a check could need
/// in three widening sets (see the file's documentation); zeros for a package with no
/// goroutine start and no locked or atomic access.
fn relevant_bytes(m: &racelens_model::Model) -> [usize; 4] {
    use racelens_model::{FuncIx, Invocation};
    let n = m.funcs.len();
    let bytes = |f: usize| (m.funcs[f].span.end - m.funcs[f].span.start) as usize;
    let declared = |f: usize| m.funcs[f].parent.is_none();
    let outermost = |f: usize| m.outermost(FuncIx(f as u32)).index();
    // Marks what `stack` reaches through calls, literals run in place and goroutine
    // targets, then the literals inside every marked function.
    let close = |marked: &mut Vec<bool>, mut stack: Vec<usize>| {
        while let Some(f) = stack.pop() {
            if std::mem::replace(&mut marked[f], true) {
                continue;
            }
            let func = &m.funcs[f];
            stack.extend(
                func.calls
                    .iter()
                    .flat_map(|c| c.callees.iter().map(|k| k.index())),
            );
            stack.extend(func.inline.iter().map(|l| l.index()));
            for s in &func.spawns {
                stack.extend(m.spawns[s.index()].targets.iter().map(|t| t.index()));
            }
            if stack.is_empty() {
                stack.extend((0..n).filter(|&l| !marked[l] && marked[outermost(l)]));
            }
        }
    };
    let sum = |marked: &[bool]| {
        (0..n)
            .filter(|&f| declared(f) && marked[f])
            .map(bytes)
            .sum()
    };
    let guarded: std::collections::HashSet<_> = m
        .accesses
        .iter()
        .filter(|a| !a.locks.is_empty() || a.kind.is_atomic())
        .map(|a| a.place)
        .collect();
    if m.spawns.is_empty() && guarded.is_empty() {
        return [0; 4];
    }
    let mut marked = vec![false; n];
    let starts = m.spawns.iter().flat_map(|s| {
        std::iter::once(outermost(s.func.index())).chain(s.targets.iter().map(|t| t.index()))
    });
    close(&mut marked, starts.collect());
    let goroutines = sum(&marked);
    let touching = (0..n).filter(|&f| {
        let func = &m.funcs[f];
        func.accesses
            .iter()
            .any(|&a| guarded.contains(&m.access(a).place))
            || m.lock_effects.contains_key(&FuncIx(f as u32))
            || !func.entry.is_empty()
    });
    close(&mut marked, touching.map(outermost).collect());
    let locks = sum(&marked);
    // A caller's locks at the call depend on its body and on the lock effects of what it
    // calls before: the callers are closed over like the rest.
    let callers: Vec<usize> = (0..n)
        .filter(|&f| marked[f] && m.funcs[f].how == Invocation::Decl && !m.funcs[f].exported)
        .flat_map(|f| m.callers.get(&FuncIx(f as u32)).into_iter().flatten())
        .map(|&(c, _)| outermost(c.index()))
        .collect();
    close(&mut marked, callers);
    let all = (0..n).filter(|&f| declared(f)).map(bytes).sum();
    [all, goroutines, locks, sum(&marked)]
}
