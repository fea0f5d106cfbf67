//! Discovery: turns `racelens check` arguments (package patterns, directories, files) into
//! modules and packages the way the go command does, reading only the file system.

use std::collections::{btree_map, BTreeMap, HashMap, HashSet};
use std::ffi::OsString;
use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::constraint::{self, Target};
use crate::modfile::{self, ModError};
use crate::version::{GoVersion, FILE_VERSION_FLOOR, LATEST_GO};

/// The go command assumes this language version for a go.mod without a `go` directive.
pub const MISSING_GO_DIRECTIVE: GoVersion = GoVersion::new(1, 16);

/// How files are selected.
#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    pub target: Target,
    /// Include `_test.go` files (the default, as `go vet`).
    pub tests: bool,
    /// Include files marked `// Code generated ... DO NOT EDIT.`.
    pub include_generated: bool,
    /// Language version of code outside any module; None means [`LATEST_GO`].
    pub go: Option<GoVersion>,
    /// Globs of paths to leave out, relative to `exclude_base`; a glob without `/` also
    /// matches any single path element (like `gen` or `*.pb.go`).
    pub exclude: Vec<String>,
    /// Directory the exclude globs are relative to; None means the working directory.
    pub exclude_base: Option<PathBuf>,
    /// Honour a go.work file found upward from the working directory (GOWORK=off is false).
    pub use_go_work: bool,
    /// Keep the bytes of each file to analyse, read while its header is ([`SourceFile::contents`]),
    /// so that a run parses them without opening the file a second time.
    pub read_contents: bool,
}

impl Default for DiscoverOptions {
    fn default() -> DiscoverOptions {
        DiscoverOptions {
            target: Target::default(),
            tests: true,
            include_generated: false,
            go: None,
            exclude: Vec::new(),
            exclude_base: None,
            use_go_work: true,
            read_contents: false,
        }
    }
}

/// Everything discovery found, sorted by path.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    /// The go.work file in force, if any.
    pub work: Option<WorkFile>,
    /// Every module discovery met (owners of packages and of pattern roots, go.work
    /// modules), sorted by directory.
    pub modules: Vec<Module>,
    /// Packages sorted by directory.
    pub packages: Vec<Package>,
    /// Problems in the order they were met; discovery continued past each of them.
    pub problems: Vec<Problem>,
}

impl Workspace {
    /// Number of files to analyse.
    pub fn file_count(&self) -> usize {
        self.packages.iter().map(|p| p.files.len()).sum()
    }

    /// Number of skipped files for which `pred` holds.
    pub fn skipped_count(&self, pred: impl Fn(&SkipReason) -> bool) -> usize {
        self.packages
            .iter()
            .flat_map(|p| &p.skipped)
            .filter(|s| pred(&s.reason))
            .count()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkFile {
    pub path: PathBuf,
    pub go: Option<GoVersion>,
    pub toolchain: Option<String>,
    /// Absolute directories of the `use` directives.
    pub uses: Vec<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    /// The directory holding go.mod.
    pub dir: PathBuf,
    /// The module path; empty when go.mod has no usable `module` directive.
    pub path: String,
    /// The `go` directive, if present and valid.
    pub go: Option<GoVersion>,
    pub toolchain: Option<String>,
}

impl Module {
    /// The language version of the module's files: the `go` directive, or go1.16 when it
    /// is missing (the go command's rule).
    pub fn language_version(&self) -> GoVersion {
        self.go.unwrap_or(MISSING_GO_DIRECTIVE)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub dir: PathBuf,
    /// Module path joined with the directory relative to the module root; outside any
    /// module, the directory relative to the working directory in slash form (`.` for
    /// the working directory itself).
    pub import_path: String,
    /// Index into [`Workspace::modules`].
    pub module: Option<usize>,
    /// Files to analyse, sorted by path. May be empty when every file was skipped.
    pub files: Vec<SourceFile>,
    /// Files left out, sorted by path.
    pub skipped: Vec<SkippedFile>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: PathBuf,
    pub is_test: bool,
    pub is_generated: bool,
    /// The language version the file is written in.
    pub go_version: GoVersion,
    /// The `//go:build` expression, or the `// +build` lines joined by ` ; `.
    pub constraint: Option<String>,
    /// The file was named on the command line and is analysed although the build
    /// constraints, the test or the generated-file rule would leave it out.
    pub forced: bool,
    /// The file's bytes as discovery read them, with [`DiscoverOptions::read_contents`].
    pub contents: Contents,
}

/// A file's bytes, read once by discovery and taken by the run that parses them. A cache of
/// the file, not part of what discovery says of it: equal to any other, and not cloned.
#[derive(Default)]
pub struct Contents(Mutex<Option<Vec<u8>>>);

impl Contents {
    fn new(bytes: Option<Vec<u8>>) -> Contents {
        Contents(Mutex::new(bytes))
    }

    /// The bytes, if discovery kept them and nobody took them yet.
    pub fn take(&self) -> Option<Vec<u8>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

impl Clone for Contents {
    fn clone(&self) -> Contents {
        Contents::default()
    }
}

impl PartialEq for Contents {
    fn eq(&self, _: &Contents) -> bool {
        true
    }
}

impl Eq for Contents {}

impl fmt::Debug for Contents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = self.0.lock().map_or(None, |c| c.as_ref().map(Vec::len));
        write!(f, "Contents({len:?})")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedFile {
    pub path: PathBuf,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Excluded for the target, with what excluded it (`file name suffix _windows`,
    /// `//go:build windows`, `// +build windows`).
    Constraint(String),
    /// A malformed or repeated `//go:build` line; a problem is reported as well.
    InvalidConstraint,
    Generated,
    /// A `_test.go` file while tests are not included.
    Test,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// An argument names nothing on disk.
    NotFound,
    /// A directory argument holds no Go files, or constraints exclude all of them.
    NoGoFiles,
    /// A pattern matched no packages.
    NoPackages,
    /// A pattern's directory belongs to a module that go.work does not use.
    OutsideWorkspace,
    /// A file or directory could not be read.
    Unreadable,
    BadGoMod,
    BadGoWork,
    /// A malformed `//go:build` line.
    BadConstraint,
    /// An invalid option value, like a bad exclude glob.
    BadOption,
}

/// A discovery problem; `Display` gives `path:line: message`, `path: message` or `message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    /// The path as it should be shown: relative to the working directory when inside it.
    pub path: Option<PathBuf>,
    pub line: Option<u32>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, self.line) {
            (Some(p), Some(l)) => write!(f, "{}:{}: {}", p.display(), l, self.message),
            (Some(p), None) => write!(f, "{}: {}", p.display(), self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// Discovers the packages named by `args` (default `./...`) relative to `cwd`.
pub fn discover(cwd: &Path, args: &[String], opts: &DiscoverOptions) -> Workspace {
    let cwd = absolute(cwd);
    let mut d = Discoverer::new(cwd.clone(), opts);
    if opts.use_go_work {
        d.load_go_work();
    }
    let default = ["./...".to_string()];
    let args = if args.is_empty() { &default[..] } else { args };
    for arg in args {
        d.argument(arg);
    }
    d.finish()
}

/// Each directory's Go files gathered from the arguments, in `Path` order: directories by
/// path, files by name (the names of one directory sort as their paths do).
type Buckets = BTreeMap<PathKey, Bucket>;

/// One directory's Go files by name.
type Bucket = BTreeMap<OsString, Slot>;

/// What discovery knows of a file gathered from the arguments.
#[derive(Debug, Clone)]
struct Slot {
    path: PathBuf,
    /// The file was named explicitly.
    forced: bool,
    /// Its number in the [`HeaderReader`], where its header is read.
    index: usize,
}

/// A cleaned path, ordered as `Path` orders it (element by element) but compared on its
/// bytes, where a separator sorts before any other byte. `Path`'s own comparison parses
/// components on every call and, on the thousands of files of a large tree, was most of
/// discovery's time; on a cleaned path (no `.` elements, no repeated or trailing
/// separators) the two orders agree.
#[derive(Debug, Clone)]
struct PathKey(PathBuf);

impl PartialEq for PathKey {
    fn eq(&self, other: &PathKey) -> bool {
        self.0.as_os_str() == other.0.as_os_str()
    }
}

impl Eq for PathKey {}

impl PartialOrd for PathKey {
    fn partial_cmp(&self, other: &PathKey) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PathKey {
    fn cmp(&self, other: &PathKey) -> std::cmp::Ordering {
        cmp_clean_paths(&self.0, &other.0)
    }
}

/// Compares two cleaned paths as `Path::cmp` does, on their bytes: at the first byte where
/// they differ, a separator (the end of an element) is less than anything else, and a path
/// that is a prefix of the other is less.
fn cmp_clean_paths(a: &Path, b: &Path) -> std::cmp::Ordering {
    let (a, b) = (
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    );
    let rank = |byte: u8| {
        if std::path::is_separator(char::from(byte)) {
            0
        } else {
            u16::from(byte) + 1
        }
    };
    // Paths in one tree share long prefixes: skip the equal part eight bytes at a time.
    let words = a
        .chunks_exact(8)
        .zip(b.chunks_exact(8))
        .take_while(|(x, y)| x == y)
        .count();
    let i = words * 8
        + a[words * 8..]
            .iter()
            .zip(&b[words * 8..])
            .take_while(|(x, y)| x == y)
            .count();
    match (a.get(i), b.get(i)) {
        (Some(&x), Some(&y)) => rank(x).cmp(&rank(y)),
        _ => a.len().cmp(&b.len()),
    }
}

struct Discoverer<'a> {
    cwd: PathBuf,
    opts: &'a DiscoverOptions,
    modules: Vec<Module>,
    /// Directory → index of the module owning it (nearest go.mod upward).
    owner: HashMap<PathBuf, Option<usize>>,
    work: Option<WorkFile>,
    problems: Vec<Problem>,
    buckets: Buckets,
    /// The bucket being filled, out of `buckets`: a directory's files come one after the
    /// other, so that the map of directories is searched about once per directory.
    open: Option<(PathKey, Bucket)>,
    headers: HeaderReader,
    /// Directories named explicitly, to report ones whose files are all excluded.
    explicit_dirs: Vec<PathBuf>,
    exclude: Arc<Excluder>,
}

impl<'a> Discoverer<'a> {
    fn new(cwd: PathBuf, opts: &'a DiscoverOptions) -> Discoverer<'a> {
        let base = opts
            .exclude_base
            .as_ref()
            .map_or_else(|| cwd.clone(), |b| clean(&cwd.join(b)));
        let (exclude, errors) = Excluder::new(base, &opts.exclude);
        let problems = errors
            .into_iter()
            .map(|message| Problem {
                kind: ProblemKind::BadOption,
                path: None,
                line: None,
                message,
            })
            .collect();
        Discoverer {
            cwd,
            opts,
            modules: Vec::new(),
            owner: HashMap::new(),
            work: None,
            problems,
            buckets: BTreeMap::new(),
            open: None,
            headers: HeaderReader::new(
                Arc::new(opts.target.clone()),
                Keep {
                    contents: opts.read_contents,
                    tests: opts.tests,
                    include_generated: opts.include_generated,
                },
            ),
            explicit_dirs: Vec::new(),
            exclude: Arc::new(exclude),
        }
    }

    fn problem(
        &mut self,
        kind: ProblemKind,
        path: Option<&Path>,
        line: Option<u32>,
        message: String,
    ) {
        let path = path.map(|p| self.display(p));
        self.problems.push(Problem {
            kind,
            path,
            line,
            message,
        });
    }

    /// The path relative to the working directory when inside it, else as is.
    fn display(&self, path: &Path) -> PathBuf {
        match path.strip_prefix(&self.cwd) {
            Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
            Ok(rel) => rel.to_path_buf(),
            Err(_) => path.to_path_buf(),
        }
    }

    fn load_go_work(&mut self) {
        let Some(path) = self
            .cwd
            .ancestors()
            .map(|dir| dir.join("go.work"))
            .find(|p| p.is_file())
        else {
            return;
        };
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                self.problem(ProblemKind::Unreadable, Some(&path), None, e.to_string());
                return;
            }
        };
        let (parsed, errors) = modfile::parse_go_work(&text);
        for ModError { line, message } in errors {
            self.problem(ProblemKind::BadGoWork, Some(&path), Some(line), message);
        }
        let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let mut uses = Vec::new();
        for (rel, line) in &parsed.uses {
            let used = clean(&dir.join(rel));
            if used.join("go.mod").is_file() {
                uses.push(used);
            } else {
                self.problem(
                    ProblemKind::BadGoWork,
                    Some(&path),
                    Some(*line),
                    format!("directory {rel} does not contain a go.mod file"),
                );
            }
        }
        uses.sort();
        uses.dedup();
        self.work = Some(WorkFile {
            path,
            go: parsed.go,
            toolchain: parsed.toolchain,
            uses: uses.clone(),
        });
        for used in uses {
            self.module_for_dir(&used);
        }
    }

    fn argument(&mut self, arg: &str) {
        if let Some(local) = self.import_path_argument(arg) {
            return self.argument(&local);
        }
        if arg.contains("...") {
            self.pattern(arg);
            return;
        }
        let path = clean(&self.cwd.join(arg));
        match fs::metadata(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => self.problem(
                ProblemKind::NotFound,
                None,
                None,
                format!("{arg}: no such file or directory"),
            ),
            Err(e) => self.problem(ProblemKind::Unreadable, Some(&path), None, e.to_string()),
            Ok(meta) if meta.is_dir() => self.directory(&path),
            // Only a regular file: opening a FIFO named `x.go` waits for a writer forever,
            // and a device may never end (the walks of directories keep regular files too).
            Ok(meta) if meta.is_file() && arg.ends_with(".go") => {
                let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
                self.add_file(&dir, &path, true);
            }
            Ok(_) => self.problem(
                ProblemKind::NotFound,
                None,
                None,
                format!("{arg}: not a Go file or directory"),
            ),
        }
    }

    /// Rewrites an import-path argument (`example.com/m/sub/...`) of the working
    /// directory's module or of a go.work module into a directory path. Arguments that
    /// start with `.` or `/`, or that name something on disk, are paths and stay as they are.
    fn import_path_argument(&mut self, arg: &str) -> Option<String> {
        if arg.starts_with('.') || arg.starts_with('/') || arg.ends_with(".go") {
            return None;
        }
        let literal = arg.split("...").next().unwrap_or("");
        let literal_dir = &literal[..literal.rfind('/').map_or(0, |i| i + 1)];
        if !literal_dir.is_empty() && self.cwd.join(literal_dir).exists() {
            return None;
        }
        if literal_dir.is_empty() && !arg.contains("...") && self.cwd.join(arg).exists() {
            return None;
        }
        let mut candidates: Vec<usize> =
            self.module_for_dir(&self.cwd.clone()).into_iter().collect();
        if let Some(work) = &self.work {
            let uses = work.uses.clone();
            candidates.extend(uses.iter().filter_map(|u| self.module_for_dir(u)));
        }
        // The longest module path wins, as nested module paths are more specific.
        candidates.sort_by_key(|&m| std::cmp::Reverse(self.modules[m].path.len()));
        for m in candidates {
            let module = &self.modules[m];
            if module.path.is_empty() {
                continue;
            }
            let rest = if arg == module.path {
                ""
            } else if let Some(rest) = arg.strip_prefix(&format!("{}/", module.path)) {
                rest
            } else {
                continue;
            };
            let dir = module.dir.join(rest);
            return Some(dir.to_string_lossy().into_owned());
        }
        None
    }

    /// A directory argument: the package in that directory only, whatever its name.
    fn directory(&mut self, dir: &Path) {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                self.problem(ProblemKind::Unreadable, Some(dir), None, e.to_string());
                return;
            }
        };
        let mut files = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => {
                    let path = entry.path();
                    let is_file = fs::metadata(&path).is_ok_and(|m| m.is_file());
                    if is_file && is_go_file_name(&entry.file_name().to_string_lossy()) {
                        files.push(path);
                    }
                }
                Err(e) => self.problem(ProblemKind::Unreadable, Some(dir), None, e.to_string()),
            }
        }
        files.retain(|f| !self.exclude.is_excluded(f));
        if files.is_empty() {
            self.problem(
                ProblemKind::NoGoFiles,
                None,
                None,
                format!("no Go files in {}", self.display(dir).display()),
            );
            return;
        }
        self.explicit_dirs.push(dir.to_path_buf());
        for f in files {
            self.add_file(dir, &f, false);
        }
    }

    /// Adds a file to its directory's bucket, once; a file named explicitly stays forced
    /// however else it was found. A new file's header starts being read right away.
    fn add_file(&mut self, dir: &Path, path: &Path, forced: bool) {
        let Some(name) = path.file_name() else {
            return;
        };
        let bucket = match &mut self.open {
            Some((open, bucket)) if open.0.as_os_str() == dir.as_os_str() => bucket,
            _ => {
                self.close_bucket();
                let key = PathKey(dir.to_path_buf());
                let bucket = self.buckets.remove(&key).unwrap_or_default();
                &mut self.open.insert((key, bucket)).1
            }
        };
        match bucket.entry(name.to_os_string()) {
            btree_map::Entry::Occupied(mut slot) => slot.get_mut().forced |= forced,
            btree_map::Entry::Vacant(slot) => {
                let index = self.headers.submit(path.to_path_buf());
                slot.insert(Slot {
                    path: path.to_path_buf(),
                    forced,
                    index,
                });
            }
        }
    }

    /// Puts the bucket being filled back among the others.
    fn close_bucket(&mut self) {
        if let Some((dir, bucket)) = self.open.take() {
            self.buckets.insert(dir, bucket);
        }
    }

    /// A pattern with `...`: walks the directory before the first wildcard.
    fn pattern(&mut self, arg: &str) {
        let (root_text, rest) = match arg
            .find("...")
            .map(|i| &arg[..i])
            .and_then(|p| p.rfind('/'))
        {
            Some(slash) => (&arg[..=slash], &arg[slash + 1..]),
            None => ("", arg),
        };
        let root = clean(
            &self
                .cwd
                .join(if root_text.is_empty() { "." } else { root_text }),
        );
        if !root.is_dir() {
            self.problem(
                ProblemKind::NotFound,
                None,
                None,
                format!(
                    "{arg}: directory {} does not exist",
                    root_text.trim_end_matches('/')
                ),
            );
            return;
        }
        // The walk reads the `.gitignore` of the root and of every directory above it: one
        // that opening waits on (a FIFO) would hang the run, so the root is not walked.
        if let Some(bad) = root
            .ancestors()
            .map(|d| d.join(".gitignore"))
            .find(|p| blocks_on_open(p))
        {
            self.problem(
                ProblemKind::Unreadable,
                Some(&bad),
                None,
                format!("not a regular file, so {arg} was not walked"),
            );
            return;
        }
        let matcher = Pattern::new(rest);
        let root_module = self.module_for_dir(&root);
        let workspace_uses: Option<HashSet<PathBuf>> =
            self.work.as_ref().map(|w| w.uses.iter().cloned().collect());
        if let (Some(uses), Some(m)) = (&workspace_uses, root_module) {
            if !uses.contains(&self.modules[m].dir) {
                let dir = self.display(&self.modules[m].dir);
                self.problem(
                    ProblemKind::OutsideWorkspace,
                    None,
                    None,
                    format!(
                        "directory {} is contained in a module that is not one of the workspace modules listed in go.work",
                        dir.display()
                    ),
                );
            }
        }
        // Nested modules are their own: the walk stops at a directory with a go.mod,
        // unless go.work uses it, or the walk started outside any module (then every
        // module below is visited as its own, since there is no main module to nest in).
        let descend_into_modules = workspace_uses.is_none() && root_module.is_none();
        let exclude = Arc::clone(&self.exclude);
        let filter_root = root.clone();
        let uses_for_filter = workspace_uses.clone();
        // Directories left out because their `.gitignore` is not a regular file (see above).
        let odd_ignores: Arc<std::sync::Mutex<Vec<PathBuf>>> = Arc::default();
        let odd_for_filter = Arc::clone(&odd_ignores);
        let mut walk = ignore::WalkBuilder::new(&root);
        walk.standard_filters(false)
            .git_ignore(true)
            .parents(true)
            .require_git(false)
            .follow_links(false)
            // Siblings share their parent's path, so comparing whole paths as bytes orders
            // them by name, without taking each path apart for its file name.
            .sort_by_file_path(|a, b| a.as_os_str().cmp(b.as_os_str()))
            .filter_entry(move |entry| {
                // Bytes, not `Path` equality, which takes both paths apart on every entry.
                if entry.depth() == 0 || entry.path().as_os_str() == filter_root.as_os_str() {
                    return true;
                }
                if exclude.is_excluded(entry.path()) {
                    return false;
                }
                if !entry.file_type().is_some_and(|t| t.is_dir()) {
                    return true;
                }
                let name = entry.file_name().to_string_lossy();
                if name.starts_with('.')
                    || name.starts_with('_')
                    || name == "testdata"
                    || name == "vendor"
                {
                    return false;
                }
                let ignore_file = entry.path().join(".gitignore");
                if blocks_on_open(&ignore_file) {
                    if let Ok(mut odd) = odd_for_filter.lock() {
                        odd.push(ignore_file);
                    }
                    return false;
                }
                if entry.path().join("go.mod").is_file() {
                    return match &uses_for_filter {
                        Some(uses) => uses.contains(entry.path()),
                        None => descend_into_modules,
                    };
                }
                true
            });
        let mut matched = 0usize;
        // Whether the latest directory holding a Go file matches: a directory's files come
        // one after the other (between its subdirectories), so this is decided about once
        // per directory instead of once per file.
        let mut verdict: Option<(PathBuf, bool)> = None;
        for entry in walk.build() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    self.problem(ProblemKind::Unreadable, None, None, e.to_string());
                    continue;
                }
            };
            if entry.depth() == 0 {
                continue;
            }
            let path = entry.path();
            if !is_go_file_name(&entry.file_name().to_string_lossy()) {
                continue;
            }
            let is_file = match entry.file_type() {
                Some(t) if t.is_file() => true,
                // Symlinked files are read; symlinked directories are never followed.
                Some(t) if t.is_symlink() => match fs::metadata(path) {
                    Ok(m) => m.is_file(),
                    Err(e) => {
                        let path = path.to_path_buf();
                        self.problem(ProblemKind::Unreadable, Some(&path), None, e.to_string());
                        false
                    }
                },
                _ => false,
            };
            if !is_file {
                continue;
            }
            let Some(dir) = path.parent() else {
                continue;
            };
            let matches = match &verdict {
                Some((last, matches)) if last.as_os_str() == dir.as_os_str() => *matches,
                _ => {
                    let matches =
                        self.directory_matches(dir, &root, &matcher, workspace_uses.as_ref());
                    verdict = Some((dir.to_path_buf(), matches));
                    matches
                }
            };
            if !matches {
                continue;
            }
            matched += 1;
            self.add_file(dir, path, false);
        }
        let odd: Vec<PathBuf> = odd_ignores.lock().map(|o| o.clone()).unwrap_or_default();
        for path in odd {
            self.problem(
                ProblemKind::Unreadable,
                Some(&path),
                None,
                "not a regular file, so its directory was not walked".to_string(),
            );
        }
        if matched == 0 {
            self.problem(
                ProblemKind::NoPackages,
                None,
                None,
                format!("pattern {arg}: matched no packages"),
            );
        }
    }

    /// Whether the Go files of `dir`, a directory the walk from `root` reached, belong to
    /// the pattern: its path relative to the root matches, it is not GOROOT's builtin
    /// package, and under go.work its module is one the workspace uses.
    fn directory_matches(
        &mut self,
        dir: &Path,
        root: &Path,
        matcher: &Pattern,
        workspace_uses: Option<&HashSet<PathBuf>>,
    ) -> bool {
        if !matcher.matches(&slash_rel(dir, root)) {
            return false;
        }
        // The go command never matches GOROOT's documentation-only builtin package.
        if dir.ends_with("builtin")
            && self.module_for_dir(dir).is_some_and(|m| {
                self.modules[m].path == "std" && self.modules[m].dir.join("builtin") == dir
            })
        {
            return false;
        }
        if let Some(uses) = workspace_uses {
            let owner = self.module_for_dir(dir);
            if !owner.is_some_and(|m| uses.contains(&self.modules[m].dir)) {
                return false;
            }
        }
        true
    }

    /// The module owning `dir`: the nearest go.mod upward, loaded once.
    fn module_for_dir(&mut self, dir: &Path) -> Option<usize> {
        if let Some(&m) = self.owner.get(dir) {
            return m;
        }
        let gomod = dir.join("go.mod");
        let m = if gomod.is_file() {
            Some(self.load_module(dir, &gomod))
        } else {
            match dir.parent() {
                Some(parent) => self.module_for_dir(parent),
                None => None,
            }
        };
        self.owner.insert(dir.to_path_buf(), m);
        m
    }

    fn load_module(&mut self, dir: &Path, gomod: &Path) -> usize {
        let mut module = Module {
            dir: dir.to_path_buf(),
            path: String::new(),
            go: None,
            toolchain: None,
        };
        match fs::read_to_string(gomod) {
            Ok(text) => {
                let (parsed, errors) = modfile::parse_go_mod(&text);
                for ModError { line, message } in errors {
                    self.problem(ProblemKind::BadGoMod, Some(gomod), Some(line), message);
                }
                module.path = parsed.module.unwrap_or_default();
                module.go = parsed.go;
                module.toolchain = parsed.toolchain;
            }
            Err(e) => self.problem(ProblemKind::Unreadable, Some(gomod), None, e.to_string()),
        }
        self.modules.push(module);
        self.modules.len() - 1
    }

    fn finish(mut self) -> Workspace {
        self.close_bucket();
        let buckets = std::mem::take(&mut self.buckets);
        let target = Arc::clone(&self.headers.target);
        let keep = self.headers.keep;
        let mut inspected = self.headers.finish();
        let mut packages = Vec::new();
        for (PathKey(dir), files) in buckets {
            let module = self.module_for_dir(&dir);
            let import_path = self.import_path(&dir, module);
            let mut pkg = Package {
                dir: dir.clone(),
                import_path,
                module,
                files: Vec::new(),
                skipped: Vec::new(),
            };
            let base_version = match module {
                Some(m) => self.modules[m].language_version(),
                None => self.opts.go.unwrap_or(LATEST_GO),
            };
            for slot in files.into_values() {
                // A file the workers did not answer for (one of them failed) is read here.
                let facts = inspected
                    .get_mut(slot.index)
                    .and_then(Option::take)
                    .unwrap_or_else(|| inspect(&slot.path, &target, keep, &mut Vec::new()));
                self.file(&mut pkg, slot.path, facts, slot.forced, base_version);
            }
            let constrained = pkg
                .skipped
                .iter()
                .any(|s| matches!(s.reason, SkipReason::Constraint(_)));
            if pkg.files.is_empty() && constrained && self.explicit_dirs.contains(&dir) {
                let shown = self.display(&dir);
                self.problem(
                    ProblemKind::NoGoFiles,
                    None,
                    None,
                    format!(
                        "build constraints exclude all Go files in {}",
                        shown.display()
                    ),
                );
            }
            if !pkg.files.is_empty() || !pkg.skipped.is_empty() {
                packages.push(pkg);
            }
        }
        // Modules are reported sorted by directory; package indices follow.
        let mut order: Vec<usize> = (0..self.modules.len()).collect();
        order.sort_by(|&a, &b| self.modules[a].dir.cmp(&self.modules[b].dir));
        let mut new_index = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        let modules = order.iter().map(|&i| self.modules[i].clone()).collect();
        for pkg in &mut packages {
            pkg.module = pkg.module.map(|m| new_index[m]);
        }
        Workspace {
            work: self.work,
            modules,
            packages,
            problems: self.problems,
        }
    }

    fn import_path(&self, dir: &Path, module: Option<usize>) -> String {
        match module {
            Some(m) => {
                let module = &self.modules[m];
                let rel = slash_rel(dir, &module.dir);
                // The standard library's packages are named without their module path.
                if module.path == "std" && !rel.is_empty() {
                    return rel;
                }
                match (module.path.is_empty(), rel.is_empty()) {
                    (_, true) if !module.path.is_empty() => module.path.clone(),
                    (true, true) => ".".to_string(),
                    (true, false) => rel,
                    _ => format!("{}/{}", module.path, rel),
                }
            }
            None if dir.starts_with(&self.cwd) => {
                let rel = slash_rel(dir, &self.cwd);
                if rel.is_empty() {
                    ".".to_string()
                } else {
                    rel
                }
            }
            None => dir.to_string_lossy().replace('\\', "/"),
        }
    }

    /// Decides, from its header (or the error reading it), whether a file is analysed or
    /// skipped.
    fn file(
        &mut self,
        pkg: &mut Package,
        path: PathBuf,
        facts: io::Result<Inspected>,
        forced: bool,
        base: GoVersion,
    ) {
        let Inspected {
            header,
            ev,
            reason,
            contents,
        } = match facts {
            Ok(facts) => facts,
            Err(e) => {
                self.problem(ProblemKind::Unreadable, Some(&path), None, e.to_string());
                return;
            }
        };
        let is_test = is_test_file(&path);
        if let Some((line, message)) = &ev.error {
            self.problem(
                ProblemKind::BadConstraint,
                Some(&path),
                Some(*line),
                message.clone(),
            );
        }
        if let (Some(reason), false) = (&reason, forced) {
            pkg.skipped.push(SkippedFile {
                path,
                reason: reason.clone(),
            });
            return;
        }
        pkg.files.push(SourceFile {
            path,
            is_test,
            is_generated: header.generated,
            go_version: file_version(base, ev.go_version_pin),
            constraint: ev.constraint,
            forced: reason.is_some(),
            contents: Contents::new(contents),
        });
    }
}

/// The language version of one file: the module's (or default) version, unless the
/// file's `//go:build` line implies a minimum Go version go1.N; then the file gets
/// max(go1.N, go1.21), upgrading or downgrading, as go/types does since Go 1.21
/// (`// +build` lines never set a version).
pub fn file_version(base: GoVersion, pin: Option<GoVersion>) -> GoVersion {
    match pin {
        Some(pin) => pin.max(FILE_VERSION_FLOOR),
        None => base,
    }
}

/// What a file's header says for the target: the header, its constraints evaluated, and
/// why the run's rules leave the file out (`None`: it is analysed); and the whole file, when
/// [`Keep`] asks for it.
#[derive(Debug, PartialEq, Eq)]
struct Inspected {
    header: constraint::Header,
    ev: constraint::Evaluation,
    reason: Option<SkipReason>,
    contents: Option<Vec<u8>>,
}

/// The run's rules for which files are analysed beyond the target's constraints, and
/// whether [`inspect`] reads those files whole (`contents`).
#[derive(Clone, Copy, Debug, Default)]
struct Keep {
    contents: bool,
    tests: bool,
    include_generated: bool,
}

fn is_test_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.as_encoded_bytes().ends_with(b"_test.go"))
}

/// Why a file is left out, from what its header says (and whether it imports "C"), or None
/// when it is analysed.
fn skip_reason(
    ev: &constraint::Evaluation,
    generated: bool,
    uses_cgo: bool,
    is_test: bool,
    target: &Target,
    keep: Keep,
) -> Option<SkipReason> {
    if ev.error.is_some() {
        Some(SkipReason::InvalidConstraint)
    } else if let Some(why) = &ev.excluded_by {
        Some(SkipReason::Constraint(why.clone()))
    } else if uses_cgo && !target.cgo {
        // go/build leaves out files that import "C" when cgo is disabled.
        Some(SkipReason::Constraint("import \"C\" without cgo".into()))
    } else if is_test && !keep.tests {
        Some(SkipReason::Test)
    } else if generated && !keep.include_generated {
        Some(SkipReason::Generated)
    } else {
        None
    }
}

/// Reads a file's header and evaluates its name and constraints for `target`; reads the
/// rest of the file when `keep` asks for its contents.
/// `block` is a buffer the caller keeps from file to file.
fn inspect(path: &Path, target: &Target, keep: Keep, block: &mut Vec<u8>) -> io::Result<Inspected> {
    let mut file = fs::File::open(path)?;
    let (header, uses_cgo, head) = read_header(&mut file, block)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let ev = constraint::evaluate(&name, &header, target);
    let reason = skip_reason(
        &ev,
        header.generated,
        uses_cgo,
        is_test_file(path),
        target,
        keep,
    );
    let wanted = keep.contents && reason.is_none();
    // A failure past the header leaves the file to the run, which reads it again and says
    // why it cannot.
    let contents = match head {
        _ if !wanted => None,
        Head::Whole(bytes) => Some(bytes),
        Head::Block(read) => read_rest(&mut file, &block[..read]).ok(),
    };
    Ok(Inspected {
        header,
        ev,
        reason,
        contents,
    })
}

/// The bytes of `file`: `first`, which were read from its start, then the rest.
fn read_rest(file: &mut fs::File, first: &[u8]) -> io::Result<Vec<u8>> {
    let mut bytes = first.to_vec();
    if first.len() < HEADER_BLOCK {
        // Most files end within the first block: one more read, of nothing, says so, where
        // `read_to_end` would first ask the file's size and position.
        let mut probe = [0u8; 64];
        let n = read_once(file, &mut probe)?;
        if n == 0 {
            return Ok(bytes);
        }
        bytes.extend_from_slice(&probe[..n]);
    }
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Files whose headers are read, and evaluated, while discovery goes on: each file gets a
/// number when it is found, worker threads start once there are enough files to share, and
/// take them in batches while the main thread walks on. What a file's header says depends
/// only on the file, so the results, kept by number, are the same whichever worker read it.
struct HeaderReader {
    target: Arc<Target>,
    keep: Keep,
    /// Files not handed to the workers yet, with their numbers.
    pending: Batch,
    /// How many files were submitted.
    count: usize,
    pool: Option<HeaderPool>,
}

/// The worker threads of a [`HeaderReader`] and the channel that feeds them batches.
struct HeaderPool {
    batches: mpsc::Sender<Batch>,
    /// The other end of `batches`, shared by the workers and, at the end, the main thread.
    receiver: Arc<Mutex<mpsc::Receiver<Batch>>>,
    workers: Vec<std::thread::JoinHandle<Vec<Answer>>>,
}

/// A file's number and what its header says.
type Answer = (usize, io::Result<Inspected>);

/// Files handed over together, with their numbers.
type Batch = Vec<(usize, PathBuf)>;

impl HeaderReader {
    /// Workers start at this many files: below it, reading on the main thread at the end
    /// costs less than starting threads.
    const START: usize = 64;
    /// Files per batch handed to a worker, so that taking a batch is rare next to reading.
    const BATCH: usize = 16;

    fn new(target: Arc<Target>, keep: Keep) -> HeaderReader {
        HeaderReader {
            target,
            keep,
            pending: Vec::new(),
            count: 0,
            pool: None,
        }
    }

    /// Queues a file; its number is the index of its result in [`HeaderReader::finish`].
    fn submit(&mut self, path: PathBuf) -> usize {
        let index = self.count;
        self.count += 1;
        self.pending.push((index, path));
        if self.pool.is_none() && self.pending.len() >= Self::START {
            self.pool = Some(self.start());
        }
        if self.pending.len() >= Self::BATCH {
            if let Some(pool) = &self.pool {
                // The pool keeps the receiving end, so the send cannot fail; a file that no
                // one answers for is read by `Discoverer::finish`.
                let _ = pool.batches.send(std::mem::take(&mut self.pending));
            }
        }
        index
    }

    fn start(&self) -> HeaderPool {
        // The main thread walks while the workers read, and reads with them once the walk
        // is done: one worker fewer than there are cores keeps every core busy (none on a
        // single core, where the main thread reads everything at the end).
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8)) - 1;
        let (batches, receiver) = mpsc::channel::<Batch>();
        let receiver = Arc::new(Mutex::new(receiver));
        let workers = (0..threads)
            .filter_map(|_| {
                let receiver = Arc::clone(&receiver);
                let target = Arc::clone(&self.target);
                let keep = self.keep;
                std::thread::Builder::new()
                    .spawn(move || drain(&receiver, &target, keep))
                    .ok()
            })
            .collect();
        HeaderPool {
            batches,
            receiver,
            workers,
        }
    }

    /// Every submitted file's result by number; None for a file whose worker failed.
    fn finish(&mut self) -> Vec<Option<io::Result<Inspected>>> {
        let mut results: Vec<Option<io::Result<Inspected>>> =
            std::iter::repeat_with(|| None).take(self.count).collect();
        let pending = std::mem::take(&mut self.pending);
        match self.pool.take() {
            Some(HeaderPool {
                batches,
                receiver,
                workers,
            }) => {
                let _ = batches.send(pending);
                drop(batches);
                let mine = drain(&receiver, &self.target, self.keep);
                let theirs = workers
                    .into_iter()
                    .flat_map(|worker| worker.join().unwrap_or_default());
                for (index, facts) in mine.into_iter().chain(theirs) {
                    results[index] = Some(facts);
                }
            }
            None => {
                let mut block = Vec::new();
                for (index, path) in pending {
                    results[index] = Some(inspect(&path, &self.target, self.keep, &mut block));
                }
            }
        }
        results
    }
}

/// Inspects the files of batch after batch, until the channel is closed and empty.
fn drain(batches: &Mutex<mpsc::Receiver<Batch>>, target: &Target, keep: Keep) -> Vec<Answer> {
    let mut done = Vec::new();
    let mut block = Vec::new();
    loop {
        let batch = batches.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok(batch) = batch else {
            return done;
        };
        for (index, path) in batch {
            let facts = inspect(&path, target, keep, &mut block);
            done.push((index, facts));
        }
    }
}

/// One `read` of `file` into `buf`, retried when a signal interrupts it: how many bytes it
/// read (0 at the end of the file).
fn read_once(file: &mut fs::File, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match file.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            n => return n,
        }
    }
}

/// The size of the first read of a file, which holds most files' whole header.
const HEADER_BLOCK: usize = 8192;

/// What [`read_header`] read of a file: the first `n` bytes of the block, or all of it.
#[derive(Debug)]
enum Head {
    Block(usize),
    Whole(Vec<u8>),
}

/// Reads enough of a file to see its whole header: a first block, then all of it when the
/// header runs past that block.
/// Also reports whether the file imports "C". `block` is a buffer kept from file to file,
/// so that it is allocated and zeroed once, not once per file.
fn read_header(
    file: &mut fs::File,
    block: &mut Vec<u8>,
) -> io::Result<(constraint::Header, bool, Head)> {
    block.resize(HEADER_BLOCK, 0);
    let read = read_once(file, &mut block[..HEADER_BLOCK])?;
    // Only the bytes just read count: the rest of the block holds an earlier file's.
    let first = &block[..read];
    // One read, which may stop inside a line: when the header and the imports end within
    // its whole lines, they are what the whole file says, and neither the rest of the file
    // nor a second read to find its end is needed (most files are smaller than a block).
    let lines = memchr::memrchr(b'\n', first).map_or(0, |i| i + 1);
    let header = constraint::scan_header(&first[..lines]);
    if let (true, Some(cgo)) = (header.complete, constraint::imports_c(&first[..lines])) {
        return Ok((header, cgo, Head::Block(read)));
    }
    let mut buf = first.to_vec();
    file.read_to_end(&mut buf)?;
    let header = constraint::scan_header(&buf);
    let cgo = constraint::imports_c(&buf).unwrap_or(false);
    Ok((header, cgo, Head::Whole(buf)))
}

/// go/build ignores files whose names start with `_` or `.`.
pub(crate) fn is_go_file_name(name: &str) -> bool {
    name.ends_with(".go") && !name.starts_with('.') && !name.starts_with('_')
}

/// `path` relative to `base` in slash form, "" when equal; `path` must be under `base`.
fn slash_rel(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// Makes a path absolute without touching the disk.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).map_or_else(|_| path.to_path_buf(), |p| clean(&p))
}

/// Lexical cleaning: drops `.` and resolves `..` against the preceding element, as Go's
/// filepath.Clean.
pub fn clean(path: &Path) -> PathBuf {
    // The loader cleans every directory it is asked about, and those are clean already:
    // taking them apart and putting them together again would give the same bytes.
    if is_clean(path) {
        return path.to_path_buf();
    }
    clean_components(path)
}

/// Whether [`clean_components`] would give `path` back unchanged: a `/`-separated path
/// without `.` or `..` elements, empty elements (repeated separators) or a trailing
/// separator.
fn is_clean(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    if std::path::MAIN_SEPARATOR != '/' || bytes.is_empty() {
        return false;
    }
    bytes == b"/"
        || (!bytes.ends_with(b"/")
            && bytes
                .split(|&b| b == b'/')
                .enumerate()
                .all(|(i, element)| match element {
                    b"" => i == 0,
                    b"." | b".." => false,
                    _ => true,
                }))
}

/// [`clean`], element by element.
fn clean_components(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// The part of a package pattern after its literal directory prefix, matched against a
/// directory's slash path relative to that prefix. `...` matches any string, and `x/...`
/// also matches `x` (go's matchPattern).
struct Pattern {
    parts: Vec<String>,
    trailing_slash_dots: bool,
}

impl Pattern {
    fn new(rest: &str) -> Pattern {
        Pattern {
            parts: rest.split("...").map(str::to_string).collect(),
            trailing_slash_dots: rest.ends_with("/..."),
        }
    }

    fn matches(&self, rel: &str) -> bool {
        if self.trailing_slash_dots {
            let prefix = &self.parts[..self.parts.len() - 1].join("...");
            if let Some(stem) = prefix.strip_suffix('/') {
                if !stem.contains("...") && rel == stem {
                    return true;
                }
            }
        }
        wildcard_match(&self.parts, rel)
    }
}

/// Matches `text` against literal parts separated by `...` wildcards.
fn wildcard_match(parts: &[String], text: &str) -> bool {
    let (first, rest) = match parts.split_first() {
        Some(x) => x,
        None => return text.is_empty(),
    };
    let Some(mut remaining) = text.strip_prefix(first.as_str()) else {
        return false;
    };
    if rest.is_empty() {
        return remaining.is_empty();
    }
    let (last, middle) = rest.split_last().expect("rest is not empty");
    for part in middle {
        match remaining.find(part.as_str()) {
            Some(i) => remaining = &remaining[i + part.len()..],
            None => return false,
        }
    }
    remaining.ends_with(last.as_str())
}

/// The exclude globs, matched against paths relative to a base directory.
struct Excluder {
    base: PathBuf,
    full: GlobSet,
    element: GlobSet,
}

impl Excluder {
    fn new(base: PathBuf, globs: &[String]) -> (Excluder, Vec<String>) {
        let mut full = GlobSetBuilder::new();
        let mut element = GlobSetBuilder::new();
        let mut errors = Vec::new();
        for g in globs {
            match build_glob(g) {
                Ok(glob) if g.contains('/') => {
                    full.add(glob);
                }
                Ok(glob) => {
                    element.add(glob);
                }
                Err(e) => errors.push(format!("invalid exclude glob {g:?}: {e}")),
            }
        }
        let full = full.build().unwrap_or_else(|_| GlobSet::empty());
        let element = element.build().unwrap_or_else(|_| GlobSet::empty());
        (
            Excluder {
                base,
                full,
                element,
            },
            errors,
        )
    }

    fn is_excluded(&self, path: &Path) -> bool {
        if self.full.is_empty() && self.element.is_empty() {
            return false;
        }
        let Ok(rel) = path.strip_prefix(&self.base) else {
            return false;
        };
        let rel_slash = slash_rel(rel, Path::new(""));
        if self.full.is_match(rel_slash.trim_start_matches("./")) {
            return true;
        }
        path.file_name().is_some_and(|n| self.element.is_match(n))
    }
}

/// Builds a glob in the style of ruff and gitignore: `*` stays within one path element,
/// `**` crosses them.
pub fn build_glob(text: &str) -> Result<Glob, globset::Error> {
    globset::GlobBuilder::new(text.trim_start_matches("./"))
        .literal_separator(true)
        .build()
}

/// Whether opening `path` may wait forever: a FIFO (until a writer comes), or a device or
/// socket. The walks of directories read a `.gitignore` in every directory they enter, and
/// the `ignore` crate opens it before racelens sees the directory's entries.
fn blocks_on_open(path: &Path) -> bool {
    let Ok(meta) = fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        t.is_fifo() || t.is_char_device() || t.is_block_device() || t.is_socket()
    }
    #[cfg(not(unix))]
    {
        !meta.is_file() && !meta.is_dir()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_matching() {
        let p = Pattern::new("...");
        assert!(p.matches(""));
        assert!(p.matches("a/b"));
        let p = Pattern::new("net/...");
        assert!(p.matches("net"));
        assert!(p.matches("net/http"));
        assert!(!p.matches("network"));
        let p = Pattern::new("net...");
        assert!(p.matches("network"));
        let p = Pattern::new("...http");
        assert!(p.matches("net/http"));
        assert!(!p.matches("net/http/pprof"));
        let p = Pattern::new("a/.../c");
        assert!(p.matches("a/b/c"));
        assert!(!p.matches("a/b/d"));
    }

    #[test]
    fn file_versions() {
        let v = GoVersion::new;
        assert_eq!(file_version(v(1, 20), None), v(1, 20));
        assert_eq!(file_version(v(1, 20), Some(v(1, 22))), v(1, 22));
        assert_eq!(file_version(v(1, 23), Some(v(1, 18))), v(1, 21));
        assert_eq!(file_version(v(1, 16), Some(v(1, 17))), v(1, 21));
    }

    #[test]
    fn path_keys_order_as_paths_do() {
        let paths = [
            "/",
            "/a",
            "/a/b",
            "/a/b/c",
            "/a-b",
            "/a.b",
            "/a0",
            "/ab",
            "/a/b-c",
            "/a/b/c.go",
            "/a/b.go",
            "/a/b_test.go",
            "/a/bc",
            "/b",
            "/\u{e9}",
            "/a/\u{e9}/x",
            "/a/z",
            "a",
            "a/b",
            "a-b",
            "/usr/lib/go/src/net",
            "/usr/lib/go/src/net/http",
            "/usr/lib/go/src/net-x",
            "/usr/lib/go/src/net.go",
        ];
        for a in paths {
            for b in paths {
                let (a, b) = (Path::new(a), Path::new(b));
                assert_eq!(cmp_clean_paths(a, b), a.cmp(b), "{a:?} vs {b:?}");
                let (ka, kb) = (PathKey(a.to_path_buf()), PathKey(b.to_path_buf()));
                assert_eq!(ka == kb, a == b, "{a:?} vs {b:?}");
            }
        }
    }

    /// The standard library's source, which the tests below discover.
    fn goroot_src() -> PathBuf {
        let src = PathBuf::from("/usr/lib/go-1.19/src");
        assert!(
            src.join("go.mod").is_file(),
            "{} is missing: install the golang-1.19-src Debian package to run this test",
            src.display()
        );
        src
    }

    #[test]
    fn headers_read_by_workers_equal_headers_read_in_place() {
        let src = goroot_src();
        let ws = discover(&src, &["./...".to_string()], &DiscoverOptions::default());
        let paths: Vec<PathBuf> = ws
            .packages
            .iter()
            .flat_map(|p| {
                let files = p.files.iter().map(|f| f.path.clone());
                files.chain(p.skipped.iter().map(|s| s.path.clone()))
            })
            .collect();
        assert!(
            paths.len() > HeaderReader::START * 4,
            "{} files",
            paths.len()
        );
        let target = Target::default();
        // Enough files to start the workers, and too few to.
        let keep = Keep {
            contents: true,
            tests: true,
            include_generated: false,
        };
        for count in [paths.len(), HeaderReader::START - 1] {
            let mut reader = HeaderReader::new(Arc::new(target.clone()), keep);
            for (i, path) in paths[..count].iter().enumerate() {
                assert_eq!(reader.submit(path.clone()), i);
            }
            let results = reader.finish();
            assert_eq!(results.len(), count);
            for (path, result) in paths.iter().zip(results) {
                let read = result.expect("every file is answered").unwrap();
                let expected = inspect(path, &target, keep, &mut Vec::new()).unwrap();
                assert_eq!(read, expected, "{}", path.display());
            }
        }
    }

    #[test]
    fn headers_read_from_a_block_equal_headers_of_whole_files() {
        // Every Go file under GOROOT's source, test data included, walked with a stack.
        let mut dirs = vec![goroot_src()];
        let mut count = 0;
        let mut block = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let entry = entry.unwrap();
                let path = entry.path();
                let kind = entry.file_type().unwrap();
                if kind.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if !kind.is_file() || path.extension().is_none_or(|e| e != "go") {
                    continue;
                }
                let whole = fs::read(&path).unwrap();
                let expected = (
                    constraint::scan_header(&whole),
                    constraint::imports_c(&whole).unwrap_or(false),
                );
                // One buffer for all files, as a worker keeps it.
                let mut file = fs::File::open(&path).unwrap();
                let (header, cgo, head) = read_header(&mut file, &mut block).unwrap();
                assert_eq!((header, cgo), expected, "{}", path.display());
                // What was read, and the rest, is the file.
                let bytes = match head {
                    Head::Whole(bytes) => bytes,
                    Head::Block(n) => read_rest(&mut file, &block[..n]).unwrap(),
                };
                assert!(bytes == whole, "{}", path.display());
                count += 1;
            }
        }
        assert!(count > 5000, "{count} files");
    }

    #[test]
    fn the_standard_library_is_discovered_in_path_order() {
        let src = goroot_src();
        let opts = DiscoverOptions {
            read_contents: true,
            ..DiscoverOptions::default()
        };
        let ws = discover(&src, &["./...".to_string()], &opts);
        assert!(ws.packages.len() > 200, "{} packages", ws.packages.len());
        let dirs: Vec<&PathBuf> = ws.packages.iter().map(|p| &p.dir).collect();
        let mut sorted = dirs.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(dirs, sorted);
        let target = Target::default();
        for pkg in &ws.packages {
            let files: Vec<&PathBuf> = pkg.files.iter().map(|f| &f.path).collect();
            let mut sorted = files.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(files, sorted);
            // Each file's facts are what its header, read here, says.
            for file in &pkg.files {
                let facts = inspect(&file.path, &target, Keep::default(), &mut Vec::new()).unwrap();
                assert_eq!(file.is_generated, facts.header.generated);
                // Discovery kept the file's bytes, to be taken once.
                let kept = file.contents.take();
                assert!(
                    kept == Some(fs::read(&file.path).unwrap()),
                    "{}",
                    file.path.display()
                );
                assert!(file.contents.take().is_none());
                assert_eq!(file.constraint, facts.ev.constraint);
                assert_eq!(
                    file.go_version,
                    file_version(GoVersion::new(1, 19), facts.ev.go_version_pin)
                );
                assert_eq!(file.path.parent(), Some(pkg.dir.as_path()));
            }
        }
    }

    #[test]
    fn cleaning() {
        assert_eq!(clean(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(clean(Path::new("./")), PathBuf::from("."));
    }

    #[test]
    fn clean_paths_are_given_back_as_cleaning_would_give_them() {
        let mut paths: Vec<String> = [
            "",
            "/",
            "//",
            "///a",
            "a",
            "a/",
            "/a/",
            "a//b",
            "/a//b/",
            ".",
            "..",
            "./a",
            "../a",
            "/..",
            "/../a",
            "a/.",
            "a/..",
            "a/./b",
            "a/../b",
            "/a/b/c",
            "a.b/.c/..d/c.",
            "/a/.../b",
            "/\u{e9}/x",
            "a\\b/c",
        ]
        .iter()
        .map(|p| p.to_string())
        .collect();
        // Every directory of GOROOT's source, relative and absolute.
        let root = goroot_src();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let entry = entry.unwrap();
                if entry.file_type().unwrap().is_dir() {
                    dirs.push(entry.path());
                }
            }
            let rel = dir.strip_prefix(&root).unwrap();
            paths.push(dir.to_string_lossy().into_owned());
            paths.push(rel.to_string_lossy().into_owned());
            paths.push(format!("{}/", dir.display()));
            paths.push(format!("{}/..", dir.display()));
        }
        assert!(paths.len() > 1000, "{} paths", paths.len());
        let mut fast = 0;
        for p in &paths {
            let path = Path::new(p);
            assert_eq!(
                clean(path).as_os_str(),
                clean_components(path).as_os_str(),
                "{p:?}"
            );
            if is_clean(path) {
                fast += 1;
                assert_eq!(
                    clean_components(path).as_os_str(),
                    path.as_os_str(),
                    "{p:?}"
                );
            }
        }
        assert!(fast > 500, "{fast} paths taken as clean");
    }
}
