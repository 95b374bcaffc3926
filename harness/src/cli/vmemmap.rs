//! `cosim vmemmap`: one configuration of the vmemmap firmware, checked.

use clap::Args;
use cosim::loader::read_image;
use cosim::memory::timing::Profile;
use cosim::sim::{failure_json, write_json, RunConfig};
use cosim::vmemmap::{run, Mode, VmemmapConfig};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct VmemmapArgs {
    /// How the vmemmap is populated.
    #[arg(long, value_enum, default_value = "dax")]
    pub mode: Mode,
    /// Device-dax alignment (compound page size): 4K, 2M or 1G.
    #[arg(long, default_value = "2M", value_parser = parse_align)]
    pub align: u32,
    /// Size of the pmem device (a multiple of 128 MiB and of the alignment).
    #[arg(long, default_value = "4G", value_parser = super::run::parse_pmem_size)]
    pub pmem_size: u64,
    #[arg(long, value_enum, default_value = "sv39")]
    pub paging: Paging,
    /// `struct page` size: 64, or 56 (RISC-V without CONFIG_MEMCG: Linux then does not
    /// optimize the vmemmap).
    #[arg(long, default_value_t = 64, value_parser = parse_struct_page)]
    pub struct_page: u64,
    #[command(flatten)]
    pub workload: WorkloadArgs,
    #[command(flatten)]
    pub checks: super::run::ChecksArgs,
    #[command(flatten)]
    pub trace: super::run::TraceArgs,
    /// Run this ELF instead of the built-in vmemmap firmware.
    #[arg(long, value_name = "FILE")]
    pub elf: Option<PathBuf>,
}

/// What the firmware's workloads do, and under which memory timing.
#[derive(Args, Debug)]
pub struct WorkloadArgs {
    /// Workload size: pfn lookups per lookup phase, compound pages per fault/data phase.
    #[arg(long, default_value_t = 4096)]
    pub iterations: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Memory timing (ideal, ddr4, optane or FILE.toml).
    #[arg(long, value_parser = super::run::parse_profile)]
    pub profile: Option<Profile>,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Paging {
    Sv39,
    Sv48,
}

fn parse_struct_page(s: &str) -> Result<u64, String> {
    match s {
        "64" => Ok(64),
        "56" => Ok(56),
        _ => Err(format!("struct page size {s:?}: 64 or 56")),
    }
}

fn parse_align(s: &str) -> Result<u32, String> {
    match s.to_ascii_uppercase().as_str() {
        "4K" => Ok(12),
        "2M" => Ok(21),
        "1G" => Ok(30),
        _ => Err(format!("alignment {s:?}: 4K, 2M or 1G")),
    }
}

pub fn vmemmap(args: VmemmapArgs) -> anyhow::Result<i32> {
    let elf = match &args.elf {
        Some(path) => read_image(path, cosim::loader::MAX_IMAGE_SIZE)?,
        None => cosim::firmware::find("vmemmap")
            .ok_or_else(|| anyhow::anyhow!("this build has no vmemmap firmware"))?
            .to_vec(),
    };
    let config = VmemmapConfig {
        mode: args.mode,
        compound_shift: args.align,
        pmem_size: args.pmem_size,
        paging: match args.paging {
            Paging::Sv39 => 8,
            Paging::Sv48 => 9,
        },
        struct_page_size: args.struct_page,
        iterations: args.workload.iterations,
        seed: args.workload.seed,
    };
    let cfg = RunConfig {
        memory_map: cosim::memory::MemoryMap::new(
            cosim::memory::region::DRAM_DEFAULT_SIZE,
            args.pmem_size.max(4096),
        )?,
        profile: args.workload.profile,
        lockstep: args.checks.lockstep,
        check_counters: args.checks.check_counters,
        trace: args.trace.trace.clone(),
        trace_from: args.trace.trace_from,
        echo_console: true,
        ..RunConfig::default()
    };
    let result = match run(&elf, config, &cfg) {
        Ok(result) => result,
        Err(e) => {
            // The JSON still says why the run failed (cosim nightly reads it).
            if let Some(path) = &args.checks.json {
                write_json(path, &failure_json(&e.to_string(), e.check(), None))?;
            }
            return Err(e.into());
        }
    };
    let v = &result.census;
    eprintln!(
        "cosim vmemmap: {:?}, {} KiB alignment, {} MiB pmem: {} KiB of vmemmap data ({} expected), \
         {} KiB of it in pmem, {} table pages, {} 4K + {} 2M mappings, {} struct pages checked; \
         {} cycles",
        config.mode,
        (1u64 << config.compound_shift) >> 10,
        config.pmem_size >> 20,
        v.data_frames * 4,
        result.expected_data_bytes >> 10,
        v.frames_in_pmem * 4,
        v.table_pages,
        v.mappings_4k,
        v.mappings_2m,
        result.struct_pages_checked,
        result.outcome.cycles
    );
    if !cosim::vmemmap::reachable_on_riscv_linux(config.compound_shift) {
        eprintln!("cosim vmemmap: note: {}", cosim::vmemmap::NOT_REACHABLE_WHY);
    }
    if let Some(path) = &args.checks.json {
        write_json(path, &result.to_json(&cfg))?;
    }
    if result
        .outcome
        .tlb_check
        .as_ref()
        .is_some_and(|r| !r.agrees())
    {
        anyhow::bail!("counter check: the TLB model and the RTL's counters differ");
    }
    Ok(0)
}
