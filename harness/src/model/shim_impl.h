// The per-cycle port exchange, written once for any verilated SoC class `V`.
// Included by model_fast.cc and model_traced.cc after their verilated sources.
#pragma once
#include "cosim/src/model/bridge.rs.h"
#include "cosim/src/model/shim.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif

namespace cosim {

template <class V> class VerilatedSoc final : public SocModel {
public:
  VerilatedSoc() : context_(new VerilatedContext), top_(new V(context_.get(), "soc")) {}

  // Verilator 5.006 unregisters a model's DPI scopes from the thread's current context,
  // not the model's: with several models on one thread (cosim bench) that may be one
  // already freed, and the destructor hangs. Make it this model's own context first.
  ~VerilatedSoc() override {
    Verilated::threadContextp(context_.get());
    top_.reset();
  }

#if VM_TRACE
  // Dumps start at cycle `from_cycle` (counted after reset): a window before a
  // failure rather than the whole run.
  void open_trace(const std::string &path, uint64_t from_cycle) {
    trace_from_ = from_cycle;
    context_->traceEverOn(true);
    trace_.reset(new VerilatedFstC);
    top_->trace(trace_.get(), 99);
    trace_->open(path.c_str());
  }
#endif

  void reset(uint64_t boot_addr, uint32_t cycles) override {
    top_->boot_addr_i = boot_addr;
    AxiSlavePort idle{};
    drive(idle);
    top_->rst_ni = 0;
    for (uint32_t i = 0; i < cycles; ++i) edge();
    top_->rst_ni = 1;
    top_->clk_i = 0;
    settle();
  }

  // Inputs are driven while the clock is low; outputs are sampled then (the values
  // at the coming edge), and the rising edge follows.
  void cycle(const AxiSlavePort &in, SocOutputs &out) override {
    ++cycles_;
    drive(in);
    top_->clk_i = 0;
    settle();
    sample(out);
    top_->clk_i = 1;
    settle();
    out.assertion_failed = assertions_.failed;
  }

  AssertionFailure assertion_failure() const override {
    return AssertionFailure{rust::String(assertions_.file), static_cast<uint32_t>(assertions_.line),
                            rust::String(assertions_.message)};
  }

  void finish() override {
    top_->final();
#if VM_TRACE
    if (trace_) trace_->close();
#endif
  }

private:
  void settle() {
    current_assertion_log = &assertions_;
    top_->eval();
#if VM_TRACE
    if (trace_ && cycles_ >= trace_from_) trace_->dump(time_);
#endif
    ++time_;
  }

  void edge() {
    top_->clk_i = 0;
    settle();
    top_->clk_i = 1;
    settle();
  }

  void drive(const AxiSlavePort &in) {
    top_->m_axi_arready_i = in.ar_ready;
    top_->m_axi_awready_i = in.aw_ready;
    top_->m_axi_wready_i = in.w_ready;
    top_->m_axi_rvalid_i = in.r_valid;
    top_->m_axi_rid_i = in.r_id;
    top_->m_axi_rdata_i = in.r_data;
    top_->m_axi_rresp_i = in.r_resp;
    top_->m_axi_rlast_i = in.r_last;
    top_->m_axi_bvalid_i = in.b_valid;
    top_->m_axi_bid_i = in.b_id;
    top_->m_axi_bresp_i = in.b_resp;
  }

  void sample(SocOutputs &out) const {
    AxiMasterPort &m = out.axi;
    m.ar_valid = top_->m_axi_arvalid_o;
    m.ar_id = top_->m_axi_arid_o;
    m.ar_addr = top_->m_axi_araddr_o;
    m.ar_len = top_->m_axi_arlen_o;
    m.ar_size = top_->m_axi_arsize_o;
    m.ar_burst = top_->m_axi_arburst_o;
    m.aw_valid = top_->m_axi_awvalid_o;
    m.aw_id = top_->m_axi_awid_o;
    m.aw_addr = top_->m_axi_awaddr_o;
    m.aw_len = top_->m_axi_awlen_o;
    m.aw_size = top_->m_axi_awsize_o;
    m.aw_burst = top_->m_axi_awburst_o;
    m.w_valid = top_->m_axi_wvalid_o;
    m.w_data = top_->m_axi_wdata_o;
    m.w_strb = top_->m_axi_wstrb_o;
    m.w_last = top_->m_axi_wlast_o;
    m.r_ready = top_->m_axi_rready_o;
    m.b_ready = top_->m_axi_bready_o;

    // The rest of the retire port means something only with valid (the harness reads
    // it only then): copied in those cycles only.
    RetirePort &r = out.retire;
    r.valid = top_->rvfi_valid_o;
    if (r.valid) sample_retire(r);

    out.events = top_->events_o;
    out.flushed = top_->flushed_o;
    // The MMU trace: its flags every cycle, the values that go with a flag only when it
    // is set (the harness reads them only then). walk_discard is a flag of its own: it
    // can rise in the middle of a walk, and the TLB model reads it at every PTE read.
    MmuPort &u = out.mmu;
    u.ilookup = top_->mmu_ilookup_o;
    u.dlookup = top_->mmu_dlookup_o;
    u.walk_start = top_->mmu_walk_start_o;
    u.walk_done = top_->mmu_walk_done_o;
    u.walk_discard = top_->mmu_walk_discard_o;
    u.satp = top_->mmu_satp_o;
    u.sfence = top_->mmu_sfence_o;
    if (u.ilookup) {
      u.ivaddr = top_->mmu_ivaddr_o;
    }
    if (u.dlookup) {
      u.dvaddr = top_->mmu_dvaddr_o;
      u.daccess = top_->mmu_daccess_o;
    }
    if (u.walk_start || u.walk_done) {
      u.walk_port = top_->mmu_walk_port_o;
      u.walk_fault = top_->mmu_walk_fault_o;
      u.walk_filled = top_->mmu_walk_filled_o;
      u.walk_walked = top_->mmu_walk_walked_o;
      u.walk_level = top_->mmu_walk_level_o;
      u.walk_vaddr = top_->mmu_walk_vaddr_o;
      u.walk_satp = top_->mmu_walk_satp_o;
      u.walk_access = top_->mmu_walk_access_o;
      u.walk_priv = top_->mmu_walk_priv_o;
      u.walk_sum = top_->mmu_walk_sum_o;
      u.walk_mxr = top_->mmu_walk_mxr_o;
      u.walk_adue = top_->mmu_walk_adue_o;
      u.walk_pte = top_->mmu_walk_pte_o;
      u.walk_pte_addr = top_->mmu_walk_pte_addr_o;
      u.walk_reads = top_->mmu_walk_reads_o;
    }
    if (u.sfence) {
      u.sfence_rs1 = top_->mmu_sfence_rs1_o;
      u.sfence_rs2 = top_->mmu_sfence_rs2_o;
      u.sfence_vaddr = top_->mmu_sfence_vaddr_o;
      u.sfence_asid = top_->mmu_sfence_asid_o;
    }
  }

  void sample_retire(RetirePort &r) const {
    r.order = top_->rvfi_order_o;
    r.insn = top_->rvfi_insn_o;
    r.trap = top_->rvfi_trap_o;
    r.trap_cause = top_->rvfi_trap_cause_o;
    r.trap_tval = top_->rvfi_trap_tval_o;
    r.intr = top_->rvfi_intr_o;
    r.mode = top_->rvfi_mode_o;
    r.csr_mstatus = top_->rvfi_csr_mstatus_o;
    r.csr_mip = top_->rvfi_csr_mip_o;
    r.trap_interrupt = top_->rvfi_trap_interrupt_o;
    r.pc_rdata = top_->rvfi_pc_rdata_o;
    r.pc_wdata = top_->rvfi_pc_wdata_o;
    r.rd_addr = top_->rvfi_rd_addr_o;
    r.rd_wdata = top_->rvfi_rd_wdata_o;
    r.mem_addr = top_->rvfi_mem_addr_o;
    r.mem_paddr = top_->rvfi_mem_paddr_o;
    r.mem_pte = top_->rvfi_mem_pte_o;
    r.pc_paddr = top_->rvfi_pc_paddr_o;
    r.mem_rmask = top_->rvfi_mem_rmask_o;
    r.mem_wmask = top_->rvfi_mem_wmask_o;
    r.mem_rdata = top_->rvfi_mem_rdata_o;
    r.mem_wdata = top_->rvfi_mem_wdata_o;
  }

  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<V> top_;
#if VM_TRACE
  std::unique_ptr<VerilatedFstC> trace_;
  uint64_t trace_from_ = 0;
#endif
  uint64_t time_ = 0;
  uint64_t cycles_ = 0;
  AssertionLog assertions_;
};

} // namespace cosim
