//! Why a run did not end with the program's own exit.

use crate::axi::AxiError;
use crate::loader::ElfError;
use crate::lockstep::Divergence;
use crate::memory::MapError;
use std::fmt::Write as _;
use std::path::PathBuf;

/// The last retired instructions, as (pc, instruction bits), oldest first.
pub type PcHistory = Vec<(u64, u32)>;

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error(transparent)]
    Elf(#[from] ElfError),
    #[error("bad memory map: {0}")]
    MemoryMap(#[from] MapError),
    #[error("cannot write {}: {reason}", path.display())]
    Output {
        path: PathBuf,
        reason: std::io::Error,
    },
    #[error("watchdog: no architectural progress for {idle} cycles (at cycle {cycle}); the program hangs\n{}", format_pcs(.last))]
    Watchdog {
        cycle: u64,
        idle: u64,
        last: PcHistory,
    },
    #[error("trap loop: exception cause {cause} taken at pc {pc:#018x} {repeats} times in a row (at cycle {cycle}); the handler returns to the faulting instruction\n{}", format_pcs(.last))]
    TrapLoop {
        cycle: u64,
        pc: u64,
        cause: u8,
        repeats: u64,
        last: PcHistory,
    },
    #[error("cycle limit of {cycle} cycles reached without an exit\n{}", format_pcs(.last))]
    CycleLimit { cycle: u64, last: PcHistory },
    #[error("AXI protocol violation at cycle {cycle}: {error}\n{}", format_pcs(.last))]
    Axi {
        cycle: u64,
        error: AxiError,
        last: PcHistory,
    },
    #[error("RTL assertion failed at cycle {cycle}: {file}:{line}: {message}\n{}", format_pcs(.last))]
    Assertion {
        cycle: u64,
        file: String,
        line: u32,
        message: String,
        last: PcHistory,
    },
    #[error("{0}")]
    Divergence(Box<Divergence>),
    #[error("{0}")]
    Translation(Box<crate::mmu::TranslationMismatch>),
    #[error(transparent)]
    PmemImage(#[from] crate::memory::ImageError),
    #[error("calibration: {0}")]
    Calibration(String),
    #[error("{violation}\n{}", format_pcs(.last))]
    Protocol {
        violation: crate::axi::Violation,
        last: PcHistory,
    },
    #[error("the guest failed at cycle {cycle}: {line}")]
    GuestFailure { cycle: u64, line: String },
    #[error("cannot place {len} bytes at {addr:#x}: outside DRAM and pmem")]
    Preload { addr: u64, len: u64 },
    #[error("interrupted by {} at cycle {cycle}", crate::signals::name(*.signal))]
    Interrupted { cycle: u64, signal: i32 },
    #[error("unsupported HTIF command tohost = {value:#018x} at cycle {cycle} (only exit and console are implemented)")]
    HtifUnsupported { cycle: u64, value: u64 },
}

impl SimError {
    /// The check that stopped the run, by a stable name (`check` in the run's JSON;
    /// `cosim mutants` reports a mutant's killer by it). Errors of the input or the
    /// environment are `input`.
    pub fn check(&self) -> &'static str {
        match self {
            SimError::Divergence(_) => "lockstep",
            SimError::Translation(_) => "translation",
            SimError::Assertion { .. } => "assertion",
            SimError::Axi { .. } | SimError::Protocol { .. } => "axi-protocol",
            SimError::Watchdog { .. } => "watchdog",
            SimError::TrapLoop { .. } => "trap-loop",
            SimError::CycleLimit { .. } => "cycle-limit",
            SimError::GuestFailure { .. } => "guest",
            SimError::HtifUnsupported { .. } => "htif",
            SimError::Interrupted { .. } => "interrupted",
            SimError::Elf(_)
            | SimError::MemoryMap(_)
            | SimError::Output { .. }
            | SimError::PmemImage(_)
            | SimError::Calibration(_)
            | SimError::Preload { .. } => "input",
        }
    }
}

fn format_pcs(last: &PcHistory) -> String {
    let mut s = String::from("last retired instructions (oldest first):");
    if last.is_empty() {
        s.push_str(" none");
    }
    for (pc, insn) in last {
        let _ = write!(s, "\n  pc {pc:#018x}  insn {insn:#010x}");
    }
    s
}
