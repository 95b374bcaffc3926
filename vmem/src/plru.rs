//! Tree pseudo-LRU, bit for bit as `rtl/mmu/plru_tree.sv` keeps it, so that a model
//! fed the RTL's accesses picks the same victims.
//!
//! `ways - 1` node bits in heap order: node 0 is the root, the children of node `n`
//! are `2n + 1` (left, lower ways) and `2n + 2` (right). A bit points at the half to
//! evict next: 0 = left, 1 = right. Every bit is 0 after reset.

use alloc::vec;
use alloc::vec::Vec;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreePlru {
    bits: Vec<bool>,
    depth: u32,
}

impl TreePlru {
    /// True for the sizes the tree supports: powers of two from 2 up.
    pub const fn valid_ways(ways: usize) -> bool {
        ways >= 2 && ways.is_power_of_two()
    }

    /// # Panics
    /// When `ways` is not a power of two >= 2 (see [`TreePlru::valid_ways`]).
    pub fn new(ways: usize) -> TreePlru {
        assert!(
            TreePlru::valid_ways(ways),
            "tree-PLRU needs a power of two >= 2 ways, got {ways}"
        );
        TreePlru {
            bits: vec![false; ways - 1],
            depth: ways.trailing_zeros(),
        }
    }

    pub fn ways(&self) -> usize {
        self.bits.len() + 1
    }

    /// The node bits in heap order (for comparing with an RTL dump).
    pub fn bits(&self) -> &[bool] {
        &self.bits
    }

    /// Marks `way` most recently used: every node on its path points at the other half.
    pub fn touch(&mut self, way: usize) {
        assert!(way < self.ways(), "way {way} out of range");
        let mut node = 0;
        for d in (0..self.depth).rev() {
            let right = (way >> d) & 1 == 1;
            self.bits[node] = !right;
            node = 2 * node + 1 + right as usize;
        }
    }

    /// The way the bits point at, followed from the root.
    pub fn victim(&self) -> usize {
        let mut node = 0;
        let mut way = 0;
        for _ in 0..self.depth {
            let right = self.bits[node];
            way = (way << 1) | right as usize;
            node = 2 * node + 1 + right as usize;
        }
        way
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Victims of a full structure: take the victim, touch it (as a fill does), repeat.
    fn victim_sequence(p: &mut TreePlru, n: usize) -> Vec<usize> {
        (0..n)
            .map(|_| {
                let v = p.victim();
                p.touch(v);
                v
            })
            .collect()
    }

    #[test]
    fn reset_state_evicts_way_0() {
        for ways in [2, 4, 8, 16, 64] {
            let p = TreePlru::new(ways);
            assert_eq!(p.victim(), 0);
            assert_eq!(p.bits().len(), ways - 1);
        }
    }

    #[test]
    fn touch_sets_the_path_towards_the_other_half() {
        let mut p = TreePlru::new(4);
        p.touch(0);
        assert_eq!(p.bits(), [true, true, false]);
        p.touch(3);
        assert_eq!(p.bits(), [false, true, false]);
        p.touch(2);
        assert_eq!(p.bits(), [false, true, true]);
        p.touch(1);
        assert_eq!(p.bits(), [true, false, true]);

        let mut p = TreePlru::new(8);
        p.touch(5); // path: root (right), node 2 (left), node 5 (right)
        assert_eq!(p.bits(), [false, false, true, false, false, false, false]);
        p.touch(2); // path: root (left), node 1 (right), node 4 (left)
        assert_eq!(p.bits(), [true, false, true, false, true, false, false]);
    }

    #[test]
    fn four_way_victim_order() {
        let mut p = TreePlru::new(4);
        for w in [0, 1, 2, 3] {
            p.touch(w);
        }
        assert_eq!(victim_sequence(&mut p, 8), [0, 2, 1, 3, 0, 2, 1, 3]);

        // After touching 2, 0, 3: the root points left (3 last), node 1 right (0 last).
        let mut p = TreePlru::new(4);
        for w in [2, 0, 3] {
            p.touch(w);
        }
        assert_eq!(p.victim(), 1);
        p.touch(1);
        assert_eq!(p.victim(), 2);
    }

    #[test]
    fn eight_way_victim_order() {
        let mut p = TreePlru::new(8);
        for w in 0..8 {
            p.touch(w);
        }
        assert_eq!(victim_sequence(&mut p, 8), [0, 4, 2, 6, 1, 5, 3, 7]);

        // An irregular history: 6 3 3 0 5 1.
        let mut p = TreePlru::new(8);
        for w in [6, 3, 3, 0, 5, 1] {
            p.touch(w);
        }
        // root: 1 was last (left) -> right; node 2: 5 last (left) -> right; node 6:
        // 6 touched (left) -> right: way 7.
        assert_eq!(p.victim(), 7);
        p.touch(7);
        // root: left; node 1: 1 last (left) -> right; node 4: 3 last (right) -> left.
        assert_eq!(p.victim(), 2);
    }

    #[test]
    fn two_ways_alternate() {
        let mut p = TreePlru::new(2);
        p.touch(1);
        assert_eq!(p.victim(), 0);
        p.touch(0);
        assert_eq!(p.victim(), 1);
    }

    #[test]
    fn sizes() {
        assert!(!TreePlru::valid_ways(0));
        assert!(!TreePlru::valid_ways(1));
        assert!(!TreePlru::valid_ways(6));
        assert!(TreePlru::valid_ways(2));
        assert!(TreePlru::valid_ways(1024));
        assert!(std::panic::catch_unwind(|| TreePlru::new(12)).is_err());
    }
}
