//! Prints the agreement table of racelens's types with go/types on the Go 1.19 standard
//! library (or on the import paths given as arguments), with samples of disagreements when
//! `RACELENS_SAMPLES` is set, and the time spent parsing and checking.
//!
//! `cargo run --release -p racelens_workspace --example types_agreement [--debian | paths...]`

#[path = "../tests/agreement/mod.rs"]
mod agreement;

use std::path::Path;
use std::time::Instant;

fn main() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = std::env::temp_dir().join("racelens_gotypes");
    std::fs::create_dir_all(&tmp).expect("temporary directory");
    let bin = agreement::build_oracle(manifest, &tmp);
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `--debian` measures the Debian golang-*-dev projects (etcd, docker, grpc) instead.
    let pkgs = if args.is_empty() {
        agreement::std_packages()
    } else if args[0] == "--debian" {
        [
            "go.etcd.io/etcd",
            "github.com/docker/docker",
            "google.golang.org/grpc",
        ]
        .iter()
        .flat_map(|p| agreement::gopath_packages(p))
        .collect()
    } else {
        args
    };
    let t = Instant::now();
    let (oracle, skipped) = agreement::run_oracle(&bin, &pkgs);
    eprintln!(
        "oracle: {} packages checked, {} skipped, {:.1}s",
        oracle.len(),
        skipped.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let report = agreement::compare_all(&oracle, 2);
    let wall = t.elapsed();
    print!("{}", report.table());
    println!(
        "packages {} files {}; racelens wall {:.2}s on 2 threads; summed per-package parse {:.2}s, model {:.2}s",
        report.packages,
        report.files,
        wall.as_secs_f64(),
        report.parse_time.as_secs_f64(),
        report.check_time.as_secs_f64()
    );
    if std::env::var_os("RACELENS_SAMPLES").is_some() {
        for (cat, samples) in &report.samples {
            println!("== {cat}");
            for s in samples {
                println!("  {s}");
            }
        }
    }
}
