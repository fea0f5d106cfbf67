//! Agreement of racelens's types with go/types on the Go 1.19 standard library (see
//! `tests/agreement/mod.rs`). The thresholds are ones the checker has reached; a drop
//! below them fails. A missing Go toolchain or GOROOT source fails too: it never skips.

mod agreement;

use std::path::Path;

#[test]
fn stdlib_agreement_with_go_types() {
    assert!(
        Path::new(agreement::GOROOT).join("src/sync").is_dir(),
        "GOROOT source missing: apt-get install golang-1.19-src"
    );
    let bin = agreement::build_oracle(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        Path::new(env!("CARGO_TARGET_TMPDIR")),
    );
    let pkgs = agreement::std_packages();
    let (oracle, skipped) = agreement::run_oracle(&bin, &pkgs);
    assert!(
        oracle.len() >= 200,
        "oracle checked only {} packages",
        oracle.len()
    );
    assert!(skipped.len() <= 20, "oracle skipped {skipped:?}");
    let report = agreement::compare_all(&oracle, 2);
    println!("{}", report.table());
    let pct = |cats: &[&str]| {
        let c = report.sum(cats);
        (c.pct(c.agree), c.pct(c.wrong), c.total())
    };
    let (ident, ident_wrong, n) = pct(&["ident.resolve"]);
    assert!(n > 300_000, "only {n} identifier records");
    assert!(ident >= 99.99, "identifier resolution {ident:.2}%");
    assert!(
        ident_wrong < 0.01,
        "identifier resolution wrong {ident_wrong:.3}%"
    );
    let (checks, checks_wrong, _) = pct(&["selrecv.type", "call.type", "index.type"]);
    assert!(checks >= 99.95, "receiver/call/operand types {checks:.2}%");
    assert!(
        checks_wrong < 0.01,
        "receiver/call/operand types wrong {checks_wrong:.3}%"
    );
    for cat in [
        "ident.type",
        "sel.resolve",
        "sel.type",
        "selrecv.type",
        "call.type",
        "index.type",
        "composite.type",
    ] {
        let c = report.get(cat);
        assert!(c.total() > 10_000, "{cat}: only {} records", c.total());
        assert!(
            c.pct(c.agree) >= 99.8,
            "{cat}: agreement {:.2}%",
            c.pct(c.agree)
        );
        assert!(c.pct(c.wrong) < 0.01, "{cat}: wrong {:.3}%", c.pct(c.wrong));
    }
}
