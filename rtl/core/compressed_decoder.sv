// Expands a 16-bit RVC instruction (RV64C without the F/D forms) into the equivalent
// 32-bit instruction. Reserved encodings and the F/D forms are flagged illegal; HINTs
// expand to their (harmless) base instruction.
`default_nettype none

module compressed_decoder
  import cosim_pkg::*;
(
  input  logic [15:0] insn_i,
  output logic [31:0] insn_o,
  output logic        illegal_o
);

  function automatic logic [31:0] enc_i(logic [11:0] imm, logic [4:0] rs1, logic [2:0] f3,
                                        logic [4:0] rd, opcode_e opc);
    return {imm, rs1, f3, rd, opc};
  endfunction

  function automatic logic [31:0] enc_s(logic [11:0] imm, logic [4:0] rs2, logic [4:0] rs1,
                                        logic [2:0] f3);
    return {imm[11:5], rs2, rs1, f3, imm[4:0], OPC_STORE};
  endfunction

  function automatic logic [31:0] enc_r(logic [6:0] f7, logic [4:0] rs2, logic [4:0] rs1,
                                        logic [2:0] f3, logic [4:0] rd, opcode_e opc);
    return {f7, rs2, rs1, f3, rd, opc};
  endfunction

  function automatic logic [31:0] enc_b(logic [12:1] imm, logic [4:0] rs1, logic [2:0] f3);
    return {imm[12], imm[10:5], 5'd0, rs1, f3, imm[4:1], imm[11], OPC_BRANCH};
  endfunction

  function automatic logic [31:0] enc_j(logic [20:1] imm, logic [4:0] rd);
    return {imm[20], imm[10:1], imm[11], imm[19:12], rd, OPC_JAL};
  endfunction

  logic [4:0] rd_full, rs2_full, rd_prime, rs2_prime;
  logic [5:0] imm6;
  logic [11:0] imm6_sext;
  logic [5:0] shamt;

  assign rd_full   = insn_i[11:7];
  assign rs2_full  = insn_i[6:2];
  assign rd_prime  = {2'b01, insn_i[9:7]};   // rd'/rs1' field
  assign rs2_prime = {2'b01, insn_i[4:2]};   // rd'/rs2' field
  assign imm6      = {insn_i[12], insn_i[6:2]};
  assign imm6_sext = {{6{imm6[5]}}, imm6};
  assign shamt     = {insn_i[12], insn_i[6:2]};

  logic [9:0]  addi4spn_imm;
  logic [6:0]  lw_imm;
  logic [7:0]  ld_imm;
  logic [9:0]  addi16sp_imm;
  logic [17:0] lui_imm;
  logic [11:1] j_imm;
  logic [8:1]  b_imm;
  logic [7:0]  lwsp_imm;
  logic [8:0]  ldsp_imm;
  logic [7:0]  swsp_imm;
  logic [8:0]  sdsp_imm;

  assign addi4spn_imm = {insn_i[10:7], insn_i[12:11], insn_i[5], insn_i[6], 2'b00};
  assign lw_imm       = {insn_i[5], insn_i[12:10], insn_i[6], 2'b00};
  assign ld_imm       = {insn_i[6:5], insn_i[12:10], 3'b000};
  assign addi16sp_imm = {insn_i[12], insn_i[4:3], insn_i[5], insn_i[2], insn_i[6], 4'b0000};
  assign lui_imm      = {insn_i[12], insn_i[6:2], 12'd0};
  assign j_imm        = {insn_i[12], insn_i[8], insn_i[10:9], insn_i[6], insn_i[7], insn_i[2],
                         insn_i[11], insn_i[5:3]};
  assign b_imm        = {insn_i[12], insn_i[6:5], insn_i[2], insn_i[11:10], insn_i[4:3]};
  assign lwsp_imm     = {insn_i[3:2], insn_i[12], insn_i[6:4], 2'b00};
  assign ldsp_imm     = {insn_i[4:2], insn_i[12], insn_i[6:5], 3'b000};
  assign swsp_imm     = {insn_i[8:7], insn_i[12:9], 2'b00};
  assign sdsp_imm     = {insn_i[9:7], insn_i[12:10], 3'b000};

  localparam logic [4:0] X0 = 5'd0, RA = 5'd1, SP = 5'd2;

  always_comb begin
    insn_o    = 32'h0000_0013;  // nop; every path below assigns the real expansion
    illegal_o = 1'b0;
    unique case (insn_i[1:0])
      2'b00: begin
        unique case (insn_i[15:13])
          3'b000: begin  // c.addi4spn
            insn_o    = enc_i({2'b00, addi4spn_imm}, SP, 3'b000, rs2_prime, OPC_OP_IMM);
            illegal_o = addi4spn_imm == '0;
          end
          3'b010: insn_o = enc_i({5'd0, lw_imm}, rd_prime, 3'b010, rs2_prime, OPC_LOAD);   // c.lw
          3'b011: insn_o = enc_i({4'd0, ld_imm}, rd_prime, 3'b011, rs2_prime, OPC_LOAD);   // c.ld
          3'b110: insn_o = enc_s({5'd0, lw_imm}, rs2_prime, rd_prime, 3'b010);             // c.sw
          3'b111: insn_o = enc_s({4'd0, ld_imm}, rs2_prime, rd_prime, 3'b011);             // c.sd
          default: illegal_o = 1'b1;  // c.fld, c.fsd, reserved
        endcase
      end
      2'b01: begin
        unique case (insn_i[15:13])
          3'b000: insn_o = enc_i(imm6_sext, rd_full, 3'b000, rd_full, OPC_OP_IMM);  // c.addi
          3'b001: begin  // c.addiw
            insn_o    = enc_i(imm6_sext, rd_full, 3'b000, rd_full, OPC_OP_IMM32);
            illegal_o = rd_full == X0;
          end
          3'b010: insn_o = enc_i(imm6_sext, X0, 3'b000, rd_full, OPC_OP_IMM);  // c.li
          3'b011: begin
            if (rd_full == SP) begin  // c.addi16sp
              insn_o    = enc_i({{2{addi16sp_imm[9]}}, addi16sp_imm}, SP, 3'b000, SP, OPC_OP_IMM);
              illegal_o = addi16sp_imm == '0;
            end else begin  // c.lui
              insn_o    = {{14{lui_imm[17]}}, lui_imm[17:12], rd_full, OPC_LUI};
              illegal_o = lui_imm == '0;
            end
          end
          3'b100: begin
            unique case (insn_i[11:10])
              2'b00: insn_o = enc_i({6'b000000, shamt}, rd_prime, 3'b101, rd_prime, OPC_OP_IMM);  // c.srli
              2'b01: insn_o = enc_i({6'b010000, shamt}, rd_prime, 3'b101, rd_prime, OPC_OP_IMM);  // c.srai
              2'b10: insn_o = enc_i(imm6_sext, rd_prime, 3'b111, rd_prime, OPC_OP_IMM);          // c.andi
              default: begin
                unique case ({insn_i[12], insn_i[6:5]})
                  3'b000: insn_o = enc_r(7'b0100000, rs2_prime, rd_prime, 3'b000, rd_prime, OPC_OP);  // c.sub
                  3'b001: insn_o = enc_r(7'b0000000, rs2_prime, rd_prime, 3'b100, rd_prime, OPC_OP);  // c.xor
                  3'b010: insn_o = enc_r(7'b0000000, rs2_prime, rd_prime, 3'b110, rd_prime, OPC_OP);  // c.or
                  3'b011: insn_o = enc_r(7'b0000000, rs2_prime, rd_prime, 3'b111, rd_prime, OPC_OP);  // c.and
                  3'b100: insn_o = enc_r(7'b0100000, rs2_prime, rd_prime, 3'b000, rd_prime, OPC_OP32); // c.subw
                  3'b101: insn_o = enc_r(7'b0000000, rs2_prime, rd_prime, 3'b000, rd_prime, OPC_OP32); // c.addw
                  default: illegal_o = 1'b1;
                endcase
              end
            endcase
          end
          3'b101: insn_o = enc_j({{9{j_imm[11]}}, j_imm}, X0);  // c.j
          3'b110: insn_o = enc_b({{4{b_imm[8]}}, b_imm}, rd_prime, 3'b000);  // c.beqz
          default: insn_o = enc_b({{4{b_imm[8]}}, b_imm}, rd_prime, 3'b001);  // c.bnez
        endcase
      end
      2'b10: begin
        unique case (insn_i[15:13])
          3'b000: insn_o = enc_i({6'b000000, shamt}, rd_full, 3'b001, rd_full, OPC_OP_IMM);  // c.slli
          3'b010: begin  // c.lwsp
            insn_o    = enc_i({4'd0, lwsp_imm}, SP, 3'b010, rd_full, OPC_LOAD);
            illegal_o = rd_full == X0;
          end
          3'b011: begin  // c.ldsp
            insn_o    = enc_i({3'd0, ldsp_imm}, SP, 3'b011, rd_full, OPC_LOAD);
            illegal_o = rd_full == X0;
          end
          3'b100: begin
            if (!insn_i[12]) begin
              if (rs2_full == X0) begin  // c.jr
                insn_o    = enc_i(12'd0, rd_full, 3'b000, X0, OPC_JALR);
                illegal_o = rd_full == X0;
              end else begin  // c.mv
                insn_o = enc_r(7'd0, rs2_full, X0, 3'b000, rd_full, OPC_OP);
              end
            end else if (rs2_full == X0) begin
              if (rd_full == X0) insn_o = 32'h0010_0073;  // c.ebreak
              else insn_o = enc_i(12'd0, rd_full, 3'b000, RA, OPC_JALR);  // c.jalr
            end else begin  // c.add
              insn_o = enc_r(7'd0, rs2_full, rd_full, 3'b000, rd_full, OPC_OP);
            end
          end
          3'b110: insn_o = enc_s({4'd0, swsp_imm}, rs2_full, SP, 3'b010);  // c.swsp
          3'b111: insn_o = enc_s({3'd0, sdsp_imm}, rs2_full, SP, 3'b011);  // c.sdsp
          default: illegal_o = 1'b1;  // c.fldsp, c.fsdsp
        endcase
      end
      default: illegal_o = 1'b1;  // not a compressed instruction
    endcase
  end

endmodule

`default_nettype wire
