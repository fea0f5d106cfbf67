//! The reverse of the bindings: every occurrence of each def, for checks that follow a
//! variable through all its reads and writes.

use crate::def::DefId;
use crate::scope::PackageScopes;
use racelens_syntax::ast::IdentId;

/// Occurrences of every def of a package, grouped by def (a compressed index: one offset
/// per def into a single array of sites).
#[derive(Clone, Debug)]
pub struct References {
    offsets: Vec<u32>,
    sites: Vec<(u32, IdentId)>,
}

impl References {
    /// Builds the index of `scopes` in two passes over the bindings (count, then fill).
    pub fn new(scopes: &PackageScopes) -> References {
        let mut counts = vec![0u32; scopes.defs.len() + 1];
        for fi in 0..scopes.files.len() {
            for d in scopes.bindings(fi).iter().flatten() {
                counts[d.index() + 1] += 1;
            }
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let mut fill = counts.clone();
        let mut sites = vec![(0, IdentId::new(0)); counts[counts.len() - 1] as usize];
        for fi in 0..scopes.files.len() {
            for (i, b) in scopes.bindings(fi).iter().enumerate() {
                if let Some(d) = b {
                    let slot = &mut fill[d.index()];
                    sites[*slot as usize] = (fi as u32, IdentId::new(i as u32));
                    *slot += 1;
                }
            }
        }
        References {
            offsets: counts,
            sites,
        }
    }

    /// The occurrences of `def`, its declaration included, as `(file, identifier)`, ordered
    /// by file then identifier id.
    pub fn of(&self, def: DefId) -> &[(u32, IdentId)] {
        let i = def.index();
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.sites[a as usize..b as usize],
            _ => &[],
        }
    }
}
