//! The firmware's configuration as the harness chooses it. The blocks themselves
//! (`VMEMMAP_CONFIG`, `VMEMMAP_RESULT`) are defined once, in `vmem::vmemmap_abi`.

use serde::Serialize;
pub use vmem::vmemmap_abi::{Config, Result as VmemmapResult, CONFIG_MAGIC, RESULT_MAGIC};

/// Words in the results block.
pub const RESULT_WORDS: usize = VmemmapResult::WORDS;

/// How the vmemmap of the device is populated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// A 4 KiB frame per vmemmap page (vmemmap_populate_basepages).
    Base,
    /// 2 MiB PMD leaves (RISC-V's vmemmap_populate).
    Huge,
    /// vmemmap_populate_compound_pages: two frames per compound page.
    Dax,
    /// The vmemmap in the device itself; no optimization.
    Altmap,
}

impl Mode {
    pub fn code(self) -> u64 {
        self as u64
    }

    pub fn from_code(code: u64) -> Option<Mode> {
        [Mode::Base, Mode::Huge, Mode::Dax, Mode::Altmap]
            .get(code as usize)
            .copied()
    }
}

/// One configuration of the firmware.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct VmemmapConfig {
    pub mode: Mode,
    /// log2 of the device-dax alignment (compound page): 12, 21 or 30.
    pub compound_shift: u32,
    pub pmem_size: u64,
    /// satp.MODE: 8 Sv39, 9 Sv48.
    pub paging: u64,
    pub struct_page_size: u64,
    pub iterations: u64,
    pub seed: u64,
}

/// What a configuration that RISC-V Linux 6.12 cannot set up is marked with.
pub const NOT_REACHABLE: &str = "not reachable on RISC-V Linux 6.12";

/// Why: the 1 GiB alignment's runs are the generic arithmetic only.
pub const NOT_REACHABLE_WHY: &str = "RISC-V Linux 6.12 cannot set up a 1 GiB device-dax alignment \
    (nd_pfn offers 4K and 2M only; no PUD THP): these runs show the generic arithmetic";

/// Whether Linux 6.12 on RISC-V can set up a device-dax alignment of `1 << shift`
/// bytes: nd_pfn offers 4 KiB and 2 MiB only (no PUD-sized THP), so a 1 GiB compound
/// page is the generic arithmetic (x86 can build it), not something this kernel builds.
pub fn reachable_on_riscv_linux(compound_shift: u32) -> bool {
    compound_shift <= 21
}

impl VmemmapConfig {
    /// The block as the firmware reads it.
    pub fn to_bytes(&self) -> Vec<u8> {
        Config {
            magic: CONFIG_MAGIC,
            mode: self.mode.code(),
            compound_shift: u64::from(self.compound_shift),
            pmem_size: self.pmem_size,
            paging: self.paging,
            struct_page_size: self.struct_page_size,
            iterations: self.iterations,
            seed: self.seed,
        }
        .to_words()
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .collect()
    }
}
