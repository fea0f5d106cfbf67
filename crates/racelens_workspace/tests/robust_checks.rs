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
fn broken_and_binary_files_beside_good_ones() {
    let good = format!("{HEAD}func g() {{ go func() {{ m[1] = 2 }}(); m[2] = 3 }}\n");
    let broken = "package deep\n\nfunc f( { go func() { mu.Lock( }\n".to_string();
    let garbage = String::from_utf8_lossy(&(0u8..=255).cycle().take(4096).collect::<Vec<_>>())
        .replace('\0', "x");
    let files = vec![("a.go", good), ("b.go", broken), ("c.go", garbage)];
    assert_eq!(run_on_small_stack(files), 3);
}
