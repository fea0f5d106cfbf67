//! The Go frontend of racelens: tokens, lexer, the arena syntax tree and the parser.
//!
//! `parse(bytes)` never fails and never panics: any bytes give a tree and a list of syntax
//! errors. The tree mirrors go/ast, so go/parser can serve as a differential oracle (see
//! `dump`).

pub mod ast;
pub mod dump;
pub mod lexer;
pub mod line_index;
pub mod parser;
pub mod stack;
pub mod token;
mod unicode_tables;
pub mod version;
pub mod walk;

pub use ast::File;
pub use line_index::LineIndex;
pub use version::GoVersion;

/// A syntax error: a byte offset into the source and a message in go/parser's words.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SyntaxError {
    pub offset: u32,
    pub message: String,
}

/// Parses one Go source file. Never panics; on errors the tree still covers what could be
/// parsed, with `Bad*` nodes where recovery skipped input.
pub fn parse(src: &[u8]) -> (File, Vec<SyntaxError>) {
    parser::parse_file(src)
}

/// Parses one Go source file like `parse`, keeping `src` as the tree's source instead of a
/// copy of it: for callers that read a file only to parse it.
pub fn parse_owned(src: Vec<u8>) -> (File, Vec<SyntaxError>) {
    parser::parse_file_owned(src, false)
}

/// `parse_declarations`, keeping `src` as the tree's source (see `parse_owned`).
pub fn parse_declarations_owned(src: Vec<u8>) -> (File, Vec<SyntaxError>) {
    parser::parse_file_owned(src, true)
}

/// Parses declarations only, for packages read for their API (imported dependencies): the
/// body of every top-level function is skipped by matching braces and stands in the tree as
/// an empty block with the body's span (the values of composite literals whose type does not
/// depend on them are skipped alike). The comments inside what is skipped are not collected,
/// nor its lexical errors reported. Never panics, like `parse`.
pub fn parse_declarations(src: &[u8]) -> (File, Vec<SyntaxError>) {
    parser::parse_file_with(src, true)
}

/// The package name `parse` and `parse_declarations` give `src` (`File::package_name`),
/// read from the file's first two tokens only: the identifier after the first token, as the
/// parser takes it (it expects `package` there, and reads on whatever comes), `_` when
/// there is none. `None` for a file too large to parse, whose tree has no name.
pub fn package_name(src: &[u8]) -> Option<String> {
    if src.len() > (u32::MAX - 1) as usize {
        return None;
    }
    let mut lexer = lexer::Lexer::new(src);
    lexer.next_token();
    let t = lexer.next_token();
    let name = match t.kind {
        token::TokenKind::Ident => {
            std::str::from_utf8(&src[t.start as usize..t.end as usize]).unwrap_or("")
        }
        _ => "_",
    };
    Some(name.to_string())
}
