// Machine-mode CSRs, trap entry and MRET. Accesses happen at the commit point (the
// memory stage), so a CSR write is seen by every younger instruction.
module csr_file
  import cosim_pkg::*;
(
  input  logic            clk_i,
  input  logic            rst_ni,
  // Access by a CSR instruction. `illegal_o` is valid whenever op/addr/write are driven;
  // `commit_i` performs the access.
  input  logic            commit_i,
  input  csr_op_e         op_i,
  input  logic [11:0]     addr_i,
  input  logic            write_i,   // CSRRW, or CSRRS/C with a non-zero operand field
  input  logic [XLEN-1:0] operand_i,
  output logic [XLEN-1:0] rdata_o,
  output logic            illegal_o,
  // Traps and returns, also at the commit point.
  input  logic            trap_i,
  input  exc_cause_e      cause_i,
  input  logic [XLEN-1:0] tval_i,
  input  logic [XLEN-1:0] epc_i,
  input  logic            mret_i,
  input  logic            retire_i,  // an instruction commits without trapping
  output logic [XLEN-1:0] trap_vector_o,
  output logic [XLEN-1:0] mepc_o,
  output logic [XLEN-1:0] mstatus_o       // for the retire port
);

  localparam logic [XLEN-1:0] MSTATUS_MIE = 64'h8;
  localparam logic [XLEN-1:0] MSTATUS_MPIE = 64'h80;
  localparam logic [XLEN-1:0] MSTATUS_MPP = 64'h1800;
  localparam logic [XLEN-1:0] MIE_MASK = 64'h888;  // MEIE, MTIE, MSIE

  logic            mie_bit_q, mpie_q;
  logic [XLEN-1:0] mie_q, mtvec_q, mscratch_q, mepc_q, mcause_q, mtval_q, mcycle_q, minstret_q;

  logic [XLEN-1:0] mstatus;
  assign mstatus = MSTATUS_MPP | (mpie_q ? MSTATUS_MPIE : '0) | (mie_bit_q ? MSTATUS_MIE : '0);

  // ---------------------------------------------------------------- read and legality
  logic known, read_only;
  always_comb begin
    known = 1'b1;
    unique case (addr_i)
      CSR_CYCLE, CSR_MCYCLE:     rdata_o = mcycle_q;
      CSR_INSTRET, CSR_MINSTRET: rdata_o = minstret_q;
      CSR_MVENDORID, CSR_MARCHID, CSR_MIMPID, CSR_MHARTID: rdata_o = '0;
      CSR_MSTATUS:  rdata_o = mstatus;
      CSR_MISA:     rdata_o = MISA_VALUE;
      CSR_MIE:      rdata_o = mie_q;
      CSR_MIP:      rdata_o = '0;  // no interrupt sources yet
      CSR_MTVEC:    rdata_o = mtvec_q;
      CSR_MSCRATCH: rdata_o = mscratch_q;
      CSR_MEPC:     rdata_o = mepc_q;
      CSR_MCAUSE:   rdata_o = mcause_q;
      CSR_MTVAL:    rdata_o = mtval_q;
      default: begin
        rdata_o = '0;
        known = 1'b0;
      end
    endcase
  end
  // Addresses 0b11xx_xxxx_xxxx are read-only by the spec's encoding convention.
  assign read_only = addr_i[11:10] == 2'b11;
  assign illegal_o = op_i != CSR_NONE && (!known || (write_i && read_only));

  logic [XLEN-1:0] wdata;
  always_comb begin
    unique case (op_i)
      CSR_SET:   wdata = rdata_o | operand_i;
      CSR_CLEAR: wdata = rdata_o & ~operand_i;
      default:   wdata = operand_i;
    endcase
  end

  logic do_write;
  assign do_write = commit_i && write_i && !illegal_o;

  // ---------------------------------------------------------------- state
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mie_bit_q  <= 1'b0;
      mpie_q     <= 1'b0;
      mie_q      <= '0;
      mtvec_q    <= '0;
      mscratch_q <= '0;
      mepc_q     <= '0;
      mcause_q   <= '0;
      mtval_q    <= '0;
      mcycle_q   <= '0;
      minstret_q <= '0;
    end else begin
      mcycle_q <= mcycle_q + 64'd1;
      if (retire_i) minstret_q <= minstret_q + 64'd1;

      if (trap_i) begin
        mepc_q    <= epc_i;
        mcause_q  <= {58'd0, cause_i};
        mtval_q   <= tval_i;
        mpie_q    <= mie_bit_q;
        mie_bit_q <= 1'b0;
      end else if (mret_i) begin
        mie_bit_q <= mpie_q;
        mpie_q    <= 1'b1;
      end else if (do_write) begin
        unique case (addr_i)
          CSR_MSTATUS: begin
            mie_bit_q <= wdata[3];
            mpie_q    <= wdata[7];
          end
          CSR_MIE:      mie_q <= wdata & MIE_MASK;
          // Direct (0) and vectored (1) modes; other modes keep the previous mode.
          CSR_MTVEC:    mtvec_q <= {wdata[XLEN-1:2], wdata[1] ? mtvec_q[1:0] : wdata[1:0]};
          CSR_MSCRATCH: mscratch_q <= wdata;
          CSR_MEPC:     mepc_q <= {wdata[XLEN-1:1], 1'b0};
          CSR_MCAUSE:   mcause_q <= wdata;
          CSR_MTVAL:    mtval_q <= wdata;
          // The written value wins over this cycle's increment.
          CSR_MCYCLE:   mcycle_q <= wdata;
          CSR_MINSTRET: minstret_q <= wdata;
          default: ;
        endcase
      end
    end
  end

  // Synchronous exceptions always go to the base address, in either mtvec mode.
  assign trap_vector_o = {mtvec_q[XLEN-1:2], 2'b00};
  assign mepc_o = mepc_q;
  assign mstatus_o = mstatus;

endmodule
