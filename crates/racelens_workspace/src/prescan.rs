//! What the run learns of a file from its tokens, without parsing it: the paths it imports
//! and whether it may start goroutines. The run scans test files so, and parses them only
//! when their package is checked; both facts only steer its work (which summaries are made
//! ahead, which resolutions are shared), never its results.

use racelens_syntax::lexer::Lexer;
use racelens_syntax::token::{Token, TokenKind as T};

/// What a scan found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Scan {
    /// The import paths, in order, as written (without quotes).
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
        let tok = match tok.kind {
            T::Ident | T::Period => lx.next_token(),
            _ => tok,
        };
        if tok.kind == T::String {
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
    // The rest, byte by byte (lexing it costs ten times more): a `go` keyword, or `.Go(`,
    // `.TryGo(`, `.AfterFunc(`.
    let spawns = tok.kind != T::Eof && starts_goroutines(&src[tok.start as usize..]);
    Scan { imports, spawns }
}

/// Whether `code` holds the keyword `go` or a call `.Go(`, `.TryGo(` or `.AfterFunc(`
/// outside comments and literals (written as gofmt writes them: no space around the dot or
/// before the parenthesis).
fn starts_goroutines(code: &[u8]) -> bool {
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    let n = code.len();
    let mut i = 0;
    while i < n {
        let c = code[i];
        match c {
            b'/' if code.get(i + 1) == Some(&b'/') => {
                i = code[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(n, |k| i + k);
            }
            b'/' if code.get(i + 1) == Some(&b'*') => {
                i = code[i + 2..]
                    .windows(2)
                    .position(|w| w == b"*/")
                    .map_or(n, |k| i + 2 + k + 2);
            }
            b'`' => {
                i = code[i + 1..]
                    .iter()
                    .position(|&c| c == b'`')
                    .map_or(n, |k| i + 1 + k + 1);
            }
            b'"' | b'\'' => {
                // To the closing quote, over escapes; a newline ends a broken literal.
                i += 1;
                while i < n && code[i] != c && code[i] != b'\n' {
                    i += if code[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            c if is_word(c) => {
                let start = i;
                while i < n && is_word(code[i]) {
                    i += 1;
                }
                let word = &code[start..i];
                if word == b"go" {
                    return true;
                }
                if matches!(word, b"Go" | b"TryGo" | b"AfterFunc")
                    && start > 0
                    && code[start - 1] == b'.'
                    && code.get(i) == Some(&b'(')
                {
                    return true;
                }
            }
            _ => i += 1,
        }
    }
    false
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
            [
                "fmt",
                "sync",
                "example.com/x",
                "strings",
                "embed",
                "example.com/y"
            ]
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
    fn broken_input_gives_what_it_can() {
        assert_eq!(scan(b""), Scan::default());
        assert_eq!(scan(b"\xff\xfe import ("), Scan::default());
        let s = scan(b"package p\nimport (\n\"a\"\n");
        assert_eq!(imports(&s), ["a"]);
    }
}
