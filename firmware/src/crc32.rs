//! CRC-32 (IEEE, reflected, polynomial 0xedb88320) through a 256-entry table: the
//! `hello` firmware checks it, the `bench` firmware spends its rounds in it.

/// The lookup table, computed bit by bit.
pub fn table() -> [u32; 256] {
    let mut table = [0u32; 256];
    for (i, entry) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *entry = c;
    }
    table
}

/// Folds `bytes` into the running (not yet inverted) `crc`.
#[inline]
pub fn update(table: &[u32; 256], mut crc: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        crc = table[((crc ^ u32::from(b)) & 0xff) as usize] ^ (crc >> 8);
    }
    crc
}

/// The CRC-32 of `data`.
pub fn crc32(data: &[u8]) -> u32 {
    !update(&table(), !0, data)
}
