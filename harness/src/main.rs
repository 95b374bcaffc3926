//! The `cosim` command: argument parsing and printing over the library.

mod cli;

use clap::Parser;

fn main() {
    // A bug of ours (or of a library) reports one line, not a backtrace.
    std::panic::set_hook(Box::new(|info| eprintln!("cosim: internal error: {info}")));
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
