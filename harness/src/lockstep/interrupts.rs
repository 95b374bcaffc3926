//! Interrupts, from the privileged spec: which one is taken at an instruction
//! boundary, and the trap entry. The reference never takes interrupts itself; when
//! the RTL takes one, the harness checks it against these rules and enters it on the
//! reference.

use super::reference::ReferenceModel;

const MIE: u64 = 1 << 3;
const SIE: u64 = 1 << 1;

/// Highest priority first: MEI, MSI, MTI, SEI, SSI, STI.
const PRIORITY: [u8; 6] = [11, 3, 7, 9, 1, 5];

/// The interrupt taken now, and whether it goes to S: pending in `mip` and enabled in
/// `mie`; M-level ones (not in `mideleg`) in U and S always and in M with MIE; S-level
/// ones in U always, in S with SIE, never in M.
pub fn expected_interrupt(
    mip: u64,
    mie: u64,
    mideleg: u64,
    mstatus: u64,
    mode: u8,
) -> Option<(u8, bool)> {
    let pending = mip & mie;
    let m_enabled = mode != 3 || mstatus & MIE != 0;
    let s_enabled = mode == 0 || (mode == 1 && mstatus & SIE != 0);
    let to_m = if m_enabled { pending & !mideleg } else { 0 };
    let to_s = if s_enabled { pending & mideleg } else { 0 };
    let first = |set: u64| PRIORITY.into_iter().find(|&code| set & (1 << code) != 0);
    first(to_m)
        .map(|c| (c, false))
        .or_else(|| first(to_s).map(|c| (c, true)))
}

/// Trap entry for interrupt `code` at `pc` (the instruction not executed): the
/// privilege and xPIE/xIE/xPP stack, xepc, xcause, xtval = 0, and xtvec (vectored:
/// base + 4 * code). Returns the handler's address.
pub fn enter(reference: &mut dyn ReferenceModel, pc: u64, code: u8, to_s: bool) -> u64 {
    const MSTATUS: u16 = 0x300;
    let mode = u64::from(reference.privilege());
    let mut mstatus = reference.csr(MSTATUS);
    let (epc, cause, tval, tvec) = if to_s {
        (0x141, 0x142, 0x143, 0x105)
    } else {
        (0x341, 0x342, 0x343, 0x305)
    };
    if to_s {
        let sie = mstatus & SIE != 0;
        mstatus = (mstatus & !(SIE | 1 << 5 | 1 << 8)) | (u64::from(sie) << 5) | ((mode & 1) << 8);
    } else {
        let mie = mstatus & MIE != 0;
        mstatus = (mstatus & !(MIE | 1 << 7 | 3 << 11)) | (u64::from(mie) << 7) | (mode << 11);
    }
    reference.set_csr(MSTATUS, mstatus);
    reference.set_csr(epc, pc);
    reference.set_csr(cause, (1 << 63) | u64::from(code));
    reference.set_csr(tval, 0);
    let base = reference.csr(tvec);
    let handler = (base & !3)
        + if base & 1 != 0 {
            4 * u64::from(code)
        } else {
            0
        };
    reference.redirect(handler, if to_s { 1 } else { 3 });
    handler
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interrupt_taken_follows_priority_enables_and_delegation() {
        let (mtip, msip, ssip, stip) = (1 << 7, 1 << 3, 1 << 1, 1 << 5);
        let all = 0xaaa;
        // M with MIE clear takes nothing; with MIE, MSI before MTI.
        assert_eq!(expected_interrupt(mtip | msip, all, 0, 0, 3), None);
        assert_eq!(
            expected_interrupt(mtip | msip, all, 0, MIE, 3),
            Some((3, false))
        );
        // Not enabled in mie: not taken.
        assert_eq!(expected_interrupt(mtip, 0, 0, MIE, 3), None);
        // Below M, M-level interrupts are always enabled.
        assert_eq!(expected_interrupt(mtip, all, 0, 0, 0), Some((7, false)));
        // Delegated ones go to S: never in M, in S only with SIE, in U always.
        assert_eq!(expected_interrupt(ssip, all, 0x222, MIE, 3), None);
        assert_eq!(expected_interrupt(ssip, all, 0x222, 0, 1), None);
        assert_eq!(
            expected_interrupt(ssip | stip, all, 0x222, SIE, 1),
            Some((1, true))
        );
        assert_eq!(expected_interrupt(stip, all, 0x222, 0, 0), Some((5, true)));
        // M-level before S-level.
        assert_eq!(
            expected_interrupt(ssip | mtip, all, 0x2, 0, 0),
            Some((7, false))
        );
    }
}
