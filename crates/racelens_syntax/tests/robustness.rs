//! The parser never panics and never hangs: token soups, truncations and random bytes from a
//! fixed-seed generator all give a tree whose spans lie inside the source, and a broken
//! prefix does not hide later code.

use racelens_syntax::ast::{DeclKind, File, Span};
use racelens_syntax::SyntaxError;

/// Parses `src` and checks that every span of the tree lies inside the source.
fn parse(src: &[u8]) -> (File, Vec<SyntaxError>) {
    let (file, errors) = racelens_syntax::parse(src);
    let len = src.len() as u32;
    let ok = |s: Span| s.start <= s.end && s.end <= len;
    assert!(ok(file.span), "file {:?}", file.span);
    assert!(file.idents.iter().all(|n| ok(n.span)));
    assert!(file.exprs.iter().all(|n| ok(n.span)));
    assert!(file.stmts.iter().all(|n| ok(n.span)));
    assert!(file.decl_arena.iter().all(|n| ok(n.span)));
    assert!(file.specs.iter().all(|n| ok(n.span)));
    assert!(file.fields.iter().all(|n| ok(n.span)));
    assert!(file.field_lists.iter().all(|n| ok(n.span)));
    assert!(errors.iter().all(|e| e.offset <= len));
    (file, errors)
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
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

const PIECES: &[&str] = &[
    "package",
    "p",
    "import",
    "\"fmt\"",
    "func",
    "f",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ",",
    ";",
    "\n",
    ":",
    ":=",
    "=",
    "+",
    "-",
    "*",
    "&",
    "<-",
    "...",
    ".",
    "~",
    "|",
    "x",
    "T",
    "int",
    "1",
    "2.5",
    "'c'",
    "`raw`",
    "var",
    "const",
    "type",
    "struct",
    "interface",
    "map",
    "chan",
    "go",
    "defer",
    "return",
    "if",
    "else",
    "for",
    "range",
    "switch",
    "case",
    "default",
    "select",
    "break",
    "continue",
    "goto",
    "fallthrough",
    "any",
    "/* c */",
    "// c\n",
    "==",
    "!",
    "++",
    "--",
    "+=",
    " ",
];

const SAMPLE: &str = r#"package p

import "sync"

type Cache[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]V
}

func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func run(ch chan<- int, done <-chan struct{}) {
	for i := range 10 {
		select {
		case ch <- i:
		case <-done:
			return
		}
	}
	go func() { _ = []int{1, 2}[0:1:2] }()
}
"#;

#[test]
fn token_soup() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let n = rng.below(200);
        let mut src = String::from("package p\n");
        for _ in 0..n {
            src.push_str(PIECES[rng.below(PIECES.len())]);
            src.push(' ');
        }
        let (file, _) = parse(src.as_bytes());
        assert!(file.name.is_some());
    }
}

#[test]
fn truncations_and_splices() {
    let bytes = SAMPLE.as_bytes();
    for cut in 0..bytes.len() {
        let (_, errors) = parse(&bytes[..cut]);
        // Every proper prefix that ends inside a declaration is an error; the check is
        // only that parsing terminates and reports something for most of them.
        let _ = errors;
        let mut spliced = bytes[..cut].to_vec();
        spliced.extend_from_slice(&bytes[(cut + 7).min(bytes.len())..]);
        parse(&spliced);
    }
    let (_, errors) = parse(&bytes[..bytes.len() / 2]);
    assert!(!errors.is_empty());
}

#[test]
fn random_bytes() {
    let mut rng = Rng(42);
    for _ in 0..2000 {
        let n = rng.below(300);
        let src: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
        parse(&src);
        // Mostly printable bytes reach deeper into the parser.
        let src: Vec<u8> = (0..n)
            .map(|_| b" \n(){}[]xy:=.,;*&<-+func"[rng.below(24)])
            .collect();
        parse(&src);
    }
}

#[test]
fn garbage_then_good_function() {
    let mut rng = Rng(7);
    for _ in 0..300 {
        let mut src = String::from("package p\nfunc bad() {\n");
        for _ in 0..rng.below(30) {
            src.push_str(PIECES[rng.below(PIECES.len())]);
            src.push(' ');
        }
        src.push_str("\n}\n}\n}\n\nfunc good() { return }\n");
        let (file, _) = parse(src.as_bytes());
        let has_good = file.decls.iter().any(|&d| {
            matches!(&file[d].kind, DeclKind::Func { name, body: Some(_), .. }
                if file.ident_name(*name) == "good")
        });
        assert!(has_good, "lost `good` after:\n{src}");
    }
}

#[test]
fn file_too_large() {
    // calloc'ed zero pages: the parser must refuse the input before reading it.
    let src = vec![0u8; u32::MAX as usize];
    let (file, errors) = parse(&src);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].message, "file too large");
    assert!(file.decls.is_empty() && file.source.is_empty());
}
