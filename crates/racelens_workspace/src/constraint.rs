//! Build constraints as the go command evaluates them: `//go:build` expressions, legacy
//! `// +build` lines, `_GOOS_GOARCH` file-name suffixes, the file header rules of go/build,
//! and generated-file detection; all from the file's bytes, without the parser.

use crate::version::{GoVersion, LATEST_GO};

/// Every GOOS the go command has ever known; a file-name suffix is a constraint only
/// when it names one of these (so `foo_linux.go` is constrained but `foo_bar.go` is not).
pub const KNOWN_OS: &[&str] = &[
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
    "wasip1",
    "windows",
    "zos",
];

/// The GOOS values matched by the `unix` build tag (not used for file names).
pub const UNIX_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "linux",
    "netbsd",
    "openbsd",
    "solaris",
];

/// Every GOARCH the go command has ever known, for file-name suffixes.
pub const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

/// The build configuration files are selected for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub goos: String,
    pub goarch: String,
    /// Custom tags, as given to `go build -tags`.
    pub tags: Vec<String>,
    /// Whether the `cgo` tag is satisfied; off by default because racelens never runs cgo.
    pub cgo: bool,
    /// The toolchain release whose `go1.N` release tags are satisfied (`go1.1` up to it).
    pub release: GoVersion,
}

impl Default for Target {
    fn default() -> Target {
        Target {
            goos: "linux".to_string(),
            goarch: "amd64".to_string(),
            tags: Vec::new(),
            cgo: false,
            release: LATEST_GO,
        }
    }
}

impl Target {
    /// Reports whether a single build tag is satisfied, following go/build's matchTag.
    pub fn matches_tag(&self, name: &str) -> bool {
        if name == "cgo" {
            return self.cgo;
        }
        if name == self.goos || name == self.goarch || name == "gc" {
            return true;
        }
        // Derived operating systems satisfy their parent's tag.
        let parent = match self.goos.as_str() {
            "android" => "linux",
            "illumos" => "solaris",
            "ios" => "darwin",
            _ => "",
        };
        if name == parent {
            return true;
        }
        if name == "unix" && UNIX_OS.contains(&self.goos.as_str()) {
            return true;
        }
        // The default microarchitecture level is a tool tag (GOAMD64=v1).
        if self.goarch == "amd64" && name == "amd64.v1" {
            return true;
        }
        // The register-ABI experiments are on by default where that ABI exists.
        if matches!(
            name,
            "goexperiment.regabiwrappers" | "goexperiment.regabiargs"
        ) && matches!(
            self.goarch.as_str(),
            "amd64" | "arm64" | "ppc64" | "ppc64le" | "riscv64" | "loong64"
        ) {
            return true;
        }
        if self.tags.iter().any(|t| t == name) {
            return true;
        }
        if let Some(minor) = name.strip_prefix("go1.") {
            // Release tags are go1.1 through the target release, spelled without
            // leading zeros.
            if let Ok(n) = minor.parse::<u32>() {
                return n >= 1
                    && n <= self.release.minor
                    && self.release.major == 1
                    && minor == n.to_string();
            }
        }
        false
    }

    /// Evaluates the tags implied by a file name (`x_linux.go`, `x_windows_arm64_test.go`);
    /// returns the suffix that excludes the file, if any.
    pub fn file_name_excludes(&self, file_name: &str) -> Option<String> {
        let tags = file_name_tags(file_name);
        if tags.iter().all(|t| self.matches_tag(t)) {
            None
        } else {
            Some(format!("_{}", tags.join("_")))
        }
    }
}

/// The GOOS and/or GOARCH a file name constrains to, following go/build's goodOSArchFile:
/// everything up to the first `_` is ignored, a trailing `_test` is dropped, and then the
/// last one or two elements count when they are known GOOS/GOARCH values.
pub fn file_name_tags(file_name: &str) -> Vec<&str> {
    let stem = file_name.split('.').next().unwrap_or("");
    let Some(i) = stem.find('_') else {
        return Vec::new();
    };
    let mut parts: Vec<&str> = stem[i..].split('_').collect();
    if parts.last() == Some(&"test") {
        parts.pop();
    }
    let n = parts.len();
    if n >= 2 && KNOWN_OS.contains(&parts[n - 2]) && KNOWN_ARCH.contains(&parts[n - 1]) {
        return vec![parts[n - 2], parts[n - 1]];
    }
    if n >= 1 && (KNOWN_OS.contains(&parts[n - 1]) || KNOWN_ARCH.contains(&parts[n - 1])) {
        return vec![parts[n - 1]];
    }
    Vec::new()
}

/// A build constraint expression, as go/build/constraint.Expr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Tag(String),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    pub fn eval(&self, ok: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Expr::Tag(t) => ok(t),
            Expr::Not(x) => !x.eval(ok),
            Expr::And(x, y) => x.eval(ok) && y.eval(ok),
            Expr::Or(x, y) => x.eval(ok) || y.eval(ok),
        }
    }

    /// The minimum Go version the expression implies (constraint.GoVersion): `go1.18 &&
    /// linux` implies 1.18, `go1.18 || go1.20` implies 1.18, `!go1.18` or `linux || go1.20`
    /// imply none.
    pub fn min_go_version(&self) -> Option<GoVersion> {
        let v = min_version(self, true);
        (v >= 0).then(|| GoVersion::new(1, v as u32))
    }
}

fn min_version(x: &Expr, positive: bool) -> i64 {
    match x {
        Expr::And(a, b) | Expr::Or(a, b) => {
            let (va, vb) = (min_version(a, positive), min_version(b, positive));
            // AND of minimum versions is their max, OR is their min; negation swaps them.
            if matches!(x, Expr::And(..)) == positive {
                va.max(vb)
            } else {
                va.min(vb)
            }
        }
        Expr::Not(a) => min_version(a, !positive),
        Expr::Tag(t) => {
            if !positive {
                return -1;
            }
            if t == "go1" {
                return 0;
            }
            match t.strip_prefix("go1.").map(str::parse::<u32>) {
                Some(Ok(n)) => i64::from(n),
                _ => -1,
            }
        }
    }
}

/// A syntax error in a `//go:build` expression; `offset` is into the expression text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub offset: usize,
    pub message: String,
}

/// Returns the expression text of a `//go:build` line, or None when the line is not one.
pub fn split_go_build(line: &str) -> Option<&str> {
    let line = line.trim();
    let rest = line.strip_prefix("//go:build")?;
    let trimmed = rest.trim();
    // `//go:buildx` is not a build line; `//go:build` alone is (and fails to parse).
    if !rest.is_empty() && rest.len() == trimmed.len() {
        return None;
    }
    Some(trimmed)
}

/// Returns the text of a `// +build` line, or None when the line is not one.
pub fn split_plus_build(line: &str) -> Option<&str> {
    let rest = line.trim().strip_prefix("//")?.trim();
    let rest = rest.strip_prefix("+build")?;
    let trimmed = rest.trim();
    if !rest.is_empty() && rest.len() == trimmed.len() {
        return None;
    }
    Some(trimmed)
}

/// How many terms (tags, negations, parenthesised groups) a `//go:build` expression may
/// have, as in go/build/constraint since Go 1.22.7: a limit on the parser's recursion, and
/// on that of the evaluation and of dropping the tree.
const MAX_GO_BUILD_SIZE: usize = 1000;

/// How many `,` and space operators a `// +build` line may have (go/build/constraint's
/// `maxOldSize`).
const MAX_PLUS_BUILD_SIZE: usize = 100;

/// Parses a `//go:build` expression: `!`, `&&`, `||`, parentheses; `!` binds tightest,
/// then `&&`, then `||`; `!!x` is rejected as in the go command, and so is an expression of
/// more than [`MAX_GO_BUILD_SIZE`] terms ("build expression too large").
pub fn parse_go_build_expr(text: &str) -> Result<Expr, ExprError> {
    let mut p = ExprParser {
        s: text,
        i: 0,
        tok: "",
        is_tag: false,
        pos: 0,
        size: 0,
    };
    let x = p.or()?;
    if !p.tok.is_empty() {
        return Err(p.error(p.pos, format!("unexpected token {}", p.tok)));
    }
    Ok(x)
}

struct ExprParser<'a> {
    s: &'a str,
    i: usize,
    tok: &'a str,
    is_tag: bool,
    pos: usize,
    /// Terms parsed so far (see [`MAX_GO_BUILD_SIZE`]).
    size: usize,
}

impl<'a> ExprParser<'a> {
    fn error(&self, offset: usize, message: String) -> ExprError {
        ExprError { offset, message }
    }

    fn or(&mut self) -> Result<Expr, ExprError> {
        let mut x = self.and()?;
        while self.tok == "||" {
            let y = self.and()?;
            x = Expr::Or(Box::new(x), Box::new(y));
        }
        Ok(x)
    }

    fn and(&mut self) -> Result<Expr, ExprError> {
        let mut x = self.not()?;
        while self.tok == "&&" {
            let y = self.not()?;
            x = Expr::And(Box::new(x), Box::new(y));
        }
        Ok(x)
    }

    fn not(&mut self) -> Result<Expr, ExprError> {
        self.size += 1;
        if self.size > MAX_GO_BUILD_SIZE {
            return Err(self.error(self.pos, "build expression too large".into()));
        }
        self.lex()?;
        if self.tok == "!" {
            self.lex()?;
            if self.tok == "!" {
                return Err(self.error(self.pos, "double negation not allowed".into()));
            }
            return Ok(Expr::Not(Box::new(self.atom()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, ExprError> {
        if self.tok == "(" {
            let open = self.pos;
            let x = match self.or() {
                Err(e) if e.message == "unexpected end of expression" => {
                    return Err(self.error(open, "missing close paren".into()))
                }
                other => other?,
            };
            if self.tok != ")" {
                return Err(self.error(open, "missing close paren".into()));
            }
            self.lex()?;
            return Ok(x);
        }
        if !self.is_tag {
            if self.tok.is_empty() {
                return Err(self.error(self.pos, "unexpected end of expression".into()));
            }
            return Err(self.error(self.pos, format!("unexpected token {}", self.tok)));
        }
        let tag = self.tok.to_string();
        self.lex()?;
        Ok(Expr::Tag(tag))
    }

    fn lex(&mut self) -> Result<(), ExprError> {
        self.is_tag = false;
        let bytes = self.s.as_bytes();
        while self.i < bytes.len() && (bytes[self.i] == b' ' || bytes[self.i] == b'\t') {
            self.i += 1;
        }
        if self.i >= bytes.len() {
            self.tok = "";
            self.pos = self.i;
            return Ok(());
        }
        match bytes[self.i] {
            b'(' | b')' | b'!' => {
                self.pos = self.i;
                self.i += 1;
                self.tok = &self.s[self.pos..self.i];
                return Ok(());
            }
            c @ (b'&' | b'|') => {
                if bytes.get(self.i + 1) != Some(&c) {
                    return Err(self.error(self.i, format!("invalid syntax at {}", c as char)));
                }
                self.pos = self.i;
                self.i += 2;
                self.tok = &self.s[self.pos..self.i];
                return Ok(());
            }
            _ => {}
        }
        let rest = &self.s[self.i..];
        let len = rest
            .char_indices()
            .find(|&(_, c)| !is_tag_char(c))
            .map_or(rest.len(), |(i, _)| i);
        if len == 0 {
            let c = rest.chars().next().unwrap_or(' ');
            return Err(self.error(self.i, format!("invalid syntax at {c}")));
        }
        self.pos = self.i;
        self.i += len;
        self.tok = &self.s[self.pos..self.i];
        self.is_tag = true;
        Ok(())
    }
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.'
}

/// Parses the text of a `// +build` line: space-separated options are ORed, comma-separated
/// terms ANDed, `!` negates; malformed terms become the never-set tag `ignore`, as in Go.
/// A line of more than [`MAX_PLUS_BUILD_SIZE`] operators is an error, as in
/// go/build/constraint since Go 1.22.7, which go/build then leaves out of the evaluation.
pub fn parse_plus_build_expr(text: &str) -> Result<Expr, ExprError> {
    let ignore = || Expr::Tag("ignore".to_string());
    let mut x: Option<Expr> = None;
    let mut size = 0;
    let mut grow = || {
        size += 1;
        if size > MAX_PLUS_BUILD_SIZE {
            return Err(ExprError {
                offset: 0,
                message: "expression too complex for // +build lines".into(),
            });
        }
        Ok(())
    };
    for clause in text.split_whitespace() {
        let mut y: Option<Expr> = None;
        for lit in clause.split(',') {
            let z = if lit.starts_with("!!") || lit == "!" {
                ignore()
            } else {
                let (neg, name) = match lit.strip_prefix('!') {
                    Some(name) => (true, name),
                    None => (false, lit),
                };
                let tag = if !name.is_empty() && name.chars().all(is_tag_char) {
                    Expr::Tag(name.to_string())
                } else {
                    ignore()
                };
                if neg {
                    Expr::Not(Box::new(tag))
                } else {
                    tag
                }
            };
            y = Some(match y {
                None => z,
                Some(y) => {
                    grow()?;
                    Expr::And(Box::new(y), Box::new(z))
                }
            });
        }
        let y = y.unwrap_or_else(ignore);
        x = Some(match x {
            None => y,
            Some(x) => {
                grow()?;
                Expr::Or(Box::new(x), Box::new(y))
            }
        });
    }
    Ok(x.unwrap_or_else(ignore))
}

/// What the header of a Go file (everything before the package clause) says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// The `//go:build` line: its 1-based line number and expression text.
    pub go_build: Option<(u32, String)>,
    /// `// +build` lines that count (those before the last blank line preceding the
    /// first non-comment line), with line numbers.
    pub plus_build: Vec<(u32, String)>,
    /// The line of a second `//go:build` line, an error in the go command.
    pub duplicate_go_build: Option<u32>,
    /// A `// Code generated ... DO NOT EDIT.` line was found before the package clause.
    pub generated: bool,
    /// The scan reached non-comment text; false means the input ended inside the header
    /// (either the file is all comments or the caller passed only a prefix of it).
    pub complete: bool,
}

/// Scans the file header with go/build's parseFileHeader rules: blank lines, `//` comments
/// and `/* */` comments are header; `//go:build` lines count anywhere in it (outside block
/// comments); `// +build` lines count only above the last blank line before the first
/// non-`//` line.
pub fn scan_header(content: &[u8]) -> Header {
    let content = content.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(content);
    let mut header = Header::default();
    // Byte offset just after the latest blank line seen before `ended`.
    let mut end = 0usize;
    let mut ended = false;
    let mut in_slash_star = false;
    let mut offset = 0usize;
    let mut line_no = 0u32;
    'lines: while offset < content.len() {
        line_no += 1;
        let raw_end =
            memchr::memchr(b'\n', &content[offset..]).map_or(content.len(), |i| offset + i);
        let raw = &content[offset..raw_end];
        offset = (raw_end + 1).min(content.len());
        let text = lossy(raw);
        let line = text.trim();
        if line.is_empty() && !ended {
            end = offset;
            continue;
        }
        if !line.starts_with("//") {
            ended = true;
        }
        if !in_slash_star {
            if let Some(expr) = split_go_build(line) {
                if header.go_build.is_some() {
                    header.duplicate_go_build.get_or_insert(line_no);
                } else {
                    header.go_build = Some((line_no, expr.to_string()));
                }
            }
        }
        if is_generated_line(&text) {
            header.generated = true;
        }
        let mut rest = line;
        while !rest.is_empty() {
            if in_slash_star {
                match rest.find("*/") {
                    Some(i) => {
                        in_slash_star = false;
                        rest = rest[i + 2..].trim();
                        continue;
                    }
                    None => continue 'lines,
                }
            }
            if rest.starts_with("//") {
                continue 'lines;
            }
            if let Some(after) = rest.strip_prefix("/*") {
                in_slash_star = true;
                rest = after.trim();
                continue;
            }
            header.complete = true;
            break 'lines;
        }
    }
    // `// +build` lines are honoured only in the region ending at the last blank line
    // before the first non-comment line; the scan above recorded that region's end.
    let region = &content[..end.min(content.len())];
    for (i, raw) in region.split(|&b| b == b'\n').enumerate() {
        // The replacement of invalid bytes never makes `+build` appear, so a line whose
        // bytes lack it is passed over without decoding it.
        if !memchr::memchr_iter(b'+', raw).any(|j| raw[j..].starts_with(b"+build")) {
            continue;
        }
        let text = lossy(raw);
        let line = text.trim();
        if !line.starts_with("//") || !line.contains("+build") {
            continue;
        }
        if let Some(expr) = split_plus_build(line) {
            header.plus_build.push((i as u32 + 1, expr.to_string()));
        }
    }
    header
}

/// The text of a line, with invalid UTF-8 replaced as `String::from_utf8_lossy` does;
/// checking validity first is much quicker on the (ASCII) lines of a usual header.
fn lossy(raw: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(raw) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(raw),
    }
}

/// Reports whether a line is a generated-code marker: `^// Code generated .* DO NOT EDIT\.$`
/// (leading indentation and a trailing carriage return are tolerated, as the Go scanner
/// drops both from comment text).
pub fn is_generated_line(line: &str) -> bool {
    let line = line.trim_start();
    let line = line.strip_suffix('\r').unwrap_or(line);
    line.strip_prefix("// Code generated ")
        .is_some_and(|rest| rest.ends_with(" DO NOT EDIT."))
}

/// Reports whether the file imports "C" (uses cgo), by reading the package clause and the
/// import declarations after the header. None means the input ended before the imports
/// did, so the caller should retry with more of the file.
pub fn imports_c(content: &[u8]) -> Option<bool> {
    let mut lx = MiniLexer { s: content, i: 0 };
    if lx.next()? != MiniToken::Ident("package") {
        return Some(false);
    }
    if !matches!(lx.next()?, MiniToken::Ident(_)) {
        return Some(false);
    }
    loop {
        match lx.next()? {
            MiniToken::Semi => continue,
            MiniToken::Ident("import") => {}
            _ => return Some(false),
        }
        match lx.next()? {
            MiniToken::Open => loop {
                match lx.next()? {
                    MiniToken::Close => break,
                    MiniToken::Str(path) if path == b"C" => return Some(true),
                    MiniToken::Other => return Some(false),
                    _ => {}
                }
            },
            MiniToken::Str(path) => {
                if path == b"C" {
                    return Some(true);
                }
            }
            MiniToken::Ident(_) | MiniToken::Dot => match lx.next()? {
                MiniToken::Str(path) if path == b"C" => return Some(true),
                MiniToken::Str(_) => {}
                _ => return Some(false),
            },
            _ => return Some(false),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum MiniToken<'a> {
    Ident(&'a str),
    /// A string literal's contents, escapes left as written.
    Str(&'a [u8]),
    Open,
    Close,
    Semi,
    Dot,
    Other,
}

/// Just enough of a Go lexer to read a package clause and import declarations.
struct MiniLexer<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> MiniLexer<'a> {
    /// The next token, or None when the input ends (possibly inside a token).
    fn next(&mut self) -> Option<MiniToken<'a>> {
        loop {
            let c = *self.s.get(self.i)?;
            if c.is_ascii_whitespace() {
                self.i += 1;
            } else if self.s[self.i..].starts_with(b"//") {
                let end = memchr::memchr(b'\n', &self.s[self.i..])?;
                self.i += end + 1;
            } else if self.s[self.i..].starts_with(b"/*") {
                let end = memchr::memmem::find(&self.s[self.i + 2..], b"*/")?;
                self.i += end + 4;
            } else {
                break;
            }
        }
        let start = self.i;
        let c = self.s[start];
        self.i += 1;
        Some(match c {
            b'(' => MiniToken::Open,
            b')' => MiniToken::Close,
            b';' => MiniToken::Semi,
            b'.' => MiniToken::Dot,
            b'"' => {
                loop {
                    match *self.s.get(self.i)? {
                        b'\\' => self.i += 2,
                        b'"' => break,
                        b'\n' => return Some(MiniToken::Other),
                        _ => self.i += 1,
                    }
                }
                self.i += 1;
                MiniToken::Str(&self.s[start + 1..self.i - 1])
            }
            b'`' => {
                let end = self.s[self.i..].iter().position(|&b| b == b'`')?;
                self.i += end + 1;
                MiniToken::Str(&self.s[start + 1..self.i - 1])
            }
            c if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 => {
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|&b| b == b'_' || b.is_ascii_alphanumeric() || b >= 0x80)
                {
                    self.i += 1;
                }
                if self.i == self.s.len() {
                    // The identifier may continue past the end of the input.
                    return None;
                }
                MiniToken::Ident(std::str::from_utf8(&self.s[start..self.i]).unwrap_or(""))
            }
            _ => MiniToken::Other,
        })
    }
}

/// The outcome of evaluating a file's constraints for a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// Why the file is excluded (`file name suffix _windows`, `//go:build windows`,
    /// `// +build windows`), or None when it is built for the target.
    pub excluded_by: Option<String>,
    /// The constraint text that was evaluated: the `//go:build` expression, or the
    /// `// +build` lines joined by ` ; `, or None.
    pub constraint: Option<String>,
    /// The minimum Go version the `//go:build` line implies (`go1.N`).
    pub go_version_pin: Option<GoVersion>,
    /// A malformed `//go:build` line or a duplicate one: line and message. The go command
    /// refuses such a file; racelens excludes it and reports the problem.
    pub error: Option<(u32, String)>,
}

/// Evaluates the file name and header of one file for a target, as go/build does.
pub fn evaluate(file_name: &str, header: &Header, target: &Target) -> Evaluation {
    let mut ev = Evaluation {
        excluded_by: target
            .file_name_excludes(file_name)
            .map(|s| format!("file name suffix {s}")),
        constraint: None,
        go_version_pin: None,
        error: None,
    };
    let ok = |t: &str| target.matches_tag(t);
    if let Some(line) = header.duplicate_go_build {
        ev.error = Some((line, "multiple //go:build comments".to_string()));
    }
    if let Some((line, text)) = &header.go_build {
        ev.constraint = Some(text.clone());
        match parse_go_build_expr(text) {
            Ok(x) => {
                ev.go_version_pin = x.min_go_version();
                if !x.eval(&ok) && ev.excluded_by.is_none() {
                    ev.excluded_by = Some(format!("//go:build {text}"));
                }
            }
            Err(e) => {
                ev.error
                    .get_or_insert((*line, format!("parsing //go:build line: {}", e.message)));
            }
        }
    } else if !header.plus_build.is_empty() {
        let texts: Vec<&str> = header.plus_build.iter().map(|(_, t)| t.as_str()).collect();
        ev.constraint = Some(texts.join(" ; "));
        for text in texts {
            // A line that does not parse (too long) constrains nothing, as in go/build.
            let Ok(x) = parse_plus_build_expr(text) else {
                continue;
            };
            if !x.eval(&ok) && ev.excluded_by.is_none() {
                ev.excluded_by = Some(format!("// +build {text}"));
            }
        }
    }
    ev
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Target {
        Target::default()
    }

    fn eval_go_build(text: &str, t: &Target) -> bool {
        parse_go_build_expr(text)
            .unwrap()
            .eval(&|tag| t.matches_tag(tag))
    }

    #[test]
    fn go_build_grammar_and_precedence() {
        let t = target();
        assert!(eval_go_build("linux", &t));
        assert!(!eval_go_build("windows", &t));
        assert!(eval_go_build("!windows", &t));
        assert!(eval_go_build("linux && amd64", &t));
        assert!(!eval_go_build("linux && arm64", &t));
        assert!(eval_go_build("windows || linux", &t));
        // && binds tighter than ||: windows || (linux && amd64).
        assert!(eval_go_build("windows || linux && amd64", &t));
        assert!(!eval_go_build("(windows || linux) && arm64", &t));
        assert!(eval_go_build("!(windows || darwin)", &t));
        assert!(!eval_go_build("!linux || windows", &t));
        assert!(eval_go_build("unix && !cgo && gc", &t));
        assert!(eval_go_build("go1.1 && go1.21 && go1.26", &t));
        assert!(!eval_go_build("go1.27", &t));
        assert!(!eval_go_build("integration", &t));
        let tagged = Target {
            tags: vec!["integration".into()],
            ..target()
        };
        assert!(eval_go_build("integration", &tagged));
    }

    #[test]
    fn go_build_syntax_errors() {
        let err = |s: &str| parse_go_build_expr(s).unwrap_err().message;
        assert_eq!(err(""), "unexpected end of expression");
        assert_eq!(err("linux &&"), "unexpected end of expression");
        assert_eq!(err("(linux"), "missing close paren");
        assert_eq!(err("linux)"), "unexpected token )");
        assert_eq!(err("!!linux"), "double negation not allowed");
        assert_eq!(err("linux & amd64"), "invalid syntax at &");
        assert_eq!(err("linux,amd64"), "invalid syntax at ,");
        assert_eq!(err("linux amd64"), "unexpected token amd64");
    }

    #[test]
    fn plus_build_lines() {
        let t = target();
        let ev = |s: &str| {
            parse_plus_build_expr(s)
                .unwrap()
                .eval(&|tag| t.matches_tag(tag))
        };
        assert!(ev("linux darwin"));
        assert!(ev("windows linux,amd64"));
        assert!(!ev("linux,!amd64"));
        assert!(!ev("!!linux"));
        assert!(!ev("bad-tag"));
        assert!(ev("!bad-tag"));
        assert!(!ev(""));
    }

    /// Expressions past go/build/constraint's limits are errors, not a recursion as deep as
    /// the line is long (100,000 parentheses overflowed the stack), and a `// +build` line
    /// past its limit constrains nothing.
    #[test]
    fn expressions_past_the_limits() {
        let terms = |n: usize| vec!["linux"; n].join(" && ");
        assert!(parse_go_build_expr(&terms(MAX_GO_BUILD_SIZE)).is_ok());
        let err = |s: &str| parse_go_build_expr(s).unwrap_err().message;
        assert_eq!(
            err(&terms(MAX_GO_BUILD_SIZE + 1)),
            "build expression too large"
        );
        let n = 100_000;
        let parens = format!("{}linux{}", "(".repeat(n), ")".repeat(n));
        assert_eq!(err(&parens), "build expression too large");
        let nested = format!("{}linux{}", "(".repeat(500), ")".repeat(500));
        assert!(parse_go_build_expr(&nested).is_ok());
        // `// +build`: 100 operators at most (here 50 ORs of two ANDed terms, 100 in all).
        let options = |n: usize| vec!["windows,amd64"; n].join(" ");
        let t = target();
        assert!(!parse_plus_build_expr(&options(50))
            .unwrap()
            .eval(&|tag| t.matches_tag(tag)));
        assert_eq!(
            parse_plus_build_expr(&options(51)).unwrap_err().message,
            "expression too complex for // +build lines"
        );
        let src = format!("// +build {}\n\npackage p\n", options(50_000));
        let ev = evaluate("a.go", &scan_header(src.as_bytes()), &t);
        assert_eq!((ev.excluded_by, ev.error), (None, None));
        let src = format!("// +build {}\n\npackage p\n", options(50));
        let ev = evaluate("a.go", &scan_header(src.as_bytes()), &t);
        assert!(ev.excluded_by.is_some());
    }

    #[test]
    fn unix_and_derived_os() {
        let android = Target {
            goos: "android".into(),
            goarch: "arm64".into(),
            ..target()
        };
        assert!(android.matches_tag("linux"));
        assert!(android.matches_tag("unix"));
        let windows = Target {
            goos: "windows".into(),
            ..target()
        };
        assert!(!windows.matches_tag("unix"));
        assert!(!target().matches_tag("cgo"));
        assert!(Target {
            cgo: true,
            ..target()
        }
        .matches_tag("cgo"));
        assert!(!target().matches_tag("go1.01"));
        assert!(!target().matches_tag("go1.0"));
    }

    #[test]
    fn file_name_suffixes() {
        assert_eq!(file_name_tags("foo_linux.go"), ["linux"]);
        assert_eq!(file_name_tags("foo_bar.go"), Vec::<&str>::new());
        assert_eq!(file_name_tags("linux.go"), Vec::<&str>::new());
        assert_eq!(
            file_name_tags("foo_windows_arm64_test.go"),
            ["windows", "arm64"]
        );
        assert_eq!(file_name_tags("foo_amd64_test.go"), ["amd64"]);
        assert_eq!(file_name_tags("foo_linux_bar.go"), Vec::<&str>::new());
        // An OS after an arch is not a pair, but the last element still counts.
        assert_eq!(file_name_tags("x_amd64_linux.go"), ["linux"]);
        let t = target();
        assert_eq!(t.file_name_excludes("a_linux_amd64.go"), None);
        assert_eq!(t.file_name_excludes("a_unix.go"), None);
        assert_eq!(
            t.file_name_excludes("a_windows.go").as_deref(),
            Some("_windows")
        );
        assert_eq!(
            t.file_name_excludes("a_linux_arm64.go").as_deref(),
            Some("_linux_arm64")
        );
    }

    #[test]
    fn header_rules() {
        let h = scan_header(b"// Copyright\n\n//go:build linux\n\npackage p\n//go:build windows\n");
        assert_eq!(h.go_build, Some((3, "linux".into())));
        assert!(h.complete);
        // A //go:build line after the package clause does not count.
        let h = scan_header(b"package p\n\n//go:build windows\n");
        assert_eq!(h.go_build, None);
        // Inside a block comment it does not count either, but after one it does.
        let h = scan_header(b"/*\n//go:build windows\n*/\n//go:build linux\npackage p\n");
        assert_eq!(h.go_build, Some((4, "linux".into())));
        let h = scan_header(b"//go:build a\n//go:build b\npackage p\n");
        assert_eq!(h.duplicate_go_build, Some(2));
        // +build lines must be followed by a blank line before the package clause.
        let h = scan_header(b"// +build windows\npackage p\n");
        assert!(h.plus_build.is_empty());
        let h = scan_header(b"// +build windows\n\npackage p\n");
        assert_eq!(h.plus_build, [(1, "windows".to_string())]);
        // ... and they stop counting after a block comment line.
        let h = scan_header(b"/* x */\n// +build windows\n\npackage p\n");
        assert!(h.plus_build.is_empty());
        let h = scan_header(b"\xEF\xBB\xBF//go:build linux\npackage p\n");
        assert_eq!(h.go_build, Some((1, "linux".into())));
    }

    #[test]
    fn generated_marker() {
        assert!(is_generated_line(
            "// Code generated by stringer; DO NOT EDIT."
        ));
        assert!(is_generated_line("// Code generated by x. DO NOT EDIT.\r"));
        assert!(!is_generated_line("// Code generated by x. DO NOT EDIT"));
        assert!(!is_generated_line("// Code generated by x. DO NOT EDIT. "));
        assert!(!is_generated_line("// code generated by x. DO NOT EDIT."));
        assert!(!is_generated_line("// Code generated DO NOT EDIT."));
        let h = scan_header(b"// Code generated by x. DO NOT EDIT.\n\npackage p\n");
        assert!(h.generated);
        let h = scan_header(b"package p\n\n// Code generated by x. DO NOT EDIT.\n");
        assert!(!h.generated);
    }

    #[test]
    fn precedence_of_go_build_over_plus_build() {
        let t = target();
        let h = scan_header(b"//go:build linux\n// +build windows\n\npackage p\n");
        let ev = evaluate("a.go", &h, &t);
        assert_eq!(ev.excluded_by, None);
        assert_eq!(ev.constraint.as_deref(), Some("linux"));
        let h = scan_header(b"// +build windows\n// +build amd64\n\npackage p\n");
        let ev = evaluate("a.go", &h, &t);
        assert_eq!(ev.excluded_by.as_deref(), Some("// +build windows"));
        // Several +build lines are ANDed.
        let h = scan_header(b"// +build linux\n// +build arm64\n\npackage p\n");
        let ev = evaluate("a.go", &h, &t);
        assert_eq!(ev.excluded_by.as_deref(), Some("// +build arm64"));
        let h = scan_header(b"//go:build linux\npackage p\n");
        let ev = evaluate("a_windows.go", &h, &t);
        assert_eq!(ev.excluded_by.as_deref(), Some("file name suffix _windows"));
        let h = scan_header(b"//go:build linux &&\npackage p\n");
        let ev = evaluate("a.go", &h, &t);
        assert_eq!(
            ev.error,
            Some((
                1,
                "parsing //go:build line: unexpected end of expression".into()
            ))
        );
    }

    #[test]
    fn cgo_imports() {
        let c = |s: &str| imports_c(s.as_bytes());
        assert_eq!(c("package p\nimport \"C\"\n"), Some(true));
        assert_eq!(
            c("// x\npackage p; import (\n\t\"fmt\"\n\t/* c */ \"C\"\n)\n"),
            Some(true)
        );
        assert_eq!(
            c("package p\n\n/*\n#include <stdio.h>\n*/\nimport \"C\"\n"),
            Some(true)
        );
        assert_eq!(c("package p\nimport \"fmt\"\nimport `C`\n"), Some(true));
        assert_eq!(c("package p\nimport \"fmt\"\nfunc f() {}\n"), Some(false));
        assert_eq!(c("package p\nimport x \"C/y\"\nvar C = 1\n"), Some(false));
        assert_eq!(c("package p\nimport (\n\"fmt\""), None);
        assert_eq!(c("package p\nimport \"fmt\"\n/* long"), None);
    }

    /// The header scan as it was before it split lines with `memchr`, decoded them only
    /// when needed and looked for `+build` in bytes: the reference the faster scan must
    /// agree with.
    mod reference {
        use super::super::{is_generated_line, split_go_build, split_plus_build, Header};

        pub fn scan_header(content: &[u8]) -> Header {
            let content = content.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(content);
            let mut header = Header::default();
            // Byte offset just after the latest blank line seen before `ended`.
            let mut end = 0usize;
            let mut ended = false;
            let mut in_slash_star = false;
            let mut offset = 0usize;
            let mut line_no = 0u32;
            'lines: while offset < content.len() {
                line_no += 1;
                let raw_end = content[offset..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(content.len(), |i| offset + i);
                let raw = &content[offset..raw_end];
                offset = (raw_end + 1).min(content.len());
                let text = String::from_utf8_lossy(raw);
                let line = text.trim();
                if line.is_empty() && !ended {
                    end = offset;
                    continue;
                }
                if !line.starts_with("//") {
                    ended = true;
                }
                if !in_slash_star {
                    if let Some(expr) = split_go_build(line) {
                        if header.go_build.is_some() {
                            header.duplicate_go_build.get_or_insert(line_no);
                        } else {
                            header.go_build = Some((line_no, expr.to_string()));
                        }
                    }
                }
                if is_generated_line(&text) {
                    header.generated = true;
                }
                let mut rest = line;
                while !rest.is_empty() {
                    if in_slash_star {
                        match rest.find("*/") {
                            Some(i) => {
                                in_slash_star = false;
                                rest = rest[i + 2..].trim();
                                continue;
                            }
                            None => continue 'lines,
                        }
                    }
                    if rest.starts_with("//") {
                        continue 'lines;
                    }
                    if let Some(after) = rest.strip_prefix("/*") {
                        in_slash_star = true;
                        rest = after.trim();
                        continue;
                    }
                    header.complete = true;
                    break 'lines;
                }
            }
            // `// +build` lines are honoured only in the region ending at the last blank line
            // before the first non-comment line; the scan above recorded that region's end.
            let region = &content[..end.min(content.len())];
            for (i, raw) in region.split(|&b| b == b'\n').enumerate() {
                let text = String::from_utf8_lossy(raw);
                let line = text.trim();
                if !line.starts_with("//") || !line.contains("+build") {
                    continue;
                }
                if let Some(expr) = split_plus_build(line) {
                    header.plus_build.push((i as u32 + 1, expr.to_string()));
                }
            }
            header
        }
    }

    /// Every `.go` file under `root`, walked with an explicit stack.
    fn go_files(root: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        let mut dirs = vec![root.to_path_buf()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let entry = entry.unwrap();
                let kind = entry.file_type().unwrap();
                if kind.is_dir() {
                    dirs.push(entry.path());
                } else if kind.is_file() && entry.file_name().to_string_lossy().ends_with(".go") {
                    files.push(entry.path());
                }
            }
        }
        files.sort();
        files
    }

    #[test]
    fn header_scan_agrees_with_the_reference() {
        let tricky: &[&[u8]] = &[
            b"",
            b"\n\n",
            b"// +build linux\n\npackage p\n",
            b"//+build linux\n\npackage p\n",
            b"// foo +build linux\n\npackage p\n",
            b"// +buildx\n// +build\n\npackage p\n",
            b"\xff// +build linux\n\npackage p\n",
            b"// +build \xfflinux\n\npackage p\n",
            b"// caf\xc3\xa9 +build\n// +build a,b !c\n\n//go:build a\npackage p\n",
            b"\xEF\xBB\xBF// +build linux\r\n\r\npackage p\r\n",
            b"/* +build\n// +build x */\n// +build y\n\npackage p\n",
            b"// Code generated by x. DO NOT EDIT.\n// +build z",
            b"// +build a\n//go:build a\n//go:build b\n\npackage p",
        ];
        for &text in tricky {
            assert_eq!(
                scan_header(text),
                reference::scan_header(text),
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
        let root = std::path::Path::new("/usr/lib/go-1.19/src");
        assert!(
            root.join("go.mod").is_file(),
            "{} is missing: install the golang-1.19-src Debian package to run this test",
            root.display()
        );
        let files = go_files(root);
        assert!(files.len() > 5000, "{} Go files", files.len());
        for path in files {
            let content = std::fs::read(&path).unwrap();
            for text in [&content[..], &content[..content.len().min(8192)]] {
                assert_eq!(
                    scan_header(text),
                    reference::scan_header(text),
                    "{}",
                    path.display()
                );
            }
        }
    }

    #[test]
    fn minimum_go_version() {
        let v = |s: &str| parse_go_build_expr(s).unwrap().min_go_version();
        assert_eq!(v("go1.18 && linux"), Some(GoVersion::new(1, 18)));
        assert_eq!(v("go1.18 || go1.20"), Some(GoVersion::new(1, 18)));
        assert_eq!(
            v("go1.22 && (go1.18 || go1.23)"),
            Some(GoVersion::new(1, 22))
        );
        assert_eq!(v("linux || go1.20"), None);
        assert_eq!(v("!go1.18"), None);
        assert_eq!(v("!(!go1.18)"), Some(GoVersion::new(1, 18)));
        assert_eq!(v("linux"), None);
        assert_eq!(v("go1"), Some(GoVersion::new(1, 0)));
    }
}
