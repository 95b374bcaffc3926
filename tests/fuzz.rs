//! Random programs (RV64IMAC, CSRs, traps, privilege changes, timer interrupts)
//! checked in lockstep with the reference: a fixed set of seeds, so a failure names a
//! seed that reproduces it with `cosim fuzz --start SEED --seeds 1`.

use cosim::fuzz::{run_seed, DEFAULT_LENGTH};
use cosim::sim::RunConfig;

const SEEDS: std::ops::Range<u64> = 1..201;

#[test]
fn two_hundred_random_programs_run_clean_in_lockstep() {
    let cfg = RunConfig::checked();
    let mut checked = 0;
    let mut traps_taken = 0;
    let mut interrupts = 0;
    for seed in SEEDS {
        let out =
            run_seed(seed, DEFAULT_LENGTH, &cfg).unwrap_or_else(|e| panic!("seed {seed}:\n{e}"));
        assert_eq!(out.exit_code, 0, "seed {seed}");
        let lockstep = out.lockstep.expect("lockstep on");
        assert!(lockstep.checked >= out.instret);
        checked += lockstep.checked;
        traps_taken += lockstep.checked - out.instret;
        interrupts += lockstep
            .rules
            .iter()
            .find(|(rule, _)| *rule == "interrupt")
            .map_or(0, |(_, n)| *n);
    }
    // The programs are long enough to matter, take traps, and are interrupted by the timer.
    assert!(
        checked > 200 * DEFAULT_LENGTH as u64,
        "{checked} instructions checked"
    );
    assert!(traps_taken > 200 * 10, "{traps_taken} traps taken");
    assert!(interrupts > 200 * 3, "{interrupts} timer interrupts taken");
}

#[test]
fn a_seed_always_generates_the_same_program() {
    assert_eq!(
        cosim::fuzz::program_elf(42, 500),
        cosim::fuzz::program_elf(42, 500)
    );
    assert_ne!(
        cosim::fuzz::program_elf(42, 500),
        cosim::fuzz::program_elf(43, 500)
    );
}
