//! Instruction encoders for the random program generator (RV64IMAC, Zicsr).

pub fn r(opcode: u32, f3: u32, f7: u32, rd: u32, rs1: u32, rs2: u32) -> u32 {
    (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode
}

pub fn i(opcode: u32, f3: u32, rd: u32, rs1: u32, imm: i32) -> u32 {
    (((imm as u32) & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode
}

pub fn s(opcode: u32, f3: u32, rs1: u32, rs2: u32, imm: i32) -> u32 {
    let imm = imm as u32;
    (((imm >> 5) & 0x7f) << 25)
        | (rs2 << 20)
        | (rs1 << 15)
        | (f3 << 12)
        | ((imm & 0x1f) << 7)
        | opcode
}

/// A conditional branch; `offset` is even and within ±4 KiB.
pub fn b(f3: u32, rs1: u32, rs2: u32, offset: i32) -> u32 {
    let o = offset as u32;
    (((o >> 12) & 1) << 31)
        | (((o >> 5) & 0x3f) << 25)
        | (rs2 << 20)
        | (rs1 << 15)
        | (f3 << 12)
        | (((o >> 1) & 0xf) << 8)
        | (((o >> 11) & 1) << 7)
        | 0x63
}

/// JAL; `offset` is even and within ±1 MiB.
pub fn jal(rd: u32, offset: i32) -> u32 {
    let o = offset as u32;
    (((o >> 20) & 1) << 31)
        | (((o >> 1) & 0x3ff) << 21)
        | (((o >> 11) & 1) << 20)
        | (((o >> 12) & 0xff) << 12)
        | (rd << 7)
        | 0x6f
}

pub fn lui(rd: u32, imm20: u32) -> u32 {
    ((imm20 & 0xfffff) << 12) | (rd << 7) | 0x37
}

pub fn auipc(rd: u32, imm20: u32) -> u32 {
    ((imm20 & 0xfffff) << 12) | (rd << 7) | 0x17
}

pub fn addi(rd: u32, rs1: u32, imm: i32) -> u32 {
    i(0x13, 0, rd, rs1, imm)
}

pub fn csr(f3: u32, rd: u32, rs1_or_uimm: u32, csr: u32) -> u32 {
    (csr << 20) | (rs1_or_uimm << 15) | (f3 << 12) | (rd << 7) | 0x73
}

pub const ECALL: u32 = 0x0000_0073;
pub const EBREAK: u32 = 0x0010_0073;
pub const MRET: u32 = 0x3020_0073;
pub const SRET: u32 = 0x1020_0073;
pub const WFI: u32 = 0x1050_0073;
pub const FENCE_I: u32 = 0x0000_100f;

/// `li rd, value` for any 64-bit value: the instruction sequence.
pub fn li(rd: u32, value: u64) -> Vec<u32> {
    let v = value as i64;
    if (-2048..2048).contains(&v) {
        return vec![addi(rd, 0, v as i32)];
    }
    if (i32::MIN as i64..=i32::MAX as i64).contains(&v) {
        let lo = ((v << 52) >> 52) as i32;
        let hi = (v.wrapping_sub(lo as i64) >> 12) as u32;
        let mut seq = vec![lui(rd, hi)];
        if lo != 0 {
            seq.push(i(0x1b, 0, rd, rd, lo)); // addiw keeps the 32-bit sign extension
        }
        return seq;
    }
    // The top bits first, then 12 bits at a time.
    let lo = ((v << 52) >> 52) as i32;
    let rest = v.wrapping_sub(lo as i64) >> 12;
    let mut seq = li(rd, rest as u64);
    seq.push(i(0x13, 1, rd, rd, 12)); // slli rd, rd, 12
    if lo != 0 {
        seq.push(addi(rd, rd, lo));
    }
    seq
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_match_the_assembler() {
        // Checked against riscv64-unknown-elf-as.
        assert_eq!(r(0x33, 0, 0, 10, 11, 12), 0x00c5_8533); // add a0, a1, a2
        assert_eq!(i(0x03, 3, 10, 11, -8), 0xff85_b503); // ld a0, -8(a1)
        assert_eq!(s(0x23, 3, 11, 10, 16), 0x00a5_b823); // sd a0, 16(a1)
        assert_eq!(b(0, 10, 11, 8), 0x00b5_0463); // beq a0, a1, +8
        assert_eq!(b(1, 10, 0, -4), 0xfe05_1ee3); // bnez a0, -4
        assert_eq!(jal(1, 2048), 0x0010_00ef); // jal ra, +2048
        assert_eq!(csr(2, 10, 0, 0x300), 0x3000_2573); // csrr a0, mstatus
    }

    #[test]
    fn li_sequences_compute_the_value() {
        for v in [
            0u64,
            5,
            2047,
            2048,
            u64::MAX,
            0x8000_0000,
            0x7fff_ffff,
            0x1234_5678_9abc_def0,
            1 << 63,
        ] {
            let mut x: i64 = 0;
            for insn in li(5, v) {
                let imm = (insn as i32) >> 20;
                match insn & 0x7f {
                    0x13 if (insn >> 12) & 7 == 0 => x = x.wrapping_add(imm as i64),
                    0x13 => x <<= imm & 63,
                    0x37 => x = ((insn & 0xffff_f000) as i32) as i64,
                    0x1b => x = (x as i32).wrapping_add(imm) as i64,
                    other => panic!("unexpected opcode {other:#x}"),
                }
            }
            assert_eq!(x as u64, v, "li {v:#x}");
        }
    }
}
