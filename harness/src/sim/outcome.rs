//! What a finished run reports.

/// A run that ended with the program's own exit (SIMCTRL or HTIF).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunOutcome {
    /// The program's exit code (0 = pass).
    pub exit_code: i32,
    /// Everything the program printed.
    pub console: Vec<u8>,
    /// Clock cycles from the end of reset to the exit.
    pub cycles: u64,
    /// Instructions retired without a trap.
    pub instret: u64,
}

impl RunOutcome {
    /// The console output as text (lossy for non-UTF-8 bytes).
    pub fn console_text(&self) -> String {
        String::from_utf8_lossy(&self.console).into_owned()
    }
}
