//! Corpus robustness: every file of the Go standard library, truncated and mutated at random,
//! and very large inputs parse without a panic and within a time bound proportional to their
//! size. (Token soups and random bytes are in `robustness.rs`.)
//!
//! The time bound is a hang detector (a generous linear budget), not a speed target; speed is
//! measured by `scripts/bench-parse.sh`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const STDLIB: &str = "/usr/lib/go-1.19/src";

/// A small deterministic generator (xorshift64*), so failures reproduce from the printed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Bytes that are most likely to confuse a Go lexer or parser when inserted.
const INTERESTING: &[u8] = b"{}()[]\"'`/*\n;:=.,<-~&|^!0x_\\\x00\xff\xc3\xef\xbb\xbf";

fn mutate(src: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = src.to_vec();
    match rng.below(5) {
        0 => out.truncate(rng.below(src.len() + 1)),
        1 => {
            for _ in 0..1 + rng.below(8) {
                if out.is_empty() {
                    break;
                }
                let at = rng.below(out.len());
                out[at] = INTERESTING[rng.below(INTERESTING.len())];
            }
        }
        2 => {
            let at = rng.below(out.len() + 1);
            let len = rng.below(64).min(out.len() - at);
            out.drain(at..at + len);
        }
        3 => {
            let at = rng.below(out.len() + 1);
            let len = rng.below(256).min(out.len() - at);
            let chunk = out[at..at + len].to_vec();
            let to = rng.below(out.len() + 1);
            out.splice(to..to, chunk);
        }
        _ => {
            let at = rng.below(out.len() + 1);
            let b = (rng.next() & 0xff) as u8;
            out.insert(at, b);
            out.truncate(rng.below(out.len() + 1).max(at));
        }
    }
    out
}

/// Generous linear budget: a hang or a quadratic blow-up exceeds it, an ordinary slow
/// machine does not.
fn budget(len: usize) -> Duration {
    Duration::from_millis(500) + Duration::from_micros(len as u64 * 2)
}

fn parse_checked(what: &str, src: &[u8]) {
    let start = Instant::now();
    let (file, errors) = racelens_syntax::parse(src);
    let took = start.elapsed();
    assert!(
        took <= budget(src.len()),
        "{what}: parsing {} bytes took {took:?}",
        src.len()
    );
    // Errors and spans must point inside the input.
    let len = src.len() as u32;
    for e in &errors {
        assert!(
            e.offset <= len,
            "{what}: error offset {} past end {len}",
            e.offset
        );
        assert!(!e.message.is_empty(), "{what}: empty error message");
    }
    for expr in &file.exprs {
        assert!(
            expr.span.start <= expr.span.end && expr.span.end <= len,
            "{what}: expression span {:?} outside 0..{len}",
            expr.span
        );
    }
    for stmt in &file.stmts {
        assert!(
            stmt.span.start <= stmt.span.end && stmt.span.end <= len,
            "{what}: statement span {:?} outside 0..{len}",
            stmt.span
        );
    }
    // The dump walks the whole tree, so every id in it must be valid.
    let _ = racelens_syntax::dump::dump(&file);
}

fn go_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            go_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "go") {
            out.push(path);
        }
    }
}

fn stdlib_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    go_files(Path::new(STDLIB), &mut files);
    assert!(
        files.len() > 5000,
        "the Go 1.19 standard library source is missing under {STDLIB}: \
         run `apt-get install -y golang-1.19-src`"
    );
    files
}

#[test]
fn mutated_stdlib_files_parse_without_panic() {
    let files = stdlib_files();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut parsed = 0usize;
    for path in &files {
        let Ok(src) = std::fs::read(path) else {
            continue;
        };
        for round in 0..2 {
            let seed = rng.0;
            let mutated = mutate(&src, &mut rng);
            parse_checked(
                &format!("{} (round {round}, seed {seed:#x})", path.display()),
                &mutated,
            );
            parsed += 1;
        }
    }
    assert!(parsed >= files.len(), "parsed only {parsed} mutated files");
}

#[test]
fn huge_file_parses_in_linear_time() {
    // About 20 MB of ordinary code in one file.
    let mut src = String::from("package huge\n\n");
    let mut i = 0;
    while src.len() < 20 << 20 {
        src.push_str(&format!(
            "func f{i}(a, b int) (int, error) {{\n\tif a > b {{\n\t\treturn a - b, nil\n\t}}\n\tm := map[string]int{{\"k\": a}}\n\treturn m[\"k\"] + b, nil\n}}\n\n"
        ));
        i += 1;
    }
    parse_checked("huge file", src.as_bytes());
    let (file, errors) = racelens_syntax::parse(src.as_bytes());
    assert!(
        errors.is_empty(),
        "unexpected errors: {:?}",
        &errors[..errors.len().min(3)]
    );
    assert_eq!(file.decls.len(), i);
}

#[test]
fn long_single_line_and_long_literals() {
    let mut src = String::from("package p\nvar s = \"");
    src.push_str(&"a".repeat(5 << 20));
    src.push_str("\"\nvar x = 1");
    // Below go/parser's nesting limit of 100 000, which also counts the operators of a
    // binary chain: a longer chain is a syntax error, as with go/parser.
    src.push_str(&" + 1".repeat(99_000));
    src.push('\n');
    parse_checked("long line", src.as_bytes());
    let (_, errors) = racelens_syntax::parse(src.as_bytes());
    assert!(
        errors.is_empty(),
        "unexpected errors: {:?}",
        &errors[..errors.len().min(3)]
    );
}
