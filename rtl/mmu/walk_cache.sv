// Page-walk cache: non-leaf PTEs the walker read, so that a walk can start below the
// root. An entry is tagged by satp mode, ASID, the level its PTE was read at and the
// VA bits that index that level and the ones above; it holds the next table's PPN.
// Fully associative, tree-PLRU. Every sfence.vma empties it (the spec lets rs1 != x0
// keep non-leaf entries, but flushing them too is always correct and simple).
`default_nettype none

module walk_cache
  import cosim_pkg::*;
#(
  parameter int unsigned ENTRIES = 8
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  input  logic              sv48_i,
  input  logic [ASID_W-1:0] asid_i,
  input  logic [VPN_W-1:0]  vpn_i,
  // Lookup: the deepest (lowest-level) entry that covers vpn_i, searched only when
  // lookup_i (the search is costly to simulate)
  input  logic              lookup_i,
  input  logic              touch_i,    // the hit is used
  output logic              hit_o,
  output logic [1:0]        hit_level_o,  // level of the cached non-leaf PTE (1..3)
  output logic [PPN_W-1:0]  hit_ppn_o,
  // Fill with a non-leaf PTE read at fill_level_i
  input  logic              fill_i,
  input  logic [1:0]        fill_level_i,
  input  logic [PPN_W-1:0]  fill_ppn_i,
  input  logic              flush_i
);

  localparam int unsigned IDX_W = $clog2(ENTRIES);

  typedef struct packed {
    logic              sv48;
    logic [ASID_W-1:0] asid;
    logic [1:0]        level;
    logic [VPN_W-1:0]  vpn;
    logic [PPN_W-1:0]  ppn;
  } pwc_entry_t;

  logic [ENTRIES-1:0] valid_q;
  pwc_entry_t         entry_q [ENTRIES];

  // A non-leaf PTE at level i was indexed by VPN bits 9i and up.
  /* verilator lint_off UNUSEDSIGNAL */
  // (No local variables: the simulator would clear them at every call site, every cycle.)
  function automatic logic covers(pwc_entry_t e, logic [1:0] level);
    return e.sv48 == sv48_i && e.asid == asid_i && e.level == level
        && ((e.vpn ^ vpn_i) & ({VPN_W{1'b1}} << (9 * level))) == '0;
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  logic [IDX_W-1:0] hit_idx;
  always_comb begin
    hit_o       = 1'b0;
    hit_idx     = '0;
    hit_level_o = '0;
    if (lookup_i) begin
      for (int l = 3; l >= 1; l--) begin  // deeper levels overwrite: the lowest wins
        for (int i = ENTRIES - 1; i >= 0; i--) begin
          if (valid_q[i] && covers(entry_q[i], 2'(l))) begin
            hit_o       = 1'b1;
            hit_idx     = IDX_W'(i);
            hit_level_o = 2'(l);
          end
        end
      end
    end
  end
  assign hit_ppn_o = entry_q[hit_idx].ppn;

  logic [ENTRIES-1:0] fill_same;
  logic [IDX_W-1:0]   fill_idx;
  always_comb begin
    fill_same = '0;
    if (fill_i) for (int i = 0; i < ENTRIES; i++) fill_same[i] = covers(entry_q[i], fill_level_i);
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

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) valid_q <= '0;
`ifdef COSIM_MUTANT_WALK_CACHE_NOT_FLUSHED
    else if (fill_i) valid_q[fill_idx] <= 1'b1;
`else
    else if (flush_i) valid_q <= '0;
    else if (fill_i) valid_q[fill_idx] <= 1'b1;
`endif
  end

  // Entries need no reset (valid_q guards them).
  always_ff @(posedge clk_i) begin
    if (fill_i && !flush_i) begin
      entry_q[fill_idx] <= '{sv48: sv48_i, asid: asid_i, level: fill_level_i,
                             vpn: vpn_i & ({VPN_W{1'b1}} << (9 * fill_level_i)), ppn: fill_ppn_i};
    end
  end

  if (ENTRIES < 2 || (ENTRIES & (ENTRIES - 1)) != 0) begin : g_bad_entries
    $fatal(1, "walk_cache: ENTRIES must be a power of two of at least 2, not %0d", ENTRIES);
  end

endmodule

`default_nettype wire
