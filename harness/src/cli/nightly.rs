//! `cosim nightly` and `cosim merge`: the regression matrix, and joining its shards.

use clap::Args;
use cosim::nightly::baseline::compare;
use cosim::nightly::summary::{parse_shard_text, Summary};
use cosim::nightly::{matrix::DEFAULT_MATRIX, merge_dirs, variants::BUILT_FROM, Options};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct NightlyArgs {
    /// The matrix (TOML). Default: the one built in (harness/nightly/default.toml).
    #[arg(long, value_name = "FILE.toml")]
    pub matrix: Option<PathBuf>,
    /// Random-program seeds per fuzz group (replaces the matrix's count).
    #[arg(long, value_name = "N")]
    pub seeds: Option<u64>,
    /// Run only the K-th of N equal shares of the matrix (1 <= K <= N).
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// Only runs whose id contains this text (e.g. `vmemmap` or `no-l2-no-pwc/`).
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Runs at once (default: the machine's cores).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Output directory: runs/, summary.json, junit.xml, report.md, report.html, waves/.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub baseline: BaselineArgs,
    /// Source tree to build RTL variants from (default: the one cosim was built from).
    #[arg(long, value_name = "DIR")]
    pub source: Option<PathBuf>,
    /// No progress bars.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Where the merged summary.json, junit.xml and report go.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The shard output directories (all N shards of one matrix).
    #[arg(required = true, value_name = "SHARD_DIR")]
    pub shards: Vec<PathBuf>,
    #[command(flatten)]
    pub baseline: BaselineArgs,
}

/// Comparison with an earlier summary, for `nightly` and `merge`.
#[derive(Args, Debug)]
pub struct BaselineArgs {
    /// Compare every counter of every run with this earlier summary.json.
    #[arg(long, value_name = "SUMMARY.json")]
    pub baseline: Option<PathBuf>,
    /// Counter changes up to this many percent are not a failure (default: none is).
    #[arg(long, value_name = "PERCENT", default_value_t = 0.0, requires = "baseline",
          value_parser = parse_percent)]
    pub tolerance: f64,
}

impl BaselineArgs {
    /// The baseline summary, read before any run: a bad one should not cost a night.
    fn read(&self) -> anyhow::Result<Option<Summary>> {
        Ok(self.baseline.as_deref().map(Summary::read).transpose()?)
    }
}

fn parse_percent(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|p| *p >= 0.0 && p.is_finite())
        .ok_or_else(|| format!("{s:?}: a percentage >= 0"))
}

fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    parse_shard_text(s).ok_or_else(|| format!("{s:?}: K/N with 1 <= K <= N (e.g. 2/4)"))
}

pub fn nightly(args: NightlyArgs) -> anyhow::Result<i32> {
    let matrix = match &args.matrix {
        Some(path) => cosim::input::read_text(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?,
        None => DEFAULT_MATRIX.to_string(),
    };
    let baseline = args.baseline.read()?;
    let opts = Options {
        matrix,
        seeds: args.seeds,
        filter: args.filter,
        shard: args.shard,
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        out: args.out.clone(),
        source: args.source.unwrap_or_else(|| PathBuf::from(BUILT_FROM)),
        progress: !args.quiet && std::io::stderr().is_terminal(),
    };
    let summary = cosim::nightly::run(&opts)?;
    if let Some(signal) = cosim::signals::received() {
        conclude(&summary, &args.out, None, 0.0)?;
        eprintln!(
            "cosim nightly: interrupted by {}; summary.json and junit.xml hold the runs that finished, the others as interrupted",
            cosim::signals::name(signal)
        );
        return Ok(cosim::signals::exit_status(signal));
    }
    conclude(
        &summary,
        &args.out,
        baseline.as_ref(),
        args.baseline.tolerance,
    )
}

pub fn merge(args: MergeArgs) -> anyhow::Result<i32> {
    let baseline = args.baseline.read()?;
    let summary = merge_dirs(&args.shards, &args.out)?;
    conclude(
        &summary,
        &args.out,
        baseline.as_ref(),
        args.baseline.tolerance,
    )
}

/// Prints the outcome (and the baseline comparison, also written as baseline.md);
/// exit 0 only when every run passed and no counter changed beyond the tolerance.
fn conclude(
    summary: &Summary,
    out: &Path,
    baseline: Option<&Summary>,
    tolerance: f64,
) -> anyhow::Result<i32> {
    for r in summary.runs.iter().filter(|r| !r.passed) {
        eprintln!(
            "FAIL {}: {}\n  reproduce (in {}): {}{}",
            r.id,
            r.message.lines().next().unwrap_or(""),
            out.display(),
            r.command,
            r.wave
                .as_ref()
                .map(|w| format!("\n  waveform: {}", out.join(w).display()))
                .unwrap_or_default()
        );
    }
    println!(
        "cosim nightly {}{}: {} runs, {} passed, {} failed; {}",
        summary.matrix,
        summary
            .shard
            .as_ref()
            .map(|s| format!(" (shard {s})"))
            .unwrap_or_default(),
        summary.runs.len(),
        summary.passed,
        summary.failed,
        out.join("junit.xml").display()
    );
    let mut ok = summary.failed == 0;
    if let Some(base) = baseline {
        let comparison = compare(base, summary);
        let md = comparison.markdown(tolerance);
        cosim::output::write_in(out, "baseline.md", &md)?;
        let beyond = comparison.beyond(tolerance);
        println!(
            "baseline: {} counters changed, {beyond} beyond {tolerance} %; {}",
            comparison.changes.len(),
            out.join("baseline.md").display()
        );
        for c in comparison
            .changes
            .iter()
            .filter(|c| !c.within(tolerance))
            .take(20)
        {
            println!(
                "  {} {}: {} -> {}{}",
                c.run,
                c.counter,
                c.old.map_or("-".into(), |v| v.to_string()),
                c.new.map_or("-".into(), |v| v.to_string()),
                c.percent()
                    .map(|p| format!(" ({p:+.2} %)"))
                    .unwrap_or_default()
            );
        }
        ok &= beyond == 0 && comparison.status_changes.iter().all(|(_, _, now)| *now);
    }
    Ok(if ok { 0 } else { 1 })
}
