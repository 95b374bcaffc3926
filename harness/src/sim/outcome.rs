//! What a finished run reports.

use crate::counters::Counters;
use crate::memory::timing::MemCounters;
use crate::mmu::TlbCheckReport;

/// A run that ended with the program's own exit (SIMCTRL or HTIF).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunOutcome {
    /// The program's exit code (0 = pass), in full: HTIF carries 47 bits, SIMCTRL a
    /// signed 32-bit word. See [`process_status`] for cosim's own exit status.
    pub exit_code: i64,
    /// Everything the program printed.
    pub console: Vec<u8>,
    /// Clock cycles from the end of reset to the exit.
    pub cycles: u64,
    /// Instructions retired without a trap.
    pub instret: u64,
    /// What lockstep checked, when it was on.
    pub lockstep: Option<LockstepSummary>,
    /// Every event counter of the SoC, from reset to the exit.
    pub counters: Counters,
    /// The run was ended by an injected power failure (`exit_code` is then
    /// [`EXIT_POWER_FAIL`]).
    pub power_fail: Option<PowerFail>,
    /// The phases the program marked (SIMCTRL PHASE), each with its own counts.
    pub phases: Vec<super::Phase>,
    /// The memory model's counters, when it ran with a timing profile.
    pub memory: Option<MemCounters>,
    /// Walks the translation check re-walked (0 when it was off), and the PTE-read
    /// access faults it had to take on trust (no PMP model without lockstep).
    pub translations_checked: u64,
    pub translations_unconfirmed: u64,
    /// Walks an sfence.vma raced (nothing they read was cached).
    pub walks_discarded: u64,
    /// The counter check's comparison, when it was on.
    pub tlb_check: Option<TlbCheckReport>,
}

/// Exit code of `cosim` when the harness itself fails the run (bad input, watchdog,
/// cycle limit, a check): a program's own exit code is passed through.
pub const EXIT_HARNESS_ERROR: i32 = 3;

/// Exit code of a run ended by an injected power failure.
pub const EXIT_POWER_FAIL: i32 = 4;

/// cosim's exit status when the program exited with code `code` does not fit in a
/// process status (above 255 or negative): the message and the JSON give the code.
pub const EXIT_CODE_OUT_OF_RANGE: i32 = 255;

/// The process status for a program's exit code: the code itself in 0..=255, else
/// [`EXIT_CODE_OUT_OF_RANGE`], so that no non-zero code can be truncated into a pass.
pub fn process_status(code: i64) -> i32 {
    match code {
        0..=255 => code as i32,
        _ => EXIT_CODE_OUT_OF_RANGE,
    }
}

/// An injected power failure: when, and how many pmem write bursts it took back
/// (those not yet in the persistence domain).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PowerFail {
    pub cycle: u64,
    pub lost_writes: usize,
}

/// What the lockstep checker did in a run that ended without a divergence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockstepSummary {
    pub reference: &'static str,
    /// Retired instructions (trapping ones included) compared with the reference.
    pub checked: u64,
    /// How often each sync rule copied a value into the reference, by rule name.
    pub rules: Vec<(&'static str, u64)>,
}

impl std::fmt::Display for LockstepSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "lockstep: {} instructions checked against {}",
            self.checked, self.reference
        )?;
        let used: Vec<String> = self
            .rules
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(name, n)| format!("{name} x{n}"))
            .collect();
        if !used.is_empty() {
            write!(f, "; sync rules applied: {}", used.join(", "))?;
        }
        Ok(())
    }
}

impl RunOutcome {
    /// The console output as text (lossy for non-UTF-8 bytes).
    pub fn console_text(&self) -> String {
        String::from_utf8_lossy(&self.console).into_owned()
    }
}
