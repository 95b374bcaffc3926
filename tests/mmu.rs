//! The MMU checks on the directed vm_* programs and a TLB workload: lockstep, the
//! translation check (every walk re-walked in software) and the counter check (the
//! software TLB model predicts every miss and walk) all agree with the RTL.

use cosim::counters::EVENTS;
use cosim::sim::{outcome_json, run_elf_file, RunConfig, RunOutcome};

const VM_PROGRAMS: &[&str] = &[
    "vm_sv39",
    "vm_sv48",
    "vm_perms",
    "vm_sfence",
    "vm_cross",
    "vm_pmp",
    "vm_svadu",
    "vm_race",
];

fn run_checked(name: &str) -> (RunOutcome, RunConfig) {
    let path = cosim::programs::path(name);
    let cfg = RunConfig {
        check_counters: true,
        ..RunConfig::checked()
    };
    let outcome = run_elf_file(&path, &cfg).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        outcome.exit_code, 0,
        "{name}: case {} failed",
        outcome.exit_code
    );
    (outcome, cfg)
}

fn counter(outcome: &RunOutcome, name: &str) -> u64 {
    outcome.counters.by_name(name).expect("a known event")
}

#[test]
fn the_tlb_model_predicts_every_lookup_of_the_vm_programs() {
    for name in VM_PROGRAMS {
        let (outcome, _) = run_checked(name);
        let report = outcome.tlb_check.as_ref().expect("counter check on");
        assert!(report.agrees(), "{name}:\n{report}");
        assert!(counter(&outcome, "walks") > 0, "{name} never walked");
        assert_eq!(
            outcome.translations_checked,
            counter(&outcome, "walks"),
            "{name}: every walk is re-walked in software"
        );
        assert_eq!(
            outcome.translations_unconfirmed, 0,
            "{name}: lockstep knows PMP"
        );
    }
}

#[test]
fn a_tlb_workload_misses_thousands_of_times_and_the_model_agrees_exactly() {
    let (outcome, cfg) = run_checked("vm_stream");
    let report = outcome.tlb_check.as_ref().expect("counter check on");
    assert!(report.agrees(), "{report}");
    assert!(counter(&outcome, "dtlb_load_miss") >= 3000);
    assert!(counter(&outcome, "dtlb_store_miss") >= 1000);
    assert!(counter(&outcome, "walks") >= 4000);
    assert!(
        counter(&outcome, "pwc_hit") >= 4000,
        "the walk cache serves the sweep"
    );

    // Every counter, by name, in the run's JSON; the checks that ran.
    let json = outcome_json(&outcome, &cfg);
    for event in &EVENTS[1..] {
        assert_eq!(
            json["counters"][event.name].as_u64(),
            Some(counter(&outcome, event.name)),
            "{}",
            event.name
        );
    }
    assert_eq!(
        json["checks"]["translations_checked"],
        outcome.translations_checked
    );
    assert_eq!(json["checks"]["counter_check"]["agrees"], true);
    assert_eq!(json["checks"]["lockstep"], true);
}

#[test]
fn a_walk_that_races_an_sfence_caches_nothing() {
    // vm_race checks that the new page's code runs; here, that a walk did race.
    let (outcome, _) = run_checked("vm_race");
    assert!(outcome.walks_discarded >= 1, "no walk raced the fence");
}

#[test]
fn page_faults_are_counted_when_taken() {
    let (outcome, _) = run_checked("vm_perms");
    let faults: u64 = ["page_fault_insn", "page_fault_load", "page_fault_store"]
        .iter()
        .map(|n| counter(&outcome, n))
        .sum();
    // vm_perms expects 60-odd page faults; each is taken once.
    assert!(faults >= 50, "{faults} page faults");
    assert!(counter(&outcome, "traps") >= faults);
}
