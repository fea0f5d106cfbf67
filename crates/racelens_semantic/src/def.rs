//! Declarations (`Def`) and scopes (`Scope`): the arenas that name bindings point into.

use racelens_syntax::ast::{DeclId, ExprId, FieldId, IdentId, SpecId, StmtId};

/// A declared entity: an index into `PackageScopes::defs`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct DefId(pub u32);

impl DefId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A scope: an index into `PackageScopes::scopes`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, Default)]
pub struct ScopeId(pub u32);

impl ScopeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A function of one file: a declared function or method, or a function literal. The file
/// is the one of the def or scope that carries this reference.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum FuncRef {
    Decl(DeclId),
    /// An `ExprKind::FuncLit`.
    Lit(ExprId),
}

/// How an import names its package in the importing file.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ImportStyle {
    /// `import "path"`: the local name is the imported package's name. Without reading that
    /// package it is guessed from the path (see `guess_package_name`) unless the caller of
    /// `resolve_package_with` supplied it.
    Implicit { guessed: bool },
    /// `import name "path"`.
    Named,
    /// `import . "path"`: the package's exported names join the file scope. They are not
    /// known here, so identifiers they would resolve stay unresolved.
    Dot,
    /// `import _ "path"`: imported for its side effects; the def is never bound.
    Blank,
}

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ImportInfo {
    /// The import path, unquoted (empty if the literal could not be unquoted).
    pub path: Box<str>,
    pub style: ImportStyle,
    pub spec: SpecId,
}

/// What a universe name denotes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum BuiltinKind {
    Type,
    Func,
    Const,
    /// `nil`.
    Nil,
}

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum DefKind {
    PackageVar,
    PackageConst,
    PackageType,
    /// A function declared at package level without receiver, including `init` (which is
    /// never bound, as the spec forbids referring to it).
    PackageFunc,
    /// A method; it is never bound in a scope (method names need types to resolve).
    /// `recv_type_name` is the receiver's base type name (`List` in `func (l *List[T]) m()`),
    /// `recv_type` its binding when it resolves.
    Method {
        recv_type_name: Box<str>,
        recv_type: Option<DefId>,
    },
    /// The name an import declares in its file; `Def::name` is the local name (`.` for a
    /// dot import, `_` for a blank one).
    Import(ImportInfo),
    /// A variable declared in a function: `var`, `:=`, a range or three-clause loop
    /// variable, or the per-clause variable of a type switch.
    LocalVar,
    Param,
    /// A named result.
    Result,
    Receiver,
    LocalConst,
    LocalType,
    /// A type parameter of a generic type, function or method receiver.
    TypeParam,
    Label,
    /// The symbolic `x` of `switch x := y.(type)`. Each clause declares its own `LocalVar`
    /// with the same identifier (`Def::clause` says which); uses in clause bodies resolve to
    /// those, and the header identifier resolves to this def.
    TypeSwitchVar,
    /// A name of the universe scope.
    Builtin(BuiltinKind),
}

impl DefKind {
    /// Variables that a function literal captures by reference when it refers to them.
    pub fn is_local_variable(&self) -> bool {
        matches!(
            self,
            DefKind::LocalVar | DefKind::Param | DefKind::Result | DefKind::Receiver
        )
    }

    /// A short name, as used by tests and dumps.
    pub fn as_str(&self) -> &'static str {
        match self {
            DefKind::PackageVar => "PackageVar",
            DefKind::PackageConst => "PackageConst",
            DefKind::PackageType => "PackageType",
            DefKind::PackageFunc => "PackageFunc",
            DefKind::Method { .. } => "Method",
            DefKind::Import(_) => "Import",
            DefKind::LocalVar => "LocalVar",
            DefKind::Param => "Param",
            DefKind::Result => "Result",
            DefKind::Receiver => "Receiver",
            DefKind::LocalConst => "LocalConst",
            DefKind::LocalType => "LocalType",
            DefKind::TypeParam => "TypeParam",
            DefKind::Label => "Label",
            DefKind::TypeSwitchVar => "TypeSwitchVar",
            DefKind::Builtin(_) => "Builtin",
        }
    }
}

/// The syntax that declares a def, so checks can read its type or initial value without
/// searching the tree. Indices count names within their list (`var a, b = 1, 2` declares
/// `b` at index 1; `for k, v := range` declares `v` at index 1).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum DeclSite {
    Universe,
    /// An import, const, var or type spec.
    Spec {
        spec: SpecId,
        index: u32,
    },
    /// A function or method declaration.
    Func(DeclId),
    /// A receiver, parameter, result or type parameter field.
    Field {
        field: FieldId,
        index: u32,
    },
    /// A receiver type parameter (`T` in `func (l *List[T])`); `field` is the receiver.
    ReceiverTypeParam {
        field: FieldId,
        index: u32,
    },
    /// `:=` (an `Assign` statement, also as the init of a `for` or the comm of a select
    /// clause); `index` is the position in the left side.
    Define {
        stmt: StmtId,
        index: u32,
    },
    /// A `for k, v := range` statement.
    Range {
        stmt: StmtId,
        index: u32,
    },
    /// The guard of a type switch statement (the symbolic variable and each clause's).
    TypeSwitch(StmtId),
    /// A labeled statement.
    Label(StmtId),
}

/// One declared entity.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Def {
    pub name: std::sync::Arc<str>,
    pub kind: DefKind,
    /// The index of the declaring file in the slice given to `resolve_package`; `None` for
    /// universe names.
    pub file: Option<u32>,
    /// The declaring identifier; `None` for universe names.
    pub ident: Option<IdentId>,
    /// The innermost function whose body or signature declares this def; `None` at package
    /// level (including type parameters of generic types).
    pub func: Option<FuncRef>,
    /// The scope the def is declared in (for labels: the function's scope, as labels have a
    /// namespace of their own).
    pub scope: ScopeId,
    /// For variables declared by the init statement of a three-clause `for` or by a
    /// `for k, v := range`: that statement. Such variables are per-iteration since Go 1.22.
    pub loop_stmt: Option<StmtId>,
    /// For the per-clause variable of a type switch: the `CaseClause` statement.
    pub clause: Option<StmtId>,
    /// The syntax that declares the def.
    pub site: DeclSite,
}

/// What opened a scope.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ScopeKind {
    Universe,
    Package,
    /// The imports of one file.
    File,
    /// A function's block: receiver, type parameters, parameters, results and the body's
    /// top-level declarations all live here, as in go/types.
    Function(FuncRef),
    /// The parameters of a function type that has no body (a func type literal or an
    /// interface method).
    Signature(ExprId),
    /// The type parameters of a generic type declaration.
    TypeParams(SpecId),
    /// An explicit block, or the implicit block of an `if`, `for`, `switch`, `select`
    /// statement or of a case/comm clause.
    Block(StmtId),
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Scope {
    pub parent: Option<ScopeId>,
    pub kind: ScopeKind,
    /// The file the scope lies in; `None` for the universe and package scopes.
    pub file: Option<u32>,
}

/// The universe scope of Go (as of Go 1.21, which added `min`, `max` and `clear`).
pub(crate) const UNIVERSE: &[(&str, BuiltinKind)] = &[
    ("any", BuiltinKind::Type),
    ("bool", BuiltinKind::Type),
    ("byte", BuiltinKind::Type),
    ("comparable", BuiltinKind::Type),
    ("complex64", BuiltinKind::Type),
    ("complex128", BuiltinKind::Type),
    ("error", BuiltinKind::Type),
    ("float32", BuiltinKind::Type),
    ("float64", BuiltinKind::Type),
    ("int", BuiltinKind::Type),
    ("int8", BuiltinKind::Type),
    ("int16", BuiltinKind::Type),
    ("int32", BuiltinKind::Type),
    ("int64", BuiltinKind::Type),
    ("rune", BuiltinKind::Type),
    ("string", BuiltinKind::Type),
    ("uint", BuiltinKind::Type),
    ("uint8", BuiltinKind::Type),
    ("uint16", BuiltinKind::Type),
    ("uint32", BuiltinKind::Type),
    ("uint64", BuiltinKind::Type),
    ("uintptr", BuiltinKind::Type),
    ("true", BuiltinKind::Const),
    ("false", BuiltinKind::Const),
    ("iota", BuiltinKind::Const),
    ("nil", BuiltinKind::Nil),
    ("append", BuiltinKind::Func),
    ("cap", BuiltinKind::Func),
    ("clear", BuiltinKind::Func),
    ("close", BuiltinKind::Func),
    ("complex", BuiltinKind::Func),
    ("copy", BuiltinKind::Func),
    ("delete", BuiltinKind::Func),
    ("imag", BuiltinKind::Func),
    ("len", BuiltinKind::Func),
    ("make", BuiltinKind::Func),
    ("max", BuiltinKind::Func),
    ("min", BuiltinKind::Func),
    ("new", BuiltinKind::Func),
    ("panic", BuiltinKind::Func),
    ("print", BuiltinKind::Func),
    ("println", BuiltinKind::Func),
    ("real", BuiltinKind::Func),
    ("recover", BuiltinKind::Func),
];

/// Guesses the name of the package at import path `path`, as Go tools do when they cannot
/// read it: the last path element, skipping a major-version element (`/v2`), without a
/// `.vN` suffix (`gopkg.in/yaml.v3`), a `go-` prefix or a `-go`/`.go` suffix. The guess
/// can be wrong (a package may name itself anything); `ImportStyle::Implicit` says so.
pub fn guess_package_name(path: &str) -> &str {
    let mut parts = path.rsplit('/');
    let mut last = parts.next().unwrap_or("");
    let is_major =
        |s: &str| s.len() > 1 && s.starts_with('v') && s[1..].bytes().all(|b| b.is_ascii_digit());
    if is_major(last) {
        if let Some(prev) = parts.next() {
            last = prev;
        }
    }
    if let Some(dot) = last.rfind(".v") {
        if last[dot + 2..].bytes().all(|b| b.is_ascii_digit()) && dot + 2 < last.len() {
            last = &last[..dot];
        }
    }
    for suffix in ["-go", ".go"] {
        if last.len() > suffix.len() && last.ends_with(suffix) {
            last = &last[..last.len() - suffix.len()];
        }
    }
    if last.len() > 3 && last.starts_with("go-") {
        last = &last[3..];
    }
    last
}

/// The names a package at `path` plausibly has, the best guess first: the guess of
/// `guess_package_name`, the last path element as written, and the element before a
/// major-version element.
pub fn package_name_candidates(path: &str) -> Vec<String> {
    let mut out = vec![guess_package_name(path).to_string()];
    let mut parts = path.rsplit('/');
    let last = parts.next().unwrap_or("");
    let mut push = |c: &str| {
        let ident = !c.is_empty()
            && !c.starts_with(|ch: char| ch.is_ascii_digit())
            && c.chars().all(|ch| ch == '_' || ch.is_alphanumeric());
        if ident && !out.iter().any(|o| o == c) {
            out.push(c.to_string());
        }
    };
    push(last);
    if let Some(prev) = parts.next() {
        push(prev);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{guess_package_name, package_name_candidates};

    #[test]
    fn package_name_candidates_from_paths() {
        assert_eq!(package_name_candidates("fmt"), ["fmt"]);
        assert_eq!(
            package_name_candidates("github.com/aws/aws-sdk-go/aws/signer/v4"),
            ["signer", "v4"]
        );
        assert_eq!(package_name_candidates("gopkg.in/yaml.v3"), ["yaml"]);
    }

    #[test]
    fn package_names_from_paths() {
        assert_eq!(guess_package_name("fmt"), "fmt");
        assert_eq!(guess_package_name("net/http"), "http");
        assert_eq!(guess_package_name("github.com/a/b/v2"), "b");
        assert_eq!(guess_package_name("gopkg.in/yaml.v3"), "yaml");
        assert_eq!(guess_package_name("github.com/mattn/go-sqlite3"), "sqlite3");
        assert_eq!(guess_package_name("github.com/x/specs-go"), "specs");
        assert_eq!(guess_package_name("v2"), "v2");
    }
}
