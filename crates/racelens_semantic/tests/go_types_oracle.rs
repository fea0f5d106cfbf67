//! Differential test against go/types: for the packages of the Go standard library (the
//! files go/build selects for the host), every identifier go/types binds to an object of
//! the package or the universe must be bound to the def declared at the same place, and
//! every identifier go/types binds to another package's object must stay unbound.
//!
//! `tests/oracle/main.go` prints go/types' answers; it needs the `go` command (Go 1.19,
//! whose standard library ships export data for `importer.Default`).

mod common;

use racelens_semantic::{resolve_package, DefKind, ImportStyle, PackageScopes};
use racelens_syntax::ast::{IdentId, SpecKind};
use racelens_syntax::File;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn package_dirs(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    if entries
        .iter()
        .any(|p| p.extension().is_some_and(|e| e == "go"))
    {
        out.push(dir.to_path_buf());
    }
    for p in entries {
        if p.is_dir() && p.file_name().is_some_and(|n| n != "testdata") {
            package_dirs(&p, out);
        }
    }
}

struct Package {
    /// go/types records nothing for expressions it could not type-check, so a package
    /// with type errors (an external test using the package's export_test.go names, which
    /// export data lacks) may have identifiers only racelens binds.
    type_errors: usize,
    files: Vec<PathBuf>,
    /// `(file, ident offset, target)`.
    bindings: Vec<(usize, u32, String)>,
}

fn run_oracle(dirs: &[PathBuf]) -> Vec<Package> {
    let main = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/main.go");
    let out = Command::new("go")
        .arg("run")
        .arg(&main)
        .args(dirs)
        .env("GO111MODULE", "off")
        .output()
        .expect("the `go` command is needed for the go/types oracle (install golang-go)");
    assert!(
        out.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8 oracle output");
    let mut packages: Vec<Package> = Vec::new();
    for line in text.lines() {
        let mut parts = line.split(' ');
        match parts.next() {
            Some("P") => packages.push(Package {
                type_errors: parts.nth(1).expect("error count").parse().unwrap(),
                files: Vec::new(),
                bindings: Vec::new(),
            }),
            Some("F") => packages
                .last_mut()
                .expect("P before F")
                .files
                .push(PathBuf::from(parts.next().expect("path"))),
            Some("B") => {
                let file: usize = parts.next().unwrap().parse().unwrap();
                let off: u32 = parts.next().unwrap().parse().unwrap();
                let target = parts.next().unwrap().to_string();
                packages
                    .last_mut()
                    .expect("P before B")
                    .bindings
                    .push((file, off, target));
            }
            _ => panic!("unexpected oracle line {line:?}"),
        }
    }
    packages
}

/// Where a def is declared, in the oracle's terms.
fn def_place(ps: &PackageScopes, files: &[File], d: racelens_semantic::DefId) -> String {
    let def = ps.def(d);
    if let DefKind::Builtin(_) = def.kind {
        return format!("u:{}", def.name);
    }
    let Some(fi) = def.file else {
        return "?".into();
    };
    let f = &files[fi as usize];
    let off = match (&def.kind, def.ident) {
        (_, Some(id)) => f[id].span.start,
        (DefKind::Import(info), None) => match &f[info.spec].kind {
            SpecKind::Import { path, .. } => f[*path].span.start,
            _ => return "?".into(),
        },
        _ => return "?".into(),
    };
    format!("d:{fi}:{off}")
}

#[test]
fn agrees_with_go_types_on_the_standard_library() {
    let src = PathBuf::from(
        std::env::var("RACELENS_GOROOT").unwrap_or_else(|_| "/usr/lib/go-1.19".into()),
    )
    .join("src");
    assert!(
        src.join("sync/mutex.go").is_file(),
        "Go standard library source not found under {}",
        src.display()
    );
    // RACELENS_ORACLE_ROOT runs the comparison on another tree (its imports outside the
    // standard library do not resolve in go/types, so only local bindings are compared).
    let root = std::env::var("RACELENS_ORACLE_ROOT").map(PathBuf::from);
    let mut dirs = Vec::new();
    package_dirs(root.as_ref().unwrap_or(&src), &mut dirs);
    let packages = run_oracle(&dirs);
    if root.is_err() {
        let n = packages.len();
        assert!(n > 300, "oracle answered for {n} packages only");
    }

    let (mut compared, mut agreed, mut external, mut extra) = (0usize, 0usize, 0usize, 0usize);
    let (mut extra_ill_typed, mut via_candidate) = (0usize, 0usize);
    let mut disagreements: HashMap<String, Vec<String>> = HashMap::new();
    for pkg in &packages {
        let files: Vec<File> = pkg
            .files
            .iter()
            .map(|p| racelens_syntax::parse(&std::fs::read(p).expect("readable")).0)
            .collect();
        let refs: Vec<&File> = files.iter().collect();
        let ps = resolve_package(&refs);
        let site_problems = common::check_sites(&refs, &ps);
        assert!(site_problems.is_empty(), "{}", site_problems.join("\n"));
        let at: Vec<HashMap<u32, IdentId>> = files
            .iter()
            .map(|f| {
                (0..f.idents.len())
                    .map(|i| (f.idents[i].span.start, IdentId::new(i as u32)))
                    .collect()
            })
            .collect();
        // Identifiers racelens binds but go/types binds to nothing of this package: only
        // the symbolic variable of a type switch and blank or dot import names may be.
        let mut oracle: Vec<HashMap<u32, &str>> = vec![HashMap::new(); files.len()];
        for (fi, off, target) in &pkg.bindings {
            oracle[*fi].insert(*off, target.as_str());
        }
        for (fi, f) in files.iter().enumerate() {
            for (i, b) in ps.bindings(fi).iter().enumerate() {
                let Some(d) = b else { continue };
                let off = f.idents[i].span.start;
                let known = matches!(oracle[fi].get(&off), Some(t) if *t != "-");
                // The names `_` and `.` of blank and dot imports get Import defs here;
                // go/types records none for them.
                let allowed = match &ps.def(*d).kind {
                    DefKind::TypeSwitchVar => true,
                    DefKind::Import(info) => {
                        matches!(info.style, ImportStyle::Blank | ImportStyle::Dot)
                    }
                    _ => false,
                };
                if !known && !allowed {
                    if pkg.type_errors > 0 {
                        extra_ill_typed += 1;
                        continue;
                    }
                    extra += 1;
                    disagreements
                        .entry(format!("racelens only: {}", ps.def(*d).kind.as_str()))
                        .or_default()
                        .push(format!(
                            "{}:{off}: `{}`",
                            pkg.files[fi].display(),
                            f.ident_name(IdentId::new(i as u32))
                        ));
                }
            }
        }
        for (fi, off, target) in &pkg.bindings {
            if target == "-" {
                continue;
            }
            let Some(&id) = at[*fi].get(off) else {
                panic!("{}:{off}: no identifier here", pkg.files[*fi].display());
            };
            compared += 1;
            let mine = ps.binding(*fi, id);
            let got = mine.map(|d| def_place(&ps, &files, d));
            let ok = if target == "x" {
                external += 1;
                mine.is_none()
            } else if mine.is_none() {
                // A key of a literal whose type scoping cannot see (an alias of another
                // package's map type) is only a candidate.
                let candidate = ps.key_candidate(*fi, id).map(|d| def_place(&ps, &files, d));
                let ok = candidate.as_deref() == Some(target.as_str());
                via_candidate += ok as usize;
                ok
            } else {
                got.as_deref() == Some(target.as_str())
            };
            if ok {
                agreed += 1;
                continue;
            }
            let f = &files[*fi];
            let name = f.ident_name(id);
            let kind = mine.map(|d| ps.def(d).kind.as_str()).unwrap_or("nothing");
            let category = format!("go/types {} vs {kind}", &target[..1]);
            disagreements.entry(category).or_default().push(format!(
                "{}:{off}: `{name}`: go/types {target}, racelens {}",
                pkg.files[*fi].display(),
                got.unwrap_or_else(|| "nothing".into())
            ));
        }
    }
    let mut report = String::new();
    let mut cats: Vec<_> = disagreements.iter().collect();
    cats.sort_by_key(|(k, v)| (std::cmp::Reverse(v.len()), (*k).clone()));
    for (cat, list) in &cats {
        report.push_str(&format!("{cat}: {}\n", list.len()));
        for l in list.iter().take(5) {
            report.push_str(&format!("    {l}\n"));
        }
    }
    eprintln!(
        "{} packages ({} with type errors): {agreed} of {compared} bindings agree ({external} external names stay unbound, {via_candidate} composite keys as candidates), {extra} bound by racelens only ({extra_ill_typed} more in packages with type errors)\n{report}",
        packages.len(),
        packages.iter().filter(|p| p.type_errors > 0).count()
    );
    if root.is_err() {
        assert!(compared > 1_000_000, "only {compared} bindings compared");
    }
    assert_eq!(agreed, compared, "disagreements with go/types:\n{report}");
    assert_eq!(extra, 0, "bindings go/types does not make:\n{report}");
}
