//! The test programs (`tests/asm/*.S`), assembled by the build script and embedded, so
//! that `cosim nightly` runs the very binaries the test suite runs.

use std::path::PathBuf;

include!(concat!(env!("OUT_DIR"), "/programs.rs"));

/// The directory the build script assembled the programs into (`<name>.elf`).
pub const DIR: &str = env!("COSIM_PROGRAMS_DIR");

/// The program called `name`, if there is one.
pub fn find(name: &str) -> Option<&'static [u8]> {
    IMAGES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, bytes)| *bytes)
}

/// The path of the assembled program called `name` in this build's output.
pub fn path(name: &str) -> PathBuf {
    PathBuf::from(DIR).join(format!("{name}.elf"))
}
