// The SoC's single AXI4 master: instruction line fills (WRAP bursts, ID AXI_ID_FETCH),
// data accesses (single beats, ID AXI_ID_DATA) and the page-table walker's PTE reads
// and A/D writes (single 8-byte beats, ID AXI_ID_PTW) share it. Each requester holds
// its request until granted; a granted AR is held stable until the slave takes it.
// The walker only writes while the LSU is held idle, so writes never compete.
`default_nettype none

module axi_master
  import cosim_pkg::*;
(
  input  logic                clk_i,
  input  logic                rst_ni,
  // Instruction fetch
  input  logic                fetch_req_i,
  input  logic [XLEN-1:0]     fetch_addr_i,
  output logic                fetch_gnt_o,
  output logic                fetch_rvalid_o,
  // Data reads
  input  logic                data_rd_req_i,
  input  logic [XLEN-1:0]     data_addr_i,
  input  logic [2:0]          data_size_i,
  output logic                data_rd_gnt_o,
  output logic                data_rvalid_o,
  // Page-table walker
  input  logic                ptw_rd_req_i,
  input  logic                ptw_wr_req_i,
  input  logic [XLEN-1:0]     ptw_addr_i,
  input  logic [XLEN-1:0]     ptw_wdata_i,
  output logic                ptw_rd_gnt_o,
  output logic                ptw_rvalid_o,
  output logic                ptw_wr_gnt_o,
  output logic                ptw_bvalid_o,
  // Data writes
  input  logic                data_wr_req_i,
  input  logic [XLEN-1:0]     data_wdata_i,
  input  logic [7:0]          data_wstrb_i,
  output logic                data_wr_gnt_o,
  output logic                data_bvalid_o,
  output logic                data_berr_o,
  // Read data, shared by both requesters (valid strobes above say whose it is)
  output logic [XLEN-1:0]     rdata_o,
  output logic                rerr_o,
  output logic                rlast_o,
  // AXI4 master port
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
  input  logic [1:0]          m_axi_bresp_i
);

  // ---------------------------------------------------------------- AR: walker, data, fetch
  typedef enum logic [1:0] { AR_FETCH, AR_DATA, AR_PTW } ar_sel_e;
  logic    ar_locked_q;
  ar_sel_e ar_lock_sel_q, ar_sel;
  always_comb begin
    if (ar_locked_q) ar_sel = ar_lock_sel_q;
    else if (ptw_rd_req_i) ar_sel = AR_PTW;
    else if (data_rd_req_i) ar_sel = AR_DATA;
    else ar_sel = AR_FETCH;
  end

  always_comb begin
    unique case (ar_sel)
      AR_PTW: begin
        m_axi_arvalid_o = ptw_rd_req_i;
        m_axi_arid_o    = AXI_ID_PTW;
        m_axi_araddr_o  = ptw_addr_i;
        m_axi_arlen_o   = 8'd0;
        m_axi_arsize_o  = 3'd3;
        m_axi_arburst_o = AXI_BURST_INCR;
      end
      AR_DATA: begin
        m_axi_arvalid_o = data_rd_req_i;
        m_axi_arid_o    = AXI_ID_DATA;
        m_axi_araddr_o  = data_addr_i;
        m_axi_arlen_o   = 8'd0;
        m_axi_arsize_o  = data_size_i;
        m_axi_arburst_o = AXI_BURST_INCR;
      end
      default: begin
        m_axi_arvalid_o = fetch_req_i;
        m_axi_arid_o    = AXI_ID_FETCH;
        m_axi_araddr_o  = fetch_addr_i;
        m_axi_arlen_o   = 8'(FETCH_LINE_BEATS - 1);
        m_axi_arsize_o  = 3'd3;
        m_axi_arburst_o = AXI_BURST_WRAP;
      end
    endcase
  end

  logic ar_fire;
  assign ar_fire       = m_axi_arvalid_o && m_axi_arready_i;
  assign ptw_rd_gnt_o  = ar_fire && ar_sel == AR_PTW;
  assign data_rd_gnt_o = ar_fire && ar_sel == AR_DATA;
  assign fetch_gnt_o   = ar_fire && ar_sel == AR_FETCH;

  // ---------------------------------------------------------------- AW + W: data or walker
  logic aw_done_q, w_done_q, wr_req, ptw_writes;
  assign ptw_writes      = ptw_wr_req_i;
  assign wr_req          = data_wr_req_i || ptw_wr_req_i;
  assign m_axi_awvalid_o = wr_req && !aw_done_q;
  assign m_axi_awid_o    = ptw_writes ? AXI_ID_PTW : AXI_ID_DATA;
  assign m_axi_awaddr_o  = ptw_writes ? ptw_addr_i : data_addr_i;
  assign m_axi_awlen_o   = 8'd0;
  assign m_axi_awsize_o  = ptw_writes ? 3'd3 : data_size_i;
  assign m_axi_awburst_o = AXI_BURST_INCR;
  assign m_axi_wvalid_o  = wr_req && !w_done_q;
  assign m_axi_wdata_o   = ptw_writes ? ptw_wdata_i : data_wdata_i;
`ifdef COSIM_MUTANT_WRITE_STROBE_DROPPED
  assign m_axi_wstrb_o   = ptw_writes ? 8'hff : data_wstrb_i & {data_size_i == 3'd3, 7'h7f};
`else
  assign m_axi_wstrb_o   = ptw_writes ? 8'hff : data_wstrb_i;
`endif
  assign m_axi_wlast_o   = 1'b1;

  logic aw_fire, w_fire, wr_gnt;
  assign aw_fire       = m_axi_awvalid_o && m_axi_awready_i;
  assign w_fire        = m_axi_wvalid_o && m_axi_wready_i;
  assign wr_gnt        = wr_req && (aw_done_q || aw_fire) && (w_done_q || w_fire);
  assign data_wr_gnt_o = wr_gnt && !ptw_writes;
  assign ptw_wr_gnt_o  = wr_gnt && ptw_writes;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ar_locked_q   <= 1'b0;
      ar_lock_sel_q <= AR_FETCH;
      aw_done_q     <= 1'b0;
      w_done_q      <= 1'b0;
    end else begin
      ar_locked_q   <= m_axi_arvalid_o && !m_axi_arready_i;
      ar_lock_sel_q <= ar_sel;
      if (wr_gnt) begin
        aw_done_q <= 1'b0;
        w_done_q  <= 1'b0;
      end else begin
        if (aw_fire) aw_done_q <= 1'b1;
        if (w_fire) w_done_q <= 1'b1;
      end
    end
  end

  // ---------------------------------------------------------------- R and B by ID
  // Both requesters always have room for what they asked for.
  assign m_axi_rready_o = 1'b1;
  assign m_axi_bready_o = 1'b1;
  assign fetch_rvalid_o = m_axi_rvalid_i && m_axi_rid_i == AXI_ID_FETCH;
  assign data_rvalid_o  = m_axi_rvalid_i && m_axi_rid_i == AXI_ID_DATA;
  assign rdata_o        = m_axi_rdata_i;
  assign rerr_o         = m_axi_rresp_i != AXI_RESP_OKAY;
  assign rlast_o        = m_axi_rlast_i;
  assign data_bvalid_o  = m_axi_bvalid_i && m_axi_bid_i == AXI_ID_DATA;
`ifdef COSIM_MUTANT_AXI_PTW_RID_NOT_MATCHED
  assign ptw_rvalid_o   = m_axi_rvalid_i && m_axi_rid_i != AXI_ID_FETCH;
`else
  assign ptw_rvalid_o   = m_axi_rvalid_i && m_axi_rid_i == AXI_ID_PTW;
`endif
  assign ptw_bvalid_o   = m_axi_bvalid_i && m_axi_bid_i == AXI_ID_PTW;
  assign data_berr_o    = m_axi_bresp_i != AXI_RESP_OKAY;

endmodule

`default_nettype wire
