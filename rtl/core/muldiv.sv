// M extension unit. Multiplies finish in the cycle they are presented; divides and
// remainders run a radix-2 restoring divider, one quotient bit per cycle (64 cycles),
// with division by zero and signed overflow answered as the spec defines.
`default_nettype none

module muldiv
  import cosim_pkg::*;
(
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic            valid_i,  // the execute stage holds an M instruction
  input  logic            done_i,   // ... which leaves the stage (advance or flush) now
  input  md_op_e          op_i,
  input  logic            word_i,
  input  logic [XLEN-1:0] a_i,
  input  logic [XLEN-1:0] b_i,
  output logic            ready_o,
  output logic [XLEN-1:0] result_o
);

  typedef enum logic [1:0] { DIV_IDLE, DIV_BUSY, DIV_DONE } div_state_e;

  logic is_div, div_signed, want_rem;
  assign is_div     = op_i inside {MD_DIV, MD_DIVU, MD_REM, MD_REMU};
  assign div_signed = op_i inside {MD_DIV, MD_REM};
  assign want_rem   = op_i inside {MD_REM, MD_REMU};

  // Operands as the divide sees them: W forms use the low 32 bits, extended by signedness.
  logic [XLEN-1:0] a_op, b_op;
  assign a_op = word_i ? (div_signed ? {{32{a_i[31]}}, a_i[31:0]} : {32'd0, a_i[31:0]}) : a_i;
  assign b_op = word_i ? (div_signed ? {{32{b_i[31]}}, b_i[31:0]} : {32'd0, b_i[31:0]}) : b_i;

  // ---------------------------------------------------------------- multiply
  logic [XLEN-1:0] mul_result;
  logic a_signed, b_signed;
  logic signed [XLEN:0] a_ext, b_ext;
`ifdef COSIM_MUTANT_MULHSU_AS_MULHU
  assign a_signed = op_i == MD_MULH;
`else
  assign a_signed = op_i inside {MD_MULH, MD_MULHSU};
`endif
  assign b_signed = op_i == MD_MULH;
  assign a_ext = {a_signed & a_i[XLEN-1], a_i};
  assign b_ext = {b_signed & b_i[XLEN-1], b_i};

  always_comb begin
    logic [2*XLEN-1:0] product;
    mul_result = '0;
    product = '0;
    // Only evaluate the wide product for multiplies: it is the costliest expression here.
    if (valid_i && !is_div) begin
      product = a_ext * b_ext;  // both signed: sign-extended to 128 bits before multiplying
      if (word_i) mul_result = {{32{product[31]}}, product[31:0]};
      else if (op_i == MD_MUL) mul_result = product[XLEN-1:0];
      else mul_result = product[2*XLEN-1:XLEN];
    end
  end

  // ---------------------------------------------------------------- divide
  div_state_e state_q, state_d;
  logic [6:0] count_q, count_d;
  logic [XLEN-1:0] rem_q, rem_d, quo_q, quo_d, divisor_q, divisor_d;
  logic neg_quo_q, neg_quo_d, neg_rem_q, neg_rem_d;

  logic [XLEN-1:0] a_abs, b_abs;
  assign a_abs = (div_signed && a_op[XLEN-1]) ? -a_op : a_op;
  assign b_abs = (div_signed && b_op[XLEN-1]) ? -b_op : b_op;

  // One restoring step: the remainder shifted left by one takes the next dividend bit;
  // the divisor fits when the bit shifted out was 1 or the rest is at least the divisor.
  // (64-bit arithmetic: 65-bit values cost the simulator wide-word operations.)
  logic [XLEN-1:0] rem_shifted;
  logic            fits;
  assign rem_shifted = {rem_q[XLEN-2:0], quo_q[XLEN-1]};
  assign fits        = rem_q[XLEN-1] || rem_shifted >= divisor_q;

  always_comb begin
    state_d   = state_q;
    count_d   = count_q;
    rem_d     = rem_q;
    quo_d     = quo_q;
    divisor_d = divisor_q;
    neg_quo_d = neg_quo_q;
    neg_rem_d = neg_rem_q;
    unique case (state_q)
      DIV_IDLE: begin
        if (valid_i && is_div && !done_i) begin
          state_d   = DIV_BUSY;
          count_d   = 7'd64;
          rem_d     = '0;
          quo_d     = a_abs;  // the dividend shifts out of the top as quotient bits shift in
          divisor_d = b_abs;
          neg_quo_d = div_signed && (a_op[XLEN-1] ^ b_op[XLEN-1]);
          neg_rem_d = div_signed && a_op[XLEN-1];
        end
      end
      DIV_BUSY: begin
        rem_d = fits ? rem_shifted - divisor_q : rem_shifted;
        quo_d = {quo_q[XLEN-2:0], fits};
        count_d = count_q - 7'd1;
        if (count_q == 7'd1) state_d = DIV_DONE;
      end
      default: ;  // DIV_DONE: hold the result until the instruction leaves
    endcase
    if (done_i) state_d = DIV_IDLE;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q   <= DIV_IDLE;
      count_q   <= '0;
      rem_q     <= '0;
      quo_q     <= '0;
      divisor_q <= '0;
      neg_quo_q <= 1'b0;
      neg_rem_q <= 1'b0;
    end else begin
      state_q   <= state_d;
      count_q   <= count_d;
      rem_q     <= rem_d;
      quo_q     <= quo_d;
      divisor_q <= divisor_d;
      neg_quo_q <= neg_quo_d;
      neg_rem_q <= neg_rem_d;
    end
  end

  logic [XLEN-1:0] div_raw, div_result;
  always_comb begin
    if (b_op == '0) begin
      // Division by zero: quotient all ones, remainder the dividend.
      div_raw = want_rem ? a_op : '1;
    end else if (want_rem) begin
      div_raw = neg_rem_q ? -rem_q : rem_q;
    end else begin
      div_raw = neg_quo_q ? -quo_q : quo_q;
    end
    div_result = word_i ? {{32{div_raw[31]}}, div_raw[31:0]} : div_raw;
  end

  assign ready_o  = !is_div || b_op == '0 || state_q == DIV_DONE;
  assign result_o = is_div ? div_result : mul_result;

endmodule

`default_nettype wire
