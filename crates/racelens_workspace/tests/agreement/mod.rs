//! The comparison of racelens's types with go/types' (through the `gotypes` oracle in
//! `crates/racelens_semantic/tests/oracle/gotypes`), shared by `tests/types_agreement.rs`
//! and the `types_agreement` example. The oracle decides which packages and files are
//! compared (linux/amd64, no cgo, packages go/types accepts); racelens parses and checks the
//! same files and answers, for every oracle record, with its own kind, declaration and type.
//! Imports come through the real package loader (GOROOT, then Debian's GOPATH tree).

#![allow(dead_code)]

use racelens_semantic::import::SourcePackage;
use racelens_semantic::types::{PackageCache, Program};
use racelens_syntax::ast::{ExprId, ExprKind, IdentId};
use racelens_workspace::load::{Loader, LoaderOptions, Locate};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const GOROOT: &str = "/usr/lib/go-1.19";

/// Builds the oracle into `target_dir` and returns its path.
pub fn build_oracle(manifest_dir: &Path, target_dir: &Path) -> PathBuf {
    let dir = manifest_dir.join("../racelens_semantic/tests/oracle/gotypes");
    let bin = target_dir.join("gotypes");
    let status = Command::new("go")
        .args(["build", "-o"])
        .arg(&bin)
        .arg(".")
        .current_dir(&dir)
        .env("GOFLAGS", "-mod=mod")
        .env("GOTOOLCHAIN", "local")
        .status()
        .unwrap_or_else(|e| panic!("cannot run `go` ({e}): install golang-go and golang-1.19-src"));
    assert!(
        status.success(),
        "building the go/types oracle failed: {status}"
    );
    bin
}

/// The import paths of the standard library packages (not `cmd`, no testdata).
pub fn std_packages() -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        let mut has_go = false;
        for p in &entries {
            if p.is_dir() {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                // As `go list std`: directories starting with `.` or `_` are ignored (the
                // `_asm` generator modules, whose imports only a GOPATH with their
                // dependencies resolves).
                if name == "testdata"
                    || name == "cmd"
                    || name == "vendor"
                    || name.starts_with('.')
                    || name.starts_with('_')
                {
                    continue;
                }
                walk(root, p, out);
            } else if p.extension().is_some_and(|e| e == "go") {
                has_go = true;
            }
        }
        if has_go {
            if let Ok(rel) = dir.strip_prefix(root) {
                let s = rel.to_string_lossy().to_string();
                if !s.is_empty() && s != "builtin" {
                    out.push(s);
                }
            }
        }
    }
    let root = Path::new(GOROOT).join("src");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

/// One package of the oracle's output.
pub struct OraclePkg {
    pub path: String,
    pub dir: PathBuf,
    pub files: Vec<(String, Vec<Record>)>,
}

pub struct Record {
    pub start: u32,
    pub end: u32,
    pub kind: String,
    pub objkind: String,
    pub key: String,
    pub ty: String,
}

/// The GOPATH tree of Debian's `golang-*-dev` packages.
pub const GOPATH: &str = "/usr/share/gocode";

/// The import paths of the packages under `<GOPATH>/src/<prefix>` (no testdata, vendor or
/// test-only directories).
pub fn gopath_packages(prefix: &str) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        let mut has_go = false;
        for p in &entries {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.is_dir() {
                if name != "testdata" && name != "vendor" && !name.starts_with('.') {
                    walk(root, p, out);
                }
            } else if name.ends_with(".go") && !name.ends_with("_test.go") {
                has_go = true;
            }
        }
        if has_go {
            if let Ok(rel) = dir.strip_prefix(root) {
                out.push(rel.to_string_lossy().to_string());
            }
        }
    }
    let root = Path::new(GOPATH).join("src");
    let mut out = Vec::new();
    walk(&root, &root.join(prefix), &mut out);
    out
}

/// Runs the oracle on `packages`; returns the packages it checked and the skipped ones.
/// GOPATH mode (`GO111MODULE=off`, `GOPATH=/usr/share/gocode`) finds the Debian projects.
pub fn run_oracle(bin: &Path, packages: &[String]) -> (Vec<OraclePkg>, Vec<String>) {
    let mut child = Command::new(bin)
        .env("GO111MODULE", "off")
        .env("GOPATH", GOPATH)
        .env("GOFLAGS", "")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("running the go/types oracle");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = packages.join("\n");
    let w = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("oracle output");
    w.join().expect("writer").expect("writing to the oracle");
    assert!(out.status.success(), "the oracle failed: {}", out.status);
    let text = String::from_utf8_lossy(&out.stdout);
    let mut pkgs: Vec<OraclePkg> = Vec::new();
    let mut skipped = Vec::new();
    for line in text.lines() {
        let mut parts = line.splitn(2, ' ');
        let tag = parts.next().unwrap_or("");
        let rest = parts.next().unwrap_or("");
        match tag {
            "P" => {
                let mut it = rest.splitn(2, ' ');
                pkgs.push(OraclePkg {
                    path: it.next().unwrap_or("").to_string(),
                    dir: PathBuf::from(it.next().unwrap_or("")),
                    files: Vec::new(),
                });
            }
            "S" => skipped.push(rest.to_string()),
            "F" => {
                if let Some(p) = pkgs.last_mut() {
                    p.files.push((rest.to_string(), Vec::new()));
                }
            }
            "E" => {
                let f: Vec<&str> = rest.split(' ').collect();
                if f.len() != 6 {
                    continue;
                }
                if let Some(file) = pkgs.last_mut().and_then(|p| p.files.last_mut()) {
                    file.1.push(Record {
                        start: f[0].parse().unwrap_or(0),
                        end: f[1].parse().unwrap_or(0),
                        kind: f[2].to_string(),
                        objkind: f[3].to_string(),
                        key: f[4].to_string(),
                        ty: f[5].to_string(),
                    });
                }
            }
            _ => {}
        }
    }
    (pkgs, skipped)
}

/// Agreement counts for one category.
#[derive(Default, Clone, Copy)]
pub struct Count {
    pub agree: u64,
    pub unknown: u64,
    pub wrong: u64,
}

impl Count {
    pub fn total(&self) -> u64 {
        self.agree + self.unknown + self.wrong
    }
    pub fn pct(&self, n: u64) -> f64 {
        if self.total() == 0 {
            100.0
        } else {
            100.0 * n as f64 / self.total() as f64
        }
    }
    fn add(&mut self, o: &Count) {
        self.agree += o.agree;
        self.unknown += o.unknown;
        self.wrong += o.wrong;
    }
}

#[derive(Default)]
pub struct Report {
    pub counts: BTreeMap<String, Count>,
    /// Samples of disagreements per category: `file:offset kind: oracle vs racelens`.
    pub samples: BTreeMap<String, Vec<String>>,
    pub packages: usize,
    pub files: usize,
    pub parse_time: Duration,
    pub check_time: Duration,
}

impl Report {
    fn tally(&mut self, cat: &str, outcome: Outcome, sample: impl FnOnce() -> String) {
        let c = self.counts.entry(cat.to_string()).or_default();
        match outcome {
            Outcome::Agree => c.agree += 1,
            Outcome::Unknown => {
                c.unknown += 1;
                let s = self.samples.entry(format!("{cat} (unknown)")).or_default();
                if s.len() < 40 {
                    s.push(sample());
                }
            }
            Outcome::Wrong => {
                c.wrong += 1;
                let s = self.samples.entry(cat.to_string()).or_default();
                if s.len() < 40 {
                    s.push(sample());
                }
            }
        }
    }

    fn merge(&mut self, o: Report) {
        for (k, v) in o.counts {
            self.counts.entry(k).or_default().add(&v);
        }
        for (k, v) in o.samples {
            let s = self.samples.entry(k).or_default();
            for x in v {
                if s.len() < 40 {
                    s.push(x);
                }
            }
        }
        self.packages += o.packages;
        self.files += o.files;
        self.parse_time += o.parse_time;
        self.check_time += o.check_time;
    }

    pub fn get(&self, cat: &str) -> Count {
        self.counts.get(cat).copied().unwrap_or_default()
    }

    /// The counts of several categories together.
    pub fn sum(&self, cats: &[&str]) -> Count {
        let mut c = Count::default();
        for cat in cats {
            c.add(&self.get(cat));
        }
        c
    }

    pub fn table(&self) -> String {
        let mut s = format!(
            "{:<28} {:>9} {:>8} {:>8} {:>8} {:>7}\n",
            "category", "records", "agree%", "unknown%", "wrong%", "wrong"
        );
        let mut rows: Vec<(String, Count)> =
            self.counts.iter().map(|(k, v)| (k.clone(), *v)).collect();
        rows.push((
            "checks: recv+call+operands".into(),
            self.sum(&["selrecv.type", "call.type", "index.type"]),
        ));
        for (k, c) in rows {
            s.push_str(&format!(
                "{:<28} {:>9} {:>8.2} {:>8.2} {:>8.3} {:>7}\n",
                k,
                c.total(),
                c.pct(c.agree),
                c.pct(c.unknown),
                c.pct(c.wrong),
                c.wrong
            ));
        }
        s
    }
}

#[derive(Clone, Copy)]
enum Outcome {
    Agree,
    Unknown,
    Wrong,
}

/// Compares one oracle package with racelens's model of it.
pub fn compare_package(op: &OraclePkg, importer: &Loader, cache: &PackageCache) -> Report {
    let mut report = Report::default();
    let t0 = Instant::now();
    let files: Vec<PathBuf> = op.files.iter().map(|(n, _)| op.dir.join(n)).collect();
    let src = Arc::new(SourcePackage {
        path: op.path.clone(),
        files: files
            .iter()
            .filter_map(|p| std::fs::read(p).ok())
            .map(|s| Arc::new(racelens_syntax::parse(&s).0))
            .collect(),
    });
    let parse = t0.elapsed();
    if src.files.len() != op.files.len() {
        return report;
    }
    let src2: Arc<SourcePackage> = src.clone();
    let t1 = Instant::now();
    let mut prog = Program::new(importer, cache);
    let p = prog.check_package(&op.path, src2, &op.dir);
    report.check_time = t1.elapsed();
    report.parse_time = parse;
    report.packages = 1;
    report.files = src.files.len();
    for (fi, (name, recs)) in op.files.iter().enumerate() {
        let f = &src.files[fi];
        let mut idents: HashMap<u32, IdentId> = HashMap::new();
        for (i, id) in f.idents.iter().enumerate() {
            idents
                .entry(id.span.start)
                .or_insert(IdentId::new(i as u32));
        }
        let mut exprs: HashMap<(u32, u32, u8), ExprId> = HashMap::new();
        let mut recv: HashMap<(u32, u32), ExprId> = HashMap::new();
        for (id, e) in f.exprs_with_ids() {
            let k = match &e.kind {
                ExprKind::Selector { x, .. } => {
                    let xs = f[*x].span;
                    recv.insert((xs.start, xs.end), *x);
                    1
                }
                ExprKind::Call { .. } => 2,
                ExprKind::Index { .. } | ExprKind::IndexList { .. } => 3,
                ExprKind::CompositeLit { .. } => 4,
                _ => continue,
            };
            exprs.insert((e.span.start, e.span.end, k), id);
        }
        for r in recs {
            let at = || format!("{}/{}:{}", op.path, name, r.start);
            match r.kind.as_str() {
                "ident" => {
                    let d = idents
                        .get(&r.start)
                        .and_then(|&id| prog.describe_ident(p, fi, id));
                    let (res, ty) = match &d {
                        None => (Outcome::Unknown, Outcome::Unknown),
                        Some(d) => {
                            let res = if d.kind == r.objkind && d.key == r.key {
                                Outcome::Agree
                            } else {
                                Outcome::Wrong
                            };
                            let ty = type_outcome(&prog, d.ty, &r.ty);
                            (res, ty)
                        }
                    };
                    let mine = d
                        .as_ref()
                        .map(|d| {
                            format!(
                                "{} {} {}",
                                d.kind,
                                d.key,
                                d.ty.map(|t| prog.display(t)).unwrap_or("-".into())
                            )
                        })
                        .unwrap_or_default();
                    report.tally("ident.resolve", res, || {
                        format!("{} {} {} vs {}", at(), r.objkind, r.key, mine)
                    });
                    report.tally("ident.type", ty, || {
                        format!("{} {} vs {}", at(), r.ty, mine)
                    });
                }
                "sel" => {
                    let d = exprs
                        .get(&(r.start, r.end, 1))
                        .and_then(|&e| prog.describe_selector(p, fi, e));
                    let (res, ty) = match &d {
                        None => (Outcome::Unknown, Outcome::Unknown),
                        Some(d) => (
                            if d.kind == r.objkind && d.key == r.key {
                                Outcome::Agree
                            } else {
                                Outcome::Wrong
                            },
                            type_outcome(&prog, d.ty, &r.ty),
                        ),
                    };
                    let mine = d
                        .as_ref()
                        .map(|d| {
                            format!(
                                "{} {} {}",
                                d.kind,
                                d.key,
                                d.ty.map(|t| prog.display(t)).unwrap_or("-".into())
                            )
                        })
                        .unwrap_or_default();
                    report.tally("sel.resolve", res, || {
                        format!("{} {} {} vs {}", at(), r.objkind, r.key, mine)
                    });
                    report.tally("sel.type", ty, || format!("{} {} vs {}", at(), r.ty, mine));
                }
                "selrecv" | "call" | "index" | "composite" => {
                    let e = match r.kind.as_str() {
                        "selrecv" => recv.get(&(r.start, r.end)).copied(),
                        "call" => exprs.get(&(r.start, r.end, 2)).copied(),
                        "index" => {
                            exprs
                                .get(&(r.start, r.end, 3))
                                .and_then(|&e| match &f[e].kind {
                                    ExprKind::Index { x, .. } | ExprKind::IndexList { x, .. } => {
                                        Some(*x)
                                    }
                                    _ => None,
                                })
                        }
                        _ => exprs.get(&(r.start, r.end, 4)).copied(),
                    };
                    let t = e.map(|e| prog.type_of(p, fi, e));
                    let o = type_outcome(&prog, t, &r.ty);
                    let mine = t.map(|t| prog.display(t)).unwrap_or_default();
                    report.tally(&format!("{}.type", r.kind), o, || {
                        format!("{} {} vs {}", at(), r.ty, mine)
                    });
                }
                _ => {}
            }
        }
    }
    report
}

fn type_outcome(
    prog: &Program,
    mine: Option<racelens_semantic::types::TypeId>,
    oracle: &str,
) -> Outcome {
    match mine {
        None => {
            if oracle == "-" {
                Outcome::Agree
            } else {
                Outcome::Unknown
            }
        }
        Some(t) => {
            if oracle == "-" {
                return Outcome::Agree;
            }
            if prog.is_unknown(t) {
                return Outcome::Unknown;
            }
            if prog.display(t) == oracle {
                Outcome::Agree
            } else {
                Outcome::Wrong
            }
        }
    }
}

/// Compares `pkgs` on `threads` threads.
pub fn compare_all(pkgs: &[OraclePkg], threads: usize) -> Report {
    let importer = Loader::new(LoaderOptions {
        goroot: Locate::At(PathBuf::from(GOROOT)),
        mod_cache: Locate::Off,
        gopath: vec![PathBuf::from(GOPATH)],
        ..LoaderOptions::default()
    });
    let cache = PackageCache::new();
    let next = Mutex::new(0usize);
    let total = Mutex::new(Report::default());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = {
                    let mut n = next.lock().unwrap();
                    let i = *n;
                    *n += 1;
                    i
                };
                let Some(op) = pkgs.get(i) else { break };
                let r = compare_package(op, &importer, &cache);
                total.lock().unwrap().merge(r);
            });
        }
    });
    total.into_inner().unwrap()
}
