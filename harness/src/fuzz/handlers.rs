//! The random programs' trap handlers. Both step over the instruction that trapped
//! (x28 and x31 are theirs: the random code reloads x31 before each use).
//!
//! - M's also takes the timer interrupt (the next one TIMER_PERIOD cycles on, and
//!   back to the interrupted instruction with x28/x31 as they were: mscratch and
//!   sscratch hold them meanwhile), and returns to M when x29 holds GO_M.
//! - S's (with delegation) only ever gets exceptions: nothing delegates interrupts.
//!
//! Under translation the instruction is read through S's view of the code, and a
//! return to M drops U's alias from the address.

use super::encode::*;
use super::page_tables::ALIAS_SHIFT;
use super::program::{Gen, GO_M, MAGIC_REG, TIMER_PERIOD};
use crate::devices::{CLINT_MTIME, CLINT_MTIMECMP};

/// Entries of a vectored trap table (causes 0..15).
const VECTORS: usize = 16;

/// Emits M's handler (after a vectored table if `vectored`); returns where mtvec
/// points (without the mode bit).
pub fn emit_m(g: &mut Gen, vectored: bool, vm: bool) -> usize {
    let base = vector_table(g, vectored);
    // Reads the 16 bits at the trapping pc into x28 (pc in x31).
    let read_insn = read_insn(vm);
    // Back in M: the pc of the next instruction, without U's alias.
    let alias_off: Vec<u32> = if vm {
        vec![
            csr(2, 31, 0, 0x341),
            i(0x13, 1, 31, 31, ALIAS_SHIFT),
            i(0x13, 5, 31, 31, ALIAS_SHIFT),
            csr(1, 0, 31, 0x341),
        ]
    } else {
        Vec::new()
    };
    let mut exception_part = vec![csr(2, 31, 0, 0x341)]; // csrr x31, mepc
    exception_part.extend(&read_insn);
    exception_part.extend(step_over(0x341));
    exception_part.extend([
        addi(31, 0, GO_M as i32),
        b(1, MAGIC_REG, 31, 16 + 4 * alias_off.len() as i32), // bne x29, x31: stay
    ]);
    exception_part.extend(&alias_off);
    exception_part.extend([
        lui(31, 0x2),          // x31 = 0x2000 ...
        addi(31, 31, -0x800),  // ... - 0x800 = 0x1800: MPP = M
        csr(2, 0, 31, 0x300),  // csrs mstatus, x31
        addi(MAGIC_REG, 0, 0), //
        MRET,
    ]);
    g.emit_all(&[
        csr(1, 0, 31, 0x340), // csrw mscratch, x31
        csr(2, 31, 0, 0x342), // csrr x31, mcause
        b(5, 31, 0, 8),       // bge x31, x0, +8: an exception
        jal(0, 4 + 4 * exception_part.len() as i32),
    ]);
    g.emit_all(&exception_part);
    g.emit(csr(1, 0, 28, 0x140)); // csrw sscratch, x28
    g.emit_all(&li(31, CLINT_MTIME));
    g.emit(i(0x03, 3, 28, 31, 0)); // ld x28, 0(x31)
    g.emit(addi(28, 28, TIMER_PERIOD));
    g.emit_all(&li(31, CLINT_MTIMECMP));
    g.emit(s(0x23, 3, 31, 28, 0)); // sd x28, 0(x31)
    g.emit(csr(2, 28, 0, 0x140)); // csrr x28, sscratch
    g.emit(csr(2, 31, 0, 0x340)); // csrr x31, mscratch
    g.emit(MRET);
    base
}

/// Emits S's handler; returns where stvec points (without the mode bit).
pub fn emit_s(g: &mut Gen, vectored: bool, vm: bool) -> usize {
    let base = vector_table(g, vectored);
    g.emit(csr(2, 31, 0, 0x141)); // csrr x31, sepc
    g.emit_all(&read_insn(vm));
    g.emit_all(&step_over(0x141));
    g.emit(SRET);
    base
}

/// x28 = the 16 bits at x31 (through S's view under translation).
fn read_insn(vm: bool) -> Vec<u32> {
    if vm {
        vec![
            i(0x13, 1, 28, 31, ALIAS_SHIFT), // slli x28, x31, ALIAS_SHIFT
            i(0x13, 5, 28, 28, ALIAS_SHIFT), // srli x28, x28, ALIAS_SHIFT
            i(0x03, 5, 28, 28, 0),           // lhu x28, 0(x28)
        ]
    } else {
        vec![i(0x03, 5, 28, 31, 0)] // lhu x28, 0(x31)
    }
}

/// Adds the length of the instruction in x28 to the pc in x31 and writes it to `epc`.
fn step_over(epc: u32) -> [u32; 6] {
    [
        i(0x13, 7, 28, 28, 3), // andi x28, x28, 3
        addi(31, 31, 2),       //
        addi(28, 28, -3),      //
        b(1, 28, 0, 8),        // bnez x28, +8
        addi(31, 31, 2),       // a 32-bit instruction
        csr(1, 0, 31, epc),    // csrw xepc, x31
    ]
}

/// Aligns the code, then for a vectored handler emits a table of jumps to what
/// follows it. Returns the base.
fn vector_table(g: &mut Gen, vectored: bool) -> usize {
    let align = if vectored { 64 } else { 4 };
    while !g.code.len().is_multiple_of(align) {
        g.emit16(0x0001); // c.nop
    }
    let base = g.code.len();
    if vectored {
        for entry in 0..VECTORS {
            g.emit(jal(0, 4 * (VECTORS - entry) as i32));
        }
    }
    base
}
