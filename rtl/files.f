// RTL sources in compile order (packages first). Read by harness/build.rs and by lint:
//   verilator --lint-only -Wall --top-module soc_top -f rtl/files.f   (from rtl/)
pkg/cosim_pkg.sv
core/compressed_decoder.sv
core/decoder.sv
core/regfile.sv
core/alu.sv
core/muldiv.sv
core/pmp.sv
core/pmp_csrs.sv
core/hpm_counters.sv
core/csr_file.sv
mmu/plru_tree.sv
mmu/replacement.sv
mmu/tlb.sv
mmu/walk_cache.sv
mmu/ptw.sv
mmu/xlate_port.sv
mmu/mmu.sv
core/fetch_unit.sv
core/lsu.sv
core/cosim_core.sv
bus/axi_master.sv
soc/clint.sv
soc/soc_top.sv
