//! Sets of held locks with their mode, as small sorted vectors (most sets are empty or hold
//! one lock, and an empty set does not allocate).

use crate::PlaceId;

/// How a lock is held.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum LockMode {
    /// `RLock`: shared with other readers.
    Read,
    /// `Lock`: exclusive.
    Write,
}

/// The locks held at a program point.
#[derive(Clone, Default, PartialEq, Eq, Hash, Debug)]
pub struct LockSet(Vec<(PlaceId, LockMode)>);

impl LockSet {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (PlaceId, LockMode)> + '_ {
        self.0.iter().copied()
    }

    /// The mode `lock` is held in, if held.
    pub fn mode(&self, lock: PlaceId) -> Option<LockMode> {
        self.0
            .binary_search_by_key(&lock, |e| e.0)
            .ok()
            .map(|i| self.0[i].1)
    }

    /// Acquires `lock` (a write hold wins over a read hold).
    pub fn acquire(&mut self, lock: PlaceId, mode: LockMode) {
        match self.0.binary_search_by_key(&lock, |e| e.0) {
            Ok(i) => self.0[i].1 = self.0[i].1.max(mode),
            Err(i) => self.0.insert(i, (lock, mode)),
        }
    }

    /// Releases `lock`; whether it was held.
    pub fn release(&mut self, lock: PlaceId) -> bool {
        match self.0.binary_search_by_key(&lock, |e| e.0) {
            Ok(i) => {
                self.0.remove(i);
                true
            }
            Err(_) => false,
        }
    }

    /// A copy with room for `extra` more locks, so that acquiring them does not allocate
    /// again.
    pub fn clone_with_room(&self, extra: usize) -> LockSet {
        let mut v = Vec::with_capacity(self.0.len() + extra);
        v.extend_from_slice(&self.0);
        LockSet(v)
    }

    /// Both sets together (a lock held in both is held in the stronger mode): one merge of
    /// the two sorted vectors into one allocation.
    pub fn union(&self, other: &LockSet) -> LockSet {
        if other.is_empty() {
            return self.clone();
        }
        if self.is_empty() {
            return other.clone();
        }
        let (a, b) = (&self.0, &other.0);
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => {
                    out.push(a[i]);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push(b[j]);
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    out.push((a[i].0, a[i].1.max(b[j].1)));
                    i += 1;
                    j += 1;
                }
            }
        }
        out.extend_from_slice(&a[i..]);
        out.extend_from_slice(&b[j..]);
        LockSet(out)
    }

    /// The locks held in both, in the weaker mode.
    pub fn intersect(&self, other: &LockSet) -> LockSet {
        LockSet(
            self.0
                .iter()
                .filter_map(|&(l, m)| other.mode(l).map(|n| (l, m.min(n))))
                .collect(),
        )
    }

    /// Whether holding `self` and `other` excludes each other: a common lock held for
    /// writing by at least one side.
    pub fn excludes(&self, other: &LockSet) -> bool {
        self.0.iter().any(|&(l, m)| {
            other
                .mode(l)
                .is_some_and(|n| m == LockMode::Write || n == LockMode::Write)
        })
    }

    /// Whether some lock is held at all, in any mode, in both sets.
    pub fn shares(&self, other: &LockSet) -> bool {
        self.0.iter().any(|&(l, _)| other.mode(l).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `union` and `clone_with_room` give what acquiring the other set's locks one by one
    /// gives, on every pair of sets over three locks in every mode.
    #[test]
    fn union_is_acquiring_each_lock() {
        let modes = [None, Some(LockMode::Read), Some(LockMode::Write)];
        let sets: Vec<LockSet> = (0..27)
            .map(|mut n| {
                let mut s = LockSet::default();
                for l in [3, 1, 2] {
                    if let Some(m) = modes[n % 3] {
                        s.acquire(PlaceId(l), m);
                    }
                    n /= 3;
                }
                s
            })
            .collect();
        for a in &sets {
            for b in &sets {
                let mut want = a.clone();
                for (l, m) in b.iter() {
                    want.acquire(l, m);
                }
                assert_eq!(a.union(b), want, "{a:?} with {b:?}");
                let mut roomy = a.clone_with_room(b.0.len());
                for (l, m) in b.iter() {
                    roomy.acquire(l, m);
                }
                assert_eq!(roomy, want);
            }
        }
    }

    #[test]
    fn acquire_release_and_combine() {
        let (a, b) = (PlaceId(1), PlaceId(2));
        let mut s = LockSet::default();
        s.acquire(b, LockMode::Read);
        s.acquire(a, LockMode::Write);
        assert_eq!(s.mode(a), Some(LockMode::Write));
        let mut t = LockSet::default();
        t.acquire(b, LockMode::Write);
        assert_eq!(
            s.intersect(&t).iter().collect::<Vec<_>>(),
            [(b, LockMode::Read)]
        );
        assert!(s.excludes(&t));
        let mut r = LockSet::default();
        r.acquire(b, LockMode::Read);
        let mut r2 = LockSet::default();
        r2.acquire(b, LockMode::Read);
        assert!(!r.excludes(&r2), "two readers do not exclude each other");
        assert!(r.shares(&r2));
        assert!(s.release(a));
        assert!(!s.release(a));
        assert_eq!(s.union(&t).mode(b), Some(LockMode::Write));
    }
}
