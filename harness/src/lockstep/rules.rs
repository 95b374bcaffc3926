//! The named, documented differences between what the reference can know and what
//! the RTL saw. Each rule copies one value from the RTL side into the reference, at a
//! precise point, and is counted.

use crate::devices::{CLINT_BASE, CLINT_SIZE, SIMCTRL_BASE, SIMCTRL_SIZE};

/// A reason to copy state from the RTL side into the reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SyncRule {
    /// A CSR read of a counter that counts time, not instructions (`cycle`, `mcycle`,
    /// `time`): the reference has no clock, so the value read becomes the RTL's.
    TimerCsrRead,
    /// The host's answer to an HTIF command (it clears `tohost` and writes
    /// `fromhost`): after a store to either, the reference's copies become the RTL
    /// memory's.
    HtifHostWrite,
    /// A load from a device register (SIMCTRL, the CLINT's mtime, mtimecmp, msip), or
    /// a CSR read of mip/sip: the devices' state (time goes by in cycles) lives in the
    /// RTL and the harness, not in the reference. The value loaded becomes the RTL's;
    /// for mip/sip only the CLINT-driven bits MTIP and MSIP are taken, the rest compared.
    DeviceLoad,
    /// mstatus fields whose legal values depend on which features a hart implements
    /// (WARL legalization: MPP, SPP, UXL, SXL, the S-mode and FS/VS/XS bits): rv64emu
    /// always models S and U and lets most bits be written, the RTL legalizes them.
    /// MPP (legal values U, S, M) is legalized by the harness after a CSR write of
    /// mstatus: the reserved 2, which rv64emu stores, keeps the old value
    /// ([`legal_mpp`]). The fields both implement ([`MSTATUS_COMPARED`], MPP among
    /// them) are compared after every instruction; the rest is copied from the RTL's
    /// mstatus (retire port) into the reference when it differs, and a CSR read of
    /// mstatus returns the RTL's value once the compared fields agree.
    MstatusWarl,
    /// Reads of `misa`: rv64emu always reports S and never U; the value read becomes
    /// the RTL's.
    MisaExtensions,
    /// A misaligned SC: the RTL raises the store/AMO-misaligned exception the A
    /// extension requires; rv64emu checks the reservation first and fails the SC
    /// without a trap when there is none. The reference takes the trap instead of
    /// executing the SC (after the harness checked the address is misaligned).
    ScMisalignedTrap,
    /// A CSR write of `mepc` or `sepc`: with C implemented (IALIGN = 16) bit 0 is
    /// always zero; rv64emu keeps it, so the reference's value is legalized the same way.
    EpcAlignment,
    /// A CSR write of `minstret`: rv64emu's counters ignore writes; the reference's
    /// counter is set to the value the instruction wrote (computed from its operands),
    /// so later reads of `instret`/`minstret` are still compared exactly.
    MinstretWrite,
    /// An illegal-instruction trap raised by a CSR access: the spec lets mtval/stval be
    /// zero or the instruction bits; the RTL always writes the bits, rv64emu writes
    /// zero for CSR faults. When exactly that differs, the reference's xtval takes the
    /// bits.
    IllegalInsnTval,
    /// A CSR instruction that writes a read-only CSR (address bits 11:10 = 3, e.g.
    /// `csrrci a4, instret, 1`): the spec requires an illegal-instruction trap, which
    /// the RTL raises; rv64emu ignores the write. The reference takes the trap instead.
    ReadOnlyCsrWrite,
    /// MRET below M, SRET in U or in S with TSR, WFI in U or in S with TW, SFENCE.VMA or
    /// a satp access in U or in S with TVM, a counter read below M that mcounteren (and
    /// in U scounteren) does not enable: the spec requires an illegal-instruction
    /// trap; rv64emu executes them. When the harness confirms from the retired
    /// privilege and mstatus that the trap is required, the reference takes it instead.
    PrivilegedInsnTrap,
    /// A CSR read of `sstatus`: rv64emu shows M-mode fields through it, the RTL shows
    /// only the S-mode view the spec defines. The S-visible fields are compared, then
    /// the value read becomes the RTL's.
    SstatusView,
    /// A CSR write of `medeleg`, `mideleg`, `mie`, `mcounteren` or `scounteren`: their
    /// legal values depend on what the hart implements, or are 32 bits wide (see
    /// [`WARL_MASKS`]); rv64emu keeps every bit written. The
    /// reference's value is legalized with the same masks; privilege.S checks the RTL's.
    /// Also a write of `sie`/`sip`, which may change only the bits `mideleg`
    /// delegates: rv64emu writes through to `mie`/`mip`; the other bits are restored.
    CsrWarl,
    /// Every SC that retires without a trap: rv64emu's reservation (a virtual address,
    /// any width, kept across traps) is not used. The harness keeps its own: the
    /// physical address and size of the last LR, dropped by any SC, trap or xRET (as
    /// the RTL does; the spec allows xRET to). An SC the RTL makes succeed without
    /// that reservation of exactly its bytes is a difference; a failure is always
    /// allowed. The reference skips the SC and the harness performs the outcome (the
    /// store at the physical addresses it translated, rd 0; or rd 1).
    ScReservation,
    /// A misaligned load or store: the RTL performs it (two bus beats when it crosses
    /// 8 bytes), rv64emu always traps. The harness performs it on the reference's own
    /// registers and memory (address from the reference's rs1 and the decoded offset),
    /// so the RTL's result and stored bytes are still compared. The harness also decides
    /// its fault, from its translation, PMP and memory map, by the RTL's split into a
    /// part per page: a page fault of either part before an access fault (PMP, then no
    /// memory), tval the virtual address of the part that faulted; the reference
    /// takes that trap. Any other trap, or none where one is required, is a difference.
    MisalignedAccess,
    /// A CSR access to a CSR rv64emu does not implement (menvcfg, senvcfg,
    /// mcountinhibit, the hpm counters and selectors): the harness models it from the
    /// spec ([`super::extra_csrs`]) and the reference skips the instruction with the
    /// modelled value in rd; counters read the RTL's value.
    ExtraCsr,
    /// A Zicbom/Zicboz cache-block operation, which rv64emu does not decode: the
    /// harness decides its outcome (after a fetch fault: an illegal instruction, tval
    /// the instruction bits, by the envcfg enables it models; a store page or access
    /// fault, tval rs1, by its translation and PMP of the block; or none) and the
    /// reference takes that trap or skips it (cbo.zero: writes the 64 zero bytes at
    /// their physical addresses in the reference's memory). The RTL's cause and tval
    /// are compared with it.
    CacheBlockOp,
    /// An interrupt the RTL takes: the reference never takes interrupts by itself
    /// (its interrupt sources are not the RTL's). The harness checks that the RTL's
    /// interrupt is the one the spec says is taken, from the mip the RTL reports and
    /// the reference's mie, mideleg, mstatus and privilege, then performs the trap
    /// entry on the reference ([`super::interrupts`]).
    Interrupt,
    /// PMP, which rv64emu does not have: the harness models the PMP CSRs and checks
    /// every fetch and data access itself ([`super::pmp`]). An access fault the RTL
    /// raises for an access the model denies is taken by the reference; an access the
    /// model denies that the RTL lets through is a difference.
    Pmp,
    /// Address translation (Sv39/Sv48): rv64emu's MMU misses several of the spec's
    /// rules (the U bit for U-mode accesses, S-mode fetches from U pages, reserved and
    /// Svnapot/Svpbmt PTE bits, non-leaf A/D/U, canonical addresses, PMP on PTE reads,
    /// Svadu). The harness translates every fetch and data access with its own
    /// walker (vmem) over the reference's memory ([`super::translation`]): a page
    /// fault, or an access fault of a PTE read, that the RTL raises with the cause and
    /// tval the walker requires is taken by the reference; one the walker requires and
    /// the RTL does not raise is a difference; the physical address every RTL access
    /// used is compared with the walker's. Under Svadu, the A/D bits the walker sets
    /// are written into the reference's memory, as the RTL's walker did in its own.
    Translation,
    /// A CSR write of `satp`: a mode other than Bare, Sv39 or Sv48 leaves satp
    /// unchanged, and Bare clears the ASID and PPN; rv64emu writes ASID and PPN
    /// whatever the mode. The reference's satp becomes the legal value.
    SatpWarl,
}

/// The operation (0 inval, 1 clean, 2 flush, 4 zero) and rs1 of a CBO instruction.
pub fn cache_block_op(insn: u32) -> Option<(u32, usize)> {
    let op = insn >> 20;
    let is_cbo = insn & 0x7f == 0x0f && (insn >> 12) & 7 == 2 && (insn >> 7) & 31 == 0;
    (is_cbo && matches!(op, 0 | 1 | 2 | 4)).then_some((op, ((insn >> 15) & 31) as usize))
}

/// The bits this hart lets software set in each CSR whose legal values depend on the
/// implemented features: medeleg (exceptions S can take: not ecall from M, nor
/// reserved causes), mideleg (SSIP, STIP, SEIP), mie (S and M software, timer and
/// external interrupts), and the 32-bit mcounteren/scounteren.
pub const CSR_MIDELEG: u16 = 0x303;
pub const CSR_MIE: u16 = 0x304;
pub const CSR_MIP: u16 = 0x344;
pub const CSR_MCOUNTEREN: u16 = 0x306;
pub const CSR_SCOUNTEREN: u16 = 0x106;
/// The S-mode views (sie, sip) and the M-mode CSRs they show (mie, mip).
pub const S_VIEWS: [(u16, u16); 2] = [(0x104, 0x304), (0x144, 0x344)];

pub const WARL_MASKS: [(u16, u64); 5] = [
    (0x302, 0xb3ff),
    (0x303, 0x222),
    (0x304, 0xaaa),
    (0x306, 0xffff_ffff),
    (0x106, 0xffff_ffff),
];

impl SyncRule {
    pub const ALL: [SyncRule; 21] = [
        SyncRule::TimerCsrRead,
        SyncRule::HtifHostWrite,
        SyncRule::DeviceLoad,
        SyncRule::MstatusWarl,
        SyncRule::MisaExtensions,
        SyncRule::ScMisalignedTrap,
        SyncRule::EpcAlignment,
        SyncRule::MinstretWrite,
        SyncRule::IllegalInsnTval,
        SyncRule::ReadOnlyCsrWrite,
        SyncRule::PrivilegedInsnTrap,
        SyncRule::SstatusView,
        SyncRule::CsrWarl,
        SyncRule::ScReservation,
        SyncRule::MisalignedAccess,
        SyncRule::ExtraCsr,
        SyncRule::CacheBlockOp,
        SyncRule::Interrupt,
        SyncRule::Pmp,
        SyncRule::Translation,
        SyncRule::SatpWarl,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SyncRule::TimerCsrRead => "timer-csr-read",
            SyncRule::HtifHostWrite => "htif-host-write",
            SyncRule::DeviceLoad => "device-load",
            SyncRule::MstatusWarl => "mstatus-warl",
            SyncRule::MisaExtensions => "misa-extensions",
            SyncRule::ScMisalignedTrap => "sc-misaligned-trap",
            SyncRule::EpcAlignment => "epc-alignment",
            SyncRule::MinstretWrite => "minstret-write",
            SyncRule::IllegalInsnTval => "illegal-insn-tval",
            SyncRule::ReadOnlyCsrWrite => "read-only-csr-write",
            SyncRule::PrivilegedInsnTrap => "privileged-insn-trap",
            SyncRule::SstatusView => "sstatus-view",
            SyncRule::CsrWarl => "csr-warl",
            SyncRule::ScReservation => "sc-reservation",
            SyncRule::MisalignedAccess => "misaligned-access",
            SyncRule::ExtraCsr => "extra-csr",
            SyncRule::CacheBlockOp => "cache-block-op",
            SyncRule::Interrupt => "interrupt",
            SyncRule::Pmp => "pmp",
            SyncRule::Translation => "translation",
            SyncRule::SatpWarl => "satp-warl",
        }
    }
}

pub const CSR_MSTATUS: u16 = 0x300;
const CSR_MISA: u32 = 0x301;
pub const CSR_MEPC: u16 = 0x341;
pub const CSR_SEPC: u16 = 0x141;
pub const CSR_MINSTRET: u16 = 0xB02;
pub const CSR_MCOUNTINHIBIT: u16 = 0x320;
pub const CSR_MTVAL: u16 = 0x343;
pub const CSR_STVAL: u16 = 0x143;
pub const CSR_SATP: u16 = 0x180;
/// The mstatus fields both the RTL and the reference implement with the same legal
/// values: SIE, MIE, SPIE, MPIE, SPP, MPP, MPRV, SUM, MXR, TVM, TW, TSR.
pub const MSTATUS_COMPARED: u64 = (1 << 1)
    | (1 << 3)
    | (1 << 5)
    | (1 << 7)
    | (1 << 8)
    | (3 << 11)
    | (1 << 17)
    | (1 << 18)
    | (1 << 19)
    | (1 << 20)
    | (1 << 21)
    | (1 << 22);
/// The fields of sstatus compared on a read of it: SIE, SPIE, SPP, SUM, MXR.
pub const SSTATUS_COMPARED: u64 = (1 << 1) | (1 << 5) | (1 << 8) | (1 << 18) | (1 << 19);
pub const CSR_SSTATUS: u16 = 0x100;

const CSR_CYCLE: u32 = 0xC00;
const CSR_TIME: u32 = 0xC01;
const CSR_MCYCLE: u32 = 0xB00;

/// True for a Zicsr instruction (32-bit) that reads a time-counting CSR into rd.
pub fn reads_timer_csr(insn: u32) -> bool {
    reads_csr(insn, |csr| matches!(csr, CSR_CYCLE | CSR_TIME | CSR_MCYCLE))
}

/// True for a Zicsr instruction that reads `misa` into rd.
pub fn reads_misa(insn: u32) -> bool {
    reads_csr(insn, |csr| csr == CSR_MISA)
}

/// True for a Zicsr instruction that reads `mstatus` into rd.
pub fn reads_mstatus(insn: u32) -> bool {
    reads_csr(insn, |csr| csr == u32::from(CSR_MSTATUS))
}

/// True for a Zicsr instruction that reads `sstatus` into rd.
pub fn reads_sstatus(insn: u32) -> bool {
    reads_csr(insn, |csr| csr == u32::from(CSR_SSTATUS))
}

/// For a CSR read of mstatus or sstatus: the fields compared in the value read, and
/// the rule that syncs the rest.
pub fn status_read(insn: u32) -> Option<(u64, SyncRule)> {
    if reads_mstatus(insn) {
        Some((MSTATUS_COMPARED, SyncRule::MstatusWarl))
    } else if reads_sstatus(insn) {
        Some((SSTATUS_COMPARED, SyncRule::SstatusView))
    } else {
        None
    }
}

/// True for any Zicsr instruction naming `csr` (it may write it).
pub fn accesses_csr(insn: u32, csr: u16) -> bool {
    reads_csr(insn, |c| c == u32::from(csr))
}

fn reads_csr(insn: u32, which: impl Fn(u32) -> bool) -> bool {
    let is_system = insn & 0x7f == 0x73;
    let funct3 = (insn >> 12) & 7;
    is_system && funct3 != 0 && funct3 != 4 && which(insn >> 20)
}

/// The value a Zicsr instruction writes to its CSR, or `None` when it does not write
/// (CSRRS/CSRRC with x0 or a zero immediate). `old` is the CSR's value before, `rs1`
/// the value of its rs1 register.
pub fn csr_written_value(insn: u32, old: u64, rs1: u64) -> Option<u64> {
    let field = u64::from((insn >> 15) & 31);
    let (operand, set_or_clear) = match (insn >> 12) & 7 {
        1 => return Some(rs1),
        5 => return Some(field),
        2 => (rs1, Some(true)),
        3 => (rs1, Some(false)),
        6 => (field, Some(true)),
        7 => (field, Some(false)),
        _ => return None,
    };
    if field == 0 {
        return None;
    }
    match set_or_clear {
        Some(true) => Some(old | operand),
        _ => Some(old & !operand),
    }
}

/// True for a Zicsr instruction that writes a CSR whose address marks it read-only.
pub fn writes_read_only_csr(insn: u32) -> bool {
    let csr = insn >> 20;
    reads_csr(insn, |_| true) && csr >> 10 == 3 && csr_written_value(insn, 0, 1).is_some()
}

/// True when the spec requires an illegal-instruction trap for a privileged
/// instruction (or satp access) executed in `mode` (0 U, 1 S, 3 M) under `mstatus`.
pub fn privileged_insn_must_trap(insn: u32, mode: u8, mstatus: u64) -> bool {
    const TVM: u64 = 1 << 20;
    const TW: u64 = 1 << 21;
    const TSR: u64 = 1 << 22;
    let in_s_with = |bit: u64| mode == 1 && mstatus & bit != 0;
    match insn {
        0x3020_0073 => mode != 3,                   // mret
        0x1020_0073 => mode == 0 || in_s_with(TSR), // sret
        0x1050_0073 => mode == 0 || in_s_with(TW),  // wfi
        _ if insn & 0xfe00_7fff == 0x1200_0073 => mode == 0 || in_s_with(TVM), // sfence.vma
        _ if accesses_csr(insn, CSR_SATP) => in_s_with(TVM),
        _ => false,
    }
}

/// True when the CSR instruction `insn` names a CSR of a higher privilege than `mode`
/// (address bits 9:8), which the spec makes an illegal instruction.
pub fn csr_privilege_too_low(insn: u32, mode: u8) -> bool {
    reads_csr(insn, |csr| (csr >> 8) & 3 > u32::from(mode))
}

/// True when the spec requires an illegal-instruction trap of `insn` in `mode`, by
/// the rules the harness checks itself: privileged instructions and satp (TW, TSR,
/// TVM), a CSR above the privilege, a write to a read-only CSR, a counter that
/// mcounteren/scounteren do not enable.
pub fn spec_requires_illegal(
    insn: u32,
    mode: u8,
    mstatus: u64,
    mcounteren: u64,
    scounteren: u64,
) -> bool {
    privileged_insn_must_trap(insn, mode, mstatus)
        || csr_privilege_too_low(insn, mode)
        || writes_read_only_csr(insn)
        || counter_read_must_trap(insn, mode, mcounteren, scounteren)
}

/// True when reading user counter CSR `0xC00 + n` in `mode` must trap because
/// mcounteren (below M) or scounteren (in U) has bit n clear.
pub fn counter_read_must_trap(insn: u32, mode: u8, mcounteren: u64, scounteren: u64) -> bool {
    let csr = insn >> 20;
    if !reads_csr(insn, |_| true) || !(0xC00..0xC20).contains(&csr) {
        return false;
    }
    let bit = 1u64 << (csr - 0xC00);
    (mode != 3 && mcounteren & bit == 0) || (mode == 0 && scounteren & bit == 0)
}

/// The bytes an LR, SC or AMO accesses: 8 for the .D forms, 4 for .W.
pub fn amo_size(insn: u32) -> u64 {
    if (insn >> 12) & 7 == 3 {
        8
    } else {
        4
    }
}

/// True for an SC whose address (the reference's rs1) is not naturally aligned.
pub fn sc_is_misaligned(insn: u32, addr: u64) -> bool {
    is_sc(insn) && !addr.is_multiple_of(amo_size(insn))
}

/// mstatus.MPP after a CSR write of `value` over `old`: a WARL field whose legal
/// values are U, S and M; the reserved 2 keeps the old value (as the RTL does).
pub fn legal_mpp(value: u64, old: u64) -> u64 {
    match (value >> 11) & 3 {
        2 => (old >> 11) & 3,
        mpp => mpp,
    }
}

/// True for LR.W / LR.D.
pub fn is_lr(insn: u32) -> bool {
    insn & 0x7f == 0x2f && (insn >> 27) == 0b00010
}

/// True for MRET / SRET.
pub fn is_xret(insn: u32) -> bool {
    insn == 0x3020_0073 || insn == 0x1020_0073
}

/// True for SC.W / SC.D.
pub fn is_sc(insn: u32) -> bool {
    insn & 0x7f == 0x2f && (insn >> 27) == 0b00011
}

/// True when a physical address is a device register rather than memory.
pub fn is_device(addr: u64) -> bool {
    (SIMCTRL_BASE..SIMCTRL_BASE + SIMCTRL_SIZE).contains(&addr)
        || (CLINT_BASE..CLINT_BASE + CLINT_SIZE).contains(&addr)
}

/// True for a Zicsr instruction that reads mip or sip into rd.
pub fn reads_ip(insn: u32) -> bool {
    reads_csr(insn, |csr| csr == 0x344 || csr == 0x144)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timer_csr_reads_are_recognised() {
        assert!(reads_timer_csr(0xc0002573)); // csrr a0, cycle
        assert!(reads_timer_csr(0xb0002573)); // csrr a0, mcycle
        assert!(reads_timer_csr(0xc0102573)); // csrr a0, time
        assert!(!reads_timer_csr(0xc0202573)); // csrr a0, instret: counts instructions
        assert!(!reads_timer_csr(0x34002573)); // csrr a0, mscratch
        assert!(!reads_timer_csr(0xc0000513)); // addi a0, x0, -1024: not SYSTEM
    }

    #[test]
    fn misa_reads_and_sc_are_recognised() {
        assert!(reads_misa(0x30102773)); // csrr a4, misa
        assert!(!reads_misa(0x30002773)); // csrr a4, mstatus
        assert!(is_sc(0x18c5a72f)); // sc.w a4, a2, (a1)
        assert!(is_sc(0x18c5b72f)); // sc.d
        assert!(!is_sc(0x1005a72f)); // lr.w
        assert!(!is_sc(0x08c5a72f)); // amoswap.w
    }

    #[test]
    fn csr_written_values_follow_the_six_instructions() {
        // csrrw a0, minstret, a1 / csrrs / csrrc / csrrwi 5 / csrrsi 5 / csrrci 5
        assert_eq!(csr_written_value(0xb025_9573, 0xf0, 0x0f), Some(0x0f));
        assert_eq!(csr_written_value(0xb025_a573, 0xf0, 0x0f), Some(0xff));
        assert_eq!(csr_written_value(0xb025_b573, 0xff, 0x0f), Some(0xf0));
        assert_eq!(csr_written_value(0xb022_d573, 0xf0, 0), Some(5));
        assert_eq!(csr_written_value(0xb022_e573, 0xf0, 0), Some(0xf5));
        assert_eq!(csr_written_value(0xb022_f573, 0xf7, 0), Some(0xf2));
        // csrrs a0, minstret, x0 reads without writing
        assert_eq!(csr_written_value(0xb020_2573, 0xf0, 0), None);
    }

    #[test]
    fn read_only_csr_writes_are_recognised() {
        assert!(writes_read_only_csr(0xc020f773)); // csrrci a4, instret, 1
        assert!(writes_read_only_csr(0xf1459073)); // csrw mhartid, a1
        assert!(!writes_read_only_csr(0xc0202773)); // csrr a4, instret
        assert!(!writes_read_only_csr(0x34059073)); // csrw mscratch, a1
    }

    #[test]
    fn privileged_instructions_trap_exactly_where_the_spec_says() {
        let (mret, sret, wfi, sfence) = (0x3020_0073, 0x1020_0073, 0x1050_0073, 0x1200_0073);
        let csrr_satp = 0x1800_2773;
        assert!(privileged_insn_must_trap(mret, 1, 0) && !privileged_insn_must_trap(mret, 3, 0));
        assert!(privileged_insn_must_trap(sret, 0, 0) && !privileged_insn_must_trap(sret, 1, 0));
        assert!(
            privileged_insn_must_trap(sret, 1, 1 << 22)
                && !privileged_insn_must_trap(sret, 3, 1 << 22)
        );
        assert!(privileged_insn_must_trap(wfi, 0, 0) && privileged_insn_must_trap(wfi, 1, 1 << 21));
        assert!(!privileged_insn_must_trap(wfi, 1, 0));
        assert!(
            privileged_insn_must_trap(sfence, 1, 1 << 20)
                && !privileged_insn_must_trap(sfence, 1, 0)
        );
        assert!(
            privileged_insn_must_trap(csrr_satp, 1, 1 << 20)
                && !privileged_insn_must_trap(csrr_satp, 3, 1 << 20)
        );
        assert!(!privileged_insn_must_trap(0x0000_0013, 0, u64::MAX)); // nop
    }

    #[test]
    fn counter_reads_trap_unless_enabled() {
        let csrr_cycle = 0xc000_2773;
        assert!(counter_read_must_trap(csrr_cycle, 1, 0, 0));
        assert!(!counter_read_must_trap(csrr_cycle, 1, 1, 0));
        assert!(counter_read_must_trap(csrr_cycle, 0, 1, 0));
        assert!(!counter_read_must_trap(csrr_cycle, 0, 1, 1));
        assert!(!counter_read_must_trap(csrr_cycle, 3, 0, 0));
        assert!(!counter_read_must_trap(0x3400_2773, 0, 0, 0)); // mscratch: not a counter
    }

    #[test]
    fn misaligned_sc_is_recognised() {
        assert!(sc_is_misaligned(0x18c5a72f, 0x8000_0002)); // sc.w
        assert!(!sc_is_misaligned(0x18c5a72f, 0x8000_0004));
        assert!(sc_is_misaligned(0x18c5b72f, 0x8000_0004)); // sc.d
    }

    #[test]
    fn only_device_addresses_are_devices() {
        assert!(is_device(SIMCTRL_BASE));
        assert!(is_device(crate::devices::CLINT_MTIME));
        assert!(!is_device(0x8000_0000));
    }
}
