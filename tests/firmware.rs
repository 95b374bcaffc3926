//! Runs the embedded firmware images: `hello` checks itself and exits with 0 only
//! when every check passed; `bench` (behind `cosim bench`) likewise, on the RTL and on
//! QEMU.

use cosim::sim::{run_elf_bytes, RunConfig};

/// Lines the firmware prints when all is well (other lines carry values).
const EXPECTED_LINES: &[&str] = &[
    "hello from the cosim firmware",
    "fmt: -1234567 18446744073709551615 deadbeef 0x0000000000001234 [    42] [-7   ] 1010 10 \
     -170141183460469231731687303715884105728",
    "check fmt: ok",
    "crc32: check value 0xcbf43926, buffer 0xd7e3eaeb",
    "sha256: b63ccfe49215a387bf52435999cbd2cff120c5397ef135d049c6038d32865078",
    "check hashes: ok",
    "sort: 512 values, min 0x2f756d, median 0x78bb6008, max 0xfffb5a66",
    "check sort: ok",
    "check arith: ok",
    "check tree: ok",
    "all 5 checks passed",
];

#[test]
fn hello_firmware_passes_its_checks() {
    let image: &'static [u8] = cosim::firmware::image("hello");
    let out = run_elf_bytes(image, &RunConfig::checked())
        .unwrap_or_else(|e| panic!("hello firmware: {e}"));
    let console = String::from_utf8_lossy(&out.console);
    assert_eq!(
        out.exit_code, 0,
        "hello firmware failed; console:\n{console}"
    );
    let lines: Vec<&str> = console.lines().collect();
    for expected in EXPECTED_LINES {
        assert!(
            lines.contains(expected),
            "missing line {expected:?}; console:\n{console}"
        );
    }
    assert!(
        !console.contains("FAILED") && !console.contains("panic"),
        "console:\n{console}"
    );
    assert_eq!(
        lines.first(),
        Some(&EXPECTED_LINES[0]),
        "console:\n{console}"
    );
    assert_eq!(
        lines.last(),
        Some(&"all 5 checks passed"),
        "console:\n{console}"
    );
}

#[test]
fn hello_firmware_is_deterministic() {
    let image = cosim::firmware::image("hello");
    let cfg = RunConfig::checked();
    let a = run_elf_bytes(image, &cfg).unwrap_or_else(|e| panic!("first run: {e}"));
    let b = run_elf_bytes(image, &cfg).unwrap_or_else(|e| panic!("second run: {e}"));
    assert_eq!(
        (a.exit_code, a.cycles, a.instret),
        (b.exit_code, b.cycles, b.instret)
    );
    assert_eq!(a.console, b.console);
}

/// The `bench` firmware behind `cosim bench`: it passes under lockstep, and its
/// instruction count is a straight line in its rounds (up to the few instructions of
/// the spin loop behind its exit store), which QEMU's figure relies on.
#[test]
fn bench_firmware_passes_and_counts_linearly_in_its_rounds() {
    use cosim::bench::{bench_firmware, instructions_per_iteration, EXIT_TAIL};
    let instret: Vec<u64> = (0..4)
        .map(|rounds| {
            let out = run_elf_bytes(&bench_firmware(rounds), &RunConfig::checked())
                .unwrap_or_else(|e| panic!("bench firmware, {rounds} rounds: {e}"));
            assert_eq!(out.exit_code, 0, "bench firmware, {rounds} rounds");
            out.instret
        })
        .collect();
    let per_round = instructions_per_iteration(3, instret[3], instret[0])
        .unwrap_or_else(|| panic!("not linear: {instret:?}"));
    for (rounds, &count) in instret.iter().enumerate() {
        let line = instret[0] + rounds as u64 * per_round;
        assert!(
            count.abs_diff(line) <= EXIT_TAIL,
            "{rounds} rounds: {count} instructions, the line says {line} ({instret:?})"
        );
    }
}

/// The same image exits through HTIF on QEMU's spike machine (scripts/setup installs
/// QEMU).
#[test]
fn bench_firmware_exits_on_qemu() {
    use cosim::bench::{bench_firmware, qemu::Qemu};
    let qemu = Qemu::find().unwrap_or_else(|e| panic!("{e}"));
    qemu.best_time(&bench_firmware(3), 0, 1, std::time::Duration::from_secs(60))
        .unwrap_or_else(|e| panic!("{e}"));
}
