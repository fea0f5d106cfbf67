//! Data-driven binding tests: Go fixtures in `tests/scope/` whose comments state the
//! expected binding of identifier occurrences.
//!
//! Markers are block comments placed right after an identifier (spaces allowed between):
//! - `/*@L*/` or `/*@L:attrs*/`: this occurrence declares a new def, labelled `L`. The
//!   comma-separated attrs check it: a kind name (`LocalVar`, `Param`, ...), `loop` or
//!   `notloop` (loop variable or not), `in=F` (declared in function `F`: a declared
//!   function's name or a literal's label; `in=-` for none).
//!   After an import path literal, `/*@L*/` labels the import's def.
//! - `/*=L*/`: this occurrence denotes the def labelled `L`; `/*=_*/`: it denotes nothing;
//!   `/*=builtin*/`: the universe def of the same name; `/*=L.case*/`: the per-clause
//!   variable of the type switch whose header declared `L`, for the clause around it;
//!   `/*=imp:L*/` (on `Name` of `pkg.Name`): a qualified identifier of import `L`;
//!   `/*=key:L*/`: a composite literal key whose candidate def is `L`.
//! - `/*lit:G*/` right after the `func` keyword of a function literal labels it `G`.
//! - `//captures G: a b` lists exactly the defs literal `G` captures; each capture's use
//!   sites must be exactly the occurrences inside `G` that denote it.
//!
//! A fixture may hold several files of one package, each starting with `//-- file: NAME`.

mod common;

use racelens_semantic::{resolve_package, BuiltinKind, DefId, DefKind, FuncRef, PackageScopes};
use racelens_syntax::ast::{DeclKind, ExprKind, IdentId, SpecKind, StmtId};
use racelens_syntax::{File, LineIndex};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

struct Marker {
    file: usize,
    /// Byte offset of the comment.
    pos: u32,
    text: String,
}

struct Fixture {
    name: String,
    files: Vec<File>,
    markers: Vec<Marker>,
    /// `(file, pos, text)` of `//captures` lines.
    captures: Vec<(usize, u32, String)>,
}

fn split_files(src: &str) -> Vec<String> {
    let mut files = Vec::new();
    let mut cur = String::new();
    for line in src.split_inclusive('\n') {
        if line.starts_with("//-- file:") {
            if !cur.trim().is_empty() {
                files.push(std::mem::take(&mut cur));
            }
            cur.clear();
            // Keep offsets simple: the marker line itself is dropped.
            continue;
        }
        cur.push_str(line);
    }
    if !cur.trim().is_empty() {
        files.push(cur);
    }
    files
}

fn load(path: &Path) -> Fixture {
    let src = std::fs::read_to_string(path).expect("fixture is readable");
    let mut fixture = Fixture {
        name: path.file_name().unwrap().to_string_lossy().into_owned(),
        files: Vec::new(),
        markers: Vec::new(),
        captures: Vec::new(),
    };
    for (fi, text) in split_files(&src).into_iter().enumerate() {
        let (file, errors) = racelens_syntax::parse(text.as_bytes());
        assert!(
            errors.is_empty(),
            "{}: file {fi} has syntax errors: {errors:?}",
            fixture.name
        );
        let mut i = 0;
        while let Some(k) = text[i..].find("/*") {
            let start = i + k;
            let end = start + text[start..].find("*/").expect("closed comment");
            fixture.markers.push(Marker {
                file: fi,
                pos: start as u32,
                text: text[start + 2..end].to_string(),
            });
            i = end + 2;
        }
        let mut off = 0;
        for line in text.split_inclusive('\n') {
            if let Some(rest) = line.strip_prefix("//captures ") {
                fixture
                    .captures
                    .push((fi, off as u32, rest.trim().to_string()));
            }
            off += line.len();
        }
        fixture.files.push(file);
    }
    fixture
}

struct Checker<'a> {
    fx: &'a Fixture,
    ps: PackageScopes,
    labels: HashMap<String, DefId>,
    funcs: HashMap<String, (usize, FuncRef)>,
    errors: Vec<String>,
    checked: usize,
}

impl<'a> Checker<'a> {
    fn at(&self, file: usize, pos: u32) -> String {
        let f = &self.fx.files[file];
        let li = LineIndex::new(&f.source);
        let (line, col) = li.line_col(pos);
        format!("{} file {} {}:{}", self.fx.name, file, line, col)
    }

    fn fail(&mut self, file: usize, pos: u32, msg: String) {
        let at = self.at(file, pos);
        self.errors.push(format!("{at}: {msg}"));
    }

    /// The identifier that ends right before `pos` (spaces allowed in between).
    fn ident_before(&self, file: usize, pos: u32) -> Option<IdentId> {
        let f = &self.fx.files[file];
        let mut end = pos as usize;
        while end > 0 && (f.source[end - 1] == b' ' || f.source[end - 1] == b'\t') {
            end -= 1;
        }
        f.idents
            .iter()
            .position(|id| id.span.end as usize == end && !id.synthetic)
            .map(|i| IdentId::new(i as u32))
    }

    fn ends_before(&self, file: usize, pos: u32) -> usize {
        let f = &self.fx.files[file];
        let mut end = pos as usize;
        while end > 0 && (f.source[end - 1] == b' ' || f.source[end - 1] == b'\t') {
            end -= 1;
        }
        end
    }

    fn describe(&self, d: Option<DefId>) -> String {
        match d {
            None => "nothing".into(),
            Some(d) => {
                let def = self.ps.def(d);
                let label = self
                    .labels
                    .iter()
                    .find(|(_, &v)| v == d)
                    .map(|(k, _)| format!(" @{k}"))
                    .unwrap_or_default();
                let at = match (def.file, def.ident) {
                    (Some(f), Some(id)) => {
                        format!(
                            " at {}",
                            self.at(f as usize, self.fx.files[f as usize][id].span.start)
                        )
                    }
                    _ => String::new(),
                };
                format!("{} `{}`{label}{at}", def.kind.as_str(), def.name)
            }
        }
    }

    fn collect_funcs(&mut self) {
        for (fi, f) in self.fx.files.iter().enumerate() {
            for &d in &f.decls {
                if let DeclKind::Func { name, .. } = &f[d].kind {
                    self.funcs
                        .insert(f.ident_name(*name).to_string(), (fi, FuncRef::Decl(d)));
                }
            }
        }
        for m in &self.fx.markers {
            let Some(label) = m.text.strip_prefix("lit:") else {
                continue;
            };
            let f = &self.fx.files[m.file];
            let end = self.ends_before(m.file, m.pos);
            let lit = (end >= 4 && &f.source[end - 4..end] == b"func")
                .then(|| {
                    f.exprs_with_ids().find(|(_, e)| {
                        e.span.start as usize == end - 4
                            && matches!(e.kind, ExprKind::FuncLit { .. })
                    })
                })
                .flatten();
            match lit {
                Some((e, _)) => {
                    self.funcs
                        .insert(label.to_string(), (m.file, FuncRef::Lit(e)));
                }
                None => self.errors.push(format!(
                    "{}: /*lit:{label}*/ does not follow the `func` of a function literal",
                    self.at(m.file, m.pos)
                )),
            }
        }
    }

    fn check_decls(&mut self) {
        for m in &self.fx.markers {
            let Some(spec) = m.text.strip_prefix('@') else {
                continue;
            };
            let (label, attrs) = spec.split_once(':').unwrap_or((spec, ""));
            let f = &self.fx.files[m.file];
            let def = match self.ident_before(m.file, m.pos) {
                Some(id) => {
                    let d = self.ps.binding(m.file, id);
                    match d {
                        Some(d)
                            if self.ps.def(d).ident == Some(id)
                                && self.ps.def(d).file == Some(m.file as u32) =>
                        {
                            Some(d)
                        }
                        other => {
                            let got = self.describe(other);
                            self.fail(
                                m.file,
                                m.pos,
                                format!(
                                    "`{}` should declare @{label}, but it denotes {got}",
                                    f.ident_name(id)
                                ),
                            );
                            None
                        }
                    }
                }
                None => {
                    // An import path literal.
                    let end = self.ends_before(m.file, m.pos) as u32;
                    let spec = f.specs.iter().position(|s| matches!(&s.kind, SpecKind::Import { path, .. } if f[*path].span.end == end));
                    let found = spec.and_then(|s| {
                        self.ps.defs.iter().position(|d| {
                            d.file == Some(m.file as u32)
                                && matches!(&d.kind, DefKind::Import(info) if info.spec.index() == s)
                        })
                    });
                    if found.is_none() {
                        self.fail(
                            m.file,
                            m.pos,
                            format!("marker @{label} follows no identifier or import"),
                        );
                    }
                    found.map(|i| DefId(i as u32))
                }
            };
            let Some(d) = def else { continue };
            self.checked += 1;
            if self.labels.insert(label.to_string(), d).is_some() {
                self.fail(m.file, m.pos, format!("label @{label} used twice"));
            }
            for attr in attrs.split(',').filter(|a| !a.is_empty()) {
                let def = self.ps.def(d).clone();
                let ok = match attr {
                    "loop" => def.loop_stmt.is_some_and(|s: StmtId| {
                        matches!(
                            f[s].kind,
                            racelens_syntax::ast::StmtKind::For { .. }
                                | racelens_syntax::ast::StmtKind::Range { .. }
                        )
                    }),
                    "notloop" => def.loop_stmt.is_none(),
                    "in=-" => def.func.is_none(),
                    _ if attr.starts_with("in=") => match self.funcs.get(&attr[3..]) {
                        Some(&(fi, func)) => fi == m.file && def.func == Some(func),
                        None => {
                            self.fail(m.file, m.pos, format!("unknown function {attr}"));
                            continue;
                        }
                    },
                    kind => def.kind.as_str() == kind,
                };
                if !ok {
                    let got = format!(
                        "{} loop={:?} func={:?}",
                        def.kind.as_str(),
                        def.loop_stmt,
                        def.func
                    );
                    self.fail(
                        m.file,
                        m.pos,
                        format!("@{label}: expected {attr}, got {got}"),
                    );
                }
            }
        }
    }

    fn check_uses(&mut self) {
        for m in &self.fx.markers {
            let Some(expect) = m.text.strip_prefix('=') else {
                continue;
            };
            let f = &self.fx.files[m.file];
            let Some(id) = self.ident_before(m.file, m.pos) else {
                self.fail(
                    m.file,
                    m.pos,
                    format!("marker ={expect} follows no identifier"),
                );
                continue;
            };
            self.checked += 1;
            let got = self.ps.binding(m.file, id);
            let name = f.ident_name(id);
            let label = |s: &str| self.labels.get(s).copied();
            let ok = if expect == "_" {
                got.is_none()
            } else if expect == "builtin" {
                got.is_some_and(|d| {
                    let def = self.ps.def(d);
                    matches!(def.kind, DefKind::Builtin(_)) && &*def.name == name
                })
            } else if let Some(l) = expect.strip_suffix(".case") {
                let header = label(l).and_then(|h| self.ps.def(h).ident);
                got.is_some_and(|d| {
                    let def = self.ps.def(d);
                    let pos = f[id].span.start;
                    def.kind == DefKind::LocalVar
                        && def.ident == header
                        && def
                            .clause
                            .is_some_and(|c| f[c].span.start <= pos && pos < f[c].span.end)
                })
            } else if let Some(l) = expect.strip_prefix("imp:") {
                let sel = f
                    .exprs_with_ids()
                    .find(|(_, e)| matches!(e.kind, ExprKind::Selector { sel, .. } if sel == id));
                let q = sel.and_then(|(e, _)| self.ps.imported_name(m.file, f, e));
                got.is_none()
                    && q.is_some_and(|q| {
                        Some(q.import) == label(l) && q.name == name && q.sel == id
                    })
            } else if let Some(l) = expect.strip_prefix("key:") {
                got.is_none() && self.ps.key_candidate(m.file, id) == label(l)
            } else {
                match label(expect) {
                    Some(d) => got == Some(d),
                    None => {
                        self.fail(m.file, m.pos, format!("unknown label ={expect}"));
                        continue;
                    }
                }
            };
            if !ok {
                let got = self.describe(got);
                self.fail(
                    m.file,
                    m.pos,
                    format!("`{name}` should denote {expect}, but denotes {got}"),
                );
            }
        }
    }

    fn check_captures(&mut self) {
        for (file, pos, text) in &self.fx.captures {
            let (lit, list) = text.split_once(':').expect("`//captures G: a b`");
            let Some(&(fi, FuncRef::Lit(e))) = self.funcs.get(lit.trim()) else {
                self.fail(*file, *pos, format!("unknown literal {lit}"));
                continue;
            };
            self.checked += 1;
            let mut want = BTreeSet::new();
            for l in list.split_whitespace() {
                match self.labels.get(l) {
                    Some(&d) => {
                        want.insert(d);
                    }
                    None => self.fail(*file, *pos, format!("unknown label {l}")),
                }
            }
            let caps = self.ps.captures(fi, e).to_vec();
            let got: BTreeSet<DefId> = caps.iter().map(|c| c.def).collect();
            if got != want || got.len() != caps.len() {
                let got: Vec<String> = caps.iter().map(|c| self.describe(Some(c.def))).collect();
                self.fail(*file, *pos, format!("{lit} captures {got:?}"));
                continue;
            }
            let f = &self.fx.files[fi];
            let span = f[e].span;
            for c in &caps {
                let mut expected: Vec<IdentId> = (0..f.idents.len())
                    .map(|i| IdentId::new(i as u32))
                    .filter(|&id| {
                        let s = f[id].span;
                        s.start >= span.start
                            && s.end <= span.end
                            && self.ps.binding(fi, id) == Some(c.def)
                    })
                    .collect();
                let mut uses = c.uses.clone();
                expected.sort();
                uses.sort();
                if uses != expected {
                    let msg = format!(
                        "{lit}: use sites of {} are {uses:?}, expected {expected:?}",
                        self.describe(Some(c.def))
                    );
                    self.fail(*file, *pos, msg);
                }
            }
        }
    }
}

fn run(name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scope")
        .join(name);
    let fx = load(&path);
    let refs: Vec<&File> = fx.files.iter().collect();
    let ps = resolve_package(&refs);
    let mut c = Checker {
        fx: &fx,
        ps,
        labels: HashMap::new(),
        funcs: HashMap::new(),
        errors: Vec::new(),
        checked: 0,
    };
    let site_problems = common::check_sites(&refs, &c.ps);
    assert!(site_problems.is_empty(), "{}", site_problems.join("\n"));
    c.collect_funcs();
    c.check_decls();
    c.check_uses();
    c.check_captures();
    let markers = fx.markers.len() + fx.captures.len();
    assert!(markers > 0, "{name} has no markers");
    assert!(
        c.errors.is_empty(),
        "{} of {} expectations failed:\n{}",
        c.errors.len(),
        markers,
        c.errors.join("\n")
    );
    let lits = fx
        .markers
        .iter()
        .filter(|m| m.text.starts_with("lit:"))
        .count();
    let others = fx
        .markers
        .iter()
        .filter(|m| {
            !m.text.starts_with("lit:") && !m.text.starts_with('@') && !m.text.starts_with('=')
        })
        .count();
    assert_eq!(
        c.checked + lits + others,
        markers,
        "{name}: some markers were not checked"
    );
}

#[test]
fn basics() {
    run("basics.go");
}

#[test]
fn control_flow_scopes() {
    run("control.go");
}

#[test]
fn closures_and_captures() {
    run("closures.go");
}

#[test]
fn generics() {
    run("generics.go");
}

#[test]
fn imports_across_files() {
    run("imports.go");
}

#[test]
fn composite_literal_keys() {
    run("composite.go");
}

/// Method defs know their receiver type; `init` is never bound; universe names exist.
#[test]
fn methods_init_and_universe() {
    let src = "package p\n\ntype T int\n\nfunc (t *T) M() {}\nfunc init() {}\nfunc init() {}\n";
    let (file, errors) = racelens_syntax::parse(src.as_bytes());
    assert!(errors.is_empty(), "{errors:?}");
    let ps = resolve_package(&[&file]);
    let t = ps.lookup_package("T").expect("T is declared");
    let m = ps
        .defs
        .iter()
        .find(|d| &*d.name == "M")
        .expect("method def");
    match &m.kind {
        DefKind::Method {
            recv_type_name,
            recv_type,
        } => {
            assert_eq!(&**recv_type_name, "T");
            assert_eq!(*recv_type, Some(t));
        }
        k => panic!("M is {k:?}"),
    }
    assert_eq!(ps.lookup_package("init"), None);
    assert_eq!(ps.defs.iter().filter(|d| &*d.name == "init").count(), 2);
    let builtins = |k: BuiltinKind| {
        ps.defs
            .iter()
            .filter(|d| d.kind == DefKind::Builtin(k))
            .count()
    };
    assert_eq!(builtins(BuiltinKind::Func), 18);
    assert_eq!(builtins(BuiltinKind::Const), 3);
    assert_eq!(builtins(BuiltinKind::Nil), 1);
    assert!(ps.defs.iter().any(|d| &*d.name == "comparable"));
}

/// `is_declared_within` follows literal nesting: a variable of a nested literal is inside
/// the outer literal and the declared function, but not the other way round.
#[test]
fn declared_within_nested_literals() {
    let src = "package p\n\nfunc f(a int) {\n\tgo func() {\n\t\tb := 1\n\t\tfunc() { c := b; _ = c }()\n\t}()\n}\n";
    let (file, errors) = racelens_syntax::parse(src.as_bytes());
    assert!(errors.is_empty(), "{errors:?}");
    let ps = resolve_package(&[&file]);
    let find = |n: &str| DefId(ps.defs.iter().position(|d| &*d.name == n).expect("def") as u32);
    let lits: Vec<_> = file
        .exprs_with_ids()
        .filter(|(_, e)| matches!(e.kind, ExprKind::FuncLit { .. }))
        .map(|(id, _)| id)
        .collect();
    assert_eq!(lits.len(), 2);
    let (outer, inner) = if file[lits[0]].span.start < file[lits[1]].span.start {
        (lits[0], lits[1])
    } else {
        (lits[1], lits[0])
    };
    let decl = file.decls[0];
    let (a, b, c) = (find("a"), find("b"), find("c"));
    assert_eq!(ps.enclosing_func(0, inner), Some(FuncRef::Lit(outer)));
    assert_eq!(ps.enclosing_func(0, outer), Some(FuncRef::Decl(decl)));
    assert!(ps.is_declared_within(c, 0, FuncRef::Lit(outer)));
    assert!(ps.is_declared_within(c, 0, FuncRef::Decl(decl)));
    assert!(ps.is_declared_within(b, 0, FuncRef::Lit(outer)));
    assert!(!ps.is_declared_within(b, 0, FuncRef::Lit(inner)));
    assert!(!ps.is_declared_within(a, 0, FuncRef::Lit(outer)));
    assert_eq!(ps.captures(0, inner).len(), 1);
    assert_eq!(ps.captures(0, inner)[0].def, b);
    assert!(ps.captures(0, outer).is_empty());
}

/// A use inside many nested literals is a capture of the 64 literals nearest around it
/// (`MAX_CAPTURE_NESTING`); the literals further out are marked as having captures cut, and
/// so are all the literals around them, up to the declared function.
#[test]
fn captures_of_deeply_nested_literals_are_cut() {
    let n = 70;
    let src = format!(
        "package p\n\nfunc f(a int) {{\n\t_ = func() {{ func() {{ _ = a }}() }}\n{}a++\n{}}}\n",
        "func() {\n".repeat(n),
        "}()\n".repeat(n)
    );
    let (file, errors) = racelens_syntax::parse(src.as_bytes());
    assert!(errors.is_empty(), "{errors:?}");
    let ps = resolve_package(&[&file]);
    let a = DefId(ps.defs.iter().position(|d| &*d.name == "a").expect("def") as u32);
    let mut lits: Vec<_> = file
        .exprs_with_ids()
        .filter(|(_, e)| matches!(e.kind, ExprKind::FuncLit { .. }))
        .map(|(id, _)| id)
        .collect();
    lits.sort_by_key(|&l| file[l].span.start);
    // Two literals side by side first, nesting only two deep: every capture listed.
    let (side, nested) = (&lits[..2], &lits[2..]);
    assert_eq!(nested.len(), n);
    for &l in side {
        assert!(!ps.captures_cut(0, l));
        assert_eq!(ps.captures(0, l).len(), 1);
    }
    let cap = racelens_semantic::scope::MAX_CAPTURE_NESTING;
    for (depth, &l) in nested.iter().enumerate() {
        let listed = ps.captures(0, l).iter().any(|c| c.def == a);
        let innermost = depth >= n - cap;
        assert_eq!(listed, innermost, "literal {depth} of {n}");
        assert_eq!(ps.captures_cut(0, l), !innermost, "literal {depth} of {n}");
    }
}

/// Deep nesting and long binary chains must not overflow the stack.
#[test]
fn deep_trees() {
    // go/parser (and so racelens_syntax) caps nesting, binary chains included, at 100 000.
    let n = 90_000;
    let mut src = String::from("package p\n\nfunc f(x int) int {\n\treturn x");
    for _ in 0..n {
        src.push_str(" + x");
    }
    src.push_str("\n}\n\nvar v = ");
    for _ in 0..30_000 {
        src.push('(');
    }
    src.push_str("f(1)");
    for _ in 0..30_000 {
        src.push(')');
    }
    src.push_str("\n\nfunc g() {\n");
    for _ in 0..30_000 {
        src.push('{');
    }
    src.push_str("g()");
    for _ in 0..30_000 {
        src.push('}');
    }
    src.push_str("\n}\n");
    let (file, errors) = racelens_syntax::parse(src.as_bytes());
    assert!(errors.is_empty(), "{:?}", &errors[..errors.len().min(3)]);
    let ps = resolve_package(&[&file]);
    let x_uses = (0..file.idents.len())
        .filter(|&i| file.ident_name(IdentId::new(i as u32)) == "x")
        .filter(|&i| {
            ps.binding(0, IdentId::new(i as u32))
                .is_some_and(|d| ps.def(d).kind == DefKind::Param)
        })
        .count();
    assert_eq!(x_uses, n + 2);
    let f = ps.lookup_package("f").unwrap();
    let f_uses = ps.bindings(0).iter().filter(|b| **b == Some(f)).count();
    assert_eq!(f_uses, 2);
    let g = ps.lookup_package("g").unwrap();
    assert_eq!(ps.bindings(0).iter().filter(|b| **b == Some(g)).count(), 2);
}

/// The reverse index lists every occurrence of a def, across files, declaration included.
#[test]
fn references_across_files() {
    let a = "package p\n\nvar n int\n\nfunc f() { n++; m := n; _ = m }\n";
    let b = "package p\n\nfunc g() int { return n }\n";
    let (fa, ea) = racelens_syntax::parse(a.as_bytes());
    let (fb, eb) = racelens_syntax::parse(b.as_bytes());
    assert!(ea.is_empty() && eb.is_empty());
    let ps = resolve_package(&[&fa, &fb]);
    let refs = racelens_semantic::References::new(&ps);
    let n = ps.lookup_package("n").unwrap();
    let sites: Vec<(u32, u32)> = refs
        .of(n)
        .iter()
        .map(|&(f, id)| {
            let file = if f == 0 { &fa } else { &fb };
            (f, file[id].span.start)
        })
        .collect();
    let at = |src: &str, pat: &str| src.find(pat).unwrap() as u32;
    assert_eq!(
        sites,
        vec![
            (0, at(a, "n int")),
            (0, at(a, "n++")),
            (0, at(a, "n; _")),
            (1, at(b, "n }")),
        ]
    );
    let m = DefId(ps.defs.iter().position(|d| &*d.name == "m").unwrap() as u32);
    assert_eq!(refs.of(m).len(), 2);
    assert_eq!(refs.of(DefId(u32::MAX)), &[]);
}
