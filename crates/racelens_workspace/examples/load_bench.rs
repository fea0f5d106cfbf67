//! Measures the package loader: for every package of a source tree (GOROOT's by default),
//! its imports are loaded once through a fresh `Loader` (each distinct package read and
//! parsed once), single-threaded and then with two worker threads sharing one loader.
//!
//! Usage: `cargo run --release -p racelens_workspace --example load_bench [TREE [GOPATH]]`,
//! e.g. `... load_bench /usr/share/gocode/src/go.etcd.io /usr/share/gocode`. Import paths of
//! the tree's directories are taken relative to GOROOT/src or GOPATH/src.

use racelens_syntax::ast::{DeclKind, SpecKind};
use racelens_workspace::load::{Loader, LoaderOptions, Locate};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Every directory under `tree` that may hold a package, with its import path relative to
/// `src`.
fn package_dirs(tree: &Path, src: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![tree.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut has_go = false;
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            if path.is_dir() {
                if name != "testdata" && !name.starts_with('.') && !name.starts_with('_') {
                    stack.push(path);
                }
            } else if name.ends_with(".go") {
                has_go = true;
            }
        }
        if has_go && dir != src {
            let rel = dir
                .strip_prefix(src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let import = rel.strip_prefix("vendor/").unwrap_or(&rel).to_string();
            out.push((import, dir));
        }
    }
    out.sort();
    out
}

fn main() {
    let goroot = racelens_workspace::load::detect_goroot()
        .clone()
        .expect("no GOROOT found");
    let tree = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| goroot.join("src"));
    let gopath: Vec<PathBuf> = std::env::args()
        .nth(2)
        .map(PathBuf::from)
        .into_iter()
        .collect();
    let src = match gopath.first() {
        Some(g) => g.join("src"),
        None => goroot.join("src"),
    };
    let opts = LoaderOptions {
        goroot: Locate::At(goroot.clone()),
        mod_cache: Locate::Off,
        gopath,
        ..LoaderOptions::default()
    };

    // Collect each package's imports with a loader of its own, so the timed runs start cold.
    let collector = Loader::new(opts.clone());
    let mut pairs: Vec<(String, PathBuf)> = Vec::new();
    let dirs = package_dirs(&tree, &src);
    for (import, dir) in &dirs {
        let Some((_, pkg)) = collector.load(import, dir) else {
            continue;
        };
        let mut imports = BTreeSet::new();
        for f in &pkg.files {
            for &d in &f.decls {
                if let DeclKind::Gen { specs, .. } = &f[d].kind {
                    for &s in specs.iter() {
                        if let SpecKind::Import { path, .. } = &f[s].kind {
                            let text = f.text(f[*path].span);
                            imports.insert(text.trim_matches(|c| c == '"' || c == '`').to_string());
                        }
                    }
                }
            }
        }
        for i in imports {
            pairs.push((i, dir.clone()));
        }
    }
    println!(
        "{} package directories, {} (import, importer) pairs",
        dirs.len(),
        pairs.len()
    );

    for threads in [1usize, 2] {
        let loader = Loader::new(opts.clone());
        let start = Instant::now();
        let found: usize = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let loader = &loader;
                    let pairs = &pairs;
                    s.spawn(move || {
                        pairs
                            .iter()
                            .skip(t)
                            .step_by(threads)
                            .filter(|(p, d)| loader.load(p, d).is_some())
                            .count()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        let elapsed = start.elapsed();
        if threads == 1 {
            let missing: BTreeSet<&str> = pairs
                .iter()
                .filter(|(p, d)| loader.load(p, d).is_none())
                .map(|(p, _)| p.as_str())
                .collect();
            let shown: Vec<&&str> = missing.iter().take(15).collect();
            println!("{} unresolved import paths, e.g. {shown:?}", missing.len());
        }
        // Distinct packages and their size, from a second pass over the warm cache.
        let mut seen = BTreeSet::new();
        let (mut files, mut bytes) = (0usize, 0usize);
        let mut sources: Vec<&[u8]> = Vec::new();
        let loaded: Vec<_> = pairs
            .iter()
            .filter_map(|(p, d)| loader.load(p, d))
            .collect();
        for (loc, pkg) in &loaded {
            if seen.insert(format!("{loc:?}")) {
                files += pkg.files.len();
                bytes += pkg.files.iter().map(|f| f.source.len()).sum::<usize>();
                sources.extend(pkg.files.iter().map(|f| &f.source[..]));
            }
        }
        if threads == 1 {
            // The share of parsing alone, for comparison (no IO, no resolution).
            let start = Instant::now();
            for src in &sources {
                std::hint::black_box(racelens_syntax::parse(src));
            }
            println!(
                "parsing the same files alone: {:.3} s",
                start.elapsed().as_secs_f64()
            );
        }
        println!(
            "{threads} thread(s): {found}/{} imports resolved, {} distinct packages, {files} files, {:.1} MB in {:.3} s ({:.1} MB/s)",
            pairs.len(),
            seen.len(),
            bytes as f64 / 1e6,
            elapsed.as_secs_f64(),
            bytes as f64 / 1e6 / elapsed.as_secs_f64()
        );
    }
}
