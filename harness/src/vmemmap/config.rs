//! The firmware's configuration and results blocks (`VMEMMAP_CONFIG`,
//! `VMEMMAP_RESULT`, laid out in firmware/src/vmemmap/config.rs).

use serde::Serialize;

/// `VMEMMAP_CONFIG.magic`: the bytes "VMEMMAP1".
pub const CONFIG_MAGIC: u64 = u64::from_le_bytes(*b"VMEMMAP1");
/// `VMEMMAP_RESULT.result_magic`: the bytes "VMMRES01".
pub const RESULT_MAGIC: u64 = u64::from_le_bytes(*b"VMMRES01");

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

impl VmemmapConfig {
    /// The block as the firmware reads it.
    pub fn to_bytes(&self) -> Vec<u8> {
        [
            CONFIG_MAGIC,
            self.mode.code(),
            u64::from(self.compound_shift),
            self.pmem_size,
            self.paging,
            self.struct_page_size,
            self.iterations,
            self.seed,
        ]
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .collect()
    }
}

/// `VMEMMAP_RESULT`, word by word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VmemmapResult {
    pub status: u64,
    pub vmemmap_frames: u64,
    pub vmemmap_table_pages: u64,
    pub struct_pages_written: u64,
    pub vmemmap_start: u64,
    pub root_ppn: u64,
    pub satp: u64,
    pub vmemmap_start_pfn: u64,
    pub populated_as: u64,
    pub vmemmap_pte_leaves: u64,
    pub vmemmap_pmd_leaves: u64,
    pub kernel_table_pages: u64,
    pub device_start_pfn: u64,
    pub device_end_pfn: u64,
    pub first_data_pfn: u64,
    pub altmap_pfns: u64,
    pub result_magic: u64,
}

/// Words in the results block.
pub const RESULT_WORDS: usize = 29;

impl VmemmapResult {
    /// Decodes the block from its words (see the firmware's layout table).
    pub fn from_words(w: &[u64; RESULT_WORDS]) -> Self {
        VmemmapResult {
            status: w[0],
            vmemmap_frames: w[1],
            vmemmap_table_pages: w[2],
            struct_pages_written: w[3],
            vmemmap_start: w[4],
            root_ppn: w[5],
            satp: w[6],
            vmemmap_start_pfn: w[7],
            populated_as: w[8],
            vmemmap_pte_leaves: w[9],
            vmemmap_pmd_leaves: w[10],
            kernel_table_pages: w[11],
            device_start_pfn: w[12],
            device_end_pfn: w[13],
            first_data_pfn: w[14],
            altmap_pfns: w[15],
            result_magic: w[28],
        }
    }
}
