//! Program loading: ELF images into the system bus.

pub mod elf;

pub use elf::{load_elf, ElfError, LoadedElf};
