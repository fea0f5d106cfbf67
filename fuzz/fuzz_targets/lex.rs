//! Fuzz target: the lexer tokenizes any bytes without a panic, with tokens in order and in range.
#![no_main]

use libfuzzer_sys::fuzz_target;
use racelens_syntax::lexer::Lexer;
use racelens_syntax::token::TokenKind;

fuzz_target!(|data: &[u8]| {
    let mut lexer = Lexer::new(data);
    let len = data.len() as u32;
    let mut last_end = 0;
    loop {
        let tok = lexer.next_token();
        assert!(tok.start <= tok.end && tok.end <= len);
        assert!(tok.start >= last_end || tok.implicit);
        last_end = last_end.max(tok.end);
        if tok.kind == TokenKind::Eof {
            break;
        }
    }
    let _ = lexer.take_comments();
    let _ = lexer.take_errors();
});
