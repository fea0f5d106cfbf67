//! The differential test: racelens's parser against go/parser on real Go corpora, by node dump.
//!
//! For every file, go/parser (through the `godump` oracle in `tests/oracle/godump`) and
//! racelens each produce the dump of `racelens_syntax::dump`; the FNV-1a hashes must be equal.
//! Rules: go/parser accepts => racelens reports no syntax error and the hashes agree.
//! go/parser rejects => racelens must report at least one syntax error, except for files
//! under a `testdata` directory, which are skipped and counted (they are often deliberately
//! broken in ways a parser may or may not detect). A missing Go toolchain or corpus fails
//! the test: it never skips silently.

use racelens_syntax::dump::{dump, dump_counted, fnv1a64};
use std::collections::BTreeMap;
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

const INSTALL: &str = "apt-get install -y golang-go golang-1.19-src golang-etcd-server-dev \
                       golang-github-docker-docker-dev golang-google-grpc-dev";

const STDLIB: &str = "/usr/lib/go-1.19/src";

/// Fails the test with a message that says how to get what is missing.
fn missing(what: &str) -> ! {
    panic!("{what}; the differential test needs Go 1.19 and the corpora: run `{INSTALL}`")
}

/// Builds the oracle once per test process and returns the path of its binary.
fn oracle() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/godump");
        let bin = Path::new(env!("CARGO_TARGET_TMPDIR")).join("godump");
        let mut go = Command::new("go");
        go.args(["build", "-o"])
            .arg(&bin)
            .arg(".")
            .current_dir(&dir)
            .env("GOFLAGS", "-mod=mod")
            .env("GOTOOLCHAIN", "local");
        // The go command needs a build cache; give it one where a bare CI environment has
        // no home directory to derive it from.
        let has = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
        if !has("GOCACHE") && !has("XDG_CACHE_HOME") && !has("HOME") {
            go.env(
                "GOCACHE",
                Path::new(env!("CARGO_TARGET_TMPDIR")).join("gocache"),
            );
        }
        let status = go.status();
        match status {
            Ok(s) if s.success() => bin,
            Ok(s) => panic!(
                "building the go/parser oracle in {} failed: {s}",
                dir.display()
            ),
            Err(e) => missing(&format!("cannot run `go` ({e})")),
        }
    })
}

/// Every regular `.go` file under `dir`, sorted.
fn go_files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(ty) = entry.file_type() else { continue };
            if ty.is_dir() {
                walk(&path, out);
            } else if ty.is_file() && path.extension().is_some_and(|e| e == "go") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// The regular `.go` files an installed Debian package ships, sorted.
fn go_files_of_package(package: &str) -> Vec<PathBuf> {
    let out = match Command::new("dpkg").args(["-L", package]).output() {
        Ok(out) if out.status.success() => out,
        Ok(_) => missing(&format!("the package {package} is not installed")),
        Err(e) => missing(&format!("cannot run `dpkg -L {package}` ({e})")),
    };
    let mut files: Vec<PathBuf> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.ends_with(".go"))
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files.dedup();
    if files.is_empty() {
        missing(&format!("the package {package} ships no .go files"));
    }
    files
}

/// What go/parser said about one file.
enum Verdict {
    Ok { hash: u64, nodes: usize },
    Err { error: String },
}

/// Runs `godump -hash` over `files` and returns its verdicts in the same order.
fn oracle_verdicts(files: &[PathBuf]) -> Vec<Verdict> {
    let mut child = Command::new(oracle())
        .arg("-hash")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("cannot start the oracle");
    let mut input = String::new();
    for f in files {
        input.push_str(f.to_str().expect("corpus paths are UTF-8"));
        input.push('\n');
    }
    let mut stdin = child.stdin.take().expect("piped stdin");
    // Writing from another thread keeps a full stdout pipe from deadlocking the oracle.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("the oracle failed");
    writer
        .join()
        .unwrap()
        .expect("cannot write paths to the oracle");
    assert!(
        out.status.success(),
        "the oracle exited with {}",
        out.status
    );
    let text = String::from_utf8(out.stdout).expect("oracle output is UTF-8");
    let verdicts: Vec<Verdict> = text
        .lines()
        .zip(files)
        .map(|(line, file)| {
            let path = file.to_str().unwrap();
            if let Some(rest) = line.strip_prefix("OK ") {
                let mut parts = rest.splitn(3, ' ');
                let hash = u64::from_str_radix(parts.next().unwrap(), 16).unwrap();
                let nodes = parts.next().unwrap().parse().unwrap();
                assert_eq!(parts.next(), Some(path), "oracle output out of order");
                Verdict::Ok { hash, nodes }
            } else if let Some(rest) = line.strip_prefix("ERR ") {
                let (p, error) = rest.split_once('\t').expect("ERR line has a tab");
                assert_eq!(p, path, "oracle output out of order");
                Verdict::Err {
                    error: error.to_string(),
                }
            } else {
                panic!("unexpected oracle output: {line}")
            }
        })
        .collect();
    assert_eq!(verdicts.len(), files.len(), "the oracle skipped files");
    verdicts
}

/// The full go/parser dump of one file.
fn oracle_dump(file: &Path) -> String {
    let out = Command::new(oracle())
        .arg(file)
        .output()
        .expect("cannot run the oracle");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn under_testdata(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "testdata")
}

/// What racelens did with one file.
enum Outcome {
    /// No syntax error; the dump's hash and node count.
    Clean(u64, usize),
    /// The first syntax error, as `offset:message`.
    Rejected(String),
    Panicked(String),
    Unreadable(String),
}

fn parse_one(path: &Path) -> Outcome {
    let src = match std::fs::read(path) {
        Ok(src) => src,
        Err(e) => return Outcome::Unreadable(e.to_string()),
    };
    match catch_unwind(AssertUnwindSafe(|| {
        let (file, errors) = racelens_syntax::parse(&src);
        match errors.first() {
            Some(e) => Outcome::Rejected(format!("{}:{}", e.offset, e.message)),
            None => {
                let (text, nodes) = dump_counted(&file);
                Outcome::Clean(fnv1a64(text.as_bytes()), nodes)
            }
        }
    })) {
        Ok(outcome) => outcome,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Outcome::Panicked(msg)
        }
    }
}

/// Parses `files` with racelens on two threads; the outcomes are in input order.
fn racelens_outcomes(files: &[PathBuf]) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Outcome)>> = Mutex::new(Vec::with_capacity(files.len()));
    std::thread::scope(|s| {
        for _ in 0..2 {
            std::thread::Builder::new()
                .stack_size(64 << 20)
                .spawn_scoped(s, || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    let outcome = parse_one(path);
                    results.lock().unwrap().push((i, outcome));
                })
                .expect("cannot spawn a parser thread");
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, o)| o).collect()
}

/// Up to five pairs of differing lines of the two dumps, with their line numbers.
fn first_differences(go: &str, ours: &str) -> String {
    let go: Vec<&str> = go.lines().collect();
    let ours: Vec<&str> = ours.lines().collect();
    let mut out = String::new();
    let mut shown = 0;
    for i in 0..go.len().max(ours.len()) {
        let (a, b) = (go.get(i), ours.get(i));
        if a != b {
            out.push_str(&format!(
                "      line {}: go/parser `{}` | racelens `{}`\n",
                i + 1,
                a.unwrap_or(&"<end>"),
                b.unwrap_or(&"<end>")
            ));
            shown += 1;
            if shown == 5 {
                break;
            }
        }
    }
    out
}

/// Compares racelens with go/parser on `files` and fails with details on any disagreement.
fn run_corpus(name: &str, files: &[PathBuf]) {
    let t0 = Instant::now();
    let verdicts = oracle_verdicts(files);
    let t_go = t0.elapsed();
    let t1 = Instant::now();
    let outcomes = racelens_outcomes(files);
    let t_rs = t1.elapsed();

    let (mut agreed, mut skipped, mut both_rejected, mut same_offset) = (0, 0, 0, 0);
    let mut failures: Vec<(&Path, String, bool)> = Vec::new();
    for ((path, verdict), outcome) in files.iter().zip(&verdicts).zip(&outcomes) {
        let path = path.as_path();
        match (verdict, outcome) {
            (_, Outcome::Panicked(msg)) => {
                failures.push((path, format!("racelens panicked: {msg}"), false));
            }
            (_, Outcome::Unreadable(e)) => {
                failures.push((path, format!("cannot read the file: {e}"), false));
            }
            (Verdict::Ok { hash, .. }, Outcome::Clean(ours, _)) if hash == ours => agreed += 1,
            (Verdict::Ok { nodes, .. }, Outcome::Clean(_, ours)) => failures.push((
                path,
                format!("the dumps differ: go/parser {nodes} nodes, racelens {ours}"),
                true,
            )),
            (Verdict::Ok { .. }, Outcome::Rejected(e)) => failures.push((
                path,
                format!("go/parser accepts, racelens reports a syntax error: {e}"),
                true,
            )),
            (Verdict::Err { .. }, _) if under_testdata(path) => skipped += 1,
            (Verdict::Err { error }, Outcome::Rejected(ours)) => {
                both_rejected += 1;
                // Not required, but worth watching: does racelens stop where go/parser does?
                if error.split(':').next() == ours.split(':').next() {
                    same_offset += 1;
                }
            }
            (Verdict::Err { error }, Outcome::Clean(..)) => failures.push((
                path,
                format!("go/parser rejects ({error}), racelens reports no syntax error"),
                false,
            )),
        }
    }
    let bytes: u64 = files
        .iter()
        .filter_map(|f| f.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "{name}: {} files ({:.1} MB) compared, {agreed} agreed, {skipped} skipped testdata \
         rejects, {both_rejected} both rejected ({same_offset} with the same first error offset), \
         {} failures (go/parser {:.1} s, racelens {:.1} s)",
        files.len(),
        bytes as f64 / 1e6,
        failures.len(),
        t_go.as_secs_f64(),
        t_rs.as_secs_f64(),
    );
    if failures.is_empty() {
        return;
    }
    let mut report = String::new();
    for (path, why, show_dumps) in failures.iter().take(10) {
        report.push_str(&format!("  {}: {why}\n", path.display()));
        if *show_dumps {
            let src = std::fs::read(path).unwrap_or_default();
            let ours = catch_unwind(|| dump(&racelens_syntax::parse(&src).0)).unwrap_or_default();
            report.push_str(&first_differences(&oracle_dump(path), &ours));
        }
    }
    if failures.len() > 10 {
        report.push_str(&format!("  ... and {} more\n", failures.len() - 10));
    }
    // Group the rest by reason so a large failure count is still readable.
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, why, _) in &failures {
        let key = why.split(':').next().unwrap_or(why);
        *reasons.entry(key).or_default() += 1;
    }
    for (why, n) in reasons {
        report.push_str(&format!("  {n} x {why}\n"));
    }
    panic!(
        "{name}: racelens disagrees with go/parser on {} of {} files:\n{report}",
        failures.len(),
        files.len()
    );
}

#[test]
fn stdlib() {
    if !Path::new(STDLIB).is_dir() {
        missing(&format!(
            "the Go standard library source is missing at {STDLIB}"
        ));
    }
    run_corpus("stdlib", &go_files_under(Path::new(STDLIB)));
}

#[test]
fn etcd() {
    run_corpus("etcd", &go_files_of_package("golang-etcd-server-dev"));
}

#[test]
fn docker() {
    run_corpus(
        "docker",
        &go_files_of_package("golang-github-docker-docker-dev"),
    );
}

#[test]
fn grpc() {
    run_corpus("grpc", &go_files_of_package("golang-google-grpc-dev"));
}

/// In-repo files with syntax errors, outside any `testdata` directory: go/parser rejects each
/// (checked, so that a fixture cannot silently become valid), so racelens must report at least
/// one syntax error for each.
#[test]
fn syntax_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/syntax_errors");
    let files = go_files_under(&dir);
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    for (file, verdict) in files.iter().zip(oracle_verdicts(&files)) {
        assert!(
            matches!(verdict, Verdict::Err { .. }),
            "{}: go/parser accepts this fixture",
            file.display()
        );
    }
    run_corpus("syntax_errors", &files);
}

/// In-repo fixtures for syntax the corpora use rarely. Fixtures go/parser 1.19 rejects (newer
/// syntax than it knows) are counted and skipped; all others must agree.
#[test]
fn fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/syntax");
    let files = go_files_under(&dir);
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    let verdicts = oracle_verdicts(&files);
    let accepted: Vec<PathBuf> = files
        .iter()
        .zip(&verdicts)
        .filter(|(_, v)| matches!(v, Verdict::Ok { .. }))
        .map(|(f, _)| f.clone())
        .collect();
    println!(
        "fixtures: {} skipped because go/parser 1.19 rejects them",
        files.len() - accepted.len()
    );
    run_corpus("fixtures", &accepted);
}
