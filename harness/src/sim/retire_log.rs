//! The text form of a retired instruction, one line each, for `--retire-log`.

use crate::model::RetirePort;
use std::fmt::Write as _;

/// `cycle order pc insn [trap] [rd=value] [load/store[addr mask]=data] -> next pc`,
/// where `mask` marks the bytes from `addr` upwards and `data` holds them from bit 0.
/// Under translation, `pa=` gives the physical address of the pc and of `addr`.
pub fn format_retire(cycle: u64, r: &RetirePort) -> String {
    let mut s = format!(
        "{cycle:>10} {:>8} {:#018x} {:08x}",
        r.order, r.pc_rdata, r.insn
    );
    if r.pc_paddr != r.pc_rdata && !r.trap {
        let _ = write!(s, " pa={:#x}", r.pc_paddr);
    }
    if r.trap {
        s.push_str(" trap");
    }
    if r.rd_addr != 0 {
        let _ = write!(s, " x{}={:#x}", r.rd_addr, r.rd_wdata);
    }
    if r.mem_rmask != 0 {
        let _ = write!(
            s,
            " load[{:#x} mask {:02x}]={:#x}",
            r.mem_addr, r.mem_rmask, r.mem_rdata
        );
    }
    if r.mem_wmask != 0 {
        let _ = write!(
            s,
            " store[{:#x} mask {:02x}]={:#x}",
            r.mem_addr, r.mem_wmask, r.mem_wdata
        );
    }
    if (r.mem_rmask | r.mem_wmask) != 0 && r.mem_paddr != r.mem_addr {
        let _ = write!(s, " pa={:#x}", r.mem_paddr);
    }
    let _ = write!(s, " -> {:#x}", r.pc_wdata);
    s
}
