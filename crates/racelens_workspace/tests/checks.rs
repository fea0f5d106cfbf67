//! The check harness and meta-tests: every check's fixtures match their `// want` comments
//! exactly (so any new false positive fails), every check is documented with all sections,
//! its Example reports and its Use instead does not, its messages follow the house style, and
//! the generated docs pages are fresh.

mod common;

use common::{check_dir, mismatches, repo_root, wants};
use racelens_checks::{docs, REGISTRY};

#[test]
fn fixtures_match_their_wants() {
    let mut failures = Vec::new();
    for check in REGISTRY {
        let name = check.info.name;
        let dir = repo_root().join("fixtures").join(name);
        assert!(
            dir.is_dir(),
            "check `{name}` has no fixture folder {}",
            dir.display()
        );
        let expected = wants(&dir);
        let positives = expected.len();
        assert!(
            positives > 0,
            "fixtures of `{name}` have no `// want` (no positive case)"
        );
        let out = check_dir(&dir);
        assert!(out.problems.is_empty(), "{name}: {:?}", out.problems);
        assert!(
            out.diagnostics.iter().any(|d| d.check == name),
            "fixtures of `{name}` produce no report of that check"
        );
        for m in mismatches(&out.diagnostics, &expected) {
            failures.push(format!("fixtures/{name}: {m}"));
        }
        for d in &out.diagnostics {
            for v in d.convention_violations() {
                failures.push(format!("fixtures/{name}: {}: {v}", d.message));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn fixtures_have_negative_cases() {
    // A negative case is a function with no expectation inside it: the check must stay
    // silent on it.
    for check in REGISTRY {
        let name = check.info.name;
        let dir = repo_root().join("fixtures").join(name);
        let expected = wants(&dir);
        let mut silent_funcs = 0;
        for path in common::go_files(&dir) {
            let src = std::fs::read(&path).unwrap();
            let (file, _) = racelens_syntax::parse(&src);
            let lines = racelens_syntax::LineIndex::new(&src);
            let shown = racelens_workspace::run::display_path(&path, &dir);
            for &d in &file.decls {
                if let racelens_syntax::ast::DeclKind::Func { .. } = file[d].kind {
                    let span = file[d].span;
                    let (first, _) = lines.line_col(span.start);
                    let (last, _) = lines.line_col(span.end);
                    if !expected
                        .iter()
                        .any(|(p, w)| *p == shown && (first..=last).contains(&w.line))
                    {
                        silent_funcs += 1;
                    }
                }
            }
        }
        assert!(
            silent_funcs > 0,
            "fixtures of `{name}` have no negative case (a function without `// want`)"
        );
    }
}

/// Writes `code` as the only file of a Go 1.21 module and checks it.
fn check_snippet(code: &str) -> Vec<racelens_diagnostics::Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/snippet\n\ngo 1.21\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("snippet.go"), code).unwrap();
    check_dir(dir.path()).diagnostics
}

#[test]
fn docs_are_complete_and_their_examples_behave() {
    let mut failures = Vec::new();
    for check in REGISTRY {
        let name = check.info.name;
        for p in docs::problems(check.info.docs) {
            failures.push(format!("{name}: {p}"));
        }
        if check.info.summary.is_empty() || !check.info.summary.ends_with('.') {
            failures.push(format!(
                "{name}: the summary must be one sentence ending with a period"
            ));
        }
        let block = |title| docs::section(check.info.docs, title).and_then(docs::go_block);
        if let Some(example) = block("Example") {
            let found = check_snippet(example);
            if !found.iter().any(|d| d.check == name) {
                failures.push(format!(
                    "{name}: the Example produces no report; got {found:?}"
                ));
            }
        }
        if let Some(fixed) = block("Use instead") {
            let found = check_snippet(fixed);
            if !found.is_empty() {
                failures.push(format!(
                    "{name}: the Use instead block produces reports: {found:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn check_names_are_unique_and_kebab_case() {
    let mut names: Vec<&str> = REGISTRY.iter().map(|c| c.info.name).collect();
    for n in &names {
        assert!(
            racelens_diagnostics::is_kebab_case(n),
            "`{n}` is not kebab-case"
        );
    }
    names.sort();
    names.dedup();
    assert_eq!(names.len(), REGISTRY.len(), "duplicate check names");
}

#[test]
fn generated_docs_pages_are_fresh() {
    let dir = repo_root().join("docs/checks");
    let mut pages: Vec<(String, String)> = REGISTRY
        .iter()
        .map(|c| (format!("{}.md", c.info.name), docs::page(c)))
        .collect();
    pages.push(("README.md".to_string(), docs::index(REGISTRY)));
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &pages {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    let mut stale = Vec::new();
    for (name, text) in &pages {
        if std::fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text.as_str()) {
            stale.push(name.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "docs/checks is stale ({stale:?}): run `UPDATE_DOCS=1 cargo test -p racelens_workspace --test checks`"
    );
}

/// A run of checks that need no types reads no dependency, and reports the same as with
/// types; a check that declares it needs none must indeed not ask for them.
#[test]
fn runs_without_type_checks_read_no_dependency() {
    use racelens_workspace::load::{Loader, LoaderOptions};
    use racelens_workspace::run::{run, RunOptions};
    use racelens_workspace::{discover, DiscoverOptions};
    let dir = repo_root().join("examples").canonicalize().unwrap();
    let ws = discover(&dir, &["./...".to_string()], &DiscoverOptions::default());
    let syntactic: Vec<_> = REGISTRY
        .iter()
        .copied()
        .filter(|c| !c.needs_types)
        .collect();
    let go = |checks: Vec<&'static racelens_checks::Check>, loader: Option<&Loader>| {
        run(
            &ws,
            &RunOptions {
                checks,
                cwd: dir.clone(),
                threads: 2,
                per_file_ignores: None,
                progress: None,
                importer: loader.map(|l| l as &dyn racelens_semantic::import::Importer),
            },
        )
        .diagnostics
    };
    let loader = Loader::new(LoaderOptions::for_workspace(
        &ws,
        &DiscoverOptions::default(),
    ));
    let with_loader = go(syntactic.clone(), Some(&loader));
    assert_eq!(
        loader.loaded_count(),
        0,
        "a syntactic run loaded dependencies"
    );
    assert!(
        !with_loader.is_empty(),
        "the examples have syntactic findings"
    );
    assert_eq!(with_loader, go(syntactic, None));
    let all = Loader::new(LoaderOptions::for_workspace(
        &ws,
        &DiscoverOptions::default(),
    ));
    go(REGISTRY.to_vec(), Some(&all));
    assert!(
        all.loaded_count() > 0,
        "type checks load the imported packages"
    );
}

/// Every fixture package declares each package-level name once (types, functions, methods
/// per receiver, variables, constants), as the Go compiler requires: a fixture whose types
/// do not check tests the checks on broken code, whatever its `want`s say.
#[test]
fn fixture_packages_declare_each_name_once() {
    use racelens_syntax::ast::{DeclKind, SpecKind};
    use std::collections::BTreeMap;
    let root = repo_root().join("fixtures");
    // (directory, package name) -> name -> the files declaring it.
    let mut declared: BTreeMap<(String, String), BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for path in common::go_files(&root) {
        let src = std::fs::read(&path).unwrap();
        let (file, errors) = racelens_syntax::parse(&src);
        if !errors.is_empty() {
            continue; // the syntax-error fixtures
        }
        let Some(pkg) = file.name.map(|n| file.ident_name(n).to_string()) else {
            continue;
        };
        let dir = path.parent().unwrap().display().to_string();
        let shown = path.file_name().unwrap().to_string_lossy().to_string();
        let names = declared.entry((dir, pkg)).or_default();
        let mut add = |name: String| {
            if name != "_" && name != "init" && !name.ends_with("._") {
                names.entry(name).or_default().push(shown.clone());
            }
        };
        for &d in &file.decls {
            match &file[d].kind {
                DeclKind::Func { recv, name, .. } => {
                    let name = file.ident_name(*name);
                    match recv.and_then(|r| file[r].list.first().copied()) {
                        Some(field) => {
                            let text = file.text(file[file[field].typ].span);
                            let recv = text.trim_start_matches('*');
                            let recv = recv.split('[').next().unwrap_or(recv);
                            add(format!("{recv}.{name}"));
                        }
                        None => add(name.to_string()),
                    }
                }
                DeclKind::Gen { specs, .. } => {
                    for &s in specs.iter() {
                        match &file[s].kind {
                            SpecKind::Value { names, .. } => {
                                for &n in names.iter() {
                                    add(file.ident_name(n).to_string());
                                }
                            }
                            SpecKind::Type { name, .. } => add(file.ident_name(*name).to_string()),
                            SpecKind::Import { .. } => {}
                        }
                    }
                }
                DeclKind::Bad => {}
            }
        }
    }
    let mut twice = Vec::new();
    for ((dir, pkg), names) in &declared {
        for (name, files) in names {
            if files.len() > 1 {
                twice.push(format!("{dir} (package {pkg}): {name} in {files:?}"));
            }
        }
    }
    assert!(twice.is_empty(), "names declared twice: {twice:#?}");
}
