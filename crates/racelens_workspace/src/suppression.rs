//! Suppression comments: `//racelens:ignore`, `//racelens:file-ignore`, golangci-lint's
//! `//nolint`, staticcheck's `//lint:ignore`; applying them to a file's diagnostics and reporting
//! the ones that are malformed or suppress nothing.
//!
//! Scope of a line directive: a directive that shares its line with code applies to that line;
//! a directive alone on its line applies to the next line (the "line above" form). File
//! directives apply to the whole file.

use racelens_checks::checks::framework::{INVALID_SUPPRESSION, UNUSED_SUPPRESSION};
use racelens_diagnostics::{Category, Diagnostic, Location};
use std::collections::HashMap;

/// Where a directive comes from; decides its grammar and whether racelens may call it unused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Source {
    /// `//racelens:ignore NAMES reason` and `//racelens:file-ignore NAMES reason`.
    Racelens,
    /// golangci-lint's `//nolint`, `//nolint:all`, `//nolint:racelens[,other]`.
    NoLint,
    /// staticcheck's `//lint:ignore NAMES reason` and `//lint:file-ignore NAMES reason`.
    Staticcheck,
}

/// One suppression comment of a file.
#[derive(Clone, Debug)]
pub struct Directive {
    pub source: Source,
    pub file_wide: bool,
    /// The check names it names; `None` means every racelens check (`//nolint:racelens`).
    pub checks: Option<Vec<String>>,
    pub reason: Option<String>,
    /// The 1-based lines whose diagnostics it suppresses (empty for file-wide directives).
    pub lines: Vec<u32>,
    /// Where the comment is, for reports about the directive itself.
    pub location: Location,
    /// Whether a `nolint` names racelens explicitly (a bare `//nolint` may be meant for other
    /// linters, so racelens never calls it unused).
    pub explicit: bool,
    used: bool,
}

/// Parses one comment's text (with its `//`). `line` is the comment's 1-based line and
/// `own_line` whether nothing but whitespace precedes it on that line.
pub fn parse_directive(
    text: &str,
    line: u32,
    own_line: bool,
    location: Location,
) -> Option<Directive> {
    let body = text.strip_prefix("//")?;
    let lines = if own_line {
        vec![line, line + 1]
    } else {
        vec![line]
    };
    let mk = |source, file_wide, checks, reason, explicit| Directive {
        source,
        file_wide,
        checks,
        reason,
        lines: if file_wide { Vec::new() } else { lines.clone() },
        location: location.clone(),
        explicit,
        used: false,
    };
    if let Some(rest) = body.strip_prefix("racelens:ignore") {
        let (names, reason) = names_and_reason(rest)?;
        return Some(mk(Source::Racelens, false, Some(names), reason, true));
    }
    if let Some(rest) = body.strip_prefix("racelens:file-ignore") {
        let (names, reason) = names_and_reason(rest)?;
        return Some(mk(Source::Racelens, true, Some(names), reason, true));
    }
    if let Some(rest) = body.strip_prefix("lint:ignore") {
        let (names, reason) = names_and_reason(rest)?;
        return Some(mk(Source::Staticcheck, false, Some(names), reason, true));
    }
    if let Some(rest) = body.strip_prefix("lint:file-ignore") {
        let (names, reason) = names_and_reason(rest)?;
        return Some(mk(Source::Staticcheck, true, Some(names), reason, true));
    }
    if let Some(rest) = body.strip_prefix("nolint") {
        // `//nolint`, `//nolint // why`, `//nolint:a,b // why`.
        if rest.is_empty() || rest.starts_with([' ', '\t', '/']) {
            return Some(mk(Source::NoLint, false, None, None, false));
        }
        let list = rest.strip_prefix(':')?;
        let list = list.split([' ', '\t', '/']).next().unwrap_or("");
        let linters: Vec<&str> = list.split(',').map(str::trim).collect();
        if linters.contains(&"all") {
            return Some(mk(Source::NoLint, false, None, None, false));
        }
        if linters.contains(&"racelens") {
            return Some(mk(Source::NoLint, false, None, None, true));
        }
        return None;
    }
    None
}

/// Splits ` name1,name2 reason words` into the names and the reason (if any). `None` when the
/// directive has no names at all (`//racelens:ignoreX` is not a directive).
fn names_and_reason(rest: &str) -> Option<(Vec<String>, Option<String>)> {
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim_start();
    let (names, reason) = match rest.find([' ', '\t']) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let names: Vec<String> = names
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    let reason = (!reason.is_empty()).then(|| reason.to_string());
    Some((names, reason))
}

impl Directive {
    fn covers(&self, d: &Diagnostic) -> bool {
        let name_ok = match &self.checks {
            None => true,
            Some(names) => names.iter().any(|n| n == d.check),
        };
        name_ok && (self.file_wide || self.lines.contains(&d.location.start.line))
    }

    /// Whether this directive concerns racelens at all: staticcheck directives that name only
    /// staticcheck's own checks are none of our business.
    fn concerns_racelens(&self, is_check: &dyn Fn(&str) -> bool) -> bool {
        match (&self.source, &self.checks) {
            (Source::Staticcheck, Some(names)) => names.iter().any(|n| is_check(n)),
            _ => true,
        }
    }
}

/// Applies a file's directives to its diagnostics. Returns the diagnostics that remain plus the
/// reports about the directives themselves (`invalid-suppression`, `unused-suppression`).
///
/// `is_check` tells whether a name is a racelens check; `ran` whether that check ran in this
/// run (a suppression for a check that did not run is not unused).
pub fn apply(
    mut directives: Vec<Directive>,
    diagnostics: Vec<Diagnostic>,
    is_check: &dyn Fn(&str) -> bool,
    ran: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    directives.retain(|d| d.concerns_racelens(is_check));
    let mut out = Vec::with_capacity(diagnostics.len());
    let mut problems = Vec::new();
    for dir in &directives {
        let names = dir.checks.as_deref().unwrap_or(&[]);
        if dir.source != Source::NoLint && names.is_empty() {
            problems.push(invalid(
                dir,
                "suppression comment names no check".to_string(),
            ));
        }
        if dir.source == Source::Racelens {
            for n in names.iter().filter(|n| !is_check(n)) {
                problems.push(invalid(
                    dir,
                    format!("suppression comment names unknown check `{n}`"),
                ));
            }
        }
        if dir.source != Source::NoLint && dir.reason.is_none() {
            problems.push(invalid(
                dir,
                "suppression comment needs a reason after the check names".to_string(),
            ));
        }
    }
    // The directives that may cover a diagnostic, by line and, for file-wide ones, by check
    // name (or for every check), so that a file of thousands of directives and reports does
    // not try each directive on each report. A diagnostic is suppressed by the first
    // directive, in the file's order, that covers it: the least index among these.
    let mut by_line: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut file_by_check: HashMap<String, Vec<usize>> = HashMap::new();
    let mut file_for_all: Vec<usize> = Vec::new();
    for (i, dir) in directives.iter().enumerate() {
        if dir.file_wide {
            match &dir.checks {
                None => file_for_all.push(i),
                Some(names) => {
                    for n in names {
                        file_by_check.entry(n.clone()).or_default().push(i);
                    }
                }
            }
        } else {
            for &line in &dir.lines {
                by_line.entry(line).or_default().push(i);
            }
        }
    }
    let file_wide = |check: &str| {
        file_for_all
            .iter()
            .chain(file_by_check.get(check).into_iter().flatten())
            .copied()
    };
    for d in diagnostics {
        // Syntax errors are not suppressible: the file must be fixed.
        let first = if d.category == Category::Syntax {
            None
        } else {
            file_wide(d.check)
                .chain(
                    by_line
                        .get(&d.location.start.line)
                        .into_iter()
                        .flatten()
                        .copied(),
                )
                .filter(|&i| directives[i].covers(&d))
                .min()
        };
        match first {
            Some(i) => directives[i].used = true,
            None => out.push(d),
        }
    }
    for dir in &directives {
        if dir.used || !dir.explicit {
            continue;
        }
        let relevant = match &dir.checks {
            None => true,
            Some(names) => names.iter().any(|n| is_check(n) && ran(n)),
        };
        if relevant {
            problems.push(
                Diagnostic::new(
                    UNUSED_SUPPRESSION.info.name,
                    UNUSED_SUPPRESSION.info.category,
                    "suppression comment suppresses nothing",
                    dir.location.clone(),
                )
                .with_help("remove the comment, or fix the check names it lists"),
            );
        }
    }
    // Reports about directives can themselves be suppressed by file-wide directives only, so a
    // stale directive cannot hide itself.
    for p in problems {
        if !file_wide(p.check).any(|i| directives[i].covers(&p)) {
            out.push(p);
        }
    }
    out
}

fn invalid(dir: &Directive, message: String) -> Diagnostic {
    Diagnostic::new(
        INVALID_SUPPRESSION.info.name,
        INVALID_SUPPRESSION.info.category,
        message,
        dir.location.clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use racelens_diagnostics::Position;

    fn loc(line: u32) -> Location {
        let p = Position::new(line, 1, line * 10);
        Location::new("a.go", p, p)
    }

    fn diag(check: &'static str, line: u32) -> Diagnostic {
        Diagnostic::new(check, Category::Correctness, "m", loc(line))
    }

    fn is_check(n: &str) -> bool {
        matches!(n, "a-check" | "b-check")
    }

    fn run(dirs: Vec<Directive>, diags: Vec<Diagnostic>) -> Vec<String> {
        let mut out: Vec<String> = apply(dirs, diags, &is_check, &|_| true)
            .iter()
            .map(|d| format!("{}:{} {}", d.location.start.line, d.check, d.message))
            .collect();
        out.sort();
        out
    }

    fn dir(text: &str, line: u32, own_line: bool) -> Directive {
        parse_directive(text, line, own_line, loc(line)).expect("a directive")
    }

    #[test]
    fn grammar() {
        let d = dir(
            "//racelens:ignore a-check,b-check because reasons",
            3,
            false,
        );
        assert_eq!(
            d.checks.as_deref(),
            Some(&["a-check".to_string(), "b-check".to_string()][..])
        );
        assert_eq!(d.reason.as_deref(), Some("because reasons"));
        assert_eq!(d.lines, [3]);
        assert_eq!(dir("//racelens:ignore a-check why", 3, true).lines, [3, 4]);
        assert!(dir("//racelens:file-ignore a-check why", 3, true).file_wide);
        assert!(dir("//racelens:ignore a-check", 3, false).reason.is_none());
        assert!(parse_directive("//racelens:ignored a-check x", 1, false, loc(1)).is_none());
        assert!(parse_directive("// racelens:ignore a-check x", 1, false, loc(1)).is_none());
        assert!(parse_directive("//nolint:errcheck", 1, false, loc(1)).is_none());
        assert!(dir("//nolint:errcheck,racelens // fine", 1, false).explicit);
        assert!(!dir("//nolint", 1, false).explicit);
        assert!(!dir("//nolint:all", 1, false).explicit);
        assert_eq!(
            dir("//lint:ignore SA2000 reason", 1, false).source,
            Source::Staticcheck
        );
    }

    #[test]
    fn suppresses_same_line_and_line_below_own_line_comment() {
        let out = run(
            vec![
                dir("//racelens:ignore a-check ok here", 5, false),
                dir("//racelens:ignore b-check ok below", 7, true),
            ],
            vec![
                diag("a-check", 5),
                diag("b-check", 8),
                diag("a-check", 8),
                diag("b-check", 9),
            ],
        );
        assert_eq!(out, ["8:a-check m", "9:b-check m"]);
    }

    #[test]
    fn reports_missing_reason_unknown_name_and_unused() {
        let out = run(
            vec![
                dir("//racelens:ignore a-check", 5, false),
                dir("//racelens:ignore nope-check why", 6, false),
                dir("//racelens:ignore b-check why", 7, false),
            ],
            vec![diag("a-check", 5)],
        );
        assert_eq!(
            out,
            [
                "5:invalid-suppression suppression comment needs a reason after the check names",
                "6:invalid-suppression suppression comment names unknown check `nope-check`",
                "7:unused-suppression suppression comment suppresses nothing",
            ]
        );
    }

    #[test]
    fn foreign_directives_are_left_alone() {
        // staticcheck's own checks, and a bare nolint that suppresses nothing: no reports.
        let out = run(
            vec![
                dir("//lint:ignore SA2000 reason", 3, false),
                dir("//nolint", 4, false),
            ],
            vec![diag("a-check", 4)],
        );
        assert!(out.is_empty(), "{out:?}");
        // A staticcheck directive naming a racelens check works like ours.
        let out = run(
            vec![dir("//lint:ignore a-check reason", 3, false)],
            vec![diag("a-check", 3)],
        );
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn syntax_errors_cannot_be_suppressed_and_unran_checks_are_not_unused() {
        let syntax = Diagnostic::new("syntax-error", Category::Syntax, "bad", loc(2));
        let out = apply(
            vec![
                dir("//nolint:racelens", 2, false),
                dir("//racelens:ignore b-check why", 9, false),
            ],
            vec![syntax],
            &is_check,
            &|n| n != "b-check",
        );
        let checks: Vec<&str> = out.iter().map(|d| d.check).collect();
        assert_eq!(checks, ["syntax-error", "unused-suppression"]);
        assert_eq!(out[1].location.start.line, 2);
    }

    /// What `apply` did before it indexed the directives: every directive tried on every
    /// diagnostic, in order (the oracle the indexed version is held to).
    fn apply_by_scan(
        mut directives: Vec<Directive>,
        diagnostics: Vec<Diagnostic>,
        is_check: &dyn Fn(&str) -> bool,
        ran: &dyn Fn(&str) -> bool,
    ) -> Vec<Diagnostic> {
        directives.retain(|d| d.concerns_racelens(is_check));
        let mut out = Vec::with_capacity(diagnostics.len());
        let mut problems = Vec::new();
        for dir in &directives {
            let names = dir.checks.as_deref().unwrap_or(&[]);
            if dir.source != Source::NoLint && names.is_empty() {
                problems.push(invalid(
                    dir,
                    "suppression comment names no check".to_string(),
                ));
            }
            if dir.source == Source::Racelens {
                for n in names.iter().filter(|n| !is_check(n)) {
                    problems.push(invalid(
                        dir,
                        format!("suppression comment names unknown check `{n}`"),
                    ));
                }
            }
            if dir.source != Source::NoLint && dir.reason.is_none() {
                problems.push(invalid(
                    dir,
                    "suppression comment needs a reason after the check names".to_string(),
                ));
            }
        }
        'diag: for d in diagnostics {
            // Syntax errors are not suppressible: the file must be fixed.
            if d.category != Category::Syntax {
                for dir in directives.iter_mut() {
                    if dir.covers(&d) {
                        dir.used = true;
                        continue 'diag;
                    }
                }
            }
            out.push(d);
        }
        for dir in &directives {
            if dir.used || !dir.explicit {
                continue;
            }
            let relevant = match &dir.checks {
                None => true,
                Some(names) => names.iter().any(|n| is_check(n) && ran(n)),
            };
            if relevant {
                problems.push(
                    Diagnostic::new(
                        UNUSED_SUPPRESSION.info.name,
                        UNUSED_SUPPRESSION.info.category,
                        "suppression comment suppresses nothing",
                        dir.location.clone(),
                    )
                    .with_help("remove the comment, or fix the check names it lists"),
                );
            }
        }
        // Reports about directives can themselves be suppressed by file-wide directives only, so a
        // stale directive cannot hide itself.
        for p in problems {
            if !directives.iter().any(|dir| dir.file_wide && dir.covers(&p)) {
                out.push(p);
            }
        }
        out
    }

    /// The indexed `apply` gives what trying every directive on every diagnostic gives (the
    /// diagnostics kept, in order, and the reports about directives), on random
    /// files of line, line-above, file-wide, nolint and staticcheck directives naming one
    /// check, both or every check.
    #[test]
    fn indexed_directives_suppress_as_a_scan_does() {
        let texts = [
            "//racelens:ignore a-check why",
            "//racelens:ignore b-check why",
            "//racelens:ignore a-check,b-check why",
            "//racelens:file-ignore a-check why",
            "//racelens:file-ignore b-check why",
            "//nolint:racelens",
            "//nolint",
            "//lint:ignore a-check why",
            "//lint:file-ignore b-check why",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..300 {
            let dirs: Vec<Directive> = (0..next(12))
                .map(|_| {
                    let text = texts[next(texts.len() as u64) as usize];
                    dir(text, 1 + next(10) as u32, next(2) == 0)
                })
                .collect();
            let diags: Vec<Diagnostic> = (0..next(12))
                .map(|_| {
                    let line = 1 + next(11) as u32;
                    match next(5) {
                        0 => Diagnostic::new("syntax-error", Category::Syntax, "bad", loc(line)),
                        1 | 2 => diag("a-check", line),
                        _ => diag("b-check", line),
                    }
                })
                .collect();
            let ran = |n: &str| n != "b-check";
            let want = apply_by_scan(dirs.clone(), diags.clone(), &is_check, &ran);
            let got = apply(dirs, diags, &is_check, &ran);
            assert_eq!(got, want);
        }
    }
}
