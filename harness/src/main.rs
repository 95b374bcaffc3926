//! The `cosim` command: argument parsing and printing over the library.

mod cli;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    let code = match cli::dispatch(args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            cli::EXIT_HARNESS_ERROR
        }
    };
    std::process::exit(code);
}
