//! `vmem`: RISC-V Sv39/Sv48 virtual memory, defined once for the two sides that need
//! it. The firmware builds page tables with [`pte`] and [`geometry`]; the harness
//! checks the RTL's MMU with the same definitions: [`mod@walk`] re-walks every walk the
//! RTL reports, exactly as the privileged spec orders its steps, and the
//! `tlb_model` module (feature `alloc`, on by default) predicts the TLBs' and the
//! page-walk cache's hits, misses and victims, bit for bit as `rtl/mmu/` keeps them.
//! [`vmemmap_abi`] is the vmemmap firmware's configuration and results blocks, which
//! the firmware fills and the harness reads.
//!
//! `no_std` and dependency-free, so the same code runs on the host and on
//! `riscv64imac-unknown-none-elf`.

#![no_std]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod geometry;
#[cfg(feature = "alloc")]
pub mod plru;
pub mod pte;
#[cfg(feature = "alloc")]
pub mod tlb_model;
pub mod vmemmap_abi;
pub mod walk;

#[cfg(test)]
mod test_mem;

pub use geometry::{Mode, Satp};
pub use pte::Pte;
pub use walk::{
    walk, Access, Fault, FaultKind, PhysMemory, Priv, Translation, WalkOutcome, WalkRequest,
};
