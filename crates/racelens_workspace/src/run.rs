//! The analysis run: discovered packages are read and parsed in parallel, then resolved and
//! checked in parallel (a workspace package imported by another is served its parsed files,
//! not read again); suppression comments and per-file ignores are applied; the result is
//! sorted, so it is the same for any number of threads.

use crate::discover::{is_go_file_name, Package, SkipReason, Workspace};
use crate::overlay::Overlay;
use crate::summaries::{Store, Unit};
use crate::suppression::{self, Directive};
use racelens_checks::{Check, FileCx, PackageCx, REGISTRY};
use racelens_diagnostics::{Category, Diagnostic, Location, Position};
use racelens_model::summary::SummarySource;
use racelens_semantic::import::{Importer, NoImports, SourcePackage};
use racelens_semantic::types::{Loaded, PackageCache, Program};
use racelens_syntax::ast::SpecKind;
use racelens_syntax::{File, LineIndex};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Check names and categories ignored for a file (from `per-file-ignores`).
pub type PerFileIgnores<'a> = &'a (dyn Fn(&Path) -> Vec<String> + Sync);

/// What to run and how.
pub struct RunOptions<'a> {
    /// The checks to run (see [`select_checks`]). Syntax errors are always reported.
    pub checks: Vec<&'static Check>,
    /// The working directory: reported paths are relative to it when inside it.
    pub cwd: PathBuf,
    /// Worker threads (at least one).
    pub threads: usize,
    pub per_file_ignores: Option<PerFileIgnores<'a>>,
    /// Called after each package with the number of packages done and the total.
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
    /// Where imported packages come from (normally a [`crate::load::Loader`]); without one,
    /// everything imported is `Unknown` to the type checker.
    pub importer: Option<&'a dyn Importer>,
}

/// What a run found.
#[derive(Debug, Default)]
pub struct RunOutput {
    /// Every report, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The source of every file that has a report, by reported path (for code frames and
    /// SARIF columns).
    pub sources: BTreeMap<String, Vec<u8>>,
    pub files: usize,
    pub bytes: u64,
    pub syntax_errors: usize,
    /// Files that could not be read, as `path: message`.
    pub problems: Vec<String>,
    /// Where the run's wall time went, phase by phase, in order (`racelens check --timings`).
    pub phases: Vec<(&'static str, Duration)>,
    /// How long checking each package took (its import path, `_test` for the external test
    /// package split off a directory), longest first: each runs on one worker.
    pub package_times: Vec<(String, Duration)>,
}

/// Resolves `select` and `ignore` lists (check names, category names or `all`) to the checks
/// to run. Without `select`, every check but the nursery runs. Unknown names are an error
/// naming them.
pub fn select_checks(
    select: Option<&[String]>,
    ignore: &[String],
) -> Result<Vec<&'static Check>, String> {
    let matches = |name: &str, check: &Check| {
        name == "all" || name == check.info.name || name == check.info.category.as_str()
    };
    for name in select.unwrap_or(&[]).iter().chain(ignore) {
        if !REGISTRY.iter().any(|c| matches(name, c)) && !is_category(name) {
            return Err(format!("unknown check or category `{name}`"));
        }
    }
    Ok(REGISTRY
        .iter()
        .copied()
        .filter(|c| match select {
            Some(list) => list.iter().any(|n| matches(n, c)),
            None => c.info.category != Category::Nursery,
        })
        .filter(|c| !ignore.iter().any(|n| matches(n, c)))
        .collect())
}

fn is_category(name: &str) -> bool {
    name.parse::<Category>().is_ok()
}

/// Runs the checks on every package of `workspace`: first every package is read and parsed
/// (in parallel), then each is checked (in parallel). A package's non-test files, parsed in
/// full, are what the type checker gets when another package of the workspace imports it,
/// so that each file is parsed once per run.
pub fn run(workspace: &Workspace, opts: &RunOptions<'_>) -> RunOutput {
    let total = workspace.packages.len();
    let threads = opts.threads.max(1).min(total.max(1));
    // Imports are read only when some check needs types.
    let needs_types = opts.checks.iter().any(|c| c.run.is_some() && c.needs_types);
    // The names of the selected checks, computed once for every file's suppression pass.
    let enabled: HashSet<&str> = opts.checks.iter().map(|c| c.info.name).collect();
    // Imported packages, resolved once for all workers.
    let cache = PackageCache::new();
    let Some(inner) = opts.importer.filter(|_| needs_types) else {
        // Nothing is imported: each package is read, parsed and checked in one go, and its
        // trees are dropped before the next, instead of keeping every tree of the run.
        let env = Env {
            opts,
            enabled: &enabled,
            importer: &NoImports,
            cache: &cache,
            summaries: None,
            imported: &HashSet::new(),
        };
        let done = AtomicUsize::new(0);
        let start = Instant::now();
        let results = parallel(threads, &workspace.packages, |_, pkg| {
            let mut out = RunOutput::default();
            let read = read_package(pkg, opts, false);
            timed_check(pkg, read, &env, &mut out);
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(progress) = opts.progress {
                progress(n, total);
            }
            out
        });
        let mut out = merge(results);
        out.phases = vec![("reading, parsing and checking", start.elapsed())];
        return out;
    };
    let mut phases = Vec::new();
    let mut phase = Instant::now();
    let mut lap = |name: &'static str| {
        let now = Instant::now();
        phases.push((name, now - phase));
        phase = now;
    };
    let mut read: Vec<ReadPackage> = parallel(threads, &workspace.packages, |_, pkg| {
        read_package(pkg, opts, true)
    });
    lap("reading and parsing");
    let (imported, imported_by_spawners) = imported_paths(&read);
    // A package with generated files is served parsed only when some file of the run may
    // import it (by import path): else its trees would be kept for nobody until the run
    // ends. One reached by another path is read by the loader, as it always was.
    let mut pending: Vec<(&Package, Mutex<&mut ReadPackage>)> = workspace
        .packages
        .iter()
        .zip(read.iter_mut())
        .filter(|(p, r)| {
            !r.generated.is_empty() && crate::summaries::is_imported(&imported, &p.import_path)
        })
        .map(|(p, r)| (p, Mutex::new(r)))
        .collect();
    // Largest first: one package can hold most of the generated bytes (the standard
    // library's time zone data, 1.4 MB), and the others then fill the other threads instead
    // of waiting behind it at the end.
    pending.sort_by_cached_key(|(_, r)| {
        let r = r.lock().unwrap_or_else(|e| e.into_inner());
        let bytes: u64 = r
            .generated
            .iter()
            .filter_map(|g| std::fs::metadata(g).ok())
            .map(|m| m.len())
            .sum();
        std::cmp::Reverse(bytes)
    });
    parallel(threads, &pending, |_, (pkg, r)| {
        let mut r = r.lock().unwrap_or_else(|e| e.into_inner());
        serve_generated(pkg, &mut r, &opts.cwd);
    });
    drop(pending);
    lap("packages with generated files");
    let overlay = Overlay::new(
        inner,
        workspace
            .packages
            .iter()
            .zip(&read)
            .filter_map(|(p, r)| Some((p.dir.clone(), r.lib.clone()?))),
    );
    let importer: &dyn Importer = &overlay;
    // The summaries of the workspace's packages, for the models of their importers. A
    // package served with generated files has none, as when the loader read it: the
    // generated files' bodies are not parsed, so a summary would leave out what they do
    // (and giving these packages summaries would change what their importers report).
    let store = {
        let units = workspace
            .packages
            .iter()
            .zip(&read)
            .filter(|(_, r)| !r.lib_generated)
            .filter_map(|(p, r)| {
                Some(Unit {
                    path: p.import_path.clone(),
                    src: r.lib.clone()?,
                    dir: p.dir.clone(),
                    paths: r.lib_paths.clone(),
                })
            })
            .collect();
        Store::new(&overlay, &cache, units, imported_by_spawners)
    };
    let summaries: Option<&dyn SummarySource> = Some(&store);
    // Dependencies first, so that their summaries tend to be ready when asked for.
    let index: HashMap<&str, usize> = workspace
        .packages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.import_path.as_str(), i))
        .collect();
    let by_path = ByPath::new(&index);
    let units: Vec<usize> = store
        .order()
        .filter_map(|p| index.get(p).copied())
        .collect();
    // External test packages are checked apart, among the packages nobody waits for.
    let external: Vec<Mutex<Option<ReadPackage>>> = read
        .iter_mut()
        .map(|r| Mutex::new(split_external(r)))
        .collect();
    let sizes: Vec<(u64, u64)> = read
        .iter()
        .zip(&external)
        .map(|(r, x)| {
            let x = x.lock().unwrap_or_else(|e| e.into_inner());
            (r.out.bytes, x.as_ref().map_or(0, |x| x.out.bytes))
        })
        .collect();
    // What each directory imports and whether it may start goroutines: for the order of the
    // checks, and for what each waits for.
    let imports: Vec<(&[String], bool)> = read.iter().map(|r| (&r.imports[..], r.spawns)).collect();
    let units = after_test_imports(&units, &imports, &by_path);
    let order = check_order(&units, &sizes);
    // The first packages checked all import the same few packages (on the standard
    // library, `runtime` takes 12-20 ms to resolve, twice as long as any other): resolved by
    // whichever worker needs one first while the others wait, they would leave cores idle.
    // They are resolved first instead, largest first, one task each, so that every worker
    // has one to do; each is wanted soon by the checks of the packages importing it.
    let hubs: Vec<(&Package, Arc<SourcePackage>)> = if threads > 1 {
        let paths: Vec<&str> = workspace
            .packages
            .iter()
            .map(|p| p.import_path.as_str())
            .collect();
        let sizes: Vec<Option<usize>> = read
            .iter()
            .map(|r| Some(r.lib.as_ref()?.files.iter().map(|f| f.source.len()).sum()))
            .collect();
        let spawners: Vec<&[String]> = imports
            .iter()
            .filter(|&&(_, spawns)| spawns)
            .map(|&(lits, _)| lits)
            .collect();
        hubs(&paths, &sizes, &spawners, HUBS)
            .into_iter()
            .filter_map(|i| Some((&workspace.packages[i], read[i].lib.clone()?)))
            .collect()
    } else {
        Vec::new()
    };
    let tasks: Vec<Task<'_>> = hubs
        .iter()
        .map(|&(pkg, ref src)| Task::Resolve(pkg, src))
        .chain(order.iter().map(|&(i, external)| {
            if external {
                Task::External(i)
            } else {
                Task::Check(i)
            }
        }))
        .collect();
    // A task is taken in this order, but a check that may ask for summaries waits, while
    // another task is ready, for the checks that provide them (`task_dependencies`).
    let after = task_dependencies(&tasks, &imports, &by_path);
    drop(imports);
    lap("preparing the checks");
    let done = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<ReadPackage>>> =
        read.drain(..).map(|r| Mutex::new(Some(r))).collect();
    let env = Env {
        opts,
        enabled: &enabled,
        importer,
        cache: &cache,
        summaries,
        imported: &imported,
    };
    let results = parallel_after(threads, &tasks, &after, |_, task| {
        let i = match *task {
            Task::Resolve(pkg, src) => {
                cache.for_check(&pkg.import_path, src.clone(), importer, &pkg.dir);
                return RunOutput::default();
            }
            Task::External(i) => {
                let mut out = RunOutput::default();
                if let Some(r) = external[i].lock().unwrap_or_else(|e| e.into_inner()).take() {
                    timed_check(&workspace.packages[i], r, &env, &mut out);
                }
                return out;
            }
            Task::Check(i) => i,
        };
        let pkg = &workspace.packages[i];
        let taken = slots[i].lock().unwrap_or_else(|e| e.into_inner()).take();
        let mut out = RunOutput::default();
        if let Some(r) = taken {
            timed_check(pkg, r, &env, &mut out);
        }
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(progress) = opts.progress {
            progress(n, total);
        }
        out
    });
    // Freeing the trees of every package takes tens of milliseconds on the standard
    // library, and the summaries and the overlay's memos a few more, and nothing needs it
    // done: it happens on a thread of its own, which a command that exits next does not
    // wait for.
    let owned = (store.into_owned(), overlay.into_owned());
    std::thread::spawn(move || drop((owned, cache)));
    lap("checking");
    let mut out = merge(results);
    out.phases = phases;
    out
}

/// How many of the packages that the most others import are resolved before any check
/// starts (`hubs`): on the standard library, enough for the other worker to be busy while
/// one resolves `runtime` (with 8, it still waited for it in three runs of three; with 16, in
/// one of three; with 48, in none).
const HUBS: usize = 48;

/// A task of the check phase.
enum Task<'u> {
    /// Resolve a package of the workspace (as importers see it) that many others import.
    Resolve(&'u Package, &'u Arc<SourcePackage>),
    /// Check the package at this index of the workspace.
    Check(usize),
    /// Check the external test packages split off the package at this index.
    External(usize),
}

/// Up to `n` packages of the workspace that the most packages starting goroutines import
/// (by any file), at least two, largest first, by index: the packages that the checks of
/// those importers, starting together, would all wait for while one of them resolves each.
/// `paths` and `sizes` are per package (the import path, and the bytes of the source
/// importers see, `None` when the package is not importable); `spawner_imports` are the
/// import paths of each package that starts goroutines.
fn hubs(
    paths: &[&str],
    sizes: &[Option<usize>],
    spawner_imports: &[&[String]],
    n: usize,
) -> Vec<usize> {
    let mut importers: HashMap<&str, usize> = HashMap::new();
    for lit in spawner_imports.iter().copied().flatten() {
        *importers.entry(lit).or_default() += 1;
    }
    let count = |path: &str| {
        importers
            .get(path)
            .or_else(|| importers.get(crate::summaries::below_vendor(path)?))
            .copied()
            .unwrap_or(0)
    };
    let mut hubs: Vec<(usize, usize, usize)> = (0..paths.len())
        .filter_map(|i| Some((count(paths[i]), sizes[i]?, i)))
        .filter(|&(c, _, _)| c > 1)
        .collect();
    hubs.sort_by_key(|&(c, _, i)| (std::cmp::Reverse(c), paths[i]));
    hubs.truncate(n);
    hubs.sort_by_key(|&(_, bytes, i)| (std::cmp::Reverse(bytes), paths[i]));
    hubs.into_iter().map(|(_, _, i)| i).collect()
}

/// The order in which packages are checked: first the packages with summaries, in the
/// order of `units` (the store's, each after those it imports, refined by
/// `after_test_imports`, so that their summaries, which their own checks provide, tend to
/// be ready when asked for); then the others, which
/// nobody waits for, the largest first: among them are some of the run's largest
/// (`runtime`, `net/http`), and the run should not end on one of them checked by one thread
/// while the others wait. `sizes` are per package: the bytes of its own files, and of the
/// external test packages split off it (`split_external`), which are checked among the
/// others, `true` in the order (0 bytes: there are none). Checked with their directory's
/// package, early, external tests asked for the summaries of packages they import whose own
/// checks came later and would have provided them from their type check; computed for the
/// asker instead, those summaries cost a second type check each.
fn check_order(units: &[usize], sizes: &[(u64, u64)]) -> Vec<(usize, bool)> {
    let mut placed = vec![false; sizes.len()];
    let mut order: Vec<(usize, bool)> = units
        .iter()
        .copied()
        .filter(|&i| !std::mem::replace(&mut placed[i], true))
        .map(|i| (i, false))
        .collect();
    let mut rest: Vec<(u64, (usize, bool))> = (0..sizes.len())
        .filter(|&i| !placed[i])
        .map(|i| (sizes[i].0, (i, false)))
        .chain(
            (0..sizes.len())
                .filter(|&i| sizes[i].1 > 0)
                .map(|i| (sizes[i].1, (i, true))),
        )
        .collect();
    rest.sort_by_key(|&(bytes, _)| std::cmp::Reverse(bytes));
    order.extend(rest.into_iter().map(|(_, task)| task));
    order
}

/// Moves the files of `r` that form external test packages (`p_test` beside `p`, grouped by
/// package name as `check_package` groups them) into a package of their own, checked apart,
/// with their count and bytes; `None` when the directory holds one package name only, or no
/// external test package.
fn split_external(r: &mut ReadPackage) -> Option<ReadPackage> {
    let names: Vec<String> = r
        .parsed
        .iter()
        .map(|p| package_name_of(p, r.lib.as_deref()).into_owned())
        .collect();
    let distinct: HashSet<&str> = names.iter().map(String::as_str).collect();
    if distinct.len() < 2 || !distinct.iter().any(|n| n.ends_with("_test")) {
        return None;
    }
    let mut out = RunOutput::default();
    let mut parsed = Vec::new();
    for (p, name) in std::mem::take(&mut r.parsed).into_iter().zip(names) {
        if name.ends_with("_test") {
            let bytes = match (&p.file, &p.pending) {
                (Some(f), _) => f.source.len(),
                (None, Some(src)) => src.len(),
                _ => 0,
            } as u64;
            out.files += 1;
            out.bytes += bytes;
            r.out.files -= 1;
            r.out.bytes -= bytes;
            parsed.push(p);
        } else {
            r.parsed.push(p);
        }
    }
    Some(ReadPackage {
        parsed,
        out,
        lib: None,
        lib_paths: Vec::new(),
        lib_generated: false,
        generated: Vec::new(),
        imports: Vec::new(),
        spawns: false,
        external: true,
    })
}

/// The name in the package clause of `p`, whose tree may be in `lib` or not parsed yet
/// (`racelens_syntax::package_name` gives what the parse would); empty when there is none.
fn package_name_of<'p>(p: &'p Parsed, lib: Option<&'p SourcePackage>) -> Cow<'p, str> {
    match (&p.file, p.lib, lib, &p.pending) {
        (Some(f), _, _, _) => Cow::Borrowed(f.package_name()),
        (None, Some(k), Some(lib), _) => Cow::Borrowed(lib.files[k].package_name()),
        (None, _, _, Some(src)) => {
            Cow::Owned(racelens_syntax::package_name(src).unwrap_or_default())
        }
        _ => Cow::Borrowed(""),
    }
}

/// The packages' results as one, sorted (so that it is the same for any number of threads).
fn merge(results: Vec<RunOutput>) -> RunOutput {
    let mut out = RunOutput::default();
    for r in results {
        out.diagnostics.extend(r.diagnostics);
        out.sources.extend(r.sources);
        out.files += r.files;
        out.bytes += r.bytes;
        out.syntax_errors += r.syntax_errors;
        out.problems.extend(r.problems);
        out.package_times.extend(r.package_times);
    }
    out.diagnostics.sort();
    out.problems.sort();
    out.package_times
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Checks `pkg`, noting how long it took in `out.package_times` (under its import path, with
/// `_test` for the external test packages split off it).
fn timed_check(pkg: &Package, read: ReadPackage, env: &Env<'_, '_>, out: &mut RunOutput) {
    let name = if read.external {
        format!("{}_test", pkg.import_path)
    } else {
        pkg.import_path.clone()
    };
    let start = Instant::now();
    check_package(pkg, read, env, out);
    out.package_times.push((name, start.elapsed()));
}

/// Runs `work` on every item on `threads` workers, taken in order; the results in item
/// order.
pub(crate) fn parallel<T: Sync, R: Send>(
    threads: usize,
    items: &[T],
    work: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    parallel_after(threads, items, &vec![Vec::new(); items.len()], work)
}

/// For each task of the check phase, the earlier tasks it had better follow: when its
/// package may start goroutines (`imports[i].1`, from any file of its directory), the checks
/// of the workspace packages its directory imports (`imports[i].0`), and, for an external
/// test package, its own package's. Its model asks for those packages' summaries, which
/// their own checks provide from their type checks; asked while such a check still runs on
/// another worker, or before it starts, a summary is computed again: a second type check of
/// the package (on etcd, 27 of the 32 ms that computing summaries took with two workers).
/// Only earlier tasks count, so that no task waits for a later one; the store orders the
/// packages with summaries after those they import.
fn task_dependencies(
    tasks: &[Task<'_>],
    imports: &[(&[String], bool)],
    by_path: &ByPath<'_>,
) -> Vec<Vec<usize>> {
    let mut check_at: HashMap<usize, usize> = HashMap::new();
    for (t, task) in tasks.iter().enumerate() {
        if let Task::Check(i) = *task {
            check_at.insert(i, t);
        }
    }
    tasks
        .iter()
        .enumerate()
        .map(|(t, task)| {
            let mut deps: Vec<usize> = match *task {
                Task::Check(i) | Task::External(i) if imports[i].1 => imports[i]
                    .0
                    .iter()
                    .flat_map(|lit| by_path.packages(lit))
                    .chain([i])
                    .filter_map(|j| check_at.get(&j).copied())
                    .collect(),
                _ => Vec::new(),
            };
            deps.retain(|&d| d < t);
            deps.sort_unstable();
            deps.dedup();
            deps
        })
        .collect()
}

/// The workspace's packages by the import path a file writes: their own, or for a package
/// vendored in GOROOT, the path below `vendor/`.
struct ByPath<'a> {
    index: &'a HashMap<&'a str, usize>,
    vendored: HashMap<&'a str, Vec<usize>>,
}

impl<'a> ByPath<'a> {
    fn new(index: &'a HashMap<&'a str, usize>) -> ByPath<'a> {
        let mut vendored: HashMap<&str, Vec<usize>> = HashMap::new();
        for (&path, &i) in index {
            if let Some(below) = crate::summaries::below_vendor(path) {
                vendored.entry(below).or_default().push(i);
            }
        }
        for v in vendored.values_mut() {
            v.sort_unstable();
        }
        ByPath { index, vendored }
    }

    fn packages(&self, lit: &str) -> impl Iterator<Item = usize> + '_ {
        let vendored = self.vendored.get(lit).map_or(&[][..], |v| &v[..]);
        self.index
            .get(lit)
            .copied()
            .into_iter()
            .chain(vendored.iter().copied())
    }
}

/// `units` (package indices, each after the packages its non-test files import) reordered
/// so that a package also comes after those its test files import, where that makes no
/// cycle: the packages are taken by strongly connected component of the graph of all their
/// imports, the components dependencies first, each in the order of `units` (which keeps
/// the non-test imports first inside a component). A package imported by the tests of an
/// earlier one (a test helper) is then checked first, and provides its summary instead of
/// having it computed for the tests (`task_dependencies`).
fn after_test_imports(
    units: &[usize],
    imports: &[(&[String], bool)],
    by_path: &ByPath<'_>,
) -> Vec<usize> {
    let at: HashMap<usize, usize> = units.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    let edges: Vec<Vec<usize>> = units
        .iter()
        .map(|&i| {
            let mut out: Vec<usize> = imports[i]
                .0
                .iter()
                .flat_map(|lit| by_path.packages(lit))
                .filter_map(|j| at.get(&j).copied())
                .filter(|&k| units[k] != i)
                .collect();
            out.sort_unstable();
            out.dedup();
            out
        })
        .collect();
    // Components are numbered importers first.
    let (component, _) = crate::summaries::components(&edges);
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by_key(|&k| (std::cmp::Reverse(component[k]), k));
    order.into_iter().map(|k| units[k]).collect()
}

/// `parallel`, except that a worker takes the first item (in order) whose dependencies
/// (`after[i]`, indices of items) are all done, and only when none is, the first item not
/// started: an item waits for others only while there is something else to do.
fn parallel_after<T: Sync, R: Send>(
    threads: usize,
    items: &[T],
    after: &[Vec<usize>],
    work: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    struct Queue {
        ready: std::collections::BTreeSet<usize>,
        waiting: std::collections::BTreeSet<usize>,
        pending: Vec<usize>,
        followers: Vec<Vec<usize>>,
    }
    let mut q = Queue {
        ready: Default::default(),
        waiting: Default::default(),
        pending: after.iter().map(Vec::len).collect(),
        followers: vec![Vec::new(); items.len()],
    };
    for (i, deps) in after.iter().enumerate() {
        for &d in deps {
            q.followers[d].push(i);
        }
        if deps.is_empty() {
            q.ready.insert(i);
        } else {
            q.waiting.insert(i);
        }
    }
    let queue = Mutex::new(q);
    let results: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            // Each worker keeps its results and hands them over once.
            scope.spawn(|| {
                let mut mine = Vec::new();
                loop {
                    let next = {
                        let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                        q.ready.pop_first().or_else(|| q.waiting.pop_first())
                    };
                    let Some(i) = next else {
                        break;
                    };
                    mine.push((i, work(i, &items[i])));
                    let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                    let Queue {
                        ready,
                        waiting,
                        pending,
                        followers,
                    } = &mut *q;
                    for &f in &followers[i] {
                        pending[f] -= 1;
                        if pending[f] == 0 && waiting.remove(&f) {
                            ready.insert(f);
                        }
                    }
                }
                results
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend(mine);
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// One parsed file of a package.
struct Parsed {
    /// The path reports show.
    path: String,
    abs_path: PathBuf,
    /// Moved into its package's `SourcePackage` for checking.
    file: Option<File>,
    /// The source of a test file not parsed yet: it is parsed when its package is checked.
    pending: Option<Vec<u8>>,
    /// Where the file is in the package's importable `SourcePackage`, if it is there.
    lib: Option<usize>,
    is_test: bool,
    /// Built on first use (a report, a suppression comment, a syntax error): most files of
    /// a run need none.
    lines: OnceLock<LineIndex>,
    go_version: racelens_syntax::GoVersion,
    diagnostics: Vec<Diagnostic>,
}

/// A discovered package, read and parsed.
struct ReadPackage {
    parsed: Vec<Parsed>,
    /// Problems, counts and reports of files that are not Go source.
    out: RunOutput,
    /// The package as importers see it (its non-test files, and the generated ones discovery
    /// left out, declarations only), when it is exactly what the importer would read.
    lib: Option<Arc<SourcePackage>>,
    /// The path reports show for each file of `lib`.
    lib_paths: Vec<String>,
    /// `lib` holds generated files that discovery left out (not in `parsed`).
    lib_generated: bool,
    /// The generated files discovery left out, when the package is importable but for them
    /// and `lib` is not made yet (see `serve_generated`).
    generated: Vec<PathBuf>,
    /// The import paths its files import, each once, and whether it starts goroutines
    /// (found while the packages are read in parallel, for `imported_paths`).
    imports: Vec<String>,
    spawns: bool,
    /// The files are those of external test packages (`p_test` beside `p`), split off from
    /// their directory's package to be checked apart (`split_external`).
    external: bool,
}

/// What checking a package needs of the run.
struct Env<'r, 'a> {
    opts: &'r RunOptions<'a>,
    enabled: &'r HashSet<&'r str>,
    importer: &'r dyn Importer,
    cache: &'r PackageCache,
    summaries: Option<&'r dyn SummarySource>,
    /// The import paths the files of the run import.
    imported: &'r HashSet<String>,
}

/// Reads and parses the files of `pkg`; with `imports`, also notes what they import.
fn read_package(pkg: &Package, opts: &RunOptions<'_>, imports: bool) -> ReadPackage {
    let mut out = RunOutput::default();
    let mut parsed: Vec<Parsed> = Vec::with_capacity(pkg.files.len());
    for sf in &pkg.files {
        let path = display_path(&sf.path, &opts.cwd);
        // Discovery may have read the file already, with its header.
        let src = match sf
            .contents
            .take()
            .map_or_else(|| std::fs::read(&sf.path), Ok)
        {
            Ok(src) => src,
            Err(e) => {
                out.problems.push(format!("{path}: cannot read file: {e}"));
                continue;
            }
        };
        out.files += 1;
        out.bytes += src.len() as u64;
        if looks_binary(&src) {
            let at = Position::new(1, 1, 0);
            out.syntax_errors += 1;
            out.diagnostics.push(Diagnostic::syntax_error(
                "file is binary, not Go source",
                Location::new(path.clone(), at, at),
            ));
            continue;
        }
        // A test file is parsed when its package is checked, not now: holding the trees of
        // every test file of the run at once (nearly half of the standard library's bytes)
        // costs memory, and a tree is cheaper to check while it is fresh in the cache. What
        // the run needs of it before (its imports, whether it starts goroutines) a scan of
        // its tokens gives.
        if sf.is_test && imports {
            parsed.push(Parsed {
                path,
                abs_path: sf.path.clone(),
                file: None,
                pending: Some(src),
                lib: None,
                is_test: true,
                lines: OnceLock::new(),
                go_version: sf.go_version,
                diagnostics: Vec::new(),
            });
            continue;
        }
        let (mut file, lines, diagnostics) = parse_file(&path, src);
        if imports {
            // A non-test file (test files were set aside above): kept until the run ends,
            // for the packages that import it.
            file.shrink_to_fit();
        }
        out.syntax_errors += diagnostics.len();
        parsed.push(Parsed {
            path,
            abs_path: sf.path.clone(),
            file: Some(file),
            pending: None,
            lib: None,
            is_test: sf.is_test,
            lines,
            go_version: sf.go_version,
            diagnostics,
        });
    }
    // The importable package: the non-test files, all of one package name, when nothing
    // the importer would read is missing (every file could be read and parsed, none was
    // named alone on the command line or forced in against the build rules). Generated
    // files that discovery left out are added later, if the package is imported at all
    // (`serve_generated`).
    let (mut lib, mut lib_paths, mut generated) = (None, Vec::new(), Vec::new());
    match importer_extra(pkg) {
        Some(g) if out.problems.is_empty() && out.diagnostics.is_empty() => {
            if g.is_empty() {
                if let Some((l, paths)) = importable(pkg, &mut parsed, &[], &opts.cwd) {
                    lib = Some(l);
                    lib_paths = paths;
                }
            } else {
                generated = g.into_iter().map(Path::to_path_buf).collect();
            }
        }
        _ => {}
    }
    let (imports, spawns) = if imports {
        // The non-test files discovery selected, wherever they are now (generated files in
        // `lib` are not among them: they are not checked, and what they import is not
        // counted), and the test files, not parsed yet.
        let non_tests: Vec<&File> = parsed
            .iter()
            .filter_map(|p| match (&p.file, p.lib, &lib) {
                (Some(f), _, _) => Some(f),
                (None, Some(k), Some(lib)) => lib.files.get(k).map(|f| &**f),
                _ => None,
            })
            .collect();
        let tests: Vec<&[u8]> = parsed.iter().filter_map(|p| p.pending.as_deref()).collect();
        package_imports(&non_tests, &tests)
    } else {
        (Vec::new(), false)
    };
    ReadPackage {
        parsed,
        out,
        lib,
        lib_paths,
        lib_generated: false,
        generated,
        imports,
        spawns,
        external: false,
    }
}

/// Parses the file shown as `path`: its tree, line index (made only for syntax errors) and
/// syntax error reports.
fn parse_file(path: &str, src: Vec<u8>) -> (File, OnceLock<LineIndex>, Vec<Diagnostic>) {
    // The tree keeps the bytes read, rather than a copy of them.
    let (file, errors) = racelens_syntax::parse_owned(src);
    let index = OnceLock::new();
    if errors.is_empty() {
        return (file, index, Vec::new());
    }
    let lines = index.get_or_init(|| LineIndex::new(&file.source));
    let diagnostics = errors
        .iter()
        .map(|e| {
            let (line, column) = lines.line_col(e.offset);
            let at = Position::new(line, column, e.offset);
            Diagnostic::syntax_error(e.message.clone(), Location::new(path.to_string(), at, at))
        })
        .collect();
    (file, index, diagnostics)
}

/// Makes the importable package of `r`, which is `pkg` read, from its parsed non-test files
/// and the generated files discovery left out, when `read_package` deferred it.
fn serve_generated(pkg: &Package, r: &mut ReadPackage, cwd: &Path) {
    let generated = std::mem::take(&mut r.generated);
    if generated.is_empty() || r.lib.is_some() {
        return;
    }
    let generated: Vec<&Path> = generated.iter().map(PathBuf::as_path).collect();
    if let Some((lib, paths)) = importable(pkg, &mut r.parsed, &generated, cwd) {
        r.lib = Some(lib);
        r.lib_paths = paths;
        r.lib_generated = true;
    }
}

/// The package as its importers see it: the non-test files of `parsed` (moved into it, each
/// noting its place) and the `generated` files, read and parsed declarations only as the
/// importer would, in the importer's order (by file name), with the path reports show for
/// each. None, leaving the package to the importer, when the files do not all declare one
/// package (the importer would pick among them), a generated file cannot be read or has no
/// package clause, or no non-test file was parsed here (then nothing would be shared).
fn importable(
    pkg: &Package,
    parsed: &mut [Parsed],
    generated: &[&Path],
    cwd: &Path,
) -> Option<(Arc<SourcePackage>, Vec<String>)> {
    let own: Vec<usize> = (0..parsed.len()).filter(|&i| !parsed[i].is_test).collect();
    if own.is_empty() && !generated.is_empty() {
        return None;
    }
    let mut extra: Vec<(String, File, String)> = Vec::with_capacity(generated.len());
    for &g in generated {
        // The importer names files lossily and reads them back by that name: a name that
        // is not UTF-8 would not be read the same way.
        let name = g.file_name()?.to_str()?.to_string();
        let src = std::fs::read(g).ok()?;
        let (file, _) = racelens_syntax::parse_declarations_owned(src);
        file.name?;
        extra.push((name, file, display_path(g, cwd)));
    }
    let names: HashSet<&str> = own
        .iter()
        .map(|&i| parsed[i].file.as_ref().map_or("", |f| f.package_name()))
        .chain(extra.iter().map(|(_, f, _)| f.package_name()))
        .collect();
    if names.len() != 1 {
        return None;
    }
    // The importer's order: by file name. Its names are strings, and the generated names
    // are UTF-8; comparing bytes keeps discovery's order (by path, in one directory) among
    // the parsed files. Each place holds `Ok` of an index into `parsed` or `Err` of one
    // into `extra`.
    let mut order: Vec<(&[u8], Result<usize, usize>)> = own
        .iter()
        .map(|&i| {
            let name = parsed[i].abs_path.file_name().unwrap_or_default();
            (name.as_encoded_bytes(), Ok(i))
        })
        .chain(
            extra
                .iter()
                .enumerate()
                .map(|(k, (n, _, _))| (n.as_bytes(), Err(k))),
        )
        .collect();
    order.sort_by(|a, b| a.0.cmp(b.0));
    let order: Vec<Result<usize, usize>> = order.into_iter().map(|(_, at)| at).collect();
    let mut extra: Vec<Option<(File, String)>> = extra
        .into_iter()
        .map(|(_, file, path)| Some((file, path)))
        .collect();
    let mut files = Vec::with_capacity(order.len());
    let mut paths = Vec::with_capacity(order.len());
    for at in order {
        match at {
            Ok(i) => {
                let p = &mut parsed[i];
                p.lib = Some(files.len());
                files.push(Arc::new(p.file.take().unwrap_or_default()));
                paths.push(p.path.clone());
            }
            Err(k) => {
                if let Some((file, path)) = extra[k].take() {
                    files.push(Arc::new(file));
                    paths.push(path);
                }
            }
        }
    }
    let lib = SourcePackage {
        path: pkg.import_path.clone(),
        files,
    };
    Some((Arc::new(lib), paths))
}

/// The import paths that the parsed `non_tests` and the unparsed `tests` import, each once,
/// and whether one of the files starts goroutines. Blank imports (`import _ "p"`) are left
/// out: checking the importer needs nothing of `p`, which then need not be made ready for
/// importers (the standard library's `time` imports `time/tzdata` so, 1.4 MB of generated
/// source that would be parsed for nobody).
fn package_imports(non_tests: &[&File], tests: &[&[u8]]) -> (Vec<String>, bool) {
    let mut out: Vec<String> = Vec::new();
    let mut add = |lit: &str| {
        if !out.iter().any(|p| p == lit) {
            out.push(lit.to_string());
        }
    };
    let mut spawns = false;
    for f in non_tests {
        for spec in f.imports() {
            if let SpecKind::Import { path, name } = &f[spec].kind {
                if name.is_some_and(|n| f.ident_name(n) == "_") {
                    continue;
                }
                add(f.text(f[*path].span).trim_matches(|c| c == '"' || c == '`'));
            }
        }
        spawns = spawns || racelens_model::file_starts_goroutines(f);
    }
    for src in tests {
        let scan = crate::prescan::scan(src);
        scan.imports.iter().for_each(|lit| add(lit));
        spawns |= scan.spawns;
    }
    (out, spawns)
}

/// The import paths that the files of `read` import: all of them, and those imported by
/// packages that start goroutines (the packages whose summaries will be asked for).
fn imported_paths(read: &[ReadPackage]) -> (HashSet<String>, HashSet<String>) {
    let (mut all, mut by_spawners) = (HashSet::new(), HashSet::new());
    for r in read {
        for lit in &r.imports {
            if r.spawns && !by_spawners.contains(lit) {
                by_spawners.insert(lit.clone());
            }
            if !all.contains(lit) {
                all.insert(lit.clone());
            }
        }
    }
    (all, by_spawners)
}

/// Whether `path` names a test file.
fn is_test_name(path: &Path) -> bool {
    path.to_string_lossy().ends_with("_test.go")
}

/// The non-test Go files of `pkg`'s directory that the importer reads for it besides those
/// discovery selected: the generated files discovery left out (they pass the build rules,
/// and declare API; they are read declarations only, as the importer reads them, since
/// generated tables and bundles parsed whole cost memory). None when discovery's selection
/// is not otherwise the importer's: a file forced in against the build rules, or files
/// missing because only some were named.
fn importer_extra(pkg: &Package) -> Option<Vec<&Path>> {
    let non_test = |p: &Path| !is_test_name(p);
    if pkg.files.iter().any(|f| f.forced && !f.is_test) {
        return None;
    }
    let known: HashSet<std::ffi::OsString> = pkg
        .files
        .iter()
        .map(|f| &f.path)
        .chain(pkg.skipped.iter().map(|s| &s.path))
        .filter_map(|p| p.file_name().map(|n| n.to_os_string()))
        .collect();
    let Ok(entries) = std::fs::read_dir(&pkg.dir) else {
        return None;
    };
    let complete = entries.filter_map(Result::ok).all(|e| {
        let name = e.file_name();
        let go = is_go_file_name(&name.to_string_lossy());
        !go || !non_test(Path::new(&name))
            || e.file_type().is_ok_and(|t| t.is_dir())
            || known.contains(&name)
    });
    complete.then(|| {
        pkg.skipped
            .iter()
            .filter(|s| s.reason == SkipReason::Generated && non_test(&s.path))
            .map(|s| s.path.as_path())
            .collect()
    })
}

fn check_package(pkg: &Package, read: ReadPackage, env: &Env<'_, '_>, out: &mut RunOutput) {
    let Env {
        opts,
        enabled,
        importer,
        cache,
        summaries,
        ..
    } = *env;
    let ReadPackage {
        mut parsed,
        out: read_out,
        lib,
        external,
        ..
    } = read;
    out.diagnostics.extend(read_out.diagnostics);
    out.problems.extend(read_out.problems);
    for p in &mut parsed {
        if let Some(src) = p.pending.take() {
            let (file, lines, diagnostics) = parse_file(&p.path, src);
            out.syntax_errors += diagnostics.len();
            (p.file, p.lines, p.diagnostics) = (Some(file), lines, diagnostics);
        }
    }
    out.files += read_out.files;
    out.bytes += read_out.bytes;
    out.syntax_errors += read_out.syntax_errors;

    // A directory holds a package and possibly its external test package (`p_test`); each
    // is resolved on its own.
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in parsed.iter().enumerate() {
        let name = package_name_of(p, lib.as_deref());
        groups.entry(name.into_owned()).or_default().push(i);
    }
    let runnable: Vec<&Check> = opts
        .checks
        .iter()
        .copied()
        .filter(|c| c.run.is_some())
        .collect();
    for (name, indices) in &groups {
        // The external test package of a directory that also holds the package proper.
        let path = if (groups.len() > 1 || external) && name.ends_with("_test") {
            format!("{}_test", pkg.import_path)
        } else {
            pkg.import_path.clone()
        };
        // The importable package itself when the group is exactly it (then it is resolved
        // once, checked or imported); else its files (the same trees) next to the test
        // files, or without the generated files it holds (which are not checked).
        let src = match &lib {
            Some(lib)
                if indices.len() == lib.files.len()
                    && indices.iter().all(|&i| parsed[i].lib.is_some()) =>
            {
                lib.clone()
            }
            _ => Arc::new(SourcePackage {
                path: path.clone(),
                files: indices
                    .iter()
                    .map(|&i| match (parsed[i].lib, &lib) {
                        (Some(k), Some(lib)) => lib.files[k].clone(),
                        _ => Arc::new(parsed[i].file.take().unwrap_or_default()),
                    })
                    .collect(),
            }),
        };
        // The package with its in-package test files: its non-test files are resolved
        // once, as importers see them, and that resolution is extended with the test files.
        // Only worth it when another package of the workspace imports it (else the import
        // view would be made for this check alone); impossible when the import view holds
        // generated files, which the check leaves out.
        // Resolved only if a check asks (for scopes or types): most packages pass no gate.
        let extend = match &lib {
            Some(lib)
                if !Arc::ptr_eq(lib, &src)
                    && crate::summaries::is_imported(env.imported, &pkg.import_path)
                    && indices.iter().filter(|&&i| parsed[i].lib.is_some()).count()
                        == lib.files.len() =>
            {
                let origin: Vec<Option<usize>> = indices.iter().map(|&i| parsed[i].lib).collect();
                Some((lib, origin))
            }
            _ => None,
        };
        let load = || match (&extend, &lib) {
            (Some((lib, origin)), _) => {
                cache.for_check_extending(&path, src.clone(), lib, origin, importer, &pkg.dir)
            }
            (None, Some(lib)) if Arc::ptr_eq(lib, &src) => {
                cache.for_check(&path, src.clone(), importer, &pkg.dir)
            }
            // A source made for this check alone, which no importer serves: asking the
            // importer (`PackageCache::for_check`) would only make it read the package from
            // disk to answer no.
            _ => Arc::new(Loaded::new(&path, src.clone(), importer, &pkg.dir)),
        };
        let cxs: Vec<FileCx<'_>> = indices
            .iter()
            .zip(&src.files)
            .map(|(&i, file)| FileCx {
                path: &parsed[i].path,
                ast: file,
                lines: &parsed[i].lines,
                go_version: parsed[i].go_version,
                clean: parsed[i].diagnostics.is_empty(),
            })
            .collect();
        let prog = Program::new(importer, cache);
        let cx = PackageCx::with_types(&cxs, load, prog, &pkg.dir).with_summaries(summaries);
        let found = racelens_checks::run_checks(&cx, &runnable);
        drop(cx);
        // Route each report to its file (related locations may point elsewhere).
        let mut by_path: BTreeMap<&str, Vec<Diagnostic>> = BTreeMap::new();
        for d in found {
            let key = indices
                .iter()
                .map(|&i| parsed[i].path.as_str())
                .find(|p| *p == d.location.path)
                .unwrap_or("");
            by_path.entry(key).or_default().push(d);
        }
        for (&i, file) in indices.iter().zip(&src.files) {
            let p = &parsed[i];
            let mut diags = by_path.remove(p.path.as_str()).unwrap_or_default();
            diags.extend(p.diagnostics.iter().cloned());
            let kept = finish_file(p, file, diags, opts, enabled);
            if !kept.is_empty() {
                out.sources.insert(p.path.clone(), file.source.to_vec());
            }
            out.diagnostics.extend(kept);
        }
        // Reports whose path matched no file of the group (cannot happen for well-formed
        // checks) are kept rather than lost.
        for (_, rest) in by_path {
            out.diagnostics.extend(rest);
        }
    }
}

/// Applies suppression comments, per-file ignores and the check selection to one file's
/// reports.
fn finish_file(
    p: &Parsed,
    file: &File,
    diags: Vec<Diagnostic>,
    opts: &RunOptions<'_>,
    enabled: &HashSet<&str>,
) -> Vec<Diagnostic> {
    let directives = directives(p, file);
    let is_check = |n: &str| racelens_checks::find(n).is_some();
    let ran = |n: &str| enabled.contains(n);
    let mut kept = suppression::apply(directives, diags, &is_check, &ran);
    // Reports about suppressions obey the selection like any other check.
    kept.retain(|d| d.category == Category::Syntax || enabled.contains(d.check));
    if let Some(per_file) = opts.per_file_ignores {
        let ignored = per_file(&p.abs_path);
        if !ignored.is_empty() {
            kept.retain(|d| {
                d.category == Category::Syntax
                    || !ignored
                        .iter()
                        .any(|n| n == "all" || n == d.check || n == d.category.as_str())
            });
        }
    }
    kept
}

/// The suppression comments of a file.
fn directives(p: &Parsed, file: &File) -> Vec<Directive> {
    let mut out = Vec::new();
    for group in &file.comments {
        for c in group.list.iter() {
            let text = file.text(c.span);
            if !(text.starts_with("//racelens:")
                || text.starts_with("//nolint")
                || text.starts_with("//lint:"))
            {
                continue;
            }
            let lines = p.lines.get_or_init(|| LineIndex::new(&file.source));
            let (line, column) = lines.line_col(c.span.start);
            let line_start = lines.line_start(line).unwrap_or(0) as usize;
            let own_line = file.source[line_start..c.span.start as usize]
                .iter()
                .all(|b| b.is_ascii_whitespace());
            let (end_line, end_column) = lines.line_col(c.span.end);
            let location = Location::new(
                p.path.clone(),
                Position::new(line, column, c.span.start),
                Position::new(end_line, end_column, c.span.end),
            );
            if let Some(d) = suppression::parse_directive(text, line, own_line, location) {
                out.push(d);
            }
        }
    }
    out
}

/// Heuristic for "this is not source code": a NUL byte in the first 8 KiB, as git and grep
/// decide.
fn looks_binary(src: &[u8]) -> bool {
    src[..src.len().min(8192)].contains(&0)
}

/// `path` relative to `cwd` when inside it, with `/` separators.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let shown = path.strip_prefix(cwd).unwrap_or(path);
    let s = shown.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

#[cfg(test)]
mod tests;
