//! The queries checks use: method sets and interface satisfaction (`http.Handler`,
//! `sync.Locker`), lock and atomic predicates, the lock fields of a struct, map/slice/chan
//! predicates, and what a selector or identifier denotes.

mod gosrc;

use racelens_semantic::import::SourcePackage;
use racelens_semantic::types::{ObjRef, PackageCache, Program, SelKind, TypeId};
use racelens_semantic::DefKind;
use racelens_syntax::ast::ExprId;
use std::path::Path;
use std::sync::Arc;

const SRC: &str = r#"package q

import (
	"net/http"
	"sync"
	"sync/atomic"
)

type H struct{}

func (H) ServeHTTP(w http.ResponseWriter, r *http.Request) {}

type PH struct{}

func (*PH) ServeHTTP(w http.ResponseWriter, r *http.Request) {}

type NotH struct{}

func (NotH) Serve() {}

type Store struct {
	mu    sync.Mutex
	rw    *sync.RWMutex
	wg    sync.WaitGroup
	n     atomic.Int64
	v     atomic.Value
	data  map[string]int
	items []int
	ch    chan int
	sync.Mutex
}

func use(s *Store, h H, ph *PH, nh NotH) {
	_ = s.data
	_ = s.items
	_ = s.ch
	s.mu.Lock()
	s.Lock()
	s.n.Add(1)
	_ = h
	_ = ph
	_ = nh
	http.Handle("/", h)
}
"#;

struct Fixture<'a> {
    prog: Program<'a>,
    pkg: Arc<SourcePackage>,
    p: racelens_semantic::types::PkgIdx,
}

impl Fixture<'_> {
    fn expr(&self, needle: &str) -> ExprId {
        self.expr_prefix(needle, needle.len())
    }
    /// The expression spanning the first `len` bytes of the first occurrence of `needle`.
    fn expr_prefix(&self, needle: &str, len: usize) -> ExprId {
        let start = SRC.find(needle).expect("needle") as u32;
        let end = start + len as u32;
        let f = &self.pkg.files[0];
        f.exprs_with_ids()
            .find(|(_, e)| e.span.start == start && e.span.end == end)
            .unwrap_or_else(|| panic!("no expression {needle}"))
            .0
    }
    fn ty(&self, needle: &str) -> TypeId {
        self.prog.type_of(self.p, 0, self.expr(needle))
    }
    fn ty_prefix(&self, needle: &str, len: usize) -> TypeId {
        self.prog.type_of(self.p, 0, self.expr_prefix(needle, len))
    }
}

fn with_fixture(f: impl FnOnce(&mut Fixture)) {
    let importer = gosrc::goroot_loader(None);
    let cache = PackageCache::new();
    let (file, errors) = racelens_syntax::parse(SRC.as_bytes());
    assert!(errors.is_empty());
    let pkg = Arc::new(SourcePackage::new("example.com/q", [file]));
    let mut prog = Program::new(&importer, &cache);
    let p = prog.check_package("example.com/q", pkg.clone(), Path::new(""));
    let mut fx = Fixture { prog, pkg, p };
    f(&mut fx);
}

#[test]
fn handler_satisfaction_respects_receivers() {
    with_fixture(|fx| {
        // The http.Handler interface, as the type of `http.Handle`'s second parameter.
        let handle = fx.ty("http.Handle");
        let handler = match fx.prog.types.get(handle) {
            racelens_semantic::types::Type::Func(sig) => sig.params[1],
            other => panic!("http.Handle is {other:?}"),
        };
        assert_eq!(fx.prog.display(handler), "net/http.Handler");
        let h = fx.ty_prefix("h\n\t_ = ph", 1);
        let ph = fx.ty_prefix("ph\n", 2);
        let nh = fx.ty_prefix("nh\n", 2);
        assert_eq!(fx.prog.implements(h, handler), Some(true));
        assert_eq!(fx.prog.implements(ph, handler), Some(true));
        let ph_value = fx.prog.deref_type(ph);
        assert_eq!(
            fx.prog.implements(ph_value, handler),
            Some(false),
            "PH has a pointer receiver: only *PH is a Handler"
        );
        assert_eq!(fx.prog.implements(nh, handler), Some(false));
        assert_eq!(fx.prog.has_method(ph_value, "ServeHTTP"), Some(false));
        assert_eq!(fx.prog.has_method(ph, "ServeHTTP"), Some(true));
    });
}

#[test]
fn lock_atomic_and_container_predicates() {
    with_fixture(|fx| {
        let s = fx.ty("s.mu");
        assert!(fx.prog.is_lock(s));
        assert!(fx.prog.is_named(s, "sync", "Mutex"));
        let store = fx.ty("s.data");
        assert!(fx.prog.is_map(store));
        assert!(!fx.prog.is_slice(store));
        let items = fx.ty("s.items");
        assert!(fx.prog.is_slice(items) && !fx.prog.is_map(items));
        let ch = fx.ty("s.ch");
        assert!(fx.prog.is_chan(ch));
        assert!(fx.prog.is_atomic(fx.ty("s.n")));
        assert!(!fx.prog.is_lock(fx.ty("s.n")));
        let sv = fx.ty("s.mu.Lock");
        assert_eq!(fx.prog.display(sv), "func()");
        // The lock fields of Store: named fields and the embedded Mutex, not the WaitGroup.
        let store_ptr = fx.ty("s.data");
        let _ = store_ptr;
        let recv = fx.ty_prefix("s.data", 1);
        assert_eq!(fx.prog.display(recv), "*example.com/q.Store");
        let mut locks = fx.prog.lock_fields(recv);
        locks.sort();
        assert_eq!(locks, vec!["Mutex", "mu", "rw"]);
        let wg = fx.prog.lookup(recv, "wg").expect("wg");
        assert!(fx.prog.is_wait_group(wg.ty));
    });
}

#[test]
fn selections_name_their_objects() {
    with_fixture(|fx| {
        // A promoted method of an embedded sync.Mutex: a method of package sync.
        let e = fx.expr("s.Lock");
        let sel = fx.prog.selection(fx.p, 0, e).expect("selection");
        assert_eq!(sel.kind, SelKind::Method);
        let ObjRef::Def(o) = sel.obj else {
            panic!("{sel:?}")
        };
        assert_eq!(fx.prog.path(o.pkg), "sync");
        let d = fx.prog.scopes(o.pkg).def(o.def);
        assert_eq!(&*d.name, "Lock");
        match &d.kind {
            DefKind::Method { recv_type_name, .. } => assert_eq!(&**recv_type_name, "Mutex"),
            k => panic!("{k:?}"),
        }
        // A field.
        let e = fx.expr("s.data");
        let sel = fx.prog.selection(fx.p, 0, e).expect("selection");
        assert_eq!(sel.kind, SelKind::Field);
        // A qualified identifier.
        let e = fx.expr("http.Handle");
        let sel = fx.prog.selection(fx.p, 0, e).expect("selection");
        assert_eq!(sel.kind, SelKind::Qualified);
        let d = fx.prog.describe_selector(fx.p, 0, e).expect("described");
        assert!(d.key.starts_with("net/http:"), "{}", d.key);
        // The atomic method's result.
        assert_eq!(fx.prog.display(fx.ty("s.n.Add(1)")), "int64");
    });
}
