//! Counter check: a software model of the MMU's translation caches (vmem's TLB and
//! walk-cache models, with the RTL's geometry and tree-PLRU replacement) replays the
//! MMU trace cycle by cycle and predicts every ITLB/DTLB lookup's hit or miss, every
//! L2 TLB and walk-cache lookup, and every sfence.vma's invalidations. What goes into
//! the caches, and whether a walk fills at all, comes from the model's own state and
//! vmem's software walker (of the RTL only whether it abandoned a walk); the RTL's
//! fill signals are compared with the model's decision. The prediction is compared with the RTL's events each cycle (the first
//! difference is remembered) and in total (the report).
//!
//! Within a cycle the model follows the RTL's order: L1 lookups (a used hit touches
//! its entry), the walker's L2 TLB and walk-cache lookups, a walk-cache fill for a PTE
//! read, the fills at the end of a walk, then sfence.vma's invalidations.

use super::{walk_request, BusMemory, MmuParams};
use crate::counters::Counters;
use crate::lockstep::Pmp;
use crate::memory::SystemBus;
use crate::model::MmuPort;
use std::collections::VecDeque;
use vmem::geometry::Mode;
use vmem::pte::{Pte, G};
use vmem::tlb_model::{Tlb, TlbEntry, WalkCacheEntry, WalkCacheModel};
use vmem::walk::{self, Access};

/// Event numbers the model predicts (see `crate::counters::EVENTS`).
const ITLB_ACCESS: usize = 7;
const ITLB_MISS: usize = 8;
const DTLB_LOAD_ACCESS: usize = 9;
const DTLB_LOAD_MISS: usize = 10;
const DTLB_STORE_ACCESS: usize = 11;
const DTLB_STORE_MISS: usize = 12;
const L2TLB_HIT: usize = 13;
const L2TLB_MISS: usize = 14;
const WALKS: usize = 15;
const PWC_HIT: usize = 18;
const PWC_MISS: usize = 19;
const TLB_FLUSHED: usize = crate::counters::TLB_FLUSHED;
const WALK_READS: usize = 17;

/// The events the model predicts, in report order.
pub const PREDICTED: [usize; 12] = [
    ITLB_ACCESS,
    ITLB_MISS,
    DTLB_LOAD_ACCESS,
    DTLB_LOAD_MISS,
    DTLB_STORE_ACCESS,
    DTLB_STORE_MISS,
    L2TLB_HIT,
    L2TLB_MISS,
    WALKS,
    PWC_HIT,
    PWC_MISS,
    TLB_FLUSHED,
];

/// A walk in progress, as the model sees it.
struct Walk {
    /// The L2 TLB entry that answers it, if any (then nothing is read).
    from_l2: Option<TlbEntry>,
    mode: Mode,
    asid: u16,
    va: u64,
    /// Pointer PTEs still to be read, in order: (level, next table's PPN).
    pointers: VecDeque<(u8, u64)>,
    /// The walk cache let it start below the root.
    below_root: bool,
    /// It serves the data port (else the fetch port), by the access it was asked for.
    data_port: bool,
}

/// The model and its running prediction.
pub struct TlbCheck {
    itlb: Tlb,
    dtlb: Tlb,
    l2: Option<Tlb>,
    pwc: Option<WalkCacheModel>,
    walk: Option<Walk>,
    predicted: Counters,
    first_difference: Option<String>,
}

/// Model against RTL, per predicted event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlbCheckReport {
    pub params: MmuParams,
    /// (event name, RTL count, model count).
    pub rows: Vec<(&'static str, u64, u64)>,
    /// The first cycle at which the model disagreed with the RTL, and on what.
    pub first_difference: Option<String>,
}

impl TlbCheckReport {
    /// Every predicted counter equals the RTL's.
    pub fn agrees(&self) -> bool {
        self.first_difference.is_none() && self.rows.iter().all(|(_, rtl, model)| rtl == model)
    }
}

impl std::fmt::Display for TlbCheckReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = &self.params;
        writeln!(
            f,
            "counter check (TLB model: ITLB {}, DTLB {}, L2 TLB {}, walk cache {} entries, tree-PLRU):",
            p.itlb_entries, p.dtlb_entries, p.l2_entries, p.pwc_entries
        )?;
        writeln!(f, "  {:<22} {:>12} {:>12}", "event", "rtl", "model")?;
        for (name, rtl, model) in &self.rows {
            let mark = if rtl == model { "" } else { "  <- differs" };
            writeln!(f, "  {name:<22} {rtl:>12} {model:>12}{mark}")?;
        }
        match &self.first_difference {
            None => write!(f, "  model and RTL agree on every lookup"),
            Some(d) => write!(f, "  first difference: {d}"),
        }
    }
}

impl TlbCheck {
    pub fn new(params: MmuParams) -> Self {
        Self {
            itlb: Tlb::new(params.itlb_entries),
            dtlb: Tlb::new(params.dtlb_entries),
            l2: (params.l2_entries > 0).then(|| Tlb::new(params.l2_entries)),
            pwc: (params.pwc_entries > 0).then(|| WalkCacheModel::new(params.pwc_entries)),
            walk: None,
            predicted: Counters::default(),
            first_difference: None,
        }
    }

    /// Replays one cycle of the MMU trace. `events` are the RTL's events of the cycle
    /// and `flushed` its invalidation count; `bus` is memory in that cycle.
    pub fn record(
        &mut self,
        cycle: u64,
        m: &MmuPort,
        events: u32,
        flushed: u8,
        bus: &SystemBus,
        pmp: Option<&Pmp>,
    ) {
        // Most cycles the MMU does nothing the model follows.
        let active = m.ilookup || m.dlookup || m.walk_start || m.walk_done || m.sfence;
        if !active && events & (1 << WALK_READS) == 0 {
            return;
        }
        let mut predicted_events = 0u32;
        let mut set = |n: usize| predicted_events |= 1 << n;
        let asid = asid_of(m.satp);

        // L1 lookups
        if m.ilookup {
            set(ITLB_ACCESS);
            if self.itlb.lookup(m.ivaddr, asid, Access::Fetch).is_none() {
                set(ITLB_MISS);
            }
        }
        if m.dlookup {
            let store = m.daccess == 2;
            let access = if store { Access::Store } else { Access::Load };
            let (hit, miss) = if store {
                (DTLB_STORE_ACCESS, DTLB_STORE_MISS)
            } else {
                (DTLB_LOAD_ACCESS, DTLB_LOAD_MISS)
            };
            set(hit);
            if self.dtlb.lookup(m.dvaddr, asid, access).is_none() {
                set(miss);
            }
        }

        // The walker's lookups
        if m.walk_start {
            let walk = self.start_walk(m, bus, pmp);
            if self.l2.is_some() {
                set(if walk.from_l2.is_some() {
                    L2TLB_HIT
                } else {
                    L2TLB_MISS
                });
            }
            if walk.from_l2.is_none() {
                set(WALKS);
                if self.pwc.is_some() {
                    set(if walk.below_root { PWC_HIT } else { PWC_MISS });
                }
            }
            self.walk = Some(walk);
        }

        // A PTE read: a pointer goes into the walk cache (not while an sfence.vma
        // flushes it, nor after one raced the walk).
        if events & (1 << WALK_READS) != 0 {
            if let Some(walk) = &mut self.walk {
                if let Some((level, ppn)) = walk.pointers.pop_front() {
                    if let (Some(pwc), false, false) = (&mut self.pwc, m.sfence, m.walk_discard) {
                        pwc.fill(WalkCacheEntry::new(
                            walk.mode, walk.asid, level, walk.va, ppn,
                        ));
                    }
                }
            }
        }

        // The end of a walk fills the requester's TLB (and the L2 TLB after a real
        // walk), as the model decides: a leaf the software walker found (a permission
        // fault is the lookup's to raise) by a walk no sfence.vma or withdrawn fetch
        // abandoned (walk_discard). The RTL's fill signals are outputs it is checked on.
        let mut fill_difference = None;
        if m.walk_done {
            let walk = self.walk.take();
            let entry = match walk.as_ref().and_then(|w| w.from_l2) {
                Some(e) => Some(e),
                None => leaf_entry(m, bus, pmp),
            }
            .filter(|_| !m.walk_discard);
            let data_port = walk.as_ref().map_or(m.walk_port, |w| w.data_port);
            if entry.is_some() != m.walk_filled || (m.walk_filled && data_port != m.walk_port) {
                let port = |filled: bool, data: bool| match (filled, data) {
                    (false, _) => "nothing",
                    (true, false) => "the ITLB",
                    (true, true) => "the DTLB",
                };
                fill_difference = Some(format!(
                    "cycle {cycle}: the walk for {:#x} filled {} (RTL), {} (model)",
                    m.walk_vaddr,
                    port(m.walk_filled, m.walk_port),
                    port(entry.is_some(), data_port)
                ));
            }
            if let Some(entry) = entry {
                if walk.as_ref().is_some_and(|w| w.from_l2.is_none()) {
                    if let Some(l2) = &mut self.l2 {
                        l2.fill(entry);
                    }
                }
                let l1 = if data_port {
                    &mut self.dtlb
                } else {
                    &mut self.itlb
                };
                l1.fill(entry);
            }
        }

        // sfence.vma
        let mut model_flushed = 0usize;
        if m.sfence {
            let va = m.sfence_rs1.then_some(m.sfence_vaddr);
            let asid = m.sfence_rs2.then_some(m.sfence_asid as u16);
            model_flushed += self.itlb.flush(va, asid) + self.dtlb.flush(va, asid);
            if let Some(l2) = &mut self.l2 {
                model_flushed += l2.flush(va, asid);
            }
            if let Some(pwc) = &mut self.pwc {
                pwc.flush_all();
            }
            if model_flushed > 0 {
                predicted_events |= 1 << TLB_FLUSHED;
            }
        }
        self.predicted
            .record(predicted_events, model_flushed.min(255) as u8);

        if self.first_difference.is_none() {
            self.first_difference = fill_difference;
        }
        if self.first_difference.is_none() {
            let mask: u32 = PREDICTED.iter().map(|&n| 1u32 << n).sum();
            let differ = (predicted_events ^ events) & mask;
            if differ != 0 || (m.sfence && usize::from(flushed) != model_flushed) {
                let names: Vec<&str> = (0..32)
                    .filter(|n| differ & (1 << n) != 0)
                    .map(|n| crate::counters::EVENTS[n].name)
                    .collect();
                self.first_difference = Some(format!(
                    "cycle {cycle}: events {names:?} (RTL {:#x}, model {:#x}), entries flushed RTL {flushed}, model {model_flushed}",
                    events & mask,
                    predicted_events & mask
                ));
            }
        }
    }

    /// The walker takes a walk: L2 TLB lookup, then the walk cache, then the PTEs it
    /// will read (from the software walker), as the RTL does it.
    fn start_walk(&mut self, m: &MmuPort, bus: &SystemBus, pmp: Option<&Pmp>) -> Walk {
        let asid = asid_of(m.walk_satp);
        let mode = if m.walk_satp >> 60 == 9 {
            Mode::Sv48
        } else {
            Mode::Sv39
        };
        let access = walk_request(m).access;
        let from_l2 = self.l2.as_mut().and_then(|l2| {
            let i = l2.lookup(m.walk_vaddr, asid, access)?;
            l2.entry(i).copied()
        });
        let mut walk = Walk {
            from_l2,
            mode,
            asid,
            va: m.walk_vaddr,
            pointers: VecDeque::new(),
            below_root: false,
            data_port: access != Access::Fetch,
        };
        if from_l2.is_some() {
            return walk;
        }
        let cached = self
            .pwc
            .as_mut()
            .and_then(|p| p.lookup_deepest(mode, asid, m.walk_vaddr));
        walk.below_root = cached.is_some();
        let start_level = cached.map_or(mode.levels() - 1, |(_, e)| e.level - 1);
        let mut mem = BusMemory { bus, pmp };
        let outcome = walk::walk(&mut mem, &walk_request(m));
        let top = mode.levels() - 1;
        // PTEs read from the root down; the RTL reads from start_level. Every PTE but
        // the last is a pointer.
        let read = outcome.ptes_read();
        for (k, &(_, pte)) in read.iter().enumerate() {
            let level = top - k as u8;
            let pointer = k + 1 < read.len() || is_pointer(pte, level);
            if level <= start_level && pointer {
                walk.pointers.push_back((level, Pte(pte).ppn()));
            }
        }
        walk
    }

    /// The model's totals next to the RTL's.
    pub fn report(&self, params: MmuParams, rtl: &Counters) -> TlbCheckReport {
        TlbCheckReport {
            params,
            rows: PREDICTED
                .iter()
                .map(|&n| {
                    (
                        crate::counters::EVENTS[n].name,
                        rtl.get(n),
                        self.predicted.get(n),
                    )
                })
                .collect(),
            first_difference: self.first_difference.clone(),
        }
    }
}

/// Is `pte`, read at `level`, a pointer the RTL's walker follows (and caches)?
fn is_pointer(pte: u64, level: u8) -> bool {
    let p = Pte(pte);
    p.v() && !p.r() && !p.w() && !p.x() && !p.a() && !p.d() && !p.u() && level > 0 && pte >> 54 == 0
}

/// The TLB entry a walk that ended this cycle produced, from the software walker: its
/// leaf, whether or not it permits the access (the port checks that).
fn leaf_entry(m: &MmuPort, bus: &SystemBus, pmp: Option<&Pmp>) -> Option<TlbEntry> {
    use walk::reason::*;
    const LOOKUP_FAULTS: [&str; 8] = [
        NO_X,
        NO_R,
        NO_W,
        S_PAGE_FROM_U,
        U_PAGE_FETCHED_FROM_S,
        U_PAGE_FROM_S,
        A_CLEAR,
        D_CLEAR,
    ];
    let mut mem = BusMemory { bus, pmp };
    let (pte, level) = match walk::walk(&mut mem, &walk_request(m)).result {
        Ok(t) => (t.leaf_pte, t.level),
        // The permission checks are the TLB lookup's: the walker fills such a leaf,
        // unless it is a misaligned superpage (the spec checks that after the
        // permissions, so the software walker reports the permission fault).
        Err(f) if LOOKUP_FAULTS.contains(&f.reason) && !misaligned(f.pte, f.level) => {
            (f.pte, f.level)
        }
        Err(_) => return None,
    };
    Some(TlbEntry::new(
        m.walk_vaddr,
        level,
        asid_of(m.walk_satp),
        pte & G != 0,
        pte,
    ))
}

/// A superpage leaf whose PPN is not aligned to its size.
fn misaligned(pte: u64, level: u8) -> bool {
    Pte(pte).ppn() & ((1u64 << (9 * u32::from(level))) - 1) != 0
}

fn asid_of(satp: u64) -> u16 {
    (satp >> 44) as u16
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::MemoryMap;

    #[test]
    fn a_hit_the_model_cannot_explain_is_a_difference() {
        let bus = SystemBus::new(MemoryMap::default());
        let mut check = TlbCheck::new(super::super::DEFAULT_MMU_PARAMS);
        let lookup = MmuPort {
            ilookup: true,
            ivaddr: 0x4000_0000,
            satp: 8 << 60,
            ..MmuPort::default()
        };
        // The model's ITLB is empty: a lookup misses.
        check.record(5, &lookup, 1 << ITLB_ACCESS | 1 << ITLB_MISS, 0, &bus, None);
        assert!(check.first_difference.is_none());
        // The RTL claims a hit on an entry nothing ever filled.
        check.record(6, &lookup, 1 << ITLB_ACCESS, 0, &bus, None);
        let report = check.report(super::super::DEFAULT_MMU_PARAMS, &Counters::default());
        assert!(!report.agrees());
        assert!(report
            .first_difference
            .unwrap()
            .starts_with("cycle 6: events [\"itlb_miss\"]"));
    }

    #[test]
    fn a_fill_the_model_does_not_make_is_a_difference() {
        // Bare memory with no page table: a walk under Sv39 finds V=0 at the root.
        let bus = SystemBus::new(MemoryMap::default());
        let mut check = TlbCheck::new(super::super::DEFAULT_MMU_PARAMS);
        let satp = 8 << 60 | 0x0008_0000;
        let start = MmuPort {
            walk_start: true,
            walk_satp: satp,
            walk_vaddr: 0x1000,
            walk_access: 1,
            ..MmuPort::default()
        };
        check.record(
            1,
            &start,
            1 << L2TLB_MISS | 1 << WALKS | 1 << PWC_MISS,
            0,
            &bus,
            None,
        );
        // The RTL says it filled the DTLB from a walk that found no leaf.
        let done = MmuPort {
            walk_done: true,
            walk_filled: true,
            walk_port: true,
            walk_walked: true,
            walk_satp: satp,
            walk_vaddr: 0x1000,
            walk_access: 1,
            ..MmuPort::default()
        };
        check.record(9, &done, 0, 0, &bus, None);
        let first = check.first_difference.clone().expect("a fill from nothing");
        assert!(
            first.contains("filled the DTLB (RTL), nothing (model)"),
            "{first}"
        );
    }

    #[test]
    fn a_misaligned_superpage_with_a_permission_fault_fills_nothing() {
        // Sv39, root at 0x8000_0000: VA 0x4020_0000's level-1 entry is a
        // read-only 2 MiB leaf whose PPN is one page off its alignment. A store
        // there fails the permission check first (the spec's order), but the leaf
        // is no TLB entry either way.
        let mut bus = SystemBus::new(MemoryMap::default());
        let root = 0x8000_0000u64;
        let l1 = 0x8000_1000u64;
        bus.write_u64(crate::memory::PhysAddr(root + 8), (l1 >> 12) << 10 | 1)
            .unwrap();
        let leaf = ((0x8020_0000u64 >> 12) + 1) << 10 | 0b1100_0011; // V R A D
        bus.write_u64(crate::memory::PhysAddr(l1 + 8), leaf)
            .unwrap();
        let satp = 8 << 60 | root >> 12;
        let mut check = TlbCheck::new(super::super::DEFAULT_MMU_PARAMS);
        let port = MmuPort {
            walk_satp: satp,
            walk_vaddr: 0x4020_0000,
            walk_access: 2, // a store
            walk_priv: 1,
            ..MmuPort::default()
        };
        let start = MmuPort {
            walk_start: true,
            ..port
        };
        let events = 1 << L2TLB_MISS | 1 << WALKS | 1 << PWC_MISS;
        check.record(1, &start, events, 0, &bus, None);
        let done = MmuPort {
            walk_done: true,
            walk_walked: true,
            ..port
        };
        check.record(9, &done, 0, 0, &bus, None);
        assert_eq!(check.first_difference, None);
    }
}
