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
    // The rest: a `go` keyword, or `.Go(`, `.TryGo(`, `.AfterFunc(`.
    let called = |t: Token| matches!(text(t), "Go" | "TryGo" | "AfterFunc");
    let (mut before, mut last) = (tok, tok);
    let mut spawns = false;
    while tok.kind != T::Eof && !spawns {
        spawns = tok.kind == T::Go
            || (tok.kind == T::LParen
                && before.kind == T::Period
                && last.kind == T::Ident
                && called(last));
        (before, last) = (last, tok);
        tok = lx.next_token();
    }
    Scan { imports, spawns }
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
