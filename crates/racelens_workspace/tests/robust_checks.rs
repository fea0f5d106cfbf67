//! Every check, the type checker and the concurrency model on hostile input: deep nesting of
//! statements, expressions and function literals, long operator chains, goroutines and locks
//! in deep blocks, and files that are not Go at all. The run must finish without a panic (on
//! a small thread stack, as checks run on worker threads) and report what it can.

mod common;

use common::check_dir;

fn module(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/deep\n\ngo 1.21\n",
    )
    .unwrap();
    for (name, src) in files {
        std::fs::write(dir.path().join(name), src).unwrap();
    }
    dir
}

fn run_on_small_stack(files: Vec<(&'static str, String)>) -> usize {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let dir = module(&files);
            let out = check_dir(dir.path());
            out.files
        })
        .unwrap()
        .join()
        .expect("the run panicked")
}

const HEAD: &str =
    "package deep\n\nimport \"sync\"\n\nvar mu sync.Mutex\nvar m = map[int]int{}\n\n";

#[test]
fn deeply_nested_blocks_with_locks_and_goroutines() {
    let n = 20_000;
    let mut body = String::new();
    for i in 0..n {
        body.push_str(&format!(
            "if x > {i} {{ mu.Lock(); go func() {{ m[{i}] = x }}()\n"
        ));
    }
    for _ in 0..n {
        body.push_str("mu.Unlock() }\n");
    }
    let src = format!("{HEAD}func f(x int) {{\n{body}}}\n");
    assert_eq!(run_on_small_stack(vec![("a.go", src)]), 1);
}

#[test]
fn deeply_nested_function_literals() {
    let n = 5_000;
    let open = "func() { var wg sync.WaitGroup; wg.Add(1); go ".repeat(n);
    let close = "() ; wg.Wait() }".repeat(n);
    let src = format!("{HEAD}func f() {{ x := 0; _ = {open}func() {{ x++ }}{close}; _ = x }}\n");
    assert_eq!(run_on_small_stack(vec![("a.go", src)]), 1);
}

#[test]
fn goroutine_running_deeply_nested_literals() {
    // A goroutine whose function runs 20,000 literals nested in place: what it runs is
    // walked through every level (by the race finder and the model's queries).
    let n = 20_000;
    let src = format!(
        "package deep\n\nfunc G(m map[int]int) {{ go F(m); m[2] = 2 }}\n\nfunc F(m map[int]int) {{\n{}m[1] = 1\n{}}}\n",
        "func() {\n".repeat(n),
        "}()\n".repeat(n)
    );
    assert_eq!(run_on_small_stack(vec![("a.go", src)]), 1);
}

#[test]
fn summaries_of_deeply_nested_and_fanned_out_callees() {
    // Another package of the module calls into `lib`, whose summary is built from a
    // function running 20,000 nested literals and from helpers that each call the next
    // 40 times (a summary that walked every call site again would grow as 40^3).
    let n = 20_000;
    let calls = |callee: &str| format!("{callee}(s)\n").repeat(40);
    let lib = format!(
        "package lib\n\ntype S struct{{ m map[int]int }}\n\nfunc F(m map[int]int) {{\n{}m[1] = 1\n{}}}\n\nfunc (s *S) Fan() {{\n{}}}\n\nfunc g(s *S) {{\n{}}}\n\nfunc h(s *S) {{\n{}}}\n\nfunc k(s *S) {{ s.m[1] = 1; s.m[2] = 2 }}\n",
        "func() {\n".repeat(n),
        "}()\n".repeat(n),
        calls("g"),
        calls("h"),
        calls("k"),
    );
    let app = "package app\n\nimport \"example.com/deep/lib\"\n\nfunc Run(m map[int]int, s *lib.S) {\n\tgo func() { lib.F(m); s.Fan() }()\n\tm[2] = 2\n\ts.Fan()\n}\n".to_string();
    let files = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let dir = module(&[]);
            for (sub, src) in [("lib", lib), ("app", app)] {
                std::fs::create_dir(dir.path().join(sub)).unwrap();
                std::fs::write(dir.path().join(sub).join(format!("{sub}.go")), src).unwrap();
            }
            check_dir(dir.path()).files
        })
        .unwrap()
        .join()
        .expect("the run panicked");
    assert_eq!(files, 2);
}

#[test]
fn long_chains_and_selectors() {
    let chain = (0..100_000)
        .map(|i| format!("m[{i}]"))
        .collect::<Vec<_>>()
        .join(" + ");
    let sel = format!("s{}", ".next".repeat(20_000));
    let src = format!(
        "{HEAD}type node struct {{ next *node; v int }}\n\nfunc f(s *node) int {{\n\tmu.Lock()\n\t{sel}.v = {chain}\n\tmu.Unlock()\n\treturn 0\n}}\n"
    );
    assert_eq!(run_on_small_stack(vec![("a.go", src)]), 1);
}

#[test]
fn selector_through_thousands_of_nested_struct_values() {
    // `root.next.next. ... .v` through 20,000 struct types, each the value of the last one's
    // field: the model keeps a field path of 16 fields at most (it recursed through the
    // whole path, overflowing the stack, and built a path of every length: quadratic), and
    // the variable a path starts from is found once for the whole path (not once for each
    // of its 20,000 inner selectors).
    let n = 20_000;
    let types: String = (0..n)
        .map(|i| format!("type t{i} struct {{ next t{} }}\n", i + 1))
        .collect();
    let path = format!("root{}.v", ".next".repeat(n));
    let src = format!(
        "{HEAD}{types}type t{n} struct {{ v int }}\n\nfunc f() int {{\n\tvar root t0\n\tgo func() {{ {path} = 1; m[1] = 1 }}()\n\t{path} = 2\n\tm[2] = 2\n\treturn {path}\n}}\n"
    );
    assert_eq!(run_on_small_stack(vec![("a.go", src)]), 1);
}

#[test]
fn broken_and_binary_files_beside_good_ones() {
    let good = format!("{HEAD}func g() {{ go func() {{ m[1] = 2 }}(); m[2] = 3 }}\n");
    let broken = "package deep\n\nfunc f( { go func() { mu.Lock( }\n".to_string();
    let garbage = String::from_utf8_lossy(&(0u8..=255).cycle().take(4096).collect::<Vec<_>>())
        .replace('\0', "x");
    let files = vec![("a.go", good), ("b.go", broken), ("c.go", garbage)];
    assert_eq!(run_on_small_stack(files), 3);
}

#[test]
fn thousands_of_deferred_literals_beside_a_goroutine() {
    // A function starting a goroutine that writes `x`, then deferring 50,000 literals that
    // write it too, with and without a lock held: each of the thousands of pairs (bounded by
    // `MAX_PAIRS_PER_VARIABLE`) asked whether the function takes the lock elsewhere, and
    // gathered for that every literal it runs in place and scanned their accesses (6.5 s in
    // a release build, quadratic), where the locks of those functions are gathered once.
    // The reports are checked here; the time is `bench-scaling.py`'s
    // `long-deferred-literals` (no test is timed).
    let n = 50_000;
    let plain: String = (0..n)
        .map(|i| format!("\tdefer func() {{ x = {i} }}()\n"))
        .collect();
    let locked: String = (0..n)
        .map(|i| format!("\tmu.Lock()\n\tdefer mu.Unlock()\n\tdefer func() {{ y = {i} }}()\n"))
        .collect();
    let src = format!(
        "{HEAD}func f() {{\n\tx := 0\n\tgo func() {{ x++ }}()\n{plain}}}\n\n\
         func g() {{\n\ty := 0\n\tgo func() {{ y++ }}()\n{locked}}}\n"
    );
    let dir = module(&[("a.go", src)]);
    let out = check_dir(dir.path());
    let races = out
        .diagnostics
        .iter()
        .filter(|d| d.check == "captured-variable-race")
        .count();
    assert_eq!(races, 2, "one race on `x`, one on `y`");
}

#[test]
fn thousands_of_goroutines_adding_to_a_wait_group() {
    // One function starting 8,000 goroutines that each call `wg.Add(1)` inside, then
    // waiting: `wait-group-add-in-goroutine` walked the function for an `Add` before each
    // `go` statement and for a `Wait` outside each goroutine (18.5 s in a release build,
    // quadratic), where the function is now walked once for each question.
    let n = 8_000;
    let goroutines: String = (0..n)
        .map(|i| {
            format!(
                "\tgo func() {{\n\t\twg.Add(1)\n\t\tdefer wg.Done()\n\t\tm[{i}] = {i}\n\t}}()\n"
            )
        })
        .collect();
    let src = format!("{HEAD}func f() {{\n\tvar wg sync.WaitGroup\n{goroutines}\twg.Wait()\n}}\n");
    let dir = module(&[("a.go", src)]);
    let out = check_dir(dir.path());
    let adds = out
        .diagnostics
        .iter()
        .filter(|d| d.check == "wait-group-add-in-goroutine")
        .count();
    assert_eq!(adds, n);
}

#[test]
fn thousands_of_locks_taken_in_branches_beside_a_goroutine() {
    // A function starting a goroutine that writes eight package variables, then taking one
    // of 50,000 mutexes in each of 50,000 `if`s, each followed by a write of one of the
    // variables: the model holds every lock taken so far at each write, and the race finder
    // went through them all for each of the 50,000 pairs, asking whether the goroutine takes
    // one of them (it takes none): quadratic. It now goes through the fewer of the two.
    let n = 50_000;
    let vars: String = (0..n).map(|i| format!("var m{i} sync.Mutex\n")).collect();
    let body: String = (0..n)
        .map(|i| {
            format!(
                "\tif x == {i} {{\n\t\tm{i}.Lock()\n\t}}\n\ts{} = {i}\n",
                i % 8
            )
        })
        .collect();
    let src = format!(
        "{HEAD}var s0, s1, s2, s3, s4, s5, s6, s7 int\n{vars}\nfunc f(x int) {{\n\t\
         go func() {{ s0++; s1++; s2++; s3++; s4++; s5++; s6++; s7++ }}()\n{body}}}\n"
    );
    let dir = module(&[("a.go", src)]);
    let out = check_dir(dir.path());
    assert_eq!(out.files, 1);
}
