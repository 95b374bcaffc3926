//! The report of the first difference between the RTL and the reference.

use crate::model::RetirePort;
use crate::sim::format_retire;
use std::fmt;

/// One field that differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub what: String,
    pub rtl: String,
    pub reference: String,
}

/// Everything needed to see what went wrong, and where.
#[derive(Clone, Debug)]
pub struct Divergence {
    pub cycle: u64,
    pub reference: &'static str,
    pub retired: RetirePort,
    pub mismatches: Vec<Mismatch>,
    pub rtl_regs: [u64; 32],
    pub ref_regs: [u64; 32],
    /// The instructions retired before this one, oldest first.
    pub history: Vec<(u64, RetirePort)>,
}

impl fmt::Display for Divergence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = &self.retired;
        writeln!(
            f,
            "lockstep divergence from {} at cycle {}, instruction #{} (pc {:#018x}, insn {:#010x})",
            self.reference, self.cycle, r.order, r.pc_rdata, r.insn
        )?;
        writeln!(f, "  {:<14} {:<22} {}", "", "rtl", self.reference)?;
        for m in &self.mismatches {
            writeln!(f, "  {:<14} {:<22} {}", m.what, m.rtl, m.reference)?;
        }
        writeln!(
            f,
            "registers after it (rtl / {}; * marks a difference):",
            self.reference
        )?;
        for i in 1..32 {
            let mark = if self.rtl_regs[i] == self.ref_regs[i] {
                ' '
            } else {
                '*'
            };
            writeln!(
                f,
                " {mark}x{i:<2} {:#018x} / {:#018x}",
                self.rtl_regs[i], self.ref_regs[i]
            )?;
        }
        writeln!(
            f,
            "last {} retired instructions (oldest first):",
            self.history.len()
        )?;
        for (cycle, h) in &self.history {
            writeln!(f, "  {}", format_retire(*cycle, h))?;
        }
        write!(f, "  {}  <- diverged", format_retire(self.cycle, r))
    }
}
