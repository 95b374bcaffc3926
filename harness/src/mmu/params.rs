// The MMU's geometry: build.rs passes these to Verilator as soc_top's parameters
// (`-G`), and the harness's TLB model uses the same values. One definition, two users
// (this file is `include!`d by build.rs, so it holds plain items only).

/// Sizes of the MMU's caches of translations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MmuParams {
    /// ITLB entries (fully associative, tree-PLRU).
    pub itlb_entries: usize,
    /// DTLB entries.
    pub dtlb_entries: usize,
    /// Shared L2 TLB entries; 0: no L2 TLB.
    pub l2_entries: usize,
    /// Page-walk-cache entries (non-leaf PTEs); 0: no walk cache.
    pub pwc_entries: usize,
}

/// The geometry the SoC is built with: L1 TLBs like CVA6's, a walk cache like Rocket's.
pub const MMU_PARAMS: MmuParams = MmuParams {
    itlb_entries: 16,
    dtlb_entries: 16,
    l2_entries: 64,
    pwc_entries: 8,
};

impl MmuParams {
    /// soc_top's parameters, as Verilator `-G` options.
    pub fn verilator_flags(&self) -> Vec<String> {
        vec![
            format!("-GITLB_ENTRIES={}", self.itlb_entries),
            format!("-GDTLB_ENTRIES={}", self.dtlb_entries),
            format!("-GL2_ENTRIES={}", self.l2_entries),
            format!("-GPWC_ENTRIES={}", self.pwc_entries),
        ]
    }
}
