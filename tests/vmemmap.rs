//! The vmemmap firmware builds what Linux builds, checked by the harness's own walk of
//! the page tables and of every struct page written: for a 4 GiB device with 2 MiB
//! compound pages, `dax` keeps 2 data frames per compound page (16 MiB), `base` 8 (64
//! MiB of 4 KiB mappings), `huge` 64 MiB in 32 2 MiB mappings; 1 GiB compound pages
//! keep 2 frames each; `altmap` puts the vmemmap in pmem.

use cosim::sim::RunConfig;
use cosim::vmemmap::{run, Mode, VmemmapConfig, VmemmapRun};

const GIB: u64 = 1 << 30;
const MIB: u64 = 1 << 20;

fn vmemmap(mode: Mode, compound_shift: u32, paging: u64) -> VmemmapRun {
    let config = VmemmapConfig {
        mode,
        compound_shift,
        pmem_size: 4 * GIB,
        paging,
        struct_page_size: 64,
        iterations: 256,
        seed: 1,
    };
    let cfg = RunConfig {
        translation_check: true,
        ..RunConfig::default()
    };
    let elf = cosim::firmware::image("vmemmap");
    run(elf, config, &cfg).unwrap_or_else(|e| panic!("{config:?}: {e}"))
}

#[test]
fn dax_with_2m_alignment_keeps_two_frames_per_compound_page() {
    let r = vmemmap(Mode::Dax, 21, 8);
    assert_eq!(r.census.data_frames * 4096, 16 * MIB);
    assert_eq!(r.census.data_frames, 2 * ((4 * GIB) >> 21));
    assert_eq!(r.census.mappings_4k, 4 * GIB / 4096 * 64 / 4096);
    assert_eq!(r.census.mappings_2m, 0);
    // The harness's count of table pages is the firmware's.
    assert_eq!(r.census.table_pages, r.result.vmemmap_table_pages);
    // Only the struct pages in the two kept frames: 128 per compound page.
    assert_eq!(r.struct_pages_checked, 128 * ((4 * GIB) >> 21));
    assert!(r.outcome.translations_checked > 0);
    let names: Vec<u64> = r.outcome.phases.iter().map(|p| p.marker).collect();
    assert_eq!(names, [1, 2, 3, 4, 5, 6]);
}

#[test]
fn base_pages_take_eight_frames_per_2m_compound_page() {
    let r = vmemmap(Mode::Base, 21, 8);
    assert_eq!(r.census.data_frames * 4096, 64 * MIB);
    assert_eq!(r.census.mappings_4k, 16384);
    assert_eq!(r.census.mappings_2m, 0);
}

#[test]
fn huge_mappings_are_32_pmd_leaves() {
    let r = vmemmap(Mode::Huge, 21, 8);
    assert_eq!(r.census.data_frames * 4096, 64 * MIB);
    assert_eq!((r.census.mappings_4k, r.census.mappings_2m), (0, 32));
}

#[test]
fn dax_with_1g_alignment_keeps_two_frames_per_compound_page_across_sections() {
    let r = vmemmap(Mode::Dax, 30, 9);
    assert_eq!(r.census.data_frames, 2 * 4);
    assert_eq!(r.struct_pages_checked, 128 * 4);
}

#[test]
fn altmap_puts_the_vmemmap_in_pmem() {
    let r = vmemmap(Mode::Altmap, 21, 8);
    assert_eq!(r.census.data_frames * 4096, 64 * MIB);
    assert_eq!(r.census.frames_in_pmem, r.census.data_frames);
}

#[test]
fn the_same_seed_and_configuration_give_a_bit_identical_report() {
    let configs: Vec<VmemmapConfig> = [Mode::Huge, Mode::Dax]
        .into_iter()
        .map(|mode| VmemmapConfig {
            mode,
            compound_shift: 21,
            pmem_size: 256 << 20,
            paging: 8,
            struct_page_size: 64,
            iterations: 128,
            seed: 7,
        })
        .collect();
    let cfg = RunConfig {
        memory_map: cosim::memory::MemoryMap::new(256 << 20, 256 << 20).unwrap(),
        check_counters: true,
        ..RunConfig::default()
    };
    let elf = cosim::firmware::image("vmemmap");
    let dir = tempfile::tempdir().unwrap();
    let mut reports = Vec::new();
    for n in 0..2 {
        let entries = cosim::report::run_matrix(elf, configs.clone(), &cfg, 2, &|_| {});
        assert!(entries.iter().all(|e| e.run.is_ok()));
        let out = dir.path().join(format!("r{n}"));
        cosim::report::write(&out, &entries, &cfg).unwrap();
        reports.push(std::fs::read(out.join("report.json")).unwrap());
        assert!(out.join("report.md").exists() && out.join("report.html").exists());
    }
    assert_eq!(
        reports[0], reports[1],
        "report.json differs between identical runs"
    );
    let text = String::from_utf8(reports.pop().unwrap()).unwrap();
    // Both runs were checked against the TLB model, and agreed.
    assert_eq!(text.matches("\"counter_check\": true").count(), 2, "{text}");
    assert!(
        text.contains("75.0 % less memory"),
        "the summary states the saving"
    );
}

#[test]
fn a_56_byte_struct_page_turns_the_optimization_off() {
    // RISC-V without CONFIG_MEMCG: Linux does not optimize; 2 MiB mappings of the
    // contiguous memmap instead (1 GiB: 14 MiB in 7 mappings).
    let config = VmemmapConfig {
        mode: Mode::Dax,
        compound_shift: 21,
        pmem_size: GIB,
        paging: 8,
        struct_page_size: 56,
        iterations: 64,
        seed: 1,
    };
    let cfg = RunConfig {
        memory_map: cosim::memory::MemoryMap::new(256 << 20, GIB).unwrap(),
        ..RunConfig::default()
    };
    let r = run(cosim::firmware::image("vmemmap"), config, &cfg).unwrap();
    assert_eq!(r.census.data_frames * 4096, 14 * MIB);
    assert_eq!((r.census.mappings_4k, r.census.mappings_2m), (0, 7));
    assert_eq!(Mode::from_code(r.result.populated_as), Some(Mode::Huge));
}
