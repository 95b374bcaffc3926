//! The interface every reference model offers to the lockstep checker.

/// What the reference did for one instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefStep {
    pub pc: u64,
    /// The instruction bits fetched (a compressed one in the low 16 bits), if the
    /// fetch succeeded.
    pub insn: Option<u32>,
    /// The PC of the next instruction (the trap vector after a trap).
    pub next_pc: u64,
    /// `(mcause, mtval)` when the instruction trapped.
    pub trap: Option<(u64, u64)>,
}

/// An instruction-set simulator the RTL is checked against.
pub trait ReferenceModel {
    /// A short name for reports.
    fn name(&self) -> &'static str;
    /// The PC of the next instruction to execute.
    fn pc(&self) -> u64;
    /// Executes one instruction (or takes the trap it raises), whose bits the harness
    /// fetched (translated and checked by its own model: the reference's fetch is not
    /// relied on). It never takes an interrupt by itself: the RTL's interrupts are
    /// checked and entered by the harness.
    fn step(&mut self, insn: u32) -> RefStep;
    /// The privilege the next instruction runs in (0 U, 1 S, 3 M).
    fn privilege(&self) -> u8;
    /// Integer register `index` (x0 reads 0).
    fn reg(&self, index: usize) -> u64;
    /// Overwrites integer register `index` (used by sync rules only).
    fn set_reg(&mut self, index: usize, value: u64);
    /// Reads `len` bytes (1, 2, 4 or 8, naturally aligned) of the reference's memory.
    fn read_mem(&mut self, addr: u64, len: usize) -> Option<u64>;
    /// Writes bytes into the reference's memory (loading, sync rules).
    fn write_mem(&mut self, addr: u64, bytes: &[u8]);
    /// Reads a CSR without side effects or permission checks.
    fn csr(&mut self, addr: u16) -> u64;
    /// Writes a CSR without permission checks (used by sync rules only).
    fn set_csr(&mut self, addr: u16, value: u64);
    /// Sets the retired-instruction counter (used by sync rules only).
    fn set_instret(&mut self, value: u64);
    /// Sets the PC of the next instruction and the privilege it runs in (used by
    /// sync rules only, for trap entries the harness performs itself).
    fn redirect(&mut self, pc: u64, privilege: u8);
    /// Moves past the next instruction (`insn`, as the harness fetched it) without
    /// executing it, counting it as retired (used by sync rules only: the harness
    /// performs its effect itself).
    fn skip(&mut self, insn: u32) -> RefStep;
    /// Instead of executing the next instruction (`insn`, when it could be fetched),
    /// takes the trap `cause`/`tval` on it (used by sync rules only, for traps the spec
    /// requires and the model misses).
    fn trap_instead(&mut self, cause: u8, tval: u64, insn: Option<u32>) -> RefStep;
}
