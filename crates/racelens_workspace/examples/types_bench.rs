//! Times building the semantic model (scopes and types of every package, bodies included)
//! of a whole GOROOT source tree against parsing the same files: issue 4's speed target is a
//! model at most 3x the parse time, both on 2 threads.
//!
//! `cargo run --release -p racelens_workspace --example types_bench [RUNS [GOROOT]]`
//!
//! Every package directory under `GOROOT/src` (vendor trees and `cmd` included, `testdata`
//! not) contributes the files a linux/amd64 build without cgo compiles, as the loader
//! selects them (`load::package_sources`). The files are read into memory first, so neither
//! side counts IO. Both sides run on 2 threads over a shared queue of packages, largest
//! first, and each is timed `RUNS` times (default 5); the best run counts, which keeps the
//! ratio steady when another process shares the machine. The model is built from scratch in
//! each run (a fresh `PackageCache`), over packages parsed with their bodies; imports
//! resolve to those same parsed packages, so the model time counts no parsing. Each thread
//! checks its packages with one `Program`, as `Program` is meant to be used, so what they
//! import is typed once per thread.
//!
//! For counts that do not depend on the machine's load, run it once under callgrind,
//! collecting only inside `parse_one` (parsing) or `check_one` (the model):
//! `valgrind --tool=callgrind --toggle-collect='types_bench::parse_one' target/release/examples/types_bench 1`
//! and the same with `--toggle-collect='types_bench::check_one'`; the "Collected" totals
//! are the instruction counts of the two sides.

use racelens_semantic::import::{Importer, SourcePackage};
use racelens_semantic::types::{PackageCache, Program};
use racelens_workspace::constraint::Target;
use racelens_workspace::load::package_sources;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Serves the parsed packages by import path; GOROOT's own dependencies are found under
/// `vendor/` (for the standard library) and `cmd/vendor/` (for the commands).
struct MemImporter {
    pkgs: HashMap<String, Arc<SourcePackage>>,
}

impl Importer for MemImporter {
    fn import(&self, path: &str, _from: &Path) -> Option<Arc<SourcePackage>> {
        ["", "vendor/", "cmd/vendor/"]
            .iter()
            .find_map(|pre| self.pkgs.get(&format!("{pre}{path}")).cloned())
    }

    fn serves(&self, path: &str, from: &Path, src: &Arc<SourcePackage>) -> bool {
        self.import(path, from)
            .is_some_and(|s| Arc::ptr_eq(&s, src))
    }
}

/// Every directory below `dir` except `testdata` trees, with its path relative to `root`.
fn dirs(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in &entries {
        if p.is_dir() && p.file_name().is_some_and(|n| n != "testdata") {
            dirs(root, p, out);
        }
    }
    if let Ok(rel) = dir.strip_prefix(root) {
        let s = rel.to_string_lossy().to_string();
        if !s.is_empty() {
            out.push((s, dir.to_path_buf()));
        }
    }
}

/// Applies `f` to every item on 2 threads taking items from one queue, in order; each
/// thread has a state of its own, made by `init`.
fn parallel<T: Send, S, R: Send>(
    items: Vec<T>,
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, T) -> R + Sync,
) -> Vec<R> {
    let queue = Mutex::new(items.into_iter());
    let out = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let mut state = init();
                loop {
                    let Some(item) = queue.lock().unwrap().next() else {
                        break;
                    };
                    let r = f(&mut state, item);
                    out.lock().unwrap().push(r);
                }
            });
        }
    });
    out.into_inner().unwrap()
}

/// The CPU time the process has used so far (all threads, user and system), from
/// `/proc/self/stat` in clock ticks of 10 ms; zero where that file does not exist. It is
/// printed next to the wall time, as it suffers less when other processes share the cores.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses: utime and stime are the
    // 12th and 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: u64 = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

/// Parses one package's files with their bodies.
#[inline(never)]
fn parse_one(path: &str, sources: &[Vec<u8>]) -> SourcePackage {
    SourcePackage {
        path: path.to_string(),
        files: sources
            .iter()
            .map(|s| std::sync::Arc::new(racelens_syntax::parse(s).0))
            .collect(),
    }
}

/// Checks one package with the thread's program; returns (expressions with a known type,
/// expressions).
#[inline(never)]
fn check_one(prog: &mut Program, path: &str, pkg: &Arc<SourcePackage>) -> (usize, usize) {
    let p = prog.check_package(path, pkg.clone(), Path::new(""));
    let mut known = 0usize;
    let mut total = 0usize;
    for (fi, f) in pkg.files.iter().enumerate() {
        for (e, _) in f.exprs_with_ids() {
            total += 1;
            let ty = prog.type_of(p, fi, e);
            if !prog.is_unknown(ty) {
                known += 1;
            }
        }
    }
    (known, total)
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .map(|r| r.parse().expect("RUNS is a number"))
        .unwrap_or(5)
        .max(1);
    let goroot = std::env::args()
        .nth(2)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            racelens_workspace::load::detect_goroot()
                .clone()
                .expect("no GOROOT found")
        });
    let src = goroot.join("src");
    let mut all = Vec::new();
    dirs(&src, &src, &mut all);
    let target = Target::default();
    let mut sources: Vec<(String, Vec<Vec<u8>>)> = all
        .into_iter()
        .map(|(p, d)| {
            let files = package_sources(&d, &target).into_iter().map(|(_, s)| s);
            (p, files.collect::<Vec<_>>())
        })
        .filter(|(_, f)| !f.is_empty())
        .collect();
    // Largest packages first, so that neither thread is left alone with a big one at the end.
    let size = |files: &[Vec<u8>]| files.iter().map(Vec::len).sum::<usize>();
    sources.sort_by_key(|(p, f)| (std::cmp::Reverse(size(f)), p.clone()));
    let nfiles: usize = sources.iter().map(|(_, f)| f.len()).sum();
    let bytes: usize = sources.iter().map(|(_, f)| size(f)).sum();

    let mut parse_best = Duration::MAX;
    let mut parse_cpu = Duration::MAX;
    let mut parsed = Vec::new();
    for _ in 0..runs {
        // Dropping the previous run's trees is not parsing: it happens before the clock.
        drop(std::mem::take(&mut parsed));
        let (t, c) = (Instant::now(), cpu_time());
        parsed = parallel(
            sources.iter().collect(),
            || (),
            |_, (path, files)| (path.clone(), Arc::new(parse_one(path, files))),
        );
        parse_best = parse_best.min(t.elapsed());
        parse_cpu = parse_cpu.min(cpu_time().saturating_sub(c));
    }
    // The model's work queue in the same order as the parser's.
    let order: HashMap<&str, usize> = sources
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (p.as_str(), i))
        .collect();
    parsed.sort_by_key(|(p, _)| order[p.as_str()]);
    let importer = MemImporter {
        pkgs: parsed.iter().cloned().collect(),
    };

    let mut model_best = Duration::MAX;
    let mut model_cpu = Duration::MAX;
    let mut stats = Vec::new();
    for _ in 0..runs {
        let cache = PackageCache::new();
        let (t, c) = (Instant::now(), cpu_time());
        // One program per thread, as `Program` is meant to be used: what the packages
        // checked by a thread import is typed once for all of them.
        stats = parallel(
            parsed.clone(),
            || Program::new(&importer, &cache),
            |prog, (path, pkg)| check_one(prog, &path, &pkg),
        );
        model_best = model_best.min(t.elapsed());
        model_cpu = model_cpu.min(cpu_time().saturating_sub(c));
    }
    let known: usize = stats.iter().map(|s| s.0).sum();
    let total: usize = stats.iter().map(|s| s.1).sum();
    let mb = bytes as f64 / 1e6;
    let (p, m) = (parse_best.as_secs_f64(), model_best.as_secs_f64());
    println!(
        "{} packages, {nfiles} files, {mb:.1} MB; best of {runs} runs, 2 threads each",
        parsed.len()
    );
    println!("parse: {p:.3} s ({:.1} MB/s)", mb / p);
    println!("model (scopes + types): {m:.3} s ({:.1} MB/s)", mb / m);
    println!("ratio model/parse: {:.2}", m / p);
    let (pc, mc) = (parse_cpu.as_secs_f64(), model_cpu.as_secs_f64());
    println!(
        "cpu time (both threads, best run): parse {pc:.2} s, model {mc:.2} s, ratio {:.2}",
        mc / pc.max(0.01)
    );
    println!(
        "expressions with a known type: {known} of {total} ({:.1}%)",
        100.0 * known as f64 / total.max(1) as f64
    );
}
