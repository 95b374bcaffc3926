// Integer ALU: RV64I operations, with the 32-bit (W) forms that sign-extend their result.
`default_nettype none

module alu
  import cosim_pkg::*;
(
  input  alu_op_e         op_i,
  input  logic            word_i,
  input  logic [XLEN-1:0] a_i,
  input  logic [XLEN-1:0] b_i,
  output logic [XLEN-1:0] result_o
);

  logic [5:0]  shamt;
  logic [31:0] a_w, result_w;
  logic [XLEN-1:0] result_d;

  assign shamt = word_i ? {1'b0, b_i[4:0]} : b_i[5:0];
  assign a_w   = a_i[31:0];

  always_comb begin
    unique case (op_i)
      ALU_ADD:  result_d = a_i + b_i;
      ALU_SUB:  result_d = a_i - b_i;
      ALU_SLL:  result_d = a_i << shamt;
      ALU_SLT:  result_d = {63'd0, $signed(a_i) < $signed(b_i)};
      ALU_SLTU: result_d = {63'd0, a_i < b_i};
      ALU_XOR:  result_d = a_i ^ b_i;
      ALU_SRL:  result_d = word_i ? {32'd0, a_w >> shamt[4:0]} : a_i >> shamt;
      ALU_SRA:  result_d = word_i ? {32'd0, 32'($signed(a_w) >>> shamt[4:0])}
`ifdef COSIM_MUTANT_SRA_AS_SRL
                                  : a_i >> shamt;
`else
                                  : 64'($signed(a_i) >>> shamt);
`endif
      ALU_OR:   result_d = a_i | b_i;
      default:  result_d = a_i & b_i;  // ALU_AND
    endcase
    result_w = result_d[31:0];
    result_o = word_i ? {{32{result_w[31]}}, result_w} : result_d;
  end

endmodule

`default_nettype wire
