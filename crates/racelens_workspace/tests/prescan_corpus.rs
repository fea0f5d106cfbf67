//! The token scan that stands in for a test file's tree until its package is checked
//! (`prescan::scan`) agrees with the parser on every Go file of the Go 1.19 source tree: the
//! same import paths in the same order (blank imports left out), and the same answer to
//! whether the file starts goroutines as `racelens_model::file_starts_goroutines`.

mod common;

use racelens_syntax::ast::SpecKind;
use racelens_workspace::prescan::scan;
use std::path::Path;

#[test]
fn token_scans_agree_with_trees_on_the_go_source_tree() {
    let files = common::go_files(Path::new(common::GOROOT_SRC));
    assert!(files.len() > 5000, "only {} files", files.len());
    let (mut spawning, mut mismatches) = (0, Vec::new());
    for path in &files {
        let src = std::fs::read(path).unwrap();
        let (f, errors) = racelens_syntax::parse(&src);
        if !errors.is_empty() {
            continue; // testdata holds deliberately broken files
        }
        let imports: Vec<String> = f
            .imports()
            .filter_map(|spec| match &f[spec].kind {
                SpecKind::Import { name, .. } if name.is_some_and(|n| f.ident_name(n) == "_") => {
                    None
                }
                SpecKind::Import { path, .. } => Some(
                    f.text(f[*path].span)
                        .trim_matches(|c| c == '"' || c == '`')
                        .to_string(),
                ),
                _ => None,
            })
            .collect();
        let spawns = racelens_model::file_starts_goroutines(&f);
        spawning += usize::from(spawns);
        let s = scan(&src);
        if s.imports != imports || s.spawns != spawns {
            mismatches.push(format!(
                "{}: scan {:?} {} vs tree {:?} {}",
                path.display(),
                s.imports,
                s.spawns,
                imports,
                spawns
            ));
        }
    }
    assert!(spawning > 200, "only {spawning} files start goroutines");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
