//! Deeply nested input: every recursive shape must give a tree (below the nesting limit) or
//! the "exceeded max nesting depth" error (above it), never a stack overflow, even on a
//! thread with a 2 MiB stack.

use racelens_syntax::ast::{ExprKind, StmtKind};
use racelens_syntax::{parse, File, SyntaxError};

const SHALLOW: usize = 30_000;
const DEEP: usize = 150_000;

/// Parses on a thread with a 2 MiB stack, like a default test or worker thread.
fn parse_small_stack(src: String) -> (File, Vec<SyntaxError>) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || parse(src.as_bytes()))
        .expect("spawn")
        .join()
        .expect("the parser thread panicked")
}

fn check(name: &str, make: impl Fn(usize) -> String, count: impl Fn(&File) -> usize) {
    let (file, errors) = parse_small_stack(make(SHALLOW));
    assert!(errors.is_empty(), "{name} x{SHALLOW}: {errors:?}");
    assert!(
        count(&file) >= SHALLOW,
        "{name} x{SHALLOW}: only {} nested nodes",
        count(&file)
    );

    let (_, errors) = parse_small_stack(make(DEEP));
    assert!(
        errors
            .iter()
            .any(|e| e.message == "exceeded max nesting depth"),
        "{name} x{DEEP}: {errors:?}"
    );
}

fn in_func(body: &str) -> String {
    format!("package p\nfunc f() {{\n{body}\n}}\n")
}

fn count_exprs(f: &File, pred: impl Fn(&ExprKind) -> bool) -> usize {
    f.exprs.iter().filter(|e| pred(&e.kind)).count()
}

fn count_stmts(f: &File, pred: impl Fn(&StmtKind) -> bool) -> usize {
    f.stmts.iter().filter(|s| pred(&s.kind)).count()
}

#[test]
fn parentheses() {
    check(
        "parens",
        |n| in_func(&format!("_ = {}x{}", "(".repeat(n), ")".repeat(n))),
        |f| count_exprs(f, |k| matches!(k, ExprKind::Paren { .. })),
    );
}

#[test]
fn index_brackets() {
    check(
        "index",
        |n| in_func(&format!("_ = {}0{}", "a[".repeat(n), "]".repeat(n))),
        |f| count_exprs(f, |k| matches!(k, ExprKind::Index { .. })),
    );
}

#[test]
fn slice_types() {
    check(
        "slice types",
        |n| format!("package p\nvar x {}int\n", "[]".repeat(n)),
        |f| count_exprs(f, |k| matches!(k, ExprKind::ArrayType { .. })),
    );
}

#[test]
fn blocks() {
    check(
        "blocks",
        |n| in_func(&format!("{}{}", "{".repeat(n), "}".repeat(n))),
        |f| count_stmts(f, |k| matches!(k, StmtKind::Block { .. })),
    );
}

#[test]
fn unary_operators() {
    check(
        "unary",
        |n| in_func(&format!("_ = {}x", "- ".repeat(n))),
        |f| count_exprs(f, |k| matches!(k, ExprKind::Unary { .. })),
    );
}

#[test]
fn receive_operators() {
    check(
        "receive",
        |n| in_func(&format!("_ = {}x", "<-".repeat(n))),
        |f| count_exprs(f, |k| matches!(k, ExprKind::Unary { .. })),
    );
}

#[test]
fn pointer_types() {
    check(
        "pointers",
        |n| format!("package p\nvar x {}int\n", "*".repeat(n)),
        |f| count_exprs(f, |k| matches!(k, ExprKind::Star { .. })),
    );
}

#[test]
fn channel_types() {
    check(
        "chans",
        |n| format!("package p\nvar x {}int\n", "chan ".repeat(n)),
        |f| count_exprs(f, |k| matches!(k, ExprKind::ChanType { .. })),
    );
}

#[test]
fn func_literals() {
    check(
        "func literals",
        |n| {
            in_func(&format!(
                "{}{}",
                "_ = func() {\n".repeat(n),
                "}\n".repeat(n)
            ))
        },
        |f| count_exprs(f, |k| matches!(k, ExprKind::FuncLit { .. })),
    );
}

#[test]
fn composite_literals() {
    check(
        "composite literals",
        |n| in_func(&format!("_ = T{}{}", "{".repeat(n), "}".repeat(n))),
        |f| count_exprs(f, |k| matches!(k, ExprKind::CompositeLit { .. })),
    );
}

#[test]
fn struct_types() {
    check(
        "structs",
        |n| {
            format!(
                "package p\nvar x {}int{}\n",
                "struct{ f ".repeat(n),
                "}".repeat(n)
            )
        },
        |f| count_exprs(f, |k| matches!(k, ExprKind::StructType { .. })),
    );
}

#[test]
fn else_if_chains() {
    check(
        "else if",
        |n| in_func(&format!("if x {{}}{}", " else if x {}".repeat(n))),
        |f| count_stmts(f, |k| matches!(k, StmtKind::If { .. })),
    );
}

#[test]
fn labels() {
    check(
        "labels",
        |n| {
            let labels: String = (0..n).map(|i| format!("L{i}: ")).collect();
            in_func(&format!("{labels};"))
        },
        |f| count_stmts(f, |k| matches!(k, StmtKind::Labeled { .. })),
    );
}

#[test]
fn binary_chains_and_selectors() {
    // Loops build these, but go/parser counts each step against the nesting limit.
    check(
        "binary",
        |n| in_func(&format!("_ = x{}", " + x".repeat(n))),
        |f| count_exprs(f, |k| matches!(k, ExprKind::Binary { .. })),
    );
    check(
        "selectors",
        |n| in_func(&format!("_ = x{}", ".f".repeat(n))),
        |f| count_exprs(f, |k| matches!(k, ExprKind::Selector { .. })),
    );
}

#[test]
fn nesting_limit_matches_go_parser() {
    // The last accepted and first rejected inputs, with the error offset, as go/parser
    // 1.19.8 gives them: binary chains and selector chains count per operator.
    let cases: [(&str, &str, &str, usize, u32); 3] = [
        ("package p\nvar x = 1", " + 1", "\n", 99_998, 400_015),
        ("package p\nvar x = ", "a.", "b\n", 99_998, 200_017),
        ("package p\nvar x ", "*", "int\n", 99_999, 100_016),
    ];
    for (head, unit, tail, accepted, offset) in cases {
        let make = |n: usize| format!("{head}{}{tail}", unit.repeat(n));
        let (_, errors) = parse_small_stack(make(accepted));
        assert!(errors.is_empty(), "{unit:?} x{accepted}: {errors:?}");
        let (_, errors) = parse_small_stack(make(accepted + 1));
        assert_eq!(
            errors
                .iter()
                .map(|e| (e.offset, e.message.as_str()))
                .collect::<Vec<_>>(),
            [(offset, "exceeded max nesting depth")],
            "{unit:?} x{}",
            accepted + 1
        );
    }
}
