//! `cosim nightly` end to end: the smoke matrix passes and writes every output; broken
//! runs become JUnit failures whose reproduce command reproduces them and whose
//! waveform covers the cycles before the failure; a baseline catches a one-counter
//! change; shards merge into the unsharded result.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cosim(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cosim"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run cosim")
}

fn repo_file(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rel)
        .display()
        .to_string()
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(
        &std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .expect("JSON")
}

fn nightly(dir: &Path, matrix: &str, extra: &[&str]) -> (Output, PathBuf) {
    let out = dir.join("out");
    let mut args = vec![
        "nightly",
        "--matrix",
        matrix,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    (cosim(&args, dir), out)
}

#[test]
fn smoke_matrix_passes_with_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = nightly(dir.path(), &repo_file("tests/nightly/smoke.toml"), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let summary = read_json(&out.join("summary.json"));
    let runs = summary["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 12);
    assert_eq!(summary["failed"], 0);
    for kind in ["directed", "fuzz", "vmemmap", "powerfail"] {
        assert!(runs.iter().any(|r| r["kind"] == kind), "no {kind} run");
    }
    // Each run has its JSON with the run's own results, and real counters.
    for r in runs {
        let slug = r["id"].as_str().unwrap().replace('/', ".");
        let per_run = read_json(&out.join(format!("runs/{slug}.json")));
        assert!(per_run["result"].is_object(), "{slug}: {per_run}");
        assert!(per_run["wall_seconds"].as_f64().unwrap() > 0.0);
    }
    let stream = runs
        .iter()
        .find(|r| r["id"] == "default/directed/vm_stream")
        .unwrap();
    assert_eq!(stream["counters"]["counters.walks"], 4097);
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert!(
        junit.contains("tests=\"12\" skipped=\"0\" failures=\"0\""),
        "{junit}"
    );
    // The generator's modes and the bus jitter reach the run's command.
    let all = runs
        .iter()
        .find(|r| r["id"] == "default/fuzz/all-jitter4-seed-1")
        .expect("the jittered all-mode seed");
    assert!(all["command"]
        .as_str()
        .unwrap()
        .contains("--jitter 4 --bus-seed 1 elf/fuzz-all-1.elf"));
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("| default/directed/vm_stream | pass | 468864 |"),
        "{report}"
    );
    // A 1 GiB alignment is marked as RISC-V Linux 6.12 cannot set it up.
    for (run, reach) in [
        ("dax-2M-sv39-ideal-1G", "reachable"),
        ("dax-1G-sv39-ideal-1G", "not reachable on RISC-V Linux 6.12"),
    ] {
        let row = format!("| default/vmemmap/{run} | pass | {reach} |");
        assert!(report.contains(&row), "{row} in {report}");
    }
    assert!(std::fs::read_to_string(out.join("report.html"))
        .unwrap()
        .contains("<svg"));
}

/// A matrix with a firmware whose exit is not what the matrix expects, a run that
/// fails late (its waveform must be a window, not the whole run) and one that hangs
/// past the timeout.
const BROKEN: &str = r#"
name = "broken"
timeout_seconds = 20
wave_window = 1000

[[rtl]]
name = "default"

[[directed]]
rtl = ["default"]
programs = ["exit42", "vm_stream", "hello"]
expect_exit = { vm_stream = 1 }
"#;

/// The FST header's start time (block 0: type, length, then start time, big-endian).
fn fst_start_time(path: &Path) -> u64 {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(bytes[0], 0, "{} is not an FST file", path.display());
    u64::from_be_bytes(bytes[9..17].try_into().unwrap())
}

#[test]
fn broken_runs_are_junit_failures_with_reproduce_commands_and_waveforms() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = dir.path().join("broken.toml");
    std::fs::write(&matrix, BROKEN).unwrap();
    let (o, out) = nightly(dir.path(), matrix.to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert!(
        junit.contains("tests=\"3\" skipped=\"0\" failures=\"2\""),
        "{junit}"
    );
    assert!(junit.contains("exit code 42, expected 0"), "{junit}");
    assert!(junit.contains("exit code 0, expected 1"), "{junit}");
    assert!(junit.contains("<testcase name=\"hello\" classname=\"default.directed\"/>"));

    let summary = read_json(&out.join("summary.json"));
    for (id, expected_exit) in [
        ("default/directed/exit42", 42),
        ("default/directed/vm_stream", 0),
    ] {
        let r = summary["runs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap();
        assert_eq!(r["passed"], false);
        // The reproduce command, run from the output directory, does the same again.
        let command = r["command"].as_str().unwrap();
        assert!(junit.contains(command), "JUnit lacks {command}");
        let status = Command::new("sh")
            .arg("-c")
            .arg(command)
            .current_dir(&out)
            .output()
            .unwrap();
        assert_eq!(status.status.code(), Some(expected_exit), "{command}");
        let wave = out.join(r["wave"].as_str().expect("a waveform"));
        assert!(junit.contains(r["wave"].as_str().unwrap()));
        let cycles = r["counters"]["cycles"].as_u64().unwrap();
        let start = fst_start_time(&wave);
        if cycles > 1000 {
            // Two time steps per cycle: the waveform starts within the window.
            assert!(
                start >= 2 * (cycles - 1000),
                "{id}: waveform starts at {start}, run has {cycles} cycles"
            );
        } else {
            assert_eq!(start, 0, "{id}: a short run is traced whole");
        }
    }
}

#[test]
fn a_run_past_the_timeout_is_its_failure_and_the_others_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = dir.path().join("slow.toml");
    // Not a race against the machine's speed: the vmemmap run builds the struct pages
    // of a 64 GiB device page by page (2^24 of them, minutes of simulation), so it cannot
    // end within its group's 1 s timeout; hello (a few seconds at most) has the
    // matrix's 600 s.
    std::fs::write(
        &matrix,
        "name = \"slow\"\ntimeout_seconds = 600\n[[rtl]]\nname = \"default\"\n\
         [[directed]]\nrtl = [\"default\"]\nprograms = [\"hello\"]\n\
         [[vmemmap]]\nrtl = [\"default\"]\nmodes = [\"base\"]\naligns = [\"4K\"]\n\
         paging = [\"sv39\"]\nprofiles = [\"ideal\"]\npmem_size = \"64G\"\ntimeout_seconds = 1\n",
    )
    .unwrap();
    let (o, out) = nightly(dir.path(), matrix.to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let summary = read_json(&out.join("summary.json"));
    let runs = summary["runs"].as_array().unwrap();
    let slow = runs.iter().find(|r| r["kind"] == "vmemmap").unwrap();
    assert_eq!(slow["passed"], false);
    let msg = slow["message"].as_str().unwrap();
    assert!(msg.starts_with("timed out after 1 s (killed)"), "{msg}");
    assert!(runs
        .iter()
        .any(|r| r["id"] == "default/directed/hello" && r["passed"] == true));
}

#[test]
fn baseline_catches_a_one_counter_change() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = dir.path().join("m.toml");
    std::fs::write(
        &matrix,
        "name = \"m\"\n[[rtl]]\nname = \"default\"\n[[directed]]\nrtl = [\"default\"]\nprograms = [\"vm_stream\", \"vm_sv39\"]\n",
    )
    .unwrap();
    let (o, out) = nightly(dir.path(), matrix.to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // Counters are deterministic: the same matrix against its own summary is clean.
    let same = dir.path().join("same.json");
    std::fs::copy(out.join("summary.json"), &same).unwrap();
    let (o, _) = nightly(
        dir.path(),
        matrix.to_str().unwrap(),
        &["--baseline", same.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("baseline: 0 counters changed"));

    // A baseline in which one counter of one run differs.
    let mut base = read_json(&same);
    let walks = &mut base["runs"][0]["counters"]["counters.walks"];
    assert_eq!(*walks, 4097);
    *walks = serde_json::json!(4000);
    let changed = dir.path().join("changed.json");
    std::fs::write(&changed, serde_json::to_string(&base).unwrap()).unwrap();
    let (o, out) = nightly(
        dir.path(),
        matrix.to_str().unwrap(),
        &["--baseline", changed.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("baseline: 1 counters changed, 1 beyond 0 %"),
        "{stdout}"
    );
    assert!(
        stdout.contains("default/directed/vm_stream counters.walks: 4000 -> 4097 (+2.43 %)"),
        "{stdout}"
    );
    let md = std::fs::read_to_string(out.join("baseline.md")).unwrap();
    assert!(
        md.contains(
            "| default/directed/vm_stream | counters.walks | 4000 | 4097 | +2.43 % | **changed** |"
        ),
        "{md}"
    );
    // A tolerance that allows it.
    let (o, _) = nightly(
        dir.path(),
        matrix.to_str().unwrap(),
        &["--baseline", changed.to_str().unwrap(), "--tolerance", "3"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn shards_merge_into_the_unsharded_result() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = repo_file("tests/nightly/smoke.toml");
    let whole = dir.path().join("whole");
    let o = cosim(
        &[
            "nightly",
            "--matrix",
            &matrix,
            "--out",
            whole.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let mut shard_dirs = Vec::new();
    for k in 1..=3 {
        let d = dir.path().join(format!("shard-{k}"));
        let shard = format!("{k}/3");
        let o = cosim(
            &[
                "nightly",
                "--matrix",
                &matrix,
                "--shard",
                &shard,
                "--out",
                d.to_str().unwrap(),
            ],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        shard_dirs.push(d);
    }
    let merged = dir.path().join("merged");
    let mut args = vec!["merge", "--out", merged.to_str().unwrap()];
    // Given in any order.
    args.extend(shard_dirs.iter().rev().map(|d| d.to_str().unwrap()));
    let o = cosim(&args, dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    for f in ["summary.json", "junit.xml", "report.md"] {
        assert_eq!(
            std::fs::read_to_string(merged.join(f)).unwrap(),
            std::fs::read_to_string(whole.join(f)).unwrap(),
            "{f} differs"
        );
    }
    // Missing a shard is refused.
    let o = cosim(
        &[
            "merge",
            "--out",
            dir.path().join("m2").to_str().unwrap(),
            shard_dirs[0].to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("missing"),
        "{}",
        text(&o)
    );
}

#[test]
fn bad_matrix_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = dir.path().join("bad.toml");
    std::fs::write(
        &matrix,
        "name = \"x\"\n[[rtl]]\nname = \"default\"\nparams = \"tlb=8\"\n",
    )
    .unwrap();
    let (o, out) = nightly(dir.path(), matrix.to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("unknown key `tlb`"), "{stderr}");
    assert!(!stderr.contains("panicked"));
    assert!(!out.join("summary.json").exists());
    let o = cosim(&["nightly", "--shard", "3/2", "--out", "x"], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}
