//! Without type information (no importer, as in an editor that has only the open file), the
//! checks that need types and the concurrency model stay silent rather than guess, while the
//! syntactic checks still report.

mod common;

use racelens_checks::REGISTRY;

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
    let mut checks: Vec<&str> = common::with_package(SRC, |cx| {
        assert!(cx.types().is_none() && cx.model().is_none());
        let all: Vec<_> = REGISTRY.to_vec();
        racelens_checks::run_checks(cx, &all)
            .iter()
            .map(|d| d.check)
            .collect()
    });
    checks.sort();
    checks.dedup();
    assert_eq!(
        checks,
        ["loop-variable-capture", "wait-group-add-in-goroutine"],
        "{checks:?}"
    );
}
