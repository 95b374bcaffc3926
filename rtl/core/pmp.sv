// Physical memory protection check of one access (16 entries, OFF/TOR/NA4/NAPOT,
// 4-byte granularity). The lowest-numbered entry that matches any byte of the access
// decides, and it must match every byte, or the access fails, in every mode. Then
// M-mode passes unlocked entries and passes when no entry matches; S and U pass only
// through an entry that grants the access. The entries come decoded (when a PMP CSR
// is written, by pmp_csrs), so a match is two comparisons.
`default_nettype none

module pmp
  import cosim_pkg::*;
(
  input  logic            check_i,     // an access is checked this cycle (else: allowed)
  input  logic [XLEN-1:2] first_i,     // word of the first byte of the access
  input  logic [XLEN-1:2] last_i,      // word of the last byte of the access
  input  logic [2:0]      need_i,      // {X, W, R} permissions the access needs
  input  logic            any_i,       // one of them is enough (cache-block management)
  input  priv_e           priv_i,      // effective privilege
  // The entries, decoded (pmp_csrs): entry i covers the words [lo_i[i], hi_i[i]).
  input  logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] lo_i,
  input  logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] hi_i,
  input  logic [PMP_ENTRIES-1:0][2:0] perms_i,
  input  logic [PMP_ENTRIES-1:0] locked_i,
  output logic            allowed_o
);

  // A region's bounds are at most 2^PMP_ADDR_W: words above it match nothing.
  function automatic logic inside_region(logic [PMP_ADDR_W:0] lo, logic [PMP_ADDR_W:0] hi,
                                         logic [XLEN-1:2] a);
    return a >= (XLEN - 2)'(lo) && a < (XLEN - 2)'(hi);
  endfunction

  // An entry matches some byte of [first, last] when their word ranges overlap.
  function automatic logic overlaps(logic [PMP_ADDR_W:0] lo, logic [PMP_ADDR_W:0] hi,
                                    logic [XLEN-1:2] first, logic [XLEN-1:2] last);
    return first < (XLEN - 2)'(hi) && last >= (XLEN - 2)'(lo) && lo < hi;
  endfunction

  always_comb begin
    logic decided;
    allowed_o = !check_i || priv_i == PRIV_M;  // nothing to check, or no matching entry
    decided   = 1'b0;
    // Nested ifs, not terms of one condition: the simulator then really skips the
    // search when its answer is known. In M with no locked entry only a partial match
    // can fail an access, and entries cover whole words: a one-word access passes.
    if (check_i && !(priv_i == PRIV_M && locked_i == '0 && first_i == last_i)) begin
`ifdef COSIM_MUTANT_PMP_PRIORITY_REVERSED
      for (int i = PMP_ENTRIES - 1; i >= 0; i--) begin
`else
      for (int i = 0; i < PMP_ENTRIES; i++) begin
`endif
        if (!decided) begin
          if (overlaps(lo_i[i], hi_i[i], first_i, last_i)) begin
            decided = 1'b1;
            if (!inside_region(lo_i[i], hi_i[i], first_i) || !inside_region(lo_i[i], hi_i[i], last_i))
              allowed_o = 1'b0;
`ifdef COSIM_MUTANT_PMP_LOCK_IGNORED
            else if (priv_i == PRIV_M) allowed_o = 1'b1;
`else
            else if (priv_i == PRIV_M && !locked_i[i]) allowed_o = 1'b1;  // unlocked: M ignores it
`endif
            else if (any_i) allowed_o = (need_i & perms_i[i]) != 3'b000;
            else allowed_o = (need_i & ~perms_i[i]) == 3'b000;
          end
        end
      end
    end
  end

endmodule

`default_nettype wire
