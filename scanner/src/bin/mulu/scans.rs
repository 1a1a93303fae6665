//! `mulu scans list`: the stored scans, so their ids can be given to `report --scan`,
//! `catalog export` and `baseline accept`.

use std::path::Path;

use crate::{fatal, open_state, runtime, usage, Failure};

#[derive(clap::Subcommand)]
pub(crate) enum ScansCommand {
    /// The latest complete scans, newest first: id, start (Beijing time), coverage, and the
    /// baselines filed from them.
    List(ScansListArgs),
}

#[derive(clap::Args)]
pub(crate) struct ScansListArgs {
    /// How many scans to show.
    #[arg(long, default_value_t = 20)]
    pub(crate) limit: usize,
}

pub(crate) fn run_scans(command: ScansCommand, state_path: &Path) -> Result<u8, Failure> {
    let ScansCommand::List(args) = command;
    if !state_path.exists() {
        return Err(usage(anyhow::anyhow!(
            "no state at {}; run `mulu scan` first",
            state_path.display()
        )));
    }
    let rt = runtime()?;
    let state = open_state(&rt, state_path)?;
    let scans = rt.block_on(state.recent_scans(args.limit)).map_err(fatal)?;
    let baselines = rt.block_on(state.baselines()).map_err(fatal)?;
    if scans.is_empty() {
        println!("No complete scan yet (run `mulu scan`).");
        return Ok(0);
    }
    for scan in &scans {
        let filed: Vec<String> = baselines
            .iter()
            .filter(|b| b.scan_id == scan.id)
            .map(|b| format!(" — filed as baseline {} on {}", b.id, b.filed_at))
            .collect();
        println!(
            "{:>5}  {}  {}{}{}",
            scan.id,
            catalog_export::beijing::display(scan.report.started_at),
            scanner::summary::coverage_line(&scan.report),
            if scan.report.is_partial() {
                " — partial"
            } else {
                ""
            },
            filed.concat()
        );
    }
    Ok(0)
}
