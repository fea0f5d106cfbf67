//! The JSON output (`--format json`), a stable schema for scripts and other tools.
//!
//! Schema version 1 (also in `docs/json-schema.md`):
//!
//! ```json
//! {
//!   "version": 1,
//!   "diagnostics": [
//!     {
//!       "check": "map-concurrent-write",
//!       "category": "correctness",
//!       "message": "map `m` is written by a goroutine without holding `mu`",
//!       "help": "lock `mu` around the write",
//!       "location": {
//!         "path": "worker.go",
//!         "start": { "line": 12, "column": 3, "offset": 240 },
//!         "end": { "line": 12, "column": 11, "offset": 248 }
//!       },
//!       "related": [
//!         { "label": "goroutine started here", "location": { "path": "...", "start": {}, "end": {} } }
//!       ]
//!     }
//!   ],
//!   "summary": {
//!     "total": 1,
//!     "files": 1,
//!     "by_category": { "correctness": 1, "suspicious": 0, "advice": 0, "nursery": 0, "syntax": 0 },
//!     "by_check": { "map-concurrent-write": 1 }
//!   }
//! }
//! ```
//!
//! - Lines and columns are 1-based; columns count bytes, as go vet's do. `offset` is the
//!   0-based byte offset. `end` is exclusive: the position just after the span.
//! - `help` is `null` when the check gives none; `related` may be empty.
//! - Diagnostics are sorted by path, line, column, check and message.
//! - `summary.files` counts the files with at least one diagnostic; `by_category` always has
//!   every category, `by_check` only the checks that reported.
//! - Adding a field is not a breaking change; renaming, removing or retyping one bumps
//!   `version`.

use std::collections::{BTreeMap, BTreeSet};

use racelens_diagnostics::{Category, Diagnostic, Location, Position};
use serde::Serialize;

use crate::sorted;

/// The schema version written in every output.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary<'a>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    check: &'a str,
    category: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    location: JsonLocation<'a>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonLocation<'a> {
    path: &'a str,
    start: JsonPosition,
    end: JsonPosition,
}

#[derive(Serialize)]
struct JsonPosition {
    line: u32,
    column: u32,
    offset: u32,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    label: &'a str,
    location: JsonLocation<'a>,
}

#[derive(Serialize)]
struct Summary<'a> {
    total: usize,
    files: usize,
    by_category: ByCategory,
    by_check: BTreeMap<&'a str, usize>,
}

/// Counts per category, every category always present, in `Category::ALL`'s order.
#[derive(Serialize, Default)]
struct ByCategory {
    correctness: usize,
    suspicious: usize,
    advice: usize,
    nursery: usize,
    syntax: usize,
}

impl ByCategory {
    fn count(&mut self, c: Category) {
        *match c {
            Category::Correctness => &mut self.correctness,
            Category::Suspicious => &mut self.suspicious,
            Category::Advice => &mut self.advice,
            Category::Nursery => &mut self.nursery,
            Category::Syntax => &mut self.syntax,
        } += 1;
    }
}

fn location(l: &Location) -> JsonLocation<'_> {
    let pos = |p: &Position| JsonPosition {
        line: p.line,
        column: p.column,
        offset: p.offset,
    };
    JsonLocation {
        path: &l.path,
        start: pos(&l.start),
        end: pos(&l.end),
    }
}

/// Renders `diagnostics` as one pretty-printed JSON document ending in a newline.
pub fn render(diagnostics: &[Diagnostic]) -> String {
    let diagnostics = sorted(diagnostics);
    let mut by_category = ByCategory::default();
    let mut by_check = BTreeMap::new();
    let mut files = BTreeSet::new();
    for d in &diagnostics {
        by_category.count(d.category);
        *by_check.entry(d.check).or_default() += 1;
        files.insert(d.location.path.as_str());
    }
    let output = Output {
        version: SCHEMA_VERSION,
        summary: Summary {
            total: diagnostics.len(),
            files: files.len(),
            by_category,
            by_check,
        },
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                check: d.check,
                category: d.category.as_str(),
                message: &d.message,
                help: d.help.as_deref(),
                location: location(&d.location),
                related: d
                    .related
                    .iter()
                    .map(|r| JsonRelated {
                        label: &r.label,
                        location: location(&r.location),
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut out =
        serde_json::to_string_pretty(&output).expect("serializing plain data cannot fail");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn schema_fields_and_summary() {
        let p = |l, c, o| Position::new(l, c, o);
        let a = Diagnostic::new(
            "map-concurrent-write",
            Category::Correctness,
            "map `m` is written",
            Location::new("b.go", p(3, 2, 20), p(3, 6, 24)),
        )
        .with_related(
            "goroutine started here",
            Location::new("b.go", p(1, 1, 0), p(1, 3, 2)),
        );
        let b = Diagnostic::new(
            "x-y",
            Category::Advice,
            "z",
            Location::new("a.go", p(1, 1, 0), p(1, 1, 0)),
        )
        .with_help("do \"it\"");
        let c = Diagnostic {
            check: "x-y",
            ..a.clone()
        };
        let v: Value = serde_json::from_str(&render(&[a, b, c])).unwrap();
        assert_eq!(v["version"], 1);
        let ds = v["diagnostics"].as_array().unwrap();
        assert_eq!(ds.len(), 3);
        assert_eq!(ds[0]["location"]["path"], "a.go");
        assert_eq!(ds[0]["help"], "do \"it\"");
        assert_eq!(ds[1]["check"], "map-concurrent-write");
        assert_eq!(ds[1]["help"], Value::Null);
        assert_eq!(ds[1]["location"]["start"]["column"], 2);
        assert_eq!(ds[1]["location"]["end"]["offset"], 24);
        assert_eq!(ds[1]["related"][0]["label"], "goroutine started here");
        assert_eq!(ds[1]["related"][0]["location"]["end"]["column"], 3);
        assert_eq!(ds[2]["check"], "x-y");
        let s = &v["summary"];
        assert_eq!(s["total"], 3);
        assert_eq!(s["files"], 2);
        assert_eq!(s["by_category"]["correctness"], 2);
        assert_eq!(s["by_category"]["advice"], 1);
        assert_eq!(s["by_category"]["syntax"], 0);
        assert_eq!(
            s["by_category"].as_object().unwrap().len(),
            Category::ALL.len()
        );
        assert_eq!(s["by_check"]["x-y"], 2);
        assert_eq!(s["by_check"]["map-concurrent-write"], 1);
    }

    #[test]
    fn empty_input_is_a_valid_document() {
        let v: Value = serde_json::from_str(&render(&[])).unwrap();
        assert_eq!(v["diagnostics"], Value::Array(vec![]));
        assert_eq!(v["summary"]["total"], 0);
        assert_eq!(v["summary"]["files"], 0);
    }
}
