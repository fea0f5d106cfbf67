//! go.mod and go.work parsing with the grammar of golang.org/x/mod/modfile: lines of
//! tokens, `verb ( ... )` blocks, `//` comments, quoted and raw strings; only the
//! directives discovery needs are interpreted, the others are checked for shape.

use crate::version::GoVersion;

/// An error in a go.mod or go.work file at a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModError {
    pub line: u32,
    pub message: String,
}

/// What racelens needs from a go.mod file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoMod {
    /// The module path, when a well-formed `module` directive is present.
    pub module: Option<String>,
    /// The `go` directive: the module's language version.
    pub go: Option<GoVersion>,
    /// The `toolchain` directive's value, e.g. `go1.22.1` or `default`.
    pub toolchain: Option<String>,
    /// `require` directives: module path and version, in file order.
    pub requires: Vec<(String, String)>,
    /// `replace` directives, in file order.
    pub replaces: Vec<Replace>,
}

/// A `replace` directive: `old [version] => new [version]`. A replacement without a
/// version is a local directory (relative to the file's directory, or absolute).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replace {
    pub old_path: String,
    /// None replaces every version of `old_path`.
    pub old_version: Option<String>,
    pub new_path: String,
    /// None when `new_path` is a directory.
    pub new_version: Option<String>,
}

/// Parses the arguments of a `replace` directive (after the verb).
fn parse_replace(args: &[String]) -> Option<Replace> {
    let arrow = args.iter().position(|a| a == "=>")?;
    let (old, new) = (&args[..arrow], &args[arrow + 1..]);
    if !(1..=2).contains(&old.len()) || !(1..=2).contains(&new.len()) {
        return None;
    }
    Some(Replace {
        old_path: old[0].clone(),
        old_version: old.get(1).cloned(),
        new_path: new[0].clone(),
        new_version: new.get(1).cloned(),
    })
}

/// What racelens needs from a go.work file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoWork {
    pub go: Option<GoVersion>,
    pub toolchain: Option<String>,
    /// `use` directives: the directory as written and its line.
    pub uses: Vec<(String, u32)>,
    /// `replace` directives, which override those of the used modules' go.mod files.
    pub replaces: Vec<Replace>,
}

/// One logical line of tokens, with the block verb it sits in (if any).
struct Stmt {
    line: u32,
    block: Option<String>,
    tokens: Vec<String>,
}

/// Parses a go.mod file; errors do not stop parsing, so a file with a bad `require` still
/// yields its module path and go version.
pub fn parse_go_mod(text: &str) -> (GoMod, Vec<ModError>) {
    let (stmts, mut errors) = statements(text);
    let mut m = GoMod::default();
    let mut module_line = None;
    let mut go_line = None;
    let mut toolchain_line = None;
    for s in &stmts {
        let verb = s.block.as_deref().unwrap_or(&s.tokens[0]);
        let args = if s.block.is_some() {
            &s.tokens[..]
        } else {
            &s.tokens[1..]
        };
        let mut err = |message: String| {
            errors.push(ModError {
                line: s.line,
                message,
            })
        };
        let blockable = matches!(
            verb,
            "require" | "exclude" | "replace" | "retract" | "godebug" | "tool" | "ignore"
        );
        if s.block.is_some() && !blockable {
            err(format!("{verb} directive cannot be used in a block"));
            continue;
        }
        match verb {
            "module" => {
                if module_line.is_some() {
                    err("repeated module statement".into());
                } else if args.len() != 1 {
                    err("usage: module module/path".into());
                } else {
                    module_line = Some(s.line);
                    m.module = Some(args[0].clone());
                }
            }
            "go" => {
                if go_line.is_some() {
                    err("repeated go statement".into());
                } else if args.len() != 1 {
                    err("go directive expects exactly one argument".into());
                } else {
                    go_line = Some(s.line);
                    match parse_go_directive(&args[0]) {
                        Some(v) => m.go = Some(v),
                        None => err(format!(
                            "invalid go version '{}': must match format 1.23.0",
                            args[0]
                        )),
                    }
                }
            }
            "toolchain" => {
                if toolchain_line.is_some() {
                    err("repeated toolchain statement".into());
                } else if args.len() != 1 {
                    err("toolchain directive expects exactly one argument".into());
                } else if !valid_toolchain(&args[0]) {
                    err(format!(
                        "invalid toolchain version '{}': must match format go1.23.0 or default",
                        args[0]
                    ));
                } else {
                    toolchain_line = Some(s.line);
                    m.toolchain = Some(args[0].clone());
                }
            }
            "require" | "exclude" if args.len() != 2 => {
                err(format!("usage: {verb} module/path v1.2.3"));
            }
            "replace" if !args.iter().any(|a| a == "=>") => {
                err("usage: replace module/path [v1.2.3] => other/module v1.4 or replace module/path [v1.2.3] => ../local/directory".into());
            }
            "retract" if args.is_empty() => err("usage: retract version".into()),
            "godebug" if args.len() != 1 || !args[0].contains('=') => {
                err("usage: godebug key=value".into());
            }
            "tool" | "ignore" if args.len() != 1 => err(format!("usage: {verb} path")),
            "require" => m.requires.push((args[0].clone(), args[1].clone())),
            "replace" => match parse_replace(args) {
                Some(r) => m.replaces.push(r),
                None => err("usage: replace module/path [v1.2.3] => other/module v1.4 or replace module/path [v1.2.3] => ../local/directory".into()),
            },
            "exclude" | "retract" | "godebug" | "tool" | "ignore" => {}
            other => err(format!("unknown directive: {other}")),
        }
    }
    if module_line.is_none() && !errors.iter().any(|e| e.message.contains("module")) {
        errors.push(ModError {
            line: 1,
            message: "missing module declaration".into(),
        });
    }
    errors.sort_by_key(|e| e.line);
    (m, errors)
}

/// Parses a go.work file.
pub fn parse_go_work(text: &str) -> (GoWork, Vec<ModError>) {
    let (stmts, mut errors) = statements(text);
    let mut w = GoWork::default();
    let mut seen_go = false;
    let mut seen_toolchain = false;
    for s in &stmts {
        let verb = s.block.as_deref().unwrap_or(&s.tokens[0]);
        let args = if s.block.is_some() {
            &s.tokens[..]
        } else {
            &s.tokens[1..]
        };
        let mut err = |message: String| {
            errors.push(ModError {
                line: s.line,
                message,
            })
        };
        match verb {
            "go" if s.block.is_none() => {
                if seen_go {
                    err("repeated go statement".into());
                } else if args.len() != 1 {
                    err("go directive expects exactly one argument".into());
                } else {
                    seen_go = true;
                    match parse_go_directive(&args[0]) {
                        Some(v) => w.go = Some(v),
                        None => err(format!(
                            "invalid go version '{}': must match format 1.23.0",
                            args[0]
                        )),
                    }
                }
            }
            "toolchain" if s.block.is_none() => {
                if seen_toolchain {
                    err("repeated toolchain statement".into());
                } else if args.len() != 1 || !valid_toolchain(&args[0]) {
                    err("usage: toolchain go1.23.0".into());
                } else {
                    seen_toolchain = true;
                    w.toolchain = Some(args[0].clone());
                }
            }
            "use" => {
                if args.len() != 1 {
                    err("usage: use local/dir".into());
                } else {
                    w.uses.push((args[0].clone(), s.line));
                }
            }
            "replace" if !args.iter().any(|a| a == "=>") => {
                err("usage: replace module/path [v1.2.3] => other/module v1.4".into());
            }
            "godebug" if args.len() != 1 || !args[0].contains('=') => {
                err("usage: godebug key=value".into());
            }
            "replace" => match parse_replace(args) {
                Some(r) => w.replaces.push(r),
                None => err("usage: replace module/path [v1.2.3] => other/module v1.4".into()),
            },
            "godebug" => {}
            other => err(format!("unknown directive: {other}")),
        }
    }
    errors.sort_by_key(|e| e.line);
    (w, errors)
}

/// A `go` directive must be a release version like `1.21`, `1.21.3` or `1.21rc1`.
fn parse_go_directive(text: &str) -> Option<GoVersion> {
    if text.starts_with("go") {
        return None;
    }
    GoVersion::parse(text)
}

fn valid_toolchain(text: &str) -> bool {
    text == "default"
        || text.strip_prefix("go").is_some_and(|v| {
            GoVersion::parse(v).is_some()
                || v.split_once('-')
                    .is_some_and(|(v, _)| GoVersion::parse(v).is_some())
        })
}

/// Splits the file into statements: single lines (`verb args...`) and the lines of
/// `verb ( ... )` blocks, reporting malformed strings and unbalanced parentheses.
fn statements(text: &str) -> (Vec<Stmt>, Vec<ModError>) {
    let mut stmts = Vec::new();
    let mut errors = Vec::new();
    let mut block: Option<(String, u32)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let tokens = match tokenize(raw) {
            Ok(t) => t,
            Err(message) => {
                errors.push(ModError {
                    line: line_no,
                    message,
                });
                continue;
            }
        };
        if tokens.is_empty() {
            continue;
        }
        let is_paren = |t: &Token, c: &str| matches!(t, Token::Paren(p) if p == c);
        if block.is_some() {
            if tokens.len() == 1 && is_paren(&tokens[0], ")") {
                block = None;
                continue;
            }
            if tokens.iter().any(|t| matches!(t, Token::Paren(_))) {
                errors.push(ModError {
                    line: line_no,
                    message: "unexpected parenthesis in block".into(),
                });
                continue;
            }
            stmts.push(Stmt {
                line: line_no,
                block: block.as_ref().map(|(v, _)| v.clone()),
                tokens: tokens.into_iter().map(Token::into_string).collect(),
            });
            continue;
        }
        if tokens.len() == 2 && is_paren(&tokens[1], "(") {
            if let Token::Word(verb) = &tokens[0] {
                block = Some((verb.clone(), line_no));
                continue;
            }
        }
        if let Some(p) = tokens.iter().find(|t| matches!(t, Token::Paren(_))) {
            let p = match p {
                Token::Paren(p) => p.clone(),
                Token::Word(w) => w.clone(),
            };
            errors.push(ModError {
                line: line_no,
                message: format!("unexpected '{p}'"),
            });
            continue;
        }
        stmts.push(Stmt {
            line: line_no,
            block: None,
            tokens: tokens.into_iter().map(Token::into_string).collect(),
        });
    }
    if let Some((verb, line)) = block {
        errors.push(ModError {
            line,
            message: format!("unterminated {verb} block: missing ')'"),
        });
    }
    (stmts, errors)
}

enum Token {
    Word(String),
    Paren(String),
}

impl Token {
    fn into_string(self) -> String {
        match self {
            Token::Word(w) | Token::Paren(w) => w,
        }
    }
}

/// Splits one line into words, quoted strings (unquoted) and parentheses; `//` starts a
/// comment.
fn tokenize(line: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if line[i..].starts_with("//") {
            break;
        }
        match c {
            '(' | ')' => {
                chars.next();
                tokens.push(Token::Paren(c.to_string()));
            }
            '"' => {
                chars.next();
                let mut s = String::new();
                let mut closed = false;
                while let Some((_, c)) = chars.next() {
                    match c {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\\' => match chars.next() {
                            Some((_, 'n')) => s.push('\n'),
                            Some((_, 't')) => s.push('\t'),
                            Some((_, c @ ('\\' | '"'))) => s.push(c),
                            _ => return Err("invalid escape in quoted string".into()),
                        },
                        c => s.push(c),
                    }
                }
                if !closed {
                    return Err("unterminated quoted string".into());
                }
                tokens.push(Token::Word(s));
            }
            '`' => {
                chars.next();
                let rest = &line[i + 1..];
                let Some(end) = rest.find('`') else {
                    return Err("unterminated raw string".into());
                };
                tokens.push(Token::Word(rest[..end].to_string()));
                for _ in 0..rest[..=end].chars().count() {
                    chars.next();
                }
            }
            _ => {
                let start = i;
                let mut end = line.len();
                while let Some(&(j, c)) = chars.peek() {
                    if c.is_whitespace()
                        || matches!(c, '(' | ')' | '"' | '`')
                        || line[j..].starts_with("//")
                    {
                        end = j;
                        break;
                    }
                    chars.next();
                }
                tokens.push(Token::Word(line[start..end].to_string()));
            }
        }
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_typical_go_mod() {
        let text = "// comment\nmodule \"example.com/m\" // trailing\n\ngo 1.22.1\ntoolchain go1.23.4\n\nrequire (\n\tgolang.org/x/sync v0.1.0 // indirect\n\tgithub.com/a/b v1.0.0\n)\nrequire c.com/d v1.2.3\nexclude c.com/d v1.2.2\nreplace c.com/d => ../d\nretract [v1.0.0, v1.0.5] // bad\nretract (\n  v0.1.0\n)\ngodebug default=go1.21\n";
        let (m, errors) = parse_go_mod(text);
        assert_eq!(errors, []);
        assert_eq!(m.module.as_deref(), Some("example.com/m"));
        assert_eq!(m.go, Some(GoVersion::new(1, 22)));
        assert_eq!(m.toolchain.as_deref(), Some("go1.23.4"));
        let requires: Vec<(&str, &str)> = m
            .requires
            .iter()
            .map(|(p, v)| (p.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            requires,
            [
                ("golang.org/x/sync", "v0.1.0"),
                ("github.com/a/b", "v1.0.0"),
                ("c.com/d", "v1.2.3")
            ]
        );
        assert_eq!(
            m.replaces,
            [Replace {
                old_path: "c.com/d".into(),
                old_version: None,
                new_path: "../d".into(),
                new_version: None,
            }]
        );
    }

    #[test]
    fn parses_versioned_and_malformed_replaces() {
        let text = "module m
replace (
	a.com/x v1.0.0 => b.com/y v1.1.0
	a.com/z => /abs/z
	a.com/w => 
)
";
        let (m, errors) = parse_go_mod(text);
        assert_eq!(m.replaces.len(), 2);
        assert_eq!(m.replaces[0].old_version.as_deref(), Some("v1.0.0"));
        assert_eq!(m.replaces[0].new_path, "b.com/y");
        assert_eq!(m.replaces[0].new_version.as_deref(), Some("v1.1.0"));
        assert_eq!(m.replaces[1].new_path, "/abs/z");
        assert_eq!(m.replaces[1].new_version, None);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 5);
    }

    #[test]
    fn reports_errors_with_lines_and_keeps_going() {
        let text = "module a.b/c\ngo 1.x\nfrobnicate x\nrequire (\n  a.b/d v1\n  a.b/e\n";
        let (m, errors) = parse_go_mod(text);
        assert_eq!(m.module.as_deref(), Some("a.b/c"));
        let got: Vec<(u32, &str)> = errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (2, "invalid go version '1.x': must match format 1.23.0"),
                (3, "unknown directive: frobnicate"),
                (4, "unterminated require block: missing ')'"),
                (6, "usage: require module/path v1.2.3"),
            ]
        );
    }

    #[test]
    fn missing_and_repeated_statements() {
        let (_, errors) = parse_go_mod("go 1.21\n");
        assert_eq!(errors[0].message, "missing module declaration");
        let (_, errors) = parse_go_mod("module m\ngo 1.21\ngo 1.22\nmodule n\n");
        let got: Vec<(u32, &str)> = errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, "repeated go statement"),
                (4, "repeated module statement")
            ]
        );
        let (_, errors) = parse_go_mod("module \"m\ngo 1.21\n");
        assert_eq!(errors[0].line, 1);
        assert_eq!(errors[0].message, "unterminated quoted string");
        let (_, errors) = parse_go_mod("module m\ntoolchain 1.21\n");
        assert_eq!(errors[0].line, 2);
    }

    #[test]
    fn parses_go_work() {
        let text =
            "go 1.23\n\nuse (\n\t./a\n\t\"./b c\" // spaced\n)\nuse ./d\nreplace x => ../x\n";
        let (w, errors) = parse_go_work(text);
        assert_eq!(errors, []);
        assert_eq!(w.go, Some(GoVersion::new(1, 23)));
        let uses: Vec<(&str, u32)> = w.uses.iter().map(|(p, l)| (p.as_str(), *l)).collect();
        assert_eq!(uses, [("./a", 4), ("./b c", 5), ("./d", 7)]);
        assert_eq!(w.replaces.len(), 1);
        assert_eq!(w.replaces[0].new_path, "../x");
        let (_, errors) = parse_go_work("go 1.23\nmodule x\n");
        assert_eq!(errors[0].line, 2);
        assert_eq!(errors[0].message, "unknown directive: module");
    }
}
