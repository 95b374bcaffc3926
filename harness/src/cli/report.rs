//! `cosim report`: the vmemmap job over modes × alignments, in parallel.

use clap::Args;
use cosim::report::{run_matrix, write_with_linux};
use cosim::sim::RunConfig;
use cosim::vmemmap::{Mode, VmemmapConfig};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Directory for report.json, report.md and report.html.
    #[arg(long, default_value = "report")]
    pub out: PathBuf,
    /// Modes in the matrix.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "base,huge,dax,altmap"
    )]
    pub modes: Vec<Mode>,
    /// Alignments (compound page sizes) in the matrix: 2M and 4K are what RISC-V
    /// Linux 6.12 can set up; 1G is the generic arithmetic, marked as not reachable.
    #[arg(long, value_delimiter = ',', default_value = "2M,4K,1G")]
    pub aligns: Vec<String>,
    #[arg(long, default_value = "4G", value_parser = super::run::parse_pmem_size)]
    pub pmem_size: u64,
    #[command(flatten)]
    pub workload: super::vmemmap::WorkloadArgs,
    /// Runs at once (default: the machine's cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Also boot Linux 6.12 on the RTL for the configurations RISC-V Linux can set up
    /// (2M/4K with struct pages in DRAM, 2M in the device) and set its vmemmap's costs
    /// beside the firmware's on a device of --linux-pmem-size (minutes per boot).
    #[arg(long)]
    pub linux: bool,
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = super::run::parse_pmem_size)]
    pub linux_pmem_size: u64,
    /// The kernel directory scripts/linux/build made (default: the last one built).
    #[arg(long, value_name = "DIR")]
    pub kernel: Option<PathBuf>,
}

pub fn report(args: ReportArgs) -> anyhow::Result<i32> {
    let elf = cosim::firmware::find("vmemmap")
        .ok_or_else(|| anyhow::anyhow!("this build has no vmemmap firmware"))?;
    cosim::output::create_dir(&args.out)?;
    let mut configs = Vec::new();
    for mode in &args.modes {
        for align in &args.aligns {
            let shift = match align.to_ascii_uppercase().as_str() {
                "4K" => 12,
                "2M" => 21,
                "1G" => 30,
                other => anyhow::bail!("alignment {other:?}: 4K, 2M or 1G"),
            };
            configs.push(VmemmapConfig {
                mode: *mode,
                compound_shift: shift,
                pmem_size: args.pmem_size,
                paging: 8,
                struct_page_size: 64,
                iterations: args.workload.iterations,
                seed: args.workload.seed,
            });
        }
    }
    let cfg = RunConfig {
        memory_map: cosim::memory::MemoryMap::new(
            cosim::memory::region::DRAM_DEFAULT_SIZE,
            args.pmem_size,
        )?,
        profile: args.workload.profile,
        check_counters: true,
        ..RunConfig::default()
    };
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let bar = ProgressBar::new(configs.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} configurations {elapsed} {msg}")
            .expect("valid template"),
    );
    let entries = run_matrix(elf, configs, &cfg, jobs, &|c| {
        bar.set_message(format!("{:?}", c.mode));
        bar.inc(1);
    });
    bar.finish_and_clear();
    let linux_rows = args.linux.then(|| {
        let kernel = args
            .kernel
            .clone()
            .unwrap_or_else(cosim::linux::default_kernel_dir);
        let bar = ProgressBar::new_spinner();
        bar.set_message("Linux boots beside the firmware model (minutes each)");
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        let rows = cosim::report::linux::compare(elf, args.linux_pmem_size, &kernel);
        bar.finish_and_clear();
        rows
    });
    write_with_linux(
        &args.out,
        &entries,
        &cfg,
        linux_rows.as_deref().map(|r| (r, args.linux_pmem_size)),
    )?;
    let failed = entries.iter().filter(|e| e.run.is_err()).count()
        + linux_rows
            .iter()
            .flatten()
            .filter(|r| r.kernel.is_err() || r.firmware.is_err())
            .count();
    eprintln!(
        "cosim report: {} configurations, {failed} failed; {}",
        entries.len(),
        args.out.join("report.html").display()
    );
    if let Some(signal) = cosim::signals::received() {
        eprintln!(
            "cosim report: interrupted by {}; the report holds what finished",
            cosim::signals::name(signal)
        );
        return Ok(cosim::signals::exit_status(signal));
    }
    print!("{}", cosim::report::summary(&entries));
    Ok(if failed == 0 { 0 } else { 1 })
}
