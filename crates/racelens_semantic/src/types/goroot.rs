//! A small `Importer` over a GOROOT source tree, for tests, examples and the go/types
//! oracle run: `<root>/src/<path>` with file names filtered the simple way (no `_test.go`,
//! `_GOOS`/`_GOARCH` suffixes kept only for linux/amd64, `//go:build` lines evaluated for
//! the common tags). The workspace crate provides the real importer.

use crate::import::{Importer, SourcePackage};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const OSES: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "windows",
    "zos",
];
const ARCHES: &[&str] = &[
    "386",
    "amd64",
    "arm",
    "arm64",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "ppc64",
    "ppc64le",
    "riscv64",
    "s390x",
    "wasm",
    "sparc64",
    "amd64p32",
    "armbe",
    "arm64be",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "riscv",
    "s390",
    "sparc",
];

/// Whether a file name fits linux/amd64 by its `_GOOS`/`_GOARCH` suffixes.
pub fn name_matches(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".go") else {
        return false;
    };
    if stem.ends_with("_test") || name.starts_with('_') || name.starts_with('.') {
        return false;
    }
    let parts: Vec<&str> = stem.split('_').collect();
    let n = parts.len();
    if n >= 3 && OSES.contains(&parts[n - 2]) && ARCHES.contains(&parts[n - 1]) {
        return parts[n - 2] == "linux" && parts[n - 1] == "amd64";
    }
    if n >= 2 {
        let last = parts[n - 1];
        if OSES.contains(&last) {
            return last == "linux";
        }
        if ARCHES.contains(&last) {
            return last == "amd64";
        }
    }
    true
}

/// Evaluates a `//go:build` expression for linux/amd64 without cgo, Go 1.19.
pub fn build_expr_holds(expr: &str) -> bool {
    fn tag(t: &str) -> bool {
        matches!(t, "linux" | "amd64" | "unix" | "gc")
            || t.strip_prefix("go1.")
                .and_then(|v| v.parse::<u32>().ok())
                .is_some_and(|v| v <= 19)
    }
    // A tiny recursive-descent parser over `||`, `&&`, `!` and parentheses.
    struct P<'a> {
        toks: Vec<&'a str>,
        i: usize,
    }
    impl P<'_> {
        fn or(&mut self) -> bool {
            let mut v = self.and();
            while self.toks.get(self.i) == Some(&"||") {
                self.i += 1;
                let r = self.and();
                v = v || r;
            }
            v
        }
        fn and(&mut self) -> bool {
            let mut v = self.not();
            while self.toks.get(self.i) == Some(&"&&") {
                self.i += 1;
                let r = self.not();
                v = v && r;
            }
            v
        }
        fn not(&mut self) -> bool {
            match self.toks.get(self.i).copied() {
                Some("!") => {
                    self.i += 1;
                    !self.not()
                }
                Some("(") => {
                    self.i += 1;
                    let v = self.or();
                    if self.toks.get(self.i) == Some(&")") {
                        self.i += 1;
                    }
                    v
                }
                Some(t) => {
                    self.i += 1;
                    tag(t)
                }
                None => false,
            }
        }
    }
    let mut toks = Vec::new();
    let b = expr.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\r' => i += 1,
            b'(' | b')' | b'!' => {
                toks.push(&expr[i..i + 1]);
                i += 1;
            }
            b'|' | b'&' => {
                toks.push(&expr[i..(i + 2).min(b.len())]);
                i += 2;
            }
            _ => {
                let s = i;
                while i < b.len() && !b" \t\r()!|&".contains(&b[i]) {
                    i += 1;
                }
                toks.push(&expr[s..i]);
            }
        }
    }
    P { toks, i: 0 }.or()
}

/// Whether a file's `//go:build` line (if any, before the package clause) holds.
pub fn constraint_holds(src: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&src[..src.len().min(4096)]);
    for line in text.lines() {
        let l = line.trim();
        if let Some(e) = l.strip_prefix("//go:build ") {
            return build_expr_holds(e);
        }
        if l.starts_with("package ") {
            break;
        }
    }
    true
}

/// The `.go` files of `dir` that belong to a linux/amd64 build, sorted by name.
pub fn package_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(name_matches)
        })
        .collect();
    out.sort();
    out.retain(|p| {
        std::fs::read(p)
            .map(|s| constraint_holds(&s) && !uses_cgo(&s))
            .unwrap_or(false)
    });
    out
}

fn uses_cgo(src: &[u8]) -> bool {
    // Only an import at the start of a line counts: go/printer and go/types mention
    // `import "C"` in strings and comments.
    src.split(|&b| b == b'\n').any(|l| {
        let l = l.trim_ascii_end();
        l == b"import \"C\"" || l == b"\t\"C\""
    })
}

/// An importer over `<root>/src`, caching parsed packages.
pub struct GorootImporter {
    root: PathBuf,
    /// A GOPATH-style tree (`<gopath>/src/<import path>`) searched after GOROOT, such as
    /// Debian's `/usr/share/gocode`.
    gopath: Option<PathBuf>,
    cache: Mutex<HashMap<String, Option<Arc<SourcePackage>>>>,
}

impl GorootImporter {
    pub fn new(root: impl Into<PathBuf>) -> GorootImporter {
        GorootImporter {
            root: root.into(),
            gopath: None,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Also imports from `<gopath>/src`.
    pub fn with_gopath(mut self, gopath: impl Into<PathBuf>) -> GorootImporter {
        self.gopath = Some(gopath.into());
        self
    }

    /// Parses the files of directory `dir` as package `path`.
    pub fn parse_dir(path: &str, files: &[PathBuf]) -> SourcePackage {
        Self::read_dir_with(path, files, racelens_syntax::parse)
    }

    /// Like `parse_dir`, for an imported package: declarations only, function bodies skipped
    /// (the type checker reads only the declarations of imported packages).
    pub fn parse_dir_declarations(path: &str, files: &[PathBuf]) -> SourcePackage {
        Self::read_dir_with(path, files, racelens_syntax::parse_declarations)
    }

    fn read_dir_with(
        path: &str,
        files: &[PathBuf],
        parse: fn(&[u8]) -> (racelens_syntax::File, Vec<racelens_syntax::SyntaxError>),
    ) -> SourcePackage {
        let mut parsed = Vec::new();
        for p in files {
            if let Ok(src) = std::fs::read(p) {
                parsed.push(parse(&src).0);
            }
        }
        SourcePackage {
            path: path.to_string(),
            files: parsed,
        }
    }
}

impl Importer for GorootImporter {
    fn import(&self, path: &str, from_dir: &Path) -> Option<Arc<SourcePackage>> {
        // GOROOT's vendor tree serves only GOROOT's own packages (an empty `from_dir`
        // counts as GOROOT).
        let in_goroot = from_dir.as_os_str().is_empty() || from_dir.starts_with(&self.root);
        let key = if in_goroot {
            path.to_string()
        } else {
            format!("gopath:{path}")
        };
        if let Some(p) = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return p.clone();
        }
        // GOROOT's own dependencies live in src/vendor; go/types names them by their
        // vendor path (`vendor/golang.org/x/net/...`), and so does the package here.
        let mut dir = self.root.join("src").join(path);
        let mut real = path.to_string();
        if !dir.is_dir() && in_goroot {
            dir = self.root.join("src/vendor").join(path);
            real = format!("vendor/{path}");
        }
        if !dir.is_dir() {
            if let Some(gp) = &self.gopath {
                dir = gp.join("src").join(path);
                real = path.to_string();
            }
        }
        let files = package_files(&dir);
        let pkg = if files.is_empty() {
            None
        } else {
            Some(Arc::new(GorootImporter::parse_dir_declarations(
                &real, &files,
            )))
        };
        let mut c = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        c.entry(key).or_insert(pkg).clone()
    }
}
