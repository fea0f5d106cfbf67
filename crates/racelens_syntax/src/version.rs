//! Go language versions (`1.21`, `go1.22.3`, `1.23rc1`) as they appear in go.mod, go.work and build tags.

use std::fmt;

/// A Go language version: only major and minor matter for language semantics.
///
/// Patch releases and pre-release suffixes (`1.21.3`, `1.22rc1`) are accepted when
/// parsing and dropped, because the language a file is written in changes only with
/// the minor version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GoVersion {
    pub major: u32,
    pub minor: u32,
}

/// The newest Go release racelens knows; it is the toolchain racelens emulates for
/// release tags and the language version of code outside any module.
pub const LATEST_GO: GoVersion = GoVersion::new(1, 26);

/// Since Go 1.21 a `//go:build go1.N` line sets the file's language version, but
/// never below go1.21 (the first release that understood such lines).
pub const FILE_VERSION_FLOOR: GoVersion = GoVersion::new(1, 21);

impl GoVersion {
    pub const fn new(major: u32, minor: u32) -> GoVersion {
        GoVersion { major, minor }
    }

    /// Parses `1.21`, `1.21.3`, `1.21rc1`, `1`, with or without a leading `go`.
    pub fn parse(text: &str) -> Option<GoVersion> {
        let text = text.strip_prefix("go").unwrap_or(text);
        let (major, rest) = split_number(text)?;
        if rest.is_empty() {
            return Some(GoVersion::new(major, 0));
        }
        let rest = rest.strip_prefix('.')?;
        let (minor, rest) = split_number(rest)?;
        if !rest.is_empty() && !valid_suffix(rest) {
            return None;
        }
        Some(GoVersion::new(major, minor))
    }

    /// The release build tag for this version, e.g. `go1.21`.
    pub fn tag(self) -> String {
        format!("go{}.{}", self.major, self.minor)
    }
}

/// Accepts what may follow `1.N`: a patch number (`.3`) or a pre-release (`rc1`, `beta2`).
fn valid_suffix(rest: &str) -> bool {
    if let Some(patch) = rest.strip_prefix('.') {
        return matches!(split_number(patch), Some((_, "")));
    }
    let letters = rest.bytes().take_while(u8::is_ascii_lowercase).count();
    letters > 0 && matches!(split_number(&rest[letters..]), Some((_, "")))
}

/// Splits a leading decimal number (no leading zeros except `0` itself) off `text`.
fn split_number(text: &str) -> Option<(u32, &str)> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || (digits > 1 && text.starts_with('0')) {
        return None;
    }
    let n = text[..digits].parse().ok()?;
    Some((n, &text[digits..]))
}

impl fmt::Display for GoVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_go_mod_forms() {
        assert_eq!(GoVersion::parse("1.21"), Some(GoVersion::new(1, 21)));
        assert_eq!(GoVersion::parse("1.21.3"), Some(GoVersion::new(1, 21)));
        assert_eq!(GoVersion::parse("1.22rc1"), Some(GoVersion::new(1, 22)));
        assert_eq!(GoVersion::parse("go1.9"), Some(GoVersion::new(1, 9)));
        assert_eq!(GoVersion::parse("1"), Some(GoVersion::new(1, 0)));
        for bad in [
            "", "1.", "1.x", "01.2", "1.02", "1.2.", "1.2rc", "1.2-rc1", "v1.2",
        ] {
            assert_eq!(GoVersion::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn orders_numerically() {
        assert!(GoVersion::new(1, 9) < GoVersion::new(1, 10));
        assert_eq!(GoVersion::new(1, 22).tag(), "go1.22");
        assert_eq!(GoVersion::new(1, 22).to_string(), "1.22");
    }
}
