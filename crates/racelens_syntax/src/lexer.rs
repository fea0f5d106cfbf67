//! The Go lexer: bytes to tokens exactly as Go 1.19's go/scanner (mode ScanComments) makes
//! them, with automatic semicolon insertion and go/parser's comment grouping.
//!
//! The scanner is a port of go/scanner's state machine (`ch`, `offset`, `rdOffset`), so error
//! messages, their offsets and even their duplicates (go/scanner reports a bad character twice
//! when `findLineEnd` reads ahead over it) come out the same. Hot loops (identifiers, comment,
//! string and whitespace bodies) skip plain ASCII bytes without decoding them; they hand every
//! other byte to `next`, which is where go/scanner reports NUL, invalid UTF-8 and stray BOMs.

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
        };
        lexer.next();
        if lexer.ch == BOM {
            lexer.next(); // A BOM at the start of the file is ignored.
        }
        lexer
    }

    /// The next non-comment token, including automatically inserted semicolons
    /// (Token.implicit = true, empty range at go/scanner's position); after the end, Eof forever.
    pub fn next_token(&mut self) -> Token {
        // This mirrors go/parser's `next`: comments met here are grouped before the token that
        // follows them is returned.
        let mut tok = self.scan();
        if tok.kind == TokenKind::Comment {
            // The line of "no position" is 0, so the first comment of a file never joins the
            // line of a previous token.
            let prev_line = self.prev.map_or(0, |p| self.line_of(p));
            if self.line_of(tok.start) == prev_line {
                tok = self.consume_comment_group(tok, 0);
            }
            while tok.kind == TokenKind::Comment {
                tok = self.consume_comment_group(tok, 1);
            }
        }
        self.prev = Some(tok.start);
        tok
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
        let mut end_line = self.line_of(tok.start);
        self.group.clear();
        while tok.kind == TokenKind::Comment && self.line_of(tok.start) <= end_line + n {
            // A comment ends on the line of its end offset: a `//` comment excludes its
            // newline, and a `/*` comment ends after `*/` (or at the end of the file).
            end_line = self.line_of(tok.end);
            self.group.push(Comment {
                span: Span::new(tok.start, tok.end),
            });
            tok = self.scan();
        }
        let span = Span::new(self.group[0].span.start, self.group[self.group.len() - 1].span.end);
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

    /// Consumes the current character and then every following byte for which `plain` holds,
    /// without decoding them, and reads the next character. `plain` must hold only for ASCII
    /// bytes other than NUL, on which `next` would do nothing but advance.
    #[inline(always)]
    fn skip_plain(&mut self, plain: impl Fn(u8) -> bool) {
        let rest = &self.src[self.rd..];
        let n = rest.iter().position(|&b| !plain(b)).unwrap_or(rest.len());
        self.rd += n;
        self.next();
    }

    fn peek(&self) -> u8 {
        self.src.get(self.rd).copied().unwrap_or(0)
    }

    fn skip_whitespace(&mut self) {
        loop {
            match self.ch {
                0x20 | 0x09 | 0x0D => self.next(),
                0x0A if !self.insert_semi => self.next(),
                _ => break,
            }
        }
    }

    /// go/scanner's `Scan`, comments included.
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
                kind = TokenKind::keyword(word).unwrap_or(TokenKind::Ident);
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
    fn scan_identifier(&mut self) {
        // The common case is an ASCII identifier: skip its bytes without decoding them.
        let rest = &self.src[self.rd..];
        let n = rest
            .iter()
            .position(|&b| !is_ascii_ident_byte(b))
            .unwrap_or(rest.len());
        self.rd += n;
        if let Some(&b) = self.src.get(self.rd) {
            if b != 0 && b < 0x80 {
                self.offset = self.rd;
                self.ch = b as i32;
                self.rd += 1;
                return;
            }
        }
        self.next();
        while is_letter(self.ch) || is_digit(self.ch) {
            self.next();
        }
    }

    /// go/scanner's `digits`: accepts `{ digit | '_' }` and returns bit 0 if digits were
    /// present, bit 1 if separators were. For bases up to 10 it accepts any decimal digit but
    /// records the offset of the first one too large for the base in `invalid`.
    fn digits(&mut self, base: i32, invalid: &mut Option<usize>) -> u32 {
        let mut digsep = 0;
        if base <= 10 {
            let max = b'0' as i32 + base;
            while is_decimal(self.ch) || self.ch == b'_' as i32 {
                let mut ds = 1;
                if self.ch == b'_' as i32 {
                    ds = 2;
                } else if self.ch >= max && invalid.is_none() {
                    *invalid = Some(self.offset);
                }
                digsep |= ds;
                self.next();
            }
        } else {
            while is_hex(self.ch) || self.ch == b'_' as i32 {
                digsep |= if self.ch == b'_' as i32 { 2 } else { 1 };
                self.next();
            }
        }
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
                    self.scan_escape(b'"');
                }
                _ => self.skip_plain(|b| {
                    b != b'"' && b != b'\\' && b != b'\n' && b != 0 && b < 0x80
                }),
            }
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
                _ => self.skip_plain(|b| b != b'`' && b != 0 && b < 0x80),
            }
        }
    }

    /// Reads a comment; its initial '/' is consumed and `ch` is '/' or '*'.
    fn scan_comment(&mut self) {
        let offs = self.offset - 1;
        let terminated;
        if self.ch == b'/' as i32 {
            // A `//` comment; the final newline is not part of it.
            loop {
                self.skip_plain(|b| b != b'\n' && b != 0 && b < 0x80);
                if self.ch == b'\n' as i32 || self.ch < 0 {
                    break;
                }
            }
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
                    _ => self.skip_plain(|b| b != b'*' && b != 0 && b < 0x80),
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
            let msg = format!("invalid line number: {}", String::from_utf8_lossy(&text[i..]));
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
                    _ => self.skip_plain(|b| b != b'*' && b != b'\n' && b != 0 && b < 0x80),
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

fn implicit_semicolon(at: usize) -> Token {
    Token {
        kind: TokenKind::Semicolon,
        start: at as u32,
        end: at as u32,
        implicit: true,
    }
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

fn is_hex(ch: i32) -> bool {
    is_decimal(ch) || (b'a' as i32..=b'f' as i32).contains(&lower(ch))
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
