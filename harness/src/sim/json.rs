//! A run's results as JSON (`cosim run --json FILE`), written so that no half-written
//! file is ever left under the requested name.

use super::{RunConfig, RunOutcome, SimError};
use crate::mmu::MMU_PARAMS;
use serde_json::{json, Map, Value};
use std::path::Path;

/// Everything a run measured: exit, cycles, every counter by name, what was checked.
pub fn outcome_json(outcome: &RunOutcome, cfg: &RunConfig) -> Value {
    let counters: Map<String, Value> = outcome
        .counters
        .iter()
        .map(|(event, n)| (event.name.to_string(), json!(n)))
        .collect();
    let ipc = if outcome.cycles > 0 {
        outcome.instret as f64 / outcome.cycles as f64
    } else {
        0.0
    };
    let counter_check = outcome.tlb_check.as_ref().map(|r| {
        json!({
            "agrees": r.agrees(),
            "first_difference": r.first_difference,
            "events": r.rows.iter().map(|(name, rtl, model)| {
                json!({"name": name, "rtl": rtl, "model": model})
            }).collect::<Vec<_>>(),
        })
    });
    json!({
        "exit_code": outcome.exit_code,
        "exit_status": super::process_status(outcome.exit_code),
        "cycles": outcome.cycles,
        "instret": outcome.instret,
        "ipc": ipc,
        "mmu": {
            "itlb_entries": MMU_PARAMS.itlb_entries,
            "dtlb_entries": MMU_PARAMS.dtlb_entries,
            "l2_tlb_entries": MMU_PARAMS.l2_entries,
            "walk_cache_entries": MMU_PARAMS.pwc_entries,
        },
        "counters": counters,
        "phases": outcome.phases.iter().map(|p| {
            let counters: Map<String, Value> = p
                .counters
                .iter()
                .map(|(event, n)| (event.name.to_string(), json!(n)))
                .collect();
            let memory: Option<Map<String, Value>> = p.memory.map(|m| {
                m.named().into_iter().map(|(n, v)| (n.to_string(), json!(v))).collect()
            });
            json!({
                "marker": p.marker,
                "cycles": p.cycles,
                "instret": p.instret,
                "counters": counters,
                "memory": memory,
            })
        }).collect::<Vec<_>>(),
        "memory": outcome.memory.map(|m| {
            let named: Map<String, Value> =
                m.named().into_iter().map(|(n, v)| (n.to_string(), json!(v))).collect();
            json!({
                "profile": cfg.profile.as_ref().map(|p| p.name.clone()),
                "counters": named,
            })
        }),
        "checks": {
            "lockstep": cfg.lockstep,
            "lockstep_checked": outcome.lockstep.as_ref().map_or(0, |l| l.checked),
            "translation_check": cfg.translation_check,
            "translations_checked": outcome.translations_checked,
            "translations_unconfirmed": outcome.translations_unconfirmed,
            "walks_discarded": outcome.walks_discarded,
            "counter_check": counter_check,
        },
    })
}

/// The JSON of a run the harness stopped: exit code 3, the error, the check that
/// stopped it ([`SimError::check`]) and the cycle it stopped at when known (`cosim
/// nightly` takes its waveform window from it). A run stopped by SIGINT/SIGTERM says
/// so, with the exit status cosim then ends with.
pub fn failure_json(error: &str, check: &str, cycles: Option<u64>) -> Value {
    let mut v = json!({
        "exit_code": super::EXIT_HARNESS_ERROR,
        "error": error,
        "check": check,
    });
    if let Some(c) = cycles {
        v["cycles"] = json!(c);
    }
    if let Some(signal) = crate::signals::received() {
        v["exit_code"] = json!(crate::signals::exit_status(signal));
        v["interrupted"] = json!(crate::signals::name(signal));
    }
    v
}

/// Writes `value` to `path` (see [`crate::output`]: never half-written, never
/// replacing a device or a symlink).
pub fn write_json(path: &Path, value: &Value) -> Result<(), SimError> {
    let text = serde_json::to_string_pretty(value).expect("JSON values always serialize");
    crate::output::write_atomic(path, (text + "\n").as_bytes()).map_err(|reason| SimError::Output {
        path: path.to_path_buf(),
        reason,
    })
}
