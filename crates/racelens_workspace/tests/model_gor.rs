//! Model behaviour the goroutine race checks rely on: a `sync.Locker` (such as a condition
//! variable's `L`) or any lock whose `Lock` method the package cannot follow is a lock like a
//! mutex; a `Lock` method of the package is followed to the mutex it locks.

mod common;

const SRC: &str = r#"package p

import "sync"

func f(c *sync.Cond, l sync.Locker) int {
	x := 0
	c.L.Lock()
	x = 1
	c.L.Unlock()
	l.Lock()
	x = 2
	l.Unlock()
	x = 3
	return x
}

type rwLocker interface {
	Lock()
	Unlock()
}

type wrapped struct{ mu sync.Mutex }

func (w *wrapped) Lock()   { w.mu.Lock() }
func (w *wrapped) Unlock() { w.mu.Unlock() }

func g(l rwLocker, w *wrapped) int {
	y := 0
	l.Lock()
	y = 1
	l.Unlock()
	w.Lock()
	y = 2
	w.Unlock()
	return y
}
"#;

/// The model of the one-file package `src`.
fn model_of(src: &str) -> racelens_model::Model {
    common::one_file_model(src).0
}

#[test]
fn lockers_and_foreign_locks_are_locks() {
    let m = model_of(SRC);
    // The writes of `x` and `y`, in order, and the lock held at each (by name).
    let writes: Vec<(String, String)> = m
        .accesses
        .iter()
        .filter(|a| a.kind == racelens_model::AccessKind::Write)
        .map(|a| {
            (
                SRC[a.span.start as usize..a.span.end as usize].to_string(),
                a.locks
                    .iter()
                    .map(|(l, _)| match m.place(l) {
                        racelens_model::Place::Var(_) => "var",
                        racelens_model::Place::Field { name, .. } => {
                            if &**name == "mu" {
                                "mu"
                            } else {
                                "field"
                            }
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(","),
            )
        })
        .collect();
    assert_eq!(
        writes,
        [
            ("x".to_string(), "field".to_string()),
            ("x".to_string(), "var".to_string()),
            ("x".to_string(), String::new()),
            ("y".to_string(), "var".to_string()),
            ("y".to_string(), "mu".to_string()),
        ]
    );
}

#[test]
fn wait_groups_of_other_kinds_join() {
    let src = r#"package p

import "sync"

type WaitGroup interface {
	Add(int)
	Done()
	Wait()
}

func newWaitGroup() WaitGroup { return &sync.WaitGroup{} }

func f() int {
	n := 0
	wg := newWaitGroup()
	wg.Add(1)
	go func() {
		n = 1
		wg.Done()
	}()
	wg.Wait()
	return n
}
"#;
    let m = model_of(src);
    assert_eq!(m.spawns.len(), 1);
    let joins = m.joins(racelens_model::SpawnIx(0));
    let wait = src.find("wg.Wait()").unwrap() as u32;
    assert_eq!(joins, [wait]);
}

#[test]
fn conditional_locks_are_held_until_released() {
    let src = r#"package p

import "sync"

type S struct {
	mu sync.Mutex
	n  int
}

func (s *S) f(doLock bool) {
	if doLock {
		s.mu.Lock()
	}
	s.n = 1
	if doLock {
		s.mu.Unlock()
	}
	s.n = 2
}

func (s *S) g(shouldLock bool) {
	if shouldLock {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	s.n = 3
}
"#;
    let m = model_of(src);
    let held: Vec<bool> = m
        .accesses
        .iter()
        .filter(|a| a.kind == racelens_model::AccessKind::Write)
        .map(|a| !a.locks.is_empty())
        .collect();
    assert_eq!(held, [true, false, true]);
}
