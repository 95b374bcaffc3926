// Memory stage, the commit point: data translation (both pages of an access that
// crosses one), the PMP check of the physical access, the LSU, and the priority of
// everything that can trap here. It fills the MEM/WB register with the retire record.
// When it advances, what it does (trap, CSR access, xRET, fences) is decided by the
// controller.
`default_nettype none

module memory_stage
  import cosim_pkg::*;
(
  input  logic            clk_i,
  input  logic            rst_ni,
  /* verilator lint_off UNUSEDSIGNAL */
  input  ex_mem_t         ex_mem_i,        // (its CSR and SFENCE.VMA operands go elsewhere)
  /* verilator lint_on UNUSEDSIGNAL */
  // Architectural state (CSR file)
  input  priv_e           priv_i,
  input  logic [XLEN-1:0] mstatus_i,
  input  logic [XLEN-1:0] mip_i,
  input  logic            csr_illegal_i,   // the CSR file refuses this CSR access or xRET/WFI/...
  input  logic [XLEN-1:0] csr_rdata_i,
  input  logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] pmp_lo_i,
  input  logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] pmp_hi_i,
  input  logic [PMP_ENTRIES-1:0][2:0]          pmp_perms_i,
  input  logic [PMP_ENTRIES-1:0]               pmp_locked_i,
  // Controller
  input  logic            irq_take_i,      // an interrupt is taken instead of this instruction
  input  logic [5:0]      irq_code_i,
  input  logic            advance_i,       // the instruction leaves the stage this cycle
  input  logic            trap_i,          // ... and traps
  input  logic            redirect_i,      // ... and fetch restarts at target_i
  input  logic [XLEN-1:0] target_i,
  input  logic            clear_reservation_i,
  output logic            live_o,          // an instruction without an earlier exception
  output logic            done_o,          // its translation and access are over
  output logic            idle_o,          // nothing started (an interrupt may be taken)
  output logic            lsu_idle_o,      // no bus access in flight (the walker may write)
  output exception_t      exc_o,
  // MMU data port
  output logic            xlate_req_o,
  output logic [XLEN-1:0] xlate_vaddr_o,
  output access_e         xlate_access_o,
  input  logic            xlate_done_i,
  input  logic [XLEN-1:0] xlate_paddr_i,
  input  logic [XLEN-1:0] xlate_pte_i,
  input  xfault_e         xlate_fault_i,
  input  logic            xlate_idle_i,
  input  logic            hold_lsu_i,      // the walker is updating a PTE (Svadu)
  // Bus unit: data
  output logic            rd_req_o,
  output logic            wr_req_o,
  output logic [XLEN-1:0] addr_o,
  output logic [2:0]      size_o,
  output logic [XLEN-1:0] wdata_o,
  output logic [7:0]      wstrb_o,
  input  logic            rd_gnt_i,
  input  logic            wr_gnt_i,
  input  logic            rvalid_i,
  input  logic            bvalid_i,
  input  logic            berr_i,
  input  logic [XLEN-1:0] rdata_i,
  input  logic            rerr_i,
  output mem_wb_t         mem_wb_o
);

  logic            live;
  logic            pmp_denied, lsu_wanted, lsu_idle, lsu_done, lsu_err, lsu_err_second;
  logic [XLEN-1:0] lsu_result, lsu_mem_rdata, lsu_mem_wdata;
  logic [7:0]      lsu_rmask, lsu_wmask;
  assign live   = ex_mem_i.valid && !ex_mem_i.exc.valid;
  assign live_o = live;

  // ---------------------------------------------------------------- what is accessed
  // Every data access (and cache-block operation) is translated at the address of its
  // first byte; one that crosses into another page has that page translated as well,
  // before any byte is accessed, so a fault of either part leaves memory untouched.
  // cbo.clean/flush/inval are allowed where a load or a store would be.
  localparam logic [XLEN-1:0] CBO_MASK = XLEN'(CBO_BLOCK_BYTES) - 64'd1;
  logic            is_cbo_zero, is_cbo_manage, is_cbo, checked, needs, crosses_page;
  logic [XLEN-1:0] first_byte, last_byte, second_page;
  assign is_cbo_zero   = ex_mem_i.mem_op == MEM_CBO_ZERO;
  assign is_cbo_manage = ex_mem_i.sys_op inside {SYS_CBO_CLEAN, SYS_CBO_FLUSH, SYS_CBO_INVAL};
  assign is_cbo        = is_cbo_zero || is_cbo_manage;
  assign checked       = ex_mem_i.mem_op != MEM_NONE || is_cbo_manage;
  assign first_byte    = is_cbo ? ex_mem_i.mem_addr & ~CBO_MASK : ex_mem_i.mem_addr;
  assign last_byte     = is_cbo ? first_byte | CBO_MASK
                                : ex_mem_i.mem_addr + ((64'd1 << ex_mem_i.mem_size) - 64'd1);
  assign crosses_page  = first_byte[XLEN-1:12] != last_byte[XLEN-1:12];
  assign second_page   = {last_byte[XLEN-1:12], 12'd0};
  // The access happens only when nothing traps first (an illegal cbo.zero is found by
  // the CSR file's privilege checks) and no interrupt is taken instead.
  assign needs         = live && checked && !csr_illegal_i && !irq_take_i;

  access_e access;
  always_comb begin
    if (is_cbo_manage) access = ACC_CBO;
    else if (ex_mem_i.mem_op inside {MEM_LOAD, MEM_LR}) access = ACC_LOAD;
    else access = ACC_STORE;  // stores, SC, AMOs, cbo.zero
  end

  // ---------------------------------------------------------------- data translation
  typedef enum logic [1:0] { DX_FIRST, DX_SECOND, DX_DONE } dx_state_e;
  dx_state_e       dx_state_q, dx_state_d;
  logic [XLEN-1:0] pa_first_q, pa_second_q, pte_first_q;
  logic            translated;  // the page being translated got its physical address now

  assign xlate_req_o    = needs && dx_state_q != DX_DONE;
  assign xlate_vaddr_o  = dx_state_q == DX_SECOND ? second_page : first_byte;
  assign xlate_access_o = access;
  assign translated     = xlate_req_o && xlate_done_i && xlate_fault_i == XF_NONE;

  always_comb begin
    dx_state_d = dx_state_q;
    if (advance_i) dx_state_d = DX_FIRST;
    else if (translated) dx_state_d = dx_state_q == DX_FIRST && crosses_page ? DX_SECOND : DX_DONE;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) dx_state_q <= DX_FIRST;
    else dx_state_q <= dx_state_d;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pa_first_q  <= '0;
      pa_second_q <= '0;
      pte_first_q <= '0;
    end else if (!advance_i && translated) begin
      if (dx_state_q == DX_FIRST) begin
        pa_first_q  <= xlate_paddr_i;
        pte_first_q <= xlate_pte_i;
      end else begin
        pa_second_q <= xlate_paddr_i;
      end
    end
  end

  logic xlate_fault, xlated;
  assign xlate_fault = xlate_req_o && xlate_done_i && xlate_fault_i != XF_NONE;
  // Translated: this cycle (one page, TLB hit), or earlier.
  assign xlated      = dx_state_q == DX_DONE || (dx_state_q == DX_FIRST && translated && !crosses_page);
  assign idle_o      = dx_state_q == DX_FIRST && xlate_idle_i && lsu_idle;
  assign lsu_idle_o  = lsu_idle;

  logic [XLEN-1:0] pa_first, pte_first, pa_next, piece1_last, piece2_last;
  assign pa_first    = dx_state_q == DX_FIRST ? xlate_paddr_i : pa_first_q;
  assign pte_first   = dx_state_q == DX_FIRST ? xlate_pte_i : pte_first_q;
  // An access that crosses a page is two accesses, one per page, each translated and
  // checked by PMP on its own (the pages need not be neighbours in physical memory).
  assign pa_next     = crosses_page && pa_first[11:3] == 9'h1ff ? pa_second_q
                                                               : {pa_first[XLEN-1:3], 3'b000} + 64'd8;
  assign piece1_last = crosses_page ? pa_first | 64'hfff : pa_first + (last_byte - first_byte);
  assign piece2_last = pa_second_q | {52'd0, last_byte[11:0]};

  // ---------------------------------------------------------------- PMP
  // Data accesses in the effective privilege (MPRV), every byte of the access
  // (cbo.zero: its block), physically.
  logic       pmp_ok;
  logic [2:0] need;
  always_comb begin
    unique case (ex_mem_i.mem_op)
      MEM_LOAD, MEM_LR: need = 3'b001;
      MEM_AMO:          need = 3'b011;
      MEM_NONE:         need = 3'b011;  // cache-block management: R or W (any_i)
      default:          need = 3'b010;  // stores, SC, cbo.zero
    endcase
  end
  logic [3:0] unused_byte_offsets;  // PMP works on 4-byte words
  assign unused_byte_offsets = {piece1_last[1:0], piece2_last[1:0]};

  // One checker per page: [0] the first (the whole access unless it crosses), [1] the
  // part in the second page.
  logic [1:0]           pmp_check, piece_ok;
  logic [1:0][XLEN-1:2] pmp_first, pmp_last;
  assign pmp_check = {needs && crosses_page, needs};
  assign pmp_first = {pa_second_q[XLEN-1:2], pa_first[XLEN-1:2]};
  assign pmp_last  = {piece2_last[XLEN-1:2], piece1_last[XLEN-1:2]};
  for (genvar i = 0; i < 2; i++) begin : g_pmp
    pmp u_pmp (
      .check_i   (pmp_check[i]),
      .first_i   (pmp_first[i]),
      .last_i    (pmp_last[i]),
      .need_i    (need),
      .any_i     (is_cbo_manage),
      .priv_i    (effective_data_priv(priv_i, mstatus_i)),
      .lo_i      (pmp_lo_i),
      .hi_i      (pmp_hi_i),
      .perms_i   (pmp_perms_i),
      .locked_i  (pmp_locked_i),
      .allowed_o (piece_ok[i])
    );
  end
  assign pmp_ok = piece_ok[0] && (!crosses_page || piece_ok[1]);

  // ---------------------------------------------------------------- LSU
  assign pmp_denied = needs && xlated && !pmp_ok;
  assign lsu_wanted = needs && ex_mem_i.mem_op != MEM_NONE && xlated && pmp_ok;
  assign done_o     = (!needs || xlated || xlate_fault) && (!lsu_wanted || lsu_done);

  lsu u_lsu (
    .clk_i,
    .rst_ni,
    // The LSU looks at its request only when idle.
    .req_i               (lsu_wanted && !hold_lsu_i),
    .op_i                (ex_mem_i.mem_op),
    .amo_op_i            (ex_mem_i.amo_op),
    .size_i              (ex_mem_i.mem_size),
    .unsigned_i          (ex_mem_i.mem_unsigned),
    .addr_i              (pa_first | (ex_mem_i.mem_addr & (is_cbo ? CBO_MASK : 64'd0))),
    .addr_next_i         (pa_next),
    .wdata_i             (ex_mem_i.store_data),
    .clear_reservation_i,
    .idle_o              (lsu_idle),
    .done_o              (lsu_done),
    .err_o               (lsu_err),
    .err_second_o        (lsu_err_second),
    .result_o            (lsu_result),
    .rmask_o             (lsu_rmask),
    .wmask_o             (lsu_wmask),
    .mem_rdata_o         (lsu_mem_rdata),
    .mem_wdata_o         (lsu_mem_wdata),
    .rd_req_o,
    .addr_o,
    .size_o,
    .rd_gnt_i,
    .rvalid_i,
    .rdata_i,
    .rerr_i,
    .wr_req_o,
    .wr_data_o           (wdata_o),
    .wr_strb_o           (wstrb_o),
    .wr_gnt_i,
    .bvalid_i,
    .berr_i
  );

  // ---------------------------------------------------------------- exception priority
  // The part of a crossing access that faulted: the second page, once the first passed.
  // A bus error on the second beat only is the part from the next 8 bytes on (the
  // second page's start when the access crosses one; memory is whole pages).
  logic [XLEN-1:0] fault_vaddr, second_beat_vaddr;
  assign second_beat_vaddr = {ex_mem_i.mem_addr[XLEN-1:3], 3'b000} + 64'd8;
  logic            store_like;
  assign fault_vaddr = dx_state_q == DX_SECOND ? second_page : ex_mem_i.mem_addr;
  assign store_like  = !(ex_mem_i.mem_op inside {MEM_LOAD, MEM_LR});

  always_comb begin
    exc_o = ex_mem_i.exc;
    if (irq_take_i) begin
      exc_o = '{valid: 1'b1, is_interrupt: 1'b1, cause: exc_cause_e'(irq_code_i), tval: '0};
    end else begin
      // ECALL's cause says which privilege it came from (8 U, 9 S, 11 M).
      if (ex_mem_i.exc.valid && ex_mem_i.exc.cause == EXC_ECALL_U)
        exc_o.cause = exc_cause_e'(EXC_ECALL_U + {4'd0, priv_i});
      if (live && csr_illegal_i) begin
        exc_o = '{valid: 1'b1, is_interrupt: 1'b0, cause: EXC_ILLEGAL_INSN, tval: {32'd0, ex_mem_i.insn}};
      end else if (xlate_fault && xlate_fault_i == XF_PAGE) begin
        exc_o = '{valid: 1'b1, is_interrupt: 1'b0,
`ifdef COSIM_MUTANT_MTVAL_PC_ON_PAGE_FAULT
                  cause: store_like ? EXC_STORE_PAGE : EXC_LOAD_PAGE, tval: ex_mem_i.pc};
`else
                  cause: store_like ? EXC_STORE_PAGE : EXC_LOAD_PAGE, tval: fault_vaddr};
`endif
      end else if (xlate_fault) begin
        exc_o = '{valid: 1'b1, is_interrupt: 1'b0,
                  cause: store_like ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS, tval: fault_vaddr};
      end else if (pmp_denied || (lsu_wanted && lsu_done && lsu_err)) begin
        exc_o = '{valid: 1'b1, is_interrupt: 1'b0,
                  cause: store_like ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS,
                  tval: (pmp_denied && piece_ok[0]) ? second_page
                      : (!pmp_denied && lsu_err_second) ? second_beat_vaddr : ex_mem_i.mem_addr};
      end
    end
  end

  // ---------------------------------------------------------------- MEM/WB
  logic [XLEN-1:0] result;
  always_comb begin
    if (ex_mem_i.mem_op != MEM_NONE) result = lsu_result;
    else if (ex_mem_i.csr_op != CSR_NONE) result = csr_rdata_i;
    else result = ex_mem_i.result;
  end

  // RVFI's `intr`: the first instruction committed after a trap is the handler's first.
  logic after_trap_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) after_trap_q <= 1'b0;
    else if (advance_i) after_trap_q <= trap_i;
  end

  logic accessed, writes;
  assign accessed = live && ex_mem_i.mem_op != MEM_NONE;
  assign writes   = ex_mem_i.writes_rd && !trap_i;

  // Loaded only when an instruction leaves the stage (its fields mean nothing while
  // valid is 0): the simulator then copies the wide record in those cycles only.
  mem_wb_t mem_wb_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mem_wb_q <= '0;
    end else if (!advance_i) begin
      mem_wb_q.valid <= 1'b0;
    end else begin
      mem_wb_q <= '{
        valid:          1'b1,
        pc:             ex_mem_i.pc,
        next_pc:        redirect_i ? target_i : ex_mem_i.next_pc,
        insn:           ex_mem_i.insn,
        trap:           trap_i,
        trap_cause:     exc_o.cause,
        trap_tval:      exc_o.tval,
        intr:           after_trap_q,
        trap_interrupt: exc_o.is_interrupt,
        mip:            mip_i,
        mode:           priv_i,
        rd:             writes ? ex_mem_i.rd : 5'd0,
        wdata:          writes ? result : '0,
        // cbo.zero reports its block's address (and its first 8 bytes as the data).
        mem_addr:       !accessed ? '0 : is_cbo_zero ? first_byte : ex_mem_i.mem_addr,
        mem_paddr:      accessed ? pa_first : '0,
        mem_pte:        accessed ? pte_first : '0,
        pc_paddr:       ex_mem_i.paddr,
        mem_rmask:      (live && !trap_i) ? lsu_rmask : 8'h00,
        mem_wmask:      (live && !trap_i) ? lsu_wmask : 8'h00,
        mem_rdata:      lsu_mem_rdata,
        mem_wdata:      lsu_mem_wdata
      };
    end
  end
  assign mem_wb_o = mem_wb_q;

endmodule

`default_nettype wire
