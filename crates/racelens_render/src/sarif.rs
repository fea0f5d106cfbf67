//! SARIF 2.1.0 output (`--format sarif`), shaped for GitHub code scanning.
//!
//! One run whose `tool.driver.rules` holds every check the caller registers (so alerts link
//! to rule help even for checks with no result), plus any check that reported without being
//! registered. Columns are UTF-16 code units (`columnKind: utf16CodeUnits`, what GitHub
//! expects), converted from racelens' byte columns with the source line; where the source is
//! not available the byte column is used as it is, which is right for ASCII lines.
//!
//! Paths relative to the working directory become relative URIs against `%SRCROOT%`;
//! absolute paths become `file://` URIs. `partialFingerprints` carries a hash of the check
//! name, the path, the trimmed text of the primary line and the diagnostic's occurrence index
//! among those with the same three, and no line number, so an alert keeps its identity when
//! code above it moves.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use racelens_diagnostics::{Category, CheckInfo, Diagnostic, Location, SYNTAX_ERROR};
use serde::Serialize;

use crate::source::SourceLines;
use crate::{sorted, Sources};

/// The `$schema` written at the top of the log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The key of racelens' fingerprint in `partialFingerprints`; the suffix changes whenever
/// the fingerprint's recipe does.
pub const FINGERPRINT_KEY: &str = "racelensPrimaryLocationLineHash/v1";

/// The URI base id that relative paths are resolved against.
pub const SRCROOT: &str = "%SRCROOT%";

/// What the SARIF log says about the run beyond the diagnostics.
#[derive(Clone, Copy, Debug)]
pub struct SarifOptions<'a> {
    /// racelens' version, for `tool.driver.version`.
    pub tool_version: &'a str,
    /// racelens' home page, for `tool.driver.informationUri`.
    pub information_uri: Option<&'a str>,
    /// The absolute directory that relative paths are relative to, for
    /// `originalUriBaseIds`. Without it `%SRCROOT%` is declared but left unresolved, which
    /// code scanning accepts since it resolves paths against the repository root.
    pub srcroot: Option<&'a str>,
}

/// The SARIF level of a category: the rule's default and every result's level.
pub fn level(category: Category) -> &'static str {
    match category {
        Category::Correctness | Category::Syntax => "error",
        Category::Suspicious => "warning",
        Category::Advice | Category::Nursery => "note",
    }
}

/// GitHub's `precision` rule property, which ranks alerts; how often the category is right.
fn precision(category: Category) -> &'static str {
    match category {
        Category::Syntax => "very-high",
        Category::Correctness => "high",
        Category::Suspicious | Category::Advice => "medium",
        Category::Nursery => "low",
    }
}

// The log's shape, as serde structs so that properties come out in the order SARIF's
// examples use and every property's type is fixed here. Only what racelens writes is
// modelled.

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'a str>,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'a str>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    precision: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

/// Renders `diagnostics` as a SARIF log, pretty-printed and ending in a newline. `checks` is
/// the registry of rules; `sources` gives the lines for UTF-16 columns and fingerprints.
pub fn render(
    diagnostics: &[Diagnostic],
    checks: &[CheckInfo],
    sources: &dyn Sources,
    options: &SarifOptions<'_>,
) -> String {
    let diagnostics = sorted(diagnostics);
    let mut lines = SourceLines::new(sources);

    // Rules sorted by name; a check that reported but is not registered gets a bare rule so
    // that every result's `ruleIndex` points at its rule. Syntax errors come from the
    // parser rather than a check, so their rule is known here whether registered or not.
    let mut registry: BTreeMap<&str, Result<&CheckInfo, Category>> =
        checks.iter().map(|c| (c.name, Ok(c))).collect();
    for d in &diagnostics {
        registry
            .entry(d.check)
            .or_insert(if d.check == SYNTAX_ERROR.name {
                Ok(&SYNTAX_ERROR)
            } else {
                Err(d.category)
            });
    }
    let rule_index: HashMap<&str, usize> = registry
        .keys()
        .enumerate()
        .map(|(i, &name)| (name, i))
        .collect();
    let rules: Vec<Rule<'_>> = registry
        .iter()
        .map(|(&name, info)| rule(name, *info))
        .collect();

    // The trimmed text of each line reported on, once per line and numbered by text, and the
    // fingerprint's hash up to the occurrence, once per check, path and text: thousands of
    // reports on one long line (generated code) neither copy nor hash it each.
    let mut line_texts: HashMap<(&str, u32), usize> = HashMap::new();
    let mut text_ids: HashMap<String, usize> = HashMap::new();
    let mut texts: Vec<String> = Vec::new();
    let mut prefixes: HashMap<(&str, &str, usize), (u128, u32)> = HashMap::new();
    let results: Vec<SarifResult<'_>> = diagnostics
        .iter()
        .map(|d| {
            let path = d.location.path.as_str();
            let text = *line_texts
                .entry((path, d.location.start.line))
                .or_insert_with(|| {
                    let line_text = lines
                        .line(path, d.location.start.line)
                        .map(|l| String::from_utf8_lossy(l).trim().to_string())
                        .unwrap_or_default();
                    *text_ids.entry(line_text).or_insert_with_key(|t| {
                        texts.push(t.clone());
                        texts.len() - 1
                    })
                });
            let (prefix, n) = prefixes
                .entry((d.check, path, text))
                .or_insert_with(|| (fingerprint_prefix(d.check, path, &texts[text]), 0));
            let occurrence = *n;
            *n += 1;
            let fingerprint = fingerprint_finish(*prefix, occurrence);

            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                let _ = write!(text, "\nhelp: {help}");
            }
            SarifResult {
                rule_id: d.check,
                rule_index: rule_index[d.check],
                level: level(d.category),
                message: Text { text },
                locations: vec![SarifLocation {
                    id: None,
                    physical_location: physical_location(&mut lines, &d.location),
                    message: None,
                }],
                related_locations: d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| SarifLocation {
                        id: Some(i + 1),
                        physical_location: physical_location(&mut lines, &r.location),
                        message: Some(Text {
                            text: r.label.clone(),
                        }),
                    })
                    .collect(),
                partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
            }
        })
        .collect();

    let srcroot = match options.srcroot {
        Some(dir) => ArtifactLocation {
            uri: Some(directory_uri(dir)),
            uri_base_id: None,
            description: None,
        },
        None => ArtifactLocation {
            uri: None,
            uri_base_id: None,
            description: Some(Text {
                text: "the directory racelens was run in".to_string(),
            }),
        },
    };
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "racelens",
                    version: options.tool_version,
                    information_uri: options.information_uri,
                    rules,
                },
            },
            original_uri_base_ids: BTreeMap::from([(SRCROOT, srcroot)]),
            column_kind: "utf16CodeUnits",
            results,
        }],
    };
    let mut out = serde_json::to_string_pretty(&log).expect("serializing plain data cannot fail");
    out.push('\n');
    out
}

/// The rule of check `name`: from its registered info, or for a check missing from the
/// registry, from the category its (first) report carries, so the rule's level matches.
fn rule<'a>(name: &'a str, info: Result<&'a CheckInfo, Category>) -> Rule<'a> {
    let (category, summary, docs, help_uri) = match info {
        Ok(c) => (c.category, c.summary, c.docs, c.help_uri),
        Err(category) => (category, "", "", None),
    };
    let summary = if summary.is_empty() {
        format!("racelens check `{name}`")
    } else {
        summary.to_string()
    };
    let docs = if docs.trim().is_empty() {
        summary.clone()
    } else {
        docs.to_string()
    };
    let full = what_it_does(&docs).unwrap_or_else(|| summary.clone());
    let mut tags = vec![category.as_str()];
    if category != Category::Syntax {
        tags.insert(0, "concurrency");
    }
    Rule {
        id: name,
        name,
        short_description: Text { text: summary },
        full_description: Text { text: full },
        help: Help {
            text: docs.clone(),
            markdown: docs,
        },
        help_uri,
        default_configuration: Configuration {
            level: level(category),
        },
        properties: RuleProperties {
            tags,
            precision: precision(category),
        },
    }
}

/// The body of the docs' "What it does" section, joined into one paragraph: a plain-text
/// description of the rule, where the docs follow the project's section layout.
fn what_it_does(docs: &str) -> Option<String> {
    let mut lines = docs.lines().skip_while(|l| {
        let l = l.trim();
        !(l.starts_with('#')
            && l.trim_start_matches('#')
                .trim()
                .eq_ignore_ascii_case("what it does"))
    });
    lines.next()?;
    let body: Vec<&str> = lines
        .take_while(|l| !l.trim_start().starts_with('#'))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    (!body.is_empty()).then(|| body.join(" "))
}

fn physical_location(lines: &mut SourceLines<'_>, l: &Location) -> PhysicalLocation {
    let mut column = |line: u32, byte_column: u32| {
        lines
            .utf16_column(&l.path, line, byte_column)
            .unwrap_or(byte_column.max(1))
    };
    let start = (l.start.line.max(1), column(l.start.line, l.start.column));
    let end = (l.end.line.max(1), column(l.end.line, l.end.column));
    // A region may not end before it starts; a malformed span becomes an empty one rather
    // than a log that code scanning rejects.
    let end = end.max(start);
    PhysicalLocation {
        artifact_location: artifact_location(&l.path),
        region: Region {
            start_line: start.0,
            start_column: start.1,
            end_line: end.0,
            end_column: end.1,
        },
    }
}

/// A path as a SARIF `artifactLocation`: relative paths against `%SRCROOT%`, absolute ones
/// as `file://` URIs.
fn artifact_location(path: &str) -> ArtifactLocation {
    let mut p = path.replace('\\', "/");
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.to_string();
    }
    let (uri, uri_base_id) = if p.starts_with('/') || has_drive_letter(&p) {
        (file_uri(&p), None)
    } else {
        (percent_encode(&p, false), Some(SRCROOT))
    };
    ArtifactLocation {
        uri: Some(uri),
        uri_base_id,
        description: None,
    }
}

fn has_drive_letter(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/'
}

fn file_uri(abs: &str) -> String {
    let sep = if abs.starts_with('/') { "" } else { "/" };
    format!("file://{sep}{}", percent_encode(abs, true))
}

/// A `file://` URI for directory `dir`, ending in `/` as `originalUriBaseIds` requires.
fn directory_uri(dir: &str) -> String {
    let mut p = dir.replace('\\', "/");
    if !p.ends_with('/') {
        p.push('/');
    }
    file_uri(&p)
}

/// Percent-encodes every byte of `s` except unreserved characters and `/`. A `:` is kept
/// only in absolute paths (for drive letters); in a relative reference it would read as a
/// scheme.
fn percent_encode(s: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) || (keep_colon && b == b':') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The fingerprint of a diagnostic: 128-bit FNV-1a over its check name, path, trimmed line
/// text and occurrence index, as 32 hex digits. FNV is fixed by its definition, so the
/// value is the same on every platform and every Rust version.
pub fn fingerprint(check: &str, path: &str, line_text: &str, occurrence: u32) -> String {
    fingerprint_finish(fingerprint_prefix(check, path, line_text), occurrence)
}

const FNV_OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
const FNV_PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

/// FNV-1a of `fields`, from state `h`. Each field is followed by a NUL, which none of them
/// contains, so field boundaries cannot shift between inputs.
fn fnv_fields(mut h: u128, fields: &[&str]) -> u128 {
    for field in fields {
        for &b in field.as_bytes().iter().chain(&[0u8]) {
            h ^= u128::from(b);
            h = h.wrapping_mul(FNV_PRIME);
        }
    }
    h
}

/// The hash of [`fingerprint`] before the occurrence index.
fn fingerprint_prefix(check: &str, path: &str, line_text: &str) -> u128 {
    fnv_fields(FNV_OFFSET, &[check, path, line_text])
}

/// [`fingerprint`] from its prefix's hash.
fn fingerprint_finish(prefix: u128, occurrence: u32) -> String {
    let h = fnv_fields(prefix, &[&occurrence.to_string()]);
    format!("{h:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn artifact(path: &str) -> serde_json::Value {
        serde_json::to_value(artifact_location(path)).unwrap()
    }

    #[test]
    fn fnv1a_128_known_values() {
        // FNV-1a 128 of the empty string is the offset basis; of "a" a published vector.
        let raw = |bytes: &[u8]| {
            let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
            for &b in bytes {
                h ^= u128::from(b);
                h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
            }
            h
        };
        assert_eq!(raw(b"a"), 0xd228cb696f1a8caf78912b704e4a8964);
        // Fields are separated, so moving a character from one field to the next changes
        // the hash.
        assert_ne!(fingerprint("ab", "c", "", 0), fingerprint("a", "bc", "", 0));
        assert_ne!(fingerprint("a", "b", "x", 0), fingerprint("a", "b", "x", 1));
        assert_eq!(fingerprint("a", "b", "x", 0).len(), 32);
    }

    #[test]
    fn unregistered_checks_get_rules_at_their_index() {
        let p = racelens_diagnostics::Position::new(1, 1, 0);
        let at = || Location::new("a.go", p, p);
        let diags = [
            Diagnostic::syntax_error("expected `)`", at()),
            Diagnostic::new("zz-check", Category::Suspicious, "m", at()),
        ];
        let options = SarifOptions {
            tool_version: "1",
            information_uri: None,
            srcroot: None,
        };
        let log: serde_json::Value =
            serde_json::from_str(&render(&diags, &[], &crate::NoSources, &options)).unwrap();
        let rules = &log["runs"][0]["tool"]["driver"]["rules"];
        assert_eq!(rules[0]["id"], "syntax-error");
        assert_eq!(rules[0]["shortDescription"]["text"], SYNTAX_ERROR.summary);
        assert_eq!(rules[0]["defaultConfiguration"]["level"], "error");
        assert_eq!(rules[1]["id"], "zz-check");
        assert_eq!(rules[1]["defaultConfiguration"]["level"], "warning");
        let results = &log["runs"][0]["results"];
        assert_eq!(results[0]["ruleIndex"], 0);
        assert_eq!(results[1]["ruleIndex"], 1);
        assert_eq!(results[1]["level"], "warning");
    }

    #[test]
    fn uris() {
        assert_eq!(
            artifact("pkg/worker.go"),
            json!({"uri": "pkg/worker.go", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact("./a b/c#d.go"),
            json!({"uri": "a%20b/c%23d.go", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact("x:y/é.go"),
            json!({"uri": "x%3Ay/%C3%A9.go", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(artifact("/src/a.go"), json!({"uri": "file:///src/a.go"}));
        assert_eq!(
            artifact("C:\\src\\a.go"),
            json!({"uri": "file:///C:/src/a.go"})
        );
        assert_eq!(directory_uri("/home/me/repo"), "file:///home/me/repo/");
        assert_eq!(directory_uri("/home/me/repo/"), "file:///home/me/repo/");
    }

    #[test]
    fn what_it_does_section() {
        let docs = "## What it does\n\nFinds maps\nwritten concurrently.\n\n## Why is this bad?\n\nIt crashes.\n";
        assert_eq!(
            what_it_does(docs).as_deref(),
            Some("Finds maps written concurrently.")
        );
        assert_eq!(what_it_does("Just text."), None);
        assert_eq!(what_it_does("## What it does\n## Example\n"), None);
    }

    /// Each result's fingerprint is its check, path, trimmed line text and the number of
    /// earlier results with all three the same, whichever line (and however long a line)
    /// the text is on: recomputed here from that definition for reports on one long line,
    /// on two lines of the same text, and under two checks.
    #[test]
    fn fingerprints_count_occurrences_by_line_text() {
        let long = format!("\t{}", "x++; ".repeat(100));
        let src = format!("package p\n{long}\n  {}\nfunc f() {{}}\n", long.trim());
        let files = HashMap::from([("a.go".to_string(), src.clone())]);
        let mut diags = Vec::new();
        for (line, check) in [(2, "c1"), (3, "c1"), (2, "c2"), (4, "c1")] {
            let text_len = src.lines().nth(line as usize - 1).unwrap().len() as u32;
            for col in (2..text_len).step_by(37) {
                let p = racelens_diagnostics::Position::new(line, col, 0);
                diags.push(Diagnostic::new(
                    check,
                    Category::Suspicious,
                    "m",
                    Location::new("a.go", p, p),
                ));
            }
        }
        let options = SarifOptions {
            tool_version: "1",
            information_uri: None,
            srcroot: None,
        };
        let log: serde_json::Value =
            serde_json::from_str(&render(&diags, &[], &files, &options)).unwrap();
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), diags.len());
        let mut seen: HashMap<(String, String), u32> = HashMap::new();
        for r in results {
            let check = r["ruleId"].as_str().unwrap().to_string();
            let line = r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap() as usize;
            let text = src.lines().nth(line - 1).unwrap().trim().to_string();
            let n = seen.entry((check.clone(), text.clone())).or_insert(0);
            assert_eq!(
                r["partialFingerprints"][FINGERPRINT_KEY],
                fingerprint(&check, "a.go", &text, *n),
                "{check} on line {line}, occurrence {n}"
            );
            *n += 1;
        }
        // Lines 2 and 3 hold the same text: their occurrences of `c1` are counted together.
        assert_eq!(seen[&("c1".to_string(), long.trim().to_string())], 28);
    }

    #[test]
    fn columns_are_utf16_when_the_source_is_known() {
        let src = "package p\nvar s = \"😀\"; x = 1\n";
        let start = src.find("x = 1").unwrap() as u32;
        let loc = Location::from_span("a.go", src.as_bytes(), start..start + 5);
        assert_eq!(loc.start.column, 17);
        let files = HashMap::from([("a.go".to_string(), src.to_string())]);
        let mut lines = SourceLines::new(&files);
        let r = physical_location(&mut lines, &loc).region;
        // The emoji is four bytes but two UTF-16 units.
        assert_eq!(
            (r.start_line, r.start_column, r.end_line, r.end_column),
            (2, 15, 2, 20)
        );
        let mut backwards = loc.clone();
        std::mem::swap(&mut backwards.start, &mut backwards.end);
        let r = physical_location(&mut lines, &backwards).region;
        assert_eq!(
            (r.start_line, r.start_column, r.end_line, r.end_column),
            (2, 20, 2, 20)
        );
        let mut none = SourceLines::new(&crate::NoSources);
        let r = physical_location(&mut none, &loc).region;
        assert_eq!((r.start_column, r.end_column), (17, 22));
    }
}
