//! Validates the SARIF output against the SARIF 2.1.0 schema's rules for the objects racelens
//! writes, by hand since the schema cannot be fetched offline: required properties, property
//! types, enumerations and minimums, and the schema's `additionalProperties: false` (only the
//! properties the schema defines for an object may appear). On top of the schema it checks
//! what GitHub code scanning needs: a rule per `ruleId` at `ruleIndex`, help text, a
//! location per result, relative URIs with a declared base id.

mod common;

use std::collections::HashSet;

use racelens_render::sarif::{self, SarifOptions};
use racelens_render::NoSources;
use serde_json::{Map, Value};

/// One object's check against its schema definition: the properties it may have.
fn object<'a>(
    v: &'a Value,
    what: &str,
    allowed: &[&str],
    errors: &mut Vec<String>,
) -> &'a Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    let Some(m) = v.as_object() else {
        errors.push(format!("{what} is not an object"));
        return EMPTY.get_or_init(Map::new);
    };
    for k in m.keys() {
        if !allowed.contains(&k.as_str()) {
            errors.push(format!(
                "{what} has property `{k}` that the schema does not define"
            ));
        }
    }
    m
}

fn require<'a>(
    m: &'a Map<String, Value>,
    what: &str,
    key: &str,
    errors: &mut Vec<String>,
) -> Option<&'a Value> {
    let v = m.get(key);
    if v.is_none() {
        errors.push(format!("{what} lacks required `{key}`"));
    }
    v
}

fn string(v: Option<&Value>, what: &str, errors: &mut Vec<String>) -> Option<String> {
    match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errors.push(format!("{what} is not a string"));
            None
        }
        None => None,
    }
}

fn int_at_least(v: Option<&Value>, min: i64, what: &str, errors: &mut Vec<String>) -> Option<i64> {
    match v {
        Some(v) => match v.as_i64() {
            Some(n) if n >= min => Some(n),
            _ => {
                errors.push(format!("{what} is not an integer >= {min}: {v}"));
                None
            }
        },
        None => None,
    }
}

fn one_of(v: Option<&Value>, values: &[&str], what: &str, errors: &mut Vec<String>) {
    if let Some(s) = string(v, what, errors) {
        if !values.contains(&s.as_str()) {
            errors.push(format!("{what} `{s}` is not one of {values:?}"));
        }
    }
}

fn array<'a>(v: Option<&'a Value>, what: &str, errors: &mut Vec<String>) -> &'a [Value] {
    match v {
        Some(Value::Array(a)) => a,
        Some(_) => {
            errors.push(format!("{what} is not an array"));
            &[]
        }
        None => &[],
    }
}

/// `message` and `multiformatMessageString`: `text` required in both for what racelens
/// writes (a message may instead have an `id`, which racelens never uses).
fn message(v: &Value, what: &str, multiformat: bool, errors: &mut Vec<String>) {
    let allowed: &[&str] = if multiformat {
        &["text", "markdown", "properties"]
    } else {
        &["text", "markdown", "id", "arguments", "properties"]
    };
    let m = object(v, what, allowed, errors);
    string(
        require(m, what, "text", errors),
        &format!("{what}.text"),
        errors,
    );
    string(m.get("markdown"), &format!("{what}.markdown"), errors);
}

fn is_uri_reference(s: &str) -> bool {
    !s.is_empty() && !s.contains(['\\', ' ', '"', '<', '>', '{', '}', '|', '^', '`'])
}

fn artifact_location(v: &Value, what: &str, base_ids: &HashSet<String>, errors: &mut Vec<String>) {
    let m = object(
        v,
        what,
        &["uri", "uriBaseId", "index", "description", "properties"],
        errors,
    );
    if let Some(uri) = string(m.get("uri"), &format!("{what}.uri"), errors) {
        if !is_uri_reference(&uri) {
            errors.push(format!("{what}.uri `{uri}` is not a URI reference"));
        }
        let absolute = uri.starts_with("file://");
        match string(m.get("uriBaseId"), &format!("{what}.uriBaseId"), errors) {
            Some(base) if !base_ids.contains(&base) => errors.push(format!(
                "{what}.uriBaseId `{base}` is not in originalUriBaseIds"
            )),
            Some(_) if absolute => errors.push(format!("{what} has an absolute uri and a base id")),
            None if !absolute => errors.push(format!("{what} has a relative uri and no base id")),
            _ => {}
        }
    } else {
        errors.push(format!("{what} has no uri"));
    }
}

fn location(
    v: &Value,
    what: &str,
    related: bool,
    base_ids: &HashSet<String>,
    errors: &mut Vec<String>,
) -> Option<i64> {
    let m = object(
        v,
        what,
        &[
            "id",
            "physicalLocation",
            "logicalLocations",
            "message",
            "annotations",
            "relationships",
            "properties",
        ],
        errors,
    );
    let id = int_at_least(m.get("id"), -1, &format!("{what}.id"), errors);
    if related && id.is_none() {
        errors.push(format!("{what} is a related location without an id"));
    }
    if let Some(msg) = m.get("message") {
        message(msg, &format!("{what}.message"), false, errors);
    }
    let Some(pl) = require(m, what, "physicalLocation", errors) else {
        return id;
    };
    let what = format!("{what}.physicalLocation");
    let pm = object(
        pl,
        &what,
        &[
            "address",
            "artifactLocation",
            "region",
            "contextRegion",
            "properties",
        ],
        errors,
    );
    if let Some(al) = require(pm, &what, "artifactLocation", errors) {
        artifact_location(al, &format!("{what}.artifactLocation"), base_ids, errors);
    }
    if let Some(r) = require(pm, &what, "region", errors) {
        let what = format!("{what}.region");
        let rm = object(
            r,
            &what,
            &[
                "startLine",
                "startColumn",
                "endLine",
                "endColumn",
                "charOffset",
                "charLength",
                "byteOffset",
                "byteLength",
                "snippet",
                "message",
                "sourceLanguage",
                "properties",
            ],
            errors,
        );
        let n = |k: &str, errors: &mut Vec<String>| {
            int_at_least(rm.get(k), 1, &format!("{what}.{k}"), errors)
        };
        let (sl, sc, el, ec) = (
            n("startLine", errors),
            n("startColumn", errors),
            n("endLine", errors),
            n("endColumn", errors),
        );
        match (sl, sc, el, ec) {
            (Some(sl), Some(sc), Some(el), Some(ec)) => {
                if (el, ec) < (sl, sc) {
                    errors.push(format!("{what} ends before it starts"));
                }
            }
            _ => errors.push(format!("{what} lacks a line or column")),
        }
    }
    id
}

/// Every violation found in `log`, as sentences; empty when it is valid.
fn validate(log: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let e = &mut errors;
    let v: Value = match serde_json::from_str(log) {
        Ok(v) => v,
        Err(err) => return vec![format!("not JSON: {err}")],
    };
    let top = object(
        &v,
        "sarifLog",
        &[
            "$schema",
            "version",
            "runs",
            "inlineExternalProperties",
            "properties",
        ],
        e,
    );
    one_of(
        require(top, "sarifLog", "version", e),
        &["2.1.0"],
        "sarifLog.version",
        e,
    );
    string(top.get("$schema"), "sarifLog.$schema", e);
    let runs = array(require(top, "sarifLog", "runs", e), "sarifLog.runs", e);
    if runs.len() != 1 {
        e.push(format!("expected one run, found {}", runs.len()));
    }
    for (ri, run) in runs.iter().enumerate() {
        let what = format!("runs[{ri}]");
        let rm = object(
            run,
            &what,
            &[
                "tool",
                "invocations",
                "conversion",
                "language",
                "versionControlProvenance",
                "originalUriBaseIds",
                "artifacts",
                "logicalLocations",
                "graphs",
                "results",
                "automationDetails",
                "runAggregates",
                "baselineGuid",
                "redactionTokens",
                "defaultEncoding",
                "defaultSourceLanguage",
                "newlineSequences",
                "columnKind",
                "externalPropertyFileReferences",
                "threadFlowLocations",
                "taxonomies",
                "addresses",
                "translations",
                "policies",
                "webRequests",
                "webResponses",
                "specialLocations",
                "properties",
            ],
            e,
        );
        one_of(
            rm.get("columnKind"),
            &["utf16CodeUnits", "unicodeCodePoints"],
            "columnKind",
            e,
        );
        if rm.get("columnKind").and_then(Value::as_str) != Some("utf16CodeUnits") {
            e.push("columnKind is not declared as utf16CodeUnits".into());
        }

        let mut base_ids = HashSet::new();
        if let Some(bases) = rm.get("originalUriBaseIds") {
            let bm = object(bases, "originalUriBaseIds", &["%SRCROOT%"], e);
            for (k, b) in bm {
                let what = format!("originalUriBaseIds.{k}");
                let m = object(
                    b,
                    &what,
                    &["uri", "uriBaseId", "index", "description", "properties"],
                    e,
                );
                if let Some(uri) = string(m.get("uri"), &what, e) {
                    if !(uri.starts_with("file:///") && uri.ends_with('/')) {
                        e.push(format!(
                            "{what}.uri `{uri}` is not an absolute directory URI"
                        ));
                    }
                }
                if let Some(d) = m.get("description") {
                    message(d, &format!("{what}.description"), false, e);
                }
                base_ids.insert(k.clone());
            }
        }

        let tool = object(
            require(rm, &what, "tool", e).unwrap_or(&Value::Null),
            "tool",
            &["driver", "extensions", "properties"],
            e,
        );
        let driver = object(
            require(tool, "tool", "driver", e).unwrap_or(&Value::Null),
            "driver",
            &[
                "guid",
                "name",
                "organization",
                "product",
                "productSuite",
                "shortDescription",
                "fullDescription",
                "fullName",
                "version",
                "semanticVersion",
                "dottedQuadFileVersion",
                "releaseDateUtc",
                "downloadUri",
                "informationUri",
                "globalMessageStrings",
                "notifications",
                "rules",
                "taxa",
                "locations",
                "language",
                "contents",
                "isComprehensive",
                "localizedDataSemanticVersion",
                "minimumRequiredLocalizedDataSemanticVersion",
                "associatedComponent",
                "translationMetadata",
                "supportedTaxonomies",
                "properties",
            ],
            e,
        );
        if string(require(driver, "driver", "name", e), "driver.name", e).as_deref()
            != Some("racelens")
        {
            e.push("driver.name is not racelens".into());
        }
        string(driver.get("version"), "driver.version", e);
        string(driver.get("informationUri"), "driver.informationUri", e);
        let rules = array(driver.get("rules"), "driver.rules", e);
        let mut rule_ids = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            let what = format!("rules[{i}]");
            let m = object(
                rule,
                &what,
                &[
                    "id",
                    "deprecatedIds",
                    "guid",
                    "deprecatedGuids",
                    "name",
                    "deprecatedNames",
                    "shortDescription",
                    "fullDescription",
                    "messageStrings",
                    "defaultConfiguration",
                    "helpUri",
                    "help",
                    "relationships",
                    "properties",
                ],
                e,
            );
            rule_ids.push(
                string(require(m, &what, "id", e), &format!("{what}.id"), e).unwrap_or_default(),
            );
            string(m.get("name"), &format!("{what}.name"), e);
            string(m.get("helpUri"), &format!("{what}.helpUri"), e);
            for k in ["shortDescription", "fullDescription", "help"] {
                // GitHub requires help text and a full description; the schema makes them
                // optional multiformatMessageStrings.
                if let Some(t) = require(m, &what, k, e) {
                    message(t, &format!("{what}.{k}"), true, e);
                }
            }
            if let Some(dc) = require(m, &what, "defaultConfiguration", e) {
                let what = format!("{what}.defaultConfiguration");
                let cm = object(
                    dc,
                    &what,
                    &["enabled", "level", "rank", "parameters", "properties"],
                    e,
                );
                one_of(
                    cm.get("level"),
                    &["none", "note", "warning", "error"],
                    &format!("{what}.level"),
                    e,
                );
            }
            if let Some(p) = m.get("properties") {
                let pm = object(p, &format!("{what}.properties"), &["tags", "precision"], e);
                for t in array(pm.get("tags"), "tags", e) {
                    string(Some(t), "tag", e);
                }
                one_of(
                    pm.get("precision"),
                    &["very-high", "high", "medium", "low"],
                    "precision",
                    e,
                );
            }
        }
        if rule_ids.iter().collect::<HashSet<_>>().len() != rule_ids.len() {
            e.push("rule ids are not unique".into());
        }

        let results = array(require(rm, &what, "results", e), "results", e);
        for (i, result) in results.iter().enumerate() {
            let what = format!("results[{i}]");
            let m = object(
                result,
                &what,
                &[
                    "ruleId",
                    "ruleIndex",
                    "rule",
                    "kind",
                    "level",
                    "message",
                    "analysisTarget",
                    "locations",
                    "guid",
                    "correlationGuid",
                    "occurrenceCount",
                    "partialFingerprints",
                    "fingerprints",
                    "stacks",
                    "codeFlows",
                    "graphs",
                    "graphTraversals",
                    "relatedLocations",
                    "suppressions",
                    "baselineState",
                    "rank",
                    "attachments",
                    "hostedViewerUri",
                    "workItemUris",
                    "provenance",
                    "fixes",
                    "taxa",
                    "webRequest",
                    "webResponse",
                    "properties",
                ],
                e,
            );
            if let Some(msg) = require(m, &what, "message", e) {
                message(msg, &format!("{what}.message"), false, e);
            }
            one_of(
                m.get("level"),
                &["none", "note", "warning", "error"],
                &format!("{what}.level"),
                e,
            );
            let id = string(require(m, &what, "ruleId", e), &format!("{what}.ruleId"), e);
            let index = int_at_least(
                require(m, &what, "ruleIndex", e),
                -1,
                &format!("{what}.ruleIndex"),
                e,
            );
            if let (Some(id), Some(index)) = (id, index) {
                if rule_ids.get(index as usize) != Some(&id) {
                    e.push(format!("{what}: ruleIndex {index} is not the rule `{id}`"));
                }
            }
            let locations = array(
                require(m, &what, "locations", e),
                &format!("{what}.locations"),
                e,
            );
            if locations.len() != 1 {
                e.push(format!("{what} has {} locations, not 1", locations.len()));
            }
            for (j, l) in locations.iter().enumerate() {
                location(l, &format!("{what}.locations[{j}]"), false, &base_ids, e);
            }
            let mut ids = HashSet::new();
            for (j, l) in array(m.get("relatedLocations"), "relatedLocations", e)
                .iter()
                .enumerate()
            {
                if let Some(id) = location(
                    l,
                    &format!("{what}.relatedLocations[{j}]"),
                    true,
                    &base_ids,
                    e,
                ) {
                    if !ids.insert(id) {
                        e.push(format!("{what}: related location id {id} repeats"));
                    }
                }
            }
            match m.get("partialFingerprints").and_then(Value::as_object) {
                Some(fp) if !fp.is_empty() => {
                    for (k, v) in fp {
                        string(Some(v), &format!("{what}.partialFingerprints.{k}"), e);
                    }
                }
                _ => e.push(format!("{what} has no partialFingerprints")),
            }
        }
    }
    errors
}

#[test]
fn the_sample_log_is_valid() {
    for options in [
        SarifOptions {
            tool_version: "0.1.0",
            information_uri: Some("https://racelens.dev"),
            srcroot: Some("/home/dev/project"),
        },
        SarifOptions {
            tool_version: "0.1.0",
            information_uri: None,
            srcroot: None,
        },
    ] {
        let log = sarif::render(
            &common::diagnostics(),
            &common::checks(),
            &common::sources(),
            &options,
        );
        assert_eq!(validate(&log), Vec::<String>::new());
        let log = sarif::render(&common::diagnostics(), &[], &NoSources, &options);
        assert_eq!(validate(&log), Vec::<String>::new());
        let log = sarif::render(&[], &common::checks(), &NoSources, &options);
        assert_eq!(validate(&log), Vec::<String>::new());
    }
}

#[test]
fn absolute_and_odd_paths_stay_valid() {
    let mut diags = common::diagnostics();
    diags[0].location.path = "/abs/dir with space/w.go".into();
    diags[1].location.path = "./rel\\win#1.go".into();
    let p = racelens_diagnostics::Position::new(1, 1, 0);
    diags[2].related.push(racelens_diagnostics::Related {
        label: "elsewhere".into(),
        location: racelens_diagnostics::Location::new("C:/go/x.go", p, p),
    });
    let options = SarifOptions {
        tool_version: "0.1.0",
        information_uri: None,
        srcroot: Some("/home/dev/project"),
    };
    let log = sarif::render(&diags, &common::checks(), &common::sources(), &options);
    assert_eq!(validate(&log), Vec::<String>::new());
    assert!(
        log.contains("\"uri\": \"file:///abs/dir%20with%20space/w.go\""),
        "{log}"
    );
    assert!(log.contains("\"uri\": \"rel/win%231.go\""), "{log}");
    assert!(log.contains("\"uri\": \"file:///C:/go/x.go\""), "{log}");
}

/// The validator itself must reject what the schema rejects, or the test above proves
/// nothing.
#[test]
fn the_validator_catches_violations() {
    let options = SarifOptions {
        tool_version: "0.1.0",
        information_uri: None,
        srcroot: Some("/p"),
    };
    let good = sarif::render(
        &common::diagnostics(),
        &common::checks(),
        &common::sources(),
        &options,
    );
    let mut v: Value = serde_json::from_str(&good).unwrap();
    let run = &mut v["runs"][0];
    run["results"][0]["region"] = Value::Null; // in the wrong object
    run["results"][1]["ruleIndex"] = 0.into();
    run["results"][2]["locations"][0]["physicalLocation"]["region"]["startColumn"] = 0.into();
    run["results"][3]["level"] = "fatal".into();
    run["results"][4]["message"] = serde_json::json!({ "markdown": "x" });
    run["results"][5]["relatedLocations"][1]["id"] = 1.into();
    run["results"][6]["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] =
        "%OTHER%".into();
    run["tool"]["driver"]["rules"][0]["help"] = Value::Null;
    run["columnKind"] = "bytes".into();
    v["version"] = "2.0.0".into();
    let errors = validate(&v.to_string());
    let expect = [
        "sarifLog.version `2.0.0` is not one of",
        "columnKind `bytes` is not one of",
        "rules[0].help is not an object",
        "results[0] has property `region`",
        "results[1]: ruleIndex 0 is not the rule",
        "results[2].locations[0].physicalLocation.region.startColumn is not an integer >= 1",
        "results[3].level `fatal`",
        "results[4].message lacks required `text`",
        "results[5]: related location id 1 repeats",
        "uriBaseId `%OTHER%` is not in originalUriBaseIds",
    ];
    for x in expect {
        assert!(
            errors.iter().any(|e| e.contains(x)),
            "no error like {x:?} in {errors:#?}"
        );
    }
}
