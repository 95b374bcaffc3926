//! The Sv39/Sv48 page-table entry (privileged spec §4.4.1, §4.5.1): the same 64-bit
//! layout at every level and in both modes, so one type serves both.
//!
//! ```text
//!  63  62..61  60..54    53..10   9..8  7 6 5 4 3 2 1 0
//!   N   PBMT   reserved   PPN     RSW   D A G U X W R V
//! ```

/// Valid.
pub const V: u64 = 1 << 0;
/// Readable.
pub const R: u64 = 1 << 1;
/// Writable.
pub const W: u64 = 1 << 2;
/// Executable.
pub const X: u64 = 1 << 3;
/// Accessible to U-mode.
pub const U: u64 = 1 << 4;
/// Global: present in every address space.
pub const G: u64 = 1 << 5;
/// Accessed.
pub const A: u64 = 1 << 6;
/// Dirty.
pub const D: u64 = 1 << 7;
/// The eight flag bits V..D.
pub const FLAGS_MASK: u64 = 0xff;

/// Reserved for supervisor software; hardware ignores them.
pub const RSW_SHIFT: u32 = 8;
pub const RSW_MASK: u64 = 0b11 << RSW_SHIFT;

/// The physical page number: 44 bits in both Sv39 and Sv48 (a 56-bit PA).
pub const PPN_SHIFT: u32 = 10;
pub const PPN_BITS: u32 = 44;
pub const PPN_MASK: u64 = ((1 << PPN_BITS) - 1) << PPN_SHIFT;

/// Bits 60..54: reserved for future standard use; a PTE with any set faults.
pub const RESERVED_MASK: u64 = 0x7f << 54;
/// Bits 62..61: Svpbmt's page-based memory type.
pub const PBMT_SHIFT: u32 = 61;
pub const PBMT_MASK: u64 = 0b11 << PBMT_SHIFT;
/// Bit 63: Svnapot's naturally aligned power-of-two marker.
pub const N: u64 = 1 << 63;

/// One page-table entry, as stored in memory.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Pte(pub u64);

impl Pte {
    /// A valid leaf mapping `ppn` with `flags` (R/W/X/U/G/A/D; V is added). The PPN
    /// must fit in 44 bits and the flags in bits 7..0.
    pub const fn leaf(ppn: u64, flags: u64) -> Pte {
        debug_assert!(ppn >> PPN_BITS == 0, "PPN wider than 44 bits");
        debug_assert!(flags & !FLAGS_MASK == 0, "flags outside bits 7..0");
        debug_assert!(flags & (R | X) != 0, "a leaf needs R or X");
        Pte(V | flags | (ppn << PPN_SHIFT))
    }

    /// A valid pointer to the next-level table at physical page `ppn`: V set, R=W=X=0,
    /// and (as the spec requires of non-leaf entries) U=A=D=0.
    pub const fn table(ppn: u64) -> Pte {
        debug_assert!(ppn >> PPN_BITS == 0, "PPN wider than 44 bits");
        Pte(V | (ppn << PPN_SHIFT))
    }

    pub const fn bits(self) -> u64 {
        self.0
    }

    /// True when every bit of `mask` is set.
    pub const fn has(self, mask: u64) -> bool {
        self.0 & mask == mask
    }

    pub const fn v(self) -> bool {
        self.has(V)
    }
    pub const fn r(self) -> bool {
        self.has(R)
    }
    pub const fn w(self) -> bool {
        self.has(W)
    }
    pub const fn x(self) -> bool {
        self.has(X)
    }
    pub const fn u(self) -> bool {
        self.has(U)
    }
    pub const fn g(self) -> bool {
        self.has(G)
    }
    pub const fn a(self) -> bool {
        self.has(A)
    }
    pub const fn d(self) -> bool {
        self.has(D)
    }
    pub const fn n(self) -> bool {
        self.has(N)
    }

    /// Bits 7..0 (D A G U X W R V).
    pub const fn flags(self) -> u64 {
        self.0 & FLAGS_MASK
    }

    pub const fn rsw(self) -> u64 {
        (self.0 & RSW_MASK) >> RSW_SHIFT
    }

    pub const fn ppn(self) -> u64 {
        (self.0 & PPN_MASK) >> PPN_SHIFT
    }

    /// Bits 60..54, shifted down.
    pub const fn reserved(self) -> u64 {
        (self.0 & RESERVED_MASK) >> 54
    }

    pub const fn pbmt(self) -> u64 {
        (self.0 & PBMT_MASK) >> PBMT_SHIFT
    }

    /// A leaf maps memory; R=W=X=0 points to the next table (spec §4.3.2 step 4).
    pub const fn is_leaf(self) -> bool {
        self.0 & (R | X) != 0
    }

    /// The same entry with `mask` set (e.g. A and D after a hardware update).
    pub const fn with(self, mask: u64) -> Pte {
        Pte(self.0 | mask)
    }
}

impl core::fmt::Debug for Pte {
    // Flags as letters, as in a page-table dump: far easier to read than hex.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut letters = [b'-'; 8];
        for (i, c) in b"VRWXUGAD".iter().enumerate() {
            if self.0 & (1 << i) != 0 {
                letters[7 - i] = *c;
            }
        }
        let letters = core::str::from_utf8(&letters).unwrap_or("????????");
        write!(f, "Pte({:#018x}: ppn={:#x} {letters}", self.0, self.ppn())?;
        if self.0 & (RESERVED_MASK | PBMT_MASK | N) != 0 {
            write!(f, " high={:#x}", self.0 >> 54)?;
        }
        write!(f, ")")
    }
}

impl From<u64> for Pte {
    fn from(bits: u64) -> Pte {
        Pte(bits)
    }
}

impl From<Pte> for u64 {
    fn from(pte: Pte) -> u64 {
        pte.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::format;

    #[test]
    fn flag_bits_are_the_specs() {
        let bits = [V, R, W, X, U, G, A, D];
        for (i, b) in bits.iter().enumerate() {
            assert_eq!(*b, 1 << i);
        }
        assert_eq!(RSW_MASK, 0x300);
        assert_eq!(PPN_MASK, 0x003f_ffff_ffff_fc00);
        assert_eq!(RESERVED_MASK, 0x1fc0_0000_0000_0000);
        assert_eq!(PBMT_MASK, 0x6000_0000_0000_0000);
        assert_eq!(N, 0x8000_0000_0000_0000);
        // The fields tile the whole word without overlap.
        let all = FLAGS_MASK | RSW_MASK | PPN_MASK | RESERVED_MASK | PBMT_MASK | N;
        assert_eq!(all, u64::MAX);
        assert_eq!(
            FLAGS_MASK & RSW_MASK & PPN_MASK & RESERVED_MASK & PBMT_MASK & N,
            0
        );
    }

    #[test]
    fn leaf_and_table_constructors() {
        let p = Pte::leaf(0x8_0123, R | W | A | D);
        assert_eq!(p.bits(), (0x8_0123 << 10) | 0xc7);
        assert!(p.v() && p.r() && p.w() && !p.x() && !p.u() && !p.g() && p.a() && p.d());
        assert!(p.is_leaf());
        assert_eq!(p.ppn(), 0x8_0123);
        assert_eq!(p.flags(), 0xc7);

        let t = Pte::table(0xfff_ffff_ffff);
        assert_eq!(t.bits(), (0xfff_ffff_ffff << 10) | 1);
        assert!(t.v() && !t.is_leaf());
        assert_eq!(t.ppn(), 0xfff_ffff_ffff);
    }

    #[test]
    fn is_leaf_is_r_or_x() {
        assert!(!Pte(V).is_leaf());
        assert!(!Pte(V | W).is_leaf()); // reserved encoding, but not a leaf by this rule
        assert!(Pte(V | R).is_leaf());
        assert!(Pte(V | X).is_leaf());
        assert!(Pte(V | R | W | X).is_leaf());
    }

    #[test]
    fn high_fields() {
        let p = Pte(N | (0b10 << 61) | (0x41 << 54) | (0b11 << 8) | (7 << 10) | V);
        assert!(p.n());
        assert_eq!(p.pbmt(), 0b10);
        assert_eq!(p.reserved(), 0x41);
        assert_eq!(p.rsw(), 0b11);
        assert_eq!(p.ppn(), 7);
        assert_eq!(Pte::table(7).with(A | D).bits(), (7 << 10) | V | A | D);
        assert_eq!(u64::from(Pte::from(0x1234)), 0x1234);
    }

    #[test]
    fn debug_shows_letters() {
        let s = format!("{:?}", Pte::leaf(0x80000, R | X | A));
        assert!(s.contains("ppn=0x80000"), "{s}");
        assert!(s.contains("-A--X-RV"), "{s}");
        let s = format!("{:?}", Pte(N | V));
        assert!(s.contains("high=0x200"), "{s}");
    }
}
