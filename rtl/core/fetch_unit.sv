// Instruction fetch: two line buffers of FETCH_LINE_BYTES, each filled by one AXI WRAP
// burst that starts at the critical beat. Delivers one instruction per cycle (16- or
// 32-bit, the latter possibly straddling two lines) with its PC and the physical
// address of each half, or a fault. Lines are tagged by virtual address and translated
// through the MMU's fetch port before their fill; a translation fault is kept in the
// line like a bus error, and raised only if an instruction from it is delivered.
`default_nettype none

module fetch_unit
  import cosim_pkg::*;
(
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic [XLEN-1:0] boot_addr_i,
  // Control from the pipeline
  input  logic            redirect_i,
  input  logic [XLEN-1:0] redirect_pc_i,
  input  logic            invalidate_i,  // forget both lines and any fill in flight (FENCE.I,
                                         // and whatever may change translation or privilege)
  input  logic            ready_i,       // the decode stage takes the instruction offered
  // Instruction offered to decode
  output logic            valid_o,
  output logic [XLEN-1:0] pc_o,
  output logic [31:0]     insn_o,        // a compressed instruction in the low 16 bits
  output logic            compressed_o,
  output xfault_e         fault_o,
  output logic [XLEN-1:0] fault_addr_o,
  output logic [XLEN-1:0] paddr_lo_o,    // physical address of the first parcel
  output logic [XLEN-1:0] paddr_hi_o,    // and of the second (32-bit instructions)
  // Translation of line addresses (MMU fetch port)
  output logic            xlate_req_o,
  output logic [XLEN-1:0] xlate_vaddr_o,
  output logic            xlate_kill_o,
  input  logic            xlate_done_i,
  input  logic [XLEN-1:0] xlate_paddr_i,
  input  xfault_e         xlate_fault_i,
  // Line fills through the bus unit
  output logic            fill_req_o,
  output logic [XLEN-1:0] fill_addr_o,
  input  logic            fill_gnt_i,
  input  logic            fill_rvalid_i,
  input  logic [XLEN-1:0] fill_rdata_i,
  input  logic            fill_rerr_i,
  input  logic            fill_rlast_i
);

  localparam int unsigned TAG_W = XLEN - FETCH_OFFSET_W;
  localparam int unsigned BEAT_W = $clog2(FETCH_LINE_BEATS);

  localparam int unsigned PTAG_W = XLEN - FETCH_OFFSET_W;
  typedef enum logic [1:0] { FILL_IDLE, FILL_XLATE, FILL_REQ, FILL_WAIT } fill_state_e;

  logic [XLEN-1:0] pc_q;
  logic [1:0]             line_valid_q;
  xfault_e                line_fault_q [2];
  logic [TAG_W-1:0]       line_tag_q  [2];
  logic [PTAG_W-1:0]      line_ptag_q [2];  // physical line address
  logic [XLEN-1:0]        line_data_q [2][FETCH_LINE_BEATS];
  logic                   mru_q;  // way that delivered last; the other one is the victim

  fill_state_e       fill_state_q, fill_state_d;
  logic              fill_way_q;
  logic [TAG_W-1:0]  fill_tag_q;
  logic [BEAT_W-1:0] fill_beat_q;
  logic              fill_err_q;
  logic [XLEN-1:0]   fill_vaddr_q;  // critical beat's virtual address, while translating
  logic              fill_discard_q;

  // ---------------------------------------------------------------- lookup
  logic [XLEN-1:0]  pc_hi;
  logic [TAG_W-1:0] tag_lo, tag_hi;
  logic             hit_lo, hit_hi, way_lo, way_hi;
  logic [15:0]      parcel_lo, parcel_hi;
  logic             is_32bit;

  assign pc_hi  = pc_q + 64'd2;
  assign tag_lo = pc_q[XLEN-1:FETCH_OFFSET_W];
  assign tag_hi = pc_hi[XLEN-1:FETCH_OFFSET_W];

  function automatic logic [15:0] parcel(logic [XLEN-1:0] beat, logic [1:0] half);
    return beat[16*half +: 16];
  endfunction

  always_comb begin
    hit_lo = 1'b0;
    hit_hi = 1'b0;
    way_lo = 1'b0;
    way_hi = 1'b0;
    for (int w = 0; w < 2; w++) begin
      if (line_valid_q[w] && line_tag_q[w] == tag_lo) begin
        hit_lo = 1'b1;
        way_lo = w[0];
      end
      if (line_valid_q[w] && line_tag_q[w] == tag_hi) begin
        hit_hi = 1'b1;
        way_hi = w[0];
      end
    end
    parcel_lo = parcel(line_data_q[way_lo][pc_q[FETCH_OFFSET_W-1:3]], pc_q[2:1]);
    parcel_hi = parcel(line_data_q[way_hi][pc_hi[FETCH_OFFSET_W-1:3]], pc_hi[2:1]);
  end

  assign is_32bit = parcel_lo[1:0] == 2'b11;

  // A line that faulted (bus error, or its translation) delivers that fault for any
  // parcel in it; the first parcel's fault comes first.
  always_comb begin
    valid_o      = 1'b0;
    fault_o      = XF_NONE;
    fault_addr_o = pc_q;
    if (hit_lo) begin
      if (line_fault_q[way_lo] != XF_NONE) begin
        valid_o = 1'b1;
        fault_o = line_fault_q[way_lo];
      end else if (!is_32bit) begin
        valid_o = 1'b1;
      end else if (hit_hi) begin
        valid_o      = 1'b1;
        fault_o      = line_fault_q[way_hi];
        fault_addr_o = pc_hi;
      end
    end
  end

  assign paddr_lo_o = {line_ptag_q[way_lo], pc_q[FETCH_OFFSET_W-1:0]};
  assign paddr_hi_o = {line_ptag_q[way_hi], pc_hi[FETCH_OFFSET_W-1:0]};

  assign pc_o         = pc_q;
  assign compressed_o = !is_32bit;
  assign insn_o       = is_32bit ? {parcel_hi, parcel_lo} : {16'd0, parcel_lo};

  // ---------------------------------------------------------------- refill
  logic             need_fill, victim;
  logic [TAG_W-1:0] need_tag;
  always_comb begin
    need_fill = 1'b0;
    need_tag  = tag_lo;
    victim    = !mru_q;
    if (!hit_lo) begin
      need_fill = 1'b1;
    end else if (is_32bit && line_fault_q[way_lo] == XF_NONE && !hit_hi) begin
      need_fill = 1'b1;
      need_tag  = tag_hi;
      victim    = !way_lo;  // keep the line holding the first half
    end
  end

  // The burst starts at the beat holding the parcel we wait for (critical beat first).
  logic [XLEN-1:0] need_addr;
  assign need_addr = (need_tag == tag_lo) ? {pc_q[XLEN-1:3], 3'b000} : {pc_hi[XLEN-1:3], 3'b000};

  logic [XLEN-1:0] fill_addr_q;
  assign fill_req_o  = fill_state_q == FILL_REQ;
  assign fill_addr_o = fill_addr_q;

  // Translation: asked when a fill starts, and again each cycle while the MMU walks.
  logic start_fill;
  assign start_fill    = fill_state_q == FILL_IDLE && need_fill && !redirect_i && !invalidate_i;
  assign xlate_req_o   = start_fill || (fill_state_q == FILL_XLATE && !redirect_i && !invalidate_i);
  assign xlate_vaddr_o = fill_state_q == FILL_XLATE ? fill_vaddr_q : need_addr;
  assign xlate_kill_o  = fill_state_q == FILL_XLATE && (redirect_i || invalidate_i);
  // The line being translated: the victim chosen now, or the one chosen when it started.
  logic             xlate_way;
  logic [TAG_W-1:0] xlate_tag;
  assign xlate_way = fill_state_q == FILL_XLATE ? fill_way_q : victim;
  assign xlate_tag = fill_state_q == FILL_XLATE ? fill_tag_q : need_tag;

  always_comb begin
    fill_state_d = fill_state_q;
    unique case (fill_state_q)
      FILL_IDLE:  if (start_fill) fill_state_d = FILL_XLATE;
      FILL_XLATE: if (redirect_i || invalidate_i) fill_state_d = FILL_IDLE;
      FILL_REQ:   if (fill_gnt_i) fill_state_d = FILL_WAIT;
      default:    if (fill_rvalid_i && fill_rlast_i) fill_state_d = FILL_IDLE;  // FILL_WAIT
    endcase
    // Translated (in the cycle the fill starts, or later): fetch the line, or keep the
    // translation's fault in it.
    if (xlate_req_o && xlate_done_i) fill_state_d = xlate_fault_i != XF_NONE ? FILL_IDLE : FILL_REQ;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pc_q           <= boot_addr_i;
      line_valid_q   <= '0;
      line_fault_q[0] <= XF_NONE;
      line_fault_q[1] <= XF_NONE;
      fill_vaddr_q   <= '0;
      mru_q          <= 1'b0;
      fill_state_q   <= FILL_IDLE;
      fill_way_q     <= 1'b0;
      fill_tag_q     <= '0;
      fill_beat_q    <= '0;
      fill_err_q     <= 1'b0;
      fill_discard_q <= 1'b0;
      fill_addr_q    <= '0;
      // Tags and data need no reset (line_valid_q guards them).
    end else begin
      // Program counter
      if (redirect_i) pc_q <= redirect_pc_i;
      else if (valid_o && ready_i) begin
        pc_q  <= pc_q + (is_32bit && fault_o == XF_NONE ? 64'd4 : 64'd2);
        mru_q <= way_lo;
      end

      // Fill state machine
      fill_state_q <= fill_state_d;
      unique case (fill_state_q)
        FILL_IDLE: begin
          if (start_fill) begin
            fill_way_q     <= victim;
            fill_tag_q     <= need_tag;
            fill_vaddr_q   <= need_addr;
            fill_beat_q    <= need_addr[FETCH_OFFSET_W-1:3];
            fill_err_q     <= 1'b0;
            fill_discard_q <= 1'b0;
            line_valid_q[victim] <= 1'b0;
          end
        end
        FILL_XLATE, FILL_REQ: ;
        default: begin  // FILL_WAIT
          if (fill_rvalid_i) begin
            fill_beat_q <= fill_beat_q + 1'b1;  // wraps within the line like the burst
            if (fill_rerr_i) fill_err_q <= 1'b1;
            if (fill_rlast_i) begin
              line_tag_q[fill_way_q]   <= fill_tag_q;
              line_ptag_q[fill_way_q]  <= fill_addr_q[XLEN-1:FETCH_OFFSET_W];
              line_fault_q[fill_way_q] <= (fill_err_q || fill_rerr_i) ? XF_ACCESS : XF_NONE;
              line_valid_q[fill_way_q] <= !fill_discard_q && !invalidate_i;
            end
          end
        end
      endcase

      // Translated (in the cycle the fill starts, or later): fetch the line, or keep
      // the translation's fault in it.
      if (xlate_req_o && xlate_done_i) begin
        fill_addr_q  <= xlate_paddr_i;
        if (xlate_fault_i != XF_NONE) begin
          line_tag_q[xlate_way]   <= xlate_tag;
          line_fault_q[xlate_way] <= xlate_fault_i;
          line_valid_q[xlate_way] <= 1'b1;
        end
      end

      if (invalidate_i) begin
        line_valid_q <= '0;
        if (fill_state_q != FILL_IDLE) fill_discard_q <= 1'b1;
      end
    end
  end

  // Line data: no reset (resetting it would cost the simulation a check per beat
  // every cycle).
  always_ff @(posedge clk_i) begin
    if (fill_state_q == FILL_WAIT && fill_rvalid_i) line_data_q[fill_way_q][fill_beat_q] <= fill_rdata_i;
  end

endmodule

`default_nettype wire
