// The MMU's geometry: build.rs passes it to Verilator as soc_top's parameters (`-G`),
// and the harness's TLB model uses the same values. One definition, two users (this
// file is `include!`d by build.rs, so it holds plain items only).

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

/// The default geometry: L1 TLBs like CVA6's, a walk cache like Rocket's. A build
/// with `COSIM_MMU` set (e.g. `COSIM_MMU=pwc=0,l2=0`) changes it; see
/// [`MmuParams::parse_overrides`].
pub const DEFAULT_MMU_PARAMS: MmuParams = MmuParams {
    itlb_entries: 16,
    dtlb_entries: 16,
    l2_entries: 64,
    pwc_entries: 8,
};

/// The most entries a TLB or the walk cache may have: an sfence.vma reports the entries
/// it flushed in 8 bits (the RTL checks the same bound at elaboration).
pub const MAX_ENTRIES: usize = 128;

impl MmuParams {
    /// `self` with the `key=value` pairs of `spec` applied (keys itlb, dtlb, l2, pwc;
    /// comma-separated). Sizes are powers of two from 2 to [`MAX_ENTRIES`]; l2 and pwc may be 0 (absent).
    pub fn parse_overrides(mut self, spec: &str) -> Result<MmuParams, String> {
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("`{pair}` is not key=value"))?;
            let n: usize = value
                .parse()
                .map_err(|_| format!("`{value}` is not a number (in `{pair}`)"))?;
            let (slot, may_be_absent) = match key {
                "itlb" => (&mut self.itlb_entries, false),
                "dtlb" => (&mut self.dtlb_entries, false),
                "l2" => (&mut self.l2_entries, true),
                "pwc" => (&mut self.pwc_entries, true),
                _ => return Err(format!("unknown key `{key}` (itlb, dtlb, l2, pwc)")),
            };
            if !(n >= 2 && n.is_power_of_two() && n <= MAX_ENTRIES || n == 0 && may_be_absent) {
                return Err(format!(
                    "{key}={n}: entries must be a power of two from 2 to {MAX_ENTRIES}{}",
                    if may_be_absent { ", or 0" } else { "" }
                ));
            }
            *slot = n;
        }
        Ok(self)
    }

    /// Every size as `key=value` pairs, the input of [`Self::parse_overrides`].
    #[allow(dead_code)] // build.rs includes this file too and has no use for it
    pub fn overrides(&self) -> String {
        format!(
            "itlb={},dtlb={},l2={},pwc={}",
            self.itlb_entries, self.dtlb_entries, self.l2_entries, self.pwc_entries
        )
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_are_checked() {
        let p = DEFAULT_MMU_PARAMS
            .parse_overrides("pwc=0, l2=128,itlb=8")
            .unwrap();
        assert_eq!(
            (p.itlb_entries, p.dtlb_entries, p.l2_entries, p.pwc_entries),
            (8, 16, 128, 0)
        );
        assert_eq!(
            DEFAULT_MMU_PARAMS.parse_overrides(""),
            Ok(DEFAULT_MMU_PARAMS)
        );
        for bad in [
            "itlb=0", "dtlb=12", "l2=1", "pwc", "x=4", "pwc=many", "l2=512",
        ] {
            assert!(DEFAULT_MMU_PARAMS.parse_overrides(bad).is_err(), "{bad}");
        }
    }
}
