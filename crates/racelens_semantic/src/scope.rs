//! Name resolution for one Go package: binds every identifier occurrence to its `Def`
//! following the Go specification's "Declarations and scope", and records qualified
//! identifiers, closure captures, enclosing functions and loop variables.
//!
//! The resolver keeps one binding stack per distinct name ("shadow stacks"): declaring
//! pushes, closing a scope pops what it declared, so a lookup is one hash of the name plus
//! a look at the top of its stack. Package-level names and the universe are consulted only
//! when no local or file-scope binding exists. The walk recurses along the tree but grows
//! the stack on demand (`stacker`) and walks left-leaning binary chains with a loop, so
//! arbitrarily deep trees cannot overflow it.
//!
//! A package checked with its in-package test files reuses the resolution of its other
//! files, made for its importers (`extend_package`): those files' defs, scopes and bindings
//! are renumbered into place and only the test files are walked, which gives exactly what
//! resolving every file would, as long as the test files change no binding of the others
//! (which `extend_package` checks, declining otherwise).
//!
//! Two guesses stand in for type information. A composite literal key is resolved as an
//! expression only when the literal's type is syntactically a map, slice or array (looking
//! through named types of the package); a struct's keys are field names; other keys are
//! recorded as candidates. An implicit import's name is guessed from its path and revised
//! once the file is walked if the file uses another plausible name instead.

use crate::def::{
    guess_package_name, package_name_candidates, DeclSite, Def, DefId, DefKind, FuncRef,
    ImportInfo, ImportStyle, Scope, ScopeId, ScopeKind, UNIVERSE,
};
use racelens_syntax::ast::{
    DeclId, DeclKind, ExprId, ExprKind, FieldListId, IdentId, SpecId, SpecKind, StmtId, StmtKind,
};
use racelens_syntax::token::TokenKind;
use racelens_syntax::File;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// A variable captured by reference by a function literal, with every use site inside the
/// literal (including uses inside literals nested in it), in source order of the walk.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Capture {
    pub def: DefId,
    pub uses: Vec<IdentId>,
}

/// The answer for a selector `pkg.Name` whose operand resolves to an import.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ImportedName<'f> {
    pub import: DefId,
    /// The selected identifier (`Name`).
    pub sel: IdentId,
    pub name: &'f str,
}

/// The bindings of one file.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct FileScopes {
    /// The file scope (its imports).
    pub scope: ScopeId,
    /// Indexed by `IdentId`: the def each identifier occurrence denotes, declarations
    /// included. `None` for `_`, for unresolved names, and for names that need types to
    /// resolve: selected fields and methods (`x.f`), struct literal keys, field and
    /// interface method names.
    bindings: Vec<Option<DefId>>,
    /// `(selector, import, sel)` sorted by selector.
    qualified: Vec<(ExprId, DefId, IdentId)>,
    /// Captures of each function literal, sorted by literal.
    captures: Vec<(ExprId, Vec<Capture>)>,
    /// The function literals whose captures are not all listed (`captures_cut`), sorted.
    cut_captures: Vec<ExprId>,
    /// The function enclosing each function literal (`None` for a literal in a
    /// package-level initializer), sorted by literal.
    lit_parents: Vec<(ExprId, Option<FuncRef>)>,
    /// Composite literal keys whose literal type is not known to be a struct, map, slice or
    /// array (a named type from another package, a type parameter): the def the key would
    /// denote if it were an expression. They are not in `bindings`.
    key_candidates: Vec<(IdentId, DefId)>,
    /// Whether the file has a dot import, whose names are unknown here.
    pub has_dot_import: bool,
}

/// Scopes and bindings of one package.
#[derive(Clone, Debug)]
pub struct PackageScopes {
    pub defs: Vec<Def>,
    pub scopes: Vec<Scope>,
    pub files: Vec<FileScopes>,
    pub universe: ScopeId,
    pub package: ScopeId,
    package_names: FxMap<Arc<str>, DefId>,
    /// Where each file's defs and scopes lie, for `extend_package`; `None` for a result of
    /// `extend_package` itself.
    layout: Option<Box<Layout>>,
}

/// The defs and scopes of one file in a resolution: `[start, end)` ranges of indices.
#[derive(Clone, Copy, Debug, Default)]
struct FileBlock {
    /// The file's package-level declarations and imports (pass 1).
    decls: (u32, u32),
    /// Everything its walk declared (pass 2): parameters, locals, labels.
    locals: (u32, u32),
    /// The scopes its walk opened (its file scope is `2 + file`).
    scopes: (u32, u32),
}

/// What `extend_package` needs to know of a from-scratch resolution besides its result.
#[derive(Clone, Debug, Default)]
struct Layout {
    files: Vec<FileBlock>,
    /// Names that some lookup searched at package level without finding a package-level
    /// def (it found a universe name, or nothing): a test file declaring one at package
    /// level would change what the lookup finds.
    fell_through: FxMap<Box<[u8]>, ()>,
}

/// Two resolutions are equal when they hold the same defs, scopes and bindings under the
/// same ids (what `extend_package` keeps to reuse a resolution does not count).
impl PartialEq for PackageScopes {
    fn eq(&self, other: &PackageScopes) -> bool {
        self.defs == other.defs
            && self.scopes == other.scopes
            && self.files == other.files
            && self.universe == other.universe
            && self.package == other.package
            && self.package_names == other.package_names
    }
}

impl PackageScopes {
    pub fn def(&self, id: DefId) -> &Def {
        &self.defs[id.index()]
    }

    /// The def identifier `ident` of file `file` denotes (or declares).
    pub fn binding(&self, file: usize, ident: IdentId) -> Option<DefId> {
        self.files[file]
            .bindings
            .get(ident.index())
            .copied()
            .flatten()
    }

    /// All bindings of a file, indexed by `IdentId`.
    pub fn bindings(&self, file: usize) -> &[Option<DefId>] {
        &self.files[file].bindings
    }

    /// The package-level def named `name` (the first one declared, if the package declares
    /// the name several times, as files for different build constraints do).
    pub fn lookup_package(&self, name: &str) -> Option<DefId> {
        self.package_names.get(name).copied()
    }

    /// If `selector` (a `Selector` expression of file `file`, whose tree is `tree`) is a
    /// qualified identifier `pkg.Name`, the import and the name.
    pub fn imported_name<'f>(
        &self,
        file: usize,
        tree: &'f File,
        selector: ExprId,
    ) -> Option<ImportedName<'f>> {
        let q = &self.files[file].qualified;
        let i = q.binary_search_by_key(&selector, |e| e.0).ok()?;
        let (_, import, sel) = q[i];
        Some(ImportedName {
            import,
            sel,
            name: tree.ident_name(sel),
        })
    }

    /// All qualified identifiers of a file: `(selector, import, sel)`, sorted by selector.
    pub fn qualified(&self, file: usize) -> &[(ExprId, DefId, IdentId)] {
        &self.files[file].qualified
    }

    /// The variables function literal `lit` captures by reference: locals, parameters,
    /// results and receivers declared outside it but inside the enclosing function.
    pub fn captures(&self, file: usize, lit: ExprId) -> &[Capture] {
        let c = &self.files[file].captures;
        match c.binary_search_by_key(&lit, |e| e.0) {
            Ok(i) => &c[i].1,
            Err(_) => &[],
        }
    }

    /// All function literals of a file that capture something, with their captures.
    pub fn all_captures(&self, file: usize) -> &[(ExprId, Vec<Capture>)] {
        &self.files[file].captures
    }

    /// Whether the captures of function literal `lit` may be missing some: a use is listed
    /// as a capture of the [`MAX_CAPTURE_NESTING`] literals nearest around it, not of those
    /// further out, which are then marked, and so are all the literals around them (a
    /// bound: a use inside thousands of nested literals would otherwise be listed for each).
    pub fn captures_cut(&self, file: usize, lit: ExprId) -> bool {
        self.files[file].cut_captures.binary_search(&lit).is_ok()
    }

    /// The function directly enclosing function literal `lit`; `None` for a literal in a
    /// package-level initializer, or if `lit` is not a function literal.
    pub fn enclosing_func(&self, file: usize, lit: ExprId) -> Option<FuncRef> {
        let p = &self.files[file].lit_parents;
        let i = p.binary_search_by_key(&lit, |e| e.0).ok()?;
        p[i].1
    }

    /// Whether `def` is declared inside function `func` of file `file` (in its signature,
    /// its body, or any function literal nested in it).
    pub fn is_declared_within(&self, def: DefId, file: usize, func: FuncRef) -> bool {
        let d = self.def(def);
        if d.file != Some(file as u32) {
            return false;
        }
        let mut cur = d.func;
        while let Some(f) = cur {
            if f == func {
                return true;
            }
            cur = match f {
                FuncRef::Lit(lit) => self.enclosing_func(file, lit),
                FuncRef::Decl(_) => None,
            };
        }
        false
    }

    /// The def a composite literal key would denote if it were an expression, for keys of
    /// literals whose type is not syntactically known (see `FileScopes`).
    pub fn key_candidate(&self, file: usize, key: IdentId) -> Option<DefId> {
        let k = &self.files[file].key_candidates;
        let i = k.binary_search_by_key(&key, |e| e.0).ok()?;
        Some(k[i].1)
    }
}

/// Resolves the files of one package (all with the same package clause; an external
/// `_test` package is a separate package). Import names of implicit imports are guessed
/// from their paths.
pub fn resolve_package(files: &[&File]) -> PackageScopes {
    resolve_package_with(files, &|_| None)
}

/// Like `resolve_package`, with `import_name(path)` giving the real name of an imported
/// package when the caller knows it.
pub fn resolve_package_with(
    files: &[&File],
    import_name: &dyn Fn(&str) -> Option<String>,
) -> PackageScopes {
    let mut r = Resolver::new(files);
    r.collect_package(import_name);
    for i in 0..files.len() {
        r.resolve_file(i);
    }
    r.finish(true)
}

/// Resolves the files of a package as `resolve_package_with(files, import_name)` does,
/// reusing `base`, a from-scratch resolution of some of them (`base_files`): `origin[i]` is
/// the index in `base_files` of `files[i]`, `None` for a file `base` did not see. This is how
/// a package checked with its in-package `_test.go` files reuses the resolution its
/// importers see: only the test files are resolved, and the rest is `base`, renumbered.
///
/// The result is the one `resolve_package_with` gives (every def, scope and binding, with
/// the same ids), provided the added files change no binding of the others: they must not
/// declare at package level a name that `base` declares there too (in Go a redeclaration;
/// lookups among several declarations would change), nor a name some lookup in `base`
/// searched the package scope for in vain (a universe name the package redeclares, or a
/// name a non-test file uses that only a test file declares), and every implicit import
/// of `base` must have the name `import_name` gives. When one of these fails, or `base`
/// files are missing or out of order, the answer is `None` and the caller resolves from
/// scratch.
pub fn extend_package(
    base: &PackageScopes,
    base_files: &[&File],
    files: &[&File],
    origin: &[Option<usize>],
    import_name: &dyn Fn(&str) -> Option<String>,
) -> Option<PackageScopes> {
    let layout = base.layout.as_deref()?;
    let mut seen = 0;
    for o in origin.iter().flatten() {
        if *o != seen {
            return None;
        }
        seen += 1;
    }
    if origin.len() != files.len()
        || seen != layout.files.len()
        || seen != base_files.len()
        || seen != base.files.len()
    {
        return None;
    }
    // The implicit imports of `base` must have the names this resolution would give them.
    for block in &layout.files {
        for d in &base.defs[block.decls.0 as usize..block.decls.1 as usize] {
            if let DefKind::Import(ImportInfo {
                path,
                style: ImportStyle::Implicit { guessed },
                ..
            }) = &d.kind
            {
                let ok = match import_name(path) {
                    Some(n) => !*guessed && *n == *d.name,
                    None => *guessed,
                };
                if !ok {
                    return None;
                }
            }
        }
    }
    let mut r = Resolver::new(files);
    let universe = r.defs.len();
    if base.defs.len() < universe || base.scopes.len() < 2 {
        return None;
    }
    // Old (base) ids to new ones, filled block by block.
    const NONE: u32 = u32::MAX;
    let mut def_map = vec![NONE; base.defs.len()];
    for (i, m) in def_map.iter_mut().enumerate().take(universe) {
        *m = i as u32;
    }
    let mut scope_map = vec![NONE; base.scopes.len()];
    scope_map[0] = 0;
    scope_map[1] = 1;
    // Pass 1, in the order of `files`.
    for (fi, o) in origin.iter().enumerate() {
        match *o {
            None => {
                let first = r.defs.len();
                r.collect_file(fi, import_name);
                for d in &r.defs[first..] {
                    if d.scope != r.package_scope || !binds_package_name(d) {
                        continue;
                    }
                    let name = name_of(files[fi], d.ident?);
                    if layout.fell_through.contains_key(name)
                        || base.package_names.contains_key(&*d.name)
                    {
                        return None;
                    }
                }
            }
            Some(k) => {
                let block = layout.files[k];
                let fscope = r.new_scope(Some(r.package_scope), ScopeKind::File, Some(fi as u32));
                *scope_map.get_mut(2 + k)? = fscope.0;
                let first = r.defs.len() as u32;
                for old in block.decls.0..block.decls.1 {
                    def_map[old as usize] = r.defs.len() as u32;
                    let d = &base.defs[old as usize];
                    let mut def = d.clone();
                    def.file = Some(fi as u32);
                    def.scope = ScopeId(*scope_map.get(d.scope.index())?);
                    if def.scope.0 == NONE {
                        return None;
                    }
                    let id = DefId(r.defs.len() as u32);
                    r.defs.push(def);
                    if d.scope == base.package && binds_package_name(d) {
                        // Interned from the identifier's bytes, as pass 1 does.
                        let sym = r.sym(name_of(files[fi], d.ident?));
                        r.slots[sym as usize].package.push(id);
                        if let (DefKind::PackageType, DeclSite::Spec { spec, .. }) =
                            (&d.kind, d.site)
                        {
                            if let SpecKind::Type { typ, .. } = &files[fi][spec].kind {
                                r.type_exprs.insert(id, (fi as u32, *typ));
                            }
                        }
                    }
                }
                r.blocks[fi].decls = (first, r.defs.len() as u32);
                r.out.push(FileScopes {
                    scope: fscope,
                    ..FileScopes::default()
                });
            }
        }
    }
    // Pass 2, in the same order.
    for (fi, o) in origin.iter().enumerate() {
        match *o {
            None => r.resolve_file(fi),
            Some(k) => {
                let block = layout.files[k];
                let first_def = r.defs.len() as u32;
                let first_scope = r.scopes.len() as u32;
                for old in block.locals.0..block.locals.1 {
                    def_map[old as usize] = first_def + (old - block.locals.0);
                }
                for old in block.scopes.0..block.scopes.1 {
                    scope_map[old as usize] = first_scope + (old - block.scopes.0);
                }
                let remap_scope = |s: ScopeId| -> Option<ScopeId> {
                    match scope_map.get(s.index()) {
                        Some(&n) if n != NONE => Some(ScopeId(n)),
                        _ => None,
                    }
                };
                for old in block.scopes.0..block.scopes.1 {
                    let s = &base.scopes[old as usize];
                    let parent = match s.parent {
                        Some(p) => Some(remap_scope(p)?),
                        None => None,
                    };
                    r.scopes.push(Scope {
                        parent,
                        kind: s.kind,
                        file: s.file.map(|_| fi as u32),
                    });
                }
                for old in block.locals.0..block.locals.1 {
                    let d = &base.defs[old as usize];
                    let mut def = d.clone();
                    def.file = Some(fi as u32);
                    def.scope = remap_scope(d.scope)?;
                    r.defs.push(def);
                }
                let remap = |d: DefId| -> Option<DefId> {
                    match def_map.get(d.index()) {
                        Some(&n) if n != NONE => Some(DefId(n)),
                        _ => None,
                    }
                };
                let f = &base.files[k];
                let mut bindings = Vec::with_capacity(f.bindings.len());
                for b in &f.bindings {
                    bindings.push(match *b {
                        Some(d) => Some(remap(d)?),
                        None => None,
                    });
                }
                let mut qualified = Vec::with_capacity(f.qualified.len());
                for &(e, d, sel) in &f.qualified {
                    qualified.push((e, remap(d)?, sel));
                }
                let mut captures = Vec::with_capacity(f.captures.len());
                for (lit, caps) in &f.captures {
                    let mut list = Vec::with_capacity(caps.len());
                    for c in caps {
                        list.push(Capture {
                            def: remap(c.def)?,
                            uses: c.uses.clone(),
                        });
                    }
                    captures.push((*lit, list));
                }
                let mut key_candidates = Vec::with_capacity(f.key_candidates.len());
                for &(id, d) in &f.key_candidates {
                    key_candidates.push((id, remap(d)?));
                }
                r.out[fi] = FileScopes {
                    scope: remap_scope(f.scope)?,
                    bindings,
                    qualified,
                    captures,
                    cut_captures: f.cut_captures.clone(),
                    lit_parents: f.lit_parents.clone(),
                    key_candidates,
                    has_dot_import: f.has_dot_import,
                };
                r.blocks[fi].locals = (first_def, r.defs.len() as u32);
                r.blocks[fi].scopes = (first_scope, r.scopes.len() as u32);
            }
        }
    }
    // A method's receiver type was bound by its file's walk: renumber it now that every
    // block has its place.
    for (fi, o) in origin.iter().enumerate() {
        if o.is_none() {
            continue;
        }
        let (start, end) = r.blocks[fi].decls;
        for d in &mut r.defs[start as usize..end as usize] {
            if let DefKind::Method {
                recv_type: Some(t), ..
            } = &mut d.kind
            {
                match def_map.get(t.index()) {
                    Some(&n) if n != NONE => *t = DefId(n),
                    _ => return None,
                }
            }
        }
    }
    Some(r.finish(false))
}

/// Whether a package-level def is bound in the package scope (methods and `init` are not).
fn binds_package_name(d: &Def) -> bool {
    match d.kind {
        DefKind::PackageVar | DefKind::PackageConst | DefKind::PackageType => true,
        DefKind::PackageFunc => &*d.name != "init",
        _ => false,
    }
}

/// The FxHash function (as in rustc): identifier names are short and trusted, so a fast
/// non-cryptographic hash suffices.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(K);
        }
        let rem = chunks.remainder();
        if !rem.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rem.len()].copy_from_slice(rem);
            let w = u64::from_le_bytes(buf);
            self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(K);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(i as u64);
    }
    // Ids (`DefId`, `TypeId`, `ExprId`) are hashed as integers: one step each, not the
    // byte loop of `write`.
    fn write_u32(&mut self, i: u32) {
        self.write_u64(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        self.hash = (self.hash.rotate_left(5) ^ i).wrapping_mul(K);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A hash map with `FxHasher`.
pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A hash set with `FxHasher`.
pub type FxSet<K> = std::collections::HashSet<K, BuildHasherDefault<FxHasher>>;

/// The resolver's symbol table: each distinct name of the package gets a number (its
/// `Slot`'s index). Open addressing with linear probing over the names' hashes, which are
/// kept, so that a lookup costs one hash of the name, a probe or two and one comparison;
/// interning an identifier happens for every occurrence, and a general-purpose map costs
/// several times that.
#[derive(Default)]
struct SymTable<'a> {
    /// Per position: the symbol plus one, 0 when free. Its length is a power of two, at
    /// least twice the number of symbols.
    index: Vec<u32>,
    /// Per symbol: the hash and the name.
    keys: Vec<(u64, Cow<'a, [u8]>)>,
}

impl<'a> SymTable<'a> {
    /// The symbol named `name` (whose hash is `hash`), or the free position where it
    /// would go.
    fn get(&self, hash: u64, name: &[u8]) -> Result<u32, usize> {
        if self.index.is_empty() {
            return Err(0);
        }
        let mask = self.index.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            match self.index[i] {
                0 => return Err(i),
                s => {
                    let (h, n) = &self.keys[s as usize - 1];
                    if *h == hash && same_bytes(n, name) {
                        return Ok(s - 1);
                    }
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// The symbol named `name`, added as the next number if new; and whether it is new.
    fn intern(&mut self, name: Cow<'a, [u8]>) -> (u32, bool) {
        let hash = name_hash(&name);
        match self.get(hash, &name) {
            Ok(s) => (s, false),
            Err(at) => {
                let sym = self.keys.len() as u32;
                self.keys.push((hash, name));
                if self.keys.len() * 2 > self.index.len() {
                    self.grow();
                } else {
                    self.index[at] = sym + 1;
                }
                (sym, true)
            }
        }
    }

    /// Doubles the index and places every symbol again.
    fn grow(&mut self) {
        let len = (self.index.len() * 2).max(256);
        self.index = vec![0; len];
        let mask = len - 1;
        for (s, (h, _)) in self.keys.iter().enumerate() {
            let mut i = *h as usize & mask;
            while self.index[i] != 0 {
                i = (i + 1) & mask;
            }
            self.index[i] = s as u32 + 1;
        }
    }
}

/// `a == b`, compared with the word loads of `name_hash` rather than a call to `memcmp`,
/// which costs more than the comparison itself for identifiers.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&s[i..i + 8]);
        u64::from_le_bytes(w)
    };
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            if word(a, i) != word(b, i) {
                return false;
            }
            i += 8;
        }
        word(a, n - 8) == word(b, n - 8)
    } else if n >= 4 {
        let half = |s: &[u8], i: usize| u32::from_le_bytes([s[i], s[i + 1], s[i + 2], s[i + 3]]);
        half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4)
    } else {
        a.iter().zip(b).all(|(x, y)| x == y)
    }
}

/// The hash of a name, in one pass of a few word loads: identifiers are short, so the
/// first and last eight bytes (overlapping) cover most of them, and longer ones add their
/// middle words. Every byte counts and so does the length.
fn name_hash(b: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let n = b.len();
    let word = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        u64::from_le_bytes(w)
    };
    let (mut x, y) = if n >= 8 {
        (word(0), word(n - 8))
    } else if n >= 4 {
        let half = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as u64;
        (half(0), half(n - 4))
    } else if n > 0 {
        (
            b[0] as u64 | (b[n / 2] as u64) << 8 | (b[n - 1] as u64) << 16,
            0,
        )
    } else {
        (0, 0)
    };
    let mut i = 8;
    while i + 8 < n {
        x = (x.rotate_left(23) ^ word(i)).wrapping_mul(K);
        i += 8;
    }
    // A folded 128-bit product mixes every input bit into the low bits (the table's
    // index) and the high bits (its tag) alike.
    let m = ((x ^ 0x243f_6a88_85a3_08d3 ^ (n as u64) << 56) as u128)
        * ((y ^ 0x1319_8a2e_0370_7344) as u128);
    (m as u64) ^ ((m >> 64) as u64)
}

/// The bindings of one name.
#[derive(Default)]
struct Slot {
    /// File-scope and local bindings, innermost last.
    locals: Vec<(ScopeId, DefId)>,
    /// Package-level defs with this name (several when files for different build
    /// constraints declare it).
    package: Vec<DefId>,
    universe: Option<DefId>,
    /// Whether a lookup of this name searched the package scope and found no def there.
    fell_through: bool,
    /// The name, once a def has it (see `interned`).
    name: Option<Arc<str>>,
}

/// A function being walked.
/// How many function literals around a use list it as a capture (see
/// [`PackageScopes::captures_cut`]).
pub const MAX_CAPTURE_NESTING: usize = 64;

struct FuncCtx<'a> {
    func: FuncRef,
    scope: ScopeId,
    labels: FxMap<&'a [u8], DefId>,
    /// Label uses (`break L`, `goto L`), resolved when the function ends since `goto` may
    /// jump forward.
    pending_labels: Vec<IdentId>,
    /// Uses of variables of enclosing functions, for a function literal.
    captures: Vec<(DefId, IdentId)>,
    /// Some use inside is not listed in `captures` (see `PackageScopes::captures_cut`).
    cut: bool,
}

/// What a composite literal's type is, as far as syntax tells. Type expressions are given
/// with the index of the file they are in, as a type may be declared in another file.
#[derive(Clone, Copy)]
enum Shape {
    Map {
        key: (u32, ExprId),
        value: (u32, ExprId),
    },
    Array {
        elt: (u32, ExprId),
    },
    Struct,
    Unknown,
}

struct Resolver<'a> {
    files: &'a [&'a File],
    defs: Vec<Def>,
    scopes: Vec<Scope>,
    out: Vec<FileScopes>,
    syms: SymTable<'a>,
    slots: Vec<Slot>,
    /// The type expression of each declared type, for composite literal shapes.
    type_exprs: FxMap<DefId, (u32, ExprId)>,
    /// Per file: the imports to bind in its file scope.
    file_imports: Vec<Vec<(u32, DefId)>>,
    /// Per file: where its defs and scopes lie.
    blocks: Vec<FileBlock>,
    package_scope: ScopeId,

    // The state of the walk of the current file.
    fi: usize,
    file: &'a File,
    uses: Vec<Option<DefId>>,
    cur: ScopeId,
    /// Names bound since each open scope began: `undo[marks[i]..]` belong to scope `i`.
    undo: Vec<u32>,
    marks: Vec<usize>,
    funcs: Vec<FuncCtx<'a>>,
    /// Nesting depth of the walk, to check the stack every few levels only.
    depth: u32,
    /// Selectors `x.f` of the current file whose operand `x` resolved to nothing:
    /// `(selector, x, f)`.
    unresolved_selectors: Vec<(ExprId, IdentId, IdentId)>,
    /// Right operands of the binary chains being walked (see `expr_inner`).
    rights: Vec<ExprId>,
}

const RED_ZONE: usize = 128 * 1024;
const STACK_PER_GROWTH: usize = 2 * 1024 * 1024;

impl<'a> Resolver<'a> {
    fn new(files: &'a [&'a File]) -> Self {
        static EMPTY: std::sync::OnceLock<File> = std::sync::OnceLock::new();
        let empty = EMPTY.get_or_init(File::default);
        let mut r = Resolver {
            files,
            defs: Vec::new(),
            scopes: Vec::new(),
            out: Vec::with_capacity(files.len()),
            syms: SymTable::default(),
            slots: Vec::new(),
            type_exprs: FxMap::default(),
            file_imports: vec![Vec::new(); files.len()],
            blocks: vec![FileBlock::default(); files.len()],
            package_scope: ScopeId(1),
            fi: 0,
            file: files.first().copied().unwrap_or(empty),
            uses: Vec::new(),
            cur: ScopeId(0),
            undo: Vec::new(),
            marks: Vec::new(),
            funcs: Vec::new(),
            depth: 0,
            unresolved_selectors: Vec::new(),
            rights: Vec::new(),
        };
        // About one identifier in five declares something and one in eight opens a scope
        // (measured on the standard library): reserving that much saves most of the copies
        // that growing the two vectors would make.
        let idents: usize = files.iter().map(|f| f.idents.len()).sum();
        r.defs.reserve(UNIVERSE.len() + idents / 5);
        r.scopes.reserve(2 + files.len() + idents / 8);
        let universe = r.new_scope(None, ScopeKind::Universe, None);
        for &(name, kind) in UNIVERSE {
            let sym = r.sym(name.as_bytes());
            let name = r.interned(sym, name.as_bytes());
            let d = r.push_def(name, DefKind::Builtin(kind), None, None, universe);
            r.slots[sym as usize].universe = Some(d);
        }
        r.package_scope = r.new_scope(Some(universe), ScopeKind::Package, None);
        r
    }

    fn sym(&mut self, name: &'a [u8]) -> u32 {
        let (sym, new) = self.syms.intern(Cow::Borrowed(name));
        if new {
            self.slots.push(Slot::default());
        }
        sym
    }

    /// The name of symbol `sym` (spelled `name`) as defs carry it: one string per distinct
    /// name of the package, shared by all its defs rather than allocated for each.
    fn interned(&mut self, sym: u32, name: &[u8]) -> Arc<str> {
        let slot = &mut self.slots[sym as usize];
        match &slot.name {
            Some(n) => n.clone(),
            None => {
                // Identifiers are valid UTF-8 but for broken input: the strict check first.
                let n: Arc<str> = match std::str::from_utf8(name) {
                    Ok(s) => Arc::from(s),
                    Err(_) => Arc::from(String::from_utf8_lossy(name)),
                };
                slot.name = Some(n.clone());
                n
            }
        }
    }

    fn new_scope(
        &mut self,
        parent: Option<ScopeId>,
        kind: ScopeKind,
        file: Option<u32>,
    ) -> ScopeId {
        let id = ScopeId(self.scopes.len() as u32);
        self.scopes.push(Scope { parent, kind, file });
        id
    }

    fn push_def(
        &mut self,
        name: Arc<str>,
        kind: DefKind,
        file: Option<u32>,
        ident: Option<IdentId>,
        scope: ScopeId,
    ) -> DefId {
        let id = DefId(self.defs.len() as u32);
        self.defs.push(Def {
            name,
            kind,
            file,
            ident,
            func: None,
            scope,
            loop_stmt: None,
            clause: None,
            site: DeclSite::Universe,
        });
        id
    }

    fn set_site(&mut self, d: Option<DefId>, site: DeclSite) {
        if let Some(d) = d {
            self.defs[d.index()].site = site;
        }
    }

    // ---- Pass 1: package-level declarations of all files. ----

    fn collect_package(&mut self, import_name: &dyn Fn(&str) -> Option<String>) {
        for fi in 0..self.files.len() {
            self.collect_file(fi, import_name);
        }
    }

    /// Pass 1 for file `fi`: its file scope, imports and package-level declarations.
    fn collect_file(&mut self, fi: usize, import_name: &dyn Fn(&str) -> Option<String>) {
        let file = self.files[fi];
        let first_def = self.defs.len() as u32;
        let fscope = self.new_scope(Some(self.package_scope), ScopeKind::File, Some(fi as u32));
        let mut bindings = vec![None; file.idents.len()];
        let mut has_dot_import = false;
        let f = Some(fi as u32);
        for &decl in &file.decls {
            match &file[decl].kind {
                DeclKind::Gen { tok, specs, .. } => {
                    for &spec in specs.iter() {
                        match &file[spec].kind {
                            SpecKind::Import { name, path } => {
                                let d =
                                    self.import_def(fi, fscope, spec, *name, *path, import_name);
                                if let Some(id) = name {
                                    bindings[id.index()] = Some(d);
                                }
                                if let DefKind::Import(ImportInfo {
                                    style: ImportStyle::Dot,
                                    ..
                                }) = self.defs[d.index()].kind
                                {
                                    has_dot_import = true;
                                }
                            }
                            SpecKind::Value { names, .. } => {
                                let kind = if *tok == TokenKind::Const {
                                    DefKind::PackageConst
                                } else {
                                    DefKind::PackageVar
                                };
                                for (i, &id) in names.iter().enumerate() {
                                    let d = self.package_def(file, f, id, kind.clone(), true);
                                    let index = i as u32;
                                    self.set_site(d, DeclSite::Spec { spec, index });
                                    if let Some(d) = d {
                                        bindings[id.index()] = Some(d);
                                    }
                                }
                            }
                            SpecKind::Type { name, typ, .. } => {
                                if let Some(d) =
                                    self.package_def(file, f, *name, DefKind::PackageType, true)
                                {
                                    bindings[name.index()] = Some(d);
                                    self.set_site(Some(d), DeclSite::Spec { spec, index: 0 });
                                    self.type_exprs.insert(d, (fi as u32, *typ));
                                }
                            }
                        }
                    }
                }
                DeclKind::Func { recv, name, .. } => {
                    let d = match recv {
                        None => {
                            let bind = file.ident_name(*name) != "init";
                            self.package_def(file, f, *name, DefKind::PackageFunc, bind)
                        }
                        Some(recv) => {
                            let recv_type_name = receiver_base(file, *recv)
                                .map(|id| file.ident_name(id))
                                .unwrap_or("")
                                .into();
                            let kind = DefKind::Method {
                                recv_type_name,
                                recv_type: None,
                            };
                            self.package_def(file, f, *name, kind, false)
                        }
                    };
                    self.set_site(d, DeclSite::Func(decl));
                    if let Some(d) = d {
                        bindings[name.index()] = Some(d);
                    }
                }
                DeclKind::Bad => {}
            }
        }
        self.out.push(FileScopes {
            scope: fscope,
            bindings,
            has_dot_import,
            ..FileScopes::default()
        });
        self.blocks[fi].decls = (first_def, self.defs.len() as u32);
    }

    /// The def of one import spec; names other than `_` and `.` are queued for the file
    /// scope.
    fn import_def(
        &mut self,
        fi: usize,
        fscope: ScopeId,
        spec: SpecId,
        name: Option<IdentId>,
        path: ExprId,
        import_name: &dyn Fn(&str) -> Option<String>,
    ) -> DefId {
        let file = self.files[fi];
        let path_text = unquote(file.text(file[path].span));
        let (local, style) = match name {
            Some(id) => match file.ident_name(id) {
                "." => (".".to_string(), ImportStyle::Dot),
                "_" => ("_".to_string(), ImportStyle::Blank),
                n => (n.to_string(), ImportStyle::Named),
            },
            None => match import_name(&path_text) {
                Some(n) => (n, ImportStyle::Implicit { guessed: false }),
                None => (
                    guess_package_name(&path_text).to_string(),
                    ImportStyle::Implicit { guessed: true },
                ),
            },
        };
        let info = ImportInfo {
            path: path_text.into(),
            style,
            spec,
        };
        let d = self.push_def(
            Arc::from(local.as_str()),
            DefKind::Import(info),
            Some(fi as u32),
            name,
            fscope,
        );
        self.set_site(Some(d), DeclSite::Spec { spec, index: 0 });
        if !matches!(style, ImportStyle::Dot | ImportStyle::Blank) {
            // The walk interns identifier text it borrows from the files; a name without
            // identifier (an implicit import's) is interned as an owned string.
            let sym = match name {
                Some(id) => self.sym(name_of(file, id)),
                None => self.sym_owned(local),
            };
            self.file_imports[fi].push((sym, d));
        }
        d
    }

    /// Interns a name that is not the text of an identifier (an import name supplied by
    /// the caller).
    fn sym_owned(&mut self, name: String) -> u32 {
        let (sym, new) = self.syms.intern(Cow::Owned(name.into_bytes()));
        if new {
            self.slots.push(Slot::default());
        }
        sym
    }

    fn package_def(
        &mut self,
        file: &'a File,
        f: Option<u32>,
        id: IdentId,
        kind: DefKind,
        bind: bool,
    ) -> Option<DefId> {
        let name = name_of(file, id);
        if name == b"_" {
            return None;
        }
        let sym = self.sym(name);
        let interned = self.interned(sym, name);
        let d = self.push_def(interned, kind, f, Some(id), self.package_scope);
        if bind {
            self.slots[sym as usize].package.push(d);
        }
        Some(d)
    }

    // ---- Pass 2: the walk of one file. ----

    fn resolve_file(&mut self, fi: usize) {
        let first_def = self.defs.len() as u32;
        let first_scope = self.scopes.len() as u32;
        self.fi = fi;
        self.file = self.files[fi];
        self.uses = std::mem::take(&mut self.out[fi].bindings);
        let fscope = self.out[fi].scope;
        self.enter(fscope);
        for i in 0..self.file_imports[fi].len() {
            let (sym, d) = self.file_imports[fi][i];
            // A name imported twice is an error; the first import keeps it.
            if !matches!(self.slots[sym as usize].locals.last(), Some(&(s, _)) if s == fscope) {
                self.bind(sym, d);
            }
        }
        let file = self.file;
        for &decl in &file.decls {
            match &file[decl].kind {
                DeclKind::Gen { specs, .. } => {
                    for &spec in specs.iter() {
                        match &file[spec].kind {
                            SpecKind::Import { .. } => {}
                            SpecKind::Value { typ, values, .. } => {
                                if let Some(t) = typ {
                                    self.expr(*t);
                                }
                                self.exprs(values);
                            }
                            SpecKind::Type {
                                type_params, typ, ..
                            } => {
                                self.type_spec_body(spec, *type_params, *typ);
                            }
                        }
                    }
                }
                DeclKind::Func {
                    recv,
                    name,
                    typ,
                    body,
                } => self.func_decl(decl, *recv, *name, *typ, *body),
                DeclKind::Bad => {}
            }
        }
        self.close();
        self.rename_unused_imports();
        self.out[fi].bindings = std::mem::take(&mut self.uses);
        self.out[fi].qualified.sort_unstable_by_key(|e| e.0);
        self.out[fi].captures.sort_unstable_by_key(|e| e.0);
        self.out[fi].cut_captures.sort_unstable();
        self.out[fi].lit_parents.sort_unstable_by_key(|e| e.0);
        self.out[fi].key_candidates.sort_unstable_by_key(|e| e.0);
        self.blocks[fi].locals = (first_def, self.defs.len() as u32);
        self.blocks[fi].scopes = (first_scope, self.scopes.len() as u32);
    }

    /// An implicit import's name is guessed from its path, and the guess can be wrong: the
    /// package at `.../signer/v4` may be named `signer` or `v4`. When the file never uses
    /// the guessed name but uses another plausible name of the path as the operand of
    /// selectors that resolve to nothing else, the import takes that name. Only
    /// unresolved identifiers are bound this way, so no other binding changes.
    fn rename_unused_imports(&mut self) {
        let fi = self.fi;
        let selectors = std::mem::take(&mut self.unresolved_selectors);
        if selectors.is_empty() {
            return;
        }
        for &(_, d) in &self.file_imports[fi] {
            let DefKind::Import(info) = &self.defs[d.index()].kind else {
                continue;
            };
            if info.style != (ImportStyle::Implicit { guessed: true })
                || self.out[fi].qualified.iter().any(|q| q.1 == d)
            {
                continue;
            }
            let current = &self.defs[d.index()].name;
            let best = package_name_candidates(&info.path)
                .into_iter()
                .filter(|c| c != &**current)
                .map(|c| {
                    let n = selectors
                        .iter()
                        .filter(|s| name_of(self.file, s.1) == c.as_bytes())
                        .count();
                    (n, c)
                })
                .filter(|(n, _)| *n > 0)
                .fold(None, |best: Option<(usize, String)>, (n, c)| match best {
                    Some((bn, _)) if bn >= n => best,
                    _ => Some((n, c)),
                });
            let Some((_, name)) = best else { continue };
            // Uses of the old name were not selectors (invalid Go): they denote nothing.
            for b in self.uses.iter_mut() {
                if *b == Some(d) {
                    *b = None;
                }
            }
            if let Some(id) = self.defs[d.index()].ident {
                self.uses[id.index()] = Some(d);
            }
            for &(e, x, sel) in &selectors {
                if name_of(self.file, x) == name.as_bytes() && self.uses[x.index()].is_none() {
                    self.uses[x.index()] = Some(d);
                    self.out[fi].qualified.push((e, d, sel));
                }
            }
            self.defs[d.index()].name = name.into();
        }
    }

    /// The result; `with_layout` keeps what `extend_package` needs.
    fn finish(self, with_layout: bool) -> PackageScopes {
        let mut package_names = FxMap::default();
        let mut fell_through = FxMap::default();
        for ((_, name), slot) in self.syms.keys.iter().zip(&self.slots) {
            if let Some(&d) = slot.package.first() {
                // A package-level def's name is its symbol's, decoded.
                package_names.insert(self.defs[d.index()].name.clone(), d);
            } else if with_layout && slot.fell_through {
                fell_through.insert(Box::from(&**name), ());
            }
        }
        let layout = with_layout.then(|| {
            Box::new(Layout {
                files: self.blocks,
                fell_through,
            })
        });
        PackageScopes {
            defs: self.defs,
            scopes: self.scopes,
            files: self.out,
            universe: ScopeId(0),
            package: self.package_scope,
            package_names,
            layout,
        }
    }

    // ---- Scopes and bindings. ----

    fn open(&mut self, kind: ScopeKind) -> ScopeId {
        let id = self.new_scope(Some(self.cur), kind, Some(self.fi as u32));
        self.enter(id);
        id
    }

    fn enter(&mut self, scope: ScopeId) {
        self.marks.push(self.undo.len());
        self.cur = scope;
    }

    fn close(&mut self) {
        let mark = self.marks.pop().unwrap_or(0);
        for i in (mark..self.undo.len()).rev() {
            let sym = self.undo[i];
            self.slots[sym as usize].locals.pop();
        }
        self.undo.truncate(mark);
        self.cur = self.scopes[self.cur.index()]
            .parent
            .unwrap_or(self.package_scope);
    }

    fn bind(&mut self, sym: u32, d: DefId) {
        self.slots[sym as usize].locals.push((self.cur, d));
        self.undo.push(sym);
    }

    fn cur_func(&self) -> Option<FuncRef> {
        self.funcs.last().map(|c| c.func)
    }

    /// Declares `id` in the current scope, unless it is `_`.
    fn declare(&mut self, id: IdentId, kind: DefKind) -> Option<DefId> {
        let name = name_of(self.file, id);
        if name == b"_" {
            return None;
        }
        let sym = self.sym(name);
        let interned = self.interned(sym, name);
        let d = self.push_def(interned, kind, Some(self.fi as u32), Some(id), self.cur);
        self.defs[d.index()].func = self.cur_func();
        self.bind(sym, d);
        self.uses[id.index()] = Some(d);
        Some(d)
    }

    fn lookup(&mut self, sym: u32) -> Option<DefId> {
        let slot = &mut self.slots[sym as usize];
        if let Some(&(_, d)) = slot.locals.last() {
            return Some(d);
        }
        match slot.package.as_slice() {
            [] => {
                slot.fell_through = true;
                slot.universe
            }
            [d] => Some(*d),
            many => {
                // Files for different build constraints may each declare the name: prefer
                // the declaration of the current file.
                let fi = Some(self.fi as u32);
                Some(
                    many.iter()
                        .copied()
                        .find(|d| self.defs[d.index()].file == fi)
                        .unwrap_or(many[0]),
                )
            }
        }
    }

    /// Resolves a use of identifier `id`.
    fn use_ident(&mut self, id: IdentId) -> Option<DefId> {
        let name = name_of(self.file, id);
        if name == b"_" {
            return None;
        }
        let sym = self.sym(name);
        let d = self.lookup(sym)?;
        self.uses[id.index()] = Some(d);
        let def = &self.defs[d.index()];
        if def.kind.is_local_variable() {
            let owner = def.func;
            let mut listed = 0;
            for ctx in self.funcs.iter_mut().rev() {
                if Some(ctx.func) == owner {
                    break;
                }
                if let FuncRef::Lit(_) = ctx.func {
                    if listed == MAX_CAPTURE_NESTING {
                        // This literal and those around it (`end_func` passes it on).
                        ctx.cut = true;
                        break;
                    }
                    ctx.captures.push((d, id));
                    listed += 1;
                }
            }
        }
        Some(d)
    }

    // ---- Functions. ----

    fn begin_func(&mut self, func: FuncRef) {
        let scope = self.open(ScopeKind::Function(func));
        if let FuncRef::Lit(lit) = func {
            let parent = self.cur_func();
            self.out[self.fi].lit_parents.push((lit, parent));
        }
        self.funcs.push(FuncCtx {
            func,
            scope,
            labels: FxMap::default(),
            pending_labels: Vec::new(),
            captures: Vec::new(),
            cut: false,
        });
    }

    fn end_func(&mut self) {
        let Some(ctx) = self.funcs.pop() else { return };
        for id in ctx.pending_labels {
            let name = name_of(self.file, id);
            self.uses[id.index()] = ctx.labels.get(name).copied();
        }
        if ctx.cut {
            if let Some(parent) = self.funcs.last_mut() {
                parent.cut = true;
            }
        }
        if let FuncRef::Lit(lit) = ctx.func {
            if ctx.cut {
                self.out[self.fi].cut_captures.push(lit);
            }
            if !ctx.captures.is_empty() {
                let mut caps: Vec<Capture> = Vec::new();
                let mut index: FxMap<DefId, usize> = FxMap::default();
                for (d, id) in ctx.captures {
                    let i = *index.entry(d).or_insert_with(|| {
                        caps.push(Capture {
                            def: d,
                            uses: Vec::new(),
                        });
                        caps.len() - 1
                    });
                    caps[i].uses.push(id);
                }
                self.out[self.fi].captures.push((lit, caps));
            }
        }
        self.close();
    }

    fn func_decl(
        &mut self,
        decl: DeclId,
        recv: Option<FieldListId>,
        name: IdentId,
        typ: ExprId,
        body: Option<StmtId>,
    ) {
        let file = self.file;
        self.begin_func(FuncRef::Decl(decl));
        if let Some(recv) = recv {
            let list = &file[recv].list;
            if let Some(&first) = list.first() {
                // Receiver type parameters (`func (l *List[T])`) are declared by the
                // receiver type; the base type name is a use.
                let mut t = file[first].typ;
                while let ExprKind::Star { x } | ExprKind::Paren { x } = &file[t].kind {
                    t = *x;
                }
                let (base, params): (ExprId, &[ExprId]) = match &file[t].kind {
                    ExprKind::Index { x, index, .. } => (*x, std::slice::from_ref(index)),
                    ExprKind::IndexList { x, indices, .. } => (*x, &file[indices]),
                    _ => (file[first].typ, &[]),
                };
                for (i, &p) in params.iter().enumerate() {
                    match file[p].kind {
                        ExprKind::Ident(id) => {
                            let d = self.declare(id, DefKind::TypeParam);
                            let site = DeclSite::ReceiverTypeParam {
                                field: first,
                                index: i as u32,
                            };
                            self.set_site(d, site);
                        }
                        _ => self.expr(p),
                    }
                }
                self.expr(base);
                if let (Some(base_id), Some(m)) =
                    (receiver_base(file, recv), self.uses[name.index()])
                {
                    let target = self.uses[base_id.index()];
                    if let DefKind::Method { recv_type, .. } = &mut self.defs[m.index()].kind {
                        *recv_type = target;
                    }
                }
            }
            for &f in list.iter().skip(1) {
                self.expr(file[f].typ);
            }
        }
        self.signature(typ, true);
        if let Some(recv) = recv {
            self.declare_fields(recv, DefKind::Receiver);
        }
        self.declare_signature(typ);
        if let Some(body) = body {
            self.body(body);
        }
        self.end_func();
    }

    /// Resolves the types of a signature (declaring type parameters first, as constraints
    /// may refer to them); the parameter names are declared by `declare_signature`.
    fn signature(&mut self, typ: ExprId, with_type_params: bool) {
        let file = self.file;
        if let ExprKind::FuncType {
            type_params,
            params,
            results,
            ..
        } = &file[typ].kind
        {
            if let (true, Some(tp)) = (with_type_params, type_params) {
                self.declare_fields(*tp, DefKind::TypeParam);
                self.field_types(*tp);
            }
            self.field_types(*params);
            if let Some(r) = results {
                self.field_types(*r);
            }
        }
    }

    fn declare_signature(&mut self, typ: ExprId) {
        let file = self.file;
        if let ExprKind::FuncType {
            params, results, ..
        } = &file[typ].kind
        {
            self.declare_fields(*params, DefKind::Param);
            if let Some(r) = results {
                self.declare_fields(*r, DefKind::Result);
            }
        }
    }

    fn field_types(&mut self, list: FieldListId) {
        let file = self.file;
        for &f in file[list].list.iter() {
            self.expr(file[f].typ);
        }
    }

    fn declare_fields(&mut self, list: FieldListId, kind: DefKind) {
        let file = self.file;
        for &f in file[list].list.iter() {
            for (i, &id) in file[f].names.iter().enumerate() {
                let d = self.declare(id, kind.clone());
                let index = i as u32;
                self.set_site(d, DeclSite::Field { field: f, index });
            }
        }
    }

    /// A function body: its statements live in the function's scope.
    fn body(&mut self, body: StmtId) {
        let file = self.file;
        match &file[body].kind {
            StmtKind::Block { list, .. } => self.stmts(&file[list]),
            _ => self.stmt(body),
        }
    }

    fn type_spec_body(&mut self, spec: SpecId, type_params: Option<FieldListId>, typ: ExprId) {
        match type_params {
            Some(tp) => {
                self.open(ScopeKind::TypeParams(spec));
                self.declare_fields(tp, DefKind::TypeParam);
                self.field_types(tp);
                self.expr(typ);
                self.close();
            }
            None => self.expr(typ),
        }
    }

    // ---- Expressions. ----

    fn exprs(&mut self, list: &[ExprId]) {
        for &e in list {
            self.expr(e);
        }
    }

    fn expr(&mut self, e: ExprId) {
        // Checking the remaining stack costs a thread-local read: doing it every few levels
        // is enough, as the red zone is far larger than a few frames.
        self.depth += 1;
        if self.depth & 7 == 0 {
            stacker::maybe_grow(RED_ZONE, STACK_PER_GROWTH, || self.expr_inner(e));
        } else {
            self.expr_inner(e);
        }
        self.depth -= 1;
    }

    fn expr_inner(&mut self, e: ExprId) {
        let file = self.file;
        match &file[e].kind {
            ExprKind::Bad | ExprKind::BasicLit { .. } => {}
            ExprKind::Ident(id) => {
                self.use_ident(*id);
            }
            ExprKind::Ellipsis { elt } => {
                if let Some(x) = elt {
                    self.expr(*x);
                }
            }
            ExprKind::FuncLit { typ, body } => {
                self.begin_func(FuncRef::Lit(e));
                self.signature(*typ, false);
                self.declare_signature(*typ);
                self.body(*body);
                self.end_func();
            }
            ExprKind::CompositeLit { .. } => self.composite(e, None),
            ExprKind::Paren { x } | ExprKind::Star { x } | ExprKind::Unary { x, .. } => {
                self.expr(*x)
            }
            ExprKind::Selector { x, sel } => {
                if let ExprKind::Ident(xid) = file[*x].kind {
                    match self.use_ident(xid) {
                        Some(d) => {
                            if let DefKind::Import(_) = self.defs[d.index()].kind {
                                self.out[self.fi].qualified.push((e, d, *sel));
                            }
                        }
                        None => self.unresolved_selectors.push((e, xid, *sel)),
                    }
                } else {
                    self.expr(*x);
                }
            }
            ExprKind::Index { x, index, .. } => {
                self.expr(*x);
                self.expr(*index);
            }
            ExprKind::IndexList { x, indices, .. } => {
                self.expr(*x);
                self.exprs(&file[indices]);
            }
            ExprKind::Slice {
                x, low, high, max, ..
            } => {
                self.expr(*x);
                for y in [low, high, max].into_iter().flatten() {
                    self.expr(*y);
                }
            }
            ExprKind::TypeAssert { x, typ, .. } => {
                self.expr(*x);
                if let Some(t) = typ {
                    self.expr(*t);
                }
            }
            ExprKind::Call { fun, args, .. } => {
                self.expr(*fun);
                self.exprs(&file[args]);
            }
            ExprKind::Binary { .. } => {
                // Walk the left spine with a loop: chains like `a + b + c + ...` nest to the
                // left without bound.
                // The right operands wait on a stack shared by all chains: a nested chain
                // pushes above this one's and truncates back before this one goes on.
                let start = self.rights.len();
                let mut cur = e;
                while let ExprKind::Binary { x, y, .. } = &file[cur].kind {
                    self.rights.push(*y);
                    cur = *x;
                }
                let end = self.rights.len();
                self.expr(cur);
                for i in (start..end).rev() {
                    let y = self.rights[i];
                    self.expr(y);
                }
                self.rights.truncate(start);
            }
            ExprKind::KeyValue { key, value, .. } => {
                self.expr(*key);
                self.expr(*value);
            }
            ExprKind::ArrayType { len, elt } => {
                if let Some(l) = len {
                    self.expr(*l);
                }
                self.expr(*elt);
            }
            ExprKind::StructType { fields, .. } => {
                // Field names are members, not scoped names; only their types resolve.
                self.field_types(*fields);
            }
            ExprKind::FuncType {
                type_params,
                params,
                results,
                ..
            } => {
                // A signature without body: its parameter names are declared in a scope of
                // their own, which nothing can refer into.
                self.open(ScopeKind::Signature(e));
                if let Some(tp) = type_params {
                    self.declare_fields(*tp, DefKind::TypeParam);
                    self.field_types(*tp);
                }
                self.field_types(*params);
                if let Some(r) = results {
                    self.field_types(*r);
                }
                self.declare_fields(*params, DefKind::Param);
                if let Some(r) = results {
                    self.declare_fields(*r, DefKind::Result);
                }
                self.close();
            }
            ExprKind::InterfaceType { methods, .. } => {
                // Method names are members; method signatures and embedded types resolve.
                self.field_types(*methods);
            }
            ExprKind::MapType { key, value } => {
                self.expr(*key);
                self.expr(*value);
            }
            ExprKind::ChanType { value, .. } => self.expr(*value),
        }
    }

    /// A composite literal; `ctx` is the element type of the enclosing literal when this
    /// one's type is elided (`[]T{{...}}`).
    fn composite(&mut self, e: ExprId, ctx: Option<(u32, ExprId)>) {
        self.depth += 1;
        if self.depth & 7 == 0 {
            stacker::maybe_grow(RED_ZONE, STACK_PER_GROWTH, || self.composite_inner(e, ctx));
        } else {
            self.composite_inner(e, ctx);
        }
        self.depth -= 1;
    }

    fn composite_inner(&mut self, e: ExprId, ctx: Option<(u32, ExprId)>) {
        let file = self.file;
        let ExprKind::CompositeLit { typ, elts, .. } = &file[e].kind else {
            return self.expr(e);
        };
        if let Some(t) = typ {
            self.expr(*t);
        }
        let shape = match (typ, ctx) {
            (Some(t), _) => self.shape((self.fi as u32, *t), 0),
            (None, Some(c)) => self.shape(c, 0),
            (None, None) => Shape::Unknown,
        };
        let (key_ctx, elt_ctx) = match shape {
            Shape::Map { key, value } => (Some(key), Some(value)),
            Shape::Array { elt } => (None, Some(elt)),
            Shape::Struct | Shape::Unknown => (None, None),
        };
        for &elt in file[elts].iter() {
            let value = match &file[elt].kind {
                ExprKind::KeyValue { key, value, .. } => {
                    match (&file[*key].kind, shape) {
                        (ExprKind::Ident(_), Shape::Struct) => {}
                        (ExprKind::Ident(id), Shape::Unknown) => {
                            let name = name_of(file, *id);
                            if name != b"_" {
                                let sym = self.sym(name);
                                if let Some(d) = self.lookup(sym) {
                                    self.out[self.fi].key_candidates.push((*id, d));
                                }
                            }
                        }
                        (ExprKind::CompositeLit { typ: None, .. }, _) => {
                            self.composite(*key, key_ctx)
                        }
                        _ => self.expr(*key),
                    }
                    *value
                }
                _ => elt,
            };
            match &file[value].kind {
                ExprKind::CompositeLit { .. } => self.composite(value, elt_ctx),
                _ => self.expr(value),
            }
        }
    }

    /// What type expression `t` (of file `t.0`) is, looking through named types declared
    /// in this package.
    fn shape(&mut self, t: (u32, ExprId), depth: u32) -> Shape {
        if depth > 16 {
            return Shape::Unknown;
        }
        let (fi, e) = t;
        let file = self.files[fi as usize];
        match &file[e].kind {
            ExprKind::Paren { x } | ExprKind::Star { x } => self.shape((fi, *x), depth + 1),
            ExprKind::Index { x, .. } | ExprKind::IndexList { x, .. } => {
                self.shape((fi, *x), depth + 1)
            }
            ExprKind::MapType { key, value } => Shape::Map {
                key: (fi, *key),
                value: (fi, *value),
            },
            ExprKind::ArrayType { elt, .. } => Shape::Array { elt: (fi, *elt) },
            ExprKind::StructType { .. } => Shape::Struct,
            ExprKind::Ident(id) => {
                // An identifier of the current file already walked has its binding; any
                // other is in a package-level type declaration, so the package scope
                // decides.
                let known = if fi as usize == self.fi {
                    self.uses[id.index()]
                } else {
                    None
                };
                let d = match known {
                    Some(d) => Some(d),
                    None => {
                        let name = name_of(file, *id);
                        if name == b"_" {
                            None
                        } else {
                            let sym = self.sym(name);
                            let slot = &mut self.slots[sym as usize];
                            if slot.package.is_empty() {
                                slot.fell_through = true;
                            }
                            let pkg = &self.slots[sym as usize].package;
                            pkg.iter()
                                .copied()
                                .find(|d| self.defs[d.index()].file == Some(fi))
                                .or(pkg.first().copied())
                        }
                    }
                };
                match d.and_then(|d| self.type_exprs.get(&d)) {
                    Some(&next) => self.shape(next, depth + 1),
                    None => Shape::Unknown,
                }
            }
            _ => Shape::Unknown,
        }
    }

    // ---- Statements. ----

    fn stmts(&mut self, list: &[StmtId]) {
        for &s in list {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: StmtId) {
        self.depth += 1;
        if self.depth & 7 == 0 {
            stacker::maybe_grow(RED_ZONE, STACK_PER_GROWTH, || self.stmt_inner(s));
        } else {
            self.stmt_inner(s);
        }
        self.depth -= 1;
    }

    fn stmt_inner(&mut self, s: StmtId) {
        let file = self.file;
        match &file[s].kind {
            StmtKind::Bad | StmtKind::Empty { .. } => {}
            StmtKind::Decl(d) => self.local_decl(*d),
            StmtKind::Labeled { label, stmt } => {
                let name = name_of(file, *label);
                if name != b"_" {
                    if let Some(ctx) = self.funcs.last() {
                        let scope = ctx.scope;
                        let sym = self.sym(name);
                        let interned = self.interned(sym, name);
                        let d = self.push_def(
                            interned,
                            DefKind::Label,
                            Some(self.fi as u32),
                            Some(*label),
                            scope,
                        );
                        self.defs[d.index()].func = self.cur_func();
                        self.set_site(Some(d), DeclSite::Label(s));
                        self.uses[label.index()] = Some(d);
                        if let Some(ctx) = self.funcs.last_mut() {
                            // A duplicate label is an error; the first one keeps the name.
                            ctx.labels.entry(name).or_insert(d);
                        }
                    }
                }
                self.stmt(*stmt);
            }
            StmtKind::Expr(x) => self.expr(*x),
            StmtKind::Send { chan, value, .. } => {
                self.expr(*chan);
                self.expr(*value);
            }
            StmtKind::IncDec { x, .. } => self.expr(*x),
            StmtKind::Assign { lhs, tok, rhs, .. } => {
                self.exprs(&file[rhs]);
                if *tok == TokenKind::Define {
                    self.short_var_decl(&file[lhs], DeclSite::Define { stmt: s, index: 0 }, None);
                } else {
                    self.exprs(&file[lhs]);
                }
            }
            StmtKind::Go { call } | StmtKind::Defer { call } => self.expr(*call),
            StmtKind::Return { results } => self.exprs(&file[results]),
            StmtKind::Branch { label, .. } => {
                if let (Some(l), Some(ctx)) = (label, self.funcs.last_mut()) {
                    ctx.pending_labels.push(*l);
                }
            }
            StmtKind::Block { list, .. } => {
                self.open(ScopeKind::Block(s));
                self.stmts(&file[list]);
                self.close();
            }
            StmtKind::If {
                init,
                cond,
                body,
                els,
            } => {
                self.open(ScopeKind::Block(s));
                if let Some(i) = init {
                    self.stmt(*i);
                }
                self.expr(*cond);
                self.stmt(*body);
                if let Some(e) = els {
                    self.stmt(*e);
                }
                self.close();
            }
            StmtKind::CaseClause { list, body, .. } => {
                // A clause outside a switch only appears after syntax errors.
                self.exprs(&file[list]);
                self.open(ScopeKind::Block(s));
                self.stmts(&file[body]);
                self.close();
            }
            StmtKind::Switch { init, tag, body } => {
                self.open(ScopeKind::Block(s));
                if let Some(i) = init {
                    self.stmt(*i);
                }
                if let Some(t) = tag {
                    self.expr(*t);
                }
                self.clauses(*body);
                self.close();
            }
            StmtKind::TypeSwitch { init, assign, body } => {
                self.open(ScopeKind::Block(s));
                if let Some(i) = init {
                    self.stmt(*i);
                }
                self.type_switch(s, *assign, *body);
                self.close();
            }
            StmtKind::CommClause { comm, body, .. } => {
                self.open(ScopeKind::Block(s));
                if let Some(c) = comm {
                    self.stmt(*c);
                }
                self.stmts(&file[body]);
                self.close();
            }
            StmtKind::Select { body } => self.clauses(*body),
            StmtKind::For {
                init,
                cond,
                post,
                body,
            } => {
                self.open(ScopeKind::Block(s));
                if let Some(i) = init {
                    match &file[*i].kind {
                        StmtKind::Assign {
                            lhs,
                            tok: TokenKind::Define,
                            rhs,
                            ..
                        } => {
                            self.exprs(&file[rhs]);
                            self.short_var_decl(
                                &file[lhs],
                                DeclSite::Define { stmt: *i, index: 0 },
                                Some(s),
                            );
                        }
                        _ => self.stmt(*i),
                    }
                }
                if let Some(c) = cond {
                    self.expr(*c);
                }
                if let Some(p) = post {
                    self.stmt(*p);
                }
                self.stmt(*body);
                self.close();
            }
            StmtKind::Range {
                key,
                value,
                tok,
                x,
                body,
                ..
            } => {
                self.open(ScopeKind::Block(s));
                self.expr(*x);
                let both;
                let lhs: &[ExprId] = match (key, value) {
                    (Some(k), Some(v)) => {
                        both = [*k, *v];
                        &both
                    }
                    (Some(x), None) | (None, Some(x)) => std::slice::from_ref(x),
                    (None, None) => &[],
                };
                if *tok == Some(TokenKind::Define) {
                    self.short_var_decl(lhs, DeclSite::Range { stmt: s, index: 0 }, Some(s));
                } else {
                    self.exprs(lhs);
                }
                self.stmt(*body);
                self.close();
            }
        }
    }

    /// The clauses of a switch or select body (a block that opens no scope of its own).
    fn clauses(&mut self, body: StmtId) {
        let file = self.file;
        match &file[body].kind {
            StmtKind::Block { list, .. } => self.stmts(&file[list]),
            _ => self.stmt(body),
        }
    }

    fn type_switch(&mut self, s: StmtId, assign: StmtId, body: StmtId) {
        let file = self.file;
        // `switch x := y.(type)`: `x` is declared anew in each clause.
        let mut binder = None;
        match &file[assign].kind {
            StmtKind::Assign {
                lhs,
                tok: TokenKind::Define,
                rhs,
                ..
            } if lhs.len() == 1 => {
                self.exprs(&file[rhs]);
                match file[file[lhs][0]].kind {
                    ExprKind::Ident(id) => {
                        let name = name_of(file, id);
                        if name != b"_" {
                            let sym = self.sym(name);
                            let interned = self.interned(sym, name);
                            let d = self.push_def(
                                interned,
                                DefKind::TypeSwitchVar,
                                Some(self.fi as u32),
                                Some(id),
                                self.cur,
                            );
                            self.defs[d.index()].func = self.cur_func();
                            self.set_site(Some(d), DeclSite::TypeSwitch(s));
                            self.uses[id.index()] = Some(d);
                            binder = Some(id);
                        }
                    }
                    _ => self.expr(file[lhs][0]),
                }
            }
            _ => self.stmt(assign),
        }
        let clauses: &[StmtId] = match &file[body].kind {
            StmtKind::Block { list, .. } => &file[list],
            _ => std::slice::from_ref(&body),
        };
        for &c in clauses {
            match &file[c].kind {
                StmtKind::CaseClause { list, body, .. } => {
                    self.exprs(&file[list]);
                    self.open(ScopeKind::Block(c));
                    if let Some(id) = binder {
                        let sym = self.sym(name_of(file, id));
                        let interned = self.interned(sym, name_of(file, id));
                        let d = self.push_def(
                            interned,
                            DefKind::LocalVar,
                            Some(self.fi as u32),
                            Some(id),
                            self.cur,
                        );
                        let def = &mut self.defs[d.index()];
                        def.func = self.funcs.last().map(|c| c.func);
                        def.clause = Some(c);
                        def.site = DeclSite::TypeSwitch(s);
                        self.bind(sym, d);
                    }
                    self.stmts(&file[body]);
                    self.close();
                }
                _ => self.stmt(c),
            }
        }
    }

    /// The left side of `:=`: each name not yet declared in the current scope is a new
    /// variable; the others are assigned.
    fn short_var_decl(&mut self, lhs: &[ExprId], site: DeclSite, loop_stmt: Option<StmtId>) {
        let file = self.file;
        for (i, &x) in lhs.iter().enumerate() {
            match file[x].kind {
                ExprKind::Ident(id) => {
                    let name = name_of(file, id);
                    if name == b"_" {
                        continue;
                    }
                    let sym = self.sym(name);
                    match self.slots[sym as usize].locals.last() {
                        Some(&(scope, d)) if scope == self.cur => {
                            self.uses[id.index()] = Some(d);
                        }
                        _ => {
                            if let Some(d) = self.declare(id, DefKind::LocalVar) {
                                let index = i as u32;
                                let def = &mut self.defs[d.index()];
                                def.loop_stmt = loop_stmt;
                                def.site = match site {
                                    DeclSite::Range { stmt, .. } => DeclSite::Range { stmt, index },
                                    DeclSite::Define { stmt, .. } => {
                                        DeclSite::Define { stmt, index }
                                    }
                                    other => other,
                                };
                            }
                        }
                    }
                }
                _ => self.expr(x),
            }
        }
    }

    fn local_decl(&mut self, decl: DeclId) {
        let file = self.file;
        let DeclKind::Gen { tok, specs, .. } = &file[decl].kind else {
            // A function declaration inside a function is a syntax error.
            return;
        };
        for &spec in specs.iter() {
            match &file[spec].kind {
                SpecKind::Import { .. } => {}
                SpecKind::Value { names, typ, values } => {
                    // The scope of a local constant or variable begins after its spec.
                    if let Some(t) = typ {
                        self.expr(*t);
                    }
                    self.exprs(values);
                    let kind = if *tok == TokenKind::Const {
                        DefKind::LocalConst
                    } else {
                        DefKind::LocalVar
                    };
                    for (i, &id) in names.iter().enumerate() {
                        let d = self.declare(id, kind.clone());
                        let index = i as u32;
                        self.set_site(d, DeclSite::Spec { spec, index });
                    }
                }
                SpecKind::Type {
                    name,
                    type_params,
                    typ,
                    ..
                } => {
                    // The scope of a local type begins at its name, so it may be recursive.
                    if let Some(d) = self.declare(*name, DefKind::LocalType) {
                        self.set_site(Some(d), DeclSite::Spec { spec, index: 0 });
                        self.type_exprs.insert(d, (self.fi as u32, *typ));
                    }
                    self.type_spec_body(spec, *type_params, *typ);
                }
            }
        }
    }
}

/// The base type name of a receiver (`T` in `(p *T)`, `(l List[E])`).
fn receiver_base(file: &File, recv: FieldListId) -> Option<IdentId> {
    let first = *file[recv].list.first()?;
    let mut t = file[first].typ;
    loop {
        match &file[t].kind {
            ExprKind::Star { x } | ExprKind::Paren { x } => t = *x,
            ExprKind::Index { x, .. } | ExprKind::IndexList { x, .. } => t = *x,
            ExprKind::Ident(id) => return Some(*id),
            _ => return None,
        }
    }
}

/// The value of an import path literal: quotes removed. Import paths hold no escapes in
/// practice; a path with a backslash is kept as written.
fn unquote(lit: &str) -> String {
    let b = lit.as_bytes();
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'`') && b[b.len() - 1] == b[0] {
        lit[1..lit.len() - 1].to_string()
    } else {
        lit.to_string()
    }
}

/// The bytes an identifier spells (`_` for a synthetic one). Names are compared as bytes:
/// decoding UTF-8 at every occurrence would cost more than the lookup itself.
fn name_of(file: &File, id: IdentId) -> &[u8] {
    let ident = &file[id];
    if ident.synthetic {
        return b"_";
    }
    file.source
        .get(ident.span.start as usize..ident.span.end as usize)
        .unwrap_or(b"_")
}

#[cfg(test)]
mod tests {
    use super::{name_hash, same_bytes, SymTable};
    use std::borrow::Cow;

    #[test]
    fn same_bytes_compares_every_byte_of_every_length() {
        let text: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for n in 0..text.len() {
            let a = &text[..n];
            assert!(same_bytes(a, a));
            assert!(!same_bytes(a, &text[..n + 1]));
            for i in 0..n {
                let mut b = a.to_vec();
                b[i] ^= 1;
                assert!(!same_bytes(a, &b), "length {n}, byte {i}");
                assert_ne!(name_hash(a), name_hash(&b), "length {n}, byte {i}");
            }
        }
    }

    #[test]
    fn symbols_are_numbered_in_order_and_survive_growth() {
        let names: Vec<String> = (0..5000).map(|i| format!("name{i}")).collect();
        let mut t = SymTable::default();
        for (i, n) in names.iter().enumerate() {
            assert_eq!(t.intern(Cow::Borrowed(n.as_bytes())), (i as u32, true));
        }
        for (i, n) in names.iter().enumerate() {
            assert_eq!(t.intern(Cow::Borrowed(n.as_bytes())), (i as u32, false));
        }
        assert_eq!(t.intern(Cow::Owned(b"name42".to_vec())), (42, false));
        assert_eq!(t.intern(Cow::Owned(b"fresh".to_vec())), (5000, true));
        assert_eq!(t.intern(Cow::Borrowed(b"fresh")), (5000, false));
        assert!(t.index.len() >= 2 * t.keys.len());
    }
}
