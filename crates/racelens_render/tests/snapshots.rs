//! Snapshots of what users see: every renderer's output for the shared hand-made diagnostics.

mod common;

use racelens_render::sarif::SarifOptions;
use racelens_render::text::TextOptions;
use racelens_render::{github, json, sarif, text};

const SARIF_OPTIONS: SarifOptions<'static> = SarifOptions {
    tool_version: "0.1.0",
    information_uri: Some("https://racelens.dev"),
    srcroot: Some("/home/dev/project"),
};

#[test]
fn text_plain() {
    let out = text::render(
        &common::diagnostics(),
        &common::sources(),
        &TextOptions::default(),
    );
    insta::assert_snapshot!(out);
}

#[test]
fn text_with_code_frames() {
    let options = TextOptions {
        code_frame: true,
        color: false,
    };
    let out = text::render(&common::diagnostics(), &common::sources(), &options);
    insta::assert_snapshot!(out);
}

#[test]
fn json() {
    insta::assert_snapshot!(json::render(&common::diagnostics()));
}

#[test]
fn sarif() {
    let out = sarif::render(
        &common::diagnostics(),
        &common::checks(),
        &common::sources(),
        &SARIF_OPTIONS,
    );
    insta::assert_snapshot!(out);
}

#[test]
fn github() {
    insta::assert_snapshot!(github::render(&common::diagnostics(), &common::sources()));
}
