//! What a device tells the simulation loop.

/// An event raised by a write to a device (SIMCTRL) or to HTIF's `tohost`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimEvent {
    /// A character for the console.
    Console(u8),
    /// The software ended the run with this exit code (0 = pass).
    Exit(i64),
    /// The software entered a phase; counters are attributed to it from here on.
    Phase(u64),
    /// The host wrote `value` into the HTIF mailbox word at `addr` (clearing
    /// `tohost`, answering through `fromhost`): lockstep's reference learns it.
    HostWrote { addr: u64, value: u64 },
    /// The software asked for a console character (HTIF): answer through `fromhost`
    /// once one is there.
    ConsoleRead,
    /// A `tohost` command the harness does not implement (e.g. the device-0 syscall
    /// proxy); the run must stop with an error showing the raw value.
    HtifUnsupported(u64),
}

impl SimEvent {
    /// True for the events after which the run cannot go on.
    pub fn ends_run(&self) -> bool {
        matches!(self, SimEvent::Exit(_) | SimEvent::HtifUnsupported(_))
    }
}
