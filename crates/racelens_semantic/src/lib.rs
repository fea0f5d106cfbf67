//! The semantic model of Go packages, before any type information: scopes and name bindings.
//!
//! `resolve_package` takes the parsed files of one Go package and answers, for every
//! identifier occurrence, which declaration it refers to (`Def`), following the scope rules
//! of the Go specification. It also records what later layers of racelens need most:
//! qualified identifiers `pkg.Name`, the variables each function literal captures by
//! reference, the function that declares each local, loop variables, and the syntax that
//! declares each def (`Def::site`). `References` inverts the bindings: all occurrences of
//! a def.
//!
//! Everything here is pure and deterministic: no IO, and ids are assigned in source order.
//!
//! What scoping alone cannot resolve stays unresolved: selected fields and methods
//! (`x.f`), struct literal keys, names brought in by dot imports. Those need types (the
//! type checker resolves them: `Program::selection`, `key_field`, and dot-imported names).
//! Bindings agree with go/types on every identifier of the Go standard library (see
//! `tests/go_types_oracle.rs`).
//!
//! ```
//! use racelens_semantic::{resolve_package, DefKind};
//! use racelens_syntax::ast::ExprKind;
//!
//! let src = b"package p\nfunc f() {\n\tfor i := 0; i < 3; i++ {\n\t\tgo func() { println(i) }()\n\t}\n}\n";
//! let (file, _errors) = racelens_syntax::parse(src);
//! let scopes = resolve_package(&[&file]);
//! let (lit, _) = file
//!     .exprs_with_ids()
//!     .find(|(_, e)| matches!(e.kind, ExprKind::FuncLit { .. }))
//!     .unwrap();
//! // The goroutine captures the loop variable `i` by reference.
//! let captures = scopes.captures(0, lit);
//! assert_eq!(captures.len(), 1);
//! let i = scopes.def(captures[0].def);
//! assert_eq!((&*i.name, &i.kind), ("i", &DefKind::LocalVar));
//! assert!(i.loop_stmt.is_some());
//! ```

pub mod callgraph;
pub mod def;
pub mod import;
pub mod refs;
pub mod scope;
pub mod stdmodels;
pub mod types;

pub use def::{
    BuiltinKind, DeclSite, Def, DefId, DefKind, FuncRef, ImportInfo, ImportStyle, Scope, ScopeId,
    ScopeKind,
};
pub use refs::References;
pub use scope::{
    extend_package, resolve_package, resolve_package_with, Capture, FileScopes, ImportedName,
    PackageScopes,
};
