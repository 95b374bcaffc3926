//! Runs the embedded `hello` firmware: it checks itself and exits with 0
//! only when every check passed.

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
