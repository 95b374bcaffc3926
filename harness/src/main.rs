//! The `cosim` command: argument parsing and printing over the library.

mod cli;

use clap::Parser;

fn main() {
    // A bug of ours (or of a library) reports one line, not a backtrace.
    std::panic::set_hook(Box::new(|info| eprintln!("cosim: internal error: {info}")));
    let args = cli::Cli::parse();
    cosim::signals::install();
    let code = match cli::dispatch(args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            // A run stopped by SIGINT/SIGTERM ends as the shell expects (130/143),
            // after its outputs were finished.
            cosim::signals::received().map_or(cli::EXIT_HARNESS_ERROR, cosim::signals::exit_status)
        }
    };
    std::process::exit(code);
}
