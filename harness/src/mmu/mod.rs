//! The harness's side of the MMU: what it checks of every walk the RTL completes
//! (a software re-walk over the same memory) and of every TLB lookup (a software TLB
//! model with the RTL's geometry and replacement policy predicting hits, misses and
//! walks). Both read the MMU trace port (`MmuPort`).

mod params;
mod tlb_check;
mod translation_check;

pub use params::{MmuParams, DEFAULT_MMU_PARAMS};

/// The geometry this build's SoC has (build.rs generates it from `COSIM_MMU`).
pub const MMU_PARAMS: MmuParams = include!(concat!(env!("OUT_DIR"), "/mmu_params.rs"));
pub use tlb_check::{TlbCheck, TlbCheckReport};
pub use translation_check::{TranslationCheck, TranslationMismatch};

use crate::lockstep::Pmp;
use crate::memory::{PhysAddr, SystemBus};
use vmem::walk::{Access, PhysMemory, Priv, WalkRequest};

/// The RTL's memory as the software walker reads it, with PMP for the walker's own
/// reads when a model of it is known (lockstep keeps one).
pub(crate) struct BusMemory<'a> {
    pub bus: &'a SystemBus,
    pub pmp: Option<&'a Pmp>,
}

impl PhysMemory for BusMemory<'_> {
    fn read_u64(&mut self, pa: u64) -> Option<u64> {
        self.bus.read_u64(PhysAddr(pa)).ok()
    }
    fn write_u64(&mut self, _: u64, _: u64) -> bool {
        false // the check only reads: the RTL already made any A/D update
    }
    fn pte_access_allowed(&mut self, pa: u64, write: bool) -> bool {
        let need = if write { 2 } else { 1 };
        self.pmp.is_none_or(|pmp| pmp.allows(pa, pa + 7, need, 1))
    }
}

/// The MMU trace's access code of a cache-block operation (`ACC_CBO`).
const WALK_ACCESS_CBO: u8 = 3;

/// The walk the RTL reported, as a request to the software walker.
fn walk_request(m: &crate::model::MmuPort) -> WalkRequest {
    WalkRequest {
        satp: m.walk_satp,
        va: m.walk_vaddr,
        access: match m.walk_access {
            0 => Access::Fetch,
            2 => Access::Store,
            _ => Access::Load, // loads, and cache-block operations (A only, like loads)
        },
        priv_: if m.walk_priv == 0 { Priv::U } else { Priv::S },
        sum: m.walk_sum,
        // A cache-block operation needs R or W: MXR does not make an X page do.
        mxr: m.walk_mxr && m.walk_access != WALK_ACCESS_CBO,
        // A walk abandoned before its A/D update (sfence.vma, withdrawn fetch) made none.
        adue: m.walk_adue && !m.walk_discard,
    }
}

/// A kernel (S-mode) read of `va` under `satp`: how the harness reads what software
/// mapped for itself.
pub(crate) fn kernel_read(satp: u64, va: u64) -> WalkRequest {
    WalkRequest {
        satp,
        va,
        access: Access::Load,
        priv_: Priv::S,
        sum: false,
        mxr: false,
        adue: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mxr_does_not_apply_to_a_cache_block_operation_s_walk() {
        let load = crate::model::MmuPort {
            walk_access: 1,
            walk_mxr: true,
            ..Default::default()
        };
        assert!(walk_request(&load).mxr);
        let cbo = crate::model::MmuPort {
            walk_access: WALK_ACCESS_CBO,
            ..load
        };
        assert!(!walk_request(&cbo).mxr);
    }
}
