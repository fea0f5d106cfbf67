//! Fuzz target: any bytes parse without a panic, in full and declarations only, and every
//! span stays inside the input; `package_name` reads the name the parser gives; the parse
//! that keeps the bytes it is given makes the tree and errors of the one that copies them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (file, errors) = racelens_syntax::parse(data);
    let (owned, owned_errors) = racelens_syntax::parse_owned(data.to_vec());
    assert_eq!(owned_errors, errors);
    assert_eq!(&owned.source[..], &file.source[..]);
    assert_eq!(
        racelens_syntax::dump::dump(&owned),
        racelens_syntax::dump::dump(&file)
    );
    check(data, (file, errors));
    let (decls, errors) = racelens_syntax::parse_declarations(data);
    // The name read from the first tokens is the one the parser gives.
    let name = decls.name.map(|n| decls.ident_name(n).to_string());
    assert_eq!(racelens_syntax::package_name(data), name);
    check(data, (decls, errors));
});

fn check(
    data: &[u8],
    (file, errors): (
        racelens_syntax::ast::File,
        Vec<racelens_syntax::SyntaxError>,
    ),
) {
    let len = data.len() as u32;
    for e in &errors {
        assert!(e.offset <= len);
    }
    for expr in &file.exprs {
        assert!(expr.span.start <= expr.span.end && expr.span.end <= len);
    }
    for stmt in &file.stmts {
        assert!(stmt.span.start <= stmt.span.end && stmt.span.end <= len);
    }
    let _ = racelens_syntax::dump::dump(&file);
}
