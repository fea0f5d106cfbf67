//! The example in `docs/json-schema.md` is what the JSON renderer writes, byte for byte, so
//! the document cannot drift from the code.

use racelens_diagnostics::{Category, Diagnostic, Location, Position};
use racelens_render::json;

const DOC: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../docs/json-schema.md"
));

/// The first fenced `json` block of the document.
fn example() -> &'static str {
    let start = DOC
        .find("```json\n")
        .expect("the document has a json example")
        + "```json\n".len();
    let len = DOC[start..].find("```").expect("the example is closed");
    &DOC[start..start + len]
}

#[test]
fn docs_example_is_the_rendered_output() {
    let d = Diagnostic::new(
        "map-concurrent-write",
        Category::Correctness,
        "map `m` is written by a goroutine without holding `mu`",
        Location::new(
            "pkg/worker.go",
            Position::new(12, 3, 240),
            Position::new(12, 11, 248),
        ),
    )
    .with_related(
        "goroutine started here",
        Location::new(
            "pkg/worker.go",
            Position::new(9, 2, 190),
            Position::new(9, 4, 192),
        ),
    )
    .with_help("lock `mu` around the write");
    assert_eq!(example(), json::render(&[d]));
}
