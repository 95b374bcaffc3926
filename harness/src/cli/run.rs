//! `cosim run ELF`: the program's console on stdout, its exit code as ours.

use clap::Args;
use cosim::loader::read_image;
use cosim::memory::timing::Profile;
use cosim::sim::{
    failure_json, outcome_json, process_status, write_json, Progress, RunConfig, Simulation,
    EXIT_CODE_OUT_OF_RANGE,
};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Args, Debug)]
pub struct RunArgs {
    /// The RISC-V ELF64 to run (entry point = reset vector).
    #[arg(required_unless_present = "firmware")]
    pub elf: Option<PathBuf>,
    /// Run a firmware image built into cosim instead of a file (e.g. `hello`).
    #[arg(long, conflicts_with = "elf", value_parser = firmware_names())]
    pub firmware: Option<String>,
    /// Stop with an error after this many cycles.
    #[arg(long, default_value_t = RunConfig::default().max_cycles,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_cycles: u64,
    /// Stop with an error after this many cycles without architectural progress.
    #[arg(long, default_value_t = RunConfig::default().watchdog_cycles,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub watchdog: u64,
    #[command(flatten)]
    pub trace: TraceArgs,
    /// Write one line per retired instruction to this file.
    #[arg(long, value_name = "FILE")]
    pub retire_log: Option<PathBuf>,
    /// Check every retired instruction against the reference ISS (rv64emu).
    #[arg(long)]
    pub lockstep: bool,
    /// Replay the MMU's lookups through the software TLB model and compare its
    /// predicted misses and walks with the RTL's counters (exit 3 if they differ).
    #[arg(long)]
    pub check_counters: bool,
    /// Do not re-walk each page-table walk with the software walker.
    #[arg(long)]
    pub no_translation_check: bool,
    /// Memory timing: ideal, ddr4, optane, or a profile file (FILE.toml). Without it,
    /// every access answers after a fixed 2 cycles.
    #[arg(long, value_name = "NAME|FILE.toml", value_parser = parse_profile)]
    pub profile: Option<Profile>,
    /// Delay each bus response by a further 0..=J cycles and let responses of
    /// different AXI IDs overtake each other (seeded by --bus-seed).
    #[arg(long, value_name = "J", default_value_t = 0)]
    pub jitter: u32,
    /// The seed of the bus jitter and reordering.
    #[arg(long, value_name = "SEED", default_value_t = 1)]
    pub bus_seed: u64,
    /// Size of pmem at 0x1_0000_0000 (K, M, G, T suffixes; up to 1T), sparse.
    #[arg(long, value_name = "SIZE", default_value = "4G", value_parser = parse_pmem_size)]
    pub pmem_size: u64,
    /// Back pmem with this image file: a missing one is created, a wrong or corrupt
    /// one refused; the run's pmem contents are written back to it, crash-safely.
    #[arg(long, value_name = "FILE")]
    pub pmem_image: Option<PathBuf>,
    /// Cut the power at this cycle: pmem keeps only what was durable, the pmem image
    /// gets it, and cosim exits with 4.
    #[arg(long, value_name = "CYCLE", conflicts_with = "power_fail_seed")]
    pub power_fail_at: Option<u64>,
    /// What survives a power failure: writes accepted by the write pending queue
    /// (adr), or every write whose data reached the memory (eadr).
    #[arg(long, value_enum, default_value = "adr")]
    pub persistence: cosim::axi::Persistence,
    /// Cut the power at a cycle drawn from this seed in 1..=--power-fail-within.
    #[arg(long, value_name = "SEED", requires = "power_fail_within")]
    pub power_fail_seed: Option<u64>,
    #[arg(long, value_name = "CYCLES", requires = "power_fail_seed", value_parser = clap::value_parser!(u64).range(1..))]
    pub power_fail_within: Option<u64>,
    /// Write the run's results (every counter by name, the checks) as JSON here.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Print the N functions of the program with most walk cycles (inclusive, from
    /// its symbol table and a shadow call stack), like perf report.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Also list this function's counters in the JSON (repeatable; implies profiling).
    #[arg(long, value_name = "NAME")]
    pub function: Vec<String>,
    /// No progress bar or summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The checks and results file of `cosim vmemmap` and `cosim linux`.
#[derive(Args, Debug)]
pub struct ChecksArgs {
    /// Check every instruction against the reference ISS.
    #[arg(long)]
    pub lockstep: bool,
    /// Replay the TLB lookups through the software TLB model and compare.
    #[arg(long)]
    pub check_counters: bool,
    /// Write the results as JSON (schema in README.md).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

/// The waveform options of `cosim run`, `cosim vmemmap` and `cosim linux`.
#[derive(Args, Debug)]
pub struct TraceArgs {
    /// Write an FST waveform of the run to this file.
    #[arg(long, value_name = "FILE.fst")]
    pub trace: Option<PathBuf>,
    /// Start the waveform at this cycle (a window before a failure, not the whole run).
    #[arg(long, value_name = "CYCLE", default_value_t = 0, requires = "trace")]
    pub trace_from: u64,
}

pub fn run(args: RunArgs) -> anyhow::Result<i32> {
    let cfg = RunConfig {
        max_cycles: args.max_cycles,
        watchdog_cycles: args.watchdog,
        trace: args.trace.trace,
        trace_from: args.trace.trace_from,
        retire_log: args.retire_log,
        lockstep: args.lockstep,
        check_counters: args.check_counters,
        profile: args.profile,
        pmem_image: args.pmem_image,
        persistence: args.persistence,
        memory_map: cosim::memory::MemoryMap::new(
            cosim::memory::region::DRAM_DEFAULT_SIZE,
            args.pmem_size,
        )?,
        power_fail_at: args.power_fail_at.or_else(|| {
            let (seed, within) = (args.power_fail_seed?, args.power_fail_within?);
            Some(cosim::sim::random_power_fail_cycle(seed, within))
        }),
        translation_check: !args.no_translation_check,
        slave: cosim::axi::SlaveConfig::jittered(args.jitter, args.bus_seed),
        echo_console: true,
        console_input: true,
    };
    let bytes = match (&args.elf, &args.firmware) {
        (Some(path), _) => read_image(path, cfg.memory_map.capacity())?,
        (None, Some(name)) => cosim::firmware::image(name).to_vec(),
        (None, None) => unreachable!("clap requires one of them"),
    };
    check_output(args.json.as_deref())?;
    let mut sim = Simulation::new(&bytes, &cfg)?;
    if args.top.is_some() || !args.function.is_empty() {
        let symbols = cosim::symbols::Symbols::from_elf(&bytes)?;
        if symbols.is_empty() {
            anyhow::bail!(
                "--top and --function need the program's symbol table; this ELF has none"
            );
        }
        sim.profile_with(cosim::symbols::Profiler::new(symbols, &[]));
    }

    let bar = progress_spinner(args.quiet);
    let mut last = None;
    let result = sim.run_in_place(&mut |p: &Progress| {
        bar.set_message(progress_message(p));
        last = Some(*p);
    });
    bar.finish_and_clear();
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(e) => {
            // The JSON still says where and why the run stopped (cosim nightly takes
            // its waveform window from it).
            if let Some(path) = &args.json {
                write_json(
                    path,
                    &failure_json(&e.to_string(), e.check(), Some(sim.cycle())),
                )?;
            }
            return Err(e.into());
        }
    };
    if !args.quiet {
        let mhz = last.map_or(0.0, |p| p.simulated_mhz());
        let ipc = if outcome.cycles > 0 {
            outcome.instret as f64 / outcome.cycles as f64
        } else {
            0.0
        };
        eprintln!(
            "cosim: exit code {} after {} cycles, {} instructions (IPC {ipc:.3}), {mhz:.2} MHz simulated",
            outcome.exit_code, outcome.cycles, outcome.instret
        );
        if process_status(outcome.exit_code) != outcome.exit_code as i32 {
            eprintln!(
                "cosim: exit code {} does not fit in a process status: exiting with {EXIT_CODE_OUT_OF_RANGE}",
                outcome.exit_code
            );
        }
        if let Some(lockstep) = &outcome.lockstep {
            eprintln!("cosim: {lockstep}");
        }
        if outcome.translations_checked > 0 {
            eprintln!(
                "cosim: translation check: {} walks re-walked, 0 differences{}",
                outcome.translations_checked,
                if outcome.translations_unconfirmed > 0 {
                    format!(
                        " ({} PTE-read access faults unconfirmed: no PMP model without --lockstep)",
                        outcome.translations_unconfirmed
                    )
                } else {
                    String::new()
                }
            );
        }
    }
    if let Some(pf) = &outcome.power_fail {
        eprintln!(
            "cosim: power failure at cycle {}: {} pmem write bursts not yet durable were lost",
            pf.cycle, pf.lost_writes
        );
    }
    if let Some(report) = &outcome.tlb_check {
        eprintln!("cosim: {report}");
    }
    let profile = sim.take_profile();
    if let (Some(n), Some(p)) = (args.top, &profile) {
        print!(
            "{}",
            p.top_table(n, outcome.counters.by_name("walk_cycles").unwrap_or(0))
        );
    }
    if let Some(path) = &args.json {
        let mut v = outcome_json(&outcome, &cfg);
        if let Some(p) = &profile {
            v["functions"] = args
                .function
                .iter()
                .filter_map(|name| Some(p.function(name)?.to_json(name)))
                .chain(args.top.map_or(vec![], |n| {
                    p.top("walk_cycles", n)
                        .into_iter()
                        .map(|(name, t)| t.to_json(name))
                        .collect()
                }))
                .collect();
        }
        write_json(path, &v)?;
    }
    if outcome.tlb_check.as_ref().is_some_and(|r| !r.agrees()) {
        anyhow::bail!("counter check: the TLB model and the RTL's counters differ");
    }
    Ok(process_status(outcome.exit_code))
}

/// A pmem size: a size (see [`parse_size`]) that the memory map accepts.
pub fn parse_pmem_size(s: &str) -> Result<u64, String> {
    let size = parse_size(s)?;
    cosim::memory::MemoryMap::new(cosim::memory::region::DRAM_DEFAULT_SIZE, size)
        .map(|_| size)
        .map_err(|e| e.to_string())
}

/// Checks before a run that its `--json` target can be written: a JSON that could
/// not be written at the end would waste the whole run.
pub fn check_output(json: Option<&std::path::Path>) -> anyhow::Result<()> {
    if let Some(path) = json {
        cosim::output::Target::of(path)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The spinner of a long run (hidden with `--quiet`).
pub fn progress_spinner(quiet: bool) -> ProgressBar {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new_spinner()
    };
    bar.set_style(ProgressStyle::with_template("{spinner} {msg}").expect("valid template"));
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// The spinner's line: how far the run is and how fast it goes.
pub fn progress_message(p: &Progress) -> String {
    format!(
        "{} cycles, {} instructions, {:.2} MHz simulated",
        p.cycles,
        p.instret,
        p.simulated_mhz()
    )
}

/// A size with an optional K/M/G/T suffix (powers of 1024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let (digits, shift) = match s.trim_end_matches(['B', 'b']).char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (
            &s[..i],
            match c.to_ascii_uppercase() {
                'K' => 10,
                'M' => 20,
                'G' => 30,
                'T' => 40,
                _ => return Err(format!("unknown size suffix in {s:?} (K, M, G, T)")),
            },
        ),
        _ => (s, 0),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{s:?} is not a size (e.g. 4G, 1T)"))?;
    n.checked_shl(shift)
        .filter(|v| v >> shift == n)
        .ok_or_else(|| format!("{s:?} is too large"))
}

/// A memory profile option: a bad name or file is a command-line error (exit 2).
pub fn parse_profile(s: &str) -> Result<Profile, String> {
    Profile::load(s).map_err(|e| e.to_string())
}

fn firmware_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(cosim::firmware::IMAGES.iter().map(|(name, _)| *name))
}
