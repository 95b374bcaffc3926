// A fully associative TLB of leaf translations (any page size) with tree-PLRU
// replacement, tagged by ASID unless global. Used for the ITLB, the DTLB and the
// shared L2 TLB. Lookups are combinational; touches, fills and flushes act at the
// clock edge in that order, so a flush also removes an entry filled in its cycle
// (a walk that raced an sfence.vma must not survive it).
`include "pkg/cosim_assert.svh"

`default_nettype none

module tlb
  import cosim_pkg::*;
#(
  parameter int unsigned ENTRIES = 16
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  // Lookup (searched only when lookup_i: the search is costly to simulate)
  input  logic              lookup_i,
  input  logic [VPN_W-1:0]  lookup_vpn_i,
  input  logic [ASID_W-1:0] lookup_asid_i,
  output logic              hit_o,
  output tlb_entry_t        hit_entry_o,
  input  logic              touch_i,       // the hit was used
  // Fill (replaces an entry that already maps the page, else the victim)
  input  logic              fill_i,
  input  tlb_entry_t        fill_entry_i,
  // sfence.vma: rs1 != x0 selects one address, rs2 != x0 one ASID (not global entries)
  input  logic              flush_i,
  input  logic              flush_by_va_i,
  input  logic [VPN_W-1:0]  flush_vpn_i,
  input  logic              flush_by_asid_i,
  input  logic [ASID_W-1:0] flush_asid_i,
  output logic [7:0]        flushed_o      // entries invalidated this cycle
);

  localparam int unsigned IDX_W = $clog2(ENTRIES);

  logic [ENTRIES-1:0] valid_q;
  tlb_entry_t         entry_q [ENTRIES];

  // ---------------------------------------------------------------- lookup
  logic [IDX_W-1:0] hit_idx;
  always_comb begin
    hit_o   = 1'b0;
    hit_idx = '0;
    // An if around the loop, not a term in its condition: the simulator then skips it.
    if (lookup_i) begin
      for (int i = ENTRIES - 1; i >= 0; i--) begin  // the lowest index wins
        if (valid_q[i] && tlb_match(entry_q[i], lookup_vpn_i, lookup_asid_i)) begin
          hit_o   = 1'b1;
          hit_idx = IDX_W'(i);
        end
      end
    end
  end
  assign hit_entry_o = entry_q[hit_idx];

  // ---------------------------------------------------------------- fill
  logic [ENTRIES-1:0] fill_same;
  logic [IDX_W-1:0]   fill_idx;
  always_comb begin
    fill_same = '0;
    if (fill_i) begin
      for (int i = 0; i < ENTRIES; i++) fill_same[i] = tlb_match(entry_q[i], fill_entry_i.vpn, fill_entry_i.asid);
    end
  end

  replacement #(.ENTRIES(ENTRIES)) u_replacement (
    .clk_i,
    .rst_ni,
    .valid_i         (valid_q),
    .hit_used_i      (touch_i && hit_o),
    .hit_index_i     (hit_idx),
    .fill_i,
    .fill_same_tag_i (fill_same),
    .fill_index_o    (fill_idx)
  );

  // ---------------------------------------------------------------- flush
  // Does this sfence.vma select entry e (only its tag fields matter)?
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic logic flush_selects(tlb_entry_t e);
    logic va_ok, asid_ok;
`ifdef COSIM_MUTANT_SFENCE_SUPERPAGE_KEPT
    va_ok   = !flush_by_va_i || e.vpn == flush_vpn_i;
`else
    va_ok   = !flush_by_va_i || ((e.vpn ^ flush_vpn_i) & ({VPN_W{1'b1}} << (9 * e.level))) == '0;
`endif
`ifdef COSIM_MUTANT_SFENCE_KEEPS_NONGLOBAL
    asid_ok = !flush_by_asid_i || (!e.flags[PTE_G] && e.asid != flush_asid_i);
`else
    asid_ok = !flush_by_asid_i || (!e.flags[PTE_G] && e.asid == flush_asid_i);
`endif
    return va_ok && asid_ok;
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  logic [ENTRIES-1:0] valid_filled, flush_mask;
  always_comb begin
    valid_filled = valid_q;
    if (fill_i) valid_filled[fill_idx] = 1'b1;
    flushed_o  = '0;
    flush_mask = '0;
    if (flush_i) begin
      for (int i = 0; i < ENTRIES; i++) begin
`ifdef COSIM_MUTANT_SFENCE_VADDR_IGNORED
        flush_mask[i] = valid_filled[i] && !flush_by_va_i
                     && flush_selects((fill_i && fill_idx == IDX_W'(i)) ? fill_entry_i : entry_q[i]);
`else
        flush_mask[i] = valid_filled[i]
                     && flush_selects((fill_i && fill_idx == IDX_W'(i)) ? fill_entry_i : entry_q[i]);
`endif
        flushed_o = flushed_o + 8'(flush_mask[i]);
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) valid_q <= '0;
    else valid_q <= valid_filled & ~flush_mask;
  end

  // Entries need no reset (valid_q guards them); resetting each would cost the
  // simulation a check per entry every cycle.
  always_ff @(posedge clk_i) begin
    if (fill_i) entry_q[fill_idx] <= fill_entry_i;
  end

  // ---------------------------------------------------------------- assertions
  if (ENTRIES < 2 || (ENTRIES & (ENTRIES - 1)) != 0 || ENTRIES > 128) begin : g_bad_entries
    $fatal(1, "tlb: ENTRIES must be a power of two from 2 to 128 (flushed_o counts to 255), not %0d",
           ENTRIES);
  end

  // A fill replaces any entry that maps its page, so a lookup finds at most one. The
  // hits are counted for the assertion only, and only when looking up: evaluated every
  // cycle, the count cost the checked model more than the rest of its assertions.
  logic [IDX_W:0] lookup_hits;
  always_comb begin
    lookup_hits = '0;
    if (lookup_i) begin
      for (int i = 0; i < ENTRIES; i++)
        if (valid_q[i] && tlb_match(entry_q[i], lookup_vpn_i, lookup_asid_i))
          lookup_hits = lookup_hits + 1'b1;
    end
  end
  `COSIM_ASSERT(tlb_one_hit, lookup_hits <= 1,
      "TLB: a lookup hit more than one entry")

endmodule

`default_nettype wire
