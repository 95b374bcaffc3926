//! Sv39/Sv48 address geometry (privileged spec §4.1.11, §4.4, §4.5): the `satp`
//! register, how a virtual address splits into 9-bit VPN fields, the page size at
//! each level and which addresses are canonical.

use core::fmt;

/// 4 KiB base pages.
pub const PAGE_SHIFT: u32 = 12;
pub const PAGE_SIZE: u64 = 1 << PAGE_SHIFT;
/// Each level indexes a 512-entry table with 9 VPN bits.
pub const VPN_FIELD_BITS: u32 = 9;
/// A PTE is 8 bytes.
pub const PTE_SIZE: u64 = 8;
/// `VA[47:12]`: the widest VPN (Sv48's), the one the TLBs keep for both modes.
pub const VPN_BITS: u32 = 36;
pub const VPN_MASK: u64 = (1 << VPN_BITS) - 1;

/// A paged translation mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Sv39,
    Sv48,
}

impl Mode {
    /// The `satp.MODE` encoding.
    pub const fn satp_mode(self) -> u8 {
        match self {
            Mode::Sv39 => 8,
            Mode::Sv48 => 9,
        }
    }

    /// The mode a `satp.MODE` value selects; `None` for Bare (0) and every value we
    /// do not implement.
    pub const fn from_satp_mode(mode: u8) -> Option<Mode> {
        match mode {
            8 => Some(Mode::Sv39),
            9 => Some(Mode::Sv48),
            _ => None,
        }
    }

    /// Page-table levels: the walk starts at level `levels() - 1`.
    pub const fn levels(self) -> u8 {
        match self {
            Mode::Sv39 => 3,
            Mode::Sv48 => 4,
        }
    }

    /// Significant virtual-address bits; the bits above must copy bit `va_bits() - 1`.
    pub const fn va_bits(self) -> u32 {
        match self {
            Mode::Sv39 => 39,
            Mode::Sv48 => 48,
        }
    }
}

/// `satp.MODE` value of an untranslated hart.
pub const SATP_MODE_BARE: u8 = 0;

/// A decoded `satp` (MODE 63:60, ASID 59:44, PPN 43:0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Satp {
    /// `None` is Bare: no translation.
    pub mode: Option<Mode>,
    pub asid: u16,
    /// Physical page of the root page table.
    pub ppn: u64,
}

/// `satp.MODE` held a value that is neither Bare, Sv39 nor Sv48. A real hart never
/// holds one (writing it leaves `satp` unchanged), so it means a bad input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnsupportedSatpMode(pub u8);

impl fmt::Display for UnsupportedSatpMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "satp.MODE {} is not Bare (0), Sv39 (8) or Sv48 (9)",
            self.0
        )
    }
}

impl core::error::Error for UnsupportedSatpMode {}

impl Satp {
    pub const PPN_MASK: u64 = (1 << 44) - 1;

    pub const fn new(mode: Option<Mode>, asid: u16, ppn: u64) -> Satp {
        Satp { mode, asid, ppn }
    }

    pub const fn decode(raw: u64) -> Result<Satp, UnsupportedSatpMode> {
        let mode_bits = (raw >> 60) as u8;
        let mode = match mode_bits {
            SATP_MODE_BARE => None,
            m => match Mode::from_satp_mode(m) {
                Some(m) => Some(m),
                None => return Err(UnsupportedSatpMode(m)),
            },
        };
        Ok(Satp {
            mode,
            asid: (raw >> 44) as u16,
            ppn: raw & Satp::PPN_MASK,
        })
    }

    /// The register value (what the firmware writes to `satp`).
    pub const fn bits(self) -> u64 {
        let mode = match self.mode {
            Some(m) => m.satp_mode(),
            None => SATP_MODE_BARE,
        };
        ((mode as u64) << 60) | ((self.asid as u64) << 44) | (self.ppn & Satp::PPN_MASK)
    }
}

/// The 9-bit VPN field that indexes the table at `level` (0 = the last level).
pub const fn vpn(va: u64, level: u8) -> u64 {
    (va >> (PAGE_SHIFT + VPN_FIELD_BITS * level as u32)) & 0x1ff
}

/// Bytes mapped by one leaf at `level`: 4 KiB, 2 MiB, 1 GiB, 512 GiB.
pub const fn page_size(level: u8) -> u64 {
    PAGE_SIZE << (VPN_FIELD_BITS * level as u32)
}

/// Sv39 requires `VA[63:39]` to equal bit 38, Sv48 `VA[63:48]` to equal bit 47.
pub const fn is_canonical(mode: Mode, va: u64) -> bool {
    let unused = 64 - mode.va_bits();
    (((va << unused) as i64) >> unused) as u64 == va
}

/// `VA[47:12]`, the page number the TLBs tag entries with.
pub const fn va_vpn(va: u64) -> u64 {
    (va >> PAGE_SHIFT) & VPN_MASK
}

/// The low `9 * level` bits of a page number: those a superpage at `level` leaves to
/// the virtual address.
pub const fn superpage_mask(level: u8) -> u64 {
    (1 << (VPN_FIELD_BITS * level as u32)) - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn modes() {
        assert_eq!(Mode::Sv39.satp_mode(), 8);
        assert_eq!(Mode::Sv48.satp_mode(), 9);
        assert_eq!(Mode::Sv39.levels(), 3);
        assert_eq!(Mode::Sv48.levels(), 4);
        assert_eq!(Mode::Sv39.va_bits(), 39);
        assert_eq!(Mode::Sv48.va_bits(), 48);
        assert_eq!(Mode::from_satp_mode(8), Some(Mode::Sv39));
        assert_eq!(Mode::from_satp_mode(9), Some(Mode::Sv48));
        for m in [0, 1, 7, 10, 11, 15] {
            assert_eq!(Mode::from_satp_mode(m), None);
        }
    }

    #[test]
    fn satp_decode_and_encode() {
        let raw = (8 << 60) | (0xbeef << 44) | 0x8_0042;
        let s = Satp::decode(raw).unwrap();
        assert_eq!(s, Satp::new(Some(Mode::Sv39), 0xbeef, 0x8_0042));
        assert_eq!(s.bits(), raw);

        let raw = (9 << 60) | (0xffff << 44) | Satp::PPN_MASK;
        let s = Satp::decode(raw).unwrap();
        assert_eq!(
            (s.mode, s.asid, s.ppn),
            (Some(Mode::Sv48), 0xffff, Satp::PPN_MASK)
        );
        assert_eq!(s.bits(), raw);

        let s = Satp::decode(0x1234).unwrap();
        assert_eq!((s.mode, s.asid, s.ppn), (None, 0, 0x1234));

        let e = Satp::decode(10 << 60).unwrap_err();
        assert_eq!(e, UnsupportedSatpMode(10));
        assert!(e.to_string().contains("satp.MODE 10"));
        assert_eq!(Satp::decode(1 << 60), Err(UnsupportedSatpMode(1)));
    }

    #[test]
    fn vpn_fields() {
        // VPN[3]=0x1a5, VPN[2]=0x0f3, VPN[1]=0x1ff, VPN[0]=0x001, offset 0xabc.
        let va = (0x1a5 << 39) | (0x0f3 << 30) | (0x1ff << 21) | (0x001 << 12) | 0xabc;
        assert_eq!(vpn(va, 0), 0x001);
        assert_eq!(vpn(va, 1), 0x1ff);
        assert_eq!(vpn(va, 2), 0x0f3);
        assert_eq!(vpn(va, 3), 0x1a5);
        assert_eq!(va_vpn(va | (0xffff << 48)), va >> 12);
    }

    #[test]
    fn page_sizes() {
        assert_eq!(page_size(0), 4 << 10);
        assert_eq!(page_size(1), 2 << 20);
        assert_eq!(page_size(2), 1 << 30);
        assert_eq!(page_size(3), 512 << 30);
        assert_eq!(superpage_mask(0), 0);
        assert_eq!(superpage_mask(1), 0x1ff);
        assert_eq!(superpage_mask(3), (1 << 27) - 1);
    }

    #[test]
    fn canonical_addresses() {
        let m = Mode::Sv39;
        assert!(is_canonical(m, 0));
        assert!(is_canonical(m, 0x3f_ffff_ffff)); // top of the lower half
        assert!(!is_canonical(m, 0x40_0000_0000)); // bit 38 set, upper bits clear
        assert!(is_canonical(m, 0xffff_ffc0_0000_0000)); // bottom of the upper half
        assert!(!is_canonical(m, 0xffff_ff80_0000_0000)); // bit 38 clear, upper set
        assert!(is_canonical(m, u64::MAX));
        assert!(!is_canonical(m, 1 << 63));

        let m = Mode::Sv48;
        assert!(is_canonical(m, 0x7fff_ffff_ffff));
        assert!(!is_canonical(m, 0x8000_0000_0000));
        assert!(is_canonical(m, 0xffff_8000_0000_0000));
        assert!(!is_canonical(m, 0xfffe_8000_0000_0000));
        assert!(is_canonical(m, 0x40_0000_0000)); // Sv39-non-canonical is fine in Sv48
    }
}
