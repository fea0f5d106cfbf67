//! Fuzz target: name resolution of any parsed bytes never panics, and every binding names
//! its def.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (file, _errors) = racelens_syntax::parse(data);
    let ps = racelens_semantic::resolve_package(&[&file]);
    for (i, b) in ps.bindings(0).iter().enumerate() {
        if let Some(d) = b {
            let id = racelens_syntax::ast::IdentId::new(i as u32);
            assert_eq!(&*ps.def(*d).name, file.ident_name(id));
        }
    }
});
