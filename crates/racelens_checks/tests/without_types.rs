//! Without type information (no importer, as in an editor that has only the open file), the
//! checks that need types and the concurrency model stay silent rather than guess, while the
//! syntactic checks still report.

use racelens_checks::{FileCx, PackageCx, REGISTRY};
use racelens_syntax::{GoVersion, LineIndex};

const SRC: &str = r#"package p

import "sync"

type Counter struct {
	mu sync.Mutex
	n  int
}

func (c *Counter) Inc() { c.mu.Lock(); c.n++; c.mu.Unlock() }

func (c *Counter) Value() int { return c.n }

func collect(items []int) []int {
	var out []int
	var wg sync.WaitGroup
	for _, it := range items {
		go func() {
			wg.Add(1)
			defer wg.Done()
			out = append(out, it)
		}()
	}
	wg.Wait()
	return out
}
"#;

#[test]
fn model_checks_need_types_and_syntactic_checks_do_not() {
    let (file, errors) = racelens_syntax::parse(SRC.as_bytes());
    assert!(errors.is_empty());
    let lines = LineIndex::new(SRC.as_bytes());
    let scopes = racelens_semantic::resolve_package(&[&file]);
    let files = [FileCx {
        path: "p.go",
        ast: &file,
        lines: &lines,
        go_version: GoVersion::new(1, 21),
    }];
    let cx = PackageCx::new(&files, &scopes);
    assert!(cx.types().is_none() && cx.model().is_none());
    let all: Vec<_> = REGISTRY.to_vec();
    let found = racelens_checks::run_checks(&cx, &all);
    let mut checks: Vec<&str> = found.iter().map(|d| d.check).collect();
    checks.sort();
    checks.dedup();
    assert_eq!(
        checks,
        ["loop-variable-capture", "wait-group-add-in-goroutine"],
        "{found:#?}"
    );
}
