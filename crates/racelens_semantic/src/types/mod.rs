//! Types of Go declarations and expressions: the type checker and its queries.
//!
//! `Program` checks packages given by source (`check_package`) and types what they import
//! lazily, declarations only, through an `Importer`. Every expression of a checked package
//! gets a `TypeId` (`type_of`), every selector what it selects (`selection`). What cannot be
//! derived is `UNKNOWN`: a wrong type would make checks report races that are not there.

mod check;
mod expr;
mod load;
mod lookup;
mod query;
mod ty;

pub use check::{ObjRef, Program, SelKind, Selection};
pub use load::{Loaded, PackageCache};
pub use lookup::Found;
pub use query::Described;
pub use ty::{
    BasicKind, DeclPos, Field, Interface, Method, Named, Obj, PkgIdx, Sig, Type, TypeId, Types,
    UNKNOWN,
};
