//! The shadow call stack and the per-function totals it gives.
//!
//! A call is `jal`/`jalr`/`c.jalr` that links `ra` or `t0` (the calling convention's
//! link registers); a return is `jalr x0, 0(ra|t0)` / `c.jr ra|t0`, popping frames down
//! to the one it returns to (so a frame a `longjmp` or a task switch abandoned goes
//! too). A trap is a call of its handler, and `mret`/`sret` return from it. A frame
//! remembers every counter at its entry; when it ends, the difference goes to its
//! function — once per function on the stack, so recursion is not counted twice.
//!
//! A kernel switches tasks inside `__switch_to(prev, next)`: each task has its own
//! stack of frames, kept by task (the registers `a0`/`a1` of that call, rebuilt from
//! the retire port's register writes). The time a task is switched out is not its
//! frames' time (as perf counts a task's own events).

use super::Symbols;
use crate::counters::Counters;
use crate::memory::timing::MemCounters;
use crate::model::RetirePort;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Frames kept at most; deeper ones drop the oldest (an unbalanced stream).
const MAX_DEPTH: usize = 4096;

const MRET: u32 = 0x3020_0073;
const SRET: u32 = 0x1020_0073;

/// What one function accumulated, inclusive of everything it called.
#[derive(Clone, Debug, Default)]
pub struct FunctionTotals {
    pub calls: u64,
    pub counters: Option<Counters>,
    /// The memory model's counters, by name (with a timing profile).
    pub memory: Vec<(&'static str, u64)>,
}

/// The first time a function of interest (or user mode) was entered.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Milestone {
    pub name: String,
    pub cycle: u64,
    pub instret: u64,
}

/// A task's frames while it is switched out.
struct Parked {
    frames: Vec<Frame>,
    counters: Counters,
    memory: Option<MemCounters>,
}

struct Frame {
    function: Option<usize>,
    /// The address a return to this frame goes to (0 for a trap frame).
    returns_to: u64,
    trap: bool,
    counters: Counters,
    memory: Option<MemCounters>,
}

/// Follows the retire stream and attributes counters to functions.
pub struct Profiler {
    symbols: Symbols,
    stack: Vec<Frame>,
    totals: Vec<FunctionTotals>,
    /// How many frames of each function are on the stack.
    active: Vec<u32>,
    /// Entry addresses of the functions whose first entry is a milestone.
    watched: HashMap<u64, String>,
    milestones: Vec<Milestone>,
    user_seen: bool,
    /// The register file, from the retire port's writes (for `__switch_to`'s args).
    regs: [u64; 32],
    /// `__switch_to`, when the symbols have it.
    switch_to: Option<usize>,
    /// The frames of the tasks switched out, by task pointer, with the counters at
    /// the switch.
    parked: HashMap<u64, Parked>,
}

/// Everything a profiled run found.
#[derive(Clone, Debug)]
pub struct Profile {
    /// Functions that ran, with their totals.
    pub functions: Vec<(String, FunctionTotals)>,
    pub milestones: Vec<Milestone>,
}

impl Profiler {
    /// A profiler over `symbols`; the first entry of each function in `milestones`
    /// (that the symbols have) is recorded.
    pub fn new(symbols: Symbols, milestones: &[&str]) -> Self {
        let watched = milestones
            .iter()
            .filter_map(|name| {
                let i = symbols.by_name(name)?;
                Some((symbols.function(i).start, name.to_string()))
            })
            .collect();
        Self {
            switch_to: symbols.by_name("__switch_to"),
            regs: [0; 32],
            parked: HashMap::new(),
            totals: vec![FunctionTotals::default(); symbols.len()],
            active: vec![0; symbols.len()],
            symbols,
            stack: Vec::new(),
            watched,
            milestones: Vec::new(),
            user_seen: false,
        }
    }

    /// Records the first instruction retired at `pc` as the milestone `name` (an
    /// address without a symbol, such as a kernel's physical entry point).
    pub fn watch_address(&mut self, pc: u64, name: &str) {
        self.watched.insert(pc, name.to_string());
    }

    /// One retired instruction; `counters` and `memory` are the totals so far.
    #[inline]
    pub fn retire(&mut self, r: &RetirePort, counters: &Counters, memory: Option<&MemCounters>) {
        if !self.watched.is_empty() {
            if let Some(name) = self.watched.remove(&r.pc_rdata) {
                self.milestone(name, counters);
            }
        }
        if r.mode == 0 && !self.user_seen {
            self.user_seen = true;
            self.milestone("first user instruction".into(), counters);
        }
        if r.trap {
            self.push(r.pc_wdata, 0, true, counters, memory);
            return;
        }
        let flow = classify(r.insn);
        if r.rd_addr != 0 {
            self.regs[usize::from(r.rd_addr & 31)] = r.rd_wdata;
        }
        match flow {
            Flow::Call(_)
                if self.switch_to.is_some()
                    && self.symbols.lookup(r.pc_wdata) == self.switch_to =>
            {
                // a0 = prev, a1 = next: park prev's frames, resume next's.
                let (prev, next) = (self.regs[10], self.regs[11]);
                let resumed = match self.parked.remove(&next) {
                    // Its frames start later by the time it was out.
                    Some(p) => {
                        let out = counters.since(&p.counters);
                        let out_mem = memory
                            .zip(p.memory.as_ref())
                            .map(|(now, then)| now.since(then));
                        let mut frames = p.frames;
                        for f in &mut frames {
                            f.counters = f.counters.plus(&out);
                            if let (Some(m), Some(o)) = (&mut f.memory, &out_mem) {
                                *m = m.plus(o);
                            }
                        }
                        frames
                    }
                    None => Vec::new(),
                };
                let frames = std::mem::replace(&mut self.stack, resumed);
                self.parked.insert(
                    prev,
                    Parked {
                        frames,
                        counters: counters.clone(),
                        memory: memory.copied(),
                    },
                );
            }
            Flow::Call(len) => self.push(r.pc_wdata, r.pc_rdata + len, false, counters, memory),
            Flow::Return => {
                self.pop_to(|f| !f.trap && f.returns_to == r.pc_wdata, counters, memory)
            }
            Flow::TrapReturn => self.pop_to(|f| f.trap, counters, memory),
            Flow::Other => {}
        }
    }

    fn milestone(&mut self, name: String, counters: &Counters) {
        self.milestones.push(Milestone {
            name,
            cycle: counters.by_name("cycles").unwrap_or(0),
            instret: counters.by_name("instret").unwrap_or(0),
        });
    }

    fn push(
        &mut self,
        target: u64,
        returns_to: u64,
        trap: bool,
        counters: &Counters,
        memory: Option<&MemCounters>,
    ) {
        if self.stack.len() == MAX_DEPTH {
            let oldest = self.stack.remove(0);
            self.close(oldest, counters, memory);
        }
        let function = self.symbols.lookup(target);
        if let Some(f) = function {
            self.totals[f].calls += 1;
            self.active[f] += 1;
        }
        self.stack.push(Frame {
            function,
            returns_to,
            trap,
            counters: counters.clone(),
            memory: memory.copied(),
        });
    }

    /// Pops down to and including the innermost frame `is_target` accepts; nothing
    /// if no frame does (a return the stack never saw the call of).
    fn pop_to(
        &mut self,
        is_target: impl Fn(&Frame) -> bool,
        counters: &Counters,
        memory: Option<&MemCounters>,
    ) {
        let Some(at) = self.stack.iter().rposition(is_target) else {
            return;
        };
        while self.stack.len() > at {
            let frame = self.stack.pop().expect("not empty");
            self.close(frame, counters, memory);
        }
    }

    /// Ends `frame`: its counters go to its function if it is the outermost frame
    /// of that function.
    fn close(&mut self, frame: Frame, counters: &Counters, memory: Option<&MemCounters>) {
        let Some(f) = frame.function else { return };
        self.active[f] -= 1;
        if self.active[f] > 0 {
            return;
        }
        let delta = counters.since(&frame.counters);
        let totals = &mut self.totals[f];
        totals.counters = Some(match &totals.counters {
            Some(sum) => sum.plus(&delta),
            None => delta,
        });
        if let (Some(now), Some(then)) = (memory, frame.memory) {
            let named = now.since(&then).named();
            if totals.memory.is_empty() {
                totals.memory = named;
            } else {
                for (sum, (_, v)) in totals.memory.iter_mut().zip(named) {
                    sum.1 += v;
                }
            }
        }
    }

    /// Ends every open frame (of every task) and returns what was found.
    pub fn finish(mut self, counters: &Counters, memory: Option<&MemCounters>) -> Profile {
        // A task still switched out ends where it was switched out.
        let parked: Vec<Parked> = self.parked.drain().map(|(_, p)| p).collect();
        for p in parked {
            for frame in p.frames.into_iter().rev() {
                self.close(frame, &p.counters, p.memory.as_ref());
            }
        }
        for frame in std::mem::take(&mut self.stack).into_iter().rev() {
            self.close(frame, counters, memory);
        }
        let functions = self
            .totals
            .into_iter()
            .enumerate()
            .filter(|(_, t)| t.counters.is_some())
            .map(|(i, t)| (self.symbols.function(i).name.clone(), t))
            .collect();
        Profile {
            functions,
            milestones: self.milestones,
        }
    }
}

/// How an instruction moves control between functions.
enum Flow {
    /// A call; the argument is the instruction's length.
    Call(u64),
    Return,
    TrapReturn,
    Other,
}

fn classify(insn: u32) -> Flow {
    let link = |r: u32| r == 1 || r == 5;
    if insn & 3 != 3 {
        // c.jr / c.jalr: funct4 100x, rs1 != 0, rs2 == 0, quadrant 2.
        let (funct4, rs1, rs2) = (insn >> 12 & 0xf, insn >> 7 & 31, insn >> 2 & 31);
        return match (insn & 3, funct4, rs1, rs2) {
            (2, 0b1001, r, 0) if r != 0 => Flow::Call(2),
            (2, 0b1000, r, 0) if link(r) => Flow::Return,
            _ => Flow::Other,
        };
    }
    let (opcode, rd, rs1) = (insn & 0x7f, insn >> 7 & 31, insn >> 15 & 31);
    match opcode {
        0x6f if link(rd) => Flow::Call(4),
        0x67 if link(rd) => Flow::Call(4),
        0x67 if rd == 0 && link(rs1) => Flow::Return,
        _ if insn == MRET || insn == SRET => Flow::TrapReturn,
        _ => Flow::Other,
    }
}

/// The counters a per-function report shows, by event name.
pub const SHOWN: &[&str] = &[
    "cycles",
    "instret",
    "itlb_miss",
    "dtlb_load_miss",
    "dtlb_store_miss",
    "walks",
    "walk_cycles",
    "pwc_hit",
];

impl FunctionTotals {
    /// The total of event `name`.
    pub fn get(&self, name: &str) -> u64 {
        self.counters
            .as_ref()
            .and_then(|c| c.by_name(name))
            .unwrap_or(0)
    }

    pub fn to_json(&self, name: &str) -> Value {
        let mut v = json!({"name": name, "calls": self.calls});
        for event in SHOWN {
            v[*event] = json!(self.get(event));
        }
        if !self.memory.is_empty() {
            v["memory"] = self
                .memory
                .iter()
                .map(|(n, x)| (n.to_string(), json!(x)))
                .collect();
        }
        v
    }
}

impl Profile {
    /// The totals of the function called `name`, if it ran.
    pub fn function(&self, name: &str) -> Option<&FunctionTotals> {
        self.functions
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t)
    }

    /// The `n` functions with most of `event`, most first.
    pub fn top(&self, event: &str, n: usize) -> Vec<(&str, &FunctionTotals)> {
        let mut all: Vec<(&str, &FunctionTotals)> = self
            .functions
            .iter()
            .map(|(name, t)| (name.as_str(), t))
            .collect();
        all.sort_by(|a, b| b.1.get(event).cmp(&a.1.get(event)).then(a.0.cmp(b.0)));
        all.truncate(n);
        all
    }

    /// A table like `perf report`'s: the `n` functions with most walk cycles.
    pub fn top_table(&self, n: usize, total_walk_cycles: u64) -> String {
        let mut s = format!(
            "{:>7} {:>11} {:>12} {:>12} {:>6} {:>7} {:>6} {:>8}  function (inclusive)\n",
            "walk %", "walk cyc", "cycles", "instret", "itlb", "dtlb", "walks", "calls"
        );
        for (name, t) in self.top("walk_cycles", n) {
            let share = 100.0 * t.get("walk_cycles") as f64 / total_walk_cycles.max(1) as f64;
            s += &format!(
                "{share:>6.2}% {:>11} {:>12} {:>12} {:>6} {:>7} {:>6} {:>8}  {name}\n",
                t.get("walk_cycles"),
                t.get("cycles"),
                t.get("instret"),
                t.get("itlb_miss"),
                t.get("dtlb_load_miss") + t.get("dtlb_store_miss"),
                t.get("walks"),
                t.calls
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_and_returns_are_recognized() {
        assert!(matches!(classify(0x0000_00ef), Flow::Call(4))); // jal ra, 0
        assert!(matches!(classify(0x0000_80e7), Flow::Call(4))); // jalr ra, 0(ra)
        assert!(matches!(classify(0x0000_8067), Flow::Return)); // ret
        assert!(matches!(classify(0x8082), Flow::Return)); // c.jr ra
        assert!(matches!(classify(0x9082), Flow::Call(2))); // c.jalr ra
        assert!(matches!(classify(0x0000_006f), Flow::Other)); // j 0
        assert!(matches!(classify(MRET), Flow::TrapReturn));
    }
}
