// The SoC's single AXI4 master: instruction line fills (WRAP bursts, ID AXI_ID_FETCH)
// and data accesses (single beats, ID AXI_ID_DATA) share it. Each requester holds its
// request until granted; a granted AR is held stable until the slave takes it.
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

  // ---------------------------------------------------------------- AR: data first
  logic ar_locked_q, ar_lock_data_q;
  logic sel_data;
  assign sel_data = ar_locked_q ? ar_lock_data_q : data_rd_req_i;

  assign m_axi_arvalid_o = sel_data ? data_rd_req_i : fetch_req_i;
  assign m_axi_arid_o    = sel_data ? AXI_ID_DATA : AXI_ID_FETCH;
  assign m_axi_araddr_o  = sel_data ? data_addr_i : fetch_addr_i;
  assign m_axi_arlen_o   = sel_data ? 8'd0 : 8'(FETCH_LINE_BEATS - 1);
  assign m_axi_arsize_o  = sel_data ? data_size_i : 3'd3;
  assign m_axi_arburst_o = sel_data ? AXI_BURST_INCR : AXI_BURST_WRAP;

  logic ar_fire;
  assign ar_fire       = m_axi_arvalid_o && m_axi_arready_i;
  assign data_rd_gnt_o = ar_fire && sel_data;
  assign fetch_gnt_o   = ar_fire && !sel_data;

  // ---------------------------------------------------------------- AW + W: data only
  logic aw_done_q, w_done_q;
  assign m_axi_awvalid_o = data_wr_req_i && !aw_done_q;
  assign m_axi_awid_o    = AXI_ID_DATA;
  assign m_axi_awaddr_o  = data_addr_i;
  assign m_axi_awlen_o   = 8'd0;
  assign m_axi_awsize_o  = data_size_i;
  assign m_axi_awburst_o = AXI_BURST_INCR;
  assign m_axi_wvalid_o  = data_wr_req_i && !w_done_q;
  assign m_axi_wdata_o   = data_wdata_i;
  assign m_axi_wstrb_o   = data_wstrb_i;
  assign m_axi_wlast_o   = 1'b1;

  logic aw_fire, w_fire;
  assign aw_fire       = m_axi_awvalid_o && m_axi_awready_i;
  assign w_fire        = m_axi_wvalid_o && m_axi_wready_i;
  assign data_wr_gnt_o = data_wr_req_i && (aw_done_q || aw_fire) && (w_done_q || w_fire);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ar_locked_q    <= 1'b0;
      ar_lock_data_q <= 1'b0;
      aw_done_q      <= 1'b0;
      w_done_q       <= 1'b0;
    end else begin
      ar_locked_q    <= m_axi_arvalid_o && !m_axi_arready_i;
      ar_lock_data_q <= sel_data;
      if (data_wr_gnt_o) begin
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
  assign data_berr_o    = m_axi_bresp_i != AXI_RESP_OKAY;

endmodule
