//! Standard-library types whose values are documented as not safe for concurrent use, and
//! which of their methods modify a value in place (`buf.WriteString(s)`) or only read it
//! (`buf.Len()`). The model records a call of a modifying method as an
//! [`AccessKind::Mutate`](crate::AccessKind::Mutate) of the variable or field holding the value.
//!
//! Only methods listed here count: a method a later Go release adds is neither, so that a
//! table older than the source reads nothing into it.

use racelens_semantic::types::{Program, TypeId};

/// A type whose values are not safe for concurrent use.
pub struct UnsafeType {
    /// Import path and name of the type.
    pub path: &'static str,
    pub name: &'static str,
    /// A value of the type refers to its state (a map, an interface), so that a copy, such
    /// as a parameter, modifies the same state as the original.
    pub copies_share: bool,
    /// Methods that modify the value (or what its pointer points to).
    pub modifies: &'static [&'static str],
    /// Methods that only read it.
    pub reads: &'static [&'static str],
}

/// What a method call does to a value of an [`UnsafeType`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MethodUse {
    Reads,
    Modifies,
}

/// The types, each with its methods. `gob.Encoder`, `log.Logger`, `regexp.Regexp` and the
/// top-level functions of `math/rand` are safe for concurrent use and are not here.
pub static UNSAFE_TYPES: &[UnsafeType] = &[
    UnsafeType {
        path: "bytes",
        name: "Buffer",
        copies_share: false,
        modifies: &[
            "Write",
            "WriteString",
            "WriteByte",
            "WriteRune",
            "WriteTo",
            "Read",
            "ReadByte",
            "ReadRune",
            "ReadBytes",
            "ReadString",
            "ReadFrom",
            "Next",
            "Truncate",
            "Reset",
            "Grow",
            "UnreadByte",
            "UnreadRune",
        ],
        reads: &[
            "Len",
            "Cap",
            "String",
            "Bytes",
            "Available",
            "AvailableBuffer",
        ],
    },
    UnsafeType {
        path: "strings",
        name: "Builder",
        copies_share: false,
        modifies: &[
            "Write",
            "WriteString",
            "WriteByte",
            "WriteRune",
            "Grow",
            "Reset",
        ],
        reads: &["Len", "Cap", "String"],
    },
    UnsafeType {
        path: "bufio",
        name: "Writer",
        copies_share: false,
        modifies: &[
            "Write",
            "WriteString",
            "WriteByte",
            "WriteRune",
            "Flush",
            "ReadFrom",
            "Reset",
        ],
        reads: &["Available", "AvailableBuffer", "Buffered", "Size"],
    },
    UnsafeType {
        path: "bufio",
        name: "Reader",
        copies_share: false,
        modifies: &[
            "Read",
            "ReadByte",
            "ReadRune",
            "ReadLine",
            "ReadSlice",
            "ReadBytes",
            "ReadString",
            "Peek",
            "Discard",
            "UnreadByte",
            "UnreadRune",
            "WriteTo",
            "Reset",
        ],
        reads: &["Buffered", "Size"],
    },
    UnsafeType {
        path: "bufio",
        name: "Scanner",
        copies_share: false,
        modifies: &["Scan", "Buffer", "Split"],
        reads: &["Bytes", "Text", "Err"],
    },
    UnsafeType {
        path: "math/rand",
        name: "Rand",
        copies_share: false,
        modifies: &[
            "ExpFloat64",
            "Float32",
            "Float64",
            "Int",
            "Int31",
            "Int31n",
            "Int63",
            "Int63n",
            "Intn",
            "NormFloat64",
            "Perm",
            "Read",
            "Seed",
            "Shuffle",
            "Uint32",
            "Uint64",
        ],
        reads: &[],
    },
    UnsafeType {
        path: "hash",
        name: "Hash",
        copies_share: true,
        modifies: &["Write", "Reset"],
        reads: &["Sum"],
    },
    UnsafeType {
        path: "hash",
        name: "Hash32",
        copies_share: true,
        modifies: &["Write", "Reset"],
        reads: &["Sum", "Sum32"],
    },
    UnsafeType {
        path: "hash",
        name: "Hash64",
        copies_share: true,
        modifies: &["Write", "Reset"],
        reads: &["Sum", "Sum64"],
    },
    UnsafeType {
        path: "encoding/json",
        name: "Encoder",
        copies_share: false,
        modifies: &["Encode", "SetIndent", "SetEscapeHTML"],
        reads: &[],
    },
    UnsafeType {
        path: "encoding/json",
        name: "Decoder",
        copies_share: false,
        modifies: &[
            "Decode",
            "Token",
            "More",
            "UseNumber",
            "DisallowUnknownFields",
        ],
        reads: &["Buffered", "InputOffset"],
    },
    UnsafeType {
        path: "encoding/csv",
        name: "Writer",
        copies_share: false,
        modifies: &["Write", "WriteAll", "Flush"],
        reads: &["Error"],
    },
    UnsafeType {
        path: "encoding/csv",
        name: "Reader",
        copies_share: false,
        modifies: &["Read", "ReadAll"],
        reads: &["FieldPos", "InputOffset"],
    },
    UnsafeType {
        path: "container/list",
        name: "List",
        copies_share: false,
        modifies: &[
            "Init",
            "InsertAfter",
            "InsertBefore",
            "MoveAfter",
            "MoveBefore",
            "MoveToBack",
            "MoveToFront",
            "PushBack",
            "PushBackList",
            "PushFront",
            "PushFrontList",
            "Remove",
        ],
        reads: &["Back", "Front", "Len"],
    },
    UnsafeType {
        path: "net/http",
        name: "Header",
        copies_share: true,
        modifies: &["Add", "Set", "Del"],
        reads: &["Get", "Values", "Clone", "Write", "WriteSubset"],
    },
    UnsafeType {
        path: "net/url",
        name: "Values",
        copies_share: true,
        modifies: &["Add", "Set", "Del"],
        reads: &["Get", "Has", "Encode"],
    },
    UnsafeType {
        path: "text/tabwriter",
        name: "Writer",
        copies_share: false,
        modifies: &["Init", "Write", "Flush"],
        reads: &[],
    },
];

/// Whether some listed type has a modifying method named `name`: asked before the types,
/// since nearly every method call of a program is of none of them.
pub fn may_modify(name: &str) -> bool {
    // The names, sorted and without repeats, so that a call costs a binary search.
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    NAMES
        .get_or_init(|| {
            let mut names: Vec<&str> = UNSAFE_TYPES
                .iter()
                .flat_map(|u| u.modifies.iter().copied())
                .collect();
            names.sort_unstable();
            names.dedup();
            names
        })
        .binary_search(&name)
        .is_ok()
}

/// The [`UnsafeType`] that `t` is, or points to.
pub fn unsafe_type(prog: &Program, t: TypeId) -> Option<&'static UnsafeType> {
    let t = prog.deref_type(t);
    UNSAFE_TYPES
        .iter()
        .find(|u| prog.is_named(t, u.path, u.name))
}

/// What calling `method` on a value of type `t` (or a pointer to one) does, when `t` is an
/// [`UnsafeType`] and the method is listed.
pub fn method_use(prog: &Program, t: TypeId, method: &str) -> Option<MethodUse> {
    let u = unsafe_type(prog, t)?;
    if u.modifies.contains(&method) {
        Some(MethodUse::Modifies)
    } else if u.reads.contains(&method) {
        Some(MethodUse::Reads)
    } else {
        None
    }
}

/// Functions of the standard library that write to their first argument, an `io.Writer`:
/// given a value of an [`UnsafeType`] (`fmt.Fprintf(&buf, ...)`), they modify it.
pub fn writes_first_argument(path: &str, name: &str) -> bool {
    match path {
        "fmt" => matches!(name, "Fprint" | "Fprintf" | "Fprintln"),
        "io" => matches!(name, "WriteString" | "Copy" | "CopyN" | "CopyBuffer"),
        _ => false,
    }
}

/// Functions of the standard library that reorder the elements of their first argument, a
/// slice, in place (`sort.Ints(xs)`, `slices.SortFunc(xs, cmp)`): an element write of it.
pub fn reorders_first_argument(path: &str, name: &str) -> bool {
    match path {
        "sort" => matches!(
            name,
            "Ints" | "Strings" | "Float64s" | "Slice" | "SliceStable"
        ),
        "slices" | "golang.org/x/exp/slices" => {
            matches!(name, "Sort" | "SortFunc" | "SortStableFunc" | "Reverse")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `may_modify` knows exactly the modifying methods of the table.
    #[test]
    fn may_modify_is_the_union_of_the_modifying_methods() {
        let mut names: Vec<&str> = UNSAFE_TYPES
            .iter()
            .flat_map(|u| u.modifies.iter().copied())
            .collect();
        names.sort_unstable();
        names.dedup();
        for n in &names {
            assert!(may_modify(n), "may_modify misses {n}");
        }
        for u in UNSAFE_TYPES {
            for n in u.reads {
                if !names.contains(n) {
                    assert!(!may_modify(n), "may_modify has the reading method {n}");
                }
            }
        }
        assert!(!may_modify("Lock") && !may_modify("String") && !may_modify(""));
    }
}
