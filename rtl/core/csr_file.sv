// Control and status registers of M, S and U mode: privilege, trap entry and return
// (with delegation to S), counters (Zicntr, Zihpm) and the legality of every CSR
// access and privileged instruction. Everything happens at the commit point (the
// memory stage), so a CSR write is seen by every younger instruction.
`default_nettype none

module csr_file
  import cosim_pkg::*;
(
  input  logic            clk_i,
  input  logic            rst_ni,
  // The committing instruction. `illegal_o` is valid whenever op/addr/write/sys are
  // driven; `commit_i` performs the access.
  input  logic            commit_i,
  input  csr_op_e         op_i,
  input  logic [11:0]     addr_i,
  input  logic            write_i,   // CSRRW, or CSRRS/C with a non-zero operand field
  input  logic [XLEN-1:0] operand_i,
  input  sys_op_e         sys_op_i,
  output logic [XLEN-1:0] rdata_o,
  output logic            illegal_o,
  // Traps and returns, at the commit point.
  input  logic            trap_i,
  input  exc_cause_e      cause_i,
  input  logic            interrupt_i,     // the trap is an interrupt (cause = its code)
  // Interrupts
  input  logic            mtip_i,
  input  logic            msip_i,
  input  logic [XLEN-1:0] mtime_i,         // the CLINT's mtime, read through `time`
  output logic            irq_pending_o,   // an interrupt is to be taken now
  output logic [5:0]      irq_code_o,
  output logic            irq_wake_o,      // an interrupt is pending and enabled in mie (WFI)
  output logic [XLEN-1:0] mip_o,
  // PMP entries, decoded, for the checkers of fetch, data and the walker
  output logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] pmp_lo_o,
  output logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] pmp_hi_o,
  output logic [PMP_ENTRIES-1:0][2:0] pmp_perms_o,
  output logic [PMP_ENTRIES-1:0] pmp_locked_o,
  input  logic [XLEN-1:0] tval_i,
  input  logic [XLEN-1:0] epc_i,
  input  logic            mret_i,
  input  logic            sret_i,
  input  logic            retire_i,  // an instruction commits without trapping
  input  logic [HPM_EVENTS-1:0] events_i,
  input  logic [7:0]      flushed_i,
  output priv_e           priv_o,
  output logic [XLEN-1:0] trap_vector_o,  // where the trap being taken goes
  output logic [XLEN-1:0] xret_target_o,  // mepc for MRET, sepc for SRET
  output logic [XLEN-1:0] mstatus_o,      // for the retire port and the MMU
  output logic [XLEN-1:0] satp_o,
  output logic            adue_o
);

  // ---------------------------------------------------------------- mstatus layout
  // (field positions: cosim_pkg)
  // Writable through mstatus; sstatus sees and writes only SSTATUS_MASK of them.
  localparam logic [XLEN-1:0] MSTATUS_WMASK = (64'd1 << MSTATUS_SIE) | (64'd1 << MSTATUS_MIE)
      | (64'd1 << MSTATUS_SPIE) | (64'd1 << MSTATUS_MPIE) | (64'd1 << MSTATUS_SPP)
      | (64'd1 << MSTATUS_MPRV) | (64'd1 << MSTATUS_SUM) | (64'd1 << MSTATUS_MXR)
      | (64'd1 << MSTATUS_TVM) | (64'd1 << MSTATUS_TW) | (64'd1 << MSTATUS_TSR);
  localparam logic [XLEN-1:0] SSTATUS_MASK = (64'd1 << MSTATUS_SIE) | (64'd1 << MSTATUS_SPIE)
      | (64'd1 << MSTATUS_SPP) | (64'd1 << MSTATUS_SUM) | (64'd1 << MSTATUS_MXR)
      | (64'd3 << MSTATUS_UXL);  // UXL is visible in sstatus
  localparam logic [XLEN-1:0] XL64 = 64'd2;  // UXL = SXL = 64-bit, read-only

  // Exceptions S-mode may handle: all but ecall from M and the reserved causes.
  localparam logic [XLEN-1:0] MEDELEG_MASK = 64'hB3FF;
  localparam logic [XLEN-1:0] MIDELEG_MASK = 64'h222;  // SSIP, STIP, SEIP
  localparam logic [XLEN-1:0] MIE_MASK = 64'hAAA;      // SSIE MSIE STIE MTIE SEIE MEIE
  localparam logic [XLEN-1:0] MIP_WMASK = 64'h222;     // M writes SSIP, STIP, SEIP
  // menvcfg/senvcfg: FIOM, CBIE, CBCFE, CBZE (Zicbom, Zicboz).
  localparam logic [XLEN-1:0] ENVCFG_MASK = 64'hF1;
  // menvcfg.ADUE (Svadu): the walker sets A and D instead of faulting.
  localparam logic [XLEN-1:0] MENVCFG_ADUE = 64'd1 << 61;
  // mcountinhibit: CY, IR and the implemented hpm counters (TM has no inhibit).
  localparam logic [31:0] COUNTER_MASK = 32'(((64'd1 << (3 + HPM_COUNTERS)) - 1) & ~64'd2);

  priv_e           priv_q;
  logic [XLEN-1:0] mstatus_q;  // only MSTATUS_WMASK and MPP bits are state
  logic [1:0]      mpp_q;
  logic [XLEN-1:0] medeleg_q, mideleg_q, mie_q, mip_q, mtvec_q, stvec_q;
  logic [XLEN-1:0] mscratch_q, sscratch_q, mepc_q, sepc_q, mcause_q, scause_q, mtval_q, stval_q;
  logic [XLEN-1:0] menvcfg_q, senvcfg_q, satp_q;
  logic [31:0]     mcounteren_q, scounteren_q, mcountinhibit_q;
  logic [XLEN-1:0] mcycle_q, minstret_q;
  logic [XLEN-1:0] hpm_counter, hpm_event;
  logic            pmp_csr;
  logic [XLEN-1:0] pmp_rdata;

  logic            hpm_counter_csr, hpm_user_csr, hpm_event_csr;

  // mip: MTIP and MSIP come from the CLINT; SSIP, STIP, SEIP are software's.
  logic [XLEN-1:0] mip;
  assign mip = mip_q | ({63'd0, mtip_i} << 7) | ({63'd0, msip_i} << 3);
  assign mip_o = mip;

  logic [XLEN-1:0] mstatus;
  assign mstatus = (mstatus_q & MSTATUS_WMASK) | ({62'd0, mpp_q} << MSTATUS_MPP) | (XL64 << MSTATUS_UXL)
                 | (XL64 << MSTATUS_SXL);

  // ---------------------------------------------------------------- reads
  logic            known;
  logic [4:0]      counter_index;  // for cycle/instret/hpmcounterN: which mcounteren bit
  logic            is_counter;
  always_comb begin
    known         = 1'b1;
    rdata_o       = '0;
    is_counter    = 1'b0;
    counter_index = addr_i[4:0];
    // Decoded only for a CSR instruction: the simulator skips it in every other cycle.
    if (op_i != CSR_NONE) begin
    unique case (addr_i)
      CSR_SSTATUS:    rdata_o = mstatus & SSTATUS_MASK;
      CSR_SIE:        rdata_o = mie_q & mideleg_q;
      CSR_STVEC:      rdata_o = stvec_q;
      CSR_SCOUNTEREN: rdata_o = {32'd0, scounteren_q};
      CSR_SENVCFG:    rdata_o = senvcfg_q;
      CSR_SSCRATCH:   rdata_o = sscratch_q;
      CSR_SEPC:       rdata_o = sepc_q;
      CSR_SCAUSE:     rdata_o = scause_q;
      CSR_STVAL:      rdata_o = stval_q;
      CSR_SIP:        rdata_o = mip & mideleg_q;
      CSR_SATP:       rdata_o = satp_q;
      CSR_MSTATUS:    rdata_o = mstatus;
      CSR_MISA:       rdata_o = MISA_VALUE;
      CSR_MEDELEG:    rdata_o = medeleg_q;
      CSR_MIDELEG:    rdata_o = mideleg_q;
      CSR_MIE:        rdata_o = mie_q;
      CSR_MTVEC:      rdata_o = mtvec_q;
      CSR_MCOUNTEREN: rdata_o = {32'd0, mcounteren_q};
      CSR_MENVCFG:    rdata_o = menvcfg_q;
      CSR_MCOUNTINHIBIT: rdata_o = {32'd0, mcountinhibit_q};
      CSR_MSCRATCH:   rdata_o = mscratch_q;
      CSR_MEPC:       rdata_o = mepc_q;
      CSR_MCAUSE:     rdata_o = mcause_q;
      CSR_MTVAL:      rdata_o = mtval_q;
      CSR_MIP:        rdata_o = mip;
      CSR_MCYCLE:     rdata_o = mcycle_q;
      CSR_MINSTRET:   rdata_o = minstret_q;
      CSR_MVENDORID, CSR_MARCHID, CSR_MIMPID, CSR_MHARTID, CSR_MCONFIGPTR: rdata_o = '0;
      // Sdtrig with no triggers: tselect is hardwired to 0 and tdata1 reads type 0
      // ("no trigger"), so software finds there is nothing to set up.
      CSR_TSELECT, CSR_TDATA1, CSR_TDATA2, CSR_TDATA3: rdata_o = '0;
      CSR_CYCLE: begin
        rdata_o    = mcycle_q;
        is_counter = 1'b1;
      end
      CSR_TIME: begin
        rdata_o    = mtime_i;
        is_counter = 1'b1;
      end
      CSR_INSTRET: begin
        rdata_o    = minstret_q;
        is_counter = 1'b1;
      end
      default: begin
        // mhpmcounter3..31, hpmcounter3..31, mhpmevent3..31, PMP
        if (pmp_csr) begin
          rdata_o = pmp_rdata;
        end else if (hpm_counter_csr) begin
          rdata_o = hpm_counter;
        end else if (hpm_user_csr) begin
          rdata_o    = hpm_counter;
          is_counter = 1'b1;
        end else if (hpm_event_csr) begin
          rdata_o = hpm_event;
        end else begin
          known = 1'b0;
        end
      end
    endcase
    end
  end

  // ---------------------------------------------------------------- legality
  function automatic logic cbo_disabled(logic m_enable, logic s_enable);
    return (priv_q != PRIV_M && !m_enable) || (priv_q == PRIV_U && !s_enable);
  endfunction

  logic csr_illegal, sys_illegal;
  always_comb begin
    csr_illegal = 1'b0;
    sys_illegal = 1'b0;
    // Decided only for a CSR access or a system instruction: the simulator skips both
    // in every other cycle.
    if (op_i != CSR_NONE) begin
      // The CSR's address says the least privilege that may access it (bits 9:8) and
      // whether it is read-only (bits 11:10 = 3).
      csr_illegal = !known || (write_i && addr_i[11:10] == 2'b11) || (priv_q < priv_e'(addr_i[9:8]));
`ifdef COSIM_MUTANT_TVM_NOT_TRAPPING
`else
      if (addr_i == CSR_SATP && priv_q == PRIV_S && mstatus_q[MSTATUS_TVM]) csr_illegal = 1'b1;
`endif
      if (is_counter) begin
        if (priv_q != PRIV_M && !mcounteren_q[counter_index]) csr_illegal = 1'b1;
        if (priv_q == PRIV_U && !scounteren_q[counter_index]) csr_illegal = 1'b1;
      end
    end
    if (sys_op_i != SYS_NONE) begin
      unique case (sys_op_i)
        SYS_MRET:       sys_illegal = priv_q != PRIV_M;
        SYS_SRET:       sys_illegal = priv_q == PRIV_U || (priv_q == PRIV_S && mstatus_q[MSTATUS_TSR]);
`ifdef COSIM_MUTANT_TW_NOT_TRAPPING
        SYS_WFI:        sys_illegal = priv_q == PRIV_U;
`else
        SYS_WFI:        sys_illegal = priv_q == PRIV_U || (priv_q == PRIV_S && mstatus_q[MSTATUS_TW]);
`endif
        SYS_SFENCE_VMA: sys_illegal = priv_q == PRIV_U || (priv_q == PRIV_S && mstatus_q[MSTATUS_TVM]);
        // Below M, cache-block operations need menvcfg's enable, and in U senvcfg's too.
        SYS_CBO_INVAL:  sys_illegal = cbo_disabled(menvcfg_q[5:4] != 2'b00, senvcfg_q[5:4] != 2'b00);
        SYS_CBO_CLEAN, SYS_CBO_FLUSH: sys_illegal = cbo_disabled(menvcfg_q[6], senvcfg_q[6]);
        SYS_CBO_ZERO:   sys_illegal = cbo_disabled(menvcfg_q[7], senvcfg_q[7]);
        default:        sys_illegal = 1'b0;
      endcase
    end
  end
  assign illegal_o = csr_illegal || sys_illegal;

  logic [XLEN-1:0] wdata;
  always_comb begin
    unique case (op_i)
      CSR_SET:   wdata = rdata_o | operand_i;
      CSR_CLEAR: wdata = rdata_o & ~operand_i;
      default:   wdata = operand_i;
    endcase
  end

  logic do_write;
  // Not when an interrupt is taken at this instruction instead (trap_i): it does not
  // execute, so neither the registers here nor the PMP and HPM CSRs may change.
  assign do_write = commit_i && op_i != CSR_NONE && write_i && !illegal_o && !trap_i;

  assign hpm_counter_csr = addr_i[11:5] == CSR_MHPMCOUNTER3[11:5] && addr_i[4:0] >= 5'd3;
  assign hpm_user_csr    = addr_i[11:5] == CSR_HPMCOUNTER3[11:5] && addr_i[4:0] >= 5'd3;
  assign hpm_event_csr   = addr_i[11:5] == CSR_MHPMEVENT3[11:5] && addr_i[4:0] >= 5'd3;

  pmp_csrs u_pmp_csrs (
    .clk_i,
    .rst_ni,
    .addr_i,
    .write_i      (do_write),
    .wdata_i      (wdata),
    .known_o      (pmp_csr),
    .rdata_o      (pmp_rdata),
    .lo_o         (pmp_lo_o),
    .hi_o         (pmp_hi_o),
    .perms_o      (pmp_perms_o),
    .locked_o     (pmp_locked_o)
  );

  hpm_counters u_hpm (
    .clk_i,
    .rst_ni,
    .index_i         (addr_i[4:0]),
    .write_counter_i (do_write && hpm_counter_csr),
    .write_event_i   (do_write && hpm_event_csr),
    .wdata_i         (wdata),
    .events_i,
    .flushed_i,
    .inhibit_i       (mcountinhibit_q[3 +: HPM_COUNTERS]),
    .counter_o       (hpm_counter),
    .event_o         (hpm_event)
  );

  // ---------------------------------------------------------------- interrupts
  // Pending and enabled in mie; taken by M unless delegated, by S if delegated. M
  // takes its interrupts in U and S always, in M when MIE; S takes delegated ones in
  // U always, in S when SIE, never in M.
  logic [XLEN-1:0] pending, to_m_irqs, to_s_irqs;
  logic            m_enabled, s_enabled;
  assign pending   = mip & mie_q;
  assign m_enabled = priv_q != PRIV_M || mstatus_q[MSTATUS_MIE];
  assign s_enabled = priv_q == PRIV_U || (priv_q == PRIV_S && mstatus_q[MSTATUS_SIE]);
  assign to_m_irqs = m_enabled ? pending & ~mideleg_q : '0;
  assign to_s_irqs = s_enabled ? pending & mideleg_q : '0;

  // Priority: MEI, MSI, MTI, SEI, SSI, STI; M-level before S-level.
  function automatic logic [5:0] highest(logic [XLEN-1:0] irqs);
    if (irqs[IRQ_M_EXT]) return IRQ_M_EXT;
`ifdef COSIM_MUTANT_INTERRUPT_PRIORITY_WRONG
    if (irqs[IRQ_M_SOFT] && !irqs[IRQ_M_TIMER]) return IRQ_M_SOFT;
`else
    if (irqs[IRQ_M_SOFT]) return IRQ_M_SOFT;
`endif
    if (irqs[IRQ_M_TIMER]) return IRQ_M_TIMER;
    if (irqs[IRQ_S_EXT]) return IRQ_S_EXT;
    if (irqs[IRQ_S_SOFT]) return IRQ_S_SOFT;
    return IRQ_S_TIMER;
  endfunction

  assign irq_pending_o = (to_m_irqs | to_s_irqs) != '0;
  assign irq_code_o    = to_m_irqs != '0 ? highest(to_m_irqs) : highest(to_s_irqs);
  assign irq_wake_o    = pending != '0;

  // ---------------------------------------------------------------- traps
  // A trap from U or S goes to S when medeleg (mideleg for interrupts) delegates it.
  // Vectored mode sends interrupts to base + 4 * code.
  logic            to_s;
  logic [XLEN-1:0] tvec;
  assign to_s = priv_q != PRIV_M && (interrupt_i ? mideleg_q[cause_i] : medeleg_q[cause_i]);
  assign tvec = to_s ? stvec_q : mtvec_q;
  assign trap_vector_o = {tvec[XLEN-1:2], 2'b00}
                       + ((interrupt_i && tvec[0]) ? {56'd0, cause_i, 2'b00} : '0);
  logic unused_tvec_mode_bit;  // always 0: writes of modes 2 and 3 are ignored
  assign unused_tvec_mode_bit = tvec[1];
  assign xret_target_o = sys_op_i == SYS_SRET ? sepc_q : mepc_q;

  function automatic logic [1:0] legal_mpp(logic [1:0] v, logic [1:0] old);
    return v == 2'b10 ? old : v;  // 2 is reserved; keep the previous (legal) value
  endfunction

  function automatic logic [XLEN-1:0] legal_tvec(logic [XLEN-1:0] v, logic [1:0] old_mode);
    return {v[XLEN-1:2], v[1] ? old_mode : v[1:0]};  // modes 0 and 1 only
  endfunction

  // CBIE = 2 is reserved: such a write keeps the previous CBIE.
  function automatic logic [XLEN-1:0] legal_envcfg(logic [XLEN-1:0] v, logic [1:0] old_cbie);
    logic [XLEN-1:0] r;
    r = v & ENVCFG_MASK;
    if (v[5:4] == 2'b10) r[5:4] = old_cbie;
    return r;
  endfunction

  // satp: Bare (all fields zero), Sv39 and Sv48 with a 16-bit ASID; a write of any
  // other mode has no effect at all.
  function automatic logic [XLEN-1:0] legal_satp(logic [XLEN-1:0] v, logic [XLEN-1:0] old);
    unique case (satp_mode(v))
      SATP_BARE:            return '0;
      SATP_SV39, SATP_SV48: return v;
      default:              return old;
    endcase
  endfunction

  // ---------------------------------------------------------------- state
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      priv_q          <= PRIV_M;
      mstatus_q       <= '0;
      mpp_q           <= PRIV_U;  // as after an MRET; the spec leaves it open
      medeleg_q       <= '0;
      mideleg_q       <= '0;
      mie_q           <= '0;
      mip_q           <= '0;
      mtvec_q         <= '0;
      stvec_q         <= '0;
      mscratch_q      <= '0;
      sscratch_q      <= '0;
      mepc_q          <= '0;
      sepc_q          <= '0;
      mcause_q        <= '0;
      scause_q        <= '0;
      mtval_q         <= '0;
      stval_q         <= '0;
      menvcfg_q       <= '0;
      senvcfg_q       <= '0;
      satp_q          <= '0;
      mcounteren_q    <= '0;
      scounteren_q    <= '0;
      mcountinhibit_q <= '0;
      mcycle_q        <= '0;
      minstret_q      <= '0;
    end else begin
      if (!mcountinhibit_q[0]) mcycle_q <= mcycle_q + 64'd1;
      if (retire_i && !mcountinhibit_q[2]) minstret_q <= minstret_q + 64'd1;

      if (trap_i) begin
        if (to_s) begin
          sepc_q          <= epc_i;
          scause_q        <= {interrupt_i, 57'd0, cause_i};
          stval_q         <= tval_i;
          mstatus_q[MSTATUS_SPIE] <= mstatus_q[MSTATUS_SIE];
          mstatus_q[MSTATUS_SIE]  <= 1'b0;
          mstatus_q[MSTATUS_SPP]  <= priv_q[0];
          priv_q          <= PRIV_S;
        end else begin
          mepc_q          <= epc_i;
          mcause_q        <= {interrupt_i, 57'd0, cause_i};
          mtval_q         <= tval_i;
          mstatus_q[MSTATUS_MPIE] <= mstatus_q[MSTATUS_MIE];
          mstatus_q[MSTATUS_MIE]  <= 1'b0;
          mpp_q           <= priv_q;
          priv_q          <= PRIV_M;
        end
      end else if (mret_i) begin
        priv_q          <= priv_e'(mpp_q);
`ifdef COSIM_MUTANT_MRET_MPIE_LOST
`else
        mstatus_q[MSTATUS_MIE]  <= mstatus_q[MSTATUS_MPIE];
`endif
        mstatus_q[MSTATUS_MPIE] <= 1'b1;
        mpp_q           <= PRIV_U;
        if (priv_e'(mpp_q) != PRIV_M) mstatus_q[MSTATUS_MPRV] <= 1'b0;
      end else if (sret_i) begin
        priv_q          <= mstatus_q[MSTATUS_SPP] ? PRIV_S : PRIV_U;
        mstatus_q[MSTATUS_SIE]  <= mstatus_q[MSTATUS_SPIE];
        mstatus_q[MSTATUS_SPIE] <= 1'b1;
        mstatus_q[MSTATUS_SPP]  <= 1'b0;
        mstatus_q[MSTATUS_MPRV] <= 1'b0;
      end else if (do_write) begin
        unique case (addr_i)
          CSR_SSTATUS: mstatus_q <= (mstatus_q & ~SSTATUS_MASK) | (wdata & SSTATUS_MASK);
          CSR_MSTATUS: begin
            mstatus_q <= wdata & MSTATUS_WMASK;
            mpp_q     <= legal_mpp(wdata[MSTATUS_MPP +: 2], mpp_q);
          end
          CSR_SIE:        mie_q <= (mie_q & ~mideleg_q) | (wdata & mideleg_q);
          CSR_SIP:        mip_q <= (mip_q & ~(mideleg_q & 64'h2)) | (wdata & mideleg_q & 64'h2);
          CSR_MIE:        mie_q <= wdata & MIE_MASK;
          CSR_MIP:        mip_q <= (mip_q & ~MIP_WMASK) | (wdata & MIP_WMASK);
          CSR_MEDELEG:    medeleg_q <= wdata & MEDELEG_MASK;
          CSR_MIDELEG:    mideleg_q <= wdata & MIDELEG_MASK;
          CSR_MTVEC:      mtvec_q <= legal_tvec(wdata, mtvec_q[1:0]);
          CSR_STVEC:      stvec_q <= legal_tvec(wdata, stvec_q[1:0]);
          CSR_MCOUNTEREN: mcounteren_q <= wdata[31:0];
          CSR_SCOUNTEREN: scounteren_q <= wdata[31:0];
          CSR_MCOUNTINHIBIT: mcountinhibit_q <= wdata[31:0] & COUNTER_MASK;
          CSR_MENVCFG:    menvcfg_q <= legal_envcfg(wdata, menvcfg_q[5:4]) | (wdata & MENVCFG_ADUE);
          CSR_SENVCFG:    senvcfg_q <= legal_envcfg(wdata, senvcfg_q[5:4]);
          CSR_MSCRATCH:   mscratch_q <= wdata;
          CSR_SSCRATCH:   sscratch_q <= wdata;
`ifdef COSIM_MUTANT_MEPC_BIT0_KEPT
          CSR_MEPC:       mepc_q <= wdata;
`else
          CSR_MEPC:       mepc_q <= {wdata[XLEN-1:1], 1'b0};
`endif
          CSR_SEPC:       sepc_q <= {wdata[XLEN-1:1], 1'b0};
          CSR_MCAUSE:     mcause_q <= wdata;
          CSR_SCAUSE:     scause_q <= wdata;
          CSR_MTVAL:      mtval_q <= wdata;
          CSR_STVAL:      stval_q <= wdata;
          CSR_SATP:       satp_q <= legal_satp(wdata, satp_q);
          // The written value wins over this cycle's increment.
          CSR_MCYCLE:     mcycle_q <= wdata;
          CSR_MINSTRET:   minstret_q <= wdata;
          default: begin
            // The hpm counters and PMP CSRs write themselves.
          end
        endcase
      end
    end
  end

  assign priv_o    = priv_q;
  assign mstatus_o = mstatus;
  assign satp_o    = satp_q;
  assign adue_o    = menvcfg_q[61];

endmodule

`default_nettype wire
