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
    /// "name: " of the table case being run, which failure messages start with.
    case: String,
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
            case: String::new(),
        }
    }

    /// A bench for the table case `name`, which its failure messages name.
    fn case(name: &str) -> Self {
        Self {
            case: format!("{name}: "),
            ..Self::new()
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
            panic!("{}unexpected at edge {cycle}: {v}", self.case);
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
        let expected = format!("{}edge {now}: expected {channel}: {rule}", self.case);
        let v = self.step().expect_err(&expected);
        let got = (v.cycle, v.channel, v.rule);
        assert_eq!(got, (cycle, channel, rule), "{}{v}", self.case);
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

    /// An AR or AW request.
    fn request(&mut self, channel: Channel, id: u8, addr: u64, len: u8, size: u8, burst: u8) {
        match channel {
            Channel::Ar => self.ar(id, addr, len, size, burst),
            Channel::Aw => self.aw(id, addr, len, size, burst),
            _ => panic!("{channel} carries no requests"),
        }
    }

    /// A W beat; the data is the edge number, to tell beats apart.
    fn w(&mut self, strb: u8, last: bool) {
        let m = &mut self.m;
        (m.w_valid, m.w_data, m.w_strb, m.w_last) = (true, self.cycle, strb, last);
    }

    /// An R beat; the data is the edge number, as for W.
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

    /// The VALID and READY of `channel`.
    fn handshake(&mut self, channel: Channel) -> (&mut bool, &mut bool) {
        let (m, s) = (&mut self.m, &mut self.s);
        match channel {
            Channel::Ar => (&mut m.ar_valid, &mut s.ar_ready),
            Channel::Aw => (&mut m.aw_valid, &mut s.aw_ready),
            Channel::W => (&mut m.w_valid, &mut s.w_ready),
            Channel::R => (&mut s.r_valid, &mut m.r_ready),
            Channel::B => (&mut s.b_valid, &mut m.b_ready),
        }
    }

    fn valid(&mut self, channel: Channel) -> &mut bool {
        self.handshake(channel).0
    }

    fn ready(&mut self, channel: Channel) -> &mut bool {
        self.handshake(channel).1
    }

    /// Offers a transfer on `channel` (after the edges it depends on) and holds
    /// it off with READY low for one edge. What waits:
    /// - AR: ID 2 at 0x1000, one beat;
    /// - AW: ID 1 at 0x2000, four beats;
    /// - W: a beat without WLAST, WDATA 0;
    /// - R: beat 0 of a two-beat burst of ID 4, RDATA 1;
    /// - B: BID 5, with the write bursts of IDs 5 and 6 both complete.
    ///
    /// Returns the ID and burst address that a violation on the channel names.
    fn waiting(&mut self, channel: Channel) -> (Option<u8>, Option<u64>) {
        let names = match channel {
            Channel::Ar => {
                self.ar(2, 0x1000, 0, 3, INCR);
                (Some(2), Some(0x1000))
            }
            Channel::Aw => {
                self.aw(1, 0x2000, 3, 3, INCR);
                (Some(1), Some(0x2000))
            }
            Channel::W => {
                self.w(0xff, false);
                (None, None)
            }
            Channel::R => {
                self.ar(4, 0x1000, 1, 3, INCR);
                self.ok();
                self.r(4, false);
                (Some(4), None)
            }
            Channel::B => {
                self.write(5, 0x1000, 0);
                self.write(6, 0x2000, 0);
                self.b(5);
                (Some(5), None)
            }
        };
        *self.ready(channel) = false;
        self.ok();
        names
    }

    /// Drives `script`, an entry per edge: every edge but the last must pass;
    /// the last is left set up, for the caller to check.
    fn run(&mut self, script: Script) {
        let mut next_addr = 0x1000;
        for (n, edge) in script.iter().enumerate() {
            if n > 0 {
                self.ok();
            }
            for &ev in *edge {
                match ev {
                    Ev::Ar(id, len) => self.ar(id, next_addr, len, 3, INCR),
                    Ev::Aw(id, len) => self.aw(id, next_addr, len, 3, INCR),
                    Ev::AwAt(addr, len, size, burst) => self.aw(1, addr, len, size, burst),
                    Ev::W(strb, last) => self.w(strb, last),
                    Ev::R(id, last) => self.r(id, last),
                    Ev::B(id) => self.b(id),
                }
                if matches!(ev, Ev::Ar(..) | Ev::Aw(..)) {
                    next_addr += 0x1000;
                }
            }
        }
    }
}

/// What a scripted case drives at one edge. `Ar` and `Aw` request full-width
/// INCR bursts: the case's first at 0x1000, its second at 0x2000, and so on.
#[derive(Clone, Copy, Debug)]
enum Ev {
    /// ARID, ARLEN.
    Ar(u8, u8),
    /// AWID, AWLEN.
    Aw(u8, u8),
    /// An AW of ID 1: AWADDR, AWLEN, AWSIZE, AWBURST.
    AwAt(u64, u8, u8, u8),
    /// WSTRB, WLAST.
    W(u8, bool),
    /// RID, RLAST.
    R(u8, bool),
    /// BID.
    B(u8),
}

/// Full-width W beats, without and with WLAST.
const BEAT: Ev = Ev::W(0xff, false);
const LAST: Ev = Ev::W(0xff, true);

/// What a case drives, edge by edge: a list of events per edge.
type Script = &'static [&'static [Ev]];

/// R or B cases: name, script (its last edge breaks the rule), the rule, and the
/// burst address the violation names.
type ResponseCase = (&'static str, Script, Rule, Option<u64>);

/// Runs each case twice, with READY high and low at its last edge: R and B are
/// checked whenever VALID is up, not only at the handshake. The violation is
/// blamed on that edge and names the RID or BID on offer.
fn check_response_cases(channel: Channel, cases: &[ResponseCase]) {
    for &(name, script, rule, addr) in cases {
        for (ready, level) in [(true, "high"), (false, "low")] {
            let case = format!("{name}, {channel}READY {level}");
            let mut tb = Tb::case(&case);
            tb.run(script);
            *tb.ready(channel) = ready;
            let v = tb.fails(channel, rule);
            let id = if channel == Channel::R {
                tb.s.r_id
            } else {
                tb.s.b_id
            };
            assert_eq!((v.id, v.addr), (Some(id), addr), "{case}");
        }
    }
}

// ---------------------------------------------------------------------------
// Handshake stability (A3.2.1)

#[test]
fn valid_dropped_on_each_channel() {
    for channel in [Channel::Ar, Channel::Aw, Channel::W, Channel::R, Channel::B] {
        let case = format!("{channel}VALID");
        let mut tb = Tb::case(&case);
        let names = tb.waiting(channel);
        tb.ok(); // still waiting
        *tb.valid(channel) = false;
        let v = tb.fails(channel, Rule::ValidDropped);
        assert_eq!((v.id, v.addr), names, "{case}");
    }
}

#[test]
fn payload_changed_while_waiting() {
    // The payload of `Tb::waiting`, one field changed at the next edge.
    type Change = fn(&mut Tb);
    #[rustfmt::skip]
    let cases: [(&str, Channel, Change, u64, u64); 8] = [
        // (field, channel, change, was, now)
        ("ARID",   Channel::Ar, |tb| tb.m.ar_id = 3,         2,      3),
        ("ARADDR", Channel::Ar, |tb| tb.m.ar_addr = 0x1040,  0x1000, 0x1040),
        ("AWLEN",  Channel::Aw, |tb| tb.m.aw_len = 1,        3,      1),
        ("WDATA",  Channel::W,  |tb| tb.m.w_data ^= 1,       0,      1),
        ("WLAST",  Channel::W,  |tb| tb.m.w_last = true,     0,      1),
        ("RDATA",  Channel::R,  |tb| tb.s.r_data = 0x5678,   1,      0x5678),
        // RRESP counts too, although every value is legal.
        ("RRESP",  Channel::R,  |tb| tb.s.r_resp = 2,        0,      2),
        // BID 6 would be a legal B of its own.
        ("BID",    Channel::B,  |tb| tb.s.b_id = 6,          5,      6),
    ];
    for (field, channel, change, was, now) in cases {
        let mut tb = Tb::case(field);
        let names = tb.waiting(channel);
        change(&mut tb);
        let v = tb.fails(channel, Rule::PayloadChanged { field, was, now });
        assert_eq!((v.id, v.addr), names, "{field}");
    }
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
fn burst_requests() {
    use AxiRule::*;
    // Each request alone on a fresh bench: Ok if legal, else the rule it breaks,
    // at edge 0, naming its ID (3) and address.
    #[rustfmt::skip]
    let cases = [
        // (channel, AxADDR, AxLEN, AxSIZE, AxBURST, Ok or the rule broken)
        // AxSIZE: at most the 8-byte bus.
        (Channel::Ar, 0x1000, 0,   4, INCR,  Err(SizeTooWide { size: 4 })),
        (Channel::Aw, 0x1000, 0,   7, INCR,  Err(SizeTooWide { size: 7 })),
        (Channel::Aw, 0x1000, 0,   3, 3,     Err(ReservedBurst { burst: 3 })),
        // WRAP: 2, 4, 8 or 16 beats, from an address aligned to the transfer size.
        (Channel::Ar, 0x1000, 0,   3, WRAP,  Err(WrapLength { beats: 1 })),
        (Channel::Ar, 0x1000, 1,   3, WRAP,  Ok(())),
        (Channel::Ar, 0x1000, 2,   3, WRAP,  Err(WrapLength { beats: 3 })),
        (Channel::Ar, 0x1000, 3,   3, WRAP,  Ok(())),
        (Channel::Ar, 0x1000, 4,   3, WRAP,  Err(WrapLength { beats: 5 })),
        (Channel::Ar, 0x1000, 7,   3, WRAP,  Ok(())),
        (Channel::Ar, 0x1000, 14,  3, WRAP,  Err(WrapLength { beats: 15 })),
        (Channel::Ar, 0x1000, 15,  3, WRAP,  Ok(())),
        (Channel::Ar, 0x1000, 31,  3, WRAP,  Err(WrapLength { beats: 32 })),
        (Channel::Ar, 0x1000, 255, 3, WRAP,  Err(WrapLength { beats: 256 })),
        (Channel::Aw, 0x14,   3,   3, WRAP,  Err(WrapUnaligned { addr: 0x14, bytes: 8 })),
        (Channel::Aw, 0x14,   3,   2, WRAP,  Ok(())),
        // FIXED: at most 16 beats.
        (Channel::Ar, 0x1000, 16,  3, FIXED, Err(FixedLength { beats: 17 })),
        (Channel::Ar, 0x1000, 15,  3, FIXED, Ok(())),
        // INCR: within a 4 KiB page. Up to its end is fine, and an unaligned start
        // adds no bytes at the end. FIXED and WRAP bursts never cross.
        (Channel::Ar, 0xff8,  1,   3, INCR,  Err(Crosses4K { first: 0xff8, last: 0x1007 })),
        (Channel::Aw, 0x808,  255, 3, INCR,  Err(Crosses4K { first: 0x808, last: 0x1007 })),
        (Channel::Ar, 0xff8,  0,   3, INCR,  Ok(())),
        (Channel::Ar, 0x800,  255, 3, INCR,  Ok(())),
        (Channel::Ar, 0xffd,  0,   3, INCR,  Ok(())),
        (Channel::Ar, 0xf01,  127, 1, INCR,  Ok(())),
        (Channel::Ar, 0xff8,  15,  3, FIXED, Ok(())),
    ];
    for (channel, addr, len, size, burst, expected) in cases {
        let case = format!("{channel} at {addr:#x}, len {len}, size {size}, burst {burst}");
        let mut tb = Tb::case(&case);
        tb.request(channel, 3, addr, len, size, burst);
        match expected {
            Ok(()) => tb.ok(),
            Err(rule) => {
                let v = tb.fails(channel, Rule::Burst(rule));
                assert_eq!((v.id, v.addr), (Some(3), Some(addr)), "{case}");
            }
        }
    }
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
fn w_beats() {
    use AxiRule::*;
    use Ev::*;
    // The rule broken at the script's last edge, and the edge of the beat it is
    // blamed on: a beat sent before its AW is checked when the AW arrives. The
    // violation names the burst of the script's last AW.
    #[rustfmt::skip]
    let cases: [(&str, Script, AxiRule, u64); 11] = [
        // (name, script, rule, edge blamed)
        ("WLAST early",
            &[&[Aw(2, 3)], &[BEAT], &[LAST]],
            WlastEarly { beat: 1, beats: 4 }, 2),
        ("WLAST missing",
            &[&[Aw(2, 1)], &[BEAT], &[BEAT]],
            WlastMissing { beat: 1 }, 2),
        ("WLAST missing on the only beat",
            &[&[Aw(2, 0), BEAT]],
            WlastMissing { beat: 0 }, 0),
        ("WLAST early before the AW",
            &[&[BEAT], &[LAST], &[], &[Aw(6, 2)]],
            WlastEarly { beat: 1, beats: 3 }, 1),
        ("WLAST missing before the AW",
            &[&[BEAT], &[BEAT], &[BEAT], &[Aw(6, 1)]],
            WlastMissing { beat: 1 }, 1),
        // The first AW takes the first two beats; the next ones wait for the second.
        ("WLAST of the second burst before its AW",
            &[&[Aw(1, 1)], &[BEAT], &[LAST], &[LAST], &[Aw(2, 1)]],
            WlastEarly { beat: 0, beats: 2 }, 3),
        // Halfwords from 0x1002: lanes 0x0c, 0x30, 0xc0, 0x03.
        ("WSTRB of narrow beats",
            &[&[AwAt(0x1002, 3, 1, INCR)], &[W(0x0c, false)], &[W(0x30, false)], &[W(0x30, false)]],
            StrobeOutsideTransfer { strb: 0x30, lanes: 0xc0, beat: 2, addr: 0x1006 }, 3),
        // Doublewords from 0x1003: the first beat owns lanes 3..7 only.
        ("WSTRB of an unaligned first beat",
            &[&[AwAt(0x1003, 1, 3, INCR), W(0xff, false)]],
            StrobeOutsideTransfer { strb: 0xff, lanes: 0xf8, beat: 0, addr: 0x1003 }, 0),
        // FIXED: every beat at 0x2005, one byte.
        ("WSTRB of a FIXED burst",
            &[&[AwAt(0x2005, 2, 0, FIXED), W(0x20, false)], &[W(0x40, false)]],
            StrobeOutsideTransfer { strb: 0x40, lanes: 0x20, beat: 1, addr: 0x2005 }, 1),
        // WRAP of words in the 16-byte window at 0x100, from 0x10c: the second
        // beat wraps to 0x100, lanes 0..3.
        ("WSTRB of a WRAP burst",
            &[&[AwAt(0x10c, 3, 2, WRAP), W(0xf0, false)], &[W(0xf0, false)]],
            StrobeOutsideTransfer { strb: 0xf0, lanes: 0x0f, beat: 1, addr: 0x100 }, 1),
        // Bytes at 0x3001 and 0x3002: beat 0 owns lane 1 only.
        ("WSTRB before the AW",
            &[&[W(0x01, false)], &[W(0x01, true)], &[AwAt(0x3001, 1, 0, INCR)]],
            StrobeOutsideTransfer { strb: 0x01, lanes: 0x02, beat: 0, addr: 0x3001 }, 0),
    ];
    for (name, script, rule, cycle) in cases {
        let mut tb = Tb::case(name);
        tb.run(script);
        let v = tb.fails_at(cycle, Channel::W, Rule::Burst(rule));
        let burst = (Some(tb.m.aw_id), Some(tb.m.aw_addr));
        assert_eq!((v.id, v.addr), burst, "{name}");
    }

    // The unaligned first beat within its lanes is fine.
    let mut tb = Tb::new();
    tb.run(&[&[AwAt(0x1003, 1, 3, INCR), W(0xf8, false)], &[LAST]]);
    tb.ok();
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
fn r_beats() {
    use Ev::*;
    use Rule::*;
    #[rustfmt::skip]
    let cases: [ResponseCase; 7] = [
        ("RID of no burst",
            &[&[Ar(1, 0)], &[R(2, true)]],
            RidUnknown { id: 2 }, None),
        // RVALID may only rise after the AR handshake (A3.3.1).
        ("R in the edge of its AR",
            &[&[Ar(1, 0), R(1, true)]],
            RidUnknown { id: 1 }, None),
        ("R after its burst is complete",
            &[&[Ar(1, 1)], &[R(1, false)], &[R(1, true)], &[R(1, true)]],
            RidUnknown { id: 1 }, None),
        ("RLAST early",
            &[&[Ar(3, 3)], &[R(3, false)], &[R(3, true)]],
            RlastEarly { beat: 1, beats: 4 }, Some(0x1000)),
        ("RLAST missing",
            &[&[Ar(3, 1)], &[R(3, false)], &[R(3, false)]],
            RlastMissing { beat: 1 }, Some(0x1000)),
        ("RLAST missing on the only beat",
            &[&[Ar(3, 0)], &[R(3, false)]],
            RlastMissing { beat: 0 }, Some(0x1000)),
        // Two bursts of ID 1, of four beats and one: answering the second first
        // shows as an RLAST on beat 0 of the first.
        ("same ID out of order",
            &[&[Ar(1, 3)], &[Ar(1, 0)], &[R(1, true)]],
            RlastEarly { beat: 0, beats: 4 }, Some(0x1000)),
    ];
    check_response_cases(Channel::R, &cases);
}

// ---------------------------------------------------------------------------
// B

#[test]
fn b_responses() {
    use Ev::*;
    use Rule::*;
    #[rustfmt::skip]
    let cases: [ResponseCase; 8] = [
        ("BID of no burst",
            &[&[B(0)]],
            BidUnknown { id: 0 }, None),
        ("BID of no burst, another ID complete",
            &[&[Aw(1, 0)], &[LAST], &[B(2)]],
            BidUnknown { id: 2 }, None),
        // AW, its only W beat and B at one edge: B depends on the AW handshake.
        ("B in the edge of its AW",
            &[&[Aw(1, 0), LAST, B(1)]],
            BidUnknown { id: 1 }, None),
        ("B in the edge of the last W",
            &[&[Aw(1, 1)], &[BEAT], &[LAST, B(1)]],
            BBeforeLastW { done: 1, beats: 2 }, Some(0x1000)),
        ("B before any W",
            &[&[Aw(1, 0)], &[B(1)]],
            BBeforeLastW { done: 0, beats: 1 }, Some(0x1000)),
        ("B with data but no AW",
            &[&[LAST], &[B(0)]],
            BidUnknown { id: 0 }, None),
        ("B twice",
            &[&[Aw(1, 0)], &[LAST], &[B(1)], &[B(1)]],
            BidUnknown { id: 1 }, None),
        // ID 4 has a complete burst and a newer one without data; ID 5's oldest
        // burst lacks its data even though ID 4's is complete.
        ("B for an older burst of the ID without data",
            &[&[Aw(4, 0)], &[LAST], &[Aw(5, 1)], &[Aw(4, 0)], &[B(4)], &[B(5)]],
            BBeforeLastW { done: 0, beats: 2 }, Some(0x2000)),
    ];
    check_response_cases(Channel::B, &cases);
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
