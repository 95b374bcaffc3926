//! Unit tests of the AXI4 protocol checker, driven edge by edge as the RTL and
//! the slave model would.

use super::*;

const FIXED: u8 = 0;
const INCR: u8 = 1;
const WRAP: u8 = 2;

/// A bench: the checker and both sides' signals, which a test sets before each
/// edge. Every READY is high unless a test lowers it.
struct Tb {
    chk: ProtocolChecker,
    cycle: u64,
    m: AxiMasterPort,
    s: AxiSlavePort,
}

impl Tb {
    fn new() -> Self {
        Self {
            chk: ProtocolChecker::new(),
            cycle: 0,
            m: AxiMasterPort {
                r_ready: true,
                b_ready: true,
                ..Default::default()
            },
            s: AxiSlavePort {
                ar_ready: true,
                aw_ready: true,
                w_ready: true,
                ..Default::default()
            },
        }
    }

    /// One edge. Then, as a well-behaved driver would, every VALID that made its
    /// handshake falls; a VALID still waiting stays up with its payload.
    fn step(&mut self) -> Result<(), Violation> {
        let result = self.chk.check(self.cycle, &self.m, &self.s);
        self.cycle += 1;
        let (m, s) = (&mut self.m, &mut self.s);
        m.ar_valid &= !s.ar_ready;
        m.aw_valid &= !s.aw_ready;
        m.w_valid &= !s.w_ready;
        s.r_valid &= !m.r_ready;
        s.b_valid &= !m.b_ready;
        result
    }

    /// One edge that must pass.
    fn ok(&mut self) {
        let cycle = self.cycle;
        if let Err(v) = self.step() {
            panic!("unexpected at edge {cycle}: {v}");
        }
    }

    fn idle(&mut self, cycles: u32) {
        for _ in 0..cycles {
            self.ok();
        }
    }

    /// One edge that must break `rule` on `channel` at this very edge.
    fn fails(&mut self, channel: Channel, rule: Rule) -> Violation {
        let cycle = self.cycle;
        self.fails_at(cycle, channel, rule)
    }

    /// One edge that must report `rule` on `channel`, blamed on edge `cycle`.
    fn fails_at(&mut self, cycle: u64, channel: Channel, rule: Rule) -> Violation {
        let now = self.cycle;
        let v = self
            .step()
            .expect_err(&format!("edge {now}: expected {channel}: {rule}"));
        assert_eq!((v.cycle, v.channel, v.rule), (cycle, channel, rule), "{v}");
        v
    }

    fn ar(&mut self, id: u8, addr: u64, len: u8, size: u8, burst: u8) {
        let m = &mut self.m;
        (
            m.ar_valid, m.ar_id, m.ar_addr, m.ar_len, m.ar_size, m.ar_burst,
        ) = (true, id, addr, len, size, burst);
    }

    fn aw(&mut self, id: u8, addr: u64, len: u8, size: u8, burst: u8) {
        let m = &mut self.m;
        (
            m.aw_valid, m.aw_id, m.aw_addr, m.aw_len, m.aw_size, m.aw_burst,
        ) = (true, id, addr, len, size, burst);
    }

    /// A W beat; the data is the edge number, to tell beats apart.
    fn w(&mut self, strb: u8, last: bool) {
        let m = &mut self.m;
        (m.w_valid, m.w_data, m.w_strb, m.w_last) = (true, self.cycle, strb, last);
    }

    fn r(&mut self, id: u8, last: bool) {
        let s = &mut self.s;
        (s.r_valid, s.r_id, s.r_data, s.r_resp, s.r_last) = (true, id, self.cycle, 0, last);
    }

    fn b(&mut self, id: u8) {
        let s = &mut self.s;
        (s.b_valid, s.b_id, s.b_resp) = (true, id, 0);
    }

    /// A full-width write burst: AW, then its beats one per edge.
    fn write(&mut self, id: u8, addr: u64, len: u8) {
        self.aw(id, addr, len, 3, INCR);
        self.ok();
        for n in 0..=len {
            self.w(0xff, n == len);
            self.ok();
        }
    }

    /// The beats of a read burst of `beats`, one per edge.
    fn read_data(&mut self, id: u8, beats: u32) {
        for n in 0..beats {
            self.r(id, n + 1 == beats);
            self.ok();
        }
    }
}

// ---------------------------------------------------------------------------
// Handshake stability (A3.2.1)

#[test]
fn ar_valid_dropped() {
    let mut tb = Tb::new();
    tb.s.ar_ready = false;
    tb.ar(2, 0x1000, 0, 3, INCR);
    tb.ok();
    tb.ok(); // still waiting
    tb.m.ar_valid = false;
    let v = tb.fails(Channel::Ar, Rule::ValidDropped);
    assert_eq!((v.id, v.addr), (Some(2), Some(0x1000)));
}

#[test]
fn aw_valid_dropped() {
    let mut tb = Tb::new();
    tb.s.aw_ready = false;
    tb.aw(1, 0x2000, 3, 3, INCR);
    tb.ok();
    tb.m.aw_valid = false;
    tb.fails(Channel::Aw, Rule::ValidDropped);
}

#[test]
fn w_valid_dropped() {
    let mut tb = Tb::new();
    tb.s.w_ready = false;
    tb.w(0xff, true);
    tb.ok();
    tb.m.w_valid = false;
    let v = tb.fails(Channel::W, Rule::ValidDropped);
    assert_eq!((v.id, v.addr), (None, None));
}

#[test]
fn r_valid_dropped() {
    let mut tb = Tb::new();
    tb.ar(4, 0x1000, 0, 3, INCR);
    tb.ok();
    tb.m.r_ready = false;
    tb.r(4, true);
    tb.ok();
    tb.s.r_valid = false;
    let v = tb.fails(Channel::R, Rule::ValidDropped);
    assert_eq!(v.id, Some(4));
}

#[test]
fn b_valid_dropped() {
    let mut tb = Tb::new();
    tb.write(5, 0x1000, 0);
    tb.m.b_ready = false;
    tb.b(5);
    tb.ok();
    tb.s.b_valid = false;
    tb.fails(Channel::B, Rule::ValidDropped);
}

#[test]
fn ar_payload_changed() {
    let mut tb = Tb::new();
    tb.s.ar_ready = false;
    tb.ar(2, 0x1000, 0, 3, INCR);
    tb.ok();
    tb.m.ar_addr = 0x1040;
    let rule = Rule::PayloadChanged {
        field: "ARADDR",
        was: 0x1000,
        now: 0x1040,
    };
    let v = tb.fails(Channel::Ar, rule);
    assert_eq!((v.id, v.addr), (Some(2), Some(0x1000)));
}

#[test]
fn ar_id_changed() {
    let mut tb = Tb::new();
    tb.s.ar_ready = false;
    tb.ar(2, 0x1000, 0, 3, INCR);
    tb.ok();
    tb.m.ar_id = 3;
    let rule = Rule::PayloadChanged {
        field: "ARID",
        was: 2,
        now: 3,
    };
    tb.fails(Channel::Ar, rule);
}

#[test]
fn aw_payload_changed() {
    let mut tb = Tb::new();
    tb.s.aw_ready = false;
    tb.aw(1, 0x2000, 3, 3, INCR);
    tb.ok();
    tb.m.aw_len = 1;
    let rule = Rule::PayloadChanged {
        field: "AWLEN",
        was: 3,
        now: 1,
    };
    tb.fails(Channel::Aw, rule);
}

#[test]
fn w_payload_changed() {
    let mut tb = Tb::new();
    tb.s.w_ready = false;
    tb.w(0xff, true);
    tb.ok();
    tb.m.w_data ^= 1;
    let rule = Rule::PayloadChanged {
        field: "WDATA",
        was: 0,
        now: 1,
    };
    tb.fails(Channel::W, rule);

    let mut tb = Tb::new();
    tb.s.w_ready = false;
    tb.w(0xff, false);
    tb.ok();
    tb.m.w_last = true;
    let rule = Rule::PayloadChanged {
        field: "WLAST",
        was: 0,
        now: 1,
    };
    tb.fails(Channel::W, rule);
}

#[test]
fn r_payload_changed() {
    let mut tb = Tb::new();
    tb.ar(4, 0x1000, 1, 3, INCR);
    tb.ok();
    tb.m.r_ready = false;
    tb.r(4, false);
    tb.s.r_data = 0x1234;
    tb.ok();
    tb.s.r_data = 0x5678;
    let rule = Rule::PayloadChanged {
        field: "RDATA",
        was: 0x1234,
        now: 0x5678,
    };
    tb.fails(Channel::R, rule);

    // RRESP counts too, although every value is legal.
    let mut tb = Tb::new();
    tb.ar(4, 0x1000, 0, 3, INCR);
    tb.ok();
    tb.m.r_ready = false;
    tb.r(4, true);
    tb.ok();
    tb.s.r_resp = 2;
    let rule = Rule::PayloadChanged {
        field: "RRESP",
        was: 0,
        now: 2,
    };
    tb.fails(Channel::R, rule);
}

#[test]
fn b_payload_changed() {
    let mut tb = Tb::new();
    tb.write(5, 0x1000, 0);
    tb.write(6, 0x2000, 0);
    tb.m.b_ready = false;
    tb.b(5);
    tb.ok();
    tb.s.b_id = 6;
    let rule = Rule::PayloadChanged {
        field: "BID",
        was: 5,
        now: 6,
    };
    let v = tb.fails(Channel::B, rule);
    assert_eq!(v.id, Some(5));
}

#[test]
fn ready_may_toggle_and_payload_may_change_after_the_handshake() {
    let mut tb = Tb::new();
    tb.ar(1, 0x1000, 0, 3, INCR);
    for ready in [false, true, false, false, true] {
        // Hold AR until the handshake, READY toggling meanwhile.
        tb.s.ar_ready = ready;
        if !tb.m.ar_valid {
            tb.ar(1, 0x1000, 0, 3, INCR);
        }
        tb.ok();
    }
    // A new request right after a handshake may differ in every field.
    tb.s.ar_ready = true;
    tb.ar(7, 0x2000, 3, 2, WRAP);
    tb.ok();
    assert_eq!(tb.chk.outstanding_reads(), 3);
}

#[test]
fn valid_may_wait_long() {
    let mut tb = Tb::new();
    tb.s.w_ready = false;
    tb.w(0x0f, true);
    tb.idle(50);
    tb.s.w_ready = true;
    tb.ok();
    assert!(!tb.m.w_valid);
}

// ---------------------------------------------------------------------------
// AR and AW bursts (A3.4.1), flagged as soon as VALID is high

#[test]
fn size_wider_than_bus() {
    let mut tb = Tb::new();
    tb.s.ar_ready = false;
    tb.ar(3, 0x1000, 0, 4, INCR);
    let v = tb.fails(Channel::Ar, Rule::Burst(AxiRule::SizeTooWide { size: 4 }));
    assert_eq!((v.id, v.addr), (Some(3), Some(0x1000)));

    let mut tb = Tb::new();
    tb.aw(3, 0x1000, 0, 7, INCR);
    tb.fails(Channel::Aw, Rule::Burst(AxiRule::SizeTooWide { size: 7 }));
}

#[test]
fn reserved_burst() {
    let mut tb = Tb::new();
    tb.aw(1, 0x1000, 0, 3, 3);
    tb.fails(
        Channel::Aw,
        Rule::Burst(AxiRule::ReservedBurst { burst: 3 }),
    );
}

#[test]
fn wrap_length() {
    for len in [0, 2, 4, 14, 31, 255] {
        let mut tb = Tb::new();
        tb.ar(0, 0x1000, len, 3, WRAP);
        let beats = u32::from(len) + 1;
        tb.fails(Channel::Ar, Rule::Burst(AxiRule::WrapLength { beats }));
    }
    let mut tb = Tb::new();
    for len in [1, 3, 7, 15] {
        tb.ar(0, 0x1000, len, 3, WRAP);
        tb.ok();
    }
}

#[test]
fn wrap_unaligned() {
    let mut tb = Tb::new();
    tb.aw(0, 0x14, 3, 3, WRAP);
    let rule = Rule::Burst(AxiRule::WrapUnaligned {
        addr: 0x14,
        bytes: 8,
    });
    tb.fails(Channel::Aw, rule);
    // Aligned to its own (narrower) size is fine.
    let mut tb = Tb::new();
    tb.aw(0, 0x14, 3, 2, WRAP);
    tb.ok();
}

#[test]
fn fixed_length() {
    let mut tb = Tb::new();
    tb.ar(0, 0x1000, 16, 3, FIXED);
    tb.fails(Channel::Ar, Rule::Burst(AxiRule::FixedLength { beats: 17 }));
    let mut tb = Tb::new();
    tb.ar(0, 0x1000, 15, 3, FIXED);
    tb.ok();
}

#[test]
fn incr_crossing_4k() {
    let mut tb = Tb::new();
    tb.ar(0, 0xff8, 1, 3, INCR);
    let rule = Rule::Burst(AxiRule::Crosses4K {
        first: 0xff8,
        last: 0x1007,
    });
    tb.fails(Channel::Ar, rule);

    let mut tb = Tb::new();
    tb.aw(0, 0x808, 255, 3, INCR);
    let rule = Rule::Burst(AxiRule::Crosses4K {
        first: 0x808,
        last: 0x1007,
    });
    tb.fails(Channel::Aw, rule);

    // Up to the boundary is fine, and an unaligned start adds no bytes at the end.
    let mut tb = Tb::new();
    for (addr, len, size) in [
        (0xff8, 0, 3),
        (0x800, 255, 3),
        (0xffd, 0, 3),
        (0xf01, 127, 1),
    ] {
        tb.ar(0, addr, len, size, INCR);
        tb.ok();
    }
    // FIXED and WRAP bursts never cross.
    tb.ar(0, 0xff8, 15, 3, FIXED);
    tb.ok();
}

#[test]
fn burst_checked_while_ready_low() {
    // Flagged at the first edge VALID is up, not at the handshake.
    let mut tb = Tb::new();
    tb.s.aw_ready = false;
    tb.idle(3);
    tb.aw(9, 0x20, 2, 3, WRAP);
    let v = tb.fails(Channel::Aw, Rule::Burst(AxiRule::WrapLength { beats: 3 }));
    assert_eq!(v.cycle, 3);
}

// ---------------------------------------------------------------------------
// W: WLAST and WSTRB

#[test]
fn wlast_early() {
    let mut tb = Tb::new();
    tb.aw(2, 0x1000, 3, 3, INCR);
    tb.ok();
    tb.w(0xff, false);
    tb.ok();
    tb.w(0xff, true);
    let v = tb.fails(
        Channel::W,
        Rule::Burst(AxiRule::WlastEarly { beat: 1, beats: 4 }),
    );
    assert_eq!((v.id, v.addr), (Some(2), Some(0x1000)));
}

#[test]
fn wlast_missing() {
    let mut tb = Tb::new();
    tb.aw(2, 0x1000, 1, 3, INCR);
    tb.ok();
    tb.w(0xff, false);
    tb.ok();
    tb.w(0xff, false);
    tb.fails(Channel::W, Rule::Burst(AxiRule::WlastMissing { beat: 1 }));

    // A single-beat burst: its only beat is the last.
    let mut tb = Tb::new();
    tb.aw(2, 0x1000, 0, 3, INCR);
    tb.w(0xff, false);
    tb.fails(Channel::W, Rule::Burst(AxiRule::WlastMissing { beat: 0 }));
}

#[test]
fn wlast_checked_when_a_late_aw_arrives() {
    // Beats 0 and 1 at edges 0 and 1 (WLAST on 1), AW of 3 beats at edge 3: the
    // violation is found at edge 3 and blamed on the beat at edge 1.
    let mut tb = Tb::new();
    tb.w(0xff, false);
    tb.ok();
    tb.w(0xff, true);
    tb.ok();
    tb.ok();
    tb.aw(6, 0x3000, 2, 3, INCR);
    let v = tb.fails_at(
        1,
        Channel::W,
        Rule::Burst(AxiRule::WlastEarly { beat: 1, beats: 3 }),
    );
    assert_eq!((v.id, v.addr), (Some(6), Some(0x3000)));

    // WLAST missing on the beat that turns out to be the last.
    let mut tb = Tb::new();
    for _ in 0..3 {
        tb.w(0xff, false);
        tb.ok();
    }
    tb.aw(6, 0x3000, 1, 3, INCR);
    tb.fails_at(
        1,
        Channel::W,
        Rule::Burst(AxiRule::WlastMissing { beat: 1 }),
    );
}

#[test]
fn wlast_of_the_second_burst_before_its_aw() {
    // The first AW takes the first two beats; the next ones wait for the second.
    let mut tb = Tb::new();
    tb.aw(1, 0x1000, 1, 3, INCR);
    tb.ok();
    for last in [false, true, true] {
        tb.w(0xff, last);
        tb.ok();
    }
    tb.aw(2, 0x2000, 1, 3, INCR);
    tb.fails_at(
        3,
        Channel::W,
        Rule::Burst(AxiRule::WlastEarly { beat: 0, beats: 2 }),
    );
}

#[test]
fn strobe_outside_narrow_lanes() {
    // Halfwords from 0x1002: lanes 0x0c, 0x30, 0xc0, 0x03.
    let mut tb = Tb::new();
    tb.aw(1, 0x1002, 3, 1, INCR);
    tb.ok();
    tb.w(0x0c, false);
    tb.ok();
    tb.w(0x30, false);
    tb.ok();
    tb.w(0x30, false);
    let rule = Rule::Burst(AxiRule::StrobeOutsideTransfer {
        strb: 0x30,
        lanes: 0xc0,
        beat: 2,
        addr: 0x1006,
    });
    let v = tb.fails(Channel::W, rule);
    assert_eq!((v.id, v.addr), (Some(1), Some(0x1002)));
}

#[test]
fn strobe_outside_unaligned_first_beat() {
    // A doubleword burst from 0x1003: the first beat owns lanes 3..7 only.
    let mut tb = Tb::new();
    tb.aw(1, 0x1003, 1, 3, INCR);
    tb.w(0xff, false);
    let rule = Rule::Burst(AxiRule::StrobeOutsideTransfer {
        strb: 0xff,
        lanes: 0xf8,
        beat: 0,
        addr: 0x1003,
    });
    tb.fails(Channel::W, rule);

    let mut tb = Tb::new();
    tb.aw(1, 0x1003, 1, 3, INCR);
    tb.w(0xf8, false);
    tb.ok();
    tb.w(0xff, true);
    tb.ok();
}

#[test]
fn strobe_outside_fixed_and_wrap_lanes() {
    // FIXED: every beat at 0x2005, one byte.
    let mut tb = Tb::new();
    tb.aw(1, 0x2005, 2, 0, FIXED);
    tb.w(0x20, false);
    tb.ok();
    tb.w(0x40, false);
    let rule = Rule::Burst(AxiRule::StrobeOutsideTransfer {
        strb: 0x40,
        lanes: 0x20,
        beat: 1,
        addr: 0x2005,
    });
    tb.fails(Channel::W, rule);

    // WRAP of words in the 16-byte window at 0x100, from 0x10c: the second beat
    // wraps to 0x100, lanes 0..3.
    let mut tb = Tb::new();
    tb.aw(1, 0x10c, 3, 2, WRAP);
    tb.w(0xf0, false);
    tb.ok();
    tb.w(0xf0, false);
    let rule = Rule::Burst(AxiRule::StrobeOutsideTransfer {
        strb: 0xf0,
        lanes: 0x0f,
        beat: 1,
        addr: 0x100,
    });
    tb.fails(Channel::W, rule);
}

#[test]
fn strobe_checked_when_a_late_aw_arrives() {
    let mut tb = Tb::new();
    tb.w(0x01, false);
    tb.ok();
    tb.w(0x01, true);
    tb.ok();
    // Bytes at 0x3001 and 0x3002: beat 0 owns lane 1 only.
    tb.aw(0, 0x3001, 1, 0, INCR);
    let rule = Rule::Burst(AxiRule::StrobeOutsideTransfer {
        strb: 0x01,
        lanes: 0x02,
        beat: 0,
        addr: 0x3001,
    });
    tb.fails_at(0, Channel::W, rule);
}

#[test]
fn beat_addresses_and_lanes() {
    let burst = |addr, len, size, kind| Burst::decode(0, addr, len, size, kind).unwrap();
    let table = |b: Burst| -> Vec<(u64, u8)> {
        (0..b.beats).map(|n| (b.beat_addr(n), b.lanes(n))).collect()
    };
    assert_eq!(
        table(burst(0x1003, 2, 2, INCR)),
        [(0x1003, 0x08), (0x1004, 0xf0), (0x1008, 0x0f)]
    );
    assert_eq!(
        table(burst(0x8000_0010, 3, 3, WRAP)),
        [
            (0x8000_0010, 0xff),
            (0x8000_0018, 0xff),
            (0x8000_0000, 0xff),
            (0x8000_0008, 0xff)
        ]
    );
    assert_eq!(table(burst(0x0e, 1, 1, WRAP)), [(0x0e, 0xc0), (0x0c, 0x30)]);
    assert_eq!(table(burst(0x7, 1, 0, FIXED)), [(0x7, 0x80), (0x7, 0x80)]);
    assert_eq!(
        table(burst(0x5, 2, 1, FIXED)),
        [(0x5, 0x20), (0x5, 0x20), (0x5, 0x20)]
    );
}

// ---------------------------------------------------------------------------
// R

#[test]
fn rid_unknown() {
    let mut tb = Tb::new();
    tb.ar(1, 0x1000, 0, 3, INCR);
    tb.ok();
    tb.r(2, true);
    let v = tb.fails(Channel::R, Rule::RidUnknown { id: 2 });
    assert_eq!((v.id, v.addr), (Some(2), None));
}

#[test]
fn r_in_the_edge_of_its_ar() {
    // RVALID may only rise after the AR handshake (A3.3.1), READY or not.
    let mut tb = Tb::new();
    tb.m.r_ready = false;
    tb.ar(1, 0x1000, 0, 3, INCR);
    tb.r(1, true);
    tb.fails(Channel::R, Rule::RidUnknown { id: 1 });
}

#[test]
fn r_after_the_burst_is_complete() {
    let mut tb = Tb::new();
    tb.ar(1, 0x1000, 1, 3, INCR);
    tb.ok();
    tb.read_data(1, 2);
    tb.r(1, true);
    tb.fails(Channel::R, Rule::RidUnknown { id: 1 });
}

#[test]
fn rlast_early() {
    let mut tb = Tb::new();
    tb.ar(3, 0x1000, 3, 3, INCR);
    tb.ok();
    tb.r(3, false);
    tb.ok();
    tb.r(3, true);
    let v = tb.fails(Channel::R, Rule::RlastEarly { beat: 1, beats: 4 });
    assert_eq!((v.id, v.addr), (Some(3), Some(0x1000)));
}

#[test]
fn rlast_missing() {
    let mut tb = Tb::new();
    tb.ar(3, 0x1000, 1, 3, INCR);
    tb.ok();
    tb.r(3, false);
    tb.ok();
    tb.r(3, false);
    tb.fails(Channel::R, Rule::RlastMissing { beat: 1 });
}

#[test]
fn rlast_checked_while_r_ready_low() {
    let mut tb = Tb::new();
    tb.ar(3, 0x1000, 0, 3, INCR);
    tb.ok();
    tb.m.r_ready = false;
    tb.r(3, false);
    tb.fails(Channel::R, Rule::RlastMissing { beat: 0 });
}

#[test]
fn r_same_id_out_of_order() {
    // Two bursts of ID 1: a 4-beat one, then a single beat. Answering the second
    // first shows as an RLAST on beat 0 of the first.
    let mut tb = Tb::new();
    tb.ar(1, 0x1000, 3, 3, INCR);
    tb.ok();
    tb.ar(1, 0x2000, 0, 3, INCR);
    tb.ok();
    tb.r(1, true);
    let v = tb.fails(Channel::R, Rule::RlastEarly { beat: 0, beats: 4 });
    assert_eq!(v.addr, Some(0x1000));
}

// ---------------------------------------------------------------------------
// B

#[test]
fn bid_unknown() {
    let mut tb = Tb::new();
    tb.b(0);
    let v = tb.fails(Channel::B, Rule::BidUnknown { id: 0 });
    assert_eq!((v.id, v.addr), (Some(0), None));

    let mut tb = Tb::new();
    tb.write(1, 0x1000, 0);
    tb.b(2);
    tb.fails(Channel::B, Rule::BidUnknown { id: 2 });
}

#[test]
fn b_in_the_edge_of_its_aw() {
    // AW, its only W beat and B at one edge: B depends on the AW handshake.
    let mut tb = Tb::new();
    tb.aw(1, 0x1000, 0, 3, INCR);
    tb.w(0xff, true);
    tb.b(1);
    tb.fails(Channel::B, Rule::BidUnknown { id: 1 });
}

#[test]
fn b_in_the_edge_of_the_last_w() {
    let mut tb = Tb::new();
    tb.aw(1, 0x1000, 1, 3, INCR);
    tb.ok();
    tb.w(0xff, false);
    tb.ok();
    tb.w(0xff, true);
    tb.b(1);
    let rule = Rule::BBeforeLastW { done: 1, beats: 2 };
    let v = tb.fails(Channel::B, rule);
    assert_eq!((v.id, v.addr), (Some(1), Some(0x1000)));
}

#[test]
fn b_before_any_w() {
    let mut tb = Tb::new();
    tb.aw(1, 0x1000, 0, 3, INCR);
    tb.ok();
    tb.m.b_ready = false;
    tb.b(1);
    tb.fails(Channel::B, Rule::BBeforeLastW { done: 0, beats: 1 });
}

#[test]
fn b_with_data_but_no_aw() {
    let mut tb = Tb::new();
    tb.w(0xff, true);
    tb.ok();
    tb.b(0);
    tb.fails(Channel::B, Rule::BidUnknown { id: 0 });
}

#[test]
fn b_twice() {
    let mut tb = Tb::new();
    tb.write(1, 0x1000, 0);
    tb.b(1);
    tb.ok();
    tb.b(1);
    tb.fails(Channel::B, Rule::BidUnknown { id: 1 });
}

#[test]
fn b_for_an_older_burst_of_the_id_without_data() {
    // ID 4 has a complete burst and a newer one without data; ID 5's oldest burst
    // lacks its data even though ID 4's is complete.
    let mut tb = Tb::new();
    tb.write(4, 0x1000, 0);
    tb.aw(5, 0x2000, 1, 3, INCR);
    tb.ok();
    tb.aw(4, 0x3000, 0, 3, INCR);
    tb.ok();
    tb.b(4);
    tb.ok();
    tb.b(5);
    tb.fails(Channel::B, Rule::BBeforeLastW { done: 0, beats: 2 });
}

// ---------------------------------------------------------------------------
// Clean sequences

#[test]
fn wrap_read_of_four_beats() {
    let mut tb = Tb::new();
    tb.ar(3, 0x8000_0010, 3, 3, WRAP);
    tb.ok();
    tb.idle(3); // latency
    tb.m.r_ready = false;
    tb.r(3, false);
    tb.ok(); // held one edge
    tb.m.r_ready = true;
    tb.ok();
    for n in 1..4 {
        tb.r(3, n == 3);
        tb.ok();
    }
    assert_eq!(tb.chk.outstanding_reads(), 0);
}

#[test]
fn narrow_incr_writes_with_strobes() {
    let mut tb = Tb::new();
    // Bytes from 0x1005: lanes 5, 6, 7, then 0 of the next doubleword.
    tb.aw(1, 0x1005, 3, 0, INCR);
    tb.ok();
    for (strb, last) in [(0x20, false), (0x40, false), (0x00, false), (0x01, true)] {
        tb.w(strb, last);
        tb.ok();
    }
    // Words from an unaligned 0x2006: lanes 6..7, then 0..3, 4..7 (a sparse
    // strobe is fine).
    tb.aw(2, 0x2006, 2, 2, INCR);
    tb.ok();
    for (strb, last) in [(0xc0, false), (0x0f, false), (0x50, true)] {
        tb.w(strb, last);
        tb.ok();
    }
    tb.b(1);
    tb.ok();
    tb.b(2);
    tb.ok();
    assert_eq!(tb.chk.outstanding_writes(), 0);
}

#[test]
fn w_before_aw() {
    let mut tb = Tb::new();
    // All four beats before the AW, which comes late after a stall.
    for n in 0..4 {
        tb.w(0xff, n == 3);
        tb.ok();
    }
    tb.s.aw_ready = false;
    tb.aw(7, 0x4000, 3, 3, INCR);
    tb.ok();
    tb.s.aw_ready = true;
    tb.ok();
    tb.b(7);
    tb.ok();
    // Half before, the rest after; the AW arrives together with beat 1.
    tb.w(0x0f, false);
    tb.ok();
    tb.aw(8, 0x5000, 2, 2, INCR);
    tb.w(0xf0, false);
    tb.ok();
    tb.w(0x0f, true);
    tb.ok();
    tb.b(8);
    tb.ok();
    // One burst's data ahead of two AWs.
    for n in 0..3 {
        tb.w(0xff, n == 0 || n == 2);
        tb.ok();
    }
    tb.aw(1, 0x6000, 0, 3, INCR);
    tb.ok();
    tb.aw(2, 0x7000, 1, 3, INCR);
    tb.b(1);
    tb.ok();
    tb.b(2);
    tb.ok();
    assert_eq!(tb.chk.outstanding_writes(), 0);
}

#[test]
fn two_ids_reordered() {
    let mut tb = Tb::new();
    tb.ar(1, 0x1000, 3, 3, INCR);
    tb.ok();
    tb.ar(2, 0x2000, 1, 3, INCR);
    tb.ok();
    // ID 2 answers first, then ID 1.
    tb.read_data(2, 2);
    tb.read_data(1, 4);

    // Interleaved beats of different IDs are legal in AXI4.
    tb.ar(1, 0x1000, 1, 3, INCR);
    tb.ok();
    tb.ar(2, 0x2000, 1, 3, INCR);
    tb.ok();
    for (id, last) in [(2, false), (1, false), (1, true), (2, true)] {
        tb.r(id, last);
        tb.ok();
    }

    // Writes: B of the second ID first.
    tb.write(1, 0x1000, 1);
    tb.write(2, 0x2000, 0);
    tb.b(2);
    tb.ok();
    tb.b(1);
    tb.ok();
    assert_eq!(tb.chk.outstanding_reads() + tb.chk.outstanding_writes(), 0);
}

#[test]
fn many_outstanding() {
    let mut tb = Tb::new();
    // 32 reads over 4 IDs with 1 to 4 beats, all in flight.
    let reads: Vec<(u8, u32)> = (0..32u8).map(|n| (n % 4, u32::from(n % 3) + 1)).collect();
    for &(id, beats) in &reads {
        tb.ar(
            id,
            0x1_0000 + u64::from(id) * 0x1000,
            (beats - 1) as u8,
            3,
            INCR,
        );
        tb.ok();
    }
    assert_eq!(tb.chk.outstanding_reads(), 32);
    // Answer IDs in the order 3, 1, 0, 2, each ID's bursts in order, beats of one
    // burst interleaved with those of the next ID where both have some.
    let mut queues: Vec<Vec<u32>> = (0..4)
        .map(|id| reads.iter().filter(|r| r.0 == id).map(|r| r.1).collect())
        .collect();
    for pair in [[3, 1], [0, 2]] {
        let mut left = [0u32; 2];
        while pair.iter().any(|&id| !queues[id].is_empty()) || left != [0, 0] {
            for (k, &id) in pair.iter().enumerate() {
                if left[k] == 0 && !queues[id].is_empty() {
                    left[k] = queues[id].remove(0);
                }
                if left[k] > 0 {
                    left[k] -= 1;
                    tb.r(id as u8, left[k] == 0);
                    tb.ok();
                }
            }
        }
    }
    assert_eq!(tb.chk.outstanding_reads(), 0);

    // 16 writes over 4 IDs with W streamed back to back, then B by ID in reverse.
    for n in 0..16u8 {
        tb.aw(n % 4, 0x2_0000 + u64::from(n) * 0x100, n % 2, 3, INCR);
        tb.ok();
    }
    for n in 0..16 {
        for beat in 0..=n % 2 {
            tb.w(0xff, beat == n % 2);
            tb.ok();
        }
    }
    assert_eq!(tb.chk.outstanding_writes(), 16);
    for id in (0..4).rev() {
        for _ in 0..4 {
            tb.b(id);
            tb.ok();
        }
    }
    assert_eq!(tb.chk.outstanding_writes(), 0);
}

#[test]
fn ar_and_r_in_one_edge() {
    let mut tb = Tb::new();
    tb.ar(1, 0x1000, 0, 3, INCR);
    tb.ok();
    // R of burst 1 and the AR of burst 2, same ID, at one edge.
    tb.r(1, true);
    tb.ar(1, 0x2000, 0, 3, INCR);
    tb.ok();
    tb.r(1, true);
    tb.ok();
    assert_eq!(tb.chk.outstanding_reads(), 0);
}

#[test]
fn aw_w_and_b_in_one_edge() {
    let mut tb = Tb::new();
    // AW with its only beat at one edge, B at the next.
    tb.aw(1, 0x1000, 0, 3, INCR);
    tb.w(0xff, true);
    tb.ok();
    // The B of burst 1 with AW and W of burst 2 (same ID) at one edge.
    tb.b(1);
    tb.aw(1, 0x2000, 0, 3, INCR);
    tb.w(0xff, true);
    tb.ok();
    // The last W beat at one edge, its B at the next.
    tb.b(1);
    tb.ok();
    tb.aw(2, 0x3000, 1, 3, INCR);
    tb.w(0xff, false);
    tb.ok();
    tb.w(0xff, true);
    tb.ok();
    tb.b(2);
    tb.ok();
    assert_eq!(tb.chk.outstanding_writes(), 0);
}

#[test]
fn every_response_code_is_legal() {
    let mut tb = Tb::new();
    for resp in 0..4 {
        tb.ar(0, 0x1000, 0, 3, INCR);
        tb.aw(0, 0x1000, 0, 3, INCR);
        tb.w(0xff, true);
        tb.ok();
        tb.r(0, true);
        tb.s.r_resp = resp;
        tb.b(0);
        tb.s.b_resp = resp;
        tb.ok();
    }
}

#[test]
fn display() {
    let mut tb = Tb::new();
    tb.ar(3, 0x1000, 0, 3, 3);
    let v = tb.fails(
        Channel::Ar,
        Rule::Burst(AxiRule::ReservedBurst { burst: 3 }),
    );
    assert_eq!(
        v.to_string(),
        "AXI protocol violation at cycle 0 on AR: AxBURST 3 is reserved (ID 3, burst at 0x1000)"
    );
    let v = Violation {
        cycle: 12,
        channel: Channel::W,
        rule: Rule::ValidDropped,
        id: None,
        addr: None,
    };
    assert_eq!(
        v.to_string(),
        "AXI protocol violation at cycle 12 on W: VALID dropped before READY"
    );
}

// ---------------------------------------------------------------------------
// Random legal traffic: a master and a slave that keep every rule, with random
// READYs, W ahead of AW, out-of-order responses and interleaved read data. The
// checker must stay silent.

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A legal (AxADDR, AxLEN, AxSIZE, AxBURST).
fn random_burst(rng: &mut Rng) -> (u64, u8, u8, u8) {
    let size = rng.below(4) as u8;
    let bytes = 1u64 << size;
    let page = 0x8000_0000 + rng.below(16) * 0x1000;
    match rng.below(3) {
        0 => (page + rng.below(4096), rng.below(16) as u8, size, FIXED),
        1 => {
            let len = if rng.chance(10) {
                rng.below(256)
            } else {
                rng.below(8)
            };
            let span = (len + 1) * bytes;
            let start = rng.below(4096 / bytes - span / bytes + 1) * bytes;
            (page + start + rng.below(bytes), len as u8, size, INCR)
        }
        _ => {
            let len = [1, 3, 7, 15][rng.below(4) as usize];
            (page + rng.below(4096 / bytes) * bytes, len, size, WRAP)
        }
    }
}

/// The lanes of every beat, worked out byte by byte (independently of `Burst`).
fn beat_lanes(addr: u64, len: u8, size: u8, burst: u8) -> Vec<u8> {
    let bytes = 1u64 << size;
    let beats = u64::from(len) + 1;
    let aligned = addr / bytes * bytes;
    (0..beats)
        .map(|n| {
            let start = match burst {
                FIXED => addr,
                INCR if n == 0 => addr,
                INCR => aligned + n * bytes,
                _ => {
                    let window = beats * bytes;
                    let base = addr / window * window;
                    base + (addr - base + n * bytes) % window
                }
            };
            let end = start / bytes * bytes + bytes;
            (start..end).fold(0u8, |lanes, a| lanes | 1 << (a % 8))
        })
        .collect()
}

/// A rule the random master or slave breaks once, from a given edge on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    /// The next W beat offered has WLAST inverted.
    FlipWlast,
    /// The next R beat offered has RLAST inverted.
    FlipRlast,
    /// The next W beat offered enables one lane outside its transfer.
    StrayStrobe,
    /// The next AR left waiting drops its VALID.
    DropArValid,
    /// The next R beat left waiting changes its data.
    ChangeRdata,
    /// The next B offered answers a burst whose last W beat is at this very edge.
    EarlyB,
}

/// What a run moved, to show that the traffic was busy.
#[derive(Debug, Default)]
struct Traffic {
    r_beats: u64,
    w_beats: u64,
    bs: u64,
    /// Edges at which the W data had run ahead of every AW.
    w_ahead: u64,
    /// Edges with R beats of one ID between two beats of a burst of another.
    interleaved: u64,
    max_reads: usize,
    max_writes: usize,
}

/// Random traffic between a master and a slave that keep every rule (random
/// READYs, W ahead of AW, out-of-order responses, interleaved read data), except
/// `fault` at the first chance from edge `at` on. Returns the checker's verdict.
fn random_traffic(
    seed: u64,
    cycles: u64,
    fault: Option<(Fault, u64)>,
) -> Result<Traffic, Violation> {
    let mut rng = Rng(seed);
    let mut chk = ProtocolChecker::new();
    let mut m = AxiMasterPort::default();
    let mut s = AxiSlavePort::default();
    let mut t = Traffic::default();
    // Master: write bursts whose AW, and W beats (WSTRB, WLAST, lanes), are to send.
    let mut aw_queue = std::collections::VecDeque::new();
    let mut w_queue = std::collections::VecDeque::new();
    // Slave: reads as (id, beats left); writes as (id, number of the burst's last W
    // beat counted over the whole run); W beats taken so far.
    let mut reads: Vec<(u8, u64)> = Vec::new();
    let mut writes: Vec<(u8, u64)> = Vec::new();
    let (mut w_beats_expected, mut w_beats_taken) = (0u64, 0u64);
    // The burst the last R beat belonged to, if unfinished.
    let mut r_open: Option<u8> = None;
    // The fault is injected once (`fired`), at its first chance from its edge on.
    let mut fired = false;
    let armed = |cycle: u64, f: Fault| fault.is_some_and(|(want, at)| want == f && cycle >= at);

    for cycle in 0..cycles {
        // The master's outputs.
        if m.ar_valid && !s.ar_ready && !fired && armed(cycle, Fault::DropArValid) {
            m.ar_valid = false;
            fired = true;
        } else if !m.ar_valid && rng.chance(30) {
            let (addr, len, size, burst) = random_burst(&mut rng);
            (
                m.ar_valid, m.ar_id, m.ar_addr, m.ar_len, m.ar_size, m.ar_burst,
            ) = (true, rng.below(4) as u8, addr, len, size, burst);
        }
        if aw_queue.len() < 4 && w_queue.len() < 64 && rng.chance(20) {
            let (addr, len, size, burst) = random_burst(&mut rng);
            let lanes = beat_lanes(addr, len, size, burst);
            for (n, &l) in lanes.iter().enumerate() {
                let strb = if rng.chance(70) {
                    l
                } else {
                    l & rng.next() as u8
                };
                w_queue.push_back((strb, n + 1 == lanes.len(), l));
            }
            aw_queue.push_back((rng.below(4) as u8, addr, len, size, burst));
        }
        // Phases of slow AW let the W data run ahead.
        let aw_chance = if cycle / 500 % 2 == 0 { 80 } else { 5 };
        if !m.aw_valid && rng.chance(aw_chance) {
            if let Some((id, addr, len, size, burst)) = aw_queue.pop_front() {
                (
                    m.aw_valid, m.aw_id, m.aw_addr, m.aw_len, m.aw_size, m.aw_burst,
                ) = (true, id, addr, len, size, burst);
            }
        }
        if !m.w_valid && rng.chance(70) {
            if let Some((mut strb, mut last, lanes)) = w_queue.pop_front() {
                if !fired && armed(cycle, Fault::FlipWlast) {
                    last = !last;
                    fired = true;
                }
                if !fired && lanes != 0xff && armed(cycle, Fault::StrayStrobe) {
                    let outside = !lanes;
                    strb |= outside & outside.wrapping_neg(); // the lowest such lane
                    fired = true;
                }
                (m.w_valid, m.w_data, m.w_strb, m.w_last) = (true, rng.next(), strb, last);
            }
        }
        m.r_ready = rng.chance(70);
        m.b_ready = rng.chance(70);

        // The slave's outputs, from what it took at earlier edges.
        s.ar_ready = reads.len() < 8 && rng.chance(60);
        s.aw_ready = writes.len() < 8 && rng.chance(60);
        s.w_ready = rng.chance(70);
        if s.r_valid && !fired && armed(cycle, Fault::ChangeRdata) {
            s.r_data ^= 1;
            fired = true;
        } else if !s.r_valid && rng.chance(60) {
            let eligible: Vec<usize> = (0..reads.len())
                .filter(|&i| !reads[..i].iter().any(|r| r.0 == reads[i].0))
                .collect();
            if !eligible.is_empty() {
                let i = eligible[rng.below(eligible.len() as u64) as usize];
                let (id, left) = reads[i];
                let mut last = left == 1;
                if !fired && armed(cycle, Fault::FlipRlast) {
                    last = !last;
                    fired = true;
                }
                (s.r_valid, s.r_id, s.r_data, s.r_resp, s.r_last) =
                    (true, id, rng.next(), rng.below(4) as u8, last);
            }
        }
        if !s.b_valid && rng.chance(60) {
            // With the fault, a burst whose last beat is being transferred now.
            let early = !fired && m.w_valid && s.w_ready && armed(cycle, Fault::EarlyB);
            let done = w_beats_taken + u64::from(early);
            let eligible: Vec<usize> = (0..writes.len())
                .filter(|&i| {
                    let (id, last_beat) = writes[i];
                    last_beat < done && !writes[..i].iter().any(|w| w.0 == id)
                })
                .collect();
            if let Some(&i) = eligible.last() {
                let i = if early {
                    i
                } else {
                    eligible[rng.below(eligible.len() as u64) as usize]
                };
                fired |= early && writes[i].1 == w_beats_taken;
                (s.b_valid, s.b_id, s.b_resp) = (true, writes[i].0, rng.below(4) as u8);
            }
        }

        chk.check(cycle, &m, &s)?;

        // Statistics.
        t.w_ahead += u64::from(w_beats_taken > w_beats_expected);
        t.max_reads = t.max_reads.max(chk.outstanding_reads());
        t.max_writes = t.max_writes.max(chk.outstanding_writes());

        // The edge, for both sides.
        if s.r_valid && m.r_ready {
            let i = reads.iter().position(|r| r.0 == s.r_id).unwrap();
            reads[i].1 -= 1;
            let finished = reads[i].1 == 0;
            if finished {
                reads.remove(i);
            }
            t.interleaved += u64::from(r_open.is_some_and(|id| id != s.r_id));
            r_open = if finished {
                r_open.filter(|&id| id != s.r_id)
            } else {
                Some(s.r_id)
            };
            s.r_valid = false;
            t.r_beats += 1;
        }
        if s.b_valid && m.b_ready {
            let i = writes.iter().position(|w| w.0 == s.b_id).unwrap();
            writes.remove(i);
            s.b_valid = false;
            t.bs += 1;
        }
        if m.w_valid && s.w_ready {
            m.w_valid = false;
            w_beats_taken += 1;
            t.w_beats += 1;
        }
        if m.aw_valid && s.aw_ready {
            m.aw_valid = false;
            w_beats_expected += u64::from(m.aw_len) + 1;
            writes.push((m.aw_id, w_beats_expected - 1));
        }
        if m.ar_valid && s.ar_ready {
            m.ar_valid = false;
            reads.push((m.ar_id, u64::from(m.ar_len) + 1));
        }
    }
    if let Some(fault) = fault {
        let what = if fired {
            "not caught"
        } else {
            "never injected"
        };
        panic!("fault {fault:?} {what}");
    }
    Ok(t)
}

#[test]
fn random_legal_traffic_passes() {
    for seed in [0x9e37_79b9_7f4a_7c15, 1, 0xdead_beef] {
        let t =
            random_traffic(seed, 100_000, None).unwrap_or_else(|v| panic!("false positive: {v}"));
        assert!(
            t.r_beats > 10_000 && t.w_beats > 10_000 && t.bs > 1_000,
            "{t:?}"
        );
        assert!(t.w_ahead > 1_000 && t.interleaved > 1_000, "{t:?}");
        assert!(t.max_reads >= 8 && t.max_writes >= 8, "{t:?}");
    }
}

#[test]
fn random_traffic_with_one_fault_is_caught() {
    use Fault::*;
    let cases = [
        (FlipWlast, Channel::W),
        (FlipRlast, Channel::R),
        (StrayStrobe, Channel::W),
        (DropArValid, Channel::Ar),
        (ChangeRdata, Channel::R),
        (EarlyB, Channel::B),
    ];
    for (fault, channel) in cases {
        for (seed, at) in [(3, 1_000), (4, 20_000), (5, 55_555)] {
            let v = random_traffic(seed, at + 20_000, Some((fault, at))).unwrap_err();
            assert_eq!(v.channel, channel, "{fault:?}: {v}");
            let expected = match fault {
                FlipWlast => matches!(
                    v.rule,
                    Rule::Burst(AxiRule::WlastEarly { .. })
                        | Rule::Burst(AxiRule::WlastMissing { .. })
                ),
                FlipRlast => matches!(v.rule, Rule::RlastEarly { .. } | Rule::RlastMissing { .. }),
                StrayStrobe => matches!(v.rule, Rule::Burst(AxiRule::StrobeOutsideTransfer { .. })),
                DropArValid => v.rule == Rule::ValidDropped,
                ChangeRdata => matches!(v.rule, Rule::PayloadChanged { field: "RDATA", .. }),
                EarlyB => matches!(v.rule, Rule::BBeforeLastW { .. }),
            };
            assert!(expected, "{fault:?}: {v}");
        }
    }
}
