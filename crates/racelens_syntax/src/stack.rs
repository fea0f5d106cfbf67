//! Stack growth for the recursive walks over syntax trees: the parser's, the type checker's
//! and the concurrency model's. Nesting is limited only by the parser's 100,000 levels, so
//! each recursion grows its stack on demand (`stacker`), and asks how much is left only
//! every few levels: asking reads a thread-local and the stack pointer, about as much as a
//! small step of a walk.

/// A recursive walk that counts how deep it is in `nested` calls.
pub trait Nested {
    /// The current depth, which `nested` maintains.
    fn depth(&mut self) -> &mut u32;
}

/// Runs `f` on `walk` one level deeper, first growing the stack by `segment` bytes when less
/// than `red_zone` are left. Only the first of every `stride` levels asks, so `red_zone` must
/// hold the frames of `stride` levels (in debug builds too) many times over.
#[inline]
pub fn nested<W: Nested, R>(
    walk: &mut W,
    stride: u32,
    red_zone: usize,
    segment: usize,
    f: impl FnOnce(&mut W) -> R,
) -> R {
    let depth = walk.depth();
    let ask = (*depth).is_multiple_of(stride.max(1));
    *depth = depth.wrapping_add(1);
    let r = if ask {
        stacker::maybe_grow(red_zone, segment, || f(walk))
    } else {
        f(walk)
    };
    let depth = walk.depth();
    *depth = depth.wrapping_sub(1);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Walk {
        depth: u32,
        seen: Vec<u32>,
    }

    impl Nested for Walk {
        fn depth(&mut self) -> &mut u32 {
            &mut self.depth
        }
    }

    fn down(w: &mut Walk, levels: u32) {
        if levels == 0 {
            return;
        }
        nested(w, 4, 1 << 20, 1 << 20, |w| {
            // `nested` has counted this level already.
            w.seen.push(w.depth);
            down(w, levels - 1)
        });
    }

    #[test]
    fn depth_is_counted_and_restored() {
        let mut w = Walk {
            depth: 0,
            seen: Vec::new(),
        };
        down(&mut w, 10);
        assert_eq!(w.depth, 0);
        assert_eq!(w.seen, (1..=10).collect::<Vec<_>>());
    }

    #[test]
    fn a_deep_recursion_does_not_overflow_a_small_stack() {
        // 20,000 levels of a frame of over 1 KiB on a 256 KiB thread: without growth this
        // needs over 20 MB of stack.
        let deep = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(|| {
                struct Deep(u32);
                impl Nested for Deep {
                    fn depth(&mut self) -> &mut u32 {
                        &mut self.0
                    }
                }
                fn go(d: &mut Deep, n: u32) -> u64 {
                    let pad = std::hint::black_box([n as u8; 1024]);
                    if n == 0 {
                        return 0;
                    }
                    nested(d, 8, 64 << 10, 1 << 20, |d| go(d, n - 1)) + u64::from(pad[7])
                }
                go(&mut Deep(0), 20_000)
            })
            .expect("spawn");
        assert_eq!(
            deep.join().expect("no overflow"),
            (1..=20_000u64).map(|n| n % 256).sum()
        );
    }
}
