//! Model tests of the `atomic2` branch: the call sites the model records per function, and
//! the locks a chosen subset of them holds.

mod common;

use racelens_model::{FuncIx, Model, Place};

const SRC: &str = r#"package p

import "sync"

type S struct {
	mu sync.Mutex
	n  int
}

func (s *S) bump() {
	s.n++
}

func (s *S) Locked() {
	s.mu.Lock()
	s.bump()
	s.mu.Unlock()
}

func (s *S) Bare() {
	s.bump()
}

func (s *S) twice() {
	s.mu.Lock()
	s.bump()
	s.bump()
	s.mu.Unlock()
}
"#;

/// Builds the model of the one-file package `src`.
fn model_of(src: &str, check: impl FnOnce(&Model)) {
    check(&common::one_file_model(src).0);
}

fn func(m: &Model, name: &str) -> FuncIx {
    let i = m
        .funcs
        .iter()
        .position(|f| f.name == name)
        .unwrap_or_else(|| panic!("no function {name}"));
    FuncIx(i as u32)
}

#[test]
fn callers_record_every_call_site_and_entry_can_leave_some_out() {
    model_of(SRC, |m| {
        let bump = func(m, "(*S).bump");
        let bare = func(m, "(*S).Bare");
        let sites = &m.callers[&bump];
        assert_eq!(
            sites.len(),
            4,
            "`bump` is called once by `Locked` and `Bare`, twice by `twice`"
        );
        for &(caller, ci) in sites {
            let call = &m.funcs[caller.index()].calls[ci as usize];
            assert!(
                call.callees.contains(&bump),
                "each site names a call of `bump`"
            );
        }
        assert!(
            m.funcs[bump.index()].entry.is_empty(),
            "`Bare` calls `bump` without the lock"
        );
        let locked = m.callers_entry(bump, |c| c != bare);
        let held: Vec<_> = locked.iter().map(|(l, _)| m.place(l).clone()).collect();
        assert!(
            matches!(&held[..], [Place::Field { name, .. }] if &**name == "mu"),
            "without `Bare`, every caller holds `s.mu`: {held:?}"
        );
        assert!(
            m.callers_entry(func(m, "(*S).Locked"), |_| true).is_empty(),
            "an exported method is called from elsewhere"
        );
    });
}
