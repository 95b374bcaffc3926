//! SIGINT and SIGTERM as a request to stop: the handler only records the signal;
//! the simulation loop and the workers of `cosim nightly` and `cosim report` look
//! at it, stop at the next cycle or run, and finish their outputs before cosim
//! exits with 128 + the signal's number (130 for SIGINT, 143 for SIGTERM).

use std::sync::atomic::{AtomicI32, Ordering};

/// The signal that asked cosim to stop, 0 while none has.
static RECEIVED: AtomicI32 = AtomicI32::new(0);

extern "C" fn record(signal: libc::c_int) {
    // An atomic store is async-signal-safe; everything else happens outside.
    RECEIVED.store(signal, Ordering::Relaxed);
}

/// Installs the handlers for SIGINT and SIGTERM (once, at start-up).
pub fn install() {
    for signal in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: `record` is async-signal-safe and lives for the whole process; the
        // sigaction struct is fully initialized (zeroed, then the handler set).
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = record as *const () as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
}

/// The signal that asked cosim to stop, if one has.
#[inline]
pub fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::Relaxed) {
        0 => None,
        signal => Some(signal),
    }
}

/// The exit status of a process stopped by `signal` (the shell's convention).
pub fn exit_status(signal: i32) -> i32 {
    128 + signal
}

/// The signal's name, for messages.
pub fn name(signal: i32) -> &'static str {
    match signal {
        libc::SIGINT => "SIGINT",
        libc::SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}

/// Passes `signal` on to the child process `pid` (it runs in our process group only
/// when started from a terminal; a scheduler's `kill` reaches us alone).
pub fn forward(pid: u32, signal: i32) {
    // SAFETY: kill(2) has no memory-safety preconditions.
    unsafe {
        libc::kill(pid as libc::pid_t, signal);
    }
}
