//! `mulu`: find personal information and vehicle data, and catalogue it for filing.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use scanner::config::Config;
use scanner::ScanOptions;

const EXIT_CODES: &str = "\
Exit codes:
  0  the scan completed
  1  a fatal error stopped mulu
  2  usage or configuration error
  3  the scan completed, but some sources or assets failed (partial); see the report";

#[derive(Parser)]
#[command(
    name = "mulu",
    version,
    about = "Finds personal information and vehicle data in databases and data lakes, and catalogues it for filing (重要数据目录)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan sources and report the personal information and vehicle data found.
    #[command(after_help = EXIT_CODES)]
    Scan(ScanArgs),
}

#[derive(clap::Args)]
struct ScanArgs {
    /// Sources: sqlite://PATH, file://DIR, or a path to a folder, a file or an SQLite database.
    /// A folder is scanned recursively (parquet, CSV, JSON lines, SQLite files).
    #[arg(value_name = "SOURCE")]
    sources: Vec<String>,
    /// Configuration file listing sources and scan settings.
    #[arg(long, value_name = "mulu.toml")]
    config: Option<PathBuf>,
    /// Write the full JSON report (mulu.scan-report/v1) to this file instead of printing a table.
    #[arg(long, value_name = "REPORT.json")]
    json: Option<PathBuf>,
    /// Rows sampled per asset for classification [default: 1000].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    sample_rows: Option<u64>,
    /// Assets sampled at once across all sources [default: 8].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    concurrency: Option<u64>,
    /// No progress bar and no summary; errors still go to stderr.
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MULU_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error")),
        )
        .with_writer(std::io::stderr)
        .init();
    match cli.command {
        Command::Scan(args) => run_scan(args),
    }
}

fn run_scan(args: ScanArgs) -> ExitCode {
    let (sources, options) = match resolve_scan(&args) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    match execute_scan(&args, &sources, &options) {
        Ok(partial) => ExitCode::from(if partial { 3 } else { 0 }),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Merges the command line over the config file.
fn resolve_scan(args: &ScanArgs) -> anyhow::Result<(Vec<String>, ScanOptions)> {
    let config = match &args.config {
        Some(path) => Config::load(path)?,
        None => Config::default(),
    };
    let mut sources = args.sources.clone();
    sources.extend(config.sources.iter().map(|s| s.url.clone()));
    if sources.is_empty() {
        anyhow::bail!("no SOURCE given: name one (e.g. `mulu scan sample-data`) or list [[sources]] in --config");
    }
    let defaults = ScanOptions::default();
    let options = ScanOptions {
        sample_rows: args
            .sample_rows
            .map(|n| n as usize)
            .or(config.scan.sample_rows)
            .unwrap_or(defaults.sample_rows),
        concurrency: args
            .concurrency
            .map(|n| n as usize)
            .or(config.scan.concurrency)
            .unwrap_or(defaults.concurrency),
        ..defaults
    };
    Ok((sources, options))
}

/// Runs the scan and writes its output; returns whether the scan was partial.
fn execute_scan(
    args: &ScanArgs,
    sources: &[String],
    options: &ScanOptions,
) -> anyhow::Result<bool> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let progress = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} scanning {pos}/{len} assets [{elapsed}] {wide_bar}",
            )
            .expect("the template is valid"),
        );
        bar
    };
    let classifiers = Arc::new(classifiers::ClassifierSet::builtin());
    let report = runtime.block_on(scanner::scan(sources, options, classifiers, &progress));
    for asset in report.failed_assets() {
        eprintln!(
            "error: {} {}: {}",
            asset.source,
            asset.name,
            asset.error.as_deref().unwrap_or("unknown error")
        );
    }
    for source in report
        .sources
        .iter()
        .filter(|s| s.status == catalog_export::Status::Error)
    {
        eprintln!(
            "error: source {}: {}",
            source.url,
            source.error.as_deref().unwrap_or("unknown error")
        );
    }
    match &args.json {
        Some(path) => {
            catalog_export::write_json(&report, path)
                .with_context(|| format!("cannot write the report to {}", path.display()))?;
        }
        None if !args.quiet => print!("{}", scanner::summary::render(&report)),
        None => {}
    }
    Ok(report.is_partial())
}
