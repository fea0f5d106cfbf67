//! Parser unit tests: tree shapes and spans (as go/ast computes them) for every statement and
//! expression kind, go/parser's ambiguity rules, newer syntax, errors and recovery.
//!
//! The expected trees were checked against go/parser 1.19's dump of the same sources.

mod common;

use common::{parse_decls, parse_expr, parse_stmts};
use expect_test::{expect, Expect};

fn check_expr(src: &str, want: Expect) {
    want.assert_eq(&parse_expr(src));
}

fn check_stmts(src: &str, want: Expect) {
    let (got, errors) = parse_stmts(src);
    assert!(errors.is_empty(), "{src}: {errors:?}");
    want.assert_eq(&got);
}

fn check_decls(src: &str, want: Expect) {
    let (got, errors) = parse_decls(src);
    assert!(errors.is_empty(), "{src}: {errors:?}");
    want.assert_eq(&got);
}

fn errors_of(src: &str) -> Vec<(u32, String)> {
    let (_, errors) = racelens_syntax::parse(src.as_bytes());
    errors.into_iter().map(|e| (e.offset, e.message)).collect()
}

// ---------------------------------------------------------------------------------------
// Expressions

#[test]
fn operands_and_literals() {
    check_expr(
        "x + 1 + 2.5 + 3i + 'c' + \"s\" + `r`",
        expect![[
            r#"(Assign@21..59 = (Ident@21..22 _) (Binary@25..59 + (Binary@25..53 + (Binary@25..47 + (Binary@25..41 + (Binary@25..36 + (Binary@25..30 + (Ident@25..26 x) (Lit@29..30 INT 1)) (Lit@33..36 FLOAT 2.5)) (Lit@39..41 IMAG 3i)) (Lit@44..47 CHAR 'c')) (Lit@50..53 STRING "s")) (Lit@56..59 STRING `r`)))"#
        ]],
    );
}

#[test]
fn binary_precedence() {
    check_expr("a || b && c == d + e * f", expect!["(Assign@21..49 = (Ident@21..22 _) (Binary@25..49 || (Ident@25..26 a) (Binary@30..49 && (Ident@30..31 b) (Binary@35..49 == (Ident@35..36 c) (Binary@40..49 + (Ident@40..41 d) (Binary@44..49 * (Ident@44..45 e) (Ident@48..49 f)))))))"]);
    check_expr("a * b + c", expect!["(Assign@21..34 = (Ident@21..22 _) (Binary@25..34 + (Binary@25..30 * (Ident@25..26 a) (Ident@29..30 b)) (Ident@33..34 c)))"]);
}

#[test]
fn unary_operators() {
    check_expr("-x + !y + ^z + &w + *p + <-ch", expect!["(Assign@21..54 = (Ident@21..22 _) (Binary@25..54 + (Binary@25..47 + (Binary@25..42 + (Binary@25..37 + (Binary@25..32 + (Unary@25..27 - (Ident@26..27 x)) (Unary@30..32 ! (Ident@31..32 y))) (Unary@35..37 ^ (Ident@36..37 z))) (Unary@40..42 & (Ident@41..42 w))) (Star@45..47 (Ident@46..47 p))) (Unary@50..54 <- (Ident@52..54 ch))))"]);
}

#[test]
fn selectors_indexes_slices() {
    check_expr("a.b.c[i][j:k][:][1:2:3]", expect!["(Assign@21..48 = (Ident@21..22 _) (Slice3@25..48 (Slice@25..41 (Slice@25..38 (Index@25..33 (Selector@25..30 (Selector@25..28 (Ident@25..26 a) (Ident@27..28 b)) (Ident@29..30 c)) (Ident@31..32 i)) (Ident@34..35 j) (Ident@36..37 k)) nil nil) (Lit@42..43 INT 1) (Lit@44..45 INT 2) (Lit@46..47 INT 3)))"]);
}

#[test]
fn calls_conversions_and_method_expressions() {
    check_expr("f(a, b...)", expect!["(Assign@21..35 = (Ident@21..22 _) (Call@25..35 (Ident@25..26 f) (Ident@27..28 a) (Ident@30..31 b) ...))"]);
    check_expr("[]byte(s)", expect!["(Assign@21..34 = (Ident@21..22 _) (Call@25..34 (Array@25..31 nil (Ident@27..31 byte)) (Ident@32..33 s)))"]);
    check_expr("(*int)(nil)", expect!["(Assign@21..36 = (Ident@21..22 _) (Call@25..36 (Paren@25..31 (Star@26..30 (Ident@27..30 int))) (Ident@32..35 nil)))"]);
    check_expr("(*T).M", expect!["(Assign@21..31 = (Ident@21..22 _) (Selector@25..31 (Paren@25..29 (Star@26..28 (Ident@27..28 T))) (Ident@30..31 M)))"]);
    check_expr("T.M(t)", expect!["(Assign@21..31 = (Ident@21..22 _) (Call@25..31 (Selector@25..28 (Ident@25..26 T) (Ident@27..28 M)) (Ident@29..30 t)))"]);
    check_expr("(func())(x)", expect!["(Assign@21..36 = (Ident@21..22 _) (Call@25..36 (Paren@25..33 (FuncType@26..32 (Fields@30..32))) (Ident@34..35 x)))"]);
    check_expr("make(chan int, 1)", expect!["(Assign@21..42 = (Ident@21..22 _) (Call@25..42 (Ident@25..29 make) (Chan@30..38 both (Ident@35..38 int)) (Lit@40..41 INT 1)))"]);
}

#[test]
fn type_assertions() {
    check_expr("x.(T)", expect!["(Assign@21..30 = (Ident@21..22 _) (TypeAssert@25..30 (Ident@25..26 x) (Ident@28..29 T)))"]);
    check_expr("x.(*pkg.T).f", expect!["(Assign@21..37 = (Ident@21..22 _) (Selector@25..37 (TypeAssert@25..35 (Ident@25..26 x) (Star@28..34 (Selector@29..34 (Ident@29..32 pkg) (Ident@33..34 T)))) (Ident@36..37 f)))"]);
}

#[test]
fn composite_literals() {
    check_expr("T{1, 2}", expect!["(Assign@21..32 = (Ident@21..22 _) (Composite@25..32 (Ident@25..26 T) (Lit@27..28 INT 1) (Lit@30..31 INT 2)))"]);
    check_expr(
        "map[string]int{\"a\": 1}",
        expect![[
            r#"(Assign@21..47 = (Ident@21..22 _) (Composite@25..47 (Map@25..39 (Ident@29..35 string) (Ident@36..39 int)) (KeyValue@40..46 (Lit@40..43 STRING "a") (Lit@45..46 INT 1))))"#
        ]],
    );
    check_expr("[...]int{1}", expect!["(Assign@21..36 = (Ident@21..22 _) (Composite@25..36 (Array@25..33 (Ellipsis@26..29) (Ident@30..33 int)) (Lit@34..35 INT 1)))"]);
    check_expr("[][]int{{1}, {}}", expect!["(Assign@21..41 = (Ident@21..22 _) (Composite@25..41 (Array@25..32 nil (Array@27..32 nil (Ident@29..32 int))) (Composite@33..36 nil (Lit@34..35 INT 1)) (Composite@38..40 nil)))"]);
    check_expr("&pkg.T{F: x}", expect!["(Assign@21..37 = (Ident@21..22 _) (Unary@25..37 & (Composite@26..37 (Selector@26..31 (Ident@26..29 pkg) (Ident@30..31 T)) (KeyValue@32..36 (Ident@32..33 F) (Ident@35..36 x)))))"]);
    check_expr("struct{ x int }{1}", expect!["(Assign@21..43 = (Ident@21..22 _) (Composite@25..43 (Struct@25..40 (Fields@31..40 (Field@33..38 (Ident@33..34 x) (Ident@35..38 int)))) (Lit@41..42 INT 1)))"]);
}

#[test]
fn function_literals() {
    check_expr("func(a int) (b int) { return a }", expect!["(Assign@21..57 = (Ident@21..22 _) (FuncLit@25..57 (FuncType@25..44 (Fields@29..36 (Field@30..35 (Ident@30..31 a) (Ident@32..35 int))) (Fields@37..44 (Field@38..43 (Ident@38..39 b) (Ident@40..43 int)))) (Block@45..57 (Return@47..55 (Ident@54..55 a)))))"]);
}

#[test]
fn types() {
    check_decls(
        "package p; var x struct { a, b int \"tag\"; T; *pkg.U; G[int] }",
        expect![[
            r#"(Gen@11..61 var (Value@15..61 (Ident@15..16 x) (Struct@17..61 (Fields@24..61 (Field@26..40 (Ident@26..27 a) (Ident@29..30 b) (Ident@31..34 int) (Lit@35..40 STRING "tag")) (Field@42..43 (Ident@42..43 T)) (Field@45..51 (Star@45..51 (Selector@46..51 (Ident@46..49 pkg) (Ident@50..51 U)))) (Field@53..59 (Index@53..59 (Ident@53..54 G) (Ident@55..58 int)))))))"#
        ]],
    );
    check_decls(
        "package p; var x interface { M(int) string; pkg.I; ~int | string }",
        expect!["(Gen@11..66 var (Value@15..66 (Ident@15..16 x) (Interface@17..66 (Fields@27..66 (Field@29..42 (Ident@29..30 M) (FuncType@30..42 (Fields@30..35 (Field@31..34 (Ident@31..34 int))) (Fields@36..42 (Field@36..42 (Ident@36..42 string))))) (Field@44..49 (Selector@44..49 (Ident@44..47 pkg) (Ident@48..49 I))) (Field@51..64 (Binary@51..64 | (Unary@51..55 ~ (Ident@52..55 int)) (Ident@58..64 string)))))))"],
    );
    check_decls(
        "package p; var x map[string][]*[4]func(...int) (int, error)",
        expect!["(Gen@11..59 var (Value@15..59 (Ident@15..16 x) (Map@17..59 (Ident@21..27 string) (Array@28..59 nil (Star@30..59 (Array@31..59 (Lit@32..33 INT 4) (FuncType@34..59 (Fields@38..46 (Field@39..45 (Ellipsis@39..45 (Ident@42..45 int)))) (Fields@47..59 (Field@48..51 (Ident@48..51 int)) (Field@53..58 (Ident@53..58 error))))))))))"],
    );
}

#[test]
fn channel_types() {
    check_decls("package p; var x chan<- <-chan int", expect!["(Gen@11..34 var (Value@15..34 (Ident@15..16 x) (Chan@17..34 send (Chan@24..34 recv (Ident@31..34 int)))))"]);
    check_decls("package p; var x <-chan <-chan int", expect!["(Gen@11..34 var (Value@15..34 (Ident@15..16 x) (Chan@17..34 recv (Chan@24..34 recv (Ident@31..34 int)))))"]);
    check_decls("package p; var x chan (<-chan int)", expect!["(Gen@11..34 var (Value@15..34 (Ident@15..16 x) (Chan@17..34 both (Paren@22..34 (Chan@23..33 recv (Ident@30..33 int))))))"]);
    // `<-chan T` in an expression: the arrow moves onto the channel type.
    check_expr("make(<-chan chan<- int)", expect!["(Assign@21..48 = (Ident@21..22 _) (Call@25..48 (Ident@25..29 make) (Chan@30..47 recv (Chan@37..47 send (Ident@44..47 int)))))"]);
}

// ---------------------------------------------------------------------------------------
// Statements

#[test]
fn simple_statements() {
    check_stmts(
        "x := 1; x = 2; x += 3; x++; y--; ch <- x; f(); ;",
        expect![[r#"
            (Assign@21..27 := (Ident@21..22 x) (Lit@26..27 INT 1))
            (Assign@29..34 = (Ident@29..30 x) (Lit@33..34 INT 2))
            (Assign@36..42 += (Ident@36..37 x) (Lit@41..42 INT 3))
            (IncDec@44..47 ++ (Ident@44..45 x))
            (IncDec@49..52 -- (Ident@49..50 y))
            (Send@54..61 (Ident@54..56 ch) (Ident@60..61 x))
            (ExprStmt@63..66 (Call@63..66 (Ident@63..64 f)))
            (Empty@68..69)"#]],
    );
}

#[test]
fn go_defer_return_branch() {
    check_stmts(
        "go f(); defer g(x); return; return 1, 2",
        expect![[r#"
            (Go@21..27 (Call@24..27 (Ident@24..25 f)))
            (Defer@29..39 (Call@35..39 (Ident@35..36 g) (Ident@37..38 x)))
            (Return@41..47)
            (Return@49..60 (Lit@56..57 INT 1) (Lit@59..60 INT 2))"#]],
    );
    check_stmts(
        "L: for { break L; continue L; goto L }; switch { case true: fallthrough; default: }",
        expect![[r#"
            (Labeled@21..59 (Ident@21..22 L) (For@24..59 nil nil nil (Block@28..59 (Branch@30..37 break (Ident@36..37 L)) (Branch@39..49 continue (Ident@48..49 L)) (Branch@51..57 goto (Ident@56..57 L)))))
            (Switch@61..104 nil nil (Block@68..104 (Case@70..92 (Ident@75..79 true) : (Branch@81..92 fallthrough)) (Case@94..102 default :)))"#]],
    );
}

#[test]
fn blocks_and_decl_statements() {
    check_stmts("{ var x int; const c = 1; type t int }", expect!["(Block@21..59 (DeclStmt@23..32 (Gen@23..32 var (Value@27..32 (Ident@27..28 x) (Ident@29..32 int)))) (DeclStmt@34..45 (Gen@34..45 const (Value@40..45 (Ident@40..41 c) nil (Lit@44..45 INT 1)))) (DeclStmt@47..57 (Gen@47..57 type (TypeSpec@52..57 (Ident@52..53 t) (Ident@54..57 int)))))"]);
}

#[test]
fn if_statements() {
    check_stmts(
        "if x := f(); x > 0 { } else if y { } else { }",
        expect!["(If@21..66 (Assign@24..32 := (Ident@24..25 x) (Call@29..32 (Ident@29..30 f))) (Binary@34..39 > (Ident@34..35 x) (Lit@38..39 INT 0)) (Block@40..43) (If@49..66 nil (Ident@52..53 y) (Block@54..57) (Block@63..66)))"],
    );
}

#[test]
fn switch_statements() {
    check_stmts("switch x := f(); x { case 1, 2: a(); default: }", expect!["(Switch@21..68 (Assign@28..36 := (Ident@28..29 x) (Call@33..36 (Ident@33..34 f))) (Ident@38..39 x) (Block@40..68 (Case@42..56 (Lit@47..48 INT 1) (Lit@50..51 INT 2) : (ExprStmt@53..56 (Call@53..56 (Ident@53..54 a)))) (Case@58..66 default :)))"]);
    check_stmts(
        "switch { }",
        expect!["(Switch@21..31 nil nil (Block@28..31))"],
    );
}

#[test]
fn type_switches() {
    check_stmts(
        "switch v := x.(type) { case int, *T: case nil: default: }",
        expect!["(TypeSwitch@21..78 nil (Assign@28..41 := (Ident@28..29 v) (TypeAssert@33..41 (Ident@33..34 x) type)) (Block@42..78 (Case@44..57 (Ident@49..52 int) (Star@54..56 (Ident@55..56 T)) :) (Case@58..67 (Ident@63..66 nil) :) (Case@68..76 default :)))"],
    );
    check_stmts("switch y := 1; x.(type) { }", expect!["(TypeSwitch@21..48 (Assign@28..34 := (Ident@28..29 y) (Lit@33..34 INT 1)) (ExprStmt@36..44 (TypeAssert@36..44 (Ident@36..37 x) type)) (Block@45..48))"]);
}

#[test]
fn select_statements() {
    check_stmts(
        "select { case ch <- 1: case v, ok := <-ch: f(v, ok); case <-done: default: }",
        expect!["(Select@21..97 (Block@28..97 (Comm@30..43 (Send@35..42 (Ident@35..37 ch) (Lit@41..42 INT 1)) :) (Comm@44..72 (Assign@49..62 := (Ident@49..50 v) (Ident@52..54 ok) (Unary@58..62 <- (Ident@60..62 ch))) : (ExprStmt@64..72 (Call@64..72 (Ident@64..65 f) (Ident@66..67 v) (Ident@69..71 ok)))) (Comm@74..86 (ExprStmt@79..85 (Unary@79..85 <- (Ident@81..85 done))) :) (Comm@87..95 default :)))"],
    );
}

#[test]
fn for_statements() {
    check_stmts(
        "for i := 0; i < n; i++ { }; for cond { }; for { }; for ;; { }",
        expect![[r#"
            (For@21..47 (Assign@25..31 := (Ident@25..26 i) (Lit@30..31 INT 0)) (Binary@33..38 < (Ident@33..34 i) (Ident@37..38 n)) (IncDec@40..43 ++ (Ident@40..41 i)) (Block@44..47))
            (For@49..61 nil (Ident@53..57 cond) nil (Block@58..61))
            (For@63..70 nil nil nil (Block@67..70))
            (For@72..82 nil nil nil (Block@79..82))"#]],
    );
}

#[test]
fn range_statements() {
    check_stmts(
        "for k, v := range m { }; for k = range m { }; for range ch { }",
        expect![[r#"
            (Range@21..44 (Ident@25..26 k) (Ident@28..29 v) := (Ident@39..40 m) (Block@41..44))
            (Range@46..65 (Ident@50..51 k) nil = (Ident@60..61 m) (Block@62..65))
            (Range@67..83 nil nil nil (Ident@77..79 ch) (Block@80..83))"#]],
    );
}

#[test]
fn composite_literals_in_control_clauses() {
    // A composite literal in a control clause needs parentheses.
    check_stmts("if x == (T{}) { }", expect!["(If@21..38 nil (Binary@24..34 == (Ident@24..25 x) (Paren@29..34 (Composite@30..33 (Ident@30..31 T)))) (Block@35..38) nil)"]);
    check_stmts("for _, v := range []int{1} { }", expect!["(Range@21..51 (Ident@25..26 _) (Ident@28..29 v) := (Composite@39..47 (Array@39..44 nil (Ident@41..44 int)) (Lit@45..46 INT 1)) (Block@48..51))"]);
    // Without them, `T` is the condition and `{}` the body.
    check_stmts("if x == T {}", expect!["(If@21..33 nil (Binary@24..30 == (Ident@24..25 x) (Ident@29..30 T)) (Block@31..33) nil)"]);
    check_stmts(
        "switch (T{}) { }",
        expect![
            "(Switch@21..37 nil (Paren@28..33 (Composite@29..32 (Ident@29..30 T))) (Block@34..37))"
        ],
    );
}

#[test]
fn labels_and_goto() {
    check_stmts(
        "L:\n\tx++\n\tgoto L\nM: ;",
        expect![[r#"
        (Labeled@21..28 (Ident@21..22 L) (IncDec@25..28 ++ (Ident@25..26 x)))
        (Branch@30..36 goto (Ident@35..36 L))
        (Labeled@37..41 (Ident@37..38 M) (Empty@40..41))"#]],
    );
}

// ---------------------------------------------------------------------------------------
// Declarations, generics and newer syntax

#[test]
fn imports_and_value_specs() {
    check_decls(
        "package p\nimport (\n\t\"fmt\"\n\tf \"fmt\"\n\t. \"os\"\n)\nconst (\n\ta = iota\n\tb\n)\nvar x, y int = 1, 2",
        expect![[r#"
            (Gen@10..44 import (Import@20..25 (Lit@20..25 STRING "fmt")) (Import@27..34 (Ident@27..28 f) (Lit@29..34 STRING "fmt")) (Import@36..42 (Ident@36..37 .) (Lit@38..42 STRING "os")))
            (Gen@45..67 const (Value@54..62 (Ident@54..55 a) nil (Ident@58..62 iota)) (Value@64..65 (Ident@64..65 b) nil))
            (Gen@68..87 var (Value@72..87 (Ident@72..73 x) (Ident@75..76 y) (Ident@77..80 int) (Lit@83..84 INT 1) (Lit@86..87 INT 2)))"#]],
    );
}

#[test]
fn methods_and_functions() {
    check_decls(
        "package p\nfunc (r *T) M(a, b int, c ...string) (n int, err error) { return }\nfunc F()",
        expect![[r#"
            (Func@10..76 (Fields@15..21 (Field@16..20 (Ident@16..17 r) (Star@18..20 (Ident@19..20 T)))) (Ident@22..23 M) (FuncType@10..65 (Fields@23..46 (Field@24..32 (Ident@24..25 a) (Ident@27..28 b) (Ident@29..32 int)) (Field@34..45 (Ident@34..35 c) (Ellipsis@36..45 (Ident@39..45 string)))) (Fields@47..65 (Field@48..53 (Ident@48..49 n) (Ident@50..53 int)) (Field@55..64 (Ident@55..58 err) (Ident@59..64 error)))) (Block@66..76 (Return@68..74)))
            (Func@77..85 (Ident@82..83 F) (FuncType@77..85 (Fields@83..85)) nil)"#]],
    );
}

#[test]
fn generic_declarations() {
    check_decls(
        "package p\ntype List[T any] struct { next *List[T] }\nfunc (l *List[T]) Push(v T) {}\nfunc Map[K comparable, V any](m map[K]V) {}",
        expect![[r#"
            (Gen@10..51 type (TypeSpec@15..51 (Ident@15..19 List) (Fields@19..26 (Field@20..25 (Ident@20..21 T) (Ident@22..25 any))) (Struct@27..51 (Fields@34..51 (Field@36..49 (Ident@36..40 next) (Star@41..49 (Index@42..49 (Ident@42..46 List) (Ident@47..48 T))))))))
            (Func@52..82 (Fields@57..69 (Field@58..68 (Ident@58..59 l) (Star@60..68 (Index@61..68 (Ident@61..65 List) (Ident@66..67 T))))) (Ident@70..74 Push) (FuncType@52..79 (Fields@74..79 (Field@75..78 (Ident@75..76 v) (Ident@77..78 T)))) (Block@80..82))
            (Func@83..126 (Ident@88..91 Map) (FuncType@83..123 (Fields@91..112 (Field@92..104 (Ident@92..93 K) (Ident@94..104 comparable)) (Field@106..111 (Ident@106..107 V) (Ident@108..111 any))) (Fields@112..123 (Field@113..122 (Ident@113..114 m) (Map@115..122 (Ident@119..120 K) (Ident@121..122 V))))) (Block@124..126))"#]],
    );
    check_decls(
        "package p\ntype Number interface { ~int | ~int64 | float64 }\ntype P[T *C] struct{}\ntype A [N]int",
        expect![[r#"
            (Gen@10..59 type (TypeSpec@15..59 (Ident@15..21 Number) (Interface@22..59 (Fields@32..59 (Field@34..57 (Binary@34..57 | (Binary@34..47 | (Unary@34..38 ~ (Ident@35..38 int)) (Unary@41..47 ~ (Ident@42..47 int64))) (Ident@50..57 float64)))))))
            (Gen@60..81 type (TypeSpec@65..81 (Ident@65..66 P) (Array@66..81 (Binary@67..71 * (Ident@67..68 T) (Ident@70..71 C)) (Struct@73..81 (Fields@79..81)))))
            (Gen@82..95 type (TypeSpec@87..95 (Ident@87..88 A) (Array@89..95 (Ident@90..91 N) (Ident@92..95 int))))"#]],
    );
}

#[test]
fn instantiations() {
    check_expr("Map[string, int]{}", expect!["(Assign@21..43 = (Ident@21..22 _) (Composite@25..43 (IndexList@25..41 (Ident@25..28 Map) (Ident@29..35 string) (Ident@37..40 int))))"]);
    check_expr("f[int](x)", expect!["(Assign@21..34 = (Ident@21..22 _) (Call@25..34 (Index@25..31 (Ident@25..26 f) (Ident@27..30 int)) (Ident@32..33 x)))"]);
    check_expr("pkg.G[T1, T2]", expect!["(Assign@21..38 = (Ident@21..22 _) (IndexList@25..38 (Selector@25..30 (Ident@25..28 pkg) (Ident@29..30 G)) (Ident@31..33 T1) (Ident@35..37 T2)))"]);
}

#[test]
fn newer_syntax() {
    // Generic type alias (Go 1.24).
    check_decls("package p\ntype A[P any] = B[P]", expect!["(Gen@10..30 type (TypeSpec@15..30 (Ident@15..16 A) (Fields@16..23 (Field@17..22 (Ident@17..18 P) (Ident@19..22 any))) = (Index@26..30 (Ident@26..27 B) (Ident@28..29 P))))"]);
    // Range over an integer (Go 1.22) and over a function (Go 1.23).
    check_stmts(
        "for range 10 { }; for i := range n { }; for k, v := range seq { }",
        expect![[r#"
            (Range@21..37 nil nil nil (Lit@31..33 INT 10) (Block@34..37))
            (Range@39..59 (Ident@43..44 i) nil := (Ident@54..55 n) (Block@56..59))
            (Range@61..86 (Ident@65..66 k) (Ident@68..69 v) := (Ident@79..82 seq) (Block@83..86))"#]],
    );
    // new(expr) (Go 1.26) is just a call.
    check_expr("new(x + 1)", expect!["(Assign@21..35 = (Ident@21..22 _) (Call@25..35 (Ident@25..28 new) (Binary@29..34 + (Ident@29..30 x) (Lit@33..34 INT 1))))"]);
}

// ---------------------------------------------------------------------------------------
// Errors and recovery

#[test]
fn error_messages() {
    assert_eq!(
        errors_of("package p; func f() { x := }"),
        vec![(27, "expected operand, found '}'".to_string())]
    );
    assert_eq!(
        errors_of("package p; var 1"),
        vec![(15, "expected 'IDENT', found 1".to_string())]
    );
    assert_eq!(
        errors_of("package p; func f() { if x := T{}; x.ok {} }"),
        vec![(
            25,
            "expected boolean expression, found assignment (missing parentheses around composite literal?)"
                .to_string()
        )]
    );
    assert_eq!(
        errors_of("package p\nfunc f() {\n\tgo x\n}"),
        vec![(26, "function must be invoked in go statement".to_string())]
    );
}

#[test]
fn one_error_per_line() {
    // go/parser drops a second error on the line of the previous one.
    let errors = errors_of("package p; func f() { a b c d }");
    assert_eq!(errors.len(), 1, "{errors:?}");
}

#[test]
fn recovery_keeps_later_declarations() {
    let src = "package p\nfunc broken() {\n\tx := [}\n\tif {\n}\nfunc good() { return }\n";
    let (file, errors) = racelens_syntax::parse(src.as_bytes());
    assert!(!errors.is_empty());
    let names: Vec<&str> = file
        .decls
        .iter()
        .filter_map(|&d| match &file[d].kind {
            racelens_syntax::ast::DeclKind::Func { name, .. } => Some(file.ident_name(*name)),
            _ => None,
        })
        .collect();
    assert!(names.contains(&"good"), "{names:?}");
}

#[test]
fn recovery_at_declaration_boundaries() {
    let src = "package p\n)\nvar a int\n$\nvar b int\n";
    let (file, errors) = racelens_syntax::parse(src.as_bytes());
    assert!(errors.len() >= 2, "{errors:?}");
    let (got, _) = parse_decls(src);
    assert!(got.contains("(Ident@16..17 a)"), "{got}");
    assert!(got.contains("(Ident@28..29 b)"), "{got}");
    assert!(file.decls.len() >= 4);
}

#[test]
fn many_errors_are_capped() {
    let src = format!("package p\n{}", ")\n".repeat(1000));
    let errors = errors_of(&src);
    assert!(
        !errors.is_empty() && errors.len() <= 100,
        "{}",
        errors.len()
    );
}

fn func_names(src: &str) -> Vec<String> {
    let (file, _) = racelens_syntax::parse(src.as_bytes());
    file.decls
        .iter()
        .filter_map(|&d| match &file[d].kind {
            racelens_syntax::ast::DeclKind::Func { name, .. } => {
                Some(file.ident_name(*name).to_string())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn unclosed_braces_do_not_swallow_the_next_function() {
    // go/parser would parse `func good` as a function literal inside `bad` (the error is
    // the same).
    let src = "package p\nfunc bad() {\n\tif x {\n}\nfunc good() {}\nfunc (T) m() {}\n";
    assert_eq!(func_names(src), ["bad", "good", "m"]);
    assert_eq!(
        errors_of(src),
        vec![(38, "expected '(', found good".to_string())]
    );
    // After an error, a method declaration also ends the broken function.
    let src = "package p\nfunc bad() {\n\tx := f(\n}\nfunc (T) m() {}\n";
    assert_eq!(func_names(src), ["bad", "m"]);
    // In a valid file a function literal in the first column stays a statement.
    let (got, errors) = parse_decls("package p\nfunc f() {\nfunc() {}()\n}\n");
    assert!(errors.is_empty(), "{errors:?}");
    assert!(got.contains("(ExprStmt@21..32 (Call@21..32"), "{got}");
}

#[test]
fn top_level_recovery_stops_at_func() {
    // go/parser's declaration recovery skips to const/type/var only.
    let src = "package p\nvar x = )\nfunc good() {}\n";
    assert_eq!(func_names(src), ["good"]);
}

fn check_error_tree(src: &str, want: Expect) {
    let (got, errors) = parse_decls(src);
    assert!(!errors.is_empty(), "{src}: no error");
    want.assert_eq(&got);
}

#[test]
fn error_trees() {
    // Bad nodes span the skipped input, as go/parser's BadExpr, BadStmt and BadDecl do.
    check_error_tree("package p\nfunc f() {\n\tx := [}\n\ty := 1\n}\n", expect!["(Func@10..40 (Ident@15..16 f) (FuncType@10..18 (Fields@16..18)) (Block@19..40 (Assign@22..40 := (Ident@22..23 x) (Bad@27..40))))"]);
    check_error_tree(
        "package p\n)\nvar a int\n",
        expect![[r#"
        (BadDecl@10..12)
        (Gen@12..21 var (Value@16..21 (Ident@16..17 a) (Ident@18..21 int)))"#]],
    );
    check_error_tree("package p\nfunc f() { go x; a[:1:]; if {} }\n", expect!["(Func@10..42 (Ident@15..16 f) (FuncType@10..18 (Fields@16..18)) (Block@19..42 (BadStmt@21..23) (ExprStmt@27..33 (Slice3@27..33 (Ident@27..28 a) nil (Lit@30..31 INT 1) (Bad@32..32))) (If@35..40 nil (Bad@38..38) (Block@38..40) nil)))"]);
    // go/ast ends the invented selector one past the end of the file (22); spans stay inside.
    check_error_tree("package p\nvar x = a.\n", expect!["(Gen@10..21 var (Value@14..21 (Ident@14..15 x) nil (Selector@18..21 (Ident@18..19 a) (Ident@21..21 _))))"]);
}
