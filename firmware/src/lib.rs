//! Runtime of the cosim firmware images: start-up code, the SIMCTRL device
//! (console, exit, phase markers), `print!` / `println!`, a panic handler
//! (prints the message, exits with 101) and a trap handler (prints mcause,
//! mepc and mtval, exits with 102).
//!
//! A binary provides `#[no_mangle] extern "C" fn main() -> i32`; its return
//! value is the exit code.
#![no_std]

pub mod crc32;
pub mod simctrl;

use core::arch::global_asm;
use core::fmt::Write;

/// Exit code of a panic.
pub const EXIT_PANIC: u32 = 101;
/// Exit code of an unexpected trap.
pub const EXIT_TRAP: u32 = 102;

// Start: global pointer, stack, trap vector, zeroed .bss, main, exit.
global_asm!(
    r#"
    .section .text.start, "ax", @progbits
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la sp, __stack_top
    la t0, cosim_fw_trap_entry
    csrw mtvec, t0
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  call main
    tail cosim_fw_exit

    .text
    .balign 4
cosim_fw_trap_entry:
    csrr a0, mcause
    csrr a1, mepc
    csrr a2, mtval
    la sp, __stack_top
    tail cosim_fw_trap
"#
);

#[no_mangle]
extern "C" fn cosim_fw_exit(code: i32) -> ! {
    simctrl::exit(code as u32)
}

#[no_mangle]
extern "C" fn cosim_fw_trap(mcause: u64, mepc: u64, mtval: u64) -> ! {
    let _ = writeln!(
        simctrl::Console,
        "unexpected trap: mcause={mcause:#x} mepc={mepc:#x} mtval={mtval:#x}"
    );
    simctrl::exit(EXIT_TRAP)
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    let _ = writeln!(simctrl::Console, "panic: {info}");
    simctrl::exit(EXIT_PANIC)
}

/// Prints to the SIMCTRL console.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {{
        let _ = core::fmt::Write::write_fmt(&mut $crate::simctrl::Console, format_args!($($arg)*));
    }};
}

/// Prints a line to the SIMCTRL console.
#[macro_export]
macro_rules! println {
    () => { $crate::print!("\n") };
    ($($arg:tt)*) => {{
        $crate::print!($($arg)*);
        $crate::print!("\n");
    }};
}
