//! The recall probes (`probes/`): programs written blind from the seed document and common
//! production bugs, in six batches, 108 with one data race each (`bug_*`, the two accesses
//! marked `// RACE` and `// RACE-ALSO`) and 78 correct ones (`ok_*`). Every check runs on them, as `racelens check --select all` does.

mod common;

use common::{check_dir, repo_root};
use std::collections::{BTreeMap, BTreeSet};

/// How many `bug_NN` packages have a report on a marked line, at least: raise it when a
/// change finds more, never lower it to make a change pass.
const FOUND_AT_LEAST: usize = 79;

/// The bug packages of the corpus.
const BUGS: usize = 108;

#[test]
fn probes_find_the_marked_races_and_stay_silent_on_correct_code() {
    let root = repo_root().join("probes");
    let out = check_dir(&root);
    // The marked lines of each bug package, as (package, path relative to the root, line).
    let mut marks: BTreeSet<(String, String, u32)> = BTreeSet::new();
    let mut bugs = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        let pkg = dir.file_name().unwrap().to_string_lossy().to_string();
        if !pkg.starts_with("bug_") {
            continue;
        }
        bugs += 1;
        for file in std::fs::read_dir(&dir).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_none_or(|e| e != "go") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy();
            for (i, line) in text.lines().enumerate() {
                if line.contains("// RACE") {
                    marks.insert((pkg.clone(), format!("{pkg}/{name}"), i as u32 + 1));
                }
            }
        }
    }
    assert_eq!(bugs, BUGS, "the probe corpus has {BUGS} bug packages");
    let mut found: BTreeSet<String> = BTreeSet::new();
    let mut false_alarms: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in &out.diagnostics {
        let path = d.location.path.replace('\\', "/");
        let pkg = path.split('/').next().unwrap_or("").to_string();
        if pkg.starts_with("ok_") {
            false_alarms
                .entry(pkg)
                .or_default()
                .push(format!("{path}:{}: {}", d.location.start.line, d.message));
        } else if marks.contains(&(pkg.clone(), path.clone(), d.location.start.line)) {
            found.insert(pkg);
        }
    }
    assert!(
        false_alarms.is_empty(),
        "reports on correct programs: {false_alarms:#?}"
    );
    assert!(
        found.len() >= FOUND_AT_LEAST,
        "{} of {BUGS} bug packages reported on a marked line, fewer than {FOUND_AT_LEAST}: {found:?}",
        found.len()
    );
}
