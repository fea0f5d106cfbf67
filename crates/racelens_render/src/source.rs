//! Access to the files' source text, and the column arithmetic that needs it: UTF-16 columns
//! for SARIF and GitHub, display columns for code frames.

use std::collections::{BTreeMap, HashMap};

use unicode_width::UnicodeWidthChar;

/// Where renderers get a file's source text, by the path a diagnostic carries. A file that
/// is not available yields `None`; renderers then fall back to byte columns and leave code
/// frames out.
pub trait Sources {
    fn source(&self, path: &str) -> Option<&[u8]>;
}

/// No source text at all.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoSources;

impl Sources for NoSources {
    fn source(&self, _path: &str) -> Option<&[u8]> {
        None
    }
}

impl<S: AsRef<[u8]>> Sources for HashMap<String, S> {
    fn source(&self, path: &str) -> Option<&[u8]> {
        self.get(path).map(AsRef::as_ref)
    }
}

impl<S: AsRef<[u8]>> Sources for BTreeMap<String, S> {
    fn source(&self, path: &str) -> Option<&[u8]> {
        self.get(path).map(AsRef::as_ref)
    }
}

impl<T: Sources + ?Sized> Sources for &T {
    fn source(&self, path: &str) -> Option<&[u8]> {
        (**self).source(path)
    }
}

/// Line lookup over [`Sources`], computing each file's line starts once per render.
pub(crate) struct SourceLines<'a> {
    sources: &'a dyn Sources,
    files: HashMap<String, FileLines>,
}

/// What a render has worked out about one file's lines.
struct FileLines {
    /// The offset each line starts at.
    starts: Vec<usize>,
    /// For the lines longer than `SHORT_LINE` asked for a UTF-16 column, by line: the
    /// UTF-16 units before each byte (`utf16_units_before`), so that thousands of reports on
    /// one long line (generated code) do not each count from its start.
    long: HashMap<u32, Vec<u32>>,
}

/// Lines up to this many bytes have their UTF-16 columns counted each time they are asked.
const SHORT_LINE: usize = 256;

impl<'a> SourceLines<'a> {
    pub(crate) fn new(sources: &'a dyn Sources) -> SourceLines<'a> {
        SourceLines {
            sources,
            files: HashMap::new(),
        }
    }

    /// [`utf16_column`] of 1-based `byte_column` on `line` of `path`, or `None` when the
    /// line is not available.
    pub(crate) fn utf16_column(&mut self, path: &str, line: u32, byte_column: u32) -> Option<u32> {
        let text = self.line(path, line)?;
        if text.len() <= SHORT_LINE {
            return Some(utf16_column(text, byte_column));
        }
        let units = self
            .files
            .get_mut(path)?
            .long
            .entry(line)
            .or_insert_with(|| utf16_units_before(text));
        let want = byte_column.saturating_sub(1) as usize;
        let before = units[want.min(text.len())] as usize + want.saturating_sub(text.len());
        Some(u32::try_from(before + 1).unwrap_or(u32::MAX))
    }

    /// The text of 1-based `line` of `path`, without its line terminator (`\n` or `\r\n`).
    pub(crate) fn line(&mut self, path: &str, line: u32) -> Option<&'a [u8]> {
        let src: &'a [u8] = self.sources.source(path)?;
        // Look up before inserting so that the common hit allocates nothing.
        if !self.files.contains_key(path) {
            let lines = FileLines {
                starts: line_starts(src),
                long: HashMap::new(),
            };
            self.files.insert(path.to_string(), lines);
        }
        let starts = &self.files.get(path)?.starts;
        let i = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *starts.get(i)?;
        let end = starts.get(i + 1).map_or(src.len(), |&next| next - 1);
        let text = &src[start..end];
        Some(text.strip_suffix(b"\r").unwrap_or(text))
    }
}

fn line_starts(src: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        src.iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .map(|(i, _)| i + 1),
    );
    starts
}

/// Converts a 1-based byte column on `line` to a 1-based column counted in UTF-16 code
/// units, as SARIF's `utf16CodeUnits` column kind and GitHub expect.
///
/// A byte that is not part of valid UTF-8 counts as one unit (it shows as U+FFFD). A column
/// past the end of the line keeps its excess bytes as units, so a position just after the
/// line (on its terminator) maps to just after the line's last character.
pub fn utf16_column(line: &[u8], byte_column: u32) -> u32 {
    let want = byte_column.saturating_sub(1) as usize;
    let prefix = &line[..want.min(line.len())];
    let mut units = 0usize;
    for chunk in prefix.utf8_chunks() {
        units += chunk.valid().encode_utf16().count();
        units += chunk.invalid().len();
    }
    units += want.saturating_sub(line.len());
    u32::try_from(units + 1).unwrap_or(u32::MAX)
}

/// For each byte boundary `i` of `line` (`0..=line.len()`), the UTF-16 units of `line[..i]`
/// as [`utf16_column`] counts them: a character cut by the boundary counts a unit per byte
/// before it, as an invalid byte does.
fn utf16_units_before(line: &[u8]) -> Vec<u32> {
    let mut out = Vec::with_capacity(line.len() + 1);
    let mut units = 0u32;
    for chunk in line.utf8_chunks() {
        for c in chunk.valid().chars() {
            for k in 0..c.len_utf8() as u32 {
                out.push(units + k);
            }
            units += c.len_utf16() as u32;
        }
        for _ in chunk.invalid() {
            out.push(units);
            units += 1;
        }
    }
    out.push(units);
    out
}

/// A source line made fit for a terminal: tabs expanded to four spaces, invalid UTF-8 and
/// control characters shown as U+FFFD, and the display column of every byte boundary.
pub(crate) struct DisplayLine {
    pub(crate) text: String,
    /// `columns[i]` is the 0-based display column at which byte `i` of the line starts;
    /// `columns[line.len()]` is the width of the whole line.
    columns: Vec<usize>,
}

pub(crate) const TAB_WIDTH: usize = 4;

impl DisplayLine {
    pub(crate) fn new(line: &[u8]) -> DisplayLine {
        let mut text = String::with_capacity(line.len());
        let mut columns = Vec::with_capacity(line.len() + 1);
        let mut col = 0usize;
        for chunk in line.utf8_chunks() {
            for c in chunk.valid().chars() {
                let (shown, width) = match c {
                    '\t' => ("    ", TAB_WIDTH),
                    _ => match c.width() {
                        Some(w) if !c.is_control() => {
                            text.push(c);
                            ("", w)
                        }
                        _ => ("\u{FFFD}", 1),
                    },
                };
                text.push_str(shown);
                // Every byte of a multi-byte character maps to the character's start, so a
                // column that points inside a character still lands on it.
                columns.resize(columns.len() + c.len_utf8(), col);
                col += width;
            }
            for _ in chunk.invalid() {
                text.push('\u{FFFD}');
                columns.push(col);
                col += 1;
            }
        }
        columns.push(col);
        DisplayLine { text, columns }
    }

    /// The 0-based display column of the 0-based byte index `byte`, clamped to the line end.
    pub(crate) fn column(&self, byte: usize) -> usize {
        self.columns[byte.min(self.columns.len() - 1)]
    }

    #[cfg(test)]
    pub(crate) fn width(&self) -> usize {
        *self.columns.last().unwrap_or(&0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns() {
        // ASCII: byte columns and UTF-16 columns agree.
        assert_eq!(utf16_column(b"\tx := 1", 1), 1);
        assert_eq!(utf16_column(b"\tx := 1", 2), 2);
        // "é" is two bytes and one UTF-16 unit.
        let line = "s := \"é\" + x".as_bytes();
        let x_byte_col = line.iter().position(|&b| b == b'x').unwrap() as u32 + 1;
        assert_eq!(x_byte_col, 13);
        assert_eq!(utf16_column(line, x_byte_col), 12);
        // "世" is three bytes and one unit; "😀" is four bytes and two units (a surrogate pair).
        let line = "世😀x".as_bytes();
        assert_eq!(utf16_column(line, 1), 1);
        assert_eq!(utf16_column(line, 4), 2);
        assert_eq!(utf16_column(line, 8), 4);
        // Past the end of the line (the end of a span that takes in the newline).
        assert_eq!(utf16_column(line, 9), 5);
        assert_eq!(utf16_column(line, 10), 6);
        // Invalid UTF-8 counts a unit per byte.
        assert_eq!(utf16_column(b"\xff\xfex", 3), 3);
        // Column 0 is not a column; it is treated as 1 rather than underflowing.
        assert_eq!(utf16_column(b"abc", 0), 1);
    }

    /// The table of long lines gives what counting from the line's start gives, at every
    /// column, on lines of ASCII, of characters of every UTF-8 length and of invalid bytes.
    #[test]
    fn utf16_units_of_long_lines_agree_with_counting() {
        let pieces: [&[u8]; 7] = [
            b"x",
            b"\t",
            "é".as_bytes(),
            "世".as_bytes(),
            "😀".as_bytes(),
            b"\xff",
            b"\xe4\xb8",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for len in [0usize, 1, 5, 40, 300] {
            let mut line = Vec::new();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                line.extend_from_slice(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let units = utf16_units_before(&line);
            assert_eq!(units.len(), line.len() + 1);
            let src = [line.clone(), b"\n".to_vec()].concat();
            let files = HashMap::from([("a.go".to_string(), src)]);
            let mut lines = SourceLines::new(&files);
            for col in 0..line.len() as u32 + 4 {
                let want = utf16_column(&line, col);
                assert_eq!(
                    lines.utf16_column("a.go", 1, col),
                    Some(want),
                    "column {col} of {line:?}"
                );
            }
        }
    }

    #[test]
    fn display_line_expands_tabs_and_measures_wide_characters() {
        let d = DisplayLine::new("\tm[k] = \"世\"".as_bytes());
        assert_eq!(d.text, "    m[k] = \"世\"");
        assert_eq!(d.column(0), 0);
        assert_eq!(d.column(1), 4); // `m`, after the tab
        let quote = 1 + "m[k] = ".len();
        assert_eq!(d.column(quote), 11);
        // The three bytes of "世" all start at column 12, and it is two columns wide.
        assert_eq!(d.column(quote + 1), 12);
        assert_eq!(d.column(quote + 2), 12);
        assert_eq!(d.column(quote + 3), 12);
        assert_eq!(d.column(quote + 4), 14);
        assert_eq!(d.width(), 15);
        assert_eq!(d.column(999), 15);
    }

    #[test]
    fn display_line_replaces_control_and_invalid_bytes() {
        let d = DisplayLine::new(b"a\x1bb\xffc");
        assert_eq!(d.text, "a\u{FFFD}b\u{FFFD}c");
        assert_eq!(d.width(), 5);
        assert_eq!(d.column(4), 4);
    }

    #[test]
    fn lines_strip_terminators() {
        let mut files = HashMap::new();
        files.insert("a.go".to_string(), "one\r\ntwo\n\nfour".to_string());
        let mut lines = SourceLines::new(&files);
        assert_eq!(lines.line("a.go", 1), Some(&b"one"[..]));
        assert_eq!(lines.line("a.go", 2), Some(&b"two"[..]));
        assert_eq!(lines.line("a.go", 3), Some(&b""[..]));
        assert_eq!(lines.line("a.go", 4), Some(&b"four"[..]));
        assert_eq!(lines.line("a.go", 5), None);
        assert_eq!(lines.line("a.go", 0), None);
        assert_eq!(lines.line("b.go", 1), None);
    }
}
