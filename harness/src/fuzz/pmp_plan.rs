//! The PMP of `--mode pmp`: entry 0 lets S and U run the code; the entries after it
//! are random regions (TOR, NA4, NAPOT, some locked) over the data and the data
//! page tables; the last one, most of the time, lets S and U reach everything else.

use crate::rng::XorShift64;

pub const ENTRIES: usize = 16;
const OFF: u8 = 0;
const TOR: u8 = 1 << 3;
const NA4: u8 = 2 << 3;
const NAPOT: u8 = 3 << 3;
const LOCK: u8 = 1 << 7;
const RWX: u8 = 7;

/// The entries the program starts with.
#[derive(Clone, Debug)]
pub struct PmpPlan {
    pub cfg: [u8; ENTRIES],
    pub addr: [u64; ENTRIES],
    /// The areas random entries cover: (base, size).
    areas: Vec<(u64, u64)>,
}

/// pmpaddr of a naturally aligned power-of-two region (size at least 8).
fn napot(base: u64, size: u64) -> u64 {
    (base >> 2) | ((size >> 3) - 1)
}

impl PmpPlan {
    /// `code`: the region S and U fetch from; `areas`: where random entries go.
    pub fn random(rng: &mut XorShift64, code: (u64, u64), areas: Vec<(u64, u64)>) -> Self {
        let mut plan = PmpPlan {
            cfg: [OFF; ENTRIES],
            addr: [0; ENTRIES],
            areas,
        };
        plan.cfg[0] = NAPOT | 5; // R and X
        plan.addr[0] = napot(code.0, code.1);
        // Every entry gets an address in an area, even an unused one: a TOR entry
        // starts at its predecessor's address, and 0 would reach the devices.
        let used = 1 + rng.below(ENTRIES - 2);
        for entry in 1..ENTRIES {
            let lock = rng.below(100) < 10;
            plan.draw(rng, entry, lock);
            if entry > used {
                plan.cfg[entry] = OFF;
            }
        }
        if rng.below(100) < 70 {
            plan.cfg[ENTRIES - 1] = NAPOT | RWX;
            plan.addr[ENTRIES - 1] = u64::MAX >> 10;
        }
        plan
    }

    /// A random region for `entry`; `lock` makes it apply to M as well.
    pub fn draw(&mut self, rng: &mut XorShift64, entry: usize, lock: bool) {
        let (base, size) = self.areas[rng.below(self.areas.len())];
        let perms = rng.below(8) as u8;
        let (mode, addr) = match rng.below(4) {
            0 => (OFF, (base + rng.below(size as usize) as u64) >> 2),
            1 => (NA4, (base + 4 * rng.below(size as usize / 4) as u64) >> 2),
            2 => {
                let aligned = size.trailing_zeros().min(base.trailing_zeros()) as usize;
                let log = 3 + rng.below(aligned - 2);
                let region = 1u64 << log;
                let start = base + region * rng.below((size / region) as usize) as u64;
                (NAPOT, napot(start, region))
            }
            // TOR: from the previous entry's address to a random top.
            _ => (
                TOR,
                (base + 4 * rng.below(size as usize / 4 + 1) as u64) >> 2,
            ),
        };
        self.cfg[entry] = mode | perms | if lock { LOCK } else { 0 };
        self.addr[entry] = addr;
    }

    pub fn is_locked(&self, entry: usize) -> bool {
        self.cfg[entry] & LOCK != 0
    }

    /// pmpcfg0 or pmpcfg2: entries 0–7 or 8–15.
    pub fn cfg_csr_value(&self, half: usize) -> u64 {
        (0..8).fold(0, |v, i| v | u64::from(self.cfg[8 * half + i]) << (8 * i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_zero_always_lets_s_and_u_run_the_code() {
        for seed in 1..=50 {
            let mut rng = XorShift64::new(seed);
            let plan = PmpPlan::random(&mut rng, (0x8000_0000, 1 << 20), vec![(0x8010_0000, 4096)]);
            assert_eq!(plan.cfg[0], NAPOT | 5);
            assert_eq!(plan.addr[0], 0x2000_0000 | 0x1_ffff);
            // No random entry's address (whether used or not) is outside its area,
            // so no TOR region reaches below it.
            for e in 1..ENTRIES - 1 {
                let a = plan.addr[e] << 2;
                assert!(
                    (0x8010_0000..=0x8010_2000).contains(&a),
                    "entry {e}: {a:#x}"
                );
            }
        }
    }
}
