//! The reference model over the `rv64emu` crate (an independent RV64IMAC ISS).

use super::reference::{RefStep, ReferenceModel};
use crate::devices::{SIMCTRL_BASE, SIMCTRL_SIZE};
use crate::memory::{MemoryMap, SparseMemory};
use rv64emu::config::Config;
use rv64emu::device::device_trait::DeviceBase;
use rv64emu::rv64core::bus::{Bus, DeviceType};
use rv64emu::rv64core::cpu_core::{CpuCore, CpuCoreBuild};
use rv64emu::rv64core::inst::inst_base::{is_compressed_instruction, PrivilegeLevels};
use rv64emu::rv64core::traptype::TrapType;
use rv64emu::tools::RcRefCell;
use std::rc::Rc;

/// A memory region of the reference, sparse like the harness's own.
struct RefMemory(SparseMemory);

impl DeviceBase for RefMemory {
    fn do_read(&mut self, addr: u64, len: usize) -> u64 {
        let mut bytes = [0u8; 8];
        self.0.read(addr, &mut bytes[..len]);
        u64::from_le_bytes(bytes)
    }
    fn do_write(&mut self, addr: u64, data: u64, len: usize) -> u64 {
        self.0.write(addr, &data.to_le_bytes()[..len]);
        0
    }
    fn copy_from_slice(&mut self, addr: u64, slice: &[u8]) {
        self.0.write(addr, slice);
    }
    fn copy_to_slice(&mut self, addr: u64, slice: &mut [u8]) {
        self.0.read(addr, slice);
    }
    fn get_name(&self) -> &'static str {
        "cosim-memory"
    }
}

/// SIMCTRL as the reference sees it: accepts writes, reads 0 (the harness owns the
/// device, and its registers read 0 on both sides).
struct RefSimctrl;

impl DeviceBase for RefSimctrl {
    fn do_read(&mut self, _addr: u64, _len: usize) -> u64 {
        0
    }
    fn do_write(&mut self, _addr: u64, _data: u64, _len: usize) -> u64 {
        0
    }
    fn get_name(&self) -> &'static str {
        "cosim-simctrl"
    }
}

pub struct Rv64emuReference {
    core: CpuCore,
    bus: RcRefCell<Bus>,
}

impl Rv64emuReference {
    /// A reference hart in M-mode at `boot_pc`, with the memory map's DRAM and pmem
    /// (empty: load them with [`ReferenceModel::write_mem`]) and SIMCTRL.
    pub fn new(map: &MemoryMap, boot_pc: u64) -> Self {
        let mut config = Config::new();
        // Sv48 is the largest mode satp may select (Sv39 too); no TLB, so every access
        // walks the page table as memory holds it at that instruction.
        config.set_mmu_type("sv48");
        config.set_isa("rv64imac");
        let bus = Rc::new(core::cell::RefCell::new(Bus::new()));
        {
            let mut b = bus.borrow_mut();
            for region in map.memories() {
                b.add_device(DeviceType {
                    start: region.base.raw(),
                    len: region.size,
                    instance: Box::new(RefMemory(SparseMemory::new(region.size))),
                    name: "cosim-memory",
                });
            }
            b.add_device(DeviceType {
                start: SIMCTRL_BASE,
                len: SIMCTRL_SIZE,
                instance: Box::new(RefSimctrl),
                name: "cosim-simctrl",
            });
        }
        let core = CpuCoreBuild::new(bus.clone(), Rc::new(config))
            .with_boot_pc(boot_pc)
            .with_hart_id(0)
            .build();
        Self { core, bus }
    }
}

impl ReferenceModel for Rv64emuReference {
    fn name(&self) -> &'static str {
        "rv64emu"
    }

    // rv64emu's `pc` is the instruction last executed; `npc` the one it runs next.
    #[allow(clippy::misnamed_getters)]
    fn pc(&self) -> u64 {
        self.core.npc
    }

    // The body of rv64emu's own `CpuCore::execute` for one instruction, keeping what
    // it does not report (the trap taken), with the bits the harness fetched.
    fn step(&mut self, insn: u32) -> RefStep {
        let c = &mut self.core;
        c.csr_regs.cycle.set(c.csr_regs.cycle.get().wrapping_add(1));
        c.pc = c.npc;
        let pc = c.pc;
        c.npc = pc.wrapping_add(insn_len(insn));
        let (insn, result) = (Some(insn), c.step(insn));
        let trap = match result {
            Ok(()) => {
                c.csr_regs
                    .instret
                    .set(c.csr_regs.instret.get().wrapping_add(1));
                None
            }
            Err(trap) => {
                let taken = (trap.idx(), trap.get_tval());
                c.handle_exceptions(trap);
                Some(taken)
            }
        };
        RefStep {
            pc,
            insn,
            next_pc: c.npc,
            trap,
        }
    }

    fn privilege(&self) -> u8 {
        self.core.cur_priv.get() as u8
    }

    fn reg(&self, index: usize) -> u64 {
        self.core.gpr.read(index as u64)
    }

    fn set_reg(&mut self, index: usize, value: u64) {
        self.core.gpr.write(index as u64, value);
    }

    fn read_mem(&mut self, addr: u64, len: usize) -> Option<u64> {
        self.bus.borrow_mut().read(addr, len).ok()
    }

    fn write_mem(&mut self, addr: u64, bytes: &[u8]) {
        let _ = self.bus.borrow_mut().copy_from_slice(addr, bytes);
    }

    fn csr(&mut self, addr: u16) -> u64 {
        self.core.csr_regs.read_raw(u64::from(addr))
    }

    fn set_csr(&mut self, addr: u16, value: u64) {
        self.core.csr_regs.write_raw(u64::from(addr), value);
    }

    fn set_instret(&mut self, value: u64) {
        self.core.csr_regs.instret.set(value);
    }

    fn redirect(&mut self, pc: u64, privilege: u8) {
        self.core.npc = pc;
        let level = match privilege {
            0 => PrivilegeLevels::User,
            1 => PrivilegeLevels::Supervisor,
            _ => PrivilegeLevels::Machine,
        };
        self.core.cur_priv.set(level);
    }

    fn skip(&mut self, insn: u32) -> RefStep {
        let c = &mut self.core;
        c.csr_regs.cycle.set(c.csr_regs.cycle.get().wrapping_add(1));
        c.pc = c.npc;
        let pc = c.pc;
        c.npc = pc.wrapping_add(insn_len(insn));
        c.csr_regs
            .instret
            .set(c.csr_regs.instret.get().wrapping_add(1));
        RefStep {
            pc,
            insn: Some(insn),
            next_pc: c.npc,
            trap: None,
        }
    }

    fn trap_instead(&mut self, cause: u8, tval: u64, insn: Option<u32>) -> RefStep {
        let trap = match cause {
            0 => TrapType::InstructionAddressMisaligned(tval),
            1 => TrapType::InstructionAccessFault(tval),
            2 => TrapType::IllegalInstruction(tval),
            3 => TrapType::Breakpoint(tval),
            4 => TrapType::LoadAddressMisaligned(tval),
            5 => TrapType::LoadAccessFault(tval),
            6 => TrapType::StoreAddressMisaligned(tval),
            7 => TrapType::StoreAccessFault(tval),
            8 => TrapType::EnvironmentCallFromUMode,
            9 => TrapType::EnvironmentCallFromSMode,
            11 => TrapType::EnvironmentCallFromMMode,
            12 => TrapType::InstructionPageFault(tval),
            13 => TrapType::LoadPageFault(tval),
            _ => TrapType::StorePageFault(tval),
        };
        let c = &mut self.core;
        c.csr_regs.cycle.set(c.csr_regs.cycle.get().wrapping_add(1));
        c.pc = c.npc;
        let pc = c.pc;
        c.handle_exceptions(trap);
        RefStep {
            pc,
            insn,
            next_pc: c.npc,
            trap: Some((u64::from(cause), tval)),
        }
    }
}

/// Length in bytes of the instruction whose (first) bits are `insn`.
fn insn_len(insn: u32) -> u64 {
    if is_compressed_instruction(insn) {
        2
    } else {
        4
    }
}
