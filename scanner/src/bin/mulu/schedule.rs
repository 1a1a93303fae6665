//! `mulu schedule` and `mulu status`: the data officer's loop.

use std::path::{Path, PathBuf};

use scanner::config::Config;

use crate::{fatal, load_config, open_state, runtime, usage, Failure};

pub(crate) const SCHEDULE_EXIT_CODES: &str = "\
Exit codes (with --once):
  0   every due job ran
  3   some sources or assets failed in a job
  10  a job found that a re-filing is needed
  1, 2  errors";

#[derive(clap::Args)]
pub(crate) struct ScheduleArgs {
    /// Configuration file with [[schedule]] jobs.
    #[arg(long, env = "MULU_CONFIG", value_name = "mulu.toml")]
    pub(crate) config: PathBuf,
    /// Run the jobs that are due now and exit (for crontab or a systemd timer).
    #[arg(long)]
    pub(crate) once: bool,
}

#[derive(clap::Args)]
pub(crate) struct StatusArgs {
    /// Configuration file (for the yearly deadlines).
    #[arg(long, env = "MULU_CONFIG", value_name = "mulu.toml")]
    pub(crate) config: Option<PathBuf>,
}

pub(crate) fn run_schedule(args: &ScheduleArgs, state_path: &Path) -> Result<u8, Failure> {
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
            if let Some(path) = &o.report {
                println!("job {}: report written to {}", o.job, path.display());
            }
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

pub(crate) fn run_status(args: &StatusArgs, state_path: &Path) -> Result<u8, Failure> {
    let config = load_config(args.config.as_deref())?;
    let rt = runtime()?;
    let state = open_state(&rt, state_path)?;
    let latest = rt.block_on(state.latest_scan()).map_err(fatal)?;
    let baseline = rt.block_on(state.current_baseline()).map_err(fatal)?;
    let incomplete = rt.block_on(state.incomplete_scans()).map_err(fatal)?;
    match &latest {
        Some(scan) => {
            println!(
                "Last scan: {} started {}: {}{}",
                scan.id,
                scan.report
                    .started_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                scanner::summary::coverage_line(&scan.report),
                if scan.report.is_partial() {
                    " — partial"
                } else {
                    ""
                }
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
