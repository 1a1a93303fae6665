//! `mulu`: find personal information and vehicle data, and catalogue it for filing.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use scanner::config::Config;
use scanner::state::State;

mod catalog;
mod classifiers;
mod filing;
mod report;
mod scan;
mod scans;
mod schedule;
mod shard;

use catalog::CatalogCommand;
use classifiers::ClassifiersCommand;
use filing::{BaselineCommand, DiffArgs, DIFF_EXIT_CODES};
use report::ReportArgs;
use scan::{ScanArgs, SCAN_EXIT_CODES};
use scans::ScansCommand;
use schedule::{ScheduleArgs, StatusArgs, SCHEDULE_EXIT_CODES};

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
    /// Filing baselines: record which scan's catalogue was filed.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Compare the latest scan's catalogue with the filed baseline: is a re-filing due?
    #[command(after_help = DIFF_EXIT_CODES)]
    Diff(DiffArgs),
    /// Run the scans configured in [[schedule]] on their cron expressions.
    #[command(after_help = SCHEDULE_EXIT_CODES)]
    Schedule(ScheduleArgs),
    /// The scan as one offline HTML page: summary, persons, catalogue, findings, re-filing
    /// status, deadlines and history, with charts; printable on A4.
    Report(ReportArgs),
    /// Split a scan over many processes: list the sources once and write the work units to a
    /// run folder; then `mulu scan --plan RUN --shard I --of N` per shard, and `mulu merge`.
    Plan(shard::PlanArgs),
    /// Join the finished shards of a planned run into one report, catalogue and persons
    /// count, recorded like a scan.
    #[command(after_help = SCAN_EXIT_CODES)]
    Merge(shard::MergeArgs),
    /// The stored scans: `mulu scans list`.
    #[command(subcommand)]
    Scans(ScansCommand),
    /// Last scan, current baseline, pending re-filings, persons verdicts and deadlines.
    Status(StatusArgs),
    /// The classifiers: list them, explain one, test values against one.
    #[command(subcommand)]
    Classifiers(ClassifiersCommand),
}

/// A failure and the exit code it maps to.
pub(crate) struct Failure {
    code: u8,
    error: anyhow::Error,
}

pub(crate) fn usage(error: anyhow::Error) -> Failure {
    Failure { code: 2, error }
}

pub(crate) fn fatal(error: anyhow::Error) -> Failure {
    Failure { code: 1, error }
}

fn main() -> ExitCode {
    // Like other Unix tools, end quietly when the reader of our output goes away (`| head`).
    // SAFETY: restoring the default signal disposition before any thread starts.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    scanner::redact::withhold_panic_messages();
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MULU_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let state_path = cli
        .state
        .clone()
        .unwrap_or_else(scanner::state::default_path);
    let result = match cli.command {
        Command::Scan(args) => scan::run_scan(&args, &state_path),
        Command::Catalog(CatalogCommand::Export(args)) => catalog::run_export(&args, &state_path),
        Command::Catalog(CatalogCommand::Check(args)) => catalog::run_check(&args, &state_path),
        Command::Baseline(cmd) => filing::run_baseline(cmd, &state_path),
        Command::Diff(args) => filing::run_diff(&args, &state_path),
        Command::Schedule(args) => schedule::run_schedule(&args, &state_path),
        Command::Report(args) => report::run_report(&args, &state_path),
        Command::Scans(cmd) => scans::run_scans(cmd, &state_path),
        Command::Plan(args) => shard::run_plan(&args),
        Command::Merge(args) => shard::run_merge(&args, &state_path),
        Command::Status(args) => schedule::run_status(&args, &state_path),
        Command::Classifiers(cmd) => classifiers::run_classifiers(cmd),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Failure { code, error }) => {
            eprintln!(
                "error: {}",
                scanner::redact::for_terminal(&format!("{error:#}"))
            );
            ExitCode::from(code)
        }
    }
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
        .map_err(fatal)
}

pub(crate) fn load_config(path: Option<&Path>) -> Result<Config, Failure> {
    match path {
        Some(path) => Config::load(path).map_err(usage),
        None => Ok(Config::default()),
    }
}

pub(crate) fn open_state(rt: &tokio::runtime::Runtime, path: &Path) -> Result<State, Failure> {
    rt.block_on(State::open(path)).map_err(fatal)
}
