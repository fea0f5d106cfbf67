//! Sets of held locks with their mode, as persistent sorted trees (treaps): a copy costs a
//! reference count, and acquiring or releasing a lock builds only the path to it, sharing
//! the rest with the set it came from. Every access and call of a model keeps the set held
//! at it, so a function holding thousands of locks at once would otherwise keep a copy of
//! thousands of locks for each of its accesses (most sets are empty, which allocates
//! nothing, or hold one lock).

use crate::PlaceId;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// How a lock is held.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum LockMode {
    /// `RLock`: shared with other readers.
    Read,
    /// `Lock`: exclusive.
    Write,
}

/// The locks held at a program point.
#[derive(Clone, Default)]
pub struct LockSet(Link);

type Link = Option<Arc<Node>>;

/// A node of the treap: ordered by lock, heap-ordered by `prio` (a hash of the lock, so
/// that a set's shape depends only on its locks).
struct Node {
    lock: PlaceId,
    mode: LockMode,
    /// The modes held in this subtree (`bit(mode)`), so that whether a set holds some lock
    /// in a mode, and its first such lock, take a path, not a walk of the set.
    modes: u8,
    prio: u32,
    left: Link,
    right: Link,
}

fn bit(mode: LockMode) -> u8 {
    match mode {
        LockMode::Read => 1,
        LockMode::Write => 2,
    }
}

fn modes(t: &Link) -> u8 {
    t.as_ref().map_or(0, |n| n.modes)
}

fn prio(lock: PlaceId) -> u32 {
    // A bijective mix of the id (murmur3's finaliser): sequential ids get scattered
    // priorities, so the tree stays balanced whatever order locks are taken in.
    let mut x = lock.0;
    x ^= x >> 16;
    x = x.wrapping_mul(0x85eb_ca6b);
    x ^= x >> 13;
    x = x.wrapping_mul(0xc2b2_ae35);
    x ^ (x >> 16)
}

fn node(n: &Node, left: Link, right: Link) -> Link {
    Some(Arc::new(Node {
        lock: n.lock,
        mode: n.mode,
        modes: bit(n.mode) | modes(&left) | modes(&right),
        prio: n.prio,
        left,
        right,
    }))
}

/// The locks below `lock`, its mode if held, and the locks above it.
fn split(t: &Link, lock: PlaceId) -> (Link, Option<LockMode>, Link) {
    let Some(n) = t else {
        return (None, None, None);
    };
    match lock.cmp(&n.lock) {
        std::cmp::Ordering::Less => {
            let (l, m, r) = split(&n.left, lock);
            (l, m, node(n, r, n.right.clone()))
        }
        std::cmp::Ordering::Greater => {
            let (l, m, r) = split(&n.right, lock);
            (node(n, n.left.clone(), l), m, r)
        }
        std::cmp::Ordering::Equal => (n.left.clone(), Some(n.mode), n.right.clone()),
    }
}

/// The locks of `a` and of `b`, every lock of `a` below every lock of `b`.
fn merge(a: &Link, b: &Link) -> Link {
    match (a, b) {
        (None, _) => b.clone(),
        (_, None) => a.clone(),
        (Some(x), Some(y)) => {
            if x.prio >= y.prio {
                node(x, x.left.clone(), merge(&x.right, b))
            } else {
                node(y, merge(a, &y.left), y.right.clone())
            }
        }
    }
}

/// Whether `f` holds for some lock of `t`, in order.
fn any(t: &Link, f: &mut impl FnMut(PlaceId, LockMode) -> bool) -> bool {
    match t {
        None => false,
        Some(n) => any(&n.left, f) || f(n.lock, n.mode) || any(&n.right, f),
    }
}

/// The locks of a set in order.
pub struct Iter<'a> {
    stack: Vec<&'a Node>,
}

impl<'a> Iter<'a> {
    fn new(t: &'a Link) -> Iter<'a> {
        let mut it = Iter { stack: Vec::new() };
        it.descend(t);
        it
    }

    fn descend(&mut self, mut t: &'a Link) {
        while let Some(n) = t {
            self.stack.push(n);
            t = &n.left;
        }
    }
}

impl Iterator for Iter<'_> {
    type Item = (PlaceId, LockMode);

    fn next(&mut self) -> Option<(PlaceId, LockMode)> {
        let n = self.stack.pop()?;
        self.descend(&n.right);
        Some((n.lock, n.mode))
    }
}

impl LockSet {
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// How many locks are held.
    pub fn len(&self) -> usize {
        let mut n = 0;
        any(&self.0, &mut |_, _| {
            n += 1;
            false
        });
        n
    }

    pub fn iter(&self) -> Iter<'_> {
        Iter::new(&self.0)
    }

    /// Adds to `out` the locks of the set's nodes that are not in `seen` (by address), and
    /// adds those nodes to `seen`; a node in `seen` is skipped with all the nodes below it,
    /// which were met with it. The sets of one function share most of their nodes (each is
    /// built from the last by a path), so that gathering the locks of all of them costs the
    /// nodes they have between them, not the sum of their sizes (thousands of accesses,
    /// each with thousands of locks held).
    pub fn collect_new<S: std::hash::BuildHasher>(
        &self,
        seen: &mut std::collections::HashSet<usize, S>,
        out: &mut impl Extend<PlaceId>,
    ) {
        let mut stack: Vec<&Arc<Node>> = self.0.iter().collect();
        while let Some(n) = stack.pop() {
            if !seen.insert(Arc::as_ptr(n) as usize) {
                continue;
            }
            out.extend([n.lock]);
            stack.extend(n.left.iter().chain(n.right.iter()));
        }
    }

    /// The mode `lock` is held in, if held.
    pub fn mode(&self, lock: PlaceId) -> Option<LockMode> {
        let mut t = &self.0;
        while let Some(n) = t {
            t = match lock.cmp(&n.lock) {
                std::cmp::Ordering::Less => &n.left,
                std::cmp::Ordering::Greater => &n.right,
                std::cmp::Ordering::Equal => return Some(n.mode),
            };
        }
        None
    }

    /// The first lock (in the set's order) held in `mode`, found along one path.
    pub fn first_in(&self, mode: LockMode) -> Option<PlaceId> {
        let want = bit(mode);
        let mut t = &self.0;
        while let Some(n) = t {
            if n.modes & want == 0 {
                return None;
            }
            if modes(&n.left) & want != 0 {
                t = &n.left;
            } else if n.mode == mode {
                return Some(n.lock);
            } else {
                t = &n.right;
            }
        }
        None
    }

    /// Whether some lock is held in `mode`.
    pub fn holds_in(&self, mode: LockMode) -> bool {
        modes(&self.0) & bit(mode) != 0
    }

    /// Acquires `lock` (a write hold wins over a read hold).
    pub fn acquire(&mut self, lock: PlaceId, mode: LockMode) {
        if self.mode(lock).is_some_and(|m| m >= mode) {
            return;
        }
        let (l, held, r) = split(&self.0, lock);
        let mode = held.map_or(mode, |m| m.max(mode));
        let single = Some(Arc::new(Node {
            lock,
            mode,
            modes: bit(mode),
            prio: prio(lock),
            left: None,
            right: None,
        }));
        self.0 = merge(&merge(&l, &single), &r);
    }

    /// Releases `lock`; whether it was held.
    pub fn release(&mut self, lock: PlaceId) -> bool {
        if self.mode(lock).is_none() {
            return false;
        }
        let (l, _, r) = split(&self.0, lock);
        self.0 = merge(&l, &r);
        true
    }

    /// Both sets together (a lock held in both is held in the stronger mode).
    pub fn union(&self, other: &LockSet) -> LockSet {
        if other.is_empty() {
            return self.clone();
        }
        if self.is_empty() {
            return other.clone();
        }
        let (mut out, add) = if self.len() >= other.len() {
            (self.clone(), other)
        } else {
            (other.clone(), self)
        };
        for (l, m) in add.iter() {
            out.acquire(l, m);
        }
        out
    }

    /// The locks held in both, in the weaker mode.
    pub fn intersect(&self, other: &LockSet) -> LockSet {
        let mut out = LockSet::default();
        for (l, m) in self.iter() {
            if let Some(n) = other.mode(l) {
                out.acquire(l, m.min(n));
            }
        }
        out
    }

    /// Whether holding `self` and `other` excludes each other: a common lock held for
    /// writing by at least one side.
    pub fn excludes(&self, other: &LockSet) -> bool {
        if other.is_empty() {
            return false;
        }
        any(&self.0, &mut |l, m| {
            other
                .mode(l)
                .is_some_and(|n| m == LockMode::Write || n == LockMode::Write)
        })
    }

    /// Whether some lock is held at all, in any mode, in both sets.
    pub fn shares(&self, other: &LockSet) -> bool {
        if other.is_empty() {
            return false;
        }
        any(&self.0, &mut |l, _| other.mode(l).is_some())
    }
}

impl PartialEq for LockSet {
    fn eq(&self, other: &LockSet) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) if Arc::ptr_eq(a, b) => true,
            _ => self.iter().eq(other.iter()),
        }
    }
}

impl Eq for LockSet {}

impl Hash for LockSet {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let mut n = 0usize;
        for (l, m) in self.iter() {
            l.hash(state);
            m.hash(state);
            n += 1;
        }
        n.hash(state);
    }
}

impl std::fmt::Debug for LockSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `union` gives what acquiring the other set's locks one by one gives, on every pair of
    /// sets over three locks in every mode.
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
            }
        }
    }

    /// `collect_new` over sets built from one another gives the locks of all of them, and
    /// meets each node once: one function taking 1,000 locks one after another keeps 1,000
    /// sets of up to 1,000 locks, about 500,000 in all, but far fewer nodes.
    #[test]
    fn collect_new_meets_shared_nodes_once() {
        let mut sets = Vec::new();
        let mut s = LockSet::default();
        for l in 0..1_000u32 {
            s.acquire(PlaceId(l * 7 % 1_000), LockMode::Write);
            if l % 3 == 0 {
                s.release(PlaceId(l * 7 % 1_000 / 2));
            }
            sets.push(s.clone());
        }
        let want: std::collections::BTreeSet<PlaceId> =
            sets.iter().flat_map(|s| s.iter().map(|(l, _)| l)).collect();
        let total: usize = sets.iter().map(LockSet::len).sum();
        let mut seen = std::collections::HashSet::new();
        let mut got = std::collections::BTreeSet::new();
        for s in &sets {
            s.collect_new(&mut seen, &mut got);
        }
        assert_eq!(got, want);
        assert!(
            seen.len() * 20 < total,
            "{} nodes met for {total} locks",
            seen.len()
        );
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

#[cfg(test)]
mod against_a_map {
    use super::*;
    use std::collections::BTreeMap;

    /// A small deterministic generator (xorshift), so that the test needs no crate.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    fn mode(n: u64) -> LockMode {
        if n & 1 == 0 {
            LockMode::Read
        } else {
            LockMode::Write
        }
    }

    fn hash(s: &LockSet) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        s.hash(&mut h);
        h.finish()
    }

    /// Every operation of the persistent set against a sorted map doing the same, over
    /// thousands of random acquisitions and releases among a few and among many locks,
    /// with copies kept along the way (which later changes must leave as they were).
    #[test]
    fn persistent_sets_behave_as_sorted_maps() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for locks in [3u64, 40, 3000] {
            let mut set = LockSet::default();
            let mut map: BTreeMap<PlaceId, LockMode> = BTreeMap::new();
            let mut kept: Vec<(LockSet, BTreeMap<PlaceId, LockMode>)> = Vec::new();
            for step in 0..6000 {
                let lock = PlaceId(rng.next(locks) as u32);
                if rng.next(3) == 0 {
                    assert_eq!(set.release(lock), map.remove(&lock).is_some());
                } else {
                    let m = mode(rng.next(2));
                    set.acquire(lock, m);
                    let e = map.entry(lock).or_insert(m);
                    *e = (*e).max(m);
                }
                let probe = PlaceId(rng.next(locks) as u32);
                assert_eq!(set.mode(probe), map.get(&probe).copied());
                if step % 97 == 0 {
                    kept.push((set.clone(), map.clone()));
                }
            }
            for (i, (a, am)) in kept.iter().enumerate() {
                let want: Vec<_> = am.iter().map(|(&l, &m)| (l, m)).collect();
                assert_eq!(a.iter().collect::<Vec<_>>(), want, "a copy changed");
                assert_eq!((a.len(), a.is_empty()), (am.len(), am.is_empty()));
                for m in [LockMode::Read, LockMode::Write] {
                    let first = am.iter().find(|&(_, &n)| n == m).map(|(&l, _)| l);
                    assert_eq!(a.first_in(m), first, "first lock held in {m:?}");
                    assert_eq!(a.holds_in(m), first.is_some());
                }
                let (b, bm) = &kept[(i * 7 + 3) % kept.len()];
                let mut union = am.clone();
                for (&l, &m) in bm {
                    let e = union.entry(l).or_insert(m);
                    *e = (*e).max(m);
                }
                let u = a.union(b);
                assert_eq!(
                    u.iter().collect::<Vec<_>>(),
                    union.into_iter().collect::<Vec<_>>()
                );
                let inter: Vec<_> = am
                    .iter()
                    .filter_map(|(&l, &m)| bm.get(&l).map(|&n| (l, m.min(n))))
                    .collect();
                assert_eq!(a.intersect(b).iter().collect::<Vec<_>>(), inter);
                let excl = am.iter().any(|(l, &m)| {
                    bm.get(l)
                        .is_some_and(|&n| m == LockMode::Write || n == LockMode::Write)
                });
                assert_eq!(a.excludes(b), excl);
                assert_eq!(a.shares(b), am.keys().any(|l| bm.contains_key(l)));
                // Equal sets built in other orders are equal and hash alike.
                let mut rebuilt = LockSet::default();
                for (&l, &m) in am.iter().rev() {
                    rebuilt.acquire(l, m);
                }
                assert_eq!(rebuilt, *a);
                assert_eq!(hash(&rebuilt), hash(a));
                assert_eq!(*a == *b, am == bm);
            }
        }
    }
}
