//! The default text output, in go vet's shape so editors and CI log parsers that read go vet
//! read racelens too:
//!
//! ```text
//! worker.go:12:3: map `m` is written concurrently (map-concurrent-write)
//!     worker.go:9:2: goroutine started here
//!     help: guard `m` with `mu`
//! ```
//!
//! The first line of each diagnostic is `path:line:col: message (check-name)` with 1-based
//! byte columns. Related locations follow on `path:line:col: label` lines and the help on a
//! `help:` line, each indented with one tab (shown as spaces above). With
//! [`TextOptions::code_frame`], the primary line of source is shown under the first line
//! with the span underlined, and diagnostics are separated by a blank line.

use std::fmt::Write;

use racelens_diagnostics::{Category, Diagnostic, Location};

use crate::source::{DisplayLine, SourceLines};
use crate::{sorted, Sources};

/// What the caller decided about the terminal it writes to.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct TextOptions {
    /// Show the source line with the primary span underlined.
    pub code_frame: bool,
    /// Use ANSI colors.
    pub color: bool,
}

const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// Renders `diagnostics`, sorted, one block each. `sources` is read only for code frames.
pub fn render(diagnostics: &[Diagnostic], sources: &dyn Sources, options: &TextOptions) -> String {
    let mut lines = SourceLines::new(sources);
    let mut out = String::new();
    let paint = |code: &'static str| if options.color { code } else { "" };
    for d in sorted(diagnostics) {
        let accent = match d.category {
            Category::Correctness | Category::Syntax => RED,
            Category::Suspicious | Category::Advice | Category::Nursery => YELLOW,
        };
        let l = &d.location;
        let _ = writeln!(
            out,
            "{}{}:{}:{}{}: {} {}({}){}",
            paint(BOLD),
            l.path,
            l.start.line,
            l.start.column,
            paint(RESET),
            d.message,
            paint(accent),
            d.check,
            paint(RESET),
        );
        if options.code_frame {
            if let Some(frame) = code_frame(&mut lines, &d.location) {
                let gutter = paint(CYAN);
                let reset = paint(RESET);
                let pad = " ".repeat(frame.number.len() + 2);
                let _ = writeln!(out, "{gutter}{pad}|{reset}");
                let text = format!(" {} | {}", frame.number, frame.text);
                let text = text.trim_end();
                let (num, rest) = text.split_at(frame.number.len() + 3);
                let _ = writeln!(out, "{gutter}{num}{reset}{rest}");
                let _ = writeln!(
                    out,
                    "{gutter}{pad}|{reset} {}{}{}{}",
                    " ".repeat(frame.underline_start),
                    paint(accent),
                    "^".repeat(frame.underline_len),
                    reset,
                );
            }
        }
        for r in &d.related {
            let rl = &r.location;
            let _ = writeln!(
                out,
                "\t{}:{}:{}: {}",
                rl.path, rl.start.line, rl.start.column, r.label
            );
        }
        if let Some(help) = &d.help {
            let _ = writeln!(out, "\t{}help:{} {}", paint(BOLD), paint(RESET), help);
        }
        if options.code_frame {
            out.push('\n');
        }
    }
    out
}

struct Frame {
    number: String,
    text: String,
    underline_start: usize,
    underline_len: usize,
}

/// Lines longer than this many bytes are shown around the span only (`code_frame`).
const LONG_LINE: usize = 160;
/// How many bytes of a long line are shown before and after the span, and of the span.
const FRAME_CONTEXT: usize = 40;
const FRAME_SPAN: usize = 80;

/// The primary line made displayable, with the span's display columns. A span that goes
/// on past its first line is underlined to the end of that line; an empty span gets one
/// caret. Of a line longer than `LONG_LINE` bytes (generated or minified code), only the
/// span's first `FRAME_SPAN` bytes and `FRAME_CONTEXT` bytes on each side are shown, with
/// `…` where the line goes on: such a line could hold thousands of reports, and printing it
/// whole under each would print its length times theirs.
fn code_frame(lines: &mut SourceLines<'_>, l: &Location) -> Option<Frame> {
    let raw = lines.line(&l.path, l.start.line)?;
    let start = (l.start.column.saturating_sub(1) as usize).min(raw.len());
    let end = if l.end.line == l.start.line {
        (l.end.column.saturating_sub(1) as usize).min(raw.len())
    } else {
        raw.len()
    };
    let (from, to) = if raw.len() > LONG_LINE {
        let shown_end = end.max(start).min(start + FRAME_SPAN);
        (
            char_start(raw, start.saturating_sub(FRAME_CONTEXT)),
            char_start(raw, (shown_end + FRAME_CONTEXT).min(raw.len())),
        )
    } else {
        (0, raw.len())
    };
    let line = DisplayLine::new(&raw[from..to]);
    let lead = usize::from(from > 0);
    let underline_start = lead + line.column(start - from);
    let underline_end = lead + line.column(end.clamp(start, to) - from);
    let mut text = String::with_capacity(line.text.len() + 6);
    if from > 0 {
        text.push('…');
    }
    text.push_str(&line.text);
    if to < raw.len() {
        text.push('…');
    }
    Some(Frame {
        number: l.start.line.to_string(),
        text,
        underline_start,
        underline_len: underline_end.saturating_sub(underline_start).max(1),
    })
}

/// `at`, moved back to the start of the UTF-8 character it is inside (if any).
fn char_start(line: &[u8], mut at: usize) -> usize {
    let floor = at.saturating_sub(3);
    while at > floor && at < line.len() && line[at] & 0xc0 == 0x80 {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use racelens_diagnostics::Position;
    use std::collections::HashMap;

    fn files(path: &str, src: &str) -> HashMap<String, String> {
        HashMap::from([(path.to_string(), src.to_string())])
    }

    fn diag(src: &str, needle: &str) -> Diagnostic {
        let start = src.find(needle).unwrap() as u32;
        let loc = Location::from_span("a.go", src.as_bytes(), start..start + needle.len() as u32);
        Diagnostic::new("c", Category::Correctness, "m", loc)
    }

    const FRAMES: TextOptions = TextOptions {
        code_frame: true,
        color: false,
    };

    #[test]
    fn plain_line_is_go_vet_shape() {
        let src = "package p\n\tx++\n";
        let d = diag(src, "x++")
            .with_related("here", Location::from_span("b.go", b"", 0..0))
            .with_help("do it");
        let out = render(&[d], &NoSources, &TextOptions::default());
        assert_eq!(out, "a.go:2:2: m (c)\n\tb.go:1:1: here\n\thelp: do it\n");
    }

    #[test]
    fn frame_underlines_after_tabs() {
        let src = "package p\n\t\tcount++ // x\n";
        let out = render(&[diag(src, "count++")], &files("a.go", src), &FRAMES);
        assert_eq!(
            out,
            "a.go:2:3: m (c)\n   |\n 2 |         count++ // x\n   |         ^^^^^^^\n\n"
        );
    }

    #[test]
    fn frame_underlines_after_multibyte_and_wide_characters() {
        let src = "package p\nvar s = \"é世\"; x = 1\n";
        let out = render(&[diag(src, "x = 1")], &files("a.go", src), &FRAMES);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "a.go:2:18: m (c)");
        assert_eq!(lines[2], " 2 | var s = \"é世\"; x = 1");
        // `é` is one column and `世` two, so `x` is at display column 15 (0-based) of the text.
        assert_eq!(lines[3], format!("   |{}^^^^^", " ".repeat(16)));
        let x = lines[2].find('x').unwrap();
        assert_eq!(
            lines[2][..x].chars().count() + 1,
            lines[3].find('^').unwrap()
        );
    }

    #[test]
    fn long_lines_are_framed_around_the_span() {
        // A line of 2,000 statements with wide characters: the frame shows the span and a
        // little on each side, with `…` where the line goes on, and underlines the span.
        let body: String = (0..2000).map(|i| format!("s{i} = \"世\"; ")).collect();
        let src = format!("package p\nfunc f() {{ {body}}}\n");
        let files = files("a.go", &src);
        for needle in ["s0 = ", "s1000 = ", "s1999 = "] {
            let out = render(&[diag(&src, needle)], &files, &FRAMES);
            let lines: Vec<&str> = out.lines().collect();
            let text = lines[2].trim_start_matches(" 2 | ");
            assert!(text.chars().count() < 200, "{text}");
            assert_eq!(text.starts_with('…'), needle != "s0 = ", "{text}");
            assert_eq!(text.ends_with('…'), needle != "s1999 = ", "{text}");
            // The carets sit under the needle (every character before it is one column
            // wide but `世`, which is two).
            let at = text.find(needle).unwrap();
            let columns: usize = text[..at]
                .chars()
                .map(|c| if c == '世' { 2 } else { 1 })
                .sum();
            let caret = lines[3].find('^').unwrap() - " 2 | ".len();
            assert_eq!(caret, columns, "{out}");
            assert_eq!(lines[3].matches('^').count(), needle.len());
        }
        // A span longer than the window is underlined to the window's end.
        let long = Location::new(
            "a.go",
            racelens_diagnostics::Position::new(2, 12, 0),
            racelens_diagnostics::Position::new(2, 5000, 0),
        );
        let d = Diagnostic::new("c", Category::Correctness, "m", long);
        let out = render(&[d], &files, &FRAMES);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[2].ends_with('…'));
        let shown = lines[2].trim_start_matches(" 2 | ").trim_end_matches('…');
        let width: usize = shown
            .chars()
            .skip(11)
            .map(|c| if c == '世' { 2 } else { 1 })
            .sum();
        assert_eq!(lines[3].matches('^').count(), width);
    }

    #[test]
    fn frame_for_empty_and_multiline_spans() {
        let src = "package p\nfunc f() {\n}\n";
        let mut d = diag(src, "{\n}");
        let out = render(&[d.clone()], &files("a.go", src), &FRAMES);
        assert!(out.contains(" 2 | func f() {\n   |          ^\n"), "{out}");
        d.location.end = d.location.start;
        let out2 = render(&[d.clone()], &files("a.go", src), &FRAMES);
        assert_eq!(out, out2);
        // Without the source, there is no frame but the rest is unchanged.
        let out3 = render(&[d], &NoSources, &FRAMES);
        assert_eq!(out3, "a.go:2:10: m (c)\n\n");
    }

    #[test]
    fn frame_is_left_out_when_the_line_is_missing() {
        let p = Position::new(40, 1, 999);
        let d = Diagnostic::new("c", Category::Advice, "m", Location::new("a.go", p, p));
        let out = render(&[d], &files("a.go", "package p\n"), &FRAMES);
        assert_eq!(out, "a.go:40:1: m (c)\n\n");
    }

    #[test]
    fn color_wraps_position_check_and_carets() {
        let src = "package p\nx\n";
        let out = render(
            &[diag(src, "x")],
            &files("a.go", src),
            &TextOptions {
                code_frame: true,
                color: true,
            },
        );
        assert!(
            out.starts_with("\x1b[1ma.go:2:1\x1b[0m: m \x1b[31m(c)\x1b[0m\n"),
            "{out:?}"
        );
        assert!(out.contains("\x1b[31m^\x1b[0m"), "{out:?}");
    }

    use crate::NoSources;
}
