// The in-order five-stage pipeline, one module per stage: fetch, decode, execute,
// memory (the commit point: traps, CSRs, MRET/SRET, FENCE.I and SFENCE.VMA act here)
// and writeback (register write and the retire port), with the controller (interrupts,
// redirects, flushes), the CSR file and the MMU. Stages pass packed structs
// (cosim_pkg: if_id_t, id_ex_t, ex_mem_t, mem_wb_t).
`default_nettype none

module cosim_core
  import cosim_pkg::*;
#(
  parameter int unsigned ITLB_ENTRIES = 16,
  parameter int unsigned DTLB_ENTRIES = 16,
  parameter int unsigned L2_ENTRIES   = 64,
  parameter int unsigned PWC_ENTRIES  = 8
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic [XLEN-1:0] boot_addr_i,
  // Bus unit: instruction line fills
  output logic            fetch_req_o,
  output logic [XLEN-1:0] fetch_addr_o,
  input  logic            fetch_gnt_i,
  input  logic            fetch_rvalid_i,
  // Bus unit: data
  output logic            data_rd_req_o,
  output logic            data_wr_req_o,
  output logic [XLEN-1:0] data_addr_o,
  output logic [2:0]      data_size_o,
  output logic [XLEN-1:0] data_wdata_o,
  output logic [7:0]      data_wstrb_o,
  input  logic            data_rd_gnt_i,
  input  logic            data_wr_gnt_i,
  input  logic            data_rvalid_i,
  input  logic            data_bvalid_i,
  input  logic            data_berr_i,
  input  logic [XLEN-1:0] data_rdata_i,
  input  logic            data_rerr_i,
  // Bus unit: read data of instruction fills
  input  logic [XLEN-1:0] rdata_i,
  input  logic            rerr_i,
  input  logic            rlast_i,
  // Interrupt sources (CLINT)
  input  logic            mtip_i,
  input  logic            msip_i,
  input  logic [XLEN-1:0] mtime_i,
  // Bus unit: the page-table walker
  output logic            ptw_rd_req_o,
  output logic            ptw_wr_req_o,
  output logic [XLEN-1:0] ptw_addr_o,
  output logic [XLEN-1:0] ptw_wdata_o,
  input  logic            ptw_rd_gnt_i,
  input  logic            ptw_rvalid_i,
  input  logic            ptw_wr_gnt_i,
  input  logic            ptw_bvalid_i,
  input  logic            ptw_berr_i,
  // Counters and MMU trace for the harness
  output logic [HPM_EVENTS-1:0] events_o,
  output logic [7:0]      flushed_o,
  output mmu_trace_t      mmu_trace_o,
  // Retire port (RVFI-style)
  output logic            rvfi_valid_o,
  output logic [63:0]     rvfi_order_o,
  output logic [31:0]     rvfi_insn_o,
  output logic            rvfi_trap_o,
  output logic [5:0]      rvfi_trap_cause_o,  // extension: mcause of the trap
  output logic [XLEN-1:0] rvfi_trap_tval_o,   // extension: mtval of the trap
  output logic            rvfi_intr_o,        // first instruction of a trap handler
  output logic [1:0]      rvfi_mode_o,        // privilege the instruction ran in
  output logic [XLEN-1:0] rvfi_csr_mstatus_o, // mstatus after the instruction
  output logic [XLEN-1:0] rvfi_csr_mip_o,     // mip as the instruction found it
  output logic            rvfi_trap_interrupt_o, // the trap is an interrupt
  output logic [XLEN-1:0] rvfi_pc_rdata_o,
  output logic [XLEN-1:0] rvfi_pc_wdata_o,
  output logic [4:0]      rvfi_rd_addr_o,
  output logic [XLEN-1:0] rvfi_rd_wdata_o,
  output logic [XLEN-1:0] rvfi_mem_addr_o,
  output logic [XLEN-1:0] rvfi_mem_paddr_o,   // extension: physical address of mem_addr
  output logic [XLEN-1:0] rvfi_mem_pte_o,     // extension: the leaf PTE that translated it
  output logic [XLEN-1:0] rvfi_pc_paddr_o,    // extension: physical address of pc_rdata
  output logic [7:0]      rvfi_mem_rmask_o,
  output logic [7:0]      rvfi_mem_wmask_o,
  output logic [XLEN-1:0] rvfi_mem_rdata_o,
  output logic [XLEN-1:0] rvfi_mem_wdata_o
);

  // ================================================================ signals
  // Pipeline registers (each owned by the stage that fills it)
  if_id_t  if_id;
  id_ex_t  id_ex;
  ex_mem_t ex_mem;
  mem_wb_t mem_wb;
  // Handshakes, redirects and commit (controller)
  logic            id_ready, ex_ready, mem_ready, mem_advance;
  logic            ex_redirect, mem_redirect, fetch_redirect, fetch_invalidate;
  logic [XLEN-1:0] ex_target, mem_target, fetch_target;
  logic            irq_take, trap, mret, sret, sfence, retire, branch_taken;
  logic [XLEN-1:0] ex_rs1, ex_rs2;
  // Memory stage
  logic            mem_live, mem_done, mem_idle, lsu_idle;
  exception_t      mem_exc;
  // Register file write (writeback)
  logic            rf_we;
  logic [4:0]      rf_waddr;
  logic [XLEN-1:0] rf_wdata;
  // CSR file
  logic            csr_illegal, irq_pending, irq_wake, adue;
  logic [5:0]      irq_code;
  logic [XLEN-1:0] csr_rdata, trap_vector, xret_target, mip, mstatus, satp;
  priv_e           priv;
  logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] pmp_lo, pmp_hi;
  logic [PMP_ENTRIES-1:0][2:0]          pmp_perms;
  logic [PMP_ENTRIES-1:0]               pmp_locked;
  // MMU ports
  logic            ixlate_req, ixlate_kill, ixlate_done;
  logic [XLEN-1:0] ixlate_vaddr, ixlate_paddr;
  xfault_e         ixlate_fault;
  logic            dxlate_req, dxlate_done, dxlate_idle, hold_lsu;
  logic [XLEN-1:0] dxlate_vaddr, dxlate_paddr, dxlate_pte;
  access_e         dxlate_access;
  xfault_e         dxlate_fault;
  // Events
  logic [HPM_EVENTS-1:0] hpm_events, mmu_events;
  logic [7:0]            flushed;

  // ================================================================ stages
  fetch_stage u_fetch (
    .clk_i,
    .rst_ni,
    .boot_addr_i,
    .redirect_i    (fetch_redirect),
    .redirect_pc_i (fetch_target),
    .invalidate_i  (fetch_invalidate),
    .id_ready_i    (id_ready),
    .priv_i        (priv),
    .pmp_lo_i      (pmp_lo),
    .pmp_hi_i      (pmp_hi),
    .pmp_perms_i   (pmp_perms),
    .pmp_locked_i  (pmp_locked),
    .if_id_o       (if_id),
    .xlate_req_o   (ixlate_req),
    .xlate_vaddr_o (ixlate_vaddr),
    .xlate_kill_o  (ixlate_kill),
    .xlate_done_i  (ixlate_done),
    .xlate_paddr_i (ixlate_paddr),
    .xlate_fault_i (ixlate_fault),
    .fill_req_o    (fetch_req_o),
    .fill_addr_o   (fetch_addr_o),
    .fill_gnt_i    (fetch_gnt_i),
    .fill_rvalid_i (fetch_rvalid_i),
    .fill_rdata_i  (rdata_i),
    .fill_rerr_i   (rerr_i),
    .fill_rlast_i  (rlast_i)
  );

  decode_stage u_decode (
    .clk_i,
    .rst_ni,
    .if_id_i    (if_id),
    .flush_i    (fetch_redirect),
    .ex_ready_i (ex_ready),
    .ex_rs1_i   (ex_rs1),
    .ex_rs2_i   (ex_rs2),
    .rf_we_i    (rf_we),
    .rf_waddr_i (rf_waddr),
    .rf_wdata_i (rf_wdata),
    .ready_o    (id_ready),
    .id_ex_o    (id_ex)
  );

  execute_stage u_execute (
    .clk_i,
    .rst_ni,
    .id_ex_i        (id_ex),
    .wb_we_i        (rf_we),
    .wb_rd_i        (rf_waddr),
    .wb_wdata_i     (rf_wdata),
    .mem_ready_i    (mem_ready),
    .flush_i        (mem_redirect),
    .ready_o        (ex_ready),
    .redirect_o     (ex_redirect),
    .target_o       (ex_target),
    .rs1_o          (ex_rs1),
    .rs2_o          (ex_rs2),
    .branch_taken_o (branch_taken),
    .ex_mem_o       (ex_mem)
  );

  memory_stage u_memory (
    .clk_i,
    .rst_ni,
    .ex_mem_i            (ex_mem),
    .priv_i              (priv),
    .mstatus_i           (mstatus),
    .mip_i               (mip),
    .csr_illegal_i       (csr_illegal),
    .csr_rdata_i         (csr_rdata),
    .pmp_lo_i            (pmp_lo),
    .pmp_hi_i            (pmp_hi),
    .pmp_perms_i         (pmp_perms),
    .pmp_locked_i        (pmp_locked),
    .irq_take_i          (irq_take),
    .irq_code_i          (irq_code),
    .advance_i           (mem_advance),
    .trap_i              (trap),
    .redirect_i          (mem_redirect),
    .target_i            (mem_target),
    .clear_reservation_i (trap || mret || sret),
    .live_o              (mem_live),
    .done_o              (mem_done),
    .idle_o              (mem_idle),
    .lsu_idle_o          (lsu_idle),
    .exc_o               (mem_exc),
    .xlate_req_o         (dxlate_req),
    .xlate_vaddr_o       (dxlate_vaddr),
    .xlate_access_o      (dxlate_access),
    .xlate_done_i        (dxlate_done),
    .xlate_paddr_i       (dxlate_paddr),
    .xlate_pte_i         (dxlate_pte),
    .xlate_fault_i       (dxlate_fault),
    .xlate_idle_i        (dxlate_idle),
    .hold_lsu_i          (hold_lsu),
    .rd_req_o            (data_rd_req_o),
    .wr_req_o            (data_wr_req_o),
    .addr_o              (data_addr_o),
    .size_o              (data_size_o),
    .wdata_o             (data_wdata_o),
    .wstrb_o             (data_wstrb_o),
    .rd_gnt_i            (data_rd_gnt_i),
    .wr_gnt_i            (data_wr_gnt_i),
    .rvalid_i            (data_rvalid_i),
    .bvalid_i            (data_bvalid_i),
    .berr_i              (data_berr_i),
    .rdata_i             (data_rdata_i),
    .rerr_i              (data_rerr_i),
    .mem_wb_o            (mem_wb)
  );

  writeback_stage u_writeback (
    .clk_i,
    .rst_ni,
    .mem_wb_i   (mem_wb),
    .mstatus_i  (mstatus),
    .rf_we_o    (rf_we),
    .rf_waddr_o (rf_waddr),
    .rf_wdata_o (rf_wdata),
    .rvfi_valid_o,
    .rvfi_order_o,
    .rvfi_insn_o,
    .rvfi_trap_o,
    .rvfi_trap_cause_o,
    .rvfi_trap_tval_o,
    .rvfi_intr_o,
    .rvfi_mode_o,
    .rvfi_csr_mstatus_o,
    .rvfi_csr_mip_o,
    .rvfi_trap_interrupt_o,
    .rvfi_pc_rdata_o,
    .rvfi_pc_wdata_o,
    .rvfi_rd_addr_o,
    .rvfi_rd_wdata_o,
    .rvfi_mem_addr_o,
    .rvfi_mem_paddr_o,
    .rvfi_mem_pte_o,
    .rvfi_pc_paddr_o,
    .rvfi_mem_rmask_o,
    .rvfi_mem_wmask_o,
    .rvfi_mem_rdata_o,
    .rvfi_mem_wdata_o
  );

  // ================================================================ control
  controller u_controller (
    .ex_mem_i           (ex_mem),
    .mem_live_i         (mem_live),
    .mem_done_i         (mem_done),
    .mem_idle_i         (mem_idle),
    .mem_exc_i          (mem_exc),
    .ex_redirect_i      (ex_redirect),
    .ex_target_i        (ex_target),
    .branch_taken_i     (branch_taken),
    .csr_illegal_i      (csr_illegal),
    .irq_pending_i      (irq_pending),
    .irq_wake_i         (irq_wake),
    .trap_vector_i      (trap_vector),
    .xret_target_i      (xret_target),
    .mmu_events_i       (mmu_events),
    .irq_take_o         (irq_take),
    .mem_advance_o      (mem_advance),
    .mem_ready_o        (mem_ready),
    .trap_o             (trap),
    .mret_o             (mret),
    .sret_o             (sret),
    .sfence_o           (sfence),
    .retire_o           (retire),
    .mem_redirect_o     (mem_redirect),
    .mem_target_o       (mem_target),
    .fetch_redirect_o   (fetch_redirect),
    .fetch_target_o     (fetch_target),
    .fetch_invalidate_o (fetch_invalidate),
    .events_o           (hpm_events)
  );
  assign events_o  = hpm_events;
  assign flushed_o = flushed;

  csr_file u_csr (
    .clk_i,
    .rst_ni,
    .commit_i      (mem_advance && mem_live),
    .op_i          (mem_live ? ex_mem.csr_op : CSR_NONE),
    .sys_op_i      (mem_live ? ex_mem.sys_op : SYS_NONE),
    .addr_i        (ex_mem.csr_addr),
    .write_i       (ex_mem.csr_write),
    .operand_i     (ex_mem.result),
    .rdata_o       (csr_rdata),
    .illegal_o     (csr_illegal),
    .trap_i        (trap),
    .cause_i       (mem_exc.cause),
    .interrupt_i   (mem_exc.is_interrupt),
    .mtip_i,
    .msip_i,
    .mtime_i,
    .irq_pending_o (irq_pending),
    .irq_code_o    (irq_code),
    .irq_wake_o    (irq_wake),
    .mip_o         (mip),
    .pmp_lo_o      (pmp_lo),
    .pmp_hi_o      (pmp_hi),
    .pmp_perms_o   (pmp_perms),
    .pmp_locked_o  (pmp_locked),
    .tval_i        (mem_exc.tval),
    .epc_i         (ex_mem.pc),
    .mret_i        (mret),
    .sret_i        (sret),
    .retire_i      (retire),
    .events_i      (hpm_events),
    .flushed_i     (flushed),
    .priv_o        (priv),
    .trap_vector_o (trap_vector),
    .xret_target_o (xret_target),
    .mstatus_o     (mstatus),
    .satp_o        (satp),
    .adue_o        (adue)
  );

  // ================================================================ MMU
  mmu #(
    .ITLB_ENTRIES (ITLB_ENTRIES),
    .DTLB_ENTRIES (DTLB_ENTRIES),
    .L2_ENTRIES   (L2_ENTRIES),
    .PWC_ENTRIES  (PWC_ENTRIES)
  ) u_mmu (
    .clk_i,
    .rst_ni,
    .satp_i         (satp),
    .priv_i         (priv),
    .mstatus_i      (mstatus),
    .adue_i         (adue),
    .ireq_i         (ixlate_req),
    .ivaddr_i       (ixlate_vaddr),
    .ikill_i        (ixlate_kill),
    .idone_o        (ixlate_done),
    .ipaddr_o       (ixlate_paddr),
    .ifault_o       (ixlate_fault),
    .dreq_i         (dxlate_req),
    .dvaddr_i       (dxlate_vaddr),
    .daccess_i      (dxlate_access),
    .ddone_o        (dxlate_done),
    .dpaddr_o       (dxlate_paddr),
    .dpte_o         (dxlate_pte),
    .dfault_o       (dxlate_fault),
    .didle_o        (dxlate_idle),
    .sfence_i       (sfence),
    .sfence_rs1_i   (ex_mem.insn[19:15] != 5'd0),
    .sfence_vaddr_i (ex_mem.rs1_val),
    .sfence_rs2_i   (ex_mem.insn[24:20] != 5'd0),
    .sfence_asid_i  (ex_mem.store_data),
    .ptw_rd_req_o,
    .ptw_wr_req_o,
    .ptw_addr_o,
    .ptw_wdata_o,
    .ptw_rd_gnt_i,
    .ptw_rvalid_i,
    .ptw_rdata_i    (rdata_i),
    .ptw_rerr_i     (rerr_i),
    .ptw_wr_gnt_i,
    .ptw_bvalid_i,
    .ptw_berr_i,
    .pmp_lo_i       (pmp_lo),
    .pmp_hi_i       (pmp_hi),
    .pmp_perms_i    (pmp_perms),
    .pmp_locked_i   (pmp_locked),
    .lsu_idle_i     (lsu_idle),
    .fetch_oldest_i (!if_id.valid && !id_ex.valid && !ex_mem.valid),
    .hold_lsu_o     (hold_lsu),
    .events_o       (mmu_events),
    .flushed_o      (flushed),
    .trace_o        (mmu_trace_o)
  );

endmodule

`default_nettype wire
