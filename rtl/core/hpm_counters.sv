// Zihpm: the programmable counters_q mhpmcounter3.. and their mhpmevent selectors.
// Counter n (3 <= n < 3 + HPM_COUNTERS) counts the event its selector names, unless
// inhibited; counters_q beyond those read as zero.
`default_nettype none

module hpm_counters
  import cosim_pkg::*;
(
  input  logic                    clk_i,
  input  logic                    rst_ni,
  input  logic [4:0]              index_i,      // n of the CSR being accessed
  input  logic                    write_counter_i,
  input  logic                    write_event_i,
  input  logic [XLEN-1:0]         wdata_i,
  input  logic [HPM_EVENTS-1:0]   events_i,
  input  logic [7:0]              flushed_i,    // HPM_EVENT_TLB_ENTRIES_FLUSHED counts entries
  input  logic [HPM_COUNTERS-1:0] inhibit_i,
  output logic [XLEN-1:0]         counter_o,    // mhpmcounter<index_i>
  output logic [XLEN-1:0]         event_o       // mhpmevent<index_i>
);

  localparam int unsigned EVENT_W = $clog2(HPM_EVENTS);

  // index_i - 3, and whether it names an implemented counter
  logic [4:0] slot;
  logic       implemented;
  localparam int unsigned SLOT_W = $clog2(HPM_COUNTERS);
  assign slot        = index_i - 5'd3;
  assign implemented = index_i >= 5'd3 && slot < 5'(HPM_COUNTERS);

  // One block for all counters, packed: a counter whose mhpmevent is 0 (the reset
  // value) counts nothing, so while none is configured the simulator skips them all.
  logic [HPM_COUNTERS-1:0][XLEN-1:0] counters_q;
  logic [HPM_COUNTERS-1:0][7:0]      events_q;

  function automatic logic [XLEN-1:0] increment(int i);
    if (inhibit_i[i] || events_q[i] >= 8'(HPM_EVENTS) || !events_i[events_q[i][EVENT_W-1:0]]) return '0;
`ifdef COSIM_MUTANT_COUNTER_EVENT_DOUBLED
    return events_q[i] == HPM_EVENT_TLB_ENTRIES_FLUSHED ? {56'd0, flushed_i}
         : events_q[i] == HPM_EVENT_STORES ? 64'd2 : 64'd1;
`else
    return events_q[i] == HPM_EVENT_TLB_ENTRIES_FLUSHED ? {56'd0, flushed_i} : 64'd1;
`endif
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      counters_q <= '0;
      events_q   <= '0;
    end else begin
      if (events_q != '0) begin
        for (int i = 0; i < HPM_COUNTERS; i++) begin
          if (events_q[i] != '0) counters_q[i] <= counters_q[i] + increment(i);
        end
      end
      // A written value wins over this cycle's count.
      if (implemented && write_counter_i) counters_q[slot[SLOT_W-1:0]] <= wdata_i;
      if (implemented && write_event_i) events_q[slot[SLOT_W-1:0]] <= wdata_i[7:0];
    end
  end

  assign counter_o = implemented ? counters_q[slot[SLOT_W-1:0]] : '0;
  assign event_o   = implemented ? {56'd0, events_q[slot[SLOT_W-1:0]]} : '0;

endmodule

`default_nettype wire
