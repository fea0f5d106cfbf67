//! Integration tests of `racelens parse`, run on the built binary over temporary files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh directory for one test under cargo's per-target temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("parse_cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn racelens(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_racelens"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("cannot run racelens")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

const GOOD: &str = "package p\n\nfunc f() int { return 1 }\n";

#[test]
fn directories_are_searched_recursively_for_go_files() {
    let dir = scratch("recursive");
    write(&dir.join("b.go"), GOOD);
    write(&dir.join("a/z.go"), GOOD);
    write(&dir.join("a/deeper/y.go"), GOOD);
    write(&dir.join("a/notes.txt"), "not go");
    let out = racelens(&["parse", "."], &dir);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let text = stdout(&out);
    let summary = text.lines().last().unwrap();
    let bytes = 3 * GOOD.len();
    assert!(
        summary.starts_with(&format!(
            "3 files, {bytes} bytes, 0 syntax errors, parsed in "
        )),
        "summary: {summary}"
    );
    assert!(summary.ends_with(" MB/s)"), "summary: {summary}");
}

#[test]
fn keeping_the_trees_reports_the_same_files_and_errors_on_any_thread_count() {
    let dir = scratch("keep");
    write(&dir.join("a.go"), GOOD);
    write(&dir.join("b.go"), "package p\n\nfunc f( {\n");
    write(&dir.join("c.go"), GOOD);
    let expected = racelens(&["parse", "."], &dir);
    let lines = |out: &Output| -> Vec<String> {
        let text = stdout(out);
        // The timing at the end of the summary differs from run to run.
        text.lines()
            .map(|l| l.split(", parsed in ").next().unwrap().to_string())
            .collect()
    };
    assert_eq!(expected.status.code(), Some(1));
    assert!(lines(&expected).iter().any(|l| l.starts_with("./b.go:3:")));
    for args in [
        &["parse", "--keep", "."][..],
        &["parse", "--keep", "-j", "2", "."],
    ] {
        let out = racelens(args, &dir);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert_eq!(lines(&out), lines(&expected), "{args:?}");
    }
}

#[test]
fn dump_lists_files_in_sorted_order() {
    let dir = scratch("dump");
    write(&dir.join("src/b.go"), GOOD);
    write(&dir.join("src/a/x.go"), GOOD);
    write(&dir.join("src/a.go"), GOOD);
    let out = racelens(&["parse", "--dump", "src"], &dir);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let text = stdout(&out);
    let headers: Vec<&str> = text.lines().filter(|l| l.starts_with("== ")).collect();
    // Sorted by path components, as Go's filepath.WalkDir visits them: `a/` before `a.go`.
    assert_eq!(headers, ["== src/a/x.go", "== src/a.go", "== src/b.go"]);
    // Each header is followed by the dump, which starts with the File node.
    let lines: Vec<&str> = text.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with("== ") {
            assert!(
                lines[i + 1].starts_with("File "),
                "after {l}: {}",
                lines[i + 1]
            );
        }
    }
}

#[test]
fn unreadable_paths_are_reported_and_skipped() {
    let dir = scratch("unreadable");
    write(&dir.join("ok.go"), GOOD);
    let out = racelens(&["parse", "missing.go", "ok.go"], &dir);
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(err.starts_with("missing.go: "), "stderr: {err}");
    assert!(
        stdout(&out).contains("1 files, "),
        "stdout: {}",
        stdout(&out)
    );
}

#[test]
fn nothing_readable_exits_with_2() {
    let dir = scratch("nothing");
    let out = racelens(&["parse", "missing.go"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("missing.go: "),
        "stderr: {}",
        stderr(&out)
    );
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    let out = racelens(&["parse", "empty"], &dir);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = scratch("usage");
    assert_eq!(racelens(&[], &dir).status.code(), Some(2));
    assert_eq!(racelens(&["parse"], &dir).status.code(), Some(2));
    assert_eq!(
        racelens(&["parse", "--bogus", "x.go"], &dir).status.code(),
        Some(2)
    );
    assert_eq!(racelens(&["frobnicate"], &dir).status.code(), Some(2));
}

#[test]
fn syntax_errors_are_reported_with_line_and_column() {
    let dir = scratch("syntax");
    write(&dir.join("good.go"), GOOD);
    // No semicolon is inserted after `:=`, so go/parser reports the missing operand at the
    // `}` on line 5: "expected operand, found '}'".
    write(&dir.join("bad.go"), "package p\n\nfunc f() {\n\tx :=\n}\n");
    let out = racelens(&["parse", "good.go", "bad.go"], &dir);
    assert_eq!(out.status.code(), Some(1), "stdout: {}", stdout(&out));
    let text = stdout(&out);
    let first = text.lines().next().unwrap();
    assert!(first.starts_with("bad.go:5:1: "), "first line: {first}");
    let summary = text.lines().last().unwrap();
    assert!(summary.starts_with("2 files, "), "summary: {summary}");
    assert!(!summary.contains(" 0 syntax errors"), "summary: {summary}");
}

#[test]
fn parsing_on_several_threads_reports_the_same_errors_in_file_order() {
    let dir = scratch("jobs");
    for i in 0..12 {
        let text = if i % 3 == 0 {
            format!("package p\n\nfunc f{i}() {{\n\tx :=\n}}\n")
        } else {
            GOOD.to_string()
        };
        write(&dir.join(format!("f{i:02}.go")), &text);
    }
    let one = racelens(&["parse", "."], &dir);
    let four = racelens(&["parse", "-j", "4", "."], &dir);
    assert_eq!(one.status.code(), Some(1));
    assert_eq!(four.status.code(), Some(1));
    let errors = |out: &Output| -> Vec<String> {
        let text = stdout(out);
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let summary = lines.pop().unwrap();
        assert!(
            summary.starts_with("12 files, ") && summary.contains(", 8 syntax errors, "),
            "summary: {summary}"
        );
        lines
    };
    let serial = errors(&one);
    assert_eq!(serial.len(), 8, "{serial:?}");
    assert!(serial[0].starts_with("./f00.go:5:1: "), "{serial:?}");
    assert!(serial[7].starts_with("./f09.go:"), "{serial:?}");
    assert_eq!(serial, errors(&four));
}
