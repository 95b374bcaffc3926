//! `cosim nightly`: the regression matrix. Each run is its own `cosim` process (so a
//! crash, hang or timeout is that run's failure), `jobs` at a time, with the RTL set's
//! binary; the results become one JSON per run, `summary.json`, `junit.xml` and a
//! report, and a failing run is run again for a waveform of the cycles before it failed.
//! `--shard K/N` runs every N-th run; `cosim merge` joins the shards.

pub mod baseline;
pub mod matrix;
pub mod record;
pub mod report;
pub mod runner;
pub mod summary;
pub mod variants;

use crate::fnv::Fnv;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use matrix::{Matrix, MatrixError, RunSpec};
use record::RunRecord;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;
use summary::Summary;

/// What to run and where.
pub struct Options {
    /// The matrix file's text ([`matrix::DEFAULT_MATRIX`] by default).
    pub matrix: String,
    /// Replaces every fuzz group's seed count.
    pub seeds: Option<u64>,
    /// Only runs whose id contains this.
    pub filter: Option<String>,
    /// `(K, N)`: run the K-th of N shards.
    pub shard: Option<(usize, usize)>,
    pub jobs: usize,
    pub out: PathBuf,
    /// The source tree RTL variants are built from.
    pub source: PathBuf,
    /// Draw progress bars (on a terminal).
    pub progress: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum NightlyError {
    #[error(transparent)]
    Matrix(#[from] MatrixError),
    #[error("{0}: no run of the matrix matches")]
    NothingToRun(String),
    #[error("output directory {}: {reason}", dir.display())]
    Output {
        dir: PathBuf,
        reason: std::io::Error,
    },
}

/// The matrix, its runs after the filter, and the digest that identifies them.
pub fn select(opts: &Options) -> Result<(Matrix, Vec<RunSpec>, String), NightlyError> {
    let matrix = Matrix::parse(&opts.matrix)?;
    let mut runs = matrix.expand(opts.seeds)?;
    if let Some(f) = &opts.filter {
        runs.retain(|r| r.id.contains(f.as_str()));
        if runs.is_empty() {
            return Err(NightlyError::NothingToRun(format!("--filter {f:?}")));
        }
    }
    let mut hash = Fnv::new();
    for r in &runs {
        hash.update(r.id.as_bytes());
        for a in &r.args {
            hash.update(b"\0");
            hash.update(a.as_bytes());
        }
        hash.update(b"\n");
    }
    Ok((matrix, runs, format!("{:016x}", hash.finish())))
}

/// Runs the (shard of the) matrix into `opts.out` and returns its summary.
pub fn run(opts: &Options) -> Result<Summary, NightlyError> {
    let (matrix, runs, digest) = select(opts)?;
    let total = runs.len();
    let mine: Vec<(usize, RunSpec)> = runs
        .into_iter()
        .enumerate()
        .filter(|(i, _)| opts.shard.is_none_or(|(k, n)| i % n == k - 1))
        .collect();
    let out = &opts.out;
    let io = |reason| NightlyError::Output {
        dir: out.clone(),
        reason,
    };
    std::fs::create_dir_all(out).map_err(io)?;
    // Stale results of an earlier run in the same directory would mislead.
    for dir in runner::SUBDIRS {
        match std::fs::remove_dir_all(out.join(dir)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
            _ => {}
        }
    }
    let specs: Vec<RunSpec> = mine.iter().map(|(_, s)| s.clone()).collect();
    runner::prepare_inputs(out, &specs).map_err(io)?;

    let multi = MultiProgress::with_draw_target(if opts.progress {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    });
    // Each RTL set the shard needs: its binary, or why it could not be built.
    let mut binaries: HashMap<String, Result<PathBuf, String>> = HashMap::new();
    for (_, spec) in &mine {
        if binaries.contains_key(&spec.rtl) {
            continue;
        }
        let set = matrix
            .rtl
            .iter()
            .find(|s| s.name == spec.rtl)
            .expect("expanded from the matrix");
        let params = set.params().expect("checked when parsed");
        let bar = multi.add(ProgressBar::new_spinner());
        bar.enable_steady_tick(Duration::from_millis(200));
        let log = |m: &str| bar.set_message(m.to_string());
        let variant = variants::Variant {
            name: &set.name,
            params: &params,
            mutant: None,
        };
        let built = variants::binary_for(&variant, &opts.source, &log).map_err(|e| e.to_string());
        bar.finish_and_clear();
        binaries.insert(spec.rtl.clone(), built);
    }

    let overall = multi.add(ProgressBar::new(mine.len() as u64));
    overall.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs {elapsed} {msg}")
            .expect("valid template"),
    );
    let failures = Mutex::new(0usize);
    let ctx = runner::Context {
        out,
        wave_window: matrix.wave_window,
    };
    // Each worker shows what it runs on its own line, cleared when it is done.
    let worker = || {
        let line = multi.add(ProgressBar::new_spinner());
        line.set_style(
            ProgressStyle::with_template("  {spinner} {elapsed:>4} {msg}").expect("valid template"),
        );
        line.enable_steady_tick(Duration::from_millis(200));
        WorkerLine(line)
    };
    let records = crate::pool::map_with(
        opts.jobs,
        mine.iter().collect(),
        worker,
        |line, _, (index, spec)| {
            line.0.reset_elapsed();
            line.0.set_message(spec.id.clone());
            let record = match &binaries[&spec.rtl] {
                Ok(bin) => {
                    let finished = runner::run_one(*index, spec, bin, &ctx);
                    let path = runner::run_json_path(ctx.out, &finished.record);
                    let text =
                        serde_json::to_string_pretty(&runner::run_json(&finished)).expect("JSON");
                    if let Err(e) = crate::output::write_atomic(&path, (text + "\n").as_bytes()) {
                        eprintln!("cosim nightly: cannot write {}: {e}", path.display());
                    }
                    finished.record
                }
                Err(why) => unbuilt(*index, spec, why),
            };
            if !record.passed {
                let mut n = failures.lock().expect("failures");
                *n += 1;
                overall.set_message(format!("{n} failed (last: {})", record.id));
            }
            overall.inc(1);
            record
        },
        // After SIGINT/SIGTERM the runs never started are in the summary as such.
        |_, (index, spec), signal| {
            unbuilt(
                *index,
                spec,
                &format!("interrupted by {}", crate::signals::name(signal)),
            )
        },
    );
    overall.finish_and_clear();
    let shard = opts.shard.map(|(k, n)| format!("{k}/{n}"));
    let summary = Summary::new(&matrix.name, &digest, total, shard, records);
    write_outputs(out, &summary).map_err(io)?;
    Ok(summary)
}

/// A worker's progress line, cleared when the worker is done.
struct WorkerLine(ProgressBar);

impl Drop for WorkerLine {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

/// A run that was not run (its RTL set could not be built, or cosim nightly was
/// interrupted first): a failure, with the reason.
fn unbuilt(index: usize, spec: &RunSpec, why: &str) -> RunRecord {
    RunRecord {
        index,
        id: spec.id.clone(),
        kind: spec.kind.name().to_string(),
        rtl: spec.rtl.clone(),
        passed: false,
        message: format!("not run: {why}"),
        command: String::new(),
        counters: Default::default(),
        wave: None,
    }
}

/// summary.json, junit.xml, report.md and report.html.
pub fn write_outputs(out: &Path, summary: &Summary) -> std::io::Result<()> {
    crate::output::write_in(out, "summary.json", &summary.to_json_text())?;
    crate::output::write_in(out, "junit.xml", &summary.junit())?;
    report::write(out, summary)
}

/// `cosim merge`: joins shard directories into `out`: the merged summary, JUnit and
/// report, and every shard's per-run files (so reproduce commands work from `out`).
pub fn merge_dirs(shards: &[PathBuf], out: &Path) -> Result<Summary, summary::SummaryError> {
    let summaries = shards
        .iter()
        .map(|d| Summary::read(&d.join("summary.json")))
        .collect::<Result<Vec<_>, _>>()?;
    let merged = summary::merge(&summaries)?;
    let io = |reason| summary::SummaryError::Write {
        path: out.to_path_buf(),
        reason,
    };
    std::fs::create_dir_all(out).map_err(io)?;
    for shard in shards {
        for dir in runner::SUBDIRS {
            copy_dir(&shard.join(dir), &out.join(dir)).map_err(io)?;
        }
    }
    write_outputs(out, &merged).map_err(io)?;
    Ok(merged)
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            crate::output::copy_atomic(&entry.path(), &to.join(entry.file_name()))?;
        }
    }
    Ok(())
}
