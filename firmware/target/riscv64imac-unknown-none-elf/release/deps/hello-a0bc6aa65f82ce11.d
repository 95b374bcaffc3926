/work/main/firmware/target/riscv64imac-unknown-none-elf/release/deps/hello-a0bc6aa65f82ce11.d: src/bin/hello.rs Cargo.toml

/work/main/firmware/target/riscv64imac-unknown-none-elf/release/deps/libhello-a0bc6aa65f82ce11.rmeta: src/bin/hello.rs Cargo.toml

src/bin/hello.rs:
Cargo.toml:

# env-dep:CLIPPY_ARGS=
# env-dep:CLIPPY_CONF_DIR
