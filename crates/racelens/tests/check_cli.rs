//! Integration tests of `racelens check`, `rules` and `explain`, run on the built binary:
//! exit codes, output formats (snapshots), configuration, bad input, determinism.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// A fresh directory for one test under cargo's per-target temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("check_cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &Path, text: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn racelens(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_racelens"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .output()
        .expect("cannot run racelens")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

const RACY: &str = "package p\n\nimport \"sync\"\n\nfunc f(xs []int) {\n\tvar wg sync.WaitGroup\n\tfor _, x := range xs {\n\t\tgo func() {\n\t\t\twg.Add(1)\n\t\t\tdefer wg.Done()\n\t\t\t_ = x\n\t\t}()\n\t}\n\twg.Wait()\n}\n";

fn racy_module(name: &str, go: &str) -> PathBuf {
    let dir = scratch(name);
    write(
        &dir.join("go.mod"),
        format!("module example.com/m\n\ngo {go}\n").as_bytes(),
    );
    write(&dir.join("p.go"), RACY.as_bytes());
    dir
}

#[test]
fn examples_report_findings_and_exit_one() {
    let out = racelens(&["check", "examples/..."], &repo());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    assert!(text.contains("examples/seed/races.go:"), "{text}");
    assert!(text.contains("(loop-variable-capture)"), "{text}");
    assert!(text.contains("(wait-group-add-in-goroutine)"), "{text}");
    assert!(
        stderr(&out).contains("findings"),
        "summary missing: {}",
        stderr(&out)
    );
    let out = racelens(&["check", "--exit-zero", "examples/..."], &repo());
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn timings_list_every_phase_and_the_slowest_packages_on_stderr_only() {
    let plain = racelens(
        &["check", "-q", "--format", "json", "examples/..."],
        &repo(),
    );
    let timed = racelens(
        &[
            "check",
            "-q",
            "--timings",
            "--format",
            "json",
            "examples/...",
        ],
        &repo(),
    );
    assert_eq!(timed.status.code(), plain.status.code());
    assert_eq!(stdout(&timed), stdout(&plain));
    let err = stderr(&timed);
    assert!(stderr(&plain).is_empty(), "{}", stderr(&plain));
    // Every phase in order, each with a time, then the total.
    let phases = [
        "discovery",
        "reading and parsing",
        "packages with generated files",
        "preparing the checks",
        "checking",
        "rendering",
        "the rest",
        "total",
    ];
    let mut at = 0;
    for phase in phases {
        let line = err[at..]
            .lines()
            .find(|l| l.trim_start().starts_with(phase))
            .unwrap_or_else(|| panic!("no `{phase}` after byte {at}: {err}"));
        assert!(line.trim_end().ends_with(" ms"), "{line}");
        at = err.find(line).unwrap() + line.len();
    }
    // The example module has one package (with an in-package test file).
    let slowest = err
        .split("slowest packages to check")
        .nth(1)
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        slowest.contains("example.com/racelens-examples/seed"),
        "{err}"
    );
    // A run of checks that need no types reads and checks each package in one pass.
    let syntactic = racelens(
        &[
            "check",
            "-q",
            "--timings",
            "--select",
            "wait-group-add-in-goroutine",
            "examples/...",
        ],
        &repo(),
    );
    let err = stderr(&syntactic);
    assert!(err.contains("  reading, parsing and checking "), "{err}");
    assert!(!err.contains("preparing the checks"), "{err}");
}

#[test]
fn clean_code_exits_zero_with_no_output() {
    let dir = scratch("clean");
    write(
        &dir.join("go.mod"),
        b"module example.com/clean\n\ngo 1.22\n",
    );
    write(
        &dir.join("a.go"),
        b"package clean\n\nfunc F() int { return 1 }\n",
    );
    let out = racelens(&["check"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("1 files"), "{}", stderr(&out));
}

#[test]
fn the_module_go_version_decides_loop_variable_semantics() {
    let old = racy_module("go121", "1.21");
    let new = racy_module("go122", "1.22");
    assert!(stdout(&racelens(&["check"], &old)).contains("loop-variable-capture"));
    assert!(!stdout(&racelens(&["check"], &new)).contains("loop-variable-capture"));
}

fn snapshot_dir() -> PathBuf {
    repo().join("fixtures/wait-group-add-in-goroutine")
}

#[test]
fn text_output_snapshot() {
    let out = racelens(&["check", "--no-show-source", "./..."], &snapshot_dir());
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("text", stdout(&out));
}

#[test]
fn text_output_with_source_snapshot() {
    let out = racelens(&["check", "--show-source", "./..."], &snapshot_dir());
    insta::assert_snapshot!("text_source", stdout(&out));
}

#[test]
fn json_output_snapshot() {
    let out = racelens(&["check", "--format", "json", "./..."], &snapshot_dir());
    let text = stdout(&out);
    let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["diagnostics"].as_array().map(Vec::len), Some(7));
    insta::assert_snapshot!("json", text);
}

#[test]
fn sarif_output_snapshot() {
    let out = racelens(&["check", "--format", "sarif", "./..."], &snapshot_dir());
    let text = stdout(&out);
    assert!(text.contains("\"version\": \"2.1.0\""), "{text}");
    assert!(
        text.contains("\"ruleId\": \"wait-group-add-in-goroutine\""),
        "{text}"
    );
    assert!(text.contains("\"relatedLocations\""), "{text}");
    insta::assert_snapshot!("sarif", text.replace(env!("CARGO_PKG_VERSION"), "VERSION"));
}

#[test]
fn github_output_snapshot() {
    let out = racelens(&["check", "--format", "github", "./..."], &snapshot_dir());
    insta::assert_snapshot!("github", stdout(&out));
}

#[test]
fn output_is_identical_for_any_thread_count() {
    let fixtures = repo().join("fixtures");
    let one = racelens(
        &["check", "-j", "1", "--format", "json", "./..."],
        &fixtures,
    );
    let four = racelens(
        &["check", "-j", "4", "--format", "json", "./..."],
        &fixtures,
    );
    assert!(!stdout(&one).is_empty());
    assert_eq!(stdout(&one), stdout(&four));
}

#[test]
fn select_and_ignore_from_the_command_line() {
    let dir = racy_module("select", "1.21");
    let out = stdout(&racelens(
        &["check", "--ignore", "loop-variable-capture"],
        &dir,
    ));
    assert!(
        out.contains("wait-group-add-in-goroutine") && !out.contains("loop-variable-capture"),
        "{out}"
    );
    let out = stdout(&racelens(
        &["check", "--select", "loop-variable-capture"],
        &dir,
    ));
    assert!(
        !out.contains("wait-group-add-in-goroutine") && out.contains("loop-variable-capture"),
        "{out}"
    );
    let out = racelens(&["check", "--select", "no-such-check"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown check or category `no-such-check`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn config_file_selects_and_ignores_per_file() {
    let dir = racy_module("config", "1.21");
    write(
        &dir.join("racelens.toml"),
        b"ignore = [\"loop-variable-capture\"]\n",
    );
    let out = stdout(&racelens(&["check"], &dir));
    assert!(
        out.contains("wait-group-add-in-goroutine") && !out.contains("loop-variable-capture"),
        "{out}"
    );
    write(
        &dir.join("racelens.toml"),
        b"[per-file-ignores]\n\"p.go\" = [\"correctness\"]\n",
    );
    let out = racelens(&["check"], &dir);
    assert_eq!(stdout(&out), "", "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn config_errors_name_file_line_and_column() {
    let dir = racy_module("config-errors", "1.21");
    write(
        &dir.join("racelens.toml"),
        b"# comment\nselct = [\"all\"]\n",
    );
    let out = racelens(&["check"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("racelens.toml:2:1: unknown key"),
        "{}",
        stderr(&out)
    );
    write(
        &dir.join("racelens.toml"),
        b"ignore = [\"all\", \"no-such-check\"]\n",
    );
    let out = racelens(&["check"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("racelens.toml:1:"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("no-such-check"), "{}", stderr(&out));
}

#[test]
fn bad_input_gets_clear_messages_and_the_run_continues() {
    let dir = racy_module("bad-input", "1.21");
    write(&dir.join("bin/blob.go"), b"\x7fELF\x00\x00\x01binary");
    write(&dir.join("empty/README"), b"no Go here");
    write(
        &dir.join("broken/broken.go"),
        b"package broken\n\nfunc f( {\n",
    );
    let out = racelens(&["check", "./...", "does-not-exist", "empty"], &dir);
    let err = stderr(&out);
    let text = stdout(&out);
    assert!(err.contains("does-not-exist"), "{err}");
    assert!(err.contains("empty"), "{err}");
    assert!(
        text.contains("bin/blob.go:1:1: file is binary, not Go source (syntax-error)"),
        "{text}"
    );
    assert!(text.contains("broken/broken.go:3:"), "{text}");
    // The good package is still analysed.
    assert!(text.contains("p.go:"), "{text}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_broken_go_mod_is_reported_with_its_line() {
    let dir = scratch("broken-gomod");
    write(&dir.join("go.mod"), b"module example.com/x\n\ngo one.two\n");
    write(&dir.join("a.go"), b"package x\n");
    let out = racelens(&["check"], &dir);
    assert!(stderr(&out).contains("go.mod:3"), "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rules_and_explain() {
    let out = racelens(&["rules"], &repo());
    let text = stdout(&out);
    for name in [
        "loop-variable-capture",
        "wait-group-add-in-goroutine",
        "unused-suppression",
    ] {
        assert!(text.contains(name), "{text}");
    }
    let out = racelens(&["explain", "loop-variable-capture"], &repo());
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("## Known limitations"));
    let out = racelens(&["explain", "no-such-check"], &repo());
    assert_eq!(out.status.code(), Some(2));
}
