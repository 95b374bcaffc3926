//! A software page-table walker that follows the privileged spec's algorithm (v1.12
//! §4.3.2, with the Sv39/Sv48 formats of §4.4/§4.5 and Svadu's hardware A/D update)
//! step by step, so the harness can re-walk every walk the RTL completes and compare.
//!
//! The walker reads memory through [`PhysMemory`], which also carries the PMP check
//! of the walker's own accesses. Its result records every PTE it read, in order.
//!
//! # Fault reasons, in the order they are checked
//!
//! | step | reason ([`reason`]) | kind |
//! |---|---|---|
//! | before any read | `non-canonical`: VA bits above the mode's width differ from its top bit | page |
//! | 2, per level | `PTE read denied by PMP` | access |
//! | 2 | `PTE bus error` | access |
//! | 3 | `V=0` | page |
//! | 3 | `W without R` | page |
//! | 3 | `reserved bits`: any of bits 60..54 | page |
//! | 3 | `N without Svnapot`: bit 63 (we have no Svnapot) | page |
//! | 3 | `PBMT without Svpbmt`: bits 62..61 (we have no Svpbmt) | page |
//! | 3 | `non-leaf with A/D/U`: reserved in pointer entries | page |
//! | 4 | `no leaf at level 0`: a pointer entry in the last table | page |
//! | 5 | `no X` (fetch), `no R (MXR=0)` (load), `no W` (store) | page |
//! | 5 | `S page from U`, `U page fetched from S`, `U page from S (SUM=0)` | page |
//! | 6 | `misaligned superpage`: leaf PPN's low `9*level` bits not zero | page |
//! | 7, Svade | `A=0`, then `D=0 on store` | page |
//! | 7, Svadu | `A/D write denied by PMP` | access |
//! | 7, Svadu | `A/D write bus error` | access |
//!
//! Within step 5 the access type is checked before the U bit; the spec does not order
//! them (the exception is the same), the reasons only say which rule fired first.
//!
//! Outside the spec: `satp` with MODE Bare translates nothing (PA = VA, no read), and a
//! MODE we do not implement gives [`reason::UNSUPPORTED_MODE`] (a hart cannot hold one).

use crate::geometry::{is_canonical, superpage_mask, vpn, Satp, PAGE_SHIFT, PAGE_SIZE, PTE_SIZE};
use crate::pte::{self, Pte};
use core::fmt;

/// Physical memory as the walker sees it.
pub trait PhysMemory {
    /// One aligned 64-bit word; `None` is a bus error.
    fn read_u64(&mut self, pa: u64) -> Option<u64>;
    /// One aligned 64-bit word; `false` is a bus error.
    fn write_u64(&mut self, pa: u64, v: u64) -> bool;
    /// PMP (and PMA) check of the walker's own access to a PTE; the walker runs with
    /// S-mode's PMP view whatever the access's privilege. Memories without PMP allow all.
    fn pte_access_allowed(&mut self, pa: u64, write: bool) -> bool {
        let _ = (pa, write);
        true
    }
}

impl<T: PhysMemory + ?Sized> PhysMemory for &mut T {
    fn read_u64(&mut self, pa: u64) -> Option<u64> {
        (**self).read_u64(pa)
    }
    fn write_u64(&mut self, pa: u64, v: u64) -> bool {
        (**self).write_u64(pa, v)
    }
    fn pte_access_allowed(&mut self, pa: u64, write: bool) -> bool {
        (**self).pte_access_allowed(pa, write)
    }
}

/// What the translated access does. AMOs are stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Access {
    Fetch,
    Load,
    Store,
}

/// The effective privilege of the access (after MPRV); M-mode does not translate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Priv {
    U,
    S,
}

/// One translation to perform.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WalkRequest {
    pub satp: u64,
    pub va: u64,
    pub access: Access,
    pub priv_: Priv,
    /// mstatus.SUM: S-mode may load/store U pages.
    pub sum: bool,
    /// mstatus.MXR: loads may read execute-only pages.
    pub mxr: bool,
    /// menvcfg.ADUE (Svadu): hardware sets A/D instead of faulting.
    pub adue: bool,
}

/// A successful translation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Translation {
    pub pa: u64,
    /// Level of the leaf: 0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB, 3 = 512 GiB.
    pub level: u8,
    /// The leaf PTE, after any A/D update.
    pub leaf_pte: u64,
    pub leaf_pte_addr: u64,
    /// The walker wrote A (and D for a store) back to the leaf (Svadu).
    pub ad_updated: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FaultKind {
    PageFault,
    AccessFault,
}

/// Why a walk failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fault {
    pub kind: FaultKind,
    /// One of the [`reason`] constants.
    pub reason: &'static str,
    /// The level whose PTE caused the fault (for a non-canonical VA: the root level).
    pub level: u8,
    /// The offending PTE as read; 0 when none was read.
    pub pte: u64,
}

impl Fault {
    /// The `mcause`/`scause` exception code this fault raises for `access`.
    pub const fn cause(&self, access: Access) -> u64 {
        match (self.kind, access) {
            (FaultKind::AccessFault, Access::Fetch) => 1,
            (FaultKind::AccessFault, Access::Load) => 5,
            (FaultKind::AccessFault, Access::Store) => 7,
            (FaultKind::PageFault, Access::Fetch) => 12,
            (FaultKind::PageFault, Access::Load) => 13,
            (FaultKind::PageFault, Access::Store) => 15,
        }
    }

    const fn page(reason: &'static str, level: u8, pte: u64) -> Fault {
        Fault {
            kind: FaultKind::PageFault,
            reason,
            level,
            pte,
        }
    }

    const fn access(reason: &'static str, level: u8, pte: u64) -> Fault {
        Fault {
            kind: FaultKind::AccessFault,
            reason,
            level,
            pte,
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            FaultKind::PageFault => "page fault",
            FaultKind::AccessFault => "access fault",
        };
        write!(
            f,
            "{kind} at level {}: {} (PTE {:#x})",
            self.level, self.reason, self.pte
        )
    }
}

/// The fault reasons, spelled once (see the module documentation for their order).
pub mod reason {
    pub const NON_CANONICAL: &str = "non-canonical";
    pub const PTE_READ_DENIED: &str = "PTE read denied by PMP";
    pub const PTE_BUS_ERROR: &str = "PTE bus error";
    pub const INVALID: &str = "V=0";
    pub const W_WITHOUT_R: &str = "W without R";
    pub const RESERVED_BITS: &str = "reserved bits";
    pub const N_WITHOUT_SVNAPOT: &str = "N without Svnapot";
    pub const PBMT_WITHOUT_SVPBMT: &str = "PBMT without Svpbmt";
    pub const NON_LEAF_ADU: &str = "non-leaf with A/D/U";
    pub const NO_LEAF: &str = "no leaf at level 0";
    pub const NO_X: &str = "no X";
    pub const NO_R: &str = "no R (MXR=0)";
    pub const NO_W: &str = "no W";
    pub const S_PAGE_FROM_U: &str = "S page from U";
    pub const U_PAGE_FETCHED_FROM_S: &str = "U page fetched from S";
    pub const U_PAGE_FROM_S: &str = "U page from S (SUM=0)";
    pub const MISALIGNED_SUPERPAGE: &str = "misaligned superpage";
    pub const A_CLEAR: &str = "A=0";
    pub const D_CLEAR: &str = "D=0 on store";
    pub const AD_WRITE_DENIED: &str = "A/D write denied by PMP";
    pub const AD_WRITE_BUS_ERROR: &str = "A/D write bus error";
    pub const UNSUPPORTED_MODE: &str = "satp MODE unsupported";
}

/// Sv48's four levels: the most PTEs one walk reads.
pub const MAX_LEVELS: usize = 4;

/// A walk's result and the PTEs it read on the way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WalkOutcome {
    pub result: Result<Translation, Fault>,
    /// (address, value as read) of each PTE read, root first; only the first
    /// `pte_count` are meaningful. A/D updates show in the translation, not here. A
    /// read that PMP denied or that failed on the bus is not listed.
    pub ptes: [(u64, u64); MAX_LEVELS],
    pub pte_count: u8,
}

impl WalkOutcome {
    pub fn ptes_read(&self) -> &[(u64, u64)] {
        &self.ptes[..self.pte_count as usize]
    }

    /// G on any PTE of the path: a global pointer makes everything below it global.
    pub fn global(&self) -> bool {
        self.ptes_read().iter().any(|&(_, v)| Pte(v).g())
    }
}

/// Walks the page table for `req` (spec §4.3.2), updating A/D in `mem` under Svadu.
pub fn walk<M: PhysMemory + ?Sized>(mem: &mut M, req: &WalkRequest) -> WalkOutcome {
    let mut out = WalkOutcome {
        result: Err(Fault::page(reason::UNSUPPORTED_MODE, 0, 0)),
        ptes: [(0, 0); MAX_LEVELS],
        pte_count: 0,
    };
    out.result = run(mem, req, &mut out);
    out
}

fn run<M: PhysMemory + ?Sized>(
    mem: &mut M,
    req: &WalkRequest,
    trace: &mut WalkOutcome,
) -> Result<Translation, Fault> {
    let Ok(satp) = Satp::decode(req.satp) else {
        return Err(Fault::page(reason::UNSUPPORTED_MODE, 0, 0));
    };
    let Some(mode) = satp.mode else {
        return Ok(Translation {
            pa: req.va,
            level: 0,
            leaf_pte: 0,
            leaf_pte_addr: 0,
            ad_updated: false,
        });
    };
    let va = req.va;
    let mut level = mode.levels() - 1;
    // The spec checks the upper VA bits before translating: no PTE is read.
    if !is_canonical(mode, va) {
        return Err(Fault::page(reason::NON_CANONICAL, level, 0));
    }

    // Steps 1-4: descend until a leaf.
    let mut table = satp.ppn << PAGE_SHIFT;
    let (leaf, leaf_addr) = loop {
        let addr = table + vpn(va, level) * PTE_SIZE;
        if !mem.pte_access_allowed(addr, false) {
            return Err(Fault::access(reason::PTE_READ_DENIED, level, 0));
        }
        let Some(raw) = mem.read_u64(addr) else {
            return Err(Fault::access(reason::PTE_BUS_ERROR, level, 0));
        };
        trace.ptes[trace.pte_count as usize] = (addr, raw);
        trace.pte_count += 1;
        let pte = Pte(raw);
        if let Some(why) = malformed(pte) {
            return Err(Fault::page(why, level, raw));
        }
        if pte.is_leaf() {
            break (pte, addr);
        }
        if level == 0 {
            return Err(Fault::page(reason::NO_LEAF, level, raw));
        }
        table = pte.ppn() << PAGE_SHIFT;
        level -= 1;
    };

    // Step 5.
    if let Some(why) = denied(leaf, req) {
        return Err(Fault::page(why, level, leaf.0));
    }
    // Step 6: a superpage's PPN must be aligned to its size.
    let low = superpage_mask(level);
    if leaf.ppn() & low != 0 {
        return Err(Fault::page(reason::MISALIGNED_SUPERPAGE, level, leaf.0));
    }
    // Step 7: A, and D for a store, must be set: by software (Svade) or by us (Svadu).
    let needed = match req.access {
        Access::Store => pte::A | pte::D,
        Access::Fetch | Access::Load => pte::A,
    };
    let mut final_leaf = leaf;
    if !leaf.has(needed) {
        if !req.adue {
            let why = if leaf.a() {
                reason::D_CLEAR
            } else {
                reason::A_CLEAR
            };
            return Err(Fault::page(why, level, leaf.0));
        }
        if !mem.pte_access_allowed(leaf_addr, true) {
            return Err(Fault::access(reason::AD_WRITE_DENIED, level, leaf.0));
        }
        // The spec's compare-and-swap cannot lose here: nothing else writes `mem`
        // between our read and this write.
        final_leaf = leaf.with(needed);
        if !mem.write_u64(leaf_addr, final_leaf.0) {
            return Err(Fault::access(reason::AD_WRITE_BUS_ERROR, level, leaf.0));
        }
    }

    // Step 8: the superpage's low PPN bits come from the VA.
    let ppn = (leaf.ppn() & !low) | ((va >> PAGE_SHIFT) & low);
    Ok(Translation {
        pa: (ppn << PAGE_SHIFT) | (va & (PAGE_SIZE - 1)),
        level,
        leaf_pte: final_leaf.0,
        leaf_pte_addr: leaf_addr,
        ad_updated: final_leaf != leaf,
    })
}

/// Step 3 (and the non-leaf reserved bits): is this PTE unusable at any level?
fn malformed(pte: Pte) -> Option<&'static str> {
    if !pte.v() {
        Some(reason::INVALID)
    } else if pte.w() && !pte.r() {
        Some(reason::W_WITHOUT_R)
    } else if pte.reserved() != 0 {
        Some(reason::RESERVED_BITS)
    } else if pte.n() {
        Some(reason::N_WITHOUT_SVNAPOT)
    } else if pte.pbmt() != 0 {
        Some(reason::PBMT_WITHOUT_SVPBMT)
    } else if !pte.is_leaf() && pte.0 & (pte::D | pte::A | pte::U) != 0 {
        Some(reason::NON_LEAF_ADU)
    } else {
        None
    }
}

/// Step 5: may this access use the leaf?
fn denied(leaf: Pte, req: &WalkRequest) -> Option<&'static str> {
    let type_ok = match req.access {
        Access::Fetch => leaf.x(),
        Access::Load => leaf.r() || (req.mxr && leaf.x()),
        Access::Store => leaf.w(),
    };
    if !type_ok {
        return Some(match req.access {
            Access::Fetch => reason::NO_X,
            Access::Load => reason::NO_R,
            Access::Store => reason::NO_W,
        });
    }
    match (req.priv_, leaf.u()) {
        (Priv::U, false) => Some(reason::S_PAGE_FROM_U),
        // SUM never lets S-mode execute user code.
        (Priv::S, true) if req.access == Access::Fetch => Some(reason::U_PAGE_FETCHED_FROM_S),
        (Priv::S, true) if !req.sum => Some(reason::U_PAGE_FROM_S),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{Mode, Satp};
    use crate::pte::{A, D, G, N, R, U, V, W, X};
    use crate::test_mem::{Event, TestMem};
    use std::string::ToString;
    use std::vec::Vec;

    const RWXAD: u64 = R | W | X | A | D;

    fn req(satp: u64, va: u64, access: Access, priv_: Priv) -> WalkRequest {
        WalkRequest {
            satp,
            va,
            access,
            priv_,
            sum: false,
            mxr: false,
            adue: false,
        }
    }

    fn ok(mem: &mut TestMem, r: &WalkRequest) -> (Translation, WalkOutcome) {
        let out = walk(mem, r);
        match out.result {
            Ok(t) => (t, out),
            Err(f) => panic!("unexpected {f}"),
        }
    }

    fn fault(mem: &mut TestMem, r: &WalkRequest) -> (Fault, WalkOutcome) {
        let out = walk(mem, r);
        match out.result {
            Err(f) => (f, out),
            Ok(t) => panic!("unexpected translation {t:x?}"),
        }
    }

    /// Maps one page of `level` at `va` to `ppn` and checks a translation through it
    /// at `offset`: PA, level, leaf and the chain of PTE addresses.
    fn check_translation(mode: Mode, level: u8, va: u64, ppn: u64, offset: u64) {
        let mut m = TestMem::new();
        let satp = m.new_root(mode, 1);
        let leaf_addr = m.map(satp, va, level, Pte::leaf(ppn, RWXAD).bits());
        let (t, out) = ok(&mut m, &req(satp, va + offset, Access::Load, Priv::S));
        assert_eq!(t.pa, (ppn << 12) + offset, "{mode:?} level {level}");
        assert_eq!(t.level, level);
        assert_eq!(t.leaf_pte_addr, leaf_addr);
        assert_eq!(t.leaf_pte, Pte::leaf(ppn, RWXAD).bits());
        assert!(!t.ad_updated);
        assert_eq!(out.pte_count, mode.levels() - level);
        assert_eq!(out.ptes_read().last().unwrap().0, leaf_addr);
        // The root PTE comes from satp.PPN and the VA's top VPN field.
        let top = mode.levels() - 1;
        let root = Satp::decode(satp).unwrap().ppn << 12;
        assert_eq!(out.ptes[0].0, root + vpn(va, top) * 8);
        // Each next PTE lies in the table the previous one points to.
        for (i, pair) in out.ptes_read().windows(2).enumerate() {
            let l = top - 1 - i as u8;
            assert_eq!(pair[1].0, (Pte(pair[0].1).ppn() << 12) + vpn(va, l) * 8);
        }
        assert_eq!(m.reads(), out.pte_count as usize);
    }

    #[test]
    fn sv39_page_sizes() {
        check_translation(Mode::Sv39, 0, 0x1234_5000, 0x8_1234, 0xabc);
        check_translation(Mode::Sv39, 1, 0x4020_0000, 0x8_0400, 0x1_2345);
        check_translation(Mode::Sv39, 2, 0xffff_ffc0_4000_0000, 0x40_0000, 0x2345_6789);
        check_translation(Mode::Sv39, 0, 0x3f_ffff_f000, 0xfff_ffff_ffff, 0xfff);
    }

    #[test]
    fn sv48_page_sizes() {
        check_translation(Mode::Sv48, 0, 0x7fff_ffff_f000, 0x8_1234, 0x8);
        check_translation(Mode::Sv48, 1, 0x40_0020_0000, 0x8_0400, 0x1f_fff8);
        check_translation(
            Mode::Sv48,
            2,
            0xffff_8000_c000_0000,
            0x1_0000_0000 >> 12,
            0x3fff_ffff,
        );
        check_translation(
            Mode::Sv48,
            3,
            0xffff_8080_0000_0000,
            1 << 27,
            0x7f_1234_5678,
        );
    }

    #[test]
    fn superpage_low_ppn_bits_come_from_the_va() {
        // Two 4 KiB pages inside one 2 MiB superpage land on consecutive frames.
        let mut m = TestMem::new();
        let satp = m.new_root(Mode::Sv39, 0);
        m.map(satp, 0x20_0000, 1, Pte::leaf(0x8_0200, R | A).bits());
        for k in 0..512u64 {
            let r = req(satp, 0x20_0000 + (k << 12) + 4, Access::Load, Priv::S);
            assert_eq!(ok(&mut m, &r).0.pa, ((0x8_0200 + k) << 12) + 4);
        }
    }

    #[test]
    fn bare_translates_nothing_and_unknown_modes_fault() {
        let mut m = TestMem::new();
        let (t, out) = ok(&mut m, &req(0, 0x8000_1234, Access::Store, Priv::S));
        assert_eq!((t.pa, out.pte_count), (0x8000_1234, 0));
        let (f, _) = fault(&mut m, &req(10 << 60, 0, Access::Load, Priv::S));
        assert_eq!(f.reason, reason::UNSUPPORTED_MODE);
        assert!(m.log.is_empty());
    }

    #[test]
    fn non_canonical_faults_before_any_access() {
        for (mode, va) in [
            (Mode::Sv39, 0x40_0000_0000u64),
            (Mode::Sv39, 0xffff_ff80_0000_0000),
            (Mode::Sv48, 0x8000_0000_0000),
            (Mode::Sv48, 1 << 63),
        ] {
            let mut m = TestMem::new();
            let satp = m.new_root(mode, 0);
            let (f, out) = fault(&mut m, &req(satp, va, Access::Fetch, Priv::U));
            assert_eq!(f, Fault::page(reason::NON_CANONICAL, mode.levels() - 1, 0));
            assert_eq!(out.pte_count, 0);
            assert!(m.log.is_empty(), "{:?}", m.log);
            assert_eq!(f.cause(Access::Fetch), 12);
        }
    }

    #[test]
    fn pte_read_access_faults() {
        let mut m = TestMem::new();
        let satp = m.new_root(Mode::Sv39, 0);
        let va = 0x1000;
        m.map(satp, va, 0, Pte::leaf(0x8_1000, RWXAD).bits());
        let l1 = m.pte_addr(satp, va, 1, 0);
        let l0 = m.pte_addr(satp, va, 0, 0);

        // PMP denies the level-1 read: the root was read, nothing else.
        m.pmp_deny.push((l1, false));
        let (f, out) = fault(&mut m, &req(satp, va, Access::Load, Priv::S));
        assert_eq!(f, Fault::access(reason::PTE_READ_DENIED, 1, 0));
        assert_eq!(out.pte_count, 1);
        assert_eq!(f.cause(Access::Load), 5);
        assert!(!m.log.contains(&Event::Read(l1)));

        // PMP is checked before the bus is used.
        m.bus_error.push(l1);
        let (f, _) = fault(&mut m, &req(satp, va, Access::Load, Priv::S));
        assert_eq!(f.reason, reason::PTE_READ_DENIED);

        m.pmp_deny.clear();
        m.bus_error = Vec::from([l0]);
        let (f, out) = fault(&mut m, &req(satp, va, Access::Store, Priv::S));
        assert_eq!(f, Fault::access(reason::PTE_BUS_ERROR, 0, 0));
        assert_eq!(out.pte_count, 2);
        assert_eq!(f.cause(Access::Store), 7);
        assert_eq!(f.cause(Access::Fetch), 1);
    }

    /// Puts `raw` as the PTE at `level` on the path of VA 0x40_0000_0000 (Sv48) and
    /// returns the fault of an S-mode load.
    fn fault_with_pte_at(level: u8, raw: u64) -> Fault {
        let mut m = TestMem::new();
        let satp = m.new_root(Mode::Sv48, 0);
        let va = 0x40_0000_0000;
        let addr = m.pte_addr(satp, va, level, 0);
        m.poke(addr, raw);
        let (f, out) = fault(&mut m, &req(satp, va, Access::Load, Priv::S));
        assert_eq!(out.pte_count, 4 - level, "the walk stops at the bad PTE");
        assert_eq!(out.ptes_read().last().unwrap(), &(addr, raw));
        assert_eq!(f.kind, FaultKind::PageFault);
        assert_eq!((f.level, f.pte), (level, raw));
        f
    }

    #[test]
    fn structural_faults_at_every_level() {
        let table = Pte::table(0x8_7000).bits();
        let leaf = Pte::leaf(0, R | A).bits();
        for level in 0..4 {
            let cases = [
                (0, reason::INVALID),
                (leaf & !V, reason::INVALID),
                (Pte(V | W).bits(), reason::W_WITHOUT_R),
                (Pte(V | W | X | A).bits(), reason::W_WITHOUT_R),
                (leaf | 1 << 54, reason::RESERVED_BITS),
                (table | 1 << 60, reason::RESERVED_BITS),
                (leaf | N, reason::N_WITHOUT_SVNAPOT),
                (table | N, reason::N_WITHOUT_SVNAPOT),
                (leaf | 1 << 61, reason::PBMT_WITHOUT_SVPBMT),
                (table | 2 << 61, reason::PBMT_WITHOUT_SVPBMT),
                (table | A, reason::NON_LEAF_ADU),
                (table | D, reason::NON_LEAF_ADU),
                (table | U, reason::NON_LEAF_ADU),
            ];
            for (raw, why) in cases {
                assert_eq!(
                    fault_with_pte_at(level, raw).reason,
                    why,
                    "{raw:#x} at {level}"
                );
            }
        }
    }

    #[test]
    fn structural_check_order() {
        let table = Pte::table(0x8_7000).bits();
        let all_high = 0xffc0_0000_0000_0000;
        assert_eq!(
            fault_with_pte_at(2, W | U | all_high).reason,
            reason::INVALID
        );
        assert_eq!(
            fault_with_pte_at(2, V | W | all_high).reason,
            reason::W_WITHOUT_R
        );
        assert_eq!(
            fault_with_pte_at(2, table | A | all_high).reason,
            reason::RESERVED_BITS
        );
        assert_eq!(
            fault_with_pte_at(2, table | A | N | 1 << 61).reason,
            reason::N_WITHOUT_SVNAPOT
        );
        assert_eq!(
            fault_with_pte_at(2, table | U | 1 << 62).reason,
            reason::PBMT_WITHOUT_SVPBMT
        );
        // RSW and G are free in pointer entries.
        let mut m = TestMem::new();
        let satp = m.new_root(Mode::Sv39, 0);
        let l1 = m.pte_addr(satp, 0x1000, 1, 0);
        let l2 = m.pte_addr(satp, 0x1000, 2, 0);
        m.poke(l2, m.peek(l2) | G | 0x300);
        m.map(
            satp,
            0x1000,
            0,
            Pte::leaf(0x8_1000, R | A).with(0x300).bits(),
        );
        let (t, out) = ok(&mut m, &req(satp, 0x1000, Access::Load, Priv::S));
        assert_eq!(t.pa, 0x8100_0000);
        assert!(out.global(), "a global pointer makes the mapping global");
        m.poke(l2, m.peek(l2) & !G);
        assert!(!walk(&mut m, &req(satp, 0x1000, Access::Load, Priv::S)).global());
        m.poke(l1, m.peek(l1) | A);
        let (f, _) = fault(&mut m, &req(satp, 0x1000, Access::Load, Priv::S));
        assert_eq!((f.reason, f.level), (reason::NON_LEAF_ADU, 1));
    }

    #[test]
    fn pointer_at_level_0() {
        let f = fault_with_pte_at(0, Pte::table(0x8_7000).bits());
        assert_eq!(f.reason, reason::NO_LEAF);
        // The reserved non-leaf bits are checked first.
        let f = fault_with_pte_at(0, Pte::table(0x8_7000).bits() | D);
        assert_eq!(f.reason, reason::NON_LEAF_ADU);
    }

    /// One S- or U-mode access through a 4 KiB leaf with `flags`.
    fn leaf_access(flags: u64, access: Access, priv_: Priv, sum: bool, mxr: bool) -> WalkOutcome {
        let mut m = TestMem::new();
        let satp = m.new_root(Mode::Sv39, 0);
        m.map(satp, 0x5000, 0, Pte(V | flags | 0x8_1000 << 10).bits());
        let mut r = req(satp, 0x5008, access, priv_);
        r.sum = sum;
        r.mxr = mxr;
        walk(&mut m, &r)
    }

    fn verdict(flags: u64, access: Access, priv_: Priv, sum: bool, mxr: bool) -> &'static str {
        match leaf_access(flags, access, priv_, sum, mxr).result {
            Ok(t) => {
                assert_eq!(t.pa, 0x8100_0008);
                "ok"
            }
            Err(f) => {
                assert_eq!((f.kind, f.level), (FaultKind::PageFault, 0));
                f.reason
            }
        }
    }

    #[test]
    fn permissions_by_access_type() {
        use Access::*;
        use Priv::S;
        let ad = A | D;
        assert_eq!(verdict(X | ad, Fetch, S, false, false), "ok");
        assert_eq!(verdict(R | W | ad, Fetch, S, false, false), reason::NO_X);
        assert_eq!(verdict(R | ad, Load, S, false, false), "ok");
        assert_eq!(verdict(X | ad, Load, S, false, false), reason::NO_R);
        assert_eq!(verdict(X | ad, Load, S, false, true), "ok"); // MXR
        assert_eq!(verdict(R | W | ad, Store, S, false, false), "ok");
        assert_eq!(verdict(R | X | ad, Store, S, false, false), reason::NO_W);
        assert_eq!(verdict(X | ad, Store, S, false, true), reason::NO_W); // MXR is loads only
    }

    #[test]
    fn permissions_by_privilege() {
        use Access::*;
        use Priv::{S, U as User};
        let all = R | W | X | A | D;
        for access in [Fetch, Load, Store] {
            assert_eq!(verdict(all | U, access, User, false, false), "ok");
            assert_eq!(
                verdict(all, access, User, true, false),
                reason::S_PAGE_FROM_U
            );
            assert_eq!(verdict(all, access, S, false, false), "ok");
        }
        assert_eq!(
            verdict(all | U, Load, S, false, false),
            reason::U_PAGE_FROM_S
        );
        assert_eq!(
            verdict(all | U, Store, S, false, false),
            reason::U_PAGE_FROM_S
        );
        assert_eq!(verdict(all | U, Load, S, true, false), "ok");
        assert_eq!(verdict(all | U, Store, S, true, false), "ok");
        // S never executes U pages, whatever SUM says.
        assert_eq!(
            verdict(all | U, Fetch, S, false, false),
            reason::U_PAGE_FETCHED_FROM_S
        );
        assert_eq!(
            verdict(all | U, Fetch, S, true, false),
            reason::U_PAGE_FETCHED_FROM_S
        );
        // Type before privilege.
        assert_eq!(verdict(R | A | U, Store, S, false, false), reason::NO_W);
        // MXR and SUM together: S loads an execute-only user page.
        assert_eq!(verdict(X | A | U, Load, S, true, true), "ok");
    }

    #[test]
    fn misaligned_superpages() {
        for (mode, level) in [(Mode::Sv39, 1), (Mode::Sv39, 2), (Mode::Sv48, 3)] {
            for bad_bit in [0, 9 * level as u32 - 1] {
                let mut m = TestMem::new();
                let satp = m.new_root(mode, 0);
                let va = crate::geometry::page_size(level);
                let ppn = (1u64 << 40) | 1 << bad_bit;
                let raw = Pte::leaf(ppn, R | A).bits();
                m.map(satp, va, level, raw);
                let (f, _) = fault(&mut m, &req(satp, va, Access::Load, Priv::S));
                assert_eq!(f, Fault::page(reason::MISALIGNED_SUPERPAGE, level, raw));
            }
        }
    }

    #[test]
    fn step_order_permissions_then_alignment_then_ad() {
        let mut m = TestMem::new();
        let satp = m.new_root(Mode::Sv39, 0);
        let va = 0x4000_0000;
        let addr = m.map(satp, va, 2, Pte::leaf(0x8_0001, R).bits()); // misaligned, A=0
        let mut r = req(satp, va, Access::Store, Priv::S);
        r.adue = true;
        assert_eq!(fault(&mut m, &r).0.reason, reason::NO_W);
        r.access = Access::Load;
        assert_eq!(fault(&mut m, &r).0.reason, reason::MISALIGNED_SUPERPAGE);
        // Neither fault touched the PTE.
        assert!(!m.log.iter().any(|e| matches!(e, Event::Write(..))));
        assert_eq!(m.peek(addr), Pte::leaf(0x8_0001, R).bits());
        m.poke(addr, Pte::leaf(0x8_0000, R).bits());
        r.adue = false;
        assert_eq!(fault(&mut m, &r).0.reason, reason::A_CLEAR);
    }

    #[test]
    fn svade_faults_on_a_and_d() {
        use Access::*;
        use Priv::S;
        assert_eq!(verdict(R | W | X, Fetch, S, false, false), reason::A_CLEAR);
        assert_eq!(verdict(R | W | X, Load, S, false, false), reason::A_CLEAR);
        assert_eq!(verdict(R | W | X, Store, S, false, false), reason::A_CLEAR);
        assert_eq!(
            verdict(R | W | X | D, Store, S, false, false),
            reason::A_CLEAR
        );
        assert_eq!(
            verdict(R | W | X | A, Store, S, false, false),
            reason::D_CLEAR
        );
        assert_eq!(verdict(R | W | X | A, Load, S, false, false), "ok");
        assert_eq!(verdict(R | W | X | A, Fetch, S, false, false), "ok");
        let f = leaf_access(R | W, Store, S, false, false)
            .result
            .unwrap_err();
        assert_eq!(f.cause(Store), 15);
        assert_eq!(f.cause(Load), 13);
        assert_eq!(f.pte, V | R | W | 0x8_1000 << 10);
    }

    #[test]
    fn svadu_sets_a_and_d() {
        use Access::*;
        let base = Pte::leaf(0x8_1000, R | W | X);
        for (flags, access, expect) in [
            (0, Fetch, A),
            (0, Load, A),
            (0, Store, A | D),
            (A, Store, A | D),
            (D, Load, A | D),
            (D, Store, A | D),
        ] {
            let mut m = TestMem::new();
            let satp = m.new_root(Mode::Sv39, 0);
            let before = base.with(flags).bits();
            let addr = m.map(satp, 0x7000, 0, before);
            let mut r = req(satp, 0x7010, access, Priv::S);
            r.adue = true;
            let (t, out) = ok(&mut m, &r);
            let after = base.with(expect).bits();
            assert!(t.ad_updated);
            assert_eq!(t.leaf_pte, after);
            assert_eq!(m.peek(addr), after);
            assert_eq!(t.pa, 0x8100_0010);
            assert_eq!(
                out.ptes_read()[2],
                (addr, before),
                "the trace keeps the read value"
            );
            let log_tail = &m.log[m.log.len() - 2..];
            assert_eq!(
                log_tail,
                [
                    Event::PmpCheck {
                        pa: addr,
                        write: true
                    },
                    Event::Write(addr, after)
                ]
            );
        }
        // Nothing to update: no write.
        let mut m = TestMem::new();
        let satp = m.new_root(Mode::Sv39, 0);
        m.map(satp, 0x7000, 0, base.with(A).bits());
        let mut r = req(satp, 0x7000, Load, Priv::S);
        r.adue = true;
        assert!(!ok(&mut m, &r).0.ad_updated);
        assert!(!m
            .log
            .iter()
            .any(|e| matches!(e, Event::Write(..) | Event::PmpCheck { write: true, .. })));
    }

    #[test]
    fn svadu_write_faults() {
        let mut m = TestMem::new();
        let satp = m.new_root(Mode::Sv48, 0);
        let before = Pte::leaf(0x8_0200, R | W | A).bits();
        let addr = m.map(satp, 0x20_0000, 1, before);
        let mut r = req(satp, 0x20_0000, Access::Store, Priv::S);
        r.adue = true;
        m.pmp_deny.push((addr, true));
        let (f, out) = fault(&mut m, &r);
        assert_eq!(f, Fault::access(reason::AD_WRITE_DENIED, 1, before));
        assert_eq!(f.cause(Access::Store), 7);
        assert_eq!(out.pte_count, 3);
        assert_eq!(m.peek(addr), before);
        assert!(!m.log.iter().any(|e| matches!(e, Event::Write(..))));

        // A memory whose writes fail on the bus.
        m.pmp_deny.clear();
        struct WriteFails<'a>(&'a mut TestMem);
        impl PhysMemory for WriteFails<'_> {
            fn read_u64(&mut self, pa: u64) -> Option<u64> {
                Some(self.0.peek(pa))
            }
            fn write_u64(&mut self, _: u64, _: u64) -> bool {
                false
            }
        }
        let out = walk(&mut WriteFails(&mut m), &r);
        assert_eq!(
            out.result,
            Err(Fault::access(reason::AD_WRITE_BUS_ERROR, 1, before))
        );
    }

    #[test]
    fn dyn_memory_and_display() {
        let mut m = TestMem::new();
        let satp = m.new_root(Mode::Sv39, 0);
        let dynm: &mut dyn PhysMemory = &mut m;
        let out = walk(dynm, &req(satp, 0, Access::Load, Priv::U));
        let f = out.result.unwrap_err();
        assert_eq!(f.to_string(), "page fault at level 2: V=0 (PTE 0x0)");
    }
}
