// Load/store unit of the memory stage: one access at a time over the bus unit, at
// physical addresses (translated before it starts; the second beat of an access that
// crosses a page has its own translation). Loads
// and stores of 1/2/4/8 bytes at any address, LR/SC with a single reservation, and
// AMOs as a read followed by a write (LR/SC/AMO alignment is checked in execute).
// A misaligned access reads or writes the 8-byte beat(s) that hold its bytes: one
// beat, or two in sequence when it crosses an 8-byte boundary (each its own bus
// transaction, so each can later be translated and checked on its own).
`default_nettype none

module lsu
  import cosim_pkg::*;
(
  input  logic            clk_i,
  input  logic            rst_ni,
  // The memory-stage instruction (held stable until done_o)
  input  logic            req_i,
  input  mem_op_e         op_i,
  input  amo_op_e         amo_op_i,
  input  logic [1:0]      size_i,
  input  logic            unsigned_i,
  input  logic [XLEN-1:0] addr_i,      // physical address of the first byte
  input  logic [XLEN-1:0] addr_next_i, // physical address of the 8-byte beat after its first
  input  logic [XLEN-1:0] wdata_i,
  input  logic            clear_reservation_i,  // trap or MRET
  output logic            idle_o,               // no access under way
  output logic            done_o,
  output logic            err_o,
  output logic            err_second_o,         // only the second of two beats failed
  output logic [XLEN-1:0] result_o,
  // What the access did, for the retire port (RVFI: bytes from addr_i upwards)
  output logic [7:0]      rmask_o,
  output logic [7:0]      wmask_o,
  output logic [XLEN-1:0] mem_rdata_o,
  output logic [XLEN-1:0] mem_wdata_o,
  // Bus unit
  output logic            rd_req_o,
  output logic [XLEN-1:0] addr_o,
  output logic [2:0]      size_o,
  input  logic            rd_gnt_i,
  input  logic            rvalid_i,
  input  logic [XLEN-1:0] rdata_i,
  input  logic            rerr_i,
  output logic            wr_req_o,
  output logic [XLEN-1:0] wr_data_o,
  output logic [7:0]      wr_strb_o,
  input  logic            wr_gnt_i,
  input  logic            bvalid_i,
  input  logic            berr_i
);

  typedef enum logic [2:0] { LSU_IDLE, LSU_RD_REQ, LSU_RD_WAIT, LSU_WR_REQ, LSU_WR_WAIT } lsu_state_e;

  lsu_state_e      state_q, state_d;
  logic [XLEN-1:0] amo_wdata_q, amo_wdata_d;  // value an AMO writes back
  logic [XLEN-1:0] loaded_q, loaded_d;        // value an AMO returns in rd
  logic [XLEN-1:0] raw_q, raw_d;              // the bytes read, from addr_i upwards
  logic [XLEN-1:0] low_beat_q, low_beat_d;    // first beat of a two-beat read
  logic            second_q, second_d;        // working on the second beat
  logic            err_q, err_d;              // an earlier beat failed
  logic [2:0]      zero_beat_q, zero_beat_d;  // cbo.zero: which 8 bytes of the block
  logic            resv_valid_q, resv_valid_d;
  logic [XLEN-1:0] resv_addr_q, resv_addr_d;
  logic [1:0]      resv_size_q, resv_size_d;

  logic [5:0] lane_shift;
  logic [7:0] size_mask;
  logic       misaligned, two_beats;
  assign lane_shift = {addr_i[2:0], 3'b000};
  always_comb begin
    unique case (size_i)
      2'd0:    misaligned = 1'b0;
      2'd1:    misaligned = addr_i[0];
      2'd2:    misaligned = addr_i[1:0] != 2'b00;
      default: misaligned = addr_i[2:0] != 3'b000;
    endcase
  end
  assign two_beats = {1'b0, addr_i[2:0]} + (4'd1 << size_i) > 4'd8;
  always_comb begin
    unique case (size_i)
      2'd0: size_mask = 8'h01;
      2'd1: size_mask = 8'h03;
      2'd2: size_mask = 8'h0f;
      default: size_mask = 8'hff;
    endcase
  end

  // Aligned accesses go out as they are; misaligned ones as whole beats with strobes;
  // cbo.zero as the eight beats of its block.
  localparam int unsigned BLOCK_W = $clog2(CBO_BLOCK_BYTES);
  logic            is_zero;
  logic [XLEN-1:0] beat_addr, zero_addr;
  assign is_zero   = op_i == MEM_CBO_ZERO;
  assign beat_addr = second_q ? addr_next_i : {addr_i[XLEN-1:3], 3'b000};
  assign zero_addr = {addr_i[XLEN-1:BLOCK_W], zero_beat_q, 3'b000};
  assign addr_o = is_zero ? zero_addr : misaligned ? beat_addr : addr_i;
  assign size_o = (misaligned || is_zero) ? 3'd3 : {1'b0, size_i};

  // Load data: move the addressed lanes down, then extend.
  function automatic logic [XLEN-1:0] extend(logic [XLEN-1:0] raw, logic [1:0] size, logic uns);
    unique case (size)
`ifdef COSIM_MUTANT_LB_ZERO_EXTENDS
      2'd0: return {56'd0, raw[7:0]};
`else
      2'd0: return uns ? {56'd0, raw[7:0]} : {{56{raw[7]}}, raw[7:0]};
`endif
      2'd1: return uns ? {48'd0, raw[15:0]} : {{48{raw[15]}}, raw[15:0]};
      2'd2: return uns ? {32'd0, raw[31:0]} : {{32{raw[31]}}, raw[31:0]};
      default: return raw;
    endcase
  endfunction

  // The access's bytes, moved down to bit 0: from one beat, or from two (the first
  // beat's upper lanes, then the second's lower ones). 64-bit shifts: a shift by 64
  // gives 0, and 128-bit values cost the simulator wide-word operations.
  logic [6:0]      lane_unshift;
  logic [XLEN-1:0] rdata_shifted;
  assign lane_unshift  = 7'd64 - {1'b0, lane_shift};
  assign rdata_shifted = second_q ? (low_beat_q >> lane_shift) | (rdata_i << lane_unshift)
                                  : rdata_i >> lane_shift;

  // AMO arithmetic on the loaded value (already sign-extended for .W) and rs2, whose
  // .W form is sign-extended too. For .W both operands are then sign-extended, so an
  // unsigned 64-bit compare orders their low 32 bits correctly too. (No local
  // variables: the simulator would clear them in every evaluation.)
  function automatic logic [XLEN-1:0] amo_operand(logic [XLEN-1:0] src, logic word);
    return word ? {{32{src[31]}}, src[31:0]} : src;
  endfunction

  function automatic logic [XLEN-1:0] amo_compute(amo_op_e op, logic [XLEN-1:0] mem,
                                                  logic [XLEN-1:0] b);
    unique case (op)
      AMO_SWAP: return b;
      AMO_ADD:  return mem + b;
      AMO_XOR:  return mem ^ b;
      AMO_AND:  return mem & b;
      AMO_OR:   return mem | b;
      AMO_MIN:  return $signed(mem) < $signed(b) ? mem : b;
      AMO_MAX:  return $signed(mem) < $signed(b) ? b : mem;
      AMO_MINU: return mem < b ? mem : b;
      AMO_MAXU: return mem < b ? b : mem;
      default:  return b;
    endcase
  endfunction

  logic sc_succeeds;
`ifdef COSIM_MUTANT_SC_SUCCEEDS_WITHOUT_RESERVATION
  assign sc_succeeds = resv_addr_q == addr_i && resv_size_q == size_i;
`else
  assign sc_succeeds = resv_valid_q && resv_addr_q == addr_i && resv_size_q == size_i;
`endif

  // Store data moved up to its lanes: in the first beat the low bytes, in the second
  // the ones that did not fit.
  logic [XLEN-1:0]   store_value;
  logic [15:0]       wide_strb;
  assign store_value = (op_i == MEM_AMO) ? amo_wdata_q : wdata_i;
  assign wide_strb   = {8'd0, size_mask} << addr_i[2:0];
  assign wr_data_o   = is_zero ? '0 : second_q ? store_value >> lane_unshift : store_value << lane_shift;
  assign wr_strb_o   = is_zero ? 8'hff : second_q ? wide_strb[15:8] : wide_strb[7:0];

  // Requests depend on state and the instruction only (never on the grant), so the
  // bus unit may answer them combinationally.
  logic writes_now;
  assign writes_now = op_i == MEM_STORE || op_i == MEM_CBO_ZERO || (op_i == MEM_SC && sc_succeeds);
  assign rd_req_o = state_q == LSU_RD_REQ
                 || (state_q == LSU_IDLE && req_i && op_i inside {MEM_LOAD, MEM_LR, MEM_AMO});
  assign wr_req_o = state_q == LSU_WR_REQ || (state_q == LSU_IDLE && req_i && writes_now);

  always_comb begin
    state_d      = state_q;
    amo_wdata_d  = amo_wdata_q;
    loaded_d     = loaded_q;
    raw_d        = raw_q;
    low_beat_d   = low_beat_q;
    second_d     = second_q;
    err_d        = err_q;
    zero_beat_d  = zero_beat_q;
    resv_valid_d = resv_valid_q;
    resv_addr_d  = resv_addr_q;
    resv_size_d  = resv_size_q;
    done_o       = 1'b0;
    err_o        = 1'b0;
    err_second_o = 1'b0;
    result_o     = '0;

    unique case (state_q)
      LSU_IDLE: begin
        if (req_i) begin
          if (writes_now) begin
            state_d = wr_gnt_i ? LSU_WR_WAIT : LSU_WR_REQ;
          end else if (op_i == MEM_SC) begin
            done_o   = 1'b1;  // no reservation: fail without touching memory
            result_o = 64'd1;
            resv_valid_d = 1'b0;
          end else begin
            state_d = rd_gnt_i ? LSU_RD_WAIT : LSU_RD_REQ;
          end
        end
      end
      LSU_RD_REQ: if (rd_gnt_i) state_d = LSU_RD_WAIT;
      LSU_RD_WAIT: begin
        if (rvalid_i && two_beats && !second_q) begin
          // First of two beats: keep it, then ask for the next one.
          low_beat_d = rdata_i;
          err_d      = rerr_i;
          second_d   = 1'b1;
          state_d    = LSU_RD_REQ;
        end else if (rvalid_i) begin
          raw_d    = rdata_shifted;
          second_d = 1'b0;
          err_d    = 1'b0;
          if (rerr_i || err_q) begin
            done_o       = 1'b1;
            err_o        = 1'b1;
            err_second_o = second_q && !err_q;
            state_d      = LSU_IDLE;
          end else if (op_i == MEM_AMO) begin
            // (The load value is extended only here, when a read is answered.)
            loaded_d    = extend(rdata_shifted, size_i, unsigned_i);
            amo_wdata_d = amo_compute(amo_op_i, loaded_d, amo_operand(wdata_i, size_i == 2'd2));
            state_d     = LSU_WR_REQ;
          end else begin
            done_o   = 1'b1;
            result_o = extend(rdata_shifted, size_i, unsigned_i);
            state_d  = LSU_IDLE;
            if (op_i == MEM_LR) begin
              resv_valid_d = 1'b1;
              resv_addr_d  = addr_i;
              resv_size_d  = size_i;
            end
          end
        end
      end
      LSU_WR_REQ: if (wr_gnt_i) state_d = LSU_WR_WAIT;
      default: begin  // LSU_WR_WAIT
        if (bvalid_i && is_zero && zero_beat_q != 3'd7) begin
          err_d       = err_q || berr_i;
          zero_beat_d = zero_beat_q + 3'd1;
          state_d     = LSU_WR_REQ;
        end else if (bvalid_i && !is_zero && two_beats && !second_q && berr_i) begin
          // The first part failed: the second is not written (a faulting store
          // writes at most the part before the fault).
          done_o  = 1'b1;
          err_o   = 1'b1;
          state_d = LSU_IDLE;
        end else if (bvalid_i && !is_zero && two_beats && !second_q) begin
          second_d = 1'b1;
          state_d  = LSU_WR_REQ;
        end else if (bvalid_i) begin
          zero_beat_d = '0;
          second_d = 1'b0;
          err_d    = 1'b0;
          done_o   = 1'b1;
          err_o    = berr_i || err_q;
          err_second_o = berr_i && second_q && !err_q;
          result_o = (op_i == MEM_AMO) ? loaded_q : '0;  // SC success writes 0
          state_d  = LSU_IDLE;
          if (op_i == MEM_SC) resv_valid_d = 1'b0;
        end
      end
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= LSU_IDLE;
      amo_wdata_q  <= '0;
      loaded_q     <= '0;
      raw_q        <= '0;
      low_beat_q   <= '0;
      second_q     <= 1'b0;
      err_q        <= 1'b0;
      zero_beat_q  <= '0;
      resv_valid_q <= 1'b0;
      resv_addr_q  <= '0;
      resv_size_q  <= '0;
    end else begin
      state_q      <= state_d;
      amo_wdata_q  <= amo_wdata_d;
      loaded_q     <= loaded_d;
      raw_q        <= raw_d;
      low_beat_q   <= low_beat_d;
      second_q     <= second_d;
      err_q        <= err_d;
      zero_beat_q  <= zero_beat_d;
      resv_valid_q <= resv_valid_d && !clear_reservation_i;
      resv_addr_q  <= resv_addr_d;
      resv_size_q  <= resv_size_d;
    end
  end

  assign idle_o = state_q == LSU_IDLE;

  // Retire-port view of the access.
  logic reads, writes;
  assign reads  = op_i inside {MEM_LOAD, MEM_LR, MEM_AMO};
  assign writes = writes_now || op_i == MEM_AMO;
  assign rmask_o     = reads ? size_mask : 8'h00;
  assign wmask_o     = writes ? size_mask : 8'h00;
  assign mem_rdata_o = (state_q == LSU_RD_WAIT) ? rdata_shifted : raw_q;
  assign mem_wdata_o = is_zero ? '0 : store_value & {{32{size_mask[7]}}, {16{size_mask[3]}}, {8{size_mask[1]}}, 8'hff};

endmodule

`default_nettype wire
