//! A seeded random RV64IMAC program: random register state, then a stream of random
//! instructions (arithmetic, M, loads/stores, AMOs and LR/SC, short branches and
//! jumps, compressed forms, CSR accesses, instructions that trap, privilege
//! changes), with a trap handler that steps over whatever traps. It checks nothing
//! itself: lockstep does.
//!
//! The modes other than `base` add, on top of that stream, what [`Features`] turns
//! on (translation, delegation, PMP) and the instruction kinds the base stream
//! lacks (compressed loads, stores and jumps, backward branches and jumps). `base`
//! is the generator as it always was: its seeds give the same programs.

use super::encode::*;
use super::handlers;
use super::mode_steps::feature_step;
use super::page_tables::{PageTables, USER_ALIAS, VM_DATA_BASE, VM_DATA_SIZE};
use super::pmp_plan::PmpPlan;
use super::Features;
use crate::devices::{simctrl, CLINT_MTIME, CLINT_MTIMECMP, SIMCTRL_BASE};
use crate::rng::XorShift64;

pub const CODE_BASE: u64 = 0x8000_0000;
pub const DATA_BASE: u64 = 0x8010_0000;
pub const DATA_SIZE: u64 = 4096;
/// Cycles between timer interrupts.
pub(super) const TIMER_PERIOD: i32 = 700;

/// Registers the random instructions never write: x28/x31 belong to the handler,
/// x29 asks the handler to return to M (it holds GO_M), x30 points at the data.
pub(super) const FIRST_RESERVED: u32 = 28;
const DATA_REG: u32 = 30;
pub(super) const MAGIC_REG: u32 = 29;
pub(super) const GO_M: u64 = 0x4d;
/// mstatus bits the program itself needs to control.
const MSTATUS_MPRV: u64 = 1 << 17;
const MSTATUS_TSR: u64 = 1 << 22;
const MENVCFG_ADUE: u64 = 1 << 61;
/// SFENCE.VMA rs1, rs2.
pub(super) fn sfence_vma(rs1: u32, rs2: u32) -> u32 {
    r(0x73, 0, 0x09, 0, rs1, rs2)
}

/// CSRs the random code may write: none of them can send a trap elsewhere than the
/// handler, start translation, or raise an interrupt.
/// Among them menvcfg and senvcfg (the cache-block enables), mcountinhibit, and the
/// first HPM event selector and counter.
const WRITABLE_CSRS: &[u32] = &[
    0x340, 0x140, 0x300, 0x100, 0x341, 0x141, 0x342, 0x142, 0x343, 0x143, 0x306, 0x106, 0xB00,
    0xB02, 0x30A, 0x10A, 0x320, 0x323, 0xB03,
];
/// CSRs it may read (more trap when read below M, or are not implemented at all).
const READABLE_CSRS: &[u32] = &[
    0x301, 0xF11, 0xF12, 0xF13, 0xF14, 0xC00, 0xC02, 0x302, 0x303, 0x304, 0x344, 0x305, 0x105,
    0x180, 0x104, 0x144, 0x7C0, 0xC03, 0x30A, 0x10A, 0x320, 0x323, 0xB03,
];

/// The random program of one seed: code, initial data, and what else the mode
/// loads (data pages, page tables) as (address, bytes).
pub struct Program {
    pub code: Vec<u8>,
    pub data: Vec<u8>,
    pub more: Vec<(u64, Vec<u8>)>,
}

/// Translation as the program sets it up: the tables and the ASID of each address
/// space.
pub(super) struct Vm {
    pub(super) tables: PageTables,
    pub(super) asids: Vec<u16>,
}

pub(super) struct Gen {
    pub(super) rng: XorShift64,
    pub(super) code: Vec<u8>,
    pub(super) features: Features,
    pub(super) vm: Option<Vm>,
    pub(super) pmp: Option<PmpPlan>,
    /// medeleg: causes S's handler gets from S and U.
    medeleg: u64,
}

impl Gen {
    pub(super) fn pick(&mut self, n: usize) -> usize {
        self.rng.below(n)
    }
    pub(super) fn chance(&mut self, percent: usize) -> bool {
        self.pick(100) < percent
    }
    pub(super) fn emit(&mut self, insn: u32) {
        self.code.extend_from_slice(&insn.to_le_bytes());
    }
    pub(super) fn emit_all(&mut self, insns: &[u32]) {
        for &i in insns {
            self.emit(i);
        }
    }
    pub(super) fn emit16(&mut self, insn: u16) {
        self.code.extend_from_slice(&insn.to_le_bytes());
    }
    pub(super) fn rd(&mut self) -> u32 {
        1 + self.pick(FIRST_RESERVED as usize - 1) as u32
    }
    pub(super) fn rs(&mut self) -> u32 {
        self.pick(32) as u32
    }
    /// An interesting 64-bit value: edges more often than uniform noise.
    pub(super) fn value(&mut self) -> u64 {
        const EDGES: [u64; 8] = [
            0,
            1,
            u64::MAX,
            1 << 63,
            (1 << 63) - 1,
            0x8000_0000,
            0x7fff_ffff,
            0xffff_ffff,
        ];
        if self.chance(30) {
            EDGES[self.pick(EDGES.len())]
        } else {
            self.rng.next_u64()
        }
    }
    pub(super) fn imm12(&mut self) -> i32 {
        if self.chance(30) {
            [0, 1, -1, 2047, -2048][self.pick(5)]
        } else {
            (self.rng.next_u64() as i32) >> 20
        }
    }
}

/// Generates the program of `seed` with about `length` random instructions, with
/// what `features` turns on.
pub fn generate(seed: u64, length: usize, features: Features) -> Program {
    let mut g = Gen {
        rng: XorShift64::new(seed),
        code: Vec::new(),
        features,
        vm: None,
        pmp: None,
        medeleg: 0,
    };
    let mut data = vec![0u8; DATA_SIZE as usize];
    for chunk in data.chunks_mut(8) {
        let v = g.value();
        chunk.copy_from_slice(&v.to_le_bytes());
    }
    // The modes' plans are drawn after the base data, so `base` programs stay as
    // they were.
    let mut more = Vec::new();
    let mut data_areas = vec![(DATA_BASE, DATA_SIZE)];
    if features.vm {
        let sv48 = g.chance(50);
        let spaces = 1 + g.pick(2);
        let tables = PageTables::random(&mut g.rng, sv48, spaces);
        let asids = (0..spaces).map(|_| g.rng.next_u64() as u16).collect();
        let mut pages = vec![0u8; VM_DATA_SIZE as usize];
        for chunk in pages.chunks_mut(8) {
            let v = g.value();
            chunk.copy_from_slice(&v.to_le_bytes());
        }
        more.push((VM_DATA_BASE, pages));
        more.extend(tables.images());
        data_areas.push((VM_DATA_BASE, VM_DATA_SIZE));
        data_areas.push(PageTables::data_tables_area());
        g.vm = Some(Vm { tables, asids });
    }
    if features.pmp {
        g.pmp = Some(PmpPlan::random(
            &mut g.rng,
            (CODE_BASE, DATA_BASE - CODE_BASE),
            data_areas,
        ));
    }
    let vectored = features.any() && g.chance(50);
    let s_vectored = features.any() && g.chance(50);
    if features.deleg {
        // Any delegable exception but the ECALLs from U and S: the way back to M.
        const DELEGABLE: [u64; 11] = [0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 15];
        g.medeleg = DELEGABLE
            .iter()
            .filter(|_| g.rng.below(2) == 0)
            .fold(0, |m, c| m | 1 << c);
    }

    // Prologue (M): handlers, data pointer, random registers.
    let mtvec_fixup = la_placeholder(&mut g, vectored); // mtvec, patched below
    g.emit(csr(1, 0, 31, 0x305)); // csrw mtvec, x31
    if let Some(plan) = g.pmp.clone() {
        for (entry, &addr) in plan.addr.iter().enumerate() {
            g.emit_all(&li(31, addr));
            g.emit(csr(1, 0, 31, 0x3b0 + entry as u32)); // csrw pmpaddrN
        }
        for half in 0..2 {
            g.emit_all(&li(31, plan.cfg_csr_value(half)));
            g.emit(csr(1, 0, 31, 0x3a0 + 2 * half as u32)); // csrw pmpcfg0/2
        }
    } else {
        g.emit_all(&li(31, u64::MAX)); // PMP entry 0: S and U may access everything
        g.emit(csr(1, 0, 31, 0x3b0)); // csrw pmpaddr0
        g.emit_all(&li(31, 0x1f)); // NAPOT, RWX
        g.emit(csr(1, 0, 31, 0x3a0)); // csrw pmpcfg0
    }
    let stvec_fixup = features.deleg.then(|| {
        g.emit_all(&li(31, g.medeleg));
        g.emit(csr(1, 0, 31, 0x302)); // csrw medeleg
        let at = la_placeholder(&mut g, s_vectored);
        g.emit(csr(1, 0, 31, 0x105)); // csrw stvec
        at
    });
    if let Some(satp) = g.vm.as_ref().map(|vm| vm.tables.satp(0, vm.asids[0])) {
        g.emit_all(&li(31, satp));
        g.emit(csr(1, 0, 31, 0x180)); // csrw satp
        g.emit(sfence_vma(0, 0));
        if g.chance(50) {
            g.emit_all(&li(31, MENVCFG_ADUE));
            g.emit(csr(2, 0, 31, 0x30a)); // csrs menvcfg: Svadu
        }
    }
    g.emit_all(&li(DATA_REG, DATA_BASE));
    for r in 1..FIRST_RESERVED {
        let v = g.value();
        g.emit_all(&li(r, v));
    }
    g.emit_all(&li(MAGIC_REG, 0));
    // The machine timer interrupts the program every TIMER_PERIOD cycles or so.
    g.emit_all(&li(31, CLINT_MTIME));
    g.emit(i(0x03, 3, 28, 31, 0)); // ld x28, 0(x31)
    g.emit(addi(28, 28, TIMER_PERIOD));
    g.emit_all(&li(31, CLINT_MTIMECMP));
    g.emit(s(0x23, 3, 31, 28, 0)); // sd x28, 0(x31)
    g.emit_all(&li(31, 1 << 7));
    g.emit(csr(1, 0, 31, 0x304)); // csrw mie: MTIE
    g.emit(csr(6, 0, 8, 0x300)); // csrsi mstatus, MIE

    let mut mode = 3u8;
    for _ in 0..length {
        if features.any() && g.chance(30) {
            feature_step(&mut g, &mut mode);
        } else {
            random_step(&mut g, &mut mode);
        }
    }

    // Epilogue: back to M and exit through SIMCTRL.
    if mode != 3 {
        to_m(&mut g);
    }
    if features.any() {
        // M's own accesses again (MPRV could send the exit through translation).
        g.emit_all(&li(31, MSTATUS_MPRV));
        g.emit(csr(3, 0, 31, 0x300)); // csrc mstatus
    }
    g.emit_all(&li(31, SIMCTRL_BASE + simctrl::EXIT));
    g.emit(s(0x23, 3, 31, 0, 0)); // sd x0, 0(x31): exit code 0
    g.emit(jal(0, 0));

    let mtvec = handlers::emit_m(&mut g, vectored, features.vm);
    patch_la(&mut g, mtvec_fixup, mtvec);
    if let Some(at) = stvec_fixup {
        let stvec = handlers::emit_s(&mut g, s_vectored, features.vm);
        patch_la(&mut g, at, stvec);
    }
    Program {
        code: g.code,
        data,
        more,
    }
}

/// `la x31, <patched later>` (and the vectored mode bit): returns where to patch.
fn la_placeholder(g: &mut Gen, vectored: bool) -> usize {
    let at = g.code.len();
    g.emit(auipc(31, 0));
    g.emit(addi(31, 31, 0));
    if vectored {
        g.emit(i(0x13, 6, 31, 31, 1)); // ori x31, x31, 1: vectored
    }
    at
}

/// Points the `la` at `at` to the code offset `target`.
fn patch_la(g: &mut Gen, at: usize, target: usize) {
    let offset = (target - at) as i32;
    let lo = (offset << 20) >> 20;
    let hi = ((offset - lo) >> 12) as u32;
    g.code[at..at + 4].copy_from_slice(&auipc(31, hi).to_le_bytes());
    g.code[at + 4..at + 8].copy_from_slice(&addi(31, 31, lo).to_le_bytes());
}

/// To U or S with MRET from M; back to M by ECALL from elsewhere.
pub(super) fn change_privilege(g: &mut Gen, mode: &mut u8) {
    if *mode != 3 {
        to_m(g);
        *mode = 3;
        return;
    }
    let target = if g.chance(50) { 0 } else { 1 };
    if g.features.any() {
        // A timer interrupt before the MRET would set MPP to U (the handler's MRET
        // leaves it so): S's code would run in U, which cannot fetch it under
        // translation.
        g.emit(csr(7, 0, 8, 0x300)); // csrci mstatus, MIE
    }
    g.emit_all(&li(31, 0x1800));
    g.emit(csr(3, 0, 31, 0x300)); // csrc mstatus: MPP = U
    if target == 1 {
        g.emit_all(&li(31, 0x800));
        g.emit(csr(2, 0, 31, 0x300)); // MPP = S
    }
    // U runs the code through its own alias under translation.
    let alias: Vec<u32> = if target == 0 && g.vm.is_some() {
        let mut seq = li(28, USER_ALIAS);
        seq.push(r(0x33, 0, 0, 31, 31, 28)); // add x31, x31, x28
        seq
    } else {
        Vec::new()
    };
    g.emit(auipc(31, 0));
    g.emit(addi(31, 31, 16 + 4 * alias.len() as i32)); // after the MRET
    g.emit_all(&alias);
    g.emit(csr(1, 0, 31, 0x341)); // csrw mepc
    g.emit(MRET);
    *mode = target;
}

pub(super) fn to_m(g: &mut Gen) {
    g.emit_all(&li(MAGIC_REG, GO_M));
    g.emit(ECALL);
}

pub(super) fn random_step(g: &mut Gen, mode: &mut u8) {
    match g.pick(100) {
        0..=29 => alu(g),
        30..=39 => muldiv(g),
        40..=51 => load_store(g),
        52..=57 => atomic(g),
        58..=65 => branch(g),
        66..=79 => compressed(g),
        80..=86 => csr_access(g),
        87..=91 => trapping(g, *mode),
        92..=94 => change_privilege(g, mode),
        95 => {
            // A cache-block operation on the data (cbo.zero zeroes 64 bytes of it).
            let offset = g.pick(DATA_SIZE as usize) as u64;
            g.emit_all(&li(31, DATA_BASE + offset));
            let op = [0, 1, 2, 4][g.pick(4)];
            g.emit(i(0x0f, 2, 0, 31, op));
        }
        _ => {
            let v = g.value();
            let rd = g.rd();
            g.emit_all(&li(rd, v));
        }
    }
}

pub(super) fn alu(g: &mut Gen) {
    let (rd, rs1, rs2) = (g.rd(), g.rs(), g.rs());
    // (opcode, funct3, funct7) of every RV64I register-register operation
    const RR: [(u32, u32, u32); 15] = [
        (0x33, 0, 0),
        (0x33, 0, 0x20),
        (0x33, 1, 0),
        (0x33, 2, 0),
        (0x33, 3, 0),
        (0x33, 4, 0),
        (0x33, 5, 0),
        (0x33, 5, 0x20),
        (0x33, 6, 0),
        (0x33, 7, 0),
        (0x3b, 0, 0),
        (0x3b, 0, 0x20),
        (0x3b, 1, 0),
        (0x3b, 5, 0),
        (0x3b, 5, 0x20),
    ];
    if g.chance(50) {
        let (op, f3, f7) = RR[g.pick(RR.len())];
        g.emit(r(op, f3, f7, rd, rs1, rs2));
    } else {
        let imm = g.imm12();
        let shamt = g.pick(64) as i32;
        let insn = match g.pick(12) {
            0 => i(0x13, 0, rd, rs1, imm),
            1 => i(0x13, 2, rd, rs1, imm),
            2 => i(0x13, 3, rd, rs1, imm),
            3 => i(0x13, 4, rd, rs1, imm),
            4 => i(0x13, 6, rd, rs1, imm),
            5 => i(0x13, 7, rd, rs1, imm),
            6 => i(0x13, 1, rd, rs1, shamt),
            7 => i(
                0x13,
                5,
                rd,
                rs1,
                shamt | if g.chance(50) { 0x400 } else { 0 },
            ),
            8 => i(0x1b, 0, rd, rs1, imm),
            9 => i(0x1b, 1, rd, rs1, shamt & 31),
            10 => i(
                0x1b,
                5,
                rd,
                rs1,
                (shamt & 31) | if g.chance(50) { 0x400 } else { 0 },
            ),
            _ => {
                let upper = g.rng.next_u64() as u32;
                if g.chance(50) {
                    lui(rd, upper)
                } else {
                    auipc(rd, upper)
                }
            }
        };
        g.emit(insn);
    }
}

fn muldiv(g: &mut Gen) {
    let (rd, rs1, rs2) = (g.rd(), g.rs(), g.rs());
    let f3 = g.pick(8) as u32;
    if g.chance(30) && ![1, 2, 3].contains(&f3) {
        g.emit(r(0x3b, f3, 1, rd, rs1, rs2));
    } else {
        g.emit(r(0x33, f3, 1, rd, rs1, rs2));
    }
}

/// An offset into the data area, aligned to `size` most of the time.
fn data_offset(g: &mut Gen, size: i32) -> i32 {
    let slot = g.pick((DATA_SIZE as usize / 8) - 1) as i32 * 8;
    if g.chance(5) {
        slot + 1 + g.pick(7) as i32 // misaligned: traps for now
    } else {
        slot + (g.pick(8 / size as usize) as i32) * size
    }
}

fn load_store(g: &mut Gen) {
    let f3 = g.pick(7) as u32; // lb lh lw ld lbu lhu lwu
    let size = 1 << (f3 & 3);
    if g.chance(3) {
        // An address with nothing behind it: access fault.
        let rd = g.rd();
        g.emit(i(0x03, f3, rd, 0, 0x100));
        return;
    }
    let off = data_offset(g, size) - 2048;
    let base = DATA_REG;
    // x30 points at DATA_BASE; offsets are signed, so address relative to its middle.
    g.emit(addi(31, base, 2047));
    g.emit(addi(31, 31, 1));
    if g.chance(50) {
        let rd = g.rd();
        g.emit(i(0x03, f3, rd, 31, off));
    } else {
        let rs2 = g.rs();
        g.emit(s(0x23, f3 & 3, 31, rs2, off));
    }
}

fn atomic(g: &mut Gen) {
    let word = g.chance(50);
    let size = if word { 4 } else { 8 };
    let off = data_offset(g, size);
    g.emit_all(&li(31, DATA_BASE + off as u64));
    amo_at_x31(g, word);
}

/// A random LR, SC or AMO (word or doubleword) at the address in x31.
pub(super) fn amo_at_x31(g: &mut Gen, word: bool) {
    let (rd, rs2) = (g.rd(), g.rs());
    let f3 = if word { 2 } else { 3 };
    const FUNCT5: [u32; 9] = [
        0b00000, 0b00001, 0b00100, 0b01000, 0b01100, 0b10000, 0b10100, 0b11000, 0b11100,
    ];
    let aqrl = g.pick(4) as u32;
    match g.pick(4) {
        0 => g.emit(r(0x2f, f3, 0b00010 << 2 | aqrl, rd, 31, 0)), // lr
        1 => g.emit(r(0x2f, f3, 0b00011 << 2 | aqrl, rd, 31, rs2)), // sc
        _ => {
            let f5 = FUNCT5[g.pick(FUNCT5.len())];
            g.emit(r(0x2f, f3, f5 << 2 | aqrl, rd, 31, rs2));
        }
    }
}

fn branch(g: &mut Gen) {
    // Forward only, over 1..3 instructions that may or may not run.
    let skipped: Vec<u32> = (0..1 + g.pick(3))
        .map(|_| {
            let (rd, rs1) = (g.rd(), g.rs());
            let imm = g.imm12();
            addi(rd, rs1, imm)
        })
        .collect();
    let offset = 4 * (skipped.len() as i32 + 1);
    if g.chance(80) {
        let f3 = [0, 1, 4, 5, 6, 7][g.pick(6)];
        let (rs1, rs2) = (g.rs(), g.rs());
        g.emit(b(f3, rs1, rs2, offset));
    } else if g.chance(50) {
        let rd = g.rd();
        g.emit(jal(rd, offset));
    } else {
        // jalr through an auipc-computed target
        let rd = g.rd();
        g.emit(auipc(31, 0));
        g.emit(i(0x67, 0, rd, 31, offset + 4));
    }
    g.emit_all(&skipped);
}

fn compressed(g: &mut Gen) {
    let rdp = 8 + g.pick(8) as u16; // x8..x15
    let rsp = 8 + g.pick(8) as u16;
    let rd = g.rd() as u16;
    let rs2 = g.rs() as u16;
    let imm6 = g.pick(64) as u16;
    let nz6 = 1 + g.pick(63) as u16;
    let insn: u16 = match g.pick(14) {
        0 => 0x0001 | ((imm6 >> 5) << 12) | (rd << 7) | ((imm6 & 31) << 2), // c.addi
        1 => 0x2001 | ((imm6 >> 5) << 12) | (rd << 7) | ((imm6 & 31) << 2), // c.addiw
        2 => 0x4001 | ((imm6 >> 5) << 12) | (rd << 7) | ((imm6 & 31) << 2), // c.li
        3 => 0x8001 | ((imm6 >> 5) << 12) | ((rdp - 8) << 7) | ((imm6 & 31) << 2), // c.srli
        4 => 0x8401 | ((imm6 >> 5) << 12) | ((rdp - 8) << 7) | ((imm6 & 31) << 2), // c.srai
        5 => 0x8801 | ((imm6 >> 5) << 12) | ((rdp - 8) << 7) | ((imm6 & 31) << 2), // c.andi
        6 => 0x8c01 | ((rdp - 8) << 7) | ((rsp - 8) << 2) | ((g.pick(4) as u16) << 5), // c.sub/xor/or/and
        7 => 0x9c01 | ((rdp - 8) << 7) | ((rsp - 8) << 2) | ((g.pick(2) as u16) << 5), // c.subw/addw
        8 => 0x0002 | ((nz6 >> 5) << 12) | (rd << 7) | ((nz6 & 31) << 2),              // c.slli
        9 if rs2 != 0 => 0x8002 | (rd << 7) | (rs2 << 2),                              // c.mv
        10 if rs2 != 0 => 0x9002 | (rd << 7) | (rs2 << 2),                             // c.add
        11 => 0x6001 | ((nz6 >> 5) << 12) | (rd.max(3) << 7) | ((nz6 & 31) << 2), // c.lui (rd != 2)
        12 => 0x0001,                                                             // c.nop
        _ => 0x0000,                                                              // illegal
    };
    g.emit16(insn);
}

fn csr_access(g: &mut Gen) {
    let rd = g.rd();
    if g.chance(50) {
        let csr_addr = WRITABLE_CSRS[g.pick(WRITABLE_CSRS.len())];
        let f3 = 1 + g.pick(3) as u32 + if g.chance(30) { 4 } else { 0 };
        let mut src = if f3 >= 5 { g.pick(32) as u32 } else { g.rs() };
        if csr_addr == 0x300 && f3 < 3 && g.medeleg != 0 {
            // TSR would make S's handler's own SRET trap.
            g.emit_all(&li(31, !MSTATUS_TSR));
            g.emit(r(0x33, 7, 0, 31, 31, src)); // and x31, x31, src
            src = 31;
        }
        g.emit(csr(f3, rd, src, csr_addr));
    } else {
        let csr_addr = READABLE_CSRS[g.pick(READABLE_CSRS.len())];
        g.emit(csr(2, rd, 0, csr_addr));
    }
}

/// An instruction that traps, or may: never an MRET/SRET that would return, since
/// that would leave the program.
fn trapping(g: &mut Gen, mode: u8) {
    let insn = match g.pick(6) {
        0 => {
            g.emit_all(&li(MAGIC_REG, 0));
            ECALL
        }
        1 => EBREAK,
        2 if mode != 3 => MRET,
        3 if mode == 0 => SRET,
        4 => WFI, // illegal in U (and in S with TW); elsewhere the timer wakes it
        5 => FENCE_I,
        _ => 0xffff_ffff, // illegal
    };
    g.emit(insn);
}
