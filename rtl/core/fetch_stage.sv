// Fetch stage: the fetch unit, the PMP check of what it delivers, and the IF/ID
// register. Fetches need X in the current privilege for every byte of the
// instruction, at its physical address; a 32-bit instruction whose halves lie in
// different pages is checked as two parcels (each page on its own, as each is
// translated on its own).
`default_nettype none

module fetch_stage
  import cosim_pkg::*;
(
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic [XLEN-1:0] boot_addr_i,
  // Control
  input  logic            redirect_i,     // discard everything fetched, go to redirect_pc_i
  input  logic [XLEN-1:0] redirect_pc_i,
  input  logic            invalidate_i,   // forget the fetched lines (see fetch_unit)
  input  logic            id_ready_i,     // decode takes the IF/ID register's instruction
  input  priv_e           priv_i,
  // PMP entries, decoded
  input  logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] pmp_lo_i,
  input  logic [PMP_ENTRIES-1:0][PMP_ADDR_W:0] pmp_hi_i,
  input  logic [PMP_ENTRIES-1:0][2:0]          pmp_perms_i,
  input  logic [PMP_ENTRIES-1:0]               pmp_locked_i,
  // The IF/ID register
  output if_id_t               if_id_o,
  // Translation of line addresses (MMU fetch port)
  output logic                 xlate_req_o,
  output logic [XLEN-1:0]      xlate_vaddr_o,
  output logic                 xlate_kill_o,
  input  logic            xlate_done_i,
  input  logic [XLEN-1:0] xlate_paddr_i,
  input  xfault_e         xlate_fault_i,
  // Line fills through the bus unit
  output logic                 fill_req_o,
  output logic [XLEN-1:0]      fill_addr_o,
  input  logic            fill_gnt_i,
  input  logic            fill_rvalid_i,
  input  logic [XLEN-1:0] fill_rdata_i,
  input  logic            fill_rerr_i,
  input  logic            fill_rlast_i
);

  logic            fetch_valid, fetch_compressed;
  xfault_e         fetch_fault;
  logic [XLEN-1:0] fetch_pc, fetch_fault_addr, fetch_paddr_lo, fetch_paddr_hi;
  logic [31:0]     fetch_insn;

  fetch_unit u_fetch (
    .clk_i,
    .rst_ni,
    .boot_addr_i,
    .redirect_i,
    .redirect_pc_i,
    .invalidate_i,
    .ready_i       (id_ready_i),
    .valid_o       (fetch_valid),
    .pc_o          (fetch_pc),
    .insn_o        (fetch_insn),
    .compressed_o  (fetch_compressed),
    .fault_o       (fetch_fault),
    .fault_addr_o  (fetch_fault_addr),
    .paddr_lo_o    (fetch_paddr_lo),
    .paddr_hi_o    (fetch_paddr_hi),
    .xlate_req_o,
    .xlate_vaddr_o,
    .xlate_kill_o,
    .xlate_done_i,
    .xlate_paddr_i,
    .xlate_fault_i,
    .fill_req_o,
    .fill_addr_o,
    .fill_gnt_i,
    .fill_rvalid_i,
    .fill_rdata_i,
    .fill_rerr_i,
    .fill_rlast_i
  );

  logic            split;
  logic [XLEN-1:0] last_byte;
  assign split     = !fetch_compressed && fetch_pc[11:1] == 11'h7ff;
  assign last_byte = fetch_paddr_lo + (fetch_compressed || split ? 64'd1 : 64'd3);
  logic [3:0] unused_byte_offsets;  // PMP works on 4-byte words
  assign unused_byte_offsets = {last_byte[1:0], fetch_paddr_hi[1:0]};

  // One checker per parcel: [0] the first (the whole instruction unless split), [1] the
  // second half of a split one.
  logic [1:0]           pmp_check, pmp_ok;
  logic [1:0][XLEN-1:2] pmp_first, pmp_last;
  assign pmp_check = {fetch_valid && split, fetch_valid};
  assign pmp_first = {fetch_paddr_hi[XLEN-1:2], fetch_paddr_lo[XLEN-1:2]};
  assign pmp_last  = {fetch_paddr_hi[XLEN-1:2], last_byte[XLEN-1:2]};
  for (genvar i = 0; i < 2; i++) begin : g_pmp
    pmp u_pmp (
      .check_i   (pmp_check[i]),
      .first_i   (pmp_first[i]),
      .last_i    (pmp_last[i]),
      .need_i    (3'b100),
      .any_i     (1'b0),
      .priv_i,
      .lo_i      (pmp_lo_i),
      .hi_i      (pmp_hi_i),
      .perms_i   (pmp_perms_i),
      .locked_i  (pmp_locked_i),
      .allowed_o (pmp_ok[i])
    );
  end

  // The first parcel's fault comes before the second's; a translation or bus fault of
  // a parcel before its PMP check.
  xfault_e         fault;
  logic [XLEN-1:0] fault_addr;
  always_comb begin
    fault      = XF_NONE;
    fault_addr = fetch_pc;
    if (fetch_fault != XF_NONE && fetch_fault_addr == fetch_pc) begin
      fault = fetch_fault;
    end else if (!pmp_ok[0]) begin
      fault = XF_ACCESS;
    end else if (fetch_fault != XF_NONE) begin
      fault      = fetch_fault;
      fault_addr = fetch_fault_addr;
    end else if (split && !pmp_ok[1]) begin
      fault      = XF_ACCESS;
      fault_addr = fetch_pc + 64'd2;
    end
  end

  if_id_t if_id_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      if_id_q <= '0;
    end else if (redirect_i) begin
      if_id_q.valid <= 1'b0;
    end else if (id_ready_i) begin
      if_id_q <= '{valid: fetch_valid, pc: fetch_pc, insn: fetch_insn,
                   compressed: fetch_compressed, fault: fault, fault_addr: fault_addr,
                   paddr: fetch_paddr_lo};
    end
  end
  assign if_id_o = if_id_q;

endmodule

`default_nettype wire
