//! A program that never ends (`j .`) is stopped by the watchdog, and the
//! error names the PCs it was stuck at.

use cosim::sim::{run_elf_file, RunConfig, SimError};

#[test]
fn hang_ends_with_watchdog_naming_the_last_pcs() {
    let path = cosim::programs::path("hang");
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
    let mut bus = cosim::memory::SystemBus::new(cosim::memory::MemoryMap::default());
    let hang_loop = cosim::loader::load_elf(cosim::programs::find("hang").expect("hang"), &mut bus)
        .expect("hang.elf loads")
        .symbol("hang_loop")
        .expect("hang.elf has a hang_loop symbol");
    assert!(
        message.to_lowercase().contains(&format!("{hang_loop:x}")),
        "message does not name the loop at {hang_loop:#x}: {message}"
    );
    assert!(message.contains("0x"), "PCs are shown in hex: {message}");
}
