//! The steps the modes add to the base stream: accesses through the random page
//! tables (page-crossing and misaligned ones among them), the tables rewritten
//! while the program runs, every `sfence.vma` form, address-space switches, PMP
//! entries redrawn, and the instruction kinds the base stream lacks (compressed
//! loads, stores and jumps, backward branches and jumps).

use super::encode::*;
use super::page_tables::{PAGE, VM_DATA_PAGES, WINDOWS};
use super::program::{
    alu, amo_at_x31, change_privilege, random_step, sfence_vma, Gen, CODE_BASE, DATA_BASE,
    DATA_SIZE, FIRST_RESERVED,
};

/// One step of the modes' own kinds; `mode` is the privilege the code runs in.
pub(super) fn feature_step(g: &mut Gen, mode: &mut u8) {
    let vm = g.vm.is_some();
    let room = PAGE - g.code.len() as u64 % PAGE;
    if vm && *mode == 1 && (96..=192).contains(&room) {
        return fetch_walk_race(g, room);
    }
    match g.pick(100) {
        0..=39 if vm => vm_access(g),
        40..=46 if vm && *mode == 3 => remap(g),
        47..=51 if vm => sfence(g),
        52..=54 if vm => satp_switch(g),
        55..=57 if g.pmp.is_some() => pmp_step(g, *mode),
        58..=69 => compressed_memory(g),
        70..=79 => compressed_jump(g),
        80..=89 => backward_loop(g),
        90..=94 => backward_jump(g),
        // More time in S and U, where delegation and translation apply.
        95..=99 if *mode == 3 => change_privilege(g, mode),
        _ => random_step(g, mode),
    }
}

/// A virtual address in one of the windows: mostly in the data pages, sometimes
/// across a page boundary, misaligned, past the mapped pages or not canonical.
fn vm_address(g: &mut Gen, size: u64) -> u64 {
    let sv48 = g.vm.as_ref().is_some_and(|vm| vm.tables.sv48);
    let base = WINDOWS[g.pick(WINDOWS.len())].data_va(sv48);
    let page = g.pick(VM_DATA_PAGES as usize) as u64 * PAGE;
    match g.pick(20) {
        0..=11 => base + page + size * g.pick((PAGE / size) as usize) as u64,
        // The last bytes of a page and the first of the next.
        12..=15 => base + page + PAGE - 1 - g.pick(size.max(2) as usize - 1) as u64,
        16 | 17 => base + page + 1 + g.pick(PAGE as usize - 2) as u64,
        18 => base + VM_DATA_PAGES * PAGE + g.pick(1 << 20) as u64,
        _ => base ^ (1 << (39 + g.pick(20))),
    }
}

/// Near the end of a code page, in S: the next code page's translation is fenced
/// away, then a load (whose translation the DTLB holds) is the last instruction of
/// the page. The fetch of the next page then walks while the load's read is on the
/// bus: the walker must take only its own read responses.
fn fetch_walk_race(g: &mut Gen, room: u64) {
    let next_page = CODE_BASE + g.code.len() as u64 + room;
    // The load's own translation is in the DTLB already: it goes to the bus at once.
    let addr = vm_address(g, 8);
    g.emit_all(&li(31, addr));
    g.emit(i(0x03, 3, 28, 31, 0)); // ld x28, 0(x31)
    g.emit_all(&li(31, next_page));
    g.emit(sfence_vma(31, 0));
    g.emit_all(&li(31, addr));
    while PAGE - g.code.len() as u64 % PAGE > 4 {
        g.emit16(0x0001); // c.nop
    }
    let rd = g.rd();
    g.emit(i(0x03, 3, rd, 31, 0)); // ld rd, 0(x31)
}

/// A load, store, AMO or cache-block operation through translation.
fn vm_access(g: &mut Gen) {
    let f3 = g.pick(7) as u32; // lb lh lw ld lbu lhu lwu
    let size = 1u64 << (f3 & 3);
    let kind = g.pick(10);
    let size = if kind == 8 { 4 << g.pick(2) } else { size };
    let addr = vm_address(g, size);
    g.emit_all(&li(31, addr));
    match kind {
        0..=3 => {
            let rd = g.rd();
            g.emit(i(0x03, f3, rd, 31, 0));
        }
        4..=7 => {
            let rs2 = g.rs();
            g.emit(s(0x23, f3 & 3, 31, rs2, 0));
        }
        8 => amo_at_x31(g, size == 4),
        _ => {
            let op = [0, 1, 2, 4][g.pick(4)]; // cbo.inval, clean, flush, zero
            g.emit(i(0x0f, 2, 0, 31, op));
        }
    }
}

/// M rewrites one leaf of the tables, then fences what the change needs: all of
/// the address spaces, or the page's address in all of them.
fn remap(g: &mut Gen) {
    let Some(vm) = g.vm.as_ref() else { return };
    let leaf = vm.tables.leaves[g.rng.below(vm.tables.leaves.len())];
    let pte = leaf.random(&mut g.rng);
    g.emit_all(&li(31, leaf.pte_addr));
    g.emit_all(&li(28, pte));
    g.emit(s(0x23, 3, 31, 28, 0)); // sd x28, 0(x31)
    if g.chance(50) {
        g.emit(sfence_vma(0, 0));
    } else {
        g.emit_all(&li(31, leaf.va));
        g.emit(sfence_vma(31, 0));
    }
}

/// Any `sfence.vma` form, in any mode (it traps in U, and in S under TVM). It
/// changes no translation: every table change is fenced already.
fn sfence(g: &mut Gen) {
    let asid = g.rng.next_u64() as u16;
    let asid = match g.vm.as_ref() {
        Some(vm) if g.rng.below(2) == 0 => vm.asids[g.rng.below(vm.asids.len())],
        _ => asid,
    };
    let va = vm_address(g, 1);
    match g.pick(4) {
        0 => g.emit(sfence_vma(0, 0)),
        1 => {
            g.emit_all(&li(31, va));
            g.emit(sfence_vma(31, 0));
        }
        2 => {
            g.emit_all(&li(28, u64::from(asid)));
            g.emit(sfence_vma(0, 28));
        }
        _ => {
            g.emit_all(&li(31, va));
            g.emit_all(&li(28, u64::from(asid)));
            g.emit(sfence_vma(31, 28));
        }
    }
}

/// A write of satp: another address space (each ASID always names the same
/// tables, so no fence is needed), or a mode the MMU lacks (the write is ignored).
fn satp_switch(g: &mut Gen) {
    let Some(vm) = g.vm.as_ref() else { return };
    let space = g.rng.below(vm.asids.len());
    let mut satp = vm.tables.satp(space, vm.asids[space]);
    if g.rng.below(10) == 0 {
        satp = (satp & !(0xf << 60)) | ([1u64, 5, 10, 15][g.rng.below(4)] << 60);
    }
    g.emit_all(&li(31, satp));
    g.emit(csr(1, 0, 31, 0x180)); // csrw satp
}

/// In M: one PMP entry (not entry 0, not a locked one) gets a new random region,
/// then a fence (as the spec asks after PMP changes). Elsewhere: a PMP CSR read,
/// which must trap.
fn pmp_step(g: &mut Gen, mode: u8) {
    let Some(mut plan) = g.pmp.clone() else {
        return;
    };
    if mode != 3 {
        let rd = g.rd();
        let csr_addr = [0x3a0, 0x3a2, 0x3b0, 0x3b1, 0x3bf][g.pick(5)];
        g.emit(csr(2, rd, 0, csr_addr));
        return;
    }
    let entry = 1 + g.pick(plan.cfg.len() - 1);
    if plan.is_locked(entry) {
        return;
    }
    let lock = g.chance(5);
    plan.draw(&mut g.rng, entry, lock);
    let (half, shift) = (entry / 8, 8 * (entry % 8) as u32);
    g.emit_all(&li(31, plan.addr[entry]));
    g.emit(csr(1, 0, 31, 0x3b0 + entry as u32)); // csrw pmpaddrN
    g.emit_all(&li(31, 0xff << shift));
    g.emit(csr(3, 0, 31, 0x3a0 + 2 * half as u32)); // csrc pmpcfgK: the entry off
    g.emit_all(&li(31, u64::from(plan.cfg[entry]) << shift));
    g.emit(csr(2, 0, 31, 0x3a0 + 2 * half as u32)); // csrs pmpcfgK: the new entry
    g.emit(sfence_vma(0, 0));
    g.pmp = Some(plan);
}

/// A data address for a compressed access: through the tables or to the base
/// data, aligned to `size` most of the time.
fn data_address(g: &mut Gen, size: u64) -> u64 {
    if g.vm.is_some() && g.chance(50) {
        vm_address(g, size)
    } else if g.chance(90) {
        DATA_BASE + size * g.pick((DATA_SIZE / size) as usize) as u64
    } else {
        DATA_BASE + g.pick(DATA_SIZE as usize - 8) as u64
    }
}

/// C.LW, C.LD, C.SW, C.SD through x8..x15, or their SP-relative forms.
fn compressed_memory(g: &mut Gen) {
    let doubleword = g.chance(50);
    let size: u64 = if doubleword { 8 } else { 4 };
    let store = g.chance(50);
    let addr = data_address(g, size);
    // An offset the form can encode (scaled by the size, 5 or 6 bits of it).
    let sp_form = g.chance(30);
    let slots = if sp_form { 64 } else { 32 };
    let uimm = (size * g.pick(slots) as u64) as u16;
    let base = if sp_form { 2 } else { 8 + g.pick(8) as u32 };
    g.emit_all(&li(base, addr - u64::from(uimm)));
    let data = if store { g.rs() as u16 } else { g.rd() as u16 };
    let funct3: u16 = match (store, doubleword) {
        (false, false) => 0b010,
        (false, true) => 0b011,
        (true, false) => 0b110,
        (true, true) => 0b111,
    };
    let insn = if sp_form {
        let (hi, lo) = match (store, doubleword) {
            // c.lwsp / c.ldsp: imm[5] at 12, the rest at 6:2
            (false, false) => (uimm >> 5 & 1, (uimm >> 2 & 7) << 4 | (uimm >> 6 & 3) << 2),
            (false, true) => (uimm >> 5 & 1, (uimm >> 3 & 3) << 5 | (uimm >> 6 & 7) << 2),
            // c.swsp / c.sdsp: imm at 12:7
            (true, false) => (0, (uimm >> 2 & 15) << 9 | (uimm >> 6 & 3) << 7),
            (true, true) => (0, (uimm >> 3 & 7) << 10 | (uimm >> 6 & 7) << 7),
        };
        let reg = if store { data << 2 } else { data.max(1) << 7 };
        funct3 << 13 | hi << 12 | lo | reg | 0b10
    } else {
        let imm = if doubleword {
            (uimm >> 3 & 7) << 10 | (uimm >> 6 & 3) << 5
        } else {
            (uimm >> 3 & 7) << 10 | (uimm >> 2 & 1) << 6 | (uimm >> 6 & 1) << 5
        };
        let reg = 8 + g.pick(8) as u16; // rd' or rs2'
        funct3 << 13 | imm | ((base as u16 - 8) << 7) | ((reg - 8) << 2)
    };
    g.emit16(insn);
}

/// A 16-bit instruction that cannot trap or jump, for bodies and skipped code.
fn c_filler(g: &mut Gen, not: u32) -> u16 {
    let mut rd = g.rd();
    if rd == not {
        rd = if rd == 1 { 2 } else { 1 };
    }
    let imm = g.pick(64) as u16;
    0x0001 | (imm >> 5) << 12 | (rd as u16) << 7 | (imm & 31) << 2 // c.addi
}

/// C.J, C.BEQZ/C.BNEZ forward over a few instructions, or C.JR/C.JALR to a
/// computed target past them.
fn compressed_jump(g: &mut Gen) {
    let skipped: Vec<u16> = (0..1 + g.pick(3)).map(|_| c_filler(g, 0)).collect();
    let offset = 2 * (skipped.len() as u16 + 1);
    match g.pick(3) {
        0 => g.emit16(c_j(offset)),
        1 => {
            // c.beqz / c.bnez rs1', offset (< 256: bits 2:1 and 4:3 of it)
            let rs = 8 + g.pick(8) as u16;
            let f = if g.chance(50) { 0b110 } else { 0b111 };
            let imm = (offset >> 3 & 3) << 10 | (offset >> 1 & 3) << 3;
            g.emit16(f << 13 | imm | (rs - 8) << 7 | 0b01);
        }
        _ => {
            // auipc x31, 0; addi x31, x31, 8 + 2 + skipped; c.jr/c.jalr x31
            g.emit(auipc(31, 0));
            g.emit(addi(31, 31, 8 + i32::from(offset)));
            let link = if g.chance(50) { 0x1000 } else { 0 };
            g.emit16(0x8002 | link | 31 << 7);
        }
    }
    for insn in skipped {
        g.emit16(insn);
    }
}

/// C.J by `offset` bytes (even, within ±2 KiB).
fn c_j(offset: u16) -> u16 {
    let o = offset;
    let imm = (o >> 11 & 1) << 12
        | (o >> 4 & 1) << 11
        | (o >> 8 & 3) << 9
        | (o >> 10 & 1) << 8
        | (o >> 6 & 1) << 7
        | (o >> 7 & 1) << 6
        | (o >> 1 & 7) << 3
        | (o >> 5 & 1) << 2;
    0b101 << 13 | imm | 0b01
}

/// A loop run 1..4 times: a counter, a body that leaves it alone, and a branch back.
fn backward_loop(g: &mut Gen) {
    let counter = 1 + g.pick(FIRST_RESERVED as usize - 1) as u32;
    let times = 1 + g.pick(4) as u64;
    g.emit_all(&li(counter, times));
    let top = g.code.len();
    for _ in 0..1 + g.pick(3) {
        if g.chance(50) {
            let insn = c_filler(g, counter);
            g.emit16(insn);
        } else {
            let before = g.code.len();
            alu(g);
            // Keep the counter: re-emit the ALU instruction with another rd.
            let insn = u32::from_le_bytes(g.code[before..].try_into().expect("one instruction"));
            if (insn >> 7) & 31 == counter {
                g.code.truncate(before);
                let rd = if counter == 1 { 2 } else { 1 };
                g.emit(insn & !(31 << 7) | rd << 7);
            }
        }
    }
    g.emit(addi(counter, counter, -1));
    let back = top as i32 - g.code.len() as i32;
    g.emit(b(1, counter, 0, back)); // bnez counter, top
}

/// A jump backwards: over a landing pad to a jump back into it, which jumps past.
fn backward_jump(g: &mut Gen) {
    let link = g.rd();
    if g.chance(50) {
        g.emit(jal(0, 8)); // to the jump back
        g.emit(jal(0, 8)); // the landing pad: past the jump back
        g.emit(jal(link, -4));
    } else {
        g.emit16(c_j(4));
        g.emit16(c_j(4));
        g.emit16(c_j(0u16.wrapping_sub(2)));
    }
}
