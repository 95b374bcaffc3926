//! The firmware images built from `firmware/` by the build script, embedded in the
//! library so that `cosim` runs them from anywhere.

/// Every embedded firmware image, by name.
pub const IMAGES: &[(&str, &[u8])] = &[
    (
        "hello",
        include_bytes!(concat!(env!("COSIM_FIRMWARE_DIR"), "/hello")),
    ),
    (
        "calibrate",
        include_bytes!(concat!(env!("COSIM_FIRMWARE_DIR"), "/calibrate")),
    ),
    (
        "bench",
        include_bytes!(concat!(env!("COSIM_FIRMWARE_DIR"), "/bench")),
    ),
    (
        "vmemmap",
        include_bytes!(concat!(env!("COSIM_FIRMWARE_DIR"), "/vmemmap")),
    ),
];

/// The firmware image called `name`, if it was built.
pub fn find(name: &str) -> Option<&'static [u8]> {
    IMAGES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, bytes)| *bytes)
}

/// The firmware image called `name`.
///
/// # Panics
/// If no such image was built (a programming error: names are fixed at build time).
pub fn image(name: &str) -> &'static [u8] {
    IMAGES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, bytes)| *bytes)
        .unwrap_or_else(|| panic!("no firmware image named {name:?}"))
}
