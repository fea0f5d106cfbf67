//! `racelens check`: configuration, discovery, the run, rendering, the summary and the exit
//! code. The only place that decides what the terminal sees.

use clap::{Args, ValueEnum};
use racelens_checks::{Check, REGISTRY};
use racelens_diagnostics::CheckInfo;
use racelens_render::{github, json, sarif, text};
use racelens_workspace::load::{Loader, LoaderOptions};
use racelens_workspace::run::{run, select_checks, RunOptions, RunOutput};
use racelens_workspace::{discover, find_config, load_config, Config, DiscoverOptions, GoVersion};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Eq, Debug, ValueEnum)]
pub enum Format {
    /// go vet's `path:line:col: message (check)`, with related locations and help.
    Text,
    /// A stable JSON document (docs/json-schema.md).
    Json,
    /// SARIF 2.1.0, as GitHub code scanning reads it.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Go package patterns or paths: `./...`, `dir/...`, directories, files. Default `./...`.
    pub patterns: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Show the source line under each report (default: when stdout is a terminal).
    #[arg(long, overrides_with = "no_show_source")]
    pub show_source: bool,
    /// Never show source lines.
    #[arg(long)]
    pub no_show_source: bool,
    /// Exit with 0 even when there are findings.
    #[arg(long)]
    pub exit_zero: bool,
    /// The configuration file (default: racelens.toml found upward from the working directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any racelens.toml.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Checks or categories to run, comma-separated (replaces the config's `select`).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub select: Option<Vec<String>>,
    /// Checks or categories to leave out, comma-separated (added to the config's `ignore`).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub ignore: Vec<String>,
    /// Build tags, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub tags: Vec<String>,
    /// Target operating system for build constraints (default linux).
    #[arg(long)]
    pub goos: Option<String>,
    /// Target architecture for build constraints (default amd64).
    #[arg(long)]
    pub goarch: Option<String>,
    /// Go language version for code outside any module, e.g. `1.21`.
    #[arg(long, value_name = "VERSION")]
    pub go: Option<String>,
    /// Also analyse generated files (`// Code generated ... DO NOT EDIT.`).
    #[arg(long)]
    pub include_generated: bool,
    /// Leave out `_test.go` files.
    #[arg(long)]
    pub no_tests: bool,
    /// Worker threads (default: the number of cores).
    #[arg(short = 'j', long)]
    pub threads: Option<usize>,
    /// No summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print the files that would be analysed, one per line, and exit.
    #[arg(long)]
    pub list_files: bool,
    /// Print where the time went to stderr: each phase of the run, and the packages that
    /// took longest to check.
    #[arg(long)]
    pub timings: bool,
}

/// A usage or configuration error: printed, exit code 2.
fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("racelens: {message}");
    ExitCode::from(2)
}

pub fn check_command(args: CheckArgs) -> ExitCode {
    let started = Instant::now();
    let cwd = match std::env::current_dir().and_then(|d| d.canonicalize()) {
        Ok(d) => d,
        Err(e) => return fail(format!("cannot read the working directory: {e}")),
    };

    let config = match load(&args, &cwd) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut opts = DiscoverOptions::default();
    if let Some(config) = &config {
        config.apply(&mut opts);
    }
    if !args.tags.is_empty() {
        opts.target.tags = args.tags.clone();
    }
    if let Some(goos) = &args.goos {
        opts.target.goos = goos.clone();
    }
    if let Some(goarch) = &args.goarch {
        opts.target.goarch = goarch.clone();
    }
    if let Some(v) = &args.go {
        match GoVersion::parse(v) {
            Some(v) => opts.go = Some(v),
            None => {
                return fail(format!(
                    "invalid Go version `{v}` for --go (expected e.g. 1.21)"
                ))
            }
        }
    }
    if args.include_generated {
        opts.include_generated = true;
    }
    if args.no_tests {
        opts.tests = false;
    }
    // The run parses the files discovery reads the headers of: read once, they are kept.
    opts.read_contents = !args.list_files;

    let select: Option<Vec<String>> = args.select.clone().or_else(|| {
        config
            .as_ref()
            .and_then(|c| c.select.as_ref())
            .map(|s| s.iter().map(|l| l.value.clone()).collect())
    });
    let mut ignore: Vec<String> = config
        .as_ref()
        .map(|c| c.ignore.iter().map(|l| l.value.clone()).collect())
        .unwrap_or_default();
    ignore.extend(args.ignore.iter().cloned());
    let checks: Vec<&'static Check> = match select_checks(select.as_deref(), &ignore) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };

    let patterns = if args.patterns.is_empty() {
        vec!["./...".to_string()]
    } else {
        args.patterns.clone()
    };
    if !args.list_files {
        // The loader asks `go env GOROOT` (a few milliseconds of another process) once
        // discovery is done; asked now, on a thread of its own, the answer is ready by then.
        std::thread::spawn(|| {
            racelens_workspace::load::detect_goroot();
        });
    }
    let discovery = Instant::now();
    let workspace = discover(&cwd, &patterns, &opts);
    let discovery = discovery.elapsed();
    for p in &workspace.problems {
        eprintln!("racelens: {p}");
    }
    if args.list_files {
        let mut out = String::new();
        for f in workspace.packages.iter().flat_map(|p| &p.files) {
            out.push_str(&racelens_workspace::run::display_path(&f.path, &cwd));
            out.push('\n');
        }
        print!("{out}");
        return ExitCode::SUCCESS;
    }

    let progress_enabled = std::io::stderr().is_terminal() && !args.quiet;
    let progress = |done: usize, total: usize| {
        if total >= 20 {
            eprint!("\r\x1b[2Kracelens: checking packages {done}/{total}");
        }
    };
    let per_file = |path: &Path| -> Vec<String> {
        config
            .as_ref()
            .map(|c| {
                c.per_file_ignored(path)
                    .into_iter()
                    .map(|l| l.value.clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    // Imports come from source: GOROOT, the module, go.work, vendor, the module cache, and
    // the embedded models of the standard library's concurrency APIs.
    let loader = Loader::new(LoaderOptions::for_workspace(&workspace, &opts));
    let output = run(
        &workspace,
        &RunOptions {
            importer: Some(&loader),
            checks: checks.clone(),
            cwd: cwd.clone(),
            threads,
            per_file_ignores: Some(&per_file),
            progress: if progress_enabled {
                Some(&progress)
            } else {
                None
            },
        },
    );
    if progress_enabled && workspace.packages.len() >= 20 {
        eprint!("\r\x1b[2K");
    }
    for p in &output.problems {
        eprintln!("racelens: {p}");
    }

    let stdout_terminal = std::io::stdout().is_terminal();
    let show_source = if args.no_show_source {
        false
    } else {
        args.show_source || stdout_terminal
    };
    let infos: Vec<CheckInfo> = REGISTRY.iter().map(|c| c.info).collect();
    let rendering = Instant::now();
    let rendered = match args.format {
        Format::Text => text::render(
            &output.diagnostics,
            &output.sources,
            &text::TextOptions {
                code_frame: show_source,
                color: stdout_terminal && std::env::var_os("NO_COLOR").is_none(),
            },
        ),
        Format::Json => json::render(&output.diagnostics),
        Format::Sarif => sarif::render(
            &output.diagnostics,
            &infos,
            &output.sources,
            &sarif::SarifOptions {
                tool_version: env!("CARGO_PKG_VERSION"),
                information_uri: None,
                srcroot: None,
            },
        ),
        Format::Github => github::render(&output.diagnostics, &output.sources),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(rendered.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        // A closed pipe (`racelens check | head`) is not an error worth a message.
        return ExitCode::from(2);
    }
    if args.timings {
        eprint!(
            "{}",
            timings(started.elapsed(), discovery, &output, rendering.elapsed())
        );
    }

    let findings = output
        .diagnostics
        .iter()
        .filter(|d| d.category != racelens_diagnostics::Category::Syntax)
        .count();
    if !args.quiet {
        let mut by_check: BTreeMap<&str, usize> = BTreeMap::new();
        for d in output
            .diagnostics
            .iter()
            .filter(|d| d.category != racelens_diagnostics::Category::Syntax)
        {
            *by_check.entry(d.check).or_default() += 1;
        }
        let skipped: usize = workspace.packages.iter().map(|p| p.skipped.len()).sum();
        let detail: Vec<String> = by_check.iter().map(|(c, n)| format!("{n} {c}")).collect();
        eprintln!(
            "racelens: {} files ({:.1} MB) analysed, {} skipped; {} findings{}; {} syntax errors; {:.2}s",
            output.files,
            output.bytes as f64 / 1e6,
            skipped,
            findings,
            if detail.is_empty() { String::new() } else { format!(" ({})", detail.join(", ")) },
            output.syntax_errors,
            started.elapsed().as_secs_f64(),
        );
    }

    let problems = !workspace.problems.is_empty() || !output.problems.is_empty();
    if output.files == 0 && problems {
        return ExitCode::from(2);
    }
    if !output.diagnostics.is_empty() && !args.exit_zero {
        return ExitCode::from(1);
    }
    if problems {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

/// Loads the configuration named by `--config`, or found upward from the working directory,
/// and validates its check names against the registry.
fn load(args: &CheckArgs, cwd: &Path) -> Result<Option<Config>, ExitCode> {
    if args.no_config {
        return Ok(None);
    }
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => find_config(cwd),
    };
    let Some(path) = path else {
        return Ok(None);
    };
    let config = load_config(&path).map_err(fail)?;
    for name in config.check_names() {
        let known = name.value == "all"
            || name.value.parse::<racelens_diagnostics::Category>().is_ok()
            || racelens_checks::find(&name.value).is_some();
        if !known {
            return Err(fail(config.error_at(
                name,
                format!("unknown check or category \"{}\"", name.value),
            )));
        }
    }
    Ok(Some(config))
}

/// `racelens rules`: one line per check.
pub fn rules_command() -> ExitCode {
    let width = REGISTRY
        .iter()
        .map(|c| c.info.name.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for c in REGISTRY {
        out.push_str(&format!(
            "{:width$}  {:11}  {}\n",
            c.info.name,
            c.info.category.as_str(),
            c.info.summary
        ));
    }
    print!("{out}");
    ExitCode::SUCCESS
}

/// `racelens explain NAME`: a check's documentation.
pub fn explain_command(name: &str) -> ExitCode {
    match racelens_checks::find(name) {
        Some(c) => {
            print!("{}", racelens_checks::docs::page(c));
            ExitCode::SUCCESS
        }
        None => fail(format!(
            "unknown check `{name}`; `racelens rules` lists them"
        )),
    }
}

/// The report of `--timings`: the phases in order, each with its wall time, what the phases
/// leave out (reading the configuration, setting up the loader) as the rest of the total since
/// the command started, and the packages that took longest to check, each on one worker.
fn timings(
    total: Duration,
    discovery: Duration,
    output: &RunOutput,
    rendering: Duration,
) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mut phases = vec![("discovery", discovery)];
    phases.extend(output.phases.iter().copied());
    phases.push(("rendering", rendering));
    let listed: Duration = phases.iter().map(|&(_, d)| d).sum();
    phases.push((
        "the rest (configuration, setup)",
        total.saturating_sub(listed),
    ));
    let mut out = String::from("racelens: timings (wall)\n");
    for (name, d) in &phases {
        out.push_str(&format!("  {name:<34} {:>9.1} ms\n", ms(*d)));
    }
    out.push_str(&format!("  {:<34} {:>9.1} ms\n", "total", ms(total)));
    if !output.package_times.is_empty() {
        out.push_str("  slowest packages to check (each on one worker):\n");
        for (name, d) in output.package_times.iter().take(SLOWEST) {
            out.push_str(&format!("    {name:<40} {:>9.1} ms\n", ms(*d)));
        }
    }
    out
}

/// How many of the slowest packages `--timings` lists.
const SLOWEST: usize = 10;
