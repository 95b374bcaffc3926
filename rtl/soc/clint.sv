// CLINT: the machine timer and software interrupt of the one hart. Registers (at
// CLINT_BASE): msip at 0x0000 (bit 0), mtimecmp at 0x4000, mtime at 0xBFF8. mtime
// counts every clock cycle. Accessed by the core's data port: a request is taken at
// once and answered in the next cycle; an access to any other offset is an error.
`default_nettype none

module clint
  import cosim_pkg::*;
(
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic            rd_req_i,
  input  logic            wr_req_i,
  input  logic [15:3]     offset_i,  // 8-byte beat; the strobes select bytes
  input  logic [XLEN-1:0] wdata_i,   // on the byte lanes of the address, like AXI
  input  logic [7:0]      wstrb_i,
  output logic            rvalid_o,
  output logic            bvalid_o,
  output logic [XLEN-1:0] rdata_o,
  output logic            err_o,
  output logic            mtip_o,
  output logic            msip_o,
  output logic [XLEN-1:0] mtime_o    // for the time CSR
);

  localparam logic [15:0] MSIP = 16'h0000, MTIMECMP = 16'h4000, MTIME = 16'hBFF8;

  logic [XLEN-1:0] mtime_q, mtimecmp_q;
  logic            msip_q;
  logic            rvalid_q, bvalid_q, err_q;
  logic [XLEN-1:0] rdata_q;

  // 8-byte registers; msip is the low 4 bytes of its beat.
  function automatic logic [XLEN-1:0] merge(logic [XLEN-1:0] old, logic [XLEN-1:0] v,
                                            logic [7:0] strb);
    logic [XLEN-1:0] r;
    for (int b = 0; b < 8; b++) r[8*b +: 8] = strb[b] ? v[8*b +: 8] : old[8*b +: 8];
    return r;
  endfunction

  logic [15:0] beat;
  logic        known;
  assign beat  = {offset_i, 3'b000};
  assign known = beat == MSIP || beat == MTIMECMP || beat == MTIME;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mtime_q    <= '0;
      mtimecmp_q <= '1;  // no timer interrupt until software sets a deadline
      msip_q     <= 1'b0;
      rvalid_q   <= 1'b0;
      bvalid_q   <= 1'b0;
      err_q      <= 1'b0;
      rdata_q    <= '0;
    end else begin
      mtime_q  <= mtime_q + 64'd1;
      rvalid_q <= rd_req_i;
      bvalid_q <= wr_req_i;
      err_q    <= (rd_req_i || wr_req_i) && !known;
      if (rd_req_i) begin
        unique case (beat)
          MSIP:     rdata_q <= {63'd0, msip_q};
          MTIMECMP: rdata_q <= mtimecmp_q;
          MTIME:    rdata_q <= mtime_q;
          default:  rdata_q <= '0;
        endcase
      end
      if (wr_req_i) begin
        unique case (beat)
          MSIP:     if (wstrb_i[0]) msip_q <= wdata_i[0];
          MTIMECMP: mtimecmp_q <= merge(mtimecmp_q, wdata_i, wstrb_i);
          MTIME:    mtime_q <= merge(mtime_q, wdata_i, wstrb_i);
          default:  ;
        endcase
      end
    end
  end

  assign rvalid_o = rvalid_q;
  assign bvalid_o = bvalid_q;
  assign rdata_o  = rdata_q;
  assign err_o    = err_q;
`ifdef COSIM_MUTANT_CLINT_MTIMECMP_OFF_BY_ONE
  assign mtip_o   = mtime_q > mtimecmp_q;
`else
  assign mtip_o   = mtime_q >= mtimecmp_q;
`endif
  assign msip_o   = msip_q;
  assign mtime_o  = mtime_q;

endmodule

`default_nettype wire
