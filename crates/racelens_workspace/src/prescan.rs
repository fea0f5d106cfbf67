//! What the run learns of a file from its tokens, without parsing it: the paths it imports
//! and whether it may start goroutines. The run scans test files so, and parses them only
//! when their package is checked; both facts only steer its work (which summaries are made
//! ahead, which resolutions are shared), never its results.

use racelens_syntax::lexer::Lexer;
use racelens_syntax::token::{Token, TokenKind as T};

/// What a scan found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Scan {
    /// The import paths, in order, as written (without quotes), but for blank imports
    /// (`import _ "p"`), which use nothing the package declares.
    pub imports: Vec<String>,
    /// Whether the file has a `go` statement or calls a method named `Go`, `TryGo` or
    /// `AfterFunc`: what `racelens_model::file_starts_goroutines` finds in the tree, except
    /// for a parenthesized callee (`(g.Go)(f)`).
    pub spawns: bool,
}

/// Scans the tokens of an unparsed file for its imports and goroutine starts.
pub fn scan(src: &[u8]) -> Scan {
    let mut imports = Vec::new();
    // The lexer's offsets are u32 (the parser refuses such a file too).
    if src.len() > (u32::MAX - 1) as usize {
        return Scan::default();
    }
    let mut lx = Lexer::new(src);
    let text = |t: Token| std::str::from_utf8(&src[t.start as usize..t.end as usize]).unwrap_or("");
    let mut tok = lx.next_token();
    // The package clause, then the import declarations.
    if tok.kind == T::Package {
        tok = lx.next_token();
        if tok.kind == T::Ident {
            tok = lx.next_token();
        }
    }
    let mut spec = |tok: Token, lx: &mut Lexer<'_>| {
        // `[name | .] "path"`
        let blank = tok.kind == T::Ident && text(tok) == "_";
        let tok = match tok.kind {
            T::Ident | T::Period => lx.next_token(),
            _ => tok,
        };
        if tok.kind == T::String && !blank {
            imports.push(text(tok).trim_matches(|c| c == '"' || c == '`').to_string());
        }
    };
    loop {
        while tok.kind == T::Semicolon {
            tok = lx.next_token();
        }
        if tok.kind != T::Import {
            break;
        }
        tok = lx.next_token();
        if tok.kind == T::LParen {
            loop {
                tok = lx.next_token();
                match tok.kind {
                    T::RParen | T::Eof => break,
                    T::Semicolon => {}
                    _ => spec(tok, &mut lx),
                }
            }
        } else {
            spec(tok, &mut lx);
        }
        tok = lx.next_token();
    }
    // The rest, by substring search (lexing it would cost ten times more): a `go` keyword,
    // or `.Go(`, `.TryGo(`, `.AfterFunc(`.
    let spawns = tok.kind != T::Eof && starts_goroutines(&src[tok.start as usize..]);
    Scan { imports, spawns }
}

/// Whether `code` holds the keyword `go` or a call `.Go(`, `.TryGo(` or `.AfterFunc(`
/// outside comments and literals (written as gofmt writes them: no space around the dot or
/// before the parenthesis). The candidates are found by substring search, and only the
/// comments and literals before the last of them are stepped over, so that most of the
/// text is never looked at byte by byte.
fn starts_goroutines(code: &[u8]) -> bool {
    let candidates = candidates(code);
    let mut next = candidates.iter().copied().peekable();
    let mut at = 0;
    while let Some(&c) = next.peek() {
        let special = next_special(code, at);
        if c < special {
            return true;
        }
        // Skip the comment or literal at `special` and the candidates inside it.
        at = skip(code, special);
        while next.next_if(|&c| c < at).is_some() {}
    }
    false
}

/// Where the keyword `go` (a whole word) and the names of `.Go(`, `.TryGo(` and
/// `.AfterFunc(` are in `code`, in order.
fn candidates(code: &[u8]) -> Vec<usize> {
    use memchr::memmem::find_iter;
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    let before = |at: usize| at.checked_sub(1).map(|i| code[i]);
    let mut out: Vec<usize> = find_iter(code, b"go")
        .filter(|&at| {
            !before(at).is_some_and(is_word) && !code.get(at + 2).copied().is_some_and(is_word)
        })
        .collect();
    out.extend(find_iter(code, b"Go(").filter_map(|at| match before(at) {
        Some(b'.') => Some(at),
        Some(b'y') if at >= 4 && &code[at - 4..at] == b".Try" => Some(at - 3),
        _ => None,
    }));
    out.extend(find_iter(code, b"AfterFunc(").filter(|&at| before(at) == Some(b'.')));
    out.sort_unstable();
    out
}

/// Where the next comment or literal could start in `code` at or after `at` (a `/`, a quote
/// or a backquote), or its length.
fn next_special(code: &[u8], at: usize) -> usize {
    let rest = &code[at..];
    let a = memchr::memchr3(b'/', b'"', b'`', rest).unwrap_or(rest.len());
    let b = memchr::memchr(b'\'', &rest[..a]).unwrap_or(a);
    at + b
}

/// The end of the comment or literal that starts at `at` (just past `at` for a lone `/`).
fn skip(code: &[u8], at: usize) -> usize {
    let n = code.len();
    let from = |i: usize| code.get(i..).unwrap_or_default();
    match (code[at], code.get(at + 1)) {
        (b'/', Some(b'/')) => memchr::memchr(b'\n', from(at)).map_or(n, |k| at + k),
        (b'/', Some(b'*')) => {
            memchr::memmem::find(from(at + 2), b"*/").map_or(n, |k| at + 2 + k + 2)
        }
        (b'`', _) => memchr::memchr(b'`', from(at + 1)).map_or(n, |k| at + 1 + k + 1),
        (q @ (b'"' | b'\''), _) => {
            // To the closing quote, over escapes; a newline ends a broken literal.
            let mut i = at + 1;
            loop {
                match memchr::memchr3(q, b'\\', b'\n', from(i)) {
                    Some(k) if code[i + k] == b'\\' => i += k + 2,
                    Some(k) => break i + k + 1,
                    None => break n,
                }
            }
        }
        _ => at + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::{scan, Scan};

    fn imports(s: &Scan) -> Vec<&str> {
        s.imports.iter().map(String::as_str).collect()
    }

    #[test]
    fn import_declarations_of_every_form() {
        let s = scan(
            b"// Package p.\npackage p_test\n\nimport \"fmt\"\nimport (\n\t\"sync\"\n\tx \"example.com/x\"\n\t. \"strings\"\n\t_ `embed`\n)\nimport y \"example.com/y\"\n\nfunc F() { fmt.Println() }\n",
        );
        assert_eq!(
            imports(&s),
            ["fmt", "sync", "example.com/x", "strings", "example.com/y"]
        );
        assert!(!s.spawns);
    }

    #[test]
    fn goroutine_starts_are_found_in_code_only() {
        let starts = [
            "go f()",
            "go func() {}()",
            "g.Go(func() error { return nil })",
            "wg.Go(f)",
            "g.TryGo(f)",
            "time.AfterFunc(d, f)",
            "_ = '\\''; s := \"\\\"\"; go f()",
            "_ = `\\`; go f()",
        ];
        for body in starts {
            let src = format!("package p\n\nfunc F() {{\n\t{body}\n}}\n");
            assert!(scan(src.as_bytes()).spawns, "{body}");
        }
        let quiet = [
            "// go f()",
            "/* g.Go(f) */",
            "s := \"go f()\"",
            "Go(f)",
            "x.Gopher(f)",
            "x.Go[int](f)",
            "goFast()",
            "s := `go f()`",
            "s := '\\'' + \"x.Go(f)\"",
            "gö()",
        ];
        for body in quiet {
            let src = format!("package p\n\nfunc F() {{\n\t{body}\n}}\n");
            assert!(!scan(src.as_bytes()).spawns, "{body}");
        }
    }

    #[test]
    fn every_truncation_of_a_file_scans_without_panicking() {
        let src = "package p\n\nimport (\n\t\"sync\"\n)\n\n/* a\n*/ // b\nvar s = `x\ny` + \"q\\\"\" + string('\\'')\n\nfunc F(g *G) {\n\tg.Go(f)\n\tgo f()\n}\n";
        let full = scan(src.as_bytes());
        assert_eq!(imports(&full), ["sync"]);
        assert!(full.spawns);
        for end in 0..src.len() {
            let s = scan(&src.as_bytes()[..end]);
            // A prefix never finds more than the whole file.
            assert!(s.imports.len() <= 1 && (!s.spawns || end > src.find("g.Go").unwrap()));
        }
    }

    #[test]
    fn broken_input_gives_what_it_can() {
        assert_eq!(scan(b""), Scan::default());
        assert_eq!(scan(b"\xff\xfe import ("), Scan::default());
        let s = scan(b"package p\nimport (\n\"a\"\n");
        assert_eq!(imports(&s), ["a"]);
    }
}
