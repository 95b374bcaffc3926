//! AXI4 burst address generation (IHI 0022 A3.4.1) and the checks that make a
//! burst servable.

use super::error::AxiRule;

/// AxBURST.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BurstType {
    /// Every beat at the same address (a FIFO).
    Fixed,
    /// Incrementing addresses.
    Incr,
    /// Incrementing, wrapping at a `beats * bytes` boundary (cache-line refills).
    Wrap,
}

/// One checked burst from an AR or AW handshake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Burst {
    /// Start address (AxADDR), possibly unaligned for FIXED/INCR.
    pub addr: u64,
    /// AxLEN: beats - 1.
    pub len: u8,
    /// AxSIZE: log2 of the bytes per beat.
    pub size: u8,
    pub kind: BurstType,
}

impl Burst {
    /// Checks the AxLEN/AxSIZE/AxBURST/AxADDR combination for a 64-bit bus.
    pub fn new(addr: u64, len: u8, size: u8, burst: u8) -> Result<Self, AxiRule> {
        if size > 3 {
            return Err(AxiRule::SizeTooWide { size });
        }
        let kind = match burst {
            0 => BurstType::Fixed,
            1 => BurstType::Incr,
            2 => BurstType::Wrap,
            _ => return Err(AxiRule::ReservedBurst { burst }),
        };
        let b = Self {
            addr,
            len,
            size,
            kind,
        };
        let beats = b.beats();
        let bytes = b.bytes();
        match kind {
            BurstType::Fixed if beats > 16 => return Err(AxiRule::FixedLength { beats }),
            BurstType::Fixed => {}
            BurstType::Wrap => {
                if !matches!(beats, 2 | 4 | 8 | 16) {
                    return Err(AxiRule::WrapLength { beats });
                }
                if !addr.is_multiple_of(u64::from(bytes)) {
                    return Err(AxiRule::WrapUnaligned { addr, bytes });
                }
            }
            BurstType::Incr => {
                let last = b.aligned_start() + u64::from(beats) * u64::from(bytes) - 1;
                if last >> 12 != addr >> 12 {
                    return Err(AxiRule::Crosses4K { first: addr, last });
                }
            }
        }
        Ok(b)
    }

    /// Number of beats (AxLEN + 1).
    #[inline]
    pub fn beats(&self) -> u32 {
        u32::from(self.len) + 1
    }

    /// Bytes per beat.
    #[inline]
    pub fn bytes(&self) -> u32 {
        1 << self.size
    }

    #[inline]
    fn aligned_start(&self) -> u64 {
        self.addr & !(u64::from(self.bytes()) - 1)
    }

    /// The address of beat `n` (0-based). Beat 0 is the start address as given; the
    /// later beats of INCR and WRAP bursts are aligned to the transfer size.
    #[inline]
    pub fn beat_addr(&self, n: u32) -> u64 {
        let bytes = u64::from(self.bytes());
        match self.kind {
            BurstType::Fixed => self.addr,
            BurstType::Incr if n == 0 => self.addr,
            BurstType::Incr => self.aligned_start() + u64::from(n) * bytes,
            BurstType::Wrap => {
                let total = u64::from(self.beats()) * bytes; // a power of two
                let lower = self.addr & !(total - 1);
                lower + ((self.addr - lower + u64::from(n) * bytes) & (total - 1))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addrs(b: &Burst) -> Vec<u64> {
        (0..b.beats()).map(|n| b.beat_addr(n)).collect()
    }

    #[test]
    fn incr_addresses() {
        let b = Burst::new(0x1000, 3, 3, 1).unwrap();
        assert_eq!(addrs(&b), [0x1000, 0x1008, 0x1010, 0x1018]);
        // Unaligned start: the first beat keeps its address, the rest are aligned.
        let b = Burst::new(0x1003, 2, 2, 1).unwrap();
        assert_eq!(addrs(&b), [0x1003, 0x1004, 0x1008]);
        let b = Burst::new(0x2001, 3, 0, 1).unwrap();
        assert_eq!(addrs(&b), [0x2001, 0x2002, 0x2003, 0x2004]);
    }

    #[test]
    fn wrap_addresses() {
        // A 64-byte line refill starting at its third doubleword.
        let b = Burst::new(0x8000_0010, 7, 3, 2).unwrap();
        assert_eq!(
            addrs(&b),
            [
                0x8000_0010,
                0x8000_0018,
                0x8000_0020,
                0x8000_0028,
                0x8000_0030,
                0x8000_0038,
                0x8000_0000,
                0x8000_0008
            ]
        );
        let b = Burst::new(0x104, 3, 2, 2).unwrap(); // 16-byte window at 0x100
        assert_eq!(addrs(&b), [0x104, 0x108, 0x10c, 0x100]);
        let b = Burst::new(0x0e, 1, 1, 2).unwrap();
        assert_eq!(addrs(&b), [0x0e, 0x0c]);
    }

    #[test]
    fn fixed_addresses() {
        let b = Burst::new(0x1234, 3, 1, 0).unwrap();
        assert_eq!(addrs(&b), [0x1234; 4]);
    }

    #[test]
    fn illegal_bursts() {
        assert_eq!(
            Burst::new(0, 0, 4, 1),
            Err(AxiRule::SizeTooWide { size: 4 })
        );
        assert_eq!(
            Burst::new(0, 0, 3, 3),
            Err(AxiRule::ReservedBurst { burst: 3 })
        );
        assert_eq!(
            Burst::new(0, 2, 3, 2),
            Err(AxiRule::WrapLength { beats: 3 })
        );
        assert_eq!(
            Burst::new(0, 31, 3, 2),
            Err(AxiRule::WrapLength { beats: 32 })
        );
        assert_eq!(
            Burst::new(0x14, 3, 3, 2),
            Err(AxiRule::WrapUnaligned {
                addr: 0x14,
                bytes: 8
            })
        );
        assert_eq!(
            Burst::new(0, 16, 3, 0),
            Err(AxiRule::FixedLength { beats: 17 })
        );
        assert_eq!(
            Burst::new(0xff8, 1, 3, 1),
            Err(AxiRule::Crosses4K {
                first: 0xff8,
                last: 0x1007
            })
        );
        // Up to the boundary is fine; 256 beats of 8 bytes (2 KiB) fit in a page.
        assert!(Burst::new(0xff8, 0, 3, 1).is_ok());
        assert!(Burst::new(0x800, 255, 3, 1).is_ok());
        assert!(Burst::new(0x808, 255, 3, 1).is_err());
        let msg = Burst::new(0xff8, 1, 3, 1).unwrap_err().to_string();
        assert!(msg.contains("4 KiB"), "{msg}");
    }
}
