//! `mulu`: find personal information and vehicle data, and catalogue it for filing.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use catalog_export::ScanReport;
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use scanner::config::Config;
use scanner::state::State;
use scanner::ScanOptions;

const SCAN_EXIT_CODES: &str = "\
Exit codes:
  0  the scan completed
  1  a fatal error stopped mulu
  2  usage or configuration error
  3  the scan completed, but some sources or assets failed (partial); see the report";

const CHECK_EXIT_CODES: &str = "\
Exit codes:
  0  nothing is missing
  1  some fields are still 待填写 or the configuration has problems (listed)
  2  usage or configuration error";

#[derive(Parser)]
#[command(
    name = "mulu",
    version,
    about = "Finds personal information and vehicle data in databases and data lakes, and catalogues it for filing (重要数据目录)."
)]
struct Cli {
    /// The state database (scan history, baselines) [default: <data dir>/mulu/state.db].
    #[arg(long, global = true, env = "MULU_STATE", value_name = "PATH")]
    state: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan sources and report the personal information and vehicle data found.
    #[command(after_help = SCAN_EXIT_CODES)]
    Scan(ScanArgs),
    /// The important-data catalogue (重要数据目录) for filing.
    #[command(subcommand)]
    Catalog(CatalogCommand),
}

#[derive(clap::Args)]
struct ScanArgs {
    /// Sources: sqlite://PATH, file://DIR, or a path to a folder, a file or an SQLite database.
    /// A folder is scanned recursively (parquet, CSV, JSON lines, SQLite files).
    #[arg(value_name = "SOURCE")]
    sources: Vec<String>,
    /// Configuration file listing sources and scan settings.
    #[arg(long, env = "MULU_CONFIG", value_name = "mulu.toml")]
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
    /// Do not record the scan in the state database.
    #[arg(long)]
    no_state: bool,
    /// No progress bar and no summary; errors still go to stderr.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Subcommand)]
enum CatalogCommand {
    /// Write the catalogue as xlsx, CSV (UTF-8 with BOM) or JSON.
    Export(ExportArgs),
    /// List every field still 待填写 and every configuration problem.
    #[command(after_help = CHECK_EXIT_CODES)]
    Check(CatalogSource),
}

#[derive(clap::Args)]
struct CatalogSource {
    /// Configuration file with [organization] and [catalog].
    #[arg(long, env = "MULU_CONFIG", value_name = "mulu.toml")]
    config: Option<PathBuf>,
    /// A scan report to build from [default: the latest scan in the state].
    #[arg(long, value_name = "REPORT.json")]
    report: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Xlsx,
    Csv,
    Json,
}

#[derive(clap::Args)]
struct ExportArgs {
    #[command(flatten)]
    source: CatalogSource,
    /// File format.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Output file.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// A failure and the exit code it maps to.
struct Failure {
    code: u8,
    error: anyhow::Error,
}

fn usage(error: anyhow::Error) -> Failure {
    Failure { code: 2, error }
}

fn fatal(error: anyhow::Error) -> Failure {
    Failure { code: 1, error }
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
    let state_path = cli.state.clone().unwrap_or_else(scanner::state::default_path);
    let result = match cli.command {
        Command::Scan(args) => run_scan(&args, &state_path),
        Command::Catalog(CatalogCommand::Export(args)) => run_export(&args, &state_path),
        Command::Catalog(CatalogCommand::Check(args)) => run_check(&args, &state_path),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Failure { code, error }) => {
            eprintln!("error: {error:#}");
            ExitCode::from(code)
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
        .map_err(fatal)
}

fn load_config(path: Option<&Path>) -> Result<Config, Failure> {
    match path {
        Some(path) => Config::load(path).map_err(usage),
        None => Ok(Config::default()),
    }
}

fn run_scan(args: &ScanArgs, state_path: &Path) -> Result<u8, Failure> {
    let config = load_config(args.config.as_deref())?;
    let mut sources = args.sources.clone();
    sources.extend(config.sources.iter().map(|s| s.url.clone()));
    if sources.is_empty() {
        return Err(usage(anyhow::anyhow!(
            "no SOURCE given: name one (e.g. `mulu scan sample-data`) or list [[sources]] in --config"
        )));
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

    let rt = runtime()?;
    let progress = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} scanning {pos}/{len} assets [{elapsed}] {wide_bar}")
                .expect("the template is valid"),
        );
        bar
    };
    let classifiers = Arc::new(classifiers::ClassifierSet::builtin());
    let report = rt.block_on(async {
        let state = if args.no_state {
            None
        } else {
            Some(State::open(state_path).await.map_err(fatal)?)
        };
        let started_at = scanner::scan::now();
        let scan_id = match &state {
            Some(s) => Some(s.begin_scan(&started_at).await.map_err(fatal)?),
            None => None,
        };
        let report = scanner::scan_started_at(started_at, &sources, &options, classifiers, &progress).await;
        if let (Some(state), Some(id)) = (&state, scan_id) {
            state.complete_scan(id, &report).await.map_err(fatal)?;
        }
        Ok::<_, Failure>(report)
    })?;

    for asset in report.failed_assets() {
        eprintln!(
            "error: {} {}: {}",
            asset.source,
            asset.name,
            asset.error.as_deref().unwrap_or("unknown error")
        );
    }
    for source in report.sources.iter().filter(|s| s.status == catalog_export::Status::Error) {
        eprintln!("error: source {}: {}", source.url, source.error.as_deref().unwrap_or("unknown error"));
    }
    match &args.json {
        Some(path) => catalog_export::write_json(&report, path)
            .with_context(|| format!("cannot write the report to {}", path.display()))
            .map_err(fatal)?,
        None if !args.quiet => print!("{}", scanner::summary::render(&report)),
        None => {}
    }
    Ok(if report.is_partial() { 3 } else { 0 })
}

/// The report a catalogue command works on: a file, or the latest scan in the state.
fn load_report(source: &CatalogSource, state_path: &Path) -> Result<ScanReport, Failure> {
    if let Some(path) = &source.report {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the report {}", path.display()))
            .map_err(usage)?;
        return serde_json::from_str(&text)
            .with_context(|| format!("{} is not a mulu scan report", path.display()))
            .map_err(usage);
    }
    let rt = runtime()?;
    rt.block_on(async {
        let state = State::open(state_path).await.map_err(fatal)?;
        match state.latest_scan().await.map_err(fatal)? {
            Some(scan) => Ok(scan.report),
            None => Err(usage(anyhow::anyhow!(
                "no completed scan in the state {}; run `mulu scan` first or pass --report",
                state_path.display()
            ))),
        }
    })
}

fn build(source: &CatalogSource, state_path: &Path) -> Result<catalog_export::catalog::Catalog, Failure> {
    let config = load_config(source.config.as_deref())?;
    let report = load_report(source, state_path)?;
    scanner::filing::build_catalog(&report, &config).map_err(usage)
}

fn run_export(args: &ExportArgs, state_path: &Path) -> Result<u8, Failure> {
    let catalog = build(&args.source, state_path)?;
    let written = match args.format {
        ExportFormat::Xlsx => catalog_export::xlsx::write(&catalog, &args.out),
        ExportFormat::Csv => std::fs::write(&args.out, catalog_export::csv::render(&catalog)),
        ExportFormat::Json => std::fs::write(
            &args.out,
            serde_json::to_string_pretty(&catalog).expect("the catalogue serialises") + "\n",
        ),
    };
    written
        .with_context(|| format!("cannot write {}", args.out.display()))
        .map_err(fatal)?;
    eprintln!(
        "wrote {} ({} important items, {} in the inventory)",
        args.out.display(),
        catalog.items.len(),
        catalog.inventory.len()
    );
    Ok(0)
}

fn run_check(args: &CatalogSource, state_path: &Path) -> Result<u8, Failure> {
    let catalog = build(args, state_path)?;
    let problems = scanner::filing::check_catalog(&catalog);
    for p in &problems {
        println!("{}: {}", p.place, p.message);
    }
    if problems.is_empty() {
        println!("The catalogue is complete: {} important items.", catalog.items.len());
        Ok(0)
    } else {
        println!("{} fields or problems to resolve before filing.", problems.len());
        Ok(1)
    }
}
