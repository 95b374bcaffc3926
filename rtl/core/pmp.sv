// Physical memory protection check of one access (16 entries, OFF/TOR/NA4/NAPOT,
// 4-byte granularity). The lowest-numbered entry that matches the access's first
// byte decides; it must also match the last byte. M-mode is checked only against
// locked entries and passes when none matches; S and U pass only through an entry
// that grants the access.
module pmp
  import cosim_pkg::*;
(
  input  logic            check_i,     // an access is checked this cycle (else: allowed)
  input  logic [XLEN-1:2] first_i,     // word of the first byte of the access
  input  logic [XLEN-1:2] last_i,      // word of the last byte of the access
  input  logic [2:0]      need_i,      // {X, W, R} permissions the access needs
  input  logic            any_i,       // one of them is enough (cache-block management)
  input  priv_e           priv_i,      // effective privilege
  input  logic [7:0]      cfg_i  [PMP_ENTRIES],
  input  logic [PMP_ADDR_W-1:0] addr_i [PMP_ENTRIES],
  output logic            allowed_o
);

  localparam logic [1:0] A_TOR = 2'd1, A_NA4 = 2'd2, A_NAPOT = 2'd3;  // 0 is OFF

  // Does entry i cover the 4-byte word holding address a ({a, 2'b00})?
  function automatic logic covers(int i, logic [XLEN-1:2] a);
    logic [PMP_ADDR_W-1:0] word, mask, lo;
    word = a[PMP_ADDR_W+1:2];
    unique case (cfg_i[i][4:3])
      A_TOR: begin
        lo = (i == 0) ? '0 : addr_i[i == 0 ? 0 : i-1];
        return a[XLEN-1:PMP_ADDR_W+2] == '0 && word >= lo && word < addr_i[i];
      end
      A_NA4:   return a[XLEN-1:PMP_ADDR_W+2] == '0 && word == addr_i[i];
      A_NAPOT: begin
        // addr = base | (2^k - 1) >> 1 ... : the trailing ones give the size.
        mask = ~(addr_i[i] ^ (addr_i[i] + 1'b1));
        return a[XLEN-1:PMP_ADDR_W+2] == '0 && (word & mask) == (addr_i[i] & mask);
      end
      default: return 1'b0;
    endcase
  endfunction

  // M passes every unlocked entry: with none locked, it passes without a search (the
  // common case).
  logic any_locked;
  always_comb begin
    any_locked = 1'b0;
    for (int i = 0; i < PMP_ENTRIES; i++) any_locked |= cfg_i[i][7];
  end

  always_comb begin
    logic decided;
    allowed_o = !check_i || priv_i == PRIV_M;  // nothing to check, or no matching entry
    decided   = 1'b0;
    // Nested ifs, not terms of one condition: the simulator then really skips the
    // search (the costliest logic to simulate) when its answer is not needed.
    if (check_i && !(priv_i == PRIV_M && !any_locked)) begin
      for (int i = 0; i < PMP_ENTRIES; i++) begin
        if (!decided) begin
          if (covers(i, first_i)) begin
            decided = 1'b1;
            if (!covers(i, last_i)) allowed_o = 1'b0;
            else if (priv_i == PRIV_M && !cfg_i[i][7]) allowed_o = 1'b1;  // unlocked: M ignores it
            else if (any_i) allowed_o = (need_i & cfg_i[i][2:0]) != 3'b000;
            else allowed_o = (need_i & ~cfg_i[i][2:0]) == 3'b000;
          end
        end
      end
    end
  end

endmodule
