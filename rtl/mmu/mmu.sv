// The MMU: a fetch port (ITLB) and a data port (DTLB) in front of one shared page-table
// walker with its L2 TLB and page-walk cache. Translation applies when satp.MODE is
// Sv39 or Sv48 and the access's effective privilege is below M. The walker serves the
// data port first when both miss. Everything it counts leaves on events_o.
`default_nettype none

module mmu
  import cosim_pkg::*;
#(
  parameter int unsigned ITLB_ENTRIES = 16,
  parameter int unsigned DTLB_ENTRIES = 16,
  parameter int unsigned L2_ENTRIES   = 64,
  parameter int unsigned PWC_ENTRIES  = 8
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  input  logic [XLEN-1:0]   satp_i,
  input  priv_e             priv_i,
  input  logic [XLEN-1:0]   mstatus_i,
  input  logic              adue_i,
  // Fetch port
  input  logic              ireq_i,
  input  logic [XLEN-1:0]   ivaddr_i,
  input  logic              ikill_i,
  output logic              idone_o,
  output logic [XLEN-1:0]   ipaddr_o,
  output xfault_e           ifault_o,
  // Data port
  input  logic              dreq_i,
  input  logic [XLEN-1:0]   dvaddr_i,
  input  access_e           daccess_i,
  output logic              ddone_o,
  output logic [XLEN-1:0]   dpaddr_o,
  output logic [XLEN-1:0]   dpte_o,
  output xfault_e           dfault_o,
  output logic              didle_o,    // no data miss under way
  // sfence.vma (rs1/rs2 are x0 or not, and their values)
  input  logic              sfence_i,
  input  logic              sfence_rs1_i,
  input  logic [XLEN-1:0]   sfence_vaddr_i,
  input  logic              sfence_rs2_i,
  input  logic [XLEN-1:0]   sfence_asid_i,
  // Walker bus port
  output logic              ptw_rd_req_o,
  output logic              ptw_wr_req_o,
  output logic [XLEN-1:0]   ptw_addr_o,
  output logic [XLEN-1:0]   ptw_wdata_o,
  input  logic              ptw_rd_gnt_i,
  input  logic              ptw_rvalid_i,
  input  logic [XLEN-1:0]   ptw_rdata_i,
  input  logic              ptw_rerr_i,
  input  logic              ptw_wr_gnt_i,
  input  logic              ptw_bvalid_i,
  input  logic              ptw_berr_i,
  input  logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] pmp_lo_i,
  input  logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] pmp_hi_i,
  input  logic [PMP_ENTRIES-1:0][2:0] pmp_perms_i,
  input  logic [PMP_ENTRIES-1:0] pmp_locked_i,
  input  logic              lsu_idle_i,
  input  logic              fetch_oldest_i,  // nothing older than the fetch is in flight
  output logic              hold_lsu_o,
  // Counting and tracing
  output logic [HPM_EVENTS-1:0] events_o,   // MMU events at their hpm_event_e bit
  output logic [7:0]        flushed_o,      // TLB entries flushed this cycle
  output mmu_trace_t        trace_o
);

  logic  sum, mxr;
  priv_e data_priv;
`ifdef COSIM_MUTANT_SUM_IGNORED
  assign sum       = 1'b1;
`else
  assign sum       = mstatus_i[MSTATUS_SUM];
`endif
`ifdef COSIM_MUTANT_MXR_IGNORED
  assign mxr       = 1'b0;
`else
  assign mxr       = mstatus_i[MSTATUS_MXR];
`endif
  // MPRV: M-mode loads and stores translate as MPP would.
`ifdef COSIM_MUTANT_MPRV_IGNORED
  assign data_priv = effective_data_priv(priv_i, mstatus_i & ~(64'd1 << MSTATUS_MPRV));
`else
  assign data_priv = effective_data_priv(priv_i, mstatus_i);
`endif

  logic [VPN_W-1:0]  flush_vpn;
  logic [ASID_W-1:0] flush_asid;
  assign flush_vpn  = sfence_vaddr_i[12 +: VPN_W];
  assign flush_asid = sfence_asid_i[ASID_W-1:0];

  logic [XLEN-1:0] unused_ipte;  // fetch lines keep only their physical address

  // ---------------------------------------------------------------- walker
  logic       walk_req_i, walk_req_d, accept, done, done_port, done_fill, done_retry;
  logic [XLEN-1:0] walk_vaddr_i, walk_vaddr_d;
  access_e    walk_access_i, walk_access_d;
  xfault_e    done_fault;
  tlb_entry_t done_entry;
  logic       sel_data;
  assign sel_data = walk_req_d;

  // ---------------------------------------------------------------- ports
  logic       ilookup, imiss, dlookup, dmiss, iwaiting, dwaiting;
  logic [7:0] iflushed, dflushed, l2flushed;

  xlate_port #(.ENTRIES(ITLB_ENTRIES)) u_itlb (
    .clk_i,
    .rst_ni,
    .req_i           (ireq_i),
    .vaddr_i         (ivaddr_i),
    .access_i        (ACC_FETCH),
    .priv_i          (priv_i),
    .kill_i          (ikill_i),
    .satp_i,
    .sum_i           (sum),
    .mxr_i           (mxr),
    .done_o          (idone_o),
    .paddr_o         (ipaddr_o),
    .pte_o           (unused_ipte),
    .fault_o         (ifault_o),
    .waiting_o       (iwaiting),
    .walk_req_o      (walk_req_i),
    .walk_vaddr_o    (walk_vaddr_i),
    .walk_access_o   (walk_access_i),
    .walk_accept_i   (accept && !sel_data),
    .walk_done_i     (done && !done_port),
    .walk_fault_i    (done_fault),
    .walk_entry_i    (done_entry),
    .walk_fill_i     (done_fill && !done_port),
    .walk_retry_i    (done_retry),
    .flush_i         (sfence_i),
    .flush_by_va_i   (sfence_rs1_i),
    .flush_vpn_i     (flush_vpn),
    .flush_by_asid_i (sfence_rs2_i),
    .flush_asid_i    (flush_asid),
    .flushed_o       (iflushed),
    .lookup_o        (ilookup),
    .miss_o          (imiss)
  );

  xlate_port #(.ENTRIES(DTLB_ENTRIES)) u_dtlb (
    .clk_i,
    .rst_ni,
    .req_i           (dreq_i),
    .vaddr_i         (dvaddr_i),
    .access_i        (daccess_i),
    .priv_i          (data_priv),
    .kill_i          (1'b0),
    .satp_i,
    .sum_i           (sum),
    .mxr_i           (mxr),
    .done_o          (ddone_o),
    .paddr_o         (dpaddr_o),
    .pte_o           (dpte_o),
    .fault_o         (dfault_o),
    .waiting_o       (dwaiting),
    .walk_req_o      (walk_req_d),
    .walk_vaddr_o    (walk_vaddr_d),
    .walk_access_o   (walk_access_d),
    .walk_accept_i   (accept && sel_data),
    .walk_done_i     (done && done_port),
    .walk_fault_i    (done_fault),
    .walk_entry_i    (done_entry),
`ifdef COSIM_MUTANT_TLB_NEVER_FILLS_DTLB
    .walk_fill_i     (1'b0),
`else
    .walk_fill_i     (done_fill && done_port),
`endif
    .walk_retry_i    (done_retry),
    .flush_i         (sfence_i),
    .flush_by_va_i   (sfence_rs1_i),
    .flush_vpn_i     (flush_vpn),
    .flush_by_asid_i (sfence_rs2_i),
    .flush_asid_i    (flush_asid),
    .flushed_o       (dflushed),
    .lookup_o        (dlookup),
    .miss_o          (dmiss)
  );
  assign didle_o = !dwaiting;

  logic l2_hit, l2_miss, walk, walk_cycle, walk_read, pwc_hit, pwc_miss, walk_fault, ad_update;
  logic [3:0] leaf_level;

  ptw #(.L2_ENTRIES(L2_ENTRIES), .PWC_ENTRIES(PWC_ENTRIES)) u_ptw (
    .clk_i,
    .rst_ni,
    .req_i           (walk_req_d || walk_req_i),
    .req_port_i      (sel_data),
    .req_vaddr_i     (sel_data ? walk_vaddr_d : walk_vaddr_i),
    .req_access_i    (sel_data ? walk_access_d : walk_access_i),
    .req_priv_i      (sel_data ? data_priv : priv_i),
    .satp_i,
    .sum_i           (sum),
    .mxr_i           (mxr),
    .adue_i,
    .accept_o        (accept),
    .done_o          (done),
    .done_port_o     (done_port),
    .done_fault_o    (done_fault),
    .done_entry_o    (done_entry),
    .done_fill_o     (done_fill),
    .done_retry_o    (done_retry),
    .rec_start_o     (trace_o.walk_start),
    .rec_discard_o   (trace_o.walk_discard),
    .rec_walked_o    (trace_o.walk_walked),
    .rec_vaddr_o     (trace_o.walk_vaddr),
    .rec_satp_o      (trace_o.walk_satp),
    .rec_access_o    (trace_o.walk_access),
    .rec_priv_o      (trace_o.walk_priv),
    .rec_pte_o       (trace_o.walk_pte),
    .rec_pte_addr_o  (trace_o.walk_pte_addr),
    .rec_reads_o     (trace_o.walk_reads),
    .rec_level_o     (trace_o.walk_level),
    .rec_sum_o       (trace_o.walk_sum),
    .rec_mxr_o       (trace_o.walk_mxr),
    .rec_adue_o      (trace_o.walk_adue),
    .rd_req_o        (ptw_rd_req_o),
    .wr_req_o        (ptw_wr_req_o),
    .addr_o          (ptw_addr_o),
    .wdata_o         (ptw_wdata_o),
    .rd_gnt_i        (ptw_rd_gnt_i),
    .rvalid_i        (ptw_rvalid_i),
    .rdata_i         (ptw_rdata_i),
    .rerr_i          (ptw_rerr_i),
    .wr_gnt_i        (ptw_wr_gnt_i),
    .bvalid_i        (ptw_bvalid_i),
    .berr_i          (ptw_berr_i),
    .pmp_lo_i,
    .pmp_hi_i,
    .pmp_perms_i,
    .pmp_locked_i,
    .lsu_idle_i,
    .fetch_oldest_i,
    .fetch_kill_i    (ikill_i),
    .data_waiting_i  (walk_req_d),
    .hold_lsu_o,
    .flush_i         (sfence_i),
    .flush_by_va_i   (sfence_rs1_i),
    .flush_vpn_i     (flush_vpn),
    .flush_by_asid_i (sfence_rs2_i),
    .flush_asid_i    (flush_asid),
    .l2_flushed_o    (l2flushed),
    .ev_l2_hit_o     (l2_hit),
    .ev_l2_miss_o    (l2_miss),
    .ev_walk_o       (walk),
    .ev_walk_cycle_o (walk_cycle),
    .ev_walk_read_o  (walk_read),
    .ev_pwc_hit_o    (pwc_hit),
    .ev_pwc_miss_o   (pwc_miss),
    .ev_leaf_level_o (leaf_level),
    .ev_walk_fault_o (walk_fault),
    .ev_ad_update_o  (ad_update)
  );

  // ---------------------------------------------------------------- events and trace
  logic dstore;
  assign dstore = daccess_i == ACC_STORE;
  always_comb begin
    events_o = '0;
    events_o[ev(HPM_EVENT_ITLB_ACCESS)]       = ilookup;
    events_o[ev(HPM_EVENT_ITLB_MISS)]         = imiss;
    events_o[ev(HPM_EVENT_DTLB_LOAD_ACCESS)]  = dlookup && !dstore;
    events_o[ev(HPM_EVENT_DTLB_LOAD_MISS)]    = dmiss && !dstore;
    events_o[ev(HPM_EVENT_DTLB_STORE_ACCESS)] = dlookup && dstore;
    events_o[ev(HPM_EVENT_DTLB_STORE_MISS)]   = dmiss && dstore;
    events_o[ev(HPM_EVENT_L2TLB_HIT)]         = l2_hit;
    events_o[ev(HPM_EVENT_L2TLB_MISS)]        = l2_miss;
    events_o[ev(HPM_EVENT_WALKS)]             = walk;
    events_o[ev(HPM_EVENT_WALK_CYCLES)]       = walk_cycle;
    events_o[ev(HPM_EVENT_WALK_READS)]        = walk_read;
    events_o[ev(HPM_EVENT_PWC_HIT)]           = pwc_hit;
    events_o[ev(HPM_EVENT_PWC_MISS)]          = pwc_miss;
    events_o[ev(HPM_EVENT_WALK_LEAF_4K)]      = leaf_level[0];
    events_o[ev(HPM_EVENT_WALK_LEAF_2M)]      = leaf_level[1];
    events_o[ev(HPM_EVENT_WALK_LEAF_1G)]      = leaf_level[2];
    events_o[ev(HPM_EVENT_WALK_LEAF_512G)]    = leaf_level[3];
    events_o[ev(HPM_EVENT_WALK_FAULT)]        = walk_fault;
    events_o[ev(HPM_EVENT_TLB_ENTRIES_FLUSHED)] = flushed_o != 8'd0;
    events_o[ev(HPM_EVENT_AD_UPDATES)]        = ad_update;
    events_o[ev(HPM_EVENT_XLATE_STALL_CYCLES)] = iwaiting || dwaiting;
  end
  assign flushed_o = iflushed + dflushed + l2flushed;

  assign trace_o.ilookup     = ilookup;
  assign trace_o.ivaddr      = ivaddr_i;
  assign trace_o.dlookup     = dlookup;
  assign trace_o.dvaddr      = dvaddr_i;
  assign trace_o.daccess     = daccess_i;
  assign trace_o.walk_done   = done;
  assign trace_o.walk_port   = done_port;
  assign trace_o.walk_fault  = done_fault;
  assign trace_o.walk_filled = done_fill;
  assign trace_o.satp        = satp_i;
  assign trace_o.sfence      = sfence_i;
  assign trace_o.sfence_rs1  = sfence_rs1_i;
  assign trace_o.sfence_rs2  = sfence_rs2_i;
  assign trace_o.sfence_vaddr = sfence_vaddr_i;
  assign trace_o.sfence_asid = sfence_asid_i;

endmodule

`default_nettype wire
