//! Runs every assembly program of `asm/` on the simulated core.
//!
//! The programs check themselves and exit through HTIF: exit code 0 is a
//! pass, any other code is the number of the failing case in the program.

use std::path::PathBuf;

use cosim::sim::{run_elf_file, RunConfig, RunOutcome};

fn asm_elf(name: &str) -> PathBuf {
    cosim::programs::path(name)
}

fn run(name: &str) -> RunOutcome {
    let path = asm_elf(name);
    match run_elf_file(&path, &RunConfig::checked()) {
        Ok(outcome) => outcome,
        Err(e) => panic!("{name} ({}): {e}", path.display()),
    }
}

fn assert_passes(name: &str) {
    let out = run(name);
    assert_eq!(
        out.exit_code,
        0,
        "{name}: case {} failed (exit code = number of the failing case; see asm/{name}.S); \
         console: {:?}, {} cycles, {} instructions",
        out.exit_code,
        String::from_utf8_lossy(&out.console),
        out.cycles,
        out.instret
    );
}

/// The self-checking programs, which must exit with 0.
macro_rules! self_checking {
    ($($name:ident),* $(,)?) => {
        const SELF_CHECKING: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                assert_passes(stringify!($name));
            }
        )*
    };
}

self_checking!(
    rv64i_alu,
    rv64i_branch,
    rv64i_mem,
    rv64m,
    rv64a,
    rv64c,
    rvc_mixed,
    csr,
    traps,
    privilege,
    counters,
    cbo,
    interrupts,
    pmp,
    vm_sv39,
    vm_sv48,
    vm_perms,
    vm_sfence,
    vm_cross,
    vm_pmp,
    vm_svadu,
    vm_race,
    vm_pte_self,
    venv_ui,
    venv_um,
    venv_ua
);

/// Programs with their own test below (or in watchdog.rs, mmu.rs, memory.rs).
const SPECIAL: &[&str] = &[
    "hello",
    "exit42",
    "hang",
    "vm_stream",
    "pmem_counter",
    "pmem_log",
    "phases",
];

#[test]
fn hello() {
    let out = run("hello");
    assert_eq!(
        out.exit_code,
        0,
        "console: {:?}",
        String::from_utf8_lossy(&out.console)
    );
    assert_eq!(String::from_utf8_lossy(&out.console), "hello\n");
}

#[test]
fn exit42() {
    let out = run("exit42");
    assert_eq!(out.exit_code, 42);
    assert!(
        out.console.is_empty(),
        "console: {:?}",
        String::from_utf8_lossy(&out.console)
    );
}

#[test]
fn counters_are_reported() {
    let out = run("rv64i_alu");
    assert!(out.instret > 1000, "instret = {}", out.instret);
    assert!(
        out.cycles >= out.instret,
        "cycles = {}, instret = {}",
        out.cycles,
        out.instret
    );
}

/// Every assembled program has a test here: a new `.S` file cannot be forgotten.
#[test]
fn every_program_is_tested() {
    let mut missing = Vec::new();
    for (stem, _) in cosim::programs::IMAGES {
        if !SELF_CHECKING.contains(stem) && !SPECIAL.contains(stem) {
            missing.push(stem);
        }
    }
    assert!(
        missing.is_empty(),
        "programs without a test in isa.rs: {missing:?}"
    );
}

/// The core must not depend on the memory's timing: every program passes with the
/// fastest memory, a slow one, and responses reordered across AXI IDs (instruction
/// fills and data accesses are in flight together).
#[test]
fn programs_pass_under_every_memory_timing() {
    use cosim::axi::SlaveConfig;
    let timings = [
        SlaveConfig {
            latency: 1,
            ..SlaveConfig::default()
        },
        SlaveConfig {
            latency: 9,
            ..SlaveConfig::default()
        },
        SlaveConfig {
            latency: 3,
            reorder: true,
            seed: 7,
            ..SlaveConfig::default()
        },
        SlaveConfig {
            latency: 1,
            reorder: true,
            seed: 99,
            ..SlaveConfig::default()
        },
    ];
    for slave in timings {
        let cfg = RunConfig {
            slave,
            ..RunConfig::checked()
        };
        for name in SELF_CHECKING {
            let out = run_elf_file(&asm_elf(name), &cfg)
                .unwrap_or_else(|e| panic!("{name} {slave:?}: {e}"));
            assert_eq!(
                out.exit_code, 0,
                "{name} fails case {} with {slave:?}",
                out.exit_code
            );
        }
        let fw = cosim::sim::run_elf_bytes(cosim::firmware::image("hello"), &cfg)
            .expect("hello firmware");
        assert_eq!(fw.exit_code, 0, "hello firmware with {slave:?}");
    }
}

/// Lockstep is on in every test here; these programs between them exercise every
/// sync rule the checker has for a known reference difference, and the rules apply
/// no more often than the situations they are for.
#[test]
fn lockstep_checks_every_program_and_each_sync_rule_is_exercised() {
    use std::collections::BTreeMap;
    let mut applied: BTreeMap<&str, u64> = BTreeMap::new();
    for name in SELF_CHECKING.iter().chain(["hello"].iter()) {
        let out = run(name);
        let summary = out
            .lockstep
            .unwrap_or_else(|| panic!("{name}: lockstep was off"));
        assert!(
            summary.checked >= out.instret,
            "{name}: every retired instruction is checked"
        );
        for (rule, n) in summary.rules {
            *applied.entry(rule).or_default() += n;
        }
    }
    for (rule, n) in &applied {
        assert!(*n > 0, "sync rule {rule} is never exercised: {applied:?}");
    }
    // csr.S writes minstret once, reads misa once, and has one read-only CSR write
    // that is not a counter read: each rule fires for exactly those instructions.
    let csr = run("csr").lockstep.expect("lockstep on");
    let count = |rule: &str| csr.rules.iter().find(|(r, _)| *r == rule).map(|(_, n)| *n);
    assert_eq!(count("minstret-write"), Some(1));
    assert_eq!(count("misa-extensions"), Some(1));
}
