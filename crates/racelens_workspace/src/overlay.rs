//! The importer of a run: the [`Overlay`] in front of the run's importer (normally the
//! [`crate::load::Loader`]), which serves a workspace package's already parsed files instead
//! of reading them again, and answers each distinct import question once.
//!
//! Every package resolved in a run (each imported package, each checked package and its
//! test variants, each summary) asks the importer for each of its imports, and each type
//! checker asks again for what it imports: thousands of questions on the standard library,
//! few of them new. An answer costs path work in the loader (making the directory absolute,
//! finding its module, joining and comparing candidate directories); the overlay keeps every
//! answer, by import path, for the importing directory, or for the whole scope that the
//! inner importer says answers alike ([`Importer::import_scope`]: a module's directories).
//! The answers are the inner importer's own: `Overlay::import_uncached` asks it without the
//! memo, and `tests/overlay_memo.rs` shows the two agree on every import of the Go tree and
//! of the fixtures.

use racelens_semantic::import::{first_file_name, Importer, SourcePackage};
use racelens_semantic::scope::FxMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// The run's importer: `inner`, except that a package directory of the workspace is served
/// its already parsed files, and that each answer is kept.
pub struct Overlay<'a> {
    inner: &'a dyn Importer,
    /// The importable package of each workspace directory, by its canonical path (GOROOT
    /// is often reached through a symbolic link: `/usr/lib/go/src` for `/usr/share/go/src`).
    dirs: FxMap<PathBuf, Arc<SourcePackage>>,
    /// The canonical path of each directory the importer asked about, found once.
    canonical: Mutex<FxMap<PathBuf, PathBuf>>,
    memo: Mutex<Memo>,
}

/// The answers given so far.
#[derive(Default)]
struct Memo {
    /// The scope of each importing directory, by its path as asked (an index into
    /// `answers`). Keyed by the bytes, which hash in one go where a `Path` hashes component
    /// by component; two spellings of a directory merely get a scope each.
    scope_of: FxMap<OsString, usize>,
    /// The scopes that several directories share, by the directory the inner importer
    /// names for them.
    shared: FxMap<PathBuf, usize>,
    /// Per scope, the package each import path means (`None`: not found).
    answers: Vec<FxMap<String, Option<Arc<SourcePackage>>>>,
    /// Per scope, the package name of import paths asked only for their name.
    names: Vec<FxMap<String, Option<String>>>,
}

impl<'a> Overlay<'a> {
    /// What the overlay owns (the packages it serves, its memos), without the importer it
    /// borrows: to be freed on a thread that nobody waits for.
    pub fn into_owned(self) -> impl Send + 'static {
        (self.dirs, self.canonical, self.memo)
    }

    /// An overlay over `inner` serving `packages`, each the importable package of a
    /// workspace directory (by that directory).
    pub fn new(
        inner: &'a dyn Importer,
        packages: impl IntoIterator<Item = (PathBuf, Arc<SourcePackage>)>,
    ) -> Overlay<'a> {
        Overlay {
            inner,
            dirs: packages
                .into_iter()
                .map(|(dir, pkg)| (canonical(&dir), pkg))
                .collect(),
            canonical: Mutex::new(FxMap::default()),
            memo: Mutex::new(Memo::default()),
        }
    }

    /// What `import` answers, asked of the inner importer every time (no memo).
    pub fn import_uncached(&self, path: &str, from_dir: &Path) -> Option<Arc<SourcePackage>> {
        self.inner
            .import_parsed(path, from_dir, &|dir| self.parsed(dir))
    }

    /// What `package_name` answers, asked of the inner importer every time (no memo).
    pub fn package_name_uncached(&self, path: &str, from_dir: &Path) -> Option<String> {
        self.inner
            .package_name_parsed(path, from_dir, &|dir| self.parsed(dir))
    }

    /// The workspace package parsed for directory `dir`, if any.
    fn parsed(&self, dir: &Path) -> Option<Arc<SourcePackage>> {
        if let Some(c) = lock(&self.canonical).get(dir) {
            return self.dirs.get(c).cloned();
        }
        // Resolved outside the lock: it reads the file system, and the other workers ask
        // for the directories they import meanwhile.
        let c = canonical(dir);
        let found = self.dirs.get(&c).cloned();
        lock(&self.canonical).insert(dir.to_path_buf(), c);
        found
    }

    /// How many distinct questions were answered from the inner importer so far (each
    /// import path once per scope).
    pub fn answered(&self) -> usize {
        lock(&self.memo).answers.iter().map(|a| a.len()).sum()
    }

    /// The scope of `from_dir`, made now (unless another worker just did).
    fn scope(&self, from_dir: &Path) -> usize {
        // Asked outside the lock: the inner importer may read the disk.
        let shared = self.inner.import_scope(from_dir);
        let mut memo = lock(&self.memo);
        let memo = &mut *memo;
        if let Some(&s) = memo.scope_of.get(from_dir.as_os_str()) {
            return s;
        }
        let fresh = memo.answers.len();
        let s = match shared {
            Some(key) => *memo.shared.entry(key).or_insert(fresh),
            None => fresh,
        };
        if s == fresh {
            memo.answers.push(FxMap::default());
            memo.names.push(FxMap::default());
        }
        memo.scope_of.insert(from_dir.as_os_str().to_owned(), s);
        s
    }
}

/// The canonical form of directory `dir` (symbolic links resolved), or its absolute form
/// when it cannot be resolved.
fn canonical(dir: &Path) -> PathBuf {
    std::fs::canonicalize(dir).unwrap_or_else(|_| crate::load::absolute(dir))
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Entries are inserted whole, so a worker that panicked left the maps consistent.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Importer for Overlay<'_> {
    fn import(&self, path: &str, from_dir: &Path) -> Option<Arc<SourcePackage>> {
        // A question asked before takes one lock.
        let s = {
            let memo = lock(&self.memo);
            let s = memo.scope_of.get(from_dir.as_os_str()).copied();
            if let Some(known) = s.and_then(|s| memo.answers[s].get(path)) {
                return known.clone();
            }
            s
        };
        let s = s.unwrap_or_else(|| self.scope(from_dir));
        // Answered outside the lock, so that workers resolve different imports in parallel
        // (the loader reads and parses a package on first use). Two workers asking the same
        // question at once get the same package (the loader reads each once), and the first
        // answer kept is the one every later question gets.
        let found = self.import_uncached(path, from_dir);
        lock(&self.memo).answers[s]
            .entry(path.to_string())
            .or_insert(found)
            .clone()
    }

    fn package_name(&self, path: &str, from_dir: &Path) -> Option<String> {
        // The package's own name when it was imported already; else the name alone,
        // which the inner importer may find without parsing the package.
        let s = {
            let memo = lock(&self.memo);
            let s = memo.scope_of.get(from_dir.as_os_str()).copied();
            if let Some(s) = s {
                if let Some(known) = memo.answers[s].get(path) {
                    return first_file_name(known.clone());
                }
                if let Some(name) = memo.names[s].get(path) {
                    return name.clone();
                }
            }
            s
        };
        let s = s.unwrap_or_else(|| self.scope(from_dir));
        let found = self.package_name_uncached(path, from_dir);
        lock(&self.memo).names[s]
            .entry(path.to_string())
            .or_insert(found)
            .clone()
    }

    fn serves(&self, path: &str, from_dir: &Path, src: &Arc<SourcePackage>) -> bool {
        self.import(path, from_dir)
            .is_some_and(|p| Arc::ptr_eq(&p, src))
    }

    fn import_scope(&self, from_dir: &Path) -> Option<PathBuf> {
        self.inner.import_scope(from_dir)
    }
}
