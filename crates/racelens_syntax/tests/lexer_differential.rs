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

/// The corpus: Go's own source tree, or any tree of Go files named by RACELENS_GO_SRC.
fn corpus_root() -> PathBuf {
    if let Some(root) = std::env::var_os("RACELENS_GO_SRC") {
        let root = PathBuf::from(root);
        assert!(
            root.is_dir(),
            "RACELENS_GO_SRC={} is not a directory",
            root.display()
        );
        return root;
    }
    let root = PathBuf::from("/usr/lib/go-1.19/src");
    assert!(
        root.join("go/scanner/scanner.go").is_file(),
        "the corpus {} is missing (install Debian's golang-1.19-src, or set RACELENS_GO_SRC to \
         a directory of Go files)",
        root.display()
    );
    root
}

/// Builds the oracle once per test binary and returns its path.
fn oracle() -> &'static Path {
    static ORACLE: OnceLock<PathBuf> = OnceLock::new();
    ORACLE.get_or_init(|| {
        let version = Command::new("go")
            .arg("version")
            .output()
            .unwrap_or_else(|e| {
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
        assert!(
            status.success(),
            "`go build` of the oracle in {} failed",
            dir.display()
        );
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
    files: usize,
    bytes: usize,
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

/// Compares the lexer with the oracle on `files` (named `name` in messages), file by file, and
/// returns the totals; panics with the first few differences.
fn compare(name: &str, files: &[PathBuf]) -> Totals {
    let started = Instant::now();
    let list = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}_files.txt"));
    let mut text = String::new();
    for f in files {
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
    let mut mismatches = Vec::new();
    let mut line = String::new();
    let mut block = String::new();
    // Messages about line directives quote the comment's bytes, which need not be UTF-8; the
    // lexer's messages hold them converted lossily, and so are the oracle's lines.
    let mut raw = Vec::new();
    let mut read_line = |line: &mut String| {
        raw.clear();
        line.clear();
        let more = reader
            .read_until(b'\n', &mut raw)
            .expect("reading the oracle's output")
            > 0;
        line.push_str(&String::from_utf8_lossy(&raw));
        more
    };
    let mut more = read_line(&mut line);
    for path in files {
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
        totals.files += 1;
        totals.bytes += src.len();
        let ours = dump(&src, &mut totals);
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
        "{name}: compared {} files, {} bytes: {} tokens, {} errors, {} comment groups in {:.1?}",
        totals.files,
        totals.bytes,
        totals.tokens,
        totals.errors,
        totals.groups,
        started.elapsed()
    );
    assert!(
        mismatches.is_empty(),
        "{name}: {} of {} files differ from go/scanner; the first ones:\n{}",
        mismatches.len(),
        totals.files,
        mismatches
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    totals
}

fn stdlib_files() -> Vec<PathBuf> {
    let root = corpus_root();
    let mut files = Vec::new();
    go_files(&root, &mut files);
    assert!(
        files.len() > 1000,
        "only {} .go files under {}",
        files.len(),
        root.display()
    );
    files
}

#[test]
fn lexer_matches_go_scanner_on_the_go_source_tree() {
    compare("stdlib", &stdlib_files());
}

/// A small deterministic pseudo-random generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Fragments that start or break lexical constructs, for mutations.
const FRAGMENTS: &[&[u8]] = &[
    b"\"",
    b"'",
    b"`",
    b"/*",
    b"*/",
    b"//",
    b"\n",
    b"\r",
    b"\r\n",
    b"\\",
    b"\0",
    b"\xFF",
    b"\xEF\xBB\xBF",
    b"\xC3",
    b"\xE2\x82",
    b"\xED\xA0\x80",
    b"\xF4\x90\x80\x80",
    b"0x",
    b"0X",
    b"0b",
    b"0o",
    b"0",
    b"_",
    b".",
    b"..",
    b"e",
    b"E+",
    b"p-",
    b"P",
    b"i",
    b"9",
    b"8",
    b"7",
    b"1.",
    b".5",
    b"0x1p",
    b"0x.",
    b"1_",
    b"_1",
    b"\\x",
    b"\\u",
    b"\\U",
    b"\\400",
    b"\\x4",
    b"\\uD800",
    b"\\U00110000",
    b"\\q",
    b"\\'",
    b"\\\"",
    b"\n//line x.go:0\n",
    b"\n//line :7:0\n",
    b"/*line f:1:2*/",
    b"/*line :99999999999999999999*/",
    b"\n//line a:b\n",
    b"x /* c\n */",
    b"return // c\n",
    b") /* a */ /* b */\n",
    b"\xC3\xA9",
    b"\xD9\xA3",
    b"\xE2\x82\xAC",
    b"\xF0\x9F\x98\x80",
    b"\xC2\xA0",
    b"\xE2\x80\x8B",
    b"#",
    b"@",
    b"$",
    b"?",
    b"~",
    b"&^=",
    b"...",
    b"<-",
    b"++",
    b"}",
    b")",
    b"]",
    b"break",
    b"fallthrough",
    b" ",
    b"\t",
];

/// `src` with `count` random insertions, replacements and deletions.
fn mutate(src: &[u8], rng: &mut Rng, count: usize) -> Vec<u8> {
    let mut out = src.to_vec();
    for _ in 0..count {
        let at = rng.below(out.len() + 1);
        let fragment = FRAGMENTS[rng.below(FRAGMENTS.len())];
        match rng.below(3) {
            0 => {
                out.splice(at..at, fragment.iter().copied());
            }
            1 => {
                let end = (at + fragment.len()).min(out.len());
                out.splice(at..end, fragment.iter().copied());
            }
            _ => {
                let end = (at + 1 + rng.below(3)).min(out.len());
                out.drain(at..end);
            }
        }
    }
    out
}

/// Mutated copies of the stdlib: whole files with a few mutations, and short windows with many,
/// so that every error path of go/scanner is compared too (the stdlib itself has no errors).
#[test]
fn lexer_matches_go_scanner_on_mutated_sources() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lexer_mutants");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("cannot create the mutants directory");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut files = Vec::new();
    for (i, path) in stdlib_files().iter().enumerate() {
        let src = std::fs::read(path).expect("reading a corpus file");
        let mutant = if i % 4 == 0 {
            let count = 1 + rng.below(12);
            mutate(&src, &mut rng, count)
        } else if !src.is_empty() {
            let start = rng.below(src.len());
            let end = (start + 1 + rng.below(300)).min(src.len());
            let count = 1 + rng.below(20);
            mutate(&src[start..end], &mut rng, count)
        } else {
            continue;
        };
        let out = dir.join(format!("m{i:05}.go"));
        std::fs::write(&out, mutant).expect("writing a mutant");
        files.push(out);
    }
    let totals = compare("mutants", &files);
    assert!(
        totals.errors > 1000,
        "the mutants should exercise the error paths"
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

/// Short files made only of fragments: dense in errors and odd combinations.
#[test]
fn lexer_matches_go_scanner_on_fragment_soup() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lexer_soup");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("cannot create the soup directory");
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut files = Vec::new();
    for i in 0..4000 {
        let mut src = Vec::new();
        for _ in 0..rng.below(40) {
            src.extend_from_slice(FRAGMENTS[rng.below(FRAGMENTS.len())]);
            if rng.below(4) == 0 {
                src.extend_from_slice(b"x9");
            }
        }
        let out = dir.join(format!("s{i:05}.go"));
        std::fs::write(&out, src).expect("writing a soup file");
        files.push(out);
    }
    let totals = compare("soup", &files);
    assert!(totals.errors > 10_000, "the soup should be full of errors");
}
