//! Typed physical addresses, so that a physical address is never confused with an
//! offset into a region or with a virtual address.

use std::fmt;
use std::ops::{Add, Sub};

/// A physical address on the SoC's AXI port.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PhysAddr(pub u64);

impl PhysAddr {
    /// Wraps a raw address.
    #[inline]
    pub const fn new(raw: u64) -> Self {
        Self(raw)
    }

    /// The raw address.
    #[inline]
    pub const fn raw(self) -> u64 {
        self.0
    }

    /// `self + bytes`, or `None` past the end of the 64-bit space.
    #[inline]
    pub fn checked_add(self, bytes: u64) -> Option<Self> {
        self.0.checked_add(bytes).map(Self)
    }

    /// The address rounded down to a multiple of `align` (a power of two).
    #[inline]
    pub const fn align_down(self, align: u64) -> Self {
        Self(self.0 & !(align - 1))
    }

    /// True when the address is a multiple of `align` (a power of two).
    #[inline]
    pub const fn is_aligned(self, align: u64) -> bool {
        self.0 & (align - 1) == 0
    }
}

impl Add<u64> for PhysAddr {
    type Output = PhysAddr;
    #[inline]
    fn add(self, bytes: u64) -> PhysAddr {
        PhysAddr(self.0 + bytes)
    }
}

/// The distance in bytes between two addresses.
impl Sub<PhysAddr> for PhysAddr {
    type Output = u64;
    #[inline]
    fn sub(self, base: PhysAddr) -> u64 {
        self.0 - base.0
    }
}

impl From<u64> for PhysAddr {
    fn from(raw: u64) -> Self {
        Self(raw)
    }
}

// Hex everywhere: an address printed in decimal is never what anyone wants.
impl fmt::Display for PhysAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#x}", self.0)
    }
}

impl fmt::Debug for PhysAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhysAddr({:#x})", self.0)
    }
}

impl fmt::LowerHex for PhysAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::LowerHex::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_and_display() {
        let a = PhysAddr::new(0x8000_1234);
        assert_eq!(a.align_down(0x1000), PhysAddr(0x8000_1000));
        assert!(!a.is_aligned(8));
        assert!(a.is_aligned(4));
        assert_eq!((a + 0x10).raw(), 0x8000_1244);
        assert_eq!(a - PhysAddr(0x8000_0000), 0x1234);
        assert_eq!(PhysAddr(u64::MAX).checked_add(1), None);
        assert_eq!(a.to_string(), "0x80001234");
        assert_eq!(format!("{a:x}"), "80001234");
    }
}
