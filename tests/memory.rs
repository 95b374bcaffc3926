//! The memory timing model: the core measures the latencies a profile promises, and
//! a run under a profile counts what the memory model did.

use cosim::axi::Persistence;
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

fn pmem_counter(image: &std::path::Path) -> Result<i64, cosim::sim::SimError> {
    let elf = cosim::programs::path("pmem_counter");
    let cfg = RunConfig {
        pmem_image: Some(image.to_path_buf()),
        ..RunConfig::checked()
    };
    cosim::sim::run_elf_file(&elf, &cfg).map(|o| o.exit_code)
}

#[test]
fn a_pmem_image_carries_pmem_from_one_run_to_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("pmem.img");
    assert_eq!(
        pmem_counter(&image).unwrap(),
        1,
        "a missing image is created empty"
    );
    assert_eq!(pmem_counter(&image).unwrap(), 2);
    assert_eq!(pmem_counter(&image).unwrap(), 3);
    // Sparse on disk: 4 GiB of pmem, one page written.
    let meta = std::fs::metadata(&image).unwrap();
    assert_eq!(meta.len(), 4096 + (4 << 30));
    use std::os::unix::fs::MetadataExt;
    assert!(
        meta.blocks() * 512 < 1 << 20,
        "{} bytes allocated",
        meta.blocks() * 512
    );

    // A corrupt header is refused, and the file is left as it was.
    use std::os::unix::fs::FileExt;
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&image)
        .unwrap();
    let mut generation = [0u8; 1];
    f.read_exact_at(&mut generation, 24).unwrap();
    f.write_all_at(&[generation[0] ^ 1], 24).unwrap();
    let err = pmem_counter(&image).unwrap_err().to_string();
    assert!(err.contains("corrupt"), "{err}");
    // Not an image at all.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    let err = pmem_counter(&text).unwrap_err().to_string();
    assert!(err.contains("not a cosim pmem image"), "{err}");
}

/// Power fails at `points` random cycles of successive runs of the pmem log program
/// (each run checks every committed record still in its ring, then appends more),
/// under DDR4 timing; then a run to completion. A committed record lost or torn makes
/// a run exit with 3.
pub fn crash_consistency(points: u64, seed: u64, persistence: Persistence) -> (u64, usize) {
    let dir = tempfile::tempdir().unwrap();
    let elf = cosim::programs::path("pmem_log");
    let cfg = RunConfig {
        profile: Some(Profile::ddr4()),
        persistence,
        ..RunConfig::checked()
    };
    let image = dir.path().join("log.img");
    let report =
        cosim::sim::crash_test(&elf, &image, &cfg, points, seed, 80_000, &mut |_| {}).unwrap();
    assert!(
        report.consistent(),
        "{report:?}: a committed record was lost or torn"
    );
    (report.power_failures, report.lost_writes)
}

#[test]
fn no_committed_record_is_lost_or_torn_at_100_random_power_failures() {
    let (failures, lost) = crash_consistency(100, 1, Persistence::Adr);
    // Most runs are cut short, and some cuts catch writes not yet durable.
    assert!(failures >= 50, "{failures} of 100 runs were cut");
    assert!(lost > 0, "no power failure caught a write in flight");
}

#[test]
fn under_eadr_too_no_committed_record_is_lost() {
    // eADR keeps more (every write whose data reached the memory): fewer losses.
    let (failures, _) = crash_consistency(20, 1000, Persistence::Eadr);
    assert!(failures >= 10, "{failures} of 20 runs were cut");
}

#[test]
fn counters_are_attributed_to_the_phases_the_program_marks() {
    let elf = cosim::programs::path("phases");
    let out = cosim::sim::run_elf_file(&elf, &RunConfig::checked()).unwrap();
    let markers: Vec<u64> = out.phases.iter().map(|p| p.marker).collect();
    assert_eq!(markers, [1, 2, 3]);
    let loads = |i: usize| out.phases[i].counters.by_name("loads").unwrap();
    let stores = |i: usize| out.phases[i].counters.by_name("stores").unwrap();
    // Each phase holds its own work (a marker store ends the phase before it).
    assert_eq!((loads(0), loads(1), loads(2)), (0, 50, 0));
    assert_eq!(stores(1), 1, "phase 2 ends with the store of marker 3");
    assert!(stores(2) >= 20);
    assert!(out.phases[0].instret >= 200);
    // Together the phases are the run from the first marker on.
    let total: u64 = out.phases.iter().map(|p| p.cycles).sum();
    assert!(
        total <= out.cycles && total + 20 >= out.cycles,
        "{total} of {}",
        out.cycles
    );
}
