//! Go types as racelens models them: an interned arena (`TypeId`), so that equal type
//! structures share one id, and the printer whose output the oracle comparison uses.

use racelens_syntax::ast::ChanDir;
use std::sync::Arc;

/// An interned type: an index into `Types`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct TypeId(pub u32);

/// A package of a `Program`: an index into its package table.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct PkgIdx(pub u32);

/// A declared entity of some package of a `Program`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct Obj {
    pub pkg: PkgIdx,
    pub def: crate::DefId,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum BasicKind {
    Bool,
    Int,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uintptr,
    Float32,
    Float64,
    Complex64,
    Complex128,
    String,
    UnsafePointer,
    UntypedBool,
    UntypedInt,
    UntypedRune,
    UntypedFloat,
    UntypedComplex,
    UntypedString,
    UntypedNil,
}

impl BasicKind {
    pub fn name(self) -> &'static str {
        use BasicKind::*;
        match self {
            Bool => "bool",
            Int => "int",
            Int8 => "int8",
            Int16 => "int16",
            Int32 => "int32",
            Int64 => "int64",
            Uint => "uint",
            Uint8 => "uint8",
            Uint16 => "uint16",
            Uint32 => "uint32",
            Uint64 => "uint64",
            Uintptr => "uintptr",
            Float32 => "float32",
            Float64 => "float64",
            Complex64 => "complex64",
            Complex128 => "complex128",
            String => "string",
            UnsafePointer => "unsafe.Pointer",
            UntypedBool => "untyped bool",
            UntypedInt => "untyped int",
            UntypedRune => "untyped rune",
            UntypedFloat => "untyped float",
            UntypedComplex => "untyped complex",
            UntypedString => "untyped string",
            UntypedNil => "untyped nil",
        }
    }

    /// The basic type a universe type name denotes (`byte` is `uint8`, `rune` is `int32`).
    pub fn from_name(name: &str) -> Option<BasicKind> {
        use BasicKind::*;
        Some(match name {
            "bool" => Bool,
            "int" => Int,
            "int8" => Int8,
            "int16" => Int16,
            "int32" | "rune" => Int32,
            "int64" => Int64,
            "uint" => Uint,
            "uint8" | "byte" => Uint8,
            "uint16" => Uint16,
            "uint32" => Uint32,
            "uint64" => Uint64,
            "uintptr" => Uintptr,
            "float32" => Float32,
            "float64" => Float64,
            "complex64" => Complex64,
            "complex128" => Complex128,
            "string" => String,
            _ => return None,
        })
    }

    pub fn is_untyped(self) -> bool {
        use BasicKind::*;
        matches!(
            self,
            UntypedBool
                | UntypedInt
                | UntypedRune
                | UntypedFloat
                | UntypedComplex
                | UntypedString
                | UntypedNil
        )
    }

    /// The type an untyped constant gets when nothing else decides it.
    pub fn default_kind(self) -> BasicKind {
        use BasicKind::*;
        match self {
            UntypedBool => Bool,
            UntypedInt => Int,
            UntypedRune => Int32,
            UntypedFloat => Float64,
            UntypedComplex => Complex128,
            UntypedString => String,
            k => k,
        }
    }

    /// The rank of an untyped numeric kind: a mixed constant expression takes the larger.
    pub fn untyped_rank(self) -> u8 {
        use BasicKind::*;
        match self {
            UntypedInt => 1,
            UntypedRune => 2,
            UntypedFloat => 3,
            UntypedComplex => 4,
            _ => 0,
        }
    }

    pub fn is_integer(self) -> bool {
        use BasicKind::*;
        matches!(
            self,
            Int | Int8
                | Int16
                | Int32
                | Int64
                | Uint
                | Uint8
                | Uint16
                | Uint32
                | Uint64
                | Uintptr
                | UntypedInt
                | UntypedRune
        )
    }
}

/// A function signature; the last parameter of a variadic function is a slice.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Sig {
    pub params: Arc<[TypeId]>,
    pub results: Arc<[TypeId]>,
    pub variadic: bool,
}

/// Where a field or interface method is declared: package and byte offset of its name.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct DeclPos {
    pub pkg: PkgIdx,
    pub offset: u32,
}

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Field {
    pub name: Arc<str>,
    pub ty: TypeId,
    pub embedded: bool,
    pub tag: Option<Arc<str>>,
    pub decl: Option<DeclPos>,
}

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Method {
    pub name: Arc<str>,
    /// A `Type::Func`.
    pub sig: TypeId,
    pub decl: Option<DeclPos>,
}

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Interface {
    /// Explicitly declared methods, sorted by name.
    pub methods: Arc<[Method]>,
    /// Embedded interfaces and type-set elements (unions, `~T`, plain types), in order.
    pub embeds: Arc<[TypeId]>,
}

/// A defined type, possibly an instance of a generic one (`args` non-empty).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Named {
    /// The declaring type name; `None` for `error` and `comparable`.
    pub obj: Option<Obj>,
    pub path: Arc<str>,
    pub name: Arc<str>,
    pub args: Arc<[TypeId]>,
}

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Type {
    /// What could not be derived: never a guess.
    Unknown,
    Basic(BasicKind),
    Named(Named),
    Pointer(TypeId),
    Slice(TypeId),
    Array(u64, TypeId),
    Map(TypeId, TypeId),
    Chan(ChanDir, TypeId),
    Func(Sig),
    Struct(Arc<[Field]>),
    Interface(Interface),
    /// A type parameter, by its declaring def.
    TypeParam {
        obj: Obj,
        name: Arc<str>,
    },
    /// The results of a multi-value call (or `()` for none).
    Tuple(Arc<[TypeId]>),
    /// A union type-set element; `bool` is the tilde.
    Union(Arc<[(bool, TypeId)]>),
}

/// The type arena of one `Program`.
pub struct Types {
    types: Vec<Type>,
    ids: crate::scope::FxMap<Type, TypeId>,
    /// Per type: whether it mentions `Unknown` (see `has_unknown`).
    unknown: Vec<bool>,
    /// The id of each basic type once interned (`UNKNOWN` before): literals, comparisons
    /// and conversions ask for them constantly, and an array index is cheaper than hashing
    /// a `Type`. They are still interned on first use, so ids keep their order.
    basics: [TypeId; BASIC_KINDS],
    /// The id of the empty tuple once interned (`UNKNOWN` before): the type of every call
    /// of a function without results.
    unit: TypeId,
}

/// The number of `BasicKind` variants.
const BASIC_KINDS: usize = BasicKind::UntypedNil as usize + 1;

pub const UNKNOWN: TypeId = TypeId(0);

impl Default for Types {
    fn default() -> Self {
        let mut t = Types {
            types: Vec::new(),
            ids: Default::default(),
            unknown: Vec::new(),
            basics: [UNKNOWN; BASIC_KINDS],
            unit: UNKNOWN,
        };
        t.intern(Type::Unknown);
        t
    }
}

impl Types {
    pub fn intern(&mut self, t: Type) -> TypeId {
        if let Some(&id) = self.ids.get(&t) {
            return id;
        }
        let id = TypeId(self.types.len() as u32);
        let unknown = self.mentions_unknown(&t);
        self.unknown.push(unknown);
        self.types.push(t.clone());
        self.ids.insert(t, id);
        id
    }

    pub fn get(&self, id: TypeId) -> &Type {
        &self.types[id.0 as usize]
    }

    pub fn basic(&mut self, k: BasicKind) -> TypeId {
        let id = self.basics[k as usize];
        if id != UNKNOWN {
            return id;
        }
        let id = self.intern(Type::Basic(k));
        self.basics[k as usize] = id;
        id
    }

    /// The tuple of `ts`, interned.
    pub fn tuple(&mut self, ts: &[TypeId]) -> TypeId {
        if !ts.is_empty() {
            return self.intern(Type::Tuple(ts.into()));
        }
        if self.unit == UNKNOWN {
            self.unit = self.intern(Type::Tuple(Arc::new([])));
        }
        self.unit
    }

    pub fn len(&self) -> usize {
        self.types.len()
    }

    pub fn is_empty(&self) -> bool {
        self.types.len() <= 1
    }

    /// Whether `t` mentions `Unknown` anywhere (then it is not a believable type). Types
    /// are immutable and only refer to types interned before them, so the answer is
    /// computed once, when `t` is interned.
    pub fn has_unknown(&self, t: TypeId) -> bool {
        self.unknown[t.0 as usize]
    }

    /// Whether a type about to be interned mentions `Unknown`, from its parts' answers.
    fn mentions_unknown(&self, t: &Type) -> bool {
        let u = |id: &TypeId| self.unknown[id.0 as usize];
        match t {
            Type::Unknown => true,
            Type::Basic(_) | Type::TypeParam { .. } => false,
            Type::Named(n) => n.args.iter().any(u),
            Type::Pointer(e) | Type::Slice(e) | Type::Array(_, e) | Type::Chan(_, e) => u(e),
            Type::Map(k, v) => u(k) || u(v),
            Type::Func(s) => s.params.iter().chain(s.results.iter()).any(u),
            Type::Struct(fs) => fs.iter().any(|f| u(&f.ty)),
            Type::Interface(i) => i.methods.iter().any(|m| u(&m.sig)) || i.embeds.iter().any(u),
            Type::Tuple(ts) => ts.iter().any(u),
            Type::Union(ts) => ts.iter().any(|t| u(&t.1)),
        }
    }

    /// The type as the oracle prints it: go/types' `TypeString` with full package paths,
    /// without parameter names or struct tags, `byte`/`rune` as `uint8`/`int32`, and spaces
    /// replaced by `_` so that a record stays one whitespace-separated field.
    pub fn display(&self, t: TypeId) -> String {
        let mut s = String::new();
        self.write(&mut s, t, 0);
        s.replace(' ', "_")
    }

    fn write(&self, b: &mut String, t: TypeId, depth: u32) {
        if depth > 50 {
            b.push_str("...");
            return;
        }
        let d = depth + 1;
        match self.get(t) {
            Type::Unknown => b.push('?'),
            Type::Basic(k) => b.push_str(k.name()),
            Type::Named(n) => {
                if !n.path.is_empty() {
                    b.push_str(&n.path);
                    b.push('.');
                }
                b.push_str(&n.name);
                if !n.args.is_empty() {
                    b.push('[');
                    for (i, a) in n.args.iter().enumerate() {
                        if i > 0 {
                            b.push_str(", ");
                        }
                        self.write(b, *a, d);
                    }
                    b.push(']');
                }
            }
            Type::Pointer(e) => {
                b.push('*');
                self.write(b, *e, d);
            }
            Type::Slice(e) => {
                b.push_str("[]");
                self.write(b, *e, d);
            }
            Type::Array(n, e) => {
                b.push_str(&format!("[{n}]"));
                self.write(b, *e, d);
            }
            Type::Map(k, v) => {
                b.push_str("map[");
                self.write(b, *k, d);
                b.push(']');
                self.write(b, *v, d);
            }
            Type::Chan(dir, e) => {
                b.push_str(match dir {
                    ChanDir::Both => "chan ",
                    ChanDir::Send => "chan<- ",
                    ChanDir::Recv => "<-chan ",
                });
                let paren =
                    *dir == ChanDir::Both && matches!(self.get(*e), Type::Chan(ChanDir::Recv, _));
                if paren {
                    b.push('(');
                }
                self.write(b, *e, d);
                if paren {
                    b.push(')');
                }
            }
            Type::Func(s) => {
                b.push_str("func");
                self.write_sig(b, s, d);
            }
            Type::Struct(fs) => {
                b.push_str("struct{");
                for (i, f) in fs.iter().enumerate() {
                    if i > 0 {
                        b.push_str("; ");
                    }
                    if !f.embedded {
                        b.push_str(&f.name);
                        b.push(' ');
                    }
                    self.write(b, f.ty, d);
                }
                b.push('}');
            }
            Type::Interface(it) => {
                let mut parts: Vec<String> = it
                    .methods
                    .iter()
                    .map(|m| {
                        let mut s = m.name.to_string();
                        if let Type::Func(sig) = self.get(m.sig) {
                            self.write_sig(&mut s, sig, d);
                        } else {
                            s.push('?');
                        }
                        s
                    })
                    .collect();
                parts.sort();
                for e in it.embeds.iter() {
                    let mut s = String::new();
                    self.write(&mut s, *e, d);
                    parts.push(s);
                }
                b.push_str("interface{");
                b.push_str(&parts.join("; "));
                b.push('}');
            }
            Type::TypeParam { name, .. } => b.push_str(name),
            Type::Tuple(ts) => self.write_tuple(b, ts, false, d),
            Type::Union(ts) => {
                for (i, (tilde, t)) in ts.iter().enumerate() {
                    if i > 0 {
                        b.push_str(" | ");
                    }
                    if *tilde {
                        b.push('~');
                    }
                    self.write(b, *t, d);
                }
            }
        }
    }

    fn write_tuple(&self, b: &mut String, ts: &[TypeId], variadic: bool, depth: u32) {
        b.push('(');
        for (i, t) in ts.iter().enumerate() {
            if i > 0 {
                b.push_str(", ");
            }
            let mut t = *t;
            if variadic && i == ts.len() - 1 {
                b.push_str("...");
                if let Type::Slice(e) = self.get(t) {
                    t = *e;
                }
            }
            self.write(b, t, depth);
        }
        b.push(')');
    }

    fn write_sig(&self, b: &mut String, s: &Sig, depth: u32) {
        self.write_tuple(b, &s.params, s.variadic, depth);
        if s.results.len() == 1 {
            b.push(' ');
            self.write(b, s.results[0], depth);
        } else if s.results.len() > 1 {
            b.push(' ');
            self.write_tuple(b, &s.results, false, depth);
        }
    }
}
