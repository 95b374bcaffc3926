//! QEMU as the ISA-level speed reference: `qemu-system-riscv64 -machine spike` runs
//! the same ELF (which must exit through HTIF `tohost`; the spike machine implements
//! it and exits with the program's code) and is timed by the wall clock, start-up
//! included — callers subtract a start-up measured separately.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use thiserror::Error;

/// The QEMU binary looked up on `PATH`.
pub const QEMU_BINARY: &str = "qemu-system-riscv64";

/// Why QEMU could not time a program.
#[derive(Debug, Error)]
pub enum QemuError {
    #[error(
        "{QEMU_BINARY} is not on PATH (scripts/setup installs it: apt package qemu-system-misc)"
    )]
    NotFound,
    #[error("writing the program for QEMU to {}: {reason}", path.display())]
    Write {
        path: PathBuf,
        reason: std::io::Error,
    },
    #[error("cannot run {}: {reason}", path.display())]
    Spawn {
        path: PathBuf,
        reason: std::io::Error,
    },
    #[error("QEMU did not finish within {} s (the program must exit through HTIF tohost)", timeout.as_secs())]
    Timeout { timeout: Duration },
    #[error("on QEMU the program ended with {status}, expected exit code {expected}{}", if stderr.is_empty() { String::new() } else { format!(": {stderr}") })]
    Status {
        status: std::process::ExitStatus,
        expected: i32,
        stderr: String,
    },
}

/// An installed `qemu-system-riscv64`.
#[derive(Clone, Debug)]
pub struct Qemu {
    path: PathBuf,
}

impl Qemu {
    /// The QEMU on `PATH`, if there is one.
    pub fn find() -> Result<Self, QemuError> {
        let path = std::env::var_os("PATH").ok_or(QemuError::NotFound)?;
        std::env::split_paths(&path)
            .map(|dir| dir.join(QEMU_BINARY))
            .find(|candidate| is_executable(candidate))
            .map(|path| Self { path })
            .ok_or(QemuError::NotFound)
    }

    /// Where the binary is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The shortest wall time of `runs` runs of `elf` (at least one), each from spawn
    /// to exit; the program must exit with `expected`. A run that takes longer than
    /// `timeout` is killed and is an error.
    pub fn best_time(
        &self,
        elf: &[u8],
        expected: i32,
        runs: u32,
        timeout: Duration,
    ) -> Result<Duration, QemuError> {
        let file = TempElf::write(elf)?;
        let mut best = Duration::MAX;
        for _ in 0..runs.max(1) {
            best = best.min(self.time_once(&file.0, expected, timeout)?);
        }
        Ok(best)
    }

    fn time_once(
        &self,
        elf: &Path,
        expected: i32,
        timeout: Duration,
    ) -> Result<Duration, QemuError> {
        let start = Instant::now();
        let mut child = Command::new(&self.path)
            .args([
                "-machine",
                "spike",
                "-nographic",
                "-bios",
                "none",
                "-kernel",
            ])
            .arg(elf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|reason| QemuError::Spawn {
                path: self.path.clone(),
                reason,
            })?;
        // Polling costs at most its interval, the same for every run, so it cancels
        // out with the start-up subtracted.
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|reason| QemuError::Spawn {
                path: self.path.clone(),
                reason,
            })? {
                break status;
            }
            if start.elapsed() > timeout {
                let _ = child.kill();
                let _ = child.wait();
                return Err(QemuError::Timeout { timeout });
            }
            std::thread::sleep(Duration::from_micros(200));
        };
        let elapsed = start.elapsed();
        // The exit status is the low 8 bits of the program's code.
        if status.code() != Some(expected & 0xff) {
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
            }
            return Err(QemuError::Status {
                status,
                expected,
                stderr: stderr.trim().to_string(),
            });
        }
        Ok(elapsed)
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A program written to a temporary file for QEMU, removed on drop.
struct TempElf(PathBuf);

impl TempElf {
    fn write(elf: &[u8]) -> Result<Self, QemuError> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "cosim-bench-{}-{}.elf",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&path, elf).map_err(|reason| QemuError::Write {
            path: path.clone(),
            reason,
        })?;
        Ok(Self(path))
    }
}

impl Drop for TempElf {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
