//! Steps the reference once per retired RTL instruction and compares.

use super::access::Access;
use super::bus_writes::BusWrites;
use super::clint_model::{ClintModel, CLINT_BITS};
use super::divergence::{Divergence, Mismatch};
use super::extra_csrs::{extra_csr, ExtraCsr, ExtraCsrFile, MENVCFG, MENVCFG_ADUE};
use super::interrupts::{self, expected_interrupt};
use super::pmp::{self, Pmp};
use super::reference::{RefStep, ReferenceModel};
use super::rules::*;
use super::translation::{self, Check, Context, DataAccess, DataKind, Trap};
use crate::memory::SystemBus;
use crate::model::RetirePort;
use std::collections::VecDeque;
use vmem::walk::Access as WalkAccess;

/// Reference state read before an instruction, for the sync rules that need it.
#[derive(Clone, Copy)]
struct Before {
    instret: u64,
    /// The RTL's rs1 value (the instruction may overwrite it).
    rs1: u64,
    /// mie and mip, which sie/sip writes may only partly change.
    s_view: [u64; 2],
    satp: u64,
    mstatus: u64,
}

/// How many retired instructions a divergence report shows.
const HISTORY: usize = 32;

/// How many instructions may retire while an interrupt is pending and enabled before
/// the RTL must take it. The spec only asks for "eventually"; this core samples mip as
/// an instruction leaves the memory stage and takes the interrupt at the next
/// boundary, so instructions already past that point still retire (two at most in
/// random programs with a timer interrupt every 700 cycles: a WFI the interrupt
/// wakes, and the one before it); one more for margin.
pub const INTERRUPT_LATENCY: u32 = 3;

pub struct Lockstep {
    reference: Box<dyn ReferenceModel>,
    /// The RTL's integer registers, rebuilt from its retire port.
    rtl_regs: [u64; 32],
    history: VecDeque<(u64, RetirePort)>,
    rule_counts: [u64; SyncRule::ALL.len()],
    checked: u64,
    /// Host writes to the HTIF mailboxes (address, word) the RTL has not loaded yet:
    /// the host clearing `tohost` and answering through `fromhost`.
    host_writes: Vec<(u64, u64)>,
    /// The reservation an SC may succeed on (see [`SyncRule::ScReservation`]): the
    /// physical address and size of the last LR, until an SC, a trap or an xRET.
    reservation: Option<(u64, u64)>,
    /// CSRs the reference lacks, modelled here.
    extra_csrs: ExtraCsrFile,
    /// mcountinhibit.IR as the instruction being checked found it.
    ir_inhibited: bool,
    /// PMP, modelled here: the reference has none.
    pmp: Pmp,
    /// The translation or PMP fault the instruction being checked must raise, if any.
    required_fault: Option<(Trap, Option<SyncRule>)>,
    /// The physical address its data access must use, when it has one and may proceed,
    /// and the leaf PTE that translates it.
    data_paddr: Option<u64>,
    data_pte: Option<u64>,
    /// The physical address of each of its bytes (from its virtual address
    /// `data_vaddr`), translated before it ran: a store may rewrite its own mapping.
    data_bytes: Vec<u64>,
    data_vaddr: u64,
    /// The physical address of its first instruction parcel, when its fetch succeeds.
    pc_paddr: Option<u64>,
    /// The translation state before the instruction being checked.
    context_before: Context,
    /// The instruction bits at the reference's PC, fetched by the harness.
    fetched: Option<u32>,
    /// The CLINT's interrupt lines as the harness predicts them.
    clint: ClintModel,
    /// Instructions retired in a row while an interrupt was pending and enabled.
    interrupt_ignored: u32,
    /// The data port's write beats, matched with the stores.
    bus_writes: BusWrites,
    /// The data access goes through a 512 GiB page, which rv64emu cannot translate.
    data_on_512g: bool,
}

impl Lockstep {
    pub fn new(reference: Box<dyn ReferenceModel>) -> Self {
        Self {
            reference,
            rtl_regs: [0; 32],
            history: VecDeque::with_capacity(HISTORY + 1),
            rule_counts: [0; SyncRule::ALL.len()],
            checked: 0,
            host_writes: Vec::new(),
            reservation: None,
            extra_csrs: ExtraCsrFile::default(),
            ir_inhibited: false,
            pmp: Pmp::default(),
            required_fault: None,
            data_paddr: None,
            data_pte: None,
            data_bytes: Vec::new(),
            data_vaddr: 0,
            pc_paddr: None,
            fetched: None,
            clint: ClintModel::default(),
            interrupt_ignored: 0,
            bus_writes: BusWrites::default(),
            data_on_512g: false,
            context_before: Context {
                satp: 0,
                mstatus: 0,
                mode: 3,
                adue: false,
            },
        }
    }

    /// The reference's name.
    pub fn reference_name(&self) -> &'static str {
        self.reference.name()
    }

    /// Writes into the reference's memory before the run starts (the harness wrote
    /// the same bytes into the RTL's).
    pub fn write_reference_memory(&mut self, addr: u64, bytes: &[u8]) {
        self.reference.write_mem(addr, bytes);
    }

    /// The host wrote the word `value` at `addr` (an HTIF mailbox: `tohost` cleared
    /// once a command is taken, `fromhost` answered). The write lands when the RTL's
    /// store beat reaches memory, not when the store retires, so the reference is given
    /// the word when the RTL first loads exactly those bytes (sync rule
    /// `htif-host-write`).
    pub fn host_wrote(&mut self, addr: u64, value: u64) {
        self.bus_writes.host_wrote(addr);
        self.host_writes.retain(|(a, _)| *a != addr);
        self.host_writes.push((addr, value));
    }

    /// True when the load `r` read a pending host write: the reference's memory gets
    /// that word (the reference loaded the word as it was before).
    fn takes_host_write(&mut self, r: &RetirePort) -> bool {
        let len = u64::from(r.mem_rmask.count_ones());
        let loaded = r.mem_rdata.to_le_bytes();
        let Some(i) = self.host_writes.iter().position(|&(addr, value)| {
            let bytes = value.to_le_bytes();
            let off = r.mem_paddr.wrapping_sub(addr) as usize;
            r.mem_paddr >= addr
                && r.mem_paddr + len <= addr + 8
                && (0..len as usize).all(|k| loaded[k] == bytes[off + k])
        }) else {
            return false;
        };
        let (addr, value) = self.host_writes.remove(i);
        self.reference.write_mem(addr, &value.to_le_bytes());
        true
    }

    /// The write beats the AXI slave took this cycle (the simulation calls this
    /// before the cycle's retired instruction is checked).
    pub fn take_bus_writes(&mut self, slave: &mut crate::axi::AxiSlave) {
        self.bus_writes.take(slave);
    }

    /// At the end of a run that exited: every data-port beat explained by a store
    /// (but the exit's own), and the memory the RTL wrote equal to the reference's.
    pub fn final_check(&mut self, cycle: u64, bus: &SystemBus) -> Result<(), Box<Divergence>> {
        self.bus_writes.exited();
        let Some(mismatch) = self.bus_writes.final_check(&mut *self.reference, bus) else {
            return Ok(());
        };
        let last = self
            .history
            .back()
            .map_or_else(RetirePort::default, |(_, r)| *r);
        Err(self.divergence(cycle, &last, vec![mismatch]))
    }

    /// The PMP state as the checked instructions left it (the harness's model).
    pub fn pmp(&self) -> &Pmp {
        &self.pmp
    }

    /// Instructions checked so far.
    pub fn checked(&self) -> u64 {
        self.checked
    }

    /// How often each sync rule was applied.
    pub fn rule_counts(&self) -> Vec<(SyncRule, u64)> {
        SyncRule::ALL
            .iter()
            .copied()
            .zip(self.rule_counts.iter().copied())
            .collect()
    }

    fn apply(&mut self, rule: SyncRule) {
        self.rule_counts[rule as usize] += 1;
    }

    /// Checks one retired instruction. The RTL side's memory (`_bus`) is not read: what
    /// the RTL stored is checked on the bus and at the end of the run.
    pub fn check(
        &mut self,
        cycle: u64,
        r: &RetirePort,
        _bus: &SystemBus,
    ) -> Result<(), Box<Divergence>> {
        // The privilege each instruction runs in follows from the last one's: the
        // RTL's must be the reference's.
        if r.mode != self.reference.privilege() {
            let name = |m: u8| match m {
                0 => "U".to_string(),
                1 => "S".to_string(),
                3 => "M".to_string(),
                m => format!("{m} (reserved)"),
            };
            return Err(self.divergence(
                cycle,
                r,
                vec![Mismatch {
                    what: "privilege".into(),
                    rtl: name(r.mode),
                    reference: name(self.reference.privilege()),
                }],
            ));
        }
        if let Some(divergence) = self.check_interrupt_lines(cycle, r) {
            return Err(divergence);
        }
        self.ir_inhibited = self.extra_csrs.read(CSR_MCOUNTINHIBIT) & 4 != 0;
        self.context_before = self.translation_context();
        self.required_fault = if r.trap_interrupt {
            self.data_paddr = None;
            self.data_bytes.clear();
            None
        } else {
            self.required_fault_of(r)
        };
        let ctx = self.context_before;
        let pc = self.reference.pc();
        self.fetched = translation::fetch_bits(&mut *self.reference, &self.pmp, &ctx, pc);
        let instret_before = self.reference.csr(CSR_MINSTRET);
        let s_view_before = S_VIEWS.map(|(_, m_csr)| self.reference.csr(m_csr));
        let rs1_before = self.rtl_regs[((r.insn >> 15) & 31) as usize];
        let before = Before {
            instret: instret_before,
            rs1: rs1_before,
            s_view: s_view_before,
            satp: self.reference.csr(CSR_SATP),
            mstatus: self.reference.csr(CSR_MSTATUS),
        };
        // Traps the spec requires and the reference does not raise: when the harness
        // confirms the RTL's trap is required, the reference takes it instead.
        let prev_mstatus = self.reference.csr(CSR_MSTATUS);
        // Whether the spec makes this instruction illegal here (the privilege was
        // compared above, so r.mode is the reference's).
        let spec_illegal = spec_requires_illegal(
            r.insn,
            r.mode,
            prev_mstatus,
            self.reference.csr(CSR_MCOUNTEREN),
            self.reference.csr(CSR_SCOUNTEREN),
        );
        let required = if !r.trap {
            None
        } else if let Some(((_, _), Some(rule))) = self
            .required_fault
            .filter(|&((cause, tval), _)| cause == r.trap_cause && tval == r.trap_tval)
        {
            Some(rule)
        } else if r.trap_cause == 6
            && sc_is_misaligned(r.insn, self.reference.reg(((r.insn >> 15) & 31) as usize))
            && r.trap_tval == self.reference.reg(((r.insn >> 15) & 31) as usize)
        {
            // Misaligned by the reference's own rs1, with that address in tval.
            Some(SyncRule::ScMisalignedTrap)
        } else if r.trap_cause == 2 && writes_read_only_csr(r.insn) {
            Some(SyncRule::ReadOnlyCsrWrite)
        } else if r.trap_cause == 2 && spec_illegal {
            Some(SyncRule::PrivilegedInsnTrap)
        } else {
            None
        };
        // The spec requires this trap whatever the reference does: its absence is a
        // difference.
        if !r.trap && spec_illegal {
            return Err(self.divergence(
                cycle,
                r,
                vec![Mismatch {
                    what: "trap".into(),
                    rtl: "none".into(),
                    reference: "illegal instruction: the spec requires it (privilege, TW/TSR/TVM, read-only CSR or counteren)".into(),
                }],
            ));
        }
        // And a trap the spec forbids: an illegal-instruction trap on an access to a
        // CSR the harness models (rv64emu lacks it, so it would trap as well) that the
        // spec allows in this privilege.
        let csr = (r.insn >> 20) as u16;
        let modelled =
            extra_csr(csr).is_some() || (Pmp::is_pmp_csr(csr) && self.pmp.read(csr).is_some());
        if r.trap
            && !r.trap_interrupt
            && r.trap_cause == 2
            && r.insn & 0x7f == 0x73
            && (r.insn >> 12) & 3 != 0
            && modelled
            && !spec_illegal
        {
            return Err(self.divergence(
                cycle,
                r,
                vec![Mismatch {
                    what: "trap".into(),
                    rtl: "illegal instruction".into(),
                    reference: format!("none: the spec allows this access to CSR {csr:#x}"),
                }],
            ));
        }
        // A misaligned load or store, by the reference's own registers.
        let misaligned = super::access::decode(r.insn).and_then(|a| {
            let addr = self.reference.reg(a.rs1).wrapping_add(a.offset as u64);
            (addr % a.size != 0).then_some((a, addr))
        });
        if r.trap && r.trap_interrupt && self.reference.pc() == r.pc_rdata {
            let expected = expected_interrupt(
                r.csr_mip,
                self.reference.csr(CSR_MIE),
                self.reference.csr(CSR_MIDELEG),
                self.reference.csr(CSR_MSTATUS),
                self.reference.privilege(),
            );
            let code = r.trap_cause;
            let to_s = expected.is_some_and(|(_, s)| s);
            let pc = self.reference.pc();
            let handler = interrupts::enter(&mut *self.reference, pc, code, to_s);
            let step = RefStep {
                pc,
                insn: Some(r.insn),
                next_pc: handler,
                trap: Some((u64::from(code), 0)),
            };
            self.apply(SyncRule::Interrupt);
            let result = self.compare(cycle, r, step, before);
            if expected.map(|(c, _)| c) != Some(code) {
                return Err(self.add_mismatch(
                    result,
                    cycle,
                    r,
                    Mismatch {
                        what: "interrupt".into(),
                        rtl: format!("code {code}"),
                        reference: format!(
                            "{expected:?} (mip {:#x} as the RTL reports it)",
                            r.csr_mip
                        ),
                    },
                ));
            }
            return result;
        }
        if let Some((op, rs1)) =
            cache_block_op(r.insn).filter(|_| self.reference.pc() == r.pc_rdata)
        {
            return self.cache_block_op(cycle, r, before, op, rs1);
        }
        if is_sc(r.insn)
            && !r.trap
            && self.required_fault.is_none()
            && self.reference.pc() == r.pc_rdata
        {
            return self.store_conditional(cycle, r, before);
        }
        if let Some(step) = self.extra_csr_access(r) {
            self.apply(SyncRule::ExtraCsr);
            return self.compare(cycle, r, step, before);
        }
        if let Some(step) = self.unsupported_satp_write(r, before.satp) {
            self.apply(SyncRule::SatpWarl);
            return self.compare(cycle, r, step, before);
        }
        // The reference traps on every misaligned load or store: the harness performs
        // it, or the reference takes the fault the harness's translation, PMP and memory
        // require, whatever the RTL did.
        if let Some((access, addr)) = misaligned.filter(|_| self.reference.pc() == r.pc_rdata) {
            // A bus error in the second part of a store (no memory there, which only
            // the bus can tell): the first part, before tval, was written.
            let mut written_part = None;
            let step = match self.required_fault {
                Some(((cause, tval), rule)) => {
                    if access.store && rule.is_none() && cause == 7 && tval > addr {
                        written_part = Some(tval - addr);
                    }
                    self.reference.trap_instead(cause, tval, self.fetched)
                }
                None => self.perform_access(access, addr),
            };
            self.apply(SyncRule::MisalignedAccess);
            let mut result = self.compare(cycle, r, step, before);
            if let Some(len) = written_part {
                let value = self.reference.reg(access.reg);
                let bytes: Vec<(u64, u8)> = (self.bytes_of(addr, len, true).into_iter())
                    .enumerate()
                    .map(|(i, pa)| (pa, (value >> (8 * i)) as u8))
                    .collect();
                for &(pa, byte) in &bytes {
                    self.reference.write_mem(pa, &[byte]);
                }
                if let Some(m) = self.bus_writes.expect(&bytes) {
                    result = Err(self.add_mismatch(result, cycle, r, m));
                }
            }
            return result;
        }
        // rv64emu has no 512 GiB pages: the harness performs such a load or store.
        if let (true, false, Some(access)) =
            (self.data_on_512g, r.trap, super::access::decode(r.insn))
        {
            if self.reference.pc() == r.pc_rdata {
                let addr = self
                    .reference
                    .reg(access.rs1)
                    .wrapping_add(access.offset as u64);
                let step = self.perform_access(access, addr);
                self.apply(SyncRule::Translation);
                return self.compare(cycle, r, step, before);
            }
        }
        let reference = &mut self.reference;
        let fetched = self.fetched;
        let fallback = self.required_fault.map(|(trap, _)| trap);
        let stepped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            match (required, fetched, fallback) {
                (Some(_), _, _) if reference.pc() == r.pc_rdata => {
                    reference.trap_instead(r.trap_cause, r.trap_tval, fetched)
                }
                (_, Some(insn), _) => reference.step(insn),
                // Nothing to fetch: the fault the harness found (a difference if the RTL
                // did not take it).
                (_, None, Some((cause, tval))) => reference.trap_instead(cause, tval, None),
                (_, None, None) => reference.trap_instead(1, r.pc_rdata, None),
            }
        }));
        let step = match stepped {
            Ok(step) => step,
            // A reference that panics cannot be trusted further: report where, as a
            // divergence, rather than with a backtrace.
            Err(payload) => return Err(self.reference_failed(cycle, r, panic_message(&*payload))),
        };
        if let Some(rule) = required.filter(|_| step.trap.is_some() && step.pc == r.pc_rdata) {
            self.apply(rule);
        }
        self.compare(cycle, r, step, before)
    }

    /// Everything after the reference has stepped: sync rules, then the comparison.
    fn compare(
        &mut self,
        cycle: u64,
        r: &RetirePort,
        mut step: RefStep,
        before: Before,
    ) -> Result<(), Box<Divergence>> {
        let Before {
            instret: instret_before,
            rs1: rs1_before,
            s_view: s_view_before,
            satp: satp_before,
            mstatus: mstatus_before,
        } = before;
        if let Some((2, 0)) = step.trap {
            if r.trap
                && r.trap_cause == 2
                && r.trap_tval == u64::from(r.insn)
                && r.insn & 0x7f == 0x73
            {
                // The trap went to S when the reference now runs in S.
                let tval_csr = if self.reference.privilege() == 1 {
                    CSR_STVAL
                } else {
                    CSR_MTVAL
                };
                self.reference.set_csr(tval_csr, r.trap_tval);
                step.trap = Some((2, r.trap_tval));
                self.apply(SyncRule::IllegalInsnTval);
            }
        }
        let mut mismatches = Vec::new();
        let mut differ = |what: &str, rtl: String, reference: String| {
            mismatches.push(Mismatch {
                what: what.to_string(),
                rtl,
                reference,
            })
        };

        if step.pc != r.pc_rdata {
            differ("pc", hex(r.pc_rdata), hex(step.pc));
        } else {
            // A fetch fault leaves the instruction bits undefined.
            let fetch_fault = r.trap && matches!(r.trap_cause, 1 | 12);
            if let Some(insn) = step.insn.filter(|_| !fetch_fault) {
                if insn != r.insn {
                    differ("insn", format!("{:#010x}", r.insn), format!("{insn:#010x}"));
                }
            }
            match (r.trap, step.trap) {
                (false, None) => {}
                (true, Some((cause, tval))) => {
                    if u64::from(r.trap_cause) != cause {
                        differ("trap cause", r.trap_cause.to_string(), cause.to_string());
                    }
                    if r.trap_tval != tval {
                        differ("trap tval", hex(r.trap_tval), hex(tval));
                    }
                }
                (true, None) => differ("trap", format!("cause {}", r.trap_cause), "none".into()),
                (false, Some((cause, _))) => {
                    differ("trap", "none".into(), format!("cause {cause}"))
                }
            }
            if step.next_pc != r.pc_wdata {
                differ("next pc", hex(r.pc_wdata), hex(step.next_pc));
            }
            let accessed = r.mem_rmask | r.mem_wmask != 0;
            if let (false, true, Some(pa)) = (r.trap, accessed, self.data_paddr) {
                if r.mem_paddr != pa {
                    differ("physical address", hex(r.mem_paddr), hex(pa));
                }
                if let Some(pte) = self.data_pte.filter(|&pte| pte != r.mem_pte) {
                    differ("leaf PTE", hex(r.mem_pte), hex(pte));
                }
            }
            if let (false, Some(pa)) = (r.trap, self.pc_paddr) {
                if r.pc_paddr != pa {
                    differ("pc physical address", hex(r.pc_paddr), hex(pa));
                }
            }
        }

        let rd = usize::from(r.rd_addr & 31);
        if !r.trap && rd != 0 {
            self.rtl_regs[rd] = r.rd_wdata;
            if reads_timer_csr(r.insn) {
                self.reference.set_reg(rd, r.rd_wdata);
                self.apply(SyncRule::TimerCsrRead);
            } else if reads_misa(r.insn) {
                self.reference.set_reg(rd, r.rd_wdata);
                self.apply(SyncRule::MisaExtensions);
            } else if r.mem_rmask != 0 && is_device(r.mem_paddr) {
                self.reference.set_reg(rd, r.rd_wdata);
                self.apply(SyncRule::DeviceLoad);
            } else if r.mem_rmask != 0 && self.takes_host_write(r) {
                self.reference.set_reg(rd, r.rd_wdata);
                self.apply(SyncRule::HtifHostWrite);
            } else if reads_ip(r.insn) && (self.reference.reg(rd) ^ r.rd_wdata) & !CLINT_BITS == 0 {
                if self.reference.reg(rd) != r.rd_wdata {
                    self.reference.set_reg(rd, r.rd_wdata);
                    self.apply(SyncRule::DeviceLoad);
                }
            } else if let Some((compared, rule)) = status_read(r.insn) {
                // Only the value of fields that legally differ is taken from the RTL.
                let value = self.reference.reg(rd);
                if (value ^ r.rd_wdata) & compared == 0 && value != r.rd_wdata {
                    self.reference.set_reg(rd, r.rd_wdata);
                    self.apply(rule);
                }
            }
        }

        let clint =
            crate::devices::CLINT_BASE..crate::devices::CLINT_BASE + crate::devices::CLINT_SIZE;
        if !r.trap && r.mem_wmask != 0 && is_device(r.mem_paddr) && !clint.contains(&r.mem_paddr) {
            // A device on the bus (SIMCTRL): its beat carries the bytes the RTL says it
            // stored (device state is not the reference's), at the right place.
            let len = u64::from(r.mem_wmask.count_ones());
            let bytes: Vec<(u64, u8)> = (0..len)
                .map(|i| (r.mem_paddr + i, (r.mem_wdata >> (8 * i)) as u8))
                .collect();
            if let Some(m) = self.bus_writes.expect(&bytes) {
                differ(&m.what, m.rtl, m.reference);
            }
        }
        if !r.trap && r.mem_wmask != 0 && !is_device(r.mem_paddr) {
            // The retire port gives the bytes stored from mem_addr upwards (RVFI), each
            // at its physical address.
            let len = u64::from(r.mem_wmask.count_ones());
            let byte_pa = self.bytes_of(r.mem_addr, len, true);
            let bytes: Option<Vec<(u64, u8)>> = byte_pa
                .iter()
                .map(|&pa| Some((pa, self.reference.read_mem(pa, 1)? as u8)))
                .collect();
            let stored = bytes.as_ref().map(|b| {
                b.iter()
                    .enumerate()
                    .fold(0u64, |v, (i, &(_, byte))| v | u64::from(byte) << (8 * i))
            });
            // What the store wrote on the bus, against the reference's bytes (cbo.zero's
            // whole block is matched where it is checked).
            let bytes = bytes.filter(|_| cache_block_op(r.insn).is_none());
            if let Some(m) = bytes.and_then(|b| self.bus_writes.expect(&b)) {
                differ(&m.what, m.rtl, m.reference);
            }
            let mask = if len == 8 {
                u64::MAX
            } else {
                (1u64 << (8 * len)) - 1
            };
            if stored != Some(r.mem_wdata & mask) {
                differ(
                    "stored bytes",
                    format!(
                        "{:#x} @ {:#x} ({len} bytes)",
                        r.mem_wdata & mask,
                        r.mem_addr
                    ),
                    stored.map_or("unreadable".to_string(), |v| format!("{v:#x}")),
                );
            }
        }

        if !r.trap && accesses_csr(r.insn, CSR_MSTATUS) {
            if let Some(value) = csr_written_value(r.insn, mstatus_before, rs1_before) {
                // rv64emu stores any MPP; the spec's WARL field keeps a legal one.
                let legal = legal_mpp(value, mstatus_before);
                let after = self.reference.csr(CSR_MSTATUS);
                if (after >> 11) & 3 != legal {
                    self.reference
                        .set_csr(CSR_MSTATUS, (after & !(3 << 11)) | legal << 11);
                    self.apply(SyncRule::MstatusWarl);
                }
            }
        }
        let ref_mstatus = self.reference.csr(CSR_MSTATUS);
        let differing = ref_mstatus ^ r.csr_mstatus;
        if differing & MSTATUS_COMPARED != 0 {
            differ("mstatus", hex(r.csr_mstatus), hex(ref_mstatus));
        } else if differing != 0 {
            self.reference.set_csr(CSR_MSTATUS, r.csr_mstatus);
            if self.reference.csr(CSR_MSTATUS) != ref_mstatus {
                self.apply(SyncRule::MstatusWarl);
            }
        }
        // mcountinhibit.IR (modelled here: the reference lacks it) stops instret; the
        // value before this instruction applies to it (a CSR write takes effect after).
        if self.ir_inhibited && self.reference.csr(CSR_MINSTRET) != instret_before {
            self.reference.set_instret(instret_before);
            self.apply(SyncRule::ExtraCsr);
        }
        if !r.trap && accesses_csr(r.insn, CSR_MINSTRET) {
            if let Some(value) = csr_written_value(r.insn, instret_before, rs1_before) {
                self.reference.set_instret(value);
                self.apply(SyncRule::MinstretWrite);
            }
        }
        if !r.trap {
            // sie/sip write only the delegated bits of mie/mip.
            let mideleg = self.reference.csr(CSR_MIDELEG);
            for ((s_csr, m_csr), before) in S_VIEWS.into_iter().zip(s_view_before) {
                if accesses_csr(r.insn, s_csr) {
                    let after = self.reference.csr(m_csr);
                    let legal = (after & mideleg) | (before & !mideleg);
                    if legal != after {
                        self.reference.set_csr(m_csr, legal);
                        self.apply(SyncRule::CsrWarl);
                    }
                }
            }
            for (csr, legal) in WARL_MASKS {
                if accesses_csr(r.insn, csr) {
                    let value = self.reference.csr(csr);
                    if value & !legal != 0 {
                        self.reference.set_csr(csr, value & legal);
                        self.apply(SyncRule::CsrWarl);
                    }
                }
            }
        }
        if !r.trap && accesses_csr(r.insn, CSR_SATP) {
            if let Some(value) = csr_written_value(r.insn, satp_before, rs1_before) {
                let legal = match value >> 60 {
                    0 => 0,
                    8 | 9 => value,
                    _ => satp_before,
                };
                if self.reference.csr(CSR_SATP) != legal {
                    self.reference.set_csr(CSR_SATP, legal);
                    self.apply(SyncRule::SatpWarl);
                }
            }
        }
        for epc_csr in [CSR_MEPC, CSR_SEPC] {
            if !r.trap && accesses_csr(r.insn, epc_csr) {
                let epc = self.reference.csr(epc_csr);
                if epc & 1 != 0 {
                    self.reference.set_csr(epc_csr, epc & !1);
                    self.apply(SyncRule::EpcAlignment);
                }
            }
        }

        // The RTL drops its reservation on every SC, trap and xRET (the spec allows
        // xRET to), and reserves exactly the bytes an LR read.
        if r.trap || is_xret(r.insn) || is_sc(r.insn) {
            self.reservation = None;
        } else if is_lr(r.insn) {
            self.reservation = self.data_paddr.map(|pa| (pa, amo_size(r.insn)));
        }

        if let (Some(((cause, tval), rule)), false) = (self.required_fault, r.trap) {
            differ(
                rule.map_or("bus", SyncRule::name),
                "access allowed".into(),
                format!("denied: cause {cause}, tval {tval:#x}"),
            );
        }

        let ref_regs: [u64; 32] = std::array::from_fn(|i| self.reference.reg(i));
        for (i, (rtl, reference)) in self.rtl_regs.iter().zip(&ref_regs).enumerate().skip(1) {
            if rtl != reference {
                differ(&format!("x{i}"), hex(*rtl), hex(*reference));
            }
        }

        if !mismatches.is_empty() {
            return Err(Box::new(Divergence {
                cycle,
                reference: self.reference.name(),
                retired: *r,
                mismatches,
                rtl_regs: self.rtl_regs,
                ref_regs,
                history: self.history.iter().copied().collect(),
            }));
        }
        self.checked += 1;
        if self.history.len() == HISTORY {
            self.history.pop_front();
        }
        self.history.push_back((cycle, *r));
        Ok(())
    }
}

impl Lockstep {
    /// A Zicbom/Zicboz instruction, which rv64emu does not decode: the reference does
    /// what the spec requires, whatever the RTL did: a fetch fault, an illegal
    /// instruction by the envcfg enables, a data fault by the harness's translation
    /// and PMP (tval rs1), or the operation (cbo.zero writes its block's 64 zero
    /// bytes at their physical addresses).
    fn cache_block_op(
        &mut self,
        cycle: u64,
        r: &RetirePort,
        before: Before,
        op: u32,
        rs1: usize,
    ) -> Result<(), Box<Divergence>> {
        let allowed = self.extra_csrs.cbo_allowed(op, r.mode);
        let insn = self.fetched.unwrap_or(r.insn);
        // A disabled CBO never translates: its required fault can only be the fetch's.
        let illegal = (2, u64::from(insn));
        let required = self
            .required_fault
            .map(|(trap, _)| trap)
            .or((!allowed).then_some(illegal));
        let mut zeroed = None;
        let step = match required {
            Some((cause, tval)) => self.reference.trap_instead(cause, tval, self.fetched),
            None => {
                if op == 4 {
                    let block = self.reference.reg(rs1) & !63;
                    zeroed = Some(self.bytes_of(block, 64, true));
                }
                let step = self.reference.skip(insn);
                if let Some(&start) = zeroed.as_ref().and_then(|pa| pa.first()) {
                    self.reference.write_mem(start, &[0; 64]);
                }
                step
            }
        };
        self.apply(SyncRule::CacheBlockOp);
        let mut result = self.compare(cycle, r, step, before);
        let bytes: Vec<(u64, u8)> = zeroed.iter().flatten().map(|&pa| (pa, 0)).collect();
        if let Some(m) = zeroed.and_then(|_| self.bus_writes.expect(&bytes)) {
            result = Err(self.add_mismatch(result, cycle, r, m));
        }
        let rtl_illegal = r.trap && r.trap_cause == 2;
        if rtl_illegal != (required == Some(illegal)) {
            return Err(self.add_mismatch(
                result,
                cycle,
                r,
                Mismatch {
                    what: "cbo allowed".into(),
                    rtl: (!rtl_illegal).to_string(),
                    reference: format!("{allowed} (menvcfg/senvcfg, mode {})", r.mode),
                },
            ));
        }
        result
    }

    /// An SC the RTL retired without a trap. rv64emu's reservation (a virtual
    /// address, any width, kept across traps) is not the spec's: the harness decides.
    /// The SC may succeed only on the reservation of the last LR, of the same bytes,
    /// with no SC, trap or xRET since; a failure is always allowed. The reference
    /// skips it and the harness performs the RTL's outcome when it is allowed, a
    /// failure when not.
    fn store_conditional(
        &mut self,
        cycle: u64,
        r: &RetirePort,
        before: Before,
    ) -> Result<(), Box<Divergence>> {
        let size = amo_size(r.insn);
        let reserved = self
            .data_paddr
            .is_some_and(|pa| self.reservation == Some((pa, size)));
        let succeeded = r.mem_wmask != 0;
        let value = self.reference.reg(((r.insn >> 20) & 31) as usize);
        let written = (succeeded && reserved).then(|| self.bytes_of(self.data_vaddr, size, true));
        let step = self.reference.skip(self.fetched.unwrap_or(r.insn));
        for (i, &pa) in written.iter().flatten().enumerate() {
            self.reference.write_mem(pa, &[(value >> (8 * i)) as u8]);
        }
        let rd = ((r.insn >> 7) & 31) as usize;
        if rd != 0 {
            self.reference.set_reg(rd, u64::from(written.is_none()));
        }
        self.apply(SyncRule::ScReservation);
        let result = self.compare(cycle, r, step, before);
        if succeeded && !reserved {
            return Err(self.add_mismatch(
                result,
                cycle,
                r,
                Mismatch {
                    what: "sc".into(),
                    rtl: "succeeded".into(),
                    reference: "must fail: no reservation of its bytes (an LR since the last SC, trap or xRET)".into(),
                },
            ));
        }
        result
    }

    /// Performs a load or store on the reference's state, at the physical addresses
    /// the harness translates (see [`SyncRule::MisalignedAccess`] and
    /// [`SyncRule::Translation`]).
    fn perform_access(&mut self, a: Access, addr: u64) -> RefStep {
        let byte_pa = self.bytes_of(addr, a.size, a.store);
        let step = self.reference.skip(self.fetched.unwrap_or(0));
        if a.store {
            let value = self.reference.reg(a.reg);
            for (i, pa) in byte_pa.iter().enumerate() {
                self.reference.write_mem(*pa, &[(value >> (8 * i)) as u8]);
            }
        } else {
            let mut value = 0u64;
            for i in 0..a.size {
                let byte = self.reference.read_mem(byte_pa[i as usize], 1).unwrap_or(0);
                value |= (byte & 0xff) << (8 * i);
            }
            let bits = 8 * a.size as u32;
            if a.signed && bits < 64 {
                value = (((value << (64 - bits)) as i64) >> (64 - bits)) as u64;
            }
            if a.reg != 0 {
                self.reference.set_reg(a.reg, value);
            }
        }
        step
    }

    /// A non-trapping CSR instruction on a CSR the reference lacks: the reference skips
    /// it, rd gets the modelled (or, for counters, the RTL's) value, and a write
    /// updates the model. A trapping one the reference traps on by itself.
    /// The translation state before the instruction, from the reference.
    fn translation_context(&mut self) -> Context {
        Context {
            satp: self.reference.csr(CSR_SATP),
            mstatus: self.reference.csr(CSR_MSTATUS),
            mode: self.reference.privilege(),
            adue: self.extra_csrs.read(MENVCFG) & MENVCFG_ADUE != 0,
        }
    }

    /// The data access `r` makes, by the reference's registers (the ISA's view).
    fn data_access_of(&self, r: &RetirePort) -> Option<DataAccess> {
        let (vaddr, size, kind, need) = if let Some(a) = super::access::decode(r.insn) {
            let vaddr = self.reference.reg(a.rs1).wrapping_add(a.offset as u64);
            match a.store {
                true => (vaddr, a.size, DataKind::Store, pmp::W),
                false => (vaddr, a.size, DataKind::Load, pmp::R),
            }
        } else if r.insn & 0x7f == 0x2f {
            let vaddr = self.reference.reg(((r.insn >> 15) & 31) as usize);
            let (kind, need) = match r.insn >> 27 {
                0b00010 => (DataKind::Load, pmp::R),
                0b00011 => (DataKind::Store, pmp::W),
                _ => (DataKind::Store, pmp::R | pmp::W),
            };
            (vaddr, amo_size(r.insn), kind, need)
        } else {
            let (op, rs1) = cache_block_op(r.insn)?;
            let effective = self.reference.reg(rs1);
            let (kind, need) = match op {
                4 => (DataKind::Store, pmp::W),
                _ => (DataKind::CacheBlock, pmp::R | pmp::W),
            };
            return Some(DataAccess {
                vaddr: effective & !63,
                size: 64,
                kind,
                need,
                effective,
            });
        };
        Some(DataAccess {
            vaddr,
            size,
            kind,
            need,
            effective: vaddr,
        })
    }

    /// The translation, PMP or bus fault the spec requires for `r`'s fetch and data
    /// access, and the rule that makes the reference take it (none for a bus error: the
    /// reference raises those itself); also notes the physical address the data access
    /// must use. The data access is looked at only when the RTL reports no earlier
    /// trap (an illegal or misaligned instruction never translates).
    fn required_fault_of(&mut self, r: &RetirePort) -> Option<(Trap, Option<SyncRule>)> {
        self.data_paddr = None;
        self.data_pte = None;
        self.data_on_512g = false;
        self.data_bytes.clear();
        let ctx = self.context_before;
        self.pc_paddr = None;
        let rule = |check: Check| match check {
            Check::Walk => Some(SyncRule::Translation),
            Check::Pmp => Some(SyncRule::Pmp),
            Check::Bus => None,
        };
        let len = if r.insn & 3 == 3 { 4 } else { 2 };
        if let Some((trap, check)) =
            translation::fetch_fault(&mut *self.reference, &self.pmp, &ctx, r.pc_rdata, len)
        {
            return Some((trap, rule(check)));
        }
        self.pc_paddr = translation::translate(
            &mut *self.reference,
            &self.pmp,
            &ctx,
            r.pc_rdata,
            WalkAccess::Fetch,
            ctx.mode,
        )
        .ok();
        let access = self.data_access_of(r)?;
        // Nothing but a fetch fault comes before the data access of a load, a store or
        // an enabled CBO (a disabled one is illegal and never translates); other
        // instructions (AMOs, LR/SC) may trap earlier, as misaligned.
        let known = super::access::decode(r.insn).is_some() || cache_block_op(r.insn).is_some();
        if r.trap && !known && !matches!(r.trap_cause, 5 | 7 | 13 | 15) {
            return None;
        }
        if let Some((op, _)) = cache_block_op(r.insn) {
            if !self.extra_csrs.cbo_allowed(op, r.mode) {
                return None;
            }
        }
        match translation::data_fault(&mut *self.reference, &self.pmp, &ctx, &access) {
            Ok(landing) => {
                self.data_paddr = Some(landing.pa);
                self.data_on_512g = landing.level == 3;
                self.data_vaddr = access.vaddr;
                self.data_bytes
                    .extend((0..access.size).map(|i| landing.byte(access.vaddr, i)));
                let walk = if access.kind == DataKind::Store {
                    WalkAccess::Store
                } else {
                    WalkAccess::Load
                };
                self.data_pte = translation::leaf_pte(
                    &mut *self.reference,
                    &self.pmp,
                    &ctx,
                    access.vaddr,
                    walk,
                    ctx.data_mode(),
                );
                None
            }
            Err((trap, check)) => Some((trap, rule(check))),
        }
    }

    /// The physical address of each of `len` bytes from `vaddr`: the data access's,
    /// as translated before the instruction ran, when it is that access; else
    /// translated now in the context before the instruction.
    fn bytes_of(&mut self, vaddr: u64, len: u64, store: bool) -> Vec<u64> {
        if vaddr == self.data_vaddr && len as usize <= self.data_bytes.len() {
            return self.data_bytes[..len as usize].to_vec();
        }
        let ctx = self.context_before;
        translation::byte_addresses(&mut *self.reference, &self.pmp, &ctx, vaddr, len, store)
    }

    /// A satp write of a mode neither Bare, Sv39 nor Sv48: it has no effect (rv64emu
    /// would store part of it), so the reference skips it with the old value in rd.
    fn unsupported_satp_write(&mut self, r: &RetirePort, old: u64) -> Option<RefStep> {
        if r.trap || !accesses_csr(r.insn, CSR_SATP) || self.reference.pc() != r.pc_rdata {
            return None;
        }
        let rs1 = self.reference.reg(((r.insn >> 15) & 31) as usize);
        let value = csr_written_value(r.insn, old, rs1)?;
        if matches!(value >> 60, 0 | 8 | 9) {
            return None;
        }
        let step = self.reference.skip(self.fetched.unwrap_or(r.insn));
        let rd = ((r.insn >> 7) & 31) as usize;
        if rd != 0 {
            self.reference.set_reg(rd, old);
        }
        Some(step)
    }

    fn extra_csr_access(&mut self, r: &RetirePort) -> Option<RefStep> {
        let is_csr = r.insn & 0x7f == 0x73 && (r.insn >> 12) & 3 != 0;
        let addr = (r.insn >> 20) as u16;
        if is_csr && !r.trap && Pmp::is_pmp_csr(addr) && self.reference.pc() == r.pc_rdata {
            let old = self.pmp.read(addr)?;
            let rs1 = self.reference.reg(((r.insn >> 15) & 31) as usize);
            let step = self.reference.skip(self.fetched.unwrap_or(r.insn));
            if let Some(value) = csr_written_value(r.insn, old, rs1) {
                self.pmp.write(addr, value);
            }
            let rd = ((r.insn >> 7) & 31) as usize;
            if rd != 0 {
                self.reference.set_reg(rd, old);
            }
            return Some(step);
        }
        let kind =
            extra_csr(addr).filter(|_| is_csr && !r.trap && self.reference.pc() == r.pc_rdata)?;
        let rd = ((r.insn >> 7) & 31) as usize;
        let rs1 = self.reference.reg(((r.insn >> 15) & 31) as usize);
        let old = match kind {
            ExtraCsr::Register { .. } => self.extra_csrs.read(addr),
            ExtraCsr::Counter => r.rd_wdata,
        };
        let step = self.reference.skip(self.fetched.unwrap_or(r.insn));
        if let (ExtraCsr::Register { writable }, Some(value)) =
            (kind, csr_written_value(r.insn, old, rs1))
        {
            self.extra_csrs.write(addr, value, writable);
        }
        if rd != 0 {
            self.reference.set_reg(rd, old);
        }
        Some(step)
    }

    /// `result` with one more mismatch: the report of the divergence it already is,
    /// or a new one.
    /// The RTL's mip against the harness's CLINT model, and an interrupt the model says
    /// is pending and enabled that the RTL keeps not taking (more than
    /// [`INTERRUPT_LATENCY`] instructions retire meanwhile).
    fn check_interrupt_lines(&mut self, cycle: u64, r: &RetirePort) -> Option<Box<Divergence>> {
        if !r.trap && r.mem_wmask != 0 {
            self.clint
                .store(cycle, r.mem_paddr, r.mem_wdata, r.mem_wmask);
        }
        let (lines, known) = self.clint.mip(cycle);
        if (r.csr_mip ^ lines) & known != 0 {
            return Some(self.divergence(
                cycle,
                r,
                vec![Mismatch {
                    what: "mip (MTIP, MSIP)".into(),
                    rtl: hex(r.csr_mip & known),
                    reference: format!(
                        "{} (the harness's CLINT model: mtime >= mtimecmp, msip)",
                        hex(lines)
                    ),
                }],
            ));
        }
        let mip = (self.reference.csr(CSR_MIP) & !CLINT_BITS) | (r.csr_mip & CLINT_BITS);
        let expected = expected_interrupt(
            mip,
            self.reference.csr(CSR_MIE),
            self.reference.csr(CSR_MIDELEG),
            self.reference.csr(CSR_MSTATUS),
            self.reference.privilege(),
        );
        match expected {
            Some((code, _)) if !(r.trap && r.trap_interrupt) => {
                self.interrupt_ignored += 1;
                if self.interrupt_ignored > INTERRUPT_LATENCY {
                    return Some(self.divergence(
                        cycle,
                        r,
                        vec![Mismatch {
                            what: "interrupt not taken".into(),
                            rtl: format!(
                                "{} instructions retired since it became pending and enabled",
                                self.interrupt_ignored
                            ),
                            reference: format!(
                                "interrupt {code} taken within {INTERRUPT_LATENCY} (mip {:#x})",
                                mip
                            ),
                        }],
                    ));
                }
            }
            _ => self.interrupt_ignored = 0,
        }
        None
    }

    fn add_mismatch(
        &self,
        result: Result<(), Box<Divergence>>,
        cycle: u64,
        r: &RetirePort,
        mismatch: Mismatch,
    ) -> Box<Divergence> {
        let mut d = result
            .err()
            .unwrap_or_else(|| self.divergence(cycle, r, Vec::new()));
        d.mismatches.push(mismatch);
        d
    }

    fn reference_failed(&self, cycle: u64, r: &RetirePort, message: String) -> Box<Divergence> {
        let mismatch = Mismatch {
            what: "reference".into(),
            rtl: "-".into(),
            reference: format!("panicked: {message}"),
        };
        self.divergence(cycle, r, vec![mismatch])
    }

    fn divergence(&self, cycle: u64, r: &RetirePort, mismatches: Vec<Mismatch>) -> Box<Divergence> {
        Box::new(Divergence {
            cycle,
            reference: self.reference.name(),
            retired: *r,
            mismatches,
            rtl_regs: self.rtl_regs,
            ref_regs: std::array::from_fn(|i| self.reference.reg(i)),
            history: self.history.iter().copied().collect(),
        })
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

fn hex(v: u64) -> String {
    format!("{v:#x}")
}

#[cfg(test)]
mod spec_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockstep::RefStep;
    use crate::memory::MemoryMap;

    /// A reference that executes `addi x5, x5, 1` forever, counting in x5 (or that
    /// panics on its first step, when `broken`).
    struct Counter {
        pc: u64,
        x5: u64,
        broken: bool,
        /// mie.MTIE and mstatus.MIE set: the timer interrupt is enabled.
        timer_enabled: bool,
    }

    impl ReferenceModel for Counter {
        fn name(&self) -> &'static str {
            "counter"
        }
        fn pc(&self) -> u64 {
            self.pc
        }
        fn step(&mut self, _: u32) -> RefStep {
            assert!(!self.broken, "index out of range in the reference");
            let pc = self.pc;
            self.pc += 4;
            self.x5 += 1;
            RefStep {
                pc,
                insn: Some(0x0012_8293),
                next_pc: self.pc,
                trap: None,
            }
        }
        fn privilege(&self) -> u8 {
            3
        }
        fn reg(&self, index: usize) -> u64 {
            if index == 5 {
                self.x5
            } else {
                0
            }
        }
        fn set_reg(&mut self, _: usize, _: u64) {}
        fn read_mem(&mut self, _: u64, _: usize) -> Option<u64> {
            Some(0)
        }
        fn write_mem(&mut self, _: u64, _: &[u8]) {}
        fn csr(&mut self, csr: u16) -> u64 {
            match csr {
                CSR_MIE if self.timer_enabled => 1 << 7,
                CSR_MSTATUS if self.timer_enabled => 1 << 3,
                _ => 0,
            }
        }
        fn set_csr(&mut self, _: u16, _: u64) {}
        fn set_instret(&mut self, _: u64) {}
        fn skip(&mut self, insn: u32) -> RefStep {
            self.step(insn)
        }
        fn redirect(&mut self, _: u64, _: u8) {}
        fn trap_instead(&mut self, cause: u8, tval: u64, _: Option<u32>) -> RefStep {
            let pc = self.pc;
            self.pc = 0x8000_1000;
            RefStep {
                pc,
                insn: Some(0x0012_8293),
                next_pc: self.pc,
                trap: Some((u64::from(cause), tval)),
            }
        }
    }

    fn lockstep_over_counter(broken: bool) -> Lockstep {
        Lockstep::new(Box::new(Counter {
            pc: 0x8000_0000,
            x5: 0,
            broken,
            timer_enabled: false,
        }))
    }

    fn retired(order: u64, x5: u64) -> RetirePort {
        let pc = 0x8000_0000 + 4 * order;
        RetirePort {
            valid: true,
            order,
            insn: 0x0012_8293,
            pc_rdata: pc,
            pc_paddr: pc,
            pc_wdata: pc + 4,
            rd_addr: 5,
            rd_wdata: x5,
            mode: 3,
            ..RetirePort::default()
        }
    }

    #[test]
    fn agreeing_instructions_are_counted_and_the_first_difference_is_reported() {
        let bus = SystemBus::new(MemoryMap::default());
        let mut ls = lockstep_over_counter(false);
        for i in 0..40 {
            ls.check(i, &retired(i, i + 1), &bus)
                .expect("same behaviour");
        }
        assert_eq!(ls.checked(), 40);

        let wrong = retired(40, 99);
        let d = ls.check(40, &wrong, &bus).expect_err("x5 differs");
        assert_eq!(
            d.mismatches,
            vec![Mismatch {
                what: "x5".into(),
                rtl: "0x63".into(),
                reference: "0x29".into()
            }]
        );
        assert_eq!(d.history.len(), 32, "the last 32 retired instructions");
        let text = d.to_string();
        assert!(
            text.contains("lockstep divergence from counter at cycle 40"),
            "{text}"
        );
        assert!(
            text.contains("*x5  0x0000000000000063 / 0x0000000000000029"),
            "{text}"
        );
        assert!(text.contains("<- diverged"), "{text}");
    }

    #[test]
    fn an_instruction_in_another_privilege_than_the_references_is_a_difference() {
        let bus = SystemBus::new(MemoryMap::default());
        let mut ls = lockstep_over_counter(false);
        let in_s = RetirePort {
            mode: 1,
            ..retired(0, 1)
        };
        let d = ls
            .check(10, &in_s, &bus)
            .expect_err("the reference is in M");
        assert_eq!(
            d.mismatches[0],
            Mismatch {
                what: "privilege".into(),
                rtl: "S".into(),
                reference: "M".into()
            }
        );
    }

    #[test]
    fn a_trap_the_spec_requires_or_forbids_decides_whatever_the_reference_does() {
        let bus = SystemBus::new(MemoryMap::default());
        let mut ls = lockstep_over_counter(false);
        // csrw cycle, x5: cycle is read-only; the RTL retires it without a trap.
        let write = RetirePort {
            insn: 0xc002_9073,
            ..retired(0, 1)
        };
        let d = ls.check(10, &write, &bus).expect_err("illegal instruction");
        assert_eq!(d.mismatches[0].what, "trap");
        assert!(csr_privilege_too_low(0x3002_9073, 1), "mstatus from S");
        assert!(!csr_privilege_too_low(0x1002_9073, 1), "sstatus from S");
        assert!(
            spec_requires_illegal(0x1050_0073, 1, 1 << 21, 0, 0),
            "WFI under TW"
        );

        // csrr x5, menvcfg in M: legal, though rv64emu (which lacks menvcfg) traps.
        let mut ls = lockstep_over_counter(false);
        let read = RetirePort {
            insn: 0x30a0_22f3,
            trap: true,
            trap_cause: 2,
            trap_tval: 0x30a0_22f3,
            ..retired(0, 1)
        };
        let d = ls.check(10, &read, &bus).expect_err("a spurious trap");
        assert_eq!(d.mismatches[0].what, "trap");
        assert!(
            d.mismatches[0].reference.contains("0x30a"),
            "{:?}",
            d.mismatches
        );
    }

    #[test]
    fn a_timer_line_the_clint_model_does_not_raise_is_a_difference() {
        let bus = SystemBus::new(MemoryMap::default());
        let mut ls = lockstep_over_counter(false);
        ls.check(0, &retired(0, 1), &bus).expect("no deadline yet");
        // mtimecmp is still at its reset value (all ones): MTIP must be clear.
        let early = RetirePort {
            csr_mip: 1 << 7,
            ..retired(1, 2)
        };
        let d = ls.check(1000, &early, &bus).expect_err("MTIP too early");
        assert_eq!(d.mismatches[0].what, "mip (MTIP, MSIP)");
    }

    #[test]
    fn a_pending_enabled_interrupt_not_taken_is_a_difference() {
        let bus = SystemBus::new(MemoryMap::default());
        let mut ls = Lockstep::new(Box::new(Counter {
            pc: 0x8000_0000,
            x5: 0,
            broken: false,
            timer_enabled: true,
        }));
        // An instruction stores mtimecmp = 0: the timer is pending from then on.
        let store = RetirePort {
            csr_mstatus: 1 << 3,
            mem_addr: crate::devices::CLINT_MTIMECMP,
            mem_paddr: crate::devices::CLINT_MTIMECMP,
            mem_wmask: 0xff,
            mem_wdata: 0,
            ..retired(0, 1)
        };
        ls.check(100, &store, &bus).expect("the store");
        let pending = |order: u64| RetirePort {
            csr_mip: 1 << 7,
            csr_mstatus: 1 << 3,
            ..retired(order, order + 1)
        };
        for order in 1..=u64::from(INTERRUPT_LATENCY) {
            ls.check(200 + order, &pending(order), &bus)
                .expect("within the latency the core may take");
        }
        let n = u64::from(INTERRUPT_LATENCY) + 1;
        let d = ls
            .check(200 + n, &pending(n), &bus)
            .expect_err("the interrupt is overdue");
        assert_eq!(d.mismatches[0].what, "interrupt not taken");
    }

    #[test]
    fn a_reference_that_panics_is_reported_not_propagated() {
        let bus = SystemBus::new(MemoryMap::default());
        let mut ls = lockstep_over_counter(true);
        let d = ls
            .check(7, &retired(0, 1), &bus)
            .expect_err("the reference failed");
        assert_eq!(d.mismatches[0].what, "reference");
        assert!(d.mismatches[0]
            .reference
            .contains("index out of range in the reference"));
    }

    #[test]
    fn a_wrong_next_pc_or_a_missing_trap_is_a_difference() {
        let bus = SystemBus::new(MemoryMap::default());
        let mut ls = lockstep_over_counter(false);
        let mut r = retired(0, 1);
        r.pc_wdata = 0x8000_0100;
        let d = ls.check(0, &r, &bus).expect_err("next pc differs");
        assert_eq!(d.mismatches[0].what, "next pc");

        let mut ls = lockstep_over_counter(false);
        let mut r = retired(0, 0);
        r.trap = true;
        r.trap_cause = 2;
        r.rd_addr = 0;
        let d = ls.check(0, &r, &bus).expect_err("trap differs");
        assert!(d.mismatches.iter().any(|m| m.what == "trap"));
    }
}
