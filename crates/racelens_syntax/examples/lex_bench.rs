//! Measures the lexer's throughput on a Go source tree: `cargo run --release -p racelens_syntax
//! --example lex_bench [DIR]` (default: /usr/lib/go-1.19/src) prints MB/s for the best of five (or $PASSES)
//! passes over all its .go files, read into memory first. On a shared machine the wall clock
//! also counts time spent waiting for a core, so on Linux it also prints MB/s per second of the
//! thread's own CPU time (from /proc/thread-self/schedstat).

use std::path::{Path, PathBuf};
use std::time::Instant;

use racelens_syntax::lexer::Lexer;
use racelens_syntax::token::TokenKind;

fn go_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            go_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "go") {
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
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/usr/lib/go-1.19/src".to_string());
    let mut paths = Vec::new();
    go_files(Path::new(&root), &mut paths);
    let sources: Vec<Vec<u8>> = paths.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    let bytes: usize = sources.iter().map(Vec::len).sum();
    if bytes == 0 {
        eprintln!("no .go files under {root}");
        std::process::exit(1);
    }

    let mut best = f64::INFINITY;
    let mut best_cpu = f64::INFINITY;
    let mut tokens = 0usize;
    let mut groups = 0usize;
    let passes: usize = std::env::var("PASSES")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(5);
    for _ in 0..passes {
        let started = Instant::now();
        let cpu_started = thread_cpu_time();
        tokens = 0;
        groups = 0;
        for src in &sources {
            let mut lexer = Lexer::new(src);
            while lexer.next_token().kind != TokenKind::Eof {
                tokens += 1;
            }
            groups += lexer.take_comments().len();
            std::hint::black_box(lexer.take_errors());
        }
        best = best.min(started.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu_started, thread_cpu_time()) {
            best_cpu = best_cpu.min(b - a);
        }
    }
    println!(
        "{} files, {:.1} MB, {tokens} tokens, {groups} comment groups: best of {passes} passes {:.1} ms, \
         {:.0} MB/s",
        sources.len(),
        bytes as f64 / 1e6,
        best * 1e3,
        bytes as f64 / 1e6 / best
    );
    if best_cpu.is_finite() {
        println!(
            "by CPU time: best of {passes} passes {:.1} ms, {:.0} MB/s",
            best_cpu * 1e3,
            bytes as f64 / 1e6 / best_cpu
        );
    }
}
