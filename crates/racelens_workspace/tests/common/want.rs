//! Fixture expectations: `// want "regexp"` comments in the go/analysis (analysistest) grammar.
//!
//! A comment `// want "re1" "re2"` on a line expects one diagnostic matching each pattern on that
//! line; `// want +N "re"` expects it N lines below. Patterns are Go string literals, quoted with
//! `"` (with escapes) or with backquotes (raw). Every diagnostic must match an expectation on its
//! line and every expectation must be matched, so any new false positive fails a test.

use regex::Regex;

/// One expected diagnostic: a line and a pattern its message must match.
#[derive(Debug)]
pub struct Want {
    pub line: u32,
    pub pattern: Regex,
    pub source: String,
}

/// Parses the text of one comment (with its `//` or `/* */` markers). Returns `Ok(None)` when
/// the comment is not a `want` comment.
pub fn parse_want(comment: &str, line: u32) -> Result<Option<Vec<Want>>, String> {
    let body = if let Some(rest) = comment.strip_prefix("//") {
        rest
    } else if let Some(rest) = comment.strip_prefix("/*") {
        rest.strip_suffix("*/").unwrap_or(rest)
    } else {
        return Ok(None);
    };
    let body = body.trim_start();
    let Some(mut rest) = body.strip_prefix("want") else {
        return Ok(None);
    };
    if !rest.starts_with([' ', '\t']) {
        return Ok(None);
    }
    rest = rest.trim_start();
    let mut target = line;
    if let Some(after) = rest.strip_prefix('+') {
        let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
        let n: u32 = digits
            .parse()
            .map_err(|_| format!("line {line}: `want +` needs a line count"))?;
        target = line + n;
        rest = after[digits.len()..].trim_start();
    }
    let mut wants = Vec::new();
    while !rest.is_empty() {
        let (pattern, after) = go_string(rest).ok_or_else(|| {
            format!("line {line}: expected a quoted pattern in want comment, found {rest:?}")
        })?;
        let regex = Regex::new(&pattern)
            .map_err(|e| format!("line {line}: bad want pattern {pattern:?}: {e}"))?;
        wants.push(Want {
            line: target,
            pattern: regex,
            source: pattern,
        });
        rest = after.trim_start();
    }
    if wants.is_empty() {
        return Err(format!("line {line}: want comment without a pattern"));
    }
    Ok(Some(wants))
}

/// Reads one Go string literal at the start of `s`; returns its value and the rest.
fn go_string(s: &str) -> Option<(String, &str)> {
    if let Some(rest) = s.strip_prefix('`') {
        let end = rest.find('`')?;
        return Some((rest[..end].to_string(), &rest[end + 1..]));
    }
    let rest = s.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &rest[i + 1..])),
            '\\' => {
                let (_, e) = chars.next()?;
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    '\\' => out.push('\\'),
                    '"' => out.push('"'),
                    '\'' => out.push('\''),
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_forms() {
        assert!(parse_want("// just a comment", 3).unwrap().is_none());
        assert!(parse_want("// wanted", 3).unwrap().is_none());
        let w = parse_want(r#"// want "a\.b" `c+`"#, 3).unwrap().unwrap();
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].line, 3);
        assert!(w[0].pattern.is_match("xa.by"));
        assert!(!w[0].pattern.is_match("axb"));
        assert!(w[1].pattern.is_match("ccc"));
        let w = parse_want(r#"/* want +2 "x" */"#, 3).unwrap().unwrap();
        assert_eq!(w[0].line, 5);
        assert!(parse_want("// want", 1).unwrap().is_none());
        assert!(parse_want("// want oops", 1).is_err());
        assert!(parse_want(r#"// want "(""#, 1).is_err());
    }
}
