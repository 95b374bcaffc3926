//! One simulated SoC with everything behind its AXI port.

use super::phases::Snapshot;
use super::{
    watchdog::Watchdog, LockstepSummary, PowerFail, Progress, RunConfig, RunOutcome, SimError,
    EXIT_POWER_FAIL,
};
use crate::axi::{AxiSlave, Persistence, ProtocolChecker};
use crate::counters::Counters;
use crate::devices::{ConsoleInput, Htif, SimEvent};
use crate::loader::{load_elf, LoadedElf};
use crate::lockstep::{Lockstep, ReferenceModel, Rv64emuReference};
use crate::memory::timing::MemoryTiming;
use crate::memory::{PhysAddr, PmemImage, SystemBus};
use crate::mmu::{TlbCheck, TranslationCheck, MMU_PARAMS};
use crate::model::{AxiSlavePort, Model, SocOutputs};
use crate::output::{Partial, Target};
use crate::symbols::{Profile, Profiler};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// Cycles between two progress callbacks.
const PROGRESS_INTERVAL: u64 = 1 << 16;

/// Cycles between two looks for a typed character while the program waits for one.
const CONSOLE_POLL_INTERVAL: u64 = 1 << 10;

/// Bytes placed in memory after the ELF's segments (a kernel, its initramfs, a device
/// tree), and the reset vector when it is not the ELF's entry point.
#[derive(Clone, Debug, Default)]
pub struct Preload {
    pub blobs: Vec<(u64, Vec<u8>)>,
    pub entry: Option<u64>,
}

/// A loaded program on a reset SoC, ready to run.
pub struct Simulation {
    model: Model,
    slave: AxiSlave,
    bus: SystemBus,
    outputs: SocOutputs,
    watchdog: Watchdog,
    entry: u64,
    /// The loaded program (its symbols, for tools that read results from memory).
    loaded: LoadedElf,
    cycle: u64,
    instret: u64,
    console: Vec<u8>,
    echo_console: bool,
    max_cycles: u64,
    retire_log: Option<(PathBuf, std::io::BufWriter<std::fs::File>)>,
    lockstep: Option<Lockstep>,
    counters: Counters,
    /// Counters at each phase marker the program wrote.
    phase_marks: Vec<Snapshot>,
    pmem_image: Option<PmemImage>,
    power_fail_at: Option<u64>,
    persistence: Persistence,
    /// Watches every AXI channel, both directions, every cycle.
    protocol: ProtocolChecker,
    translation_check: Option<TranslationCheck>,
    tlb_check: Option<TlbCheck>,
    /// The waveform is written here and renamed to its final path when the run ends,
    /// so no half-written file is left under the name the user asked for.
    trace: Option<Partial>,
    /// The program asked for a console character that has not been given yet.
    console_read_pending: bool,
    /// Where console characters come from (started at the first read), if anywhere.
    console_input: Option<ConsoleInput>,
    wants_console_input: bool,
    /// Told every complete console line; an error ends the run (a guest's failure).
    console_watch: Option<ConsoleWatcher>,
    /// Where the current console line starts in `console`.
    line_start: usize,
    /// Counters per function (`--top`, `cosim linux`), when asked for.
    profiler: Option<Profiler>,
}

/// Reads each console line as it completes; `Err(line)` ends the run with that line.
pub type ConsoleWatcher = Box<dyn FnMut(&str) -> Result<(), String> + Send>;

impl Simulation {
    /// Loads `elf` into memory and resets the SoC at its entry point.
    pub fn new(elf: &[u8], cfg: &RunConfig) -> Result<Self, SimError> {
        Self::with_preload(elf, &Preload::default(), cfg)
    }

    /// Loads `elf`, then `preload`'s blobs, and resets the SoC at `preload`'s entry
    /// (the ELF's when it has none).
    pub fn with_preload(elf: &[u8], preload: &Preload, cfg: &RunConfig) -> Result<Self, SimError> {
        let mut bus = SystemBus::new(cfg.memory_map);
        // pmem first: what the program's own segments put there wins.
        let pmem_image = match &cfg.pmem_image {
            Some(path) => {
                let (image, contents) = PmemImage::open(path, cfg.memory_map.pmem.size)?;
                bus.set_pmem(contents)
                    .expect("the image was opened at pmem's size");
                Some(image)
            }
            None => None,
        };
        let mut loaded = load_elf(elf, &mut bus)?;
        for (addr, bytes) in &preload.blobs {
            bus.write_bytes(PhysAddr(*addr), bytes)
                .map_err(|_| SimError::Preload {
                    addr: *addr,
                    len: bytes.len() as u64,
                })?;
        }
        if let Some(entry) = preload.entry {
            loaded.entry = entry;
        }
        if let Some(tohost) = loaded.tohost {
            bus.set_htif(Some(Htif::new(
                PhysAddr(tohost),
                loaded.fromhost.map(PhysAddr),
            )));
        }
        let (model, trace) = match &cfg.trace {
            Some(path) => {
                let output_error = |reason| SimError::Output {
                    path: path.clone(),
                    reason,
                };
                // The FST writer seeks: it needs a regular file, which it writes under
                // a temporary name (a symlink's target, if the path is one).
                let target = match Target::of(path).map_err(output_error)? {
                    Target::Regular(target) => target,
                    Target::Special(_) => {
                        return Err(output_error(std::io::Error::new(
                            std::io::ErrorKind::InvalidInput,
                            "not a regular file (a waveform is written to a regular file only)",
                        )))
                    }
                };
                let partial = Partial::new(target);
                (Model::traced(partial.path(), cfg.trace_from), Some(partial))
            }
            // A lockstep run is a checking run: it also evaluates the RTL's assertions
            // (the fast model leaves them out; they cost it a quarter of its speed).
            None if cfg.lockstep => (Model::checked(), None),
            None => (Model::fast(), None),
        };
        let retire_log = match &cfg.retire_log {
            Some(path) => Some((
                path.clone(),
                std::io::BufWriter::new(std::fs::File::create(path).map_err(|reason| {
                    SimError::Output {
                        path: path.clone(),
                        reason,
                    }
                })?),
            )),
            None => None,
        };
        let lockstep = cfg.lockstep.then(|| {
            let mut reference = Rv64emuReference::new(&cfg.memory_map, loaded.entry);
            load_reference(&mut reference, &loaded, &bus);
            for (addr, bytes) in &preload.blobs {
                reference.write_mem(*addr, bytes);
            }
            Lockstep::new(Box::new(reference))
        });
        let mut sim = Self {
            model,
            slave: match &cfg.profile {
                Some(profile) => AxiSlave::with_timing(
                    cfg.slave,
                    MemoryTiming::new(profile.clone(), cfg.memory_map),
                ),
                None => AxiSlave::new(cfg.slave),
            },
            bus,
            outputs: SocOutputs::default(),
            watchdog: Watchdog::new(cfg.watchdog_cycles),
            entry: loaded.entry,
            loaded: loaded.clone(),
            cycle: 0,
            instret: 0,
            console: Vec::new(),
            echo_console: cfg.echo_console,
            max_cycles: cfg.max_cycles,
            retire_log,
            lockstep,
            counters: Counters::default(),
            phase_marks: Vec::new(),
            pmem_image,
            power_fail_at: cfg.power_fail_at,
            persistence: cfg.persistence,
            protocol: ProtocolChecker::new(),
            translation_check: cfg.translation_check.then(TranslationCheck::default),
            tlb_check: cfg.check_counters.then(|| TlbCheck::new(MMU_PARAMS)),
            trace,
            console_read_pending: false,
            console_input: None,
            wants_console_input: cfg.console_input,
            console_watch: None,
            line_start: 0,
            profiler: None,
        };
        if sim.lockstep.is_some() {
            // The lockstep matches the data port's write beats with the stores.
            sim.slave.record_writes();
        }
        sim.model.reset(loaded.entry);
        Ok(sim)
    }

    /// The reset vector (the ELF's entry point).
    pub fn entry(&self) -> u64 {
        self.entry
    }

    /// The address of the loaded program's symbol `name`.
    pub fn symbol(&self, name: &str) -> Option<u64> {
        self.loaded.symbol(name)
    }

    /// Cycles simulated so far.
    pub fn cycles(&self) -> u64 {
        self.cycle
    }

    /// Instructions retired without a trap so far.
    pub fn instret(&self) -> u64 {
        self.instret
    }

    /// What the SoC drove at the last clock edge (e.g. to record its AXI traffic).
    pub fn outputs(&self) -> &SocOutputs {
        &self.outputs
    }

    /// Everything behind the AXI port (memories and devices).
    pub fn bus(&self) -> &SystemBus {
        &self.bus
    }

    /// The memory, to change after a run: tests plant faults in a finished image
    /// to see a check catch them.
    pub fn bus_mut(&mut self) -> &mut SystemBus {
        &mut self.bus
    }

    /// Simulates one clock cycle. Returns the exit code once the program has exited.
    #[inline]
    pub fn step(&mut self) -> Result<Option<i64>, SimError> {
        let inputs = self.slave.outputs();
        self.model.cycle(&inputs, &mut self.outputs);
        self.after_edge(&inputs)
    }

    /// Simulates one clock cycle and returns the slave-side inputs it drove, so the
    /// same stimulus can be replayed into a bare model (see `cosim bench`).
    pub fn step_recording(&mut self) -> Result<(AxiSlavePort, Option<i64>), SimError> {
        let inputs = self.slave.outputs();
        self.model.cycle(&inputs, &mut self.outputs);
        Ok((inputs, self.after_edge(&inputs)?))
    }

    #[inline]
    fn after_edge(&mut self, inputs: &AxiSlavePort) -> Result<Option<i64>, SimError> {
        let cycle = self.cycle;
        if self.outputs.assertion_failed {
            let failure = self.model.assertion_failure();
            return Err(SimError::Assertion {
                cycle,
                file: rtl_relative(&failure.file),
                line: failure.line,
                message: failure.message,
                last: self.watchdog.last_retired(),
            });
        }
        if let Err(violation) = self.protocol.check(cycle, &self.outputs.axi, inputs) {
            return Err(SimError::Protocol {
                violation,
                last: self.watchdog.last_retired(),
            });
        }
        if let Err(error) = self.slave.clock(&self.outputs.axi, inputs, &mut self.bus) {
            return Err(SimError::Axi {
                cycle,
                error,
                last: self.watchdog.last_retired(),
            });
        }
        if let Some(lockstep) = &mut self.lockstep {
            lockstep.take_bus_writes(&mut self.slave);
        }
        self.counters
            .record(self.outputs.events, self.outputs.flushed);
        self.check_mmu(cycle)?;
        let retire = &self.outputs.retire;
        if retire.valid {
            self.instret += u64::from(!retire.trap);
            self.watchdog.retire(cycle, retire);
            if let Some((path, log)) = &mut self.retire_log {
                writeln!(log, "{}", super::retire_log::format_retire(cycle, retire)).map_err(
                    |reason| SimError::Output {
                        path: path.clone(),
                        reason,
                    },
                )?;
            }
            if let Some(lockstep) = &mut self.lockstep {
                lockstep
                    .check(cycle, retire, &self.bus)
                    .map_err(SimError::Divergence)?;
            }
            if let Some(profiler) = &mut self.profiler {
                profiler.retire(retire, &self.counters, self.slave.memory_counters());
            }
        }
        self.cycle += 1;
        if self.bus.has_events() {
            if let Some(code) = self.handle_events()? {
                return Ok(Some(code));
            }
        }
        if let Some((pc, cause, repeats)) = self.watchdog.trap_loop() {
            return Err(SimError::TrapLoop {
                cycle: self.cycle,
                pc,
                cause,
                repeats,
                last: self.watchdog.last_retired(),
            });
        }
        if self.watchdog.expired(self.cycle) {
            return Err(SimError::Watchdog {
                cycle: self.cycle,
                idle: self.watchdog.idle_cycles(self.cycle),
                last: self.watchdog.last_retired(),
            });
        }
        if self.cycle >= self.max_cycles {
            return Err(SimError::CycleLimit {
                cycle: self.cycle,
                last: self.watchdog.last_retired(),
            });
        }
        Ok(None)
    }

    /// The translation and counter checks of this cycle's MMU activity.
    #[inline]
    fn check_mmu(&mut self, cycle: u64) -> Result<(), SimError> {
        let m = &self.outputs.mmu;
        let pmp = self.lockstep.as_ref().map(|l| l.pmp());
        if m.walk_done {
            if let Some(check) = &mut self.translation_check {
                check
                    .check(cycle, m, &self.bus, pmp)
                    .map_err(SimError::Translation)?;
            }
        }
        if let Some(check) = &mut self.tlb_check {
            check.record(
                cycle,
                m,
                self.outputs.events,
                self.outputs.flushed,
                &self.bus,
                pmp,
            );
        }
        Ok(())
    }

    fn handle_events(&mut self) -> Result<Option<i64>, SimError> {
        while let Some(event) = self.bus.pop_event() {
            match event {
                SimEvent::Console(byte) => {
                    self.console.push(byte);
                    if byte == b'\n' {
                        self.console_line()?;
                    }
                    if self.echo_console {
                        let mut out = std::io::stdout().lock();
                        out.write_all(&[byte])
                            .and_then(|()| if byte == b'\n' { out.flush() } else { Ok(()) })
                            .map_err(stdout_error)?;
                    }
                }
                SimEvent::Exit(code) => return Ok(Some(code)),
                SimEvent::Phase(marker) => {
                    let snapshot = self.snapshot(marker);
                    self.phase_marks.push(snapshot);
                }
                SimEvent::HostWrote { addr, value } => {
                    if let Some(lockstep) = &mut self.lockstep {
                        lockstep.host_wrote(addr, value);
                    }
                }
                SimEvent::ConsoleRead => {
                    self.console_read_pending = true;
                    if self.wants_console_input && self.console_input.is_none() {
                        self.console_input = Some(ConsoleInput::stdin());
                    }
                }
                SimEvent::HtifUnsupported(value) => {
                    return Err(SimError::HtifUnsupported {
                        cycle: self.cycle,
                        value,
                    });
                }
            }
        }
        Ok(None)
    }

    /// Runs until the program exits or a check ends the run, calling `progress`
    /// every few ten thousand cycles.
    pub fn run(mut self, progress: &mut dyn FnMut(&Progress)) -> Result<RunOutcome, SimError> {
        self.run_in_place(progress)
    }

    /// [`Self::run`], keeping the simulation (its memory) for inspection afterwards.
    pub fn run_in_place(
        &mut self,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<RunOutcome, SimError> {
        let start = Instant::now();
        let mut power_failed = None;
        let result = loop {
            if self.power_fail_at == Some(self.cycle) {
                // Everything not yet durable is lost; pmem keeps the rest.
                let lost = self.slave.power_fail(&mut self.bus, self.persistence);
                power_failed = Some(PowerFail {
                    cycle: self.cycle,
                    lost_writes: lost,
                });
                break Ok(i64::from(EXIT_POWER_FAIL));
            }
            if let Some(signal) = crate::signals::received() {
                break Err(SimError::Interrupted {
                    cycle: self.cycle,
                    signal,
                });
            }
            match self.step() {
                Ok(Some(code)) => break Ok(code),
                Ok(None) => {}
                Err(e) => break Err(e),
            }
            if self.console_read_pending && self.cycle.is_multiple_of(CONSOLE_POLL_INTERVAL) {
                self.answer_console_read();
            }
            if self.cycle.is_multiple_of(PROGRESS_INTERVAL) {
                progress(&Progress {
                    cycles: self.cycle,
                    instret: self.instret,
                    elapsed: start.elapsed(),
                });
            }
        };
        progress(&Progress {
            cycles: self.cycle,
            instret: self.instret,
            elapsed: start.elapsed(),
        });
        // At the end of a run that exited, the memory the RTL wrote must be the
        // reference's (a power failure loses writes by design).
        let result = match (result, &mut self.lockstep) {
            (Ok(code), Some(lockstep)) if power_failed.is_none() => lockstep
                .final_check(self.cycle, &self.bus)
                .map(|()| code)
                .map_err(SimError::Divergence),
            (result, _) => result,
        };
        // The waveform and pmem are finished whatever happened; the first error wins.
        let flushed = self.flush_text_outputs();
        let traced = self.finish_trace();
        let committed = self.commit_pmem();
        let exit_code = result?;
        flushed?;
        traced?;
        committed?;
        Ok(RunOutcome {
            exit_code,
            console: std::mem::take(&mut self.console),
            cycles: self.cycle,
            instret: self.instret,
            lockstep: self.lockstep.as_ref().map(|l| LockstepSummary {
                reference: l.reference_name(),
                checked: l.checked(),
                rules: l
                    .rule_counts()
                    .into_iter()
                    .map(|(rule, n)| (rule.name(), n))
                    .collect(),
            }),
            tlb_check: self
                .tlb_check
                .as_ref()
                .map(|c| c.report(MMU_PARAMS, &self.counters)),
            power_fail: power_failed,
            phases: super::phases::phases(&self.phase_marks, &self.snapshot(u64::MAX)),
            counters: self.counters.clone(),
            memory: self.slave.memory_counters().copied(),
            translations_checked: self.translation_check.as_ref().map_or(0, |c| c.checked()),
            translations_unconfirmed: self
                .translation_check
                .as_ref()
                .map_or(0, |c| c.unconfirmed()),
            walks_discarded: self.translation_check.as_ref().map_or(0, |c| c.discarded()),
        })
    }

    /// Cycles simulated so far (where a failed run stopped).
    pub fn cycle(&self) -> u64 {
        self.cycle
    }

    /// Every counter now, labelled `marker`.
    fn snapshot(&self, marker: u64) -> Snapshot {
        Snapshot {
            marker,
            cycle: self.cycle,
            instret: self.instret,
            counters: self.counters.clone(),
            memory: self.slave.memory_counters().copied(),
        }
    }

    /// Writes `bytes` at the loaded program's symbol `name` before the run (e.g. a
    /// configuration block the program reads); `false` when there is no such symbol
    /// or it is not in memory.
    pub fn write_symbol(&mut self, name: &str, bytes: &[u8]) -> bool {
        let Some(addr) = self.symbol(name) else {
            return false;
        };
        let ok = self.bus.write_bytes(PhysAddr(addr), bytes).is_ok();
        if let (true, Some(lockstep)) = (ok, &mut self.lockstep) {
            lockstep.write_reference_memory(addr, bytes);
        }
        ok
    }

    /// Writes pmem's contents back to its image, if it has one: every page that may
    /// differ from it (all resident pages), crash-safely.
    fn commit_pmem(&mut self) -> Result<(), SimError> {
        if let Some(image) = &mut self.pmem_image {
            let pmem = self.bus.pmem();
            image.commit(pmem, pmem.resident_page_numbers())?;
        }
        Ok(())
    }

    /// Hands the line just completed to the console watcher, if there is one.
    fn console_line(&mut self) -> Result<(), SimError> {
        let line = &self.console[self.line_start..];
        self.line_start = self.console.len();
        if let Some(watch) = &mut self.console_watch {
            let text = String::from_utf8_lossy(line);
            watch(&text).map_err(|line| SimError::GuestFailure {
                cycle: self.cycle,
                line,
            })?;
        }
        Ok(())
    }

    /// Attributes counters to functions from now on (see [`crate::symbols`]).
    pub fn profile_with(&mut self, profiler: Profiler) {
        self.profiler = Some(profiler);
    }

    /// The per-function counters so far (every open frame closed), if profiled.
    pub fn take_profile(&mut self) -> Option<Profile> {
        let profiler = self.profiler.take()?;
        Some(profiler.finish(&self.counters, self.slave.memory_counters()))
    }

    /// Has `watcher` read every console line from now on (see [`ConsoleWatcher`]).
    pub fn watch_console(&mut self, watcher: ConsoleWatcher) {
        self.console_watch = Some(watcher);
    }

    /// Answers a pending console read through `fromhost` once a character is there
    /// and the program has taken the host's previous answer (`fromhost` is 0).
    fn answer_console_read(&mut self) {
        let (Some(fromhost), Some(input)) = (
            self.bus.htif().and_then(|h| h.fromhost),
            self.console_input.as_mut(),
        ) else {
            return;
        };
        if !matches!(self.bus.read_u64(fromhost), Ok(0)) {
            return;
        }
        if let Some(ch) = input.take() {
            let answer = (1u64 << 56) | u64::from(ch);
            let _ = self.bus.write_u64(fromhost, answer);
            if let Some(lockstep) = &mut self.lockstep {
                lockstep.host_wrote(fromhost.raw(), answer);
            }
            self.console_read_pending = false;
        }
    }

    /// Flushes the console and the retire log: a full disk or a closed stdout is an
    /// error, not a silently shorter output.
    fn flush_text_outputs(&mut self) -> Result<(), SimError> {
        if self.echo_console {
            std::io::stdout().flush().map_err(stdout_error)?;
        }
        if let Some((path, log)) = &mut self.retire_log {
            log.flush().map_err(|reason| SimError::Output {
                path: path.clone(),
                reason,
            })?;
        }
        Ok(())
    }

    /// Closes the waveform and gives it its final name.
    fn finish_trace(&mut self) -> Result<(), SimError> {
        self.model.finish();
        if let Some(partial) = self.trace.take() {
            let path = partial.target().to_path_buf();
            partial
                .commit()
                .map_err(|reason| SimError::Output { path, reason })?;
        }
        Ok(())
    }
}

impl Drop for Simulation {
    fn drop(&mut self) {
        // A run abandoned midway leaves no partial waveform behind: the writer is
        // closed, then the dropped partial removes its file.
        if let Some(partial) = self.trace.take() {
            self.model.finish();
            drop(partial);
        }
    }
}

/// Gives the reference the same initial memory as the RTL: pmem as its image left it,
/// then every loaded segment.
fn load_reference(reference: &mut dyn ReferenceModel, loaded: &LoadedElf, bus: &SystemBus) {
    let pmem_base = bus.map().pmem.base.raw();
    let mut page = vec![0u8; crate::memory::sparse::PAGE_SIZE];
    for number in bus.pmem().resident_page_numbers() {
        let addr = pmem_base + number * page.len() as u64;
        if bus.read_bytes(PhysAddr(addr), &mut page).is_ok() {
            reference.write_mem(addr, &page);
        }
    }
    for seg in &loaded.segments {
        let mut bytes = vec![0u8; seg.memsz as usize];
        if bus.read_bytes(seg.paddr, &mut bytes).is_ok() {
            reference.write_mem(seg.paddr.raw(), &bytes);
        }
    }
}

/// A write to cosim's stdout (the program's console) that failed.
fn stdout_error(reason: std::io::Error) -> SimError {
    SimError::Output {
        path: PathBuf::from("stdout"),
        reason,
    }
}

/// `rtl/...` of a source path as Verilator was given it (absolute, in the build).
fn rtl_relative(path: &str) -> String {
    match path.rfind("/rtl/") {
        Some(i) => path[i + 1..].to_string(),
        None => path.to_string(),
    }
}
