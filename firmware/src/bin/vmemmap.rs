//! The `vmemmap` firmware: builds a Linux-style vmemmap for the device-dax pmem
//! region, initializes its struct pages and runs workloads over them, each phase
//! marked through SIMCTRL (see `cosim_firmware::vmemmap`).
//!
//! The harness writes `VMEMMAP_CONFIG` into memory before reset and reads
//! `VMEMMAP_RESULT` after the exit; both layouts are documented in
//! `cosim_firmware::vmemmap::config`. Left as in the ELF, the configuration runs
//! `dax` with 2 MiB compound pages over 4 GiB of pmem, Sv39, 64-byte struct pages.
#![no_std]
#![no_main]

use core::ptr::{addr_of, addr_of_mut, read_volatile};

use cosim_firmware::vmemmap::{
    self,
    config::{Config, Result},
};

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
