//! Decoding of the loads and stores whose misaligned form the reference cannot
//! execute, so the harness can perform them on the reference's state itself.

/// A load or store as the ISA defines it, independent of what the RTL reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    pub store: bool,
    /// Bytes accessed: 1, 2, 4 or 8.
    pub size: u64,
    /// Loads: sign-extend the value.
    pub signed: bool,
    /// Base register and offset.
    pub rs1: usize,
    pub offset: i64,
    /// Stores: the register stored. Loads: the register written.
    pub reg: usize,
    /// Instruction length in bytes.
    pub len: u64,
}

fn bits(insn: u32, hi: u32, lo: u32) -> u32 {
    (insn >> lo) & ((1 << (hi - lo + 1)) - 1)
}

/// Decodes a (possibly compressed) integer load or store; `None` for anything else.
pub fn decode(insn: u32) -> Option<Access> {
    if insn & 3 == 3 {
        let f3 = bits(insn, 14, 12);
        let rs1 = bits(insn, 19, 15) as usize;
        match insn & 0x7f {
            0x03 if f3 != 7 => Some(Access {
                store: false,
                size: 1 << (f3 & 3),
                signed: f3 < 4,
                rs1,
                offset: ((insn as i32) >> 20) as i64,
                reg: bits(insn, 11, 7) as usize,
                len: 4,
            }),
            0x23 if f3 < 4 => Some(Access {
                store: true,
                size: 1 << f3,
                signed: false,
                rs1,
                offset: ((((insn as i32) >> 25) << 5) | bits(insn, 11, 7) as i32) as i64,
                reg: bits(insn, 24, 20) as usize,
                len: 4,
            }),
            _ => None,
        }
    } else {
        let insn = insn & 0xffff;
        let prime = |hi, lo| 8 + bits(insn, hi, lo) as usize;
        let (store, size, rs1, offset, reg) = match (insn & 3, bits(insn, 15, 13)) {
            // c.lw / c.ld / c.sw / c.sd: rs1', rd'/rs2'
            (0, 2) | (0, 6) => {
                let off =
                    (bits(insn, 5, 5) << 6) | (bits(insn, 12, 10) << 3) | (bits(insn, 6, 6) << 2);
                (insn & 0x8000 != 0, 4, prime(9, 7), off, prime(4, 2))
            }
            (0, 3) | (0, 7) => {
                let off = (bits(insn, 6, 5) << 6) | (bits(insn, 12, 10) << 3);
                (insn & 0x8000 != 0, 8, prime(9, 7), off, prime(4, 2))
            }
            // c.lwsp / c.ldsp: rd, sp
            (2, 2) => {
                let off =
                    (bits(insn, 3, 2) << 6) | (bits(insn, 12, 12) << 5) | (bits(insn, 6, 4) << 2);
                (false, 4, 2, off, bits(insn, 11, 7) as usize)
            }
            (2, 3) => {
                let off =
                    (bits(insn, 4, 2) << 6) | (bits(insn, 12, 12) << 5) | (bits(insn, 6, 5) << 3);
                (false, 8, 2, off, bits(insn, 11, 7) as usize)
            }
            // c.swsp / c.sdsp: rs2, sp
            (2, 6) => (
                (true),
                4,
                2,
                (bits(insn, 8, 7) << 6) | (bits(insn, 12, 9) << 2),
                bits(insn, 6, 2) as usize,
            ),
            (2, 7) => (
                (true),
                8,
                2,
                (bits(insn, 9, 7) << 6) | (bits(insn, 12, 10) << 3),
                bits(insn, 6, 2) as usize,
            ),
            _ => return None,
        };
        Some(Access {
            store,
            size,
            signed: !store,
            rs1,
            offset: offset as i64,
            reg,
            len: 2,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_and_stores_decode_as_the_assembler_encodes_them() {
        // lh a0, -3(a1)
        assert_eq!(
            decode(0xffd5_9503),
            Some(Access {
                store: false,
                size: 2,
                signed: true,
                rs1: 11,
                offset: -3,
                reg: 10,
                len: 4
            })
        );
        // lwu a0, 5(a1)
        assert_eq!(
            decode(0x0055_e503).map(|a| (a.size, a.signed, a.offset)),
            Some((4, false, 5))
        );
        // sd a2, -9(a1)
        assert_eq!(
            decode(0xfec5_bba3),
            Some(Access {
                store: true,
                size: 8,
                signed: false,
                rs1: 11,
                offset: -9,
                reg: 12,
                len: 4
            })
        );
        // c.lw a0, 4(a1)
        assert_eq!(
            decode(0x41c8),
            Some(Access {
                store: false,
                size: 4,
                signed: true,
                rs1: 11,
                offset: 4,
                reg: 10,
                len: 2
            })
        );
        // c.sdsp a0, 8(sp)
        assert_eq!(
            decode(0xe42a),
            Some(Access {
                store: true,
                size: 8,
                signed: false,
                rs1: 2,
                offset: 8,
                reg: 10,
                len: 2
            })
        );
        assert_eq!(decode(0x0000_0013), None); // nop
        assert_eq!(decode(0x0001), None); // c.nop
    }
}
