//! Loading programs into the system's memory.

pub mod elf;

pub use elf::{
    load_elf, load_elf_file, patch_symbol, read_image, ElfError, ElfSymbol, LoadedElf,
    LoadedSegment, MAX_IMAGE_SIZE,
};
