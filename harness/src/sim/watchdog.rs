//! Detects a run that no longer makes progress, and remembers the last PCs retired so
//! that a hung or failed run can say where it was.

use crate::model::RetirePort;

/// How many retired PCs a failure report shows.
pub const PC_HISTORY: usize = 16;

/// Progress is a retired instruction that changed architectural state: wrote memory or
/// changed a register's value. A loop that only re-reads unchanging state (`j .`, a
/// deadlocked pipeline) makes none and is ended after the watchdog's window. A loop
/// polling memory that a device changes does make progress once the value it loads
/// changes.
///
/// A trap loop is an exception whose handler returns (`mret`/`sret`) to the very
/// instruction that trapped, which traps again: the handler writes memory each time,
/// so it looks like progress. [`TRAP_LOOP_LIMIT`] such returns in a row end the run.
/// An exception the handler services and returns past (an `ecall` of an SBI console
/// printing one character, made again and again from one site) is not a loop.
pub const TRAP_LOOP_LIMIT: u64 = 100_000;

/// `mret` and `sret`: the instructions a handler returns with.
const MRET: u32 = 0x3020_0073;
const SRET: u32 = 0x1020_0073;

pub struct Watchdog {
    window: u64,
    /// The last exception (pc, cause) and how many times in a row it was taken.
    last_trap: (u64, u8),
    trap_repeats: u64,
    /// The instruction retired last was a handler's return to `last_trap`'s pc.
    returned_to_trap: bool,
    last_progress: u64,
    regs: [u64; 32],
    history: [(u64, u32); PC_HISTORY],
    next: usize,
    recorded: usize,
}

impl Watchdog {
    pub fn new(window: u64) -> Self {
        Self {
            window,
            last_progress: 0,
            last_trap: (u64::MAX, 0),
            trap_repeats: 0,
            returned_to_trap: false,
            // The first write to each register counts as progress.
            regs: [u64::MAX; 32],
            history: [(0, 0); PC_HISTORY],
            next: 0,
            recorded: 0,
        }
    }

    /// Notes one retired instruction at `cycle`.
    #[inline]
    pub fn retire(&mut self, cycle: u64, r: &RetirePort) {
        self.history[self.next] = (r.pc_rdata, r.insn);
        self.next = (self.next + 1) % PC_HISTORY;
        self.recorded = (self.recorded + 1).min(PC_HISTORY);
        if r.trap {
            // Interrupts recur by design; only exceptions can form a trap loop.
            if !r.trap_interrupt {
                let trap = (r.pc_rdata, r.trap_cause);
                self.trap_repeats = if trap == self.last_trap && self.returned_to_trap {
                    self.trap_repeats + 1
                } else {
                    1
                };
                self.last_trap = trap;
                self.returned_to_trap = false;
            }
            return;
        }
        self.returned_to_trap = matches!(r.insn, MRET | SRET) && r.pc_wdata == self.last_trap.0;
        let rd = r.rd_addr as usize & 31;
        let changed_reg = rd != 0 && self.regs[rd] != r.rd_wdata;
        if changed_reg {
            self.regs[rd] = r.rd_wdata;
        }
        if changed_reg || r.mem_wmask != 0 {
            self.last_progress = cycle;
        }
    }

    /// The trap loop the run is stuck in, if any: (pc, cause, times in a row).
    pub fn trap_loop(&self) -> Option<(u64, u8, u64)> {
        (self.trap_repeats >= TRAP_LOOP_LIMIT).then_some((
            self.last_trap.0,
            self.last_trap.1,
            self.trap_repeats,
        ))
    }

    /// True when the window has passed without progress.
    #[inline]
    pub fn expired(&self, cycle: u64) -> bool {
        cycle - self.last_progress > self.window
    }

    /// Cycles since the last progress.
    pub fn idle_cycles(&self, cycle: u64) -> u64 {
        cycle - self.last_progress
    }

    /// The last retired (pc, instruction) pairs, oldest first.
    pub fn last_retired(&self) -> Vec<(u64, u32)> {
        let start = (self.next + PC_HISTORY - self.recorded) % PC_HISTORY;
        (0..self.recorded)
            .map(|i| self.history[(start + i) % PC_HISTORY])
            .collect()
    }
}
