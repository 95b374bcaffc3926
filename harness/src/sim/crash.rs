//! Crash-consistency testing: a program that keeps its state in pmem is run again
//! and again from the same pmem image, each run cut by a power failure at a seeded
//! random cycle, then once to completion. The program is expected to check its own
//! pmem state at start (exit code 0 when consistent; any other code names what is
//! broken), as `tests/asm/pmem_log.S` does for a persistent log.

use super::{random_power_fail_cycle, run_elf_file, RunConfig, SimError};
use std::path::{Path, PathBuf};

/// What a crash-consistency test found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrashReport {
    /// Runs cut by the power failure (the others ended before their cycle).
    pub power_failures: u64,
    /// Write bursts the power failures took back (not yet durable).
    pub lost_writes: usize,
    /// The first run that found its pmem state broken: (run, exit code); `None` when
    /// every run, and the final one, found it consistent.
    pub broken: Option<(u64, i64)>,
}

impl CrashReport {
    pub fn consistent(&self) -> bool {
        self.broken.is_none()
    }
}

/// Runs `elf` `points` times with power failures at cycles drawn from `seed`,
/// `seed + 1`, ... in `1..=within`, over the pmem image `image` (created empty when
/// missing), then once without; `cfg` gives everything else (profile, persistence,
/// checks). `progress` is told after each run.
pub fn crash_test(
    elf: &Path,
    image: &Path,
    cfg: &RunConfig,
    points: u64,
    seed: u64,
    within: u64,
    progress: &mut dyn FnMut(u64),
) -> Result<CrashReport, SimError> {
    let cfg_at = |power_fail_at| RunConfig {
        pmem_image: Some(PathBuf::from(image)),
        power_fail_at,
        ..cfg.clone()
    };
    let mut report = CrashReport {
        power_failures: 0,
        lost_writes: 0,
        broken: None,
    };
    for k in 0..=points {
        let at = (k < points).then(|| random_power_fail_cycle(seed.wrapping_add(k), within));
        let out = run_elf_file(elf, &cfg_at(at))?;
        match out.power_fail {
            Some(pf) => {
                report.power_failures += 1;
                report.lost_writes += pf.lost_writes;
            }
            None if out.exit_code != 0 => {
                report.broken = Some((k, out.exit_code));
                return Ok(report);
            }
            None => {}
        }
        progress(k);
    }
    Ok(report)
}
