//! The call graph: data-driven edges of a two-package module (`tests/callgraph/*.go`, whose
//! calls carry their expected callees as `/*@ kind:pkg.Func ... */` comments), query
//! consistency, determinism, and a build over the whole Go 1.19 standard library.

mod gosrc;

use racelens_semantic::callgraph::{CallGraph, CallSite, Callee, Func};
use racelens_semantic::import::SourcePackage;
use racelens_semantic::types::{ObjRef, PackageCache, PkgIdx, Program, SelKind, Selection};
use racelens_semantic::{DeclSite, DefKind, FuncRef};
use racelens_syntax::ast::ExprKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use gosrc::GOROOT;

/// `pkg.Name`, `pkg.Recv.Name` or `pkg.lit:LINE`.
fn name(prog: &Program, f: Func) -> String {
    let path = prog.path(f.pkg);
    let pkg = path.rsplit('/').next().unwrap_or(path);
    let file = &prog.files(f.pkg)[f.file as usize];
    match f.func {
        FuncRef::Lit(e) => {
            let line = file.source[..file[e].span.start as usize]
                .iter()
                .filter(|&&c| c == b'\n')
                .count()
                + 1;
            format!("{pkg}.lit:{line}")
        }
        FuncRef::Decl(d) => {
            let s = prog.scopes(f.pkg);
            let def = s
                .defs
                .iter()
                .find(|x| x.site == DeclSite::Func(d) && x.file == Some(f.file))
                .expect("def of a declared function");
            match &def.kind {
                DefKind::Method { recv_type_name, .. } => {
                    format!("{pkg}.{recv_type_name}.{}", def.name)
                }
                _ => format!("{pkg}.{}", def.name),
            }
        }
    }
}

fn render(prog: &Program, c: &Callee) -> String {
    match c {
        Callee::Arg { arg, func } => format!("arg{arg}:{}", name(prog, *func)),
        Callee::Unknown => "unknown".into(),
        c => format!("{}:{}", c.kind(), name(prog, c.func().unwrap())),
    }
}

fn parse(path: &str, file: &str) -> Arc<SourcePackage> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/callgraph")
        .join(file);
    Arc::new(gosrc::parse_files(path, &[p]))
}

fn module_graph<'a>(
    importer: &'a racelens_workspace::load::Loader,
    cache: &'a PackageCache,
) -> (Program<'a>, Vec<PkgIdx>, CallGraph) {
    let mut prog = Program::new(importer, cache);
    // Dependencies first, so that `a` imports the checked `b`.
    let b = prog.check_package(
        "example.com/m/b",
        parse("example.com/m/b", "b.go"),
        Path::new("/nonexistent/b"),
    );
    let a = prog.check_package(
        "example.com/m/a",
        parse("example.com/m/a", "a.go"),
        Path::new("/nonexistent/a"),
    );
    let module = vec![b, a];
    let g = CallGraph::build(&mut prog, &module);
    (prog, module, g)
}

#[test]
fn expected_edges_of_a_two_package_module() {
    let importer = gosrc::goroot_loader(None);
    let cache = PackageCache::new();
    let (prog, module, g) = module_graph(&importer, &cache);
    let mut failures = Vec::new();
    let mut n = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for &p in &module {
        let f = &prog.files(p)[0];
        let text = String::from_utf8_lossy(&f.source).to_string();
        let mut at = 0;
        while let Some(i) = text[at..].find("/*@") {
            let start = at + i;
            let end = start + text[start..].find("*/").expect("closed comment");
            at = end;
            n += 1;
            let mut want: Vec<String> = text[start + 3..end]
                .split_whitespace()
                .map(String::from)
                .collect();
            want.sort();
            let mut stop = start;
            while stop > 0 && text.as_bytes()[stop - 1] == b' ' {
                stop -= 1;
            }
            // The outermost call ending right before the comment.
            let call = f
                .exprs_with_ids()
                .filter(|(_, e)| {
                    e.span.end as usize == stop && matches!(e.kind, ExprKind::Call { .. })
                })
                .min_by_key(|(_, e)| e.span.start)
                .map(|(id, _)| id);
            let line = text[..start].lines().count();
            let Some(call) = call else {
                failures.push(format!("{}:{line}: no call", prog.path(p)));
                continue;
            };
            let site = CallSite {
                pkg: p,
                file: 0,
                call,
            };
            let mut got: Vec<String> = g.callees(site).iter().map(|c| render(&prog, c)).collect();
            got.sort();
            for c in g.callees(site) {
                kinds.insert(c.kind());
                // Every edge to a function is visible from that function's side.
                if let Some(func) = c.func() {
                    assert!(g.callers(func).contains(&site), "callers miss {site:?}");
                    assert!(g.functions().binary_search(&func).is_ok());
                }
            }
            if got != want {
                failures.push(format!(
                    "{}:{line}: expected {want:?}, got {got:?}",
                    prog.path(p)
                ));
            }
        }
    }
    assert!(n >= 35, "only {n} expectations");
    assert_eq!(
        kinds.len(),
        6,
        "not every edge kind is exercised: {kinds:?}"
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn functions_callers_and_enclosing() {
    let importer = gosrc::goroot_loader(None);
    let cache = PackageCache::new();
    let (prog, _module, g) = module_graph(&importer, &cache);
    let names: Vec<String> = g.functions().iter().map(|&f| name(&prog, f)).collect();
    for want in [
        "b.Base.Hello",
        "b.Cat.Speak",
        "a.Start",
        "a.lit:41",
        "a.run",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} missing: {names:?}");
    }
    let by_name = |n: &str| {
        *g.functions()
            .iter()
            .find(|&&f| name(&prog, f) == n)
            .unwrap()
    };
    // `a.run` is called three times, each from `Start`; `b.Dog.Speak` is reached
    // directly twice, through a method value once and by dispatch four times (twice
    // through embedded interfaces).
    let run = g.callers(by_name("a.run"));
    assert_eq!(run.len(), 3);
    for &s in run {
        assert_eq!(
            g.enclosing(s).map(|f| name(&prog, f)).as_deref(),
            Some("a.Start")
        );
    }
    assert_eq!(g.callers(by_name("b.Dog.Speak")).len(), 7);
    assert!(g.callers(by_name("b.Rock.Sit")).is_empty());
    // The unknown call inside `run` belongs to `run`.
    let inside_run: Vec<_> = g
        .sites()
        .iter()
        .filter(|(s, _)| g.enclosing(*s) == Some(by_name("a.run")))
        .collect();
    assert_eq!(inside_run.len(), 1);
    assert_eq!(inside_run[0].1, vec![Callee::Unknown]);
}

#[test]
fn build_is_deterministic() {
    let importer = gosrc::goroot_loader(None);
    let cache = PackageCache::new();
    let (_, _, g1) = module_graph(&importer, &cache);
    let cache2 = PackageCache::new();
    let (_, _, g2) = module_graph(&importer, &cache2);
    assert_eq!(g1.functions(), g2.functions());
    assert_eq!(g1.sites(), g2.sites());
}

fn std_packages() -> Vec<(String, PathBuf)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        let mut has_go = false;
        for p in &entries {
            if p.is_dir() {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if matches!(name, "testdata" | "cmd" | "vendor") || name.starts_with('.') {
                    continue;
                }
                walk(root, p, out);
            } else if p.extension().is_some_and(|e| e == "go") {
                has_go = true;
            }
        }
        if has_go {
            let rel = dir
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .to_string();
            if !rel.is_empty() && rel != "builtin" {
                out.push((rel, dir.to_path_buf()));
            }
        }
    }
    let root = Path::new(GOROOT).join("src");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

#[test]
fn whole_stdlib_call_graph() {
    assert!(
        Path::new(GOROOT).join("src/sync").is_dir(),
        "GOROOT source missing: apt-get install golang-1.19-src"
    );
    let importer = gosrc::goroot_loader(None);
    let cache = PackageCache::new();
    let mut prog = Program::new(&importer, &cache);
    let t0 = Instant::now();
    let mut module = Vec::new();
    for (path, dir) in std_packages() {
        let src = gosrc::parse_dir(&path, &dir);
        if src.files.is_empty() {
            continue;
        }
        let src = Arc::new(src);
        module.push(prog.check_package(&path, src, &dir));
    }
    let check = t0.elapsed();
    let t1 = Instant::now();
    let g = CallGraph::build(&mut prog, &module);
    let build = t1.elapsed();
    let counts = g.counts();
    println!(
        "stdlib: {} packages, {} functions, {} call sites, checked in {:.1?}, call graph in {:.1?}",
        module.len(),
        g.functions().len(),
        g.sites().len(),
        check,
        build
    );
    println!("edges per kind: {counts:?}");
    let iface_sites = g
        .sites()
        .iter()
        .filter(|(_, cs)| cs.iter().any(|c| matches!(c, Callee::Interface(_))))
        .count();
    println!(
        "interface call sites with implementations: {iface_sites}, {:.1} targets each",
        counts.get("interface").copied().unwrap_or(0) as f64 / iface_sites.max(1) as f64
    );
    assert!(module.len() > 200);
    assert!(counts.get("static").copied().unwrap_or(0) > 10_000);
    assert!(counts.get("method").copied().unwrap_or(0) > 10_000);
    assert!(counts.get("interface").copied().unwrap_or(0) > 1_000);
    // Every edge targets a function that exists, and is visible from its side.
    let mut outside = 0;
    for (site, callees) in g.sites() {
        for c in callees {
            if let Some(func) = c.func() {
                assert!(
                    g.functions().binary_search(&func).is_ok(),
                    "{site:?} -> {c:?}"
                );
                assert!(g.callers(func).contains(site));
            }
        }
        if g.enclosing(*site).is_none() {
            outside += 1;
        }
    }
    // Every call of a package-level function named by an identifier or a qualified
    // identifier of the module (GOROOT's vendored packages are outside) has its static edge.
    let mut statics = 0;
    let paths: std::collections::HashSet<&str> = module.iter().map(|&p| prog.path(p)).collect();
    for (site, callees) in g.sites() {
        let f = &prog.files(site.pkg)[site.file as usize];
        let ExprKind::Call { fun, .. } = f[site.call].kind else {
            panic!("call site is not a call");
        };
        let mut fun = fun;
        while let ExprKind::Paren { x } = f[fun].kind {
            fun = x;
        }
        let is_func = |pkg: PkgIdx, def| prog.scopes(pkg).def(def).kind == DefKind::PackageFunc;
        let static_call = match f[fun].kind {
            ExprKind::Ident(id) => prog
                .scopes(site.pkg)
                .binding(site.file as usize, id)
                .is_some_and(|d| is_func(site.pkg, d)),
            ExprKind::Selector { .. } => matches!(
                prog.selection(site.pkg, site.file as usize, fun),
                Some(Selection { kind: SelKind::Qualified, obj: ObjRef::Def(o) })
                    if is_func(o.pkg, o.def) && paths.contains(prog.path(o.pkg))
            ),
            _ => false,
        };
        if static_call {
            statics += 1;
            assert!(
                callees.iter().any(|c| matches!(c, Callee::Static(_))),
                "static call without edge at {site:?}: {}",
                f.text(f[site.call].span)
            );
        }
    }
    println!("static calls checked: {statics}");
    // Calls outside functions are those of package-level variable initializers.
    println!("call sites outside functions: {outside}");
    assert!(outside < g.sites().len() / 20);
}
