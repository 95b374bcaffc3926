//! HTIF, the Berkeley host-target interface, as far as riscv-tests-style binaries use
//! it: the target writes a command into the 64-bit `tohost` word in memory and the
//! host answers through `fromhost`. Their addresses come from the ELF's symbols.
//!
//! A command is `device << 56 | cmd << 48 | payload` (48-bit payload). Handled:
//! - device 0 (syscall), cmd 0, payload bit 0 set: exit with code `payload >> 1`;
//! - device 1 (console), cmd 1: print `payload & 0xff`;
//! - device 1 (console), cmd 0: read a character. As Spike does, the host takes the
//!   request at once and answers later, when a character is there, with
//!   `fromhost = 1 << 56 | ch` (the simulation delivers it: [`SimEvent::ConsoleRead`]).
//!
//! Everything else (the device-0 syscall proxy with bit 0 clear, other devices) is
//! reported as [`SimEvent::HtifUnsupported`] so the run stops loudly.
//!
//! As Spike's fesvr does, the host clears `tohost` to 0 once it has taken a command,
//! whatever the command; that is also what makes riscv-tests' `write_tohost` loop
//! (low word, then high word, repeated) report its exit only once. Spike's console
//! answers a write with `fromhost = 1 << 56 | 1 << 48 | 0x100 | ch` (the response
//! keeps the command's device and cmd bytes; `bcd_t::handle_write` responds
//! `0x100 | ch`); we write the same value when `fromhost` exists. Software only
//! tests it for non-zero before clearing it again.

use super::SimEvent;
use crate::memory::{PhysAddr, SystemBus};

const PAYLOAD_MASK: u64 = (1 << 48) - 1;

/// A decoded `tohost` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HtifCommand {
    /// `tohost` is 0: nothing to do.
    Idle,
    /// The test finished with this exit code.
    Exit(i64),
    /// A console character.
    PutChar(u8),
    /// A request for a console character.
    GetChar,
    /// Not implemented; carries the raw value.
    Unsupported(u64),
}

impl HtifCommand {
    /// Decodes a raw `tohost` value.
    pub fn decode(value: u64) -> Self {
        let device = value >> 56;
        let cmd = (value >> 48) & 0xff;
        let payload = value & PAYLOAD_MASK;
        match (device, cmd) {
            _ if value == 0 => HtifCommand::Idle,
            (0, 0) if payload & 1 == 1 => HtifCommand::Exit((payload >> 1) as i64),
            (1, 1) => HtifCommand::PutChar(payload as u8),
            (1, 0) => HtifCommand::GetChar,
            _ => HtifCommand::Unsupported(value),
        }
    }
}

/// Where HTIF's mailboxes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Htif {
    pub tohost: PhysAddr,
    pub fromhost: Option<PhysAddr>,
}

impl Htif {
    /// HTIF with the given mailbox addresses (from the ELF symbols).
    pub fn new(tohost: PhysAddr, fromhost: Option<PhysAddr>) -> Self {
        Self { tohost, fromhost }
    }

    /// True when a write of the `strb` lanes of the 8-byte word at `word` changes any
    /// byte of `tohost`. Two compares: this runs after every memory write beat.
    #[inline]
    pub fn touched_by(&self, word: u64, strb: u8) -> bool {
        if strb == 0 {
            return false;
        }
        let first = word + u64::from(strb.trailing_zeros());
        let end = word + 8 - u64::from(strb.leading_zeros());
        first < self.tohost.raw() + 8 && self.tohost.raw() < end
    }

    /// Takes the command in `tohost`, if any: raises its event, clears `tohost` and
    /// answers console writes through `fromhost`.
    pub fn service(&self, bus: &mut SystemBus) {
        // tohost is inside memory (the loader checked the symbol); a failed read
        // can only mean a misconfigured harness, and then there is nothing to take.
        let Ok(value) = bus.read_u64(self.tohost) else {
            return;
        };
        let command = HtifCommand::decode(value);
        if command == HtifCommand::Idle {
            return;
        }
        let _ = bus.write_u64(self.tohost, 0);
        bus.push_event(SimEvent::HostWrote {
            addr: self.tohost.raw(),
            value: 0,
        });
        match command {
            HtifCommand::Idle => {}
            HtifCommand::Exit(code) => bus.push_event(SimEvent::Exit(code)),
            HtifCommand::PutChar(ch) => {
                bus.push_event(SimEvent::Console(ch));
                if let Some(fromhost) = self.fromhost {
                    let response = (value & !PAYLOAD_MASK) | 0x100 | u64::from(ch);
                    let _ = bus.write_u64(fromhost, response);
                    bus.push_event(SimEvent::HostWrote {
                        addr: fromhost.raw(),
                        value: response,
                    });
                }
            }
            HtifCommand::GetChar => bus.push_event(SimEvent::ConsoleRead),
            HtifCommand::Unsupported(raw) => bus.push_event(SimEvent::HtifUnsupported(raw)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::MemoryMap;

    const TOHOST: u64 = 0x8000_1000;
    const FROMHOST: u64 = 0x8000_1040;

    fn bus(fromhost: Option<u64>) -> SystemBus {
        let mut b = SystemBus::new(MemoryMap::default());
        b.set_htif(Some(Htif::new(PhysAddr(TOHOST), fromhost.map(PhysAddr))));
        b
    }

    fn events(b: &mut SystemBus) -> Vec<SimEvent> {
        b.drain_events().collect()
    }

    /// The host cleared `tohost` (what follows every command it takes).
    const CLEARED: SimEvent = SimEvent::HostWrote {
        addr: TOHOST,
        value: 0,
    };

    #[test]
    fn decode_commands() {
        assert_eq!(HtifCommand::decode(0), HtifCommand::Idle);
        assert_eq!(HtifCommand::decode(1), HtifCommand::Exit(0));
        assert_eq!(HtifCommand::decode((5 << 1) | 1), HtifCommand::Exit(5));
        assert_eq!(
            HtifCommand::decode((1 << 56) | (1 << 48) | 0x41),
            HtifCommand::PutChar(b'A')
        );
        // The syscall proxy: a pointer to a magic_mem block, bit 0 clear.
        assert_eq!(
            HtifCommand::decode(0x8000_2000),
            HtifCommand::Unsupported(0x8000_2000)
        );
        // Console read, and an unknown device.
        assert_eq!(HtifCommand::decode(1 << 56), HtifCommand::GetChar);
        let other = (2 << 56) | 1;
        assert_eq!(HtifCommand::decode(other), HtifCommand::Unsupported(other));
    }

    #[test]
    fn touches_only_tohost_bytes() {
        let h = Htif::new(PhysAddr(TOHOST), None);
        assert!(h.touched_by(TOHOST, 0xff));
        assert!(h.touched_by(TOHOST, 0x10));
        assert!(!h.touched_by(TOHOST, 0));
        assert!(!h.touched_by(TOHOST + 8, 0xff));
        assert!(!h.touched_by(TOHOST - 8, 0xff));
        // An unaligned tohost straddles two words.
        let u = Htif::new(PhysAddr(TOHOST + 4), None);
        assert!(u.touched_by(TOHOST, 0x10));
        assert!(!u.touched_by(TOHOST, 0x0f));
        assert!(u.touched_by(TOHOST + 8, 0x08));
        assert!(!u.touched_by(TOHOST + 8, 0x10));
    }

    #[test]
    fn riscv_tests_pass_and_fail() {
        let mut b = bus(None);
        // write_tohost: `sw TESTNUM, tohost; sw zero, tohost+4`, here for a pass.
        b.write_beat(PhysAddr(TOHOST), 1, 0x0f).unwrap();
        b.write_beat(PhysAddr(TOHOST + 4), 0, 0xf0).unwrap();
        assert_eq!(events(&mut b), [CLEARED, SimEvent::Exit(0)]);
        assert_eq!(b.read_u64(PhysAddr(TOHOST)).unwrap(), 0);
        // Test 3 failed: TESTNUM = 3 << 1 | 1.
        b.write_beat(PhysAddr(TOHOST), 7, 0xff).unwrap();
        assert_eq!(events(&mut b), [CLEARED, SimEvent::Exit(3)]);
    }

    #[test]
    fn console_clears_tohost_and_answers_fromhost() {
        let mut b = bus(Some(FROMHOST));
        let cmd = (1u64 << 56) | (1 << 48) | u64::from(b'x');
        b.write_beat(PhysAddr(TOHOST), cmd, 0xff).unwrap();
        let answer = (1 << 56) | (1 << 48) | 0x100 | u64::from(b'x');
        assert_eq!(
            events(&mut b),
            [
                CLEARED,
                SimEvent::Console(b'x'),
                SimEvent::HostWrote {
                    addr: FROMHOST,
                    value: answer
                }
            ]
        );
        assert_eq!(b.read_u64(PhysAddr(TOHOST)).unwrap(), 0);
        assert_eq!(b.read_u64(PhysAddr(FROMHOST)).unwrap(), answer);
        // Without fromhost only tohost is cleared.
        let mut b = bus(None);
        b.write_beat(PhysAddr(TOHOST), cmd, 0xff).unwrap();
        assert_eq!(events(&mut b), [CLEARED, SimEvent::Console(b'x')]);
        assert_eq!(b.read_u64(PhysAddr(FROMHOST)).unwrap(), 0);
    }

    #[test]
    fn unsupported_commands_end_the_run() {
        let mut b = bus(Some(FROMHOST));
        b.write_beat(PhysAddr(TOHOST), 0x8000_2000, 0xff).unwrap();
        let ev = events(&mut b);
        assert_eq!(ev, [CLEARED, SimEvent::HtifUnsupported(0x8000_2000)]);
        assert!(ev[1].ends_run());
    }

    #[test]
    fn other_writes_and_host_writes_are_ignored() {
        let mut b = bus(None);
        b.write_beat(PhysAddr(TOHOST + 8), 1, 0xff).unwrap();
        // Host-side writes (the ELF loader) never trigger HTIF.
        b.write_bytes(PhysAddr(TOHOST), &1u64.to_le_bytes())
            .unwrap();
        assert!(!b.has_events());
        // Writing zero to tohost is idle.
        b.write_beat(PhysAddr(TOHOST), 0, 0xff).unwrap();
        assert!(!b.has_events());
    }

    #[test]
    fn console_reads_are_taken_and_left_to_the_simulation() {
        let mut b = bus(Some(FROMHOST));
        b.write_beat(PhysAddr(TOHOST), 1 << 56, 0xff).unwrap();
        assert_eq!(events(&mut b), [CLEARED, SimEvent::ConsoleRead]);
        assert_eq!(b.read_u64(PhysAddr(TOHOST)).unwrap(), 0);
        assert_eq!(b.read_u64(PhysAddr(FROMHOST)).unwrap(), 0);
    }
}
