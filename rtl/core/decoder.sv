// Decodes a 32-bit instruction (RV64IMA + Zicsr + Zifencei, M-mode system
// instructions) into the fields the execute and memory stages use. Every encoding
// that is not one of those instructions is flagged illegal.
`default_nettype none

module decoder
  import cosim_pkg::*;
(
  input  logic [31:0] insn_i,
  output decoded_t    dec_o
);

  logic [6:0] funct7;
  logic [2:0] funct3;
  logic [63:0] imm_i, imm_s, imm_b, imm_u, imm_j;

  assign funct7 = insn_i[31:25];
  assign funct3 = insn_i[14:12];
  assign imm_i  = {{52{insn_i[31]}}, insn_i[31:20]};
  assign imm_s  = {{52{insn_i[31]}}, insn_i[31:25], insn_i[11:7]};
  assign imm_b  = {{51{insn_i[31]}}, insn_i[31], insn_i[7], insn_i[30:25], insn_i[11:8], 1'b0};
  assign imm_u  = {{32{insn_i[31]}}, insn_i[31:12], 12'd0};
  assign imm_j  = {{43{insn_i[31]}}, insn_i[31], insn_i[19:12], insn_i[20], insn_i[30:21], 1'b0};

  // ALU operation of OP/OP-IMM by funct3 (funct7 bit 5 selects SUB/SRA).
  function automatic alu_op_e alu_from_funct3(logic [2:0] f3, logic alt);
    unique case (f3)
      3'b000: return alt ? ALU_SUB : ALU_ADD;
      3'b001: return ALU_SLL;
      3'b010: return ALU_SLT;
      3'b011: return ALU_SLTU;
      3'b100: return ALU_XOR;
      3'b101: return alt ? ALU_SRA : ALU_SRL;
      3'b110: return ALU_OR;
      default: return ALU_AND;
    endcase
  endfunction

  always_comb begin
    dec_o = '0;
    dec_o.rs1      = insn_i[19:15];
    dec_o.rs2      = insn_i[24:20];
    dec_o.rd       = insn_i[11:7];
    dec_o.funct3   = funct3;
    dec_o.op_a     = OPA_RS1;
    dec_o.op_b     = OPB_IMM;
    dec_o.alu_op   = ALU_ADD;
    dec_o.md_op    = md_op_e'(funct3);
    dec_o.mem_op   = MEM_NONE;
    dec_o.mem_size = funct3[1:0];
    dec_o.mem_unsigned = funct3[2];
    dec_o.amo_op   = amo_op_e'(insn_i[31:27]);
    dec_o.csr_op   = CSR_NONE;
    dec_o.csr_addr = insn_i[31:20];
    dec_o.sys_op   = SYS_NONE;

    unique case (insn_i[6:0])
      OPC_LUI: begin
        dec_o.writes_rd = 1'b1;
        dec_o.op_a = OPA_ZERO;
        dec_o.imm = imm_u;
      end
      OPC_AUIPC: begin
        dec_o.writes_rd = 1'b1;
        dec_o.op_a = OPA_PC;
        dec_o.imm = imm_u;
      end
      OPC_JAL: begin
        dec_o.writes_rd = 1'b1;
        dec_o.is_jal = 1'b1;
        dec_o.imm = imm_j;
      end
      OPC_JALR: begin
        dec_o.writes_rd = 1'b1;
        dec_o.uses_rs1 = 1'b1;
        dec_o.is_jalr = 1'b1;
        dec_o.imm = imm_i;
        dec_o.illegal = funct3 != 3'b000;
      end
      OPC_BRANCH: begin
        dec_o.uses_rs1 = 1'b1;
        dec_o.uses_rs2 = 1'b1;
        dec_o.is_branch = 1'b1;
        dec_o.imm = imm_b;
        dec_o.illegal = funct3 inside {3'b010, 3'b011};
      end
      OPC_LOAD: begin
        dec_o.writes_rd = 1'b1;
        dec_o.uses_rs1 = 1'b1;
        dec_o.mem_op = MEM_LOAD;
        dec_o.imm = imm_i;
        dec_o.illegal = funct3 == 3'b111;  // no LDU in RV64
      end
      OPC_STORE: begin
        dec_o.uses_rs1 = 1'b1;
        dec_o.uses_rs2 = 1'b1;
        dec_o.mem_op = MEM_STORE;
        dec_o.imm = imm_s;
        dec_o.illegal = funct3[2];
      end
      OPC_OP_IMM: begin
        dec_o.writes_rd = 1'b1;
        dec_o.uses_rs1 = 1'b1;
        dec_o.imm = imm_i;
        dec_o.alu_op = alu_from_funct3(funct3, funct3 == 3'b101 && insn_i[30]);
        // Shifts take a 6-bit shamt; the rest of the upper field must be 000000 / 010000.
        if (funct3 == 3'b001) dec_o.illegal = insn_i[31:26] != 6'b000000;
        if (funct3 == 3'b101) dec_o.illegal = {insn_i[31], insn_i[29:26]} != 5'b00000;
      end
      OPC_OP_IMM32: begin
        dec_o.writes_rd = 1'b1;
        dec_o.uses_rs1 = 1'b1;
        dec_o.word_op = 1'b1;
        dec_o.imm = imm_i;
        dec_o.alu_op = alu_from_funct3(funct3, funct3 == 3'b101 && insn_i[30]);
        unique case (funct3)
          3'b000: ;
          3'b001: dec_o.illegal = funct7 != 7'b0000000;
          3'b101: dec_o.illegal = {funct7[6], funct7[4:0]} != 6'b000000;
          default: dec_o.illegal = 1'b1;
        endcase
      end
      OPC_OP, OPC_OP32: begin
        dec_o.writes_rd = 1'b1;
        dec_o.uses_rs1 = 1'b1;
        dec_o.uses_rs2 = 1'b1;
        dec_o.op_b = OPB_RS2;
        dec_o.word_op = insn_i[3];
        if (funct7 == 7'b0000001) begin
          dec_o.is_muldiv = 1'b1;
          // The W forms exist for MUL, DIV, DIVU, REM, REMU only.
          dec_o.illegal = insn_i[3] && funct3 inside {3'b001, 3'b010, 3'b011};
        end else begin
          dec_o.alu_op = alu_from_funct3(funct3, insn_i[30]);
          if (funct7 == 7'b0100000) dec_o.illegal = !(funct3 inside {3'b000, 3'b101});
          else dec_o.illegal = funct7 != 7'b0000000;
          if (insn_i[3] && !(funct3 inside {3'b000, 3'b001, 3'b101})) dec_o.illegal = 1'b1;
        end
      end
      OPC_AMO: begin
        dec_o.writes_rd = 1'b1;
        dec_o.uses_rs1 = 1'b1;
        dec_o.uses_rs2 = 1'b1;
        dec_o.op_a = OPA_RS1;
        dec_o.imm = '0;
        unique case (insn_i[31:27])
          AMO_LR: begin
            dec_o.mem_op = MEM_LR;
            dec_o.uses_rs2 = 1'b0;
            dec_o.illegal = insn_i[24:20] != 5'd0;
          end
          AMO_SC: dec_o.mem_op = MEM_SC;
          AMO_ADD, AMO_SWAP, AMO_XOR, AMO_OR, AMO_AND, AMO_MIN, AMO_MAX, AMO_MINU, AMO_MAXU:
            dec_o.mem_op = MEM_AMO;
          default: dec_o.illegal = 1'b1;
        endcase
        if (!(funct3 inside {3'b010, 3'b011})) dec_o.illegal = 1'b1;
        dec_o.mem_unsigned = 1'b0;
      end
      OPC_MISC_MEM: begin
        // FENCE orders nothing here: the LSU is in order and blocking. The other fields
        // of FENCE/FENCE.I are reserved for future use and ignored, as the spec asks.
        unique case (funct3)
          3'b000: ;
          3'b001: dec_o.sys_op = SYS_FENCE_I;
          3'b010: begin
            // Zicbom / Zicboz: the block is the one holding rs1 (no offset).
            dec_o.uses_rs1 = 1'b1;
            dec_o.imm      = '0;
            unique case (insn_i[31:20])
              12'd0: dec_o.sys_op = SYS_CBO_INVAL;
              12'd1: dec_o.sys_op = SYS_CBO_CLEAN;
              12'd2: dec_o.sys_op = SYS_CBO_FLUSH;
              12'd4: begin
                dec_o.sys_op   = SYS_CBO_ZERO;
                dec_o.mem_op   = MEM_CBO_ZERO;
                dec_o.mem_size = 2'd3;
              end
              default: dec_o.illegal = 1'b1;
            endcase
            if (insn_i[11:7] != 5'd0) dec_o.illegal = 1'b1;
          end
          default: dec_o.illegal = 1'b1;
        endcase
      end
      OPC_SYSTEM: begin
        if (funct3 == 3'b000) begin
          unique case (insn_i[31:7])
            25'b0000000_00000_00000_000_00000: dec_o.sys_op = SYS_ECALL;
            25'b0000000_00001_00000_000_00000: dec_o.sys_op = SYS_EBREAK;
            25'b0011000_00010_00000_000_00000: dec_o.sys_op = SYS_MRET;
            25'b0001000_00010_00000_000_00000: dec_o.sys_op = SYS_SRET;
            25'b0001000_00101_00000_000_00000: dec_o.sys_op = SYS_WFI;
            default: begin
              // SFENCE.VMA rs1, rs2: its operands select what to flush (the MMU's).
              if (funct7 == 7'b0001001 && insn_i[11:7] == 5'd0) begin
                dec_o.sys_op   = SYS_SFENCE_VMA;
                dec_o.uses_rs1 = 1'b1;
                dec_o.uses_rs2 = 1'b1;
              end else begin
                dec_o.illegal = 1'b1;
              end
            end
          endcase
        end else if (funct3 == 3'b100) begin
          dec_o.illegal = 1'b1;
        end else begin
          dec_o.writes_rd = 1'b1;
          dec_o.csr_imm = funct3[2];
          dec_o.uses_rs1 = !funct3[2];
          dec_o.imm = {59'd0, insn_i[19:15]};
          unique case (funct3[1:0])
            2'b01: dec_o.csr_op = CSR_WRITE;
            2'b10: dec_o.csr_op = CSR_SET;
            default: dec_o.csr_op = CSR_CLEAR;
          endcase
        end
      end
      default: dec_o.illegal = 1'b1;
    endcase

    if (dec_o.illegal) begin
      dec_o.writes_rd = 1'b0;
      dec_o.uses_rs1 = 1'b0;
      dec_o.uses_rs2 = 1'b0;
      dec_o.mem_op = MEM_NONE;
      dec_o.csr_op = CSR_NONE;
      dec_o.sys_op = SYS_NONE;
      dec_o.is_branch = 1'b0;
      dec_o.is_jal = 1'b0;
      dec_o.is_jalr = 1'b0;
      dec_o.is_muldiv = 1'b0;
    end
  end

endmodule

`default_nettype wire
