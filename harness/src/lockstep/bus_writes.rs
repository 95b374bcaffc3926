//! Stored data checked where it lands: the write beats the RTL's data port put on
//! the AXI bus are matched, in order, with the bytes each retired store must write
//! (by the reference), and at the end of a run every page either side wrote is
//! compared word by word.

use super::divergence::Mismatch;
use super::reference::ReferenceModel;
use crate::axi::{AxiSlave, WriteBeat, DATA_PORT_ID};
use crate::memory::{PhysAddr, SystemBus};
use std::collections::{BTreeSet, HashSet, VecDeque};

#[derive(Default)]
pub struct BusWrites {
    /// Data-port beats not yet explained by a retired store, oldest first.
    pending: VecDeque<WriteBeat>,
    /// Pages (physical address >> 12) written on the bus or by a retired store.
    pages: BTreeSet<u64>,
    /// Words the host wrote (HTIF mailboxes): the reference sees them only when the
    /// RTL loads them, so they are not compared at the end.
    host_words: HashSet<u64>,
    /// Reused buffer for the slave's beats.
    taken: Vec<WriteBeat>,
}

/// The byte lanes of `strb` as a 64-bit mask.
fn lane_mask(strb: u8) -> u64 {
    (0..8)
        .filter(|b| strb & (1 << b) != 0)
        .fold(0, |m, b| m | 0xff << (8 * b))
}

fn show(word: u64, strb: u8, data: u64) -> String {
    format!(
        "{word:#x} strb {strb:#04x} data {:#018x}",
        data & lane_mask(strb)
    )
}

impl BusWrites {
    /// The beats the slave took this cycle that landed (a beat the bus refused wrote
    /// nothing; its store takes an access fault): the data port's are queued for the
    /// stores; every one (the walker's A/D updates too) marks its page.
    pub fn take(&mut self, slave: &mut AxiSlave) {
        slave.take_written(&mut self.taken);
        for beat in self.taken.drain(..).filter(|b| b.landed) {
            self.pages.insert(beat.word >> 12);
            if beat.id == DATA_PORT_ID {
                self.pending.push_back(beat);
            }
        }
    }

    /// A data-port beat as the slave would have taken it (tests).
    #[cfg(test)]
    pub fn push(&mut self, word: u64, strb: u8, data: u64) {
        self.pending.push_back(WriteBeat {
            id: DATA_PORT_ID,
            word,
            strb,
            data,
            landed: true,
        });
    }

    pub fn host_wrote(&mut self, addr: u64) {
        self.host_words.insert(addr & !7);
    }

    /// A retired store must have written `bytes` (physical address, value), in
    /// order: one beat per 8-byte word they fall in, with exactly their strobes.
    pub fn expect(&mut self, bytes: &[(u64, u8)]) -> Option<Mismatch> {
        let mut words: Vec<(u64, u8, u64)> = Vec::new();
        for &(pa, value) in bytes {
            let (word, lane) = (pa & !7, pa & 7);
            self.pages.insert(pa >> 12);
            match words.last_mut() {
                Some((w, strb, data)) if *w == word => {
                    *strb |= 1 << lane;
                    *data |= u64::from(value) << (8 * lane);
                }
                _ => words.push((word, 1 << lane, u64::from(value) << (8 * lane))),
            }
        }
        // The store's beats are the next ones, in any order (cbo.zero starts
        // anywhere in its block).
        let n = words.len().min(self.pending.len());
        let mut beats: Vec<WriteBeat> = self.pending.drain(..n).collect();
        for (word, strb, data) in words {
            let Some(at) = beats.iter().position(|b| b.word == word) else {
                return Some(Mismatch {
                    what: "bus write".into(),
                    rtl: beats
                        .first()
                        .map_or("no write beat on the bus".into(), |b| {
                            show(b.word, b.strb, b.data)
                        }),
                    reference: show(word, strb, data),
                });
            };
            let beat = beats.swap_remove(at);
            if beat.strb != strb || beat.data & lane_mask(strb) != data {
                return Some(Mismatch {
                    what: "bus write".into(),
                    rtl: show(beat.word, beat.strb, beat.data),
                    reference: show(word, strb, data),
                });
            }
        }
        None
    }

    /// The run ended on an exit: the store that made it (to `tohost` or SIMCTRL) was
    /// taken from the bus before it could retire. Its beat, the last one, is no
    /// difference, nor the word it wrote, which the reference never stored.
    pub fn exited(&mut self) {
        if let Some(beat) = self.pending.pop_back() {
            self.host_words.insert(beat.word);
        }
    }

    /// At the end of a run: no data-port beat left that no store explains, and every
    /// page written (by the bus or a store) holds the reference's bytes.
    pub fn final_check(
        &mut self,
        reference: &mut dyn ReferenceModel,
        bus: &SystemBus,
    ) -> Option<Mismatch> {
        if let Some(beat) = self.pending.front() {
            return Some(Mismatch {
                what: "bus write".into(),
                rtl: show(beat.word, beat.strb, beat.data),
                reference: format!("no store wrote it ({} such beats)", self.pending.len()),
            });
        }
        let map = bus.map();
        for page in &self.pages {
            let base = PhysAddr(page << 12);
            if !(map.dram.contains_range(base, 4096) || map.pmem.contains_range(base, 4096)) {
                continue; // a device's registers
            }
            for word in (page << 12..(page + 1) << 12).step_by(8) {
                if self.host_words.contains(&word) {
                    continue;
                }
                let rtl = bus.read_u64(PhysAddr(word)).ok();
                let reference = reference.read_mem(word, 8);
                if rtl != reference {
                    let show =
                        |v: Option<u64>| v.map_or("unreadable".into(), |v| format!("{v:#018x}"));
                    return Some(Mismatch {
                        what: format!("memory at {word:#x} (end of run)"),
                        rtl: show(rtl),
                        reference: show(reference),
                    });
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_is_matched_with_its_beats_and_a_wrong_strobe_or_byte_is_a_difference() {
        let mut w = BusWrites::default();
        // sh 0xbeef at 0x1007: misaligned across two words, two beats.
        w.push(0x1000, 0x80, 0xef << 56);
        w.push(0x1008, 0x01, 0xbe);
        assert_eq!(w.expect(&[(0x1007, 0xef), (0x1008, 0xbe)]), None);
        // A dropped strobe.
        w.push(0x2000, 0x0e, 0xccbb_aa00);
        let m = w.expect(&[
            (0x2000, 0x11),
            (0x2001, 0xaa),
            (0x2002, 0xbb),
            (0x2003, 0xcc),
        ]);
        assert_eq!(m.unwrap().what, "bus write");
        // A store whose beat never came.
        assert!(w
            .expect(&[(0x3000, 1)])
            .unwrap()
            .rtl
            .contains("no write beat"));
    }

    #[test]
    fn a_beat_no_store_explains_is_a_difference_at_the_end() {
        let mut w = BusWrites::default();
        w.push(0x8000_0000, 0xff, 7);
        let mut reference = crate::lockstep::Rv64emuReference::new(
            &crate::memory::MemoryMap::default(),
            0x8000_0000,
        );
        let bus = SystemBus::new(crate::memory::MemoryMap::default());
        let m = w.final_check(&mut reference, &bus).expect("a stray beat");
        assert!(m.reference.contains("no store wrote it"), "{m:?}");
    }
}
