// Shared types and constants of the cosim SoC: opcodes, decoded-instruction fields,
// exception causes, CSR addresses and bus parameters. Magic numbers live here only.
package cosim_pkg;

  // ---------------------------------------------------------------- bus
  localparam int unsigned XLEN = 64;
  localparam int unsigned AXI_ID_W = 4;
  localparam logic [AXI_ID_W-1:0] AXI_ID_FETCH = 4'd0;
  localparam logic [AXI_ID_W-1:0] AXI_ID_DATA = 4'd1;
  localparam logic [AXI_ID_W-1:0] AXI_ID_PTW = 4'd2;  // the page-table walker
  localparam logic [1:0] AXI_BURST_INCR = 2'b01;
  localparam logic [1:0] AXI_BURST_WRAP = 2'b10;
  localparam logic [1:0] AXI_RESP_OKAY = 2'b00;
  // Instruction fetch fills a line of FETCH_LINE_BEATS 64-bit beats with one WRAP burst.
  localparam int unsigned FETCH_LINE_BEATS = 4;
  localparam int unsigned FETCH_LINE_BYTES = FETCH_LINE_BEATS * 8;
  localparam int unsigned FETCH_OFFSET_W = $clog2(FETCH_LINE_BYTES);

  // ---------------------------------------------------------------- opcodes
  typedef enum logic [6:0] {
    OPC_LOAD     = 7'b0000011,
    OPC_MISC_MEM = 7'b0001111,
    OPC_OP_IMM   = 7'b0010011,
    OPC_AUIPC    = 7'b0010111,
    OPC_OP_IMM32 = 7'b0011011,
    OPC_STORE    = 7'b0100011,
    OPC_AMO      = 7'b0101111,
    OPC_OP       = 7'b0110011,
    OPC_LUI      = 7'b0110111,
    OPC_OP32     = 7'b0111011,
    OPC_BRANCH   = 7'b1100011,
    OPC_JALR     = 7'b1100111,
    OPC_JAL      = 7'b1101111,
    OPC_SYSTEM   = 7'b1110011
  } opcode_e;

  typedef enum logic [3:0] {
    ALU_ADD, ALU_SUB, ALU_SLL, ALU_SLT, ALU_SLTU, ALU_XOR, ALU_SRL, ALU_SRA, ALU_OR, ALU_AND
  } alu_op_e;

  typedef enum logic [1:0] { OPA_RS1, OPA_PC, OPA_ZERO } op_a_sel_e;
  typedef enum logic [0:0] { OPB_RS2, OPB_IMM } op_b_sel_e;

  // M extension: funct3 order of the spec.
  typedef enum logic [2:0] {
    MD_MUL, MD_MULH, MD_MULHSU, MD_MULHU, MD_DIV, MD_DIVU, MD_REM, MD_REMU
  } md_op_e;

  typedef enum logic [2:0] {
    MEM_NONE, MEM_LOAD, MEM_STORE, MEM_LR, MEM_SC, MEM_AMO, MEM_CBO_ZERO
  } mem_op_e;

  // Zicboz: cbo.zero writes a whole cache block of this many bytes.
  localparam int unsigned CBO_BLOCK_BYTES = 64;

  // A extension: funct5 of AMO instructions.
  typedef enum logic [4:0] {
    AMO_ADD  = 5'b00000,
    AMO_SWAP = 5'b00001,
    AMO_LR   = 5'b00010,
    AMO_SC   = 5'b00011,
    AMO_XOR  = 5'b00100,
    AMO_OR   = 5'b01000,
    AMO_AND  = 5'b01100,
    AMO_MIN  = 5'b10000,
    AMO_MAX  = 5'b10100,
    AMO_MINU = 5'b11000,
    AMO_MAXU = 5'b11100
  } amo_op_e;

  typedef enum logic [1:0] { CSR_NONE, CSR_WRITE, CSR_SET, CSR_CLEAR } csr_op_e;

  // Instructions that act on architectural state at the commit point (memory stage).
  typedef enum logic [3:0] {
    SYS_NONE, SYS_ECALL, SYS_EBREAK, SYS_MRET, SYS_SRET, SYS_WFI, SYS_FENCE_I, SYS_SFENCE_VMA,
    SYS_CBO_INVAL, SYS_CBO_CLEAN, SYS_CBO_FLUSH, SYS_CBO_ZERO  // Zicbom, Zicboz
  } sys_op_e;

  // ---------------------------------------------------------------- exceptions
  typedef enum logic [5:0] {
    EXC_INSN_MISALIGNED  = 6'd0,
    EXC_INSN_ACCESS      = 6'd1,
    EXC_ILLEGAL_INSN     = 6'd2,
    EXC_BREAKPOINT       = 6'd3,
    EXC_LOAD_MISALIGNED  = 6'd4,
    EXC_LOAD_ACCESS      = 6'd5,
    EXC_STORE_MISALIGNED = 6'd6,
    EXC_STORE_ACCESS     = 6'd7,
    EXC_ECALL_U          = 6'd8,
    EXC_ECALL_S          = 6'd9,
    EXC_ECALL_M          = 6'd11,
    EXC_INSN_PAGE        = 6'd12,
    EXC_LOAD_PAGE        = 6'd13,
    EXC_STORE_PAGE       = 6'd15
  } exc_cause_e;

  typedef struct packed {
    logic        valid;
    logic        is_interrupt;  // an interrupt taken at this instruction (cause = its code)
    exc_cause_e  cause;
    logic [63:0] tval;
  } exception_t;

  // Interrupt codes (mcause with bit 63 set), highest priority first: MEI MSI MTI SEI SSI STI.
  localparam logic [5:0] IRQ_S_SOFT = 6'd1, IRQ_M_SOFT = 6'd3, IRQ_S_TIMER = 6'd5,
                         IRQ_M_TIMER = 6'd7, IRQ_S_EXT = 6'd9, IRQ_M_EXT = 6'd11;

  // CLINT (inside the SoC): msip, mtimecmp and mtime registers.
  localparam logic [XLEN-1:0] CLINT_BASE = 64'h0200_0000;
  localparam logic [XLEN-1:0] CLINT_SIZE = 64'h0001_0000;

  // ---------------------------------------------------------------- decoded instruction
  typedef struct packed {
    logic [4:0]  rs1;
    logic [4:0]  rs2;
    logic [4:0]  rd;
    logic        uses_rs1;
    logic        uses_rs2;
    logic        writes_rd;
    logic [63:0] imm;
    op_a_sel_e   op_a;
    op_b_sel_e   op_b;
    alu_op_e     alu_op;
    logic        word_op;     // *W forms: 32-bit operation, sign-extended result
    logic        is_branch;   // conditional branch, condition in funct3
    logic        is_jal;
    logic        is_jalr;
    logic [2:0]  funct3;
    logic        is_muldiv;
    md_op_e      md_op;
    mem_op_e     mem_op;
    logic [1:0]  mem_size;    // log2 of the access size in bytes
    logic        mem_unsigned;
    amo_op_e     amo_op;
    csr_op_e     csr_op;
    logic        csr_imm;     // CSRR*I: the operand is the zero-extended rs1 field
    logic [11:0] csr_addr;
    sys_op_e     sys_op;
    logic        illegal;
  } decoded_t;

  // ---------------------------------------------------------------- pipeline registers
  typedef enum logic [1:0] { PRIV_U = 2'b00, PRIV_S = 2'b01, PRIV_M = 2'b11 } priv_e;

  // How a fetch or a translation ended: a physical address, a page fault, or an access
  // fault (PMP, a bus error, or a page-table read that failed).
  typedef enum logic [1:0] { XF_NONE, XF_PAGE, XF_ACCESS } xfault_e;

  // fetch -> decode
  typedef struct packed {
    logic        valid;
    logic [63:0] pc;
    logic [31:0] insn;        // as fetched: a compressed one in the low half
    logic        compressed;
    xfault_e     fault;
    logic [63:0] fault_addr;
    logic [63:0] paddr;       // physical address of the first parcel
  } if_id_t;

  // decode -> execute
  typedef struct packed {
    logic        valid;
    logic [63:0] pc;
    logic [31:0] insn;
    logic        compressed;
    decoded_t    dec;
    logic [63:0] rs1_val;
    logic [63:0] rs2_val;
    exception_t  exc;
    logic [63:0] paddr;
  } id_ex_t;

  // execute -> memory
  typedef struct packed {
    logic        valid;
    logic [63:0] pc;
    logic [63:0] next_pc;
    logic [31:0] insn;
    logic [4:0]  rd;
    logic        writes_rd;
    logic [63:0] result;      // ALU / link / M result, or the CSR operand
    mem_op_e     mem_op;
    amo_op_e     amo_op;
    logic [1:0]  mem_size;
    logic        mem_unsigned;
    logic [63:0] mem_addr;
    logic [63:0] store_data;
    logic [63:0] rs1_val;     // SFENCE.VMA's operands: rs1 and store_data (rs2)
    csr_op_e     csr_op;
    logic [11:0] csr_addr;
    logic        csr_write;
    sys_op_e     sys_op;
    exception_t  exc;
    logic [63:0] paddr;
  } ex_mem_t;

  // memory -> writeback: the register write and everything the retire port reports.
  typedef struct packed {
    logic        valid;
    logic [63:0] pc;
    logic [63:0] next_pc;
    logic [31:0] insn;
    logic        trap;
    exc_cause_e  trap_cause;
    logic [63:0] trap_tval;
    logic        intr;
    logic        trap_interrupt;
    logic [63:0] mip;
    priv_e       mode;        // the privilege it ran in
    logic [4:0]  rd;          // 0 when nothing is written
    logic [63:0] wdata;
    logic [63:0] mem_addr;
    logic [63:0] mem_paddr;
    logic [63:0] mem_pte;
    logic [63:0] pc_paddr;
    logic [7:0]  mem_rmask;
    logic [7:0]  mem_wmask;
    logic [63:0] mem_rdata;
    logic [63:0] mem_wdata;
  } mem_wb_t;

  // ---------------------------------------------------------------- CSRs
  typedef enum logic [11:0] {
    CSR_SSTATUS    = 12'h100,
    CSR_SIE        = 12'h104,
    CSR_STVEC      = 12'h105,
    CSR_SCOUNTEREN = 12'h106,
    CSR_SENVCFG    = 12'h10A,
    CSR_SSCRATCH   = 12'h140,
    CSR_SEPC       = 12'h141,
    CSR_SCAUSE     = 12'h142,
    CSR_STVAL      = 12'h143,
    CSR_SIP        = 12'h144,
    CSR_SATP       = 12'h180,
    CSR_MSTATUS    = 12'h300,
    CSR_MISA       = 12'h301,
    CSR_MEDELEG    = 12'h302,
    CSR_MIDELEG    = 12'h303,
    CSR_MIE        = 12'h304,
    CSR_MTVEC      = 12'h305,
    CSR_MCOUNTEREN = 12'h306,
    CSR_MENVCFG    = 12'h30A,
    CSR_MCOUNTINHIBIT = 12'h320,
    CSR_MSCRATCH   = 12'h340,
    CSR_MEPC       = 12'h341,
    CSR_MCAUSE     = 12'h342,
    CSR_MTVAL      = 12'h343,
    CSR_MIP        = 12'h344,
    CSR_TSELECT    = 12'h7A0,
    CSR_TDATA1     = 12'h7A1,
    CSR_TDATA2     = 12'h7A2,
    CSR_TDATA3     = 12'h7A3,
    CSR_MCYCLE     = 12'hB00,
    CSR_MINSTRET   = 12'hB02,
    CSR_CYCLE      = 12'hC00,
    CSR_TIME       = 12'hC01,
    CSR_INSTRET    = 12'hC02,
    CSR_MVENDORID  = 12'hF11,
    CSR_MARCHID    = 12'hF12,
    CSR_MIMPID     = 12'hF13,
    CSR_MHARTID    = 12'hF14,
    CSR_MCONFIGPTR = 12'hF15
  } csr_addr_e;

  // PMP: entries, and pmpaddr width (physical address bits 55:2).
  localparam int unsigned PMP_ENTRIES = 16;
  localparam int unsigned PMP_ADDR_W = 54;
  localparam logic [11:0] CSR_PMPADDR0 = 12'h3B0;
  localparam logic [1:0] PMP_A_OFF = 2'd0, PMP_A_TOR = 2'd1, PMP_A_NA4 = 2'd2, PMP_A_NAPOT = 2'd3;

  // pmpcfg0 and pmpcfg2, packed (entry i in element i).
  typedef logic [PMP_ENTRIES-1:0][7:0] pmp_cfgs_t;

  // Zihpm: mhpmcounter3 .. mhpmcounter(3+HPM_COUNTERS-1) count the event their
  // mhpmevent selects; the remaining counters up to 31 are hardwired to zero.
  localparam int unsigned HPM_COUNTERS = 16;
  localparam logic [11:0] CSR_MHPMCOUNTER3 = 12'hB03;
  localparam logic [11:0] CSR_HPMCOUNTER3  = 12'hC03;
  localparam logic [11:0] CSR_MHPMEVENT3   = 12'h323;

  // Events a programmable counter can count (mhpmevent value); the MMU's are exported to
  // the harness too. README.md's counter table lists them with their Linux perf names.
  typedef enum logic [7:0] {
    HPM_EVENT_NONE              = 8'd0,
    HPM_EVENT_CYCLES            = 8'd1,
    HPM_EVENT_INSTRET           = 8'd2,
    HPM_EVENT_LOADS             = 8'd3,
    HPM_EVENT_STORES            = 8'd4,
    HPM_EVENT_TRAPS             = 8'd5,
    HPM_EVENT_BRANCHES_TAKEN    = 8'd6,
    HPM_EVENT_ITLB_ACCESS       = 8'd7,
    HPM_EVENT_ITLB_MISS         = 8'd8,   // iTLB-load-misses
    HPM_EVENT_DTLB_LOAD_ACCESS  = 8'd9,   // dTLB-loads
    HPM_EVENT_DTLB_LOAD_MISS    = 8'd10,  // dTLB-load-misses
    HPM_EVENT_DTLB_STORE_ACCESS = 8'd11,  // dTLB-stores
    HPM_EVENT_DTLB_STORE_MISS   = 8'd12,  // dTLB-store-misses
    HPM_EVENT_L2TLB_HIT         = 8'd13,
    HPM_EVENT_L2TLB_MISS        = 8'd14,
    HPM_EVENT_WALKS             = 8'd15,
    HPM_EVENT_WALK_CYCLES       = 8'd16,
    HPM_EVENT_WALK_READS        = 8'd17,
    HPM_EVENT_PWC_HIT           = 8'd18,
    HPM_EVENT_PWC_MISS          = 8'd19,
    HPM_EVENT_WALK_LEAF_4K      = 8'd20,
    HPM_EVENT_WALK_LEAF_2M      = 8'd21,
    HPM_EVENT_WALK_LEAF_1G      = 8'd22,
    HPM_EVENT_WALK_LEAF_512G    = 8'd23,
    HPM_EVENT_WALK_FAULT        = 8'd24,
    HPM_EVENT_PAGE_FAULT_INSN   = 8'd25,
    HPM_EVENT_PAGE_FAULT_LOAD   = 8'd26,
    HPM_EVENT_PAGE_FAULT_STORE  = 8'd27,
    HPM_EVENT_SFENCE_VMA        = 8'd28,
    HPM_EVENT_TLB_ENTRIES_FLUSHED = 8'd29,  // counts entries, several per cycle
    HPM_EVENT_AD_UPDATES        = 8'd30,
    HPM_EVENT_XLATE_STALL_CYCLES = 8'd31
  } hpm_event_e;
  localparam int unsigned HPM_EVENTS = 32;
  // Bit of an event in an events vector.
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic logic [4:0] ev(hpm_event_e e);
    return e[4:0];
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  // misa: MXL = 2 (64-bit), extensions A, C, I, M, S, U.
  localparam logic [63:0] MISA_VALUE = (64'd2 << 62) | (64'd1 << 0) | (64'd1 << 2) | (64'd1 << 8)
                                     | (64'd1 << 12) | (64'd1 << 18) | (64'd1 << 20);

  // ---------------------------------------------------------------- MMU
  // satp.MODE values, and the virtual page number width the TLBs keep (Sv48's).
  localparam logic [3:0] SATP_BARE = 4'd0, SATP_SV39 = 4'd8, SATP_SV48 = 4'd9;
  localparam int unsigned VPN_W = 36;
  localparam int unsigned PPN_W = 44;
  localparam int unsigned ASID_W = 16;

  // ---------------------------------------------------------------- mstatus and satp
  // Field positions, written here only (the CSR file, the MMU and the pipeline read them).
  localparam int unsigned MSTATUS_SIE = 1, MSTATUS_MIE = 3, MSTATUS_SPIE = 5, MSTATUS_MPIE = 7,
                          MSTATUS_SPP = 8, MSTATUS_MPP = 11, MSTATUS_MPRV = 17, MSTATUS_SUM = 18,
                          MSTATUS_MXR = 19, MSTATUS_TVM = 20, MSTATUS_TW = 21, MSTATUS_TSR = 22,
                          MSTATUS_UXL = 32, MSTATUS_SXL = 34;  // MPP, UXL, SXL: two bits
  localparam int unsigned SATP_MODE = 60, SATP_ASID = 44;      // PPN: bits 43:0

  // The helpers below look at some bits of their argument only.
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic priv_e mstatus_mpp(logic [XLEN-1:0] mstatus);
    return priv_e'(mstatus[MSTATUS_MPP +: 2]);
  endfunction

  // The privilege loads and stores run with: MPRV makes M-mode's those of MPP.
  function automatic priv_e effective_data_priv(priv_e priv, logic [XLEN-1:0] mstatus);
    return (priv == PRIV_M && mstatus[MSTATUS_MPRV]) ? mstatus_mpp(mstatus) : priv;
  endfunction

  function automatic logic [3:0] satp_mode(logic [XLEN-1:0] satp);
    return satp[SATP_MODE +: 4];
  endfunction

  function automatic logic [ASID_W-1:0] satp_asid(logic [XLEN-1:0] satp);
    return satp[SATP_ASID +: ASID_W];
  endfunction

  function automatic logic [PPN_W-1:0] satp_ppn(logic [XLEN-1:0] satp);
    return satp[PPN_W-1:0];
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  // ---------------------------------------------------------------- page tables
  // PTE bits
  localparam int unsigned PTE_V = 0, PTE_R = 1, PTE_W = 2, PTE_X = 3, PTE_U = 4, PTE_G = 5,
                          PTE_A = 6, PTE_D = 7;

  typedef enum logic [1:0] { ACC_FETCH, ACC_LOAD, ACC_STORE, ACC_CBO } access_e;

  // A leaf translation, as the TLBs keep it.
  typedef struct packed {
    logic [VPN_W-1:0]  vpn;    // VA[47:12]
    logic [1:0]        level;  // 0: 4 KiB, 1: 2 MiB, 2: 1 GiB, 3: 512 GiB
    logic [ASID_W-1:0] asid;
    logic [PPN_W-1:0]  ppn;
    logic [7:0]        flags;  // PTE bits 7:0 (D A G U X W R V)
  } tlb_entry_t;

  // The helpers below look at some fields of an entry only. They have no local
  // variables: Verilator clears those at every call site in every evaluation, called
  // or not, which made the TLB searches cost every cycle.
  /* verilator lint_off UNUSEDSIGNAL */
  // Does a TLB entry map va for this ASID? Only the VPN bits above its level count.
  function automatic logic tlb_match(tlb_entry_t e, logic [VPN_W-1:0] vpn, logic [ASID_W-1:0] asid);
`ifdef COSIM_MUTANT_TLB_ASID_IGNORED
    return ((e.vpn ^ vpn) & ({VPN_W{1'b1}} << (9 * e.level))) == '0;
`elsif COSIM_MUTANT_TLB_GLOBAL_IGNORED
    return e.asid == asid
        && ((e.vpn ^ vpn) & ({VPN_W{1'b1}} << (9 * e.level))) == '0;
`else
    return (e.flags[PTE_G] || e.asid == asid)
        && ((e.vpn ^ vpn) & ({VPN_W{1'b1}} << (9 * e.level))) == '0;
`endif
  endfunction

  // The leaf PTE a TLB entry holds (RSW and bits 54 and up are not kept).
  function automatic logic [XLEN-1:0] tlb_pte(tlb_entry_t e);
    return {10'd0, e.ppn, 2'b00, e.flags};
  endfunction

  // Physical address of va through a leaf entry: the low 9*level VPN bits pass through.
  function automatic logic [XLEN-1:0] tlb_paddr(tlb_entry_t e, logic [XLEN-1:0] va);
    return {8'd0, (e.ppn & ({PPN_W{1'b1}} << (9 * e.level)))
                | (PPN_W'(va[XLEN-1:12]) & ~({PPN_W{1'b1}} << (9 * e.level))), va[11:0]};
  endfunction

  /* verilator lint_on UNUSEDSIGNAL */

  // What the MMU did this cycle, for the harness: TLB lookups (its TLB model replays
  // them), the walk that ended (its software walker re-walks it) and sfence.vma.
  typedef struct packed {
    logic              ilookup;
    logic [XLEN-1:0]   ivaddr;
    logic              dlookup;
    logic [XLEN-1:0]   dvaddr;
    access_e           daccess;
    logic              walk_start;     // the walker looks up the L2 TLB and walk cache
    logic              walk_done;
    logic              walk_port;      // 0 fetch, 1 data
    logic              walk_discard;   // an sfence.vma raced the walk: nothing cached
    xfault_e           walk_fault;
    logic              walk_filled;    // the result went into the TLBs
    logic              walk_walked;    // read the page table (not an L2 TLB hit)
    logic [1:0]        walk_level;
    logic [XLEN-1:0]   walk_vaddr;
    logic [XLEN-1:0]   walk_satp;
    access_e           walk_access;
    priv_e             walk_priv;
    logic              walk_sum;
    logic              walk_mxr;
    logic              walk_adue;
    logic [XLEN-1:0]   walk_pte;
    logic [XLEN-1:0]   walk_pte_addr;
    logic [2:0]        walk_reads;
    logic [XLEN-1:0]   satp;
    logic              sfence;
    logic              sfence_rs1;
    logic              sfence_rs2;
    logic [XLEN-1:0]   sfence_vaddr;
    logic [XLEN-1:0]   sfence_asid;
  } mmu_trace_t;

  // Permission check of a leaf (spec step 5): may this access use it?
  // U pages are U's; S reaches them with SUM for data only (S never runs U pages).
  function automatic logic leaf_user_ok(logic [7:0] f, access_e acc, priv_e priv, logic sum);
`ifdef COSIM_MUTANT_U_BIT_IGNORED
    return priv == PRIV_U ? 1'b1 : !f[PTE_U] || (sum && acc != ACC_FETCH);
`else
    return priv == PRIV_U ? f[PTE_U] : !f[PTE_U] || (sum && acc != ACC_FETCH);
`endif
  endfunction

  function automatic logic leaf_permits(logic [7:0] f, access_e acc, priv_e priv, logic sum, logic mxr);
    unique case (acc)
`ifdef COSIM_MUTANT_X_NOT_CHECKED
      ACC_FETCH: return leaf_user_ok(f, acc, priv, sum);
`else
      ACC_FETCH: return leaf_user_ok(f, acc, priv, sum) && f[PTE_X];
`endif
      ACC_LOAD:  return leaf_user_ok(f, acc, priv, sum) && (f[PTE_R] || (mxr && f[PTE_X]));
      ACC_CBO:   return leaf_user_ok(f, acc, priv, sum) && (f[PTE_R] || f[PTE_W]);
`ifdef COSIM_MUTANT_W_NOT_CHECKED
      default:   return leaf_user_ok(f, acc, priv, sum);
`else
      default:   return leaf_user_ok(f, acc, priv, sum) && f[PTE_W];
`endif
    endcase
  endfunction

  // Do the A/D bits let the access through (Svade), or would it need an update?
  function automatic logic leaf_ad_ok(logic [7:0] f, access_e acc);
    return f[PTE_A] && (acc != ACC_STORE || f[PTE_D]);
  endfunction

  // ---------------------------------------------------------------- assertions
  // A failed assertion (`COSIM_ASSERT, cosim_assert.svh) reports here: the harness
  // (harness/src/model/shim_impl.h) stops the run with the cycle, file:line and message.
  import "DPI-C" function void cosim_assertion_failed(input string file, input int line,
                                                      input string message);

endpackage
