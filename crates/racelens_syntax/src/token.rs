//! Go tokens: the kinds of go/token, their spelling and operator precedence.

/// A token kind. The variants and their spelling mirror go/token's `Token`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum TokenKind {
    Illegal,
    Eof,
    Comment,

    // Literals.
    Ident,
    Int,
    Float,
    Imag,
    Char,
    String,

    // Operators and delimiters.
    Add,    // +
    Sub,    // -
    Mul,    // *
    Quo,    // /
    Rem,    // %
    And,    // &
    Or,     // |
    Xor,    // ^
    Shl,    // <<
    Shr,    // >>
    AndNot, // &^

    AddAssign,    // +=
    SubAssign,    // -=
    MulAssign,    // *=
    QuoAssign,    // /=
    RemAssign,    // %=
    AndAssign,    // &=
    OrAssign,     // |=
    XorAssign,    // ^=
    ShlAssign,    // <<=
    ShrAssign,    // >>=
    AndNotAssign, // &^=

    LAnd,  // &&
    LOr,   // ||
    Arrow, // <-
    Inc,   // ++
    Dec,   // --

    Eql,    // ==
    Lss,    // <
    Gtr,    // >
    Assign, // =
    Not,    // !

    Neq,      // !=
    Leq,      // <=
    Geq,      // >=
    Define,   // :=
    Ellipsis, // ...

    LParen, // (
    LBrack, // [
    LBrace, // {
    Comma,  // ,
    Period, // .

    RParen,    // )
    RBrack,    // ]
    RBrace,    // }
    Semicolon, // ;
    Colon,     // :
    Tilde,     // ~

    // Keywords.
    Break,
    Case,
    Chan,
    Const,
    Continue,
    Default,
    Defer,
    Else,
    Fallthrough,
    For,
    Func,
    Go,
    Goto,
    If,
    Import,
    Interface,
    Map,
    Package,
    Range,
    Return,
    Select,
    Struct,
    Switch,
    Type,
    Var,
}

impl TokenKind {
    /// The spelling go/token's `Token.String()` gives.
    pub fn as_str(self) -> &'static str {
        use TokenKind::*;
        match self {
            Illegal => "ILLEGAL",
            Eof => "EOF",
            Comment => "COMMENT",
            Ident => "IDENT",
            Int => "INT",
            Float => "FLOAT",
            Imag => "IMAG",
            Char => "CHAR",
            String => "STRING",
            Add => "+",
            Sub => "-",
            Mul => "*",
            Quo => "/",
            Rem => "%",
            And => "&",
            Or => "|",
            Xor => "^",
            Shl => "<<",
            Shr => ">>",
            AndNot => "&^",
            AddAssign => "+=",
            SubAssign => "-=",
            MulAssign => "*=",
            QuoAssign => "/=",
            RemAssign => "%=",
            AndAssign => "&=",
            OrAssign => "|=",
            XorAssign => "^=",
            ShlAssign => "<<=",
            ShrAssign => ">>=",
            AndNotAssign => "&^=",
            LAnd => "&&",
            LOr => "||",
            Arrow => "<-",
            Inc => "++",
            Dec => "--",
            Eql => "==",
            Lss => "<",
            Gtr => ">",
            Assign => "=",
            Not => "!",
            Neq => "!=",
            Leq => "<=",
            Geq => ">=",
            Define => ":=",
            Ellipsis => "...",
            LParen => "(",
            LBrack => "[",
            LBrace => "{",
            Comma => ",",
            Period => ".",
            RParen => ")",
            RBrack => "]",
            RBrace => "}",
            Semicolon => ";",
            Colon => ":",
            Tilde => "~",
            Break => "break",
            Case => "case",
            Chan => "chan",
            Const => "const",
            Continue => "continue",
            Default => "default",
            Defer => "defer",
            Else => "else",
            Fallthrough => "fallthrough",
            For => "for",
            Func => "func",
            Go => "go",
            Goto => "goto",
            If => "if",
            Import => "import",
            Interface => "interface",
            Map => "map",
            Package => "package",
            Range => "range",
            Return => "return",
            Select => "select",
            Struct => "struct",
            Switch => "switch",
            Type => "type",
            Var => "var",
        }
    }

    /// The keyword spelled `word`, if any.
    pub fn keyword(word: &[u8]) -> Option<TokenKind> {
        use TokenKind::*;
        Some(match word {
            b"break" => Break,
            b"case" => Case,
            b"chan" => Chan,
            b"const" => Const,
            b"continue" => Continue,
            b"default" => Default,
            b"defer" => Defer,
            b"else" => Else,
            b"fallthrough" => Fallthrough,
            b"for" => For,
            b"func" => Func,
            b"go" => Go,
            b"goto" => Goto,
            b"if" => If,
            b"import" => Import,
            b"interface" => Interface,
            b"map" => Map,
            b"package" => Package,
            b"range" => Range,
            b"return" => Return,
            b"select" => Select,
            b"struct" => Struct,
            b"switch" => Switch,
            b"type" => Type,
            b"var" => Var,
            _ => return None,
        })
    }

    /// Binary operator precedence as in go/token (0 for non-operators).
    pub fn precedence(self) -> u8 {
        use TokenKind::*;
        match self {
            LOr => 1,
            LAnd => 2,
            Eql | Neq | Lss | Leq | Gtr | Geq => 3,
            Add | Sub | Or | Xor => 4,
            Mul | Quo | Rem | Shl | Shr | And | AndNot => 5,
            _ => 0,
        }
    }

    pub fn is_keyword(self) -> bool {
        (self as u8) >= (TokenKind::Break as u8)
    }

    pub fn is_literal(self) -> bool {
        matches!(
            self,
            TokenKind::Ident
                | TokenKind::Int
                | TokenKind::Float
                | TokenKind::Imag
                | TokenKind::Char
                | TokenKind::String
        )
    }
}

/// One token of the source: its kind and byte range `[start, end)`.
///
/// For an automatically inserted semicolon, `implicit` is true (go/scanner's literal `"\n"`);
/// its range is empty and sits where go/scanner puts it (the newline, the start of the comment
/// that ends the line, or the end of the file).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Token {
    pub kind: TokenKind,
    pub start: u32,
    pub end: u32,
    pub implicit: bool,
}
