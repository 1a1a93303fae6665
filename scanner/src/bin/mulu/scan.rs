//! `mulu scan`: scan sources into the configured sinks.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use scanner::sink::{FailureSink, JsonSink, ProgressSink, ScanSink, SummarySink};
use scanner::state::State;
use scanner::ScanOptions;

use crate::{fatal, load_config, runtime, usage, Failure};

pub(crate) const SCAN_EXIT_CODES: &str = "\
Exit codes:
  0  the scan completed
  1  a fatal error stopped mulu
  2  usage or configuration error
  3  the scan completed, but some sources or assets failed (partial); see the report";

#[derive(clap::Args)]
pub(crate) struct ScanArgs {
    /// Sources: sqlite://PATH, file://DIR, or a path to a folder, a file or an SQLite database.
    /// A folder is scanned recursively (parquet, CSV, JSON lines, SQLite files).
    #[arg(value_name = "SOURCE")]
    pub(crate) sources: Vec<String>,
    /// Configuration file listing sources and scan settings.
    #[arg(long, env = "MULU_CONFIG", value_name = "mulu.toml")]
    pub(crate) config: Option<PathBuf>,
    /// Write the full JSON report (mulu.scan-report/v1) to this file instead of printing a table.
    #[arg(long, value_name = "REPORT.json")]
    pub(crate) json: Option<PathBuf>,
    /// Rows sampled per asset for classification [default: 1000].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) sample_rows: Option<u64>,
    /// Assets sampled at once across all sources [default: 8].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) concurrency: Option<u64>,
    /// Do not record the scan in the state database.
    #[arg(long)]
    pub(crate) no_state: bool,
    /// Extra declarative classifiers (TOML); may be repeated.
    #[arg(long = "classifiers", value_name = "FILE")]
    pub(crate) classifier_files: Vec<PathBuf>,
    /// Count distinct persons: exact (default; falls back to bounds past its memory budget),
    /// sketch (bounds, mergeable) or off.
    #[arg(long, value_name = "MODE", value_parser = ["exact", "sketch", "off"])]
    pub(crate) persons: Option<String>,
    /// Secret key for the keyed person hashes (hex or raw bytes); without one, counts use a
    /// per-run key and cannot be merged with other runs.
    #[arg(long, env = "MULU_HASH_KEY_FILE", value_name = "FILE")]
    pub(crate) hash_key_file: Option<PathBuf>,
    /// No progress bar and no summary; errors still go to stderr.
    #[arg(long, short)]
    pub(crate) quiet: bool,
    /// Scan one shard of a run planned with `mulu plan --out RUN` (with --shard and --of).
    #[arg(long, value_name = "RUN")]
    pub(crate) plan: Option<String>,
    /// This shard's index, 0-based [default: JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX
    /// or CLOUD_RUN_TASK_INDEX].
    #[arg(long, value_name = "I", requires = "plan")]
    pub(crate) shard: Option<usize>,
    /// The number of shards the run is split into.
    #[arg(long, value_name = "N", requires = "plan", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) of: Option<u64>,
}

/// Scan settings from the command line over the config over the defaults.
pub(crate) fn options_from(
    config: &scanner::config::Config,
    sample_rows: Option<u64>,
    concurrency: Option<u64>,
) -> ScanOptions {
    let defaults = ScanOptions::default();
    ScanOptions {
        sample_rows: sample_rows
            .map(|n| n as usize)
            .or(config.scan.sample_rows)
            .unwrap_or(defaults.sample_rows),
        concurrency: concurrency
            .map(|n| n as usize)
            .or(config.scan.concurrency)
            .unwrap_or(defaults.concurrency),
        limits: config.scan.limits(),
        ..defaults
    }
}

pub(crate) fn run_scan(args: &ScanArgs, state_path: &Path) -> Result<u8, Failure> {
    if let Some(run) = &args.plan {
        return crate::shard::run_shard(args, run);
    }
    let config = load_config(args.config.as_deref())?;
    let mut sources: Vec<scanner::config::SourceEntry> = args
        .sources
        .iter()
        .map(|u| scanner::config::SourceEntry::from_url(u))
        .collect();
    sources.extend(config.sources.iter().cloned());
    for source in &sources {
        source.check().map_err(usage)?;
    }
    if sources.is_empty() {
        return Err(usage(anyhow::anyhow!(
            "no SOURCE given: name one (e.g. `mulu scan sample-data`) or list [[sources]] in --config"
        )));
    }
    let options = options_from(&config, args.sample_rows, args.concurrency);

    let rt = runtime()?;
    let progress = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} scanning {pos}/{len} assets [{elapsed}] {bar:24} {wide_msg}",
            )
            .expect("the template is valid"),
        );
        // The stage of the asset in progress and the rows counted, refreshed four times a
        // second, so a long persons pass over one big file still shows movement.
        let (ticking, activity) = (bar.clone(), options.activity.clone());
        std::thread::spawn(move || {
            while !ticking.is_finished() {
                ticking.set_message(scanner::terminal::escape(&activity.describe()).into_owned());
                ticking.tick();
                std::thread::sleep(std::time::Duration::from_millis(250));
            }
        });
        bar
    };
    let (context, notice) = scanner::run::scan_context(
        &config,
        &scanner::run::ContextOverrides {
            classifier_files: args.classifier_files.clone(),
            persons_mode: args.persons.clone(),
            key_file: args.hash_key_file.clone(),
        },
    )
    .map_err(usage)?;
    if let (Some(notice), false) = (notice, args.quiet) {
        eprintln!("{notice}");
    }
    let mut sinks: Vec<Box<dyn ScanSink>> =
        vec![Box::new(ProgressSink(progress)), Box::new(FailureSink)];
    match &args.json {
        Some(path) => sinks.push(Box::new(JsonSink(path.clone()))),
        None if !args.quiet => sinks.push(Box::new(SummarySink)),
        None => {}
    }
    let report = rt.block_on(async {
        let state = if args.no_state {
            None
        } else {
            Some(State::open(state_path).await.map_err(fatal)?)
        };
        scanner::run::scan_and_record(state.as_ref(), &sources, &options, &config, context, sinks)
            .await
            .map(|r| r.report)
            .map_err(fatal)
    })?;
    Ok(if report.is_partial() { 3 } else { 0 })
}
