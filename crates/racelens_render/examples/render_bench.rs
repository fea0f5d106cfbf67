//! Times every renderer on many synthetic diagnostics:
//! `cargo run --release -p racelens_render --example render_bench [COUNT]`.

use std::collections::HashMap;
use std::time::Instant;

use racelens_diagnostics::{Category, Diagnostic, Location, Position};
use racelens_render::sarif::SarifOptions;
use racelens_render::text::TextOptions;
use racelens_render::{github, json, sarif, text};

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    // 100 files of 2,000 lines each, a diagnostic on one line in twenty.
    let line = "\t\tm[\"clé\"] = append(m[\"clé\"], v) // 写入\n";
    let src: String = line.repeat(2_000);
    let mut sources = HashMap::new();
    let mut diags = Vec::with_capacity(count);
    for i in 0..count {
        let path = format!("pkg{}/file{}.go", i % 10, (i / 10) % 10);
        let l = (i * 20) % 2_000;
        // Positions are placed directly: `Location::from_span` scans the text, which would
        // dominate the run.
        let start = (l * line.len() + 2) as u32;
        let at = |col: u32, off: u32| Position::new(l as u32 + 1, col, off);
        let loc = Location::new(path.clone(), at(3, start), at(13, start + 10));
        let related = Location::new(path.clone(), Position::new(1, 1, 0), Position::new(1, 3, 2));
        sources.entry(path).or_insert_with(|| src.clone());
        let category = Category::ALL[i % 4];
        diags.push(
            Diagnostic::new(
                "map-concurrent-write",
                category,
                "map `m` is written concurrently",
                loc,
            )
            .with_related("goroutine started here", related)
            .with_help("lock `mu` around the write"),
        );
    }
    // Reverse so the renderers' sort has work to do.
    diags.reverse();
    let options = SarifOptions {
        tool_version: "0.1.0",
        information_uri: None,
        srcroot: None,
    };
    let frames = TextOptions {
        code_frame: true,
        color: false,
    };
    let time = |name: &str, f: &dyn Fn() -> String| {
        let t = Instant::now();
        let out = f();
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{name:<12} {count} diagnostics: {:>7.1} ms, {:>6.1} MB out, {:>9.0} diagnostics/s",
            secs * 1e3,
            out.len() as f64 / 1e6,
            count as f64 / secs
        );
    };
    time("sort only", &|| {
        let mut v: Vec<&Diagnostic> = diags.iter().collect();
        v.sort();
        String::with_capacity(v.len() / 1000)
    });
    time("text", &|| {
        text::render(&diags, &sources, &TextOptions::default())
    });
    time("text+frames", &|| text::render(&diags, &sources, &frames));
    time("json", &|| json::render(&diags));
    time("sarif", &|| sarif::render(&diags, &[], &sources, &options));
    time("github", &|| github::render(&diags, &sources));
}
