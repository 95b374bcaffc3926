//! The event table: one row per `hpm_event_e` value of the RTL (tests/lint.rs checks
//! that both agree), with the Linux perf generic event it corresponds to, if any.

/// One countable event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// mhpmevent value.
    pub number: u8,
    /// Name in reports and JSON (the RTL's HPM_EVENT_* name in lower case).
    pub name: &'static str,
    /// The matching Linux perf generic event, where one exists.
    pub perf: Option<&'static str>,
    pub description: &'static str,
}

const fn ev(
    number: u8,
    name: &'static str,
    perf: Option<&'static str>,
    description: &'static str,
) -> Event {
    Event {
        number,
        name,
        perf,
        description,
    }
}

/// Index of the one event that can count several per cycle.
pub const TLB_FLUSHED: usize = 29;

pub const EVENTS: [Event; 32] = [
    ev(0, "none", None, "counts nothing"),
    ev(1, "cycles", Some("cycles"), "clock cycles"),
    ev(2, "instret", Some("instructions"), "instructions retired"),
    ev(3, "loads", None, "loads and LRs retired"),
    ev(4, "stores", None, "stores and SCs retired"),
    ev(5, "traps", None, "exceptions and interrupts taken"),
    ev(6, "branches_taken", None, "conditional branches taken"),
    ev(
        7,
        "itlb_access",
        Some("iTLB-loads"),
        "ITLB lookups (one per fetch-line translation)",
    ),
    ev(
        8,
        "itlb_miss",
        Some("iTLB-load-misses"),
        "ITLB lookups that missed (or found A clear)",
    ),
    ev(
        9,
        "dtlb_load_access",
        Some("dTLB-loads"),
        "DTLB lookups of loads, LR and cache-block management",
    ),
    ev(
        10,
        "dtlb_load_miss",
        Some("dTLB-load-misses"),
        "of those, misses",
    ),
    ev(
        11,
        "dtlb_store_access",
        Some("dTLB-stores"),
        "DTLB lookups of stores, SC, AMOs and cbo.zero",
    ),
    ev(
        12,
        "dtlb_store_miss",
        Some("dTLB-store-misses"),
        "of those, misses (or D clear)",
    ),
    ev(
        13,
        "l2tlb_hit",
        None,
        "L1 misses the shared L2 TLB answered",
    ),
    ev(
        14,
        "l2tlb_miss",
        None,
        "L1 misses the L2 TLB did not answer",
    ),
    ev(15, "walks", None, "page-table walks started"),
    ev(
        16,
        "walk_cycles",
        None,
        "cycles the walker was busy reading or updating PTEs",
    ),
    ev(17, "walk_reads", None, "PTE reads on the bus"),
    ev(
        18,
        "pwc_hit",
        None,
        "walks that started below the root from the page-walk cache",
    ),
    ev(19, "pwc_miss", None, "walks that started at the root"),
    ev(20, "walk_leaf_4k", None, "walks that ended at a 4 KiB leaf"),
    ev(21, "walk_leaf_2m", None, "walks that ended at a 2 MiB leaf"),
    ev(22, "walk_leaf_1g", None, "walks that ended at a 1 GiB leaf"),
    ev(
        23,
        "walk_leaf_512g",
        None,
        "walks that ended at a 512 GiB leaf",
    ),
    ev(
        24,
        "walk_fault",
        None,
        "walks that ended in a page or access fault",
    ),
    ev(
        25,
        "page_fault_insn",
        Some("page-faults"),
        "instruction page faults taken",
    ),
    ev(
        26,
        "page_fault_load",
        Some("page-faults"),
        "load page faults taken",
    ),
    ev(
        27,
        "page_fault_store",
        Some("page-faults"),
        "store/AMO page faults taken",
    ),
    ev(28, "sfence_vma", None, "sfence.vma executed"),
    ev(
        29,
        "tlb_entries_flushed",
        None,
        "ITLB, DTLB and L2 TLB entries sfence.vma invalidated",
    ),
    ev(
        30,
        "ad_updates",
        None,
        "A/D updates written by the walker (Svadu)",
    ),
    ev(
        31,
        "xlate_stall_cycles",
        None,
        "cycles a fetch or data access waited for a walk",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_the_row_indices() {
        for (i, e) in EVENTS.iter().enumerate() {
            assert_eq!(usize::from(e.number), i, "{}", e.name);
        }
        assert_eq!(EVENTS[TLB_FLUSHED].name, "tlb_entries_flushed");
    }
}
