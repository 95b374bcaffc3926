//! Directed checks of the rules the harness decides itself from the privileged spec:
//! the real reference (rv64emu) and a retire record per instruction, one a correct
//! RTL would report and ones a wrong RTL would.

use super::*;
use crate::lockstep::Rv64emuReference;
use crate::memory::MemoryMap;

const A0: usize = 10;
const A1: usize = 11;
const A2: usize = 12;
const A3: usize = 13;
/// Sv39 page tables: a root, one level-1 and one level-0 table.
const ROOT: u64 = 0x8010_0000;
const L1: u64 = 0x8010_1000;
const L0: u64 = 0x8010_2000;
const PTE_V: u64 = 1;
const PTE_RWX: u64 = 0xe;
const PTE_AD: u64 = 0xc0;

fn pte(pa: u64, flags: u64) -> u64 {
    (pa >> 12) << 10 | flags
}

/// A checker over rv64emu in M-mode at 0x8000_0000, with the default memory map.
fn lockstep() -> (Lockstep, SystemBus) {
    let map = MemoryMap::default();
    let reference = Rv64emuReference::new(&map, 0x8000_0000);
    (Lockstep::new(Box::new(reference)), SystemBus::new(map))
}

/// Sets integer register `i` on both sides.
fn set_reg(ls: &mut Lockstep, i: usize, value: u64) {
    ls.reference.set_reg(i, value);
    ls.rtl_regs[i] = value;
}

fn write64(ls: &mut Lockstep, pa: u64, value: u64) {
    ls.write_reference_memory(pa, &value.to_le_bytes());
}

/// Instructions at `pa` onwards.
fn program(ls: &mut Lockstep, pa: u64, insns: &[u32]) {
    for (i, insn) in insns.iter().enumerate() {
        ls.write_reference_memory(pa + 4 * i as u64, &insn.to_le_bytes());
    }
}

/// What the RTL retires for `insn` at `pc` (physical `pc_paddr`) in `mode`, without
/// a trap or a data access.
fn record(pc: u64, pc_paddr: u64, insn: u32, mode: u8) -> RetirePort {
    RetirePort {
        valid: true,
        insn,
        pc_rdata: pc,
        pc_paddr,
        pc_wdata: pc + 4,
        mode,
        ..RetirePort::default()
    }
}

/// The same instruction, trapping into M-mode (mtvec 0) with `cause` and `tval`.
fn trapped(r: RetirePort, cause: u8, tval: u64) -> RetirePort {
    RetirePort {
        trap: true,
        trap_cause: cause,
        trap_tval: tval,
        pc_wdata: 0,
        rd_addr: 0,
        rd_wdata: 0,
        csr_mstatus: u64::from(r.mode) << 11,
        ..r
    }
}

/// S-mode at virtual 0x1000 under Sv39, PMP granting everything: virtual page 1 is
/// the code at 0x8000_1000, page 2 a window onto the level-0 table itself, page 3
/// data at 0x8000_3000; page 4 is not mapped.
fn supervisor() -> (Lockstep, SystemBus) {
    let (mut ls, bus) = lockstep();
    write64(&mut ls, ROOT, pte(L1, PTE_V));
    write64(&mut ls, L1, pte(L0, PTE_V));
    write64(&mut ls, L0 + 8, pte(0x8000_1000, PTE_V | PTE_RWX | PTE_AD));
    write64(&mut ls, L0 + 16, pte(L0, PTE_V | 0x6 | PTE_AD));
    write64(&mut ls, L0 + 24, pte(0x8000_3000, PTE_V | 0x6 | PTE_AD));
    ls.pmp.write(0x3b0, u64::MAX);
    ls.pmp.write(0x3a0, 0x1f); // NAPOT over everything, RWX
    ls.reference.set_csr(CSR_SATP, 8 << 60 | ROOT >> 12);
    ls.reference.redirect(0x1000, 1);
    (ls, bus)
}

fn mismatch<'a>(d: &'a Divergence, what: &str) -> Option<&'a Mismatch> {
    d.mismatches.iter().find(|m| m.what == what)
}

// ld a0, 0(a1); sd a2, 16(a1); cbo.clean (a1); cbo.zero (a1)
const LD_A0_A1: u32 = 0x0005_b503;
const SD_A2_16_A1: u32 = 0x00c5_b823;
const CBO_CLEAN: u32 = 0x0015_a00f;
const CBO_ZERO: u32 = 0x0045_a00f;

/// A fresh checker from `setup`, about to run `insn` at `pa` with `a1`.
fn ready(
    setup: fn() -> (Lockstep, SystemBus),
    pa: u64,
    insn: u32,
    a1: u64,
) -> (Lockstep, SystemBus) {
    let (mut ls, bus) = setup();
    program(&mut ls, pa, &[insn]);
    set_reg(&mut ls, A1, a1);
    (ls, bus)
}

#[test]
fn a_misaligned_load_faults_where_the_spec_says_page_fault_first() {
    // ld across virtual pages 3 and 4: page 4 is not mapped, so a load page fault on
    // the second part (tval its first byte), before any access fault.
    let fresh = || ready(supervisor, 0x8000_1000, LD_A0_A1, 0x3ffc);
    let r = record(0x1000, 0x8000_1000, LD_A0_A1, 1);
    for (cause, tval) in [(5, 0x3ffc), (5, 0x4000), (13, 0x3ffc)] {
        let (mut ls, bus) = fresh();
        let d = ls
            .check(1, &trapped(r, cause, tval), &bus)
            .expect_err("the wrong fault");
        assert!(
            mismatch(&d, "trap cause").is_some() || mismatch(&d, "trap tval").is_some(),
            "{cause} {tval:#x}: {:?}",
            d.mismatches
        );
    }
    let (mut ls, bus) = fresh();
    let load = RetirePort {
        rd_addr: A0 as u8,
        mem_addr: 0x3ffc,
        mem_paddr: 0x8000_3ffc,
        mem_rmask: 0xff,
        ..r
    };
    let d = ls.check(1, &load, &bus).expect_err("no fault");
    assert_eq!(mismatch(&d, "trap").unwrap().reference, "cause 13");
    let (mut ls, bus) = fresh();
    ls.check(1, &trapped(r, 13, 0x4000), &bus)
        .expect("the page fault of the second part");
}

#[test]
fn a_misaligned_load_off_the_end_of_memory_faults_its_second_part() {
    // M-mode: ld across the end of DRAM; the part in the next page has no memory.
    let fresh = || ready(lockstep, 0x8000_0000, LD_A0_A1, 0x8fff_fffc);
    let r = record(0x8000_0000, 0x8000_0000, LD_A0_A1, 3);
    let (mut ls, bus) = fresh();
    let d = ls
        .check(1, &trapped(r, 5, 0x8fff_fffc), &bus)
        .expect_err("tval is the faulting part's");
    assert_eq!(mismatch(&d, "trap tval").unwrap().reference, "0x90000000");
    let (mut ls, bus) = fresh();
    ls.check(1, &trapped(r, 5, 0x9000_0000), &bus)
        .expect("the access fault of the second part");

    // Within memory there is no fault at all: a trap is a difference.
    let (mut ls, bus) = ready(lockstep, 0x8000_0000, LD_A0_A1, 0x8000_2ffc);
    let d = ls
        .check(1, &trapped(r, 5, 0x8000_2ffc), &bus)
        .expect_err("a spurious access fault");
    assert_eq!(mismatch(&d, "trap").unwrap().reference, "none");
}

#[test]
fn a_misaligned_store_off_the_end_of_memory_writes_only_its_first_part() {
    // sd a2, 0(a1) at 0x8fff_fffc: the 4 bytes below 0x9000_0000 land, the other 4
    // find no memory: a store access fault with tval 0x9000_0000.
    const SD_A2_A1: u32 = 0x00c5_b023;
    let fresh = || {
        let (mut ls, bus) = ready(lockstep, 0x8000_0000, SD_A2_A1, 0x8fff_fffc);
        set_reg(&mut ls, A2, 0x1122_3344_5566_7788);
        (ls, bus)
    };
    let r = trapped(
        record(0x8000_0000, 0x8000_0000, SD_A2_A1, 3),
        7,
        0x9000_0000,
    );
    let (mut ls, bus) = fresh();
    ls.bus_writes.push(0x8fff_fff8, 0xf0, 0x5566_7788 << 32);
    ls.check(1, &r, &bus)
        .expect("the first part written, the second faulting");
    assert_eq!(ls.reference.read_mem(0x8fff_fffc, 4), Some(0x5566_7788));
    // An RTL that did not write the first part differs.
    let (mut ls, bus) = fresh();
    let d = ls
        .check(1, &r, &bus)
        .expect_err("the first part's beat is missing");
    assert!(mismatch(&d, "bus write").is_some(), "{d}");
}

#[test]
fn a_cache_block_operation_traps_exactly_as_the_spec_requires() {
    // cbo.clean (a1) with a1 inside unmapped page 4: a store page fault, tval rs1.
    const CBCFE_CBZE: u64 = 0xc0;
    let fresh = |insn: u32, a1: u64, envcfg: u64| {
        let (mut ls, bus) = ready(supervisor, 0x8000_1000, insn, a1);
        ls.extra_csrs.write(MENVCFG, envcfg, 0xf1);
        (ls, bus)
    };
    let r = record(0x1000, 0x8000_1000, CBO_CLEAN, 1);
    for (cause, tval) in [
        (13, 0x4008),
        (15, 0x4000),
        (7, 0x4008),
        (2, u64::from(CBO_CLEAN)),
    ] {
        let (mut ls, bus) = fresh(CBO_CLEAN, 0x4008, CBCFE_CBZE);
        ls.check(1, &trapped(r, cause, tval), &bus)
            .expect_err("not the fault the spec requires");
    }
    let (mut ls, bus) = fresh(CBO_CLEAN, 0x4008, CBCFE_CBZE);
    ls.check(1, &trapped(r, 15, 0x4008), &bus)
        .expect("store page fault at rs1");

    // Disabled by menvcfg: illegal, with the instruction bits, whatever the address.
    let (mut ls, bus) = fresh(CBO_CLEAN, 0x4008, 0);
    ls.check(1, &trapped(r, 15, 0x4008), &bus)
        .expect_err("illegal comes first");
    let (mut ls, bus) = fresh(CBO_CLEAN, 0x4008, 0);
    ls.check(1, &trapped(r, 2, u64::from(CBO_CLEAN)), &bus)
        .expect("illegal instruction");

    // Enabled on a mapped, allowed block: no trap.
    let zero = record(0x1000, 0x8000_1000, CBO_ZERO, 1);
    let (mut ls, bus) = fresh(CBO_ZERO, 0x3048, CBCFE_CBZE);
    ls.check(1, &trapped(zero, 7, 0x3048), &bus)
        .expect_err("a spurious access fault");
    let (mut ls, bus) = fresh(CBO_ZERO, 0x3048, CBCFE_CBZE);
    write64(&mut ls, 0x8000_3040, 0x1234);
    for i in 0..8 {
        ls.bus_writes.push(0x8000_3040 + 8 * i, 0xff, 0);
    }
    let done = RetirePort {
        mem_addr: 0x3040,
        mem_paddr: 0x8000_3040,
        mem_pte: pte(0x8000_3000, PTE_V | 0x6 | PTE_AD),
        mem_wmask: 0xff,
        ..zero
    };
    ls.check(1, &done, &bus).expect("cbo.zero");
    assert_eq!(ls.reference.read_mem(0x8000_3040, 8), Some(0));
}

#[test]
fn a_cbo_zero_where_there_is_no_memory_is_a_store_access_fault() {
    let fresh = || ready(lockstep, 0x8000_0000, CBO_ZERO, 0x4000_0048);
    let r = record(0x8000_0000, 0x8000_0000, CBO_ZERO, 3);
    let (mut ls, bus) = fresh();
    ls.check(1, &trapped(r, 7, 0x4000_0048), &bus)
        .expect("an access fault at rs1");
    let (mut ls, bus) = fresh();
    let d = ls
        .check(1, &trapped(r, 7, 0x4000_0040), &bus)
        .expect_err("tval is rs1, not the block");
    assert!(mismatch(&d, "trap tval").is_some(), "{:?}", d.mismatches);
}

#[test]
fn mpp_keeps_a_legal_value_when_software_writes_the_reserved_2() {
    // csrw mstatus, a1
    const CSRW_MSTATUS_A1: u32 = 0x3005_9073;
    let fresh = |mpp: u64| {
        let (mut ls, bus) = lockstep();
        program(&mut ls, 0x8000_0000, &[CSRW_MSTATUS_A1]);
        set_reg(&mut ls, A1, mpp << 11);
        (ls, bus)
    };
    let write = |mpp: u64| RetirePort {
        csr_mstatus: mpp << 11,
        ..record(0x8000_0000, 0x8000_0000, CSRW_MSTATUS_A1, 3)
    };
    // MPP was U (0): writing 2 keeps U.
    for wrong in [2, 3] {
        let (mut ls, bus) = fresh(2);
        let d = ls
            .check(1, &write(wrong), &bus)
            .expect_err("MPP must stay U");
        assert!(mismatch(&d, "mstatus").is_some(), "{:?}", d.mismatches);
    }
    let (mut ls, bus) = fresh(2);
    ls.check(1, &write(0), &bus).expect("MPP stays U");
    assert_eq!((ls.reference.csr(CSR_MSTATUS) >> 11) & 3, 0);
    let (mut ls, bus) = fresh(1);
    ls.check(1, &write(1), &bus).expect("MPP becomes S");
    assert_eq!(legal_mpp(2 << 11, 3 << 11), 3);
}

// lr.d a0, (a1); sc.d a2, a3, (a1); sc.w a2, a3, (a1)
const LR_D: u32 = 0x1005_b52f;
const SC_D: u32 = 0x18d5_b62f;
const SC_W: u32 = 0x18d5_a62f;
/// The LR/SC tests' doubleword, which holds 7.
const DATA: u64 = 0x8000_2000;

/// lr.d a0, (a1) at 0x8000_0000 with a1 = DATA, leaving `mstatus`.
fn lr_d(mstatus: u64) -> RetirePort {
    RetirePort {
        rd_addr: A0 as u8,
        rd_wdata: 7,
        mem_addr: DATA,
        mem_paddr: DATA,
        mem_rmask: 0xff,
        mem_rdata: 7,
        csr_mstatus: mstatus,
        ..record(0x8000_0000, 0x8000_0000, LR_D, 3)
    }
}

#[test]
fn an_sc_succeeds_only_on_the_reservation_of_the_last_lr() {
    let fresh = |sc: u32| {
        let (mut ls, bus) = lockstep();
        program(&mut ls, 0x8000_0000, &[LR_D, sc]);
        write64(&mut ls, DATA, 7);
        set_reg(&mut ls, A1, DATA);
        set_reg(&mut ls, A3, 0x55);
        (ls, bus)
    };
    let lr = lr_d(0);
    let sc = |insn: u32, success: bool| {
        let mask = if insn == SC_D { 0xff } else { 0x0f };
        RetirePort {
            rd_addr: A2 as u8,
            rd_wdata: u64::from(!success),
            mem_addr: DATA,
            mem_paddr: DATA,
            mem_wmask: if success { mask } else { 0 },
            mem_wdata: if success { 0x55 } else { 0 },
            ..record(0x8000_0004, 0x8000_0004, insn, 3)
        }
    };
    // With the LR's reservation: success, or a (spurious) failure the reference
    // follows without writing.
    let (mut ls, bus) = fresh(SC_D);
    ls.check(1, &lr, &bus).expect("lr.d");
    ls.bus_writes.push(DATA, 0xff, 0x55);
    ls.check(2, &sc(SC_D, true), &bus).expect("sc.d succeeds");
    assert_eq!(ls.reference.read_mem(DATA, 8), Some(0x55));
    let (mut ls, bus) = fresh(SC_D);
    ls.check(1, &lr, &bus).expect("lr.d");
    ls.check(2, &sc(SC_D, false), &bus)
        .expect("sc.d may always fail");
    assert_eq!(ls.reference.read_mem(DATA, 8), Some(7));

    // Without it (no LR; another width than the LR's): success is a difference.
    let (mut ls, bus) = fresh(SC_D);
    ls.reference.redirect(0x8000_0004, 3);
    ls.bus_writes.push(DATA, 0xff, 0x55);
    let d = ls
        .check(2, &sc(SC_D, true), &bus)
        .expect_err("no reservation");
    assert_eq!(mismatch(&d, "sc").unwrap().rtl, "succeeded");
    let (mut ls, bus) = fresh(SC_W);
    ls.check(1, &lr, &bus).expect("lr.d");
    ls.bus_writes.push(DATA, 0x0f, 0x55);
    let d = ls
        .check(2, &sc(SC_W, true), &bus)
        .expect_err("sc.w on an lr.d");
    assert!(mismatch(&d, "sc").is_some(), "{:?}", d.mismatches);
}

#[test]
fn an_sc_after_a_trap_or_xret_must_fail() {
    const MRET: u32 = 0x3020_0073;
    let (mut ls, bus) = lockstep();
    program(&mut ls, 0x8000_0000, &[LR_D, MRET, SC_D]);
    write64(&mut ls, DATA, 7);
    set_reg(&mut ls, A1, DATA);
    ls.reference.set_csr(CSR_MSTATUS, 3 << 11);
    ls.reference.set_csr(CSR_MEPC, 0x8000_0008);
    ls.check(1, &lr_d(3 << 11), &bus).expect("lr.d");
    let mret = RetirePort {
        pc_wdata: 0x8000_0008,
        csr_mstatus: 1 << 7,
        ..record(0x8000_0004, 0x8000_0004, MRET, 3)
    };
    ls.check(2, &mret, &bus).expect("mret (MPP M)");
    ls.bus_writes.push(DATA, 0xff, 0);
    let sc = RetirePort {
        rd_addr: A2 as u8,
        mem_addr: DATA,
        mem_paddr: DATA,
        mem_wmask: 0xff,
        csr_mstatus: 1 << 7,
        ..record(0x8000_0008, 0x8000_0008, SC_D, 3)
    };
    let d = ls.check(3, &sc, &bus).expect_err("the mret dropped it");
    assert!(mismatch(&d, "sc").is_some(), "{:?}", d.mismatches);
}

#[test]
fn a_store_to_its_own_leaf_pte_is_checked_where_it_was_translated() {
    // sd a2, 16(a1) with a1 = 0x2000: virtual page 2 shows the level-0 table, and
    // its entry 2 is page 2's own leaf PTE. The store moves page 2 to 0x8020_0000;
    // its bytes landed in the table, where the mapping before the store put them.
    let new_pte = pte(0x8020_0000, PTE_V | 0x6 | PTE_AD);
    let fresh = || {
        let (mut ls, bus) = supervisor();
        program(&mut ls, 0x8000_1000, &[SD_A2_16_A1]);
        set_reg(&mut ls, A1, 0x2000);
        set_reg(&mut ls, A2, new_pte);
        (ls, bus)
    };
    let store = RetirePort {
        mem_addr: 0x2010,
        mem_paddr: L0 + 16,
        mem_pte: pte(L0, PTE_V | 0x6 | PTE_AD),
        mem_wmask: 0xff,
        mem_wdata: new_pte,
        ..record(0x1000, 0x8000_1000, SD_A2_16_A1, 1)
    };
    let (mut ls, bus) = fresh();
    ls.bus_writes.push(L0 + 16, 0xff, new_pte);
    ls.check(1, &store, &bus).expect("a correct store");
    assert_eq!(ls.reference.read_mem(L0 + 16, 8), Some(new_pte));

    // An RTL that wrote through the new mapping instead.
    let (mut ls, bus) = fresh();
    ls.bus_writes.push(0x8020_0010, 0xff, new_pte);
    let d = ls.check(1, &store, &bus).expect_err("the wrong place");
    assert!(mismatch(&d, "bus write").is_some(), "{:?}", d.mismatches);
}
