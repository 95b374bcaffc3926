// The SoC: the core, the CLINT, and the AXI4 master port. Everything behind the port
// (DRAM, pmem, SIMCTRL) belongs to the harness. The retire port is exported for the
// harness. Data accesses to the CLINT's range go to the CLINT, all others to AXI.
`include "pkg/cosim_assert.svh"

`default_nettype none

module soc_top
  import cosim_pkg::*;
#(
  // MMU geometry (the harness sets these; see harness/src/mmu/params.rs)
  parameter int unsigned ITLB_ENTRIES = 16,
  parameter int unsigned DTLB_ENTRIES = 16,
  parameter int unsigned L2_ENTRIES   = 64,
  parameter int unsigned PWC_ENTRIES  = 8
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic [XLEN-1:0]     boot_addr_i,
  // AXI4 master
  output logic                m_axi_arvalid_o,
  input  logic                m_axi_arready_i,
  output logic [AXI_ID_W-1:0] m_axi_arid_o,
  output logic [XLEN-1:0]     m_axi_araddr_o,
  output logic [7:0]          m_axi_arlen_o,
  output logic [2:0]          m_axi_arsize_o,
  output logic [1:0]          m_axi_arburst_o,
  output logic                m_axi_awvalid_o,
  input  logic                m_axi_awready_i,
  output logic [AXI_ID_W-1:0] m_axi_awid_o,
  output logic [XLEN-1:0]     m_axi_awaddr_o,
  output logic [7:0]          m_axi_awlen_o,
  output logic [2:0]          m_axi_awsize_o,
  output logic [1:0]          m_axi_awburst_o,
  output logic                m_axi_wvalid_o,
  input  logic                m_axi_wready_i,
  output logic [XLEN-1:0]     m_axi_wdata_o,
  output logic [7:0]          m_axi_wstrb_o,
  output logic                m_axi_wlast_o,
  input  logic                m_axi_rvalid_i,
  output logic                m_axi_rready_o,
  input  logic [AXI_ID_W-1:0] m_axi_rid_i,
  input  logic [XLEN-1:0]     m_axi_rdata_i,
  input  logic [1:0]          m_axi_rresp_i,
  input  logic                m_axi_rlast_i,
  input  logic                m_axi_bvalid_i,
  output logic                m_axi_bready_o,
  input  logic [AXI_ID_W-1:0] m_axi_bid_i,
  input  logic [1:0]          m_axi_bresp_i,
  // Retire port
  output logic                rvfi_valid_o,
  output logic [63:0]         rvfi_order_o,
  output logic [31:0]         rvfi_insn_o,
  output logic                rvfi_trap_o,
  output logic [5:0]          rvfi_trap_cause_o,
  output logic [XLEN-1:0]     rvfi_trap_tval_o,
  output logic                rvfi_intr_o,
  output logic [1:0]          rvfi_mode_o,
  output logic [XLEN-1:0]     rvfi_csr_mstatus_o,
  output logic [XLEN-1:0]     rvfi_csr_mip_o,
  output logic                rvfi_trap_interrupt_o,
  output logic [XLEN-1:0]     rvfi_pc_rdata_o,
  output logic [XLEN-1:0]     rvfi_pc_wdata_o,
  output logic [4:0]          rvfi_rd_addr_o,
  output logic [XLEN-1:0]     rvfi_rd_wdata_o,
  output logic [XLEN-1:0]     rvfi_mem_addr_o,
  output logic [7:0]          rvfi_mem_rmask_o,
  output logic [7:0]          rvfi_mem_wmask_o,
  output logic [XLEN-1:0]     rvfi_mem_rdata_o,
  output logic [XLEN-1:0]     rvfi_mem_wdata_o,
  output logic [XLEN-1:0]     rvfi_mem_paddr_o,
  output logic [XLEN-1:0]     rvfi_mem_pte_o,
  output logic [XLEN-1:0]     rvfi_pc_paddr_o,
  // Counter events of this cycle (bit n: hpm_event_e n), TLB entries flushed, and
  // what the MMU did (see mmu_trace_t), for the harness
  output logic [HPM_EVENTS-1:0] events_o,
  output logic [7:0]          flushed_o,
  output logic        mmu_ilookup_o,
  output logic [63:0] mmu_ivaddr_o,
  output logic        mmu_dlookup_o,
  output logic [63:0] mmu_dvaddr_o,
  output logic [1:0] mmu_daccess_o,
  output logic        mmu_walk_start_o,
  output logic        mmu_walk_done_o,
  output logic        mmu_walk_discard_o,
  output logic        mmu_walk_port_o,
  output logic [1:0] mmu_walk_fault_o,
  output logic        mmu_walk_filled_o,
  output logic        mmu_walk_walked_o,
  output logic [1:0] mmu_walk_level_o,
  output logic [63:0] mmu_walk_vaddr_o,
  output logic [63:0] mmu_walk_satp_o,
  output logic [1:0] mmu_walk_access_o,
  output logic [1:0] mmu_walk_priv_o,
  output logic        mmu_walk_sum_o,
  output logic        mmu_walk_mxr_o,
  output logic        mmu_walk_adue_o,
  output logic [63:0] mmu_walk_pte_o,
  output logic [63:0] mmu_walk_pte_addr_o,
  output logic [2:0] mmu_walk_reads_o,
  output logic [63:0] mmu_satp_o,
  output logic        mmu_sfence_o,
  output logic        mmu_sfence_rs1_o,
  output logic        mmu_sfence_rs2_o,
  output logic [63:0] mmu_sfence_vaddr_o,
  output logic [63:0] mmu_sfence_asid_o
);

  logic            fetch_req, fetch_gnt, fetch_rvalid;
  logic [XLEN-1:0] fetch_addr;
  logic            data_rd_req, data_wr_req, data_rd_gnt, data_wr_gnt;
  logic            data_rvalid, data_bvalid, data_berr;
  logic [XLEN-1:0] data_addr, data_wdata;
  logic [2:0]      data_size;
  logic [7:0]      data_wstrb;
  logic [XLEN-1:0] rdata;
  logic            rerr, rlast;

  // ---------------------------------------------------------------- data routing
  logic            to_clint;
  logic            axi_rd_gnt, axi_wr_gnt, axi_rvalid, axi_bvalid, axi_berr;
  logic            clint_rvalid, clint_bvalid, clint_err, mtip, msip;
  logic [XLEN-1:0] clint_rdata, data_rdata, mtime;
  logic            data_rerr;
  assign to_clint = data_addr >= CLINT_BASE && data_addr < CLINT_BASE + CLINT_SIZE;

  clint u_clint (
    .clk_i,
    .rst_ni,
    .rd_req_i (data_rd_req && to_clint),
    .wr_req_i (data_wr_req && to_clint),
    .offset_i (data_addr[15:3]),
    .wdata_i  (data_wdata),
    .wstrb_i  (data_wstrb),
    .rvalid_o (clint_rvalid),
    .bvalid_o (clint_bvalid),
    .rdata_o  (clint_rdata),
    .err_o    (clint_err),
    .mtip_o   (mtip),
    .msip_o   (msip),
    .mtime_o  (mtime)
  );

  // The CLINT takes a request at once; it answers while no AXI data response can be
  // in flight (the LSU has one access at a time).
  assign data_rd_gnt = to_clint ? data_rd_req : axi_rd_gnt;
  assign data_wr_gnt = to_clint ? data_wr_req : axi_wr_gnt;
  assign data_rvalid = clint_rvalid || axi_rvalid;
  assign data_bvalid = clint_bvalid || axi_bvalid;
  assign data_rdata  = clint_rvalid ? clint_rdata : rdata;
  assign data_rerr   = clint_rvalid ? clint_err : rerr;
  assign data_berr   = clint_bvalid ? clint_err : axi_berr;

  logic            ptw_rd_req, ptw_wr_req, ptw_rd_gnt, ptw_rvalid, ptw_wr_gnt, ptw_bvalid;
  logic [XLEN-1:0] ptw_addr, ptw_wdata;
  mmu_trace_t      mmu_trace;
  assign mmu_ilookup_o = mmu_trace.ilookup;
  assign mmu_ivaddr_o = mmu_trace.ivaddr;
  assign mmu_dlookup_o = mmu_trace.dlookup;
  assign mmu_dvaddr_o = mmu_trace.dvaddr;
  assign mmu_daccess_o = mmu_trace.daccess;
  assign mmu_walk_start_o = mmu_trace.walk_start;
  assign mmu_walk_done_o = mmu_trace.walk_done;
  assign mmu_walk_discard_o = mmu_trace.walk_discard;
  assign mmu_walk_port_o = mmu_trace.walk_port;
  assign mmu_walk_fault_o = mmu_trace.walk_fault;
  assign mmu_walk_filled_o = mmu_trace.walk_filled;
  assign mmu_walk_walked_o = mmu_trace.walk_walked;
  assign mmu_walk_level_o = mmu_trace.walk_level;
  assign mmu_walk_vaddr_o = mmu_trace.walk_vaddr;
  assign mmu_walk_satp_o = mmu_trace.walk_satp;
  assign mmu_walk_access_o = mmu_trace.walk_access;
  assign mmu_walk_priv_o = mmu_trace.walk_priv;
  assign mmu_walk_sum_o = mmu_trace.walk_sum;
  assign mmu_walk_mxr_o = mmu_trace.walk_mxr;
  assign mmu_walk_adue_o = mmu_trace.walk_adue;
  assign mmu_walk_pte_o = mmu_trace.walk_pte;
  assign mmu_walk_pte_addr_o = mmu_trace.walk_pte_addr;
  assign mmu_walk_reads_o = mmu_trace.walk_reads;
  assign mmu_satp_o = mmu_trace.satp;
  assign mmu_sfence_o = mmu_trace.sfence;
  assign mmu_sfence_rs1_o = mmu_trace.sfence_rs1;
  assign mmu_sfence_rs2_o = mmu_trace.sfence_rs2;
  assign mmu_sfence_vaddr_o = mmu_trace.sfence_vaddr;
  assign mmu_sfence_asid_o = mmu_trace.sfence_asid;

  cosim_core #(
    .ITLB_ENTRIES (ITLB_ENTRIES),
    .DTLB_ENTRIES (DTLB_ENTRIES),
    .L2_ENTRIES   (L2_ENTRIES),
    .PWC_ENTRIES  (PWC_ENTRIES)
  ) u_core (
    .clk_i,
    .rst_ni,
    .boot_addr_i,
    .fetch_req_o    (fetch_req),
    .fetch_addr_o   (fetch_addr),
    .fetch_gnt_i    (fetch_gnt),
    .fetch_rvalid_i (fetch_rvalid),
    .data_rd_req_o  (data_rd_req),
    .data_wr_req_o  (data_wr_req),
    .data_addr_o    (data_addr),
    .data_size_o    (data_size),
    .data_wdata_o   (data_wdata),
    .data_wstrb_o   (data_wstrb),
    .data_rd_gnt_i  (data_rd_gnt),
    .data_wr_gnt_i  (data_wr_gnt),
    .data_rvalid_i  (data_rvalid),
    .data_bvalid_i  (data_bvalid),
    .data_berr_i    (data_berr),
    .data_rdata_i   (data_rdata),
    .data_rerr_i    (data_rerr),
    .rdata_i        (rdata),
    .rerr_i         (rerr),
    .rlast_i        (rlast),
    .mtip_i         (mtip),
    .msip_i         (msip),
    .mtime_i        (mtime),
    .ptw_rd_req_o   (ptw_rd_req),
    .ptw_wr_req_o   (ptw_wr_req),
    .ptw_addr_o     (ptw_addr),
    .ptw_wdata_o    (ptw_wdata),
    .ptw_rd_gnt_i   (ptw_rd_gnt),
    .ptw_rvalid_i   (ptw_rvalid),
    .ptw_wr_gnt_i   (ptw_wr_gnt),
    .ptw_bvalid_i   (ptw_bvalid),
    .ptw_berr_i     (axi_berr),
    .events_o,
    .flushed_o,
    .mmu_trace_o    (mmu_trace),
    .rvfi_mem_paddr_o,
    .rvfi_mem_pte_o,
    .rvfi_pc_paddr_o,
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
    .rvfi_mem_rmask_o,
    .rvfi_mem_wmask_o,
    .rvfi_mem_rdata_o,
    .rvfi_mem_wdata_o
  );

  axi_master u_axi (
    .clk_i,
    .rst_ni,
    .fetch_req_i    (fetch_req),
    .fetch_addr_i   (fetch_addr),
    .fetch_gnt_o    (fetch_gnt),
    .fetch_rvalid_o (fetch_rvalid),
    .ptw_rd_req_i   (ptw_rd_req),
    .ptw_wr_req_i   (ptw_wr_req),
    .ptw_addr_i     (ptw_addr),
    .ptw_wdata_i    (ptw_wdata),
    .ptw_rd_gnt_o   (ptw_rd_gnt),
    .ptw_rvalid_o   (ptw_rvalid),
    .ptw_wr_gnt_o   (ptw_wr_gnt),
    .ptw_bvalid_o   (ptw_bvalid),
    .data_rd_req_i  (data_rd_req && !to_clint),
    .data_addr_i    (data_addr),
    .data_size_i    (data_size),
    .data_rd_gnt_o  (axi_rd_gnt),
    .data_rvalid_o  (axi_rvalid),
    .data_wr_req_i  (data_wr_req && !to_clint),
    .data_wdata_i   (data_wdata),
    .data_wstrb_i   (data_wstrb),
    .data_wr_gnt_o  (axi_wr_gnt),
    .data_bvalid_o  (axi_bvalid),
    .data_berr_o    (axi_berr),
    .rdata_o        (rdata),
    .rerr_o         (rerr),
    .rlast_o        (rlast),
    .m_axi_arvalid_o,
    .m_axi_arready_i,
    .m_axi_arid_o,
    .m_axi_araddr_o,
    .m_axi_arlen_o,
    .m_axi_arsize_o,
    .m_axi_arburst_o,
    .m_axi_awvalid_o,
    .m_axi_awready_i,
    .m_axi_awid_o,
    .m_axi_awaddr_o,
    .m_axi_awlen_o,
    .m_axi_awsize_o,
    .m_axi_awburst_o,
    .m_axi_wvalid_o,
    .m_axi_wready_i,
    .m_axi_wdata_o,
    .m_axi_wstrb_o,
    .m_axi_wlast_o,
    .m_axi_rvalid_i,
    .m_axi_rready_o,
    .m_axi_rid_i,
    .m_axi_rdata_i,
    .m_axi_rresp_i,
    .m_axi_rlast_i,
    .m_axi_bvalid_i,
    .m_axi_bready_o,
    .m_axi_bid_i,
    .m_axi_bresp_i
  );

  // ---------------------------------------------------------------- assertions
  // AXI4 (A3.2.1): once VALID is high it stays high, with the same payload, until the
  // handshake.
  `COSIM_ASSERT_HELD(axi_ar_held, m_axi_arvalid_o, m_axi_arready_i,
      {m_axi_arid_o, m_axi_araddr_o, m_axi_arlen_o, m_axi_arsize_o, m_axi_arburst_o},
      "AXI AR: arvalid dropped or the address changed before arready")
  `COSIM_ASSERT_HELD(axi_aw_held, m_axi_awvalid_o, m_axi_awready_i,
      {m_axi_awid_o, m_axi_awaddr_o, m_axi_awlen_o, m_axi_awsize_o, m_axi_awburst_o},
      "AXI AW: awvalid dropped or the address changed before awready")
  `COSIM_ASSERT_HELD(axi_w_held, m_axi_wvalid_o, m_axi_wready_i,
      {m_axi_wdata_o, m_axi_wstrb_o, m_axi_wlast_o},
      "AXI W: wvalid dropped or the data changed before wready")
  // The retire port: a trapping instruction writes no register.
  `COSIM_ASSERT(retire_trap_no_write, !(rvfi_valid_o && rvfi_trap_o && rvfi_rd_addr_o != 5'd0),
      "retire: an instruction that trapped reports a register write")

endmodule

`default_nettype wire
