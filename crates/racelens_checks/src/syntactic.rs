//! Syntactic facts checks share while the type checker does not exist yet: where a name was
//! declared and with what type or value, whether an expression spells `sync.WaitGroup`, which
//! struct a receiver's type names. Each answer is `None`/`false` when the syntax does not say,
//! never a guess.

use crate::PackageCx;
use racelens_semantic::{DefId, DefKind};
use racelens_syntax::ast::{
    DeclKind, ExprId, ExprKind, FieldListId, IdentId, SpecKind, StmtId, StmtKind,
};
use racelens_syntax::token::TokenKind;
use racelens_syntax::walk::{LazyParents, Node};
use racelens_syntax::File;

/// The source text of expression `e` without its whitespace: two expressions written alike
/// (spaces aside) are taken as the same path, map or key.
pub fn squeezed(file: &File, e: ExprId) -> String {
    file.text(file[e].span)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// `e` without enclosing parentheses.
pub fn unparen(file: &File, e: ExprId) -> ExprId {
    file.unparen(e)
}

/// The imports of `file` of package `path` (its string literal without quotes), each with
/// its local name when it has one (`.` for a dot import).
pub fn imports_of<'f>(file: &'f File, path: &'f str) -> impl Iterator<Item = Option<&'f str>> + 'f {
    file.imports()
        .filter_map(move |spec| match &file[spec].kind {
            SpecKind::Import { name, path: lit }
                if file
                    .text(file[*lit].span)
                    .trim_matches(|c| c == '"' || c == '`')
                    == path =>
            {
                Some(name.map(|n| file.ident_name(n)))
            }
            _ => None,
        })
}

/// For a call `recv.name(args)`, the receiver expression and the arguments.
pub fn method_call<'f>(file: &'f File, call: ExprId, name: &str) -> Option<(ExprId, &'f [ExprId])> {
    let ExprKind::Call { fun, args, .. } = &file[call].kind else {
        return None;
    };
    let ExprKind::Selector { x, sel } = file[unparen(file, *fun)].kind else {
        return None;
    };
    (file.ident_name(sel) == name).then_some((x, &file[args][..]))
}

/// Whether statement `st` is a call without arguments of a method named one of `names`
/// (`mu.Lock()`, `c.mu.RUnlock()`).
pub fn lock_statement(file: &File, st: StmtId, names: &[&str]) -> bool {
    match file[st].kind {
        StmtKind::Expr(e) => names.iter().any(|n| {
            method_call(file, unparen(file, e), n).is_some_and(|(_, args)| args.is_empty())
        }),
        _ => false,
    }
}

/// The last arguments, without parentheses, of the method calls `x.name(…)` of `file` whose
/// (name, argument count) is in `calls`, sorted: a flat scan of the expression arena, for
/// checks that only need a parent map around the function literals handed to such calls.
pub fn last_args_of_calls(file: &File, calls: &[(&str, usize)]) -> Vec<ExprId> {
    let mut out = Vec::new();
    for (call, e) in file.exprs_with_ids() {
        let ExprKind::Call { args, .. } = &e.kind else {
            continue;
        };
        if calls
            .iter()
            .any(|&(name, n)| n == args.len() && method_call(file, call, name).is_some())
        {
            out.extend(file[args].last().map(|&a| unparen(file, a)));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The def an identifier expression denotes.
pub fn ident_def(cx: &PackageCx<'_>, file: usize, e: ExprId) -> Option<DefId> {
    let f = cx.files[file].ast;
    match f[unparen(f, e)].kind {
        ExprKind::Ident(id) => cx.scopes().binding(file, id),
        _ => None,
    }
}

/// Whether `e` is the qualified identifier `pkg.name` of the package imported from `path`.
pub fn is_qualified(cx: &PackageCx<'_>, file: usize, e: ExprId, path: &str, name: &str) -> bool {
    let f = cx.files[file].ast;
    let ExprKind::Selector { x, sel } = f[unparen(f, e)].kind else {
        return false;
    };
    if f.ident_name(sel) != name {
        return false;
    }
    match ident_def(cx, file, x).map(|d| &cx.scopes().def(d).kind) {
        Some(DefKind::Import(info)) => &*info.path == path,
        _ => false,
    }
}

/// Whether the type expression `t` is `sync.WaitGroup` (or a pointer to it, when
/// `pointer_ok`).
pub fn is_wait_group_type(cx: &PackageCx<'_>, file: usize, t: ExprId, pointer_ok: bool) -> bool {
    is_sync_type(cx, file, t, &["WaitGroup"], pointer_ok)
}

/// Whether the value expression `v` creates a `sync.WaitGroup` or a pointer to one:
/// `sync.WaitGroup{}`, `&sync.WaitGroup{}`, `new(sync.WaitGroup)`.
pub fn is_wait_group_value(cx: &PackageCx<'_>, file: usize, v: ExprId) -> bool {
    is_sync_value(cx, file, v, &["WaitGroup"])
}

/// Whether the type expression `t` is one of the types `names` of package `sync` (or a
/// pointer to one, when `pointer_ok`).
pub fn is_sync_type(
    cx: &PackageCx<'_>,
    file: usize,
    t: ExprId,
    names: &[&str],
    pointer_ok: bool,
) -> bool {
    let f = cx.files[file].ast;
    let t = unparen(f, t);
    if let ExprKind::Star { x } = f[t].kind {
        return pointer_ok && is_sync_type(cx, file, x, names, false);
    }
    names
        .iter()
        .any(|name| is_qualified(cx, file, t, "sync", name))
}

/// Whether the value expression `v` creates a value of one of the types `names` of package
/// `sync`, or a pointer to one: `sync.Mutex{}`, `&sync.Mutex{}`, `new(sync.Mutex)`.
pub fn is_sync_value(cx: &PackageCx<'_>, file: usize, v: ExprId, names: &[&str]) -> bool {
    let f = cx.files[file].ast;
    match &f[unparen(f, v)].kind {
        ExprKind::CompositeLit { typ: Some(t), .. } => is_sync_type(cx, file, *t, names, false),
        ExprKind::Unary {
            op: TokenKind::And,
            x,
        } => is_sync_value(cx, file, *x, names),
        ExprKind::Call { fun, args, .. } if args.len() == 1 => {
            is_builtin(cx, file, *fun, "new") && is_sync_type(cx, file, f[args][0], names, false)
        }
        _ => false,
    }
}

/// Whether variable `def` is declared as a pointer (`*bytes.Buffer`), or as one of the
/// standard-library types not safe for concurrent use whose copies share their state
/// (`url.Values`, `hash.Hash`): a parameter so declared modifies what its argument holds.
pub fn copies_share(cx: &PackageCx<'_>, def: DefId) -> bool {
    let Some((file, Declared::Type(t))) = declared(cx, def) else {
        return false;
    };
    let f = cx.files[file].ast;
    let t = unparen(f, t);
    matches!(f[t].kind, ExprKind::Star { .. })
        || racelens_model::unsafe_types::UNSAFE_TYPES
            .iter()
            .any(|u| u.copies_share && is_qualified(cx, file, t, u.path, u.name))
}

/// Whether expression `v` of `file` makes a new value right there: `T{...}`, `&T{...}`,
/// `new(T)` (the model's `makes_new_value`).
pub fn makes_value(cx: &PackageCx<'_>, file: usize, v: ExprId) -> bool {
    racelens_model::makes_new_value(cx.files[file].ast, file, cx.scopes(), v)
}

/// Whether `e` names the builtin function `name` (not shadowed).
pub fn is_builtin(cx: &PackageCx<'_>, file: usize, e: ExprId, name: &str) -> bool {
    builtin_name(cx, file, e) == Some(name)
}

/// The name of the builtin function `e` names (not shadowed), if it names one.
pub fn builtin_name<'a>(cx: &PackageCx<'a>, file: usize, e: ExprId) -> Option<&'a str> {
    let f = cx.files[file].ast;
    match f[unparen(f, e)].kind {
        ExprKind::Ident(id) => matches!(
            cx.scopes()
                .binding(file, id)
                .map(|d| &cx.scopes().def(d).kind),
            Some(DefKind::Builtin(_))
        )
        .then(|| f.ident_name(id)),
        _ => None,
    }
}

/// What the declaration of a variable says about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Declared {
    /// Declared with this type expression (`var x T`, a parameter, a receiver).
    Type(ExprId),
    /// Declared without a type and initialized with this expression (`x := v`, `var x = v`).
    Value(ExprId),
}

/// How def `def` was declared, when its declaration says (in file `def.file`).
pub fn declared(cx: &PackageCx<'_>, def: DefId) -> Option<(usize, Declared)> {
    let d = cx.scopes().def(def);
    let file = d.file? as usize;
    let ident = d.ident?;
    let f = cx.files[file].ast;
    let parents = cx.parents(file);
    let found = match parents.parent(Node::Ident(ident))? {
        Node::Spec(spec) => match &f[spec].kind {
            SpecKind::Value { names, typ, values } => {
                let i = names.iter().position(|&n| n == ident)?;
                match typ {
                    Some(t) => Declared::Type(*t),
                    None if values.len() == names.len() => Declared::Value(values[i]),
                    None => return None,
                }
            }
            _ => return None,
        },
        Node::Field(field) => Declared::Type(f[field].typ),
        Node::Expr(e) => {
            let Some(Node::Stmt(s)) = parents.parent(Node::Expr(e)) else {
                return None;
            };
            match &f[s].kind {
                StmtKind::Assign {
                    lhs,
                    tok: TokenKind::Define,
                    rhs,
                    ..
                } if lhs.len() == rhs.len() => {
                    let i = f[lhs].iter().position(|&l| l == e)?;
                    Declared::Value(f[rhs][i])
                }
                _ => return None,
            }
        }
        _ => return None,
    };
    Some((file, found))
}

/// Whether variable `def` is declared as a `sync.WaitGroup` or a pointer to one.
pub fn def_is_wait_group(cx: &PackageCx<'_>, def: DefId) -> bool {
    match declared(cx, def) {
        Some((file, Declared::Type(t))) => is_wait_group_type(cx, file, t, true),
        Some((file, Declared::Value(v))) => is_wait_group_value(cx, file, v),
        None => false,
    }
}

/// For a variable declared with type `T` or `*T`, `T` a struct type declared in this package,
/// the def of `T` and its field list.
pub fn struct_of_var(cx: &PackageCx<'_>, def: DefId) -> Option<(usize, FieldListId)> {
    let type_def = named_type_of_var(cx, def)?;
    struct_of_type(cx, type_def)
}

/// For a variable declared with type `T` or `*T` (`T[P]`, `*T[P]`), `T` a type declared in
/// this package, the def of `T`.
pub fn named_type_of_var(cx: &PackageCx<'_>, def: DefId) -> Option<DefId> {
    let (file, Declared::Type(t)) = declared(cx, def)? else {
        return None;
    };
    named_type_of(cx, file, t)
}

/// The def of `T` for a type expression `T` or `*T` (`T[P]`, `*T[P]`) in `file`, `T` a type
/// declared in this package.
pub fn named_type_of(cx: &PackageCx<'_>, file: usize, t: ExprId) -> Option<DefId> {
    let f = cx.files[file].ast;
    let mut t = unparen(f, t);
    if let ExprKind::Star { x } = f[t].kind {
        t = unparen(f, x);
    }
    // A generic receiver `*List[T]` names its type through an index expression.
    let t = match f[t].kind {
        ExprKind::Index { x, .. } | ExprKind::IndexList { x, .. } => x,
        _ => t,
    };
    let type_def = ident_def(cx, file, t)?;
    (cx.scopes().def(type_def).kind == DefKind::PackageType).then_some(type_def)
}

/// For type `type_def` declared as a struct type in this package, the file of its declaration
/// and its field list.
pub fn struct_of_type(cx: &PackageCx<'_>, type_def: DefId) -> Option<(usize, FieldListId)> {
    let tfile = cx.scopes().def(type_def).file? as usize;
    let tident = cx.scopes().def(type_def).ident?;
    let tf = cx.files[tfile].ast;
    let Some(Node::Spec(spec)) = cx.parents(tfile).parent(Node::Ident(tident)) else {
        return None;
    };
    let SpecKind::Type {
        typ, assign: None, ..
    } = &tf[spec].kind
    else {
        return None;
    };
    match tf[unparen(tf, *typ)].kind {
        ExprKind::StructType { fields, .. } => Some((tfile, fields)),
        _ => None,
    }
}

/// The type expression of field `name` in a struct's field list (embedded fields answer to
/// their type's name).
pub fn field_type(file: &File, fields: FieldListId, name: &str) -> Option<ExprId> {
    for &fid in file[fields].list.iter() {
        let field = &file[fid];
        if field.names.is_empty() {
            if embedded_name(file, field.typ) == Some(name) {
                return Some(field.typ);
            }
        } else if field.names.iter().any(|&n| file.ident_name(n) == name) {
            return Some(field.typ);
        }
    }
    None
}

/// The name an embedded field answers to: `T`, `*T`, `pkg.T`, `*pkg.T`, `T[P]`.
pub fn embedded_name(file: &File, mut t: ExprId) -> Option<&str> {
    loop {
        t = unparen(file, t);
        match file[t].kind {
            ExprKind::Star { x } => t = x,
            ExprKind::Index { x, .. } | ExprKind::IndexList { x, .. } => t = x,
            ExprKind::Ident(id) => return Some(file.ident_name(id)),
            ExprKind::Selector { sel, .. } => return Some(file.ident_name(sel)),
            _ => return None,
        }
    }
}

/// The identifier of the first parameter of a function type, if it has a name.
pub fn first_param(file: &File, func_type: ExprId) -> Option<IdentId> {
    let ExprKind::FuncType { params, .. } = file[func_type].kind else {
        return None;
    };
    let first = *file[params].list.first()?;
    file[first].names.first().copied()
}

/// The statement that declares variable `def`: a `var` spec or a `:=` assignment, as the
/// file it is in, the names it declares, the values it gives them (one per name, one for all
/// of them, or none) and the position of `def`'s name among them.
struct Declaration {
    file: usize,
    names: Vec<IdentId>,
    values: Vec<ExprId>,
    at: usize,
}

fn declaration(cx: &PackageCx<'_>, def: DefId) -> Option<Declaration> {
    let d = cx.scopes().def(def);
    let (file, ident) = (d.file? as usize, d.ident?);
    let f = cx.files[file].ast;
    let parents = cx.parents(file);
    let (names, values): (Vec<IdentId>, Vec<ExprId>) = match parents.parent(Node::Ident(ident)) {
        Some(Node::Spec(spec)) => match &f[spec].kind {
            SpecKind::Value { names, values, .. } => (names.to_vec(), values.to_vec()),
            _ => return None,
        },
        Some(Node::Expr(e)) => match parents.parent(Node::Expr(e)) {
            Some(Node::Stmt(s)) => match &f[s].kind {
                StmtKind::Assign {
                    lhs,
                    rhs,
                    tok: TokenKind::Define,
                    ..
                } => (
                    f[*lhs]
                        .iter()
                        .filter_map(|&l| match f[l].kind {
                            ExprKind::Ident(id) => Some(id),
                            _ => None,
                        })
                        .collect(),
                    f[*rhs].to_vec(),
                ),
                _ => return None,
            },
            _ => return None,
        },
        _ => return None,
    };
    let at = names.iter().position(|&n| n == ident)?;
    Some(Declaration {
        file,
        names,
        values,
        at,
    })
}

/// The other variables declared by the same statement as `def` (`pr, pw := io.Pipe()`).
pub fn declared_together(cx: &PackageCx<'_>, def: DefId) -> Vec<DefId> {
    let Some(d) = declaration(cx, def) else {
        return Vec::new();
    };
    d.names
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != d.at)
        .filter_map(|(_, &n)| cx.scopes().binding(d.file, n))
        .collect()
}

/// Whether variable `def` is declared by `x := make(chan T...)` (or `var x = make(chan
/// T...)`): a channel the function made.
pub fn made_as_channel(cx: &PackageCx<'_>, def: DefId) -> bool {
    let Some(d) = declaration(cx, def) else {
        return false;
    };
    if d.values.len() != d.names.len() {
        return false;
    }
    let f = cx.files[d.file].ast;
    let ExprKind::Call { fun, ref args, .. } = f[unparen(f, d.values[d.at])].kind else {
        return false;
    };
    builtin_name(cx, d.file, fun) == Some("make")
        && f[args]
            .first()
            .is_some_and(|&t| matches!(f[unparen(f, t)].kind, ExprKind::ChanType { .. }))
}

/// The nearest function (declaration or literal) around `node`.
pub fn enclosing_function(file: &File, parents: &LazyParents<'_>, node: Node) -> Option<Node> {
    parents.ancestors(node).find(|&n| match n {
        Node::Decl(d) => matches!(file[d].kind, DeclKind::Func { .. }),
        Node::Expr(e) => matches!(file[e].kind, ExprKind::FuncLit { .. }),
        _ => false,
    })
}

/// The declaration of the function or method of this package that `fun`, the function
/// expression of a call in file `file`, names (`helper(x)`, `t.update(v)`): its file, the
/// declaration, and its def. Method values of other packages, function values and
/// interface methods name none.
pub fn called_decl(
    cx: &PackageCx<'_>,
    prog: &mut racelens_semantic::types::Program<'_>,
    pkg: racelens_semantic::types::PkgIdx,
    file: usize,
    fun: ExprId,
) -> Option<(usize, racelens_syntax::ast::DeclId, DefId)> {
    use racelens_semantic::types::{ObjRef, SelKind, Selection};
    let f = cx.files[file].ast;
    let fun = f.unparen(fun);
    let def = match f[fun].kind {
        ExprKind::Ident(id) => cx.scopes().binding(file, id)?,
        ExprKind::Selector { .. } => match prog.selection(pkg, file, fun)? {
            Selection {
                kind: SelKind::Method,
                obj: ObjRef::Def(o),
            } if o.pkg == pkg => o.def,
            _ => return None,
        },
        _ => return None,
    };
    let d = cx.scopes().def(def);
    if !matches!(d.kind, DefKind::PackageFunc | DefKind::Method { .. }) {
        return None;
    }
    let (dfile, ident) = (d.file? as usize, d.ident?);
    cx.files.get(dfile)?;
    match cx.parents(dfile).parent(Node::Ident(ident)) {
        Some(Node::Decl(decl)) => Some((dfile, decl, def)),
        _ => None,
    }
}
