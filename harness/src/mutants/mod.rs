//! `cosim mutants`: proof that the checks catch broken RTL. Each mutant of the
//! [`CATALOGUE`] (a deliberate bug behind its own define in rtl/) is built like an RTL
//! variant, with only the checked model, and runs the kill suite
//! (`harness/nightly/mutants.toml`) in order until a run fails. The check that failed
//! it first killed it; a mutant no run fails survived, and fails `cosim mutants`.

pub mod catalogue;
pub mod verdict;

pub use catalogue::{Mutant, CATALOGUE};
pub use verdict::{Kill, Verdict};

use crate::mmu::MMU_PARAMS;
use crate::nightly::matrix::{Matrix, RunSpec};
use crate::nightly::{runner, variants};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// The kill suite: directed programs, random programs and a vmemmap job, all under
/// lockstep with the counter and translation checks.
pub const KILL_SUITE: &str = include_str!("../../nightly/mutants.toml");

/// What to run and where.
pub struct Options<'a> {
    pub mutants: Vec<&'static Mutant>,
    pub jobs: usize,
    pub out: PathBuf,
    /// The source tree the mutants are built from.
    pub source: PathBuf,
    /// Told what each worker is doing.
    pub log: &'a (dyn Fn(&str) + Sync),
}

#[derive(Debug, thiserror::Error)]
pub enum MutantsError {
    #[error("no mutant is called {0:?} (cosim mutants --list)")]
    Unknown(String),
    #[error("the kill suite: {0}")]
    Suite(#[from] crate::nightly::matrix::MatrixError),
    #[error("the kill suite fails on the unmutated RTL, so it cannot tell a mutant from it: {run}: {message}")]
    ControlFails { run: String, message: String },
    #[error("output directory {}: {reason}", dir.display())]
    Output {
        dir: PathBuf,
        reason: std::io::Error,
    },
}

/// The catalogue's mutants, or only the one called `name`.
pub fn select(only: Option<&str>) -> Result<Vec<&'static Mutant>, MutantsError> {
    match only {
        None => Ok(CATALOGUE.iter().collect()),
        Some(name) => CATALOGUE
            .iter()
            .find(|m| m.name == name)
            .map(|m| vec![m])
            .ok_or_else(|| MutantsError::Unknown(name.to_string())),
    }
}

/// The kill suite's runs, in the order they are tried.
pub fn kill_suite() -> Result<(Matrix, Vec<RunSpec>), MutantsError> {
    let matrix = Matrix::parse(KILL_SUITE)?;
    let runs = matrix.expand(None)?;
    Ok((matrix, runs))
}

/// Builds and runs every selected mutant, `jobs` at a time (builds take turns under
/// the variant cache's lock), and returns their verdicts in catalogue order; after
/// SIGINT/SIGTERM a mutant not yet tried is entered as not run.
pub fn run(opts: &Options) -> Result<Vec<Verdict>, MutantsError> {
    let (_, suite) = kill_suite()?;
    let io = |dir: &Path| {
        let dir = dir.to_path_buf();
        move |reason| MutantsError::Output { dir, reason }
    };
    std::fs::create_dir_all(&opts.out).map_err(io(&opts.out))?;
    control(&suite, opts)?;
    // The first error (the kill suite's inputs cannot be written) stops the others.
    let stopped = AtomicBool::new(false);
    let results = crate::pool::map(
        opts.jobs,
        opts.mutants.clone(),
        |_, mutant| {
            if stopped.load(Ordering::Relaxed) {
                return None;
            }
            let tried = try_mutant(mutant, &suite, opts);
            match &tried {
                Ok(v) => (opts.log)(&v.line()),
                Err(_) => stopped.store(true, Ordering::Relaxed),
            }
            Some(tried)
        },
        |_, mutant, signal| {
            Some(Ok(Verdict::unbuilt(
                mutant,
                format!("not run: interrupted by {}", crate::signals::name(signal)),
            )))
        },
    );
    results.into_iter().flatten().collect()
}

/// The suite's programs, written into `out` for its runs.
fn prepare(out: &Path, suite: &[RunSpec]) -> Result<(), MutantsError> {
    runner::prepare_inputs(out, suite).map_err(|reason| MutantsError::Output {
        dir: out.to_path_buf(),
        reason,
    })
}

/// The control: the whole suite on this cosim (the unmutated RTL) must pass, or a
/// "kill" would say nothing.
fn control(suite: &[RunSpec], opts: &Options) -> Result<(), MutantsError> {
    (opts.log)("control: the kill suite on the unmutated RTL");
    let out = opts.out.join("control");
    let bin = std::env::current_exe().map_err(|reason| MutantsError::Output {
        dir: out.clone(),
        reason,
    })?;
    prepare(&out, suite)?;
    let ctx = runner::Context {
        out: &out,
        wave_window: 0,
    };
    let records = crate::pool::map(
        opts.jobs,
        suite.iter().collect(),
        |index, spec| Some(runner::run_one(index, spec, &bin, &ctx).record),
        |_, _, _| None,
    );
    match records.into_iter().flatten().find(|r| !r.passed) {
        Some(r) => Err(MutantsError::ControlFails {
            run: r.id,
            message: r.message,
        }),
        None => Ok(()),
    }
}

/// One mutant: its binary, then the suite's runs until one fails.
fn try_mutant(
    mutant: &'static Mutant,
    suite: &[RunSpec],
    opts: &Options,
) -> Result<Verdict, MutantsError> {
    let start = Instant::now();
    let variant = variants::Variant {
        name: mutant.name,
        params: &MMU_PARAMS,
        mutant: Some(mutant.name),
    };
    let log = |m: &str| (opts.log)(m);
    let bin = match variants::binary_for(&variant, &opts.source, &log) {
        Ok(bin) => bin,
        Err(e) => return Ok(Verdict::unbuilt(mutant, e.to_string())),
    };
    let built_seconds = start.elapsed().as_secs_f64();
    let out = opts.out.join(mutant.name);
    prepare(&out, suite)?;
    let ctx = runner::Context {
        out: &out,
        wave_window: 0,
    };
    let mut runs = 0;
    for (index, spec) in suite.iter().enumerate() {
        if crate::signals::received().is_some() {
            break;
        }
        runs += 1;
        let finished = runner::run_one(index, spec, &bin, &ctx);
        if !finished.record.passed {
            return Ok(Verdict {
                mutant,
                kill: Some(Kill::from_run(&finished)),
                runs,
                built_seconds,
                error: None,
            });
        }
    }
    Ok(Verdict {
        mutant,
        kill: None,
        runs,
        built_seconds,
        error: crate::signals::received()
            .map(|s| format!("interrupted by {}", crate::signals::name(s))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Every `ifdef COSIM_MUTANT_*` under rtl/, with the files it is in.
    fn defines_in_rtl() -> BTreeMap<String, Vec<String>> {
        let root = Path::new(variants::BUILT_FROM);
        let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut dirs = vec![root.join("rtl")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let rel = path.strip_prefix(root).unwrap().display().to_string();
                for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                    if word.starts_with("COSIM_MUTANT_") {
                        found.entry(word.to_string()).or_default().push(rel.clone());
                    }
                }
            }
        }
        found
    }

    #[test]
    fn every_mutant_is_one_define_in_its_file_and_every_define_is_catalogued() {
        assert!(CATALOGUE.len() >= 30, "{} mutants", CATALOGUE.len());
        let found = defines_in_rtl();
        let mut names = std::collections::HashSet::new();
        for m in CATALOGUE {
            assert!(names.insert(m.name), "{} is catalogued twice", m.name);
            assert!(
                m.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}: kebab-case names only",
                m.name
            );
            let files = found
                .get(&m.define())
                .unwrap_or_else(|| panic!("{}: {} is not in rtl/", m.name, m.define()));
            assert!(
                files.iter().all(|f| f == m.file),
                "{}: the catalogue says {}, the define is in {files:?}",
                m.name,
                m.file
            );
        }
        for define in found.keys() {
            assert!(
                CATALOGUE.iter().any(|m| &m.define() == define),
                "{define} is in rtl/ but not in the catalogue"
            );
        }
    }

    #[test]
    fn the_kill_suite_runs_every_check() {
        let (_, runs) = kill_suite().unwrap();
        for kind in ["directed", "fuzz", "vmemmap"] {
            assert!(runs.iter().any(|r| r.kind.name() == kind), "no {kind} run");
        }
        for r in &runs {
            assert!(
                r.args.iter().any(|a| a == "--lockstep"),
                "{}: every run of the kill suite is under lockstep",
                r.id
            );
            assert!(!r.args.iter().any(|a| a == "--no-translation-check"));
        }
    }

    #[test]
    fn an_unknown_mutant_is_refused() {
        assert!(matches!(
            select(Some("no-such")),
            Err(MutantsError::Unknown(_))
        ));
        assert_eq!(select(None).unwrap().len(), CATALOGUE.len());
    }
}
