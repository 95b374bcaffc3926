//! Translation check: every walk the RTL's walker completes (satp, vaddr, access,
//! privilege → leaf PTE and level, or the fault) is walked again by vmem's software
//! walker over the RTL's memory in that same cycle; any difference stops the run.
//!
//! The RTL's walker reports what the page table says (a leaf, an invalid or reserved
//! encoding, a misaligned superpage, a PTE it could not read); whether the leaf
//! permits the access is the translation port's decision, which lockstep checks at
//! retirement. So a software walk that fails on permissions or A/D must match an RTL
//! walk that found that same leaf.

use super::{walk_request, BusMemory};
use crate::lockstep::Pmp;
use crate::memory::SystemBus;
use crate::model::MmuPort;
use vmem::walk::{self, reason, FaultKind};

/// The RTL's walk result codes (`xfault_e`).
const XF_NONE: u8 = 0;
const XF_PAGE: u8 = 1;
const XF_ACCESS: u8 = 2;

/// A walk the RTL and the software walker ended differently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TranslationMismatch {
    pub cycle: u64,
    pub vaddr: u64,
    pub satp: u64,
    pub rtl: String,
    pub software: String,
}

impl std::fmt::Display for TranslationMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "translation check at cycle {}: walk of {:#x} (satp {:#x}): RTL {}, software walker {}",
            self.cycle, self.vaddr, self.satp, self.rtl, self.software
        )
    }
}

/// What the walker would have found: its result code, leaf/offending PTE, level and
/// that PTE's address (when known).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Found {
    fault: u8,
    pte: u64,
    level: u8,
    pte_addr: Option<u64>,
}

impl std::fmt::Display for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.fault {
            XF_NONE => "leaf",
            XF_PAGE => "page fault at",
            _ => "access fault at",
        };
        write!(f, "{what} level {} PTE {:#x}", self.level, self.pte)?;
        if let Some(a) = self.pte_addr {
            write!(f, " @ {a:#x}")?;
        }
        Ok(())
    }
}

/// Counts the walks checked; remembers nothing else.
#[derive(Debug, Default)]
pub struct TranslationCheck {
    checked: u64,
    /// Access faults of PTE reads that could not be confirmed because no PMP model
    /// was available (runs without lockstep).
    unconfirmed_pmp: u64,
    /// Walks an sfence.vma (or a withdrawn fetch) overtook: their result was cached
    /// nowhere.
    discarded: u64,
}

impl TranslationCheck {
    /// Walks checked so far.
    pub fn checked(&self) -> u64 {
        self.checked
    }

    /// PTE-read access faults taken on trust (no PMP model).
    pub fn unconfirmed(&self) -> u64 {
        self.unconfirmed_pmp
    }

    /// Walks whose result was dropped because an sfence.vma raced them (or their
    /// fetch was withdrawn before a Svadu update).
    pub fn discarded(&self) -> u64 {
        self.discarded
    }

    /// Checks the walk that ended this cycle, if the RTL walked (an L2 TLB hit is no
    /// walk). `pmp`: the PMP the walker's reads go through, when known.
    pub fn check(
        &mut self,
        cycle: u64,
        m: &MmuPort,
        bus: &SystemBus,
        pmp: Option<&Pmp>,
    ) -> Result<(), Box<TranslationMismatch>> {
        self.discarded += u64::from(m.walk_done && m.walk_discard);
        if !(m.walk_done && m.walk_walked) {
            return Ok(());
        }
        self.checked += 1;
        let rtl = Found {
            fault: m.walk_fault,
            pte: m.walk_pte,
            level: m.walk_level,
            pte_addr: Some(m.walk_pte_addr),
        };
        let software = software_walk(m, bus, pmp);
        let agree = match (rtl.fault, software.fault) {
            (XF_ACCESS, XF_ACCESS) => rtl.pte_addr == software.pte_addr,
            // Without a PMP model, a denied PTE read reads fine in software.
            (XF_ACCESS, _) if pmp.is_none() => {
                self.unconfirmed_pmp += 1;
                true
            }
            (a, b) => a == b && rtl.pte == software.pte && rtl.level == software.level,
        };
        if agree {
            return Ok(());
        }
        Err(Box::new(TranslationMismatch {
            cycle,
            vaddr: m.walk_vaddr,
            satp: m.walk_satp,
            rtl: rtl.to_string(),
            software: software.to_string(),
        }))
    }
}

/// What the RTL's walker should have reported for this walk.
fn software_walk(m: &MmuPort, bus: &SystemBus, pmp: Option<&Pmp>) -> Found {
    let mut mem = BusMemory { bus, pmp };
    let outcome = walk::walk(&mut mem, &walk_request(m));
    let last_read = outcome.ptes_read().last().map(|&(addr, _)| addr);
    match outcome.result {
        Ok(t) => Found {
            fault: XF_NONE,
            pte: t.leaf_pte,
            level: t.level,
            pte_addr: Some(t.leaf_pte_addr),
        },
        Err(f) => {
            let structural = matches!(
                f.reason,
                reason::INVALID
                    | reason::W_WITHOUT_R
                    | reason::RESERVED_BITS
                    | reason::N_WITHOUT_SVNAPOT
                    | reason::PBMT_WITHOUT_SVPBMT
                    | reason::NON_LEAF_ADU
                    | reason::NO_LEAF
                    | reason::MISALIGNED_SUPERPAGE
                    | reason::NON_CANONICAL
                    | reason::UNSUPPORTED_MODE
            );
            // The spec checks permissions before superpage alignment; the RTL's walker
            // reports the misaligned leaf itself (a page fault either way).
            let misaligned = f.level > 0 && (f.pte >> 10) & ((1 << (9 * f.level)) - 1) != 0;
            let fault = if f.kind == FaultKind::AccessFault {
                XF_ACCESS
            } else if structural || misaligned {
                XF_PAGE
            } else {
                XF_NONE // a leaf the port then checks
            };
            let ad_write = matches!(
                f.reason,
                reason::AD_WRITE_DENIED | reason::AD_WRITE_BUS_ERROR
            );
            let pte_addr = if fault == XF_ACCESS && !ad_write {
                // The read that failed is not in the list of PTEs read.
                failed_read_address(m, &outcome, f.level)
            } else {
                last_read
            };
            Found {
                fault,
                pte: f.pte,
                level: f.level,
                pte_addr,
            }
        }
    }
}

/// Address of the PTE read that failed at `level`: the table the previous PTE (or
/// satp) points to, indexed by the VA.
fn failed_read_address(m: &MmuPort, outcome: &walk::WalkOutcome, level: u8) -> Option<u64> {
    let table_ppn = match outcome.ptes_read().last() {
        Some(&(_, pte)) => (pte >> 10) & ((1 << 44) - 1),
        None => m.walk_satp & ((1 << 44) - 1),
    };
    let index = (m.walk_vaddr >> (12 + 9 * u32::from(level))) & 0x1ff;
    Some((table_ppn << 12) + index * 8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::{MemoryMap, PhysAddr};

    const ROOT: u64 = 0x8000_1000;
    /// A 1 GiB leaf for VA 0x8000_0000 (root index 2): PA 0x8000_0000, RWX, A, D.
    const LEAF: u64 = (0x80000 << 10) | 0xcf;

    fn bus() -> SystemBus {
        let mut bus = SystemBus::new(MemoryMap::default());
        bus.write_u64(PhysAddr(ROOT + 2 * 8), LEAF).unwrap();
        bus
    }

    /// The record of a correct walk of 0x8000_1234.
    fn walk() -> MmuPort {
        MmuPort {
            walk_done: true,
            walk_walked: true,
            walk_vaddr: 0x8000_1234,
            walk_satp: (8 << 60) | (ROOT >> 12),
            walk_access: 1,
            walk_priv: 1,
            walk_fault: XF_NONE,
            walk_level: 2,
            walk_pte: LEAF,
            walk_pte_addr: ROOT + 16,
            walk_reads: 1,
            ..MmuPort::default()
        }
    }

    #[test]
    fn a_walk_like_the_software_walkers_passes() {
        let mut check = TranslationCheck::default();
        assert!(check.check(7, &walk(), &bus(), None).is_ok());
        assert_eq!(check.checked(), 1);
        // an L2 TLB hit is no walk
        let l2_hit = MmuPort {
            walk_walked: false,
            ..walk()
        };
        assert!(check.check(8, &l2_hit, &bus(), None).is_ok());
        assert_eq!(check.checked(), 1);
    }

    #[test]
    fn wrong_levels_ptes_and_faults_are_caught() {
        let wrong = [
            MmuPort {
                walk_level: 1,
                ..walk()
            },
            MmuPort {
                walk_pte: LEAF | 1 << 4,
                ..walk()
            },
            MmuPort {
                walk_fault: XF_PAGE,
                ..walk()
            },
        ];
        for (i, m) in wrong.iter().enumerate() {
            let err = TranslationCheck::default()
                .check(9, m, &bus(), None)
                .expect_err("a wrong walk");
            assert_eq!(err.cycle, 9, "case {i}");
            assert!(
                err.to_string().contains("software walker leaf level 2"),
                "{err}"
            );
        }
        // A page fault the RTL missed: the leaf made invalid in memory.
        let mut invalid = bus();
        invalid.write_u64(PhysAddr(ROOT + 16), LEAF & !1).unwrap();
        let err = TranslationCheck::default()
            .check(10, &walk(), &invalid, None)
            .expect_err("V=0 must fault");
        assert!(err.software.starts_with("page fault"), "{err}");
    }

    #[test]
    fn permission_faults_belong_to_the_port_not_the_walker() {
        // A user-mode load from this S page faults, but the walker still found the leaf.
        let user = MmuPort {
            walk_priv: 0,
            ..walk()
        };
        assert!(TranslationCheck::default()
            .check(1, &user, &bus(), None)
            .is_ok());
    }
}
