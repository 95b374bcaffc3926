//! The verilated SoC behind a safe Rust type.

mod bridge;

// Links the Verilator runtime that the model objects call into.
extern crate verilated;

pub use bridge::ffi::{
    AssertionFailure, AxiMasterPort, AxiSlavePort, MmuPort, RetirePort, SocOutputs,
};

use cxx::UniquePtr;
use std::path::Path;

/// Reset cycles applied before the first instruction.
const RESET_CYCLES: u32 = 4;

/// One verilated SoC instance (fast, or writing an FST waveform).
pub struct Model {
    inner: UniquePtr<bridge::ffi::SocModel>,
    finished: bool,
}

impl Model {
    /// The speed-optimized model.
    pub fn fast() -> Self {
        Self {
            inner: bridge::ffi::new_fast_model(),
            finished: false,
        }
    }

    /// The model with the RTL's assertions (`COSIM_ASSERT`) evaluated, writing no
    /// waveform. Slower than [`Self::fast`], which is built without them.
    pub fn checked() -> Self {
        Self {
            inner: bridge::ffi::new_checked_model(),
            finished: false,
        }
    }

    /// The traced model (assertions evaluated too), writing every cycle from `from_cycle` on to an FST file at
    /// `path`.
    pub fn traced(path: &Path, from_cycle: u64) -> Self {
        let path = path.to_string_lossy();
        Self {
            inner: bridge::ffi::new_traced_model(&path, from_cycle),
            finished: false,
        }
    }

    /// Resets the SoC with `boot_addr` as the reset vector.
    pub fn reset(&mut self, boot_addr: u64) {
        self.inner.pin_mut().reset(boot_addr, RESET_CYCLES);
    }

    /// One clock cycle: drive the slave side, get what the SoC drove at the edge.
    #[inline]
    pub fn cycle(&mut self, inputs: &AxiSlavePort, outputs: &mut SocOutputs) {
        self.inner.pin_mut().cycle(inputs, outputs);
    }

    /// The first RTL assertion that failed, once `SocOutputs::assertion_failed` said so.
    pub fn assertion_failure(&self) -> AssertionFailure {
        self.inner.assertion_failure()
    }

    /// Flushes the waveform (if any). Also done on drop.
    pub fn finish(&mut self) {
        if !self.finished {
            self.finished = true;
            self.inner.pin_mut().finish();
        }
    }
}

impl Drop for Model {
    fn drop(&mut self) {
        self.finish();
    }
}
