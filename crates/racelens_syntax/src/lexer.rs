//! The Go lexer: bytes to tokens, with automatic semicolon insertion and comment grouping.
//! (Placeholder: being written.)

use crate::ast::CommentGroup;
use crate::token::{Token, TokenKind};
use crate::SyntaxError;

pub struct Lexer<'a> {
    src: &'a [u8],
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a [u8]) -> Self {
        Lexer { src }
    }

    pub fn next_token(&mut self) -> Token {
        let end = self.src.len() as u32;
        Token {
            kind: TokenKind::Eof,
            start: end,
            end,
            implicit: false,
        }
    }

    pub fn take_comments(&mut self) -> Vec<CommentGroup> {
        Vec::new()
    }

    pub fn take_errors(&mut self) -> Vec<SyntaxError> {
        Vec::new()
    }
}
