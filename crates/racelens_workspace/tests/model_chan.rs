//! Model behaviour for ownership through channels (issue 5): the values sent on channels and
//! the variables receives bind, the hand-overs from a spawner to the goroutine it starts, and
//! the stretch after a send during which the sender still touching the value races with the
//! receiver.

mod common;

use racelens_model::{Model, SpawnIx, TransferKind};

/// The model of the one-file package `src`, and the package as loaded.
fn model_of(src: &str) -> (Model, std::sync::Arc<racelens_semantic::types::Loaded>) {
    common::one_file_model(src)
}

const SRC: &str = r#"package p

type T struct{ n int }

func f(p *T, v T, m map[string]int, s []int, ch chan *T, vs chan T, ms chan map[string]int, ss chan []int, ps chan *T, quit chan bool) {
	ch <- p
	vs <- v
	ps <- &v
	ms <- m
	ss <- s
	ss <- append([]int(nil), s...)
	select {
	case ch <- p:
	case <-quit:
	}
	a := <-ch
	b, ok := <-ch
	var c *T
	c = <-ch
	_ = <-ch
	for d := range ch {
		_ = d
	}
	select {
	case e := <-ch:
		_ = e
	case <-quit:
	}
	_, _, _, _ = a, b, ok, c
}
"#;

#[test]
fn sends_and_binding_receives_are_recorded() {
    let (m, loaded) = model_of(SRC);
    let got: Vec<(TransferKind, String, String, bool)> = m
        .transfers
        .iter()
        .map(|t| {
            (
                t.kind,
                SRC[t.span.start as usize..t.span.end as usize].to_string(),
                loaded.scopes.def(t.var).name.to_string(),
                t.shares,
            )
        })
        .collect();
    let send =
        |s: &str, v: &str, shares| (TransferKind::Send, s.to_string(), v.to_string(), shares);
    let recv = |s: &str, v: &str| (TransferKind::Recv, s.to_string(), v.to_string(), true);
    assert_eq!(
        got,
        [
            send("ch <- p", "p", true),
            // A struct value is a copy: the receiver does not share it.
            send("vs <- v", "v", false),
            send("ps <- &v", "v", true),
            send("ms <- m", "m", true),
            send("ss <- s", "s", true),
            // `ss <- append(...)` sends no variable.
            send("ch <- p", "p", true),
            recv("<-ch", "a"),
            recv("<-ch", "b"),
            recv("<-ch", "c"),
            // `_ = <-ch` binds nothing.
            recv("ch", "d"),
            recv("<-ch", "e"),
        ]
    );
    // Every transfer is on the function's list, and the channel is the parameter's place.
    assert_eq!(m.funcs[0].transfers.len(), m.transfers.len());
    let ch = m.transfers[0].chan;
    assert!(m
        .transfers
        .iter()
        .filter(|t| t.kind == TransferKind::Recv)
        .all(|t| t.chan == ch));
}

const POOL: &str = r#"package p

type job struct{ in, out int }

func worker(jobs <-chan *job, done chan<- struct{}) {
	for j := range jobs {
		j.out = j.in
	}
	close(done)
}

func pool(n int) {
	jobs := make(chan *job)
	done := make(chan struct{})
	go worker(jobs, done)
	for i := 0; i < n; i++ {
		j := &job{in: i}
		jobs <- j
		j.in = 0
	}
	close(jobs)
	<-done
}

func loose(items []*job) {
	ch := make(chan *job)
	done := make(chan struct{})
	go func() {
		for it := range ch {
			it.out++
		}
		close(done)
	}()
	cur := items[0]
	ch <- cur
	cur.in = 1
	cur = items[1]
	cur.in = 2
	<-done
}
"#;

#[test]
fn a_declared_worker_receives_what_its_spawner_sends() {
    let (m, _) = model_of(POOL);
    assert_eq!(m.spawns.len(), 2);
    let s = SpawnIx(0);
    // `jobs` and `done` are the worker's parameters: seen from the spawner, its receive is
    // from the spawner's `jobs`, and its close of `done` makes `<-done` a wait for it (for
    // hand-overs; the race checks' joins keep parameters apart).
    let pairs = m.handoffs(s);
    assert_eq!(pairs.len(), 1);
    let (send, recv) = pairs[0];
    assert_eq!(m.transfer(send).kind, TransferKind::Send);
    assert_eq!(m.transfer(recv).kind, TransferKind::Recv);
    let joins = m.waits_in(s, m.spawn(s).func);
    let wait = POOL.find("<-done").unwrap() as u32;
    assert_eq!(joins, [wait]);
    assert!(m.joins(s).is_empty());
    // `j` is declared in the loop: after the send, it is the receiver's until the end of
    // the iteration.
    let w = m.after_send(send, &joins);
    let (start, end) = (w.start, w.end);
    let sent = POOL.find("jobs <- j").unwrap() as u32;
    assert_eq!(start, sent + "jobs <- j".len() as u32);
    let loop_end = POOL[sent as usize..].find("\n\t}").unwrap() as u32 + sent + 3;
    assert_eq!(end, loop_end);
    let write = POOL.find("j.in = 0").unwrap() as u32;
    assert!(write >= start && write < end);
}

#[test]
fn the_stretch_after_a_send_ends_at_a_reassignment_or_a_join() {
    let (m, _) = model_of(POOL);
    let s = SpawnIx(1);
    let pairs = m.handoffs(s);
    assert_eq!(pairs.len(), 1);
    let joins = m.joins(s);
    let w = m.after_send(pairs[0].0, &joins);
    let (start, end) = (w.start, w.end);
    let first = POOL.find("cur.in = 1").unwrap() as u32;
    let reassigned = POOL.find("cur = items[1]").unwrap() as u32;
    assert!(first >= start && first < end);
    assert_eq!(end, reassigned);
    // Without the reassignment, the join would end it.
    let wait = POOL.rfind("<-done").unwrap() as u32;
    assert_eq!(joins, [wait]);
    // The worker of `pool` receives on another channel: no hand-over crosses.
    assert!(m.handoffs(SpawnIx(0)).iter().all(|&(x, _)| x != pairs[0].0));
}

const SERVER: &str = r#"package p

type req struct {
	n    int
	done chan struct{}
}

type server struct{ reqs chan *req }

func newServer() *server {
	s := &server{reqs: make(chan *req)}
	go s.loop()
	return s
}

func (s *server) loop() {
	for r := range s.reqs {
		r.n++
		close(r.done)
		s.retry(r)
	}
}

func (s *server) retry(r *req) {
	s.reqs <- r
}

func (s *server) submit(r *req) int {
	s.reqs <- r
	<-r.done
	return r.n
}
"#;

#[test]
fn other_functions_hand_over_to_a_goroutine_and_wait_for_its_reply() {
    let (m, _) = model_of(SERVER);
    let s = SpawnIx(0);
    // The constructor sends nothing; `submit` does. `retry` runs in the goroutine itself
    // (called by `loop`): its send is not a hand-over to another goroutine.
    assert!(m.handoffs(s).is_empty());
    let pairs = m.handoffs_elsewhere(s);
    assert_eq!(pairs.len(), 1);
    let (send, _) = pairs[0];
    let submit = m.transfer(send).func;
    assert!(m.funcs[submit.index()].name.ends_with("submit"));
    // `<-r.done` waits for the goroutine: it closes the same field's channel.
    let wait = SERVER.rfind("<-r.done").unwrap() as u32;
    assert_eq!(m.waits_in(s, submit), [wait]);
    let end = m.after_send(send, &m.waits_in(s, submit)).end;
    assert_eq!(end, wait);
}

const BRANCHES: &str = r#"package p

type T struct{ n int }

func f(items []*T, ch chan *T, quit chan bool, skip bool) {
	go func() {
		for t := range ch {
			t.n++
		}
	}()
	for _, it := range items {
		if skip {
			ch <- it
			continue
		} else {
			it.n = 1
		}
		it.n = 2
	}
	for _, it := range items {
		select {
		case ch <- it:
			return
		case <-quit:
			it.n = 3
		}
		it.n = 4
	}
	for _, it := range items {
		switch {
		case skip:
			ch <- it
		default:
			it.n = 5
		}
		it.n = 6
	}
}
"#;

#[test]
fn what_follows_a_send_excludes_other_branches_and_code_after_a_return() {
    let (m, _) = model_of(BRANCHES);
    let s = SpawnIx(0);
    let pairs = m.handoffs(s);
    assert_eq!(pairs.len(), 3);
    let at = |text: &str| BRANCHES.find(text).unwrap() as u32;
    let windows: Vec<_> = pairs.iter().map(|&(x, _)| m.after_send(x, &[])).collect();
    // `ch <- it; continue`: nothing of the iteration runs after the send.
    assert!(!windows[0].contains(at("it.n = 1")));
    assert!(!windows[0].contains(at("it.n = 2")));
    // `case ch <- it: return`: neither the other case nor what follows the select.
    assert!(!windows[1].contains(at("it.n = 3")));
    assert!(!windows[1].contains(at("it.n = 4")));
    // A case that falls out of the switch: the later case is excluded, the code after the
    // switch is not.
    assert!(!windows[2].contains(at("it.n = 5")));
    assert!(windows[2].contains(at("it.n = 6")));
}
