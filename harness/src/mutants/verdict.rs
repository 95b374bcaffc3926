//! What became of one mutant: which check killed it, in which run, how early.

use super::Mutant;
use crate::nightly::runner::{failing_cycle, Finished};
use serde_json::{json, Value};

/// The run that killed a mutant, and the check that failed it.
#[derive(Clone, Debug)]
pub struct Kill {
    /// The check, by the names of [`crate::sim::SimError::check`], or `counters`
    /// (the counter check), `test` (the program's own verdict: a wrong exit code),
    /// `timeout` or `crash`.
    pub check: String,
    /// The kill suite's run (`default/<kind>/<name>`).
    pub run: String,
    /// The simulated cycle the check fired at, when known.
    pub cycle: Option<u64>,
    pub message: String,
    pub command: String,
    pub wall_seconds: f64,
}

impl Kill {
    pub fn from_run(f: &Finished) -> Kill {
        let r = &f.record;
        let result = f.result.as_ref();
        let counters_disagree = result
            .and_then(|v| v.pointer("/checks/counter_check/agrees"))
            .and_then(Value::as_bool)
            == Some(false);
        let check = if let Some(c) = result.and_then(|v| v.get("check")).and_then(Value::as_str) {
            c.to_string()
        } else if counters_disagree {
            "counters".into()
        } else if r.message.starts_with("timed out") {
            "timeout".into()
        } else if r.message.starts_with("cosim crashed") {
            "crash".into()
        } else {
            "test".into()
        };
        Kill {
            check,
            run: r.id.clone(),
            cycle: failing_cycle(result, &r.message),
            message: r.message.lines().next().unwrap_or_default().to_string(),
            command: r.command.clone(),
            wall_seconds: f.wall_seconds,
        }
    }
}

/// One mutant's outcome.
#[derive(Clone, Debug)]
pub struct Verdict {
    pub mutant: &'static Mutant,
    /// The first failing run; `None`: the mutant survived the suite (or was not built).
    pub kill: Option<Kill>,
    /// Runs started, the killing one included.
    pub runs: usize,
    pub built_seconds: f64,
    /// Why the mutant was not (fully) tried: its build failed, or cosim was interrupted.
    pub error: Option<String>,
}

impl Verdict {
    pub fn unbuilt(mutant: &'static Mutant, why: String) -> Verdict {
        Verdict {
            mutant,
            kill: None,
            runs: 0,
            built_seconds: 0.0,
            error: Some(why),
        }
    }

    pub fn killed(&self) -> bool {
        self.kill.is_some()
    }

    /// One line for the terminal.
    pub fn line(&self) -> String {
        match (&self.kill, &self.error) {
            (Some(k), _) => format!(
                "{}: killed by {} in {} (run {} of the suite{})",
                self.mutant.name,
                k.check,
                k.run,
                self.runs,
                k.cycle.map_or(String::new(), |c| format!(", cycle {c}"))
            ),
            (None, Some(e)) => format!("{}: NOT TRIED: {e}", self.mutant.name),
            (None, None) => format!(
                "{}: SURVIVED all {} runs of the kill suite",
                self.mutant.name, self.runs
            ),
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "mutant": self.mutant.name,
            "file": self.mutant.file,
            "bug": self.mutant.bug,
            "killed": self.killed(),
            "killed_by": self.kill.as_ref().map(|k| k.check.clone()),
            "run": self.kill.as_ref().map(|k| k.run.clone()),
            "cycle": self.kill.as_ref().and_then(|k| k.cycle),
            "message": self.kill.as_ref().map(|k| k.message.clone()),
            "command": self.kill.as_ref().map(|k| k.command.clone()),
            "runs": self.runs,
            "kill_wall_seconds": self.kill.as_ref().map(|k| k.wall_seconds),
            "build_seconds": self.built_seconds,
            "error": self.error,
        })
    }
}

/// The verdicts as a Markdown table (mutant, killed by, run, cycle), for the
/// terminal and `mutants.md`.
pub fn table(verdicts: &[Verdict]) -> String {
    let mut s = String::from(
        "| mutant | killed by | run | cycle | runs tried |\n|---|---|---|---:|---:|\n",
    );
    for v in verdicts {
        let (check, run, cycle) = match (&v.kill, &v.error) {
            (Some(k), _) => (
                k.check.clone(),
                k.run.clone(),
                k.cycle.map_or("-".into(), |c| c.to_string()),
            ),
            (None, Some(e)) => ("NOT TRIED".into(), e.clone(), "-".into()),
            (None, None) => ("**SURVIVED**".into(), "-".into(), "-".into()),
        };
        s += &format!(
            "| {} | {check} | {run} | {cycle} | {} |\n",
            v.mutant.name, v.runs
        );
    }
    s
}
