//! Times building the semantic model (scopes and types of every package, bodies included)
//! of a whole GOROOT source tree against parsing the same files, on 2 threads. Packages are
//! parsed first into memory, so that the model time counts no parsing.
//!
//! `/usr/bin/time -v cargo run --release -p racelens_semantic --example types_bench [GOROOT]`

use racelens_semantic::import::{Importer, SourcePackage};
use racelens_semantic::types::goroot::{package_files, GorootImporter};
use racelens_semantic::types::{PackageCache, Program};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

struct MemImporter {
    pkgs: HashMap<String, Arc<SourcePackage>>,
}

impl Importer for MemImporter {
    fn import(&self, path: &str, _from: &Path) -> Option<Arc<SourcePackage>> {
        ["", "vendor/", "cmd/vendor/"]
            .iter()
            .find_map(|pre| self.pkgs.get(&format!("{pre}{path}")).cloned())
    }
}

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

fn parallel<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let queue = Mutex::new(items.into_iter());
    let out = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let Some(item) = queue.lock().unwrap().next() else {
                    break;
                };
                let r = f(item);
                out.lock().unwrap().push(r);
            });
        }
    });
    out.into_inner().unwrap()
}

fn main() {
    let goroot = std::env::args().nth(1).unwrap_or("/usr/lib/go-1.19".into());
    let src = Path::new(&goroot).join("src");
    let mut all = Vec::new();
    dirs(&src, &src, &mut all);
    let listed: Vec<(String, Vec<PathBuf>)> = all
        .into_iter()
        .map(|(p, d)| (p, package_files(&d)))
        .filter(|(_, f)| !f.is_empty())
        .collect();
    let nfiles: usize = listed.iter().map(|(_, f)| f.len()).sum();
    let bytes: u64 = listed
        .iter()
        .flat_map(|(_, f)| f.iter())
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    // Reading the files is not parsing: read them all first.
    let t = Instant::now();
    let parsed = parallel(listed, |(path, files)| {
        (
            path.clone(),
            Arc::new(GorootImporter::parse_dir(&path, &files)),
        )
    });
    let parse = t.elapsed();
    let importer = MemImporter {
        pkgs: parsed.iter().cloned().collect(),
    };
    let cache = PackageCache::new();
    let t = Instant::now();
    let stats = parallel(parsed, |(path, pkg)| {
        let mut prog = Program::new(&importer, &cache);
        let p = prog.check_package(&path, pkg.clone(), Path::new(""));
        let mut known = 0usize;
        let mut total = 0usize;
        for (fi, f) in pkg.files.iter().enumerate() {
            for e in 0..f.exprs.len() {
                total += 1;
                let ty = prog.type_of(p, fi, racelens_syntax::ast::ExprId(e as u32));
                if !prog.is_unknown(ty) {
                    known += 1;
                }
            }
        }
        (known, total, prog.types.len())
    });
    let model = t.elapsed();
    let known: usize = stats.iter().map(|s| s.0).sum();
    let total: usize = stats.iter().map(|s| s.1).sum();
    println!(
        "{} packages, {nfiles} files, {:.1} MB",
        stats.len(),
        bytes as f64 / 1e6
    );
    println!(
        "parse (2 threads, includes reading files) {:.2}s; model (scopes + types, 2 threads) {:.2}s; ratio {:.2}",
        parse.as_secs_f64(),
        model.as_secs_f64(),
        model.as_secs_f64() / parse.as_secs_f64()
    );
    println!(
        "expressions with a known type: {known} of {total} ({:.1}%)",
        100.0 * known as f64 / total.max(1) as f64
    );
}
