//! SIMCTRL: the harness's control device at 0x1000_0000 (4 KiB).
//!
//! | offset | name    | write                                  |
//! |--------|---------|----------------------------------------|
//! | 0x000  | CONSOLE | low byte is a console character         |
//! | 0x008  | EXIT    | ends the run; exit code = low 32 bits   |
//! | 0x010  | PHASE   | phase marker with the 64-bit value      |
//!
//! Every register reads as 0. Each register is one 64-bit word; a narrower store
//! writes the strobed bytes and the others count as zero. A write to any other
//! offset is refused (SLVERR), so a firmware typo shows up instead of vanishing.

use super::SimEvent;
use std::collections::VecDeque;

/// Base address of SIMCTRL.
pub const SIMCTRL_BASE: u64 = 0x1000_0000;
/// Size of the SIMCTRL window.
pub const SIMCTRL_SIZE: u64 = 0x1000;

/// Register offsets.
pub const CONSOLE: u64 = 0x000;
pub const EXIT: u64 = 0x008;
pub const PHASE: u64 = 0x010;

/// The SIMCTRL device. Stateless today; a struct so that state (e.g. an input
/// console) has a home.
#[derive(Clone, Copy, Debug, Default)]
pub struct SimCtrl;

impl SimCtrl {
    /// Reads the 8-byte word at `offset` (8-aligned): always 0.
    #[inline]
    pub fn read(&self, _offset: u64) -> u64 {
        0
    }

    /// Writes the strobed lanes of `data` to the word at `offset` (8-aligned).
    pub fn write(
        &mut self,
        offset: u64,
        data: u64,
        strb: u8,
        events: &mut VecDeque<SimEvent>,
    ) -> Result<(), &'static str> {
        // An all-zero strobe is a legal AXI beat that writes nothing.
        if strb == 0 {
            return Ok(());
        }
        let value = data & crate::memory::bus::lane_mask(strb);
        match offset {
            CONSOLE => {
                if strb & 0x01 != 0 {
                    events.push_back(SimEvent::Console(value as u8));
                }
            }
            EXIT => {
                if strb & 0x0f != 0 {
                    events.push_back(SimEvent::Exit(i64::from(value as u32 as i32)));
                }
            }
            PHASE => events.push_back(SimEvent::Phase(value)),
            _ => return Err("no SIMCTRL register at this offset"),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_raise_events() {
        let mut dev = SimCtrl;
        let mut q = VecDeque::new();
        dev.write(CONSOLE, 0xffff_ff48, 0x01, &mut q).unwrap();
        dev.write(EXIT, 0xdead_0000_ffff_fffd, 0xff, &mut q)
            .unwrap();
        dev.write(PHASE, 0x1234_5678_9abc_def0, 0xff, &mut q)
            .unwrap();
        dev.write(PHASE, 0x1234_5678_9abc_def0, 0x0f, &mut q)
            .unwrap();
        assert_eq!(
            q.drain(..).collect::<Vec<_>>(),
            [
                SimEvent::Console(b'H'),
                SimEvent::Exit(-3),
                SimEvent::Phase(0x1234_5678_9abc_def0),
                SimEvent::Phase(0x9abc_def0),
            ]
        );
        assert!(SimEvent::Exit(0).ends_run());
        assert!(!SimEvent::Phase(1).ends_run());
    }

    #[test]
    fn empty_strobes_and_other_lanes_do_nothing() {
        let mut dev = SimCtrl;
        let mut q = VecDeque::new();
        dev.write(EXIT, 1, 0, &mut q).unwrap();
        dev.write(CONSOLE, 0x4100, 0x02, &mut q).unwrap();
        dev.write(EXIT, 1 << 40, 0x20, &mut q).unwrap();
        assert!(q.is_empty());
        assert_eq!(dev.read(EXIT), 0);
    }

    #[test]
    fn unknown_offsets_are_refused() {
        let mut dev = SimCtrl;
        let mut q = VecDeque::new();
        assert!(dev.write(0x18, 1, 0xff, &mut q).is_err());
        assert!(q.is_empty());
    }
}
