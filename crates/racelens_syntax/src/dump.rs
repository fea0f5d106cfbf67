//! The node dump: a line per node in go/ast's walk order, compared byte for byte with go/parser's.
//!
//! Format (the contract with the Go oracle in `tests/oracle/godump`): one line per node,
//! pre-order, children in exactly `ast.Walk`'s order, comments skipped during the walk:
//! `<Kind> <start> <end>[ <detail>]`, where Kind is the go/ast type name, start and end are
//! the 0-based byte offsets of `Pos()` and `End()` (-1 for `NoPos`) and the detail is given
//! for a few kinds (identifier name, literal kind, operator or token, channel direction, ...).
//! After the tree, each comment group of the file prints `CommentGroup <start> <end>` followed
//! by a `Comment <start> <end>` line per comment. Equal dumps mean equal trees for every
//! purpose racelens has: same node kinds, same shapes, same spans.
//!
//! One go/ast quirk is reproduced here rather than in the tree: go/scanner removes carriage
//! returns from the text of comments and raw string literals, and go/ast computes their
//! `End()` as start plus the length of that text, so it falls short of the source end when
//! the source has `\r\n` line endings. The arena keeps the true source span (its text is the
//! source text of the span); the dump prints go/ast's shorter end instead, for the comment or
//! literal and for every node whose end is its end.

use crate::ast::*;
use crate::token::TokenKind;
use crate::walk::{self, Node};

/// The dump of `file`'s tree and comments.
pub fn dump(file: &File) -> String {
    dump_counted(file).0
}

/// The dump of `file` and the number of tree nodes in it (the lines before the comments),
/// the figure the oracle reports next to its hash.
pub fn dump_counted(file: &File) -> (String, usize) {
    let mut d = Dumper {
        file,
        out: String::with_capacity(file.source.len() * 2 + 64),
        nodes: 0,
        cr_ends: cr_shortened_ends(file),
    };
    d.walk();
    for group in &file.comments {
        d.line("CommentGroup", group.span, "");
        for c in group.list.iter() {
            d.line("Comment", c.span, "");
        }
    }
    (d.out, d.nodes)
}

/// FNV-1a, 64 bits: the hash both sides print for a dump.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The number of bytes go/scanner keeps of a comment or raw string literal whose source
/// text is `text`: it drops the `\r` that ends a `//` comment, then every other `\r`
/// except one between `*` and `/` in a `/* */` comment, which would close it early.
fn go_text_len(text: &[u8]) -> usize {
    let mut text = text;
    if text.starts_with(b"//") && text.ends_with(b"\r") {
        text = &text[..text.len() - 1];
    }
    if !text.contains(&b'\r') {
        return text.len();
    }
    let comment = text.get(1) == Some(&b'*');
    let mut kept = 0usize;
    let mut last = 0u8;
    for (j, &ch) in text.iter().enumerate() {
        if ch != b'\r' || (comment && kept > 2 && last == b'*' && text.get(j + 1) == Some(&b'/')) {
            kept += 1;
            last = ch;
        }
    }
    kept
}

/// Maps the source end of each comment and raw string literal that contains a carriage
/// return to the end go/ast reports for it. No other node can end strictly inside such a
/// literal, so every node end found in the map is one derived from that literal.
fn cr_shortened_ends(file: &File) -> Vec<(u32, u32)> {
    let src = &file.source[..];
    let text = |span: Span| {
        src.get(span.start as usize..span.end as usize)
            .unwrap_or(&[])
    };
    let mut ends = Vec::new();
    let mut note = |span: Span| {
        let t = text(span);
        if t.contains(&b'\r') {
            let go_end = span.start + go_text_len(t) as u32;
            if go_end != span.end {
                ends.push((span.end, go_end));
            }
        }
    };
    for group in &file.comments {
        for c in group.list.iter() {
            note(c.span);
        }
    }
    for e in &file.exprs {
        if let ExprKind::BasicLit {
            kind: LitKind::String,
        } = e.kind
        {
            if text(e.span).first() == Some(&b'`') {
                note(e.span);
            }
        }
    }
    ends.sort_unstable();
    ends
}

struct Dumper<'a> {
    file: &'a File,
    out: String,
    nodes: usize,
    /// Sorted `(source end, go/ast end)` pairs from `cr_shortened_ends`; usually empty.
    cr_ends: Vec<(u32, u32)>,
}

impl Dumper<'_> {
    fn num(&mut self, n: i64) {
        // Formatting through `fmt` is measurably slower on large corpora; offsets are small.
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        let neg = n < 0;
        let mut v = n.unsigned_abs();
        loop {
            i -= 1;
            digits[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        if neg {
            self.out.push('-');
        }
        for &b in &digits[i..] {
            self.out.push(b as char);
        }
    }

    fn line_raw(&mut self, kind: &str, start: i64, end: i64, detail: &str) {
        self.out.push_str(kind);
        self.out.push(' ');
        self.num(start);
        self.out.push(' ');
        self.num(end);
        if !detail.is_empty() {
            self.out.push(' ');
            self.out.push_str(detail);
        }
        self.out.push('\n');
    }

    fn line(&mut self, kind: &str, span: Span, detail: &str) {
        let mut end = span.end;
        if !self.cr_ends.is_empty() {
            if let Ok(i) = self.cr_ends.binary_search_by_key(&end, |&(e, _)| e) {
                end = self.cr_ends[i].1;
            }
        }
        self.line_raw(kind, i64::from(span.start), i64::from(end), detail);
    }

    /// Walks the tree with an explicit stack (see `walk`), so that deeply nested code (long
    /// operator chains in generated tables) cannot overflow the thread's stack.
    fn walk(&mut self) {
        let f = self.file;
        self.nodes += 1;
        self.line("File", f.span, "");
        let mut stack: Vec<Node> = walk::roots(f);
        stack.reverse();
        let mut kids = Vec::new();
        while let Some(node) = stack.pop() {
            self.node(node);
            kids.clear();
            walk::children(f, node, &mut kids);
            // `children` gives walk order; the stack pops from the end.
            stack.extend(kids.iter().rev());
        }
    }

    /// Prints one node: its go/ast kind, span and detail.
    fn node(&mut self, node: Node) {
        let f = self.file;
        self.nodes += 1;
        match node {
            Node::Ident(id) => self.line("Ident", f[id].span, f.ident_name(id)),
            Node::FieldList(id) => {
                let fl = &f[id];
                if fl.opening.is_none() && fl.closing.is_none() && fl.list.is_empty() {
                    // go/ast has no position for an empty list without delimiters.
                    self.line_raw("FieldList", -1, -1, "");
                } else {
                    self.line("FieldList", fl.span, "");
                }
            }
            Node::Field(id) => self.line("Field", f[id].span, ""),
            Node::Expr(id) => self.expr(id),
            Node::Stmt(id) => self.stmt(id),
            Node::Decl(id) => {
                let d = &f[id];
                match &d.kind {
                    DeclKind::Bad => self.line("BadDecl", d.span, ""),
                    DeclKind::Gen { tok, .. } => self.line("GenDecl", d.span, tok.as_str()),
                    DeclKind::Func { .. } => self.line("FuncDecl", d.span, ""),
                }
            }
            Node::Spec(id) => {
                let s = &f[id];
                match &s.kind {
                    SpecKind::Import { .. } => self.line("ImportSpec", s.span, ""),
                    SpecKind::Value { .. } => self.line("ValueSpec", s.span, ""),
                    SpecKind::Type { assign, .. } => {
                        let detail = if assign.is_some() { "alias" } else { "type" };
                        self.line("TypeSpec", s.span, detail);
                    }
                }
            }
        }
    }

    fn expr(&mut self, id: ExprId) {
        let f = self.file;
        let e = &f[id];
        let (kind, detail) = match &e.kind {
            ExprKind::Bad => ("BadExpr", ""),
            ExprKind::Ident(ident) => ("Ident", f.ident_name(*ident)),
            ExprKind::Ellipsis { .. } => ("Ellipsis", ""),
            ExprKind::BasicLit { kind } => ("BasicLit", kind.as_str()),
            ExprKind::FuncLit { .. } => ("FuncLit", ""),
            ExprKind::CompositeLit { .. } => ("CompositeLit", ""),
            ExprKind::Paren { .. } => ("ParenExpr", ""),
            ExprKind::Selector { .. } => ("SelectorExpr", ""),
            ExprKind::Index { .. } => ("IndexExpr", ""),
            ExprKind::IndexList { .. } => ("IndexListExpr", ""),
            ExprKind::Slice { slice3, .. } => ("SliceExpr", if *slice3 { "3" } else { "2" }),
            ExprKind::TypeAssert { .. } => ("TypeAssertExpr", ""),
            ExprKind::Call { .. } => ("CallExpr", ""),
            ExprKind::Star { .. } => ("StarExpr", ""),
            ExprKind::Unary { op, .. } => ("UnaryExpr", op.as_str()),
            ExprKind::Binary { op, .. } => ("BinaryExpr", op.as_str()),
            ExprKind::KeyValue { .. } => ("KeyValueExpr", ""),
            ExprKind::ArrayType { .. } => ("ArrayType", ""),
            ExprKind::StructType { .. } => ("StructType", ""),
            ExprKind::FuncType { .. } => ("FuncType", ""),
            ExprKind::InterfaceType { .. } => ("InterfaceType", ""),
            ExprKind::MapType { .. } => ("MapType", ""),
            ExprKind::ChanType { dir, .. } => (
                "ChanType",
                match dir {
                    ChanDir::Send => "1",
                    ChanDir::Recv => "2",
                    ChanDir::Both => "3",
                },
            ),
        };
        self.line(kind, e.span, detail);
    }

    fn stmt(&mut self, id: StmtId) {
        let s = &self.file[id];
        let (kind, detail) = match &s.kind {
            StmtKind::Bad => ("BadStmt", ""),
            StmtKind::Decl(_) => ("DeclStmt", ""),
            StmtKind::Empty { implicit } => {
                ("EmptyStmt", if *implicit { "implicit" } else { "explicit" })
            }
            StmtKind::Labeled { .. } => ("LabeledStmt", ""),
            StmtKind::Expr(_) => ("ExprStmt", ""),
            StmtKind::Send { .. } => ("SendStmt", ""),
            StmtKind::IncDec { tok, .. } => ("IncDecStmt", tok.as_str()),
            StmtKind::Assign { tok, .. } => ("AssignStmt", tok.as_str()),
            StmtKind::Go { .. } => ("GoStmt", ""),
            StmtKind::Defer { .. } => ("DeferStmt", ""),
            StmtKind::Return { .. } => ("ReturnStmt", ""),
            StmtKind::Branch { tok, .. } => ("BranchStmt", tok.as_str()),
            StmtKind::Block { .. } => ("BlockStmt", ""),
            StmtKind::If { .. } => ("IfStmt", ""),
            StmtKind::CaseClause { is_default, .. } => {
                ("CaseClause", if *is_default { "default" } else { "case" })
            }
            StmtKind::Switch { .. } => ("SwitchStmt", ""),
            StmtKind::TypeSwitch { .. } => ("TypeSwitchStmt", ""),
            StmtKind::CommClause { comm, .. } => (
                "CommClause",
                if comm.is_none() { "default" } else { "case" },
            ),
            StmtKind::Select { .. } => ("SelectStmt", ""),
            StmtKind::For { .. } => ("ForStmt", ""),
            StmtKind::Range { tok, .. } => (
                "RangeStmt",
                tok.map_or(TokenKind::Illegal.as_str(), TokenKind::as_str),
            ),
        };
        self.line(kind, s.span, detail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::TokenKind as T;

    /// Builds a `File` by hand, node by node, with the spans go/parser gives.
    struct B {
        f: File,
    }

    impl B {
        fn new(src: &str, span: (u32, u32), package: u32) -> B {
            B {
                f: File {
                    source: src.as_bytes().into(),
                    span: Span::new(span.0, span.1),
                    package,
                    ..File::default()
                },
            }
        }
        fn id(&mut self, s: u32, e: u32) -> IdentId {
            self.f.idents.push(Ident {
                span: Span::new(s, e),
                synthetic: false,
            });
            IdentId::new(self.f.idents.len() as u32 - 1)
        }
        fn e(&mut self, s: u32, e: u32, kind: ExprKind) -> ExprId {
            self.f.exprs.push(Expr {
                span: Span::new(s, e),
                kind,
            });
            ExprId::new(self.f.exprs.len() as u32 - 1)
        }
        /// An identifier used as an expression.
        fn name(&mut self, s: u32, e: u32) -> ExprId {
            let id = self.id(s, e);
            self.e(s, e, ExprKind::Ident(id))
        }
        fn lit(&mut self, s: u32, e: u32, kind: LitKind) -> ExprId {
            self.e(s, e, ExprKind::BasicLit { kind })
        }
        fn st(&mut self, s: u32, e: u32, kind: StmtKind) -> StmtId {
            self.f.stmts.push(Stmt {
                span: Span::new(s, e),
                kind,
            });
            StmtId::new(self.f.stmts.len() as u32 - 1)
        }
        fn block(&mut self, s: u32, e: u32, list: Vec<StmtId>) -> StmtId {
            let list = self.f.push_stmts(&list);
            self.st(
                s,
                e,
                StmtKind::Block {
                    lbrace: s,
                    list,
                    rbrace: e - 1,
                },
            )
        }
        fn decl(&mut self, s: u32, e: u32, kind: DeclKind) -> DeclId {
            self.f.decl_arena.push(Decl {
                span: Span::new(s, e),
                kind,
            });
            DeclId::new(self.f.decl_arena.len() as u32 - 1)
        }
        fn spec(&mut self, s: u32, e: u32, kind: SpecKind) -> SpecId {
            self.f.specs.push(Spec {
                span: Span::new(s, e),
                kind,
            });
            SpecId::new(self.f.specs.len() as u32 - 1)
        }
        fn field(&mut self, s: u32, e: u32, names: Vec<IdentId>, typ: ExprId) -> FieldId {
            self.f.fields.push(Field {
                span: Span::new(s, e),
                names: names.into(),
                typ,
                tag: None,
            });
            FieldId::new(self.f.fields.len() as u32 - 1)
        }
        /// A field list delimited by the characters at `s` and `e - 1`.
        fn fl(&mut self, s: u32, e: u32, list: Vec<FieldId>) -> FieldListId {
            self.f.field_lists.push(FieldList {
                span: Span::new(s, e),
                opening: Some(s),
                list: list.into(),
                closing: Some(e - 1),
            });
            FieldListId::new(self.f.field_lists.len() as u32 - 1)
        }
        fn comment(&mut self, s: u32, e: u32) {
            self.f.comments.push(CommentGroup {
                span: Span::new(s, e),
                list: vec![Comment {
                    span: Span::new(s, e),
                }]
                .into(),
            });
        }
    }

    const SRC_A: &str = "// Package p.\npackage p\n\nimport f \"fmt\"\n\ntype A = map[string]chan<- int\n\nfunc (r *T) m(xs ...int) {\nL:\n\tfor range xs {\n\t\tbreak L\n\t}\n\ts := T{k: &v}\n\t_ = xs[1:2:3] // c\n\t{ ; }\n}\n";

    /// What `godump` prints for `SRC_A`.
    const DUMP_A: &str = "File 14 175
Ident 22 23 p
GenDecl 25 39 import
ImportSpec 32 39
Ident 32 33 f
BasicLit 34 39 STRING
GenDecl 41 71 type
TypeSpec 46 71 alias
Ident 46 47 A
MapType 50 71
Ident 54 60 string
ChanType 61 71 1
Ident 68 71 int
FuncDecl 73 175
FieldList 78 84
Field 79 83
Ident 79 80 r
StarExpr 81 83
Ident 82 83 T
Ident 85 86 m
FuncType 73 97
FieldList 86 97
Field 87 96
Ident 87 89 xs
Ellipsis 90 96
Ident 93 96 int
BlockStmt 98 175
LabeledStmt 100 131
Ident 100 101 L
RangeStmt 104 131 ILLEGAL
Ident 114 116 xs
BlockStmt 117 131
BranchStmt 121 128 break
Ident 127 128 L
AssignStmt 133 146 :=
Ident 133 134 s
CompositeLit 138 146
Ident 138 139 T
KeyValueExpr 140 145
Ident 140 141 k
UnaryExpr 143 145 &
Ident 144 145 v
AssignStmt 148 161 =
Ident 148 149 _
SliceExpr 152 161 3
Ident 152 154 xs
BasicLit 155 156 INT
BasicLit 157 158 INT
BasicLit 159 160 INT
BlockStmt 168 173
EmptyStmt 170 171 explicit
CommentGroup 0 13
Comment 0 13
CommentGroup 162 166
Comment 162 166
";

    /// The tree go/parser builds for `SRC_A`, built by hand in a scrambled arena order (the
    /// dump must follow the tree, not the arenas).
    fn file_a() -> File {
        let mut b = B::new(SRC_A, (14, 175), 14);
        // The function first, so arena order differs from walk order.
        let body = {
            let xs = b.name(114, 116);
            let l = b.id(127, 128);
            let brk = b.st(
                121,
                128,
                StmtKind::Branch {
                    tok: T::Break,
                    label: Some(l),
                },
            );
            let loop_body = b.block(117, 131, vec![brk]);
            let range = b.st(
                104,
                131,
                StmtKind::Range {
                    key: None,
                    value: None,
                    tok: None,
                    tok_pos: None,
                    x: xs,
                    body: loop_body,
                },
            );
            let label = b.id(100, 101);
            let labeled = b.st(100, 131, StmtKind::Labeled { label, stmt: range });
            let s = b.name(133, 134);
            let t = b.name(138, 139);
            let k = b.name(140, 141);
            let v = b.name(144, 145);
            let amp = b.e(143, 145, ExprKind::Unary { op: T::And, x: v });
            let kv = b.e(
                140,
                145,
                ExprKind::KeyValue {
                    key: k,
                    colon: 141,
                    value: amp,
                },
            );
            let elts = b.f.push_exprs(&[kv]);
            let lit = b.e(
                138,
                146,
                ExprKind::CompositeLit {
                    typ: Some(t),
                    lbrace: 139,
                    elts,
                    rbrace: 145,
                    incomplete: false,
                },
            );
            let rhs = b.f.push_exprs(&[lit]);
            let lhs = b.f.push_exprs(&[s]);
            let define = b.st(
                133,
                146,
                StmtKind::Assign {
                    lhs,
                    tok_pos: 135,
                    tok: T::Define,
                    rhs,
                },
            );
            let blank = b.name(148, 149);
            let xs2 = b.name(152, 154);
            let one = b.lit(155, 156, LitKind::Int);
            let two = b.lit(157, 158, LitKind::Int);
            let three = b.lit(159, 160, LitKind::Int);
            let slice = b.e(
                152,
                161,
                ExprKind::Slice {
                    x: xs2,
                    lbrack: 154,
                    low: Some(one),
                    high: Some(two),
                    max: Some(three),
                    slice3: true,
                },
            );
            let lhs = b.f.push_exprs(&[blank]);
            let rhs = b.f.push_exprs(&[slice]);
            let assign = b.st(
                148,
                161,
                StmtKind::Assign {
                    lhs,
                    tok_pos: 150,
                    tok: T::Assign,
                    rhs,
                },
            );
            let empty = b.st(170, 171, StmtKind::Empty { implicit: false });
            let inner = b.block(168, 173, vec![empty]);
            b.block(98, 175, vec![labeled, define, assign, inner])
        };
        let r = b.id(79, 80);
        let t = b.name(82, 83);
        let star = b.e(81, 83, ExprKind::Star { x: t });
        let recv_field = b.field(79, 83, vec![r], star);
        let recv = b.fl(78, 84, vec![recv_field]);
        let m = b.id(85, 86);
        let xs = b.id(87, 89);
        let int = b.name(93, 96);
        let ell = b.e(90, 96, ExprKind::Ellipsis { elt: Some(int) });
        let param = b.field(87, 96, vec![xs], ell);
        let params = b.fl(86, 97, vec![param]);
        let ftype = b.e(
            73,
            97,
            ExprKind::FuncType {
                func: Some(73),
                type_params: None,
                params,
                results: None,
            },
        );
        let func = b.decl(
            73,
            175,
            DeclKind::Func {
                recv: Some(recv),
                name: m,
                typ: ftype,
                body: Some(body),
            },
        );

        let fname = b.id(32, 33);
        let path = b.lit(34, 39, LitKind::String);
        let import = b.spec(
            32,
            39,
            SpecKind::Import {
                name: Some(fname),
                path,
            },
        );
        let import_decl = b.decl(
            25,
            39,
            DeclKind::Gen {
                tok: T::Import,
                lparen: None,
                specs: vec![import].into(),
                rparen: None,
            },
        );
        let a = b.id(46, 47);
        let string = b.name(54, 60);
        let int = b.name(68, 71);
        let ch = b.e(
            61,
            71,
            ExprKind::ChanType {
                dir: ChanDir::Send,
                arrow: Some(65),
                value: int,
            },
        );
        let map = b.e(
            50,
            71,
            ExprKind::MapType {
                key: string,
                value: ch,
            },
        );
        let tspec = b.spec(
            46,
            71,
            SpecKind::Type {
                name: a,
                type_params: None,
                assign: Some(48),
                typ: map,
            },
        );
        let type_decl = b.decl(
            41,
            71,
            DeclKind::Gen {
                tok: T::Type,
                lparen: None,
                specs: vec![tspec].into(),
                rparen: None,
            },
        );
        let pkg = b.id(22, 23);
        b.f.name = Some(pkg);
        b.f.decls = vec![import_decl, type_decl, func];
        b.comment(0, 13);
        b.comment(162, 166);
        b.f
    }

    #[test]
    fn dump_matches_go_parser_on_declarations_and_statements() {
        let file = file_a();
        let (text, nodes) = dump_counted(&file);
        assert_eq!(text, DUMP_A);
        // `godump -hash` prints "OK d233da8c7776a4a9 51" for this source.
        assert_eq!(nodes, 51);
        assert_eq!(
            format!("{:016x}", fnv1a64(text.as_bytes())),
            "d233da8c7776a4a9"
        );
    }

    const SRC_B: &str = "package q\n\nvar x, y int = 1, 2\n\nfunc g[K comparable, V ~int | string](c chan int) (int, error) {\n\tselect {\n\tcase v := <-c:\n\t\tc <- v\n\tdefault:\n\t}\n\tswitch t := any(c).(type) {\n\tcase nil, int:\n\t\tx++\n\t}\n\tif !ok {\n\t} else if y {\n\t}\n\tdefer func() {}()\n\treturn G[int, string]{}, nil\n}\n";

    /// What `godump` prints for `SRC_B`.
    const DUMP_B: &str = "File 0 277
Ident 8 9 q
GenDecl 11 30 var
ValueSpec 15 30
Ident 15 16 x
Ident 18 19 y
Ident 20 23 int
BasicLit 26 27 INT
BasicLit 29 30 INT
FuncDecl 32 277
Ident 37 38 g
FuncType 32 94
FieldList 38 69
Field 39 51
Ident 39 40 K
Ident 41 51 comparable
Field 53 68
Ident 53 54 V
BinaryExpr 55 68 |
UnaryExpr 55 59 ~
Ident 56 59 int
Ident 62 68 string
FieldList 69 81
Field 70 80
Ident 70 71 c
ChanType 72 80 3
Ident 77 80 int
FieldList 82 94
Field 83 86
Ident 83 86 int
Field 88 93
Ident 88 93 error
BlockStmt 95 277
SelectStmt 98 144
BlockStmt 105 144
CommClause 108 131 case
AssignStmt 113 121 :=
Ident 113 114 v
UnaryExpr 118 121 <-
Ident 120 121 c
SendStmt 125 131
Ident 125 126 c
Ident 130 131 v
CommClause 133 141 default
TypeSwitchStmt 146 198
AssignStmt 153 171 :=
Ident 153 154 t
TypeAssertExpr 158 171
CallExpr 158 164
Ident 158 161 any
Ident 162 163 c
BlockStmt 172 198
CaseClause 175 195 case
Ident 180 183 nil
Ident 185 188 int
IncDecStmt 192 195 ++
Ident 192 193 x
IfStmt 200 226
UnaryExpr 203 206 !
Ident 204 206 ok
BlockStmt 207 211
IfStmt 217 226
Ident 220 221 y
BlockStmt 222 226
DeferStmt 228 245
CallExpr 234 245
FuncLit 234 243
FuncType 234 240
FieldList 238 240
BlockStmt 241 243
ReturnStmt 247 275
CompositeLit 254 270
IndexListExpr 254 268
Ident 254 255 G
Ident 256 259 int
Ident 261 267 string
Ident 272 275 nil
";

    fn file_b() -> File {
        let mut b = B::new(SRC_B, (0, 277), 0);
        let q = b.id(8, 9);
        b.f.name = Some(q);

        let x = b.id(15, 16);
        let y = b.id(18, 19);
        let int = b.name(20, 23);
        let one = b.lit(26, 27, LitKind::Int);
        let two = b.lit(29, 30, LitKind::Int);
        let vspec = b.spec(
            15,
            30,
            SpecKind::Value {
                names: vec![x, y].into(),
                typ: Some(int),
                values: vec![one, two].into(),
            },
        );
        let var = b.decl(
            11,
            30,
            DeclKind::Gen {
                tok: T::Var,
                lparen: None,
                specs: vec![vspec].into(),
                rparen: None,
            },
        );

        // Signature.
        let g = b.id(37, 38);
        let k = b.id(39, 40);
        let comparable = b.name(41, 51);
        let fk = b.field(39, 51, vec![k], comparable);
        let v = b.id(53, 54);
        let int = b.name(56, 59);
        let tilde = b.e(
            55,
            59,
            ExprKind::Unary {
                op: T::Tilde,
                x: int,
            },
        );
        let string = b.name(62, 68);
        let union = b.e(
            55,
            68,
            ExprKind::Binary {
                x: tilde,
                op: T::Or,
                op_pos: 60,
                y: string,
            },
        );
        let fv = b.field(53, 68, vec![v], union);
        let tparams = b.fl(38, 69, vec![fk, fv]);
        let c = b.id(70, 71);
        let int = b.name(77, 80);
        let chan = b.e(
            72,
            80,
            ExprKind::ChanType {
                dir: ChanDir::Both,
                arrow: None,
                value: int,
            },
        );
        let fc = b.field(70, 80, vec![c], chan);
        let params = b.fl(69, 81, vec![fc]);
        let int = b.name(83, 86);
        let r1 = b.field(83, 86, vec![], int);
        let error = b.name(88, 93);
        let r2 = b.field(88, 93, vec![], error);
        let results = b.fl(82, 94, vec![r1, r2]);
        let sig = b.e(
            32,
            94,
            ExprKind::FuncType {
                func: Some(32),
                type_params: Some(tparams),
                params,
                results: Some(results),
            },
        );

        // select
        let v_ = b.name(113, 114);
        let c_ = b.name(120, 121);
        let recv = b.e(
            118,
            121,
            ExprKind::Unary {
                op: T::Arrow,
                x: c_,
            },
        );
        let rhs = b.f.push_exprs(&[recv]);
        let lhs = b.f.push_exprs(&[v_]);
        let comm = b.st(
            113,
            121,
            StmtKind::Assign {
                lhs,
                tok_pos: 115,
                tok: T::Define,
                rhs,
            },
        );
        let c2 = b.name(125, 126);
        let v2 = b.name(130, 131);
        let send = b.st(
            125,
            131,
            StmtKind::Send {
                chan: c2,
                arrow: 127,
                value: v2,
            },
        );
        let body = b.f.push_stmts(&[send]);
        let cc1 = b.st(
            108,
            131,
            StmtKind::CommClause {
                comm: Some(comm),
                colon: 121,
                body,
            },
        );
        let body = b.f.push_stmts(&[]);
        let cc2 = b.st(
            133,
            141,
            StmtKind::CommClause {
                comm: None,
                colon: 140,
                body,
            },
        );
        let sbody = b.block(105, 144, vec![cc1, cc2]);
        let select = b.st(98, 144, StmtKind::Select { body: sbody });

        // type switch
        let t = b.name(153, 154);
        let any = b.name(158, 161);
        let c3 = b.name(162, 163);
        let args = b.f.push_exprs(&[c3]);
        let call = b.e(
            158,
            164,
            ExprKind::Call {
                fun: any,
                lparen: 161,
                args,
                ellipsis: None,
            },
        );
        let ta = b.e(
            158,
            171,
            ExprKind::TypeAssert {
                x: call,
                lparen: 165,
                typ: None,
            },
        );
        let rhs = b.f.push_exprs(&[ta]);
        let lhs = b.f.push_exprs(&[t]);
        let tassign = b.st(
            153,
            171,
            StmtKind::Assign {
                lhs,
                tok_pos: 155,
                tok: T::Define,
                rhs,
            },
        );
        let nil = b.name(180, 183);
        let int = b.name(185, 188);
        let xx = b.name(192, 193);
        let inc = b.st(192, 195, StmtKind::IncDec { x: xx, tok: T::Inc });
        let body = b.f.push_stmts(&[inc]);
        let list = b.f.push_exprs(&[nil, int]);
        let case = b.st(
            175,
            195,
            StmtKind::CaseClause {
                list,
                is_default: false,
                colon: 188,
                body,
            },
        );
        let tbody = b.block(172, 198, vec![case]);
        let tswitch = b.st(
            146,
            198,
            StmtKind::TypeSwitch {
                init: None,
                assign: tassign,
                body: tbody,
            },
        );

        // if / else if
        let ok = b.name(204, 206);
        let not = b.e(203, 206, ExprKind::Unary { op: T::Not, x: ok });
        let then = b.block(207, 211, vec![]);
        let yy = b.name(220, 221);
        let then2 = b.block(222, 226, vec![]);
        let elif = b.st(
            217,
            226,
            StmtKind::If {
                init: None,
                cond: yy,
                body: then2,
                els: None,
            },
        );
        let ifs = b.st(
            200,
            226,
            StmtKind::If {
                init: None,
                cond: not,
                body: then,
                els: Some(elif),
            },
        );

        // defer func() {}()
        let lparams = b.fl(238, 240, vec![]);
        let ltype = b.e(
            234,
            240,
            ExprKind::FuncType {
                func: Some(234),
                type_params: None,
                params: lparams,
                results: None,
            },
        );
        let lbody = b.block(241, 243, vec![]);
        let flit = b.e(
            234,
            243,
            ExprKind::FuncLit {
                typ: ltype,
                body: lbody,
            },
        );
        let args = b.f.push_exprs(&[]);
        let dcall = b.e(
            234,
            245,
            ExprKind::Call {
                fun: flit,
                lparen: 243,
                args,
                ellipsis: None,
            },
        );
        let defer = b.st(228, 245, StmtKind::Defer { call: dcall });

        // return G[int, string]{}, nil
        let gg = b.name(254, 255);
        let int = b.name(256, 259);
        let string = b.name(261, 267);
        let indices = b.f.push_exprs(&[int, string]);
        let inst = b.e(
            254,
            268,
            ExprKind::IndexList {
                x: gg,
                lbrack: 255,
                indices,
            },
        );
        let elts = b.f.push_exprs(&[]);
        let lit = b.e(
            254,
            270,
            ExprKind::CompositeLit {
                typ: Some(inst),
                lbrace: 268,
                elts,
                rbrace: 269,
                incomplete: false,
            },
        );
        let nil = b.name(272, 275);
        let results = b.f.push_exprs(&[lit, nil]);
        let ret = b.st(247, 275, StmtKind::Return { results });

        let body = b.block(95, 277, vec![select, tswitch, ifs, defer, ret]);
        let func = b.decl(
            32,
            277,
            DeclKind::Func {
                recv: None,
                name: g,
                typ: sig,
                body: Some(body),
            },
        );
        b.f.decls = vec![var, func];
        b.f
    }

    #[test]
    fn dump_matches_go_parser_on_generics_and_control_flow() {
        let file = file_b();
        let (text, nodes) = dump_counted(&file);
        assert_eq!(text, DUMP_B);
        // `godump -hash` prints "OK a8dc73a68b06633a 77" for this source.
        assert_eq!(nodes, 77);
        assert_eq!(
            format!("{:016x}", fnv1a64(text.as_bytes())),
            "a8dc73a68b06633a"
        );
    }

    const SRC_C: &str = "package r\n\nimport (\n\t\"os\"\n)\n\ntype (\n\tS[T any] struct {\n\t\tA [2]T `json:\"a\"`\n\t\tos.File\n\t}\n\tI interface {\n\t\tM(int) bool\n\t}\n)\n\nfunc h() {\n\tvar z = (os.Args)[0]\n\tgo h()\n\tfor i := 0; i < 3; i++ {\n\t}\n\tswitch x := 1; x {\n\tcase 1:\n\t}\nL:\n}\n";

    /// What `godump` prints for `SRC_C`.
    const DUMP_C: &str = "File 0 229
Ident 8 9 r
GenDecl 11 27 import
ImportSpec 21 25
BasicLit 21 25 STRING
GenDecl 29 121 type
TypeSpec 37 87 type
Ident 37 38 S
FieldList 38 45
Field 39 44
Ident 39 40 T
Ident 41 44 any
StructType 46 87
FieldList 53 87
Field 57 74
Ident 57 58 A
ArrayType 59 63
BasicLit 60 61 INT
Ident 62 63 T
BasicLit 64 74 STRING
Field 77 84
SelectorExpr 77 84
Ident 77 79 os
Ident 80 84 File
TypeSpec 89 119 type
Ident 89 90 I
InterfaceType 91 119
FieldList 101 119
Field 105 116
Ident 105 106 M
FuncType 106 116
FieldList 106 111
Field 107 110
Ident 107 110 int
FieldList 112 116
Field 112 116
Ident 112 116 bool
FuncDecl 123 229
Ident 128 129 h
FuncType 123 131
FieldList 129 131
BlockStmt 132 229
DeclStmt 135 155
GenDecl 135 155 var
ValueSpec 139 155
Ident 139 140 z
IndexExpr 143 155
ParenExpr 143 152
SelectorExpr 144 151
Ident 144 146 os
Ident 147 151 Args
BasicLit 153 154 INT
GoStmt 157 163
CallExpr 160 163
Ident 160 161 h
ForStmt 165 192
AssignStmt 169 175 :=
Ident 169 170 i
BasicLit 174 175 INT
BinaryExpr 177 182 <
Ident 177 178 i
BasicLit 181 182 INT
IncDecStmt 184 187 ++
Ident 184 185 i
BlockStmt 188 192
SwitchStmt 194 224
AssignStmt 201 207 :=
Ident 201 202 x
BasicLit 206 207 INT
Ident 209 210 x
BlockStmt 211 224
CaseClause 214 221 case
BasicLit 219 220 INT
LabeledStmt 225 228
Ident 225 226 L
EmptyStmt 228 228 implicit
";

    fn file_c() -> File {
        let mut b = B::new(SRC_C, (0, 229), 0);
        let r = b.id(8, 9);
        b.f.name = Some(r);

        let path = b.lit(21, 25, LitKind::String);
        let import = b.spec(21, 25, SpecKind::Import { name: None, path });
        let imports = b.decl(
            11,
            27,
            DeclKind::Gen {
                tok: T::Import,
                lparen: Some(18),
                specs: vec![import].into(),
                rparen: Some(26),
            },
        );

        // type S[T any] struct { A [2]T `json:"a"`; os.File }
        let s_name = b.id(37, 38);
        let t = b.id(39, 40);
        let any = b.name(41, 44);
        let tp = b.field(39, 44, vec![t], any);
        let tparams = b.fl(38, 45, vec![tp]);
        let a = b.id(57, 58);
        let two = b.lit(60, 61, LitKind::Int);
        let elt = b.name(62, 63);
        let arr = b.e(
            59,
            63,
            ExprKind::ArrayType {
                len: Some(two),
                elt,
            },
        );
        let tag = b.lit(64, 74, LitKind::String);
        let fa = b.field(57, 74, vec![a], arr);
        b.f.fields[fa.index()].tag = Some(tag);
        let os = b.name(77, 79);
        let file = b.id(80, 84);
        let sel = b.e(77, 84, ExprKind::Selector { x: os, sel: file });
        let embedded = b.field(77, 84, vec![], sel);
        let fields = b.fl(53, 87, vec![fa, embedded]);
        let st = b.e(
            46,
            87,
            ExprKind::StructType {
                fields,
                incomplete: false,
            },
        );
        let s_spec = b.spec(
            37,
            87,
            SpecKind::Type {
                name: s_name,
                type_params: Some(tparams),
                assign: None,
                typ: st,
            },
        );

        // I interface { M(int) bool }: the method's type has no `func` and its single result
        // list has no parentheses.
        let i_name = b.id(89, 90);
        let m = b.id(105, 106);
        let int = b.name(107, 110);
        let p = b.field(107, 110, vec![], int);
        let params = b.fl(106, 111, vec![p]);
        let boolean = b.name(112, 116);
        let res = b.field(112, 116, vec![], boolean);
        b.f.field_lists.push(FieldList {
            span: Span::new(112, 116),
            opening: None,
            list: vec![res].into(),
            closing: None,
        });
        let results = FieldListId::new(b.f.field_lists.len() as u32 - 1);
        let mtype = b.e(
            106,
            116,
            ExprKind::FuncType {
                func: None,
                type_params: None,
                params,
                results: Some(results),
            },
        );
        let method = b.field(105, 116, vec![m], mtype);
        let methods = b.fl(101, 119, vec![method]);
        let it = b.e(
            91,
            119,
            ExprKind::InterfaceType {
                methods,
                incomplete: false,
            },
        );
        let i_spec = b.spec(
            89,
            119,
            SpecKind::Type {
                name: i_name,
                type_params: None,
                assign: None,
                typ: it,
            },
        );
        let types = b.decl(
            29,
            121,
            DeclKind::Gen {
                tok: T::Type,
                lparen: Some(34),
                specs: vec![s_spec, i_spec].into(),
                rparen: Some(120),
            },
        );

        // func h() { ... }
        let h = b.id(128, 129);
        let hparams = b.fl(129, 131, vec![]);
        let htype = b.e(
            123,
            131,
            ExprKind::FuncType {
                func: Some(123),
                type_params: None,
                params: hparams,
                results: None,
            },
        );
        let z = b.id(139, 140);
        let os = b.name(144, 146);
        let args = b.id(147, 151);
        let sel = b.e(144, 151, ExprKind::Selector { x: os, sel: args });
        let paren = b.e(143, 152, ExprKind::Paren { x: sel });
        let zero = b.lit(153, 154, LitKind::Int);
        let index = b.e(
            143,
            155,
            ExprKind::Index {
                x: paren,
                lbrack: 152,
                index: zero,
            },
        );
        let vspec = b.spec(
            139,
            155,
            SpecKind::Value {
                names: vec![z].into(),
                typ: None,
                values: vec![index].into(),
            },
        );
        let var = b.decl(
            135,
            155,
            DeclKind::Gen {
                tok: T::Var,
                lparen: None,
                specs: vec![vspec].into(),
                rparen: None,
            },
        );
        let decl_stmt = b.st(135, 155, StmtKind::Decl(var));
        let hh = b.name(160, 161);
        let args = b.f.push_exprs(&[]);
        let call = b.e(
            160,
            163,
            ExprKind::Call {
                fun: hh,
                lparen: 161,
                args,
                ellipsis: None,
            },
        );
        let go = b.st(157, 163, StmtKind::Go { call });
        let i = b.name(169, 170);
        let zero = b.lit(174, 175, LitKind::Int);
        let rhs = b.f.push_exprs(&[zero]);
        let lhs = b.f.push_exprs(&[i]);
        let init = b.st(
            169,
            175,
            StmtKind::Assign {
                lhs,
                tok_pos: 171,
                tok: T::Define,
                rhs,
            },
        );
        let i2 = b.name(177, 178);
        let three = b.lit(181, 182, LitKind::Int);
        let cond = b.e(
            177,
            182,
            ExprKind::Binary {
                x: i2,
                op: T::Lss,
                op_pos: 179,
                y: three,
            },
        );
        let i3 = b.name(184, 185);
        let post = b.st(184, 187, StmtKind::IncDec { x: i3, tok: T::Inc });
        let fbody = b.block(188, 192, vec![]);
        let for_stmt = b.st(
            165,
            192,
            StmtKind::For {
                init: Some(init),
                cond: Some(cond),
                post: Some(post),
                body: fbody,
            },
        );
        let x = b.name(201, 202);
        let one = b.lit(206, 207, LitKind::Int);
        let rhs = b.f.push_exprs(&[one]);
        let lhs = b.f.push_exprs(&[x]);
        let sinit = b.st(
            201,
            207,
            StmtKind::Assign {
                lhs,
                tok_pos: 203,
                tok: T::Define,
                rhs,
            },
        );
        let tag = b.name(209, 210);
        let one = b.lit(219, 220, LitKind::Int);
        let body = b.f.push_stmts(&[]);
        let list = b.f.push_exprs(&[one]);
        let case = b.st(
            214,
            221,
            StmtKind::CaseClause {
                list,
                is_default: false,
                colon: 220,
                body,
            },
        );
        let sbody = b.block(211, 224, vec![case]);
        let switch = b.st(
            194,
            224,
            StmtKind::Switch {
                init: Some(sinit),
                tag: Some(tag),
                body: sbody,
            },
        );
        let l = b.id(225, 226);
        let empty = b.st(228, 228, StmtKind::Empty { implicit: true });
        let labeled = b.st(
            225,
            228,
            StmtKind::Labeled {
                label: l,
                stmt: empty,
            },
        );
        let body = b.block(132, 229, vec![decl_stmt, go, for_stmt, switch, labeled]);
        let func = b.decl(
            123,
            229,
            DeclKind::Func {
                recv: None,
                name: h,
                typ: htype,
                body: Some(body),
            },
        );
        b.f.decls = vec![imports, types, func];
        b.f
    }

    #[test]
    fn dump_matches_go_parser_on_types_and_loops() {
        let file = file_c();
        let (text, nodes) = dump_counted(&file);
        assert_eq!(text, DUMP_C);
        // `godump -hash` prints "OK 96712aec94d76699 76" for this source.
        assert_eq!(nodes, 76);
        assert_eq!(
            format!("{:016x}", fnv1a64(text.as_bytes())),
            "96712aec94d76699"
        );
    }

    #[test]
    fn carriage_returns_shorten_ends_as_in_go_ast() {
        // Arena spans are source spans; go/ast's ends for comments and raw strings (and for
        // the spec, declaration and file that end with the literal) count the text with
        // carriage returns removed, except the one in `*\r/`.
        let src = "package p\r\n\r\n// c\r\nvar s = `a\r\nb` // d\r\n/* x\r\n*\r/ */\r\n";
        let mut b = B::new(src, (0, 33), 0);
        let p = b.id(8, 9);
        b.f.name = Some(p);
        let s_name = b.id(23, 24);
        let lit = b.lit(27, 33, LitKind::String);
        let spec = b.spec(
            23,
            33,
            SpecKind::Value {
                names: vec![s_name].into(),
                typ: None,
                values: vec![lit].into(),
            },
        );
        let decl = b.decl(
            19,
            33,
            DeclKind::Gen {
                tok: T::Var,
                lparen: None,
                specs: vec![spec].into(),
                rparen: None,
            },
        );
        b.f.decls = vec![decl];
        b.comment(13, 18);
        b.comment(34, 39);
        b.comment(40, 52);
        // What `godump` prints for this source.
        assert_eq!(
            dump(&b.f),
            "File 0 32\nIdent 8 9 p\nGenDecl 19 32 var\nValueSpec 23 32\nIdent 23 24 s\n\
             BasicLit 27 32 STRING\nCommentGroup 13 17\nComment 13 17\nCommentGroup 34 38\n\
             Comment 34 38\nCommentGroup 40 51\nComment 40 51\n"
        );
    }

    #[test]
    fn missing_positions_and_synthetic_names() {
        // A field list without delimiters or fields has no position in go/ast; a name the
        // parser invented reads as `_` whatever the source says there.
        let mut b = B::new("package p\nfunc", (0, 14), 0);
        let p = b.id(8, 9);
        b.f.name = Some(p);
        b.f.idents.push(Ident {
            span: Span::new(14, 15),
            synthetic: true,
        });
        let name = IdentId::new(b.f.idents.len() as u32 - 1);
        b.f.field_lists.push(FieldList {
            span: Span::default(),
            opening: None,
            list: Box::new([]),
            closing: None,
        });
        let params = FieldListId::new(b.f.field_lists.len() as u32 - 1);
        let typ = b.e(
            10,
            14,
            ExprKind::FuncType {
                func: Some(10),
                type_params: None,
                params,
                results: None,
            },
        );
        let d = b.decl(
            10,
            14,
            DeclKind::Func {
                recv: None,
                name,
                typ,
                body: None,
            },
        );
        let bad = b.decl(14, 14, DeclKind::Bad);
        b.f.decls = vec![d, bad];
        assert_eq!(
            dump(&b.f),
            "File 0 14\nIdent 8 9 p\nFuncDecl 10 14\nIdent 14 15 _\nFuncType 10 14\n\
             FieldList -1 -1\nBadDecl 14 14\n"
        );
    }

    #[test]
    fn fnv1a64_reference_values() {
        // Reference values of the FNV-1a 64-bit specification.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
