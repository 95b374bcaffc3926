//! Characters typed into the guest: cosim's stdin, read by a thread of its own so
//! that the cycle loop never waits for it. Nothing is read until the guest first asks
//! for a character (an HTIF console read).

use std::io::Read;
use std::sync::mpsc::{channel, Receiver};

pub struct ConsoleInput {
    bytes: Receiver<u8>,
}

impl ConsoleInput {
    /// Starts reading cosim's stdin.
    pub fn stdin() -> Self {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut stdin = std::io::stdin().lock();
            let mut buf = [0u8; 256];
            // End of input or an error ends the thread: no more characters.
            while let Ok(n @ 1..) = stdin.read(&mut buf) {
                if buf[..n].iter().any(|&b| tx.send(b).is_err()) {
                    return;
                }
            }
        });
        Self { bytes: rx }
    }

    /// The next character typed, if one is there now (none after end of input).
    pub fn take(&mut self) -> Option<u8> {
        self.bytes.try_recv().ok()
    }
}
