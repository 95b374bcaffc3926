//! The cxx bridge to the verilated SoC. Nothing outside `model/` knows that C++ exists.
//!
//! One call per clock cycle exchanges every port of the SoC as two packed structs:
//! the harness drives `SocInputs` (the AXI slave side), the model answers with
//! `SocOutputs` sampled after the inputs settled and *before* the rising edge, i.e.
//! exactly the values both sides see at that edge. A handshake `x_valid && x_ready`
//! in one exchange is a transfer that happened at that edge.

#[cxx::bridge(namespace = "cosim")]
pub mod ffi {
    /// AXI4 master outputs of the SoC (64-bit data bus).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    struct AxiMasterPort {
        ar_valid: bool,
        ar_id: u8,
        ar_addr: u64,
        ar_len: u8,
        ar_size: u8,
        ar_burst: u8,
        aw_valid: bool,
        aw_id: u8,
        aw_addr: u64,
        aw_len: u8,
        aw_size: u8,
        aw_burst: u8,
        w_valid: bool,
        w_data: u64,
        w_strb: u8,
        w_last: bool,
        r_ready: bool,
        b_ready: bool,
    }

    /// AXI4 slave outputs, driven by the harness's memory model.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    struct AxiSlavePort {
        ar_ready: bool,
        aw_ready: bool,
        w_ready: bool,
        r_valid: bool,
        r_id: u8,
        r_data: u64,
        r_resp: u8,
        r_last: bool,
        b_valid: bool,
        b_id: u8,
        b_resp: u8,
    }

    /// The retire port (RVFI-style): one record when `valid`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    struct RetirePort {
        valid: bool,
        order: u64,
        insn: u32,
        trap: bool,
        /// Extension: mcause/mtval of the trap when `trap` (RVFI has no such fields).
        trap_cause: u8,
        trap_tval: u64,
        /// The first instruction of a trap handler.
        intr: bool,
        /// Privilege the instruction ran in (0 U, 1 S, 3 M).
        mode: u8,
        /// mstatus after the instruction (RVFI's CSR extension, `wdata` view).
        csr_mstatus: u64,
        /// mip as the instruction found it (`rdata` view): what was pending.
        csr_mip: u64,
        /// The trap is an interrupt taken before this instruction (cause = its code).
        trap_interrupt: bool,
        pc_rdata: u64,
        pc_wdata: u64,
        rd_addr: u8,
        rd_wdata: u64,
        mem_addr: u64,
        /// Extension (RVFI VM): the physical address of `mem_addr`.
        mem_paddr: u64,
        /// Extension: the leaf PTE that translated `mem_addr` (as the TLB keeps it: no
        /// RSW nor bits 54 and up; 0 without translation).
        mem_pte: u64,
        /// Extension (RVFI VM): the physical address of `pc_rdata`.
        pc_paddr: u64,
        mem_rmask: u8,
        mem_wmask: u8,
        mem_rdata: u64,
        mem_wdata: u64,
    }

    /// What the MMU did in one cycle (the RTL's `mmu_trace_t`): TLB lookups, the
    /// walk that ended, sfence.vma. Access codes: 0 fetch, 1 load, 2 store, 3 cbo.
    /// Fault codes: 0 none, 1 page fault, 2 access fault.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    struct MmuPort {
        ilookup: bool,
        ivaddr: u64,
        dlookup: bool,
        dvaddr: u64,
        daccess: u8,
        /// The walker looks up the L2 TLB and the walk cache for the walk it took.
        walk_start: bool,
        walk_done: bool,
        /// An sfence.vma came during the walk: nothing it read was cached.
        walk_discard: bool,
        /// false: the fetch port's walk, true: the data port's.
        walk_port: bool,
        walk_fault: u8,
        /// The result went into the TLBs.
        walk_filled: bool,
        /// The page table was read (not an L2 TLB hit).
        walk_walked: bool,
        /// Level of the last PTE read.
        walk_level: u8,
        walk_vaddr: u64,
        walk_satp: u64,
        walk_access: u8,
        walk_priv: u8,
        walk_sum: bool,
        walk_mxr: bool,
        /// menvcfg.ADUE when the walk started (Svadu).
        walk_adue: bool,
        walk_pte: u64,
        walk_pte_addr: u64,
        walk_reads: u8,
        satp: u64,
        sfence: bool,
        /// rs1 / rs2 of the sfence.vma are not x0.
        sfence_rs1: bool,
        sfence_rs2: bool,
        sfence_vaddr: u64,
        sfence_asid: u64,
    }

    /// Everything the SoC drives in one cycle.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    struct SocOutputs {
        axi: AxiMasterPort,
        retire: RetirePort,
        /// Counter events of the cycle: bit n is event number n (README's table).
        events: u32,
        /// TLB entries invalidated in the cycle (the one event that counts several).
        flushed: u8,
        mmu: MmuPort,
        /// An RTL assertion failed in this cycle's edge (details: `assertion_failure`).
        assertion_failed: bool,
    }

    /// The first RTL assertion that failed (`COSIM_ASSERT` in rtl/pkg/cosim_assert.svh).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    struct AssertionFailure {
        /// Source file as Verilator was given it, and line.
        file: String,
        line: u32,
        message: String,
    }

    unsafe extern "C++" {
        include!("cosim/src/model/shim.h");

        /// One verilated SoC; see shim.h.
        type SocModel;

        /// A model built for speed (no tracing).
        fn new_fast_model() -> UniquePtr<SocModel>;
        /// A model that evaluates the RTL's assertions (and writes no waveform).
        fn new_checked_model() -> UniquePtr<SocModel>;
        /// A model that writes an FST waveform to `fst_path`, of every cycle from
        /// `from_cycle` on (0: reset included).
        fn new_traced_model(fst_path: &str, from_cycle: u64) -> UniquePtr<SocModel>;

        /// Holds the SoC in reset for `cycles` clock cycles with the given reset vector.
        fn reset(self: Pin<&mut SocModel>, boot_addr: u64, cycles: u32);
        /// Drives `inputs`, settles, samples the outputs, then gives one rising edge.
        fn cycle(self: Pin<&mut SocModel>, inputs: &AxiSlavePort, outputs: &mut SocOutputs);
        /// The first assertion that failed (meaningful once an output said so).
        fn assertion_failure(self: &SocModel) -> AssertionFailure;
        /// Flushes and closes the waveform, if any.
        fn finish(self: Pin<&mut SocModel>);
    }
}
