// The PMP CSRs (pmpcfg0/2, pmpaddr0..15; pmpaddr16..63 read zero) and what each
// entry covers, decoded in the edge that writes them: the checkers compare an address
// against [lo, hi) instead of decoding TOR/NA4/NAPOT themselves in every cycle.
`default_nettype none

module pmp_csrs
  import cosim_pkg::*;
(
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic [11:0]         addr_i,
  input  logic                write_i,   // a CSR write to addr_i commits
  input  logic [XLEN-1:0]     wdata_i,
  output logic                known_o,   // addr_i is a PMP CSR
  output logic [XLEN-1:0]     rdata_o,
  // Entry i covers the 4-byte words [lo, hi) (none when lo >= hi).
  output logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] lo_o,
  output logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] hi_o,
  output logic [PMP_ENTRIES-1:0][2:0] perms_o,  // {X, W, R}
  output logic [PMP_ENTRIES-1:0] locked_o
);

  pmp_cfgs_t             cfg_q;
  logic [PMP_ADDR_W-1:0] addr_q [PMP_ENTRIES];

  logic       cfg_csr, cfg_implemented, addr_csr, addr_implemented;
  logic [5:0] addr_index;
  assign cfg_csr          = addr_i[11:4] == 8'h3A && !addr_i[0];  // pmpcfg0, 2, .. 14
  assign cfg_implemented  = addr_i[3:2] == 2'b00;                  // pmpcfg0 and pmpcfg2
  assign addr_csr         = addr_i >= CSR_PMPADDR0 && addr_i < CSR_PMPADDR0 + 12'd64;
  assign addr_index       = 6'(addr_i - CSR_PMPADDR0);
  assign addr_implemented = addr_index < 6'(PMP_ENTRIES);
  assign known_o          = cfg_csr || addr_csr;

  always_comb begin
    rdata_o = '0;
    // The eight entries of pmpcfg0 (addr_i[1] = 0) or pmpcfg2 (1).
    if (cfg_csr && cfg_implemented) rdata_o = cfg_q[8 * addr_i[1] +: 8];
    else if (addr_csr && addr_implemented) rdata_o = {10'd0, addr_q[addr_index[3:0]]};
  end

  // pmpcfg from {L, A, X, W, R}: bits 6:5 are reserved (zero); W without R is
  // reserved, so W is dropped.
  function automatic logic [7:0] legal_cfg(logic [5:0] v);
    return {v[5], 2'b00, v[4:3], v[2], v[1] & v[0], v[0]};
  endfunction

  // A locked entry's address is fixed, and so is the one below a locked TOR entry.
  function automatic logic addr_locked(int i);
    if (cfg_q[i][7]) return 1'b1;
    if (i + 1 < PMP_ENTRIES && cfg_q[i + 1][7] && cfg_q[i + 1][4:3] == PMP_A_TOR) return 1'b1;
    return 1'b0;
  endfunction

  logic cfg_write, addr_write;
  assign cfg_write  = write_i && cfg_csr && cfg_implemented;
  assign addr_write = write_i && addr_csr && addr_implemented;

  // Does this cycle's write change entry i's configuration, or its address?
  function automatic logic cfg_written(int i);
`ifdef COSIM_MUTANT_PMP_LOCKED_WRITABLE
    return cfg_write && addr_i[1] == 1'(i / 8);
`else
    return cfg_write && addr_i[1] == 1'(i / 8) && !cfg_q[i][7];
`endif
  endfunction

  function automatic logic addr_written(int i);
    return addr_write && addr_index[3:0] == 4'(i) && !addr_locked(i);
  endfunction

  // Entry i's configuration, its A field, and its address after this cycle's write.
  function automatic logic [7:0] cfg_next(int i);
    if (cfg_written(i)) return legal_cfg({wdata_i[8 * (i % 8) + 7], wdata_i[8 * (i % 8) +: 5]});
    return cfg_q[i];
  endfunction

  function automatic logic [1:0] mode_next(int i);
    return cfg_written(i) ? wdata_i[8 * (i % 8) + 3 +: 2] : cfg_q[i][4:3];
  endfunction

  function automatic logic [PMP_ADDR_W-1:0] addr_next(int i);
    return addr_written(i) ? wdata_i[PMP_ADDR_W-1:0] : addr_q[i];
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cfg_q <= '0;
    end else if (cfg_write) begin
      for (int i = 0; i < PMP_ENTRIES; i++) cfg_q[i] <= cfg_next(i);
    end
  end

  // Addresses need no reset (the spec leaves them unspecified, and OFF covers nothing);
  // one write with an index, not one per entry, keeps the simulator's per-cycle work low.
  always_ff @(posedge clk_i) begin
    if (addr_write) begin
      if (addr_written(int'(addr_index[3:0]))) addr_q[addr_index[3:0]] <= wdata_i[PMP_ADDR_W-1:0];
    end
  end

  // Decoded from the values after the write, so the checkers see it from the next cycle.
  logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] lo_q, hi_q;
  logic [PMP_ENTRIES-1:0][2:0]          perms_q;
  logic [PMP_ENTRIES-1:0]               locked_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      lo_q     <= '1;
      hi_q     <= '0;
      perms_q  <= '0;
      locked_q <= '0;
    end else if (cfg_write || addr_write) begin
      for (int i = 0; i < PMP_ENTRIES; i++) begin
        lo_q[i]     <= region_lo(mode_next(i), addr_next(i), i == 0 ? '0 : addr_next(i == 0 ? 0 : i - 1));
        hi_q[i]     <= region_hi(mode_next(i), addr_next(i));
        perms_q[i]  <= 3'(cfg_next(i));       // X W R
        locked_q[i] <= 1'(cfg_next(i) >> 7);  // L
      end
    end
  end
  assign lo_o     = lo_q;
  assign hi_o     = hi_q;
  assign perms_o  = perms_q;
  assign locked_o = locked_q;

  // The region of an entry: TOR [previous address, address), NA4 one word, NAPOT
  // (address = base | (2^k - 1)) 2^(k+1) words from base, OFF nothing.
  function automatic logic [PMP_ADDR_W:0] region_lo(logic [1:0] mode, logic [PMP_ADDR_W-1:0] a,
                                                    logic [PMP_ADDR_W-1:0] below);
    unique case (mode)
      PMP_A_TOR:   return {1'b0, below};
      PMP_A_NA4:   return {1'b0, a};
      PMP_A_NAPOT: return {1'b0, a & ~napot_ones(a)};
      PMP_A_OFF:   return '1;
    endcase
  endfunction

  function automatic logic [PMP_ADDR_W:0] region_hi(logic [1:0] mode, logic [PMP_ADDR_W-1:0] a);
    unique case (mode)
`ifdef COSIM_MUTANT_PMP_TOR_OFF_BY_ONE
      PMP_A_TOR:   return {1'b0, a} + 1'b1;
`else
      PMP_A_TOR:   return {1'b0, a};
`endif
      PMP_A_NA4:   return {1'b0, a} + 1'b1;
      PMP_A_NAPOT: return {1'b0, a | napot_ones(a)} + 1'b1;  // all ones: 2^PMP_ADDR_W
      PMP_A_OFF:   return '0;
    endcase
  endfunction

  // The trailing ones of a NAPOT address and the zero above them.
  function automatic logic [PMP_ADDR_W-1:0] napot_ones(logic [PMP_ADDR_W-1:0] a);
    return a ^ (a + 1'b1);
  endfunction

endmodule

`default_nettype wire
