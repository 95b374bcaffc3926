//! `cosim pmem`: pmem images prepared outside a run.

use clap::{Args, Subcommand};
use cosim::linux::devdax::{DevDax, MapLocation, INFO_BLOCK_OFFSET};
use cosim::memory::PmemImage;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct PmemArgs {
    #[command(subcommand)]
    pub command: PmemCommand,
}

#[derive(Subcommand, Debug)]
pub enum PmemCommand {
    /// Write a namespace info block into a pmem image (created when missing), as
    /// `ndctl create-namespace -m devdax` does, so that Linux finds /dev/dax0.0.
    Format(FormatArgs),
}

#[derive(Args, Debug)]
pub struct FormatArgs {
    /// The pmem image.
    pub image: PathBuf,
    /// Format the namespace as device-dax (the only mode cosim writes).
    #[arg(long, required = true)]
    pub devdax: bool,
    /// Device-dax alignment: 4K or 2M.
    #[arg(long, default_value = "2M", value_parser = super::linux::parse_devdax_align)]
    pub align: u64,
    /// Where the struct pages live: mem (DRAM) or dev (in the device).
    #[arg(long, value_enum, default_value = "mem")]
    pub map: MapLocation,
    /// The pmem region's size (what `cosim linux --pmem-size` will use).
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = super::run::parse_pmem_size)]
    pub size: u64,
}

pub fn pmem(args: PmemArgs) -> anyhow::Result<i32> {
    match args.command {
        PmemCommand::Format(f) => format(f),
    }
}

fn format(args: FormatArgs) -> anyhow::Result<i32> {
    let base = cosim::memory::MemoryMap::new(cosim::memory::region::DRAM_DEFAULT_SIZE, args.size)?
        .pmem
        .base
        .raw();
    let dax = DevDax::new(base, args.size, args.align, args.map)?;
    let (mut image, mut mem) = PmemImage::open(&args.image, args.size)?;
    mem.write(
        INFO_BLOCK_OFFSET,
        &dax.info_block(cosim::linux::namespace_uuid(&dax)),
    );
    image.commit(&mem, [INFO_BLOCK_OFFSET / 4096])?;
    eprintln!(
        "cosim pmem: {}: device-dax namespace, align {} KiB, struct pages in {}, data at +{:#x}, {} pages",
        args.image.display(),
        args.align >> 10,
        match args.map {
            MapLocation::Mem => "DRAM",
            MapLocation::Dev => "the device",
        },
        dax.data_offset(),
        dax.npfns()
    );
    Ok(0)
}
