// Tree pseudo-LRU over N ways (N a power of two): N-1 node bits in heap order (node 0
// is the root, the children of node n are 2n+1 and 2n+2). A touched way turns every
// node on its path towards the other half; the victim follows the bits from the root.
// The harness's TLB model (vmem::tlb_model) implements the same rule.
`default_nettype none

module plru_tree #(
  parameter int unsigned WAYS = 8
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  input  logic                    touch_a_i,  // applied first
  input  logic [$clog2(WAYS)-1:0] way_a_i,
  input  logic                    touch_b_i,  // applied second (wins where they differ)
  input  logic [$clog2(WAYS)-1:0] way_b_i,
  output logic [$clog2(WAYS)-1:0] victim_o
);

  localparam int unsigned DEPTH = $clog2(WAYS);

  logic [WAYS-2:0] bits_q, bits_d;

  function automatic logic [WAYS-2:0] touch(logic [WAYS-2:0] bits, logic [DEPTH-1:0] way);
    int unsigned node;
    logic dir;
    node = 0;
    for (int d = 0; d < DEPTH; d++) begin
      dir = way[DEPTH-1-d];
      bits[node] = !dir;  // point at the half that was not used
      node = 2 * node + 1 + 32'(dir);
    end
    return bits;
  endfunction

  always_comb begin
    int unsigned node;
    logic dir;
    bits_d = bits_q;
    if (touch_a_i) bits_d = touch(bits_d, way_a_i);
    if (touch_b_i) bits_d = touch(bits_d, way_b_i);
    node = 0;
    victim_o = '0;
    for (int d = 0; d < DEPTH; d++) begin
      dir = bits_q[node];
      victim_o[DEPTH-1-d] = dir;
      node = 2 * node + 1 + 32'(dir);
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) bits_q <= '0;
    else bits_q <= bits_d;
  end

  if (WAYS < 2 || (WAYS & (WAYS - 1)) != 0) begin : g_bad_ways
    $fatal(1, "plru_tree: WAYS must be a power of two of at least 2, not %0d", WAYS);
  end

endmodule

`default_nettype wire
