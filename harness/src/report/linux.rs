//! `cosim report --linux`: Linux 6.12's own vmemmap beside the firmware model's, for
//! the configurations RISC-V Linux can set up — what it costs in memory, and what
//! populating and initializing it costs in cycles, DTLB misses and walks — so the
//! report says how faithful the model is.

use crate::linux::devdax::MapLocation;
use crate::linux::{self, vmemmap_check, LinuxConfig, Paging};
use crate::output::document::{Block, Document};
use crate::output::table::{Cell, Table};
use crate::sim::RunConfig;
use crate::vmemmap::{self, VmemmapConfig, VmemmapRun};
use serde_json::{json, Value};

/// The figures compared, from the kernel or from the firmware.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Costs {
    pub vmemmap_kib: u64,
    pub table_pages: u64,
    pub populate: Figures,
    pub init: Figures,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Figures {
    pub cycles: u64,
    pub instret: u64,
    pub dtlb_misses: u64,
    pub walks: u64,
}

/// One configuration: the kernel's costs and the firmware's.
pub struct Comparison {
    pub align: u64,
    pub map: MapLocation,
    pub kernel: Result<Costs, String>,
    pub firmware: Result<Costs, String>,
}

/// The configurations of the comparison: what Linux 6.12 on RISC-V can build.
pub const CONFIGURATIONS: [(u64, MapLocation); 3] = [
    (2 << 20, MapLocation::Mem),
    (4096, MapLocation::Mem),
    (2 << 20, MapLocation::Dev),
];

fn label(align: u64, map: MapLocation) -> String {
    format!(
        "{} {}",
        super::figures::align_name(align.trailing_zeros()),
        match map {
            MapLocation::Mem => "mem",
            MapLocation::Dev => "dev",
        }
    )
}

/// The kernel's costs of one boot: the device's population is everything
/// `memremap_pages` does but `memmap_init_zone_device` (which initializes the struct
/// pages).
fn kernel_costs(cfg: &LinuxConfig, run: &RunConfig) -> Result<Costs, String> {
    let boot = linux::boot(cfg, run, &mut |_| {}).map_err(|e| e.to_string())?;
    boot.verdict().map_err(|e| e.to_string())?;
    let v = boot.vmemmap.map_err(|e| e.to_string())?;
    let figures = |name: &str| {
        boot.profile
            .function(name)
            .map_or(Figures::default(), |t| Figures {
                cycles: t.get("cycles"),
                instret: t.get("instret"),
                dtlb_misses: t.get("dtlb_load_miss") + t.get("dtlb_store_miss"),
                walks: t.get("walks"),
            })
    };
    let (all, init) = (
        figures("memremap_pages"),
        figures("memmap_init_zone_device"),
    );
    Ok(Costs {
        vmemmap_kib: v.census.data_frames * 4,
        table_pages: v.census.table_pages,
        populate: Figures {
            cycles: all.cycles.saturating_sub(init.cycles),
            instret: all.instret.saturating_sub(init.instret),
            dtlb_misses: all.dtlb_misses.saturating_sub(init.dtlb_misses),
            walks: all.walks.saturating_sub(init.walks),
        },
        init,
    })
}

/// The firmware's costs for the same device: its build and init phases.
fn firmware_costs(r: &VmemmapRun) -> Costs {
    let phase = |marker: u64| {
        r.outcome
            .phases
            .iter()
            .find(|p| p.marker == marker)
            .map_or(Figures::default(), |p| {
                let c = |n: &str| p.counters.by_name(n).unwrap_or(0);
                Figures {
                    cycles: p.cycles,
                    instret: p.instret,
                    dtlb_misses: c("dtlb_load_miss") + c("dtlb_store_miss"),
                    walks: c("walks"),
                }
            })
    };
    Costs {
        vmemmap_kib: r.census.data_frames * 4,
        table_pages: r.census.table_pages,
        populate: phase(1),
        init: phase(2),
    }
}

/// Boots Linux and runs the firmware for each configuration on a `pmem_size` device
/// (Sv48, as Linux runs on this core), one after the other.
pub fn compare(elf: &[u8], pmem_size: u64, kernel_dir: &std::path::Path) -> Vec<Comparison> {
    let run = RunConfig {
        memory_map: crate::memory::MemoryMap::new(
            crate::memory::region::DRAM_DEFAULT_SIZE,
            pmem_size,
        )
        .expect("checked by the option parser"),
        check_counters: true,
        watchdog_cycles: linux::WATCHDOG_CYCLES,
        ..RunConfig::default()
    };
    CONFIGURATIONS
        .iter()
        .map(|&(align, map)| {
            let cfg = LinuxConfig {
                kernel_dir: kernel_dir.to_path_buf(),
                align,
                map,
                paging: Paging::Sv48,
                touch: 2 << 20,
                expect_findings: if align == 4096 {
                    vec!["BUG: Bad page map in process init".into()]
                } else {
                    vec![]
                },
                bootargs: String::new(),
            };
            let kernel = if crate::signals::received().is_some() {
                Err("not run: interrupted".to_string())
            } else {
                kernel_costs(&cfg, &run)
            };
            let mode = linux::namespace(&cfg, &run)
                .map(|d| vmemmap_check::mode_of(&d))
                .map_err(|e| e.to_string());
            let firmware = mode.and_then(|mode| {
                let config = VmemmapConfig {
                    mode,
                    compound_shift: align.trailing_zeros(),
                    pmem_size,
                    paging: 9,
                    struct_page_size: 64,
                    iterations: 256,
                    seed: 1,
                };
                vmemmap::run(elf, config, &run)
                    .map(|r| firmware_costs(&r))
                    .map_err(|e| e.to_string())
            });
            Comparison {
                align,
                map,
                kernel,
                firmware,
            }
        })
        .collect()
}

/// The comparison as a section of the report: a table of the kernel's and the
/// firmware's figures for each configuration.
pub fn section(d: &mut Document, rows: &[Comparison], pmem_size: u64) {
    d.heading(
        2,
        format!(
            "Linux 6.12 against the firmware model ({} MiB device, Sv48)",
            pmem_size >> 20
        ),
        None,
    );
    d.paragraph(
        "Kernel figures are Linux's own run on the RTL: population = memremap_pages without \
         memmap_init_zone_device; firmware figures are its build and init phases.",
    );
    let mut t = Table::new(&[
        ("configuration", ""),
        ("source", ""),
        ("vmemmap", "KiB"),
        ("table pages", "4 KiB each"),
        ("populate cycles", ""),
        ("populate instructions", ""),
        ("populate DTLB misses", ""),
        ("populate walks", ""),
        ("init cycles", ""),
        ("init instructions", ""),
        ("init DTLB misses", ""),
        ("init walks", ""),
    ]);
    for r in rows {
        for (source, costs) in [("kernel", &r.kernel), ("firmware", &r.firmware)] {
            let mut cells = vec![Cell::text(label(r.align, r.map)), Cell::text(source)];
            match costs {
                Ok(c) => cells.extend(
                    [
                        c.vmemmap_kib,
                        c.table_pages,
                        c.populate.cycles,
                        c.populate.instret,
                        c.populate.dtlb_misses,
                        c.populate.walks,
                        c.init.cycles,
                        c.init.instret,
                        c.init.dtlb_misses,
                        c.init.walks,
                    ]
                    .map(Cell::Int),
                ),
                Err(e) => cells.push(Cell::Failed(e.lines().next().unwrap_or("").to_string())),
            }
            t.push(cells);
        }
    }
    d.push(Block::Table(t));
}

/// The comparison as JSON (report.json's `linux`).
pub fn to_json(rows: &[Comparison]) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "configuration": label(r.align, r.map),
                    "kernel": r.kernel.as_ref().map_or_else(|e| json!({"error": e}), |c| json!(c)),
                    "firmware": r.firmware.as_ref().map_or_else(|e| json!({"error": e}), |c| json!(c)),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_comparison_is_a_table_in_both_renderings() {
        let costs = Costs {
            vmemmap_kib: 1024,
            table_pages: 4,
            populate: Figures {
                cycles: 1_493_997,
                ..Figures::default()
            },
            init: Figures::default(),
        };
        let rows = [Comparison {
            align: 2 << 20,
            map: MapLocation::Mem,
            kernel: Err("boot failed\nsecond line".into()),
            firmware: Ok(costs),
        }];
        let mut d = Document::new("r");
        section(&mut d, &rows, 256 << 20);
        let h = d.html();
        assert!(
            h.contains("<h2>Linux 6.12 against the firmware model (256 MiB device, Sv48)</h2>"),
            "{h}"
        );
        assert!(h.contains("<tr><td>2M mem</td><td>kernel</td><td class=\"failed\" colspan=\"10\">failed: boot failed</td></tr>"), "{h}");
        assert!(h.contains("<td>firmware</td><td class=\"num\">1\u{202f}024</td><td class=\"num\">4</td><td class=\"num\">1\u{202f}493\u{202f}997</td>"), "{h}");
        let md = d.markdown();
        assert!(
            md.contains("| 2M mem | firmware | 1024 | 4 | 1493997 |"),
            "{md}"
        );
    }
}
