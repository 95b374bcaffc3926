// One translation port (fetch or data): its L1 TLB, the permission check, and the
// hand-over of a miss to the shared walker. A request that hits (or needs no
// translation) is answered in the same cycle; a miss is answered when the walk for it
// ends. Each request is looked up once: that is what the access/miss events count.
// The requester holds the request until done_o, or withdraws it with kill_i (fetch
// redirect); the walk then still ends and fills the TLB, but answers nobody.
`default_nettype none

module xlate_port
  import cosim_pkg::*;
#(
  parameter int unsigned ENTRIES = 16
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  // Request
  input  logic              req_i,
  input  logic [XLEN-1:0]   vaddr_i,
  input  access_e           access_i,
  input  priv_e             priv_i,     // effective privilege of the access
  input  logic              kill_i,
  input  logic [XLEN-1:0]   satp_i,
  input  logic              sum_i,
  input  logic              mxr_i,
  // Answer
  output logic              done_o,
  output logic [XLEN-1:0]   paddr_o,
  output logic [XLEN-1:0]   pte_o,      // the leaf that translated it (0 without translation)
  output xfault_e           fault_o,
  output logic              waiting_o,  // a miss is being walked for this port
  // Walker
  output logic              walk_req_o,
  output logic [XLEN-1:0]   walk_vaddr_o,
  output access_e           walk_access_o,
  input  logic              walk_accept_i,
  input  logic              walk_done_i,   // the walker finished a walk for this port
  input  xfault_e           walk_fault_i,
  input  tlb_entry_t        walk_entry_i,
  input  logic              walk_fill_i,
  input  logic              walk_retry_i,  // the walk ended without a result: ask again
  // sfence.vma
  input  logic              flush_i,
  input  logic              flush_by_va_i,
  input  logic [VPN_W-1:0]  flush_vpn_i,
  input  logic              flush_by_asid_i,
  input  logic [ASID_W-1:0] flush_asid_i,
  output logic [7:0]        flushed_o,
  // Events and the lookup stream for the harness's TLB model
  output logic              lookup_o,
  output logic              miss_o
);

  logic [PPN_W-1:0] unused_satp_ppn;  // the walker's business
  assign unused_satp_ppn = satp_ppn(satp_i);
  logic [3:0] mode;
  logic       active, canonical;
  assign mode   = satp_mode(satp_i);
  assign active = mode != SATP_BARE && priv_i != PRIV_M;
  // Bits above the VA width must copy its top bit.
  assign canonical = mode == SATP_SV48 ? (vaddr_i[63:47] == '0 || vaddr_i[63:47] == '1)
                                       : (vaddr_i[63:38] == '0 || vaddr_i[63:38] == '1);

  logic              waiting_q, accepted_q;
  logic [XLEN-1:0]   vaddr_q;
  access_e           access_q;

  logic       hit;
  tlb_entry_t hit_entry;
  logic       usable;  // a hit whose A/D bits allow the access
  assign usable   = hit && leaf_ad_ok(hit_entry.flags, access_i);
  assign lookup_o = !waiting_q && req_i && active && canonical;
  assign miss_o   = lookup_o && !usable;

  tlb #(.ENTRIES(ENTRIES)) u_tlb (
    .clk_i,
    .rst_ni,
    .lookup_i      (!waiting_q && req_i && active && canonical),
    .lookup_vpn_i  (vaddr_i[12 +: VPN_W]),
    .lookup_asid_i (satp_asid(satp_i)),
    .hit_o         (hit),
    .hit_entry_o   (hit_entry),
    .touch_i       (lookup_o && usable),
    .fill_i        (walk_fill_i),
    .fill_entry_i  (walk_entry_i),
    .flush_i,
    .flush_by_va_i,
    .flush_vpn_i,
    .flush_by_asid_i,
    .flush_asid_i,
    .flushed_o
  );

  logic walk_answer;
  assign walk_answer = waiting_q && accepted_q && walk_done_i && !walk_retry_i && !kill_i;

  always_comb begin
    done_o  = 1'b0;
    paddr_o = vaddr_i;
    pte_o   = '0;
    fault_o = XF_NONE;
    if (!waiting_q && req_i) begin
      if (!active) begin
        done_o = 1'b1;
      end else if (!canonical) begin
        done_o  = 1'b1;
        fault_o = XF_PAGE;
      end else if (usable) begin
        done_o  = 1'b1;
        paddr_o = tlb_paddr(hit_entry, vaddr_i);
        pte_o   = tlb_pte(hit_entry);
        fault_o = leaf_permits(hit_entry.flags, access_i, priv_i, sum_i, mxr_i) ? XF_NONE : XF_PAGE;
      end
    end else if (walk_answer) begin
      done_o  = 1'b1;
      paddr_o = tlb_paddr(walk_entry_i, vaddr_q);
      pte_o   = tlb_pte(walk_entry_i);
      if (walk_fault_i != XF_NONE) fault_o = walk_fault_i;
      else if (!leaf_permits(walk_entry_i.flags, access_q, priv_i, sum_i, mxr_i)) fault_o = XF_PAGE;
`ifdef COSIM_MUTANT_AD_NOT_CHECKED
`else
      else if (!leaf_ad_ok(walk_entry_i.flags, access_q)) fault_o = XF_PAGE;  // Svade
`endif
    end
  end

  assign waiting_o     = waiting_q;
  assign walk_req_o    = waiting_q && !accepted_q && !kill_i;
  assign walk_vaddr_o  = vaddr_q;
  assign walk_access_o = access_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      waiting_q  <= 1'b0;
      accepted_q <= 1'b0;
      vaddr_q    <= '0;
      access_q   <= ACC_LOAD;
    end else if (kill_i || walk_answer) begin
      waiting_q  <= 1'b0;
      accepted_q <= 1'b0;
    end else if (miss_o) begin
      waiting_q <= 1'b1;
      vaddr_q   <= vaddr_i;
      access_q  <= access_i;
    end else if (walk_accept_i) begin
      accepted_q <= 1'b1;
    end else if (walk_done_i && walk_retry_i) begin
      accepted_q <= 1'b0;
    end
  end

endmodule

`default_nettype wire
