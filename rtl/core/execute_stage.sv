// Execute stage: operand forwarding, the ALU, the M unit, branches and jumps (resolved
// here: a taken one redirects fetch), the memory address and the alignment of LR/SC/AMOs.
// Operands are forwarded from memory and writeback; an operand whose producer is still
// in memory and has no result yet (load, AMO, CSR) holds execute until it reaches
// writeback.
`default_nettype none

module execute_stage
  import cosim_pkg::*;
(
  input  logic            clk_i,
  input  logic            rst_ni,
  input  id_ex_t          id_ex_i,
  input  logic            wb_we_i,         // the register write of writeback, forwarded
  input  logic [4:0]      wb_rd_i,
  input  logic [XLEN-1:0] wb_wdata_i,
  input  logic            mem_ready_i,     // memory takes the EX/MEM register's instruction
  input  logic            flush_i,         // a redirect from memory: discard this stage
  output logic            ready_o,         // takes an instruction from decode this cycle
  output logic            redirect_o,      // a taken branch or jump leaves this stage
  output logic [XLEN-1:0] target_o,
  output logic [XLEN-1:0] rs1_o,           // the operands as forwarded (decode keeps them
  output logic [XLEN-1:0] rs2_o,           // current while this stage holds)
  output logic            branch_taken_o,  // event: a conditional branch redirected fetch
  output ex_mem_t         ex_mem_o
);

  ex_mem_t  ex_mem_q;
  /* verilator lint_off UNUSEDSIGNAL */
  decoded_t dec;  // (an illegal encoding was made an exception in decode)
  /* verilator lint_on UNUSEDSIGNAL */
  assign dec = id_ex_i.dec;

  // ---------------------------------------------------------------- forwarding
  // The youngest older producer wins. A producer in memory without a result yet makes
  // the operand not ready.
  logic mem_has_result;
  assign mem_has_result = ex_mem_q.mem_op == MEM_NONE && ex_mem_q.csr_op == CSR_NONE;

  function automatic logic [XLEN:0] forward(logic [4:0] rs, logic [XLEN-1:0] fallback);
    // {ready, value}
    if (rs == 5'd0) return {1'b1, {XLEN{1'b0}}};
`ifdef COSIM_MUTANT_FORWARDING_SKIPS_MEM
    if (ex_mem_q.valid && ex_mem_q.writes_rd && ex_mem_q.rd == rs && !mem_has_result)
      return {1'b0, ex_mem_q.result};
`else
    if (ex_mem_q.valid && ex_mem_q.writes_rd && ex_mem_q.rd == rs)
      return {mem_has_result, ex_mem_q.result};
`endif
    if (wb_we_i && wb_rd_i == rs) return {1'b1, wb_wdata_i};
    return {1'b1, fallback};
  endfunction

  logic [XLEN:0]   fwd_rs1, fwd_rs2;
  logic [XLEN-1:0] rs1, rs2;
  logic            operands_ready;
  assign fwd_rs1 = forward(dec.rs1, id_ex_i.rs1_val);
  assign fwd_rs2 = forward(dec.rs2, id_ex_i.rs2_val);
  assign rs1 = fwd_rs1[XLEN-1:0];
  assign rs2 = fwd_rs2[XLEN-1:0];
  assign rs1_o = rs1;
  assign rs2_o = rs2;
  assign operands_ready = (!dec.uses_rs1 || fwd_rs1[XLEN]) && (!dec.uses_rs2 || fwd_rs2[XLEN]);

  // ---------------------------------------------------------------- ALU and M unit
  logic [XLEN-1:0] op_a, op_b, alu_result;
  always_comb begin
    unique case (dec.op_a)
      OPA_PC:   op_a = id_ex_i.pc;
      OPA_ZERO: op_a = '0;
      default:  op_a = rs1;
    endcase
    op_b = dec.op_b == OPB_RS2 ? rs2 : dec.imm;
  end

  alu u_alu (
    .op_i     (dec.alu_op),
    .word_i   (dec.word_op),
    .a_i      (op_a),
    .b_i      (op_b),
    .result_o (alu_result)
  );

  logic live;  // an instruction that executes (not one carrying a trap)
  logic advance, stall, md_ready;
  logic [XLEN-1:0] md_result;
  assign live = id_ex_i.valid && !id_ex_i.exc.valid;

  muldiv u_muldiv (
    .clk_i,
    .rst_ni,
    .valid_i  (live && dec.is_muldiv && operands_ready),
    .done_i   (advance || flush_i),
    .op_i     (dec.md_op),
    .word_i   (dec.word_op),
    .a_i      (rs1),
    .b_i      (rs2),
    .ready_o  (md_ready),
    .result_o (md_result)
  );

  // ---------------------------------------------------------------- branches and jumps
  logic            taken, condition;
  logic [XLEN-1:0] link_pc;
  always_comb begin
    unique case (dec.funct3)
      3'b000:  condition = rs1 == rs2;
      3'b001:  condition = rs1 != rs2;
      3'b100:  condition = $signed(rs1) < $signed(rs2);
      3'b101:  condition = $signed(rs1) >= $signed(rs2);
`ifdef COSIM_MUTANT_BLTU_SIGNED
      3'b110:  condition = $signed(rs1) < $signed(rs2);
`else
      3'b110:  condition = rs1 < rs2;
`endif
      default: condition = rs1 >= rs2;
    endcase
  end
  assign taken    = (dec.is_branch && condition) || dec.is_jal || dec.is_jalr;
  assign link_pc  = id_ex_i.pc + (id_ex_i.compressed ? 64'd2 : 64'd4);
  assign target_o = dec.is_jalr ? ((rs1 + dec.imm) & ~64'd1) : id_ex_i.pc + dec.imm;

  // ---------------------------------------------------------------- memory address
  // Loads and stores may be misaligned (the LSU splits them); LR/SC/AMOs may not.
  logic [XLEN-1:0] mem_addr;
  logic            misaligned;
  exception_t      exc;
  assign mem_addr = rs1 + dec.imm;
  always_comb begin
    unique case (dec.mem_size)
      2'd0:    misaligned = 1'b0;
      2'd1:    misaligned = mem_addr[0];
      2'd2:    misaligned = mem_addr[1:0] != 2'b00;
      default: misaligned = mem_addr[2:0] != 3'b000;
    endcase
    exc = id_ex_i.exc;
    if (!id_ex_i.exc.valid && dec.mem_op inside {MEM_LR, MEM_SC, MEM_AMO} && misaligned) begin
      exc.valid = 1'b1;
      exc.cause = dec.mem_op == MEM_LR ? EXC_LOAD_MISALIGNED : EXC_STORE_MISALIGNED;
      exc.tval  = mem_addr;
    end
  end

  // ---------------------------------------------------------------- handshake
  assign stall          = live && (!operands_ready || (dec.is_muldiv && !md_ready));
  assign advance        = id_ex_i.valid && !stall && mem_ready_i;
  assign ready_o        = !id_ex_i.valid || advance;
  assign redirect_o     = advance && live && taken;
  assign branch_taken_o = redirect_o && dec.is_branch;

  logic [XLEN-1:0] result;
  always_comb begin
    if (dec.is_jal || dec.is_jalr) result = link_pc;
    else if (dec.is_muldiv) result = md_result;
    else if (dec.csr_op != CSR_NONE) result = dec.csr_imm ? dec.imm : rs1;
    else result = alu_result;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ex_mem_q <= '0;
    end else if (flush_i) begin
      ex_mem_q.valid <= 1'b0;
    end else if (mem_ready_i && !advance) begin
      ex_mem_q.valid <= 1'b0;  // the other fields mean nothing while valid is 0
    end else if (mem_ready_i) begin
      ex_mem_q <= '{
        valid:        1'b1,
        pc:           id_ex_i.pc,
        next_pc:      taken && live ? target_o : link_pc,
        insn:         id_ex_i.insn,
        rd:           dec.rd,
        writes_rd:    dec.writes_rd && dec.rd != 5'd0,
        result:       result,
        mem_op:       dec.mem_op,
        amo_op:       dec.amo_op,
        mem_size:     dec.mem_size,
        mem_unsigned: dec.mem_unsigned,
        mem_addr:     mem_addr,
        store_data:   rs2,
        rs1_val:      rs1,
        csr_op:       dec.csr_op,
        csr_addr:     dec.csr_addr,
        // CSRRS/CSRRC with x0 (or a zero immediate) read without writing.
        csr_write:    dec.csr_op == CSR_WRITE || dec.rs1 != 5'd0,
        sys_op:       dec.sys_op,
        exc:          exc,
        paddr:        id_ex_i.paddr
      };
    end
  end
  assign ex_mem_o = ex_mem_q;

endmodule

`default_nettype wire
