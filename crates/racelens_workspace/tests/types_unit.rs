//! Data-driven tests of the type checker: each `tests/types/*.go` file is a package whose
//! expected types are written next to expressions as `/*@ TYPE */` comments (the type of the
//! outermost expression ending right before the comment, printed as the oracle prints it,
//! `?` for Unknown). Imports come from GOROOT (`/usr/lib/go-1.19`).

mod gosrc;

use racelens_semantic::import::SourcePackage;
use racelens_semantic::types::{PackageCache, Program};
use std::path::Path;
use std::sync::Arc;

fn check_file(path: &Path) -> Vec<String> {
    let src = std::fs::read(path).expect("test input");
    let (file, errors) = racelens_syntax::parse(&src);
    let text = String::from_utf8_lossy(&src).to_string();
    let mut expectations = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find("/*@") {
        let start = at + i;
        let end = start + text[start..].find("*/").expect("closed comment");
        expectations.push((start as u32, text[start + 3..end].trim().replace(' ', "_")));
        at = end;
    }
    let importer = gosrc::goroot_loader(None);
    let cache = PackageCache::new();
    let mut prog = Program::new(&importer, &cache);
    let pkg = Arc::new(SourcePackage::new("example.com/t", [file]));
    let p = prog.check_package("example.com/t", pkg.clone(), Path::new("/nonexistent"));
    let f = &pkg.files[0];
    let mut failures = Vec::new();
    if !errors.is_empty() && !path.to_string_lossy().contains("broken") {
        failures.push(format!("{}: syntax errors {errors:?}", path.display()));
    }
    for (pos, want) in expectations {
        // The outermost expression ending at `pos` (spaces before the comment skipped).
        let mut end = pos as usize;
        while end > 0 && text.as_bytes()[end - 1] == b' ' {
            end -= 1;
        }
        let best = f
            .exprs_with_ids()
            .filter(|(_, e)| e.span.end as usize == end)
            .min_by_key(|(_, e)| e.span.start)
            .map(|(id, _)| id);
        let got = match best {
            Some(e) => prog.display(prog.type_of(p, 0, e)),
            None => "<no expression>".into(),
        };
        if got != want {
            let line = text[..pos as usize].lines().count();
            failures.push(format!(
                "{}:{line}: expected {want}, got {got}",
                path.display()
            ));
        }
    }
    failures
}

#[test]
fn expected_types_in_test_inputs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/types");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/types")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "go"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "test inputs missing");
    let mut failures = Vec::new();
    let mut n = 0;
    for f in &files {
        n += std::fs::read_to_string(f).unwrap().matches("/*@").count();
        failures.extend(check_file(f));
    }
    assert!(n > 50, "only {n} expectations");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
