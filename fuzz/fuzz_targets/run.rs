//! Fuzz target: the whole run, as `racelens check ./...` makes it, on a module of several
//! packages made of the input: discovery, reading, the importer in front of the workspace's
//! parsed packages, the summaries of packages for their importers, external test packages,
//! the order of the checks and the workers that follow it. It must never panic, and it must
//! report the same on one worker as on two (the run's output does not depend on the number
//! of threads).
//!
//! The input is cut at every line `----`; the pieces are, in order, `go.mod` and the files
//! of `SLOTS`, so that packages `m/a`, `m/b` and `m/c` can import each other and have in-
//! package and external tests. The standard library comes from the embedded models (no
//! GOROOT), so that a run takes a few milliseconds. `fuzz/seeds.py` writes seeds from the
//! fixtures. Run it with `-detect_leaks=0`: a run frees its trees on a thread it does not
//! wait for (see `run::run`), which the leak checker may find still holding them:
//!
//! ```sh
//! python3 fuzz/seeds.py && RUSTC_BOOTSTRAP=1 cargo fuzz run run -- -detect_leaks=0
//! ```
#![no_main]

use libfuzzer_sys::fuzz_target;
use racelens_workspace::load::{Loader, LoaderOptions, Locate};
use racelens_workspace::run::{run, RunOptions};
use racelens_workspace::{discover, DiscoverOptions};

/// Where the pieces after `go.mod` go.
const SLOTS: &[&str] = &[
    "a/a.go",
    "a/a_test.go",
    "a/x_test.go",
    "b/b.go",
    "b/b_test.go",
    "c/c.go",
    "c/c_test.go",
];

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = dir.path().canonicalize().expect("its canonical path");
    let mut pieces = split(data);
    let gomod = pieces.next().unwrap_or_default();
    std::fs::write(root.join("go.mod"), gomod).expect("go.mod written");
    for (slot, piece) in SLOTS.iter().zip(pieces) {
        // An empty piece leaves its slot without a file.
        if piece.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let path = root.join(slot);
        std::fs::create_dir_all(path.parent().expect("a directory")).expect("directory made");
        std::fs::write(path, piece).expect("file written");
    }
    let opts = DiscoverOptions {
        read_contents: true,
        ..DiscoverOptions::default()
    };
    let check = |threads: usize| {
        // Discovery hands each file's bytes to one run: each run discovers anew.
        let ws = discover(&root, &["./...".to_string()], &opts);
        let loader = Loader::new(LoaderOptions {
            goroot: Locate::Off,
            mod_cache: Locate::Off,
            gopath: Vec::new(),
            ..LoaderOptions::for_workspace(&ws, &opts)
        });
        let out = run(
            &ws,
            &RunOptions {
                checks: racelens_checks::REGISTRY.to_vec(),
                cwd: root.clone(),
                threads,
                per_file_ignores: None,
                progress: None,
                importer: Some(&loader),
            },
        );
        format!("{:?}\n{:?}", out.diagnostics, out.problems)
    };
    assert_eq!(check(1), check(2), "one worker and two report differently");
});

/// The pieces of `data` between lines that are `----`.
fn split(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let text = rest?;
        match text.windows(6).position(|w| w == b"\n----\n") {
            Some(i) => {
                rest = Some(&text[i + 6..]);
                Some(&text[..=i])
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}
