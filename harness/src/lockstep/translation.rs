//! What the spec requires of one instruction's memory accesses: address translation
//! (vmem's software walker, over the reference's memory) and PMP (the harness's
//! model), in the order the RTL checks them. rv64emu's own MMU misses several rules
//! (the U bit for U-mode, S-mode fetches from U pages, reserved PTE bits, canonical
//! addresses, PMP on PTE reads, Svadu); this is what decides those faults instead.

use super::pmp::{self, Pmp};
use super::reference::ReferenceModel;
use vmem::walk::{self, Access, FaultKind, PhysMemory, Priv, WalkRequest};

const PAGE: u64 = 4096;
const MSTATUS_MPRV: u64 = 1 << 17;
const MSTATUS_SUM: u64 = 1 << 18;
const MSTATUS_MXR: u64 = 1 << 19;
/// Privilege code of M-mode.
const M: u8 = 3;

/// The translation-related state of the hart before an instruction.
#[derive(Clone, Copy, Debug)]
pub struct Context {
    pub satp: u64,
    pub mstatus: u64,
    /// Privilege of the instruction (0 U, 1 S, 3 M).
    pub mode: u8,
    /// menvcfg.ADUE (Svadu).
    pub adue: bool,
}

impl Context {
    /// Privilege of data accesses: MPP under MPRV in M.
    pub fn data_mode(&self) -> u8 {
        if self.mode == M && self.mstatus & MSTATUS_MPRV != 0 {
            ((self.mstatus >> 11) & 3) as u8
        } else {
            self.mode
        }
    }
}

/// What a data access needs, as translation sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataKind {
    Load,
    /// Stores, SC, AMOs, cbo.zero.
    Store,
    /// cbo.clean/flush/inval: where a load or a store would be allowed; faults as a store.
    CacheBlock,
}

/// One data access of an instruction: `size` bytes from `vaddr`.
#[derive(Clone, Copy, Debug)]
pub struct DataAccess {
    pub vaddr: u64,
    pub size: u64,
    pub kind: DataKind,
    /// PMP permissions it needs (pmp::R / W, both for AMOs).
    pub need: u8,
    /// The effective address, which a fault in the first page reports: `vaddr`, but
    /// rs1 for a cache-block operation (whose `vaddr` is its block's).
    pub effective: u64,
}

/// Where a data access allowed to proceed lands.
#[derive(Clone, Copy, Debug)]
pub struct Landing {
    /// The physical address of its first byte.
    pub pa: u64,
    /// The physical address of the second page, when it crosses one.
    pub pa2: Option<u64>,
    /// The largest leaf level it went through.
    pub level: u8,
}

impl Landing {
    /// The physical address of byte `i` of the access at `vaddr`.
    pub fn byte(&self, vaddr: u64, i: u64) -> u64 {
        let va = vaddr.wrapping_add(i);
        match self.pa2 {
            Some(pa2) if va / PAGE != vaddr / PAGE => pa2 + (va & (PAGE - 1)),
            _ => self.pa + i,
        }
    }
}

/// The exception a check raises: (cause, tval).
pub type Trap = (u8, u64);

/// Which check raised it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Address translation (a page fault, or an access fault of a PTE read).
    Walk,
    Pmp,
    /// No memory at the physical address.
    Bus,
}

/// The reference's memory as the walker sees it, with the harness's PMP for the walker's
/// own accesses (S-mode view).
struct RefMemory<'a> {
    reference: &'a mut dyn ReferenceModel,
    pmp: &'a Pmp,
}

impl PhysMemory for RefMemory<'_> {
    fn read_u64(&mut self, pa: u64) -> Option<u64> {
        self.reference.read_mem(pa, 8)
    }
    fn write_u64(&mut self, pa: u64, v: u64) -> bool {
        if self.reference.read_mem(pa, 8).is_none() {
            return false;
        }
        self.reference.write_mem(pa, &v.to_le_bytes());
        true
    }
    fn pte_access_allowed(&mut self, pa: u64, write: bool) -> bool {
        let need = if write { pmp::W } else { pmp::R };
        self.pmp.allows(pa, pa + 7, need, 1)
    }
}

/// Translates `va` for `access` in privilege `mode`: the physical address, or the
/// fault's kind. A successful Svadu walk sets A/D in the reference's memory, as the
/// RTL's walker did in its own.
pub fn translate(
    reference: &mut dyn ReferenceModel,
    pmp: &Pmp,
    ctx: &Context,
    va: u64,
    access: Access,
    mode: u8,
) -> Result<u64, FaultKind> {
    translate_leaf(reference, pmp, ctx, va, access, mode).map(|(pa, _)| pa)
}

/// The leaf PTE that translates `va` (after any Svadu update), as the RTL's TLBs keep
/// it (RSW and bits 54 and up dropped); 0 without translation.
pub fn leaf_pte(
    reference: &mut dyn ReferenceModel,
    pmp: &Pmp,
    ctx: &Context,
    va: u64,
    access: Access,
    mode: u8,
) -> Option<u64> {
    if mode == M || ctx.satp >> 60 == 0 {
        return Some(0);
    }
    let request = WalkRequest {
        satp: ctx.satp,
        va,
        access,
        priv_: if mode == 0 { Priv::U } else { Priv::S },
        sum: ctx.mstatus & MSTATUS_SUM != 0,
        mxr: ctx.mstatus & MSTATUS_MXR != 0 && access != Access::Fetch,
        adue: ctx.adue,
    };
    let mut mem = RefMemory { reference, pmp };
    const KEPT: u64 = 0x003f_ffff_ffff_fcff; // PPN and bits 7:0
    walk::walk(&mut mem, &request)
        .result
        .ok()
        .map(|t| t.leaf_pte & KEPT)
}

/// [`translate`], with the level of the leaf used (0 without translation).
pub fn translate_leaf(
    reference: &mut dyn ReferenceModel,
    pmp: &Pmp,
    ctx: &Context,
    va: u64,
    access: Access,
    mode: u8,
) -> Result<(u64, u8), FaultKind> {
    if mode == M || ctx.satp >> 60 == 0 {
        return Ok((va, 0));
    }
    let request = WalkRequest {
        satp: ctx.satp,
        va,
        access,
        priv_: if mode == 0 { Priv::U } else { Priv::S },
        sum: ctx.mstatus & MSTATUS_SUM != 0,
        mxr: ctx.mstatus & MSTATUS_MXR != 0 && access != Access::Fetch,
        adue: ctx.adue,
    };
    let mut mem = RefMemory { reference, pmp };
    walk::walk(&mut mem, &request)
        .result
        .map(|t| (t.pa, t.level))
        .map_err(|f| f.kind)
}

/// The fault the fetch of an instruction of `len` bytes at `pc` raises, checking the
/// first parcel's translation, its PMP, then the second parcel's (when it lies in the
/// next page), as the RTL does.
pub fn fetch_fault(
    reference: &mut dyn ReferenceModel,
    pmp: &Pmp,
    ctx: &Context,
    pc: u64,
    len: u64,
) -> Option<(Trap, Check)> {
    let fault = |kind: FaultKind, tval: u64| {
        Some((
            (if kind == FaultKind::PageFault { 12 } else { 1 }, tval),
            Check::Walk,
        ))
    };
    let pa_lo = match translate(reference, pmp, ctx, pc, Access::Fetch, ctx.mode) {
        Ok(pa) => pa,
        Err(kind) => return fault(kind, pc),
    };
    let hi = pc.wrapping_add(2);
    let pa_hi = if len == 4 && hi.is_multiple_of(PAGE) {
        Some(translate(reference, pmp, ctx, hi, Access::Fetch, ctx.mode))
    } else {
        None
    };
    // Each page of an instruction that crosses one is checked on its own.
    let split = pa_hi.is_some();
    let lo_last = pa_lo + if split { 1 } else { len - 1 };
    if !pmp.allows(pa_lo, lo_last, pmp::X, ctx.mode) {
        return Some(((1, pc), Check::Pmp));
    }
    // Memory that is not there is a bus error: an access fault too.
    if reference.read_mem(pa_lo, 2).is_none() {
        return Some(((1, pc), Check::Bus));
    }
    match pa_hi {
        Some(Err(kind)) => fault(kind, hi),
        Some(Ok(pa)) if split && !pmp.allows(pa, pa + 1, pmp::X, ctx.mode) => {
            Some(((1, hi), Check::Pmp))
        }
        Some(Ok(pa)) if reference.read_mem(pa, 2).is_none() => Some(((1, hi), Check::Bus)),
        _ => None,
    }
}

/// The bits of the instruction at `pc`, fetched through translation (after
/// [`fetch_fault`] found none): 16 bits, or 32 when they name a 32-bit instruction.
pub fn fetch_bits(
    reference: &mut dyn ReferenceModel,
    pmp: &Pmp,
    ctx: &Context,
    pc: u64,
) -> Option<u32> {
    let lo_pa = translate(reference, pmp, ctx, pc, Access::Fetch, ctx.mode).ok()?;
    let lo = reference.read_mem(lo_pa, 2)? as u32 & 0xffff;
    if lo & 3 != 3 {
        return Some(lo);
    }
    let hi_va = pc.wrapping_add(2);
    let hi_pa = if hi_va.is_multiple_of(PAGE) {
        translate(reference, pmp, ctx, hi_va, Access::Fetch, ctx.mode).ok()?
    } else {
        lo_pa + 2
    };
    let hi = reference.read_mem(hi_pa, 2)? as u32 & 0xffff;
    Some(lo | hi << 16)
}

/// The fault a data access raises, or where it lands. Both pages are translated
/// (first, then the second if it crosses one) before PMP checks the physical bytes,
/// each page's part on its own, as the RTL does. A misaligned load or store and a
/// cbo.zero, which the reference cannot perform, are also checked for memory that is
/// not there (a bus error): regions are whole pages, so only a page's part can miss.
/// A fault reports the virtual address of the part that raised it (the privileged
/// spec's mtval).
pub fn data_fault(
    reference: &mut dyn ReferenceModel,
    pmp: &Pmp,
    ctx: &Context,
    a: &DataAccess,
) -> Result<Landing, (Trap, Check)> {
    let (access, load_cause, mxr_ok) = match a.kind {
        DataKind::Load => (Access::Load, true, true),
        DataKind::Store => (Access::Store, false, true),
        DataKind::CacheBlock => (Access::Load, false, false),
    };
    let cause = |kind: FaultKind| match (kind, load_cause) {
        (FaultKind::PageFault, true) => 13,
        (FaultKind::PageFault, false) => 15,
        (FaultKind::AccessFault, true) => 5,
        (FaultKind::AccessFault, false) => 7,
    };
    let mode = ctx.data_mode();
    // cache-block operations need R or W: MXR does not make an X page readable for them.
    let ctx_used = Context {
        mstatus: if mxr_ok {
            ctx.mstatus
        } else {
            ctx.mstatus & !MSTATUS_MXR
        },
        ..*ctx
    };
    let last = a.vaddr.wrapping_add(a.size - 1);
    let second_page = last & !(PAGE - 1);
    let (pa, level) = translate_leaf(reference, pmp, &ctx_used, a.vaddr, access, mode)
        .map_err(|k| ((cause(k), a.effective), Check::Walk))?;
    let crosses = a.vaddr / PAGE != last / PAGE;
    let mut top_level = level;
    let pa2 = if crosses {
        let (pa2, level2) = translate_leaf(reference, pmp, &ctx_used, second_page, access, mode)
            .map_err(|k| ((cause(k), second_page), Check::Walk))?;
        top_level = top_level.max(level2);
        Some(pa2)
    } else {
        None
    };
    let allows = |first: u64, last: u64| {
        if a.kind == DataKind::CacheBlock {
            pmp.allows_any(first, last, a.need, mode)
        } else {
            pmp.allows(first, last, a.need, mode)
        }
    };
    let access_fault = if load_cause { 5 } else { 7 };
    let first_last = if crosses {
        pa | (PAGE - 1)
    } else {
        pa + (a.size - 1)
    };
    if !allows(pa, first_last) {
        return Err(((access_fault, a.effective), Check::Pmp));
    }
    if pa2.is_some_and(|pa2| !allows(pa2, pa2 | (last & (PAGE - 1)))) {
        return Err(((access_fault, second_page), Check::Pmp));
    }
    // cbo.zero (the only 64-byte store) is performed by the harness, not the
    // reference: its block must be memory too.
    let by_harness = a.kind == DataKind::Store && a.size == 64;
    if (a.kind != DataKind::CacheBlock && !a.vaddr.is_multiple_of(a.size)) || by_harness {
        if reference.read_mem(pa & !7, 8).is_none() {
            return Err(((access_fault, a.effective), Check::Bus));
        }
        if pa2.is_some_and(|pa2| reference.read_mem(pa2, 8).is_none()) {
            return Err(((access_fault, second_page), Check::Bus));
        }
    }
    Ok(Landing {
        pa,
        pa2,
        level: top_level,
    })
}

/// The physical address of each of `size` bytes from `vaddr` (an access checked by
/// [`data_fault`]), for the harness's own misaligned accesses.
pub fn byte_addresses(
    reference: &mut dyn ReferenceModel,
    pmp: &Pmp,
    ctx: &Context,
    vaddr: u64,
    size: u64,
    store: bool,
) -> Vec<u64> {
    let access = if store { Access::Store } else { Access::Load };
    let mode = ctx.data_mode();
    let first = translate(reference, pmp, ctx, vaddr, access, mode).unwrap_or(vaddr);
    let last_va = vaddr.wrapping_add(size - 1);
    let second = if vaddr / PAGE != last_va / PAGE {
        let page = last_va & !(PAGE - 1);
        translate(reference, pmp, ctx, page, access, mode).unwrap_or(page)
    } else {
        first
    };
    (0..size)
        .map(|i| {
            let va = vaddr.wrapping_add(i);
            if va / PAGE == vaddr / PAGE {
                first + i
            } else {
                second + (va & (PAGE - 1))
            }
        })
        .collect()
}
