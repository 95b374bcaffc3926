//! The memory timing model: the core measures the latencies a profile promises, and
//! a run under a profile counts what the memory model did.

use cosim::calibrate::calibrate;
use cosim::memory::timing::Profile;
use cosim::sim::{RunConfig, Simulation};

#[test]
fn the_core_measures_each_profiles_read_latencies_within_ten_percent() {
    for profile in [Profile::optane(), Profile::ddr4()] {
        let cal = calibrate(&profile).expect("calibration runs");
        assert_eq!(cal.rows.len(), 6, "{cal}");
        for row in cal.rows.iter().filter(|r| r.pattern != "write") {
            assert!(
                row.error_percent().abs() < 10.0,
                "{} {} {}: {:.1} ns measured, {} ns in the profile\n{cal}",
                profile.name,
                row.region,
                row.pattern,
                row.measured_ns,
                row.profile_ns
            );
        }
        // Writes wait for their acknowledgement: never faster than the profile.
        for row in cal.rows.iter().filter(|r| r.pattern == "write") {
            assert!(row.measured_ns >= row.profile_ns, "{cal}");
        }
    }
    // Optane's random pmem reads are the slowest thing measured, sequential ones
    // well below them.
    let cal = calibrate(&Profile::optane()).unwrap();
    let pmem = |p: &str| {
        cal.rows
            .iter()
            .find(|r| r.region == "pmem" && r.pattern == p)
            .unwrap()
            .measured_ns
    };
    assert!(pmem("rand_read") > 1.6 * pmem("seq_read"));
}

#[test]
fn a_run_under_a_profile_counts_memory_traffic() {
    let cfg = RunConfig {
        profile: Some(Profile::optane()),
        ..RunConfig::default()
    };
    let sim = Simulation::new(cosim::firmware::image("calibrate"), &cfg).unwrap();
    let outcome = sim.run(&mut |_| {}).unwrap();
    let m = outcome.memory.expect("memory counters under a profile");
    let named: std::collections::HashMap<_, _> = m.named().into_iter().collect();
    // 1024 stores and two 1024-node chains built and walked in each region.
    assert!(named["pmem_writes"] >= 3 * 1024, "{named:?}");
    assert!(named["pmem_reads"] >= 2 * 1024, "{named:?}");
    assert_eq!(named["pmem_persisted_writes"], named["pmem_writes"]);
    assert!(
        named["pmem_media_rmw"] > 0,
        "8-byte stores are partial 256-byte lines"
    );
    assert!(named["dram_reads"] > 2 * 1024);
    // Without a profile there is no memory model to count.
    let plain = Simulation::new(cosim::firmware::image("hello"), &RunConfig::default())
        .unwrap()
        .run(&mut |_| {})
        .unwrap();
    assert!(plain.memory.is_none());
}
