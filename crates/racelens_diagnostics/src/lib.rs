//! The values every racelens check reports: `Diagnostic`, its locations, and `CheckInfo`, the
//! rule metadata that SARIF and the docs are built from.
//!
//! This crate is pure data: no IO, no formatting for users. Rendering lives in
//! `racelens_render`, which owns the output schemas; keeping serde out of here means checks
//! depend on nothing but these types.

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// How sure a check is and how much it matters; decides the default severity of its reports.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Category {
    /// Code that is wrong: a data race, a deadlock, a misuse that panics.
    Correctness,
    /// Code that is most likely wrong, with some room for intent.
    Suspicious,
    /// Code that works but is clearer or safer written another way.
    Advice,
    /// New checks still being tuned for false alarms.
    Nursery,
    /// The file does not parse; reported by the parser, not by a check.
    Syntax,
}

impl Category {
    /// Every category, in declaration order.
    pub const ALL: [Category; 5] = [
        Category::Correctness,
        Category::Suspicious,
        Category::Advice,
        Category::Nursery,
        Category::Syntax,
    ];

    /// The lowercase name used in output and config files.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Correctness => "correctness",
            Category::Suspicious => "suspicious",
            Category::Advice => "advice",
            Category::Nursery => "nursery",
            Category::Syntax => "syntax",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a category name that is not one of [`Category::ALL`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct UnknownCategory(pub String);

impl fmt::Display for UnknownCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown category `{}`", self.0)
    }
}

impl std::error::Error for UnknownCategory {}

impl FromStr for Category {
    type Err = UnknownCategory;

    fn from_str(s: &str) -> Result<Category, UnknownCategory> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownCategory(s.to_string()))
    }
}

/// A point in a file: 1-based line, 1-based byte column (as go/token and go vet count), and
/// the 0-based byte offset.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub offset: u32,
}

impl Position {
    pub fn new(line: u32, column: u32, offset: u32) -> Position {
        Position {
            line,
            column,
            offset,
        }
    }

    /// The position of byte `offset` in `src`, clamped to the end of `src`. This scans the
    /// text; callers placing many positions in one file should use a line index instead.
    pub fn from_offset(src: &[u8], offset: u32) -> Position {
        let offset = offset.min(src.len() as u32);
        let before = &src[..offset as usize];
        let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        Position {
            line,
            column: offset - line_start as u32 + 1,
            offset,
        }
    }
}

/// A byte range in one file, with line/column for both ends. `end` is exclusive: it is the
/// position just after the last byte, as go/ast's `End()`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Location {
    /// The path as the user gave it, relative to the working directory when possible, with
    /// `/` separators.
    pub path: String,
    pub start: Position,
    pub end: Position,
}

impl Location {
    pub fn new(path: impl Into<String>, start: Position, end: Position) -> Location {
        Location {
            path: path.into(),
            start,
            end,
        }
    }

    /// The location of the byte range `span` of `src`, computing lines and columns.
    pub fn from_span(path: impl Into<String>, src: &[u8], span: Range<u32>) -> Location {
        Location {
            path: path.into(),
            start: Position::from_offset(src, span.start),
            end: Position::from_offset(src, span.end.max(span.start)),
        }
    }

    /// The byte span in the file.
    pub fn span(&self) -> Range<u32> {
        self.start.offset..self.end.offset
    }
}

/// A secondary location that explains the primary one, such as where the goroutine was
/// started or where the other access happens.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Related {
    /// A short lowercase phrase, such as "goroutine started here".
    pub label: String,
    pub location: Location,
}

/// One finding of one check.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Diagnostic {
    /// The kebab-case check name, such as `map-concurrent-write`.
    pub check: &'static str,
    pub category: Category,
    /// Lowercase start, no trailing period, code in backticks.
    pub message: String,
    pub location: Location,
    pub related: Vec<Related>,
    /// What to do about it, in the imperative.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(
        check: &'static str,
        category: Category,
        message: impl Into<String>,
        location: Location,
    ) -> Diagnostic {
        Diagnostic {
            check,
            category,
            message: message.into(),
            location,
            related: Vec::new(),
            help: None,
        }
    }

    /// A syntax error reported by the parser, under the [`SYNTAX_ERROR`] check.
    pub fn syntax_error(message: impl Into<String>, location: Location) -> Diagnostic {
        Diagnostic::new(
            SYNTAX_ERROR.name,
            Category::Syntax,
            message.into(),
            location,
        )
    }

    pub fn with_related(mut self, label: impl Into<String>, location: Location) -> Diagnostic {
        self.related.push(Related {
            label: label.into(),
            location,
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// The ways this diagnostic breaks the project's text conventions, one sentence each;
    /// empty when it follows them. Check tests assert this is empty for every report.
    pub fn convention_violations(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !is_kebab_case(self.check) {
            out.push(format!("check name `{}` is not kebab-case", self.check));
        }
        sentence_violations("message", &self.message, &mut out);
        if let Some(help) = &self.help {
            sentence_violations("help", help, &mut out);
        }
        for r in &self.related {
            sentence_violations("related label", &r.label, &mut out);
        }
        out
    }
}

/// Diagnostics sort by path, line, column, check name and message; the remaining fields only
/// break ties, so the order is total and the output deterministic.
impl Ord for Diagnostic {
    fn cmp(&self, other: &Diagnostic) -> Ordering {
        let a = &self.location;
        let b = &other.location;
        a.path
            .cmp(&b.path)
            .then(a.start.line.cmp(&b.start.line))
            .then(a.start.column.cmp(&b.start.column))
            .then(self.check.cmp(other.check))
            .then(self.message.cmp(&other.message))
            .then_with(|| a.cmp(b))
            .then(self.category.cmp(&other.category))
            .then_with(|| self.help.cmp(&other.help))
            .then_with(|| self.related.cmp(&other.related))
    }
}

impl PartialOrd for Diagnostic {
    fn partial_cmp(&self, other: &Diagnostic) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The metadata of one check, for SARIF rules, `racelens rule NAME` and the docs site.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct CheckInfo {
    /// The kebab-case name, as in [`Diagnostic::check`].
    pub name: &'static str,
    pub category: Category,
    /// One sentence saying what the check finds.
    pub summary: &'static str,
    /// The full documentation in Markdown: What it does / Why is this bad? / Example /
    /// Use instead / Known limitations.
    pub docs: &'static str,
    /// Where the documentation lives online, if it does.
    pub help_uri: Option<&'static str>,
}

/// The pseudo-check that syntax errors are reported under.
pub const SYNTAX_ERROR: CheckInfo = CheckInfo {
    name: "syntax-error",
    category: Category::Syntax,
    summary: "The file does not parse as Go.",
    docs: r#"## What it does

Reports source that the Go parser rejects, with go/parser's message and position. racelens
never drops such a file silently: each error is a report, and the rest of the file is still
analysed as far as the parser could recover.

## Why is this bad?

A file that does not parse cannot be compiled, and racelens can only analyse the parts of it
that it recovered, so reports about it may be incomplete.

## Example

```go
package p

func f() {
	x := 
}
```

## Use instead

```go
package p

func f() {
	x := 1
	_ = x
}
```

## Known limitations

Syntax errors cannot be suppressed. After an error the parser skips to the next statement or
declaration, so a second error close to the first may go unreported until the first is fixed.
"#,
    help_uri: None,
};

/// Whether `s` is lowercase ASCII words joined by single hyphens.
pub fn is_kebab_case(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn sentence_violations(what: &str, s: &str, out: &mut Vec<String>) {
    let Some(first) = s.chars().next() else {
        out.push(format!("{what} is empty"));
        return;
    };
    // An initial identifier in backticks is fine whatever its case, and so is an acronym
    // such as `HTTP`; a capitalised ordinary word is not.
    let first_word: String = s.chars().take_while(|c| c.is_alphanumeric()).collect();
    let is_acronym =
        first_word.chars().count() > 1 && first_word.chars().all(|c| !c.is_lowercase());
    if first.is_uppercase() && !is_acronym {
        out.push(format!("{what} starts with an uppercase letter"));
    }
    if s.ends_with('.') && !s.ends_with("...") {
        out.push(format!("{what} ends with a period"));
    }
    if s != s.trim() {
        out.push(format!("{what} has leading or trailing whitespace"));
    }
    // Text output gives each diagnostic one line; a line break would split it.
    if s.contains(['\n', '\r']) {
        out.push(format!("{what} contains a line break"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(path: &str, line: u32, column: u32) -> Location {
        let p = Position::new(line, column, line * 100 + column);
        Location::new(path, p, p)
    }

    #[test]
    fn positions_from_offsets() {
        let src = b"package p\n\nfunc f() {\n\tx++\n}\n";
        assert_eq!(Position::from_offset(src, 0), Position::new(1, 1, 0));
        assert_eq!(Position::from_offset(src, 9), Position::new(1, 10, 9));
        assert_eq!(Position::from_offset(src, 10), Position::new(2, 1, 10));
        assert_eq!(Position::from_offset(src, 23), Position::new(4, 2, 23));
        // Past the end clamps to the end, which is the start of an empty last line here.
        assert_eq!(Position::from_offset(src, 999), Position::new(6, 1, 29));
        let l = Location::from_span("p.go", src, 23..26);
        assert_eq!(l.start, Position::new(4, 2, 23));
        assert_eq!(l.end, Position::new(4, 5, 26));
        assert_eq!(l.span(), 23..26);
    }

    #[test]
    fn sort_order_is_path_line_column_check_message() {
        let d = |path, line, col, check, msg: &str| {
            Diagnostic::new(check, Category::Correctness, msg, loc(path, line, col))
        };
        let mut v = [
            d("b.go", 1, 1, "a-check", "m"),
            d("a.go", 2, 1, "a-check", "m"),
            d("a.go", 1, 5, "a-check", "m"),
            d("a.go", 1, 5, "a-check", "l"),
            d("a.go", 1, 2, "z-check", "m"),
            d("a.go", 1, 5, "0-check", "z"),
            d("a.go", 10, 1, "a-check", "m"),
        ];
        v.sort();
        let got: Vec<String> = v
            .iter()
            .map(|d| {
                format!(
                    "{}:{}:{} {} {}",
                    d.location.path,
                    d.location.start.line,
                    d.location.start.column,
                    d.check,
                    d.message
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                "a.go:1:2 z-check m",
                "a.go:1:5 0-check z",
                "a.go:1:5 a-check l",
                "a.go:1:5 a-check m",
                "a.go:2:1 a-check m",
                "a.go:10:1 a-check m",
                "b.go:1:1 a-check m",
            ]
        );
    }

    #[test]
    fn order_is_total_and_consistent_with_eq() {
        let base = Diagnostic::new("c", Category::Correctness, "m", loc("a.go", 1, 1));
        let with_help = base.clone().with_help("do it");
        let with_related = base.clone().with_related("here", loc("a.go", 3, 1));
        let other_cat = Diagnostic {
            category: Category::Advice,
            ..base.clone()
        };
        for x in [&with_help, &with_related, &other_cat] {
            assert_ne!(base.cmp(x), Ordering::Equal);
            assert_eq!(base.cmp(x), x.cmp(&base).reverse());
        }
        assert_eq!(base.cmp(&base.clone()), Ordering::Equal);
    }

    #[test]
    fn categories_round_trip() {
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>(), Ok(c));
            assert_eq!(c.to_string(), c.as_str());
        }
        assert_eq!(
            "style".parse::<Category>(),
            Err(UnknownCategory("style".into()))
        );
    }

    #[test]
    fn conventions() {
        assert!(is_kebab_case("map-concurrent-write"));
        assert!(is_kebab_case("syntax-error"));
        assert!(!is_kebab_case("Map-write"));
        assert!(!is_kebab_case("map--write"));
        assert!(!is_kebab_case("map_write"));
        assert!(!is_kebab_case(""));
        assert!(!is_kebab_case("-x"));

        let good = Diagnostic::new(
            "map-concurrent-write",
            Category::Correctness,
            "map `m` is written from a goroutine without a lock",
            loc("a.go", 1, 1),
        )
        .with_help("guard `m` with the mutex `mu`")
        .with_related("goroutine started here", loc("a.go", 1, 1));
        assert_eq!(good.convention_violations(), Vec::<String>::new());
        let acronym = Diagnostic::new(
            "x",
            Category::Advice,
            "HTTP handler writes `n`",
            loc("a", 1, 1),
        );
        assert_eq!(acronym.convention_violations(), Vec::<String>::new());

        let bad = Diagnostic::new(
            "Bad_Name",
            Category::Advice,
            "Map is written.",
            loc("a.go", 1, 1),
        )
        .with_help("")
        .with_related(" here", loc("a.go", 1, 1))
        .with_related("two\nlines", loc("a.go", 1, 1));
        assert_eq!(
            bad.convention_violations(),
            [
                "check name `Bad_Name` is not kebab-case",
                "message starts with an uppercase letter",
                "message ends with a period",
                "help is empty",
                "related label has leading or trailing whitespace",
                "related label contains a line break",
            ]
        );
        assert!(SYNTAX_ERROR.name == "syntax-error" && is_kebab_case(SYNTAX_ERROR.name));
    }
}
