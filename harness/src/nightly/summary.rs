//! The summary of a nightly run (`summary.json`) and its JUnit form (`junit.xml`), and
//! `cosim merge`, which joins shard summaries into the one an unsharded run writes.

use super::record::RunRecord;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// `summary.json`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    /// The matrix's name.
    pub matrix: String,
    /// Identifies the expanded matrix (every run's id and command): shards of different
    /// matrices cannot be merged.
    pub digest: String,
    /// Runs in the whole matrix.
    pub matrix_runs: usize,
    /// `K/N` for a shard's summary; absent for a whole run or a merge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    pub passed: usize,
    pub failed: usize,
    /// In matrix order.
    pub runs: Vec<RunRecord>,
}

impl Summary {
    pub fn new(
        matrix: &str,
        digest: &str,
        matrix_runs: usize,
        shard: Option<String>,
        mut runs: Vec<RunRecord>,
    ) -> Summary {
        runs.sort_by_key(|r| r.index);
        let passed = runs.iter().filter(|r| r.passed).count();
        Summary {
            matrix: matrix.to_string(),
            digest: digest.to_string(),
            matrix_runs,
            shard,
            passed,
            failed: runs.len() - passed,
            runs,
        }
    }

    pub fn to_json_text(&self) -> String {
        serde_json::to_string_pretty(self).expect("a summary always serializes") + "\n"
    }

    pub fn read(path: &Path) -> Result<Summary, SummaryError> {
        let bytes =
            crate::input::read_bounded(path, crate::input::TEXT_LIMIT).map_err(|reason| {
                SummaryError::Read {
                    path: path.into(),
                    reason,
                }
            })?;
        serde_json::from_slice(&bytes).map_err(|reason| SummaryError::Parse {
            path: path.into(),
            reason,
        })
    }

    /// JUnit XML: a test suite per RTL set and kind, a test case per run; a failure
    /// carries its message, the command that reproduces it and its waveform.
    pub fn junit(&self) -> String {
        let mut suites: Vec<TestSuite> = Vec::new();
        for r in &self.runs {
            let name = format!("{}/{}", r.rtl, r.kind);
            let status = if r.passed {
                TestCaseStatus::success()
            } else {
                let mut body = format!(
                    "{}\n\nreproduce (in the nightly output directory):\n  {}\n",
                    r.message, r.command
                );
                if let Some(wave) = &r.wave {
                    let _ = writeln!(body, "waveform of the cycles before the failure: {wave}");
                }
                let mut failed = TestCaseStatus::non_success(NonSuccessKind::Failure);
                failed
                    .set_message(r.message.lines().next().unwrap_or(""))
                    .set_type("failure")
                    .set_description(body);
                failed
            };
            let mut case = TestCase::new(r.id.rsplit('/').next().unwrap_or(&r.id), status);
            case.set_classname(name.replace('/', "."));
            let suite = match suites.iter().position(|s| s.name.as_str() == name) {
                Some(i) => &mut suites[i],
                None => {
                    suites.push(TestSuite::new(name));
                    suites.last_mut().expect("just pushed")
                }
            };
            suite.add_test_case(case);
        }
        let mut report = Report::new(format!("cosim nightly {}", self.matrix));
        report.add_test_suites(suites);
        report
            .to_string()
            .expect("quick-junit writes into a String")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SummaryError {
    #[error("cannot read {}: {reason}", path.display())]
    Read {
        path: PathBuf,
        reason: std::io::Error,
    },
    #[error("cannot write {}: {reason}", path.display())]
    Write {
        path: PathBuf,
        reason: std::io::Error,
    },
    #[error("{} is not a nightly summary: {reason}", path.display())]
    Parse {
        path: PathBuf,
        reason: serde_json::Error,
    },
    #[error("cannot merge: {0}")]
    Merge(String),
}

/// Joins shard summaries into the summary of the whole matrix. Every shard of one
/// matrix (same digest, same N) must be there exactly once.
pub fn merge(shards: &[Summary]) -> Result<Summary, SummaryError> {
    let Some(first) = shards.first() else {
        return Err(SummaryError::Merge("no shard directories given".into()));
    };
    let mut seen = Vec::new();
    let mut n_shards = None;
    for s in shards {
        if s.digest != first.digest || s.matrix != first.matrix {
            return Err(SummaryError::Merge(format!(
                "shards of different matrices ({} {} and {} {})",
                first.matrix, first.digest, s.matrix, s.digest
            )));
        }
        let Some((k, n)) = s.shard.as_deref().and_then(parse_shard_text) else {
            return Err(SummaryError::Merge(
                "a summary without a shard (already whole or merged)".into(),
            ));
        };
        if *n_shards.get_or_insert(n) != n {
            return Err(SummaryError::Merge(format!(
                "shards of different splits (/{} and /{n})",
                n_shards.unwrap()
            )));
        }
        if seen.contains(&k) {
            return Err(SummaryError::Merge(format!("shard {k}/{n} given twice")));
        }
        seen.push(k);
    }
    let n = n_shards.unwrap_or(1);
    let missing: Vec<String> = (1..=n)
        .filter(|k| !seen.contains(k))
        .map(|k| format!("{k}/{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(SummaryError::Merge(format!(
            "shard(s) {} missing",
            missing.join(", ")
        )));
    }
    let runs: Vec<RunRecord> = shards.iter().flat_map(|s| s.runs.clone()).collect();
    if runs.len() != first.matrix_runs {
        return Err(SummaryError::Merge(format!(
            "the shards hold {} runs, the matrix has {}",
            runs.len(),
            first.matrix_runs
        )));
    }
    Ok(Summary::new(
        &first.matrix,
        &first.digest,
        first.matrix_runs,
        None,
        runs,
    ))
}

/// `K/N` with 1 <= K <= N.
pub fn parse_shard_text(s: &str) -> Option<(usize, usize)> {
    let (k, n) = s.split_once('/')?;
    let (k, n): (usize, usize) = (k.trim().parse().ok()?, n.trim().parse().ok()?);
    (k >= 1 && k <= n).then_some((k, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(index: usize, passed: bool) -> RunRecord {
        RunRecord {
            index,
            id: format!("default/directed/p{index}"),
            kind: "directed".into(),
            rtl: "default".into(),
            passed,
            message: if passed {
                String::new()
            } else {
                "exit code 1, expected 0: <bad> & \"x\"".into()
            },
            command: format!("cosim run elf/p{index}.elf"),
            counters: [("cycles".to_string(), index as u64)].into(),
            wave: (!passed).then(|| format!("waves/p{index}.fst")),
        }
    }

    #[test]
    fn merged_shards_equal_the_whole() {
        let all: Vec<RunRecord> = (0..5).map(|i| record(i, i != 3)).collect();
        let whole = Summary::new("m", "d", 5, None, all.clone());
        let shard = |k: usize| {
            let runs = all
                .iter()
                .filter(|r| r.index % 2 == k - 1)
                .cloned()
                .collect();
            Summary::new("m", "d", 5, Some(format!("{k}/2")), runs)
        };
        let merged = merge(&[shard(2), shard(1)]).unwrap();
        assert_eq!(merged.to_json_text(), whole.to_json_text());
        assert_eq!(merged.junit(), whole.junit());
        assert_eq!(whole.failed, 1);
        let e = merge(&[shard(1)]).unwrap_err().to_string();
        assert!(e.contains("2/2 missing"), "{e}");
        let e = merge(&[shard(1), shard(1)]).unwrap_err().to_string();
        assert!(e.contains("twice"), "{e}");
    }

    #[test]
    fn junit_escapes_and_carries_the_reproduce_command() {
        let s = Summary::new("m", "d", 2, None, vec![record(0, true), record(1, false)]);
        let x = s.junit();
        assert!(
            x.contains("tests=\"2\" skipped=\"0\" failures=\"1\""),
            "{x}"
        );
        assert!(x.contains("&lt;bad&gt; &amp; &quot;x&quot;"));
        assert!(x.contains("cosim run elf/p1.elf"));
        assert!(x.contains("waves/p1.fst"));
        assert!(!x.contains("<bad>"));
    }

    #[test]
    fn shard_text() {
        assert_eq!(parse_shard_text("2/4"), Some((2, 4)));
        assert_eq!(parse_shard_text("0/4"), None);
        assert_eq!(parse_shard_text("5/4"), None);
        assert_eq!(parse_shard_text("x"), None);
    }
}
