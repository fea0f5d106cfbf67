//! The summaries of the workspace's packages for the models of the packages that import them
//! (`racelens_model::summary`): each computed once per run from the package's non-test
//! files, on demand, by whichever worker asks first (the others wait for it), and shared by
//! all workers. A summary is a function of the package's source alone, so the output does
//! not depend on which worker computes it.
//!
//! A package that its own check type-checks (with its test files) provides its summary
//! from that check, when a package that starts goroutines imports it and nobody has asked
//! yet: its model is built again over its non-test files only, which gives the same
//! summary without a second type check (`tests/summary_shared.rs` compares the two on the
//! standard library).
//!
//! A summary is built from the package's model without the summaries of the packages it
//! calls in turn (one level), so computing one never waits for another. Packages that import
//! each other (invalid code) still get no summary from one another: a request along an edge
//! inside a strongly connected component of the import graph is answered "none", and so is
//! a request for the package a thread is computing.

use racelens_model::summary::{summarize, PackageSummary, SumLoc, SummarySource};
use racelens_semantic::import::{Importer, SourcePackage};
use racelens_semantic::types::{PackageCache, Program};
use racelens_syntax::ast::SpecKind;
use racelens_syntax::LineIndex;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// A package of the workspace as importers see it.
pub struct Unit {
    /// The import path.
    pub path: String,
    pub src: Arc<SourcePackage>,
    pub dir: PathBuf,
    /// The path reports show for each file of `src`.
    pub paths: Vec<String>,
}

struct Entry {
    unit: Unit,
    component: usize,
    slot: OnceLock<Option<Arc<PackageSummary>>>,
    /// Set by the worker that starts filling `slot`: a check that could provide the
    /// summary then leaves it to that worker instead of waiting for it.
    claimed: AtomicBool,
}

/// The summaries of a run.
pub struct Store<'a> {
    importer: &'a dyn Importer,
    cache: &'a PackageCache,
    entries: Vec<Entry>,
    by_path: HashMap<String, usize>,
    /// The units in an order where a package comes after those it imports.
    order: Vec<usize>,
    /// The import paths that packages starting goroutines import: the only summaries that
    /// will be asked for.
    asked: HashSet<String>,
}

thread_local! {
    /// The summaries the current thread is computing, innermost last.
    static COMPUTING: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

impl<'a> Store<'a> {
    /// The store of `units`; `asked` are the import paths that packages starting goroutines
    /// import (`racelens_model::file_starts_goroutines`), whose summaries a package's own
    /// check provides when it has type-checked it anyway.
    pub fn new(
        importer: &'a dyn Importer,
        cache: &'a PackageCache,
        units: Vec<Unit>,
        asked: HashSet<String>,
    ) -> Store<'a> {
        let mut by_path = HashMap::new();
        // A package vendored in GOROOT is imported by the path it has below `vendor/`.
        let mut vendored: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut ambiguous = Vec::new();
        for (i, u) in units.iter().enumerate() {
            if by_path.insert(u.path.clone(), i).is_some() {
                ambiguous.push(u.path.clone());
            }
            if let Some(v) = below_vendor(&u.path) {
                vendored.entry(v).or_default().push(i);
            }
        }
        // Two packages with one import path (two modules of a go.work declaring the same
        // module path): which one a caller means is not known here, so neither has a summary.
        for path in &ambiguous {
            by_path.remove(path);
        }
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); units.len()];
        for (i, u) in units.iter().enumerate() {
            for f in &u.src.files {
                for spec in f.imports() {
                    let SpecKind::Import { path: p, .. } = &f[spec].kind else {
                        continue;
                    };
                    let lit = f.text(f[*p].span).trim_matches(|c| c == '"' || c == '`');
                    let targets = by_path
                        .get(lit)
                        .into_iter()
                        .chain(vendored.get(lit).into_iter().flatten());
                    for &t in targets {
                        if t != i && !edges[i].contains(&t) {
                            edges[i].push(t);
                        }
                    }
                }
            }
        }
        let (components, order) = components(&edges);
        let entries = units
            .into_iter()
            .zip(components)
            .map(|(unit, component)| Entry {
                unit,
                component,
                slot: OnceLock::new(),
                claimed: AtomicBool::new(false),
            })
            .collect();
        Store {
            importer,
            cache,
            entries,
            by_path,
            order,
            asked,
        }
    }

    /// What the store owns (the summaries and the units), without what it borrows: to be
    /// freed on a thread that nobody waits for.
    pub fn into_owned(self) -> impl Send + 'static {
        (self.entries, self.by_path, self.order, self.asked)
    }

    /// The import paths of the units, each after those it imports.
    pub fn order(&self) -> impl Iterator<Item = &str> {
        self.order
            .iter()
            .map(|&i| self.entries[i].unit.path.as_str())
    }

    fn compute(&self, e: &Entry) -> Option<Arc<PackageSummary>> {
        let u = &e.unit;
        COMPUTING.with(|c| c.borrow_mut().push(u.path.clone()));
        let mut prog = Program::new(self.importer, self.cache);
        let loaded = self
            .cache
            .for_check(&u.path, u.src.clone(), self.importer, &u.dir);
        let pkg = prog.check_loaded(loaded, &u.dir);
        // One level: the summary says what the package's own code does; what its calls into
        // a third package do is not included (that would type-check the whole import closure
        // of every summarised package, and keep it in memory).
        let model = racelens_model::build(&mut prog, pkg);
        // Only the files where the summary keeps an access need their lines.
        let lines: Vec<std::cell::OnceCell<LineIndex>> =
            u.src.files.iter().map(|_| Default::default()).collect();
        let paths: Vec<Arc<str>> = u.paths.iter().map(|p| Arc::from(p.as_str())).collect();
        let loc = |fi: u32, offset: u32| {
            let (line, column) = lines[fi as usize]
                .get_or_init(|| LineIndex::new(&u.src.files[fi as usize].source))
                .line_col(offset);
            SumLoc {
                path: paths[fi as usize].clone(),
                line,
                column,
                offset,
            }
        };
        let sum = summarize(&mut prog, pkg, &model, &loc);
        COMPUTING.with(|c| c.borrow_mut().pop());
        Some(Arc::new(sum))
    }
}

impl SummarySource for Store<'_> {
    fn summary(&self, from: &str, path: &str) -> Option<Arc<PackageSummary>> {
        let &i = self.by_path.get(path)?;
        let e = &self.entries[i];
        if let Some(&j) = self.by_path.get(from) {
            if self.entries[j].component == e.component {
                return None;
            }
        }
        if COMPUTING.with(|c| c.borrow().iter().any(|p| p == path)) {
            return None;
        }
        e.slot
            .get_or_init(|| {
                e.claimed.store(true, Ordering::Relaxed);
                self.compute(e)
            })
            .clone()
    }

    fn wants(&self, path: &str, files: &[&str]) -> bool {
        let Some(&i) = self.by_path.get(path) else {
            return false;
        };
        let e = &self.entries[i];
        is_imported(&self.asked, path)
            && e.slot.get().is_none()
            && e.unit
                .paths
                .iter()
                .map(String::as_str)
                .eq(files.iter().copied())
    }

    fn provide(&self, path: &str, make: &mut dyn FnMut() -> PackageSummary) {
        if let Some(&i) = self.by_path.get(path) {
            let e = &self.entries[i];
            // Another worker computing the summary has it soon; waiting for it would only
            // leave this core idle.
            if e.claimed.swap(true, Ordering::Relaxed) {
                return;
            }
            e.slot.get_or_init(|| Some(Arc::new(make())));
        }
    }
}

/// Whether a file importing the paths `imported` may import the package at `path` (a
/// package vendored in GOROOT is imported by its path below `vendor/`).
pub(crate) fn is_imported(imported: &HashSet<String>, path: &str) -> bool {
    imported.contains(path) || below_vendor(path).is_some_and(|v| imported.contains(v))
}

/// The import path of a package vendored in GOROOT (`vendor/golang.org/x/net/idna`) as its
/// importers write it: the part below the last `vendor/`.
pub(crate) fn below_vendor(path: &str) -> Option<&str> {
    path.rfind("vendor/")
        .map(|at| &path[at + "vendor/".len()..])
}

/// The strongly connected components of a graph (Kosaraju, with explicit stacks), and its
/// nodes in depth-first post-order (a node after those it reaches, outside cycles).
pub(crate) fn components(edges: &[Vec<usize>]) -> (Vec<usize>, Vec<usize>) {
    let n = edges.len();
    let mut post = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&w) = edges[v].get(*next) {
                *next += 1;
                if !seen[w] {
                    seen[w] = true;
                    stack.push((w, 0));
                }
            } else {
                post.push(v);
                stack.pop();
            }
        }
    }
    let mut reverse: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (v, out) in edges.iter().enumerate() {
        for &w in out {
            reverse[w].push(v);
        }
    }
    let mut component = vec![usize::MAX; n];
    let mut count = 0;
    for &root in post.iter().rev() {
        if component[root] != usize::MAX {
            continue;
        }
        let mut stack = vec![root];
        component[root] = count;
        while let Some(v) = stack.pop() {
            for &w in &reverse[v] {
                if component[w] == usize::MAX {
                    component[w] = count;
                    stack.push(w);
                }
            }
        }
        count += 1;
    }
    (component, post)
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn cycles_share_a_component_and_dependencies_come_first() {
        // 0 imports 1, 1 imports 2, 2 imports 1 (a cycle), 3 imports 0.
        let edges = vec![vec![1], vec![2], vec![1], vec![0]];
        let (c, order) = components(&edges);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[0], c[1]);
        assert_ne!(c[3], c[0]);
        let pos = |v: usize| order.iter().position(|&x| x == v).unwrap();
        assert!(pos(1) < pos(0) && pos(2) < pos(0) && pos(0) < pos(3));
    }
}
