//! Types of expressions and the statements that declare local variables: the part of the
//! checker that runs over function bodies.

use super::check::{Cx, ObjRef, Program, Qual, SelKind};
use super::ty::{BasicKind, Obj, Sig, Type, TypeId, UNKNOWN};
use crate::{BuiltinKind, DefKind};
use racelens_syntax::ast::{ChanDir, ExprId, ExprKind, LitKind, StmtId, StmtKind};
use racelens_syntax::token::TokenKind;
use std::collections::HashMap;

impl Program<'_> {
    /// The type of expression `e`, recorded; `hint` is the type an elided composite literal
    /// type stands for.
    pub(crate) fn expr(&mut self, cx: &Cx, e: ExprId, hint: Option<TypeId>) -> TypeId {
        let r = self.recorded_ty(cx, e);
        if r != UNKNOWN {
            return r;
        }
        let t = self.nested(|p| p.expr_inner(cx, e, hint));
        self.record(cx, e, t)
    }

    fn recorded_ty(&self, cx: &Cx, e: ExprId) -> TypeId {
        self.type_of(cx.p, cx.fi as usize, e)
    }

    /// Gives the untyped constant expression `e` the type its context converts it to
    /// (`target`, or the default type for an interface), recording it as go/types does.
    /// The untyped type of `e`: its recorded type if untyped, or for a shift of an
    /// untyped constant by a non-constant amount (recorded Unknown until its context
    /// decides), the type of the shifted constant.
    fn untyped_of(&self, cx: &Cx, e: ExprId) -> Option<TypeId> {
        let t = self.recorded_ty(cx, e);
        if let Type::Basic(k) = self.types.get(t) {
            return k.is_untyped().then_some(t);
        }
        if t != UNKNOWN {
            return None;
        }
        let mut x = e;
        while let ExprKind::Paren { x: inner } = cx.f()[x].kind {
            x = inner;
        }
        match cx.f()[x].kind {
            ExprKind::Binary {
                x: l,
                op: TokenKind::Shl | TokenKind::Shr,
                ..
            } => self.untyped_of(cx, l),
            _ => None,
        }
    }

    #[inline]
    pub(crate) fn convert_untyped(&mut self, cx: &Cx, e: ExprId, target: TypeId) {
        // Most operands have a type of their own: `untyped_of` would say so at once, but
        // the call costs more than the answer.
        let t = self.recorded_ty(cx, e);
        if t != UNKNOWN && !matches!(self.types.get(t), Type::Basic(k) if k.is_untyped()) {
            return;
        }
        self.convert_untyped_slow(cx, e, target);
    }

    #[inline(never)]
    fn convert_untyped_slow(&mut self, cx: &Cx, e: ExprId, target: TypeId) {
        let Some(t) = self.untyped_of(cx, e) else {
            return;
        };
        let Type::Basic(k) = self.types.get(t) else {
            return;
        };
        if !k.is_untyped() || *k == BasicKind::UntypedNil || target == UNKNOWN {
            return;
        }
        if let Type::Basic(tk) = self.types.get(target) {
            if tk.is_untyped() {
                return;
            }
        }
        let tu = self.underlying(target);
        if tu == UNKNOWN {
            return;
        }
        let fin = match self.types.get(tu) {
            Type::Basic(_) => target,
            // Interfaces, type parameters, and conversions to non-constant types such as
            // `[]byte(s)` take the default type.
            _ => self.default_type(t),
        };
        let mut stack = Vec::new();
        let mut next = Some(e);
        while let Some(e) = next.take().or_else(|| stack.pop()) {
            if self.untyped_of(cx, e).is_none() {
                continue;
            }
            self.record(cx, e, fin);
            // As in go/types, the operands of a constant expression keep their untyped
            // types; only non-constant untyped expressions (comparisons, shifts by a
            // variable amount) pass the type down.
            if !matches!(cx.f()[e].kind, ExprKind::Paren { .. }) && self.is_const(cx, e) {
                continue;
            }
            match &cx.f()[e].kind {
                ExprKind::Paren { x } => next = Some(*x),
                ExprKind::Unary { op, x } if *op != TokenKind::Arrow => next = Some(*x),
                ExprKind::Binary { x, op, y, .. } => match op {
                    TokenKind::Eql
                    | TokenKind::Neq
                    | TokenKind::Lss
                    | TokenKind::Leq
                    | TokenKind::Gtr
                    | TokenKind::Geq => {}
                    TokenKind::Shl | TokenKind::Shr => next = Some(*x),
                    _ => {
                        next = Some(*x);
                        stack.push(*y);
                    }
                },
                _ => {}
            }
        }
    }

    pub(crate) fn convert_default(&mut self, cx: &Cx, e: ExprId) {
        let t = self.recorded_ty(cx, e);
        let d = self.default_type(t);
        if d != t && d != UNKNOWN {
            self.convert_untyped(cx, e, d);
        }
    }

    fn basic(&mut self, k: BasicKind) -> TypeId {
        self.types.basic(k)
    }

    fn tuple(&mut self, ts: &[TypeId]) -> TypeId {
        if ts.len() == 1 {
            return ts[0];
        }
        self.types.tuple(ts)
    }

    /// The types of the `n` values `e` yields on the right of an assignment: a multi-value
    /// call's results, or a comma-ok expression's value and `bool`.
    pub(crate) fn expr_multi(&mut self, cx: &Cx, e: ExprId, n: usize) -> Vec<TypeId> {
        let t = self.expr(cx, e, None);
        if let Type::Tuple(ts) = self.types.get(t) {
            if ts.len() == n {
                return ts.to_vec();
            }
            return vec![UNKNOWN; n];
        }
        if n == 2 {
            let f = cx.f();
            let mut x = e;
            while let ExprKind::Paren { x: inner } = f[x].kind {
                x = inner;
            }
            let comma_ok = matches!(
                &f[x].kind,
                ExprKind::Index { .. }
                    | ExprKind::TypeAssert { .. }
                    | ExprKind::Unary {
                        op: TokenKind::Arrow,
                        ..
                    }
            );
            if comma_ok {
                let b = self.basic(BasicKind::Bool);
                let t = self.default_type(t);
                return vec![t, b];
            }
        }
        let mut v = vec![UNKNOWN; n];
        if n == 1 {
            v[0] = t;
        }
        v
    }

    fn expr_inner(&mut self, cx: &Cx, e: ExprId, hint: Option<TypeId>) -> TypeId {
        let f = cx.f();
        match &f[e].kind {
            ExprKind::Bad | ExprKind::KeyValue { .. } | ExprKind::Ellipsis { .. } => UNKNOWN,
            ExprKind::Ident(id) => {
                let Some(def) = cx.l.scopes.binding(cx.fi as usize, *id) else {
                    return match self.dot_imported(cx, *id) {
                        Some(o) => self.def_type(o),
                        None => UNKNOWN,
                    };
                };
                let d = cx.l.scopes.def(def);
                match &d.kind {
                    DefKind::Builtin(BuiltinKind::Func) | DefKind::Import(_) => UNKNOWN,
                    _ => self.def_type(Obj { pkg: cx.p, def }),
                }
            }
            ExprKind::BasicLit { kind } => self.basic(match kind {
                LitKind::Int => BasicKind::UntypedInt,
                LitKind::Float => BasicKind::UntypedFloat,
                LitKind::Imag => BasicKind::UntypedComplex,
                LitKind::Char => BasicKind::UntypedRune,
                LitKind::String => BasicKind::UntypedString,
            }),
            ExprKind::FuncLit { typ, body } => {
                let t = self.type_expr(cx, *typ);
                self.with_results(t, |p| p.stmt(cx, *body));
                t
            }
            ExprKind::CompositeLit { typ, elts, .. } => self.composite(cx, *typ, &f[elts], hint),
            ExprKind::Paren { x } => self.expr(cx, *x, hint),
            ExprKind::Selector { x, sel } => self.selector(cx, e, *x, *sel),
            ExprKind::Index { x, index, .. } => self.index(cx, e, *x, &[*index]),
            ExprKind::IndexList { x, indices, .. } => self.index(cx, e, *x, &f[indices]),
            ExprKind::Slice {
                x, low, high, max, ..
            } => {
                let t = self.expr(cx, *x, None);
                let int = self.basic(BasicKind::Int);
                for i in [low, high, max].into_iter().flatten() {
                    self.expr(cx, *i, None);
                    self.convert_untyped(cx, *i, int);
                }
                let u = self.underlying(t);
                match self.types.get(u).clone() {
                    Type::Basic(BasicKind::UntypedString) => self.basic(BasicKind::String),
                    Type::Basic(BasicKind::String) | Type::Slice(_) => t,
                    Type::Array(_, el) => self.slice_of(el),
                    Type::Pointer(p) => {
                        let pu = self.underlying(p);
                        match self.types.get(pu) {
                            Type::Array(_, el) => {
                                let el = *el;
                                self.slice_of(el)
                            }
                            _ => UNKNOWN,
                        }
                    }
                    _ => UNKNOWN,
                }
            }
            ExprKind::TypeAssert { x, typ, .. } => {
                self.expr(cx, *x, None);
                match typ {
                    Some(t) => self.type_expr(cx, *t),
                    None => UNKNOWN,
                }
            }
            ExprKind::Call {
                fun,
                args,
                ellipsis,
                ..
            } => self.call(cx, *fun, &f[args], ellipsis.is_some()),
            ExprKind::Star { x } => {
                if self.is_type(cx, *x) {
                    return self.type_expr(cx, e);
                }
                let t = self.expr(cx, *x, None);
                let u = self.underlying(t);
                match self.types.get(u) {
                    Type::Pointer(el) => *el,
                    _ => UNKNOWN,
                }
            }
            ExprKind::Unary { op, x } => {
                let h = match (op, hint) {
                    (TokenKind::And, Some(h)) => match self.types.get(h) {
                        Type::Pointer(el) => Some(*el),
                        _ => None,
                    },
                    _ => None,
                };
                let t = self.expr(cx, *x, h);
                match op {
                    TokenKind::And => {
                        if t == UNKNOWN {
                            UNKNOWN
                        } else {
                            self.types.intern(Type::Pointer(t))
                        }
                    }
                    TokenKind::Arrow => match self.chan_dir_of(t) {
                        Some((_, el)) => el,
                        None => UNKNOWN,
                    },
                    TokenKind::Not | TokenKind::Sub | TokenKind::Add | TokenKind::Xor => t,
                    _ => UNKNOWN,
                }
            }
            ExprKind::Binary { x, op, y, .. } => {
                let tx = self.expr(cx, *x, None);
                let ty = self.expr(cx, *y, None);
                if !matches!(op, TokenKind::Shl | TokenKind::Shr) {
                    let ux = self.untyped_of(cx, *x).is_some();
                    let uy = self.untyped_of(cx, *y).is_some();
                    if ux && !uy && ty != UNKNOWN {
                        self.convert_untyped(cx, *x, ty);
                    } else if uy && !ux && tx != UNKNOWN {
                        self.convert_untyped(cx, *y, tx);
                    }
                }
                match op {
                    TokenKind::Eql
                    | TokenKind::Neq
                    | TokenKind::Lss
                    | TokenKind::Leq
                    | TokenKind::Gtr
                    | TokenKind::Geq => self.basic(BasicKind::UntypedBool),
                    TokenKind::Shl | TokenKind::Shr => {
                        // An untyped constant shifted by a non-constant amount takes its
                        // type from the context, which is not tracked here.
                        match self.types.get(tx) {
                            Type::Basic(k) if k.is_untyped() => {
                                if self.is_const(cx, *y) {
                                    tx
                                } else {
                                    UNKNOWN
                                }
                            }
                            _ => tx,
                        }
                    }
                    _ => self.binary_type(tx, ty),
                }
            }
            ExprKind::ArrayType { .. }
            | ExprKind::StructType { .. }
            | ExprKind::FuncType { .. }
            | ExprKind::InterfaceType { .. }
            | ExprKind::MapType { .. }
            | ExprKind::ChanType { .. } => self.type_expr(cx, e),
        }
    }

    /// Whether `e` is a constant expression (conservatively: `false` when unsure). The
    /// walk uses an explicit stack: operands may nest arbitrarily deep.
    pub(crate) fn is_const(&mut self, cx: &Cx, e: ExprId) -> bool {
        let f = cx.f();
        // The operand to visit next is kept out of the stack: most constant expressions are
        // a literal or a name, and then nothing is allocated.
        let mut stack = Vec::new();
        let mut next = Some(e);
        while let Some(e) = next.take().or_else(|| stack.pop()) {
            let ok = match &f[e].kind {
                ExprKind::BasicLit { .. } => true,
                ExprKind::Paren { x } => {
                    next = Some(*x);
                    true
                }
                ExprKind::Unary { op, x } => {
                    next = Some(*x);
                    !matches!(op, TokenKind::Arrow | TokenKind::And)
                }
                ExprKind::Binary { x, y, .. } => {
                    next = Some(*x);
                    stack.push(*y);
                    true
                }
                ExprKind::Ident(id) => cx.l.scopes.binding(cx.fi as usize, *id).is_some_and(|d| {
                    matches!(
                        cx.l.scopes.def(d).kind,
                        DefKind::PackageConst
                            | DefKind::LocalConst
                            | DefKind::Builtin(BuiltinKind::Const)
                    )
                }),
                ExprKind::Selector { .. } => match self.qualified(cx, e) {
                    Some(Qual::Obj(o)) => matches!(
                        self.pkgs[o.pkg.0 as usize].l.scopes.def(o.def).kind,
                        DefKind::PackageConst
                    ),
                    _ => false,
                },
                ExprKind::Call { fun, args, .. } if args.len() == 1 => {
                    let basic = self.is_type(cx, *fun) && {
                        let t = self.type_expr(cx, *fun);
                        matches!(self.types.get(t), Type::Basic(_))
                    };
                    next = Some(f[args][0]);
                    basic
                }
                _ => false,
            };
            if !ok {
                return false;
            }
        }
        true
    }

    fn binary_type(&mut self, tx: TypeId, ty: TypeId) -> TypeId {
        let kx = match self.types.get(tx) {
            Type::Basic(k) if k.is_untyped() => Some(*k),
            _ => None,
        };
        let ky = match self.types.get(ty) {
            Type::Basic(k) if k.is_untyped() => Some(*k),
            _ => None,
        };
        match (kx, ky) {
            (None, _) => tx,
            (Some(_), None) => ty,
            (Some(a), Some(b)) => {
                if a.untyped_rank() >= b.untyped_rank() {
                    tx
                } else {
                    ty
                }
            }
        }
    }

    fn composite(
        &mut self,
        cx: &Cx,
        typ: Option<ExprId>,
        elts: &[ExprId],
        hint: Option<TypeId>,
    ) -> TypeId {
        let f = cx.f();
        let mut t = match typ {
            Some(te) => {
                if let ExprKind::ArrayType { len: Some(l), elt } = f[te].kind {
                    if matches!(f[l].kind, ExprKind::Ellipsis { .. }) {
                        let el = self.type_expr(cx, elt);
                        let n = self.literal_len(cx, elts);
                        let t = match n {
                            Some(n) if el != UNKNOWN => self.types.intern(Type::Array(n, el)),
                            _ => UNKNOWN,
                        };
                        self.record(cx, te, t)
                    } else {
                        self.type_expr(cx, te)
                    }
                } else {
                    self.type_expr(cx, te)
                }
            }
            None => hint.unwrap_or(UNKNOWN),
        };
        // An elided `&T` in `[]*T{{...}}` has type `*T` (as go/types records it); its
        // elements are those of `T`.
        let whole = t;
        if typ.is_none() {
            if let Type::Pointer(el) = self.types.get(t) {
                t = *el;
            }
        }
        let u = self.underlying(t);
        match self.types.get(u).clone() {
            Type::Struct(fields) => {
                for (i, &el) in elts.iter().enumerate() {
                    if let ExprKind::KeyValue { key, value, .. } = f[el].kind {
                        let mut ft = None;
                        if let ExprKind::Ident(id) = f[key].kind {
                            let name = f.ident_name(id);
                            if let Some(fd) = fields.iter().find(|fd| &*fd.name == name) {
                                ft = Some(fd.ty);
                                if let Some(d) = fd.decl {
                                    self.record_key(cx, id, ObjRef::Member(d), fd.ty);
                                }
                            }
                        }
                        self.expr(cx, value, ft);
                        if let Some(ft) = ft {
                            self.convert_untyped(cx, value, ft);
                        }
                    } else {
                        let ft = fields.get(i).map(|f| f.ty);
                        self.expr(cx, el, ft);
                        if let Some(ft) = ft {
                            self.convert_untyped(cx, el, ft);
                        }
                    }
                }
            }
            Type::Map(k, v) => {
                for &el in elts {
                    if let ExprKind::KeyValue { key, value, .. } = f[el].kind {
                        self.literal_key(cx, key);
                        self.expr(cx, key, Some(k));
                        self.expr(cx, value, Some(v));
                        self.convert_untyped(cx, key, k);
                        self.convert_untyped(cx, value, v);
                    } else {
                        self.expr(cx, el, Some(v));
                    }
                }
            }
            Type::Slice(el) | Type::Array(_, el) => {
                for &e in elts {
                    let int = self.basic(BasicKind::Int);
                    if let ExprKind::KeyValue { key, value, .. } = f[e].kind {
                        self.literal_key(cx, key);
                        self.expr(cx, key, None);
                        self.convert_untyped(cx, key, int);
                        self.expr(cx, value, Some(el));
                        self.convert_untyped(cx, value, el);
                    } else {
                        self.expr(cx, e, Some(el));
                        self.convert_untyped(cx, e, el);
                    }
                }
            }
            _ => {
                for &e in elts {
                    if let ExprKind::KeyValue { key, value, .. } = f[e].kind {
                        if !matches!(f[key].kind, ExprKind::Ident(_)) {
                            self.expr(cx, key, None);
                        }
                        self.expr(cx, value, None);
                    } else {
                        self.expr(cx, e, None);
                    }
                }
                return whole;
            }
        }
        whole
    }

    /// A key of a map, slice or array literal that the resolver could not bind (it did not
    /// know the literal's type): now that the type is known not to be a struct, the key is
    /// an expression and denotes what the resolver would have bound.
    fn literal_key(&mut self, cx: &Cx, key: ExprId) {
        let ExprKind::Ident(id) = cx.f()[key].kind else {
            return;
        };
        if cx.l.scopes.binding(cx.fi as usize, id).is_some() {
            return;
        }
        if let Some(def) = cx.l.scopes.key_candidate(cx.fi as usize, id) {
            let o = Obj { pkg: cx.p, def };
            let t = self.def_type(o);
            self.record_key_def(cx, id, o);
            self.record(cx, key, t);
        }
    }

    /// The length of a `[...]T{...}` literal: one more than the largest index.
    fn literal_len(&mut self, cx: &Cx, elts: &[ExprId]) -> Option<u64> {
        let f = cx.f();
        let mut next: i128 = 0;
        let mut max: i128 = 0;
        for &e in elts {
            if let ExprKind::KeyValue { key, .. } = f[e].kind {
                next = self.const_int(cx, key, None, 0)?;
            }
            next += 1;
            max = max.max(next);
        }
        u64::try_from(max).ok()
    }

    fn selector(
        &mut self,
        cx: &Cx,
        e: ExprId,
        x: ExprId,
        sel: racelens_syntax::ast::IdentId,
    ) -> TypeId {
        match self.imported(cx, e) {
            Some(Some(q)) => {
                self.record_qualified(cx, e, Some(&q));
                return match q {
                    Qual::Obj(o) => self.def_type(o),
                    Qual::Unsafe(n) if n == "Pointer" => self.basic(BasicKind::UnsafePointer),
                    Qual::Unsafe(_) => UNKNOWN,
                };
            }
            Some(None) => return UNKNOWN,
            None => {}
        }
        let f = cx.f();
        let name = f.ident_name(sel);
        if self.is_type(cx, x) {
            // A method expression `T.m`: the method with its receiver as first parameter.
            let t = self.type_expr(cx, x);
            let Some(found) = self.lookup(t, name) else {
                return UNKNOWN;
            };
            self.record_sel(cx, e, found.selection());
            if found.kind != SelKind::Method {
                return UNKNOWN;
            }
            let Type::Func(sig) = self.types.get(found.ty).clone() else {
                return UNKNOWN;
            };
            let mut params = vec![t];
            params.extend(sig.params.iter().copied());
            return self.types.intern(Type::Func(Sig {
                params: params.into(),
                results: sig.results.clone(),
                variadic: sig.variadic,
            }));
        }
        let t = self.expr(cx, x, None);
        if t == UNKNOWN {
            return UNKNOWN;
        }
        match self.lookup(t, name) {
            Some(found) => {
                self.record_sel(cx, e, found.selection());
                found.ty
            }
            None => UNKNOWN,
        }
    }

    fn index(&mut self, cx: &Cx, e: ExprId, x: ExprId, idx: &[ExprId]) -> TypeId {
        if self.is_type(cx, x) {
            return self.type_expr(cx, e);
        }
        let t = self.expr(cx, x, None);
        if let Some(params) = self.generic.get(&t).cloned() {
            // Explicit instantiation of a generic function.
            let args: Vec<TypeId> = idx.iter().map(|&i| self.type_expr(cx, i)).collect();
            if args.len() != params.len() || args.contains(&UNKNOWN) {
                return UNKNOWN;
            }
            let map: HashMap<Obj, TypeId> = params
                .iter()
                .zip(args.iter())
                .filter_map(|(p, a)| match self.types.get(*p) {
                    Type::TypeParam { obj, .. } => Some((*obj, *a)),
                    _ => None,
                })
                .collect();
            return self.subst(t, &map, 0);
        }
        let u = self.underlying(t);
        let ty = self.types.get(u).clone();
        let key_hint = match ty {
            Type::Map(k, _) => Some(k),
            _ => None,
        };
        let int = self.basic(BasicKind::Int);
        for &i in idx {
            self.expr(cx, i, key_hint);
            self.convert_untyped(cx, i, key_hint.unwrap_or(int));
        }
        match ty {
            Type::Map(_, v) => v,
            Type::Slice(el) | Type::Array(_, el) => el,
            Type::Basic(BasicKind::String) | Type::Basic(BasicKind::UntypedString) => {
                self.basic(BasicKind::Uint8)
            }
            Type::Pointer(p) => {
                let pu = self.underlying(p);
                match self.types.get(pu) {
                    Type::Array(_, el) => *el,
                    _ => UNKNOWN,
                }
            }
            _ => UNKNOWN,
        }
    }

    fn builtin_name(&mut self, cx: &Cx, fun: ExprId) -> Option<String> {
        let f = cx.f();
        match &f[fun].kind {
            ExprKind::Paren { x } => self.builtin_name(cx, *x),
            ExprKind::Ident(id) => {
                let def = cx.l.scopes.binding(cx.fi as usize, *id)?;
                let d = cx.l.scopes.def(def);
                matches!(d.kind, DefKind::Builtin(BuiltinKind::Func)).then(|| d.name.to_string())
            }
            ExprKind::Selector { .. } => match self.qualified(cx, fun) {
                Some(Qual::Unsafe(n)) => {
                    self.record_qualified(cx, fun, Some(&Qual::Unsafe(n.clone())));
                    Some(format!("unsafe.{n}"))
                }
                _ => None,
            },
            _ => None,
        }
    }

    fn call(&mut self, cx: &Cx, fun: ExprId, args: &[ExprId], spread: bool) -> TypeId {
        if self.is_type(cx, fun) {
            let t = self.type_expr(cx, fun);
            for &a in args {
                let at = self.expr(cx, a, None);
                // An integer constant converted to a string type keeps its untyped type.
                let tu = self.underlying(t);
                let to_string = matches!(self.types.get(tu), Type::Basic(BasicKind::String));
                let from_int = matches!(self.types.get(at), Type::Basic(k) if k.is_integer());
                if !(to_string && from_int) {
                    self.convert_untyped(cx, a, t);
                }
            }
            return t;
        }
        if let Some(name) = self.builtin_name(cx, fun) {
            return self.builtin(cx, &name, args);
        }
        let ft = self.expr(cx, fun, None);
        let u = self.underlying(ft);
        let Type::Func(sig) = self.types.get(u).clone() else {
            for &a in args {
                self.expr(cx, a, None);
            }
            return UNKNOWN;
        };
        let free = self.generic.get(&ft).cloned();
        let np = sig.params.len();
        let param_at = |i: usize| -> Option<TypeId> {
            if sig.variadic && i + 1 >= np && np > 0 {
                if spread {
                    Some(sig.params[np - 1])
                } else {
                    None
                }
            } else {
                sig.params.get(i).copied()
            }
        };
        let mut arg_types = Vec::with_capacity(args.len());
        for (i, &a) in args.iter().enumerate() {
            let hint = if free.is_some() { None } else { param_at(i) };
            arg_types.push(self.expr(cx, a, hint));
        }
        if free.is_none() {
            for (i, &a) in args.iter().enumerate() {
                let p = if sig.variadic && i + 1 >= np && np > 0 && !spread {
                    match self.types.get(sig.params[np - 1]) {
                        Type::Slice(el) => Some(*el),
                        _ => None,
                    }
                } else {
                    sig.params.get(i).copied()
                };
                if let Some(p) = p {
                    self.convert_untyped(cx, a, p);
                }
            }
        }
        let Some(free) = free else {
            return self.tuple(&sig.results);
        };
        // Infer the type arguments of a generic function from typed arguments first, then
        // from the default types of untyped constant arguments.
        let mut map = HashMap::new();
        for untyped_pass in [false, true] {
            for (i, &at) in arg_types.iter().enumerate() {
                let p = if sig.variadic && i + 1 >= np && np > 0 && !spread {
                    match self.types.get(sig.params[np - 1]) {
                        Type::Slice(el) => *el,
                        _ => continue,
                    }
                } else {
                    match sig.params.get(i) {
                        Some(p) => *p,
                        None => continue,
                    }
                };
                let at = if untyped_pass {
                    self.default_type(at)
                } else {
                    at
                };
                self.unify(p, at, &free, &mut map, 0);
            }
        }
        let rs: Vec<TypeId> = sig
            .results
            .iter()
            .map(|&r| {
                let r = self.subst(r, &map, 0);
                if self.mentions(r, &free) {
                    UNKNOWN
                } else {
                    r
                }
            })
            .collect();
        self.tuple(&rs)
    }

    fn builtin(&mut self, cx: &Cx, name: &str, args: &[ExprId]) -> TypeId {
        let mut ts = Vec::with_capacity(args.len());
        for (i, &a) in args.iter().enumerate() {
            if i == 0 && matches!(name, "make" | "new") {
                ts.push(self.type_expr(cx, a));
            } else {
                ts.push(self.expr(cx, a, None));
            }
        }
        let t0 = ts.first().copied().unwrap_or(UNKNOWN);
        if name == "append" && args.len() > 1 {
            let u = self.underlying(t0);
            if let Type::Slice(el) = self.types.get(u) {
                let el = *el;
                for &a in args.iter().skip(1) {
                    self.convert_untyped(cx, a, el);
                }
            }
        }
        if name == "delete" && args.len() == 2 {
            let u = self.underlying(t0);
            if let Type::Map(k, _) = self.types.get(u) {
                let k = *k;
                self.convert_untyped(cx, args[1], k);
            }
        }
        if name == "make" {
            let int = self.basic(BasicKind::Int);
            for &a in args.iter().skip(1) {
                self.convert_untyped(cx, a, int);
            }
        }
        match name {
            "len" | "cap" | "copy" => self.basic(BasicKind::Int),
            "make" => t0,
            "new" => {
                if t0 == UNKNOWN {
                    UNKNOWN
                } else {
                    self.types.intern(Type::Pointer(t0))
                }
            }
            "append" => match self.types.get(t0) {
                Type::Basic(_) => UNKNOWN,
                _ => t0,
            },
            "delete" | "clear" | "panic" | "print" | "println" | "close" => self.tuple(&[]),
            "recover" => self.empty_iface,
            "complex" => {
                let a = self.binary_type(t0, ts.get(1).copied().unwrap_or(UNKNOWN));
                let u = self.underlying(a);
                match self.types.get(u) {
                    Type::Basic(BasicKind::Float32) => self.basic(BasicKind::Complex64),
                    Type::Basic(BasicKind::Float64) => self.basic(BasicKind::Complex128),
                    Type::Basic(k) if k.is_untyped() => self.basic(BasicKind::UntypedComplex),
                    _ => UNKNOWN,
                }
            }
            "real" | "imag" => {
                let u = self.underlying(t0);
                match self.types.get(u) {
                    Type::Basic(BasicKind::Complex64) => self.basic(BasicKind::Float32),
                    Type::Basic(BasicKind::Complex128) => self.basic(BasicKind::Float64),
                    Type::Basic(k) if k.is_untyped() => self.basic(BasicKind::UntypedFloat),
                    _ => UNKNOWN,
                }
            }
            "min" | "max" => {
                let mut t = t0;
                for &x in ts.iter().skip(1) {
                    t = self.binary_type(t, x);
                }
                t
            }
            "unsafe.Sizeof" | "unsafe.Alignof" | "unsafe.Offsetof" => {
                self.basic(BasicKind::Uintptr)
            }
            "unsafe.Add" => self.basic(BasicKind::UnsafePointer),
            "unsafe.Slice" => {
                let u = self.underlying(t0);
                match self.types.get(u) {
                    Type::Pointer(el) => {
                        let el = *el;
                        self.slice_of(el)
                    }
                    _ => UNKNOWN,
                }
            }
            _ => UNKNOWN,
        }
    }

    // ---- statements ----

    /// Runs `f` with the results of signature `sig` as those `return` statements give.
    pub(crate) fn with_results(&mut self, sig: TypeId, f: impl FnOnce(&mut Self)) {
        // The signature's own list is shared, not copied: every function body and literal
        // passes here, and each `return` reads it.
        let rs = match self.types.get(sig) {
            Type::Func(s) => Some(s.results.clone()),
            _ => None,
        };
        self.results.push(rs);
        f(self);
        self.results.pop();
    }

    pub(crate) fn stmt(&mut self, cx: &Cx, s: StmtId) {
        self.nested(|p| p.stmt_inner(cx, s))
    }

    fn stmt_inner(&mut self, cx: &Cx, s: StmtId) {
        let f = cx.f();
        match &f[s].kind {
            StmtKind::Bad | StmtKind::Empty { .. } | StmtKind::Branch { .. } => {}
            StmtKind::Decl(d) => self.local_decl(cx, *d),
            StmtKind::Labeled { stmt, .. } => self.stmt(cx, *stmt),
            StmtKind::Expr(e) => {
                self.expr(cx, *e, None);
            }
            StmtKind::Send { chan, value, .. } => {
                let c = self.expr(cx, *chan, None);
                let el = self.chan_dir_of(c).map(|c| c.1);
                self.expr(cx, *value, el);
                if let Some(el) = el {
                    self.convert_untyped(cx, *value, el);
                }
            }
            StmtKind::IncDec { x, .. } => {
                self.expr(cx, *x, None);
            }
            StmtKind::Assign { lhs, tok, rhs, .. } => self.assign(cx, &f[lhs], *tok, &f[rhs]),
            StmtKind::Go { call } | StmtKind::Defer { call } => {
                self.expr(cx, *call, None);
            }
            StmtKind::Return { results } => {
                let want = self.results.last().cloned().flatten();
                let want: &[TypeId] = want.as_deref().unwrap_or(&[]);
                for (i, &r) in f[results].iter().enumerate() {
                    let h = if want.len() == results.len() {
                        Some(want[i])
                    } else {
                        None
                    };
                    self.expr(cx, r, h);
                    if let Some(h) = h {
                        self.convert_untyped(cx, r, h);
                    }
                }
            }
            StmtKind::Block { list, .. } => {
                for &st in f[list].iter() {
                    self.stmt(cx, st);
                }
            }
            StmtKind::If {
                init,
                cond,
                body,
                els,
            } => {
                if let Some(i) = init {
                    self.stmt(cx, *i);
                }
                self.expr(cx, *cond, None);
                self.stmt(cx, *body);
                if let Some(e) = els {
                    self.stmt(cx, *e);
                }
            }
            StmtKind::CaseClause { list, body, .. } => {
                for &e in f[list].iter() {
                    self.expr(cx, e, None);
                }
                for &st in f[body].iter() {
                    self.stmt(cx, st);
                }
            }
            StmtKind::Switch { init, tag, body } => {
                if let Some(i) = init {
                    self.stmt(cx, *i);
                }
                let tt = match tag {
                    Some(t) => {
                        self.expr(cx, *t, None);
                        self.convert_default(cx, *t);
                        self.recorded_ty(cx, *t)
                    }
                    None => self.basic(BasicKind::Bool),
                };
                let StmtKind::Block { list, .. } = &f[*body].kind else {
                    return;
                };
                for &clause in f[list].iter() {
                    if let StmtKind::CaseClause { list, body, .. } = &f[clause].kind {
                        for &e in f[list].iter() {
                            self.expr(cx, e, None);
                            self.convert_untyped(cx, e, tt);
                        }
                        for &st in f[body].iter() {
                            self.stmt(cx, st);
                        }
                    }
                }
            }
            StmtKind::TypeSwitch { init, assign, body } => {
                if let Some(i) = init {
                    self.stmt(cx, *i);
                }
                let x = match &f[*assign].kind {
                    StmtKind::Assign { rhs, .. } => f[rhs].first().copied(),
                    StmtKind::Expr(e) => Some(*e),
                    _ => None,
                };
                let mut xt = UNKNOWN;
                if let Some(x) = x {
                    if let ExprKind::TypeAssert { x: inner, .. } = f[x].kind {
                        xt = self.expr(cx, inner, None);
                    }
                }
                let StmtKind::Block { list, .. } = &f[*body].kind else {
                    return;
                };
                for &clause in f[list].iter() {
                    let StmtKind::CaseClause { list, body, .. } = &f[clause].kind else {
                        continue;
                    };
                    let mut types = Vec::new();
                    for &e in f[list].iter() {
                        let is_nil = matches!(f[e].kind, ExprKind::Ident(id)
                            if cx.l.scopes.binding(cx.fi as usize, id)
                                .is_some_and(|d| matches!(cx.l.scopes.def(d).kind, DefKind::Builtin(BuiltinKind::Nil))));
                        if is_nil {
                            self.expr(cx, e, None);
                            types.push(None);
                        } else {
                            types.push(Some(self.type_expr(cx, e)));
                        }
                    }
                    let vt = match types.as_slice() {
                        [Some(t)] => *t,
                        _ => xt,
                    };
                    self.set_clause_var(cx, clause, vt);
                    for &st in f[body].iter() {
                        self.stmt(cx, st);
                    }
                }
            }
            StmtKind::CommClause { comm, body, .. } => {
                if let Some(c) = comm {
                    self.stmt(cx, *c);
                }
                for &st in f[body].iter() {
                    self.stmt(cx, st);
                }
            }
            StmtKind::Select { body } => self.stmt(cx, *body),
            StmtKind::For {
                init,
                cond,
                post,
                body,
            } => {
                if let Some(i) = init {
                    self.stmt(cx, *i);
                }
                if let Some(c) = cond {
                    self.expr(cx, *c, None);
                }
                if let Some(p) = post {
                    self.stmt(cx, *p);
                }
                self.stmt(cx, *body);
            }
            StmtKind::Range {
                key,
                value,
                tok,
                x,
                body,
                ..
            } => {
                let t = self.expr(cx, *x, None);
                let (kt, vt) = self.range_types(t);
                if *tok == Some(TokenKind::Define) {
                    for (e, t) in [(key, kt), (value, vt)] {
                        if let Some(e) = e {
                            if let ExprKind::Ident(id) = f[*e].kind {
                                let t = self.default_type(t);
                                self.set_local(cx, id, t);
                                self.expr(cx, *e, None);
                            }
                        }
                    }
                } else {
                    for e in [key, value].into_iter().flatten() {
                        self.expr(cx, *e, None);
                    }
                }
                self.stmt(cx, *body);
            }
        }
    }

    /// The key and value types of `for k, v := range x` with `x` of type `t`.
    pub fn range_types(&mut self, t: TypeId) -> (TypeId, TypeId) {
        let u = self.underlying(t);
        let int = self.basic(BasicKind::Int);
        match self.types.get(u).clone() {
            Type::Basic(BasicKind::String) | Type::Basic(BasicKind::UntypedString) => {
                (int, self.basic(BasicKind::Int32))
            }
            Type::Basic(k) if k.is_integer() => (self.default_type(t), UNKNOWN),
            Type::Slice(el) | Type::Array(_, el) => (int, el),
            Type::Pointer(p) => {
                let pu = self.underlying(p);
                match self.types.get(pu) {
                    Type::Array(_, el) => (int, *el),
                    _ => (UNKNOWN, UNKNOWN),
                }
            }
            Type::Map(k, v) => (k, v),
            Type::Chan(_, el) => (el, UNKNOWN),
            Type::Func(sig) => {
                // A range-over-func iterator: func(yield func(K, V) bool).
                let Some(&y) = sig.params.first() else {
                    return (UNKNOWN, UNKNOWN);
                };
                let yu = self.underlying(y);
                match self.types.get(yu) {
                    Type::Func(ys) => (
                        ys.params.first().copied().unwrap_or(UNKNOWN),
                        ys.params.get(1).copied().unwrap_or(UNKNOWN),
                    ),
                    _ => (UNKNOWN, UNKNOWN),
                }
            }
            _ => (UNKNOWN, UNKNOWN),
        }
    }

    fn assign(&mut self, cx: &Cx, lhs: &[ExprId], tok: TokenKind, rhs: &[ExprId]) {
        let f = cx.f();
        let rts: Vec<TypeId> = if lhs.len() == rhs.len() {
            let mut v = Vec::with_capacity(rhs.len());
            for (i, &r) in rhs.iter().enumerate() {
                let hint = if tok == TokenKind::Define {
                    None
                } else {
                    let t = self.expr(cx, lhs[i], None);
                    (t != UNKNOWN).then_some(t)
                };
                let rt = self.expr(cx, r, hint);
                match hint {
                    Some(h) if tok == TokenKind::Assign => self.convert_untyped(cx, r, h),
                    // An operator assignment: shifts keep their operand's type.
                    Some(h) if !matches!(tok, TokenKind::ShlAssign | TokenKind::ShrAssign) => {
                        self.convert_untyped(cx, r, h)
                    }
                    Some(_) => {}
                    None if tok == TokenKind::Define => self.convert_default(cx, r),
                    None => {}
                }
                v.push(rt);
            }
            v
        } else if rhs.len() == 1 {
            self.expr_multi(cx, rhs[0], lhs.len())
        } else {
            for &r in rhs {
                self.expr(cx, r, None);
            }
            vec![UNKNOWN; lhs.len()]
        };
        for (i, &l) in lhs.iter().enumerate() {
            if tok == TokenKind::Define {
                if let ExprKind::Ident(id) = f[l].kind {
                    let t = self.default_type(rts.get(i).copied().unwrap_or(UNKNOWN));
                    self.set_local(cx, id, t);
                }
            }
            self.expr(cx, l, None);
        }
    }

    fn local_decl(&mut self, cx: &Cx, d: racelens_syntax::ast::DeclId) {
        let f = cx.f();
        let racelens_syntax::ast::DeclKind::Gen { tok, specs, .. } = &f[d].kind else {
            return;
        };
        if *tok != TokenKind::Var {
            self.gen_decl(cx, d);
            return;
        }
        for &s in specs.iter() {
            let racelens_syntax::ast::SpecKind::Value { names, typ, values } = &f[s].kind else {
                continue;
            };
            let ts: Vec<TypeId> = if let Some(t) = typ {
                let t = self.type_expr(cx, *t);
                for &v in values.iter() {
                    self.expr(cx, v, Some(t));
                    self.convert_untyped(cx, v, t);
                }
                vec![t; names.len()]
            } else if values.len() == names.len() {
                values
                    .iter()
                    .map(|&v| {
                        let t = self.expr(cx, v, None);
                        self.convert_default(cx, v);
                        self.default_type(t)
                    })
                    .collect()
            } else if values.len() == 1 {
                self.expr_multi(cx, values[0], names.len())
            } else {
                vec![UNKNOWN; names.len()]
            };
            for (i, &n) in names.iter().enumerate() {
                self.set_local(cx, n, ts[i]);
            }
        }
    }

    /// Whether `t`'s underlying type is a channel, and its direction.
    pub fn chan_dir(&mut self, t: TypeId) -> Option<ChanDir> {
        self.chan_dir_of(t).map(|c| c.0)
    }
}
