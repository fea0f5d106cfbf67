//! The check framework and the registry of racelens checks.
//!
//! A check is one file under `checks/`: a `Check` value with its name, category, since-version,
//! summary and docs, and its logic as a pure function over one parsed and resolved package.
//! Checks know nothing of disks, configuration or output formats; the workspace layer feeds
//! them packages and filters, suppresses and renders what they report.

pub mod access;
pub mod checks;
pub mod docs;
pub mod gates;
pub mod goroutine_race;
pub mod model_facts;
pub mod syntactic;

use racelens_diagnostics::{CheckInfo, Diagnostic, Location, Position};
use racelens_model::summary::{SumLoc, SummarySource};
use racelens_model::Model;
use racelens_semantic::types::{Loaded, PkgIdx, Program};
use racelens_semantic::PackageScopes;
use racelens_syntax::ast::{DeclId, Span, StmtId};
use racelens_syntax::walk::{LazyParents, Node};
use racelens_syntax::{File, GoVersion, LineIndex};
use std::cell::{OnceCell, RefCell, RefMut};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// One check: its metadata and its logic.
pub struct Check {
    pub info: CheckInfo,
    /// The racelens version that introduced the check.
    pub since: &'static str,
    /// The check asks for types or the concurrency model: imported packages must be loaded
    /// when it runs (a run of checks that need none reads no dependency).
    pub needs_types: bool,
    /// The logic, or `None` for checks the framework itself reports (syntax errors,
    /// suppression problems).
    pub run: Option<fn(&PackageCx<'_>, &mut Vec<Diagnostic>)>,
}

impl Check {
    pub fn name(&self) -> &'static str {
        self.info.name
    }
}

/// Every check racelens has, in the order `racelens rules` lists them. Adding a check is one
/// line here.
pub static REGISTRY: &[&Check] = &[
    &checks::loop_variable_capture::CHECK,
    &checks::wait_group_add_in_goroutine::CHECK,
    &checks::unsynchronized_slice_append::CHECK,
    &checks::concurrent_map_access::CHECK,
    &checks::captured_variable_race::CHECK,
    &checks::mixed_atomic_access::CHECK,
    &checks::sync_map_check_then_act::CHECK,
    &checks::parallel_test_shared_state::CHECK,
    &checks::published_snapshot_mutation::CHECK,
    &checks::unguarded_field_access::CHECK,
    &checks::write_under_read_lock::CHECK,
    &checks::double_checked_locking::CHECK,
    &checks::local_mutex::CHECK,
    &checks::returned_guarded_map::CHECK,
    &checks::concurrent_handler_state::CHECK,
    &checks::locked_helper_without_lock::CHECK,
    &checks::framework::SYNTAX_ERROR,
    &checks::framework::INVALID_SUPPRESSION,
    &checks::framework::UNUSED_SUPPRESSION,
];

/// The check called `name`.
pub fn find(name: &str) -> Option<&'static Check> {
    REGISTRY.iter().copied().find(|c| c.name() == name)
}

/// One file of the package being checked.
pub struct FileCx<'a> {
    /// The path diagnostics show, with `/` separators.
    pub path: &'a str,
    pub ast: &'a File,
    /// The file's line index, built from `ast`'s source on first use (`FileCx::lines`).
    pub lines: &'a OnceLock<LineIndex>,
    /// The file's Go language version (module `go` line or `//go:build` pin).
    pub go_version: GoVersion,
    /// The file parsed without syntax errors: its tree then nests, every node's span
    /// holding its children's (error recovery's trees need not), which flat scans of spans
    /// may rely on.
    pub clean: bool,
}

impl FileCx<'_> {
    /// The file's line index.
    pub fn line_index(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.ast.source))
    }
}

/// One package: its files, their bindings, the type checker (run on first use), and lazily
/// built per-file facts shared by checks.
pub struct PackageCx<'a> {
    pub files: &'a [FileCx<'a>],
    /// The package's name resolution, given or made on first use (`scopes()`).
    scopes: Scopes<'a>,
    parents: Vec<OnceLock<LazyParents<'a>>>,
    /// Per file: its function declarations and literals with their bodies, found on first use.
    bodies: Vec<OnceLock<Vec<(Node, StmtId)>>>,
    /// Per file: the names called and their argument counts, built on first use.
    calls: Vec<OnceLock<access::CallNames<'a>>>,
    types: Option<Types<'a>>,
    model: OnceCell<Option<Model>>,
    /// The summaries of the other packages of the workspace, for the model.
    summaries: Option<&'a dyn SummarySource>,
    /// What `goroutine_race` finds, shared by the checks built on it.
    pub(crate) goroutine_races: OnceCell<Vec<goroutine_race::Race>>,
    /// The hand-overs through channels those checks filter, found once.
    pub(crate) handoff_candidates: OnceCell<Vec<goroutine_race::HandoffCandidate>>,
    /// The answers of `model_facts::locks_through_interface` by file and declaration: the
    /// checks ask it for each access they might report, and it walks the function.
    pub(crate) interface_locks: RefCell<HashMap<(usize, DeclId), bool>>,
}

/// The type checker of a package: the `Program`, and the package once checked.
struct Types<'a> {
    prog: RefCell<Program<'a>>,
    dir: &'a Path,
    pkg: OnceCell<PkgIdx>,
}

/// Where a package's name resolution comes from.
enum Scopes<'a> {
    Given(&'a PackageScopes),
    /// The resolved package, made on first use: most packages of a run pass no check's
    /// gate, and resolving them (which also reads the packages they import) would be for
    /// nothing.
    Lazy {
        make: Box<dyn Fn() -> Arc<Loaded> + 'a>,
        loaded: OnceCell<Arc<Loaded>>,
    },
}

impl<'a> PackageCx<'a> {
    /// A package without type information: `types()` is `None`.
    pub fn new(files: &'a [FileCx<'a>], scopes: &'a PackageScopes) -> PackageCx<'a> {
        PackageCx {
            files,
            scopes: Scopes::Given(scopes),
            parents: files.iter().map(|_| OnceLock::new()).collect(),
            bodies: files.iter().map(|_| OnceLock::new()).collect(),
            calls: files.iter().map(|_| OnceLock::new()).collect(),
            types: None,
            model: OnceCell::new(),
            summaries: None,
            goroutine_races: OnceCell::new(),
            interface_locks: RefCell::default(),
            handoff_candidates: OnceCell::new(),
        }
    }

    /// A package whose types `prog` computes when a check first asks. `load` makes the
    /// resolved package `files` come from, found in directory `dir`, when a check first
    /// asks for its scopes or types (and never if none does).
    pub fn with_types(
        files: &'a [FileCx<'a>],
        load: impl Fn() -> Arc<Loaded> + 'a,
        prog: Program<'a>,
        dir: &'a Path,
    ) -> PackageCx<'a> {
        PackageCx {
            files,
            scopes: Scopes::Lazy {
                make: Box::new(load),
                loaded: OnceCell::new(),
            },
            parents: files.iter().map(|_| OnceLock::new()).collect(),
            bodies: files.iter().map(|_| OnceLock::new()).collect(),
            calls: files.iter().map(|_| OnceLock::new()).collect(),
            types: Some(Types {
                prog: RefCell::new(prog),
                dir,
                pkg: OnceCell::new(),
            }),
            model: OnceCell::new(),
            summaries: None,
            goroutine_races: OnceCell::new(),
            interface_locks: RefCell::default(),
            handoff_candidates: OnceCell::new(),
        }
    }

    /// The type checker with this package checked (bodies included), and the package's
    /// index in it; `None` when the package was built without types.
    pub fn types(&self) -> Option<(RefMut<'_, Program<'a>>, PkgIdx)> {
        let t = self.types.as_ref()?;
        let mut prog = t.prog.borrow_mut();
        let loaded = self.loaded()?;
        let pkg = *t
            .pkg
            .get_or_init(|| prog.check_loaded(loaded.clone(), t.dir));
        Some((prog, pkg))
    }

    /// The package's name resolution: every identifier to its declaration, captures, loop
    /// variables. Made on first use for a package checked with types.
    pub fn scopes(&self) -> &PackageScopes {
        match &self.scopes {
            Scopes::Given(s) => s,
            Scopes::Lazy { make, loaded } => &loaded.get_or_init(make).scopes,
        }
    }

    /// The resolved package, made now if it is made lazily; `None` when the scopes were
    /// given.
    fn loaded(&self) -> Option<&Arc<Loaded>> {
        match &self.scopes {
            Scopes::Given(_) => None,
            Scopes::Lazy { make, loaded } => Some(loaded.get_or_init(make)),
        }
    }

    /// The same package, whose model applies the summaries of the other packages of the
    /// workspace it calls.
    pub fn with_summaries(mut self, summaries: Option<&'a dyn SummarySource>) -> PackageCx<'a> {
        self.summaries = summaries;
        self
    }

    /// The concurrency model of the package, built on first use; `None` without types.
    pub fn model(&self) -> Option<&Model> {
        self.model
            .get_or_init(|| {
                let (mut prog, pkg) = self.types()?;
                let model = racelens_model::build_with(&mut prog, pkg, self.summaries);
                if let Some(store) = self.summaries {
                    self.provide_summary(store, &mut prog, pkg);
                }
                Some(model)
            })
            .as_ref()
    }

    /// Gives the store the summary of this package as its importers see it (its non-test
    /// files), if the store still needs it: the package is type-checked already, so this
    /// costs a model of those files, not a second type check.
    fn provide_summary(&self, store: &dyn SummarySource, prog: &mut Program<'a>, pkg: PkgIdx) {
        let is_test = |fi: usize| self.files[fi].path.ends_with("_test.go");
        let lib: Vec<&str> = (0..self.files.len())
            .filter(|&fi| !is_test(fi))
            .map(|fi| self.files[fi].path)
            .collect();
        let path = prog.path(pkg).to_string();
        if !store.wants(&path, &lib) {
            return;
        }
        store.provide(&path, &mut || {
            let model = racelens_model::build_part(prog, pkg, &|fi| !is_test(fi));
            let paths: Vec<Arc<str>> = self.files.iter().map(|f| Arc::from(f.path)).collect();
            let loc = |fi: u32, offset: u32| {
                let (line, column) = self.files[fi as usize].line_index().line_col(offset);
                SumLoc {
                    path: paths[fi as usize].clone(),
                    line,
                    column,
                    offset,
                }
            };
            racelens_model::summary::summarize(prog, pkg, &model, &loc)
        });
    }

    /// Whether file `file` calls a method (or function) named one of `names` with `args`
    /// arguments: any spelling counts, `x.Name(…)`, `(x.Name)(…)`, and a bare `Name(…)` (a
    /// function brought in by a dot import), so that the answer errs on `true`. Checks and
    /// gates ask this of every file before walking bodies or asking for types; the file's
    /// calls are scanned once for all of them.
    pub fn file_calls_method(&self, file: usize, names: &[&str], args: usize) -> bool {
        let calls = self.calls[file].get_or_init(|| access::CallNames::new(self.files[file].ast));
        names.iter().any(|n| calls.contains(n, args))
    }

    /// The parent map of file `file`, made on first use; it builds the map of a declaration
    /// when a node in it is first asked about.
    pub fn parents(&self, file: usize) -> &LazyParents<'a> {
        let f = &self.files[file];
        self.parents[file].get_or_init(|| LazyParents::new(f.ast, f.clean))
    }

    /// The function declarations and literals of file `file` with their bodies, in source
    /// order (`access::function_bodies`), found once for all checks.
    pub fn function_bodies(&self, file: usize) -> &[(Node, StmtId)] {
        self.bodies[file].get_or_init(|| access::function_bodies(self.files[file].ast))
    }

    /// The location of `span` in file `file`.
    pub fn location(&self, file: usize, span: Span) -> Location {
        let f = &self.files[file];
        let pos = |offset: u32| {
            let (line, column) = f.line_index().line_col(offset);
            Position::new(line, column, offset)
        };
        Location::new(f.path, pos(span.start), pos(span.end.max(span.start)))
    }

    /// The source text of `span` in file `file`.
    pub fn text(&self, file: usize, span: Span) -> &'a str {
        self.files[file].ast.text(span)
    }
}

/// Runs every check of `checks` that has logic on one package and returns what they report,
/// sorted.
pub fn run_checks(cx: &PackageCx<'_>, checks: &[&Check]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for check in checks {
        if let Some(run) = check.run {
            run(cx, &mut out);
        }
    }
    drop_skipped(cx, &mut out);
    out.sort();
    out
}

/// Leaves out what is reported inside a test, benchmark or fuzz test that skips itself
/// unconditionally (`t.Skip("flaky")`, `b.SkipNow()` as a statement of its own body, not
/// inside a branch): what follows the skip never runs.
fn drop_skipped(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    use racelens_syntax::ast::{DeclKind, ExprKind, StmtKind};
    let mut dead: Vec<(&str, u32, u32)> = Vec::new();
    for fc in cx.files.iter().filter(|fc| fc.path.ends_with("_test.go")) {
        if !out.iter().any(|d| d.location.path == fc.path) {
            continue;
        }
        let f = fc.ast;
        for &decl in &f.decls {
            let DeclKind::Func {
                recv: None,
                name,
                typ,
                body: Some(body),
            } = f[decl].kind
            else {
                continue;
            };
            let n = f.ident_name(name);
            if !["Test", "Benchmark", "Fuzz"]
                .iter()
                .any(|p| n.starts_with(p))
            {
                continue;
            }
            // The test's own parameter (`t`), the receiver of its skip.
            let ExprKind::FuncType { params, .. } = f[typ].kind else {
                continue;
            };
            let Some(param) = f[params]
                .list
                .first()
                .and_then(|&field| f[field].names.first().copied())
            else {
                continue;
            };
            let StmtKind::Block { list, .. } = &f[body].kind else {
                continue;
            };
            let skip = f[*list].iter().find(|&&st| {
                let StmtKind::Expr(e) = f[st].kind else {
                    return false;
                };
                let ExprKind::Call { fun, .. } = f[syntactic::unparen(f, e)].kind else {
                    return false;
                };
                let ExprKind::Selector { x, sel } = f[syntactic::unparen(f, fun)].kind else {
                    return false;
                };
                matches!(f[x].kind, ExprKind::Ident(id) if f.ident_name(id) == f.ident_name(param))
                    && matches!(f.ident_name(sel), "Skip" | "SkipNow" | "Skipf")
            });
            if let Some(&st) = skip {
                dead.push((fc.path, f[st].span.end, f[body].span.end));
            }
        }
    }
    if !dead.is_empty() {
        out.retain(|d| {
            let at = d.location.start.offset;
            !dead
                .iter()
                .any(|&(path, from, to)| d.location.path == path && from <= at && at < to)
        });
    }
}
