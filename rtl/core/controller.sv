// The controller: when the memory-stage instruction commits, whether an interrupt is
// taken instead, what the commit does (trap, MRET/SRET, FENCE.I, SFENCE.VMA), where
// fetch restarts and which stages are flushed, and the counter events of the cycle.
`default_nettype none

module controller
  import cosim_pkg::*;
(
  /* verilator lint_off UNUSEDSIGNAL */
  input  ex_mem_t               ex_mem_i,        // (what decides the commit only)
  /* verilator lint_on UNUSEDSIGNAL */
  // Memory stage
  input  logic                  mem_live_i,
  input  logic                  mem_done_i,
  input  logic                  mem_idle_i,
  /* verilator lint_off UNUSEDSIGNAL */
  input  exception_t            mem_exc_i,       // (tval: the CSR file's)
  /* verilator lint_on UNUSEDSIGNAL */
  // Execute stage
  input  logic                  ex_redirect_i,
  input  logic [XLEN-1:0]       ex_target_i,
  input  logic                  branch_taken_i,
  // CSR file
  input  logic                  csr_illegal_i,
  input  logic                  irq_pending_i,   // an enabled interrupt is to be taken
  input  logic                  irq_wake_i,      // an interrupt is pending (WFI resumes)
  input  logic [XLEN-1:0]       trap_vector_i,
  input  logic [XLEN-1:0]       xret_target_i,
  input  logic [HPM_EVENTS-1:0] mmu_events_i,
  // Commit
  output logic                  irq_take_o,
  output logic                  mem_advance_o,
  output logic                  mem_ready_o,
  output logic                  trap_o,
  output logic                  mret_o,
  output logic                  sret_o,
  output logic                  sfence_o,
  output logic                  retire_o,        // commits without trapping
  // Redirects and flushes
  output logic                  mem_redirect_o,  // flushes execute and everything younger
  output logic [XLEN-1:0]       mem_target_o,
  output logic                  fetch_redirect_o,
  output logic [XLEN-1:0]       fetch_target_o,
  output logic                  fetch_invalidate_o,
  output logic [HPM_EVENTS-1:0] events_o
);

  // A WFI is never interrupted itself: it completes once anything is pending, enabled
  // or not, and the interrupt is taken at the next instruction (the spec's "resume at
  // pc + 4"). An interrupt is taken instead of the memory-stage instruction before it
  // does anything (no translation or memory access has started).
  logic wfi;
  assign wfi        = mem_live_i && ex_mem_i.sys_op == SYS_WFI && !csr_illegal_i;
  assign irq_take_o = irq_pending_i && ex_mem_i.valid && mem_idle_i && !wfi;

  assign mem_advance_o = ex_mem_i.valid && (irq_take_o || (mem_done_i && !(wfi && !irq_wake_i)));
  assign mem_ready_o   = !ex_mem_i.valid || mem_advance_o;

  logic commits, fence_i;
  assign trap_o   = mem_advance_o && mem_exc_i.valid;
  assign commits  = mem_advance_o && !trap_o;
  assign retire_o = commits;
  assign mret_o   = commits && ex_mem_i.sys_op == SYS_MRET;
  assign sret_o   = commits && ex_mem_i.sys_op == SYS_SRET;
  assign fence_i  = commits && ex_mem_i.sys_op == SYS_FENCE_I;
  assign sfence_o = commits && ex_mem_i.sys_op == SYS_SFENCE_VMA;

  // Everything younger is discarded after a trap, xRET, a fence or a CSR access, and
  // fetch restarts at the right place (CSR writes may change how younger code runs).
  assign mem_redirect_o = mem_advance_o && (trap_o || mret_o || sret_o || fence_i || sfence_o
                                            || ex_mem_i.csr_op != CSR_NONE);
  always_comb begin
    if (trap_o) mem_target_o = trap_vector_i;
    else if (mret_o || sret_o) mem_target_o = xret_target_i;
    else mem_target_o = ex_mem_i.next_pc;
  end
  assign fetch_redirect_o = mem_redirect_o || ex_redirect_i;
  assign fetch_target_o   = mem_redirect_o ? mem_target_o : ex_target_i;
  // The fetched lines were translated and checked for the old privilege and address
  // space: any of these commits may have changed them (a CSR read changes nothing).
  assign fetch_invalidate_o = mem_redirect_o && !(ex_mem_i.csr_op != CSR_NONE && !ex_mem_i.csr_write);

  // Events the programmable counters count: bit n is hpm_event_e value n. The MMU
  // counts its own; page faults count when taken.
  logic exc_taken;
  assign exc_taken = trap_o && !mem_exc_i.is_interrupt;
  always_comb begin
    events_o = mmu_events_i;
    events_o[ev(HPM_EVENT_NONE)]             = 1'b0;
    events_o[ev(HPM_EVENT_CYCLES)]           = 1'b1;
    events_o[ev(HPM_EVENT_INSTRET)]          = commits;
    events_o[ev(HPM_EVENT_LOADS)]            = commits && ex_mem_i.mem_op inside {MEM_LOAD, MEM_LR};
    events_o[ev(HPM_EVENT_STORES)]           = commits && ex_mem_i.mem_op inside {MEM_STORE, MEM_SC};
    events_o[ev(HPM_EVENT_TRAPS)]            = trap_o;
    events_o[ev(HPM_EVENT_BRANCHES_TAKEN)]   = branch_taken_i;
    events_o[ev(HPM_EVENT_PAGE_FAULT_INSN)]  = exc_taken && mem_exc_i.cause == EXC_INSN_PAGE;
    events_o[ev(HPM_EVENT_PAGE_FAULT_LOAD)]  = exc_taken && mem_exc_i.cause == EXC_LOAD_PAGE;
    events_o[ev(HPM_EVENT_PAGE_FAULT_STORE)] = exc_taken && mem_exc_i.cause == EXC_STORE_PAGE;
    events_o[ev(HPM_EVENT_SFENCE_VMA)]       = sfence_o;
  end

endmodule

`default_nettype wire
