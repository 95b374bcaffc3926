//! The harness's own model of the CLINT's interrupt lines (the CLINT lives in the RTL):
//! MTIP = mtime >= mtimecmp and MSIP = msip, from mtime counting every cycle since
//! reset and the stores that retire to mtimecmp and msip. The lockstep compares the
//! RTL's mip with it at every retired instruction, and flags an interrupt the model
//! says is pending and enabled that the RTL does not take.

use crate::devices::{CLINT_BASE, CLINT_MSIP, CLINT_MTIME, CLINT_MTIMECMP, CLINT_SIZE};

/// mip's bits the CLINT drives: MTIP (7) and MSIP (3).
pub const CLINT_BITS: u64 = (1 << 7) | (1 << 3);

/// mtime at harness cycle `c` is `c - MTIME_LAG`, as the instruction the harness sees
/// retire at `c` found it: the RTL samples mip into the instruction's record as it
/// leaves the memory stage, and mtime counts from 0 after reset. Exact: of the lags
/// -2..=3 only 1 runs random programs (a timer interrupt every 700 cycles) clean.
const MTIME_LAG: u64 = 1;

/// After a store to the CLINT retires, the RTL's CLINT took it a few cycles earlier or
/// later than the model can know: mip is not compared for this many cycles.
const SETTLE_CYCLES: u64 = 8;

#[derive(Clone, Debug)]
pub struct ClintModel {
    mtimecmp: u64,
    msip: bool,
    /// False once software wrote mtime: its value is then known only to a few cycles,
    /// and MTIP is no longer predicted.
    mtime_known: bool,
    settled_from: u64,
}

impl Default for ClintModel {
    fn default() -> Self {
        // The CLINT's reset values: no deadline, no software interrupt.
        Self {
            mtimecmp: u64::MAX,
            msip: false,
            mtime_known: true,
            settled_from: 0,
        }
    }
}

impl ClintModel {
    /// A store that retired at `cycle` to physical `addr`: `data` on the byte lanes of
    /// `mask` within its 8-byte beat (RVFI's mem_wdata/mem_wmask, aligned to `addr`).
    pub fn store(&mut self, cycle: u64, addr: u64, data: u64, mask: u8) {
        if !(CLINT_BASE..CLINT_BASE + CLINT_SIZE).contains(&addr) || mask == 0 {
            return;
        }
        self.settled_from = cycle + SETTLE_CYCLES;
        let shift = 8 * (addr & 7);
        let lanes = (0..8)
            .filter(|b| mask & (1 << b) != 0)
            .fold(0u64, |m, b| m | 0xff << (8 * b));
        let (value, lanes) = (data << shift, lanes << shift);
        match addr & !7 {
            beat if beat == CLINT_MSIP && lanes & 0xff != 0 => self.msip = value & 1 != 0,
            beat if beat == CLINT_MTIMECMP => {
                self.mtimecmp = (self.mtimecmp & !lanes) | (value & lanes);
            }
            beat if beat == CLINT_MTIME => self.mtime_known = false,
            _ => {}
        }
    }

    /// mip's CLINT bits as the instruction that retires at `cycle` must have found
    /// them, and which of them the model knows (a mask of [`CLINT_BITS`]).
    pub fn mip(&self, cycle: u64) -> (u64, u64) {
        if cycle < self.settled_from {
            return (0, 0);
        }
        let msip = u64::from(self.msip) << 3;
        if !self.mtime_known {
            return (msip, 1 << 3);
        }
        let mtime = cycle.saturating_sub(MTIME_LAG);
        (msip | u64::from(mtime >= self.mtimecmp) << 7, CLINT_BITS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timer_is_pending_from_the_deadline_on() {
        let mut c = ClintModel::default();
        assert_eq!(c.mip(1000), (0, CLINT_BITS));
        c.store(1000, CLINT_MTIMECMP, 5000, 0xff);
        assert_eq!(c.mip(1001).1, 0, "settling after the store");
        let at = 5000 + MTIME_LAG;
        assert_eq!(c.mip(at - 1), (0, CLINT_BITS));
        assert_eq!(c.mip(at), (1 << 7, CLINT_BITS));
        // A 4-byte store to the high half of mtimecmp.
        c.store(at, CLINT_MTIMECMP + 4, 1, 0x0f);
        assert_eq!(c.mip(at + 100), (0, CLINT_BITS));
    }

    #[test]
    fn msip_follows_its_stores_and_a_written_mtime_is_no_longer_predicted() {
        let mut c = ClintModel::default();
        c.store(10, CLINT_MSIP, 1, 0x0f);
        assert_eq!(c.mip(100), (1 << 3, CLINT_BITS));
        c.store(100, CLINT_MTIME, 0, 0xff);
        assert_eq!(c.mip(200), (1 << 3, 1 << 3));
        c.store(200, 0x8000_0000, 1, 0xff); // not the CLINT
        assert_eq!(c.mip(201), (1 << 3, 1 << 3));
    }
}
