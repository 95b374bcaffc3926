//! Comparison with a baseline summary: counters are deterministic, so any change
//! between two nightly runs is a change of the RTL, the firmware or the harness.

use super::summary::Summary;
use std::fmt::Write as _;

/// One counter of one run that differs.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub run: String,
    pub counter: String,
    pub old: Option<u64>,
    pub new: Option<u64>,
}

impl Change {
    /// The relative change in percent; `None` when a side is missing or old is 0.
    pub fn percent(&self) -> Option<f64> {
        match (self.old, self.new) {
            (Some(o), Some(n)) if o > 0 => Some((n as f64 - o as f64) / o as f64 * 100.0),
            _ => None,
        }
    }

    /// Whether `tolerance` percent allows the change (a counter that appeared or
    /// vanished, or moved from 0, never is).
    pub fn within(&self, tolerance: f64) -> bool {
        self.percent().is_some_and(|p| p.abs() <= tolerance)
    }
}

/// Every counter that differs between `old` and `new`, for runs in both (a shard is
/// compared with the whole baseline), and the runs only one side has.
pub struct Comparison {
    pub changes: Vec<Change>,
    pub only_in_baseline: Vec<String>,
    pub only_in_new: Vec<String>,
    /// Runs whose pass/fail status changed: (run, passed before, passes now).
    pub status_changes: Vec<(String, bool, bool)>,
}

pub fn compare(old: &Summary, new: &Summary) -> Comparison {
    let mut changes = Vec::new();
    let mut status_changes = Vec::new();
    let mut only_in_new = Vec::new();
    for run in &new.runs {
        let Some(base) = old.runs.iter().find(|r| r.id == run.id) else {
            only_in_new.push(run.id.clone());
            continue;
        };
        if base.passed != run.passed {
            status_changes.push((run.id.clone(), base.passed, run.passed));
        }
        let names: std::collections::BTreeSet<&String> =
            base.counters.keys().chain(run.counters.keys()).collect();
        for name in names {
            let (o, n) = (base.counters.get(name), run.counters.get(name));
            if o != n {
                changes.push(Change {
                    run: run.id.clone(),
                    counter: name.clone(),
                    old: o.copied(),
                    new: n.copied(),
                });
            }
        }
    }
    // A shard only answers for its own runs.
    let only_in_baseline = if new.shard.is_none() {
        old.runs
            .iter()
            .filter(|b| !new.runs.iter().any(|r| r.id == b.id))
            .map(|b| b.id.clone())
            .collect()
    } else {
        Vec::new()
    };
    Comparison {
        changes,
        only_in_baseline,
        only_in_new,
        status_changes,
    }
}

impl Comparison {
    /// Changes `tolerance` (percent) does not allow.
    pub fn beyond(&self, tolerance: f64) -> usize {
        self.changes.iter().filter(|c| !c.within(tolerance)).count()
    }

    /// A Markdown table of every change, marking those the tolerance allows.
    pub fn markdown(&self, tolerance: f64) -> String {
        let mut s = String::from("# Baseline comparison\n\n");
        let _ = writeln!(
            s,
            "{} counter changes, {} beyond the tolerance of {tolerance} %; {} runs changed pass/fail; {} runs only in the baseline, {} only in this run.\n",
            self.changes.len(),
            self.beyond(tolerance),
            self.status_changes.len(),
            self.only_in_baseline.len(),
            self.only_in_new.len()
        );
        if !self.changes.is_empty() {
            s.push_str("| run | counter | old | new | change | |\n|---|---|---|---|---|---|\n");
            let show = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
            for c in &self.changes {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} | {} |",
                    c.run,
                    c.counter,
                    show(c.old),
                    show(c.new),
                    c.percent().map_or("-".into(), |p| format!("{p:+.2} %")),
                    if c.within(tolerance) {
                        "within tolerance"
                    } else {
                        "**changed**"
                    }
                );
            }
        }
        for (run, was, now) in &self.status_changes {
            let word = |p: &bool| if *p { "passed" } else { "failed" };
            let _ = writeln!(s, "\n- {run}: {} before, {} now", word(was), word(now));
        }
        for run in &self.only_in_baseline {
            let _ = writeln!(s, "- {run}: only in the baseline");
        }
        for run in &self.only_in_new {
            let _ = writeln!(s, "- {run}: not in the baseline");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nightly::record::RunRecord;

    fn summary(walks: u64) -> Summary {
        let run = RunRecord {
            index: 0,
            id: "default/directed/vm_stream".into(),
            kind: "directed".into(),
            rtl: "default".into(),
            passed: true,
            message: String::new(),
            command: String::new(),
            counters: [
                ("counters.walks".to_string(), walks),
                ("cycles".to_string(), 100),
            ]
            .into(),
            wave: None,
        };
        Summary::new("m", "d", 1, None, vec![run])
    }

    #[test]
    fn a_one_counter_change_is_caught_and_measured() {
        let c = compare(&summary(4097), &summary(4098));
        assert_eq!(c.changes.len(), 1);
        let change = &c.changes[0];
        assert_eq!(
            (change.counter.as_str(), change.old, change.new),
            ("counters.walks", Some(4097), Some(4098))
        );
        assert!((change.percent().unwrap() - 100.0 / 4097.0).abs() < 1e-9);
        assert_eq!(c.beyond(0.0), 1);
        assert_eq!(c.beyond(0.1), 0);
        assert!(c
            .markdown(0.0)
            .contains("| default/directed/vm_stream | counters.walks | 4097 | 4098 |"));
        assert_eq!(compare(&summary(7), &summary(7)).changes.len(), 0);
    }
}
