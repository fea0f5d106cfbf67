//! GitHub Actions workflow command annotations (`--format github`): one
//! `::error file=PATH,line=L,col=C,endLine=L,endColumn=C,title=CHECK::MESSAGE` line per
//! diagnostic, which the runner turns into annotations on the pull request's diff.
//!
//! Severity follows the category: correctness and syntax errors are `error`, suspicious and
//! nursery findings `warning`, advice `notice`. Columns are UTF-16 code units when the source
//! is available, as the web UI counts them, and byte columns otherwise. GitHub ignores
//! columns on annotations that span lines, so those carry lines only. The message is followed
//! by the help and the related locations on their own lines, escaped as the runner requires.
//!
//! GitHub resolves `file=` against the repository root, so paths must be relative to it
//! (racelens run from the root gives that), and it shows only the first few annotations of
//! each severity per step; the full list stays in the log.

use std::fmt::Write;

use racelens_diagnostics::{Category, Diagnostic};

use crate::source::SourceLines;
use crate::{sorted, Sources};

/// The workflow command for a category.
pub fn command(category: Category) -> &'static str {
    match category {
        Category::Correctness | Category::Syntax => "error",
        Category::Suspicious | Category::Nursery => "warning",
        Category::Advice => "notice",
    }
}

/// Renders `diagnostics` as workflow commands, one line each, sorted.
pub fn render(diagnostics: &[Diagnostic], sources: &dyn Sources) -> String {
    let mut lines = SourceLines::new(sources);
    let mut out = String::new();
    for d in sorted(diagnostics) {
        let l = &d.location;
        let _ = write!(
            out,
            "::{} file={},line={}",
            command(d.category),
            escape_property(&l.path),
            l.start.line
        );
        let end_line = l.end.line.max(l.start.line);
        if end_line == l.start.line {
            let col = lines.utf16_column(&l.path, l.start.line, l.start.column);
            let end_col = lines.utf16_column(&l.path, l.start.line, l.end.column);
            let (col, end_col) = match (col, end_col) {
                (Some(col), Some(end_col)) => (col, end_col),
                _ => (l.start.column, l.end.column),
            };
            let _ = write!(
                out,
                ",col={col},endLine={end_line},endColumn={}",
                end_col.max(col)
            );
        } else {
            let _ = write!(out, ",endLine={end_line}");
        }
        let mut data = d.message.clone();
        if let Some(help) = &d.help {
            let _ = write!(data, "\nhelp: {help}");
        }
        for r in &d.related {
            let rl = &r.location;
            let _ = write!(
                data,
                "\n{}:{}:{}: {}",
                rl.path, rl.start.line, rl.start.column, r.label
            );
        }
        let _ = writeln!(
            out,
            ",title={}::{}",
            escape_property(d.check),
            escape_data(&data)
        );
    }
    out
}

/// Escapes a command's message as the Actions runner unescapes it.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property's value, where `:` and `,` also delimit.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NoSources;
    use racelens_diagnostics::{Location, Position};
    use std::collections::HashMap;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        // `%` is escaped first, so an existing escape sequence is not mistaken for one.
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(escape_data("a: b, c"), "a: b, c");
        assert_eq!(escape_property("a: b, c%\n"), "a%3A b%2C c%25%0A");
    }

    fn at(l: u32, c: u32, el: u32, ec: u32) -> Location {
        Location::new(
            "dir,x/a:b.go",
            Position::new(l, c, 0),
            Position::new(el, ec, 0),
        )
    }

    #[test]
    fn annotation_lines() {
        let d = Diagnostic::new(
            "map-concurrent-write",
            Category::Correctness,
            "map `m`: 100% racy",
            at(3, 2, 3, 5),
        )
        .with_help("lock `mu`")
        .with_related("goroutine started here", at(1, 1, 1, 3));
        let advice = Diagnostic::new("x", Category::Advice, "m", at(4, 1, 6, 2));
        let out = render(&[advice, d], &NoSources);
        assert_eq!(
            out,
            "::error file=dir%2Cx/a%3Ab.go,line=3,col=2,endLine=3,endColumn=5,title=map-concurrent-write\
             ::map `m`: 100%25 racy%0Ahelp: lock `mu`%0Adir,x/a:b.go:1:1: goroutine started here\n\
             ::notice file=dir%2Cx/a%3Ab.go,line=4,endLine=6,title=x::m\n"
        );
    }

    #[test]
    fn columns_are_utf16_with_source() {
        let src = "package p\nvar s = \"世\"; x = 1\n";
        let start = src.find('x').unwrap() as u32;
        let loc = Location::from_span("a.go", src.as_bytes(), start..start + 1);
        let d = Diagnostic::new("c", Category::Suspicious, "m", loc);
        let files = HashMap::from([("a.go".to_string(), src.to_string())]);
        assert_eq!(
            render(std::slice::from_ref(&d), &files),
            "::warning file=a.go,line=2,col=14,endLine=2,endColumn=15,title=c::m\n"
        );
        assert_eq!(
            render(&[d], &NoSources),
            "::warning file=a.go,line=2,col=16,endLine=2,endColumn=17,title=c::m\n"
        );
    }
}
