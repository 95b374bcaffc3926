// Zihpm: the programmable counters mhpmcounter3.. and their mhpmevent selectors.
// Counter n (3 <= n < 3 + HPM_COUNTERS) counts the event its selector names, unless
// inhibited; counters beyond those read as zero.
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

  // Packed, each counter written by its own block: no array-element write tracking in
  // the simulator, which costs every cycle.
  logic [HPM_COUNTERS-1:0][XLEN-1:0] counters;
  logic [HPM_COUNTERS-1:0][7:0]      events;

  // index_i - 3, and whether it names an implemented counter
  logic [4:0] slot;
  logic       implemented;
  assign slot        = index_i - 5'd3;
  assign implemented = index_i >= 5'd3 && slot < 5'(HPM_COUNTERS);

  for (genvar i = 0; i < HPM_COUNTERS; i++) begin : g_counter
    logic [XLEN-1:0] count_q;
    logic [7:0]      event_q;
    logic            selected, counts;
    logic [XLEN-1:0] increment;
    assign increment = event_q == HPM_EVENT_TLB_ENTRIES_FLUSHED ? {56'd0, flushed_i} : 64'd1;
    assign selected = implemented && slot == 5'(i);
    assign counts   = !inhibit_i[i] && event_q < 8'(HPM_EVENTS)
                   && events_i[event_q[EVENT_W-1:0]];

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        count_q <= '0;
        event_q <= '0;
      end else begin
        // A written value wins over this cycle's count.
        if (write_counter_i && selected) count_q <= wdata_i;
        else if (counts) count_q <= count_q + increment;
        if (write_event_i && selected) event_q <= wdata_i[7:0];
      end
    end
    assign counters[i] = count_q;
    assign events[i]   = event_q;
  end

  assign counter_o = implemented ? counters[slot[$clog2(HPM_COUNTERS)-1:0]] : '0;
  assign event_o   = implemented ? {56'd0, events[slot[$clog2(HPM_COUNTERS)-1:0]]} : '0;

endmodule

`default_nettype wire
