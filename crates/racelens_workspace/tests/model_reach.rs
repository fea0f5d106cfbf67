//! What `Model::runs` answers: every access a function runs through its calls, once for
//! each outermost call and set of held locks however many paths lead to it, through call
//! cycles without looping, and only at the positions `runs_at` keeps.

mod common;

use racelens_model::{Flat, FuncIx, Model};
use std::collections::BTreeSet;

const SRC: &str = r#"package p

import "sync"

var mu sync.Mutex
var x, y int

func c() { x = 1 }

func a() {
	c()
	c()
}

func b() {
	mu.Lock()
	c()
	mu.Unlock()
}

func f() {
	a()
	b()
}

func r1(n int) {
	y = n
	r2(n)
}

func r2(n int) {
	mu.Lock()
	r1(n)
	mu.Unlock()
}

func d0() { d1(); d1() }
func d1() { d2(); d2() }
func d2() { d3(); d3() }
func d3() { d4(); d4() }
func d4() { d5(); d5() }
func d5() { c(); c() }
"#;

fn func(m: &Model, name: &str) -> FuncIx {
    let i = m.funcs.iter().position(|f| f.name == name);
    FuncIx(i.unwrap_or_else(|| panic!("no function {name}")) as u32)
}

/// Each flat on `x` or `y` as (accessed text, outermost call text and offset, number of
/// locks held).
fn shown(m: &Model, flats: &[Flat]) -> Vec<(String, String, usize)> {
    flats
        .iter()
        .filter(|fl| {
            let s = m.accesses[fl.access.index()].span;
            matches!(&SRC[s.start as usize..s.end as usize], "x" | "y")
        })
        .map(|fl| {
            let a = &m.accesses[fl.access.index()];
            let text =
                |s: racelens_syntax::ast::Span| SRC[s.start as usize..s.end as usize].to_string();
            (
                text(a.span),
                fl.via
                    .map_or(String::new(), |s| format!("{}@{}", text(s), s.start)),
                fl.locks.iter().count(),
            )
        })
        .collect()
}

#[test]
fn each_access_is_listed_once_per_outermost_call_and_locks() {
    let (m, _) = common::one_file_model(SRC);
    let got = shown(&m, &m.runs(func(&m, "f")));
    let call = |text: &str| format!("{text}@{}", SRC.find(&format!("\t{text}\n")).unwrap() + 1);
    // `a` calls `c` twice: two paths, one entry. Through `b`, `c` runs under `mu`.
    assert_eq!(
        got,
        [
            ("x".to_string(), call("a()"), 0),
            ("x".to_string(), call("b()"), 1),
        ]
    );
}

#[test]
fn diamonds_of_calls_do_not_multiply_the_answer() {
    let (m, _) = common::one_file_model(SRC);
    // 2^6 paths lead from `d0` to `c` within the depth followed; they all come down to the
    // write of `x` through each of `d0`'s two calls of `d1`, which are distinct calls.
    let got: Vec<_> = shown(&m, &m.runs(func(&m, "d0")));
    let distinct: BTreeSet<_> = got.iter().cloned().collect();
    assert_eq!(got.len(), distinct.len(), "{got:?}");
    assert_eq!(got.len(), 2, "{got:?}");
}

#[test]
fn call_cycles_are_followed_once_along_each_path() {
    let (m, _) = common::one_file_model(SRC);
    // `r1` runs its own write of `y`, and through `r2` nothing more: `r2` calls back into
    // `r1`, which is already on the path. (Its only caller holds `mu`, so `r1` runs under
    // it.)
    let got = shown(&m, &m.runs(func(&m, "r1")));
    assert_eq!(got, [("y".to_string(), String::new(), 1)]);
    // From `r2`, the write of `y` runs under `mu`, through the call of `r1`.
    let got = shown(&m, &m.runs(func(&m, "r2")));
    let r1_call = SRC.find("r1(n)\n").unwrap();
    assert_eq!(got, [("y".to_string(), format!("r1(n)@{r1_call}"), 1)]);
}

#[test]
fn runs_at_follows_only_the_calls_it_keeps() {
    let (m, _) = common::one_file_model(SRC);
    let f = func(&m, "f");
    let b_call = SRC.find("\tb()\n").unwrap() as u32 + 1;
    let got = shown(&m, &m.runs_at(f, &|at| at >= b_call));
    assert_eq!(got, [("x".to_string(), format!("b()@{b_call}"), 1)]);
    let all = m.runs(f);
    let kept: Vec<_> = all.iter().filter(|fl| fl.at >= b_call).cloned().collect();
    assert_eq!(shown(&m, &kept), got);
}

/// A package of `n` functions calling each other at random (cycles, deep chains, calls in
/// literals run in place and under a lock), from a fixed seed.
fn random_package(n: usize, seed: u64) -> String {
    let mut state = seed;
    let mut next = move |below: usize| {
        // xorshift64*
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % below
    };
    let mut src = String::from("package p\n\nimport \"sync\"\n\nvar mu sync.Mutex\n\n");
    for i in 0..n {
        src.push_str(&format!("var g{i} int\n"));
    }
    for i in 0..n {
        src.push_str(&format!("\nfunc f{i}() {{\n\tg{i} = {i}\n"));
        for _ in 0..next(4) {
            let j = next(n);
            match next(4) {
                0 => src.push_str(&format!("\tfunc() {{\n\t\tg{j}++\n\t\tf{j}()\n\t}}()\n")),
                1 => src.push_str(&format!("\tmu.Lock()\n\tf{j}()\n\tmu.Unlock()\n")),
                _ => src.push_str(&format!("\tf{j}()\n")),
            }
        }
        src.push_str("}\n");
    }
    src
}

#[test]
fn accesses_at_lists_the_accesses_of_runs_at() {
    for seed in 1..=12 {
        let src = random_package(30 + 5 * seed as usize, seed);
        let (m, _) = common::one_file_model(&src);
        for (i, func) in m.funcs.iter().enumerate() {
            let f = FuncIx(i as u32);
            // All of the body, and its second half (as a goroutine's window would cut it).
            let mid = func.span.start + (func.span.end - func.span.start) / 2;
            for keep in [&(|_| true) as &dyn Fn(u32) -> bool, &|at| at >= mid] {
                let flat: BTreeSet<_> = m.runs_at(f, keep).iter().map(|fl| fl.access).collect();
                let listed: Vec<_> = m.accesses_at(f, keep);
                let set: BTreeSet<_> = listed.iter().copied().collect();
                assert_eq!(
                    set.len(),
                    listed.len(),
                    "seed {seed}, {}: repeats",
                    func.name
                );
                assert_eq!(set, flat, "seed {seed}, {}", func.name);
            }
        }
    }
}

#[test]
fn runs_where_is_runs_with_only_the_wanted_accesses() {
    // As a tuple, locks as the pairs they hold, to compare whole flats.
    let key = |fl: &Flat| {
        let locks: Vec<_> = fl.locks.iter().collect();
        (fl.access, fl.at, locks, fl.via)
    };
    for seed in 1..=12 {
        let src = random_package(30 + 5 * seed as usize, seed);
        let (m, _) = common::one_file_model(&src);
        let writes = |a: racelens_model::AccessIx| m.access(a).kind.is_write();
        let some = |a: racelens_model::AccessIx| a.index() % 3 == 1;
        let mut kept = 0;
        for (i, func) in m.funcs.iter().enumerate() {
            let f = FuncIx(i as u32);
            let all = m.runs(f);
            for want in [&writes as &dyn Fn(racelens_model::AccessIx) -> bool, &some] {
                let filtered: Vec<_> = all.iter().filter(|fl| want(fl.access)).map(key).collect();
                let got: Vec<_> = m.runs_where(f, want).iter().map(key).collect();
                assert_eq!(got, filtered, "seed {seed}, {}", func.name);
                kept += got.len();
            }
        }
        assert!(kept > 0, "seed {seed}: no access kept");
    }
}
