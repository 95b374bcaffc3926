//! The harness's SIMCTRL device at 0x1000_0000 (DESIGN.md §3):
//! `+0x000` console (8-bit write = one character), `+0x008` exit (the low 32
//! bits of a 32- or 64-bit write are the exit code), `+0x010` phase marker
//! (64-bit write).
//!
//! With the `htif` feature the console and exit go through HTIF
//! (tohost / fromhost) instead, so that the same image runs on QEMU's `spike`
//! machine for cross-checking; phase markers are then ignored.

use core::fmt;
#[cfg(not(feature = "htif"))]
use core::ptr::write_volatile;

/// Base address of SIMCTRL.
pub const BASE: usize = 0x1000_0000;
/// Console register: an 8-bit write prints one character.
pub const CONSOLE: usize = BASE;
/// Exit register: a write ends the run with the low 32 bits as exit code.
pub const EXIT: usize = BASE + 0x008;
/// Phase marker register: a 64-bit write marks the start of a phase.
pub const PHASE: usize = BASE + 0x010;

/// Prints one byte.
#[cfg(not(feature = "htif"))]
pub fn putc(byte: u8) {
    // SAFETY: CONSOLE is a device register that accepts byte writes.
    unsafe { write_volatile(CONSOLE as *mut u8, byte) }
}

/// Ends the run with `code`.
#[cfg(not(feature = "htif"))]
pub fn exit(code: u32) -> ! {
    // SAFETY: EXIT is a device register that accepts 64-bit writes.
    unsafe { write_volatile(EXIT as *mut u64, u64::from(code)) }
    loop {
        core::hint::spin_loop();
    }
}

/// Marks the start of phase `marker`; the harness attributes counters to it.
#[cfg(not(feature = "htif"))]
pub fn phase(marker: u64) {
    // SAFETY: PHASE is a device register that accepts 64-bit writes.
    unsafe { write_volatile(PHASE as *mut u64, marker) }
}

#[cfg(feature = "htif")]
mod htif {
    use core::ptr::{addr_of_mut, read_volatile, write_volatile};

    #[no_mangle]
    #[used]
    #[link_section = ".tohost"]
    static mut tohost: u64 = 0;
    #[no_mangle]
    #[used]
    #[link_section = ".tohost"]
    static mut fromhost: u64 = 0;

    pub fn send(value: u64) {
        // SAFETY: single hart; the host only touches these through HTIF.
        unsafe {
            write_volatile(addr_of_mut!(tohost), value);
            while read_volatile(addr_of_mut!(tohost)) != 0 {}
            write_volatile(addr_of_mut!(fromhost), 0);
        }
    }
}

/// Prints one byte.
#[cfg(feature = "htif")]
pub fn putc(byte: u8) {
    htif::send((1 << 56) | (1 << 48) | u64::from(byte));
}

/// Ends the run with `code`.
#[cfg(feature = "htif")]
pub fn exit(code: u32) -> ! {
    htif::send((u64::from(code) << 1) | 1);
    loop {
        core::hint::spin_loop();
    }
}

/// Phase markers have no HTIF equivalent.
#[cfg(feature = "htif")]
pub fn phase(_marker: u64) {}

/// The console as a `core::fmt::Write` sink.
pub struct Console;

impl fmt::Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for byte in s.bytes() {
            putc(byte);
        }
        Ok(())
    }
}
