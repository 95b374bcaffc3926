//! The `cosim` command as a user runs it: exit codes, console, errors, waveforms.

mod common;

use common::*;
use std::process::Command;

#[test]
fn program_exit_code_is_the_process_exit_code() {
    let dir = scratch("exit");
    let elf = assemble(&dir, &htif_write("(42 << 1) | 1"));
    let out = cosim(&["run", "-q", elf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(42), "stderr: {}", stderr(&out));

    let elf = assemble(&dir, &htif_write("1"));
    let out = cosim(&["run", "-q", elf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
}

#[test]
fn console_goes_to_stdout_and_summary_to_stderr() {
    let out = cosim(&["run", "--firmware", "hello"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert!(
        stdout(&out).starts_with("hello from the cosim firmware\n"),
        "stdout: {}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("all 5 checks passed"));
    let err = stderr(&out);
    assert!(
        err.contains("exit code 0 after") && err.contains("instructions"),
        "stderr: {err}"
    );
}

#[test]
fn hung_program_is_ended_by_the_watchdog() {
    let dir = scratch("hang");
    let elf = assemble(&dir, "  nop\nspin: j spin\n");
    let out = cosim(&["run", "-q", "--watchdog", "5000", elf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(err.contains("watchdog"), "stderr: {err}");
    assert!(
        err.contains("pc 0x0000000080000002"),
        "the spinning PC is named: {err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn a_trap_loop_is_reported_even_when_the_handler_makes_progress() {
    let dir = scratch("trap-loop");
    // The handler changes a register every time, so it looks like progress, but it
    // returns to the same ecall forever.
    let elf = assemble(&dir, "  la t0, handler\n  csrw mtvec, t0\nagain: ecall\n  .balign 4\nhandler:\n  addi t2, t2, 1\n  mret\n");
    let out = cosim(&["run", "-q", elf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(
        err.contains("trap loop: exception cause 11"),
        "stderr: {err}"
    );
    assert!(err.contains("100000 times in a row"), "stderr: {err}");
}

/// An SBI-style console: 200 000 ecalls from one site, each serviced and returned
/// past (mepc + 4). The handler never returns to the trapping instruction, so this is
/// no trap loop, however often the same ecall traps.
#[test]
fn ecalls_returned_past_are_not_a_trap_loop() {
    let dir = scratch("ecall-site");
    let body = format!(
        "  la t0, handler\n  csrw mtvec, t0\n  li s0, 200000\n\
         again: ecall\n  addi s0, s0, -1\n  bnez s0, again\n{}\n\
         .balign 4\nhandler:\n  csrr t1, mepc\n  addi t1, t1, 4\n  csrw mepc, t1\n  mret\n",
        htif_write("1")
    );
    let elf = assemble(&dir, &body);
    let out = cosim(&["run", "-q", elf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
}

/// A stripped firmware (no symbols at all, as Debian's OpenSBI) still has HTIF: its
/// `.htif` section holds `fromhost`, then `tohost`.
#[test]
fn htif_is_found_through_the_htif_section_of_a_stripped_elf() {
    let dir = scratch("htif-section");
    let elf = link(
        &dir,
        "ENTRY(_start) SECTIONS { . = 0x80000000; .text : { *(.text) } .htif : { *(.htif) } }",
        ".section .text\n.globl _start\n_start:\n  la t1, mailbox\n  li t0, (7 << 1) | 1\n\
         sd t0, 8(t1)\n1: j 1b\n.section .htif,\"aw\",@progbits\n.align 3\nmailbox: .dword 0, 0\n",
        &["-Wl,--strip-all"],
    );
    let out = cosim(&["run", "-q", elf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
}

/// OpenSBI's HTIF console: a character written to tohost, then fromhost polled for
/// the host's acknowledgement and tohost for being taken. The host writes both
/// mailboxes when the store's beat reaches memory, which may be after the store
/// retired; lockstep must see those writes when the RTL loads them (a Linux boot under
/// lockstep once diverged here).
#[test]
fn htif_acknowledgements_are_seen_by_lockstep() {
    let dir = scratch("htif-ack");
    let body = "  la t1, tohost\n  la t2, fromhost\n  li s0, 50\n\
                next: li t0, (1 << 56) | (1 << 48) | 0x2e\n  sd t0, 0(t1)\n\
                1: ld t3, 0(t2)\n  beqz t3, 1b\n  sd zero, 0(t2)\n\
                2: ld t3, 0(t1)\n  bnez t3, 2b\n  addi s0, s0, -1\n  bnez s0, next\n  li t0, 1\n  sd t0, 0(t1)\n3: j 3b\n";
    let elf = assemble(&dir, body);
    let out = cosim(&["run", "--lockstep", elf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), ".".repeat(50));
    assert!(stderr(&out).contains("htif-host-write"), "{}", stderr(&out));
}

/// HTIF console read (device 1, command 0): the host takes the request, then
/// answers through fromhost with what was typed on cosim's stdin; the program exits
/// with the character it got, under lockstep.
#[test]
fn console_reads_are_answered_from_stdin() {
    use std::io::Write;
    let dir = scratch("getc");
    let body = "  la t1, tohost\n  la t2, fromhost\n  li t0, 1 << 56\n  sd t0, 0(t1)\n\
                1: ld t3, 0(t2)\n  beqz t3, 1b\n  sd zero, 0(t2)\n  andi t3, t3, 0xff\n\
                slli t3, t3, 1\n  ori t3, t3, 1\n  sd t3, 0(t1)\n2: j 2b\n";
    let elf = assemble(&dir, body);
    let mut child = Command::new(env!("CARGO_BIN_EXE_cosim"))
        .args(["run", "-q", "--lockstep", "--watchdog", "100000000"])
        .arg(&elf)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"A").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
}

#[test]
fn cycle_limit_ends_a_long_run() {
    let out = cosim(&["run", "-q", "--max-cycles", "1000", "--firmware", "hello"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("cycle limit of 1000 cycles"),
        "stderr: {}",
        stderr(&out)
    );
}

#[test]
fn bad_inputs_are_clear_errors_not_panics() {
    let dir = scratch("bad");
    let text = dir.join("notes.txt");
    std::fs::write(&text, "not an elf").unwrap();
    let cases: [(&[&str], i32, &str); 4] = [
        (&["run", text.to_str().unwrap()], 3, "not an ELF file"),
        (
            &["run", "/nonexistent/prog.elf"],
            3,
            "cannot read /nonexistent/prog.elf",
        ),
        (
            &["run", "--max-cycles", "lots", text.to_str().unwrap()],
            2,
            "invalid value 'lots'",
        ),
        (&["run", "--firmware", "nope"], 2, "invalid value 'nope'"),
    ];
    for (args, code, message) in cases {
        let out = cosim(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn waveform_is_written_whole_or_not_at_all() {
    let dir = scratch("trace");
    let fst = dir.join("run.fst");
    let elf = assemble(&dir, &htif_write("1"));
    let out = cosim(&[
        "run",
        "-q",
        "--trace",
        fst.to_str().unwrap(),
        elf.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert!(
        std::fs::metadata(&fst).unwrap().len() > 1000,
        "an FST with the run's signals"
    );
    assert!(!dir.join("run.fst.partial").exists());

    // A run that the watchdog ends still gets its whole, closed waveform.
    let hang = assemble(&dir, "spin: j spin\n");
    let failed = dir.join("failed.fst");
    let out = cosim(&[
        "run",
        "-q",
        "--watchdog",
        "2000",
        "--trace",
        failed.to_str().unwrap(),
        hang.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        std::fs::metadata(&failed).unwrap().len() > 1000,
        "a failing run keeps its waveform"
    );
    assert!(!dir.join("failed.fst.partial").exists());
}

/// Every figure line of `cosim bench`, QEMU's included (scripts/setup installs QEMU).
/// Nothing about the figures' values: they are the machine's.
#[test]
fn bench_prints_every_figure() {
    let out = cosim(&["bench", "--iterations", "1", "--seconds", "0", "--qemu"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    for line in [
        "program:            firmware bench, 1 rounds (exit code 0)",
        "cycles per run:",
        "repetitions:        1",
        "harness + SoC:",
        "bare model eval:",
        "QEMU:",
        "harness / bare:",
        "QEMU / harness:",
        "QEMU figure:",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(line)),
            "no line {line:?}:\n{text}"
        );
    }
    for figure in ["harness + SoC:", "bare model eval:"] {
        let l = text.lines().find(|l| l.starts_with(figure)).unwrap();
        assert!(
            l.contains("cycles/s") && l.contains("instructions/s"),
            "{l}"
        );
    }
    let qemu = text.lines().find(|l| l.starts_with("QEMU:")).unwrap();
    assert!(qemu.ends_with("instructions/s"), "{qemu}");
}

/// Without QEMU the other figures still come, with the reason on QEMU's line; only
/// `--qemu` makes it an error.
#[test]
fn bench_without_qemu_says_so() {
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cosim"))
            .args(["bench", "--iterations", "1", "--seconds", "0"])
            .args(extra)
            .env("PATH", "/nonexistent")
            .output()
            .expect("run cosim")
    };
    let out = run(&[]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.contains("harness + SoC:"), "{text}");
    assert!(
        text.contains("QEMU:               not measured: qemu-system-riscv64 is not on PATH"),
        "{text}"
    );
    assert!(!text.contains("QEMU / harness:"), "{text}");

    let out = run(&["--qemu"]);
    assert_eq!(out.status.code(), Some(3), "{}", stdout(&out));
    assert!(stderr(&out).contains("not on PATH"), "{}", stderr(&out));
}
