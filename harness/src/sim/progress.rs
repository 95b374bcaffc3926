//! Periodic progress reports of a running simulation.

use std::time::Duration;

/// A snapshot handed to the progress callback of [`crate::sim::Simulation::run`].
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    pub cycles: u64,
    pub instret: u64,
    pub elapsed: Duration,
}

impl Progress {
    /// Simulated clock cycles per host second, in MHz.
    pub fn simulated_mhz(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.cycles as f64 / secs / 1e6
        } else {
            0.0
        }
    }
}
