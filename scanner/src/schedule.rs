//! Scheduled scans: `[[schedule]]` jobs on cron expressions, each run stored, diffed against
//! the filing baseline, and alerted on when a re-filing becomes due.

use chrono::{DateTime, Utc};

use crate::config::Config;
pub use crate::job::Job;
use crate::refiling::{diff_latest, Against, DiffReport};
use crate::state::State;
use crate::ScanOptions;

/// What one job run did.
#[derive(Debug)]
pub struct JobOutcome {
    /// Job name.
    pub job: String,
    /// The stored scan.
    pub scan_id: Option<i64>,
    /// Whether some sources or assets failed.
    pub partial: bool,
    /// The diff against the baseline, when there is one.
    pub diff: Option<DiffReport>,
    /// The HTML report written after the run (the job's `report`).
    pub report: Option<std::path::PathBuf>,
}

/// Checks the jobs' cron expressions and names up front, so a typo fails at start-up.
///
/// # Errors
/// Duplicate names, bad cron expressions, jobs without sources.
pub fn validate(config: &Config) -> anyhow::Result<()> {
    let mut names = std::collections::HashSet::new();
    for job in &config.schedule {
        if !names.insert(job.name.as_str()) {
            anyhow::bail!("[[schedule]] name '{}' is used twice", job.name);
        }
        job.parsed_cron()?;
        if job.sources.is_empty() && config.sources.is_empty() {
            anyhow::bail!(
                "[[schedule]] '{}' has no sources and the config lists no [[sources]]",
                job.name
            );
        }
        if let Some(var) = &job.webhook_secret_env {
            if std::env::var_os(var).is_none() {
                anyhow::bail!(
                    "[[schedule]] '{}': webhook_secret_env names {var}, which is not set",
                    job.name
                );
            }
        }
    }
    Ok(())
}

/// Runs every job due at `now`, one after another (scans are heavy; jobs never overlap).
///
/// # Errors
/// State errors only; a failing source is reported in the outcome, never stops the schedule.
pub async fn run_due(
    state: &State,
    config: &Config,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<JobOutcome>> {
    let mut outcomes = Vec::new();
    for job in &config.schedule {
        let last = state
            .last_run(&job.name)
            .await?
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc));
        if !job.is_due(last, now)? {
            continue;
        }
        outcomes.push(run_job(state, config, job).await?);
    }
    Ok(outcomes)
}

async fn run_job(state: &State, config: &Config, job: &Job) -> anyhow::Result<JobOutcome> {
    let sources = config.job_sources(job)?;
    let defaults = ScanOptions::default();
    let options = ScanOptions {
        sample_rows: config.scan.sample_rows.unwrap_or(defaults.sample_rows),
        concurrency: config.scan.concurrency.unwrap_or(defaults.concurrency),
        limits: config.scan.limits(),
        ..defaults
    };
    tracing::info!(job = %job.name, "scheduled scan starting");
    let recorded = crate::run::scan_and_record(
        Some(state),
        &sources,
        &options,
        config,
        crate::run::scan_context(config, &crate::run::ContextOverrides::default())?.0,
        Vec::new(),
    )
    .await?;
    let partial = recorded.report.is_partial();
    // At `error`, the default level: a cron log must name what failed and why. Names and
    // causes were redacted when the report was made; escaped here for the terminal.
    let escape =
        |text: &Option<String>| crate::terminal::escape(text.as_deref().unwrap_or("")).into_owned();
    for source in recorded
        .report
        .sources
        .iter()
        .filter(|s| s.status != model::Status::Ok)
    {
        tracing::error!(
            job = %job.name,
            source = %crate::terminal::escape(&source.url),
            cause = %escape(&source.error),
            "source failed or listed in part"
        );
    }
    for asset in recorded
        .report
        .assets
        .iter()
        .filter(|a| a.status != model::Status::Ok)
    {
        tracing::error!(
            job = %job.name,
            asset = %crate::terminal::escape(&asset.name),
            cause = %escape(&asset.error),
            "asset failed or read in part"
        );
    }
    let diff = match state.current_baseline().await? {
        Some(_) => Some(diff_latest(state, Against::Baseline).await?),
        None => None,
    };
    if let Some(d) = diff.as_ref().filter(|d| d.refiling_needed) {
        alert(job, d);
    }
    let report = match &job.report {
        Some(path) => write_report(state, config, job, &config.resolve(path)).await,
        None => None,
    };
    let outcome = if partial { "partial" } else { "ok" };
    state
        .record_run(
            &job.name,
            &model::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            recorded.id,
            outcome,
        )
        .await?;
    Ok(JobOutcome {
        job: job.name.clone(),
        scan_id: recorded.id,
        partial,
        diff,
        report,
    })
}

/// Writes the job's HTML report for the scan just stored. A report that cannot be written
/// is logged at `error` (the default level, so the cron log has it) and never fails the job:
/// the scan and the re-filing check are what matter.
async fn write_report(
    state: &State,
    config: &Config,
    job: &Job,
    path: &std::path::Path,
) -> Option<std::path::PathBuf> {
    let options = crate::html::GatherOptions {
        scan: None,
        config,
        today: catalog_export::beijing::date(model::now()),
    };
    let written = async {
        let input = crate::html::gather(state, &options).await?;
        crate::html::write_report(&crate::html::render(&input, crate::html::Lang::Zh), path)
    }
    .await;
    match written {
        Ok(()) => Some(path.to_path_buf()),
        Err(e) => {
            tracing::error!(
                job = %job.name,
                error = %crate::terminal::escape(&format!("{e:#}")),
                "cannot write the job's HTML report"
            );
            None
        }
    }
}

/// Logs the alert and, when configured, posts it to the webhook (the diff JSON, or a chat
/// robot's message).
fn alert(job: &Job, diff: &DiffReport) {
    let due = diff
        .triggers
        .iter()
        .map(|t| t.due_by.as_str())
        .min()
        .unwrap_or("");
    let items: Vec<&str> = diff
        .triggers
        .iter()
        .map(|t| t.trigger.item_id.as_str())
        .collect();
    eprintln!(
        "ALERT [{}]: re-filing needed ({} triggers: {}); earliest due {due}",
        job.name,
        diff.triggers.len(),
        items.join(", ")
    );
    let Some(url) = &job.webhook else {
        return;
    };
    let format = job
        .webhook_format
        .unwrap_or_else(|| crate::webhook::WebhookFormat::for_url(url));
    let secret = job
        .webhook_secret_env
        .as_ref()
        .and_then(|var| std::env::var(var).ok());
    let alert = crate::webhook::Alert {
        job: &job.name,
        diff,
    };
    match crate::webhook::deliver(&alert, url, format, secret.as_deref()) {
        Ok(()) => tracing::info!(job = %job.name, "webhook delivered"),
        // A webhook URL carries the robot's token; the error never quotes it.
        Err(e) => eprintln!(
            "error: [{}] webhook {} failed: {e}",
            job.name,
            webhook_display(url),
        ),
    }
}

/// The webhook as it may be shown: scheme, host and path; the query (a robot's
/// `access_token` or `key`) and any user info dropped.
fn webhook_display(url: &str) -> String {
    let redacted = connectors::redact_url(url);
    match redacted.split_once('?') {
        Some((base, _)) => format!("{base}?…"),
        None => redacted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(cron: &str) -> Job {
        Job {
            name: "nightly".into(),
            cron: cron.into(),
            sources: vec!["x".into()],
            webhook: None,
            webhook_format: None,
            webhook_secret_env: None,
            report: None,
        }
    }

    #[test]
    fn never_run_jobs_are_due_and_ran_jobs_wait_for_their_time() {
        let now = Utc::now();
        let hourly = job("0 * * * *");
        assert!(hourly.is_due(None, now).unwrap());
        assert!(!hourly.is_due(Some(now), now).unwrap(), "just ran");
        assert!(hourly
            .is_due(Some(now - chrono::Duration::hours(2)), now)
            .unwrap());
        assert!(hourly.next_run(now).unwrap() > now);
    }

    #[test]
    fn bad_cron_is_a_clear_error() {
        let config = Config {
            schedule: vec![job("61 * * * *")],
            ..Config::default()
        };
        let err = validate(&config).unwrap_err().to_string();
        assert!(
            err.contains("nightly") && err.contains("bad cron expression"),
            "{err}"
        );
    }
}
