//! Runs one run of the matrix in its own `cosim` process, so that a crash, a hang or a
//! timeout is that run's failure and the others go on; and, when it fails, runs it
//! again with a waveform of the cycles before the failure.

use super::matrix::{Input, RunSpec};
use super::record::{flatten, shell_line, RunRecord};
use serde_json::{json, Value};
use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The subdirectories of a nightly output directory.
pub const SUBDIRS: &[&str] = &["elf", "runs", "results", "logs", "waves", "work"];

/// Writes the programs `runs` read into `out`. Called once, before any run starts.
pub fn prepare_inputs(out: &Path, runs: &[RunSpec]) -> std::io::Result<()> {
    for dir in SUBDIRS {
        fs::create_dir_all(out.join(dir))?;
    }
    for input in runs.iter().flat_map(|r| &r.inputs) {
        match input {
            Input::Program(name) => {
                let bytes = crate::programs::find(name).expect("checked by the matrix");
                write_if_changed(&out.join(format!("elf/{}", input.file_name())), bytes)?;
            }
            Input::FuzzProgram { seed, length, mode } => write_if_changed(
                &out.join(format!("elf/{}", input.file_name())),
                &crate::fuzz::program_elf(*seed, *length, *mode),
            )?,
        }
    }
    Ok(())
}

fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    crate::output::write_atomic(path, bytes)
}

/// How a process ended.
enum Ended {
    Exited(i32),
    Signal(i32),
    TimedOut,
    /// cosim nightly was asked to stop (SIGINT/SIGTERM) and passed it on.
    Interrupted(i32),
}

/// How long a child that was passed SIGINT/SIGTERM has to finish its outputs before
/// it is killed.
const INTERRUPT_GRACE: Duration = Duration::from_secs(10);

/// Runs `bin args` in `out` with its output in `log`, killed after `timeout`.
fn execute(bin: &Path, args: &[String], out: &Path, log: &Path, timeout: Duration) -> Ended {
    let spawn = || -> std::io::Result<std::process::Child> {
        let file = fs::File::create(log)?;
        Command::new(bin)
            .args(args)
            .current_dir(out)
            .stdin(Stdio::null())
            .stdout(file.try_clone()?)
            .stderr(file)
            .spawn()
    };
    let mut child = match spawn() {
        Ok(child) => child,
        Err(e) => {
            let _ = fs::write(log, format!("cannot start {}: {e}\n", bin.display()));
            return Ended::Exited(-1);
        }
    };
    let start = Instant::now();
    let mut forwarded: Option<(i32, Instant)> = None;
    loop {
        if let (None, Some(signal)) = (forwarded, crate::signals::received()) {
            crate::signals::forward(child.id(), signal);
            forwarded = Some((signal, Instant::now()));
        }
        if let Some((signal, at)) = forwarded {
            if at.elapsed() >= INTERRUPT_GRACE {
                let _ = child.kill();
            }
            if let Ok(Some(_)) = child.try_wait() {
                return Ended::Interrupted(signal);
            }
            std::thread::sleep(Duration::from_millis(20));
            continue;
        }
        match child.try_wait() {
            Ok(Some(status)) => {
                return match (status.code(), status.signal()) {
                    (Some(code), _) => Ended::Exited(code),
                    (None, Some(sig)) => Ended::Signal(sig),
                    (None, None) => Ended::Exited(-1),
                }
            }
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Ended::TimedOut;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => return Ended::Exited(-1),
        }
    }
}

/// The last `n` lines of a log (at most 64 KiB are read).
fn tail(path: &Path, n: usize) -> String {
    let mut text = String::new();
    if let Ok(mut f) = fs::File::open(path) {
        let len = f.metadata().map_or(0, |m| m.len());
        let _ = f.seek(SeekFrom::Start(len.saturating_sub(65536)));
        let mut bytes = Vec::new();
        let _ = f.read_to_end(&mut bytes);
        text = String::from_utf8_lossy(&bytes).into_owned();
    }
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Why a run that exited with the wrong code failed: the error its JSON holds, else
/// the `error:` line cosim printed last (with the counter check's first difference),
/// else the end of its output.
fn describe_failure(result: Option<&Value>, log: &Path) -> String {
    if let Some(e) = result.and_then(|v| v.get("error")).and_then(Value::as_str) {
        return e.to_string();
    }
    let all = tail(log, 400);
    let Some(at) = all
        .rfind("\nerror: ")
        .map(|i| i + 1)
        .or(all.starts_with("error: ").then_some(0))
    else {
        return format!("last output:\n{}", tail(log, 12));
    };
    let mut why = all[at + "error: ".len()..].trim_end().to_string();
    if let Some(first) = result
        .and_then(|v| v.pointer("/checks/counter_check/first_difference"))
        .and_then(Value::as_str)
    {
        why += &format!(" (first difference: {first})");
    }
    why
}

/// The cycle a failed run went wrong at: the counter check's first difference, else
/// where its JSON says it stopped, else the first "cycle N" in its error message.
pub(crate) fn failing_cycle(result: Option<&Value>, message: &str) -> Option<u64> {
    let number_after = |key: &str| {
        let at = message.find(key)? + key.len();
        let digits: String = message[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    };
    number_after("first difference: cycle ")
        .or_else(|| result.and_then(|v| v.get("cycles")).and_then(Value::as_u64))
        .or_else(|| number_after("cycle "))
}

/// What the nightly run knows besides the run itself.
pub struct Context<'a> {
    pub out: &'a Path,
    /// Cycles of waveform recorded before a failure (0: none, no second run).
    pub wave_window: u64,
}

/// Everything a finished run left: its record and, for the per-run JSON, its wall
/// time and its own JSON.
pub struct Finished {
    pub record: RunRecord,
    pub wall_seconds: f64,
    pub result: Option<Value>,
}

/// Runs `spec` with the binary `bin` (its RTL set's), checks how it ended, and for a
/// failure records a waveform of the `wave_window` cycles before it.
pub fn run_one(index: usize, spec: &RunSpec, bin: &Path, ctx: &Context) -> Finished {
    let slug = spec.slug();
    let result_rel = format!("results/{slug}.json");
    let result_path = ctx.out.join(&result_rel);
    let _ = fs::remove_file(&result_path);
    let mut args = spec.args.clone();
    args.push(format!("--json={result_rel}"));
    let log = ctx.out.join(format!("logs/{slug}.log"));
    let start = Instant::now();
    let ended = execute(bin, &args, ctx.out, &log, spec.timeout);
    let wall_seconds = start.elapsed().as_secs_f64();
    let result: Option<Value> = fs::read(&result_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    // The harness's own error when it stopped the run, else the end of the output.
    let error_line = || describe_failure(result.as_ref(), &log);
    let message = match ended {
        Ended::TimedOut => format!(
            "timed out after {} s (killed); last output:\n{}",
            spec.timeout.as_secs(),
            tail(&log, 12)
        ),
        Ended::Interrupted(signal) => format!(
            "interrupted by {} before it finished",
            crate::signals::name(signal)
        ),
        Ended::Signal(sig) => format!(
            "cosim crashed (signal {sig}); last output:\n{}",
            tail(&log, 12)
        ),
        Ended::Exited(code) if code != spec.expect_exit => format!(
            "exit code {code}, expected {}: {}",
            spec.expect_exit,
            error_line()
        ),
        Ended::Exited(_) if result.is_none() => {
            format!(
                "no result JSON was written; last output:\n{}",
                tail(&log, 12)
            )
        }
        Ended::Exited(_) => String::new(),
    };
    let passed = message.is_empty();
    let mut wave = None;
    let interrupted = matches!(ended, Ended::Interrupted(_));
    let traceable = spec.traceable && ctx.wave_window > 0;
    if !passed && traceable && !interrupted && !matches!(ended, Ended::TimedOut) {
        if let Some(cycle) = failing_cycle(result.as_ref(), &message) {
            wave = record_wave(spec, bin, ctx, &slug, cycle);
        }
    }
    let message = match (&wave, passed) {
        (None, false) if traceable && !interrupted => format!(
            "{message}\n(no waveform: {})",
            if matches!(ended, Ended::TimedOut) {
                "the run timed out"
            } else {
                "the failing cycle is unknown or the traced run failed to start"
            }
        ),
        _ => message,
    };
    Finished {
        record: RunRecord {
            index,
            id: spec.id.clone(),
            kind: spec.kind.name().to_string(),
            rtl: spec.rtl.clone(),
            passed,
            message,
            command: shell_line(&bin.display().to_string(), &args),
            counters: result.as_ref().map(flatten).unwrap_or_default(),
            wave,
        },
        wall_seconds,
        result,
    }
}

/// Runs the failed `spec` again, traced from `window` cycles before `cycle`; the
/// waveform's path (relative to the output directory) if one was written.
fn record_wave(
    spec: &RunSpec,
    bin: &Path,
    ctx: &Context,
    slug: &str,
    cycle: u64,
) -> Option<String> {
    let wave_rel = format!("waves/{slug}.fst");
    let mut args = spec.args.clone();
    args.push(format!("--trace={wave_rel}"));
    args.push(format!(
        "--trace-from={}",
        cycle.saturating_sub(ctx.wave_window)
    ));
    // The traced run's JSON is not the run's result: keep it apart.
    args.push(format!("--json=work/{slug}.traced.json"));
    let log = ctx.out.join(format!("logs/{slug}.traced.log"));
    execute(bin, &args, ctx.out, &log, spec.timeout * 4);
    ctx.out.join(&wave_rel).is_file().then_some(wave_rel)
}

/// The per-run JSON (`runs/<slug>.json`): the record, the wall time, the run's own JSON.
pub fn run_json(f: &Finished) -> Value {
    json!({
        "record": f.record,
        "wall_seconds": f.wall_seconds,
        "result": f.result,
    })
}

/// Path of a run's JSON in `out`.
pub fn run_json_path(out: &Path, record: &RunRecord) -> PathBuf {
    out.join(format!("runs/{}.json", record.slug()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_waveform_window_ends_where_the_run_went_wrong() {
        let stopped = json!({"cycles": 500});
        assert_eq!(failing_cycle(Some(&stopped), "anything"), Some(500));
        assert_eq!(
            failing_cycle(
                Some(&stopped),
                "counters differ (first difference: cycle 321: events)"
            ),
            Some(321)
        );
        assert_eq!(
            failing_cycle(None, "watchdog: ... (at cycle 77); hangs"),
            Some(77)
        );
        assert_eq!(failing_cycle(None, "no number"), None);
    }

    #[test]
    fn a_failure_is_described_by_the_harness_error() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        fs::write(
            &log,
            "console\ntable line\nerror: counter check: they differ\n",
        )
        .unwrap();
        let result = json!({"checks": {"counter_check": {"first_difference": "cycle 9: events"}}});
        assert_eq!(
            describe_failure(Some(&result), &log),
            "counter check: they differ (first difference: cycle 9: events)"
        );
        assert_eq!(
            describe_failure(Some(&json!({"error": "watchdog"})), &log),
            "watchdog"
        );
        fs::write(&log, "a\nb\n").unwrap();
        assert_eq!(describe_failure(None, &log), "last output:\na\nb");
    }
}
