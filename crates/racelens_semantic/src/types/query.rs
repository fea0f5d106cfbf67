//! Queries for checks and for the oracle comparison: what an identifier or selector denotes
//! (kind, declaration key, type), named-type predicates (`sync.Mutex`, atomics), map, slice
//! and channel predicates, and the lock fields of a struct.

use super::check::{ObjRef, Program, SelKind};
use super::ty::{BasicKind, Obj, PkgIdx, Type, TypeId, UNKNOWN};
use crate::{BuiltinKind, DefKind};
use racelens_syntax::ast::{ExprId, IdentId};

/// What an identifier use or a selector denotes, in the oracle's vocabulary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Described {
    /// For identifiers: var, const, type, func, pkgname, builtin, label, nil, field; for
    /// selectors: field, method, qualified.
    pub kind: &'static str,
    /// `<package path>:<offset of the declaring name>`, or `universe`.
    pub key: String,
    /// The object's type (identifiers) or the selector's type; `None` where go/types has
    /// none (package names, builtins, labels).
    pub ty: Option<TypeId>,
}

impl Program<'_> {
    fn obj_key(&self, o: ObjRef) -> String {
        match o {
            ObjRef::Universe => "universe".into(),
            ObjRef::Member(d) => format!("{}:{}", self.path(d.pkg), d.offset),
            ObjRef::Def(o) => {
                let l = self.loaded(o.pkg);
                let d = l.scopes.def(o.def);
                if d.file.is_none() {
                    return "universe".into();
                }
                let offset = match (&d.kind, d.ident, d.file) {
                    (_, Some(id), Some(fi)) => l.src.files[fi as usize][id].span.start,
                    (DefKind::Import(info), None, Some(fi)) => {
                        let f = &l.src.files[fi as usize];
                        match &f[info.spec].kind {
                            racelens_syntax::ast::SpecKind::Import { path, .. } => {
                                f[*path].span.start
                            }
                            _ => 0,
                        }
                    }
                    _ => 0,
                };
                format!("{}:{}", self.path(o.pkg), offset)
            }
        }
    }

    /// What identifier `id` (a use) of file `fi` of checked package `p` denotes.
    pub fn describe_ident(&mut self, p: PkgIdx, fi: usize, id: IdentId) -> Option<Described> {
        if let Some((o, t)) = self.key_field(p, fi, id) {
            return Some(Described {
                kind: "field",
                key: self.obj_key(o),
                ty: Some(t),
            });
        }
        let l = self.loaded(p);
        let def = l
            .scopes
            .binding(fi, id)
            .or_else(|| self.key_def(p, fi, id))?;
        let d = l.scopes.def(def);
        let o = Obj { pkg: p, def };
        let kind = match &d.kind {
            DefKind::PackageVar
            | DefKind::LocalVar
            | DefKind::Param
            | DefKind::Result
            | DefKind::Receiver => "var",
            DefKind::PackageConst | DefKind::LocalConst => "const",
            DefKind::PackageType | DefKind::LocalType | DefKind::TypeParam => "type",
            DefKind::PackageFunc | DefKind::Method { .. } => "func",
            DefKind::Import(_) => "pkgname",
            DefKind::Label => "label",
            DefKind::TypeSwitchVar => "var",
            DefKind::Builtin(BuiltinKind::Type) => "type",
            DefKind::Builtin(BuiltinKind::Func) => "builtin",
            DefKind::Builtin(BuiltinKind::Const) => "const",
            DefKind::Builtin(BuiltinKind::Nil) => "nil",
        };
        let ty = match kind {
            "pkgname" | "builtin" | "label" => None,
            _ => Some(self.def_type(o)),
        };
        Some(Described {
            kind,
            key: self.obj_key(ObjRef::Def(o)),
            ty,
        })
    }

    /// What selector `e` of file `fi` of checked package `p` denotes, and its type.
    pub fn describe_selector(&mut self, p: PkgIdx, fi: usize, e: ExprId) -> Option<Described> {
        let s = self.selection(p, fi, e)?;
        let kind = match s.kind {
            SelKind::Field => "field",
            SelKind::Method => "method",
            SelKind::Qualified => "qualified",
        };
        Some(Described {
            kind,
            key: self.obj_key(s.obj),
            ty: Some(self.type_of(p, fi, e)),
        })
    }

    /// Whether `t` is the named type `path.name` (not through pointers).
    pub fn is_named(&self, t: TypeId, path: &str, name: &str) -> bool {
        matches!(self.types.get(t), Type::Named(n) if &*n.path == path && &*n.name == name)
    }

    /// `t` itself, or what it points to.
    pub fn deref_type(&self, t: TypeId) -> TypeId {
        match self.types.get(t) {
            Type::Pointer(e) => *e,
            _ => t,
        }
    }

    /// Whether `t` (or `*t`) is `sync.Mutex` or `sync.RWMutex`.
    pub fn is_lock(&self, t: TypeId) -> bool {
        let t = self.deref_type(t);
        self.is_named(t, "sync", "Mutex") || self.is_named(t, "sync", "RWMutex")
    }

    /// Whether `t` (or `*t`) is `sync.WaitGroup`.
    pub fn is_wait_group(&self, t: TypeId) -> bool {
        self.is_named(self.deref_type(t), "sync", "WaitGroup")
    }

    /// Whether `t` (or `*t`) is one of the typed atomics of `sync/atomic`.
    pub fn is_atomic(&self, t: TypeId) -> bool {
        let t = self.deref_type(t);
        matches!(self.types.get(t), Type::Named(n) if &*n.path == "sync/atomic"
            && matches!(&*n.name, "Int32" | "Int64" | "Uint32" | "Uint64" | "Uintptr" | "Bool" | "Pointer" | "Value"))
    }

    pub fn is_map(&mut self, t: TypeId) -> bool {
        let u = self.underlying(t);
        matches!(self.types.get(u), Type::Map(..))
    }

    pub fn is_slice(&mut self, t: TypeId) -> bool {
        let u = self.underlying(t);
        matches!(self.types.get(u), Type::Slice(..))
    }

    pub fn is_chan(&mut self, t: TypeId) -> bool {
        let u = self.underlying(t);
        matches!(self.types.get(u), Type::Chan(..))
    }

    pub fn is_unknown(&self, t: TypeId) -> bool {
        t == UNKNOWN || self.types.has_unknown(t)
    }

    /// Whether `t` is an untyped constant type.
    pub fn is_untyped(&self, t: TypeId) -> bool {
        matches!(self.types.get(t), Type::Basic(k) if k.is_untyped())
    }

    /// The fields of struct type `t` (or `*t`) that are `sync.Mutex`/`sync.RWMutex`
    /// values or pointers, by name.
    pub fn lock_fields(&mut self, t: TypeId) -> Vec<String> {
        let t = self.deref_type(t);
        let u = self.underlying(t);
        let Type::Struct(fs) = self.types.get(u).clone() else {
            return Vec::new();
        };
        fs.iter()
            .filter(|f| self.is_lock(f.ty))
            .map(|f| f.name.to_string())
            .collect()
    }

    /// The type printed as the oracle prints it (`?` marks unknown parts).
    pub fn display(&self, t: TypeId) -> String {
        self.types.display(t)
    }

    pub fn basic_type(&mut self, k: BasicKind) -> TypeId {
        self.types.basic(k)
    }
}
