//! `cosim linux`: Linux 6.12 on the RTL, to init's result line and power-off.

use clap::Args;
use cosim::linux::devdax::MapLocation;
use cosim::linux::{self, LinuxConfig, Paging};
use cosim::memory::timing::Profile;
use cosim::sim::{failure_json, outcome_json, write_json, Progress, RunConfig};
use serde_json::json;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct LinuxArgs {
    /// Size of the pmem region, formatted as one device-dax namespace.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = super::run::parse_pmem_size)]
    pub pmem_size: u64,
    /// The namespace's alignment (its compound page size): 4K or 2M.
    #[arg(long, default_value = "2M", value_parser = parse_devdax_align)]
    pub align: u64,
    /// Where the device's struct pages live: mem (DRAM) or dev (in pmem, an altmap).
    #[arg(long, value_enum, default_value = "mem")]
    pub map: MapLocation,
    /// Paging mode: sv48 (what Linux picks on this core) or sv39 (`no4lvl`).
    #[arg(long, value_enum, default_value = "sv48")]
    pub paging: Paging,
    /// Bytes of /dev/dax0.0 that init writes and checks.
    #[arg(long, value_name = "SIZE", default_value = "2M", value_parser = super::run::parse_size)]
    pub touch: u64,
    /// Back pmem with this image (formatted as device-dax when it is new).
    #[arg(long, value_name = "FILE")]
    pub pmem_image: Option<PathBuf>,
    /// Memory timing (ideal, ddr4, optane or FILE.toml).
    #[arg(long, value_parser = super::run::parse_profile)]
    pub profile: Option<Profile>,
    #[command(flatten)]
    pub checks: super::run::ChecksArgs,
    #[command(flatten)]
    pub trace: super::run::TraceArgs,
    /// The kernel directory scripts/linux/build made (default: the last one built).
    #[arg(long, value_name = "DIR")]
    pub kernel: Option<PathBuf>,
    /// A known kernel finding (the start of its console line, e.g. "BUG: Bad page
    /// map in process init"): expected, not a failure; the run fails without it.
    #[arg(long, value_name = "TEXT")]
    pub expect_finding: Vec<String>,
    /// More kernel command-line arguments.
    #[arg(long, value_name = "ARGS", default_value = "")]
    pub bootargs: String,
    /// Print the N functions with most walk cycles (inclusive), like perf report.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Also list this kernel function's counters in the JSON (repeatable).
    #[arg(long, value_name = "NAME")]
    pub function: Vec<String>,
    /// Print the generated device tree as DTS and exit.
    #[arg(long)]
    pub dump_dts: bool,
    /// Stop with an error after this many cycles.
    #[arg(long, default_value_t = 2_000_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_cycles: u64,
    /// No progress line or summary.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn parse_devdax_align(s: &str) -> Result<u64, String> {
    match s.to_ascii_uppercase().as_str() {
        "4K" => Ok(4096),
        "2M" => Ok(2 << 20),
        "1G" => {
            Err("1G: Linux 6.12 on RISC-V offers device-dax alignments of 4K and 2M only".into())
        }
        _ => Err(format!("alignment {s:?}: 4K or 2M")),
    }
}

pub fn linux(args: LinuxArgs) -> anyhow::Result<i32> {
    let cfg = LinuxConfig {
        kernel_dir: args
            .kernel
            .clone()
            .unwrap_or_else(linux::default_kernel_dir),
        align: args.align,
        map: args.map,
        paging: args.paging,
        touch: args.touch,
        expect_findings: args.expect_finding.clone(),
        bootargs: args.bootargs.clone(),
    };
    let run = RunConfig {
        memory_map: cosim::memory::MemoryMap::new(
            cosim::memory::region::DRAM_DEFAULT_SIZE,
            args.pmem_size,
        )?,
        max_cycles: args.max_cycles,
        watchdog_cycles: linux::WATCHDOG_CYCLES,
        profile: args.profile.clone(),
        lockstep: args.checks.lockstep,
        check_counters: args.checks.check_counters,
        pmem_image: args.pmem_image.clone(),
        trace: args.trace.trace.clone(),
        trace_from: args.trace.trace_from,
        echo_console: true,
        console_input: true,
        ..RunConfig::default()
    };
    if args.dump_dts {
        linux::namespace(&cfg, &run)?;
        // The initramfs's real size when the kernel is built (else an empty one).
        let initrd = linux::KernelFiles::find(&cfg.kernel_dir)
            .ok()
            .and_then(|f| std::fs::metadata(f.initramfs).ok())
            .map_or(0, |m| m.len());
        print!("{}", linux::device_tree(&cfg, &run, initrd).to_dts());
        return Ok(0);
    }
    super::run::check_output(args.checks.json.as_deref())?;
    let bar = super::run::progress_spinner(args.quiet);
    let mut last = None;
    let boot = linux::boot(&cfg, &run, &mut |p: &Progress| {
        bar.set_message(super::run::progress_message(p));
        last = Some(*p);
    })?;
    bar.finish_and_clear();
    let outcome = match &boot.outcome {
        Ok(outcome) => outcome.clone(),
        Err(e) => {
            if let Some(path) = &args.checks.json {
                write_json(
                    path,
                    &failure_json(&e.to_string(), e.check(), Some(boot.cycle)),
                )?;
            }
            anyhow::bail!("{e}");
        }
    };
    let wall = last.map_or(0.0, |p| p.elapsed.as_secs_f64());
    let (profile, watch, vmemmap, namespace) =
        (&boot.profile, &boot.watch, &boot.vmemmap, boot.namespace);
    let concluded = boot.verdict();
    if let Some(path) = &args.checks.json {
        let mut v = outcome_json(&outcome, &run);
        v["linux"] = json!({
            "paging": cfg.paging,
            "align": cfg.align,
            "map": cfg.map,
            "pmem_size": args.pmem_size,
            "data_offset": namespace.data_offset(),
            "npfns": namespace.npfns(),
            "init": watch.result,
            "findings": watch.findings.iter().map(|(t, n)| json!({"line": t, "count": n})).collect::<Vec<_>>(),
            "error": concluded.as_ref().err().map(|e| e.to_string()),
            "wall_seconds": wall,
            "vmemmap": vmemmap.as_ref().ok(),
            "milestones": milestones(profile, &outcome),
            "functions": linux::FUNCTIONS_OF_INTEREST
                .iter()
                .map(|s| s.to_string())
                .chain(args.function.iter().cloned())
                .filter_map(|name| Some(profile.function(&name)?.to_json(&name)))
                .collect::<Vec<_>>(),
        });
        write_json(path, &v)?;
    }
    if let Some(n) = args.top {
        print!(
            "{}",
            profile.top_table(n, outcome.counters.by_name("walk_cycles").unwrap_or(0))
        );
    }
    let boot = concluded?;
    if !args.quiet {
        eprintln!(
            "cosim linux: {} after {} cycles, {} instructions, {wall:.1} s ({:.2} MHz)",
            boot.result.line,
            boot.outcome.cycles,
            boot.outcome.instret,
            boot.outcome.cycles as f64 / wall.max(1e-9) / 1e6
        );
        if let Ok(v) = vmemmap {
            eprintln!(
                "cosim linux: the kernel's vmemmap for the device ({:?}): {} KiB in {} frames, {} 4K + {} 2M mappings, {} table pages, as the arithmetic says; {} struct pages checked",
                v.mode,
                v.census.data_frames * 4,
                v.census.data_frames,
                v.census.mappings_4k,
                v.census.mappings_2m,
                v.census.table_pages,
                v.struct_pages_checked
            );
        }
        for (line, n) in &boot.findings {
            eprintln!("cosim linux: known kernel finding, {n} times: {line}");
        }
        if let Some(lockstep) = &boot.outcome.lockstep {
            eprintln!("cosim: {lockstep}");
        }
        if boot.outcome.translations_checked > 0 {
            eprintln!(
                "cosim: translation check: {} walks re-walked, 0 differences",
                boot.outcome.translations_checked
            );
        }
    }
    if let Some(report) = &boot.outcome.tlb_check {
        eprintln!("cosim: {report}");
        if !report.agrees() {
            anyhow::bail!("counter check: the TLB model and the RTL's counters differ");
        }
    }
    Ok(0)
}

/// The boot's milestones in order, power-off (the run's end) last.
fn milestones(
    profile: &cosim::symbols::Profile,
    outcome: &cosim::sim::RunOutcome,
) -> serde_json::Value {
    let mut list: Vec<serde_json::Value> = profile
        .milestones
        .iter()
        .map(|m| json!({"name": m.name, "cycle": m.cycle, "instret": m.instret}))
        .collect();
    list.push(json!({"name": "power-off", "cycle": outcome.cycles, "instret": outcome.instret}));
    serde_json::Value::Array(list)
}
