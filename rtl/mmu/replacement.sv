// Replacement in a fully associative structure (TLBs, walk cache): tree-PLRU state,
// touched by a used hit and by a fill, and where a fill goes: over the entry that
// already holds the same tag (a tag is never cached twice), else into the lowest
// invalid entry, else into the PLRU victim.
`default_nettype none

module replacement #(
  parameter int unsigned ENTRIES = 8
) (
  input  logic                         clk_i,
  input  logic                         rst_ni,
  input  logic [ENTRIES-1:0]           valid_i,
  input  logic                         hit_used_i,
  input  logic [$clog2(ENTRIES)-1:0]   hit_index_i,
  input  logic                         fill_i,
  input  logic [ENTRIES-1:0]           fill_same_tag_i,  // masked by valid_i here
  output logic [$clog2(ENTRIES)-1:0]   fill_index_o
);

  localparam int unsigned IDX_W = $clog2(ENTRIES);

  logic [IDX_W-1:0] victim;
  plru_tree #(.WAYS(ENTRIES)) u_plru (
    .clk_i,
    .rst_ni,
    .touch_a_i (hit_used_i),
    .way_a_i   (hit_index_i),
    .touch_b_i (fill_i),
    .way_b_i   (fill_index_o),
    .victim_o  (victim)
  );

  always_comb begin
    logic             dup, any_invalid;
    logic [IDX_W-1:0] dup_idx, first_invalid;
    dup           = 1'b0;
    dup_idx       = '0;
    any_invalid   = 1'b0;
    first_invalid = '0;
    fill_index_o  = '0;
    // Searched only for a fill: the loop is costly to simulate, and unused otherwise.
    if (fill_i) begin
      for (int i = ENTRIES - 1; i >= 0; i--) begin  // the lowest index wins
        if (valid_i[i] && fill_same_tag_i[i]) begin
          dup     = 1'b1;
          dup_idx = IDX_W'(i);
        end
        if (!valid_i[i]) begin
          any_invalid   = 1'b1;
          first_invalid = IDX_W'(i);
        end
      end
`ifdef COSIM_MUTANT_PLRU_VICTIM_OFF_BY_ONE
      fill_index_o = dup ? dup_idx : any_invalid ? first_invalid : victim ^ IDX_W'(1);
`else
      fill_index_o = dup ? dup_idx : any_invalid ? first_invalid : victim;
`endif
    end
  end

endmodule

`default_nettype wire
