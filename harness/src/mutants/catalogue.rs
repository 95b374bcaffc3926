// The mutant catalogue: deliberate RTL bugs, each behind `COSIM_MUTANT_<NAME>` in rtl/.
// `cosim mutants` builds each and runs the kill suite; every one must be killed.
// (Plain comments, not `//!`: build/verilate.rs include!s this file, where inner doc
// comments are an error.)

/// One deliberate RTL bug.
#[derive(Debug)]
pub struct Mutant {
    /// Kebab-case name; the RTL define is [`Mutant::define`].
    pub name: &'static str,
    /// The RTL file (relative to the repository) that holds its `ifdef`.
    pub file: &'static str,
    /// What is wrong, in a sentence a user can read in the report.
    pub bug: &'static str,
}

impl Mutant {
    /// The define that turns the bug on: `COSIM_MUTANT_` and the name in upper case.
    pub fn define(&self) -> String {
        format!(
            "COSIM_MUTANT_{}",
            self.name.to_uppercase().replace('-', "_")
        )
    }
}

pub const CATALOGUE: &[Mutant] = &[
    // ---------------------------------------------------------------- MMU and TLBs
    Mutant {
        name: "plru-victim-off-by-one",
        file: "rtl/mmu/replacement.sv",
        bug: "A full TLB or walk cache evicts the neighbour of the tree-PLRU victim instead of the victim (TLB behaviour only).",
    },
    Mutant {
        name: "tlb-asid-ignored",
        file: "rtl/pkg/cosim_pkg.sv",
        bug: "TLB lookups ignore the ASID: a non-global entry filled under one ASID hits under any other, translating with another address space's mapping.",
    },
    Mutant {
        name: "tlb-global-ignored",
        file: "rtl/pkg/cosim_pkg.sv",
        bug: "TLB lookups ignore the G bit: a global entry hits only under the ASID it was filled with, so other address spaces walk again (TLB behaviour only).",
    },
    Mutant {
        name: "tlb-never-fills-dtlb",
        file: "rtl/mmu/mmu.sv",
        bug: "A walk for the data port is never written into the DTLB, so every load and store misses it and asks the walker (TLB behaviour and performance only).",
    },
    Mutant {
        name: "sfence-vaddr-ignored",
        file: "rtl/mmu/tlb.sv",
        bug: "sfence.vma with rs1 != x0 flushes nothing from the TLBs, so a changed PTE keeps its stale translation.",
    },
    Mutant {
        name: "sfence-superpage-kept",
        file: "rtl/mmu/tlb.sv",
        bug: "sfence.vma with rs1 != x0 compares the whole VPN, so a superpage entry survives a fence of any address in it but the 4 KiB page first translated through it.",
    },
    Mutant {
        name: "sfence-keeps-nonglobal",
        file: "rtl/mmu/tlb.sv",
        bug: "sfence.vma with rs2 != x0 flushes the non-global entries of every other ASID and keeps those of the ASID it names.",
    },
    Mutant {
        name: "walk-cache-not-flushed",
        file: "rtl/mmu/walk_cache.sv",
        bug: "sfence.vma does not empty the page-walk cache, so a walk after a non-leaf PTE changed still follows the old table.",
    },
    Mutant {
        name: "ad-not-checked",
        file: "rtl/mmu/xlate_port.sv",
        bug: "Under Svade (menvcfg.ADUE = 0) a walked leaf with A = 0, or D = 0 for a store, is used instead of raising a page fault.",
    },
    Mutant {
        name: "svadu-dirty-not-set",
        file: "rtl/mmu/ptw.sv",
        bug: "Under Svadu the walker's A/D update writes A but never D back to the PTE, so a store leaves its page clean in memory (its TLB entry says dirty).",
    },
    Mutant {
        name: "misaligned-superpage-allowed",
        file: "rtl/mmu/ptw.sv",
        bug: "The superpage alignment check looks one level too low: a misaligned 2 MiB leaf never faults, and a 1 GiB leaf faults only when PPN[8:0] is not zero.",
    },
    Mutant {
        name: "reserved-wr-allowed",
        file: "rtl/mmu/ptw.sv",
        bug: "A PTE with W = 1 and R = 0 (reserved) does not fault: with X = 0 the walker follows it as a pointer to the next table, with X = 1 it is used as a leaf.",
    },
    Mutant {
        name: "sv48-as-sv39",
        file: "rtl/mmu/ptw.sv",
        bug: "Sv48 walks start at level 2 like Sv39: the root table is indexed with VA[38:30] and the top level is skipped.",
    },
    Mutant {
        name: "pte-ppn-bit-dropped",
        file: "rtl/mmu/ptw.sv",
        bug: "The walker clears PPN bit 9 (physical address bit 21) of every leaf it reads, so 4 KiB and 2 MiB pages whose frame has that bit set translate to the wrong physical address.",
    },
    Mutant {
        name: "x-not-checked",
        file: "rtl/pkg/cosim_pkg.sv",
        bug: "Instruction fetch does not check the leaf's X bit, so code runs from readable but non-executable pages.",
    },
    Mutant {
        name: "w-not-checked",
        file: "rtl/pkg/cosim_pkg.sv",
        bug: "Stores, AMOs, SC and cbo.zero do not check the leaf's W bit: a read-only page is written when its D bit is set (or under Svadu).",
    },
    Mutant {
        name: "u-bit-ignored",
        file: "rtl/pkg/cosim_pkg.sv",
        bug: "U-mode accesses do not check the leaf's U bit, so user code may read, write and execute supervisor pages.",
    },
    Mutant {
        name: "sum-ignored",
        file: "rtl/mmu/mmu.sv",
        bug: "The MMU acts as if mstatus.SUM were always set: S-mode loads and stores to user pages never fault.",
    },
    Mutant {
        name: "mxr-ignored",
        file: "rtl/mmu/mmu.sv",
        bug: "The MMU acts as if mstatus.MXR were always clear: loads from execute-only pages fault even with MXR = 1.",
    },
    Mutant {
        name: "mprv-ignored",
        file: "rtl/mmu/mmu.sv",
        bug: "The MMU ignores mstatus.MPRV: M-mode loads and stores are not translated with MPP's privilege (PMP still checks them with it).",
    },
    // ---------------------------------------------------------------- PMP
    Mutant {
        name: "pmp-priority-reversed",
        file: "rtl/core/pmp.sv",
        bug: "The highest-numbered PMP entry that matches an access decides it instead of the lowest-numbered one.",
    },
    Mutant {
        name: "pmp-not-on-walks",
        file: "rtl/mmu/ptw.sv",
        bug: "The walker's PTE reads are not PMP-checked (its A/D writes still are), so page tables in PMP-denied memory are used instead of raising an access fault.",
    },
    Mutant {
        name: "pmp-tor-off-by-one",
        file: "rtl/core/pmp_csrs.sv",
        bug: "A TOR entry also covers the 4-byte word at its pmpaddr: its upper bound is inclusive.",
    },
    Mutant {
        name: "pmp-lock-ignored",
        file: "rtl/core/pmp.sv",
        bug: "M-mode passes every PMP entry that matches its access, so locked entries do not constrain M-mode.",
    },
    Mutant {
        name: "pmp-locked-writable",
        file: "rtl/core/pmp_csrs.sv",
        bug: "A locked entry's pmpcfg byte stays writable, so M-mode can change its permissions or clear L (its pmpaddr stays locked).",
    },
    // ---------------------------------------------------------------- privilege, CSRs, traps
    Mutant {
        name: "tw-not-trapping",
        file: "rtl/core/csr_file.sv",
        bug: "WFI in S-mode with mstatus.TW = 1 executes instead of raising an illegal-instruction exception.",
    },
    Mutant {
        name: "tvm-not-trapping",
        file: "rtl/core/csr_file.sv",
        bug: "S-mode reads and writes of satp with mstatus.TVM = 1 execute instead of raising an illegal-instruction exception (sfence.vma still traps).",
    },
    Mutant {
        name: "mtval-pc-on-page-fault",
        file: "rtl/core/memory_stage.sv",
        bug: "A load or store page fault writes the instruction's pc into mtval/stval instead of the faulting virtual address.",
    },
    Mutant {
        name: "mret-mpie-lost",
        file: "rtl/core/csr_file.sv",
        bug: "MRET does not restore mstatus.MIE from MPIE: MIE keeps its value, so interrupts the trap disabled stay disabled after the return.",
    },
    Mutant {
        name: "interrupt-priority-wrong",
        file: "rtl/core/csr_file.sv",
        bug: "With machine software and timer interrupts both pending and enabled, the timer interrupt is taken first (the spec's order is MEI, MSI, MTI, SEI, SSI, STI).",
    },
    Mutant {
        name: "mepc-bit0-kept",
        file: "rtl/core/csr_file.sv",
        bug: "A write of mepc keeps bit 0 instead of clearing it (WARL), so mepc reads back odd and MRET returns to an odd address.",
    },
    // ---------------------------------------------------------------- datapath and bus
    Mutant {
        name: "write-strobe-dropped",
        file: "rtl/bus/axi_master.sv",
        bug: "AXI writes narrower than 8 bytes drop the strobe of byte lane 7: an aligned sb, sh or sw that covers the last byte of an 8-byte beat leaves that byte unwritten.",
    },
    Mutant {
        name: "axi-ptw-rid-not-matched",
        file: "rtl/bus/axi_master.sv",
        bug: "The walker takes every read beat whose RID is not the fetch ID, so a data load's response that arrives during a fetch's page walk is used as a PTE.",
    },
    Mutant {
        name: "sra-as-srl",
        file: "rtl/core/alu.sv",
        bug: "SRA and SRAI shift in zeros instead of copies of the sign bit (SRAW and SRAIW are right).",
    },
    Mutant {
        name: "bltu-signed",
        file: "rtl/core/execute_stage.sv",
        bug: "BLTU compares its operands as signed numbers (BGEU is right).",
    },
    Mutant {
        name: "mulhsu-as-mulhu",
        file: "rtl/core/muldiv.sv",
        bug: "MULHSU treats rs1 as unsigned, returning MULHU's result when rs1 is negative.",
    },
    Mutant {
        name: "lb-zero-extends",
        file: "rtl/core/lsu.sv",
        bug: "LB zero-extends the loaded byte instead of sign-extending it.",
    },
    Mutant {
        name: "sc-succeeds-without-reservation",
        file: "rtl/core/lsu.sv",
        bug: "SC ignores whether the reservation is still valid: it succeeds whenever its address and size match the last LR's, even after an SC, a trap or an xRET invalidated the reservation.",
    },
    Mutant {
        name: "forwarding-skips-mem",
        file: "rtl/core/execute_stage.sv",
        bug: "Execute does not bypass results from the memory stage, so an instruction that uses the register its predecessor wrote reads the stale value.",
    },
    Mutant {
        name: "counter-event-doubled",
        file: "rtl/core/hpm_counters.sv",
        bug: "An mhpmcounter that counts retired stores (event 4) adds 2 per store instead of 1 (performance counters only).",
    },
    Mutant {
        name: "clint-mtimecmp-off-by-one",
        file: "rtl/soc/clint.sv",
        bug: "The timer interrupt becomes pending only once mtime > mtimecmp, one tick late; with mtimecmp = 2^64 - 1 it never does.",
    },
];
