//! The Go syntax tree of one file: arenas of nodes that mirror go/ast, indexed by newtyped ids.
//!
//! Node kinds, children and their order follow go/ast (Go 1.19). Every node stores its byte
//! span `[start, end)`, computed exactly as go/ast's `Pos()`/`End()` compute them, so that a
//! dump of this tree can be compared with a dump of go/parser's tree byte for byte.
//! Identifiers live in their own arena (`IdentId`) so later layers can key name bindings by
//! identifier occurrence; an identifier used as an expression also has an `ExprId`.
//! Semantic facts never live here: they live in side tables keyed by these ids.

use crate::token::TokenKind;
use std::num::NonZeroU32;
use std::ops::Index;

/// A byte range `[start, end)` in the file's source.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: u32, end: u32) -> Span {
        Span { start, end }
    }
    pub fn len(self) -> u32 {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }
}

macro_rules! ids {
    ($($(#[$m:meta])* $name:ident),* $(,)?) => {$(
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
        pub struct $name(NonZeroU32);
        impl $name {
            /// The id of the node at index `i` of its arena. `u32::MAX` (a sentinel some
            /// callers use) stands for the same id as `u32::MAX - 1`, which no arena reaches:
            /// a file has fewer nodes than bytes, and at most `u32::MAX - 1` bytes.
            pub const fn new(i: u32) -> $name {
                $name(NonZeroU32::MIN.saturating_add(i))
            }
            /// The node's index in its arena.
            pub const fn index(self) -> usize {
                self.raw() as usize
            }
            /// The node's index in its arena, as stored.
            pub const fn raw(self) -> u32 {
                self.0.get() - 1
            }
        }
    )*};
}

ids! {
    /// An identifier occurrence (`ast.Ident`).
    IdentId,
    /// An expression or type (`ast.Expr`).
    ExprId,
    /// A statement (`ast.Stmt`), including blocks and case/comm clauses.
    StmtId,
    /// A top-level or statement-level declaration (`ast.Decl`).
    DeclId,
    /// An import, value or type spec (`ast.Spec`).
    SpecId,
    /// A field of a struct, interface, parameter list, result list or type parameter list.
    FieldId,
    /// A field list (`ast.FieldList`).
    FieldListId,
}

macro_rules! lists {
    ($($(#[$m:meta])* $name:ident of $id:ident in $field:ident, $push:ident;)*) => {$(
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
        pub struct $name {
            start: u32,
            len: u32,
        }
        impl $name {
            /// The number of nodes in the list.
            pub const fn len(self) -> usize {
                self.len as usize
            }
            pub const fn is_empty(self) -> bool {
                self.len == 0
            }
        }
        impl Index<$name> for File {
            type Output = [$id];
            fn index(&self, list: $name) -> &[$id] {
                let start = list.start as usize;
                &self.$field[start..start + list.len as usize]
            }
        }
        impl Index<&$name> for File {
            type Output = [$id];
            fn index(&self, list: &$name) -> &[$id] {
                &self[*list]
            }
        }
        impl File {
            /// Appends `ids` to the file's list arena of their kind and returns the list.
            pub fn $push(&mut self, ids: &[$id]) -> $name {
                let start = self.$field.len() as u32;
                self.$field.extend_from_slice(ids);
                $name { start, len: ids.len() as u32 }
            }
        }
    )*};
}

lists! {
    /// A list of expressions (call arguments, composite literal elements, assignment sides,
    /// results, case values): `&file[list]` is the slice. Lists live in one arena per file
    /// instead of one allocation each.
    ExprList of ExprId in expr_lists, push_exprs;
    /// A list of statements (a block's, a clause's body): `&file[list]` is the slice.
    StmtList of StmtId in stmt_lists, push_stmts;
}

/// `ast.Ident`. A name the parser had to invent after a syntax error is `synthetic` and reads
/// as `_`, like go/parser's; its span is then `[pos, pos+1)`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Ident {
    pub span: Span,
    pub synthetic: bool,
}

/// The kind of a basic literal (`ast.BasicLit.Kind`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum LitKind {
    Int,
    Float,
    Imag,
    Char,
    String,
}

impl LitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LitKind::Int => "INT",
            LitKind::Float => "FLOAT",
            LitKind::Imag => "IMAG",
            LitKind::Char => "CHAR",
            LitKind::String => "STRING",
        }
    }
}

/// Channel direction (`ast.ChanDir`): the values match go/ast (SEND = 1, RECV = 2).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ChanDir {
    Send = 1,
    Recv = 2,
    Both = 3,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub span: Span,
    pub kind: ExprKind,
}

/// Expressions and types. Positions of punctuation that are not span ends are kept where
/// later layers or diagnostics want them.
#[derive(Clone, Debug)]
pub enum ExprKind {
    /// `ast.BadExpr`: a placeholder for an expression that failed to parse.
    Bad,
    Ident(IdentId),
    /// `...T` in a parameter list, or `[...]` as an array length (then `elt` is `None`).
    Ellipsis {
        elt: Option<ExprId>,
    },
    /// The literal's text is the source text of its span.
    BasicLit {
        kind: LitKind,
    },
    FuncLit {
        /// Always an `ExprKind::FuncType`.
        typ: ExprId,
        /// Always a `StmtKind::Block`.
        body: StmtId,
    },
    CompositeLit {
        typ: Option<ExprId>,
        lbrace: u32,
        elts: ExprList,
        rbrace: u32,
        incomplete: bool,
    },
    Paren {
        x: ExprId,
    },
    Selector {
        x: ExprId,
        sel: IdentId,
    },
    Index {
        x: ExprId,
        lbrack: u32,
        index: ExprId,
    },
    /// `ast.IndexListExpr`: an instantiation with two or more type arguments.
    IndexList {
        x: ExprId,
        lbrack: u32,
        indices: ExprList,
    },
    Slice {
        x: ExprId,
        lbrack: u32,
        low: Option<ExprId>,
        high: Option<ExprId>,
        max: Option<ExprId>,
        slice3: bool,
    },
    /// `x.(T)`; `typ` is `None` for the `x.(type)` of a type switch.
    TypeAssert {
        x: ExprId,
        lparen: u32,
        typ: Option<ExprId>,
    },
    Call {
        fun: ExprId,
        lparen: u32,
        args: ExprList,
        /// Position of `...` after the last argument (never 0: the call comes first).
        ellipsis: Option<NonZeroU32>,
    },
    /// `*x`: a dereference or a pointer type.
    Star {
        x: ExprId,
    },
    Unary {
        op: TokenKind,
        x: ExprId,
    },
    Binary {
        x: ExprId,
        op: TokenKind,
        op_pos: u32,
        y: ExprId,
    },
    KeyValue {
        key: ExprId,
        colon: u32,
        value: ExprId,
    },
    /// `[len]elt`; `len` is `None` for a slice type and an `Ellipsis` for `[...]T`.
    ArrayType {
        len: Option<ExprId>,
        elt: ExprId,
    },
    StructType {
        fields: FieldListId,
        incomplete: bool,
    },
    FuncType {
        /// Position of the `func` keyword; `None` for interface methods.
        func: Option<u32>,
        type_params: Option<FieldListId>,
        params: FieldListId,
        results: Option<FieldListId>,
    },
    InterfaceType {
        methods: FieldListId,
        incomplete: bool,
    },
    MapType {
        key: ExprId,
        value: ExprId,
    },
    ChanType {
        dir: ChanDir,
        /// Position of `<-` (`chan<-` or `<-chan`).
        arrow: Option<u32>,
        value: ExprId,
    },
}

#[derive(Clone, Debug)]
pub struct Stmt {
    pub span: Span,
    pub kind: StmtKind,
}

#[derive(Clone, Debug)]
pub enum StmtKind {
    /// `ast.BadStmt`.
    Bad,
    Decl(DeclId),
    /// `implicit` when the semicolon was inserted by the lexer (or stands for a missing
    /// statement before `}`); the span is then empty.
    Empty {
        implicit: bool,
    },
    Labeled {
        label: IdentId,
        stmt: StmtId,
    },
    Expr(ExprId),
    Send {
        chan: ExprId,
        arrow: u32,
        value: ExprId,
    },
    IncDec {
        x: ExprId,
        tok: TokenKind,
    },
    Assign {
        lhs: ExprList,
        tok_pos: u32,
        /// `=`, `:=` or an operator assignment such as `+=`.
        tok: TokenKind,
        rhs: ExprList,
    },
    Go {
        /// Normally a `Call`; a `Bad` expression after a syntax error.
        call: ExprId,
    },
    Defer {
        call: ExprId,
    },
    Return {
        results: ExprList,
    },
    /// `break`, `continue`, `goto` or `fallthrough`.
    Branch {
        tok: TokenKind,
        label: Option<IdentId>,
    },
    Block {
        lbrace: u32,
        list: StmtList,
        rbrace: u32,
    },
    If {
        init: Option<StmtId>,
        cond: ExprId,
        /// A `Block`.
        body: StmtId,
        /// An `If` or a `Block`.
        els: Option<StmtId>,
    },
    /// A `case` or `default` clause of an expression or type switch.
    CaseClause {
        /// Empty for `default`.
        list: ExprList,
        is_default: bool,
        colon: u32,
        body: StmtList,
    },
    Switch {
        init: Option<StmtId>,
        tag: Option<ExprId>,
        /// A `Block` of `CaseClause`s.
        body: StmtId,
    },
    TypeSwitch {
        init: Option<StmtId>,
        /// `x := y.(type)` (an `Assign`) or `y.(type)` (an `Expr` statement).
        assign: StmtId,
        body: StmtId,
    },
    /// A `case` or `default` clause of a `select`; `comm` is `None` for `default`.
    CommClause {
        comm: Option<StmtId>,
        colon: u32,
        body: StmtList,
    },
    Select {
        /// A `Block` of `CommClause`s.
        body: StmtId,
    },
    For {
        init: Option<StmtId>,
        cond: Option<ExprId>,
        post: Option<StmtId>,
        body: StmtId,
    },
    Range {
        key: Option<ExprId>,
        value: Option<ExprId>,
        /// `:=` or `=`; `None` for `for range x`.
        tok: Option<TokenKind>,
        /// Position of `tok` (never 0: the key comes first).
        tok_pos: Option<NonZeroU32>,
        x: ExprId,
        body: StmtId,
    },
}

#[derive(Clone, Debug)]
pub struct Decl {
    pub span: Span,
    pub kind: DeclKind,
}

#[derive(Clone, Debug)]
pub enum DeclKind {
    /// `ast.BadDecl`.
    Bad,
    /// `import`, `const`, `type` or `var`, with or without parentheses.
    Gen {
        tok: TokenKind,
        lparen: Option<u32>,
        specs: Box<[SpecId]>,
        rparen: Option<u32>,
    },
    Func {
        recv: Option<FieldListId>,
        name: IdentId,
        /// Always an `ExprKind::FuncType`.
        typ: ExprId,
        /// A `Block`, or `None` for a declaration without body.
        body: Option<StmtId>,
    },
}

#[derive(Clone, Debug)]
pub struct Spec {
    pub span: Span,
    pub kind: SpecKind,
}

#[derive(Clone, Debug)]
pub enum SpecKind {
    Import {
        name: Option<IdentId>,
        /// A string `BasicLit`.
        path: ExprId,
    },
    /// A `const` or `var` spec.
    Value {
        names: Box<[IdentId]>,
        typ: Option<ExprId>,
        values: Box<[ExprId]>,
    },
    Type {
        name: IdentId,
        type_params: Option<FieldListId>,
        /// Position of `=` for an alias declaration.
        assign: Option<u32>,
        typ: ExprId,
    },
}

/// `ast.Field`: a struct field, an interface element, a parameter, a result or a type parameter.
#[derive(Clone, Debug)]
pub struct Field {
    pub span: Span,
    pub names: Box<[IdentId]>,
    pub typ: ExprId,
    pub tag: Option<ExprId>,
}

/// `ast.FieldList`. `opening`/`closing` are the positions of the parentheses, brackets or braces
/// when present (an unparenthesized single result has neither).
#[derive(Clone, Debug)]
pub struct FieldList {
    pub span: Span,
    pub opening: Option<u32>,
    pub list: Box<[FieldId]>,
    pub closing: Option<u32>,
}

/// One `//` or `/* */` comment; its text is the source text of its span.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Comment {
    pub span: Span,
}

/// `ast.CommentGroup`: comments grouped exactly as go/parser groups them.
#[derive(Clone, Debug)]
pub struct CommentGroup {
    pub span: Span,
    pub list: Box<[Comment]>,
}

/// The source of a file: its bytes, kept as a `str` when they are valid UTF-8 (nearly
/// always), so that taking the text of a span checks two character boundaries instead of
/// validating the bytes again. Dereferences to the bytes.
#[derive(Clone, Debug)]
pub enum Source {
    Text(Box<str>),
    Bytes(Box<[u8]>),
}

impl Source {
    pub fn new(bytes: Vec<u8>) -> Source {
        match String::from_utf8(bytes) {
            Ok(s) => Source::Text(s.into_boxed_str()),
            Err(e) => Source::Bytes(e.into_bytes().into_boxed_slice()),
        }
    }

    /// The bytes, without copying them.
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            Source::Text(s) => s.into_boxed_bytes().into_vec(),
            Source::Bytes(b) => b.into_vec(),
        }
    }

    /// The text of bytes `start..end`, if they are in range and valid UTF-8.
    pub fn text(&self, start: usize, end: usize) -> Option<&str> {
        match self {
            Source::Text(s) => s.get(start..end),
            Source::Bytes(b) => b.get(start..end).and_then(|b| std::str::from_utf8(b).ok()),
        }
    }
}

impl From<&[u8]> for Source {
    fn from(bytes: &[u8]) -> Source {
        Source::new(bytes.to_vec())
    }
}

impl Default for Source {
    fn default() -> Source {
        Source::Text(Box::default())
    }
}

impl std::ops::Deref for Source {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Source::Text(s) => s.as_bytes(),
            Source::Bytes(b) => b,
        }
    }
}

/// The syntax tree of one Go file, with the source it was parsed from.
#[derive(Clone, Debug, Default)]
pub struct File {
    /// The source bytes; all spans index into them.
    pub source: Source,
    /// The span of the file as go/ast 1.19 gives it: from `package` to the end of the last
    /// declaration (or of the package name).
    pub span: Span,
    /// Position of the `package` keyword.
    pub package: u32,
    /// The package name (`synthetic` when the clause is missing).
    pub name: Option<IdentId>,
    pub decls: Vec<DeclId>,
    /// All comments of the file in source order.
    pub comments: Vec<CommentGroup>,

    pub idents: Vec<Ident>,
    pub exprs: Vec<Expr>,
    pub stmts: Vec<Stmt>,
    pub decl_arena: Vec<Decl>,
    pub specs: Vec<Spec>,
    pub fields: Vec<Field>,
    pub field_lists: Vec<FieldList>,
    /// The arenas of `ExprList` and `StmtList`.
    pub expr_lists: Vec<ExprId>,
    pub stmt_lists: Vec<StmtId>,
}

impl File {
    /// Frees the room the arenas reserved beyond what they hold: the parser reserves them by
    /// the size of the source, for the densest code, and a file with many comments, or whose
    /// bodies were skipped, fills a fraction of that.
    pub fn shrink_to_fit(&mut self) {
        self.idents.shrink_to_fit();
        self.exprs.shrink_to_fit();
        self.stmts.shrink_to_fit();
        self.decl_arena.shrink_to_fit();
        self.specs.shrink_to_fit();
        self.fields.shrink_to_fit();
        self.field_lists.shrink_to_fit();
        self.expr_lists.shrink_to_fit();
        self.stmt_lists.shrink_to_fit();
        self.comments.shrink_to_fit();
        self.decls.shrink_to_fit();
    }

    /// The source text of `span` (empty if it is out of range or not UTF-8).
    pub fn text(&self, span: Span) -> &str {
        self.source
            .text(span.start as usize, span.end as usize)
            .unwrap_or("")
    }

    /// Every expression of the file with its id, in arena order: for flat scans that need
    /// no walk.
    pub fn exprs_with_ids(&self) -> impl Iterator<Item = (ExprId, &Expr)> {
        (0..self.exprs.len() as u32)
            .map(ExprId::new)
            .zip(&self.exprs)
    }

    /// `e` without enclosing parentheses.
    pub fn unparen(&self, mut e: ExprId) -> ExprId {
        while let ExprKind::Paren { x } = self[e].kind {
            e = x;
        }
        e
    }

    /// The name an identifier spells (`_` for a synthetic one).
    /// Whether identifier `id` is spelled `name`: a byte comparison, cheaper than
    /// `ident_name(id) == name` for scans over every call of a file.
    pub fn ident_is(&self, id: IdentId, name: &str) -> bool {
        let ident = &self[id];
        if ident.synthetic {
            return name == "_";
        }
        self.source
            .get(ident.span.start as usize..ident.span.end as usize)
            == Some(name.as_bytes())
    }

    pub fn ident_name(&self, id: IdentId) -> &str {
        let ident = &self[id];
        if ident.synthetic {
            "_"
        } else {
            self.text(ident.span)
        }
    }

    /// The package name, or `_` when the package clause is missing.
    pub fn package_name(&self) -> &str {
        match self.name {
            Some(id) => self.ident_name(id),
            None => "_",
        }
    }

    /// The import specs of the file, in source order.
    pub fn imports(&self) -> impl Iterator<Item = SpecId> + '_ {
        self.decls.iter().flat_map(move |&d| match &self[d].kind {
            DeclKind::Gen {
                tok: TokenKind::Import,
                specs,
                ..
            } => specs.to_vec(),
            _ => Vec::new(),
        })
    }
}

macro_rules! arena_index {
    ($($id:ident => $field:ident : $node:ident),* $(,)?) => {$(
        impl Index<$id> for File {
            type Output = $node;
            fn index(&self, id: $id) -> &$node {
                &self.$field[id.index()]
            }
        }
    )*};
}

arena_index! {
    IdentId => idents: Ident,
    ExprId => exprs: Expr,
    StmtId => stmts: Stmt,
    DeclId => decl_arena: Decl,
    SpecId => specs: Spec,
    FieldId => fields: Field,
    FieldListId => field_lists: FieldList,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ident_named(f: &File, name: &str) -> IdentId {
        let i = f.idents.iter().position(|i| f.text(i.span) == name);
        IdentId::new(i.expect("the identifier is in the file") as u32)
    }

    #[test]
    fn lists_are_ranges_of_their_arena() {
        let mut f = File::default();
        let (a, b) = (ExprId::new(7), ExprId::new(3));
        let first = f.push_exprs(&[a, b]);
        let empty = f.push_exprs(&[]);
        let second = f.push_exprs(&[b]);
        assert_eq!(&f[first], &[a, b]);
        assert_eq!(&f[&second], &[b]);
        assert!(f[empty].is_empty() && empty.is_empty());
        assert!(f[ExprList::default()].is_empty());
        assert_eq!((first.len(), second.len()), (2, 1));
        let body = f.push_stmts(&[StmtId::new(0)]);
        assert_eq!(&f[body], &[StmtId::new(0)]);
        // An optional id costs no more than the id, and so does an optional position: the
        // most numerous nodes stay at two per cache line.
        assert_eq!(std::mem::size_of::<Option<ExprId>>(), 4);
        assert_eq!(std::mem::size_of::<Expr>(), 32);
        assert_eq!(std::mem::size_of::<Stmt>(), 32);
        assert_eq!((ExprId::new(5).index(), ExprId::new(0).raw()), (5, 0));
        assert!(ExprId::new(1) < ExprId::new(2));
    }

    #[test]
    fn exprs_with_ids_pairs_each_expression_with_its_own_id() {
        let (f, _) = crate::parse(b"package p\nvar x = f(a, b[1]) + -c\n");
        let pairs: Vec<(ExprId, &Expr)> = f.exprs_with_ids().collect();
        assert!(pairs.len() >= 7, "{}", pairs.len());
        assert_eq!(pairs.len(), f.exprs.len());
        for (k, (id, e)) in pairs.into_iter().enumerate() {
            assert_eq!(id.index(), k);
            assert!(std::ptr::eq(e, &f[id]));
        }
        assert_eq!(File::default().exprs_with_ids().count(), 0);
    }

    #[test]
    fn valid_utf8_source_is_kept_as_text() {
        let (f, errors) = crate::parse("package p\n\n// é\nvar héllo = 1\n".as_bytes());
        assert!(errors.is_empty());
        assert!(matches!(f.source, Source::Text(_)));
        let id = ident_named(&f, "héllo");
        assert!(f.ident_is(id, "héllo"));
        assert!(!f.ident_is(id, "hello"));
        assert_eq!(f.ident_name(id), "héllo");
        // A span that splits a character has no text.
        let start = f
            .source
            .windows(2)
            .position(|w| w == "é".as_bytes())
            .unwrap() as u32;
        assert_eq!(
            f.text(Span {
                start,
                end: start + 1
            }),
            ""
        );
        assert_eq!(
            f.text(Span {
                start: 0,
                end: 10_000
            }),
            ""
        );
    }

    #[test]
    fn invalid_utf8_source_keeps_its_bytes_and_the_text_of_valid_spans() {
        let src = b"package p\n\n// \xff\xfe\nvar x = 1\n";
        let (f, _) = crate::parse(src);
        assert!(matches!(f.source, Source::Bytes(_)));
        assert_eq!(&f.source[..], &src[..]);
        let id = ident_named(&f, "x");
        assert!(f.ident_is(id, "x"));
        let bad = src.iter().position(|&b| b == 0xff).unwrap() as u32;
        assert_eq!(
            f.text(Span {
                start: bad,
                end: bad + 2
            }),
            ""
        );
    }
}
