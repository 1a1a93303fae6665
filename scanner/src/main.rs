//! `mulu`: find personal information and vehicle data, and catalogue it for filing.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use model::ScanReport;
use scanner::config::Config;
use scanner::sink::{FailureSink, JsonSink, ProgressSink, ScanSink, SummarySink};
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
    /// Filing baselines: record which scan's catalogue was filed.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Compare the latest scan's catalogue with the filed baseline: is a re-filing due?
    #[command(after_help = DIFF_EXIT_CODES)]
    Diff(DiffArgs),
    /// Run the scans configured in [[schedule]] on their cron expressions.
    #[command(after_help = SCHEDULE_EXIT_CODES)]
    Schedule(ScheduleArgs),
    /// Last scan, current baseline, pending re-filings, persons verdicts and deadlines.
    Status(StatusArgs),
    /// The classifiers: list them, explain one, test values against one.
    #[command(subcommand)]
    Classifiers(ClassifiersCommand),
}

#[derive(clap::Args, Clone)]
struct ClassifierFiles {
    /// Extra declarative classifiers (TOML); may be repeated.
    #[arg(long = "classifiers", value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Configuration file whose `classifiers = [...]` are loaded too.
    #[arg(long, env = "MULU_CONFIG", value_name = "mulu.toml")]
    config: Option<PathBuf>,
}

#[derive(Subcommand)]
enum ClassifiersCommand {
    /// Table of every classifier: id, names, PI/sensitive, source.
    List(ClassifierFiles),
    /// What a classifier detects, why it matters, examples and known false positives.
    Explain {
        /// Classifier id, e.g. pi.cn_resident_id.
        id: String,
        #[command(flatten)]
        files: ClassifierFiles,
    },
    /// Test values against a classifier; exit 1 when none matches.
    Test {
        /// Classifier id.
        id: String,
        /// Values to test.
        values: Vec<String>,
        /// Also test every line of this file (a column of values).
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        #[command(flatten)]
        files: ClassifierFiles,
    },
}

const DIFF_EXIT_CODES: &str = "\
Exit codes:
  0   no re-filing needed
  10  re-filing needed (each trigger with its due date)
  1, 2  errors";

const SCHEDULE_EXIT_CODES: &str = "\
Exit codes (with --once):
  0   every due job ran
  3   some sources or assets failed in a job
  10  a job found that a re-filing is needed
  1, 2  errors";

#[derive(Subcommand)]
enum BaselineCommand {
    /// Record that a scan's catalogue was filed.
    Accept {
        /// The scan [default: the latest].
        #[arg(long)]
        scan: Option<i64>,
        /// Filing date, YYYY-MM-DD [default: today].
        #[arg(long, value_name = "YYYY-MM-DD")]
        filed_at: Option<String>,
    },
    /// List the recorded baselines, newest first.
    List,
}

#[derive(Clone, Copy, ValueEnum)]
enum AgainstArg {
    Baseline,
    Previous,
}

#[derive(clap::Args)]
struct DiffArgs {
    /// What to compare the latest scan with.
    #[arg(long, value_enum, default_value = "baseline")]
    against: AgainstArg,
    /// Also write the diff as JSON.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ScheduleArgs {
    /// Configuration file with [[schedule]] jobs.
    #[arg(long, env = "MULU_CONFIG", value_name = "mulu.toml")]
    config: PathBuf,
    /// Run the jobs that are due now and exit (for crontab or a systemd timer).
    #[arg(long)]
    once: bool,
}

#[derive(clap::Args)]
struct StatusArgs {
    /// Configuration file (for the yearly deadlines).
    #[arg(long, env = "MULU_CONFIG", value_name = "mulu.toml")]
    config: Option<PathBuf>,
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
    /// Extra declarative classifiers (TOML); may be repeated.
    #[arg(long = "classifiers", value_name = "FILE")]
    classifier_files: Vec<PathBuf>,
    /// Count distinct persons: exact (default; falls back to bounds past its memory budget),
    /// sketch (bounds, mergeable) or off.
    #[arg(long, value_name = "MODE", value_parser = ["exact", "sketch", "off"])]
    persons: Option<String>,
    /// Secret key for the keyed person hashes (hex or raw bytes); without one, counts use a
    /// per-run key and cannot be merged with other runs.
    #[arg(long, env = "MULU_HASH_KEY_FILE", value_name = "FILE")]
    hash_key_file: Option<PathBuf>,
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
    // Like other Unix tools, end quietly when the reader of our output goes away (`| head`).
    // SAFETY: restoring the default signal disposition before any thread starts.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MULU_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let state_path = cli
        .state
        .clone()
        .unwrap_or_else(scanner::state::default_path);
    let result = match cli.command {
        Command::Scan(args) => run_scan(&args, &state_path),
        Command::Catalog(CatalogCommand::Export(args)) => run_export(&args, &state_path),
        Command::Catalog(CatalogCommand::Check(args)) => run_check(&args, &state_path),
        Command::Baseline(cmd) => run_baseline(cmd, &state_path),
        Command::Diff(args) => run_diff(&args, &state_path),
        Command::Schedule(args) => run_schedule(&args, &state_path),
        Command::Status(args) => run_status(&args, &state_path),
        Command::Classifiers(cmd) => run_classifiers(cmd),
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
            ProgressStyle::with_template(
                "{spinner} scanning {pos}/{len} assets [{elapsed}] {wide_bar}",
            )
            .expect("the template is valid"),
        );
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

/// The catalogue a catalogue command works on, and a note for the user when it is not the
/// one stored with the scan.
///
/// - `--report FILE`: built from that report and `--config` (nothing is stored).
/// - Otherwise the latest scan's catalogue, as built when the scan finished: `baseline accept`
///   and `diff` use that same stored catalogue. With `--config`, it is rebuilt with that
///   configuration; if the result differs (an edited `[organization]`, new field rules), the
///   rebuilt one is used, and `store` puts it in the state in place of the old one, so the file
///   written and the baseline recorded next can never differ.
fn catalogue(
    source: &CatalogSource,
    state_path: &Path,
    store: bool,
) -> Result<(catalog_export::catalog::Catalog, Option<String>), Failure> {
    let config = load_config(source.config.as_deref())?;
    if let Some(path) = &source.report {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the report {}", path.display()))
            .map_err(usage)?;
        let report: ScanReport = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a mulu scan report", path.display()))
            .map_err(usage)?;
        let catalog = scanner::filing::build_catalog(&report, &config).map_err(usage)?;
        return Ok((catalog, None));
    }
    let rt = runtime()?;
    rt.block_on(async {
        let state = State::open(state_path).await.map_err(fatal)?;
        let scan = state.latest_scan().await.map_err(fatal)?.ok_or_else(|| {
            usage(anyhow::anyhow!(
                "no completed scan in the state {}; run `mulu scan` first or pass --report",
                state_path.display()
            ))
        })?;
        let stored = match (&scan.catalog, &source.config) {
            (Some(stored), None) => return Ok((stored.clone(), None)),
            (stored, Some(_)) => stored.clone(),
            (None, None) => None,
        };
        let rebuilt = scanner::filing::build_catalog(&scan.report, &config).map_err(usage)?;
        if stored.as_ref() == Some(&rebuilt) {
            return Ok((rebuilt, None));
        }
        let note = if store {
            state
                .replace_catalog(scan.id, &rebuilt)
                .await
                .map_err(fatal)?;
            format!(
                "note: the configuration differs from the one scan {} was catalogued with; \
                 the catalogue was rebuilt with {} and stored with the scan, so `mulu baseline \
                 accept` records what this file holds",
                scan.id,
                config_name(source)
            )
        } else {
            format!(
                "note: the configuration differs from the one scan {} was catalogued with; \
                 checking the catalogue as rebuilt with {} (`mulu catalog export` stores it)",
                scan.id,
                config_name(source)
            )
        };
        Ok((rebuilt, Some(note)))
    })
}

fn config_name(source: &CatalogSource) -> String {
    source
        .config
        .as_ref()
        .map_or_else(|| "the defaults".into(), |p| p.display().to_string())
}

fn run_export(args: &ExportArgs, state_path: &Path) -> Result<u8, Failure> {
    let (catalog, note) = catalogue(&args.source, state_path, true)?;
    if let Some(note) = note {
        eprintln!("{note}");
    }
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
    let (catalog, note) = catalogue(args, state_path, false)?;
    if let Some(note) = note {
        eprintln!("{note}");
    }
    let problems = scanner::filing::check_catalog(&catalog);
    for p in &problems {
        println!("{}: {}", p.place, p.message);
    }
    if problems.is_empty() {
        println!(
            "The catalogue is complete: {} important items.",
            catalog.items.len()
        );
        Ok(0)
    } else {
        println!(
            "{} fields or problems to resolve before filing.",
            problems.len()
        );
        Ok(1)
    }
}

fn open_state(rt: &tokio::runtime::Runtime, path: &Path) -> Result<State, Failure> {
    rt.block_on(State::open(path)).map_err(fatal)
}

fn run_baseline(cmd: BaselineCommand, state_path: &Path) -> Result<u8, Failure> {
    let rt = runtime()?;
    let state = open_state(&rt, state_path)?;
    match cmd {
        BaselineCommand::Accept { scan, filed_at } => {
            let filed_at = match filed_at {
                Some(d) => chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                    .with_context(|| format!("--filed-at '{d}' is not a YYYY-MM-DD date"))
                    .map_err(usage)?,
                None => chrono::Local::now().date_naive(),
            };
            let stored = rt
                .block_on(async {
                    match scan {
                        Some(id) => state.scan(id).await,
                        None => state.latest_scan().await,
                    }
                })
                .map_err(fatal)?
                .ok_or_else(|| {
                    usage(anyhow::anyhow!(
                        "no such completed scan; run `mulu scan` first"
                    ))
                })?;
            let id = rt
                .block_on(state.accept_baseline(&stored, &filed_at.to_string()))
                .map_err(usage)?;
            let items = stored.catalog.as_ref().map_or(0, |c| c.items.len());
            println!(
                "baseline {id}: scan {} filed on {filed_at} ({items} important items)",
                stored.id
            );
            Ok(0)
        }
        BaselineCommand::List => {
            let baselines = rt.block_on(state.baselines()).map_err(fatal)?;
            if baselines.is_empty() {
                println!("No baselines yet; record one with `mulu baseline accept`.");
            }
            for b in baselines {
                println!(
                    "baseline {}: scan {}, filed {}, {} important items",
                    b.id,
                    b.scan_id,
                    b.filed_at,
                    b.catalog.items.len()
                );
            }
            Ok(0)
        }
    }
}

fn run_diff(args: &DiffArgs, state_path: &Path) -> Result<u8, Failure> {
    let rt = runtime()?;
    let state = open_state(&rt, state_path)?;
    let against = match args.against {
        AgainstArg::Baseline => scanner::refiling::Against::Baseline,
        AgainstArg::Previous => scanner::refiling::Against::Previous,
    };
    let diff = rt
        .block_on(scanner::refiling::diff_latest(&state, against))
        .map_err(usage)?;
    if let Some(path) = &args.json {
        std::fs::write(
            path,
            serde_json::to_string_pretty(&diff).expect("serialises") + "\n",
        )
        .with_context(|| format!("cannot write {}", path.display()))
        .map_err(fatal)?;
    }
    print!("{}", render_diff(&diff));
    Ok(if diff.refiling_needed { 10 } else { 0 })
}

fn render_diff(diff: &scanner::refiling::DiffReport) -> String {
    let reference = match (&diff.baseline_id, &diff.baseline_filed_at) {
        (Some(id), Some(filed)) => format!("baseline {id} (filed {filed})"),
        _ => format!("scan {}", diff.reference_scan.unwrap_or_default()),
    };
    if !diff.refiling_needed {
        return format!(
            "No re-filing needed: scan {} matches {reference}.\n",
            diff.current_scan
        );
    }
    let mut table = comfy_table::Table::new();
    table
        .load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_header(vec!["item", "reason", "detail", "detected", "due by"]);
    for t in &diff.triggers {
        table.add_row(vec![
            format!("{} {}", t.trigger.item_id, t.trigger.data_name),
            t.trigger.reason.label().to_string(),
            t.trigger.detail.clone(),
            t.detected_at.clone(),
            t.due_by.clone(),
        ]);
    }
    format!(
        "{table}\nRe-filing needed: {} trigger(s) against {reference}; file within three months of detection.\n",
        diff.triggers.len()
    )
}

fn run_schedule(args: &ScheduleArgs, state_path: &Path) -> Result<u8, Failure> {
    let config = Config::load(&args.config).map_err(usage)?;
    scanner::schedule::validate(&config).map_err(usage)?;
    if config.schedule.is_empty() {
        return Err(usage(anyhow::anyhow!(
            "{} has no [[schedule]] jobs",
            args.config.display()
        )));
    }
    let rt = runtime()?;
    let state = open_state(&rt, state_path)?;
    loop {
        let now = chrono::Utc::now();
        let outcomes = rt
            .block_on(scanner::schedule::run_due(&state, &config, now))
            .map_err(fatal)?;
        for o in &outcomes {
            let verdict = match &o.diff {
                Some(d) if d.refiling_needed => "re-filing needed",
                Some(_) => "no re-filing needed",
                None => "no baseline yet",
            };
            println!(
                "job {}: scan {} {}; {verdict}",
                o.job,
                o.scan_id.unwrap_or_default(),
                if o.partial { "partial" } else { "complete" }
            );
        }
        if args.once {
            if outcomes.is_empty() {
                println!("No job is due.");
            }
            let refile = outcomes
                .iter()
                .any(|o| o.diff.as_ref().is_some_and(|d| d.refiling_needed));
            let partial = outcomes.iter().any(|o| o.partial);
            return Ok(if refile {
                10
            } else if partial {
                3
            } else {
                0
            });
        }
        let next = config
            .schedule
            .iter()
            .filter_map(|j| j.next_run(chrono::Utc::now()).ok())
            .min()
            .unwrap_or_else(|| chrono::Utc::now() + chrono::Duration::minutes(1));
        let wait = (next - chrono::Utc::now()).to_std().unwrap_or_default();
        std::thread::sleep(wait.max(std::time::Duration::from_secs(1)));
    }
}

fn run_status(args: &StatusArgs, state_path: &Path) -> Result<u8, Failure> {
    let config = load_config(args.config.as_deref())?;
    let rt = runtime()?;
    let state = open_state(&rt, state_path)?;
    let latest = rt.block_on(state.latest_scan()).map_err(fatal)?;
    let baseline = rt.block_on(state.current_baseline()).map_err(fatal)?;
    let incomplete = rt.block_on(state.incomplete_scans()).map_err(fatal)?;
    match &latest {
        Some(scan) => {
            let failed = scan.report.failed_assets().count();
            println!(
                "Last scan: {} started {} ({} assets, {} failed)",
                scan.id,
                scan.report
                    .started_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                scan.report.assets.len(),
                failed
            );
        }
        None => println!("Last scan: none yet (run `mulu scan`)"),
    }
    if incomplete > 0 {
        println!("Unfinished scans (killed or crashed, ignored): {incomplete}");
    }
    match &baseline {
        Some(b) => println!(
            "Baseline: {} filed {} from scan {} ({} important items)",
            b.id,
            b.filed_at,
            b.scan_id,
            b.catalog.items.len()
        ),
        None => println!("Baseline: none (record a filing with `mulu baseline accept`)"),
    }
    if latest.is_some() && baseline.is_some() {
        let diff = rt
            .block_on(scanner::refiling::diff_latest(
                &state,
                scanner::refiling::Against::Baseline,
            ))
            .map_err(fatal)?;
        if diff.refiling_needed {
            println!("Pending re-filings:");
            for t in &diff.triggers {
                println!(
                    "  {} {}: {}; detected {}, due by {}",
                    t.trigger.item_id,
                    t.trigger.reason.label(),
                    t.trigger.detail,
                    t.detected_at,
                    t.due_by
                );
            }
        } else {
            println!("Pending re-filings: none");
        }
    }
    if let Some(persons) = latest.as_ref().and_then(|s| s.report.persons.as_ref()) {
        let count = persons.distinct.map_or_else(
            || format!("{}–{}", persons.lower, persons.upper),
            |d| d.to_string(),
        );
        println!("Persons: {count} ({})", persons.method);
        for t in &persons.thresholds {
            println!(
                "  {} {} {}: {} ({})",
                t.id, t.rule, t.value, t.status, t.basis
            );
        }
    }
    let today = chrono::Local::now().date_naive();
    let deadlines = if config.deadlines.is_empty() {
        scanner::config::Deadline::defaults()
    } else {
        config.deadlines.clone()
    };
    println!("Next deadlines:");
    for d in &deadlines {
        match d
            .month_day()
            .and_then(|(m, day)| catalog_export::diff::next_yearly(today, m, day))
        {
            Some(date) => println!("  {date} {}", d.name),
            None => println!("  {}: bad date '{}' (use MM-DD)", d.name, d.date),
        }
    }
    Ok(0)
}

/// The built-ins plus the config's and the command line's classifier files.
fn classifier_set(
    config: &Config,
    extra: &[PathBuf],
) -> Result<scanner::custom::LoadedSet, Failure> {
    scanner::custom::load_configured(config, extra).map_err(usage)
}

fn run_classifiers(cmd: ClassifiersCommand) -> Result<u8, Failure> {
    let files = match &cmd {
        ClassifiersCommand::List(f) => f,
        ClassifiersCommand::Explain { files, .. } | ClassifiersCommand::Test { files, .. } => files,
    };
    let config = load_config(files.config.as_deref())?;
    let loaded = classifier_set(&config, &files.files)?;
    let source_of = |id: &str| {
        loaded
            .custom
            .iter()
            .find(|(c, _)| c == id)
            .map_or_else(|| "built-in".to_string(), |(_, f)| f.display().to_string())
    };
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    match cmd {
        ClassifiersCommand::List(_) => {
            let mut table = comfy_table::Table::new();
            table
                .load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
                .set_header(vec!["id", "名称", "name", "PI", "sensitive", "source"]);
            for c in loaded.set.classifiers() {
                let info = c.info();
                table.add_row(vec![
                    info.id.to_string(),
                    info.name_zh.to_string(),
                    info.name_en.to_string(),
                    yes_no(info.is_pi).to_string(),
                    yes_no(info.is_sensitive).to_string(),
                    source_of(info.id.as_str()),
                ]);
            }
            for t in classifiers::table_categories() {
                table.add_row(vec![
                    t.id.to_string(),
                    t.name_zh.to_string(),
                    t.name_en.to_string(),
                    yes_no(t.is_pi).to_string(),
                    yes_no(t.is_sensitive).to_string(),
                    "built-in (table rule)".to_string(),
                ]);
            }
            println!("{table}");
            Ok(0)
        }
        ClassifiersCommand::Explain { id, .. } => {
            let (info, docs) = match loaded.set.get(&id) {
                Some(c) => (c.info(), c.docs()),
                None => match classifiers::table_categories()
                    .iter()
                    .find(|t| t.id == id.as_str())
                {
                    Some(t) => (t.category_info(), t.docs),
                    None => {
                        return Err(usage(anyhow::anyhow!(
                            "no classifier '{id}'; see `mulu classifiers list`"
                        )))
                    }
                },
            };
            println!("{} — {} ({})", info.id, info.name_zh, info.name_en);
            println!(
                "PI: {}; sensitive: {}; GB/T 43697 class: {}; vehicle rules: {}; source: {}\n",
                yes_no(info.is_pi),
                yes_no(info.is_sensitive),
                if info.gbt43697_class.is_empty() {
                    "-"
                } else {
                    &info.gbt43697_class
                },
                info.vehicle_item.as_deref().unwrap_or("-"),
                source_of(info.id.as_str())
            );
            println!("{}", docs.trim());
            Ok(0)
        }
        ClassifiersCommand::Test {
            id, values, file, ..
        } => {
            let Some(classifier) = loaded.set.get(&id) else {
                return Err(usage(anyhow::anyhow!(
                    "no value classifier '{id}'; see `mulu classifiers list`"
                )));
            };
            let mut all = values;
            if let Some(path) = file {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))
                    .map_err(usage)?;
                all.extend(
                    text.lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(str::to_string),
                );
            }
            if all.is_empty() {
                return Err(usage(anyhow::anyhow!("give VALUEs or --file")));
            }
            if classifier.value_pattern().is_none() {
                return Err(usage(anyhow::anyhow!(
                    "{id} is detected from column names and types, not values; see `mulu classifiers explain {id}`"
                )));
            }
            let mut matched = 0;
            for value in &all {
                // Only the masked form is printed: values may be real identifiers.
                let shown = classifier.mask(value.trim());
                match scanner::custom::test_value(classifier, value) {
                    Some(w) => {
                        matched += 1;
                        println!("match     {shown} (weight {w:.2})");
                    }
                    None => println!("no match  {shown}"),
                }
            }
            println!("{matched} of {} values match {id}", all.len());
            Ok(if matched == 0 { 1 } else { 0 })
        }
    }
}
