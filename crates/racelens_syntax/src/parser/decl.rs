//! Declarations and the file: the package clause, imports, const/var/type specs (with the
//! array-or-type-parameter disambiguation of generic type declarations) and functions.

use super::{grow, Parser, Sync};
use crate::ast::*;
use crate::token::TokenKind;

/// Which spec parser a general declaration uses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SpecFn {
    Import,
    Value,
    Type,
}

impl Parser<'_> {
    fn parse_import_spec(&mut self) -> SpecId {
        let name = match self.tok {
            TokenKind::Period => {
                let pos = self.pos;
                self.next();
                Some(self.push_ident(pos, pos + 1, false))
            }
            TokenKind::Ident => Some(self.parse_ident()),
            _ => None,
        };

        let pos = self.pos;
        let path = if self.tok == TokenKind::String {
            let lit = self.lit();
            if !is_valid_import(lit) {
                let msg = format!("invalid import path: {}", String::from_utf8_lossy(lit));
                self.error(pos, msg);
            }
            self.parse_basic_lit()
        } else {
            self.expect(TokenKind::String); // use expect() error handling
            self.push_expr(
                pos,
                pos,
                ExprKind::BasicLit {
                    kind: LitKind::String,
                },
            )
        };
        self.expect_semi();

        let start = match name {
            Some(n) => self.file[n].span.start,
            None => pos,
        };
        let end = self.espan(path).end;
        self.push_spec(start, end, SpecKind::Import { name, path })
    }

    fn parse_value_spec(&mut self, keyword: TokenKind, iota: usize) -> SpecId {
        let pos = self.pos;
        let imark = self.idents.len();
        self.parse_ident_list();
        let typ = self.try_ident_or_type();
        let mark = self.exprs.len();
        // Always permit an optional initialization for more tolerant parsing.
        if self.tok == TokenKind::Assign {
            self.next();
            self.parse_list(true);
        }
        self.expect_semi();
        let values = self.take_exprs_boxed(mark);
        let names = self.take_idents(imark);

        match keyword {
            TokenKind::Var if typ.is_none() && values.is_empty() => {
                self.error(pos, "missing variable type or initialization");
            }
            TokenKind::Const if values.is_empty() && (iota == 0 || typ.is_some()) => {
                self.error(pos, "missing constant value");
            }
            _ => {}
        }

        let start = self.file[names[0]].span.start;
        let end = if let Some(&v) = values.last() {
            self.espan(v).end
        } else if let Some(t) = typ {
            self.espan(t).end
        } else {
            self.file[names[names.len() - 1]].span.end
        };
        self.push_spec(start, end, SpecKind::Value { names, typ, values })
    }

    /// The rest of a generic type spec after `name [`: the type parameters (the first one
    /// possibly already parsed as `name0 typ0`), then the type.
    fn parse_generic_type(
        &mut self,
        open_pos: u32,
        name0: Option<IdentId>,
        typ0: Option<ExprId>,
    ) -> (FieldListId, Option<u32>, ExprId) {
        let mark = self.fields.len();
        self.parse_parameter_list(name0, typ0, TokenKind::RBrack);
        let close_pos = self.expect(TokenKind::RBrack);
        let list = self.take_fields(mark);
        let tparams = self.push_field_list(Some(open_pos), list, Some(close_pos));
        // Let the type checker decide whether to accept type parameters on aliases.
        let mut assign = None;
        if self.tok == TokenKind::Assign {
            // type alias
            assign = Some(self.pos);
            self.next();
        }
        let typ = self.parse_type();
        (tparams, assign, typ)
    }

    fn parse_type_spec(&mut self) -> SpecId {
        let name = self.parse_ident();
        let mut type_params = None;
        let mut assign = None;
        let typ;

        if self.tok == TokenKind::LBrack {
            // name "[" ...: an array/slice type or a type parameter list
            let lbrack = self.pos;
            self.next();
            if self.tok == TokenKind::Ident {
                // We may have an array type or a type parameter list. In either case we
                // expect an expression x (a name, or a more complex expression) to analyse.
                // A type parameter may have a bound starting with "[" (P []E): since index
                // and slice expressions are never constant array lengths, a name followed by
                // "[" starts an array or slice constraint, and only otherwise do we parse a
                // full expression.
                let id = self.parse_ident();
                let mut x = self.ident_expr(id);
                if self.tok != TokenKind::LBrack {
                    self.expr_lev += 1;
                    let lhs = self.parse_primary_expr(Some(x));
                    x = self.parse_binary_expr(Some(lhs), 1, false);
                    self.expr_lev -= 1;
                }
                // Can x be split into a type parameter name, possibly followed by a type
                // parameter type? Then this is a type parameter list, except that a single
                // name followed by "]" means an array length.
                let force = self.tok == TokenKind::Comma;
                let (pname, ptype) = self.extract_name(x, force);
                if pname.is_some() && (ptype.is_some() || self.tok != TokenKind::RBrack) {
                    let (tp, a, t) = self.parse_generic_type(lbrack, pname, ptype);
                    type_params = Some(tp);
                    assign = a;
                    typ = t;
                } else {
                    typ = self.parse_array_type(lbrack, Some(x));
                }
            } else {
                // array type
                typ = self.parse_array_type(lbrack, None);
            }
        } else {
            // no type parameters
            if self.tok == TokenKind::Assign {
                // type alias
                assign = Some(self.pos);
                self.next();
            }
            typ = self.parse_type();
        }

        self.expect_semi();
        let start = self.file[name].span.start;
        let end = self.espan(typ).end;
        self.push_spec(
            start,
            end,
            SpecKind::Type {
                name,
                type_params,
                assign,
                typ,
            },
        )
    }

    /// Splits `x` into `(name, expr)` if `x` can be written as `name expr`; the split only
    /// happens if `expr` is a type element or if `force` is set. A plain name gives
    /// `(name, None)`; no split gives `(None, Some(x))`.
    fn extract_name(&mut self, x: ExprId, force: bool) -> (Option<IdentId>, Option<ExprId>) {
        grow(|| self.extract_name_inner(x, force))
    }

    fn extract_name_inner(&mut self, x: ExprId, force: bool) -> (Option<IdentId>, Option<ExprId>) {
        match self.file[x].kind {
            ExprKind::Ident(id) => return (Some(id), None),
            ExprKind::Binary {
                x: bx,
                op,
                op_pos,
                y,
            } => match op {
                TokenKind::Mul => {
                    if let Some(name) = self.as_ident(bx) {
                        if force || self.is_type_elem(y) {
                            // x = name *y: the binary node becomes the pointer type.
                            let end = self.espan(y).end;
                            let node = &mut self.file.exprs[x.index()];
                            node.span = Span::new(op_pos, end);
                            node.kind = ExprKind::Star { x: y };
                            return (Some(name), Some(x));
                        }
                    }
                }
                TokenKind::Or => {
                    let f = force || self.is_type_elem(y);
                    if let (Some(name), Some(lhs)) = self.extract_name(bx, f) {
                        // x = name lhs|y
                        let start = self.espan(lhs).start;
                        let node = &mut self.file.exprs[x.index()];
                        node.span.start = start;
                        node.kind = ExprKind::Binary {
                            x: lhs,
                            op,
                            op_pos,
                            y,
                        };
                        return (Some(name), Some(x));
                    }
                }
                _ => {}
            },
            ExprKind::Call {
                fun,
                args,
                ellipsis,
                ..
            } => {
                if let Some(name) = self.as_ident(fun) {
                    if args.len() == 1 && ellipsis.is_none() {
                        let a = self.file[args][0];
                        if force || self.is_type_elem(a) {
                            // x = name "(" arg ")"
                            return (Some(name), Some(a));
                        }
                    }
                }
            }
            _ => {}
        }
        (None, Some(x))
    }

    /// Whether `x` is a (possibly parenthesized) type element expression; false if it could
    /// also be an ordinary value expression.
    fn is_type_elem(&self, x: ExprId) -> bool {
        grow(|| match self.file[x].kind {
            ExprKind::ArrayType { .. }
            | ExprKind::StructType { .. }
            | ExprKind::FuncType { .. }
            | ExprKind::InterfaceType { .. }
            | ExprKind::MapType { .. }
            | ExprKind::ChanType { .. } => true,
            ExprKind::Binary { x, y, .. } => self.is_type_elem(x) || self.is_type_elem(y),
            ExprKind::Unary { op, .. } => op == TokenKind::Tilde,
            ExprKind::Paren { x } => self.is_type_elem(x),
            _ => false,
        })
    }

    fn parse_spec(&mut self, f: SpecFn, keyword: TokenKind, iota: usize) -> SpecId {
        match f {
            SpecFn::Import => self.parse_import_spec(),
            SpecFn::Value => self.parse_value_spec(keyword, iota),
            SpecFn::Type => self.parse_type_spec(),
        }
    }

    fn parse_gen_decl(&mut self, keyword: TokenKind, f: SpecFn) -> DeclId {
        let pos = self.expect(keyword);
        let mark = self.specs.len();
        let mut lparen = None;
        let mut rparen = None;
        if self.tok == TokenKind::LParen {
            lparen = Some(self.pos);
            self.next();
            let mut iota = 0;
            while self.tok != TokenKind::RParen && self.tok != TokenKind::Eof {
                let before = self.ntok;
                let s = self.parse_spec(f, keyword, iota);
                self.specs.push(s);
                iota += 1;
                self.ensure_progress(before);
            }
            rparen = Some(self.expect(TokenKind::RParen));
            self.expect_semi();
        } else {
            let s = self.parse_spec(f, keyword, 0);
            self.specs.push(s);
        }
        let specs = self.take_specs(mark);
        let end = match (rparen, specs.first()) {
            (Some(r), _) => r + 1,
            (None, Some(&s)) => self.file[s].span.end,
            (None, None) => pos,
        };
        self.push_decl(
            pos,
            end,
            DeclKind::Gen {
                tok: keyword,
                lparen,
                specs,
                rparen,
            },
        )
    }

    fn parse_func_decl(&mut self) -> DeclId {
        let pos = self.expect(TokenKind::Func);

        let mut recv = None;
        if self.tok == TokenKind::LParen {
            let (_, r) = self.parse_parameters(false);
            recv = Some(r);
        }

        let name = self.parse_ident();
        let (mut tparams, params) = self.parse_parameters(true);
        if let (Some(_), Some(tp)) = (recv, tparams) {
            // Method declarations have no type parameters; they are parsed for a better
            // error message and recovery.
            let opening = self.file[tp].opening.unwrap_or(self.pos);
            self.error(opening, "method must have no type parameters");
            tparams = None;
        }
        let results = self.parse_result();

        let mut body = None;
        match self.tok {
            TokenKind::LBrace => {
                body = Some(self.parse_func_body());
                self.expect_semi();
            }
            TokenKind::Semicolon => {
                self.next();
                if self.tok == TokenKind::LBrace {
                    // opening { of the function body on the next line
                    self.error(self.pos, "unexpected semicolon or newline before {");
                    body = Some(self.parse_func_body());
                    self.expect_semi();
                }
            }
            _ => self.expect_semi(),
        }

        let typ = self.func_type(Some(pos), tparams, params, results);
        let end = match body {
            Some(b) => self.sspan(b).end,
            None => self.espan(typ).end,
        };
        self.push_decl(
            pos,
            end,
            DeclKind::Func {
                recv,
                name,
                typ,
                body,
            },
        )
    }

    fn begin_decl(&mut self) {
        self.in_decl = true;
        self.decl_errors = self.error_count;
    }

    /// The body of a top-level function, where a stray `func` can end the body early.
    fn parse_func_body(&mut self) -> StmtId {
        if self.skip_bodies && self.tok == TokenKind::LBrace {
            return self.skip_func_body();
        }
        self.in_func_body = true;
        let body = self.parse_body();
        self.in_func_body = false;
        body
    }

    /// Skips a function body by matching braces: an empty block with the body's span. An
    /// unbalanced body runs to the end of the file, as the full parse would complain there.
    fn skip_func_body(&mut self) -> StmtId {
        let lbrace = self.pos;
        let mark = self.stmts.len();
        let rbrace = self.skip_braces();
        self.block(lbrace, mark, rbrace)
    }

    /// Skips from the current `{` to its matching `}`, which is consumed: its position, or
    /// `None` when the file ends first (reported there, as the full parse would).
    pub(super) fn skip_braces(&mut self) -> Option<u32> {
        // Mostly a search of the bytes (`Lexer::skip_braces`); token by token where that
        // declines, and always when a token was read ahead or the parser is unwinding.
        if self.tok == TokenKind::LBrace
            && self.fast_skip
            && self.peeked.is_none()
            && self.held.is_none()
            && !self.bailed
        {
            if let Some(rbrace) = self.lexer.skip_braces(self.pos) {
                self.next();
                return Some(rbrace);
            }
        }
        let mut depth = 0usize;
        loop {
            match self.tok {
                TokenKind::LBrace => depth += 1,
                TokenKind::RBrace => {
                    depth -= 1;
                    if depth == 0 {
                        let rbrace = self.pos;
                        self.next();
                        return Some(rbrace);
                    }
                }
                TokenKind::Eof => {
                    self.error_expected(self.pos, "'}'");
                    return None;
                }
                _ => {}
            }
            self.next();
        }
    }

    pub(super) fn parse_decl(&mut self, sync: Sync) -> DeclId {
        let f = match self.tok {
            TokenKind::Const | TokenKind::Var => SpecFn::Value,
            TokenKind::Type => SpecFn::Type,
            TokenKind::Func => return self.parse_func_decl(),
            _ => {
                let pos = self.pos;
                self.error_expected(pos, "declaration");
                self.advance(sync);
                return self.push_decl(pos, self.pos, DeclKind::Bad);
            }
        };
        self.parse_gen_decl(self.tok, f)
    }

    pub(super) fn parse_file(&mut self) {
        // go/parser gives up on a file whose first token or package clause has errors; this
        // parser goes on, so that editors still get a tree.
        let pos = self.expect(TokenKind::Package);
        let name = self.parse_ident();
        self.expect_semi();

        let mut decls = Vec::new();
        while self.tok == TokenKind::Import {
            self.begin_decl();
            decls.push(self.parse_gen_decl(TokenKind::Import, SpecFn::Import));
            self.in_decl = false;
        }
        loop {
            self.resume_after_resync();
            if self.tok == TokenKind::Eof {
                break;
            }
            let before = self.ntok;
            self.begin_decl();
            decls.push(self.parse_decl(Sync::DeclStart));
            self.in_decl = false;
            if self.held.is_none() {
                self.ensure_progress(before);
            }
        }

        let end = match decls.last() {
            Some(&d) => self.file[d].span.end,
            None => self.file[name].span.end,
        };
        self.file.span = self.span(pos, end);
        self.file.package = pos;
        self.file.name = Some(name);
        self.file.decls = decls;
    }
}

/// go/parser's isValidImport: the unquoted path is non-empty and has only graphic,
/// non-space characters outside ``!"#$%&'()*,:;<=>?[\]^{|}` `` and U+FFFD. Graphic is
/// approximated as "not a control character".
fn is_valid_import(lit: &[u8]) -> bool {
    const ILLEGAL: &str = "!\"#$%&'()*,:;<=>?[\\]^{|}`\u{FFFD}";
    let Some(s) = unquote(lit) else {
        return false;
    };
    !s.is_empty()
        && s.chars()
            .all(|r| !r.is_control() && !r.is_whitespace() && !ILLEGAL.contains(r))
}

/// A small strconv.Unquote for string literals; `None` if the literal is malformed.
fn unquote(lit: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(lit).ok()?;
    if text.len() < 2 {
        return None;
    }
    let (q, body) = (text.as_bytes()[0], &text[1..text.len() - 1]);
    if q == b'`' {
        if !text.ends_with('`') {
            return None;
        }
        return Some(body.replace('\r', ""));
    }
    if q != b'"' || !text.ends_with('"') {
        return None;
    }
    if !body.contains('\\') {
        return Some(body.to_string());
    }
    let mut out = String::new();
    let mut bytes: Vec<u8> = Vec::new();
    let mut chars = body.chars().peekable();
    let flush = |bytes: &mut Vec<u8>, out: &mut String| {
        if !bytes.is_empty() {
            out.push_str(&String::from_utf8_lossy(bytes));
            bytes.clear();
        }
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            flush(&mut bytes, &mut out);
            out.push(c);
            continue;
        }
        let e = chars.next()?;
        let simple = match e {
            'a' => Some('\x07'),
            'b' => Some('\x08'),
            'f' => Some('\x0c'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\x0b'),
            '\\' => Some('\\'),
            '"' => Some('"'),
            _ => None,
        };
        if let Some(c) = simple {
            flush(&mut bytes, &mut out);
            out.push(c);
            continue;
        }
        let digits = |chars: &mut std::iter::Peekable<std::str::Chars>, n: usize, radix: u32| {
            let mut v: u32 = 0;
            for _ in 0..n {
                v = v * radix + chars.next()?.to_digit(radix)?;
            }
            Some(v)
        };
        match e {
            'x' => bytes.push(digits(&mut chars, 2, 16)? as u8),
            '0'..='7' => {
                let rest = digits(&mut chars, 2, 8)?;
                let v = e.to_digit(8)? * 64 + rest;
                bytes.push(u8::try_from(v).ok()?);
            }
            'u' => {
                flush(&mut bytes, &mut out);
                out.push(char::from_u32(digits(&mut chars, 4, 16)?)?);
            }
            'U' => {
                flush(&mut bytes, &mut out);
                out.push(char::from_u32(digits(&mut chars, 8, 16)?)?);
            }
            _ => return None,
        }
    }
    flush(&mut bytes, &mut out);
    Some(out)
}
