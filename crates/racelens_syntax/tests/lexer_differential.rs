//! Differential test of the lexer against Go 1.19's go/scanner and go/parser's comment grouping,
//! on every .go file of the Go standard library source tree (testdata included).
//!
//! The oracle is the Go program in tests/oracle/gotokens. It prints, per file, every token with
//! its range, every scanner error and every comment group; this test prints the same from the
//! lexer and compares file by file. A missing `go` or corpus fails the test: it never skips.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

use racelens_syntax::lexer::Lexer;
use racelens_syntax::token::TokenKind;

/// The corpus: Go's own source tree, overridable with RACELENS_GO_SRC.
fn corpus_root() -> PathBuf {
    let root = std::env::var_os("RACELENS_GO_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/lib/go-1.19/src"));
    assert!(
        root.join("go/scanner/scanner.go").is_file(),
        "the corpus {} is missing (install Debian's golang-1.19-src, or set RACELENS_GO_SRC to \
         a Go 1.19 src directory)",
        root.display()
    );
    root
}

/// Builds the oracle once per test binary and returns its path.
fn oracle() -> &'static Path {
    static ORACLE: OnceLock<PathBuf> = OnceLock::new();
    ORACLE.get_or_init(|| {
        let version = Command::new("go").arg("version").output().unwrap_or_else(|e| {
            panic!("cannot run `go` ({e}): the differential test needs Go 1.19 on PATH")
        });
        let version = String::from_utf8_lossy(&version.stdout).into_owned();
        assert!(
            version.contains("go1.19"),
            "the oracle must be Go 1.19, `go version` says: {version}"
        );
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/gotokens");
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gotokens");
        let status = Command::new("go")
            .arg("build")
            .arg("-o")
            .arg(&out)
            .arg(".")
            .current_dir(&dir)
            .status()
            .expect("cannot run `go build`");
        assert!(status.success(), "`go build` of the oracle in {} failed", dir.display());
        out
    })
}

fn go_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        // Follow symbolic links, as the corpus root itself is one on Debian.
        let Ok(meta) = std::fs::metadata(&path) else {
            continue; // A dangling link.
        };
        if meta.is_dir() {
            go_files(&path, out);
        } else if meta.is_file() && path.extension().is_some_and(|e| e == "go") {
            out.push(path);
        }
    }
}

#[derive(Default)]
struct Totals {
    tokens: usize,
    errors: usize,
    groups: usize,
}

/// The lexer's view of `src` in the oracle's format.
fn dump(src: &[u8], totals: &mut Totals) -> String {
    let mut out = String::new();
    let mut lexer = Lexer::new(src);
    loop {
        let t = lexer.next_token();
        totals.tokens += 1;
        let nl = if t.implicit { " nl" } else { "" };
        writeln!(out, "T {} {} {}{nl}", t.start, t.end, t.kind.as_str()).unwrap();
        if t.kind == TokenKind::Eof {
            break;
        }
    }
    for e in lexer.take_errors() {
        totals.errors += 1;
        let msg = e.message.replace('\\', "\\\\").replace('\n', "\\n");
        writeln!(out, "E {} {msg}", e.offset).unwrap();
    }
    for g in lexer.take_comments() {
        totals.groups += 1;
        write!(out, "G {} {}", g.span.start, g.span.end).unwrap();
        for c in g.list.iter() {
            write!(out, " {}-{}", c.span.start, c.span.end).unwrap();
        }
        out.push('\n');
    }
    out
}

/// A description of the first line where `want` and `got` differ.
fn first_difference(want: &str, got: &str) -> String {
    let mut want_lines = want.lines();
    let mut got_lines = got.lines();
    for n in 1.. {
        match (want_lines.next(), got_lines.next()) {
            (Some(w), Some(g)) if w == g => continue,
            (w, g) => {
                return format!(
                    "line {n}: go/scanner: {}, lexer: {}",
                    w.unwrap_or("<end>"),
                    g.unwrap_or("<end>")
                )
            }
        }
    }
    unreachable!()
}

#[test]
fn lexer_matches_go_scanner_on_the_go_source_tree() {
    let started = Instant::now();
    let root = corpus_root();
    let mut files = Vec::new();
    go_files(&root, &mut files);
    assert!(
        files.len() > 1000,
        "only {} .go files under {}",
        files.len(),
        root.display()
    );
    let list = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lexer_differential_files.txt");
    let mut text = String::new();
    for f in &files {
        let s = f.to_str().expect("corpus paths are UTF-8");
        assert!(!s.contains('\n'));
        text.push_str(s);
        text.push('\n');
    }
    std::fs::write(&list, text).expect("cannot write the file list");

    let mut child = Command::new(oracle())
        .arg("-list")
        .arg(&list)
        .stdout(Stdio::piped())
        .spawn()
        .expect("cannot start the oracle");
    let mut reader = BufReader::with_capacity(1 << 20, child.stdout.take().unwrap());

    let mut totals = Totals::default();
    let mut bytes = 0usize;
    let mut compared = 0usize;
    let mut mismatches = Vec::new();
    let mut line = String::new();
    let mut block = String::new();
    let mut read_line = |line: &mut String| {
        line.clear();
        reader.read_line(line).expect("reading the oracle's output") > 0
    };
    let mut more = read_line(&mut line);
    for path in &files {
        let header = format!("=== {}\n", path.display());
        assert!(
            more && line == header,
            "the oracle's output is out of step at {}: {line:?}",
            path.display()
        );
        block.clear();
        loop {
            more = read_line(&mut line);
            if !more || line.starts_with("=== ") {
                break;
            }
            block.push_str(&line);
        }
        let src = std::fs::read(path).expect("reading a corpus file");
        bytes += src.len();
        let ours = dump(&src, &mut totals);
        compared += 1;
        if ours != block {
            mismatches.push(format!(
                "{}: {}",
                path.display(),
                first_difference(&block, &ours)
            ));
        }
    }
    assert!(!more, "the oracle printed more blocks than there are files");
    assert!(child.wait().expect("waiting for the oracle").success());

    eprintln!(
        "compared {compared} files, {bytes} bytes: {} tokens, {} errors, {} comment groups in {:.1?}",
        totals.tokens,
        totals.errors,
        totals.groups,
        started.elapsed()
    );
    assert!(
        mismatches.is_empty(),
        "{} of {compared} files differ from go/scanner; the first ones:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn unicode_tables_are_go_1_19s() {
    let out = Command::new(oracle())
        .arg("-unicode")
        .output()
        .expect("cannot run the oracle");
    assert!(out.status.success());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/unicode_tables.rs");
    let ours = std::fs::read_to_string(&path).expect("reading src/unicode_tables.rs");
    let want = String::from_utf8(out.stdout).expect("UTF-8 tables");
    assert!(
        ours == want,
        "src/unicode_tables.rs is stale: regenerate it with `gotokens -unicode`; {}",
        first_difference(&want, &ours)
    );
}
