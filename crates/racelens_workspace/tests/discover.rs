//! Discovery on small projects laid out in temporary directories: pattern forms, skipped
//! directories, modules and go.work, .gitignore, symlinks, build constraints, generated
//! files, language versions and every kind of problem.

use std::fs;
use std::path::{Path, PathBuf};

use racelens_workspace::{
    discover, DiscoverOptions, GoVersion, Package, ProblemKind, SkipReason, Target, Workspace,
    LATEST_GO,
};
use tempfile::TempDir;

fn write(root: &Path, rel: &str, content: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

fn go_file(pkg: &str) -> String {
    format!("package {pkg}\n")
}

fn run(cwd: &Path, args: &[&str], opts: &DiscoverOptions) -> Workspace {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    discover(cwd, &args, opts)
}

fn run_default(cwd: &Path, args: &[&str]) -> Workspace {
    run(cwd, args, &DiscoverOptions::default())
}

fn import_paths(ws: &Workspace) -> Vec<&str> {
    ws.packages.iter().map(|p| p.import_path.as_str()).collect()
}

fn file_names(pkg: &Package) -> Vec<String> {
    pkg.files
        .iter()
        .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

fn skipped_names(pkg: &Package) -> Vec<(String, SkipReason)> {
    pkg.skipped
        .iter()
        .map(|s| {
            (
                s.path.file_name().unwrap().to_string_lossy().into_owned(),
                s.reason.clone(),
            )
        })
        .collect()
}

fn package<'a>(ws: &'a Workspace, import: &str) -> &'a Package {
    ws.packages
        .iter()
        .find(|p| p.import_path == import)
        .unwrap_or_else(|| panic!("no package {import} in {:?}", import_paths(ws)))
}

fn problems(ws: &Workspace) -> Vec<String> {
    ws.problems.iter().map(|p| p.to_string()).collect()
}

/// A module `example.com/m` with packages a, a/b and c.
fn simple_module() -> TempDir {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    write(root, "go.mod", "module example.com/m\n\ngo 1.22\n");
    write(root, "main.go", &go_file("main"));
    write(root, "a/a.go", &go_file("a"));
    write(root, "a/b/b.go", &go_file("b"));
    write(root, "c/c.go", &go_file("c"));
    tmp
}

#[test]
fn pattern_forms() {
    let tmp = simple_module();
    let root = tmp.path();
    let all = [
        "example.com/m",
        "example.com/m/a",
        "example.com/m/a/b",
        "example.com/m/c",
    ];
    assert_eq!(import_paths(&run_default(root, &[])), all);
    assert_eq!(import_paths(&run_default(root, &["./..."])), all);
    assert_eq!(import_paths(&run_default(root, &["..."])), all);
    let abs = format!("{}/...", root.display());
    assert_eq!(import_paths(&run_default(root, &[&abs])), all);
    let sub = ["example.com/m/a", "example.com/m/a/b"];
    assert_eq!(import_paths(&run_default(root, &["./a/..."])), sub);
    assert_eq!(import_paths(&run_default(root, &["a/..."])), sub);
    // Patterns are relative to the working directory.
    assert_eq!(import_paths(&run_default(&root.join("a"), &["./..."])), sub);
    assert_eq!(
        import_paths(&run_default(&root.join("a"), &["../c/..."])),
        ["example.com/m/c"]
    );
    // A wildcard inside an element.
    assert_eq!(
        import_paths(&run_default(root, &["./.../b"])),
        ["example.com/m/a/b"]
    );
    // A directory names the package in it only.
    assert_eq!(
        import_paths(&run_default(root, &["./a"])),
        ["example.com/m/a"]
    );
    assert_eq!(
        import_paths(&run_default(root, &["a", "c"])),
        ["example.com/m/a", "example.com/m/c"]
    );
    assert_eq!(import_paths(&run_default(root, &["."])), ["example.com/m"]);
    // A single file.
    let ws = run_default(root, &["a/b/b.go"]);
    assert_eq!(import_paths(&ws), ["example.com/m/a/b"]);
    assert_eq!(ws.packages[0].files[0].path, root.join("a/b/b.go"));
    // Import paths of the working directory's module name directories.
    assert_eq!(
        import_paths(&run_default(root, &["example.com/m/a/..."])),
        sub
    );
    assert_eq!(
        import_paths(&run_default(root, &["example.com/m/c"])),
        ["example.com/m/c"]
    );
    assert_eq!(
        import_paths(&run_default(root, &["example.com/m"])),
        ["example.com/m"]
    );
    assert_eq!(
        import_paths(&run_default(&root.join("c"), &["example.com/m/..."])),
        all
    );
    let ws = run_default(root, &["example.com/other/..."]);
    assert_eq!(
        problems(&ws),
        ["example.com/other/...: directory example.com/other does not exist"]
    );
    // Overlapping arguments do not duplicate files.
    let ws = run_default(root, &["./...", "./a", "a/a.go"]);
    assert_eq!(ws.file_count(), 4);
    assert_eq!(ws.problems, []);
    // Every path in the output is absolute.
    assert!(ws.packages.iter().all(|p| p.dir.is_absolute()));
}

#[test]
fn go_skips_dot_underscore_testdata_vendor_dirs_and_files() {
    let tmp = simple_module();
    let root = tmp.path();
    for dir in [
        ".hidden",
        "_build",
        "testdata",
        "vendor/x.org/y",
        "a/testdata",
    ] {
        write(root, &format!("{dir}/x.go"), &go_file("x"));
    }
    write(root, "c/_skip.go", &go_file("c"));
    write(root, "c/.skip.go", &go_file("c"));
    write(root, "c/notes.txt", "not go");
    let ws = run_default(root, &["./..."]);
    assert_eq!(
        import_paths(&ws),
        [
            "example.com/m",
            "example.com/m/a",
            "example.com/m/a/b",
            "example.com/m/c"
        ]
    );
    assert_eq!(file_names(package(&ws, "example.com/m/c")), ["c.go"]);
    // Named explicitly, such directories are analysed; the walk root itself is never skipped.
    let ws = run_default(root, &["./testdata"]);
    assert_eq!(import_paths(&ws), ["example.com/m/testdata"]);
    let ws = run_default(&root.join("testdata"), &["./..."]);
    assert_eq!(import_paths(&ws), ["example.com/m/testdata"]);
}

#[test]
fn nested_modules_are_their_own() {
    let tmp = simple_module();
    let root = tmp.path();
    write(root, "sub/go.mod", "module example.com/sub\n\ngo 1.20\n");
    write(root, "sub/s.go", &go_file("s"));
    write(root, "sub/inner/i.go", &go_file("inner"));
    let ws = run_default(root, &["./..."]);
    assert!(
        !import_paths(&ws).iter().any(|p| p.contains("sub")),
        "{:?}",
        import_paths(&ws)
    );
    assert_eq!(ws.modules.len(), 1);
    let ws = run_default(root, &["./sub/..."]);
    assert_eq!(
        import_paths(&ws),
        ["example.com/sub", "example.com/sub/inner"]
    );
    assert_eq!(ws.modules.len(), 1);
    assert_eq!(ws.modules[0].path, "example.com/sub");
    assert_eq!(ws.modules[0].dir, root.join("sub"));
    assert_eq!(ws.packages[0].files[0].go_version, GoVersion::new(1, 20));
    // A directory inside the nested module belongs to it.
    let ws = run_default(root, &["sub/inner"]);
    assert_eq!(import_paths(&ws), ["example.com/sub/inner"]);
}

#[test]
fn outside_any_module_every_module_below_is_visited() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    write(root, "one/go.mod", "module one\n");
    write(root, "one/x/x.go", &go_file("x"));
    write(root, "two/go.mod", "module two\ngo 1.23\n");
    write(root, "two/t.go", &go_file("t"));
    write(root, "loose/l.go", &go_file("l"));
    let ws = run_default(root, &["./..."]);
    assert_eq!(import_paths(&ws), ["loose", "one/x", "two"]);
    let paths: Vec<&str> = ws.modules.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, ["one", "two"]);
    assert_eq!(package(&ws, "loose").module, None);
    assert_eq!(ws.modules[package(&ws, "two").module.unwrap()].path, "two");
    // Language versions: no go directive means go1.16; no module means the newest.
    assert_eq!(
        package(&ws, "one/x").files[0].go_version,
        GoVersion::new(1, 16)
    );
    assert_eq!(
        package(&ws, "two").files[0].go_version,
        GoVersion::new(1, 23)
    );
    assert_eq!(package(&ws, "loose").files[0].go_version, LATEST_GO);
    let opts = DiscoverOptions {
        go: Some(GoVersion::new(1, 21)),
        ..DiscoverOptions::default()
    };
    let ws = run(root, &["./..."], &opts);
    assert_eq!(
        package(&ws, "loose").files[0].go_version,
        GoVersion::new(1, 21)
    );
    // --go does not override a module's go directive.
    assert_eq!(
        package(&ws, "two").files[0].go_version,
        GoVersion::new(1, 23)
    );
    // The working directory itself, outside any module, is ".".
    let ws = run_default(&root.join("loose"), &["."]);
    assert_eq!(import_paths(&ws), ["."]);
}

#[test]
fn go_work_uses_modules() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    write(
        root,
        "go.work",
        "go 1.23\n\nuse (\n\t./a\n\t./b // the second\n)\nuse ./missing\n",
    );
    write(root, "a/go.mod", "module a.example\ngo 1.21\n");
    write(root, "a/a.go", &go_file("a"));
    write(root, "a/b/nested.go", &go_file("b"));
    write(root, "b/go.mod", "module b.example\ngo 1.22\n");
    write(root, "b/b.go", &go_file("b"));
    write(root, "c/go.mod", "module c.example\n");
    write(root, "c/c.go", &go_file("c"));
    write(root, "loose/l.go", &go_file("l"));
    let ws = run_default(root, &["./..."]);
    let work = ws.work.as_ref().expect("go.work found");
    assert_eq!(work.path, root.join("go.work"));
    assert_eq!(work.go, Some(GoVersion::new(1, 23)));
    assert_eq!(work.uses, [root.join("a"), root.join("b")]);
    // Only packages of workspace modules match; c is not used, loose is in no module.
    assert_eq!(import_paths(&ws), ["a.example", "a.example/b", "b.example"]);
    assert_eq!(
        problems(&ws),
        ["go.work:7: directory ./missing does not contain a go.mod file"]
    );
    assert_eq!(ws.problems[0].kind, ProblemKind::BadGoWork);
    // From inside a used module, the go.work above still applies.
    let ws = run_default(&root.join("a"), &["./..."]);
    assert!(ws.work.is_some());
    assert_eq!(import_paths(&ws), ["a.example", "a.example/b"]);
    // Inside a module the workspace does not use, ./... matches nothing, with a problem.
    let ws = run_default(&root.join("c"), &["./..."]);
    assert_eq!(import_paths(&ws), Vec::<&str>::new());
    // The go.work problem is met again, shown with its absolute path from here.
    assert!(
        problems(&ws)[0].ends_with("go.work:7: directory ./missing does not contain a go.mod file")
    );
    assert_eq!(
        problems(&ws)[1..],
        [
            "directory . is contained in a module that is not one of the workspace modules listed in go.work",
            "pattern ./...: matched no packages",
        ]
    );
    assert_eq!(ws.problems[1].kind, ProblemKind::OutsideWorkspace);
    // Import paths of go.work modules resolve too.
    let ws = run_default(root, &["b.example/...", "a.example/b"]);
    assert_eq!(import_paths(&ws), ["a.example/b", "b.example"]);
    // GOWORK=off: modules nest as usual.
    let opts = DiscoverOptions {
        use_go_work: false,
        ..DiscoverOptions::default()
    };
    let ws = run(&root.join("c"), &["./..."], &opts);
    assert!(ws.work.is_none());
    assert_eq!(import_paths(&ws), ["c.example"]);
}

#[test]
fn gitignore_is_honoured_in_walks() {
    let tmp = simple_module();
    let root = tmp.path();
    write(
        root,
        ".gitignore",
        "# generated output\ngen/\n*_mock.go\n!keep_mock.go\n",
    );
    write(root, "gen/g.go", &go_file("gen"));
    write(root, "c/x_mock.go", &go_file("c"));
    write(root, "c/keep_mock.go", &go_file("c"));
    write(root, "a/.gitignore", "local.go\n");
    write(root, "a/local.go", &go_file("a"));
    write(root, "a/b/local.go", &go_file("b"));
    let ws = run_default(root, &["./..."]);
    assert!(!import_paths(&ws).contains(&"example.com/m/gen"));
    assert_eq!(
        file_names(package(&ws, "example.com/m/c")),
        ["c.go", "keep_mock.go"]
    );
    assert_eq!(file_names(package(&ws, "example.com/m/a")), ["a.go"]);
    assert_eq!(file_names(package(&ws, "example.com/m/a/b")), ["b.go"]);
    // A walk starting below the .gitignore still honours it.
    let ws = run_default(&root.join("a"), &["./..."]);
    assert_eq!(file_names(package(&ws, "example.com/m/a")), ["a.go"]);
    // Explicit directories and files are not filtered by .gitignore.
    let ws = run_default(root, &["./gen", "c/x_mock.go"]);
    assert_eq!(import_paths(&ws), ["example.com/m/c", "example.com/m/gen"]);
}

#[test]
fn symlinked_dirs_are_not_followed_but_symlinked_files_are_read() {
    let tmp = simple_module();
    let root = tmp.path();
    let outside = TempDir::new().unwrap();
    write(outside.path(), "o/o.go", &go_file("o"));
    write(outside.path(), "f.go", &go_file("c"));
    std::os::unix::fs::symlink(outside.path().join("o"), root.join("linked")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("f.go"), root.join("c/f.go")).unwrap();
    let ws = run_default(root, &["./..."]);
    assert!(!import_paths(&ws).iter().any(|p| p.contains("linked")));
    assert_eq!(
        file_names(package(&ws, "example.com/m/c")),
        ["c.go", "f.go"]
    );
    // A symlink loop cannot be read: reported, discovery goes on.
    std::os::unix::fs::symlink("loop.go", root.join("c/loop.go")).unwrap();
    let ws = run_default(root, &["./..."]);
    assert_eq!(
        file_names(package(&ws, "example.com/m/c")),
        ["c.go", "f.go"]
    );
    assert_eq!(ws.problems.len(), 1, "{:?}", problems(&ws));
    assert_eq!(ws.problems[0].kind, ProblemKind::Unreadable);
    assert!(
        problems(&ws)[0].starts_with("c/loop.go: "),
        "{:?}",
        problems(&ws)
    );
}

/// A package exercising each constraint form.
fn constrained_module() -> TempDir {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    write(root, "go.mod", "module m\ngo 1.22\n");
    let files = [
        ("plain.go", "package p\n"),
        (
            "gobuild_linux.go",
            "//go:build linux && amd64\n\npackage p\n",
        ),
        (
            "gobuild_not.go",
            "// Copyright x\n\n//go:build !linux\n\npackage p\n",
        ),
        (
            "gobuild_or.go",
            "//go:build windows || (linux && !arm64)\n\npackage p\n",
        ),
        ("plus_ok.go", "// +build linux,amd64 darwin\n\npackage p\n"),
        ("plus_bad.go", "// +build windows\n\npackage p\n"),
        ("plus_no_blank.go", "// +build windows\npackage p\n"),
        (
            "precedence.go",
            "//go:build linux\n// +build windows\n\npackage p\n",
        ),
        ("after_package.go", "package p\n\n//go:build windows\n"),
        ("block.go", "/*\n//go:build windows\n*/\n\npackage p\n"),
        ("x_windows.go", "package p\n"),
        ("x_linux_arm64.go", "package p\n"),
        ("x_linux_amd64.go", "package p\n"),
        ("x_bar.go", "package p\n"),
        ("x_windows_test.go", "package p\n"),
        ("p_test.go", "package p\n"),
        ("tagged.go", "//go:build integration\n\npackage p\n"),
        ("release.go", "//go:build go1.21 && !go1.99\n\npackage p\n"),
        ("cgo.go", "//go:build cgo\n\npackage p\n"),
        (
            "uses_c.go",
            "package p\n\n// #include <stdio.h>\nimport \"C\"\n",
        ),
        ("unix.go", "//go:build unix\n\npackage p\n"),
    ];
    for (name, text) in files {
        write(root, &format!("p/{name}"), text);
    }
    tmp
}

#[test]
fn build_constraints_for_the_default_target() {
    let tmp = constrained_module();
    let ws = run_default(tmp.path(), &["./..."]);
    assert_eq!(ws.problems, []);
    let p = package(&ws, "m/p");
    assert_eq!(
        file_names(p),
        [
            "gobuild_linux.go",
            "gobuild_or.go",
            "p_test.go",
            "plain.go",
            "plus_no_blank.go",
            "plus_ok.go",
            "precedence.go",
            "after_package.go",
            "block.go",
            "release.go",
            "unix.go",
            "x_bar.go",
            "x_linux_amd64.go",
        ]
        .iter()
        .copied()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
    let constraint = |reason: &str| SkipReason::Constraint(reason.into());
    assert_eq!(
        skipped_names(p),
        [
            ("cgo.go".into(), constraint("//go:build cgo")),
            ("gobuild_not.go".into(), constraint("//go:build !linux")),
            ("plus_bad.go".into(), constraint("// +build windows")),
            ("tagged.go".into(), constraint("//go:build integration")),
            ("uses_c.go".into(), constraint("import \"C\" without cgo")),
            (
                "x_linux_arm64.go".into(),
                constraint("file name suffix _linux_arm64")
            ),
            (
                "x_windows.go".into(),
                constraint("file name suffix _windows")
            ),
            (
                "x_windows_test.go".into(),
                constraint("file name suffix _windows")
            ),
        ]
    );
    let precedence = p
        .files
        .iter()
        .find(|f| f.path.ends_with("precedence.go"))
        .unwrap();
    assert_eq!(precedence.constraint.as_deref(), Some("linux"));
    let plus = p
        .files
        .iter()
        .find(|f| f.path.ends_with("plus_ok.go"))
        .unwrap();
    assert_eq!(plus.constraint.as_deref(), Some("linux,amd64 darwin"));
    assert!(
        p.files
            .iter()
            .find(|f| f.path.ends_with("p_test.go"))
            .unwrap()
            .is_test
    );
    assert_eq!(
        ws.skipped_count(|r| matches!(r, SkipReason::Constraint(_))),
        8
    );
}

#[test]
fn build_constraints_for_other_targets_and_options() {
    let tmp = constrained_module();
    let opts = DiscoverOptions {
        target: Target {
            goos: "windows".into(),
            goarch: "arm64".into(),
            tags: vec!["integration".into()],
            cgo: true,
            ..Target::default()
        },
        tests: false,
        ..DiscoverOptions::default()
    };
    let ws = run(tmp.path(), &["./..."], &opts);
    let p = package(&ws, "m/p");
    let names = file_names(p);
    for included in [
        "gobuild_not.go",
        "gobuild_or.go",
        "plus_bad.go",
        "x_windows.go",
        "tagged.go",
        "cgo.go",
        "uses_c.go",
    ] {
        assert!(
            names.contains(&included.to_string()),
            "{included} missing from {names:?}"
        );
    }
    for excluded in [
        "gobuild_linux.go",
        "plus_ok.go",
        "precedence.go",
        "unix.go",
        "x_linux_amd64.go",
        "p_test.go",
        "x_windows_test.go",
    ] {
        assert!(
            !names.contains(&excluded.to_string()),
            "{excluded} included"
        );
    }
    let skipped = skipped_names(p);
    assert!(skipped.contains(&("p_test.go".into(), SkipReason::Test)));
    // An older toolchain release does not satisfy newer release tags.
    let opts = DiscoverOptions {
        target: Target {
            release: GoVersion::new(1, 20),
            ..Target::default()
        },
        ..DiscoverOptions::default()
    };
    let ws = run(tmp.path(), &["./..."], &opts);
    assert!(skipped_names(package(&ws, "m/p")).contains(&(
        "release.go".into(),
        SkipReason::Constraint("//go:build go1.21 && !go1.99".into())
    )));
}

#[test]
fn single_files_are_always_analysed() {
    let tmp = constrained_module();
    let root = tmp.path();
    let ws = run_default(root, &["p/x_windows.go", "p/plain.go"]);
    let p = package(&ws, "m/p");
    assert_eq!(file_names(p), ["plain.go", "x_windows.go"]);
    assert!(p.files[1].forced);
    assert!(!p.files[0].forced);
    assert!(p.skipped.is_empty());
    // Together with a pattern, the rest of the package is still filtered.
    let ws = run_default(root, &["./...", "p/x_windows.go"]);
    let p = package(&ws, "m/p");
    assert!(file_names(p).contains(&"x_windows.go".to_string()));
    assert!(!file_names(p).contains(&"plus_bad.go".to_string()));
    // Files in ignored places are analysed when named.
    write(
        root,
        "testdata/t.go",
        "// Code generated by hand. DO NOT EDIT.\n\npackage t\n",
    );
    let ws = run_default(root, &["testdata/t.go"]);
    assert!(ws.packages[0].files[0].forced && ws.packages[0].files[0].is_generated);
}

#[test]
fn generated_files() {
    let tmp = simple_module();
    let root = tmp.path();
    write(
        root,
        "c/gen.go",
        "// Code generated by stringer -type=X; DO NOT EDIT.\n\npackage c\n",
    );
    write(
        root,
        "c/later.go",
        "/* license */\n// Code generated by protoc. DO NOT EDIT.\npackage c\n",
    );
    write(
        root,
        "c/after.go",
        "package c\n\n// Code generated by x. DO NOT EDIT.\n",
    );
    write(
        root,
        "c/almost.go",
        "// Code generated by x. DO NOT EDIT\npackage c\n",
    );
    let ws = run_default(root, &["./c"]);
    let c = package(&ws, "example.com/m/c");
    assert_eq!(file_names(c), ["after.go", "almost.go", "c.go"]);
    assert_eq!(
        skipped_names(c),
        [
            ("gen.go".into(), SkipReason::Generated),
            ("later.go".into(), SkipReason::Generated)
        ]
    );
    let opts = DiscoverOptions {
        include_generated: true,
        ..DiscoverOptions::default()
    };
    let ws = run(root, &["./c"], &opts);
    let c = package(&ws, "example.com/m/c");
    assert_eq!(c.files.len(), 5);
    let generated: Vec<bool> = c.files.iter().map(|f| f.is_generated).collect();
    assert_eq!(generated, [false, false, false, true, true]);
}

#[test]
fn language_versions() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    write(
        root,
        "go.mod",
        "module m\n\ngo 1.20.3\ntoolchain go1.22.1\n",
    );
    write(root, "plain.go", "package m\n");
    write(root, "newer.go", "//go:build go1.22\n\npackage m\n");
    write(
        root,
        "older.go",
        "//go:build go1.18 && linux\n\npackage m\n",
    );
    write(
        root,
        "either.go",
        "//go:build go1.23 || go1.22\n\npackage m\n",
    );
    write(root, "negated.go", "//go:build !go1.99\n\npackage m\n");
    write(root, "plus.go", "// +build go1.22\n\npackage m\n");
    let ws = run_default(root, &["./..."]);
    assert_eq!(ws.modules[0].go, Some(GoVersion::new(1, 20)));
    assert_eq!(ws.modules[0].toolchain.as_deref(), Some("go1.22.1"));
    let versions: Vec<(String, String)> = ws.packages[0]
        .files
        .iter()
        .map(|f| {
            (
                f.path.file_name().unwrap().to_string_lossy().into_owned(),
                f.go_version.to_string(),
            )
        })
        .collect();
    let expected = [
        ("either.go", "1.22"),
        ("negated.go", "1.20"),
        ("newer.go", "1.22"),
        // go1.18 is raised to the go1.21 floor.
        ("older.go", "1.21"),
        ("plain.go", "1.20"),
        // Legacy +build lines never set a version.
        ("plus.go", "1.20"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(versions, expected);
}

#[test]
fn exclude_globs() {
    let tmp = simple_module();
    let root = tmp.path();
    write(root, "c/x.pb.go", &go_file("c"));
    write(root, "deep/gen/g.go", &go_file("g"));
    let opts = DiscoverOptions {
        exclude: vec!["*.pb.go".into(), "a/b".into(), "gen".into()],
        ..DiscoverOptions::default()
    };
    let ws = run(root, &["./..."], &opts);
    assert_eq!(
        import_paths(&ws),
        ["example.com/m", "example.com/m/a", "example.com/m/c"]
    );
    assert_eq!(file_names(package(&ws, "example.com/m/c")), ["c.go"]);
    // Named files escape excludes.
    let ws = run(root, &["c/x.pb.go"], &opts);
    assert_eq!(ws.file_count(), 1);
    let bad = DiscoverOptions {
        exclude: vec!["a[".into()],
        ..DiscoverOptions::default()
    };
    let ws = run(root, &["./..."], &bad);
    assert_eq!(ws.problems.len(), 1);
    assert_eq!(ws.problems[0].kind, ProblemKind::BadOption);
    assert!(ws.problems[0]
        .message
        .starts_with("invalid exclude glob \"a[\""));
}

#[test]
fn bad_inputs_are_reported_and_discovery_goes_on() {
    let tmp = simple_module();
    let root = tmp.path();
    fs::create_dir_all(root.join("empty")).unwrap();
    write(root, "docs/readme.md", "# no go here");
    write(root, "only_windows/w_windows.go", &go_file("w"));
    write(root, "bad/bad.go", "//go:build linux &&\n\npackage bad\n");
    write(
        root,
        "bad/twice.go",
        "//go:build linux\n//go:build amd64\n\npackage bad\n",
    );
    write(root, "notgo.txt", "text");
    let ws = run_default(
        root,
        &[
            "./nope",
            "./nope/...",
            "./empty",
            "docs",
            "./only_windows",
            "./bad",
            "notgo.txt",
            "./empty/...",
            "./a",
        ],
    );
    assert_eq!(
        problems(&ws),
        [
            "./nope: no such file or directory",
            "./nope/...: directory ./nope does not exist",
            "no Go files in empty",
            "no Go files in docs",
            "notgo.txt: not a Go file or directory",
            "pattern ./empty/...: matched no packages",
            "bad/bad.go:1: parsing //go:build line: unexpected end of expression",
            "bad/twice.go:2: multiple //go:build comments",
            "build constraints exclude all Go files in only_windows",
        ]
    );
    let kinds: Vec<ProblemKind> = ws.problems.iter().map(|p| p.kind).collect();
    use ProblemKind::*;
    assert_eq!(
        kinds,
        [
            NotFound,
            NotFound,
            NoGoFiles,
            NoGoFiles,
            NotFound,
            NoPackages,
            BadConstraint,
            BadConstraint,
            NoGoFiles
        ]
    );
    // The valid argument was still discovered, and the skipped files are counted.
    assert!(import_paths(&ws).contains(&"example.com/m/a"));
    assert_eq!(ws.skipped_count(|r| *r == SkipReason::InvalidConstraint), 2);
    assert_eq!(package(&ws, "example.com/m/only_windows").files, []);
}

#[test]
fn broken_go_mod_is_reported_with_its_line() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    write(
        root,
        "go.mod",
        "module example.com/broken\ngo one.two\nrequire (\n",
    );
    write(root, "x.go", &go_file("x"));
    let ws = run_default(root, &["./..."]);
    assert_eq!(
        problems(&ws),
        [
            "go.mod:2: invalid go version 'one.two': must match format 1.23.0",
            "go.mod:3: unterminated require block: missing ')'",
        ]
    );
    assert!(ws.problems.iter().all(|p| p.kind == ProblemKind::BadGoMod));
    // The module path was still read, and the file is analysed with the go1.16 default.
    assert_eq!(import_paths(&ws), ["example.com/broken"]);
    assert_eq!(ws.packages[0].files[0].go_version, GoVersion::new(1, 16));
    // Without a module line, import paths fall back to the directory.
    write(root, "go.mod", "go 1.21\n");
    write(root, "sub/s.go", &go_file("s"));
    let ws = run_default(root, &["./..."]);
    assert_eq!(problems(&ws), ["go.mod:1: missing module declaration"]);
    assert_eq!(import_paths(&ws), [".", "sub"]);
}

#[test]
fn output_is_sorted_and_deterministic() {
    let tmp = simple_module();
    let root = tmp.path();
    for name in ["z", "m", "b", "y/x", "a2", "a-b", "a.b", "a/b-c"] {
        write(root, &format!("{name}/f.go"), &go_file("f"));
        write(root, &format!("{name}/a.go"), &go_file("f"));
    }
    let first = run_default(root, &["./c", "./..."]);
    let second = run_default(root, &["./c", "./..."]);
    assert_eq!(first.packages, second.packages);
    let dirs: Vec<PathBuf> = first.packages.iter().map(|p| p.dir.clone()).collect();
    let mut sorted = dirs.clone();
    sorted.sort();
    assert_eq!(dirs, sorted);
    for p in &first.packages {
        let files: Vec<&PathBuf> = p.files.iter().map(|f| &f.path).collect();
        let mut sorted = files.clone();
        sorted.sort();
        assert_eq!(files, sorted);
    }
}

/// A FIFO or a device named on the command line as a Go file is not one: opening a FIFO
/// waits for a writer, so reading `x.go` made of one hung the run.
#[cfg(unix)]
#[test]
fn fifo_argument_is_not_a_go_file() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().to_path_buf();
    write(&root, "go.mod", "module example.com/m\n\ngo 1.21\n");
    write(&root, "a/a.go", &go_file("a"));
    mkfifo(&root.join("a/fifo.go"));
    assert_eq!(
        problems_within_30s(&root, &["a/fifo.go", "./a/..."]),
        ["a/fifo.go: not a Go file or directory", "1 files"]
    );
}

/// Makes a FIFO at `path` (mkfifo is in coreutils, on every Unix machine the tests run on).
#[cfg(unix)]
fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo failed");
}

/// Discovery of `args` in `root` on a thread of its own: its problems, or a failure when it
/// does not end within 30 s.
#[cfg(unix)]
fn problems_within_30s(root: &Path, args: &'static [&'static str]) -> Vec<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        let ws = run_default(&root, args);
        tx.send((problems(&ws), ws.file_count())).unwrap();
    });
    let (problems, files) = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("discovery hung on a FIFO");
    let mut out = problems;
    out.push(format!("{files} files"));
    out
}

/// A `.gitignore` that is a FIFO, in a directory the walk enters or at its root: the walk
/// opened it and waited for a writer forever. The directory is left out, with a problem.
#[cfg(unix)]
#[test]
fn fifo_gitignore_is_not_read() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().to_path_buf();
    write(&root, "go.mod", "module example.com/m\n\ngo 1.21\n");
    write(&root, "a/a.go", &go_file("a"));
    write(&root, "b/b.go", &go_file("b"));
    mkfifo(&root.join("b/.gitignore"));
    assert_eq!(
        problems_within_30s(&root, &["./..."]),
        [
            "b/.gitignore: not a regular file, so its directory was not walked",
            "1 files"
        ]
    );
    mkfifo(&root.join(".gitignore"));
    assert_eq!(
        problems_within_30s(&root, &["./..."]),
        [
            ".gitignore: not a regular file, so ./... was not walked",
            "0 files"
        ]
    );
}
