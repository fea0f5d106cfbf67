//! Output does not depend on input order, and SARIF fingerprints survive line shifts.

mod common;

use std::collections::BTreeMap;

use racelens_diagnostics::{Category, Diagnostic};
use racelens_render::sarif::{self, SarifOptions, FINGERPRINT_KEY};
use racelens_render::text::TextOptions;
use racelens_render::{github, json, text, Sources};
use serde_json::Value;

const OPTIONS: SarifOptions<'static> = SarifOptions {
    tool_version: "0.1.0",
    information_uri: None,
    srcroot: None,
};

fn all_formats(diags: &[Diagnostic]) -> Vec<String> {
    let sources = common::sources();
    let mut checks = common::checks();
    checks.reverse();
    vec![
        text::render(diags, &sources, &TextOptions::default()),
        text::render(
            diags,
            &sources,
            &TextOptions {
                code_frame: true,
                color: true,
            },
        ),
        json::render(diags),
        sarif::render(diags, &checks, &sources, &OPTIONS),
        github::render(diags, &sources),
    ]
}

#[test]
fn output_is_the_same_whatever_the_input_order() {
    let diags = common::diagnostics();
    let expected = all_formats(&diags);
    let mut orders = vec![diags.iter().rev().cloned().collect::<Vec<_>>()];
    for k in 1..diags.len() {
        let mut v = diags.clone();
        v.rotate_left(k);
        orders.push(v);
    }
    // A fixed pseudo-random shuffle (xorshift) for an order that is neither a rotation nor
    // a reversal.
    let mut v = diags.clone();
    let mut x: u32 = 0x9e37_79b9;
    for i in (1..v.len()).rev() {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        v.swap(i, x as usize % (i + 1));
    }
    orders.push(v);
    for order in orders {
        assert_eq!(all_formats(&order), expected);
    }
    // The registry's order does not matter either.
    let sources = common::sources();
    assert_eq!(
        sarif::render(&diags, &common::checks(), &sources, &OPTIONS),
        expected[3]
    );
}

fn fingerprints(diags: &[Diagnostic], sources: &dyn Sources) -> Vec<(String, u64, String)> {
    let log: Value = serde_json::from_str(&sarif::render(diags, &[], sources, &OPTIONS)).unwrap();
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
                r["partialFingerprints"][FINGERPRINT_KEY]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

/// The dup.go diagnostics of the shared sample, placed in `src` (a variant of `DUP_GO`).
fn dup_diagnostics(src: &str) -> Vec<Diagnostic> {
    let d = |nth| common::span("dup/dup.go", src, "counter++", nth);
    vec![
        Diagnostic::new(
            "captured-variable-write",
            Category::Suspicious,
            "`counter` is written by two goroutines",
            d(0),
        ),
        Diagnostic::new(
            "captured-variable-write",
            Category::Suspicious,
            "`counter` is written by two goroutines",
            d(1),
        ),
        Diagnostic::new(
            "loop-variable-capture",
            Category::Nursery,
            "m",
            common::span("dup/dup.go", src, "counter := 0", 0),
        ),
    ]
}

#[test]
fn fingerprints_survive_line_shifts_and_reindentation() {
    let before = common::DUP_GO;
    // Three lines added above, and the first function re-indented with spaces.
    let after = before
        .replace(
            "package dup\n",
            "package dup\n\n// Package dup does things.\n// More.\n",
        )
        .replace(
            "\t\tcounter++\n\t}()\n\tgo",
            "        counter++\n\t}()\n\tgo",
        );
    let sources = |src: &str| BTreeMap::from([("dup/dup.go".to_string(), src.to_string())]);
    let a = fingerprints(&dup_diagnostics(before), &sources(before));
    let b = fingerprints(&dup_diagnostics(&after), &sources(&after));
    assert_eq!(a.len(), 3);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.0, y.0);
        assert_eq!(y.1, x.1 + 3, "the lines did move");
        assert_eq!(x.2, y.2, "fingerprint of {} changed", x.0);
    }
    // The two reports on identical lines differ by their occurrence index.
    assert_eq!((a[1].1, a[2].1), (6, 9));
    assert_ne!(a[1].2, a[2].2);
}

#[test]
fn fingerprints_change_with_the_line_text_check_or_path() {
    let before = common::DUP_GO;
    let after = before.replacen("counter++", "counter += 2", 1);
    let sources = |src: &str| BTreeMap::from([("dup/dup.go".to_string(), src.to_string())]);
    let a = fingerprints(&dup_diagnostics(before), &sources(before));
    let mut diags = dup_diagnostics(before);
    diags[0].location = common::span("dup/dup.go", &after, "counter += 2", 0);
    diags[1].location = common::span("dup/dup.go", &after, "counter++", 0);
    let b = fingerprints(&diags, &sources(&after));
    // The first write's text changed, so its fingerprint did; the second one is now the
    // only `counter++` and so has occurrence index 0, which is the old first one's identity.
    let by_line =
        |v: &[(String, u64, String)], line| v.iter().find(|x| x.1 == line).unwrap().2.clone();
    assert_ne!(by_line(&a, 6), by_line(&b, 6));
    assert_eq!(by_line(&b, 9), by_line(&a, 6));
    assert_eq!(a[0].1, 4);
    assert_eq!(a[0].2, b[0].2, "an untouched line keeps its fingerprint");

    let mut moved = dup_diagnostics(before);
    for d in &mut moved {
        d.location.path = "other/dup.go".into();
    }
    let moved_sources = BTreeMap::from([("other/dup.go".to_string(), before.to_string())]);
    let c = fingerprints(&moved, &moved_sources);
    for (x, y) in a.iter().zip(&c) {
        assert_ne!(x.2, y.2);
    }
}
