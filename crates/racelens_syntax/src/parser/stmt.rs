//! Statements: simple statements and their modes, blocks, if/switch/select/for headers with
//! go/parser's control-clause rules, type switch guards and range clauses.

use super::{Parser, Sync};
use crate::ast::*;
use crate::token::TokenKind;
use std::num::NonZeroU32;

/// What `parse_simple_stmt` may accept beyond a basic simple statement.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Basic,
    LabelOk,
    RangeOk,
}

/// The result of `parse_simple_stmt`: a statement, or the head of a range clause
/// (`k, v := range x`), which only the `for` statement turns into a node.
enum Simple {
    Stmt(StmtId),
    Range(RangeHead),
}

struct RangeHead {
    lhs: Box<[ExprId]>,
    tok: Option<TokenKind>,
    tok_pos: Option<u32>,
    x: ExprId,
}

impl Parser<'_> {
    /// Parses statements onto the statement scratch stack until `case`, `default`, `}` or EOF.
    fn parse_stmt_list(&mut self) {
        while !matches!(
            self.tok,
            TokenKind::Case | TokenKind::Default | TokenKind::RBrace | TokenKind::Eof
        ) {
            let before = self.ntok;
            let s = self.parse_stmt();
            self.stmts.push(s);
            self.ensure_progress(before);
        }
    }

    /// A block; its span ends after `}`, or where go/ast says when `}` is missing.
    pub(super) fn block(&mut self, lbrace: u32, mark: usize, rbrace: Option<u32>) -> StmtId {
        let end = match (rbrace, self.stmts[mark..].last()) {
            (Some(r), _) => r + 1,
            (None, Some(&s)) => self.sspan(s).end,
            (None, None) => lbrace + 1,
        };
        let rbrace = rbrace.unwrap_or(self.pos);
        let list = self.take_stmts(mark);
        self.push_stmt(
            lbrace,
            end,
            StmtKind::Block {
                lbrace,
                list,
                rbrace,
            },
        )
    }

    pub(super) fn parse_body(&mut self) -> StmtId {
        self.parse_block_stmt()
    }

    fn parse_block_stmt(&mut self) -> StmtId {
        let lbrace = self.expect(TokenKind::LBrace);
        let mark = self.stmts.len();
        self.parse_stmt_list();
        let rbrace = self.expect2(TokenKind::RBrace);
        self.block(lbrace, mark, rbrace)
    }

    fn parse_simple_stmt(&mut self, mode: Mode) -> Simple {
        let mark = self.exprs.len();
        self.parse_list(false);

        match self.tok {
            TokenKind::Define
            | TokenKind::Assign
            | TokenKind::AddAssign
            | TokenKind::SubAssign
            | TokenKind::MulAssign
            | TokenKind::QuoAssign
            | TokenKind::RemAssign
            | TokenKind::AndAssign
            | TokenKind::OrAssign
            | TokenKind::XorAssign
            | TokenKind::ShlAssign
            | TokenKind::ShrAssign
            | TokenKind::AndNotAssign => {
                // assignment statement, possibly part of a range clause
                let (pos, tok) = (self.pos, self.tok);
                self.next();
                if mode == Mode::RangeOk
                    && self.tok == TokenKind::Range
                    && (tok == TokenKind::Define || tok == TokenKind::Assign)
                {
                    self.next();
                    let x = self.parse_rhs();
                    if tok == TokenKind::Define {
                        self.check_assign_lhs(mark);
                    }
                    let lhs = self.take_exprs_boxed(mark);
                    return Simple::Range(RangeHead {
                        lhs,
                        tok: Some(tok),
                        tok_pos: Some(pos),
                        x,
                    });
                }
                let rmark = self.exprs.len();
                self.parse_list(true);
                let rhs = self.take_exprs(rmark);
                if tok == TokenKind::Define {
                    self.check_assign_lhs(mark);
                }
                let start = self.espan(self.exprs[mark]).start;
                let end = self.espan(self.file[rhs][rhs.len() - 1]).end;
                let lhs = self.take_exprs(mark);
                let s = self.push_stmt(
                    start,
                    end,
                    StmtKind::Assign {
                        lhs,
                        tok_pos: pos,
                        tok,
                        rhs,
                    },
                );
                return Simple::Stmt(s);
            }
            _ => {}
        }

        let x0 = self.exprs[mark];
        if self.exprs.len() - mark > 1 {
            let pos = self.espan(x0).start;
            self.error_expected(pos, "1 expression");
            // continue with the first expression
        }
        self.exprs.truncate(mark);

        let x0span = self.espan(x0);
        let s = match self.tok {
            TokenKind::Colon => {
                // labeled statement
                let colon = self.pos;
                self.next();
                if let (Mode::LabelOk, Some(label)) = (mode, self.as_ident(x0)) {
                    let stmt = self.parse_stmt();
                    let end = self.sspan(stmt).end;
                    return Simple::Stmt(self.push_stmt(
                        x0span.start,
                        end,
                        StmtKind::Labeled { label, stmt },
                    ));
                }
                // The label declaration may be erroneous because of a token before the ':';
                // report the error at the colon.
                self.error(colon, "illegal label declaration");
                self.push_stmt(x0span.start, colon + 1, StmtKind::Bad)
            }
            TokenKind::Arrow => {
                // send statement
                let arrow = self.pos;
                self.next();
                let value = self.parse_rhs();
                let end = self.espan(value).end;
                self.push_stmt(
                    x0span.start,
                    end,
                    StmtKind::Send {
                        chan: x0,
                        arrow,
                        value,
                    },
                )
            }
            TokenKind::Inc | TokenKind::Dec => {
                // increment or decrement
                let (pos, tok) = (self.pos, self.tok);
                self.next();
                self.push_stmt(x0span.start, pos + 2, StmtKind::IncDec { x: x0, tok })
            }
            _ => self.push_stmt(x0span.start, x0span.end, StmtKind::Expr(x0)),
        };
        Simple::Stmt(s)
    }

    /// Checks the left side of `:=`, the expressions of the scratch stack from `mark` on.
    fn check_assign_lhs(&mut self, mark: usize) {
        for k in mark..self.exprs.len() {
            let x = self.exprs[k];
            if self.as_ident(x).is_none() {
                let pos = self.espan(x).start;
                self.error_expected(pos, "identifier on left side of :=");
            }
        }
    }

    fn simple_stmt(&mut self, mode: Mode) -> StmtId {
        match self.parse_simple_stmt(mode) {
            Simple::Stmt(s) => s,
            // Only RangeOk yields a range head.
            Simple::Range(h) => {
                let span = self.espan(h.x);
                self.push_stmt(span.start, span.end, StmtKind::Bad)
            }
        }
    }

    /// Parses the call of a `go` or `defer` statement; `None` if it is not a call.
    fn parse_call_expr(&mut self, call_type: &str) -> Option<ExprId> {
        let x = self.parse_rhs_or_type(); // could be a conversion: (some type)(x)
        match self.file[x].kind {
            ExprKind::Call { .. } => Some(x),
            ExprKind::Bad => None,
            _ => {
                // Only report the error if it is a new one.
                let end = self.safe_pos(self.espan(x).end);
                self.error(
                    end,
                    format!("function must be invoked in {call_type} statement"),
                );
                None
            }
        }
    }

    fn parse_go_or_defer_stmt(&mut self, keyword: TokenKind) -> StmtId {
        let pos = self.expect(keyword);
        let call = self.parse_call_expr(keyword.as_str());
        self.expect_semi();
        let Some(call) = call else {
            let len = keyword.as_str().len() as u32;
            return self.push_stmt(pos, pos + len, StmtKind::Bad);
        };
        let end = self.espan(call).end;
        let kind = if keyword == TokenKind::Go {
            StmtKind::Go { call }
        } else {
            StmtKind::Defer { call }
        };
        self.push_stmt(pos, end, kind)
    }

    fn parse_return_stmt(&mut self) -> StmtId {
        let pos = self.pos;
        self.expect(TokenKind::Return);
        let mark = self.exprs.len();
        if self.tok != TokenKind::Semicolon && self.tok != TokenKind::RBrace {
            self.parse_list(true);
        }
        self.expect_semi();
        let results = self.take_exprs(mark);
        let end = match self.file[results].last() {
            Some(&r) => self.espan(r).end,
            None => pos + 6,
        };
        self.push_stmt(pos, end, StmtKind::Return { results })
    }

    fn parse_branch_stmt(&mut self, tok: TokenKind) -> StmtId {
        let pos = self.expect(tok);
        let mut label = None;
        if tok != TokenKind::Fallthrough && self.tok == TokenKind::Ident {
            label = Some(self.parse_ident());
        }
        self.expect_semi();
        let end = match label {
            Some(l) => self.file[l].span.end,
            None => pos + tok.as_str().len() as u32,
        };
        self.push_stmt(pos, end, StmtKind::Branch { tok, label })
    }

    fn make_expr(&mut self, s: Option<StmtId>, want: &str) -> Option<ExprId> {
        let s = s?;
        if let StmtKind::Expr(x) = self.file[s].kind {
            return Some(self.check_expr(x));
        }
        let found = match self.file[s].kind {
            StmtKind::Assign { .. } => "assignment",
            _ => "simple statement",
        };
        let span = self.sspan(s);
        self.error(
            span.start,
            format!(
                "expected {want}, found {found} (missing parentheses around composite literal?)"
            ),
        );
        let end = self.safe_pos(span.end);
        Some(self.bad_expr(span.start, end))
    }

    fn parse_if_header(&mut self) -> (Option<StmtId>, ExprId) {
        if self.tok == TokenKind::LBrace {
            self.error(self.pos, "missing condition in if statement");
            let pos = self.pos;
            return (None, self.bad_expr(pos, pos));
        }

        let prev_lev = self.expr_lev;
        self.expr_lev = -1;

        let mut init = None;
        if self.tok != TokenKind::Semicolon {
            // Accept a potential variable declaration but complain.
            if self.tok == TokenKind::Var {
                self.next();
                self.error(self.pos, "var declaration not allowed in 'IF' initializer");
            }
            init = Some(self.simple_stmt(Mode::Basic));
        }

        let mut cond_stmt = None;
        let mut semi: Option<(u32, bool)> = None;
        if self.tok != TokenKind::LBrace {
            if self.tok == TokenKind::Semicolon {
                semi = Some((self.pos, self.implicit));
                self.next();
            } else {
                self.expect(TokenKind::Semicolon);
            }
            if self.tok != TokenKind::LBrace {
                cond_stmt = Some(self.simple_stmt(Mode::Basic));
            }
        } else {
            cond_stmt = init.take();
        }

        let mut cond = None;
        if cond_stmt.is_some() {
            cond = self.make_expr(cond_stmt, "boolean expression");
        } else if let Some((pos, implicit)) = semi {
            if implicit {
                self.error(pos, "unexpected newline, expecting { after if clause");
            } else {
                self.error(pos, "missing condition in if statement");
            }
        }

        // Make sure we have a valid tree.
        let cond = match cond {
            Some(c) => c,
            None => self.bad_expr(self.pos, self.pos),
        };
        self.expr_lev = prev_lev;
        (init, cond)
    }

    fn parse_if_stmt(&mut self) -> StmtId {
        self.nested(|p| {
            let base = p.nest_lev;
            p.inc_nest();
            let r = p.parse_if_stmt_inner();
            p.nest_lev = base;
            r
        })
    }

    fn parse_if_stmt_inner(&mut self) -> StmtId {
        let pos = self.expect(TokenKind::If);
        let (init, cond) = self.parse_if_header();
        let body = self.parse_block_stmt();

        let mut els = None;
        if self.tok == TokenKind::Else {
            self.next();
            match self.tok {
                TokenKind::If => els = Some(self.parse_if_stmt()),
                TokenKind::LBrace => {
                    els = Some(self.parse_block_stmt());
                    self.expect_semi();
                }
                _ => {
                    self.error_expected(self.pos, "if statement or block");
                    let p = self.pos;
                    els = Some(self.push_stmt(p, p, StmtKind::Bad));
                }
            }
        } else {
            self.expect_semi();
        }
        let end = match els {
            Some(e) => self.sspan(e).end,
            None => self.sspan(body).end,
        };
        self.push_stmt(
            pos,
            end,
            StmtKind::If {
                init,
                cond,
                body,
                els,
            },
        )
    }

    fn parse_case_clause(&mut self, type_switch: bool) -> StmtId {
        let pos = self.pos;
        let mark = self.exprs.len();
        let is_default;
        if self.tok == TokenKind::Case {
            is_default = false;
            self.next();
            if type_switch {
                let t = self.parse_type();
                self.exprs.push(t);
                while self.tok == TokenKind::Comma {
                    self.next();
                    let t = self.parse_type();
                    self.exprs.push(t);
                }
            } else {
                self.parse_list(true);
            }
        } else {
            is_default = true;
            self.expect(TokenKind::Default);
        }
        let list = self.take_exprs(mark);
        let colon = self.expect(TokenKind::Colon);
        let smark = self.stmts.len();
        self.parse_stmt_list();
        let body = self.take_stmts(smark);
        let end = match self.file[body].last() {
            Some(&s) => self.sspan(s).end,
            None => colon + 1,
        };
        self.push_stmt(
            pos,
            end,
            StmtKind::CaseClause {
                list,
                is_default,
                colon,
                body,
            },
        )
    }

    fn is_type_switch_assert(&self, x: ExprId) -> bool {
        matches!(self.file[x].kind, ExprKind::TypeAssert { typ: None, .. })
    }

    fn is_type_switch_guard(&mut self, s: Option<StmtId>) -> bool {
        let Some(s) = s else { return false };
        match &self.file[s].kind {
            StmtKind::Expr(x) => self.is_type_switch_assert(*x),
            StmtKind::Assign {
                lhs,
                tok_pos,
                tok,
                rhs,
            } if lhs.len() == 1
                && rhs.len() == 1
                && self.is_type_switch_assert(self.file[*rhs][0]) =>
            {
                match tok {
                    TokenKind::Assign => {
                        // Permit v = x.(type) but complain.
                        let p = *tok_pos;
                        self.error(p, "expected ':=', found '='");
                        true
                    }
                    TokenKind::Define => true,
                    _ => false,
                }
            }
            _ => false,
        }
    }

    fn parse_switch_stmt(&mut self) -> StmtId {
        let pos = self.expect(TokenKind::Switch);

        let mut s1 = None;
        let mut s2 = None;
        if self.tok != TokenKind::LBrace {
            let prev_lev = self.expr_lev;
            self.expr_lev = -1;
            if self.tok != TokenKind::Semicolon {
                s2 = Some(self.simple_stmt(Mode::Basic));
            }
            if self.tok == TokenKind::Semicolon {
                self.next();
                s1 = s2.take();
                if self.tok != TokenKind::LBrace {
                    s2 = Some(self.simple_stmt(Mode::Basic));
                }
            }
            self.expr_lev = prev_lev;
        }

        let type_switch = self.is_type_switch_guard(s2);
        let lbrace = self.expect(TokenKind::LBrace);
        let mark = self.stmts.len();
        while self.tok == TokenKind::Case || self.tok == TokenKind::Default {
            let c = self.parse_case_clause(type_switch);
            self.stmts.push(c);
        }
        let rbrace = self.expect(TokenKind::RBrace);
        self.expect_semi();
        let body = self.block(lbrace, mark, Some(rbrace));
        let end = self.sspan(body).end;

        if type_switch {
            if let Some(assign) = s2 {
                return self.push_stmt(
                    pos,
                    end,
                    StmtKind::TypeSwitch {
                        init: s1,
                        assign,
                        body,
                    },
                );
            }
        }
        let tag = self.make_expr(s2, "switch expression");
        self.push_stmt(
            pos,
            end,
            StmtKind::Switch {
                init: s1,
                tag,
                body,
            },
        )
    }

    fn parse_comm_clause(&mut self) -> StmtId {
        let pos = self.pos;
        let mut comm = None;
        if self.tok == TokenKind::Case {
            self.next();
            let mark = self.exprs.len();
            self.parse_list(false);
            let n = self.exprs.len() - mark;
            let x0 = self.exprs[mark];
            if self.tok == TokenKind::Arrow {
                // SendStmt
                if n > 1 {
                    let p = self.espan(x0).start;
                    self.error_expected(p, "1 expression");
                    // continue with the first expression
                }
                self.exprs.truncate(mark);
                let arrow = self.pos;
                self.next();
                let value = self.parse_rhs();
                let start = self.espan(x0).start;
                let end = self.espan(value).end;
                comm = Some(self.push_stmt(
                    start,
                    end,
                    StmtKind::Send {
                        chan: x0,
                        arrow,
                        value,
                    },
                ));
            } else if self.tok == TokenKind::Assign || self.tok == TokenKind::Define {
                // RecvStmt with assignment
                let tok = self.tok;
                if n > 2 {
                    let p = self.espan(x0).start;
                    self.error_expected(p, "1 or 2 expressions");
                    // continue with the first two expressions
                    self.exprs.truncate(mark + 2);
                }
                let tok_pos = self.pos;
                self.next();
                let rhs = self.parse_rhs();
                if tok == TokenKind::Define {
                    self.check_assign_lhs(mark);
                }
                let start = self.espan(self.exprs[mark]).start;
                let end = self.espan(rhs).end;
                let lhs = self.take_exprs(mark);
                let rhs = self.file.push_exprs(&[rhs]);
                comm = Some(self.push_stmt(
                    start,
                    end,
                    StmtKind::Assign {
                        lhs,
                        tok_pos,
                        tok,
                        rhs,
                    },
                ));
            } else {
                // lhs must be a single receive operation
                if n > 1 {
                    let p = self.espan(x0).start;
                    self.error_expected(p, "1 expression");
                    // continue with the first expression
                }
                self.exprs.truncate(mark);
                let span = self.espan(x0);
                comm = Some(self.push_stmt(span.start, span.end, StmtKind::Expr(x0)));
            }
        } else {
            self.expect(TokenKind::Default);
        }

        let colon = self.expect(TokenKind::Colon);
        let smark = self.stmts.len();
        self.parse_stmt_list();
        let body = self.take_stmts(smark);
        let end = match self.file[body].last() {
            Some(&s) => self.sspan(s).end,
            None => colon + 1,
        };
        self.push_stmt(pos, end, StmtKind::CommClause { comm, colon, body })
    }

    fn parse_select_stmt(&mut self) -> StmtId {
        let pos = self.expect(TokenKind::Select);
        let lbrace = self.expect(TokenKind::LBrace);
        let mark = self.stmts.len();
        while self.tok == TokenKind::Case || self.tok == TokenKind::Default {
            let c = self.parse_comm_clause();
            self.stmts.push(c);
        }
        let rbrace = self.expect(TokenKind::RBrace);
        self.expect_semi();
        let body = self.block(lbrace, mark, Some(rbrace));
        let end = self.sspan(body).end;
        self.push_stmt(pos, end, StmtKind::Select { body })
    }

    fn parse_for_stmt(&mut self) -> StmtId {
        let pos = self.expect(TokenKind::For);

        let mut s1 = None;
        let mut s2 = None;
        let mut s3 = None;
        let mut range: Option<RangeHead> = None;
        if self.tok != TokenKind::LBrace {
            let prev_lev = self.expr_lev;
            self.expr_lev = -1;
            if self.tok != TokenKind::Semicolon {
                if self.tok == TokenKind::Range {
                    // "for range x" (no left-hand side)
                    self.next();
                    let x = self.parse_rhs();
                    range = Some(RangeHead {
                        lhs: Box::new([]),
                        tok: None,
                        tok_pos: None,
                        x,
                    });
                } else {
                    match self.parse_simple_stmt(Mode::RangeOk) {
                        Simple::Stmt(s) => s2 = Some(s),
                        Simple::Range(h) => range = Some(h),
                    }
                }
            }
            if range.is_none() && self.tok == TokenKind::Semicolon {
                self.next();
                s1 = s2.take();
                if self.tok != TokenKind::Semicolon {
                    s2 = Some(self.simple_stmt(Mode::Basic));
                }
                self.expect_semi();
                if self.tok != TokenKind::LBrace {
                    s3 = Some(self.simple_stmt(Mode::Basic));
                }
            }
            self.expr_lev = prev_lev;
        }

        let body = self.parse_block_stmt();
        self.expect_semi();
        let end = self.sspan(body).end;

        if let Some(h) = range {
            let (key, value) = match h.lhs.len() {
                0 => (None, None),
                1 => (Some(h.lhs[0]), None),
                2 => (Some(h.lhs[0]), Some(h.lhs[1])),
                n => {
                    let p = self.espan(h.lhs[n - 1]).start;
                    self.error_expected(p, "at most 2 expressions");
                    let end = self.safe_pos(end);
                    return self.push_stmt(pos, end, StmtKind::Bad);
                }
            };
            return self.push_stmt(
                pos,
                end,
                StmtKind::Range {
                    key,
                    value,
                    tok: h.tok,
                    tok_pos: h.tok_pos.and_then(NonZeroU32::new),
                    x: h.x,
                    body,
                },
            );
        }

        // regular for statement
        let cond = self.make_expr(s2, "boolean or range expression");
        self.push_stmt(
            pos,
            end,
            StmtKind::For {
                init: s1,
                cond,
                post: s3,
                body,
            },
        )
    }

    pub(super) fn parse_stmt(&mut self) -> StmtId {
        self.nested(|p| {
            let base = p.nest_lev;
            p.inc_nest();
            let r = p.parse_stmt_inner();
            p.nest_lev = base;
            r
        })
    }

    fn parse_stmt_inner(&mut self) -> StmtId {
        use TokenKind::*;
        match self.tok {
            Const | Type | Var => {
                let d = self.parse_decl(Sync::StmtStart);
                let span = self.file[d].span;
                self.push_stmt(span.start, span.end, StmtKind::Decl(d))
            }
            // tokens that may start an expression
            Ident | Int | Float | Imag | Char | String | Func | LParen // operands
            | LBrack | Struct | Map | Chan | Interface // composite types
            | Add | Sub | Mul | And | Xor | Arrow | Not => {
                // unary operators
                let s = self.simple_stmt(Mode::LabelOk);
                // Because of the required look-ahead, labeled statements are parsed by
                // parse_simple_stmt: don't expect a semicolon after them.
                if !matches!(self.file[s].kind, StmtKind::Labeled { .. }) {
                    self.expect_semi();
                }
                s
            }
            Go | Defer => self.parse_go_or_defer_stmt(self.tok),
            Return => self.parse_return_stmt(),
            Break | Continue | Goto | Fallthrough => self.parse_branch_stmt(self.tok),
            LBrace => {
                let s = self.parse_block_stmt();
                self.expect_semi();
                s
            }
            If => self.parse_if_stmt(),
            Switch => self.parse_switch_stmt(),
            Select => self.parse_select_stmt(),
            For => self.parse_for_stmt(),
            Semicolon => {
                let (pos, implicit) = (self.pos, self.implicit);
                self.next();
                let end = if implicit { pos } else { pos + 1 };
                self.push_stmt(pos, end, StmtKind::Empty { implicit })
            }
            RBrace => {
                // A semicolon may be omitted before a closing "}".
                let pos = self.pos;
                self.push_stmt(pos, pos, StmtKind::Empty { implicit: true })
            }
            _ => {
                // no statement found
                let pos = self.pos;
                self.error_expected(pos, "statement");
                self.advance(Sync::StmtStart);
                self.push_stmt(pos, self.pos, StmtKind::Bad)
            }
        }
    }
}
