//! Types: type names and instances, array, struct, pointer, function, interface, map and
//! channel types, parameter lists and type parameter lists (go/parser's type productions).

use super::{Parser, Sync};
use crate::ast::*;
use crate::token::TokenKind;

impl Parser<'_> {
    pub(super) fn parse_type(&mut self) -> ExprId {
        match self.try_ident_or_type() {
            Some(t) => t,
            None => {
                let pos = self.pos;
                self.error_expected(pos, "type");
                self.advance(Sync::ExprEnd);
                self.bad_expr(pos, self.pos)
            }
        }
    }

    pub(super) fn parse_qualified_ident(&mut self, ident: Option<IdentId>) -> ExprId {
        let mut typ = self.parse_type_name(ident);
        if self.tok == TokenKind::LBrack {
            typ = self.parse_type_instance(typ);
        }
        typ
    }

    /// An identifier or a qualified identifier `pkg.Name`.
    pub(super) fn parse_type_name(&mut self, ident: Option<IdentId>) -> ExprId {
        let ident = match ident {
            Some(id) => id,
            None => self.parse_ident(),
        };
        let x = self.ident_expr(ident);
        if self.tok == TokenKind::Period {
            // ident is a package name
            self.next();
            let sel = self.parse_ident();
            let start = self.espan(x).start;
            let end = self.file[sel].span.end;
            return self.push_expr(start, end, ExprKind::Selector { x, sel });
        }
        x
    }

    /// `[` has been consumed at `lbrack`; `len` is the already parsed length, if any.
    pub(super) fn parse_array_type(&mut self, lbrack: u32, len: Option<ExprId>) -> ExprId {
        let mut len = len;
        if len.is_none() {
            self.expr_lev += 1;
            // Always permit an ellipsis for more fault-tolerant parsing.
            if self.tok == TokenKind::Ellipsis {
                let pos = self.pos;
                len = Some(self.push_expr(pos, pos + 3, ExprKind::Ellipsis { elt: None }));
                self.next();
            } else if self.tok != TokenKind::RBrack {
                len = Some(self.parse_rhs());
            }
            self.expr_lev -= 1;
        }
        if self.tok == TokenKind::Comma {
            // Trailing commas are accepted in type parameter lists but not in array types.
            self.error(self.pos, "unexpected comma; expecting ]");
            self.next();
        }
        self.expect(TokenKind::RBrack);
        let elt = self.parse_type();
        let end = self.espan(elt).end;
        self.push_expr(lbrack, end, ExprKind::ArrayType { len, elt })
    }

    /// After a field or parameter name `x`, `[` starts either an array type `x [N]E` or an
    /// instantiated type `x[P, Q]`. Returns the name (`None` if `x` was part of the type)
    /// and the type.
    pub(super) fn parse_array_field_or_type_instance(
        &mut self,
        x: IdentId,
    ) -> (Option<IdentId>, ExprId) {
        let lbrack = self.expect(TokenKind::LBrack);
        let mark = self.exprs.len();
        if self.tok != TokenKind::RBrack {
            self.expr_lev += 1;
            let a = self.parse_rhs_or_type();
            self.exprs.push(a);
            while self.tok == TokenKind::Comma {
                self.next();
                let a = self.parse_rhs_or_type();
                self.exprs.push(a);
            }
            self.expr_lev -= 1;
        }
        let rbrack = self.expect(TokenKind::RBrack);
        let nargs = self.exprs.len() - mark;

        if nargs == 0 {
            // x []E
            let elt = self.parse_type();
            let end = self.espan(elt).end;
            return (
                Some(x),
                self.push_expr(lbrack, end, ExprKind::ArrayType { len: None, elt }),
            );
        }

        // x [P]E or x[P]
        if nargs == 1 {
            if let Some(elt) = self.try_ident_or_type() {
                // x [P]E
                let len = self.exprs[mark];
                self.exprs.truncate(mark);
                let end = self.espan(elt).end;
                return (
                    Some(x),
                    self.push_expr(
                        lbrack,
                        end,
                        ExprKind::ArrayType {
                            len: Some(len),
                            elt,
                        },
                    ),
                );
            }
        }

        // x[P], x[P1, P2], ...
        let xe = self.ident_expr(x);
        (None, self.pack_index_expr(xe, lbrack, mark, rbrack))
    }

    /// An `Index` for one index on the scratch stack above `mark`, an `IndexList` for more.
    pub(super) fn pack_index_expr(
        &mut self,
        x: ExprId,
        lbrack: u32,
        mark: usize,
        rbrack: u32,
    ) -> ExprId {
        let start = self.espan(x).start;
        if self.exprs.len() - mark == 1 {
            let index = self.exprs[mark];
            self.exprs.truncate(mark);
            self.push_expr(start, rbrack + 1, ExprKind::Index { x, lbrack, index })
        } else {
            let indices = self.take_exprs(mark);
            self.push_expr(
                start,
                rbrack + 1,
                ExprKind::IndexList { x, lbrack, indices },
            )
        }
    }

    fn parse_field_decl(&mut self) -> FieldId {
        let mark = self.idents.len();
        let typ;
        if self.tok == TokenKind::Ident {
            let name = self.parse_ident();
            if matches!(
                self.tok,
                TokenKind::Period | TokenKind::String | TokenKind::Semicolon | TokenKind::RBrace
            ) {
                // embedded type
                typ = if self.tok == TokenKind::Period {
                    self.parse_qualified_ident(Some(name))
                } else {
                    self.ident_expr(name)
                };
            } else {
                // name1, name2, ... T
                self.idents.push(name);
                while self.tok == TokenKind::Comma {
                    self.next();
                    let id = self.parse_ident();
                    self.idents.push(id);
                }
                // Careful dance: we don't know if we have an embedded instantiated type
                // T[P1, P2, ...] or a field T of array type []E or [P]E.
                if self.idents.len() - mark == 1 && self.tok == TokenKind::LBrack {
                    let (n, t) = self.parse_array_field_or_type_instance(name);
                    typ = t;
                    if n.is_none() {
                        self.idents.truncate(mark);
                    }
                } else {
                    // T P
                    typ = self.parse_type();
                }
            }
        } else {
            // Embedded, possibly generic type.
            typ = self.parse_type();
        }

        let mut tag = None;
        if self.tok == TokenKind::String {
            tag = Some(self.parse_basic_lit());
        }
        self.expect_semi();
        let names = self.take_idents(mark);
        self.push_field(names, typ, tag)
    }

    fn parse_struct_type(&mut self) -> ExprId {
        let pos = self.expect(TokenKind::Struct);
        let lbrace = self.expect(TokenKind::LBrace);
        let mark = self.fields.len();
        // A field declaration cannot start with '(' but we accept it here for more robust
        // parsing and better error messages (parse_field_decl complains if necessary).
        while matches!(
            self.tok,
            TokenKind::Ident | TokenKind::Mul | TokenKind::LParen
        ) {
            let before = self.ntok;
            let f = self.parse_field_decl();
            self.fields.push(f);
            self.ensure_progress(before);
        }
        let rbrace = self.expect(TokenKind::RBrace);
        let list = self.take_fields(mark);
        let fields = self.push_field_list(Some(lbrace), list, Some(rbrace));
        let end = self.file[fields].span.end;
        self.push_expr(
            pos,
            end,
            ExprKind::StructType {
                fields,
                incomplete: false,
            },
        )
    }

    fn parse_pointer_type(&mut self) -> ExprId {
        let star = self.expect(TokenKind::Mul);
        let base = self.parse_type();
        let end = self.espan(base).end;
        self.push_expr(star, end, ExprKind::Star { x: base })
    }

    fn parse_dots_type(&mut self) -> ExprId {
        let pos = self.expect(TokenKind::Ellipsis);
        let elt = self.parse_type();
        let end = self.espan(elt).end;
        self.push_expr(pos, end, ExprKind::Ellipsis { elt: Some(elt) })
    }

    fn parse_param_decl(
        &mut self,
        name: Option<IdentId>,
        type_sets_ok: bool,
    ) -> (Option<IdentId>, Option<ExprId>) {
        if name.is_none() && type_sets_ok && self.tok == TokenKind::Tilde {
            // "~" ...
            return (None, Some(self.embedded_elem(None)));
        }
        // A given name forces the identifier case.
        let tok = if name.is_some() {
            TokenKind::Ident
        } else {
            self.tok
        };
        let mut f_name: Option<IdentId> = None;
        let mut f_typ: Option<ExprId> = None;
        match tok {
            TokenKind::Ident => {
                let n = match name {
                    Some(n) => n,
                    None => self.parse_ident(),
                };
                f_name = Some(n);
                match self.tok {
                    TokenKind::Ident
                    | TokenKind::Mul
                    | TokenKind::Arrow
                    | TokenKind::Func
                    | TokenKind::Chan
                    | TokenKind::Map
                    | TokenKind::Struct
                    | TokenKind::Interface
                    | TokenKind::LParen => {
                        // name type
                        f_typ = Some(self.parse_type());
                    }
                    TokenKind::LBrack => {
                        // name "[" type1, ..., typeN "]" or name "[" n "]" type
                        let (n2, t) = self.parse_array_field_or_type_instance(n);
                        f_name = n2;
                        f_typ = Some(t);
                    }
                    TokenKind::Ellipsis => {
                        // name "..." type
                        f_typ = Some(self.parse_dots_type());
                        return (f_name, f_typ); // don't allow ...type "|" ...
                    }
                    TokenKind::Period => {
                        // name "." ...
                        f_typ = Some(self.parse_qualified_ident(Some(n)));
                        f_name = None;
                    }
                    TokenKind::Tilde if type_sets_ok => {
                        f_typ = Some(self.embedded_elem(None));
                        return (f_name, f_typ);
                    }
                    TokenKind::Or if type_sets_ok => {
                        // name "|" typeset
                        let x = self.ident_expr(n);
                        f_typ = Some(self.embedded_elem(Some(x)));
                        return (None, f_typ);
                    }
                    _ => {}
                }
            }
            TokenKind::Mul
            | TokenKind::Arrow
            | TokenKind::Func
            | TokenKind::LBrack
            | TokenKind::Chan
            | TokenKind::Map
            | TokenKind::Struct
            | TokenKind::Interface
            | TokenKind::LParen => {
                // type
                f_typ = Some(self.parse_type());
            }
            TokenKind::Ellipsis => {
                // "..." type (always accepted)
                f_typ = Some(self.parse_dots_type());
                return (f_name, f_typ);
            }
            _ => {
                self.error_expected(self.pos, "')'");
                self.advance(Sync::ExprEnd);
            }
        }

        // [name] type "|"
        if type_sets_ok && self.tok == TokenKind::Or {
            if let Some(t) = f_typ {
                f_typ = Some(self.embedded_elem(Some(t)));
            }
        }
        (f_name, f_typ)
    }

    /// Parses a parameter or type parameter list up to `closing` (not consumed) and pushes
    /// its fields onto the field scratch stack.
    pub(super) fn parse_parameter_list(
        &mut self,
        name0: Option<IdentId>,
        typ0: Option<ExprId>,
        closing: TokenKind,
    ) {
        // Type parameters are the only parameter list closed by ']', and type set notation
        // is ok in them.
        let tparams = closing == TokenKind::RBrack;
        let type_sets_ok = tparams;

        let pos = match name0 {
            Some(n) => self.file[n].span.start,
            None => self.pos,
        };
        let mut name0 = name0;
        let mut typ0 = typ0;

        let mark = self.params.len();
        let mut named = 0usize; // parameters with an explicit name and type

        while name0.is_some() || (self.tok != closing && self.tok != TokenKind::Eof) {
            let before = self.ntok;
            let par = if let Some(t0) = typ0 {
                let t = if type_sets_ok {
                    self.embedded_elem(Some(t0))
                } else {
                    t0
                };
                (name0, Some(t))
            } else {
                self.parse_param_decl(name0, type_sets_ok)
            };
            name0 = None; // the first name was consumed if present
            typ0 = None; // the first type was consumed if present
            if par.0.is_some() || par.1.is_some() {
                self.params.push(par);
                if par.0.is_some() && par.1.is_some() {
                    named += 1;
                }
            }
            if !self.at_comma("parameter list", closing) {
                break;
            }
            self.next();
            self.ensure_progress(before);
        }

        let n = self.params.len() - mark;
        if n == 0 {
            return; // not uncommon
        }

        // Distribute parameter types.
        if named == 0 {
            // All unnamed: found names are type names.
            for i in mark..self.params.len() {
                if let (Some(name), _) = self.params[i] {
                    let t = self.ident_expr(name);
                    self.params[i] = (None, Some(t));
                }
            }
            if tparams {
                self.error(pos, "all type parameters must be named");
            }
        } else if named != n {
            // Some named: all must be named.
            let mut ok = true;
            let mut typ: Option<ExprId> = None;
            let mut missing_name = pos;
            for i in (mark..self.params.len()).rev() {
                let (pname, ptyp) = self.params[i];
                if let Some(pt) = ptyp {
                    typ = Some(pt);
                    if pname.is_none() {
                        ok = false;
                        let tpos = self.espan(pt).start;
                        missing_name = tpos;
                        let n = self.push_ident(tpos, tpos + 1, true);
                        self.params[i].0 = Some(n);
                    }
                } else if typ.is_some() {
                    self.params[i].1 = typ;
                } else {
                    // Only a name.
                    ok = false;
                    let npos = pname.map_or(self.pos, |n| self.file[n].span.start);
                    missing_name = npos;
                    let bad = self.bad_expr(npos, self.pos);
                    self.params[i].1 = Some(bad);
                }
            }
            if !ok {
                if tparams {
                    self.error(missing_name, "all type parameters must be named");
                } else {
                    self.error(pos, "mixed named and unnamed parameters");
                }
            }
        }

        // Convert the list into fields.
        if named == 0 {
            // Types only.
            for i in mark..mark + n {
                if let (_, Some(t)) = self.params[i] {
                    let f = self.push_field(Box::new([]), t, None);
                    self.fields.push(f);
                }
            }
            self.params.truncate(mark);
            return;
        }

        // Named parameters with types: consecutive names sharing a type form one field.
        let id_mark = self.idents.len();
        let mut typ: Option<ExprId> = None;
        for i in mark..mark + n {
            let (pname, ptyp) = self.params[i];
            if ptyp != typ {
                if self.idents.len() > id_mark {
                    self.add_params(id_mark, typ);
                }
                typ = ptyp;
            }
            if let Some(pn) = pname {
                self.idents.push(pn);
            }
        }
        if self.idents.len() > id_mark {
            self.add_params(id_mark, typ);
        }
        self.params.truncate(mark);
    }

    fn add_params(&mut self, id_mark: usize, typ: Option<ExprId>) {
        let names = self.take_idents(id_mark);
        let typ = match typ {
            Some(t) => t,
            None => self.bad_expr(self.pos, self.pos),
        };
        let f = self.push_field(names, typ, None);
        self.fields.push(f);
    }

    /// Parses `[T any](params)`; the type parameter list only if `accept_tparams`.
    pub(super) fn parse_parameters(
        &mut self,
        accept_tparams: bool,
    ) -> (Option<FieldListId>, FieldListId) {
        let mut tparams = None;
        if accept_tparams && self.tok == TokenKind::LBrack {
            let opening = self.pos;
            self.next();
            // [T any](params) syntax
            let mark = self.fields.len();
            self.parse_parameter_list(None, None, TokenKind::RBrack);
            let rbrack = self.expect(TokenKind::RBrack);
            let list = self.take_fields(mark);
            if list.is_empty() {
                // Type parameter lists must not be empty.
                self.error(rbrack, "empty type parameter list");
            } else {
                tparams = Some(self.push_field_list(Some(opening), list, Some(rbrack)));
            }
        }

        let opening = self.expect(TokenKind::LParen);
        let mark = self.fields.len();
        if self.tok != TokenKind::RParen {
            self.parse_parameter_list(None, None, TokenKind::RParen);
        }
        let rparen = self.expect(TokenKind::RParen);
        let list = self.take_fields(mark);
        let params = self.push_field_list(Some(opening), list, Some(rparen));
        (tparams, params)
    }

    pub(super) fn parse_result(&mut self) -> Option<FieldListId> {
        if self.tok == TokenKind::LParen {
            let (_, results) = self.parse_parameters(false);
            return Some(results);
        }
        let typ = self.try_ident_or_type()?;
        let f = self.push_field(Box::new([]), typ, None);
        Some(self.push_field_list(None, Box::new([f]), None))
    }

    /// A function type; its span covers the results if any, else the parameters.
    pub(super) fn func_type(
        &mut self,
        func: Option<u32>,
        type_params: Option<FieldListId>,
        params: FieldListId,
        results: Option<FieldListId>,
    ) -> ExprId {
        let start = match func {
            Some(f) => f,
            None => self.file[params].span.start,
        };
        let end = match results {
            Some(r) => self.file[r].span.end,
            None => self.file[params].span.end,
        };
        self.push_expr(
            start,
            end,
            ExprKind::FuncType {
                func,
                type_params,
                params,
                results,
            },
        )
    }

    pub(super) fn parse_func_type(&mut self) -> ExprId {
        let pos = self.expect(TokenKind::Func);
        let (tparams, params) = self.parse_parameters(true);
        if let Some(tp) = tparams {
            let tpos = self.file[tp].span.start;
            self.error(tpos, "function type must have no type parameters");
        }
        let results = self.parse_result();
        self.func_type(Some(pos), None, params, results)
    }

    fn parse_method_spec(&mut self) -> FieldId {
        let mut names: Box<[IdentId]> = Box::new([]);
        let typ;
        let x = self.parse_type_name(None);
        if let Some(ident) = self.as_ident(x) {
            if self.tok == TokenKind::LBrack {
                // generic method or embedded instantiated type
                let lbrack = self.pos;
                self.next();
                self.expr_lev += 1;
                let x2 = self.parse_expr();
                self.expr_lev -= 1;
                let name0 = self.as_ident(x2);
                if name0.is_some() && self.tok != TokenKind::Comma && self.tok != TokenKind::RBrack
                {
                    // Generic method m[T any]: interface methods have no type parameters;
                    // parse them for a better error message and recovery.
                    let mark = self.fields.len();
                    self.parse_parameter_list(name0, None, TokenKind::RBrack);
                    self.fields.truncate(mark);
                    self.expect(TokenKind::RBrack);
                    self.error(lbrack, "interface method must have no type parameters");
                    let (_, params) = self.parse_parameters(false);
                    let results = self.parse_result();
                    names = Box::new([ident]);
                    typ = self.func_type(None, None, params, results);
                } else {
                    // embedded instantiated type
                    let mark = self.exprs.len();
                    self.exprs.push(x2);
                    if self.at_comma("type argument list", TokenKind::RBrack) {
                        self.expr_lev += 1;
                        self.next();
                        while self.tok != TokenKind::RBrack && self.tok != TokenKind::Eof {
                            let before = self.ntok;
                            let t = self.parse_type();
                            self.exprs.push(t);
                            if !self.at_comma("type argument list", TokenKind::RBrack) {
                                break;
                            }
                            self.next();
                            self.ensure_progress(before);
                        }
                        self.expr_lev -= 1;
                    }
                    let rbrack = self.expect_closing(TokenKind::RBrack, "type argument list");
                    typ = self.pack_index_expr(x, lbrack, mark, rbrack);
                }
            } else if self.tok == TokenKind::LParen {
                // ordinary method
                let (_, params) = self.parse_parameters(false);
                let results = self.parse_result();
                names = Box::new([ident]);
                typ = self.func_type(None, None, params, results);
            } else {
                // embedded type
                typ = x;
            }
        } else {
            // embedded, possibly instantiated type
            let mut t = x;
            if self.tok == TokenKind::LBrack {
                // embedded instantiated interface
                t = self.parse_type_instance(t);
            }
            typ = t;
        }
        self.push_field(names, typ, None)
    }

    pub(super) fn embedded_elem(&mut self, x: Option<ExprId>) -> ExprId {
        let mut x = match x {
            Some(x) => x,
            None => self.embedded_term(),
        };
        while self.tok == TokenKind::Or {
            let op_pos = self.pos;
            self.next();
            let y = self.embedded_term();
            let start = self.espan(x).start;
            let end = self.espan(y).end;
            x = self.push_expr(
                start,
                end,
                ExprKind::Binary {
                    x,
                    op: TokenKind::Or,
                    op_pos,
                    y,
                },
            );
        }
        x
    }

    fn embedded_term(&mut self) -> ExprId {
        if self.tok == TokenKind::Tilde {
            let op_pos = self.pos;
            self.next();
            let x = self.parse_type();
            let end = self.espan(x).end;
            return self.push_expr(
                op_pos,
                end,
                ExprKind::Unary {
                    op: TokenKind::Tilde,
                    x,
                },
            );
        }
        match self.try_ident_or_type() {
            Some(t) => t,
            None => {
                let pos = self.pos;
                self.error_expected(pos, "~ term or type");
                self.advance(Sync::ExprEnd);
                self.bad_expr(pos, self.pos)
            }
        }
    }

    /// Replaces the type of an interface field (used to extend an embedded element with a
    /// union); the field's span follows.
    fn set_field_type(&mut self, f: FieldId, typ: ExprId) {
        let tspan = self.espan(typ);
        let field = &mut self.file.fields[f.index()];
        field.typ = typ;
        if field.names.is_empty() {
            field.span.start = tspan.start;
        }
        if field.tag.is_none() {
            field.span.end = tspan.end;
        }
    }

    fn parse_interface_type(&mut self) -> ExprId {
        let pos = self.expect(TokenKind::Interface);
        let lbrace = self.expect(TokenKind::LBrace);
        let mark = self.fields.len();
        loop {
            let before = self.ntok;
            if self.tok == TokenKind::Ident {
                let f = self.parse_method_spec();
                if self.file[f].names.is_empty() {
                    let t = self.file[f].typ;
                    let t2 = self.embedded_elem(Some(t));
                    if t2 != t {
                        self.set_field_type(f, t2);
                    }
                }
                self.expect_semi();
                self.fields.push(f);
            } else if self.tok == TokenKind::Tilde {
                let typ = self.embedded_elem(None);
                self.expect_semi();
                let f = self.push_field(Box::new([]), typ, None);
                self.fields.push(f);
            } else if let Some(t) = self.try_ident_or_type() {
                let typ = self.embedded_elem(Some(t));
                self.expect_semi();
                let f = self.push_field(Box::new([]), typ, None);
                self.fields.push(f);
            } else {
                break;
            }
            self.ensure_progress(before);
        }
        let rbrace = self.expect(TokenKind::RBrace);
        let list = self.take_fields(mark);
        let methods = self.push_field_list(Some(lbrace), list, Some(rbrace));
        let end = self.file[methods].span.end;
        self.push_expr(
            pos,
            end,
            ExprKind::InterfaceType {
                methods,
                incomplete: false,
            },
        )
    }

    fn parse_map_type(&mut self) -> ExprId {
        let pos = self.expect(TokenKind::Map);
        self.expect(TokenKind::LBrack);
        let key = self.parse_type();
        self.expect(TokenKind::RBrack);
        let value = self.parse_type();
        let end = self.espan(value).end;
        self.push_expr(pos, end, ExprKind::MapType { key, value })
    }

    fn parse_chan_type(&mut self) -> ExprId {
        let pos = self.pos;
        let mut dir = ChanDir::Both;
        let mut arrow = None;
        if self.tok == TokenKind::Chan {
            self.next();
            if self.tok == TokenKind::Arrow {
                arrow = Some(self.pos);
                self.next();
                dir = ChanDir::Send;
            }
        } else {
            arrow = Some(self.expect(TokenKind::Arrow));
            self.expect(TokenKind::Chan);
            dir = ChanDir::Recv;
        }
        let value = self.parse_type();
        let end = self.espan(value).end;
        self.push_expr(pos, end, ExprKind::ChanType { dir, arrow, value })
    }

    pub(super) fn parse_type_instance(&mut self, typ: ExprId) -> ExprId {
        let opening = self.expect(TokenKind::LBrack);
        self.expr_lev += 1;
        let mark = self.exprs.len();
        while self.tok != TokenKind::RBrack && self.tok != TokenKind::Eof {
            let before = self.ntok;
            let t = self.parse_type();
            self.exprs.push(t);
            if !self.at_comma("type argument list", TokenKind::RBrack) {
                break;
            }
            self.next();
            self.ensure_progress(before);
        }
        self.expr_lev -= 1;
        let closing = self.expect_closing(TokenKind::RBrack, "type argument list");
        if self.exprs.len() == mark {
            self.error_expected(closing, "type argument list");
            let index = self.bad_expr(opening + 1, closing);
            let start = self.espan(typ).start;
            return self.push_expr(
                start,
                closing + 1,
                ExprKind::Index {
                    x: typ,
                    lbrack: opening,
                    index,
                },
            );
        }
        self.pack_index_expr(typ, opening, mark, closing)
    }

    pub(super) fn try_ident_or_type(&mut self) -> Option<ExprId> {
        self.nested(|p| {
            let base = p.nest_lev;
            p.inc_nest();
            let r = p.try_ident_or_type_inner();
            p.nest_lev = base;
            r
        })
    }

    fn try_ident_or_type_inner(&mut self) -> Option<ExprId> {
        Some(match self.tok {
            TokenKind::Ident => {
                let typ = self.parse_type_name(None);
                if self.tok == TokenKind::LBrack {
                    self.parse_type_instance(typ)
                } else {
                    typ
                }
            }
            TokenKind::LBrack => {
                let lbrack = self.expect(TokenKind::LBrack);
                self.parse_array_type(lbrack, None)
            }
            TokenKind::Struct => self.parse_struct_type(),
            TokenKind::Mul => self.parse_pointer_type(),
            TokenKind::Func => self.parse_func_type(),
            TokenKind::Interface => self.parse_interface_type(),
            TokenKind::Map => self.parse_map_type(),
            TokenKind::Chan | TokenKind::Arrow => self.parse_chan_type(),
            TokenKind::LParen => {
                let lparen = self.pos;
                self.next();
                let x = self.parse_type();
                let rparen = self.expect(TokenKind::RParen);
                self.paren_expr(lparen, x, rparen)
            }
            _ => return None,
        })
    }
}
