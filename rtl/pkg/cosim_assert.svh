// Assertions of the SoC's invariants. Each is checked at every rising edge out of
// reset, in every verilated model (the harness's build leaves assertions on); a failure
// stops the run through cosim_pkg::cosim_assertion_failed with the file, line and
// message. `name` labels the property in waveforms and reports.
`ifndef COSIM_ASSERT_SVH
`define COSIM_ASSERT_SVH

`define COSIM_ASSERT(name, cond, msg) \
  name: assert property (@(posedge clk_i) disable iff (!rst_ni) (cond)) \
    else cosim_pkg::cosim_assertion_failed(`__FILE__, `__LINE__, msg);

// Once `valid && !ready`, the next cycle still has valid and the same payload.
`define COSIM_ASSERT_HELD(name, valid, ready, payload, msg) \
  name: assert property (@(posedge clk_i) disable iff (!rst_ni) \
      ($past(valid && !ready) |-> (valid && (payload) == $past(payload)))) \
    else cosim_pkg::cosim_assertion_failed(`__FILE__, `__LINE__, msg);

`endif
