//! The vmemmap firmware's contract with the harness, defined once for both: the
//! configuration block the harness writes before reset (`VMEMMAP_CONFIG`) and the
//! results block it reads after the exit (`VMEMMAP_RESULT`).
//!
//! Both blocks are `#[repr(C)]` sequences of little-endian `u64`s, found through
//! their symbols in the ELF; the offsets below are part of the harness contract.
//!
//! # `VMEMMAP_CONFIG` (64 bytes)
//!
//! | offset | field | values |
//! |---|---|---|
//! | 0x00 | `magic` | [`CONFIG_MAGIC`] (`"VMEMMAP1"` as little-endian bytes); anything else ends the run with status [`STATUS_BAD_MAGIC`] |
//! | 0x08 | `mode` | 0 `base`, 1 `huge`, 2 `dax`, 3 `altmap` |
//! | 0x10 | `compound_shift` | log2 of the device-dax compound page: 12 (4 KiB), 21 (2 MiB), 30 (1 GiB) |
//! | 0x18 | `pmem_size` | bytes of pmem the device covers from `0x1_0000_0000`: a multiple of 128 MiB (a section) and of the compound size, at most 1 TiB, and within the direct map (Sv39: at most 126 GiB) |
//! | 0x20 | `paging` | `satp.MODE`: 8 Sv39, 9 Sv48 |
//! | 0x28 | `struct_page_size` | 64, or 56 (RISC-V without CONFIG_MEMCG: not a power of two, so `dax` falls back to `huge`) |
//! | 0x30 | `iterations` | workload size: pfn lookups in phases 3 and 4 each, and the most compound pages phases 5 and 6 visit; 0 skips the workloads |
//! | 0x38 | `seed` | xorshift64 seed of phase 4 (0 is replaced by [`DEFAULT_SEED`]) |
//!
//! The ELF's default ([`Config::DEFAULT`]): `dax`, 2 MiB compound pages, 4 GiB pmem,
//! Sv39, 64-byte struct pages, 4096 iterations.
//!
//! # `VMEMMAP_RESULT` (29 × 8 = 232 bytes)
//!
//! | offset | field | meaning |
//! |---|---|---|
//! | 0x00 | `status` | [`STATUS_OK`] 0 = every phase passed; [`STATUS_NOT_STARTED`] (the ELF's value) = main never ran; [`STATUS_RUNNING`] 1 = the run stopped in between (a trap: see the console); else one of the `STATUS_*` errors, which is also the exit code |
//! | 0x08 | `vmemmap_frames` | 4 KiB frames of vmemmap data allocated (a 2 MiB PMD block counts 512), from DRAM or, for `altmap`, from pmem |
//! | 0x10 | `vmemmap_table_pages` | page-table pages allocated while populating the vmemmap range |
//! | 0x18 | `struct_pages_written` | struct pages initialized (each written in full) |
//! | 0x20 | `vmemmap_start` | `VMEMMAP_START`: the VA of the struct page of `vmemmap_start_pfn` |
//! | 0x28 | `root_ppn` | `satp.PPN`: the root page table, for the harness's own walk |
//! | 0x30 | `satp` | the whole `satp` value the run used |
//! | 0x38 | `vmemmap_start_pfn` | so that pfn `P`'s struct page is at `vmemmap_start + (P - vmemmap_start_pfn) * struct_page_size` |
//! | 0x40 | `populated_as` | the mode actually built, numbered as `mode`: `dax` that Linux would not optimize (56-byte struct pages, 4 KiB compound pages) reports 1 (`huge`) |
//! | 0x48 | `vmemmap_pte_leaves` | 4 KiB PTEs written for the vmemmap (aliased ones included) |
//! | 0x50 | `vmemmap_pmd_leaves` | 2 MiB PMD leaves written for the vmemmap |
//! | 0x58 | `kernel_table_pages` | page-table pages of everything else (root, identity map, direct map) |
//! | 0x60 | `device_start_pfn` | first pfn of the pmem device |
//! | 0x68 | `device_end_pfn` | one past its last pfn |
//! | 0x70 | `first_data_pfn` | first pfn initialized as a device page: `device_start_pfn`, or after the memmap for `altmap` |
//! | 0x78 | `altmap_pfns` | pmem pfns the altmap gave to the vmemmap, alignment padding included |
//! | 0x80 | `seq_lookups` | phase 3: pfn lookups checked |
//! | 0x88 | `random_lookups` | phase 4: pfn lookups checked |
//! | 0x90 | `faults` | phase 5: compound pages "faulted" |
//! | 0x98 | `lines_read` | phase 6: 64-byte lines of pmem read |
//! | 0xa0 | `data_checksum` | phase 6: wrapping sum of the words read |
//! | 0xa8 | `last_phase` | the last phase started (1..6) |
//! | 0xb0 | `phase_cycles[6]` | `cycle` CSR delta of phases 1..6 |
//! | 0xe0 | `result_magic` | [`RESULT_MAGIC`] once the block is final (any status) |

/// `VMEMMAP_CONFIG.mode` of `dax`, the default (modes: 0 base, 1 huge, 2 dax, 3 altmap).
pub const MODE_DAX: u64 = 2;

/// `VMEMMAP_CONFIG.magic`: the bytes `"VMEMMAP1"`.
pub const CONFIG_MAGIC: u64 = u64::from_le_bytes(*b"VMEMMAP1");
/// `VMEMMAP_RESULT.result_magic`: the bytes `"VMMRES01"`.
pub const RESULT_MAGIC: u64 = u64::from_le_bytes(*b"VMMRES01");
/// The xorshift seed used when the configuration says 0 (xorshift needs non-zero).
pub const DEFAULT_SEED: u64 = 0x9e37_79b9_7f4a_7c15;

/// Every phase passed.
pub const STATUS_OK: u64 = 0;
/// Set when `main` starts; left there if the run dies (a trap) before finishing.
pub const STATUS_RUNNING: u64 = 1;
/// The value in the ELF: the firmware never started.
pub const STATUS_NOT_STARTED: u64 = u64::MAX;
/// `magic` is not [`CONFIG_MAGIC`]: the harness and firmware disagree on the layout.
pub const STATUS_BAD_MAGIC: u64 = 16;
/// A field has a value outside its range (the console says which).
pub const STATUS_BAD_CONFIG: u64 = 17;
/// DRAM (or the altmap) ran out of frames for the vmemmap or page tables.
pub const STATUS_NO_MEMORY: u64 = 18;
/// A workload found a struct page that is not what the build and init wrote.
pub const STATUS_CHECK_FAILED: u64 = 19;

/// The configuration block (see the module documentation for the layout).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    pub magic: u64,
    pub mode: u64,
    pub compound_shift: u64,
    pub pmem_size: u64,
    pub paging: u64,
    pub struct_page_size: u64,
    pub iterations: u64,
    pub seed: u64,
}

impl Config {
    /// The run an unconfigured image does: dax, 2 MiB compound pages, 4 GiB, Sv39, 64 B.
    pub const DEFAULT: Config = Config {
        magic: CONFIG_MAGIC,
        mode: MODE_DAX,
        compound_shift: 21,
        pmem_size: 4 << 30,
        paging: 8,
        struct_page_size: 64,
        iterations: 4096,
        seed: DEFAULT_SEED,
    };
}

/// The results block (see the module documentation for the layout).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Result {
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
    pub seq_lookups: u64,
    pub random_lookups: u64,
    pub faults: u64,
    pub lines_read: u64,
    pub data_checksum: u64,
    pub last_phase: u64,
    pub phase_cycles: [u64; 6],
    pub result_magic: u64,
}

impl Result {
    /// The value in the ELF.
    pub const INITIAL: Result = Result {
        status: STATUS_NOT_STARTED,
        vmemmap_frames: 0,
        vmemmap_table_pages: 0,
        struct_pages_written: 0,
        vmemmap_start: 0,
        root_ppn: 0,
        satp: 0,
        vmemmap_start_pfn: 0,
        populated_as: 0,
        vmemmap_pte_leaves: 0,
        vmemmap_pmd_leaves: 0,
        kernel_table_pages: 0,
        device_start_pfn: 0,
        device_end_pfn: 0,
        first_data_pfn: 0,
        altmap_pfns: 0,
        seq_lookups: 0,
        random_lookups: 0,
        faults: 0,
        lines_read: 0,
        data_checksum: 0,
        last_phase: 0,
        phase_cycles: [0; 6],
        result_magic: 0,
    };
}

const _: () = assert!(core::mem::size_of::<Config>() == 64);
const _: () = assert!(core::mem::size_of::<Result>() == 29 * 8);
const _: () = assert!(core::mem::offset_of!(Result, phase_cycles) == 0xb0);
const _: () = assert!(core::mem::offset_of!(Result, result_magic) == 0xe0);

impl Config {
    /// Words in the block.
    pub const WORDS: usize = 8;

    /// The block as the firmware reads it, word by word.
    pub fn to_words(&self) -> [u64; Self::WORDS] {
        [
            self.magic,
            self.mode,
            self.compound_shift,
            self.pmem_size,
            self.paging,
            self.struct_page_size,
            self.iterations,
            self.seed,
        ]
    }
}

impl Result {
    /// Words in the block.
    pub const WORDS: usize = 29;

    /// Decodes the block from its words, in layout order.
    pub fn from_words(w: &[u64; Self::WORDS]) -> Result {
        let mut phase_cycles = [0; 6];
        phase_cycles.copy_from_slice(&w[22..28]);
        Result {
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
            seq_lookups: w[16],
            random_lookups: w[17],
            faults: w[18],
            lines_read: w[19],
            data_checksum: w[20],
            last_phase: w[21],
            phase_cycles,
            result_magic: w[28],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_the_layout() {
        assert_eq!(Config::DEFAULT.to_words()[0], CONFIG_MAGIC);
        assert_eq!(Config::DEFAULT.to_words()[1], MODE_DAX);
        let words: [u64; Result::WORDS] = core::array::from_fn(|i| i as u64 + 100);
        let r = Result::from_words(&words);
        // Each field sits at its offset in the repr(C) block.
        assert_eq!(r.status, 100);
        assert_eq!(r.altmap_pfns, 100 + 0x78 / 8);
        assert_eq!(r.last_phase, 100 + 0xa8 / 8);
        assert_eq!(r.phase_cycles, [122, 123, 124, 125, 126, 127]);
        assert_eq!(r.result_magic, 100 + 0xe0 / 8);
    }
}
