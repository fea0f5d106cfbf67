//! racelens.toml: finding it, reading it with positions, validating target options and
//! globs; check names stay raw (with positions) for the caller to validate against the
//! check registry.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use globset::GlobMatcher;
use serde::Deserialize;
use toml::Spanned;

use crate::constraint::{KNOWN_ARCH, KNOWN_OS};
use crate::discover::{build_glob, DiscoverOptions};
use crate::version::GoVersion;

/// The configuration file's name.
pub const CONFIG_FILE: &str = "racelens.toml";

/// A value with its 1-based line and column in the configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub line: u32,
    pub column: u32,
}

/// An error in racelens.toml; displays as `path:line:column: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

impl std::error::Error for ConfigError {}

/// A parsed and validated racelens.toml.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file, as it was passed to [`load_config`] or [`parse_config`]; messages use it.
    pub path: PathBuf,
    /// `select`: check names or categories or `"all"`; None when the key is absent.
    pub select: Option<Vec<Located<String>>>,
    pub ignore: Vec<Located<String>>,
    /// `per-file-ignores`: glob → names, in file order.
    pub per_file_ignores: Vec<(Located<String>, Vec<Located<String>>)>,
    pub exclude: Vec<Located<String>>,
    pub goos: Option<Located<String>>,
    pub goarch: Option<Located<String>>,
    pub tags: Vec<Located<String>>,
    pub go: Option<Located<GoVersion>>,
    pub include_generated: Option<bool>,
    pub tests: Option<bool>,
    per_file_matchers: Vec<GlobMatcher>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    per_file_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    exclude: Option<Vec<Spanned<String>>>,
    goos: Option<Spanned<String>>,
    goarch: Option<Spanned<String>>,
    tags: Option<Vec<Spanned<String>>>,
    go: Option<Spanned<String>>,
    include_generated: Option<bool>,
    tests: Option<bool>,
}

/// Finds racelens.toml in `start` or the nearest directory above it.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE))
        .find(|p| p.is_file())
}

/// Reads and validates a configuration file.
pub fn load_config(path: &Path) -> Result<Config, ConfigError> {
    let text = fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        line: 1,
        column: 1,
        message: format!("cannot read configuration: {e}"),
    })?;
    parse_config(path, &text)
}

/// Parses and validates configuration text; `path` is used in messages and as the base of
/// relative globs.
pub fn parse_config(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let lines = LineColumns::new(text);
    let at = |span: std::ops::Range<usize>, message: String| {
        let (line, column) = lines.get(span.start);
        ConfigError {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let raw: Raw = toml::from_str(text)
        .map_err(|e| at(e.span().unwrap_or(0..0), toml_message(e.message())))?;
    let locate = |s: Spanned<String>| {
        let (line, column) = lines.get(s.span().start);
        Located {
            value: s.into_inner(),
            line,
            column,
        }
    };
    let names =
        |list: Vec<Spanned<String>>, key: &str| -> Result<Vec<Located<String>>, ConfigError> {
            list.into_iter()
                .map(|s| {
                    if s.get_ref().trim().is_empty() {
                        return Err(at(s.span(), format!("empty check name in {key}")));
                    }
                    Ok(locate(s))
                })
                .collect()
        };

    let select = raw.select.map(|l| names(l, "select")).transpose()?;
    let ignore = names(raw.ignore.unwrap_or_default(), "ignore")?;

    let mut per_file: Vec<(Spanned<String>, Vec<Spanned<String>>)> = raw
        .per_file_ignores
        .unwrap_or_default()
        .into_iter()
        .collect();
    per_file.sort_by_key(|(k, _)| k.span().start);
    let mut per_file_ignores = Vec::new();
    let mut per_file_matchers = Vec::new();
    for (glob, list) in per_file {
        let matcher = build_glob(glob.get_ref())
            .map_err(|e| {
                at(
                    glob.span(),
                    format!("invalid glob {:?}: {}", glob.get_ref(), e.kind()),
                )
            })?
            .compile_matcher();
        per_file_matchers.push(matcher);
        per_file_ignores.push((locate(glob), names(list, "per-file-ignores")?));
    }

    let mut exclude = Vec::new();
    for glob in raw.exclude.unwrap_or_default() {
        build_glob(glob.get_ref()).map_err(|e| {
            at(
                glob.span(),
                format!("invalid glob {:?}: {}", glob.get_ref(), e.kind()),
            )
        })?;
        exclude.push(locate(glob));
    }

    let goos = match raw.goos {
        Some(s) if !KNOWN_OS.contains(&s.get_ref().as_str()) => {
            return Err(at(
                s.span(),
                format!(
                    "unknown goos {:?}, expected one of {}",
                    s.get_ref(),
                    quoted(KNOWN_OS)
                ),
            ))
        }
        other => other.map(locate),
    };
    let goarch = match raw.goarch {
        Some(s) if !KNOWN_ARCH.contains(&s.get_ref().as_str()) => {
            return Err(at(
                s.span(),
                format!(
                    "unknown goarch {:?}, expected one of {}",
                    s.get_ref(),
                    quoted(KNOWN_ARCH)
                ),
            ))
        }
        other => other.map(locate),
    };
    let mut tags = Vec::new();
    for tag in raw.tags.unwrap_or_default() {
        let t = tag.get_ref();
        if t.is_empty()
            || !t
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        {
            return Err(at(
                tag.span(),
                format!("invalid build tag {t:?}: tags are letters, digits, '_' and '.'"),
            ));
        }
        tags.push(locate(tag));
    }
    let go = match raw.go {
        Some(s) => match GoVersion::parse(s.get_ref()) {
            Some(v) if v.major == 1 => {
                let (line, column) = lines.get(s.span().start);
                Some(Located {
                    value: v,
                    line,
                    column,
                })
            }
            _ => {
                return Err(at(
                    s.span(),
                    format!(
                        "invalid go version {:?}, expected a version like \"1.22\"",
                        s.get_ref()
                    ),
                ))
            }
        },
        None => None,
    };

    Ok(Config {
        path: path.to_path_buf(),
        select,
        ignore,
        per_file_ignores,
        exclude,
        goos,
        goarch,
        tags,
        go,
        include_generated: raw.include_generated,
        tests: raw.tests,
        per_file_matchers,
    })
}

impl Config {
    /// The directory relative globs are resolved against: the file's own directory.
    pub fn base_dir(&self) -> PathBuf {
        match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    /// Writes the target and file-selection options into `opts`; command-line options
    /// should be applied afterwards so they win.
    pub fn apply(&self, opts: &mut DiscoverOptions) {
        if let Some(goos) = &self.goos {
            opts.target.goos = goos.value.clone();
        }
        if let Some(goarch) = &self.goarch {
            opts.target.goarch = goarch.value.clone();
        }
        opts.target
            .tags
            .extend(self.tags.iter().map(|t| t.value.clone()));
        if let Some(go) = &self.go {
            opts.go = Some(go.value);
        }
        if let Some(b) = self.include_generated {
            opts.include_generated = b;
        }
        if let Some(b) = self.tests {
            opts.tests = b;
        }
        if !self.exclude.is_empty() {
            opts.exclude = self.exclude.iter().map(|g| g.value.clone()).collect();
            opts.exclude_base = Some(self.base_dir());
        }
    }

    /// Every check name written in the file (select, ignore, per-file-ignores), in file
    /// order, for the caller to validate against the registry.
    pub fn check_names(&self) -> Vec<&Located<String>> {
        let mut all: Vec<&Located<String>> = self.select.iter().flatten().collect();
        all.extend(&self.ignore);
        all.extend(self.per_file_ignores.iter().flat_map(|(_, names)| names));
        all.sort_by_key(|n| (n.line, n.column));
        all
    }

    /// An error at a located value, e.g. `racelens.toml:3:10: unknown check "x"`.
    pub fn error_at<T>(&self, at: &Located<T>, message: impl Into<String>) -> ConfigError {
        ConfigError {
            path: self.path.clone(),
            line: at.line,
            column: at.column,
            message: message.into(),
        }
    }

    /// The names `per-file-ignores` turns off for `file`. Globs are matched against the
    /// path relative to the configuration file's directory; a glob without `/` is also
    /// matched against the file name alone.
    pub fn per_file_ignored(&self, file: &Path) -> Vec<&Located<String>> {
        let base = self.base_dir();
        let base = std::path::absolute(&base).unwrap_or(base);
        let file_abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let rel = file_abs.strip_prefix(&base).unwrap_or(file);
        let name = file.file_name().map(Path::new);
        let mut out = Vec::new();
        for ((glob, names), matcher) in self.per_file_ignores.iter().zip(&self.per_file_matchers) {
            let by_name = !glob.value.contains('/') && name.is_some_and(|n| matcher.is_match(n));
            if matcher.is_match(rel) || by_name {
                out.extend(names);
            }
        }
        out
    }
}

/// The 1-based line and column (in characters) of byte offsets in one text. A configuration
/// may list tens of thousands of globs or names, each located for messages: the line starts
/// are found once, and a column is counted on from the offset asked about last when that is
/// on the same line and not past the new one (values are mostly asked about in order, also
/// on one long line), instead of scanning the text from its start for each value (40,000
/// `per-file-ignores` took 23 s).
struct LineColumns<'t> {
    text: &'t str,
    /// The offset of each line's first byte.
    starts: Vec<usize>,
    /// The last offset asked about and its column.
    last: std::cell::Cell<(usize, u32)>,
}

impl<'t> LineColumns<'t> {
    fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineColumns {
            text,
            starts,
            last: std::cell::Cell::new((0, 1)),
        }
    }

    fn get(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        // The lines starting at or before `offset`: the first always does.
        let line = self.starts.partition_point(|&s| s <= offset);
        let line_start = self.starts[line - 1];
        let (from, column) = match self.last.get() {
            (at, column) if line_start <= at && at <= offset => (at, column),
            _ => (line_start, 1),
        };
        let column = column + self.text[from..offset].chars().count() as u32;
        self.last.set((offset, column));
        (line as u32, column)
    }
}

/// Rewords serde/toml messages for users: keys are "keys", names are quoted with double
/// quotes, and the message is one line without a trailing period.
fn toml_message(message: &str) -> String {
    let mut out = String::new();
    let mut open = false;
    for c in message.trim().chars() {
        match c {
            '`' => {
                out.push('"');
                open = !open;
            }
            '\n' => out.push_str("; "),
            c => out.push(c),
        }
    }
    let out = out
        .replace("unknown field", "unknown key")
        .replace("duplicate field", "duplicate key");
    out.trim_end_matches('.').to_string()
}

fn quoted(list: &[&str]) -> String {
    list.iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_columns() {
        let line_column = |text, offset| LineColumns::new(text).get(offset);
        assert_eq!(line_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("é\nx", 2), (1, 2));
        assert_eq!(line_column("é\nx", 3), (2, 1));
    }

    /// Asked in any order, `LineColumns` gives what counting from the start of the text
    /// gives, at every character boundary of a text of several lines, empty ones included.
    #[test]
    fn line_columns_in_any_order_count_from_the_start() {
        let text = "a = [\"é\", \"x\"]\n\n[t]\r\nb = \"ü€\" # c\nlast";
        let scan = |offset: usize| {
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            (line as u32, before[start..].chars().count() as u32 + 1)
        };
        let offsets: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let lines = LineColumns::new(text);
        // Forward, backward, and jumping about.
        let jumps = (0..offsets.len()).map(|i| offsets[i * 7 % offsets.len()]);
        for o in offsets
            .iter()
            .copied()
            .chain(offsets.iter().rev().copied())
            .chain(jumps)
        {
            assert_eq!(lines.get(o), scan(o), "at {o}");
        }
        assert_eq!(lines.get(text.len() + 5), scan(text.len()));
    }

    #[test]
    fn messages_are_reworded() {
        assert_eq!(
            toml_message("unknown field `selct`, expected one of `select`, `ignore`\n"),
            "unknown key \"selct\", expected one of \"select\", \"ignore\""
        );
    }
}
