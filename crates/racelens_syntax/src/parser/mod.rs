//! The Go parser: tokens from the lexer to the arena syntax tree of `ast.rs`.
//!
//! The structure follows go/parser of Go 1.19 (Copyright The Go Authors, BSD-style licence):
//! the same recursive descent, the same generics heuristics, the same error messages and the
//! same recovery, so that the tree (kinds and spans) is the one go/parser builds. Differences,
//! all confined to files with syntax errors: parsing never stops after ten errors (the error
//! list is capped instead); the nesting limit ends the parse gracefully instead of panicking;
//! recovery also stops at `func`, and a `func` that starts a line inside a broken declaration
//! ends that declaration (`check_stray_func_decl`), so one error does not swallow the
//! functions after it. The stack grows on demand (`stacker`), so deep input cannot overflow
//! it. A few nodes that go/parser builds and then discards (during type parameter
//! disambiguation and error recovery) stay unreachable in the arenas.

mod decl;
mod expr;
mod stmt;
mod types;

use crate::ast::*;
use crate::lexer::Lexer;
use crate::token::{Token, TokenKind};
use crate::SyntaxError;

/// The deepest nesting the parser accepts, as in go/parser (Go 1.19.8 and later).
const MAX_NEST_LEV: u32 = 100_000;
/// Errors beyond this count are dropped: a file with hundreds of errors is not Go.
const MAX_ERRORS: usize = 100;
/// Stack growth: when less than `RED_ZONE` bytes remain, continue on a new `STACK_SEGMENT`.
const RED_ZONE: usize = 128 * 1024;
const STACK_SEGMENT: usize = 4 * 1024 * 1024;

/// Runs `f` with enough stack for one more level of recursion.
#[inline]
fn grow<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, f)
}

/// The recursion of statements, expressions and types asks for stack (`grow`) only every
/// `NEST_STRIDE` levels (`Parser::nested`): asking reads a thread-local and the stack
/// pointer, and the frames of the levels between fit many times over in `RED_ZONE`.
const NEST_STRIDE: u32 = 8;

pub fn parse_file(src: &[u8]) -> (File, Vec<SyntaxError>) {
    parse_file_with(src, false)
}

/// Parses a file, skipping the bodies of top-level functions when `skip_bodies` is set: each
/// such body becomes an empty block with the body's true span (and so do the values of
/// composite literals whose type does not depend on them). Everything outside what is
/// skipped is as `parse_file` gives; inside, no comment is collected and no lexical error
/// reported.
pub fn parse_file_with(src: &[u8], skip_bodies: bool) -> (File, Vec<SyntaxError>) {
    parse_file_opts(src, skip_bodies, true)
}

/// `parse_file_with`, keeping `src` as the tree's source instead of copying it.
pub fn parse_file_owned(src: Vec<u8>, skip_bodies: bool) -> (File, Vec<SyntaxError>) {
    let source = Source::new(src);
    let (mut file, errors) = parse_source(&source, skip_bodies, true);
    if !too_large(&source) {
        // The bytes stay where they are: the spans the parser recorded stay valid.
        file.source = source;
    }
    (file, errors)
}

/// `parse_file_with`, where `fast_skip` says whether skipped braces are searched for
/// (`Lexer::skip_braces`) or read token by token (which tests compare them with).
fn parse_file_opts(src: &[u8], skip_bodies: bool, fast_skip: bool) -> (File, Vec<SyntaxError>) {
    let (mut file, errors) = parse_source(src, skip_bodies, fast_skip);
    if !too_large(src) {
        file.source = src.into();
    }
    (file, errors)
}

/// Whether `src` is too large to parse: offsets are u32, and go/ast's ends may reach one
/// past the end of the file. Its tree is empty, source included.
fn too_large(src: &[u8]) -> bool {
    src.len() > (u32::MAX - 1) as usize
}

/// The tree of `src` and its syntax errors; the tree's `source` is left empty, for the
/// caller to fill.
fn parse_source(src: &[u8], skip_bodies: bool, fast_skip: bool) -> (File, Vec<SyntaxError>) {
    if too_large(src) {
        let error = SyntaxError {
            offset: 0,
            message: "file too large".to_string(),
        };
        return (File::default(), vec![error]);
    }
    let mut p = Parser::new(src);
    p.skip_bodies = skip_bodies;
    p.fast_skip = fast_skip;
    p.parse_file();
    let mut errors = std::mem::take(&mut p.errors);
    // go/parser sorts its error list by position, then by message.
    errors.sort_by(|a, b| (a.offset, &a.message).cmp(&(b.offset, &b.message)));
    let mut file = p.file;
    file.comments = p.lexer.take_comments();
    if skip_bodies {
        // Declarations are kept for their importers while a run lasts, and fill a small
        // part of what was reserved for a whole file.
        file.shrink_to_fit();
    }
    (file, errors)
}

/// Token sets for `advance`: go/parser's `stmtStart`, `declStart` (plus `func`) and `exprEnd`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sync {
    StmtStart,
    DeclStart,
    ExprEnd,
}

impl Sync {
    fn contains(self, tok: TokenKind) -> bool {
        use TokenKind::*;
        match self {
            Sync::StmtStart => matches!(
                tok,
                Break
                    | Const
                    | Continue
                    | Defer
                    | Fallthrough
                    | For
                    | Go
                    | Goto
                    | If
                    | Return
                    | Select
                    | Switch
                    | Type
                    | Var
            ),
            // go/parser 1.19 does not resynchronize on `func`, so that one error before a
            // function declaration loses the whole function; stopping there keeps it.
            Sync::DeclStart => matches!(tok, Const | Type | Var | Func),
            Sync::ExprEnd => matches!(tok, Comma | Colon | Semicolon | RParen | RBrack | RBrace),
        }
    }
}

pub(crate) struct Parser<'a> {
    src: &'a [u8],
    lexer: Lexer<'a>,
    file: File,
    errors: Vec<SyntaxError>,
    /// The line `[start, end]` (`end` is its newline or the end of the file) of the last
    /// recorded error, for go/parser's one-error-per-line rule.
    error_line: Option<(u32, u32)>,

    // The one-token look-ahead.
    tok: TokenKind,
    pos: u32,
    tok_end: u32,
    /// The current token is a semicolon the lexer inserted at a newline or EOF.
    implicit: bool,
    /// Number of tokens consumed so far: loops compare it to make sure they progress.
    ntok: u64,

    // Error recovery (go/parser's syncPos and syncCnt).
    sync_pos: u32,
    sync_cnt: u32,

    /// < 0: in a control clause, >= 0: in an expression.
    expr_lev: i32,
    /// Parsing a right-hand side expression: `=` is then read as `==`.
    in_rhs: bool,
    nest_lev: u32,
    /// How many `nested` calls are open (see `NEST_STRIDE`).
    depth: u32,
    /// Set when the nesting limit was exceeded: the parser then sees only EOF and unwinds.
    bailed: bool,
    /// The last parenthesized expression built and the expression inside all its
    /// parentheses: keeps `unparen` constant-time on long chains `((((x))))`.
    paren_cache: (ExprId, ExprId),
    /// Inside a top-level declaration, and inside the body of a function declaration.
    in_decl: bool,
    in_func_body: bool,
    /// Declarations only: the bodies of top-level functions are skipped (see
    /// `parse_declarations`).
    skip_bodies: bool,
    /// Skipped braces are searched for (`Lexer::skip_braces`) rather than read token by
    /// token; tests turn it off to compare the two.
    fast_skip: bool,
    /// Errors met so far (including discarded ones), and their count when the current
    /// top-level declaration began.
    error_count: usize,
    decl_errors: usize,
    /// A token read ahead by `peek`.
    peeked: Option<Token>,
    /// The real token held back while the parser sees a virtual EOF to unwind to the top
    /// level (see `resync_to_decl`).
    held: Option<Token>,

    // Scratch stacks: lists are built on top of them and moved into the tree in one piece.
    exprs: Vec<ExprId>,
    stmts: Vec<StmtId>,
    idents: Vec<IdentId>,
    fields: Vec<FieldId>,
    specs: Vec<SpecId>,
    params: Vec<(Option<IdentId>, Option<ExprId>)>,
}

impl crate::stack::Nested for Parser<'_> {
    fn depth(&mut self) -> &mut u32 {
        &mut self.depth
    }
}

impl<'a> Parser<'a> {
    fn new(src: &'a [u8]) -> Parser<'a> {
        let mut p = Parser {
            src,
            lexer: Lexer::new(src),
            file: File::default(),
            errors: Vec::new(),
            error_line: None,
            tok: TokenKind::Eof,
            pos: 0,
            tok_end: 0,
            implicit: false,
            ntok: 0,
            sync_pos: 0,
            sync_cnt: 0,
            expr_lev: 0,
            in_rhs: false,
            nest_lev: 0,
            depth: 0,
            bailed: false,
            paren_cache: (ExprId::new(u32::MAX), ExprId::new(u32::MAX)),
            in_decl: false,
            in_func_body: false,
            skip_bodies: false,
            fast_skip: true,
            error_count: 0,
            decl_errors: 0,
            peeked: None,
            held: None,
            exprs: Vec::new(),
            stmts: Vec::new(),
            idents: Vec::new(),
            fields: Vec::new(),
            specs: Vec::new(),
            params: Vec::new(),
        };
        // A rough size hint: about one expression per five bytes of Go.
        let hint = src.len() / 8;
        p.file.exprs.reserve(hint);
        p.file.idents.reserve(hint);
        p.file.stmts.reserve(hint / 4);
        // And about one list entry per 28 bytes (expressions) and per 77 (statements).
        p.file.expr_lists.reserve(src.len() / 20);
        p.file.stmt_lists.reserve(src.len() / 64);
        p.next();
        p
    }

    /// Runs `f` one level deeper in the recursion, first growing the stack when little is
    /// left (asked every `NEST_STRIDE` levels).
    #[inline]
    fn nested<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        crate::stack::nested(self, NEST_STRIDE, RED_ZONE, STACK_SEGMENT, f)
    }

    // ------------------------------------------------------------------------------------
    // Tokens

    fn next(&mut self) {
        if self.bailed {
            self.tok = TokenKind::Eof;
            self.pos = self.src.len() as u32;
            self.tok_end = self.pos;
            self.implicit = false;
            return;
        }
        if self.held.is_some() {
            // A virtual EOF stays put until the top level takes the held token back.
            return;
        }
        let t = match self.peeked.take() {
            Some(t) => t,
            None => self.lex(),
        };
        self.set_token(t);
        if self.tok == TokenKind::Func && self.in_decl {
            self.check_stray_func_decl();
        }
    }

    fn set_token(&mut self, t: Token) {
        self.tok = t.kind;
        self.pos = t.start;
        self.tok_end = t.end;
        self.implicit = t.implicit;
        self.ntok += 1;
    }

    /// The next token from the lexer, moving its errors into the list.
    fn lex(&mut self) -> Token {
        let t = self.lexer.next_token();
        let errs = self.lexer.take_errors();
        if !errs.is_empty() {
            // go/scanner's errors go straight into go/parser's list, unfiltered.
            for e in errs {
                self.error_count += 1;
                self.note_error_line(e.offset);
                if self.errors.len() < MAX_ERRORS {
                    self.errors.push(e);
                }
            }
        }
        t
    }

    /// The kind of the token after the current one.
    fn peek(&mut self) -> TokenKind {
        if self.peeked.is_none() && self.held.is_none() && !self.bailed {
            self.peeked = Some(self.lex());
        }
        self.peeked.map_or(TokenKind::Eof, |t| t.kind)
    }

    /// Whether the current token starts its line (column 1).
    fn at_line_start(&self) -> bool {
        self.pos == 0 || self.src.get(self.pos as usize - 1) == Some(&b'\n')
    }

    /// The current token is `func` inside a top-level declaration. If it is in the first
    /// column and followed by a name or a receiver list, and this declaration already has a
    /// syntax error, or it is followed by a name in a function body (never valid Go), it
    /// is the next top-level function that an error kept from closing the current one: the
    /// parser unwinds to the top level (`resync_to_decl`). go/parser has no such recovery;
    /// valid files are unaffected.
    #[cold]
    fn check_stray_func_decl(&mut self) {
        if self.held.is_some() || self.bailed || !self.at_line_start() {
            return;
        }
        let erroneous = self.error_count > self.decl_errors;
        let stray = match self.peek() {
            TokenKind::Ident => erroneous || self.in_func_body,
            TokenKind::LParen => erroneous,
            _ => false,
        };
        if stray {
            if !erroneous {
                // The error go/parser reports here, reading `func` as a function literal.
                if let Some(name) = self.peeked {
                    let lit = self.src.get(name.start as usize..name.end as usize);
                    let lit = String::from_utf8_lossy(lit.unwrap_or(&[])).into_owned();
                    self.error(name.start, format!("expected '(', found {lit}"));
                }
            }
            self.resync_to_decl();
        }
    }

    /// Makes the parser see EOF at the current token so that every open construct closes;
    /// `parse_file` then resumes with the held-back token. go/parser has no such recovery:
    /// it is what keeps a function after a broken one.
    fn resync_to_decl(&mut self) {
        let t = Token {
            kind: self.tok,
            start: self.pos,
            end: self.tok_end,
            implicit: self.implicit,
        };
        self.held = Some(t);
        self.tok = TokenKind::Eof;
        self.tok_end = self.pos;
        self.implicit = false;
    }

    /// Whether an error at `pos` only comes from the virtual EOF of `resync_to_decl`; errors
    /// about code before the held token (such as a parameter list's) are still reported.
    fn unwinding_past(&self, pos: u32) -> bool {
        self.held.is_some_and(|t| pos >= t.start)
    }

    /// Takes back the token held by `resync_to_decl`, if any.
    fn resume_after_resync(&mut self) {
        if let Some(t) = self.held.take() {
            self.tok = t.kind;
            self.pos = t.start;
            self.tok_end = t.end;
            self.implicit = t.implicit;
        }
    }

    /// The source text of the current token.
    fn lit(&self) -> &'a [u8] {
        self.src
            .get(self.pos as usize..self.tok_end as usize)
            .unwrap_or(&[])
    }

    /// Remembers the line of an error at `pos`. Computing it only when an error lands on
    /// another line keeps a long line with many errors linear.
    fn note_error_line(&mut self, pos: u32) {
        if self.on_error_line(pos) {
            return;
        }
        let len = self.src.len();
        let at = (pos as usize).min(len);
        let start = memchr::memrchr(b'\n', &self.src[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &self.src[at..]).map_or(len, |i| at + i);
        self.error_line = Some((start as u32, end as u32));
    }

    fn on_error_line(&self, pos: u32) -> bool {
        let pos = pos.min(self.src.len() as u32);
        self.error_line
            .is_some_and(|(start, end)| start <= pos && pos <= end)
    }

    /// Whether an error at `pos` is to be recorded: not after the nesting limit, not an
    /// artifact of unwinding, and, like go/parser without AllErrors, not on the line of the
    /// previous error (likely spurious).
    fn want_error(&mut self, pos: u32) -> bool {
        self.error_count += 1;
        !(self.bailed || self.unwinding_past(pos) || self.on_error_line(pos))
    }

    fn record_error(&mut self, pos: u32, message: String) {
        self.note_error_line(pos);
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(SyntaxError {
                offset: pos,
                message,
            });
        }
    }

    fn error(&mut self, pos: u32, msg: impl Into<String>) {
        if self.want_error(pos) {
            self.record_error(pos, msg.into());
        }
    }

    /// `error` with a message built only if the error is recorded.
    fn error_with(&mut self, pos: u32, msg: impl FnOnce() -> String) {
        if self.want_error(pos) {
            self.record_error(pos, msg());
        }
    }

    fn error_expected(&mut self, pos: u32, what: impl std::fmt::Display) {
        if !self.want_error(pos) {
            return;
        }
        let mut msg = format!("expected {what}");
        if pos == self.pos {
            // The error happened at the current position: say what was found.
            if self.tok == TokenKind::Semicolon && self.implicit {
                msg.push_str(", found newline");
            } else if self.tok.is_literal() {
                msg.push_str(", found ");
                msg.push_str(&String::from_utf8_lossy(self.lit()));
            } else {
                msg.push_str(", found '");
                msg.push_str(self.tok.as_str());
                msg.push('\'');
            }
        }
        self.record_error(pos, msg);
    }

    fn expect(&mut self, tok: TokenKind) -> u32 {
        let pos = self.pos;
        if self.tok != tok {
            self.error_expected(pos, format_args!("'{}'", tok.as_str()));
        }
        self.next(); // make progress
        pos
    }

    /// Like `expect`, but `None` when the token is not there.
    fn expect2(&mut self, tok: TokenKind) -> Option<u32> {
        let pos = if self.tok == tok {
            Some(self.pos)
        } else {
            self.error_expected(self.pos, format_args!("'{}'", tok.as_str()));
            None
        };
        self.next();
        pos
    }

    /// Like `expect`, with a better message for a missing comma before a newline.
    fn expect_closing(&mut self, tok: TokenKind, context: &str) -> u32 {
        if self.tok != tok && self.tok == TokenKind::Semicolon && self.implicit {
            self.error_with(self.pos, || {
                format!("missing ',' before newline in {context}")
            });
            self.next();
        }
        self.expect(tok)
    }

    fn expect_semi(&mut self) {
        // A semicolon is optional before a closing ')' or '}'.
        if self.tok != TokenKind::RParen && self.tok != TokenKind::RBrace {
            match self.tok {
                TokenKind::Comma => {
                    // Permit a ',' instead of a ';' but complain.
                    self.error_expected(self.pos, "';'");
                    self.next();
                }
                TokenKind::Semicolon => self.next(),
                _ => {
                    self.error_expected(self.pos, "';'");
                    self.advance(Sync::StmtStart);
                }
            }
        }
    }

    fn at_comma(&mut self, context: &str, follow: TokenKind) -> bool {
        if self.tok == TokenKind::Comma {
            return true;
        }
        if self.tok != follow {
            let newline = self.tok == TokenKind::Semicolon && self.implicit;
            self.error_with(self.pos, || {
                let before = if newline { " before newline" } else { "" };
                format!("missing ','{before} in {context}")
            });
            return true; // "insert" a comma and continue
        }
        false
    }

    /// Consumes tokens until the current one is in `to`, or EOF. For error recovery.
    fn advance(&mut self, to: Sync) {
        while self.tok != TokenKind::Eof {
            if to.contains(self.tok) {
                // Return only if the parser made progress since the last sync or has not
                // reached ten advance calls without progress; otherwise consume at least one
                // token to avoid an endless loop.
                if self.pos == self.sync_pos && self.sync_cnt < 10 {
                    self.sync_cnt += 1;
                    return;
                }
                if self.pos > self.sync_pos {
                    self.sync_pos = self.pos;
                    self.sync_cnt = 0;
                    return;
                }
            }
            self.next();
        }
    }

    /// A defensive progress guard for list loops: if an iteration consumed nothing,
    /// consume one token so that the loop cannot spin.
    fn ensure_progress(&mut self, before: u64) {
        if self.ntok == before && self.tok != TokenKind::Eof {
            self.next();
        }
    }

    /// Counts one nesting level; past the limit, reports it and makes the parser see EOF.
    fn inc_nest(&mut self) {
        self.nest_lev += 1;
        if self.nest_lev > MAX_NEST_LEV && !self.bailed {
            self.error(self.pos, "exceeded max nesting depth");
            self.bailed = true;
            self.next();
        }
    }

    /// Clamps a position to the end of the file, like go/parser's safePos.
    fn safe_pos(&self, pos: u32) -> u32 {
        pos.min(self.src.len() as u32)
    }

    // ------------------------------------------------------------------------------------
    // Tree building

    /// The span `[start, end)` of a new node. go/ast's ends can pass the end of the file by
    /// one after a syntax error there (a missing `}` at EOF ends at EOF+1); the tree keeps
    /// every span inside the source, which only changes such broken files.
    #[inline]
    fn span(&self, start: u32, end: u32) -> Span {
        let end = end.min(self.src.len() as u32);
        Span::new(start.min(end), end)
    }

    fn push_expr(&mut self, start: u32, end: u32, kind: ExprKind) -> ExprId {
        let id = ExprId::new(self.file.exprs.len() as u32);
        self.file.exprs.push(Expr {
            span: self.span(start, end),
            kind,
        });
        id
    }

    fn push_stmt(&mut self, start: u32, end: u32, kind: StmtKind) -> StmtId {
        let id = StmtId::new(self.file.stmts.len() as u32);
        self.file.stmts.push(Stmt {
            span: self.span(start, end),
            kind,
        });
        id
    }

    fn push_decl(&mut self, start: u32, end: u32, kind: DeclKind) -> DeclId {
        let id = DeclId::new(self.file.decl_arena.len() as u32);
        self.file.decl_arena.push(Decl {
            span: self.span(start, end),
            kind,
        });
        id
    }

    fn push_spec(&mut self, start: u32, end: u32, kind: SpecKind) -> SpecId {
        let id = SpecId::new(self.file.specs.len() as u32);
        self.file.specs.push(Spec {
            span: self.span(start, end),
            kind,
        });
        id
    }

    fn push_ident(&mut self, start: u32, end: u32, synthetic: bool) -> IdentId {
        let id = IdentId::new(self.file.idents.len() as u32);
        self.file.idents.push(Ident {
            span: self.span(start, end),
            synthetic,
        });
        id
    }

    /// A field; its span follows go/ast's `Field.Pos`/`End`.
    fn push_field(&mut self, names: Box<[IdentId]>, typ: ExprId, tag: Option<ExprId>) -> FieldId {
        let start = match names.first() {
            Some(&n) => self.file[n].span.start,
            None => self.file[typ].span.start,
        };
        let end = match tag {
            Some(t) => self.file[t].span.end,
            None => self.file[typ].span.end,
        };
        let id = FieldId::new(self.file.fields.len() as u32);
        self.file.fields.push(Field {
            span: self.span(start, end),
            names,
            typ,
            tag,
        });
        id
    }

    /// A field list; its span follows go/ast's `FieldList.Pos`/`End`.
    fn push_field_list(
        &mut self,
        opening: Option<u32>,
        list: Box<[FieldId]>,
        closing: Option<u32>,
    ) -> FieldListId {
        let start = match (opening, list.first()) {
            (Some(o), _) => o,
            (None, Some(&f)) => self.file[f].span.start,
            (None, None) => self.pos,
        };
        let end = match (closing, list.last()) {
            (Some(c), _) => c + 1,
            (None, Some(&f)) => self.file[f].span.end,
            (None, None) => start,
        };
        let id = FieldListId::new(self.file.field_lists.len() as u32);
        self.file.field_lists.push(FieldList {
            span: self.span(start, end),
            opening,
            list,
            closing,
        });
        id
    }

    /// A parenthesized expression `(x)`.
    fn paren_expr(&mut self, lparen: u32, x: ExprId, rparen: u32) -> ExprId {
        let inner = self.unparen(x);
        let id = self.push_expr(lparen, rparen + 1, ExprKind::Paren { x });
        self.paren_cache = (id, inner);
        id
    }

    fn ident_expr(&mut self, id: IdentId) -> ExprId {
        let span = self.file[id].span;
        self.push_expr(span.start, span.end, ExprKind::Ident(id))
    }

    fn bad_expr(&mut self, from: u32, to: u32) -> ExprId {
        self.push_expr(from, to, ExprKind::Bad)
    }

    fn espan(&self, id: ExprId) -> Span {
        self.file[id].span
    }

    fn sspan(&self, id: StmtId) -> Span {
        self.file[id].span
    }

    /// The expressions on the scratch stack from `mark`, moved into the tree as a list.
    fn take_exprs(&mut self, mark: usize) -> ExprList {
        let list = self.file.push_exprs(&self.exprs[mark..]);
        self.exprs.truncate(mark);
        list
    }

    /// The same, as a list of its own (for the few lists kept outside the list arena).
    fn take_exprs_boxed(&mut self, mark: usize) -> Box<[ExprId]> {
        let list: Box<[ExprId]> = self.exprs[mark..].into();
        self.exprs.truncate(mark);
        list
    }

    fn take_stmts(&mut self, mark: usize) -> StmtList {
        let list = self.file.push_stmts(&self.stmts[mark..]);
        self.stmts.truncate(mark);
        list
    }

    fn take_idents(&mut self, mark: usize) -> Box<[IdentId]> {
        let list: Box<[IdentId]> = self.idents[mark..].into();
        self.idents.truncate(mark);
        list
    }

    fn take_fields(&mut self, mark: usize) -> Box<[FieldId]> {
        let list: Box<[FieldId]> = self.fields[mark..].into();
        self.fields.truncate(mark);
        list
    }

    fn take_specs(&mut self, mark: usize) -> Box<[SpecId]> {
        let list: Box<[SpecId]> = self.specs[mark..].into();
        self.specs.truncate(mark);
        list
    }

    // ------------------------------------------------------------------------------------
    // Identifiers

    fn parse_ident(&mut self) -> IdentId {
        let pos = self.pos;
        if self.tok == TokenKind::Ident {
            let end = self.tok_end;
            self.next();
            self.push_ident(pos, end, false)
        } else {
            self.expect(TokenKind::Ident); // use expect() error handling
            self.push_ident(pos, pos + 1, true)
        }
    }

    /// Parses `a, b, c` onto the ident scratch stack.
    fn parse_ident_list(&mut self) {
        let id = self.parse_ident();
        self.idents.push(id);
        while self.tok == TokenKind::Comma {
            self.next();
            let id = self.parse_ident();
            self.idents.push(id);
        }
    }

    /// The identifier an expression is, if it is one.
    fn as_ident(&self, x: ExprId) -> Option<IdentId> {
        match self.file[x].kind {
            ExprKind::Ident(id) => Some(id),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_file_opts;
    use crate::ast::File;

    /// The comment groups of `f` as lists of spans.
    fn comments(f: &File) -> Vec<Vec<(u32, u32)>> {
        f.comments
            .iter()
            .map(|g| g.list.iter().map(|c| (c.span.start, c.span.end)).collect())
            .collect()
    }

    /// Declarations parsed with skipped braces searched for and read token by token: the
    /// same tree, node for node, on every GOROOT file and on broken copies of each (cut, or
    /// with noise inserted: braces, quotes, comment starts, newlines, `func` at the start of
    /// a line); the same comments outside the skipped braces. Where the token path
    /// reports lexical errors inside skipped braces, those are the one difference allowed:
    /// the search reports none.
    #[test]
    fn searched_braces_give_the_tree_of_braces_read_token_by_token() {
        let files = crate::walk::tests::goroot_files();
        let mut next = crate::walk::tests::xorshift(0x2545_f491_4f6c_dd1d, 0x9e37_79b9_7f4a_7c15);
        const NOISE: &[&[u8]] = &[
            b"{", b"}", b"\"", b"'", b"`", b"//", b"/*", b"*/", b"\n", b"\nfunc ", b"\\", b"\x00",
        ];
        let (mut compared, mut broken, mut dropped) = (0usize, 0usize, 0usize);
        for path in &files {
            let src = std::fs::read(path).unwrap();
            let mut inputs = vec![src.clone()];
            let mut cut = src.clone();
            cut.truncate(next(src.len() + 1));
            inputs.push(cut);
            let mut noisy = src.clone();
            for _ in 0..3 {
                let at = next(noisy.len() + 1);
                let n = NOISE[next(NOISE.len())];
                noisy.splice(at..at, n.iter().copied());
            }
            inputs.push(noisy);
            for (k, input) in inputs.iter().enumerate() {
                let (fast, fast_errors) = parse_file_opts(input, true, true);
                let (slow, slow_errors) = parse_file_opts(input, true, false);
                let at = format!("{} (copy {k})", path.display());
                if fast_errors != slow_errors {
                    // Lexical errors inside skipped braces, which only the token path
                    // reports (and which may then hide a later error on their line, or steer
                    // error recovery elsewhere): one of them must be among the difference.
                    let lexical = |m: &str| {
                        [
                            "illegal",
                            "not terminated",
                            "escape",
                            "invalid",
                            "digits",
                            "separate",
                        ]
                        .iter()
                        .any(|w| m.contains(w))
                    };
                    assert!(
                        slow_errors
                            .iter()
                            .any(|e| lexical(&e.message) && !fast_errors.contains(e)),
                        "{at}: {fast_errors:?} vs {slow_errors:?}"
                    );
                    broken += 1;
                    continue;
                }
                let (mut a, mut b) = (fast.clone(), slow.clone());
                a.comments.clear();
                b.comments.clear();
                assert!(
                    crate::dump::dump(&a) == crate::dump::dump(&b),
                    "{at}: the trees differ"
                );
                let kept = comments(&fast);
                let all = comments(&slow);
                // The comments the search leaves out are a run of the token path's.
                let mut rest = all.iter();
                for g in &kept {
                    assert!(rest.any(|h| h == g), "{at}: comment group {g:?}");
                }
                dropped += all.len() - kept.len();
                compared += 1;
            }
        }
        assert!(
            compared > 15_000 && dropped > 50_000,
            "compared {compared} trees ({broken} with errors inside skipped braces), \
             {dropped} comment groups skipped"
        );
    }

    /// A declarations-only tree, kept by importers for a whole run, holds no room beyond its
    /// nodes, while a whole parse keeps what it reserved by the size of the source; shrinking
    /// a tree changes none of it.
    #[test]
    fn declarations_keep_no_room_beyond_their_nodes() {
        let body = "\tx := []int{1, 2, 3}\n\tfor i := range x {\n\t\tx[i]++\n\t}\n";
        let src = format!(
            "package p\n\n// F does things.\nfunc F() {{\n{}}}\n",
            body.repeat(500)
        );
        let (decls, _) = super::parse_file_with(src.as_bytes(), true);
        let room = |f: &File| {
            [
                f.idents.capacity() - f.idents.len(),
                f.exprs.capacity() - f.exprs.len(),
                f.stmts.capacity() - f.stmts.len(),
                f.expr_lists.capacity() - f.expr_lists.len(),
                f.stmt_lists.capacity() - f.stmt_lists.len(),
            ]
        };
        assert_eq!(room(&decls), [0; 5]);
        let (mut whole, _) = super::parse_file(src.as_bytes());
        assert!(room(&whole).iter().all(|&r| r > 0), "{:?}", room(&whole));
        let before = crate::dump::dump(&whole);
        whole.shrink_to_fit();
        assert_eq!(room(&whole), [0; 5]);
        assert!(crate::dump::dump(&whole) == before);
    }
}
