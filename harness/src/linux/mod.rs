//! Linux on the RTL (`cosim linux`): Debian's OpenSBI (fw_jump), Linux 6.12, our init
//! in an initramfs and a device tree generated from the SoC, placed in DRAM; a pmem
//! region formatted as device-dax; the boot run to power-off with the console
//! watched (init's result line; panics, oopses and BUG lines). Built by
//! scripts/linux/build; facts in ../shared/LINUX_BOOT.md.

pub mod console;
pub mod devdax;
pub mod dt;
pub mod vmemmap_check;

use crate::memory::PmemImage;
use crate::sim::{Preload, RunConfig, RunOutcome, SimError, Simulation};
use console::{ConsoleWatch, InitResult};
use devdax::{DevDax, MapLocation, INFO_BLOCK_OFFSET};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Functions whose first entry is a milestone of the boot, in boot order.
pub const MILESTONES: &[&str] = &[
    "start_kernel",
    "of_pmem_region_probe",
    "dev_dax_probe",
    "memremap_pages",
    "vmemmap_populate_address",
    "memmap_init_zone_device",
    "dev_dax_huge_fault",
    "dev_dax_fault",
];

/// Functions whose counters the JSON always lists (those that ran): the vmemmap
/// population, the struct page initialization, the device-dax fault path.
pub const FUNCTIONS_OF_INTEREST: &[&str] = &[
    "memremap_pages",
    "vmemmap_populate",
    "vmemmap_populate_compound_pages",
    "vmemmap_populate_address",
    "vmemmap_pte_populate",
    "vmemmap_populate_basepages",
    "vmemmap_populate_hugepages",
    "memmap_init_zone_device",
    "memmap_init_compound",
    "dev_dax_probe",
    "dev_dax_huge_fault",
    "dev_dax_fault",
    "vmf_insert_pfn_pmd",
    "of_pmem_region_probe",
];

/// The watchdog window of a boot: the kernel idles in WFI between timer ticks, a
/// longer wait than a bare-metal program's.
pub const WATCHDOG_CYCLES: u64 = 20_000_000;

/// Where each part goes in DRAM. fw_jump runs at DRAM's base and jumps to the kernel
/// at +2 MiB with the device tree it copied to +34 MiB (Debian's generic build).
pub const FIRMWARE_BASE: u64 = 0x8000_0000;
pub const KERNEL_BASE: u64 = 0x8020_0000;
pub const INITRD_BASE: u64 = 0x8400_0000;
/// The device tree and the trampoline, near DRAM's end (after the boot, ordinary
/// memory for the kernel).
pub const DTB_BASE: u64 = 0x8FE0_0000;
pub const TRAMPOLINE_BASE: u64 = 0x8FF0_0000;

/// The paging mode: Linux 6.12 probes `satp` and takes the deepest mode the core
/// has (Sv48) unless `no4lvl` tells it to stop at Sv39.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paging {
    Sv39,
    Sv48,
}

/// One boot's configuration.
#[derive(Clone, Debug)]
pub struct LinuxConfig {
    /// Where scripts/linux/build left the kernel, init and OpenSBI.
    pub kernel_dir: PathBuf,
    /// The device-dax namespace over the whole pmem region.
    pub align: u64,
    pub map: MapLocation,
    pub paging: Paging,
    /// Bytes of /dev/dax0.0 init writes and checks.
    pub touch: u64,
    /// Known kernel findings (start of the line) that are expected, not failures.
    pub expect_findings: Vec<String>,
    /// Extra kernel command-line arguments.
    pub bootargs: String,
}

/// The files of a built kernel.
#[derive(Clone, Debug)]
pub struct KernelFiles {
    pub dir: PathBuf,
    pub image: PathBuf,
    pub vmlinux: PathBuf,
    pub initramfs: PathBuf,
    pub firmware: PathBuf,
}

/// Why a Linux boot could not be run or did not pass.
#[derive(Debug, thiserror::Error)]
pub enum LinuxError {
    #[error("no kernel in {}: {missing} is missing; run scripts/setup (it builds the kernel with scripts/linux/build)", dir.display())]
    NotBuilt { dir: PathBuf, missing: &'static str },
    #[error("cannot read {}: {reason}", path.display())]
    Read {
        path: PathBuf,
        reason: std::io::Error,
    },
    #[error(transparent)]
    DevDax(#[from] devdax::DevDaxError),
    #[error(transparent)]
    Sim(#[from] SimError),
    #[error(transparent)]
    Image(#[from] crate::memory::ImageError),
    #[error("the kernel powered off without init's result line")]
    NoResult,
    #[error("the expected kernel finding {0:?} did not appear")]
    FindingMissing(String),
    #[error("the boot ended with exit code {0}")]
    Exit(i64),
    #[error("the kernel's vmemmap: {0}")]
    Vmemmap(String),
    #[error("{0}")]
    Failed(String),
}

impl KernelFiles {
    /// The kernel in `dir` (every file checked to be there).
    pub fn find(dir: &Path) -> Result<Self, LinuxError> {
        let file = |name: &'static str| {
            let path = dir.join(name);
            if path.is_file() {
                Ok(path)
            } else {
                Err(LinuxError::NotBuilt {
                    dir: dir.to_path_buf(),
                    missing: name,
                })
            }
        };
        Ok(Self {
            dir: dir.to_path_buf(),
            image: file("Image")?,
            vmlinux: file("vmlinux")?,
            initramfs: file("initramfs.cpio")?,
            firmware: file("fw_jump.elf")?,
        })
    }
}

/// Where scripts/linux/build puts the kernel it built last (the cache directory of
/// the RTL variants: `$COSIM_CACHE_DIR`, `$XDG_CACHE_HOME/cosim` or `~/.cache/cosim`).
pub fn default_kernel_dir() -> PathBuf {
    crate::nightly::variants::cache_dir().join("linux/current")
}

/// The namespace `cfg` asks for over the run's pmem region.
pub fn namespace(cfg: &LinuxConfig, run: &RunConfig) -> Result<DevDax, LinuxError> {
    let pmem = run.memory_map.pmem;
    Ok(DevDax::new(pmem.base.raw(), pmem.size, cfg.align, cfg.map)?)
}

/// The kernel command line.
pub fn bootargs(cfg: &LinuxConfig) -> String {
    let mut args = format!("console=hvc0 earlycon=sbi cosim.touch={}", cfg.touch);
    if cfg.paging == Paging::Sv39 {
        args.push_str(" no4lvl");
    }
    if !cfg.bootargs.is_empty() {
        args.push(' ');
        args.push_str(&cfg.bootargs);
    }
    args
}

/// The device tree for this boot, with the initramfs of `initrd_len` bytes.
pub fn device_tree(cfg: &LinuxConfig, run: &RunConfig, initrd_len: u64) -> dt::Node {
    let clock_ghz = run.profile.as_ref().map_or(1.0, |p| p.clock_ghz);
    dt::device_tree(&dt::Soc {
        memory: run.memory_map,
        mmu_type: match cfg.paging {
            Paging::Sv39 => "riscv,sv39",
            Paging::Sv48 => "riscv,sv48",
        },
        timebase_hz: (clock_ghz * 1e9) as u32,
        bootargs: bootargs(cfg),
        initrd: (INITRD_BASE, INITRD_BASE + initrd_len),
    })
}

/// `a0` = hart 0, `a1` = the device tree, then to OpenSBI (what a boot ROM does).
fn trampoline() -> Vec<u8> {
    use crate::fuzz::encode::{i, li};
    let mut words = li(10, 0);
    words.extend(li(11, DTB_BASE));
    words.extend(li(5, FIRMWARE_BASE));
    words.push(i(0x67, 0, 0, 5, 0)); // jalr x0, 0(t0)
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

/// True when the pmem image at `path` already holds a device-dax info block (a
/// formatted namespace is kept as it is).
fn image_is_formatted(path: &Path, size: u64) -> Result<bool, LinuxError> {
    if !path.exists() {
        return Ok(false);
    }
    let (_image, mem) = PmemImage::open(path, size)?;
    let mut sig = [0u8; 16];
    mem.read(INFO_BLOCK_OFFSET, &mut sig);
    Ok(&sig == b"NVDIMM_DAX_INFO\0")
}

/// A finished boot.
#[derive(Debug)]
pub struct LinuxRun {
    pub outcome: RunOutcome,
    pub result: InitResult,
    pub findings: Vec<(String, u64)>,
    pub namespace: DevDax,
}

fn read(path: &Path) -> Result<Vec<u8>, LinuxError> {
    crate::input::read_bounded(path, 1 << 30).map_err(|reason| LinuxError::Read {
        path: path.to_path_buf(),
        reason,
    })
}

/// Loads everything and makes the simulation, its console watched by `watch`.
/// Returns the simulation, the namespace and vmlinux (for the vmemmap check).
fn prepare(
    cfg: &LinuxConfig,
    run: &RunConfig,
    watch: Arc<Mutex<ConsoleWatch>>,
) -> Result<(Simulation, DevDax, Vec<u8>), LinuxError> {
    let files = KernelFiles::find(&cfg.kernel_dir)?;
    let dax = namespace(cfg, run)?;
    let firmware = read(&files.firmware)?;
    let initrd = read(&files.initramfs)?;
    let dtb = device_tree(cfg, run, initrd.len() as u64).to_dtb();
    let mut blobs = vec![
        (KERNEL_BASE, read(&files.image)?),
        (INITRD_BASE, initrd),
        (DTB_BASE, dtb),
        (TRAMPOLINE_BASE, trampoline()),
    ];
    let formatted = match &run.pmem_image {
        Some(path) => image_is_formatted(path, run.memory_map.pmem.size)?,
        None => false,
    };
    if !formatted {
        let block = dax.info_block(namespace_uuid(&dax));
        blobs.push((dax.start + INFO_BLOCK_OFFSET, block.to_vec()));
    }
    let preload = Preload {
        blobs,
        entry: Some(TRAMPOLINE_BASE),
    };
    let mut sim = Simulation::with_preload(&firmware, &preload, run)?;
    let vmlinux = read(&files.vmlinux)?;
    let symbols = crate::symbols::Symbols::from_elf(&vmlinux).map_err(|e| LinuxError::Read {
        path: files.vmlinux.clone(),
        reason: std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()),
    })?;
    let mut profiler = crate::symbols::Profiler::new(symbols, MILESTONES);
    profiler.watch_address(KERNEL_BASE, "kernel entry");
    sim.profile_with(profiler);
    sim.watch_console(Box::new(move |line| {
        watch.lock().expect("console watch").line(line)
    }));
    Ok((sim, dax, vmlinux))
}

/// Everything one boot left, whether it passed or not.
pub struct Boot {
    /// How the run ended (an error: the harness or the guest stopped it).
    pub outcome: Result<RunOutcome, SimError>,
    /// The cycle it ended at.
    pub cycle: u64,
    pub watch: ConsoleWatch,
    pub profile: crate::symbols::Profile,
    pub vmemmap: Result<vmemmap_check::KernelVmemmap, LinuxError>,
    pub namespace: DevDax,
}

impl Boot {
    /// The boot's verdict: its run, init's line, the expected findings and the
    /// kernel's vmemmap all as they must be.
    pub fn verdict(&self) -> Result<LinuxRun, LinuxError> {
        let outcome = match &self.outcome {
            Ok(o) => o.clone(),
            Err(e) => return Err(LinuxError::Failed(e.to_string())),
        };
        let run = conclude(outcome, &self.watch, self.namespace)?;
        if let Err(e) = &self.vmemmap {
            return Err(LinuxError::Failed(e.to_string()));
        }
        Ok(run)
    }
}

/// Boots Linux as `cfg` says and checks what it built; `progress` is called as
/// [`Simulation::run_in_place`] does.
pub fn boot(
    cfg: &LinuxConfig,
    run: &RunConfig,
    progress: &mut dyn FnMut(&crate::sim::Progress),
) -> Result<Boot, LinuxError> {
    let watch = Arc::new(Mutex::new(ConsoleWatch::new(cfg.expect_findings.clone())));
    let (mut sim, namespace, vmlinux) = prepare(cfg, run, watch.clone())?;
    let outcome = sim.run_in_place(progress);
    let profile = sim.take_profile().expect("the boot is profiled");
    let vmemmap = match &outcome {
        Ok(_) => vmemmap_check::check(sim.bus(), &vmlinux, &namespace, cfg.paging)
            .map_err(LinuxError::Vmemmap),
        Err(_) => Err(LinuxError::Vmemmap(
            "not checked: the run did not finish".into(),
        )),
    };
    let watch = watch.lock().expect("console watch").clone();
    Ok(Boot {
        outcome,
        cycle: sim.cycle(),
        watch,
        profile,
        vmemmap,
        namespace,
    })
}

/// A namespace uuid that is the same for the same namespace (runs stay identical).
pub fn namespace_uuid(dax: &DevDax) -> [u8; 16] {
    let mut h = crate::fnv::Fnv::new();
    for v in [dax.start, dax.size, dax.align, dax.map as u64] {
        h.update(&v.to_le_bytes());
    }
    let a = h.finish();
    h.update(b"cosim");
    let b = h.finish();
    let mut uuid = [0u8; 16];
    uuid[..8].copy_from_slice(&a.to_le_bytes());
    uuid[8..].copy_from_slice(&b.to_le_bytes());
    uuid
}

/// What the console watch concluded once the boot ended with `outcome`.
fn conclude(
    outcome: RunOutcome,
    watch: &ConsoleWatch,
    namespace: DevDax,
) -> Result<LinuxRun, LinuxError> {
    if let Some(missing) = watch.missing().first() {
        return Err(LinuxError::FindingMissing(missing.to_string()));
    }
    let result = watch.result.clone().ok_or(LinuxError::NoResult)?;
    if outcome.exit_code != 0 {
        return Err(LinuxError::Exit(outcome.exit_code));
    }
    Ok(LinuxRun {
        outcome,
        result,
        findings: watch.findings.clone(),
        namespace,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trampoline_sets_a0_a1_and_jumps_to_opensbi() {
        let code = trampoline();
        assert_eq!(code.len() % 4, 0);
        // The last instruction is `jalr x0, 0(t0)`.
        assert_eq!(&code[code.len() - 4..], &0x0002_8067u32.to_le_bytes());
    }

    #[test]
    fn a_missing_kernel_says_to_run_setup() {
        let e = KernelFiles::find(Path::new("/nonexistent")).unwrap_err();
        assert!(e.to_string().contains("run scripts/setup"), "{e}");
    }

    #[test]
    fn sv39_asks_linux_to_stop_at_three_levels() {
        let mut cfg = LinuxConfig {
            kernel_dir: PathBuf::new(),
            align: 2 << 20,
            map: MapLocation::Mem,
            paging: Paging::Sv39,
            touch: 2 << 20,
            expect_findings: vec![],
            bootargs: String::new(),
        };
        assert!(bootargs(&cfg).ends_with(" no4lvl"));
        cfg.paging = Paging::Sv48;
        assert!(!bootargs(&cfg).contains("no4lvl"));
    }
}
