// The integer register file: two read ports, one write port, x0 hard-wired to zero.
// A write in the same cycle as a read of the same register is forwarded to the read.
`default_nettype none

module regfile
  import cosim_pkg::*;
(
  input  logic            clk_i,
  input  logic [4:0]      raddr_a_i,
  output logic [XLEN-1:0] rdata_a_o,
  input  logic [4:0]      raddr_b_i,
  output logic [XLEN-1:0] rdata_b_o,
  input  logic            we_i,
  input  logic [4:0]      waddr_i,
  input  logic [XLEN-1:0] wdata_i
);

  logic [XLEN-1:0] regs_q [32];

  always_ff @(posedge clk_i) begin
    if (we_i && waddr_i != 5'd0) regs_q[waddr_i] <= wdata_i;
  end

  function automatic logic [XLEN-1:0] read(logic [4:0] addr);
    if (addr == 5'd0) return '0;
    if (we_i && waddr_i == addr) return wdata_i;
    return regs_q[addr];
  endfunction

  assign rdata_a_o = read(raddr_a_i);
  assign rdata_b_o = read(raddr_b_i);

endmodule

`default_nettype wire
