//! The device-dax info block: what `ndctl create-namespace -m devdax` writes at
//! offset 4 KiB of a raw pmem namespace so that Linux probes it as `/dev/daxN.M`
//! (`struct nd_pfn_sb`, drivers/nvdimm/pfn.h, version 1.4), with the offsets and
//! checksum Linux 6.12 checks (drivers/nvdimm/pfn_devs.c: nd_pfn_init,
//! nd_pfn_validate). Facts: ../shared/LINUX_BOOT.md.

/// Where the info block sits in the namespace.
pub const INFO_BLOCK_OFFSET: u64 = 4096;
pub const INFO_BLOCK_SIZE: usize = 4096;

const SIGNATURE: &[u8; 16] = b"NVDIMM_DAX_INFO\0";
const PAGE_SIZE: u64 = 4096;
/// The info block and the label area before it (nd_pfn_init's SZ_8K).
const RESERVED: u64 = 8192;
/// The struct page size reserved per pfn when the memmap lives in the device.
const MAX_STRUCT_PAGE_SIZE: u64 = 64;
/// memremap_compat_align() on RISC-V: SUBSECTION_SIZE.
const COMPAT_ALIGN: u64 = 2 << 20;

// Field offsets in struct nd_pfn_sb.
const UUID: usize = 16;
const VERSION_MAJOR: usize = 52;
const VERSION_MINOR: usize = 54;
const DATAOFF: usize = 56;
const NPFNS: usize = 64;
const MODE: usize = 72;
const END_TRUNC: usize = 80;
const ALIGN: usize = 84;
const PAGE_SIZE_FIELD: usize = 88;
const PAGE_STRUCT_SIZE: usize = 92;
const CHECKSUM: usize = 4088;

/// Where the struct pages of the device's memory live (the namespace's `--map`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MapLocation {
    /// In DRAM (PFN_MODE_RAM): what the DAX vmemmap optimization needs.
    Mem,
    /// In the device itself (PFN_MODE_PMEM, an altmap): the optimization is off.
    Dev,
}

/// A device-dax namespace over a whole pmem region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DevDax {
    /// The region's physical base and size.
    pub start: u64,
    pub size: u64,
    /// The device-dax alignment (its compound page size): 4 KiB or 2 MiB.
    pub align: u64,
    pub map: MapLocation,
}

/// A namespace Linux 6.12 on RISC-V would refuse.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DevDaxError {
    #[error("alignment {0:#x}: Linux 6.12 on RISC-V offers device-dax alignments of 4K and 2M only (no 1 GiB: no PUD-sized THP)")]
    Align(u64),
    #[error("pmem region [{start:#x}, +{size:#x}) must start and end on a 2 MiB boundary (memremap_compat_align)")]
    Misaligned { start: u64, size: u64 },
    #[error("a {size:#x}-byte region leaves no data after the {offset:#x}-byte reserve for alignment {align:#x}")]
    TooSmall { size: u64, offset: u64, align: u64 },
}

impl DevDax {
    /// Checks the parameters as nd_pfn_init and nd_pfn_validate do.
    pub fn new(start: u64, size: u64, align: u64, map: MapLocation) -> Result<Self, DevDaxError> {
        if align != 4096 && align != 2 << 20 {
            return Err(DevDaxError::Align(align));
        }
        if !start.is_multiple_of(COMPAT_ALIGN) || !size.is_multiple_of(COMPAT_ALIGN) {
            return Err(DevDaxError::Misaligned { start, size });
        }
        let dax = Self {
            start,
            size,
            align,
            map,
        };
        let offset = dax.data_offset();
        if offset >= size {
            return Err(DevDaxError::TooSmall {
                size,
                offset,
                align,
            });
        }
        Ok(dax)
    }

    /// Where the device's data (its first pfn) begins, from the namespace's start:
    /// after the 8 KiB reserve and, with `--map dev`, the memmap; rounded up to the
    /// alignment (at least 2 MiB).
    pub fn data_offset(&self) -> u64 {
        let align = self.align.max(COMPAT_ALIGN);
        let npfns = (self.size - RESERVED) / PAGE_SIZE;
        let memmap = match self.map {
            MapLocation::Mem => 0,
            MapLocation::Dev => MAX_STRUCT_PAGE_SIZE * npfns,
        };
        (self.start + RESERVED + memmap).next_multiple_of(align) - self.start
    }

    /// Pages of data the device offers.
    pub fn npfns(&self) -> u64 {
        (self.size - self.data_offset()) / PAGE_SIZE
    }

    /// The 4 KiB info block, checksum included; `uuid` names the namespace.
    pub fn info_block(&self, uuid: [u8; 16]) -> [u8; INFO_BLOCK_SIZE] {
        let mut b = [0u8; INFO_BLOCK_SIZE];
        b[..16].copy_from_slice(SIGNATURE);
        b[UUID..UUID + 16].copy_from_slice(&uuid);
        // parent_uuid stays zero: the namespace is a raw (label-less) one.
        b[VERSION_MAJOR..VERSION_MAJOR + 2].copy_from_slice(&1u16.to_le_bytes());
        b[VERSION_MINOR..VERSION_MINOR + 2].copy_from_slice(&4u16.to_le_bytes());
        b[DATAOFF..DATAOFF + 8].copy_from_slice(&self.data_offset().to_le_bytes());
        b[NPFNS..NPFNS + 8].copy_from_slice(&self.npfns().to_le_bytes());
        let mode: u32 = match self.map {
            MapLocation::Mem => 1,
            MapLocation::Dev => 2,
        };
        b[MODE..MODE + 4].copy_from_slice(&mode.to_le_bytes());
        b[END_TRUNC..END_TRUNC + 4].copy_from_slice(&0u32.to_le_bytes());
        b[ALIGN..ALIGN + 4].copy_from_slice(&(self.align as u32).to_le_bytes());
        b[PAGE_SIZE_FIELD..PAGE_SIZE_FIELD + 4].copy_from_slice(&(PAGE_SIZE as u32).to_le_bytes());
        b[PAGE_STRUCT_SIZE..PAGE_STRUCT_SIZE + 2]
            .copy_from_slice(&(MAX_STRUCT_PAGE_SIZE as u16).to_le_bytes());
        let sum = checksum(&b);
        b[CHECKSUM..].copy_from_slice(&sum.to_le_bytes());
        b
    }
}

/// nd_fletcher64 over the block's little-endian 32-bit words, with the checksum
/// field read as zero.
pub fn checksum(block: &[u8; INFO_BLOCK_SIZE]) -> u64 {
    let (mut lo, mut hi) = (0u32, 0u64);
    for (i, word) in block.chunks_exact(4).enumerate() {
        let w = if i * 4 >= CHECKSUM {
            0
        } else {
            u32::from_le_bytes(word.try_into().expect("4 bytes"))
        };
        lo = lo.wrapping_add(w);
        hi = hi.wrapping_add(u64::from(lo));
    }
    (hi << 32) | u64::from(lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: u64 = 0x1_0000_0000;
    const MIB: u64 = 1 << 20;

    #[test]
    fn offsets_follow_nd_pfn_init() {
        // Map in DRAM: the data starts at the first 2 MiB boundary after 8 KiB,
        // whatever the alignment (4K or 2M).
        for align in [4096, 2 * MIB] {
            let d = DevDax::new(BASE, 256 * MIB, align, MapLocation::Mem).unwrap();
            assert_eq!(d.data_offset(), 2 * MIB);
            assert_eq!(d.npfns(), (254 * MIB) / 4096);
        }
        // Map in the device: 64 bytes per pfn of (size - 8K) after the reserve.
        let d = DevDax::new(BASE, 256 * MIB, 2 * MIB, MapLocation::Dev).unwrap();
        let memmap = 64 * ((256 * MIB - 8192) / 4096);
        assert_eq!(d.data_offset(), (8192 + memmap).next_multiple_of(2 * MIB));
        assert_eq!(d.data_offset(), 6 * MIB);
    }

    #[test]
    fn linux_rejects_are_errors() {
        assert_eq!(
            DevDax::new(BASE, 256 * MIB, 1 << 30, MapLocation::Mem),
            Err(DevDaxError::Align(1 << 30))
        );
        assert!(matches!(
            DevDax::new(BASE, 255 * MIB, 2 * MIB, MapLocation::Mem),
            Err(DevDaxError::Misaligned { .. })
        ));
        assert!(matches!(
            DevDax::new(BASE, 2 * MIB, 2 * MIB, MapLocation::Mem),
            Err(DevDaxError::TooSmall { .. })
        ));
    }

    #[test]
    fn the_block_carries_its_fields_and_a_fletcher64_checksum() {
        let d = DevDax::new(BASE, 256 * MIB, 2 * MIB, MapLocation::Mem).unwrap();
        let b = d.info_block([7; 16]);
        assert_eq!(&b[..16], SIGNATURE);
        assert_eq!(
            u64::from_le_bytes(b[DATAOFF..DATAOFF + 8].try_into().unwrap()),
            2 * MIB
        );
        assert_eq!(
            u32::from_le_bytes(b[ALIGN..ALIGN + 4].try_into().unwrap()),
            2 << 20
        );
        // The checksum is over the block with its own field zeroed: recomputing it
        // over the finished block gives the stored value, and any flipped bit changes it.
        let stored = u64::from_le_bytes(b[CHECKSUM..].try_into().unwrap());
        assert_eq!(checksum(&b), stored);
        let mut flipped = b;
        flipped[DATAOFF] ^= 1;
        assert_ne!(checksum(&flipped), stored);
        // Known value: words 1, 2, then 1022 zeros: lo = 3, hi = 1 + 3 * 1023.
        let mut small = [0u8; INFO_BLOCK_SIZE];
        small[0] = 1;
        small[4] = 2;
        assert_eq!(checksum(&small), (3070 << 32) | 3);
    }
}
