//! `mulu report`: the scan as one offline HTML page.

use std::path::{Path, PathBuf};

use scanner::html::{GatherOptions, Lang};

use crate::{fatal, load_config, open_state, runtime, usage, Failure};

#[derive(clap::Args)]
pub(crate) struct ReportArgs {
    /// Where to write the HTML file.
    #[arg(long, value_name = "report.html")]
    pub(crate) out: PathBuf,
    /// The scan to show [default: the latest].
    #[arg(long, value_name = "ID")]
    pub(crate) scan: Option<i64>,
    /// The page's language.
    #[arg(long, value_enum, default_value = "zh")]
    pub(crate) lang: Lang,
    /// Configuration file (for the yearly deadlines).
    #[arg(long, env = "MULU_CONFIG", value_name = "mulu.toml")]
    pub(crate) config: Option<PathBuf>,
}

pub(crate) fn run_report(args: &ReportArgs, state_path: &Path) -> Result<u8, Failure> {
    let config = load_config(args.config.as_deref())?;
    if !state_path.exists() {
        return Err(usage(anyhow::anyhow!(
            "no state at {}; run `mulu scan` first",
            state_path.display()
        )));
    }
    let rt = runtime()?;
    let state = open_state(&rt, state_path)?;
    let options = GatherOptions {
        scan: args.scan,
        config: &config,
        today: catalog_export::beijing::date(model::now()),
    };
    let input = rt
        .block_on(scanner::html::gather(&state, &options))
        .map_err(usage)?;
    let html = scanner::html::render(&input, args.lang);
    scanner::html::write_report(&html, &args.out).map_err(fatal)?;
    println!(
        "report for scan {} written to {} ({} bytes)",
        input.scan_id,
        args.out.display(),
        html.len()
    );
    Ok(0)
}
