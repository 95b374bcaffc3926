//! CSRs this hart implements that the reference does not know (it would raise an
//! illegal-instruction trap): the harness models them itself, from the spec, so that
//! what the RTL reads from them is still checked.

pub const MENVCFG: u16 = 0x30a;
pub const SENVCFG: u16 = 0x10a;
/// menvcfg.ADUE: the walker updates A/D bits (Svadu) instead of faulting.
pub const MENVCFG_ADUE: u64 = 1 << 61;

/// What the harness knows about a CSR the reference lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtraCsr {
    /// A register with these writable bits (WARL), modelled by the harness.
    Register { writable: u64 },
    /// A counter whose value depends on timing or on events the reference does not
    /// count: the value read is taken from the RTL (like `timer-csr-read`).
    Counter,
}

/// menvcfg/senvcfg: FIOM, CBIE, CBCFE, CBZE, and menvcfg.ADUE (Svadu, bit 61).
/// tselect/tdata1..3: no triggers, all 0.
/// mcountinhibit: CY, IR, HPM3..18.
/// mhpmevent3..18: an 8-bit event selector. mhpmevent19..31 and mhpmcounter19..31 are
/// hardwired to zero. mhpmcounter3..18 and hpmcounter3..31 count.
pub fn extra_csr(addr: u16) -> Option<ExtraCsr> {
    const HPM_COUNTERS: u16 = 16;
    let n = addr & 0x1f;
    let implemented = (3..3 + HPM_COUNTERS).contains(&n);
    match addr {
        0x30a => Some(ExtraCsr::Register {
            writable: 0xf1 | MENVCFG_ADUE,
        }),
        0x10a => Some(ExtraCsr::Register { writable: 0xf1 }),
        // Sdtrig without triggers: tselect and tdata1..3 read 0 whatever is written.
        0x7a0..=0x7a3 => Some(ExtraCsr::Register { writable: 0 }),
        0x320 => Some(ExtraCsr::Register {
            writable: ((1 << (3 + HPM_COUNTERS)) - 1) & !2,
        }),
        0x323..=0x33f => Some(ExtraCsr::Register {
            writable: if implemented { 0xff } else { 0 },
        }),
        0xb03..=0xb1f if !implemented => Some(ExtraCsr::Register { writable: 0 }),
        0xb03..=0xb1f | 0xc03..=0xc1f => Some(ExtraCsr::Counter),
        _ => None,
    }
}

/// The values of the [`ExtraCsr::Register`]s, as the spec says they evolve.
#[derive(Default)]
pub struct ExtraCsrFile {
    values: std::collections::HashMap<u16, u64>,
}

impl ExtraCsrFile {
    pub fn read(&self, addr: u16) -> u64 {
        self.values.get(&addr).copied().unwrap_or(0)
    }

    pub fn write(&mut self, addr: u16, value: u64, writable: u64) {
        let mut legal = value & writable;
        if (addr == MENVCFG || addr == SENVCFG) && (value >> 4) & 3 == 2 {
            // CBIE = 2 is reserved: the write keeps the previous CBIE.
            legal = (legal & !0x30) | (self.read(addr) & 0x30);
        }
        self.values.insert(addr, legal);
    }

    /// Whether a cache-block operation (`cbo.inval` 0, `clean` 1, `flush` 2, `zero` 4)
    /// may run in `mode` (0 U, 1 S, 3 M) under menvcfg/senvcfg (Zicbom, Zicboz).
    pub fn cbo_allowed(&self, op: u32, mode: u8) -> bool {
        let enabled = |cfg: u64| match op {
            0 => (cfg >> 4) & 3 != 0,
            1 | 2 => cfg & (1 << 6) != 0,
            _ => cfg & (1 << 7) != 0,
        };
        mode == 3 || (enabled(self.read(MENVCFG)) && (mode == 1 || enabled(self.read(SENVCFG))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extra_csrs_and_their_legal_bits() {
        assert_eq!(
            extra_csr(0x30a),
            Some(ExtraCsr::Register {
                writable: 0xf1 | MENVCFG_ADUE
            })
        );
        assert_eq!(
            extra_csr(0x320),
            Some(ExtraCsr::Register { writable: 0x7fffd })
        );
        assert_eq!(
            extra_csr(0x323),
            Some(ExtraCsr::Register { writable: 0xff })
        );
        assert_eq!(extra_csr(0x33f), Some(ExtraCsr::Register { writable: 0 }));
        assert_eq!(extra_csr(0xb03), Some(ExtraCsr::Counter));
        assert_eq!(extra_csr(0xb1f), Some(ExtraCsr::Register { writable: 0 }));
        assert_eq!(extra_csr(0xc1f), Some(ExtraCsr::Counter));
        assert_eq!(extra_csr(0x300), None);
        let mut f = ExtraCsrFile::default();
        f.write(0x30a, u64::MAX, 0xf1);
        assert_eq!(f.read(0x30a), 0xf1);
        f.write(0x30a, 0x20, 0xf1); // CBIE = 2 is reserved: CBIE stays 3
        assert_eq!(f.read(0x30a), 0x30);
    }

    #[test]
    fn cache_block_operations_need_their_enables_below_m() {
        let mut f = ExtraCsrFile::default();
        assert!(f.cbo_allowed(4, 3) && !f.cbo_allowed(4, 1) && !f.cbo_allowed(4, 0));
        f.write(MENVCFG, 0x80, 0xf1); // CBZE for S
        assert!(f.cbo_allowed(4, 1) && !f.cbo_allowed(4, 0) && !f.cbo_allowed(1, 1));
        f.write(SENVCFG, 0x80, 0xf1); // and for U
        assert!(f.cbo_allowed(4, 0));
        f.write(MENVCFG, 0x10, 0xf1); // CBIE = 1 (flush) only
        assert!(f.cbo_allowed(0, 1) && !f.cbo_allowed(4, 1));
    }
}
