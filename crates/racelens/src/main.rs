//! The racelens command line: argument parsing, file discovery and terminal output.

mod check;

/// mimalloc instead of the system allocator: the analysis allocates many small, short-lived
/// vectors per function body, and glibc's malloc spent about a seventh of a run in `malloc`
/// and `free` (callgrind, the Go standard library). It is built without transparent huge
/// pages (`no_thp`). With them, runs started back to back were up to an eighth faster, but a
/// run started a few seconds after the last one, as a user or CI starts it, took half as long
/// again on the virtual machines racelens is measured on, and the peak memory of a
/// standard-library check rose from 153 MB to 242 MB (see docs/performance.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use racelens_syntax::{LineIndex, SyntaxError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Finds concurrency bugs in Go source code.
#[derive(Parser)]
#[command(name = "racelens", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check Go packages for concurrency bugs (like `go vet ./...`).
    Check(check::CheckArgs),
    /// List the checks.
    Rules,
    /// Print a check's documentation.
    Explain {
        /// The check's name, as `racelens rules` lists it.
        name: String,
    },
    /// Parse Go files and report syntax errors, with the parse time.
    Parse {
        /// Go files, or directories searched recursively for `.go` files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print each file's node dump (the format compared with go/parser's).
        #[arg(long)]
        dump: bool,
        /// Parse on this many threads; the time printed is then the wall time of the whole
        /// parallel parse rather than the sum of the files' parse times.
        #[arg(short = 'j', long, default_value_t = 1)]
        jobs: usize,
        /// Keep every tree until all files are parsed, as an analysis holds them (the time
        /// then includes fresh memory for every tree); by default each tree is dropped as
        /// soon as its file is parsed, and its memory reused.
        #[arg(long)]
        keep: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check::check_command(args),
        Command::Rules => check::rules_command(),
        Command::Explain { name } => check::explain_command(&name),
        Command::Parse {
            paths,
            dump,
            jobs,
            keep,
        } => parse_command(&paths, dump, jobs, keep),
    }
}

/// Expands the arguments to the files to parse: a file as given, a directory to its `.go`
/// files, recursively, sorted by path components (the order of Go's `filepath.WalkDir`) so
/// that output is the same on every machine.
fn discover(paths: &[PathBuf], problems: &mut Vec<String>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let mut found = Vec::new();
                walk_dir(path, &mut found, problems);
                found.sort();
                files.extend(found);
            }
            Ok(_) => files.push(path.clone()),
            Err(e) => problems.push(format!("{}: {e}", path.display())),
        }
    }
    files
}

fn walk_dir(dir: &Path, out: &mut Vec<PathBuf>, problems: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(format!("{}: {e}", dir.display()));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                problems.push(format!("{}: {e}", dir.display()));
                continue;
            }
        };
        let path = entry.path();
        // Symbolic links are followed for files but not for directories, so that a link
        // cycle cannot make the walk endless.
        let Ok(ty) = entry.file_type() else { continue };
        if ty.is_dir() {
            walk_dir(&path, out, problems);
        } else if path.extension().is_some_and(|e| e == "go") && path.is_file() {
            out.push(path);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Each slot holds bytes that are replaced whole.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// `path:line:col: message`, with go's 1-based line and byte column.
fn format_error(path: &Path, index: &LineIndex, error: &SyntaxError) -> String {
    let (line, col) = index.line_col(error.offset);
    format!("{}:{line}:{col}: {}", path.display(), error.message)
}

/// What one parse worker gives back: the syntax errors of each file it took (by index), and
/// the trees it kept.
type Parsed = (Vec<(usize, Vec<SyntaxError>)>, Vec<racelens_syntax::File>);

fn parse_command(paths: &[PathBuf], dump: bool, jobs: usize, keep: bool) -> ExitCode {
    let mut problems = Vec::new();
    let files = discover(paths, &mut problems);

    // Read everything first so that the timing below measures parsing, not the disk.
    let mut sources: Vec<(PathBuf, Vec<u8>)> = Vec::with_capacity(files.len());
    for path in files {
        match std::fs::read(&path) {
            Ok(src) => sources.push((path, src)),
            Err(e) => problems.push(format!("{}: {e}", path.display())),
        }
    }
    for p in &problems {
        eprintln!("{p}");
    }
    if sources.is_empty() {
        eprintln!("racelens: no Go file could be read");
        return ExitCode::from(2);
    }

    // Each tree keeps the bytes read as its source (`parse_owned`), as a check run does; the
    // bytes of a file with syntax errors come back for the report.
    let bytes: usize = sources.iter().map(|(_, src)| src.len()).sum();
    let (paths, inputs): (Vec<PathBuf>, Vec<Mutex<Vec<u8>>>) = sources
        .into_iter()
        .map(|(path, src)| (path, Mutex::new(src)))
        .unzip();
    let take = |i: usize| std::mem::take(&mut *lock(&inputs[i]));
    let give_back = |i: usize, file: &mut racelens_syntax::File| {
        *lock(&inputs[i]) = std::mem::take(&mut file.source).into_bytes();
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut errors_of: Vec<Vec<SyntaxError>> = Vec::with_capacity(paths.len());
    // With `keep`, the trees parsed so far, dropped once the time is taken.
    let mut kept: Vec<racelens_syntax::File> = Vec::new();
    let parse_time = if jobs > 1 && !dump {
        // Each thread takes the next file; the time is the wall time of the whole parallel
        // parse (dropping the trees included, as each thread is done with a file, unless
        // they are kept).
        let next = AtomicUsize::new(0);
        let start = Instant::now();
        let done: Vec<Parsed> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..jobs)
                .map(|_| {
                    scope.spawn(|| {
                        let (mut mine, mut trees) = (Vec::new(), Vec::new());
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            if i >= paths.len() {
                                break;
                            }
                            let (mut file, errors) = racelens_syntax::parse_owned(take(i));
                            if !errors.is_empty() {
                                give_back(i, &mut file);
                            }
                            mine.push((i, errors));
                            if keep {
                                trees.push(file);
                            }
                        }
                        (mine, trees)
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        let elapsed = start.elapsed();
        let mut indexed = Vec::with_capacity(paths.len());
        for (mine, trees) in done {
            indexed.extend(mine);
            kept.extend(trees);
        }
        indexed.sort_by_key(|(i, _)| *i);
        errors_of.extend(indexed.into_iter().map(|(_, e)| e));
        elapsed
    } else {
        let mut total = Duration::ZERO;
        for (i, path) in paths.iter().enumerate() {
            // Only the parse itself is timed; output and dropping the tree are not.
            let src = take(i);
            let start = Instant::now();
            let (mut file, errors) = racelens_syntax::parse_owned(src);
            total += start.elapsed();
            // Write errors (a closed pipe, say) end the output but not the count.
            if dump {
                let _ = writeln!(out, "== {}", path.display());
                let _ = out.write_all(racelens_syntax::dump::dump(&file).as_bytes());
            }
            if !errors.is_empty() {
                give_back(i, &mut file);
            }
            errors_of.push(errors);
            if keep {
                kept.push(file);
            }
        }
        total
    };
    drop(kept);
    let mut error_count = 0usize;
    for (i, (path, errors)) in paths.iter().zip(&errors_of).enumerate() {
        error_count += errors.len();
        if !errors.is_empty() {
            let index = LineIndex::new(&lock(&inputs[i]));
            for e in errors {
                let _ = writeln!(out, "{}", format_error(path, &index, e));
            }
        }
    }
    let secs = parse_time.as_secs_f64();
    let rate = if secs > 0.0 {
        bytes as f64 / 1e6 / secs
    } else {
        0.0
    };
    let _ = writeln!(
        out,
        "{} files, {bytes} bytes, {error_count} syntax errors, parsed in {:.1} ms ({rate:.1} MB/s)",
        paths.len(),
        secs * 1e3,
    );
    let _ = out.flush();
    if error_count > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_use_one_based_lines_and_byte_columns() {
        let src = "package p\n\nfunc é() {\n\tx :=\n}\n";
        let index = LineIndex::new(src.as_bytes());
        let error = SyntaxError {
            offset: src.find(":=").unwrap() as u32 + 2,
            message: "expected operand, found newline".to_string(),
        };
        assert_eq!(
            format_error(Path::new("dir/a.go"), &index, &error),
            "dir/a.go:4:6: expected operand, found newline"
        );
        // Columns count bytes, like go/token: `é` is two bytes.
        let after = SyntaxError {
            offset: src.find("()").unwrap() as u32,
            message: "m".to_string(),
        };
        assert_eq!(
            format_error(Path::new("a.go"), &index, &after),
            "a.go:3:8: m"
        );
    }
}
