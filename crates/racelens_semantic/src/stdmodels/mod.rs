//! Embedded models of the standard library APIs concurrency analysis depends on: Go
//! declaration files parsed on demand by racelens's own parser, used when a package's real
//! source is not on the machine.
//!
//! The models declare the exported API with the real signatures (checked against the
//! Go 1.19 source by this crate's tests, with the APIs added since listed explicitly) and
//! only the unexported internals that give the types their shape (`noCopy`, a lock field).
//! Bodies are placeholders; the type checker reads declarations only. Exported variables
//! are declared with their type, so that it is known without a model of the packages their
//! initialisers call (`errors.New`).

use crate::import::SourcePackage;
use std::sync::{Arc, OnceLock};

/// One model: the import path and the Go source of its single file.
struct Model {
    path: &'static str,
    source: &'static str,
}

/// Every model, by import path.
const MODELS: &[Model] = &[
    Model {
        path: "bufio",
        source: include_str!("bufio.go"),
    },
    Model {
        path: "bytes",
        source: include_str!("bytes.go"),
    },
    Model {
        path: "context",
        source: include_str!("context.go"),
    },
    Model {
        path: "golang.org/x/sync/errgroup",
        source: include_str!("errgroup.go"),
    },
    Model {
        path: "hash",
        source: include_str!("hash.go"),
    },
    Model {
        path: "io",
        source: include_str!("io.go"),
    },
    Model {
        path: "math/rand",
        source: include_str!("math_rand.go"),
    },
    Model {
        path: "net/http",
        source: include_str!("net_http.go"),
    },
    Model {
        path: "net/url",
        source: include_str!("net_url.go"),
    },
    Model {
        path: "os",
        source: include_str!("os.go"),
    },
    Model {
        path: "os/signal",
        source: include_str!("os_signal.go"),
    },
    Model {
        path: "strings",
        source: include_str!("strings.go"),
    },
    Model {
        path: "sync",
        source: include_str!("sync.go"),
    },
    Model {
        path: "sync/atomic",
        source: include_str!("sync_atomic.go"),
    },
    Model {
        path: "testing",
        source: include_str!("testing.go"),
    },
    Model {
        path: "time",
        source: include_str!("time.go"),
    },
];

/// The import paths that have a model, sorted.
pub fn paths() -> impl Iterator<Item = &'static str> {
    MODELS.iter().map(|m| m.path)
}

/// The Go source of the model for `path`, if there is one.
pub fn source(path: &str) -> Option<&'static str> {
    MODELS.iter().find(|m| m.path == path).map(|m| m.source)
}

/// The model of the package with import path `path`, parsed, or `None` when racelens has no
/// model for it. Each model is parsed once per process; callers get their own copy.
pub fn package(path: &str) -> Option<SourcePackage> {
    static PARSED: OnceLock<Vec<OnceLock<Arc<racelens_syntax::File>>>> = OnceLock::new();
    let index = MODELS.iter().position(|m| m.path == path)?;
    let slots = PARSED.get_or_init(|| MODELS.iter().map(|_| OnceLock::new()).collect());
    let file = slots[index]
        .get_or_init(|| Arc::new(racelens_syntax::parse(MODELS[index].source.as_bytes()).0));
    Some(SourcePackage {
        path: path.to_string(),
        files: vec![file.clone()],
    })
}
