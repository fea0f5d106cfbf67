//! Shared support for the check tests: running the whole pipeline on a directory and
//! matching its reports against `// want` comments.

#![allow(dead_code)]

pub mod want;

use racelens_diagnostics::Diagnostic;
use racelens_workspace::load::{Loader, LoaderOptions};
use racelens_workspace::run::{run, RunOptions, RunOutput};
use racelens_workspace::{discover, DiscoverOptions};
use std::path::{Path, PathBuf};
use want::{parse_want, Want};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs every check (nursery included) on `./...` of `dir`.
pub fn check_dir(dir: &Path) -> RunOutput {
    let dir = &dir.canonicalize().unwrap();
    let ws = discover(dir, &["./...".to_string()], &DiscoverOptions::default());
    let checks = racelens_checks::REGISTRY.to_vec();
    let loader = Loader::new(LoaderOptions::for_workspace(
        &ws,
        &DiscoverOptions::default(),
    ));
    run(
        &ws,
        &RunOptions {
            importer: Some(&loader),
            checks,
            cwd: dir.to_path_buf(),
            threads: 2,
            per_file_ignores: None,
            progress: None,
        },
    )
}

/// Every `.go` file under `dir`, sorted.
pub fn go_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "go") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The expectations of every Go file under `dir`, keyed by the path reports use.
pub fn wants(dir: &Path) -> Vec<(String, Want)> {
    let dir = &dir.canonicalize().unwrap();
    let mut out = Vec::new();
    for path in go_files(dir) {
        let src = std::fs::read(&path).unwrap();
        let (file, _) = racelens_syntax::parse(&src);
        let lines = racelens_syntax::LineIndex::new(&src);
        let shown = racelens_workspace::run::display_path(&path, dir);
        for group in &file.comments {
            for c in group.list.iter() {
                let (line, _) = lines.line_col(c.span.start);
                match parse_want(file.text(c.span), line) {
                    Ok(Some(ws)) => out.extend(ws.into_iter().map(|w| (shown.clone(), w))),
                    Ok(None) => {}
                    Err(e) => panic!("{shown}: {e}"),
                }
            }
        }
    }
    out
}

/// Matches reports against expectations: every report must match an unused expectation on
/// its line, and every expectation must be used. Returns the mismatches, one per line.
pub fn mismatches(diagnostics: &[Diagnostic], wants: &[(String, Want)]) -> Vec<String> {
    let mut used = vec![false; wants.len()];
    let mut out = Vec::new();
    for d in diagnostics {
        let line = d.location.start.line;
        let hit = wants.iter().enumerate().position(|(i, (path, w))| {
            !used[i] && *path == d.location.path && w.line == line && w.pattern.is_match(&d.message)
        });
        match hit {
            Some(i) => used[i] = true,
            None => out.push(format!(
                "unexpected report {}:{}:{}: {} ({})",
                d.location.path, line, d.location.start.column, d.message, d.check
            )),
        }
    }
    for (i, (path, w)) in wants.iter().enumerate() {
        if !used[i] {
            out.push(format!(
                "missing report {path}:{}: want {:?}",
                w.line, w.source
            ));
        }
    }
    out
}

/// The concurrency model of the one-file package `src` (in a module of its own, checked
/// with the real loader), and the package as the type checker loaded it.
pub fn one_file_model(
    src: &str,
) -> (
    racelens_model::Model,
    std::sync::Arc<racelens_semantic::types::Loaded>,
) {
    use racelens_semantic::import::SourcePackage;
    use racelens_semantic::types::{Loaded, PackageCache, Program};
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("go.mod"), "module example.com/m\n\ngo 1.22\n").unwrap();
    std::fs::write(root.join("p.go"), src).unwrap();
    let opts = DiscoverOptions::default();
    let ws = discover(&root, &["./...".to_string()], &opts);
    let loader = Loader::new(LoaderOptions::for_workspace(&ws, &opts));
    let cache = PackageCache::new();
    let pkg = &ws.packages[0];
    let source = Arc::new(SourcePackage::new(
        pkg.import_path.clone(),
        [racelens_syntax::parse(src.as_bytes()).0],
    ));
    let loaded = Arc::new(Loaded::new(&pkg.import_path, source, &loader, &pkg.dir));
    let mut prog = Program::new(&loader, &cache);
    let p = prog.check_loaded(loaded.clone(), &pkg.dir);
    (racelens_model::build(&mut prog, p), loaded)
}

/// The Go 1.19 standard library source this machine has (Debian's golang-1.19-src).
pub const GOROOT_SRC: &str = "/usr/lib/go-1.19/src";

/// A package of the standard library that has in-package test files: the files of the
/// package proper (not of its external `_test` package), in discovery order (test files
/// interleaved with the others by name, as a run gives them), with their names and whether
/// each is a test file.
pub struct StdPackage {
    pub import_path: String,
    pub dir: PathBuf,
    pub files: Vec<(String, racelens_syntax::File, bool)>,
}

impl StdPackage {
    /// The package as importers see it: its non-test files, with their names.
    pub fn lib(&self) -> Vec<(String, racelens_syntax::File)> {
        self.files
            .iter()
            .filter(|(_, _, test)| !test)
            .map(|(n, f, _)| (n.clone(), f.clone()))
            .collect()
    }

    /// For each file, its index among the non-test files (`None` for a test file).
    pub fn origin(&self) -> Vec<Option<usize>> {
        let mut k = 0;
        self.files
            .iter()
            .map(|(_, _, test)| {
                (!test).then(|| {
                    k += 1;
                    k - 1
                })
            })
            .collect()
    }
}

/// Every standard library package (outside `cmd/`) with in-package test files, parsed, and
/// a loader for their imports.
pub fn stdlib_packages_with_tests() -> (Loader, Vec<StdPackage>) {
    let root = Path::new(GOROOT_SRC);
    assert!(
        root.join("go.mod").is_file(),
        "{GOROOT_SRC}/go.mod is missing: install the golang-1.19-src Debian package to run this test"
    );
    let opts = DiscoverOptions::default();
    let ws = discover(root, &["./...".to_string()], &opts);
    let loader = Loader::new(LoaderOptions::for_workspace(&ws, &opts));
    let mut out = Vec::new();
    for pkg in ws
        .packages
        .iter()
        .filter(|p| !p.import_path.starts_with("cmd/"))
    {
        let files: Vec<(String, racelens_syntax::File, bool)> = pkg
            .files
            .iter()
            .map(|f| {
                let text = std::fs::read(&f.path).unwrap();
                let name = f.path.file_name().unwrap().to_string_lossy().to_string();
                (name, racelens_syntax::parse(&text).0, f.is_test)
            })
            .collect();
        let Some(name) = files
            .iter()
            .find(|(_, _, test)| !test)
            .map(|(_, f, _)| f.package_name().to_string())
        else {
            continue;
        };
        let files: Vec<_> = files
            .into_iter()
            .filter(|(_, f, _)| f.package_name() == name)
            .collect();
        if files.iter().all(|(_, _, test)| !test) {
            continue;
        }
        out.push(StdPackage {
            import_path: pkg.import_path.clone(),
            dir: pkg.dir.clone(),
            files,
        });
    }
    (loader, out)
}
