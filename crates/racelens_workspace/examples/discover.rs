//! Prints what discovery finds for the arguments, one package a line; used to compare
//! with `go list` by hand: `cargo run -p racelens_workspace --example discover -- ./...`.

use racelens_workspace::{discover, DiscoverOptions};

fn main() {
    let mut opts = DiscoverOptions::default();
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--include-generated") {
        args.remove(i);
        opts.include_generated = true;
    }
    let cwd = std::env::current_dir().expect("the working directory is readable");
    let start = std::time::Instant::now();
    let ws = discover(&cwd, &args, &opts);
    let elapsed = start.elapsed();
    for p in &ws.packages {
        let names: Vec<String> = p
            .files
            .iter()
            .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        println!("{} {}", p.import_path, names.join(" "));
    }
    for problem in &ws.problems {
        eprintln!("{problem}");
    }
    eprintln!(
        "{} packages, {} files, {} skipped, {:?}",
        ws.packages.len(),
        ws.file_count(),
        ws.skipped_count(|_| true),
        elapsed
    );
}
