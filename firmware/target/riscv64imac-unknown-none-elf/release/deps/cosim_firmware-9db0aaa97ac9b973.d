/work/main/firmware/target/riscv64imac-unknown-none-elf/release/deps/cosim_firmware-9db0aaa97ac9b973.d: src/lib.rs src/simctrl.rs Cargo.toml

/work/main/firmware/target/riscv64imac-unknown-none-elf/release/deps/libcosim_firmware-9db0aaa97ac9b973.rmeta: src/lib.rs src/simctrl.rs Cargo.toml

src/lib.rs:
src/simctrl.rs:
Cargo.toml:

# env-dep:CLIPPY_ARGS=
# env-dep:CLIPPY_CONF_DIR
