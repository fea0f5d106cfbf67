//! Resolution of broken code: standard library files cut short or with bytes removed
//! parse with syntax errors, and resolving them must neither panic nor bind an
//! identifier to a def of another name.

use racelens_semantic::resolve_package;
use racelens_syntax::ast::IdentId;
use std::path::{Path, PathBuf};

fn go_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            go_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "go") {
            out.push(p);
        }
    }
}

/// A deterministic xorshift generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

#[test]
fn broken_files_resolve_without_panic() {
    let root = PathBuf::from(
        std::env::var("RACELENS_GOROOT").unwrap_or_else(|_| "/usr/lib/go-1.19".into()),
    );
    let dir = root.join("src");
    assert!(
        dir.join("go/parser").is_dir(),
        "Go source not found under {}",
        dir.display()
    );
    let mut paths = Vec::new();
    // go/ holds the test data of go/parser and go/types: deliberately broken Go as well.
    for sub in ["go", "sync", "net/http"] {
        go_files(&dir.join(sub), &mut paths);
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut variants = 0;
    let mut with_errors = 0;
    for p in paths.iter().step_by(3) {
        let src = std::fs::read(p).expect("readable");
        if src.is_empty() {
            continue;
        }
        for round in 0..6 {
            let mut bytes = src.clone();
            if round < 3 {
                bytes.truncate(rng.below(src.len()));
            } else {
                for _ in 0..round * 4 {
                    let at = rng.below(bytes.len());
                    let n = 1 + rng.below(8);
                    bytes.drain(at..(at + n).min(bytes.len()));
                }
            }
            let (file, errors) = racelens_syntax::parse(&bytes);
            with_errors += !errors.is_empty() as usize;
            let ps = resolve_package(&[&file]);
            variants += 1;
            for (i, b) in ps.bindings(0).iter().enumerate() {
                if let Some(d) = b {
                    let name = file.ident_name(IdentId::new(i as u32));
                    assert_eq!(&*ps.def(*d).name, name, "{} variant {round}", p.display());
                }
            }
        }
    }
    assert!(variants > 500, "only {variants} variants");
    assert!(
        with_errors * 2 > variants,
        "only {with_errors} of {variants} variants were broken"
    );
}
