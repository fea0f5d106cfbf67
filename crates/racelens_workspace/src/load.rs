//! Loading imported packages from source for the type checker: the [`Loader`], which
//! implements `racelens_semantic::import::Importer` over GOROOT, the importing module, go.work
//! modules, `vendor/`, the module cache and the embedded standard library models.
//!
//! # Resolution, as implemented
//!
//! An import path `p` seen in directory `from_dir` resolves to the first of these that holds
//! a package (a directory with at least one Go file built for the target):
//! 1. **Standard library**, when the first path element has no dot: `GOROOT/src/p`, else the
//!    embedded model of `p` (`racelens_semantic::stdmodels`).
//! 2. **go.work modules**, when a go.work file is found upward from the importing module's
//!    directory, uses that module, and go.work is enabled: the used module with the
//!    longest path that is a prefix of `p`. Otherwise the **importing module** itself by prefix. Either way, a
//!    directory that lies inside a nested module (a go.mod between the module root and the
//!    package directory) does not belong to the module.
//! 3. **vendor/**, as the go command: when the importing module has `vendor/modules.txt`
//!    and its go version is at least 1.14 (and not in workspace mode), `vendor/p` and
//!    nothing else (the module cache is not consulted, as with `-mod=vendor`).
//! 4. **Module cache**: the required module (go.mod `require`, the union over go.work
//!    modules in workspace mode) with the longest path that is a prefix of `p`, after
//!    `replace` directives (go.work's override go.mod's): a local replacement is a
//!    directory relative to the file that declares it; a module replacement and an
//!    unreplaced module are read from `GOMODCACHE/<escaped path>@<escaped version>`.
//! 5. **GOPATH** (`LoaderOptions::gopath`): for an importer outside any module, the
//!    `vendor` directories from it up to its GOPATH `src`; then `GOPATH/src/p`. Inside a
//!    module this is racelens's own last resort (the go command would not look there).
//! 6. The embedded model of `golang.org/x/sync/errgroup` when its source was not found.
//!
//! Imports from a package inside the module cache use the main modules' requirements
//! ([`LoaderOptions::main_modules`]) first, then that dependency's own go.mod (an
//! approximation of minimal version selection: the main module's go.mod lists every
//! dependency since Go 1.17).
//!
//! Files are selected as discovery selects them (build constraints for the target, file
//! name suffixes, no cgo files without cgo, no names starting with `.` or `_`), without
//! `_test.go` files; generated files are kept because they declare API. When a directory
//! holds files of several packages, the most common package name wins.
//!
//! Each package is read and parsed once per [`Loader`], whichever worker asks first; the
//! others wait for that result. Missing packages and unreadable files are never errors:
//! the import is `None` and the type checker treats what it declares as Unknown.
//!
//! Imported packages are read for their API only: `parse_declarations` skips the bodies of
//! their functions, which the type checker never looks into for an imported package. The
//! packages of the workspace being checked are not read here at all: the run has parsed
//! them already and serves them through [`Loader::load_parsed`] (resolution stays the
//! loader's; only the reading is skipped), with the generated files that discovery left
//! out read by the run the way [`package_sources`] and `parse_declarations` read them here.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

use racelens_semantic::import::{first_file_name, Importer, ParsedDirs, SourcePackage};
use racelens_semantic::stdmodels;

use crate::constraint::{self, Target};
use crate::discover::{clean, is_go_file_name, DiscoverOptions, Workspace, MISSING_GO_DIRECTIVE};
use crate::modfile::{self, Replace};
use crate::version::GoVersion;

/// Where to find a directory the loader needs (GOROOT, the module cache).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Locate {
    /// Find it the way the go command would (environment, `go env`, usual places).
    #[default]
    Detect,
    /// Use this directory.
    At(PathBuf),
    /// There is none.
    Off,
}

/// How the loader finds and selects packages.
#[derive(Debug, Clone)]
pub struct LoaderOptions {
    /// The build configuration files are selected for.
    pub target: Target,
    /// GOROOT: its `src` directory holds the standard library's source.
    pub goroot: Locate,
    /// The module cache (`GOMODCACHE`).
    pub mod_cache: Locate,
    /// Honour go.work files (GOWORK=off is false).
    pub use_go_work: bool,
    /// Directories of the main modules (those being analysed). Their requirements choose
    /// the versions of modules imported from packages in the module cache, as the build
    /// list of the go command would.
    pub main_modules: Vec<PathBuf>,
    /// GOPATH entries, searched last (`GOPATH/src/<import path>`): the go command's
    /// GOPATH mode for importers outside any module, and a lenient last resort for
    /// importers inside one, since source of some version beats no source at all (Debian's
    /// /usr/share/gocode is such a tree). The default is `$GOPATH`, else `~/go`.
    pub gopath: Vec<PathBuf>,
}

impl LoaderOptions {
    /// Options matching a discovered workspace: the same target and go.work setting, and
    /// its modules as the main modules.
    pub fn for_workspace(ws: &Workspace, discover: &DiscoverOptions) -> LoaderOptions {
        LoaderOptions {
            target: discover.target.clone(),
            use_go_work: discover.use_go_work,
            main_modules: ws.modules.iter().map(|m| m.dir.clone()).collect(),
            ..LoaderOptions::default()
        }
    }
}

impl Default for LoaderOptions {
    fn default() -> LoaderOptions {
        LoaderOptions {
            target: Target::default(),
            goroot: Locate::Detect,
            mod_cache: Locate::Detect,
            use_go_work: true,
            main_modules: Vec::new(),
            gopath: default_gopath(),
        }
    }
}

/// Where an import path resolved to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Location {
    /// A package directory on disk.
    Dir(PathBuf),
    /// The embedded model of this import path.
    Model(String),
}

/// A module as seen from one of its directories.
#[derive(Debug)]
struct ModuleInfo {
    dir: PathBuf,
    path: String,
    /// `vendor/modules.txt` exists and the go version is at least 1.14.
    vendor: bool,
    /// The module is a dependency inside the module cache.
    in_cache: bool,
    requires: Vec<(String, String)>,
    /// Replacements with the directory local replacements are relative to.
    replaces: Vec<(Replace, PathBuf)>,
    work: Option<Arc<WorkInfo>>,
}

/// A go.work file and the modules it uses.
#[derive(Debug)]
struct WorkInfo {
    /// Module path and directory of each used module.
    modules: Vec<(String, PathBuf)>,
    /// The union of the used modules' requirements, first occurrence wins.
    requires: Vec<(String, String)>,
    /// go.work's replacements first, then the used modules'.
    replaces: Vec<(Replace, PathBuf)>,
}

type Slot<T> = Arc<OnceLock<T>>;

/// Packages by import path and location, each filled once.
type PackageSlots = HashMap<(String, Location), Slot<Option<Arc<SourcePackage>>>>;

/// Package names by import path and location, each filled once.
type NameSlots = HashMap<(String, Location), Slot<Option<String>>>;

/// The Go sources of a directory: each file's name and content.
type Sources = Vec<(String, Vec<u8>)>;

/// Loads imported packages from source; shared by all workers of a run.
#[derive(Debug)]
pub struct Loader {
    opts: LoaderOptions,
    goroot: Option<PathBuf>,
    mod_cache: Option<PathBuf>,
    /// The module that contains a directory, by directory.
    modules: Mutex<HashMap<PathBuf, Option<Arc<ModuleInfo>>>>,
    /// Each module read, by the directory of its go.mod: read once for all its directories.
    roots: Mutex<HashMap<PathBuf, Slot<Option<Arc<ModuleInfo>>>>>,
    /// Parsed go.work files, by path.
    works: Mutex<HashMap<PathBuf, Slot<Option<Arc<WorkInfo>>>>>,
    /// Packages by import path and location, each read and parsed once.
    packages: Mutex<PackageSlots>,
    /// The package names of locations whose package was not parsed yet, each read once.
    names: Mutex<NameSlots>,
    /// The sources `name_at` read, by directory, until `package` parses them.
    read: Mutex<HashMap<PathBuf, Sources>>,
}

impl Loader {
    pub fn new(opts: LoaderOptions) -> Loader {
        let goroot = match &opts.goroot {
            Locate::Detect => detect_goroot().clone(),
            Locate::At(dir) => Some(absolute(dir)),
            Locate::Off => None,
        };
        let mod_cache = match &opts.mod_cache {
            Locate::Detect => detect_mod_cache(),
            Locate::At(dir) => Some(absolute(dir)),
            Locate::Off => None,
        };
        Loader {
            opts,
            goroot,
            mod_cache,
            modules: Mutex::new(HashMap::new()),
            roots: Mutex::new(HashMap::new()),
            works: Mutex::new(HashMap::new()),
            packages: Mutex::new(HashMap::new()),
            names: Mutex::new(HashMap::new()),
            read: Mutex::new(HashMap::new()),
        }
    }

    /// The GOROOT in use, if any.
    pub fn goroot(&self) -> Option<&Path> {
        self.goroot.as_deref()
    }

    /// The module cache in use, if any.
    pub fn mod_cache(&self) -> Option<&Path> {
        self.mod_cache.as_deref()
    }

    /// How many distinct packages were loaded (or found missing) so far.
    pub fn loaded_count(&self) -> usize {
        lock(&self.packages).len()
    }

    /// The directories the loader read packages from (or found none in) so far, each once,
    /// sorted: packages served already parsed (`load_parsed`) are not among them.
    pub fn loaded_dirs(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = lock(&self.packages)
            .keys()
            .filter_map(|(_, loc)| match loc {
                Location::Dir(d) => Some(d.clone()),
                Location::Model(_) => None,
            })
            .collect();
        dirs.sort();
        dirs.dedup();
        dirs
    }

    /// Where `path` imported from `from_dir` resolves to, and its parsed package.
    pub fn load(&self, path: &str, from_dir: &Path) -> Option<(Location, Arc<SourcePackage>)> {
        self.load_parsed(path, from_dir, &|_| None)
    }

    /// Like [`Loader::load`], but a directory for which `parsed` has a package (named as
    /// this loader names the package there) is served that package instead of being read.
    pub fn load_parsed(
        &self,
        path: &str,
        from_dir: &Path,
        parsed: ParsedDirs<'_>,
    ) -> Option<(Location, Arc<SourcePackage>)> {
        self.locate(path, from_dir, |loc| {
            if let Some(pkg) = self.given(path, &loc, parsed) {
                return Some((loc, pkg));
            }
            let pkg = self.package(path, &loc)?;
            Some((loc, pkg))
        })
    }

    /// The package `parsed` has for directory location `loc`, if it is the package this
    /// loader means there by `path`.
    fn given(
        &self,
        path: &str,
        loc: &Location,
        parsed: ParsedDirs<'_>,
    ) -> Option<Arc<SourcePackage>> {
        let Location::Dir(dir) = loc else {
            return None;
        };
        parsed(dir).filter(|p| p.path == self.package_path(path, dir))
    }

    /// The first answer `found` gives for the locations where `path` imported from
    /// `from_dir` may be, in the order the go command looks.
    fn locate<T>(
        &self,
        path: &str,
        from_dir: &Path,
        found: impl Fn(Location) -> Option<T>,
    ) -> Option<T> {
        // `C` and `unsafe` are not source packages; relative and malformed paths
        // (`./x`, `a/../b`, `/abs`, backslashes) are not supported and must not escape the roots.
        let malformed = path.starts_with('/')
            || path.contains('\\')
            || path
                .split('/')
                .any(|s| s.is_empty() || s == "." || s == "..");
        if malformed || path == "C" || path == "unsafe" {
            return None;
        }
        // The importing directory matters only through its module, and in GOPATH mode
        // (no module) for its vendor directories: `import_scope` relies on it.
        let from_dir = absolute(from_dir);
        let module = self.module_of(&from_dir);
        if is_standard_path(path) {
            if let Some(root) = &self.goroot {
                if let Some(hit) = found(Location::Dir(root.join("src").join(path))) {
                    return Some(hit);
                }
            }
            if stdmodels::source(path).is_some() {
                return found(Location::Model(path.to_string()));
            }
        }
        if let Some(m) = &module {
            for dir in self.candidates(path, m) {
                if let Some(hit) = found(Location::Dir(dir)) {
                    return Some(hit);
                }
            }
        }
        for dir in self.gopath_candidates(path, &from_dir, module.is_none()) {
            if let Some(hit) = found(Location::Dir(dir)) {
                return Some(hit);
            }
        }
        if stdmodels::source(path).is_some() {
            return found(Location::Model(path.to_string()));
        }
        None
    }

    /// The directories where `path` may live for an importer in module `m`, in order.
    fn candidates(&self, path: &str, m: &ModuleInfo) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let (own, requires, replaces): (Vec<(&str, &Path)>, _, _) = match &m.work {
            Some(w) => (
                w.modules
                    .iter()
                    .map(|(p, d)| (p.as_str(), d.as_path()))
                    .collect(),
                &w.requires,
                &w.replaces,
            ),
            None => (
                vec![(m.path.as_str(), m.dir.as_path())],
                &m.requires,
                &m.replaces,
            ),
        };
        let mut own: Vec<(&str, &Path, &str)> = own
            .into_iter()
            .filter_map(|(mp, d)| Some((mp, d, strip_module(path, mp)?)))
            .collect();
        own.sort_by_key(|(mp, _, _)| std::cmp::Reverse(mp.len()));
        for (_, dir, rel) in own {
            let pkg_dir = join_rel(dir, rel);
            if !crosses_nested_module(dir, &pkg_dir) {
                out.push(pkg_dir);
            }
        }
        if m.vendor && m.work.is_none() {
            out.push(join_rel(&m.dir.join("vendor"), path));
            return out;
        }
        if m.in_cache {
            for main in &self.opts.main_modules {
                if let Some(main) = self.module_of(&absolute(main)).filter(|x| !x.in_cache) {
                    let (requires, replaces) = match &main.work {
                        Some(w) => (&w.requires, &w.replaces),
                        None => (&main.requires, &main.replaces),
                    };
                    self.required_candidates(path, requires, replaces, &mut out);
                }
            }
        }
        self.required_candidates(path, requires, replaces, &mut out);
        out
    }

    /// The directories where `path` may live in the required modules, longest module path
    /// first, after replacements.
    fn required_candidates(
        &self,
        path: &str,
        requires: &[(String, String)],
        replaces: &[(Replace, PathBuf)],
        out: &mut Vec<PathBuf>,
    ) {
        let mut required: Vec<(&str, &str, &str)> = requires
            .iter()
            .filter_map(|(mp, v)| Some((mp.as_str(), v.as_str(), strip_module(path, mp)?)))
            .collect();
        required.sort_by_key(|(mp, _, _)| std::cmp::Reverse(mp.len()));
        for (mp, version, rel) in required {
            let replaced = replaces.iter().find(|(r, _)| {
                r.old_path == mp
                    && (r.old_version.is_none() || r.old_version.as_deref() == Some(version))
            });
            let root = match replaced {
                Some((r, base)) => match &r.new_version {
                    None => Some(absolute(&base.join(&r.new_path))),
                    Some(v) => self.cache_dir(&r.new_path, v),
                },
                None => self.cache_dir(mp, version),
            };
            if let Some(root) = root {
                out.push(join_rel(&root, rel));
            }
        }
    }

    /// GOPATH directories for `path`: in GOPATH mode (an importer outside any module) the
    /// `vendor` directories from the importer up to its GOPATH `src` first, as the go
    /// command; then `GOPATH/src/path` of each entry.
    fn gopath_candidates(&self, path: &str, from_dir: &Path, gopath_mode: bool) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for entry in &self.opts.gopath {
            let src = entry.join("src");
            if gopath_mode && from_dir.starts_with(&src) {
                for dir in from_dir.ancestors().take_while(|d| *d != src) {
                    out.push(join_rel(&dir.join("vendor"), path));
                }
            }
            out.push(join_rel(&src, path));
        }
        out
    }

    /// The module cache directory of a module version.
    fn cache_dir(&self, module: &str, version: &str) -> Option<PathBuf> {
        let cache = self.mod_cache.as_ref()?;
        Some(cache.join(format!(
            "{}@{}",
            escape_module_path(module),
            escape_module_path(version)
        )))
    }

    /// The module containing `dir`: the nearest go.mod upward.
    fn module_of(&self, dir: &Path) -> Option<Arc<ModuleInfo>> {
        if let Some(m) = lock(&self.modules).get(dir) {
            return m.clone();
        }
        let found = dir
            .ancestors()
            .find(|d| d.join("go.mod").is_file())
            .and_then(|d| self.module_at(d));
        lock(&self.modules).insert(dir.to_path_buf(), found.clone());
        found
    }

    /// The module whose go.mod is in `dir`, read once.
    fn module_at(&self, dir: &Path) -> Option<Arc<ModuleInfo>> {
        let slot = lock(&self.roots)
            .entry(dir.to_path_buf())
            .or_default()
            .clone();
        slot.get_or_init(|| self.read_module(dir)).clone()
    }

    fn read_module(&self, dir: &Path) -> Option<Arc<ModuleInfo>> {
        let text = fs::read_to_string(dir.join("go.mod")).ok()?;
        let (gomod, _) = modfile::parse_go_mod(&text);
        let go = gomod.go.unwrap_or(MISSING_GO_DIRECTIVE);
        let in_cache = self.mod_cache.as_ref().is_some_and(|c| dir.starts_with(c));
        let work = if self.opts.use_go_work && !in_cache {
            dir.ancestors()
                .map(|d| d.join("go.work"))
                .find(|p| p.is_file())
                .and_then(|p| self.work(&p))
                // A module the go.work file does not use is on its own (the go command
                // would refuse to build it in workspace mode).
                .filter(|w| w.modules.iter().any(|(_, d)| d == dir))
        } else {
            None
        };
        Some(Arc::new(ModuleInfo {
            dir: dir.to_path_buf(),
            path: gomod.module.unwrap_or_default(),
            vendor: !in_cache
                && go >= GoVersion::new(1, 14)
                && dir.join("vendor/modules.txt").is_file(),
            in_cache,
            requires: gomod.requires,
            replaces: gomod
                .replaces
                .into_iter()
                .map(|r| (r, dir.to_path_buf()))
                .collect(),
            work,
        }))
    }

    /// The parsed go.work file at `path`, read once.
    fn work(&self, path: &Path) -> Option<Arc<WorkInfo>> {
        let slot = lock(&self.works)
            .entry(path.to_path_buf())
            .or_default()
            .clone();
        slot.get_or_init(|| {
            let text = fs::read_to_string(path).ok()?;
            let (work, _) = modfile::parse_go_work(&text);
            let base = path.parent()?.to_path_buf();
            let mut info = WorkInfo {
                modules: Vec::new(),
                requires: Vec::new(),
                replaces: work
                    .replaces
                    .into_iter()
                    .map(|r| (r, base.clone()))
                    .collect(),
            };
            for (used, _) in &work.uses {
                let dir = absolute(&base.join(used));
                let Ok(text) = fs::read_to_string(dir.join("go.mod")) else {
                    continue;
                };
                let (gomod, _) = modfile::parse_go_mod(&text);
                if let Some(module) = gomod.module {
                    info.modules.push((module, dir.clone()));
                }
                for req in gomod.requires {
                    if !info.requires.iter().any(|(p, _)| *p == req.0) {
                        info.requires.push(req);
                    }
                }
                info.replaces
                    .extend(gomod.replaces.into_iter().map(|r| (r, dir.clone())));
            }
            Some(Arc::new(info))
        })
        .clone()
    }

    /// The path of the package in `dir` imported as `path`: GOROOT's vendored packages go
    /// by their path inside GOROOT (`vendor/golang.org/x/net/...`, `cmd/vendor/...`), as the
    /// go command and go/types name them; any other package by its import path.
    fn package_path(&self, path: &str, dir: &Path) -> String {
        let rel = self
            .goroot
            .as_ref()
            .and_then(|root| dir.strip_prefix(root.join("src")).ok());
        match rel {
            Some(rel) if rel.starts_with("vendor") || rel.starts_with("cmd/vendor") => rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            _ => path.to_string(),
        }
    }

    /// The package at `loc`, read and parsed on first use; None when it has no Go files.
    fn package(&self, path: &str, loc: &Location) -> Option<Arc<SourcePackage>> {
        if let Location::Dir(dir) = loc {
            // A cheap check first, so that probing candidates does not fill the cache.
            if !dir.is_dir() {
                return None;
            }
        }
        let slot = lock(&self.packages)
            .entry((path.to_string(), loc.clone()))
            .or_default()
            .clone();
        slot.get_or_init(|| match loc {
            Location::Model(p) => stdmodels::package(p).map(Arc::new),
            Location::Dir(dir) => {
                let read = lock(&self.read).remove(dir);
                let sources = read.unwrap_or_else(|| package_sources(dir, &self.opts.target));
                read_package(&self.package_path(path, dir), sources).map(Arc::new)
            }
        })
        .clone()
    }
}

impl Loader {
    /// The name of the package at `loc` as `package` would give it (its first file's),
    /// `None` when there is none: the package's own if it was parsed already, else from the
    /// package clauses of its files, read once.
    fn name_at(&self, path: &str, loc: &Location) -> Option<String> {
        let key = (path.to_string(), loc.clone());
        let parsed = lock(&self.packages)
            .get(&key)
            .and_then(|s| s.get().cloned());
        if let Some(pkg) = parsed {
            return first_file_name(pkg);
        }
        let Location::Dir(dir) = loc else {
            return first_file_name(self.package(path, loc));
        };
        if !dir.is_dir() {
            return None;
        }
        let slot = lock(&self.names).entry(key).or_default().clone();
        slot.get_or_init(|| {
            let sources = package_sources(dir, &self.opts.target);
            let names: Vec<Option<String>> = sources
                .iter()
                .map(|(_, src)| racelens_syntax::package_name(src))
                .collect();
            // Kept for `package`, which the type checker asks for most packages named.
            lock(&self.read).insert(dir.clone(), sources);
            let best = majority_name(names.iter().map(|n| n.clone().unwrap_or_default()))?;
            // The first file `read_package` keeps, named as `File::package_name` names it.
            let first = names
                .into_iter()
                .find(|n| n.as_deref().unwrap_or_default() == best)?;
            Some(first.unwrap_or_else(|| "_".to_string()))
        })
        .clone()
    }
}

impl Importer for Loader {
    fn import(&self, path: &str, from_dir: &Path) -> Option<Arc<SourcePackage>> {
        self.load(path, from_dir).map(|(_, pkg)| pkg)
    }

    /// The package name of what `load_parsed(path, from_dir, parsed)` gives (its first
    /// file's), found without parsing a package the loader would read: from the package
    /// clauses of the files it would read, as `read_package` picks them. The type checker
    /// may never ask for a package whose name the resolver needs.
    fn package_name_parsed(
        &self,
        path: &str,
        from_dir: &Path,
        parsed: ParsedDirs<'_>,
    ) -> Option<String> {
        self.locate(path, from_dir, |loc| {
            if let Some(pkg) = self.given(path, &loc, parsed) {
                return Some(first_file_name(Some(pkg)));
            }
            self.name_at(path, &loc).map(Some)
        })
        .flatten()
    }

    fn import_parsed(
        &self,
        path: &str,
        from_dir: &Path,
        parsed: ParsedDirs<'_>,
    ) -> Option<Arc<SourcePackage>> {
        self.load_parsed(path, from_dir, parsed).map(|(_, pkg)| pkg)
    }

    /// The directory of the module containing `from_dir`: inside a module, `load_parsed`
    /// looks at the importing directory only through that module (vendor is the module's,
    /// the importer's own vendor directories count only in GOPATH mode), so every directory
    /// of the module gets the same answers. Outside any module, none.
    fn import_scope(&self, from_dir: &Path) -> Option<PathBuf> {
        self.module_of(&absolute(from_dir)).map(|m| m.dir.clone())
    }
}

/// Parses the Go files of a directory that a build compiles (`package_sources`): declarations
/// only, the files of the directory's package; None when there are none.
fn read_package(path: &str, sources: Sources) -> Option<SourcePackage> {
    let mut files: Vec<racelens_syntax::File> = sources
        .into_iter()
        .map(|(_, src)| racelens_syntax::parse_declarations_owned(src).0)
        .collect();
    let name_of = |f: &racelens_syntax::File| f.name.map(|n| f.ident_name(n).to_string());
    let best = majority_name(files.iter().map(|f| name_of(f).unwrap_or_default()))?;
    files.retain(|f| name_of(f).unwrap_or_default() == best);
    Some(SourcePackage::new(path, files))
}

/// The package name of a directory whose files have package clauses `names`, in file
/// order: go/build refuses a directory mixing packages; this keeps the most common name (the
/// first in file order on a tie) so that a stray file does not hide the package. `None`
/// without files.
fn majority_name(names: impl Iterator<Item = String>) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for n in names {
        match counts.iter_mut().find(|(c, _)| *c == n) {
            Some((_, k)) => *k += 1,
            None => counts.push((n, 1)),
        }
    }
    counts
        .iter()
        .rev()
        .max_by_key(|(_, k)| *k)
        .map(|(n, _)| n.clone())
}

/// The Go files of `dir` that a build for `target` compiles, without tests, sorted by name:
/// each file's name and content. Files whose build constraints exclude them, or that import
/// `C` when cgo is off, are left out (as the loader does for imported packages).
pub fn package_sources(dir: &Path, target: &Target) -> Sources {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| is_go_file_name(n) && !n.ends_with("_test.go"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let Ok(src) = fs::read(dir.join(&name)) else {
            continue;
        };
        let header = constraint::scan_header(&src);
        let ev = constraint::evaluate(&name, &header, target);
        if ev.error.is_some() || ev.excluded_by.is_some() {
            continue;
        }
        if !target.cgo && constraint::imports_c(&src).unwrap_or(false) {
            continue;
        }
        out.push((name, src));
    }
    out
}

/// go's IsStandardImportPath: the first path element has no dot.
fn is_standard_path(path: &str) -> bool {
    !path.split('/').next().unwrap_or("").contains('.')
}

/// The rest of `path` below module `module` ("" for the module root), if it is inside.
fn strip_module<'a>(path: &'a str, module: &str) -> Option<&'a str> {
    if module.is_empty() {
        return None;
    }
    match path.strip_prefix(module)? {
        "" => Some(""),
        rest => rest.strip_prefix('/'),
    }
}

fn join_rel(dir: &Path, rel: &str) -> PathBuf {
    let mut out = dir.to_path_buf();
    out.extend(rel.split('/').filter(|s| !s.is_empty()));
    out
}

/// Whether a directory strictly below `root`, up to and including `pkg_dir`, has its own
/// go.mod: then `pkg_dir` belongs to that nested module.
fn crosses_nested_module(root: &Path, pkg_dir: &Path) -> bool {
    pkg_dir
        .ancestors()
        .take_while(|d| *d != root && d.starts_with(root))
        .any(|d| d.join("go.mod").is_file())
}

/// Module cache path escaping (golang.org/x/mod/module.EscapePath): each uppercase letter
/// becomes `!` followed by its lowercase form.
pub fn escape_module_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_uppercase() {
            out.push('!');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `path` made absolute and cleaned, as the loader names directories.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).map_or_else(|_| path.to_path_buf(), |p| clean(&p))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A worker that panicked while holding the lock left the maps consistent (entries are
    // inserted whole), so the poison flag can be ignored.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// GOROOT as the go command reports it, else the usual install places; detected once per
/// process because it runs `go env`.
pub fn detect_goroot() -> &'static Option<PathBuf> {
    static GOROOT: OnceLock<Option<PathBuf>> = OnceLock::new();
    GOROOT.get_or_init(|| {
        let has_src = |d: &Path| d.join("src").is_dir();
        if let Ok(out) = Command::new("go").args(["env", "GOROOT"]).output() {
            let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if out.status.success() && !text.is_empty() && has_src(Path::new(&text)) {
                return Some(PathBuf::from(text));
            }
        }
        if let Some(env) = std::env::var_os("GOROOT") {
            let dir = PathBuf::from(env);
            if has_src(&dir) {
                return Some(dir);
            }
        }
        for dir in ["/usr/local/go", "/usr/lib/go"] {
            if has_src(Path::new(dir)) {
                return Some(PathBuf::from(dir));
            }
        }
        // Debian installs versioned trees; prefer the newest.
        let mut versioned: Vec<(GoVersion, PathBuf)> = fs::read_dir("/usr/lib")
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let v = GoVersion::parse(&format!("go{}", name.strip_prefix("go-")?))?;
                Some((v, e.path()))
            })
            .filter(|(_, d)| has_src(d))
            .collect();
        versioned.sort();
        versioned.pop().map(|(_, d)| d)
    })
}

/// The GOPATH entries of the environment (`GOPATH`, else `~/go`) that have a `src`
/// directory.
pub fn default_gopath() -> Vec<PathBuf> {
    let entries: Vec<PathBuf> = match std::env::var_os("GOPATH").filter(|v| !v.is_empty()) {
        Some(v) => std::env::split_paths(&v).collect(),
        None => std::env::var_os("HOME")
            .map(|h| PathBuf::from(h).join("go"))
            .into_iter()
            .collect(),
    };
    entries
        .into_iter()
        .filter(|e| e.is_absolute() && e.join("src").is_dir())
        .collect()
}

/// The module cache: `GOMODCACHE`, else the first `GOPATH` entry's `pkg/mod`, else
/// `~/go/pkg/mod`; None when that directory does not exist.
pub fn detect_mod_cache() -> Option<PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    let dir = if let Some(d) = env("GOMODCACHE") {
        PathBuf::from(d)
    } else if let Some(gopath) = env("GOPATH") {
        std::env::split_paths(&gopath).next()?.join("pkg/mod")
    } else {
        PathBuf::from(env("HOME")?).join("go/pkg/mod")
    };
    dir.is_dir().then_some(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_module_paths() {
        assert_eq!(
            escape_module_path("github.com/Azure/Go-Autorest"),
            "github.com/!azure/!go-!autorest"
        );
        assert_eq!(escape_module_path("v1.0.0-RC1"), "v1.0.0-!r!c1");
        assert_eq!(escape_module_path("golang.org/x/sync"), "golang.org/x/sync");
    }

    #[test]
    fn standard_paths_and_module_prefixes() {
        assert!(is_standard_path("sync/atomic"));
        assert!(is_standard_path("m/x"));
        assert!(!is_standard_path("golang.org/x/sync/errgroup"));
        assert_eq!(
            strip_module("example.com/m/a/b", "example.com/m"),
            Some("a/b")
        );
        assert_eq!(strip_module("example.com/m", "example.com/m"), Some(""));
        assert_eq!(strip_module("example.com/mm", "example.com/m"), None);
        assert_eq!(strip_module("x", ""), None);
    }
}
