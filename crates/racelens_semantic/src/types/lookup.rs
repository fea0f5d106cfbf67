//! Field and method lookup through embedding and pointers, method sets, interface
//! satisfaction, and the unification that infers type arguments of generic calls.

use super::check::{ObjRef, Program, SelKind, Selection};
use super::ty::{Method, Obj, Type, TypeId, UNKNOWN};
use crate::DefKind;
use racelens_syntax::ast::{ExprId, ExprKind};
use std::collections::HashMap;
use std::sync::Arc;

/// A named type with more methods than this has its methods found by name through
/// `Program::method_names` rather than by a search of its list; a struct with more fields,
/// its fields through `Program::field_names`.
const METHODS_SEARCHED: usize = 32;

/// The fields of a struct type by name, for a lookup that would otherwise compare a name
/// with every field: per name, how many fields have it (two make it ambiguous, a compile
/// error the checker goes on after) and the index of the last; and the indices of the
/// embedded fields, in order.
#[derive(Default)]
pub(crate) struct FieldNames {
    by_name: crate::scope::FxMap<Arc<str>, (u32, usize)>,
    embedded: Vec<usize>,
}

/// The methods of an interface type (explicit and embedded), each name once, and where each
/// name is in the list.
pub(crate) struct IfaceMethods {
    list: Vec<Method>,
    by_name: crate::scope::FxMap<Arc<str>, usize>,
}

/// A field or method found by `Program::lookup`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    pub kind: SelKind,
    pub obj: ObjRef,
    /// The field's type, or the method's signature without receiver.
    pub ty: TypeId,
    /// For a declared method: whether its receiver is a pointer.
    pub ptr_recv: bool,
}

impl Found {
    pub fn selection(&self) -> Selection {
        Selection {
            kind: self.kind,
            obj: self.obj,
        }
    }
}

/// Scratch vectors of `Program::lookup`: the types at the current and the next depth of
/// embedding, and the named types met.
#[derive(Default)]
pub(crate) struct LookupBufs {
    level: Vec<TypeId>,
    next: Vec<TypeId>,
    seen: Seen,
}

/// The named types a lookup has met: a vector, and a set as well once it holds more than
/// `METHODS_SEARCHED` (a struct embedding thousands of named types, in generated code, where
/// searching the vector for each would cost their number squared).
#[derive(Default)]
struct Seen {
    list: Vec<TypeId>,
    set: crate::scope::FxMap<TypeId, ()>,
}

impl Seen {
    /// Records named type `t` as met; `false` if it was met already.
    fn first_meeting(&mut self, t: TypeId) -> bool {
        if self.list.len() < METHODS_SEARCHED {
            if self.list.contains(&t) {
                return false;
            }
            self.list.push(t);
            if self.list.len() == METHODS_SEARCHED {
                self.set.extend(self.list.iter().map(|&t| (t, ())));
            }
            return true;
        }
        self.set.insert(t, ()).is_none()
    }

    fn clear(&mut self) {
        self.list.clear();
        // Clearing a map costs its capacity, even empty: most lookups never fill it.
        if !self.set.is_empty() {
            self.set.clear();
        }
    }
}

impl Program<'_> {
    fn deref(&self, t: TypeId) -> (TypeId, bool) {
        match self.types.get(t) {
            Type::Pointer(e) => (*e, true),
            _ => (t, false),
        }
    }

    /// The declared methods of the named type `t` (an instance substitutes its arguments).
    fn declared_method(&mut self, t: TypeId, name: &str) -> Option<Found> {
        let Type::Named(n) = self.types.get(t) else {
            return None;
        };
        let (o, args) = (n.obj?, n.args.clone());
        let l = &self.pkgs[o.pkg.0 as usize].l;
        let ms = l.methods.get(&o.def)?;
        let m = if ms.len() <= METHODS_SEARCHED {
            *ms.iter().find(|&&m| &*l.scopes.def(m).name == name)?
        } else {
            let by_name = self.method_names.entry(o).or_insert_with(|| {
                let mut by_name = crate::scope::FxMap::default();
                for &m in ms {
                    by_name.entry(l.scopes.def(m).name.clone()).or_insert(m);
                }
                by_name
            });
            *by_name.get(name)?
        };
        let mo = Obj { pkg: o.pkg, def: m };
        let mut sig = self.def_type(mo);
        let (recv_params, ptr) = self.receiver_info(mo);
        if !args.is_empty() && recv_params.len() == args.len() {
            let map: HashMap<Obj, TypeId> =
                recv_params.into_iter().zip(args.iter().copied()).collect();
            sig = self.subst(sig, &map, 0);
        } else if !args.is_empty() {
            sig = UNKNOWN;
        }
        Some(Found {
            kind: SelKind::Method,
            obj: ObjRef::Def(mo),
            ty: sig,
            ptr_recv: ptr,
        })
    }

    /// The receiver type parameters of method `m` and whether its receiver is a pointer.
    pub(crate) fn receiver_info(&mut self, m: Obj) -> (Vec<Obj>, bool) {
        let l = &self.pkgs[m.pkg.0 as usize].l;
        let d = l.scopes.def(m.def);
        let (Some(fi), Some(ident)) = (d.file, d.ident) else {
            return (Vec::new(), false);
        };
        let f = &l.src.files[fi as usize];
        let recv_of = |decl: racelens_syntax::ast::DeclId| match &f[decl].kind {
            racelens_syntax::ast::DeclKind::Func {
                name,
                recv: Some(r),
                ..
            } if *name == ident => Some(*r),
            _ => None,
        };
        // The def knows its declaration; searching the file is only a fallback.
        let recv = match d.site {
            crate::DeclSite::Func(decl) => recv_of(decl),
            _ => f.decls.iter().find_map(|&decl| recv_of(decl)),
        };
        let Some(recv) = recv else {
            return (Vec::new(), false);
        };
        let Some(&field) = f[recv].list.first() else {
            return (Vec::new(), false);
        };
        let mut e = f[field].typ;
        let mut ptr = false;
        loop {
            match &f[e].kind {
                ExprKind::Paren { x } => e = *x,
                ExprKind::Star { x } => {
                    ptr = true;
                    e = *x
                }
                _ => break,
            }
        }
        let idx: &[ExprId] = match &f[e].kind {
            ExprKind::Index { index, .. } => std::slice::from_ref(index),
            ExprKind::IndexList { indices, .. } => &f[indices],
            _ => &[],
        };
        let mut out = Vec::new();
        for &i in idx {
            if let ExprKind::Ident(id) = f[i].kind {
                if let Some(def) = l.scopes.binding(fi as usize, id) {
                    if matches!(l.scopes.def(def).kind, DefKind::TypeParam) {
                        out.push(Obj { pkg: m.pkg, def });
                        continue;
                    }
                }
            }
            // A blank receiver type parameter: no binding, cannot be substituted.
            return (Vec::new(), ptr);
        }
        (out, ptr)
    }

    /// All methods of interface type `t` (explicit and embedded), or `None` when it is not
    /// (known to be) an interface.
    pub fn interface_methods(&mut self, t: TypeId) -> Option<Vec<Method>> {
        self.iface_method_set(t).map(|ms| ms.list.clone())
    }

    /// The method of interface type `t` named `name`: `None` when `t` is not (known to be)
    /// an interface, `Some(None)` when it has no such method.
    pub(crate) fn interface_method(&mut self, t: TypeId, name: &str) -> Option<Option<Method>> {
        let ms = self.iface_method_set(t)?;
        Some(ms.by_name.get(name).map(|&i| ms.list[i].clone()))
    }

    /// `interface_methods`, remembered by type when computed without cuts.
    fn iface_method_set(&mut self, t: TypeId) -> Option<Arc<IfaceMethods>> {
        if let Some(ms) = self.iface_methods.get(&t) {
            return ms.clone();
        }
        let cuts = self.cuts;
        let ms = self.gather_interface_methods(t).map(|list| {
            let mut by_name = crate::scope::FxMap::default();
            for (i, m) in list.iter().enumerate() {
                by_name.insert(m.name.clone(), i);
            }
            Arc::new(IfaceMethods { list, by_name })
        });
        if self.cuts == cuts {
            self.iface_methods.insert(t, ms.clone());
        }
        ms
    }

    fn gather_interface_methods(&mut self, t: TypeId) -> Option<Vec<Method>> {
        let mut out: Vec<Method> = Vec::new();
        let mut names: crate::scope::FxMap<Arc<str>, ()> = crate::scope::FxMap::default();
        // Few interfaces embed more than a handful of others: a vector beats a hash set.
        let mut seen: Vec<TypeId> = Vec::new();
        let mut stack = vec![t];
        let mut first = true;
        while let Some(t) = stack.pop() {
            if seen.contains(&t) || seen.len() >= 1000 {
                continue;
            }
            seen.push(t);
            let u = self.underlying(t);
            match self.types.get(u) {
                Type::Interface(i) => {
                    let i = i.clone();
                    for m in i.methods.iter() {
                        if names.insert(m.name.clone(), ()).is_none() {
                            out.push(m.clone());
                        }
                    }
                    stack.extend(i.embeds.iter().copied());
                }
                Type::Union(_) | Type::Basic(_) if !first => {}
                _ if first => return None,
                _ => {}
            }
            first = false;
        }
        Some(out)
    }

    /// Looks up field or method `name` in `t`, through pointers and embedded fields, as
    /// go/types' `LookupFieldOrMethod` does; `None` when absent, ambiguous or unknown.
    pub fn lookup(&mut self, t: TypeId, name: &str) -> Option<Found> {
        // Checking a body looks up the same few fields and methods of the same types again
        // and again; an answer computed without cuts (see `Program::cuts`) is what computing
        // it again would give.
        if let Some(&found) = self.lookups.get(&t).and_then(|m| m.get(name)) {
            return found;
        }
        let cuts = self.cuts;
        let found = self.lookup_uncached(t, name);
        if self.cuts == cuts {
            self.lookups
                .entry(t)
                .or_default()
                .insert(name.into(), found);
        }
        found
    }

    fn lookup_uncached(&mut self, t: TypeId, name: &str) -> Option<Found> {
        let (t, _) = self.deref(t);
        if let Type::TypeParam { obj, .. } = self.types.get(t) {
            let obj = *obj;
            let c = self.type_param_constraint(obj)?;
            return self.interface_method(c, name)?.map(|m| Found {
                kind: SelKind::Method,
                obj: m.decl.map(ObjRef::Member).unwrap_or(ObjRef::Universe),
                ty: m.sig,
                ptr_recv: false,
            });
        }
        // The breadth-first search over embedded fields reuses the program's scratch
        // vectors: lookups are frequent, and most end at the first level. A nested lookup
        // finds them taken and allocates its own.
        let mut bufs = std::mem::take(&mut self.lookup_bufs);
        let found = self.lookup_embedded(t, name, &mut bufs);
        bufs.level.clear();
        bufs.next.clear();
        bufs.seen.clear();
        self.lookup_bufs = bufs;
        found
    }

    fn lookup_embedded(&mut self, t: TypeId, name: &str, bufs: &mut LookupBufs) -> Option<Found> {
        let LookupBufs { level, next, seen } = bufs;
        level.push(t);
        for _ in 0..16 {
            // The one field or method found at this depth; two make the name ambiguous.
            let mut found: Option<Found> = None;
            let mut count = 0;
            next.clear();
            for &typ in level.iter() {
                if matches!(self.types.get(typ), Type::Named(_)) {
                    // Named types met so far; few, as embedding chains are short.
                    if !seen.first_meeting(typ) {
                        continue;
                    }
                    if let Some(m) = self.declared_method(typ, name) {
                        found = Some(m);
                        count += 1;
                        continue;
                    }
                }
                let u = self.underlying(typ);
                match self.types.get(u) {
                    Type::Struct(fields) if fields.len() > METHODS_SEARCHED => {
                        if let std::collections::hash_map::Entry::Vacant(slot) =
                            self.field_names.entry(u)
                        {
                            let mut index = FieldNames::default();
                            for (i, fd) in fields.iter().enumerate() {
                                let (n, last) =
                                    index.by_name.entry(fd.name.clone()).or_insert((0, i));
                                *n += 1;
                                *last = i;
                                if fd.embedded {
                                    index.embedded.push(i);
                                }
                            }
                            slot.insert(index);
                        }
                        let index = &self.field_names[&u];
                        // What the loop below finds: the last field of the name (and how
                        // many), and the embedded fields of other names, in order.
                        if let Some(&(n, last)) = index.by_name.get(name) {
                            let fd = &fields[last];
                            found = Some(Found {
                                kind: SelKind::Field,
                                obj: fd.decl.map(ObjRef::Member).unwrap_or(ObjRef::Universe),
                                ty: fd.ty,
                                ptr_recv: false,
                            });
                            count += n as usize;
                        }
                        for &i in &index.embedded {
                            if &*fields[i].name != name {
                                next.push(self.deref(fields[i].ty).0);
                            }
                        }
                    }
                    Type::Struct(fields) => {
                        for fd in fields.iter() {
                            if &*fd.name == name {
                                found = Some(Found {
                                    kind: SelKind::Field,
                                    obj: fd.decl.map(ObjRef::Member).unwrap_or(ObjRef::Universe),
                                    ty: fd.ty,
                                    ptr_recv: false,
                                });
                                count += 1;
                            } else if fd.embedded {
                                next.push(self.deref(fd.ty).0);
                            }
                        }
                    }
                    Type::Interface(_) => {
                        if let Some(Some(m)) = self.interface_method(u, name) {
                            found = Some(Found {
                                kind: SelKind::Method,
                                obj: m.decl.map(ObjRef::Member).unwrap_or(ObjRef::Universe),
                                ty: m.sig,
                                ptr_recv: false,
                            });
                            count += 1;
                        }
                    }
                    Type::Unknown => return None,
                    _ => {}
                }
            }
            match count {
                0 => {}
                1 => return found,
                _ => return None,
            }
            if next.is_empty() {
                return None;
            }
            std::mem::swap(level, next);
        }
        None
    }

    /// The constraint of a type parameter declared with one (not for receiver type
    /// parameters, whose constraint is their type's).
    pub(crate) fn type_param_constraint(&mut self, o: Obj) -> Option<TypeId> {
        let l = self.loaded(o.pkg);
        let d = l.scopes.def(o.def);
        let (fi, ident) = (d.file?, d.ident?);
        let &te = l.field_types[fi as usize].get(&ident)?;
        let cx = super::check::Cx { p: o.pkg, fi, l };
        let t = self.type_expr(&cx, te);
        (t != UNKNOWN).then_some(t)
    }

    /// Whether the method set of `t` contains method `name` (value receivers only for a
    /// non-pointer `t`, as the spec says).
    pub fn has_method(&mut self, t: TypeId, name: &str) -> Option<bool> {
        let is_ptr = matches!(self.types.get(t), Type::Pointer(_));
        match self.lookup(t, name) {
            Some(f) if f.kind == SelKind::Method => Some(is_ptr || !f.ptr_recv),
            Some(_) => Some(false),
            None => {
                let u = self.underlying(t);
                if u == UNKNOWN {
                    None
                } else {
                    Some(false)
                }
            }
        }
    }

    /// Whether `t` implements interface `iface`: `Some(true/false)` when known.
    pub fn implements(&mut self, t: TypeId, iface: TypeId) -> Option<bool> {
        let ms = self.iface_method_set(iface)?;
        for m in &ms.list {
            match self.has_method(t, &m.name) {
                Some(true) => {}
                Some(false) => return Some(false),
                None => return None,
            }
        }
        Some(true)
    }

    /// Infers type parameters in `param` from argument type `arg`.
    pub(crate) fn unify(
        &mut self,
        param: TypeId,
        arg: TypeId,
        free: &[TypeId],
        map: &mut HashMap<Obj, TypeId>,
        depth: u32,
    ) {
        if depth > 32 || arg == UNKNOWN {
            return;
        }
        let p = self.types.get(param).clone();
        if let Type::TypeParam { obj, .. } = p {
            if free.contains(&param) && !map.contains_key(&obj) {
                if let Type::Basic(k) = self.types.get(arg) {
                    if k.is_untyped() {
                        return;
                    }
                }
                map.insert(obj, arg);
            }
            return;
        }
        let a = self.types.get(arg).clone();
        let d = depth + 1;
        match (&p, &a) {
            (Type::Pointer(x), Type::Pointer(y))
            | (Type::Slice(x), Type::Slice(y))
            | (Type::Array(_, x), Type::Array(_, y))
            | (Type::Chan(_, x), Type::Chan(_, y)) => self.unify(*x, *y, free, map, d),
            (Type::Map(k1, v1), Type::Map(k2, v2)) => {
                self.unify(*k1, *k2, free, map, d);
                self.unify(*v1, *v2, free, map, d);
            }
            (Type::Func(s1), Type::Func(s2)) => {
                for (x, y) in s1.params.iter().zip(s2.params.iter()) {
                    self.unify(*x, *y, free, map, d);
                }
                for (x, y) in s1.results.iter().zip(s2.results.iter()) {
                    self.unify(*x, *y, free, map, d);
                }
            }
            (Type::Named(n1), Type::Named(n2)) if n1.obj == n2.obj && n1.name == n2.name => {
                for (x, y) in n1.args.iter().zip(n2.args.iter()) {
                    self.unify(*x, *y, free, map, d);
                }
            }
            (Type::Named(_), _) => {}
            (_, Type::Named(_)) => {
                let u = self.underlying(arg);
                if u != arg && u != UNKNOWN {
                    self.unify(param, u, free, map, d);
                }
            }
            _ => {}
        }
    }

    /// Whether `t` mentions a type parameter in `free`.
    pub(crate) fn mentions(&self, t: TypeId, free: &[TypeId]) -> bool {
        let mut stack = vec![t];
        let mut n = 0;
        while let Some(t) = stack.pop() {
            n += 1;
            if n > 10_000 {
                return true;
            }
            if free.contains(&t) {
                return true;
            }
            match self.types.get(t) {
                Type::Named(x) => stack.extend(x.args.iter().copied()),
                Type::Pointer(e) | Type::Slice(e) | Type::Array(_, e) | Type::Chan(_, e) => {
                    stack.push(*e)
                }
                Type::Map(k, v) => stack.extend([*k, *v]),
                Type::Func(s) => stack.extend(s.params.iter().chain(s.results.iter()).copied()),
                Type::Struct(fs) => stack.extend(fs.iter().map(|f| f.ty)),
                Type::Interface(i) => {
                    stack.extend(i.methods.iter().map(|m| m.sig));
                    stack.extend(i.embeds.iter().copied());
                }
                Type::Tuple(ts) => stack.extend(ts.iter().copied()),
                Type::Union(ts) => stack.extend(ts.iter().map(|t| t.1)),
                _ => {}
            }
        }
        false
    }
}
