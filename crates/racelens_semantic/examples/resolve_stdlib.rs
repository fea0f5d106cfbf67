//! Measures name resolution over a Go source tree (default: the Go 1.19 standard library),
//! against the time it takes to parse it: `cargo run --release -p racelens_semantic
//! --example resolve_stdlib [DIR]`.

use racelens_syntax::File;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn go_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "testdata") {
                go_files(&p, out);
            }
        } else if p.extension().is_some_and(|e| e == "go") {
            out.push(p);
        }
    }
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/usr/lib/go-1.19/src".into());
    let mut paths = Vec::new();
    go_files(Path::new(&dir), &mut paths);
    let sources: Vec<(PathBuf, Vec<u8>)> = paths
        .into_iter()
        .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
        .collect();
    let bytes: usize = sources.iter().map(|(_, b)| b.len()).sum();

    let t = Instant::now();
    let parsed: Vec<(PathBuf, File)> = sources
        .iter()
        .map(|(p, b)| (p.clone(), racelens_syntax::parse(b).0))
        .collect();
    let parse_time = t.elapsed();

    let mut packages: BTreeMap<(PathBuf, String), Vec<&File>> = BTreeMap::new();
    for (p, f) in &parsed {
        let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
        packages
            .entry((dir, f.package_name().to_string()))
            .or_default()
            .push(f);
    }
    // `RACELENS_PARSE_ONLY=1` skips resolution, to count the instructions parsing alone
    // takes (`perf stat -e instructions:u`) on a machine too busy for stable timings.
    if std::env::var_os("RACELENS_PARSE_ONLY").is_some() {
        println!("parse {:.1} ms", parse_time.as_secs_f64() * 1e3);
        return;
    }
    let t = Instant::now();
    let (mut defs, mut scopes) = (0, 0);
    for files in packages.values() {
        let s = racelens_semantic::resolve_package(files);
        defs += s.defs.len();
        scopes += s.scopes.len();
    }
    let resolve_time = t.elapsed();
    let mb = bytes as f64 / 1e6;
    println!(
        "{} files, {:.1} MB, {} packages, {} identifiers, {defs} defs, {scopes} scopes",
        parsed.len(),
        mb,
        packages.len(),
        parsed.iter().map(|(_, f)| f.idents.len()).sum::<usize>()
    );
    println!(
        "parse   {:>8.1} ms ({:.1} MB/s)",
        parse_time.as_secs_f64() * 1e3,
        mb / parse_time.as_secs_f64()
    );
    println!(
        "resolve {:>8.1} ms ({:.1} MB/s)",
        resolve_time.as_secs_f64() * 1e3,
        mb / resolve_time.as_secs_f64()
    );
}
