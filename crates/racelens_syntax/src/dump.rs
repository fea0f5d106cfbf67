//! The node dump compared with go/parser's by the differential test. (Placeholder.)

use crate::ast::File;

pub fn dump(_file: &File) -> String {
    String::new()
}
