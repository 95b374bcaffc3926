// Writeback stage: the register write of the instruction that committed last cycle,
// and the retire port (RVFI-style, with the extensions the harness checks).
`default_nettype none

module writeback_stage
  import cosim_pkg::*;
(
  input  logic            clk_i,
  input  logic            rst_ni,
  input  mem_wb_t         mem_wb_i,
  input  logic [XLEN-1:0] mstatus_i,          // after the instruction
  // Register file write port
  output logic            rf_we_o,
  output logic [4:0]      rf_waddr_o,
  output logic [XLEN-1:0] rf_wdata_o,
  // Retire port
  output logic            rvfi_valid_o,
  output logic [63:0]     rvfi_order_o,
  output logic [31:0]     rvfi_insn_o,
  output logic            rvfi_trap_o,
  output logic [5:0]      rvfi_trap_cause_o,  // extension: mcause of the trap
  output logic [XLEN-1:0] rvfi_trap_tval_o,   // extension: mtval of the trap
  output logic            rvfi_intr_o,        // first instruction of a trap handler
  output logic [1:0]      rvfi_mode_o,        // privilege the instruction ran in
  output logic [XLEN-1:0] rvfi_csr_mstatus_o, // mstatus after the instruction
  output logic [XLEN-1:0] rvfi_csr_mip_o,     // mip as the instruction found it
  output logic            rvfi_trap_interrupt_o, // the trap is an interrupt
  output logic [XLEN-1:0] rvfi_pc_rdata_o,
  output logic [XLEN-1:0] rvfi_pc_wdata_o,
  output logic [4:0]      rvfi_rd_addr_o,
  output logic [XLEN-1:0] rvfi_rd_wdata_o,
  output logic [XLEN-1:0] rvfi_mem_addr_o,
  output logic [XLEN-1:0] rvfi_mem_paddr_o,   // extension: physical address of mem_addr
  output logic [XLEN-1:0] rvfi_mem_pte_o,     // extension: the leaf PTE that translated it
  output logic [XLEN-1:0] rvfi_pc_paddr_o,    // extension: physical address of pc_rdata
  output logic [7:0]      rvfi_mem_rmask_o,
  output logic [7:0]      rvfi_mem_wmask_o,
  output logic [XLEN-1:0] rvfi_mem_rdata_o,
  output logic [XLEN-1:0] rvfi_mem_wdata_o
);

  assign rf_we_o    = mem_wb_i.valid && mem_wb_i.rd != 5'd0;
  assign rf_waddr_o = mem_wb_i.rd;
  assign rf_wdata_o = mem_wb_i.wdata;

  logic [63:0] order_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) order_q <= '0;
    else if (mem_wb_i.valid) order_q <= order_q + 64'd1;
  end

  assign rvfi_valid_o          = mem_wb_i.valid;
  assign rvfi_order_o          = order_q;
  assign rvfi_insn_o           = mem_wb_i.insn;
  assign rvfi_trap_o           = mem_wb_i.trap;
  assign rvfi_trap_cause_o     = mem_wb_i.trap ? mem_wb_i.trap_cause : EXC_INSN_MISALIGNED;
  assign rvfi_trap_tval_o      = mem_wb_i.trap ? mem_wb_i.trap_tval : '0;
  assign rvfi_intr_o           = mem_wb_i.intr;
  assign rvfi_mode_o           = mem_wb_i.mode;
  assign rvfi_csr_mstatus_o    = mstatus_i;
  assign rvfi_csr_mip_o        = mem_wb_i.mip;
  assign rvfi_trap_interrupt_o = mem_wb_i.trap && mem_wb_i.trap_interrupt;
  assign rvfi_pc_rdata_o       = mem_wb_i.pc;
  assign rvfi_pc_wdata_o       = mem_wb_i.next_pc;
  assign rvfi_rd_addr_o        = mem_wb_i.rd;
  assign rvfi_rd_wdata_o       = mem_wb_i.wdata;
  assign rvfi_mem_addr_o       = mem_wb_i.mem_addr;
  assign rvfi_mem_paddr_o      = mem_wb_i.mem_paddr;
  assign rvfi_mem_pte_o        = mem_wb_i.mem_pte;
  assign rvfi_pc_paddr_o       = mem_wb_i.pc_paddr;
  assign rvfi_mem_rmask_o      = mem_wb_i.mem_rmask;
  assign rvfi_mem_wmask_o      = mem_wb_i.mem_wmask;
  assign rvfi_mem_rdata_o      = mem_wb_i.mem_rdata;
  assign rvfi_mem_wdata_o      = mem_wb_i.mem_wdata;

endmodule

`default_nettype wire
