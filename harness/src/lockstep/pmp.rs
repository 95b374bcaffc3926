//! PMP as the privileged spec defines it (16 entries, 4-byte granularity): the
//! harness's own model, since the reference has none. It holds the pmpcfg/pmpaddr
//! CSRs (legalized and locked as the spec says) and decides every access.

pub const ENTRIES: usize = 16;
const ADDR_MASK: u64 = (1 << 54) - 1;

/// Permissions an access needs.
pub const R: u8 = 1;
pub const W: u8 = 2;
pub const X: u8 = 4;

#[derive(Default)]
pub struct Pmp {
    cfg: [u8; ENTRIES],
    addr: [u64; ENTRIES],
}

impl Pmp {
    /// True for the PMP CSRs (pmpcfg0..15, pmpaddr0..63).
    pub fn is_pmp_csr(csr: u16) -> bool {
        (0x3a0..=0x3af).contains(&csr) || (0x3b0..=0x3ef).contains(&csr)
    }

    /// Reads a PMP CSR; `None` for the odd pmpcfg CSRs, which RV64 does not have.
    pub fn read(&self, csr: u16) -> Option<u64> {
        match csr {
            0x3a0 | 0x3a2 => {
                let first = usize::from(csr - 0x3a0) * 4;
                Some((0..8).fold(0, |v, b| v | u64::from(self.cfg[first + b]) << (8 * b)))
            }
            0x3a0..=0x3af if csr.is_multiple_of(2) => Some(0),
            0x3a0..=0x3af => None,
            _ => Some(
                self.addr
                    .get(usize::from(csr - 0x3b0))
                    .copied()
                    .unwrap_or(0),
            ),
        }
    }

    /// Writes a PMP CSR: locked entries keep their values, reserved encodings are
    /// legalized (bits 6:5 zero, W without R drops W).
    pub fn write(&mut self, csr: u16, value: u64) {
        match csr {
            0x3a0 | 0x3a2 => {
                let first = usize::from(csr - 0x3a0) * 4;
                for b in 0..8 {
                    if self.cfg[first + b] & 0x80 == 0 {
                        let v = (value >> (8 * b)) as u8 & 0x9f;
                        self.cfg[first + b] = if v & 3 == 2 { v & !2 } else { v };
                    }
                }
            }
            0x3b0..=0x3bf => {
                let i = usize::from(csr - 0x3b0);
                let next_locks = i + 1 < ENTRIES
                    && self.cfg[i + 1] & 0x80 != 0
                    && (self.cfg[i + 1] >> 3) & 3 == 1;
                if self.cfg[i] & 0x80 == 0 && !next_locks {
                    self.addr[i] = value & ADDR_MASK;
                }
            }
            _ => {}
        }
    }

    /// The words entry `i` covers, `[lo, hi)`; `None` when it is off.
    fn words(&self, i: usize) -> Option<(u64, u64)> {
        let a = self.addr[i];
        match (self.cfg[i] >> 3) & 3 {
            1 => Some((if i == 0 { 0 } else { self.addr[i - 1] }, a)),
            2 => Some((a, a + 1)),
            3 => {
                // The trailing ones and the zero above them select the size.
                let low = (a ^ (a + 1)) & ADDR_MASK;
                Some((a & !low, (a & !low) + low + 1))
            }
            _ => None,
        }
    }

    fn covers(&self, i: usize, byte: u64) -> bool {
        byte >> 56 == 0
            && self
                .words(i)
                .is_some_and(|(lo, hi)| (lo..hi).contains(&(byte >> 2)))
    }

    /// Entry `i` matches some byte of `first..=last`.
    fn overlaps(&self, i: usize, first: u64, last: u64) -> bool {
        let last = last.min((1 << 56) - 1);
        first >> 56 == 0
            && self
                .words(i)
                .is_some_and(|(lo, hi)| first >> 2 < hi && last >> 2 >= lo && lo < hi)
    }

    /// Whether an access of bytes `first..=last` needing `need` is allowed in `mode`.
    pub fn allows(&self, first: u64, last: u64, need: u8, mode: u8) -> bool {
        self.decide(first, last, mode, |cfg| need & !cfg & 7 == 0)
    }

    /// Like [`Self::allows`], when any one of `need` is enough (cache-block
    /// management: where a load or a store would be allowed).
    pub fn allows_any(&self, first: u64, last: u64, need: u8, mode: u8) -> bool {
        self.decide(first, last, mode, |cfg| need & cfg & 7 != 0)
    }

    /// The spec's rule: the lowest-numbered entry that matches any byte decides, and
    /// it must match every byte, or the access fails (in M too).
    fn decide(&self, first: u64, last: u64, mode: u8, grants: impl Fn(u8) -> bool) -> bool {
        match (0..ENTRIES).find(|&i| self.overlaps(i, first, last)) {
            None => mode == 3,
            Some(i) if !self.covers(i, first) || !self.covers(i, last) => false,
            Some(i) if mode == 3 && self.cfg[i] & 0x80 == 0 => true,
            Some(i) => grants(self.cfg[i]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_priority_locking_and_legal_values() {
        let mut p = Pmp::default();
        assert!(
            p.allows(0x8000_0000, 0x8000_0007, R, 3) && !p.allows(0x8000_0000, 0x8000_0007, R, 1)
        );
        // entry 0: NAPOT 4 KiB at 0x8000_0000, R only; entry 1: NAPOT everything, RWX
        p.write(0x3b0, (0x8000_0000 >> 2) | 0x1ff);
        p.write(0x3b1, u64::MAX);
        p.write(0x3a0, 0x1f19);
        assert!(p.allows(0x8000_0000, 0x8000_0007, R, 1));
        assert!(!p.allows(0x8000_0000, 0x8000_0007, W, 1));
        assert!(
            p.allows(0x8000_0000, 0x8000_0007, W, 3),
            "unlocked: M passes"
        );
        assert!(p.allows(0x8000_2000, 0x8000_2007, W, 0), "entry 1");
        assert!(
            !p.allows(0x8000_0ffc, 0x8000_1003, R, 1),
            "straddles entry 0's end"
        );
        // TOR and NA4
        let mut p = Pmp::default();
        p.write(0x3b0, 0x1000 >> 2);
        p.write(0x3b1, 0x2000 >> 2);
        p.write(0x3b2, 0x3000 >> 2);
        p.write(0x3a0, 0x13_0b_00); // entry 1 TOR RW-, entry 2 NA4 RW
        assert!(p.allows(0x1000, 0x1ff8, W, 1) && !p.allows(0x1000, 0x1000, X, 1));
        assert!(p.allows(0x3000, 0x3003, R, 1) && !p.allows(0x3004, 0x3004, R, 1));
        assert!(p.allows_any(0x1000, 0x103f, R | W, 1) && !p.allows(0x1000, 0x103f, R | X, 1));
        // W without R is dropped; a lock keeps cfg and addr, and the address below a locked TOR
        p.write(0x3a2, 0x02);
        assert_eq!(p.read(0x3a2), Some(0));
        p.write(0x3a0, 0x8b_00); // entry 1 TOR locked
        p.write(0x3b0, 0);
        p.write(0x3b1, 0);
        assert_eq!(p.read(0x3b0), Some(0x1000 >> 2));
        assert_eq!(p.read(0x3b1), Some(0x2000 >> 2));
        assert!(!p.allows(0x1000, 0x1000, X, 3), "locked entries bind M too");
        assert_eq!(p.read(0x3a1), None);
        assert_eq!(p.read(0x3c0), Some(0));
    }

    #[test]
    fn the_lowest_entry_matching_any_byte_decides_and_must_match_all() {
        // entry 0: NA4 at 0x1004, R; entry 15: everything, RWX
        let mut p = Pmp::default();
        p.write(0x3b0, 0x1004 >> 2);
        p.write(0x3bf, u64::MAX);
        p.write(0x3a0, 0x11);
        p.write(0x3a2, 0x1f << 56);
        // The first byte only matches entry 15, but entry 0 matches bytes 4..7: it
        // decides, and matches only part of the access, which fails in every mode.
        assert!(!p.allows(0x1000, 0x1007, R, 1));
        assert!(
            !p.allows(0x1000, 0x1007, R, 3),
            "unlocked, but a partial match"
        );
        assert!(p.allows(0x1004, 0x1007, R, 1) && p.allows(0x1008, 0x100f, W, 1));
        // An M access that no entry matches passes.
        let mut q = Pmp::default();
        q.write(0x3b0, 0x1004 >> 2);
        q.write(0x3a0, 0x11);
        assert!(q.allows(0x2000, 0x2007, W, 3) && !q.allows(0x2000, 0x2007, W, 1));
    }
}
