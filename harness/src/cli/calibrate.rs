//! `cosim calibrate`: the core's measured memory latencies against a profile.

use clap::Args;
use cosim::calibrate::calibrate;
use cosim::memory::timing::Profile;
use cosim::sim::write_json;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CalibrateArgs {
    /// ideal, ddr4, optane, or a profile file (FILE.toml).
    #[arg(long, value_name = "NAME|FILE.toml", value_parser = super::run::parse_profile)]
    pub profile: Profile,
    /// Also write the results as JSON here.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

pub fn calibrate_cmd(args: CalibrateArgs) -> anyhow::Result<i32> {
    let result = calibrate(&args.profile)?;
    print!("{result}");
    if let Some(path) = &args.json {
        write_json(path, &result.to_json())?;
    }
    Ok(0)
}
