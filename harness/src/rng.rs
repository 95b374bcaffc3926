//! A tiny deterministic generator (AXI reordering choices, random programs):
//! same seed, same sequence.

/// xorshift64* (Vigna): good enough to pick among a handful of candidates.
#[derive(Clone, Debug)]
pub(crate) struct XorShift64(u64);

impl XorShift64 {
    /// A generator from `seed`; 0 (a fixed point of xorshift) is remapped.
    pub(crate) fn new(seed: u64) -> Self {
        Self(if seed == 0 {
            0x9e37_79b9_7f4a_7c15
        } else {
            seed
        })
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (n > 0); the modulo bias is irrelevant for n <= 16.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 32) % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_in_range() {
        let mut a = XorShift64::new(7);
        let mut b = XorShift64::new(7);
        for _ in 0..100 {
            let x = a.below(5);
            assert_eq!(x, b.below(5));
            assert!(x < 5);
        }
        assert_ne!(XorShift64::new(0).next_u64(), 0);
    }
}
