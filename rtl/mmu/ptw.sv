// The hardware page-table walker, shared by the ITLB and the DTLB. A request first
// looks in the shared L2 TLB; on a miss the walk starts at the root or below the
// deepest page-walk-cache hit and reads one PTE per level over the AXI port (ID
// AXI_ID_PTW), each read checked by PMP as an S-mode load. It reports the leaf it
// found, or a page fault (invalid or reserved encodings, misaligned superpage), or an
// access fault (PMP or bus error on a PTE read). The permission check of the leaf is
// the requesting port's; the walker only uses it to decide on a Svadu A/D update,
// which it performs atomically: with the LSU held idle it re-reads the PTE and writes
// it back with A (and D for stores) only if it is unchanged, else walks again. The
// update is exact, never speculative: a fetch's waits until no older instruction is in
// flight (the fetch is the next to execute), and is dropped if the fetch is withdrawn;
// if a data access needs the walker meanwhile, the fetch's walk gives way (ends without
// a result, and the fetch port asks again) so that the older instruction can finish.
`include "pkg/cosim_assert.svh"

`default_nettype none

module ptw
  import cosim_pkg::*;
#(
  parameter int unsigned L2_ENTRIES  = 64,  // 0: no L2 TLB
  parameter int unsigned PWC_ENTRIES = 8    // 0: no page-walk cache
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  // Request (held until accepted)
  input  logic              req_i,
  input  logic              req_port_i,    // 0: ITLB, 1: DTLB
  input  logic [XLEN-1:0]   req_vaddr_i,
  input  access_e           req_access_i,
  input  priv_e             req_priv_i,
  input  logic [XLEN-1:0]   satp_i,
  input  logic              sum_i,
  input  logic              mxr_i,
  input  logic              adue_i,        // menvcfg.ADUE: Svadu
  output logic              accept_o,
  // Result, for one cycle
  output logic              done_o,
  output logic              done_port_o,
  output xfault_e           done_fault_o,
  output tlb_entry_t        done_entry_o,
  output logic              done_fill_o,   // fill the requester's L1 with done_entry_o
  output logic              done_retry_o,  // no result: the requester must ask again
  // What the walk did, for the harness's translation check
  output logic              rec_start_o,   // W_START: L2 TLB and walk-cache lookup
  output logic              rec_discard_o, // an sfence.vma came during the walk
  output logic              rec_walked_o,  // not an L2 hit
  output logic [XLEN-1:0]   rec_vaddr_o,
  output logic [XLEN-1:0]   rec_satp_o,
  output access_e           rec_access_o,
  output priv_e             rec_priv_o,
  output logic [XLEN-1:0]   rec_pte_o,     // the last PTE read (the leaf when no fault)
  output logic [XLEN-1:0]   rec_pte_addr_o,
  output logic [2:0]        rec_reads_o,
  output logic [1:0]        rec_level_o,   // level of the last PTE read
  output logic              rec_sum_o,
  output logic              rec_mxr_o,
  output logic              rec_adue_o,
  // PTE reads and A/D writes over the bus
  output logic              rd_req_o,
  output logic              wr_req_o,
  output logic [XLEN-1:0]   addr_o,
  output logic [XLEN-1:0]   wdata_o,
  input  logic              rd_gnt_i,
  input  logic              rvalid_i,
  input  logic [XLEN-1:0]   rdata_i,
  input  logic              rerr_i,
  input  logic              wr_gnt_i,
  input  logic              bvalid_i,
  input  logic              berr_i,
  // PMP
  input  logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] pmp_lo_i,
  input  logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] pmp_hi_i,
  input  logic [PMP_ENTRIES-1:0][2:0] pmp_perms_i,
  input  logic [PMP_ENTRIES-1:0] pmp_locked_i,
  // Svadu atomicity: no data access may run while the walker updates a PTE
  input  logic              lsu_idle_i,
  input  logic              fetch_oldest_i,  // no instruction older than the fetch is in flight
  input  logic              fetch_kill_i,    // the fetch port withdrew its request
  input  logic              data_waiting_i,  // the data port needs the walker
  output logic              hold_lsu_o,
  // sfence.vma
  input  logic              flush_i,
  input  logic              flush_by_va_i,
  input  logic [VPN_W-1:0]  flush_vpn_i,
  input  logic              flush_by_asid_i,
  input  logic [ASID_W-1:0] flush_asid_i,
  output logic [7:0]        l2_flushed_o,
  // Events
  output logic              ev_l2_hit_o,
  output logic              ev_l2_miss_o,
  output logic              ev_walk_o,
  output logic              ev_walk_cycle_o,
  output logic              ev_walk_read_o,
  output logic              ev_pwc_hit_o,
  output logic              ev_pwc_miss_o,
  output logic [3:0]        ev_leaf_level_o,  // one-hot: the walk ended at a leaf of this level
  output logic              ev_walk_fault_o,
  output logic              ev_ad_update_o
);

  typedef enum logic [3:0] {
    W_IDLE, W_START, W_READ, W_WAIT, W_AD_LOCK, W_AD_READ, W_AD_RWAIT, W_AD_WRITE, W_AD_BWAIT, W_DONE
  } walk_state_e;

  walk_state_e       state_q, state_d;
  logic              port_q;
  logic [XLEN-1:0]   vaddr_q, satp_q, pte_q, pte_addr_q;
  access_e           access_q;
  priv_e             priv_q;
  logic              sum_q, mxr_q, adue_q;
  logic [1:0]        level_q;
  logic [PPN_W-1:0]  table_q;  // PPN of the table being read
  xfault_e           fault_q;
  logic              from_l2_q, discard_q, orphan_q, retry_q;
  tlb_entry_t        entry_q;
  logic [2:0]        reads_q;

  logic [VPN_W-1:0]  vpn;
  logic [ASID_W-1:0] asid;
  logic              sv48;
  logic [1:0]        top_level;
  assign vpn       = vaddr_q[12 +: VPN_W];
  assign asid      = satp_asid(satp_q);
  assign sv48      = satp_mode(satp_q) == SATP_SV48;
`ifdef COSIM_MUTANT_SV48_AS_SV39
  assign top_level = 2'd2;
`else
  assign top_level = sv48 ? 2'd3 : 2'd2;
`endif

  // Address of the PTE for the current level: table + VPN[level] * 8.
  logic [XLEN-1:0] pte_addr;
  assign pte_addr = {8'd0, table_q, 12'd0} + {52'd0, vaddr_q[12 + 9 * level_q +: 9], 3'b000};

  // ---------------------------------------------------------------- L2 TLB and walk cache
  logic       l2_hit;
  tlb_entry_t l2_entry;
  logic       start_lookup;  // W_START: consult both
  assign start_lookup = state_q == W_START;

  logic fill_l2;
  if (L2_ENTRIES > 0) begin : g_l2
    tlb #(.ENTRIES(L2_ENTRIES)) u_l2 (
      .clk_i,
      .rst_ni,
      .lookup_i        (start_lookup),
      .lookup_vpn_i    (vpn),
      .lookup_asid_i   (asid),
      .hit_o           (l2_hit),
      .hit_entry_o     (l2_entry),
      .touch_i         (start_lookup && leaf_ad_ok(l2_entry.flags, access_q)),
      .fill_i          (fill_l2),
      .fill_entry_i    (entry_q),
      .flush_i,
      .flush_by_va_i,
      .flush_vpn_i,
      .flush_by_asid_i,
      .flush_asid_i,
      .flushed_o       (l2_flushed_o)
    );
  end else begin : g_no_l2
    assign l2_hit       = 1'b0;
    assign l2_entry     = '0;
    assign l2_flushed_o = '0;
  end

  // An L2 entry whose A/D bits do not allow the access counts as a miss: the walk
  // reads the PTE again (and faults or updates it).
  logic l2_usable;
  assign l2_usable = l2_hit && leaf_ad_ok(l2_entry.flags, access_q);

  logic             pwc_hit, pwc_fill;
  logic [1:0]       pwc_level;
  logic [PPN_W-1:0] pwc_ppn;
  if (PWC_ENTRIES > 0) begin : g_pwc
    walk_cache #(.ENTRIES(PWC_ENTRIES)) u_pwc (
      .clk_i,
      .rst_ni,
      .sv48_i       (sv48),
      .asid_i       (asid),
      .vpn_i        (vpn),
      .lookup_i     (start_lookup),
      .touch_i      (start_lookup && !l2_usable),
      .hit_o        (pwc_hit),
      .hit_level_o  (pwc_level),
      .hit_ppn_o    (pwc_ppn),
      .fill_i       (pwc_fill),
      .fill_level_i (level_q),
      .fill_ppn_i   (rdata_i[10 +: PPN_W]),
      .flush_i
    );
  end else begin : g_no_pwc
    assign pwc_hit   = 1'b0;
    assign pwc_level = '0;
    assign pwc_ppn   = '0;
  end

  // ---------------------------------------------------------------- PMP of PTE accesses
  // W_READ checks the address it is about to read; later states the one it read.
  logic            pmp_ok;
  logic [XLEN-1:0] access_addr;
  assign access_addr = state_q == W_READ ? pte_addr : pte_addr_q;
  pmp u_pmp (
`ifdef COSIM_MUTANT_PMP_NOT_ON_WALKS
    .check_i   (state_q == W_AD_WRITE),
`else
    .check_i   (state_q inside {W_READ, W_AD_WRITE}),
`endif
    .first_i   (access_addr[XLEN-1:2]),
    .last_i    (access_addr[XLEN-1:2] + 62'd1),
    .need_i    (state_q == W_AD_WRITE ? 3'b010 : 3'b001),
    .any_i     (1'b0),
    .priv_i    (PRIV_S),
    .lo_i         (pmp_lo_i),
    .hi_i         (pmp_hi_i),
    .perms_i      (pmp_perms_i),
    .locked_i     (pmp_locked_i),
    .allowed_o (pmp_ok)
  );

  // ---------------------------------------------------------------- PTE checks
  // The read data bus carries every read's data: the PTE is examined only while a PTE
  // read is answered, so the simulator skips these checks in every other cycle.
  logic [XLEN-1:0] pte;
  logic            pte_invalid, pte_leaf, pte_misaligned, nonleaf_bad, needs_ad;
  assign pte = rdata_i;
  always_comb begin
    pte_invalid    = 1'b0;
    pte_leaf       = 1'b0;
    pte_misaligned = 1'b0;
    nonleaf_bad    = 1'b0;
    needs_ad       = 1'b0;
    if (state_q == W_WAIT) begin
      // V=0, W without R, or a bit we do not implement (reserved, PBMT, N) set.
`ifdef COSIM_MUTANT_RESERVED_WR_ALLOWED
      pte_invalid    = !pte[PTE_V] || pte[63:54] != '0;
`else
      pte_invalid    = !pte[PTE_V] || (!pte[PTE_R] && pte[PTE_W]) || pte[63:54] != '0;
`endif
      pte_leaf       = pte[PTE_R] || pte[PTE_X];
`ifdef COSIM_MUTANT_MISALIGNED_SUPERPAGE_ALLOWED
      pte_misaligned = (pte[10 +: PPN_W] & ~({PPN_W{1'b1}} << (9 * level_q - 9))) != '0;
`else
      pte_misaligned = (pte[10 +: PPN_W] & ~({PPN_W{1'b1}} << (9 * level_q))) != '0;
`endif
      // A, D and U are reserved in non-leaf PTEs; a last-level PTE must be a leaf.
      nonleaf_bad    = pte[PTE_A] || pte[PTE_D] || pte[PTE_U] || level_q == 2'd0;
      needs_ad       = adue_q && leaf_permits(pte[7:0], access_q, priv_q, sum_q, mxr_q)
                    && !leaf_ad_ok(pte[7:0], access_q);
    end
  end

  logic [XLEN-1:0] ad_value;
  assign ad_value = pte_q | (64'd1 << PTE_A) | (access_q == ACC_STORE ? 64'd1 << PTE_D : 64'd0);

  // ---------------------------------------------------------------- state machine
  assign accept_o   = state_q == W_IDLE && req_i;
  assign rd_req_o   = (state_q == W_READ && pmp_ok) || state_q == W_AD_READ;
  assign wr_req_o   = state_q == W_AD_WRITE && pmp_ok;
  assign addr_o     = access_addr;
`ifdef COSIM_MUTANT_SVADU_DIRTY_NOT_SET
  assign wdata_o    = pte_q | (64'd1 << PTE_A);
`else
  assign wdata_o    = ad_value;
`endif
  assign hold_lsu_o = state_q inside {W_AD_LOCK, W_AD_READ, W_AD_RWAIT, W_AD_WRITE, W_AD_BWAIT};

  logic rvalid_walk;
  assign rvalid_walk = state_q == W_WAIT && rvalid_i;
  assign pwc_fill    = rvalid_walk && !rerr_i && !pte_invalid && !pte_leaf && !nonleaf_bad
                    && !discard_q && !flush_i;

  // Next state. The registers the walk fills are updated on the same conditions below.
  always_comb begin
    state_d = state_q;
    unique case (state_q)
      W_IDLE:  if (req_i) state_d = W_START;
      W_START: state_d = l2_usable ? W_DONE : W_READ;
      W_READ: begin
        if (!pmp_ok) state_d = W_DONE;
        else if (rd_gnt_i) state_d = W_WAIT;
      end
      W_WAIT: begin
        if (rvalid_i) begin
          if (rerr_i || pte_invalid) state_d = W_DONE;
          else if (pte_leaf) state_d = (level_q != 2'd0 && pte_misaligned) || !needs_ad ? W_DONE : W_AD_LOCK;
          else if (nonleaf_bad) state_d = W_DONE;
          else state_d = W_READ;
        end
      end
      W_AD_LOCK: begin
        // A withdrawn fetch, or a fetch that gives way to an older data access, ends;
        // the update waits until no data access is in flight.
        if (orphan_q || (!port_q && (fetch_kill_i || (!fetch_oldest_i && data_waiting_i))))
          state_d = W_DONE;
        else if (lsu_idle_i && (port_q || fetch_oldest_i)) state_d = W_AD_READ;
      end
      W_AD_READ:  if (rd_gnt_i) state_d = W_AD_RWAIT;
      W_AD_RWAIT: begin
        // A PTE that changed under us is walked again from the root.
        if (rvalid_i) state_d = rerr_i ? W_DONE : rdata_i != pte_q ? W_READ : W_AD_WRITE;
      end
      W_AD_WRITE: begin
        if (!pmp_ok) state_d = W_DONE;
        else if (wr_gnt_i) state_d = W_AD_BWAIT;
      end
      W_AD_BWAIT: if (bvalid_i) state_d = W_DONE;
      default:    state_d = W_IDLE;  // W_DONE
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q    <= W_IDLE;
      port_q     <= 1'b0;
      vaddr_q    <= '0;
      satp_q     <= '0;
      pte_q      <= '0;
      pte_addr_q <= '0;
      access_q   <= ACC_LOAD;
      priv_q     <= PRIV_S;
      sum_q      <= 1'b0;
      mxr_q      <= 1'b0;
      adue_q     <= 1'b0;
      level_q    <= '0;
      table_q    <= '0;
      fault_q    <= XF_NONE;
      from_l2_q  <= 1'b0;
      discard_q  <= 1'b0;
      orphan_q   <= 1'b0;
      retry_q    <= 1'b0;
      entry_q    <= '0;
      reads_q    <= '0;
    end else begin
      state_q <= state_d;
      if (flush_i && state_q != W_IDLE) discard_q <= 1'b1;
      if (fetch_kill_i && !port_q && state_q != W_IDLE) orphan_q <= 1'b1;
      unique case (state_q)
        W_IDLE: begin
          if (req_i) begin
            port_q    <= req_port_i;
            vaddr_q   <= req_vaddr_i;
            satp_q    <= satp_i;
            access_q  <= req_access_i;
            priv_q    <= req_priv_i;
            sum_q     <= sum_i;
            mxr_q     <= mxr_i;
            adue_q    <= adue_i;
            fault_q   <= XF_NONE;
            from_l2_q <= 1'b0;
            discard_q <= 1'b0;
            orphan_q  <= 1'b0;
            retry_q   <= 1'b0;
            reads_q   <= '0;
          end
        end
        W_START: begin
          if (l2_usable) begin
            entry_q   <= l2_entry;
            from_l2_q <= 1'b1;
          end else begin
            level_q <= pwc_hit ? pwc_level - 2'd1 : top_level;
            table_q <= pwc_hit ? pwc_ppn : satp_ppn(satp_q);
          end
        end
        W_READ: begin
          pte_addr_q <= pte_addr;
          if (!pmp_ok) fault_q <= XF_ACCESS;
        end
        W_WAIT: begin
          if (rvalid_i) begin
            reads_q <= reads_q + 3'd1;
            pte_q   <= pte;
            if (rerr_i) begin
              fault_q <= XF_ACCESS;
            end else if (pte_invalid) begin
              fault_q <= XF_PAGE;
            end else if (pte_leaf) begin
`ifdef COSIM_MUTANT_PTE_PPN_BIT_DROPPED
              entry_q <= '{vpn: vpn, level: level_q, asid: asid,
                           ppn: pte[10 +: PPN_W] & ~(PPN_W'(1) << 9), flags: pte[7:0]};
`else
              entry_q <= '{vpn: vpn, level: level_q, asid: asid, ppn: pte[10 +: PPN_W],
                           flags: pte[7:0]};
`endif
              if (level_q != 2'd0 && pte_misaligned) fault_q <= XF_PAGE;
            end else if (nonleaf_bad) begin
              fault_q <= XF_PAGE;
            end else begin
              level_q <= level_q - 2'd1;
              table_q <= pte[10 +: PPN_W];
            end
          end
        end
        W_AD_LOCK: begin
          if (orphan_q || (!port_q && fetch_kill_i)) begin
            discard_q <= 1'b1;  // a withdrawn fetch: no update, nothing cached
          end else if (!port_q && !fetch_oldest_i && data_waiting_i) begin
            discard_q <= 1'b1;  // give way to the older data access
            retry_q   <= 1'b1;
          end
        end
        W_AD_RWAIT: begin
          if (rvalid_i) begin
            reads_q <= reads_q + 3'd1;
            if (rerr_i) begin
              fault_q <= XF_ACCESS;
            end else if (rdata_i != pte_q) begin
              level_q <= top_level;
              table_q <= satp_ppn(satp_q);
            end
          end
        end
        W_AD_WRITE: if (!pmp_ok) fault_q <= XF_ACCESS;
        W_AD_BWAIT: begin
          if (bvalid_i) begin
            if (berr_i) begin
              fault_q <= XF_ACCESS;
            end else begin
              pte_q         <= ad_value;
              entry_q.flags <= ad_value[7:0];
            end
          end
        end
        default: ;  // W_AD_READ, W_DONE
      endcase
    end
  end

  assign fill_l2 = state_q == W_DONE && fault_q == XF_NONE && !from_l2_q && !discard_q;

  assign done_o       = state_q == W_DONE;
  assign done_port_o  = port_q;
  assign done_fault_o = fault_q;
  assign done_entry_o = entry_q;
  assign done_fill_o  = done_o && fault_q == XF_NONE && !discard_q;
  assign done_retry_o = done_o && retry_q;

  assign rec_start_o    = start_lookup;
  assign rec_discard_o  = discard_q;
  assign rec_walked_o   = !from_l2_q;
  assign rec_vaddr_o    = vaddr_q;
  assign rec_satp_o     = satp_q;
  assign rec_access_o   = access_q;
  assign rec_priv_o     = priv_q;
  assign rec_pte_o      = pte_q;
  assign rec_pte_addr_o = pte_addr_q;
  assign rec_reads_o    = reads_q;
  assign rec_level_o    = level_q;
  assign rec_sum_o      = sum_q;
  assign rec_mxr_o      = mxr_q;
  assign rec_adue_o     = adue_q;

  // ---------------------------------------------------------------- events
  logic walking;
  assign walking         = state_q inside {W_READ, W_WAIT, W_AD_LOCK, W_AD_READ, W_AD_RWAIT,
                                           W_AD_WRITE, W_AD_BWAIT};
  assign ev_l2_hit_o     = start_lookup && l2_usable && L2_ENTRIES > 0;
  assign ev_l2_miss_o    = start_lookup && !l2_usable && L2_ENTRIES > 0;
  assign ev_walk_o       = start_lookup && !l2_usable;
  assign ev_walk_cycle_o = walking;
  assign ev_walk_read_o  = (state_q == W_WAIT || state_q == W_AD_RWAIT) && rvalid_i;
  assign ev_pwc_hit_o    = start_lookup && !l2_usable && pwc_hit && PWC_ENTRIES > 0;
  assign ev_pwc_miss_o   = start_lookup && !l2_usable && !pwc_hit && PWC_ENTRIES > 0;
  assign ev_leaf_level_o = (done_o && !from_l2_q && fault_q == XF_NONE) ? 4'(1 << entry_q.level) : 4'd0;
  assign ev_walk_fault_o = done_o && fault_q != XF_NONE;
  assign ev_ad_update_o  = state_q == W_AD_BWAIT && bvalid_i && !berr_i;

  // ---------------------------------------------------------------- assertions
  // Assertion-only state (the simulator drops it when assertions are off): an
  // sfence.vma came after the walk began.
  logic sfence_during_walk_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) sfence_during_walk_q <= 1'b0;
    else if (state_q == W_IDLE) sfence_during_walk_q <= 1'b0;
    else if (flush_i) sfence_during_walk_q <= 1'b1;
  end
  `COSIM_ASSERT(ptw_no_fill_after_sfence,
      !(sfence_during_walk_q && (done_fill_o || fill_l2 || pwc_fill)),
      "walker: a walk that an sfence.vma overtook filled a TLB or the walk cache")
  `COSIM_ASSERT(ptw_state_legal, state_q <= W_DONE, "walker: illegal state")
  `COSIM_ASSERT(ptw_leaf_level_onehot, $onehot0(ev_leaf_level_o),
      "walker: a walk ended at leaves of two levels")

endmodule

`default_nettype wire
