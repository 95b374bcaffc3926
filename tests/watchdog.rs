//! A program that never ends (`j .`) is stopped by the watchdog, and the
//! error names the PCs it was stuck at.

use std::path::PathBuf;

use cosim::sim::{run_elf_file, RunConfig, SimError};

#[test]
fn hang_ends_with_watchdog_naming_the_last_pcs() {
    let path = PathBuf::from(env!("COSIM_ASM_DIR")).join("hang.elf");
    let cfg = RunConfig {
        watchdog_cycles: 20_000,
        ..RunConfig::checked()
    };
    let err = match run_elf_file(&path, &cfg) {
        Ok(out) => panic!(
            "hang.elf finished with exit code {} after {} cycles",
            out.exit_code, out.cycles
        ),
        Err(e) => e,
    };
    assert!(
        matches!(err, SimError::Watchdog { .. }),
        "expected a watchdog error, got {err:?}"
    );
    let message = err.to_string();
    assert!(
        message.to_lowercase().contains("watchdog"),
        "message: {message}"
    );
    // The loop's address, in hex (with or without zero padding).
    let hang_loop = u64::from_str_radix(env!("COSIM_ASM_HANG_LOOP").trim_start_matches("0x"), 16)
        .expect("COSIM_ASM_HANG_LOOP is hex");
    assert!(
        message.to_lowercase().contains(&format!("{hang_loop:x}")),
        "message does not name the loop at {hang_loop:#x}: {message}"
    );
    assert!(message.contains("0x"), "PCs are shown in hex: {message}");
}
