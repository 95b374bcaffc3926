// Decode stage: expands compressed instructions, decodes, raises the exceptions known
// here (a fetch fault, an illegal encoding, ECALL, EBREAK), reads the register file
// (written by writeback) and fills the ID/EX register.
`default_nettype none

module decode_stage
  import cosim_pkg::*;
(
  input  logic            clk_i,
  input  logic            rst_ni,
  input  if_id_t          if_id_i,
  input  logic            flush_i,     // a redirect: the instruction here is on the wrong path
  input  logic            ex_ready_i,  // execute takes the ID/EX register's instruction
  // While execute holds its instruction, its operands follow their producers.
  input  logic [XLEN-1:0] ex_rs1_i,
  input  logic [XLEN-1:0] ex_rs2_i,
  // Register file write port (writeback)
  input  logic            rf_we_i,
  input  logic [4:0]      rf_waddr_i,
  input  logic [XLEN-1:0] rf_wdata_i,
  output logic            ready_o,     // takes an instruction from fetch this cycle
  output id_ex_t          id_ex_o
);

  logic [31:0] expanded;
  logic        c_illegal;
  decoded_t    dec;

  compressed_decoder u_cdec (
    .insn_i    (if_id_i.insn[15:0]),
    .insn_o    (expanded),
    .illegal_o (c_illegal)
  );

  decoder u_dec (
    .insn_i (if_id_i.compressed ? expanded : if_id_i.insn),
    .dec_o  (dec)
  );

  exception_t exc;
  always_comb begin
    exc = '0;
    if (if_id_i.fault != XF_NONE) begin
      exc = '{valid: 1'b1, is_interrupt: 1'b0,
              cause: if_id_i.fault == XF_PAGE ? EXC_INSN_PAGE : EXC_INSN_ACCESS,
              tval: if_id_i.fault_addr};
    end else if ((if_id_i.compressed && c_illegal) || dec.illegal) begin
      exc = '{valid: 1'b1, is_interrupt: 1'b0, cause: EXC_ILLEGAL_INSN, tval: {32'd0, if_id_i.insn}};
    end else if (dec.sys_op == SYS_ECALL) begin
      exc = '{valid: 1'b1, is_interrupt: 1'b0, cause: EXC_ECALL_U, tval: '0};  // + privilege at commit
    end else if (dec.sys_op == SYS_EBREAK) begin
      exc = '{valid: 1'b1, is_interrupt: 1'b0, cause: EXC_BREAKPOINT, tval: if_id_i.pc};
    end
  end

  logic [XLEN-1:0] rf_rs1, rf_rs2;
  regfile u_rf (
    .clk_i,
    .raddr_a_i (dec.rs1),
    .rdata_a_o (rf_rs1),
    .raddr_b_i (dec.rs2),
    .rdata_b_o (rf_rs2),
    .we_i      (rf_we_i),
    .waddr_i   (rf_waddr_i),
    .wdata_i   (rf_wdata_i)
  );

  assign ready_o = !if_id_i.valid || ex_ready_i;

  id_ex_t id_ex_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      id_ex_q <= '0;
    end else if (flush_i) begin
      id_ex_q.valid <= 1'b0;
    end else if (ex_ready_i && !if_id_i.valid) begin
      id_ex_q.valid <= 1'b0;  // the other fields mean nothing while valid is 0
    end else if (ex_ready_i) begin
      id_ex_q <= '{valid: 1'b1, pc: if_id_i.pc, insn: if_id_i.insn,
                   compressed: if_id_i.compressed, dec: dec, rs1_val: rf_rs1, rs2_val: rf_rs2,
                   exc: exc, paddr: if_id_i.paddr};
    end else begin
      id_ex_q.rs1_val <= ex_rs1_i;
      id_ex_q.rs2_val <= ex_rs2_i;
    end
  end
  assign id_ex_o = id_ex_q;

endmodule

`default_nettype wire
