//! `cosim mutants`: build each mutant of the catalogue and run the kill suite on it.

use clap::Args;
use cosim::mutants::{verdict::table, Options, CATALOGUE};
use cosim::nightly::variants::BUILT_FROM;
use serde_json::json;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct MutantsArgs {
    /// Print the catalogue (name, file, bug) and exit.
    #[arg(long)]
    pub list: bool,
    /// Only this mutant.
    #[arg(long, value_name = "NAME")]
    pub only: Option<String>,
    /// Mutants tried at once (their builds take turns; default: the machine's cores).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Output directory: mutants.json, mutants.md and each mutant's runs.
    #[arg(long, value_name = "DIR", required_unless_present = "list")]
    pub out: Option<PathBuf>,
    /// Source tree to build the mutants from (default: the one cosim was built from).
    #[arg(long, value_name = "DIR")]
    pub source: Option<PathBuf>,
    /// Print only the table at the end.
    #[arg(long, short)]
    pub quiet: bool,
    /// Also write mutants.json's content here (`cosim nightly` reads it).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

pub fn mutants(args: MutantsArgs) -> anyhow::Result<i32> {
    if args.list {
        println!("| mutant | file | bug |\n|---|---|---|");
        for m in CATALOGUE {
            println!("| {} | {} | {} |", m.name, m.file, m.bug);
        }
        return Ok(0);
    }
    let out = args.out.expect("clap requires --out without --list");
    let quiet = args.quiet;
    let log = move |m: &str| {
        if !quiet {
            eprintln!("cosim mutants: {m}");
        }
    };
    let opts = Options {
        mutants: cosim::mutants::select(args.only.as_deref())?,
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        out: out.clone(),
        source: args.source.unwrap_or_else(|| PathBuf::from(BUILT_FROM)),
        log: &log,
    };
    let verdicts = cosim::mutants::run(&opts)?;
    let md = table(&verdicts);
    let killed = verdicts.iter().filter(|v| v.killed()).count();
    let summary = format!(
        "{killed} of {} mutants killed, {} survived, {} not tried",
        verdicts.len(),
        verdicts
            .iter()
            .filter(|v| !v.killed() && v.error.is_none())
            .count(),
        verdicts.iter().filter(|v| v.error.is_some()).count()
    );
    let text = json!({
        "summary": summary,
        "mutants": verdicts.iter().map(|v| v.to_json()).collect::<Vec<_>>(),
    });
    let text = serde_json::to_string_pretty(&text)? + "\n";
    for path in std::iter::once(out.join("mutants.json")).chain(args.json.clone()) {
        cosim::output::write_atomic(&path, text.as_bytes())?;
    }
    cosim::output::write_atomic(
        &out.join("mutants.md"),
        format!("# Mutants\n\n{summary}\n\n{md}").as_bytes(),
    )?;
    print!("{md}");
    println!(
        "cosim mutants: {summary}; {}",
        out.join("mutants.md").display()
    );
    if let Some(signal) = cosim::signals::received() {
        return Ok(cosim::signals::exit_status(signal));
    }
    Ok(if killed == verdicts.len() { 0 } else { 1 })
}
