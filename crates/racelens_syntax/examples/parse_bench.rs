//! Parser throughput: reads every `.go` file under a directory (the Go 1.19 standard library
//! by default) into memory, then times parsing them all on one thread and prints MB/s, by
//! wall-clock time and by the thread's own CPU time (from /proc/thread-self/schedstat), which
//! other processes on a busy machine disturb less.
//!
//! `cargo run --release -p racelens_syntax --example parse_bench [DIR] [ROUNDS]`

use std::path::{Path, PathBuf};
use std::time::Instant;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // Follow symlinks: the stdlib directory itself is one.
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            collect(&path, out);
        } else if meta.is_file() && path.extension().is_some_and(|e| e == "go") {
            out.push(path);
        }
    }
}

/// The CPU time this thread has run, where Linux tells it.
fn thread_cpu_time() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns as f64 / 1e9)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "/usr/lib/go-1.19/src".to_string());
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);

    let mut paths = Vec::new();
    collect(Path::new(&dir), &mut paths);
    paths.sort();
    let sources: Vec<Vec<u8>> = paths.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    let bytes: usize = sources.iter().map(Vec::len).sum();
    println!(
        "{} files, {:.1} MB under {dir}",
        sources.len(),
        bytes as f64 / 1e6
    );

    let mut best = f64::INFINITY;
    let mut best_cpu = f64::INFINITY;
    for round in 0..rounds {
        let cpu_start = thread_cpu_time();
        let start = Instant::now();
        let mut nodes = 0usize;
        let mut errors = 0usize;
        for src in &sources {
            let (file, errs) = racelens_syntax::parse(src);
            nodes += file.exprs.len() + file.stmts.len() + file.decl_arena.len();
            errors += errs.len();
        }
        let secs = start.elapsed().as_secs_f64();
        best = best.min(secs);
        if let (Some(a), Some(b)) = (cpu_start, thread_cpu_time()) {
            best_cpu = best_cpu.min(b - a);
        }
        println!(
            "round {round}: {:.3} s, {:.1} MB/s ({nodes} nodes, {errors} syntax errors)",
            secs,
            bytes as f64 / 1e6 / secs
        );
    }
    println!("best: {:.1} MB/s", bytes as f64 / 1e6 / best);
    if best_cpu.is_finite() {
        println!(
            "best by CPU time: {:.1} MB/s",
            bytes as f64 / 1e6 / best_cpu
        );
    }
}
