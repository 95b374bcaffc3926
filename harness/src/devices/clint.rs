//! Where the SoC's CLINT is (it lives in the RTL): what the harness must know of it to
//! tell its registers from memory and to program its timer.

pub const CLINT_BASE: u64 = 0x0200_0000;
pub const CLINT_SIZE: u64 = 0x1_0000;
pub const CLINT_MSIP: u64 = CLINT_BASE;
pub const CLINT_MTIMECMP: u64 = CLINT_BASE + 0x4000;
pub const CLINT_MTIME: u64 = CLINT_BASE + 0xbff8;
