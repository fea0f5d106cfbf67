//! Model tests of the `locks` branch: lock effects of helpers as their callers see them.

mod common;

use racelens_model::{AccessKind, Place};

const SRC: &str = r#"package p

import "sync"

type F struct {
	mu   sync.Mutex
	flag bool
	n    int
}

// Locks and unlocks with defer: the caller holds nothing afterwards.
func (f *F) Helper() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
}

// Leaves the lock held for its caller.
func (f *F) lock() {
	f.mu.Lock()
}

func (f *F) Run() {
	f.Helper()
	f.flag = true
	f.lock()
	f.n = 2
	f.mu.Unlock()
}
"#;

#[test]
fn deferred_unlock_in_a_helper_leaves_nothing_held() {
    let (m, _) = common::one_file_model(SRC);
    // The last write of each field is the one in `Run`.
    let write_of = |field: &str| {
        m.accesses
            .iter()
            .filter(|a| a.kind == AccessKind::Write)
            .filter(|a| matches!(m.place(a.place), Place::Field { name, .. } if &**name == field))
            .max_by_key(|a| a.span.start)
            .unwrap_or_else(|| panic!("no write of {field}"))
    };
    assert!(
        write_of("flag").locks.is_empty(),
        "`f.Helper()` unlocks by defer: `f.flag` is written without the lock"
    );
    assert!(
        !write_of("n").locks.is_empty(),
        "`f.lock()` leaves `f.mu` held: `f.n = 2` is written with it"
    );
}
