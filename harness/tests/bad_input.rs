//! What a hostile but realistic user does: odd output targets, exit codes that do not
//! fit a process status, endless or oversized inputs, out-of-range options, full
//! disks, signals. Each case must give a clear error and the right status, and leave
//! nothing clobbered or half-written.

mod common;

use common::*;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `cosim args` must exit with `status` and say `message` on stderr, without a panic.
fn expect_error(args: &[&str], status: i32, message: &str) {
    let out = cosim(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(status), "{args:?}: {err}");
    assert!(err.contains(message), "{args:?}: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{args:?}: {err}"
    );
}

#[test]
fn bad_options_and_inputs_are_clear_errors() {
    let dir = scratch("bad-inputs");
    let file = dir.join("existing-file");
    std::fs::write(&file, "x").unwrap();
    let profile = dir.join("huge.toml");
    std::fs::write(
        &profile,
        example_profile().replace("write_ns = 90.0", "write_ns = 1e20"),
    )
    .unwrap();
    let stray = dir.join("stray.toml");
    std::fs::write(
        &stray,
        "name = \"x\"\ntimeout_seconds = 10\n[[rtl]]\nname = \"default\"\n\
         [[directed]]\nrtl = [\"default\"]\nprograms = [\"hello\"]\nexpect_exit = { exit42 = 42 }\n",
    )
    .unwrap();
    let out_dir = dir.join("nightly-out");
    let (file, profile, stray, out_dir) = (
        file.to_str().unwrap(),
        profile.to_str().unwrap(),
        stray.to_str().unwrap(),
        out_dir.to_str().unwrap(),
    );
    let image = format!("{}/no/such/dir/img", dir.display());
    #[rustfmt::skip]
    let cases: &[(&[&str], i32, &str)] = &[
        // Inputs that never end are refused before they are read.
        (&["run", "/dev/zero"], 3, "/dev/zero: not a regular file"),
        (&["nightly", "--matrix", "/dev/zero", "--out", out_dir], 3, "not a regular file"),
        (&["nightly", "--baseline", "/dev/zero", "--out", out_dir], 3, "not a regular file"),
        // Sizes the memory map cannot take are bad options.
        (&["run", "--firmware", "hello", "--pmem-size", "0"], 2, "must be a non-zero multiple of 4 KiB"),
        (&["run", "--firmware", "hello", "--pmem-size", "1"], 2, "must be a non-zero multiple of 4 KiB"),
        (&["run", "--firmware", "hello", "--pmem-size", "2T"], 2, "at most 1 TiB"),
        (&["vmemmap", "--pmem-size", "0"], 2, "must be a non-zero multiple of 4 KiB"),
        (&["run", "--firmware", "hello", "--max-cycles", "0"], 2, "invalid value '0'"),
        (&["fuzz", "--length", "100000000"], 2, "from 1 to 20000"),
        (&["bench", "--seconds=-1"], 2, "seconds from 0"),
        (&["bench", "--seconds", "nan"], 2, "seconds from 0"),
        // A profile figure beyond its documented bound.
        (&["run", "--firmware", "hello", "--profile", profile], 2, "pmem.write_ns 100000000000000000000 must lie in"),
        // An expectation for a program the group does not run.
        (&["nightly", "--matrix", stray, "--out", out_dir], 3, "expect_exit names \"exit42\""),
        // The report's directory is checked before the work, and named.
        (&["report", "--out", file], 3, file),
    ];
    for (args, status, message) in cases {
        expect_error(args, *status, message);
    }
    // An image path that cannot be created: the OS error once, with the path.
    let out = cosim(&["run", "-q", "--firmware", "hello", "--pmem-image", &image]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains(&image), "{err}");
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
}

/// A profile file of the built-in optane profile's shape.
fn example_profile() -> String {
    "name = \"x\"\nclock_ghz = 1.0\n\
     [dram]\nseq_read_ns = 81.0\nrand_read_ns = 101.0\nwrite_ns = 57.0\nread_gbps = 19.0\nwrite_gbps = 14.0\nlocality_bytes = 2048\n\
     [pmem]\nseq_read_ns = 169.0\nrand_read_ns = 305.0\nwrite_ns = 90.0\nread_gbps = 6.5\nwrite_gbps = 2.2\nlocality_bytes = 256\n\
     [media]\nline_bytes = 256\ncombining_lines = 4\nwpq_entries = 32\n"
        .to_string()
}

/// Exit codes that a process status would truncate to 0 must not pass.
#[test]
fn exit_codes_beyond_a_status_fail_with_the_full_code_in_the_json() {
    let dir = scratch("bad-exit-codes");
    let simctrl_exit = "  li t0, 0x10000000\n  li t1, 0x100\n  sw t1, 8(t0)\n1: j 1b\n";
    let cases = [
        ("htif-256", htif_write("(256 << 1) | 1"), 256u64),
        ("htif-65536", htif_write("(65536 << 1) | 1"), 65536),
        ("htif-2-32", htif_write("(1 << 33) | 1"), 1 << 32),
        ("simctrl-256", simctrl_exit.to_string(), 256),
    ];
    for (name, body, code) in cases {
        let sub = dir.join(name);
        std::fs::create_dir_all(&sub).unwrap();
        let elf = assemble(&sub, &body);
        let json = sub.join("run.json");
        let out = cosim(&[
            "run",
            "--json",
            json.to_str().unwrap(),
            elf.to_str().unwrap(),
        ]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(255), "{name}: {err}");
        assert!(err.contains(&format!("exit code {code} ")), "{name}: {err}");
        assert!(
            err.contains("does not fit in a process status"),
            "{name}: {err}"
        );
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        assert_eq!(v["exit_code"], code, "{name}");
        assert_eq!(v["exit_status"], 255, "{name}");
    }
}

/// Prints "ok\n" through the HTIF console, then exits with 0: a run of a few
/// thousand cycles with console output.
fn short_program(dir: &Path) -> String {
    let mut body = String::from("  la t1, tohost\n");
    for ch in [b'o', b'k', b'\n'] {
        body += &format!(
            "  li t0, (1 << 56) | (1 << 48) | {ch}\n  sd t0, 0(t1)\n\
             1: ld t2, 0(t1)\n  bnez t2, 1b\n"
        );
    }
    body += "  li t0, 1\n  sd t0, 0(t1)\n2: j 2b\n";
    assemble(dir, &body).to_str().unwrap().to_string()
}

#[test]
fn output_targets_that_are_not_regular_files_are_never_replaced() {
    let dir = scratch("bad-targets");
    let program = short_program(&dir);
    // /dev/null: written in place, exit 0, still a device.
    let out = cosim(&["run", "-q", &program, "--json", "/dev/null"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    // /dev/full: the write fails, and says so.
    for option in ["--json", "--retire-log"] {
        let out = cosim(&["run", "-q", &program, option, "/dev/full"]);
        assert_eq!(out.status.code(), Some(3), "{option}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("cannot write /dev/full: No space left on device"),
            "{option}: {}",
            stderr(&out)
        );
        assert!(std::fs::metadata("/dev/full")
            .unwrap()
            .file_type()
            .is_char_device());
    }
    // A FIFO is written in place: its reader gets the JSON, the FIFO stays.
    let fifo = dir.join("fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = cosim(&["run", "-q", &program, "--json", fifo.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(reader.join().unwrap().contains("\"exit_code\": 0"));
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    // A waveform needs a regular file: a FIFO is refused before the run.
    let out = cosim(&["run", "-q", &program, "--trace", fifo.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    // A symlink is followed: the link stays, its target gets the file.
    for (option, name) in [("--json", "run.json"), ("--trace", "run.fst")] {
        let link = dir.join(format!("link-{name}"));
        std::os::unix::fs::symlink(name, &link).unwrap();
        let out = cosim(&["run", "-q", &program, option, link.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{option}: {}", stderr(&out));
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(
            std::fs::metadata(dir.join(name)).unwrap().len() > 100,
            "{option}"
        );
    }
}

#[test]
fn a_full_or_closed_stdout_is_an_error() {
    let program = short_program(&scratch("bad-stdout"));
    for (what, stdout) in [
        (
            "full",
            Stdio::from(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            ),
        ),
        ("closed", Stdio::from(closed_pipe())),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_cosim"))
            .args(["run", "-q", &program])
            .stdout(stdout)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(3), "{what}: {err}");
        assert!(err.contains("cannot write stdout"), "{what}: {err}");
    }
}

/// The write end of a pipe whose read end is closed.
fn closed_pipe() -> std::fs::File {
    use std::os::fd::FromRawFd;
    let mut fds = [0; 2];
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    unsafe {
        libc::close(fds[0]);
        std::fs::File::from_raw_fd(fds[1])
    }
}

/// A program that runs until stopped, changing a register all the time (no watchdog).
fn endless(dir: &Path) -> std::path::PathBuf {
    assemble(dir, "1: addi t0, t0, 1\n  j 1b\n")
}

fn signal(pid: u32, signal: i32) {
    assert_eq!(unsafe { libc::kill(pid as i32, signal) }, 0);
}

#[test]
fn a_signalled_run_finishes_its_waveform_and_json() {
    let dir = scratch("bad-signal-run");
    let elf = endless(&dir);
    for (sig, status, name) in [
        (libc::SIGINT, 130, "SIGINT"),
        (libc::SIGTERM, 143, "SIGTERM"),
    ] {
        let (fst, json) = (
            dir.join(format!("{name}.fst")),
            dir.join(format!("{name}.json")),
        );
        let child = Command::new(env!("CARGO_BIN_EXE_cosim"))
            .args([
                "run",
                "-q",
                "--trace",
                fst.to_str().unwrap(),
                "--json",
                json.to_str().unwrap(),
            ])
            .arg(&elf)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(1500));
        signal(child.id(), sig);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(status), "{}", stderr(&out));
        assert!(stderr(&out).contains(&format!("interrupted by {name} at cycle")));
        assert!(
            std::fs::metadata(&fst).unwrap().len() > 1000,
            "the waveform is complete"
        );
        assert!(!dir.join(format!("{name}.fst.partial")).exists());
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        assert_eq!(v["interrupted"], name);
        assert_eq!(v["exit_code"], status);
        assert!(v["cycles"].as_u64().unwrap() > 0);
    }
}

/// The processes whose parent is `pid`.
fn children_of(pid: u32) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid ...: comm may hold spaces, so split after the ')'.
        let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
        if fields[1] == pid.to_string() {
            found.push(entry.file_name().to_str().unwrap().parse().unwrap());
        }
    }
    found
}

#[test]
fn a_signalled_nightly_stops_its_runs_and_writes_its_summary() {
    let dir = scratch("bad-signal-nightly");
    let matrix = dir.join("long.toml");
    std::fs::write(
        &matrix,
        "name = \"long\"\ntimeout_seconds = 600\n[[rtl]]\nname = \"default\"\n\
         [[vmemmap]]\nrtl = [\"default\"]\nmodes = [\"base\", \"dax\", \"huge\"]\naligns = [\"2M\"]\n\
         paging = [\"sv39\"]\nprofiles = [\"ideal\"]\npmem_size = \"4G\"\niterations = 100000\n",
    )
    .unwrap();
    let out_dir = dir.join("out");
    let child = Command::new(env!("CARGO_BIN_EXE_cosim"))
        .args([
            "nightly",
            "--jobs",
            "1",
            "--matrix",
            matrix.to_str().unwrap(),
        ])
        .arg("--out")
        .arg(&out_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the first run's process, then signal cosim nightly alone.
    let start = Instant::now();
    let runs = loop {
        let runs = children_of(child.id());
        if !runs.is_empty() || start.elapsed() > Duration::from_secs(60) {
            break runs;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(!runs.is_empty(), "cosim nightly started no run");
    std::thread::sleep(Duration::from_millis(500));
    signal(child.id(), libc::SIGTERM);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(143), "{}", stderr(&out));
    for pid in runs {
        assert!(
            !Path::new(&format!("/proc/{pid}")).exists(),
            "run process {pid} outlived cosim nightly"
        );
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("summary.json")).unwrap()).unwrap();
    let runs = summary["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 3, "every run of the matrix is accounted for");
    for r in runs {
        assert_eq!(r["passed"], false);
        assert!(
            r["message"]
                .as_str()
                .unwrap()
                .contains("interrupted by SIGTERM"),
            "{r}"
        );
    }
    let junit = std::fs::read_to_string(out_dir.join("junit.xml")).unwrap();
    assert!(junit.contains("interrupted by SIGTERM"));
}
