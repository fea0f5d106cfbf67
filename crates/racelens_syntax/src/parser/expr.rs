//! Expressions: operands, primary expressions (selectors, indexes, slices, calls, composite
//! literals), unary and binary expressions, with go/parser's composite-literal and `<-chan`
//! rules.

use super::{Parser, Sync};
use crate::ast::*;
use crate::token::TokenKind;
use std::num::NonZeroU32;

impl Parser<'_> {
    /// Parses `e1, e2, ...` onto the expression scratch stack.
    pub(super) fn parse_expr_list(&mut self) {
        let x = self.parse_expr();
        let x = self.check_expr(x);
        self.exprs.push(x);
        while self.tok == TokenKind::Comma {
            self.next();
            let x = self.parse_expr();
            let x = self.check_expr(x);
            self.exprs.push(x);
        }
    }

    /// Parses an expression list onto the scratch stack, as a right-hand side if `in_rhs`.
    pub(super) fn parse_list(&mut self, in_rhs: bool) {
        let old = self.in_rhs;
        self.in_rhs = in_rhs;
        self.parse_expr_list();
        self.in_rhs = old;
    }

    pub(super) fn parse_basic_lit(&mut self) -> ExprId {
        let kind = match self.tok {
            TokenKind::Int => LitKind::Int,
            TokenKind::Float => LitKind::Float,
            TokenKind::Imag => LitKind::Imag,
            TokenKind::Char => LitKind::Char,
            _ => LitKind::String,
        };
        // The span is the token's source range; go/ast's End of a raw string with carriage
        // returns (which go/scanner drops from the value) is the dump's business.
        let (pos, end) = (self.pos, self.tok_end);
        self.next();
        self.push_expr(pos, end, ExprKind::BasicLit { kind })
    }

    fn parse_func_type_or_lit(&mut self) -> ExprId {
        let typ = self.parse_func_type();
        if self.tok != TokenKind::LBrace {
            // function type only
            return typ;
        }
        self.expr_lev += 1;
        let body = self.parse_body();
        self.expr_lev -= 1;
        let start = self.espan(typ).start;
        let end = self.sspan(body).end;
        self.push_expr(start, end, ExprKind::FuncLit { typ, body })
    }

    /// An operand; may also be a type (including raw types like `[...]T`): callers check.
    fn parse_operand(&mut self) -> ExprId {
        match self.tok {
            TokenKind::Ident => {
                let id = self.parse_ident();
                return self.ident_expr(id);
            }
            TokenKind::Int
            | TokenKind::Float
            | TokenKind::Imag
            | TokenKind::Char
            | TokenKind::String => return self.parse_basic_lit(),
            TokenKind::LParen => {
                let lparen = self.pos;
                self.next();
                self.expr_lev += 1;
                let x = self.parse_rhs_or_type(); // types may be parenthesized: (some type)
                self.expr_lev -= 1;
                let rparen = self.expect(TokenKind::RParen);
                return self.paren_expr(lparen, x, rparen);
            }
            TokenKind::Func => return self.parse_func_type_or_lit(),
            _ => {}
        }
        if let Some(typ) = self.try_ident_or_type() {
            // Could be the type of a composite literal or a conversion.
            return typ;
        }
        // We have an error.
        let pos = self.pos;
        self.error_expected(pos, "operand");
        self.advance(Sync::StmtStart);
        self.bad_expr(pos, self.pos)
    }

    fn parse_selector(&mut self, x: ExprId) -> ExprId {
        let sel = self.parse_ident();
        let start = self.espan(x).start;
        let end = self.file[sel].span.end;
        self.push_expr(start, end, ExprKind::Selector { x, sel })
    }

    fn parse_type_assertion(&mut self, x: ExprId) -> ExprId {
        let lparen = self.expect(TokenKind::LParen);
        let typ = if self.tok == TokenKind::Type {
            // type switch: typ == None
            self.next();
            None
        } else {
            Some(self.parse_type())
        };
        let rparen = self.expect(TokenKind::RParen);
        let start = self.espan(x).start;
        self.push_expr(start, rparen + 1, ExprKind::TypeAssert { x, lparen, typ })
    }

    fn parse_index_or_slice_or_instance(&mut self, x: ExprId) -> ExprId {
        let lbrack = self.expect(TokenKind::LBrack);
        let start = self.espan(x).start;
        if self.tok == TokenKind::RBrack {
            // Empty index, slice or index expressions are not permitted; accept them for
            // parsing tolerance, but complain.
            self.error_expected(self.pos, "operand");
            let rbrack = self.pos;
            self.next();
            let index = self.bad_expr(rbrack, rbrack);
            return self.push_expr(start, rbrack + 1, ExprKind::Index { x, lbrack, index });
        }
        self.expr_lev += 1;

        let mut index: [Option<ExprId>; 3] = [None; 3];
        let mut colons = [0u32; 2];
        let mut ncolons = 0usize;
        let mark = self.exprs.len();
        let mut instance = false;
        if self.tok != TokenKind::Colon {
            // We can't know if we have an index expression or a type instantiation; so even
            // if we see a (named) type we are not going to be in type context.
            index[0] = Some(self.parse_rhs_or_type());
        }
        match self.tok {
            TokenKind::Colon => {
                // slice expression
                while self.tok == TokenKind::Colon && ncolons < colons.len() {
                    colons[ncolons] = self.pos;
                    ncolons += 1;
                    self.next();
                    if !matches!(
                        self.tok,
                        TokenKind::Colon | TokenKind::RBrack | TokenKind::Eof
                    ) {
                        index[ncolons] = Some(self.parse_rhs());
                    }
                }
            }
            TokenKind::Comma => {
                // instance expression
                instance = true;
                if let Some(i0) = index[0] {
                    self.exprs.push(i0);
                }
                while self.tok == TokenKind::Comma {
                    self.next();
                    if self.tok != TokenKind::RBrack && self.tok != TokenKind::Eof {
                        let t = self.parse_type();
                        self.exprs.push(t);
                    }
                }
            }
            _ => {}
        }
        self.expr_lev -= 1;
        let rbrack = self.expect(TokenKind::RBrack);

        if ncolons > 0 {
            // slice expression
            let mut slice3 = false;
            if ncolons == 2 {
                slice3 = true;
                // Check the presence of the 2nd and 3rd index here rather than during type
                // checking, as go/parser does.
                if index[1].is_none() {
                    self.error(colons[0], "2nd index required in 3-index slice");
                    index[1] = Some(self.bad_expr(colons[0] + 1, colons[1]));
                }
                if index[2].is_none() {
                    self.error(colons[1], "3rd index required in 3-index slice");
                    index[2] = Some(self.bad_expr(colons[1] + 1, rbrack));
                }
            }
            return self.push_expr(
                start,
                rbrack + 1,
                ExprKind::Slice {
                    x,
                    lbrack,
                    low: index[0],
                    high: index[1],
                    max: index[2],
                    slice3,
                },
            );
        }

        if !instance {
            // index expression
            let index = match index[0] {
                Some(i) => i,
                None => self.bad_expr(lbrack + 1, rbrack),
            };
            return self.push_expr(start, rbrack + 1, ExprKind::Index { x, lbrack, index });
        }

        // instance expression
        self.pack_index_expr(x, lbrack, mark, rbrack)
    }

    fn parse_call_or_conversion(&mut self, fun: ExprId) -> ExprId {
        let lparen = self.expect(TokenKind::LParen);
        self.expr_lev += 1;
        let mark = self.exprs.len();
        let mut ellipsis = None;
        while self.tok != TokenKind::RParen && self.tok != TokenKind::Eof && ellipsis.is_none() {
            let before = self.ntok;
            // Builtins may expect a type: make(some type, ...).
            let a = self.parse_rhs_or_type();
            self.exprs.push(a);
            if self.tok == TokenKind::Ellipsis {
                ellipsis = NonZeroU32::new(self.pos);
                self.next();
            }
            if !self.at_comma("argument list", TokenKind::RParen) {
                break;
            }
            self.next();
            self.ensure_progress(before);
        }
        self.expr_lev -= 1;
        let rparen = self.expect_closing(TokenKind::RParen, "argument list");
        let args = self.take_exprs(mark);
        let start = self.espan(fun).start;
        self.push_expr(
            start,
            rparen + 1,
            ExprKind::Call {
                fun,
                lparen,
                args,
                ellipsis,
            },
        )
    }

    fn parse_value(&mut self) -> ExprId {
        if self.tok == TokenKind::LBrace {
            return self.parse_literal_value(None);
        }
        let x = self.parse_expr();
        self.check_expr(x)
    }

    fn parse_element(&mut self) -> ExprId {
        let x = self.parse_value();
        if self.tok == TokenKind::Colon {
            let colon = self.pos;
            self.next();
            let value = self.parse_value();
            let start = self.espan(x).start;
            let end = self.espan(value).end;
            return self.push_expr(
                start,
                end,
                ExprKind::KeyValue {
                    key: x,
                    colon,
                    value,
                },
            );
        }
        x
    }

    pub(super) fn parse_literal_value(&mut self, typ: Option<ExprId>) -> ExprId {
        // go/parser does not count this recursion; counting it keeps `{{{...}}}` bounded.
        self.nested(|p| {
            let base = p.nest_lev;
            p.inc_nest();
            let r = p.parse_literal_value_inner(typ);
            p.nest_lev = base;
            r
        })
    }

    fn parse_literal_value_inner(&mut self, typ: Option<ExprId>) -> ExprId {
        if self.skip_bodies
            && self.tok == TokenKind::LBrace
            && typ.is_some_and(|t| self.type_without_elements(t))
        {
            return self.skip_literal_value(typ);
        }
        let lbrace = self.expect(TokenKind::LBrace);
        let mark = self.exprs.len();
        self.expr_lev += 1;
        if self.tok != TokenKind::RBrace {
            while self.tok != TokenKind::RBrace && self.tok != TokenKind::Eof {
                let before = self.ntok;
                let e = self.parse_element();
                self.exprs.push(e);
                if !self.at_comma("composite literal", TokenKind::RBrace) {
                    break;
                }
                self.next();
                self.ensure_progress(before);
            }
        }
        self.expr_lev -= 1;
        let rbrace = self.expect_closing(TokenKind::RBrace, "composite literal");
        let elts = self.take_exprs(mark);
        self.composite_lit(typ, lbrace, elts, rbrace)
    }

    fn composite_lit(
        &mut self,
        typ: Option<ExprId>,
        lbrace: u32,
        elts: ExprList,
        rbrace: u32,
    ) -> ExprId {
        let start = match typ {
            Some(t) => self.espan(t).start,
            None => lbrace,
        };
        self.push_expr(
            start,
            rbrace + 1,
            ExprKind::CompositeLit {
                typ,
                lbrace,
                elts,
                rbrace,
                incomplete: false,
            },
        )
    }

    /// Whether the type of a composite literal of type `t` is `t` whatever its elements:
    /// all but an array of inferred length, `[...]T`, which its elements size.
    fn type_without_elements(&self, t: ExprId) -> bool {
        match &self.file[self.unparen(t)].kind {
            ExprKind::ArrayType { len: Some(n), .. } => {
                !matches!(self.file[*n].kind, ExprKind::Ellipsis { .. })
            }
            ExprKind::ArrayType { len: None, .. }
            | ExprKind::MapType { .. }
            | ExprKind::StructType { .. }
            | ExprKind::Ident(_)
            | ExprKind::Selector { .. }
            | ExprKind::Index { .. }
            | ExprKind::IndexList { .. } => true,
            _ => false,
        }
    }

    /// Declarations only (`parse_declarations`): skips the value of a composite literal
    /// whose type does not depend on it by matching braces, leaving a literal without
    /// elements and with the full literal's span. Packages read for their API hold tables
    /// of thousands of elements (Unicode tables, protocol buffer descriptors) that only the
    /// literal's type matters for; a tree of them costs time and memory for nothing.
    fn skip_literal_value(&mut self, typ: Option<ExprId>) -> ExprId {
        let lbrace = self.pos;
        // Unbalanced, the literal runs to the end of the file.
        let rbrace = self.skip_braces().unwrap_or(self.pos);
        self.composite_lit(typ, lbrace, ExprList::default(), rbrace)
    }

    /// `x` without its parentheses.
    pub(super) fn unparen(&self, mut x: ExprId) -> ExprId {
        while let ExprKind::Paren { x: inner } = self.file[x].kind {
            if x == self.paren_cache.0 {
                return self.paren_cache.1;
            }
            x = inner;
        }
        x
    }

    /// Checks that `x` is an expression (and not a type).
    pub(super) fn check_expr(&mut self, x: ExprId) -> ExprId {
        let u = self.unparen(x);
        match self.file[u].kind {
            ExprKind::Bad
            | ExprKind::Ident(_)
            | ExprKind::BasicLit { .. }
            | ExprKind::FuncLit { .. }
            | ExprKind::CompositeLit { .. }
            | ExprKind::Selector { .. }
            | ExprKind::Index { .. }
            | ExprKind::IndexList { .. }
            | ExprKind::Slice { .. }
            | ExprKind::TypeAssert { .. }
            | ExprKind::Call { .. }
            | ExprKind::Star { .. }
            | ExprKind::Unary { .. }
            | ExprKind::Binary { .. } => x,
            _ => {
                // All other nodes are not proper expressions.
                let span = self.espan(x);
                self.error_expected(span.start, "expression");
                let end = self.safe_pos(span.end);
                self.bad_expr(span.start, end)
            }
        }
    }

    /// Checks that `x` is an expression or a type (and not a raw type such as `[...]T`).
    fn check_expr_or_type(&mut self, x: ExprId) -> ExprId {
        let u = self.unparen(x);
        if let ExprKind::ArrayType { len: Some(len), .. } = self.file[u].kind {
            if let ExprKind::Ellipsis { .. } = self.file[len].kind {
                let lpos = self.espan(len).start;
                self.error(lpos, "expected array length, found '...'");
                let span = self.espan(x);
                let end = self.safe_pos(span.end);
                return self.bad_expr(span.start, end);
            }
        }
        x
    }

    pub(super) fn parse_primary_expr(&mut self, x: Option<ExprId>) -> ExprId {
        let base = self.nest_lev;
        let r = self.parse_primary_expr_inner(x);
        self.nest_lev = base;
        r
    }

    fn parse_primary_expr_inner(&mut self, x: Option<ExprId>) -> ExprId {
        let mut x = match x {
            Some(x) => x,
            None => self.parse_operand(),
        };
        // Nesting is counted per iteration: the loop builds a nested result.
        loop {
            self.inc_nest();
            match self.tok {
                TokenKind::Period => {
                    self.next();
                    match self.tok {
                        TokenKind::Ident => {
                            let x2 = self.check_expr_or_type(x);
                            x = self.parse_selector(x2);
                        }
                        TokenKind::LParen => {
                            let x2 = self.check_expr(x);
                            x = self.parse_type_assertion(x2);
                        }
                        _ => {
                            let pos = self.pos;
                            self.error_expected(pos, "selector or type assertion");
                            if self.tok != TokenKind::RBrace {
                                self.next(); // make progress
                            }
                            let sel = self.push_ident(pos, pos + 1, true);
                            let start = self.espan(x).start;
                            x = self.push_expr(start, pos + 1, ExprKind::Selector { x, sel });
                        }
                    }
                }
                TokenKind::LBrack => {
                    let x2 = self.check_expr(x);
                    x = self.parse_index_or_slice_or_instance(x2);
                }
                TokenKind::LParen => {
                    let x2 = self.check_expr_or_type(x);
                    x = self.parse_call_or_conversion(x2);
                }
                TokenKind::LBrace => {
                    // The operand may be a parenthesized composite literal type: accept it
                    // but complain.
                    let t = self.unparen(x);
                    // Does '{' belong to a composite literal or to a block?
                    match self.file[t].kind {
                        ExprKind::Bad
                        | ExprKind::Ident(_)
                        | ExprKind::Selector { .. }
                        | ExprKind::Index { .. }
                        | ExprKind::IndexList { .. } => {
                            if self.expr_lev < 0 {
                                return x;
                            }
                            // x is possibly a composite literal type
                        }
                        ExprKind::ArrayType { .. }
                        | ExprKind::StructType { .. }
                        | ExprKind::MapType { .. } => {
                            // x is a composite literal type
                        }
                        _ => return x,
                    }
                    if t != x {
                        let tpos = self.espan(t).start;
                        self.error(tpos, "cannot parenthesize type in composite literal");
                    }
                    x = self.parse_literal_value(Some(x));
                }
                _ => return x,
            }
        }
    }

    pub(super) fn parse_unary_expr(&mut self) -> ExprId {
        self.nested(|p| {
            let base = p.nest_lev;
            p.inc_nest();
            let r = p.parse_unary_expr_inner();
            p.nest_lev = base;
            r
        })
    }

    fn parse_unary_expr_inner(&mut self) -> ExprId {
        match self.tok {
            TokenKind::Add
            | TokenKind::Sub
            | TokenKind::Not
            | TokenKind::Xor
            | TokenKind::And
            | TokenKind::Tilde => {
                let (pos, op) = (self.pos, self.tok);
                self.next();
                let x = self.parse_unary_expr();
                let x = self.check_expr(x);
                let end = self.espan(x).end;
                self.push_expr(pos, end, ExprKind::Unary { op, x })
            }
            TokenKind::Arrow => {
                // channel type or receive expression
                let mut arrow = self.pos;
                self.next();
                // If the next token is `chan` we still don't know if it is a channel type or
                // a receive: `<- type` must be a channel type, `<- expr` is a receive. In the
                // first case the arrow is re-associated with the channel type parsed:
                //   <- (chan type)    =>  (<-chan type)
                //   <- (chan<- type)  =>  (<-chan (<-type))
                let x = self.parse_unary_expr();
                if let ExprKind::ChanType { .. } = self.file[x].kind {
                    // (<-type): re-associate position info and <-
                    let mut dir = ChanDir::Send;
                    let mut typ = Some(x);
                    while let Some(t) = typ {
                        if dir != ChanDir::Send {
                            break;
                        }
                        let ExprKind::ChanType {
                            dir: tdir,
                            arrow: tarrow,
                            value,
                        } = self.file[t].kind
                        else {
                            break;
                        };
                        if tdir == ChanDir::Recv {
                            // error: (<-type) is (<-(<-chan T))
                            let apos = tarrow.unwrap_or(self.pos);
                            self.error_expected(apos, "'chan'");
                        }
                        let node = &mut self.file.exprs[t.index()];
                        node.span.start = arrow;
                        node.kind = ExprKind::ChanType {
                            dir: ChanDir::Recv,
                            arrow: Some(arrow),
                            value,
                        };
                        // go/parser moves the old arrow (NoPos when absent) outwards; an
                        // absent arrow can only be followed by the end of this loop.
                        arrow = tarrow.unwrap_or(0);
                        dir = tdir;
                        typ = match self.file[value].kind {
                            ExprKind::ChanType { .. } => Some(value),
                            _ => None,
                        };
                    }
                    if dir == ChanDir::Send {
                        self.error_expected(arrow, "channel type");
                    }
                    return x;
                }
                // <-(expr)
                let x = self.check_expr(x);
                let end = self.espan(x).end;
                self.push_expr(
                    arrow,
                    end,
                    ExprKind::Unary {
                        op: TokenKind::Arrow,
                        x,
                    },
                )
            }
            TokenKind::Mul => {
                // pointer type or unary "*" expression
                let pos = self.pos;
                self.next();
                let x = self.parse_unary_expr();
                let x = self.check_expr_or_type(x);
                let end = self.espan(x).end;
                self.push_expr(pos, end, ExprKind::Star { x })
            }
            _ => self.parse_primary_expr(None),
        }
    }

    fn tok_prec(&self) -> (TokenKind, u8) {
        let mut tok = self.tok;
        if self.in_rhs && tok == TokenKind::Assign {
            tok = TokenKind::Eql;
        }
        (tok, tok.precedence())
    }

    /// A (possibly) binary expression with `x`, if given, as its left operand. With `check`,
    /// operands are checked to be expressions.
    pub(super) fn parse_binary_expr(
        &mut self,
        x: Option<ExprId>,
        prec1: u8,
        check: bool,
    ) -> ExprId {
        let base = self.nest_lev;
        let r = self.parse_binary_expr_inner(x, prec1, check);
        self.nest_lev = base;
        r
    }

    fn parse_binary_expr_inner(&mut self, x: Option<ExprId>, prec1: u8, check: bool) -> ExprId {
        let mut x = match x {
            Some(x) => x,
            None => self.parse_unary_expr(),
        };
        // Nesting is counted per iteration: the loop builds a nested result.
        loop {
            self.inc_nest();
            let (op, oprec) = self.tok_prec();
            if oprec < prec1 {
                return x;
            }
            let op_pos = self.expect(op);
            let mut y = self.parse_binary_expr(None, oprec + 1, check);
            if check {
                x = self.check_expr(x);
                y = self.check_expr(y);
            }
            let start = self.espan(x).start;
            let end = self.espan(y).end;
            x = self.push_expr(start, end, ExprKind::Binary { x, op, op_pos, y });
        }
    }

    /// An expression; the result may be a type or even a raw type (`[...]int`): callers
    /// check it.
    pub(super) fn parse_expr(&mut self) -> ExprId {
        self.parse_binary_expr(None, 1, true)
    }

    pub(super) fn parse_rhs(&mut self) -> ExprId {
        let old = self.in_rhs;
        self.in_rhs = true;
        let x = self.parse_expr();
        let x = self.check_expr(x);
        self.in_rhs = old;
        x
    }

    pub(super) fn parse_rhs_or_type(&mut self) -> ExprId {
        let old = self.in_rhs;
        self.in_rhs = true;
        let x = self.parse_expr();
        let x = self.check_expr_or_type(x);
        self.in_rhs = old;
        x
    }
}
