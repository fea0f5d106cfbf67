//! The Go lexer: bytes to tokens exactly as Go 1.19's go/scanner (mode ScanComments) makes
//! them, with automatic semicolon insertion and go/parser's comment grouping.
//!
//! The scanner is a port of go/scanner's state machine (`ch`, `offset`, `rdOffset`), so error
//! messages, their offsets and even their duplicates (go/scanner reports a bad character twice
//! when `findLineEnd` reads ahead over it) come out the same. Hot loops (identifiers, comment,
//! string and whitespace bodies) skip plain ASCII bytes without decoding them; they hand every
//! other byte to `next`, which is where go/scanner reports NUL, invalid UTF-8 and stray BOMs.
//! `next_token` starts with a small inlined fast path for the most frequent tokens (ASCII
//! identifiers, delimiters, simple operators, decimal integers, newline semicolons); the rest,
//! comments included, goes through the port. Identifier and whitespace runs are measured
//! eight bytes at a time, comment and string bodies searched with memchr.

use std::cell::Cell;

use crate::ast::{Comment, CommentGroup, Span};
use crate::token::{Token, TokenKind};
use crate::unicode_tables;
use crate::SyntaxError;

/// The value of `ch` at the end of the input.
const EOF: i32 = -1;
/// The byte order mark, only permitted as the very first character.
const BOM: i32 = 0xFEFF;
/// What an invalid UTF-8 byte decodes to, as in Go's `utf8.RuneError`.
const RUNE_ERROR: i32 = 0xFFFD;
const MAX_RUNE: u32 = 0x10FFFF;

/// Turns Go source bytes into tokens. See the module documentation.
pub struct Lexer<'a> {
    src: &'a [u8],
    /// The current character (a Unicode scalar value, `RUNE_ERROR` for a bad byte) or `EOF`.
    ch: i32,
    /// The offset of `ch`.
    offset: usize,
    /// The offset just after `ch`.
    rd: usize,
    /// Whether a newline (or the end of the file) before the next token is a semicolon.
    insert_semi: bool,
    errors: Vec<SyntaxError>,
    groups: Vec<CommentGroup>,
    /// The comments of the group being collected; kept to reuse its allocation.
    group: Vec<Comment>,
    /// The start of the previous non-comment token returned by `next_token`.
    prev: Option<u32>,
    /// A known (offset, 1-based line) pair, so that line numbers are counted incrementally.
    line_cursor: Cell<(u32, u32)>,
    /// Whether string escapes take the byte-level path (`fast_escapes`); tests turn it off
    /// to compare the two.
    fast_escapes_enabled: bool,
}

impl<'a> Lexer<'a> {
    /// A lexer over `src`, which must be at most `u32::MAX` bytes long.
    pub fn new(src: &'a [u8]) -> Self {
        let mut lexer = Lexer {
            src,
            ch: b' ' as i32,
            offset: 0,
            rd: 0,
            insert_semi: false,
            errors: Vec::new(),
            groups: Vec::new(),
            group: Vec::new(),
            prev: None,
            line_cursor: Cell::new((0, 1)),
            fast_escapes_enabled: true,
        };
        lexer.next();
        if lexer.ch == BOM {
            lexer.next(); // A BOM at the start of the file is ignored.
        }
        lexer
    }

    /// The next non-comment token, including automatically inserted semicolons
    /// (Token.implicit = true, empty range at go/scanner's position); after the end, Eof forever.
    #[inline]
    pub fn next_token(&mut self) -> Token {
        // A fast path for the most frequent tokens, small enough to be inlined into the
        // caller: ASCII identifiers and keywords, one-byte delimiters, a few operators, plain
        // decimal integers and semicolons inserted at a newline. Anything else, and anything
        // near a byte that `next` would report, goes through `scan`, comments included.
        // Each case leaves exactly the state go/scanner would.
        self.skip_whitespace();
        let start = self.offset;
        if let Ok(b) = u8::try_from(self.ch) {
            match FAST_CLASS[b as usize] {
                FastClass::Letter => {
                    let n = ascii_ident_len(&self.src[self.rd..]);
                    let end = self.rd + n;
                    // A NUL or non-ASCII byte may continue the identifier or be an error.
                    if self.src.get(end).is_none_or(|&b| b != 0 && b < 0x80) {
                        let kind = if n > 0 {
                            keyword(&self.src[start..end])
                        } else {
                            TokenKind::Ident
                        };
                        self.insert_semi = matches!(
                            kind,
                            TokenKind::Ident
                                | TokenKind::Break
                                | TokenKind::Continue
                                | TokenKind::Fallthrough
                                | TokenKind::Return
                        );
                        self.rd = end;
                        self.next();
                        return self.fast_token(kind, start);
                    }
                }
                FastClass::Delimiter(kind, insert_semi) => {
                    self.insert_semi = insert_semi;
                    self.next();
                    return self.fast_token(kind, start);
                }
                FastClass::OrAssign(kind, assign_kind) => {
                    // A one-byte operator, or the same followed by '=', that starts no other
                    // token (':' and ':=', '=' and '==', '*' and '*=', '!' and '!=').
                    self.insert_semi = false;
                    self.next();
                    let kind = if self.ch == b'=' as i32 {
                        self.next();
                        assign_kind
                    } else {
                        kind
                    };
                    return self.fast_token(kind, start);
                }
                FastClass::Period if !matches!(self.peek(), b'0'..=b'9' | b'.') => {
                    self.insert_semi = false;
                    self.next();
                    return self.fast_token(TokenKind::Period, start);
                }
                FastClass::Digit => {
                    // A plain decimal integer: digits not followed by anything that would
                    // continue the literal or make it octal, or by a byte `next` reports.
                    let rest = &self.src[self.rd..];
                    let n = rest
                        .iter()
                        .position(|b| !b.is_ascii_digit())
                        .unwrap_or(rest.len());
                    let end = self.rd + n;
                    let ends = self.src.get(end).is_none_or(|&b| {
                        b != 0
                            && b < 0x80
                            && !matches!(b, b'.' | b'_' | b'e' | b'E' | b'p' | b'P' | b'i')
                    });
                    if ends
                        && (b != b'0'
                            || (n == 0
                                && self.src.get(end).is_none_or(|b| !b.is_ascii_alphabetic())))
                    {
                        self.insert_semi = true;
                        self.rd = end;
                        self.next();
                        return self.fast_token(TokenKind::Int, start);
                    }
                }
                FastClass::Newline if self.insert_semi => {
                    self.insert_semi = false;
                    self.next();
                    self.prev = Some(start as u32);
                    return implicit_semicolon(start);
                }
                _ => {}
            }
        }
        self.next_token_slow()
    }

    #[inline(always)]
    fn fast_token(&mut self, kind: TokenKind, start: usize) -> Token {
        self.prev = Some(start as u32);
        Token {
            kind,
            start: start as u32,
            end: self.offset as u32,
            implicit: false,
        }
    }

    #[inline(never)]
    fn next_token_slow(&mut self) -> Token {
        // This mirrors go/parser's `next`: comments met here are grouped before the token that
        // follows them is returned. Lines are compared by counting the newlines between the
        // two offsets, which are close to each other.
        let mut tok = self.scan();
        if tok.kind == TokenKind::Comment {
            // The line of "no position" is 0, so the first comment of a file never joins the
            // line of a previous token.
            let same_line = self
                .prev
                .is_some_and(|p| !self.src[p as usize..tok.start as usize].contains(&b'\n'));
            if same_line {
                tok = self.consume_comment_group(tok, 0);
            }
            while tok.kind == TokenKind::Comment {
                tok = self.consume_comment_group(tok, 1);
            }
        }
        self.prev = Some(tok.start);
        tok
    }

    /// Declarations only (`parse_declarations`): the offset of the `}` that matches the `{`
    /// token at `open`, which must be the token `next_token` returned last; the lexer is then
    /// left just after that `}`, as if `next_token` had returned it. The bytes in between are
    /// searched, not scanned: only what can hide a brace is delimited, exactly as `scan`
    /// delimits it (interpreted strings and runes end at their quote, a newline or the end,
    /// a backslash escapes the next byte unless that is a newline; raw strings end at a
    /// backquote, `//` comments before a newline, `/*` comments after `*/`). Nothing in
    /// between is reported or collected: no errors, no comment groups, which callers of
    /// declarations do not use. `None`, with nothing moved, when the file ends first or a
    /// line starts with the keyword `func` in between: the parser's recovery for a function
    /// that an error left open decides there, so those are read token by token.
    pub fn skip_braces(&mut self, open: u32) -> Option<u32> {
        let src = self.src;
        let open = open as usize;
        if self.prev != Some(open as u32)
            || src.get(open) != Some(&b'{')
            || self.offset != (open + 1).min(src.len())
        {
            return None;
        }
        let mut depth = 1usize;
        let mut i = open + 1;
        loop {
            let rest = src.get(i..)?;
            i += rest.iter().position(|&b| SKIP_STOP[b as usize])?;
            match src[i] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                b'\n' if src[i + 1..].starts_with(b"func") => {
                    let after = src.get(i + 5).copied().unwrap_or(b' ');
                    if !(after.is_ascii_alphanumeric() || after == b'_') {
                        return None;
                    }
                }
                quote @ (b'"' | b'\'') => {
                    // To the closing quote (consumed), or to a newline or the end (not).
                    i += 1;
                    loop {
                        i += memchr::memchr3(quote, b'\\', b'\n', src.get(i..)?)?;
                        match src[i] {
                            b'\n' => break,
                            b'\\' if src.get(i + 1).is_some_and(|&b| b != b'\n') => i += 2,
                            b'\\' => i += 1,
                            _ => {
                                i += 1;
                                break;
                            }
                        }
                    }
                    continue;
                }
                b'`' => i += 1 + memchr::memchr(b'`', src.get(i + 1..)?)?,
                b'/' => match src.get(i + 1) {
                    Some(b'/') => {
                        // The newline, which ends the comment, is read next.
                        i += 2 + memchr::memchr(b'\n', src.get(i + 2..)?)?;
                        continue;
                    }
                    Some(b'*') => i += 3 + memchr::memmem::find(src.get(i + 2..)?, b"*/")?,
                    _ => {}
                },
                _ => {}
            }
            i += 1;
        }
        self.insert_semi = true;
        self.prev = Some(i as u32);
        self.rd = i + 1;
        self.next();
        Some(i as u32)
    }

    /// The comment groups collected so far (moves them out), grouped exactly like go/parser.
    pub fn take_comments(&mut self) -> Vec<CommentGroup> {
        std::mem::take(&mut self.groups)
    }

    /// The lexical errors so far (moves them out), with go/scanner's messages and offsets.
    pub fn take_errors(&mut self) -> Vec<SyntaxError> {
        std::mem::take(&mut self.errors)
    }

    /// The 1-based line of `offset` (one more than the number of `\n` bytes before it), as
    /// go/token counts lines when no `//line` directive intervenes. Offsets past the end count
    /// as the end. Cheap when successive queries are close to each other.
    pub fn line_of(&self, offset: u32) -> u32 {
        let offset = offset.min(self.src.len() as u32);
        let (at, line) = self.line_cursor.get();
        let line = if offset >= at {
            line + count_newlines(&self.src[at as usize..offset as usize])
        } else {
            line - count_newlines(&self.src[offset as usize..at as usize])
        };
        self.line_cursor.set((offset, line));
        line
    }

    /// go/parser's `consumeCommentGroup(n)`: collects `first` and the comments after it that
    /// start at most `n` lines after the previous one ends; returns the token after them.
    fn consume_comment_group(&mut self, first: Token, n: u32) -> Token {
        let mut tok = first;
        self.group.clear();
        // A comment ends on the line of its end offset: a `//` comment excludes its newline,
        // and a `/*` comment ends after `*/` (or at the end of the file). The next comment
        // joins the group if it starts at most `n` lines below that.
        while tok.kind == TokenKind::Comment
            && self.group.last().is_none_or(|last| {
                count_newlines(&self.src[last.span.end as usize..tok.start as usize]) <= n
            })
        {
            self.group.push(Comment {
                span: Span::new(tok.start, tok.end),
            });
            tok = self.scan();
        }
        let span = Span::new(
            self.group[0].span.start,
            self.group[self.group.len() - 1].span.end,
        );
        self.groups.push(CommentGroup {
            span,
            list: self.group.as_slice().into(),
        });
        tok
    }

    fn error(&mut self, offset: usize, message: impl Into<String>) {
        self.errors.push(SyntaxError {
            offset: offset as u32,
            message: message.into(),
        });
    }

    /// go/scanner's `next`: reads the next character into `ch`.
    #[inline(always)]
    fn next(&mut self) {
        if let Some(&b) = self.src.get(self.rd) {
            self.offset = self.rd;
            if b != 0 && b < 0x80 {
                self.ch = b as i32;
                self.rd += 1;
            } else {
                self.next_special(b);
            }
        } else {
            self.offset = self.src.len();
            self.ch = EOF;
        }
    }

    /// The part of `next` for NUL and non-ASCII bytes, which may report errors.
    #[cold]
    #[inline(never)]
    fn next_special(&mut self, b: u8) {
        if b == 0 {
            self.error(self.offset, "illegal character NUL");
            self.ch = 0;
            self.rd += 1;
            return;
        }
        let (r, w) = decode_rune(&self.src[self.rd..]);
        if r == RUNE_ERROR && w == 1 {
            self.error(self.offset, "illegal UTF-8 encoding");
        } else if r == BOM && self.offset > 0 {
            self.error(self.offset, "illegal byte order mark");
        }
        self.rd += w;
        self.ch = r;
    }

    /// Consumes the current character and then reads up to the first byte that `find` finds
    /// (or the end), which becomes the current character. `find` is a fast search (memchr);
    /// the bytes in between are only checked for NUL and non-ASCII, which are decoded one by
    /// one through `next` so that they are reported as go/scanner reports them. No valid UTF-8
    /// sequence contains an ASCII byte, so decoding never passes the found byte.
    #[inline(always)]
    fn skip_until(&mut self, find: impl Fn(&[u8]) -> Option<usize>) {
        let rest = &self.src[self.rd..];
        let end = self.rd + find(rest).unwrap_or(rest.len());
        if !all_plain(&self.src[self.rd..end]) {
            self.decode_until(end);
        }
        self.rd = end;
        self.next();
    }

    /// Reads the characters from `rd` to `end`, reporting NUL and bad encodings.
    #[cold]
    #[inline(never)]
    fn decode_until(&mut self, end: usize) {
        while let Some(i) = self.src[self.rd..end]
            .iter()
            .position(|&b| b == 0 || b >= 0x80)
        {
            self.rd += i;
            self.next();
        }
    }

    fn peek(&self) -> u8 {
        self.src.get(self.rd).copied().unwrap_or(0)
    }

    #[inline(always)]
    fn skip_whitespace(&mut self) {
        let nl = !self.insert_semi;
        // A bit test rather than comparisons, which compile to a poorly predicted jump table.
        let spaces = (1u64 << b' ') | (1 << b'\t') | (1 << b'\r') | ((nl as u64) << b'\n');
        let is_space = |b: u8| b <= b' ' && spaces >> b & 1 != 0;
        if (0..0x80).contains(&self.ch) && is_space(self.ch as u8) {
            // Most runs are a single space; longer ones (indentation) go eight at a time.
            let rest = &self.src[self.rd..];
            if rest.first().is_some_and(|&b| is_space(b)) {
                self.rd += space_len(rest, nl);
            }
            self.next();
        }
    }

    /// go/scanner's `Scan`, comments included. Inlined into its two callers: returning the
    /// token through memory from a call costs a store-forwarding stall per token.
    #[inline(always)]
    fn scan(&mut self) -> Token {
        self.skip_whitespace();
        let start = self.offset;
        let ch = self.ch;
        let mut insert_semi = false;
        let kind;
        if is_letter(ch) {
            self.scan_identifier();
            let word = &self.src[start..self.offset];
            if word.len() > 1 {
                // Keywords are longer than one letter.
                kind = keyword(word);
                insert_semi = matches!(
                    kind,
                    TokenKind::Ident
                        | TokenKind::Break
                        | TokenKind::Continue
                        | TokenKind::Fallthrough
                        | TokenKind::Return
                );
            } else {
                kind = TokenKind::Ident;
                insert_semi = true;
            }
        } else if is_decimal(ch) || ch == b'.' as i32 && self.peek().is_ascii_digit() {
            insert_semi = true;
            kind = self.scan_number();
        } else {
            self.next(); // Always make progress.
            if ch == EOF {
                if self.insert_semi {
                    self.insert_semi = false;
                    return implicit_semicolon(start);
                }
                kind = TokenKind::Eof;
            } else if ch >= 0x80 {
                kind = self.illegal(start, ch);
                insert_semi = self.insert_semi;
            } else {
                use TokenKind::*;
                kind = match ch as u8 {
                    b'\n' => {
                        // Only reached when `insert_semi` stopped `skip_whitespace`.
                        self.insert_semi = false;
                        return implicit_semicolon(start);
                    }
                    b'"' => {
                        insert_semi = true;
                        self.scan_string();
                        String
                    }
                    b'\'' => {
                        insert_semi = true;
                        self.scan_rune();
                        Char
                    }
                    b'`' => {
                        insert_semi = true;
                        self.scan_raw_string();
                        String
                    }
                    b':' => self.switch2(Colon, Define),
                    b'.' => {
                        // Fractions starting with a '.' are handled above.
                        if self.ch == b'.' as i32 && self.peek() == b'.' {
                            self.next();
                            self.next();
                            Ellipsis
                        } else {
                            Period
                        }
                    }
                    b',' => Comma,
                    b';' => Semicolon,
                    b'(' => LParen,
                    b')' => {
                        insert_semi = true;
                        RParen
                    }
                    b'[' => LBrack,
                    b']' => {
                        insert_semi = true;
                        RBrack
                    }
                    b'{' => LBrace,
                    b'}' => {
                        insert_semi = true;
                        RBrace
                    }
                    b'+' => {
                        let k = self.switch3(Add, AddAssign, b'+', Inc);
                        insert_semi = k == Inc;
                        k
                    }
                    b'-' => {
                        let k = self.switch3(Sub, SubAssign, b'-', Dec);
                        insert_semi = k == Dec;
                        k
                    }
                    b'*' => self.switch2(Mul, MulAssign),
                    b'/' => {
                        if self.ch == b'/' as i32 || self.ch == b'*' as i32 {
                            if self.insert_semi && self.find_line_end() {
                                // The semicolon sits at the comment, which is scanned next.
                                self.ch = b'/' as i32;
                                self.offset = start;
                                self.rd = start + 1;
                                self.insert_semi = false;
                                return implicit_semicolon(start);
                            }
                            self.scan_comment();
                            Comment
                        } else {
                            self.switch2(Quo, QuoAssign)
                        }
                    }
                    b'%' => self.switch2(Rem, RemAssign),
                    b'^' => self.switch2(Xor, XorAssign),
                    b'<' => {
                        if self.ch == b'-' as i32 {
                            self.next();
                            Arrow
                        } else {
                            self.switch4(Lss, Leq, b'<', Shl, ShlAssign)
                        }
                    }
                    b'>' => self.switch4(Gtr, Geq, b'>', Shr, ShrAssign),
                    b'=' => self.switch2(Assign, Eql),
                    b'!' => self.switch2(Not, Neq),
                    b'&' => {
                        if self.ch == b'^' as i32 {
                            self.next();
                            self.switch2(AndNot, AndNotAssign)
                        } else {
                            self.switch3(And, AndAssign, b'&', LAnd)
                        }
                    }
                    b'|' => self.switch3(Or, OrAssign, b'|', LOr),
                    b'~' => Tilde,
                    _ => {
                        insert_semi = self.insert_semi;
                        self.illegal(start, ch)
                    }
                };
            }
        }
        self.insert_semi = insert_semi;
        Token {
            kind,
            start: start as u32,
            end: self.offset as u32,
            implicit: false,
        }
    }

    /// Reports an illegal character (`next` already reported a stray BOM).
    #[cold]
    fn illegal(&mut self, start: usize, ch: i32) -> TokenKind {
        if ch != BOM {
            self.error(start, format!("illegal character {}", format_unicode(ch)));
        }
        TokenKind::Illegal
    }

    fn switch2(&mut self, tok0: TokenKind, tok1: TokenKind) -> TokenKind {
        if self.ch == b'=' as i32 {
            self.next();
            return tok1;
        }
        tok0
    }

    fn switch3(&mut self, tok0: TokenKind, tok1: TokenKind, ch2: u8, tok2: TokenKind) -> TokenKind {
        if self.ch == b'=' as i32 {
            self.next();
            return tok1;
        }
        if self.ch == ch2 as i32 {
            self.next();
            return tok2;
        }
        tok0
    }

    fn switch4(
        &mut self,
        tok0: TokenKind,
        tok1: TokenKind,
        ch2: u8,
        tok2: TokenKind,
        tok3: TokenKind,
    ) -> TokenKind {
        if self.ch == b'=' as i32 {
            self.next();
            return tok1;
        }
        if self.ch == ch2 as i32 {
            self.next();
            if self.ch == b'=' as i32 {
                self.next();
                return tok3;
            }
            return tok2;
        }
        tok0
    }

    /// Reads the identifier that starts with the letter `ch`.
    #[inline(always)]
    fn scan_identifier(&mut self) {
        // The common case is an ASCII identifier: skip its bytes without decoding them.
        let rest = &self.src[self.rd..];
        let n = rest
            .iter()
            .position(|&b| !is_ascii_ident_byte(b))
            .unwrap_or(rest.len());
        self.rd += n;
        match self.src.get(self.rd) {
            Some(&b) if b != 0 && b < 0x80 => {
                self.offset = self.rd;
                self.ch = b as i32;
                self.rd += 1;
            }
            None => self.next(),
            Some(_) => self.scan_identifier_rest(),
        }
    }

    /// The rest of an identifier from a NUL or non-ASCII byte on.
    #[cold]
    #[inline(never)]
    fn scan_identifier_rest(&mut self) {
        self.next();
        while is_letter(self.ch) || is_digit(self.ch) {
            self.next();
        }
    }

    /// go/scanner's `digits`: accepts `{ digit | '_' }` and returns bit 0 if digits were
    /// present, bit 1 if separators were. For bases up to 10 it accepts any decimal digit but
    /// records the offset of the first one too large for the base in `invalid`.
    ///
    /// All accepted characters are ASCII, so the run is read as bytes and `next` is called
    /// once, for the character after it.
    fn digits(&mut self, base: u8, invalid: &mut Option<usize>) -> u32 {
        let accepts = |b: u8| {
            b == b'_'
                || if base <= 10 {
                    b.is_ascii_digit()
                } else {
                    b.is_ascii_hexdigit()
                }
        };
        if !(0..0x80).contains(&self.ch) || !accepts(self.ch as u8) {
            return 0;
        }
        let mut digsep = 0;
        let mut i = self.offset; // `ch` is ASCII, so it is the byte at `offset`.
        while let Some(&b) = self.src.get(i).filter(|&&b| accepts(b)) {
            if b == b'_' {
                digsep |= 2;
            } else {
                digsep |= 1;
                if base <= 10 && b >= b'0' + base && invalid.is_none() {
                    *invalid = Some(i);
                }
            }
            i += 1;
        }
        self.rd = i;
        self.next();
        digsep
    }

    fn scan_number(&mut self) -> TokenKind {
        let offs = self.offset;
        let mut kind = TokenKind::Illegal;
        let mut base = 10;
        let mut prefix = 0u8; // One of 0 (decimal), '0' (legacy octal), 'x', 'o' or 'b'.
        let mut digsep = 0; // Bit 0: a digit is present; bit 1: a '_' is present.
        let mut invalid = None;

        // The integer part.
        if self.ch != b'.' as i32 {
            kind = TokenKind::Int;
            if self.ch == b'0' as i32 {
                self.next();
                match lower(self.ch) {
                    0x78 => {
                        self.next();
                        (base, prefix) = (16, b'x');
                    }
                    0x6F => {
                        self.next();
                        (base, prefix) = (8, b'o');
                    }
                    0x62 => {
                        self.next();
                        (base, prefix) = (2, b'b');
                    }
                    _ => {
                        (base, prefix) = (8, b'0');
                        digsep = 1; // The leading 0.
                    }
                }
            }
            digsep |= self.digits(base, &mut invalid);
        }

        // The fractional part.
        if self.ch == b'.' as i32 {
            kind = TokenKind::Float;
            if prefix == b'o' || prefix == b'b' {
                self.error(
                    self.offset,
                    format!("invalid radix point in {}", lit_name(prefix)),
                );
            }
            self.next();
            digsep |= self.digits(base, &mut invalid);
        }

        if digsep & 1 == 0 {
            self.error(self.offset, format!("{} has no digits", lit_name(prefix)));
        }

        // The exponent.
        let e = lower(self.ch);
        if e == b'e' as i32 || e == b'p' as i32 {
            let ch = self.ch as u8 as char;
            if e == b'e' as i32 && prefix != 0 && prefix != b'0' {
                self.error(
                    self.offset,
                    format!("'{ch}' exponent requires decimal mantissa"),
                );
            } else if e == b'p' as i32 && prefix != b'x' {
                self.error(
                    self.offset,
                    format!("'{ch}' exponent requires hexadecimal mantissa"),
                );
            }
            self.next();
            kind = TokenKind::Float;
            if self.ch == b'+' as i32 || self.ch == b'-' as i32 {
                self.next();
            }
            let ds = self.digits(10, &mut None);
            digsep |= ds;
            if ds & 1 == 0 {
                self.error(self.offset, "exponent has no digits");
            }
        } else if prefix == b'x' && kind == TokenKind::Float {
            self.error(self.offset, "hexadecimal mantissa requires a 'p' exponent");
        }

        // The imaginary suffix.
        if self.ch == b'i' as i32 {
            kind = TokenKind::Imag;
            self.next();
        }

        if kind == TokenKind::Int {
            if let Some(at) = invalid {
                let digit = self.src[at] as char;
                self.error(
                    at,
                    format!("invalid digit '{digit}' in {}", lit_name(prefix)),
                );
            }
        }
        if digsep & 2 != 0 {
            if let Some(i) = invalid_sep(&self.src[offs..self.offset]) {
                self.error(offs + i, "'_' must separate successive digits");
            }
        }
        kind
    }

    /// go/scanner's `scanEscape`: reads the escape after a backslash. On an error it stops at
    /// the offending character, without consuming it, and returns false.
    fn scan_escape(&mut self, quote: u8) -> bool {
        let offs = self.offset;
        let (mut n, base, max): (u32, u32, u32) = match self.ch {
            c if c == quote as i32 => {
                self.next();
                return true;
            }
            0x61 | 0x62 | 0x66 | 0x6E | 0x72 | 0x74 | 0x76 | 0x5C => {
                // a b f n r t v and the backslash.
                self.next();
                return true;
            }
            0x30..=0x37 => (3, 8, 255),
            0x78 => {
                self.next();
                (2, 16, 255)
            }
            0x75 => {
                self.next();
                (4, 16, MAX_RUNE)
            }
            0x55 => {
                self.next();
                (8, 16, MAX_RUNE)
            }
            c => {
                let msg = if c < 0 {
                    "escape sequence not terminated"
                } else {
                    "unknown escape sequence"
                };
                self.error(offs, msg);
                return false;
            }
        };

        let mut x: u32 = 0;
        while n > 0 {
            let d = digit_val(self.ch);
            if d >= base {
                let msg = if self.ch < 0 {
                    "escape sequence not terminated".to_string()
                } else {
                    format!(
                        "illegal character {} in escape sequence",
                        format_unicode(self.ch)
                    )
                };
                self.error(self.offset, msg);
                return false;
            }
            x = x.wrapping_mul(base).wrapping_add(d);
            self.next();
            n -= 1;
        }

        if x > max || (0xD800..0xE000).contains(&x) {
            self.error(offs, "escape sequence is invalid Unicode code point");
            return false;
        }
        true
    }

    /// Reads a rune literal; the opening quote is consumed.
    fn scan_rune(&mut self) {
        let offs = self.offset - 1;
        let mut valid = true;
        let mut n = 0;
        loop {
            let ch = self.ch;
            if ch == b'\n' as i32 || ch < 0 {
                // Only report an error if there is none already.
                if valid {
                    self.error(offs, "rune literal not terminated");
                    valid = false;
                }
                break;
            }
            self.next();
            if ch == b'\'' as i32 {
                break;
            }
            n += 1;
            if ch == b'\\' as i32 && !self.scan_escape(b'\'') {
                valid = false;
            }
        }
        if valid && n != 1 {
            self.error(offs, "illegal rune literal");
        }
    }

    /// Reads an interpreted string literal; the opening quote is consumed.
    fn scan_string(&mut self) {
        let offs = self.offset - 1;
        loop {
            match self.ch {
                EOF | 0x0A => {
                    self.error(offs, "string literal not terminated");
                    break;
                }
                0x22 => {
                    self.next();
                    break;
                }
                0x5C => {
                    self.next();
                    if !self.fast_escapes() {
                        self.scan_escape(b'"');
                    }
                }
                _ => self.skip_until(|s| memchr::memchr3(b'"', b'\\', b'\n', s)),
            }
        }
    }

    /// Reads, byte by byte, a run of well-formed escapes (`\x` and two hex digits, three
    /// octal digits up to `\377`, one of `abfnrtv\"`) and the few plain bytes between them, as
    /// data embedded in strings is written: `scan_escape` and `skip_until` per escape cost
    /// tens of nanoseconds each (a 1.4 MB literal of the standard library took 18 ms). `ch`
    /// is the character after a backslash. Anything else (another escape, a byte `next`
    /// reports, a newline, a long plain run) ends the run where the general path takes
    /// over: `false` when that is an escape's first character, which `scan_escape` must
    /// then read; `true` when the escape was read and `ch` is what follows it. Either way
    /// the state, and the errors reported, are what the general path alone gives.
    fn fast_escapes(&mut self) -> bool {
        if !self.fast_escapes_enabled {
            return false;
        }
        let src = self.src;
        let octal = |b: u8| (b'0'..=b'7').contains(&b);
        let mut p = self.offset;
        loop {
            // `p` is the character after a backslash.
            let len = match src.get(p..p + 3) {
                Some([b'x', h, l]) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => 3,
                Some([b'0'..=b'3', m, l]) if octal(*m) && octal(*l) => 3,
                _ => match src.get(p) {
                    Some(b'a' | b'b' | b'f' | b'n' | b'r' | b't' | b'v' | b'\\' | b'"') => 1,
                    _ => {
                        // The first escape is the current character already (read once:
                        // `next` reports what it finds).
                        if p != self.offset {
                            self.rd = p;
                            self.next();
                        }
                        return false;
                    }
                },
            };
            let mut q = p + len;
            // A few plain bytes up to the next backslash; a long run is left to `skip_until`.
            let stop = (q + 16).min(src.len());
            while q < stop && !matches!(src[q], b'"' | b'\\' | b'\n' | 0 | 0x80..) {
                q += 1;
            }
            if q < src.len() && src[q] == b'\\' {
                p = q + 1;
                continue;
            }
            self.rd = q;
            self.next();
            return true;
        }
    }

    /// Reads a raw string literal; the opening quote is consumed.
    fn scan_raw_string(&mut self) {
        let offs = self.offset - 1;
        loop {
            match self.ch {
                EOF => {
                    self.error(offs, "raw string literal not terminated");
                    break;
                }
                0x60 => {
                    self.next();
                    break;
                }
                _ => self.skip_until(|s| memchr::memchr(b'`', s)),
            }
        }
    }

    /// Reads a comment; its initial '/' is consumed and `ch` is '/' or '*'.
    fn scan_comment(&mut self) {
        let offs = self.offset - 1;
        let terminated;
        if self.ch == b'/' as i32 {
            // A `//` comment; the final newline is not part of it.
            self.skip_until(|s| memchr::memchr(b'\n', s));
            terminated = true;
        } else {
            self.next();
            loop {
                match self.ch {
                    EOF => {
                        self.error(offs, "comment not terminated");
                        terminated = false;
                        break;
                    }
                    0x2A => {
                        self.next();
                        if self.ch == b'/' as i32 {
                            self.next();
                            terminated = true;
                            break;
                        }
                    }
                    _ => self.skip_until(|s| memchr::memchr(b'*', s)),
                }
            }
        }
        if terminated {
            self.check_line_directive(offs);
        }
    }

    /// Reports go/scanner's errors for a malformed line directive in the comment at `offs`,
    /// which ends at `self.offset`. Line directives do not change our positions.
    fn check_line_directive(&mut self, offs: usize) {
        let src = self.src;
        let mut text = &src[offs..self.offset];
        let block = text[1] == b'*';
        if !block && text.last() == Some(&b'\r') {
            // A `//` comment line may end in "\r\n"; the '\r' is not part of the directive.
            text = &text[..text.len() - 1];
        }
        // A `//line` directive must start a line; a `/*line` one may be anywhere.
        let at_line_start = offs == 0 || src[offs - 1] == b'\n';
        if !(block || at_line_start) || !text[2..].starts_with(b"line ") {
            return;
        }
        if block {
            text = &text[..text.len() - 2];
        }
        let text = &text[7..];
        let offs = offs + 7;

        let (i, n, ok) = trailing_digits(text);
        if i == 0 {
            return; // Not a line directive.
        }
        if !ok {
            let msg = format!(
                "invalid line number: {}",
                String::from_utf8_lossy(&text[i..])
            );
            self.error(offs + i, msg);
            return;
        }
        // go/scanner caps lines and columns at 30 bits; it converts to a signed int first,
        // so values of 2^63 and more wrap to negative numbers and pass the check.
        const MAX_LINE_COL: i64 = (1 << 30) - 1;
        let (i2, n2, ok2) = trailing_digits(&text[..i - 1]);
        let (line, line_at, text) = if ok2 {
            // filename:line:col
            if n == 0 || n > MAX_LINE_COL {
                let msg = format!(
                    "invalid column number: {}",
                    String::from_utf8_lossy(&text[i..])
                );
                self.error(offs + i, msg);
                return;
            }
            (n2, i2, &text[..i - 1])
        } else {
            (n, i, text)
        };
        if line == 0 || line > MAX_LINE_COL {
            let msg = format!(
                "invalid line number: {}",
                String::from_utf8_lossy(&text[line_at..])
            );
            self.error(offs + line_at, msg);
        }
    }

    /// go/scanner's `findLineEnd`: whether the comments starting here (initial '/' consumed)
    /// are followed by a newline or the end of the file before any other token. Reads ahead
    /// and then restores the position, so bad characters in between are reported twice, as by
    /// go/scanner.
    fn find_line_end(&mut self) -> bool {
        let offs = self.offset - 1;
        let found = self.find_line_end_ahead();
        self.ch = b'/' as i32;
        self.offset = offs;
        self.rd = offs + 1;
        self.next(); // Consume the initial '/' again.
        found
    }

    fn find_line_end_ahead(&mut self) -> bool {
        while self.ch == b'/' as i32 || self.ch == b'*' as i32 {
            if self.ch == b'/' as i32 {
                return true; // A `//` comment always ends the line.
            }
            // A `/*` comment: look for a newline.
            self.next();
            loop {
                match self.ch {
                    EOF => break,
                    0x0A => return true,
                    0x2A => {
                        self.next();
                        if self.ch == b'/' as i32 {
                            self.next();
                            break;
                        }
                    }
                    _ => self.skip_until(|s| memchr::memchr2(b'*', b'\n', s)),
                }
            }
            self.skip_whitespace(); // `insert_semi` is set, so this stops at a newline.
            if self.ch < 0 || self.ch == b'\n' as i32 {
                return true;
            }
            if self.ch != b'/' as i32 {
                return false; // A non-comment token.
            }
            self.next(); // Consume the '/'.
        }
        false
    }
}

/// How `next_token`'s fast path treats a token's first byte.
#[derive(Clone, Copy)]
enum FastClass {
    Other,
    Letter,
    /// A one-byte token that no other token starts with, and whether a semicolon may follow.
    Delimiter(TokenKind, bool),
    /// A one-byte operator that becomes the second kind when '=' follows.
    OrAssign(TokenKind, TokenKind),
    Period,
    Digit,
    Newline,
}

/// The bytes `Lexer::skip_braces` stops at: braces, what opens a string, rune or comment,
/// and newlines (where a line may start with `func`).
static SKIP_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    let stops = b"{}\"'`/\n";
    while i < stops.len() {
        t[stops[i] as usize] = true;
        i += 1;
    }
    t
};

static FAST_CLASS: [FastClass; 256] = {
    let mut t = [FastClass::Other; 256];
    let mut b = 0;
    while b < 128 {
        if (b as u8).is_ascii_alphabetic() || b == b'_' as usize {
            t[b] = FastClass::Letter;
        }
        b += 1;
    }
    t[b'(' as usize] = FastClass::Delimiter(TokenKind::LParen, false);
    t[b')' as usize] = FastClass::Delimiter(TokenKind::RParen, true);
    t[b'[' as usize] = FastClass::Delimiter(TokenKind::LBrack, false);
    t[b']' as usize] = FastClass::Delimiter(TokenKind::RBrack, true);
    t[b'{' as usize] = FastClass::Delimiter(TokenKind::LBrace, false);
    t[b'}' as usize] = FastClass::Delimiter(TokenKind::RBrace, true);
    t[b',' as usize] = FastClass::Delimiter(TokenKind::Comma, false);
    t[b';' as usize] = FastClass::Delimiter(TokenKind::Semicolon, false);
    t[b'~' as usize] = FastClass::Delimiter(TokenKind::Tilde, false);
    t[b':' as usize] = FastClass::OrAssign(TokenKind::Colon, TokenKind::Define);
    t[b'=' as usize] = FastClass::OrAssign(TokenKind::Assign, TokenKind::Eql);
    t[b'*' as usize] = FastClass::OrAssign(TokenKind::Mul, TokenKind::MulAssign);
    t[b'!' as usize] = FastClass::OrAssign(TokenKind::Not, TokenKind::Neq);
    t[b'.' as usize] = FastClass::Period;
    let mut d = b'0';
    while d <= b'9' {
        t[d as usize] = FastClass::Digit;
        d += 1;
    }
    t[b'\n' as usize] = FastClass::Newline;
    t
};

/// The keywords, indexed through `KEYWORD_SLOT` by `keyword_hash`.
const KEYWORDS: [(&[u8], TokenKind); 25] = {
    use TokenKind::*;
    [
        (b"break", Break),
        (b"case", Case),
        (b"chan", Chan),
        (b"const", Const),
        (b"continue", Continue),
        (b"default", Default),
        (b"defer", Defer),
        (b"else", Else),
        (b"fallthrough", Fallthrough),
        (b"for", For),
        (b"func", Func),
        (b"go", Go),
        (b"goto", Goto),
        (b"if", If),
        (b"import", Import),
        (b"interface", Interface),
        (b"map", Map),
        (b"package", Package),
        (b"range", Range),
        (b"return", Return),
        (b"select", Select),
        (b"struct", Struct),
        (b"switch", Switch),
        (b"type", Type),
        (b"var", Var),
    ]
};

/// A hash of a word of at least two bytes that is distinct for every keyword (found by a
/// search over small multipliers).
#[inline(always)]
const fn keyword_hash(word: &[u8]) -> usize {
    (word[0] as usize + 4 * word[1] as usize + 6 * word.len()) & 63
}

/// For each hash value, the index in `KEYWORDS` of the keyword with that hash, or `u8::MAX`.
const KEYWORD_SLOT: [u8; 64] = {
    let mut slots = [u8::MAX; 64];
    let mut i = 0;
    while i < KEYWORDS.len() {
        let h = keyword_hash(KEYWORDS[i].0);
        assert!(slots[h] == u8::MAX, "keyword_hash must be collision-free");
        slots[h] = i as u8;
        i += 1;
    }
    slots
};

/// The keyword spelled `word` (at least two bytes), else `Ident`: `TokenKind::keyword` with one
/// table probe, as identifiers are the most frequent tokens.
#[inline(always)]
fn keyword(word: &[u8]) -> TokenKind {
    if word.len() <= 11 {
        if let Some((spelling, kind)) = KEYWORDS.get(KEYWORD_SLOT[keyword_hash(word)] as usize) {
            // A byte loop: these words are too short for a call to memcmp to pay.
            if spelling.len() == word.len() && (0..word.len()).all(|i| spelling[i] == word[i]) {
                return *kind;
            }
        }
    }
    TokenKind::Ident
}

fn implicit_semicolon(at: usize) -> Token {
    Token {
        kind: TokenKind::Semicolon,
        start: at as u32,
        end: at as u32,
        implicit: true,
    }
}

/// Whether `bytes` are all ASCII and not NUL; branch-free so that it vectorizes.
#[inline(always)]
fn all_plain(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .fold(0u8, |acc, &b| acc | b | b.wrapping_sub(1))
        & 0x80
        == 0
}

fn count_newlines(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u32
}

/// Go's `utf8.DecodeRune`: the first character of `s` (which is not empty) and its width;
/// `(RUNE_ERROR, 1)` when `s` does not start with a valid UTF-8 encoding.
fn decode_rune(s: &[u8]) -> (i32, usize) {
    let b0 = s[0];
    if b0 < 0x80 {
        return (b0 as i32, 1);
    }
    let cont = |i: usize, lo: u8, hi: u8| -> Option<u32> {
        let b = *s.get(i)?;
        (lo..=hi).contains(&b).then_some((b & 0x3F) as u32)
    };
    let decoded = match b0 {
        0xC2..=0xDF => cont(1, 0x80, 0xBF).map(|c1| (((b0 & 0x1F) as u32) << 6 | c1, 2)),
        0xE0..=0xEF => {
            let (lo, hi) = match b0 {
                0xE0 => (0xA0, 0xBF),
                0xED => (0x80, 0x9F),
                _ => (0x80, 0xBF),
            };
            cont(1, lo, hi).and_then(|c1| {
                let c2 = cont(2, 0x80, 0xBF)?;
                Some((((b0 & 0x0F) as u32) << 12 | c1 << 6 | c2, 3))
            })
        }
        0xF0..=0xF4 => {
            let (lo, hi) = match b0 {
                0xF0 => (0x90, 0xBF),
                0xF4 => (0x80, 0x8F),
                _ => (0x80, 0xBF),
            };
            cont(1, lo, hi).and_then(|c1| {
                let c2 = cont(2, 0x80, 0xBF)?;
                let c3 = cont(3, 0x80, 0xBF)?;
                Some((((b0 & 0x07) as u32) << 18 | c1 << 12 | c2 << 6 | c3, 4))
            })
        }
        _ => None,
    };
    match decoded {
        Some((r, w)) => (r as i32, w),
        None => (RUNE_ERROR, 1),
    }
}

/// Bytes that may continue an ASCII identifier.
static ASCII_IDENT: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    t
};

#[inline(always)]
fn is_ascii_ident_byte(b: u8) -> bool {
    ASCII_IDENT[b as usize]
}

/// The number of leading bytes of `s` that may continue an ASCII identifier. Eight bytes at a
/// time: most identifiers then take one step, whose exit the CPU predicts, where a byte loop
/// mispredicts its exit once per identifier.
#[inline(always)]
fn ascii_ident_len(s: &[u8]) -> usize {
    let mut i = 0;
    while let Some(chunk) = s.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap());
        let stop = !ascii_ident_bytes(word) & HIGH_BITS;
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let rest = &s[i..];
    i + rest
        .iter()
        .position(|&b| !is_ascii_ident_byte(b))
        .unwrap_or(rest.len())
}

const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The number of leading bytes of `s` that are ' ', '\t', '\r', or '\n' if `newlines`; eight
/// bytes at a time, like `ascii_ident_len`.
#[inline(always)]
fn space_len(s: &[u8], newlines: bool) -> usize {
    let newline = if newlines { b'\n' } else { b' ' };
    let mut i = 0;
    while let Some(chunk) = s.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap());
        let v = word & !HIGH_BITS;
        // The high bit set where a 7-bit byte of `v` equals `c`.
        let eq = |c: u8| !(v ^ splat(c)).wrapping_add(splat(0x7F));
        let space = (eq(b' ') | eq(b'\t') | eq(b'\r') | eq(newline)) & !word & HIGH_BITS;
        let stop = !space & HIGH_BITS;
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let rest = &s[i..];
    i + rest
        .iter()
        .position(|&b| !(b == b' ' || b == b'\t' || b == b'\r' || b == b'\n' && newlines))
        .unwrap_or(rest.len())
}

/// `x` in every byte of a word.
const fn splat(x: u8) -> u64 {
    0x0101_0101_0101_0101 * x as u64
}

/// The high bit of each byte of `word` set where that byte is an ASCII letter, digit or '_'.
/// On 7-bit values, `v + (0x80 - lo)` has its high bit set iff `v >= lo`, and
/// `v + (0x7F - hi)` iff `v > hi`; no sum carries into the next byte.
#[inline(always)]
fn ascii_ident_bytes(word: u64) -> u64 {
    let ascii = !word & HIGH_BITS;
    let v = word & !HIGH_BITS;
    let digit = v.wrapping_add(splat(0x80 - b'0')) & !v.wrapping_add(splat(0x7F - b'9'));
    let l = v | splat(0x20); // Lower-cases ASCII letters.
    let letter = l.wrapping_add(splat(0x80 - b'a')) & !l.wrapping_add(splat(0x7F - b'z'));
    let underscore = !(v ^ splat(b'_')).wrapping_add(splat(0x7F));
    (digit | letter | underscore) & ascii
}

fn in_table(table: &[(u32, u32)], c: u32) -> bool {
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// go/scanner's `isLetter`: ASCII letters, '_' and Unicode letters (category L).
#[inline(always)]
fn is_letter(ch: i32) -> bool {
    if ch < 0x80 {
        ch >= 0 && (lower(ch) >= b'a' as i32 && lower(ch) <= b'z' as i32 || ch == b'_' as i32)
    } else {
        in_table(unicode_tables::LETTER, ch as u32)
    }
}

/// go/scanner's `isDigit`: decimal digits of any script (category Nd).
fn is_digit(ch: i32) -> bool {
    if ch < 0x80 {
        is_decimal(ch)
    } else {
        in_table(unicode_tables::DIGIT, ch as u32)
    }
}

/// Go's `strconv.IsPrint`.
fn is_print(ch: i32) -> bool {
    if ch < 0x80 {
        (0x20..0x7F).contains(&ch)
    } else {
        in_table(unicode_tables::PRINT, ch as u32)
    }
}

/// Go's `fmt` verb `%#U`: "U+0041 'A'", without the quoted character if it is not printable.
fn format_unicode(ch: i32) -> String {
    match char::from_u32(ch as u32) {
        Some(c) if is_print(ch) => format!("U+{:04X} '{c}'", ch),
        _ => format!("U+{:04X}", ch),
    }
}

/// The lower-case `ch` if `ch` is an ASCII letter.
#[inline(always)]
fn lower(ch: i32) -> i32 {
    ch | 0x20
}

#[inline(always)]
fn is_decimal(ch: i32) -> bool {
    (b'0' as i32..=b'9' as i32).contains(&ch)
}

fn digit_val(ch: i32) -> u32 {
    if is_decimal(ch) {
        (ch - b'0' as i32) as u32
    } else if (b'a' as i32..=b'f' as i32).contains(&lower(ch)) {
        (lower(ch) - b'a' as i32 + 10) as u32
    } else {
        16 // Larger than any digit.
    }
}

fn lit_name(prefix: u8) -> &'static str {
    match prefix {
        b'x' => "hexadecimal literal",
        b'o' | b'0' => "octal literal",
        b'b' => "binary literal",
        _ => "decimal literal",
    }
}

/// go/scanner's `invalidSep`: the index of the first misplaced '_' in the number `x`.
fn invalid_sep(x: &[u8]) -> Option<usize> {
    let mut x1 = b' '; // The prefix letter; only 'x' matters.
    let mut d = b'.'; // The previous character class: '_', '0' (a digit) or '.' (other).
    let mut i = 0;

    // A prefix counts as a digit.
    if x.len() >= 2 && x[0] == b'0' {
        x1 = x[1] | 0x20;
        if x1 == b'x' || x1 == b'o' || x1 == b'b' {
            d = b'0';
            i = 2;
        }
    }

    // The mantissa and the exponent.
    while i < x.len() {
        let p = d;
        d = x[i];
        if d == b'_' {
            if p != b'0' {
                return Some(i);
            }
        } else if d.is_ascii_digit() || x1 == b'x' && d.is_ascii_hexdigit() {
            d = b'0';
        } else {
            if p == b'_' {
                return Some(i - 1);
            }
            d = b'.';
        }
        i += 1;
    }
    if d == b'_' {
        return Some(x.len() - 1);
    }
    None
}

/// go/scanner's `trailingDigits`: for text "…:N", the index after the last ':', N and whether
/// N is a valid unsigned 64-bit decimal number (Go's `strconv.ParseUint(s, 10, 0)`), with N
/// converted to a signed int as Go does; `(0, 0, false)` without a ':'.
fn trailing_digits(text: &[u8]) -> (usize, i64, bool) {
    let Some(colon) = text.iter().rposition(|&b| b == b':') else {
        return (0, 0, false);
    };
    let digits = &text[colon + 1..];
    let mut n: u64 = 0;
    let mut ok = !digits.is_empty();
    for &b in digits {
        if !b.is_ascii_digit() {
            ok = false;
            break;
        }
        match n
            .checked_mul(10)
            .and_then(|n| n.checked_add((b - b'0') as u64))
        {
            Some(v) => n = v,
            None => {
                ok = false;
                break;
            }
        }
    }
    (colon + 1, n as i64, ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens of `src` as "KIND start..end", implicit semicolons as "nl@pos".
    fn tokens(src: &[u8]) -> Vec<String> {
        let mut lexer = Lexer::new(src);
        let mut out = Vec::new();
        loop {
            let t = lexer.next_token();
            if t.implicit {
                assert_eq!((t.kind, t.start), (TokenKind::Semicolon, t.end));
                out.push(format!("nl@{}", t.start));
            } else {
                out.push(format!("{} {}..{}", t.kind.as_str(), t.start, t.end));
            }
            if t.kind == TokenKind::Eof {
                return out;
            }
        }
    }

    /// The errors of `src` as "offset: message".
    fn errors(src: &[u8]) -> Vec<String> {
        let mut lexer = Lexer::new(src);
        while lexer.next_token().kind != TokenKind::Eof {}
        let errs = lexer.take_errors();
        errs.iter()
            .map(|e| format!("{}: {}", e.offset, e.message))
            .collect()
    }

    /// The kinds of the tokens of `src`, implicit semicolons as "nl", without the final Eof.
    fn kinds(src: &[u8]) -> Vec<&'static str> {
        let mut lexer = Lexer::new(src);
        let mut out = Vec::new();
        loop {
            let t = lexer.next_token();
            match t.kind {
                TokenKind::Eof => return out,
                TokenKind::Semicolon if t.implicit => out.push("nl"),
                k => out.push(k.as_str()),
            }
        }
    }

    /// The comment groups of `src` as lists of comment spans.
    fn groups(src: &[u8]) -> Vec<Vec<(u32, u32)>> {
        let mut lexer = Lexer::new(src);
        while lexer.next_token().kind != TokenKind::Eof {}
        lexer
            .take_comments()
            .iter()
            .map(|g| {
                assert_eq!(g.span.start, g.list[0].span.start);
                assert_eq!(g.span.end, g.list[g.list.len() - 1].span.end);
                g.list.iter().map(|c| (c.span.start, c.span.end)).collect()
            })
            .collect()
    }

    #[test]
    fn operators_and_delimiters() {
        let src = b"+ += ++ - -= -- * *= / /= % %= & &= && &^ &^= | |= || ^ ^= << <<= >> >>= \
                    < <= > >= = == ! != : := . ... .. ( [ { , ; ~ <- ) ] }";
        let want = "+ += ++ - -= -- * *= / /= % %= & &= && &^ &^= | |= || ^ ^= << <<= >> >>= \
                    < <= > >= = == ! != : := . ... . . ( [ { , ; ~ <- ) ] } nl";
        assert_eq!(kinds(src).join(" "), want);
        assert!(errors(src).is_empty());
        // Explicit semicolons have a one-byte range.
        assert_eq!(tokens(b"a;b")[1], "; 1..2");
    }

    #[test]
    fn keyword_table_agrees_with_token_kind() {
        let mut words: Vec<Vec<u8>> = KEYWORDS.iter().map(|(w, _)| w.to_vec()).collect();
        assert_eq!(
            words.len(),
            (TokenKind::Var as usize) - (TokenKind::Break as usize) + 1
        );
        for (w, k) in KEYWORDS {
            assert_eq!(k.as_str().as_bytes(), w);
        }
        // Near misses: every keyword with a byte changed, cut or extended.
        for (w, _) in KEYWORDS {
            for i in 0..w.len() {
                let mut v = w.to_vec();
                v[i] ^= 1;
                words.push(v);
                words.push(w[..i.max(2)].to_vec());
            }
            words.push([w, b"s"].concat());
        }
        words.extend([&b"xx"[..], b"Break", b"_f", b"fallthroughs", b"in"].map(|w| w.to_vec()));
        for w in words {
            let want = TokenKind::keyword(&w).unwrap_or(TokenKind::Ident);
            assert_eq!(keyword(&w), want, "{}", String::from_utf8_lossy(&w));
        }
    }

    #[test]
    fn word_at_a_time_identifier_and_space_length() {
        for b in 0..=255u8 {
            for at in 0..12 {
                let mut s = b"abcdefghijklmnopq".to_vec();
                s[at] = b;
                let want = s
                    .iter()
                    .position(|&b| !is_ascii_ident_byte(b))
                    .unwrap_or(s.len());
                assert_eq!(ascii_ident_len(&s), want, "byte {b:#x} at {at}");
            }
        }
        assert_eq!(ascii_ident_len(b""), 0);
        for b in 0..=255u8 {
            for at in 0..12 {
                for newlines in [false, true] {
                    let mut s = b" \t\r\n \t\r\n \t\r\n \t\r\n".to_vec();
                    s[at] = b;
                    let want = s
                        .iter()
                        .position(|&b| !(b" \t\r".contains(&b) || b == b'\n' && newlines))
                        .unwrap_or(s.len());
                    assert_eq!(space_len(&s, newlines), want, "byte {b:#x} at {at}");
                }
            }
        }
        assert_eq!(ascii_ident_len(b"Z_9"), 3);
    }

    #[test]
    fn identifiers_and_keywords() {
        let src = "break x _y αβ x١ ǅ9 if iff func\n".as_bytes();
        assert_eq!(
            kinds(src),
            ["break", "IDENT", "IDENT", "IDENT", "IDENT", "IDENT", "if", "IDENT", "func"]
        );
        assert_eq!(tokens(src)[3], "IDENT 11..15");
        // U+2177 (small roman numeral eight) is alphabetic for Rust but not a letter for Go.
        assert!('ⅷ'.is_alphabetic());
        assert_eq!(kinds("aⅷ".as_bytes()), ["IDENT", "ILLEGAL", "nl"]);
        assert_eq!(errors("aⅷ".as_bytes()), ["1: illegal character U+2177 'ⅷ'"]);
        // A digit may continue but not start an identifier: Arabic-Indic three.
        assert_eq!(kinds("٣".as_bytes()), ["ILLEGAL"]);
    }

    #[test]
    fn numbers() {
        let src = b"0 123 0777 0x1F 0X_1f 0b101 0B1 0o17 0O7 1_000 1.5 .5 1. 1e10 1E+5 2e-3 \
                    0x1p-2 0x1.8p3 0x.8P0 1i 0x1p1i 0777i 089i 1.5i 00 0_7";
        assert_eq!(
            kinds(src).join(" "),
            "INT INT INT INT INT INT INT INT INT INT FLOAT FLOAT FLOAT FLOAT FLOAT FLOAT \
             FLOAT FLOAT FLOAT IMAG IMAG IMAG IMAG IMAG INT INT nl"
        );
        assert!(errors(src).is_empty(), "{:?}", errors(src));
        assert_eq!(tokens(b"0x1.8p3+1")[..2], ["FLOAT 0..7", "+ 7..8"]);
        // A '.' followed by a digit starts a number; "x.5" is IDENT FLOAT.
        assert_eq!(kinds(b"x.5"), ["IDENT", "FLOAT", "nl"]);
        assert_eq!(kinds(b"x.y"), ["IDENT", ".", "IDENT", "nl"]);
    }

    #[test]
    fn number_errors() {
        let cases: &[(&[u8], &str)] = &[
            (b"0128", "3: invalid digit '8' in octal literal"),
            (b"0b102", "4: invalid digit '2' in binary literal"),
            (b"0o19", "3: invalid digit '9' in octal literal"),
            (b"0x", "2: hexadecimal literal has no digits"),
            (b"0b", "2: binary literal has no digits"),
            (b"0o", "2: octal literal has no digits"),
            (b"0x1.5", "5: hexadecimal mantissa requires a 'p' exponent"),
            (b"1e", "2: exponent has no digits"),
            (b"1e+x", "3: exponent has no digits"),
            (b"1p3", "1: 'p' exponent requires hexadecimal mantissa"),
            (b"0b1e3", "3: 'e' exponent requires decimal mantissa"),
            (b"0o1E3", "3: 'E' exponent requires decimal mantissa"),
            (b"0o1.2", "3: invalid radix point in octal literal"),
            (b"1__0", "2: '_' must separate successive digits"),
            (b"1_", "1: '_' must separate successive digits"),
            (b"1_.5", "1: '_' must separate successive digits"),
            (b"0x_1_", "4: '_' must separate successive digits"),
        ];
        for (src, want) in cases {
            assert_eq!(errors(src), [*want], "{}", String::from_utf8_lossy(src));
        }
        assert_eq!(
            errors(b"0o_"),
            [
                "3: octal literal has no digits",
                "2: '_' must separate successive digits",
            ]
        );
        assert_eq!(errors(b"0x1pi"), ["4: exponent has no digits"]);
        // The invalid digit is only an error in an integer; several errors keep their order.
        assert!(errors(b"0128.0").is_empty());
        assert_eq!(
            errors(b"0b.e"),
            [
                "2: invalid radix point in binary literal",
                "3: binary literal has no digits",
                "3: 'e' exponent requires decimal mantissa",
                "4: exponent has no digits",
            ]
        );
    }

    #[test]
    fn strings_and_escapes() {
        let ok = r#""a\n\t\\\"\x41\101\u00e9\U0001F600\a\b\f\r\v" "é" '\'' 'x' '\000' '\xff'"#;
        let ok = ok.as_bytes();
        assert_eq!(
            kinds(ok),
            ["STRING", "STRING", "CHAR", "CHAR", "CHAR", "CHAR", "nl"]
        );
        assert!(errors(ok).is_empty(), "{:?}", errors(ok));
        let raw = b"`a\r\n\"b` x";
        assert_eq!(tokens(raw)[..2], ["STRING 0..7", "IDENT 8..9"]);
        assert!(errors(raw).is_empty());

        let cases: &[(&[u8], &[&str])] = &[
            (b"\"abc", &["0: string literal not terminated"]),
            (
                b"\"ab\ncd\"",
                &[
                    "0: string literal not terminated",
                    "6: string literal not terminated",
                ],
            ),
            (br#""\q""#, &["2: unknown escape sequence"]),
            (br#""\'""#, &["2: unknown escape sequence"]),
            (
                br#""\x4g""#,
                &["4: illegal character U+0067 'g' in escape sequence"],
            ),
            (
                b"\"\\x4\n",
                &[
                    "4: illegal character U+000A in escape sequence",
                    "0: string literal not terminated",
                ],
            ),
            (
                br#""\uD800""#,
                &["2: escape sequence is invalid Unicode code point"],
            ),
            (
                br#""\U00110000""#,
                &["2: escape sequence is invalid Unicode code point"],
            ),
            (
                br#""\400""#,
                &["2: escape sequence is invalid Unicode code point"],
            ),
            (
                b"\"\\",
                &[
                    "2: escape sequence not terminated",
                    "0: string literal not terminated",
                ],
            ),
            (
                b"\"\\u12",
                &[
                    "5: escape sequence not terminated",
                    "0: string literal not terminated",
                ],
            ),
            (b"`abc", &["0: raw string literal not terminated"]),
            (b"''", &["0: illegal rune literal"]),
            (b"'ab'", &["0: illegal rune literal"]),
            (b"'a", &["0: rune literal not terminated"]),
            (
                b"'\n'",
                &[
                    "0: rune literal not terminated",
                    "2: rune literal not terminated",
                ],
            ),
            (br"'\q'", &["2: unknown escape sequence"]),
            (br#"'\"'"#, &["2: unknown escape sequence"]),
            (
                b"'\\x'",
                &["3: illegal character U+0027 ''' in escape sequence"],
            ),
        ];
        for (src, want) in cases {
            assert_eq!(errors(src), *want, "{}", String::from_utf8_lossy(src));
        }
        // An unterminated string ends before the newline, where a semicolon follows.
        assert_eq!(
            tokens(b"\"ab\nx"),
            ["STRING 0..3", "nl@3", "IDENT 4..5", "nl@5", "EOF 5..5"]
        );
    }

    #[test]
    fn semicolon_insertion() {
        assert_eq!(
            tokens(b"x\ny"),
            ["IDENT 0..1", "nl@1", "IDENT 2..3", "nl@3", "EOF 3..3"]
        );
        for word in [
            "break",
            "continue",
            "fallthrough",
            "return",
            "x",
            "1",
            "1.0",
            "1i",
            "'a'",
            "\"s\"",
            "`r`",
            "++",
            "--",
            ")",
            "]",
            "}",
        ] {
            let src = format!("{word}\n");
            let n = word.len() as u32;
            assert_eq!(tokens(src.as_bytes())[1], format!("nl@{n}"), "{word}");
        }
        for word in [
            "if", "func", "(", "[", "{", "+", ",", ";", ".", "=", "<-", "...", "~",
        ] {
            let src = format!("{word}\n");
            assert_eq!(tokens(src.as_bytes()).len(), 2, "{word}");
        }
        assert_eq!(tokens(b"x;"), ["IDENT 0..1", "; 1..2", "EOF 2..2"]);
        // A comment that ends the line: the semicolon sits at its start.
        assert_eq!(
            tokens(b"x // c\ny"),
            ["IDENT 0..1", "nl@2", "IDENT 7..8", "nl@8", "EOF 8..8"]
        );
        assert_eq!(tokens(b"x /* a\nb */ y")[1], "nl@2");
        assert_eq!(tokens(b"x /* a */ // b\ny")[1], "nl@2");
        assert_eq!(tokens(b"x /* a */\ny")[1], "nl@2");
        assert_eq!(tokens(b"x /* a */ /* b */ \t\r\ny")[1], "nl@2");
        assert_eq!(tokens(b"x /* a */"), ["IDENT 0..1", "nl@2", "EOF 9..9"]);
        // A comment followed by a token on the same line: no semicolon there.
        assert_eq!(
            tokens(b"x /* a */ y"),
            ["IDENT 0..1", "IDENT 10..11", "nl@11", "EOF 11..11"]
        );
        assert_eq!(tokens(b"x /* a */ / y")[1], "/ 10..11");
        // Whitespace before the newline or the end of the file.
        assert_eq!(tokens(b"x \t\r\n\n"), ["IDENT 0..1", "nl@4", "EOF 6..6"]);
        assert_eq!(tokens(b"x  "), ["IDENT 0..1", "nl@3", "EOF 3..3"]);
        assert_eq!(tokens(b"(\n)\n"), ["( 0..1", ") 2..3", "nl@3", "EOF 4..4"]);
        assert_eq!(tokens(b""), ["EOF 0..0"]);
        // After the end, Eof forever.
        let mut lexer = Lexer::new(b"x");
        let kinds: Vec<_> = (0..5).map(|_| lexer.next_token().kind).collect();
        assert_eq!(kinds[2..], [TokenKind::Eof; 3]);
    }

    #[test]
    fn comment_groups() {
        let src = b"// a\n// b\n\n// c\npackage p // d\n/* e */ // f\n";
        assert_eq!(
            groups(src),
            [
                vec![(0, 4), (5, 9)],
                vec![(11, 15)],
                vec![(26, 30)],
                vec![(31, 38), (39, 43)]
            ]
        );
        // A comment on the line of the previous token starts a group that takes only comments
        // on the same line; at the start of the file there is no previous line.
        assert_eq!(groups(b"x // a\n// b\n"), [vec![(2, 6)], vec![(7, 11)]]);
        assert_eq!(groups(b"// a\n// b\n"), [vec![(0, 4), (5, 9)]]);
        // A block comment ends on the line of its end.
        assert_eq!(
            groups(b"/* a\n*/ // b\n// c\n\n\n// d"),
            [vec![(0, 7), (8, 12), (13, 17)], vec![(20, 24)]]
        );
        // Unterminated comment and "\r\n" endings keep raw byte spans.
        assert_eq!(groups(b"x /* a"), [vec![(2, 6)]]);
        assert_eq!(groups(b"// a\r\nx"), [vec![(0, 5)]]);
        assert_eq!(errors(b"x /* a"), ["2: comment not terminated"]);
    }

    #[test]
    fn bom_nul_and_invalid_utf8() {
        assert_eq!(
            tokens("\u{FEFF}x".as_bytes()),
            ["IDENT 3..4", "nl@4", "EOF 4..4"]
        );
        assert!(errors("\u{FEFF}x".as_bytes()).is_empty());
        let stray = "x\u{FEFF}".as_bytes();
        assert_eq!(
            tokens(stray),
            ["IDENT 0..1", "ILLEGAL 1..4", "nl@4", "EOF 4..4"]
        );
        assert_eq!(errors(stray), ["1: illegal byte order mark"]);
        assert_eq!(
            errors("\u{FEFF}\u{FEFF}".as_bytes()),
            ["3: illegal byte order mark"]
        );

        // NUL is reported by the reader and again as an illegal character; an illegal
        // character keeps the pending semicolon.
        assert_eq!(
            tokens(b"x\0\n"),
            ["IDENT 0..1", "ILLEGAL 1..2", "nl@2", "EOF 3..3"]
        );
        assert_eq!(
            errors(b"x\0"),
            ["1: illegal character NUL", "1: illegal character U+0000"]
        );
        assert_eq!(errors(b"\"\0\""), ["1: illegal character NUL"]);

        assert_eq!(tokens(b"\xff"), ["ILLEGAL 0..1", "EOF 1..1"]);
        assert_eq!(
            errors(b"\xff"),
            [
                "0: illegal UTF-8 encoding",
                "0: illegal character U+FFFD '\u{FFFD}'"
            ]
        );
        // Truncated, overlong and surrogate encodings are one bad byte each.
        assert_eq!(errors(b"// \xe2\x82\n").len(), 2);
        assert_eq!(errors(b"// \xc0\xaf\n").len(), 2);
        assert_eq!(errors(b"// \xed\xa0\x80\n").len(), 3);
        assert_eq!(errors(b"`\xf4\x90\x80\x80`").len(), 4);
        assert!(errors("// \u{10FFFF} \u{7FF} \u{800}\n".as_bytes()).is_empty());

        // go/scanner reads ahead over a comment that follows a token on its line, and reports
        // bad characters there twice.
        assert_eq!(
            errors(b"x /* \0 */\n"),
            ["5: illegal character NUL", "5: illegal character NUL"]
        );
        assert_eq!(
            errors(b"x /* \0 */ y"),
            ["5: illegal character NUL", "5: illegal character NUL"]
        );
        assert_eq!(errors(b"/* \0 */ x"), ["3: illegal character NUL"]);
    }

    #[test]
    fn illegal_characters() {
        assert_eq!(errors(b"@"), ["0: illegal character U+0040 '@'"]);
        assert_eq!(errors(b"a # b"), ["2: illegal character U+0023 '#'"]);
        assert_eq!(errors(b"\x01"), ["0: illegal character U+0001"]);
        // No-break space is not printable for strconv.IsPrint.
        assert_eq!(errors("\u{A0}".as_bytes()), ["0: illegal character U+00A0"]);
        assert_eq!(errors("€".as_bytes()), ["0: illegal character U+20AC '€'"]);
        assert_eq!(
            errors("😀".as_bytes()),
            ["0: illegal character U+1F600 '😀'"]
        );
        assert_eq!(tokens("x😀".as_bytes())[1], "ILLEGAL 1..5");
    }

    #[test]
    fn line_directives() {
        assert_eq!(errors(b"//line foo.go:0\n"), ["14: invalid line number: 0"]);
        assert_eq!(errors(b"//line foo.go:x\n"), ["14: invalid line number: x"]);
        assert_eq!(
            errors(b"//line foo.go:1073741824\n"),
            ["14: invalid line number: 1073741824"]
        );
        assert_eq!(errors(b"//line :5:0\r\n"), ["10: invalid column number: 0"]);
        assert_eq!(errors(b"//line a:0:5\n"), ["9: invalid line number: 0"]);
        assert_eq!(errors(b"x\n/*line f:0*/"), ["11: invalid line number: 0"]);
        // Valid or not a directive: no error. A `//line` directive must start a line.
        for src in [
            &b"//line foo.go:10\n"[..],
            b" //line foo.go:0\n",
            b"//line foo\n",
            b"//line x:1:1",
            b"/*line f:0",
        ] {
            assert!(
                errors(src).iter().all(|e| !e.contains("number")),
                "{}",
                String::from_utf8_lossy(src)
            );
        }
        // Go converts 2^63 and more to negative ints, which pass its range check.
        assert!(errors(b"//line f:9223372036854775808\n").is_empty());
        assert_eq!(
            errors(b"//line f:18446744073709551616\n"),
            ["9: invalid line number: 18446744073709551616"]
        );
    }

    #[test]
    fn line_of_counts_newlines() {
        let lexer = Lexer::new(b"a\nb\n\nc");
        assert_eq!(lexer.line_of(5), 4);
        assert_eq!(lexer.line_of(0), 1);
        assert_eq!(lexer.line_of(2), 2);
        assert_eq!(lexer.line_of(1), 1);
        assert_eq!(lexer.line_of(4), 3);
        assert_eq!(lexer.line_of(99), 4);
    }

    /// From the `{` that starts `src`: the matching `}` and the token after it, found by
    /// `skip_braces` (`fast`) or by reading tokens and counting braces.
    fn skip(src: &[u8], fast: bool) -> Option<(u32, Token)> {
        let mut lexer = Lexer::new(src);
        let open = lexer.next_token();
        assert_eq!(open.kind, TokenKind::LBrace);
        let close = if fast {
            lexer.skip_braces(open.start)?
        } else {
            let mut depth = 1;
            loop {
                let t = lexer.next_token();
                match t.kind {
                    TokenKind::LBrace => depth += 1,
                    TokenKind::RBrace if depth == 1 => break t.start,
                    TokenKind::RBrace => depth -= 1,
                    TokenKind::Eof => return None,
                    _ => {}
                }
            }
        };
        Some((close, lexer.next_token()))
    }

    #[test]
    fn skipped_braces_end_where_tokens_end_them() {
        let cases: &[(&[u8], Option<u32>)] = &[
            (b"{ a { b } c } d", Some(12)),
            (b"{ \"}\" } d", Some(6)),
            (b"{ '}' } d", Some(6)),
            (b"{ `}\n}` } d", Some(8)),
            (b"{ // }\n } d", Some(8)),
            (b"{ /* } */ } d", Some(10)),
            // `/*/` opens a comment that `/` alone does not close.
            (b"{ /*/ } */ } d", Some(11)),
            (b"{ a / b } d", Some(8)),
            (b"{ \"\\\"}\" } d", Some(8)),
            (b"{ '\\'' } d", Some(7)),
            (b"{ \"\\\\\" } d", Some(7)),
            (b"{ '' } }", Some(5)),
            // Strings and runes end at a newline, escaped or not.
            (b"{ \"a\n } }", Some(6)),
            (b"{ \"a\\\n } }", Some(7)),
            (b"{ 'a\n } }", Some(6)),
            (b"{ '\\\n } }", Some(6)),
            (b"{ \"\\x\"} }", Some(6)),
            (b"{ \x00 } }", Some(4)),
            (b"{ \xc3\xa9 \xff\"}\" } }", Some(10)),
            (b"{ \r\n } }", Some(5)),
            // The file ends first.
            (b"{ /* } ", None),
            (b"{ ` } ", None),
            (b"{ \"} ", None),
            (b"{ // }", None),
            (b"{ { }", None),
        ];
        for &(src, want) in cases {
            let name = String::from_utf8_lossy(src);
            let slow = skip(src, false);
            assert_eq!(slow.map(|s| s.0), want, "tokens, {name:?}");
            assert_eq!(skip(src, true), slow, "search, {name:?}");
        }
        // A line that starts with `func` is left to the tokens, as are a lexer that read
        // ahead and a position that is not the last token's `{`.
        let mut lexer = Lexer::new(b"{ x\nfunc f() {} }");
        let open = lexer.next_token();
        assert_eq!(lexer.skip_braces(open.start), None);
        assert_eq!(lexer.next_token().start, 2, "nothing moved");
        assert!(skip(b"{ x\nfuncs }", true).is_some());
        let mut lexer = Lexer::new(b"{ } {}");
        let open = lexer.next_token();
        lexer.next_token();
        assert_eq!(lexer.skip_braces(open.start), None);
        // Random sequences of what delimits strings, runes and comments.
        let alphabet: &[u8] = b"{{}}\"'`/*\\\n a\0\xff";
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut agreed = 0;
        for len in 0..200_000usize {
            let mut src = vec![b'{'];
            src.extend((0..len % 40).map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                alphabet[(state % alphabet.len() as u64) as usize]
            }));
            let slow = skip(&src, false);
            assert_eq!(
                skip(&src, true),
                slow,
                "{:?}",
                String::from_utf8_lossy(&src)
            );
            agreed += usize::from(slow.is_some());
        }
        assert!(agreed > 20_000, "{agreed} matched braces");
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let alphabet: &[u8] =
            b"\"'`/*\\\n\r \t0x1._epi9ab{}()\xff\xc3\xa9\xef\xbb\xbf\0+-=<>!&|^:;,.~#";
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for len in 0..2000usize {
            let src: Vec<u8> = (0..len % 64)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    alphabet[(state % alphabet.len() as u64) as usize]
                })
                .collect();
            let mut lexer = Lexer::new(&src);
            let mut last_end = 0;
            loop {
                let t = lexer.next_token();
                assert!(t.start <= t.end && t.end as usize <= src.len());
                assert!(t.start >= last_end || t.implicit, "{src:?}");
                last_end = t.end;
                if t.kind == TokenKind::Eof {
                    assert_eq!(t.start as usize, src.len());
                    break;
                }
            }
            for e in lexer.take_errors() {
                assert!(e.offset as usize <= src.len());
            }
        }
    }

    /// Tokens and errors of `src`, with or without the byte-level path for string escapes.
    fn lex_all(src: &[u8], fast: bool) -> (Vec<String>, Vec<String>) {
        let mut lexer = Lexer::new(src);
        lexer.fast_escapes_enabled = fast;
        let mut toks = Vec::new();
        loop {
            let t = lexer.next_token();
            toks.push(format!(
                "{:?} {}..{} {}",
                t.kind, t.start, t.end, t.implicit
            ));
            if t.kind == TokenKind::Eof {
                break;
            }
        }
        let errs = lexer
            .take_errors()
            .iter()
            .map(|e| format!("{}: {}", e.offset, e.message))
            .collect();
        (toks, errs)
    }

    #[test]
    fn fast_escapes_agree_with_the_general_path() {
        // String literals made of escape pieces, well-formed and not, plain and special bytes,
        // cut anywhere: both paths give the same tokens and the same errors at the same places.
        let pieces: &[&[u8]] = &[
            b"\\x00",
            b"\\xff",
            b"\\xA",
            b"\\xg0",
            b"\\x",
            b"\\377",
            b"\\400",
            b"\\07",
            b"\\08",
            b"\\n",
            b"\\t",
            b"\\\\",
            b"\\\"",
            b"\\'",
            b"\\q",
            b"\\u00e9",
            b"\\UFFFFFFFF",
            b"\\",
            b"a",
            b"PK",
            b"0123456789abcdef0",
            b"\n",
            b"\0",
            b"\xe6\x8e\x80",
            b"\xff",
            b"\"",
            b"`",
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut rand = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut checked = 0;
        for _ in 0..20_000 {
            let mut src = b"x = \"".to_vec();
            for _ in 0..rand(12) {
                src.extend_from_slice(pieces[rand(pieces.len())]);
            }
            if rand(2) == 0 {
                src.extend_from_slice(b"\" + y");
            }
            let cut = src.len() - rand(3).min(src.len() - 4);
            let src = &src[..cut];
            assert_eq!(
                lex_all(src, true),
                lex_all(src, false),
                "{:?}",
                String::from_utf8_lossy(src)
            );
            checked += 1;
        }
        assert_eq!(checked, 20_000);
        // The data string of the Go time zone database: a long run of escapes.
        let data: Vec<u8> = (0..4096u32)
            .flat_map(|i| format!("\\x{:02x}\\{:03o}z", i % 256, i % 256).into_bytes())
            .collect();
        let src = [&b"const z = \""[..], &data, b"\"\n"].concat();
        let (toks, errs) = lex_all(&src, true);
        assert_eq!((toks.len(), errs.len()), (6, 0), "{toks:?} {errs:?}");
        assert_eq!((toks, errs), lex_all(&src, false));
    }
}
