//! racelens.toml: finding it upward, reading every key, positioned errors for unknown
//! keys and bad values, applying it to discovery, per-file ignores.

use std::fs;
use std::path::{Path, PathBuf};

use racelens_workspace::{
    discover, find_config, load_config, parse_config, Config, DiscoverOptions, GoVersion,
};
use tempfile::TempDir;

fn parse(text: &str) -> Config {
    parse_config(Path::new("racelens.toml"), text).unwrap_or_else(|e| panic!("{e}"))
}

fn error(text: &str) -> String {
    parse_config(Path::new("racelens.toml"), text)
        .map(|_| ())
        .unwrap_err()
        .to_string()
}

const FULL: &str = r#"# racelens configuration
select = ["all"]
ignore = ["closure-capture", "maps"]
exclude = ["gen/**", "*.pb.go"]
goos = "darwin"
goarch = "arm64"
tags = ["integration", "e2e"]
go = "1.21"
include-generated = true
tests = false

[per-file-ignores]
"**/*_test.go" = ["shared-append"]
"legacy/*.go" = ["map-access", "closure-capture"]
"#;

#[test]
fn reads_every_key() {
    let c = parse(FULL);
    let values = |l: &[racelens_workspace::Located<String>]| -> Vec<String> {
        l.iter().map(|x| x.value.clone()).collect()
    };
    assert_eq!(values(c.select.as_ref().unwrap()), ["all"]);
    assert_eq!(values(&c.ignore), ["closure-capture", "maps"]);
    assert_eq!(values(&c.exclude), ["gen/**", "*.pb.go"]);
    assert_eq!(c.goos.as_ref().unwrap().value, "darwin");
    assert_eq!(c.goarch.as_ref().unwrap().value, "arm64");
    assert_eq!(values(&c.tags), ["integration", "e2e"]);
    assert_eq!(c.go.as_ref().unwrap().value, GoVersion::new(1, 21));
    assert_eq!(c.include_generated, Some(true));
    assert_eq!(c.tests, Some(false));
    let globs: Vec<&str> = c
        .per_file_ignores
        .iter()
        .map(|(g, _)| g.value.as_str())
        .collect();
    assert_eq!(globs, ["**/*_test.go", "legacy/*.go"]);
    // Positions are 1-based line and column of the value.
    let ignore = &c.ignore[1];
    assert_eq!((ignore.line, ignore.column), (3, 30));
    let go = c.go.as_ref().unwrap();
    assert_eq!((go.line, go.column), (8, 6));
}

#[test]
fn empty_config_is_valid() {
    let c = parse("");
    assert!(c.select.is_none());
    assert!(c.ignore.is_empty() && c.per_file_ignores.is_empty() && c.exclude.is_empty());
    assert!(c.check_names().is_empty());
}

#[test]
fn check_names_keep_positions_for_the_caller() {
    let c = parse(FULL);
    let names: Vec<(String, u32, u32)> = c
        .check_names()
        .iter()
        .map(|n| (n.value.clone(), n.line, n.column))
        .collect();
    assert_eq!(
        names,
        [
            ("all".to_string(), 2, 11),
            ("closure-capture".to_string(), 3, 11),
            ("maps".to_string(), 3, 30),
            ("shared-append".to_string(), 13, 19),
            ("map-access".to_string(), 14, 18),
            ("closure-capture".to_string(), 14, 32),
        ]
    );
    let maps = names.iter().position(|n| n.0 == "maps").unwrap();
    let err = c.error_at(c.check_names()[maps], "unknown check \"maps\"");
    assert_eq!(
        err.to_string(),
        "racelens.toml:3:30: unknown check \"maps\""
    );
}

#[test]
fn unknown_keys_are_errors_with_positions() {
    let e = error("select = [\"all\"]\n\nselct = [\"x\"]\n");
    assert!(
        e.starts_with("racelens.toml:3:1: unknown key \"selct\", expected one of \"select\", \"ignore\", \"per-file-ignores\", \"exclude\", \"goos\", \"goarch\", \"tags\", \"go\", \"include-generated\", \"tests\""),
        "{e}"
    );
    let e = error("include_generated = true\n");
    assert!(
        e.starts_with("racelens.toml:1:1: unknown key \"include_generated\""),
        "{e}"
    );
    let e = error("[tool]\nx = 1\n");
    assert!(
        e.starts_with("racelens.toml:1:2: unknown key \"tool\""),
        "{e}"
    );
}

#[test]
fn bad_values_are_errors_with_positions() {
    let cases = [
        (
            "select = \"all\"\n",
            "racelens.toml:1:10: invalid type: string \"all\", expected a sequence",
        ),
        (
            "tests = \"yes\"\n",
            "racelens.toml:1:9: invalid type: string \"yes\", expected a boolean",
        ),
        (
            "ignore = [1]\n",
            "racelens.toml:1:11: invalid type: integer \"1\", expected a string",
        ),
        (
            "goos = \"linx\"\n",
            "racelens.toml:1:8: unknown goos \"linx\", expected one of \"aix\",",
        ),
        (
            "goarch = \"x86\"\n",
            "racelens.toml:1:10: unknown goarch \"x86\", expected one of \"386\",",
        ),
        (
            "go = \"1.x\"\n",
            "racelens.toml:1:6: invalid go version \"1.x\", expected a version like \"1.22\"",
        ),
        (
            "go = \"2.0\"\n",
            "racelens.toml:1:6: invalid go version \"2.0\"",
        ),
        (
            "go = 1.22\n",
            "racelens.toml:1:6: invalid type: floating point \"1.22\", expected a string",
        ),
        (
            "tags = [\"a b\"]\n",
            "racelens.toml:1:9: invalid build tag \"a b\"",
        ),
        (
            "exclude = [\"ok\", \"a[\"]\n",
            "racelens.toml:1:18: invalid glob \"a[\": ",
        ),
        (
            "[per-file-ignores]\n\"x{\" = [\"a\"]\n",
            "racelens.toml:2:1: invalid glob \"x{\": ",
        ),
        (
            "[per-file-ignores]\n\"*.go\" = \"a\"\n",
            "racelens.toml:2:10: invalid type: string \"a\", expected a sequence",
        ),
        (
            "ignore = [\"\"]\n",
            "racelens.toml:1:11: empty check name in ignore",
        ),
        (
            "select = [\"a\"]\nselect = [\"b\"]\n",
            "racelens.toml:2:1: duplicate key",
        ),
        (
            "select = [\"a\"\n",
            "racelens.toml:2:1: invalid array; expected \"]\"",
        ),
    ];
    for (text, expected) in cases {
        let e = error(text);
        assert!(
            e.starts_with(expected),
            "for {text:?}:\n got {e}\nwant {expected}"
        );
        assert!(!e.ends_with('.'), "{e}");
        assert!(!e.contains('\n'), "{e:?}");
    }
}

#[test]
fn found_upward_and_loaded() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join("a/b/c")).unwrap();
    assert_eq!(
        find_config(&root.join("a/b/c")),
        None::<PathBuf>.filter(|_| !has_config_above(root))
    );
    fs::write(root.join("a/racelens.toml"), "ignore = [\"x\"]\n").unwrap();
    let found = find_config(&root.join("a/b/c")).unwrap();
    assert_eq!(found, root.join("a/racelens.toml"));
    let c = load_config(&found).unwrap();
    assert_eq!(c.ignore[0].value, "x");
    assert_eq!(c.base_dir(), root.join("a"));
    // A nearer file wins.
    fs::write(root.join("a/b/racelens.toml"), "").unwrap();
    assert_eq!(
        find_config(&root.join("a/b/c")).unwrap(),
        root.join("a/b/racelens.toml")
    );
    // Errors name the file as it was given.
    fs::write(root.join("a/b/racelens.toml"), "\n  bogus = 1\n").unwrap();
    let e = load_config(&root.join("a/b/racelens.toml")).unwrap_err();
    assert_eq!((e.line, e.column), (2, 3));
    assert!(e.to_string().starts_with(&format!(
        "{}:2:3: unknown key \"bogus\"",
        root.join("a/b/racelens.toml").display()
    )));
    let e = load_config(&root.join("missing.toml")).unwrap_err();
    assert!(e.message.starts_with("cannot read configuration: "), "{e}");
}

/// The temporary directory's ancestors might hold a racelens.toml on some machine; the
/// "not found" assertion only holds when none does.
fn has_config_above(root: &Path) -> bool {
    root.ancestors().any(|d| d.join("racelens.toml").is_file())
}

#[test]
fn applies_to_discovery() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    };
    write("racelens.toml", "goos = \"windows\"\ntags = [\"e2e\"]\ntests = false\nexclude = [\"gen/**\"]\ninclude-generated = true\ngo = \"1.21\"\n");
    write("p/a_windows.go", "package p\n");
    write("p/a_linux.go", "package p\n");
    write("p/e2e.go", "//go:build e2e\n\npackage p\n");
    write("p/p_test.go", "package p\n");
    write(
        "p/z.go",
        "// Code generated by x. DO NOT EDIT.\n\npackage p\n",
    );
    write("gen/g/g.go", "package g\n");
    let config = load_config(&root.join("racelens.toml")).unwrap();
    let mut opts = DiscoverOptions::default();
    config.apply(&mut opts);
    assert_eq!(opts.target.goos, "windows");
    assert_eq!(opts.go, Some(GoVersion::new(1, 21)));
    // Discovery from a subdirectory still resolves excludes against the config's directory.
    let ws = discover(&root.join("p"), &["../...".to_string()], &opts);
    let names: Vec<String> = ws
        .packages
        .iter()
        .flat_map(|p| &p.files)
        .map(|f| f.path.strip_prefix(root).unwrap().display().to_string())
        .collect();
    assert_eq!(names, ["p/a_windows.go", "p/e2e.go", "p/z.go"]);
    assert_eq!(ws.packages[0].files[0].go_version, GoVersion::new(1, 21));
}

#[test]
fn per_file_ignores_match_relative_paths_and_names() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    let path = root.join("racelens.toml");
    fs::write(
        &path,
        "[per-file-ignores]\n\"*_test.go\" = [\"a\"]\n\"legacy/*.go\" = [\"b\"]\n\"**/gen/*.go\" = [\"c\"]\n",
    )
    .unwrap();
    let c = load_config(&path).unwrap();
    let ignored = |rel: &str| -> Vec<String> {
        c.per_file_ignored(&root.join(rel))
            .iter()
            .map(|n| n.value.clone())
            .collect()
    };
    assert_eq!(ignored("x/y_test.go"), ["a"]);
    assert_eq!(ignored("legacy/old.go"), ["b"]);
    assert_eq!(ignored("legacy/old_test.go"), ["a", "b"]);
    // `*` does not cross directories.
    assert_eq!(ignored("legacy/sub/old.go"), Vec::<String>::new());
    assert_eq!(ignored("a/b/gen/g.go"), ["c"]);
    assert_eq!(ignored("gen/g.go"), ["c"]);
    assert_eq!(ignored("main.go"), Vec::<String>::new());
}

#[test]
fn tens_of_thousands_of_globs_are_located() {
    // Each value was located by counting the lines and characters before it from the start
    // of the file: 40,000 `per-file-ignores` took 23 s, and 40,000 `exclude` globs on one
    // line 3.6 s (release builds), quadratic. The positions are checked here, at the end
    // of both lists; no test is timed.
    let n = 40_000;
    let exclude: Vec<String> = (0..n).map(|i| format!("\"gen{i}/**/*.go\"")).collect();
    let per_file: String = (0..n)
        .map(|i| format!("\"**/x{i}/*_test.go\" = [\"loop-variable-capture\"]\n"))
        .collect();
    let text = format!(
        "exclude = [{}]\n[per-file-ignores]\n{per_file}",
        exclude.join(", ")
    );
    let config = parse(&text);
    let last = &config.exclude[n - 1];
    let before: usize = exclude[..n - 1].iter().map(|g| g.len() + ", ".len()).sum();
    assert_eq!(
        (last.line, last.column),
        (1, ("exclude = [".len() + before + 1) as u32)
    );
    let (glob, names) = &config.per_file_ignores[n - 1];
    assert_eq!((glob.line, glob.column), (n as u32 + 2, 1));
    let name_column = format!("\"**/x{}/*_test.go\" = [", n - 1).len() + 1;
    assert_eq!(
        (names[0].line, names[0].column),
        (n as u32 + 2, name_column as u32)
    );
}
