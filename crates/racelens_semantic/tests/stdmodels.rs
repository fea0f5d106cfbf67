//! Tests of the embedded standard library models: each parses cleanly, and each exported
//! name it declares exists in the real Go 1.19 source with the same signature, except the
//! APIs added after Go 1.19, which are listed here and must be absent from 1.19.

use racelens_semantic::stdmodels;
use racelens_syntax::ast::{DeclKind, ExprKind, FieldListId, SpecKind};
use racelens_syntax::File;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const GOROOT_1_19: &str = "/usr/lib/go-1.19/src";

/// Exported API added after Go 1.19 that the models declare, per package.
const NEWER: &[(&str, &[&str])] = &[
    (
        "sync",
        &[
            "WaitGroup.Go",
            "OnceFunc",
            "OnceValue",
            "OnceValues",
            "Map.Swap",
            "Map.CompareAndSwap",
            "Map.CompareAndDelete",
            "Map.Clear",
        ],
    ),
    (
        "sync/atomic",
        &[
            "AndInt32",
            "AndUint32",
            "AndInt64",
            "AndUint64",
            "AndUintptr",
            "OrInt32",
            "OrUint32",
            "OrInt64",
            "OrUint64",
            "OrUintptr",
            "Int32.And",
            "Int32.Or",
            "Int64.And",
            "Int64.Or",
            "Uint32.And",
            "Uint32.Or",
            "Uint64.And",
            "Uint64.Or",
            "Uintptr.And",
            "Uintptr.Or",
        ],
    ),
    (
        "context",
        &[
            "CancelCauseFunc",
            "WithCancelCause",
            "Cause",
            "AfterFunc",
            "WithoutCancel",
            "WithDeadlineCause",
            "WithTimeoutCause",
        ],
    ),
    (
        "time",
        &["Time.Compare", "DateTime", "DateOnly", "TimeOnly"],
    ),
    (
        "testing",
        &[
            "common.Chdir",
            "common.Context",
            "TB.Chdir",
            "TB.Context",
            "B.Elapsed",
            "B.Loop",
            "Testing",
        ],
    ),
    ("net/http", &["Request.PathValue"]),
];

/// The declared API of a package: entity name (`Name`, `Recv.Method`, `Type.Field`,
/// `Iface.Method`) to the set of shapes it has (a signature or a field type; empty text for
/// types, constants and variables). A set, because the real source may declare a name in
/// several files for different platforms.
type Api = BTreeMap<String, BTreeSet<String>>;

fn normalize(text: &str) -> String {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact.replace("interface{}", "any")
}

fn field_list_shape(f: &File, list: Option<FieldListId>) -> String {
    let Some(list) = list else {
        return "()".to_string();
    };
    let mut parts = Vec::new();
    for &field in f[list].list.iter() {
        let field = &f[field];
        let ty = normalize(f.text(f[field.typ].span));
        for _ in 0..field.names.len().max(1) {
            parts.push(ty.clone());
        }
    }
    format!("({})", parts.join(","))
}

fn signature(f: &File, func_type: racelens_syntax::ast::ExprId) -> String {
    match &f[func_type].kind {
        ExprKind::FuncType {
            params, results, ..
        } => format!(
            "{}{}",
            field_list_shape(f, Some(*params)),
            field_list_shape(f, *results)
        ),
        _ => String::new(),
    }
}

/// The base type name of a method receiver: `T` for `T`, `*T`, `T[P]`, `*T[P]`, `(T)`.
fn receiver_name(f: &File, mut e: racelens_syntax::ast::ExprId) -> String {
    loop {
        match &f[e].kind {
            ExprKind::Star { x } | ExprKind::Paren { x } => e = *x,
            ExprKind::Index { x, .. } | ExprKind::IndexList { x, .. } => e = *x,
            ExprKind::Ident(id) => return f.ident_name(*id).to_string(),
            _ => return String::new(),
        }
    }
}

fn exported(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_uppercase)
}

fn collect(f: &File, api: &mut Api) {
    let mut add = |name: String, shape: String| {
        api.entry(name).or_default().insert(shape);
    };
    for &d in &f.decls {
        match &f[d].kind {
            DeclKind::Func {
                recv, name, typ, ..
            } => {
                let name = f.ident_name(*name);
                if !exported(name) {
                    continue;
                }
                // Methods of unexported types are model internals, except those of
                // testing's `common`, which T, B and F promote.
                let key = match recv {
                    Some(r) => match f[*r].list.first() {
                        Some(&field) => {
                            let recv = receiver_name(f, f[field].typ);
                            if !exported(&recv) && recv != "common" {
                                continue;
                            }
                            format!("{recv}.{name}")
                        }
                        None => continue,
                    },
                    None => name.to_string(),
                };
                add(key, signature(f, *typ));
            }
            DeclKind::Gen { specs, .. } => {
                for &s in specs.iter() {
                    match &f[s].kind {
                        SpecKind::Value { names, .. } => {
                            for &n in names.iter() {
                                let n = f.ident_name(n);
                                if exported(n) {
                                    add(n.to_string(), String::new());
                                }
                            }
                        }
                        SpecKind::Type { name, typ, .. } => {
                            let tname = f.ident_name(*name).to_string();
                            if !exported(&tname) && tname != "common" {
                                continue;
                            }
                            add(tname.clone(), String::new());
                            match &f[*typ].kind {
                                ExprKind::StructType { fields, .. } => {
                                    for &field in f[*fields].list.iter() {
                                        let field = &f[field];
                                        for &n in field.names.iter() {
                                            let n = f.ident_name(n);
                                            if exported(n) {
                                                add(
                                                    format!("{tname}.{n}"),
                                                    normalize(f.text(f[field.typ].span)),
                                                );
                                            }
                                        }
                                    }
                                }
                                ExprKind::InterfaceType { methods, .. } => {
                                    for &field in f[*methods].list.iter() {
                                        let field = &f[field];
                                        for &n in field.names.iter() {
                                            let n = f.ident_name(n);
                                            if exported(n) {
                                                add(
                                                    format!("{tname}.{n}"),
                                                    signature(f, field.typ),
                                                );
                                            }
                                        }
                                    }
                                }
                                _ => {}
                            }
                        }
                        SpecKind::Import { .. } => {}
                    }
                }
            }
            DeclKind::Bad => {}
        }
    }
}

/// The API declared by every non-test Go file of a GOROOT package directory, whatever the
/// platform, and the package name.
fn real_api(dir: &Path) -> (Api, String) {
    let mut api = Api::new();
    let mut name = String::new();
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap().path();
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !file_name.ends_with(".go") || file_name.ends_with("_test.go") {
            continue;
        }
        let src = std::fs::read(&path).unwrap();
        let (f, errors) = racelens_syntax::parse(&src);
        assert!(errors.is_empty(), "{}: {:?}", path.display(), errors);
        if let Some(n) = f.name {
            name = f.ident_name(n).to_string();
        }
        collect(&f, &mut api);
    }
    (api, name)
}

#[test]
fn every_model_parses_without_syntax_errors() {
    let mut count = 0;
    for path in stdmodels::paths() {
        let src = stdmodels::source(path).unwrap();
        let (f, errors) = racelens_syntax::parse(src.as_bytes());
        assert!(errors.is_empty(), "model {path}: {errors:?}");
        let want = path.rsplit('/').next().unwrap();
        assert_eq!(
            f.ident_name(f.name.unwrap()),
            want,
            "package name of {path}"
        );
        assert!(f.decls.len() > 3, "model {path} declares almost nothing");
        count += 1;
    }
    assert_eq!(count, 16);
}

#[test]
fn package_returns_the_parsed_model_and_none_otherwise() {
    let p = stdmodels::package("sync").expect("sync model");
    assert_eq!(p.path, "sync");
    assert_eq!(p.files.len(), 1);
    let mut api = Api::new();
    collect(&p.files[0], &mut api);
    for name in [
        "Mutex",
        "RWMutex.RLocker",
        "WaitGroup.Go",
        "Map.LoadOrStore",
        "OnceValues",
    ] {
        assert!(api.contains_key(name), "sync model lacks {name}");
    }
    let again = stdmodels::package("sync").unwrap();
    assert_eq!(again.files[0].decls.len(), p.files[0].decls.len());
    let eg = stdmodels::package("golang.org/x/sync/errgroup").expect("errgroup model");
    let mut api = Api::new();
    collect(&eg.files[0], &mut api);
    for name in [
        "Group",
        "Group.Go",
        "Group.Wait",
        "Group.SetLimit",
        "Group.TryGo",
        "WithContext",
    ] {
        assert!(api.contains_key(name), "errgroup model lacks {name}");
    }
    assert!(stdmodels::package("fmt").is_none());
    assert!(stdmodels::package("").is_none());
    assert!(stdmodels::package("sync/").is_none());
}

#[test]
fn model_api_matches_go_1_19_source() {
    let root = Path::new(GOROOT_1_19);
    assert!(
        root.join("sync").is_dir(),
        "the Go 1.19 source is expected at {GOROOT_1_19}"
    );
    let mut problems = Vec::new();
    let mut checked = 0;
    for path in stdmodels::paths() {
        if path == "golang.org/x/sync/errgroup" {
            continue;
        }
        let model = stdmodels::package(path).unwrap();
        let mut api = Api::new();
        collect(&model.files[0], &mut api);
        let (real, real_name) = real_api(&root.join(path));
        assert_eq!(
            model.files[0].ident_name(model.files[0].name.unwrap()),
            real_name,
            "package name of {path}"
        );
        let newer: BTreeSet<&str> = NEWER
            .iter()
            .filter(|(p, _)| *p == path)
            .flat_map(|(_, names)| names.iter().copied())
            .collect();
        for name in &newer {
            if !api.contains_key(*name) {
                problems.push(format!(
                    "{path}: listed newer API {name} is not in the model"
                ));
            }
            if real.contains_key(*name) {
                problems.push(format!(
                    "{path}: {name} is listed as newer but exists in 1.19"
                ));
            }
        }
        for (name, shapes) in &api {
            if newer.contains(name.as_str()) {
                continue;
            }
            checked += 1;
            let Some(real_shapes) = real.get(name) else {
                problems.push(format!("{path}: {name} does not exist in Go 1.19"));
                continue;
            };
            for shape in shapes {
                if !real_shapes.contains(shape) {
                    problems.push(format!(
                        "{path}: {name} is {shape} in the model but {real_shapes:?} in Go 1.19"
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked > 300, "only {checked} names checked");
}

#[test]
fn exported_variables_of_models_have_explicit_types() {
    let mut vars = 0;
    for path in stdmodels::paths() {
        let f = &stdmodels::package(path).unwrap().files[0];
        for &d in &f.decls {
            let DeclKind::Gen { tok, specs, .. } = &f[d].kind else {
                continue;
            };
            if *tok != racelens_syntax::token::TokenKind::Var {
                continue;
            }
            for &s in specs.iter() {
                if let SpecKind::Value { names, typ, .. } = &f[s].kind {
                    for &n in names.iter() {
                        if exported(f.ident_name(n)) {
                            vars += 1;
                            assert!(typ.is_some(), "{path}: var {} has no type", f.ident_name(n));
                        }
                    }
                }
            }
        }
    }
    assert!(vars >= 7, "{vars}");
}

/// The models are valid Go: copied into a scratch module (each in a directory named after
/// its package), they type-check and pass `go vet` with the installed Go toolchain. Their
/// imports resolve to the real standard library there, whose APIs they must fit.
#[test]
fn models_type_check_with_the_go_toolchain() {
    let scratch = std::env::temp_dir().join(format!("racelens-models-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    std::fs::write(scratch.join("go.mod"), "module modelcheck\n\ngo 1.19\n").unwrap();
    for path in stdmodels::paths() {
        let dir = scratch.join(path.replace('/', "_"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("model.go"), stdmodels::source(path).unwrap()).unwrap();
    }
    let out = std::process::Command::new("go")
        .args(["vet", "./..."])
        .current_dir(&scratch)
        .env("GOCACHE", scratch.join(".cache"))
        .env("GOWORK", "off")
        .env("GOFLAGS", "")
        .env("GOPROXY", "off")
        .env("GOTOOLCHAIN", "local")
        .output()
        .expect("the go command is installed");
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(
        out.status.success(),
        "go vet failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
