//! The SoC's event counters as the harness sees them: every event the RTL counts
//! (`hpm_event_e` in rtl/pkg/cosim_pkg.sv, the numbers software writes to
//! mhpmevent) arrives each cycle on a side port, whatever software programmed, and is
//! accumulated here.

mod events;

pub use events::{Event, EVENTS, TLB_FLUSHED};

/// Totals of every event since reset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counters {
    counts: [u64; EVENTS.len()],
}

impl Default for Counters {
    fn default() -> Self {
        Self {
            counts: [0; EVENTS.len()],
        }
    }
}

impl Counters {
    /// Adds one cycle's events: bit n of `events` is event n; `flushed` is the number
    /// of TLB entries invalidated in the cycle.
    #[inline]
    pub fn record(&mut self, events: u32, flushed: u8) {
        let mut bits = events;
        while bits != 0 {
            let n = bits.trailing_zeros() as usize;
            self.counts[n] += 1;
            bits &= bits - 1;
        }
        if flushed > 1 {
            // The event bit counted one already.
            self.counts[TLB_FLUSHED] += u64::from(flushed) - 1;
        }
    }

    /// The total of event number `n`.
    pub fn get(&self, n: usize) -> u64 {
        self.counts[n]
    }

    /// The total of the event called `name`.
    pub fn by_name(&self, name: &str) -> Option<u64> {
        EVENTS
            .iter()
            .position(|e| e.name == name)
            .map(|n| self.counts[n])
    }

    /// Every event but `none`, with its total, in event-number order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static Event, u64)> + '_ {
        EVENTS.iter().zip(self.counts).skip(1)
    }

    /// Counts of `self` plus `other`.
    pub fn plus(&self, other: &Counters) -> Counters {
        Counters {
            counts: std::array::from_fn(|i| self.counts[i] + other.counts[i]),
        }
    }

    /// Counts of `self` minus those of an earlier snapshot.
    pub fn since(&self, earlier: &Counters) -> Counters {
        Counters {
            counts: std::array::from_fn(|i| self.counts[i] - earlier.counts[i]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_accumulate_by_bit_and_flushes_by_count() {
        let mut c = Counters::default();
        c.record(0b110, 0);
        c.record(0b010 | 1 << TLB_FLUSHED, 5);
        assert_eq!(c.by_name("cycles"), Some(2));
        assert_eq!(c.by_name("instret"), Some(1));
        assert_eq!(c.by_name("tlb_entries_flushed"), Some(5));
        assert_eq!(c.by_name("no such event"), None);
        let later = {
            let mut l = c.clone();
            l.record(0b010, 0);
            l
        };
        assert_eq!(later.since(&c).by_name("cycles"), Some(1));
        assert_eq!(c.iter().count(), EVENTS.len() - 1);
    }
}
