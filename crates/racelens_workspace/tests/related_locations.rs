//! The related locations of the issue-5 check-then-act, parallel-test and snapshot checks:
//! fixtures only assert primary messages, so these tests pin the second access each report
//! names (where the check happened, where the lock was released, where the parent reads).

mod common;

use common::{check_dir, repo_root};
use racelens_diagnostics::Diagnostic;

/// The reports of check `name` on its fixture `case`, as `(line, [(label, line)])`.
fn reports(name: &str, case: &str) -> Vec<(u32, Vec<(String, u32)>)> {
    let out = check_dir(&repo_root().join("fixtures").join(name).join(case));
    out.diagnostics
        .iter()
        .filter(|d: &&Diagnostic| d.check == name)
        .map(|d| {
            (
                d.location.start.line,
                d.related
                    .iter()
                    .map(|r| (r.label.clone(), r.location.start.line))
                    .collect(),
            )
        })
        .collect()
}

fn related_at(all: &[(u32, Vec<(String, u32)>)], line: u32) -> &[(String, u32)] {
    &all.iter()
        .find(|(l, _)| *l == line)
        .unwrap_or_else(|| panic!("no report on line {line}: {all:?}"))
        .1
}

#[test]
fn sync_map_reports_name_the_check_and_the_released_lock() {
    let all = reports("sync-map-check-then-act", "basic");
    // syncmap.go: `conns.Store` on line 21 depends on the `Load` on line 17.
    assert_eq!(related_at(&all, 21), [("checked here".to_string(), 17)]);
    // guarded.go: `r.conns[k] = c` (line 28) was checked on line 21, `r.mu` released on 22.
    assert_eq!(
        related_at(&all, 28),
        [
            ("read here, in the earlier section".to_string(), 21),
            ("`r.mu` released here".to_string(), 22)
        ]
    );
}

#[test]
fn parallel_subtest_reports_name_the_loop_and_the_parents_early_read() {
    let all = reports("parallel-test-shared-state", "basic");
    // store_test.go: `count++` (line 16) in subtests started on line 13, and the parent's
    // `_ = count` on line 20 runs before any of them.
    assert_eq!(
        related_at(&all, 16),
        [
            ("subtests started here, in a loop".to_string(), 13),
            (
                "read by the parent here, before the parallel subtests have run".to_string(),
                20
            )
        ]
    );
    // `seen[...] = true` (line 28): no read in the parent afterwards.
    assert_eq!(
        related_at(&all, 28),
        [("subtests started here, in a loop".to_string(), 26)]
    );
}

#[test]
fn snapshot_reports_name_the_load_or_the_publication() {
    let all = reports("published-snapshot-mutation", "basic");
    // snapshot.go: `cfg.Features[name] = true` (line 34) through the `Load` on line 33.
    assert_eq!(related_at(&all, 34), [("loaded here".to_string(), 33)]);
    // `cfg.MaxConns = 10` (line 50) after the `Store` on line 49.
    assert_eq!(related_at(&all, 50), [("published here".to_string(), 49)]);
}

#[test]
fn handoff_reports_name_the_send_the_receiver_and_the_goroutine() {
    let out = check_dir(
        &repo_root()
            .join("fixtures")
            .join("captured-variable-race")
            .join("handoff"),
    );
    let related = |check: &str, line: u32| -> Vec<(String, u32)> {
        let d = out
            .diagnostics
            .iter()
            .find(|d| d.check == check && d.location.start.line == line)
            .unwrap_or_else(|| panic!("no {check} report on line {line}"));
        d.related
            .iter()
            .map(|r| (r.label.clone(), r.location.start.line))
            .collect()
    };
    // handoff.go: `it.tags = append(...)` (line 25) after `ch <- it` (24); the receiver
    // appends on line 19, in the goroutine started on line 17.
    assert_eq!(
        related("unsynchronized-slice-append", 25),
        [
            ("`it` sent on `ch` here".to_string(), 24),
            (
                "appended to by the receiving goroutine here".to_string(),
                19
            ),
            ("goroutine started here".to_string(), 17),
        ]
    );
    // `it.n = 0` (line 101) after the send on line 100: the receiver writes in the helper
    // `bump` (line 90) it calls.
    assert_eq!(
        related("captured-variable-race", 101),
        [
            ("`it` sent on `ch` here".to_string(), 100),
            ("written by the receiving goroutine here".to_string(), 90),
            ("goroutine started here".to_string(), 94),
        ]
    );
}

#[test]
fn races_reached_through_a_call_name_the_call() {
    let out = check_dir(&repo_root().join("fixtures/captured-variable-race/basic"));
    let related = |line: u32| -> Vec<(String, u32)> {
        out.diagnostics
            .iter()
            .find(|d| {
                d.check == "captured-variable-race"
                    && d.location.path.ends_with("elements_calls.go")
                    && d.location.start.line == line
            })
            .unwrap_or_else(|| panic!("no report on elements_calls.go:{line}"))
            .related
            .iter()
            .map(|r| (r.label.clone(), r.location.start.line))
            .collect()
    };
    // `sizes[i] = ...` (line 27) against the read in `totalOf` (line 13), which the spawner
    // reaches by `totalOf(sizes)` on line 30, before its wait.
    assert_eq!(
        related(27),
        [
            ("concurrent read here".to_string(), 13),
            ("goroutine started here".to_string(), 25),
            ("through this call".to_string(), 30)
        ]
    );
    // The return expression `totalOf(lens)` (line 48), before the deferred wait.
    assert_eq!(related(45)[2], ("through this call".to_string(), 48));
}
