//! Hand-made diagnostics over small Go files, shared by the renderer integration tests.

#![allow(dead_code)]

use std::collections::BTreeMap;

use racelens_diagnostics::{Category, CheckInfo, Diagnostic, Location, SYNTAX_ERROR};

pub const WORKER_GO: &str = "package worker

import \"sync\"

type Cache struct {
\tmu sync.Mutex
\tm  map[string]int
}

func (c *Cache) Fill(keys []string) {
\tvar wg sync.WaitGroup
\tfor _, k := range keys {
\t\tgo func() {
\t\t\twg.Add(1)
\t\t\tdefer wg.Done()
\t\t\tc.m[\"é\"+k] = len(k) // 写入
\t\t}()
\t}
\twg.Wait()
}
";

pub const DUP_GO: &str = "package dup

func run() {
\tcounter := 0
\tgo func() {
\t\tcounter++
\t}()
\tgo func() {
\t\tcounter++
\t}()
}
";

pub const BROKEN_GO: &str = "package broken\n\nfunc f( {\n}\n";

/// The location of the `nth` (0-based) occurrence of `needle` in `src`.
pub fn span(path: &str, src: &str, needle: &str, nth: usize) -> Location {
    let start = src
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} occurs fewer than {} times", nth + 1))
        .0 as u32;
    Location::from_span(path, src.as_bytes(), start..start + needle.len() as u32)
}

pub fn sources() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("pkg/worker.go".to_string(), WORKER_GO.to_string()),
        ("dup/dup.go".to_string(), DUP_GO.to_string()),
        ("broken.go".to_string(), BROKEN_GO.to_string()),
    ])
}

pub fn diagnostics() -> Vec<Diagnostic> {
    let w = |needle, nth| span("pkg/worker.go", WORKER_GO, needle, nth);
    let d = |needle, nth| span("dup/dup.go", DUP_GO, needle, nth);
    vec![
        Diagnostic::new(
            "map-concurrent-write",
            Category::Correctness,
            "map `c.m` is written by concurrent goroutines without holding `c.mu`",
            w("c.m[\"é\"+k]", 0),
        )
        .with_related("goroutine started here", w("go func() {", 0))
        .with_related("`c.mu` declared here", w("mu", 0))
        .with_help("lock `c.mu` around the write"),
        Diagnostic::new(
            "wait-group-add-in-goroutine",
            Category::Correctness,
            "`wg.Add` is called inside the goroutine it counts",
            w("wg.Add(1)", 0),
        )
        .with_related("goroutine started here", w("go func() {", 0))
        .with_help("call `wg.Add(1)` before the `go` statement"),
        Diagnostic::new(
            "loop-variable-capture",
            Category::Nursery,
            "goroutine captures loop variable `k`",
            w("len(k)", 0),
        ),
        Diagnostic::new(
            "captured-variable-write",
            Category::Suspicious,
            "`counter` is written by two goroutines",
            d("counter++", 0),
        )
        .with_related("also written here", d("counter++", 1)),
        Diagnostic::new(
            "captured-variable-write",
            Category::Suspicious,
            "`counter` is written by two goroutines",
            d("counter++", 1),
        )
        .with_related("also written here", d("counter++", 0)),
        // A multi-line span, from a check that is not in the registry.
        Diagnostic::new(
            "channel-as-lock",
            Category::Advice,
            "the goroutine body could hold a lock instead",
            d("func() {\n\t\tcounter++\n\t}", 0),
        ),
        Diagnostic::syntax_error(
            "expected ')', found '{'",
            span("broken.go", BROKEN_GO, "{", 0),
        ),
    ]
}

pub const MAP_CONCURRENT_WRITE: CheckInfo = CheckInfo {
    name: "map-concurrent-write",
    category: Category::Correctness,
    summary: "A map is written by goroutines that may run at the same time, without a lock.",
    docs: "## What it does\n\nFinds writes to a map from goroutines that may run in \
           parallel\nwith another access to it, with no lock held in common.\n\n\
           ## Why is this bad?\n\nConcurrent map writes crash the program with \
           `fatal error: concurrent map writes`.\n\n## Example\n\n```go\ngo func() { m[k] = v }()\n```\n\n\
           ## Use instead\n\n```go\nmu.Lock()\nm[k] = v\nmu.Unlock()\n```\n",
    help_uri: Some("https://racelens.dev/checks/map-concurrent-write"),
};

pub fn checks() -> Vec<CheckInfo> {
    vec![
        MAP_CONCURRENT_WRITE,
        CheckInfo {
            name: "wait-group-add-in-goroutine",
            category: Category::Correctness,
            summary: "`WaitGroup.Add` is called inside the goroutine it waits for.",
            docs:
                "## What it does\n\nFinds `wg.Add` calls made by the goroutine being counted.\n\n\
                   ## Why is this bad?\n\n`wg.Wait` may return before the goroutine has started.\n",
            help_uri: None,
        },
        CheckInfo {
            name: "captured-variable-write",
            category: Category::Suspicious,
            summary: "A captured local variable is written by concurrent goroutines.",
            docs: "Writes to a captured variable from goroutines race with each other.",
            help_uri: None,
        },
        CheckInfo {
            name: "loop-variable-capture",
            category: Category::Nursery,
            summary: "A goroutine captures a loop variable shared by all iterations.",
            docs:
                "## What it does\n\nFinds goroutines that capture a loop variable before Go 1.22.\n",
            help_uri: None,
        },
        CheckInfo {
            name: "mutex-copied-by-value",
            category: Category::Correctness,
            summary: "A value containing a mutex is copied.",
            docs: "## What it does\n\nFinds copies of values that contain a `sync.Mutex`.\n",
            help_uri: None,
        },
        SYNTAX_ERROR,
    ]
}
