//! A compact S-expression printer of the arena tree for the parser tests: every node prints
//! its go/ast kind, its span `s..e` and its children, so one string pins shape and spans.

use racelens_syntax::ast::*;
use racelens_syntax::SyntaxError;
use std::fmt::Write;

pub struct Printer<'a> {
    pub f: &'a File,
    pub out: String,
}

impl<'a> Printer<'a> {
    pub fn new(f: &'a File) -> Self {
        Printer {
            f,
            out: String::new(),
        }
    }

    fn open(&mut self, kind: &str, span: Span) {
        if !self.out.is_empty() && !self.out.ends_with('(') {
            self.out.push(' ');
        }
        let _ = write!(self.out, "({kind}@{}..{}", span.start, span.end);
    }

    fn close(&mut self) {
        self.out.push(')');
    }

    fn word(&mut self, w: &str) {
        self.out.push(' ');
        self.out.push_str(w);
    }

    pub fn ident(&mut self, id: IdentId) {
        let i = self.f[id];
        let name = self.f.ident_name(id).to_string();
        self.open("Ident", i.span);
        self.word(&name);
        self.close();
    }

    fn opt_expr(&mut self, e: Option<ExprId>) {
        match e {
            Some(e) => self.expr(e),
            None => self.word("nil"),
        }
    }

    fn opt_stmt(&mut self, s: Option<StmtId>) {
        match s {
            Some(s) => self.stmt(s),
            None => self.word("nil"),
        }
    }

    pub fn expr(&mut self, id: ExprId) {
        let f = self.f;
        let e = &f[id];
        let span = e.span;
        match &e.kind {
            ExprKind::Bad => {
                self.open("Bad", span);
            }
            ExprKind::Ident(i) => {
                // An identifier expression prints as its identifier.
                let i = *i;
                return self.ident(i);
            }
            ExprKind::Ellipsis { elt } => {
                let elt = *elt;
                self.open("Ellipsis", span);
                if let Some(t) = elt {
                    self.expr(t);
                }
            }
            ExprKind::BasicLit { kind } => {
                let text = self.f.text(span).to_string();
                self.open("Lit", span);
                self.word(kind.as_str());
                self.word(&text);
            }
            ExprKind::FuncLit { typ, body } => {
                let (t, b) = (*typ, *body);
                self.open("FuncLit", span);
                self.expr(t);
                self.stmt(b);
            }
            ExprKind::CompositeLit { typ, elts, .. } => {
                let (t, elts) = (*typ, *elts);
                self.open("Composite", span);
                self.opt_expr(t);
                for e in f[elts].iter() {
                    self.expr(*e);
                }
            }
            ExprKind::Paren { x } => {
                let x = *x;
                self.open("Paren", span);
                self.expr(x);
            }
            ExprKind::Selector { x, sel } => {
                let (x, sel) = (*x, *sel);
                self.open("Selector", span);
                self.expr(x);
                self.ident(sel);
            }
            ExprKind::Index { x, index, .. } => {
                let (x, i) = (*x, *index);
                self.open("Index", span);
                self.expr(x);
                self.expr(i);
            }
            ExprKind::IndexList { x, indices, .. } => {
                let (x, is) = (*x, *indices);
                self.open("IndexList", span);
                self.expr(x);
                for i in f[is].iter() {
                    self.expr(*i);
                }
            }
            ExprKind::Slice {
                x,
                low,
                high,
                max,
                slice3,
                ..
            } => {
                let (x, l, h, m, s3) = (*x, *low, *high, *max, *slice3);
                self.open(if s3 { "Slice3" } else { "Slice" }, span);
                self.expr(x);
                self.opt_expr(l);
                self.opt_expr(h);
                if s3 {
                    self.opt_expr(m);
                }
            }
            ExprKind::TypeAssert { x, typ, .. } => {
                let (x, t) = (*x, *typ);
                self.open("TypeAssert", span);
                self.expr(x);
                match t {
                    Some(t) => self.expr(t),
                    None => self.word("type"),
                }
            }
            ExprKind::Call {
                fun,
                args,
                ellipsis,
                ..
            } => {
                let (fun, args, ell) = (*fun, *args, ellipsis.is_some());
                self.open("Call", span);
                self.expr(fun);
                for a in f[args].iter() {
                    self.expr(*a);
                }
                if ell {
                    self.word("...");
                }
            }
            ExprKind::Star { x } => {
                let x = *x;
                self.open("Star", span);
                self.expr(x);
            }
            ExprKind::Unary { op, x } => {
                let (op, x) = (*op, *x);
                self.open("Unary", span);
                self.word(op.as_str());
                self.expr(x);
            }
            ExprKind::Binary { x, op, y, .. } => {
                let (x, op, y) = (*x, *op, *y);
                self.open("Binary", span);
                self.word(op.as_str());
                self.expr(x);
                self.expr(y);
            }
            ExprKind::KeyValue { key, value, .. } => {
                let (k, v) = (*key, *value);
                self.open("KeyValue", span);
                self.expr(k);
                self.expr(v);
            }
            ExprKind::ArrayType { len, elt } => {
                let (l, e) = (*len, *elt);
                self.open("Array", span);
                self.opt_expr(l);
                self.expr(e);
            }
            ExprKind::StructType { fields, .. } => {
                let fl = *fields;
                self.open("Struct", span);
                self.field_list(fl);
            }
            ExprKind::FuncType {
                type_params,
                params,
                results,
                ..
            } => {
                let (tp, p, r) = (*type_params, *params, *results);
                self.open("FuncType", span);
                if let Some(tp) = tp {
                    self.field_list(tp);
                }
                self.field_list(p);
                if let Some(r) = r {
                    self.field_list(r);
                }
            }
            ExprKind::InterfaceType { methods, .. } => {
                let m = *methods;
                self.open("Interface", span);
                self.field_list(m);
            }
            ExprKind::MapType { key, value } => {
                let (k, v) = (*key, *value);
                self.open("Map", span);
                self.expr(k);
                self.expr(v);
            }
            ExprKind::ChanType { dir, value, .. } => {
                let (d, v) = (*dir, *value);
                self.open("Chan", span);
                self.word(match d {
                    ChanDir::Send => "send",
                    ChanDir::Recv => "recv",
                    ChanDir::Both => "both",
                });
                self.expr(v);
            }
        }
        self.close();
    }

    pub fn field_list(&mut self, id: FieldListId) {
        let fl = &self.f[id];
        let (span, list) = (fl.span, fl.list.clone());
        self.open("Fields", span);
        for fid in list.iter() {
            let fd = &self.f[*fid];
            let (fspan, names, typ, tag) = (fd.span, fd.names.clone(), fd.typ, fd.tag);
            self.open("Field", fspan);
            for n in names.iter() {
                self.ident(*n);
            }
            self.expr(typ);
            if let Some(t) = tag {
                self.expr(t);
            }
            self.close();
        }
        self.close();
    }

    pub fn stmt(&mut self, id: StmtId) {
        let f = self.f;
        let s = &f[id];
        let span = s.span;
        match s.kind.clone() {
            StmtKind::Bad => self.open("BadStmt", span),
            StmtKind::Decl(d) => {
                self.open("DeclStmt", span);
                self.decl(d);
            }
            StmtKind::Empty { implicit } => {
                self.open("Empty", span);
                if implicit {
                    self.word("implicit");
                }
            }
            StmtKind::Labeled { label, stmt } => {
                self.open("Labeled", span);
                self.ident(label);
                self.stmt(stmt);
            }
            StmtKind::Expr(x) => {
                self.open("ExprStmt", span);
                self.expr(x);
            }
            StmtKind::Send { chan, value, .. } => {
                self.open("Send", span);
                self.expr(chan);
                self.expr(value);
            }
            StmtKind::IncDec { x, tok } => {
                self.open("IncDec", span);
                self.word(tok.as_str());
                self.expr(x);
            }
            StmtKind::Assign { lhs, tok, rhs, .. } => {
                self.open("Assign", span);
                self.word(tok.as_str());
                for x in f[lhs].iter() {
                    self.expr(*x);
                }
                for x in f[rhs].iter() {
                    self.expr(*x);
                }
            }
            StmtKind::Go { call } => {
                self.open("Go", span);
                self.expr(call);
            }
            StmtKind::Defer { call } => {
                self.open("Defer", span);
                self.expr(call);
            }
            StmtKind::Return { results } => {
                self.open("Return", span);
                for x in f[results].iter() {
                    self.expr(*x);
                }
            }
            StmtKind::Branch { tok, label } => {
                self.open("Branch", span);
                self.word(tok.as_str());
                if let Some(l) = label {
                    self.ident(l);
                }
            }
            StmtKind::Block { list, .. } => {
                self.open("Block", span);
                for s in f[list].iter() {
                    self.stmt(*s);
                }
            }
            StmtKind::If {
                init,
                cond,
                body,
                els,
            } => {
                self.open("If", span);
                self.opt_stmt(init);
                self.expr(cond);
                self.stmt(body);
                self.opt_stmt(els);
            }
            StmtKind::CaseClause {
                list,
                is_default,
                body,
                ..
            } => {
                self.open("Case", span);
                if is_default {
                    self.word("default");
                }
                for x in f[list].iter() {
                    self.expr(*x);
                }
                self.word(":");
                for s in f[body].iter() {
                    self.stmt(*s);
                }
            }
            StmtKind::Switch { init, tag, body } => {
                self.open("Switch", span);
                self.opt_stmt(init);
                self.opt_expr(tag);
                self.stmt(body);
            }
            StmtKind::TypeSwitch { init, assign, body } => {
                self.open("TypeSwitch", span);
                self.opt_stmt(init);
                self.stmt(assign);
                self.stmt(body);
            }
            StmtKind::CommClause { comm, body, .. } => {
                self.open("Comm", span);
                match comm {
                    Some(c) => self.stmt(c),
                    None => self.word("default"),
                }
                self.word(":");
                for s in f[body].iter() {
                    self.stmt(*s);
                }
            }
            StmtKind::Select { body } => {
                self.open("Select", span);
                self.stmt(body);
            }
            StmtKind::For {
                init,
                cond,
                post,
                body,
            } => {
                self.open("For", span);
                self.opt_stmt(init);
                self.opt_expr(cond);
                self.opt_stmt(post);
                self.stmt(body);
            }
            StmtKind::Range {
                key,
                value,
                tok,
                x,
                body,
                ..
            } => {
                self.open("Range", span);
                self.opt_expr(key);
                self.opt_expr(value);
                self.word(tok.map_or("nil", |t| t.as_str()));
                self.expr(x);
                self.stmt(body);
            }
        }
        self.close();
    }

    pub fn decl(&mut self, id: DeclId) {
        let d = &self.f[id];
        let span = d.span;
        match d.kind.clone() {
            DeclKind::Bad => self.open("BadDecl", span),
            DeclKind::Gen { tok, specs, .. } => {
                self.open("Gen", span);
                self.word(tok.as_str());
                for s in specs.iter() {
                    self.spec(*s);
                }
            }
            DeclKind::Func {
                recv,
                name,
                typ,
                body,
            } => {
                self.open("Func", span);
                if let Some(r) = recv {
                    self.field_list(r);
                }
                self.ident(name);
                self.expr(typ);
                self.opt_stmt(body);
            }
        }
        self.close();
    }

    pub fn spec(&mut self, id: SpecId) {
        let s = &self.f[id];
        let span = s.span;
        match s.kind.clone() {
            SpecKind::Import { name, path } => {
                self.open("Import", span);
                if let Some(n) = name {
                    self.ident(n);
                }
                self.expr(path);
            }
            SpecKind::Value { names, typ, values } => {
                self.open("Value", span);
                for n in names.iter() {
                    self.ident(*n);
                }
                self.opt_expr(typ);
                for v in values.iter() {
                    self.expr(*v);
                }
            }
            SpecKind::Type {
                name,
                type_params,
                assign,
                typ,
            } => {
                self.open("TypeSpec", span);
                self.ident(name);
                if let Some(tp) = type_params {
                    self.field_list(tp);
                }
                if assign.is_some() {
                    self.word("=");
                }
                self.expr(typ);
            }
        }
        self.close();
    }
}

/// Parses `src` and returns the printed declarations, one per line, and the errors.
pub fn parse_decls(src: &str) -> (String, Vec<SyntaxError>) {
    let (file, errors) = racelens_syntax::parse(src.as_bytes());
    let mut lines = Vec::new();
    for &d in &file.decls {
        let mut p = Printer::new(&file);
        p.decl(d);
        lines.push(p.out);
    }
    (lines.join("\n"), errors)
}

/// Parses `body` as the statements of a function at a known offset and prints them.
/// The source is `package p; func f() {` + body + `}`, so the body starts at offset 21.
pub fn parse_stmts(body: &str) -> (String, Vec<SyntaxError>) {
    let src = format!("package p; func f() {{{body}}}");
    let (file, errors) = racelens_syntax::parse(src.as_bytes());
    let mut lines = Vec::new();
    if let Some(&d) = file.decls.first() {
        if let DeclKind::Func { body: Some(b), .. } = &file[d].kind {
            if let StmtKind::Block { list, .. } = &file[*b].kind {
                for &s in file[list].iter() {
                    let mut p = Printer::new(&file);
                    p.stmt(s);
                    lines.push(p.out);
                }
            }
        }
    }
    (lines.join("\n"), errors)
}

/// Parses `expr` as the right-hand side of `_ = ` in a function body and prints it.
pub fn parse_expr(expr: &str) -> String {
    let (s, errors) = parse_stmts(&format!("_ = {expr}"));
    assert!(errors.is_empty(), "{expr}: {errors:?}");
    s
}
