//! The `vmemmap` firmware: builds a Linux-style vmemmap for the device-dax pmem
//! region, initializes its struct pages and runs workloads over them, each phase
//! marked through SIMCTRL (see the `vmemmap` module, in `src/vmemmap/`).
//!
//! The harness writes `VMEMMAP_CONFIG` into memory before reset and reads
//! `VMEMMAP_RESULT` after the exit; both layouts are documented in
//! `vmem::vmemmap_abi` (vmem/src/vmemmap_abi.rs). Left as in the ELF, the configuration runs
//! `dax` with 2 MiB compound pages over 4 GiB of pmem, Sv39, 64-byte struct pages.
#![no_std]
#![no_main]

// The image's code lives in its own modules rather than in the runtime library, so
// that changing it cannot move code in the other images (on this core, code
// placement changes cycle counts).
#[path = "../vmemmap/mod.rs"]
mod vmemmap;

use core::ptr::{addr_of, addr_of_mut, read_volatile};

use vmemmap::config::{Config, Result};

/// The run's configuration; the harness overwrites it before reset.
#[no_mangle]
static mut VMEMMAP_CONFIG: Config = Config::DEFAULT;

/// The run's results; valid once `result_magic` is set (at the exit).
#[no_mangle]
static mut VMEMMAP_RESULT: Result = Result::INITIAL;

#[no_mangle]
extern "C" fn main() -> i32 {
    // SAFETY: single hart; the harness wrote the block before reset, so it is read
    // from memory, never from the initializer.
    let config = unsafe { read_volatile(addr_of!(VMEMMAP_CONFIG)) };
    // Only the address is taken; `run` writes through it with volatile stores.
    let result = addr_of_mut!(VMEMMAP_RESULT);
    vmemmap::run(config, result)
}
