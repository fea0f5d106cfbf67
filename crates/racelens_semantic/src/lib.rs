//! The semantic model of Go packages, before any type information: scopes and name bindings.
//!
//! `resolve_package` takes the parsed files of one Go package and answers, for every
//! identifier occurrence, which declaration it refers to (`Def`), following the scope rules
//! of the Go specification. It also records what later layers of racelens need most:
//! qualified identifiers `pkg.Name`, the variables each function literal captures by
//! reference, the function that declares each local, and loop variables.
//!
//! Everything here is pure and deterministic: no IO, and ids are assigned in source order.

pub mod def;
pub mod import;
pub mod scope;
pub mod types;

pub use def::{
    BuiltinKind, Def, DefId, DefKind, FuncRef, ImportInfo, ImportStyle, Scope, ScopeId, ScopeKind,
};
pub use scope::{
    resolve_package, resolve_package_with, Capture, FileScopes, ImportedName, PackageScopes,
};
