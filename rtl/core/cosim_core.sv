// The in-order five-stage pipeline: fetch, decode, execute, memory (the commit point:
// traps, CSRs, MRET/SRET, FENCE.I and SFENCE.VMA act here), writeback (register write and the retire
// port). Operands are forwarded from memory and writeback into execute; an operand
// whose producer is still in memory and has no result yet (load, AMO, CSR) holds
// execute until it reaches writeback.
module cosim_core
  import cosim_pkg::*;
#(
  parameter int unsigned ITLB_ENTRIES = 16,
  parameter int unsigned DTLB_ENTRIES = 16,
  parameter int unsigned L2_ENTRIES   = 64,
  parameter int unsigned PWC_ENTRIES  = 8
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic [XLEN-1:0] boot_addr_i,
  // Bus unit: instruction line fills
  output logic            fetch_req_o,
  output logic [XLEN-1:0] fetch_addr_o,
  input  logic            fetch_gnt_i,
  input  logic            fetch_rvalid_i,
  // Bus unit: data
  output logic            data_rd_req_o,
  output logic            data_wr_req_o,
  output logic [XLEN-1:0] data_addr_o,
  output logic [2:0]      data_size_o,
  output logic [XLEN-1:0] data_wdata_o,
  output logic [7:0]      data_wstrb_o,
  input  logic            data_rd_gnt_i,
  input  logic            data_wr_gnt_i,
  input  logic            data_rvalid_i,
  input  logic            data_bvalid_i,
  input  logic            data_berr_i,
  input  logic [XLEN-1:0] data_rdata_i,
  input  logic            data_rerr_i,
  // Bus unit: read data of instruction fills
  input  logic [XLEN-1:0] rdata_i,
  input  logic            rerr_i,
  input  logic            rlast_i,
  // Interrupt sources (CLINT)
  input  logic            mtip_i,
  input  logic            msip_i,
  input  logic [XLEN-1:0] mtime_i,
  // Bus unit: the page-table walker
  output logic            ptw_rd_req_o,
  output logic            ptw_wr_req_o,
  output logic [XLEN-1:0] ptw_addr_o,
  output logic [XLEN-1:0] ptw_wdata_o,
  input  logic            ptw_rd_gnt_i,
  input  logic            ptw_rvalid_i,
  input  logic            ptw_wr_gnt_i,
  input  logic            ptw_bvalid_i,
  input  logic            ptw_berr_i,
  // Counters and MMU trace for the harness
  output logic [HPM_EVENTS-1:0] events_o,
  output logic [7:0]      flushed_o,
  output mmu_trace_t      mmu_trace_o,
  // Retire port (RVFI-style)
  output logic            rvfi_valid_o,
  output logic [63:0]     rvfi_order_o,
  output logic [31:0]     rvfi_insn_o,
  output logic            rvfi_trap_o,
  output logic [5:0]      rvfi_trap_cause_o,  // extension: mcause of the trap
  output logic [XLEN-1:0] rvfi_trap_tval_o,   // extension: mtval of the trap
  output logic            rvfi_intr_o,        // first instruction of a trap handler
  output logic [1:0]      rvfi_mode_o,        // privilege the instruction ran in
  output logic [XLEN-1:0] rvfi_csr_mstatus_o, // mstatus after the instruction
  output logic [XLEN-1:0] rvfi_csr_mip_o,     // mip as the instruction found it
  output logic            rvfi_trap_interrupt_o, // the trap is an interrupt
  output logic [XLEN-1:0] rvfi_pc_rdata_o,
  output logic [XLEN-1:0] rvfi_pc_wdata_o,
  output logic [4:0]      rvfi_rd_addr_o,
  output logic [XLEN-1:0] rvfi_rd_wdata_o,
  output logic [XLEN-1:0] rvfi_mem_addr_o,
  output logic [XLEN-1:0] rvfi_mem_paddr_o,   // extension: physical address of mem_addr
  output logic [XLEN-1:0] rvfi_mem_pte_o,     // extension: the leaf PTE that translated it
  output logic [XLEN-1:0] rvfi_pc_paddr_o,    // extension: physical address of pc_rdata
  output logic [7:0]      rvfi_mem_rmask_o,
  output logic [7:0]      rvfi_mem_wmask_o,
  output logic [XLEN-1:0] rvfi_mem_rdata_o,
  output logic [XLEN-1:0] rvfi_mem_wdata_o
);

  // ================================================================ pipeline registers
  typedef struct packed {
    logic            valid;
    logic [XLEN-1:0] pc;
    logic [31:0]     insn;        // as fetched: a compressed one in the low half
    logic            compressed;
    xfault_e         fault;
    logic [XLEN-1:0] fault_addr;
    logic [XLEN-1:0] paddr;       // physical address of the first parcel
  } if_id_t;

  typedef struct packed {
    logic            valid;
    logic [XLEN-1:0] pc;
    logic [31:0]     insn;
    logic            compressed;
    decoded_t        dec;
    logic [XLEN-1:0] rs1_val;
    logic [XLEN-1:0] rs2_val;
    exception_t      exc;
    logic [XLEN-1:0] paddr;
  } id_ex_t;

  typedef struct packed {
    logic            valid;
    logic [XLEN-1:0] pc;
    logic [XLEN-1:0] next_pc;
    logic [31:0]     insn;
    logic [4:0]      rd;
    logic            writes_rd;
    logic [XLEN-1:0] result;      // ALU / link / M result, or the CSR operand
    mem_op_e         mem_op;
    amo_op_e         amo_op;
    logic [1:0]      mem_size;
    logic            mem_unsigned;
    logic [XLEN-1:0] mem_addr;
    logic [XLEN-1:0] store_data;
    logic [XLEN-1:0] rs1_val;     // SFENCE.VMA's operands: rs1 and store_data (rs2)
    csr_op_e         csr_op;
    logic [11:0]     csr_addr;
    logic            csr_write;
    sys_op_e         sys_op;
    exception_t      exc;
    logic [XLEN-1:0] paddr;
  } ex_mem_t;

  typedef struct packed {
    logic            valid;
    logic [XLEN-1:0] pc;
    logic [XLEN-1:0] next_pc;
    logic [31:0]     insn;
    logic            trap;
    exc_cause_e      trap_cause;
    logic [XLEN-1:0] trap_tval;
    logic            intr;
    logic            trap_interrupt;
    logic [XLEN-1:0] mip;
    priv_e           mode;
    logic [4:0]      rd;          // 0 when nothing is written
    logic [XLEN-1:0] wdata;
    logic [XLEN-1:0] mem_addr;
    logic [XLEN-1:0] mem_paddr;
    logic [XLEN-1:0] mem_pte;
    logic [XLEN-1:0] pc_paddr;
    logic [7:0]      mem_rmask;
    logic [7:0]      mem_wmask;
    logic [XLEN-1:0] mem_rdata;
    logic [XLEN-1:0] mem_wdata;
  } mem_wb_t;

  if_id_t  if_id_q;
  id_ex_t  id_ex_q;
  ex_mem_t ex_mem_q;
  mem_wb_t mem_wb_q;

  // Stage handshakes (defined below)
  logic id_advance, ex_ready, ex_advance, mem_ready, mem_advance;
  logic ex_redirect, mem_redirect;
  logic [XLEN-1:0] ex_target, mem_target;
  logic fence_i_commit;

  // ================================================================ fetch
  logic            fetch_valid, fetch_compressed;
  xfault_e         fetch_fault;
  logic [XLEN-1:0] fetch_pc, fetch_fault_addr, fetch_paddr_lo, fetch_paddr_hi;
  logic            ixlate_req, ixlate_kill, ixlate_done, fetch_flush;
  logic [XLEN-1:0] ixlate_vaddr, ixlate_paddr;
  xfault_e         ixlate_fault;
  logic [31:0]     fetch_insn;
  logic            id_ready;

  assign id_ready = !if_id_q.valid || id_advance;

  fetch_unit u_fetch (
    .clk_i,
    .rst_ni,
    .boot_addr_i,
    .redirect_i    (mem_redirect || ex_redirect),
    .redirect_pc_i (mem_redirect ? mem_target : ex_target),
    .invalidate_i  (fetch_flush),
    .ready_i       (id_ready),
    .valid_o       (fetch_valid),
    .pc_o          (fetch_pc),
    .insn_o        (fetch_insn),
    .compressed_o  (fetch_compressed),
    .fault_o       (fetch_fault),
    .fault_addr_o  (fetch_fault_addr),
    .paddr_lo_o    (fetch_paddr_lo),
    .paddr_hi_o    (fetch_paddr_hi),
    .xlate_req_o   (ixlate_req),
    .xlate_vaddr_o (ixlate_vaddr),
    .xlate_kill_o  (ixlate_kill),
    .xlate_done_i  (ixlate_done),
    .xlate_paddr_i (ixlate_paddr),
    .xlate_fault_i (ixlate_fault),
    .fill_req_o    (fetch_req_o),
    .fill_addr_o   (fetch_addr_o),
    .fill_gnt_i    (fetch_gnt_i),
    .fill_rvalid_i (fetch_rvalid_i),
    .fill_rdata_i  (rdata_i),
    .fill_rerr_i   (rerr_i),
    .fill_rlast_i  (rlast_i)
  );

  // PMP: fetches need X in the current privilege, for every byte of the instruction,
  // at its physical address. A 32-bit instruction whose halves lie in different pages
  // is checked as two parcels (each page on its own, as it is translated on its own).
  logic            fetch_pmp_lo_ok, fetch_pmp_hi_ok, fetch_split;
  logic [XLEN-1:0] fetch_last;
  assign fetch_split = !fetch_compressed && fetch_pc[11:1] == 11'h7ff;
  assign fetch_last  = fetch_paddr_lo + (fetch_compressed || fetch_split ? 64'd1 : 64'd3);
  logic [1:0] unused_byte_offsets;  // PMP works on 4-byte words
  assign unused_byte_offsets = fetch_last[1:0] ^ data_last[1:0] ^ piece1_last[1:0] ^ piece2_last[1:0]
                             ^ fetch_paddr_hi[1:0];
  pmp u_pmp_fetch (
    .check_i   (fetch_valid),
    .first_i   (fetch_paddr_lo[XLEN-1:2]),
    .last_i    (fetch_last[XLEN-1:2]),
    .need_i    (3'b100),
    .any_i     (1'b0),
    .priv_i    (priv),
    .lo_i         (pmp_lo),
    .hi_i         (pmp_hi),
    .perms_i      (pmp_perms),
    .locked_i     (pmp_locked),
    .allowed_o (fetch_pmp_lo_ok)
  );
  pmp u_pmp_fetch_hi (
    .check_i   (fetch_valid && fetch_split),
    .first_i   (fetch_paddr_hi[XLEN-1:2]),
    .last_i    (fetch_paddr_hi[XLEN-1:2]),
    .need_i    (3'b100),
    .any_i     (1'b0),
    .priv_i    (priv),
    .lo_i         (pmp_lo),
    .hi_i         (pmp_hi),
    .perms_i      (pmp_perms),
    .locked_i     (pmp_locked),
    .allowed_o (fetch_pmp_hi_ok)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      if_id_q <= '0;
    end else if (mem_redirect || ex_redirect) begin
      if_id_q.valid <= 1'b0;
    end else if (id_ready) begin
      if_id_q.valid      <= fetch_valid;
      if_id_q.pc         <= fetch_pc;
      if_id_q.insn       <= fetch_insn;
      if_id_q.compressed <= fetch_compressed;
      if_id_q.paddr      <= fetch_paddr_lo;
      // The first parcel's fault comes before the second's; a translation or bus fault
      // of a parcel before its PMP check.
      if (fetch_fault != XF_NONE && fetch_fault_addr == fetch_pc) begin
        if_id_q.fault      <= fetch_fault;
        if_id_q.fault_addr <= fetch_pc;
      end else if (!fetch_pmp_lo_ok) begin
        if_id_q.fault      <= XF_ACCESS;
        if_id_q.fault_addr <= fetch_pc;
      end else if (fetch_fault != XF_NONE) begin
        if_id_q.fault      <= fetch_fault;
        if_id_q.fault_addr <= fetch_fault_addr;
      end else if (fetch_split && !fetch_pmp_hi_ok) begin
        if_id_q.fault      <= XF_ACCESS;
        if_id_q.fault_addr <= fetch_pc + 64'd2;
      end else begin
        if_id_q.fault      <= XF_NONE;
        if_id_q.fault_addr <= fetch_pc;
      end
    end
  end

  // ================================================================ decode
  logic [31:0] expanded;
  logic        c_illegal;
  decoded_t    dec;

  compressed_decoder u_cdec (
    .insn_i    (if_id_q.insn[15:0]),
    .insn_o    (expanded),
    .illegal_o (c_illegal)
  );

  decoder u_dec (
    .insn_i (if_id_q.compressed ? expanded : if_id_q.insn),
    .dec_o  (dec)
  );

  exception_t id_exc;
  always_comb begin
    id_exc = '0;
    if (if_id_q.fault != XF_NONE) begin
      id_exc = '{valid: 1'b1, is_interrupt: 1'b0,
                 cause: if_id_q.fault == XF_PAGE ? EXC_INSN_PAGE : EXC_INSN_ACCESS,
                 tval: if_id_q.fault_addr};
    end else if ((if_id_q.compressed && c_illegal) || dec.illegal) begin
      id_exc = '{valid: 1'b1, is_interrupt: 1'b0, cause: EXC_ILLEGAL_INSN, tval: {32'd0, if_id_q.insn}};
    end else if (dec.sys_op == SYS_ECALL) begin
      id_exc = '{valid: 1'b1, is_interrupt: 1'b0, cause: EXC_ECALL_U, tval: '0};  // + privilege at commit
    end else if (dec.sys_op == SYS_EBREAK) begin
      id_exc = '{valid: 1'b1, is_interrupt: 1'b0, cause: EXC_BREAKPOINT, tval: if_id_q.pc};
    end
  end

  // Register file: written by writeback, read by decode (same-cycle writes forwarded).
  logic [XLEN-1:0] rf_rs1, rf_rs2;
  logic            wb_writes;
  assign wb_writes = mem_wb_q.valid && mem_wb_q.rd != 5'd0;

  regfile u_rf (
    .clk_i,
    .raddr_a_i (dec.rs1),
    .rdata_a_o (rf_rs1),
    .raddr_b_i (dec.rs2),
    .rdata_b_o (rf_rs2),
    .we_i      (wb_writes),
    .waddr_i   (mem_wb_q.rd),
    .wdata_i   (mem_wb_q.wdata)
  );

  assign id_advance = if_id_q.valid && ex_ready;

  // ================================================================ execute
  // Forwarding: the youngest older producer wins. A producer in memory without a
  // result yet makes the operand not ready.
  logic mem_has_result;
  assign mem_has_result = ex_mem_q.mem_op == MEM_NONE && ex_mem_q.csr_op == CSR_NONE;

  function automatic logic [XLEN:0] forward(logic [4:0] rs, logic [XLEN-1:0] fallback);
    // {ready, value}
    if (rs == 5'd0) return {1'b1, {XLEN{1'b0}}};
    if (ex_mem_q.valid && ex_mem_q.writes_rd && ex_mem_q.rd == rs)
      return {mem_has_result, ex_mem_q.result};
    if (mem_wb_q.valid && mem_wb_q.rd == rs) return {1'b1, mem_wb_q.wdata};
    return {1'b1, fallback};
  endfunction

  logic [XLEN:0]   fwd_rs1, fwd_rs2;
  logic [XLEN-1:0] rs1, rs2;
  logic            operands_ready;
  assign fwd_rs1 = forward(id_ex_q.dec.rs1, id_ex_q.rs1_val);
  assign fwd_rs2 = forward(id_ex_q.dec.rs2, id_ex_q.rs2_val);
  assign rs1 = fwd_rs1[XLEN-1:0];
  assign rs2 = fwd_rs2[XLEN-1:0];
  assign operands_ready = (!id_ex_q.dec.uses_rs1 || fwd_rs1[XLEN])
                       && (!id_ex_q.dec.uses_rs2 || fwd_rs2[XLEN]);

  logic [XLEN-1:0] op_a, op_b, alu_result;
  always_comb begin
    unique case (id_ex_q.dec.op_a)
      OPA_PC:   op_a = id_ex_q.pc;
      OPA_ZERO: op_a = '0;
      default:  op_a = rs1;
    endcase
    op_b = id_ex_q.dec.op_b == OPB_RS2 ? rs2 : id_ex_q.dec.imm;
  end

  alu u_alu (
    .op_i     (id_ex_q.dec.alu_op),
    .word_i   (id_ex_q.dec.word_op),
    .a_i      (op_a),
    .b_i      (op_b),
    .result_o (alu_result)
  );

  logic            ex_live;  // an instruction that executes (not one carrying a trap)
  logic            md_ready;
  logic [XLEN-1:0] md_result;
  assign ex_live = id_ex_q.valid && !id_ex_q.exc.valid;

  muldiv u_muldiv (
    .clk_i,
    .rst_ni,
    .valid_i  (ex_live && id_ex_q.dec.is_muldiv && operands_ready),
    .done_i   (ex_advance || mem_redirect),
    .op_i     (id_ex_q.dec.md_op),
    .word_i   (id_ex_q.dec.word_op),
    .a_i      (rs1),
    .b_i      (rs2),
    .ready_o  (md_ready),
    .result_o (md_result)
  );

  // Branches and jumps
  logic            taken;
  logic [XLEN-1:0] link_pc;
  always_comb begin
    unique case (id_ex_q.dec.funct3)
      3'b000:  taken = rs1 == rs2;
      3'b001:  taken = rs1 != rs2;
      3'b100:  taken = $signed(rs1) < $signed(rs2);
      3'b101:  taken = $signed(rs1) >= $signed(rs2);
      3'b110:  taken = rs1 < rs2;
      default: taken = rs1 >= rs2;
    endcase
    taken = (id_ex_q.dec.is_branch && taken) || id_ex_q.dec.is_jal || id_ex_q.dec.is_jalr;
  end
  assign link_pc   = id_ex_q.pc + (id_ex_q.compressed ? 64'd2 : 64'd4);
  assign ex_target = id_ex_q.dec.is_jalr ? ((rs1 + id_ex_q.dec.imm) & ~64'd1)
                                         : id_ex_q.pc + id_ex_q.dec.imm;

  // Memory address and alignment
  logic [XLEN-1:0] mem_addr;
  logic            misaligned;
  exception_t      ex_exc;
  assign mem_addr = rs1 + id_ex_q.dec.imm;
  always_comb begin
    unique case (id_ex_q.dec.mem_size)
      2'd0:    misaligned = 1'b0;
      2'd1:    misaligned = mem_addr[0];
      2'd2:    misaligned = mem_addr[1:0] != 2'b00;
      default: misaligned = mem_addr[2:0] != 3'b000;
    endcase
    ex_exc = id_ex_q.exc;
    // Loads and stores may be misaligned (the LSU splits them); LR/SC/AMOs may not.
    if (!id_ex_q.exc.valid && id_ex_q.dec.mem_op inside {MEM_LR, MEM_SC, MEM_AMO} && misaligned) begin
      ex_exc.valid = 1'b1;
      ex_exc.cause = id_ex_q.dec.mem_op inside {MEM_LOAD, MEM_LR} ? EXC_LOAD_MISALIGNED
                                                                   : EXC_STORE_MISALIGNED;
      ex_exc.tval  = mem_addr;
    end
  end

  logic ex_stall;
  assign ex_stall   = ex_live && (!operands_ready || (id_ex_q.dec.is_muldiv && !md_ready));
  assign ex_advance = id_ex_q.valid && !ex_stall && mem_ready;
  assign ex_ready   = !id_ex_q.valid || ex_advance;
  assign ex_redirect = ex_advance && ex_live && taken;

  logic [XLEN-1:0] ex_result;
  always_comb begin
    if (id_ex_q.dec.is_jal || id_ex_q.dec.is_jalr) ex_result = link_pc;
    else if (id_ex_q.dec.is_muldiv) ex_result = md_result;
    else if (id_ex_q.dec.csr_op != CSR_NONE) ex_result = id_ex_q.dec.csr_imm ? id_ex_q.dec.imm : rs1;
    else ex_result = alu_result;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      id_ex_q <= '0;
    end else if (mem_redirect || ex_redirect) begin
      // A branch in execute leaves the decode-stage instruction on the wrong path.
      id_ex_q.valid <= 1'b0;
    end else if (ex_ready) begin
      id_ex_q.valid      <= id_advance;
      id_ex_q.pc         <= if_id_q.pc;
      id_ex_q.insn       <= if_id_q.insn;
      id_ex_q.compressed <= if_id_q.compressed;
      id_ex_q.paddr      <= if_id_q.paddr;
      id_ex_q.dec        <= dec;
      id_ex_q.rs1_val    <= rf_rs1;
      id_ex_q.rs2_val    <= rf_rs2;
      id_ex_q.exc        <= id_exc;
    end else begin
      // Held in execute: keep the operands current, since their producers move on.
      id_ex_q.rs1_val <= rs1;
      id_ex_q.rs2_val <= rs2;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ex_mem_q <= '0;
    end else if (mem_redirect) begin
      ex_mem_q.valid <= 1'b0;
    end else if (mem_ready) begin
      ex_mem_q.valid        <= ex_advance;
      ex_mem_q.pc           <= id_ex_q.pc;
      ex_mem_q.next_pc      <= taken && ex_live ? ex_target : link_pc;
      ex_mem_q.insn         <= id_ex_q.insn;
      ex_mem_q.paddr        <= id_ex_q.paddr;
      ex_mem_q.rd           <= id_ex_q.dec.rd;
      ex_mem_q.writes_rd    <= id_ex_q.dec.writes_rd && id_ex_q.dec.rd != 5'd0;
      ex_mem_q.result       <= ex_result;
      ex_mem_q.mem_op       <= id_ex_q.dec.mem_op;
      ex_mem_q.amo_op       <= id_ex_q.dec.amo_op;
      ex_mem_q.mem_size     <= id_ex_q.dec.mem_size;
      ex_mem_q.mem_unsigned <= id_ex_q.dec.mem_unsigned;
      ex_mem_q.mem_addr     <= mem_addr;
      ex_mem_q.store_data   <= rs2;
      ex_mem_q.rs1_val      <= rs1;
      ex_mem_q.csr_op       <= id_ex_q.dec.csr_op;
      ex_mem_q.csr_addr     <= id_ex_q.dec.csr_addr;
      // CSRRS/CSRRC with x0 (or a zero immediate) read without writing.
      ex_mem_q.csr_write    <= id_ex_q.dec.csr_op == CSR_WRITE || id_ex_q.dec.rs1 != 5'd0;
      ex_mem_q.sys_op       <= id_ex_q.dec.sys_op;
      ex_mem_q.exc          <= ex_exc;
    end
  end

  // ================================================================ memory (commit)
  logic            mem_live;  // the memory-stage instruction has no earlier exception
  logic            lsu_done, lsu_err;
  logic [XLEN-1:0] lsu_result;
  logic [7:0]      lsu_rmask, lsu_wmask;
  logic [XLEN-1:0] lsu_mem_rdata, lsu_mem_wdata;
  logic            trap, mret_commit, sret_commit, sfence_commit, csr_illegal;
  logic [XLEN-1:0] csr_rdata, trap_vector, xret_target, mip, mstatus;
  logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] pmp_lo;
  logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] pmp_hi;
  logic [PMP_ENTRIES-1:0][2:0] pmp_perms;
  logic [PMP_ENTRIES-1:0] pmp_locked;
  priv_e           priv;
  exception_t      mem_exc;

  assign mem_live = ex_mem_q.valid && !ex_mem_q.exc.valid;
  // The memory access happens only when nothing traps first (an illegal cbo.zero
  // is found by the CSR file's privilege checks, in this stage).
  // An interrupt is taken instead of the memory-stage instruction, before it does
  // anything (no translation or memory access has started).
  logic            irq_pending, irq_take, lsu_idle, wfi_waiting, irq_wake;
  logic [5:0]      irq_code;
  // A WFI is never interrupted itself: it completes once anything is pending, and the
  // interrupt is taken at the next instruction (the spec's "resume at pc + 4").
  assign irq_take = irq_pending && ex_mem_q.valid && lsu_idle && dx_state_q == DX_FIRST && dmmu_idle
                 && !(mem_live && ex_mem_q.sys_op == SYS_WFI && !csr_illegal);
  // WFI waits in this stage until an interrupt is pending, enabled or not.
  assign wfi_waiting = mem_live && ex_mem_q.sys_op == SYS_WFI && !csr_illegal && !irq_wake;

  // ---------------------------------------------------------------- data translation
  // Every data access (and cache-block operation) is translated at the address of its
  // first byte; one that crosses into another page has that page translated as well,
  // before any byte is accessed, so a fault of either part leaves memory untouched.
  // cbo.clean/flush/inval are allowed where a load or a store would be.
  logic            is_cbo_zero, is_cbo_manage, is_cbo, data_checked, data_needs, crosses_page;
  logic [XLEN-1:0] data_first, data_last, second_page;
  access_e         data_access;
  localparam logic [XLEN-1:0] CBO_MASK = XLEN'(CBO_BLOCK_BYTES) - 64'd1;
  assign is_cbo_zero   = ex_mem_q.mem_op == MEM_CBO_ZERO;
  assign is_cbo_manage = ex_mem_q.sys_op inside {SYS_CBO_CLEAN, SYS_CBO_FLUSH, SYS_CBO_INVAL};
  assign is_cbo        = is_cbo_zero || is_cbo_manage;
  assign data_checked  = ex_mem_q.mem_op != MEM_NONE || is_cbo_manage;
  assign data_first    = is_cbo ? ex_mem_q.mem_addr & ~CBO_MASK : ex_mem_q.mem_addr;
  assign data_last     = is_cbo ? data_first | CBO_MASK
                                : ex_mem_q.mem_addr + ((64'd1 << ex_mem_q.mem_size) - 64'd1);
  assign crosses_page  = data_first[XLEN-1:12] != data_last[XLEN-1:12];
  assign second_page   = {data_last[XLEN-1:12], 12'd0};
  assign data_needs    = mem_live && data_checked && !csr_illegal && !irq_take;
  always_comb begin
    if (is_cbo_manage) data_access = ACC_CBO;
    else if (ex_mem_q.mem_op inside {MEM_LOAD, MEM_LR}) data_access = ACC_LOAD;
    else data_access = ACC_STORE;  // stores, SC, AMOs, cbo.zero
  end

  typedef enum logic [1:0] { DX_FIRST, DX_SECOND, DX_DONE } dx_state_e;
  dx_state_e       dx_state_q;
  logic [XLEN-1:0] dpa_first_q, dpa_second_q, dpte_first_q, dxlate_pte, pte_first;
  logic            dxlate_req, dxlate_done, dmmu_idle;
  logic [XLEN-1:0] dxlate_paddr;
  xfault_e         dxlate_fault;
  assign dxlate_req = data_needs && dx_state_q != DX_DONE;

  logic dx_fault, dx_ok;
  assign dx_fault = dxlate_req && dxlate_done && dxlate_fault != XF_NONE;
  // Translated: this cycle (one page, TLB hit), or earlier.
  assign dx_ok    = dx_state_q == DX_DONE
                 || (dx_state_q == DX_FIRST && dxlate_req && dxlate_done && dxlate_fault == XF_NONE
                     && !crosses_page);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      dx_state_q   <= DX_FIRST;
      dpa_first_q  <= '0;
      dpa_second_q <= '0;
      dpte_first_q <= '0;
    end else if (mem_advance) begin
      dx_state_q <= DX_FIRST;
    end else if (dxlate_req && dxlate_done && dxlate_fault == XF_NONE) begin
      if (dx_state_q == DX_FIRST) begin
        dpa_first_q  <= dxlate_paddr;
        dpte_first_q <= dxlate_pte;
        dx_state_q   <= crosses_page ? DX_SECOND : DX_DONE;
      end else begin
        dpa_second_q <= dxlate_paddr;
        dx_state_q   <= DX_DONE;
      end
    end
  end

  logic [XLEN-1:0] pa_first, pa_next, piece1_last, piece2_last;
  assign pa_first    = dx_state_q == DX_FIRST ? dxlate_paddr : dpa_first_q;
  assign pte_first   = dx_state_q == DX_FIRST ? dxlate_pte : dpte_first_q;
  // An access that crosses a page is two accesses, one per page, each translated and
  // checked by PMP on its own (the pages need not be neighbours in physical memory).
  assign pa_next     = crosses_page && pa_first[11:3] == 9'h1ff ? dpa_second_q
                                                               : {pa_first[XLEN-1:3], 3'b000} + 64'd8;
  assign piece1_last = crosses_page ? pa_first | 64'hfff : pa_first + (data_last - data_first);
  assign piece2_last = dpa_second_q | {52'd0, data_last[11:0]};

  // PMP: data accesses in the effective privilege (MPRV: M's loads and stores run
  // with MPP's), every byte of the access (cbo.zero: its block), physically.
  logic            data_pmp1_ok, data_pmp2_ok, data_pmp_ok;
  logic [2:0]      data_need;
  priv_e           data_priv;
  always_comb begin
    unique case (ex_mem_q.mem_op)
      MEM_LOAD, MEM_LR: data_need = 3'b001;
      MEM_AMO:          data_need = 3'b011;
      MEM_NONE:         data_need = 3'b011;  // cache-block management: R or W (any_i)
      default:          data_need = 3'b010;  // stores, SC, cbo.zero
    endcase
  end
  assign data_priv = (priv == PRIV_M && mstatus[17]) ? priv_e'(mstatus[12:11]) : priv;

  pmp u_pmp_data (
    .check_i   (data_needs),
    .first_i   (pa_first[XLEN-1:2]),
    .last_i    (piece1_last[XLEN-1:2]),
    .need_i    (data_need),
    .any_i     (is_cbo_manage),
    .priv_i    (data_priv),
    .lo_i         (pmp_lo),
    .hi_i         (pmp_hi),
    .perms_i      (pmp_perms),
    .locked_i     (pmp_locked),
    .allowed_o (data_pmp1_ok)
  );
  pmp u_pmp_data2 (
    .check_i   (data_needs && crosses_page),
    .first_i   (dpa_second_q[XLEN-1:2]),
    .last_i    (piece2_last[XLEN-1:2]),
    .need_i    (data_need),
    .any_i     (is_cbo_manage),
    .priv_i    (data_priv),
    .lo_i         (pmp_lo),
    .hi_i         (pmp_hi),
    .perms_i      (pmp_perms),
    .locked_i     (pmp_locked),
    .allowed_o (data_pmp2_ok)
  );
  assign data_pmp_ok = data_pmp1_ok && (!crosses_page || data_pmp2_ok);

  logic mem_access, lsu_wanted, pmp_denied, hold_lsu, dx_settled;
  assign pmp_denied = data_needs && dx_ok && !data_pmp_ok;
  assign lsu_wanted = data_needs && ex_mem_q.mem_op != MEM_NONE && dx_ok && data_pmp_ok;
  // The walker may hold the LSU off while it updates a PTE (Svadu); the LSU only looks
  // at its request when idle.
  assign mem_access = lsu_wanted && !hold_lsu;
  assign dx_settled = !data_needs || dx_ok || dx_fault;

  lsu u_lsu (
    .clk_i,
    .rst_ni,
    .req_i               (mem_access),
    .op_i                (ex_mem_q.mem_op),
    .amo_op_i            (ex_mem_q.amo_op),
    .size_i              (ex_mem_q.mem_size),
    .unsigned_i          (ex_mem_q.mem_unsigned),
    .addr_i              (pa_first | (ex_mem_q.mem_addr & (is_cbo ? CBO_MASK : 64'd0))),
    .addr_next_i         (pa_next),
    .wdata_i             (ex_mem_q.store_data),
    .clear_reservation_i (trap || mret_commit || sret_commit),
    .idle_o              (lsu_idle),
    .done_o              (lsu_done),
    .err_o               (lsu_err),
    .result_o            (lsu_result),
    .rmask_o             (lsu_rmask),
    .wmask_o             (lsu_wmask),
    .mem_rdata_o         (lsu_mem_rdata),
    .mem_wdata_o         (lsu_mem_wdata),
    .rd_req_o            (data_rd_req_o),
    .addr_o              (data_addr_o),
    .size_o              (data_size_o),
    .rd_gnt_i            (data_rd_gnt_i),
    .rvalid_i            (data_rvalid_i),
    .rdata_i             (data_rdata_i),
    .rerr_i              (data_rerr_i),
    .wr_req_o            (data_wr_req_o),
    .wr_data_o           (data_wdata_o),
    .wr_strb_o           (data_wstrb_o),
    .wr_gnt_i            (data_wr_gnt_i),
    .bvalid_i            (data_bvalid_i),
    .berr_i              (data_berr_i)
  );

  assign mem_ready   = !ex_mem_q.valid || mem_advance;
  assign mem_advance = ex_mem_q.valid
                    && (irq_take || (dx_settled && (!lsu_wanted || lsu_done) && !wfi_waiting));

  // The part of a crossing access that faulted: the second page, once the first passed.
  logic [XLEN-1:0] fault_vaddr;
  assign fault_vaddr = dx_state_q == DX_SECOND ? second_page : ex_mem_q.mem_addr;
  logic store_like;
  assign store_like = !(ex_mem_q.mem_op inside {MEM_LOAD, MEM_LR});

  always_comb begin
    mem_exc = ex_mem_q.exc;
    if (irq_take) begin
      mem_exc = '{valid: 1'b1, is_interrupt: 1'b1, cause: exc_cause_e'(irq_code), tval: '0};
    end else begin
      // ECALL's cause says which privilege it came from (8 U, 9 S, 11 M).
      if (ex_mem_q.exc.valid && ex_mem_q.exc.cause == EXC_ECALL_U)
        mem_exc.cause = exc_cause_e'(EXC_ECALL_U + {4'd0, priv});
      if (mem_live && csr_illegal) begin
        mem_exc = '{valid: 1'b1, is_interrupt: 1'b0, cause: EXC_ILLEGAL_INSN, tval: {32'd0, ex_mem_q.insn}};
      end else if (dx_fault && dxlate_fault == XF_PAGE) begin
        mem_exc = '{valid: 1'b1, is_interrupt: 1'b0,
                    cause: store_like ? EXC_STORE_PAGE : EXC_LOAD_PAGE, tval: fault_vaddr};
      end else if (dx_fault) begin
        mem_exc = '{valid: 1'b1, is_interrupt: 1'b0,
                    cause: store_like ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS, tval: fault_vaddr};
      end else if (pmp_denied || (lsu_wanted && lsu_done && lsu_err)) begin
        mem_exc = '{valid: 1'b1, is_interrupt: 1'b0,
                    cause: store_like ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS,
                    tval: (pmp_denied && data_pmp1_ok) ? second_page : ex_mem_q.mem_addr};
      end
    end
  end

  assign trap           = mem_advance && mem_exc.valid;
  assign mret_commit    = mem_advance && !trap && ex_mem_q.sys_op == SYS_MRET;
  assign sret_commit    = mem_advance && !trap && ex_mem_q.sys_op == SYS_SRET;
  assign fence_i_commit = mem_advance && !trap && ex_mem_q.sys_op == SYS_FENCE_I;
  assign sfence_commit  = mem_advance && !trap && ex_mem_q.sys_op == SYS_SFENCE_VMA;

  // Events the programmable counters can count: bit n is hpm_event_e value n. The MMU
  // counts its own; page faults count when taken.
  logic [HPM_EVENTS-1:0] hpm_events, mmu_events;
  logic [7:0]            flushed;
  logic                  exc_taken;
  assign exc_taken = trap && !mem_exc.is_interrupt;
  always_comb begin
    hpm_events = mmu_events;
    hpm_events[ev(HPM_EVENT_NONE)]             = 1'b0;
    hpm_events[ev(HPM_EVENT_CYCLES)]           = 1'b1;
    hpm_events[ev(HPM_EVENT_INSTRET)]          = mem_advance && !trap;
    hpm_events[ev(HPM_EVENT_LOADS)]            = mem_advance && !trap && ex_mem_q.mem_op inside {MEM_LOAD, MEM_LR};
    hpm_events[ev(HPM_EVENT_STORES)]           = mem_advance && !trap && ex_mem_q.mem_op inside {MEM_STORE, MEM_SC};
    hpm_events[ev(HPM_EVENT_TRAPS)]            = trap;
    hpm_events[ev(HPM_EVENT_BRANCHES_TAKEN)]   = ex_redirect && id_ex_q.dec.is_branch;
    hpm_events[ev(HPM_EVENT_PAGE_FAULT_INSN)]  = exc_taken && mem_exc.cause == EXC_INSN_PAGE;
    hpm_events[ev(HPM_EVENT_PAGE_FAULT_LOAD)]  = exc_taken && mem_exc.cause == EXC_LOAD_PAGE;
    hpm_events[ev(HPM_EVENT_PAGE_FAULT_STORE)] = exc_taken && mem_exc.cause == EXC_STORE_PAGE;
    hpm_events[ev(HPM_EVENT_SFENCE_VMA)]       = sfence_commit;
  end
  assign events_o  = hpm_events;
  assign flushed_o = flushed;

  csr_file u_csr (
    .clk_i,
    .rst_ni,
    .commit_i      (mem_advance && mem_live),
    .op_i          (mem_live ? ex_mem_q.csr_op : CSR_NONE),
    .sys_op_i      (mem_live ? ex_mem_q.sys_op : SYS_NONE),
    .addr_i        (ex_mem_q.csr_addr),
    .write_i       (ex_mem_q.csr_write),
    .operand_i     (ex_mem_q.result),
    .rdata_o       (csr_rdata),
    .illegal_o     (csr_illegal),
    .trap_i        (trap),
    .cause_i       (mem_exc.cause),
    .interrupt_i   (mem_exc.is_interrupt),
    .mtip_i,
    .msip_i,
    .mtime_i,
    .irq_pending_o (irq_pending),
    .irq_code_o    (irq_code),
    .irq_wake_o    (irq_wake),
    .mip_o         (mip),
    .pmp_lo_o         (pmp_lo),
    .pmp_hi_o         (pmp_hi),
    .pmp_perms_o      (pmp_perms),
    .pmp_locked_o     (pmp_locked),
    .tval_i        (mem_exc.tval),
    .epc_i         (ex_mem_q.pc),
    .mret_i        (mret_commit),
    .sret_i        (sret_commit),
    .retire_i      (mem_advance && !trap),
    .events_i      (hpm_events),
    .flushed_i     (flushed),
    .priv_o        (priv),
    .trap_vector_o (trap_vector),
    .xret_target_o (xret_target),
    .mstatus_o     (mstatus),
    .satp_o        (satp),
    .adue_o        (adue)
  );

  // ================================================================ MMU
  logic [XLEN-1:0] satp;
  logic            adue;
  mmu #(
    .ITLB_ENTRIES (ITLB_ENTRIES),
    .DTLB_ENTRIES (DTLB_ENTRIES),
    .L2_ENTRIES   (L2_ENTRIES),
    .PWC_ENTRIES  (PWC_ENTRIES)
  ) u_mmu (
    .clk_i,
    .rst_ni,
    .satp_i         (satp),
    .priv_i         (priv),
    .mstatus_i      (mstatus),
    .adue_i         (adue),
    .ireq_i         (ixlate_req),
    .ivaddr_i       (ixlate_vaddr),
    .ikill_i        (ixlate_kill),
    .idone_o        (ixlate_done),
    .ipaddr_o       (ixlate_paddr),
    .ifault_o       (ixlate_fault),
    .dreq_i         (dxlate_req),
    .dvaddr_i       (dx_state_q == DX_SECOND ? second_page : data_first),
    .daccess_i      (data_access),
    .ddone_o        (dxlate_done),
    .dpaddr_o       (dxlate_paddr),
    .dpte_o         (dxlate_pte),
    .dfault_o       (dxlate_fault),
    .didle_o        (dmmu_idle),
    .sfence_i       (sfence_commit),
    .sfence_rs1_i   (ex_mem_q.insn[19:15] != 5'd0),
    .sfence_vaddr_i (ex_mem_q.rs1_val),
    .sfence_rs2_i   (ex_mem_q.insn[24:20] != 5'd0),
    .sfence_asid_i  (ex_mem_q.store_data),
    .ptw_rd_req_o,
    .ptw_wr_req_o,
    .ptw_addr_o,
    .ptw_wdata_o,
    .ptw_rd_gnt_i,
    .ptw_rvalid_i,
    .ptw_rdata_i    (rdata_i),
    .ptw_rerr_i     (rerr_i),
    .ptw_wr_gnt_i,
    .ptw_bvalid_i,
    .ptw_berr_i,
    .pmp_lo_i         (pmp_lo),
    .pmp_hi_i         (pmp_hi),
    .pmp_perms_i      (pmp_perms),
    .pmp_locked_i     (pmp_locked),
    .lsu_idle_i     (lsu_idle),
    .fetch_oldest_i (!if_id_q.valid && !id_ex_q.valid && !ex_mem_q.valid),
    .hold_lsu_o     (hold_lsu),
    .events_o       (mmu_events),
    .flushed_o      (flushed),
    .trace_o        (mmu_trace_o)
  );

  // Everything younger is discarded after a trap, MRET, FENCE.I or CSR access, and
  // fetch restarts at the right place (CSR writes may change how younger code runs).
  assign mem_redirect = mem_advance && (trap || mret_commit || sret_commit || fence_i_commit
                                        || sfence_commit || ex_mem_q.csr_op != CSR_NONE);
  // The fetch lines were translated and checked for the old privilege and address
  // space: any of these may have changed them.
  assign fetch_flush = mem_redirect && !(ex_mem_q.csr_op != CSR_NONE && !ex_mem_q.csr_write);
  always_comb begin
    if (trap) mem_target = trap_vector;
    else if (mret_commit || sret_commit) mem_target = xret_target;
    else mem_target = ex_mem_q.next_pc;
  end

  logic [XLEN-1:0] mem_result;
  always_comb begin
    if (ex_mem_q.mem_op != MEM_NONE) mem_result = lsu_result;
    else if (ex_mem_q.csr_op != CSR_NONE) mem_result = csr_rdata;
    else mem_result = ex_mem_q.result;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mem_wb_q <= '0;
    end else begin
      mem_wb_q.valid     <= mem_advance;
      mem_wb_q.pc        <= ex_mem_q.pc;
      mem_wb_q.next_pc   <= mem_redirect ? mem_target : ex_mem_q.next_pc;
      mem_wb_q.insn      <= ex_mem_q.insn;
      mem_wb_q.trap      <= trap;
      mem_wb_q.trap_cause <= mem_exc.cause;
      mem_wb_q.trap_tval <= mem_exc.tval;
      mem_wb_q.intr      <= after_trap_q;
      mem_wb_q.trap_interrupt <= mem_exc.is_interrupt;
      mem_wb_q.mip       <= mip;
      mem_wb_q.mode      <= priv;
      mem_wb_q.rd        <= (ex_mem_q.writes_rd && !trap) ? ex_mem_q.rd : 5'd0;
      mem_wb_q.wdata     <= (ex_mem_q.writes_rd && !trap) ? mem_result : '0;
      // cbo.zero reports its block's address (and its first 8 bytes as the data).
      mem_wb_q.mem_addr  <= !(mem_live && ex_mem_q.mem_op != MEM_NONE) ? '0
                          : ex_mem_q.mem_op == MEM_CBO_ZERO
                            ? {ex_mem_q.mem_addr[XLEN-1:$clog2(CBO_BLOCK_BYTES)], {$clog2(CBO_BLOCK_BYTES){1'b0}}}
                            : ex_mem_q.mem_addr;
      mem_wb_q.mem_paddr <= (mem_live && ex_mem_q.mem_op != MEM_NONE) ? pa_first : '0;
      mem_wb_q.mem_pte   <= (mem_live && ex_mem_q.mem_op != MEM_NONE) ? pte_first : '0;
      mem_wb_q.pc_paddr  <= ex_mem_q.paddr;
      mem_wb_q.mem_rmask <= (mem_live && !trap) ? lsu_rmask : 8'h00;
      mem_wb_q.mem_wmask <= (mem_live && !trap) ? lsu_wmask : 8'h00;
      mem_wb_q.mem_rdata <= lsu_mem_rdata;
      mem_wb_q.mem_wdata <= lsu_mem_wdata;
    end
  end

  // RVFI's `intr`: the first instruction committed after a trap is the handler's first.
  logic after_trap_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) after_trap_q <= 1'b0;
    else if (mem_advance) after_trap_q <= trap;
  end

  // ================================================================ writeback / retire
  logic [63:0] order_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) order_q <= '0;
    else if (mem_wb_q.valid) order_q <= order_q + 64'd1;
  end

  assign rvfi_valid_o     = mem_wb_q.valid;
  assign rvfi_order_o     = order_q;
  assign rvfi_insn_o      = mem_wb_q.insn;
  assign rvfi_trap_o      = mem_wb_q.trap;
  assign rvfi_trap_cause_o = mem_wb_q.trap ? mem_wb_q.trap_cause : EXC_INSN_MISALIGNED;
  assign rvfi_trap_tval_o = mem_wb_q.trap ? mem_wb_q.trap_tval : '0;
  assign rvfi_intr_o      = mem_wb_q.intr;
  assign rvfi_mode_o      = mem_wb_q.mode;
  assign rvfi_csr_mip_o   = mem_wb_q.mip;
  assign rvfi_csr_mstatus_o = mstatus;
  assign rvfi_trap_interrupt_o = mem_wb_q.trap && mem_wb_q.trap_interrupt;
  assign rvfi_pc_rdata_o  = mem_wb_q.pc;
  assign rvfi_pc_wdata_o  = mem_wb_q.next_pc;
  assign rvfi_rd_addr_o   = mem_wb_q.rd;
  assign rvfi_rd_wdata_o  = mem_wb_q.wdata;
  assign rvfi_mem_addr_o  = mem_wb_q.mem_addr;
  assign rvfi_mem_paddr_o = mem_wb_q.mem_paddr;
  assign rvfi_mem_pte_o   = mem_wb_q.mem_pte;
  assign rvfi_pc_paddr_o  = mem_wb_q.pc_paddr;
  assign rvfi_mem_rmask_o = mem_wb_q.mem_rmask;
  assign rvfi_mem_wmask_o = mem_wb_q.mem_wmask;
  assign rvfi_mem_rdata_o = mem_wb_q.mem_rdata;
  assign rvfi_mem_wdata_o = mem_wb_q.mem_wdata;

endmodule
